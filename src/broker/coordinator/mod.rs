//! Consumer-group coordination: the classic groups' rebalance state machines
//! ([`group`]), KIP-848 consumer groups ([`consumer_group`], assigned by
//! [`assignor`]) and the committed-offset cache ([`offsets`]) both kinds
//! share, whose durable copy is the `__consumer_offsets` topic (with the
//! transactional offset commits pending until their transaction ends).
//! Beside them: producer ids ([`producer_ids`]) and the transaction
//! coordinator ([`transactions`], durable in [`transaction_log`]), share
//! groups ([`share`], KIP-932) and the groups' dynamic configs
//! ([`group_configs`]).

pub mod assignor;
pub mod consumer_group;
pub mod group;
pub mod group_configs;
pub mod internal_topic;
pub mod offsets;
pub mod producer_ids;
pub mod share;
pub mod transaction_log;
pub mod transactions;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kafka_protocol::ResponseError;

use crate::broker::storage::log_manager::TopicError;
use crate::broker::storage::StorageError;
use consumer_group::{
    ConsumerGroup, GroupError, Heartbeat, HeartbeatReply, Timeouts, TopicsByName,
};
use group::{Group, GroupState, JoinRequest, JoinResult, Reply, SyncResult};
use internal_topic::InternalTopics;
use offsets::{GroupOffsets, OffsetRecord, PendingOffsets};

/// Topics the broker keeps for its coordinators' state.
pub const INTERNAL_TOPICS: &[&str] = &[
    offsets::OFFSETS_TOPIC,
    transaction_log::TRANSACTION_STATE_TOPIC,
    share::state_log::SHARE_STATE_TOPIC,
];

/// Topics the broker keeps for itself; clients may read but not write them.
pub fn is_internal(topic: &str) -> bool {
    INTERNAL_TOPICS.contains(&topic)
}

/// Group ids are one namespace over both kinds of group: a group id is in at
/// most one of `groups` and `consumer_groups`. Locks are taken in that order.
#[derive(Default)]
pub struct GroupCoordinator {
    groups: Mutex<HashMap<String, Group>>,
    consumer_groups: Mutex<HashMap<String, ConsumerGroup>>,
    /// Session timeout and heartbeat interval of consumer groups.
    pub consumer_timeouts: Timeouts,
    offsets: Mutex<HashMap<String, GroupOffsets>>,
    /// Transactional offset commits (TxnOffsetCommit) by producer id, durable
    /// in `__consumer_offsets` but not the group's until the transaction
    /// commits. Locked after `offsets`.
    pending_txn_offsets: Mutex<PendingOffsets>,
}

/// A group as ListGroups and DescribeGroups show it.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub id: String,
    /// `classic` or `consumer` (KIP-848), as ListGroups v5 names them.
    pub group_type: &'static str,
    pub state: &'static str,
    pub protocol_type: String,
    pub protocol: String,
    /// (member id, instance id, client id, client host, metadata, assignment)
    pub members: Vec<MemberSummary>,
}

#[derive(Debug, Clone)]
pub struct MemberSummary {
    pub id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub metadata: bytes::Bytes,
    pub assignment: bytes::Bytes,
}

