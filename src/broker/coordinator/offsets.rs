//! Committed offsets as records of the internal `__consumer_offsets` topic,
//! in Kafka's own layout: key = (version 1, group, topic, partition), value =
//! (version 3, offset, leader epoch, metadata, commit timestamp); a null value
//! deletes. The topic is the durable copy; the map here is the cache, rebuilt
//! from it at start.

use std::collections::{BTreeMap, HashMap};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::records::RecordBatchDecoder;

use super::internal_topic::{get_string, put_string, TopicSpec};
use crate::broker::storage::batch::{encode_broker_batch, encode_plain};

pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// One partition, compacted, as Kafka keeps `__consumer_offsets` (but with 1
/// partition: one node needs no spreading of the load).
pub const OFFSETS_SPEC: TopicSpec = TopicSpec {
    name: OFFSETS_TOPIC,
    partitions: 1,
    configs: &[("cleanup.policy", "compact")],
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedOffset {
    pub offset: i64,
    pub leader_epoch: i32,
    pub metadata: String,
    pub commit_timestamp: i64,
}

/// `(topic, partition)` → committed offset, per group.
pub type GroupOffsets = BTreeMap<(String, i32), CommittedOffset>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetRecord {
    pub group: String,
    pub topic: String,
    pub partition: i32,
    /// `None` is a tombstone.
    pub value: Option<CommittedOffset>,
}

impl OffsetRecord {
    fn key(&self) -> Bytes {
        let mut buf = BytesMut::new();
        buf.put_i16(1);
        put_string(&mut buf, &self.group);
        put_string(&mut buf, &self.topic);
        buf.put_i32(self.partition);
        buf.freeze()
    }

    fn value_bytes(&self) -> Option<Bytes> {
        let v = self.value.as_ref()?;
        let mut buf = BytesMut::new();
        buf.put_i16(3);
        buf.put_i64(v.offset);
        buf.put_i32(v.leader_epoch);
        put_string(&mut buf, &v.metadata);
        buf.put_i64(v.commit_timestamp);
        Some(buf.freeze())
    }

    /// Reads an offset-commit record; other record kinds (group metadata)
    /// and anything malformed give `None`.
    fn parse(key: Option<Bytes>, value: Option<Bytes>) -> Option<OffsetRecord> {
        let mut key = key?;
        if key.remaining() < 2 || !matches!(key.get_i16(), 0 | 1) {
            return None;
        }
        let group = get_string(&mut key)?;
        let topic = get_string(&mut key)?;
        if key.remaining() < 4 {
            return None;
        }
        let partition = key.get_i32();
        let value = match value {
            None => None,
            Some(mut v) => {
                if v.remaining() < 10 {
                    return None;
                }
                let version = v.get_i16();
                let offset = v.get_i64();
                let leader_epoch = if version >= 3 && v.remaining() >= 4 {
                    v.get_i32()
                } else {
                    -1
                };
                let metadata = get_string(&mut v)?;
                let commit_timestamp = if v.remaining() >= 8 { v.get_i64() } else { -1 };
                Some(CommittedOffset {
                    offset,
                    leader_epoch,
                    metadata,
                    commit_timestamp,
                })
            }
        };
        Some(OffsetRecord {
            group,
            topic,
            partition,
            value,
        })
    }
}

/// One uncompressed batch holding `records`, ready to append.
pub fn encode_batch(records: &[OffsetRecord], timestamp: i64) -> Bytes {
    let records: Vec<_> = records
        .iter()
        .map(|r| (Some(r.key()), r.value_bytes(), timestamp))
        .collect();
    encode_plain(&records)
}

/// One uncompressed transactional batch of `producer`'s offset commits
/// (TxnOffsetCommit): it counts only once the producer's COMMIT marker
/// follows it in the log.
pub fn encode_txn_batch(records: &[OffsetRecord], timestamp: i64, producer: (i64, i16)) -> Bytes {
    let records: Vec<_> = records
        .iter()
        .map(|r| (Some(r.key()), r.value_bytes(), timestamp))
        .collect();
    encode_broker_batch(&records, Some(producer))
}

/// Transactional offset commits not yet committed or aborted, by producer id.
pub type PendingOffsets = HashMap<i64, Vec<OffsetRecord>>;

/// Applies every offset record in `batches` (raw log bytes) to `cache`.
/// Transactional ones wait in `pending` for their producer's marker: COMMIT
/// applies them, ABORT drops them, as Kafka's GroupMetadataManager loads.
pub fn replay(
    mut batches: Bytes,
    cache: &mut HashMap<String, GroupOffsets>,
    pending: &mut PendingOffsets,
) -> usize {
    let mut applied = 0;
    while batches.has_remaining() {
        let Ok(set) = RecordBatchDecoder::decode(&mut batches) else {
            break;
        };
        for r in set.records {
            if r.control {
                // Control record key: version (i16), type (i16: 0 ABORT, 1 COMMIT).
                let commit = r
                    .key
                    .as_ref()
                    .filter(|k| k.len() >= 4)
                    .map(|k| k[2..4] == [0, 1]);
                if let (Some(commit), Some(records)) = (commit, pending.remove(&r.producer_id)) {
                    if commit {
                        for rec in records {
                            apply(cache, rec);
                        }
                    }
                }
                continue;
            }
            if let Some(rec) = OffsetRecord::parse(r.key, r.value) {
                if r.transactional {
                    pending.entry(r.producer_id).or_default().push(rec);
                } else {
                    apply(cache, rec);
                }
                applied += 1;
            }
        }
    }
    applied
}

pub fn apply(cache: &mut HashMap<String, GroupOffsets>, rec: OffsetRecord) {
    let key = (rec.topic, rec.partition);
    match rec.value {
        Some(v) => {
            cache.entry(rec.group).or_default().insert(key, v);
        }
        None => {
            if let Some(g) = cache.get_mut(&rec.group) {
                g.remove(&key);
                if g.is_empty() {
                    cache.remove(&rec.group);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_and_tombstones_replay_into_the_cache() {
        let commit = |p: i32, offset: i64| OffsetRecord {
            group: "g".into(),
            topic: "t".into(),
            partition: p,
            value: Some(CommittedOffset {
                offset,
                leader_epoch: 0,
                metadata: "m".into(),
                commit_timestamp: 5,
            }),
        };
        let mut log = BytesMut::new();
        log.put(encode_batch(&[commit(0, 10), commit(1, 20)], 5));
        log.put(encode_batch(&[commit(0, 11)], 6));
        log.put(encode_batch(
            &[OffsetRecord {
                value: None,
                ..commit(1, 0)
            }],
            7,
        ));
        let mut cache = HashMap::new();
        assert_eq!(replay(log.freeze(), &mut cache, &mut HashMap::new()), 4);
        let g = &cache["g"];
        assert_eq!(g.len(), 1);
        assert_eq!(g[&("t".to_string(), 0)].offset, 11);
        assert_eq!(g[&("t".to_string(), 0)].metadata, "m");
    }

    #[test]
    fn transactional_commits_count_only_after_their_commit_marker() {
        let commit = |offset: i64| OffsetRecord {
            group: "g".into(),
            topic: "t".into(),
            partition: 0,
            value: Some(CommittedOffset {
                offset,
                leader_epoch: -1,
                metadata: String::new(),
                commit_timestamp: 5,
            }),
        };
        let marker = |producer_id: i64, commit: bool| {
            use kafka_protocol::records::*;
            let record = Record {
                transactional: true,
                control: true,
                delete_horizon: false,
                partition_leader_epoch: 0,
                producer_id,
                producer_epoch: 0,
                timestamp_type: TimestampType::Creation,
                offset: 0,
                sequence: -1,
                timestamp: 5,
                key: Some(Bytes::from(vec![0, 0, 0, u8::from(commit)])),
                value: Some(Bytes::from_static(&[0, 0, 0, 0, 0, 0])),
                headers: Default::default(),
            };
            let mut buf = BytesMut::new();
            RecordBatchEncoder::encode(
                &mut buf,
                &[record],
                &RecordEncodeOptions {
                    version: 2,
                    compression: Compression::None,
                },
            )
            .unwrap();
            buf.freeze()
        };
        let mut log = BytesMut::new();
        log.put(encode_batch(&[commit(1)], 5));
        log.put(encode_txn_batch(&[commit(10)], 5, (7, 0)));
        log.put(encode_txn_batch(&[commit(20)], 5, (8, 0)));
        log.put(marker(8, false));
        let (mut cache, mut pending) = (HashMap::new(), HashMap::new());
        replay(log.clone().freeze(), &mut cache, &mut pending);
        assert_eq!(
            cache["g"][&("t".to_string(), 0)].offset,
            1,
            "7 is still open, 8 aborted"
        );
        assert_eq!(pending.keys().collect::<Vec<_>>(), vec![&7]);
        log.put(marker(7, true));
        let (mut cache, mut pending) = (HashMap::new(), HashMap::new());
        replay(log.freeze(), &mut cache, &mut pending);
        assert_eq!(cache["g"][&("t".to_string(), 0)].offset, 10);
        assert!(pending.is_empty());
    }
}
