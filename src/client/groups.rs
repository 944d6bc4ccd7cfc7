//! Consumer groups and partition offsets as plain values, for `dq groups`
//! and `dq offsets`: group listings and descriptions (with each member's
//! decoded assignment), committed offsets, watermarks, offsets by time, and
//! the writes (committing reset offsets, deleting groups, group offsets and
//! records).
//!
//! A consumer with `group.id` set is needed to read or commit a group's
//! offsets, but it never subscribes, so it never joins the group: its
//! commits carry generation -1, which brokers accept only while the group has
//! no members. Such a consumer is never closed (see [`Cluster`]).

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _};
use rdkafka::admin::{AdminClient, AdminOptions};
use rdkafka::bindings as rdsys;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;

use super::{
    cancel, connect_error, consumer_groups, share_groups, wire, ClientOptions, LastError, Unjoined,
};

#[derive(Default)]
struct Events {
    last_error: LastError,
}

keeps_last_error!(Events);

impl ConsumerContext for Events {}

/// One group as `dq groups list` shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GroupSummary {
    pub group: String,
    /// `classic` (JoinGroup/SyncGroup), `consumer` (KIP-848) or `share`
    /// (KIP-932).
    #[serde(rename = "type")]
    pub group_type: String,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub members: usize,
}

/// One member of a group, with the partitions it was assigned.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Member {
    pub consumer_id: String,
    pub client_id: String,
    pub host: String,
    /// Decoded from the consumer protocol; empty for other protocol types.
    pub assignment: Vec<TopicPartitions>,
    /// The static member's `group.instance.id`; known only for
    /// consumer-protocol groups.
    pub instance_id: Option<String>,
    /// The member's epoch (consumer-protocol groups only).
    pub member_epoch: Option<i32>,
    /// What the coordinator means this member to own once it has
    /// reconciled (consumer-protocol groups only).
    pub target_assignment: Option<Vec<TopicPartitions>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopicPartitions {
    pub topic: String,
    pub partitions: Vec<i32>,
}

/// A group's state and members (DescribeGroups).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GroupState {
    pub group: String,
    /// `classic` or `consumer` (KIP-848).
    #[serde(rename = "type")]
    pub group_type: String,
    pub state: String,
    pub protocol_type: String,
    /// The assignment strategy (classic) or server assignor (consumer).
    pub protocol: String,
    /// Consumer-protocol groups: the group's epoch, and the epoch of the
    /// target assignment the coordinator computed for it.
    pub group_epoch: Option<i32>,
    pub assignment_epoch: Option<i32>,
    pub members: Vec<Member>,
}

impl GroupState {
    /// Kafka reports "Dead" for a group it does not know.
    pub fn exists(&self) -> bool {
        self.state != "Dead"
    }
}

/// A partition's bounds: the log start offset and the high watermark.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Watermarks {
    pub earliest: i64,
    pub latest: i64,
}

/// A connection to a cluster for group and offset administration.
pub struct Cluster {
    /// Shared with [`cancel::wait`]s, which may outlive a cancelled call.
    /// Reads at read_uncommitted: its latest offset is the high watermark.
    consumer: Unjoined<Arc<BaseConsumer<Events>>>,
    /// A read_committed client, made when first needed: its latest offset
    /// is the last stable offset.
    committed: OnceCell<Unjoined<Arc<BaseConsumer<Events>>>>,
    options: ClientOptions,
}

/// Runs a blocking call on `consumer` so that Ctrl-C can end the wait.
fn blocking<T: Send + 'static>(
    consumer: &Arc<BaseConsumer<Events>>,
    call: impl FnOnce(&BaseConsumer<Events>) -> T + Send + 'static,
) -> anyhow::Result<T> {
    let consumer = Arc::clone(consumer);
    cancel::wait(move || call(&consumer))
}

