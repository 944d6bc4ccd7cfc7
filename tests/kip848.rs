//! Kafka 4's consumer group protocol (KIP-848, `group.protocol=consumer`):
//! confluent_kafka members in separate processes split a topic, take
//! partitions from each other, leave and are SIGKILLed, with no record lost
//! and no partition owned by two members at once; and the wire-level rules
//! (member epochs on offset commits, one group id for both kinds of group,
//! ConsumerGroupDescribe, ListGroups v5).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kafka_protocol::messages::consumer_group_heartbeat_request::TopicPartitions;
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestGroup;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use serde_json::Value;

use crate::support::*;

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64
}

fn create_topic(s: &mut TcpStream, name: &str, partitions: i32) -> uuid::Uuid {
    let r = call(
        s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(text(name)))
            .with_num_partitions(partitions)
            .with_replication_factor(1)]),
        7,
    );
    assert_eq!(r.topics[0].error_code, 0, "{:?}", r.topics[0].error_message);
    r.topics[0].topic_id
}

/// A confluent_kafka consumer with group.protocol=consumer, running
/// `tests/compat/kip848_member.py` in its own process.
struct Member {
    name: &'static str,
    child: Child,
    lines: mpsc::Receiver<Value>,
    log: Vec<Value>,
    /// (topic, partition) it owns now, as its callbacks said.
    owned: BTreeSet<(String, i64)>,
    /// Wall-clock time of a SIGKILL: the end of whatever it owned.
    killed_at: Option<i64>,
    exited: bool,
}

impl Member {
    fn start(name: &'static str, broker: &Broker, group: &str, topic: &str) -> Member {
        Member::start_static(name, broker, group, topic, None)
    }

    fn start_static(
        name: &'static str,
        broker: &Broker,
        group: &str,
        topic: &str,
        instance: Option<&str>,
    ) -> Member {
        let mut child = crate::support::compat_python("kip848_member.py")
            .args([&broker.bootstrap(), group, topic])
            .args(instance)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let v: Value =
                    serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Member {
            name,
            child,
            lines,
            log: Vec::new(),
            owned: BTreeSet::new(),
            killed_at: None,
            exited: false,
        }
    }

    /// Takes in what the member printed so far.
    fn pump(&mut self) {
        loop {
            match self.lines.try_recv() {
                Ok(v) => {
                    let ps = |k: &str| tps(&v, k);
                    self.owned.extend(ps("assigned"));
                    for p in ps("revoked").into_iter().chain(ps("lost")) {
                        self.owned.remove(&p);
                    }
                    self.log.push(v);
                }
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.exited = true;
                    return;
                }
            }
        }
    }

    fn sigterm(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    fn sigkill(&mut self) {
        self.pump();
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.killed_at = Some(now_ns());
        // Lines printed before the kill are in the pipe still.
        while let Ok(v) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.log.push(v);
        }
        self.exited = true;
        self.owned.clear();
    }

    /// The values of the records it consumed.
    fn consumed(&self) -> Vec<String> {
        self.log
            .iter()
            .filter_map(|v| Some(v.get("v")?.as_str()?.to_string()))
            .collect()
    }

    /// Per partition, the wall-clock intervals [from, to] it owned it.
    fn ownership(&self) -> Vec<((String, i64), i64, i64)> {
        let mut open: BTreeMap<(String, i64), i64> = BTreeMap::new();
        let mut out = Vec::new();
        for v in &self.log {
            let t = v["t"].as_i64().unwrap();
            for tp in tps(v, "assigned") {
                open.insert(tp, t);
            }
            for tp in tps(v, "revoked").into_iter().chain(tps(v, "lost")) {
                if let Some(from) = open.remove(&tp) {
                    out.push((tp, from, t));
                }
            }
        }
        let end = self.killed_at.unwrap_or(i64::MAX);
        out.extend(open.into_iter().map(|(p, from)| (p, from, end)));
        out
    }
}

/// From when to when (wall-clock ns) which member owned a partition.
type Owned<'a> = (i64, i64, &'a str);

