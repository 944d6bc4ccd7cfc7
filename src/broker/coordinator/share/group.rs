//! Share-group membership (KIP-932): ShareGroupHeartbeat joins, keeps and
//! leaves a member; the server assigns partitions.
//!
//! As Kafka's GroupMetadataManager does for share groups: a member joins with
//! epoch 0 and a member id of its own (a UUID), each change of membership,
//! subscription or subscribed topics' partitions bumps the group epoch, and
//! the target assignment is computed at once for the new epoch. A share
//! group has no revocation to wait for (partitions are shared, not owned),
//! so a member moves to the target epoch and assignment on its next
//! heartbeat. The assignment gives every member every partition of the
//! topics it subscribes to: what Kafka's simple assignor does when a topic
//! has fewer partitions than members, and the issue's "every member can be
//! given every partition".
//!
//! Membership is kept in memory; the group ids are durable (see
//! [`super::super::group_configs`]), so an empty share group outlives a
//! restart. A member whose heartbeat reaches a restarted broker is told
//! UNKNOWN_MEMBER_ID and joins again, as after any fencing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use kafka_protocol::ResponseError;

use crate::broker::coordinator::assignor::Assignment;
use crate::broker::coordinator::consumer_group::{GroupError, TopicsByName};

/// Member epoch of a member that leaves the group.
pub const LEAVE_EPOCH: i32 = -1;

/// Kafka's group.share.max.size default: members of one share group.
pub const DEFAULT_MAX_SIZE: usize = 200;

/// Kafka's ShareGroup assignor name, as ShareGroupDescribe reports it.
pub const ASSIGNOR_NAME: &str = "simple";

/// Session timeout and heartbeat interval in force for one group (its
/// group configs over the broker's defaults).
#[derive(Debug, Clone, Copy)]
pub struct ShareTimeouts {
    pub session: Duration,
    pub heartbeat_interval: Duration,
}

#[derive(Debug, Clone)]
pub struct ShareMember {
    pub id: String,
    pub rack_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub epoch: i32,
    /// The epoch before the last change: a heartbeat with it is still valid
    /// when the response that moved the member on was lost.
    pub previous_epoch: i32,
    pub subscribed: BTreeSet<String>,
    /// What the member may fetch now.
    pub assigned: Assignment,
    session_deadline: Instant,
}

/// A ShareGroupHeartbeat, in the coordinator's terms.
#[derive(Debug, Clone, Default)]
pub struct ShareHeartbeat {
    pub member_id: String,
    pub member_epoch: i32,
    pub rack_id: Option<String>,
    /// `None` when not sent (unchanged).
    pub subscribed_names: Option<Vec<String>>,
    pub client_id: String,
    pub client_host: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShareHeartbeatReply {
    pub member_id: String,
    pub member_epoch: i32,
    /// Sent when the member joins or its assignment changed.
    pub assignment: Option<Assignment>,
}

fn err<T>(code: ResponseError, message: impl Into<String>) -> Result<T, GroupError> {
    Err(GroupError {
        code,
        message: message.into(),
    })
}

#[derive(Debug, Clone)]
pub struct ShareGroup {
    pub id: String,
    /// Bumped by every change of membership, subscription or subscribed
    /// topics' partitions.
    pub epoch: i32,
    /// The group epoch the target assignment was computed for.
    pub assignment_epoch: i32,
    pub members: BTreeMap<String, ShareMember>,
    /// Each member's target assignment as of `assignment_epoch`.
    pub target: BTreeMap<String, Assignment>,
    /// The subscribed topics as of the current group epoch.
    subscribed_topics: TopicsByName,
}

impl ShareGroup {
    pub fn new(id: &str) -> ShareGroup {
        ShareGroup {
            id: id.to_string(),
            epoch: 0,
            assignment_epoch: 0,
            members: BTreeMap::new(),
            target: BTreeMap::new(),
            subscribed_topics: TopicsByName::new(),
        }
    }

    /// Kafka's ShareGroupState: Empty or Stable (Dead is a group that does
    /// not exist).
    pub fn state(&self) -> &'static str {
        if self.members.is_empty() {
            "Empty"
        } else {
            "Stable"
        }
    }

