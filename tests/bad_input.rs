//! Bad bytes on a raw socket: the broker answers with a Kafka error where the
//! protocol has one, otherwise closes that connection only, logs one line,
//! and keeps serving everyone else.

use std::io::Write;

use bytes::Bytes;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{Decodable, StrBytes};

use crate::support::*;

fn api_versions_ok(broker: &Broker) {
    let mut s = broker.connect();
    let r = call(&mut s, &ApiVersionsRequest::default(), 3);
    assert_eq!(r.error_code, 0);
    assert!(r
        .api_keys
        .iter()
        .any(|k| k.api_key == ApiKey::Produce as i16));
}

/// Sends `bytes`, expects the broker to drop the connection, then checks that
/// a new connection is still served and that exactly one more log line about
/// closing a connection appeared, mentioning `reason`.
fn expect_closed(broker: &Broker, bytes: &[u8], reason: &str) {
    let before = broker.log().matches("closing connection").count();
    let mut s = broker.connect();
    s.write_all(bytes).unwrap();
    let _ = s.shutdown(std::net::Shutdown::Write);
    assert!(
        closed_by_broker(&mut s),
        "connection should be closed for: {reason}"
    );
    api_versions_ok(broker);
    let log = broker.log();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("closing connection"))
        .collect();
    assert_eq!(
        lines.len(),
        before + 1,
        "one log line per closed connection; log:\n{log}"
    );
    assert!(
        lines.last().unwrap().contains(reason),
        "log line should say '{reason}': {}",
        lines.last().unwrap()
    );
}

#[test]
fn negative_length_closes_only_that_connection() {
    let broker = Broker::start();
    expect_closed(&broker, &(-5i32).to_be_bytes(), "negative frame length");
}

#[test]
fn oversized_frame_is_refused_before_reading_it() {
    let broker = Broker::start_with(&["--max-request-bytes", "1K"]);
    expect_closed(
        &broker,
        &(64 * 1024 * 1024i32).to_be_bytes(),
        "over the limit",
    );
}

#[test]
fn truncated_body_closes_the_connection() {
    let broker = Broker::start();
    let mut bytes = 100i32.to_be_bytes().to_vec();
    bytes.extend_from_slice(&[0u8; 40]);
    expect_closed(&broker, &bytes, "in the middle of a frame");
}

#[test]
fn unknown_api_key_closes_the_connection() {
    let broker = Broker::start();
    let mut bytes = 10i32.to_be_bytes().to_vec();
    bytes.extend_from_slice(&[0x7f, 0x00, 0, 0, 0, 0, 0, 1, 0xff, 0xff]);
    expect_closed(&broker, &bytes, "unknown API key 32512");
}

#[test]
fn malformed_body_closes_the_connection() {
    let broker = Broker::start();
    // A Metadata v1 header, then a topic array claiming 1000 entries with none present.
    let mut body = vec![0, 3, 0, 1, 0, 0, 0, 9, 0, 0];
    body.extend_from_slice(&1000i32.to_be_bytes());
    let mut bytes = (body.len() as i32).to_be_bytes().to_vec();
    bytes.extend_from_slice(&body);
    expect_closed(&broker, &bytes, "malformed Metadata v1 request");
}

#[test]
fn unsupported_api_versions_version_gets_a_v0_error_reply() {
    let broker = Broker::start();
    let mut s = broker.connect();
    // ApiVersions v99: the reply must still be readable as v0.
    let mut frame = frame(&ApiVersionsRequest::default(), 3, 11);
    frame[6..8].copy_from_slice(&99i16.to_be_bytes());
    s.write_all(&frame).unwrap();
    let mut body = read_frame(&mut s).expect("a reply, not a closed connection");
    let header = ResponseHeader::decode(&mut body, 0).unwrap();
    assert_eq!(header.correlation_id, 11);
    let r = ApiVersionsResponse::decode(&mut body, 0).unwrap();
    assert_eq!(r.error_code, 35, "UNSUPPORTED_VERSION");
    let av = r
        .api_keys
        .iter()
        .find(|k| k.api_key == ApiKey::ApiVersions as i16)
        .unwrap();
    assert_eq!((av.min_version, av.max_version), (0, 4));
    // The connection stays usable for a retry at a supported version.
    assert_eq!(
        call(&mut s, &ApiVersionsRequest::default(), 0).error_code,
        0
    );
}

