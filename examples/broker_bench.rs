//! Broker throughput benchmark (issue 2): librdkafka produces 1,000,000 records
//! of 100 bytes into one partition at acks=1 and at acks=all (linger 5 ms), then
//! consumes them from the beginning. Prints records/s and the broker's RSS.
//!
//! Run: `cargo run --release --example broker_bench [RECORDS]`
//! It starts `target/release/dq serve --temp` on a free port (build it first
//! with `cargo build --release`), or uses `DQ_BENCH_BOOTSTRAP` if set.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .map_or(1_000_000, |n| n.parse().expect("RECORDS is a number"));
    let (bootstrap, mut child) = match std::env::var("DQ_BENCH_BOOTSTRAP") {
        Ok(b) => (b, None),
        Err(_) => {
            let bin = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/dq");
            let mut child = Command::new(bin)
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
                .unwrap_or_else(|e| {
                    panic!("cannot start {bin}: {e} (run cargo build --release first)")
                });
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let addr = loop {
                let line = lines.next().expect("dq serve exited").unwrap();
                if let Some(a) = line.strip_prefix("advertised as ") {
                    break a.to_string();
                }
            };
            (addr, Some(child))
        }
    };
    let pid = child.as_ref().map(|c| c.id());
    println!("broker {bootstrap}, {records} records of 100 bytes, one partition");

    let acks1 = produce(&bootstrap, "bench-acks1", "1", records);
    println!(
        "produce acks=1   {:>10.0} records/s  ({:.2} s)",
        records as f64 / acks1,
        acks1
    );
    let acks_all = produce(&bootstrap, "bench-acksall", "all", records);
    println!(
        "produce acks=all {:>10.0} records/s  ({:.2} s, {:.0}% of acks=1)",
        records as f64 / acks_all,
        acks_all,
        100.0 * acks1 / acks_all
    );
    let consume_secs = consume(&bootstrap, "bench-acks1", records);
    println!(
        "consume          {:>10.0} records/s  ({:.2} s, librdkafka consumer)",
        records as f64 / consume_secs,
        consume_secs
    );
    let (fetch_secs, bytes) = raw_fetch(&bootstrap, "bench-acks1", records);
    println!(
        "fetch            {:>10.0} records/s  ({:.2} s, {:.0} MB/s, Fetch requests of 1 MiB with no client-side decoding)",
        records as f64 / fetch_secs,
        fetch_secs,
        bytes as f64 / fetch_secs / 1e6
    );
    if let Some(pid) = pid {
        // utime and stime, in clock ticks (100 per second on Linux).
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
        if fields.len() > 13 {
            let ticks: f64 =
                fields[11].parse::<f64>().unwrap_or(0.0) + fields[12].parse::<f64>().unwrap_or(0.0);
            println!("broker CPU time over the whole run: {:.2} s", ticks / 100.0);
        }
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        for line in status
            .lines()
            .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        {
            println!("broker {line}");
        }
    }
    if let Some(c) = child.as_mut() {
        unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
        let _ = c.wait();
    }
}

