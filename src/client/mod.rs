//! rdkafka (librdkafka) wrappers for the client subcommands: configuration
//! from flags, a producer that turns delivery reports into plain values, and
//! a consumer that positions itself, tracks where "the end" is and hands out
//! records as [`crate::output::RecordView`]s; and, where librdkafka has no
//! call for it, partition sizes on disk by DescribeLogDirs ([`logdirs`]),
//! over dq's own protocol connection ([`wire`]).
//! Nothing here prints; callers decide what a person sees.

/// `ClientContext` for a context with a `last_error: LastError` field:
/// librdkafka's log lines and errors are kept there, so that a failure can
/// say why (a refused connection, a failed name lookup).
macro_rules! keeps_last_error {
    ($context:ty) => {
        impl rdkafka::client::ClientContext for $context {
            fn log(&self, level: rdkafka::config::RDKafkaLogLevel, facility: &str, message: &str) {
                self.last_error.record_log(level, facility, message);
            }

            fn error(&self, _error: rdkafka::error::KafkaError, reason: &str) {
                self.last_error.record(reason);
            }
        }
    };
}

pub mod admin;
pub mod cancel;
pub mod config;
pub mod consumer;
pub mod consumer_groups;
pub mod groups;
pub mod logdirs;
pub mod perf;
pub mod producer;
pub mod profile;
pub mod reset;
pub mod share_consumer;
pub mod share_groups;
pub mod transactions;
pub mod wire;

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;

pub use config::ClientOptions;

static LONG_LIVED: AtomicBool = AtomicBool::new(false);

/// Says this process runs many commands (the REPL), so clients that one-shot
/// commands leave for the process exit to reap must be closed instead.
pub fn set_long_lived() {
    LONG_LIVED.store(true, Ordering::SeqCst);
}

/// A consumer whose close would wait on a group coordinator it never joined.
/// A one-shot command leaves it to the process exit, which is immediate; in
/// the REPL it is closed on a thread of its own, so the prompt does not wait
/// and its threads, connections and prefetched records do not pile up.
pub struct Unjoined<T: Send + 'static>(Option<T>);

impl<T: Send + 'static> Unjoined<T> {
    pub fn new(client: T) -> Unjoined<T> {
        Unjoined(Some(client))
    }

    /// The client itself, to be closed in place by the caller.
    pub fn take(&mut self) -> Option<T> {
        self.0.take()
    }
}

impl<T: Send + 'static> Deref for Unjoined<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_ref().expect("present until dropped")
    }
}

impl<T: Send + 'static> Drop for Unjoined<T> {
    fn drop(&mut self) {
        let Some(client) = self.0.take() else {
            return;
        };
        if !LONG_LIVED.load(Ordering::SeqCst) {
            std::mem::forget(client);
            return;
        }
        let closing = std::thread::Builder::new()
            .name("dq-close".into())
            .spawn(move || drop(client));
        if let Err(e) = closing {
            // Without a thread to close it on, leaking it beats blocking.
            tracing::debug!("cannot spawn a thread to close a client: {e}");
        }
    }
}

/// Remembers librdkafka's most recent error callback, because the error a
/// blocking call returns ("timed out") rarely says why ("connection refused").
#[derive(Default)]
pub struct LastError(Mutex<Option<String>>);

impl LastError {
    pub fn record(&self, reason: &str) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason.to_string());
    }

    /// librdkafka reports a failed connection only as a log line (facility
    /// FAIL); the error callback that follows is a bare "all brokers down".
    pub fn record_log(
        &self,
        level: rdkafka::config::RDKafkaLogLevel,
        facility: &str,
        message: &str,
    ) {
        if facility == "FAIL" && (level as i32) <= rdkafka::config::RDKafkaLogLevel::Warning as i32
        {
            self.record(message);
        }
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The short cause inside librdkafka's connection error text, e.g.
/// "127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection
/// refused (after 0ms in state CONNECT)" → "connection refused".
fn short_cause(reason: &str) -> String {
    let tail = match (
        reason.rsplit_once("failed: "),
        reason.find("Failed to resolve"),
    ) {
        (Some((_, t)), _) => t,
        (None, Some(at)) => &reason[at..],
        (None, None) => reason
            .rsplit_once("/bootstrap: ")
            .map_or(reason, |(_, t)| t),
    };
    let cause = tail.split(" (after ").next().unwrap_or(tail).trim();
    let mut chars = cause.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => reason.to_string(),
    }
}

/// Turns a failed metadata request into the error a person should read.
pub fn connect_error(
    bootstrap: &str,
    timeout: Duration,
    err: &KafkaError,
    last: Option<String>,
) -> anyhow::Error {
    let unreachable = matches!(
        err.rdkafka_error_code(),
        Some(
            RDKafkaErrorCode::OperationTimedOut
                | RDKafkaErrorCode::BrokerTransportFailure
                | RDKafkaErrorCode::AllBrokersDown
                | RDKafkaErrorCode::Resolve
        )
    );
    if unreachable {
        let cause = last.map_or_else(
            || format!("no answer within {timeout:?}"),
            |r| short_cause(&r),
        );
        anyhow::anyhow!("cannot reach broker at {bootstrap} ({cause}): is `dq serve` running, or is --bootstrap-server right?")
    } else {
        match last {
            Some(reason) => {
                anyhow::anyhow!("cannot talk to the broker at {bootstrap}: {err} ({reason})")
            }
            None => anyhow::anyhow!("cannot talk to the broker at {bootstrap}: {err}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::short_cause;

    #[test]
    fn connection_errors_shrink_to_their_cause() {
        assert_eq!(
            short_cause("127.0.0.1:9/bootstrap: Connect to ipv4#127.0.0.1:9 failed: Connection refused (after 0ms in state CONNECT)"),
            "connection refused"
        );
        assert_eq!(
            short_cause("[thrd:x:9/bootstrap]: x:9/bootstrap: Failed to resolve 'x:9': Name or service not known"),
            "failed to resolve 'x:9': Name or service not known"
        );
        assert_eq!(
            short_cause("Local: Broker transport failure"),
            "local: Broker transport failure"
        );
    }
}
