//! What kafka-transactions.sh asks the brokers, which librdkafka has no
//! admin call for: ListTransactions (every broker), DescribeTransactions
//! (the transactional id's coordinator, found with FindCoordinator key type
//! 1), DescribeProducers (the partition's leader) and aborting a hanging
//! transaction with WriteTxnMarkers (the partition's leader), each over a
//! [`Connection`].
//!
//! PLAINTEXT only, as everything over [`Connection`]; callers check
//! [`super::wire::plaintext`] first.

use std::time::Instant;

use anyhow::Context as _;
use kafka_protocol::messages::describe_producers_request::TopicRequest;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::write_txn_markers_request::{
    WritableTxnMarker, WritableTxnMarkerTopic,
};
use kafka_protocol::messages::{
    ApiKey, DescribeProducersRequest, DescribeTransactionsRequest, ListTransactionsRequest,
    MetadataRequest, MetadataResponse, ProducerId, TopicName, TransactionalId,
    WriteTxnMarkersRequest,
};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;
use serde::Serialize;

use super::wire::{coordinator, open_any, Connection, CoordinatorKind};
use super::ClientOptions;

/// Metadata v1 (null topics: all) to v12, the newest that still names
/// topics without ids only.
const METADATA: (i16, i16) = (1, 12);
/// ListTransactions v1 adds the duration filter, v2 an id pattern.
const LIST: (i16, i16) = (0, 2);
const DESCRIBE: (i16, i16) = (0, 0);
const DESCRIBE_PRODUCERS: (i16, i16) = (0, 0);
/// Kafka 4 serves only v1 (v0 was removed with the old message formats).
const WRITE_TXN_MARKERS: (i16, i16) = (1, 1);

/// One row of `dq transactions list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub transactional_id: String,
    /// The broker that coordinates it.
    pub coordinator: i32,
    pub producer_id: i64,
    pub state: String,
}

/// `dq transactions describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Description {
    pub coordinator_id: i32,
    pub transactional_id: String,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub state: String,
    pub timeout_ms: i32,
    /// When the latest transaction started (the coordinator keeps it after
    /// the end, as Kafka's does); None when it has none.
    pub start_time_ms: Option<i64>,
    /// The partitions of the open transaction.
    pub partitions: Vec<TopicPartition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

/// A producer the partition's leader keeps state for (DescribeProducers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProducerState {
    pub producer_id: i64,
    pub producer_epoch: i32,
    /// -1 when no marker has been written for it yet.
    pub coordinator_epoch: i32,
    pub last_sequence: i32,
    pub last_timestamp: i64,
    /// The first offset of its open transaction; None when it has none.
    pub current_transaction_start_offset: Option<i64>,
}

/// The transaction to end with an ABORT marker: kafka-transactions.sh's
/// `AbortTransactionSpec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbortSpec {
    pub topic: String,
    pub partition: i32,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub coordinator_epoch: i32,
}

/// Every broker's transactions, as kafka-transactions.sh lists them: those
/// older than `min_duration_ms` only when it is given.
pub fn list(options: &ClientOptions, min_duration_ms: Option<i64>) -> anyhow::Result<Vec<Listing>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let metadata = metadata(&mut conn, None)?;
    let mut out = Vec::new();
    for broker in &metadata.brokers {
        let (host, port) = (broker.host.to_string(), port(broker.port)?);
        let mut conn = Connection::open(&host, port, deadline).with_context(|| {
            format!("cannot reach broker {} at {host}:{port}", broker.node_id.0)
        })?;
        let version = conn.version(ApiKey::ListTransactions, LIST)?;
        let mut request = ListTransactionsRequest::default();
        if let Some(ms) = min_duration_ms {
            if version < 1 {
                anyhow::bail!(
                    "broker {} does not serve ListTransactions v1, which --duration-filter needs",
                    broker.node_id.0
                );
            }
            request = request.with_duration_filter(ms);
        } else if version >= 1 {
            request = request.with_duration_filter(-1);
        }
        let response = conn.call(&request, version).context("ListTransactions")?;
        if let Some(e) = ResponseError::try_from_code(response.error_code) {
            anyhow::bail!(
                "broker {} cannot list its transactions: {e}",
                broker.node_id.0
            );
        }
        out.extend(response.transaction_states.into_iter().map(|t| Listing {
            transactional_id: t.transactional_id.to_string(),
            coordinator: broker.node_id.0,
            producer_id: t.producer_id.0,
            state: t.transaction_state.to_string(),
        }));
    }
    out.sort_by(|a, b| a.transactional_id.cmp(&b.transactional_id));
    Ok(out)
}

