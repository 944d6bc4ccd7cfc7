//! `dq consume`: where it starts, when it stops, and what it prints.

use std::io::Read;

use serde_json::Value;

use crate::cli_support::{command, consume, produce, wait, LineReader};
use crate::support::Broker;

fn numbered(range: std::ops::Range<usize>) -> Vec<u8> {
    range
        .map(|i| format!("m{i}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn exit_at_end_stops_after_every_one_of_eight_partitions() {
    let broker = Broker::start_with(&["--partitions", "8"]);
    let input: String = (0..800).map(|i| format!("key{i}:v{i}\n")).collect();
    produce(&broker, "wide", &["-K", ":"], input.as_bytes()).expect_code(0);
    // A second topic where most partitions are empty must not keep -e waiting.
    produce(&broker, "sparse", &["-p", "5"], b"only\n").expect_code(0);

    let run = consume(
        &broker,
        &["wide", "--from-beginning", "-e", "-f", "%p %s\\n"],
    )
    .expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 800);
    let partitions: std::collections::HashSet<&str> =
        lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(partitions.len(), 8, "keys spread over all eight partitions");
    assert!(
        run.stderr.contains("Processed a total of 800 messages"),
        "{}",
        run.stderr
    );

    let run = consume(&broker, &["sparse", "wide", "--from-beginning", "-e"]).expect_code(0);
    assert_eq!(run.lines().len(), 801);
    let run = consume(&broker, &["sparse", "-e"]).expect_code(0);
    assert!(
        run.stdout.is_empty(),
        "starting at the end, -e has nothing to read"
    );
    assert!(
        run.stderr.contains("Processed a total of 0 messages"),
        "{}",
        run.stderr
    );
}

#[test]
fn offsets_pick_the_start_tail_absolute_and_by_time() {
    let broker = Broker::start();
    let input: String = (0..10)
        .map(|i| {
            format!(
                "{{\"value\":\"m{i}\",\"timestamp\":{}}}\n",
                1_000_000 + i * 1000
            )
        })
        .collect();
    produce(&broker, "clock", &["--format", "json"], input.as_bytes()).expect_code(0);
    let values = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["clock", "-e"];
        all.extend_from_slice(args);
        consume(&broker, &all).expect_code(0).lines()
    };
    assert_eq!(values(&["-o", "-3"]), ["m7", "m8", "m9"]);
    assert_eq!(values(&["-o", "5", "-n", "2"]), ["m5", "m6"]);
    assert_eq!(values(&["-o", "beginning", "-n", "1"]), ["m0"]);
    assert_eq!(
        values(&["-o", "@1004000"]),
        ["m4", "m5", "m6", "m7", "m8", "m9"]
    );
    assert_eq!(values(&["-o", "@1970-01-01T00:16:48Z"]), ["m8", "m9"]);
    assert!(
        values(&["-o", "@-1h"]).is_empty(),
        "records from 1970 are older than an hour"
    );
    assert_eq!(
        values(&["-o", "-100"]).len(),
        10,
        "a tail longer than the partition starts at its beginning"
    );
}

#[test]
fn kafka_print_properties_use_kafkas_field_order() {
    let broker = Broker::start();
    produce(
        &broker,
        "props",
        &["-k", "the-key", "-H", "h1=a", "-H", "h2=b"],
        b"the-value\n",
    )
    .expect_code(0);
    let run = consume(
        &broker,
        &[
            "props",
            "--from-beginning",
            "-e",
            "--property",
            "print.key=true",
            "--property",
            "print.timestamp=true",
            "--property",
            "print.partition=true",
            "--property",
            "print.offset=true",
            "--property",
            "print.headers=true",
            "--property",
            "key.separator= | ",
        ],
    )
    .expect_code(0);
    let line = run.stdout_text();
    let fields: Vec<&str> = line.trim_end().split(" | ").collect();
    assert_eq!(fields.len(), 6, "{line}");
    assert!(
        fields[0].starts_with("CreateTime:") && fields[0][11..].parse::<i64>().is_ok(),
        "{line}"
    );
    assert_eq!(
        &fields[1..],
        [
            "Partition:0",
            "Offset:0",
            "h1:a,h2:b",
            "the-key",
            "the-value"
        ]
    );

    let run = consume(
        &broker,
        &[
            "props",
            "--from-beginning",
            "-e",
            "--time-format",
            "iso",
            "--output",
            "json",
        ],
    )
    .expect_code(0);
    let v: Value = serde_json::from_str(run.stdout_text().trim()).unwrap();
    let ts = v["timestamp"].as_str().expect("an ISO timestamp string");
    assert!(
        ts.len() == 24 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
        "{ts}"
    );
    assert_eq!(
        v["headers"],
        serde_json::json!([{"key": "h1", "value": "a"}, {"key": "h2", "value": "b"}])
    );
}

