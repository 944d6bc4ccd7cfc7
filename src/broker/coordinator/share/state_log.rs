//! `__share_group_state`: the share-partitions' durable state, in Kafka's
//! ShareSnapshot and ShareUpdate record layouts.
//!
//! - key: the record type as Kafka's coordinator keys carry it (0 for
//!   ShareSnapshotKey, 1 for ShareUpdateKey), then group id (string), topic
//!   id (uuid), partition (int32);
//! - value (version 0, flexible): snapshot epoch (uint16), state epoch
//!   (int32, ShareSnapshotValue only), leader epoch (int32), start offset
//!   (int64), then the state batches (first offset, last offset, delivery
//!   state 0 available / 2 acknowledged / 4 archived, delivery count).
//!
//! A snapshot holds a share-partition's whole state. An update, as Kafka's,
//! is laid over the snapshot before it; dq writes every update with every
//! state batch of the window since the start offset, so the last snapshot
//! and the last update of each share-partition are all a replay needs, and
//! the topic is compacted. A null value (tombstone) under both keys
//! deletes a share-partition's state.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::records::RecordBatchDecoder;
use uuid::Uuid;

use super::super::internal_topic::{
    get_string, get_uvarint, put_string, put_uvarint, skip_tags, TopicSpec,
};

pub const SHARE_STATE_TOPIC: &str = "__share_group_state";

/// One partition, compacted, with small segments so that compaction (which
/// leaves the active segment alone) keeps the topic small.
pub const SHARE_STATE_SPEC: TopicSpec = TopicSpec {
    name: SHARE_STATE_TOPIC,
    partitions: 1,
    configs: &[("cleanup.policy", "compact"), ("segment.bytes", "16777216")],
};

/// Kafka's share.coordinator.snapshot.update.records.per.snapshot: after
/// this many updates of a share-partition the next write is a snapshot.
pub const UPDATES_PER_SNAPSHOT: u32 = 500;

/// Record type ids in the key, as Kafka's share coordinator writes them.
const SNAPSHOT_KEY: i16 = 0;
const UPDATE_KEY: i16 = 1;

/// Delivery states as the state batches store them.
pub const AVAILABLE: i8 = 0;
pub const ACKNOWLEDGED: i8 = 2;
pub const ARCHIVED: i8 = 4;

/// Which share-partition a record is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateKey {
    pub group: String,
    pub topic_id: Uuid,
    pub partition: i32,
}

/// One state batch: offsets `first..=last` in one delivery state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateBatch {
    pub first: i64,
    pub last: i64,
    pub state: i8,
    pub count: i16,
}

/// A ShareSnapshotValue or ShareUpdateValue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateValue {
    pub snapshot: bool,
    pub snapshot_epoch: u16,
    /// Only snapshots carry it; updates read as -1.
    pub state_epoch: i32,
    pub start_offset: i64,
    pub batches: Vec<StateBatch>,
}

pub fn encode_key(snapshot: bool, key: &StateKey) -> Bytes {
    let mut buf = BytesMut::with_capacity(2 + 2 + key.group.len() + 16 + 4);
    buf.put_i16(if snapshot { SNAPSHOT_KEY } else { UPDATE_KEY });
    put_string(&mut buf, &key.group);
    buf.put_slice(key.topic_id.as_bytes());
    buf.put_i32(key.partition);
    buf.freeze()
}

pub fn encode_value(v: &StateValue) -> Bytes {
    let mut buf = BytesMut::with_capacity(32 + v.batches.len() * 20);
    buf.put_i16(0);
    buf.put_u16(v.snapshot_epoch);
    if v.snapshot {
        buf.put_i32(v.state_epoch);
    }
    buf.put_i32(0); // leader epoch: one node, never changes
    buf.put_i64(v.start_offset);
    put_uvarint(&mut buf, v.batches.len() as u64 + 1);
    for b in &v.batches {
        buf.put_i64(b.first);
        buf.put_i64(b.last);
        buf.put_i8(b.state);
        buf.put_i16(b.count);
        put_uvarint(&mut buf, 0);
    }
    put_uvarint(&mut buf, 0);
    buf.freeze()
}

/// The batch of one record: the state, or a tombstone (`None`).
pub fn record(snapshot: bool, key: &StateKey, value: Option<&StateValue>) -> Bytes {
    crate::broker::storage::batch::encode_plain(&[(
        Some(encode_key(snapshot, key)),
        value.map(encode_value),
        crate::broker::storage::log::now_ms(),
    )])
}

/// Both tombstones of a share-partition, in one batch.
pub fn tombstones(key: &StateKey) -> Bytes {
    let now = crate::broker::storage::log::now_ms();
    crate::broker::storage::batch::encode_plain(&[
        (Some(encode_key(true, key)), None, now),
        (Some(encode_key(false, key)), None, now),
    ])
}

