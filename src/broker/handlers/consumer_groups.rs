//! The KIP-848 consumer group APIs: ConsumerGroupHeartbeat and
//! ConsumerGroupDescribe. The state machine is `coordinator::consumer_group`;
//! this file translates the wire messages to and from it, and keeps the one
//! group-id namespace shared with classic groups (a group is converted only
//! when the other kind has no members left).

use std::collections::BTreeMap;
use std::time::Instant;

use kafka_protocol::messages::consumer_group_describe_response::{
    Assignment as DescribedAssignment, DescribedGroup, Member as DescribedMember,
    TopicPartitions as DescribedTopicPartitions,
};
use kafka_protocol::messages::consumer_group_heartbeat_response::{
    Assignment as HeartbeatAssignment, TopicPartitions,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use uuid::Uuid;

use crate::broker::coordinator::assignor::Assignment;
use crate::broker::coordinator::consumer_group::{GroupError, Heartbeat, TopicsByName};
use crate::broker::dispatch::Context;
use crate::broker::state::{is_internal, State};

/// The ACL operations on a group (READ, DELETE, DESCRIBE) as a bit field:
/// all of them while no authorizer is configured.
pub(super) const GROUP_OPERATIONS: i32 = (1 << 3) | (1 << 6) | (1 << 8);

pub(super) fn s(v: impl Into<String>) -> StrBytes {
    StrBytes::from_string(v.into())
}

/// Every topic's name by its id, to name the topics of assignments.
pub(super) fn topic_names(state: &State) -> BTreeMap<Uuid, String> {
    state
        .topics()
        .into_iter()
        .map(|t| (t.def.id, t.def.name.clone()))
        .collect()
}

/// Every topic clients may subscribe to, by name (consumer and share groups).
pub(super) fn topics_by_name(state: &State) -> TopicsByName {
    state
        .topics()
        .into_iter()
        .filter(|t| !is_internal(&t.def.name))
        .map(|t| (t.def.name.clone(), (t.def.id, t.partitions.len() as i32)))
        .collect()
}

fn to_assignment(parts: Vec<(Uuid, Vec<i32>)>) -> Assignment {
    let mut a = Assignment::new();
    for (topic, partitions) in parts {
        a.entry(topic).or_default().extend(partitions);
    }
    a
}

pub async fn consumer_group_heartbeat(
    state: &State,
    ctx: &Context,
    request: ConsumerGroupHeartbeatRequest,
) -> anyhow::Result<ConsumerGroupHeartbeatResponse> {
    // The group's consumer.* group configs over the broker's defaults.
    let timeouts = state.group_configs.consumer_timeouts(&request.group_id);
    let interval = timeouts.heartbeat_interval;
    let mut member_id = request.member_id.to_string();
    // v0 clients let the coordinator name them; v1 clients (librdkafka
    // 2.12) send a UUID of their own.
    if member_id.is_empty() && ctx.version() == 0 && request.member_epoch == 0 {
        member_id = Uuid::new_v4().to_string();
    }
    let hb = Heartbeat {
        member_id,
        member_epoch: request.member_epoch,
        instance_id: request.instance_id.map(|i| i.to_string()),
        rack_id: request.rack_id.map(|r| r.to_string()),
        rebalance_timeout_ms: request.rebalance_timeout_ms,
        subscribed_names: request
            .subscribed_topic_names
            .map(|names| names.into_iter().map(|n| n.to_string()).collect()),
        subscribed_regex: request.subscribed_topic_regex.map(|r| r.to_string()),
        server_assignor: request.server_assignor.map(|a| a.to_string()),
        owned: request.topic_partitions.map(|tps| {
            to_assignment(
                tps.into_iter()
                    .map(|tp| (tp.topic_id, tp.partitions))
                    .collect(),
            )
        }),
        client_id: ctx.client_id(),
        client_host: format!("/{}", ctx.peer.ip()),
    };
    let result = if request.group_id.is_empty() {
        Err(GroupError {
            code: ResponseError::InvalidRequest,
            message: "GroupId can't be empty.".into(),
        })
    } else if state.share_groups.exists(&request.group_id) {
        Err(GroupError {
            code: ResponseError::GroupIdNotFound,
            message: format!(
                "Group {} is not a consumer group: it is a share group.",
                request.group_id.as_str()
            ),
        })
    } else {
        let topics = topics_by_name(state);
        state
            .groups
            .consumer_heartbeat(&request.group_id, hb, &topics, Instant::now(), timeouts)
    };
    let response = ConsumerGroupHeartbeatResponse::default()
        .with_heartbeat_interval_ms(interval.as_millis().min(i32::MAX as u128) as i32);
    Ok(match result {
        Ok(reply) => response
            .with_member_id(Some(s(reply.member_id)))
            .with_member_epoch(reply.member_epoch)
            .with_assignment(reply.assignment.map(|a| {
                HeartbeatAssignment::default().with_topic_partitions(
                    a.into_iter()
                        .map(|(topic, ps)| {
                            TopicPartitions::default()
                                .with_topic_id(topic)
                                .with_partitions(ps.into_iter().collect())
                        })
                        .collect(),
                )
            })),
        Err(e) => response
            .with_error_code(e.code.code())
            .with_error_message(Some(s(e.message))),
    })
}

pub async fn consumer_group_describe(
    state: &State,
    ctx: &Context,
    request: ConsumerGroupDescribeRequest,
) -> anyhow::Result<ConsumerGroupDescribeResponse> {
    let names = topic_names(state);
    let described = |a: &Assignment| {
        DescribedAssignment::default().with_topic_partitions(
            a.iter()
                .map(|(id, ps)| {
                    DescribedTopicPartitions::default()
                        .with_topic_id(*id)
                        .with_topic_name(TopicName(s(names.get(id).cloned().unwrap_or_default())))
                        .with_partitions(ps.iter().copied().collect())
                })
                .collect(),
        )
    };
    let groups = request
        .group_ids
        .into_iter()
        .map(|id| {
            let out = DescribedGroup::default()
                .with_group_id(id.clone())
                .with_authorized_operations(if request.include_authorized_operations {
                    GROUP_OPERATIONS
                } else {
                    i32::MIN
                });
            let consumer = state.groups.consumer_group(id.as_str());
            let Some(g) = consumer else {
                let known = state.groups.summary(&id).is_some();
                let message = if known {
                    format!("Group {} is not a consumer group.", id.as_str())
                } else {
                    format!("Group {} not found.", id.as_str())
                };
                return out
                    .with_group_state(s("Dead"))
                    .with_error_code(ResponseError::GroupIdNotFound.code())
                    .with_error_message(Some(s(message)));
            };
            let members = g
                .members
                .values()
                .map(|m| {
                    let d = DescribedMember::default()
                        .with_member_id(s(m.id.clone()))
                        .with_instance_id(m.instance_id.clone().map(s))
                        .with_rack_id(m.rack_id.clone().map(s))
                        .with_member_epoch(m.epoch)
                        .with_client_id(s(m.client_id.clone()))
                        .with_client_host(s(m.client_host.clone()))
                        .with_subscribed_topic_names(
                            m.subscribed_names
                                .iter()
                                .map(|n| TopicName(s(n.clone())))
                                .collect(),
                        )
                        .with_subscribed_topic_regex(m.subscribed_regex.clone().map(s))
                        .with_assignment(described(&m.assigned))
                        .with_target_assignment(described(
                            &g.target.get(&m.id).cloned().unwrap_or_default(),
                        ));
                    // v1 says which protocol the member speaks: 1 is consumer.
                    if ctx.version() >= 1 {
                        d.with_member_type(1)
                    } else {
                        d
                    }
                })
                .collect();
            out.with_group_state(s(g.state()))
                .with_group_epoch(g.epoch)
                .with_assignment_epoch(g.assignment_epoch)
                .with_assignor_name(s(g.assignor().name()))
                .with_members(members)
        })
        .collect();
    Ok(ConsumerGroupDescribeResponse::default().with_groups(groups))
}
