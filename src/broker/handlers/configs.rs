//! Topic configs over the wire: DescribeConfigs (defaults, broker settings
//! and topic overrides, with their sources), AlterConfigs (replace the
//! overrides) and IncrementalAlterConfigs (set, delete, append, subtract).

use std::collections::BTreeMap;

use kafka_protocol::messages::alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::describe_configs_response::{
    DescribeConfigsResourceResult, DescribeConfigsResult, DescribeConfigsSynonym,
};
use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse as IncrementalResult;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::{message, topic_error_code};
use crate::broker::dispatch::Context;
use crate::broker::state::{State, TopicError, NODE_ID};
use crate::broker::storage::config::{self, TOPIC_CONFIGS};

const TOPIC: i8 = 2;
const BROKER: i8 = 4;

/// DescribeConfigs `config_source` values.
const SOURCE_TOPIC: i8 = 1;
const SOURCE_STATIC_BROKER: i8 = 4;
const SOURCE_DEFAULT: i8 = 5;

fn s(v: impl Into<String>) -> StrBytes {
    StrBytes::from_string(v.into())
}

/// Kafka's broker-level name for a topic config, where it has one.
fn broker_name(topic_config: &str) -> String {
    match topic_config {
        "segment.bytes" => "log.segment.bytes".into(),
        "retention.ms" => "log.retention.ms".into(),
        "retention.bytes" => "log.retention.bytes".into(),
        "cleanup.policy" => "log.cleanup.policy".into(),
        "max.message.bytes" => "message.max.bytes".into(),
        other => format!("log.{other}"),
    }
}

pub async fn describe_configs(
    state: &State,
    ctx: &Context,
    request: DescribeConfigsRequest,
) -> anyhow::Result<DescribeConfigsResponse> {
    let version = ctx.version();
    let results = request
        .resources
        .into_iter()
        .map(|r| {
            let wanted = |name: &str| r.configuration_keys.as_ref().is_none_or(|keys| keys.iter().any(|k| k.as_str() == name));
            let mut out = DescribeConfigsResult::default()
                .with_resource_type(r.resource_type)
                .with_resource_name(r.resource_name.clone());
            let entries: Vec<(String, String, i8, bool)> = match r.resource_type {
                TOPIC => match state.topic(&r.resource_name) {
                    None => {
                        out.error_code = ResponseError::UnknownTopicOrPartition.code();
                        out.error_message = message(format!("topic '{}' does not exist", r.resource_name.as_str()));
                        Vec::new()
                    }
                    Some(topic) => TOPIC_CONFIGS
                        .iter()
                        .filter(|d| wanted(d.name))
                        .map(|d| {
                            let (value, source) = match (topic.def.configs.get(d.name), state.config.topic_defaults.get(d.name)) {
                                (Some(v), _) => (v.clone(), SOURCE_TOPIC),
                                (None, Some(v)) => (v.clone(), SOURCE_STATIC_BROKER),
                                (None, None) => (d.default.to_string(), SOURCE_DEFAULT),
                            };
                            (d.name.to_string(), value, source, false)
                        })
                        .collect(),
                },
                BROKER if r.resource_name.is_empty() || r.resource_name.as_str() == NODE_ID.to_string() => {
                    let mut entries: Vec<(String, String, i8, bool)> = vec![
                        ("auto.create.topics.enable".into(), state.config.auto_create_topics.to_string(), SOURCE_STATIC_BROKER, true),
                        ("num.partitions".into(), state.config.default_partitions.to_string(), SOURCE_STATIC_BROKER, true),
                        ("socket.request.max.bytes".into(), state.config.max_request_bytes.to_string(), SOURCE_STATIC_BROKER, true),
                        ("broker.id".into(), NODE_ID.to_string(), SOURCE_STATIC_BROKER, true),
                    ];
                    for d in TOPIC_CONFIGS {
                        let (value, source) = match state.config.topic_defaults.get(d.name) {
                            Some(v) => (v.clone(), SOURCE_STATIC_BROKER),
                            None => (d.default.to_string(), SOURCE_DEFAULT),
                        };
                        entries.push((broker_name(d.name), value, source, true));
                    }
                    entries.retain(|(name, ..)| wanted(name));
                    entries
                }
                _ => {
                    out.error_code = ResponseError::InvalidRequest.code();
                    out.error_message = message(format!(
                        "resource type {} '{}' is not described by this broker (topics and broker {NODE_ID} are)",
                        r.resource_type,
                        r.resource_name.as_str()
                    ));
                    Vec::new()
                }
            };
            out.configs = entries
                .into_iter()
                .map(|(name, value, source, read_only)| {
                    let def = config::lookup(&name);
                    let mut c = DescribeConfigsResourceResult::default()
                        .with_name(s(name.clone()))
                        .with_value(Some(s(value.clone())))
                        .with_read_only(read_only)
                        .with_config_source(source);
                    if request.include_synonyms {
                        c.synonyms = vec![DescribeConfigsSynonym::default()
                            .with_name(s(name))
                            .with_value(Some(s(value)))
                            .with_source(source)];
                    }
                    if version >= 3 {
                        c.config_type = def.map_or(2, |d| d.kind.code());
                        if request.include_documentation {
                            c.documentation = def.map(|d| s(d.doc));
                        }
                    }
                    c
                })
                .collect();
            out
        })
        .collect();
    Ok(DescribeConfigsResponse::default().with_results(results))
}