#[test]
fn api_versions_advertises_exactly_the_served_ranges() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let r = call(&mut s, &ApiVersionsRequest::default(), 3);
    let range = |k: ApiKey| {
        let v = r
            .api_keys
            .iter()
            .find(|v| v.api_key == k as i16)
            .unwrap_or_else(|| panic!("{k:?} missing"));
        (v.min_version, v.max_version)
    };
    assert_eq!(range(ApiKey::Produce), (3, 10));
    assert_eq!(range(ApiKey::Fetch), (4, 12));
    assert_eq!(range(ApiKey::ListOffsets), (1, 7));
    assert_eq!(range(ApiKey::Metadata), (0, 12));
    assert_eq!(range(ApiKey::CreateTopics), (2, 7));
    assert_eq!(range(ApiKey::DeleteTopics), (1, 6));
    assert_eq!(range(ApiKey::InitProducerId), (0, 4));
    assert_eq!(range(ApiKey::JoinGroup), (0, 7));
    assert_eq!(range(ApiKey::OffsetCommit), (2, 9));
    assert_eq!(range(ApiKey::DeleteRecords), (0, 2));
    assert_eq!(range(ApiKey::DescribeConfigs), (1, 4));
    assert_eq!(range(ApiKey::CreatePartitions), (0, 3));
    assert_eq!(range(ApiKey::DescribeLogDirs), (1, 4));
    assert_eq!(range(ApiKey::DescribeCluster), (0, 2));
    assert_eq!(range(ApiKey::ListGroups), (0, 5));
    assert_eq!(range(ApiKey::ConsumerGroupHeartbeat), (0, 1));
    assert_eq!(range(ApiKey::ConsumerGroupDescribe), (0, 1));
    assert_eq!(range(ApiKey::EndTxn), (0, 3));
    assert_eq!(range(ApiKey::ListTransactions), (0, 1));
    assert_eq!(range(ApiKey::ShareGroupHeartbeat), (1, 1));
    assert_eq!(range(ApiKey::ShareFetch), (1, 1));
    assert_eq!(range(ApiKey::ShareAcknowledge), (1, 1));
    assert_eq!(range(ApiKey::DescribeShareGroupOffsets), (0, 0));
    assert_eq!(r.api_keys.len(), 43, "nothing else is advertised");
}

pub(crate) fn one_batch(values: &[&str]) -> Vec<u8> {
    let records: Vec<_> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                None,
                Some(Bytes::from(v.to_string())),
                1_700_000_000_000 + i as i64,
            )
        })
        .collect();
    dq::broker::storage::batch::encode_plain(&records).to_vec()
}

pub(crate) fn produce_request(topic: &str, records: Vec<u8>, acks: i16) -> ProduceRequest {
    ProduceRequest::default()
        .with_acks(acks)
        .with_timeout_ms(5000)
        .with_topic_data(vec![TopicProduceData::default()
            .with_name(TopicName(StrBytes::from_string(topic.into())))
            .with_partition_data(vec![PartitionProduceData::default()
                .with_index(0)
                .with_records(Some(Bytes::from(records)))])])
}

pub(crate) fn create_topic(s: &mut std::net::TcpStream, name: &str) {
    use kafka_protocol::messages::create_topics_request::CreatableTopic;
    let r = call(
        s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(TopicName(StrBytes::from_string(name.into())))
            .with_num_partitions(1)
            .with_replication_factor(1)]),
        5,
    );
    assert_eq!(r.topics[0].error_code, 0, "{:?}", r.topics[0].error_message);
}