impl Cluster {
    /// Connects and proves the broker answers (a metadata request).
    pub fn connect(options: &ClientOptions) -> anyhow::Result<Cluster> {
        let consumer = Arc::new(group_consumer(options, "dq-admin")?);
        let cluster = Cluster {
            consumer: Unjoined::new(consumer),
            committed: OnceCell::new(),
            options: options.clone(),
        };
        cluster.topics()?;
        Ok(cluster)
    }

    fn unreachable(&self, consumer: &BaseConsumer<Events>, err: &KafkaError) -> anyhow::Error {
        // librdkafka queues the log lines that say why a connection failed.
        for _ in 0..100 {
            if consumer.poll(Duration::ZERO).is_none() {
                break;
            }
        }
        connect_error(
            &self.options.bootstrap,
            self.options.timeout,
            err,
            consumer.context().last_error.get(),
        )
    }

    /// Every topic (internal ones excluded) and its partition count, by name.
    pub fn topics(&self) -> anyhow::Result<BTreeMap<String, i32>> {
        let timeout = self.options.timeout;
        let metadata = blocking(&self.consumer, move |c| c.fetch_metadata(None, timeout))?
            .map_err(|e| self.unreachable(&self.consumer, &e))?;
        Ok(metadata
            .topics()
            .iter()
            .filter(|t| t.error().is_none() && !t.name().starts_with("__"))
            .map(|t| (t.name().to_string(), t.partitions().len() as i32))
            .collect())
    }

    /// The partition count of `topic`, or an error naming it.
    pub fn partition_count(&self, topic: &str) -> anyhow::Result<i32> {
        self.topics()?.get(topic).copied().ok_or_else(|| {
            anyhow::anyhow!(
                "topic '{topic}' does not exist on {}",
                self.options.bootstrap
            )
        })
    }

    pub fn list_groups(&self) -> anyhow::Result<Vec<GroupSummary>> {
        let timeout = self.options.timeout;
        // The list itself cannot cross threads; its contents can.
        let mut groups = blocking(&self.consumer, move |c| {
            c.fetch_group_list(None, timeout).map(|list| {
                list.groups()
                    .iter()
                    .map(|g| GroupSummary {
                        group: g.name().to_string(),
                        group_type: "classic".into(),
                        state: g.state().to_string(),
                        protocol_type: g.protocol_type().to_string(),
                        protocol: g.protocol().to_string(),
                        members: g.members().len(),
                    })
                    .collect::<Vec<_>>()
            })
        })?
        .map_err(|e| self.unreachable(&self.consumer, &e))?;
        // Share groups (KIP-932) show as their coordinator describes them;
        // ListGroups v5 names their type, and lists any librdkafka's
        // listing left out.
        let shares = self.share_group_names()?;
        for name in &shares {
            if !groups.iter().any(|g| &g.group == name) {
                groups.push(GroupSummary {
                    group: name.clone(),
                    group_type: "share".into(),
                    state: "Dead".into(),
                    protocol_type: "share".into(),
                    protocol: String::new(),
                    members: 0,
                });
            }
        }
        for g in groups.iter_mut().filter(|g| shares.contains(&g.group)) {
            let (options, name) = (self.options.clone(), g.group.clone());
            if let Some(share) = cancel::wait(move || share_groups::describe(&options, &name))?? {
                *g = GroupSummary {
                    group: share.group,
                    group_type: "share".into(),
                    state: share.state,
                    protocol_type: "share".into(),
                    protocol: share.assignor,
                    members: share.members.len(),
                };
            }
        }
        // librdkafka lists consumer-protocol (KIP-848) groups too, but its
        // DescribeGroups finds no classic group of that name and reports
        // the group "Dead"; their coordinator describes them.
        for g in groups
            .iter_mut()
            .filter(|g| g.state == "Dead" && g.group_type != "share")
        {
            if let Some(state) = self.describe_consumer_group(&g.group)? {
                *g = GroupSummary {
                    group: state.group,
                    group_type: state.group_type,
                    state: state.state,
                    protocol_type: state.protocol_type,
                    protocol: state.protocol,
                    members: state.members.len(),
                };
            }
        }
        groups.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(groups)
    }

