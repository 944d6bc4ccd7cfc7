//! Produce validation as Kafka's log validator does it: poison batches are
//! refused with Kafka's error and never stored, so consumers never stall on
//! them; records a topic forbids are named in `record_errors`, and
//! librdkafka fails exactly those (its test 0011).

use std::time::Duration;

use rdkafka::producer::{BaseRecord, Producer};

use crate::bad_input::{create_topic, end_offset, one_batch, produce_request};
use crate::support::*;
use crate::topic_configs::Admin;

const INVALID_RECORD: i16 = 87;
const CORRUPT_MESSAGE: i16 = 2;
const INVALID_TIMESTAMP: i16 = 32;

/// Recomputes a batch's CRC after a test edited the bytes it covers.
fn fix_crc(b: &mut [u8]) {
    let crc = crc32c::crc32c(&b[21..]);
    b[17..21].copy_from_slice(&crc.to_be_bytes());
}

fn edited(values: &[&str], edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = one_batch(values);
    edit(&mut b);
    fix_crc(&mut b);
    b
}

/// The batches the broker used to store and acknowledge with error 0, each
/// of which stalled or broke every consumer after it.
fn poison() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "unknown codec 7",
            edited(&["a"], |b| b[22] |= 7),
            "unknown compression codec 7",
        ),
        (
            "zstd flag over plain bytes",
            edited(&["a", "b"], |b| b[22] |= 4),
            "zstd records cannot be read",
        ),
        (
            "control flag on a plain batch",
            edited(&["a"], |b| b[22] |= 0x20),
            "control records",
        ),
        (
            "last offset delta 2^31-1 on one record",
            edited(&["a"], |b| {
                b[23..27].copy_from_slice(&i32::MAX.to_be_bytes())
            }),
            "last offset delta",
        ),
        (
            "record count 2^31-1",
            edited(&["a"], |b| {
                b[57..61].copy_from_slice(&i32::MAX.to_be_bytes());
                b[23..27].copy_from_slice(&(i32::MAX - 1).to_be_bytes());
            }),
            "runs past the end",
        ),
        (
            "a record count that says 3 for 2",
            edited(&["a", "b"], |b| {
                b[57..61].copy_from_slice(&3i32.to_be_bytes());
                b[23..27].copy_from_slice(&2i32.to_be_bytes());
            }),
            "runs past the end",
        ),
    ]
}

#[test]
fn poison_batches_are_refused_with_kafkas_error_and_consumers_read_on() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "poison");
    let r = call(
        &mut s,
        &produce_request("poison", one_batch(&["good-0"]), 1),
        9,
    );
    assert_eq!(r.responses[0].partition_responses[0].error_code, 0);

    for (what, batch, says) in poison() {
        // Produce v9 has INVALID_RECORD and an error message.
        let r = call(&mut s, &produce_request("poison", batch.clone(), 1), 9);
        let p = &r.responses[0].partition_responses[0];
        assert_eq!(p.error_code, INVALID_RECORD, "{what}");
        let message = p.error_message.as_ref().map(|m| m.to_string());
        assert!(
            message.as_deref().is_some_and(|m| m.contains(says)),
            "{what}: the error should say '{says}': {message:?}"
        );
        // Older versions know only CORRUPT_MESSAGE.
        let r = call(&mut s, &produce_request("poison", batch, 1), 7);
        let p = &r.responses[0].partition_responses[0];
        assert_eq!(p.error_code, CORRUPT_MESSAGE, "{what} at v7");
    }
    assert_eq!(end_offset(&mut s, "poison"), 1, "no poison batch is stored");

    let r = call(
        &mut s,
        &produce_request("poison", one_batch(&["good-1"]), 1),
        9,
    );
    assert_eq!(r.responses[0].partition_responses[0].base_offset, 1);
    let read = read_partition(&broker, "poison", 0, 0);
    let values: Vec<&[u8]> = read.iter().map(|(_, _, v)| v.as_slice()).collect();
    assert_eq!(values, vec![&b"good-0"[..], b"good-1"]);
}

#[test]
fn a_huge_record_count_on_a_compacted_topic_is_refused_not_a_crash() {
    let broker = Broker::start();
    Admin::new(&broker).create("compacted-poison", 1, &[("cleanup.policy", "compact")]);
    let mut s = broker.connect();
    let batch = edited(&["a"], |b| {
        b[57..61].copy_from_slice(&i32::MAX.to_be_bytes());
        b[23..27].copy_from_slice(&(i32::MAX - 1).to_be_bytes());
    });
    let r = call(&mut s, &produce_request("compacted-poison", batch, 1), 9);
    assert_eq!(
        r.responses[0].partition_responses[0].error_code,
        INVALID_RECORD
    );
    let r = call(
        &mut s,
        &kafka_protocol::messages::ApiVersionsRequest::default(),
        3,
    );
    assert_eq!(r.error_code, 0, "the broker is still serving");
}

