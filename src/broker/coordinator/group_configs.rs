//! Dynamic group configs (GROUP config resources, as
//! `kafka-configs.sh --entity-type groups` sets them): per-group overrides
//! of the broker's group settings, under Kafka's names and defaults
//! (GroupConfig.java, KIP-848, KIP-932, KIP-1240, KIP-1191).
//!
//! They live in `DATA_DIR/groups.json` with the ids of the share groups (so
//! an empty share group outlives a restart, as Kafka's group metadata
//! does), rewritten whole through a temporary file, fsync and rename on each
//! change, before the change takes effect. Kafka keeps both in its metadata
//! log and `__consumer_offsets`; one small file is enough for one node.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::consumer_group::Timeouts;
use super::share::group::{ShareTimeouts, DEFAULT_MAX_SIZE};
use crate::broker::storage::catalog::save_json;
use crate::broker::storage::config::ConfigType;
use crate::broker::storage::StorageError;

/// Where a share group starts reading a partition it has no state for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoOffsetReset {
    Earliest,
    Latest,
    /// `by_duration:<ISO-8601>`: the first offset at or after now minus this.
    ByDuration(Duration),
}

/// What a share group's members are served with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareSettings {
    /// share.record.lock.duration.ms
    pub record_lock_duration: Duration,
    /// share.delivery.count.limit
    pub delivery_count_limit: i16,
    /// share.auto.offset.reset (latest by default)
    pub auto_offset_reset: AutoOffsetReset,
    /// share.isolation.level: true for read_committed.
    pub read_committed: bool,
    /// The group's dead-letter topic (KIP-1191), if it has one.
    pub dead_letter_topic: Option<String>,
}

/// The broker's share-group settings (Kafka's `group.share.*` broker
/// configs and KIP-1191's permitted dead-letter prefix): the defaults that
/// group configs override, and the bounds they must stay within.
#[derive(Debug, Clone)]
pub struct ShareDefaults {
    /// group.share.session.timeout.ms
    pub session_timeout: Duration,
    /// group.share.heartbeat.interval.ms
    pub heartbeat_interval: Duration,
    /// group.share.record.lock.duration.ms
    pub record_lock_duration: Duration,
    /// group.share.delivery.count.limit
    pub delivery_count_limit: i16,
    /// group.share.partition.max.record.locks: records in flight per
    /// share-partition.
    pub partition_max_record_locks: usize,
    /// group.share.max.size: members of one share group.
    pub max_size: usize,
    /// errors.deadletterqueue.topic.name.prefix
    pub dead_letter_topic_prefix: String,
    /// errors.deadletterqueue.auto.create.topics.enable: a group's missing
    /// dead-letter topic is created on its first write (Kafka: off).
    pub dead_letter_auto_create: bool,
}

impl Default for ShareDefaults {
    fn default() -> Self {
        ShareDefaults {
            session_timeout: Duration::from_secs(45),
            heartbeat_interval: Duration::from_secs(5),
            record_lock_duration: Duration::from_secs(30),
            delivery_count_limit: 5,
            partition_max_record_locks: 2000,
            max_size: DEFAULT_MAX_SIZE,
            dead_letter_topic_prefix: "dlq.".to_string(),
            dead_letter_auto_create: false,
        }
    }
}

pub const CONSUMER_SESSION_TIMEOUT_MS: &str = "consumer.session.timeout.ms";
pub const CONSUMER_HEARTBEAT_INTERVAL_MS: &str = "consumer.heartbeat.interval.ms";
pub const SHARE_SESSION_TIMEOUT_MS: &str = "share.session.timeout.ms";
pub const SHARE_HEARTBEAT_INTERVAL_MS: &str = "share.heartbeat.interval.ms";
pub const SHARE_RECORD_LOCK_DURATION_MS: &str = "share.record.lock.duration.ms";
pub const SHARE_DELIVERY_COUNT_LIMIT: &str = "share.delivery.count.limit";
pub const SHARE_PARTITION_MAX_RECORD_LOCKS: &str = "share.partition.max.record.locks";
pub const SHARE_AUTO_OFFSET_RESET: &str = "share.auto.offset.reset";
pub const SHARE_ISOLATION_LEVEL: &str = "share.isolation.level";
/// KIP-1191: the group's dead-letter topic; blank for none.
pub const DEAD_LETTER_TOPIC_NAME: &str = "errors.deadletterqueue.topic.name";
/// KIP-1191: copy the record's key and value to the dead-letter topic, or
/// write only the context headers (Kafka's default).
pub const DEAD_LETTER_COPY_RECORD: &str = "errors.deadletterqueue.copy.record.enable";

