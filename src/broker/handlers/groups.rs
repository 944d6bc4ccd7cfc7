//! The classic consumer-group APIs: FindCoordinator, JoinGroup, SyncGroup,
//! Heartbeat, LeaveGroup, ListGroups, DescribeGroups and DeleteGroups. The
//! state machine is `coordinator::group`; this file translates the wire
//! versions to and from it, setting only fields each version has.

use std::time::{Duration, Instant};

use kafka_protocol::messages::delete_groups_response::DeletableGroupResult;
use kafka_protocol::messages::describe_groups_response::{DescribedGroup, DescribedGroupMember};
use kafka_protocol::messages::find_coordinator_response::Coordinator;
use kafka_protocol::messages::join_group_response::JoinGroupResponseMember;
use kafka_protocol::messages::leave_group_response::MemberResponse;
use kafka_protocol::messages::list_groups_response::ListedGroup;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use crate::broker::coordinator::group::{JoinRequest, JoinResult, Reply, SyncResult};
use crate::broker::coordinator::offsets::OffsetRecord;
use crate::broker::coordinator::GroupSummary;
use crate::broker::dispatch::Context;
use crate::broker::state::{State, NODE_ID};

/// Kafka's group.min.session.timeout.ms and group.max.session.timeout.ms.
const MIN_SESSION: Duration = Duration::from_millis(6_000);
const MAX_SESSION: Duration = Duration::from_millis(1_800_000);

fn s(v: impl Into<String>) -> StrBytes {
    StrBytes::from_string(v.into())
}

pub async fn find_coordinator(
    state: &State,
    ctx: &Context,
    request: FindCoordinatorRequest,
) -> anyhow::Result<FindCoordinatorResponse> {
    let (host, port) = state.advertised.clone();
    // This node coordinates groups (key type 0) and transactions (1); other
    // key types (2, KIP-932 share groups) are refused as Kafka refuses
    // unknown ones.
    let error = (!matches!(request.key_type, 0 | 1)).then_some(ResponseError::InvalidRequest);
    let mut response = FindCoordinatorResponse::default();
    if ctx.version() >= 4 {
        response.coordinators = request
            .coordinator_keys
            .into_iter()
            .map(|key| {
                let c = Coordinator::default().with_key(key);
                match error {
                    Some(e) => c
                        .with_error_code(e.code())
                        .with_node_id(BrokerId(-1))
                        .with_port(-1),
                    None => c
                        .with_node_id(BrokerId(NODE_ID))
                        .with_host(s(host.clone()))
                        .with_port(i32::from(port)),
                }
            })
            .collect();
        return Ok(response);
    }
    match error {
        Some(e) => {
            response.error_code = e.code();
            response.node_id = BrokerId(-1);
            response.port = -1;
        }
        None => {
            response.node_id = BrokerId(NODE_ID);
            response.host = s(host);
            response.port = i32::from(port);
        }
    }
    if ctx.version() >= 1 {
        response.error_message = error.map(|e| s(e.to_string()));
    }
    Ok(response)
}

pub async fn join_group(
    state: &State,
    ctx: &Context,
    request: JoinGroupRequest,
) -> anyhow::Result<JoinGroupResponse> {
    let version = ctx.version();
    let session_timeout = Duration::from_millis(request.session_timeout_ms.max(0) as u64);
    let result = if request.group_id.is_empty() {
        error_join(ResponseError::InvalidGroupId, &request.member_id)
    } else if state.share_groups.exists(&request.group_id) {
        // As Kafka: a classic member cannot join a share group.
        error_join(ResponseError::InconsistentGroupProtocol, &request.member_id)
    } else if !(MIN_SESSION..=MAX_SESSION).contains(&session_timeout) {
        error_join(ResponseError::InvalidSessionTimeout, &request.member_id)
    } else {
        let join = JoinRequest {
            member_id: request.member_id.to_string(),
            instance_id: request.group_instance_id.map(|i| i.to_string()),
            client_id: ctx.client_id(),
            client_host: format!("/{}", ctx.peer.ip()),
            session_timeout,
            rebalance_timeout: if version >= 1 {
                Duration::from_millis(request.rebalance_timeout_ms.max(0) as u64)
            } else {
                session_timeout
            },
            protocol_type: request.protocol_type.to_string(),
            protocols: request
                .protocols
                .into_iter()
                .map(|p| (p.name.to_string(), p.metadata))
                .collect(),
            require_known_member_id: version >= 4,
            initial_rebalance_delay: state.logs.group_initial_rebalance_delay(),
        };
        let reply = state
            .groups
            .join(&request.group_id, join, Instant::now())
            .map_err(|e| error_join(e, &request.member_id));
        match reply {
            Err(r) | Ok(Reply::Now(r)) => r,
            Ok(Reply::Later(rx)) => rx
                .await
                .unwrap_or_else(|_| error_join(ResponseError::UnknownMemberId, &request.member_id)),
        }
    };
    let mut response = JoinGroupResponse::default()
        .with_error_code(result.error)
        .with_generation_id(result.generation)
        .with_leader(s(result.leader))
        .with_member_id(s(result.member_id))
        .with_members(
            result
                .members
                .into_iter()
                .map(|(id, instance, metadata)| {
                    let m = JoinGroupResponseMember::default()
                        .with_member_id(s(id))
                        .with_metadata(metadata);
                    if version >= 5 {
                        m.with_group_instance_id(instance.map(s))
                    } else {
                        m
                    }
                })
                .collect(),
        );
    if version >= 7 {
        response.protocol_type = result.protocol_type.map(s);
        response.protocol_name = result.protocol.map(s);
    } else {
        response.protocol_name = Some(s(result.protocol.unwrap_or_default()));
    }
    Ok(response)
}

