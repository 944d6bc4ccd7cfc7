//! `dq perf produce` and `dq perf consume`: every record counted is a record
//! written, the output has the shape of Kafka's perf tools (or the documented
//! JSON), the throttle really throttles, and failures show in the exit code.

use std::time::Duration;

use serde_json::Value;

use crate::cli_support::{assert_usage_errors, closed_port, dq, Run};
use crate::support::{read_partition, Broker};

fn perf(broker: &Broker, tool: &str, args: &[&str]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["perf", tool, "-b", &bootstrap];
    all.extend_from_slice(args);
    dq(&all, b"")
}

/// The numbers of Kafka's final producer line, in order: records, records/s,
/// MB/s, avg, max, p50, p95, p99, p99.9.
fn final_line(line: &str) -> Vec<f64> {
    let shape = regex::Regex::new(
        r"^(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, ([\d.]+) ms 50th, ([\d.]+) ms 95th, ([\d.]+) ms 99th, ([\d.]+) ms 99\.9th\.$",
    )
    .unwrap();
    let captures = shape
        .captures(line)
        .unwrap_or_else(|| panic!("not Kafka's final line: {line:?}"));
    (1..=9)
        .map(|i| captures[i].parse::<f64>().unwrap())
        .collect()
}

#[test]
fn perf_produce_writes_every_record_and_prints_kafkas_final_line() {
    let broker = Broker::start();
    let run = perf(
        &broker,
        "produce",
        &["perf-text", "--num-records", "5000", "--record-size", "100"],
    )
    .expect_code(0);
    let lines = run.lines();
    let n = final_line(lines.last().expect("a final line"));
    let (records, rate, mb, avg, max) = (n[0], n[1], n[2], n[3], n[4]);
    let (p50, p95, p99, p999) = (n[5], n[6], n[7], n[8]);
    assert_eq!(records, 5000.0);
    assert!(rate > 0.0 && mb > 0.0, "{lines:?}");
    assert!(
        p50 <= p95 && p95 <= p99 && p99 <= p999 && p999 <= max && avg <= max,
        "percentiles out of order: {lines:?}"
    );
    assert!(max > 0.0, "a round trip takes some time: {lines:?}");

    let written = read_partition(&broker, "perf-text", 0, 0);
    assert_eq!(written.len(), 5000);
    assert!(written
        .iter()
        .all(|(_, key, value)| key.is_none() && value.len() == 100));
}

#[test]
fn perf_produce_json_has_the_documented_fields() {
    let broker = Broker::start();
    let run = perf(
        &broker,
        "produce",
        &[
            "--topic",
            "perf-json",
            "--num-records",
            "1000",
            "--record-size",
            "10",
            "--acks",
            "1",
            "--output",
            "json",
        ],
    )
    .expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "one object and nothing else: {lines:?}");
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["topic"], "perf-json");
    assert_eq!(v["records_sent"], 1000);
    assert_eq!(v["records_failed"], 0);
    assert_eq!(v["bytes_sent"], 10_000);
    let number = |field: &str| {
        v[field]
            .as_f64()
            .unwrap_or_else(|| panic!("{field} is a number: {v}"))
    };
    assert!(number("elapsed_ms") > 0.0);
    assert!(number("records_per_sec") > 0.0);
    assert!(number("mb_per_sec") > 0.0);
    let latencies = [
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "latency_p999_ms",
        "latency_max_ms",
    ]
    .map(number);
    assert!(latencies.windows(2).all(|w| w[0] <= w[1]), "{v}");
    assert!(number("latency_avg_ms") <= number("latency_max_ms"));
    assert_eq!(
        v.as_object().unwrap().len(),
        13,
        "documented fields only: {v}"
    );
    assert_eq!(read_partition(&broker, "perf-json", 0, 0).len(), 1000);
}

#[test]
fn a_throughput_limit_paces_the_sends() {
    let broker = Broker::start();
    let run = perf(
        &broker,
        "produce",
        &[
            "perf-throttled",
            "--num-records",
            "2000",
            "--record-size",
            "50",
            "--throughput",
            "2000",
            "--output",
            "json",
        ],
    )
    .expect_code(0);
    // The 2000th record may leave no earlier than 1999/2000 s after the first;
    // a lower bound only: this checks the throttle, not the speed.
    let v: Value = serde_json::from_str(&run.lines()[0]).unwrap();
    assert!(v["elapsed_ms"].as_f64().unwrap() >= 900.0, "{v}");
    assert!(
        run.elapsed >= Duration::from_millis(900),
        "{:?}",
        run.elapsed
    );
    assert_eq!(v["records_sent"], 2000);
}

