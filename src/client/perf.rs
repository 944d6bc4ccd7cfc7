//! What `dq perf produce` measures, apart from how it is printed: a
//! producer that times every record from send to delivery report, the pacing
//! of sends to a target rate (Kafka's `ThroughputThrottler`), and a latency
//! histogram whose memory does not grow with the number of records.
//!
//! Sends and delivery reports go through [`RecordProducer`], with a success
//! report per record. The latency of a record is the time from its `send`
//! to the poll that hands back its report. rdkafka's `poll(timeout)` keeps
//! serving events until the timeout is over, so a report would be stamped
//! late by up to the whole timeout: reports are taken with zero-timeout
//! polls instead, every 32 records while sending and every [`WAIT_STEP`]
//! while waiting, which bounds the error by that step (Kafka's own tool
//! measures in whole milliseconds).

use std::time::{Duration, Instant};

use super::producer::{ProducerSettings, RecordProducer};
use super::ClientOptions;
use crate::output::OutRecord;

/// Sub-buckets per power of two: latencies are kept to within 1/128 (0.8%),
/// and exactly below 256 µs.
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// Enough buckets for every `u32` of microseconds (71 minutes, far beyond
/// any message timeout).
const BUCKETS: usize = ((32 - SUB_BITS + 1) as usize) << SUB_BITS;

/// A log-linear histogram of latencies in microseconds, in the manner of
/// HdrHistogram: 3,328 counters (26 KB) whether it holds a thousand records
/// or a billion. Kafka's own tool instead keeps a sample of at most 500,000
/// latencies; counting every record costs less and hides no outlier.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    count: u64,
    sum_us: u64,
    max_us: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram {
            counts: vec![0; BUCKETS],
            count: 0,
            sum_us: 0,
            max_us: 0,
        }
    }
}

impl LatencyHistogram {
    pub fn record(&mut self, micros: u64) {
        let v = micros.min(u64::from(u32::MAX));
        self.counts[bucket_of(v)] += 1;
        self.count += 1;
        self.sum_us += v;
        self.max_us = self.max_us.max(v);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean_us(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.sum_us as f64 / self.count as f64
    }

    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The latency that `p` percent of records did not exceed (the middle of
    /// its bucket, never above the largest latency seen), 0 when empty.
    pub fn percentile_us(&self, p: f64) -> u64 {
        if self.count == 0 {
            return 0;
        }
        // The epsilon keeps 99.9% of 1,000 at rank 999 despite rounding.
        let rank = (p * self.count as f64 / 100.0 - 1e-9).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (index, n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return value_of(index).min(self.max_us);
            }
        }
        self.max_us
    }
}

fn bucket_of(v: u64) -> usize {
    if v < 2 * SUB {
        return v as usize;
    }
    let shift = 63 - v.leading_zeros() - SUB_BITS;
    (((shift + 1) as u64) * SUB + ((v >> shift) - SUB)) as usize
}

fn value_of(bucket: usize) -> u64 {
    let b = bucket as u64;
    if b < 2 * SUB {
        return b;
    }
    let shift = (b >> SUB_BITS) - 1;
    let lowest = (SUB + (b & (SUB - 1))) << shift;
    lowest + ((1u64 << shift) - 1) / 2
}

/// Records acknowledged in one reporting interval (Kafka's periodic line).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub records: u64,
    pub bytes: u64,
    pub latency_sum_us: u64,
    pub latency_max_us: u64,
}

impl Window {
    pub fn mean_latency_us(&self) -> f64 {
        if self.records == 0 {
            return 0.0;
        }
        self.latency_sum_us as f64 / self.records as f64
    }
}

/// Everything since the first send.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub delivered: u64,
    pub failed: u64,
    /// Payload bytes of the delivered records.
    pub bytes: u64,
    pub latency: LatencyHistogram,
    /// The first failure, to show what went wrong.
    pub first_error: Option<String>,
}

/// A record waiting for its delivery report.
#[derive(Debug, Clone, Copy, Default)]
struct InFlight {
    /// Its number (from 1); 0 marks a free slot.
    number: u64,
    /// When it was sent, in µs since the start, wrapping: a difference of
    /// two wrapping u32s is right for any latency under 71 minutes.
    sent_us: u32,
    bytes: u32,
}

/// How long a waiting sender sleeps between looks at the delivery reports:
/// short enough to stamp a report within a fraction of a millisecond, long
/// enough to cost next to no CPU (a few thousand wake-ups a second).
pub const WAIT_STEP: Duration = Duration::from_micros(200);

/// How many records may wait for a report at once. A record takes the slot
/// `number % len`, and waits for it to be free; so send times need 4 MB
/// however many records are sent, while 262,144 records in flight (26 MB of
/// 100-byte records, like the Java producer's 32 MB buffer) keep any broker
/// busy.
const MAX_IN_FLIGHT: u64 = 1 << 18;

