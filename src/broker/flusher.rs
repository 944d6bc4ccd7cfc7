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
