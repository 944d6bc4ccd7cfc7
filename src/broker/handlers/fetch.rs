//! Fetch: whole batches, as stored, from the batch that contains the fetch
//! offset. Long-polls until `min_bytes` are available or `max_wait_ms` passes,
//! woken by every append.

use std::time::Duration;

use bytes::Bytes;
use kafka_protocol::messages::fetch_response::{FetchableTopicResponse, PartitionData};
use kafka_protocol::messages::{FetchRequest, FetchResponse};
use kafka_protocol::ResponseError;
use tokio::time::Instant;

use super::storage_error_code;
use crate::broker::dispatch::Context;
use crate::broker::state::State;

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

/// One pass over the requested partitions: the response, the record bytes it
/// carries, and whether any partition failed (which ends the wait at once).
fn read_all(
    state: &State,
    request: &FetchRequest,
    version: i16,
) -> anyhow::Result<(FetchResponse, usize, bool)> {
    let max_bytes = if request.max_bytes <= 0 {
        usize::MAX
    } else {
        request.max_bytes as usize
    };
    let read_committed = request.isolation_level == 1;
    let mut total = 0usize;
    let mut failed = false;
    let mut responses = Vec::with_capacity(request.topics.len());
    for fetch_topic in &request.topics {
        let topic = state.topic(fetch_topic.topic.as_str());
        let mut partitions = Vec::with_capacity(fetch_topic.partitions.len());
        for fp in &fetch_topic.partitions {
            let mut out = PartitionData::default()
                .with_partition_index(fp.partition)
                .with_high_watermark(-1)
                .with_last_stable_offset(-1)
                .with_log_start_offset(-1)
                .with_records(Some(Bytes::new()));
            if read_committed {
                out.aborted_transactions = Some(Vec::new());
            }
            let Some(partition) = topic.as_ref().and_then(|t| t.partition(fp.partition)) else {
                out.error_code = ResponseError::UnknownTopicOrPartition.code();
                failed = true;
                partitions.push(out);
                continue;
            };
            let slice = {
                let log = partition.log();
                out.high_watermark = log.log_end_offset();
                out.last_stable_offset = log.log_end_offset();
                if version >= 5 {
                    out.log_start_offset = log.log_start_offset();
                }
                log.read(fp.fetch_offset)
            };
            match slice {
                Ok(Some(slice)) if total < max_bytes => {
                    let limit = (fp.partition_max_bytes.max(0) as usize).min(max_bytes - total);
                    match slice.read(limit, total == 0) {
                        Ok(records) => {
                            total += records.len();
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
            partitions.push(out);
        }
        responses.push(
            FetchableTopicResponse::default()
                .with_topic(fetch_topic.topic.clone())
                .with_partitions(partitions),
        );
    }
    Ok((
        FetchResponse::default().with_responses(responses),
        total,
        failed,
    ))
}
