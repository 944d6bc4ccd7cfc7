//! The compatibility suite: kafkajs, confluent_kafka, kafka-python and kcat
//! against `dq serve`. The client programs live in `tests/compat/`; each case
//! prints one JSON line, and a failure names the client, the API and the
//! error. Missing clients fail the test, never skip it: `scripts/setup-test-env`
//! installs them.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::support::*;

fn compat() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compat")
}

fn require(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is missing at {}: run scripts/setup-test-env",
        path.display()
    );
    path
}

fn kafkajs(broker: &Broker, case: &str) -> Value {
    require(compat().join("node_modules/kafkajs"), "kafkajs");
    run_json(
        Command::new("node")
            .arg(compat().join("kafkajs_suite.js"))
            .args([&broker.bootstrap(), case]),
        &format!("kafkajs {case}"),
    )
}

fn python(broker: &Broker, case: &str) -> Value {
    let py = require(
        compat().join("../../.venv/bin/python"),
        "the Python virtual environment",
    );
    run_json(
        Command::new(py)
            .arg(compat().join("py_suite.py"))
            .args([&broker.bootstrap(), case]),
        &format!("py_suite {case}"),
    )
}

#[test]
fn kafkajs_send_with_every_acks_and_gzip() {
    let broker = Broker::start();
    let r = kafkajs(&broker, "send");
    assert_eq!(
        r,
        json!({"acksAll": 0, "acksOne": 1, "acksZeroResponse": 0, "gzip": 3, "high": 4})
    );
}

#[test]
fn kafkajs_auto_creation_follows_the_producer_setting() {
    let broker = Broker::start();
    let r = kafkajs(&broker, "autocreate");
    assert_eq!(r["created"], true);
    assert_eq!(r["missingCreated"], false);
    assert_eq!(
        r["refused"],
        "This server does not host this topic-partition"
    );
}

#[test]
fn kafkajs_each_message_and_each_batch_consumers_in_groups() {
    let broker = Broker::start();
    let r = kafkajs(&broker, "consume");
    assert_eq!(
        r,
        json!({"eachMessage": 30, "eachBatch": 30, "groups": ["js-batch", "js-message"],
               "describedState": "Stable", "describedMembers": 1, "deleteGroupsError": 0})
    );
}

#[test]
fn kafkajs_group_members_split_partitions_and_take_over() {
    let broker = Broker::start();
    let r = kafkajs(&broker, "failover");
    assert_eq!(
        r,
        json!({"split": [10, 10], "readAgain": 0, "survivorNew": 10})
    );
}

#[test]
fn kafkajs_admin_creates_lists_and_deletes_topics() {
    let broker = Broker::start();
    let r = kafkajs(&broker, "admin");
    assert_eq!(
        r,
        json!({"partitions": 4, "listed": true, "afterDelete": false})
    );
}

#[test]
fn seed_001_every_callback_fires_and_flush_leaves_nothing() {
    let broker = Broker::start();
    let r = python(&broker, "seed001");
    assert_eq!(r["callbacks"], 100);
    assert_eq!(r["remaining"], 0);
    assert_eq!(r["partitions"], json!([0]));
    assert_eq!(r["offsets"], json!((0..100).collect::<Vec<_>>()));
    // Nothing lost after the script exited right after flush().
    assert_eq!(read_partition(&broker, "seed-001", 0, 0).len(), 100);
}

#[test]
fn confluent_kafka_and_kafka_python_groups_split_and_take_over() {
    let broker = Broker::start();
    for case in ["confluent-groups", "kafka-python-groups"] {
        let r = python(&broker, case);
        assert_eq!(
            r,
            json!({"assigned": [1, 1], "read": [10, 10], "readAgain": 0, "survivorNew": 10}),
            "{case}"
        );
    }
}

#[test]
fn confluent_kafka_and_kafka_python_admin() {
    let broker = Broker::start();
    let r = python(&broker, "confluent-admin");
    assert_eq!(r["partitions"], 3);
    assert_eq!(r["groups"], json!(["ck-admin-g"]));
    assert_eq!(r["state"], "ConsumerGroupState.STABLE");
    assert_eq!(r["members"], 1);
    let r = python(&broker, "kafka-python-admin");
    assert_eq!(
        r,
        json!({"listed": true, "partitions": 3, "groups": ["ck-admin-g", "kp-admin-g"], "state": "Stable",
               "members": 1, "afterDelete": false})
    );
}

#[test]
fn confluent_kafka_admin_describes_and_alters_configs_and_adds_partitions() {
    let broker = Broker::start();
    let r = python(&broker, "confluent-configs");
    assert_eq!(
        r,
        json!({"before": [["3600000", false], ["delete", true]], "after": [["604800000", true], ["compact", false]],
               "refusedMentions": true, "partitions": 3})
    );
}

fn kcat() -> Command {
    assert!(
        Command::new("kcat")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success()),
        "kcat is missing: run scripts/setup-test-env (it installs Debian's kcat)"
    );
    Command::new("kcat")
}

fn kcat_out(args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut child = kcat()
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kcat {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn kcat_metadata_produce_consume_formats_and_offsets_for_time() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    kcat_out(
        &["-P", "-b", &b, "-t", "kc", "-K", ":"],
        Some("k1:one\nk2:two\nk3:three\n"),
    );
    let listing = kcat_out(&["-L", "-b", &b, "-t", "kc"], None);
    assert!(
        listing.contains("topic \"kc\" with 1 partitions"),
        "{listing}"
    );
    assert!(
        listing.contains("partition 0, leader 0, replicas: 0, isrs: 0"),
        "{listing}"
    );
    let formatted = kcat_out(
        &[
            "-C",
            "-b",
            &b,
            "-t",
            "kc",
            "-e",
            "-q",
            "-f",
            "%t/%p/%o %k=%s\\n",
        ],
        None,
    );
    assert_eq!(formatted, "kc/0/0 k1=one\nkc/0/1 k2=two\nkc/0/2 k3=three\n");
    let json_line = kcat_out(
        &["-C", "-b", &b, "-t", "kc", "-e", "-q", "-J", "-o", "-1"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(json_line.trim()).unwrap();
    assert_eq!(
        (
            v["key"].as_str(),
            v["payload"].as_str(),
            v["offset"].as_i64()
        ),
        (Some("k3"), Some("three"), Some(2))
    );
    // -Q: the first offset at or after a timestamp (long ago: offset 0).
    let q = kcat_out(&["-Q", "-b", &b, "-t", "kc:0:1000"], None);
    assert!(q.contains("kc [0] offset 0"), "{q}");
}