fn alter_result(
    resource_type: i8,
    name: StrBytes,
    result: Result<(), TopicError>,
) -> AlterConfigsResourceResponse {
    let mut out = AlterConfigsResourceResponse::default()
        .with_resource_type(resource_type)
        .with_resource_name(name);
    if let Err(e) = result {
        out.error_code = topic_error_code(&e);
        out.error_message = message(&e);
    }
    out
}

fn only_topics(resource_type: i8) -> Result<(), TopicError> {
    if resource_type == TOPIC {
        Ok(())
    } else {
        Err(TopicError::InvalidConfig(
            "only topic configs can be changed; broker settings are `dq serve` flags".into(),
        ))
    }
}

pub async fn alter_configs(
    state: &State,
    _ctx: &Context,
    request: AlterConfigsRequest,
) -> anyhow::Result<AlterConfigsResponse> {
    let responses = request
        .resources
        .into_iter()
        .map(|r| {
            let result = only_topics(r.resource_type).and_then(|()| {
                let configs: BTreeMap<String, String> = r
                    .configs
                    .iter()
                    .filter_map(|c| {
                        c.value
                            .as_ref()
                            .map(|v| (c.name.to_string(), v.to_string()))
                    })
                    .collect();
                state.set_topic_configs(&r.resource_name, configs, request.validate_only)
            });
            alter_result(r.resource_type, r.resource_name, result)
        })
        .collect();
    Ok(AlterConfigsResponse::default().with_responses(responses))
}

const SET: i8 = 0;
const DELETE: i8 = 1;
const APPEND: i8 = 2;
const SUBTRACT: i8 = 3;

pub async fn incremental_alter_configs(
    state: &State,
    _ctx: &Context,
    request: IncrementalAlterConfigsRequest,
) -> anyhow::Result<IncrementalAlterConfigsResponse> {
    let responses = request
        .resources
        .into_iter()
        .map(|r| {
            let result = only_topics(r.resource_type).and_then(|()| {
                let topic = state
                    .topic(&r.resource_name)
                    .ok_or_else(|| TopicError::Unknown(r.resource_name.to_string()))?;
                let mut configs = topic.def.configs.clone();
                for c in &r.configs {
                    let name = c.name.to_string();
                    let value = c.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
                    let current = || {
                        config::effective(&name, &configs, &state.config.topic_defaults)
                            .unwrap_or_default()
                            .split(',')
                            .map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(String::from)
                            .collect::<Vec<_>>()
                    };
                    match c.config_operation {
                        SET => {
                            configs.insert(name, value);
                        }
                        DELETE => {
                            configs.remove(&name);
                        }
                        APPEND | SUBTRACT => {
                            if config::lookup(&name).is_none_or(|d| d.kind != config::ConfigType::List) {
                                return Err(TopicError::InvalidConfig(format!("{name} is not a list; it cannot be appended to or subtracted from")));
                            }
                            let mut items = current();
                            for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                                if c.config_operation == APPEND && !items.iter().any(|i| i == v) {
                                    items.push(v.to_string());
                                } else if c.config_operation == SUBTRACT {
                                    items.retain(|i| i != v);
                                }
                            }
                            configs.insert(name, items.join(","));
                        }
                        other => return Err(TopicError::InvalidConfig(format!("unknown config operation {other}"))),
                    }
                }
                state.set_topic_configs(&r.resource_name, configs, request.validate_only)
            });
            let out = alter_result(r.resource_type, r.resource_name, result);
            // Same fields, another generated type.
            IncrementalResult::default()
                .with_resource_type(out.resource_type)
                .with_resource_name(out.resource_name)
                .with_error_code(out.error_code)
                .with_error_message(out.error_message)
        })
        .collect();
    Ok(IncrementalAlterConfigsResponse::default().with_responses(responses))
}
