//! Consumer-group coordination: the classic groups' rebalance state machines
//! ([`group`]), KIP-848 consumer groups ([`consumer_group`], assigned by
//! [`assignor`]) and the committed-offset cache ([`offsets`]) both kinds
//! share, whose durable copy is the `__consumer_offsets` topic. Producer ids
//! and transactions will live beside them.

pub mod assignor;
pub mod consumer_group;
pub mod group;
pub mod offsets;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kafka_protocol::ResponseError;

use consumer_group::{ConsumerGroup, Timeouts};
use group::{Group, GroupState};
use offsets::{GroupOffsets, OffsetRecord};

/// Group ids are one namespace over both kinds of group: a group id is in at
/// most one of `groups` and `consumer_groups`. Locks are taken in that order.
#[derive(Default)]
pub struct GroupCoordinator {
    groups: Mutex<HashMap<String, Group>>,
    consumer_groups: Mutex<HashMap<String, ConsumerGroup>>,
    /// Session timeout and heartbeat interval of consumer groups.
    pub consumer_timeouts: Timeouts,
    offsets: Mutex<HashMap<String, GroupOffsets>>,
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
    pub fn groups(&self) -> MutexGuard<'_, HashMap<String, Group>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn with_consumer_timeouts(consumer_timeouts: Timeouts) -> GroupCoordinator {
        GroupCoordinator {
            consumer_timeouts,
            ..GroupCoordinator::default()
        }
    }

    pub fn consumer_groups(&self) -> MutexGuard<'_, HashMap<String, ConsumerGroup>> {
        self.consumer_groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn offsets(&self) -> MutexGuard<'_, HashMap<String, GroupOffsets>> {
        self.offsets.lock().unwrap_or_else(|p| p.into_inner())
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
    pub fn claim_for_classic(&self, id: &str) -> Result<(), ResponseError> {
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

    /// Applies records already made durable.
    pub fn apply_offsets(&self, records: Vec<OffsetRecord>) {
        let mut cache = self.offsets();
        for r in records {
            offsets::apply(&mut cache, r);
        }
    }

    /// Loads the cache from the raw bytes of `__consumer_offsets`.
    pub fn replay_offsets(&self, log: bytes::Bytes) -> usize {
        offsets::replay(log, &mut self.offsets())
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
