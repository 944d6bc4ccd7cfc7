//! Every resource bound of `dq serve`, each proven against a running broker:
//! the request timeout inside a frame, `--max-connections`, the bytes of
//! requests in flight, Fetch sizes (KIP-74) and duplicate partitions, 10,000
//! partitions under the open-file bound, CreateTopics that fails part-way,
//! and `--max-partitions`.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use bytes::Bytes;
use kafka_protocol::messages::create_partitions_request::CreatePartitionsTopic;
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

use crate::support::*;

const INVALID_PARTITIONS: i16 = 37;
const KAFKA_STORAGE_ERROR: i16 = 56;
const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;

fn name(s: &str) -> TopicName {
    TopicName(StrBytes::from_string(s.into()))
}

/// Waits for `check` to hold, failing with `what` after 60 s.
fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn api_versions_answered(s: &mut TcpStream) -> bool {
    if s.write_all(&frame(&ApiVersionsRequest::default(), 3, 7))
        .is_err()
    {
        return false;
    }
    read_frame(s).is_some()
}

fn create_topic(
    s: &mut TcpStream,
    topic: &str,
    partitions: i32,
    validate_only: bool,
) -> (i16, String) {
    let r = call(
        s,
        &CreateTopicsRequest::default()
            .with_timeout_ms(600_000)
            .with_validate_only(validate_only)
            .with_topics(vec![CreatableTopic::default()
                .with_name(name(topic))
                .with_num_partitions(partitions)
                .with_replication_factor(1)]),
        5,
    );
    let t = &r.topics[0];
    (
        t.error_code,
        t.error_message
            .as_ref()
            .map(|m| m.to_string())
            .unwrap_or_default(),
    )
}

fn create_partitions(s: &mut TcpStream, topic: &str, count: i32) -> (i16, String) {
    let r = call(
        s,
        &CreatePartitionsRequest::default()
            .with_timeout_ms(600_000)
            .with_topics(vec![CreatePartitionsTopic::default()
                .with_name(name(topic))
                .with_count(count)]),
        3,
    );
    let t = &r.results[0];
    (
        t.error_code,
        t.error_message
            .as_ref()
            .map(|m| m.to_string())
            .unwrap_or_default(),
    )
}

/// The partition count Metadata reports for `topic`, or its error code.
fn partition_count(s: &mut TcpStream, topic: &str) -> Result<usize, i16> {
    let r = call(
        s,
        &MetadataRequest::default()
            .with_allow_auto_topic_creation(false)
            .with_topics(Some(vec![
                MetadataRequestTopic::default().with_name(Some(name(topic)))
            ])),
        9,
    );
    let t = &r.topics[0];
    if t.error_code != 0 {
        return Err(t.error_code);
    }
    Ok(t.partitions.len())
}

/// One uncompressed batch of `count` records of `size` bytes each.
fn batch(count: usize, size: usize) -> Bytes {
    let records: Vec<_> = (0..count)
        .map(|i| {
            (
                None,
                Some(Bytes::from(vec![b'a' + (i % 26) as u8; size])),
                1_700_000_000_000 + i as i64,
            )
        })
        .collect();
    dq::broker::storage::batch::encode_plain(&records)
}

/// Produces one batch to each listed partition of `topic` with acks=1 and
/// checks every partition accepted it.
fn produce(s: &mut TcpStream, topic: &str, partitions: impl Iterator<Item = i32>, records: &Bytes) {
    let data: Vec<_> = partitions
        .map(|p| {
            PartitionProduceData::default()
                .with_index(p)
                .with_records(Some(records.clone()))
        })
        .collect();
    let n = data.len();
    let r = call(
        s,
        &ProduceRequest::default()
            .with_acks(1)
            .with_timeout_ms(60_000)
            .with_topic_data(vec![TopicProduceData::default()
                .with_name(name(topic))
                .with_partition_data(data)]),
        8,
    );
    let answered = &r.responses[0].partition_responses;
    assert_eq!(answered.len(), n);
    for p in answered {
        assert_eq!(p.error_code, 0, "produce to {topic}-{}", p.index);
    }
}

