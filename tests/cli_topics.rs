//! `dq topics` against `dq serve`: create, list, describe, alter, delete, the
//! kafka-topics.sh spellings, JSON output, and the errors a user can hit.

use serde_json::Value;

use crate::cli_support::{closed_port, consume, dq, produce, Run};
use crate::support::Broker;

/// `dq topics ARGS -b BROKER`, with nothing on stdin (not a terminal).
fn topics(broker: &Broker, args: &[&str]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["topics"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-b", &bootstrap]);
    dq(&all, b"")
}

fn json(run: Run) -> Value {
    serde_json::from_slice(&run.expect_code(0).stdout).expect("JSON on stdout")
}

fn names(broker: &Broker, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["list", "--output", "json"];
    args.extend_from_slice(extra);
    json(topics(broker, &args))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

fn overrides(broker: &Broker, topic: &str) -> Value {
    json(topics(broker, &["describe", topic, "--output", "json"]))[0]["configs"].clone()
}

#[test]
fn create_with_configs_then_describe_shows_layout_offsets_and_overrides() {
    let broker = Broker::start();
    let run = topics(
        &broker,
        &[
            "create",
            "orders",
            "--partitions",
            "3",
            "--replication-factor",
            "1",
            "--config",
            "retention.ms=3600000",
            "--config",
            "max.message.bytes=2000000",
        ],
    )
    .expect_code(0);
    assert_eq!(run.stdout_text(), "Created topic orders.\n");

    produce(&broker, "orders", &["-p", "1"], b"a\nb\nc\n").expect_code(0);

    let run = topics(&broker, &["describe", "orders"]).expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout_text());
    // Sizes on disk are checked against the files in their own test.
    let (topic_line, configs) = lines[0].split_once("\tSize: ").unwrap();
    assert_eq!(
        topic_line,
        "Topic: orders\tPartitionCount: 3\tReplicationFactor: 1"
    );
    assert!(
        configs.ends_with("\tConfigs: max.message.bytes=2000000,retention.ms=3600000"),
        "{configs}"
    );
    for (i, line) in lines[1..].iter().enumerate() {
        let latest = if i == 1 { 3 } else { 0 };
        let (line, _) = line.rsplit_once("\tSize: ").unwrap();
        assert_eq!(
            line,
            format!(
                "\tTopic: orders\tPartition: {i}\tLeader: 0\tReplicas: 0\tIsr: 0\t\
                 Earliest: 0\tLatest: {latest}"
            )
        );
    }

    let described = json(topics(&broker, &["describe", "orders", "--output", "json"]));
    let t = &described[0];
    assert_eq!(t["name"], "orders");
    assert_eq!(t["internal"], false);
    assert_eq!(t["partition_count"], 3);
    assert_eq!(t["replication_factor"], 1);
    assert_eq!(
        t["configs"],
        serde_json::json!({"max.message.bytes": "2000000", "retention.ms": "3600000"})
    );
    let p1 = &t["partitions"][1];
    assert_eq!(p1["partition"], 1);
    assert_eq!(p1["leader"], 0);
    assert_eq!(p1["replicas"], serde_json::json!([0]));
    assert_eq!(p1["isr"], serde_json::json!([0]));
    assert_eq!(p1["earliest_offset"], 0);
    assert_eq!(p1["latest_offset"], 3);
}

/// The bytes of a partition's segment (`.log`) files: what Kafka reports
/// as its size on disk.
fn segment_bytes(broker: &Broker, topic: &str, partition: i32) -> u64 {
    let dir = broker.data_dir.join(format!("{topic}-{partition}"));
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum()
}

#[test]
fn describe_shows_each_partition_size_on_disk_and_the_total() {
    let broker = Broker::start();
    topics(&broker, &["create", "sized", "--partitions", "2"]).expect_code(0);
    produce(&broker, "sized", &["-p", "1"], b"a\nb\nc\n").expect_code(0);

    let described = json(topics(&broker, &["describe", "sized", "--output", "json"]));
    let t = &described[0];
    let p0 = &t["partitions"][0];
    let p1 = &t["partitions"][1];
    let written = segment_bytes(&broker, "sized", 1);
    assert!(written > 0, "records were written to sized-1");
    assert_eq!(p0["size_bytes"], 0, "{t}");
    assert_eq!(p1["size_bytes"], written, "{t}");
    assert_eq!(t["size_bytes"], written, "the topic's total: {t}");

    // Text: bytes below 1 KiB are shown exactly.
    produce(&broker, "sized", &["-p", "0"], b"a somewhat longer line\n").expect_code(0);
    let (size0, size1) = (
        segment_bytes(&broker, "sized", 0),
        segment_bytes(&broker, "sized", 1),
    );
    assert!(size0 > 0 && size0 + size1 < 1024, "{size0} + {size1}");
    let run = topics(&broker, &["describe", "sized"]).expect_code(0);
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout_text());
    assert!(
        lines[0].ends_with(&format!("\tSize: {} B\tConfigs: ", size0 + size1)),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].ends_with(&format!("\tLatest: 1\tSize: {size0} B")),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with(&format!("\tLatest: 3\tSize: {size1} B")),
        "{}",
        lines[2]
    );
    assert_eq!(run.stderr, "", "every size was learned");
}

