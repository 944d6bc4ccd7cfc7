//! Producer state for one partition, as Kafka's `ProducerStateManager`: for
//! each producer id its epoch, its last few batches (sequences and offsets),
//! the coordinator epoch of its last transaction marker and the first offset
//! of its open transaction. It decides what an idempotent or transactional
//! batch may do (store, answer as a duplicate, refuse), gives the last
//! stable offset, and is kept across restarts in `.snapshot` files in
//! Kafka's `ProducerSnapshot` format plus a scan of the batch headers
//! written after the newest one.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::batch::BatchHeader;
use super::StorageError;

/// Batches remembered per producer; Kafka allows five in flight.
const REMEMBERED: usize = 5;

/// One stored batch of a producer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    first_seq: i32,
    last_seq: i32,
    base_offset: i64,
    last_offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Producer {
    epoch: i16,
    recent: VecDeque<Written>,
    /// Max timestamp of its last batch (or marker): what expiry measures.
    last_timestamp: i64,
    /// Of the last marker written for it; an older one is a zombie coordinator.
    coordinator_epoch: i32,
    /// First offset of its open transaction on this partition.
    txn_first_offset: Option<i64>,
}

impl Producer {
    fn new(epoch: i16) -> Producer {
        Producer {
            epoch,
            recent: VecDeque::new(),
            last_timestamp: -1,
            coordinator_epoch: -1,
            txn_first_offset: None,
        }
    }

    /// A new epoch forgets the old epoch's batches (Kafka's
    /// `maybeUpdateProducerEpoch`).
    fn set_epoch(&mut self, epoch: i16) {
        if epoch != self.epoch {
            self.epoch = epoch;
            self.recent.clear();
        }
    }
}

/// What to do with one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Not from an idempotent producer, or next in sequence: store it.
    Append,
    /// Already stored at these offsets: answer with them, store nothing.
    Duplicate { base_offset: i64, last_offset: i64 },
}

/// One producer as DescribeProducers shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerView {
    pub producer_id: i64,
    pub epoch: i16,
    /// -1 when no batch of this epoch is remembered.
    pub last_sequence: i32,
    pub last_timestamp: i64,
    pub coordinator_epoch: i32,
    /// -1 when no transaction is open.
    pub txn_start_offset: i64,
}

/// A transaction ended by a marker on this partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedTxn {
    pub producer_id: i64,
    pub first_offset: i64,
    /// The marker's offset.
    pub last_offset: i64,
}

#[derive(Debug, Default)]
pub struct ProducerStates {
    producers: HashMap<i64, Producer>,
    /// Open transactions as (first offset, producer id): the first one
    /// bounds the last stable offset.
    ongoing: BTreeSet<(i64, i64)>,
    /// Changed since the last snapshot.
    dirty: bool,
}

fn last_seq(h: &BatchHeader) -> i32 {
    h.base_sequence.wrapping_add(h.last_offset_delta)
}

/// Kafka's `inSequence`: the next sequence, wrapping at i32::MAX.
fn in_sequence(last: i32, next: i32) -> bool {
    i64::from(next) == i64::from(last) + 1 || (next == 0 && last == i32::MAX)
}

impl ProducerStates {
    /// Checks a data batch a client produced: the epoch must not be older
    /// than the producer's, a new epoch starts at sequence 0, a batch of the
    /// current epoch continues the sequence or repeats one of the last five
    /// (a retry, answered with its original offsets), and a producer with
    /// an open transaction may only write transactional batches.
    pub fn check(&self, h: &BatchHeader) -> Result<Check, StorageError> {
        if h.producer_id < 0 {
            return Ok(Check::Append);
        }
        let Some(p) = self.producers.get(&h.producer_id) else {
            // Unknown here: a new producer, or one whose state expired or
            // whose batches retention removed; Kafka accepts any sequence.
            return Ok(Check::Append);
        };
        check_epoch(h.producer_id, h.producer_epoch, p)?;
        if h.producer_epoch == p.epoch {
            if let Some(w) = p
                .recent
                .iter()
                .find(|w| w.first_seq == h.base_sequence && w.last_seq == last_seq(h))
            {
                return Ok(Check::Duplicate {
                    base_offset: w.base_offset,
                    last_offset: w.last_offset,
                });
            }
        }
        if h.producer_epoch != p.epoch {
            if h.base_sequence != 0 {
                return Err(StorageError::OutOfOrderSequence {
                    producer_id: h.producer_id,
                    expected: 0,
                    got: h.base_sequence,
                });
            }
        } else {
            let last = p.recent.back().map_or(-1, |w| w.last_seq);
            if !in_sequence(last, h.base_sequence) {
                return Err(StorageError::OutOfOrderSequence {
                    producer_id: h.producer_id,
                    expected: last.wrapping_add(1),
                    got: h.base_sequence,
                });
            }
        }
        if p.txn_first_offset.is_some() && !h.is_transactional() {
            return Err(StorageError::InvalidTxnState(format!(
                "producer {} wrote a non-transactional batch while its transaction is open",
                h.producer_id
            )));
        }
        Ok(Check::Append)
    }