pub(crate) fn end_offset(s: &mut std::net::TcpStream, topic: &str) -> i64 {
    use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
    let r = call(
        s,
        &ListOffsetsRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_topics(vec![ListOffsetsTopic::default()
                .with_name(TopicName(StrBytes::from_string(topic.into())))
                .with_partitions(vec![ListOffsetsPartition::default()
                    .with_partition_index(0)
                    .with_timestamp(-1)])]),
        5,
    );
    r.topics[0].partitions[0].offset
}

#[test]
fn a_corrupt_batch_gets_corrupt_message_and_is_not_stored() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "crc");
    let good = one_batch(&["a", "b"]);
    let r = call(&mut s, &produce_request("crc", good.clone(), 1), 9);
    assert_eq!(r.responses[0].partition_responses[0].error_code, 0);
    assert_eq!(r.responses[0].partition_responses[0].base_offset, 0);

    let mut flipped = one_batch(&["c"]);
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let mut truncated = one_batch(&["d", "e"]);
    truncated.truncate(truncated.len() - 3);
    // A good batch followed by a torn one: nothing of the request is stored.
    let mut good_then_torn = one_batch(&["f"]);
    good_then_torn.extend_from_slice(&one_batch(&["g"])[..30]);
    for (what, bad) in [
        ("flipped bit", flipped),
        ("truncated", truncated),
        ("good then torn", good_then_torn),
    ] {
        let r = call(&mut s, &produce_request("crc", bad, 1), 9);
        let p = &r.responses[0].partition_responses[0];
        assert_eq!(p.error_code, 2, "{what}: CORRUPT_MESSAGE");
        assert!(p.error_message.is_some(), "{what}: the error says why");
    }
    assert_eq!(
        end_offset(&mut s, "crc"),
        2,
        "only the good batch is stored"
    );
    let r = call(&mut s, &produce_request("crc", good, -1), 9);
    assert_eq!(r.responses[0].partition_responses[0].base_offset, 2);
}

#[test]
fn produce_to_an_unknown_topic_or_partition_is_an_error_code() {
    let broker = Broker::start();
    let mut s = broker.connect();
    let r = call(&mut s, &produce_request("nope", one_batch(&["x"]), 1), 9);
    assert_eq!(r.responses[0].partition_responses[0].error_code, 3);
}

#[test]
fn acks_zero_gets_no_response_but_is_stored() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "fire");
    s.write_all(&frame(
        &produce_request("fire", one_batch(&["x", "y", "z"]), 0),
        9,
        1,
    ))
    .unwrap();
    // The next response on this connection belongs to the next request.
    assert_eq!(end_offset(&mut s, "fire"), 3);
}

