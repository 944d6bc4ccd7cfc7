//! A producer for one topic that never loses a record without saying so:
//! every record sent carries its input number, and every delivery report —
//! success with partition and offset, or the broker's error — comes back as
//! a [`DeliveryReport`]. Keys are hashed with murmur2 like the Java client,
//! so a key lands on the same partition whichever client sent it.

use std::ffi::CString;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rdkafka::bindings as rdsys;
use rdkafka::error::KafkaError;
use rdkafka::message::{DeliveryResult, Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::Message;

use super::{cancel, connect_error, ClientOptions, LastError};
use crate::output::OutRecord;

/// Records handed to the producer that have no delivery report yet, for a
/// signal handler to read (`u64::MAX`: no producer is running). Kept as one
/// atomic because a second Ctrl-C reports it from inside the handler.
static UNCONFIRMED: AtomicU64 = AtomicU64::new(u64::MAX);

/// How many records the running producer was handed that the broker has not
/// confirmed (nor refused) yet; `None` when no producer runs.
/// Async-signal-safe.
pub fn unconfirmed() -> Option<u64> {
    match UNCONFIRMED.load(Ordering::Relaxed) {
        u64::MAX => None,
        n => Some(n),
    }
}

/// The outcome of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Position in the input, counting from 1.
    pub number: u64,
    pub partition: i32,
    pub offset: i64,
    /// The broker's (or librdkafka's) error when the record was not stored.
    pub error: Option<String>,
}

struct Deliveries {
    last_error: LastError,
    /// Successes are kept only when someone will print them one by one;
    /// failures are always kept.
    keep_successes: bool,
    reports: Mutex<Vec<DeliveryReport>>,
    delivered: AtomicU64,
    failed: AtomicU64,
}

keeps_last_error!(Deliveries);

impl ProducerContext for Deliveries {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, number: usize) {
        let report = match result {
            Ok(m) => {
                self.delivered.fetch_add(1, Ordering::Relaxed);
                if !self.keep_successes {
                    return;
                }
                DeliveryReport {
                    number: number as u64,
                    partition: m.partition(),
                    offset: m.offset(),
                    error: None,
                }
            }
            Err((e, m)) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                DeliveryReport {
                    number: number as u64,
                    partition: m.partition(),
                    offset: -1,
                    error: Some(describe(e)),
                }
            }
        };
        self.reports
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(report);
    }
}

/// librdkafka's RD_KAFKA_PARTITION_UA: let the partitioner choose.
const UNASSIGNED: i32 = -1;

/// Where a key or value starts; null stands for a null key or value.
fn bytes_ptr(bytes: &Option<std::borrow::Cow<'_, [u8]>>) -> *mut std::ffi::c_void {
    bytes
        .as_deref()
        .map_or(ptr::null_mut(), |b| b.as_ptr() as *mut _)
}

/// librdkafka's wording without the "Message production error:" prefix,
/// e.g. "MessageSizeTooLarge (Broker: Message size too large)".
fn describe(e: &KafkaError) -> String {
    match e.rdkafka_error_code() {
        Some(code) => code.to_string(),
        None => e.to_string(),
    }
}

#[derive(Debug, Clone)]
pub struct ProducerSettings {
    /// "0", "1" or "all".
    pub acks: &'static str,
    /// librdkafka's compression.codec.
    pub compression: &'static str,
    /// Sends every record at once (a person is waiting for its report)
    /// instead of lingering to fill batches.
    pub interactive: bool,
    /// `--partition`: overrides the partitioner and the envelope.
    pub partition: Option<i32>,
    /// Keep successful reports for `--report each`.
    pub report_each: bool,
    /// Send in transactions under this `transactional.id` (the caller
    /// commits them with [`RecordProducer::commit_transaction`]).
    pub transactional_id: Option<String>,
}

/// librdkafka's handle for the topic, taken once: naming the topic on every
/// record makes librdkafka look it up under its client-wide write lock.
struct TopicHandle(NonNull<rdsys::rd_kafka_topic_t>);