fn decode_key(mut k: Bytes) -> Option<(bool, StateKey)> {
    if k.remaining() < 2 {
        return None;
    }
    let snapshot = match k.get_i16() {
        SNAPSHOT_KEY => true,
        UPDATE_KEY => false,
        _ => return None,
    };
    let group = get_string(&mut k)?;
    if k.remaining() < 20 {
        return None;
    }
    let mut id = [0u8; 16];
    k.copy_to_slice(&mut id);
    Some((
        snapshot,
        StateKey {
            group,
            topic_id: Uuid::from_bytes(id),
            partition: k.get_i32(),
        },
    ))
}

fn decode_value(snapshot: bool, mut v: Bytes) -> Option<StateValue> {
    if v.remaining() < 4 || v.get_i16() != 0 {
        return None;
    }
    let snapshot_epoch = v.get_u16();
    let need = if snapshot { 16 } else { 12 };
    if v.remaining() < need {
        return None;
    }
    let state_epoch = if snapshot { v.get_i32() } else { -1 };
    let _leader_epoch = v.get_i32();
    let start_offset = v.get_i64();
    let n = get_uvarint(&mut v)?.checked_sub(1)? as usize;
    // Each batch takes at least 20 bytes: never allocate for more.
    let mut batches = Vec::with_capacity(n.min(v.remaining() / 20));
    for _ in 0..n {
        if v.remaining() < 19 {
            return None;
        }
        let b = StateBatch {
            first: v.get_i64(),
            last: v.get_i64(),
            state: v.get_i8(),
            count: v.get_i16(),
        };
        skip_tags(&mut v)?;
        if b.last < b.first || !matches!(b.state, AVAILABLE | ACKNOWLEDGED | ARCHIVED) {
            return None;
        }
        batches.push(b);
    }
    skip_tags(&mut v)?;
    Some(StateValue {
        snapshot,
        snapshot_epoch,
        state_epoch,
        start_offset,
        batches,
    })
}

/// Applies every record of `batches` (raw log bytes) through `apply`, in
/// log order: `(key, Some(value))`, or `(key, None)` for a tombstone.
/// Records that are not share-state records are skipped.
pub fn replay(mut batches: Bytes, mut apply: impl FnMut(StateKey, Option<StateValue>)) -> usize {
    let mut applied = 0;
    while batches.has_remaining() {
        let Ok(set) = RecordBatchDecoder::decode(&mut batches) else {
            break;
        };
        for r in set.records {
            if r.control {
                continue;
            }
            let Some((snapshot, key)) = r.key.and_then(decode_key) else {
                continue;
            };
            match r.value {
                None => apply(key, None),
                Some(v) => match decode_value(snapshot, v) {
                    Some(value) => apply(key, Some(value)),
                    None => {
                        tracing::warn!(
                            group = %key.group,
                            partition = key.partition,
                            "unreadable share-state record skipped"
                        );
                        continue;
                    }
                },
            }
            applied += 1;
        }
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> StateKey {
        StateKey {
            group: "g".into(),
            topic_id: Uuid::from_u128(7),
            partition: 3,
        }
    }

    #[test]
    fn snapshot_and_update_round_trip() {
        for snapshot in [true, false] {
            let v = StateValue {
                snapshot,
                snapshot_epoch: 2,
                state_epoch: if snapshot { 1 } else { -1 },
                start_offset: 10,
                batches: vec![
                    StateBatch {
                        first: 10,
                        last: 19,
                        state: ARCHIVED,
                        count: 5,
                    },
                    StateBatch {
                        first: 25,
                        last: 25,
                        state: AVAILABLE,
                        count: 2,
                    },
                ],
            };
            let mut seen = Vec::new();
            let n = replay(record(snapshot, &key(), Some(&v)), |k, v| seen.push((k, v)));
            assert_eq!(n, 1);
            assert_eq!(seen, vec![(key(), Some(v))]);
        }
        let mut seen = Vec::new();
        replay(tombstones(&key()), |k, v| seen.push((k, v)));
        assert_eq!(seen, vec![(key(), None), (key(), None)]);
    }

    #[test]
    fn damaged_values_are_skipped() {
        let good = encode_value(&StateValue {
            snapshot: true,
            snapshot_epoch: 0,
            state_epoch: 0,
            start_offset: 0,
            batches: vec![],
        });
        for cut in 0..good.len() {
            assert!(decode_value(true, good.slice(..cut)).is_none(), "cut {cut}");
        }
        // A claimed count far beyond the bytes allocates nothing big.
        let mut huge = BytesMut::new();
        huge.put_i16(0);
        huge.put_u16(0);
        huge.put_i32(0);
        huge.put_i32(0);
        huge.put_i64(0);
        put_uvarint(&mut huge, u64::from(u32::MAX));
        assert!(decode_value(true, huge.freeze()).is_none());
    }
}