impl GroupCoordinator {
    fn groups(&self) -> MutexGuard<'_, HashMap<String, Group>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn with_consumer_timeouts(consumer_timeouts: Timeouts) -> GroupCoordinator {
        GroupCoordinator {
            consumer_timeouts,
            ..GroupCoordinator::default()
        }
    }

    fn consumer_groups(&self) -> MutexGuard<'_, HashMap<String, ConsumerGroup>> {
        self.consumer_groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn offsets(&self) -> MutexGuard<'_, HashMap<String, GroupOffsets>> {
        self.offsets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// JoinGroup: joins a classic group, creating it (or converting an
    /// empty consumer group) as needed.
    pub fn join(
        &self,
        group_id: &str,
        join: JoinRequest,
        now: Instant,
    ) -> Result<Reply<JoinResult>, ResponseError> {
        let mut groups = self.groups();
        self.claim_for_classic(group_id)?;
        Ok(groups
            .entry(group_id.to_string())
            .or_insert_with(|| Group::new(group_id))
            .join(join, now))
    }

    /// SyncGroup; `None` when the group does not exist.
    pub fn sync(
        &self,
        group_id: &str,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        assignments: Vec<(String, bytes::Bytes)>,
        now: Instant,
    ) -> Option<Reply<SyncResult>> {
        let mut groups = self.groups();
        let group = groups.get_mut(group_id)?;
        Some(group.sync(member_id, instance_id, generation, assignments, now))
    }

    /// Heartbeat of a classic group member.
    pub fn heartbeat(
        &self,
        group_id: &str,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        now: Instant,
    ) -> Result<(), ResponseError> {
        match self.groups().get_mut(group_id) {
            None => Err(ResponseError::UnknownMemberId),
            Some(g) => g.heartbeat(member_id, instance_id, generation, now),
        }
    }

    /// LeaveGroup: each (member id, instance id) leaves; one result each.
    pub fn leave(
        &self,
        group_id: &str,
        leaving: &[(String, Option<String>)],
        now: Instant,
    ) -> Vec<Result<(), ResponseError>> {
        let mut groups = self.groups();
        match groups.get_mut(group_id) {
            None => vec![Err(ResponseError::UnknownMemberId); leaving.len()],
            Some(g) => leaving
                .iter()
                .map(|(id, instance)| g.leave(id, instance.as_deref(), now))
                .collect(),
        }
    }

    /// The topics a classic group's members subscribe to.
    pub fn subscribed_topics(&self, group_id: &str) -> Vec<String> {
        self.groups()
            .get(group_id)
            .map(|g| g.subscribed_topics())
            .unwrap_or_default()
    }

    /// ConsumerGroupHeartbeat: runs the heartbeat against the group, creating
    /// it (or converting an empty classic group) when a member joins.
    pub fn consumer_heartbeat(
        &self,
        group_id: &str,
        hb: Heartbeat,
        topics: &TopicsByName,
        now: Instant,
        timeouts: Timeouts,
    ) -> Result<HeartbeatReply, GroupError> {
        // Lock order: classic groups, then consumer groups.
        let mut classic = self.groups();
        if let Some(g) = classic.get(group_id) {
            if !g.members.is_empty() {
                return Err(GroupError {
                    code: ResponseError::GroupIdNotFound,
                    message: format!(
                        "Group {group_id} is not a consumer group: it is a classic group with members; it can use the consumer protocol once they have all left."
                    ),
                });
            }
            if hb.member_epoch == 0 {
                // The last classic member left: the group becomes a consumer
                // group, keeping its committed offsets.
                classic.remove(group_id);
                tracing::info!(group = %group_id, "empty classic group converted to a consumer group");
            }
        }
        let mut groups = self.consumer_groups();
        drop(classic);
        let group = match groups.get_mut(group_id) {
            Some(g) => g,
            None if hb.member_epoch == 0 => groups
                .entry(group_id.to_string())
                .or_insert_with(|| ConsumerGroup::new(group_id)),
            None => {
                return Err(GroupError {
                    code: ResponseError::UnknownMemberId,
                    message: format!(
                        "Member {} is not a member of group {group_id}.",
                        hb.member_id
                    ),
                })
            }
        };
        let member = hb.member_id.clone();
        let epoch = hb.member_epoch;
        let result = group.heartbeat(hb, topics, now, timeouts);
        match &result {
            Ok(r) if r.member_epoch != epoch => {
                tracing::debug!(group = %group_id, %member, epoch = r.member_epoch, group_epoch = group.epoch, "consumer group member moved to a new epoch");
            }
            Err(e) => {
                tracing::debug!(group = %group_id, %member, error = ?e.code, "consumer group heartbeat refused: {}", e.message);
            }
            _ => {}
        }
        result
    }

    /// A copy of a KIP-848 consumer group, for ConsumerGroupDescribe.
    pub fn consumer_group(&self, group_id: &str) -> Option<ConsumerGroup> {
        self.consumer_groups().get(group_id).cloned()
    }

    /// Expires sessions and rebalance timeouts in every group.
    pub fn tick(&self, now: Instant) {
        for g in self.groups().values_mut() {
            for id in g.tick(now) {
                tracing::info!(group = %g.id, member = %id, "member expired: no heartbeat within its session timeout");
            }
        }
        for g in self.consumer_groups().values_mut() {
            for (id, why) in g.tick(now) {
                tracing::info!(group = %g.id, member = %id, "consumer group member removed: {why}");
            }
        }
    }

    /// Whether a commit from this member and generation may be applied.
    /// A commit with generation -1 and no member id comes from a consumer
    /// that manages its own partitions; it is allowed while the group has no
    /// active members, as Kafka does.
    pub fn check_commit(
        &self,
        group: &str,
        generation: i32,
        member_id: &str,
    ) -> Result<(), ResponseError> {
        if let Some(g) = self.consumer_groups().get(group) {
            return g.check_commit(member_id, generation);
        }
        let groups = self.groups();
        let Some(g) = groups.get(group) else {
            return if generation < 0 {
                Ok(())
            } else {
                Err(ResponseError::IllegalGeneration)
            };
        };
        if generation < 0 && member_id.is_empty() {
            return if g.members.is_empty() {
                Ok(())
            } else {
                Err(ResponseError::UnknownMemberId)
            };
        }
        if !g.members.contains_key(member_id) {
            return Err(ResponseError::UnknownMemberId);
        }
        if generation != g.generation {
            return Err(ResponseError::IllegalGeneration);
        }
        // As Kafka: a member may still commit what it processed while the
        // group prepares a rebalance (consumers commit before rejoining), but
        // not between the join and the new assignment.
        if g.state == GroupState::CompletingRebalance {
            return Err(ResponseError::RebalanceInProgress);
        }
        Ok(())
    }

    /// Called with the classic groups locked, before a JoinGroup: a consumer
    /// group with members keeps its id (INCONSISTENT_GROUP_PROTOCOL, as Kafka
    /// without online migration); an empty one is converted to classic.
    fn claim_for_classic(&self, id: &str) -> Result<(), ResponseError> {
        let mut consumer = self.consumer_groups();
        match consumer.get(id) {
            Some(g) if !g.members.is_empty() => Err(ResponseError::InconsistentGroupProtocol),
            Some(_) => {
                consumer.remove(id);
                tracing::info!(group = %id, "empty consumer group converted to a classic group");
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Whether an OffsetFetch from this member (v9+ carries its id and
    /// epoch) may read a consumer group's offsets; classic groups do not check.
    pub fn check_fetch(
        &self,
        group: &str,
        member_id: Option<&str>,
        member_epoch: i32,
    ) -> Result<(), ResponseError> {
        match (self.consumer_groups().get(group), member_id) {
            (Some(g), Some(id)) => g.check_fetch(id, member_epoch),
            _ => Ok(()),
        }
    }

    /// Makes committed-offset records durable in `__consumer_offsets`
    /// (created on first use), then applies them to the cache.
    pub async fn commit_offsets(
        &self,
        internal: &InternalTopics<'_>,
        records: Vec<OffsetRecord>,
    ) -> Result<(), TopicError> {
        let batch = offsets::encode_batch(&records, crate::broker::storage::log::now_ms());
        internal.append(&offsets::OFFSETS_SPEC, 0, &batch).await?;
        let mut cache = self.offsets();
        for r in records {
            offsets::apply(&mut cache, r);
        }
        Ok(())
    }

    /// Kafka's TxnOffsetCommit checks: a member id given must be a member,
    /// a generation given (not -1) must be the group's.
    pub fn check_txn_commit(
        &self,
        group: &str,
        generation: i32,
        member_id: &str,
    ) -> Result<(), ResponseError> {
        if let Some(g) = self.consumer_groups().get(group) {
            if member_id.is_empty() && generation < 0 {
                return Ok(());
            }
            return g.check_commit(member_id, generation);
        }
        let groups = self.groups();
        let Some(g) = groups.get(group) else {
            return if generation < 0 {
                Ok(())
            } else {
                Err(ResponseError::IllegalGeneration)
            };
        };
        if !member_id.is_empty() && !g.members.contains_key(member_id) {
            return Err(ResponseError::UnknownMemberId);
        }
        if generation >= 0 && generation != g.generation {
            return Err(ResponseError::IllegalGeneration);
        }
        Ok(())
    }

    /// The `__consumer_offsets` partition that holds `group`'s offsets (the
    /// topic is created if need be): where a transaction's offsets go.
    pub fn offsets_partition(
        &self,
        internal: &InternalTopics<'_>,
        _group: &str,
    ) -> Result<i32, TopicError> {
        internal.get_or_create(&offsets::OFFSETS_SPEC)?;
        Ok(0)
    }

    /// Makes a producer's transactional offset commits durable in
    /// `__consumer_offsets`, in a transactional batch of that producer; they
    /// stay pending until [`complete_txn`](Self::complete_txn).
    pub async fn commit_txn_offsets(
        &self,
        internal: &InternalTopics<'_>,
        producer: (i64, i16),
        records: Vec<OffsetRecord>,
    ) -> Result<(), TopicError> {
        let batch =
            offsets::encode_txn_batch(&records, crate::broker::storage::log::now_ms(), producer);
        internal.append(&offsets::OFFSETS_SPEC, 0, &batch).await?;
        self.pending_txn_offsets()
            .entry(producer.0)
            .or_default()
            .extend(records);
        Ok(())
    }

    /// The producer's transaction ended with its marker written to
    /// `__consumer_offsets`: its pending offsets become the group's on
    /// commit, and are dropped on abort.
    pub fn complete_txn(&self, producer_id: i64, commit: bool) {
        let mut cache = self.offsets();
        let Some(records) = self.pending_txn_offsets().remove(&producer_id) else {
            return;
        };
        if commit {
            for r in records {
                offsets::apply(&mut cache, r);
            }
        }
    }

    /// Whether an open transaction holds an offset for this partition
    /// (OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT).
    pub fn has_pending_offset(&self, group: &str, topic: &str, partition: i32) -> bool {
        self.pending_txn_offsets().values().any(|records| {
            records
                .iter()
                .any(|r| r.group == group && r.topic == topic && r.partition == partition)
        })
    }

    fn pending_txn_offsets(&self) -> MutexGuard<'_, PendingOffsets> {
        self.pending_txn_offsets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Fills the committed-offset cache from `__consumer_offsets`, and the
    /// pending transactional commits of transactions still open.
    pub fn load_offsets(&self, internal: &InternalTopics<'_>) -> Result<(), StorageError> {
        let applied = internal.replay(offsets::OFFSETS_TOPIC, |bytes| {
            offsets::replay(bytes, &mut self.offsets(), &mut self.pending_txn_offsets())
        })?;
        if applied > 0 {
            tracing::info!(records = applied, "loaded committed offsets");
        }
        Ok(())
    }

    pub fn committed(&self, group: &str) -> GroupOffsets {
        self.offsets().get(group).cloned().unwrap_or_default()
    }

    /// Ids of groups that have members or committed offsets.
    pub fn group_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.groups().keys().cloned().collect();
        ids.extend(self.consumer_groups().keys().cloned());
        ids.extend(self.offsets().keys().cloned());
        ids.sort();
        ids.dedup();
        ids
    }

    /// `None` when the group is unknown altogether.
    pub fn summary(&self, id: &str) -> Option<GroupSummary> {
        if let Some(g) = self.consumer_groups().get(id) {
            return Some(GroupSummary {
                id: id.to_string(),
                group_type: "consumer",
                state: g.state(),
                protocol_type: "consumer".to_string(),
                protocol: String::new(),
                members: Vec::new(),
            });
        }
        let groups = self.groups();
        match groups.get(id) {
            Some(g) => Some(GroupSummary {
                id: id.to_string(),
                group_type: "classic",
                state: g.state.as_str(),
                protocol_type: g.protocol_type.clone().unwrap_or_default(),
                protocol: if g.state == GroupState::Stable
                    || g.state == GroupState::CompletingRebalance
                {
                    g.protocol.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                members: g
                    .members
                    .values()
                    .map(|m| MemberSummary {
                        id: m.id.clone(),
                        instance_id: m.instance_id.clone(),
                        client_id: m.client_id.clone(),
                        client_host: m.client_host.clone(),
                        metadata: m.metadata(g.protocol.as_deref()),
                        assignment: m.assignment.clone(),
                    })
                    .collect(),
            }),
            None if self.offsets().contains_key(id) => Some(GroupSummary {
                id: id.to_string(),
                group_type: "classic",
                state: GroupState::Empty.as_str(),
                protocol_type: String::new(),
                protocol: String::new(),
                members: Vec::new(),
            }),
            None => None,
        }
    }

    /// Forgets an empty group; its offsets must be tombstoned by the caller.
    pub fn check_deletable(&self, id: &str) -> Result<(), ResponseError> {
        if let Some(g) = self.consumer_groups().get(id) {
            return if g.members.is_empty() {
                Ok(())
            } else {
                Err(ResponseError::NonEmptyGroup)
            };
        }
        let groups = self.groups();
        match groups.get(id) {
            Some(g) if !g.members.is_empty() => Err(ResponseError::NonEmptyGroup),
            Some(_) => Ok(()),
            None if self.offsets().contains_key(id) => Ok(()),
            None => Err(ResponseError::GroupIdNotFound),
        }
    }

    pub fn forget(&self, id: &str) {
        self.groups().remove(id);
        self.consumer_groups().remove(id);
    }
}
