//! The seed documents' programs, run unchanged against `dq serve`.
//!
//! They connect to `localhost:9092`, so each runs in a private network
//! namespace (`unshare -n`) where that port belongs to a `dq serve` of its own:
//! no fixed port is shared between tests or with the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The virtual environment made by `scripts/setup-test-env`. Missing clients
/// fail the test: the compatibility suite must not be skippable by accident.
fn python() -> PathBuf {
    let p = std::env::var_os("DQ_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup-test-env (the README's test command does)",
        p.display()
    );
    p
}

/// Runs `program` in its own network namespace against a `dq serve` listening
/// on localhost:9092 with `data_dir`; returns the program's stdout.
fn run_seed(program: &str, data_dir: &Path, extra: &[&str]) -> String {
    let seeds = repo().join("tests/compat/seeds");
    let mut command = Command::new("unshare");
    command
        .arg("-n")
        .arg(python())
        .arg(repo().join("tests/compat/in_netns.py"))
        .arg(dq_bin())
        .arg(data_dir);
    for arg in extra {
        match arg.strip_suffix(".py") {
            Some(_) => command.arg(seeds.join(arg)),
            None => command.arg(arg),
        };
    }
    let out = command
        .arg(seeds.join(program))
        .output()
        .expect("running unshare (util-linux)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{program} failed ({}).\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    stdout
}

#[test]
fn seed_000_confluent_kafka_producer_reports_delivery() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let stdout = run_seed("000_confluent_producer.py", &data, &[]);
    assert_eq!(
        stdout.trim(),
        "Message delivered to topic test-topic [partition 0]"
    );
    let broker = Broker::start_in(&data, &[]);
    let got = read_partition(&broker, "test-topic", 0, 0);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, b"Hello, Kafka!");
}

#[test]
fn seed_002_kafka_python_json_producer_stores_the_message() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    run_seed("002_kafka_python_producer.py", &data, &[]);
    let broker = Broker::start_in(&data, &[]);
    let got = read_partition(&broker, "my_topic", 0, 0);
    assert_eq!(got.len(), 1);
    let v: serde_json::Value = serde_json::from_slice(&got[0].2).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"name": "Message Broker Example", "content": "Hello from Kafka"})
    );
}

/// The consumers subscribe in a group, started before the producers. The
/// topic exists first: librdkafka consumers do not ask for auto-creation, and
/// report a subscribed topic that does not exist as an error (the seed then
/// prints it and stops), against Kafka as against dq.
#[test]
fn seed_000_confluent_kafka_consumer_receives_what_the_producer_sent() {
    let temp = tempfile::tempdir().unwrap();
    let stdout = run_seed(
        "000_confluent_producer.py",
        &temp.path().join("data"),
        &[
            "--topic",
            "test-topic",
            "--consumer",
            "000_confluent_consumer.py",
        ],
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        vec![
            "Message delivered to topic test-topic [partition 0]",
            "consumer: Received message: Hello, Kafka!"
        ]
    );
}

/// kafka-python consumers do ask for auto-creation, so no topic is made first.
#[test]
fn seed_002_kafka_python_consumer_receives_the_json_message() {
    let temp = tempfile::tempdir().unwrap();
    let stdout = run_seed(
        "002_kafka_python_producer.py",
        &temp.path().join("data"),
        &["--consumer", "002_kafka_python_consumer.py"],
    );
    assert_eq!(
        stdout.trim(),
        "consumer: Received message: {'name': 'Message Broker Example', 'content': 'Hello from Kafka'}"
    );
}
