//! Cancelling a wait on the network. librdkafka's blocking calls (metadata,
//! watermarks, committed offsets, a synchronous commit, closing a consumer)
//! wait up to the full `--timeout` and cannot be cut short, so a person's
//! Ctrl-C would go unheeded for 30 s against an unreachable broker. [`wait`]
//! runs such a call on a thread of its own and gives up on it as soon as a
//! cancel is [`request`]ed (the CLI's signal handler does that), leaving the
//! call to finish or time out unobserved.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// How long a call made to stop cleanly ([`wait_to_stop`]) may take after
/// the cancel: the final commit or flush after Ctrl-C goes through when the
/// broker answers, yet the command still ends within a second when it does
/// not.
pub const GRACE: Duration = Duration::from_millis(800);

/// How often a wait looks at the flag: well under the one second a person
/// may wait for Ctrl-C to take effect.
const TICK: Duration = Duration::from_millis(20);

/// The error of a wait given up because the command was interrupted; the CLI
/// turns it into the signal's exit code without a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted while waiting for the broker")
    }
}

impl std::error::Error for Cancelled {}

/// Raises the flag. Async-signal-safe: one atomic store.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Lowers the flag (the REPL's next command starts afresh).
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// Runs `call` (a blocking librdkafka call) and returns its result, or
/// [`Cancelled`] once a cancel arrives while it runs (or at once, without
/// running it, when one came before).
pub fn wait<T, F>(call: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    if requested() {
        return Err(Cancelled.into());
    }
    wait_to_stop(call)
}

/// As [`wait`], for a call that is part of stopping (the final commit,
/// closing a group member): one started after the cancel still has
/// [`GRACE`] to finish.
pub fn wait_to_stop<T, F>(call: F) -> anyhow::Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let already = requested();
    let started = Instant::now();
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("dq-wait".into())
        .spawn(move || {
            // The receiver is gone when the wait was given up.
            let _ = tx.send(call());
        })
        .map_err(|e| anyhow::anyhow!("cannot start a thread to wait for the broker: {e}"))?;
    loop {
        match rx.recv_timeout(TICK) {
            Ok(value) => return Ok(value),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the call to librdkafka ended without a result (it panicked)")
            }
        }
        if requested() && (!already || started.elapsed() >= GRACE) {
            return Err(Cancelled.into());
        }
    }
}

/// Whether an error (anywhere in its chain) is a [`Cancelled`] wait.
pub fn is_cancelled(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<Cancelled>().is_some())
}

/// Tells whether a flush or a drain that a cancel arrived during is still
/// worth waiting for: it is while the count of records left keeps falling,
/// and for at most [`GRACE`] after it last fell.
pub struct Progress {
    left: u64,
    since: Instant,
}

impl Progress {
    pub fn new(left: u64) -> Progress {
        Progress {
            left,
            since: Instant::now(),
        }
    }

    /// True when a cancel was requested and `left` has not fallen for
    /// [`GRACE`]: time to give up.
    pub fn stalled(&mut self, left: u64) -> bool {
        if left < self.left {
            self.left = left;
            self.since = Instant::now();
        }
        requested() && self.since.elapsed() >= GRACE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_returns_the_result_or_gives_up_on_cancel() {
        assert_eq!(wait(|| 7).unwrap(), 7);
        // The flag is process-wide: no other test in the library raises it.
        // The call raises it itself while it blocks, as Ctrl-C would.
        let (hold, never) = mpsc::channel::<()>();
        let started = Instant::now();
        let err = wait(move || {
            request();
            never.recv()
        })
        .unwrap_err();
        assert!(is_cancelled(&err), "{err:#}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // After the cancel, a call is not made at all; one made to stop
        // cleanly still finishes when quick, and is given up after the grace
        // period when stuck.
        assert!(is_cancelled(&wait(|| 8).unwrap_err()));
        assert_eq!(wait_to_stop(|| 8).unwrap(), 8);
        let (hold_too, never) = mpsc::channel::<()>();
        let started = Instant::now();
        let err = wait_to_stop(move || never.recv()).unwrap_err();
        assert!(is_cancelled(&err));
        assert!(started.elapsed() >= GRACE && started.elapsed() < Duration::from_secs(5));
        clear();
        drop((hold, hold_too));
    }
}
