//! Idempotence that survives broker crashes, and the log side of
//! transactions, seen from the wire: retries after a SIGKILL are answered
//! with their original offsets, gaps and fenced epochs are refused, an
//! idempotent librdkafka producer rides out repeated SIGKILLs without a
//! duplicate or a loss, and an open transaction holds read_committed
//! readers back (also across a restart).

use std::collections::HashMap;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::describe_producers_request::TopicRequest;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::*;
use rdkafka::message::DeliveryResult;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::Message;

use crate::support::*;

fn name(topic: &str) -> TopicName {
    TopicName(StrBytes::from_string(topic.to_string()))
}

fn create_topic(s: &mut TcpStream, topic: &str, partitions: i32) {
    let r = call(
        s,
        &CreateTopicsRequest::default()
            .with_timeout_ms(5000)
            .with_topics(vec![CreatableTopic::default()
                .with_name(name(topic))
                .with_num_partitions(partitions)
                .with_replication_factor(1)]),
        5,
    );
    assert_eq!(r.topics[0].error_code, 0, "{:?}", r.topics[0].error_message);
}

fn init_producer(s: &mut TcpStream) -> (i64, i16) {
    let init = call(
        s,
        &InitProducerIdRequest::default()
            .with_transactional_id(None)
            .with_producer_id(ProducerId(-1))
            .with_producer_epoch(-1)
            .with_transaction_timeout_ms(60000),
        4,
    );
    assert_eq!(init.error_code, 0);
    (init.producer_id.0, init.producer_epoch)
}

/// A batch of `n` records from producer `pid`/`epoch` starting at `seq`.
fn batch(pid: i64, epoch: i16, seq: i32, n: i64, transactional: bool) -> Bytes {
    let records: Vec<Record> = (0..n)
        .map(|i| Record {
            transactional,
            control: false,
            delete_horizon: false,
            partition_leader_epoch: 0,
            producer_id: pid,
            producer_epoch: epoch,
            timestamp_type: TimestampType::Creation,
            offset: i,
            sequence: if pid < 0 { i as i32 } else { seq + i as i32 },
            timestamp: 1_700_000_000_000,
            key: None,
            value: Some(Bytes::from(format!("v{seq}-{i}"))),
            headers: Default::default(),
        })
        .collect();
    let mut buf = BytesMut::new();
    RecordBatchEncoder::encode(
        &mut buf,
        &records,
        &RecordEncodeOptions {
            version: 2,
            compression: Compression::None,
        },
    )
    .unwrap();
    buf.freeze()
}

/// Produces one batch with acks=all: (error code, base offset).
fn produce(s: &mut TcpStream, topic: &str, records: Bytes) -> (i16, i64) {
    let r = call(
        s,
        &ProduceRequest::default()
            .with_acks(-1)
            .with_timeout_ms(5000)
            .with_topic_data(vec![TopicProduceData::default()
                .with_name(name(topic))
                .with_partition_data(vec![PartitionProduceData::default()
                    .with_index(0)
                    .with_records(Some(records))])]),
        9,
    );
    let p = &r.responses[0].partition_responses[0];
    (p.error_code, p.base_offset)
}

/// Restarts a killed broker on the same data directory and port.
fn restart(broker: &Broker) -> Broker {
    let listen = format!("127.0.0.1:{}", broker.port);
    Broker::start_in(&broker.data_dir, &["--listen", listen.as_str()])
}

