//! A consumer that knows where it starts and where "the end" is.
//!
//! Without a group it assigns partitions itself at offsets it resolved from
//! the watermarks (beginning, end, N, N before the end, or a timestamp), and
//! never joins or commits anything. With a group it subscribes, and the group
//! decides partitions and committed offsets. Either way, for `--exit-at-end`
//! it records each partition's high watermark at start and reports
//! [`Polled::Finished`] once every assigned partition has been read up to it.

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Headers};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Message, Offset, TopicPartitionList};

use super::{cancel, connect_error, ClientOptions, LastError, Unjoined};
use crate::output::{RecordView, TimestampType};

/// Where to start reading when no group has a committed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartAt {
    Beginning,
    End,
    /// An absolute offset; one past the end waits for new records.
    Offset(i64),
    /// This many records before the end.
    Tail(i64),
    /// The first record at or after this time (ms since the epoch).
    Timestamp(i64),
}

#[derive(Debug, Clone)]
pub struct ConsumerSettings {
    pub topics: Vec<String>,
    /// Topics whose whole name matches this pattern are read too.
    pub include: Option<regex::Regex>,
    /// Only these partitions (every one when empty); not with a group.
    pub partitions: Vec<i32>,
    pub start: StartAt,
    pub group: Option<String>,
    /// librdkafka's `group.protocol` ("classic" or "consumer"); its own
    /// default when None.
    pub group_protocol: Option<&'static str>,
    pub exit_at_end: bool,
    /// "read_committed" or "read_uncommitted".
    pub isolation_level: &'static str,
}

/// What one poll produced.
#[derive(Debug, PartialEq, Eq)]
pub enum Polled {
    Record,
    Idle,
    /// A problem the client will retry (the broker went away, a topic is
    /// missing), for the caller to show.
    Warning(String),
    /// `exit_at_end`: every assigned partition reached its recorded end.
    Finished,
}

struct Events {
    last_error: LastError,
    rebalanced: AtomicBool,
}

keeps_last_error!(Events);

impl ConsumerContext for Events {
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, _rebalance: &Rebalance<'_>) {
        self.rebalanced.store(true, Ordering::Release);
    }
}

/// One partition's bounds, recorded at start.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    low: i64,
    /// The high watermark at start: the end `--exit-at-end` reads to.
    end: i64,
    /// Still has records before `end` to deliver.
    pending: bool,
}

pub struct RecordConsumer {
    /// Closed in place only with a group: closing commits offsets and leaves
    /// the group. Without one there is nothing to commit, and librdkafka's
    /// close would still wait for a group coordinator it never needed.
    /// Shared with [`cancel::wait`]s, which may outlive a cancelled call.
    consumer: Unjoined<Arc<BaseConsumer<Events>>>,
    grouped: bool,
    exit_at_end: bool,
    reset_to_earliest: bool,
    timeout: Duration,
    bounds: HashMap<String, Vec<Bounds>>,
    assigned: Vec<(String, i32)>,
    finished: bool,
}

impl Drop for RecordConsumer {
    fn drop(&mut self) {
        if self.grouped {
            // Closed here, before the command ends: the final commit and the
            // leave must happen; but against a broker that stopped answering
            // Ctrl-C ends the wait.
            if let Some(consumer) = self.consumer.take() {
                let _ = cancel::wait_to_stop(move || drop(consumer));
            }
        }
    }
}

