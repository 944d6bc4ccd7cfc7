//! Share groups (KIP-932) for `dq groups`, which librdkafka 2.12 knows
//! nothing of, over dq's own [`Connection`]: every group's type (ListGroups
//! v5), a share group's members (ShareGroupDescribe) and start offsets
//! (DescribeShareGroupOffsets), moving them (AlterShareGroupOffsets), and a
//! group's configs (DescribeConfigs / IncrementalAlterConfigs on GROUP
//! resources, KIP-848's resource type 32), which also name its dead-letter
//! topic (KIP-1191).
//!
//! PLAINTEXT only, as everything over [`Connection`]; callers check
//! [`super::wire::plaintext`] first.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Context as _};
use kafka_protocol::messages::alter_share_group_offsets_request::{
    AlterShareGroupOffsetsRequestPartition, AlterShareGroupOffsetsRequestTopic,
};
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::describe_share_group_offsets_request::DescribeShareGroupOffsetsRequestGroup;
use kafka_protocol::messages::incremental_alter_configs_request::{
    AlterConfigsResource, AlterableConfig,
};
use kafka_protocol::messages::{
    AlterShareGroupOffsetsRequest, ApiKey, DescribeConfigsRequest,
    DescribeShareGroupOffsetsRequest, GroupId, IncrementalAlterConfigsRequest, ListGroupsRequest,
    MetadataRequest, ShareGroupDescribeRequest, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use serde::Serialize;

use super::groups::{Cluster, GroupState, Member, TopicLag, TopicPartitions};
use super::share_consumer::explain;
use super::wire::{coordinator, open_any, Connection, CoordinatorKind};
use super::ClientOptions;

/// ListGroups v5 adds each group's type; v4 its state.
const LIST_GROUPS: (i16, i16) = (0, 5);
const SHARE_DESCRIBE: (i16, i16) = (1, 1);
const DESCRIBE_OFFSETS: (i16, i16) = (0, 0);
const ALTER_OFFSETS: (i16, i16) = (0, 0);
const DESCRIBE_CONFIGS: (i16, i16) = (1, 4);
const ALTER_CONFIGS: (i16, i16) = (0, 1);

/// KIP-848's config resource type for groups (not ACLs' GROUP, 3).
const GROUP_RESOURCE: i8 = 32;
const BROKER_RESOURCE: i8 = 4;
/// The group config naming a share group's dead-letter topic (KIP-1191).
pub const DEAD_LETTER_TOPIC: &str = "errors.deadletterqueue.topic.name";
/// The broker config with the prefix dead-letter topic names must carry.
pub const DEAD_LETTER_PREFIX: &str = "errors.deadletterqueue.topic.name.prefix";
/// The topic config that lets a topic take dead letters.
pub const DEAD_LETTER_ENABLE: &str = "errors.deadletterqueue.group.enable";
/// KIP-1191's default prefix, when the broker does not report its own.
pub const DEFAULT_DEAD_LETTER_PREFIX: &str = "dlq.";

/// One group as ListGroups names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub group: String,
    /// `classic`, `consumer`, `share` (v5); empty from older brokers.
    pub group_type: String,
    pub protocol_type: String,
    /// Empty below v4.
    pub state: String,
}

/// A share group as its coordinator describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareGroup {
    pub group: String,
    pub state: String,
    pub group_epoch: i32,
    pub assignment_epoch: i32,
    pub assignor: String,
    pub members: Vec<Member>,
}

/// One share-partition's progress (DescribeShareGroupOffsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartOffset {
    pub topic: String,
    pub partition: i32,
    /// None: the group has not read this partition yet.
    pub start_offset: Option<i64>,
    /// Records acquired and not yet acknowledged, when the broker says (dq
    /// serve does, in a tagged field Kafka's clients skip).
    pub in_flight: Option<i64>,
}

/// The tagged field of DescribeShareGroupOffsets' partitions in which dq
/// serve reports the records in flight (an 8-byte big-endian count).
pub const IN_FLIGHT_TAG: i32 = 10000;

