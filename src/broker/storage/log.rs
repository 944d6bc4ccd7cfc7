//! `PartitionLog`: the ordered segments of one partition. It assigns offsets,
//! rolls segments, answers "where is offset N / timestamp T", and reopens
//! itself after a crash. Callers hold it behind a lock; the bytes of a read are
//! copied outside that lock through a [`ReadSlice`].

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::batch::{self, BatchHeader, LOG_OVERHEAD};
use super::cleaner::{self, CleanPlan, Cleaned};
use super::data_dir::{self, WriteHealth};
use super::producers::{self, Check, ProducerStates, ProducerView};
use super::segment::{file_name, AppendError, Check as SegmentCheck, Repair, Segment};
use super::txn::{self, AbortedTxn, Marker};
use super::{validate, StorageError};

/// What a partition log enforces, resolved from its topic's configs
/// (see `config`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogConfig {
    /// A segment rolls once appending would take it past this size.
    pub segment_bytes: u64,
    /// Bytes of log between sparse index entries.
    pub index_interval_bytes: u64,
    /// Largest batch accepted from a producer.
    pub max_message_bytes: usize,
    /// A non-empty active segment older than this rolls.
    pub segment_ms: i64,
    /// Segments whose newest record is older than this are deleted (-1: never).
    pub retention_ms: i64,
    /// Oldest segments are deleted while the log is larger than this (-1: no limit).
    pub retention_bytes: i64,
    /// cleanup.policy includes delete (retention applies).
    pub delete_policy: bool,
    /// cleanup.policy includes compact.
    pub compact_policy: bool,
    /// Tombstones older than this are dropped by compaction.
    pub delete_retention_ms: i64,
    /// Records younger than this are not compacted away.
    pub min_compaction_lag_ms: i64,
    /// message.timestamp.type=LogAppendTime.
    pub log_append_time: bool,
    /// message.timestamp.before.max.ms: how old a CreateTime may be.
    pub timestamp_before_max_ms: i64,
    /// message.timestamp.after.max.ms: how far ahead of the broker's clock.
    pub timestamp_after_max_ms: i64,
    /// producer.id.expiration.ms (a broker config): an idle producer's
    /// state is forgotten after this, unless its transaction is open.
    pub producer_id_expiration_ms: i64,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            segment_bytes: 1 << 30,
            index_interval_bytes: 4096,
            max_message_bytes: 1_048_588,
            segment_ms: 604_800_000,
            retention_ms: 604_800_000,
            retention_bytes: -1,
            delete_policy: true,
            compact_policy: false,
            delete_retention_ms: 86_400_000,
            min_compaction_lag_ms: 0,
            log_append_time: false,
            timestamp_before_max_ms: i64::MAX,
            timestamp_after_max_ms: 3_600_000,
            producer_id_expiration_ms: 86_400_000,
        }
    }
}

/// Where an append landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendInfo {
    pub base_offset: i64,
    pub last_offset: i64,
    /// The broker time stamped on the batches under LogAppendTime.
    pub log_append_time: Option<i64>,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Who is appending, as Kafka's `AppendOrigin`: what a client produces is
/// checked record by record; what the broker writes itself is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Client,
    Broker,
}

/// A repair made while opening, reported so the broker can log it.
#[derive(Debug, Clone)]
pub struct SegmentRepair {
    pub segment: PathBuf,
    pub repair: Repair,
}

pub struct PartitionLog {
    dir: PathBuf,
    config: LogConfig,
    /// Sorted by base offset; never empty, the last one is active.
    segments: Vec<Segment>,
    /// Idempotent and transactional producers' state, kept in `.snapshot`
    /// files (see `producers`).
    producers: ProducerStates,
    /// Offsets of the `.snapshot` files on disk, oldest first.
    snapshots: Vec<i64>,
    /// When the last snapshot was written (or the log opened).
    snapshot_ms: i64,
    /// Aborted transactions by the offset of their ABORT marker: the
    /// `.txnindex` files in memory.
    aborted: BTreeMap<i64, AbortedTxn>,
    /// A `.txnindex` append failed: the active segment's file is rewritten
    /// from memory before the next snapshot relies on it.
    txn_index_stale: bool,
    /// First offset a reader may see; moved by DeleteRecords (and retention),
    /// kept in `log-start-offset` when it lies inside the first segment.
    log_start_offset: i64,
    /// Offsets below this were covered by the last compaction pass.
    cleaned_upto: i64,
    /// Offsets below this are known to be on disk (fdatasync succeeded).
    recovery_point: i64,
    /// The recovery point last written to `recovery-point`, and when.
    saved_recovery_point: i64,
    saved_recovery_ms: i64,
    /// Set once an fsync (or the rollback of a failed write) fails: the
    /// page cache can no longer be trusted to match the files, so nothing
    /// is read or written until a restart recovers the log from disk.
    offline: Option<String>,
    /// The data directory's write health, shared with its other partitions.
    health: Arc<WriteHealth>,
}

/// Kafka keeps this in a broker-wide checkpoint; one small file per partition
/// needs no coordination between partitions.
const LOG_START_FILE: &str = "log-start-offset";

/// Kafka's `recovery-point-offset-checkpoint`, kept per partition for the
/// same reason as `log-start-offset`: it is written under the partition's
/// own lock and goes away with the partition's directory. It lags the
/// in-memory recovery point by up to `RECOVERY_POINT_INTERVAL_MS`, which
/// only means a crash re-checks a little more than it had to.
const RECOVERY_POINT_FILE: &str = "recovery-point";
const RECOVERY_POINT_INTERVAL_MS: i64 = 10_000;

/// A byte range of one segment file to hand to a fetch, read outside the lock.
pub struct ReadSlice {
    file: Arc<File>,
    position: u64,
    end: u64,
}

