//! One consumer group under the classic rebalance protocol: members, the
//! generation, and the Empty → PreparingRebalance → CompletingRebalance →
//! Stable cycle. Plain values only; the handlers translate to and from the
//! wire. Waiting JoinGroup and SyncGroup requests are oneshot senders that the
//! state machine answers when their phase completes. The first join phase of
//! an Empty group waits group.initial.rebalance.delay.ms for more members, as
//! Kafka's InitialDelayedJoin does, so that members starting together share
//! one generation instead of rebalancing once per arrival.

use std::time::{Duration, Instant};

use bytes::Bytes;
use indexmap::IndexMap;
use kafka_protocol::ResponseError;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
}

impl GroupState {
    /// Kafka's spelling, as ListGroups and DescribeGroups report it.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
        }
    }
}

/// What a JoinGroup request asks for.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub session_timeout: Duration,
    pub rebalance_timeout: Duration,
    pub protocol_type: String,
    pub protocols: Vec<(String, Bytes)>,
    /// JoinGroup v4+: a new member first gets an id and must join again with it.
    pub require_known_member_id: bool,
    /// group.initial.rebalance.delay.ms in force when the request arrived.
    pub initial_rebalance_delay: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct JoinResult {
    pub error: i16,
    pub generation: i32,
    pub protocol_type: Option<String>,
    pub protocol: Option<String>,
    pub leader: String,
    pub member_id: String,
    /// For the leader only: every member with its protocol metadata.
    pub members: Vec<(String, Option<String>, Bytes)>,
}

