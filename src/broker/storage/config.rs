//! Topic and broker configs: the names this broker knows, their Kafka
//! defaults, how each value is checked, how a topic's overrides resolve into
//! the [`LogConfig`] its partitions run with, and the dynamic broker configs
//! (KIP-226) that AlterConfigs sets on a BROKER resource, kept in
//! `DATA_DIR/broker-configs.json` so that they survive a restart.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StorageError;

use super::log::LogConfig;

/// How a config's value is checked (and reported by DescribeConfigs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    Boolean,
    Str,
    Int,
    Long,
    Double,
    List,
}

impl ConfigType {
    /// DescribeConfigs v3+ `config_type` codes.
    pub fn code(self) -> i8 {
        match self {
            ConfigType::Boolean => 1,
            ConfigType::Str => 2,
            ConfigType::Int => 3,
            ConfigType::Long => 5,
            ConfigType::Double => 6,
            ConfigType::List => 7,
        }
    }
}

pub struct ConfigDef {
    pub name: &'static str,
    pub default: &'static str,
    pub kind: ConfigType,
    /// Smallest accepted value for numeric configs.
    pub min: Option<i64>,
    /// Accepted values for string and list configs (empty: anything).
    pub one_of: &'static [&'static str],
    pub doc: &'static str,
}

const fn def(
    name: &'static str,
    default: &'static str,
    kind: ConfigType,
    min: Option<i64>,
    one_of: &'static [&'static str],
    doc: &'static str,
) -> ConfigDef {
    ConfigDef {
        name,
        default,
        kind,
        min,
        one_of,
        doc,
    }
}

use ConfigType::*;

/// Every topic config the broker accepts, with Kafka's defaults. Those the
/// broker enforces are marked in their documentation.
pub const TOPIC_CONFIGS: &[ConfigDef] = &[
    def("cleanup.policy", "delete", List, None, &["delete", "compact"], "Enforced: delete old segments by retention, compact to the latest record per key, or both."),
    def("compression.type", "producer", Str, None, &["producer", "uncompressed", "none", "gzip", "snappy", "lz4", "zstd"], "Accepted; batches are stored as the producer compressed them."),
    def("delete.retention.ms", "86400000", Long, Some(0), &[], "Enforced: how long a tombstone survives compaction."),
    def("errors.deadletterqueue.group.enable", "false", Boolean, None, &[], "KIP-1191: whether share groups may use this topic as their dead-letter topic."),
    def("file.delete.delay.ms", "60000", Long, Some(0), &[], "Accepted; segments are deleted at once."),
    def("flush.messages", "9223372036854775807", Long, Some(1), &[], "Accepted; acks=all always syncs."),
    def("flush.ms", "9223372036854775807", Long, Some(0), &[], "Accepted; acks=all always syncs."),
    def("index.interval.bytes", "4096", Int, Some(0), &[], "Enforced: bytes of log between sparse index entries."),
    def("max.compaction.lag.ms", "9223372036854775807", Long, Some(1), &[], "Accepted."),
    def("max.message.bytes", "1048588", Int, Some(0), &[], "Enforced: largest record batch accepted (MESSAGE_TOO_LARGE)."),
    def("message.downconversion.enable", "true", Boolean, None, &[], "Deprecated in Kafka 3.x, gone in 4.0; accepted and reported, with no effect (only v2 batches are served)."),
    def("message.format.version", "3.0-IV1", Str, None, &[], "Deprecated in Kafka 3.x, gone in 4.0; accepted and reported, with no effect (batches are stored as v2)."),
    def("message.timestamp.difference.max.ms", "9223372036854775807", Long, Some(0), &[], "Deprecated in Kafka 3.6, gone in 4.0; accepted and reported, with no effect (message.timestamp.before.max.ms and message.timestamp.after.max.ms are enforced)."),
    def("message.timestamp.after.max.ms", "3600000", Long, Some(0), &[], "Enforced: a CreateTime further ahead of the broker's clock is refused (INVALID_TIMESTAMP)."),
    def("message.timestamp.before.max.ms", "9223372036854775807", Long, Some(0), &[], "Enforced: a CreateTime further behind the broker's clock is refused (INVALID_TIMESTAMP)."),
    def("message.timestamp.type", "CreateTime", Str, None, &["CreateTime", "LogAppendTime"], "Enforced: LogAppendTime stamps batches with the broker's clock."),
    def("min.cleanable.dirty.ratio", "0.5", Double, None, &[], "Accepted."),
    def("min.compaction.lag.ms", "0", Long, Some(0), &[], "Enforced: records younger than this are not compacted away."),
    def("min.insync.replicas", "1", Int, Some(1), &[], "Accepted; a single node is its own ISR."),
    def("preallocate", "false", Boolean, None, &[], "Accepted."),
    def("retention.bytes", "-1", Long, Some(-1), &[], "Enforced: a partition's size above which its oldest segments are deleted (-1: no limit)."),
    def("retention.ms", "604800000", Long, Some(-1), &[], "Enforced: age after which a segment is deleted (-1: forever)."),
    def("segment.bytes", "1073741824", Int, Some(14), &[], "Enforced: size at which a segment rolls."),
    def("segment.index.bytes", "10485760", Int, Some(4), &[], "Accepted; indexes grow as needed."),
    def("segment.jitter.ms", "0", Long, Some(0), &[], "Accepted."),
    def("segment.ms", "604800000", Long, Some(1), &[], "Enforced: age at which a non-empty active segment rolls."),
    def("unclean.leader.election.enable", "false", Boolean, None, &[], "Accepted; a single node has no other leader."),
];

