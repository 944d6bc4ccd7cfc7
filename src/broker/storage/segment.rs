//! One segment of a partition log: `<base offset>.log` holding record batches
//! back to back, with its `.index` and `.timeindex`. A segment knows how to
//! append a batch, find the batch that holds an offset or a timestamp, and how
//! to check itself on open (truncating a torn tail, rebuilding its indexes).
//!
//! Only the active segment keeps its `.log` open for good (pinned); a sealed
//! segment's log is opened on demand through the broker's open-file cache,
//! and its indexes, held in memory, keep no file open at all.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::batch::{BatchHeader, Frame, Frames, HEADER_LEN};
use super::files::{CachedFile, Mode, PinnedFile};
use super::index::{
    offset_entries_consistent, time_entries_consistent, OffsetEntry, OffsetIndex, TimeEntry,
    TimeIndex,
};

/// What opening a segment had to repair, for the broker log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Where the log file was cut, and why.
    pub truncated: Option<Truncation>,
    /// The offset index was missing or inconsistent and was rebuilt.
    pub rebuilt_offset_index: bool,
    /// The time index was missing or inconsistent and was rebuilt.
    pub rebuilt_time_index: bool,
}

/// The first batch recovery refused, and what was cut with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    /// Byte position of the refused batch (the new file size).
    pub position: u64,
    /// The refused batch's base offset, when its header could be read.
    pub offset: Option<i64>,
    /// Bytes cut from the end of the file.
    pub bytes: u64,
    pub reason: String,
}

impl Repair {
    pub fn is_empty(&self) -> bool {
        *self == Repair::default()
    }
}

/// How much of a segment `Segment::open` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Batches from the last index entry that checks out: enough after a
    /// clean shutdown or for data known to be flushed.
    Tail,
    /// Every batch from the start: data written since the last recovery
    /// point after an unclean shutdown may be damaged anywhere.
    Full,
}

/// Where the log and indexes of a segment stood before an append, so that a
/// failed append can put them back exactly.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    size: u64,
    next_offset: i64,
    max_timestamp: i64,
    bytes_since_index: u64,
    offset_entries: usize,
    time_entries: usize,
}

/// Why an append failed.
#[derive(Debug)]
pub enum AppendError {
    /// The write failed and was cut back off: the segment is as it was.
    RolledBack(io::Error),
    /// The write failed and cutting it back failed too: the files no longer
    /// match what is in memory.
    Unrecoverable {
        error: io::Error,
        rollback: io::Error,
    },
}

pub struct Segment {
    pub base_offset: i64,
    log_path: PathBuf,
    /// The log file as the open-file cache holds it while the segment is sealed.
    log: CachedFile,
    /// The log file while this is the active segment: always open, reached
    /// without the cache. Handles are `Arc`s so fetches can read and the
    /// flusher can sync without the partition lock.
    pinned: Option<PinnedFile>,
    size: u64,
    /// One past the last offset stored here (equal to `base_offset` when empty).
    next_offset: i64,
    /// Largest batch timestamp stored here, -1 when empty.
    max_timestamp: i64,
    offset_index: OffsetIndex,
    time_index: TimeIndex,
    bytes_since_index: u64,
    /// Wall-clock time the segment was created or opened, for segment.ms.
    created_ms: i64,
}

pub fn file_name(base_offset: i64, ext: &str) -> String {
    format!("{base_offset:020}.{ext}")
}

/// The base offset a segment file's name gives (`<digits>.log`), or `None`
/// when the name is not a segment's.
pub fn base_offset_of(path: &Path) -> Option<i64> {
    let stem = path.file_name()?.to_str()?.strip_suffix(".log")?;
    if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok()
}

/// Reads the header of the batch at `position`, if a whole header is there.
fn header_at(file: &File, position: u64, size: u64) -> io::Result<Option<BatchHeader>> {
    if position + HEADER_LEN as u64 > size {
        return Ok(None);
    }
    let mut buf = [0u8; HEADER_LEN];
    file.read_exact_at(&mut buf, position)?;
    Ok(BatchHeader::parse(&buf))
}

