//! Topic configs: the names this broker knows, their Kafka defaults, how each
//! value is checked, and how a topic's overrides resolve into the
//! [`LogConfig`] its partitions run with.

use std::collections::BTreeMap;

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
    def("file.delete.delay.ms", "60000", Long, Some(0), &[], "Accepted; segments are deleted at once."),
    def("flush.messages", "9223372036854775807", Long, Some(1), &[], "Accepted; acks=all always syncs."),
    def("flush.ms", "9223372036854775807", Long, Some(0), &[], "Accepted; acks=all always syncs."),
    def("index.interval.bytes", "4096", Int, Some(0), &[], "Enforced: bytes of log between sparse index entries."),
    def("max.compaction.lag.ms", "9223372036854775807", Long, Some(1), &[], "Accepted."),
    def("max.message.bytes", "1048588", Int, Some(0), &[], "Enforced: largest record batch accepted (MESSAGE_TOO_LARGE)."),
    def("message.downconversion.enable", "true", Boolean, None, &[], "Accepted; only v2 batches are served."),
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
