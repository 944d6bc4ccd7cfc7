//! The data directory as a whole: the lock that keeps a second broker out,
//! the marker a clean shutdown leaves (so the next start may skip the deep
//! recovery scan), and the health of writes to it (one ERROR line per
//! episode of failing writes, one line when they recover).

use std::collections::HashMap;
use std::ffi::CString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::StorageError;

/// Kafka's name for the same lock file.
pub const LOCK_FILE: &str = ".lock";
/// Present only between a clean shutdown and the next start (Kafka:
/// `.kafka_cleanshutdown`).
pub const CLEAN_SHUTDOWN_FILE: &str = ".dq_cleanshutdown";

/// An exclusive flock(2) on `DATA_DIR/.lock`, held for the life of the
/// broker. The kernel drops it when the process ends however it ends
/// (SIGKILL included), so a stale lock never blocks a restart.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock, or says which process holds it.
    pub fn acquire(data_dir: &Path) -> Result<DataDirLock, StorageError> {
        let path = data_dir.join(LOCK_FILE);
        let io_error = |source| StorageError::Catalog {
            context: format!("cannot open the lock file {}", path.display()),
            source,
        };
        // Not truncated on open: the pid in it belongs to the holder until
        // the lock is ours.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(io_error(e));
            }
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(StorageError::DataDirLocked {
                dir: data_dir.to_path_buf(),
                holder: if holder.is_empty() {
                    "a process that has not written its pid yet".to_string()
                } else {
                    format!("pid {holder}")
                },
            });
        }
        file.set_len(0).map_err(io_error)?;
        file.write_all(format!("{}\n", std::process::id()).as_bytes())
            .map_err(io_error)?;
        Ok(DataDirLock { _file: file })
    }
}

/// True when the last broker on `data_dir` shut down cleanly (every log
/// synced, every recovery point saved).
pub fn was_shut_down_cleanly(data_dir: &Path) -> bool {
    data_dir.join(CLEAN_SHUTDOWN_FILE).exists()
}

/// Leaves the clean-shutdown marker, durably; the last thing a clean
/// shutdown does.
pub fn mark_clean_shutdown(data_dir: &Path) -> io::Result<()> {
    let file = File::create(data_dir.join(CLEAN_SHUTDOWN_FILE))?;
    file.sync_all()?;
    File::open(data_dir)?.sync_all()
}

/// Removes the clean-shutdown marker, durably, before the first write: a
/// crash from now on must be met with a full recovery.
pub fn clear_clean_shutdown(data_dir: &Path) -> io::Result<()> {
    match std::fs::remove_file(data_dir.join(CLEAN_SHUTDOWN_FILE)) {
        Ok(()) => File::open(data_dir)?.sync_all(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Bytes an unprivileged writer may still use on the filesystem holding
/// `path` (statvfs `f_bavail`), for the log line of a failing write.
pub fn free_bytes(path: &Path) -> Option<u64> {
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is NUL-terminated and `stat` is a plain C struct that
    // statvfs fills in; it is read only when the call succeeded.
    let stat = unsafe {
        let mut stat: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut stat) != 0 {
            return None;
        }
        stat
    };
    Some((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

/// Whether writes to one data directory are failing. A full disk fails
/// every partition's writes at once, so it is logged once per episode, not
/// once per request.
#[derive(Debug)]
pub struct WriteHealth {
    dir: PathBuf,
    failing: AtomicBool,
    /// Writes refused since the episode began.
    failures: AtomicU64,
}

impl WriteHealth {
    /// The one `WriteHealth` of `data_dir`, shared by all its partitions.
    /// Kept in a registry rather than passed down so every way a partition
    /// log is opened (start-up, CreateTopics, CreatePartitions) shares it.
    pub fn of(data_dir: &Path) -> Arc<WriteHealth> {
        static ALL: OnceLock<Mutex<HashMap<PathBuf, Weak<WriteHealth>>>> = OnceLock::new();
        let mut all = ALL
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        all.retain(|_, w| w.strong_count() > 0);
        if let Some(h) = all.get(data_dir).and_then(Weak::upgrade) {
            return h;
        }
        let h = Arc::new(WriteHealth {
            dir: data_dir.to_path_buf(),
            failing: AtomicBool::new(false),
            failures: AtomicU64::new(0),
        });
        all.insert(data_dir.to_path_buf(), Arc::downgrade(&h));
        h
    }

    /// A write to `path` failed and was rolled back.
    pub fn write_failed(&self, path: &Path, error: &io::Error) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        if self.failing.swap(true, Ordering::AcqRel) {
            tracing::debug!(path = %path.display(), %error, "write failed again (episode already logged)");
            return;
        }
        let free = free_bytes(path.parent().unwrap_or(path))
            .map_or_else(|| "unknown".to_string(), |b| b.to_string());
        tracing::error!(
            data_dir = %self.dir.display(),
            path = %path.display(),
            %error,
            free_bytes = %free,
            "writes to the data directory are failing; each failed write was rolled back and \
             produce answers KAFKA_STORAGE_ERROR until writes succeed again (free some space)"
        );
    }

    /// A write succeeded; ends an episode of failures, if one was going on.
    pub fn write_succeeded(&self) {
        if self.failing.load(Ordering::Relaxed) && self.failing.swap(false, Ordering::AcqRel) {
            let failed = self.failures.swap(0, Ordering::Relaxed);
            tracing::warn!(
                data_dir = %self.dir.display(),
                failed_writes = failed,
                "writes to the data directory succeed again"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_directory_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        // flock locks belong to the open file description, so a second
        // open in the same process conflicts just as another process would.
        match DataDirLock::acquire(dir.path()) {
            Err(StorageError::DataDirLocked { dir: d, holder }) => {
                assert_eq!(d, dir.path());
                assert_eq!(holder, format!("pid {}", std::process::id()));
            }
            other => panic!("expected DataDirLocked, got {other:?}"),
        }
        drop(first);
        DataDirLock::acquire(dir.path()).expect("free again once dropped");
    }

    #[test]
    fn the_clean_shutdown_marker_comes_and_goes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!was_shut_down_cleanly(dir.path()));
        mark_clean_shutdown(dir.path()).unwrap();
        assert!(was_shut_down_cleanly(dir.path()));
        clear_clean_shutdown(dir.path()).unwrap();
        assert!(!was_shut_down_cleanly(dir.path()));
        clear_clean_shutdown(dir.path()).unwrap();
    }

    #[test]
    fn partitions_of_one_directory_share_their_write_health() {
        let dir = tempfile::tempdir().unwrap();
        let a = WriteHealth::of(dir.path());
        let b = WriteHealth::of(dir.path());
        assert!(Arc::ptr_eq(&a, &b));
        a.write_failed(&dir.path().join("x"), &io::Error::other("disk full"));
        assert!(b.failing.load(Ordering::Relaxed));
        b.write_succeeded();
        assert!(!a.failing.load(Ordering::Relaxed));
    }
}