fn fetch_partition(partition: i32, offset: i64, max: i32) -> FetchPartition {
    FetchPartition::default()
        .with_partition(partition)
        .with_fetch_offset(offset)
        .with_partition_max_bytes(max)
}

fn fetch(s: &mut TcpStream, max_bytes: i32, topics: Vec<FetchTopic>) -> FetchResponse {
    call(
        s,
        &FetchRequest::default()
            .with_max_wait_ms(0)
            .with_min_bytes(1)
            .with_max_bytes(max_bytes)
            .with_topics(topics),
        12,
    )
}

fn records_len(p: &kafka_protocol::messages::fetch_response::PartitionData) -> usize {
    p.records.as_ref().map_or(0, |r| r.len())
}

/// Open file handles of a process.
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// A `VmXXX:   123 kB` line of /proc/PID/status, in bytes.
fn vm_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn a_frame_that_stalls_after_its_first_byte_is_closed_at_the_request_timeout() {
    let broker = Broker::start_with(&["--request-timeout", "1s"]);
    // Opened first and silent throughout: idle between frames is not a stall.
    let mut idle = broker.connect();
    assert!(api_versions_answered(&mut idle));

    // 10 bytes of a declared 100, then nothing.
    let mut body_stall = broker.connect();
    let peer = body_stall.local_addr().unwrap().to_string();
    body_stall.write_all(&100i32.to_be_bytes()).unwrap();
    body_stall.write_all(&[0u8; 10]).unwrap();
    // Two bytes of the size prefix, then nothing.
    let mut size_stall = broker.connect();
    size_stall.write_all(&[0, 0]).unwrap();

    let started = Instant::now();
    assert!(closed_by_broker(&mut body_stall));
    assert!(closed_by_broker(&mut size_stall));
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed before the timeout: {:?}",
        started.elapsed()
    );
    wait_for("the WARN line naming the stalled peer", || {
        broker.log().lines().any(|l| {
            l.contains("WARN") && l.contains(&peer) && l.contains("did not arrive within 1s")
        })
    });
    // The idle connection outlived both stalls and is still served.
    assert!(api_versions_answered(&mut idle));
}

#[test]
fn connections_over_max_connections_are_closed_and_logged_once_per_episode() {
    let broker = Broker::start_with(&["--max-connections", "2"]);
    let mut a = broker.connect();
    let mut b = broker.connect();
    assert!(api_versions_answered(&mut a));
    assert!(api_versions_answered(&mut b));

    for _ in 0..3 {
        let mut over = broker.connect();
        let _ = over.write_all(&frame(&ApiVersionsRequest::default(), 3, 7));
        assert!(
            closed_by_broker(&mut over),
            "a third connection must be closed"
        );
    }
    let refused = |log: &str| {
        log.matches("connection limit reached (--max-connections)")
            .count()
    };
    assert_eq!(
        refused(&broker.log()),
        1,
        "one line per episode:\n{}",
        broker.log()
    );
    assert!(api_versions_answered(&mut a));

    // One slot frees up: a new connection is served again.
    drop(b);
    wait_for("a new connection to be served", || {
        let mut c = broker.connect();
        api_versions_answered(&mut c)
    });
    assert!(broker.log().contains("accepting connections again"));
    assert!(api_versions_answered(&mut a));
}