    /// Handles one heartbeat (not a leave). `topics` is every topic the
    /// broker has.
    fn heartbeat(
        &mut self,
        hb: ShareHeartbeat,
        topics: &TopicsByName,
        now: Instant,
        timeouts: ShareTimeouts,
        max_size: usize,
    ) -> Result<ShareHeartbeatReply, GroupError> {
        let joining = hb.member_epoch == 0;
        match self.members.get(&hb.member_id) {
            None if !joining => {
                return err(
                    ResponseError::UnknownMemberId,
                    format!(
                        "Member {} is not a member of group {}.",
                        hb.member_id, self.id
                    ),
                )
            }
            None if self.members.len() >= max_size => {
                return err(
                    ResponseError::GroupMaxSizeReached,
                    format!(
                        "The share group has reached its maximum capacity of {max_size} members."
                    ),
                )
            }
            None => {
                self.members.insert(
                    hb.member_id.clone(),
                    ShareMember {
                        id: hb.member_id.clone(),
                        rack_id: None,
                        client_id: String::new(),
                        client_host: String::new(),
                        epoch: 0,
                        previous_epoch: 0,
                        subscribed: BTreeSet::new(),
                        assigned: Assignment::new(),
                        session_deadline: now + timeouts.session,
                    },
                );
                self.epoch += 1;
                tracing::info!(group = %self.id, member = %hb.member_id, "member joined the share group");
            }
            Some(m) if !joining => check_epoch(m, hb.member_epoch)?,
            // A known member joining again (epoch 0) starts over, as Kafka
            // lets it: its epoch check is skipped.
            Some(_) => {}
        }
        let member = self
            .members
            .get_mut(&hb.member_id)
            .expect("inserted or found above");
        let before = member.assigned.clone();
        if let Some(names) = &hb.subscribed_names {
            let names: BTreeSet<String> = names.iter().cloned().collect();
            if names != member.subscribed {
                member.subscribed = names;
                self.epoch += 1;
            }
        }
        if hb.rack_id.is_some() {
            member.rack_id = hb.rack_id.clone();
        }
        member.client_id = hb.client_id.clone();
        member.client_host = hb.client_host.clone();
        member.session_deadline = now + timeouts.session;
        self.refresh_topics(topics);
        self.compute_target();
        // No revocation to wait for: the member takes its target at once.
        let member = self.members.get_mut(&hb.member_id).expect("still a member");
        if member.epoch != self.assignment_epoch {
            member.previous_epoch = member.epoch;
            member.epoch = self.assignment_epoch;
        }
        member.assigned = self.target.get(&hb.member_id).cloned().unwrap_or_default();
        Ok(ShareHeartbeatReply {
            member_id: member.id.clone(),
            member_epoch: member.epoch,
            assignment: (joining || member.assigned != before).then(|| member.assigned.clone()),
        })
    }

    /// Removes a member; the group epoch moves on.
    fn remove(&mut self, member_id: &str) -> bool {
        if self.members.remove(member_id).is_none() {
            return false;
        }
        self.target.remove(member_id);
        self.epoch += 1;
        self.compute_target();
        true
    }

    /// Bumps the group epoch when the subscribed topics changed (created,
    /// deleted, partitions added).
    fn refresh_topics(&mut self, topics: &TopicsByName) {
        let subscribed: TopicsByName = topics
            .iter()
            .filter(|(name, _)| self.members.values().any(|m| m.subscribed.contains(*name)))
            .map(|(n, v)| (n.clone(), *v))
            .collect();
        if subscribed != self.subscribed_topics {
            self.subscribed_topics = subscribed;
            self.epoch += 1;
        }
    }

    /// Every member gets every partition of every topic it subscribes to.
    fn compute_target(&mut self) {
        if self.assignment_epoch == self.epoch {
            return;
        }
        self.target = self
            .members
            .values()
            .map(|m| {
                let a: Assignment = self
                    .subscribed_topics
                    .iter()
                    .filter(|(name, _)| m.subscribed.contains(*name))
                    .map(|(_, (id, n))| (*id, (0..*n).collect()))
                    .collect();
                (m.id.clone(), a)
            })
            .collect();
        self.assignment_epoch = self.epoch;
    }
}

