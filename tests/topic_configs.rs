//! Topic configs enforced by the broker, driven through rdkafka's admin API:
//! DescribeConfigs/AlterConfigs round trips, CreatePartitions, retention,
//! max.message.bytes, LogAppendTime and keys on compacted topics.

use std::time::Duration;

use rdkafka::admin::{
    AdminClient, AdminOptions, AlterConfig, NewPartitions, NewTopic, ResourceSpecifier,
    TopicReplication,
};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseRecord, Producer};
use rdkafka::{Message, Timestamp};

use crate::support::*;

pub(crate) struct Admin {
    client: AdminClient<DefaultClientContext>,
    rt: tokio::runtime::Runtime,
}

impl Admin {
    pub(crate) fn new(broker: &Broker) -> Admin {
        Admin {
            client: rdkafka::ClientConfig::new()
                .set("bootstrap.servers", broker.bootstrap())
                .create()
                .unwrap(),
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        }
    }

    pub(crate) fn create(&self, name: &str, partitions: i32, configs: &[(&str, &str)]) {
        let mut t = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
        for (k, v) in configs {
            t = t.set(k, v);
        }
        let r = self
            .rt
            .block_on(self.client.create_topics(&[t], &AdminOptions::new()))
            .unwrap();
        r[0].as_ref()
            .unwrap_or_else(|e| panic!("create {name}: {e:?}"));
    }

    /// `name` → (value, is_default, source) for a topic.
    fn describe(&self, topic: &str) -> Vec<(String, Option<String>, bool)> {
        let r = self
            .rt
            .block_on(
                self.client
                    .describe_configs(&[ResourceSpecifier::Topic(topic)], &AdminOptions::new()),
            )
            .unwrap();
        let resource = r.into_iter().next().unwrap().unwrap();
        resource
            .entries
            .into_iter()
            .map(|e| (e.name, e.value, e.is_default))
            .collect()
    }

    fn alter(&self, topic: &str, configs: &[(&str, &str)]) -> Result<(), String> {
        let mut alter = AlterConfig::new(ResourceSpecifier::Topic(topic));
        for (k, v) in configs {
            alter = alter.set(k, v);
        }
        let r = self
            .rt
            .block_on(self.client.alter_configs(&[alter], &AdminOptions::new()))
            .unwrap();
        r.into_iter()
            .next()
            .unwrap()
            .map(|_| ())
            .map_err(|(_, e)| format!("{e:?}"))
    }
}

#[test]
fn configs_round_trip_through_describe_and_alter() {
    let broker = Broker::start_with(&["--segment-bytes", "64K"]);
    let admin = Admin::new(&broker);
    admin.create(
        "cfg",
        1,
        &[("retention.ms", "3600000"), ("cleanup.policy", "compact")],
    );
    let find = |entries: &[(String, Option<String>, bool)], name: &str| {
        entries
            .iter()
            .find(|e| e.0 == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} not described"))
    };
    let entries = admin.describe("cfg");
    assert_eq!(
        find(&entries, "retention.ms"),
        ("retention.ms".into(), Some("3600000".into()), false)
    );
    assert_eq!(
        find(&entries, "cleanup.policy").1.as_deref(),
        Some("compact")
    );
    assert_eq!(
        find(&entries, "segment.bytes").1.as_deref(),
        Some("65536"),
        "the broker's --segment-bytes"
    );
    assert_eq!(
        find(&entries, "max.message.bytes"),
        ("max.message.bytes".into(), Some("1048588".into()), true)
    );

    // AlterConfigs replaces the overrides: cleanup.policy returns to its default.
    admin
        .alter(
            "cfg",
            &[("retention.ms", "1000"), ("max.message.bytes", "2048")],
        )
        .unwrap();
    let entries = admin.describe("cfg");
    assert_eq!(find(&entries, "retention.ms").1.as_deref(), Some("1000"));
    assert_eq!(
        find(&entries, "cleanup.policy").1.as_deref(),
        Some("delete")
    );
    // rdkafka's AlterConfigs result drops per-resource errors, so the
    // refusals are checked on the wire.
    for (name, value, why) in [
        ("retention.ms", "soon", "expected a whole number"),
        ("no.such.config", "1", "unknown topic config"),
    ] {
        use kafka_protocol::messages::alter_configs_request::{
            AlterConfigsResource, AlterableConfig,
        };
        use kafka_protocol::protocol::StrBytes;
        let req = kafka_protocol::messages::AlterConfigsRequest::default().with_resources(vec![
            AlterConfigsResource::default()
                .with_resource_type(2)
                .with_resource_name(StrBytes::from_static_str("cfg"))
                .with_configs(vec![AlterableConfig::default()
                    .with_name(StrBytes::from_static_str(name))
                    .with_value(Some(StrBytes::from_static_str(value)))]),
        ]);
        let r = call(&mut broker.connect(), &req, 2);
        assert_eq!(
            r.responses[0].error_code, 40,
            "INVALID_CONFIG for {name}={value}"
        );
        let msg = r.responses[0].error_message.as_ref().unwrap().to_string();
        assert!(msg.contains(why), "{msg}");
    }
    assert_eq!(
        find(&admin.describe("cfg"), "retention.ms").1.as_deref(),
        Some("1000"),
        "a refused change changes nothing"
    );

    // The new max.message.bytes is enforced at once.
    let p = producer(
        &broker,
        &[("linger.ms", "0"), ("message.max.bytes", "100000")],
    );
    p.send(BaseRecord::<(), [u8]>::to("cfg").payload(&[7u8; 4000][..]))
        .unwrap();
    p.flush(Duration::from_secs(30)).unwrap();
    let reports = p.context().0.lock().unwrap().clone();
    assert!(
        reports[0].as_ref().unwrap_err().contains("too large"),
        "{reports:?}"
    );

    // And it all survives a restart.
    let data_dir = broker.data_dir.clone();
    drop(admin);
    drop(p);
    let mut broker = broker;
    broker.stop();
    let broker = Broker::start_in(&data_dir, &["--segment-bytes", "64K"]);
    let entries = Admin::new(&broker).describe("cfg");
    assert_eq!(find(&entries, "retention.ms").1.as_deref(), Some("1000"));
}