#[test]
fn retries_gaps_and_fenced_epochs_are_judged_the_same_after_a_sigkill() {
    let mut broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "idem", 1);
    let (pid, epoch) = init_producer(&mut s);
    for seq in [0, 3, 6, 9, 12, 15] {
        assert_eq!(
            produce(&mut s, "idem", batch(pid, epoch, seq, 3, false)),
            (0, i64::from(seq))
        );
    }
    broker.kill();
    let broker = restart(&broker);
    let mut s = broker.connect();
    // Each of the last five batches is still recognised as a retry.
    for seq in [3, 6, 9, 12, 15] {
        assert_eq!(
            produce(&mut s, "idem", batch(pid, epoch, seq, 3, false)),
            (0, i64::from(seq)),
            "a retry of the batch at sequence {seq} gets its original offset"
        );
    }
    assert_eq!(
        produce(&mut s, "idem", batch(pid, epoch, 30, 1, false)).0,
        45,
        "OUT_OF_ORDER_SEQUENCE_NUMBER"
    );
    assert_eq!(
        produce(&mut s, "idem", batch(pid, epoch, 18, 2, false)),
        (0, 18)
    );
    // A newer epoch starts over at 0; the old one is fenced from then on.
    assert_eq!(
        produce(&mut s, "idem", batch(pid, epoch + 1, 0, 1, false)),
        (0, 20)
    );
    assert_eq!(
        produce(&mut s, "idem", batch(pid, epoch, 20, 1, false)).0,
        47,
        "INVALID_PRODUCER_EPOCH"
    );
    assert_eq!(read_partition(&broker, "idem", 0, 0).len(), 21);
}

fn fetch(s: &mut TcpStream, topic: &str, isolation: i8) -> fetch_response::PartitionData {
    let r = call(
        s,
        &FetchRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_max_wait_ms(0)
            .with_min_bytes(0)
            .with_max_bytes(1 << 20)
            .with_isolation_level(isolation)
            .with_session_epoch(-1)
            .with_topics(vec![FetchTopic::default()
                .with_topic(name(topic))
                .with_partitions(vec![FetchPartition::default()
                    .with_partition(0)
                    .with_fetch_offset(0)
                    .with_partition_max_bytes(1 << 20)])]),
        11,
    );
    r.responses[0].partitions[0].clone()
}

fn record_count(mut records: Bytes) -> usize {
    let mut n = 0;
    while !records.is_empty() {
        n += RecordBatchDecoder::decode(&mut records)
            .unwrap()
            .records
            .len();
    }
    n
}

fn latest(s: &mut TcpStream, topic: &str, isolation: i8) -> i64 {
    let r = call(
        s,
        &ListOffsetsRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_isolation_level(isolation)
            .with_topics(vec![ListOffsetsTopic::default()
                .with_name(name(topic))
                .with_partitions(vec![ListOffsetsPartition::default()
                    .with_partition_index(0)
                    .with_timestamp(-1)])]),
        7,
    );
    let p = &r.topics[0].partitions[0];
    assert_eq!(p.error_code, 0);
    p.offset
}

#[test]
fn an_open_transaction_holds_read_committed_back_across_a_restart() {
    let mut broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "txn", 1);
    assert_eq!(produce(&mut s, "txn", batch(-1, -1, 0, 2, false)), (0, 0));
    let (pid, epoch) = init_producer(&mut s);
    assert_eq!(
        produce(&mut s, "txn", batch(pid, epoch, 0, 3, true)),
        (0, 2)
    );
    assert_eq!(produce(&mut s, "txn", batch(-1, -1, 0, 1, false)), (0, 5));
    let check = |s: &mut TcpStream| {
        let committed = fetch(s, "txn", 1);
        assert_eq!(committed.error_code, 0);
        assert_eq!(
            (committed.high_watermark, committed.last_stable_offset),
            (6, 2)
        );
        assert_eq!(
            record_count(committed.records.clone().unwrap()),
            2,
            "read_committed stops at the LSO"
        );
        assert_eq!(committed.aborted_transactions, Some(vec![]));
        let all = fetch(s, "txn", 0);
        assert_eq!(all.last_stable_offset, 2);
        assert_eq!(record_count(all.records.clone().unwrap()), 6);
        assert_eq!(latest(s, "txn", 1), 2);
        assert_eq!(latest(s, "txn", 0), 6);
        let described = call(
            s,
            &DescribeProducersRequest::default().with_topics(vec![TopicRequest::default()
                .with_name(name("txn"))
                .with_partition_indexes(vec![0])]),
            0,
        );
        let p = &described.topics[0].partitions[0];
        assert_eq!(p.error_code, 0);
        assert_eq!(p.active_producers.len(), 1);
        let producer = &p.active_producers[0];
        assert_eq!(producer.producer_id.0, pid);
        assert_eq!(producer.last_sequence, 2);
        assert_eq!(producer.current_txn_start_offset, 2);
    };
    check(&mut s);
    broker.kill();
    let broker = restart(&broker);
    check(&mut broker.connect());
}

