//! ListOffsets: earliest, latest, max-timestamp, and offset-for-timestamp
//! through each segment's time index.

use bytes::Bytes;
use kafka_protocol::messages::list_offsets_response::{
    ListOffsetsPartitionResponse, ListOffsetsTopicResponse,
};
use kafka_protocol::messages::{ListOffsetsRequest, ListOffsetsResponse, RequestHeader};
use kafka_protocol::records::RecordBatchDecoder;
use kafka_protocol::ResponseError;

use super::storage_error_code;
use crate::broker::state::State;
use crate::broker::storage::{PartitionLog, StorageError};

const LATEST: i64 = -1;
const EARLIEST: i64 = -2;
const MAX_TIMESTAMP: i64 = -3;

pub async fn list_offsets(
    state: &State,
    header: &RequestHeader,
    request: ListOffsetsRequest,
) -> anyhow::Result<ListOffsetsResponse> {
    let mut topics = Vec::with_capacity(request.topics.len());
    for t in request.topics {
        let topic = state.topic(t.name.as_str());
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for p in t.partitions {
            let mut out = ListOffsetsPartitionResponse::default()
                .with_partition_index(p.partition_index)
                .with_timestamp(-1)
                .with_offset(-1);
            if header.request_api_version >= 4 {
                out.leader_epoch = 0;
            }
            match topic.as_ref().and_then(|t| t.partition(p.partition_index)) {
                None => out.error_code = ResponseError::UnknownTopicOrPartition.code(),
                Some(partition) => match lookup(&partition.log(), p.timestamp) {
                    Ok((offset, timestamp)) => {
                        out.offset = offset;
                        out.timestamp = timestamp;
                    }
                    Err(e) => out.error_code = storage_error_code(&e),
                },
            }
            partitions.push(out);
        }
        topics.push(
            ListOffsetsTopicResponse::default()
                .with_name(t.name)
                .with_partitions(partitions),
        );
    }
    Ok(ListOffsetsResponse::default().with_topics(topics))
}

/// `(offset, timestamp)` for one ListOffsets query; `(-1, -1)` when no record
/// has a timestamp that late.
fn lookup(log: &PartitionLog, query: i64) -> Result<(i64, i64), StorageError> {
    match query {
        LATEST => Ok((log.log_end_offset(), -1)),
        EARLIEST => Ok((log.log_start_offset(), -1)),
        MAX_TIMESTAMP => match log.max_timestamp() {
            Some(ts) => first_at_or_after(log, ts),
            None => Ok((-1, -1)),
        },
        ts => first_at_or_after(log, ts),
    }
}

/// The first record whose timestamp is at least `ts`, found by decoding the
/// one batch the time index points at.
fn first_at_or_after(log: &PartitionLog, ts: i64) -> Result<(i64, i64), StorageError> {
    let Some(mut batch): Option<Bytes> = log.batch_for_timestamp(ts)? else {
        return Ok((-1, -1));
    };
    let set = RecordBatchDecoder::decode(&mut batch)
        .map_err(|_| StorageError::CorruptBatch("stored batch could not be decoded"))?;
    Ok(set
        .records
        .iter()
        .find(|r| r.timestamp >= ts)
        .map_or((-1, -1), |r| (r.offset, r.timestamp)))
}
