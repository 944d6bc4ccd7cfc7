//! Offsets: ListOffsets (earliest, latest, max-timestamp, and by time through
//! each segment's time index), and the consumer groups' committed offsets
//! (OffsetCommit, OffsetFetch, OffsetDelete).

use bytes::Bytes;
use kafka_protocol::messages::list_offsets_response::{
    ListOffsetsPartitionResponse, ListOffsetsTopicResponse,
};
use kafka_protocol::messages::offset_commit_response::{
    OffsetCommitResponsePartition, OffsetCommitResponseTopic,
};
use kafka_protocol::messages::offset_delete_response::{
    OffsetDeleteResponsePartition, OffsetDeleteResponseTopic,
};
use kafka_protocol::messages::offset_fetch_response::{
    OffsetFetchResponseGroup, OffsetFetchResponsePartition, OffsetFetchResponsePartitions,
    OffsetFetchResponseTopic, OffsetFetchResponseTopics,
};
use kafka_protocol::messages::{
    ListOffsetsRequest, ListOffsetsResponse, OffsetCommitRequest, OffsetCommitResponse,
    OffsetDeleteRequest, OffsetDeleteResponse, OffsetFetchRequest, OffsetFetchResponse, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::RecordBatchDecoder;
use kafka_protocol::ResponseError;

use super::storage_error_code;
use crate::broker::coordinator::offsets::{CommittedOffset, OffsetRecord};
use crate::broker::dispatch::Context;
use crate::broker::state::{State, Topic};
use crate::broker::storage::{PartitionLog, StorageError};

const LATEST: i64 = -1;
const EARLIEST: i64 = -2;
const MAX_TIMESTAMP: i64 = -3;

pub async fn list_offsets(
    state: &State,
    ctx: &Context,
    request: ListOffsetsRequest,
) -> anyhow::Result<ListOffsetsResponse> {
    let mut topics = Vec::with_capacity(request.topics.len());
    let read_committed = request.isolation_level == 1;
    for t in request.topics {
        let topic = state.topic(t.name.as_str());
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for p in t.partitions {
            let mut out = ListOffsetsPartitionResponse::default()
                .with_partition_index(p.partition_index)
                .with_timestamp(-1)
                .with_offset(-1);
            if ctx.version() >= 4 {
                out.leader_epoch = 0;
            }
            match topic.as_ref().and_then(|t| t.partition(p.partition_index)) {
                None => out.error_code = ResponseError::UnknownTopicOrPartition.code(),
                Some(partition) => match lookup(&partition.log(), p.timestamp, read_committed) {
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
fn lookup(
    log: &PartitionLog,
    query: i64,
    read_committed: bool,
) -> Result<(i64, i64), StorageError> {
    match query {
        // A read_committed consumer's end is the last stable offset.
        LATEST if read_committed => Ok((log.last_stable_offset(), -1)),
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

/// Kafka's offset.metadata.max.bytes.
const MAX_METADATA: usize = 4096;

/// Why one partition's offset cannot be committed (OffsetCommit and
/// TxnOffsetCommit alike), if it cannot: the group's own error first, then
/// an unknown partition, then metadata over Kafka's limit.
pub(super) fn commit_error(
    group_error: Option<ResponseError>,
    topic: Option<&Topic>,
    partition: i32,
    metadata: &str,
) -> Option<ResponseError> {
    if group_error.is_some() {
        group_error
    } else if topic.and_then(|t| t.partition(partition)).is_none() {
        Some(ResponseError::UnknownTopicOrPartition)
    } else if metadata.len() > MAX_METADATA {
        Some(ResponseError::OffsetMetadataTooLarge)
    } else {
        None
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub async fn offset_commit(
    state: &State,
    ctx: &Context,
    request: OffsetCommitRequest,
) -> anyhow::Result<OffsetCommitResponse> {
    let group_error = if request.group_id.is_empty() {
        Some(ResponseError::InvalidGroupId)
    } else {
        state
            .groups
            .check_commit(
                &request.group_id,
                request.generation_id_or_member_epoch,
                &request.member_id,
            )
            .err()
    };
    let mut records = Vec::new();
    // (topic index, partition index) of each record, to report storage failures.
    let mut placed = Vec::new();
    let mut topics = Vec::with_capacity(request.topics.len());
    for (ti, t) in request.topics.into_iter().enumerate() {
        let topic = state.topic(t.name.as_str());
        let mut partitions = Vec::with_capacity(t.partitions.len());
        for (pi, p) in t.partitions.into_iter().enumerate() {
            let metadata = p
                .committed_metadata
                .map(|m| m.to_string())
                .unwrap_or_default();
            let error = if let Some(e) =
                commit_error(group_error, topic.as_deref(), p.partition_index, &metadata)
            {
                Some(e)
            } else {
                records.push(OffsetRecord {
                    group: request.group_id.to_string(),
                    topic: t.name.to_string(),
                    partition: p.partition_index,
                    value: Some(CommittedOffset {
                        offset: p.committed_offset,
                        leader_epoch: if ctx.version() >= 6 {
                            p.committed_leader_epoch
                        } else {
                            -1
                        },
                        metadata,
                        commit_timestamp: now_ms(),
                    }),
                });
                placed.push((ti, pi));
                None
            };
            partitions.push(
                OffsetCommitResponsePartition::default()
                    .with_partition_index(p.partition_index)
                    .with_error_code(error.map_or(0, |e| e.code())),
            );
        }
        topics.push(
            OffsetCommitResponseTopic::default()
                .with_name(t.name)
                .with_partitions(partitions),
        );
    }
    if !records.is_empty() {
        if let Err(e) = state
            .groups
            .commit_offsets(&state.internal(), records)
            .await
        {
            tracing::error!(group = %request.group_id.as_str(), error = %e, "offset commit not stored");
            for (ti, pi) in placed {
                topics[ti].partitions[pi].error_code = ResponseError::KafkaStorageError.code();
            }
        }
    }
    Ok(OffsetCommitResponse::default().with_topics(topics))
}

/// One group's committed offsets for the requested partitions (or all of
/// them), as `(topic, [(partition, offset, leader epoch, metadata, error)])`.
type Fetched = Vec<(String, Vec<(i32, i64, i32, String, i16)>)>;

/// With `require_stable`, a partition an open transaction holds an offset
/// for is answered UNSTABLE_OFFSET_COMMIT (KIP-447), as Kafka does.
fn fetch_group(
    state: &State,
    group: &str,
    wanted: Option<Vec<(String, Vec<i32>)>>,
    require_stable: bool,
) -> Fetched {
    let committed = state.groups.committed(group);
    match wanted {
        Some(topics) => topics
            .into_iter()
            .map(|(topic, partitions)| {
                let rows = partitions
                    .into_iter()
                    .map(|p| {
                        if require_stable && state.groups.has_pending_offset(group, &topic, p) {
                            return (
                                p,
                                -1,
                                -1,
                                String::new(),
                                ResponseError::UnstableOffsetCommit.code(),
                            );
                        }
                        match committed.get(&(topic.clone(), p)) {
                            Some(c) => (p, c.offset, c.leader_epoch, c.metadata.clone(), 0),
                            None => (p, -1, -1, String::new(), 0),
                        }
                    })
                    .collect();
                (topic, rows)
            })
            .collect(),
        None => {
            let mut out: Fetched = Vec::new();
            for ((topic, p), c) in committed {
                let unstable = require_stable && state.groups.has_pending_offset(group, &topic, p);
                let row = if unstable {
                    (
                        p,
                        -1,
                        -1,
                        String::new(),
                        ResponseError::UnstableOffsetCommit.code(),
                    )
                } else {
                    (p, c.offset, c.leader_epoch, c.metadata, 0)
                };
                match out.last_mut() {
                    Some((t, rows)) if *t == topic => rows.push(row),
                    _ => out.push((topic, vec![row])),
                }
            }
            out
        }
    }
}

pub async fn offset_fetch(
    state: &State,
    ctx: &Context,
    request: OffsetFetchRequest,
) -> anyhow::Result<OffsetFetchResponse> {
    let version = ctx.version();
    if version >= 8 {
        let groups = request
            .groups
            .into_iter()
            .map(|g| {
                // A KIP-848 member reads with its current epoch (v9).
                let member = if version >= 9 {
                    g.member_id.as_deref()
                } else {
                    None
                };
                if let Err(e) = state
                    .groups
                    .check_fetch(&g.group_id, member, g.member_epoch)
                {
                    return OffsetFetchResponseGroup::default()
                        .with_group_id(g.group_id)
                        .with_error_code(e.code());
                }
                let wanted = g.topics.map(|ts| {
                    ts.into_iter()
                        .map(|t| (t.name.to_string(), t.partition_indexes))
                        .collect()
                });
                let topics = fetch_group(state, &g.group_id, wanted, request.require_stable)
                    .into_iter()
                    .map(|(topic, rows)| {
                        OffsetFetchResponseTopics::default()
                            .with_name(TopicName(StrBytes::from_string(topic)))
                            .with_partitions(
                                rows.into_iter()
                                    .map(|(p, offset, epoch, metadata, error)| {
                                        OffsetFetchResponsePartitions::default()
                                            .with_partition_index(p)
                                            .with_error_code(error)
                                            .with_committed_offset(offset)
                                            .with_committed_leader_epoch(epoch)
                                            .with_metadata(Some(StrBytes::from_string(metadata)))
                                    })
                                    .collect(),
                            )
                    })
                    .collect();
                OffsetFetchResponseGroup::default()
                    .with_group_id(g.group_id)
                    .with_topics(topics)
            })
            .collect();
        return Ok(OffsetFetchResponse::default().with_groups(groups));
    }
    let wanted = request.topics.map(|ts| {
        ts.into_iter()
            .map(|t| (t.name.to_string(), t.partition_indexes))
            .collect()
    });
    let require_stable = version >= 7 && request.require_stable;
    let topics = fetch_group(state, &request.group_id, wanted, require_stable)
        .into_iter()
        .map(|(topic, rows)| {
            OffsetFetchResponseTopic::default()
                .with_name(TopicName(StrBytes::from_string(topic)))
                .with_partitions(
                    rows.into_iter()
                        .map(|(p, offset, epoch, metadata, error)| {
                            let out = OffsetFetchResponsePartition::default()
                                .with_partition_index(p)
                                .with_error_code(error)
                                .with_committed_offset(offset)
                                .with_metadata(Some(StrBytes::from_string(metadata)));
                            if version >= 5 {
                                out.with_committed_leader_epoch(epoch)
                            } else {
                                out
                            }
                        })
                        .collect(),
                )
        })
        .collect();
    Ok(OffsetFetchResponse::default().with_topics(topics))
}

pub async fn offset_delete(
    state: &State,
    _ctx: &Context,
    request: OffsetDeleteRequest,
) -> anyhow::Result<OffsetDeleteResponse> {
    if state.groups.summary(&request.group_id).is_none() {
        return Ok(
            OffsetDeleteResponse::default().with_error_code(ResponseError::GroupIdNotFound.code())
        );
    }
    let subscribed = state.groups.subscribed_topics(&request.group_id);
    let mut tombstones = Vec::new();
    let mut topics = Vec::with_capacity(request.topics.len());
    for t in request.topics {
        let busy = subscribed.iter().any(|s| s == t.name.as_str());
        let partitions = t
            .partitions
            .into_iter()
            .map(|p| {
                let code = if busy {
                    ResponseError::GroupSubscribedToTopic.code()
                } else {
                    tombstones.push(OffsetRecord {
                        group: request.group_id.to_string(),
                        topic: t.name.to_string(),
                        partition: p.partition_index,
                        value: None,
                    });
                    0
                };
                OffsetDeleteResponsePartition::default()
                    .with_partition_index(p.partition_index)
                    .with_error_code(code)
            })
            .collect();
        topics.push(
            OffsetDeleteResponseTopic::default()
                .with_name(t.name)
                .with_partitions(partitions),
        );
    }
    let mut response = OffsetDeleteResponse::default().with_topics(topics);
    if !tombstones.is_empty() {
        if let Err(e) = state
            .groups
            .commit_offsets(&state.internal(), tombstones)
            .await
        {
            tracing::error!(error = %e, "offset delete not stored");
            response.error_code = ResponseError::KafkaStorageError.code();
        }
    }
    Ok(response)
}
