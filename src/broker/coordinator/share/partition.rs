//! Share-partitions: for each (share group, topic partition), the window of
//! records between the share-partition start offset and end offset, each
//! available, acquired by a member under a lock, acknowledged or archived,
//! with its delivery count (Kafka's SharePartition).
//!
//! The window is kept as runs of offsets in one state, as Kafka keeps
//! in-flight batches: a batch acquired, accepted or released together stays
//! one run. Offsets from the end offset on have never been acquired.
//!
//! Every change a member asks for (accept, release, reject) and every lock
//! that expires is written to `__share_group_state` ([`super::state_log`])
//! and fsynced before it is answered; acquisitions are not written, as in
//! Kafka, so records in flight at a crash are available again after it,
//! with the delivery counts last written.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use kafka_protocol::records::RecordBatchDecoder;
use tokio::sync::Notify;
use uuid::Uuid;

use super::dead_letter::{DeadLetter, Reason};
use super::state_log::{
    self, StateBatch, StateKey, StateValue, SHARE_STATE_SPEC, SHARE_STATE_TOPIC,
    UPDATES_PER_SNAPSHOT,
};
use crate::broker::coordinator::group_configs::{AutoOffsetReset, ShareSettings};
use crate::broker::coordinator::internal_topic::InternalTopics;
use crate::broker::state::{Partition, State, Topic, TopicError};
use crate::broker::storage::batch::BatchHeader;
use crate::broker::storage::log::{now_ms, PartitionLog};
use crate::broker::storage::StorageError;

/// A record's state in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RecordState {
    Available,
    Acquired { member: Arc<str>, deadline: Instant },
    Acknowledged,
    Archived,
}

/// Offsets `first..=last` (the key in the map) in one state with one
/// delivery count.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    last: i64,
    state: RecordState,
    count: i16,
}

/// One share-partition's records from the start offset to the end offset.
#[derive(Debug)]
struct Window {
    start: i64,
    /// One past the last offset ever acquired: `runs` cover `start..end`
    /// without a gap; offsets from `end` on are available, never delivered.
    end: i64,
    runs: BTreeMap<i64, Run>,
    state_epoch: i32,
    snapshot_epoch: u16,
    /// Updates written since the last snapshot; `None` before the first write.
    updates: Option<u32>,
}

/// Records to copy to the dead-letter topic: `first..=last`, delivered
/// `count` times.
type Letters = Vec<(i64, i64, i16, Reason)>;

impl Window {
    fn new(start: i64) -> Window {
        Window {
            start,
            end: start,
            runs: BTreeMap::new(),
            state_epoch: 0,
            snapshot_epoch: 0,
            updates: None,
        }
    }

    /// Makes a run begin at `at` when `at` is inside one.
    fn split_at(&mut self, at: i64) {
        let Some((&first, run)) = self.runs.range(..at).next_back() else {
            return;
        };
        if run.last >= at {
            let tail = run.clone();
            if let Some(head) = self.runs.get_mut(&first) {
                head.last = at - 1;
            }
            self.runs.insert(at, tail);
        }
    }

    /// Joins neighbouring runs of one state and count, from the run before
    /// `from` to the run after `to`.
    fn coalesce(&mut self, from: i64, to: i64) {
        let lo = self
            .runs
            .range(..from)
            .next_back()
            .map_or(from, |(k, _)| *k);
        let keys: Vec<i64> = self
            .runs
            .range(lo..=to.saturating_add(1))
            .map(|(k, _)| *k)
            .collect();
        let mut prev: Option<i64> = None;
        for k in keys {
            if let Some(p) = prev {
                let (plast, same) = {
                    let (a, b) = (&self.runs[&p], &self.runs[&k]);
                    (a.last, a.state == b.state && a.count == b.count)
                };
                if plast + 1 == k && same {
                    if let Some(run) = self.runs.remove(&k) {
                        if let Some(head) = self.runs.get_mut(&p) {
                            head.last = run.last;
                        }
                    }
                    continue;
                }
            }
            prev = Some(k);
        }
    }

    /// Applies `f` to every run within `first..=last` (which must lie in
    /// `start..end`), splitting runs at the edges.
    fn update(&mut self, first: i64, last: i64, mut f: impl FnMut(i64, &mut Run)) {
        self.split_at(first);
        self.split_at(last + 1);
        for (k, run) in self.runs.range_mut(first..=last) {
            f(*k, run);
        }
        self.coalesce(first, last);
    }

    /// Moves the start offset over the acknowledged and archived prefix.
    fn advance_start(&mut self) {
        while let Some(entry) = self.runs.first_entry() {
            if matches!(
                entry.get().state,
                RecordState::Acknowledged | RecordState::Archived
            ) {
                self.start = entry.remove().last + 1;
            } else {
                break;
            }
        }
        if self.runs.is_empty() {
            self.start = self.end.max(self.start);
            self.end = self.start;
        }
    }

