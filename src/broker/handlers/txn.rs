//! Producer ids and transactions: InitProducerId (idempotent and
//! transactional), AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
//! TxnOffsetCommit, WriteTxnMarkers, DescribeTransactions and
//! ListTransactions. The state lives in the coordinators; these functions
//! turn requests into their calls and results into responses.

use std::collections::BTreeSet;

use kafka_protocol::messages::add_partitions_to_txn_response::{
    AddPartitionsToTxnPartitionResult, AddPartitionsToTxnTopicResult,
};
use kafka_protocol::messages::describe_transactions_response::{self, TopicData};
use kafka_protocol::messages::list_transactions_response;
use kafka_protocol::messages::txn_offset_commit_response::{
    TxnOffsetCommitResponsePartition, TxnOffsetCommitResponseTopic,
};
use kafka_protocol::messages::write_txn_markers_response::{
    WritableTxnMarkerPartitionResult, WritableTxnMarkerResult, WritableTxnMarkerTopicResult,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::offsets::commit_error;
use super::{storage_error_code, topic_error_code};
use crate::broker::coordinator::offsets::{CommittedOffset, OffsetRecord, OFFSETS_TOPIC};
use crate::broker::coordinator::transaction_log::{TxnRecord, TxnState};
use crate::broker::coordinator::transactions::{write_markers, Marker};
use crate::broker::dispatch::Context;
use crate::broker::state::{State, TopicError};
use crate::broker::storage::log::now_ms;
use crate::broker::storage::StorageError;

/// Clients older than the version that introduced PRODUCER_FENCED
/// understand only INVALID_PRODUCER_EPOCH, as Kafka's KafkaApis maps it.
fn fenced_for(version: i16, since: i16, e: ResponseError) -> ResponseError {
    if e == ResponseError::ProducerFenced && version < since {
        ResponseError::InvalidProducerEpoch
    } else {
        e
    }
}

fn new_producer_id(state: &State) -> Result<i64, ResponseError> {
    state.new_producer_id().map_err(|e| {
        tracing::error!(error = %e, "cannot reserve producer ids");
        ResponseError::KafkaStorageError
    })
}

pub async fn init_producer_id(
    state: &State,
    ctx: &Context,
    request: InitProducerIdRequest,
) -> anyhow::Result<InitProducerIdResponse> {
    let mut response = InitProducerIdResponse::default()
        .with_producer_id(ProducerId(-1))
        .with_producer_epoch(-1);
    let expected = (request.producer_id.0 >= 0 && request.producer_epoch >= 0)
        .then_some((request.producer_id.0, request.producer_epoch));
    let result = match &request.transactional_id {
        Some(id) => {
            state
                .transactions
                .init_producer_id(
                    &state.internal(),
                    &state.groups,
                    id.as_str(),
                    request.transaction_timeout_ms,
                    expected,
                    || new_producer_id(state),
                )
                .await
        }
        None => match expected {
            // KIP-360: an idempotent producer bumping its own epoch after an error.
            Some((id, epoch)) if epoch < i16::MAX - 1 => Ok((id, epoch + 1)),
            _ => new_producer_id(state).map(|id| (id, 0)),
        },
    };
    match result {
        Ok((id, epoch)) => {
            response.producer_id = ProducerId(id);
            response.producer_epoch = epoch;
        }
        Err(e) => response.error_code = fenced_for(ctx.version(), 4, e).code(),
    }
    Ok(response)
}

pub async fn add_partitions_to_txn(
    state: &State,
    ctx: &Context,
    request: AddPartitionsToTxnRequest,
) -> anyhow::Result<AddPartitionsToTxnResponse> {
    // Partitions that do not exist fail alone; the others are not attempted.
    let mut unknown = BTreeSet::new();
    let mut wanted = Vec::new();
    for t in &request.v3_and_below_topics {
        let topic = state.topic(t.name.as_str());
        for p in &t.partitions {
            if topic.as_ref().and_then(|t| t.partition(*p)).is_none() {
                unknown.insert((t.name.to_string(), *p));
            } else {
                wanted.push((t.name.to_string(), *p));
            }
        }
    }
    let error = if !unknown.is_empty() {
        None
    } else {
        state
            .transactions
            .add_partitions(
                &state.internal(),
                request.v3_and_below_transactional_id.as_str(),
                request.v3_and_below_producer_id.0,
                request.v3_and_below_producer_epoch,
                &wanted,
            )
            .await
            .err()
            .map(|e| fenced_for(ctx.version(), 2, e))
    };
    let results = request
        .v3_and_below_topics
        .into_iter()
        .map(|t| {
            let name = t.name.to_string();
            AddPartitionsToTxnTopicResult::default()
                .with_name(t.name)
                .with_results_by_partition(
                    t.partitions
                        .into_iter()
                        .map(|p| {
                            let code = if unknown.contains(&(name.clone(), p)) {
                                ResponseError::UnknownTopicOrPartition.code()
                            } else if !unknown.is_empty() {
                                ResponseError::OperationNotAttempted.code()
                            } else {
                                error.map_or(0, |e| e.code())
                            };
                            AddPartitionsToTxnPartitionResult::default()
                                .with_partition_index(p)
                                .with_partition_error_code(code)
                        })
                        .collect(),
                )
        })
        .collect();
    Ok(AddPartitionsToTxnResponse::default().with_results_by_topic_v3_and_below(results))
}

pub async fn add_offsets_to_txn(
    state: &State,
    ctx: &Context,
    request: AddOffsetsToTxnRequest,
) -> anyhow::Result<AddOffsetsToTxnResponse> {
    let error = if request.group_id.is_empty() {
        Some(ResponseError::InvalidGroupId)
    } else {
        let io = state.internal();
        match state
            .groups
            .offsets_partition(&io, request.group_id.as_str())
        {
            Err(e) => {
                tracing::error!(error = %e, "cannot create {OFFSETS_TOPIC}");
                Some(ResponseError::CoordinatorNotAvailable)
            }
            Ok(partition) => state
                .transactions
                .add_partitions(
                    &io,
                    request.transactional_id.as_str(),
                    request.producer_id.0,
                    request.producer_epoch,
                    &[(OFFSETS_TOPIC.to_string(), partition)],
                )
                .await
                .err()
                .map(|e| fenced_for(ctx.version(), 2, e)),
        }
    };
    Ok(AddOffsetsToTxnResponse::default().with_error_code(error.map_or(0, |e| e.code())))
}

pub async fn end_txn(
    state: &State,
    ctx: &Context,
    request: EndTxnRequest,
) -> anyhow::Result<EndTxnResponse> {
    let result = state
        .transactions
        .end_txn(
            &state.internal(),
            &state.groups,
            request.transactional_id.as_str(),
            request.producer_id.0,
            request.producer_epoch,
            request.committed,
        )
        .await;
    let mut response = EndTxnResponse::default()
        .with_producer_id(ProducerId(-1))
        .with_producer_epoch(-1);
    match result {
        Ok((id, epoch)) => {
            response.producer_id = ProducerId(id);
            response.producer_epoch = epoch;
        }
        Err(e) => response.error_code = fenced_for(ctx.version(), 2, e).code(),
    }
    Ok(response)
}

/// TxnOffsetCommit: the offsets are written to `__consumer_offsets` in a
/// transactional batch of the producer, and stay pending (invisible to
/// OffsetFetch) until the transaction's COMMIT marker lands there.
pub async fn txn_offset_commit(
    state: &State,
    ctx: &Context,
    request: TxnOffsetCommitRequest,
) -> anyhow::Result<TxnOffsetCommitResponse> {
    let group = request.group_id.to_string();
    let group_error = if group.is_empty() || request.transactional_id.is_empty() {
        Some(ResponseError::InvalidGroupId)
    } else if ctx.version() >= 3 {
        state
            .groups
            .check_txn_commit(&group, request.generation_id, &request.member_id)
            .err()
    } else {
        None
    };
    let now = now_ms();
    let mut records = Vec::new();
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
                    group: group.clone(),
                    topic: t.name.to_string(),
                    partition: p.partition_index,
                    value: Some(CommittedOffset {
                        offset: p.committed_offset,
                        leader_epoch: if ctx.version() >= 2 {
                            p.committed_leader_epoch
                        } else {
                            -1
                        },
                        metadata,
                        commit_timestamp: now,
                    }),
                });
                placed.push((ti, pi));
                None
            };
            partitions.push(
                TxnOffsetCommitResponsePartition::default()
                    .with_partition_index(p.partition_index)
                    .with_error_code(error.map_or(0, |e| e.code())),
            );
        }
        topics.push(
            TxnOffsetCommitResponseTopic::default()
                .with_name(t.name)
                .with_partitions(partitions),
        );
    }
    if !records.is_empty() {
        let stored = state
            .groups
            .commit_txn_offsets(
                &state.internal(),
                (request.producer_id.0, request.producer_epoch),
                records,
            )
            .await;
        if let Err(e) = stored {
            let code = match &e {
                TopicError::Storage(StorageError::ProducerFenced { .. }) => {
                    ResponseError::ProducerFenced.code()
                }
                e => {
                    tracing::error!(group = %group, error = %e, "transactional offset commit not stored");
                    topic_error_code(e)
                }
            };
            for (ti, pi) in placed {
                topics[ti].partitions[pi].error_code = code;
            }
        }
    }
    Ok(TxnOffsetCommitResponse::default().with_topics(topics))
}