    /// Checks a batch the broker writes itself (transactional offset
    /// commits): only the epoch, as Kafka does for its coordinators.
    pub fn check_broker(&self, h: &BatchHeader) -> Result<(), StorageError> {
        match self.producers.get(&h.producer_id) {
            Some(p) if h.producer_id >= 0 => check_epoch(h.producer_id, h.producer_epoch, p),
            _ => Ok(()),
        }
    }

    /// Checks an end-transaction marker: the producer's epoch must not be
    /// older, nor the coordinator's.
    pub fn check_marker(
        &self,
        producer_id: i64,
        epoch: i16,
        coordinator_epoch: i32,
    ) -> Result<(), StorageError> {
        let Some(p) = self.producers.get(&producer_id) else {
            return Ok(());
        };
        check_epoch(producer_id, epoch, p)?;
        if coordinator_epoch < p.coordinator_epoch {
            return Err(StorageError::CoordinatorFenced {
                producer_id,
                epoch: coordinator_epoch,
                current: p.coordinator_epoch,
            });
        }
        Ok(())
    }

    /// Records a data batch stored at `base_offset`; a transactional one
    /// opens the producer's transaction when none is open.
    pub fn record(&mut self, h: &BatchHeader, base_offset: i64) {
        if h.producer_id < 0 {
            return;
        }
        self.dirty = true;
        let p = self
            .producers
            .entry(h.producer_id)
            .or_insert_with(|| Producer::new(h.producer_epoch));
        p.set_epoch(h.producer_epoch);
        if p.recent.len() == REMEMBERED {
            p.recent.pop_front();
        }
        p.recent.push_back(Written {
            first_seq: h.base_sequence,
            last_seq: last_seq(h),
            base_offset,
            last_offset: base_offset + i64::from(h.last_offset_delta),
        });
        p.last_timestamp = h.max_timestamp;
        if h.is_transactional() && p.txn_first_offset.is_none() {
            p.txn_first_offset = Some(base_offset);
            self.ongoing.insert((base_offset, h.producer_id));
        }
    }

    /// Records an end-transaction marker stored at `offset`; returns the
    /// transaction it ended when it had data on this partition.
    pub fn end_txn(
        &mut self,
        producer_id: i64,
        epoch: i16,
        coordinator_epoch: i32,
        offset: i64,
        timestamp: i64,
    ) -> Option<CompletedTxn> {
        self.dirty = true;
        let p = self
            .producers
            .entry(producer_id)
            .or_insert_with(|| Producer::new(epoch));
        p.set_epoch(epoch);
        p.coordinator_epoch = coordinator_epoch;
        p.last_timestamp = timestamp;
        let first = p.txn_first_offset.take()?;
        self.ongoing.remove(&(first, producer_id));
        Some(CompletedTxn {
            producer_id,
            first_offset: first,
            last_offset: offset,
        })
    }

    /// Offsets below this are stable: the first offset of the oldest open
    /// transaction, or `log_end`.
    pub fn last_stable_offset(&self, log_end: i64) -> i64 {
        self.ongoing
            .first()
            .map_or(log_end, |(first, _)| *first)
            .min(log_end)
    }

    /// The LSO once `txn` has ended (Kafka's `lastStableOffset(CompletedTxn)`),
    /// stored with an aborted transaction in the index.
    pub fn stable_after(&self, txn: &CompletedTxn) -> i64 {
        self.ongoing
            .iter()
            .find(|(_, pid)| *pid != txn.producer_id)
            .map_or(txn.last_offset + 1, |(first, _)| *first)
    }