    /// Forgets everything below `offset` (the log start moved past it, or
    /// the start offset was reset).
    fn truncate_to(&mut self, offset: i64) {
        if offset <= self.start {
            return;
        }
        self.split_at(offset);
        self.runs = self.runs.split_off(&offset);
        self.start = offset;
        self.end = self.end.max(offset);
    }

    /// The first offset at or after `from` that may be acquired: an
    /// available one in the window, else the end offset.
    fn next_available(&self, from: i64) -> i64 {
        let lo = self
            .runs
            .range(..=from)
            .next_back()
            .map_or(from, |(k, _)| *k);
        for (k, run) in self.runs.range(lo..) {
            if run.last >= from && run.state == RecordState::Available {
                return (*k).max(from);
            }
        }
        self.end.max(from)
    }

    /// Records from `start` to `end`: what the in-flight cap bounds.
    fn in_flight(&self) -> i64 {
        self.end - self.start
    }

    /// Extends the window to cover `last` with never-delivered records.
    fn extend_to(&mut self, last: i64) {
        if last >= self.end {
            self.runs.insert(
                self.end,
                Run {
                    last,
                    state: RecordState::Available,
                    count: 0,
                },
            );
            self.coalesce(self.end, last);
            self.end = last + 1;
        }
    }

    /// Archives the records of `first..=last` nobody holds: offsets the log
    /// no longer has, control batches, aborted transactions.
    fn archive_available(&mut self, first: i64, last: i64) {
        let first = first.max(self.start);
        if first > last {
            return;
        }
        self.extend_to(last);
        self.update(first, last, |_, run| {
            if run.state == RecordState::Available {
                run.state = RecordState::Archived;
            }
        });
    }

    /// Acquires for `member` what is available in `first..=last`, extending
    /// the window while it holds fewer than `cap` records. Returns the
    /// acquired ranges with their delivery counts.
    fn acquire(
        &mut self,
        first: i64,
        last: i64,
        member: &Arc<str>,
        deadline: Instant,
        cap: i64,
    ) -> Vec<(i64, i64, i16)> {
        let mut got = Vec::new();
        let first = first.max(self.start);
        if first > last {
            return got;
        }
        if last >= self.end && self.in_flight() < cap {
            self.extend_to(last);
        }
        let upto = last.min(self.end - 1);
        if first > upto {
            return got;
        }
        self.update(first, upto, |k, run| {
            if run.state == RecordState::Available {
                run.count = run.count.saturating_add(1);
                run.state = RecordState::Acquired {
                    member: member.clone(),
                    deadline,
                };
                got.push((k, run.last, run.count));
            }
        });
        got
    }

    /// Whether every offset of `first..=last` is acquired by `member`.
    fn held_by(&self, member: &str, first: i64, last: i64) -> bool {
        if first < self.start || last >= self.end || first > last {
            return false;
        }
        let lo = self
            .runs
            .range(..=first)
            .next_back()
            .map_or(first, |(k, _)| *k);
        self.runs
            .range(lo..=last)
            .all(|(_, run)| matches!(&run.state, RecordState::Acquired { member: m, .. } if &**m == member))
    }

    /// A member's acknowledgement of `first..=last` (checked with `held_by`).
    fn acknowledge(
        &mut self,
        first: i64,
        last: i64,
        ack: AckType,
        limit: i16,
        letters: &mut Letters,
    ) {
        self.update(first, last, |k, run| {
            run.state = match ack {
                AckType::Accept => RecordState::Acknowledged,
                AckType::Gap => RecordState::Archived,
                AckType::Reject => {
                    letters.push((k, run.last, run.count, Reason::Rejected));
                    RecordState::Archived
                }
                AckType::Release => release(k, run, limit, letters),
            };
        });
    }

    /// Releases the acquisitions whose lock expired by `now`. Returns
    /// whether any did.
    fn expire(&mut self, now: Instant, limit: i16, letters: &mut Letters) -> bool {
        let due: Vec<(i64, i64)> = self
            .runs
            .iter()
            .filter(|(_, r)| matches!(r.state, RecordState::Acquired { deadline, .. } if deadline <= now))
            .map(|(k, r)| (*k, r.last))
            .collect();
        for &(first, last) in &due {
            self.update(first, last, |k, run| {
                run.state = release(k, run, limit, letters);
            });
        }
        !due.is_empty()
    }

    /// The earliest lock deadline.
    fn next_deadline(&self) -> Option<Instant> {
        self.runs
            .values()
            .filter_map(|r| match r.state {
                RecordState::Acquired { deadline, .. } => Some(deadline),
                _ => None,
            })
            .min()
    }

    /// Ends every lock `member` holds at `now` (the expiry pass releases
    /// them and writes the release).
    fn unlock_member(&mut self, member: &str, now: Instant) -> bool {
        let held: Vec<(i64, i64)> = self
            .runs
            .iter()
            .filter(|(_, r)| matches!(&r.state, RecordState::Acquired { member: m, .. } if &**m == member))
            .map(|(k, r)| (*k, r.last))
            .collect();
        for &(first, last) in &held {
            self.update(first, last, |_, run| {
                if let RecordState::Acquired { deadline, .. } = &mut run.state {
                    *deadline = now;
                }
            });
        }
        !held.is_empty()
    }

