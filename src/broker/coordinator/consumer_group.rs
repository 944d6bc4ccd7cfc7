//! KIP-848 consumer groups (`group.protocol=consumer`): the group epoch, the
//! target assignment computed here by an [`Assignor`], and each member's
//! reconciliation towards it, as Kafka's GroupMetadataManager and
//! CurrentAssignmentBuilder do it. The one invariant: a partition is given to
//! a member only once no other member holds it, so a partition moves only
//! after its previous owner has reported it revoked (or was removed).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use kafka_protocol::ResponseError;
use regex::Regex;
use uuid::Uuid;

use super::assignor::{Assignment, Assignor, AssignorMember};

/// Member epoch of a member that asks to leave the group.
pub const LEAVE_EPOCH: i32 = -1;
/// Member epoch of a static member that leaves for now: it keeps its
/// assignment until its session times out or its instance id rejoins.
pub const STATIC_LEAVE_EPOCH: i32 = -2;

/// Kafka's group.consumer.session.timeout.ms and heartbeat.interval.ms.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub session: Duration,
    pub heartbeat_interval: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            session: Duration::from_millis(45_000),
            heartbeat_interval: Duration::from_millis(5_000),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberState {
    /// At the target epoch with everything it may have.
    Stable,
    /// Must give partitions up before it moves on.
    UnrevokedPartitions,
    /// At the target epoch, waiting for partitions others still hold.
    UnreleasedPartitions,
}

impl MemberState {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberState::Stable => "stable",
            MemberState::UnrevokedPartitions => "unrevoked_partitions",
            MemberState::UnreleasedPartitions => "unreleased_partitions",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub instance_id: Option<String>,
    pub rack_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub epoch: i32,
    /// The epoch before the last change; a heartbeat with it is still valid
    /// when its response was lost.
    pub previous_epoch: i32,
    pub state: MemberState,
    /// What the member may consume now.
    pub assigned: Assignment,
    /// What it was asked to give up and has not yet reported revoked.
    pub pending_revocation: Assignment,
    pub subscribed_names: BTreeSet<String>,
    pub subscribed_regex: Option<String>,
    /// Compiled as a full match of the topic name, as Java's Pattern.matches.
    regex: Option<Regex>,
    pub server_assignor: Option<String>,
    pub rebalance_timeout: Duration,
    session_deadline: Instant,
    /// Set while the member owes a revocation; past it, the member is removed.
    revocation_deadline: Option<Instant>,
}

impl Member {
    fn subscribes(&self, topic: &str) -> bool {
        self.subscribed_names.contains(topic)
            || self.regex.as_ref().is_some_and(|r| r.is_match(topic))
    }
}

/// A ConsumerGroupHeartbeat, in the coordinator's terms.
#[derive(Debug, Clone, Default)]
pub struct Heartbeat {
    pub member_id: String,
    pub member_epoch: i32,
    pub instance_id: Option<String>,
    pub rack_id: Option<String>,
    /// -1 when not sent.
    pub rebalance_timeout_ms: i32,
    pub subscribed_names: Option<Vec<String>>,
    pub subscribed_regex: Option<String>,
    pub server_assignor: Option<String>,
    /// The partitions the member reports it owns; `None` when not sent.
    pub owned: Option<Assignment>,
    pub client_id: String,
    pub client_host: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatReply {
    pub member_id: String,
    pub member_epoch: i32,
    /// Sent when the member joins, sends a full request, or its assignment changed.
    pub assignment: Option<Assignment>,
}

/// A Kafka error code and the message that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupError {
    pub code: ResponseError,
    pub message: String,
}

fn err<T>(code: ResponseError, message: impl Into<String>) -> Result<T, GroupError> {
    Err(GroupError {
        code,
        message: message.into(),
    })
}

/// A topic as the group sees it: id and partition count.
pub type TopicsByName = BTreeMap<String, (Uuid, i32)>;

#[derive(Debug, Clone)]
pub struct ConsumerGroup {
    pub id: String,
    /// Bumped by every change of membership, subscription or subscribed
    /// topics' metadata.
    pub epoch: i32,
    /// The group epoch the target assignment was computed for.
    pub assignment_epoch: i32,
    pub members: BTreeMap<String, Member>,
    pub target: BTreeMap<String, Assignment>,
    /// The member holding each partition (assigned or still revoking).
    owners: HashMap<(Uuid, i32), String>,
    /// The subscribed topics as of the current group epoch.
    subscribed_topics: TopicsByName,
}