    /// `group` as a consumer-protocol group, over dq's own connection
    /// (PLAINTEXT only: otherwise None, and the group shows as librdkafka
    /// sees it).
    fn describe_consumer_group(&self, group: &str) -> anyhow::Result<Option<GroupState>> {
        if !wire::plaintext(&self.options) {
            return Ok(None);
        }
        let (options, name) = (self.options.clone(), group.to_string());
        cancel::wait(move || consumer_groups::describe(&options, &name))?
    }

    /// The share groups ListGroups names (v5 gives each group's type);
    /// none when the connection is not PLAINTEXT.
    fn share_group_names(&self) -> anyhow::Result<Vec<String>> {
        if !wire::plaintext(&self.options) {
            return Ok(Vec::new());
        }
        let options = self.options.clone();
        let listed = cancel::wait(move || share_groups::list(&options))??;
        Ok(listed
            .into_iter()
            .filter(|g| g.group_type == "share" || g.protocol_type == "share")
            .map(|g| g.group)
            .collect())
    }

    /// `group` as a share group (PLAINTEXT only, else None).
    fn describe_share_group(&self, group: &str) -> anyhow::Result<Option<GroupState>> {
        if !wire::plaintext(&self.options) {
            return Ok(None);
        }
        let (options, name) = (self.options.clone(), group.to_string());
        Ok(cancel::wait(move || share_groups::describe(&options, &name))??.map(|g| g.into_state()))
    }

