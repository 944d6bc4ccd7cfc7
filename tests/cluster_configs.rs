//! Broker config resources (KIP-226), DescribeCluster (KIP-700), authorized
//! operations (KIP-430), deprecated topic configs and the initial rebalance
//! delay, over raw Kafka requests; and the same through confluent-kafka's
//! AdminClient (tests/compat/admin_cluster.py).

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use kafka_protocol::messages::alter_configs_request::{AlterConfigsResource, AlterableConfig};
use kafka_protocol::messages::create_topics_request::{CreatableTopic, CreatableTopicConfig};
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::describe_configs_response::DescribeConfigsResult;
use kafka_protocol::messages::incremental_alter_configs_request as inc;
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use serde_json::{json, Value};

use crate::bad_input::{create_topic, one_batch, produce_request};
use crate::support::*;

const TOPIC: i8 = 2;
const BROKER: i8 = 4;
const BROKER_LOGGER: i8 = 8;

/// DescribeConfigs sources.
const TOPIC_CONFIG: i8 = 1;
const DYNAMIC_BROKER: i8 = 2;
const DYNAMIC_DEFAULT: i8 = 3;
const STATIC: i8 = 4;
const DEFAULT: i8 = 5;

const INVALID_REQUEST: i16 = 42;
const INVALID_CONFIG: i16 = 40;

fn text(v: &str) -> StrBytes {
    StrBytes::from_string(v.into())
}

fn describe(s: &mut TcpStream, resource_type: i8, name: &str) -> DescribeConfigsResult {
    let req = DescribeConfigsRequest::default()
        .with_include_synonyms(true)
        .with_resources(vec![DescribeConfigsResource::default()
            .with_resource_type(resource_type)
            .with_resource_name(text(name))
            .with_configuration_keys(None)]);
    call(s, &req, 4).results.remove(0)
}

/// name → (value, source, read_only, synonyms as (name, source)).
type Entries = BTreeMap<String, (String, i8, bool, Vec<(String, i8)>)>;

fn entries(r: &DescribeConfigsResult) -> Entries {
    assert_eq!(r.error_code, 0, "{:?}", r.error_message);
    r.configs
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                (
                    c.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                    c.config_source,
                    c.read_only,
                    c.synonyms
                        .iter()
                        .map(|s| (s.name.to_string(), s.source))
                        .collect(),
                ),
            )
        })
        .collect()
}

/// One IncrementalAlterConfigs resource: (name, operation, value).
fn incremental(
    s: &mut TcpStream,
    resource_type: i8,
    name: &str,
    ops: &[(&str, i8, &str)],
    validate_only: bool,
) -> (i16, String) {
    let req = IncrementalAlterConfigsRequest::default()
        .with_validate_only(validate_only)
        .with_resources(vec![inc::AlterConfigsResource::default()
            .with_resource_type(resource_type)
            .with_resource_name(text(name))
            .with_configs(
                ops.iter()
                    .map(|(k, op, v)| {
                        inc::AlterableConfig::default()
                            .with_name(text(k))
                            .with_config_operation(*op)
                            .with_value(Some(text(v)))
                    })
                    .collect(),
            )]);
    let r = call(s, &req, 1).responses.remove(0);
    (
        r.error_code,
        r.error_message.map(|m| m.to_string()).unwrap_or_default(),
    )
}

const SET: i8 = 0;
const DELETE: i8 = 1;
const APPEND: i8 = 2;
const SUBTRACT: i8 = 3;

