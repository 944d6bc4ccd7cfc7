//! `dq produce`: piped input arrives complete and in order, keys land where
//! the Java client would put them, every record gets a report, failures are
//! named and reflected in the exit code, and a consume → produce pipe through
//! JSON envelopes copies a topic exactly.

use std::io::Write;

use serde_json::Value;

use crate::cli_support::{command, consume, dq, produce, wait, LineReader};
use crate::support::{read_partition, Broker};

#[test]
fn a_hundred_thousand_piped_lines_arrive_in_order_with_keys_and_headers() {
    let broker = Broker::start();
    let n = 100_000;
    let mut input = Vec::new();
    for i in 0..n {
        writeln!(input, "key-{i}:value {i}").unwrap();
    }
    let run = produce(
        &broker,
        "lines",
        &["-K", ":", "-H", "source=test", "-H", "run=1"],
        &input,
    )
    .expect_code(0);
    assert!(
        run.stderr
            .contains(&format!("{n} records delivered to lines, 0 failed")),
        "summary: {}",
        run.stderr
    );

    // Read back with rdkafka directly, independently of `dq consume`.
    let records = read_partition(&broker, "lines", 0, 0);
    assert_eq!(records.len(), n);
    for (i, (offset, key, value)) in records.iter().enumerate() {
        assert_eq!(*offset, i as i64);
        assert_eq!(key.as_deref(), Some(format!("key-{i}").as_bytes()));
        assert_eq!(value, format!("value {i}").as_bytes());
    }

    let run = consume(
        &broker,
        &["lines", "--from-beginning", "-e", "-f", "%o %k %h %s\\n"],
    )
    .expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line, &format!("{i} key-{i} source=test,run=1 value {i}"));
    }
    assert!(
        run.stderr
            .contains(&format!("Processed a total of {n} messages")),
        "{}",
        run.stderr
    );
}

/// The Java client's partitioner: murmur2 of the key bytes, made positive.
fn java_partition(key: &[u8], partitions: u32) -> u32 {
    let m: u32 = 0x5bd1_e995;
    let mut h: u32 = 0x9747_b28c ^ key.len() as u32;
    let chunks = key.chunks_exact(4);
    let tail = chunks.remainder();
    for chunk in chunks {
        let mut k = u32::from_le_bytes(chunk.try_into().unwrap());
        k = k.wrapping_mul(m);
        k ^= k >> 24;
        k = k.wrapping_mul(m);
        h = h.wrapping_mul(m);
        h ^= k;
    }
    if tail.len() == 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(m);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(m);
    h ^= h >> 15;
    (h & 0x7fff_ffff) % partitions
}

#[test]
fn keys_land_on_the_partition_the_java_client_would_choose() {
    let broker = Broker::start_with(&["--partitions", "8"]);
    let keys: Vec<String> = (0..200).map(|i| format!("user-{i}")).collect();
    let input: String = keys.iter().map(|k| format!("{k}\tv\n")).collect();
    produce(
        &broker,
        "keyed",
        &["-X", "parse.key=true"],
        input.as_bytes(),
    )
    .expect_code(0);
    let run = consume(
        &broker,
        &["keyed", "--from-beginning", "-e", "-f", "%k %p\\n"],
    )
    .expect_code(0);
    let mut seen = 0;
    let mut used = std::collections::HashSet::new();
    for line in run.lines() {
        let (key, partition) = line.split_once(' ').unwrap();
        let partition: u32 = partition.parse().unwrap();
        assert_eq!(partition, java_partition(key.as_bytes(), 8), "key {key}");
        used.insert(partition);
        seen += 1;
    }
    assert_eq!(seen, keys.len());
    assert!(
        used.len() > 4,
        "200 keys should spread over most of 8 partitions: {used:?}"
    );
}

