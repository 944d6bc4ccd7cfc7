//! Test helpers: a `dq serve` child process on port 0 in a temp directory,
//! raw Kafka requests over a socket, and rdkafka clients pointed at it.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{ApiKey, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};

pub fn dq_bin() -> &'static str {
    env!("CARGO_BIN_EXE_dq")
}

/// Groups form at once in tests: Kafka's 3 s initial rebalance delay would
/// slow every test that uses a group. `tests/cluster_configs.rs` proves the
/// default and the delay itself on brokers started without this.
pub const NO_GROUP_DELAY: &[&str] = &["--group-initial-rebalance-delay", "0"];

/// Marks a start that keeps Kafka's default delay; not passed on.
const KAFKA_GROUP_DELAY: &str = "<kafka group delay>";

/// A running `dq serve`.
pub struct Broker {
    child: Option<Child>,
    pub port: u16,
    pub data_dir: PathBuf,
    pub log_path: PathBuf,
    /// Owns the temporary directory when the broker made it.
    _temp: Option<tempfile::TempDir>,
}

impl Broker {
    /// Starts a broker in a fresh temporary directory.
    pub fn start() -> Broker {
        Broker::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Broker {
        let temp = tempfile::tempdir().unwrap();
        let data_dir = temp.path().join("data");
        let mut b = Broker::start_in(&data_dir, extra);
        b._temp = Some(temp);
        b
    }

    /// Starts a broker on `data_dir` (a restart when it already holds data).
    pub fn start_in(data_dir: &Path, extra: &[&str]) -> Broker {
        Broker::start_in_with(data_dir, extra, |_| {})
    }

    /// Starts a broker with Kafka's group.initial.rebalance.delay.ms (3 s)
    /// rather than the tests' 0; see [`NO_GROUP_DELAY`].
    pub fn start_with_kafka_group_delay(extra: &[&str]) -> Broker {
        let mut args = vec![KAFKA_GROUP_DELAY];
        args.extend_from_slice(extra);
        Broker::start_with(&args)
    }

    /// Like `start_in`, with a last say over the command (environment,
    /// process limits).
    pub fn start_in_with(
        data_dir: &Path,
        extra: &[&str],
        prepare: impl FnOnce(&mut Command),
    ) -> Broker {
        let log_path = data_dir.with_extension("broker.log");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        let mut command = Command::new(dq_bin());
        command.arg("serve");
        // A restart that clients must find again keeps its port.
        if !extra.contains(&"--listen") {
            command.args(["--listen", "127.0.0.1:0"]);
        }
        command.arg("--data-dir").arg(data_dir);
        if extra.first() == Some(&KAFKA_GROUP_DELAY) {
            command.args(&extra[1..]);
        } else {
            if !extra.contains(&"--group-initial-rebalance-delay") {
                command.args(NO_GROUP_DELAY);
            }
            command.args(extra);
        }
        command
            .env_remove("RUST_LOG")
            .env_remove("DQ_LISTEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        prepare(&mut command);
        let mut child = command.spawn().expect("starting dq serve");
        let port = read_port(&mut child, &log_path);
        Broker {
            child: Some(child),
            port,
            data_dir: data_dir.to_path_buf(),
            log_path,
            _temp: None,
        }
    }

    /// The broker's process id, for reading /proc.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the broker is running").id()
    }

    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            let status = child.wait().unwrap();
            assert!(
                status.success(),
                "dq serve exited with {status} after SIGTERM; log:\n{}",
                self.log()
            );
        }
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads stdout until the "advertised as HOST:PORT" line; fails with the log
/// if the broker exits or stays silent for 3 minutes (a bound for a broker
/// that never starts, not a speed target: a restart of 10,000 partitions
/// under a loaded machine took over a minute).
fn read_port(child: &mut Child, log_path: &Path) -> u16 {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if let Some(addr) = line.strip_prefix("advertised as ") {
                let port = addr
                    .rsplit_once(':')
                    .and_then(|(_, p)| p.parse::<u16>().ok());
                let _ = tx.send(port);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(180)) {
        Ok(Some(port)) => port,
        _ => panic!(
            "dq serve did not report its address; log:\n{}",
            std::fs::read_to_string(log_path).unwrap_or_default()
        ),
    }
}

/// Encodes a request frame (size prefix included).
pub fn frame<R: Request>(request: &R, version: i16, correlation_id: i32) -> Vec<u8> {
    let key = ApiKey::try_from(R::KEY).unwrap();
    let header = RequestHeader::default()
        .with_request_api_key(R::KEY)
        .with_request_api_version(version)
        .with_correlation_id(correlation_id)
        .with_client_id(Some(StrBytes::from_static_str("dq-tests")));
    let mut buf = BytesMut::new();
    buf.put_i32(0);
    header
        .encode(&mut buf, key.request_header_version(version))
        .unwrap();
    request.encode(&mut buf, version).unwrap();
    let size = (buf.len() - 4) as i32;
    buf[..4].copy_from_slice(&size.to_be_bytes());
    buf.to_vec()
}

/// Reads one response frame; `None` when the broker closed the connection.
pub fn read_frame(stream: &mut TcpStream) -> Option<Bytes> {
    let mut size = [0u8; 4];
    stream.read_exact(&mut size).ok()?;
    let mut body = vec![0u8; i32::from_be_bytes(size) as usize];
    stream.read_exact(&mut body).ok()?;
    Some(Bytes::from(body))
}

/// Sends a request and decodes its response.
pub fn call<R: Request>(stream: &mut TcpStream, request: &R, version: i16) -> R::Response {
    stream.write_all(&frame(request, version, 7)).unwrap();
    let mut body =
        read_frame(stream).expect("the broker closed the connection instead of answering");
    let header = ResponseHeader::decode(&mut body, R::Response::header_version(version)).unwrap();
    assert_eq!(header.correlation_id, 7);
    R::Response::decode(&mut body, version).unwrap()
}

/// True once the broker has closed the connection (read returns EOF or reset).
pub fn closed_by_broker(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1];
    matches!(stream.read(&mut buf), Ok(0) | Err(_))
}