impl Drop for TopicHandle {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_topic_new and destroyed only here, while
        // the client it belongs to is still alive (it is dropped after this).
        unsafe { rdsys::rd_kafka_topic_destroy(self.0.as_ptr()) }
    }
}

pub struct RecordProducer {
    /// Declared before `producer` so that it is destroyed first.
    topic_handle: TopicHandle,
    /// Shared with a [`cancel::wait`] for metadata, which may outlive a
    /// cancelled connect.
    producer: Arc<BaseProducer<Deliveries>>,
    topic: String,
    partitions: i32,
    partition: Option<i32>,
    options: ClientOptions,
    /// Records librdkafka accepted into its queue.
    queued: u64,
    /// Records librdkafka refused to queue (too large, no such partition);
    /// their reports are among the failures.
    rejected: u64,
    /// Records handed to [`RecordProducer::send`], queued or not.
    handed: u64,
    /// Records never queued because librdkafka's queue stayed full after a
    /// cancel: read, but neither sent nor refused.
    abandoned: u64,
    /// Successes have their own reports (`--report each`).
    report_each: bool,
    /// Reused for each call to librdkafka's batch API; empty between calls.
    messages: Vec<rdsys::rd_kafka_message_t>,
    /// Failures counted when the open transaction began: any more, and it
    /// cannot commit.
    failed_before_transaction: u64,
}

impl Drop for RecordProducer {
    fn drop(&mut self) {
        UNCONFIRMED.store(u64::MAX, Ordering::Relaxed);
    }
}

impl RecordProducer {
    /// Creates the producer and asks for the topic's metadata, which proves
    /// the broker is reachable (and, on brokers that allow it, creates the
    /// topic) before any input is read.
    pub fn connect(
        options: &ClientOptions,
        settings: &ProducerSettings,
        topic: &str,
    ) -> anyhow::Result<RecordProducer> {
        let timeout_ms = options.timeout.as_millis().max(1).to_string();
        let defaults = [
            ("acks", settings.acks.to_string()),
            ("compression.codec", settings.compression.to_string()),
            // Java's default partitioner: murmur2 of the key; keyless records
            // spread at random.
            ("partitioner", "murmur2_random".to_string()),
            ("message.timeout.ms", timeout_ms),
            (
                "linger.ms",
                if settings.interactive { "0" } else { "5" }.to_string(),
            ),
            // librdkafka's default, kept on purpose: input read faster than
            // the broker acknowledges waits here. A million-record queue let
            // a 1M-line input pile up (150 MB resident, +25 % CPU in page
            // faults and cold memory) without finishing any sooner.
            ("queue.buffering.max.messages", "100000".to_string()),
            ("batch.num.messages", "100000".to_string()),
            ("batch.size", "1000000".to_string()),
            // Without per-record reports, a success needs no event of its own:
            // once the queue is empty, every record not reported as failed
            // was acknowledged. Saves a fifth of the CPU on large inputs.
            (
                "delivery.report.only.error",
                (!settings.report_each).to_string(),
            ),
        ];
        let mut config = options.config(&defaults).map_err(anyhow::Error::msg)?;
        if let Some(id) = &settings.transactional_id {
            config.set("transactional.id", id);
            // librdkafka refuses a message timeout above the transaction's;
            // Kafka's default of a minute covers the default --timeout.
            if config.get("transaction.timeout.ms").is_none() {
                let ms = options.timeout.as_millis().max(60_000).to_string();
                config.set("transaction.timeout.ms", ms);
            }
        }
        let context = Deliveries {
            last_error: LastError::default(),
            keep_successes: settings.report_each,
            reports: Mutex::new(Vec::new()),
            delivered: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        };
        let producer: Arc<BaseProducer<Deliveries>> = Arc::new(
            config
                .create_with_context(context)
                .context("invalid producer configuration")?,
        );
        let partitions = topic_partitions(&producer, options, topic)?;
        if let Some(id) = &settings.transactional_id {
            init_transactions(&producer, options, id)?;
        }
        if let Some(p) = settings.partition {
            if p < 0 || p >= partitions {
                anyhow::bail!(
                    "--partition {p} does not exist: topic '{topic}' has {partitions} partition{} (0 to {})",
                    if partitions == 1 { "" } else { "s" },
                    partitions - 1
                );
            }
        }
        let name = CString::new(topic)
            .map_err(|_| anyhow::anyhow!("topic name '{topic}' contains a NUL byte"))?;
        // SAFETY: a live client and a NUL-terminated name; a null conf means
        // the topic settings already given to the client.
        let handle = unsafe {
            rdsys::rd_kafka_topic_new(
                producer.client().native_ptr(),
                name.as_ptr(),
                ptr::null_mut(),
            )
        };
        let topic_handle = TopicHandle(
            NonNull::new(handle)
                .with_context(|| format!("librdkafka refused a handle for topic '{topic}'"))?,
        );
        UNCONFIRMED.store(0, Ordering::Relaxed);
        Ok(RecordProducer {
            topic_handle,
            producer,
            topic: topic.to_string(),
            partitions,
            partition: settings.partition,
            options: options.clone(),
            queued: 0,
            rejected: 0,
            handed: 0,
            abandoned: 0,
            report_each: settings.report_each,
            messages: Vec::new(),
            failed_before_transaction: 0,
        })
    }

