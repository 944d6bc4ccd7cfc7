//! The disk fails safe: a full filesystem (a real tmpfs), the data
//! directory lock, recovery after an unclean shutdown, and `dq dump-log`.

use std::path::{Path, PathBuf};
use std::process::Command;

use bytes::Bytes;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::{ProduceRequest, TopicName};
use kafka_protocol::protocol::StrBytes;
use serde_json::Value;

use crate::bad_input::create_topic;
use crate::cli_support::dq;
use crate::support::*;

const KAFKA_STORAGE_ERROR: i16 = 56;

/// One uncompressed batch holding `values`, stamped now (an old timestamp
/// would let retention.ms remove rolled segments under the test).
fn batch_of(values: &[Vec<u8>]) -> Vec<u8> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let records: Vec<_> = values
        .iter()
        .map(|v| (None, Some(Bytes::from(v.clone())), now))
        .collect();
    dq::broker::storage::batch::encode_plain(&records).to_vec()
}

/// Produces one batch to partition 0 of `topic`: `(error code, base offset)`.
fn produce(s: &mut std::net::TcpStream, topic: &str, values: &[Vec<u8>], acks: i16) -> (i16, i64) {
    let request = ProduceRequest::default()
        .with_acks(acks)
        .with_timeout_ms(5000)
        .with_topic_data(vec![TopicProduceData::default()
            .with_name(TopicName(StrBytes::from_string(topic.into())))
            .with_partition_data(vec![PartitionProduceData::default()
                .with_index(0)
                .with_records(Some(Bytes::from(batch_of(values))))])]);
    let r = call(s, &request, 9);
    let p = &r.responses[0].partition_responses[0];
    (p.error_code, p.base_offset)
}

/// Byte positions where each batch of a segment file starts.
fn batch_positions(path: &Path) -> Vec<usize> {
    let bytes = std::fs::read(path).unwrap();
    let mut at = 0;
    let mut positions = Vec::new();
    while at + 12 <= bytes.len() {
        positions.push(at);
        at += 12 + i32::from_be_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
    }
    positions
}

fn flip_byte(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0x10;
    std::fs::write(path, bytes).unwrap();
}

fn first_segment(data_dir: &Path, topic: &str) -> PathBuf {
    data_dir
        .join(format!("{topic}-0"))
        .join("00000000000000000000.log")
}

/// `n` values of `size` bytes, distinct per `tag`.
fn values(tag: &str, n: usize, size: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let mut v = format!("{tag}-{i:04}-").into_bytes();
            v.resize(size, b'x');
            v
        })
        .collect()
}

#[test]
fn a_second_broker_on_the_same_directory_refuses_to_start_naming_dir_and_pid() {
    let mut first = Broker::start();
    let dir = first.data_dir.clone();
    let second = dq(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            dir.to_str().unwrap(),
        ],
        b"",
    )
    .expect_code(1);
    assert!(
        second
            .stderr
            .contains(&format!("data directory {} is in use", dir.display()))
            && second.stderr.contains(&format!("pid {}", first.pid())),
        "{}",
        second.stderr
    );
    {
        let mut s = first.connect();
        create_topic(&mut s, "kept");
        assert_eq!(produce(&mut s, "kept", &values("a", 3, 10), 1), (0, 0));
    }
    // The lock dies with the process, SIGKILL included.
    first.kill();
    let restarted = Broker::start_in(&dir, &[]);
    let got = read_partition(&restarted, "kept", 0, 0);
    assert_eq!(got.len(), 3);
}

/// Five batches of about 5 KB, so that each gets an offset index entry and
/// the old tail-only check would start past a damaged middle batch.
fn five_big_batches(broker: &Broker, topic: &str) {
    let mut s = broker.connect();
    create_topic(&mut s, topic);
    for b in 0..5 {
        let (code, base) = produce(&mut s, topic, &values(&format!("b{b}"), 5, 1000), 1);
        assert_eq!((code, base), (0, b * 5));
    }
}

#[test]
fn after_a_crash_recovery_checks_every_batch_and_cuts_at_a_corrupt_middle_one() {
    let mut broker = Broker::start();
    five_big_batches(&broker, "mid");
    let dir = broker.data_dir.clone();
    broker.kill();
    let segment = first_segment(&dir, "mid");
    let positions = batch_positions(&segment);
    assert_eq!(positions.len(), 5);
    // A byte inside the third batch's records (past its 61-byte header).
    flip_byte(&segment, positions[2] + 100);

    let broker = Broker::start_in(&dir, &[]);
    let log = broker.log();
    let line = log
        .lines()
        .find(|l| l.contains("recovery found a corrupt batch"))
        .unwrap_or_else(|| panic!("no corrupt-batch line; log:\n{log}"));
    assert!(
        line.contains("offset=10")
            && line.contains(&format!("position={}", positions[2]))
            && line.contains(&segment.display().to_string())
            && line.contains("CRC-32C"),
        "{line}"
    );
    assert!(log.contains("the last shutdown was not clean"), "{log}");
    assert_eq!(
        std::fs::metadata(&segment).unwrap().len(),
        positions[2] as u64
    );
    let got = read_partition(&broker, "mid", 0, 0);
    assert_eq!(
        got.iter().map(|r| r.0).collect::<Vec<_>>(),
        (0..10).collect::<Vec<i64>>()
    );
    // The next record takes the first offset cut, never one still stored.
    let mut s = broker.connect();
    assert_eq!(produce(&mut s, "mid", &values("new", 1, 10), 1), (0, 10));
}

