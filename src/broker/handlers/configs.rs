//! Configs over the wire: DescribeConfigs, AlterConfigs (replace) and
//! IncrementalAlterConfigs (set, delete, append, subtract) on TOPIC resources
//! (a topic's overrides) and BROKER resources (KIP-226 dynamic broker configs:
//! the topic-config defaults and the rebalance delay, for this broker or, with
//! an empty name, the whole cluster) and GROUP resources (a group's
//! overrides of the broker's group settings, `coordinator::group_configs`),
//! each value reported with its source.

use std::collections::BTreeMap;

use kafka_protocol::messages::alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::describe_configs_response::{
    DescribeConfigsResourceResult, DescribeConfigsResult, DescribeConfigsSynonym,
};
use kafka_protocol::messages::incremental_alter_configs_request::AlterConfigsResource as IncrementalResource;
use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse as IncrementalResult;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::{message, topic_error_code};
use crate::broker::coordinator::group_configs::{self, GroupConfigError, GROUP_CONFIGS};
use crate::broker::dispatch::Context;
use crate::broker::state::{State, TopicError, NODE_ID};
use crate::broker::storage::config::{self, BrokerSource, ConfigType, TOPIC_CONFIGS};

/// ConfigResource types (Kafka's ConfigResource.Type ids).
const TOPIC: i8 = 2;
const BROKER: i8 = 4;
const BROKER_LOGGER: i8 = 8;
/// GROUP resources (KIP-848): a group's config overrides.
const GROUP: i8 = 32;

/// DescribeConfigs `config_source` for a group's own value (GROUP_CONFIG).
const SOURCE_GROUP: i8 = 8;

/// DescribeConfigs `config_source` for a topic's own value.
const SOURCE_TOPIC: i8 = 1;

fn s(v: impl Into<String>) -> StrBytes {
    StrBytes::from_string(v.into())
}

/// Why a resource could not be described or changed.
enum ResourceError {
    /// The request itself is wrong for this resource (INVALID_REQUEST):
    /// another broker's id, a read-only config, an unsupported type.
    Request(String),
    Topic(TopicError),
    Group(GroupConfigError),
}

impl From<GroupConfigError> for ResourceError {
    fn from(e: GroupConfigError) -> Self {
        ResourceError::Group(e)
    }
}

impl From<TopicError> for ResourceError {
    fn from(e: TopicError) -> Self {
        ResourceError::Topic(e)
    }
}

impl ResourceError {
    fn code_and_message(&self) -> (i16, String) {
        match self {
            ResourceError::Request(m) => (ResponseError::InvalidRequest.code(), m.clone()),
            ResourceError::Topic(e) => (topic_error_code(e), e.to_string()),
            ResourceError::Group(e) => (
                match e {
                    GroupConfigError::Invalid(_) => ResponseError::InvalidConfig.code(),
                    GroupConfigError::InvalidGroup(_) => ResponseError::InvalidRequest.code(),
                    GroupConfigError::Storage(_) => ResponseError::KafkaStorageError.code(),
                },
                e.to_string(),
            ),
        }
    }
}

/// Which broker configs a BROKER resource names: this broker's own (its id)
/// or the cluster-wide defaults (the empty name), as Kafka resolves it.
fn broker_scope(resource_type: i8, name: &str) -> Result<bool, ResourceError> {
    match resource_type {
        BROKER if name.is_empty() => Ok(false),
        BROKER => match name.parse::<i32>() {
            Ok(NODE_ID) => Ok(true),
            Ok(other) => Err(ResourceError::Request(format!(
                "unexpected broker id {other}: this broker is {NODE_ID} (or use an empty name for the cluster-wide defaults)"
            ))),
            Err(_) => Err(ResourceError::Request(format!(
                "broker id must be an integer, but it is '{name}'"
            ))),
        },
        BROKER_LOGGER => Err(ResourceError::Request(format!(
            "resource type BROKER_LOGGER ({BROKER_LOGGER}) is not supported: dq's log level is set with `dq serve --log-level`"
        ))),
        other => Err(ResourceError::Request(format!(
            "unsupported resource type {other} (TOPIC {TOPIC}, BROKER {BROKER} and GROUP {GROUP} are supported)"
        ))),
    }
}