    /// Starts a transaction: every record sent until the next commit or
    /// abort belongs to it.
    pub fn begin_transaction(&mut self) -> anyhow::Result<()> {
        self.failed_before_transaction = self.counts().1;
        self.producer
            .begin_transaction()
            .map_err(|e| anyhow::anyhow!("cannot begin a transaction: {}", transaction_error(&e)))
    }

    /// Waits for every record of the open transaction to be acknowledged,
    /// then commits it. An error means it was not committed (a record
    /// failed, got no report, or the coordinator refused): abort it then.
    pub fn commit_transaction(&mut self) -> anyhow::Result<()> {
        let unacknowledged = self.flush();
        if unacknowledged > 0 {
            return Err(unacknowledged_error(unacknowledged, self.options.timeout));
        }
        let failed = self.counts().1 - self.failed_before_transaction;
        if failed > 0 {
            anyhow::bail!("{failed} record(s) of the transaction were not delivered");
        }
        let timeout = self.options.timeout;
        loop {
            match self.while_polling(move |p| p.commit_transaction(timeout))? {
                Ok(()) => return Ok(()),
                // A commit whose outcome is not known yet (the coordinator
                // did not answer in time) is asked again, as librdkafka
                // says to; it is idempotent.
                Err(KafkaError::Transaction(e)) if e.is_retriable() && !cancel::requested() => {
                    tracing::debug!("commit will be retried: {e}");
                }
                Err(e) => {
                    anyhow::bail!("the commit failed: {}", transaction_error(&e))
                }
            }
        }
    }

    /// Aborts the open transaction. Records still waiting are flushed
    /// first, while the broker acknowledges them, so that none is dropped
    /// from the queue unreported; librdkafka's abort then has nothing left
    /// to purge but what a cancel gave up on, whose reports it waits for
    /// while this thread serves them.
    pub fn abort_transaction(&mut self) -> anyhow::Result<()> {
        self.flush();
        let timeout = self.options.timeout;
        self.while_polling(move |p| p.abort_transaction(timeout))?
            .map_err(|e| anyhow::anyhow!("the abort failed: {}", transaction_error(&e)))?;
        self.producer.poll(Duration::ZERO);
        self.note_unconfirmed();
        Ok(())
    }