#[test]
fn values_come_from_the_payload_file() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads");
    std::fs::write(&file, "alpha|beta||gamma|").unwrap();
    let run = perf(
        &broker,
        "produce",
        &[
            "perf-file",
            "--num-records",
            "300",
            "--payload-file",
            file.to_str().unwrap(),
            "--payload-delimiter",
            "|",
        ],
    )
    .expect_code(0);
    assert!(
        run.stderr.contains("Number of messages read: 3"),
        "{}",
        run.stderr
    );
    let written = read_partition(&broker, "perf-file", 0, 0);
    assert_eq!(written.len(), 300);
    let mut seen: Vec<&[u8]> = written.iter().map(|(_, _, v)| v.as_slice()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, [&b"alpha"[..], b"beta", b"gamma"]);
}

#[test]
fn perf_consume_reads_what_was_produced() {
    let broker = Broker::start();
    perf(
        &broker,
        "produce",
        &["perf-read", "--num-records", "3000", "--record-size", "100"],
    )
    .expect_code(0);

    let run = perf(&broker, "consume", &["perf-read"]).expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0],
        "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, \
         rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
    );
    let row: Vec<&str> = lines[1].split(", ").collect();
    assert_eq!(row.len(), 10, "{row:?}");
    let time = regex::Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}$").unwrap();
    assert!(time.is_match(row[0]) && time.is_match(row[1]), "{row:?}");
    assert_eq!(row[2], format!("{:.4}", 300_000.0 / 1_048_576.0));
    assert_eq!(row[4], "3000");
    for field in [3, 5, 6, 7, 8, 9] {
        assert!(row[field].parse::<f64>().is_ok(), "{row:?}");
    }

    let run = perf(
        &broker,
        "consume",
        &[
            "--topic",
            "perf-read",
            "--messages",
            "1000",
            "--group",
            "perf-group",
            "--output",
            "json",
        ],
    )
    .expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let v: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["records_consumed"], 1000);
    assert_eq!(v["bytes_consumed"], 100_000);
    for field in [
        "start_time_ms",
        "end_time_ms",
        "data_consumed_mb",
        "mb_per_sec",
        "records_per_sec",
        "rebalance_time_ms",
        "fetch_time_ms",
        "fetch_mb_per_sec",
        "fetch_records_per_sec",
    ] {
        assert!(v[field].is_number(), "{field}: {v}");
    }
    assert!(v["end_time_ms"].as_i64() >= v["start_time_ms"].as_i64());

    // The group committed where it stopped: the next run reads the rest.
    let run = perf(
        &broker,
        "consume",
        &[
            "perf-read",
            "--group",
            "perf-group",
            "--show-detailed-stats",
        ],
    )
    .expect_code(0);
    let lines = run.lines();
    assert!(
        lines[0].starts_with("time, threadId, data.consumed.in.MB"),
        "{lines:?}"
    );
    let last: Vec<&str> = lines.last().unwrap().split(", ").collect();
    assert_eq!(last.len(), 10, "{lines:?}");
    assert_eq!(last[4], "2000", "{lines:?}");
}

#[test]
fn failed_records_are_counted_and_fail_the_run() {
    let broker = Broker::start();
    // Larger than librdkafka's message.max.bytes: refused before sending.
    let run = perf(
        &broker,
        "produce",
        &[
            "perf-fail",
            "--num-records",
            "3",
            "--record-size",
            "2000000",
        ],
    )
    .expect_code(1);
    assert_eq!(final_line(&run.lines()[0])[0], 0.0);
    assert!(
        run.stderr
            .contains("3 of 3 record(s) were not delivered to 'perf-fail'"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_perf_flags_are_usage_errors() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "perf",
                "produce",
                "t",
                "--num-records",
                "1",
                "--record-size",
                "1",
                "--payload-file",
                "f",
            ],
            "cannot be used with",
        ),
        (
            &["perf", "produce", "t", "--num-records", "1"],
            "--record-size",
        ),
        (
            &["perf", "produce", "t", "--record-size", "1"],
            "--num-records",
        ),
        (
            &[
                "perf",
                "produce",
                "t",
                "--num-records",
                "1",
                "--record-size",
                "1",
                "--throughput",
                "0",
            ],
            "would never send",
        ),
        (&["perf", "consume"], "<TOPIC>"),
        (
            &[
                "perf",
                "consume",
                "t",
                "--show-detailed-stats",
                "--output",
                "json",
            ],
            "--show-detailed-stats",
        ),
    ];
    assert_usage_errors(&cases);
}

#[test]
fn perf_against_an_unreachable_broker_fails_within_the_timeout() {
    let address = format!("127.0.0.1:{}", closed_port());
    let cases: [&[&str]; 2] = [
        &[
            "perf",
            "produce",
            "-b",
            &address,
            "--timeout",
            "3s",
            "t",
            "--num-records",
            "10",
            "--record-size",
            "10",
        ],
        &["perf", "consume", "-b", &address, "--timeout", "3s", "t"],
    ];
    for args in cases {
        let run = dq(args, b"").expect_code(1);
        assert!(
            run.stderr.contains(&format!(
                "cannot reach broker at {address} (connection refused)"
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.elapsed < Duration::from_secs(20),
            "{args:?} took {:?}",
            run.elapsed
        );
    }
}