/// WriteTxnMarkers: what a coordinator sends a partition leader; here also
/// how `dq transactions abort` (kafka-transactions.sh abort) ends a hanging
/// transaction.
pub async fn write_txn_markers(
    state: &State,
    _ctx: &Context,
    request: WriteTxnMarkersRequest,
) -> anyhow::Result<WriteTxnMarkersResponse> {
    let io = state.internal();
    let mut markers = Vec::with_capacity(request.markers.len());
    for m in request.markers {
        let mut topics = Vec::with_capacity(m.topics.len());
        for t in m.topics {
            let topic = state.topic(t.name.as_str());
            let mut partitions = Vec::with_capacity(t.partition_indexes.len());
            for p in t.partition_indexes {
                let code = if topic.as_ref().and_then(|t| t.partition(p)).is_none() {
                    ResponseError::UnknownTopicOrPartition.code()
                } else {
                    let one: BTreeSet<_> = [(t.name.to_string(), p)].into();
                    let marker = Marker {
                        producer_id: m.producer_id.0,
                        producer_epoch: m.producer_epoch,
                        commit: m.transaction_result,
                        coordinator_epoch: m.coordinator_epoch,
                    };
                    match write_markers(&io, &state.groups, marker, &one).await {
                        Ok(()) => 0,
                        Err(failed) => failed.first().map_or(0, |f| {
                            tracing::warn!(error = %f, "WriteTxnMarkers: marker not written");
                            storage_error_code(&f.error)
                        }),
                    }
                };
                partitions.push(
                    WritableTxnMarkerPartitionResult::default()
                        .with_partition_index(p)
                        .with_error_code(code),
                );
            }
            topics.push(
                WritableTxnMarkerTopicResult::default()
                    .with_name(t.name)
                    .with_partitions(partitions),
            );
        }
        markers.push(
            WritableTxnMarkerResult::default()
                .with_producer_id(m.producer_id)
                .with_topics(topics),
        );
    }
    Ok(WriteTxnMarkersResponse::default().with_markers(markers))
}