/// Every advertised version of every API gets an answer: a response with a
/// field its version lacks would otherwise cost the client its connection.
#[test]
fn every_advertised_version_of_every_api_is_answered() {
    use kafka_protocol::messages::create_topics_request::{CreatableTopic, CreatableTopicConfig};
    use kafka_protocol::messages::delete_topics_request::DeleteTopicState;
    use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
    use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
    use kafka_protocol::messages::metadata_request::MetadataRequestTopic;

    let broker = Broker::start();
    let mut s = broker.connect();
    let name = |n: &str| TopicName(StrBytes::from_string(n.into()));
    create_topic(&mut s, "v");
    for version in 3..=10 {
        let r = call(&mut s, &produce_request("v", one_batch(&["a"]), 1), version);
        assert_eq!(
            r.responses[0].partition_responses[0].error_code, 0,
            "Produce v{version}"
        );
        // An error answer carries the fields of its version too.
        let r = call(&mut s, &produce_request("v", vec![1, 2, 3], 1), version);
        assert_eq!(
            r.responses[0].partition_responses[0].error_code, 2,
            "Produce v{version}"
        );
    }
    for version in 4..=12 {
        let req = FetchRequest::default()
            .with_max_wait_ms(0)
            .with_max_bytes(1 << 20)
            .with_topics(vec![FetchTopic::default()
                .with_topic(name("v"))
                .with_partitions(vec![FetchPartition::default()
                    .with_fetch_offset(0)
                    .with_partition_max_bytes(1 << 20)])]);
        let r = call(&mut s, &req, version);
        let p = &r.responses[0].partitions[0];
        assert_eq!((p.error_code, p.high_watermark), (0, 8), "Fetch v{version}");
        assert!(!p.records.as_ref().unwrap().is_empty(), "Fetch v{version}");
    }
    for version in 1..=7 {
        let req = ListOffsetsRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_topics(vec![ListOffsetsTopic::default()
                .with_name(name("v"))
                .with_partitions(vec![
                    ListOffsetsPartition::default().with_timestamp(-1)
                ])]);
        let r = call(&mut s, &req, version);
        assert_eq!(
            r.topics[0].partitions[0].offset, 8,
            "ListOffsets v{version}"
        );
    }
    for version in 0..=12 {
        let req = MetadataRequest::default().with_topics(Some(vec![
            MetadataRequestTopic::default().with_name(Some(name("v"))),
        ]));
        let r = call(&mut s, &req, version);
        assert_eq!(r.topics[0].error_code, 0, "Metadata v{version}");
        assert_eq!(r.topics[0].partitions.len(), 1, "Metadata v{version}");
    }
    for version in 0..=4 {
        assert_eq!(
            call(&mut s, &ApiVersionsRequest::default(), version).error_code,
            0,
            "ApiVersions v{version}"
        );
    }
    for version in 2..=7 {
        let topic = format!("c{version}");
        let req = CreateTopicsRequest::default()
            .with_timeout_ms(5000)
            .with_topics(vec![CreatableTopic::default()
                .with_name(name(&topic))
                .with_num_partitions(2)
                .with_replication_factor(1)
                .with_configs(vec![CreatableTopicConfig::default()
                    .with_name(StrBytes::from_static_str("retention.ms"))
                    .with_value(Some(StrBytes::from_static_str("60000")))])]);
        let r = call(&mut s, &req, version);
        assert_eq!(r.topics[0].error_code, 0, "CreateTopics v{version}");
        let again = call(&mut s, &req, version);
        assert_eq!(
            again.topics[0].error_code, 36,
            "CreateTopics v{version} TOPIC_ALREADY_EXISTS"
        );
    }
    for version in 1..=6 {
        let topic = format!("c{}", version + 1);
        let req = if version >= 6 {
            DeleteTopicsRequest::default().with_topics(vec![
                DeleteTopicState::default().with_name(Some(name(&topic)))
            ])
        } else {
            DeleteTopicsRequest::default().with_topic_names(vec![name(&topic)])
        }
        .with_timeout_ms(5000);
        let r = call(&mut s, &req, version);
        assert_eq!(r.responses[0].error_code, 0, "DeleteTopics v{version}");
        let again = call(&mut s, &req, version);
        assert_eq!(
            again.responses[0].error_code, 3,
            "DeleteTopics v{version} UNKNOWN_TOPIC_OR_PARTITION"
        );
    }
    for version in 0..=4 {
        let req = InitProducerIdRequest::default()
            .with_transactional_id(None)
            .with_producer_id(ProducerId(-1))
            .with_producer_epoch(-1);
        let r = call(&mut s, &req, version);
        assert_eq!(
            (r.error_code, r.producer_epoch),
            (0, 0),
            "InitProducerId v{version}"
        );
    }
    assert!(!broker.log().contains("panicked"));
}

