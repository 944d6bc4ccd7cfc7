//! One client connection: size-prefixed frames in, one response frame out per
//! request, in order. A bad frame closes this connection only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::broadcast;

use super::dispatch::{dispatch, DispatchError};
use super::state::State;

/// Like Kafka's `connections.max.idle.ms`.
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("negative frame length {0}")]
    NegativeLength(i32),
    #[error("frame of {size} bytes is over the limit of {max} bytes (--max-request-bytes)")]
    TooLarge { size: usize, max: usize },
    #[error("connection closed in the middle of a frame")]
    Truncated,
    #[error("idle for {0:?}")]
    Idle(Duration),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads one frame. `Ok(None)` is a clean close between frames.
async fn read_frame<R: AsyncReadExt + Unpin>(
    reader: &mut R,
    max: usize,
) -> Result<Option<Bytes>, FrameError> {
    let mut size = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = match tokio::time::timeout(IDLE_TIMEOUT, reader.read(&mut size[got..])).await {
            Ok(n) => n?,
            Err(_) => return Err(FrameError::Idle(IDLE_TIMEOUT)),
        };
        if n == 0 {
            return if got == 0 {
                Ok(None)
            } else {
                Err(FrameError::Truncated)
            };
        }
        got += n;
    }
    let size = i32::from_be_bytes(size);
    if size < 0 {
        return Err(FrameError::NegativeLength(size));
    }
    let size = size as usize;
    if size > max {
        return Err(FrameError::TooLarge { size, max });
    }
    let mut frame = BytesMut::zeroed(size);
    match reader.read_exact(&mut frame).await {
        Ok(_) => Ok(Some(frame.freeze())),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(FrameError::Truncated),
        Err(e) => Err(e.into()),
    }
}

/// Serves requests until the client closes, a frame is bad, or the broker shuts down.
pub async fn serve(
    state: Arc<State>,
    stream: TcpStream,
    peer: SocketAddr,
    mut shutdown: broadcast::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let max = state.config.max_request_bytes;
    loop {
        let frame = tokio::select! {
            frame = read_frame(&mut reader, max) => frame,
            _ = shutdown.recv() => return,
        };
        let frame = match frame {
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