/// Collects delivery reports: `Ok((partition, offset))` or the error text.
#[derive(Default)]
pub struct Reports(pub std::sync::Mutex<Vec<Result<(i32, i64), String>>>);

impl rdkafka::ClientContext for Reports {}

impl rdkafka::producer::ProducerContext for Reports {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &rdkafka::message::DeliveryResult<'_>, _: ()) {
        use rdkafka::Message;
        let r = match result {
            Ok(m) => Ok((m.partition(), m.offset())),
            Err((e, _)) => Err(e.to_string()),
        };
        self.0.lock().unwrap().push(r);
    }
}

pub type TestProducer = rdkafka::producer::BaseProducer<Reports>;

/// An rdkafka producer with test-friendly settings.
pub fn producer(broker: &Broker, extra: &[(&str, &str)]) -> TestProducer {
    let mut config = rdkafka::ClientConfig::new();
    config
        .set("bootstrap.servers", broker.bootstrap())
        .set("message.timeout.ms", "30000")
        .set("linger.ms", "5");
    for (k, v) in extra {
        config.set(*k, *v);
    }
    config.create_with_context(Reports::default()).unwrap()
}

/// A record read back: offset, key, value.
pub type Received = (i64, Option<Vec<u8>>, Vec<u8>);

/// Consumes every record of `topic`/`partition` from `from` up to the current
/// end, with `assign` (no group). Returns `(offset, key, value)`.
pub fn read_partition(broker: &Broker, topic: &str, partition: i32, from: i64) -> Vec<Received> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::{Message, Offset, TopicPartitionList};
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "dq-tests-unused")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .create()
        .unwrap();
    let (_, high) = consumer
        .fetch_watermarks(topic, partition, Duration::from_secs(30))
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, partition, Offset::Offset(from))
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    if from >= high {
        return out;
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(500)) {
            Some(Ok(m)) => {
                out.push((
                    m.offset(),
                    m.key().map(|k| k.to_vec()),
                    m.payload().unwrap_or_default().to_vec(),
                ));
                if m.offset() + 1 >= high {
                    return out;
                }
            }
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(_)))
                if out.last().is_some_and(|(o, _, _)| o + 1 >= high) =>
            {
                return out;
            }
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(_))) => {}
            Some(Err(e)) => panic!("consume error: {e}"),
            None => {}
        }
    }
    panic!(
        "timed out reading {topic}-{partition}: got {} records, end is {high}",
        out.len()
    );
}

