//! The logs of every topic partition: the topic table (each partition's log
//! behind its own lock), the persisted catalog, the dynamic broker configs,
//! topic creation, growth, config changes and deletion, and the broker-wide
//! passes over all logs (retention, compaction, the shutdown sync).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use uuid::Uuid;

use super::{config, Catalog, LogConfig, PartitionLog, StorageError, TopicDef};
use crate::broker::coordinator::is_internal;
use crate::broker::state::BrokerConfig;

pub struct Partition {
    pub index: i32,
    log: Mutex<PartitionLog>,
}

impl Partition {
    pub fn log(&self) -> MutexGuard<'_, PartitionLog> {
        // A panic while holding the lock cannot leave the log half-updated in
        // memory in a way that matters more than refusing all further service.
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct Topic {
    pub def: TopicDef,
    pub partitions: Vec<Arc<Partition>>,
}

impl Topic {
    pub fn partition(&self, index: i32) -> Option<&Arc<Partition>> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.partitions.get(i))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error("topic '{0}' already exists")]
    AlreadyExists(String),
    #[error("{0}")]
    InvalidName(String),
    #[error("number of partitions must be at least 1, got {0}")]
    InvalidPartitions(i32),
    #[error("{0}")]
    InvalidPartitionCount(String),
    #[error(
        "{what} would bring the broker to {total} partitions, over its limit of {max} \
         (--max-partitions; {held} are held now)"
    )]
    TooManyPartitions {
        what: String,
        total: usize,
        held: usize,
        max: usize,
    },
    #[error("cannot create partition directory {dir}: {source}")]
    PartitionDir {
        dir: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("replication factor must be 1 on a single-node broker, got {0}")]
    InvalidReplicationFactor(i16),
    #[error("{0}")]
    InvalidConfig(String),
    #[error("topic '{0}' does not exist")]
    Unknown(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Kafka's rule: 1 to 249 characters of ASCII alphanumerics, '.', '_' and '-',
/// and not "." or "..".
pub fn validate_topic_name(name: &str) -> Result<(), TopicError> {
    let bad = |why: &str| {
        Err(TopicError::InvalidName(format!(
            "invalid topic name '{name}': {why}"
        )))
    };
    if name.is_empty() {
        return bad("it is empty");
    }
    if name == "." || name == ".." {
        return bad("'.' and '..' are not allowed");
    }
    if name.len() > 249 {
        return bad("it is longer than 249 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return bad(&format!(
            "'{c}' is not allowed (use ASCII letters, digits, '.', '_' and '-')"
        ));
    }
    Ok(())
}

pub struct LogManager {
    config: BrokerConfig,
    /// Serializes topic creation and deletion, and owns the persisted catalog.
    catalog: Mutex<Catalog>,
    topics: RwLock<HashMap<String, Arc<Topic>>>,
    /// Broker configs set at run time (AlterConfigs on a BROKER resource).
    broker_configs: RwLock<config::DynamicBrokerConfigs>,
    /// Keeps a second broker off this data directory while this one lives.
    _lock: super::data_dir::DataDirLock,
}

impl LogManager {
    /// Opens the data directory: the catalog, then every partition log, with
    /// recovery. Repairs are logged, one line each.
    pub fn open(config: &BrokerConfig) -> Result<LogManager, TopicError> {
        std::fs::create_dir_all(&config.data_dir).map_err(StorageError::from)?;
        let lock = super::data_dir::DataDirLock::acquire(&config.data_dir)?;
        super::files::set_capacity(config.max_open_files);
        let catalog = Catalog::open(&config.data_dir)?;
        let broker_configs = config::DynamicBrokerConfigs::load(&config.data_dir)?;
        let topic_defaults = broker_configs.topic_defaults(&config.topic_defaults);
        let clean = super::data_dir::was_shut_down_cleanly(&config.data_dir);
        let mut topics = HashMap::new();
        for def in catalog.topics.values() {
            let topic = open_topic(config, &topic_defaults, def.clone())?;
            topics.insert(def.name.clone(), Arc::new(topic));
        }
        if topics.is_empty() {
            // A new data directory: there was no shutdown to speak of.
        } else if clean {
            tracing::info!(
                data_dir = %config.data_dir.display(),
                "the last shutdown was clean; skipped the full recovery check"
            );
        } else {
            tracing::info!(
                data_dir = %config.data_dir.display(),
                "the last shutdown was not clean; checked every batch written since each partition's recovery point"
            );
        }
        super::data_dir::clear_clean_shutdown(&config.data_dir).map_err(StorageError::from)?;
        Ok(LogManager {
            _lock: lock,
            config: config.clone(),
            catalog: Mutex::new(catalog),
            topics: RwLock::new(topics),
            broker_configs: RwLock::new(broker_configs),
        })
    }

