//! The broker-wide bound on open segment files. Every partition's active
//! `.log` stays open ([`PinnedFile`], counted); every other segment file (the
//! `.log` of sealed segments, the `.index` and `.timeindex` being appended to)
//! is reached through a [`CachedFile`], opened on first use and closed again
//! when the cache needs room, so 10,000 partitions cost about 10,000 file
//! handles rather than three per segment.
//!
//! The cache is a CLOCK ring: a hit only sets a flag (no lock shared between
//! partitions), and making room sweeps the ring, giving recently used files
//! a second chance. Evicting only drops the cache's reference: a fetch or the
//! flusher holding the `Arc<File>` keeps using it, and the handle closes when
//! the last holder lets go.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// Used until the broker sets the bound from its open-file limit; tests
/// that open logs directly get this.
const DEFAULT_CAPACITY: usize = 4096;

/// The file-handle limit is per process, so the cache that keeps the broker
/// under it is too: one instance, sized once at start by [`set_capacity`].
static OPEN_FILES: FileCache = FileCache {
    capacity: AtomicUsize::new(DEFAULT_CAPACITY),
    pinned: AtomicUsize::new(0),
    ring: Mutex::new(Ring {
        slots: Vec::new(),
        hand: 0,
    }),
};

/// Sets how many segment files (pinned and cached together) may be open.
pub fn set_capacity(files: usize) {
    OPEN_FILES.capacity.store(files.max(1), Ordering::Relaxed);
}

pub fn capacity() -> usize {
    OPEN_FILES.capacity.load(Ordering::Relaxed)
}

/// Segment files open right now: pinned plus cached (an upper bound: a file
/// closed explicitly is counted until the next sweep).
pub fn open_count() -> usize {
    OPEN_FILES.pinned.load(Ordering::Relaxed) + OPEN_FILES.lock().slots.len()
}

struct FileCache {
    capacity: AtomicUsize,
    /// Active segment logs, which are never evicted but take room.
    pinned: AtomicUsize,
    ring: Mutex<Ring>,
}

struct Ring {
    /// Slots that hold (or held, until swept) an open file.
    slots: Vec<Weak<Slot>>,
    /// Where the next sweep starts.
    hand: usize,
}

impl FileCache {
    fn lock(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a newly opened slot, closing others until the bound holds.
    fn admit(&self, slot: &Arc<Slot>) {
        let mut ring = self.lock();
        ring.slots.push(Arc::downgrade(slot));
        self.make_room(&mut ring);
    }

    fn make_room(&self, ring: &mut Ring) {
        let capacity = self.capacity.load(Ordering::Relaxed);
        // Two turns of the hand give every file its second chance; past that,
        // the files left are in use right now and the bound is exceeded only
        // until they are released.
        let mut budget = 2 * ring.slots.len() + 1;
        while self.pinned.load(Ordering::Relaxed) + ring.slots.len() > capacity && budget > 0 {
            budget -= 1;
            if ring.hand >= ring.slots.len() {
                ring.hand = 0;
            }
            let i = ring.hand;
            let Some(slot) = ring.slots[i].upgrade() else {
                ring.slots.swap_remove(i);
                continue;
            };
            // Never wait on a slot while holding the ring: its owner may be
            // waiting for the ring to admit it.
            let Ok(mut state) = slot.state.try_lock() else {
                ring.hand += 1;
                continue;
            };
            if state.file.is_some() && slot.referenced.swap(false, Ordering::Relaxed) {
                ring.hand += 1;
                continue;
            }
            state.file = None;
            state.in_ring = false;
            drop(state);
            ring.slots.swap_remove(i);
        }
    }
}

/// How a cached file is reopened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A segment's `.log`: read by fetches, appended to while active.
    ReadAppend,
    /// An index file: appended to only.
    Append,
}

struct Slot {
    path: PathBuf,
    mode: Mode,
    state: Mutex<SlotState>,
    /// Set on every use; cleared by a passing sweep.
    referenced: AtomicBool,
}

struct SlotState {
    file: Option<Arc<File>>,
    /// The ring has an entry for this slot.
    in_ring: bool,
}

/// A segment file that is open only while the cache has room for it.
#[derive(Clone)]
pub struct CachedFile {
    slot: Arc<Slot>,
}

