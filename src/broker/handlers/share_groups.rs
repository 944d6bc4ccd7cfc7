//! The share-group membership APIs (KIP-932): ShareGroupHeartbeat and
//! ShareGroupDescribe. The state machine is `coordinator::share::group`;
//! this file translates the wire messages to and from it, keeps the one
//! group-id namespace shared with classic and consumer groups, and releases
//! the records of members that leave.

use std::time::Instant;

use kafka_protocol::messages::share_group_describe_response::{
    Assignment as DescribedAssignment, DescribedGroup, Member as DescribedMember,
    TopicPartitions as DescribedTopicPartitions,
};
use kafka_protocol::messages::share_group_heartbeat_response::{
    Assignment as HeartbeatAssignment, TopicPartitions,
};
use kafka_protocol::messages::*;
use kafka_protocol::ResponseError;

use crate::broker::coordinator::assignor::Assignment;
use crate::broker::coordinator::consumer_group::GroupError;
use crate::broker::coordinator::share::group::{self, ShareHeartbeat, ASSIGNOR_NAME};
use crate::broker::dispatch::Context;
use crate::broker::handlers::consumer_groups::{s, topic_names, topics_by_name, GROUP_OPERATIONS};
use crate::broker::state::State;

fn check_not_other_kind(state: &State, group_id: &str) -> Result<(), GroupError> {
    match state.groups.summary(group_id) {
        Some(g) => Err(GroupError {
            code: ResponseError::GroupIdNotFound,
            message: format!(
                "Group {group_id} is not a share group: it is a {} group.",
                g.group_type
            ),
        }),
        None => Ok(()),
    }
}

pub async fn share_group_heartbeat(
    state: &State,
    ctx: &Context,
    request: ShareGroupHeartbeatRequest,
) -> anyhow::Result<ShareGroupHeartbeatResponse> {
    let group_id = request.group_id.to_string();
    let timeouts = state.group_configs.share_timeouts(&group_id);
    let hb = ShareHeartbeat {
        member_id: request.member_id.to_string(),
        member_epoch: request.member_epoch,
        rack_id: request.rack_id.map(|r| r.to_string()),
        subscribed_names: request
            .subscribed_topic_names
            .map(|names| names.into_iter().map(|n| n.to_string()).collect()),
        client_id: ctx.client_id(),
        client_host: format!("/{}", ctx.peer.ip()),
    };
    let member_id = hb.member_id.clone();
    let result = group::validate(&group_id, &hb)
        .and_then(|()| check_not_other_kind(state, &group_id))
        .and_then(|()| {
            let topics = topics_by_name(state);
            state.share_groups.heartbeat(
                &group_id,
                hb,
                &topics,
                Instant::now(),
                timeouts,
                state.config.share.max_size,
            )
        });
    let response = ShareGroupHeartbeatResponse::default().with_heartbeat_interval_ms(
        timeouts
            .heartbeat_interval
            .as_millis()
            .min(i32::MAX as u128) as i32,
    );
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            tracing::debug!(group = %group_id, member = %member_id, error = ?e.code, "share group heartbeat refused: {}", e.message);
            return Ok(response
                .with_error_code(e.code.code())
                .with_error_message(Some(s(e.message))));
        }
    };
    if outcome.left {
        state
            .share_partitions
            .release_member(&group_id, &outcome.reply.member_id);
    }
    if outcome.created {
        // The group's id is durable, so an empty group outlives a restart.
        if let Err(e) = state.group_configs.remember_share_group(&group_id) {
            tracing::error!(group = %group_id, error = %e, "could not record a new share group");
        }
    }
    let reply = outcome.reply;
    Ok(response
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
        })))
}

pub async fn share_group_describe(
    state: &State,
    _ctx: &Context,
    request: ShareGroupDescribeRequest,
) -> anyhow::Result<ShareGroupDescribeResponse> {
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
            let Some(g) = state.share_groups.group(&id) else {
                let message = match state.groups.summary(&id) {
                    Some(g) => format!(
                        "Group {} is not a share group: it is a {} group.",
                        id.as_str(),
                        g.group_type
                    ),
                    None => format!("Group {} not found.", id.as_str()),
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
                    DescribedMember::default()
                        .with_member_id(s(m.id.clone()))
                        .with_rack_id(m.rack_id.clone().map(s))
                        .with_member_epoch(m.epoch)
                        .with_client_id(s(m.client_id.clone()))
                        .with_client_host(s(m.client_host.clone()))
                        .with_subscribed_topic_names(
                            m.subscribed
                                .iter()
                                .map(|n| TopicName(s(n.clone())))
                                .collect(),
                        )
                        .with_assignment(described(&m.assigned))
                })
                .collect();
            out.with_group_state(s(g.state()))
                .with_group_epoch(g.epoch)
                .with_assignment_epoch(g.assignment_epoch)
                .with_assignor_name(s(ASSIGNOR_NAME))
                .with_members(members)
        })
        .collect();
    Ok(ShareGroupDescribeResponse::default().with_groups(groups))
}
