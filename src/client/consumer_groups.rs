//! Groups of Kafka 4's consumer protocol (KIP-848), which DescribeGroups
//! does not describe: a broker answers it with GROUP_ID_NOT_FOUND for them,
//! and librdkafka's group listing shows them "Dead". This asks the group's
//! coordinator with ConsumerGroupDescribe over a [`Connection`], which also
//! gives what librdkafka's own describe leaves out: the group epoch, the
//! target assignment's epoch, and each member's epoch.
//!
//! PLAINTEXT only, as everything over [`Connection`]; callers check
//! [`super::wire::plaintext`] first.

use std::time::Instant;

use anyhow::Context as _;
use kafka_protocol::messages::consumer_group_describe_response::Assignment;
use kafka_protocol::messages::{ApiKey, ConsumerGroupDescribeRequest, GroupId};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::groups::{GroupState, Member, TopicPartitions};
use super::wire::{coordinator, open_any, Connection, CoordinatorKind};
use super::ClientOptions;

/// ConsumerGroupDescribe v0 and v1 (v1 adds the member type).
const DESCRIBE: (i16, i16) = (0, 1);

/// `group` as its coordinator describes it under the consumer protocol, or
/// None when the coordinator knows no consumer-protocol group of that name
/// (a classic group, or none at all) or does not serve ConsumerGroupDescribe
/// (a broker older than Kafka 3.7).
pub fn describe(options: &ClientOptions, group: &str) -> anyhow::Result<Option<GroupState>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let found = coordinator(&mut conn, CoordinatorKind::Group, group)?;
    let (host, port) = (found.host, found.port);
    let mut conn = Connection::open(&host, port, deadline).with_context(|| {
        format!("cannot reach the coordinator of group '{group}' at {host}:{port}")
    })?;
    let Ok(version) = conn.version(ApiKey::ConsumerGroupDescribe, DESCRIBE) else {
        return Ok(None);
    };
    let request = ConsumerGroupDescribeRequest::default()
        .with_group_ids(vec![GroupId(StrBytes::from_string(group.to_string()))]);
    let response = conn
        .call(&request, version)
        .context("ConsumerGroupDescribe")?;
    let Some(g) = response
        .groups
        .into_iter()
        .find(|g| g.group_id.as_str() == group)
    else {
        anyhow::bail!("the coordinator's ConsumerGroupDescribe answer left out group '{group}'");
    };
    match ResponseError::try_from_code(g.error_code) {
        None => {}
        Some(ResponseError::GroupIdNotFound) => return Ok(None),
        Some(e) => anyhow::bail!(
            "cannot describe group '{group}': {e}{}",
            g.error_message
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        ),
    }
    let members = g
        .members
        .into_iter()
        .map(|m| Member {
            consumer_id: m.member_id.to_string(),
            client_id: m.client_id.to_string(),
            host: m.client_host.trim_start_matches('/').to_string(),
            assignment: partitions(&m.assignment),
            instance_id: m.instance_id.map(|i| i.to_string()),
            member_epoch: Some(m.member_epoch),
            target_assignment: Some(partitions(&m.target_assignment)),
        })
        .collect();
    Ok(Some(GroupState {
        group: group.to_string(),
        group_type: "consumer".into(),
        state: g.group_state.to_string(),
        protocol_type: "consumer".into(),
        protocol: g.assignor_name.to_string(),
        group_epoch: Some(g.group_epoch),
        assignment_epoch: Some(g.assignment_epoch),
        members,
    }))
}

fn partitions(assignment: &Assignment) -> Vec<TopicPartitions> {
    let mut topics: Vec<TopicPartitions> = assignment
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
    topics.sort_by(|a, b| a.topic.cmp(&b.topic));
    topics
}