#[test]
fn requests_in_flight_are_capped_in_bytes_and_memory_stays_bounded() {
    const MB: usize = 1 << 20;
    let broker = Broker::start_with(&[
        "--queued-max-request-bytes",
        "100M",
        "--max-request-bytes",
        "200M",
        "--request-timeout",
        "2s",
    ]);
    let pid = broker.pid();

    // A frame larger than the whole budget could never be read: refused at
    // once, naming the flag.
    let mut huge = broker.connect();
    huge.write_all(&(150 * MB as i32).to_be_bytes()).unwrap();
    assert!(closed_by_broker(&mut huge));
    assert!(broker
        .log()
        .contains("over the limit of 104857600 bytes (--queued-max-request-bytes)"));

    // Ten connections each send 40 MB of a declared 50 MB frame and stall.
    // Unbounded, the broker would hold 400 MB; under a 100 MB budget at
    // most two frames are read at a time, each until its timeout.
    let senders: Vec<_> = (0..10)
        .map(|_| {
            let mut s = broker.connect();
            std::thread::spawn(move || {
                // A write fails once the broker has closed the connection.
                if s.write_all(&(50 * MB as i32).to_be_bytes()).is_ok() {
                    let chunk = vec![7u8; MB];
                    for _ in 0..40 {
                        if s.write_all(&chunk).is_err() {
                            break;
                        }
                    }
                }
                closed_by_broker(&mut s)
            })
        })
        .collect();
    for s in senders {
        assert!(
            s.join().unwrap(),
            "every stalled connection is closed in the end"
        );
    }
    let peak = vm_bytes(pid, "VmHWM");
    assert!(
        peak < 250 * MB as u64,
        "the broker's peak resident memory was {} MB",
        peak / MB as u64
    );
    assert!(broker
        .log()
        .contains("requests in flight reached --queued-max-request-bytes"));
    let mut s = broker.connect();
    assert!(api_versions_answered(&mut s));
}

#[test]
fn fetch_serves_a_repeated_partition_once_and_sizes_by_kafka_rules() {
    let broker = Broker::start();
    let mut s = broker.connect();
    assert_eq!(create_topic(&mut s, "sized", 2, false).0, 0);
    // Five batches of about 4 KB on each partition.
    let one = batch(4, 1000);
    for _ in 0..5 {
        produce(&mut s, "sized", 0..2, &one);
    }
    let batch_len = one.len();

    // The request: one partition listed 100 times, max_bytes 0.
    let repeated: Vec<FetchPartition> = (0..100).map(|_| fetch_partition(0, 0, 1 << 20)).collect();
    let request = FetchRequest::default()
        .with_max_wait_ms(0)
        .with_max_bytes(0)
        .with_topics(vec![FetchTopic::default()
            .with_topic(name("sized"))
            .with_partitions(repeated)]);
    let bytes = frame(&request, 12, 7);
    s.write_all(&bytes).unwrap();
    let response = read_frame(&mut s).unwrap();
    assert!(
        response.len() < batch_len + 200,
        "a {}-byte request got a {}-byte response",
        bytes.len(),
        response.len()
    );
    let r = fetch(
        &mut s,
        0,
        vec![FetchTopic::default()
            .with_topic(name("sized"))
            .with_partitions((0..100).map(|_| fetch_partition(0, 0, 1 << 20)).collect())],
    );
    assert_eq!(r.responses.len(), 1);
    assert_eq!(r.responses[0].partitions.len(), 1, "served once");
    // max_bytes 0 still returns the first batch, so the consumer progresses.
    assert_eq!(records_len(&r.responses[0].partitions[0]), batch_len);

    let both = |max0: i32, max1: i32| {
        vec![FetchTopic::default()
            .with_topic(name("sized"))
            .with_partitions(vec![
                fetch_partition(0, 0, max0),
                fetch_partition(1, 0, max1),
            ])]
    };
    let sizes = |r: &FetchResponse| -> Vec<usize> {
        r.responses
            .iter()
            .flat_map(|t| t.partitions.iter().map(records_len))
            .collect()
    };
    // max_bytes 0: one batch from the first partition, none from the second.
    assert_eq!(
        sizes(&fetch(&mut s, 0, both(1 << 20, 1 << 20))),
        [batch_len, 0]
    );
    // partition_max_bytes below one batch: only the first partition gets one.
    assert_eq!(sizes(&fetch(&mut s, 1 << 20, both(10, 10))), [batch_len, 0]);
    // Whole batches within the limits; the second partition gets what is left.
    assert_eq!(
        sizes(&fetch(
            &mut s,
            (3 * batch_len + batch_len / 2) as i32,
            both(1 << 20, 1 << 20)
        )),
        [3 * batch_len, 0]
    );
    assert_eq!(
        sizes(&fetch(
            &mut s,
            (4 * batch_len + 10) as i32,
            both(2 * batch_len as i32 + 10, 1 << 20)
        )),
        [2 * batch_len, 2 * batch_len]
    );
    // A later duplicate replaces the earlier entry, as Kafka keys a fetch by partition.
    let r = fetch(
        &mut s,
        1 << 20,
        vec![FetchTopic::default()
            .with_topic(name("sized"))
            .with_partitions(vec![
                fetch_partition(0, 0, 1 << 20),
                fetch_partition(0, 4, 1 << 20),
            ])],
    );
    assert_eq!(r.responses[0].partitions.len(), 1);
    assert_eq!(records_len(&r.responses[0].partitions[0]), 4 * batch_len);
}