#[test]
fn each_record_gets_a_report_and_json_reports_parse() {
    let broker = Broker::start();
    let run = produce(
        &broker,
        "reports",
        &[
            "--report",
            "each",
            "--report-to",
            "stdout",
            "--output",
            "json",
        ],
        b"a\nb\nc\n",
    )
    .expect_code(0);
    let reports: Vec<Value> = run
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 3, "{reports:?}");
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r["record"], i as u64 + 1);
        assert_eq!(r["topic"], "reports");
        assert_eq!(r["partition"], 0);
        assert_eq!(r["offset"], i as u64);
    }
    assert!(
        !run.stderr.contains("delivered"),
        "no summary with --report each: {}",
        run.stderr
    );

    let run = produce(&broker, "reports", &["--report", "each"], b"d\n").expect_code(0);
    assert_eq!(run.stderr.trim(), "reports-0@3");
    let run = produce(&broker, "reports", &["--report", "none"], b"e\n").expect_code(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_record_the_broker_refuses_is_reported_with_its_error_and_fails_the_exit_code() {
    let broker = Broker::start();
    // librdkafka is told to allow 4 MB, so the broker's 1 MB limit is the one that refuses.
    let big = "x".repeat(1_500_000);
    let input = format!("small\n{big}\nsmall too\n");
    let run = produce(
        &broker,
        "limits",
        &["-X", "message.max.bytes=4000000"],
        input.as_bytes(),
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("record 2 not delivered to limits-0")
            && run.stderr.contains("too large"),
        "the failure names the record and the broker's error: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("2 records delivered to limits, 1 failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("dq: 1 of 3 record(s) were not delivered"),
        "{}",
        run.stderr
    );
    let values: Vec<Vec<u8>> = read_partition(&broker, "limits", 0, 0)
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(values, vec![b"small".to_vec(), b"small too".to_vec()]);
}

#[test]
fn a_record_librdkafka_refuses_to_queue_is_reported_and_its_neighbours_still_arrive() {
    let broker = Broker::start();
    // Over librdkafka's own 1 MB message.max.bytes: refused before it is sent.
    let big = "x".repeat(1_500_000);
    let input = format!("a\n{big}\nb\nc\n");
    let run = produce(&broker, "refused", &[], input.as_bytes()).expect_code(1);
    assert!(
        run.stderr.contains("record 2 not delivered to refused")
            && run.stderr.contains("MessageSizeTooLarge"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("3 records delivered to refused, 1 failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("dq: 1 of 4 record(s) were not delivered"),
        "{}",
        run.stderr
    );
    let values: Vec<Vec<u8>> = read_partition(&broker, "refused", 0, 0)
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(values, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
}

#[test]
fn a_full_local_queue_holds_the_input_back_without_losing_or_reordering() {
    let broker = Broker::start();
    let n = 5_000;
    let mut input = Vec::new();
    for i in 0..n {
        writeln!(input, "{i}").unwrap();
    }
    // Far fewer than one batch of input fits, so sending waits again and again.
    let run = produce(
        &broker,
        "full",
        &["-X", "queue.buffering.max.messages=10"],
        &input,
    )
    .expect_code(0);
    assert!(
        run.stderr
            .contains(&format!("{n} records delivered to full, 0 failed")),
        "{}",
        run.stderr
    );
    let values: Vec<Vec<u8>> = read_partition(&broker, "full", 0, 0)
        .into_iter()
        .map(|r| r.2)
        .collect();
    let expected: Vec<Vec<u8>> = (0..n).map(|i| i.to_string().into_bytes()).collect();
    assert_eq!(values, expected);
}

#[test]
fn a_malformed_line_names_its_line_number_and_stops_the_input() {
    let broker = Broker::start();
    let run = produce(
        &broker,
        "malformed",
        &["-K", ":"],
        b"k:v\nno separator\nk2:v2\n",
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("line 2 has no key separator ':'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 record delivered to malformed"),
        "records before it are still sent: {}",
        run.stderr
    );
}

#[test]
fn null_markers_make_tombstones_and_empty_values_stay_empty() {
    let broker = Broker::start();
    produce(
        &broker,
        "nulls",
        &["-K", "=", "--null-marker", "NULL"],
        b"a=NULL\nb=\nNULL=c\n",
    )
    .expect_code(0);
    let run = consume(
        &broker,
        &["nulls", "--from-beginning", "-e", "--output", "json"],
    )
    .expect_code(0);
    let records: Vec<Value> = run
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["key"], "a");
    assert_eq!(records[0]["value"], Value::Null);
    assert_eq!(records[1]["value"], "");
    assert_eq!(records[2]["key"], Value::Null);
    assert_eq!(records[2]["value"], "c");
}

#[test]
fn consume_json_piped_into_produce_json_copies_a_topic_exactly() {
    let broker = Broker::start_with(&["--partitions", "3"]);
    let envelopes = [
        r#"{"partition":0,"key":"k1","value":"plain text","headers":[{"key":"h","value":"1"},{"key":"h","value":"2"}],"timestamp":1700000000000}"#,
        r#"{"partition":1,"key":null,"value":{"base64":"AAEC/w=="},"headers":[{"key":"bin","value":{"base64":"/w=="}},{"key":"nothing","value":null}]}"#,
        r#"{"partition":2,"key":"","value":"","headers":[]}"#,
        r#"{"partition":2,"key":"tomb","value":null}"#,
        r#"{"partition":0,"key":"ünïcødé","value":"line\nbreak\ttab \"quoted\""}"#,
    ];
    let input = envelopes.join("\n") + "\n";
    produce(&broker, "source", &["--format", "json"], input.as_bytes()).expect_code(0);

    let first = consume(
        &broker,
        &["source", "--from-beginning", "-e", "--output", "json"],
    )
    .expect_code(0);
    produce(&broker, "copy", &["--format", "json"], &first.stdout).expect_code(0);
    let second = consume(
        &broker,
        &["copy", "--from-beginning", "-e", "--output", "json"],
    )
    .expect_code(0);

    let normalise = |run: &crate::cli_support::Run| -> Vec<Value> {
        let mut records: Vec<Value> = run
            .lines()
            .iter()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("topic");
                v
            })
            .collect();
        records.sort_by_key(|v| (v["partition"].as_i64(), v["offset"].as_i64()));
        records
    };
    let (a, b) = (normalise(&first), normalise(&second));
    assert_eq!(a.len(), envelopes.len());
    assert_eq!(a, b, "the copy differs from the source");
    let binary = a.iter().find(|v| v["partition"] == 1).unwrap();
    assert_eq!(binary["value"]["base64"], "AAEC/w==");
    assert_eq!(binary["headers"][1]["value"], Value::Null);
    assert_eq!(a[0]["timestamp"], 1_700_000_000_000u64);
}

#[test]
fn ctrl_c_flushes_what_was_read_and_exits_130() {
    let broker = Broker::start();
    let bootstrap = broker.bootstrap();
    let mut child = command(&[
        "produce",
        "-b",
        &bootstrap,
        "interrupted",
        "--report",
        "each",
        "--report-to",
        "stdout",
    ])
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let reports = LineReader::new(child.stdout.take().unwrap());
    stdin.write_all(b"one\ntwo\n").unwrap();
    stdin.flush().unwrap();
    // Reports prove both records were read; stdin stays open, as at a terminal.
    assert_eq!(reports.next(), "interrupted-0@0");
    assert_eq!(reports.next(), "interrupted-0@1");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let (code, stderr) = wait(child);
    drop(stdin);
    assert_eq!(code, 130, "stderr: {stderr}");
    assert_eq!(read_partition(&broker, "interrupted", 0, 0).len(), 2);
}

#[test]
fn a_file_and_a_custom_delimiter_are_binary_safe() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("records.bin");
    std::fs::write(&path, b"a\nb\0c\r\n\0\xff\xfe\0").unwrap();
    produce(
        &broker,
        "binary",
        &["-f", path.to_str().unwrap(), "-D", "\\0"],
        b"",
    )
    .expect_code(0);
    let values: Vec<Vec<u8>> = read_partition(&broker, "binary", 0, 0)
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(
        values,
        vec![b"a\nb".to_vec(), b"c\r\n".to_vec(), vec![0xff, 0xfe]]
    );
    let run = dq(
        &[
            "produce",
            "-b",
            &broker.bootstrap(),
            "binary",
            "-f",
            "/nonexistent/file",
        ],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("cannot open /nonexistent/file"),
        "{}",
        run.stderr
    );
}