#[test]
fn a_clean_shutdown_lets_the_next_start_skip_the_full_check() {
    let mut broker = Broker::start();
    five_big_batches(&broker, "calm");
    let dir = broker.data_dir.clone();
    broker.stop();
    assert!(dir.join(".dq_cleanshutdown").exists());
    let segment = first_segment(&dir, "calm");
    let positions = batch_positions(&segment);
    flip_byte(&segment, positions[2] + 100);

    // Kafka trusts a cleanly closed log too: only the tail is looked at,
    // so damage done while no broker ran is not searched for.
    let mut broker = Broker::start_in(&dir, &[]);
    let log = broker.log();
    assert!(
        log.contains("the last shutdown was clean; skipped the full recovery check"),
        "{log}"
    );
    assert!(!log.contains("corrupt batch"), "{log}");
    assert!(
        !dir.join(".dq_cleanshutdown").exists(),
        "the marker is gone while the broker runs"
    );
    // A crash now is unclean again, and the check finds the damage.
    broker.kill();
    let broker = Broker::start_in(&dir, &[]);
    assert!(
        broker.log().contains("recovery found a corrupt batch"),
        "{}",
        broker.log()
    );
}

#[test]
fn dump_log_prints_batches_and_records_and_verify_sets_the_exit_code() {
    let mut broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "dump");
    for b in 0..3 {
        produce(&mut s, "dump", &values(&format!("d{b}"), 2, 20), 1);
    }
    drop(s);
    let dir = broker.data_dir.clone();
    broker.stop();
    let segment = first_segment(&dir, "dump");
    let path = segment.to_str().unwrap();

    let text = dq(&["dump-log", path], b"").expect_code(0).stdout_text();
    assert!(
        text.starts_with(&format!("Dumping {path}\nLog starting offset: 0\n")),
        "{text}"
    );
    let batches: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("baseOffset:"))
        .collect();
    assert_eq!(batches.len(), 3, "{text}");
    assert!(
        batches[1].starts_with("baseOffset: 2 lastOffset: 3 count: 2 ")
            && batches[1].contains("compresscodec: none")
            && batches[1].ends_with("isValid: true"),
        "{}",
        batches[1]
    );
    assert!(!text.contains("| offset:"), "records only with --records");

    let records = dq(&["dump-log", path, "--records"], b"")
        .expect_code(0)
        .stdout_text();
    let record_lines: Vec<&str> = records
        .lines()
        .filter(|l| l.starts_with("| offset:"))
        .collect();
    assert_eq!(record_lines.len(), 6);
    assert!(
        record_lines[3].starts_with("| offset: 3 CreateTime: ")
            && record_lines[3].contains("payload: d1-0001-"),
        "{}",
        record_lines[3]
    );
    dq(&["dump-log", path, "--verify"], b"").expect_code(0);

    let json = dq(&["dump-log", path, "--records", "--output", "json"], b"")
        .expect_code(0)
        .stdout_text();
    let docs: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[2]["base_offset"], 4);
    assert_eq!(docs[2]["valid"], true);
    assert_eq!(docs[2]["records"][1]["offset"], 5);
    assert!(docs[2]["records"][1]["value"]
        .as_str()
        .unwrap()
        .starts_with("d2-0001-"));

    // Damage the second batch: --verify names it and exits 1.
    let positions = batch_positions(&segment);
    flip_byte(&segment, positions[1] + 70);
    let bad = dq(&["dump-log", path, "--verify"], b"").expect_code(1);
    assert!(
        bad.stderr.contains(&format!(
            "{path} at position {}, base offset 2",
            positions[1]
        )) && bad.stderr.contains("CRC-32C"),
        "{}",
        bad.stderr
    );
    assert!(bad
        .stdout_text()
        .contains("isValid: false error: CRC-32C mismatch"));
    let json = dq(&["dump-log", path, "--output", "json"], b"")
        .expect_code(0)
        .stdout_text();
    let docs: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs[1]["valid"], false);
    assert_eq!(docs[2]["valid"], true, "a CRC error does not stop the walk");

    // A torn tail is reported as such.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&segment)
        .unwrap();
    f.set_len(positions[2] as u64 + 30).unwrap();
    let torn = dq(&["dump-log", path, "--verify"], b"").expect_code(1);
    assert!(
        torn.stderr.contains("shorter than a batch header"),
        "{}",
        torn.stderr
    );

    let missing = dq(&["dump-log", "/nonexistent/00000000000000000000.log"], b"").expect_code(1);
    assert!(
        missing
            .stderr
            .contains("cannot open segment file /nonexistent/"),
        "{}",
        missing.stderr
    );
    let index = dir.join("dump-0").join("00000000000000000000.index");
    let not_segment = dq(&["dump-log", index.to_str().unwrap()], b"").expect_code(1);
    assert!(
        not_segment.stderr.contains("is not a segment file"),
        "{}",
        not_segment.stderr
    );
}

