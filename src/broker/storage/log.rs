//! `PartitionLog`: the ordered segments of one partition. It assigns offsets,
//! rolls segments, answers "where is offset N / timestamp T", and reopens
//! itself after a crash. Callers hold it behind a lock; the bytes of a read are
//! copied outside that lock through a [`ReadSlice`].

use std::fs::{self, File};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::batch::{self, BatchHeader, LOG_OVERHEAD};
use super::cleaner::{self, CleanPlan, Cleaned};
use super::data_dir::{self, WriteHealth};
use super::producers::{Check, ProducerStates};
use super::segment::{AppendError, Check as SegmentCheck, Repair, Segment};
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
    /// Sequence state of idempotent producers (in memory; see `producers`).
    producers: ProducerStates,
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
        for entry in fs::read_dir(dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if let Some(stem) = name.strip_suffix(".log") {
                if let Ok(base) = stem.parse::<i64>() {
                    bases.push(base);
                }
            }
        }
        bases.sort_unstable();
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
            log_start_offset,
            cleaned_upto: 0,
            recovery_point: end,
            saved_recovery_point: stored_recovery_point,
            saved_recovery_ms: 0,
            offline: None,
            health: WriteHealth::of(data_dir),
        };
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
            checks.push(self.producers.check(h)?);
        }
        let append_time = self.config.log_append_time.then(now_ms);
        let mut base_offset = self.log_end_offset();
        let mut last_offset = base_offset - 1;
        let mut header = [0u8; batch::HEADER_LEN];
        // Where to put the log back to if any write of this request fails.
        let undo = (self.segments.len(), self.active().mark());
        let mut written = Vec::with_capacity(batches.len());
        for (i, ((h, range), check)) in batches.iter().zip(checks).enumerate() {
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
                if let Err(e) = self.roll(next) {
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
            written.push((h, next));
            last_offset = assigned.last_offset();
        }
        // Producer state moves only once every batch is in the log, so a
        // retry of a request that failed is not taken for a duplicate.
        for (h, next) in written {
            self.producers.record(h, next);
        }
        self.health.write_succeeded();
        Ok(AppendInfo {
            base_offset,
            last_offset,
            log_append_time: append_time,
        })
    }

    /// The non-active segments a compaction pass should rewrite, when the
    /// topic is compacted and segments were sealed since the last pass.
    pub fn clean_plan(&self) -> Option<CleanPlan> {
        if !self.config.compact_policy || self.segments.len() < 2 || self.offline.is_some() {
            return None;
        }
        let end = self.active().base_offset;
        if end <= self.cleaned_upto {
            return None;
        }
        Some(CleanPlan {
            dir: self.dir.clone(),
            segments: self.segments[..self.segments.len() - 1]
                .iter()
                .map(|s| (s.base_offset, s.cached_log(), s.size()))
                .collect(),
            config: self.config,
            end,
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
            self.roll(next)?;
        }
        let mut removed = Vec::new();
        if !self.config.delete_policy {
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
        Ok(removed)
    }

    /// Starts a new segment at `next_offset`, syncing the one left behind so that
    /// the flusher only ever needs to sync the active segment.
    fn roll(&mut self, next_offset: i64) -> Result<(), StorageError> {
        if let Err(e) = self.active().sync() {
            return Err(self.sync_failed(&e));
        }
        self.recovery_point = self.recovery_point.max(self.log_end_offset());
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
        self.check_online()?;
        let (start, end) = (self.log_start_offset(), self.log_end_offset());
        if offset < start || offset > end {
            return Err(StorageError::OffsetOutOfRange { offset, start, end });
        }
        if offset == end {
            return Ok(None);
        }
        let i = self
            .segments
            .partition_point(|s| s.base_offset <= offset)
            .max(1)
            - 1;
        for segment in &self.segments[i..] {
            if let Some(position) = segment.position_of(offset)? {
                return Ok(Some(ReadSlice {
                    file: segment.log_file()?,
                    position,
                    end: segment.size(),
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