#[test]
fn broker_configs_are_described_with_their_sources_and_synonyms() {
    let broker = Broker::start_with(&["--segment-bytes", "64K"]);
    let mut s = broker.connect();
    let e = entries(&describe(&mut s, BROKER, "0"));
    let segment = &e["log.segment.bytes"];
    assert_eq!(
        (segment.0.as_str(), segment.1, segment.2),
        ("65536", STATIC, false),
        "a flag given on the command line is STATIC_BROKER_CONFIG and dynamic"
    );
    assert_eq!(
        segment.3,
        vec![
            ("log.segment.bytes".to_string(), STATIC),
            ("log.segment.bytes".to_string(), DEFAULT)
        ]
    );
    let retention = &e["log.retention.ms"];
    assert_eq!((retention.0.as_str(), retention.1), ("604800000", DEFAULT));
    assert_eq!(
        (
            e["broker.id"].0.as_str(),
            e["broker.id"].1,
            e["broker.id"].2
        ),
        ("0", STATIC, true),
        "broker.id is read-only"
    );
    // The tests' brokers run with --group-initial-rebalance-delay 0.
    assert_eq!(
        e["group.initial.rebalance.delay.ms"].0.as_str(),
        "0",
        "{:?}",
        e["group.initial.rebalance.delay.ms"]
    );
    assert!(e.contains_key("message.max.bytes") && e.contains_key("log.cleanup.policy"));
    assert!(
        entries(&describe(&mut s, BROKER, "")).is_empty(),
        "the cluster-wide resource lists only what was set for it"
    );
    let other = describe(&mut s, BROKER, "7");
    assert_eq!(other.error_code, INVALID_REQUEST);
    assert!(
        other
            .error_message
            .unwrap()
            .contains("unexpected broker id 7"),
        "names the wrong id"
    );
    let logger = describe(&mut s, BROKER_LOGGER, "0");
    assert_eq!(logger.error_code, INVALID_REQUEST);
}

