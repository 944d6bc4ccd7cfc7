//! Partition sizes on disk, for `dq topics describe`. librdkafka has no
//! DescribeLogDirs call, so this asks each partition leader itself: a plain
//! TCP connection, ApiVersions to learn which DescribeLogDirs versions the
//! broker serves, then one DescribeLogDirs for the partitions it leads,
//! encoded with the kafka-protocol crate. The size reported is the leader's
//! replica, summed over its log dirs, as `kafka-log-dirs.sh` shows it.
//!
//! Only PLAINTEXT connections are possible here (no TLS, no SASL); callers
//! check [`plaintext`] first. A size that cannot be learned is left unknown,
//! with the reason, and never fails the describe.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, DescribeLogDirsRequest, RequestHeader, ResponseHeader, TopicName,
};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use kafka_protocol::ResponseError;

use super::ClientOptions;

/// The DescribeLogDirs versions this client can send: v0 is gone from Kafka
/// 4 and from the kafka-protocol crate; v4 is the newest.
const VERSIONS: (i16, i16) = (1, 4);

/// A response larger than this is not a DescribeLogDirs answer to a
/// handful of partitions; refusing it keeps a wrong peer from making us
/// allocate gigabytes.
const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// Whether the connection settings leave the client on PLAINTEXT, the only
/// security protocol this module speaks. Later properties win, as they do
/// for librdkafka.
pub fn plaintext(options: &ClientOptions) -> bool {
    options
        .properties
        .iter()
        .rev()
        .find(|(k, _)| k == "security.protocol")
        .is_none_or(|(_, v)| v.eq_ignore_ascii_case("plaintext"))
}

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

/// The DescribeLogDirs version to send, given the broker's range.
fn pick_version(broker_min: i16, broker_max: i16) -> Option<i16> {
    let version = broker_max.min(VERSIONS.1);
    (version >= broker_min.max(VERSIONS.0)).then_some(version)
}

fn ask(leader: &LeaderPartitions, deadline: Instant) -> anyhow::Result<PartitionSizes> {
    let mut conn = Connection::open(&leader.host, leader.port, deadline)?;
    // v0: every broker answers it, and it needs no client software name.
    let versions = conn
        .call(&ApiVersionsRequest::default(), 0)
        .context("ApiVersions")?;
    if let Some(e) = ResponseError::try_from_code(versions.error_code) {
        anyhow::bail!("ApiVersions was refused ({e})");
    }
    let range = versions
        .api_keys
        .iter()
        .find(|v| v.api_key == ApiKey::DescribeLogDirs as i16)
        .map(|v| (v.min_version, v.max_version));
    let version = match range {
        None => anyhow::bail!("the broker does not serve DescribeLogDirs"),
        Some((min, max)) => pick_version(min, max).ok_or_else(|| {
            anyhow::anyhow!(
                "the broker serves DescribeLogDirs v{min}-v{max}, this client v{}-v{}",
                VERSIONS.0,
                VERSIONS.1
            )
        })?,
    };
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

/// A blocking connection with one deadline for everything done on it.
struct Connection {
    stream: TcpStream,
    deadline: Instant,
    correlation_id: i32,
}

impl Connection {
    fn open(host: &str, port: u16, deadline: Instant) -> anyhow::Result<Connection> {
        let addresses = (host, port)
            .to_socket_addrs()
            .with_context(|| format!("cannot resolve {host}"))?;
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
        for address in addresses {
            match TcpStream::connect_timeout(&address, remaining(deadline)?) {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    return Ok(Connection {
                        stream,
                        deadline,
                        correlation_id: 0,
                    });
                }
                Err(e) => last = e,
            }
        }
        Err(anyhow::Error::new(last).context("cannot connect"))
    }

    /// Sends one request and reads its response.
    fn call<R: Request>(&mut self, request: &R, version: i16) -> anyhow::Result<R::Response> {
        self.correlation_id += 1;
        let key = ApiKey::try_from(R::KEY).map_err(|_| anyhow::anyhow!("unknown API key"))?;
        let header = RequestHeader::default()
            .with_request_api_key(R::KEY)
            .with_request_api_version(version)
            .with_correlation_id(self.correlation_id)
            .with_client_id(Some(StrBytes::from_static_str("dq")));
        let mut buf = BytesMut::new();
        buf.put_i32(0);
        header.encode(&mut buf, key.request_header_version(version))?;
        request.encode(&mut buf, version)?;
        let size = (buf.len() - 4) as i32;
        buf[..4].copy_from_slice(&size.to_be_bytes());

        self.stream
            .set_write_timeout(Some(remaining(self.deadline)?))?;
        self.stream.write_all(&buf)?;
        let mut size = [0u8; 4];
        self.read_exact(&mut size)?;
        let size = i32::from_be_bytes(size);
        let size = usize::try_from(size)
            .ok()
            .filter(|s| *s <= MAX_RESPONSE_BYTES)
            .ok_or_else(|| anyhow::anyhow!("the broker sent a frame of {size} bytes"))?;
        let mut body = vec![0u8; size];
        self.read_exact(&mut body)?;
        let mut body = Bytes::from(body);
        let header = ResponseHeader::decode(&mut body, R::Response::header_version(version))?;
        if header.correlation_id != self.correlation_id {
            anyhow::bail!(
                "the broker answered request {} to request {}",
                header.correlation_id,
                self.correlation_id
            );
        }
        R::Response::decode(&mut body, version)
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
        self.stream
            .set_read_timeout(Some(remaining(self.deadline)?))?;
        self.stream.read_exact(buf)
    }
}

/// Time left before `deadline`; a timeout error once there is none, since
/// a zero socket timeout would mean "wait forever".
fn remaining(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "no answer within --timeout",
        ));
    }
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(properties: &[(&str, &str)]) -> ClientOptions {
        ClientOptions {
            bootstrap: "localhost:9092".into(),
            properties: properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn only_plaintext_connections_are_attempted() {
        assert!(plaintext(&options(&[])));
        assert!(plaintext(&options(&[("security.protocol", "PLAINTEXT")])));
        assert!(!plaintext(&options(&[("security.protocol", "SASL_SSL")])));
        assert!(!plaintext(&options(&[("security.protocol", "ssl")])));
        // A -X flag after the --command-config file wins.
        assert!(plaintext(&options(&[
            ("security.protocol", "SSL"),
            ("security.protocol", "plaintext"),
        ])));
    }

    #[test]
    fn the_newest_shared_version_is_sent() {
        assert_eq!(pick_version(0, 4), Some(4));
        assert_eq!(pick_version(1, 2), Some(2));
        assert_eq!(pick_version(0, 7), Some(4));
        assert_eq!(pick_version(0, 0), None);
        assert_eq!(pick_version(5, 6), None);
    }

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