/// The result of walking a segment's batches from some position.
struct Walk {
    /// Where the last good batch ends.
    valid_end: u64,
    /// The first batch refused (or unframeable bytes), if any.
    stop: Option<Truncation>,
}

/// Walks the batches of `log` from `start`, calling `each(header, position)`
/// for every one that checks out, up to the first that does not.
fn walk(
    log: &File,
    start: u64,
    size: u64,
    base_offset: i64,
    mut each: impl FnMut(&BatchHeader, u64),
) -> io::Result<Walk> {
    let mut frames = Frames::new(log, start, size, base_offset, base_offset)?;
    while let Some(frame) = frames.next_frame()? {
        match frame {
            Frame::Batch {
                position,
                header,
                problem: None,
            } => each(&header, position),
            Frame::Batch {
                position,
                header,
                problem: Some(reason),
            } => {
                return Ok(Walk {
                    valid_end: position,
                    stop: Some(Truncation {
                        position,
                        offset: Some(header.base_offset),
                        bytes: size - position,
                        reason,
                    }),
                })
            }
            Frame::Broken {
                position,
                bytes,
                reason,
            } => {
                return Ok(Walk {
                    valid_end: position,
                    stop: Some(Truncation {
                        position,
                        offset: None,
                        bytes,
                        reason,
                    }),
                })
            }
        }
    }
    Ok(Walk {
        valid_end: frames.position(),
        stop: None,
    })
}

/// Index entries and counters re-derived from walked batches, by the same
/// rule `append` follows.
struct Derived {
    base_offset: i64,
    interval: u64,
    entries: Vec<OffsetEntry>,
    bytes_since_index: u64,
    next_offset: i64,
    max_timestamp: i64,
}

impl Derived {
    fn add(&mut self, h: &BatchHeader, position: u64) {
        if self.bytes_since_index >= self.interval {
            self.entries.push(OffsetEntry {
                relative_offset: (h.last_offset() - self.base_offset) as u32,
                position: position as u32,
            });
            self.bytes_since_index = 0;
        }
        self.count(h);
    }

    fn count(&mut self, h: &BatchHeader) {
        self.bytes_since_index = self.bytes_since_index.saturating_add(h.total_len() as u64);
        self.next_offset = h.last_offset() + 1;
        self.max_timestamp = self.max_timestamp.max(h.max_timestamp);
    }
}