/// The group APIs, likewise, in every advertised version.
#[test]
fn every_advertised_version_of_the_group_apis_is_answered() {
    use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
    use kafka_protocol::messages::leave_group_request::MemberIdentity;
    use kafka_protocol::messages::offset_commit_request::{
        OffsetCommitRequestPartition, OffsetCommitRequestTopic,
    };
    use kafka_protocol::messages::offset_delete_request::{
        OffsetDeleteRequestPartition, OffsetDeleteRequestTopic,
    };
    use kafka_protocol::messages::offset_fetch_request::{
        OffsetFetchRequestGroup, OffsetFetchRequestTopic, OffsetFetchRequestTopics,
    };
    use kafka_protocol::messages::sync_group_request::SyncGroupRequestAssignment;

    let broker = Broker::start();
    let mut s = broker.connect();
    let text = |v: &str| StrBytes::from_string(v.into());
    let gid = |v: &str| GroupId(text(v));
    create_topic(&mut s, "gv");

    for version in 0..=4 {
        let mut req = FindCoordinatorRequest::default();
        if version >= 4 {
            req.coordinator_keys = vec![text("g")];
        } else {
            req.key = text("g");
        }
        let r = call(&mut s, &req, version);
        let (code, port) = if version >= 4 {
            (r.coordinators[0].error_code, r.coordinators[0].port)
        } else {
            (r.error_code, r.port)
        };
        assert_eq!(
            (code, port),
            (0, i32::from(broker.port)),
            "FindCoordinator v{version}"
        );
    }

    // Joins a one-member group and returns (member id, generation).
    let join = |s: &mut std::net::TcpStream, group: &str, version: i16| {
        let mut req = JoinGroupRequest::default()
            .with_group_id(gid(group))
            .with_session_timeout_ms(10_000)
            .with_protocol_type(text("consumer"))
            .with_protocols(vec![JoinGroupRequestProtocol::default()
                .with_name(text("range"))
                .with_metadata(Bytes::from_static(b"m"))]);
        if version >= 1 {
            req.rebalance_timeout_ms = 10_000;
        }
        let mut r = call(s, &req, version);
        if r.error_code == 79 {
            assert!(version >= 4, "MEMBER_ID_REQUIRED only from v4");
            req.member_id = r.member_id.clone();
            r = call(s, &req, version);
        }
        assert_eq!(r.error_code, 0, "JoinGroup v{version}");
        assert_eq!(
            r.leader, r.member_id,
            "JoinGroup v{version}: a lone member leads"
        );
        assert_eq!(r.members.len(), 1, "JoinGroup v{version}");
        (r.member_id, r.generation_id)
    };
    for version in 0..=7 {
        assert_eq!(join(&mut s, &format!("j{version}"), version).1, 1);
    }
    for version in 0..=5 {
        let group = format!("s{version}");
        let (member, generation) = join(&mut s, &group, 5);
        let r = call(
            &mut s,
            &SyncGroupRequest::default()
                .with_group_id(gid(&group))
                .with_generation_id(generation)
                .with_member_id(member.clone())
                .with_assignments(vec![SyncGroupRequestAssignment::default()
                    .with_member_id(member.clone())
                    .with_assignment(Bytes::from_static(b"a"))]),
            version,
        );
        assert_eq!(
            (r.error_code, r.assignment.as_ref()),
            (0, &b"a"[..]),
            "SyncGroup v{version}"
        );
        if version <= 4 {
            let hb = HeartbeatRequest::default()
                .with_group_id(gid(&group))
                .with_generation_id(generation)
                .with_member_id(member.clone());
            assert_eq!(
                call(&mut s, &hb, version).error_code,
                0,
                "Heartbeat v{version}"
            );
            let stale = hb.with_generation_id(generation + 5);
            assert_eq!(
                call(&mut s, &stale, version).error_code,
                22,
                "Heartbeat v{version} ILLEGAL_GENERATION"
            );
            let mut leave = LeaveGroupRequest::default().with_group_id(gid(&group));
            if version >= 3 {
                leave.members = vec![MemberIdentity::default().with_member_id(member)];
            } else {
                leave.member_id = member;
            }
            let r = call(&mut s, &leave, version);
            let code = if version >= 3 {
                r.members[0].error_code
            } else {
                r.error_code
            };
            assert_eq!(code, 0, "LeaveGroup v{version}");
        }
    }
    for version in 2..=9 {
        let req = OffsetCommitRequest::default()
            .with_group_id(gid("oc"))
            .with_generation_id_or_member_epoch(-1)
            .with_topics(vec![OffsetCommitRequestTopic::default()
                .with_name(TopicName(text("gv")))
                .with_partitions(vec![OffsetCommitRequestPartition::default()
                    .with_committed_offset(i64::from(version))
                    .with_committed_metadata(Some(text("md")))])]);
        let r = call(&mut s, &req, version);
        assert_eq!(
            r.topics[0].partitions[0].error_code, 0,
            "OffsetCommit v{version}"
        );
    }
    for version in 1..=9 {
        let r = if version >= 8 {
            let req =
                OffsetFetchRequest::default().with_groups(vec![OffsetFetchRequestGroup::default()
                    .with_group_id(gid("oc"))
                    .with_topics(Some(vec![OffsetFetchRequestTopics::default()
                        .with_name(TopicName(text("gv")))
                        .with_partition_indexes(vec![0, 1])]))]);
            let r = call(&mut s, &req, version);
            let p = &r.groups[0].topics[0].partitions;
            (
                p[0].committed_offset,
                p[0].metadata.clone(),
                p[1].committed_offset,
            )
        } else {
            let req = OffsetFetchRequest::default()
                .with_group_id(gid("oc"))
                .with_topics(Some(vec![OffsetFetchRequestTopic::default()
                    .with_name(TopicName(text("gv")))
                    .with_partition_indexes(vec![0, 1])]));
            let r = call(&mut s, &req, version);
            let p = &r.topics[0].partitions;
            (
                p[0].committed_offset,
                p[0].metadata.clone(),
                p[1].committed_offset,
            )
        };
        assert_eq!(r, (9, Some(text("md")), -1), "OffsetFetch v{version}");
    }
    for version in 0..=4 {
        let r = call(&mut s, &ListGroupsRequest::default(), version);
        let ids: Vec<&str> = r.groups.iter().map(|g| g.group_id.as_str()).collect();
        assert!(
            ids.contains(&"oc") && ids.contains(&"j3"),
            "ListGroups v{version}: {ids:?}"
        );
    }
    for version in 0..=5 {
        let r = call(
            &mut s,
            &DescribeGroupsRequest::default().with_groups(vec![gid("s5"), gid("none")]),
            version,
        );
        assert_eq!(
            (r.groups[0].group_state.as_str(), r.groups[0].members.len()),
            ("Stable", 1),
            "DescribeGroups v{version}"
        );
        assert_eq!(
            r.groups[1].group_state.as_str(),
            "Dead",
            "DescribeGroups v{version}"
        );
    }
    let r = call(
        &mut s,
        &OffsetDeleteRequest::default()
            .with_group_id(gid("oc"))
            .with_topics(vec![OffsetDeleteRequestTopic::default()
                .with_name(TopicName(text("gv")))
                .with_partitions(vec![OffsetDeleteRequestPartition::default()])]),
        0,
    );
    assert_eq!(
        (r.error_code, r.topics[0].partitions[0].error_code),
        (0, 0),
        "OffsetDelete v0"
    );
    for version in 0..=2 {
        let group = format!("s{version}");
        let r = call(
            &mut s,
            &DeleteGroupsRequest::default().with_groups_names(vec![gid(&group), gid("j1")]),
            version,
        );
        assert_eq!(
            r.results[0].error_code, 0,
            "DeleteGroups v{version}: an empty group goes"
        );
        assert_eq!(
            r.results[1].error_code, 68,
            "DeleteGroups v{version}: NON_EMPTY_GROUP"
        );
    }
    assert!(
        !broker.log().contains("closing connection"),
        "{}",
        broker.log()
    );
}

