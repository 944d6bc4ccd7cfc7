//! One client connection: size-prefixed frames in, one response frame out per
//! request, in order. A bad frame closes this connection only, and so does a
//! frame that does not arrive whole within `--request-timeout` of its first
//! byte. A frame's body is read only once its size fits in the broker-wide
//! budget of request bytes in flight ([`RequestBudget`]).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, OwnedSemaphorePermit, Semaphore, TryAcquireError};
use tokio::time::Instant;

use super::dispatch::{dispatch, DispatchError};
use super::state::State;

/// Like Kafka's `connections.max.idle.ms`.
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("negative frame length {0}")]
    NegativeLength(i32),
    #[error("frame of {size} bytes is over the limit of {max} bytes ({flag})")]
    TooLarge {
        size: usize,
        max: usize,
        flag: &'static str,
    },
    #[error("connection closed in the middle of a frame")]
    Truncated,
    #[error("idle for {0:?}")]
    Idle(Duration),
    #[error(
        "{what} did not arrive within {timeout:?} of its first byte \
         ({got} bytes came; --request-timeout)"
    )]
    Timeout {
        what: String,
        got: usize,
        timeout: Duration,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The bytes of requests the broker holds at once, over all connections
/// (Kafka's `queued.max.request.bytes`): a frame takes its size from here
/// before its body is read, so its buffer is allocated only under the cap,
/// and gives it back once its response is written.
pub struct RequestBudget {
    bytes: Arc<Semaphore>,
    cap: usize,
    /// Set while connections wait for room, so the wait is logged once per
    /// episode rather than once per request.
    exhausted: AtomicBool,
}

impl RequestBudget {
    pub fn new(cap: usize) -> RequestBudget {
        let cap = cap.min(Semaphore::MAX_PERMITS);
        RequestBudget {
            bytes: Arc::new(Semaphore::new(cap)),
            cap,
            exhausted: AtomicBool::new(false),
        }
    }

    /// Waits until `size` bytes fit under the cap. `size` is at most the cap
    /// (larger frames are refused before this).
    async fn reserve(&self, size: usize) -> Result<OwnedSemaphorePermit, FrameError> {
        let n = u32::try_from(size).unwrap_or(u32::MAX);
        let closed = |_| FrameError::Io(std::io::Error::other("the broker is shutting down"));
        match self.bytes.clone().try_acquire_many_owned(n) {
            Ok(permit) => {
                if self.exhausted.swap(false, Ordering::Relaxed) {
                    tracing::info!("requests in flight are under --queued-max-request-bytes again");
                }
                Ok(permit)
            }
            Err(TryAcquireError::NoPermits) => {
                if !self.exhausted.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        cap = self.cap,
                        "requests in flight reached --queued-max-request-bytes; \
                         connections wait before sending more"
                    );
                }
                self.bytes
                    .clone()
                    .acquire_many_owned(n)
                    .await
                    .map_err(closed)
            }
            Err(TryAcquireError::Closed) => Err(FrameError::Io(std::io::Error::other(
                "the broker is shutting down",
            ))),
        }
    }
}

/// A frame's buffer starts at most this large and grows as its bytes arrive.
const FIRST_READ: usize = 64 * 1024;

/// What bounds one frame.
struct FrameLimits<'a> {
    max: usize,
    flag: &'static str,
    timeout: Duration,
    budget: &'a RequestBudget,
}