/// The `[topic, partition]` pairs under `key` of one line.
fn tps(v: &Value, key: &str) -> Vec<(String, i64)> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|tp| (tp[0].as_str().unwrap().to_string(), tp[1].as_i64().unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

/// The partitions of `topic` in an owned set.
fn of(owned: &BTreeSet<(String, i64)>, topic: &str) -> Vec<i64> {
    owned
        .iter()
        .filter(|(t, _)| t == topic)
        .map(|(_, p)| *p)
        .collect()
}

impl Drop for Member {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Takes in every member's lines until `done` holds, or panics after 60 s.
fn wait_for(members: &mut [&mut Member], what: &str, mut done: impl FnMut(&[&mut Member]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        for m in members.iter_mut() {
            m.pump();
        }
        if done(members) {
            return;
        }
        if Instant::now() > deadline {
            let state: Vec<String> = members
                .iter()
                .map(|m| {
                    format!(
                        "{}: owns {:?}, last lines {:?}",
                        m.name,
                        m.owned,
                        m.log.iter().rev().take(5).collect::<Vec<_>>()
                    )
                })
                .collect();
            panic!("not reached within 60 s: {what}; {state:#?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The owned sets are disjoint and together cover `0..partitions` of "kt".
fn split(members: &[&mut Member], partitions: i64) -> bool {
    let mut all = Vec::new();
    for m in members {
        all.extend(of(&m.owned, "kt"));
    }
    all.sort_unstable();
    all == (0..partitions).collect::<Vec<_>>()
}

fn produce_round(
    broker: &Broker,
    topic: &str,
    partitions: i32,
    round: &str,
    n: usize,
) -> Vec<String> {
    let p = producer(broker, &[]);
    let mut all = Vec::new();
    for partition in 0..partitions {
        let values: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("{round}-p{partition}-{i}").into_bytes())
            .collect();
        produce_all(&p, topic, partition, &values);
        all.extend(values.into_iter().map(|v| String::from_utf8(v).unwrap()));
    }
    all
}

#[test]
fn consumer_protocol_members_join_leave_and_die_without_losing_or_sharing_partitions() {
    const PARTITIONS: i32 = 6;
    let broker = Broker::start_with(&[
        "--group-consumer-session-timeout",
        "6s",
        "--group-consumer-heartbeat-interval",
        "300ms",
    ]);
    let mut s = broker.connect();
    create_topic(&mut s, "kt", PARTITIONS);
    let mut produced = produce_round(&broker, "kt", PARTITIONS, "r1", 20);

    let mut a = Member::start("a", &broker, "g848", "kt");
    let mut b = Member::start("b", &broker, "g848", "kt");
    wait_for(&mut [&mut a, &mut b], "a and b split the topic", |ms| {
        split(ms, 6) && ms.iter().all(|m| !m.owned.is_empty())
    });

    let mut c = Member::start("c", &broker, "g848", "kt");
    wait_for(&mut [&mut a, &mut b, &mut c], "c takes partitions", |ms| {
        split(ms, 6) && ms.iter().all(|m| m.owned.len() == 2)
    });
    produced.extend(produce_round(&broker, "kt", PARTITIONS, "r2", 20));

    // b leaves cleanly: its partitions go to a and c.
    b.sigterm();
    wait_for(
        &mut [&mut a, &mut b, &mut c],
        "b leaves, a and c take over",
        |ms| {
            let mut all: Vec<i64> = of(&ms[0].owned, "kt")
                .into_iter()
                .chain(of(&ms[2].owned, "kt"))
                .collect();
            all.sort_unstable();
            ms[1].exited && ms[1].owned.is_empty() && all == (0..6).collect::<Vec<_>>()
        },
    );

    // c dies without a word: after the session timeout a has everything.
    c.sigkill();
    let killed = Instant::now();
    wait_for(&mut [&mut a], "a takes over c's partitions", |ms| {
        ms[0].owned.len() == 6
    });
    assert!(
        killed.elapsed() >= Duration::from_secs(5),
        "c's partitions were reassigned before its session timed out ({:?})",
        killed.elapsed()
    );
    produced.extend(produce_round(&broker, "kt", PARTITIONS, "r3", 20));

    // Every record produced is consumed at least once.
    let want: BTreeSet<String> = produced.iter().cloned().collect();
    wait_for(&mut [&mut a], "every record is consumed", |ms| {
        let got: BTreeSet<String> = ms[0]
            .consumed()
            .into_iter()
            .chain(b.consumed())
            .chain(c.consumed())
            .collect();
        want.is_subset(&got)
    });

    // ConsumerGroupDescribe sees one stable member with all six partitions.
    let described = call(
        &mut s,
        &ConsumerGroupDescribeRequest::default()
            .with_group_ids(vec![GroupId(text("g848"))])
            .with_include_authorized_operations(true),
        1,
    );
    let g = &described.groups[0];
    assert_eq!(g.error_code, 0, "{:?}", g.error_message);
    assert_eq!(g.group_state.as_str(), "Stable");
    assert_eq!(g.assignor_name.as_str(), "uniform");
    assert_eq!(g.members.len(), 1);
    assert_eq!(g.members[0].member_epoch, g.group_epoch);
    assert_eq!(g.assignment_epoch, g.group_epoch);
    let parts: usize = g.members[0]
        .assignment
        .topic_partitions
        .iter()
        .map(|tp| {
            assert_eq!(tp.topic_name.as_str(), "kt");
            tp.partitions.len()
        })
        .sum();
    assert_eq!(parts, 6);
    assert_ne!(g.authorized_operations, i32::MIN, "asked for, so given");

    a.sigterm();
    wait_for(&mut [&mut a], "a closes", |ms| ms[0].exited);

    // No partition was owned by two members at once: each member's
    // ownership ends (revocation callback, or SIGKILL) before the next
    // member's begins.
    let mut intervals: BTreeMap<(String, i64), Vec<Owned>> = BTreeMap::new();
    for m in [&a, &b, &c] {
        for (p, from, to) in m.ownership() {
            intervals.entry(p).or_default().push((from, to, m.name));
        }
    }
    for (p, list) in &mut intervals {
        list.sort();
        for w in list.windows(2) {
            assert!(
                w[0].1 <= w[1].0,
                "partition {p:?} owned by {} until {} and by {} from {}",
                w[0].2,
                w[0].1,
                w[1].2,
                w[1].0
            );
        }
    }
    // Each record was consumed by a member while it owned its partition.
    for m in [&a, &b, &c] {
        let own = m.ownership();
        for v in &m.log {
            if let (Some(topic), Some(p), Some(t)) = (
                v.get("topic").and_then(Value::as_str),
                v.get("p").and_then(Value::as_i64),
                v["t"].as_i64(),
            ) {
                assert!(
                    own.iter().any(|((ot, op), from, to)| ot == topic
                        && *op == p
                        && *from <= t
                        && t <= *to),
                    "{} consumed {v} outside its ownership {own:?}",
                    m.name
                );
            }
        }
    }
    // The committed offsets reached the end of every partition.
    let fetched = call(
        &mut s,
        &OffsetFetchRequest::default().with_groups(vec![OffsetFetchRequestGroup::default()
            .with_group_id(GroupId(text("g848")))
            .with_member_epoch(-1)
            .with_topics(None)]),
        9,
    );
    let committed: BTreeMap<i32, i64> = fetched.groups[0].topics[0]
        .partitions
        .iter()
        .map(|p| (p.partition_index, p.committed_offset))
        .collect();
    assert_eq!(committed, (0..PARTITIONS).map(|p| (p, 60)).collect());
}

fn heartbeat(
    s: &mut TcpStream,
    req: ConsumerGroupHeartbeatRequest,
) -> ConsumerGroupHeartbeatResponse {
    call(s, &req, 1)
}

fn join_request(group: &str, member: &str, topics: &[&str]) -> ConsumerGroupHeartbeatRequest {
    ConsumerGroupHeartbeatRequest::default()
        .with_group_id(GroupId(text(group)))
        .with_member_id(text(member))
        .with_member_epoch(0)
        .with_rebalance_timeout_ms(30_000)
        .with_subscribed_topic_names(Some(topics.iter().map(|t| TopicName(text(t))).collect()))
        .with_topic_partitions(Some(Vec::new()))
}

fn commit(s: &mut TcpStream, group: &str, member: &str, epoch: i32) -> i16 {
    let r = call(
        s,
        &OffsetCommitRequest::default()
            .with_group_id(GroupId(text(group)))
            .with_member_id(text(member))
            .with_generation_id_or_member_epoch(epoch)
            .with_topics(vec![OffsetCommitRequestTopic::default()
                .with_name(TopicName(text("wt")))
                .with_partitions(vec![OffsetCommitRequestPartition::default()
                    .with_partition_index(0)
                    .with_committed_offset(0)])]),
        9,
    );
    r.topics[0].partitions[0].error_code
}

/// A classic JoinGroup v5, with the MEMBER_ID_REQUIRED round trip.
fn classic_join(s: &mut TcpStream, group: &str) -> JoinGroupResponse {
    let mut req = JoinGroupRequest::default()
        .with_group_id(GroupId(text(group)))
        .with_session_timeout_ms(10_000)
        .with_rebalance_timeout_ms(10_000)
        .with_protocol_type(text("consumer"))
        .with_protocols(vec![JoinGroupRequestProtocol::default()
            .with_name(text("range"))
            .with_metadata(bytes::Bytes::from_static(b"m"))]);
    let r = call(s, &req, 5);
    if r.error_code != 79 {
        return r;
    }
    req.member_id = r.member_id;
    call(s, &req, 5)
}

#[test]
fn the_wire_rules_of_consumer_groups() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let topic = create_topic(&mut s, "wt", 2);

    // v1: the member names itself; the first heartbeat gets everything.
    let r = heartbeat(&mut s, join_request("wg", "m1", &["wt"]));
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    assert_eq!(r.member_id.as_deref(), Some("m1"));
    assert_eq!(r.heartbeat_interval_ms, 5_000);
    let epoch = r.member_epoch;
    assert!(epoch > 0);
    let a = r.assignment.expect("a joining member gets its assignment");
    assert_eq!(a.topic_partitions.len(), 1);
    assert_eq!(a.topic_partitions[0].topic_id, topic);
    assert_eq!(a.topic_partitions[0].partitions, vec![0, 1]);

    // v0: the coordinator names the member when it sends no id.
    let r = call(&mut s, &join_request("wg", "", &["wt"]), 0);
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    let m2 = r.member_id.unwrap().to_string();
    assert!(!m2.is_empty());
    // v1 requires one.
    let r = heartbeat(&mut s, join_request("wg", "", &["wt"]));
    assert_eq!(r.error_code, 42, "INVALID_REQUEST");

    // m1 is asked to revoke one partition; until it reports it revoked, m2
    // does not get it.
    let owned = |ps: Vec<i32>| {
        Some(vec![TopicPartitions::default()
            .with_topic_id(topic)
            .with_partitions(ps)])
    };
    let r = heartbeat(
        &mut s,
        ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text("wg")))
            .with_member_id(text("m1"))
            .with_member_epoch(epoch)
            .with_rebalance_timeout_ms(-1)
            .with_topic_partitions(owned(vec![0, 1])),
    );
    assert_eq!(r.error_code, 0);
    assert_eq!(r.member_epoch, epoch, "an unrevoked member keeps its epoch");
    let kept = r.assignment.unwrap().topic_partitions[0].partitions.clone();
    assert_eq!(kept.len(), 1);

    // Offsets: the member's current epoch commits, others are stale.
    assert_eq!(commit(&mut s, "wg", "m1", epoch), 0);
    assert_eq!(
        commit(&mut s, "wg", "m1", epoch + 1),
        113,
        "STALE_MEMBER_EPOCH"
    );
    assert_eq!(commit(&mut s, "wg", "nobody", 1), 25, "UNKNOWN_MEMBER_ID");
    assert_eq!(
        commit(&mut s, "wg", "", -1),
        25,
        "no anonymous commit while members are in"
    );
    let fetch = |s: &mut TcpStream, member: &str, epoch: i32| {
        call(
            s,
            &OffsetFetchRequest::default().with_groups(vec![OffsetFetchRequestGroup::default()
                .with_group_id(GroupId(text("wg")))
                .with_member_id(Some(text(member)))
                .with_member_epoch(epoch)]),
            9,
        )
        .groups[0]
            .error_code
    };
    assert_eq!(fetch(&mut s, "m1", epoch), 0);
    assert_eq!(fetch(&mut s, "m1", epoch + 5), 113);
    assert_eq!(fetch(&mut s, "x", 3), 25);

    // Wrong epochs are fenced.
    let r = heartbeat(
        &mut s,
        ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text("wg")))
            .with_member_id(text("m1"))
            .with_member_epoch(epoch + 7)
            .with_rebalance_timeout_ms(-1),
    );
    assert_eq!(r.error_code, 110, "FENCED_MEMBER_EPOCH");

    // One group id for both kinds: a classic join is refused while the
    // consumer group has members.
    assert_eq!(
        classic_join(&mut s, "wg").error_code,
        23,
        "INCONSISTENT_GROUP_PROTOCOL"
    );

    // ListGroups v5 says which kind a group is, and filters by it.
    let listed = call(
        &mut s,
        &ListGroupsRequest::default().with_types_filter(vec![text("consumer")]),
        5,
    );
    let ids: Vec<(&str, &str)> = listed
        .groups
        .iter()
        .map(|g| (g.group_id.as_str(), g.group_type.as_str()))
        .collect();
    assert_eq!(ids, vec![("wg", "consumer")]);
    // DescribeGroups describes classic groups only: up to v5 Kafka 4 says
    // Dead, without an error, for a consumer group.
    let d = call(
        &mut s,
        &DescribeGroupsRequest::default().with_groups(vec![GroupId(text("wg"))]),
        5,
    );
    assert_eq!(d.groups[0].error_code, 0);
    assert_eq!(d.groups[0].group_state.as_str(), "Dead");
    assert!(d.groups[0].members.is_empty());

    // Both leave; the empty group converts to classic on a JoinGroup, and
    // the committed offset stays.
    for member in ["m1", m2.as_str()] {
        let leave = ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text("wg")))
            .with_member_id(text(member))
            .with_member_epoch(-1)
            .with_rebalance_timeout_ms(-1);
        let r = heartbeat(&mut s, leave);
        assert_eq!(r.error_code, 0, "{member} leaves: {:?}", r.error_message);
        assert_eq!(r.member_epoch, -1);
    }
    let j = classic_join(&mut s, "wg");
    assert_eq!(
        j.error_code, 0,
        "an empty consumer group converts to classic"
    );
    let listed = call(&mut s, &ListGroupsRequest::default(), 5);
    assert_eq!(listed.groups[0].group_type.as_str(), "classic");
    let kept = call(
        &mut s,
        &OffsetFetchRequest::default().with_groups(vec![OffsetFetchRequestGroup::default()
            .with_group_id(GroupId(text("wg")))
            .with_member_epoch(-1)
            .with_topics(None)]),
        9,
    );
    assert_eq!(
        kept.groups[0].topics[0].partitions[0].committed_offset, 0,
        "the offset committed by the consumer group is the classic group's"
    );
    // With a classic member in, the consumer protocol is refused.
    let r = heartbeat(&mut s, join_request("wg", "m3", &["wt"]));
    assert_eq!(r.error_code, 69, "GROUP_ID_NOT_FOUND");
}