#[test]
fn dynamic_broker_configs_change_topic_defaults_at_once_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut broker = Broker::start_in(&data, &[]);
    let mut s = broker.connect();
    create_topic(&mut s, "follows");
    let r = call(
        &mut s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(text("own")))
            .with_num_partitions(1)
            .with_replication_factor(1)
            .with_configs(vec![CreatableTopicConfig::default()
                .with_name(text("retention.ms"))
                .with_value(Some(text("1000")))])]),
        5,
    );
    assert_eq!(r.topics[0].error_code, 0);

    // validate_only changes nothing.
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.retention.ms", SET, "3600000")],
            true
        )
        .0,
        0
    );
    assert_eq!(
        entries(&describe(&mut s, TOPIC, "follows"))["retention.ms"].1,
        DEFAULT
    );

    // The cluster-wide default, then this broker's own value over it.
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "",
            &[("log.retention.ms", SET, "7200000")],
            false
        )
        .0,
        0
    );
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.retention.ms", SET, "3600000")],
            false
        )
        .0,
        0
    );
    let topic = entries(&describe(&mut s, TOPIC, "follows"));
    assert_eq!(
        (topic["retention.ms"].0.as_str(), topic["retention.ms"].1),
        ("3600000", DYNAMIC_BROKER),
        "a topic without its own value follows the broker's"
    );
    assert_eq!(
        topic["retention.ms"].3,
        vec![
            ("log.retention.ms".to_string(), DYNAMIC_BROKER),
            ("log.retention.ms".to_string(), DYNAMIC_DEFAULT),
            ("log.retention.ms".to_string(), DEFAULT)
        ]
    );
    let own = entries(&describe(&mut s, TOPIC, "own"));
    assert_eq!(
        (own["retention.ms"].0.as_str(), own["retention.ms"].1),
        ("1000", TOPIC_CONFIG)
    );
    assert_eq!(
        own["retention.ms"].3[0],
        ("retention.ms".to_string(), TOPIC_CONFIG)
    );
    let cluster = entries(&describe(&mut s, BROKER, ""));
    assert_eq!(
        cluster.keys().collect::<Vec<_>>(),
        vec!["log.retention.ms"],
        "the cluster-wide resource shows what was set for it"
    );
    assert_eq!(cluster["log.retention.ms"].1, DYNAMIC_DEFAULT);

    // Lists: APPEND and SUBTRACT start from the value in force.
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.cleanup.policy", APPEND, "compact")],
            false
        )
        .0,
        0
    );
    assert_eq!(
        entries(&describe(&mut s, TOPIC, "follows"))["cleanup.policy"].0,
        "delete,compact"
    );
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.cleanup.policy", SUBTRACT, "delete")],
            false
        )
        .0,
        0
    );
    assert_eq!(
        entries(&describe(&mut s, BROKER, "0"))["log.cleanup.policy"].0,
        "compact"
    );
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.cleanup.policy", DELETE, "")],
            false
        )
        .0,
        0
    );
    let policy = &entries(&describe(&mut s, BROKER, "0"))["log.cleanup.policy"];
    assert_eq!(
        (policy.0.as_str(), policy.1),
        ("delete", DEFAULT),
        "DELETE returns to the default"
    );

    // Refusals, each naming what was wrong.
    let (code, why) = incremental(&mut s, BROKER, "0", &[("broker.id", SET, "3")], false);
    assert_eq!(code, INVALID_REQUEST, "read-only, as Kafka refuses it");
    assert!(why.contains("broker.id"), "{why}");
    let (code, why) = incremental(
        &mut s,
        BROKER,
        "0",
        &[("log.retention.ms", SET, "soon")],
        false,
    );
    assert_eq!(code, INVALID_CONFIG);
    assert!(
        why.contains("log.retention.ms") && why.contains("soon"),
        "{why}"
    );
    let (code, why) = incremental(&mut s, BROKER, "0", &[("no.such.config", SET, "1")], false);
    assert_eq!(code, INVALID_CONFIG);
    assert!(why.contains("no.such.config"), "{why}");
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "3",
            &[("log.retention.ms", SET, "1")],
            false
        )
        .0,
        INVALID_REQUEST
    );
    assert_eq!(
        incremental(
            &mut s,
            32,
            "a-group",
            &[("consumer.session.timeout.ms", SET, "50000")],
            true
        )
        .0,
        0,
        "GROUP resources take Kafka 4's group configs (issue 14)"
    );
    let (code, why) = incremental(
        &mut s,
        32,
        "a-group",
        &[("log.retention.ms", SET, "1")],
        true,
    );
    assert_eq!(code, INVALID_CONFIG, "a topic config is not a group config");
    assert!(why.contains("log.retention.ms"), "{why}");
    // AlterConfigs (legacy) on a broker replaces its whole set.
    let legacy =
        AlterConfigsRequest::default().with_resources(vec![AlterConfigsResource::default()
            .with_resource_type(BROKER)
            .with_resource_name(text("0"))
            .with_configs(vec![AlterableConfig::default()
                .with_name(text("background.threads"))
                .with_value(Some(text("9")))])]);
    assert_eq!(call(&mut s, &legacy, 2).responses[0].error_code, 0);
    let e = entries(&describe(&mut s, BROKER, "0"));
    assert_eq!(
        (
            e["background.threads"].0.as_str(),
            e["background.threads"].1
        ),
        ("9", DYNAMIC_BROKER)
    );
    assert_eq!(
        (e["log.retention.ms"].0.as_str(), e["log.retention.ms"].1),
        ("7200000", DYNAMIC_DEFAULT),
        "this broker's own value was replaced; the cluster-wide one shows through"
    );

    drop(s);
    broker.stop();
    let broker = Broker::start_in(&data, &[]);
    let mut s = broker.connect();
    let e = entries(&describe(&mut s, BROKER, "0"));
    assert_eq!(
        (
            e["background.threads"].0.as_str(),
            e["log.retention.ms"].0.as_str()
        ),
        ("9", "7200000"),
        "dynamic configs survive a restart"
    );
    assert_eq!(
        entries(&describe(&mut s, TOPIC, "follows"))["retention.ms"].0,
        "7200000"
    );
}

fn segment_files(broker: &Broker, dir: &str) -> usize {
    std::fs::read_dir(broker.data_dir.join(dir))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "log")
        })
        .count()
}

