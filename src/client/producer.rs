//! A producer for one topic that never loses a record without saying so:
//! every record sent carries its input number, and every delivery report —
//! success with partition and offset, or the broker's error — comes back as
//! a [`DeliveryReport`]. Keys are hashed with murmur2 like the Java client,
//! so a key lands on the same partition whichever client sent it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError;
use rdkafka::message::{DeliveryResult, Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::Message;

use super::{connect_error, ClientOptions, LastError};
use crate::output::OutRecord;

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

impl ClientContext for Deliveries {
    fn log(&self, level: RDKafkaLogLevel, facility: &str, message: &str) {
        self.last_error.record_log(level, facility, message);
    }

    fn error(&self, _error: KafkaError, reason: &str) {
        self.last_error.record(reason);
    }
}

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
}

pub struct RecordProducer {
    producer: BaseProducer<Deliveries>,
    topic: String,
    partitions: i32,
    partition: Option<i32>,
    options: ClientOptions,
    /// Records librdkafka accepted into its queue.
    queued: std::cell::Cell<u64>,
    /// Successes have their own reports (`--report each`).
    report_each: bool,
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
            ("queue.buffering.max.messages", "1000000".to_string()),
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
        let config = options.config(&defaults).map_err(anyhow::Error::msg)?;
        let context = Deliveries {
            last_error: LastError::default(),
            keep_successes: settings.report_each,
            reports: Mutex::new(Vec::new()),
            delivered: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        };
        let producer: BaseProducer<Deliveries> = config
            .create_with_context(context)
            .context("invalid producer configuration")?;
        let partitions = topic_partitions(&producer, options, topic)?;
        if let Some(p) = settings.partition {
            if p < 0 || p >= partitions {
                anyhow::bail!(
                    "--partition {p} does not exist: topic '{topic}' has {partitions} partition{} (0 to {})",
                    if partitions == 1 { "" } else { "s" },
                    partitions - 1
                );
            }
        }
        Ok(RecordProducer {
            producer,
            topic: topic.to_string(),
            partitions,
            partition: settings.partition,
            options: options.clone(),
            queued: std::cell::Cell::new(0),
            report_each: settings.report_each,
        })
    }

    pub fn partitions(&self) -> i32 {
        self.partitions
    }

    /// Queues one record. An error here (too large, no such partition) means
    /// the record never left this process; the caller reports it as failed.
    pub fn send(&self, record: &OutRecord<'_>, number: u64) -> Result<(), String> {
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
        loop {
            match self.producer.send(base) {
                Ok(()) => {
                    self.queued.set(self.queued.get() + 1);
                    return Ok(());
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    // The local queue drains as the broker acknowledges; wait
                    // for some reports and try again.
                    base = back;
                    self.producer.poll(Duration::from_millis(10));
                }
                Err((e, _)) => return Err(describe(&e)),
            }
        }
    }

    /// Serves delivery reports that have arrived, waiting up to `timeout`.
    pub fn poll(&self, timeout: Duration) {
        self.producer.poll(timeout);
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

    /// `(delivered, failed)` so far.
    pub fn counts(&self) -> (u64, u64) {
        let c = self.producer.context();
        let failed = c.failed.load(Ordering::Relaxed);
        if self.report_each {
            return (c.delivered.load(Ordering::Relaxed), failed);
        }
        // Only failures are reported: whatever left the queue without one
        // was acknowledged.
        let in_flight = self.producer.in_flight_count().max(0) as u64;
        (self.queued.get().saturating_sub(failed + in_flight), failed)
    }

    /// Waits until every queued record has a report. librdkafka fails each
    /// record after message.timeout.ms, so this ends; the extra margin only
    /// guards against a report that never comes. Returns how many records are
    /// still without one.
    pub fn flush(&self) -> u64 {
        let deadline = Instant::now() + self.options.timeout + Duration::from_secs(10);
        // rdkafka's flush polls in 100 ms steps, and with success reports off
        // nothing ends a step early: a short poll loop ends within ms.
        while self.producer.in_flight_count() > 0 && Instant::now() < deadline {
            self.producer.poll(Duration::from_millis(2));
        }
        self.producer.poll(Duration::ZERO);
        self.producer.in_flight_count().max(0) as u64
    }
}

/// Partition count of `topic`, waiting while a broker that creates topics on
/// demand is still creating it.
fn topic_partitions(
    producer: &BaseProducer<Deliveries>,
    options: &ClientOptions,
    topic: &str,
) -> anyhow::Result<i32> {
    let deadline = Instant::now() + options.timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let metadata = producer
            .client()
            .fetch_metadata(Some(topic), left.max(Duration::from_millis(100)))
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
        std::thread::sleep(Duration::from_millis(50));
    }
}