/// One group config as DescribeConfigs reports it.
pub struct GroupConfigDef {
    pub name: &'static str,
    pub kind: ConfigType,
    /// The broker config whose value is the default, when there is one.
    pub broker_synonym: Option<&'static str>,
    pub doc: &'static str,
}

/// Every group config dq knows, in Kafka's order (by name).
pub const GROUP_CONFIGS: &[GroupConfigDef] = &[
    GroupConfigDef {
        name: CONSUMER_HEARTBEAT_INTERVAL_MS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.consumer.heartbeat.interval.ms"),
        doc: "The heartbeat interval given to the members of a consumer group.",
    },
    GroupConfigDef {
        name: CONSUMER_SESSION_TIMEOUT_MS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.consumer.session.timeout.ms"),
        doc: "The timeout to detect client failures when using the consumer group protocol.",
    },
    GroupConfigDef {
        name: DEAD_LETTER_COPY_RECORD,
        kind: ConfigType::Boolean,
        broker_synonym: None,
        doc: "When writing onto the dead-letter queue topic, whether to copy the original record onto the DLQ topic, or just write a record containing the context information headers.",
    },
    GroupConfigDef {
        name: DEAD_LETTER_TOPIC_NAME,
        kind: ConfigType::Str,
        broker_synonym: None,
        doc: "The name of the topic to be used as the dead-letter queue (DLQ) topic for this share group. If blank (the default), the group does not have a DLQ topic.",
    },
    GroupConfigDef {
        name: SHARE_AUTO_OFFSET_RESET,
        kind: ConfigType::Str,
        broker_synonym: None,
        doc: "The strategy to initialize the share-partition start offset: latest, earliest, or by_duration:<ISO-8601 duration> (PnDTnHnMn.nS, not negative).",
    },
    GroupConfigDef {
        name: SHARE_DELIVERY_COUNT_LIMIT,
        kind: ConfigType::Int,
        broker_synonym: Some("group.share.delivery.count.limit"),
        doc: "The maximum number of delivery attempts for a record delivered to a share group.",
    },
    GroupConfigDef {
        name: SHARE_HEARTBEAT_INTERVAL_MS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.share.heartbeat.interval.ms"),
        doc: "The heartbeat interval given to the members of a share group.",
    },
    GroupConfigDef {
        name: SHARE_ISOLATION_LEVEL,
        kind: ConfigType::Str,
        broker_synonym: None,
        doc: "Controls how to read records written transactionally: read_committed delivers only committed transactional records, read_uncommitted delivers all of them.",
    },
    GroupConfigDef {
        name: SHARE_PARTITION_MAX_RECORD_LOCKS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.share.partition.max.record.locks"),
        doc: "Share-group record lock limit per share-partition.",
    },
    GroupConfigDef {
        name: SHARE_RECORD_LOCK_DURATION_MS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.share.record.lock.duration.ms"),
        doc: "The record acquisition lock duration in milliseconds for share groups.",
    },
    GroupConfigDef {
        name: SHARE_SESSION_TIMEOUT_MS,
        kind: ConfigType::Int,
        broker_synonym: Some("group.share.session.timeout.ms"),
        doc: "The timeout to detect client failures when using the share group protocol.",
    },
];

pub fn lookup(name: &str) -> Option<&'static GroupConfigDef> {
    GROUP_CONFIGS.iter().find(|d| d.name == name)
}

/// Kafka's bounds on a group's value (its group.*.min/max broker configs'
/// defaults), widened to take in the broker's own default when `dq serve`
/// set one outside them (tests run with short sessions).
fn bounds(name: &str, default: i64) -> Option<(i64, i64)> {
    let (lo, hi) = match name {
        CONSUMER_SESSION_TIMEOUT_MS | SHARE_SESSION_TIMEOUT_MS => (45_000, 60_000),
        CONSUMER_HEARTBEAT_INTERVAL_MS | SHARE_HEARTBEAT_INTERVAL_MS => (5_000, 15_000),
        SHARE_RECORD_LOCK_DURATION_MS => (15_000, 60_000),
        SHARE_DELIVERY_COUNT_LIMIT => (2, 10),
        SHARE_PARTITION_MAX_RECORD_LOCKS => (100, 10_000),
        _ => return None,
    };
    Some((lo.min(default), hi.max(default)))
}

