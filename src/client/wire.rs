//! A blocking Kafka protocol connection for the few calls librdkafka has no
//! API for (DescribeLogDirs, ConsumerGroupDescribe's member epochs, the
//! transaction admin calls): a plain
//! TCP connection, ApiVersions once to learn what the broker serves, then
//! requests encoded with the kafka-protocol crate, all under one deadline.
//!
//! Only PLAINTEXT is spoken here (no TLS, no SASL); callers check
//! [`plaintext`] first and fall back to what librdkafka can tell them.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, FindCoordinatorRequest, RequestHeader, ResponseHeader,
};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use kafka_protocol::ResponseError;

use super::ClientOptions;

/// A response larger than this is not an answer to anything dq asks here;
/// refusing it keeps a wrong peer from making us allocate gigabytes.
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

/// `host:port` pairs of a bootstrap list (`a:9092,b:9092`); a missing port
/// is Kafka's 9092.
pub fn bootstrap_servers(bootstrap: &str) -> Vec<(String, u16)> {
    bootstrap
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|server| {
            // librdkafka accepts a `PLAINTEXT://` style prefix.
            let server = server.rsplit("://").next().unwrap_or(server);
            match server.rsplit_once(':') {
                Some((host, port)) if port.parse::<u16>().is_ok() => (
                    host.trim_start_matches('[')
                        .trim_end_matches(']')
                        .to_string(),
                    port.parse().unwrap_or(9092),
                ),
                _ => (server.to_string(), 9092),
            }
        })
        .collect()
}

/// The newest version both sides serve, given the broker's range and ours.
pub fn pick_version(broker: (i16, i16), ours: (i16, i16)) -> Option<i16> {
    let version = broker.1.min(ours.1);
    (version >= broker.0.max(ours.0)).then_some(version)
}

/// A blocking connection with one deadline for everything done on it.
pub struct Connection {
    stream: TcpStream,
    deadline: Instant,
    correlation_id: i32,
    /// What the broker said it serves: API key, lowest and highest version.
    versions: Vec<(i16, i16, i16)>,
}

impl Connection {
    /// Connects and asks ApiVersions (v0: every broker answers it, and it
    /// needs no client software name).
    pub fn open(host: &str, port: u16, deadline: Instant) -> anyhow::Result<Connection> {
        let addresses = (host, port)
            .to_socket_addrs()
            .with_context(|| format!("cannot resolve {host}"))?;
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
        for address in addresses {
            match TcpStream::connect_timeout(&address, remaining(deadline)?) {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    let mut conn = Connection {
                        stream,
                        deadline,
                        correlation_id: 0,
                        versions: Vec::new(),
                    };
                    let versions = conn
                        .call(&ApiVersionsRequest::default(), 0)
                        .context("ApiVersions")?;
                    if let Some(e) = ResponseError::try_from_code(versions.error_code) {
                        anyhow::bail!("ApiVersions was refused ({e})");
                    }
                    conn.versions = versions
                        .api_keys
                        .iter()
                        .map(|v| (v.api_key, v.min_version, v.max_version))
                        .collect();
                    return Ok(conn);
                }
                Err(e) => last = e,
            }
        }
        Err(anyhow::Error::new(last).context("cannot connect"))
    }

    /// The version of `key` to send: the newest both the broker and this
    /// client (`ours`) serve, or an error saying why there is none.
    pub fn version(&self, key: ApiKey, ours: (i16, i16)) -> anyhow::Result<i16> {
        let range = self
            .versions
            .iter()
            .find(|(k, _, _)| *k == key as i16)
            .map(|(_, min, max)| (*min, *max));
        match range {
            None => anyhow::bail!("the broker does not serve {key:?}"),
            Some(broker) => pick_version(broker, ours).ok_or_else(|| {
                anyhow::anyhow!(
                    "the broker serves {key:?} v{}-v{}, this client v{}-v{}",
                    broker.0,
                    broker.1,
                    ours.0,
                    ours.1
                )
            }),
        }
    }

    /// A new deadline for what is done next on this connection, for one
    /// that lives longer than one command's answer (a share consumer's).
    pub fn set_deadline(&mut self, deadline: Instant) {
        self.deadline = deadline;
    }

    /// Sends one request and reads its response.
    pub fn call<R: Request>(&mut self, request: &R, version: i16) -> anyhow::Result<R::Response> {
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

/// The first bootstrap server that answers.
pub fn open_any(bootstrap: &str, deadline: Instant) -> anyhow::Result<Connection> {
    let mut last = anyhow::anyhow!("no bootstrap server in '{bootstrap}'");
    for (host, port) in bootstrap_servers(bootstrap) {
        match Connection::open(&host, port, deadline) {
            Ok(conn) => return Ok(conn),
            Err(e) => last = e.context(format!("cannot reach {host}:{port}")),
        }
    }
    Err(last)
}

/// What FindCoordinator is asked for: its key type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordinatorKind {
    Group,
    Transaction,
}