    fn acquired_count(&self) -> usize {
        self.runs
            .iter()
            .filter(|(_, r)| matches!(r.state, RecordState::Acquired { .. }))
            .map(|(k, r)| (r.last - k + 1) as usize)
            .sum()
    }

    /// The state batches to write: every run but never-delivered available
    /// ones; an acquisition is written as the available state it came from.
    fn state_batches(&self) -> Vec<StateBatch> {
        let mut out: Vec<StateBatch> = Vec::new();
        for (k, run) in &self.runs {
            let (state, count) = match run.state {
                RecordState::Available => (state_log::AVAILABLE, run.count),
                RecordState::Acquired { .. } => (state_log::AVAILABLE, run.count - 1),
                RecordState::Acknowledged => (state_log::ACKNOWLEDGED, run.count),
                RecordState::Archived => (state_log::ARCHIVED, run.count),
            };
            if state == state_log::AVAILABLE && count <= 0 {
                continue;
            }
            match out.last_mut() {
                Some(b) if b.last + 1 == *k && b.state == state && b.count == count => {
                    b.last = run.last
                }
                _ => out.push(StateBatch {
                    first: *k,
                    last: run.last,
                    state,
                    count,
                }),
            }
        }
        out
    }

    /// Lays a written state over the window (a snapshot on an empty one).
    fn lay(&mut self, v: &StateValue) {
        if v.start_offset >= 0 {
            self.truncate_to(v.start_offset);
        }
        if v.snapshot {
            self.state_epoch = v.state_epoch;
        }
        self.snapshot_epoch = v.snapshot_epoch;
        for b in &v.batches {
            if b.last < self.start {
                continue;
            }
            let first = b.first.max(self.start);
            self.extend_to(b.last);
            let state = match b.state {
                state_log::ACKNOWLEDGED => RecordState::Acknowledged,
                state_log::ARCHIVED => RecordState::Archived,
                _ => RecordState::Available,
            };
            self.update(first, b.last, |_, run| {
                run.state = state.clone();
                run.count = b.count;
            });
        }
        self.advance_start();
    }

    /// The next record to write: a snapshot first and every
    /// `UPDATES_PER_SNAPSHOT` updates, else an update.
    fn next_record(&mut self, key: &StateKey) -> Bytes {
        let snapshot = match self.updates {
            None => true,
            Some(n) => n >= UPDATES_PER_SNAPSHOT,
        };
        if snapshot {
            if self.updates.is_some() {
                self.snapshot_epoch = self.snapshot_epoch.wrapping_add(1);
            }
            self.updates = Some(0);
        } else {
            self.updates = self.updates.map(|n| n + 1);
        }
        let value = StateValue {
            snapshot,
            snapshot_epoch: self.snapshot_epoch,
            state_epoch: if snapshot { self.state_epoch } else { -1 },
            start_offset: self.start,
            batches: self.state_batches(),
        };
        state_log::record(snapshot, key, Some(&value))
    }
}

/// A released record: available again, or archived at the delivery limit.
fn release(first: i64, run: &Run, limit: i16, letters: &mut Letters) -> RecordState {
    if run.count >= limit {
        letters.push((first, run.last, run.count, Reason::DeliveryLimit));
        RecordState::Archived
    } else {
        RecordState::Available
    }
}

/// How a member acknowledges records (ShareFetch/ShareAcknowledge v1's
/// AcknowledgeType; v1 has no RENEW).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckType {
    Gap,
    Accept,
    Release,
    Reject,
}

impl AckType {
    pub fn from_wire(t: i8) -> Option<AckType> {
        match t {
            0 => Some(AckType::Gap),
            1 => Some(AckType::Accept),
            2 => Some(AckType::Release),
            3 => Some(AckType::Reject),
            _ => None,
        }
    }
}

/// One acknowledgement batch: `first..=last`, with one type for them all
/// or one per offset.
#[derive(Debug, Clone)]
pub struct AckBatch {
    pub first: i64,
    pub last: i64,
    pub types: Vec<AckType>,
}

/// Why acknowledgements of a partition failed.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    #[error("the records are not acquired by this member")]
    InvalidRecordState,
    #[error("cannot write the share-partition state: {0}")]
    Storage(String),
}

/// Records acquired for a member in one partition: whole batches as the log
/// holds them, and which offsets of them are this member's.
#[derive(Debug, Default)]
pub struct Acquired {
    pub records: BytesMut,
    pub ranges: Vec<(i64, i64, i16)>,
}

/// One share-partition.
struct SharePartition {
    key: StateKey,
    topic: String,
    window: Mutex<Window>,
    /// Held from a change to its durable write, so that writes of one
    /// share-partition reach the log in the order of their changes.
    writing: tokio::sync::Mutex<()>,
}

