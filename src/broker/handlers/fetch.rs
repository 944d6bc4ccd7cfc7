//! Fetch: whole batches, as stored, from the batch that contains the fetch
//! offset, each partition served once and sized by Kafka's rules. Long-polls
//! until `min_bytes` are available or `max_wait_ms` passes, woken by every
//! append.

use std::collections::hash_map::{Entry, HashMap};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use kafka_protocol::messages::fetch_request::FetchPartition;
use kafka_protocol::messages::fetch_response::{
    AbortedTransaction, FetchableTopicResponse, PartitionData,
};
use kafka_protocol::messages::{FetchRequest, FetchResponse, ProducerId, TopicName};
use kafka_protocol::ResponseError;
use tokio::time::Instant;

use super::storage_error_code;
use crate::broker::dispatch::Context;
use crate::broker::state::{State, Topic};
use crate::broker::storage::batch::{BatchHeader, LOG_OVERHEAD};

/// Longest a fetch may wait, whatever the client asks, so that a connection
/// is never parked indefinitely.
const MAX_WAIT_CAP: Duration = Duration::from_secs(30);

pub async fn fetch(
    state: &State,
    ctx: &Context,
    request: FetchRequest,
) -> anyhow::Result<FetchResponse> {
    if request.session_id != 0 {
        // This broker never hands out fetch sessions, so any id is unknown.
        return Ok(
            FetchResponse::default().with_error_code(ResponseError::FetchSessionIdNotFound.code())
        );
    }
    let wait = Duration::from_millis(request.max_wait_ms.max(0) as u64).min(MAX_WAIT_CAP);
    let deadline = Instant::now() + wait;
    let min_bytes = request.min_bytes.max(0) as usize;
    loop {
        // Register for wake-ups before reading, so an append between the read
        // and the wait is not missed.
        let appended = state.appended.notified();
        tokio::pin!(appended);
        appended.as_mut().enable();
        let (response, bytes, failed) = read_all(state, &request, ctx.version())?;
        if bytes >= min_bytes || failed || Instant::now() >= deadline {
            return Ok(response);
        }
        tokio::select! {
            _ = appended => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

/// Kafka's broker-side `fetch.max.bytes` default: whatever a client asks,
/// one response carries at most this much record data (plus the one batch
/// that may exceed it to make progress).
const FETCH_MAX_BYTES: usize = 55 * 1024 * 1024;

/// The partitions of a request, each once, in the order they first appear.
/// Kafka keys a fetch by partition, so a partition listed again replaces
/// the earlier entry (its offset and size limit win) and is served once.
fn distinct_partitions(request: &FetchRequest) -> Vec<(&TopicName, &FetchPartition)> {
    let mut order: Vec<(&TopicName, &FetchPartition)> = Vec::new();
    let mut seen: HashMap<(&str, i32), usize> = HashMap::new();
    for topic in &request.topics {
        for p in &topic.partitions {
            match seen.entry((topic.topic.as_str(), p.partition)) {
                Entry::Occupied(at) => order[*at.get()].1 = p,
                Entry::Vacant(slot) => {
                    slot.insert(order.len());
                    order.push((&topic.topic, p));
                }
            }
        }
    }
    order
}

/// One pass over the requested partitions: the response, the record bytes it
/// carries, and whether any partition failed (which ends the wait at once).
///
/// Sizes follow Kafka (KIP-74): `max_bytes` bounds the whole response and
/// `partition_max_bytes` each partition, in whole batches, except that the
/// first batch of the first partition with data is returned even when it is
/// larger than either (or when they are 0), so a consumer always makes
/// progress. Negative sizes count as 0.
fn read_all(
    state: &State,
    request: &FetchRequest,
    version: i16,
) -> anyhow::Result<(FetchResponse, usize, bool)> {
    let mut limit = (request.max_bytes.max(0) as usize).min(FETCH_MAX_BYTES);
    let mut at_least_one = true;
    let read_committed = request.isolation_level == 1;
    let mut total = 0usize;
    let mut failed = false;
    let mut responses: Vec<FetchableTopicResponse> = Vec::new();
    let mut topic: Option<(&TopicName, Option<Arc<Topic>>)> = None;
    for (name, fp) in distinct_partitions(request) {
        if topic.as_ref().is_none_or(|(t, _)| *t != name) {
            topic = Some((name, state.topic(name.as_str())));
            responses.push(FetchableTopicResponse::default().with_topic(name.clone()));
        }
        let found = topic.as_ref().and_then(|(_, t)| t.as_ref());
        let mut out = PartitionData::default()
            .with_partition_index(fp.partition)
            .with_high_watermark(-1)
            .with_last_stable_offset(-1)
            .with_log_start_offset(-1)
            .with_records(Some(Bytes::new()));
        if read_committed {
            out.aborted_transactions = Some(Vec::new());
        }
        match found.and_then(|t| t.partition(fp.partition)) {
            None => {
                out.error_code = ResponseError::UnknownTopicOrPartition.code();
                failed = true;
            }
            Some(partition) => {
                let slice = {
                    let log = partition.log();
                    out.high_watermark = log.log_end_offset();
                    out.last_stable_offset = log.last_stable_offset();
                    if version >= 5 {
                        out.log_start_offset = log.log_start_offset();
                    }
                    // read_committed stops at the LSO (Kafka's
                    // FetchIsolation.TXN_COMMITTED).
                    if read_committed {
                        log.read_committed(fp.fetch_offset)
                    } else {
                        log.read(fp.fetch_offset)
                    }
                };
                let max = (fp.partition_max_bytes.max(0) as usize).min(limit);
                match slice {
                    Ok(Some(slice)) if max > 0 || at_least_one => {
                        match slice.read(max, at_least_one) {
                            Ok(records) => {
                                if !records.is_empty() {
                                    at_least_one = false;
                                }
                                limit = limit.saturating_sub(records.len());
                                total += records.len();
                                if read_committed {
                                    if let Some(upto) = end_offset(&records) {
                                        out.aborted_transactions = Some(
                                            partition
                                                .log()
                                                .aborted_transactions(fp.fetch_offset, upto)
                                                .into_iter()
                                                .map(|(producer_id, first_offset)| {
                                                    AbortedTransaction::default()
                                                        .with_producer_id(ProducerId(producer_id))
                                                        .with_first_offset(first_offset)
                                                })
                                                .collect(),
                                        );
                                    }
                                }
                                out.records = Some(records);
                            }
                            Err(e) => {
                                out.error_code = storage_error_code(&e);
                                failed = true;
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        out.error_code = storage_error_code(&e);
                        failed = true;
                    }
                }
            }
        }
        if let Some(last) = responses.last_mut() {
            last.partitions.push(out);
        }
    }
    Ok((
        FetchResponse::default().with_responses(responses),
        total,
        failed,
    ))
}

/// One past the last offset of the whole batches in `records`: the upper
/// bound of the aborted transactions a read_committed fetch lists.
fn end_offset(records: &[u8]) -> Option<i64> {
    let mut at = 0;
    let mut end = None;
    while let Some(h) = records.get(at..).and_then(BatchHeader::parse) {
        end = Some(h.last_offset() + 1);
        at += h.total_len().max(LOG_OVERHEAD);
    }
    end
}
