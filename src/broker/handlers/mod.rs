//! One file per API family. A handler takes the shared state, the request
//! header and the decoded request, and returns the response value; it never
//! touches the socket. Kafka-level failures are error codes in the response.

pub mod admin;
pub mod cluster;
pub mod configs;
pub mod consumer_groups;
pub mod fetch;
pub mod groups;
pub mod logdirs;
pub mod metadata;
pub mod offsets;
pub mod produce;
pub mod producers;
pub mod share_fetch;
pub mod share_groups;
pub mod txn;

use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::state::TopicError;
use super::storage::StorageError;

/// The Kafka error code for a storage failure.
pub fn storage_error_code(e: &StorageError) -> i16 {
    match e {
        StorageError::CorruptBatch(_) | StorageError::UnsupportedMagic(_) => {
            ResponseError::CorruptMessage.code()
        }
        StorageError::Invalid(_) => ResponseError::InvalidRecord.code(),
        StorageError::MessageTooLarge { .. } => ResponseError::MessageTooLarge.code(),
        StorageError::OffsetOutOfRange { .. } => ResponseError::OffsetOutOfRange.code(),
        StorageError::OutOfOrderSequence { .. } => ResponseError::OutOfOrderSequenceNumber.code(),
        StorageError::ProducerFenced { .. } => ResponseError::InvalidProducerEpoch.code(),
        StorageError::CoordinatorFenced { .. } => {
            ResponseError::TransactionCoordinatorFenced.code()
        }
        StorageError::InvalidTxnState(_) => ResponseError::InvalidTxnState.code(),
        StorageError::Io(_)
        | StorageError::Catalog { .. }
        | StorageError::WriteFailed { .. }
        | StorageError::Offline { .. }
        | StorageError::DataDirLocked { .. } => ResponseError::KafkaStorageError.code(),
    }
}

/// The Kafka error code for a failed topic operation.
pub fn topic_error_code(e: &TopicError) -> i16 {
    match e {
        TopicError::AlreadyExists(_) => ResponseError::TopicAlreadyExists,
        TopicError::InvalidName(_) => ResponseError::InvalidTopicException,
        TopicError::InvalidPartitions(_)
        | TopicError::InvalidPartitionCount(_)
        | TopicError::TooManyPartitions { .. } => ResponseError::InvalidPartitions,
        TopicError::InvalidReplicationFactor(_) => ResponseError::InvalidReplicationFactor,
        TopicError::InvalidConfig(_) => ResponseError::InvalidConfig,
        TopicError::Unknown(_) => ResponseError::UnknownTopicOrPartition,
        TopicError::Storage(_) | TopicError::PartitionDir { .. } => {
            ResponseError::KafkaStorageError
        }
    }
    .code()
}

pub fn message(s: impl ToString) -> Option<StrBytes> {
    Some(StrBytes::from_string(s.to_string()))
}