impl SharePartition {
    fn window(&self) -> MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A member's share session (ShareFetch/ShareAcknowledge session epochs).
#[derive(Debug, Clone, Default)]
pub struct ShareSession {
    /// The epoch the next request must carry.
    pub epoch: i32,
    /// The partitions in the session, in the order they were added.
    pub partitions: Vec<(Uuid, i32)>,
}

/// Every share-partition of every share group.
#[derive(Default)]
pub struct SharePartitions {
    parts: Mutex<BTreeMap<StateKey, Arc<SharePartition>>>,
    sessions: Mutex<HashMap<(String, String), ShareSession>>,
    /// Notified when records become available again (released, lock
    /// expired, member gone), to wake waiting share fetches.
    pub released: Notify,
}

/// One share-partition as `dq groups describe` and
/// DescribeShareGroupOffsets show it.
#[derive(Debug, Clone)]
pub struct SharePartitionSummary {
    pub topic: String,
    pub partition: i32,
    /// The share-partition start offset: every record below it is done.
    pub start_offset: i64,
    /// Records acquired and not yet acknowledged.
    pub in_flight: usize,
}

/// The settings share group `group` runs with.
pub fn settings(state: &State, group: &str) -> ShareSettings {
    state.group_configs.share(group)
}

impl SharePartitions {
    fn parts(&self) -> MutexGuard<'_, BTreeMap<StateKey, Arc<SharePartition>>> {
        self.parts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The sessions, for the ShareFetch and ShareAcknowledge handlers.
    pub fn sessions(&self) -> MutexGuard<'_, HashMap<(String, String), ShareSession>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, key: &StateKey) -> Option<Arc<SharePartition>> {
        self.parts().get(key).cloned()
    }