    /// The client options this cluster connects with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn describe_group(&self, group: &str) -> anyhow::Result<GroupState> {
        if let Some(state) = self.describe_consumer_group(group)? {
            return Ok(state);
        }
        if let Some(state) = self.describe_share_group(group)? {
            return Ok(state);
        }
        let (name, timeout) = (group.to_string(), self.options.timeout);
        // The list itself cannot cross threads; its contents can.
        blocking(&self.consumer, move |c| {
            c.fetch_group_list(Some(&name), timeout)
                .map(|list| group_state(&list, &name))
        })?
        .map_err(|e| self.unreachable(&self.consumer, &e))
    }

    /// `group`'s committed offset for each of `partitions` (None: nothing
    /// committed).
    pub fn committed(
        &self,
        group: &str,
        partitions: &[(String, i32)],
    ) -> anyhow::Result<Vec<Option<i64>>> {
        if partitions.is_empty() {
            return Ok(Vec::new());
        }
        let consumer = Unjoined::new(Arc::new(group_consumer(&self.options, group)?));
        let tpl = partition_list(partitions, |_| Offset::Invalid)?;
        let timeout = self.options.timeout;
        let found = blocking(&consumer, move |c| c.committed_offsets(tpl, timeout))?
            .map_err(|e| self.unreachable(&consumer, &e))
            .with_context(|| format!("cannot read the committed offsets of group '{group}'"))?;
        let map = found.to_topic_map();
        Ok(partitions
            .iter()
            .map(|key| match map.get(key) {
                Some(Offset::Offset(o)) => Some(*o),
                _ => None,
            })
            .collect())
    }

    /// Every partition `group` has a committed offset for, with it.
    pub fn all_committed(&self, group: &str) -> anyhow::Result<Vec<((String, i32), i64)>> {
        let all: Vec<(String, i32)> = self
            .topics()?
            .into_iter()
            .flat_map(|(t, n)| (0..n).map(move |p| (t.clone(), p)))
            .collect();
        let committed = self.committed(group, &all)?;
        Ok(all
            .into_iter()
            .zip(committed)
            .filter_map(|(key, c)| c.map(|o| (key, o)))
            .collect())
    }

    /// Commits `offsets` for `group` outside any generation; the broker
    /// refuses it while the group has members.
    pub fn commit(&self, group: &str, offsets: &[((String, i32), i64)]) -> anyhow::Result<()> {
        if offsets.is_empty() {
            return Ok(());
        }
        let consumer = Unjoined::new(Arc::new(group_consumer(&self.options, group)?));
        let keys: Vec<(String, i32)> = offsets.iter().map(|(k, _)| k.clone()).collect();
        let tpl = partition_list(&keys, |i| Offset::Offset(offsets[i].1))?;
        blocking(&consumer, move |c| c.commit(&tpl, CommitMode::Sync))?.map_err(|e| {
            match e.rdkafka_error_code() {
                Some(
                    RDKafkaErrorCode::IllegalGeneration
                    | RDKafkaErrorCode::UnknownMemberId
                    | RDKafkaErrorCode::RebalanceInProgress,
                ) => anyhow::anyhow!(
                    "cannot commit offsets for group '{group}': it has active members ({e}); stop its consumers and retry"
                ),
                _ => anyhow::anyhow!("cannot commit offsets for group '{group}': {e}"),
            }
        })
    }

    pub fn watermarks(&self, topic: &str, partition: i32) -> anyhow::Result<Watermarks> {
        let (name, timeout) = (topic.to_string(), self.options.timeout);
        let (earliest, latest) = blocking(&self.consumer, move |c| {
            c.fetch_watermarks(&name, partition, timeout)
        })?
        .map_err(|e| self.unreachable(&self.consumer, &e))
        .with_context(|| format!("cannot read the offsets of {topic}-{partition}"))?;
        Ok(Watermarks { earliest, latest })
    }

    /// The last stable offset: where read_committed readers stop, below the
    /// high watermark while a transaction is open in the partition.
    pub fn last_stable_offset(&self, topic: &str, partition: i32) -> anyhow::Result<i64> {
        let consumer = match self.committed.get() {
            Some(c) => c,
            None => {
                let mut config = self
                    .options
                    .config(&[("group.id", "dq-admin".to_string())])
                    .map_err(anyhow::Error::msg)?;
                config.set("isolation.level", "read_committed");
                let consumer: BaseConsumer<Events> = config
                    .create_with_context(Events::default())
                    .context("invalid client configuration")?;
                self.committed
                    .get_or_init(|| Unjoined::new(Arc::new(consumer)))
            }
        };
        let (name, timeout) = (topic.to_string(), self.options.timeout);
        let (_, stable) = blocking(consumer, move |c| {
            c.fetch_watermarks(&name, partition, timeout)
        })?
        .map_err(|e| self.unreachable(consumer, &e))
        .with_context(|| format!("cannot read the last stable offset of {topic}-{partition}"))?;
        Ok(stable)
    }

    /// The first offset whose timestamp is at or after `ms` in each
    /// partition; None where no record is that recent.
    pub fn offsets_for_time(
        &self,
        partitions: &[(String, i32)],
        ms: i64,
    ) -> anyhow::Result<Vec<Option<i64>>> {
        if partitions.is_empty() {
            return Ok(Vec::new());
        }
        let tpl = partition_list(partitions, |_| Offset::Offset(ms))?;
        let timeout = self.options.timeout;
        let found = blocking(&self.consumer, move |c| c.offsets_for_times(tpl, timeout))?
            .map_err(|e| self.unreachable(&self.consumer, &e))
            .context("cannot look up offsets by timestamp")?;
        let map = found.to_topic_map();
        Ok(partitions
            .iter()
            .map(|key| match map.get(key) {
                Some(Offset::Offset(o)) if *o >= 0 => Some(*o),
                _ => None,
            })
            .collect())
    }

    fn admin(&self) -> anyhow::Result<AdminClient<Events>> {
        let config = self.options.config(&[]).map_err(anyhow::Error::msg)?;
        config
            .create_with_context(Events::default())
            .context("invalid admin client configuration")
    }

    fn admin_options(&self) -> AdminOptions {
        AdminOptions::new().request_timeout(Some(self.options.timeout))
    }

    /// Deletes each group; one result per group, in order.
    pub fn delete_groups(&self, groups: &[String]) -> anyhow::Result<Vec<Result<(), String>>> {
        let admin = self.admin()?;
        let names: Vec<&str> = groups.iter().map(String::as_str).collect();
        let results = block_on(
            admin.delete_groups(&names, &self.admin_options()),
            self.options.timeout,
        )?
        .context("cannot delete groups")?;
        Ok(results
            .into_iter()
            .map(|r| match r {
                Ok(_) => Ok(()),
                Err((_, RDKafkaErrorCode::NonEmptyGroup)) => {
                    Err("it has active members; stop its consumers first".to_string())
                }
                Err((_, RDKafkaErrorCode::GroupIdNotFound)) => Err("it does not exist".to_string()),
                Err((_, code)) => Err(code.to_string()),
            })
            .collect())
    }

    /// Deletes records before `offsets` (-1: the high watermark); returns
    /// each partition's new log start offset.
    pub fn delete_records(
        &self,
        offsets: &[((String, i32), i64)],
    ) -> anyhow::Result<Vec<Result<i64, String>>> {
        let admin = self.admin()?;
        let keys: Vec<(String, i32)> = offsets.iter().map(|(k, _)| k.clone()).collect();
        // librdkafka spells "the high watermark" as its END offset, not -1.
        let tpl = partition_list(&keys, |i| match offsets[i].1 {
            o if o < 0 => Offset::End,
            o => Offset::Offset(o),
        })?;
        let result = block_on(
            admin.delete_records(&tpl, &self.admin_options()),
            self.options.timeout,
        )?
        .context("cannot delete records")?;
        let errors: BTreeMap<(String, i32), (Option<i64>, Option<String>)> = result
            .elements()
            .iter()
            .map(|e| {
                let key = (e.topic().to_string(), e.partition());
                let outcome = match e.error() {
                    Ok(()) => (e.offset().to_raw(), None),
                    Err(err) => (
                        None,
                        Some(match err.rdkafka_error_code() {
                            Some(RDKafkaErrorCode::OffsetOutOfRange) => {
                                "the offset is past the end of the partition".to_string()
                            }
                            Some(code) => code.to_string(),
                            None => err.to_string(),
                        }),
                    ),
                };
                (key, outcome)
            })
            .collect();
        Ok(keys
            .iter()
            .map(|k| match errors.get(k) {
                Some((Some(o), None)) => Ok(*o),
                Some((_, Some(err))) => Err(err.clone()),
                _ => Err("no answer for this partition".to_string()),
            })
            .collect())
    }

    /// Deletes `group`'s committed offsets for `partitions` (OffsetDelete),
    /// which rdkafka does not wrap; one result per partition, in order.
    pub fn delete_group_offsets(
        &self,
        group: &str,
        partitions: &[(String, i32)],
    ) -> anyhow::Result<Vec<Result<(), String>>> {
        let admin = self.admin()?;
        let tpl = partition_list(partitions, |_| Offset::Invalid)?;
        let group_c = CString::new(group).context("a group name cannot contain NUL")?;
        let timeout_ms = self.options.timeout.as_millis().min(i32::MAX as u128) as i32;
        let mut outcome: BTreeMap<(String, i32), Result<(), String>> = BTreeMap::new();
        // SAFETY: every pointer comes from librdkafka and is used only while
        // its owner (the admin client, the queue, the event) is alive; each
        // object created here is destroyed exactly once.
        unsafe {
            let rk = admin.inner().native_ptr();
            let queue = rdsys::rd_kafka_queue_new(rk);
            let mut request = rdsys::rd_kafka_DeleteConsumerGroupOffsets_new(
                group_c.as_ptr(),
                tpl.ptr() as *const _,
            );
            rdsys::rd_kafka_DeleteConsumerGroupOffsets(
                rk,
                &mut request,
                1,
                std::ptr::null(),
                queue,
            );
            rdsys::rd_kafka_DeleteConsumerGroupOffsets_destroy(request);
            // Polled in short steps, so that Ctrl-C ends the wait.
            let deadline = std::time::Instant::now()
                + Duration::from_millis(timeout_ms.saturating_add(1000) as u64);
            let mut event: *mut rdsys::rd_kafka_event_t = std::ptr::null_mut();
            while event.is_null() && !cancel::requested() && std::time::Instant::now() < deadline {
                event = rdsys::rd_kafka_queue_poll(queue, 20);
            }
            let failure = if event.is_null() {
                Some(format!("no answer within {:?}", self.options.timeout))
            } else if rdsys::rd_kafka_event_error(event)
                != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
            {
                Some(text(rdsys::rd_kafka_event_error_string(event)))
            } else {
                let result = rdsys::rd_kafka_event_DeleteConsumerGroupOffsets_result(event);
                let mut count = 0usize;
                let groups =
                    rdsys::rd_kafka_DeleteConsumerGroupOffsets_result_groups(result, &mut count);
                let mut failure = None;
                for i in 0..count {
                    let g = *groups.add(i);
                    let error = rdsys::rd_kafka_group_result_error(g);
                    if !error.is_null() {
                        failure = Some(text(rdsys::rd_kafka_error_string(error)));
                        continue;
                    }
                    let list = rdsys::rd_kafka_group_result_partitions(g);
                    if list.is_null() {
                        continue;
                    }
                    for j in 0..(*list).cnt as usize {
                        let elem = &*(*list).elems.add(j);
                        let key = (text(elem.topic), elem.partition);
                        let result = if elem.err == rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                            Ok(())
                        } else if elem.err
                            == rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC
                        {
                            Err("the group's active members are subscribed to this topic; stop them first".to_string())
                        } else {
                            Err(text(rdsys::rd_kafka_err2str(elem.err)))
                        };
                        outcome.insert(key, result);
                    }
                }
                failure
            };
            if !event.is_null() {
                rdsys::rd_kafka_event_destroy(event);
            }
            rdsys::rd_kafka_queue_destroy(queue);
            if event.is_null() && cancel::requested() {
                return Err(cancel::Cancelled.into());
            }
            if let Some(f) = failure {
                if f.contains("does not exist") || f.contains("GROUP_ID_NOT_FOUND") {
                    bail!("group '{group}' does not exist");
                }
                bail!("cannot delete offsets of group '{group}': {f}");
            }
        }
        Ok(partitions
            .iter()
            .map(|k| {
                outcome
                    .remove(k)
                    .unwrap_or_else(|| Err("no answer for this partition".to_string()))
            })
            .collect())
    }
}