#[test]
fn partitions_can_be_added_but_not_removed() {
    let broker = Broker::start();
    let admin = Admin::new(&broker);
    admin.create("grow", 2, &[]);
    let grow = |n: usize| {
        let r = admin
            .rt
            .block_on(
                admin
                    .client
                    .create_partitions(&[NewPartitions::new("grow", n)], &AdminOptions::new()),
            )
            .unwrap();
        r.into_iter()
            .next()
            .unwrap()
            .map(|_| ())
            .map_err(|(_, e)| e)
    };
    grow(5).unwrap();
    assert!(grow(3).is_err(), "the count can only grow");
    let p = producer(&broker, &[]);
    assert_eq!(produce_all(&p, "grow", 4, &[b"new".to_vec()]), vec![0]);
    let md = p
        .client()
        .fetch_metadata(Some("grow"), Duration::from_secs(10))
        .unwrap();
    assert_eq!(md.topics()[0].partitions().len(), 5);
}

#[test]
fn retention_removes_old_segments_and_consumers_see_the_new_start() {
    let broker = Broker::start();
    let admin = Admin::new(&broker);
    admin.create(
        "short",
        1,
        &[
            ("retention.ms", "60000"),
            ("segment.bytes", "1024"),
            ("segment.ms", "600000"),
        ],
    );
    let p = producer(&broker, &[("linger.ms", "0")]);
    let old = rdkafka::util::millis_to_epoch(std::time::SystemTime::now()) - 3_600_000;
    // An hour-old batch per segment, then fresh ones.
    for i in 0..20i64 {
        p.send(
            BaseRecord::<(), str>::to("short")
                .partition(0)
                .payload(&"o".repeat(600))
                .timestamp(old + i),
        )
        .unwrap();
        p.flush(Duration::from_secs(10)).unwrap();
    }
    for _ in 0..3 {
        p.send(
            BaseRecord::<(), str>::to("short")
                .partition(0)
                .payload(&"n".repeat(600)),
        )
        .unwrap();
        p.flush(Duration::from_secs(10)).unwrap();
    }
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "unused")
        .create()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (low, high) = consumer
            .fetch_watermarks("short", 0, Duration::from_secs(10))
            .unwrap();
        if low == 20 {
            assert_eq!(high, 23);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "log start still {low}; log:\n{}",
            broker.log()
        );
    }
    assert!(broker.log().contains("retention removed a segment"));
    let got = read_partition(&broker, "short", 0, 20);
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.2.starts_with(b"n")));
}