#[test]
fn ten_thousand_partitions_stay_under_the_open_file_bound() {
    const PARTITIONS: i32 = 10_000;
    const MAX_OPEN_FILES: usize = 12_000;
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let flags = ["--max-open-files", "12000", "--max-partitions", "10000"];
    // Start with a low soft limit: the broker raises it to the hard one.
    let low_soft_limit = |c: &mut std::process::Command| {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                let mut l = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut l);
                l.rlim_cur = l.rlim_cur.min(1024);
                libc::setrlimit(libc::RLIMIT_NOFILE, &l);
                Ok(())
            });
        }
    };
    let mut broker = Broker::start_in_with(&data_dir, &flags, low_soft_limit);
    let mut hard = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut hard) };
    if hard.rlim_max > 1024 {
        assert!(
            broker.log().contains("raised the open-file limit"),
            "{}",
            broker.log()
        );
    }
    // The bound: cached and pinned segment files, plus connections, the
    // runtime and the reserve.
    let bound = MAX_OPEN_FILES + 256;
    let mut s = broker.connect();
    s.set_read_timeout(Some(Duration::from_secs(600))).unwrap();
    let (code, message) = create_topic(&mut s, "wide", PARTITIONS, false);
    assert_eq!(code, 0, "{message}");
    assert!(
        open_fds(broker.pid()) <= bound,
        "{} open after create",
        open_fds(broker.pid())
    );

    let one = batch(1, 20);
    produce(&mut s, "wide", 0..PARTITIONS, &one);
    produce(&mut s, "wide", 0..PARTITIONS, &one);
    assert!(
        open_fds(broker.pid()) <= bound,
        "{} open after produce",
        open_fds(broker.pid())
    );

    let check_fetch = |s: &mut TcpStream| {
        let r = fetch(
            s,
            64 << 20,
            vec![FetchTopic::default()
                .with_topic(name("wide"))
                .with_partitions(
                    (0..PARTITIONS)
                        .map(|p| fetch_partition(p, 0, 1 << 20))
                        .collect(),
                )],
        );
        let partitions = &r.responses[0].partitions;
        assert_eq!(partitions.len(), PARTITIONS as usize);
        for p in partitions {
            assert_eq!(p.error_code, 0, "fetch from wide-{}", p.partition_index);
            assert_eq!(p.high_watermark, 2);
            assert_eq!(records_len(p), 2 * one.len(), "wide-{}", p.partition_index);
        }
    };
    check_fetch(&mut s);
    assert!(
        open_fds(broker.pid()) <= bound,
        "{} open after fetch",
        open_fds(broker.pid())
    );

    // A restart opens (and recovers) all of them under the same bound.
    // (SIGKILL: a clean stop would fdatasync 10,000 logs.)
    drop(s);
    broker.kill();
    let broker = Broker::start_in_with(&data_dir, &flags, low_soft_limit);
    let mut s = broker.connect();
    s.set_read_timeout(Some(Duration::from_secs(600))).unwrap();
    check_fetch(&mut s);
    produce(&mut s, "wide", 0..PARTITIONS, &one);
    let fds = open_fds(broker.pid());
    assert!(fds <= bound, "{fds} open after a restart");
    assert!(
        fds >= PARTITIONS as usize,
        "every active segment stays open: {fds}"
    );
}