    /// Removes producers idle for longer than `expiration_ms` that have no
    /// open transaction (producer.id.expiration.ms). Returns how many.
    pub fn expire(&mut self, now_ms: i64, expiration_ms: i64) -> usize {
        let before = self.producers.len();
        self.producers.retain(|_, p| {
            p.txn_first_offset.is_some() || now_ms.saturating_sub(p.last_timestamp) < expiration_ms
        });
        let removed = before - self.producers.len();
        if removed > 0 {
            self.dirty = true;
        }
        removed
    }

    /// Every producer, for DescribeProducers.
    pub fn views(&self) -> Vec<ProducerView> {
        let mut out: Vec<ProducerView> = self
            .producers
            .iter()
            .map(|(id, p)| ProducerView {
                producer_id: *id,
                epoch: p.epoch,
                last_sequence: p.recent.back().map_or(-1, |w| w.last_seq),
                last_timestamp: p.last_timestamp,
                coordinator_epoch: p.coordinator_epoch,
                txn_start_offset: p.txn_first_offset.unwrap_or(-1),
            })
            .collect();
        out.sort_by_key(|v| v.producer_id);
        out
    }

    /// The open transactions as (producer id, first offset).
    pub fn open_transactions(&self) -> Vec<(i64, i64)> {
        self.ongoing.iter().map(|(o, p)| (*p, *o)).collect()
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn is_empty(&self) -> bool {
        self.producers.is_empty()
    }
}

fn check_epoch(producer_id: i64, epoch: i16, p: &Producer) -> Result<(), StorageError> {
    if epoch < p.epoch {
        return Err(StorageError::ProducerFenced {
            producer_id,
            epoch,
            current: p.epoch,
        });
    }
    Ok(())
}

// Snapshots: Kafka's ProducerSnapshot v1, `<20-digit offset>.snapshot`:
// version i16, crc u32 (CRC-32C of what follows it), entry count i32, then
// per entry producer id i64, epoch i16, last sequence i32, last offset i64,
// offset delta i32, timestamp i64, coordinator epoch i32, current txn first
// offset i64 (-1 when none).
//
// Kafka writes one entry per producer (its last batch) and re-learns older
// batches only by scanning the log after the snapshot. We write one entry
// per remembered batch, oldest first, so that a retry of any of the last
// five batches is still recognised after a restart; Kafka's reader keeps
// the last entry of each producer id, which is the newest batch, so the
// files stay readable by Kafka.

const SNAPSHOT_VERSION: i16 = 1;
const SNAPSHOT_ENTRY_LEN: usize = 46;
pub const SNAPSHOT_SUFFIX: &str = ".snapshot";

pub fn snapshot_name(offset: i64) -> String {
    format!("{offset:020}{SNAPSHOT_SUFFIX}")
}

/// The offset a `.snapshot` file name gives.
pub fn snapshot_offset(name: &str) -> Option<i64> {
    let stem = name.strip_suffix(SNAPSHOT_SUFFIX)?;
    if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok()
}

impl ProducerStates {
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut entries = Vec::new();
        let mut ids: Vec<&i64> = self.producers.keys().collect();
        ids.sort_unstable();
        let mut count: i32 = 0;
        for id in ids {
            let p = &self.producers[id];
            let mut push = |last_seq: i32, last_offset: i64, delta: i32| {
                count += 1;
                entries.extend_from_slice(&id.to_be_bytes());
                entries.extend_from_slice(&p.epoch.to_be_bytes());
                entries.extend_from_slice(&last_seq.to_be_bytes());
                entries.extend_from_slice(&last_offset.to_be_bytes());
                entries.extend_from_slice(&delta.to_be_bytes());
                entries.extend_from_slice(&p.last_timestamp.to_be_bytes());
                entries.extend_from_slice(&p.coordinator_epoch.to_be_bytes());
                entries.extend_from_slice(&p.txn_first_offset.unwrap_or(-1).to_be_bytes());
            };
            if p.recent.is_empty() {
                push(-1, -1, 0);
            }
            for w in &p.recent {
                push(
                    w.last_seq,
                    w.last_offset,
                    (w.last_offset - w.base_offset) as i32,
                );
            }
        }
        let mut body = Vec::with_capacity(4 + entries.len());
        body.extend_from_slice(&count.to_be_bytes());
        body.extend_from_slice(&entries);
        let mut out = Vec::with_capacity(6 + body.len());
        out.extend_from_slice(&SNAPSHOT_VERSION.to_be_bytes());
        out.extend_from_slice(&crc32c::crc32c(&body).to_be_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Reads a snapshot; `Err` names what is wrong with it.
    pub fn from_snapshot(bytes: &[u8]) -> Result<ProducerStates, String> {
        if bytes.len() < 10 {
            return Err("shorter than a snapshot header".into());
        }
        let version = i16::from_be_bytes([bytes[0], bytes[1]]);
        if version != SNAPSHOT_VERSION {
            return Err(format!("version {version} is not supported"));
        }
        let crc = u32::from_be_bytes(bytes[2..6].try_into().unwrap());
        if crc32c::crc32c(&bytes[6..]) != crc {
            return Err("CRC-32C mismatch".into());
        }
        let count = i32::from_be_bytes(bytes[6..10].try_into().unwrap());
        let entries = &bytes[10..];
        if count < 0 || entries.len() != count as usize * SNAPSHOT_ENTRY_LEN {
            return Err(format!(
                "{} bytes of entries do not hold {count} entries",
                entries.len()
            ));
        }
        let mut states = ProducerStates::default();
        for e in entries.chunks_exact(SNAPSHOT_ENTRY_LEN) {
            let i64_at = |i: usize| i64::from_be_bytes(e[i..i + 8].try_into().unwrap());
            let i32_at = |i: usize| i32::from_be_bytes(e[i..i + 4].try_into().unwrap());
            let id = i64_at(0);
            let epoch = i16::from_be_bytes([e[8], e[9]]);
            let last_seq = i32_at(10);
            let last_offset = i64_at(14);
            let delta = i32_at(22);
            let timestamp = i64_at(26);
            let coordinator_epoch = i32_at(34);
            let txn_first = i64_at(38);
            let p = states
                .producers
                .entry(id)
                .or_insert_with(|| Producer::new(epoch));
            p.set_epoch(epoch);
            p.last_timestamp = timestamp;
            p.coordinator_epoch = coordinator_epoch;
            p.txn_first_offset = (txn_first >= 0).then_some(txn_first);
            if last_offset >= 0 {
                if p.recent.len() == REMEMBERED {
                    p.recent.pop_front();
                }
                p.recent.push_back(Written {
                    first_seq: last_seq.wrapping_sub(delta),
                    last_seq,
                    base_offset: last_offset - i64::from(delta),
                    last_offset,
                });
            }
        }
        for (id, p) in &states.producers {
            if let Some(first) = p.txn_first_offset {
                states.ongoing.insert((first, *id));
            }
        }
        Ok(states)
    }

    /// Writes `<offset>.snapshot` in `dir` (through a synced temporary file
    /// and a rename, so a crash leaves a whole file or none) and clears the
    /// changed flag.
    pub fn write_snapshot(&mut self, dir: &Path, offset: i64) -> io::Result<PathBuf> {
        let path = dir.join(snapshot_name(offset));
        let tmp = dir.join(format!("{}.tmp", snapshot_name(offset)));
        {
            let mut f = fs::File::create(&tmp)?;
            io::Write::write_all(&mut f, &self.to_snapshot())?;
            f.sync_data()?;
        }
        fs::rename(&tmp, &path)?;
        self.dirty = false;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(pid: i64, epoch: i16, seq: i32, n: i32) -> BatchHeader {
        BatchHeader {
            base_offset: 0,
            batch_length: 100,
            magic: 2,
            crc: 0,
            attributes: 0,
            last_offset_delta: n - 1,
            base_timestamp: 0,
            max_timestamp: 1000,
            producer_id: pid,
            producer_epoch: epoch,
            base_sequence: seq,
            record_count: n,
        }
    }

    fn txn_header(pid: i64, epoch: i16, seq: i32, n: i32) -> BatchHeader {
        BatchHeader {
            attributes: 0x10,
            ..header(pid, epoch, seq, n)
        }
    }

    #[test]
    fn retries_are_recognised_and_gaps_refused() {
        let mut s = ProducerStates::default();
        let first = header(7, 0, 0, 10);
        assert_eq!(s.check(&first).unwrap(), Check::Append);
        s.record(&first, 100);
        assert_eq!(
            s.check(&first).unwrap(),
            Check::Duplicate {
                base_offset: 100,
                last_offset: 109
            }
        );
        assert_eq!(s.check(&header(7, 0, 10, 5)).unwrap(), Check::Append);
        assert!(matches!(
            s.check(&header(7, 0, 12, 5)),
            Err(StorageError::OutOfOrderSequence {
                expected: 10,
                got: 12,
                ..
            })
        ));
        assert!(matches!(
            s.check(&header(7, 1, 3, 1)),
            Err(StorageError::OutOfOrderSequence { .. })
        ));
        assert_eq!(s.check(&header(7, 1, 0, 1)).unwrap(), Check::Append);
        s.record(&header(7, 1, 0, 1), 200);
        assert!(matches!(
            s.check(&header(7, 0, 10, 1)),
            Err(StorageError::ProducerFenced { .. })
        ));
        assert_eq!(s.check(&header(-1, -1, -1, 3)).unwrap(), Check::Append);
    }

    #[test]
    fn open_transactions_bound_the_stable_offset() {
        let mut s = ProducerStates::default();
        s.record(&txn_header(1, 0, 0, 2), 10);
        s.record(&txn_header(2, 0, 0, 2), 12);
        s.record(&txn_header(1, 0, 2, 2), 14);
        assert_eq!(s.last_stable_offset(16), 10);
        // A plain batch from a producer inside a transaction is refused.
        assert!(matches!(
            s.check(&header(1, 0, 4, 1)),
            Err(StorageError::InvalidTxnState(_))
        ));
        let done = s.end_txn(1, 0, 3, 16, 2000).unwrap();
        assert_eq!(
            done,
            CompletedTxn {
                producer_id: 1,
                first_offset: 10,
                last_offset: 16
            }
        );
        assert_eq!(s.last_stable_offset(17), 12);
        assert!(matches!(
            s.check_marker(1, 0, 2),
            Err(StorageError::CoordinatorFenced { .. })
        ));
        // A marker with no data on this partition ends nothing.
        assert_eq!(s.end_txn(3, 0, 0, 17, 2000), None);
        let done = s.end_txn(2, 0, 0, 18, 2000).unwrap();
        assert_eq!(s.stable_after(&done), 19);
        assert_eq!(s.last_stable_offset(19), 19);
        // Sequences continue after a marker of the same epoch.
        assert_eq!(s.check(&txn_header(1, 0, 4, 1)).unwrap(), Check::Append);
    }

    #[test]
    fn snapshots_keep_the_last_five_batches_and_open_transactions() {
        let mut s = ProducerStates::default();
        for i in 0..7 {
            s.record(&header(5, 2, i * 3, 3), 100 + i64::from(i) * 3);
        }
        s.record(&txn_header(9, 0, 0, 4), 200);
        s.end_txn(11, 4, 6, 300, 1234);
        let bytes = s.to_snapshot();
        let back = ProducerStates::from_snapshot(&bytes).unwrap();
        assert_eq!(back.views(), s.views());
        assert_eq!(back.last_stable_offset(1000), 200);
        for i in 2..7 {
            assert_eq!(
                back.check(&header(5, 2, i * 3, 3)).unwrap(),
                Check::Duplicate {
                    base_offset: 100 + i64::from(i) * 3,
                    last_offset: 102 + i64::from(i) * 3
                }
            );
        }
        assert_eq!(back.check(&header(5, 2, 21, 1)).unwrap(), Check::Append);
        let mut corrupt = bytes.clone();
        let last = corrupt.len() - 1;
        corrupt[last] ^= 1;
        assert!(ProducerStates::from_snapshot(&corrupt).is_err());
        assert!(ProducerStates::from_snapshot(&bytes[..bytes.len() - 3]).is_err());
    }

    #[test]
    fn idle_producers_expire_unless_in_a_transaction() {
        let mut s = ProducerStates::default();
        s.record(&header(1, 0, 0, 1), 0);
        s.record(&txn_header(2, 0, 0, 1), 1);
        assert_eq!(s.expire(1000 + 500, 1000), 0);
        assert_eq!(s.expire(1000 + 1000, 1000), 1);
        assert_eq!(s.views().len(), 1);
        assert_eq!(s.views()[0].producer_id, 2);
    }
}