/// The transactional id's state, as its coordinator describes it.
pub fn describe(options: &ClientOptions, transactional_id: &str) -> anyhow::Result<Description> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let found = coordinator(&mut conn, CoordinatorKind::Transaction, transactional_id)?;
    let mut conn = Connection::open(&found.host, found.port, deadline).with_context(|| {
        format!(
            "cannot reach the coordinator of transactional id '{transactional_id}' at {}:{}",
            found.host, found.port
        )
    })?;
    let version = conn.version(ApiKey::DescribeTransactions, DESCRIBE)?;
    let request =
        DescribeTransactionsRequest::default().with_transactional_ids(vec![TransactionalId(
            StrBytes::from_string(transactional_id.to_string()),
        )]);
    let response = conn
        .call(&request, version)
        .context("DescribeTransactions")?;
    let Some(t) = response
        .transaction_states
        .into_iter()
        .find(|t| t.transactional_id.as_str() == transactional_id)
    else {
        anyhow::bail!(
            "the coordinator's DescribeTransactions answer left out '{transactional_id}'"
        );
    };
    match ResponseError::try_from_code(t.error_code) {
        None => {}
        Some(ResponseError::TransactionalIdNotFound) => anyhow::bail!(
            "transactional id '{transactional_id}' is not known to its coordinator (broker {}): no producer has used it, or it expired",
            found.node_id
        ),
        Some(e) => anyhow::bail!("cannot describe transactional id '{transactional_id}': {e}"),
    }
    let mut partitions: Vec<TopicPartition> = t
        .topics
        .iter()
        .flat_map(|topic| {
            topic.partitions.iter().map(|p| TopicPartition {
                topic: topic.topic.to_string(),
                partition: *p,
            })
        })
        .collect();
    partitions.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    Ok(Description {
        coordinator_id: found.node_id,
        transactional_id: transactional_id.to_string(),
        producer_id: t.producer_id.0,
        producer_epoch: t.producer_epoch,
        state: t.transaction_state.to_string(),
        timeout_ms: t.transaction_timeout_ms,
        start_time_ms: (t.transaction_start_time_ms >= 0).then_some(t.transaction_start_time_ms),
        partitions,
    })
}