/// Every group the broker knows, with its type. The whole list from one
/// broker: dq serve is one node.
pub fn list(options: &ClientOptions) -> anyhow::Result<Vec<Listed>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let version = conn.version(ApiKey::ListGroups, LIST_GROUPS)?;
    let response = conn
        .call(&ListGroupsRequest::default(), version)
        .context("ListGroups")?;
    if let Some(e) = ResponseError::try_from_code(response.error_code) {
        bail!("cannot list groups: {}", explain(e, None));
    }
    Ok(response
        .groups
        .into_iter()
        .map(|g| Listed {
            group: g.group_id.to_string(),
            group_type: g.group_type.to_string(),
            protocol_type: g.protocol_type.to_string(),
            state: g.group_state.to_string(),
        })
        .collect())
}

/// A connection to the coordinator of `group`.
fn coordinator_of(
    options: &ClientOptions,
    group: &str,
    deadline: Instant,
) -> anyhow::Result<Connection> {
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let found = coordinator(&mut conn, CoordinatorKind::Group, group)?;
    Connection::open(&found.host, found.port, deadline).with_context(|| {
        format!(
            "cannot reach the coordinator of group '{group}' at {}:{}",
            found.host, found.port
        )
    })
}

/// `group` as a share group, or None when its coordinator knows no share
/// group of that name (another type of group, or none) or serves no share
/// groups at all.
pub fn describe(options: &ClientOptions, group: &str) -> anyhow::Result<Option<ShareGroup>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = coordinator_of(options, group, deadline)?;
    let Ok(version) = conn.version(ApiKey::ShareGroupDescribe, SHARE_DESCRIBE) else {
        return Ok(None);
    };
    let request = ShareGroupDescribeRequest::default()
        .with_group_ids(vec![GroupId(StrBytes::from_string(group.to_string()))]);
    let response = conn.call(&request, version).context("ShareGroupDescribe")?;
    let Some(g) = response
        .groups
        .into_iter()
        .find(|g| g.group_id.as_str() == group)
    else {
        bail!("the coordinator's ShareGroupDescribe answer left out group '{group}'");
    };
    match ResponseError::try_from_code(g.error_code) {
        None => {}
        Some(ResponseError::GroupIdNotFound) => return Ok(None),
        Some(e) => bail!(
            "cannot describe share group '{group}': {}",
            explain(e, g.error_message.as_deref())
        ),
    }
    // Kafka answers a name no group has with state Dead.
    if g.group_state.as_str() == "Dead" {
        return Ok(None);
    }
    let mut members: Vec<Member> = g
        .members
        .into_iter()
        .map(|m| {
            let mut assignment: Vec<TopicPartitions> = m
                .assignment
                .topic_partitions
                .iter()
                .map(|t| {
                    let mut partitions = t.partitions.clone();
                    partitions.sort_unstable();
                    TopicPartitions {
                        topic: t.topic_name.to_string(),
                        partitions,
                    }
                })
                .collect();
            assignment.sort_by(|a, b| a.topic.cmp(&b.topic));
            Member {
                consumer_id: m.member_id.to_string(),
                client_id: m.client_id.to_string(),
                host: m.client_host.trim_start_matches('/').to_string(),
                assignment,
                instance_id: None,
                member_epoch: Some(m.member_epoch),
                target_assignment: None,
            }
        })
        .collect();
    members.sort_by(|a, b| a.consumer_id.cmp(&b.consumer_id));
    Ok(Some(ShareGroup {
        group: group.to_string(),
        state: g.group_state.to_string(),
        group_epoch: g.group_epoch,
        assignment_epoch: g.assignment_epoch,
        assignor: g.assignor_name.to_string(),
        members,
    }))
}

