//! Consumer groups through real clients: partitions split across members of
//! rdkafka and confluent_kafka, failover after SIGKILL from the committed
//! offset, independent groups, and committed offsets that survive a broker
//! crash.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::Message;

use crate::support::*;

fn create_topic(broker: &Broker, name: &str, partitions: i32) {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    let admin: AdminClient<rdkafka::client::DefaultClientContext> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt
        .block_on(admin.create_topics(
            &[NewTopic::new(name, partitions, TopicReplication::Fixed(1))],
            &AdminOptions::new(),
        ))
        .unwrap();
    r[0].as_ref().unwrap();
}

fn group_consumer(broker: &Broker, group: &str, topic: &str) -> BaseConsumer {
    let c: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "6000")
        .set("heartbeat.interval.ms", "500")
        .create()
        .unwrap();
    c.subscribe(&[topic]).unwrap();
    c
}

fn assigned(c: &BaseConsumer) -> BTreeSet<i32> {
    c.assignment()
        .unwrap()
        .elements()
        .iter()
        .map(|e| e.partition())
        .collect()
}

/// A confluent_kafka member running `tests/compat/group_member.py`.
struct PyMember {
    child: Child,
    lines: mpsc::Receiver<serde_json::Value>,
}

impl PyMember {
    fn start(broker: &Broker, group: &str, topic: &str) -> PyMember {
        let mut child = crate::support::compat_python("group_member.py")
            .args([&broker.bootstrap(), group, topic])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let v: serde_json::Value =
                    serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        PyMember { child, lines }
    }

    /// Lines until `until` says stop, or panics after 60 s.
    fn read_until(
        &self,
        mut until: impl FnMut(&serde_json::Value) -> bool,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self.lines.recv_timeout(left).unwrap_or_else(|_| {
                panic!("confluent_kafka member: condition not met in 60 s; saw {seen:?}")
            });
            let done = until(&v);
            seen.push(v);
            if done {
                return seen;
            }
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PyMember {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Polls every rdkafka consumer until `done` holds for their assignments.
fn poll_until(consumers: &[&BaseConsumer], mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "group did not settle within 60 s"
        );
        for c in consumers {
            if let Some(Err(e)) = c.poll(Duration::from_millis(50)) {
                panic!("consumer error: {e}");
            }
        }
    }
}

#[test]
fn three_members_of_two_client_libraries_split_six_partitions() {
    let broker = Broker::start();
    create_topic(&broker, "six", 6);
    let a = group_consumer(&broker, "split", "six");
    let b = group_consumer(&broker, "split", "six");
    let py = PyMember::start(&broker, "split", "six");
    let mut py_assigned = BTreeSet::new();
    poll_until(&[&a, &b], || {
        while let Ok(v) = py.lines.try_recv() {
            if let Some(ps) = v.get("assigned") {
                py_assigned = ps
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_i64().unwrap() as i32)
                    .collect();
            }
        }
        let (x, y) = (assigned(&a), assigned(&b));
        x.len() + y.len() + py_assigned.len() == 6
            && !x.is_empty()
            && !y.is_empty()
            && !py_assigned.is_empty()
    });
    let mut all: Vec<i32> = assigned(&a)
        .into_iter()
        .chain(assigned(&b))
        .chain(py_assigned.iter().copied())
        .collect();
    all.sort();
    assert_eq!(
        all,
        (0..6).collect::<Vec<_>>(),
        "each partition is assigned exactly once"
    );
}

