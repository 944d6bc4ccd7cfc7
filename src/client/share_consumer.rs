//! A share-group consumer (KIP-932) on dq's own protocol connection:
//! librdkafka 2.12, which rdkafka-sys bundles, has no share consumer.
//!
//! The member joins its group's coordinator with ShareGroupHeartbeat (epoch
//! 0, a member id of its own), heartbeats at the interval the coordinator
//! names, and leaves with epoch -1. Records come from each partition's
//! leader through a share session: ShareFetch at session epoch 0 opens it
//! with the assigned partitions, later fetches bump the epoch, add and
//! forget partitions, and carry the acknowledgements of what was delivered
//! before; closing sends the last acknowledgements with ShareAcknowledge at
//! epoch -1. Only the offsets the broker says this member acquired are
//! handed out; offsets inside those ranges with no record (compacted away,
//! transaction markers) are acknowledged as gaps.
//!
//! PLAINTEXT only, as everything over [`Connection`]: TLS and SASL for dq's
//! own connections are issue 16.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use bytes::Bytes;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::share_acknowledge_request::{
    self as ack_request, AcknowledgePartition, AcknowledgeTopic,
};
use kafka_protocol::messages::share_fetch_request::{
    AcknowledgementBatch, FetchPartition, FetchTopic, ForgottenTopic,
};
use kafka_protocol::messages::share_fetch_response::PartitionData;
use kafka_protocol::messages::{
    ApiKey, GroupId, MetadataRequest, ShareAcknowledgeRequest, ShareFetchRequest,
    ShareGroupHeartbeatRequest, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::{RecordBatchDecoder, TimestampType as WireTimestampType};
use kafka_protocol::ResponseError;
use uuid::Uuid;

use super::wire::{self, coordinator, open_any, Connection, CoordinatorKind};
use super::ClientOptions;
use crate::output::{RecordView, TimestampType};

/// The versions librdkafka 2.16's share consumer speaks, the only ones the
/// kafka-protocol crate carries.
const HEARTBEAT: (i16, i16) = (1, 1);
const SHARE_FETCH: (i16, i16) = (1, 1);
const SHARE_ACKNOWLEDGE: (i16, i16) = (1, 1);
/// Metadata v10 is the first to give topic ids, which share assignments
/// and share fetches name topics by.
const METADATA: (i16, i16) = (10, 12);

/// The session epoch that opens a share session, and the one that closes it.
const OPEN_SESSION: i32 = 0;
const CLOSE_SESSION: i32 = -1;
/// The member epoch that joins a group, and the one that leaves it.
const JOIN: i32 = 0;
const LEAVE: i32 = -1;

/// How a delivered record is settled (KIP-932's acknowledge types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ack {
    /// Not a record: an offset of an acquired range that holds none.
    Gap = 0,
    /// Processed: never delivered again.
    Accept = 1,
    /// Back to the group: delivered again (to any member), with a higher
    /// delivery count, until the group's delivery count limit.
    Release = 2,
    /// Unprocessable: archived (or dead-lettered) at once.
    Reject = 3,
}

/// One record acquired by this member.
#[derive(Debug, Clone)]
pub struct ShareRecord {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// 1 on the first delivery; higher after releases or expired locks.
    pub delivery_count: i16,
    pub timestamp: Option<(TimestampType, i64)>,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<(String, Option<Bytes>)>,
    /// Where its acknowledgement goes: the share session (leader) that
    /// delivered it, and the partition by topic id.
    node: i32,
    topic_id: Uuid,
}

impl ShareRecord {
    pub fn view(&self) -> RecordView<'_> {
        RecordView {
            topic: &self.topic,
            partition: self.partition,
            offset: self.offset,
            timestamp: self.timestamp,
            key: self.key.as_deref(),
            value: self.value.as_deref(),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_deref()))
                .collect(),
            delivery_count: Some(self.delivery_count),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ShareSettings {
    pub group: String,
    pub topics: Vec<String>,
    /// The most records one fetch acquires (Kafka's `max.poll.records`);
    /// the broker hands out whole batches, so it may give more.
    pub max_records: i32,
}

/// A partition, by topic id.
type Key = (Uuid, i32);
/// Acknowledgements waiting to be sent, per partition: offset ranges and
/// how each is settled.
type Acks = BTreeMap<Key, Vec<(i64, i64, Ack)>>;

/// A share session with one leader.
struct Session {
    conn: Option<Connection>,
    host: String,
    port: u16,
    /// The next request's session epoch: 0 opens a new session.
    epoch: i32,
    /// The partitions the session holds.
    partitions: BTreeSet<Key>,
}

/// A partition's place, from the metadata.
#[derive(Debug, Clone)]
struct Partition {
    topic: String,
    leader: i32,
}