#[test]
fn on_a_terminal_each_line_is_sent_and_reported_after_a_prompt() {
    let broker = Broker::start();
    // `script` (util-linux, installed by scripts/setup-test-env) gives dq a
    // pseudo-terminal for stdin, as a person typing would.
    let inner = format!(
        "{} produce -b {} typed",
        crate::support::dq_bin(),
        broker.bootstrap()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &inner, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running script(1)");
    let mut stdin = child.stdin.take().unwrap();
    let lines = LineReader::new(child.stdout.take().unwrap());
    let next_report = || loop {
        let line = lines.next();
        if line.contains("typed-0@") {
            return line;
        }
    };
    stdin.write_all(b"hello\n").unwrap();
    stdin.flush().unwrap();
    let first = next_report();
    assert!(
        first.starts_with("> "),
        "a prompt comes before the report: {first:?}"
    );
    assert!(first.trim_end().ends_with("typed-0@0"), "{first:?}");
    stdin.write_all(b"world\n").unwrap();
    stdin.flush().unwrap();
    assert!(next_report().trim_end().ends_with("typed-0@1"));
    drop(stdin);
    let (code, stderr) = wait(child);
    assert_eq!(code, 0, "{stderr}");
    let values: Vec<Vec<u8>> = read_partition(&broker, "typed", 0, 0)
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(values, vec![b"hello".to_vec(), b"world".to_vec()]);
}
