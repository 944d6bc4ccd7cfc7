//! Share groups (KIP-932) membership and group configs: ShareGroupHeartbeat
//! and ShareGroupDescribe at the wire (epochs, fencing, errors, the group-id
//! namespace shared with classic and consumer groups, session expiry, a
//! restart), ListGroups/DescribeGroups/DeleteGroups of share groups, GROUP
//! config resources, and a real confluent-kafka ShareConsumer and AdminClient.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::incremental_alter_configs_request::{
    AlterConfigsResource, AlterableConfig,
};
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use crate::support::*;

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
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

fn heartbeat(
    s: &mut TcpStream,
    group: &str,
    member: &str,
    epoch: i32,
    topics: Option<&[&str]>,
) -> ShareGroupHeartbeatResponse {
    call(
        s,
        &ShareGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text(group)))
            .with_member_id(text(member))
            .with_member_epoch(epoch)
            .with_subscribed_topic_names(
                topics.map(|t| t.iter().map(|n| TopicName(text(n))).collect()),
            ),
        1,
    )
}

fn code(e: ResponseError) -> i16 {
    e.code()
}

fn describe(s: &mut TcpStream, group: &str) -> share_group_describe_response::DescribedGroup {
    let r: ShareGroupDescribeResponse = call(
        s,
        &ShareGroupDescribeRequest::default().with_group_ids(vec![GroupId(text(group))]),
        1,
    );
    r.groups.into_iter().next().unwrap()
}

