//! Topic administration (create, delete, add partitions, describe and change
//! configs) through librdkafka's Admin API, plus metadata and watermarks for
//! `describe`, and sizes on disk from the partition leaders ([`super::logdirs`]).
//!
//! The admin calls go to librdkafka's C API directly rather than through
//! rust-rdkafka's `AdminClient` methods, because those drop what a person
//! needs to read: 0.39 keeps only the error code of a refused topic (not the
//! broker's message, e.g. why a replication factor was refused), drops
//! per-resource errors of DescribeConfigs and AlterConfigs altogether (a
//! refused config change looked like success), and has no
//! IncrementalAlterConfigs, which changes the named configs and leaves the
//! other overrides alone.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::fmt;
use std::os::raw::{c_char, c_int};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rdkafka::admin::AdminClient;
use rdkafka::bindings as rd;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;

use super::logdirs::{self, LeaderPartitions};
use super::{cancel, connect_error, ClientOptions, LastError, Unjoined};
use crate::output::topics::{PartitionDescription, TopicDescription, TopicListing};

/// Topics Kafka keeps for itself. librdkafka's metadata does not carry the
/// broker's `is_internal` flag, so the names decide, as Kafka reserves them.
const INTERNAL_TOPICS: &[&str] = &["__consumer_offsets", "__transaction_state"];

pub fn is_internal(topic: &str) -> bool {
    INTERNAL_TOPICS.contains(&topic)
}

