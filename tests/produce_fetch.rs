//! The main path through real clients: rdkafka produces and reads back, with
//! compression, timestamps, auto-creation and topic admin.

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseRecord, Producer};
use rdkafka::{Message, Offset, TopicPartitionList};

use crate::support::*;

#[test]
fn compressed_batches_of_every_codec_round_trip_with_keys_and_headers() {
    let broker = Broker::start();
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let topic = format!("codec-{codec}");
        let p = producer(&broker, &[("compression.codec", codec)]);
        for i in 0..200 {
            let key = format!("k{i}");
            let value = format!("{codec}-{i}-{}", "x".repeat(i % 50));
            let headers = OwnedHeaders::new().insert(Header {
                key: "n",
                value: Some(&i.to_string()),
            });
            p.send(
                BaseRecord::to(&topic)
                    .partition(0)
                    .key(&key)
                    .payload(&value)
                    .headers(headers),
            )
            .unwrap();
        }
        p.flush(Duration::from_secs(30)).unwrap();
        let reports = p.context().0.lock().unwrap().clone();
        assert_eq!(reports.len(), 200);
        assert!(reports.iter().all(|r| r.is_ok()), "{codec}: {reports:?}");

        let consumer: BaseConsumer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", broker.bootstrap())
            .set("group.id", "unused")
            .create()
            .unwrap();
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(&topic, 0, Offset::Beginning)
            .unwrap();
        consumer.assign(&tpl).unwrap();
        let mut seen = 0;
        while seen < 200 {
            let m = consumer
                .poll(Duration::from_secs(30))
                .expect("a record within 30s")
                .unwrap();
            assert_eq!(m.offset(), seen as i64, "{codec}");
            assert_eq!(m.key().unwrap(), format!("k{seen}").as_bytes());
            assert_eq!(
                m.payload().unwrap(),
                format!("{codec}-{seen}-{}", "x".repeat(seen % 50)).as_bytes()
            );
            let h = m.headers().unwrap().get(0);
            assert_eq!((h.key, h.value), ("n", Some(seen.to_string().as_bytes())));
            seen += 1;
        }
    }
}

#[test]
fn a_waiting_consumer_is_woken_by_a_new_record() {
    let broker = Broker::start();
    let p = producer(&broker, &[]);
    produce_all(&p, "live", 0, &[b"first".to_vec()]);
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "unused")
        .set("fetch.wait.max.ms", "10000")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset("live", 0, Offset::End).unwrap();
    consumer.assign(&tpl).unwrap();
    // Let the consumer reach the end and park in a long poll.
    assert!(consumer.poll(Duration::from_millis(1500)).is_none());
    let started = std::time::Instant::now();
    produce_all(&p, "live", 0, &[b"second".to_vec()]);
    let m = consumer.poll(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(m.payload().unwrap(), b"second");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "delivered by the append wake-up, not by the 10 s max wait"
    );
}

#[test]
fn offsets_for_times_finds_the_first_record_at_or_after_a_timestamp() {
    let broker = Broker::start();
    let p = producer(&broker, &[("linger.ms", "0")]);
    let base = 1_700_000_000_000i64;
    for i in 0..50i64 {
        p.send(
            BaseRecord::<(), str>::to("times")
                .partition(0)
                .payload("v")
                .timestamp(base + i * 1000),
        )
        .unwrap();
        p.flush(Duration::from_secs(30)).unwrap();
    }
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", "unused")
        .create()
        .unwrap();
    let lookup = |ts: i64| {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset("times", 0, Offset::Offset(ts))
            .unwrap();
        let r = consumer
            .offsets_for_times(tpl, Duration::from_secs(30))
            .unwrap();
        r.find_partition("times", 0).unwrap().offset()
    };
    assert_eq!(lookup(base), Offset::Offset(0));
    assert_eq!(lookup(base + 20_500), Offset::Offset(21));
    assert_eq!(lookup(base + 49_000), Offset::Offset(49));
    assert_eq!(lookup(base + 60_000), Offset::End, "no record that late");
    let (low, high) = consumer
        .fetch_watermarks("times", 0, Duration::from_secs(30))
        .unwrap();
    assert_eq!((low, high), (0, 50));
}

#[test]
fn metadata_auto_creates_topics_unless_told_not_to() {
    let broker = Broker::start_with(&["--partitions", "4"]);
    let p = producer(&broker, &[]);
    produce_all(&p, "auto", 3, &[b"x".to_vec()]);
    let md = p
        .client()
        .fetch_metadata(Some("auto"), Duration::from_secs(30))
        .unwrap();
    assert_eq!(
        md.topics()[0].partitions().len(),
        4,
        "--partitions sets the default count"
    );
    assert!(broker.data_dir.join("auto-3").is_dir());

    let strict = Broker::start_with(&["--no-auto-create"]);
    let p = producer(&strict, &[("message.timeout.ms", "3000")]);
    p.send(BaseRecord::<(), str>::to("missing").payload("x"))
        .unwrap();
    p.flush(Duration::from_secs(30)).unwrap();
    let reports = p.context().0.lock().unwrap().clone();
    assert_eq!(reports.len(), 1);
    let err = reports[0].clone().unwrap_err();
    assert!(
        err.contains("Unknown topic") || err.contains("timed out"),
        "{err}"
    );
    assert!(!strict.data_dir.join("missing-0").exists());
}