fn list(s: &mut TcpStream, types: &[&str]) -> Vec<(String, String, String)> {
    let r: ListGroupsResponse = call(
        s,
        &ListGroupsRequest::default().with_types_filter(types.iter().map(|t| text(t)).collect()),
        5,
    );
    let mut out: Vec<_> = r
        .groups
        .into_iter()
        .map(|g| {
            (
                g.group_id.to_string(),
                g.group_type.to_string(),
                g.group_state.to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

const A: &str = "0f9d2d2a-8a49-4d2e-9a7e-000000000001";
const B: &str = "0f9d2d2a-8a49-4d2e-9a7e-000000000002";

#[test]
fn members_join_heartbeat_get_every_partition_and_leave() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let tid = create_topic(&mut s, "jobs", 2);

    // Kafka's request checks.
    let r = heartbeat(&mut s, "", A, 0, Some(&["jobs"]));
    assert_eq!(r.error_code, code(ResponseError::InvalidRequest));
    let r = heartbeat(&mut s, "q", A, 0, None);
    assert_eq!(r.error_code, code(ResponseError::InvalidRequest));
    assert!(r.error_message.unwrap().contains("SubscribedTopicNames"));
    let r = heartbeat(&mut s, "q", A, -2, None);
    assert_eq!(r.error_code, code(ResponseError::InvalidRequest));
    // An unknown group's member rejoins rather than failing for good.
    let r = heartbeat(&mut s, "q", A, 4, None);
    assert_eq!(r.error_code, code(ResponseError::UnknownMemberId));
    assert!(
        list(&mut s, &["share"]).is_empty(),
        "a refused heartbeat creates no group"
    );

    let a = heartbeat(&mut s, "q", A, 0, Some(&["jobs"]));
    assert_eq!(a.error_code, 0, "{:?}", a.error_message);
    assert_eq!(a.member_id.as_deref(), Some(A));
    assert!(a.member_epoch > 0);
    assert_eq!(a.heartbeat_interval_ms, 5000);
    let assigned = a.assignment.expect("a joining member gets its assignment");
    assert_eq!(assigned.topic_partitions.len(), 1);
    assert_eq!(assigned.topic_partitions[0].topic_id, tid);
    assert_eq!(assigned.topic_partitions[0].partitions, vec![0, 1]);

    let b = heartbeat(&mut s, "q", B, 0, Some(&["jobs"]));
    assert_eq!(b.error_code, 0);
    assert!(
        b.member_epoch > a.member_epoch,
        "a join bumps the group epoch"
    );
    assert_eq!(
        b.assignment.unwrap().topic_partitions[0].partitions,
        vec![0, 1],
        "every member gets every partition"
    );
    // Fenced: an epoch ahead, or behind that is not the previous one.
    let r = heartbeat(&mut s, "q", A, b.member_epoch + 5, None);
    assert_eq!(r.error_code, code(ResponseError::FencedMemberEpoch));
    let r = heartbeat(&mut s, "q", "0f9d2d2a-8a49-4d2e-9a7e-000000000009", 1, None);
    assert_eq!(r.error_code, code(ResponseError::UnknownMemberId));
    // a catches up with the group epoch; its partitions did not change.
    let a2 = heartbeat(&mut s, "q", A, a.member_epoch, None);
    assert_eq!(a2.error_code, 0);
    assert_eq!(a2.member_epoch, b.member_epoch);
    assert!(a2.assignment.is_none());

    let d = describe(&mut s, "q");
    assert_eq!(d.error_code, 0);
    assert_eq!(d.group_state.as_str(), "Stable");
    assert_eq!(d.assignor_name.as_str(), "simple");
    assert_eq!(d.group_epoch, b.member_epoch);
    assert_eq!(d.members.len(), 2);
    for m in &d.members {
        let tp = &m.assignment.topic_partitions[0];
        assert_eq!(
            (tp.topic_name.as_str(), tp.partitions.clone()),
            ("jobs", vec![0, 1])
        );
        assert_eq!(m.subscribed_topic_names[0].as_str(), "jobs");
    }
    assert_eq!(
        list(&mut s, &["share"]),
        vec![("q".into(), "share".into(), "Stable".into())]
    );
    assert!(list(&mut s, &["classic"]).is_empty());
    // DescribeGroups up to v5 shows a share group as Dead, as Kafka 4.
    let dg: DescribeGroupsResponse = call(
        &mut s,
        &DescribeGroupsRequest::default().with_groups(vec![GroupId(text("q"))]),
        5,
    );
    assert_eq!(dg.groups[0].group_state.as_str(), "Dead");

    let del = |s: &mut TcpStream| -> i16 {
        let r: DeleteGroupsResponse = call(
            s,
            &DeleteGroupsRequest::default().with_groups_names(vec![GroupId(text("q"))]),
            2,
        );
        r.results[0].error_code
    };
    assert_eq!(del(&mut s), code(ResponseError::NonEmptyGroup));

    for (m, e) in [(A, a2.member_epoch), (B, b.member_epoch)] {
        let r = heartbeat(&mut s, "q", m, -1, None);
        assert_eq!(r.error_code, 0);
        assert_eq!(r.member_epoch, -1);
        let _ = e;
    }
    let r = heartbeat(&mut s, "q", A, -1, None);
    assert_eq!(r.error_code, code(ResponseError::UnknownMemberId));
    assert_eq!(
        list(&mut s, &[]),
        vec![("q".into(), "share".into(), "Empty".into())]
    );
    assert_eq!(del(&mut s), 0);
    assert!(list(&mut s, &[]).is_empty());
    let d = describe(&mut s, "q");
    assert_eq!(d.error_code, code(ResponseError::GroupIdNotFound));
    assert_eq!(del(&mut s), code(ResponseError::GroupIdNotFound));
}

#[test]
fn share_classic_and_consumer_groups_share_one_namespace() {
    let broker = Broker::start_with(&["--share-max-size", "1"]);
    let mut s = broker.connect();
    create_topic(&mut s, "jobs", 1);
    let a = heartbeat(&mut s, "q", A, 0, Some(&["jobs"]));
    assert_eq!(a.error_code, 0);
    let b = heartbeat(&mut s, "q", B, 0, Some(&["jobs"]));
    assert_eq!(b.error_code, code(ResponseError::GroupMaxSizeReached));

    // A classic member cannot join the share group.
    let join: JoinGroupResponse = call(
        &mut s,
        &JoinGroupRequest::default()
            .with_group_id(GroupId(text("q")))
            .with_session_timeout_ms(10_000)
            .with_rebalance_timeout_ms(10_000)
            .with_protocol_type(text("consumer"))
            .with_protocols(vec![JoinGroupRequestProtocol::default()
                .with_name(text("range"))
                .with_metadata(bytes::Bytes::from_static(&[0, 0, 0, 0, 0, 0, 0, 0]))]),
        7,
    );
    assert_eq!(
        join.error_code,
        code(ResponseError::InconsistentGroupProtocol)
    );
    // Nor a consumer-protocol member.
    let c: ConsumerGroupHeartbeatResponse = call(
        &mut s,
        &ConsumerGroupHeartbeatRequest::default()
            .with_group_id(GroupId(text("q")))
            .with_member_id(text(B))
            .with_member_epoch(0)
            .with_rebalance_timeout_ms(10_000)
            .with_subscribed_topic_names(Some(vec![TopicName(text("jobs"))]))
            .with_topic_partitions(Some(vec![])),
        1,
    );
    assert_eq!(c.error_code, code(ResponseError::GroupIdNotFound));
    // And a classic group's id is not a share group's.
    let join: JoinGroupResponse = call(
        &mut s,
        &JoinGroupRequest::default()
            .with_group_id(GroupId(text("classic")))
            .with_member_id(text(""))
            .with_session_timeout_ms(10_000)
            .with_rebalance_timeout_ms(10_000)
            .with_protocol_type(text("consumer"))
            .with_protocols(vec![JoinGroupRequestProtocol::default()
                .with_name(text("range"))
                .with_metadata(bytes::Bytes::from_static(&[0, 0, 0, 0, 0, 0, 0, 0]))]),
        3,
    );
    assert_eq!(join.error_code, 0);
    let r = heartbeat(&mut s, "classic", A, 0, Some(&["jobs"]));
    assert_eq!(r.error_code, code(ResponseError::GroupIdNotFound));
    let d = describe(&mut s, "classic");
    assert_eq!(d.error_code, code(ResponseError::GroupIdNotFound));
    assert!(d.error_message.unwrap().contains("not a share group"));
}

#[test]
fn a_silent_member_expires_and_a_restart_keeps_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut broker = Broker::start_in(
        &data,
        &[
            "--share-session-timeout",
            "1s",
            "--share-heartbeat-interval",
            "200ms",
        ],
    );
    let mut s = broker.connect();
    create_topic(&mut s, "jobs", 1);
    let a = heartbeat(&mut s, "q", A, 0, Some(&["jobs"]));
    assert_eq!(a.heartbeat_interval_ms, 200);
    let b = heartbeat(&mut s, "q", B, 0, Some(&["jobs"]));
    assert_eq!(b.error_code, 0);
    // b keeps beating, a stays silent and is removed after its session.
    let start = Instant::now();
    let mut epoch = b.member_epoch;
    loop {
        let r = heartbeat(&mut s, "q", B, epoch, None);
        assert_eq!(r.error_code, 0, "{:?}", r.error_message);
        epoch = r.member_epoch;
        let d = describe(&mut s, "q");
        if d.members.len() == 1 {
            assert_eq!(d.members[0].member_id.as_str(), B);
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "a never expired");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(start.elapsed() >= Duration::from_millis(800));
    let r = heartbeat(&mut s, "q", A, a.member_epoch, None);
    assert_eq!(r.error_code, code(ResponseError::UnknownMemberId));

    // After a crash the group is still a share group (Empty); its member,
    // unknown now, is told to join again.
    broker.kill();
    let broker = Broker::start_in(&data, &[]);
    let mut s = broker.connect();
    assert_eq!(
        list(&mut s, &[]),
        vec![("q".into(), "share".into(), "Empty".into())]
    );
    let r = heartbeat(&mut s, "q", B, epoch, None);
    assert_eq!(r.error_code, code(ResponseError::UnknownMemberId));
    let r = heartbeat(&mut s, "q", B, 0, Some(&["jobs"]));
    assert_eq!(r.error_code, 0);
}

fn describe_group_configs(s: &mut TcpStream, group: &str) -> Vec<(String, String, i8)> {
    let r: DescribeConfigsResponse = call(
        s,
        &DescribeConfigsRequest::default().with_resources(vec![DescribeConfigsResource::default()
            .with_resource_type(32)
            .with_resource_name(text(group))
            .with_configuration_keys(None)]),
        4,
    );
    assert_eq!(
        r.results[0].error_code, 0,
        "{:?}",
        r.results[0].error_message
    );
    r.results[0]
        .configs
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                c.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                c.config_source,
            )
        })
        .collect()
}

