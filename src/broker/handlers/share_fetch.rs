//! ShareFetch and ShareAcknowledge (KIP-932): share sessions per (group,
//! member) with their epochs, acknowledgements (alone or piggybacked on a
//! fetch), and fetches that acquire records for the member and return the
//! whole batches holding them, long-polling as Fetch does. Also the share
//! groups' offsets: DescribeShareGroupOffsets, AlterShareGroupOffsets and
//! DeleteShareGroupOffsets.

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use kafka_protocol::messages::describe_share_group_offsets_response::{
    DescribeShareGroupOffsetsResponseGroup, DescribeShareGroupOffsetsResponsePartition,
    DescribeShareGroupOffsetsResponseTopic,
};
use kafka_protocol::messages::share_acknowledge_response::{
    PartitionData as AckPartitionData, ShareAcknowledgeTopicResponse,
};
use kafka_protocol::messages::share_fetch_response::{
    AcquiredRecords, LeaderIdAndEpoch, PartitionData, ShareFetchableTopicResponse,
};
use kafka_protocol::messages::{
    alter_share_group_offsets_response, delete_share_group_offsets_response,
    AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse, DeleteShareGroupOffsetsRequest,
    DeleteShareGroupOffsetsResponse, DescribeShareGroupOffsetsRequest,
    DescribeShareGroupOffsetsResponse, ShareAcknowledgeRequest, ShareAcknowledgeResponse,
    ShareFetchRequest, ShareFetchResponse, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use tokio::time::Instant;
use uuid::Uuid;

use super::{message, storage_error_code, topic_error_code};
use crate::broker::coordinator::share::partition::{
    settings, AckBatch, AckError, AckType, Acquired, ShareSession,
};
use crate::broker::dispatch::Context;
use crate::broker::state::State;

/// Longest a share fetch may wait, whatever the client asks.
const MAX_WAIT_CAP: Duration = Duration::from_secs(30);

/// Kafka's fetch.max.bytes: the most record data one response carries
/// (plus the one batch that may exceed it).
const FETCH_MAX_BYTES: usize = 55 * 1024 * 1024;

/// Records per fetch when the request leaves max_records at 0 (Kafka's
/// max.poll.records default).
const DEFAULT_MAX_RECORDS: usize = 500;

type Tp = (Uuid, i32);

/// The tag of DescribeShareGroupOffsets' partition field that carries the
/// records in flight (int64), for dq's CLI.
pub const IN_FLIGHT_TAG: i32 = 10000;

/// What a request's acknowledgements for one partition are.
type Acks = Result<Vec<AckBatch>, &'static str>;

/// Checks acknowledgement batches as Kafka does: each `first <= last`, in
/// ascending order without overlap, with one type or one per offset, each
/// a known type.
fn check_acks<'a>(batches: impl Iterator<Item = (i64, i64, &'a [i8])>) -> Acks {
    let mut out = Vec::new();
    let mut prev_last: Option<i64> = None;
    for (first, last, types) in batches {
        if first < 0 || last < first {
            return Err("an acknowledgement batch ends before it starts");
        }
        if prev_last.is_some_and(|p| first <= p) {
            return Err("acknowledgement batches overlap or are out of order");
        }
        prev_last = Some(last);
        let span = (last - first).checked_add(1).unwrap_or(i64::MAX);
        if types.is_empty() || (types.len() != 1 && types.len() as i64 != span) {
            return Err("acknowledgement types must be one, or one per offset");
        }
        let types = types
            .iter()
            .map(|t| AckType::from_wire(*t))
            .collect::<Option<Vec<_>>>()
            .ok_or("unknown acknowledgement type")?;
        out.push(AckBatch { first, last, types });
    }
    Ok(out)
}

/// The request's group and member ids, both required.
fn ids(
    group: Option<&str>,
    member: Option<&str>,
) -> Result<(String, String), (ResponseError, &'static str)> {
    match (group, member) {
        (Some(g), Some(m)) if !g.is_empty() && !m.is_empty() => Ok((g.to_string(), m.to_string())),
        _ => Err((
            ResponseError::InvalidRequest,
            "group id and member id are required",
        )),
    }
}