/// One described config: its name, its value in force, whether it is
/// read-only, its source, and every value it has (synonyms), most specific first.
struct Described {
    name: String,
    read_only: bool,
    kind: Option<ConfigType>,
    doc: Option<&'static str>,
    /// (synonym name, value, source); the first is the one in force.
    layers: Vec<(String, String, i8)>,
}

/// Broker settings that only a `dq serve` flag sets (read-only, as in Kafka).
fn static_broker_settings(state: &State) -> Vec<(&'static str, String, ConfigType)> {
    let c = &state.config;
    let (host, port) = &state.advertised;
    vec![
        (
            "advertised.listeners",
            format!("PLAINTEXT://{host}:{port}"),
            ConfigType::Str,
        ),
        (
            "auto.create.topics.enable",
            c.auto_create_topics.to_string(),
            ConfigType::Boolean,
        ),
        ("broker.id", NODE_ID.to_string(), ConfigType::Int),
        (
            "errors.deadletterqueue.auto.create.topics.enable",
            c.share.dead_letter_auto_create.to_string(),
            ConfigType::Boolean,
        ),
        (
            "errors.deadletterqueue.topic.name.prefix",
            c.share.dead_letter_topic_prefix.clone(),
            ConfigType::Str,
        ),
        (
            "group.share.delivery.count.limit",
            c.share.delivery_count_limit.to_string(),
            ConfigType::Int,
        ),
        (
            "group.share.heartbeat.interval.ms",
            c.share.heartbeat_interval.as_millis().to_string(),
            ConfigType::Int,
        ),
        (
            "group.share.max.size",
            c.share.max_size.to_string(),
            ConfigType::Int,
        ),
        (
            "group.share.partition.max.record.locks",
            c.share.partition_max_record_locks.to_string(),
            ConfigType::Int,
        ),
        (
            "group.share.record.lock.duration.ms",
            c.share.record_lock_duration.as_millis().to_string(),
            ConfigType::Int,
        ),
        (
            "group.share.session.timeout.ms",
            c.share.session_timeout.as_millis().to_string(),
            ConfigType::Int,
        ),
        (
            "listeners",
            format!("PLAINTEXT://{}", c.listen),
            ConfigType::Str,
        ),
        (
            "log.dirs",
            c.data_dir.display().to_string(),
            ConfigType::Str,
        ),
        ("node.id", NODE_ID.to_string(), ConfigType::Int),
        (
            "num.partitions",
            c.default_partitions.to_string(),
            ConfigType::Int,
        ),
        (
            "queued.max.request.bytes",
            c.queued_max_request_bytes.to_string(),
            ConfigType::Long,
        ),
        (
            "socket.request.max.bytes",
            c.max_request_bytes.to_string(),
            ConfigType::Int,
        ),
    ]
}

fn broker_layers(
    dynamic: &config::DynamicBrokerConfigs,
    static_: &BTreeMap<String, String>,
    name: &str,
    default: &str,
    per_broker: bool,
) -> Vec<(String, String, i8)> {
    dynamic
        .layers(name, static_, default)
        .into_iter()
        // The cluster-wide resource does not see one broker's own values.
        .filter(|(source, _)| per_broker || *source != BrokerSource::DynamicBroker)
        .map(|(source, v)| (name.to_string(), v, source as i8))
        .collect()
}