/// Reads one frame, holding its size in the request budget. `Ok(None)` is a
/// clean close between frames.
async fn read_frame<R: AsyncReadExt + Unpin>(
    reader: &mut R,
    limits: &FrameLimits<'_>,
) -> Result<Option<(Bytes, OwnedSemaphorePermit)>, FrameError> {
    let mut size = [0u8; 4];
    let n = match tokio::time::timeout(IDLE_TIMEOUT, reader.read(&mut size)).await {
        Ok(n) => n?,
        Err(_) => return Err(FrameError::Idle(IDLE_TIMEOUT)),
    };
    if n == 0 {
        return Ok(None);
    }
    // From the first byte on, the whole frame is on the clock: a client may
    // not park a partial request (and the memory under it) indefinitely.
    let mut deadline = Instant::now() + limits.timeout;
    let mut got = n;
    let timed_out = |what: String, got: usize| FrameError::Timeout {
        what,
        got,
        timeout: limits.timeout,
    };
    while got < 4 {
        let n = match tokio::time::timeout_at(deadline, reader.read(&mut size[got..])).await {
            Ok(n) => n?,
            Err(_) => return Err(timed_out("the 4-byte size of a request".into(), got)),
        };
        if n == 0 {
            return Err(FrameError::Truncated);
        }
        got += n;
    }
    let size = i32::from_be_bytes(size);
    if size < 0 {
        return Err(FrameError::NegativeLength(size));
    }
    let size = size as usize;
    if size > limits.max {
        return Err(FrameError::TooLarge {
            size,
            max: limits.max,
            flag: limits.flag,
        });
    }
    // Waiting for room is the broker's doing, not the client's: it does not
    // count against the client's time.
    let waited = Instant::now();
    let permit = limits.budget.reserve(size).await?;
    deadline += waited.elapsed();
    // The buffer grows with the bytes that arrive, not with the size the
    // client declared: a frame that claims 100 MB and sends 4 bytes costs
    // kilobytes. Doubling keeps the copies to about one frame's worth.
    let mut frame = BytesMut::with_capacity(size.min(FIRST_READ));
    while frame.len() < size {
        if frame.len() == frame.capacity() {
            frame.reserve(frame.len().min(size - frame.len()));
        }
        let want = size - frame.len();
        let outcome = {
            let mut room = (&mut frame).limit(want);
            tokio::time::timeout_at(deadline, reader.read_buf(&mut room)).await
        };
        let n = match outcome {
            Ok(n) => n?,
            Err(_) => return Err(timed_out(format!("a request of {size} bytes"), frame.len())),
        };
        if n == 0 {
            return Err(FrameError::Truncated);
        }
    }
    Ok(Some((frame.freeze(), permit)))
}

/// Reads the first frame of `input` exactly as a connection does, with `max`
/// as `--max-request-bytes`: for the fuzz test of the request path.
pub async fn read_first_frame(input: &[u8], max: usize) -> Result<Option<Bytes>, FrameError> {
    let budget = RequestBudget::new(max);
    let limits = FrameLimits {
        max,
        flag: "--max-request-bytes",
        timeout: Duration::from_secs(1),
        budget: &budget,
    };
    let mut reader = input;
    Ok(read_frame(&mut reader, &limits)
        .await?
        .map(|(frame, _)| frame))
}

/// Serves requests until the client closes, a frame is bad, or the broker shuts down.
pub async fn serve(
    state: Arc<State>,
    budget: Arc<RequestBudget>,
    stream: TcpStream,
    peer: SocketAddr,
    mut shutdown: broadcast::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    // A frame the whole budget could not hold would wait forever: refuse it
    // as one over --max-request-bytes.
    let (max, flag) = if budget.cap < state.config.max_request_bytes {
        (budget.cap, "--queued-max-request-bytes")
    } else {
        (state.config.max_request_bytes, "--max-request-bytes")
    };
    let limits = FrameLimits {
        max,
        flag,
        timeout: state.config.request_timeout,
        budget: &budget,
    };
    loop {
        let frame = tokio::select! {
            frame = read_frame(&mut reader, &limits) => frame,
            _ = shutdown.recv() => return,
        };
        // The permit is held until the response is written.
        let (frame, _permit) = match frame {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            // A client going away abruptly is its business, not a broker problem.
            Err(FrameError::Io(e)) => {
                tracing::debug!(%peer, "closing connection: {e}");
                return;
            }
            Err(e) => {
                tracing::warn!(%peer, "closing connection: {e}");
                return;
            }
        };
        let reply = tokio::select! {
            reply = dispatch(&state, frame, peer) => reply,
            _ = shutdown.recv() => return,
        };
        match reply {
            Ok(Some(response)) => {
                if let Err(e) = writer.write_all(&response).await {
                    tracing::debug!(%peer, "closing connection: write failed: {e}");
                    return;
                }
            }
            Ok(None) => {}
            Err(e @ (DispatchError::Handler { .. } | DispatchError::Encode { .. })) => {
                tracing::error!(%peer, "closing connection: {e}");
                return;
            }
            Err(e) => {
                tracing::warn!(%peer, "closing connection: {e}");
                return;
            }
        }
    }
}