/// What happened to a session at this request.
enum SessionStep {
    /// Fetch these partitions.
    Fetch(Vec<Tp>),
    /// The session ended (epoch -1): acknowledge, release the rest, fetch nothing.
    Close,
}

/// Applies a request's epoch to the member's session (Kafka's
/// ShareSessionCache rules).
fn session_step(
    state: &State,
    group: &str,
    member: &str,
    epoch: i32,
    fetch: bool,
    requested: &[Tp],
    forgotten: &[Tp],
) -> Result<SessionStep, (ResponseError, &'static str)> {
    let key = (group.to_string(), member.to_string());
    let mut sessions = state.share_partitions.sessions();
    match epoch {
        0 if fetch => {
            if !state.share_groups.is_member(group, member) {
                return Err((
                    ResponseError::UnknownMemberId,
                    "the member is not in the share group",
                ));
            }
            let mut partitions: Vec<Tp> = Vec::new();
            for tp in requested {
                if !forgotten.contains(tp) && !partitions.contains(tp) {
                    partitions.push(*tp);
                }
            }
            sessions.insert(
                key,
                ShareSession {
                    epoch: 1,
                    partitions: partitions.clone(),
                },
            );
            Ok(SessionStep::Fetch(partitions))
        }
        -1 => {
            if !forgotten.is_empty() {
                return Err((
                    ResponseError::InvalidRequest,
                    "a final request (epoch -1) cannot forget topics",
                ));
            }
            if sessions.remove(&key).is_none() {
                return Err((ResponseError::ShareSessionNotFound, "no share session"));
            }
            Ok(SessionStep::Close)
        }
        e if e > 0 => {
            let Some(session) = sessions.get_mut(&key) else {
                return Err((ResponseError::ShareSessionNotFound, "no share session"));
            };
            if session.epoch != e {
                return Err((
                    ResponseError::InvalidShareSessionEpoch,
                    "the share session epoch is not the expected one",
                ));
            }
            session.epoch = if e == i32::MAX { 1 } else { e + 1 };
            for tp in requested {
                if !session.partitions.contains(tp) {
                    session.partitions.push(*tp);
                }
            }
            session.partitions.retain(|tp| !forgotten.contains(tp));
            Ok(SessionStep::Fetch(session.partitions.clone()))
        }
        _ => Err((
            ResponseError::InvalidShareSessionEpoch,
            "the share session epoch is invalid",
        )),
    }
}

/// Applies the acknowledgements of one partition; the error code for the
/// partition's acknowledge result.
async fn acknowledge(state: &State, group: &str, member: &str, tp: Tp, acks: &Acks) -> i16 {
    let batches = match acks {
        Ok(b) if b.is_empty() => return 0,
        Ok(b) => b,
        Err(_) => return ResponseError::InvalidRequest.code(),
    };
    let Some(topic) = state.topic_by_id(tp.0) else {
        return ResponseError::UnknownTopicId.code();
    };
    if topic.partition(tp.1).is_none() {
        return ResponseError::UnknownTopicOrPartition.code();
    }
    match state
        .share_partitions
        .acknowledge(state, group, tp.0, tp.1, member, batches)
        .await
    {
        Ok(()) => 0,
        Err(AckError::InvalidRecordState) => ResponseError::InvalidRecordState.code(),
        Err(e @ AckError::Storage(_)) => {
            tracing::error!(group, member, "acknowledgement failed: {e}");
            ResponseError::KafkaStorageError.code()
        }
    }
}

fn no_leader() -> LeaderIdAndEpoch {
    LeaderIdAndEpoch::default()
        .with_leader_id(-1)
        .with_leader_epoch(-1)
}

