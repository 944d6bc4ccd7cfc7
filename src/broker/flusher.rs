//! Group commit for acks=all. Producers hand the file they wrote to over a
//! channel; one thread takes everything queued, fdatasyncs each distinct file
//! once, and answers all of them. While one sync runs, the next round's
//! requests pile up, so many producers share each fsync.

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

impl Flusher {
    /// Starts the flusher thread. It ends when every `Flusher` clone is dropped.
    pub fn start() -> Flusher {
        let (tx, rx) = mpsc::channel::<FlushRequest>();
        thread::Builder::new()
            .name("dq-flusher".into())
            .spawn(move || run(rx))
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

fn run(rx: mpsc::Receiver<FlushRequest>) {
    while let Ok(first) = rx.recv() {
        let mut round = vec![first];
        round.extend(rx.try_iter());
        let mut synced: Vec<(*const File, io::ErrorKind, bool)> = Vec::with_capacity(round.len());
        for req in round {
            let key = Arc::as_ptr(&req.file);
            let result = match synced.iter().find(|(f, _, _)| *f == key) {
                Some((_, kind, ok)) => {
                    if *ok {
                        Ok(())
                    } else {
                        Err(io::Error::from(*kind))
                    }
                }
                None => {
                    let r = req.file.sync_data();
                    synced.push((
                        key,
                        r.as_ref().err().map_or(io::ErrorKind::Other, |e| e.kind()),
                        r.is_ok(),
                    ));
                    r
                }
            };
            let _ = req.done.send(result);
        }
    }
}
