//! Dead-letter topics for share groups (KIP-1191): a record rejected, or
//! delivered as often as the group allows, is copied to the group's
//! dead-letter topic with headers naming where it came from, durably,
//! before it counts as archived.
//!
//! As Kafka's ShareGroupDLQStateManager:
//! - the group names its topic in `errors.deadletterqueue.topic.name`; the
//!   name must not start with `__` and must carry the broker's prefix
//!   (`errors.deadletterqueue.topic.name.prefix`, `dlq.`); the topic must
//!   permit it (`errors.deadletterqueue.group.enable=true`), or, missing, is
//!   created so when the broker allows it
//!   (`errors.deadletterqueue.auto.create.topics.enable`, off by default);
//! - a record that cannot be dead-lettered (no topic configured, a topic
//!   that does not permit it) is archived all the same, with a warning;
//! - each dead letter carries the `__dlq.errors.*` context headers; its key
//!   and value are the source record's when the group sets
//!   `errors.deadletterqueue.copy.record.enable` (off by default: headers
//!   only); the source's own headers are not copied; its timestamp is the
//!   time of the write;
//! - it goes to the dead-letter partition `source partition % partitions`.
//!
//! Beyond Kafka (whose write is not atomic with the archive, so a crash can
//! duplicate a dead letter): before its first write to a dead-letter topic
//! after a start, the broker reads the topic's context headers back, and
//! never writes a second letter for the same group, topic, partition and
//! offset. A crash between the fsynced dead-letter write and the archive
//! record therefore leaves one letter, not two, when the record comes back
//! and is dead-lettered again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use bytes::{Buf, Bytes, BytesMut};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::{
    Compression, Record, RecordBatchDecoder, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
};
use uuid::Uuid;

use super::super::group_configs::GroupConfigs;
use super::super::internal_topic::InternalTopics;
use crate::broker::storage::log::now_ms;
use crate::broker::storage::log_manager::{Topic, TopicError};
use crate::broker::storage::Origin;

pub const HEADER_TOPIC: &str = "__dlq.errors.topic";
pub const HEADER_PARTITION: &str = "__dlq.errors.partition";
pub const HEADER_OFFSET: &str = "__dlq.errors.offset";
pub const HEADER_GROUP: &str = "__dlq.errors.group";
pub const HEADER_DELIVERY_COUNT: &str = "__dlq.errors.delivery.count";
pub const HEADER_MESSAGE: &str = "__dlq.errors.message";

/// The topic config that lets a topic be a dead-letter topic.
pub const TOPIC_ENABLE: &str = "errors.deadletterqueue.group.enable";

/// Why a record was dead-lettered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A member rejected it (AcknowledgeType REJECT).
    Rejected,
    /// It reached the group's delivery-count limit.
    DeliveryLimit,
}

impl Reason {
    /// The `__dlq.errors.message` header, Kafka's words.
    pub fn message(self) -> &'static str {
        match self {
            Reason::Rejected => "Offset rejected by client.",
            Reason::DeliveryLimit => "Offset delivery count exceeded the threshold.",
        }
    }
}

/// One record to copy to a dead-letter topic. The copy's key, value,
/// headers and timestamp are read from the source log.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub delivery_count: i16,
    pub reason: Reason,
}

/// What [`DeadLetters::write`] did; in every case the records may now be
/// archived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The group has no dead-letter topic.
    NoTopic,
    /// The group's topic cannot take them (the reason was logged as a
    /// warning, as Kafka logs it): archived without a dead letter.
    Refused(String),
    /// This many letters are durable on the topic; the others of the call
    /// were already there (written before a crash).
    Written { written: usize, already: usize },
}

/// A dead-letter write that failed in storage: nothing may be archived yet
/// (the caller may retry, or archive anyway as Kafka does after its retries).
#[derive(Debug, thiserror::Error)]
#[error("cannot write dead letters to {topic}: {source}")]
pub struct DeadLetterError {
    pub topic: String,
    #[source]
    pub source: TopicError,
}

/// (group, source topic, source partition, source offset) of a letter.
type LetterKey = (String, String, i32, i64);

/// The dead letters already on each dead-letter topic (by topic id, so a
/// topic deleted and created again is read again).
#[derive(Default)]
pub struct DeadLetters {
    written: tokio::sync::Mutex<HashMap<Uuid, HashSet<LetterKey>>>,
}