/// Produces `values` (keyed by `keys` when given) to one partition, waits for
/// every delivery report, and returns the offsets in send order. Panics on
/// any failed delivery.
pub fn produce_all(
    producer: &TestProducer,
    topic: &str,
    partition: i32,
    values: &[Vec<u8>],
) -> Vec<i64> {
    use rdkafka::producer::{BaseRecord, Producer};
    producer.context().0.lock().unwrap().clear();
    for v in values {
        let mut record = BaseRecord::<(), Vec<u8>>::to(topic)
            .partition(partition)
            .payload(v);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((
                    rdkafka::error::KafkaError::MessageProduction(
                        rdkafka::types::RDKafkaErrorCode::QueueFull,
                    ),
                    r,
                )) => {
                    record = r;
                    producer.poll(Duration::from_millis(10));
                }
                Err((e, _)) => panic!("produce failed: {e}"),
            }
        }
    }
    producer.flush(Duration::from_secs(60)).expect("flush");
    let reports = producer.context().0.lock().unwrap().clone();
    assert_eq!(
        reports.len(),
        values.len(),
        "one delivery report per record"
    );
    let mut offsets: Vec<i64> = reports
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("delivery failed: {e}")).1)
        .collect();
    offsets.sort_unstable();
    offsets
}

pub fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

pub fn append_bytes(path: &Path, bytes: &[u8]) {
    let mut f: File = OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}

/// `python PROGRAM` for a program in tests/compat, run by the virtual
/// environment scripts/setup-test-env made (with the real Kafka clients).
pub fn compat_python(program: &str) -> std::process::Command {
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = repo.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup-test-env",
        python.display()
    );
    let mut command = std::process::Command::new(python);
    command.arg(repo.join("tests/compat").join(program));
    command
}

/// Who writes a batch: an idempotent or transactional producer's id, epoch
/// and first sequence, as the batch header carries them.
#[derive(Debug, Clone, Copy)]
pub struct ProducerStamp {
    pub producer_id: i64,
    pub epoch: i16,
    pub first_sequence: i32,
    pub transactional: bool,
}

/// One uncompressed v2 batch of `values` (no keys, timestamp 0) from a
/// producer, numbered from `stamp.first_sequence`.
pub fn producer_batch(stamp: ProducerStamp, values: &[&[u8]]) -> Bytes {
    use kafka_protocol::records::{
        Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    };
    let records: Vec<Record> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Record {
            transactional: stamp.transactional,
            control: false,
            delete_horizon: false,
            partition_leader_epoch: 0,
            producer_id: stamp.producer_id,
            producer_epoch: stamp.epoch,
            timestamp_type: TimestampType::Creation,
            offset: i as i64,
            sequence: stamp.first_sequence.wrapping_add(i as i32),
            timestamp: 0,
            key: None,
            value: Some(Bytes::copy_from_slice(v)),
            headers: Default::default(),
        })
        .collect();
    let mut buf = BytesMut::new();
    RecordBatchEncoder::encode(
        &mut buf,
        &records,
        &RecordEncodeOptions {
            version: 2,
            compression: Compression::None,
        },
    )
    .unwrap();
    buf.freeze()
}

/// An acks=all ProduceRequest of one batch to one partition, carrying the
/// transactional id when there is one.
pub fn produce_request(
    topic: &str,
    partition: i32,
    batch: Bytes,
    transactional_id: Option<&str>,
) -> kafka_protocol::messages::ProduceRequest {
    use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
    use kafka_protocol::messages::{ProduceRequest, TopicName, TransactionalId};
    ProduceRequest::default()
        .with_acks(-1)
        .with_timeout_ms(10_000)
        .with_transactional_id(
            transactional_id.map(|t| TransactionalId(StrBytes::from_string(t.into()))),
        )
        .with_topic_data(vec![TopicProduceData::default()
            .with_name(TopicName(StrBytes::from_string(topic.into())))
            .with_partition_data(vec![PartitionProduceData::default()
                .with_index(partition)
                .with_records(Some(batch))])])
}

/// Runs a real-client program (tests/compat) to its end and returns the
/// JSON document on the last line of its stdout; fails the test, with its
/// output, when it fails or prints no JSON.
pub fn run_json(program: &mut Command, label: &str) -> serde_json::Value {
    let out = program
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{label}: cannot start: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{label} failed ({}):\n{stderr}\n{stdout}",
        out.status
    );
    let line = stdout
        .lines()
        .last()
        .unwrap_or_else(|| panic!("{label} printed nothing; stderr:\n{stderr}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{label}: not JSON ({e}): {line}"))
}