pub fn lookup(name: &str) -> Option<&'static ConfigDef> {
    TOPIC_CONFIGS.iter().find(|d| d.name == name)
}

/// Checks one `name=value` against its definition.
pub fn validate(name: &str, value: &str) -> Result<(), String> {
    let def = lookup(name).ok_or_else(|| format!("unknown topic config '{name}'"))?;
    check(def, name, value)
}

/// Checks `value` against `def`; `name` is the name the client used (a
/// broker-level synonym may share a topic config's definition).
fn check(def: &ConfigDef, name: &str, value: &str) -> Result<(), String> {
    let bad = |why: String| Err(format!("invalid value '{value}' for {name}: {why}"));
    match def.kind {
        Boolean => {
            if !matches!(value, "true" | "false") {
                return bad("expected true or false".into());
            }
        }
        Int | Long => {
            let Ok(n) = value.trim().parse::<i64>() else {
                return bad("expected a whole number".into());
            };
            if def.kind == Int && i32::try_from(n).is_err() {
                return bad("out of range for a 32-bit integer".into());
            }
            if let Some(min) = def.min {
                if n < min {
                    return bad(format!("must be at least {min}"));
                }
            }
        }
        Double => {
            if value.trim().parse::<f64>().is_err() {
                return bad("expected a number".into());
            }
        }
        Str => {
            if !def.one_of.is_empty() && !def.one_of.contains(&value) {
                return bad(format!("expected one of {}", def.one_of.join(", ")));
            }
            if def.name == "message.format.version" && !is_kafka_version(value) {
                return bad("expected a Kafka version such as 0.10.0, 2.8 or 3.0-IV1".into());
            }
        }
        List => {
            for item in value.split(',').map(str::trim) {
                if !def.one_of.is_empty() && !def.one_of.contains(&item) {
                    return bad(format!(
                        "expected a comma-separated list of {}",
                        def.one_of.join(", ")
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The value in force for `name`: the topic's override, else the broker's.
pub fn effective<'a>(
    name: &str,
    overrides: &'a BTreeMap<String, String>,
    broker: &'a BTreeMap<String, String>,
) -> Option<&'a str> {
    overrides
        .get(name)
        .or_else(|| broker.get(name))
        .map(String::as_str)
        .or_else(|| lookup(name).map(|d| d.default))
}

/// Resolves a topic's configs into what its partition logs enforce.
pub fn log_config(
    overrides: &BTreeMap<String, String>,
    broker: &BTreeMap<String, String>,
) -> LogConfig {
    let get = |name: &str| effective(name, overrides, broker).unwrap_or_default();
    let num = |name: &str| get(name).trim().parse::<i64>().ok();
    let policy = get("cleanup.policy");
    let defaults = LogConfig::default();
    LogConfig {
        segment_bytes: num("segment.bytes").map_or(defaults.segment_bytes, |v| v.max(14) as u64),
        index_interval_bytes: num("index.interval.bytes")
            .map_or(defaults.index_interval_bytes, |v| v.max(0) as u64),
        max_message_bytes: num("max.message.bytes")
            .map_or(defaults.max_message_bytes, |v| v.max(0) as usize),
        segment_ms: num("segment.ms").unwrap_or(defaults.segment_ms),
        retention_ms: num("retention.ms").unwrap_or(defaults.retention_ms),
        retention_bytes: num("retention.bytes").unwrap_or(defaults.retention_bytes),
        delete_policy: policy.split(',').any(|p| p.trim() == "delete"),
        compact_policy: policy.split(',').any(|p| p.trim() == "compact"),
        delete_retention_ms: num("delete.retention.ms").unwrap_or(defaults.delete_retention_ms),
        min_compaction_lag_ms: num("min.compaction.lag.ms")
            .unwrap_or(defaults.min_compaction_lag_ms),
        log_append_time: get("message.timestamp.type") == "LogAppendTime",
        timestamp_before_max_ms: num("message.timestamp.before.max.ms")
            .unwrap_or(defaults.timestamp_before_max_ms),
        timestamp_after_max_ms: num("message.timestamp.after.max.ms")
            .unwrap_or(defaults.timestamp_after_max_ms),
        // A broker config, not a topic one: the log manager sets it.
        producer_id_expiration_ms: defaults.producer_id_expiration_ms,
    }
}

/// What Kafka 3.x accepts as `message.format.version`: a release such as
/// `0.10.0`, `2.8` or `3.0-IV1` (its validator takes any known release; the
/// value has had no effect since 3.0).
fn is_kafka_version(value: &str) -> bool {
    let (release, iv) = match value.split_once("-IV") {
        Some((r, iv)) => (r, Some(iv)),
        None => (value, None),
    };
    let parts: Vec<&str> = release.split('.').collect();
    (2..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && iv.is_none_or(|iv| !iv.is_empty() && iv.bytes().all(|b| b.is_ascii_digit()))
}

/// Kafka's broker-level name for each topic config (its
/// ServerTopicConfigSynonyms): the broker's value is the default of every
/// topic that does not set its own.
const BROKER_SYNONYMS: &[(&str, &str)] = &[
    ("cleanup.policy", "log.cleanup.policy"),
    ("compression.type", "compression.type"),
    ("delete.retention.ms", "log.cleaner.delete.retention.ms"),
    ("file.delete.delay.ms", "log.segment.delete.delay.ms"),
    ("flush.messages", "log.flush.interval.messages"),
    ("flush.ms", "log.flush.interval.ms"),
    ("index.interval.bytes", "log.index.interval.bytes"),
    ("max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms"),
    ("max.message.bytes", "message.max.bytes"),
    (
        "message.downconversion.enable",
        "log.message.downconversion.enable",
    ),
    ("message.format.version", "log.message.format.version"),
    (
        "message.timestamp.after.max.ms",
        "log.message.timestamp.after.max.ms",
    ),
    (
        "message.timestamp.before.max.ms",
        "log.message.timestamp.before.max.ms",
    ),
    (
        "message.timestamp.difference.max.ms",
        "log.message.timestamp.difference.max.ms",
    ),
    ("message.timestamp.type", "log.message.timestamp.type"),
    (
        "min.cleanable.dirty.ratio",
        "log.cleaner.min.cleanable.ratio",
    ),
    ("min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms"),
    ("min.insync.replicas", "min.insync.replicas"),
    ("preallocate", "log.preallocate"),
    ("retention.bytes", "log.retention.bytes"),
    ("retention.ms", "log.retention.ms"),
    ("segment.bytes", "log.segment.bytes"),
    ("segment.index.bytes", "log.index.size.max.bytes"),
    ("segment.jitter.ms", "log.roll.jitter.ms"),
    ("segment.ms", "log.roll.ms"),
    (
        "unclean.leader.election.enable",
        "unclean.leader.election.enable",
    ),
];

/// The broker-level name of a topic config.
pub fn broker_synonym(topic_config: &str) -> Option<&'static str> {
    BROKER_SYNONYMS
        .iter()
        .find(|(t, _)| *t == topic_config)
        .map(|(_, b)| *b)
}

/// The topic config a broker-level name is the default of.
pub fn topic_synonym(broker_config: &str) -> Option<&'static str> {
    BROKER_SYNONYMS
        .iter()
        .find(|(_, b)| *b == broker_config)
        .map(|(t, _)| *t)
}

/// The rebalance delay's name, read by the group coordinator.
pub const GROUP_INITIAL_REBALANCE_DELAY_MS: &str = "group.initial.rebalance.delay.ms";

/// Broker configs that AlterConfigs may change at run time besides the
/// topic-config defaults. Those dq has no use for yet are dynamic in Kafka,
/// and are accepted, kept and reported as Kafka does, with no effect.
pub const DYNAMIC_BROKER_CONFIGS: &[ConfigDef] = &[
    def("background.threads", "10", Int, Some(1), &[], "Accepted; dq runs its background work on the async runtime."),
    def(GROUP_INITIAL_REBALANCE_DELAY_MS, "3000", Int, Some(0), &[], "Enforced: how long the first JoinGroup of an empty classic group waits for more members, extended by each new one up to the rebalance timeout."),
    def("num.io.threads", "8", Int, Some(1), &[], "Accepted; requests run on the async runtime."),
    def("num.network.threads", "3", Int, Some(1), &[], "Accepted; connections run on the async runtime."),
    def("num.recovery.threads.per.data.dir", "1", Int, Some(1), &[], "Accepted."),
    def("num.replica.fetchers", "1", Int, Some(1), &[], "Accepted; a single node has no replicas to fetch."),
    def("sasl.kerberos.min.time.before.relogin", "60000", Long, Some(0), &[], "Accepted; dq has no SASL listener yet."),
];

/// A broker config that can change at run time: its definition (a topic
/// config's, for the topic defaults) and the topic config it defaults.
pub struct DynamicDef {
    pub def: &'static ConfigDef,
    pub topic: Option<&'static str>,
}

/// The dynamic broker config called `name`, if there is one.
pub fn dynamic_broker_config(name: &str) -> Option<DynamicDef> {
    if let Some(topic) = topic_synonym(name) {
        return lookup(topic).map(|def| DynamicDef {
            def,
            topic: Some(topic),
        });
    }
    DYNAMIC_BROKER_CONFIGS
        .iter()
        .find(|d| d.name == name)
        .map(|def| DynamicDef { def, topic: None })
}

/// Every dynamic broker config name, sorted.
pub fn dynamic_broker_config_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = TOPIC_CONFIGS
        .iter()
        .filter_map(|d| broker_synonym(d.name))
        .chain(DYNAMIC_BROKER_CONFIGS.iter().map(|d| d.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Checks one dynamic broker `name=value`.
pub fn validate_broker(name: &str, value: &str) -> Result<(), String> {
    let d = dynamic_broker_config(name)
        .ok_or_else(|| format!("'{name}' is not a dynamic broker config"))?;
    check(d.def, name, value)
}

/// Where a broker config's value comes from: DescribeConfigs `config_source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerSource {
    /// Set with AlterConfigs on this broker (resource name = its id).
    DynamicBroker = 2,
    /// Set with AlterConfigs for every broker (resource name "").
    DynamicDefault = 3,
    /// Set by a `dq serve` flag.
    Static = 4,
    Default = 5,
}

/// The dynamic broker configs: what AlterConfigs set for this broker and for
/// the whole cluster, under their broker-level names. Persisted as one JSON
/// file, replaced whole through a temporary file, fsync and rename.
#[derive(Debug, Clone, Default)]
pub struct DynamicBrokerConfigs {
    path: PathBuf,
    /// For the whole cluster (resource name ""): DYNAMIC_DEFAULT_BROKER_CONFIG.
    pub cluster: BTreeMap<String, String>,
    /// For this broker (resource name = its id): DYNAMIC_BROKER_CONFIG.
    pub broker: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Default)]
struct DynamicFile {
    #[serde(default)]
    cluster: BTreeMap<String, String>,
    #[serde(default)]
    broker: BTreeMap<String, String>,
}

impl DynamicBrokerConfigs {
    /// Loads `DATA_DIR/broker-configs.json` (nothing set when it is absent).
    /// An entry this broker no longer accepts is dropped with a warning, as
    /// Kafka skips an invalid dynamic config rather than refusing to start.
    pub fn load(data_dir: &Path) -> Result<DynamicBrokerConfigs, StorageError> {
        let path = data_dir.join("broker-configs.json");
        let file: DynamicFile = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StorageError::Catalog {
                context: format!(
                    "cannot parse {} (the dynamic broker configs; fix or remove it)",
                    path.display()
                ),
                source: std::io::Error::other(e),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => DynamicFile::default(),
            Err(source) => {
                return Err(StorageError::Catalog {
                    context: format!("cannot read {}", path.display()),
                    source,
                })
            }
        };
        let keep = |map: BTreeMap<String, String>| -> BTreeMap<String, String> {
            map.into_iter()
                .filter(|(k, v)| match validate_broker(k, v) {
                    Ok(()) => true,
                    Err(why) => {
                        tracing::warn!(file = %path.display(), "ignoring a dynamic broker config: {why}");
                        false
                    }
                })
                .collect()
        };
        Ok(DynamicBrokerConfigs {
            cluster: keep(file.cluster),
            broker: keep(file.broker),
            path: path.clone(),
        })
    }

    /// Writes the configs durably.
    pub fn save(&self) -> Result<(), StorageError> {
        let file = DynamicFile {
            cluster: self.cluster.clone(),
            broker: self.broker.clone(),
        };
        super::catalog::save_json(&self.path, &file)
    }

    /// Every value `name` has, most specific first (the first is in force),
    /// ending with Kafka's default: DescribeConfigs' synonyms. `static_`
    /// holds the `dq serve` flags under their broker-level names.
    pub fn layers(
        &self,
        name: &str,
        static_: &BTreeMap<String, String>,
        default: &str,
    ) -> Vec<(BrokerSource, String)> {
        let mut out = Vec::new();
        for (source, map) in [
            (BrokerSource::DynamicBroker, &self.broker),
            (BrokerSource::DynamicDefault, &self.cluster),
            (BrokerSource::Static, static_),
        ] {
            if let Some(v) = map.get(name) {
                out.push((source, v.clone()));
            }
        }
        out.push((BrokerSource::Default, default.to_string()));
        out
    }

    /// The broker-level defaults of topic configs, under the topic-config
    /// names: the static ones (`dq serve` flags), overridden by the
    /// cluster-wide dynamic ones, overridden by this broker's.
    pub fn topic_defaults(&self, static_: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = static_.clone();
        for map in [&self.cluster, &self.broker] {
            for (k, v) in map {
                if let Some(topic) = topic_synonym(k) {
                    out.insert(topic.to_string(), v.clone());
                }
            }
        }
        out
    }

    /// The value in force for a dynamic broker config that is not a topic
    /// default (`static_value` from a flag, if given).
    pub fn value(&self, name: &str, static_value: Option<String>) -> Option<String> {
        self.broker
            .get(name)
            .or_else(|| self.cluster.get(name))
            .cloned()
            .or(static_value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_by_type_range_and_choice() {
        assert!(validate("retention.ms", "-1").is_ok());
        assert!(validate("retention.ms", "-2")
            .unwrap_err()
            .contains("at least -1"));
        assert!(validate("segment.bytes", "99999999999")
            .unwrap_err()
            .contains("32-bit"));
        assert!(validate("cleanup.policy", "compact,delete").is_ok());
        assert!(validate("cleanup.policy", "shred").is_err());
        assert!(validate("message.timestamp.type", "LogAppendTime").is_ok());
        assert!(validate("preallocate", "yes").is_err());
        assert!(validate("no.such.thing", "1")
            .unwrap_err()
            .contains("unknown topic config"));
    }

    #[test]
    fn deprecated_topic_configs_are_accepted_and_checked() {
        assert!(validate("message.format.version", "0.10.0.0").is_ok());
        assert!(validate("message.format.version", "3.0-IV1").is_ok());
        assert!(validate("message.format.version", "2.8").is_ok());
        assert!(validate("message.format.version", "latest")
            .unwrap_err()
            .contains("Kafka version"));
        assert!(validate("message.timestamp.difference.max.ms", "1000").is_ok());
        assert!(validate("message.downconversion.enable", "false").is_ok());
    }

    #[test]
    fn broker_configs_resolve_dynamic_over_static_over_default() {
        let dir = tempfile::tempdir().unwrap();
        let mut d = DynamicBrokerConfigs::load(dir.path()).unwrap();
        let static_: BTreeMap<String, String> = [("log.retention.ms".into(), "7".into())].into();
        d.cluster.insert("log.retention.ms".into(), "8".into());
        d.broker.insert("log.retention.ms".into(), "9".into());
        d.cluster
            .insert(GROUP_INITIAL_REBALANCE_DELAY_MS.into(), "0".into());
        d.save().unwrap();
        let d = DynamicBrokerConfigs::load(dir.path()).unwrap();
        let layers = d.layers("log.retention.ms", &static_, "604800000");
        assert_eq!(
            layers
                .iter()
                .map(|(s, v)| (*s, v.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (BrokerSource::DynamicBroker, "9"),
                (BrokerSource::DynamicDefault, "8"),
                (BrokerSource::Static, "7"),
                (BrokerSource::Default, "604800000"),
            ]
        );
        let topic_static: BTreeMap<String, String> =
            [("segment.bytes".into(), "2048".into())].into();
        let defaults = d.topic_defaults(&topic_static);
        assert_eq!(defaults.get("retention.ms").map(String::as_str), Some("9"));
        assert_eq!(
            defaults.get("segment.bytes").map(String::as_str),
            Some("2048")
        );
        assert_eq!(
            d.value(GROUP_INITIAL_REBALANCE_DELAY_MS, Some("5".into()))
                .as_deref(),
            Some("0")
        );
        assert!(validate_broker("log.retention.ms", "soon").is_err());
        assert!(validate_broker("broker.id", "1").is_err());
        assert!(validate_broker("background.threads", "9").is_ok());
    }

    #[test]
    fn overrides_beat_broker_settings_which_beat_defaults() {
        let topic: BTreeMap<String, String> = [("retention.ms".into(), "5".into())].into();
        let broker: BTreeMap<String, String> = [
            ("segment.bytes".into(), "2048".into()),
            ("retention.ms".into(), "9".into()),
        ]
        .into();
        let c = log_config(&topic, &broker);
        assert_eq!(
            (c.retention_ms, c.segment_bytes, c.retention_bytes),
            (5, 2048, -1)
        );
        assert!(c.delete_policy && !c.compact_policy);
    }
}
