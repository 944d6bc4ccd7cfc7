//! Transactions from the command line, against a broker that serves them:
//! `dq produce --transactional-id` (commit, abort on a bad line with exit 3,
//! `--txn-every`, a signal), `dq consume --isolation-level`, the last stable
//! offset in `dq offsets` and `dq topics describe`, `dq transactions`
//! (list, describe, describe-producers, abort). The copier killed
//! again and again is in tests/transactions.rs.

use std::io::Write;
use std::time::{Duration, Instant};

use rdkafka::producer::{BaseRecord, Producer};
use serde_json::Value;

use crate::cli_support::{command, consume, dq, produce, wait};
use crate::support::{producer, Broker, TestProducer};

fn create(broker: &Broker, topic: &str, partitions: &str) {
    dq(
        &[
            "topics",
            "create",
            topic,
            "--partitions",
            partitions,
            "-b",
            &broker.bootstrap(),
        ],
        b"",
    )
    .expect_code(0);
}

/// The values a consumer at `isolation` reads from the whole topic.
fn read(broker: &Broker, topic: &str, isolation: &str) -> Vec<String> {
    consume(
        broker,
        &[
            topic,
            "--from-beginning",
            "-e",
            "--isolation-level",
            isolation,
        ],
    )
    .expect_code(0)
    .lines()
}

fn json(args: &[&str], broker: &Broker) -> Value {
    let b = broker.bootstrap();
    let mut all = args.to_vec();
    all.extend(["-b", &b, "--output", "json"]);
    let out = dq(&all, b"").expect_code(0).stdout_text();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `dq offsets TOPIC --output json`'s only partition.
fn offsets(broker: &Broker, topic: &str) -> Value {
    json(&["offsets", topic], broker)["partitions"][0].clone()
}

/// A transaction left open: a producer that sent `values` to partition 0
/// of `topic` and neither commits nor aborts (kept alive by the caller, so
/// that it is not aborted on close).
pub fn hanging_transaction(
    broker: &Broker,
    topic: &str,
    transactional_id: &str,
    values: &[&str],
) -> TestProducer {
    let p = producer(
        broker,
        &[
            ("transactional.id", transactional_id),
            ("transaction.timeout.ms", "600000"),
        ],
    );
    p.init_transactions(Duration::from_secs(30)).unwrap();
    p.begin_transaction().unwrap();
    for v in values {
        p.send(BaseRecord::<(), str>::to(topic).partition(0).payload(*v))
            .unwrap();
    }
    p.flush(Duration::from_secs(30)).unwrap();
    let reports = p.context().0.lock().unwrap().clone();
    assert!(
        reports.len() == values.len() && reports.iter().all(Result::is_ok),
        "{reports:?}"
    );
    p
}

#[test]
fn a_transactional_produce_reports_its_records_once_committed() {
    let broker = Broker::start();
    create(&broker, "orders", "1");
    let run = produce(
        &broker,
        "orders",
        &[
            "--transactional-id",
            "loader",
            "--report",
            "each",
            "--report-to",
            "stdout",
        ],
        b"a\nb\nc\n",
    )
    .expect_code(0);
    assert_eq!(
        run.lines(),
        [
            "orders-0@0 (committed)",
            "orders-0@1 (committed)",
            "orders-0@2 (committed)"
        ]
    );
    // read_committed is the default.
    let committed = consume(&broker, &["orders", "--from-beginning", "-e"])
        .expect_code(0)
        .lines();
    assert_eq!(committed, ["a", "b", "c"]);
    // The records and the COMMIT marker after them.
    let o = offsets(&broker, "orders");
    assert_eq!(
        (o["latest"].as_i64(), o["last_stable"].as_i64()),
        (Some(4), Some(4))
    );

    let d = json(
        &["transactions", "describe", "--transactional-id", "loader"],
        &broker,
    );
    assert_eq!(d["transactional_id"], "loader");
    assert_eq!(d["state"], "CompleteCommit");
    assert_eq!(d["partitions"], serde_json::json!([]));
    let listed = json(&["transactions", "list"], &broker);
    let listed = listed.as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|t| t["transactional_id"] == "loader" && t["state"] == "CompleteCommit"),
        "{listed:?}"
    );
    let text = dq(&["transactions", "list", "-b", &broker.bootstrap()], b"")
        .expect_code(0)
        .lines();
    assert_eq!(
        text[0].split_whitespace().collect::<Vec<_>>(),
        [
            "TransactionalId",
            "Coordinator",
            "ProducerId",
            "TransactionState"
        ]
    );
    assert!(text
        .iter()
        .any(|l| l.starts_with("loader ") && l.ends_with("CompleteCommit")));
}