impl ConsumerGroup {
    pub fn new(id: &str) -> ConsumerGroup {
        ConsumerGroup {
            id: id.to_string(),
            epoch: 0,
            assignment_epoch: 0,
            members: BTreeMap::new(),
            target: BTreeMap::new(),
            owners: HashMap::new(),
            subscribed_topics: TopicsByName::new(),
        }
    }

    /// Kafka's ConsumerGroup states.
    pub fn state(&self) -> &'static str {
        if self.members.is_empty() {
            "Empty"
        } else if self.assignment_epoch < self.epoch {
            "Assigning"
        } else if self
            .members
            .values()
            .any(|m| m.epoch != self.assignment_epoch || m.state != MemberState::Stable)
        {
            "Reconciling"
        } else {
            "Stable"
        }
    }

    /// The assignor most members prefer; `uniform` when none says.
    pub fn assignor(&self) -> Assignor {
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for m in self.members.values() {
            if let Some(a) = &m.server_assignor {
                *votes.entry(a.as_str()).or_default() += 1;
            }
        }
        votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .and_then(|(name, _)| Assignor::from_name(name))
            .unwrap_or(Assignor::DEFAULT)
    }

    /// Handles one heartbeat. `topics` is every topic the broker has.
    pub fn heartbeat(
        &mut self,
        hb: Heartbeat,
        topics: &TopicsByName,
        now: Instant,
        timeouts: Timeouts,
    ) -> Result<HeartbeatReply, GroupError> {
        if hb.member_id.is_empty() {
            return err(ResponseError::InvalidRequest, "MemberId can't be empty.");
        }
        match hb.member_epoch {
            LEAVE_EPOCH => return self.leave(&hb.member_id, now),
            STATIC_LEAVE_EPOCH => return self.static_leave(&hb),
            e if e < LEAVE_EPOCH => {
                return err(
                    ResponseError::InvalidRequest,
                    format!("MemberEpoch {e} is not a valid member epoch."),
                )
            }
            _ => {}
        }
        let regex = match &hb.subscribed_regex {
            Some(r) if !r.is_empty() => Some(compile(r)?),
            _ => None,
        };
        if let Some(a) = &hb.server_assignor {
            if Assignor::from_name(a).is_none() {
                return err(
                    ResponseError::UnsupportedAssignor,
                    format!(
                        "ServerAssignor {a} is not supported. Supported assignors: uniform, range."
                    ),
                );
            }
        }
        let joining = hb.member_epoch == 0;
        if joining {
            if hb.rebalance_timeout_ms < 0 {
                return err(
                    ResponseError::InvalidRequest,
                    "RebalanceTimeoutMs must be provided in first request.",
                );
            }
            if hb.subscribed_names.is_none() && hb.subscribed_regex.is_none() {
                return err(
                    ResponseError::InvalidRequest,
                    "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.",
                );
            }
            self.join(&hb, now, timeouts)?;
        } else {
            self.check_epoch(&hb)?;
        }
        let member = self
            .members
            .get_mut(&hb.member_id)
            .expect("joined or checked above");
        let before = member.assigned.clone();
        let mut changed = false;
        if let Some(names) = &hb.subscribed_names {
            let names: BTreeSet<String> = names.iter().cloned().collect();
            if names != member.subscribed_names {
                member.subscribed_names = names;
                changed = true;
            }
        }
        if hb.subscribed_regex.is_some() {
            let regex_text = hb.subscribed_regex.clone().filter(|r| !r.is_empty());
            if regex_text != member.subscribed_regex {
                member.subscribed_regex = regex_text;
                member.regex = regex;
                changed = true;
            }
        }
        if hb.server_assignor.is_some() && hb.server_assignor != member.server_assignor {
            member.server_assignor = hb.server_assignor.clone();
            changed = true;
        }
        if hb.rebalance_timeout_ms >= 0 {
            member.rebalance_timeout = Duration::from_millis(hb.rebalance_timeout_ms as u64);
        }
        if hb.rack_id.is_some() {
            member.rack_id = hb.rack_id.clone();
        }
        member.client_id = hb.client_id.clone();
        member.client_host = hb.client_host.clone();
        member.session_deadline = now + timeouts.session;
        if changed {
            self.epoch += 1;
        }
        self.refresh_topics(topics);
        self.compute_target();
        self.reconcile(&hb.member_id, hb.owned.as_ref(), now);
        let member = &self.members[&hb.member_id];
        let full = hb.rebalance_timeout_ms >= 0
            && (hb.subscribed_names.is_some() || hb.subscribed_regex.is_some())
            && hb.owned.is_some();
        Ok(HeartbeatReply {
            member_id: member.id.clone(),
            member_epoch: member.epoch,
            assignment: (joining || full || member.assigned != before)
                .then(|| member.assigned.clone()),
        })
    }

    /// Adds the member, or lets a static member take the place its instance
    /// id holds, or resets a member that rejoins after losing its partitions.
    fn join(&mut self, hb: &Heartbeat, now: Instant, timeouts: Timeouts) -> Result<(), GroupError> {
        if let Some(instance) = &hb.instance_id {
            let holder = self
                .members
                .values()
                .find(|m| m.instance_id.as_deref() == Some(instance.as_str()))
                .map(|m| (m.id.clone(), m.epoch));
            match holder {
                Some((id, _)) if id == hb.member_id => {}
                Some((id, STATIC_LEAVE_EPOCH)) => {
                    // The replacement takes the old member's place: its
                    // epoch, its assignment and its partitions.
                    let mut m = self.members.remove(&id).expect("found above");
                    m.id = hb.member_id.clone();
                    if m.epoch == STATIC_LEAVE_EPOCH {
                        m.epoch = m.previous_epoch;
                    }
                    m.session_deadline = now + timeouts.session;
                    for owner in self.owners.values_mut() {
                        if *owner == id {
                            *owner = hb.member_id.clone();
                        }
                    }
                    if let Some(t) = self.target.remove(&id) {
                        self.target.insert(hb.member_id.clone(), t);
                    }
                    self.members.insert(hb.member_id.clone(), m);
                    return Ok(());
                }
                Some(_) => {
                    return err(
                        ResponseError::UnreleasedInstanceId,
                        format!(
                            "Static member with unknown member id and instance id {instance} cannot join the group {} because the instance id is owned by another member.",
                            self.id
                        ),
                    )
                }
                None => {}
            }
        }
        if let Some(m) = self.members.get_mut(&hb.member_id) {
            // It comes back with nothing: what it held is free again.
            m.previous_epoch = m.epoch.max(0);
            m.epoch = 0;
            m.state = MemberState::Stable;
            m.assigned.clear();
            m.pending_revocation.clear();
            m.revocation_deadline = None;
            let id = m.id.clone();
            self.owners.retain(|_, owner| *owner != id);
            return Ok(());
        }
        self.members.insert(
            hb.member_id.clone(),
            Member {
                id: hb.member_id.clone(),
                instance_id: hb.instance_id.clone(),
                rack_id: hb.rack_id.clone(),
                client_id: hb.client_id.clone(),
                client_host: hb.client_host.clone(),
                epoch: 0,
                previous_epoch: 0,
                state: MemberState::Stable,
                assigned: Assignment::new(),
                pending_revocation: Assignment::new(),
                subscribed_names: BTreeSet::new(),
                subscribed_regex: None,
                regex: None,
                server_assignor: None,
                rebalance_timeout: Duration::from_millis(hb.rebalance_timeout_ms.max(0) as u64),
                session_deadline: now + timeouts.session,
                revocation_deadline: None,
            },
        );
        self.epoch += 1;
        Ok(())
    }

    /// Kafka's throwIfConsumerGroupMemberEpochIsInvalid.
    fn check_epoch(&self, hb: &Heartbeat) -> Result<(), GroupError> {
        let Some(m) = self.members.get(&hb.member_id) else {
            return err(
                ResponseError::UnknownMemberId,
                format!(
                    "Member {} is not a member of group {}.",
                    hb.member_id, self.id
                ),
            );
        };
        let fenced = || {
            err(
                ResponseError::FencedMemberEpoch,
                format!(
                    "The consumer group member has a smaller or larger member epoch ({}) than the one known by the group coordinator ({}). The member must abandon all its partitions and rejoin.",
                    hb.member_epoch, m.epoch
                ),
            )
        };
        if m.epoch == STATIC_LEAVE_EPOCH || hb.member_epoch > m.epoch {
            return fenced();
        }
        if hb.member_epoch < m.epoch {
            // A response lost on the way: the member still has the previous
            // epoch and no partition beyond what it holds now.
            let subset = hb.owned.as_ref().is_some_and(|owned| {
                owned.iter().all(|(t, ps)| {
                    ps.is_empty() || m.assigned.get(t).is_some_and(|a| ps.is_subset(a))
                })
            });
            if hb.member_epoch != m.previous_epoch || !subset {
                return fenced();
            }
        }
        Ok(())
    }

    fn leave(&mut self, member_id: &str, _now: Instant) -> Result<HeartbeatReply, GroupError> {
        if !self.members.contains_key(member_id) {
            return err(
                ResponseError::UnknownMemberId,
                format!("Member {member_id} is not a member of group {}.", self.id),
            );
        }
        self.remove(member_id);
        Ok(HeartbeatReply {
            member_id: member_id.to_string(),
            member_epoch: LEAVE_EPOCH,
            assignment: None,
        })
    }

    fn static_leave(&mut self, hb: &Heartbeat) -> Result<HeartbeatReply, GroupError> {
        let Some(instance) = &hb.instance_id else {
            return err(
                ResponseError::InvalidRequest,
                "InstanceId can't be null when leaving with member epoch -2.",
            );
        };
        let Some(m) = self.members.get_mut(&hb.member_id) else {
            return err(
                ResponseError::UnknownMemberId,
                format!(
                    "Member {} is not a member of group {}.",
                    hb.member_id, self.id
                ),
            );
        };
        if m.instance_id.as_deref() != Some(instance.as_str()) {
            return err(
                ResponseError::FencedInstanceId,
                format!(
                    "Member {} does not have instance id {instance}.",
                    hb.member_id
                ),
            );
        }
        if m.epoch != STATIC_LEAVE_EPOCH {
            m.previous_epoch = m.epoch;
            m.epoch = STATIC_LEAVE_EPOCH;
        }
        Ok(HeartbeatReply {
            member_id: hb.member_id.clone(),
            member_epoch: STATIC_LEAVE_EPOCH,
            assignment: None,
        })
    }

    /// Removes a member; its partitions are free for the others.
    pub fn remove(&mut self, member_id: &str) {
        if self.members.remove(member_id).is_some() {
            self.owners.retain(|_, owner| owner != member_id);
            self.target.remove(member_id);
            self.epoch += 1;
        }
    }

    /// Removes members whose session expired and members that did not give
    /// up partitions within their rebalance timeout. Returns their ids.
    pub fn tick(&mut self, now: Instant) -> Vec<(String, &'static str)> {
        let gone: Vec<(String, &'static str)> = self
            .members
            .values()
            .filter_map(|m| {
                if m.session_deadline <= now {
                    Some((m.id.clone(), "no heartbeat within the session timeout"))
                } else if m.revocation_deadline.is_some_and(|d| d <= now) {
                    Some((
                        m.id.clone(),
                        "partitions not revoked within the rebalance timeout",
                    ))
                } else {
                    None
                }
            })
            .collect();
        for (id, _) in &gone {
            self.remove(id);
        }
        if !gone.is_empty() {
            self.compute_target();
        }
        gone
    }

    /// Bumps the group epoch when the subscribed topics changed (created,
    /// deleted, partitions added).
    fn refresh_topics(&mut self, topics: &TopicsByName) {
        let subscribed: TopicsByName = topics
            .iter()
            .filter(|(name, _)| self.members.values().any(|m| m.subscribes(name)))
            .map(|(n, v)| (n.clone(), *v))
            .collect();
        if subscribed != self.subscribed_topics {
            self.subscribed_topics = subscribed;
            self.epoch += 1;
        }
    }

    /// Recomputes the target assignment when the group epoch moved.
    fn compute_target(&mut self) {
        if self.assignment_epoch >= self.epoch {
            return;
        }
        let members: Vec<AssignorMember> = self
            .members
            .values()
            .map(|m| AssignorMember {
                id: m.id.clone(),
                topics: self
                    .subscribed_topics
                    .iter()
                    .filter(|(name, _)| m.subscribes(name))
                    .map(|(_, (id, _))| *id)
                    .collect(),
                current: self.target.get(&m.id).cloned().unwrap_or_default(),
            })
            .collect();
        let topics: BTreeMap<Uuid, i32> = self.subscribed_topics.values().copied().collect();
        self.target = self.assignor().assign(&members, &topics);
        self.assignment_epoch = self.epoch;
    }

    /// Kafka's CurrentAssignmentBuilder: moves the member one step towards
    /// its target assignment.
    fn reconcile(&mut self, member_id: &str, owned: Option<&Assignment>, now: Instant) {
        let Some(m) = self.members.get(member_id) else {
            return;
        };
        let next_epoch = match m.state {
            MemberState::Stable if m.epoch == self.assignment_epoch => return,
            MemberState::Stable | MemberState::UnreleasedPartitions => m.epoch,
            MemberState::UnrevokedPartitions => {
                if owns_any(owned, &m.pending_revocation) {
                    return;
                }
                (m.epoch + 1).min(self.assignment_epoch)
            }
        };
        // What it reported revoked is free now, also for itself.
        if m.state == MemberState::UnrevokedPartitions {
            let pending: Vec<(Uuid, i32)> = flatten(&m.pending_revocation).collect();
            for tp in pending {
                self.owners.remove(&tp);
            }
        }
        let m = self.members.get_mut(member_id).expect("checked above");
        if m.state == MemberState::UnrevokedPartitions {
            m.pending_revocation.clear();
            m.revocation_deadline = None;
        }
        let target = self.target.get(member_id).cloned().unwrap_or_default();
        let mut kept = Assignment::new();
        let mut revoke = Assignment::new();
        let mut gain = Assignment::new();
        let mut unreleased = false;
        let topics: BTreeSet<Uuid> = target.keys().chain(m.assigned.keys()).copied().collect();
        for t in topics {
            let want = target.get(&t).cloned().unwrap_or_default();
            let have = m.assigned.get(&t).cloned().unwrap_or_default();
            for &p in &have {
                if want.contains(&p) {
                    kept.entry(t).or_default().insert(p);
                } else {
                    revoke.entry(t).or_default().insert(p);
                }
            }
            for &p in want.difference(&have) {
                match self.owners.get(&(t, p)) {
                    Some(owner) if owner != member_id => unreleased = true,
                    _ => {
                        gain.entry(t).or_default().insert(p);
                    }
                }
            }
        }
        let old_epoch = m.epoch;
        if !revoke.is_empty() && owns_any(owned, &revoke) {
            m.state = MemberState::UnrevokedPartitions;
            m.epoch = next_epoch;
            m.assigned = kept;
            m.pending_revocation = revoke;
            m.revocation_deadline = Some(now + m.rebalance_timeout);
        } else {
            for (t, ps) in gain {
                kept.entry(t).or_default().extend(ps);
            }
            m.state = if unreleased {
                MemberState::UnreleasedPartitions
            } else {
                MemberState::Stable
            };
            m.epoch = self.assignment_epoch;
            m.assigned = kept;
            m.pending_revocation.clear();
        }
        if m.epoch != old_epoch {
            m.previous_epoch = old_epoch;
        }
        let held: Vec<(Uuid, i32)> = flatten(&m.assigned)
            .chain(flatten(&m.pending_revocation))
            .collect();
        self.owners.retain(|_, owner| owner != member_id);
        for tp in held {
            self.owners.insert(tp, member_id.to_string());
        }
    }

    /// Who holds a partition now, for tests and describe.
    pub fn owner(&self, topic: Uuid, partition: i32) -> Option<&str> {
        self.owners.get(&(topic, partition)).map(String::as_str)
    }

    /// Kafka's ConsumerGroup.validateOffsetCommit: a member commits with its
    /// current epoch; a commit without a member (epoch -1) only while the
    /// group is empty.
    pub fn check_commit(&self, member_id: &str, member_epoch: i32) -> Result<(), ResponseError> {
        if member_epoch < 0 && self.members.is_empty() {
            return Ok(());
        }
        self.check_member_epoch(member_id, member_epoch)
    }

    /// Kafka's ConsumerGroup.validateOffsetFetch: epoch -1 is an admin read.
    pub fn check_fetch(&self, member_id: &str, member_epoch: i32) -> Result<(), ResponseError> {
        if member_epoch < 0 {
            return Ok(());
        }
        self.check_member_epoch(member_id, member_epoch)
    }

    /// The member exists and `member_epoch` is its current epoch.
    fn check_member_epoch(&self, member_id: &str, member_epoch: i32) -> Result<(), ResponseError> {
        let m = self
            .members
            .get(member_id)
            .ok_or(ResponseError::UnknownMemberId)?;
        if member_epoch != m.epoch {
            return Err(ResponseError::StaleMemberEpoch);
        }
        Ok(())
    }
}

