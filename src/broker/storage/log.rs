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
use super::producers::{Check, ProducerStates};
use super::segment::{Repair, Segment};
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
}

/// Kafka keeps this in a broker-wide checkpoint; one small file per partition
/// needs no coordination between partitions.
const LOG_START_FILE: &str = "log-start-offset";

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
        let mut segments: Vec<Segment> = Vec::new();
        let mut repairs = Vec::new();
        for base in bases {
            let (segment, repair) = Segment::open(dir, base, config.index_interval_bytes)?;
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
        if let Some(active) = segments.last_mut() {
            active.pin()?;
        }
        let stored: Option<i64> = fs::read_to_string(dir.join(LOG_START_FILE))
            .ok()
            .and_then(|s| s.trim().parse().ok());
        let end = segments.last().map_or(0, |s| s.next_offset());
        let log_start_offset = stored.unwrap_or(0).max(segments[0].base_offset).min(end);
        Ok((
            PartitionLog {
                dir: dir.to_path_buf(),
                config,
                segments,
                producers: ProducerStates::default(),
                log_start_offset,
                cleaned_upto: 0,
            },
            repairs,
        ))
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
    /// all. Nothing is written unless the whole set is valid.
    pub fn append(&mut self, records: &[u8], origin: Origin) -> Result<AppendInfo, StorageError> {
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
                self.roll(next)?;
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
            segment.append(&assigned, &header, &bytes[batch::HEADER_LEN..], interval)?;
            self.producers.record(h, next);
            last_offset = assigned.last_offset();
        }
        Ok(AppendInfo {
            base_offset,
            last_offset,
            log_append_time: append_time,
        })
    }

    /// The non-active segments a compaction pass should rewrite, when the
    /// topic is compacted and segments were sealed since the last pass.
    pub fn clean_plan(&self) -> Option<CleanPlan> {
        if !self.config.compact_policy || self.segments.len() < 2 {
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
            let (segment, _) =
                Segment::open(&self.dir, c.base_offset, self.config.index_interval_bytes)?;
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
        self.active().sync()?;
        let next = Segment::create(&self.dir, next_offset)?;
        if let Some(old) = self.segments.last_mut() {
            old.seal();
        }
        self.segments.push(next);
        Ok(())
    }

    /// The bytes to return for a fetch at `offset`: whole batches starting with
    /// the one that contains `offset`, from one segment.
    pub fn read(&self, offset: i64) -> Result<Option<ReadSlice>, StorageError> {
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