#[test]
fn a_killed_member_s_partitions_move_on_from_the_committed_offset() {
    let broker = Broker::start();
    create_topic(&broker, "fail", 2);
    let p = producer(&broker, &[]);
    for partition in 0..2 {
        let values: Vec<Vec<u8>> = (0..50)
            .map(|i| format!("p{partition}-{i}").into_bytes())
            .collect();
        produce_all(&p, "fail", partition, &values);
    }
    let mut first = PyMember::start(&broker, "fo", "fail");
    // Let it own both partitions and commit part of them.
    let seen = first.read_until(|v| {
        v.get("committed")
            .is_some_and(|c| c[1].as_i64() == Some(20))
    });
    first.kill();
    // The member may have gone on a little before the kill: take every line
    // it printed. Its last "committed" line is a lower bound of what the
    // broker holds (a commit may have landed without its line being
    // printed); one past its last printed record is the upper bound.
    let mut lines = seen;
    lines.extend(first.lines.iter());
    let mut committed: BTreeMap<i64, i64> = BTreeMap::new();
    let mut printed_end: BTreeMap<i64, i64> = BTreeMap::new();
    for v in &lines {
        if let Some(c) = v.get("committed") {
            committed.insert(c[0].as_i64().unwrap(), c[1].as_i64().unwrap());
        }
        if let (Some(p), Some(o)) = (v.get("p"), v.get("o")) {
            printed_end.insert(p.as_i64().unwrap(), o.as_i64().unwrap() + 1);
        }
    }
    let started = Instant::now();
    let second = PyMember::start(&broker, "fo", "fail");
    let mut first_offset: BTreeMap<i64, i64> = BTreeMap::new();
    let mut last: BTreeMap<i64, i64> = BTreeMap::new();
    second.read_until(|v| {
        if let (Some(p), Some(o)) = (v.get("p"), v.get("o")) {
            let (p, o) = (p.as_i64().unwrap(), o.as_i64().unwrap());
            first_offset.entry(p).or_insert(o);
            last.insert(p, o);
        }
        (0..2).all(|p| last.get(&p) == Some(&49))
    });
    for p in 0..2 {
        let low = committed.get(&p).copied().unwrap_or(0);
        let high = printed_end.get(&p).copied().unwrap_or(0).max(low);
        assert!(
            (low..=high).contains(&first_offset[&p]),
            "partition {p} resumes at the committed offset ({low}..={high}), not at {}",
            first_offset[&p]
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "taken over within the session timeout plus a rebalance"
    );
}

#[test]
fn two_groups_each_get_every_record() {
    let broker = Broker::start();
    create_topic(&broker, "both", 3);
    let p = producer(&broker, &[]);
    for partition in 0..3 {
        produce_all(
            &p,
            "both",
            partition,
            &[format!("r{partition}").into_bytes()],
        );
    }
    for group in ["g1", "g2"] {
        let c = group_consumer(&broker, group, "both");
        let mut got = BTreeSet::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while got.len() < 3 {
            assert!(Instant::now() < deadline, "{group} got only {got:?}");
            if let Some(m) = c.poll(Duration::from_millis(100)) {
                let m = m.unwrap();
                got.insert(String::from_utf8(m.payload().unwrap().to_vec()).unwrap());
            }
        }
        assert_eq!(got, ["r0", "r1", "r2"].map(String::from).into());
    }
}

#[test]
fn committed_offsets_survive_a_broker_sigkill() {
    let mut broker = Broker::start();
    create_topic(&broker, "keep", 1);
    let p = producer(&broker, &[]);
    let values: Vec<Vec<u8>> = (0..10).map(|i| format!("v{i}").into_bytes()).collect();
    produce_all(&p, "keep", 0, &values);
    drop(p);
    {
        let c = group_consumer(&broker, "durable", "keep");
        let mut read = 0;
        let deadline = Instant::now() + Duration::from_secs(60);
        while read < 4 {
            assert!(Instant::now() < deadline);
            if let Some(m) = c.poll(Duration::from_millis(100)) {
                let m = m.unwrap();
                read += 1;
                c.commit_message(&m, CommitMode::Sync).unwrap();
            }
        }
        c.unsubscribe();
    }
    let data_dir = broker.data_dir.clone();
    broker.kill();

    let broker = Broker::start_in(&data_dir, &[]);
    assert!(
        broker.log().contains("loaded committed offsets"),
        "{}",
        broker.log()
    );
    let c = group_consumer(&broker, "durable", "keep");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "no record after restart");
        if let Some(m) = c.poll(Duration::from_millis(100)) {
            let m = m.unwrap();
            assert_eq!(m.offset(), 4, "resumes at the committed offset");
            break;
        }
    }
}