fn flatten(a: &Assignment) -> impl Iterator<Item = (Uuid, i32)> + '_ {
    a.iter()
        .flat_map(|(t, ps)| ps.iter().map(move |p| (*t, *p)))
}

/// Whether the member still holds any of `revoke`; a member that does not
/// report what it owns is taken to hold everything.
fn owns_any(owned: Option<&Assignment>, revoke: &Assignment) -> bool {
    match owned {
        None => true,
        Some(owned) => revoke.iter().any(|(t, ps)| {
            owned
                .get(t)
                .is_some_and(|o| ps.iter().any(|p| o.contains(p)))
        }),
    }
}

/// A subscription regex, RE2/J syntax, matched against the whole topic name.
fn compile(pattern: &str) -> Result<Regex, GroupError> {
    Regex::new(&format!("^(?:{pattern})$")).or_else(|e| {
        err(
            ResponseError::InvalidRegularExpression,
            format!("SubscribedTopicRegex `{pattern}` is not a valid regular expression: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(45);

    fn timeouts() -> Timeouts {
        Timeouts {
            session: T,
            heartbeat_interval: Duration::from_secs(5),
        }
    }

    fn join(id: &str, topics: &[&str]) -> Heartbeat {
        Heartbeat {
            member_id: id.into(),
            member_epoch: 0,
            rebalance_timeout_ms: 30_000,
            subscribed_names: Some(topics.iter().map(|t| t.to_string()).collect()),
            owned: Some(Assignment::new()),
            ..Default::default()
        }
    }

    fn beat(id: &str, epoch: i32, owned: &Assignment) -> Heartbeat {
        Heartbeat {
            member_id: id.into(),
            member_epoch: epoch,
            rebalance_timeout_ms: -1,
            owned: Some(owned.clone()),
            ..Default::default()
        }
    }

    fn count(a: &Assignment) -> usize {
        a.values().map(|s| s.len()).sum()
    }

    /// No partition is in two members' assigned or pending sets.
    fn assert_unshared(g: &ConsumerGroup) {
        let mut seen = HashMap::new();
        for m in g.members.values() {
            for tp in flatten(&m.assigned).chain(flatten(&m.pending_revocation)) {
                if let Some(other) = seen.insert(tp, m.id.clone()) {
                    panic!("{tp:?} held by {other} and {}", m.id);
                }
            }
        }
    }

    fn topics(n: i32) -> (Uuid, TopicsByName) {
        let id = Uuid::new_v4();
        (id, TopicsByName::from([("t".to_string(), (id, n))]))
    }

    #[test]
    fn a_second_member_gets_partitions_only_after_the_first_revokes_them() {
        let (_, md) = topics(4);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let a = g
            .heartbeat(join("a", &["t"]), &md, now, timeouts())
            .unwrap();
        let a_parts = a.assignment.clone().unwrap();
        assert_eq!(count(&a_parts), 4);
        assert_eq!(a.member_epoch, g.epoch);

        let b = g
            .heartbeat(join("b", &["t"]), &md, now, timeouts())
            .unwrap();
        // b's target is 2 partitions, but a still holds them.
        assert_eq!(count(b.assignment.as_ref().unwrap()), 0);
        assert_eq!(g.members["b"].state, MemberState::UnreleasedPartitions);
        assert_unshared(&g);

        // a is asked to revoke two: its assignment shrinks, its epoch stays.
        let a2 = g
            .heartbeat(beat("a", a.member_epoch, &a_parts), &md, now, timeouts())
            .unwrap();
        let a_kept = a2.assignment.clone().unwrap();
        assert_eq!(count(&a_kept), 2);
        assert_eq!(a2.member_epoch, a.member_epoch);
        assert_eq!(g.members["a"].state, MemberState::UnrevokedPartitions);

        // b still waits while a has not reported the revocation.
        let b2 = g
            .heartbeat(
                beat("b", b.member_epoch, &Assignment::new()),
                &md,
                now,
                timeouts(),
            )
            .unwrap();
        assert_eq!(count(&g.members["b"].assigned), 0);
        assert_eq!(b2.assignment, None);
        assert_unshared(&g);

        // a reports it owns only the kept ones: it moves to the new epoch.
        let a3 = g
            .heartbeat(beat("a", a2.member_epoch, &a_kept), &md, now, timeouts())
            .unwrap();
        assert_eq!(a3.member_epoch, g.epoch);
        assert_eq!(g.members["a"].state, MemberState::Stable);

        // Now b gets the two released partitions.
        let b3 = g
            .heartbeat(
                beat("b", b2.member_epoch, &Assignment::new()),
                &md,
                now,
                timeouts(),
            )
            .unwrap();
        assert_eq!(count(b3.assignment.as_ref().unwrap()), 2);
        assert_eq!(g.members["b"].state, MemberState::Stable);
        assert_eq!(g.state(), "Stable");
        assert_unshared(&g);
    }

    #[test]
    fn wrong_epochs_are_fenced_and_unknown_members_refused() {
        let (_, md) = topics(2);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let a = g
            .heartbeat(join("a", &["t"]), &md, now, timeouts())
            .unwrap();
        let e = g
            .heartbeat(
                beat("a", a.member_epoch + 1, &Assignment::new()),
                &md,
                now,
                timeouts(),
            )
            .unwrap_err();
        assert_eq!(e.code, ResponseError::FencedMemberEpoch);
        let e = g
            .heartbeat(beat("zz", 1, &Assignment::new()), &md, now, timeouts())
            .unwrap_err();
        assert_eq!(e.code, ResponseError::UnknownMemberId);
        assert_eq!(g.check_commit("a", a.member_epoch), Ok(()));
        assert_eq!(
            g.check_commit("a", a.member_epoch - 1),
            Err(ResponseError::StaleMemberEpoch)
        );
        assert_eq!(g.check_commit("zz", 1), Err(ResponseError::UnknownMemberId));
        assert_eq!(g.check_fetch("zz", -1), Ok(()));
    }

    #[test]
    fn leaving_and_expiring_free_partitions_for_the_others() {
        let (_, md) = topics(4);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let a = g
            .heartbeat(join("a", &["t"]), &md, now, timeouts())
            .unwrap();
        let b = g
            .heartbeat(join("b", &["t"]), &md, now, timeouts())
            .unwrap();
        let a_parts = a.assignment.unwrap();
        let a2 = g
            .heartbeat(beat("a", a.member_epoch, &a_parts), &md, now, timeouts())
            .unwrap();
        let left = g
            .heartbeat(
                Heartbeat {
                    member_epoch: LEAVE_EPOCH,
                    ..beat("a", 0, &Assignment::new())
                },
                &md,
                now,
                timeouts(),
            )
            .unwrap();
        assert_eq!(left.member_epoch, LEAVE_EPOCH);
        let b2 = g
            .heartbeat(
                beat("b", b.member_epoch, &Assignment::new()),
                &md,
                now,
                timeouts(),
            )
            .unwrap();
        assert_eq!(count(b2.assignment.as_ref().unwrap()), 4);
        assert!(a2.member_epoch < b2.member_epoch);

        // c joins; b stops heartbeating and expires; c gets everything.
        let c = g
            .heartbeat(join("c", &["t"]), &md, now, timeouts())
            .unwrap();
        let later = now + T + Duration::from_millis(1);
        let c2 = g
            .heartbeat(
                beat("c", c.member_epoch, &Assignment::new()),
                &md,
                later - Duration::from_secs(1),
                timeouts(),
            )
            .unwrap();
        let gone = g.tick(later);
        assert_eq!(
            gone.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
            vec!["b"]
        );
        let owned = g.members["c"].assigned.clone();
        let c3 = g
            .heartbeat(beat("c", c2.member_epoch, &owned), &md, later, timeouts())
            .unwrap();
        assert_eq!(count(c3.assignment.as_ref().unwrap()), 4);
        assert_unshared(&g);
    }

    #[test]
    fn a_static_member_keeps_its_place_across_a_restart() {
        let (_, md) = topics(2);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let mut hb = join("a", &["t"]);
        hb.instance_id = Some("i1".into());
        let a = g.heartbeat(hb.clone(), &md, now, timeouts()).unwrap();
        let epoch = g.epoch;
        // Same instance id while a is active: refused.
        let mut other = join("a2", &["t"]);
        other.instance_id = Some("i1".into());
        let e = g
            .heartbeat(other.clone(), &md, now, timeouts())
            .unwrap_err();
        assert_eq!(e.code, ResponseError::UnreleasedInstanceId);
        // a leaves statically, a2 takes its place with the same assignment
        // and without a new group epoch.
        let mut leave = beat("a", a.member_epoch, &Assignment::new());
        leave.member_epoch = STATIC_LEAVE_EPOCH;
        leave.instance_id = Some("i1".into());
        assert_eq!(
            g.heartbeat(leave, &md, now, timeouts())
                .unwrap()
                .member_epoch,
            STATIC_LEAVE_EPOCH
        );
        let a2 = g.heartbeat(other, &md, now, timeouts()).unwrap();
        assert_eq!(a2.assignment, a.assignment);
        assert_eq!(a2.member_epoch, a.member_epoch);
        assert_eq!(g.epoch, epoch);
        assert!(!g.members.contains_key("a"));
    }

    #[test]
    fn new_partitions_and_regex_matches_bump_the_group_epoch() {
        let (id, mut md) = topics(1);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let mut hb = join("a", &[]);
        hb.subscribed_names = None;
        hb.subscribed_regex = Some("t|u.*".into());
        let a = g.heartbeat(hb, &md, now, timeouts()).unwrap();
        assert_eq!(count(a.assignment.as_ref().unwrap()), 1);
        md.insert("t".into(), (id, 3));
        let u = Uuid::new_v4();
        md.insert("u1".into(), (u, 2));
        md.insert("xu1".into(), (Uuid::new_v4(), 2));
        let owned = a.assignment.clone().unwrap();
        let a2 = g
            .heartbeat(beat("a", a.member_epoch, &owned), &md, now, timeouts())
            .unwrap();
        assert!(a2.member_epoch > a.member_epoch);
        assert_eq!(count(a2.assignment.as_ref().unwrap()), 5);
        let e = g
            .heartbeat(
                Heartbeat {
                    subscribed_regex: Some("(".into()),
                    ..join("b", &[])
                },
                &md,
                now,
                timeouts(),
            )
            .unwrap_err();
        assert_eq!(e.code, ResponseError::InvalidRegularExpression);
    }

    #[test]
    fn a_member_that_does_not_revoke_in_time_is_removed() {
        let (_, md) = topics(2);
        let now = Instant::now();
        let mut g = ConsumerGroup::new("g");
        let a = g
            .heartbeat(join("a", &["t"]), &md, now, timeouts())
            .unwrap();
        g.heartbeat(join("b", &["t"]), &md, now, timeouts())
            .unwrap();
        let owned = a.assignment.unwrap();
        g.heartbeat(beat("a", a.member_epoch, &owned), &md, now, timeouts())
            .unwrap();
        assert_eq!(g.members["a"].state, MemberState::UnrevokedPartitions);
        let gone = g.tick(now + Duration::from_secs(31));
        assert_eq!(gone[0].0, "a");
        assert_eq!(
            gone[0].1,
            "partitions not revoked within the rebalance timeout"
        );
    }
}
