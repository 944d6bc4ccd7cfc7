//! DescribeLogDirs on a raw socket: the data directory is the one log dir,
//! and each partition's size follows what is produced and equals the bytes
//! of its segment files on disk, as kafka-log-dirs.sh would read them.

use std::path::Path;

use bytes::Bytes;
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
use kafka_protocol::messages::describe_log_dirs_response::DescribeLogDirsResult;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;

use crate::support::*;

fn name(n: &str) -> TopicName {
    TopicName(StrBytes::from_string(n.into()))
}

/// The sizes in one log dir, by (topic, partition).
fn sizes(dir: &DescribeLogDirsResult) -> Vec<(String, i32, i64)> {
    let mut out: Vec<(String, i32, i64)> = dir
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions.iter().map(|p| {
                assert_eq!(p.offset_lag, 0);
                assert!(!p.is_future_key);
                (t.name.to_string(), p.partition_index, p.partition_size)
            })
        })
        .collect();
    out.sort();
    out
}

/// The bytes of a partition's `.log` files, and how many there are.
fn segment_files(partition_dir: &Path) -> (i64, usize) {
    let mut total = 0;
    let mut count = 0;
    for entry in std::fs::read_dir(partition_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            total += file_len(&path) as i64;
            count += 1;
        }
    }
    (total, count)
}

fn describe_all(s: &mut std::net::TcpStream, version: i16) -> DescribeLogDirsResponse {
    call(
        s,
        &DescribeLogDirsRequest::default().with_topics(None),
        version,
    )
}

#[test]
fn partition_sizes_follow_produced_bytes_and_match_the_segment_files() {
    // Small segments, so a partition spans several files.
    let broker = Broker::start_with(&["--segment-bytes", "2K"]);
    let mut s = broker.connect();
    let created = call(
        &mut s,
        &CreateTopicsRequest::default().with_topics(vec![CreatableTopic::default()
            .with_name(name("sized"))
            .with_num_partitions(2)
            .with_replication_factor(1)]),
        5,
    );
    assert_eq!(created.topics[0].error_code, 0);

    let r = describe_all(&mut s, 4);
    assert_eq!(r.error_code, 0);
    assert_eq!(r.results.len(), 1, "one log dir");
    let dir = &r.results[0];
    assert_eq!(dir.error_code, 0);
    assert_eq!(Path::new(dir.log_dir.as_str()), broker.data_dir);
    assert!(dir.total_bytes > 0 && dir.usable_bytes >= 0, "{dir:?}");
    assert!(dir.usable_bytes <= dir.total_bytes, "{dir:?}");
    assert_eq!(
        sizes(dir),
        [("sized".to_string(), 0, 0), ("sized".to_string(), 1, 0)]
    );

    let mut last = 0;
    for round in 0..8 {
        let value = format!("{round}").repeat(500);
        let batch = dq::broker::storage::batch::encode_plain(&[(
            None,
            Some(Bytes::from(value)),
            1_700_000_000_000 + round,
        )]);
        let produced = call(
            &mut s,
            &ProduceRequest::default()
                .with_acks(1)
                .with_timeout_ms(5000)
                .with_topic_data(vec![TopicProduceData::default()
                    .with_name(name("sized"))
                    .with_partition_data(vec![PartitionProduceData::default()
                        .with_index(0)
                        .with_records(Some(batch))])]),
            9,
        );
        assert_eq!(produced.responses[0].partition_responses[0].error_code, 0);

        let r = describe_all(&mut s, 4);
        let found = sizes(&r.results[0]);
        let size = found[0].2;
        assert!(size > last, "round {round}: {size} after {last}");
        let (on_disk, _) = segment_files(&broker.data_dir.join("sized-0"));
        assert_eq!(size, on_disk, "round {round}: reported vs. .log files");
        assert_eq!(found[1], ("sized".to_string(), 1, 0), "untouched partition");
        last = size;
    }
    let (_, files) = segment_files(&broker.data_dir.join("sized-0"));
    assert!(
        files >= 2,
        "the size covers every segment; {files} segment(s)"
    );

    // Named partitions only; what the broker does not hold is left out.
    let r = call(
        &mut s,
        &DescribeLogDirsRequest::default().with_topics(Some(vec![
            DescribableLogDirTopic::default()
                .with_topic(name("sized"))
                .with_partitions(vec![0]),
            DescribableLogDirTopic::default()
                .with_topic(name("ghost"))
                .with_partitions(vec![0]),
        ])),
        1,
    );
    assert_eq!(sizes(&r.results[0]), [("sized".to_string(), 0, last)]);
}
