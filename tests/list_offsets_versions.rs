//! ListOffsets answers in every version it advertises. Older clients (kcat
//! on librdkafka 2.0 sends v2) used to get a closed connection, because the
//! response carried a leader epoch that only exists from v4.

use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
use kafka_protocol::messages::{BrokerId, ListOffsetsRequest, TopicName};
use kafka_protocol::protocol::StrBytes;

use crate::support::{call, produce_all, producer, Broker};

#[test]
fn every_advertised_version_reports_the_end_offset() {
    let broker = Broker::start();
    let p = producer(&broker, &[]);
    produce_all(&p, "versions", 0, &[b"a".to_vec(), b"b".to_vec()]);
    let mut s = broker.connect();
    for version in 1..=7 {
        let request = ListOffsetsRequest::default()
            .with_replica_id(BrokerId(-1))
            .with_topics(vec![ListOffsetsTopic::default()
                .with_name(TopicName(StrBytes::from_static_str("versions")))
                .with_partitions(vec![ListOffsetsPartition::default()
                    .with_partition_index(0)
                    .with_timestamp(-1)])]);
        let r = call(&mut s, &request, version);
        let partition = &r.topics[0].partitions[0];
        assert_eq!(partition.error_code, 0, "v{version}");
        assert_eq!(partition.offset, 2, "v{version}");
    }
}