/// A tmpfs mounted for one test at `<temp dir>/data`, unmounted when
/// dropped. The broker's log (`data.broker.log`) stays outside it, on a disk
/// with room.
struct Tmpfs {
    /// Removed (after the unmount) when dropped.
    _dir: tempfile::TempDir,
    mount: PathBuf,
}

impl Tmpfs {
    /// `None` (with the reason printed) where mounting is not allowed.
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: mounting a small tmpfs to fill needs root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mount = dir.path().join("data");
        std::fs::create_dir(&mount).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { _dir: dir, mount }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        &self.mount
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Before `_dir` itself is removed (fields drop after this).
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

/// Reads the whole partition and checks it holds exactly what was
/// acknowledged: every offset once, each with the value acknowledged for it.
fn assert_holds(broker: &Broker, acked: &[(i64, Vec<u8>)]) {
    let got = read_partition(broker, "full", 0, 0);
    let offsets: Vec<i64> = got.iter().map(|r| r.0).collect();
    assert_eq!(
        offsets,
        (0..acked.len() as i64).collect::<Vec<_>>(),
        "offsets are contiguous and none is given twice"
    );
    for ((offset, value), (got_offset, _, got_value)) in acked.iter().zip(&got) {
        assert_eq!(offset, got_offset);
        assert!(value == got_value, "offset {offset} holds another value");
    }
}

#[test]
fn a_full_disk_refuses_writes_without_losing_or_reusing_an_offset() {
    let Some(fs) = Tmpfs::mount("20m") else {
        return;
    };
    let dir = fs.path().to_path_buf();
    // Freed later to end the episode.
    let filler = dir.join("filler");
    std::fs::write(&filler, vec![7u8; 4 << 20]).unwrap();

    let mut broker = Broker::start_in(&dir, &["--segment-bytes", "1M"]);
    let mut s = broker.connect();
    create_topic(&mut s, "full");
    let mut acked: Vec<(i64, Vec<u8>)> = Vec::new();
    let mut refused = 0;
    for b in 0.. {
        let batch = values(&format!("b{b}"), 10, 10_000);
        let (code, base) = produce(&mut s, "full", &batch, -1);
        match code {
            0 => {
                assert_eq!(base, acked.len() as i64, "offsets follow on");
                acked.extend(
                    batch
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (base + i as i64, v)),
                );
            }
            KAFKA_STORAGE_ERROR => {
                refused += 1;
                if refused == 5 {
                    break;
                }
            }
            other => panic!("batch {b}: unexpected error code {other}"),
        }
        assert!(b < 1000, "a 20 MB filesystem never filled up");
    }
    assert!(acked.len() > 100, "{} records acknowledged", acked.len());

    std::fs::remove_file(&filler).unwrap();
    for b in 0..20 {
        let batch = values(&format!("after{b}"), 10, 10_000);
        let (code, base) = produce(&mut s, "full", &batch, -1);
        assert_eq!(code, 0, "writes work again once there is room");
        assert_eq!(base, acked.len() as i64);
        acked.extend(
            batch
                .into_iter()
                .enumerate()
                .map(|(i, v)| (base + i as i64, v)),
        );
    }
    drop(s);
    assert_holds(&broker, &acked);

    let log = broker.log();
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "one ERROR for the episode:\n{log}");
    assert!(
        errors[0].contains("writes to the data directory are failing")
            && errors[0].contains("free_bytes=")
            && errors[0].contains(&dir.display().to_string()),
        "{}",
        errors[0]
    );
    assert_eq!(
        log.matches("writes to the data directory succeed again")
            .count(),
        1,
        "{log}"
    );

    // Everything acknowledged survives a SIGKILL and a clean restart.
    broker.kill();
    let mut broker = Broker::start_in(&dir, &["--segment-bytes", "1M"]);
    assert_holds(&broker, &acked);
    broker.stop();
    let broker = Broker::start_in(&dir, &["--segment-bytes", "1M"]);
    assert_holds(&broker, &acked);
    let mut s = broker.connect();
    assert_eq!(
        produce(&mut s, "full", &values("last", 1, 10), -1),
        (0, acked.len() as i64)
    );
}
