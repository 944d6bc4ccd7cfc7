//! Share-partitions (KIP-932): confluent_kafka ShareConsumers share one
//! partition with every record accepted once; a released record comes back
//! with a higher delivery count until the limit archives it; a SIGKILLed
//! member's records go to the others when its locks expire; a broker
//! SIGKILL loses no acknowledgement and redelivers what was in flight. And
//! the wire-level rules: share session epochs, invalid acknowledgements,
//! the in-flight cap, and the share group offsets APIs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kafka_protocol::messages::alter_share_group_offsets_request::{
    AlterShareGroupOffsetsRequestPartition, AlterShareGroupOffsetsRequestTopic,
};
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::delete_share_group_offsets_request::DeleteShareGroupOffsetsRequestTopic;
use kafka_protocol::messages::describe_share_group_offsets_request::{
    DescribeShareGroupOffsetsRequestGroup, DescribeShareGroupOffsetsRequestTopic,
};
use kafka_protocol::messages::incremental_alter_configs_request::{
    AlterConfigsResource, AlterableConfig,
};
use kafka_protocol::messages::share_acknowledge_request::{
    AcknowledgePartition, AcknowledgeTopic, AcknowledgementBatch as AckBatch,
};
use kafka_protocol::messages::share_fetch_request::{
    AcknowledgementBatch, FetchPartition, FetchTopic,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use serde_json::Value;
use uuid::Uuid;

use crate::support::*;

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

fn create_topic(s: &mut TcpStream, name: &str, partitions: i32) -> Uuid {
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

/// Sets share group configs (GROUP config resources, type 32).
fn set_group_configs(s: &mut TcpStream, group: &str, configs: &[(&str, &str)]) {
    let r = call(
        s,
        &IncrementalAlterConfigsRequest::default().with_resources(vec![
            AlterConfigsResource::default()
                .with_resource_type(32)
                .with_resource_name(text(group))
                .with_configs(
                    configs
                        .iter()
                        .map(|(k, v)| {
                            AlterableConfig::default()
                                .with_name(text(k))
                                .with_config_operation(0)
                                .with_value(Some(text(v)))
                        })
                        .collect(),
                ),
        ]),
        1,
    );
    assert_eq!(
        r.responses[0].error_code, 0,
        "{:?}",
        r.responses[0].error_message
    );
}

/// Appends `values` to partition 0 of `topic`, `per_batch` records a batch.
fn produce(s: &mut TcpStream, topic: &str, values: &[String], per_batch: usize) {
    for chunk in values.chunks(per_batch) {
        let refs: Vec<&[u8]> = chunk.iter().map(|v| v.as_bytes()).collect();
        let batch = producer_batch(
            ProducerStamp {
                producer_id: -1,
                epoch: -1,
                first_sequence: -1,
                transactional: false,
            },
            &refs,
        );
        let r = call(s, &produce_request(topic, 0, batch, None), 9);
        let p = &r.responses[0].partition_responses[0];
        assert_eq!(p.error_code, 0, "{:?}", p.error_message);
    }
}

fn values(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("r{i}")).collect()
}

/// The share-partition start offset of `topic`-0 (-1 without state), or
/// the group's error.
fn start_offset(s: &mut TcpStream, group: &str, topic: &str) -> Result<i64, i16> {
    let r = call(
        s,
        &DescribeShareGroupOffsetsRequest::default().with_groups(vec![
            DescribeShareGroupOffsetsRequestGroup::default()
                .with_group_id(GroupId(text(group)))
                .with_topics(Some(vec![DescribeShareGroupOffsetsRequestTopic::default()
                    .with_topic_name(TopicName(text(topic)))
                    .with_partitions(vec![0])])),
        ]),
        0,
    );
    let g = &r.groups[0];
    if g.error_code != 0 {
        return Err(g.error_code);
    }
    let p = &g.topics[0].partitions[0];
    if p.error_code != 0 {
        return Err(p.error_code);
    }
    Ok(p.start_offset)
}

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A ShareConsumer in its own process (`tests/compat/share_queue.py`).
struct Member {
    child: Child,
    lines: mpsc::Receiver<Value>,
    /// (offset, value, delivery count) of every record it got, in order.
    records: Vec<(i64, String, i64)>,
    /// Offsets whose acknowledgement the broker confirmed, in order.
    acked: Vec<i64>,
    /// Everything it printed, for failure messages.
    log: Vec<Value>,
}

impl Member {
    fn start(broker: &Broker, group: &str, topic: &str, ack: &str, max_poll: usize) -> Member {
        let mut child = compat_python("share_queue.py")
            .args([
                &broker.bootstrap(),
                group,
                topic,
                ack,
                &max_poll.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let Ok(v) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Member {
            child,
            lines,
            records: Vec::new(),
            acked: Vec::new(),
            log: Vec::new(),
        }
    }

    fn pump(&mut self) {
        while let Ok(v) = self.lines.try_recv() {
            if let (Some(o), Some(n)) = (v["o"].as_i64(), v["n"].as_i64()) {
                let value = v["v"].as_str().unwrap_or_default().to_string();
                self.records.push((o, value, n));
            }
            if let Some(acked) = v["acked"].as_array() {
                self.acked.extend(acked.iter().filter_map(|o| o.as_i64()));
            }
            self.log.push(v);
        }
    }

    fn values(&self) -> BTreeSet<String> {
        self.records.iter().map(|(_, v, _)| v.clone()).collect()
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn tail(&self) -> String {
        let from = self.log.len().saturating_sub(20);
        format!("{:?}", &self.log[from..])
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until the share group has `n` members, each with an assignment.
fn wait_for_members(s: &mut TcpStream, group: &str, n: usize) {
    wait_until(
        &format!("{n} assigned members of {group}"),
        Duration::from_secs(60),
        || {
            let r = call(
                s,
                &ShareGroupDescribeRequest::default().with_group_ids(vec![GroupId(text(group))]),
                1,
            );
            let members = &r.groups[0].members;
            members.len() == n
                && members
                    .iter()
                    .all(|m| !m.assignment.topic_partitions.is_empty())
        },
    );
}

#[test]
fn three_share_consumers_accept_each_record_once() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "queue", 1);
    set_group_configs(
        &mut s,
        "workers",
        &[("share.auto.offset.reset", "earliest")],
    );
    let mut members: Vec<Member> = (0..3)
        .map(|_| Member::start(&broker, "workers", "queue", "accept", 20))
        .collect();
    wait_for_members(&mut s, "workers", 3);
    let all = values(0, 1000);
    produce(&mut s, "queue", &all, 10);
    wait_until("1000 records", Duration::from_secs(90), || {
        members.iter_mut().for_each(Member::pump);
        let got: BTreeSet<String> = members.iter().flat_map(|m| m.values()).collect();
        got.len() == all.len()
    });
    wait_until("every record accepted", Duration::from_secs(30), || {
        start_offset(&mut s, "workers", "queue") == Ok(1000)
    });
    members.iter_mut().for_each(Member::pump);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in &members {
        for (_, v, _) in &m.records {
            *seen.entry(v.clone()).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    let counts: Vec<usize> = members.iter().map(|m| m.records.len()).collect();
    assert!(
        counts.iter().all(|n| *n > 0),
        "every member should do work: {counts:?}"
    );
    assert_eq!(counts.iter().sum::<usize>(), 1000);
}

#[test]
fn release_redelivers_with_a_higher_count_until_the_limit_archives() {
    let broker = Broker::start_with(&["--share-delivery-count-limit", "3"]);
    let mut s = broker.connect();
    create_topic(&mut s, "retry", 1);
    set_group_configs(
        &mut s,
        "retriers",
        &[("share.auto.offset.reset", "earliest")],
    );
    let mut releaser = Member::start(&broker, "retriers", "retry", "release", 10);
    produce(&mut s, "retry", &["poison".to_string()], 1);
    // Archived at the third release: the start offset moves past it.
    wait_until("the record archived", Duration::from_secs(60), || {
        start_offset(&mut s, "retriers", "retry") == Ok(1)
    });
    releaser.pump();
    let counts: Vec<i64> = releaser
        .records
        .iter()
        .filter(|(o, _, _)| *o == 0)
        .map(|(_, _, n)| *n)
        .collect();
    assert_eq!(counts, vec![1, 2, 3], "{}", releaser.tail());
    // Nobody gets it again: a member that accepts gets the next record only.
    let mut acceptor = Member::start(&broker, "retriers", "retry", "accept", 10);
    produce(&mut s, "retry", &["after".to_string()], 1);
    wait_until("the next record", Duration::from_secs(60), || {
        acceptor.pump();
        releaser.pump();
        acceptor.values().contains("after") || releaser.records.iter().any(|(o, _, _)| *o == 1)
    });
    assert!(
        acceptor.records.iter().all(|(o, _, _)| *o != 0),
        "{}",
        acceptor.tail()
    );
    assert_eq!(
        releaser.records.iter().filter(|(o, _, _)| *o == 0).count(),
        3,
        "{}",
        releaser.tail()
    );
}

#[test]
fn a_killed_members_records_go_to_the_others_when_their_locks_expire() {
    let broker = Broker::start_with(&["--share-record-lock-duration", "2s"]);
    let mut s = broker.connect();
    create_topic(&mut s, "jobs", 1);
    set_group_configs(&mut s, "crew", &[("share.auto.offset.reset", "earliest")]);
    let mut holder = Member::start(&broker, "crew", "jobs", "hold", 50);
    produce(&mut s, "jobs", &values(0, 100), 10);
    wait_until("the holder's records", Duration::from_secs(60), || {
        holder.pump();
        !holder.records.is_empty()
    });
    holder.kill();
    holder.pump();
    let held: BTreeSet<i64> = holder.records.iter().map(|(o, _, _)| *o).collect();
    let mut other = Member::start(&broker, "crew", "jobs", "accept", 50);
    wait_until(
        "every record at the other member",
        Duration::from_secs(60),
        || {
            other.pump();
            other.values().len() == 100
        },
    );
    for (o, _, n) in &other.records {
        if held.contains(o) {
            assert!(
                *n >= 2,
                "offset {o} was held by the killed member: count {n}"
            );
        } else {
            assert_eq!(*n, 1, "offset {o}");
        }
    }
    wait_until("every record accepted", Duration::from_secs(30), || {
        start_offset(&mut s, "crew", "jobs") == Ok(100)
    });
}

#[test]
fn a_broker_sigkill_loses_no_acknowledgement_and_redelivers_what_was_in_flight() {
    let temp = tempfile::tempdir().unwrap();
    let mut broker = Broker::start_in(&temp.path().join("data"), &[]);
    let mut s = broker.connect();
    create_topic(&mut s, "stream", 1);
    set_group_configs(
        &mut s,
        "durable",
        &[("share.auto.offset.reset", "earliest")],
    );
    let mut m = Member::start(&broker, "durable", "stream", "accept", 10);
    let all = values(0, 1000);
    produce(&mut s, "stream", &all, 10);
    wait_until("300 records accepted", Duration::from_secs(60), || {
        m.pump();
        m.acked.len() >= 300
    });
    broker.kill();
    m.pump();
    let acked_before: BTreeSet<i64> = m.acked.iter().copied().collect();
    let seen_before = m.records.len();
    let listen = format!("127.0.0.1:{}", broker.port);
    let broker = Broker::start_in(&broker.data_dir, &["--listen", listen.as_str()]);
    let mut s = broker.connect();
    // The durable start offset covers at least the records acknowledged
    // in order from 0 before the crash.
    let mut prefix = 0;
    while acked_before.contains(&prefix) {
        prefix += 1;
    }
    let after = start_offset(&mut s, "durable", "stream").unwrap();
    assert!(
        after >= prefix,
        "start offset {after} after restart, acknowledged prefix {prefix}"
    );
    // Every record accepted: the start offset passes the last one. (An
    // acknowledgement written just before the crash may never have been
    // confirmed to the member: it counts, and the record is not redelivered.)
    let end = Instant::now() + Duration::from_secs(120);
    loop {
        m.pump();
        if start_offset(&mut s, "durable", "stream") == Ok(1000) {
            break;
        }
        assert!(
            Instant::now() < end,
            "not every record accepted after the restart; member: {}; broker log:\n{}",
            m.tail(),
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    m.pump();
    let redelivered: Vec<&(i64, String, i64)> = m.records[seen_before..]
        .iter()
        .filter(|(o, _, _)| acked_before.contains(o))
        .collect();
    assert!(
        redelivered.is_empty(),
        "accepted before the crash, delivered again: {redelivered:?}"
    );
    let delivered: BTreeSet<String> = m.values();
    assert_eq!(delivered.len(), all.len(), "records lost");
    // What was in flight at the crash came back (with the delivery count
    // last written: acquisitions are not written, as in Kafka), unless its
    // acknowledgement was written but never confirmed.
    let in_flight: Vec<i64> = m.records[..seen_before]
        .iter()
        .map(|(o, _, _)| *o)
        .filter(|o| !acked_before.contains(o))
        .collect();
    for o in &in_flight {
        let again = m.records[seen_before..].iter().any(|(p, _, _)| p == o);
        let failed_ack = m.log.iter().any(|v| {
            v["failed"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x.as_i64() == Some(*o)))
        });
        assert!(
            again || failed_ack,
            "offset {o} was in flight at the crash and never came back"
        );
    }
}

// ---- wire level ----

fn join(s: &mut TcpStream, group: &str, member: &str, topic: &str) {
    let r = call(
        s,
        &ShareGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text(group)))
            .with_member_id(text(member))
            .with_member_epoch(0)
            .with_subscribed_topic_names(Some(vec![TopicName(text(topic))])),
        1,
    );
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
}

fn leave(s: &mut TcpStream, group: &str, member: &str) {
    let r = call(
        s,
        &ShareGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text(group)))
            .with_member_id(text(member))
            .with_member_epoch(-1),
        1,
    );
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
}

/// A ShareFetch of partition 0 of `topic`, with acknowledgements
/// `(first, last, types)`, waiting at most 500 ms.
fn fetch(
    s: &mut TcpStream,
    group: &str,
    member: &str,
    epoch: i32,
    topic: Uuid,
    max_records: i32,
    acks: &[(i64, i64, Vec<i8>)],
) -> ShareFetchResponse {
    call(
        s,
        &ShareFetchRequest::default()
            .with_group_id(Some(GroupId(text(group))))
            .with_member_id(Some(text(member)))
            .with_share_session_epoch(epoch)
            .with_max_wait_ms(500)
            .with_min_bytes(1)
            .with_max_bytes(1 << 20)
            .with_max_records(max_records)
            .with_batch_size(max_records)
            .with_topics(vec![FetchTopic::default()
                .with_topic_id(topic)
                .with_partitions(vec![FetchPartition::default()
                    .with_partition_index(0)
                    .with_acknowledgement_batches(
                        acks.iter()
                            .map(|(f, l, t)| {
                                AcknowledgementBatch::default()
                                    .with_first_offset(*f)
                                    .with_last_offset(*l)
                                    .with_acknowledge_types(t.clone())
                            })
                            .collect(),
                    )])]),
        1,
    )
}

fn acknowledge(
    s: &mut TcpStream,
    group: &str,
    member: &str,
    epoch: i32,
    topic: Uuid,
    acks: &[(i64, i64, Vec<i8>)],
) -> ShareAcknowledgeResponse {
    call(
        s,
        &ShareAcknowledgeRequest::default()
            .with_group_id(Some(GroupId(text(group))))
            .with_member_id(Some(text(member)))
            .with_share_session_epoch(epoch)
            .with_topics(vec![AcknowledgeTopic::default()
                .with_topic_id(topic)
                .with_partitions(vec![AcknowledgePartition::default()
                    .with_partition_index(0)
                    .with_acknowledgement_batches(
                        acks.iter()
                            .map(|(f, l, t)| {
                                AckBatch::default()
                                    .with_first_offset(*f)
                                    .with_last_offset(*l)
                                    .with_acknowledge_types(t.clone())
                            })
                            .collect(),
                    )])]),
        1,
    )
}

/// The acquired ranges of the first partition of a fetch response.
fn acquired(r: &ShareFetchResponse) -> Vec<(i64, i64, i16)> {
    r.responses
        .iter()
        .flat_map(|t| t.partitions.iter())
        .flat_map(|p| p.acquired_records.iter())
        .map(|a| (a.first_offset, a.last_offset, a.delivery_count))
        .collect()
}

fn ack_code(r: &ShareFetchResponse) -> i16 {
    r.responses[0].partitions[0].acknowledge_error_code
}

#[test]
fn share_sessions_and_acknowledgements_on_the_wire() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let topic = create_topic(&mut s, "wire", 1);
    set_group_configs(&mut s, "gw", &[("share.auto.offset.reset", "earliest")]);
    produce(&mut s, "wire", &values(0, 10), 5);
    let (m1, m2) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());

    // Not a member yet: no session.
    let r = fetch(&mut s, "gw", &m1, 0, topic, 5, &[]);
    assert_eq!(r.error_code, ResponseError::UnknownMemberId.code());
    join(&mut s, "gw", &m1, "wire");
    let r = fetch(&mut s, "gw", &m1, 3, topic, 5, &[]);
    assert_eq!(r.error_code, ResponseError::ShareSessionNotFound.code());
    let r = acknowledge(&mut s, "gw", &m1, 0, topic, &[(0, 0, vec![1])]);
    assert_eq!(r.error_code, ResponseError::InvalidShareSessionEpoch.code());
    let r = fetch(&mut s, "gw", &m1, 0, topic, 5, &[(0, 0, vec![1])]);
    assert_eq!(r.error_code, ResponseError::InvalidRequest.code());

    // Epoch 0 opens the session: the first batch is acquired.
    let r = fetch(&mut s, "gw", &m1, 0, topic, 5, &[]);
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    assert_eq!(acquired(&r), vec![(0, 4, 1)]);
    assert_eq!(r.acquisition_lock_timeout_ms, 30_000);
    assert!(!r.responses[0].partitions[0]
        .records
        .as_ref()
        .unwrap()
        .is_empty());
    let r = fetch(&mut s, "gw", &m1, 2, topic, 5, &[]);
    assert_eq!(r.error_code, ResponseError::InvalidShareSessionEpoch.code());

    // Another member gets the next batch; neither may acknowledge the other's.
    join(&mut s, "gw", &m2, "wire");
    let r = fetch(&mut s, "gw", &m2, 0, topic, 5, &[]);
    assert_eq!(acquired(&r), vec![(5, 9, 1)]);
    let r = acknowledge(&mut s, "gw", &m1, 1, topic, &[(5, 5, vec![1])]);
    assert_eq!(r.error_code, 0);
    assert_eq!(
        r.responses[0].partitions[0].error_code,
        ResponseError::InvalidRecordState.code()
    );
    // A bad batch (last before first) is refused whole.
    let r = acknowledge(&mut s, "gw", &m1, 2, topic, &[(3, 2, vec![1])]);
    assert_eq!(
        r.responses[0].partitions[0].error_code,
        ResponseError::InvalidRequest.code()
    );

    // Accept 0-1, release 2, reject 3, gap 4: per-offset types.
    let r = acknowledge(&mut s, "gw", &m1, 3, topic, &[(0, 4, vec![1, 1, 2, 3, 0])]);
    assert_eq!(r.responses[0].partitions[0].error_code, 0);
    assert_eq!(start_offset(&mut s, "gw", "wire"), Ok(2));
    // The released record comes back with a higher delivery count,
    // acknowledged on the fetch that returns it.
    let r = fetch(&mut s, "gw", &m1, 4, topic, 5, &[]);
    assert_eq!(acquired(&r), vec![(2, 2, 2)]);
    let r = fetch(&mut s, "gw", &m1, 5, topic, 0, &[(2, 2, vec![1])]);
    assert_eq!(ack_code(&r), 0);
    assert_eq!(start_offset(&mut s, "gw", "wire"), Ok(5));

    // Epoch -1 ends the session with a last acknowledgement; m2's other
    // records are released when its session closes.
    let r = fetch(&mut s, "gw", &m2, -1, topic, 5, &[(5, 6, vec![1])]);
    assert_eq!(r.error_code, 0);
    assert_eq!(ack_code(&r), 0);
    assert!(acquired(&r).is_empty());
    let r = fetch(&mut s, "gw", &m2, 1, topic, 5, &[]);
    assert_eq!(r.error_code, ResponseError::ShareSessionNotFound.code());
    let mut epoch = 6;
    wait_until("m2's records released", Duration::from_secs(10), || {
        let r = fetch(&mut s, "gw", &m1, epoch, topic, 5, &[]);
        assert_eq!(r.error_code, 0, "{:?}", r.error_message);
        epoch += 1;
        acquired(&r) == vec![(7, 9, 2)]
    });
}

#[test]
fn the_in_flight_cap_bounds_acquisition() {
    let broker = Broker::start_with(&["--share-partition-max-record-locks", "100"]);
    let mut s = broker.connect();
    let topic = create_topic(&mut s, "capped", 1);
    set_group_configs(&mut s, "gc", &[("share.auto.offset.reset", "earliest")]);
    produce(&mut s, "capped", &values(0, 300), 10);
    let (a, b) = (Uuid::new_v4().to_string(), Uuid::new_v4().to_string());
    join(&mut s, "gc", &a, "capped");
    join(&mut s, "gc", &b, "capped");
    let r = fetch(&mut s, "gc", &a, 0, topic, 1000, &[]);
    assert_eq!(acquired(&r), vec![(0, 99, 1)]);
    let r = fetch(&mut s, "gc", &b, 0, topic, 1000, &[]);
    assert!(acquired(&r).is_empty(), "{:?}", acquired(&r));
    // Accepting the first ten moves the start: ten more may be in flight.
    let r = acknowledge(&mut s, "gc", &a, 1, topic, &[(0, 9, vec![1])]);
    assert_eq!(r.responses[0].partitions[0].error_code, 0);
    let r = fetch(&mut s, "gc", &b, 1, topic, 1000, &[]);
    assert_eq!(acquired(&r), vec![(100, 109, 1)]);
}

#[test]
fn share_group_offsets_can_be_described_altered_and_deleted() {
    let mut broker = Broker::start();
    let mut s = broker.connect();
    let topic = create_topic(&mut s, "ledger", 1);
    produce(&mut s, "ledger", &values(0, 20), 5);
    assert_eq!(
        start_offset(&mut s, "nobody", "ledger"),
        Err(ResponseError::GroupIdNotFound.code())
    );
    set_group_configs(&mut s, "go", &[("share.auto.offset.reset", "earliest")]);
    let m = Uuid::new_v4().to_string();
    join(&mut s, "go", &m, "ledger");
    let r = fetch(&mut s, "go", &m, 0, topic, 5, &[]);
    assert_eq!(acquired(&r), vec![(0, 4, 1)]);
    let r = acknowledge(&mut s, "go", &m, 1, topic, &[(0, 4, vec![1])]);
    assert_eq!(r.responses[0].partitions[0].error_code, 0);
    assert_eq!(start_offset(&mut s, "go", "ledger"), Ok(5));

    let alter = |s: &mut TcpStream, offset: i64| {
        call(
            s,
            &AlterShareGroupOffsetsRequest::default()
                .with_group_id(GroupId(text("go")))
                .with_topics(vec![AlterShareGroupOffsetsRequestTopic::default()
                    .with_topic_name(TopicName(text("ledger")))
                    .with_partitions(vec![
                        AlterShareGroupOffsetsRequestPartition::default()
                            .with_partition_index(0)
                            .with_start_offset(offset),
                    ])]),
            0,
        )
    };
    // Not while the group has members.
    assert_eq!(
        alter(&mut s, 15).error_code,
        ResponseError::NonEmptyGroup.code()
    );
    leave(&mut s, "go", &m);
    let r = alter(&mut s, 15);
    assert_eq!(r.error_code, 0);
    assert_eq!(r.responses[0].partitions[0].error_code, 0);
    assert_eq!(start_offset(&mut s, "go", "ledger"), Ok(15));

    // Durable: a restart keeps it.
    broker.stop();
    let listen = format!("127.0.0.1:{}", broker.port);
    let broker = Broker::start_in(&broker.data_dir, &["--listen", listen.as_str()]);
    let mut s = broker.connect();
    assert_eq!(start_offset(&mut s, "go", "ledger"), Ok(15));
    let m = Uuid::new_v4().to_string();
    join(&mut s, "go", &m, "ledger");
    let r = fetch(&mut s, "go", &m, 0, topic, 100, &[]);
    assert_eq!(acquired(&r), vec![(15, 19, 1)]);
    leave(&mut s, "go", &m);

    let r = call(
        &mut s,
        &DeleteShareGroupOffsetsRequest::default()
            .with_group_id(GroupId(text("go")))
            .with_topics(vec![DeleteShareGroupOffsetsRequestTopic::default()
                .with_topic_name(TopicName(text("ledger")))]),
        0,
    );
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    assert_eq!(r.responses[0].error_code, 0);
    assert_eq!(start_offset(&mut s, "go", "ledger"), Ok(-1));
}

#[test]
fn read_committed_share_groups_skip_aborted_and_open_transactions() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "ledger-tx", 1);
    set_group_configs(
        &mut s,
        "auditors",
        &[
            ("share.auto.offset.reset", "earliest"),
            ("share.isolation.level", "read_committed"),
        ],
    );
    let out = run_json(
        compat_python("share_read_committed.py").args([
            broker.bootstrap().as_str(),
            "ledger-tx",
            "auditors",
        ]),
        "share_read_committed.py",
    );
    let committed: Vec<String> = (0..5).map(|i| format!("committed{i}")).collect();
    assert_eq!(out["before"], serde_json::json!(committed));
    let mut after = committed.clone();
    after.extend((0..5).map(|i| format!("open{i}")));
    assert_eq!(out["after"], serde_json::json!(after));
}