pub struct ShareConsumer {
    options: ClientOptions,
    settings: ShareSettings,
    member_id: String,
    member_epoch: i32,
    coordinator: Option<Connection>,
    heartbeat_interval: Duration,
    next_heartbeat: Instant,
    /// The partitions the coordinator assigned this member.
    assignment: BTreeSet<Key>,
    /// What the metadata says of the subscribed topics' partitions.
    partitions: HashMap<Key, Partition>,
    brokers: HashMap<i32, (String, u16)>,
    metadata_stale: bool,
    sessions: BTreeMap<i32, Session>,
    /// Acknowledgements to send, per leader and partition: offset ranges.
    pending: BTreeMap<i32, Acks>,
    warnings: Vec<String>,
    /// The acquisition lock the broker last reported, for messages.
    lock_timeout: Option<Duration>,
    /// Since when no broker answers, while polls retry.
    unreachable_since: Option<Instant>,
}

/// A broker that could not be reached (as opposed to one that answered
/// with an error).
#[derive(Debug)]
struct Unreachable(String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

/// Whether `e` is a connection that failed or broke, which a later poll
/// may get past.
fn unreachable(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.is::<Unreachable>() || c.is::<std::io::Error>())
}

impl ShareConsumer {
    /// Joins `settings.group` and waits for the coordinator's first answer.
    pub fn join(
        options: &ClientOptions,
        settings: &ShareSettings,
    ) -> anyhow::Result<ShareConsumer> {
        if !wire::plaintext(options) {
            bail!(
                "a share-group consumer speaks PLAINTEXT only; TLS and SASL for it are not built yet (dq issue 16)"
            );
        }
        let mut consumer = ShareConsumer {
            options: options.clone(),
            settings: settings.clone(),
            member_id: member_id(),
            member_epoch: JOIN,
            coordinator: None,
            heartbeat_interval: Duration::from_secs(5),
            next_heartbeat: Instant::now(),
            assignment: BTreeSet::new(),
            partitions: HashMap::new(),
            brokers: HashMap::new(),
            metadata_stale: true,
            sessions: BTreeMap::new(),
            pending: BTreeMap::new(),
            warnings: Vec::new(),
            lock_timeout: None,
            unreachable_since: None,
        };
        consumer.refresh_metadata()?;
        consumer.heartbeat()?;
        Ok(consumer)
    }

    /// The member id this consumer chose.
    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    /// Whether the coordinator has assigned this member any partition.
    pub fn has_assignment(&self) -> bool {
        !self.assignment.is_empty()
    }

    /// Problems the consumer went past (refused acknowledgements, a lost
    /// session), for the caller to show.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Settles a delivered record; sent with the next fetch, or at close.
    pub fn acknowledge(&mut self, record: &ShareRecord, ack: Ack) {
        self.pending
            .entry(record.node)
            .or_default()
            .entry((record.topic_id, record.partition))
            .or_default()
            .push((record.offset, record.offset, ack));
    }