impl PartitionLog {
    /// Opens (or creates) the partition directory and checks every segment.
    pub fn open(
        dir: &Path,
        config: LogConfig,
    ) -> Result<(PartitionLog, Vec<SegmentRepair>), StorageError> {
        fs::create_dir_all(dir)?;
        cleaner::recover(dir)?;
        let mut bases: Vec<i64> = Vec::new();
        let mut snapshots: Vec<i64> = Vec::new();
        let mut txn_indexes: BTreeSet<i64> = BTreeSet::new();
        for entry in fs::read_dir(dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if let Some(stem) = name.strip_suffix(".log") {
                if let Ok(base) = stem.parse::<i64>() {
                    bases.push(base);
                }
            } else if let Some(stem) = name.strip_suffix(".txnindex") {
                if let Ok(base) = stem.parse::<i64>() {
                    txn_indexes.insert(base);
                }
            } else if let Some(offset) = producers::snapshot_offset(&name) {
                snapshots.push(offset);
            }
        }
        bases.sort_unstable();
        snapshots.sort_unstable();
        let data_dir = dir.parent().unwrap_or(dir);
        let clean = data_dir::was_shut_down_cleanly(data_dir);
        let stored_recovery_point: i64 = fs::read_to_string(dir.join(RECOVERY_POINT_FILE))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        // After an unclean shutdown, every segment that may hold offsets at
        // or past the recovery point is checked batch by batch (Kafka
        // recovers the same segments); the ones before it only at the tail.
        let first_unflushed = bases
            .iter()
            .rposition(|b| *b <= stored_recovery_point)
            .unwrap_or(0);
        let mut segments: Vec<Segment> = Vec::new();
        let mut repairs = Vec::new();
        let mut checked_fully = Vec::new();
        for (i, base) in bases.into_iter().enumerate() {
            let check = if clean || i < first_unflushed {
                SegmentCheck::Tail
            } else {
                SegmentCheck::Full
            };
            let (segment, repair) = Segment::open(dir, base, config.index_interval_bytes, check)?;
            if check == SegmentCheck::Full {
                checked_fully.push(segments.len());
            }
            if !repair.is_empty() {
                repairs.push(SegmentRepair {
                    segment: segment.log_path().to_path_buf(),
                    repair,
                });
            }
            segments.push(segment);
        }
        // A segment cut back to nothing in the middle is harmless, but an empty
        // log needs its first segment.
        if segments.is_empty() {
            segments.push(Segment::create(dir, 0)?);
        }
        // What survived the check is made durable now, so the recovery point
        // can move to the end and the next crash need not check it again.
        for i in checked_fully {
            segments[i].sync()?;
        }
        if let Some(active) = segments.last_mut() {
            active.pin()?;
        }
        let stored: Option<i64> = fs::read_to_string(dir.join(LOG_START_FILE))
            .ok()
            .and_then(|s| s.trim().parse().ok());
        let end = segments.last().map_or(0, |s| s.next_offset());
        let log_start_offset = stored.unwrap_or(0).max(segments[0].base_offset).min(end);
        let mut log = PartitionLog {
            dir: dir.to_path_buf(),
            config,
            segments,
            producers: ProducerStates::default(),
            snapshots: Vec::new(),
            snapshot_ms: now_ms(),
            aborted: BTreeMap::new(),
            txn_index_stale: false,
            log_start_offset,
            cleaned_upto: 0,
            recovery_point: end,
            saved_recovery_point: stored_recovery_point,
            saved_recovery_ms: 0,
            offline: None,
            health: WriteHealth::of(data_dir),
        };
        log.load_producer_state(snapshots, &txn_indexes)?;
        // Not fatal: a full disk must not keep the broker from starting, and
        // the old checkpoint only means more checking after another crash.
        let _ = log.save_recovery_point();
        Ok((log, repairs))
    }