#[test]
fn a_bad_line_aborts_the_transaction_and_exits_3() {
    let broker = Broker::start();
    create(&broker, "orders", "1");
    produce(&broker, "orders", &[], b"before\n").expect_code(0);
    let run = produce(
        &broker,
        "orders",
        &["--transactional-id", "loader", "--format", "json"],
        b"{\"value\":\"x\"}\n{\"value\":\"y\"}\nnot json\n{\"value\":\"z\"}\n",
    )
    .expect_code(3);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("transaction aborted: none of its 2 record(s) were committed"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&broker, "orders", "read_committed"), ["before"]);
    assert_eq!(
        read(&broker, "orders", "read_uncommitted"),
        ["before", "x", "y"]
    );
    // Aborted, so nothing holds read_committed readers back.
    let o = offsets(&broker, "orders");
    assert_eq!(o["last_stable"], o["latest"]);
}

#[test]
fn a_record_the_broker_refuses_aborts_the_transaction() {
    let broker = Broker::start();
    dq(
        &[
            "topics",
            "create",
            "small",
            "--config",
            "max.message.bytes=100",
            "-b",
            &broker.bootstrap(),
        ],
        b"",
    )
    .expect_code(0);
    let input = format!("ok\n{}\n", "x".repeat(300));
    let run = produce(
        &broker,
        "small",
        &["--transactional-id", "loader"],
        input.as_bytes(),
    )
    .expect_code(3);
    assert!(
        run.stderr.contains("MessageSizeTooLarge")
            && run
                .stderr
                .contains("transaction aborted: none of its 2 record(s)"),
        "{}",
        run.stderr
    );
    assert!(read(&broker, "small", "read_committed").is_empty());
}

