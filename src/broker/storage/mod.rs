//! Durable state in Kafka's own on-disk format. This module sees raw record
//! batch bytes and plain values only, never protocol request types.
//!
//! - [`catalog`]: which topics exist, their ids, partition counts and configs;
//! - [`log`]: one partition's segments, appends and reads;
//! - [`segment`], [`index`], [`batch`]: the files and byte layouts under it;
//! - [`validate`]: Kafka's log validator for what clients produce;
//! - [`files`]: the broker-wide bound on open segment files.

pub mod batch;
pub mod catalog;
pub mod cleaner;
pub mod config;
pub mod files;
pub mod index;
pub mod log;
pub mod producers;
pub mod segment;
pub mod validate;

pub use catalog::{Catalog, TopicDef};
pub use log::{AppendInfo, LogConfig, Origin, PartitionLog, ReadSlice};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("corrupt record batch: {0}")]
    CorruptBatch(&'static str),
    #[error("record batch magic {0} is not supported (only v2 batches are)")]
    UnsupportedMagic(i8),
    #[error("record batch of {size} bytes is larger than max.message.bytes ({max})")]
    MessageTooLarge { size: usize, max: usize },
    #[error("offset {offset} is outside the log ({start}..{end})")]
    OffsetOutOfRange { offset: i64, start: i64, end: i64 },
    #[error("producer {producer_id} sent sequence {got}, expected {expected}")]
    OutOfOrderSequence {
        producer_id: i64,
        expected: i32,
        got: i32,
    },
    #[error("producer {producer_id} epoch {epoch} is fenced by epoch {current}")]
    ProducerFenced {
        producer_id: i64,
        epoch: i16,
        current: i16,
    },
    /// Refused by the log validator (Kafka's InvalidRecordException, or
    /// records the topic's configs forbid).
    #[error(transparent)]
    Invalid(#[from] validate::Invalid),
    #[error("{context}: {source}")]
    Catalog {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