#[test]
fn describe_without_topics_covers_every_topic() {
    let broker = Broker::start();
    topics(&broker, &["create", "b", "--partitions", "1"]).expect_code(0);
    topics(&broker, &["create", "a", "--partitions", "2"]).expect_code(0);
    let all = json(topics(&broker, &["describe", "--output", "json"]));
    let described: Vec<(&str, u64)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap(),
                t["partition_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(described, [("a", 2), ("b", 1)]);
}

#[test]
fn create_if_not_exists_and_refused_replication_factor() {
    let broker = Broker::start();
    topics(&broker, &["create", "t", "--partitions", "2"]).expect_code(0);

    let again = topics(&broker, &["create", "t"]).expect_code(1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(again.stderr.contains("--if-not-exists"), "{}", again.stderr);

    let run = topics(
        &broker,
        &["create", "t", "--partitions", "5", "--if-not-exists"],
    )
    .expect_code(0);
    assert!(run.stdout_text().contains("already exists"));
    let created = json(topics(
        &broker,
        &["create", "t", "--if-not-exists", "--output", "json"],
    ));
    assert_eq!(created, serde_json::json!({"topic": "t", "created": false}));
    // Nothing changed: still two partitions.
    let described = json(topics(&broker, &["describe", "t", "--output", "json"]));
    assert_eq!(described[0]["partition_count"], 2);

    let refused = topics(&broker, &["create", "r", "--replication-factor", "2"]).expect_code(1);
    assert!(
        refused.stderr.contains("cannot create topic 'r'")
            && refused.stderr.contains("replication factor must be 1"),
        "{}",
        refused.stderr
    );
    assert_eq!(names(&broker, &[]), ["t"]);

    let bad = topics(&broker, &["create", "c", "--config", "retention.ms=soon"]).expect_code(1);
    assert!(
        bad.stderr.contains("retention.ms") && bad.stderr.contains("soon"),
        "{}",
        bad.stderr
    );
    assert_eq!(names(&broker, &[]), ["t"]);
}

#[test]
fn list_hides_internal_topics_unless_asked() {
    let broker = Broker::start();
    topics(&broker, &["create", "events", "--partitions", "4"]).expect_code(0);
    produce(&broker, "events", &[], b"x\n").expect_code(0);
    // A group commit makes the broker create __consumer_offsets.
    consume(&broker, &["-g", "g1", "--from-beginning", "-e", "events"]).expect_code(0);

    let table = topics(&broker, &["list"]).expect_code(0).lines();
    assert_eq!(table.len(), 2, "{table:?}");
    assert_eq!(
        table[0].split_whitespace().collect::<Vec<_>>(),
        ["TOPIC", "PARTITIONS", "INTERNAL"]
    );
    assert_eq!(
        table[1].split_whitespace().collect::<Vec<_>>(),
        ["events", "4", "no"]
    );

    let all = topics(&broker, &["list", "--include-internal"])
        .expect_code(0)
        .lines();
    assert!(
        all.iter().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["__consumer_offsets", "1", "yes"]),
        "{all:?}"
    );

    let listed = json(topics(&broker, &["list", "--output", "json"]));
    assert_eq!(
        listed,
        serde_json::json!([{"name": "events", "partitions": 4, "internal": false}])
    );
    assert_eq!(
        names(&broker, &["--include-internal"]),
        ["__consumer_offsets", "events"]
    );
}

#[test]
fn alter_adds_partitions_and_changes_only_the_named_configs() {
    let broker = Broker::start();
    topics(
        &broker,
        &[
            "create",
            "t",
            "--partitions",
            "2",
            "--config",
            "retention.ms=1000",
            "--config",
            "segment.ms=60000",
        ],
    )
    .expect_code(0);

    let run = topics(
        &broker,
        &[
            "alter",
            "t",
            "--partitions",
            "5",
            "--config",
            "retention.ms=2000",
            "--add-config",
            "cleanup.policy=compact,delete",
        ],
    )
    .expect_code(0);
    assert!(run.stdout_text().contains("now has 5 partitions"));
    let described = json(topics(&broker, &["describe", "t", "--output", "json"]));
    assert_eq!(described[0]["partition_count"], 5);
    assert_eq!(described[0]["partitions"].as_array().unwrap().len(), 5);
    // segment.ms was not named, so it stays.
    assert_eq!(
        described[0]["configs"],
        serde_json::json!({
            "cleanup.policy": "compact,delete",
            "retention.ms": "2000",
            "segment.ms": "60000"
        })
    );

    let changed = json(topics(
        &broker,
        &[
            "alter",
            "t",
            "--delete-config",
            "retention.ms",
            "--output",
            "json",
        ],
    ));
    assert_eq!(
        changed,
        serde_json::json!({"topic": "t", "partitions": null, "set": {}, "deleted": ["retention.ms"]})
    );
    assert_eq!(
        overrides(&broker, "t"),
        serde_json::json!({"cleanup.policy": "compact,delete", "segment.ms": "60000"})
    );

    // The broker's refusals reach the user, and nothing changes.
    let bad = topics(&broker, &["alter", "t", "--config", "retention.ms=abc"]).expect_code(1);
    assert!(
        bad.stderr
            .contains("cannot change the configs of topic 't'")
            && bad.stderr.contains("retention.ms")
            && bad.stderr.contains("abc"),
        "{}",
        bad.stderr
    );
    let unknown = topics(&broker, &["alter", "t", "--config", "no.such.config=1"]).expect_code(1);
    assert!(
        unknown.stderr.contains("no.such.config"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        overrides(&broker, "t"),
        serde_json::json!({"cleanup.policy": "compact,delete", "segment.ms": "60000"})
    );
    let shrink = topics(&broker, &["alter", "t", "--partitions", "3"]).expect_code(1);
    assert!(shrink.stderr.contains("only grow"), "{}", shrink.stderr);
}

#[test]
fn delete_with_yes_and_without_a_terminal() {
    let broker = Broker::start();
    for t in ["a", "b", "c"] {
        topics(&broker, &["create", t]).expect_code(0);
    }
    let run = topics(&broker, &["delete", "a", "--yes"]).expect_code(0);
    assert_eq!(run.stdout_text(), "Deleted topic a.\n");
    // stdin is a pipe here: no one to ask, so it proceeds as kafka-topics.sh does.
    topics(&broker, &["delete", "b"]).expect_code(0);
    assert_eq!(names(&broker, &[]), ["c"]);

    // A missing name stops the command before anything is deleted.
    let missing = topics(&broker, &["delete", "c", "nope"]).expect_code(1);
    assert!(
        missing.stderr.contains("topic 'nope' does not exist"),
        "{}",
        missing.stderr
    );
    assert_eq!(names(&broker, &[]), ["c"]);

    let deleted = json(topics(
        &broker,
        &["delete", "c", "nope", "--if-exists", "--output", "json"],
    ));
    assert_eq!(
        deleted,
        serde_json::json!([{"topic": "c", "deleted": true}, {"topic": "nope", "deleted": false}])
    );
    assert!(names(&broker, &[]).is_empty());
}

#[test]
fn kafka_topics_spellings_work() {
    let broker = Broker::start();
    let run = topics(
        &broker,
        &[
            "--create",
            "--topic",
            "k",
            "--partitions",
            "3",
            "--replication-factor",
            "1",
            "--config",
            "retention.ms=5000",
        ],
    )
    .expect_code(0);
    assert_eq!(run.stdout_text(), "Created topic k.\n");
    topics(&broker, &["--create", "--topic", "k", "--if-not-exists"]).expect_code(0);

    // --list prints bare names, as scripts written for kafka-topics.sh expect.
    assert_eq!(
        topics(&broker, &["--list"]).expect_code(0).stdout_text(),
        "k\n"
    );

    let described = topics(&broker, &["--describe", "--topic", "k"]).expect_code(0);
    assert!(described.lines()[0].starts_with("Topic: k\tPartitionCount: 3\t"));
    assert!(described.lines()[0].ends_with("Configs: retention.ms=5000"));

    topics(&broker, &["--alter", "--topic", "k", "--partitions", "4"]).expect_code(0);
    topics(
        &broker,
        &["--alter", "--topic", "k", "--delete-config", "retention.ms"],
    )
    .expect_code(0);
    let described = json(topics(
        &broker,
        &["--describe", "--topic", "k", "--output", "json"],
    ));
    assert_eq!(described[0]["partition_count"], 4);
    assert_eq!(described[0]["configs"], serde_json::json!({}));

    topics(&broker, &["--delete", "--topic", "k"]).expect_code(0);
    assert_eq!(
        topics(&broker, &["--list"]).expect_code(0).stdout_text(),
        ""
    );
}

#[test]
fn unknown_topics_are_errors_that_say_so() {
    let broker = Broker::start();
    for args in [
        &["describe", "ghost"][..],
        &["--describe", "--topic", "ghost"],
        &["alter", "ghost", "--partitions", "2"],
        &["delete", "ghost", "--yes"],
    ] {
        let run = topics(&broker, args).expect_code(1);
        assert!(
            run.stderr.contains("topic 'ghost' does not exist")
                && run.stderr.contains("dq topics list"),
            "{args:?}: {}",
            run.stderr
        );
    }
    // Describing a topic must not auto-create it.
    assert!(names(&broker, &[]).is_empty());
}

#[test]
fn bad_flags_are_usage_errors() {
    let broker = Broker::start();
    topics(&broker, &["create", "t"]).expect_code(0);
    for args in [
        &[][..],
        &["--list", "--describe"],
        &["--list", "--partitions", "3"],
        &["--create", "--partitions", "3"],
        &["--create", "--topic", "a", "--topic", "b"],
        &["--alter", "--topic", "t"],
        &["create", "x", "--partitions", "0"],
        &["create", "x", "--config", "novalue"],
        &["alter", "t"],
        &["delete"],
        &["list", "--output", "yaml"],
        &["list", "--no-such-flag"],
        &["list", "--list"],
    ] {
        let run = topics(&broker, args);
        assert_eq!(
            run.code, 2,
            "{args:?} should be a usage error: {}",
            run.stderr
        );
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(names(&broker, &[]), ["t"]);
}

#[test]
fn unreachable_broker_is_named() {
    let port = closed_port().to_string();
    let bootstrap = format!("127.0.0.1:{port}");
    let run = dq(
        &["topics", "list", "-b", &bootstrap, "--timeout", "5s"],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains(&format!("cannot reach broker at {bootstrap}"))
            && run.stderr.contains("dq serve"),
        "{}",
        run.stderr
    );
}

#[test]
fn metadata_marks_consumer_offsets_internal() {
    use kafka_protocol::messages::MetadataRequest;

    let broker = Broker::start();
    topics(&broker, &["create", "plain"]).expect_code(0);
    produce(&broker, "plain", &[], b"x\n").expect_code(0);
    consume(&broker, &["-g", "g1", "--from-beginning", "-e", "plain"]).expect_code(0);

    let mut stream = broker.connect();
    let response = crate::support::call(
        &mut stream,
        &MetadataRequest::default().with_topics(None),
        12,
    );
    let flags: Vec<(String, bool)> = response
        .topics
        .iter()
        .map(|t| (t.name.as_ref().unwrap().to_string(), t.is_internal))
        .collect();
    assert!(
        flags.contains(&("__consumer_offsets".to_string(), true)),
        "{flags:?}"
    );
    assert!(flags.contains(&("plain".to_string(), false)), "{flags:?}");
}

/// Runs `dq topics delete TOPIC` with stdin and stderr on a pseudo-terminal,
/// answers its question with `answer`, and returns the exit code and what the
/// terminal showed.
fn delete_on_terminal(broker: &Broker, topic: &str, answer: &[u8]) -> (i32, String) {
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;

    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors, owned by the Files below.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    let (master, slave) = unsafe { (File::from_raw_fd(master), File::from_raw_fd(slave)) };
    let bootstrap = broker.bootstrap();
    let mut child = crate::cli_support::command(&["topics", "delete", topic, "-b", &bootstrap])
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .stdout(Stdio::null())
        .spawn()
        .expect("starting dq");
    // The child holds the terminal's only slave ends now, so the master
    // reads EOF (EIO) once it exits.
    let (tx, rx) = mpsc::channel();
    let mut reader = master.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = master;
    let mut shown = Vec::new();
    let mut answered = false;
    while let Ok(chunk) = rx.recv_timeout(Duration::from_secs(60)) {
        shown.extend_from_slice(&chunk);
        if !answered && shown.contains(&b'?') {
            writer.write_all(answer).unwrap();
            answered = true;
        }
    }
    let pid = child.id();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let status = match done_rx.recv_timeout(Duration::from_secs(60)) {
        Ok(status) => status.unwrap(),
        Err(_) => {
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("dq topics delete did not exit; terminal showed {shown:?}");
        }
    };
    assert!(
        answered,
        "no question was asked: {}",
        String::from_utf8_lossy(&shown)
    );
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&shown).into_owned(),
    )
}

#[test]
fn delete_asks_on_a_terminal() {
    let broker = Broker::start();
    topics(&broker, &["create", "keep"]).expect_code(0);
    topics(&broker, &["create", "gone"]).expect_code(0);

    let (code, shown) = delete_on_terminal(&broker, "keep", b"n");
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("Delete topic keep and all its records?"),
        "{shown}"
    );
    assert!(shown.contains("nothing deleted"), "{shown}");

    let (code, shown) = delete_on_terminal(&broker, "gone", b"y");
    assert_eq!(code, 0, "{shown}");
    assert_eq!(names(&broker, &[]), ["keep"]);
}
