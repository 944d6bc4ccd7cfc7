//! CreateTopics, DeleteTopics, CreatePartitions and DeleteRecords.

use std::collections::{BTreeMap, HashSet};

use kafka_protocol::messages::create_partitions_response::CreatePartitionsTopicResult;
use kafka_protocol::messages::create_topics_response::{
    CreatableTopicConfigs, CreatableTopicResult,
};
use kafka_protocol::messages::delete_records_response::{
    DeleteRecordsPartitionResult, DeleteRecordsTopicResult,
};
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::{
    CreatePartitionsRequest, CreatePartitionsResponse, CreateTopicsRequest, CreateTopicsResponse,
    DeleteRecordsRequest, DeleteRecordsResponse, DeleteTopicsRequest, DeleteTopicsResponse,
    TopicName,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::{message, topic_error_code};
use crate::broker::dispatch::Context;
use crate::broker::state::{State, TopicError, NODE_ID};

pub async fn create_topics(
    state: &State,
    ctx: &Context,
    request: CreateTopicsRequest,
) -> anyhow::Result<CreateTopicsResponse> {
    let mut seen = HashSet::new();
    let duplicated: HashSet<String> = request
        .topics
        .iter()
        .filter(|t| !seen.insert(t.name.as_str().to_string()))
        .map(|t| t.name.as_str().to_string())
        .collect();
    let version = ctx.version();
    let mut results = Vec::with_capacity(request.topics.len());
    for t in request.topics {
        let name = t.name.as_str().to_string();
        let mut out = CreatableTopicResult::default()
            .with_name(t.name.clone())
            .with_num_partitions(-1)
            .with_replication_factor(-1);
        if duplicated.contains(&name) {
            out.error_code = ResponseError::InvalidRequest.code();
            out.error_message = message(format!(
                "topic '{name}' appears more than once in the request"
            ));
            results.push(out);
            continue;
        }
        let mut partitions = t.num_partitions;
        let mut replication = t.replication_factor;
        if !t.assignments.is_empty() {
            // Manual assignment: one replica, on this node, per partition.
            let valid = t
                .assignments
                .iter()
                .all(|a| a.broker_ids.len() == 1 && a.broker_ids[0].0 == NODE_ID);
            if !valid || partitions != -1 || replication != -1 {
                out.error_code = ResponseError::InvalidReplicaAssignment.code();
                out.error_message = message(format!(
                    "every partition of '{name}' must be assigned to broker {NODE_ID} alone, without a partition count or replication factor"
                ));
                results.push(out);
                continue;
            }
            partitions = t.assignments.len() as i32;
            replication = 1;
        }
        let configs: BTreeMap<String, String> = t
            .configs
            .iter()
            .filter_map(|c| {
                c.value
                    .as_ref()
                    .map(|v| (c.name.to_string(), v.to_string()))
            })
            .collect();
        match state.logs.create_topic(
            &name,
            partitions,
            replication,
            configs.clone(),
            request.validate_only,
        ) {
            Ok(topic) if version < 5 => {
                let _ = topic;
            }
            Ok(topic) => {
                if version >= 7 {
                    out.topic_id = topic.def.id;
                }
                out.num_partitions = topic.def.partitions;
                out.replication_factor = 1;
                out.configs = Some(
                    configs
                        .into_iter()
                        .map(|(k, v)| {
                            CreatableTopicConfigs::default()
                                .with_name(StrBytes::from_string(k))
                                .with_value(Some(StrBytes::from_string(v)))
                                .with_config_source(1)
                        })
                        .collect(),
                );
            }
            Err(e) => {
                out.error_code = topic_error_code(&e);
                out.error_message = message(&e);
            }
        }
        results.push(out);
    }
    Ok(CreateTopicsResponse::default().with_topics(results))
}

pub async fn delete_topics(
    state: &State,
    ctx: &Context,
    request: DeleteTopicsRequest,
) -> anyhow::Result<DeleteTopicsResponse> {
    // v6 names topics by name or id; older versions by name only.
    let targets: Vec<(Option<TopicName>, uuid::Uuid)> = if ctx.version() >= 6 {
        request
            .topics
            .into_iter()
            .map(|t| (t.name, t.topic_id))
            .collect()
    } else {
        request
            .topic_names
            .into_iter()
            .map(|n| (Some(n), uuid::Uuid::nil()))
            .collect()
    };
    let mut responses = Vec::with_capacity(targets.len());
    for (name, id) in targets {
        let topic = match &name {
            Some(n) => state.topic(n.as_str()),
            None => state.topic_by_id(id),
        };
        let version = ctx.version();
        let mut out = DeletableTopicResult::default().with_name(name.clone());
        match topic {
            None => {
                if version >= 6 {
                    out.topic_id = id;
                }
                out.error_code = if name.is_some() {
                    ResponseError::UnknownTopicOrPartition.code()
                } else {
                    ResponseError::UnknownTopicId.code()
                };
            }
            Some(topic) => {
                out.name = Some(TopicName(StrBytes::from_string(topic.def.name.clone())));
                if version >= 6 {
                    out.topic_id = topic.def.id;
                }
                if let Err(e) = state.logs.delete_topic(&topic.def.name) {
                    out.error_code = topic_error_code(&e);
                    if version >= 5 {
                        out.error_message = message(&e);
                    }
                }
            }
        }
        responses.push(out);
    }
    Ok(DeleteTopicsResponse::default().with_responses(responses))
}

pub async fn delete_records(
    state: &State,
    _ctx: &Context,
    request: DeleteRecordsRequest,
) -> anyhow::Result<DeleteRecordsResponse> {
    let topics = request
        .topics
        .into_iter()
        .map(|t| {
            let topic = state.topic(t.name.as_str());
            let partitions = t
                .partitions
                .into_iter()
                .map(|p| {
                    let out = DeleteRecordsPartitionResult::default()
                        .with_partition_index(p.partition_index)
                        .with_low_watermark(-1);
                    let Some(partition) =
                        topic.as_ref().and_then(|t| t.partition(p.partition_index))
                    else {
                        return out.with_error_code(ResponseError::UnknownTopicOrPartition.code());
                    };
                    let mut log = partition.log();
                    // -1 means "up to the high watermark".
                    let target = if p.offset == -1 {
                        log.log_end_offset()
                    } else {
                        p.offset
                    };
                    match log.delete_records_before(target) {
                        Ok(low) => out.with_low_watermark(low),
                        Err(e) => out.with_error_code(super::storage_error_code(&e)),
                    }
                })
                .collect();
            DeleteRecordsTopicResult::default()
                .with_name(t.name)
                .with_partitions(partitions)
        })
        .collect();
    Ok(DeleteRecordsResponse::default().with_topics(topics))
}

pub async fn create_partitions(
    state: &State,
    _ctx: &Context,
    request: CreatePartitionsRequest,
) -> anyhow::Result<CreatePartitionsResponse> {
    let results = request
        .topics
        .into_iter()
        .map(|t| {
            let mut out = CreatePartitionsTopicResult::default().with_name(t.name.clone());
            let assignments_ok = t.assignments.as_ref().is_none_or(|a| {
                a.iter()
                    .all(|x| x.broker_ids.iter().all(|b| b.0 == NODE_ID))
            });
            let result = if assignments_ok {
                state
                    .logs
                    .add_partitions(t.name.as_str(), t.count, request.validate_only)
            } else {
                Err(TopicError::InvalidPartitionCount(format!(
                    "new partitions of '{}' can only be placed on broker {NODE_ID}",
                    t.name.as_str()
                )))
            };
            if let Err(e) = result {
                out.error_code = topic_error_code(&e);
                out.error_message = message(&e);
            }
            out
        })
        .collect();
    Ok(CreatePartitionsResponse::default().with_results(results))
}