pub async fn share_fetch(
    state: &State,
    _ctx: &Context,
    request: ShareFetchRequest,
) -> anyhow::Result<ShareFetchResponse> {
    let failed = |(e, why): (ResponseError, &str)| {
        ShareFetchResponse::default()
            .with_error_code(e.code())
            .with_error_message(message(why))
    };
    let (group, member) = match ids(
        request.group_id.as_ref().map(|g| g.as_str()),
        request.member_id.as_ref().map(|m| m.as_str()),
    ) {
        Ok(ids) => ids,
        Err(e) => return Ok(failed(e)),
    };
    let mut requested: Vec<Tp> = Vec::new();
    let mut acks: Vec<(Tp, Acks)> = Vec::new();
    for t in &request.topics {
        for p in &t.partitions {
            let tp = (t.topic_id, p.partition_index);
            requested.push(tp);
            if !p.acknowledgement_batches.is_empty() {
                acks.push((
                    tp,
                    check_acks(
                        p.acknowledgement_batches
                            .iter()
                            .map(|b| (b.first_offset, b.last_offset, &b.acknowledge_types[..])),
                    ),
                ));
            }
        }
    }
    let forgotten: Vec<Tp> = request
        .forgotten_topics_data
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| (t.topic_id, *p)))
        .collect();
    let epoch = request.share_session_epoch;
    if epoch == 0 && !acks.is_empty() {
        return Ok(failed((
            ResponseError::InvalidRequest,
            "a request opening a share session (epoch 0) cannot acknowledge",
        )));
    }
    let step = match session_step(state, &group, &member, epoch, true, &requested, &forgotten) {
        Ok(step) => step,
        Err(e) => return Ok(failed(e)),
    };
    let settings = settings(state, &group);
    let mut ack_codes: HashMap<Tp, i16> = HashMap::new();
    for (tp, a) in &acks {
        ack_codes.insert(*tp, acknowledge(state, &group, &member, *tp, a).await);
    }
    let partitions = match step {
        SessionStep::Close => {
            state.share_partitions.unlock_member(&group, &member);
            Vec::new()
        }
        SessionStep::Fetch(p) => p,
    };
    let (acquired, errors) = if partitions.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        fetch_records(state, &group, &member, &request, &partitions, epoch).await
    };
    // Every fetched partition, then any only acknowledged, by topic.
    let mut order: Vec<Tp> = partitions.clone();
    for (tp, _) in &acks {
        if !order.contains(tp) {
            order.push(*tp);
        }
    }
    let mut acquired = acquired;
    let mut responses: Vec<ShareFetchableTopicResponse> = Vec::new();
    for tp in order {
        let mut out = PartitionData::default()
            .with_partition_index(tp.1)
            .with_current_leader(no_leader())
            .with_records(Some(Bytes::new()));
        if let Some(code) = ack_codes.get(&tp) {
            out.acknowledge_error_code = *code;
        }
        if let Some(code) = errors.get(&tp) {
            out.error_code = *code;
        }
        if let Some(a) = acquired.remove(&tp) {
            out.records = Some(a.records.freeze());
            out.acquired_records = a
                .ranges
                .into_iter()
                .map(|(first, last, count)| {
                    AcquiredRecords::default()
                        .with_first_offset(first)
                        .with_last_offset(last)
                        .with_delivery_count(count)
                })
                .collect();
        }
        match responses.iter_mut().find(|r| r.topic_id == tp.0) {
            Some(r) => r.partitions.push(out),
            None => responses.push(
                ShareFetchableTopicResponse::default()
                    .with_topic_id(tp.0)
                    .with_partitions(vec![out]),
            ),
        }
    }
    Ok(ShareFetchResponse::default()
        .with_acquisition_lock_timeout_ms(
            settings
                .record_lock_duration
                .as_millis()
                .min(i32::MAX as u128) as i32,
        )
        .with_responses(responses))
}