    /// The cluster id kept in the catalog.
    pub fn cluster_id(&self) -> String {
        self.catalog().cluster_id.clone()
    }

    fn catalog(&self) -> MutexGuard<'_, Catalog> {
        self.catalog.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reserves `count` producer ids never handed out before on this data
    /// directory, and returns the first. The catalog records the reservation
    /// before any id is used, so a restart skips the rest of a block rather
    /// than reusing an id.
    pub fn reserve_producer_ids(&self, count: i64) -> Result<i64, StorageError> {
        let mut catalog = self.catalog();
        let start = catalog.next_producer_id;
        catalog.next_producer_id = start + count;
        if let Err(e) = catalog.save() {
            catalog.next_producer_id = start;
            return Err(e);
        }
        Ok(start)
    }

    pub fn topic(&self, name: &str) -> Option<Arc<Topic>> {
        self.topics
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()
    }

    pub fn topic_by_id(&self, id: Uuid) -> Option<Arc<Topic>> {
        self.topics
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .find(|t| t.def.id == id)
            .cloned()
    }

    /// All topics, sorted by name.
    pub fn topics(&self) -> Vec<Arc<Topic>> {
        let mut all: Vec<_> = self
            .topics
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        all.sort_by(|a, b| a.def.name.cmp(&b.def.name));
        all
    }