impl RecordConsumer {
    pub fn connect(
        options: &ClientOptions,
        settings: &ConsumerSettings,
    ) -> anyhow::Result<RecordConsumer> {
        let reset_to_earliest = settings.start == StartAt::Beginning;
        let grouped = settings.group.is_some();
        let mut defaults = vec![
            // librdkafka's consumer API needs a group id even for assign();
            // without `--group` it is never joined.
            (
                "group.id",
                settings
                    .group
                    .clone()
                    .unwrap_or_else(|| "dq-console-consumer".to_string()),
            ),
            ("enable.auto.commit", grouped.to_string()),
            // Offsets are stored by hand once a record has been written out:
            // librdkafka would store every record handed out, including the
            // ones closing the consumer drains and drops (which committed
            // past what was printed).
            ("enable.auto.offset.store", "false".to_string()),
            (
                "auto.offset.reset",
                if reset_to_earliest {
                    "earliest"
                } else {
                    "latest"
                }
                .to_string(),
            ),
            ("enable.partition.eof", settings.exit_at_end.to_string()),
            ("isolation.level", settings.isolation_level.to_string()),
            ("max.partition.fetch.bytes", (4 << 20).to_string()),
            // librdkafka >= 2.4 pauses fetching for this long (default 1 s)
            // whenever its prefetch queue is full, which stalled a catch-up
            // read of 1M records for seconds; 10 ms keeps the pipe full.
            ("fetch.queue.backoff.ms", "10".to_string()),
        ];
        if let Some(protocol) = settings.group_protocol {
            defaults.push(("group.protocol", protocol.to_string()));
        }
        let config = options.config(&defaults).map_err(anyhow::Error::msg)?;
        let context = Events {
            last_error: LastError::default(),
            rebalanced: AtomicBool::new(false),
        };
        let consumer: Arc<BaseConsumer<Events>> = Arc::new(
            config
                .create_with_context(context)
                .context("invalid consumer configuration")?,
        );
        let mut this = RecordConsumer {
            consumer: Unjoined::new(consumer),
            grouped,
            exit_at_end: settings.exit_at_end,
            reset_to_earliest,
            timeout: options.timeout,
            bounds: HashMap::new(),
            assigned: Vec::new(),
            finished: false,
        };
        let topics = this.resolve_topics(options, settings)?;
        if grouped {
            this.subscribe(settings, &topics)?;
        } else {
            this.assign(settings, &topics)?;
        }
        Ok(this)
    }

    /// The topics to read and their partition counts, checked against the
    /// broker's metadata (which also proves the broker is reachable).
    fn resolve_topics(
        &self,
        options: &ClientOptions,
        settings: &ConsumerSettings,
    ) -> anyhow::Result<Vec<(String, i32)>> {
        let timeout = options.timeout;
        let metadata = self
            .blocking(move |c| c.fetch_metadata(None, timeout))?
            .map_err(|e| {
                // librdkafka queues its log lines (which say why a connection
                // failed) as events; serve them before asking for the reason.
                for _ in 0..100 {
                    if self.consumer.poll(Duration::ZERO).is_none() {
                        break;
                    }
                }
                connect_error(
                    &options.bootstrap,
                    options.timeout,
                    &e,
                    self.consumer.context().last_error.get(),
                )
            })?;
        let known: HashMap<&str, i32> = metadata
            .topics()
            .iter()
            .filter(|t| t.error().is_none())
            .map(|t| (t.name(), t.partitions().len() as i32))
            .collect();
        let mut topics = Vec::new();
        for name in &settings.topics {
            match known.get(name.as_str()) {
                Some(n) => topics.push((name.clone(), *n)),
                // A group may subscribe before the topic exists; it is
                // assigned once something creates it.
                None if self.grouped => {}
                None => anyhow::bail!("topic '{name}' does not exist on {}", options.bootstrap),
            }
        }
        if let Some(re) = &settings.include {
            let mut matched: Vec<(String, i32)> = known
                .iter()
                .filter(|(name, _)| !name.starts_with("__") && re.is_match(name))
                .filter(|(name, _)| !settings.topics.iter().any(|t| t == *name))
                .map(|(name, n)| (name.to_string(), *n))
                .collect();
            matched.sort();
            if matched.is_empty() && topics.is_empty() && !self.grouped {
                anyhow::bail!(
                    "no topic on {} matches --include '{}'",
                    options.bootstrap,
                    user_pattern(re)
                );
            }
            topics.extend(matched);
        }
        for p in &settings.partitions {
            for (name, count) in &topics {
                if *p < 0 || p >= count {
                    anyhow::bail!(
                        "--partition {p} does not exist: topic '{name}' has {count} partition(s)"
                    );
                }
            }
        }
        Ok(topics)
    }