/// Acquires records of the session's partitions for the member, waiting up
/// to max_wait_ms for min_bytes, woken by appends and releases.
async fn fetch_records(
    state: &State,
    group: &str,
    member: &str,
    request: &ShareFetchRequest,
    partitions: &[Tp],
    epoch: i32,
) -> (HashMap<Tp, Acquired>, HashMap<Tp, i16>) {
    let settings = settings(state, group);
    let cap = state.group_configs.partition_max_record_locks(group);
    let wait = Duration::from_millis(request.max_wait_ms.max(0) as u64).min(MAX_WAIT_CAP);
    let deadline = Instant::now() + wait;
    let min_bytes = request.min_bytes.max(1) as usize;
    let mut records_left = if request.max_records > 0 {
        request.max_records as usize
    } else {
        DEFAULT_MAX_RECORDS
    };
    let mut bytes_left = if request.max_bytes > 0 {
        (request.max_bytes as usize).min(FETCH_MAX_BYTES)
    } else {
        FETCH_MAX_BYTES
    };
    let mut acquired: HashMap<Tp, Acquired> = HashMap::new();
    let mut errors: HashMap<Tp, i16> = HashMap::new();
    let mut total = 0usize;
    // Start with a different partition each request, so that none starves.
    let n = partitions.len();
    let first = (epoch.max(0) as usize) % n;
    loop {
        let appended = state.appended.notified();
        let released = state.share_partitions.released.notified();
        tokio::pin!(appended);
        tokio::pin!(released);
        appended.as_mut().enable();
        released.as_mut().enable();
        for i in 0..n {
            if records_left == 0 {
                break;
            }
            let tp = partitions[(first + i) % n];
            if errors.contains_key(&tp) {
                continue;
            }
            let Some(topic) = state.topic_by_id(tp.0) else {
                errors.insert(tp, ResponseError::UnknownTopicId.code());
                continue;
            };
            let Some(partition) = topic.partition(tp.1) else {
                errors.insert(tp, ResponseError::UnknownTopicOrPartition.code());
                continue;
            };
            match state.share_partitions.acquire(
                group,
                &topic,
                partition,
                member,
                &settings,
                cap,
                records_left,
                bytes_left,
                total == 0,
            ) {
                Ok(a) => {
                    if a.ranges.is_empty() {
                        continue;
                    }
                    let n_records: i64 = a.ranges.iter().map(|(f, l, _)| l - f + 1).sum();
                    records_left = records_left.saturating_sub(n_records.max(0) as usize);
                    bytes_left = bytes_left.saturating_sub(a.records.len());
                    total += a.records.len();
                    let slot = acquired.entry(tp).or_default();
                    slot.records.extend_from_slice(&a.records);
                    slot.ranges.extend(a.ranges);
                }
                Err(e) => {
                    errors.insert(tp, storage_error_code(&e));
                }
            }
        }
        if total >= min_bytes
            || !errors.is_empty()
            || records_left == 0
            || Instant::now() >= deadline
        {
            return (acquired, errors);
        }
        tokio::select! {
            _ = appended => {}
            _ = released => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

pub async fn share_acknowledge(
    state: &State,
    _ctx: &Context,
    request: ShareAcknowledgeRequest,
) -> anyhow::Result<ShareAcknowledgeResponse> {
    let failed = |(e, why): (ResponseError, &str)| {
        ShareAcknowledgeResponse::default()
            .with_error_code(e.code())
            .with_error_message(message(why))
    };
    let (group, member) = match ids(
        request.group_id.as_ref().map(|g| g.as_str()),
        request.member_id.as_ref().map(|m| m.as_str()),
    ) {
        Ok(ids) => ids,
        Err(e) => return Ok(failed(e)),
    };
    let epoch = request.share_session_epoch;
    if epoch == 0 {
        return Ok(failed((
            ResponseError::InvalidShareSessionEpoch,
            "ShareAcknowledge cannot open a share session (epoch 0)",
        )));
    }
    let step = match session_step(state, &group, &member, epoch, false, &[], &[]) {
        Ok(step) => step,
        Err(e) => return Ok(failed(e)),
    };
    let mut responses: Vec<ShareAcknowledgeTopicResponse> = Vec::new();
    for t in &request.topics {
        let mut topic_out = ShareAcknowledgeTopicResponse::default().with_topic_id(t.topic_id);
        for p in &t.partitions {
            let acks = check_acks(
                p.acknowledgement_batches
                    .iter()
                    .map(|b| (b.first_offset, b.last_offset, &b.acknowledge_types[..])),
            );
            let code = acknowledge(
                state,
                &group,
                &member,
                (t.topic_id, p.partition_index),
                &acks,
            )
            .await;
            let mut out = AckPartitionData::default()
                .with_partition_index(p.partition_index)
                .with_error_code(code);
            out.current_leader.leader_id = -1;
            out.current_leader.leader_epoch = -1;
            if let Err(why) = acks {
                out.error_message = message(why);
            }
            topic_out.partitions.push(out);
        }
        responses.push(topic_out);
    }
    if let SessionStep::Close = step {
        state.share_partitions.unlock_member(&group, &member);
    }
    Ok(ShareAcknowledgeResponse::default().with_responses(responses))
}

/// Whether `group` is a share group: it has members or share state.
fn is_share_group(state: &State, group: &str) -> bool {
    state.share_groups.exists(group) || state.share_partitions.has_group(group)
}

/// Whether the share group has members (offsets may then not change).
fn has_members(state: &State, group: &str) -> bool {
    state
        .share_groups
        .group(group)
        .is_some_and(|g| !g.members.is_empty())
}

pub async fn describe_share_group_offsets(
    state: &State,
    _ctx: &Context,
    request: DescribeShareGroupOffsetsRequest,
) -> anyhow::Result<DescribeShareGroupOffsetsResponse> {
    let mut groups = Vec::new();
    for g in &request.groups {
        let group = g.group_id.as_str();
        let mut out =
            DescribeShareGroupOffsetsResponseGroup::default().with_group_id(g.group_id.clone());
        if !is_share_group(state, group) {
            out.error_code = ResponseError::GroupIdNotFound.code();
            out.error_message = message(format!("share group '{group}' does not exist"));
            groups.push(out);
            continue;
        }
        let summary = state.share_partitions.summary(group);
        // Every topic with state when the request names none.
        let wanted: Vec<(String, Option<Vec<i32>>)> = match &g.topics {
            Some(topics) => topics
                .iter()
                .map(|t| (t.topic_name.to_string(), Some(t.partitions.clone())))
                .collect(),
            None => {
                let mut names: Vec<String> = summary.iter().map(|s| s.topic.clone()).collect();
                names.dedup();
                names.into_iter().map(|n| (n, None)).collect()
            }
        };
        for (name, partitions) in wanted {
            let topic = state.topic(&name);
            let mut t = DescribeShareGroupOffsetsResponseTopic::default()
                .with_topic_name(TopicName(StrBytes::from_string(name.clone())))
                .with_topic_id(topic.as_ref().map_or(Uuid::nil(), |t| t.def.id));
            let partitions = partitions.unwrap_or_else(|| {
                summary
                    .iter()
                    .filter(|s| s.topic == name)
                    .map(|s| s.partition)
                    .collect()
            });
            for p in partitions {
                let mut po = DescribeShareGroupOffsetsResponsePartition::default()
                    .with_partition_index(p)
                    .with_start_offset(-1)
                    .with_leader_epoch(-1);
                match topic.as_ref().filter(|t| t.partition(p).is_some()) {
                    None => {
                        po.error_code = ResponseError::UnknownTopicOrPartition.code();
                        po.error_message = message(format!("unknown partition {name}-{p}"));
                    }
                    Some(topic) => {
                        if let Some(start) =
                            state.share_partitions.start_offset(group, topic.def.id, p)
                        {
                            po.start_offset = start;
                            po.leader_epoch = 0;
                            // dq's own field for `dq groups describe`: the
                            // records in flight, as a tagged field that
                            // Kafka's clients skip.
                            if let Some(s) =
                                summary.iter().find(|s| s.topic == name && s.partition == p)
                            {
                                po.unknown_tagged_fields.insert(
                                    IN_FLIGHT_TAG,
                                    Bytes::copy_from_slice(&(s.in_flight as i64).to_be_bytes()),
                                );
                            }
                        }
                    }
                }
                t.partitions.push(po);
            }
            out.topics.push(t);
        }
        groups.push(out);
    }
    Ok(DescribeShareGroupOffsetsResponse::default().with_groups(groups))
}

pub async fn alter_share_group_offsets(
    state: &State,
    _ctx: &Context,
    request: AlterShareGroupOffsetsRequest,
) -> anyhow::Result<AlterShareGroupOffsetsResponse> {
    use alter_share_group_offsets_response::{
        AlterShareGroupOffsetsResponsePartition as P, AlterShareGroupOffsetsResponseTopic as T,
    };
    let group = request.group_id.as_str();
    if group.is_empty() {
        return Ok(AlterShareGroupOffsetsResponse::default()
            .with_error_code(ResponseError::InvalidGroupId.code())
            .with_error_message(message("the group id is empty")));
    }
    if has_members(state, group) {
        return Ok(AlterShareGroupOffsetsResponse::default()
            .with_error_code(ResponseError::NonEmptyGroup.code())
            .with_error_message(message(format!(
                "share group '{group}' has members: its offsets can change only when it is empty"
            ))));
    }
    let mut responses = Vec::new();
    for t in &request.topics {
        let topic = state.topic(t.topic_name.as_str());
        let mut out = T::default()
            .with_topic_name(t.topic_name.clone())
            .with_topic_id(topic.as_ref().map_or(Uuid::nil(), |t| t.def.id));
        for p in &t.partitions {
            let mut po = P::default().with_partition_index(p.partition_index);
            match topic
                .as_ref()
                .filter(|t| t.partition(p.partition_index).is_some())
            {
                None => {
                    po.error_code = ResponseError::UnknownTopicOrPartition.code();
                    po.error_message = message(format!(
                        "unknown partition {}-{}",
                        t.topic_name.as_str(),
                        p.partition_index
                    ));
                }
                Some(_) if p.start_offset < 0 => {
                    po.error_code = ResponseError::InvalidRequest.code();
                    po.error_message = message("the start offset cannot be negative");
                }
                Some(topic) => {
                    if let Err(e) = state
                        .share_partitions
                        .alter_start_offset(
                            &state.internal(),
                            group,
                            topic,
                            p.partition_index,
                            p.start_offset,
                        )
                        .await
                    {
                        po.error_code = topic_error_code(&e);
                        po.error_message = message(e);
                    }
                }
            }
            out.partitions.push(po);
        }
        responses.push(out);
    }
    Ok(AlterShareGroupOffsetsResponse::default().with_responses(responses))
}

pub async fn delete_share_group_offsets(
    state: &State,
    _ctx: &Context,
    request: DeleteShareGroupOffsetsRequest,
) -> anyhow::Result<DeleteShareGroupOffsetsResponse> {
    use delete_share_group_offsets_response::DeleteShareGroupOffsetsResponseTopic as T;
    let group = request.group_id.as_str();
    if !is_share_group(state, group) {
        return Ok(DeleteShareGroupOffsetsResponse::default()
            .with_error_code(ResponseError::GroupIdNotFound.code())
            .with_error_message(message(format!("share group '{group}' does not exist"))));
    }
    if has_members(state, group) {
        return Ok(DeleteShareGroupOffsetsResponse::default()
            .with_error_code(ResponseError::NonEmptyGroup.code())
            .with_error_message(message(format!(
                "share group '{group}' has members: its offsets can change only when it is empty"
            ))));
    }
    let mut responses = Vec::new();
    for t in &request.topics {
        let topic = state.topic(t.topic_name.as_str());
        let mut out = T::default()
            .with_topic_name(t.topic_name.clone())
            .with_topic_id(topic.as_ref().map_or(Uuid::nil(), |t| t.def.id));
        match topic {
            None => {
                out.error_code = ResponseError::UnknownTopicOrPartition.code();
                out.error_message = message(format!("unknown topic '{}'", t.topic_name.as_str()));
            }
            Some(topic) => {
                if let Err(e) = state
                    .share_partitions
                    .delete_topic(&state.internal(), group, topic.def.id)
                    .await
                {
                    out.error_code = topic_error_code(&e);
                    out.error_message = message(e);
                }
            }
        }
        responses.push(out);
    }
    Ok(DeleteShareGroupOffsetsResponse::default().with_responses(responses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgement_batches_are_checked_as_kafka_does() {
        let ok = check_acks([(0, 4, &[1i8][..]), (5, 6, &[1, 2][..])].into_iter());
        assert_eq!(ok.unwrap().len(), 2);
        for bad in [
            vec![(5, 4, &[1i8][..])],
            vec![(0, 4, &[1][..]), (4, 6, &[1][..])],
            vec![(0, 4, &[][..])],
            vec![(0, 4, &[1, 1][..])],
            vec![(0, 0, &[4][..])],
            vec![(-1, 0, &[1][..])],
        ] {
            assert!(check_acks(bad.clone().into_iter()).is_err(), "{bad:?}");
        }
    }
}
