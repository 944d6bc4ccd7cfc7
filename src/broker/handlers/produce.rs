//! Produce: validate each partition's batches, append them, and for acks=all
//! wait for the group-commit flusher before answering.

use std::fs::File;
use std::sync::Arc;

use kafka_protocol::messages::produce_response::{
    BatchIndexAndErrorMessage, PartitionProduceResponse, TopicProduceResponse,
};
use kafka_protocol::messages::{ProduceRequest, ProduceResponse};
use kafka_protocol::ResponseError;

use super::{message, storage_error_code};
use crate::broker::dispatch::Context;
use crate::broker::state::{is_internal, Partition, State};
use crate::broker::storage::validate::Invalid;
use crate::broker::storage::{Origin, StorageError};

/// An acks=all append waiting for its fdatasync.
struct PendingSync {
    /// Where its answer sits in the response.
    topic: usize,
    partition: usize,
    log: Arc<Partition>,
    file: Arc<File>,
    /// The log end offset after the append, known flushed once the sync is.
    end: i64,
}

pub async fn produce(
    state: &State,
    ctx: &Context,
    request: ProduceRequest,
) -> anyhow::Result<ProduceResponse> {
    let acks = request.acks;
    let version = ctx.version();
    let mut responses = Vec::with_capacity(request.topic_data.len());
    let mut to_sync: Vec<PendingSync> = Vec::new();
    let mut appended = false;

    for topic_data in request.topic_data {
        let topic = state.topic(topic_data.name.as_str());
        let mut partitions = Vec::with_capacity(topic_data.partition_data.len());
        for data in topic_data.partition_data {
            let mut out = PartitionProduceResponse::default()
                .with_index(data.index)
                .with_base_offset(-1)
                .with_log_append_time_ms(-1)
                .with_log_start_offset(-1);
            let partition = topic.as_ref().and_then(|t| t.partition(data.index));
            match (partition, data.records) {
                _ if !matches!(acks, -1..=1) => {
                    out.error_code = ResponseError::InvalidRequiredAcks.code();
                }
                (None, _) => out.error_code = ResponseError::UnknownTopicOrPartition.code(),
                // Written by the broker alone (committed offsets).
                (Some(_), _) if is_internal(topic_data.name.as_str()) => {
                    out.error_code = ResponseError::InvalidTopicException.code();
                }
                (Some(_), None) => {
                    out.error_code = ResponseError::CorruptMessage.code();
                    if version >= 8 {
                        out.error_message = message("produce request without records");
                    }
                }
                (Some(partition), Some(records)) => {
                    let mut log = partition.log();
                    match log.append(&records, Origin::Client) {
                        Ok(info) => {
                            out.base_offset = info.base_offset;
                            if let Some(t) = info.log_append_time {
                                out.log_append_time_ms = t;
                            }
                            if version >= 5 {
                                out.log_start_offset = log.log_start_offset();
                            }
                            appended = true;
                            if acks == -1 {
                                to_sync.push(PendingSync {
                                    topic: responses.len(),
                                    partition: partitions.len(),
                                    log: partition.clone(),
                                    file: log.active_file(),
                                    end: log.log_end_offset(),
                                });
                            }
                        }
                        Err(e) => {
                            refuse(&mut out, &e, version);
                            tracing::debug!(topic = %topic_data.name.as_str(), partition = data.index, error = %e, "produce refused");
                        }
                    }
                }
            }
            partitions.push(out);
        }
        responses.push(
            TopicProduceResponse::default()
                .with_name(topic_data.name)
                .with_partition_responses(partitions),
        );
    }
    if appended {
        state.appended.notify_waiters();
    }

    // Ask for every sync before waiting on any, so they share flusher rounds.
    let waits: Vec<_> = to_sync
        .into_iter()
        .map(|pending| {
            let wait = state.flusher.sync(pending.file.clone());
            (pending, wait)
        })
        .collect();
    for (pending, wait) in waits {
        match wait.await {
            Ok(()) => pending.log.log().mark_flushed(pending.end),
            Err(e) => {
                // Never retried: the partition goes offline (see `sync_failed`).
                let e = pending.log.log().sync_failed(&e);
                let out = &mut responses[pending.topic].partition_responses[pending.partition];
                out.error_code = ResponseError::KafkaStorageError.code();
                if version >= 8 {
                    out.error_message = message(&e);
                }
            }
        }
    }

    Ok(ProduceResponse::default().with_responses(responses))
}

/// Fills in why a partition's records were refused. Records the validator
/// named go into `record_errors` (v8+), so a client fails only those; the
/// error codes Produce v8 introduced are CORRUPT_MESSAGE to older clients.
fn refuse(out: &mut PartitionProduceResponse, e: &StorageError, version: i16) {
    let v8 = version >= 8;
    out.error_code = match e {
        StorageError::Invalid(Invalid::Records {
            timestamp: true, ..
        }) => ResponseError::InvalidTimestamp.code(),
        StorageError::Invalid(_) if v8 => ResponseError::InvalidRecord.code(),
        StorageError::Invalid(_) => ResponseError::CorruptMessage.code(),
        _ => storage_error_code(e),
    };
    if !v8 {
        return;
    }
    out.error_message = message(e);
    if let StorageError::Invalid(Invalid::Records { errors, .. }) = e {
        out.record_errors = errors
            .iter()
            .map(|r| {
                BatchIndexAndErrorMessage::default()
                    .with_batch_index(r.batch_index)
                    .with_batch_index_error_message(message(&r.message))
            })
            .collect();
    }
}