/// A broker's refusal of one operation on one topic: its error code and the
/// message it sent (or librdkafka's text for the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: RDKafkaErrorCode,
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One config change for [`TopicAdmin::alter_configs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    Set(String, String),
    Delete(String),
}

struct Events {
    last_error: LastError,
}

keeps_last_error!(Events);

impl rdkafka::consumer::ConsumerContext for Events {}

/// Reads watermarks at one isolation level: librdkafka asks ListOffsets at
/// the client's `isolation.level`, so the high watermark and the last
/// stable offset each need a client of their own.
type OffsetReader = Unjoined<Arc<BaseConsumer<Events>>>;

pub struct TopicAdmin {
    /// Shared with [`cancel::wait`]s, which may outlive a cancelled call.
    client: Arc<AdminClient<Events>>,
    /// For the clients that read watermarks.
    options: ClientOptions,
    bootstrap: String,
    timeout: Duration,
    /// Sizes on disk need a connection of our own, which can only be
    /// PLAINTEXT; under TLS or SASL they are left unknown.
    plaintext: bool,
}

/// What `describe` found.
#[derive(Debug)]
pub struct Described {
    pub topics: Vec<TopicDescription>,
    /// Why some sizes on disk are unknown, one line per leader that could
    /// not be asked; empty when all were learned, or when none could be
    /// asked for (a connection that is not PLAINTEXT).
    pub size_notes: Vec<String>,
}

/// Owns librdkafka objects that must be destroyed with a given function.
struct Owned<T> {
    ptr: *mut T,
    destroy: unsafe extern "C" fn(*mut T),
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: `ptr` came from the matching constructor and is
            // destroyed once, here.
            unsafe { (self.destroy)(self.ptr) };
        }
    }
}

/// An array of librdkafka request objects, destroyed together.
struct OwnedArray<T> {
    items: Vec<*mut T>,
    destroy: unsafe extern "C" fn(*mut *mut T, usize),
}

impl<T> Drop for OwnedArray<T> {
    fn drop(&mut self) {
        // SAFETY: every item came from its constructor and is destroyed once.
        unsafe { (self.destroy)(self.items.as_mut_ptr(), self.items.len()) };
    }
}

/// # Safety
/// `p` is null or a NUL-terminated string that lives for the call.
unsafe fn text(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
}

fn c_string(what: &str, s: &str) -> anyhow::Result<CString> {
    CString::new(s).map_err(|_| anyhow::anyhow!("{what} '{s}' contains a NUL byte"))
}

fn refusal(code: rd::rd_kafka_resp_err_t, message: Option<String>) -> Option<Refusal> {
    let code = RDKafkaErrorCode::from(code);
    (code != RDKafkaErrorCode::NoError).then(|| Refusal {
        code,
        message: message
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| code.to_string()),
    })
}

/// # Safety
/// `list` holds `n` valid topic results owned by a live event.
unsafe fn topic_results(
    list: *mut *const rd::rd_kafka_topic_result_t,
    n: usize,
) -> Vec<(String, Option<Refusal>)> {
    (0..n)
        .map(|i| {
            let r = *list.add(i);
            let name = text(rd::rd_kafka_topic_result_name(r)).unwrap_or_default();
            let error = refusal(
                rd::rd_kafka_topic_result_error(r),
                text(rd::rd_kafka_topic_result_error_string(r)),
            );
            (name, error)
        })
        .collect()
}

/// The one result for `topic` among `results`.
fn result_for(results: Vec<(String, Option<Refusal>)>, topic: &str) -> Result<(), Refusal> {
    match results.into_iter().find(|(name, _)| name == topic) {
        Some((_, None)) => Ok(()),
        Some((_, Some(refusal))) => Err(refusal),
        None => Err(Refusal {
            code: RDKafkaErrorCode::BadMessage,
            message: format!("the broker's answer did not mention topic '{topic}'"),
        }),
    }
}

impl TopicAdmin {
    /// Creates the client and checks the broker answers, so an unreachable
    /// broker is reported before anything else is attempted.
    pub fn connect(options: &ClientOptions) -> anyhow::Result<TopicAdmin> {
        let config = options.config(&[]).map_err(anyhow::Error::msg)?;
        let client: AdminClient<Events> = config
            .create_with_context(Events {
                last_error: LastError::default(),
            })
            .context("invalid client configuration")?;
        let admin = TopicAdmin {
            client: Arc::new(client),
            options: options.clone(),
            bootstrap: options.bootstrap.clone(),
            timeout: options.timeout,
            plaintext: super::wire::plaintext(options),
        };
        admin.metadata(None)?;
        Ok(admin)
    }

    fn unreachable(&self, err: &KafkaError) -> anyhow::Error {
        self.drain_log_events();
        let last = self.client.inner().context().last_error.get();
        connect_error(&self.bootstrap, self.timeout, err, last)
    }

    /// librdkafka queues its log lines (which say why a connection failed)
    /// as events on the main queue, which nothing polls for an admin client;
    /// this reads the ones waiting, without blocking.
    fn drain_log_events(&self) {
        let last_error = &self.client.inner().context().last_error;
        // SAFETY: the main queue and each event polled from it are owned by
        // guards; the strings read from an event live as long as it does.
        unsafe {
            let main = Owned {
                ptr: rd::rd_kafka_queue_get_main(self.client.inner().native_ptr()),
                destroy: rd::rd_kafka_queue_destroy,
            };
            for _ in 0..1000 {
                let event = Owned {
                    ptr: rd::rd_kafka_queue_poll(main.ptr, 0),
                    destroy: rd::rd_kafka_event_destroy,
                };
                if event.ptr.is_null() {
                    break;
                }
                if rd::rd_kafka_event_type(event.ptr) != rd::RD_KAFKA_EVENT_LOG {
                    continue;
                }
                let (mut facility, mut message, mut level) =
                    (std::ptr::null(), std::ptr::null(), 0);
                if rd::rd_kafka_event_log(event.ptr, &mut facility, &mut message, &mut level) != 0 {
                    continue;
                }
                // Syslog levels: 4 is a warning, lower is worse.
                if level <= 4 && text(facility).as_deref() == Some("FAIL") {
                    if let Some(message) = text(message) {
                        last_error.record(&message);
                    }
                }
            }
        }
    }

    fn metadata(&self, topic: Option<&str>) -> anyhow::Result<rdkafka::metadata::Metadata> {
        let (client, timeout) = (Arc::clone(&self.client), self.timeout);
        let topic = topic.map(str::to_string);
        cancel::wait(move || client.inner().fetch_metadata(topic.as_deref(), timeout))?
            .map_err(|e| self.unreachable(&e))
    }

    /// Every topic the broker has, sorted by name.
    pub fn list(&self) -> anyhow::Result<Vec<TopicListing>> {
        let metadata = self.metadata(None)?;
        let mut topics: Vec<TopicListing> = metadata
            .topics()
            .iter()
            .filter(|t| t.error().is_none())
            .map(|t| TopicListing {
                name: t.name().to_string(),
                partitions: t.partitions().len(),
                internal: is_internal(t.name()),
            })
            .collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(topics)
    }

    /// Whether `topic` exists, without creating it (librdkafka asks for a
    /// single topic with auto-creation off).
    pub fn exists(&self, topic: &str) -> anyhow::Result<bool> {
        Ok(self.list()?.iter().any(|t| t.name == topic))
    }

    /// Partitions, leaders, replicas, ISR, watermarks, sizes on disk and
    /// config overrides of existing topics, in the order named (one metadata
    /// request for all); the error names the first topic that does not exist.
    pub fn describe(&self, topics: &[String]) -> anyhow::Result<Result<Described, String>> {
        let metadata = self.metadata(None)?;
        let readers = (
            self.offset_reader("read_uncommitted")?,
            self.offset_reader("read_committed")?,
        );
        let mut out = Vec::with_capacity(topics.len());
        for topic in topics {
            let Some(t) = metadata
                .topics()
                .iter()
                .find(|t| t.name() == topic && t.error().is_none())
            else {
                return Ok(Err(topic.clone()));
            };
            out.push(self.describe_one(t, &readers)?);
        }
        let size_notes = if self.plaintext {
            self.add_sizes(&metadata, &mut out)
        } else {
            Vec::new()
        };
        Ok(Ok(Described {
            topics: out,
            size_notes,
        }))
    }

    fn offset_reader(&self, isolation: &str) -> anyhow::Result<OffsetReader> {
        let mut config = self.options.config(&[]).map_err(anyhow::Error::msg)?;
        config.set("isolation.level", isolation);
        let consumer: BaseConsumer<Events> = config
            .create_with_context(Events {
                last_error: LastError::default(),
            })
            .context("invalid client configuration")?;
        Ok(Unjoined::new(Arc::new(consumer)))
    }

    /// Asks each leader for the sizes of the partitions it leads and fills
    /// them in; returns why any could not be learned.
    fn add_sizes(
        &self,
        metadata: &rdkafka::metadata::Metadata,
        topics: &mut [TopicDescription],
    ) -> Vec<String> {
        let mut by_leader: BTreeMap<i32, BTreeMap<String, Vec<i32>>> = BTreeMap::new();
        for t in topics.iter() {
            for p in t.partitions.iter().filter(|p| p.leader >= 0) {
                by_leader
                    .entry(p.leader)
                    .or_default()
                    .entry(t.name.clone())
                    .or_default()
                    .push(p.partition);
            }
        }
        let mut notes = Vec::new();
        let mut leaders = Vec::with_capacity(by_leader.len());
        for (id, partitions) in by_leader {
            match metadata.brokers().iter().find(|b| b.id() == id) {
                Some(broker) => leaders.push(LeaderPartitions {
                    broker_id: id,
                    host: broker.host().to_string(),
                    port: u16::try_from(broker.port()).unwrap_or(0),
                    partitions,
                }),
                None => notes.push(format!(
                    "size on disk unknown for the partitions led by broker {id}: \
                     the metadata does not say where it listens"
                )),
            }
        }
        let sizes = logdirs::partition_sizes(&leaders, self.timeout);
        for t in topics.iter_mut() {
            let name = t.name.clone();
            t.set_sizes(|p| sizes.bytes.get(&(name.clone(), p)).copied());
        }
        notes.extend(sizes.unknown);
        notes
    }

    fn describe_one(
        &self,
        t: &rdkafka::metadata::MetadataTopic,
        readers: &(OffsetReader, OffsetReader),
    ) -> anyhow::Result<TopicDescription> {
        let topic = t.name();
        let mut partitions = Vec::with_capacity(t.partitions().len());
        for p in t.partitions() {
            let watermarks = |reader: &OffsetReader| {
                let (client, timeout) = (Arc::clone(reader), self.timeout);
                let (name, partition) = (topic.to_string(), p.id());
                cancel::wait(move || client.fetch_watermarks(&name, partition, timeout))?.map_err(
                    |e| {
                        anyhow::anyhow!(
                            "cannot read the offsets of {topic} partition {}: {e}",
                            p.id()
                        )
                    },
                )
            };
            let (earliest, latest) = watermarks(&readers.0)?;
            let (_, last_stable) = watermarks(&readers.1)?;
            partitions.push(PartitionDescription {
                partition: p.id(),
                leader: p.leader(),
                replicas: p.replicas().to_vec(),
                isr: p.isr().to_vec(),
                earliest_offset: earliest,
                latest_offset: latest,
                last_stable_offset: last_stable,
                size_bytes: None,
            });
        }
        partitions.sort_by_key(|p| p.partition);
        let configs = self
            .config_overrides(topic)?
            .map_err(|r| anyhow::anyhow!("cannot read the configs of topic '{topic}': {r}"))?;
        Ok(TopicDescription {
            name: topic.to_string(),
            internal: is_internal(topic),
            partition_count: partitions.len(),
            replication_factor: partitions.first().map_or(0, |p| p.replicas.len()),
            configs,
            size_bytes: None,
            partitions,
        })
    }

    /// Runs one admin request on a private queue and reads its result event.
    fn request<T>(
        &self,
        submit: impl FnOnce(
            *mut rd::rd_kafka_t,
            *const rd::rd_kafka_AdminOptions_t,
            *mut rd::rd_kafka_queue_t,
        ),
        read: impl FnOnce(*mut rd::rd_kafka_event_t) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let rk = self.client.inner().native_ptr();
        let ms = c_int::try_from(self.timeout.as_millis()).unwrap_or(c_int::MAX);
        // SAFETY: `rk` is the live client handle; every object made here is
        // owned by a guard that destroys it after librdkafka is done with it
        // (options and request objects are copied by the submit call).
        unsafe {
            let options = Owned {
                ptr: rd::rd_kafka_AdminOptions_new(
                    rk,
                    rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ANY,
                ),
                destroy: rd::rd_kafka_AdminOptions_destroy,
            };
            let mut errstr = [0 as c_char; 512];
            rd::rd_kafka_AdminOptions_set_request_timeout(
                options.ptr,
                ms,
                errstr.as_mut_ptr(),
                errstr.len(),
            );
            // Topic creation and deletion wait (up to the timeout) until the
            // change has taken effect, so the next command sees it.
            rd::rd_kafka_AdminOptions_set_operation_timeout(
                options.ptr,
                ms,
                errstr.as_mut_ptr(),
                errstr.len(),
            );
            let queue = Owned {
                ptr: rd::rd_kafka_queue_new(rk),
                destroy: rd::rd_kafka_queue_destroy,
            };
            submit(rk, options.ptr, queue.ptr);
            // librdkafka always posts a result (a timeout becomes an error
            // result); the margin only guards against waiting forever. Short
            // steps let Ctrl-C end the wait.
            let deadline = Instant::now() + Duration::from_millis(ms as u64 + 5000);
            let mut event = Owned {
                ptr: std::ptr::null_mut(),
                destroy: rd::rd_kafka_event_destroy,
            };
            while event.ptr.is_null() && Instant::now() < deadline {
                if cancel::requested() {
                    return Err(cancel::Cancelled.into());
                }
                event.ptr = rd::rd_kafka_queue_poll(queue.ptr, 20);
            }
            if event.ptr.is_null() {
                anyhow::bail!(
                    "no answer from the broker at {} within {:?}",
                    self.bootstrap,
                    self.timeout
                );
            }
            let code = RDKafkaErrorCode::from(rd::rd_kafka_event_error(event.ptr));
            if code != RDKafkaErrorCode::NoError {
                let message = text(rd::rd_kafka_event_error_string(event.ptr)).unwrap_or_default();
                return Err(match code {
                    RDKafkaErrorCode::OperationTimedOut
                    | RDKafkaErrorCode::BrokerTransportFailure
                    | RDKafkaErrorCode::AllBrokersDown => {
                        self.unreachable(&KafkaError::AdminOp(code))
                    }
                    _ => anyhow::anyhow!(
                        "the broker at {} refused the request: {message}",
                        self.bootstrap
                    ),
                });
            }
            read(event.ptr)
        }
    }

    /// CreateTopics for one topic. `None` partitions or replication factor
    /// leaves the choice to the broker's defaults.
    pub fn create(
        &self,
        topic: &str,
        partitions: Option<i32>,
        replication_factor: Option<i32>,
        configs: &[(String, String)],
    ) -> anyhow::Result<Result<(), Refusal>> {
        let name = c_string("topic name", topic)?;
        let mut errstr = [0 as c_char; 512];
        // SAFETY: plain constructor calls on valid C strings; the new topic
        // is owned by the guard.
        let new_topic = unsafe {
            rd::rd_kafka_NewTopic_new(
                name.as_ptr(),
                partitions.unwrap_or(-1),
                replication_factor.unwrap_or(-1),
                errstr.as_mut_ptr(),
                errstr.len(),
            )
        };
        if new_topic.is_null() {
            // SAFETY: librdkafka NUL-terminates errstr.
            let why = unsafe { text(errstr.as_ptr()) }.unwrap_or_default();
            anyhow::bail!("cannot create topic '{topic}': {why}");
        }
        let mut topics = OwnedArray {
            items: vec![new_topic],
            destroy: rd::rd_kafka_NewTopic_destroy_array,
        };
        for (k, v) in configs {
            let (ck, cv) = (c_string("config name", k)?, c_string("config value", v)?);
            // SAFETY: the topic is live; librdkafka copies the strings.
            let code =
                unsafe { rd::rd_kafka_NewTopic_set_config(new_topic, ck.as_ptr(), cv.as_ptr()) };
            if let Some(r) = refusal(code, None) {
                anyhow::bail!("cannot set {k}={v} on topic '{topic}': {r}");
            }
        }
        self.request(
            // SAFETY: the array and its topic outlive the call, which copies them.
            |rk, options, queue| unsafe {
                rd::rd_kafka_CreateTopics(
                    rk,
                    topics.items.as_mut_ptr(),
                    topics.items.len(),
                    options,
                    queue,
                )
            },
            |event| {
                // SAFETY: the event is live for this closure.
                let results = unsafe {
                    let result = rd::rd_kafka_event_CreateTopics_result(event);
                    anyhow::ensure!(
                        !result.is_null(),
                        "the broker answered CreateTopics with something else"
                    );
                    let mut n = 0;
                    topic_results(rd::rd_kafka_CreateTopics_result_topics(result, &mut n), n)
                };
                Ok(result_for(results, topic))
            },
        )
    }

    /// DeleteTopics for one topic.
    pub fn delete(&self, topic: &str) -> anyhow::Result<Result<(), Refusal>> {
        let name = c_string("topic name", topic)?;
        let mut topics = OwnedArray {
            // SAFETY: a constructor on a valid C string, owned by the guard.
            items: vec![unsafe { rd::rd_kafka_DeleteTopic_new(name.as_ptr()) }],
            destroy: rd::rd_kafka_DeleteTopic_destroy_array,
        };
        self.request(
            // SAFETY: the array outlives the call, which copies it.
            |rk, options, queue| unsafe {
                rd::rd_kafka_DeleteTopics(
                    rk,
                    topics.items.as_mut_ptr(),
                    topics.items.len(),
                    options,
                    queue,
                )
            },
            |event| {
                // SAFETY: the event is live for this closure.
                let results = unsafe {
                    let result = rd::rd_kafka_event_DeleteTopics_result(event);
                    anyhow::ensure!(
                        !result.is_null(),
                        "the broker answered DeleteTopics with something else"
                    );
                    let mut n = 0;
                    topic_results(rd::rd_kafka_DeleteTopics_result_topics(result, &mut n), n)
                };
                Ok(result_for(results, topic))
            },
        )
    }

    /// CreatePartitions: grows `topic` to `total` partitions.
    pub fn add_partitions(&self, topic: &str, total: usize) -> anyhow::Result<Result<(), Refusal>> {
        let name = c_string("topic name", topic)?;
        let mut errstr = [0 as c_char; 512];
        // SAFETY: a constructor on a valid C string, owned by the guard below.
        let parts = unsafe {
            rd::rd_kafka_NewPartitions_new(name.as_ptr(), total, errstr.as_mut_ptr(), errstr.len())
        };
        if parts.is_null() {
            // SAFETY: librdkafka NUL-terminates errstr.
            let why = unsafe { text(errstr.as_ptr()) }.unwrap_or_default();
            anyhow::bail!("cannot add partitions to '{topic}': {why}");
        }
        let mut parts = OwnedArray {
            items: vec![parts],
            destroy: rd::rd_kafka_NewPartitions_destroy_array,
        };
        self.request(
            // SAFETY: the array outlives the call, which copies it.
            |rk, options, queue| unsafe {
                rd::rd_kafka_CreatePartitions(
                    rk,
                    parts.items.as_mut_ptr(),
                    parts.items.len(),
                    options,
                    queue,
                )
            },
            |event| {
                // SAFETY: the event is live for this closure.
                let results = unsafe {
                    let result = rd::rd_kafka_event_CreatePartitions_result(event);
                    anyhow::ensure!(
                        !result.is_null(),
                        "the broker answered CreatePartitions with something else"
                    );
                    let mut n = 0;
                    topic_results(
                        rd::rd_kafka_CreatePartitions_result_topics(result, &mut n),
                        n,
                    )
                };
                Ok(result_for(results, topic))
            },
        )
    }

    /// The configs set on `topic` itself (DescribeConfigs entries whose
    /// source is the topic, not a broker default).
    pub fn config_overrides(
        &self,
        topic: &str,
    ) -> anyhow::Result<Result<BTreeMap<String, String>, Refusal>> {
        let name = c_string("topic name", topic)?;
        let mut resources = OwnedArray {
            // SAFETY: a constructor on a valid C string, owned by the guard.
            items: vec![unsafe {
                rd::rd_kafka_ConfigResource_new(
                    rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
                    name.as_ptr(),
                )
            }],
            destroy: rd::rd_kafka_ConfigResource_destroy_array,
        };
        self.request(
            // SAFETY: the array outlives the call, which copies it.
            |rk, options, queue| unsafe {
                rd::rd_kafka_DescribeConfigs(rk, resources.items.as_mut_ptr(), resources.items.len(), options, queue)
            },
            |event| {
                // SAFETY: the event and everything read from it are live here.
                unsafe {
                    let result = rd::rd_kafka_event_DescribeConfigs_result(event);
                    anyhow::ensure!(!result.is_null(), "the broker answered DescribeConfigs with something else");
                    let mut n = 0;
                    let list = rd::rd_kafka_DescribeConfigs_result_resources(result, &mut n);
                    anyhow::ensure!(n == 1, "the broker described {n} resources for one topic");
                    let resource = *list;
                    if let Some(r) = refusal(
                        rd::rd_kafka_ConfigResource_error(resource),
                        text(rd::rd_kafka_ConfigResource_error_string(resource)),
                    ) {
                        return Ok(Err(r));
                    }
                    let mut count = 0;
                    let entries = rd::rd_kafka_ConfigResource_configs(resource, &mut count);
                    let mut overrides = BTreeMap::new();
                    for i in 0..count {
                        let entry = *entries.add(i);
                        if rd::rd_kafka_ConfigEntry_source(entry)
                            != rd::rd_kafka_ConfigSource_t::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
                        {
                            continue;
                        }
                        let name = text(rd::rd_kafka_ConfigEntry_name(entry)).unwrap_or_default();
                        let value = text(rd::rd_kafka_ConfigEntry_value(entry)).unwrap_or_default();
                        overrides.insert(name, value);
                    }
                    Ok(Ok(overrides))
                }
            },
        )
    }

    /// IncrementalAlterConfigs: sets and deletes the named overrides of
    /// `topic`; every other override stays as it is.
    pub fn alter_configs(
        &self,
        topic: &str,
        changes: &[ConfigChange],
    ) -> anyhow::Result<Result<(), Refusal>> {
        let name = c_string("topic name", topic)?;
        let mut resources = OwnedArray {
            // SAFETY: a constructor on a valid C string, owned by the guard.
            items: vec![unsafe {
                rd::rd_kafka_ConfigResource_new(
                    rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
                    name.as_ptr(),
                )
            }],
            destroy: rd::rd_kafka_ConfigResource_destroy_array,
        };
        for change in changes {
            let (key, value, op) = match change {
                ConfigChange::Set(k, v) => (
                    k,
                    Some(v),
                    rd::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET,
                ),
                ConfigChange::Delete(k) => (
                    k,
                    None,
                    rd::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE,
                ),
            };
            let ck = c_string("config name", key)?;
            let cv = value.map(|v| c_string("config value", v)).transpose()?;
            // SAFETY: the resource is live; librdkafka copies the strings and
            // returns an error object that we own.
            unsafe {
                let error = rd::rd_kafka_ConfigResource_add_incremental_config(
                    resources.items[0],
                    ck.as_ptr(),
                    op,
                    cv.as_ref().map_or(std::ptr::null(), |v| v.as_ptr()),
                );
                if !error.is_null() {
                    let why = text(rd::rd_kafka_error_string(error)).unwrap_or_default();
                    rd::rd_kafka_error_destroy(error);
                    anyhow::bail!("cannot change {key} of topic '{topic}': {why}");
                }
            }
        }
        self.request(
            // SAFETY: the array outlives the call, which copies it.
            |rk, options, queue| unsafe {
                rd::rd_kafka_IncrementalAlterConfigs(
                    rk,
                    resources.items.as_mut_ptr(),
                    resources.items.len(),
                    options,
                    queue,
                )
            },
            |event| {
                // SAFETY: the event and everything read from it are live here.
                unsafe {
                    let result = rd::rd_kafka_event_IncrementalAlterConfigs_result(event);
                    anyhow::ensure!(
                        !result.is_null(),
                        "the broker answered IncrementalAlterConfigs with something else"
                    );
                    let mut n = 0;
                    let list =
                        rd::rd_kafka_IncrementalAlterConfigs_result_resources(result, &mut n);
                    anyhow::ensure!(
                        n == 1,
                        "the broker answered for {n} resources instead of one topic"
                    );
                    let resource = *list;
                    Ok(
                        match refusal(
                            rd::rd_kafka_ConfigResource_error(resource),
                            text(rd::rd_kafka_ConfigResource_error_string(resource)),
                        ) {
                            Some(r) => Err(r),
                            None => Ok(()),
                        },
                    )
                }
            },
        )
    }
}