    /// The share-partition, initialized at first use from
    /// share.auto.offset.reset.
    fn get_or_init(
        &self,
        key: &StateKey,
        topic: &str,
        log: &Partition,
        settings: &ShareSettings,
    ) -> Result<Arc<SharePartition>, StorageError> {
        if let Some(sp) = self.get(key) {
            return Ok(sp);
        }
        let start = {
            let log = log.log();
            match settings.auto_offset_reset {
                AutoOffsetReset::Earliest => log.log_start_offset(),
                AutoOffsetReset::Latest => log.log_end_offset(),
                AutoOffsetReset::ByDuration(d) => {
                    let ts = now_ms() - d.as_millis().min(i64::MAX as u128) as i64;
                    first_at_or_after(&log, ts)?.unwrap_or_else(|| log.log_end_offset())
                }
            }
        };
        let mut parts = self.parts();
        Ok(parts
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(SharePartition {
                    key: key.clone(),
                    topic: topic.to_string(),
                    window: Mutex::new(Window::new(start)),
                    writing: tokio::sync::Mutex::new(()),
                })
            })
            .clone())
    }

    /// Acquires records of one partition for `member`: at most about
    /// `max_records` (whole batches, as Kafka's soft limit) in at most
    /// `max_bytes` (but one batch when `at_least_one`).
    #[allow(clippy::too_many_arguments)]
    pub fn acquire(
        &self,
        group: &str,
        topic: &Topic,
        partition: &Partition,
        member: &str,
        settings: &ShareSettings,
        cap: usize,
        max_records: usize,
        max_bytes: usize,
        at_least_one: bool,
    ) -> Result<Acquired, StorageError> {
        let key = StateKey {
            group: group.to_string(),
            topic_id: topic.def.id,
            partition: partition.index,
        };
        let sp = self.get_or_init(&key, &topic.def.name, partition, settings)?;
        let mut out = Acquired::default();
        if max_records == 0 {
            return Ok(out);
        }
        let rc = settings.read_committed;
        let cap = cap.min(i64::MAX as usize) as i64;
        let member: Arc<str> = Arc::from(member);
        let deadline = Instant::now() + settings.record_lock_duration;
        let mut w = sp.window();
        let (log_start, upto) = {
            let log = partition.log();
            let upto = if rc {
                log.last_stable_offset()
            } else {
                log.log_end_offset()
            };
            (log.log_start_offset(), upto)
        };
        w.truncate_to(log_start);
        let mut records_left = max_records as i64;
        let mut bytes_left = max_bytes;
        let mut first_batch = at_least_one;
        let mut cursor = w.start;
        // A few reads at most: each starts at the next available record.
        for _ in 0..8 {
            cursor = w.next_available(cursor);
            if cursor >= upto || records_left <= 0 {
                break;
            }
            if cursor >= w.end && w.in_flight() >= cap {
                break;
            }
            let slice = {
                let log = partition.log();
                if rc {
                    log.read_committed(cursor)?
                } else {
                    log.read(cursor)?
                }
            };
            let Some(slice) = slice else { break };
            let bytes = slice.read(bytes_left, first_batch)?;
            if bytes.is_empty() {
                break;
            }
            let batches = batches_of(&bytes);
            let Some(read_end) = batches.last().map(|(h, _)| h.last_offset() + 1) else {
                break;
            };
            let mut aborted = if rc {
                Aborted::new(partition.log().aborted_transactions(cursor, read_end))
            } else {
                Aborted::default()
            };
            let mut stop = false;
            for (h, range) in batches {
                let (base, last) = (h.base_offset, h.last_offset());
                let skip = aborted.skips(&h, &bytes[range.clone()]);
                if last < cursor {
                    continue;
                }
                // Offsets before this batch are gone from the log (compacted).
                if base > cursor {
                    w.archive_available(cursor, base - 1);
                }
                let lo = base.max(cursor);
                cursor = last + 1;
                if skip {
                    w.archive_available(lo, last);
                    continue;
                }
                let got = w.acquire(lo, last, &member, deadline, cap);
                if got.is_empty() {
                    if last >= w.end {
                        // The cap stops the window here.
                        stop = true;
                        break;
                    }
                    continue;
                }
                records_left -= got.iter().map(|(f, l, _)| l - f + 1).sum::<i64>();
                bytes_left = bytes_left.saturating_sub(range.len());
                first_batch = false;
                out.records.extend_from_slice(&bytes[range]);
                for r in got {
                    match out.ranges.last_mut() {
                        Some(prev) if prev.1 + 1 == r.0 && prev.2 == r.2 => prev.1 = r.1,
                        _ => out.ranges.push(r),
                    }
                }
                if records_left <= 0 {
                    stop = true;
                    break;
                }
            }
            if stop || bytes_left == 0 {
                break;
            }
        }
        w.advance_start();
        Ok(out)
    }

    /// Applies one member's acknowledgements of one partition, all or none,
    /// and returns once they are durable (and the records they archive are
    /// on the dead-letter topic).
    pub async fn acknowledge(
        &self,
        state: &State,
        group: &str,
        topic_id: Uuid,
        partition: i32,
        member: &str,
        batches: &[AckBatch],
    ) -> Result<(), AckError> {
        let key = StateKey {
            group: group.to_string(),
            topic_id,
            partition,
        };
        let Some(sp) = self.get(&key) else {
            return Err(AckError::InvalidRecordState);
        };
        let limit = settings(state, group).delivery_count_limit;
        let _writing = sp.writing.lock().await;
        let mut letters = Letters::new();
        let (record, released) = {
            let mut w = sp.window();
            if !batches.iter().all(|b| w.held_by(member, b.first, b.last)) {
                return Err(AckError::InvalidRecordState);
            }
            let mut released = false;
            for b in batches {
                if let [t] = b.types[..] {
                    released |= t == AckType::Release;
                    w.acknowledge(b.first, b.last, t, limit, &mut letters);
                } else {
                    for (i, t) in b.types.iter().enumerate() {
                        let o = b.first + i as i64;
                        released |= *t == AckType::Release;
                        w.acknowledge(o, o, *t, limit, &mut letters);
                    }
                }
            }
            w.advance_start();
            (w.next_record(&sp.key), released)
        };
        self.persist(state, &sp, record, letters).await?;
        if released {
            self.released.notify_waiters();
        }
        Ok(())
    }

    /// Writes the dead letters, then the state record, and waits for both
    /// to be on disk.
    async fn persist(
        &self,
        state: &State,
        sp: &SharePartition,
        record: Bytes,
        letters: Letters,
    ) -> Result<(), AckError> {
        if !letters.is_empty() {
            let letters: Vec<DeadLetter> = letters
                .into_iter()
                .flat_map(|(first, last, count, reason)| {
                    let topic = sp.topic.clone();
                    let partition = sp.key.partition;
                    (first..=last).map(move |offset| DeadLetter {
                        topic: topic.clone(),
                        partition,
                        offset,
                        delivery_count: count,
                        reason,
                    })
                })
                .collect();
            dead_letter(state, &sp.key.group, &letters).await;
        }
        state
            .internal()
            .append(&SHARE_STATE_SPEC, 0, &record)
            .await
            .map_err(|e| AckError::Storage(e.to_string()))?;
        Ok(())
    }

    /// Releases every acquisition whose lock has expired (records available
    /// again, or archived at the delivery limit), durably. Run by a tick.
    pub async fn expire_locks(&self, state: &State) {
        let now = Instant::now();
        let due: Vec<Arc<SharePartition>> = self
            .parts()
            .values()
            .filter(|sp| sp.window().next_deadline().is_some_and(|d| d <= now))
            .cloned()
            .collect();
        let mut any = false;
        for sp in due {
            let limit = settings(state, &sp.key.group).delivery_count_limit;
            let _writing = sp.writing.lock().await;
            let mut letters = Letters::new();
            let record = {
                let mut w = sp.window();
                if !w.expire(now, limit, &mut letters) {
                    continue;
                }
                w.advance_start();
                w.next_record(&sp.key)
            };
            any = true;
            if let Err(e) = self.persist(state, &sp, record, letters).await {
                tracing::warn!(
                    group = %sp.key.group,
                    topic = %sp.topic,
                    partition = sp.key.partition,
                    "expired acquisition locks released but not written: {e}"
                );
            }
        }
        if any {
            self.released.notify_waiters();
        }
    }

    /// Releases every record `member_id` holds in `group_id`, for members
    /// that left the group or were fenced: they become available again (the
    /// next expiry pass writes it). Their share sessions end.
    pub fn release_member(&self, group_id: &str, member_id: &str) {
        self.sessions()
            .remove(&(group_id.to_string(), member_id.to_string()));
        self.unlock_member(group_id, member_id);
    }

    /// Ends the locks `member_id` holds in `group_id` now; the expiry pass
    /// releases them and writes it.
    pub fn unlock_member(&self, group_id: &str, member_id: &str) {
        let now = Instant::now();
        for sp in self.group_parts(group_id) {
            sp.window().unlock_member(member_id, now);
        }
    }

    fn group_parts(&self, group_id: &str) -> Vec<Arc<SharePartition>> {
        self.parts()
            .iter()
            .filter(|(k, _)| k.group == group_id)
            .map(|(_, sp)| sp.clone())
            .collect()
    }

    /// The share-partitions of `group_id`, by topic and partition.
    pub fn summary(&self, group_id: &str) -> Vec<SharePartitionSummary> {
        let mut out: Vec<SharePartitionSummary> = self
            .group_parts(group_id)
            .iter()
            .map(|sp| {
                let w = sp.window();
                SharePartitionSummary {
                    topic: sp.topic.clone(),
                    partition: sp.key.partition,
                    start_offset: w.start,
                    in_flight: w.acquired_count(),
                }
            })
            .collect();
        out.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        out
    }

    /// The start offset of one share-partition, if it has state.
    pub fn start_offset(&self, group_id: &str, topic_id: Uuid, partition: i32) -> Option<i64> {
        let key = StateKey {
            group: group_id.to_string(),
            topic_id,
            partition,
        };
        self.get(&key).map(|sp| sp.window().start)
    }

    /// Sets the start offset of a share-partition (AlterShareGroupOffsets,
    /// for a group without members): everything before it is done,
    /// everything from it on available; durable before it returns.
    pub async fn alter_start_offset(
        &self,
        internal: &InternalTopics<'_>,
        group_id: &str,
        topic: &Topic,
        partition: i32,
        start_offset: i64,
    ) -> Result<(), TopicError> {
        let key = StateKey {
            group: group_id.to_string(),
            topic_id: topic.def.id,
            partition,
        };
        let sp = {
            let mut parts = self.parts();
            parts
                .entry(key.clone())
                .or_insert_with(|| {
                    Arc::new(SharePartition {
                        key: key.clone(),
                        topic: topic.def.name.clone(),
                        window: Mutex::new(Window::new(start_offset)),
                        writing: tokio::sync::Mutex::new(()),
                    })
                })
                .clone()
        };
        let _writing = sp.writing.lock().await;
        let record = {
            let mut w = sp.window();
            let mut fresh = Window::new(start_offset);
            fresh.state_epoch = w.state_epoch.wrapping_add(1);
            fresh.snapshot_epoch = w.snapshot_epoch;
            // The next write is a snapshot.
            fresh.updates = w.updates.map(|_| UPDATES_PER_SNAPSHOT);
            *w = fresh;
            w.next_record(&sp.key)
        };
        internal.append(&SHARE_STATE_SPEC, 0, &record).await?;
        Ok(())
    }

    /// Deletes the share state of `group_id` for one topic (every partition
    /// when `topic_id` is `None`... i.e. the whole group), durably.
    async fn delete_where(
        &self,
        internal: &InternalTopics<'_>,
        group_id: &str,
        topic_id: Option<Uuid>,
    ) -> Result<usize, TopicError> {
        let doomed: Vec<Arc<SharePartition>> = self
            .group_parts(group_id)
            .into_iter()
            .filter(|sp| topic_id.is_none_or(|id| sp.key.topic_id == id))
            .collect();
        for sp in &doomed {
            let _writing = sp.writing.lock().await;
            internal
                .append(&SHARE_STATE_SPEC, 0, &state_log::tombstones(&sp.key))
                .await?;
            self.parts().remove(&sp.key);
        }
        Ok(doomed.len())
    }

    /// Deletes every share-partition state of `group_id` (DeleteGroups of a
    /// share group), durably. Returns how many there were.
    pub async fn delete_group(
        &self,
        internal: &InternalTopics<'_>,
        group_id: &str,
    ) -> Result<(), TopicError> {
        self.sessions().retain(|(g, _), _| g != group_id);
        self.delete_where(internal, group_id, None).await?;
        Ok(())
    }

    /// Deletes the share state of one topic in `group_id`
    /// (DeleteShareGroupOffsets), durably.
    pub async fn delete_topic(
        &self,
        internal: &InternalTopics<'_>,
        group_id: &str,
        topic_id: Uuid,
    ) -> Result<usize, TopicError> {
        self.delete_where(internal, group_id, Some(topic_id)).await
    }

    /// Whether any member of `group_id` has a share session.
    pub fn has_sessions(&self, group_id: &str) -> bool {
        self.sessions().keys().any(|(g, _)| g == group_id)
    }

    /// Whether `group_id` has share state for any partition.
    pub fn has_group(&self, group_id: &str) -> bool {
        self.parts().keys().any(|k| k.group == group_id)
    }

    /// Rebuilds every share-partition from `__share_group_state` (at
    /// start): acknowledged and archived records stay done, records in
    /// flight at the stop are available again.
    pub fn load(&self, internal: &InternalTopics<'_>) -> Result<usize, StorageError> {
        let mut windows: BTreeMap<StateKey, Window> = BTreeMap::new();
        let applied = internal.replay(SHARE_STATE_TOPIC, |bytes| {
            state_log::replay(bytes, |key, value| match value {
                None => {
                    windows.remove(&key);
                }
                Some(v) => {
                    let w = if v.snapshot {
                        windows.insert(key.clone(), Window::new(v.start_offset.max(0)));
                        windows.get_mut(&key)
                    } else {
                        Some(
                            windows
                                .entry(key)
                                .or_insert_with(|| Window::new(v.start_offset.max(0))),
                        )
                    };
                    if let Some(w) = w {
                        w.lay(&v);
                        w.updates = Some(w.updates.map_or(0, |n| n + 1));
                        if v.snapshot {
                            w.updates = Some(0);
                        }
                    }
                }
            })
        })?;
        let mut parts = self.parts();
        for (key, w) in windows {
            // State of a deleted topic is dropped with it.
            let Some(topic) = internal.logs.topic_by_id(key.topic_id) else {
                continue;
            };
            parts.insert(
                key.clone(),
                Arc::new(SharePartition {
                    key,
                    topic: topic.def.name.clone(),
                    window: Mutex::new(w),
                    writing: tokio::sync::Mutex::new(()),
                }),
            );
        }
        Ok(applied)
    }
}