fn produce(bootstrap: &str, topic: &str, acks: &str, records: usize) -> f64 {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("acks", acks)
        .set("linger.ms", "5")
        .set("queue.buffering.max.messages", "2000000")
        .set("queue.buffering.max.kbytes", "2097151")
        .create()
        .unwrap();
    // Create the topic and learn its leader before timing.
    producer
        .client()
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap();
    let payload = [b'x'; 100];
    let start = Instant::now();
    for _ in 0..records {
        let mut record = BaseRecord::<(), [u8]>::to(topic)
            .partition(0)
            .payload(&payload[..]);
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
        .expect("every record delivered");
    start.elapsed().as_secs_f64()
}

/// What the broker can serve: Fetch requests in a loop on one connection,
/// counting records from the batch headers, the way a client would before
/// decoding them.
fn raw_fetch(bootstrap: &str, topic: &str, records: usize) -> (f64, usize) {
    use bytes::{Buf, BufMut, BytesMut};
    use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
    use kafka_protocol::messages::{
        FetchRequest, FetchResponse, RequestHeader, ResponseHeader, TopicName,
    };
    use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
    use std::io::{Read, Write};

    let mut stream = std::net::TcpStream::connect(bootstrap).unwrap();
    stream.set_nodelay(true).unwrap();
    let version = 12;
    let mut offset = 0i64;
    let mut seen = 0usize;
    let mut bytes = 0usize;
    let start = Instant::now();
    while seen < records {
        let request = FetchRequest::default()
            .with_max_wait_ms(500)
            .with_min_bytes(1)
            .with_max_bytes(52_428_800)
            .with_topics(vec![FetchTopic::default()
                .with_topic(TopicName(StrBytes::from_string(topic.to_string())))
                .with_partitions(vec![FetchPartition::default()
                    .with_fetch_offset(offset)
                    .with_partition_max_bytes(1 << 20)])]);
        let header = RequestHeader::default()
            .with_request_api_key(1)
            .with_request_api_version(version)
            .with_correlation_id(1);
        let mut buf = BytesMut::new();
        buf.put_i32(0);
        header.encode(&mut buf, 2).unwrap();
        request.encode(&mut buf, version).unwrap();
        let len = (buf.len() - 4) as i32;
        buf[..4].copy_from_slice(&len.to_be_bytes());
        stream.write_all(&buf).unwrap();
        let mut size = [0u8; 4];
        stream.read_exact(&mut size).unwrap();
        let mut body = vec![0u8; i32::from_be_bytes(size) as usize];
        stream.read_exact(&mut body).unwrap();
        let mut body = bytes::Bytes::from(body);
        ResponseHeader::decode(&mut body, 1).unwrap();
        let response = FetchResponse::decode(&mut body, version).unwrap();
        let mut data = response.responses[0].partitions[0]
            .records
            .clone()
            .unwrap_or_default();
        bytes += data.len();
        while data.len() >= 61 {
            let base = (&data[0..8]).get_i64();
            let len = (&data[8..12]).get_i32() as usize;
            let last_delta = (&data[23..27]).get_i32() as i64;
            let count = (&data[57..61]).get_i32() as usize;
            let skip = base.max(offset) - base;
            seen += count - skip as usize;
            offset = base + last_delta + 1;
            data.advance(12 + len);
        }
    }
    (start.elapsed().as_secs_f64(), bytes)
}

fn consume(bootstrap: &str, topic: &str, records: usize) -> f64 {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "bench")
        .set("enable.auto.commit", "false")
        // librdkafka 2.4+ stops fetching for fetch.queue.backoff.ms (1 s by
        // default) whenever its prefetch queue is full; a reader that keeps
        // up should not wait that long (dq consume sets the same).
        .set("fetch.queue.backoff.ms", "10")
        .create()
        .unwrap();
    // Learn the partition leader first, as a long-running consumer would
    // have; otherwise librdkafka retries its first offset query after 500 ms.
    consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning)
        .unwrap();
    let start = Instant::now();
    consumer.assign(&tpl).unwrap();
    let mut first = None;
    let mut seen = 0;
    while seen < records {
        match consumer.poll(Duration::from_secs(10)) {
            Some(Ok(_)) => {
                seen += 1;
                first.get_or_insert_with(Instant::now);
            }
            Some(Err(e)) => panic!("consume error: {e}"),
            None => panic!("no record for 10 s after {seen}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    if let Some(first) = first {
        let steady = first.elapsed().as_secs_f64();
        println!(
            "consume: first record after {:.0} ms; {:.0} records/s from the first record on",
            (first - start).as_secs_f64() * 1000.0,
            records as f64 / steady
        );
    }
    // Do not wait for a group close: the consumer never joined a group.
    std::mem::forget(consumer);
    secs
}