impl DeadLetters {
    /// Writes `letters` of share group `group` to its dead-letter topic and
    /// returns once they are on disk; the caller records them as archived
    /// only after this returns Ok (KIP-1191: the write before the archive).
    pub async fn write(
        &self,
        internal: &InternalTopics<'_>,
        configs: &GroupConfigs,
        group: &str,
        letters: &[DeadLetter],
    ) -> Result<Outcome, DeadLetterError> {
        let Some(name) = configs.share(group).dead_letter_topic else {
            return Ok(Outcome::NoTopic);
        };
        if letters.is_empty() {
            return Ok(Outcome::Written {
                written: 0,
                already: 0,
            });
        }
        let topic = match self.topic_for(internal, configs, group, &name) {
            Ok(t) => t,
            Err(why) => {
                tracing::warn!(%group, topic = %name, "records archived without a dead letter: {why}");
                return Ok(Outcome::Refused(why));
            }
        };
        let fail = |source| DeadLetterError {
            topic: name.clone(),
            source,
        };
        // One writer at a time: the check for letters already written and
        // the write are one step.
        let mut written = self.written.lock().await;
        if !written.contains_key(&topic.def.id) {
            let found = scan(&topic).map_err(fail)?;
            tracing::info!(topic = %name, letters = found.len(), "read the dead letters already on the topic");
            written.insert(topic.def.id, found);
        }
        let index = written.get_mut(&topic.def.id).expect("inserted above");
        let key = |l: &DeadLetter| (group.to_string(), l.topic.clone(), l.partition, l.offset);
        let mut seen = HashSet::new();
        let todo: Vec<&DeadLetter> = letters
            .iter()
            .filter(|l| !index.contains(&key(l)) && seen.insert(key(l)))
            .collect();
        let already = letters.len() - todo.len();
        let copy = configs.dead_letter_copy_record(group);
        let partitions = topic.partitions.len() as i32;
        let now = now_ms();
        let mut by_partition: BTreeMap<i32, Vec<Record>> = BTreeMap::new();
        for l in &todo {
            let (key, value) = if copy {
                source_record(internal, l).unwrap_or((None, None))
            } else {
                (None, None)
            };
            let records = by_partition
                .entry(l.partition.rem_euclid(partitions))
                .or_default();
            let i = records.len() as i64;
            records.push(Record {
                transactional: false,
                control: false,
                delete_horizon: false,
                partition_leader_epoch: 0,
                producer_id: -1,
                producer_epoch: -1,
                timestamp_type: TimestampType::Creation,
                offset: i,
                sequence: i as i32,
                timestamp: now,
                key,
                value,
                headers: headers(group, l),
            });
        }
        for (partition, records) in by_partition {
            let mut batch = BytesMut::new();
            RecordBatchEncoder::encode(
                &mut batch,
                &records,
                &RecordEncodeOptions {
                    version: 2,
                    compression: Compression::None,
                },
            )
            .map_err(|e| {
                fail(TopicError::InvalidConfig(format!(
                    "cannot encode dead letters: {e}"
                )))
            })?;
            append(internal, &topic, partition, &batch)
                .await
                .map_err(fail)?;
        }
        for l in &todo {
            index.insert(key(l));
        }
        tracing::debug!(%group, topic = %name, written = todo.len(), already, "dead letters written");
        Ok(Outcome::Written {
            written: todo.len(),
            already,
        })
    }

    /// The group's dead-letter topic if it may take letters, created when
    /// missing and the broker allows it; else why not.
    fn topic_for(
        &self,
        internal: &InternalTopics<'_>,
        configs: &GroupConfigs,
        group: &str,
        name: &str,
    ) -> Result<Arc<Topic>, String> {
        let prefix = &configs.share_defaults().dead_letter_topic_prefix;
        if name.starts_with("__") {
            return Err(format!(
                "the dead-letter topic {name} of share group {group} cannot start with __"
            ));
        }
        if !prefix.is_empty() && !name.starts_with(prefix.as_str()) {
            return Err(format!(
                "the dead-letter topic {name} of share group {group} does not start with the permitted prefix {prefix} (errors.deadletterqueue.topic.name.prefix)"
            ));
        }
        if let Some(t) = internal.logs.topic(name) {
            return if t
                .def
                .configs
                .get(TOPIC_ENABLE)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                Ok(t)
            } else {
                Err(format!(
                    "topic {name} does not permit dead letters: set its {TOPIC_ENABLE}=true"
                ))
            };
        }
        if !configs.share_defaults().dead_letter_auto_create {
            return Err(format!(
                "topic {name} does not exist and dead-letter topics are not created automatically (errors.deadletterqueue.auto.create.topics.enable=false)"
            ));
        }
        let configs = [
            (TOPIC_ENABLE.to_string(), "true".to_string()),
            // The letters carry the write time; a broker-wide LogAppendTime
            // must not replace it.
            (
                "message.timestamp.type".to_string(),
                "CreateTime".to_string(),
            ),
        ]
        .into_iter()
        .collect();
        match internal.logs.create_topic(name, -1, -1, configs, false) {
            Ok(t) => {
                tracing::info!(topic = %name, %group, "created the dead-letter topic");
                Ok(t)
            }
            Err(TopicError::AlreadyExists(_)) => internal
                .logs
                .topic(name)
                .ok_or_else(|| format!("topic {name} vanished")),
            Err(e) => Err(format!("cannot create dead-letter topic {name}: {e}")),
        }
    }
}