impl CoordinatorKind {
    fn key_type(self) -> i8 {
        match self {
            CoordinatorKind::Group => 0,
            CoordinatorKind::Transaction => 1,
        }
    }

    fn describe(self, key: &str) -> String {
        match self {
            CoordinatorKind::Group => format!("group '{key}'"),
            CoordinatorKind::Transaction => format!("transactional id '{key}'"),
        }
    }
}

/// A coordinator FindCoordinator named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordinator {
    pub node_id: i32,
    pub host: String,
    pub port: u16,
}

/// FindCoordinator: v0-v3 name one key, v4 a list; v6 is Kafka 4.1's newest.
const FIND_COORDINATOR: (i16, i16) = (0, 6);

/// The coordinator of `key` (a group or a transactional id).
pub fn coordinator(
    conn: &mut Connection,
    kind: CoordinatorKind,
    key: &str,
) -> anyhow::Result<Coordinator> {
    // Key types came with v1; a v0 broker knows groups only.
    let lowest = if kind == CoordinatorKind::Group { 0 } else { 1 };
    let version = conn.version(ApiKey::FindCoordinator, (lowest, FIND_COORDINATOR.1))?;
    let name = StrBytes::from_string(key.to_string());
    let request = if version >= 4 {
        FindCoordinatorRequest::default().with_coordinator_keys(vec![name])
    } else {
        FindCoordinatorRequest::default().with_key(name)
    };
    let request = if version >= 1 {
        request.with_key_type(kind.key_type())
    } else {
        request
    };
    let response = conn.call(&request, version).context("FindCoordinator")?;
    let (code, message, node_id, host, port) = match response.coordinators.into_iter().next() {
        Some(c) => (c.error_code, c.error_message, c.node_id, c.host, c.port),
        None => (
            response.error_code,
            response.error_message,
            response.node_id,
            response.host,
            response.port,
        ),
    };
    if let Some(e) = ResponseError::try_from_code(code) {
        anyhow::bail!(
            "cannot find the coordinator of {}: {e}{}",
            kind.describe(key),
            message.map(|m| format!(" ({m})")).unwrap_or_default()
        );
    }
    let port = u16::try_from(port).map_err(|_| {
        anyhow::anyhow!("the coordinator of {} has port {port}", kind.describe(key))
    })?;
    Ok(Coordinator {
        node_id: node_id.0,
        host: host.to_string(),
        port,
    })
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
        assert_eq!(pick_version((0, 4), (1, 4)), Some(4));
        assert_eq!(pick_version((1, 2), (1, 4)), Some(2));
        assert_eq!(pick_version((0, 7), (1, 4)), Some(4));
        assert_eq!(pick_version((0, 0), (1, 4)), None);
        assert_eq!(pick_version((5, 6), (1, 4)), None);
    }

    #[test]
    fn bootstrap_lists_are_split_into_hosts_and_ports() {
        assert_eq!(
            bootstrap_servers("a:1, b ,PLAINTEXT://c:3,[::1]:4"),
            vec![
                ("a".to_string(), 1),
                ("b".to_string(), 9092),
                ("c".to_string(), 3),
                ("::1".to_string(), 4)
            ]
        );
    }
}