#[test]
fn a_dynamic_segment_size_rolls_existing_topics_without_a_restart() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "rolls");
    let batch = one_batch(&["a record long enough to fill a small segment quickly"]);
    let produce = |s: &mut TcpStream| {
        let r = call(s, &produce_request("rolls", batch.clone(), -1), 9);
        assert_eq!(r.responses[0].partition_responses[0].error_code, 0);
    };
    produce(&mut s);
    produce(&mut s);
    assert_eq!(segment_files(&broker, "rolls-0"), 1);
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("log.segment.bytes", SET, "100")],
            false
        ),
        (0, String::new())
    );
    for _ in 0..3 {
        produce(&mut s);
    }
    assert!(
        segment_files(&broker, "rolls-0") >= 3,
        "segments roll at the new size: {} files",
        segment_files(&broker, "rolls-0")
    );
}

#[test]
fn deprecated_topic_configs_are_accepted_and_reported() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let r = call(
        &mut s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(text("old")))
            .with_num_partitions(1)
            .with_replication_factor(1)
            .with_configs(vec![
                CreatableTopicConfig::default()
                    .with_name(text("message.format.version"))
                    .with_value(Some(text("0.10.0"))),
                CreatableTopicConfig::default()
                    .with_name(text("message.timestamp.difference.max.ms"))
                    .with_value(Some(text("60000"))),
            ])]),
        5,
    );
    assert_eq!(r.topics[0].error_code, 0, "{:?}", r.topics[0].error_message);
    // librdkafka's test 0092 changes it mid-stream.
    let alter =
        AlterConfigsRequest::default().with_resources(vec![AlterConfigsResource::default()
            .with_resource_type(TOPIC)
            .with_resource_name(text("old"))
            .with_configs(vec![AlterableConfig::default()
                .with_name(text("message.format.version"))
                .with_value(Some(text("0.10.0.0")))])]);
    assert_eq!(call(&mut s, &alter, 1).responses[0].error_code, 0);
    let e = entries(&describe(&mut s, TOPIC, "old"));
    assert_eq!(
        (
            e["message.format.version"].0.as_str(),
            e["message.format.version"].1
        ),
        ("0.10.0.0", TOPIC_CONFIG)
    );
    assert_eq!(
        (
            e["message.timestamp.difference.max.ms"].0.as_str(),
            e["message.timestamp.difference.max.ms"].1
        ),
        ("9223372036854775807", DEFAULT),
        "AlterConfigs replaced the overrides"
    );
    assert_eq!(e["message.downconversion.enable"].0, "true");
    let (code, why) = incremental(
        &mut s,
        TOPIC,
        "old",
        &[("message.format.version", SET, "newest")],
        false,
    );
    assert_eq!(code, INVALID_CONFIG);
    assert!(why.contains("Kafka version"), "{why}");
    // No effect: records still go in and come out.
    let r = call(&mut s, &produce_request("old", one_batch(&["v"]), -1), 9);
    assert_eq!(r.responses[0].partition_responses[0].error_code, 0);
}

#[test]
fn describe_cluster_names_the_cluster_the_broker_and_its_operations() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let metadata = call(&mut s, &MetadataRequest::default(), 9);
    // ALTER, ALTER_CONFIGS, CLUSTER_ACTION, CREATE, DESCRIBE, DESCRIBE_CONFIGS, IDEMPOTENT_WRITE.
    let cluster_ops: i32 = [7, 11, 9, 5, 8, 10, 12].iter().map(|b| 1 << b).sum();
    for version in 0..=2 {
        for asked in [false, true] {
            let req =
                DescribeClusterRequest::default().with_include_cluster_authorized_operations(asked);
            let r = call(&mut s, &req, version);
            assert_eq!(r.error_code, 0, "v{version}: {:?}", r.error_message);
            assert_eq!(Some(r.cluster_id.clone()), metadata.cluster_id);
            assert_eq!(r.controller_id, BrokerId(0));
            assert_eq!(r.brokers.len(), 1);
            assert_eq!(
                (r.brokers[0].host.as_str(), r.brokers[0].port),
                ("127.0.0.1", i32::from(broker.port))
            );
            assert_eq!(
                r.cluster_authorized_operations,
                if asked { cluster_ops } else { i32::MIN },
                "v{version} asked={asked}"
            );
        }
    }
    let controllers = call(
        &mut s,
        &DescribeClusterRequest::default().with_endpoint_type(2),
        1,
    );
    assert_eq!(
        controllers.error_code,
        ResponseError::MismatchedEndpointType.code()
    );
}