    pub fn set_config(&mut self, config: LogConfig) {
        self.config = config;
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn active(&self) -> &Segment {
        self.segments.last().expect("a log always has a segment")
    }

    /// The offset the next record will get (Kafka's log end offset).
    pub fn log_end_offset(&self) -> i64 {
        self.active().next_offset()
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    /// Bytes of record batches in the segment files, which is what Kafka
    /// reports as a partition's size (DescribeLogDirs): the indexes and the
    /// log start checkpoint are not counted.
    pub fn size_bytes(&self) -> u64 {
        self.segments.iter().map(|s| s.size()).sum()
    }

    /// Makes `offset` the new log start (DeleteRecords): records before it
    /// are no longer served, and segments wholly before it are removed.
    /// Returns the log start offset after the call.
    pub fn delete_records_before(&mut self, offset: i64) -> Result<i64, StorageError> {
        self.check_online()?;
        let end = self.log_end_offset();
        if offset > end || offset < 0 {
            return Err(StorageError::OffsetOutOfRange {
                offset,
                start: self.log_start_offset,
                end,
            });
        }
        if offset <= self.log_start_offset {
            return Ok(self.log_start_offset);
        }
        // The file first: after a crash the start may only be later than
        // the segments say, never earlier than what a client was told.
        let tmp = self.dir.join(format!("{LOG_START_FILE}.tmp"));
        {
            let mut f = File::create(&tmp)?;
            std::io::Write::write_all(&mut f, offset.to_string().as_bytes())?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.dir.join(LOG_START_FILE))?;
        self.log_start_offset = offset;
        while self.segments.len() > 1 && self.segments[1].base_offset <= offset {
            let old = self.segments.remove(0);
            let path = old.log_path().to_path_buf();
            if let Err(e) = old.delete() {
                tracing::warn!(segment = %path.display(), error = %e, "could not remove a deleted segment");
            }
        }
        self.forget_aborted_before(self.segments[0].base_offset);
        Ok(offset)
    }

    /// The active segment's file, for the flusher.
    pub fn active_file(&self) -> Arc<File> {
        self.active()
            .pinned_file()
            .expect("the active segment is pinned: by create, by open, and at every roll")
            .clone()
    }

    /// Validates every batch in `records`, then assigns offsets and appends them
    /// all. Nothing is written unless the whole set is valid, and a write that
    /// fails part-way is rolled back: the log keeps all of them or none.
    pub fn append(&mut self, records: &[u8], origin: Origin) -> Result<AppendInfo, StorageError> {
        self.check_online()?;
        let batches = batch::validate_all(records)?;
        for (h, _) in &batches {
            if h.total_len() > self.config.max_message_bytes {
                return Err(StorageError::MessageTooLarge {
                    size: h.total_len(),
                    max: self.config.max_message_bytes,
                });
            }
        }
        // The max timestamp the records carry, where the header says otherwise.
        let mut max_timestamp_fix = None;
        if origin == Origin::Client {
            let [(h, range)] = &batches[..] else {
                return Err(validate::Invalid::Batch(format!(
                    "a produce request must carry exactly one record batch per partition, not {}",
                    batches.len()
                ))
                .into());
            };
            let rules = validate::Rules {
                compacted: self.config.compact_policy,
                log_append_time: self.config.log_append_time,
                timestamp_before_max_ms: self.config.timestamp_before_max_ms,
                timestamp_after_max_ms: self.config.timestamp_after_max_ms,
                now_ms: now_ms(),
            };
            let checked = validate::check_batch(h, &records[range.clone()], &rules)?;
            if checked.max_timestamp != h.max_timestamp && !self.config.log_append_time {
                max_timestamp_fix = Some(checked.max_timestamp);
            }
        }
        let mut checks = Vec::with_capacity(batches.len());
        for (h, _) in &batches {
            checks.push(match origin {
                Origin::Client => self.producers.check(h)?,
                Origin::Broker => {
                    self.producers.check_broker(h)?;
                    Check::Append
                }
            });
        }
        let append_time = self.config.log_append_time.then(now_ms);
        let (base_offset, last_offset, written) =
            self.write_batches(records, &batches, &checks, append_time, max_timestamp_fix)?;
        // Producer state moves only once every batch is in the log, so a
        // retry of a request that failed is not taken for a duplicate.
        for h in &written {
            self.producers.record(h, h.base_offset);
        }
        self.health.write_succeeded();
        Ok(AppendInfo {
            base_offset,
            last_offset,
            log_append_time: append_time,
        })
    }

    /// Writes the batches that are not duplicates, rolling segments as
    /// needed, and returns the first and last offsets to answer with and
    /// the headers as written. A failed write is rolled back (or takes the
    /// log offline) before the error is returned.
    fn write_batches(
        &mut self,
        records: &[u8],
        batches: &[(BatchHeader, std::ops::Range<usize>)],
        checks: &[Check],
        append_time: Option<i64>,
        max_timestamp_fix: Option<i64>,
    ) -> Result<(i64, i64, Vec<BatchHeader>), StorageError> {
        let mut base_offset = self.log_end_offset();
        let mut last_offset = base_offset - 1;
        let mut header = [0u8; batch::HEADER_LEN];
        // Where to put the log back to if any write of this request fails.
        let undo = (self.segments.len(), self.active().mark());
        let mut written = Vec::with_capacity(batches.len());
        for (i, ((h, range), check)) in batches.iter().zip(checks.iter().copied()).enumerate() {
            if let Check::Duplicate {
                base_offset: b,
                last_offset: l,
            } = check
            {
                if i == 0 {
                    base_offset = b;
                }
                last_offset = l;
                continue;
            }
            let next = self.log_end_offset();
            let size = range.len() as u64;
            if self.active().size() > 0 && self.active().size() + size > self.config.segment_bytes {
                if let Err(e) = self.roll(next, written.is_empty()) {
                    self.undo_append(undo);
                    return Err(e);
                }
            }
            let bytes = &records[range.clone()];
            header.copy_from_slice(&bytes[..batch::HEADER_LEN]);
            batch::assign_offset(&mut header, next);
            let mut assigned = BatchHeader {
                base_offset: next,
                ..*h
            };
            if let Some(t) = append_time {
                batch::stamp_log_append_time(&mut header, &bytes[batch::HEADER_LEN..], t);
                assigned.max_timestamp = t;
            } else if let Some(t) = max_timestamp_fix {
                // As Kafka does: the header's max timestamp is the records' own,
                // since retention and the time index trust it.
                batch::set_max_timestamp(&mut header, &bytes[batch::HEADER_LEN..], t);
                assigned.max_timestamp = t;
            }
            let interval = self.config.index_interval_bytes;
            let segment = self
                .segments
                .last_mut()
                .expect("a log always has a segment");
            let path = segment.log_path().to_path_buf();
            match segment.append(&assigned, &header, &bytes[batch::HEADER_LEN..], interval) {
                Ok(()) => {}
                Err(AppendError::RolledBack(source)) => {
                    self.undo_append(undo);
                    self.health.write_failed(&path, &source);
                    return Err(StorageError::WriteFailed { path, source });
                }
                Err(AppendError::Unrecoverable { error, rollback }) => {
                    self.health.write_failed(&path, &error);
                    let e = self.take_offline(format!(
                        "writing {} failed ({error}) and cutting the write back failed too ({rollback})",
                        path.display()
                    ));
                    return Err(e);
                }
            }
            written.push(assigned);
            last_offset = assigned.last_offset();
        }
        Ok((base_offset, last_offset, written))
    }

    /// The non-active segments a compaction pass should rewrite, when the
    /// topic is compacted and segments were sealed since the last pass.
    pub fn clean_plan(&self) -> Option<CleanPlan> {
        if !self.config.compact_policy || self.segments.len() < 2 || self.offline.is_some() {
            return None;
        }
        // Only segments wholly below the last stable offset: records of a
        // transaction still open are neither compacted nor dropped.
        let lso = self.last_stable_offset();
        let count = self.segments[..self.segments.len() - 1]
            .iter()
            .take_while(|s| s.next_offset() <= lso)
            .count();
        if count == 0 {
            return None;
        }
        let end = self.segments[count].base_offset;
        if end <= self.cleaned_upto {
            return None;
        }
        Some(CleanPlan {
            dir: self.dir.clone(),
            segments: self.segments[..count]
                .iter()
                .map(|s| (s.base_offset, s.cached_log(), s.size()))
                .collect(),
            config: self.config,
            end,
            aborted: self
                .aborted
                .values()
                .filter(|a| a.first_offset < end)
                .copied()
                .collect(),
        })
    }

    /// Swaps cleaned copies in for their segments. A segment removed
    /// meanwhile (retention, DeleteRecords) just drops its copy.
    pub fn install_cleaned(&mut self, end: i64, cleaned: Vec<Cleaned>) -> Result<(), StorageError> {
        let last = self.segments.len() - 1;
        for c in cleaned {
            let Some(i) = self.segments[..last]
                .iter()
                .position(|s| s.base_offset == c.base_offset)
            else {
                fs::remove_file(&c.swap)?;
                continue;
            };
            let log_path = self.segments[i].log_path().to_path_buf();
            // Remove the old files, then move the copy into place; `open`
            // finishes the same steps after a crash.
            for ext in ["index", "timeindex"] {
                let _ = fs::remove_file(log_path.with_extension(ext));
            }
            fs::remove_file(&log_path)?;
            fs::rename(&c.swap, &log_path)?;
            let (segment, _) = Segment::open(
                &self.dir,
                c.base_offset,
                self.config.index_interval_bytes,
                SegmentCheck::Tail,
            )?;
            self.segments[i] = segment;
        }
        File::open(&self.dir)?.sync_all()?;
        self.cleaned_upto = end;
        Ok(())
    }

    /// Rolls an old active segment (segment.ms) and, under the delete
    /// policy, removes whole segments past retention.ms or beyond
    /// retention.bytes, moving the log start offset. The active segment is
    /// never removed. Returns the files removed.
    pub fn enforce_retention(&mut self, now_ms: i64) -> Result<Vec<PathBuf>, StorageError> {
        if self.offline.is_some() {
            return Ok(Vec::new());
        }
        // This runs once a second for every partition, which makes it the
        // place to checkpoint the recovery point now and then (as Kafka's
        // log.flush.offset.checkpoint.interval.ms does).
        if now_ms.saturating_sub(self.saved_recovery_ms) >= RECOVERY_POINT_INTERVAL_MS {
            // A failure is logged by the write health and retried next time.
            let _ = self.save_recovery_point();
        }
        if self.active().size() > 0
            && now_ms.saturating_sub(self.active().created_ms()) >= self.config.segment_ms
        {
            let next = self.log_end_offset();
            self.roll(next, true)?;
        }
        let mut removed = Vec::new();
        if !self.config.delete_policy {
            self.maintain_producers(now_ms);
            return Ok(removed);
        }
        let mut total: u64 = self.segments.iter().map(|s| s.size()).sum();
        while self.segments.len() > 1 {
            let first = &self.segments[0];
            let too_old = self.config.retention_ms >= 0
                && first.max_timestamp() >= 0
                && now_ms.saturating_sub(first.max_timestamp()) > self.config.retention_ms;
            let too_big = self.config.retention_bytes >= 0
                && total - first.size() >= self.config.retention_bytes as u64;
            if !(too_old || too_big || first.size() == 0) {
                break;
            }
            let old = self.segments.remove(0);
            total -= old.size();
            removed.push(old.log_path().to_path_buf());
            old.delete()?;
        }
        self.log_start_offset = self.log_start_offset.max(self.segments[0].base_offset);
        self.forget_aborted_before(self.segments[0].base_offset);
        self.maintain_producers(now_ms);
        Ok(removed)
    }

    /// Starts a new segment at `next_offset`, syncing the one left behind so that
    /// the flusher only ever needs to sync the active segment.
    /// `snapshot`: the producer state matches the log end, so a snapshot
    /// can be taken at the new segment's base, as Kafka does at each roll.
    fn roll(&mut self, next_offset: i64, snapshot: bool) -> Result<(), StorageError> {
        if let Err(e) = self.active().sync() {
            return Err(self.sync_failed(&e));
        }
        self.recovery_point = self.recovery_point.max(self.log_end_offset());
        if snapshot {
            if let Err(e) = self.take_snapshot() {
                tracing::warn!(partition = %self.dir.display(), error = %e, "could not write a producer snapshot");
            }
        }
        let next = match Segment::create(&self.dir, next_offset) {
            Ok(segment) => segment,
            Err(source) => {
                let path = self.dir.join(super::segment::file_name(next_offset, "log"));
                self.health.write_failed(&path, &source);
                return Err(StorageError::WriteFailed { path, source });
            }
        };
        if let Some(old) = self.segments.last_mut() {
            old.seal();
        }
        self.segments.push(next);
        // Every segment has a transaction index, so that open can tell a
        // lost one from one with nothing in it. A failure only means a
        // full scan at the next start.
        let _ = txn::sync_index(&self.txn_index_path(next_offset));
        // Rolls are rare, so the checkpoint follows each one at once; failing
        // to save it is safe (see `save_recovery_point`).
        let _ = self.save_recovery_point();
        Ok(())
    }

    /// Puts the log back to where `append` found it: segments rolled during
    /// the request are removed and the old active segment is cut back. If
    /// that fails the files no longer match memory, and the log goes offline.
    fn undo_append(&mut self, (segments, mark): (usize, super::segment::Mark)) {
        let mut failed = None;
        while self.segments.len() > segments {
            let segment = self.segments.pop().expect("more segments than before");
            let path = segment.log_path().to_path_buf();
            if let Err(e) = segment.delete() {
                failed = Some(format!("removing {} failed ({e})", path.display()));
            }
        }
        let active = self
            .segments
            .last_mut()
            .expect("a log always has a segment");
        // A roll during the request sealed it; it is the active one again.
        if let Err(e) = active.pin() {
            failed = Some(format!(
                "reopening {} as the active segment failed ({e})",
                active.log_path().display()
            ));
        }
        if let Err(e) = active.rollback(mark) {
            failed = Some(format!(
                "cutting a failed write back off {} failed ({e})",
                active.log_path().display()
            ));
        }
        if let Some(reason) = failed {
            self.take_offline(reason);
        }
        let end = self.log_end_offset();
        self.drop_snapshots_past(end);
    }

    /// Fails with `Offline` once the log has been taken offline.
    fn check_online(&self) -> Result<(), StorageError> {
        match &self.offline {
            None => Ok(()),
            Some(reason) => Err(StorageError::Offline {
                dir: self.dir.clone(),
                reason: reason.clone(),
            }),
        }
    }

    /// True once an fsync or a rollback failed; a restart recovers it.
    pub fn is_offline(&self) -> bool {
        self.offline.is_some()
    }

    /// Takes the log offline for good (until a restart), logging why once,
    /// and returns the error to answer with.
    pub fn take_offline(&mut self, reason: String) -> StorageError {
        if self.offline.is_none() {
            tracing::error!(
                partition = %self.dir.display(),
                %reason,
                "partition taken offline: produce and fetch answer KAFKA_STORAGE_ERROR until \
                 dq serve is restarted, which recovers the log from what is on disk"
            );
            self.offline = Some(reason);
        }
        self.check_online().expect_err("just taken offline")
    }

    /// An fdatasync of this log failed. Retrying it could succeed while the
    /// data it failed to write is gone from the page cache (PostgreSQL's
    /// "fsyncgate"), so the log is taken offline instead.
    pub fn sync_failed(&mut self, error: &std::io::Error) -> StorageError {
        self.take_offline(format!("fdatasync failed ({error})"))
    }

    /// Records that every offset below `offset` is on disk (an fdatasync
    /// covering it succeeded).
    pub fn mark_flushed(&mut self, offset: i64) {
        self.recovery_point = self.recovery_point.max(offset.min(self.log_end_offset()));
    }

    /// Syncs the active segment (a clean shutdown) and moves the recovery
    /// point to the end of the log.
    pub fn flush(&mut self) -> Result<(), StorageError> {
        self.check_online()?;
        if let Err(e) = self.active().sync() {
            return Err(self.sync_failed(&e));
        }
        self.recovery_point = self.log_end_offset();
        // A restart then starts from this snapshot and scans nothing.
        if self.producers.is_dirty() || self.snapshots.last() != Some(&self.log_end_offset()) {
            self.take_snapshot()?;
        }
        self.save_recovery_point()
    }

    /// Writes the recovery point to its file when it moved. The file is
    /// replaced through a rename, so a crash leaves the old value or the
    /// new one, and either is safe: a lower one only means more checking.
    /// A failure counts as a failing write of the data directory (logged
    /// once per episode) and leaves the old file in place.
    pub fn save_recovery_point(&mut self) -> Result<(), StorageError> {
        if self.recovery_point == self.saved_recovery_point {
            return Ok(());
        }
        self.saved_recovery_ms = now_ms();
        let tmp = self.dir.join(format!("{RECOVERY_POINT_FILE}.tmp"));
        let written = write_replacing(
            &tmp,
            &self.dir.join(RECOVERY_POINT_FILE),
            self.recovery_point.to_string().as_bytes(),
        );
        if let Err(source) = written {
            let _ = fs::remove_file(&tmp);
            self.health.write_failed(&tmp, &source);
            return Err(StorageError::WriteFailed { path: tmp, source });
        }
        self.saved_recovery_point = self.recovery_point;
        Ok(())
    }

    /// The recovery point: offsets below it are known to be on disk.
    pub fn recovery_point(&self) -> i64 {
        self.recovery_point
    }

    /// The bytes to return for a fetch at `offset`: whole batches starting with
    /// the one that contains `offset`, from one segment.
    pub fn read(&self, offset: i64) -> Result<Option<ReadSlice>, StorageError> {
        self.read_upto(offset, self.log_end_offset())
    }

    /// As `read`, but only batches below the last stable offset: what a
    /// read_committed fetch returns.
    pub fn read_committed(&self, offset: i64) -> Result<Option<ReadSlice>, StorageError> {
        self.read_upto(offset, self.last_stable_offset())
    }

    /// Whole batches from the one containing `offset`, ending before
    /// `upto`, which lies on a batch boundary (the log end or the LSO).
    fn read_upto(&self, offset: i64, upto: i64) -> Result<Option<ReadSlice>, StorageError> {
        self.check_online()?;
        let (start, end) = (self.log_start_offset(), self.log_end_offset());
        if offset < start || offset > end {
            return Err(StorageError::OffsetOutOfRange { offset, start, end });
        }
        if offset >= upto {
            return Ok(None);
        }
        let i = self
            .segments
            .partition_point(|s| s.base_offset <= offset)
            .max(1)
            - 1;
        for segment in &self.segments[i..] {
            if let Some(position) = segment.position_of(offset)? {
                let end = if upto < segment.next_offset() {
                    segment.position_of(upto)?.unwrap_or(segment.size())
                } else {
                    segment.size()
                };
                return Ok(Some(ReadSlice {
                    file: segment.log_file()?,
                    position,
                    end,
                }));
            }
        }
        Ok(None)
    }

    /// The first batch whose max timestamp is at least `timestamp`, as raw
    /// bytes; the caller finds the exact record inside it.
    pub fn batch_for_timestamp(&self, timestamp: i64) -> Result<Option<Bytes>, StorageError> {
        self.check_online()?;
        for segment in &self.segments {
            if let Some((position, h)) = segment.position_of_timestamp(timestamp)? {
                let mut buf = vec![0u8; h.total_len()];
                segment.log_file()?.read_exact_at(&mut buf, position)?;
                return Ok(Some(Bytes::from(buf)));
            }
        }
        Ok(None)
    }

    /// The largest timestamp in the log and the last offset of the batch that
    /// carries it (ListOffsets' MAX_TIMESTAMP).
    pub fn max_timestamp(&self) -> Option<i64> {
        self.segments
            .iter()
            .map(|s| s.max_timestamp())
            .max()
            .filter(|t| *t >= 0)
    }
}

/// `.snapshot` files kept per partition (Kafka keeps a few as well; the
/// older one is there in case the newest is lost to a crash).
const SNAPSHOTS_KEPT: usize = 2;

/// How often a partition whose producers changed takes a snapshot, so a
/// restart after a crash scans at most this much of the log's headers.
const SNAPSHOT_INTERVAL_MS: i64 = 30_000;

/// Transactions and producer state.
impl PartitionLog {
    /// Writes an end-transaction marker (COMMIT or ABORT) for `producer_id`
    /// and ends its open transaction here. A fenced producer epoch or an
    /// older coordinator epoch is refused. An ABORT of a transaction that
    /// wrote here goes into the segment's `.txnindex`.
    pub fn append_marker(
        &mut self,
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
        coordinator_epoch: i32,
    ) -> Result<AppendInfo, StorageError> {
        self.check_online()?;
        self.producers
            .check_marker(producer_id, producer_epoch, coordinator_epoch)?;
        let now = now_ms();
        let marker = Marker {
            commit,
            coordinator_epoch,
        };
        let bytes = txn::encode_marker(producer_id, producer_epoch, marker, now);
        let h = batch::validate(&bytes)?;
        let batches = [(h, 0..bytes.len())];
        let (base_offset, last_offset, _) =
            self.write_batches(&bytes, &batches, &[Check::Append], None, None)?;
        let completed = self.producers.end_txn(
            producer_id,
            producer_epoch,
            coordinator_epoch,
            base_offset,
            now,
        );
        if let (Some(done), false) = (completed, commit) {
            let entry = AbortedTxn {
                producer_id,
                first_offset: done.first_offset,
                last_offset: done.last_offset,
                last_stable_offset: self.producers.stable_after(&done),
            };
            self.aborted.insert(entry.last_offset, entry);
            let path = self.txn_index_path(self.active().base_offset);
            if let Err(e) = txn::append_index(&path, entry) {
                // The entry is in memory; the file is rewritten from it
                // before a snapshot relies on it.
                tracing::warn!(file = %path.display(), error = %e, "could not append to a transaction index");
                self.txn_index_stale = true;
            }
        }
        self.health.write_succeeded();
        Ok(AppendInfo {
            base_offset,
            last_offset,
            log_append_time: None,
        })
    }

    /// Offsets below this are stable (no open transaction reaches below
    /// it): what a read_committed consumer may see.
    pub fn last_stable_offset(&self) -> i64 {
        self.producers.last_stable_offset(self.log_end_offset())
    }

    /// The aborted transactions a read_committed fetch of `from..to` must
    /// be told about, as (producer id, first offset): those that end at or
    /// after `from` and start before `to` (Kafka's `collectAbortedTxns`).
    pub fn aborted_transactions(&self, from: i64, to: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        for entry in self.aborted.range(from..).map(|(_, e)| e) {
            if entry.first_offset < to {
                out.push((entry.producer_id, entry.first_offset));
            }
            // Every later abort ended once the LSO had passed `to`, so
            // none of them started before it.
            if entry.last_stable_offset >= to {
                break;
            }
        }
        out
    }

    /// Every producer with state on this partition (DescribeProducers).
    pub fn producers(&self) -> Vec<ProducerView> {
        self.producers.views()
    }

    /// The open transactions on this partition as (producer id, first offset).
    pub fn open_transactions(&self) -> Vec<(i64, i64)> {
        self.producers.open_transactions()
    }

    fn txn_index_path(&self, base_offset: i64) -> PathBuf {
        self.dir.join(file_name(base_offset, "txnindex"))
    }

    /// The aborted transactions whose marker lies in the segment at
    /// `index` of `segments`.
    fn aborted_in_segment(&self, index: usize) -> Vec<AbortedTxn> {
        let from = self.segments[index].base_offset;
        let to = self
            .segments
            .get(index + 1)
            .map_or(i64::MAX, |s| s.base_offset);
        self.aborted.range(from..to).map(|(_, e)| *e).collect()
    }

    /// Writes a producer snapshot at the log end, after making the
    /// transaction index it relies on durable, and removes all but the
    /// newest snapshots.
    pub fn take_snapshot(&mut self) -> Result<(), StorageError> {
        self.check_online()?;
        let end = self.log_end_offset();
        let active = self.segments.len() - 1;
        let index_path = self.txn_index_path(self.active().base_offset);
        let synced = if self.txn_index_stale {
            txn::write_index(&index_path, &self.aborted_in_segment(active))
        } else {
            txn::sync_index(&index_path)
        };
        synced.map_err(|source| StorageError::WriteFailed {
            path: index_path,
            source,
        })?;
        self.txn_index_stale = false;
        let path = self.dir.join(producers::snapshot_name(end));
        if let Err(source) = self.producers.write_snapshot(&self.dir, end) {
            self.health.write_failed(&path, &source);
            return Err(StorageError::WriteFailed { path, source });
        }
        self.snapshot_ms = now_ms();
        self.snapshots.retain(|o| *o != end);
        self.snapshots.push(end);
        while self.snapshots.len() > SNAPSHOTS_KEPT {
            let old = self.snapshots.remove(0);
            let _ = fs::remove_file(self.dir.join(producers::snapshot_name(old)));
        }
        Ok(())
    }

    /// Snapshots producers changed since the last snapshot, at most every
    /// `SNAPSHOT_INTERVAL_MS`, and forgets idle producers
    /// (producer.id.expiration.ms). Called from retention's periodic pass.
    fn maintain_producers(&mut self, now_ms: i64) {
        if now_ms.saturating_sub(self.snapshot_ms) < SNAPSHOT_INTERVAL_MS {
            return;
        }
        let expired = self
            .producers
            .expire(now_ms, self.config.producer_id_expiration_ms);
        if expired > 0 {
            tracing::debug!(partition = %self.dir.display(), expired, "expired idle producers");
        }
        if self.producers.is_dirty() {
            if let Err(e) = self.take_snapshot() {
                tracing::warn!(partition = %self.dir.display(), error = %e, "could not write a producer snapshot");
            }
        }
        self.snapshot_ms = now_ms;
    }

    /// Removes snapshots past the log end (left by a write that was cut
    /// back, or a crash that lost the tail they describe).
    fn drop_snapshots_past(&mut self, end: i64) {
        let dir = self.dir.clone();
        self.snapshots.retain(|o| {
            if *o > end {
                let _ = fs::remove_file(dir.join(producers::snapshot_name(*o)));
                false
            } else {
                true
            }
        });
    }

    /// Rebuilds producer state and the aborted-transaction index at open:
    /// the newest readable snapshot at or below the log end, the
    /// `.txnindex` entries before it, then a scan of the batch headers
    /// written after it. A segment missing its `.txnindex` (written by an
    /// older dq, or lost) makes the whole log be scanned instead, since the
    /// first offset of an aborted transaction may lie in an earlier segment.
    fn load_producer_state(
        &mut self,
        mut snapshots: Vec<i64>,
        txn_indexes: &BTreeSet<i64>,
    ) -> Result<(), StorageError> {
        let end = self.log_end_offset();
        let start = self.segments[0].base_offset;
        for stale in snapshots.iter().filter(|o| **o > end) {
            let _ = fs::remove_file(self.dir.join(producers::snapshot_name(*stale)));
        }
        snapshots.retain(|o| *o <= end);
        let complete = self
            .segments
            .iter()
            .all(|s| s.size() == 0 || txn_indexes.contains(&s.base_offset));
        let mut from = start;
        let mut states = ProducerStates::default();
        if complete {
            while let Some(offset) = snapshots.last().copied() {
                let path = self.dir.join(producers::snapshot_name(offset));
                let loaded = fs::read(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|b| ProducerStates::from_snapshot(&b));
                match loaded {
                    Ok(s) => {
                        states = s;
                        from = offset.max(start);
                        break;
                    }
                    Err(reason) => {
                        tracing::warn!(file = %path.display(), %reason, "ignoring an unreadable producer snapshot");
                        let _ = fs::remove_file(&path);
                        snapshots.pop();
                    }
                }
            }
        }
        // What the index files say, before the scan re-derives what comes
        // after the snapshot.
        let mut on_disk: Vec<Option<Vec<AbortedTxn>>> = Vec::with_capacity(self.segments.len());
        for s in &self.segments {
            let path = self.txn_index_path(s.base_offset);
            let entries = if txn_indexes.contains(&s.base_offset) {
                match txn::read_index(&path) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        tracing::warn!(file = %path.display(), error = %e, "rebuilding an unreadable transaction index");
                        None
                    }
                }
            } else {
                None
            };
            if complete {
                for e in entries.iter().flatten() {
                    if e.last_offset < from {
                        self.aborted.insert(e.last_offset, *e);
                    }
                }
            }
            on_disk.push(entries);
        }
        self.producers = states;
        let scanned = self.replay_from(from)?;
        // Index files that differ from what memory now holds are rewritten.
        for (i, disk) in on_disk.iter().enumerate() {
            let want = self.aborted_in_segment(i);
            if disk.as_ref() != Some(&want) {
                let path = self.txn_index_path(self.segments[i].base_offset);
                txn::write_index(&path, &want)
                    .map_err(|source| StorageError::WriteFailed { path, source })?;
            }
        }
        self.snapshots = snapshots;
        if scanned > 0 {
            // So that another crash need not scan the same headers again.
            // Not fatal: the scan is only repeated.
            if let Err(e) = self.take_snapshot() {
                tracing::warn!(partition = %self.dir.display(), error = %e, "could not write a producer snapshot");
            }
        }
        Ok(())
    }