/// Kafka's throwIfShareGroupMemberEpochIsInvalid.
fn check_epoch(m: &ShareMember, epoch: i32) -> Result<(), GroupError> {
    if epoch > m.epoch || (epoch < m.epoch && epoch != m.previous_epoch) {
        let which = if epoch > m.epoch {
            "greater"
        } else {
            "smaller"
        };
        return err(
            ResponseError::FencedMemberEpoch,
            format!(
                "The share group member has a {which} member epoch ({epoch}) than the one known by the group coordinator ({}). The member must abandon all its partitions and rejoin.",
                m.epoch
            ),
        );
    }
    Ok(())
}

/// Kafka's throwIfShareGroupHeartbeatRequestIsInvalid, for the fields the
/// coordinator sees.
pub fn validate(group_id: &str, hb: &ShareHeartbeat) -> Result<(), GroupError> {
    if group_id.is_empty() {
        return err(ResponseError::InvalidRequest, "GroupId can't be empty.");
    }
    if hb.rack_id.as_deref() == Some("") {
        return err(ResponseError::InvalidRequest, "RackId can't be empty.");
    }
    if hb.member_id.is_empty() {
        return err(ResponseError::InvalidRequest, "MemberId can't be empty.");
    }
    if hb.member_id.len() > 36 {
        // Client-chosen ids are UUID strings; bound what a member may make
        // the broker keep.
        return err(
            ResponseError::InvalidRequest,
            "MemberId must be a UUID string of at most 36 characters.",
        );
    }
    match hb.member_epoch {
        0 if hb.subscribed_names.as_ref().is_none_or(|n| n.is_empty()) => err(
            ResponseError::InvalidRequest,
            "SubscribedTopicNames must be set in first request.",
        ),
        e if e < LEAVE_EPOCH => err(ResponseError::InvalidRequest, "MemberEpoch is invalid."),
        _ => Ok(()),
    }
}

/// Every share group's members. Group ids share one namespace with classic
/// and consumer groups (the caller checks the other kinds).
#[derive(Default)]
pub struct ShareGroups {
    groups: Mutex<HashMap<String, ShareGroup>>,
}

/// What a heartbeat did to the group, beyond the reply.
#[derive(Debug)]
pub struct HeartbeatOutcome {
    pub reply: ShareHeartbeatReply,
    /// The group did not exist before this heartbeat.
    pub created: bool,
    /// The member left (epoch -1): its records must be released.
    pub left: bool,
}

impl ShareGroups {
    fn groups(&self) -> MutexGuard<'_, HashMap<String, ShareGroup>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `group_id` is a share group (with or without members).
    pub fn exists(&self, group_id: &str) -> bool {
        self.groups().contains_key(group_id)
    }

    /// Whether `member_id` is a current member of share group `group_id`.
    pub fn is_member(&self, group_id: &str, member_id: &str) -> bool {
        self.groups()
            .get(group_id)
            .is_some_and(|g| g.members.contains_key(member_id))
    }