impl CachedFile {
    /// A handle on `path`; nothing is opened until [`get`](Self::get).
    pub fn new(path: PathBuf, mode: Mode) -> CachedFile {
        CachedFile {
            slot: Arc::new(Slot {
                path,
                mode,
                state: Mutex::new(SlotState {
                    file: None,
                    in_ring: false,
                }),
                referenced: AtomicBool::new(false),
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.slot.path
    }

    fn state(&self) -> MutexGuard<'_, SlotState> {
        self.slot.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The open file, opening it (and closing a less recently used one) if
    /// the cache had let it go.
    pub fn get(&self) -> io::Result<Arc<File>> {
        let state = self.state();
        self.slot.referenced.store(true, Ordering::Relaxed);
        if let Some(file) = &state.file {
            return Ok(file.clone());
        }
        let mut options = OpenOptions::new();
        options.append(true);
        if self.slot.mode == Mode::ReadAppend {
            options.read(true);
        }
        let file = Arc::new(options.open(&self.slot.path)?);
        self.install(state, file.clone());
        Ok(file)
    }

    /// Hands an already open handle to the cache (a sealed segment's log, or
    /// the file recovery just scanned), so the next read needs no open.
    pub fn adopt(&self, file: Arc<File>) {
        let state = self.state();
        self.slot.referenced.store(true, Ordering::Relaxed);
        self.install(state, file);
    }

    fn install(&self, mut state: MutexGuard<'_, SlotState>, file: Arc<File>) {
        state.file = Some(file);
        let admit = !state.in_ring;
        state.in_ring = true;
        drop(state);
        if admit {
            OPEN_FILES.admit(&self.slot);
        }
    }

    /// Takes the file out of the cache (opening it if needed), for a caller
    /// that will hold it itself.
    pub fn take(&self) -> io::Result<Arc<File>> {
        let file = self.get()?;
        self.close();
        Ok(file)
    }

    /// Drops the cache's handle now (a sealed segment's index); the ring
    /// entry goes at the next sweep.
    pub fn close(&self) {
        self.state().file = None;
    }
}

/// An active segment's log: always open and reached without the cache, so
/// the produce path pays nothing for the bound, yet counted against it.
pub struct PinnedFile {
    file: Arc<File>,
}

impl PinnedFile {
    pub fn new(file: Arc<File>) -> PinnedFile {
        OPEN_FILES.pinned.fetch_add(1, Ordering::Relaxed);
        PinnedFile { file }
    }

    pub fn file(&self) -> &Arc<File> {
        &self.file
    }
}

impl Drop for PinnedFile {
    fn drop(&mut self) {
        OPEN_FILES.pinned.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one test that changes the process-wide capacity; it checks the
    /// cache never holds more than it, whatever else runs.
    #[test]
    fn the_cache_closes_least_recently_used_files_and_reopens_them() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<CachedFile> = (0..50)
            .map(|i| {
                let path = dir.path().join(format!("{i}.log"));
                std::fs::write(&path, i.to_string()).unwrap();
                CachedFile::new(path, Mode::ReadAppend)
            })
            .collect();
        set_capacity(1_000_000);
        for f in &files {
            f.get().unwrap();
        }
        assert!(files.iter().all(|f| f.state().file.is_some()));
        set_capacity(10);
        // Opening one more file makes the cache shrink to its bound.
        let extra = dir.path().join("extra.log");
        std::fs::write(&extra, b"").unwrap();
        CachedFile::new(extra, Mode::ReadAppend).get().unwrap();
        let open = files.iter().filter(|f| f.state().file.is_some()).count();
        set_capacity(DEFAULT_CAPACITY);
        assert!(open <= 10, "{open} files still open with a capacity of 10");
        // An evicted file reopens with its content intact.
        for (i, f) in files.iter().enumerate() {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut &*f.get().unwrap(), &mut s).unwrap();
            assert_eq!(s, i.to_string());
        }
    }

    #[test]
    fn an_evicted_file_stays_valid_for_whoever_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0.log");
        std::fs::write(&path, b"batch").unwrap();
        let f = CachedFile::new(path, Mode::ReadAppend);
        let held = f.get().unwrap();
        f.close();
        let mut buf = [0u8; 5];
        std::os::unix::fs::FileExt::read_exact_at(&*held, &mut buf, 0).unwrap();
        assert_eq!(&buf, b"batch");
    }
}