/// Acknowledged (partition, offset, value index).
#[derive(Default)]
struct Acks {
    acked: std::sync::Mutex<Vec<(i32, i64, usize)>>,
    failed: std::sync::Mutex<Vec<String>>,
}

impl rdkafka::ClientContext for Acks {}

impl ProducerContext for Acks {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, index: usize) {
        // Not poisoned by a failed assertion while the producer drains.
        match result {
            Ok(m) => self.acked.lock().unwrap_or_else(|p| p.into_inner()).push((
                m.partition(),
                m.offset(),
                index,
            )),
            Err((e, _)) => self
                .failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(format!("{index}: {e}")),
        }
    }
}

#[test]
fn an_idempotent_producer_rides_out_eight_sigkills_without_duplicates_or_losses() {
    const KILLS: usize = 8;
    const PARTITIONS: i32 = 2;
    // The directory outlives each broker process (a Broker that made its
    // own would remove it when replaced).
    let temp = tempfile::tempdir().unwrap();
    let mut broker = Broker::start_in(&temp.path().join("data"), &["--partitions", "2"]);
    let producer: BaseProducer<Acks> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("linger.ms", "2")
        .set("message.timeout.ms", "120000")
        .set("reconnect.backoff.max.ms", "200")
        .create_with_context(Acks::default())
        .unwrap();
    let mut sent = 0usize;
    let send_some = |sent: &mut usize| {
        if producer.in_flight_count() >= 500 {
            return;
        }
        for _ in 0..20 {
            let value = format!("value-{sent}");
            let record = BaseRecord::<[u8], [u8], usize>::with_opaque_to("crashes", *sent)
                .partition(*sent as i32 % PARTITIONS)
                .payload(value.as_bytes());
            producer.send(record).expect("queue a record");
            *sent += 1;
        }
    };
    for round in 0..KILLS {
        // Kill with records in flight, at a different point each round.
        let target = producer.context().acked.lock().unwrap().len() + 200 + round * 97;
        let deadline = Instant::now() + Duration::from_secs(90);
        while producer.context().acked.lock().unwrap().len() < target {
            assert!(
                Instant::now() < deadline,
                "round {round}: no progress; failures {:?}; broker log:\n{}",
                producer.context().failed.lock().unwrap(),
                broker.log()
            );
            send_some(&mut sent);
            producer.poll(Duration::from_millis(1));
        }
        broker.kill();
        broker = restart(&broker);
    }
    // Everything still queued or in flight is delivered to the last broker.
    producer
        .flush(Duration::from_secs(120))
        .expect("every record delivered after the last restart");
    let failed = producer.context().failed.lock().unwrap().clone();
    assert!(failed.is_empty(), "failed deliveries: {failed:?}");
    let acked = producer.context().acked.lock().unwrap().clone();
    assert_eq!(acked.len(), sent, "every record acknowledged");

    let mut stored: HashMap<String, Vec<(i32, i64)>> = HashMap::new();
    for p in 0..PARTITIONS {
        for (offset, _, value) in read_partition(&broker, "crashes", p, 0) {
            stored
                .entry(String::from_utf8(value).unwrap())
                .or_default()
                .push((p, offset));
        }
    }
    let duplicates: Vec<_> = stored.iter().filter(|(_, at)| at.len() > 1).collect();
    let lost: Vec<usize> = (0..sent)
        .filter(|i| !stored.contains_key(&format!("value-{i}")))
        .collect();
    println!(
        "idempotent producer over {KILLS} SIGKILLs: {sent} sent, {} stored, {} duplicates, {} lost",
        stored.len(),
        duplicates.len(),
        lost.len()
    );
    assert!(
        duplicates.is_empty(),
        "duplicates: {:?}",
        &duplicates[..duplicates.len().min(10)]
    );
    assert!(lost.is_empty(), "lost: {:?}", &lost[..lost.len().min(10)]);
    // Each acknowledgement names where its value really is.
    for (p, o, i) in acked {
        assert_eq!(stored[&format!("value-{i}")], vec![(p, o)], "value-{i}");
    }
}
