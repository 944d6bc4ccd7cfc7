//! `dq groups`: list, describe (lag, members, state), every reset spec,
//! the rule that a group with members is not reset, delete and
//! delete-offsets, each run as the real binary against `dq serve`.

use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_support::{command, consume, dq, produce, wait, Run};
use crate::support::Broker;

/// `dq groups SUB -b BROKER ARGS`.
fn groups(broker: &Broker, sub: &str, args: &[&str]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["groups", sub, "-b", &bootstrap];
    all.extend_from_slice(args);
    dq(&all, b"")
}

fn json(run: &Run) -> Value {
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", run.stdout_text());
    })
}

fn describe(broker: &Broker, group: &str) -> Value {
    json(&groups(broker, "describe", &[group, "--output", "json"]).expect_code(0))
}

/// Committed offsets by (topic, partition), from `describe --output json`.
fn committed(broker: &Broker, group: &str) -> Vec<(String, i64, Option<i64>)> {
    describe(broker, group)["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["topic"].as_str().unwrap().to_string(),
                p["partition"].as_i64().unwrap(),
                p["current_offset"].as_i64(),
            )
        })
        .collect()
}

/// Whitespace-split rows of a table, header first.
fn rows(run: &Run) -> Vec<Vec<String>> {
    run.lines()
        .iter()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn lines(range: std::ops::Range<usize>) -> Vec<u8> {
    range
        .map(|i| format!("m{i}\n"))
        .collect::<String>()
        .into_bytes()
}

/// Polls until `done` holds, failing after a generous limit.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A `dq consume -g GROUP TOPIC` running in the background: an active member.
struct Member(Option<Child>);

impl Member {
    fn start(broker: &Broker, group: &str, topic: &str) -> Member {
        Member::start_with(broker, group, topic, &[])
    }

    fn start_with(broker: &Broker, group: &str, topic: &str, extra: &[&str]) -> Member {
        let bootstrap = broker.bootstrap();
        let mut args = vec!["consume", "-b", &bootstrap, "-g", group, topic];
        args.extend_from_slice(extra);
        let child = command(&args).spawn().expect("starting dq consume");
        let member = Member(Some(child));
        // Until the first join completes the group does not exist yet.
        wait_for("the consumer to join", || {
            let run = groups(broker, "describe", &[group, "--output", "json"]);
            run.code == 0 && json(&run)["members"].as_array().unwrap().len() == 1
        });
        member
    }

    /// Ctrl-C, so the consumer leaves the group on its way out.
    fn stop(&mut self) {
        if let Some(child) = self.0.take() {
            unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
            let (code, stderr) = wait(child);
            assert_eq!(code, 130, "{stderr}");
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn describe_shows_lag_as_produced_minus_committed() {
    let broker = Broker::start_with(&["--partitions", "2"]);
    produce(&broker, "orders", &["-p", "0"], &lines(0..10)).expect_code(0);
    produce(&broker, "orders", &["-p", "1"], &lines(0..4)).expect_code(0);
    produce(&broker, "audit", &["-p", "0"], &lines(0..3)).expect_code(0);
    consume(
        &broker,
        &[
            "-g",
            "billing",
            "orders",
            "audit",
            "--from-beginning",
            "-n",
            "17",
        ],
    )
    .expect_code(0);
    // 5 more on orders-0 and 2 on audit-0 that the group has not read.
    produce(&broker, "orders", &["-p", "0"], &lines(10..15)).expect_code(0);
    produce(&broker, "audit", &["-p", "0"], &lines(3..5)).expect_code(0);

    let d = describe(&broker, "billing");
    assert_eq!(d["state"], "Empty");
    let parts: Vec<(String, i64, i64, i64, i64)> = d["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["topic"].as_str().unwrap().to_string(),
                p["partition"].as_i64().unwrap(),
                p["current_offset"].as_i64().unwrap(),
                p["log_end_offset"].as_i64().unwrap(),
                p["lag"].as_i64().unwrap(),
            )
        })
        .collect();
    // audit-1 never had a record, so nothing was committed there.
    assert_eq!(
        parts,
        vec![
            ("audit".to_string(), 0, 3, 5, 2),
            ("orders".to_string(), 0, 10, 15, 5),
            ("orders".to_string(), 1, 4, 4, 0),
        ]
    );
    assert_eq!(
        d["topic_lag"],
        serde_json::json!([{"topic": "audit", "lag": 2}, {"topic": "orders", "lag": 5}])
    );
    assert_eq!(d["total_lag"], 7);

    let run = groups(&broker, "describe", &["billing"]).expect_code(0);
    assert!(
        run.stderr.contains("has no active members"),
        "{}",
        run.stderr
    );
    let table = rows(&run);
    assert_eq!(
        table[0],
        [
            "GROUP",
            "TOPIC",
            "PARTITION",
            "CURRENT-OFFSET",
            "LOG-END-OFFSET",
            "LAG",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID"
        ]
    );
    assert!(table.contains(&vec![
        "billing".into(),
        "orders".into(),
        "0".into(),
        "10".into(),
        "15".into(),
        "5".into(),
        "-".into(),
        "-".into(),
        "-".into()
    ]));
    assert!(
        table.contains(&vec!["orders".into(), "5".into()]),
        "{table:?}"
    );
    assert!(run.stdout_text().contains("Total lag: 7"));

    let run = groups(&broker, "describe", &["nobody"]).expect_code(1);
    assert!(
        run.stderr.contains("'nobody' does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn members_state_and_the_refusals_while_a_group_is_active() {
    let broker = Broker::start_with(&["--partitions", "2"]);
    produce(&broker, "events", &["-p", "0"], &lines(0..6)).expect_code(0);
    consume(
        &broker,
        &["-g", "idle", "events", "--from-beginning", "-n", "6"],
    )
    .expect_code(0);
    let mut member = Member::start(&broker, "live", "events");

    let list = groups(&broker, "list", &[]).expect_code(0);
    let table = rows(&list);
    assert_eq!(
        table[0],
        [
            "GROUP",
            "TYPE",
            "STATE",
            "PROTOCOL-TYPE",
            "PROTOCOL",
            "MEMBERS"
        ]
    );
    assert!(
        table.contains(&vec![
            "live".into(),
            "classic".into(),
            "Stable".into(),
            "consumer".into(),
            "range".into(),
            "1".into()
        ]),
        "{table:?}"
    );
    let listed = json(&groups(&broker, "list", &["--output", "json"]).expect_code(0));
    let idle = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "idle")
        .expect("the idle group is listed");
    assert_eq!(
        (&idle["state"], &idle["members"]),
        (&Value::from("Empty"), &Value::from(0))
    );

    let run = groups(&broker, "describe", &["live", "--members", "--verbose"]).expect_code(0);
    let table = rows(&run);
    assert_eq!(
        table[0],
        [
            "GROUP",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
            "ASSIGNMENT"
        ]
    );
    assert_eq!(table.len(), 2, "{table:?}");
    assert_eq!(table[1][0], "live");
    assert!(table[1][1].starts_with("dq-"), "{table:?}");
    assert_eq!(table[1][2], "127.0.0.1");
    assert_eq!(table[1][3], "dq");
    assert_eq!(table[1][4], "2");
    assert_eq!(table[1][5], "events(0,1)");

    let run = groups(&broker, "describe", &["live", "--state"]).expect_code(0);
    assert_eq!(
        rows(&run),
        vec![
            vec!["GROUP", "TYPE", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"],
            vec!["live", "classic", "range", "Stable", "1"]
        ]
    );
    // Every partition a member owns is shown, with the member.
    let run = groups(&broker, "describe", &["live"]).expect_code(0);
    let owned: Vec<Vec<String>> = rows(&run)
        .into_iter()
        .filter(|r| r.len() == 9 && r[0] == "live")
        .collect();
    assert_eq!(owned.len(), 2, "{}", run.stdout_text());
    assert!(owned
        .iter()
        .all(|r| r[6].starts_with("dq-") && r[8] == "dq"));

    let run = groups(
        &broker,
        "reset-offsets",
        &["live", "--topic", "events", "--to-earliest"],
    )
    .expect_code(1);
    assert!(run.stderr.contains("1 active member(s)"), "{}", run.stderr);
    assert!(run.stderr.contains("stop its consumers"), "{}", run.stderr);
    let run = groups(
        &broker,
        "reset-offsets",
        &["live", "--topic", "events", "--to-earliest", "--execute"],
    )
    .expect_code(1);
    assert!(run.stderr.contains("active member"), "{}", run.stderr);
    let run = groups(&broker, "delete", &["live"]).expect_code(1);
    assert!(
        run.stderr
            .contains("cannot delete group 'live': it has active members"),
        "{}",
        run.stderr
    );
    let run = groups(&broker, "delete-offsets", &["live", "--topic", "events"]).expect_code(1);
    assert!(
        run.stdout_text().contains("subscribed"),
        "{}",
        run.stdout_text()
    );

    member.stop();
    wait_for("the member to leave", || {
        describe(&broker, "live")["members"]
            .as_array()
            .unwrap()
            .is_empty()
    });
    groups(
        &broker,
        "reset-offsets",
        &["live", "--topic", "events", "--to-earliest", "--execute"],
    )
    .expect_code(0);
    assert_eq!(
        committed(&broker, "live"),
        vec![("events".into(), 0, Some(0)), ("events".into(), 1, Some(0))]
    );
}

#[test]
fn every_reset_spec_moves_the_offsets_and_a_dry_run_moves_nothing() {
    let broker = Broker::start_with(&["--partitions", "2"]);
    // Ten records a second apart on partition 0, and three on partition 1.
    let base = 1_700_000_000_000i64;
    let timed: String = (0..10)
        .map(|i| format!("{{\"value\":\"v{i}\",\"timestamp\":{}}}\n", base + i * 1000))
        .collect();
    produce(
        &broker,
        "r",
        &["-p", "0", "--format", "json"],
        timed.as_bytes(),
    )
    .expect_code(0);
    produce(&broker, "r", &["-p", "1"], &lines(0..3)).expect_code(0);
    consume(&broker, &["-g", "g", "r", "--from-beginning", "-n", "13"]).expect_code(0);
    let at = |p0: i64, p1: i64| {
        vec![
            ("r".to_string(), 0, Some(p0)),
            ("r".to_string(), 1, Some(p1)),
        ]
    };
    assert_eq!(committed(&broker, "g"), at(10, 3));

    let reset = |args: &[&str]| {
        let mut all = vec!["g"];
        all.extend_from_slice(args);
        groups(&broker, "reset-offsets", &all)
    };
    let plan = |run: Run| -> (bool, Vec<(i64, Option<i64>, i64)>) {
        let v = json(&run.expect_code(0));
        let parts = v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["partition"].as_i64().unwrap(),
                    p["current_offset"].as_i64(),
                    p["new_offset"].as_i64().unwrap(),
                )
            })
            .collect();
        (v["executed"].as_bool().unwrap(), parts)
    };

    // A dry run (the default) says so and commits nothing.
    let run = reset(&["--topic", "r", "--to-earliest"]).expect_code(0);
    assert!(run.stderr.contains("Dry run"), "{}", run.stderr);
    assert_eq!(
        rows(&run),
        vec![
            vec![
                "GROUP",
                "TOPIC",
                "PARTITION",
                "CURRENT-OFFSET",
                "NEW-OFFSET"
            ],
            vec!["g", "r", "0", "10", "0"],
            vec!["g", "r", "1", "3", "0"]
        ]
    );
    assert_eq!(committed(&broker, "g"), at(10, 3));
    assert_eq!(
        plan(reset(&[
            "--all-topics",
            "--to-offset",
            "4",
            "--dry-run",
            "--output",
            "json"
        ])),
        (false, vec![(0, Some(10), 4), (1, Some(3), 3)])
    );
    assert_eq!(committed(&broker, "g"), at(10, 3));

    // Each spec, executed.
    let run = reset(&["--topic", "r", "--to-earliest", "--execute"]).expect_code(0);
    assert!(run.stderr.contains("Committed"), "{}", run.stderr);
    assert_eq!(committed(&broker, "g"), at(0, 0));
    reset(&["--topic", "r:0", "--to-latest", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(10, 0));
    // --to-offset stays inside the log: 7 on partition 0, 3 (its end) on 1.
    reset(&["--all-topics", "--to-offset", "7", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(7, 3));
    reset(&["--topic", "r", "--shift-by", "-2", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(5, 1));
    reset(&["--topic", "r:1", "--shift-by", "1", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(5, 2));
    assert_eq!(
        plan(reset(&[
            "--all-topics",
            "--to-current",
            "--execute",
            "--output",
            "json"
        ])),
        (true, vec![(0, Some(5), 5), (1, Some(2), 2)])
    );
    assert_eq!(committed(&broker, "g"), at(5, 2));
    // The first record at or after 2.5 s past the base is offset 3.
    let when = (base + 2500).to_string();
    reset(&["--topic", "r:0", "--to-datetime", &when, "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(3, 2));
    // The base is 2023-11-14T22:13:20Z; six seconds later is offset 6.
    reset(&[
        "--topic",
        "r:0",
        "--to-datetime",
        "2023-11-14T22:13:26Z",
        "--execute",
    ])
    .expect_code(0);
    assert_eq!(committed(&broker, "g"), at(6, 2));
    // Every record on partition 0 is from 2023: a day back finds none, so
    // the end; ten thousand days back finds them all.
    reset(&["--topic", "r:0", "--by-duration", "P1D", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(10, 2));
    reset(&["--topic", "r:0", "--by-duration", "P10000D", "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(0, 2));

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("offsets.csv");
    std::fs::write(&csv, "r,0,6\nr,1,1\n").unwrap();
    let csv = csv.to_str().unwrap();
    reset(&["--from-file", csv]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(0, 2), "dry run");
    reset(&["--from-file", csv, "--execute"]).expect_code(0);
    assert_eq!(committed(&broker, "g"), at(6, 1));

    // Bad input is named.
    let run = reset(&["--to-earliest"]).expect_code(2);
    assert!(run.stderr.contains("--all-topics"), "{}", run.stderr);
    let run = reset(&["--topic", "r", "--to-earliest", "--to-latest"]).expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    let run = reset(&["--topic", "nope", "--to-earliest"]).expect_code(1);
    assert!(
        run.stderr.contains("topic 'nope' does not exist"),
        "{}",
        run.stderr
    );
    let run = reset(&["--topic", "r:9", "--to-earliest"]).expect_code(1);
    assert!(run.stderr.contains("partition 9"), "{}", run.stderr);
    let run = reset(&["--topic", "r", "--to-datetime", "yesterday"]).expect_code(2);
    assert!(
        run.stderr.contains("'yesterday' is not a date-time"),
        "{}",
        run.stderr
    );
    std::fs::write(dir.path().join("bad.csv"), "r;0;6\n").unwrap();
    let bad = dir.path().join("bad.csv");
    let run = reset(&["--from-file", bad.to_str().unwrap()]).expect_code(1);
    assert!(run.stderr.contains("line 1"), "{}", run.stderr);
    assert_eq!(committed(&broker, "g"), at(6, 1));
}

#[test]
fn delete_and_delete_offsets_remove_what_they_name() {
    let broker = Broker::start_with(&["--partitions", "2"]);
    produce(&broker, "a", &["-p", "0"], &lines(0..4)).expect_code(0);
    produce(&broker, "a", &["-p", "1"], &lines(0..2)).expect_code(0);
    produce(&broker, "b", &["-p", "1"], &lines(0..2)).expect_code(0);
    consume(
        &broker,
        &["-g", "g1", "a", "b", "--from-beginning", "-n", "8"],
    )
    .expect_code(0);
    consume(&broker, &["-g", "g2", "a", "--from-beginning", "-n", "6"]).expect_code(0);

    let run = groups(
        &broker,
        "delete-offsets",
        &["g1", "--topic", "a:0", "--topic", "b"],
    )
    .expect_code(0);
    assert_eq!(
        rows(&run),
        vec![
            vec!["TOPIC", "PARTITION", "STATUS"],
            vec!["a", "0", "Successful"],
            vec!["b", "0", "Successful"],
            vec!["b", "1", "Successful"]
        ]
    );
    assert_eq!(
        committed(&broker, "g1"),
        vec![("a".to_string(), 1, Some(2))]
    );
    let run = groups(&broker, "delete-offsets", &["ghost", "--topic", "a"]).expect_code(1);
    assert!(
        run.stderr.contains("'ghost' does not exist"),
        "{}",
        run.stderr
    );

    let run = groups(&broker, "delete", &["g1", "g2"]).expect_code(0);
    assert_eq!(
        run.lines(),
        [
            "Deleted consumer group 'g1'.",
            "Deleted consumer group 'g2'."
        ]
    );
    let listed = json(&groups(&broker, "list", &["--output", "json"]).expect_code(0));
    assert_eq!(listed, serde_json::json!([]));
    let run = groups(&broker, "delete", &["g1", "--output", "json"]).expect_code(1);
    assert_eq!(
        json(&run),
        serde_json::json!([{"group": "g1", "error": "it does not exist"}])
    );
    assert!(
        run.stderr.contains("cannot delete group 'g1'"),
        "{}",
        run.stderr
    );
}

/// `dq consume --group-protocol consumer` joins under KIP-848, and `dq
/// groups` lists and describes that group with its epochs, which only
/// ConsumerGroupDescribe reports.
#[test]
fn consumer_protocol_groups_are_listed_and_described_with_their_epochs() {
    let broker = Broker::start_with(&[
        "--partitions",
        "2",
        "--group-consumer-heartbeat-interval",
        "200ms",
    ]);
    produce(&broker, "jobs", &["-p", "0"], &lines(0..3)).expect_code(0);
    let mut member = Member::start_with(
        &broker,
        "workers",
        "jobs",
        &["--group-protocol", "consumer"],
    );
    // Joined is not yet reconciled: wait until the member owns its target.
    wait_for("the member to own both partitions", || {
        let d = describe(&broker, "workers");
        d["members"][0]["assignment"]
            == serde_json::json!([{"topic": "jobs", "partitions": [0, 1]}])
    });
    let d = describe(&broker, "workers");
    assert_eq!(d["type"], "consumer", "{d}");
    assert_eq!(d["protocol"], "uniform", "{d}");
    let group_epoch = d["group_epoch"]
        .as_i64()
        .expect("a consumer group has an epoch");
    assert!(group_epoch >= 1, "{d}");
    assert_eq!(d["assignment_epoch"].as_i64(), Some(group_epoch), "{d}");
    assert_eq!(
        d["members"][0]["member_epoch"].as_i64(),
        Some(group_epoch),
        "{d}"
    );
    assert_eq!(
        d["members"][0]["target_assignment"],
        d["members"][0]["assignment"]
    );

    let list = rows(&groups(&broker, "list", &[]).expect_code(0));
    assert!(
        list.contains(&vec![
            "workers".into(),
            "consumer".into(),
            "Stable".into(),
            "consumer".into(),
            "uniform".into(),
            "1".into()
        ]),
        "{list:?}"
    );
    let run = groups(&broker, "describe", &["workers", "--state"]).expect_code(0);
    let epoch = group_epoch.to_string();
    assert_eq!(
        rows(&run),
        vec![
            vec![
                "GROUP",
                "TYPE",
                "ASSIGNMENT-STRATEGY",
                "STATE",
                "#MEMBERS",
                "GROUP-EPOCH",
                "TARGET-ASSIGNMENT-EPOCH"
            ],
            vec![
                "workers",
                "consumer",
                "uniform",
                "Stable",
                "1",
                epoch.as_str(),
                epoch.as_str()
            ]
        ]
    );
    let run = groups(&broker, "describe", &["workers", "--members", "-v"]).expect_code(0);
    let table = rows(&run);
    assert_eq!(
        table[0],
        [
            "GROUP",
            "CONSUMER-ID",
            "GROUP-INSTANCE-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
            "CURRENT-EPOCH",
            "CURRENT-ASSIGNMENT",
            "TARGET-EPOCH",
            "TARGET-ASSIGNMENT"
        ]
    );
    assert_eq!(
        table[1][2..],
        [
            "-",
            "127.0.0.1",
            "dq",
            "2",
            epoch.as_str(),
            "jobs(0,1)",
            epoch.as_str(),
            "jobs(0,1)"
        ],
        "{table:?}"
    );
    // A member of the group blocks an offset reset, whichever protocol.
    let run = groups(
        &broker,
        "reset-offsets",
        &[
            "workers",
            "--topic",
            "jobs",
            "--to-earliest",
            "--execute",
            "-y",
        ],
    )
    .expect_code(1);
    assert!(run.stderr.contains("active member"), "{}", run.stderr);
    member.stop();
}