    /// Applies the batch headers from `from` to the log end to the producer
    /// state: data batches as appends, markers as transaction ends (aborts
    /// into the index). Only headers are read, plus the one record of each
    /// control batch. Returns the number of batches applied.
    fn replay_from(&mut self, from: i64) -> Result<usize, StorageError> {
        let mut applied = 0;
        let first = self
            .segments
            .partition_point(|s| s.base_offset <= from)
            .max(1)
            - 1;
        for i in first..self.segments.len() {
            let segment = &self.segments[i];
            let file = segment.log_file()?;
            let size = segment.size();
            let mut position = match segment.position_of(from)? {
                Some(p) if i == first => p,
                Some(_) => 0,
                None => continue,
            };
            let mut head = [0u8; batch::HEADER_LEN];
            while position + batch::HEADER_LEN as u64 <= size {
                file.read_exact_at(&mut head, position)?;
                let Some(h) = BatchHeader::parse(&head) else {
                    break;
                };
                let len = h.total_len() as u64;
                if h.last_offset() >= from && h.producer_id >= 0 {
                    if h.is_control() {
                        // Control batches are small; a bogus length is cut
                        // to what the segment holds.
                        let n = len.min(size - position) as usize;
                        let mut bytes = vec![0u8; n];
                        file.read_exact_at(&mut bytes, position)?;
                        if let Some(m) = txn::parse_marker(&h, &bytes) {
                            self.apply_marker(&h, m);
                        }
                    } else {
                        self.producers.record(&h, h.base_offset);
                    }
                    applied += 1;
                }
                position += len.max(1);
            }
        }
        Ok(applied)
    }