#[test]
fn a_static_member_restarts_into_its_place_and_a_regex_picks_up_new_topics() {
    let broker = Broker::start_with(&[
        "--group-consumer-session-timeout",
        "10s",
        "--group-consumer-heartbeat-interval",
        "300ms",
    ]);
    let mut s = broker.connect();
    create_topic(&mut s, "rx-1", 2);
    create_topic(&mut s, "other", 2);
    let mut st = Member::start_static("static", &broker, "gs", "^rx-.*", Some("inst-1"));
    let mut o = Member::start("other", &broker, "gs", "^rx-.*");
    let covers = |ms: &[&mut Member], want: &[(&str, i64)]| {
        let mut all: Vec<(String, i64)> = ms.iter().flat_map(|m| m.owned.iter().cloned()).collect();
        all.sort();
        let want: Vec<(String, i64)> = want.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        all == want && ms.iter().all(|m| !m.owned.is_empty())
    };
    wait_for(&mut [&mut st, &mut o], "the two split rx-1", |ms| {
        covers(ms, &[("rx-1", 0), ("rx-1", 1)])
    });
    // A topic created later that matches the regex joins the assignment;
    // one that does not match stays out.
    create_topic(&mut s, "rx-2", 2);
    wait_for(&mut [&mut st, &mut o], "rx-2 is picked up", |ms| {
        covers(ms, &[("rx-1", 0), ("rx-1", 1), ("rx-2", 0), ("rx-2", 1)])
            && ms.iter().all(|m| m.owned.len() == 2)
    });
    let held = st.owned.clone();
    let others = o.owned.clone();
    let o_lines = o.log.len();

    // The static member closes (leaving with epoch -2) and a new process
    // with the same instance id takes its place and its partitions, without
    // the other member noticing.
    st.sigterm();
    wait_for(&mut [&mut st], "the static member closes", |ms| {
        ms[0].exited
    });
    let mut back = Member::start_static("back", &broker, "gs", "^rx-.*", Some("inst-1"));
    wait_for(
        &mut [&mut back, &mut o],
        "the restarted member gets its partitions",
        |ms| ms[0].owned == held,
    );
    o.pump();
    assert_eq!(o.owned, others);
    assert!(
        o.log[o_lines..]
            .iter()
            .all(|v| v.get("assigned").is_none() && v.get("revoked").is_none()),
        "the other member was not rebalanced: {:?}",
        &o.log[o_lines..]
    );
    let d = call(
        &mut s,
        &ConsumerGroupDescribeRequest::default().with_group_ids(vec![GroupId(text("gs"))]),
        0,
    );
    let g = &d.groups[0];
    assert_eq!(g.members.len(), 2);
    let regexes: BTreeSet<Option<String>> = g
        .members
        .iter()
        .map(|m| m.subscribed_topic_regex.as_ref().map(|r| r.to_string()))
        .collect();
    assert_eq!(regexes.len(), 1, "{regexes:?}");
    assert!(g
        .members
        .iter()
        .any(|m| m.instance_id.as_deref() == Some("inst-1")));
    assert_eq!(g.authorized_operations, i32::MIN, "not asked for");
}