/// The start offset of every share-partition the group has state for.
pub fn start_offsets(options: &ClientOptions, group: &str) -> anyhow::Result<Vec<StartOffset>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = coordinator_of(options, group, deadline)?;
    let version = conn.version(ApiKey::DescribeShareGroupOffsets, DESCRIBE_OFFSETS)?;
    let request = DescribeShareGroupOffsetsRequest::default().with_groups(vec![
        DescribeShareGroupOffsetsRequestGroup::default()
            .with_group_id(GroupId(StrBytes::from_string(group.to_string())))
            .with_topics(None),
    ]);
    let response = conn
        .call(&request, version)
        .context("DescribeShareGroupOffsets")?;
    let Some(g) = response
        .groups
        .into_iter()
        .find(|g| g.group_id.as_str() == group)
    else {
        bail!("the coordinator's DescribeShareGroupOffsets answer left out group '{group}'");
    };
    match ResponseError::try_from_code(g.error_code) {
        None => {}
        Some(ResponseError::GroupIdNotFound) => return Ok(Vec::new()),
        Some(e) => bail!(
            "cannot read the start offsets of share group '{group}': {}",
            explain(e, g.error_message.as_deref())
        ),
    }
    let mut out = Vec::new();
    for t in g.topics {
        for p in t.partitions {
            if let Some(e) = ResponseError::try_from_code(p.error_code) {
                bail!(
                    "cannot read the start offset of {}-{} for share group '{group}': {}",
                    t.topic_name.as_str(),
                    p.partition_index,
                    explain(e, p.error_message.as_deref())
                );
            }
            let in_flight = p
                .unknown_tagged_fields
                .get(&IN_FLIGHT_TAG)
                .and_then(|b| <[u8; 8]>::try_from(b.as_ref()).ok())
                .map(i64::from_be_bytes);
            out.push(StartOffset {
                topic: t.topic_name.to_string(),
                partition: p.partition_index,
                start_offset: (p.start_offset >= 0).then_some(p.start_offset),
                in_flight,
            });
        }
    }
    out.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    Ok(out)
}

/// Moves the start offsets of `group` (which must have no members); one
/// result per partition, in order.
pub fn alter_start_offsets(
    options: &ClientOptions,
    group: &str,
    offsets: &[((String, i32), i64)],
) -> anyhow::Result<Vec<Result<(), String>>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = coordinator_of(options, group, deadline)?;
    let version = conn.version(ApiKey::AlterShareGroupOffsets, ALTER_OFFSETS)?;
    let mut topics: BTreeMap<&str, Vec<AlterShareGroupOffsetsRequestPartition>> = BTreeMap::new();
    for ((topic, partition), offset) in offsets {
        topics.entry(topic).or_default().push(
            AlterShareGroupOffsetsRequestPartition::default()
                .with_partition_index(*partition)
                .with_start_offset(*offset),
        );
    }
    let request = AlterShareGroupOffsetsRequest::default()
        .with_group_id(GroupId(StrBytes::from_string(group.to_string())))
        .with_topics(
            topics
                .into_iter()
                .map(|(t, ps)| {
                    AlterShareGroupOffsetsRequestTopic::default()
                        .with_topic_name(TopicName(StrBytes::from_string(t.to_string())))
                        .with_partitions(ps)
                })
                .collect(),
        );
    let response = conn
        .call(&request, version)
        .context("AlterShareGroupOffsets")?;
    match ResponseError::try_from_code(response.error_code) {
        None => {}
        Some(ResponseError::NonEmptyGroup) => bail!(
            "cannot reset the start offsets of share group '{group}': it has active members; stop its consumers and retry"
        ),
        Some(e) => bail!(
            "cannot reset the start offsets of share group '{group}': {}",
            explain(e, response.error_message.as_deref())
        ),
    }
    let mut results: BTreeMap<(String, i32), Result<(), String>> = BTreeMap::new();
    for t in response.responses {
        for p in t.partitions {
            let result = match ResponseError::try_from_code(p.error_code) {
                None => Ok(()),
                Some(e) => Err(explain(e, p.error_message.as_deref())),
            };
            results.insert((t.topic_name.to_string(), p.partition_index), result);
        }
    }
    Ok(offsets
        .iter()
        .map(|(key, _)| {
            results
                .remove(key)
                .unwrap_or_else(|| Err("no answer for this partition".to_string()))
        })
        .collect())
}