/// One row of `dq groups describe`: a partition the group has a committed
/// offset for or a member is assigned, and how far behind it is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartitionLag {
    pub topic: String,
    pub partition: i32,
    /// None: the group has committed nothing here.
    pub current_offset: Option<i64>,
    pub log_end_offset: i64,
    /// Log end minus committed; None without a committed offset.
    pub lag: Option<i64>,
    pub consumer_id: Option<String>,
    pub host: Option<String>,
    pub client_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopicLag {
    pub topic: String,
    pub lag: i64,
}

/// Everything `dq groups describe` shows, in every view.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GroupDescription {
    pub group: String,
    #[serde(rename = "type")]
    pub group_type: String,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub group_epoch: Option<i32>,
    pub assignment_epoch: Option<i32>,
    pub members: Vec<Member>,
    pub partitions: Vec<PartitionLag>,
    /// Per topic, in name order.
    pub topic_lag: Vec<TopicLag>,
    pub total_lag: i64,
}

/// Describes `group` (whose state and members are `state`): each
/// partition's committed offset and lag.
pub fn describe(cluster: &Cluster, state: GroupState) -> anyhow::Result<GroupDescription> {
    let group = state.group.clone();
    let group = group.as_str();
    let committed: BTreeMap<(String, i32), i64> =
        cluster.all_committed(group)?.into_iter().collect();
    if !state.exists() && committed.is_empty() {
        bail!("consumer group '{group}' does not exist (see `dq groups list`)");
    }
    let mut owners: BTreeMap<(String, i32), &Member> = BTreeMap::new();
    for m in &state.members {
        for tp in &m.assignment {
            for p in &tp.partitions {
                owners.insert((tp.topic.clone(), *p), m);
            }
        }
    }
    let mut keys: Vec<(String, i32)> = committed.keys().cloned().collect();
    keys.extend(owners.keys().cloned());
    keys.sort();
    keys.dedup();
    let mut partitions = Vec::with_capacity(keys.len());
    let mut by_topic: BTreeMap<String, i64> = BTreeMap::new();
    for key in keys {
        let log_end = cluster.watermarks(&key.0, key.1)?.latest;
        let current = committed.get(&key).copied();
        // A committed offset past the end (the log was truncated) is no lag.
        let lag = current.map(|c| (log_end - c).max(0));
        *by_topic.entry(key.0.clone()).or_default() += lag.unwrap_or(0);
        let owner = owners.get(&key);
        partitions.push(PartitionLag {
            topic: key.0,
            partition: key.1,
            current_offset: current,
            log_end_offset: log_end,
            lag,
            consumer_id: owner.map(|m| m.consumer_id.clone()),
            host: owner.map(|m| m.host.clone()),
            client_id: owner.map(|m| m.client_id.clone()),
        });
    }
    let total_lag = by_topic.values().sum();
    Ok(GroupDescription {
        group: state.group,
        group_type: state.group_type,
        state: state.state,
        protocol_type: state.protocol_type,
        protocol: state.protocol,
        group_epoch: state.group_epoch,
        assignment_epoch: state.assignment_epoch,
        members: state.members,
        partitions,
        topic_lag: by_topic
            .into_iter()
            .map(|(topic, lag)| TopicLag { topic, lag })
            .collect(),
        total_lag,
    })
}