/// The config, partition and log dir APIs, likewise, in every advertised
/// version.
#[test]
fn every_advertised_version_of_the_config_apis_is_answered() {
    use kafka_protocol::messages::alter_configs_request::{AlterConfigsResource, AlterableConfig};
    use kafka_protocol::messages::create_partitions_request::CreatePartitionsTopic;
    use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
    use kafka_protocol::messages::incremental_alter_configs_request as inc;

    let broker = Broker::start();
    let mut s = broker.connect();
    let text = |v: &str| StrBytes::from_string(v.into());
    create_topic(&mut s, "cv");
    for version in 0..=2 {
        let req =
            AlterConfigsRequest::default().with_resources(vec![AlterConfigsResource::default()
                .with_resource_type(2)
                .with_resource_name(text("cv"))
                .with_configs(vec![AlterableConfig::default()
                    .with_name(text("retention.ms"))
                    .with_value(Some(text(&format!("{}", 1000 + version))))])]);
        assert_eq!(
            call(&mut s, &req, version).responses[0].error_code,
            0,
            "AlterConfigs v{version}"
        );
    }
    for version in 0..=1 {
        let req = IncrementalAlterConfigsRequest::default().with_resources(vec![
            inc::AlterConfigsResource::default()
                .with_resource_type(2)
                .with_resource_name(text("cv"))
                .with_configs(vec![inc::AlterableConfig::default()
                    .with_name(text("cleanup.policy"))
                    .with_config_operation(2)
                    .with_value(Some(text("compact")))]),
        ]);
        assert_eq!(
            call(&mut s, &req, version).responses[0].error_code,
            0,
            "IncrementalAlterConfigs v{version}"
        );
    }
    for version in 1..=4 {
        let req = DescribeConfigsRequest::default().with_resources(vec![
            DescribeConfigsResource::default()
                .with_resource_type(2)
                .with_resource_name(text("cv"))
                .with_configuration_keys(None),
            DescribeConfigsResource::default()
                .with_resource_type(4)
                .with_resource_name(text("0"))
                .with_configuration_keys(None),
        ]);
        let r = call(&mut s, &req, version);
        let value = |n: &str| {
            r.results[0]
                .configs
                .iter()
                .find(|c| c.name.as_str() == n)
                .and_then(|c| c.value.clone())
                .map(|v| v.to_string())
        };
        assert_eq!(
            value("retention.ms").as_deref(),
            Some("1002"),
            "DescribeConfigs v{version}"
        );
        assert_eq!(
            value("cleanup.policy").as_deref(),
            Some("delete,compact"),
            "DescribeConfigs v{version}"
        );
        assert!(
            !r.results[1].configs.is_empty(),
            "DescribeConfigs v{version} broker"
        );
    }
    for version in 0..=3 {
        let req = CreatePartitionsRequest::default()
            .with_timeout_ms(5000)
            .with_topics(vec![CreatePartitionsTopic::default()
                .with_name(TopicName(text("cv")))
                .with_count(2 + i32::from(version))]);
        assert_eq!(
            call(&mut s, &req, version).results[0].error_code,
            0,
            "CreatePartitions v{version}"
        );
    }
    for version in 1..=4 {
        use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
        // cv has 5 partitions by now.
        for (topics, expected) in [
            (None, vec![0, 1, 2, 3, 4]),
            (
                Some(vec![DescribableLogDirTopic::default()
                    .with_topic(TopicName(text("cv")))
                    .with_partitions(vec![0, 3])]),
                vec![0, 3],
            ),
        ] {
            let r = call(
                &mut s,
                &DescribeLogDirsRequest::default().with_topics(topics),
                version,
            );
            assert_eq!(r.results.len(), 1, "DescribeLogDirs v{version}");
            let dir = &r.results[0];
            let partitions: Vec<i32> = dir
                .topics
                .iter()
                .filter(|t| t.name.as_str() == "cv")
                .flat_map(|t| t.partitions.iter().map(|p| p.partition_index))
                .collect();
            assert_eq!(partitions, expected, "DescribeLogDirs v{version}");
            // Volume sizes exist from v4; before, they decode as the default.
            assert_eq!(
                dir.total_bytes > 0,
                version >= 4,
                "DescribeLogDirs v{version}"
            );
        }
    }
    assert!(
        !broker.log().contains("closing connection"),
        "{}",
        broker.log()
    );
}