fn describe_topic(state: &State, name: &str) -> Result<Vec<Described>, ResourceError> {
    let topic = state
        .topic(name)
        .ok_or_else(|| TopicError::Unknown(name.to_string()))?;
    let dynamic = state.logs.dynamic_broker_configs();
    let static_ = state.logs.static_broker_configs();
    Ok(TOPIC_CONFIGS
        .iter()
        .map(|d| {
            let mut layers = Vec::new();
            if let Some(v) = topic.def.configs.get(d.name) {
                layers.push((d.name.to_string(), v.clone(), SOURCE_TOPIC));
            }
            match config::broker_synonym(d.name) {
                Some(b) => layers.extend(broker_layers(&dynamic, &static_, b, d.default, true)),
                None => layers.push((
                    d.name.to_string(),
                    d.default.to_string(),
                    BrokerSource::Default as i8,
                )),
            }
            Described {
                name: d.name.to_string(),
                read_only: false,
                kind: Some(d.kind),
                doc: Some(d.doc),
                layers,
            }
        })
        .collect())
}

/// A group's configs: its overrides (GROUP_CONFIG), else the broker's value.
/// Kafka describes any group name, known or not.
fn describe_group(state: &State, name: &str) -> Result<Vec<Described>, ResourceError> {
    if name.is_empty() {
        return Err(
            GroupConfigError::InvalidGroup("the group name must not be empty".into()).into(),
        );
    }
    let overrides = state.group_configs.overrides(name);
    Ok(GROUP_CONFIGS
        .iter()
        .map(|d| {
            let mut layers = Vec::new();
            if let Some(v) = overrides.get(d.name) {
                layers.push((d.name.to_string(), v.clone(), SOURCE_GROUP));
            }
            let default = state
                .group_configs
                .default_value(d.name)
                .unwrap_or_default();
            layers.push((
                d.broker_synonym.unwrap_or(d.name).to_string(),
                default,
                BrokerSource::Default as i8,
            ));
            Described {
                name: d.name.to_string(),
                read_only: false,
                kind: Some(d.kind),
                doc: Some(d.doc),
                layers,
            }
        })
        .collect())
}