/// Sets and deletes configs of `group` (IncrementalAlterConfigs on its GROUP
/// resource).
pub fn alter_group_configs(
    options: &ClientOptions,
    group: &str,
    set: &[(String, String)],
    delete: &[String],
) -> anyhow::Result<()> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let version = conn.version(ApiKey::IncrementalAlterConfigs, ALTER_CONFIGS)?;
    let mut configs: Vec<AlterableConfig> = set
        .iter()
        .map(|(k, v)| {
            AlterableConfig::default()
                .with_name(StrBytes::from_string(k.clone()))
                .with_config_operation(0)
                .with_value(Some(StrBytes::from_string(v.clone())))
        })
        .collect();
    configs.extend(delete.iter().map(|k| {
        AlterableConfig::default()
            .with_name(StrBytes::from_string(k.clone()))
            .with_config_operation(1)
            .with_value(None)
    }));
    let request = IncrementalAlterConfigsRequest::default().with_resources(vec![
        AlterConfigsResource::default()
            .with_resource_type(GROUP_RESOURCE)
            .with_resource_name(StrBytes::from_string(group.to_string()))
            .with_configs(configs),
    ]);
    let response = conn
        .call(&request, version)
        .context("IncrementalAlterConfigs")?;
    let Some(r) = response.responses.first() else {
        bail!("the broker's IncrementalAlterConfigs answer left out group '{group}'");
    };
    match ResponseError::try_from_code(r.error_code) {
        None => Ok(()),
        Some(ResponseError::InvalidConfig | ResponseError::InvalidRequest) => bail!(
            "cannot alter the configs of group '{group}': {}",
            r.error_message
                .as_deref()
                .filter(|m| !m.is_empty())
                .map_or_else(
                    || "the broker refused them (INVALID_CONFIG)".to_string(),
                    str::to_string
                )
        ),
        Some(e) => bail!(
            "cannot alter the configs of group '{group}': {}",
            explain(e, r.error_message.as_deref())
        ),
    }
}

/// The configs of a resource the broker reports, by name (None: the
/// broker does not serve DescribeConfigs for it).
fn describe_configs(
    options: &ClientOptions,
    resource_type: i8,
    name: &str,
    keys: Option<&[&str]>,
) -> anyhow::Result<Option<BTreeMap<String, Option<String>>>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let version = conn.version(ApiKey::DescribeConfigs, DESCRIBE_CONFIGS)?;
    let request =
        DescribeConfigsRequest::default().with_resources(vec![DescribeConfigsResource::default()
            .with_resource_type(resource_type)
            .with_resource_name(StrBytes::from_string(name.to_string()))
            .with_configuration_keys(keys.map(|ks| {
                ks.iter()
                    .map(|k| StrBytes::from_string(k.to_string()))
                    .collect()
            }))]);
    let response = conn.call(&request, version).context("DescribeConfigs")?;
    let Some(r) = response.results.into_iter().next() else {
        return Ok(None);
    };
    if ResponseError::try_from_code(r.error_code).is_some() {
        return Ok(None);
    }
    Ok(Some(
        r.configs
            .into_iter()
            .map(|c| (c.name.to_string(), c.value.map(|v| v.to_string())))
            .collect(),
    ))
}

/// The prefix the broker requires of dead-letter topic names (KIP-1191's
/// default when the broker does not say).
pub fn dead_letter_prefix(options: &ClientOptions) -> anyhow::Result<String> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let version = conn.version(ApiKey::Metadata, (1, 12))?;
    let metadata = conn
        .call(
            &MetadataRequest::default().with_topics(Some(Vec::new())),
            version,
        )
        .context("Metadata")?;
    let Some(broker) = metadata.brokers.first() else {
        bail!("the broker's metadata names no broker");
    };
    let configs = describe_configs(
        options,
        BROKER_RESOURCE,
        &broker.node_id.0.to_string(),
        Some(&[DEAD_LETTER_PREFIX]),
    )?;
    Ok(configs
        .and_then(|c| c.get(DEAD_LETTER_PREFIX).cloned().flatten())
        .unwrap_or_else(|| DEFAULT_DEAD_LETTER_PREFIX.to_string()))
}

