//! Log compaction for `cleanup.policy=compact`: keep the latest record per
//! key, drop tombstones older than delete.retention.ms. The active segment is
//! never touched. Work happens in three steps so produce and fetch are never
//! blocked on it: a plan is taken under the partition lock (which segments,
//! their files), the cleaned copies are written without any lock, and the
//! swap is made under the lock again.
//!
//! Crash safety: a cleaned copy is written as `<base>.log.cleaned`, synced,
//! then renamed to `<base>.log.swap`. Only then is the old segment removed and
//! the swap file renamed into place. On open, a leftover `.cleaned` is
//! deleted (the old segment is intact) and a leftover `.swap` replaces its
//! segment (it holds everything that had to survive).
//!
//! Transactions (as Kafka's cleaner): only segments wholly below the last
//! stable offset are cleaned, so no undecided record is touched; records of
//! aborted transactions are dropped (and never shadow an older value of
//! their key); a marker is kept while records of its transaction remain,
//! and then until it is older than delete.retention.ms, so a consumer that
//! saw the records also sees the marker.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use bytes::{Buf, Bytes, BytesMut};
use kafka_protocol::records::{
    Record, RecordBatchDecoder, RecordBatchEncoder, RecordEncodeOptions, RecordSet,
};

use super::files::CachedFile;
use super::log::LogConfig;
use super::segment::file_name;
use super::txn::AbortedTxn;
use super::StorageError;

/// The segments one compaction pass may rewrite.
pub struct CleanPlan {
    pub(super) dir: PathBuf,
    /// (base offset, file, size) of each non-active segment.
    pub(super) segments: Vec<(i64, CachedFile, u64)>,
    pub(super) config: LogConfig,
    /// The active segment's base offset when planned: everything before it
    /// is covered by this pass.
    pub(super) end: i64,
    /// Aborted transactions that may have records in these segments.
    pub(super) aborted: Vec<AbortedTxn>,
}

/// A cleaned copy ready to be swapped in.
pub struct Cleaned {
    pub base_offset: i64,
    pub swap: PathBuf,
    pub records_before: usize,
    pub records_after: usize,
}

fn decode_segment(file: &File, size: u64) -> Result<Vec<RecordSet>, StorageError> {
    let mut buf = vec![0u8; size as usize];
    file.read_exact_at(&mut buf, 0)?;
    let mut bytes = Bytes::from(buf);
    let mut sets = Vec::new();
    while bytes.has_remaining() {
        let set = RecordBatchDecoder::decode(&mut bytes).map_err(|_| {
            StorageError::CorruptBatch("a stored batch could not be decoded for compaction")
        })?;
        sets.push(set);
    }
    Ok(sets)
}

impl CleanPlan {
    pub fn end(&self) -> i64 {
        self.end
    }

    /// A record of an aborted transaction.
    fn is_aborted(&self, r: &Record) -> bool {
        r.transactional
            && !r.control
            && self.aborted.iter().any(|a| {
                a.producer_id == r.producer_id
                    && a.first_offset <= r.offset
                    && r.offset < a.last_offset
            })
    }