fn error_join(e: ResponseError, member_id: &str) -> JoinResult {
    JoinResult {
        error: e.code(),
        generation: -1,
        member_id: member_id.to_string(),
        ..Default::default()
    }
}

pub async fn sync_group(
    state: &State,
    ctx: &Context,
    request: SyncGroupRequest,
) -> anyhow::Result<SyncGroupResponse> {
    let reply = state
        .groups
        .sync(
            &request.group_id,
            &request.member_id,
            request.group_instance_id.as_deref(),
            request.generation_id,
            request
                .assignments
                .into_iter()
                .map(|a| (a.member_id.to_string(), a.assignment))
                .collect(),
            Instant::now(),
        )
        .unwrap_or_else(|| {
            Reply::Now(SyncResult {
                error: ResponseError::UnknownMemberId.code(),
                ..Default::default()
            })
        });
    let result = match reply {
        Reply::Now(r) => r,
        Reply::Later(rx) => rx.await.unwrap_or_else(|_| SyncResult {
            error: ResponseError::RebalanceInProgress.code(),
            ..Default::default()
        }),
    };
    let mut response = SyncGroupResponse::default()
        .with_error_code(result.error)
        .with_assignment(result.assignment);
    if ctx.version() >= 5 {
        response.protocol_type = result.protocol_type.map(s);
        response.protocol_name = result.protocol.map(s);
    }
    Ok(response)
}

pub async fn heartbeat(
    state: &State,
    _ctx: &Context,
    request: HeartbeatRequest,
) -> anyhow::Result<HeartbeatResponse> {
    let result = state.groups.heartbeat(
        &request.group_id,
        &request.member_id,
        request.group_instance_id.as_deref(),
        request.generation_id,
        Instant::now(),
    );
    Ok(HeartbeatResponse::default().with_error_code(result.err().map_or(0, |e| e.code())))
}

pub async fn leave_group(
    state: &State,
    ctx: &Context,
    request: LeaveGroupRequest,
) -> anyhow::Result<LeaveGroupResponse> {
    let leaving: Vec<(String, Option<String>)> = if ctx.version() >= 3 {
        request
            .members
            .iter()
            .map(|m| {
                (
                    m.member_id.to_string(),
                    m.group_instance_id.as_ref().map(|i| i.to_string()),
                )
            })
            .collect()
    } else {
        vec![(request.member_id.to_string(), None)]
    };
    let now = Instant::now();
    let results: Vec<i16> = state
        .groups
        .leave(&request.group_id, &leaving, now)
        .into_iter()
        .map(|r| r.err().map_or(0, |e| e.code()))
        .collect();
    let mut response = LeaveGroupResponse::default();
    if ctx.version() >= 3 {
        response.members = leaving
            .into_iter()
            .zip(&results)
            .map(|((id, instance), code)| {
                MemberResponse::default()
                    .with_member_id(s(id))
                    .with_group_instance_id(instance.map(s))
                    .with_error_code(*code)
            })
            .collect();
    } else {
        response.error_code = results[0];
    }
    Ok(response)
}

pub async fn list_groups(
    state: &State,
    ctx: &Context,
    request: ListGroupsRequest,
) -> anyhow::Result<ListGroupsResponse> {
    let share = state.share_groups.group_ids().into_iter().filter_map(|id| {
        let g = state.share_groups.group(&id)?;
        Some(GroupSummary {
            id,
            group_type: "share",
            state: g.state(),
            protocol_type: "share".to_string(),
            protocol: String::new(),
            members: Vec::new(),
        })
    });
    let groups = state
        .groups
        .group_ids()
        .into_iter()
        .filter_map(|id| state.groups.summary(&id))
        .chain(share)
        .filter(|g| {
            request.types_filter.is_empty()
                || request
                    .types_filter
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(g.group_type))
        })
        .filter(|g| {
            request.states_filter.is_empty()
                || request
                    .states_filter
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(g.state))
        })
        .map(|g| {
            let listed = ListedGroup::default()
                .with_group_id(GroupId(s(g.id)))
                .with_protocol_type(s(g.protocol_type));
            let listed = if ctx.version() >= 4 {
                listed.with_group_state(s(g.state))
            } else {
                listed
            };
            if ctx.version() >= 5 {
                listed.with_group_type(s(g.group_type))
            } else {
                listed
            }
        })
        .collect();
    Ok(ListGroupsResponse::default().with_groups(groups))
}