/// The producers the partition's leader keeps state for.
pub fn describe_producers(
    options: &ClientOptions,
    topic: &str,
    partition: i32,
) -> anyhow::Result<Vec<ProducerState>> {
    let deadline = Instant::now() + options.timeout;
    let mut conn = leader(options, topic, partition, deadline)?;
    let version = conn.version(ApiKey::DescribeProducers, DESCRIBE_PRODUCERS)?;
    let request = DescribeProducersRequest::default().with_topics(vec![TopicRequest::default()
        .with_name(TopicName(StrBytes::from_string(topic.to_string())))
        .with_partition_indexes(vec![partition])]);
    let response = conn.call(&request, version).context("DescribeProducers")?;
    let found = response
        .topics
        .into_iter()
        .filter(|t| t.name.as_str() == topic)
        .flat_map(|t| t.partitions)
        .find(|p| p.partition_index == partition);
    let Some(p) = found else {
        anyhow::bail!("the leader's DescribeProducers answer left out {topic}-{partition}");
    };
    if let Some(e) = ResponseError::try_from_code(p.error_code) {
        anyhow::bail!(
            "cannot describe the producers of {topic}-{partition}: {e}{}",
            p.error_message
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
    }
    let mut producers: Vec<ProducerState> = p
        .active_producers
        .into_iter()
        .map(|s| ProducerState {
            producer_id: s.producer_id.0,
            producer_epoch: s.producer_epoch,
            coordinator_epoch: s.coordinator_epoch,
            last_sequence: s.last_sequence,
            last_timestamp: s.last_timestamp,
            current_transaction_start_offset: (s.current_txn_start_offset >= 0)
                .then_some(s.current_txn_start_offset),
        })
        .collect();
    producers.sort_by_key(|s| s.producer_id);
    Ok(producers)
}

/// The spec that aborts the transaction open on `topic`-`partition` since
/// `start_offset`, looked up with DescribeProducers as kafka-transactions.sh
/// does.
pub fn abort_spec_at(
    options: &ClientOptions,
    topic: &str,
    partition: i32,
    start_offset: i64,
) -> anyhow::Result<AbortSpec> {
    let producers = describe_producers(options, topic, partition)?;
    let Some(p) = producers
        .into_iter()
        .find(|p| p.current_transaction_start_offset == Some(start_offset))
    else {
        anyhow::bail!(
            "no open transaction starts at offset {start_offset} of {topic}-{partition}: `dq transactions describe-producers --topic {topic} --partition {partition}` lists the open ones"
        );
    };
    let producer_epoch = i16::try_from(p.producer_epoch).map_err(|_| {
        anyhow::anyhow!(
            "the leader reports producer {} with epoch {}, beyond what a marker can carry",
            p.producer_id,
            p.producer_epoch
        )
    })?;
    Ok(AbortSpec {
        topic: topic.to_string(),
        partition,
        producer_id: p.producer_id,
        producer_epoch,
        // A producer no marker was written for yet has -1; 0 is at most any
        // epoch the leader can hold (kafka-transactions.sh does the same).
        coordinator_epoch: p.coordinator_epoch.max(0),
    })
}

/// Writes an ABORT marker for the spec's producer to its partition, through
/// the partition's leader.
pub fn abort(options: &ClientOptions, spec: &AbortSpec) -> anyhow::Result<()> {
    let deadline = Instant::now() + options.timeout;
    let (topic, partition) = (spec.topic.as_str(), spec.partition);
    let mut conn = leader(options, topic, partition, deadline)?;
    let version = conn.version(ApiKey::WriteTxnMarkers, WRITE_TXN_MARKERS)?;
    let marker = WritableTxnMarker::default()
        .with_producer_id(ProducerId(spec.producer_id))
        .with_producer_epoch(spec.producer_epoch)
        .with_transaction_result(false)
        .with_coordinator_epoch(spec.coordinator_epoch)
        .with_topics(vec![WritableTxnMarkerTopic::default()
            .with_name(TopicName(StrBytes::from_string(topic.to_string())))
            .with_partition_indexes(vec![partition])]);
    let request = WriteTxnMarkersRequest::default().with_markers(vec![marker]);
    let response = conn.call(&request, version).context("WriteTxnMarkers")?;
    let code = response
        .markers
        .iter()
        .filter(|m| m.producer_id.0 == spec.producer_id)
        .flat_map(|m| &m.topics)
        .filter(|t| t.name.as_str() == topic)
        .flat_map(|t| &t.partitions)
        .find(|p| p.partition_index == partition)
        .map(|p| p.error_code);
    match code.map(ResponseError::try_from_code) {
        None => anyhow::bail!("the leader's WriteTxnMarkers answer left out {topic}-{partition}"),
        Some(None) => Ok(()),
        Some(Some(e)) => anyhow::bail!(
            "cannot abort the transaction of producer {} (epoch {}) on {topic}-{partition}: {e}",
            spec.producer_id,
            spec.producer_epoch
        ),
    }
}

/// A connection to the leader of `topic`-`partition`.
fn leader(
    options: &ClientOptions,
    topic: &str,
    partition: i32,
    deadline: Instant,
) -> anyhow::Result<Connection> {
    let mut conn = open_any(&options.bootstrap, deadline)?;
    let metadata = metadata(&mut conn, Some(topic))?;
    let Some(t) = metadata
        .topics
        .iter()
        .find(|t| t.name.as_ref().is_some_and(|n| n.as_str() == topic))
    else {
        anyhow::bail!("the broker's metadata left out topic '{topic}'");
    };
    match ResponseError::try_from_code(t.error_code) {
        None => {}
        Some(ResponseError::UnknownTopicOrPartition) => {
            anyhow::bail!("topic '{topic}' does not exist on {}", options.bootstrap)
        }
        Some(e) => anyhow::bail!("cannot look up topic '{topic}': {e}"),
    }
    let Some(p) = t.partitions.iter().find(|p| p.partition_index == partition) else {
        anyhow::bail!(
            "partition {partition} does not exist: topic '{topic}' has {} partition(s)",
            t.partitions.len()
        );
    };
    let Some(broker) = metadata.brokers.iter().find(|b| b.node_id == p.leader_id) else {
        anyhow::bail!(
            "{topic}-{partition} has no leader the metadata names (leader {})",
            p.leader_id.0
        );
    };
    let (host, port) = (broker.host.to_string(), port(broker.port)?);
    Connection::open(&host, port, deadline).with_context(|| {
        format!(
            "cannot reach the leader of {topic}-{partition}, broker {} at {host}:{port}",
            broker.node_id.0
        )
    })
}

/// The cluster's brokers, and `topic`'s partitions when one is named.
fn metadata(conn: &mut Connection, topic: Option<&str>) -> anyhow::Result<MetadataResponse> {
    let version = conn.version(ApiKey::Metadata, METADATA)?;
    let topics = topic.map_or_else(Vec::new, |name| {
        vec![MetadataRequestTopic::default()
            .with_name(Some(TopicName(StrBytes::from_string(name.to_string()))))]
    });
    let mut request = MetadataRequest::default().with_topics(Some(topics));
    if version >= 4 {
        request = request.with_allow_auto_topic_creation(false);
    }
    conn.call(&request, version).context("Metadata")
}

fn port(port: i32) -> anyhow::Result<u16> {
    u16::try_from(port).map_err(|_| anyhow::anyhow!("the metadata names a broker on port {port}"))
}