/// Parses an ISO-8601 duration of days, hours, minutes and seconds
/// (`PnDTnHnMn.nS`, as Java's Duration.parse), not negative.
pub fn parse_iso_duration(text: &str) -> Option<Duration> {
    let rest = text.strip_prefix(['P', 'p'])?;
    let (date, time) = match rest.find(['T', 't']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut secs = 0f64;
    let mut any = false;
    let mut take = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let at = units[next_unit..]
                .iter()
                .position(|(u, _)| u.eq_ignore_ascii_case(&c))?;
            let factor = units[next_unit + at].1;
            next_unit += at + 1;
            let n: f64 = number.parse().ok()?;
            if !n.is_finite() || (factor != 1.0 && number.contains('.')) {
                return None;
            }
            secs += n * factor;
            number.clear();
            any = true;
        }
        number.is_empty().then_some(())
    };
    take(date, &[('D', 86_400.0)])?;
    if let Some(time) = time {
        if time.is_empty() {
            return None;
        }
        take(time, &[('H', 3_600.0), ('M', 60.0), ('S', 1.0)])?;
    }
    (any && secs.is_finite() && secs < 1e12).then(|| Duration::from_secs_f64(secs))
}

fn parse_auto_offset_reset(value: &str) -> Option<AutoOffsetReset> {
    match value.to_ascii_lowercase().as_str() {
        "latest" => Some(AutoOffsetReset::Latest),
        "earliest" => Some(AutoOffsetReset::Earliest),
        v => v
            .strip_prefix("by_duration:")
            .and_then(|d| parse_iso_duration(d.trim()))
            .map(AutoOffsetReset::ByDuration),
    }
}

/// What is durable: the share groups and every group's overrides.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct GroupsFile {
    #[serde(default)]
    share_groups: BTreeSet<String>,
    #[serde(default)]
    configs: BTreeMap<String, BTreeMap<String, String>>,
}

/// Every group's config overrides, and the share groups' ids.
pub struct GroupConfigs {
    share_defaults: ShareDefaults,
    consumer_defaults: Timeouts,
    /// `None` for a broker without a data directory (unit tests).
    path: Option<PathBuf>,
    file: Mutex<GroupsFile>,
}

impl Default for GroupConfigs {
    fn default() -> Self {
        GroupConfigs {
            share_defaults: ShareDefaults::default(),
            consumer_defaults: Timeouts::default(),
            path: None,
            file: Mutex::new(GroupsFile::default()),
        }
    }
}

impl GroupConfigs {
    /// Loads `DATA_DIR/groups.json` (none yet: no overrides).
    pub fn open(
        data_dir: &Path,
        share_defaults: ShareDefaults,
        consumer_defaults: Timeouts,
    ) -> Result<GroupConfigs, StorageError> {
        let path = data_dir.join("groups.json");
        let file = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| StorageError::Catalog {
                context: format!("cannot parse {}", path.display()),
                source: std::io::Error::other(e),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => GroupsFile::default(),
            Err(source) => {
                return Err(StorageError::Catalog {
                    context: format!("cannot read {}", path.display()),
                    source,
                })
            }
        };
        Ok(GroupConfigs {
            share_defaults,
            consumer_defaults,
            path: Some(path),
            file: Mutex::new(file),
        })
    }

    fn file(&self) -> MutexGuard<'_, GroupsFile> {
        self.file.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes `next` durably, then makes it the state in force.
    fn commit(&self, file: &mut GroupsFile, next: GroupsFile) -> Result<(), StorageError> {
        if let Some(path) = &self.path {
            save_json(path, &next)?;
        }
        *file = next;
        Ok(())
    }

    pub fn share_defaults(&self) -> &ShareDefaults {
        &self.share_defaults
    }

    /// The share groups known before this start.
    pub fn share_group_ids(&self) -> Vec<String> {
        self.file().share_groups.iter().cloned().collect()
    }

    /// Records that share group `group_id` exists (its first member joined).
    pub fn remember_share_group(&self, group_id: &str) -> Result<(), StorageError> {
        let mut file = self.file();
        if file.share_groups.contains(group_id) {
            return Ok(());
        }
        let mut next = file.clone();
        next.share_groups.insert(group_id.to_string());
        self.commit(&mut file, next)
    }