    /// Runs a blocking transaction call on a thread of its own while this
    /// one serves the delivery reports it waits for (librdkafka's
    /// commit and abort wait for reports only the application's poll
    /// delivers). Gives up a while after `--timeout`, by when librdkafka
    /// has answered either way.
    fn while_polling<T, F>(&self, call: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&BaseProducer<Deliveries>) -> T + Send + 'static,
    {
        let producer = Arc::clone(&self.producer);
        let (tx, rx) = mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("dq-txn".into())
            .spawn(move || {
                // The receiver is gone when the wait was given up.
                let _ = tx.send(call(&producer));
            })
            .map_err(|e| anyhow::anyhow!("cannot start a thread for the transaction: {e}"))?;
        let deadline = Instant::now() + self.options.timeout + Duration::from_secs(10);
        loop {
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(value) => return Ok(value),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    anyhow::bail!("the call to librdkafka ended without a result (it panicked)")
                }
            }
            self.producer.poll(Duration::ZERO);
            self.note_unconfirmed();
            if Instant::now() >= deadline {
                anyhow::bail!(
                    "the broker did not end the transaction within {:?}",
                    self.options.timeout
                );
            }
        }
    }

    pub fn partitions(&self) -> i32 {
        self.partitions
    }

    /// Queues records in order. A record librdkafka refuses (too large, no
    /// such partition) never leaves this process; it is reported as failed
    /// among the delivery reports.
    pub fn send(&mut self, records: &[(u64, OutRecord<'_>)]) {
        self.handed += records.len() as u64;
        for (number, record) in records {
            if record.headers.is_empty() && record.timestamp.is_none() {
                self.messages.push(rdsys::rd_kafka_message_t {
                    err: rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR,
                    rkt: ptr::null_mut(),
                    partition: self.partition_for(record),
                    payload: bytes_ptr(&record.value),
                    len: record.value.as_ref().map_or(0, |v| v.len()),
                    key: bytes_ptr(&record.key),
                    key_len: record.key.as_ref().map_or(0, |k| k.len()),
                    offset: 0,
                    // The delivery opaque, as rdkafka's `usize` expects it.
                    _private: *number as usize as *mut _,
                });
            } else {
                self.send_plain();
                self.send_one(record, *number);
            }
        }
        self.send_plain();
        self.note_unconfirmed();
    }

    /// The partition to ask librdkafka for; -1 runs the murmur2 partitioner.
    fn partition_for(&self, record: &OutRecord<'_>) -> i32 {
        match self.partition.or(record.partition) {
            Some(p) => p,
            // A keyless record could only go to partition 0 of a single
            // partition topic; naming it skips the sticky partitioner and its
            // clock read per record.
            None if record.key.is_none() && self.partitions == 1 => 0,
            None => UNASSIGNED,
        }
    }

    /// Hands `self.messages` to librdkafka in one call: one topic lock and
    /// one clock read for the lot instead of per record.
    fn send_plain(&mut self) {
        let mut from = 0;
        let mut progress = cancel::Progress::new(self.in_flight());
        while from < self.messages.len() {
            let pending = &mut self.messages[from..];
            // SAFETY: a live topic handle and `pending.len()` initialised
            // messages whose key and payload point into records the caller
            // holds; RD_KAFKA_MSG_F_COPY copies them before returning.
            let queued = unsafe {
                rdsys::rd_kafka_produce_batch(
                    self.topic_handle.0.as_ptr(),
                    UNASSIGNED,
                    rdsys::RD_KAFKA_MSG_F_COPY | rdsys::RD_KAFKA_MSG_F_PARTITION,
                    pending.as_mut_ptr(),
                    pending.len() as i32,
                )
            };
            self.queued += queued.max(0) as u64;
            // librdkafka stops at a full queue and marks every later message
            // with the same error.
            let full = pending
                .iter()
                .position(|m| m.err == rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__QUEUE_FULL)
                .unwrap_or(pending.len());
            let refused: Vec<DeliveryReport> = pending[..full]
                .iter()
                .filter(|m| m.err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR)
                .map(|m| DeliveryReport {
                    number: m._private as u64,
                    partition: m.partition,
                    offset: -1,
                    error: Some(RDKafkaErrorCode::from(m.err).to_string()),
                })
                .collect();
            for report in refused {
                self.reject(report);
            }
            from += full;
            if from < self.messages.len() {
                // The local queue drains as the broker acknowledges; wait
                // for some reports and try again, unless the command was
                // interrupted and the broker has stopped acknowledging.
                if progress.stalled(self.in_flight()) {
                    self.abandoned += (self.messages.len() - from) as u64;
                    break;
                }
                self.producer.poll(Duration::from_millis(10));
            }
        }
        self.messages.clear();
    }

    /// The way for records with headers or a timestamp, which the batch API
    /// cannot carry.
    fn send_one(&mut self, record: &OutRecord<'_>, number: u64) {
        let mut base =
            BaseRecord::<[u8], [u8], usize>::with_opaque_to(&self.topic, number as usize);
        if let Some(key) = record.key.as_deref() {
            base = base.key(key);
        }
        if let Some(value) = record.value.as_deref() {
            base = base.payload(value);
        }
        if let Some(p) = self.partition.or(record.partition) {
            base = base.partition(p);
        }
        if let Some(ts) = record.timestamp {
            base = base.timestamp(ts);
        }
        if !record.headers.is_empty() {
            let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
            for (name, value) in &record.headers {
                headers = headers.insert(Header {
                    key: name,
                    value: value.as_deref(),
                });
            }
            base = base.headers(headers);
        }
        let mut progress = cancel::Progress::new(self.in_flight());
        loop {
            match self.producer.send(base) {
                Ok(()) => {
                    self.queued += 1;
                    return;
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    if progress.stalled(self.in_flight()) {
                        self.abandoned += 1;
                        return;
                    }
                    base = back;
                    self.producer.poll(Duration::from_millis(10));
                }
                Err((e, _)) => {
                    let partition = self.partition.or(record.partition).unwrap_or(-1);
                    return self.reject(DeliveryReport {
                        number,
                        partition,
                        offset: -1,
                        error: Some(describe(&e)),
                    });
                }
            }
        }
    }

    fn reject(&mut self, report: DeliveryReport) {
        self.rejected += 1;
        self.producer
            .context()
            .reports
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(report);
    }

    /// Serves delivery reports that have arrived, waiting up to `timeout`.
    pub fn poll(&self, timeout: Duration) {
        self.producer.poll(timeout);
        self.note_unconfirmed();
    }

    fn in_flight(&self) -> u64 {
        self.producer.in_flight_count().max(0) as u64
    }

    /// Publishes the count of records without a report for the signal
    /// handler.
    fn note_unconfirmed(&self) {
        let (delivered, failed) = self.counts();
        UNCONFIRMED.store(
            self.handed.saturating_sub(delivered + failed),
            Ordering::Relaxed,
        );
    }

    /// Reports collected since the last call, in arrival order.
    pub fn take_reports(&self) -> Vec<DeliveryReport> {
        std::mem::take(
            &mut *self
                .producer
                .context()
                .reports
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// `(delivered, failed)` so far; failed counts records librdkafka
    /// refused as well as those the broker did.
    pub fn counts(&self) -> (u64, u64) {
        let c = self.producer.context();
        let failed = c.failed.load(Ordering::Relaxed);
        if self.report_each {
            return (c.delivered.load(Ordering::Relaxed), failed + self.rejected);
        }
        // Only failures are reported: whatever left the queue without one
        // was acknowledged.
        let in_flight = self.producer.in_flight_count().max(0) as u64;
        (
            self.queued.saturating_sub(failed + in_flight),
            failed + self.rejected,
        )
    }

    /// Waits until every queued record has a report. librdkafka fails each
    /// record after message.timeout.ms, so this ends; the extra margin only
    /// guards against a report that never comes. After a cancel (Ctrl-C,
    /// SIGTERM) it goes on while the broker keeps acknowledging, and gives
    /// up once it has stopped for [`cancel::GRACE`]. Returns how many
    /// records are still without a report, counting those never queued.
    pub fn flush(&self) -> u64 {
        let deadline = Instant::now() + self.options.timeout + Duration::from_secs(10);
        let mut progress = cancel::Progress::new(self.in_flight());
        // rdkafka's flush polls in 100 ms steps, and with success reports off
        // nothing ends a step early: a short poll loop ends within ms.
        while self.in_flight() > 0 && Instant::now() < deadline {
            if progress.stalled(self.in_flight()) {
                break;
            }
            self.producer.poll(Duration::from_millis(2));
            self.note_unconfirmed();
        }
        self.producer.poll(Duration::ZERO);
        self.note_unconfirmed();
        self.in_flight() + self.abandoned
    }
}

/// Partition count of `topic`, waiting while a broker that creates topics on
/// demand is still creating it.
fn topic_partitions(
    producer: &Arc<BaseProducer<Deliveries>>,
    options: &ClientOptions,
    topic: &str,
) -> anyhow::Result<i32> {
    let deadline = Instant::now() + options.timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let waiting = Arc::clone(producer);
        let name = topic.to_string();
        let metadata = cancel::wait(move || {
            waiting
                .client()
                .fetch_metadata(Some(&name), left.max(Duration::from_millis(100)))
        })?
        .map_err(|e| {
            // librdkafka queues its log lines (which say why a connection
            // failed) as events; serve them before asking for the reason.
            producer.poll(Duration::ZERO);
            connect_error(
                &options.bootstrap,
                options.timeout,
                &e,
                producer.context().last_error.get(),
            )
        })?;
        let found = metadata.topics().iter().find(|t| t.name() == topic);
        let error = match found {
            Some(t) if t.error().is_none() && !t.partitions().is_empty() => {
                return Ok(t.partitions().len() as i32)
            }
            Some(t) => t.error().map(RDKafkaErrorCode::from),
            None => Some(RDKafkaErrorCode::UnknownTopicOrPartition),
        };
        if let Some(RDKafkaErrorCode::UnknownTopicOrPartition | RDKafkaErrorCode::UnknownTopic) =
            error
        {
            anyhow::bail!(
                "topic '{topic}' does not exist on {} and the broker does not create topics on demand: create it first",
                options.bootstrap
            );
        }
        if Instant::now() >= deadline {
            return Err(match error {
                Some(code) => anyhow::anyhow!(
                    "topic '{topic}' is not available on {}: {code}",
                    options.bootstrap
                ),
                None => {
                    anyhow::anyhow!("topic '{topic}' has no partitions on {}", options.bootstrap)
                }
            });
        }
        if cancel::requested() {
            return Err(cancel::Cancelled.into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Registers the transactional id with its coordinator, which fences any
/// earlier producer that used it and ends the transaction it left open.
fn init_transactions(
    producer: &Arc<BaseProducer<Deliveries>>,
    options: &ClientOptions,
    transactional_id: &str,
) -> anyhow::Result<()> {
    let waiting = Arc::clone(producer);
    let timeout = options.timeout;
    cancel::wait(move || waiting.init_transactions(timeout))?.map_err(|e| {
        anyhow::anyhow!(
            "cannot start transactions as '{transactional_id}' on {}: {}",
            options.bootstrap,
            transaction_error(&e)
        )
    })
}

/// librdkafka's reason for a failed transaction call, without rdkafka's
/// "Transaction error:" wrapping.
fn transaction_error(e: &KafkaError) -> String {
    match e {
        KafkaError::Transaction(e) => e.to_string(),
        other => other.to_string(),
    }
}

/// The error for records that got no delivery report before the flush gave
/// up: they may or may not be on the broker, and the person must know.
pub fn unacknowledged_error(unacknowledged: u64, timeout: Duration) -> anyhow::Error {
    anyhow::anyhow!(
        "{unacknowledged} record(s) got no delivery report within {timeout:?}; they may or may not have been written"
    )
}
