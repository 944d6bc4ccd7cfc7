//! Broker-wide state shared by every connection: the configuration, the logs
//! (storage's [`LogManager`]), the coordinators, the group-commit flusher and
//! the signal that wakes long-polling fetches.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::coordinator::consumer_group::Timeouts;
use super::coordinator::group_configs::{GroupConfigs, ShareDefaults};
use super::coordinator::internal_topic::InternalTopics;
use super::coordinator::producer_ids::ProducerIds;
use super::coordinator::share::dead_letter::DeadLetters;
use super::coordinator::share::{ShareGroups, SharePartitions};
use super::coordinator::transactions::TransactionCoordinator;
use super::coordinator::GroupCoordinator;
use super::flusher::Flusher;
use super::storage::log_manager::LogManager;
use super::storage::StorageError;

pub use super::coordinator::is_internal;
pub use super::storage::log_manager::{validate_topic_name, Partition, Topic, TopicError};

/// How the broker was asked to run.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    pub listen: String,
    /// `host:port` put in metadata for clients; derived from the listener when unset.
    pub advertised_listener: Option<String>,
    pub data_dir: PathBuf,
    /// Partition count for topics created without one (auto-create, or -1).
    pub default_partitions: i32,
    pub auto_create_topics: bool,
    /// Topic-config values set for the whole broker (by `dq serve` flags),
    /// under their topic-config names; reported as STATIC_BROKER_CONFIG.
    pub topic_defaults: BTreeMap<String, String>,
    /// Largest request frame accepted; bigger ones close the connection.
    pub max_request_bytes: usize,
    /// A request frame must arrive whole within this of its first byte.
    pub request_timeout: Duration,
    /// Connections served at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Bytes of request frames held at once over all connections.
    pub queued_max_request_bytes: usize,
    /// Segment files (each partition's active log included) open at once.
    pub max_open_files: usize,
    /// Partitions the broker holds in total, over all topics.
    pub max_partitions: usize,
    /// group.initial.rebalance.delay.ms from `dq serve`; Kafka's 3 s when unset.
    pub group_initial_rebalance_delay: Option<Duration>,
    /// KIP-848 consumer groups: a member without a heartbeat for this long
    /// is removed (Kafka's group.consumer.session.timeout.ms).
    pub consumer_session_timeout: Duration,
    /// Told to consumer group members (group.consumer.heartbeat.interval.ms).
    pub consumer_heartbeat_interval: Duration,
    /// A transactional id unused this long is forgotten
    /// (transactional.id.expiration.ms, Kafka's 7 days).
    pub transactional_id_expiration: Duration,
    /// producer.id.expiration.ms: a producer idle this long with no open
    /// transaction is forgotten by each partition (Kafka's default, 1 day).
    pub producer_id_expiration_ms: i64,
    /// Share groups' broker-wide settings (group.share.*).
    pub share: ShareDefaults,
}

impl BrokerConfig {
    pub fn new(data_dir: PathBuf) -> BrokerConfig {
        BrokerConfig {
            listen: "localhost:9092".into(),
            advertised_listener: None,
            data_dir,
            default_partitions: 1,
            auto_create_topics: true,
            topic_defaults: BTreeMap::new(),
            max_request_bytes: 100 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_connections: 1000,
            queued_max_request_bytes: 256 * 1024 * 1024,
            max_open_files: 4096,
            max_partitions: 3686,
            group_initial_rebalance_delay: None,
            consumer_session_timeout: Duration::from_secs(45),
            consumer_heartbeat_interval: Duration::from_secs(5),
            transactional_id_expiration: Duration::from_secs(7 * 24 * 3600),
            producer_id_expiration_ms: 86_400_000,
            share: ShareDefaults::default(),
        }
    }
}

/// The id this single node uses in metadata.
pub const NODE_ID: i32 = 0;
pub struct State {
    pub config: BrokerConfig,
    /// Where clients are told to connect.
    pub advertised: (String, u16),
    pub cluster_id: String,
    /// Every topic partition's log, the catalog and the broker configs.
    pub logs: LogManager,
    pub producer_ids: ProducerIds,
    pub flusher: Flusher,
    pub groups: GroupCoordinator,
    pub transactions: TransactionCoordinator,
    /// Share groups' membership (KIP-932).
    pub share_groups: ShareGroups,
    /// Share groups' in-flight records, durable in `__share_group_state`.
    pub share_partitions: SharePartitions,
    /// Per-group config overrides (GROUP config resources).
    pub group_configs: GroupConfigs,
    /// Share groups' dead-letter writes (KIP-1191).
    pub dead_letters: DeadLetters,
    /// Notified after every append, to wake fetches waiting for data.
    pub appended: Notify,
}

impl State {
    /// Opens the data directory (every partition log, with recovery), then
    /// loads each coordinator's state from its internal topic.
    pub fn open(config: BrokerConfig, advertised: (String, u16)) -> Result<State, TopicError> {
        let logs = LogManager::open(&config)?;
        let state = State {
            cluster_id: logs.cluster_id(),
            advertised,
            logs,
            producer_ids: ProducerIds::default(),
            flusher: Flusher::start(),
            groups: GroupCoordinator::with_consumer_timeouts(Timeouts {
                session: config.consumer_session_timeout,
                heartbeat_interval: config.consumer_heartbeat_interval,
            }),
            transactions: TransactionCoordinator::new(
                config.transactional_id_expiration.as_millis() as i64,
            ),
            share_groups: ShareGroups::default(),
            share_partitions: SharePartitions::default(),
            group_configs: GroupConfigs::open(
                &config.data_dir,
                config.share.clone(),
                Timeouts {
                    session: config.consumer_session_timeout,
                    heartbeat_interval: config.consumer_heartbeat_interval,
                },
            )?,
            dead_letters: DeadLetters::default(),
            appended: Notify::new(),
            config,
        };
        state.groups.load_offsets(&state.internal())?;
        state.transactions.load(&state.internal())?;
        state
            .share_groups
            .restore(state.group_configs.share_group_ids());
        state.share_partitions.load(&state.internal())?;
        Ok(state)
    }

    /// The internal topics, through which coordinators keep their state durable.
    pub fn internal(&self) -> InternalTopics<'_> {
        InternalTopics {
            logs: &self.logs,
            flusher: &self.flusher,
            appended: &self.appended,
        }
    }

    pub fn topic(&self, name: &str) -> Option<Arc<Topic>> {
        self.logs.topic(name)
    }

    pub fn topic_by_id(&self, id: uuid::Uuid) -> Option<Arc<Topic>> {
        self.logs.topic_by_id(id)
    }

    /// All topics, sorted by name.
    pub fn topics(&self) -> Vec<Arc<Topic>> {
        self.logs.topics()
    }

    /// A producer id never handed out before, on this data directory.
    pub fn new_producer_id(&self) -> Result<i64, StorageError> {
        self.producer_ids.next(&self.logs)
    }
}

/// The address clients should use, from `--advertised-listener` or the bound socket.
pub fn advertised_address(config: &BrokerConfig, bound: SocketAddr) -> (String, u16) {
    if let Some(a) = &config.advertised_listener {
        if let Some((host, port)) = a.rsplit_once(':') {
            if let Ok(port) = port.parse() {
                return (host.trim_matches(['[', ']']).to_string(), port);
            }
        }
    }
    let host = config
        .listen
        .rsplit_once(':')
        .map(|(h, _)| h.trim_matches(['[', ']']).to_string())
        .filter(|h| !h.is_empty() && h != "0.0.0.0" && h != "::")
        .unwrap_or_else(|| "localhost".to_string());
    (host, bound.port())
}