    /// Forgets a deleted group: its share-group id and its overrides, as
    /// Kafka drops a deleted group's configs.
    pub fn forget_group(&self, group_id: &str) -> Result<(), StorageError> {
        let mut file = self.file();
        if !file.share_groups.contains(group_id) && !file.configs.contains_key(group_id) {
            return Ok(());
        }
        let mut next = file.clone();
        next.share_groups.remove(group_id);
        next.configs.remove(group_id);
        self.commit(&mut file, next)
    }

    /// The overrides set for `group_id`.
    pub fn overrides(&self, group_id: &str) -> BTreeMap<String, String> {
        self.file()
            .configs
            .get(group_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The broker's value of each group config: what a group without an
    /// override runs with.
    pub fn default_value(&self, name: &str) -> Option<String> {
        let s = &self.share_defaults;
        let c = &self.consumer_defaults;
        Some(match name {
            CONSUMER_SESSION_TIMEOUT_MS => c.session.as_millis().to_string(),
            CONSUMER_HEARTBEAT_INTERVAL_MS => c.heartbeat_interval.as_millis().to_string(),
            SHARE_SESSION_TIMEOUT_MS => s.session_timeout.as_millis().to_string(),
            SHARE_HEARTBEAT_INTERVAL_MS => s.heartbeat_interval.as_millis().to_string(),
            SHARE_RECORD_LOCK_DURATION_MS => s.record_lock_duration.as_millis().to_string(),
            SHARE_DELIVERY_COUNT_LIMIT => s.delivery_count_limit.to_string(),
            SHARE_PARTITION_MAX_RECORD_LOCKS => s.partition_max_record_locks.to_string(),
            SHARE_AUTO_OFFSET_RESET => "latest".to_string(),
            SHARE_ISOLATION_LEVEL => "read_uncommitted".to_string(),
            DEAD_LETTER_TOPIC_NAME => String::new(),
            DEAD_LETTER_COPY_RECORD => "false".to_string(),
            _ => return None,
        })
    }

    /// The value in force for `group_id`: its override, else the broker's.
    pub fn value(&self, group_id: &str, name: &str) -> Option<String> {
        self.file()
            .configs
            .get(group_id)
            .and_then(|c| c.get(name).cloned())
            .or_else(|| self.default_value(name))
    }

    fn millis(&self, group_id: &str, name: &str) -> Duration {
        Duration::from_millis(
            self.value(group_id, name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        )
    }

    /// The settings share group `group_id` runs with: its overrides over
    /// the broker's defaults.
    pub fn share(&self, group_id: &str) -> ShareSettings {
        let value = |name: &str| self.value(group_id, name).unwrap_or_default();
        ShareSettings {
            record_lock_duration: self.millis(group_id, SHARE_RECORD_LOCK_DURATION_MS),
            delivery_count_limit: value(SHARE_DELIVERY_COUNT_LIMIT)
                .parse()
                .unwrap_or(self.share_defaults.delivery_count_limit),
            auto_offset_reset: parse_auto_offset_reset(&value(SHARE_AUTO_OFFSET_RESET))
                .unwrap_or(AutoOffsetReset::Latest),
            read_committed: value(SHARE_ISOLATION_LEVEL).eq_ignore_ascii_case("read_committed"),
            dead_letter_topic: Some(value(DEAD_LETTER_TOPIC_NAME)).filter(|t| !t.is_empty()),
        }
    }

    /// share.partition.max.record.locks for `group_id` (KIP-1240).
    pub fn partition_max_record_locks(&self, group_id: &str) -> usize {
        self.value(group_id, SHARE_PARTITION_MAX_RECORD_LOCKS)
            .and_then(|v| v.parse().ok())
            .unwrap_or(self.share_defaults.partition_max_record_locks)
    }

    /// errors.deadletterqueue.copy.record.enable for `group_id`.
    pub fn dead_letter_copy_record(&self, group_id: &str) -> bool {
        self.value(group_id, DEAD_LETTER_COPY_RECORD)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Session timeout and heartbeat interval of share group `group_id`.
    pub fn share_timeouts(&self, group_id: &str) -> ShareTimeouts {
        ShareTimeouts {
            session: self.millis(group_id, SHARE_SESSION_TIMEOUT_MS),
            heartbeat_interval: self.millis(group_id, SHARE_HEARTBEAT_INTERVAL_MS),
        }
    }

    /// Session timeout and heartbeat interval of consumer group `group_id`.
    pub fn consumer_timeouts(&self, group_id: &str) -> Timeouts {
        Timeouts {
            session: self.millis(group_id, CONSUMER_SESSION_TIMEOUT_MS),
            heartbeat_interval: self.millis(group_id, CONSUMER_HEARTBEAT_INTERVAL_MS),
        }
    }

    /// Checks `configs` as group `group_id`'s whole new set of overrides,
    /// as Kafka's GroupConfig.validate: known names, parsable values within
    /// bounds, sessions longer than heartbeats. The message names the config.
    pub fn validate(&self, configs: &BTreeMap<String, String>) -> Result<(), String> {
        for (name, value) in configs {
            let Some(def) = lookup(name) else {
                return Err(format!(
                    "Unknown group config name: {name} (the group configs are {})",
                    GROUP_CONFIGS
                        .iter()
                        .map(|d| d.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            let value = value.trim();
            match def.kind {
                ConfigType::Int => {
                    let n: i64 = value.parse().map_err(|_| {
                        format!("Invalid value {value} for configuration {name}: Not a number of type INT")
                    })?;
                    let default = self
                        .default_value(name)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(n);
                    if let Some((lo, hi)) = bounds(name, default) {
                        if n < lo || n > hi {
                            return Err(format!(
                                "{name} must be in the range {lo} to {hi} inclusive, but it is {n}"
                            ));
                        }
                    }
                }
                ConfigType::Boolean => {
                    if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
                        return Err(format!(
                            "Invalid value {value} for configuration {name}: Expected value to be either true or false"
                        ));
                    }
                }
                _ => match name.as_str() {
                    SHARE_AUTO_OFFSET_RESET if parse_auto_offset_reset(value).is_none() => {
                        return Err(format!(
                            "Invalid value {value} for configuration {name}: it must be latest, earliest or by_duration:<ISO-8601 duration> such as by_duration:PT1H"
                        ))
                    }
                    SHARE_ISOLATION_LEVEL
                        if !value.eq_ignore_ascii_case("read_committed")
                            && !value.eq_ignore_ascii_case("read_uncommitted") =>
                    {
                        return Err(format!(
                            "Invalid value {value} for configuration {name}: String must be one of: read_committed, read_uncommitted"
                        ))
                    }
                    DEAD_LETTER_TOPIC_NAME if value.starts_with("__") => {
                        return Err(format!(
                            "{name}: DLQ topic name must not start with '__', but it is {value}"
                        ))
                    }
                    _ => {}
                },
            }
        }
        let effective = |name: &str| -> i64 {
            configs
                .get(name)
                .cloned()
                .or_else(|| self.default_value(name))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        for (session, heartbeat) in [
            (CONSUMER_SESSION_TIMEOUT_MS, CONSUMER_HEARTBEAT_INTERVAL_MS),
            (SHARE_SESSION_TIMEOUT_MS, SHARE_HEARTBEAT_INTERVAL_MS),
        ] {
            if (configs.contains_key(session) || configs.contains_key(heartbeat))
                && effective(session) <= effective(heartbeat)
            {
                return Err(format!("{session} must be greater than {heartbeat}"));
            }
        }
        Ok(())
    }

    /// Replaces group `group_id`'s overrides with `configs` after checking
    /// them; durable before it returns. `validate_only` checks only.
    pub fn set(
        &self,
        group_id: &str,
        configs: BTreeMap<String, String>,
        validate_only: bool,
    ) -> Result<(), GroupConfigError> {
        if group_id.is_empty() {
            return Err(GroupConfigError::InvalidGroup(
                "the group name must not be empty".into(),
            ));
        }
        let configs: BTreeMap<String, String> = configs
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string()))
            .collect();
        self.validate(&configs).map_err(GroupConfigError::Invalid)?;
        if validate_only {
            return Ok(());
        }
        let mut file = self.file();
        let mut next = file.clone();
        if configs.is_empty() {
            next.configs.remove(group_id);
        } else {
            next.configs.insert(group_id.to_string(), configs);
        }
        self.commit(&mut file, next)
            .map_err(|e| GroupConfigError::Storage(e.to_string()))?;
        tracing::info!(group = %group_id, "group configs changed");
        Ok(())
    }
}

/// Why group configs could not be changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupConfigError {
    /// INVALID_CONFIG: a name or value Kafka would refuse.
    #[error("{0}")]
    Invalid(String),
    /// INVALID_REQUEST: not a group resource dq can change.
    #[error("{0}")]
    InvalidGroup(String),
    /// The new configs could not be made durable.
    #[error("cannot save group configs: {0}")]
    Storage(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn iso_durations_parse_as_java_does() {
        assert_eq!(parse_iso_duration("PT1H"), Some(Duration::from_secs(3600)));
        assert_eq!(
            parse_iso_duration("P1DT2M3.5S"),
            Some(Duration::from_secs_f64(86_400.0 + 120.0 + 3.5))
        );
        assert_eq!(
            parse_iso_duration("P2D"),
            Some(Duration::from_secs(172_800))
        );
        for bad in ["", "P", "PT", "1H", "PT-1H", "PTxS", "PT1S2H", "P1H"] {
            assert_eq!(parse_iso_duration(bad), None, "{bad}");
        }
        assert_eq!(
            parse_auto_offset_reset("by_duration:PT10M"),
            Some(AutoOffsetReset::ByDuration(Duration::from_secs(600)))
        );
    }

    #[test]
    fn overrides_apply_over_the_broker_defaults_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let open = || {
            GroupConfigs::open(dir.path(), ShareDefaults::default(), Timeouts::default()).unwrap()
        };
        let c = open();
        assert_eq!(c.share("g").record_lock_duration, Duration::from_secs(30));
        assert_eq!(c.share("g").dead_letter_topic, None);
        c.set(
            "g",
            map(&[
                (SHARE_RECORD_LOCK_DURATION_MS, "15000"),
                (SHARE_DELIVERY_COUNT_LIMIT, "3"),
                (SHARE_AUTO_OFFSET_RESET, "earliest"),
                (DEAD_LETTER_TOPIC_NAME, "dlq.g"),
                (SHARE_ISOLATION_LEVEL, "read_committed"),
            ]),
            false,
        )
        .unwrap();
        c.remember_share_group("g").unwrap();
        let c = open();
        let s = c.share("g");
        assert_eq!(s.record_lock_duration, Duration::from_secs(15));
        assert_eq!(s.delivery_count_limit, 3);
        assert_eq!(s.auto_offset_reset, AutoOffsetReset::Earliest);
        assert!(s.read_committed);
        assert_eq!(s.dead_letter_topic.as_deref(), Some("dlq.g"));
        assert_eq!(c.share_group_ids(), vec!["g".to_string()]);
        assert_eq!(c.share("other").delivery_count_limit, 5);
        c.forget_group("g").unwrap();
        assert!(open().share_group_ids().is_empty());
        assert_eq!(open().share("g").delivery_count_limit, 5);
    }

    #[test]
    fn bad_names_and_values_are_named_in_the_error() {
        let c = GroupConfigs::default();
        for (pairs, needle) in [
            (vec![("share.nope", "1")], "share.nope"),
            (
                vec![(SHARE_DELIVERY_COUNT_LIMIT, "11")],
                SHARE_DELIVERY_COUNT_LIMIT,
            ),
            (
                vec![(SHARE_DELIVERY_COUNT_LIMIT, "x")],
                SHARE_DELIVERY_COUNT_LIMIT,
            ),
            (
                vec![(SHARE_RECORD_LOCK_DURATION_MS, "999")],
                SHARE_RECORD_LOCK_DURATION_MS,
            ),
            (
                vec![(SHARE_AUTO_OFFSET_RESET, "by_duration:-PT1H")],
                SHARE_AUTO_OFFSET_RESET,
            ),
            (
                vec![(SHARE_ISOLATION_LEVEL, "serializable")],
                SHARE_ISOLATION_LEVEL,
            ),
            (
                vec![(DEAD_LETTER_TOPIC_NAME, "__consumer_offsets")],
                DEAD_LETTER_TOPIC_NAME,
            ),
            (
                vec![(DEAD_LETTER_COPY_RECORD, "yes")],
                DEAD_LETTER_COPY_RECORD,
            ),
        ] {
            let e = c.set("g", map(&pairs), false).unwrap_err();
            match e {
                GroupConfigError::Invalid(m) => assert!(m.contains(needle), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        let e = c
            .set(
                "g",
                map(&[
                    (SHARE_SESSION_TIMEOUT_MS, "45000"),
                    (SHARE_HEARTBEAT_INTERVAL_MS, "45000"),
                ]),
                false,
            )
            .unwrap_err();
        assert!(e.to_string().contains("must be greater than"), "{e}");
        assert!(c
            .set("g", map(&[(SHARE_HEARTBEAT_INTERVAL_MS, "6000")]), false)
            .is_ok());
        assert_eq!(
            c.share_timeouts("g").heartbeat_interval,
            Duration::from_secs(6)
        );
    }
}
