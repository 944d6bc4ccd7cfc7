//! Sparse indexes beside each segment, in Kafka's on-disk layout:
//! `.index` maps a relative offset to a byte position (8-byte entries) and
//! `.timeindex` maps a timestamp to a relative offset (12-byte entries).
//! Both are kept in memory for lookups and appended to on disk; they are
//! derived data, so a missing or inconsistent file is rebuilt from the log.
//! The file itself is open only while entries are appended to it, through
//! the broker's open-file cache (see `files`).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};

use super::files::{CachedFile, Mode};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// One fixed-size entry of an index file.
pub trait IndexEntry: Copy {
    const SIZE: usize;
    fn encode(&self, out: &mut [u8]);
    fn decode(buf: &[u8]) -> Self;
}

/// `.index` entry: the last offset of a batch (relative to the segment's base
/// offset) and the byte position where that batch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetEntry {
    pub relative_offset: u32,
    pub position: u32,
}

impl IndexEntry for OffsetEntry {
    const SIZE: usize = 8;
    fn encode(&self, out: &mut [u8]) {
        out[0..4].copy_from_slice(&self.relative_offset.to_be_bytes());
        out[4..8].copy_from_slice(&self.position.to_be_bytes());
    }
    fn decode(buf: &[u8]) -> Self {
        OffsetEntry {
            relative_offset: u32::from_be_bytes(buf[0..4].try_into().unwrap()),
            position: u32::from_be_bytes(buf[4..8].try_into().unwrap()),
        }
    }
}

/// `.timeindex` entry: the largest timestamp seen so far in the segment and the
/// relative offset of the batch that carried it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeEntry {
    pub timestamp: i64,
    pub relative_offset: u32,
}

impl IndexEntry for TimeEntry {
    const SIZE: usize = 12;
    fn encode(&self, out: &mut [u8]) {
        out[0..8].copy_from_slice(&self.timestamp.to_be_bytes());
        out[8..12].copy_from_slice(&self.relative_offset.to_be_bytes());
    }
    fn decode(buf: &[u8]) -> Self {
        TimeEntry {
            timestamp: i64::from_be_bytes(buf[0..8].try_into().unwrap()),
            relative_offset: u32::from_be_bytes(buf[8..12].try_into().unwrap()),
        }
    }
}

/// An index file and its entries held in memory.
pub struct Index<E: IndexEntry> {
    path: PathBuf,
    /// Opened on the first append, not when the index is loaded: a sealed
    /// segment's indexes are never written again and hold no file handle.
    file: CachedFile,
    entries: Vec<E>,
    _kind: PhantomData<E>,
}

pub type OffsetIndex = Index<OffsetEntry>;
pub type TimeIndex = Index<TimeEntry>;

impl<E: IndexEntry> Index<E> {
    /// Reads an existing index file. Returns `Ok(None)` when the file is missing
    /// or its length is not a whole number of entries: the caller rebuilds it.
    pub fn load(path: &Path) -> io::Result<Option<Vec<E>>> {
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut f) => f.read_to_end(&mut bytes)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if bytes.len() % E::SIZE != 0 {
            return Ok(None);
        }
        Ok(Some(bytes.chunks_exact(E::SIZE).map(E::decode).collect()))
    }

    /// Writes `entries` as the whole content of the index at `path`.
    pub fn create(path: &Path, entries: Vec<E>) -> io::Result<Self> {
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)?;
        let mut buf = vec![0u8; entries.len() * E::SIZE];
        for (chunk, e) in buf.chunks_exact_mut(E::SIZE).zip(&entries) {
            e.encode(chunk);
        }
        file.write_all(&buf)?;
        Ok(Index {
            path: path.to_path_buf(),
            file: CachedFile::new(path.to_path_buf(), Mode::Append),
            entries,
            _kind: PhantomData,
        })
    }

    /// An index whose entries were already checked; its file is opened for
    /// appending when first needed.
    pub fn open_checked(path: &Path, entries: Vec<E>) -> io::Result<Self> {
        Ok(Index {
            path: path.to_path_buf(),
            file: CachedFile::new(path.to_path_buf(), Mode::Append),
            entries,
            _kind: PhantomData,
        })
    }

    /// Appends one entry. A failed or short write is cut back off the file,
    /// so the file and the entries in memory always agree.
    pub fn append(&mut self, entry: E) -> io::Result<()> {
        let mut buf = [0u8; 16];
        entry.encode(&mut buf[..E::SIZE]);
        // The file is opened to append, so after a failed write is cut back
        // the next one lands where the entries end.
        let at = (self.entries.len() * E::SIZE) as u64;
        let file = self.file.get()?;
        if let Err(e) = (&*file).write_all(&buf[..E::SIZE]) {
            file.set_len(at)?;
            return Err(e);
        }
        self.entries.push(entry);
        Ok(())
    }

    /// Lets go of the file handle (the segment was sealed); the entries stay.
    pub fn close(&self) {
        self.file.close();
    }

    /// Drops every entry after the first `len`, in memory and on disk.
    pub fn truncate(&mut self, len: usize) -> io::Result<()> {
        if len < self.entries.len() {
            self.file.get()?.set_len((len * E::SIZE) as u64)?;
            self.entries.truncate(len);
        }
        Ok(())
    }

    pub fn entries(&self) -> &[E] {
        &self.entries
    }

    pub fn last(&self) -> Option<&E> {
        self.entries.last()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The last entry for which `before(entry)` holds, given that `before` is
    /// true for a prefix of the entries.
    pub fn floor(&self, before: impl Fn(&E) -> bool) -> Option<E> {
        let n = self.entries.partition_point(before);
        n.checked_sub(1).map(|i| self.entries[i])
    }
}

/// True when offset-index entries strictly increase and point inside the log.
pub fn offset_entries_consistent(entries: &[OffsetEntry], log_len: u64) -> bool {
    entries
        .windows(2)
        .all(|w| w[0].relative_offset < w[1].relative_offset && w[0].position < w[1].position)
        && entries.iter().all(|e| u64::from(e.position) < log_len)
}

/// True when time-index entries never go backwards and stay below `next_relative`.
pub fn time_entries_consistent(entries: &[TimeEntry], next_relative: u64) -> bool {
    entries
        .windows(2)
        .all(|w| w[0].timestamp <= w[1].timestamp && w[0].relative_offset <= w[1].relative_offset)
        && entries
            .iter()
            .all(|e| u64::from(e.relative_offset) < next_relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0.index");
        let mut index = OffsetIndex::create(&path, vec![]).unwrap();
        index
            .append(OffsetEntry {
                relative_offset: 9,
                position: 0,
            })
            .unwrap();
        index
            .append(OffsetEntry {
                relative_offset: 19,
                position: 4100,
            })
            .unwrap();
        let loaded = OffsetIndex::load(&path).unwrap().unwrap();
        assert_eq!(loaded, index.entries());
        assert_eq!(
            index.floor(|e| e.relative_offset <= 15).unwrap().position,
            0
        );
        assert_eq!(
            index.floor(|e| e.relative_offset <= 19).unwrap().position,
            4100
        );
        assert!(index.floor(|e| e.relative_offset <= 3).is_none());
    }

    #[test]
    fn a_ragged_file_reads_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0.timeindex");
        std::fs::write(&path, [0u8; 13]).unwrap();
        assert!(TimeIndex::load(&path).unwrap().is_none());
        assert!(TimeIndex::load(&dir.path().join("none")).unwrap().is_none());
    }
}
