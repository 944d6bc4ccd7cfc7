//! Durability across restarts: clean stop, SIGKILL, torn and garbage tails,
//! damaged indexes. Data is written and read with rdkafka (librdkafka).

use std::path::PathBuf;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

use crate::support::*;

fn create_topic(broker: &Broker, name: &str, partitions: i32, configs: &[(&str, &str)]) {
    let admin: AdminClient<DefaultClientContext> = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .unwrap();
    let mut topic = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
    for (k, v) in configs {
        topic = topic.set(k, v);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let results = rt
        .block_on(admin.create_topics(&[topic], &AdminOptions::new()))
        .unwrap();
    for r in results {
        r.unwrap_or_else(|(t, e)| panic!("creating {t}: {e}"));
    }
}

fn values(prefix: &str, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("{prefix}-{i:06}").into_bytes())
        .collect()
}

fn payloads(records: &[Received]) -> Vec<Vec<u8>> {
    records.iter().map(|r| r.2.clone()).collect()
}

fn segment_files(broker: &Broker, topic_partition: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(broker.data_dir.join(topic_partition))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn topics_and_records_survive_a_clean_restart_at_the_same_offsets() {
    let mut broker = Broker::start();
    create_topic(&broker, "keep", 3, &[("retention.ms", "86400000")]);
    let p = producer(&broker, &[("acks", "1")]);
    for partition in 0..3 {
        let offsets = produce_all(
            &p,
            "keep",
            partition,
            &values(&format!("p{partition}"), 500),
        );
        assert_eq!(offsets, (0..500).collect::<Vec<i64>>());
    }
    drop(p);
    let data_dir = broker.data_dir.clone();
    broker.stop();
    assert!(
        broker.log().contains("all logs flushed"),
        "graceful shutdown is logged"
    );

    let broker = Broker::start_in(&data_dir, &[]);
    for partition in 0..3 {
        let got = read_partition(&broker, "keep", partition, 0);
        assert_eq!(
            got.iter().map(|r| r.0).collect::<Vec<_>>(),
            (0..500).collect::<Vec<i64>>()
        );
        assert_eq!(payloads(&got), values(&format!("p{partition}"), 500));
    }
    // New writes continue after the old ones.
    let p = producer(&broker, &[]);
    assert_eq!(
        produce_all(&p, "keep", 1, &values("more", 3)),
        vec![500, 501, 502]
    );
}

#[test]
fn every_acknowledged_record_survives_sigkill() {
    let mut broker = Broker::start();
    create_topic(&broker, "crash", 2, &[]);
    let p = producer(&broker, &[("acks", "all")]);
    let a = produce_all(&p, "crash", 0, &values("a", 2000));
    let b = produce_all(&p, "crash", 1, &values("b", 700));
    assert_eq!((a.len(), b.len()), (2000, 700));
    drop(p);
    let data_dir = broker.data_dir.clone();
    broker.kill();

    let broker = Broker::start_in(&data_dir, &[]);
    assert_eq!(
        payloads(&read_partition(&broker, "crash", 0, 0)),
        values("a", 2000)
    );
    assert_eq!(
        payloads(&read_partition(&broker, "crash", 1, 0)),
        values("b", 700)
    );
}

#[test]
fn a_torn_tail_is_cut_and_writes_continue_at_the_next_offset() {
    let mut broker = Broker::start();
    create_topic(&broker, "torn", 1, &[]);
    let p = producer(&broker, &[("linger.ms", "0")]);
    // Three separate batches: 0..100, 100..200, 200..300.
    for round in 0..3 {
        produce_all(&p, "torn", 0, &values(&format!("r{round}"), 100));
    }
    drop(p);
    let data_dir = broker.data_dir.clone();
    broker.kill();

    // Cut the last batch in half.
    let log = segment_files(&broker, "torn-0", "log").pop().unwrap();
    let bytes = std::fs::read(&log).unwrap();
    let (mut at, mut last_start, mut last_base) = (0usize, 0usize, 0i64);
    while at < bytes.len() {
        last_start = at;
        last_base = i64::from_be_bytes(bytes[at..at + 8].try_into().unwrap());
        at += 12 + i32::from_be_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
    }
    assert!(last_base > 0, "more than one batch was written");
    let f = std::fs::OpenOptions::new().write(true).open(&log).unwrap();
    f.set_len((last_start + (bytes.len() - last_start) / 2) as u64)
        .unwrap();
    drop(f);

    let broker = Broker::start_in(&data_dir, &[]);
    assert!(
        broker.log().contains("recovery cut a damaged tail"),
        "log:\n{}",
        broker.log()
    );
    let got = read_partition(&broker, "torn", 0, 0);
    assert_eq!(
        got.len() as i64,
        last_base,
        "every batch before the torn one survives"
    );
    assert_eq!(
        got.iter().map(|r| r.0).collect::<Vec<_>>(),
        (0..last_base).collect::<Vec<_>>()
    );
    assert_eq!(
        payloads(&got),
        values("r0", 100)
            .into_iter()
            .chain(values("r1", 100))
            .chain(values("r2", 100))
            .take(last_base as usize)
            .collect::<Vec<_>>()
    );
    let p = producer(&broker, &[]);
    assert_eq!(
        produce_all(&p, "torn", 0, &values("after", 2)),
        vec![last_base, last_base + 1]
    );
    assert_eq!(read_partition(&broker, "torn", 0, last_base).len(), 2);
}

#[test]
fn garbage_after_the_last_batch_is_cut_on_restart() {
    let mut broker = Broker::start();
    create_topic(&broker, "junk", 1, &[]);
    let p = producer(&broker, &[]);
    produce_all(&p, "junk", 0, &values("ok", 50));
    drop(p);
    let data_dir = broker.data_dir.clone();
    broker.stop();

    let log = segment_files(&broker, "junk-0", "log").pop().unwrap();
    let clean = file_len(&log);
    // Something that looks like a batch header with a bad CRC, then noise.
    let mut garbage = vec![0u8; 200];
    garbage[8..12].copy_from_slice(&100i32.to_be_bytes());
    garbage[16] = 2;
    for (i, b) in garbage.iter_mut().enumerate().skip(21) {
        *b = (i * 37) as u8;
    }
    append_bytes(&log, &garbage);

    let broker = Broker::start_in(&data_dir, &[]);
    assert_eq!(file_len(&log), clean, "garbage removed from the file");
    assert!(
        broker.log().contains("CRC-32C mismatch"),
        "the log says what was cut:\n{}",
        broker.log()
    );
    let p = producer(&broker, &[]);
    assert_eq!(produce_all(&p, "junk", 0, &values("next", 1)), vec![50]);
    let got = read_partition(&broker, "junk", 0, 0);
    assert_eq!(got.len(), 51);
}

#[test]
fn missing_or_damaged_indexes_are_rebuilt_and_rolled_segments_are_read_back() {
    let mut broker = Broker::start_with(&["--segment-bytes", "16K"]);
    create_topic(&broker, "idx", 1, &[]);
    let p = producer(&broker, &[("linger.ms", "0"), ("batch.num.messages", "20")]);
    let sent = values("v", 3000);
    produce_all(&p, "idx", 0, &sent);
    drop(p);
    let data_dir = broker.data_dir.clone();
    broker.stop();

    let logs = segment_files(&broker, "idx-0", "log");
    assert!(logs.len() > 3, "16K segments roll: {} files", logs.len());
    let indexes = segment_files(&broker, "idx-0", "index");
    std::fs::remove_file(&indexes[0]).unwrap();
    std::fs::write(&indexes[1], [0xffu8; 13]).unwrap();
    let last_index = indexes.last().unwrap();
    // Point the newest index entry past the end of its log.
    append_bytes(last_index, &[0, 0, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    let times = segment_files(&broker, "idx-0", "timeindex");
    std::fs::remove_file(&times[2]).unwrap();

    let broker = Broker::start_in(&data_dir, &[]);
    assert!(
        broker.log().contains("rebuilt an index"),
        "log:\n{}",
        broker.log()
    );
    let got = read_partition(&broker, "idx", 0, 0);
    assert_eq!(payloads(&got), sent);
    // Reading from the middle of a rebuilt segment starts at the right record.
    let mid = read_partition(&broker, "idx", 0, 1234);
    assert_eq!(mid[0].0, 1234);
    assert_eq!(mid[0].2, b"v-001234");
}

#[test]
fn delete_records_moves_the_log_start_and_survives_a_restart() {
    use kafka_protocol::messages::delete_records_request::{
        DeleteRecordsPartition, DeleteRecordsTopic,
    };
    use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
    use kafka_protocol::messages::{DeleteRecordsRequest, FetchRequest, TopicName};
    use kafka_protocol::protocol::StrBytes;

    let mut broker = Broker::start_with(&["--segment-bytes", "2K"]);
    create_topic(&broker, "trim", 1, &[]);
    let p = producer(&broker, &[("linger.ms", "0"), ("batch.num.messages", "5")]);
    produce_all(&p, "trim", 0, &values("t", 300));
    drop(p);
    let before = segment_files(&broker, "trim-0", "log").len();
    let name = || TopicName(StrBytes::from_static_str("trim"));
    let delete = |s: &mut std::net::TcpStream, offset: i64| {
        let r = call(
            s,
            &DeleteRecordsRequest::default()
                .with_timeout_ms(5000)
                .with_topics(vec![DeleteRecordsTopic::default()
                    .with_name(name())
                    .with_partitions(vec![
                        DeleteRecordsPartition::default().with_offset(offset)
                    ])]),
            2,
        );
        let p = &r.topics[0].partitions[0];
        (p.error_code, p.low_watermark)
    };
    let mut s = broker.connect();
    assert_eq!(delete(&mut s, 250), (0, 250));
    assert_eq!(delete(&mut s, 100), (0, 250), "the start never moves back");
    assert_eq!(
        delete(&mut s, 301).0,
        1,
        "past the end: OFFSET_OUT_OF_RANGE"
    );
    assert!(
        segment_files(&broker, "trim-0", "log").len() < before,
        "whole segments below the start are removed"
    );

    let fetch = |s: &mut std::net::TcpStream, offset: i64| {
        let r = call(
            s,
            &FetchRequest::default()
                .with_max_bytes(1 << 20)
                .with_topics(vec![FetchTopic::default()
                    .with_topic(name())
                    .with_partitions(vec![FetchPartition::default()
                        .with_fetch_offset(offset)
                        .with_partition_max_bytes(1 << 20)])]),
            12,
        );
        let p = &r.responses[0].partitions[0];
        (p.error_code, p.log_start_offset)
    };
    assert_eq!(
        fetch(&mut s, 10),
        (1, 250),
        "below the start: OFFSET_OUT_OF_RANGE"
    );
    assert_eq!(fetch(&mut s, 250), (0, 250));

    let data_dir = broker.data_dir.clone();
    broker.kill();
    let broker = Broker::start_in(&data_dir, &[]);
    let got = read_partition(&broker, "trim", 0, 250);
    assert_eq!(got.first().map(|r| r.0), Some(250));
    assert_eq!(got.len(), 50);
    let mut s = broker.connect();
    assert_eq!(fetch(&mut s, 249), (1, 250), "the start survives a crash");
}
