//! Durable state in Kafka's own on-disk format. This module sees raw record
//! batch bytes and plain values only, never protocol request types.
//!
//! - [`catalog`]: which topics exist, their ids, partition counts and configs;
//! - [`log`]: one partition's segments, appends and reads;
//! - [`segment`], [`index`], [`batch`]: the files and byte layouts under it;
//! - [`validate`]: Kafka's log validator for what clients produce;
//! - [`files`]: the broker-wide bound on open segment files;
//! - [`data_dir`]: the directory's lock, clean-shutdown marker and write health.

pub mod batch;
pub mod catalog;
pub mod cleaner;
pub mod config;
pub mod data_dir;
pub mod files;
pub mod index;
pub mod log;
pub mod log_manager;
pub mod producers;
pub mod segment;
pub mod txn;
pub mod validate;

pub use catalog::{Catalog, TopicDef};
pub use log::{AppendInfo, LogConfig, Origin, PartitionLog, ReadSlice};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("corrupt record batch: {0}")]
    CorruptBatch(&'static str),
    #[error("record batch magic {0} is not supported (only v2 batches are)")]
    UnsupportedMagic(i8),
    #[error("record batch of {size} bytes is larger than max.message.bytes ({max})")]
    MessageTooLarge { size: usize, max: usize },
    #[error("offset {offset} is outside the log ({start}..{end})")]
    OffsetOutOfRange { offset: i64, start: i64, end: i64 },
    #[error("producer {producer_id} sent sequence {got}, expected {expected}")]
    OutOfOrderSequence {
        producer_id: i64,
        expected: i32,
        got: i32,
    },
    #[error("producer {producer_id} epoch {epoch} is fenced by epoch {current}")]
    ProducerFenced {
        producer_id: i64,
        epoch: i16,
        current: i16,
    },
    /// A transaction marker from a coordinator older than the last one.
    #[error("transaction marker for producer {producer_id} carries coordinator epoch {epoch}, older than {current}")]
    CoordinatorFenced {
        producer_id: i64,
        epoch: i32,
        current: i32,
    },
    /// A write the producer's transaction state does not allow (Kafka's
    /// InvalidTxnStateException).
    #[error("{0}")]
    InvalidTxnState(String),
    /// Refused by the log validator (Kafka's InvalidRecordException, or
    /// records the topic's configs forbid).
    #[error(transparent)]
    Invalid(#[from] validate::Invalid),
    #[error("{context}: {source}")]
    Catalog {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A write failed (a full disk, say) and was cut back off: the log is
    /// exactly as it was, and writes work again once the cause is gone.
    #[error("cannot write to {}: {source} (the write was rolled back; the log is unchanged)", path.display())]
    WriteFailed {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An fsync (or rolling back a failed write) failed: what is on disk can
    /// no longer be trusted, so the partition serves nothing until a restart
    /// recovers it from the files.
    #[error("partition {} is offline: {reason}; restart dq serve to recover it", dir.display())]
    Offline {
        dir: std::path::PathBuf,
        reason: String,
    },
    #[error("data directory {} is in use by another dq serve ({holder}): stop it, or pass a different --data-dir", dir.display())]
    DataDirLocked {
        dir: std::path::PathBuf,
        holder: String,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