    /// Runs a blocking call on the consumer so that Ctrl-C can end the
    /// wait ([`cancel::wait`]).
    fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&BaseConsumer<Events>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let consumer = Arc::clone(&self.consumer);
        cancel::wait(move || call(&consumer))
    }

    fn watermarks(&self, topic: &str, partition: i32) -> anyhow::Result<(i64, i64)> {
        let (name, timeout) = (topic.to_string(), self.timeout);
        self.blocking(move |c| c.fetch_watermarks(&name, partition, timeout))?
            .with_context(|| format!("cannot read the offsets of {topic}-{partition}"))
    }

    fn assign(
        &mut self,
        settings: &ConsumerSettings,
        topics: &[(String, i32)],
    ) -> anyhow::Result<()> {
        let mut wanted = Vec::new();
        for (topic, count) in topics {
            let partitions: Vec<i32> = if settings.partitions.is_empty() {
                (0..*count).collect()
            } else {
                settings.partitions.clone()
            };
            let mut bounds = vec![
                Bounds {
                    low: 0,
                    end: 0,
                    pending: false,
                };
                *count as usize
            ];
            for p in partitions {
                let (low, end) = self.watermarks(topic, p)?;
                bounds[p as usize] = Bounds {
                    low,
                    end,
                    pending: false,
                };
                wanted.push((topic.clone(), p));
            }
            self.bounds.insert(topic.clone(), bounds);
        }
        let starts = self.start_offsets(settings.start, &wanted)?;
        let mut tpl = TopicPartitionList::with_capacity(wanted.len());
        for ((topic, p), start) in wanted.iter().zip(starts) {
            let b = &mut self.bounds.get_mut(topic).expect("bounds recorded above")[*p as usize];
            b.pending = start < b.end;
            tpl.add_partition_offset(topic, *p, Offset::Offset(start))?;
        }
        self.consumer
            .assign(&tpl)
            .context("cannot assign the partitions to read")?;
        self.assigned = wanted;
        self.update_finished();
        Ok(())
    }

    /// Absolute start offsets, clamped to what the partition holds.
    fn start_offsets(&self, start: StartAt, wanted: &[(String, i32)]) -> anyhow::Result<Vec<i64>> {
        let bounds = |t: &str, p: i32| self.bounds[t][p as usize];
        let by_time = match start {
            StartAt::Timestamp(ts) => {
                let mut tpl = TopicPartitionList::with_capacity(wanted.len());
                for (t, p) in wanted {
                    tpl.add_partition_offset(t, *p, Offset::Offset(ts))?;
                }
                let timeout = self.timeout;
                let found = self
                    .blocking(move |c| c.offsets_for_times(tpl, timeout))?
                    .context("cannot look up offsets by timestamp")?;
                Some(found.to_topic_map())
            }
            _ => None,
        };
        Ok(wanted
            .iter()
            .map(|(t, p)| {
                let b = bounds(t, *p);
                let start = match start {
                    StartAt::Beginning => b.low,
                    StartAt::End => b.end,
                    StartAt::Offset(n) => n,
                    StartAt::Tail(n) => b.end.saturating_sub(n),
                    StartAt::Timestamp(_) => {
                        match by_time.as_ref().and_then(|m| m.get(&(t.clone(), *p))) {
                            Some(Offset::Offset(o)) => *o,
                            _ => b.end,
                        }
                    }
                };
                start.clamp(b.low, b.end.max(b.low))
            })
            .collect())
    }

    fn subscribe(
        &mut self,
        settings: &ConsumerSettings,
        topics: &[(String, i32)],
    ) -> anyhow::Result<()> {
        if self.exit_at_end {
            for (topic, count) in topics {
                let mut bounds = Vec::with_capacity(*count as usize);
                for p in 0..*count {
                    let (low, end) = self.watermarks(topic, p)?;
                    // Whether anything is left depends on the committed
                    // offset, known once the group assigns the partition.
                    bounds.push(Bounds {
                        low,
                        end,
                        pending: true,
                    });
                }
                self.bounds.insert(topic.clone(), bounds);
            }
        }
        let mut subscription: Vec<String> = settings.topics.clone();
        if let Some(re) = &settings.include {
            // librdkafka treats a name starting with ^ as a regular expression.
            subscription.push(format!("^{}$", user_pattern(re)));
        }
        let names: Vec<&str> = subscription.iter().map(String::as_str).collect();
        self.consumer
            .subscribe(&names)
            .context("cannot subscribe")?;
        Ok(())
    }

    /// After the group assigned partitions: where each one starts (its
    /// committed offset, else the reset policy) decides whether anything is
    /// left to read before the recorded end.
    fn on_rebalance(&mut self) -> anyhow::Result<()> {
        let assignment = self
            .consumer
            .assignment()
            .context("cannot read the group's assignment")?;
        self.assigned = assignment
            .elements()
            .iter()
            .map(|e| (e.topic().to_string(), e.partition()))
            .collect();
        if !self.exit_at_end || self.assigned.is_empty() {
            return Ok(());
        }
        let mut tpl = TopicPartitionList::new();
        for (t, p) in &self.assigned {
            if self.is_pending(t, *p) {
                tpl.add_partition(t, *p);
            }
        }
        if tpl.count() > 0 {
            let timeout = self.timeout;
            let committed = self
                .blocking(move |c| c.committed_offsets(tpl, timeout))?
                .context("cannot read the group's committed offsets")?;
            for e in committed.elements() {
                let Some(b) = self
                    .bounds
                    .get_mut(e.topic())
                    .and_then(|v| v.get_mut(e.partition() as usize))
                else {
                    continue;
                };
                let start = match e.offset() {
                    Offset::Offset(o) => o,
                    _ if self.reset_to_earliest => b.low,
                    _ => b.end,
                };
                b.pending = start < b.end;
            }
        }
        self.update_finished();
        Ok(())
    }

    fn is_pending(&self, topic: &str, partition: i32) -> bool {
        self.bounds
            .get(topic)
            .and_then(|v| v.get(partition as usize))
            .is_some_and(|b| b.pending)
    }

    fn update_finished(&mut self) {
        self.finished = self.exit_at_end
            && (!self.grouped || !self.assigned.is_empty())
            && !self.assigned.iter().any(|(t, p)| self.is_pending(t, *p));
    }

    /// An end-of-partition event names only the partition number, so when
    /// several topics share it, their positions say which one got there.
    fn on_partition_eof(&mut self, partition: i32) -> anyhow::Result<()> {
        let candidates: Vec<(String, i32)> = self
            .assigned
            .iter()
            .filter(|(_, p)| *p == partition)
            .cloned()
            .collect();
        let done: Vec<(String, i32)> = if candidates.len() <= 1 {
            candidates
        } else {
            // Only a partition that was read up to its end can have sent
            // this; one that had nothing to read may have sent it too.
            let positions = self
                .consumer
                .position()
                .context("cannot read the consumer's positions")?;
            candidates
                .into_iter()
                .filter(
                    |(t, p)| match positions.find_partition(t, *p).map(|e| e.offset()) {
                        Some(Offset::Offset(o)) => o >= self.bounds[t][*p as usize].end,
                        _ => false,
                    },
                )
                .collect()
        };
        for (t, p) in done {
            if let Some(b) = self.bounds.get_mut(&t).and_then(|v| v.get_mut(p as usize)) {
                b.pending = false;
            }
        }
        self.update_finished();
        Ok(())
    }

    /// Waits up to `timeout` for one record and hands it to `on_record`.
    pub fn poll(
        &mut self,
        timeout: Duration,
        on_record: impl FnOnce(&RecordView<'_>) -> io::Result<()>,
    ) -> anyhow::Result<Polled> {
        if self.finished {
            return Ok(Polled::Finished);
        }
        let polled = self.consumer.poll(timeout);
        let mut reached = None;
        let outcome = match polled {
            None => Polled::Idle,
            Some(Ok(m)) => {
                on_record(&view(&m))?;
                if self.grouped {
                    // Fails only for a partition revoked meanwhile, whose
                    // next owner reads the record again: at least once.
                    let _ = self.consumer.store_offset_from_message(&m);
                }
                if self.exit_at_end {
                    if let Some(b) = self
                        .bounds
                        .get_mut(m.topic())
                        .and_then(|v| v.get_mut(m.partition() as usize))
                    {
                        if b.pending && m.offset() + 1 >= b.end {
                            b.pending = false;
                            reached = Some(());
                        }
                    }
                }
                Polled::Record
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                drop(polled);
                self.on_partition_eof(p)?;
                Polled::Idle
            }
            Some(Err(KafkaError::MessageConsumptionFatal(code))) => {
                anyhow::bail!("the consumer stopped: {code}")
            }
            Some(Err(e)) => {
                let detail = self.consumer.context().last_error.get();
                Polled::Warning(match detail {
                    Some(d) if !d.is_empty() => format!("{e} ({d})"),
                    _ => e.to_string(),
                })
            }
        };
        if self
            .consumer
            .context()
            .rebalanced
            .swap(false, Ordering::AcqRel)
        {
            self.on_rebalance()?;
        } else if reached.is_some() {
            self.update_finished();
        }
        Ok(outcome)
    }

    /// With a group, commits what was written out so far and waits for the
    /// broker to confirm, so the next member starts exactly after it.
    pub fn commit(&self) -> anyhow::Result<()> {
        if !self.grouped {
            return Ok(());
        }
        let deadline = std::time::Instant::now() + self.timeout;
        loop {
            let consumer = Arc::clone(&self.consumer);
            let commit =
                cancel::wait_to_stop(move || consumer.commit_consumer_state(CommitMode::Sync))?;
            match commit {
                Ok(()) => return Ok(()),
                // Nothing was read since the last commit.
                Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => return Ok(()),
                // Another member joined or left; once the group settles the
                // commit goes through (or the revoke already committed).
                // Records polled meanwhile are not stored, so not skipped.
                Err(KafkaError::ConsumerCommit(
                    RDKafkaErrorCode::RebalanceInProgress | RDKafkaErrorCode::IllegalGeneration,
                )) if std::time::Instant::now() < deadline && !cancel::requested() => {
                    self.consumer.poll(Duration::from_millis(100));
                }
                Err(KafkaError::ConsumerCommit(code)) => {
                    anyhow::bail!("cannot commit the group's offsets: {code}")
                }
                Err(e) => anyhow::bail!("cannot commit the group's offsets: {e}"),
            }
        }
    }

    /// True once `exit_at_end` has nothing left to read.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// Whether there are partitions to read yet: at once without a group,
    /// after joining it with one (`dq perf consume` times the join).
    pub fn has_assignment(&self) -> bool {
        !self.assigned.is_empty()
    }
}

/// The pattern as the user wrote it (we store it anchored).
fn user_pattern(re: &regex::Regex) -> &str {
    let s = re.as_str();
    s.strip_prefix("^(?:")
        .and_then(|s| s.strip_suffix(")$"))
        .unwrap_or(s)
}

/// Anchors a user's pattern so that it must match the whole topic name, as
/// Kafka's `--include` does.
pub fn topic_pattern(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("--include '{pattern}' is not a valid regular expression: {e}"))
}

fn view<'a>(m: &'a BorrowedMessage<'a>) -> RecordView<'a> {
    let timestamp = match m.timestamp() {
        rdkafka::Timestamp::NotAvailable => None,
        rdkafka::Timestamp::CreateTime(ms) => Some((TimestampType::Create, ms)),
        rdkafka::Timestamp::LogAppendTime(ms) => Some((TimestampType::LogAppend, ms)),
    };
    let headers = match m.headers() {
        None => Vec::new(),
        Some(h) => h.iter().map(|h| (h.key, h.value)).collect(),
    };
    RecordView {
        topic: m.topic(),
        partition: m.partition(),
        offset: m.offset(),
        timestamp,
        key: m.key(),
        value: m.payload(),
        headers,
        delivery_count: None,
    }
}