impl Segment {
    pub fn create(dir: &Path, base_offset: i64) -> io::Result<Segment> {
        let log_path = dir.join(file_name(base_offset, "log"));
        let created = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&log_path)
            .and_then(|log| {
                let offset_index =
                    OffsetIndex::create(&dir.join(file_name(base_offset, "index")), vec![])?;
                let time_index =
                    TimeIndex::create(&dir.join(file_name(base_offset, "timeindex")), vec![])?;
                Ok((log, offset_index, time_index))
            });
        let (log, offset_index, time_index) = match created {
            Ok(files) => files,
            Err(e) => {
                // A segment that could not be made whole leaves no files
                // behind for the next open to puzzle over.
                for ext in ["log", "index", "timeindex"] {
                    let _ = std::fs::remove_file(dir.join(file_name(base_offset, ext)));
                }
                return Err(e);
            }
        };
        Ok(Segment {
            base_offset,
            log: CachedFile::new(log_path.clone(), Mode::ReadAppend),
            log_path,
            pinned: Some(PinnedFile::new(Arc::new(log))),
            size: 0,
            next_offset: base_offset,
            max_timestamp: -1,
            offset_index,
            time_index,
            bytes_since_index: u64::MAX,
            created_ms: super::log::now_ms(),
        })
    }

    /// Opens an existing segment and checks its batches (length, magic,
    /// CRC-32C, offsets that move forward): with [`Check::Tail`] those after
    /// the last trustworthy index entry, with [`Check::Full`] all of them.
    /// The first bad one and everything after it is cut off. The segment
    /// comes back sealed: [`pin`](Self::pin) makes it the active one.
    pub fn open(
        dir: &Path,
        base_offset: i64,
        index_interval: u64,
        check: Check,
    ) -> io::Result<(Segment, Repair)> {
        let log_path = dir.join(file_name(base_offset, "log"));
        let index_path = dir.join(file_name(base_offset, "index"));
        let time_path = dir.join(file_name(base_offset, "timeindex"));
        let log = OpenOptions::new().read(true).append(true).open(&log_path)?;
        let size = log.metadata()?.len();
        let mut repair = Repair::default();

        let loaded = match OffsetIndex::load(&index_path)? {
            Some(e) if offset_entries_consistent(&e, size) => Some(e),
            _ => None,
        };
        let mut derived = Derived {
            base_offset,
            interval: index_interval,
            entries: Vec::new(),
            bytes_since_index: u64::MAX,
            next_offset: base_offset,
            max_timestamp: -1,
        };
        let walked = match check {
            Check::Full => {
                // The loaded index is trusted only if each of its entries
                // names a batch that checked out (entries and batches both
                // ascend by position, so one pass compares them).
                let loaded_entries = loaded.as_deref().unwrap_or(&[]);
                let mut next_loaded = 0;
                let mut loaded_ok = loaded.is_some();
                let walked = walk(&log, 0, size, base_offset, |h, pos| {
                    while let Some(e) = loaded_entries.get(next_loaded) {
                        if u64::from(e.position) > pos {
                            break;
                        }
                        if u64::from(e.position) < pos
                            || base_offset + i64::from(e.relative_offset) != h.last_offset()
                        {
                            loaded_ok = false;
                        }
                        next_loaded += 1;
                    }
                    derived.add(h, pos);
                })?;
                let beyond = &loaded_entries[next_loaded..];
                if !loaded_ok
                    || beyond
                        .iter()
                        .any(|e| u64::from(e.position) < walked.valid_end)
                {
                    repair.rebuilt_offset_index = true;
                }
                walked
            }
            Check::Tail => {
                let mut kept = loaded.clone().unwrap_or_else(|| {
                    repair.rebuilt_offset_index = true;
                    Vec::new()
                });
                // Start from the newest index entry whose batch checks out;
                // fall back entry by entry, and to a full walk, when the
                // index points at garbage.
                while let Some(anchor) = kept.last().copied() {
                    let start = u64::from(anchor.position);
                    let mut frames = Frames::new(&log, start, size, base_offset, base_offset)?;
                    let good = matches!(
                        frames.next_frame()?,
                        Some(Frame::Batch { header, problem: None, .. })
                            if header.last_offset() == base_offset + i64::from(anchor.relative_offset)
                    );
                    if good {
                        break;
                    }
                    kept.pop();
                    repair.rebuilt_offset_index = true;
                }
                let start = kept.last().map_or(0, |e| u64::from(e.position));
                let mut anchored = !kept.is_empty();
                derived.entries = kept;
                walk(&log, start, size, base_offset, |h, pos| {
                    if anchored {
                        // The anchor's entry is already in the index.
                        anchored = false;
                        derived.bytes_since_index = 0;
                    } else if derived.bytes_since_index >= derived.interval {
                        derived.entries.push(OffsetEntry {
                            relative_offset: (h.last_offset() - base_offset) as u32,
                            position: pos as u32,
                        });
                        derived.bytes_since_index = 0;
                    }
                    derived.count(h);
                })?
            }
        };
        let Derived {
            entries,
            bytes_since_index,
            next_offset,
            max_timestamp: tail_max,
            ..
        } = derived;
        let index_unchanged = !repair.rebuilt_offset_index
            && walked.stop.is_none()
            && loaded.as_ref() == Some(&entries);
        if let Some(stop) = walked.stop {
            log.set_len(walked.valid_end)?;
            repair.truncated = Some(stop);
        }
        let size = walked.valid_end;
        let offset_index = if index_unchanged {
            OffsetIndex::open_checked(&index_path, entries)?
        } else {
            OffsetIndex::create(&index_path, entries)?
        };

        let next_relative = (next_offset - base_offset) as u64;
        let (time_index, max_timestamp) = match TimeIndex::load(&time_path)? {
            Some(t)
                if time_entries_consistent(&t, next_relative.max(1))
                    && !repair.rebuilt_offset_index
                    && repair.truncated.is_none() =>
            {
                let max = t.last().map_or(-1, |e| e.timestamp).max(tail_max);
                (TimeIndex::open_checked(&time_path, t)?, max)
            }
            _ => {
                repair.rebuilt_time_index = true;
                let mut entries: Vec<TimeEntry> = Vec::new();
                let mut max = -1;
                walk(&log, 0, size, base_offset, |h, _| {
                    if h.max_timestamp > max {
                        max = h.max_timestamp;
                        entries.push(TimeEntry {
                            timestamp: max,
                            relative_offset: (h.last_offset() - base_offset) as u32,
                        });
                    }
                })?;
                (TimeIndex::create(&time_path, entries)?, max)
            }
        };

        let cached = CachedFile::new(log_path.clone(), Mode::ReadAppend);
        cached.adopt(Arc::new(log));
        Ok((
            Segment {
                base_offset,
                log_path,
                log: cached,
                pinned: None,
                size,
                next_offset,
                max_timestamp,
                offset_index,
                time_index,
                bytes_since_index,
                created_ms: super::log::now_ms(),
            },
            repair,
        ))
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn next_offset(&self) -> i64 {
        self.next_offset
    }

    pub fn created_ms(&self) -> i64 {
        self.created_ms
    }

    pub fn max_timestamp(&self) -> i64 {
        self.max_timestamp
    }

    /// The log file: the pinned handle of the active segment, or the cached
    /// one (opened again if the cache had closed it).
    pub fn log_file(&self) -> io::Result<Arc<File>> {
        match &self.pinned {
            Some(p) => Ok(p.file().clone()),
            None => self.log.get(),
        }
    }

    /// The active segment's log handle; `None` once sealed.
    pub fn pinned_file(&self) -> Option<&Arc<File>> {
        self.pinned.as_ref().map(|p| p.file())
    }

    /// The log as the cache reaches it, for work done outside the partition
    /// lock on sealed segments (compaction).
    pub fn cached_log(&self) -> CachedFile {
        self.log.clone()
    }

    /// Makes this the active segment: its log stays open from now on.
    pub fn pin(&mut self) -> io::Result<()> {
        if self.pinned.is_none() {
            self.pinned = Some(PinnedFile::new(self.log.take()?));
        }
        Ok(())
    }

    /// Called when a newer segment becomes active: the log handle goes to the
    /// cache (readers of the newest data are likely next) and the index files,
    /// never written again, are closed.
    pub fn seal(&mut self) {
        if let Some(p) = self.pinned.take() {
            self.log.adopt(p.file().clone());
        }
        self.offset_index.close();
        self.time_index.close();
    }

    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Where the files and counters stand now, to [`rollback`](Self::rollback) to.
    pub fn mark(&self) -> Mark {
        Mark {
            size: self.size,
            next_offset: self.next_offset,
            max_timestamp: self.max_timestamp,
            bytes_since_index: self.bytes_since_index,
            offset_entries: self.offset_index.entries().len(),
            time_entries: self.time_index.entries().len(),
        }
    }

    /// Puts the log file, both indexes and the counters back where `mark`
    /// found them, cutting off whatever was written since (whole or partial
    /// batches alike). An error means the files may not match memory any
    /// more: the caller must stop using the segment.
    pub fn rollback(&mut self, mark: Mark) -> io::Result<()> {
        self.log_file()?.set_len(mark.size)?;
        self.offset_index.truncate(mark.offset_entries)?;
        self.time_index.truncate(mark.time_entries)?;
        self.size = mark.size;
        self.next_offset = mark.next_offset;
        self.max_timestamp = mark.max_timestamp;
        self.bytes_since_index = mark.bytes_since_index;
        Ok(())
    }

    /// Appends one batch whose offsets were already assigned: its rewritten
    /// header, then the body exactly as the producer sent it. A failed or
    /// short write (a full disk) is cut back off the log and the indexes, so
    /// the segment is left exactly as it was.
    pub fn append(
        &mut self,
        header: &BatchHeader,
        header_bytes: &[u8],
        body: &[u8],
        index_interval: u64,
    ) -> Result<(), AppendError> {
        let mark = self.mark();
        match self.append_unchecked(header, header_bytes, body, index_interval) {
            Ok(()) => Ok(()),
            Err(error) => match self.rollback(mark) {
                Ok(()) => Err(AppendError::RolledBack(error)),
                Err(rollback) => Err(AppendError::Unrecoverable { error, rollback }),
            },
        }
    }

    fn append_unchecked(
        &mut self,
        header: &BatchHeader,
        header_bytes: &[u8],
        body: &[u8],
        index_interval: u64,
    ) -> io::Result<()> {
        let position = self.size;
        // The active segment's pinned handle, without touching the cache.
        let cached;
        let log: &File = match &self.pinned {
            Some(p) => p.file(),
            None => {
                cached = self.log_file()?;
                &cached
            }
        };
        write_all_vectored(log, header_bytes, body)?;
        let len = (header_bytes.len() + body.len()) as u64;
        self.size += len;
        let relative = (header.last_offset() - self.base_offset) as u32;
        let at_index_point = self.bytes_since_index >= index_interval;
        if at_index_point {
            self.offset_index.append(OffsetEntry {
                relative_offset: relative,
                position: position as u32,
            })?;
            self.bytes_since_index = 0;
        }
        self.bytes_since_index = self.bytes_since_index.saturating_add(len);
        if header.max_timestamp > self.max_timestamp {
            self.max_timestamp = header.max_timestamp;
            let stale = self
                .time_index
                .last()
                .is_none_or(|e| header.max_timestamp > e.timestamp);
            if stale && at_index_point {
                // Only at index points, as Kafka does, to keep the file sparse.
                self.time_index.append(TimeEntry {
                    timestamp: header.max_timestamp,
                    relative_offset: relative,
                })?;
            }
        }
        self.next_offset = header.last_offset() + 1;
        Ok(())
    }

    /// Byte position of the batch that contains `offset`, or `None` when the
    /// offset lies past this segment.
    pub fn position_of(&self, offset: i64) -> io::Result<Option<u64>> {
        if offset >= self.next_offset {
            return Ok(None);
        }
        let relative = (offset - self.base_offset).max(0) as u32;
        let mut position = self
            .offset_index
            .floor(|e| e.relative_offset < relative)
            .map_or(0, |e| u64::from(e.position));
        let log = self.log_file()?;
        while let Some(h) = header_at(&log, position, self.size)? {
            if h.last_offset() >= offset {
                return Ok(Some(position));
            }
            position += h.total_len() as u64;
        }
        Ok(None)
    }

    /// Position of the first batch whose max timestamp is at least `timestamp`.
    pub fn position_of_timestamp(&self, timestamp: i64) -> io::Result<Option<(u64, BatchHeader)>> {
        if self.max_timestamp < timestamp {
            return Ok(None);
        }
        let mut position = match self.time_index.floor(|e| e.timestamp < timestamp) {
            Some(t) => {
                let after = t.relative_offset;
                self.offset_index
                    .floor(|e| e.relative_offset <= after)
                    .map_or(0, |e| u64::from(e.position))
            }
            None => 0,
        };
        let log = self.log_file()?;
        while let Some(h) = header_at(&log, position, self.size)? {
            if h.max_timestamp >= timestamp {
                return Ok(Some((position, h)));
            }
            position += h.total_len() as u64;
        }
        Ok(None)
    }

    /// Forces the log to disk. Called at roll time for the segment left behind.
    pub fn sync(&self) -> io::Result<()> {
        self.log_file()?.sync_data()
    }

    /// Removes the segment's files.
    pub fn delete(self) -> io::Result<()> {
        std::fs::remove_file(&self.log_path)?;
        let _ = std::fs::remove_file(self.offset_index.path());
        let _ = std::fs::remove_file(self.time_index.path());
        let _ = std::fs::remove_file(self.log_path.with_extension("txnindex"));
        Ok(())
    }
}