impl JoinResult {
    fn error(e: ResponseError, member_id: &str) -> JoinResult {
        JoinResult {
            error: e.code(),
            generation: -1,
            member_id: member_id.to_string(),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SyncResult {
    pub error: i16,
    pub protocol_type: Option<String>,
    pub protocol: Option<String>,
    pub assignment: Bytes,
}

impl SyncResult {
    fn error(e: ResponseError) -> SyncResult {
        SyncResult {
            error: e.code(),
            ..Default::default()
        }
    }
}

pub enum Reply<T> {
    Now(T),
    /// Answered when the rebalance phase completes.
    Later(oneshot::Receiver<T>),
}

#[derive(Debug)]
pub struct Member {
    pub id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub session_timeout: Duration,
    pub rebalance_timeout: Duration,
    pub protocols: Vec<(String, Bytes)>,
    pub assignment: Bytes,
    last_seen: Instant,
    awaiting_join: Option<oneshot::Sender<JoinResult>>,
    awaiting_sync: Option<oneshot::Sender<SyncResult>>,
}

impl Member {
    /// This member's metadata for the group's chosen protocol.
    pub fn metadata(&self, protocol: Option<&str>) -> Bytes {
        self.protocols
            .iter()
            .find(|(name, _)| Some(name.as_str()) == protocol)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct Group {
    pub id: String,
    pub state: GroupState,
    pub generation: i32,
    pub protocol_type: Option<String>,
    pub protocol: Option<String>,
    pub leader: Option<String>,
    /// In join order, so the first member to join leads.
    pub members: IndexMap<String, Member>,
    /// Ids handed out with MEMBER_ID_REQUIRED and not yet used.
    pending_ids: Vec<String>,
    rebalance_deadline: Option<Instant>,
    /// The broker's group.initial.rebalance.delay.ms, as of the last join.
    initial_rebalance_delay: Duration,
    /// Set while the first join phase after Empty waits for more members.
    initial_join: Option<InitialJoin>,
}

/// Kafka's InitialDelayedJoin: the join phase of an Empty group completes
/// only after the delay, and a new member arriving meanwhile extends it by
/// another delay, until the rebalance timeout is used up.
#[derive(Debug)]
struct InitialJoin {
    deadline: Instant,
    delay: Duration,
    /// Of the rebalance timeout, what later extensions may still take.
    remaining: Duration,
    new_member_added: bool,
}

impl Group {
    pub fn new(id: &str) -> Group {
        Group {
            id: id.to_string(),
            state: GroupState::Empty,
            generation: 0,
            protocol_type: None,
            protocol: None,
            leader: None,
            members: IndexMap::new(),
            pending_ids: Vec::new(),
            rebalance_deadline: None,
            initial_rebalance_delay: Duration::ZERO,
            initial_join: None,
        }
    }

    pub fn join(&mut self, req: JoinRequest, now: Instant) -> Reply<JoinResult> {
        self.initial_rebalance_delay = req.initial_rebalance_delay;
        if req.protocols.is_empty()
            || req.protocol_type.is_empty()
            || (!self.members.is_empty()
                && self.protocol_type.as_deref() != Some(req.protocol_type.as_str()))
            || !self.supports_any(&req.protocols)
        {
            return Reply::Now(JoinResult::error(
                ResponseError::InconsistentGroupProtocol,
                &req.member_id,
            ));
        }
        let member_id = req.member_id.clone();
        // A static member that restarted (no member id yet) takes its old
        // self's place, as Kafka's updateStaticMemberThenRebalanceOrCompleteJoin.
        if let Some(instance) = &req.instance_id {
            if let Some(old) = self
                .members
                .values()
                .find(|m| m.instance_id.as_ref() == Some(instance))
                .map(|m| m.id.clone())
            {
                if member_id.is_empty() {
                    return self.replace_static_member(&old, req, now);
                }
                if member_id != old {
                    return Reply::Now(JoinResult::error(
                        ResponseError::FencedInstanceId,
                        &member_id,
                    ));
                }
            }
        }
        if member_id.is_empty() {
            let id = format!("{}-{}", req.client_id, uuid::Uuid::new_v4());
            if req.require_known_member_id && req.instance_id.is_none() {
                self.pending_ids.push(id.clone());
                return Reply::Now(JoinResult::error(ResponseError::MemberIdRequired, &id));
            }
            return self.add_member(id, req, now);
        }
        if let Some(i) = self.pending_ids.iter().position(|p| *p == member_id) {
            self.pending_ids.swap_remove(i);
            return self.add_member(member_id, req, now);
        }
        if !self.members.contains_key(&member_id) {
            return Reply::Now(JoinResult::error(
                ResponseError::UnknownMemberId,
                &member_id,
            ));
        }
        let member = self.members.get_mut(&member_id).expect("checked above");
        let changed = member.protocols != req.protocols;
        member.protocols = req.protocols;
        member.session_timeout = req.session_timeout;
        member.rebalance_timeout = req.rebalance_timeout;
        member.last_seen = now;
        let is_leader = self.leader.as_deref() == Some(member_id.as_str());
        match self.state {
            GroupState::PreparingRebalance => self.await_join(&member_id, false, now),
            GroupState::CompletingRebalance | GroupState::Stable if !changed && !is_leader => {
                // Nothing changed: tell the member what it already has.
                Reply::Now(self.join_result(&member_id))
            }
            _ => self.await_join(&member_id, true, now),
        }
    }

    /// `member_id` waits for the join phase to complete, which a new
    /// rebalance starts first when `rebalance` (a no-op while one is on).
    fn await_join(&mut self, member_id: &str, rebalance: bool, now: Instant) -> Reply<JoinResult> {
        let (tx, rx) = oneshot::channel();
        self.members[member_id].awaiting_join = Some(tx);
        if rebalance {
            self.prepare_rebalance(now);
        }
        self.maybe_complete_join(now);
        Reply::Later(rx)
    }

    /// A restarted static member: it gets a new member id and its old
    /// self's assignment; the old id is fenced. In a Stable group whose
    /// protocol stays the same there is no rebalance (KIP-345): the member
    /// is told the generation it is in, with the leader as it was, so even a
    /// restarted leader only syncs and gets its assignment back.
    fn replace_static_member(
        &mut self,
        old_id: &str,
        req: JoinRequest,
        now: Instant,
    ) -> Reply<JoinResult> {
        let instance = req.instance_id.clone().unwrap_or_default();
        let new_id = format!("{instance}-{}", uuid::Uuid::new_v4());
        let Some(index) = self.members.get_index_of(old_id) else {
            return Reply::Now(JoinResult::error(ResponseError::UnknownMemberId, old_id));
        };
        let mut member = self.members.shift_remove_index(index).expect("indexed").1;
        // The old process may still wait on a join or a sync: it is fenced.
        if let Some(tx) = member.awaiting_join.take() {
            let _ = tx.send(JoinResult::error(ResponseError::FencedInstanceId, old_id));
        }
        if let Some(tx) = member.awaiting_sync.take() {
            let _ = tx.send(SyncResult::error(ResponseError::FencedInstanceId));
        }
        let leader_before = self.leader.clone().unwrap_or_default();
        if self.leader.as_deref() == Some(old_id) {
            self.leader = Some(new_id.clone());
        }
        member.id = new_id.clone();
        member.client_id = req.client_id;
        member.client_host = req.client_host;
        member.session_timeout = req.session_timeout;
        member.rebalance_timeout = req.rebalance_timeout;
        member.protocols = req.protocols;
        member.last_seen = now;
        self.members.shift_insert(index, new_id.clone(), member);
        match self.state {
            GroupState::Stable if self.select_protocol() == self.protocol => {
                let mut result = self.join_result(&new_id);
                result.leader = leader_before;
                result.members = Vec::new();
                Reply::Now(result)
            }
            GroupState::PreparingRebalance => self.await_join(&new_id, false, now),
            // Completing a rebalance (the leader may be assigning to the old
            // id) or a protocol change: a new generation.
            _ => self.await_join(&new_id, true, now),
        }
    }

    /// FENCED_INSTANCE_ID for a process whose static membership another
    /// process with the same `group.instance.id` has taken over (Kafka's
    /// isStaticMemberFenced): it must stop, not rejoin.
    fn check_not_fenced(
        &self,
        member_id: &str,
        instance_id: Option<&str>,
    ) -> Result<(), ResponseError> {
        let Some(instance) = instance_id else {
            return Ok(());
        };
        match self
            .members
            .values()
            .find(|m| m.instance_id.as_deref() == Some(instance))
        {
            Some(m) if m.id != member_id => Err(ResponseError::FencedInstanceId),
            _ => Ok(()),
        }
    }

    fn supports_any(&self, protocols: &[(String, Bytes)]) -> bool {
        self.members.is_empty()
            || protocols.iter().any(|(name, _)| {
                self.members
                    .values()
                    .all(|m| m.protocols.iter().any(|(n, _)| n == name))
            })
    }

    fn add_member(&mut self, id: String, req: JoinRequest, now: Instant) -> Reply<JoinResult> {
        let (tx, rx) = oneshot::channel();
        if self.members.is_empty() {
            self.protocol_type = Some(req.protocol_type.clone());
        }
        // As Kafka: only a group's first generation is worth waiting longer for.
        if self.state == GroupState::PreparingRebalance && self.generation == 0 {
            if let Some(initial) = &mut self.initial_join {
                initial.new_member_added = true;
            }
        }
        self.members.insert(
            id.clone(),
            Member {
                id,
                instance_id: req.instance_id,
                client_id: req.client_id,
                client_host: req.client_host,
                session_timeout: req.session_timeout,
                rebalance_timeout: req.rebalance_timeout,
                protocols: req.protocols,
                assignment: Bytes::new(),
                last_seen: now,
                awaiting_join: Some(tx),
                awaiting_sync: None,
            },
        );
        self.prepare_rebalance(now);
        self.maybe_complete_join(now);
        Reply::Later(rx)
    }

    fn prepare_rebalance(&mut self, now: Instant) {
        if self.state == GroupState::PreparingRebalance {
            return;
        }
        // Members waiting on SyncGroup must rejoin.
        for m in self.members.values_mut() {
            if let Some(tx) = m.awaiting_sync.take() {
                let _ = tx.send(SyncResult::error(ResponseError::RebalanceInProgress));
            }
        }
        let timeout = self
            .members
            .values()
            .map(|m| m.rebalance_timeout)
            .max()
            .unwrap_or_default();
        self.rebalance_deadline = Some(now + timeout);
        if self.state == GroupState::Empty && !self.initial_rebalance_delay.is_zero() {
            let delay = self.initial_rebalance_delay;
            self.initial_join = Some(InitialJoin {
                deadline: now + delay,
                delay,
                remaining: timeout.saturating_sub(delay),
                new_member_added: false,
            });
        }
        self.state = GroupState::PreparingRebalance;
    }

    /// Whether the initial delay still holds the join phase open; extends it
    /// when a member arrived during the last wait and time is left.
    fn initial_join_waits(&mut self, now: Instant) -> bool {
        let Some(initial) = &mut self.initial_join else {
            return false;
        };
        if self.members.is_empty() {
            // Nobody left to wait for.
        } else if now < initial.deadline {
            return true;
        } else if initial.new_member_added && !initial.remaining.is_zero() {
            let delay = initial.delay.min(initial.remaining);
            initial.new_member_added = false;
            initial.remaining -= delay;
            initial.deadline = now + delay;
            return true;
        }
        self.initial_join = None;
        false
    }

    /// Completes the join phase once every member has rejoined, or once the
    /// rebalance timeout has passed (dropping members that did not).
    fn maybe_complete_join(&mut self, now: Instant) {
        if self.state != GroupState::PreparingRebalance {
            return;
        }
        let waited_initial_delay = self.initial_join.is_some();
        if self.initial_join_waits(now) {
            return;
        }
        let all_joined = self.members.values().all(|m| m.awaiting_join.is_some());
        let expired = self.rebalance_deadline.is_some_and(|d| now >= d);
        if !waited_initial_delay && !all_joined && !expired {
            return;
        }
        self.members.retain(|_, m| m.awaiting_join.is_some());
        self.generation += 1;
        self.rebalance_deadline = None;
        if self.members.is_empty() {
            self.state = GroupState::Empty;
            self.protocol = None;
            self.leader = None;
            return;
        }
        self.protocol = self.select_protocol();
        if !self
            .leader
            .as_ref()
            .is_some_and(|l| self.members.contains_key(l))
        {
            self.leader = self.members.keys().next().cloned();
        }
        self.state = GroupState::CompletingRebalance;
        let ids: Vec<String> = self.members.keys().cloned().collect();
        for id in ids {
            let result = self.join_result(&id);
            let m = &mut self.members[&id];
            m.last_seen = now;
            m.assignment = Bytes::new();
            if let Some(tx) = m.awaiting_join.take() {
                let _ = tx.send(result);
            }
        }
    }

    /// The protocol every member supports that gets the most first-choice votes.
    fn select_protocol(&self) -> Option<String> {
        let first = self.members.values().next()?;
        let candidates: Vec<&String> = first
            .protocols
            .iter()
            .map(|(n, _)| n)
            .filter(|n| {
                self.members
                    .values()
                    .all(|m| m.protocols.iter().any(|(p, _)| p == *n))
            })
            .collect();
        let mut best: Option<(&String, usize)> = None;
        for c in &candidates {
            let votes = self
                .members
                .values()
                .filter(|m| {
                    m.protocols
                        .iter()
                        .find(|(p, _)| candidates.contains(&p))
                        .map(|(p, _)| p)
                        == Some(c)
                })
                .count();
            if best.is_none_or(|(_, v)| votes > v) {
                best = Some((c, votes));
            }
        }
        best.map(|(c, _)| c.clone())
    }

    fn join_result(&self, member_id: &str) -> JoinResult {
        let leader = self.leader.clone().unwrap_or_default();
        let members = if leader == member_id {
            self.members
                .values()
                .map(|m| {
                    (
                        m.id.clone(),
                        m.instance_id.clone(),
                        m.metadata(self.protocol.as_deref()),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        JoinResult {
            error: 0,
            generation: self.generation,
            protocol_type: self.protocol_type.clone(),
            protocol: self.protocol.clone(),
            leader,
            member_id: member_id.to_string(),
            members,
        }
    }

    pub fn sync(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        assignments: Vec<(String, Bytes)>,
        now: Instant,
    ) -> Reply<SyncResult> {
        if let Err(e) = self.check_not_fenced(member_id, instance_id) {
            return Reply::Now(SyncResult::error(e));
        }
        let Some(member) = self.members.get_mut(member_id) else {
            return Reply::Now(SyncResult::error(ResponseError::UnknownMemberId));
        };
        if generation != self.generation {
            return Reply::Now(SyncResult::error(ResponseError::IllegalGeneration));
        }
        member.last_seen = now;
        match self.state {
            GroupState::Empty | GroupState::PreparingRebalance => {
                Reply::Now(SyncResult::error(ResponseError::RebalanceInProgress))
            }
            GroupState::Stable => Reply::Now(self.sync_result(member_id)),
            GroupState::CompletingRebalance => {
                let (tx, rx) = oneshot::channel();
                member.awaiting_sync = Some(tx);
                if self.leader.as_deref() == Some(member_id) {
                    for (id, assignment) in assignments {
                        if let Some(m) = self.members.get_mut(&id) {
                            m.assignment = assignment;
                        }
                    }
                    self.state = GroupState::Stable;
                    let ids: Vec<String> = self.members.keys().cloned().collect();
                    for id in ids {
                        let result = self.sync_result(&id);
                        if let Some(tx) = self.members[&id].awaiting_sync.take() {
                            let _ = tx.send(result);
                        }
                    }
                }
                Reply::Later(rx)
            }
        }
    }

    fn sync_result(&self, member_id: &str) -> SyncResult {
        SyncResult {
            error: 0,
            protocol_type: self.protocol_type.clone(),
            protocol: self.protocol.clone(),
            assignment: self.members[member_id].assignment.clone(),
        }
    }

    pub fn heartbeat(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        generation: i32,
        now: Instant,
    ) -> Result<(), ResponseError> {
        self.check_not_fenced(member_id, instance_id)?;
        let member = self
            .members
            .get_mut(member_id)
            .ok_or(ResponseError::UnknownMemberId)?;
        member.last_seen = now;
        if generation != self.generation {
            return Err(ResponseError::IllegalGeneration);
        }
        match self.state {
            GroupState::PreparingRebalance => Err(ResponseError::RebalanceInProgress),
            _ => Ok(()),
        }
    }

    /// Removes a member; the others rebalance.
    pub fn leave(
        &mut self,
        member_id: &str,
        instance_id: Option<&str>,
        now: Instant,
    ) -> Result<(), ResponseError> {
        let id = match (member_id, instance_id) {
            ("", Some(instance)) => self
                .members
                .values()
                .find(|m| m.instance_id.as_deref() == Some(instance))
                .map(|m| m.id.clone()),
            (id, _) => self.members.contains_key(id).then(|| id.to_string()),
        };
        let id = id.ok_or(ResponseError::UnknownMemberId)?;
        self.remove_member(&id, now);
        Ok(())
    }

    fn remove_member(&mut self, id: &str, now: Instant) {
        if let Some(m) = self.members.shift_remove(id) {
            if let Some(tx) = m.awaiting_join {
                let _ = tx.send(JoinResult::error(ResponseError::UnknownMemberId, id));
            }
            if let Some(tx) = m.awaiting_sync {
                let _ = tx.send(SyncResult::error(ResponseError::UnknownMemberId));
            }
        }
        if self.leader.as_deref() == Some(id) {
            self.leader = None;
        }
        match self.state {
            GroupState::Stable | GroupState::CompletingRebalance => self.prepare_rebalance(now),
            _ => {}
        }
        if self.members.is_empty() && self.state == GroupState::PreparingRebalance {
            // Nobody left to wait for.
            self.rebalance_deadline = Some(now);
        }
        self.maybe_complete_join(now);
    }

    /// Expires members whose session ran out and completes a join phase
    /// whose rebalance timeout passed. Returns the ids expired.
    pub fn tick(&mut self, now: Instant) -> Vec<String> {
        let expired: Vec<String> = self
            .members
            .values()
            .filter(|m| {
                m.awaiting_join.is_none() && now.duration_since(m.last_seen) > m.session_timeout
            })
            .map(|m| m.id.clone())
            .collect();
        for id in &expired {
            self.remove_member(id, now);
        }
        self.maybe_complete_join(now);
        expired
    }

    /// Consumer-protocol subscriptions of the members (for OffsetDelete).
    pub fn subscribed_topics(&self) -> Vec<String> {
        use kafka_protocol::messages::ConsumerProtocolSubscription;
        use kafka_protocol::protocol::Decodable;
        if self.protocol_type.as_deref() != Some("consumer") {
            return Vec::new();
        }
        let mut topics = Vec::new();
        for m in self.members.values() {
            let mut metadata = m.metadata(self.protocol.as_deref());
            if metadata.len() < 2 {
                continue;
            }
            let version = i16::from_be_bytes([metadata[0], metadata[1]]);
            let _ = bytes::Buf::get_i16(&mut metadata);
            if let Ok(sub) =
                ConsumerProtocolSubscription::decode(&mut metadata, version.clamp(0, 3))
            {
                topics.extend(sub.topics.into_iter().map(|t| t.to_string()));
            }
        }
        topics.sort();
        topics.dedup();
        topics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(member: &str, client: &str) -> JoinRequest {
        JoinRequest {
            member_id: member.into(),
            instance_id: None,
            client_id: client.into(),
            client_host: "/127.0.0.1".into(),
            session_timeout: Duration::from_secs(10),
            rebalance_timeout: Duration::from_secs(30),
            protocol_type: "consumer".into(),
            protocols: vec![("range".into(), Bytes::from_static(b"m"))],
            require_known_member_id: true,
            initial_rebalance_delay: Duration::ZERO,
        }
    }

    fn now_result<T>(r: Reply<T>) -> T {
        match r {
            Reply::Now(t) => t,
            Reply::Later(mut rx) => rx.try_recv().expect("answered already"),
        }
    }

    #[test]
    fn a_restarted_static_leader_takes_its_place_without_a_rebalance() {
        let t = Instant::now();
        let mut g = Group::new("g");
        let stat = |id: &str, client: &str, instance: &str| JoinRequest {
            instance_id: Some(instance.into()),
            ..req(id, client)
        };
        // A forms generation 1 alone; B's arrival makes generation 2, which
        // A (the leader) assigns.
        let a = now_result(g.join(stat("", "a", "ia"), t));
        let a_id = a.member_id.clone();
        now_result(g.sync(
            &a_id,
            None,
            1,
            vec![(a_id.clone(), Bytes::from_static(b"all"))],
            t,
        ));
        let Reply::Later(mut b_rx) = g.join(stat("", "b", "ib"), t) else {
            panic!("b waits for a to rejoin")
        };
        let a = now_result(g.join(stat(&a_id, "a", "ia"), t));
        let b = b_rx.try_recv().unwrap();
        assert_eq!((a.generation, a.leader.clone()), (2, a_id.clone()));
        let b_id = b.member_id.clone();
        let Reply::Later(mut b_sync) = g.sync(&b_id, None, 2, vec![], t) else {
            panic!("b waits for the leader")
        };
        let assignments = vec![
            (a_id.clone(), Bytes::from_static(b"p0")),
            (b_id.clone(), Bytes::from_static(b"p1")),
        ];
        now_result(g.sync(&a_id, None, 2, assignments, t));
        assert_eq!(
            b_sync.try_recv().unwrap().assignment,
            Bytes::from_static(b"p1")
        );

        // A's process restarts: same instance id, no member id.
        let a2 = now_result(g.join(stat("", "a", "ia"), t));
        assert_eq!(a2.error, 0);
        assert_ne!(a2.member_id, a_id, "a new member id");
        assert_eq!(a2.generation, 2, "no new generation");
        assert_eq!(a2.leader, a_id, "told the old leader, so it only syncs");
        assert!(a2.members.is_empty());
        assert_eq!(g.state, GroupState::Stable);
        let s = now_result(g.sync(&a2.member_id, None, 2, vec![], t));
        assert_eq!(s.assignment, Bytes::from_static(b"p0"));
        // B never noticed; the old id is gone.
        assert_eq!(g.heartbeat(&b_id, Some("ib"), 2, t), Ok(()));
        assert_eq!(
            g.heartbeat(&a_id, Some("ia"), 2, t),
            Err(ResponseError::FencedInstanceId)
        );
        assert_eq!(
            now_result(g.join(stat(&a_id, "a", "ia"), t)).error,
            ResponseError::FencedInstanceId.code()
        );
    }

    #[test]
    fn two_members_join_sync_and_rebalance_when_one_leaves() {
        let t = Instant::now();
        let mut g = Group::new("g");
        let first = now_result(g.join(req("", "a"), t));
        assert_eq!(first.error, ResponseError::MemberIdRequired.code());
        let a = now_result(g.join(req(&first.member_id, "a"), t));
        assert_eq!(
            (a.error, a.generation, a.leader.clone()),
            (0, 1, a.member_id.clone())
        );
        assert_eq!(a.members.len(), 1);
        let a_id = a.member_id.clone();
        let s = now_result(g.sync(
            &a_id,
            None,
            1,
            vec![(a_id.clone(), Bytes::from_static(b"all"))],
            t,
        ));
        assert_eq!(s.assignment, Bytes::from_static(b"all"));
        assert_eq!(g.state, GroupState::Stable);

        // B joins: A must rejoin before the generation completes.
        let b_first = now_result(g.join(req("", "b"), t));
        let Reply::Later(mut b_rx) = g.join(req(&b_first.member_id, "b"), t) else {
            panic!("b waits")
        };
        assert_eq!(g.state, GroupState::PreparingRebalance);
        assert_eq!(
            g.heartbeat(&a_id, None, 1, t),
            Err(ResponseError::RebalanceInProgress)
        );
        let a2 = now_result(g.join(req(&a_id, "a"), t));
        let b = b_rx.try_recv().unwrap();
        assert_eq!((a2.generation, b.generation), (2, 2));
        assert_eq!(a2.members.len(), 2, "the leader sees every member");
        assert!(b.members.is_empty());
        let Reply::Later(mut b_sync) = g.sync(&b.member_id, None, 2, vec![], t) else {
            panic!("b waits for the leader")
        };
        let assignments = vec![
            (a_id.clone(), Bytes::from_static(b"p0")),
            (b.member_id.clone(), Bytes::from_static(b"p1")),
        ];
        assert_eq!(
            now_result(g.sync(&a_id, None, 2, assignments, t)).assignment,
            Bytes::from_static(b"p0")
        );
        assert_eq!(
            b_sync.try_recv().unwrap().assignment,
            Bytes::from_static(b"p1")
        );

        // B's session expires: A is asked to rebalance and ends up alone.
        let later = t + Duration::from_secs(11);
        assert_eq!(
            g.heartbeat(&a_id, None, 2, t + Duration::from_secs(9)),
            Ok(())
        );
        let expired = g.tick(later);
        assert_eq!(expired, vec![b.member_id.clone()]);
        assert_eq!(g.state, GroupState::PreparingRebalance);
        let a3 = now_result(g.join(req(&a_id, "a"), later));
        assert_eq!((a3.generation, a3.members.len()), (3, 1));
        assert_eq!(g.leave(&a_id, None, later), Ok(()));
        assert_eq!(g.state, GroupState::Empty);
        assert!(g.members.is_empty());
    }

    #[test]
    fn a_member_that_does_not_rejoin_in_time_is_dropped() {
        let t = Instant::now();
        let mut g = Group::new("g");
        let mut r = req("", "a");
        r.require_known_member_id = false;
        let a = now_result(g.join(r.clone(), t));
        now_result(g.sync(&a.member_id, None, 1, vec![], t));
        let Reply::Later(mut b_rx) = g.join(req("", "b").tap_known(false), t) else {
            panic!()
        };
        assert!(b_rx.try_recv().is_err(), "waits for a");
        g.tick(t + Duration::from_secs(31));
        let b = b_rx.try_recv().unwrap();
        assert_eq!(
            (b.generation, b.members.len()),
            (2, 1),
            "a was dropped, b leads alone"
        );
        assert!(!g.members.contains_key(&a.member_id));
    }

    #[test]
    fn mismatched_protocols_are_refused() {
        let t = Instant::now();
        let mut g = Group::new("g");
        now_result(g.join(req("", "a").tap_known(false), t));
        let mut other = req("", "b").tap_known(false);
        other.protocols = vec![("roundrobin".into(), Bytes::new())];
        assert_eq!(
            now_result(g.join(other, t)).error,
            ResponseError::InconsistentGroupProtocol.code()
        );
    }

    #[test]
    fn the_first_join_waits_the_initial_delay_extended_by_each_new_member() {
        let t = Instant::now();
        let delay = Duration::from_secs(3);
        let mut g = Group::new("g");
        let slow = |r: JoinRequest| JoinRequest {
            initial_rebalance_delay: delay,
            ..r.tap_known(false)
        };
        let Reply::Later(mut a_rx) = g.join(slow(req("", "a")), t) else {
            panic!("a waits for the delay")
        };
        g.tick(t + Duration::from_secs(1));
        assert!(a_rx.try_recv().is_err(), "still within the delay");
        let Reply::Later(mut b_rx) = g.join(slow(req("", "b")), t + Duration::from_secs(2)) else {
            panic!("b waits too")
        };
        // b arrived during the first delay: the phase is extended once more.
        g.tick(t + Duration::from_secs(3));
        assert!(a_rx.try_recv().is_err(), "extended by b's arrival");
        g.tick(t + Duration::from_millis(5_999));
        assert!(a_rx.try_recv().is_err());
        g.tick(t + Duration::from_secs(6));
        let (a, b) = (a_rx.try_recv().unwrap(), b_rx.try_recv().unwrap());
        assert_eq!(
            (a.generation, b.generation),
            (1, 1),
            "one generation for both"
        );
        assert_eq!(a.members.len() + b.members.len(), 2, "the leader sees both");
    }

    #[test]
    fn extensions_stop_at_the_rebalance_timeout() {
        let t = Instant::now();
        let mut g = Group::new("g");
        let slow = |r: JoinRequest| JoinRequest {
            initial_rebalance_delay: Duration::from_secs(20),
            ..r.tap_known(false)
        };
        let Reply::Later(mut a_rx) = g.join(slow(req("", "a")), t) else {
            panic!()
        };
        let _b = g.join(slow(req("", "b")), t + Duration::from_secs(1));
        g.tick(t + Duration::from_secs(20));
        assert!(a_rx.try_recv().is_err(), "extended by the 10 s left of 30");
        let _c = g.join(slow(req("", "c")), t + Duration::from_secs(21));
        g.tick(t + Duration::from_secs(30));
        assert_eq!(
            a_rx.try_recv().unwrap().generation,
            1,
            "no time left to extend"
        );
    }

    trait Known {
        fn tap_known(self, v: bool) -> Self;
    }
    impl Known for JoinRequest {
        fn tap_known(mut self, v: bool) -> Self {
            self.require_known_member_id = v;
            self
        }
    }
}