#[test]
fn a_create_topics_that_fails_part_way_leaves_nothing_behind() {
    let mut broker = Broker::start();
    let mut s = broker.connect();
    // Partition 5 cannot get its directory: a file is in the way.
    let blocker = broker.data_dir.join("half-5");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let (code, message) = create_topic(&mut s, "half", 10, false);
    assert_eq!(code, KAFKA_STORAGE_ERROR, "{message}");
    assert!(
        message.contains("half-5"),
        "the message names the directory: {message}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&broker.data_dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("half-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "directories left behind: {leftovers:?}"
    );
    assert_eq!(
        partition_count(&mut s, "half"),
        Err(UNKNOWN_TOPIC_OR_PARTITION)
    );
    let catalog = std::fs::read_to_string(broker.data_dir.join("catalog.json")).unwrap();
    assert!(!catalog.contains("\"half\""), "{catalog}");

    // CreatePartitions that fails part-way keeps the topic as it was.
    assert_eq!(create_topic(&mut s, "grow", 2, false).0, 0);
    std::fs::write(broker.data_dir.join("grow-3"), b"in the way").unwrap();
    let (code, message) = create_partitions(&mut s, "grow", 5);
    assert_eq!(code, KAFKA_STORAGE_ERROR, "{message}");
    assert!(!broker.data_dir.join("grow-2").exists());
    assert!(!broker.data_dir.join("grow-4").exists());
    assert_eq!(partition_count(&mut s, "grow"), Ok(2));
    drop(s);
    broker.stop();
    let broker = Broker::start_in(&broker.data_dir.clone(), &[]);
    let mut s = broker.connect();
    assert_eq!(partition_count(&mut s, "grow"), Ok(2));

    // With the obstacle gone, the same requests succeed.
    std::fs::remove_file(&blocker).unwrap();
    assert_eq!(create_topic(&mut s, "half", 10, false).0, 0);
    assert_eq!(partition_count(&mut s, "half"), Ok(10));
    std::fs::remove_file(broker.data_dir.join("grow-3")).unwrap();
    assert_eq!(create_partitions(&mut s, "grow", 5).0, 0);
    assert_eq!(partition_count(&mut s, "grow"), Ok(5));
}

#[test]
fn partition_counts_over_max_partitions_are_refused_up_front() {
    let broker = Broker::start_with(&["--max-partitions", "10", "--no-auto-create"]);
    let mut s = broker.connect();
    assert_eq!(create_topic(&mut s, "a", 8, false).0, 0);

    for validate_only in [true, false] {
        let (code, message) = create_topic(&mut s, "b", 3, validate_only);
        assert_eq!(code, INVALID_PARTITIONS, "{message}");
        assert!(
            message.contains("limit of 10 (--max-partitions; 8 are held now)"),
            "{message}"
        );
    }
    assert!(!broker.data_dir.join("b-0").exists());
    let (code, message) = create_partitions(&mut s, "a", 11);
    assert_eq!(code, INVALID_PARTITIONS, "{message}");
    assert!(message.contains("--max-partitions"), "{message}");
    assert_eq!(partition_count(&mut s, "a"), Ok(8));

    // Up to the limit is fine.
    assert_eq!(create_topic(&mut s, "b", 2, false).0, 0);
    assert_eq!(create_partitions(&mut s, "a", 9).0, INVALID_PARTITIONS);
    assert_eq!(partition_count(&mut s, "b"), Ok(2));
}
