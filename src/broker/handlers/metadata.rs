//! Metadata: the one broker, and the topics asked for (or all of them), with
//! the authorized operations when the request asks (v8+). Auto-creates a
//! topic when the client allows it and the broker does.

use kafka_protocol::messages::metadata_response::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use kafka_protocol::messages::{BrokerId, MetadataRequest, MetadataResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use uuid::Uuid;

use super::cluster::{cluster_operations, topic_operations, OPERATIONS_NOT_REQUESTED};
use crate::broker::dispatch::Context;
use crate::broker::state::{is_internal, State, Topic, TopicError, NODE_ID};

pub async fn metadata(
    state: &State,
    ctx: &Context,
    request: MetadataRequest,
) -> anyhow::Result<MetadataResponse> {
    let version = ctx.version();
    // v0 has no null topic list: an empty one means all topics.
    let wanted = match request.topics {
        Some(t) if version == 0 && t.is_empty() => None,
        other => other,
    };
    let allow_create =
        state.config.auto_create_topics && (version < 4 || request.allow_auto_topic_creation);
    let mut topics: Vec<MetadataResponseTopic> = match wanted {
        None => state.topics().iter().map(|t| describe(t)).collect(),
        Some(requested) => requested
            .into_iter()
            .map(|r| match r.name {
                Some(name) => by_name(state, name, allow_create),
                None => by_id(state, r.topic_id),
            })
            .collect(),
    };
    // Fields newer than the request's version must stay at their defaults.
    for t in &mut topics {
        if version < 10 {
            t.topic_id = Uuid::nil();
        }
        // Only a topic that exists has operations to report.
        t.topic_authorized_operations = if version >= 8 && t.error_code == 0 {
            topic_operations(request.include_topic_authorized_operations)
        } else {
            OPERATIONS_NOT_REQUESTED
        };
        if version < 7 {
            for p in &mut t.partitions {
                p.leader_epoch = -1;
            }
        }
    }
    let (host, port) = &state.advertised;
    let cluster_id = (version >= 2).then(|| StrBytes::from_string(state.cluster_id.clone()));
    Ok(MetadataResponse::default()
        .with_brokers(vec![MetadataResponseBroker::default()
            .with_node_id(BrokerId(NODE_ID))
            .with_host(StrBytes::from_string(host.clone()))
            .with_port(i32::from(*port))])
        .with_cluster_id(cluster_id)
        .with_controller_id(BrokerId(if version >= 1 { NODE_ID } else { -1 }))
        // The cluster's operations left the response in v11 (DescribeCluster has them).
        .with_cluster_authorized_operations(cluster_operations(
            (8..=10).contains(&version) && request.include_cluster_authorized_operations,
        ))
        .with_topics(topics))
}

fn by_name(state: &State, name: TopicName, allow_create: bool) -> MetadataResponseTopic {
    if let Some(topic) = state.topic(name.as_str()) {
        return describe(&topic);
    }
    let error = if !allow_create {
        ResponseError::UnknownTopicOrPartition
    } else {
        match state
            .logs
            .create_topic(name.as_str(), -1, -1, Default::default(), false)
        {
            Ok(topic) => return describe(&topic),
            // Lost a race with another creator: describe what now exists.
            Err(TopicError::AlreadyExists(_)) => match state.topic(name.as_str()) {
                Some(topic) => return describe(&topic),
                None => ResponseError::UnknownTopicOrPartition,
            },
            Err(TopicError::InvalidName(why)) => {
                tracing::debug!("metadata did not auto-create: {why}");
                ResponseError::InvalidTopicException
            }
            Err(e) => {
                tracing::warn!(topic = name.as_str(), error = %e, "auto-create failed");
                ResponseError::KafkaStorageError
            }
        }
    };
    MetadataResponseTopic::default()
        .with_name(Some(name))
        .with_error_code(error.code())
        .with_topic_authorized_operations(OPERATIONS_NOT_REQUESTED)
}

fn by_id(state: &State, id: Uuid) -> MetadataResponseTopic {
    match state.topic_by_id(id) {
        Some(topic) => describe(&topic),
        None => MetadataResponseTopic::default()
            .with_topic_id(id)
            .with_error_code(ResponseError::UnknownTopicId.code())
            .with_topic_authorized_operations(OPERATIONS_NOT_REQUESTED),
    }
}

fn describe(topic: &Topic) -> MetadataResponseTopic {
    let partitions = (0..topic.def.partitions)
        .map(|index| {
            let partition = MetadataResponsePartition::default()
                .with_partition_index(index)
                .with_leader_id(BrokerId(NODE_ID))
                .with_leader_epoch(0)
                .with_replica_nodes(vec![BrokerId(NODE_ID)])
                .with_isr_nodes(vec![BrokerId(NODE_ID)]);
            // As Kafka reports a replica whose log dir went offline.
            let offline = topic.partition(index).is_some_and(|p| p.log().is_offline());
            if offline {
                partition
                    .with_error_code(ResponseError::KafkaStorageError.code())
                    .with_offline_replicas(vec![BrokerId(NODE_ID)])
            } else {
                partition
            }
        })
        .collect();
    MetadataResponseTopic::default()
        .with_name(Some(TopicName(StrBytes::from_string(
            topic.def.name.clone(),
        ))))
        .with_topic_id(topic.def.id)
        // Clients (kafka-topics.sh, librdkafka) hide internal topics by this flag.
        .with_is_internal(is_internal(&topic.def.name))
        .with_partitions(partitions)
        .with_topic_authorized_operations(OPERATIONS_NOT_REQUESTED)
}