/// Writes `a` then `b` with as few system calls as the kernel allows.
fn write_all_vectored(mut file: &File, mut a: &[u8], mut b: &[u8]) -> io::Result<()> {
    while !a.is_empty() || !b.is_empty() {
        let n = file.write_vectored(&[io::IoSlice::new(a), io::IoSlice::new(b)])?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        let from_a = n.min(a.len());
        a = &a[from_a..];
        b = &b[n - from_a..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::storage::batch::{self, tests::batch};

    fn append(segment: &mut Segment, n: usize) {
        let mut b = batch(n, 1000);
        batch::assign_offset(&mut b, segment.next_offset());
        let h = batch::validate(&b).unwrap();
        segment
            .append(&h, &b[..HEADER_LEN], &b[HEADER_LEN..], 1)
            .unwrap();
    }

    #[test]
    fn a_rollback_puts_the_files_and_counters_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let mut segment = Segment::create(dir.path(), 0).unwrap();
        append(&mut segment, 2);
        let mark = segment.mark();
        let index_len = file_len(&dir.path().join(file_name(0, "index")));
        append(&mut segment, 3);
        append(&mut segment, 1);
        assert_eq!(segment.next_offset(), 6);
        segment.rollback(mark).unwrap();
        assert_eq!(segment.next_offset(), 2);
        assert_eq!(segment.size(), mark.size);
        assert_eq!(file_len(segment.log_path()), mark.size);
        assert_eq!(file_len(&dir.path().join(file_name(0, "index"))), index_len);
        // Appends continue where the rollback left the log, and a reopen
        // (full check) agrees with memory.
        append(&mut segment, 4);
        let (size, next) = (segment.size(), segment.next_offset());
        drop(segment);
        let (reopened, repair) = Segment::open(dir.path(), 0, 1, Check::Full).unwrap();
        assert!(repair.is_empty(), "{repair:?}");
        assert_eq!((reopened.size(), reopened.next_offset()), (size, next));
    }

    #[test]
    fn a_full_check_finds_a_bad_batch_that_the_tail_check_trusts() {
        let dir = tempfile::tempdir().unwrap();
        let mut segment = Segment::create(dir.path(), 0).unwrap();
        for _ in 0..4 {
            append(&mut segment, 2);
        }
        let path = segment.log_path().to_path_buf();
        let second = {
            let h = header_at(&segment.log_file().unwrap(), 0, segment.size())
                .unwrap()
                .unwrap();
            h.total_len() as u64
        };
        drop(segment);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[second as usize + HEADER_LEN + 2] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();

        // Every batch has an index entry (interval 1), so the tail check
        // starts at the last batch and never reads the damaged one.
        let (s, repair) = Segment::open(dir.path(), 0, 1, Check::Tail).unwrap();
        assert!(repair.truncated.is_none());
        assert_eq!(s.next_offset(), 8);
        drop(s);

        let (s, repair) = Segment::open(dir.path(), 0, 1, Check::Full).unwrap();
        let cut = repair
            .truncated
            .expect("the full check cuts at the bad batch");
        assert_eq!(cut.position, second);
        assert_eq!(cut.offset, Some(2));
        assert!(cut.reason.contains("CRC-32C"), "{}", cut.reason);
        assert_eq!(s.next_offset(), 2);
        assert_eq!(file_len(&path), second);
    }

    fn file_len(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }
}