fn alter_group(s: &mut TcpStream, group: &str, ops: &[(&str, i8, &str)]) -> (i16, String) {
    let r: IncrementalAlterConfigsResponse = call(
        s,
        &IncrementalAlterConfigsRequest::default().with_resources(vec![
            AlterConfigsResource::default()
                .with_resource_type(32)
                .with_resource_name(text(group))
                .with_configs(
                    ops.iter()
                        .map(|(k, op, v)| {
                            AlterableConfig::default()
                                .with_name(text(k))
                                .with_config_operation(*op)
                                .with_value(Some(text(v)))
                        })
                        .collect(),
                ),
        ]),
        1,
    );
    (
        r.responses[0].error_code,
        r.responses[0]
            .error_message
            .as_ref()
            .map(|m| m.to_string())
            .unwrap_or_default(),
    )
}

#[test]
fn group_configs_are_checked_described_applied_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut broker = Broker::start_in(&data, &["--share-record-lock-duration", "20s"]);
    let mut s = broker.connect();
    let all = describe_group_configs(&mut s, "q");
    let value = |all: &[(String, String, i8)], name: &str| {
        all.iter()
            .find(|(n, ..)| n == name)
            .map(|(_, v, src)| (v.clone(), *src))
            .unwrap_or_else(|| panic!("{name} not described: {all:?}"))
    };
    for (name, default) in [
        ("share.record.lock.duration.ms", "20000"),
        ("share.delivery.count.limit", "5"),
        ("share.auto.offset.reset", "latest"),
        ("share.isolation.level", "read_uncommitted"),
        ("share.session.timeout.ms", "45000"),
        ("share.heartbeat.interval.ms", "5000"),
        ("consumer.session.timeout.ms", "45000"),
        ("consumer.heartbeat.interval.ms", "5000"),
        ("errors.deadletterqueue.topic.name", ""),
        ("errors.deadletterqueue.copy.record.enable", "false"),
    ] {
        assert_eq!(value(&all, name), (default.to_string(), 5), "{name}");
    }
    for (ops, needle) in [
        (vec![("share.nope", 0, "1")], "share.nope"),
        (
            vec![("share.delivery.count.limit", 0, "11")],
            "share.delivery.count.limit",
        ),
        (
            vec![("share.record.lock.duration.ms", 0, "soon")],
            "share.record.lock.duration.ms",
        ),
        (
            vec![("share.auto.offset.reset", 0, "middle")],
            "share.auto.offset.reset",
        ),
        (
            vec![("errors.deadletterqueue.topic.name", 0, "__x")],
            "errors.deadletterqueue.topic.name",
        ),
        (
            vec![
                ("share.heartbeat.interval.ms", 0, "15000"),
                ("share.session.timeout.ms", 0, "15000"),
            ],
            "share.session.timeout.ms",
        ),
    ] {
        let (err, message) = alter_group(&mut s, "q", &ops);
        assert_eq!(err, code(ResponseError::InvalidConfig), "{ops:?}");
        assert!(message.contains(needle), "{message}");
    }
    let (err, message) = alter_group(
        &mut s,
        "q",
        &[
            ("share.record.lock.duration.ms", 0, "15000"),
            ("share.auto.offset.reset", 0, "by_duration:PT1H"),
            ("errors.deadletterqueue.topic.name", 0, "dlq.q"),
            ("share.heartbeat.interval.ms", 0, "6000"),
        ],
    );
    assert_eq!(err, 0, "{message}");
    // The heartbeat interval reaches the members.
    create_topic(&mut s, "jobs", 1);
    let a = heartbeat(&mut s, "q", A, 0, Some(&["jobs"]));
    assert_eq!(a.heartbeat_interval_ms, 6000);

    broker.kill();
    let broker = Broker::start_in(&data, &["--share-record-lock-duration", "20s"]);
    let mut s = broker.connect();
    let all = describe_group_configs(&mut s, "q");
    assert_eq!(
        value(&all, "share.record.lock.duration.ms"),
        ("15000".into(), 8)
    );
    assert_eq!(
        value(&all, "share.auto.offset.reset"),
        ("by_duration:PT1H".into(), 8)
    );
    assert_eq!(
        value(&all, "errors.deadletterqueue.topic.name"),
        ("dlq.q".into(), 8)
    );
    // DELETE goes back to the broker's value.
    let (err, _) = alter_group(&mut s, "q", &[("share.record.lock.duration.ms", 1, "")]);
    assert_eq!(err, 0);
    let all = describe_group_configs(&mut s, "q");
    assert_eq!(
        value(&all, "share.record.lock.duration.ms"),
        ("20000".into(), 5)
    );
    // The broker reports its share-group settings as read-only static configs.
    let r: DescribeConfigsResponse = call(
        &mut s,
        &DescribeConfigsRequest::default().with_resources(vec![DescribeConfigsResource::default()
            .with_resource_type(4)
            .with_resource_name(text("0"))
            .with_configuration_keys(Some(vec![text("group.share.record.lock.duration.ms")]))]),
        4,
    );
    let c = &r.results[0].configs[0];
    assert_eq!(c.value.as_deref(), Some("20000"));
    assert!(c.read_only);
    assert_eq!(c.config_source, 4);
}