#[test]
fn two_batches_for_one_partition_are_refused_as_kafka_does() {
    let broker = Broker::start();
    let mut s = broker.connect();
    create_topic(&mut s, "two-batches");
    let mut two = one_batch(&["a"]);
    two.extend_from_slice(&one_batch(&["b"]));
    let r = call(&mut s, &produce_request("two-batches", two, 1), 9);
    let p = &r.responses[0].partition_responses[0];
    assert_eq!(p.error_code, INVALID_RECORD);
    assert!(p
        .error_message
        .as_ref()
        .is_some_and(|m| m.contains("exactly one record batch")));
    assert_eq!(end_offset(&mut s, "two-batches"), 0);
}

/// librdkafka's test 0011 (`test_message_single_partition_record_fail`): a
/// compacted topic, 100 records of which every tenth has no key.
fn keyless_every_tenth(broker: &Broker, topic: &str, extra: &[(&str, &str)]) -> Vec<String> {
    Admin::new(broker).create(topic, 1, &[("cleanup.policy", "compact")]);
    let p = producer(broker, extra);
    for i in 0..100 {
        let value = format!("record {i}");
        let key = format!("key {i}");
        let record = BaseRecord::<String, String>::to(topic)
            .partition(0)
            .payload(&value);
        let record = if i % 10 == 0 {
            record
        } else {
            record.key(&key)
        };
        p.send(record).unwrap();
    }
    p.flush(Duration::from_secs(60)).unwrap();
    let reports = p.context().0.lock().unwrap().clone();
    assert_eq!(reports.len(), 100);
    reports
        .into_iter()
        .map(|r| match r {
            Ok(_) => "delivered".to_string(),
            Err(e) => e,
        })
        .collect()
}

#[test]
fn librdkafka_fails_only_the_keyless_records_of_a_batch() {
    let broker = Broker::start();
    // Variation 0: one batch; the bad records get INVALID_RECORD, the rest
    // of their batch the client's "invalid different record".
    let reports = keyless_every_tenth(&broker, "batch-of-100", &[("linger.ms", "1000")]);
    let invalid = reports
        .iter()
        .filter(|r| r.contains("InvalidRecord"))
        .count();
    let different = reports
        .iter()
        .filter(|r| r.contains("InvalidDifferentRecord"))
        .count();
    assert_eq!((invalid, different), (10, 90), "{reports:?}");
    for i in (0..100).step_by(10) {
        assert!(
            reports[i].contains("InvalidRecord"),
            "record {i}: {}",
            reports[i]
        );
    }
    assert_eq!(end_offset(&mut broker.connect(), "batch-of-100"), 0);

    // Variation 1: a batch per record; only the bad ones fail.
    let reports = keyless_every_tenth(&broker, "one-per-batch", &[("batch.size", "1")]);
    let delivered = reports.iter().filter(|r| *r == "delivered").count();
    let invalid = reports
        .iter()
        .filter(|r| r.contains("InvalidRecord"))
        .count();
    assert_eq!((delivered, invalid), (90, 10), "{reports:?}");
}

#[test]
fn timestamps_beyond_message_timestamp_after_max_ms_are_refused() {
    let broker = Broker::start();
    let admin = Admin::new(&broker);
    admin.create("clock", 1, &[]);
    admin.create(
        "clock-lenient",
        1,
        &[("message.timestamp.after.max.ms", "86400000")],
    );
    let two_hours_ahead = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        + 2 * 3_600_000;
    let p = producer(&broker, &[]);
    for topic in ["clock", "clock-lenient"] {
        p.send(
            BaseRecord::<(), str>::to(topic)
                .payload("from the future")
                .timestamp(two_hours_ahead),
        )
        .unwrap();
        p.flush(Duration::from_secs(30)).unwrap();
    }
    let reports = p.context().0.lock().unwrap().clone();
    assert!(
        reports[0]
            .as_ref()
            .is_err_and(|e| e.contains("InvalidTimestamp")),
        "{reports:?}"
    );
    assert_eq!(reports[1], Ok((0, 0)), "allowed by the topic's config");

    // On the wire: INVALID_TIMESTAMP with the record named.
    let mut s = broker.connect();
    let batch = edited(&["a", "b"], |b| {
        b[27..35].copy_from_slice(&two_hours_ahead.to_be_bytes());
        b[35..43].copy_from_slice(&(two_hours_ahead + 1).to_be_bytes());
    });
    let r = call(&mut s, &produce_request("clock", batch, 1), 9);
    let p = &r.responses[0].partition_responses[0];
    assert_eq!(p.error_code, INVALID_TIMESTAMP);
    let indexes: Vec<i32> = p.record_errors.iter().map(|e| e.batch_index).collect();
    assert_eq!(indexes, vec![0, 1]);
}