#[test]
fn after_a_broker_restart_members_rejoin_and_find_their_committed_offsets() {
    // Membership is in memory; committed offsets are durable.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut broker = Broker::start_in(&data, &[]);
    let mut s = broker.connect();
    create_topic(&mut s, "wt", 2);
    let r = heartbeat(&mut s, join_request("rg", "m1", &["wt"]));
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    let epoch = r.member_epoch;
    assert_eq!(commit(&mut s, "rg", "m1", epoch), 0);
    drop(s);
    broker.stop();

    let broker = Broker::start_in(&data, &[]);
    let mut s = broker.connect();
    let r = heartbeat(
        &mut s,
        ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text("rg")))
            .with_member_id(text("m1"))
            .with_member_epoch(epoch)
            .with_rebalance_timeout_ms(-1),
    );
    assert_eq!(r.error_code, 25, "UNKNOWN_MEMBER_ID after a restart");
    let r = heartbeat(&mut s, join_request("rg", "m1", &["wt"]));
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    let parts: usize = r
        .assignment
        .unwrap()
        .topic_partitions
        .iter()
        .map(|tp| tp.partitions.len())
        .sum();
    assert_eq!(parts, 2);
    let fetched = call(
        &mut s,
        &OffsetFetchRequest::default().with_groups(vec![OffsetFetchRequestGroup::default()
            .with_group_id(GroupId(text("rg")))
            .with_member_id(Some(text("m1")))
            .with_member_epoch(r.member_epoch)
            .with_topics(None)]),
        9,
    );
    let g = &fetched.groups[0];
    assert_eq!(g.error_code, 0);
    assert_eq!(g.topics[0].name.as_str(), "wt");
    assert_eq!(g.topics[0].partitions[0].partition_index, 0);
    assert_eq!(g.topics[0].partitions[0].committed_offset, 0);
}
