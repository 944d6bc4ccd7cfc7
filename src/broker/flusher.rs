//! Group commit for acks=all. Producers hand the file they wrote to over a
//! channel; one thread takes everything queued, fdatasyncs each distinct file
//! once, and answers all of them. While one sync runs, the next round's
//! requests pile up, so many producers share each fsync.
//!
//! A file whose fdatasync failed once is never synced again: the kernel may
//! have dropped the dirty pages it could not write and report the next sync
//! as a success (PostgreSQL's "fsyncgate"). Every later request for it fails
//! too, and the caller takes its partition offline.

use std::fs::File;
use std::io;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

use tokio::sync::oneshot;

struct FlushRequest {
    file: Arc<File>,
    done: oneshot::Sender<io::Result<()>>,
}

#[derive(Clone)]
pub struct Flusher {
    tx: mpsc::Sender<FlushRequest>,
}

/// How a file is made durable: `File::sync_data`, except in tests that
/// need a disk that fails.
pub type SyncFn = fn(&File) -> io::Result<()>;

impl Flusher {
    /// Starts the flusher thread. It ends when every `Flusher` clone is dropped.
    pub fn start() -> Flusher {
        Flusher::start_with(File::sync_data)
    }

    /// Starts a flusher that makes files durable with `sync`.
    pub fn start_with(sync: SyncFn) -> Flusher {
        let (tx, rx) = mpsc::channel::<FlushRequest>();
        thread::Builder::new()
            .name("dq-flusher".into())
            .spawn(move || run(rx, sync))
            .expect("spawning the flusher thread");
        Flusher { tx }
    }

    /// Queues a sync of `file` at once; the returned future resolves when
    /// everything written to it before this call is on disk.
    pub fn sync(&self, file: Arc<File>) -> impl std::future::Future<Output = io::Result<()>> {
        let (done, wait) = oneshot::channel();
        let sent = self.tx.send(FlushRequest { file, done });
        async move {
            sent.map_err(|_| io::Error::other("the flusher has stopped"))?;
            wait.await
                .unwrap_or_else(|_| Err(io::Error::other("the flusher has stopped")))
        }
    }
}

fn run(rx: mpsc::Receiver<FlushRequest>, sync: SyncFn) {
    // Files whose sync failed, held so their addresses are never reused by
    // another file; only failures add to it.
    let mut failed: Vec<Arc<File>> = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut round = vec![first];
        round.extend(rx.try_iter());
        let mut synced: Vec<(*const File, Option<io::ErrorKind>)> = Vec::with_capacity(round.len());
        for req in round {
            let key = Arc::as_ptr(&req.file);
            let result = if failed.iter().any(|f| Arc::as_ptr(f) == key) {
                Err(io::Error::other(
                    "an earlier fdatasync of this file failed; its data cannot be trusted to reach the disk",
                ))
            } else if let Some((_, outcome)) = synced.iter().find(|(f, _)| *f == key) {
                outcome.map_or(Ok(()), |kind| Err(io::Error::from(kind)))
            } else {
                let r = sync(&req.file);
                synced.push((key, r.as_ref().err().map(|e| e.kind())));
                if r.is_err() {
                    failed.push(req.file.clone());
                }
                r
            };
            let _ = req.done.send(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use bytes::Bytes;
    use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
    use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
    use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
    use kafka_protocol::messages::{
        FetchRequest, MetadataRequest, ProduceRequest, RequestHeader, TopicName,
    };
    use kafka_protocol::protocol::StrBytes;
    use kafka_protocol::ResponseError;

    use super::*;
    use crate::broker::dispatch::Context;
    use crate::broker::handlers;
    use crate::broker::state::{BrokerConfig, State};
    use crate::broker::storage::batch::encode_plain;

    fn failing_sync(_: &File) -> io::Result<()> {
        Err(io::Error::from_raw_os_error(libc::EIO))
    }

    fn ctx(version: i16) -> Context {
        Context {
            header: RequestHeader::default().with_request_api_version(version),
            peer: "127.0.0.1:1".parse().unwrap(),
        }
    }

    fn produce(acks: i16) -> ProduceRequest {
        let batch = encode_plain(&[(None, Some(Bytes::from_static(b"v")), 1)]);
        ProduceRequest::default()
            .with_acks(acks)
            .with_timeout_ms(5000)
            .with_topic_data(vec![TopicProduceData::default()
                .with_name(TopicName(StrBytes::from_static_str("t")))
                .with_partition_data(vec![PartitionProduceData::default()
                    .with_index(0)
                    .with_records(Some(batch))])])
    }

    #[test]
    fn a_failed_fdatasync_takes_the_partition_offline_for_produce_fetch_and_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = State::open(
            BrokerConfig::new(dir.path().join("data")),
            ("localhost".into(), 9092),
        )
        .unwrap();
        state.flusher = Flusher::start_with(failing_sync);
        state
            .logs
            .create_topic("t", 1, 1, BTreeMap::new(), false)
            .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let storage_error = ResponseError::KafkaStorageError.code();

        // acks=all: the write reached the page cache, the sync failed.
        let r = rt
            .block_on(handlers::produce::produce(&state, &ctx(9), produce(-1)))
            .unwrap();
        let p = &r.responses[0].partition_responses[0];
        assert_eq!(p.error_code, storage_error);
        let message = p.error_message.as_ref().unwrap().to_string();
        assert!(
            message.contains("offline") && message.contains("fdatasync failed"),
            "{message}"
        );

        // Never retried as if nothing happened: even acks=1 is refused now.
        let r = rt
            .block_on(handlers::produce::produce(&state, &ctx(9), produce(1)))
            .unwrap();
        assert_eq!(
            r.responses[0].partition_responses[0].error_code,
            storage_error
        );

        let fetch = FetchRequest::default()
            .with_max_wait_ms(0)
            .with_max_bytes(1 << 20)
            .with_topics(vec![FetchTopic::default()
                .with_topic(TopicName(StrBytes::from_static_str("t")))
                .with_partitions(vec![FetchPartition::default()
                    .with_partition(0)
                    .with_fetch_offset(0)
                    .with_partition_max_bytes(1 << 20)])]);
        let r = rt
            .block_on(handlers::fetch::fetch(&state, &ctx(11), fetch))
            .unwrap();
        assert_eq!(r.responses[0].partitions[0].error_code, storage_error);

        let metadata = MetadataRequest::default()
            .with_topics(Some(vec![MetadataRequestTopic::default()
                .with_name(Some(TopicName(StrBytes::from_static_str("t"))))]));
        let r = rt
            .block_on(handlers::metadata::metadata(&state, &ctx(9), metadata))
            .unwrap();
        assert_eq!(r.topics[0].partitions[0].error_code, storage_error);
        assert_eq!(r.topics[0].partitions[0].offline_replicas.len(), 1);
    }

    #[test]
    fn a_file_whose_sync_failed_is_never_synced_again() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        fn fails_once(_: &File) -> io::Result<()> {
            if CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
                Err(io::Error::from_raw_os_error(libc::EIO))
            } else {
                Ok(())
            }
        }
        let flusher = Flusher::start_with(fails_once);
        let file = Arc::new(tempfile::tempfile().unwrap());
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(rt.block_on(flusher.sync(file.clone())).is_err());
        // A second sync would succeed at the kernel; the flusher does not ask.
        assert!(rt.block_on(flusher.sync(file.clone())).is_err());
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
        let other = Arc::new(tempfile::tempfile().unwrap());
        assert!(rt.block_on(flusher.sync(other)).is_ok());
    }
}