fn topics_of(r: &TxnRecord) -> Vec<TopicData> {
    let mut out: Vec<TopicData> = Vec::new();
    for (t, p) in &r.partitions {
        match out.last_mut() {
            Some(last) if last.topic.as_str() == t => last.partitions.push(*p),
            _ => out.push(
                TopicData::default()
                    .with_topic(TopicName(StrBytes::from_string(t.clone())))
                    .with_partitions(vec![*p]),
            ),
        }
    }
    out
}

pub async fn describe_transactions(
    state: &State,
    _ctx: &Context,
    request: DescribeTransactionsRequest,
) -> anyhow::Result<DescribeTransactionsResponse> {
    let states = request
        .transactional_ids
        .into_iter()
        .map(|id| {
            let out = describe_transactions_response::TransactionState::default()
                .with_transaction_state(StrBytes::from_static_str(""))
                .with_transaction_start_time_ms(-1)
                .with_producer_id(ProducerId(-1))
                .with_producer_epoch(-1);
            match state.transactions.describe(id.as_str()) {
                None => out
                    .with_transactional_id(id)
                    .with_error_code(ResponseError::TransactionalIdNotFound.code()),
                Some(d) => out
                    .with_transactional_id(id)
                    .with_transaction_state(StrBytes::from_static_str(d.record.state.name()))
                    .with_transaction_timeout_ms(d.record.timeout_ms)
                    .with_transaction_start_time_ms(d.record.start_ms)
                    .with_producer_id(ProducerId(d.record.producer_id))
                    .with_producer_epoch(d.record.producer_epoch)
                    .with_topics(topics_of(&d.record)),
            }
        })
        .collect();
    Ok(DescribeTransactionsResponse::default().with_transaction_states(states))
}

pub async fn list_transactions(
    state: &State,
    ctx: &Context,
    request: ListTransactionsRequest,
) -> anyhow::Result<ListTransactionsResponse> {
    let mut states = Vec::new();
    let mut unknown = Vec::new();
    for name in request.state_filters {
        match TxnState::from_name(name.as_str()) {
            Some(s) => states.push(s),
            None => unknown.push(name),
        }
    }
    let producer_ids: Vec<i64> = request.producer_id_filters.iter().map(|p| p.0).collect();
    let min_duration = if ctx.version() >= 1 {
        request.duration_filter
    } else {
        -1
    };
    let listed = if !unknown.is_empty() && states.is_empty() {
        // Only states that do not exist were asked for: nothing matches.
        Vec::new()
    } else {
        state
            .transactions
            .list(&producer_ids, &states, min_duration)
    };
    Ok(ListTransactionsResponse::default()
        .with_unknown_state_filters(unknown)
        .with_transaction_states(
            listed
                .into_iter()
                .map(|d| {
                    list_transactions_response::TransactionState::default()
                        .with_transactional_id(TransactionalId(StrBytes::from_string(
                            d.transactional_id,
                        )))
                        .with_producer_id(ProducerId(d.record.producer_id))
                        .with_transaction_state(StrBytes::from_static_str(d.record.state.name()))
                })
                .collect(),
        ))
}