    /// Ids of every share group, sorted.
    pub fn group_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.groups().keys().cloned().collect();
        ids.sort();
        ids
    }

    /// A copy of the group, for ShareGroupDescribe, ListGroups and
    /// `dq groups describe` (members with their assignments).
    pub fn group(&self, group_id: &str) -> Option<ShareGroup> {
        self.groups().get(group_id).cloned()
    }

    /// Registers groups known from before a restart (empty).
    pub fn restore(&self, ids: impl IntoIterator<Item = String>) {
        let mut groups = self.groups();
        for id in ids {
            groups
                .entry(id.clone())
                .or_insert_with(|| ShareGroup::new(&id));
        }
    }

    /// ShareGroupHeartbeat, validated by [`validate`]. A heartbeat with
    /// epoch 0 creates the group; any other epoch for an unknown group gets
    /// UNKNOWN_MEMBER_ID, so a member of a group lost with a restart joins
    /// again instead of failing (librdkafka treats GROUP_ID_NOT_FOUND as fatal).
    pub fn heartbeat(
        &self,
        group_id: &str,
        hb: ShareHeartbeat,
        topics: &TopicsByName,
        now: Instant,
        timeouts: ShareTimeouts,
        max_size: usize,
    ) -> Result<HeartbeatOutcome, GroupError> {
        let mut groups = self.groups();
        if hb.member_epoch == LEAVE_EPOCH {
            let Some(group) = groups.get_mut(group_id) else {
                return err(
                    ResponseError::GroupIdNotFound,
                    format!("Share group {group_id} not found."),
                );
            };
            if !group.remove(&hb.member_id) {
                return err(
                    ResponseError::UnknownMemberId,
                    format!(
                        "Member {} is not a member of group {group_id}.",
                        hb.member_id
                    ),
                );
            }
            tracing::info!(group = %group_id, member = %hb.member_id, "member left the share group");
            return Ok(HeartbeatOutcome {
                reply: ShareHeartbeatReply {
                    member_id: hb.member_id,
                    member_epoch: LEAVE_EPOCH,
                    assignment: None,
                },
                created: false,
                left: true,
            });
        }
        let created = !groups.contains_key(group_id);
        if created && hb.member_epoch != 0 {
            return err(
                ResponseError::UnknownMemberId,
                format!(
                    "Member {} is not a member of group {group_id}.",
                    hb.member_id
                ),
            );
        }
        let group = groups
            .entry(group_id.to_string())
            .or_insert_with(|| ShareGroup::new(group_id));
        let result = group.heartbeat(hb, topics, now, timeouts, max_size);
        if result.is_err() && created {
            groups.remove(group_id);
        }
        result.map(|reply| HeartbeatOutcome {
            reply,
            created,
            left: false,
        })
    }

    /// Removes members whose session expired; returns (group, member) of
    /// each, whose records the caller releases.
    pub fn tick(&self, now: Instant) -> Vec<(String, String)> {
        let mut gone = Vec::new();
        for g in self.groups().values_mut() {
            let expired: Vec<String> = g
                .members
                .values()
                .filter(|m| m.session_deadline <= now)
                .map(|m| m.id.clone())
                .collect();
            for id in expired {
                g.remove(&id);
                tracing::info!(group = %g.id, member = %id, "share group member removed: no heartbeat within the session timeout");
                gone.push((g.id.clone(), id));
            }
        }
        gone
    }

    /// DeleteGroups' check: NON_EMPTY_GROUP while it has members.
    pub fn check_deletable(&self, group_id: &str) -> Result<(), ResponseError> {
        match self.groups().get(group_id) {
            None => Err(ResponseError::GroupIdNotFound),
            Some(g) if !g.members.is_empty() => Err(ResponseError::NonEmptyGroup),
            Some(_) => Ok(()),
        }
    }

    /// Forgets an empty group (DeleteGroups, after its state is deleted).
    pub fn forget(&self, group_id: &str) {
        let mut groups = self.groups();
        if groups.get(group_id).is_some_and(|g| g.members.is_empty()) {
            groups.remove(group_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const T: ShareTimeouts = ShareTimeouts {
        session: Duration::from_secs(45),
        heartbeat_interval: Duration::from_secs(5),
    };

    fn topics(n: i32) -> (Uuid, TopicsByName) {
        let id = Uuid::new_v4();
        (id, [("t".to_string(), (id, n))].into_iter().collect())
    }

    fn join(id: &str) -> ShareHeartbeat {
        ShareHeartbeat {
            member_id: id.into(),
            member_epoch: 0,
            subscribed_names: Some(vec!["t".into()]),
            ..Default::default()
        }
    }

    fn beat(id: &str, epoch: i32) -> ShareHeartbeat {
        ShareHeartbeat {
            member_id: id.into(),
            member_epoch: epoch,
            ..Default::default()
        }
    }

    #[test]
    fn every_member_gets_every_partition() {
        let (tid, topics) = topics(2);
        let g = ShareGroups::default();
        let now = Instant::now();
        let a = g.heartbeat("g", join("a"), &topics, now, T, 200).unwrap();
        assert!(a.created);
        assert_eq!(
            a.reply.member_epoch, 2,
            "join and subscribed topics bump the epoch"
        );
        let all: Assignment = [(tid, [0, 1].into_iter().collect())].into_iter().collect();
        assert_eq!(a.reply.assignment, Some(all.clone()));
        let b = g.heartbeat("g", join("b"), &topics, now, T, 200).unwrap();
        assert_eq!(b.reply.assignment, Some(all.clone()));
        assert_eq!(b.reply.member_epoch, 3);
        // a moves to the new epoch; its assignment did not change.
        let a2 = g
            .heartbeat("g", beat("a", 2), &topics, now, T, 200)
            .unwrap();
        assert_eq!(a2.reply.member_epoch, 3);
        assert_eq!(a2.reply.assignment, None);
        assert!(g.is_member("g", "a") && g.is_member("g", "b"));
        assert_eq!(g.group("g").unwrap().state(), "Stable");
    }

    #[test]
    fn wrong_epochs_unknown_members_and_full_groups_are_refused() {
        let (_, topics) = topics(1);
        let g = ShareGroups::default();
        let now = Instant::now();
        let e = g
            .heartbeat("g", beat("a", 3), &topics, now, T, 200)
            .unwrap_err();
        assert_eq!(e.code, ResponseError::UnknownMemberId);
        assert!(!g.exists("g"), "a refused heartbeat creates no group");
        g.heartbeat("g", join("a"), &topics, now, T, 1).unwrap();
        let e = g
            .heartbeat("g", beat("a", 9), &topics, now, T, 1)
            .unwrap_err();
        assert_eq!(e.code, ResponseError::FencedMemberEpoch);
        let e = g
            .heartbeat("g", beat("a", 1), &topics, now, T, 1)
            .unwrap_err();
        assert_eq!(
            e.code,
            ResponseError::FencedMemberEpoch,
            "1 is not the previous epoch (0)"
        );
        let ok = g.heartbeat("g", beat("a", 2), &topics, now, T, 1).unwrap();
        assert_eq!(ok.reply.member_epoch, 2);
        let e = g.heartbeat("g", join("b"), &topics, now, T, 1).unwrap_err();
        assert_eq!(e.code, ResponseError::GroupMaxSizeReached);
        let e = g
            .heartbeat("g", beat("b", 1), &topics, now, T, 1)
            .unwrap_err();
        assert_eq!(e.code, ResponseError::UnknownMemberId);
        assert!(validate("", &join("a")).is_err());
        assert!(
            validate("g", &beat("a", 0)).is_err(),
            "a join names its topics"
        );
        assert!(validate("g", &beat("a", -2)).is_err());
        assert!(validate("g", &beat("", 1)).is_err());
    }

    #[test]
    fn leaving_and_expiring_remove_members() {
        let (_, topics) = topics(1);
        let g = ShareGroups::default();
        let now = Instant::now();
        g.heartbeat("g", join("a"), &topics, now, T, 200).unwrap();
        g.heartbeat(
            "g",
            join("b"),
            &topics,
            now + Duration::from_secs(30),
            T,
            200,
        )
        .unwrap();
        let left = g
            .heartbeat("g", beat("a", LEAVE_EPOCH), &topics, now, T, 200)
            .unwrap();
        assert!(left.left);
        assert_eq!(left.reply.member_epoch, LEAVE_EPOCH);
        assert!(!g.is_member("g", "a"));
        let e = g
            .heartbeat("g", beat("a", LEAVE_EPOCH), &topics, now, T, 200)
            .unwrap_err();
        assert_eq!(e.code, ResponseError::UnknownMemberId);
        assert_eq!(g.check_deletable("g"), Err(ResponseError::NonEmptyGroup));
        assert!(g.tick(now + Duration::from_secs(60)).is_empty());
        assert_eq!(
            g.tick(now + Duration::from_secs(76)),
            vec![("g".to_string(), "b".to_string())]
        );
        assert_eq!(g.group("g").unwrap().state(), "Empty");
        assert_eq!(g.check_deletable("g"), Ok(()));
        g.forget("g");
        assert!(!g.exists("g"));
        assert_eq!(g.check_deletable("g"), Err(ResponseError::GroupIdNotFound));
    }

    #[test]
    fn new_partitions_and_subscriptions_change_the_assignment() {
        let (tid, mut topics) = topics(1);
        let g = ShareGroups::default();
        let now = Instant::now();
        let a = g.heartbeat("g", join("a"), &topics, now, T, 200).unwrap();
        topics.insert("t".into(), (tid, 3));
        let a = g
            .heartbeat("g", beat("a", a.reply.member_epoch), &topics, now, T, 200)
            .unwrap();
        let want: Assignment = [(tid, [0, 1, 2].into_iter().collect())]
            .into_iter()
            .collect();
        assert_eq!(a.reply.assignment, Some(want));
        let mut other = beat("a", a.reply.member_epoch);
        other.subscribed_names = Some(vec!["none".into()]);
        let a = g.heartbeat("g", other, &topics, now, T, 200).unwrap();
        assert_eq!(a.reply.assignment, Some(Assignment::new()));
    }
}