#[test]
fn metadata_and_describe_groups_report_authorized_operations_when_asked() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "ops");
    let topic_ops: i32 = [3, 4, 5, 6, 7, 8, 10, 11].iter().map(|b| 1 << b).sum();
    let cluster_ops: i32 = [7, 11, 9, 5, 8, 10, 12].iter().map(|b| 1 << b).sum();
    for version in 8..=12 {
        for asked in [false, true] {
            let req = MetadataRequest::default()
                .with_topics(Some(vec![
                    MetadataRequestTopic::default().with_name(Some(TopicName(text("ops"))))
                ]))
                .with_include_topic_authorized_operations(asked)
                .with_include_cluster_authorized_operations(asked && version <= 10);
            let r = call(&mut s, &req, version);
            assert_eq!(
                r.topics[0].topic_authorized_operations,
                if asked { topic_ops } else { i32::MIN },
                "Metadata v{version} asked={asked}"
            );
            if version <= 10 {
                assert_eq!(
                    r.cluster_authorized_operations,
                    if asked { cluster_ops } else { i32::MIN },
                    "Metadata v{version} asked={asked}"
                );
            }
        }
    }
    // READ, DELETE, DESCRIBE.
    let group_ops: i32 = [3, 6, 8].iter().map(|b| 1 << b).sum();
    for version in 3..=5 {
        for asked in [false, true] {
            let req = DescribeGroupsRequest::default()
                .with_groups(vec![GroupId(text("nobody"))])
                .with_include_authorized_operations(asked);
            let r = call(&mut s, &req, version);
            assert_eq!(
                r.groups[0].authorized_operations,
                if asked { group_ops } else { i32::MIN },
                "DescribeGroups v{version} asked={asked}"
            );
        }
    }
}

/// JoinGroup v5 on its own connection: the MEMBER_ID_REQUIRED round trip,
/// then the join that waits for the group. Returns (generation, member id,
/// how long the second join took).
fn join(port: u16, group: &str, member_id: Option<&str>) -> (i32, String, Duration) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let request = |member: &str| {
        JoinGroupRequest::default()
            .with_group_id(GroupId(text(group)))
            .with_session_timeout_ms(10_000)
            .with_rebalance_timeout_ms(30_000)
            .with_member_id(text(member))
            .with_protocol_type(text("consumer"))
            .with_protocols(vec![JoinGroupRequestProtocol::default()
                .with_name(text("range"))
                .with_metadata(bytes::Bytes::from_static(b"m"))])
    };
    let id = match member_id {
        Some(id) => id.to_string(),
        None => {
            let first = call(&mut s, &request(""), 5);
            assert_eq!(first.error_code, ResponseError::MemberIdRequired.code());
            first.member_id.to_string()
        }
    };
    let started = Instant::now();
    let r = call(&mut s, &request(&id), 5);
    assert_eq!(r.error_code, 0, "JoinGroup of {id}");
    (r.generation_id, id, started.elapsed())
}

fn group_state(port: u16, group: &str) -> (String, usize) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let r = call(
        &mut s,
        &DescribeGroupsRequest::default().with_groups(vec![GroupId(text(group))]),
        4,
    );
    (
        r.groups[0].group_state.to_string(),
        r.groups[0].members.len(),
    )
}