#[test]
fn following_sees_new_records_and_max_messages_stops() {
    let broker = Broker::start();
    produce(&broker, "live", &[], b"before\n").expect_code(0);
    let bootstrap = broker.bootstrap();
    let mut child = command(&["consume", "-b", &bootstrap, "live", "-o", "-1", "-n", "3"])
        .spawn()
        .unwrap();
    let lines = LineReader::new(child.stdout.take().unwrap());
    // The last existing record proves the consumer is positioned and following.
    assert_eq!(lines.next(), "before");
    produce(&broker, "live", &[], b"after 1\nafter 2\nafter 3\n").expect_code(0);
    assert_eq!(lines.next(), "after 1");
    assert_eq!(lines.next(), "after 2");
    let (code, stderr) = wait(child);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Processed a total of 3 messages"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_exits_zero_quietly() {
    let broker = Broker::start();
    // Far more than a pipe buffer holds, so dq is still writing when the reader goes.
    produce(&broker, "big", &[], &numbered(0..200_000)).expect_code(0);
    let bootstrap = broker.bootstrap();
    let mut child = command(&["consume", "-b", &bootstrap, "big", "--from-beginning"])
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 3];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"m0\n");
    drop(stdout);
    let (code, stderr) = wait(child);
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(
        !stderr.contains("dq:"),
        "no error for a closed pipe: {stderr}"
    );
}

#[test]
fn include_reads_every_topic_whose_whole_name_matches() {
    let broker = Broker::start();
    produce(&broker, "logs.app", &[], b"a\n").expect_code(0);
    produce(&broker, "logs.db", &[], b"b\n").expect_code(0);
    produce(&broker, "logs.db.archive", &[], b"c\n").expect_code(0);
    produce(&broker, "metrics", &[], b"d\n").expect_code(0);
    let run = consume(
        &broker,
        &[
            "--include",
            "logs\\.[a-z]+",
            "--from-beginning",
            "-e",
            "-f",
            "%t=%s\\n",
        ],
    )
    .expect_code(0);
    let mut lines = run.lines();
    lines.sort();
    assert_eq!(lines, ["logs.app=a", "logs.db=b"]);
}

#[test]
fn partition_flag_reads_only_that_partition() {
    let broker = Broker::start_with(&["--partitions", "4"]);
    for p in 0..4 {
        produce(
            &broker,
            "split",
            &["-p", &p.to_string()],
            format!("p{p}\n").as_bytes(),
        )
        .expect_code(0);
    }
    let run = consume(
        &broker,
        &["split", "-p", "2", "-p", "3", "--from-beginning", "-e"],
    )
    .expect_code(0);
    let mut lines = run.lines();
    lines.sort();
    assert_eq!(lines, ["p2", "p3"]);
    let run = consume(&broker, &["split", "-p", "9", "-e"]).expect_code(1);
    assert!(
        run.stderr.contains("--partition 9 does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_group_resumes_where_it_committed() {
    let broker = Broker::start();
    produce(&broker, "jobs", &[], &numbered(0..10)).expect_code(0);
    let read = |args: &[&str], expected: &[&str]| {
        let mut all = vec!["jobs", "-g", "workers", "-e"];
        all.extend_from_slice(args);
        let run = consume(&broker, &all).expect_code(0);
        assert_eq!(run.lines(), expected, "{args:?}; stderr: {}", run.stderr);
    };
    read(&["--from-beginning", "-n", "4"], &["m0", "m1", "m2", "m3"]);
    read(&["--from-beginning"], &["m4", "m5", "m6", "m7", "m8", "m9"]);
    read(&[], &[]);
    produce(&broker, "jobs", &[], &numbered(10..12)).expect_code(0);
    read(&[], &["m10", "m11"]);
}

#[test]
fn exit_at_end_with_a_group_over_eight_partitions() {
    let broker = Broker::start_with(&["--partitions", "8"]);
    let input: String = (0..800).map(|i| format!("key{i}:v{i}\n")).collect();
    produce(&broker, "grouped", &["-K", ":"], input.as_bytes()).expect_code(0);
    let run = consume(
        &broker,
        &["grouped", "-g", "eight", "--from-beginning", "-e"],
    )
    .expect_code(0);
    assert_eq!(run.lines().len(), 800);
    // Everything is committed: the group's next -e run finds nothing left and still ends.
    let run = consume(
        &broker,
        &["grouped", "-g", "eight", "--from-beginning", "-e"],
    )
    .expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout_text());
    assert!(
        run.stderr.contains("Processed a total of 0 messages"),
        "{}",
        run.stderr
    );
}