#[test]
fn topics_are_created_listed_and_deleted_through_the_admin_api() {
    use rdkafka::admin::{NewTopic, TopicReplication};
    let broker = Broker::start();
    let admin: AdminClient<DefaultClientContext> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let created = rt
        .block_on(admin.create_topics(
            &[
                NewTopic::new("t1", 2, TopicReplication::Fixed(1)),
                NewTopic::new("bad/name", 1, TopicReplication::Fixed(1)),
                NewTopic::new("t3", 1, TopicReplication::Fixed(3)),
            ],
            &opts,
        ))
        .unwrap();
    assert!(created[0].is_ok());
    assert!(created[1].is_err(), "invalid names are refused");
    assert!(
        created[2].is_err(),
        "replication factor 3 is refused on one node"
    );
    let again = rt
        .block_on(admin.create_topics(&[NewTopic::new("t1", 1, TopicReplication::Fixed(1))], &opts))
        .unwrap();
    assert!(
        matches!(
            &again[0],
            Err((_, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists))
        ),
        "{again:?}"
    );

    let md = admin
        .inner()
        .fetch_metadata(None, Duration::from_secs(10))
        .unwrap();
    let names: Vec<&str> = md.topics().iter().map(|t| t.name()).collect();
    assert_eq!(names, vec!["t1"]);

    let deleted = rt
        .block_on(admin.delete_topics(&["t1", "never"], &opts))
        .unwrap();
    assert!(deleted[0].is_ok());
    assert!(deleted[1].is_err());
    assert!(!broker.data_dir.join("t1-0").exists());
    let md = admin
        .inner()
        .fetch_metadata(None, Duration::from_secs(10))
        .unwrap();
    assert!(md.topics().is_empty());
}

#[test]
fn localhost_binds_every_address_it_resolves_to() {
    // Listening on [::1] works where the host has IPv6 loopback; the address
    // printed is the one clients can reach.
    let temp = tempfile::tempdir().unwrap();
    for listen in ["localhost:0", "[::1]:0"] {
        let mut child = std::process::Command::new(dq_bin())
            .args(["serve", "--temp", "--listen", listen])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .current_dir(temp.path())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        assert!(line.starts_with("dq serve: listening on "), "{line}");
        let addrs: Vec<std::net::SocketAddr> = line
            .trim()
            .trim_start_matches("dq serve: listening on ")
            .split(", ")
            .map(|a| a.parse().unwrap())
            .collect();
        let expected: Vec<std::net::IpAddr> =
            std::net::ToSocketAddrs::to_socket_addrs(&listen.replace(":0", ":1"))
                .unwrap()
                .map(|a| a.ip())
                .collect();
        for ip in expected {
            let a = addrs
                .iter()
                .find(|a| a.ip() == ip)
                .unwrap_or_else(|| panic!("{ip} not bound: {line}"));
            std::net::TcpStream::connect(a).unwrap();
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[test]
fn idempotent_producers_get_ids_and_retried_batches_are_not_stored_twice() {
    use kafka_protocol::messages::*;

    let broker = Broker::start();
    // librdkafka's idempotent producer end to end.
    let p = producer(&broker, &[("enable.idempotence", "true")]);
    assert_eq!(
        produce_all(&p, "idem", 0, &[b"a".to_vec(), b"b".to_vec()]),
        vec![0, 1]
    );

    // A retried batch (same producer, epoch and sequences) gets its first offset back.
    let mut s = broker.connect();
    let init = call(
        &mut s,
        &InitProducerIdRequest::default()
            .with_transactional_id(None)
            .with_producer_id(ProducerId(-1))
            .with_producer_epoch(-1)
            .with_transaction_timeout_ms(60000),
        4,
    );
    assert_eq!(init.error_code, 0);
    let (pid, epoch) = (init.producer_id.0, init.producer_epoch);
    let batch = |seq: i32| {
        let stamp = ProducerStamp {
            producer_id: pid,
            epoch,
            first_sequence: seq,
            transactional: false,
        };
        produce_request(
            "idem",
            0,
            producer_batch(stamp, &[b"r".as_slice(); 3]),
            None,
        )
    };
    let first = call(&mut s, &batch(0), 9);
    assert_eq!(first.responses[0].partition_responses[0].base_offset, 2);
    let retry = call(&mut s, &batch(0), 9);
    assert_eq!(retry.responses[0].partition_responses[0].error_code, 0);
    assert_eq!(
        retry.responses[0].partition_responses[0].base_offset, 2,
        "the original offset"
    );
    let gap = call(&mut s, &batch(10), 9);
    assert_eq!(
        gap.responses[0].partition_responses[0].error_code, 45,
        "OUT_OF_ORDER_SEQUENCE_NUMBER"
    );
    let next = call(&mut s, &batch(3), 9);
    assert_eq!(next.responses[0].partition_responses[0].base_offset, 5);
    assert_eq!(read_partition(&broker, "idem", 0, 0).len(), 8);
}