/// Waits until the group shows `members` members waiting in its join phase.
fn wait_for_joining(port: u16, group: &str, members: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while group_state(port, group) != ("PreparingRebalance".to_string(), members) {
        assert!(
            Instant::now() < deadline,
            "the group never had {members} joining members"
        );
        // A pause between polls, not a wait standing in for the condition.
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn by_default_members_starting_together_join_one_generation_after_three_seconds() {
    let broker = Broker::start_with_kafka_group_delay(&[]);
    let port = broker.port;
    let mut s = broker.connect();
    let e = entries(&describe(&mut s, BROKER, "0"));
    assert_eq!(
        (
            e["group.initial.rebalance.delay.ms"].0.as_str(),
            e["group.initial.rebalance.delay.ms"].1
        ),
        ("3000", DEFAULT)
    );
    let a = std::thread::spawn(move || join(port, "together", None));
    wait_for_joining(port, "together", 1);
    let b = std::thread::spawn(move || join(port, "together", None));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    assert_eq!((a.0, b.0), (1, 1), "one generation for both");
    assert!(
        a.2 >= Duration::from_secs(3),
        "the first member waited the delay: {:?}",
        a.2
    );
}

#[test]
fn without_the_delay_each_arrival_is_a_generation() {
    let broker = Broker::start_with(&["--group-initial-rebalance-delay", "0"]);
    let port = broker.port;
    let (generation, a_id, _) = join(port, "apart", None);
    assert_eq!(generation, 1, "the first member's group formed at once");
    let b = std::thread::spawn(move || join(port, "apart", None));
    wait_for_joining(port, "apart", 2);
    let (a_again, _, _) = join(port, "apart", Some(&a_id));
    assert_eq!((a_again, b.join().unwrap().0), (2, 2));
}

#[test]
fn the_delay_is_a_dynamic_broker_config() {
    let broker = Broker::start();
    let port = broker.port;
    let mut s = broker.connect();
    assert_eq!(
        incremental(
            &mut s,
            BROKER,
            "0",
            &[("group.initial.rebalance.delay.ms", SET, "1500")],
            false
        ),
        (0, String::new())
    );
    let a = std::thread::spawn(move || join(port, "later", None));
    wait_for_joining(port, "later", 1);
    let b = std::thread::spawn(move || join(port, "later", None));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    assert_eq!((a.0, b.0), (1, 1));
    assert!(a.2 >= Duration::from_millis(1500), "{:?}", a.2);
}

fn python_case(broker: &Broker) -> Value {
    let out = crate::support::compat_python("admin_cluster.py")
        .arg(broker.bootstrap())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "admin_cluster.py failed:\n{stderr}\n{stdout}"
    );
    let line = stdout
        .lines()
        .last()
        .expect("admin_cluster.py printed nothing");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

#[test]
fn confluent_kafka_admin_describes_the_cluster_and_alters_broker_configs() {
    let broker = Broker::start();
    let r = python_case(&broker);
    assert_eq!(
        r,
        json!({
            "clusterNodes": 1,
            "clusterIdMatches": true,
            "clusterOperations": ["ALTER", "ALTER_CONFIGS", "CLUSTER_ACTION", "CREATE", "DESCRIBE",
                                  "DESCRIBE_CONFIGS", "IDEMPOTENT_WRITE"],
            "clusterOperationsUnasked": null,
            "topicOperations": ["ALTER", "ALTER_CONFIGS", "CREATE", "DELETE", "DESCRIBE",
                                "DESCRIBE_CONFIGS", "READ", "WRITE"],
            "groupOperations": ["DELETE", "DESCRIBE", "READ"],
            "brokerBefore": ["604800000", "DEFAULT_CONFIG", false],
            "brokerIdReadOnly": true,
            "brokerAfter": ["3600000", "DYNAMIC_BROKER_CONFIG"],
            "topicFollows": ["3600000", "DYNAMIC_BROKER_CONFIG"],
            "readOnlyRefused": "INVALID_REQUEST",
            "deprecated": ["0.10.0", "DYNAMIC_TOPIC_CONFIG"]
        })
    );
}
