//! Consumer-group coordination: the groups' rebalance state machines
//! ([`group`]) and the committed-offset cache ([`offsets`]), whose durable
//! copy is the `__consumer_offsets` topic. Producer ids and transactions will
//! live beside them.

pub mod group;
pub mod offsets;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kafka_protocol::ResponseError;

use group::{Group, GroupState};
use offsets::{GroupOffsets, OffsetRecord};

#[derive(Default)]
pub struct GroupCoordinator {
    groups: Mutex<HashMap<String, Group>>,
    offsets: Mutex<HashMap<String, GroupOffsets>>,
}

/// A group as ListGroups and DescribeGroups show it.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub id: String,
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
        ids.extend(self.offsets().keys().cloned());
        ids.sort();
        ids.dedup();
        ids
    }

    /// `None` when the group is unknown altogether.
    pub fn summary(&self, id: &str) -> Option<GroupSummary> {
        let groups = self.groups();
        match groups.get(id) {
            Some(g) => Some(GroupSummary {
                id: id.to_string(),
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
    }
}