/// DescribeGroups' answer for `group` as a plain value ("Dead" when absent).
fn group_state(list: &rdkafka::groups::GroupList, group: &str) -> GroupState {
    let Some(g) = list.groups().iter().find(|g| g.name() == group) else {
        return GroupState {
            group: group.to_string(),
            group_type: "classic".into(),
            state: "Dead".into(),
            protocol_type: String::new(),
            protocol: String::new(),
            group_epoch: None,
            assignment_epoch: None,
            members: Vec::new(),
        };
    };
    let consumer_protocol = g.protocol_type() == "consumer";
    let members = g
        .members()
        .iter()
        .map(|m| Member {
            consumer_id: m.id().to_string(),
            client_id: m.client_id().to_string(),
            host: m.client_host().trim_start_matches('/').to_string(),
            assignment: match m.assignment() {
                Some(bytes) if consumer_protocol => decode_assignment(bytes).unwrap_or_default(),
                _ => Vec::new(),
            },
            instance_id: None,
            member_epoch: None,
            target_assignment: None,
        })
        .collect();
    GroupState {
        group: group.to_string(),
        group_type: "classic".into(),
        state: g.state().to_string(),
        protocol_type: g.protocol_type().to_string(),
        protocol: g.protocol().to_string(),
        group_epoch: None,
        assignment_epoch: None,
        members,
    }
}