fn describe_broker(state: &State, per_broker: bool) -> Vec<Described> {
    let dynamic = state.logs.dynamic_broker_configs();
    let static_ = state.logs.static_broker_configs();
    let mut out: Vec<Described> = config::dynamic_broker_config_names()
        .into_iter()
        .filter_map(|name| {
            let d = config::dynamic_broker_config(name)?;
            let layers = broker_layers(&dynamic, &static_, name, d.def.default, per_broker);
            // Kafka describes only the values set for the cluster-wide resource.
            if !per_broker && layers[0].2 != BrokerSource::DynamicDefault as i8 {
                return None;
            }
            Some(Described {
                name: name.to_string(),
                read_only: false,
                kind: Some(d.def.kind),
                doc: Some(d.def.doc),
                layers,
            })
        })
        .collect();
    if per_broker {
        out.extend(
            static_broker_settings(state)
                .into_iter()
                .map(|(name, value, kind)| Described {
                    name: name.to_string(),
                    read_only: true,
                    kind: Some(kind),
                    doc: Some("Set by a `dq serve` flag; read-only."),
                    layers: vec![(name.to_string(), value, BrokerSource::Static as i8)],
                }),
        );
        out.sort_by(|a, b| a.name.cmp(&b.name));
    }
    out
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
            let mut out = DescribeConfigsResult::default()
                .with_resource_type(r.resource_type)
                .with_resource_name(r.resource_name.clone());
            let described = match r.resource_type {
                TOPIC => describe_topic(state, &r.resource_name),
                GROUP => describe_group(state, &r.resource_name),
                _ => broker_scope(r.resource_type, &r.resource_name)
                    .map(|per_broker| describe_broker(state, per_broker)),
            };
            let described = match described {
                Ok(d) => d,
                Err(e) => {
                    let (code, why) = e.code_and_message();
                    out.error_code = code;
                    out.error_message = message(why);
                    return out;
                }
            };
            let wanted = |name: &str| {
                r.configuration_keys
                    .as_ref()
                    .is_none_or(|keys| keys.iter().any(|k| k.as_str() == name))
            };
            out.configs = described
                .into_iter()
                .filter(|d| wanted(&d.name))
                .map(|d| {
                    let (_, value, source) = d.layers[0].clone();
                    let mut c = DescribeConfigsResourceResult::default()
                        .with_name(s(d.name))
                        .with_value(Some(s(value)))
                        .with_read_only(d.read_only)
                        .with_config_source(source);
                    if request.include_synonyms {
                        c.synonyms = d
                            .layers
                            .into_iter()
                            .map(|(name, value, source)| {
                                DescribeConfigsSynonym::default()
                                    .with_name(s(name))
                                    .with_value(Some(s(value)))
                                    .with_source(source)
                            })
                            .collect();
                    }
                    if version >= 3 {
                        c.config_type = d.kind.map_or(2, ConfigType::code);
                        if request.include_documentation {
                            c.documentation = d.doc.map(s);
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

/// Refuses names that are not dynamic broker configs: read-only ones as
/// Kafka does (INVALID_REQUEST), unknown ones as invalid configs.
fn check_broker_names<'a>(
    state: &State,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), ResourceError> {
    let read_only: Vec<&str> = static_broker_settings(state)
        .into_iter()
        .map(|(n, ..)| n)
        .collect();
    let mut fixed = Vec::new();
    for name in names {
        if read_only.contains(&name) {
            fixed.push(name.to_string());
        } else if config::dynamic_broker_config(name).is_none() {
            return Err(TopicError::InvalidConfig(format!(
                "unknown broker config '{name}' (the dynamic ones are the log.* defaults of topic configs, {} and the others README's `dq serve` section lists)",
                config::GROUP_INITIAL_REBALANCE_DELAY_MS
            ))
            .into());
        }
    }
    if fixed.is_empty() {
        Ok(())
    } else {
        Err(ResourceError::Request(format!(
            "cannot update these configs dynamically: {} (set them with `dq serve` flags and restart)",
            fixed.join(", ")
        )))
    }
}

fn alter_result(
    resource_type: i8,
    name: StrBytes,
    result: Result<(), ResourceError>,
) -> AlterConfigsResourceResponse {
    let mut out = AlterConfigsResourceResponse::default()
        .with_resource_type(resource_type)
        .with_resource_name(name);
    if let Err(e) = result {
        let (code, why) = e.code_and_message();
        out.error_code = code;
        out.error_message = message(why);
    }
    out
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
            let configs: BTreeMap<String, String> = r
                .configs
                .iter()
                .filter_map(|c| {
                    c.value
                        .as_ref()
                        .map(|v| (c.name.to_string(), v.to_string()))
                })
                .collect();
            let result = match r.resource_type {
                TOPIC => state
                    .logs
                    .set_topic_configs(&r.resource_name, configs, request.validate_only)
                    .map_err(ResourceError::from),
                // AlterConfigs replaces the group's whole set of overrides.
                GROUP => state
                    .group_configs
                    .set(&r.resource_name, configs, request.validate_only)
                    .map_err(ResourceError::from),
                _ => broker_scope(r.resource_type, &r.resource_name).and_then(|per_broker| {
                    check_broker_names(state, configs.keys().map(String::as_str))?;
                    // AlterConfigs replaces the resource's whole set.
                    state
                        .logs
                        .alter_broker_configs(per_broker, request.validate_only, |map| {
                            *map = configs;
                            Ok(())
                        })
                        .map_err(ResourceError::from)
                }),
            };
            alter_result(r.resource_type, r.resource_name, result)
        })
        .collect();
    Ok(AlterConfigsResponse::default().with_responses(responses))
}

const SET: i8 = 0;
const DELETE: i8 = 1;
const APPEND: i8 = 2;
const SUBTRACT: i8 = 3;

/// Applies one resource's incremental operations to `configs`; `current`
/// gives the value in force below it, which APPEND and SUBTRACT start from
/// when the resource has none of its own.
fn apply_incremental(
    r: &IncrementalResource,
    configs: &mut BTreeMap<String, String>,
    kind: impl Fn(&str) -> Option<ConfigType>,
    current: impl Fn(&str) -> Option<String>,
) -> Result<(), TopicError> {
    for c in &r.configs {
        let name = c.name.to_string();
        let value = c.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
        match c.config_operation {
            SET => {
                configs.insert(name, value);
            }
            DELETE => {
                configs.remove(&name);
            }
            APPEND | SUBTRACT => {
                if kind(&name) != Some(ConfigType::List) {
                    return Err(TopicError::InvalidConfig(format!(
                        "{name} is not a list; it cannot be appended to or subtracted from"
                    )));
                }
                let base = configs.get(&name).cloned().or_else(|| current(&name));
                let mut items: Vec<String> = base
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
                    .collect();
                for v in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                    if c.config_operation == APPEND && !items.iter().any(|i| i == v) {
                        items.push(v.to_string());
                    } else if c.config_operation == SUBTRACT {
                        items.retain(|i| i != v);
                    }
                }
                configs.insert(name, items.join(","));
            }
            other => {
                return Err(TopicError::InvalidConfig(format!(
                    "unknown config operation {other} for {name} (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT)"
                )))
            }
        }
    }
    Ok(())
}

fn incremental_topic(
    state: &State,
    r: &IncrementalResource,
    validate_only: bool,
) -> Result<(), ResourceError> {
    let topic = state
        .topic(&r.resource_name)
        .ok_or_else(|| TopicError::Unknown(r.resource_name.to_string()))?;
    let mut configs = topic.def.configs.clone();
    let defaults = state.logs.topic_defaults();
    let empty = BTreeMap::new();
    apply_incremental(
        r,
        &mut configs,
        |name| config::lookup(name).map(|d| d.kind),
        |name| config::effective(name, &empty, &defaults).map(String::from),
    )?;
    Ok(state
        .logs
        .set_topic_configs(&r.resource_name, configs, validate_only)?)
}

fn incremental_group(
    state: &State,
    r: &IncrementalResource,
    validate_only: bool,
) -> Result<(), ResourceError> {
    let mut configs = state.group_configs.overrides(&r.resource_name);
    apply_incremental(
        r,
        &mut configs,
        |name| group_configs::lookup(name).map(|d| d.kind),
        |name| state.group_configs.default_value(name),
    )
    .map_err(|e| match e {
        TopicError::InvalidConfig(m) => GroupConfigError::Invalid(m),
        other => GroupConfigError::Invalid(other.to_string()),
    })?;
    Ok(state
        .group_configs
        .set(&r.resource_name, configs, validate_only)?)
}

fn incremental_broker(
    state: &State,
    r: &IncrementalResource,
    validate_only: bool,
) -> Result<(), ResourceError> {
    let per_broker = broker_scope(r.resource_type, &r.resource_name)?;
    check_broker_names(state, r.configs.iter().map(|c| c.name.as_str()))?;
    let dynamic = state.logs.dynamic_broker_configs();
    let static_ = state.logs.static_broker_configs();
    let below = |name: &str| -> Option<String> {
        let d = config::dynamic_broker_config(name)?;
        dynamic
            .layers(name, &static_, d.def.default)
            .into_iter()
            // What the resource's own value would fall back to.
            .find(|(source, _)| {
                if per_broker {
                    *source != BrokerSource::DynamicBroker
                } else {
                    !matches!(
                        source,
                        BrokerSource::DynamicBroker | BrokerSource::DynamicDefault
                    )
                }
            })
            .map(|(_, v)| v)
    };
    Ok(state
        .logs
        .alter_broker_configs(per_broker, validate_only, |map| {
            apply_incremental(
                r,
                map,
                |name| config::dynamic_broker_config(name).map(|d| d.def.kind),
                below,
            )
        })?)
}

pub async fn incremental_alter_configs(
    state: &State,
    _ctx: &Context,
    request: IncrementalAlterConfigsRequest,
) -> anyhow::Result<IncrementalAlterConfigsResponse> {
    let responses = request
        .resources
        .iter()
        .map(|r| {
            let result = match r.resource_type {
                TOPIC => incremental_topic(state, r, request.validate_only),
                GROUP => incremental_group(state, r, request.validate_only),
                _ => incremental_broker(state, r, request.validate_only),
            };
            let out = alter_result(r.resource_type, r.resource_name.clone(), result);
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
