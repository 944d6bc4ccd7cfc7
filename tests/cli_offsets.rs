//! `dq offsets`: earliest, latest and by-time offsets per partition, and
//! `--delete-before`, which moves the log start so that a fetch below it gets
//! OFFSET_OUT_OF_RANGE.

use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::{FetchRequest, TopicName};
use kafka_protocol::protocol::StrBytes;
use serde_json::{json, Value};

use crate::cli_support::{consume, dq, produce, Run};
use crate::support::{call, Broker};

/// `dq offsets -b BROKER ARGS`.
fn offsets(broker: &Broker, args: &[&str]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["offsets", "-b", &bootstrap];
    all.extend_from_slice(args);
    dq(&all, b"")
}

fn json_of(run: Run) -> Value {
    let run = run.expect_code(0);
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout_text()))
}

fn rows(run: &Run) -> Vec<Vec<String>> {
    run.lines()
        .iter()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

const BASE: i64 = 1_700_000_000_000;

/// Ten records a second apart from BASE on partition 0 of `t`, and three on
/// partition 1 (stamped now).
fn setup() -> Broker {
    let broker = Broker::start_with(&["--partitions", "2"]);
    let timed: String = (0..10)
        .map(|i| format!("{{\"value\":\"v{i}\",\"timestamp\":{}}}\n", BASE + i * 1000))
        .collect();
    produce(
        &broker,
        "t",
        &["-p", "0", "--format", "json"],
        timed.as_bytes(),
    )
    .expect_code(0);
    produce(&broker, "t", &["-p", "1"], b"a\nb\nc\n").expect_code(0);
    broker
}

#[test]
fn earliest_latest_and_offsets_by_time() {
    let broker = setup();
    let run = offsets(&broker, &["t"]).expect_code(0);
    assert_eq!(
        rows(&run),
        vec![
            vec!["TOPIC", "PARTITION", "EARLIEST", "LATEST"],
            vec!["t", "0", "0", "10"],
            vec!["t", "1", "0", "3"]
        ]
    );
    let v = json_of(offsets(&broker, &["t", "-p", "1", "--output", "json"]));
    assert_eq!(
        v,
        json!({"time": null, "partitions": [
            {"topic": "t", "partition": 1, "earliest": 0, "latest": 3, "last_stable": 3, "offset_at_time": null}
        ]})
    );

    // kafka-get-offsets.sh: -1 latest, -2 earliest, and its TOPIC:P:OFFSET lines.
    let run = offsets(&broker, &["t", "--time", "-1", "--output", "plain"]).expect_code(0);
    assert_eq!(run.lines(), ["t:0:10", "t:1:3"]);
    let run = offsets(&broker, &["t", "--time", "-2", "--output", "plain"]).expect_code(0);
    assert_eq!(run.lines(), ["t:0:0", "t:1:0"]);
    // The first record at or after BASE + 2.5 s is offset 3.
    let when = (BASE + 2500).to_string();
    let v = json_of(offsets(
        &broker,
        &["t", "-p", "0", "--time", &when, "--output", "json"],
    ));
    assert_eq!(v["time"], BASE + 2500);
    assert_eq!(v["partitions"][0]["offset_at_time"], 3);
    // ISO-8601, with and without a zone: BASE is 2023-11-14T22:13:20Z.
    let run = offsets(&broker, &["t", "-p", "0", "--time", "2023-11-14T22:13:27Z"]).expect_code(0);
    assert_eq!(
        rows(&run),
        vec![
            vec!["TOPIC", "PARTITION", "EARLIEST", "LATEST", "OFFSET-AT-TIME"],
            vec!["t", "0", "0", "10", "7"]
        ]
    );
    let run = offsets(
        &broker,
        &[
            "t",
            "-p",
            "0",
            "--time",
            "2023-11-15T00:13:21+02:00",
            "--output",
            "plain",
        ],
    )
    .expect_code(0);
    assert_eq!(run.lines(), ["t:0:1"]);
    // Later than every record: no offset (partition 1's records are from now).
    let v = json_of(offsets(
        &broker,
        &["t", "--time", "2999-01-01T00:00:00Z", "--output", "json"],
    ));
    assert_eq!(v["partitions"][0]["offset_at_time"], Value::Null);
    assert_eq!(v["partitions"][1]["offset_at_time"], Value::Null);

    let run = offsets(&broker, &["t", "--time", "tomorrow"]).expect_code(2);
    assert!(
        run.stderr.contains("'tomorrow' is not a time"),
        "{}",
        run.stderr
    );
    let run = offsets(&broker, &["missing"]).expect_code(1);
    assert!(
        run.stderr.contains("topic 'missing' does not exist"),
        "{}",
        run.stderr
    );
    let run = offsets(&broker, &["t", "-p", "2"]).expect_code(1);
    assert!(
        run.stderr.contains("--partition 2 does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn delete_before_moves_the_log_start() {
    let broker = setup();
    // Without a terminal there is no question to answer.
    let run = offsets(&broker, &["t", "-p", "0", "--delete-before", "4"]).expect_code(0);
    assert_eq!(
        rows(&run),
        vec![
            vec!["TOPIC", "PARTITION", "LOW-WATERMARK", "STATUS"],
            vec!["t", "0", "4", "Deleted"]
        ]
    );
    let v = json_of(offsets(&broker, &["t", "--output", "json"]));
    assert_eq!(v["partitions"][0]["earliest"], 4);
    assert_eq!(v["partitions"][0]["latest"], 10);
    assert_eq!(
        v["partitions"][1]["earliest"], 0,
        "only partition 0 was named"
    );

    // A fetch below the new start is out of range; consumers start at it.
    let mut s = broker.connect();
    let fetch = |offset: i64| {
        FetchRequest::default()
            .with_max_wait_ms(0)
            .with_max_bytes(1 << 20)
            .with_topics(vec![FetchTopic::default()
                .with_topic(TopicName(StrBytes::from_static_str("t")))
                .with_partitions(vec![FetchPartition::default()
                    .with_fetch_offset(offset)
                    .with_partition_max_bytes(1 << 20)])])
    };
    let r = call(&mut s, &fetch(2), 11);
    let p = &r.responses[0].partitions[0];
    assert_eq!(
        (p.error_code, p.log_start_offset),
        (1, 4),
        "OFFSET_OUT_OF_RANGE"
    );
    let r = call(&mut s, &fetch(4), 11);
    assert_eq!(r.responses[0].partitions[0].error_code, 0);
    let run = consume(&broker, &["t", "-p", "0", "--from-beginning", "-e"]).expect_code(0);
    assert_eq!(run.lines(), ["v4", "v5", "v6", "v7", "v8", "v9"]);

    // `end` deletes everything; JSON reports each partition's new start.
    let run = offsets(
        &broker,
        &["t", "--delete-before", "end", "--yes", "--output", "json"],
    );
    assert_eq!(
        json_of(run),
        json!([
            {"topic": "t", "partition": 0, "low_watermark": 10, "error": null},
            {"topic": "t", "partition": 1, "low_watermark": 3, "error": null}
        ])
    );
    let run = offsets(&broker, &["t", "--time", "-2", "--output", "plain"]).expect_code(0);
    assert_eq!(run.lines(), ["t:0:10", "t:1:3"]);

    // Past the end is refused and named.
    let run = offsets(&broker, &["t", "-p", "1", "--delete-before", "99"]).expect_code(1);
    assert!(run.stderr.contains("past the end"), "{}", run.stderr);
    let run = offsets(&broker, &["t", "--delete-before", "-3"]).expect_code(2);
    assert!(
        run.stderr.contains("'-3' is not an offset"),
        "{}",
        run.stderr
    );
}