/// A consumer with `group.id = group` that never subscribes.
fn group_consumer(options: &ClientOptions, group: &str) -> anyhow::Result<BaseConsumer<Events>> {
    let defaults = [
        ("group.id", group.to_string()),
        ("enable.auto.commit", "false".to_string()),
        ("enable.auto.offset.store", "false".to_string()),
    ];
    let mut config = options.config(&defaults).map_err(anyhow::Error::msg)?;
    // librdkafka's default, read_committed, would make the latest offset
    // the last stable one, and committed offsets wait out open
    // transactions; Kafka's own tools read both uncommitted.
    config.set("isolation.level", "read_uncommitted");
    config
        .create_with_context(Events::default())
        .context("invalid client configuration")
}

fn partition_list(
    partitions: &[(String, i32)],
    offset: impl Fn(usize) -> Offset,
) -> anyhow::Result<TopicPartitionList> {
    let mut tpl = TopicPartitionList::with_capacity(partitions.len());
    for (i, (topic, p)) in partitions.iter().enumerate() {
        tpl.add_partition_offset(topic, *p, offset(i))?;
    }
    Ok(tpl)
}

/// Runs an admin future to completion; the admin client polls librdkafka on
/// its own thread, so a current-thread runtime only waits.
fn block_on<F: std::future::Future>(future: F, timeout: Duration) -> anyhow::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the async runtime")?;
    // A margin over the request timeout lets librdkafka report its own
    // timeout, which names the operation, before ours fires.
    let answered = runtime.block_on(async {
        tokio::select! {
            answer = tokio::time::timeout(timeout + Duration::from_secs(5), future) => Some(answer),
            () = cancelled() => None,
        }
    });
    match answered {
        Some(answer) => {
            answer.map_err(|_| anyhow::anyhow!("the broker did not answer within {timeout:?}"))
        }
        None => Err(cancel::Cancelled.into()),
    }
}