    fn apply_marker(&mut self, h: &BatchHeader, m: Marker) {
        let completed = self.producers.end_txn(
            h.producer_id,
            h.producer_epoch,
            m.coordinator_epoch,
            h.base_offset,
            h.max_timestamp,
        );
        if let (Some(done), false) = (completed, m.commit) {
            let entry = AbortedTxn {
                producer_id: done.producer_id,
                first_offset: done.first_offset,
                last_offset: done.last_offset,
                last_stable_offset: self.producers.stable_after(&done),
            };
            self.aborted.insert(entry.last_offset, entry);
        }
    }

    /// Forgets the aborted transactions whose markers were in segments
    /// now removed.
    fn forget_aborted_before(&mut self, offset: i64) {
        self.aborted = self.aborted.split_off(&offset);
    }
}

/// Writes `bytes` to `tmp`, syncs it, and renames it over `path`.
fn write_replacing(tmp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = File::create(tmp)?;
    std::io::Write::write_all(&mut f, bytes)?;
    f.sync_all()?;
    fs::rename(tmp, path)
}

impl ReadSlice {
    /// Copies whole batches, at most `max_bytes` of them, except that the first
    /// batch is always returned whole when `at_least_one` (KIP-74), so a batch
    /// larger than the fetch size can never stall a consumer.
    pub fn read(&self, max_bytes: usize, at_least_one: bool) -> Result<Bytes, StorageError> {
        let available = (self.end - self.position) as usize;
        let mut want = available.min(max_bytes);
        if at_least_one {
            let mut head = [0u8; LOG_OVERHEAD];
            if available >= LOG_OVERHEAD {
                self.file.read_exact_at(&mut head, self.position)?;
                let first = LOG_OVERHEAD
                    + i32::from_be_bytes(head[8..12].try_into().unwrap()).max(0) as usize;
                want = want.max(first.min(available));
            }
        }
        let mut buf = BytesMut::zeroed(want);
        self.file.read_exact_at(&mut buf, self.position)?;
        // Trim to whole batches.
        let mut end = 0;
        while end + LOG_OVERHEAD <= buf.len() {
            let len =
                i32::from_be_bytes(buf[end + 8..end + 12].try_into().unwrap()).max(0) as usize;
            if end + LOG_OVERHEAD + len > buf.len() {
                break;
            }
            end += LOG_OVERHEAD + len;
        }
        buf.truncate(end);
        Ok(buf.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::storage::batch::tests::batch as plain_batch;

    /// A batch of `n` records from producer `pid`, rewritten in place.
    fn producer_batch(pid: i64, epoch: i16, seq: i32, n: usize, transactional: bool) -> Vec<u8> {
        let mut b = plain_batch(n, now_ms());
        let attributes = i16::from_be_bytes([b[21], b[22]]) | if transactional { 0x10 } else { 0 };
        b[21..23].copy_from_slice(&attributes.to_be_bytes());
        b[43..51].copy_from_slice(&pid.to_be_bytes());
        b[51..53].copy_from_slice(&epoch.to_be_bytes());
        b[53..57].copy_from_slice(&seq.to_be_bytes());
        let crc = batch::crc_of(&b).unwrap();
        b[17..21].copy_from_slice(&crc.to_be_bytes());
        b
    }

    fn open(dir: &Path) -> PartitionLog {
        PartitionLog::open(dir, LogConfig::default()).unwrap().0
    }

    fn crash(log: PartitionLog) {
        // Dropped without a flush: no shutdown snapshot, no clean marker.
        drop(log);
    }

    #[test]
    fn duplicates_gaps_and_fencing_survive_a_crash() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("t-0");
        let mut log = open(&dir);
        let first = producer_batch(7, 0, 0, 3, false);
        assert_eq!(log.append(&first, Origin::Client).unwrap().base_offset, 0);
        for i in 1..7 {
            log.append(&producer_batch(7, 0, i * 3, 3, false), Origin::Client)
                .unwrap();
        }
        crash(log);
        let mut log = open(&dir);
        // The last five batches are still recognised, from the headers alone.
        let retry = log
            .append(&producer_batch(7, 0, 18, 3, false), Origin::Client)
            .unwrap();
        assert_eq!((retry.base_offset, retry.last_offset), (18, 20));
        assert_eq!(log.log_end_offset(), 21);
        assert!(matches!(
            log.append(&producer_batch(7, 0, 30, 1, false), Origin::Client),
            Err(StorageError::OutOfOrderSequence { expected: 21, .. })
        ));
        log.append(&producer_batch(7, 1, 0, 1, false), Origin::Client)
            .unwrap();
        assert!(matches!(
            log.append(&producer_batch(7, 0, 21, 1, false), Origin::Client),
            Err(StorageError::ProducerFenced { .. })
        ));
        // Through a snapshot too: one at the clean shutdown, then more data.
        log.flush().unwrap();
        log.append(&producer_batch(7, 1, 1, 2, false), Origin::Client)
            .unwrap();
        crash(log);
        let mut log = open(&dir);
        assert!(dir.join(producers::snapshot_name(22)).exists());
        let retry = log
            .append(&producer_batch(7, 1, 0, 1, false), Origin::Client)
            .unwrap();
        assert_eq!(retry.base_offset, 21);
        let retry = log
            .append(&producer_batch(7, 1, 1, 2, false), Origin::Client)
            .unwrap();
        assert_eq!(retry.base_offset, 22);
        assert_eq!(log.log_end_offset(), 24);
    }

    #[test]
    fn transactions_move_the_stable_offset_and_aborts_are_indexed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("t-0");
        let mut log = open(&dir);
        log.append(&plain_batch(2, now_ms()), Origin::Client)
            .unwrap(); // 0..1
        log.append(&producer_batch(1, 0, 0, 2, true), Origin::Client)
            .unwrap(); // 2..3
        log.append(&producer_batch(2, 0, 0, 2, true), Origin::Client)
            .unwrap(); // 4..5
        assert_eq!(log.last_stable_offset(), 2);
        // read_committed stops before the open transaction.
        let slice = log.read_committed(0).unwrap().unwrap();
        let bytes = slice.read(1 << 20, true).unwrap();
        let h = BatchHeader::parse(&bytes).unwrap();
        assert_eq!((h.base_offset, bytes.len()), (0, h.total_len()));
        assert!(log.read_committed(2).unwrap().is_none());
        let abort = log.append_marker(1, 0, false, 5).unwrap(); // 6
        assert_eq!(abort.base_offset, 6);
        assert_eq!(log.last_stable_offset(), 4);
        let commit = log.append_marker(2, 0, true, 5).unwrap(); // 7
        assert_eq!(commit.base_offset, 7);
        assert_eq!(log.last_stable_offset(), 8);
        assert_eq!(log.aborted_transactions(0, 8), vec![(1, 2)]);
        assert_eq!(log.aborted_transactions(7, 8), vec![]);
        assert_eq!(log.aborted_transactions(0, 2), vec![]);
        // A zombie coordinator and a fenced producer are refused.
        assert!(matches!(
            log.append_marker(2, 0, true, 4),
            Err(StorageError::CoordinatorFenced { .. })
        ));
        log.append(&producer_batch(2, 1, 0, 1, true), Origin::Client)
            .unwrap(); // 8
        assert!(matches!(
            log.append_marker(2, 0, false, 5),
            Err(StorageError::ProducerFenced { .. })
        ));
        assert_eq!(log.last_stable_offset(), 8);
        let index = dir.join(file_name(0, "txnindex"));
        assert_eq!(fs::metadata(&index).unwrap().len(), txn::ENTRY_LEN as u64);

        // After a crash the open transaction and the index are rebuilt,
        // even with the index file gone.
        crash(log);
        fs::remove_file(&index).unwrap();
        for snapshot in fs::read_dir(&dir).unwrap() {
            let path = snapshot.unwrap().path();
            if path.extension().is_some_and(|e| e == "snapshot") {
                fs::remove_file(path).unwrap();
            }
        }
        let mut log = open(&dir);
        assert_eq!(log.last_stable_offset(), 8);
        assert_eq!(log.aborted_transactions(0, 9), vec![(1, 2)]);
        assert_eq!(txn::read_index(&index).unwrap().len(), 1);
        log.append_marker(2, 1, false, 6).unwrap(); // 9
        assert_eq!(log.last_stable_offset(), 10);
        assert_eq!(log.aborted_transactions(0, 10), vec![(1, 2), (2, 8)]);
        let views = log.producers();
        assert_eq!(views.len(), 2);
        assert_eq!(views[1].coordinator_epoch, 6);
        assert_eq!(views[1].txn_start_offset, -1);
        log.flush().unwrap();
        drop(log);
        let log = open(&dir);
        assert_eq!(log.aborted_transactions(0, 10), vec![(1, 2), (2, 8)]);
        assert_eq!(log.last_stable_offset(), 10);
    }