pub async fn describe_groups(
    state: &State,
    ctx: &Context,
    request: DescribeGroupsRequest,
) -> anyhow::Result<DescribeGroupsResponse> {
    // v3+: what the client may do with each group, when asked.
    let operations = if ctx.version() >= 3 {
        super::cluster::group_operations(request.include_authorized_operations)
    } else {
        super::cluster::OPERATIONS_NOT_REQUESTED
    };
    let groups = request
        .groups
        .into_iter()
        .map(|id| match state.groups.summary(&id) {
            // As a consumer group below: a share group is no classic group
            // and describes as Dead (ShareGroupDescribe answers for it).
            None if state.share_groups.exists(&id) => DescribedGroup::default()
                .with_group_id(id)
                .with_group_state(s("Dead")),
            // Kafka describes an unknown group as Dead, without an error, in these versions.
            None => DescribedGroup::default()
                .with_group_id(id)
                .with_authorized_operations(operations)
                .with_group_state(s("Dead")),
            // As Kafka 4 up to DescribeGroups v5: a consumer (KIP-848) group
            // is no classic group and describes as Dead, without an error
            // (v6 would say GROUP_ID_NOT_FOUND); ConsumerGroupDescribe
            // answers for it.
            Some(g) if g.group_type == "consumer" => DescribedGroup::default()
                .with_group_id(id)
                .with_group_state(s("Dead")),
            Some(g) => DescribedGroup::default()
                .with_group_id(id)
                .with_authorized_operations(operations)
                .with_group_state(s(g.state))
                .with_protocol_type(s(g.protocol_type))
                .with_protocol_data(s(g.protocol))
                .with_members(
                    g.members
                        .into_iter()
                        .map(|m| {
                            let d = DescribedGroupMember::default()
                                .with_member_id(s(m.id))
                                .with_client_id(s(m.client_id))
                                .with_client_host(s(m.client_host))
                                .with_member_metadata(m.metadata)
                                .with_member_assignment(m.assignment);
                            if ctx.version() >= 4 {
                                d.with_group_instance_id(m.instance_id.map(s))
                            } else {
                                d
                            }
                        })
                        .collect(),
                ),
        })
        .collect();
    Ok(DescribeGroupsResponse::default().with_groups(groups))
}

pub async fn delete_groups(
    state: &State,
    _ctx: &Context,
    request: DeleteGroupsRequest,
) -> anyhow::Result<DeleteGroupsResponse> {
    let mut results = Vec::with_capacity(request.groups_names.len());
    for id in request.groups_names {
        if state.share_groups.exists(&id) {
            let code = delete_share_group(state, &id)
                .await
                .err()
                .map_or(0, |e| e.code());
            results.push(
                DeletableGroupResult::default()
                    .with_group_id(id)
                    .with_error_code(code),
            );
            continue;
        }
        let mut code = match state.groups.check_deletable(&id) {
            Ok(()) => 0,
            Err(e) => e.code(),
        };
        if code == 0 {
            let tombstones: Vec<OffsetRecord> = state
                .groups
                .committed(&id)
                .into_keys()
                .map(|(topic, partition)| OffsetRecord {
                    group: id.to_string(),
                    topic,
                    partition,
                    value: None,
                })
                .collect();
            if !tombstones.is_empty() {
                if let Err(e) = state
                    .groups
                    .commit_offsets(&state.internal(), tombstones)
                    .await
                {
                    tracing::error!(group = %id.as_str(), error = %e, "could not delete a group's offsets");
                    code = ResponseError::KafkaStorageError.code();
                }
            }
            if code == 0 {
                state.groups.forget(&id);
            }
        }
        results.push(
            DeletableGroupResult::default()
                .with_group_id(id)
                .with_error_code(code),
        );
    }
    Ok(DeleteGroupsResponse::default().with_results(results))
}

/// Deletes an empty share group: its durable share-partition state first,
/// then its id and configs, then the group itself.
async fn delete_share_group(state: &State, id: &str) -> Result<(), ResponseError> {
    state.share_groups.check_deletable(id)?;
    if let Err(e) = state
        .share_partitions
        .delete_group(&state.internal(), id)
        .await
    {
        tracing::error!(group = %id, error = %e, "could not delete a share group's state");
        return Err(ResponseError::KafkaStorageError);
    }
    if let Err(e) = state.group_configs.forget_group(id) {
        tracing::error!(group = %id, error = %e, "could not forget a share group");
        return Err(ResponseError::KafkaStorageError);
    }
    state.share_groups.forget(id);
    tracing::info!(group = %id, "share group deleted");
    Ok(())
}