/// A confluent-kafka ShareConsumer (librdkafka 2.16) joins: the group shows
/// it; closed, it leaves and the group is Empty. The AdminClient sets and
/// reads a GROUP config.
#[test]
fn real_share_consumer_joins_and_leaves_and_admin_sets_group_configs() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "jobs", 1);
    let mut child = compat_python("share_member.py")
        .args([&broker.bootstrap(), "workers", "jobs"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let joined = loop {
        let d = describe(&mut s, "workers");
        if d.error_code == 0 && d.members.len() == 1 {
            break d;
        }
        assert!(Instant::now() < deadline, "the ShareConsumer never joined");
        std::thread::sleep(Duration::from_millis(100));
    };
    let m = &joined.members[0];
    assert_eq!(m.assignment.topic_partitions[0].topic_name.as_str(), "jobs");
    assert!(m.member_epoch > 0);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .collect::<Vec<_>>();
    assert!(child.wait().unwrap().success(), "{out:?}");
    assert!(out.last().unwrap().contains("closed"), "{out:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while describe(&mut s, "workers").members.len() == 1 {
        assert!(
            Instant::now() < deadline,
            "the closed ShareConsumer never left"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(describe(&mut s, "workers").group_state.as_str(), "Empty");

    let out = run_json(
        compat_python("group_configs_admin.py").arg(broker.bootstrap()),
        "group_configs_admin.py",
    );
    assert_eq!(out["set"]["share.record.lock.duration.ms"], "15000");
    assert_eq!(out["set"]["share.delivery.count.limit"], "5");
    assert!(out["bad"].as_str().unwrap().contains("share.nope"), "{out}");
}

/// A dead letter read back: key, value and headers as text.
type Letter = (
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    std::collections::BTreeMap<String, String>,
);

/// Every record of `topic`-0 with its headers as text.
fn read_letters(broker: &Broker, topic: &str, count: usize) -> Vec<Letter> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::message::Headers;
    use rdkafka::{Message, Offset, TopicPartitionList};
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "dq-tests-unused")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning)
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while out.len() < count {
        assert!(
            Instant::now() < deadline,
            "only {} of {count} dead letters on {topic}",
            out.len()
        );
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) {
            let headers = m
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|h| {
                            (
                                h.key.to_string(),
                                String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push((
                m.key().map(<[u8]>::to_vec),
                m.payload().map(<[u8]>::to_vec),
                headers,
            ));
        }
    }
    out
}

fn create_dead_letter_topic(s: &mut TcpStream, name: &str) {
    use kafka_protocol::messages::create_topics_request::CreatableTopicConfig;
    let r = call(
        s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(text(name)))
            .with_num_partitions(1)
            .with_replication_factor(1)
            .with_configs(vec![CreatableTopicConfig::default()
                .with_name(text("errors.deadletterqueue.group.enable"))
                .with_value(Some(text("true")))])]),
        7,
    );
    assert_eq!(r.topics[0].error_code, 0, "{:?}", r.topics[0].error_message);
}