    pub fn run(&self, now_ms: i64) -> Result<Vec<Cleaned>, StorageError> {
        let mut latest: HashMap<Bytes, i64> = HashMap::new();
        for (_, file, size) in &self.segments {
            for set in decode_segment(&*file.get()?, *size)? {
                for r in set.records.iter().filter(|r| !r.control) {
                    if self.is_aborted(r) {
                        continue;
                    }
                    if let Some(k) = &r.key {
                        latest.insert(k.clone(), r.offset);
                    }
                }
            }
        }
        // Per producer: whether a record of its current transaction was kept,
        // which decides whether the transaction's marker must stay. Segments
        // are cleaned in offset order, so a marker comes after its records.
        let mut kept_in_txn: HashMap<i64, bool> = HashMap::new();
        let mut keep = |r: &Record| {
            if r.control {
                let had_records = kept_in_txn.remove(&r.producer_id).unwrap_or(false);
                let expired = now_ms.saturating_sub(r.timestamp) > self.config.delete_retention_ms;
                return had_records || !expired;
            }
            if self.is_aborted(r) {
                return false;
            }
            let kept = self.keep_data(r, now_ms, &latest);
            if kept && r.transactional {
                kept_in_txn.insert(r.producer_id, true);
            }
            kept
        };

        let mut cleaned = Vec::new();
        for (base, file, size) in &self.segments {
            let sets = decode_segment(&*file.get()?, *size)?;
            let before: usize = sets.iter().map(|s| s.records.len()).sum();
            let mut out = BytesMut::new();
            let mut after = 0;
            for set in &sets {
                let mut kept: Vec<Record> =
                    set.records.iter().filter(|r| keep(r)).cloned().collect();
                if kept.is_empty() {
                    continue;
                }
                after += kept.len();
                // The encoder starts a new batch wherever offset minus sequence
                // changes; give plain producers' records sequences that keep
                // one batch together across the gaps compaction leaves.
                let first = kept[0].offset;
                for r in kept.iter_mut().filter(|r| r.producer_id < 0) {
                    r.sequence = (r.offset - first) as i32;
                }
                RecordBatchEncoder::encode(
                    &mut out,
                    &kept,
                    &RecordEncodeOptions {
                        version: 2,
                        compression: set.compression,
                    },
                )
                .map_err(|_| {
                    StorageError::CorruptBatch("a compacted batch could not be encoded")
                })?;
            }
            if after == before {
                continue;
            }
            let cleaned_path = self
                .dir
                .join(format!("{}.cleaned", file_name(*base, "log")));
            let swap = self.dir.join(format!("{}.swap", file_name(*base, "log")));
            let mut f = File::create(&cleaned_path)?;
            f.write_all(&out)?;
            f.sync_all()?;
            fs::rename(&cleaned_path, &swap)?;
            cleaned.push(Cleaned {
                base_offset: *base,
                swap,
                records_before: before,
                records_after: after,
            });
        }
        if !cleaned.is_empty() {
            File::open(&self.dir)?.sync_all()?;
        }
        Ok(cleaned)
    }
}

impl CleanPlan {
    /// Compaction's own rule for a committed or plain record: the newest
    /// of its key survives, a tombstone until delete.retention.ms.
    fn keep_data(&self, r: &Record, now_ms: i64, latest: &HashMap<Bytes, i64>) -> bool {
        if now_ms.saturating_sub(r.timestamp) < self.config.min_compaction_lag_ms {
            return true;
        }
        let Some(k) = &r.key else { return true };
        let newest = latest.get(k) == Some(&r.offset);
        let expired_tombstone = r.value.is_none()
            && now_ms.saturating_sub(r.timestamp) > self.config.delete_retention_ms;
        newest && !expired_tombstone
    }
}

/// Finishes or abandons a compaction interrupted by a crash (see module docs).
pub fn recover(dir: &Path) -> Result<(), StorageError> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.ends_with(".log.cleaned") {
            fs::remove_file(&path)?;
        } else if let Some(stem) = name.strip_suffix(".log.swap") {
            for ext in ["log", "index", "timeindex"] {
                let old = dir.join(format!("{stem}.{ext}"));
                if old.exists() {
                    fs::remove_file(old)?;
                }
            }
            fs::rename(&path, dir.join(format!("{stem}.log")))?;
            tracing::warn!(segment = %path.display(), "finished a compaction interrupted by a crash");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupted_swap_is_finished_and_a_partial_copy_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join(file_name(0, "log")), b"old").unwrap();
        fs::write(d.join(file_name(0, "index")), b"old-index").unwrap();
        fs::write(d.join(format!("{}.swap", file_name(0, "log"))), b"cleaned").unwrap();
        fs::write(d.join(file_name(10, "log")), b"keep").unwrap();
        fs::write(
            d.join(format!("{}.cleaned", file_name(10, "log"))),
            b"partial",
        )
        .unwrap();
        recover(d).unwrap();
        assert_eq!(fs::read(d.join(file_name(0, "log"))).unwrap(), b"cleaned");
        assert!(
            !d.join(file_name(0, "index")).exists(),
            "stale index removed, to be rebuilt"
        );
        assert_eq!(fs::read(d.join(file_name(10, "log"))).unwrap(), b"keep");
        let mut names: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec![file_name(0, "log"), file_name(10, "log")]);
    }
}