pub struct PerfProducer {
    producer: RecordProducer,
    started: Instant,
    in_flight: Vec<InFlight>,
    /// Records handed to `send` so far; the last one's number.
    sent: u64,
    totals: Totals,
    window: Window,
    window_started: Instant,
}

impl PerfProducer {
    /// Connects (checking the broker and the topic) and starts the clock.
    pub fn connect(
        options: &ClientOptions,
        acks: &'static str,
        topic: &str,
        records: u64,
    ) -> anyhow::Result<PerfProducer> {
        let settings = ProducerSettings {
            acks,
            // `-X compression.type=lz4` (or `--producer-props`) overrides it.
            compression: "none",
            interactive: false,
            partition: None,
            // A report per record is what gives each one its latency.
            report_each: true,
            transactional_id: None,
        };
        let producer = RecordProducer::connect(options, &settings, topic)?;
        let slots = records.clamp(1, MAX_IN_FLIGHT) as usize;
        let now = Instant::now();
        Ok(PerfProducer {
            producer,
            started: now,
            in_flight: vec![InFlight::default(); slots],
            sent: 0,
            totals: Totals::default(),
            window: Window::default(),
            window_started: now,
        })
    }

    /// When the first record was (or will be) sent.
    pub fn started(&self) -> Instant {
        self.started
    }

    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Sends one record with `payload` as its value (and no key, like Kafka's
    /// tool), first waiting for a free in-flight slot.
    pub fn send(&mut self, payload: &[u8]) {
        let number = self.sent + 1;
        let slot = (number % self.in_flight.len() as u64) as usize;
        while self.in_flight[slot].number != 0 {
            self.serve();
            std::thread::sleep(WAIT_STEP);
        }
        self.in_flight[slot] = InFlight {
            number,
            sent_us: self.micros(),
            bytes: payload.len() as u32,
        };
        self.sent = number;
        let record = OutRecord {
            value: Some(payload.into()),
            ..OutRecord::default()
        };
        // A record librdkafka refuses (too large, for one) comes back as a
        // failed delivery report, which `serve` counts.
        self.producer.send(&[(number, record)]);
        if number % 32 == 0 {
            self.serve();
        }
    }

    /// Waits until `deadline`, serving delivery reports meanwhile; sleeps in
    /// [`WAIT_STEP`]s while a report is due, and straight through otherwise;
    /// never spins.
    pub fn wait_until(&mut self, deadline: Instant) {
        loop {
            self.serve();
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            if self.waiting() == 0 {
                std::thread::sleep(left);
            } else {
                std::thread::sleep(left.min(WAIT_STEP));
            }
        }
    }

    /// Accounts for every delivery report that has arrived, without waiting.
    pub fn serve(&mut self) {
        loop {
            // One event (a batch of reports, usually) per zero-timeout poll.
            self.producer.poll(Duration::ZERO);
            let reports = self.producer.take_reports();
            if reports.is_empty() {
                return;
            }
            let now = self.micros();
            let slots = self.in_flight.len() as u64;
            for report in reports {
                let slot = &mut self.in_flight[(report.number % slots) as usize];
                if slot.number != report.number {
                    continue;
                }
                slot.number = 0;
                let (sent_us, bytes) = (slot.sent_us, slot.bytes);
                match report.error {
                    None => {
                        let latency = u64::from(now.wrapping_sub(sent_us));
                        self.totals.delivered += 1;
                        self.totals.bytes += u64::from(bytes);
                        self.totals.latency.record(latency);
                        self.window.records += 1;
                        self.window.bytes += u64::from(bytes);
                        self.window.latency_sum_us += latency;
                        self.window.latency_max_us = self.window.latency_max_us.max(latency);
                    }
                    Some(error) => self.fail(error),
                }
            }
        }
    }

    fn fail(&mut self, error: String) {
        self.totals.failed += 1;
        self.totals.first_error.get_or_insert(error);
    }

    /// Records sent that have no report yet.
    pub fn waiting(&self) -> u64 {
        self.sent - self.totals.delivered - self.totals.failed
    }

    /// Serves reports until every record has one or `deadline` passes;
    /// returns how many are still without one.
    pub fn drain(&mut self, deadline: Instant) -> u64 {
        loop {
            self.serve();
            if self.waiting() == 0 || Instant::now() >= deadline {
                return self.waiting();
            }
            std::thread::sleep(WAIT_STEP);
        }
    }

    /// The interval since the last call, and how long it lasted.
    pub fn take_window(&mut self) -> (Window, Duration) {
        let now = Instant::now();
        let elapsed = now - self.window_started;
        self.window_started = now;
        (std::mem::take(&mut self.window), elapsed)
    }

    pub fn window_started(&self) -> Instant {
        self.window_started
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    fn micros(&self) -> u32 {
        // Wraps on purpose; see `InFlight::sent_us`.
        self.started.elapsed().as_micros() as u32
    }
}

/// The values to send: one generated payload for every record, or records
/// picked at random from a file, as Kafka's tool does (with a fixed seed, so
/// two runs send the same sequence).
pub enum Payloads {
    Fixed(Vec<u8>),
    Picked { values: Vec<Vec<u8>>, rng: Rng },
}

impl Payloads {
    /// `size` random uppercase letters, like Kafka's tool.
    pub fn generated(size: usize) -> Payloads {
        let mut rng = Rng::default();
        Payloads::Fixed((0..size).map(|_| b'A' + rng.below(26) as u8).collect())
    }

    /// The non-empty pieces of `file` between delimiters.
    pub fn picked(file: &[u8], delimiter: &[u8]) -> Payloads {
        let mut values = Vec::new();
        let mut start = 0;
        for at in memchr::memmem::find_iter(file, delimiter) {
            values.push(&file[start..at]);
            start = at + delimiter.len();
        }
        values.push(&file[start..]);
        Payloads::Picked {
            values: values
                .into_iter()
                .filter(|v| !v.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
            rng: Rng::default(),
        }
    }

    /// How many different values there are.
    pub fn len(&self) -> usize {
        match self {
            Payloads::Fixed(_) => 1,
            Payloads::Picked { values, .. } => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn pick(&mut self) -> &[u8] {
        match self {
            Payloads::Fixed(v) => v,
            Payloads::Picked { values, rng } => &values[rng.below(values.len())],
        }
    }
}

/// xorshift64*: enough randomness to pick payloads, without a dependency.
pub struct Rng(u64);

impl Default for Rng {
    fn default() -> Self {
        Rng(0x9E37_79B9_7F4A_7C15)
    }
}

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}

/// When the record after `sent` others may go, at `per_second` records per
/// second from `started` (None: at once). Like Kafka's throttler, a sender
/// that fell behind catches up at full speed rather than losing the time.
pub fn send_time(started: Instant, sent: u64, per_second: Option<f64>) -> Option<Instant> {
    let rate = per_second?;
    Some(started + Duration::from_secs_f64(sent as f64 / rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_keep_latencies_within_one_percent() {
        for v in [
            0,
            1,
            255,
            256,
            257,
            1000,
            4_999,
            123_456,
            10_000_000,
            u32::MAX as u64,
        ] {
            let b = bucket_of(v);
            assert!(b < BUCKETS, "{v} → bucket {b}");
            let back = value_of(b);
            let error = (back as f64 - v as f64).abs() / (v.max(1) as f64);
            assert!(error <= 1.0 / 128.0, "{v} comes back as {back}");
        }
        // Buckets are in the order of their values.
        assert!((1..BUCKETS).all(|b| value_of(b) > value_of(b - 1)));
    }

    #[test]
    fn percentiles_of_a_uniform_spread() {
        let mut h = LatencyHistogram::default();
        for v in 1..=10_000u64 {
            h.record(v);
        }
        let close = |got: u64, want: f64| (got as f64 - want).abs() / want < 0.01;
        assert!(
            close(h.percentile_us(50.0), 5_000.0),
            "{}",
            h.percentile_us(50.0)
        );
        assert!(
            close(h.percentile_us(99.0), 9_900.0),
            "{}",
            h.percentile_us(99.0)
        );
        assert!(h.percentile_us(99.9) <= h.max_us());
        assert_eq!(h.max_us(), 10_000);
        assert_eq!(h.count(), 10_000);
        assert!((h.mean_us() - 5_000.5).abs() < 1e-9);
        assert_eq!(LatencyHistogram::default().percentile_us(50.0), 0);
    }

    #[test]
    fn one_slow_record_in_a_thousand_is_the_99_9th_percentile() {
        let mut h = LatencyHistogram::default();
        for _ in 0..999 {
            h.record(100);
        }
        h.record(2_000_000);
        assert_eq!(h.percentile_us(99.0), 100);
        assert_eq!(h.percentile_us(99.9), 100);
        let top = h.percentile_us(100.0);
        assert!(top <= 2_000_000 && top > 1_980_000, "{top}");
    }

    #[test]
    fn payloads_come_from_the_file_pieces() {
        let mut p = Payloads::picked(b"a\nbb\n\nccc\n", b"\n");
        assert_eq!(p.len(), 3);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            seen.insert(p.pick().to_vec());
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(Payloads::picked(b"\n\n", b"\n").is_empty());
        let mut g = Payloads::generated(100);
        let v = g.pick();
        assert_eq!(v.len(), 100);
        assert!(v.iter().all(u8::is_ascii_uppercase));
    }

    #[test]
    fn send_times_follow_the_rate() {
        let t = Instant::now();
        assert_eq!(send_time(t, 10, None), None);
        assert_eq!(send_time(t, 0, Some(100.0)), Some(t));
        assert_eq!(
            send_time(t, 50, Some(100.0)),
            Some(t + Duration::from_millis(500))
        );
    }
}
