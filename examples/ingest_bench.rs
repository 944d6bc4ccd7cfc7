//! Produce-path benchmark for the log validator (issue 11): librdkafka
//! produces RECORDS records of 100 bytes into one partition at acks=1,
//! uncompressed, with lz4 and with zstd, and the broker's CPU time for each
//! phase is read from /proc. The values are text from a small vocabulary,
//! so they compress about as well as JSON logs do (neither a constant byte
//! that compresses to nothing, nor random bytes that do not compress).
//!
//! Run: `cargo run --release --example ingest_bench [RECORDS]`. It starts
//! `$DQ_BENCH_BIN` (default `target/release/dq`) with `serve --temp` on a
//! free port. `scripts/bench-ingest` runs two binaries side by side.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;

fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .map_or(1_000_000, |n| n.parse().expect("RECORDS is a number"));
    let bin = std::env::var("DQ_BENCH_BIN")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/dq").into());
    let mut child = Command::new(&bin)
        .args([
            "serve",
            "--temp",
            "--listen",
            "127.0.0.1:0",
            "--log-level",
            "warn",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let bootstrap = loop {
        let line = lines.next().expect("dq serve exited").unwrap();
        if let Some(a) = line.strip_prefix("advertised as ") {
            break a.to_string();
        }
    };
    let pid = child.id();
    let values = values(records);
    for codec in ["none", "lz4", "zstd"] {
        let cpu_before = cpu_seconds(pid);
        let secs = produce(&bootstrap, &format!("ingest-{codec}"), codec, &values);
        let cpu = cpu_seconds(pid) - cpu_before;
        println!(
            "{codec:<5} {:>10.0} records/s  wall {secs:.2} s  broker CPU {cpu:.2} s ({:.0} ns/record)",
            records as f64 / secs,
            cpu * 1e9 / records as f64
        );
    }
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let _ = child.wait();
}

/// 100-byte values of words from a 16-word vocabulary, chosen by xorshift.
fn values(n: usize) -> Vec<Vec<u8>> {
    const WORDS: [&str; 16] = [
        "order", "user", "id", "amount", "status", "paid", "pending", "eur", "usd", "item", "sku",
        "qty", "ts", "region", "west", "east",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            let mut v = Vec::with_capacity(100);
            while v.len() < 100 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                v.extend_from_slice(WORDS[(state % 16) as usize].as_bytes());
                v.push(if state & 0x100 == 0 { b':' } else { b' ' });
            }
            v.truncate(100);
            v
        })
        .collect()
}

/// utime + stime of `pid`, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn produce(bootstrap: &str, topic: &str, codec: &str, values: &[Vec<u8>]) -> f64 {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("acks", "1")
        .set("linger.ms", "5")
        .set("compression.codec", codec)
        .set("queue.buffering.max.messages", "2000000")
        .set("queue.buffering.max.kbytes", "2097151")
        .create()
        .unwrap();
    producer
        .client()
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap();
    let start = Instant::now();
    for v in values {
        let mut record = BaseRecord::<(), [u8]>::to(topic)
            .partition(0)
            .payload(&v[..]);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((_, r)) => {
                    record = r;
                    producer.poll(Duration::from_millis(1));
                }
            }
        }
    }
    producer
        .flush(Duration::from_secs(120))
        .expect("every record acknowledged");
    let secs = start.elapsed().as_secs_f64();
    let (_, end) = producer
        .client()
        .fetch_watermarks(topic, 0, Duration::from_secs(10))
        .unwrap();
    assert_eq!(end as usize, values.len(), "every record stored in {topic}");
    secs
}