#[test]
fn txn_every_commits_every_n_records() {
    let broker = Broker::start();
    create(&broker, "orders", "1");
    produce(
        &broker,
        "orders",
        &["--transactional-id", "loader", "--txn-every", "2"],
        b"1\n2\n3\n4\n5\n",
    )
    .expect_code(0);
    assert_eq!(
        read(&broker, "orders", "read_committed"),
        ["1", "2", "3", "4", "5"]
    );
    // Three transactions: five records and three COMMIT markers.
    assert_eq!(offsets(&broker, "orders")["latest"], 8);

    // A failure aborts the open transaction only.
    create(&broker, "batches", "1");
    let run = produce(
        &broker,
        "batches",
        &[
            "--transactional-id",
            "loader",
            "--txn-every",
            "2",
            "--format",
            "json",
        ],
        b"{\"value\":\"6\"}\n{\"value\":\"7\"}\n{\"value\":\"8\"}\n{bad\n",
    )
    .expect_code(3);
    assert!(
        run.stderr.contains(
            "none of its 1 record(s) were committed; the 2 record(s) of the 1 transaction(s) before it were committed"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(read(&broker, "batches", "read_committed"), ["6", "7"]);
    assert_eq!(
        read(&broker, "batches", "read_uncommitted"),
        ["6", "7", "8"]
    );
}

#[test]
fn transactional_flags_are_checked() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    // (arguments after the subcommand, exit code, what stderr names)
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["produce", "t", "--transactional-id", "x", "--acks", "1"],
            2,
            "--acks all",
        ),
        (
            &["produce", "t", "--txn-every", "5"],
            2,
            "--transactional-id",
        ),
        (
            &[
                "produce",
                "t",
                "--transactional-id",
                "x",
                "--txn-every",
                "0",
            ],
            2,
            "--txn-every",
        ),
        (
            &["transactions", "abort", "--topic", "t", "--partition", "0"],
            2,
            "--start-offset",
        ),
        (
            &["transactions", "list", "-X", "security.protocol=SASL_SSL"],
            1,
            "PLAINTEXT only",
        ),
        (
            &["transactions", "describe", "--transactional-id", "nobody"],
            1,
            "'nobody'",
        ),
    ];
    for (args, code, names) in cases {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["-b", b.as_str()]);
        let run = dq(&full, b"").expect_code(code);
        assert!(run.stderr.contains(names), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_signal_aborts_the_open_transaction() {
    let broker = Broker::start();
    create(&broker, "orders", "1");
    let b = broker.bootstrap();
    let mut child = command(&[
        "produce",
        "orders",
        "-b",
        &b,
        "--transactional-id",
        "loader",
    ])
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"x\ny\n").unwrap();
    stdin.flush().unwrap();
    // The records are in the log (uncommitted) before the signal.
    let deadline = Instant::now() + Duration::from_secs(60);
    while offsets(&broker, "orders")["latest"] != 2 {
        assert!(
            Instant::now() < deadline,
            "the records never reached the log"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let (code, stderr) = wait(child);
    drop(stdin);
    assert_eq!(code, 130, "{stderr}");
    assert!(
        stderr.contains("stopped by Ctrl-C: transaction aborted"),
        "{stderr}"
    );
    assert!(read(&broker, "orders", "read_committed").is_empty());
    assert_eq!(read(&broker, "orders", "read_uncommitted"), ["x", "y"]);
}

#[test]
fn a_hanging_transaction_is_found_and_aborted() {
    let broker = Broker::start();
    create(&broker, "orders", "1");
    let b = broker.bootstrap();
    produce(&broker, "orders", &[], b"done\n").expect_code(0);
    let hanging = hanging_transaction(&broker, "orders", "stuck", &["h1", "h2"]);

    // The last stable offset lags: at the hanging transaction's first record.
    let o = offsets(&broker, "orders");
    assert_eq!(
        (o["latest"].as_i64(), o["last_stable"].as_i64()),
        (Some(3), Some(1))
    );
    let text = dq(&["offsets", "orders", "-b", &b], b"")
        .expect_code(0)
        .lines();
    assert_eq!(
        text[0].split_whitespace().collect::<Vec<_>>(),
        ["TOPIC", "PARTITION", "EARLIEST", "LATEST", "LAST-STABLE"]
    );
    assert_eq!(
        text[1].split_whitespace().collect::<Vec<_>>(),
        ["orders", "0", "0", "3", "1"]
    );
    let described = dq(&["topics", "describe", "orders", "-b", &b], b"")
        .expect_code(0)
        .stdout_text();
    assert!(
        described.contains("\tLatest: 3\tLastStable: 1\t"),
        "{described}"
    );
    let t = json(&["topics", "describe", "orders"], &broker);
    assert_eq!(t[0]["partitions"][0]["last_stable_offset"], 1);
    // read_committed readers stop there.
    assert_eq!(read(&broker, "orders", "read_committed"), ["done"]);

    let d = json(
        &["transactions", "describe", "--transactional-id", "stuck"],
        &broker,
    );
    assert_eq!(d["state"], "Ongoing");
    assert_eq!(
        d["partitions"],
        serde_json::json!([{"topic": "orders", "partition": 0}])
    );
    assert!(d["transaction_start_time_ms"].is_i64(), "{d}");
    let text = dq(
        &[
            "transactions",
            "describe",
            "--transactional-id",
            "stuck",
            "-b",
            &b,
        ],
        b"",
    )
    .expect_code(0)
    .lines();
    assert_eq!(text[0].split_whitespace().count(), 9, "{text:?}");
    assert!(
        text[1].contains("Ongoing") && text[1].ends_with("orders-0"),
        "{text:?}"
    );

    let producers = json(
        &[
            "transactions",
            "describe-producers",
            "--topic",
            "orders",
            "--partition",
            "0",
        ],
        &broker,
    );
    let open: Vec<&Value> = producers["producers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["current_transaction_start_offset"].is_null())
        .collect();
    assert_eq!(open.len(), 1, "{producers}");
    assert_eq!(open[0]["current_transaction_start_offset"], 1);
    let text = dq(
        &[
            "transactions",
            "describe-producers",
            "--topic",
            "orders",
            "--partition",
            "0",
            "-b",
            &b,
        ],
        b"",
    )
    .expect_code(0)
    .lines();
    assert_eq!(
        text[0].split_whitespace().collect::<Vec<_>>(),
        [
            "ProducerId",
            "ProducerEpoch",
            "LatestCoordinatorEpoch",
            "LastSequence",
            "LastTimestamp",
            "CurrentTransactionStartOffset"
        ]
    );

    // No transaction starts at offset 0.
    let run = dq(
        &[
            "transactions",
            "abort",
            "-b",
            &b,
            "--topic",
            "orders",
            "--partition",
            "0",
            "--start-offset",
            "0",
        ],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("no open transaction starts at offset 0"),
        "{}",
        run.stderr
    );
    let run = dq(
        &[
            "transactions",
            "abort",
            "-b",
            &b,
            "--topic",
            "orders",
            "--partition",
            "0",
            "--start-offset",
            "1",
        ],
        b"",
    )
    .expect_code(0);
    assert!(
        run.stdout_text()
            .starts_with("Aborted the transaction of producer "),
        "{}",
        run.stdout_text()
    );
    // The ABORT marker ends it: nothing lags, and the records stay hidden.
    let o = offsets(&broker, "orders");
    assert_eq!(
        (o["latest"].as_i64(), o["last_stable"].as_i64()),
        (Some(4), Some(4))
    );
    assert_eq!(read(&broker, "orders", "read_committed"), ["done"]);
    assert_eq!(
        read(&broker, "orders", "read_uncommitted"),
        ["done", "h1", "h2"]
    );
    drop(hanging);
}