    /// Creates a topic (or, with `validate_only`, checks that it could be).
    pub fn create_topic(
        &self,
        name: &str,
        partitions: i32,
        replication_factor: i16,
        configs: BTreeMap<String, String>,
        validate_only: bool,
    ) -> Result<Arc<Topic>, TopicError> {
        validate_topic_name(name)?;
        let partitions = if partitions == -1 {
            self.config.default_partitions
        } else {
            partitions
        };
        if partitions < 1 {
            return Err(TopicError::InvalidPartitions(partitions));
        }
        if replication_factor != -1 && replication_factor != 1 {
            return Err(TopicError::InvalidReplicationFactor(replication_factor));
        }
        for (k, v) in &configs {
            config::validate(k, v).map_err(TopicError::InvalidConfig)?;
        }
        let mut catalog = self.catalog();
        if catalog.topics.contains_key(name) {
            return Err(TopicError::AlreadyExists(name.to_string()));
        }
        self.check_partition_limit(&catalog, 0, partitions, || {
            format!("creating topic '{name}' with {partitions} partitions")
        })?;
        let def = TopicDef {
            name: name.to_string(),
            id: Uuid::new_v4(),
            partitions,
            configs,
        };
        if validate_only {
            return Ok(Arc::new(Topic {
                def,
                partitions: Vec::new(),
            }));
        }
        // Directories first, then the catalog: a crash in between leaves only
        // directories the catalog does not name, which are ignored. A failure
        // removes the directories this call made.
        let (opened, created) = open_partitions(&self.config, &self.topic_defaults(), &def, 0)?;
        let topic = Arc::new(Topic {
            def: def.clone(),
            partitions: opened,
        });
        catalog.topics.insert(name.to_string(), def);
        if let Err(e) = catalog.save() {
            catalog.topics.remove(name);
            drop(topic);
            remove_dirs(&created);
            return Err(e.into());
        }
        self.topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string(), topic.clone());
        tracing::info!(topic = name, partitions, "created topic");
        Ok(topic)
    }

    /// Replaces a topic's config overrides (AlterConfigs semantics: what is
    /// not given returns to its default) and applies them to its partitions.
    pub fn set_topic_configs(
        &self,
        name: &str,
        configs: BTreeMap<String, String>,
        validate_only: bool,
    ) -> Result<(), TopicError> {
        for (k, v) in &configs {
            config::validate(k, v).map_err(TopicError::InvalidConfig)?;
        }
        self.update_topic(name, validate_only, |_, def| {
            def.configs = configs;
            Ok(())
        })
    }

    /// The broker-level defaults of topic configs in force now (flags, then
    /// dynamic configs), under their topic-config names.
    /// A topic's log config, with what the broker's own configs add.
    fn log_config(
        &self,
        overrides: &BTreeMap<String, String>,
        topic_defaults: &BTreeMap<String, String>,
    ) -> LogConfig {
        LogConfig {
            producer_id_expiration_ms: self.config.producer_id_expiration_ms,
            ..config::log_config(overrides, topic_defaults)
        }
    }

    pub fn topic_defaults(&self) -> BTreeMap<String, String> {
        self.dynamic_broker_configs()
            .topic_defaults(&self.config.topic_defaults)
    }

    /// The broker configs set at run time.
    pub fn dynamic_broker_configs(&self) -> config::DynamicBrokerConfigs {
        self.broker_configs
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The `dq serve` flags that set dynamic broker configs, under their
    /// broker-level names (STATIC_BROKER_CONFIG).
    pub fn static_broker_configs(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .config
            .topic_defaults
            .iter()
            .filter_map(|(k, v)| config::broker_synonym(k).map(|b| (b.to_string(), v.clone())))
            .collect();
        if let Some(d) = self.config.group_initial_rebalance_delay {
            out.insert(
                config::GROUP_INITIAL_REBALANCE_DELAY_MS.to_string(),
                d.as_millis().to_string(),
            );
        }
        out
    }

    /// How long the first join of an empty classic group waits for more members.
    pub fn group_initial_rebalance_delay(&self) -> Duration {
        let static_value = self
            .config
            .group_initial_rebalance_delay
            .map(|d| d.as_millis().to_string());
        self.broker_configs
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .value(config::GROUP_INITIAL_REBALANCE_DELAY_MS, static_value)
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(Duration::from_secs(3), Duration::from_millis)
    }

    /// Changes the dynamic broker configs of this broker (`per_broker`) or of
    /// the whole cluster: `change` edits a copy, every value is checked, and
    /// the result is saved before it takes effect. Topics without their own
    /// value follow a changed topic default at once.
    pub fn alter_broker_configs(
        &self,
        per_broker: bool,
        validate_only: bool,
        change: impl FnOnce(&mut BTreeMap<String, String>) -> Result<(), TopicError>,
    ) -> Result<(), TopicError> {
        // Held across the save so that two changes cannot interleave.
        let mut current = self
            .broker_configs
            .write()
            .unwrap_or_else(|p| p.into_inner());
        let mut next = current.clone();
        let map = if per_broker {
            &mut next.broker
        } else {
            &mut next.cluster
        };
        change(map)?;
        for (k, v) in map.iter() {
            config::validate_broker(k, v).map_err(TopicError::InvalidConfig)?;
        }
        if validate_only {
            return Ok(());
        }
        next.save()?;
        *current = next;
        let topic_defaults = current.topic_defaults(&self.config.topic_defaults);
        drop(current);
        for topic in self.topics() {
            let log_config = self.log_config(&topic.def.configs, &topic_defaults);
            for p in &topic.partitions {
                p.log().set_config(log_config);
            }
        }
        tracing::info!(
            scope = if per_broker { "broker" } else { "cluster" },
            "updated dynamic broker configs"
        );
        Ok(())
    }

    /// Grows a topic to `count` partitions (CreatePartitions).
    pub fn add_partitions(
        &self,
        name: &str,
        count: i32,
        validate_only: bool,
    ) -> Result<(), TopicError> {
        self.update_topic(name, validate_only, |catalog, def| {
            if count <= def.partitions {
                return Err(TopicError::InvalidPartitionCount(format!(
                    "topic '{name}' has {} partitions; the count can only grow",
                    def.partitions
                )));
            }
            self.check_partition_limit(catalog, def.partitions, count, || {
                format!(
                    "growing topic '{name}' from {} to {count} partitions",
                    def.partitions
                )
            })?;
            def.partitions = count;
            Ok(())
        })
    }

    /// Changes a topic's definition in the catalog, then swaps in a new
    /// `Topic` sharing the existing partitions (plus any new ones) and
    /// applies the resolved configs to every partition log.
    fn update_topic(
        &self,
        name: &str,
        validate_only: bool,
        change: impl FnOnce(&Catalog, &mut TopicDef) -> Result<(), TopicError>,
    ) -> Result<(), TopicError> {
        if is_internal(name) {
            return Err(TopicError::InvalidConfig(format!(
                "'{name}' is internal to the broker"
            )));
        }
        let mut catalog = self.catalog();
        let old = catalog
            .topics
            .get(name)
            .cloned()
            .ok_or_else(|| TopicError::Unknown(name.to_string()))?;
        let mut def = old.clone();
        change(&catalog, &mut def)?;
        if validate_only {
            return Ok(());
        }
        let current = self
            .topic(name)
            .ok_or_else(|| TopicError::Unknown(name.to_string()))?;
        let mut partitions = current.partitions.clone();
        let topic_defaults = self.topic_defaults();
        let (added, created) =
            open_partitions(&self.config, &topic_defaults, &def, old.partitions)?;
        partitions.extend(added);
        catalog.topics.insert(name.to_string(), def.clone());
        if let Err(e) = catalog.save() {
            catalog.topics.insert(name.to_string(), old);
            drop(partitions);
            remove_dirs(&created);
            return Err(e.into());
        }
        let log_config = self.log_config(&def.configs, &topic_defaults);
        for p in &partitions {
            p.log().set_config(log_config);
        }
        self.topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string(), Arc::new(Topic { def, partitions }));
        tracing::info!(topic = name, "updated topic");
        Ok(())
    }

    /// Refuses a change that would take the broker's partitions from
    /// `held` + `before` (the topic's own count now) to over --max-partitions.
    fn check_partition_limit(
        &self,
        catalog: &Catalog,
        before: i32,
        after: i32,
        what: impl FnOnce() -> String,
    ) -> Result<(), TopicError> {
        let held: usize = catalog
            .topics
            .values()
            .map(|t| t.partitions.max(0) as usize)
            .sum();
        let total = (held + after.max(0) as usize).saturating_sub(before.max(0) as usize);
        let max = self.config.max_partitions;
        if total > max {
            return Err(TopicError::TooManyPartitions {
                what: what(),
                total,
                held,
                max,
            });
        }
        Ok(())
    }

    /// Deletes a topic: out of the catalog first, then its files.
    pub fn delete_topic(&self, name: &str) -> Result<(), TopicError> {
        let mut catalog = self.catalog();
        let Some(def) = catalog.topics.remove(name) else {
            return Err(TopicError::Unknown(name.to_string()));
        };
        if let Err(e) = catalog.save() {
            catalog.topics.insert(name.to_string(), def);
            return Err(e.into());
        }
        let topic = self
            .topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        if let Some(topic) = topic {
            for p in &topic.partitions {
                let dir = p.log().dir().to_path_buf();
                if let Err(e) = std::fs::remove_dir_all(&dir) {
                    tracing::warn!(dir = %dir.display(), error = %e, "could not remove a deleted topic's directory");
                }
            }
        }
        tracing::info!(topic = name, "deleted topic");
        Ok(())
    }

    /// Applies segment.ms and retention to every partition. Runs on a
    /// blocking thread once a second; each partition is locked only for its
    /// own turn.
    pub fn enforce_retention(&self) {
        let now = super::log::now_ms();
        for topic in self.topics() {
            for p in &topic.partitions {
                let result = p.log().enforce_retention(now);
                match result {
                    Ok(removed) => {
                        for path in removed {
                            tracing::info!(topic = %topic.def.name, partition = p.index, segment = %path.display(), "retention removed a segment");
                        }
                    }
                    Err(e) => {
                        tracing::error!(topic = %topic.def.name, partition = p.index, error = %e, "retention failed")
                    }
                }
            }
        }
    }

    /// One compaction pass over every compacted partition; the rewriting
    /// happens outside the partition lock.
    pub fn compact_all(&self) {
        let now = super::log::now_ms();
        for topic in self.topics() {
            for p in &topic.partitions {
                let Some(plan) = p.log().clean_plan() else {
                    continue;
                };
                let result = plan.run(now).and_then(|cleaned| {
                    let (before, after) = cleaned.iter().fold((0, 0), |(b, a), c| {
                        (b + c.records_before, a + c.records_after)
                    });
                    let n = cleaned.len();
                    p.log().install_cleaned(plan.end(), cleaned)?;
                    Ok((n, before, after))
                });
                match result {
                    Ok((0, _, _)) => {}
                    Ok((segments, before, after)) => tracing::info!(
                        topic = %topic.def.name, partition = p.index, segments, before, after,
                        "compaction rewrote segments"
                    ),
                    Err(e) => {
                        tracing::error!(topic = %topic.def.name, partition = p.index, error = %e, "compaction failed")
                    }
                }
            }
        }
    }

    /// Syncs every partition's active segment and saves its recovery
    /// point; used at shutdown. When every one succeeded, marks the data
    /// directory clean so the next start can skip the full recovery check.
    pub fn sync_all(&self) {
        let mut clean = true;
        for topic in self.topics() {
            for p in &topic.partitions {
                if let Err(e) = p.log().flush() {
                    clean = false;
                    tracing::error!(topic = %topic.def.name, partition = p.index, error = %e, "sync at shutdown failed");
                }
            }
        }
        if !clean {
            return;
        }
        if let Err(e) = super::data_dir::mark_clean_shutdown(&self.config.data_dir) {
            tracing::warn!(error = %e, "could not mark the shutdown clean; the next start checks every unflushed batch");
        }
    }
}