/// Resolves once the command is interrupted (Ctrl-C in the REPL).
async fn cancelled() {
    while !cancel::requested() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// # Safety
/// `ptr` is null or a NUL-terminated string that outlives the call.
unsafe fn text(ptr: *const std::os::raw::c_char) -> String {
    if ptr.is_null() {
        String::new()
    } else {
        CStr::from_ptr(ptr).to_string_lossy().into_owned()
    }
}

/// Decodes a consumer-protocol assignment: version (i16), then an array
/// (i32 count) of (topic: i16-length string, partitions: i32 count of i32),
/// then user data, which is ignored.
pub fn decode_assignment(bytes: &[u8]) -> Option<Vec<TopicPartitions>> {
    struct Reader<'a>(&'a [u8]);
    impl Reader<'_> {
        fn take(&mut self, n: usize) -> Option<&[u8]> {
            if self.0.len() < n {
                return None;
            }
            let (head, tail) = self.0.split_at(n);
            self.0 = tail;
            Some(head)
        }
        fn i16(&mut self) -> Option<i16> {
            self.take(2).map(|b| i16::from_be_bytes([b[0], b[1]]))
        }
        fn i32(&mut self) -> Option<i32> {
            self.take(4)
                .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
    }
    if bytes.is_empty() {
        return Some(Vec::new());
    }
    let mut r = Reader(bytes);
    let _version = r.i16()?;
    let topics = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..topics.max(0) {
        let len = r.i16()?;
        let topic = String::from_utf8_lossy(r.take(len.max(0) as usize)?).into_owned();
        let n = r.i32()?;
        let mut partitions = Vec::new();
        for _ in 0..n.max(0) {
            partitions.push(r.i32()?);
        }
        partitions.sort_unstable();
        out.push(TopicPartitions { topic, partitions });
    }
    out.sort_by(|a, b| a.topic.cmp(&b.topic));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumer_protocol_assignments_decode() {
        let mut bytes = vec![0, 1, 0, 0, 0, 1, 0, 3];
        bytes.extend_from_slice(b"abc");
        bytes.extend_from_slice(&[0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1]);
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(
            decode_assignment(&bytes),
            Some(vec![TopicPartitions {
                topic: "abc".into(),
                partitions: vec![1, 4]
            }])
        );
        assert_eq!(decode_assignment(&[]), Some(vec![]));
        assert_eq!(decode_assignment(&[0, 1, 0, 0, 0, 1, 0, 9]), None);
    }
}