#[test]
fn log_append_time_stamps_records_with_the_broker_clock() {
    let broker = Broker::start();
    Admin::new(&broker).create("stamped", 1, &[("message.timestamp.type", "LogAppendTime")]);
    let p = producer(&broker, &[]);
    p.send(
        BaseRecord::<(), str>::to("stamped")
            .payload("x")
            .timestamp(1_000),
    )
    .unwrap();
    p.flush(Duration::from_secs(10)).unwrap();
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "unused")
        .create()
        .unwrap();
    let mut tpl = rdkafka::TopicPartitionList::new();
    tpl.add_partition_offset("stamped", 0, rdkafka::Offset::Beginning)
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let m = consumer.poll(Duration::from_secs(30)).unwrap().unwrap();
    match m.timestamp() {
        Timestamp::LogAppendTime(t) => assert!(
            t > 1_600_000_000_000,
            "broker clock, not the producer's: {t}"
        ),
        other => panic!("expected LogAppendTime, got {other:?}"),
    }
}

#[test]
fn a_compacted_topic_refuses_records_without_a_key() {
    let broker = Broker::start();
    Admin::new(&broker).create("compacted", 1, &[("cleanup.policy", "compact")]);
    let p = producer(&broker, &[("message.timeout.ms", "5000")]);
    p.send(BaseRecord::<(), str>::to("compacted").payload("no key"))
        .unwrap();
    p.flush(Duration::from_secs(30)).unwrap();
    p.send(
        BaseRecord::<str, str>::to("compacted")
            .key("k")
            .payload("keyed"),
    )
    .unwrap();
    p.flush(Duration::from_secs(30)).unwrap();
    let reports = p.context().0.lock().unwrap().clone();
    assert!(
        reports[0].as_ref().unwrap_err().contains("InvalidRecord"),
        "{reports:?}"
    );
    assert_eq!(reports[1], Ok((0, 0)), "the keyed record is stored");
}

#[test]
fn compaction_keeps_the_latest_value_per_key_and_drops_old_tombstones() {
    let broker = Broker::start();
    Admin::new(&broker).create(
        "latest",
        1,
        &[
            ("cleanup.policy", "compact"),
            ("segment.bytes", "2048"),
            ("delete.retention.ms", "0"),
        ],
    );
    let p = producer(&broker, &[("linger.ms", "0"), ("batch.num.messages", "10")]);
    let mut expected = std::collections::BTreeMap::new();
    for round in 0..60 {
        for k in 0..5 {
            let key = format!("k{k}");
            let value = format!("{key}-v{round}");
            p.send(
                BaseRecord::to("latest")
                    .partition(0)
                    .key(&key)
                    .payload(&value),
            )
            .unwrap();
            expected.insert(key, Some(value));
        }
    }
    // k4 is deleted, then more traffic seals the segment that holds the tombstone.
    p.send(BaseRecord::<str, ()>::to("latest").partition(0).key("k4"))
        .unwrap();
    expected.insert("k4".into(), None);
    for round in 60..90 {
        for k in 0..4 {
            let key = format!("k{k}");
            let value = format!("{key}-v{round}");
            p.send(
                BaseRecord::to("latest")
                    .partition(0)
                    .key(&key)
                    .payload(&value),
            )
            .unwrap();
            expected.insert(key, Some(value));
        }
    }
    p.flush(Duration::from_secs(30)).unwrap();
    let produced = 60 * 5 + 1 + 30 * 4;

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let records = loop {
        let records = read_all_keyed(&broker, "latest");
        if records.len() < produced / 4 && !records.iter().any(|(k, _)| k == "k4") {
            break records;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not compacted: {} of {produced} records remain; log:\n{}",
            records.len(),
            broker.log()
        );
    };
    let mut last = std::collections::BTreeMap::new();
    for (k, v) in &records {
        last.insert(k.clone(), v.clone());
    }
    expected.remove("k4");
    assert_eq!(
        last, expected,
        "the newest value of every live key survives"
    );
    assert!(broker.log().contains("compaction rewrote segments"));
}

/// Every (key, value) of partition 0 from the log start, in order.
fn read_all_keyed(broker: &Broker, topic: &str) -> Vec<(String, Option<String>)> {
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "unused")
        .set("enable.partition.eof", "true")
        .create()
        .unwrap();
    let mut tpl = rdkafka::TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, rdkafka::Offset::Beginning)
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    loop {
        match consumer.poll(Duration::from_secs(30)) {
            Some(Ok(m)) => out.push((
                String::from_utf8(m.key().unwrap().to_vec()).unwrap(),
                m.payload().map(|v| String::from_utf8(v.to_vec()).unwrap()),
            )),
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(_))) => return out,
            Some(Err(e)) => panic!("{e}"),
            None => panic!("no end of partition within 30 s"),
        }
    }
}
