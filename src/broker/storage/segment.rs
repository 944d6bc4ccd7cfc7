//! One segment of a partition log: `<base offset>.log` holding record batches
//! back to back, with its `.index` and `.timeindex`. A segment knows how to
//! append a batch, find the batch that holds an offset or a timestamp, and how
//! to check itself on open (truncating a torn tail, rebuilding its indexes).
//!
//! Only the active segment keeps its `.log` open for good (pinned); a sealed
//! segment's log is opened on demand through the broker's open-file cache,
//! and its indexes, held in memory, keep no file open at all.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::batch::{self, BatchHeader, HEADER_LEN};
use super::files::{CachedFile, Mode, PinnedFile};
use super::index::{
    offset_entries_consistent, time_entries_consistent, OffsetEntry, OffsetIndex, TimeEntry,
    TimeIndex,
};

/// What opening a segment had to repair, for the broker log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Bytes cut from the end of the log file, and why.
    pub truncated: Option<(u64, String)>,
    /// The offset index was missing or inconsistent and was rebuilt.
    pub rebuilt_offset_index: bool,
    /// The time index was missing or inconsistent and was rebuilt.
    pub rebuilt_time_index: bool,
}

impl Repair {
    pub fn is_empty(&self) -> bool {
        *self == Repair::default()
    }
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

/// Reads the header of the batch at `position`, if a whole header is there.
fn header_at(file: &File, position: u64, size: u64) -> io::Result<Option<BatchHeader>> {
    if position + HEADER_LEN as u64 > size {
        return Ok(None);
    }
    let mut buf = [0u8; HEADER_LEN];
    file.read_exact_at(&mut buf, position)?;
    Ok(BatchHeader::parse(&buf))
}

impl Segment {
    pub fn create(dir: &Path, base_offset: i64) -> io::Result<Segment> {
        let log_path = dir.join(file_name(base_offset, "log"));
        let log = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&log_path)?;
        let offset_index = OffsetIndex::create(&dir.join(file_name(base_offset, "index")), vec![])?;
        let time_index = TimeIndex::create(&dir.join(file_name(base_offset, "timeindex")), vec![])?;
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