    #[test]
    fn broker_written_transactional_batches_join_the_transaction() {
        let tmp = tempfile::tempdir().unwrap();
        let mut log = open(&tmp.path().join("t-0"));
        let records = [(Some(Bytes::from("k")), Some(Bytes::from("v")), now_ms())];
        let b = batch::encode_broker_batch(&records, Some((4, 2)));
        let h = batch::validate(&b).unwrap();
        assert!(h.is_transactional());
        log.append(&b, Origin::Broker).unwrap();
        assert_eq!(log.last_stable_offset(), 0);
        log.append_marker(4, 2, false, 0).unwrap();
        assert_eq!(log.last_stable_offset(), 2);
        assert_eq!(log.aborted_transactions(0, 2), vec![(4, 0)]);
    }

    /// Every record of the log as (offset, control, value).
    fn all_records(log: &PartitionLog) -> Vec<(i64, bool, Option<Bytes>)> {
        let mut out = Vec::new();
        let mut offset = log.log_start_offset();
        while let Some(slice) = log.read(offset).unwrap() {
            let bytes = slice.read(1 << 20, true).unwrap();
            let mut rest = bytes.clone();
            while let Some(h) = BatchHeader::parse(&rest) {
                let one = rest.split_to(h.total_len());
                for r in batch::decode_records(one).unwrap() {
                    out.push((r.offset, r.control, r.value.clone()));
                }
                offset = h.last_offset() + 1;
            }
        }
        out
    }