fn open_topic(
    config: &BrokerConfig,
    topic_defaults: &BTreeMap<String, String>,
    def: TopicDef,
) -> Result<Topic, TopicError> {
    let (partitions, _) = open_partitions(config, topic_defaults, &def, 0)?;
    Ok(Topic { def, partitions })
}

/// Opens (creating or recovering) partitions `from..def.partitions` of a
/// topic, and returns them with the directories this call created. All or
/// nothing: when one partition fails, the directories made so far are removed
/// again, so a topic that could not be created leaves nothing behind.
fn open_partitions(
    config: &BrokerConfig,
    topic_defaults: &BTreeMap<String, String>,
    def: &TopicDef,
    from: i32,
) -> Result<(Vec<Arc<Partition>>, Vec<PathBuf>), TopicError> {
    let log_config = LogConfig {
        producer_id_expiration_ms: config.producer_id_expiration_ms,
        ..config::log_config(&def.configs, topic_defaults)
    };
    let mut partitions = Vec::with_capacity((def.partitions - from).max(0) as usize);
    let mut created = Vec::new();
    for index in from..def.partitions {
        let dir = config.data_dir.join(format!("{}-{}", def.name, index));
        // Anything already at the path (a directory left by a crash, or not a
        // directory at all) is not ours to remove.
        let existed = std::fs::symlink_metadata(&dir).is_ok();
        let opened = PartitionLog::open(&dir, log_config);
        if !existed && dir.is_dir() {
            created.push(dir.clone());
        }
        let (log, repairs) = match opened {
            Ok(opened) => opened,
            Err(source) => {
                drop(partitions);
                remove_dirs(&created);
                return Err(TopicError::PartitionDir { dir, source });
            }
        };
        for r in repairs {
            if let Some(t) = &r.repair.truncated {
                match t.offset {
                    Some(offset) => tracing::warn!(
                        segment = %r.segment.display(), offset, position = t.position,
                        reason = %t.reason, "recovery found a corrupt batch"
                    ),
                    None => tracing::warn!(
                        segment = %r.segment.display(), position = t.position,
                        reason = %t.reason, "recovery found bytes that are not a whole batch"
                    ),
                }
                tracing::warn!(
                    segment = %r.segment.display(), position = t.position, bytes = t.bytes,
                    "recovery cut a damaged tail"
                );
            }
            if r.repair.rebuilt_offset_index || r.repair.rebuilt_time_index {
                tracing::warn!(
                    segment = %r.segment.display(),
                    offset_index = r.repair.rebuilt_offset_index,
                    time_index = r.repair.rebuilt_time_index,
                    "recovery rebuilt an index"
                );
            }
        }
        partitions.push(Arc::new(Partition {
            index,
            log: Mutex::new(log),
        }));
    }
    Ok((partitions, created))
}

/// Removes partition directories made for a change that failed.
fn remove_dirs(dirs: &[PathBuf]) {
    for dir in dirs {
        if let Err(e) = std::fs::remove_dir_all(dir) {
            tracing::warn!(dir = %dir.display(), error = %e, "could not remove the directory of a partition that failed to be created");
        }
    }
}