    /// Opens an existing segment. Every batch after the last trustworthy index
    /// entry is read and checked (length, magic, CRC-32C, offsets that move
    /// forward); the first bad one and everything after it is cut off. The
    /// segment comes back sealed: [`pin`](Self::pin) makes it the active one.
    pub fn open(
        dir: &Path,
        base_offset: i64,
        index_interval: u64,
    ) -> io::Result<(Segment, Repair)> {
        let log_path = dir.join(file_name(base_offset, "log"));
        let index_path = dir.join(file_name(base_offset, "index"));
        let time_path = dir.join(file_name(base_offset, "timeindex"));
        let log = OpenOptions::new().read(true).append(true).open(&log_path)?;
        let size = log.metadata()?.len();
        let mut repair = Repair::default();

        let mut entries = match OffsetIndex::load(&index_path)? {
            Some(e) if offset_entries_consistent(&e, size) => e,
            _ => {
                repair.rebuilt_offset_index = true;
                Vec::new()
            }
        };
        // Start from the newest index entry whose batch checks out; fall back
        // entry by entry, and to a full scan, when the index points at garbage.
        let (tail, valid_end) = loop {
            let start = entries.last().map_or(0, |e| u64::from(e.position));
            let scan = scan(&log, start, size, base_offset)?;
            let anchored = match (entries.last(), scan.batches.first()) {
                (None, _) => true,
                (Some(e), Some((h, pos))) => {
                    *pos == start && h.last_offset() == base_offset + i64::from(e.relative_offset)
                }
                (Some(_), None) => false,
            };
            if anchored {
                break (scan.batches, scan.valid_end.max(start));
            }
            entries.pop();
            repair.rebuilt_offset_index = true;
        };
        if valid_end < size {
            let reason = scan_stop_reason(&log, valid_end, size);
            log.set_len(valid_end)?;
            repair.truncated = Some((size - valid_end, reason));
        }
        let size = valid_end;

        // Re-derive index entries for the scanned tail (the first tail batch is
        // the anchor entry itself, already present when the index was kept).
        let mut bytes_since_index = if entries.is_empty() { u64::MAX } else { 0 };
        let had_anchor = !entries.is_empty();
        let mut added = false;
        for (i, (h, pos)) in tail.iter().enumerate() {
            if i == 0 && had_anchor {
                bytes_since_index = h.total_len() as u64;
                continue;
            }
            if bytes_since_index >= index_interval {
                entries.push(OffsetEntry {
                    relative_offset: (h.last_offset() - base_offset) as u32,
                    position: *pos as u32,
                });
                bytes_since_index = 0;
                added = true;
            }
            bytes_since_index = bytes_since_index.saturating_add(h.total_len() as u64);
        }
        let next_offset = tail.last().map_or_else(
            || {
                // An empty tail means an empty log; a kept anchor always scans as
                // the first tail batch.
                base_offset
            },
            |(h, _)| h.last_offset() + 1,
        );
        let offset_index = if added || repair.rebuilt_offset_index || repair.truncated.is_some() {
            OffsetIndex::create(&index_path, entries)?
        } else {
            OffsetIndex::open_checked(&index_path, entries)?
        };

        let next_relative = (next_offset - base_offset) as u64;
        let (time_index, max_timestamp) = match TimeIndex::load(&time_path)? {
            Some(t)
                if time_entries_consistent(&t, next_relative.max(1))
                    && !repair.rebuilt_offset_index
                    && repair.truncated.is_none() =>
            {
                let tail_max = tail
                    .iter()
                    .map(|(h, _)| h.max_timestamp)
                    .max()
                    .unwrap_or(-1);
                let max = t.last().map_or(-1, |e| e.timestamp).max(tail_max);
                (TimeIndex::open_checked(&time_path, t)?, max)
            }
            _ => {
                repair.rebuilt_time_index = true;
                let all = scan(&log, 0, size, base_offset)?.batches;
                let mut entries: Vec<TimeEntry> = Vec::new();
                let mut max = -1;
                for (h, _) in &all {
                    if h.max_timestamp > max {
                        max = h.max_timestamp;
                        entries.push(TimeEntry {
                            timestamp: max,
                            relative_offset: (h.last_offset() - base_offset) as u32,
                        });
                    }
                }
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

    /// Appends one batch whose offsets were already assigned: its rewritten
    /// header, then the body exactly as the producer sent it.
    pub fn append(
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

struct Scan {
    /// Valid batches, with the position each starts at.
    batches: Vec<(BatchHeader, u64)>,
    /// Where the valid data ends.
    valid_end: u64,
}

/// Reads batches from `start` until the end of the file or the first batch that
/// does not check out.
fn scan(log: &File, start: u64, size: u64, base_offset: i64) -> io::Result<Scan> {
    let mut reader = BufReader::with_capacity(1 << 20, log);
    reader.seek(SeekFrom::Start(start))?;
    let mut batches = Vec::new();
    let mut position = start;
    let mut expected = base_offset;
    let mut buf = Vec::new();
    while position + HEADER_LEN as u64 <= size {
        let mut head = [0u8; batch::LOG_OVERHEAD];
        reader.read_exact(&mut head)?;
        let length = i32::from_be_bytes(head[8..12].try_into().unwrap());
        if length < (HEADER_LEN - batch::LOG_OVERHEAD) as i32
            || position + batch::LOG_OVERHEAD as u64 + length as u64 > size
        {
            break;
        }
        buf.clear();
        buf.extend_from_slice(&head);
        buf.resize(batch::LOG_OVERHEAD + length as usize, 0);
        reader.read_exact(&mut buf[batch::LOG_OVERHEAD..])?;
        let Ok(h) = batch::validate(&buf) else { break };
        if h.base_offset < expected {
            break;
        }
        expected = h.last_offset() + 1;
        batches.push((h, position));
        position += h.total_len() as u64;
    }
    Ok(Scan {
        batches,
        valid_end: position,
    })
}

/// A short description of what is wrong at `position`, for the repair log line.
fn scan_stop_reason(log: &File, position: u64, size: u64) -> String {
    let rest = size - position;
    if rest < HEADER_LEN as u64 {
        return format!("{rest} trailing bytes, shorter than a batch header");
    }
    let mut buf = vec![0u8; rest.min(16 << 20) as usize];
    if log.read_exact_at(&mut buf, position).is_err() {
        return "unreadable tail".into();
    }
    match batch::validate(&buf) {
        Err(e) => e.to_string(),
        Ok(_) => "offsets going backwards".into(),
    }
}