    /// Heartbeats when due, then fetches from every leader of an assigned
    /// partition, carrying the acknowledgements made since the last fetch.
    /// Returns the records acquired (none when `wait` passed without any).
    ///
    /// A broker that cannot be reached is retried (with a warning) until it
    /// has been away for the connection timeout.
    pub fn poll(&mut self, wait: Duration) -> anyhow::Result<Vec<ShareRecord>> {
        match self.poll_once(wait) {
            Ok(records) => {
                self.unreachable_since = None;
                Ok(records)
            }
            Err(e) if unreachable(&e) => {
                let since = *self.unreachable_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= self.options.timeout {
                    return Err(e);
                }
                self.warnings.push(format!("{e:#}; retrying"));
                std::thread::sleep(wait.min(Duration::from_millis(500)));
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    fn poll_once(&mut self, wait: Duration) -> anyhow::Result<Vec<ShareRecord>> {
        if Instant::now() >= self.next_heartbeat {
            self.heartbeat()?;
        }
        if self.metadata_stale {
            self.refresh_metadata()?;
        }
        let mut wanted: BTreeMap<i32, BTreeSet<Key>> = BTreeMap::new();
        for key in &self.assignment {
            match self.partitions.get(key) {
                Some(p) if p.leader >= 0 => {
                    wanted.entry(p.leader).or_default().insert(*key);
                }
                _ => self.metadata_stale = true,
            }
        }
        let nodes: BTreeSet<i32> = wanted
            .keys()
            .chain(self.pending.keys())
            .chain(self.sessions.keys())
            .copied()
            .collect();
        if nodes.is_empty() {
            // Nothing assigned yet: wait for the next heartbeat, in steps
            // short enough for the caller to notice a signal.
            let until = self.next_heartbeat.min(Instant::now() + wait);
            std::thread::sleep(until.saturating_duration_since(Instant::now()));
            return Ok(Vec::new());
        }
        // A heartbeat must not wait behind a long fetch.
        let wait = wait.min(self.heartbeat_interval / 2);
        let mut records = Vec::new();
        for node in nodes {
            let partitions = wanted.remove(&node).unwrap_or_default();
            // Once one leader gave records, the others are not waited on.
            let wait = if records.is_empty() {
                wait
            } else {
                Duration::ZERO
            };
            records.extend(self.fetch(node, partitions, wait)?);
        }
        Ok(records)
    }

    /// Sends the acknowledgements still pending and closes every share
    /// session (ShareAcknowledge at epoch -1), then leaves the group. What
    /// it went past is left in [`ShareConsumer::take_warnings`].
    pub fn close(&mut self) -> anyhow::Result<()> {
        let nodes: Vec<i32> = self.sessions.keys().copied().collect();
        let mut failure = None;
        for node in nodes {
            if let Err(e) = self.close_session(node) {
                failure.get_or_insert(e);
            }
        }
        for (node, acks) in std::mem::take(&mut self.pending) {
            let count: usize = acks.values().map(Vec::len).sum();
            if count > 0 {
                self.warnings.push(format!(
                    "{count} acknowledgement(s) for broker {node} were not sent: it had no share session; the records go back to the group when their locks expire"
                ));
            }
        }
        if self.member_epoch > 0 {
            if let Err(e) = self.leave() {
                failure.get_or_insert(e);
            }
            self.member_epoch = JOIN;
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn deadline(&self, wait: Duration) -> Instant {
        Instant::now() + self.options.timeout + wait
    }

    /// The coordinator's connection, found (again) when there is none.
    fn coordinator(&mut self) -> anyhow::Result<&mut Connection> {
        let deadline = self.deadline(Duration::ZERO);
        if self.coordinator.is_none() {
            let mut conn = self.bootstrap(deadline)?;
            let found = coordinator(&mut conn, CoordinatorKind::Group, &self.settings.group)?;
            let conn = Connection::open(&found.host, found.port, deadline).with_context(|| {
                format!(
                    "cannot reach the coordinator of group '{}' at {}:{}",
                    self.settings.group, found.host, found.port
                )
            })?;
            self.coordinator = Some(conn);
        }
        let conn = self.coordinator.as_mut().expect("set above");
        conn.set_deadline(deadline);
        Ok(conn)
    }

    fn bootstrap(&self, deadline: Instant) -> anyhow::Result<Connection> {
        open_any(&self.options.bootstrap, deadline).map_err(|e| {
            anyhow::Error::new(Unreachable(format!(
                "cannot reach broker at {} ({}): is `dq serve` running, or is --bootstrap-server right?",
                self.options.bootstrap,
                root_cause(&e)
            )))
        })
    }

    /// ShareGroupHeartbeat: joins at epoch 0, else keeps the membership
    /// alive and takes the assignment the coordinator sends.
    fn heartbeat(&mut self) -> anyhow::Result<()> {
        let joining = self.member_epoch == JOIN;
        let group = self.settings.group.clone();
        let mut request = ShareGroupHeartbeatRequest::default()
            .with_group_id(GroupId(StrBytes::from_string(group.clone())))
            .with_member_id(StrBytes::from_string(self.member_id.clone()))
            .with_member_epoch(self.member_epoch);
        if joining {
            request = request.with_subscribed_topic_names(Some(
                self.settings
                    .topics
                    .iter()
                    .map(|t| TopicName(StrBytes::from_string(t.clone())))
                    .collect(),
            ));
        }
        let conn = self.coordinator()?;
        let version = conn
            .version(ApiKey::ShareGroupHeartbeat, HEARTBEAT)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{e}: the broker does not serve share groups (Kafka 4.2 and dq serve do)"
                )
            })?;
        let response = match conn.call(&request, version) {
            Ok(r) => r,
            Err(e) => {
                // A lost connection: the next heartbeat finds the
                // coordinator again.
                self.coordinator = None;
                return Err(e.context(format!("ShareGroupHeartbeat for group '{group}'")));
            }
        };
        let interval = Duration::from_millis(response.heartbeat_interval_ms.max(1) as u64);
        match ResponseError::try_from_code(response.error_code) {
            None => {}
            Some(
                ResponseError::NotCoordinator
                | ResponseError::CoordinatorNotAvailable
                | ResponseError::CoordinatorLoadInProgress,
            ) => {
                self.coordinator = None;
                self.next_heartbeat = Instant::now() + Duration::from_millis(200);
                return Ok(());
            }
            Some(e @ (ResponseError::FencedMemberEpoch | ResponseError::UnknownMemberId))
                if !joining =>
            {
                // The coordinator dropped this member (its session timed
                // out): what it held is gone; join again.
                self.warnings.push(format!(
                    "the coordinator removed this member from group '{group}' ({}); joining again",
                    error_name(e)
                ));
                self.rejoin();
                return Ok(());
            }
            Some(e) => bail!(
                "cannot {} share group '{group}': {}",
                if joining { "join" } else { "stay in" },
                explain(e, response.error_message.as_deref())
            ),
        }
        self.member_epoch = response.member_epoch;
        if response.heartbeat_interval_ms > 0 {
            self.heartbeat_interval = interval;
        }
        if let Some(assignment) = response.assignment {
            self.assignment = assignment
                .topic_partitions
                .iter()
                .flat_map(|t| t.partitions.iter().map(move |p| (t.topic_id, *p)))
                .collect();
            if self
                .assignment
                .iter()
                .any(|k| !self.partitions.contains_key(k))
            {
                self.metadata_stale = true;
            }
        }
        // Until the first assignment arrives, ask for it sooner.
        let next = if self.assignment.is_empty() {
            self.heartbeat_interval.min(Duration::from_millis(500))
        } else {
            self.heartbeat_interval
        };
        self.next_heartbeat = Instant::now() + next;
        Ok(())
    }

    fn rejoin(&mut self) {
        self.member_epoch = JOIN;
        self.assignment.clear();
        self.sessions.clear();
        let dropped: usize = self
            .pending
            .values()
            .flat_map(|m| m.values())
            .map(Vec::len)
            .sum();
        if dropped > 0 {
            self.warnings.push(format!(
                "{dropped} acknowledgement(s) were lost with the membership; those records are delivered again"
            ));
        }
        self.pending.clear();
        self.next_heartbeat = Instant::now();
    }

    fn leave(&mut self) -> anyhow::Result<()> {
        let request = ShareGroupHeartbeatRequest::default()
            .with_group_id(GroupId(StrBytes::from_string(self.settings.group.clone())))
            .with_member_id(StrBytes::from_string(self.member_id.clone()))
            .with_member_epoch(LEAVE);
        let conn = self.coordinator()?;
        let version = conn.version(ApiKey::ShareGroupHeartbeat, HEARTBEAT)?;
        let response = conn
            .call(&request, version)
            .context("ShareGroupHeartbeat (leave)")?;
        match ResponseError::try_from_code(response.error_code) {
            // Already gone (its session expired): nothing to leave.
            None | Some(ResponseError::UnknownMemberId | ResponseError::FencedMemberEpoch) => {
                Ok(())
            }
            Some(e) => bail!(
                "cannot leave share group '{}': {}",
                self.settings.group,
                explain(e, response.error_message.as_deref())
            ),
        }
    }

    /// Topic ids, partition leaders and brokers of the subscribed topics.
    fn refresh_metadata(&mut self) -> anyhow::Result<()> {
        let deadline = self.deadline(Duration::ZERO);
        let mut conn = self.bootstrap(deadline)?;
        let version = conn.version(ApiKey::Metadata, METADATA)?;
        let topics = self
            .settings
            .topics
            .iter()
            .map(|t| {
                MetadataRequestTopic::default()
                    .with_name(Some(TopicName(StrBytes::from_string(t.clone()))))
            })
            .collect();
        let request = MetadataRequest::default()
            .with_topics(Some(topics))
            .with_allow_auto_topic_creation(false);
        let metadata = conn.call(&request, version).context("Metadata")?;
        self.brokers = metadata
            .brokers
            .iter()
            .filter_map(|b| {
                Some((
                    b.node_id.0,
                    (b.host.to_string(), u16::try_from(b.port).ok()?),
                ))
            })
            .collect();
        self.partitions.clear();
        for t in &metadata.topics {
            let Some(name) = &t.name else { continue };
            if t.error_code != 0 || t.topic_id.is_nil() {
                // Not there yet: the group assigns it once it exists.
                continue;
            }
            for p in &t.partitions {
                self.partitions.insert(
                    (t.topic_id, p.partition_index),
                    Partition {
                        topic: name.to_string(),
                        leader: p.leader_id.0,
                    },
                );
            }
        }
        self.metadata_stale = false;
        Ok(())
    }

    /// The share session with `node`, connected.
    fn session(&mut self, node: i32, deadline: Instant) -> anyhow::Result<&mut Session> {
        if !self.sessions.contains_key(&node) {
            let Some((host, port)) = self.brokers.get(&node).cloned() else {
                self.metadata_stale = true;
                bail!("the metadata names no broker {node}");
            };
            self.sessions.insert(
                node,
                Session {
                    conn: None,
                    host,
                    port,
                    epoch: OPEN_SESSION,
                    partitions: BTreeSet::new(),
                },
            );
        }
        let session = self.sessions.get_mut(&node).expect("inserted above");
        if session.conn.is_none() {
            let conn =
                Connection::open(&session.host, session.port, deadline).with_context(|| {
                    format!(
                        "cannot reach broker {node} at {}:{}",
                        session.host, session.port
                    )
                })?;
            session.conn = Some(conn);
        }
        Ok(session)
    }

    /// One ShareFetch to `node`: opens or updates its session to hold
    /// `wanted`, and carries the acknowledgements pending for it.
    fn fetch(
        &mut self,
        node: i32,
        wanted: BTreeSet<Key>,
        wait: Duration,
    ) -> anyhow::Result<Vec<ShareRecord>> {
        let deadline = self.deadline(wait);
        let group = self.settings.group.clone();
        let member = self.member_id.clone();
        let settings = self.settings.clone();
        let mut acks = self.pending.remove(&node).unwrap_or_default();
        let session = match self.session(node, deadline) {
            Ok(session) => session,
            Err(e) => {
                // Kept for the next try.
                if !acks.is_empty() {
                    self.pending.insert(node, acks);
                }
                return Err(e);
            }
        };
        if session.epoch == OPEN_SESSION && !acks.is_empty() {
            // A new session cannot settle what an old one delivered.
            let count: usize = acks.values().map(Vec::len).sum();
            self.warnings.push(format!(
                "{count} acknowledgement(s) for broker {node} were dropped with its lost share session; those records are delivered again"
            ));
            acks.clear();
        }
        let session = self.sessions.get_mut(&node).expect("opened above");
        let mut topics: BTreeMap<Uuid, Vec<FetchPartition>> = BTreeMap::new();
        let mut listed = BTreeSet::new();
        for key in &wanted {
            let new = session.epoch == OPEN_SESSION || !session.partitions.contains(key);
            let batches = acks.remove(key).map(ack_batches).unwrap_or_default();
            if new || !batches.is_empty() {
                listed.insert(*key);
                topics.entry(key.0).or_default().push(
                    FetchPartition::default()
                        .with_partition_index(key.1)
                        .with_acknowledgement_batches(
                            batches.into_iter().map(fetch_batch).collect(),
                        ),
                );
            }
        }
        // Acknowledgements for partitions no longer assigned still go out
        // (the broker settles them), in a fetch that forgets the partition.
        for (key, ranges) in std::mem::take(&mut acks) {
            listed.insert(key);
            topics.entry(key.0).or_default().push(
                FetchPartition::default()
                    .with_partition_index(key.1)
                    .with_acknowledgement_batches(
                        ack_batches(ranges).into_iter().map(fetch_batch).collect(),
                    ),
            );
        }
        let forgotten: BTreeMap<Uuid, Vec<i32>> = if session.epoch == OPEN_SESSION {
            BTreeMap::new()
        } else {
            let mut f: BTreeMap<Uuid, Vec<i32>> = BTreeMap::new();
            for key in session.partitions.difference(&wanted) {
                f.entry(key.0).or_default().push(key.1);
            }
            f
        };
        if wanted.is_empty() && listed.is_empty() && session.partitions.is_empty() {
            return Ok(Vec::new());
        }
        let request = ShareFetchRequest::default()
            .with_group_id(Some(GroupId(StrBytes::from_string(group.clone()))))
            .with_member_id(Some(StrBytes::from_string(member)))
            .with_share_session_epoch(session.epoch)
            .with_max_wait_ms(wait.as_millis().min(i32::MAX as u128) as i32)
            .with_min_bytes(1)
            .with_max_bytes(settings_max_bytes())
            .with_max_records(settings.max_records)
            .with_batch_size(settings.max_records)
            .with_topics(
                topics
                    .into_iter()
                    .map(|(id, partitions)| {
                        FetchTopic::default()
                            .with_topic_id(id)
                            .with_partitions(partitions)
                    })
                    .collect(),
            )
            .with_forgotten_topics_data(
                forgotten
                    .into_iter()
                    .map(|(id, partitions)| {
                        ForgottenTopic::default()
                            .with_topic_id(id)
                            .with_partitions(partitions)
                    })
                    .collect(),
            );
        let conn = session.conn.as_mut().expect("connected above");
        conn.set_deadline(deadline);
        let version = conn.version(ApiKey::ShareFetch, SHARE_FETCH)?;
        let response = match conn.call(&request, version) {
            Ok(r) => r,
            Err(e) => {
                // The session's state is unknown now: start a new one.
                self.sessions.remove(&node);
                self.warnings.push(format!(
                    "lost the connection to broker {node} ({}); opening a new share session (what it had not acknowledged is delivered again)",
                    root_cause(&e)
                ));
                return Ok(Vec::new());
            }
        };
        match ResponseError::try_from_code(response.error_code) {
            None => {}
            Some(
                e @ (ResponseError::ShareSessionNotFound | ResponseError::InvalidShareSessionEpoch),
            ) => {
                self.warnings.push(format!(
                    "broker {node} lost this member's share session ({}); opening a new one",
                    error_name(e)
                ));
                self.sessions.remove(&node);
                return Ok(Vec::new());
            }
            Some(e @ (ResponseError::UnknownMemberId | ResponseError::FencedMemberEpoch)) => {
                self.warnings.push(format!(
                    "broker {node} does not know this member of group '{group}' ({}); joining again",
                    error_name(e)
                ));
                self.rejoin();
                return Ok(Vec::new());
            }
            Some(e) => bail!(
                "cannot fetch from broker {node} for share group '{group}': {}",
                explain(e, response.error_message.as_deref())
            ),
        }
        let session = self.sessions.get_mut(&node).expect("still open");
        session.epoch = next_epoch(session.epoch);
        // A partition named only for its acknowledgements joined the
        // session too; the next fetch forgets it.
        session.partitions = wanted.union(&listed).copied().collect();
        if response.acquisition_lock_timeout_ms > 0 {
            self.lock_timeout = Some(Duration::from_millis(
                response.acquisition_lock_timeout_ms as u64,
            ));
        }
        let mut records = Vec::new();
        for topic in response.responses {
            for p in topic.partitions {
                let key = (topic.topic_id, p.partition_index);
                let name = match self.partitions.get(&key) {
                    Some(part) => part.topic.clone(),
                    None => {
                        self.metadata_stale = true;
                        continue;
                    }
                };
                self.partition_errors(&name, &p);
                records.extend(self.acquired(node, key, &name, p)?);
            }
        }
        Ok(records)
    }

    /// Reports a partition's fetch and acknowledgement errors.
    fn partition_errors(&mut self, topic: &str, p: &PartitionData) {
        let partition = p.partition_index;
        if let Some(e) = ResponseError::try_from_code(p.error_code) {
            if matches!(
                e,
                ResponseError::NotLeaderOrFollower
                    | ResponseError::UnknownTopicOrPartition
                    | ResponseError::UnknownTopicId
            ) {
                self.metadata_stale = true;
            }
            self.warnings.push(format!(
                "cannot fetch {topic}-{partition}: {}",
                explain(e, p.error_message.as_deref())
            ));
        }
        if let Some(e) = ResponseError::try_from_code(p.acknowledge_error_code) {
            let why = if e == ResponseError::InvalidRecordState {
                match self.lock_timeout {
                    Some(lock) => format!(
                        "; their acquisition lock ({} ms) may have expired, so they are delivered again",
                        lock.as_millis()
                    ),
                    None => "; they may be delivered again".to_string(),
                }
            } else {
                String::new()
            };
            self.warnings.push(format!(
                "broker refused acknowledgements on {topic}-{partition}: {}{why}",
                explain(e, p.acknowledge_error_message.as_deref())
            ));
        }
    }

    /// The records of `p` this member acquired; the offsets of its acquired
    /// ranges without a deliverable record are acknowledged as gaps.
    fn acquired(
        &mut self,
        node: i32,
        key: Key,
        topic: &str,
        p: PartitionData,
    ) -> anyhow::Result<Vec<ShareRecord>> {
        if p.acquired_records.is_empty() {
            return Ok(Vec::new());
        }
        let ranges: Vec<(i64, i64, i16)> = p
            .acquired_records
            .iter()
            .filter(|r| r.first_offset <= r.last_offset)
            .map(|r| (r.first_offset, r.last_offset, r.delivery_count))
            .collect();
        let mut records = Vec::new();
        let mut bytes = p.records.unwrap_or_default();
        while has_whole_batch(&bytes) {
            let set = RecordBatchDecoder::decode(&mut bytes).map_err(|e| {
                anyhow::anyhow!(
                    "broker {node} sent records of {topic}-{} that do not decode: {e}",
                    key.1
                )
            })?;
            for r in set.records {
                if r.control {
                    continue;
                }
                let Some(&(_, _, delivery_count)) = ranges
                    .iter()
                    .find(|(first, last, _)| (*first..=*last).contains(&r.offset))
                else {
                    continue;
                };
                records.push(ShareRecord {
                    topic: topic.to_string(),
                    partition: key.1,
                    offset: r.offset,
                    delivery_count,
                    timestamp: Some((
                        match r.timestamp_type {
                            WireTimestampType::Creation => TimestampType::Create,
                            WireTimestampType::LogAppend => TimestampType::LogAppend,
                        },
                        r.timestamp,
                    )),
                    key: r.key,
                    value: r.value,
                    headers: r
                        .headers
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                    node,
                    topic_id: key.0,
                });
            }
        }
        // A batch may hold the same offset twice only if the broker erred;
        // each offset is delivered once.
        records.sort_by_key(|r| r.offset);
        records.dedup_by_key(|r| r.offset);
        let delivered: Vec<i64> = records.iter().map(|r| r.offset).collect();
        let gaps = gaps(&ranges, &delivered);
        if !gaps.is_empty() {
            let entry = self
                .pending
                .entry(node)
                .or_default()
                .entry(key)
                .or_default();
            entry.extend(gaps.into_iter().map(|(a, b)| (a, b, Ack::Gap)));
        }
        Ok(records)
    }

    /// ShareAcknowledge at epoch -1: the last acknowledgements, and the
    /// session's end.
    fn close_session(&mut self, node: i32) -> anyhow::Result<()> {
        let acks = self.pending.remove(&node).unwrap_or_default();
        let Some(session) = self.sessions.get_mut(&node) else {
            return Ok(());
        };
        if session.epoch == OPEN_SESSION || session.conn.is_none() {
            return Ok(());
        }
        let request = ShareAcknowledgeRequest::default()
            .with_group_id(Some(GroupId(StrBytes::from_string(
                self.settings.group.clone(),
            ))))
            .with_member_id(Some(StrBytes::from_string(self.member_id.clone())))
            .with_share_session_epoch(CLOSE_SESSION)
            .with_topics(ack_topics(acks));
        let deadline = Instant::now() + self.options.timeout;
        let conn = session.conn.as_mut().expect("checked above");
        conn.set_deadline(deadline);
        let version = conn.version(ApiKey::ShareAcknowledge, SHARE_ACKNOWLEDGE)?;
        let response = conn
            .call(&request, version)
            .with_context(|| format!("ShareAcknowledge to broker {node}"))?;
        self.sessions.remove(&node);
        if let Some(e) = ResponseError::try_from_code(response.error_code) {
            bail!(
                "broker {node} refused the last acknowledgements: {}",
                explain(e, response.error_message.as_deref())
            );
        }
        for topic in &response.responses {
            for p in &topic.partitions {
                if let Some(e) = ResponseError::try_from_code(p.error_code) {
                    let name = self
                        .partitions
                        .get(&(topic.topic_id, p.partition_index))
                        .map_or_else(|| topic.topic_id.to_string(), |t| t.topic.clone());
                    self.warnings.push(format!(
                        "broker refused acknowledgements on {name}-{}: {}",
                        p.partition_index,
                        explain(e, p.error_message.as_deref())
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Kafka's ShareFetch `max_bytes` default (`fetch.max.bytes`, 50 MiB).
fn settings_max_bytes() -> i32 {
    50 << 20
}

/// After `epoch`, the next request's epoch: it wraps to 1, as 0 and -1
/// open and close sessions.
fn next_epoch(epoch: i32) -> i32 {
    if epoch == i32::MAX {
        1
    } else {
        epoch + 1
    }
}

/// A member id as Kafka's clients make them: a random UUID in URL-safe
/// base64, 22 characters.
fn member_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes())
}

/// Whether `bytes` starts with a whole record batch (a fetch may end with
/// a partial one, which is left for the next fetch).
fn has_whole_batch(bytes: &Bytes) -> bool {
    if bytes.len() < 12 {
        return false;
    }
    let length = i32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    length >= 0 && bytes.len() - 12 >= length as usize
}

/// The parts of the acquired ranges no delivered offset covers.
fn gaps(ranges: &[(i64, i64, i16)], delivered: &[i64]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for &(first, last, _) in ranges {
        let mut next = first;
        for &o in delivered.iter().filter(|o| (first..=last).contains(*o)) {
            if o > next {
                out.push((next, o - 1));
            }
            next = o + 1;
        }
        if next <= last {
            out.push((next, last));
        }
    }
    out
}

/// Acknowledgement ranges as the batches a request carries, in offset
/// order: adjacent ranges of one type join, so a batch names its type once
/// (never one type per offset, whose list a long gap range would make
/// huge). An offset acknowledged twice keeps its first acknowledgement.
fn ack_batches(mut ranges: Vec<(i64, i64, Ack)>) -> Vec<(i64, i64, Vec<i8>)> {
    ranges.sort_by_key(|r| r.0);
    let mut out: Vec<(i64, i64, Ack)> = Vec::new();
    for (first, last, ack) in ranges {
        let first = match out.last() {
            Some(&(_, end, _)) if last <= end => continue,
            Some(&(_, end, _)) => first.max(end + 1),
            None => first,
        };
        match out.last_mut() {
            Some((_, end, kind)) if *kind == ack && first == *end + 1 => *end = last,
            _ => out.push((first, last, ack)),
        }
    }
    out.into_iter()
        .map(|(first, last, ack)| (first, last, vec![ack as i8]))
        .collect()
}

fn fetch_batch((first, last, types): (i64, i64, Vec<i8>)) -> AcknowledgementBatch {
    AcknowledgementBatch::default()
        .with_first_offset(first)
        .with_last_offset(last)
        .with_acknowledge_types(types)
}

fn ack_topics(acks: Acks) -> Vec<AcknowledgeTopic> {
    let mut topics: BTreeMap<Uuid, Vec<AcknowledgePartition>> = BTreeMap::new();
    for ((id, partition), ranges) in acks {
        let batches = ack_batches(ranges)
            .into_iter()
            .map(|(first, last, types)| {
                ack_request::AcknowledgementBatch::default()
                    .with_first_offset(first)
                    .with_last_offset(last)
                    .with_acknowledge_types(types)
            })
            .collect();
        topics.entry(id).or_default().push(
            AcknowledgePartition::default()
                .with_partition_index(partition)
                .with_acknowledgement_batches(batches),
        );
    }
    topics
        .into_iter()
        .map(|(id, partitions)| {
            AcknowledgeTopic::default()
                .with_topic_id(id)
                .with_partitions(partitions)
        })
        .collect()
}

/// Kafka's name for an error code, as its tools print it
/// (`INVALID_RECORD_STATE`).
pub fn error_name(e: ResponseError) -> String {
    let camel = e.to_string();
    if let ResponseError::Unknown(code) = e {
        return format!("error code {code}");
    }
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// An error code as a person reads it: Kafka's name, the broker's message
/// when it sent one, and what the code means for a share consumer.
pub fn explain(e: ResponseError, message: Option<&str>) -> String {
    let mut out = error_name(e);
    if let Some(m) = message.filter(|m| !m.is_empty()) {
        let _ = write!(out, " ({m})");
    }
    let hint = match e {
        ResponseError::InconsistentGroupProtocol => {
            ": the group id belongs to a consumer group of another type (classic or consumer); pick another name"
        }
        ResponseError::GroupMaxSizeReached => ": the share group has its maximum number of members",
        ResponseError::GroupAuthorizationFailed => ": not allowed to use this group",
        ResponseError::TopicAuthorizationFailed => ": not allowed to read this topic",
        ResponseError::ShareSessionLimitReached => {
            ": the broker holds as many share sessions as it allows; retry later"
        }
        ResponseError::InvalidRecordState => {
            ": those records are not held by this member any more"
        }
        ResponseError::UnsupportedVersion => ": the broker does not serve this version of the share-group protocol",
        _ => "",
    };
    out.push_str(hint);
    out
}

/// The innermost cause of an error chain ("connection refused").
fn root_cause(e: &anyhow::Error) -> String {
    let cause = e.root_cause().to_string();
    let mut chars = cause.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => cause,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_wrap_past_the_ones_that_open_and_close() {
        assert_eq!(next_epoch(0), 1);
        assert_eq!(next_epoch(41), 42);
        assert_eq!(next_epoch(i32::MAX), 1);
    }

    #[test]
    fn member_ids_are_kafka_style() {
        let a = member_id();
        assert_eq!(a.len(), 22);
        assert_ne!(a, member_id());
    }

    #[test]
    fn gaps_are_what_no_record_covers() {
        assert_eq!(gaps(&[(0, 9, 1)], &[0, 1, 2, 5, 9]), vec![(3, 4), (6, 8)]);
        assert_eq!(gaps(&[(0, 2, 1)], &[0, 1, 2]), vec![]);
        assert_eq!(gaps(&[(3, 4, 1), (8, 8, 2)], &[]), vec![(3, 4), (8, 8)]);
    }

    #[test]
    fn acknowledgements_join_into_batches() {
        use Ack::*;
        // One type over a run: one batch naming it once.
        assert_eq!(
            ack_batches(vec![(2, 2, Accept), (0, 0, Accept), (1, 1, Accept)]),
            vec![(0, 2, vec![1])]
        );
        // A hole splits the run.
        assert_eq!(
            ack_batches(vec![(0, 0, Accept), (2, 3, Accept)]),
            vec![(0, 0, vec![1]), (2, 3, vec![1])]
        );
        // Types change: a batch each.
        assert_eq!(
            ack_batches(vec![(0, 1, Accept), (2, 2, Release), (3, 3, Reject)]),
            vec![(0, 1, vec![1]), (2, 2, vec![2]), (3, 3, vec![3])]
        );
        // A gap range inside accepted records; an offset settled twice
        // keeps its first acknowledgement.
        assert_eq!(
            ack_batches(vec![
                (0, 0, Accept),
                (1, 2, Gap),
                (3, 3, Accept),
                (3, 3, Release)
            ]),
            vec![(0, 0, vec![1]), (1, 2, vec![0]), (3, 3, vec![1])]
        );
    }

    #[test]
    fn whole_batches_are_told_from_a_cut_tail() {
        let mut b = vec![0u8; 8];
        b.extend_from_slice(&4i32.to_be_bytes());
        b.extend_from_slice(&[1, 2, 3]);
        assert!(!has_whole_batch(&Bytes::from(b.clone())));
        b.push(4);
        assert!(has_whole_batch(&Bytes::from(b)));
        assert!(!has_whole_batch(&Bytes::from_static(&[0; 5])));
    }

    #[test]
    fn error_codes_print_by_kafka_name() {
        assert_eq!(
            error_name(ResponseError::InvalidRecordState),
            "INVALID_RECORD_STATE"
        );
        assert_eq!(error_name(ResponseError::Unknown(999)), "error code 999");
        assert!(explain(ResponseError::InconsistentGroupProtocol, Some("x"))
            .starts_with("INCONSISTENT_GROUP_PROTOCOL (x): the group id belongs"));
    }
}
