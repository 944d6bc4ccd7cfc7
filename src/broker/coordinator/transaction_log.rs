//! The transaction coordinator's records in the internal `__transaction_state`
//! topic, in Kafka's own layout (TransactionLogKey v0, TransactionLogValue
//! v0): key = (version 0, transactional id); value = (version 0, producer id,
//! epoch, timeout, status, partitions, last update, start); a null value
//! removes an expired transactional id. The topic is compacted: the last
//! record of each id is its state.

use std::collections::BTreeSet;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::records::RecordBatchDecoder;

use super::internal_topic::{get_string, get_uvarint, put_string, skip_tags, TopicSpec};

pub const TRANSACTION_STATE_TOPIC: &str = "__transaction_state";

/// One partition, compacted (Kafka's transaction.state.log.num.partitions is
/// 50; one node needs no spreading of the load).
pub const TRANSACTION_STATE_SPEC: TopicSpec = TopicSpec {
    name: TRANSACTION_STATE_TOPIC,
    partitions: 1,
    configs: &[("cleanup.policy", "compact")],
};

/// Kafka's TransactionState, with the ids its log stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnState {
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
    Dead,
    PrepareEpochFence,
}

impl TxnState {
    pub const ALL: [TxnState; 8] = [
        TxnState::Empty,
        TxnState::Ongoing,
        TxnState::PrepareCommit,
        TxnState::PrepareAbort,
        TxnState::CompleteCommit,
        TxnState::CompleteAbort,
        TxnState::Dead,
        TxnState::PrepareEpochFence,
    ];

    pub fn id(self) -> i8 {
        match self {
            TxnState::Empty => 0,
            TxnState::Ongoing => 1,
            TxnState::PrepareCommit => 2,
            TxnState::PrepareAbort => 3,
            TxnState::CompleteCommit => 4,
            TxnState::CompleteAbort => 5,
            TxnState::Dead => 6,
            TxnState::PrepareEpochFence => 7,
        }
    }

    pub fn from_id(id: i8) -> Option<TxnState> {
        TxnState::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The name DescribeTransactions and ListTransactions use.
    pub fn name(self) -> &'static str {
        match self {
            TxnState::Empty => "Empty",
            TxnState::Ongoing => "Ongoing",
            TxnState::PrepareCommit => "PrepareCommit",
            TxnState::PrepareAbort => "PrepareAbort",
            TxnState::CompleteCommit => "CompleteCommit",
            TxnState::CompleteAbort => "CompleteAbort",
            TxnState::Dead => "Dead",
            TxnState::PrepareEpochFence => "PrepareEpochFence",
        }
    }