fn header(name: &str, value: String) -> (StrBytes, Option<Bytes>) {
    (
        StrBytes::from_string(name.to_string()),
        Some(Bytes::from(value)),
    )
}

/// Kafka's context headers, in its order, values as UTF-8 text.
fn headers(
    group: &str,
    l: &DeadLetter,
) -> kafka_protocol::indexmap::IndexMap<StrBytes, Option<Bytes>> {
    [
        header(HEADER_TOPIC, l.topic.clone()),
        header(HEADER_PARTITION, l.partition.to_string()),
        header(HEADER_OFFSET, l.offset.to_string()),
        header(HEADER_GROUP, group.to_string()),
        header(HEADER_DELIVERY_COUNT, l.delivery_count.to_string()),
        header(HEADER_MESSAGE, l.reason.message().to_string()),
    ]
    .into_iter()
    .collect()
}

/// The key and value of the source record, when it is still in the log.
fn source_record(
    internal: &InternalTopics<'_>,
    l: &DeadLetter,
) -> Option<(Option<Bytes>, Option<Bytes>)> {
    let topic = internal.logs.topic(&l.topic)?;
    let p = topic.partition(l.partition)?;
    let slice = p.log().read(l.offset).ok()??;
    // The batch holding the offset comes first; one batch is enough.
    let mut bytes = slice.read(1 << 20, true).ok()?;
    while bytes.has_remaining() {
        let set = RecordBatchDecoder::decode(&mut bytes).ok()?;
        if let Some(r) = set.records.into_iter().find(|r| r.offset == l.offset) {
            return Some((r.key, r.value));
        }
    }
    None
}

/// Every dead letter already on the topic, by its context headers.
fn scan(topic: &Topic) -> Result<HashSet<LetterKey>, TopicError> {
    let mut found = HashSet::new();
    for p in &topic.partitions {
        let mut offset = p.log().log_start_offset();
        loop {
            let Some(slice) = p.log().read(offset)? else {
                break;
            };
            let mut bytes = slice.read(16 << 20, true)?;
            let mut progressed = false;
            while bytes.has_remaining() {
                let Ok(set) = RecordBatchDecoder::decode(&mut bytes) else {
                    break;
                };
                for r in set.records {
                    offset = offset.max(r.offset + 1);
                    progressed = true;
                    let text = |name: &str| {
                        r.headers
                            .iter()
                            .find(|(k, _)| k.as_str() == name)
                            .and_then(|(_, v)| v.as_ref())
                            .and_then(|v| std::str::from_utf8(v).ok())
                            .map(str::to_string)
                    };
                    let (Some(group), Some(source), Some(partition), Some(at)) = (
                        text(HEADER_GROUP),
                        text(HEADER_TOPIC),
                        text(HEADER_PARTITION).and_then(|v| v.parse().ok()),
                        text(HEADER_OFFSET).and_then(|v| v.parse().ok()),
                    ) else {
                        continue;
                    };
                    found.insert((group, source, partition, at));
                }
            }
            if !progressed {
                break;
            }
        }
    }
    Ok(found)
}

/// Appends one batch to a partition of a dead-letter topic and returns once
/// it is on disk, as [`InternalTopics::append`] does for internal topics.
async fn append(
    internal: &InternalTopics<'_>,
    topic: &Topic,
    partition: i32,
    batch: &[u8],
) -> Result<(), TopicError> {
    let p = topic
        .partition(partition)
        .ok_or_else(|| TopicError::Unknown(format!("{}-{partition}", topic.def.name)))?;
    let (file, end) = {
        let mut log = p.log();
        log.append(batch, Origin::Broker)?;
        (log.active_file(), log.log_end_offset())
    };
    internal.appended.notify_waiters();
    match internal.flusher.sync(file).await {
        Ok(()) => {
            p.log().mark_flushed(end);
            Ok(())
        }
        Err(e) => Err(p.log().sync_failed(&e).into()),
    }
}