/// The configs of `group` (every group config, with the broker's defaults
/// where the group sets none).
pub fn group_configs(
    options: &ClientOptions,
    group: &str,
) -> anyhow::Result<BTreeMap<String, Option<String>>> {
    describe_configs(options, GROUP_RESOURCE, group, None)?.ok_or_else(|| {
        anyhow::anyhow!("the broker does not describe the configs of group '{group}'")
    })
}

/// One row of `dq groups describe` for a share group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharePartitionLag {
    pub topic: String,
    pub partition: i32,
    /// The share-partition start offset: every record before it is done
    /// (accepted or archived); None before the group first reads it.
    pub start_offset: Option<i64>,
    /// Records acquired by members and not yet acknowledged; None when the
    /// broker does not report it.
    pub in_flight: Option<i64>,
    pub log_end_offset: i64,
    /// Log end minus start offset, as kafka-share-groups.sh counts it.
    pub lag: Option<i64>,
}

/// Everything `dq groups describe` shows of a share group, in every view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareGroupDescription {
    pub group: String,
    #[serde(rename = "type")]
    pub group_type: String,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub group_epoch: Option<i32>,
    pub assignment_epoch: Option<i32>,
    pub members: Vec<Member>,
    pub partitions: Vec<SharePartitionLag>,
    pub topic_lag: Vec<TopicLag>,
    pub total_lag: i64,
}

/// Describes share group `state.group`: its members, and each
/// share-partition's start offset, records in flight and lag; partitions
/// assigned but never read yet are listed too.
pub fn describe_lag(
    cluster: &Cluster,
    options: &ClientOptions,
    state: GroupState,
) -> anyhow::Result<ShareGroupDescription> {
    let starts = start_offsets(options, &state.group)?;
    let mut rows: BTreeMap<(String, i32), (Option<i64>, Option<i64>)> = starts
        .into_iter()
        .map(|s| ((s.topic, s.partition), (s.start_offset, s.in_flight)))
        .collect();
    for m in &state.members {
        for tp in &m.assignment {
            for p in &tp.partitions {
                rows.entry((tp.topic.clone(), *p)).or_insert((None, None));
            }
        }
    }
    let mut partitions = Vec::with_capacity(rows.len());
    let mut by_topic: BTreeMap<String, i64> = BTreeMap::new();
    for ((topic, partition), (start, in_flight)) in rows {
        let log_end = cluster.watermarks(&topic, partition)?.latest;
        let lag = start.map(|s| (log_end - s).max(0));
        *by_topic.entry(topic.clone()).or_default() += lag.unwrap_or(0);
        partitions.push(SharePartitionLag {
            topic,
            partition,
            start_offset: start,
            in_flight,
            log_end_offset: log_end,
            lag,
        });
    }
    Ok(ShareGroupDescription {
        group: state.group,
        group_type: state.group_type,
        state: state.state,
        protocol_type: state.protocol_type,
        protocol: state.protocol,
        group_epoch: state.group_epoch,
        assignment_epoch: state.assignment_epoch,
        members: state.members,
        partitions,
        total_lag: by_topic.values().sum(),
        topic_lag: by_topic
            .into_iter()
            .map(|(topic, lag)| TopicLag { topic, lag })
            .collect(),
    })
}

impl ShareGroup {
    /// As the group views of `dq groups` hold it.
    pub fn into_state(self) -> GroupState {
        GroupState {
            group: self.group,
            group_type: "share".into(),
            state: self.state,
            protocol_type: "share".into(),
            protocol: self.assignor,
            group_epoch: Some(self.group_epoch),
            assignment_epoch: Some(self.assignment_epoch),
            members: self.members,
        }
    }
}