/// The dead-letter write for records about to be archived (KIP-1191): it
/// returns once the copies are durable (or the group has no dead-letter
/// topic, or the topic refuses them); the archive is written after it. A
/// storage failure is retried a few times, then the records are archived
/// anyway, as Kafka does after its retries.
async fn dead_letter(state: &State, group: &str, letters: &[DeadLetter]) {
    for attempt in 1..=3 {
        match state
            .dead_letters
            .write(&state.internal(), &state.group_configs, group, letters)
            .await
        {
            Ok(_) => return,
            Err(e) if attempt == 3 => {
                tracing::error!(
                    group,
                    records = letters.len(),
                    "records archived without their dead letters: {e}"
                );
            }
            Err(e) => {
                tracing::warn!(group, attempt, "dead-letter write failed, retrying: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

/// The first offset whose record has a timestamp at or after `ts`.
fn first_at_or_after(log: &PartitionLog, ts: i64) -> Result<Option<i64>, StorageError> {
    let Some(mut batch) = log.batch_for_timestamp(ts)? else {
        return Ok(None);
    };
    let set = RecordBatchDecoder::decode(&mut batch)
        .map_err(|_| StorageError::CorruptBatch("stored batch could not be decoded"))?;
    Ok(set
        .records
        .iter()
        .find(|r| r.timestamp >= ts)
        .map(|r| r.offset))
}

/// The whole batches in `bytes`, with their byte ranges.
fn batches_of(bytes: &[u8]) -> Vec<(BatchHeader, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(h) = bytes.get(at..).and_then(BatchHeader::parse) {
        let len = h.total_len();
        if len < crate::broker::storage::batch::HEADER_LEN || at + len > bytes.len() {
            break;
        }
        out.push((h, at..at + len));
        at += len;
    }
    out
}

/// Which batches of a read_committed read belong to aborted transactions
/// (as a consumer works it out from the aborted-transaction list).
#[derive(Default)]
struct Aborted {
    /// (producer id, first offset), by first offset.
    pending: Vec<(i64, i64)>,
    open: std::collections::HashSet<i64>,
}

impl Aborted {
    fn new(mut list: Vec<(i64, i64)>) -> Aborted {
        list.sort_by_key(|(_, first)| std::cmp::Reverse(*first));
        Aborted {
            pending: list,
            open: Default::default(),
        }
    }

    /// Whether the batch is never delivered: a control batch, or data of
    /// an aborted transaction.
    fn skips(&mut self, h: &BatchHeader, batch: &[u8]) -> bool {
        while let Some(&(pid, first)) = self.pending.last() {
            if first > h.last_offset() {
                break;
            }
            self.open.insert(pid);
            self.pending.pop();
        }
        if h.is_control() {
            if is_abort_marker(batch) {
                self.open.remove(&h.producer_id);
            }
            return true;
        }
        h.is_transactional() && self.open.contains(&h.producer_id)
    }
}

/// Whether a control batch is an ABORT marker (control type 0).
fn is_abort_marker(batch: &[u8]) -> bool {
    let mut b = Bytes::copy_from_slice(batch);
    RecordBatchDecoder::decode(&mut b)
        .ok()
        .and_then(|set| set.records.into_iter().next())
        .and_then(|r| r.key)
        .is_some_and(|k| k.len() >= 4 && i16::from_be_bytes([k[2], k[3]]) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn member(m: &str) -> Arc<str> {
        Arc::from(m)
    }

    #[test]
    fn acquire_accept_moves_the_start() {
        let mut w = Window::new(0);
        let later = Instant::now() + Duration::from_secs(30);
        assert_eq!(w.acquire(0, 9, &member("a"), later, 100), vec![(0, 9, 1)]);
        assert_eq!(
            w.acquire(10, 19, &member("b"), later, 100),
            vec![(10, 19, 1)]
        );
        assert!(w.held_by("a", 0, 9));
        assert!(!w.held_by("b", 5, 12));
        let mut letters = Letters::new();
        w.acknowledge(10, 19, AckType::Accept, 5, &mut letters);
        w.advance_start();
        assert_eq!(w.start, 0, "0..9 are still in flight");
        w.acknowledge(0, 4, AckType::Accept, 5, &mut letters);
        w.acknowledge(5, 9, AckType::Release, 5, &mut letters);
        w.advance_start();
        assert_eq!((w.start, w.end), (5, 20));
        assert_eq!(w.next_available(0), 5);
        assert_eq!(w.acquire(5, 9, &member("b"), later, 100), vec![(5, 9, 2)]);
        assert_eq!(w.next_available(0), 20);
        assert!(letters.is_empty());
    }

    #[test]
    fn release_at_the_limit_archives_and_reject_dead_letters() {
        let mut w = Window::new(0);
        let later = Instant::now() + Duration::from_secs(30);
        let mut letters = Letters::new();
        for round in 1..=3 {
            assert_eq!(
                w.acquire(0, 0, &member("a"), later, 10),
                vec![(0, 0, round)]
            );
            w.acknowledge(0, 0, AckType::Release, 3, &mut letters);
        }
        w.advance_start();
        assert_eq!(w.start, 1);
        assert_eq!(letters, vec![(0, 0, 3, Reason::DeliveryLimit)]);
        w.acquire(1, 1, &member("a"), later, 10);
        w.acknowledge(1, 1, AckType::Reject, 3, &mut letters);
        assert_eq!(letters[1], (1, 1, 1, Reason::Rejected));
    }

    #[test]
    fn expiry_releases_and_cap_bounds_the_window() {
        let mut w = Window::new(100);
        let now = Instant::now();
        assert_eq!(w.acquire(100, 104, &member("a"), now, 5).len(), 1);
        assert!(
            w.acquire(105, 109, &member("b"), now, 5).is_empty(),
            "cap of 5"
        );
        let mut letters = Letters::new();
        assert!(w.expire(now, 5, &mut letters));
        assert_eq!(w.next_available(100), 100);
        assert_eq!(
            w.acquire(100, 104, &member("b"), now, 5),
            vec![(100, 104, 2)]
        );
    }

    #[test]
    fn written_state_comes_back_without_the_locks() {
        let mut w = Window::new(0);
        let later = Instant::now() + Duration::from_secs(30);
        let mut letters = Letters::new();
        w.acquire(0, 29, &member("a"), later, 100);
        w.acknowledge(10, 19, AckType::Accept, 5, &mut letters);
        w.acknowledge(20, 24, AckType::Release, 5, &mut letters);
        let key = StateKey {
            group: "g".into(),
            topic_id: Uuid::from_u128(1),
            partition: 0,
        };
        let mut values = Vec::new();
        state_log::replay(w.next_record(&key), |_, v| values.push(v.unwrap()));
        let mut back = Window::new(0);
        back.lay(&values[0]);
        assert_eq!(back.start, 0);
        assert_eq!(back.next_available(0), 0, "0..9 were in flight");
        assert_eq!(back.next_available(10), 20, "10..19 accepted");
        assert_eq!(
            back.acquire(20, 24, &member("b"), later, 100),
            vec![(20, 24, 2)]
        );
        assert_eq!(
            back.acquire(25, 29, &member("b"), later, 100),
            vec![(25, 29, 1)]
        );
    }

    #[test]
    fn truncation_drops_what_the_log_lost() {
        let mut w = Window::new(0);
        let later = Instant::now() + Duration::from_secs(30);
        w.acquire(0, 9, &member("a"), later, 100);
        w.truncate_to(5);
        assert_eq!((w.start, w.end), (5, 10));
        assert!(w.held_by("a", 5, 9));
        w.truncate_to(50);
        assert_eq!((w.start, w.end), (50, 50));
        assert!(w.runs.is_empty());
    }
}