    #[test]
    fn compaction_drops_aborted_records_and_stays_below_the_stable_offset() {
        let tmp = tempfile::tempdir().unwrap();
        let config = LogConfig {
            compact_policy: true,
            delete_policy: false,
            segment_bytes: 60,
            ..LogConfig::default()
        };
        let mut log = PartitionLog::open(&tmp.path().join("t-0"), config)
            .unwrap()
            .0;
        let now = now_ms();
        let keyed = |v: &'static str| [(Some(Bytes::from("a")), Some(Bytes::from(v)), now)];
        let txn = |log: &mut PartitionLog, pid: i64, v: &'static str| {
            let b = batch::encode_broker_batch(&keyed(v), Some((pid, 0)));
            log.append(&b, Origin::Broker).unwrap()
        };
        txn(&mut log, 1, "committed"); // 0
        log.append_marker(1, 0, true, 0).unwrap(); // 1
        txn(&mut log, 1, "aborted"); // 2
        log.append_marker(1, 0, false, 0).unwrap(); // 3
        txn(&mut log, 2, "open"); // 4
        log.append(&batch::encode_plain(&keyed("later")), Origin::Client)
            .unwrap(); // 5
        assert_eq!(log.last_stable_offset(), 4);
        let plan = log.clean_plan().unwrap();
        assert_eq!(plan.end(), 4, "nothing at or past the LSO is cleaned");
        let cleaned = plan.run(now + 10_000).unwrap();
        log.install_cleaned(plan.end(), cleaned).unwrap();
        let offsets: Vec<(i64, bool)> =
            all_records(&log).iter().map(|(o, c, _)| (*o, *c)).collect();
        // The aborted record is gone and does not shadow the committed one;
        // both markers stay (delete.retention.ms has not passed), and the
        // open transaction's record is untouched though a newer value exists.
        assert_eq!(
            offsets,
            vec![(0, false), (1, true), (3, true), (4, false), (5, false)]
        );
        // Once delete.retention.ms has passed, the abort marker goes (its
        // records are gone); the commit marker stays while its record does.
        log.cleaned_upto = 0;
        let mut plan = log.clean_plan().unwrap();
        plan.config.delete_retention_ms = 0;
        let cleaned = plan.run(now + 10_000).unwrap();
        log.install_cleaned(plan.end(), cleaned).unwrap();
        let offsets: Vec<i64> = all_records(&log).iter().map(|(o, _, _)| *o).collect();
        assert_eq!(offsets, vec![0, 1, 4, 5]);
    }

    #[test]
    fn snapshots_past_the_log_end_are_dropped_and_two_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("t-0");
        let config = LogConfig {
            segment_bytes: 200,
            ..LogConfig::default()
        };
        let mut log = PartitionLog::open(&dir, config).unwrap().0;
        for i in 0..6 {
            log.append(&producer_batch(3, 0, i * 2, 2, false), Origin::Client)
                .unwrap();
        }
        let mut snapshots: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".snapshot"))
            .collect();
        snapshots.sort();
        assert_eq!(snapshots.len(), SNAPSHOTS_KEPT, "{snapshots:?}");
        // A snapshot beyond the end (its data lost in a crash) is removed.
        fs::write(dir.join(producers::snapshot_name(1000)), b"junk").unwrap();
        crash(log);
        let mut log = PartitionLog::open(&dir, config).unwrap().0;
        assert!(!dir.join(producers::snapshot_name(1000)).exists());
        let retry = log
            .append(&producer_batch(3, 0, 10, 2, false), Origin::Client)
            .unwrap();
        assert_eq!(retry.base_offset, 10);
    }
}