/// KIP-1191 with a real ShareConsumer: a REJECTed record is on the group's
/// dead-letter topic at once, with Kafka's context headers and (copy on)
/// its key and value; a record RELEASEd until the delivery-count limit goes
/// there too, with the other reason.
#[test]
fn rejected_and_exhausted_records_are_dead_lettered() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "jobs", 1);
    create_dead_letter_topic(&mut s, "dlq.jobs");
    for group in ["rejecters", "releasers"] {
        let (err, m) = alter_group(
            &mut s,
            group,
            &[
                ("share.auto.offset.reset", 0, "earliest"),
                ("errors.deadletterqueue.topic.name", 0, "dlq.jobs"),
                ("errors.deadletterqueue.copy.record.enable", 0, "true"),
                ("share.delivery.count.limit", 0, "2"),
            ],
        );
        assert_eq!(err, 0, "{m}");
    }
    let producer = producer(&broker, &[]);
    produce_all(&producer, "jobs", 0, &[b"a".to_vec(), b"b".to_vec()]);

    let run = |group: &str, ack: &str, max: &str| {
        let out = compat_python("share_member.py")
            .args([&broker.bootstrap(), group, "jobs", ack, max])
            .stderr(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = run("rejecters", "reject", "2");
    assert!(out.contains("\"closed\""), "{out}");
    let letters = read_letters(&broker, "dlq.jobs", 2);
    let mut values: Vec<_> = letters.iter().map(|l| l.1.clone().unwrap()).collect();
    values.sort();
    assert_eq!(values, vec![b"a".to_vec(), b"b".to_vec()]);
    for (_, _, h) in &letters {
        assert_eq!(h["__dlq.errors.topic"], "jobs");
        assert_eq!(h["__dlq.errors.partition"], "0");
        assert_eq!(h["__dlq.errors.group"], "rejecters");
        assert_eq!(h["__dlq.errors.delivery.count"], "1");
        assert_eq!(h["__dlq.errors.message"], "Offset rejected by client.");
    }

    // Released twice (the limit), each record is dead-lettered.
    let out = run("releasers", "release", "4");
    assert_eq!(out.matches("\"n\": 2").count(), 2, "{out}");
    let letters = read_letters(&broker, "dlq.jobs", 4);
    let exhausted: Vec<_> = letters
        .iter()
        .filter(|l| l.2["__dlq.errors.group"] == "releasers")
        .collect();
    assert_eq!(exhausted.len(), 2);
    for (_, _, h) in exhausted {
        assert_eq!(h["__dlq.errors.delivery.count"], "2");
        assert_eq!(
            h["__dlq.errors.message"],
            "Offset delivery count exceeded the threshold."
        );
    }
}
