//! Partition sizes on disk, for `dq topics describe`. librdkafka has no
//! DescribeLogDirs call, so this asks each partition leader itself over a
//! [`Connection`]: one DescribeLogDirs for the partitions it leads. The size
//! reported is the leader's replica, summed over its log dirs, as
//! `kafka-log-dirs.sh` shows it.
//!
//! Only PLAINTEXT connections are possible here (no TLS, no SASL); callers
//! check [`super::wire::plaintext`] first. A size that cannot be learned is
//! left unknown, with the reason, and never fails the describe.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
use kafka_protocol::messages::{ApiKey, DescribeLogDirsRequest, TopicName};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use super::wire::Connection;

/// The DescribeLogDirs versions this client can send: v0 is gone from Kafka
/// 4 and from the kafka-protocol crate; v4 is the newest.
const VERSIONS: (i16, i16) = (1, 4);

/// One broker and the partitions it leads, to be asked about.
#[derive(Debug, Clone)]
pub struct LeaderPartitions {
    pub broker_id: i32,
    pub host: String,
    pub port: u16,
    /// Partitions by topic.
    pub partitions: BTreeMap<String, Vec<i32>>,
}

/// Bytes on disk by topic and partition.
pub type PartitionSizes = HashMap<(String, i32), u64>;

/// What the leaders said.
#[derive(Debug, Default)]
pub struct Sizes {
    pub bytes: PartitionSizes,
    /// Why a leader's partitions have no size, one line per leader.
    pub unknown: Vec<String>,
}

/// Asks every leader at once (one thread each), so one slow broker costs
/// `timeout` once rather than once per broker.
pub fn partition_sizes(leaders: &[LeaderPartitions], timeout: Duration) -> Sizes {
    let deadline = Instant::now() + timeout;
    let answers: Vec<anyhow::Result<PartitionSizes>> = std::thread::scope(|scope| {
        let asks: Vec<_> = leaders
            .iter()
            .map(|leader| scope.spawn(move || ask(leader, deadline)))
            .collect();
        asks.into_iter()
            .map(|ask| {
                ask.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the request thread panicked")))
            })
            .collect()
    });
    let mut sizes = Sizes::default();
    for (leader, answer) in leaders.iter().zip(answers) {
        let asked: usize = leader.partitions.values().map(Vec::len).sum();
        match answer {
            Ok(found) => {
                if found.len() < asked {
                    // Kafka leaves out partitions in an offline log dir, and
                    // before v3 answers "not authorized" with nothing at all.
                    sizes.unknown.push(format!(
                        "broker {} ({}:{}) reported the size of {} of the {asked} partitions \
                         it leads (a log dir offline, or no permission to describe the cluster?)",
                        leader.broker_id,
                        leader.host,
                        leader.port,
                        found.len()
                    ));
                }
                sizes.bytes.extend(found);
            }
            Err(e) => sizes.unknown.push(format!(
                "size on disk unknown for the partitions led by broker {} ({}:{}): {e:#}",
                leader.broker_id, leader.host, leader.port
            )),
        }
    }
    sizes
}

fn ask(leader: &LeaderPartitions, deadline: Instant) -> anyhow::Result<PartitionSizes> {
    let mut conn = Connection::open(&leader.host, leader.port, deadline)?;
    let version = conn.version(ApiKey::DescribeLogDirs, VERSIONS)?;
    let request = DescribeLogDirsRequest::default().with_topics(Some(
        leader
            .partitions
            .iter()
            .map(|(topic, partitions)| {
                DescribableLogDirTopic::default()
                    .with_topic(TopicName(StrBytes::from_string(topic.clone())))
                    .with_partitions(partitions.clone())
            })
            .collect(),
    ));
    let response = conn.call(&request, version).context("DescribeLogDirs")?;
    if let Some(e) = ResponseError::try_from_code(response.error_code) {
        anyhow::bail!("DescribeLogDirs was refused ({e})");
    }
    // A partition being moved between log dirs is listed twice; the copy
    // still being written (the "future" one) is not the partition's size.
    let mut found = PartitionSizes::new();
    for dir in response.results.iter().filter(|d| d.error_code == 0) {
        for topic in &dir.topics {
            for p in topic.partitions.iter().filter(|p| !p.is_future_key) {
                let asked = leader
                    .partitions
                    .get(topic.name.as_str())
                    .is_some_and(|ps| ps.contains(&p.partition_index));
                if asked && p.partition_size >= 0 {
                    *found
                        .entry((topic.name.to_string(), p.partition_index))
                        .or_default() += p.partition_size as u64;
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_leader_leaves_its_sizes_unknown() {
        // A port nothing listens on: bind one, then let it go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let leader = LeaderPartitions {
            broker_id: 3,
            host: "127.0.0.1".into(),
            port,
            partitions: [("t".to_string(), vec![0])].into(),
        };
        let sizes = partition_sizes(&[leader], Duration::from_secs(5));
        assert!(sizes.bytes.is_empty());
        assert_eq!(sizes.unknown.len(), 1);
        assert!(
            sizes.unknown[0].contains(&format!("broker 3 (127.0.0.1:{port})")),
            "{:?}",
            sizes.unknown
        );
    }
}