    pub fn from_name(name: &str) -> Option<TxnState> {
        TxnState::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One transactional id's durable state: a TransactionLogValue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnRecord {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout_ms: i32,
    pub state: TxnState,
    pub partitions: BTreeSet<(String, i32)>,
    pub last_update_ms: i64,
    /// -1 when no transaction is open.
    pub start_ms: i64,
}

pub fn encode_key(transactional_id: &str) -> Bytes {
    let mut buf = BytesMut::with_capacity(4 + transactional_id.len());
    buf.put_i16(0);
    put_string(&mut buf, transactional_id);
    buf.freeze()
}

pub fn encode_value(r: &TxnRecord) -> Bytes {
    let mut buf = BytesMut::new();
    buf.put_i16(0);
    buf.put_i64(r.producer_id);
    buf.put_i16(r.producer_epoch);
    buf.put_i32(r.timeout_ms);
    buf.put_i8(r.state.id());
    // Grouped by topic, as Kafka's PartitionsSchema.
    let mut topics: Vec<(&str, Vec<i32>)> = Vec::new();
    for (t, p) in &r.partitions {
        match topics.last_mut() {
            Some((last, ps)) if *last == t.as_str() => ps.push(*p),
            _ => topics.push((t, vec![*p])),
        }
    }
    buf.put_i32(topics.len() as i32);
    for (t, ps) in topics {
        put_string(&mut buf, t);
        buf.put_i32(ps.len() as i32);
        for p in ps {
            buf.put_i32(p);
        }
    }
    buf.put_i64(r.last_update_ms);
    buf.put_i64(r.start_ms);
    buf.freeze()
}

fn decode_key(mut key: Bytes) -> Option<String> {
    if key.remaining() < 2 || key.get_i16() != 0 {
        return None;
    }
    get_string(&mut key)
}

/// Reads a TransactionLogValue v0, or v1 (flexible: compact strings and
/// arrays, tagged fields ignored) as newer Kafka writes it.
fn decode_value(mut v: Bytes) -> Option<TxnRecord> {
    if v.remaining() < 2 {
        return None;
    }
    let version = v.get_i16();
    if version > 1 {
        return None;
    }
    let flexible = version == 1;
    if v.remaining() < 8 + 2 + 4 + 1 {
        return None;
    }
    let producer_id = v.get_i64();
    let producer_epoch = v.get_i16();
    let timeout_ms = v.get_i32();
    let state = TxnState::from_id(v.get_i8())?;
    let mut partitions = BTreeSet::new();
    let topics = array_len(&mut v, flexible)?;
    for _ in 0..topics {
        let topic = if flexible {
            let len = get_uvarint(&mut v)?.checked_sub(1)? as usize;
            if v.remaining() < len {
                return None;
            }
            String::from_utf8(v.split_to(len).to_vec()).ok()?
        } else {
            get_string(&mut v)?
        };
        let n = array_len(&mut v, flexible)?;
        for _ in 0..n {
            if v.remaining() < 4 {
                return None;
            }
            partitions.insert((topic.clone(), v.get_i32()));
        }
        if flexible {
            skip_tags(&mut v)?;
        }
    }
    if v.remaining() < 16 {
        return None;
    }
    Some(TxnRecord {
        producer_id,
        producer_epoch,
        timeout_ms,
        state,
        partitions,
        last_update_ms: v.get_i64(),
        start_ms: v.get_i64(),
    })
}

/// An array length; null arrays read as empty. Never trusted for allocation.
fn array_len(v: &mut Bytes, flexible: bool) -> Option<usize> {
    if flexible {
        Some(get_uvarint(v)?.saturating_sub(1) as usize)
    } else {
        if v.remaining() < 4 {
            return None;
        }
        Some(v.get_i32().max(0) as usize)
    }
}

/// Applies every record of `batches` (raw log bytes) through `apply`:
/// `(transactional id, Some(state))`, or `None` for a tombstone. Records that
/// are not transaction records are skipped.
pub fn replay(mut batches: Bytes, mut apply: impl FnMut(String, Option<TxnRecord>)) -> usize {
    let mut applied = 0;
    while batches.has_remaining() {
        let Ok(set) = RecordBatchDecoder::decode(&mut batches) else {
            break;
        };
        for r in set.records {
            if r.control {
                continue;
            }
            let Some(id) = r.key.and_then(decode_key) else {
                continue;
            };
            match r.value {
                None => apply(id, None),
                Some(v) => match decode_value(v) {
                    Some(rec) => apply(id, Some(rec)),
                    None => continue,
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
    use crate::broker::storage::batch::encode_plain;

    fn record(state: TxnState) -> TxnRecord {
        TxnRecord {
            producer_id: 7,
            producer_epoch: 3,
            timeout_ms: 60_000,
            state,
            partitions: [
                ("a".to_string(), 0),
                ("a".to_string(), 2),
                ("b".to_string(), 1),
            ]
            .into_iter()
            .collect(),
            last_update_ms: 100,
            start_ms: 90,
        }
    }

    #[test]
    fn values_round_trip_and_the_last_record_of_an_id_wins() {
        let mut log = BytesMut::new();
        log.put(encode_plain(&[
            (
                Some(encode_key("t1")),
                Some(encode_value(&record(TxnState::Ongoing))),
                1,
            ),
            (
                Some(encode_key("t2")),
                Some(encode_value(&record(TxnState::Empty))),
                1,
            ),
        ]));
        log.put(encode_plain(&[
            (
                Some(encode_key("t1")),
                Some(encode_value(&record(TxnState::PrepareCommit))),
                2,
            ),
            (Some(encode_key("t2")), None, 2),
        ]));
        let mut seen = std::collections::HashMap::new();
        let n = replay(log.freeze(), |id, rec| match rec {
            Some(r) => {
                seen.insert(id, r);
            }
            None => {
                seen.remove(&id);
            }
        });
        assert_eq!(n, 4);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen["t1"], record(TxnState::PrepareCommit));
    }

    #[test]
    fn the_layout_is_kafkas_v0() {
        let v = encode_value(&record(TxnState::Ongoing));
        // version, producer id, epoch, timeout, status
        assert_eq!(&v[..2], &[0, 0]);
        assert_eq!(&v[2..10], &7i64.to_be_bytes());
        assert_eq!(&v[10..12], &3i16.to_be_bytes());
        assert_eq!(&v[12..16], &60_000i32.to_be_bytes());
        assert_eq!(v[16], 1);
        // two topics: "a" [0, 2], "b" [1]
        assert_eq!(&v[17..21], &2i32.to_be_bytes());
        assert_eq!(&v[21..24], &[0, 1, b'a']);
        assert_eq!(&v[24..28], &2i32.to_be_bytes());
        assert_eq!(&encode_key("x")[..], &[0, 0, 0, 1, b'x']);
    }

    #[test]
    fn garbage_values_are_skipped_not_trusted() {
        let mut v = BytesMut::from(&encode_value(&record(TxnState::Ongoing))[..]);
        v[17..21].copy_from_slice(&i32::MAX.to_be_bytes());
        assert_eq!(decode_value(v.freeze()), None);
        assert_eq!(decode_value(Bytes::from_static(&[0, 9])), None);
    }
}
