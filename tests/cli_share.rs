//! `dq consume --share-group` and `dq groups` on share groups (KIP-932),
//! against dq serve, beside confluent-kafka's ShareConsumer.

use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_support::{assert_usage_errors, command, dq};
use crate::support::{compat_python, Broker};

/// A broker whose share groups assign and expire quickly.
fn broker() -> Broker {
    Broker::start_with(&["--share-heartbeat-interval", "500ms"])
}

fn ok(broker: &Broker, args: &[&str]) -> String {
    let b = broker.bootstrap();
    let mut all = args.to_vec();
    all.extend(["-b", &b]);
    dq(&all, b"").expect_code(0).stdout_text()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A share group that starts at the earliest record of `topic`, which is
/// created with one partition.
fn share_topic(broker: &Broker, topic: &str, group: &str) {
    ok(broker, &["topics", "create", topic, "--partitions", "1"]);
    ok(
        broker,
        &[
            "groups",
            "alter",
            group,
            "--config",
            "share.auto.offset.reset=earliest",
        ],
    );
}

/// `n` records `v0`.. in batches of 5, so that share fetches, which
/// acquire whole batches, spread them over members.
fn produce(broker: &Broker, topic: &str, n: usize) {
    let input: String = (0..n).map(|i| format!("v{i}\n")).collect();
    let b = broker.bootstrap();
    dq(
        &["produce", topic, "-b", &b, "-X", "batch.num.messages=5"],
        input.as_bytes(),
    )
    .expect_code(0);
}

/// A running reader whose stdout lines arrive on a channel.
struct Reader {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Reader {
    fn spawn(mut cmd: std::process::Command) -> Reader {
        let mut child = cmd.stdin(Stdio::null()).spawn().expect("starting a reader");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Reader { child, lines }
    }

    fn terminate(mut self) -> Vec<String> {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let _ = status;
                break;
            }
            assert!(
                Instant::now() < deadline,
                "a reader did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        self.lines.try_iter().collect()
    }
}

#[test]
fn dq_consume_shares_one_partition_with_python_share_consumers() {
    let broker = broker();
    let b = broker.bootstrap();
    share_topic(&broker, "jobs", "workers");
    let mut pythons = Vec::new();
    for _ in 0..2 {
        let mut cmd = compat_python("share_reader.py");
        cmd.args([b.as_str(), "workers", "jobs", "5"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let reader = Reader::spawn(cmd);
        let first = reader
            .lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the python member starts");
        assert!(first.contains("ready"), "{first}");
        pythons.push(reader);
    }
    let mut cmd = command(&[
        "consume",
        "jobs",
        "--share-group",
        "workers",
        "-b",
        &b,
        "-X",
        "max.poll.records=5",
        "-f",
        "%s\n",
    ]);
    cmd.stderr(Stdio::null());
    let dq_reader = Reader::spawn(cmd);
    // Every member has joined (and been assigned the partition) before the
    // records arrive, so that they compete for them.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let d: Value = serde_json::from_str(&ok(
            &broker,
            &["groups", "describe", "workers", "--output", "json"],
        ))
        .unwrap();
        let assigned = d["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| !m["assignment"].as_array().unwrap().is_empty())
            .count();
        if assigned == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "members never all assigned: {d}");
        std::thread::sleep(Duration::from_millis(100));
    }
    produce(&broker, "jobs", 300);

    // Until every record was seen by someone.
    let mut by_member: Vec<Vec<String>> = vec![Vec::new(); 3];
    let deadline = Instant::now() + Duration::from_secs(90);
    while by_member.iter().map(Vec::len).sum::<usize>() < 300 {
        for (i, r) in pythons.iter().enumerate() {
            for line in r.lines.try_iter() {
                let v: Value = serde_json::from_str(&line).unwrap();
                if let Some(value) = v["v"].as_str() {
                    by_member[i].push(value.to_string());
                }
            }
        }
        by_member[2].extend(dq_reader.lines.try_iter());
        assert!(
            Instant::now() < deadline,
            "only {} of 300 records arrived",
            by_member.iter().map(Vec::len).sum::<usize>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let rest = dq_reader.terminate();
    by_member[2].extend(rest);
    for (i, p) in pythons.into_iter().enumerate() {
        for line in p.terminate() {
            let v: Value = serde_json::from_str(&line).unwrap();
            if let Some(value) = v["v"].as_str() {
                by_member[i].push(value.to_string());
            }
        }
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for v in by_member.iter().flatten() {
        *count.entry(v.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    assert_eq!(count.len(), 300);
    let sizes: Vec<usize> = by_member.iter().map(Vec::len).collect();
    assert!(
        sizes.iter().all(|n| *n > 0),
        "every member gets records (python, python, dq): {sizes:?}"
    );
    // Everything was accepted: the share-partition's start is the end.
    let d: Value = serde_json::from_str(&ok(
        &broker,
        &["groups", "describe", "workers", "--output", "json"],
    ))
    .unwrap();
    assert_eq!(d["partitions"][0]["start_offset"], 300, "{d}");
    assert_eq!(d["partitions"][0]["lag"], 0, "{d}");
}

#[test]
fn records_past_the_count_are_released_or_rejected() {
    let broker = broker();
    share_topic(&broker, "tasks", "crew");
    produce(&broker, "tasks", 10);
    let b = broker.bootstrap();
    let read = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec![
            "consume",
            "tasks",
            "--share-group",
            "crew",
            "-b",
            &b,
            "--output",
            "json",
        ];
        args.extend_from_slice(extra);
        json_lines(&dq(&args, b"").expect_code(0).stdout_text())
    };
    // Three are written and accepted; the rest of the fetch is released.
    let first = read(&["-n", "3"]);
    let offsets: Vec<i64> = first
        .iter()
        .map(|r| r["offset"].as_i64().unwrap())
        .collect();
    assert_eq!(offsets, [0, 1, 2]);
    assert!(first.iter().all(|r| r["delivery_count"] == 1));
    // Released records come back with a higher delivery count; with
    // --ack reject, those past the count are archived.
    let second = read(&["-n", "2", "--ack", "reject"]);
    let offsets: Vec<i64> = second
        .iter()
        .map(|r| r["offset"].as_i64().unwrap())
        .collect();
    assert_eq!(offsets, [3, 4]);
    assert!(
        second.iter().all(|r| r["delivery_count"] == 2),
        "{second:?}"
    );
    assert!(
        read(&["-e"]).is_empty(),
        "rejected records are not delivered"
    );
    let d: Value = serde_json::from_str(&ok(
        &broker,
        &["groups", "describe", "crew", "--output", "json"],
    ))
    .unwrap();
    assert_eq!(d["type"], "share");
    assert_eq!(d["partitions"][0]["start_offset"], 10, "{d}");
    assert_eq!(d["partitions"][0]["in_flight"], 0, "{d}");
    assert_eq!(d["total_lag"], 0, "{d}");
}

#[test]
fn groups_commands_know_share_groups() {
    let broker = broker();
    share_topic(&broker, "mail", "postmen");
    produce(&broker, "mail", 6);
    let b = broker.bootstrap();
    let read = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec![
            "consume",
            "mail",
            "--share-group",
            "postmen",
            "-b",
            &b,
            "--output",
            "json",
        ];
        args.extend_from_slice(extra);
        json_lines(&dq(&args, b"").expect_code(0).stdout_text())
    };
    assert_eq!(read(&["-e"]).len(), 6);

    // list: the type column and JSON field.
    let listed = ok(&broker, &["groups", "list"]);
    let row = listed
        .lines()
        .find(|l| l.starts_with("postmen "))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(row.split_whitespace().nth(1) == Some("share"), "{listed}");
    // describe: start offset, in flight, log end and lag.
    let text = ok(&broker, &["groups", "describe", "postmen"]);
    assert!(
        text.contains("START-OFFSET  IN-FLIGHT  LOG-END-OFFSET  LAG"),
        "{text}"
    );
    let row = text.lines().nth(1).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        ["postmen", "mail", "0", "6", "0", "6", "0"],
        "{text}"
    );

    // reset-offsets: a dry run by default, then executed.
    let dry = ok(
        &broker,
        &[
            "groups",
            "reset-offsets",
            "postmen",
            "--topic",
            "mail",
            "--to-offset",
            "2",
        ],
    );
    assert!(dry.contains("START-OFFSET"), "{dry}");
    let d: Value = serde_json::from_str(&ok(
        &broker,
        &["groups", "describe", "postmen", "--output", "json"],
    ))
    .unwrap();
    assert_eq!(
        d["partitions"][0]["start_offset"], 6,
        "a dry run changes nothing"
    );
    let done: Value = serde_json::from_str(&ok(
        &broker,
        &[
            "groups",
            "reset-offsets",
            "postmen",
            "--topic",
            "mail",
            "--to-offset",
            "2",
            "--execute",
            "--output",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(done["executed"], true);
    assert_eq!(done["partitions"][0]["current_offset"], 6);
    assert_eq!(done["partitions"][0]["new_offset"], 2);
    let again = read(&["-e"]);
    let offsets: Vec<i64> = again
        .iter()
        .map(|r| r["offset"].as_i64().unwrap())
        .collect();
    assert_eq!(offsets, [2, 3, 4, 5], "read again from the reset start");

    // alter: configs by Kafka's names, refused values named.
    let bad = dq(
        &[
            "groups",
            "alter",
            "postmen",
            "--config",
            "share.delivery.count.limit=99",
            "-b",
            &b,
        ],
        b"",
    )
    .expect_code(1);
    assert!(
        bad.stderr.contains("share.delivery.count.limit"),
        "{}",
        bad.stderr
    );
    // The dead-letter topic: the broker's prefix is required...
    let bad = dq(
        &[
            "groups",
            "alter",
            "postmen",
            "--dead-letter-topic",
            "undelivered",
            "-b",
            &b,
        ],
        b"",
    )
    .expect_code(1);
    assert!(bad.stderr.contains("'dlq.'"), "{}", bad.stderr);
    // ...and a missing topic is created, permitted.
    let altered: Value = serde_json::from_str(&ok(
        &broker,
        &[
            "groups",
            "alter",
            "postmen",
            "--dead-letter-topic",
            "dlq.mail",
            "--output",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(altered["created_topic"], "dlq.mail");
    assert_eq!(
        altered["set"]["errors.deadletterqueue.topic.name"],
        "dlq.mail"
    );
    let topic = ok(&broker, &["topics", "describe", "dlq.mail"]);
    assert!(
        topic.contains("errors.deadletterqueue.group.enable=true"),
        "{topic}"
    );
    // A record rejected now lands there: of a fetch of two, one is written
    // and the other, past the count, rejected.
    produce(&broker, "mail", 2);
    assert_eq!(read(&["-n", "1", "--ack", "reject"]).len(), 1);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let letters = json_lines(&ok(
            &broker,
            &[
                "consume",
                "dlq.mail",
                "--from-beginning",
                "-e",
                "--output",
                "json",
            ],
        ));
        if let Some(letter) = letters.first() {
            let headers = letter["headers"].to_string();
            assert!(headers.contains("mail"), "{letter}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the rejected record never reached dlq.mail"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn share_group_flags_are_checked() {
    let b = "127.0.0.1:1";
    assert_usage_errors(&[
        (
            &[
                "consume",
                "t",
                "--share-group",
                "g",
                "--from-beginning",
                "-b",
                b,
            ],
            "--from-beginning",
        ),
        (
            &["consume", "t", "--share-group", "g", "-o", "5", "-b", b],
            "--offset",
        ),
        (
            &["consume", "t", "--share-group", "g", "-p", "0", "-b", b],
            "--partition",
        ),
        (
            &["consume", "t", "--share-group", "g", "-g", "x", "-b", b],
            "--group",
        ),
        (
            &[
                "consume",
                "t",
                "--share-group",
                "g",
                "--isolation-level",
                "read_committed",
                "-b",
                b,
            ],
            "--isolation-level",
        ),
        (
            &["consume", "--include", "t.*", "--share-group", "g", "-b", b],
            "--include",
        ),
        (
            &["consume", "t", "--ack", "reject", "-b", b],
            "--share-group",
        ),
        (
            &[
                "consume",
                "t",
                "--share-group",
                "g",
                "--ack",
                "accept",
                "-b",
                b,
            ],
            "accept",
        ),
        (&["groups", "alter", "g", "-b", b], "--config"),
        (
            &[
                "groups",
                "alter",
                "g",
                "--config",
                "a=1",
                "--delete-config",
                "a",
                "-b",
                b,
            ],
            "contradict",
        ),
    ]);
    // A broker that is not there is named, as every command names it.
    let run = dq(
        &[
            "consume",
            "t",
            "--share-group",
            "g",
            "-b",
            b,
            "--timeout",
            "2s",
        ],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr.contains("cannot reach broker at 127.0.0.1:1"),
        "{}",
        run.stderr
    );
}
