//! The transaction coordinator (Kafka's TransactionCoordinator and
//! TransactionStateManager on one node): each transactional id's producer id,
//! epoch and open transaction, durable in `__transaction_state`.
//!
//! Every change goes check → write (fsynced) → apply. While one is being
//! written the id is *pending*, and other requests for it get
//! CONCURRENT_TRANSACTIONS, as in Kafka. Ending a transaction writes
//! PrepareCommit/PrepareAbort, then the markers to every partition of the
//! transaction, then CompleteCommit/CompleteAbort; a prepared transaction
//! whose markers were not all written (a crash, a full disk) is finished by
//! [`TransactionCoordinator::tick`], which also runs at start.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use kafka_protocol::ResponseError;

use super::internal_topic::InternalTopics;
use super::offsets::OFFSETS_TOPIC;
use super::transaction_log::{
    self, TxnRecord, TxnState, TRANSACTION_STATE_SPEC, TRANSACTION_STATE_TOPIC,
};
use super::GroupCoordinator;
use crate::broker::storage::batch::encode_plain;
use crate::broker::storage::log::now_ms;
use crate::broker::storage::StorageError;

/// This node is the only transaction coordinator there ever is, so the epoch
/// markers carry never changes.
pub const COORDINATOR_EPOCH: i32 = 0;

/// Kafka's transaction.max.timeout.ms.
pub const MAX_TIMEOUT_MS: i32 = 900_000;

/// One COMMIT or ABORT marker to write.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub commit: bool,
    pub coordinator_epoch: i32,
}

/// What DescribeTransactions and ListTransactions show of one id.
#[derive(Debug, Clone)]
pub struct TxnDescription {
    pub transactional_id: String,
    pub record: TxnRecord,
}

struct TxnMetadata {
    record: TxnRecord,
    /// The epoch before the last bump, so a producer retrying an
    /// InitProducerId whose answer it lost is not fenced (KIP-360).
    last_producer_epoch: i16,
    /// The producer id before the last rotation (epoch exhausted).
    previous_producer_id: i64,
    /// A change is being written or markers sent.
    pending: bool,
}

/// The change a request asks for, decided under the lock.
enum Plan {
    /// Nothing to write: answer with the current state.
    Done(TxnRecord),
    /// Write this (None removes the id) and apply it.
    Write {
        record: Option<TxnRecord>,
        last_producer_epoch: i16,
        previous_producer_id: i64,
    },
}

/// PrepareAbort of the open transaction with the epoch bumped, so that the
/// producer that opened it is fenced: what a newer producer's
/// InitProducerId and a timeout both do.
fn abort_with_bumped_epoch(m: &TxnMetadata, now: i64) -> Plan {
    Plan::Write {
        record: Some(TxnRecord {
            producer_epoch: m.record.producer_epoch.saturating_add(1),
            state: TxnState::PrepareAbort,
            last_update_ms: now,
            ..m.record.clone()
        }),
        last_producer_epoch: -1,
        previous_producer_id: m.previous_producer_id,
    }
}

pub struct TransactionCoordinator {
    txns: Mutex<HashMap<String, TxnMetadata>>,
    /// transactional.id.expiration.ms: ids idle this long are removed.
    id_expiration_ms: i64,
}

/// Clears an id's pending flag however the change ends, a dropped request
/// future included, so the id never stays blocked.
struct PendingGuard<'a> {
    coordinator: &'a TransactionCoordinator,
    id: &'a str,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        if let Some(m) = self.coordinator.txns().get_mut(self.id) {
            m.pending = false;
        }
    }
}

fn is_epoch_exhausted(epoch: i16) -> bool {
    epoch >= i16::MAX - 1
}

impl TransactionCoordinator {
    pub fn new(id_expiration_ms: i64) -> TransactionCoordinator {
        TransactionCoordinator {
            txns: Mutex::new(HashMap::new()),
            id_expiration_ms,
        }
    }

    fn txns(&self) -> MutexGuard<'_, HashMap<String, TxnMetadata>> {
        self.txns.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Loads every id's last state from `__transaction_state`.
    pub fn load(&self, io: &InternalTopics<'_>) -> Result<(), StorageError> {
        let mut txns = self.txns();
        let applied = io.replay(TRANSACTION_STATE_TOPIC, |bytes| {
            transaction_log::replay(bytes, |id, record| match record {
                Some(record) if record.state != TxnState::Dead => {
                    txns.insert(
                        id,
                        TxnMetadata {
                            record,
                            last_producer_epoch: -1,
                            previous_producer_id: -1,
                            pending: false,
                        },
                    );
                }
                _ => {
                    txns.remove(&id);
                }
            })
        })?;
        if applied > 0 {
            tracing::info!(
                records = applied,
                transactional_ids = txns.len(),
                "loaded transaction state"
            );
        }
        Ok(())
    }

    /// Writes one id's new state (or its removal) to the log and waits for the fsync.
    async fn write(
        &self,
        io: &InternalTopics<'_>,
        id: &str,
        record: Option<&TxnRecord>,
    ) -> Result<(), ResponseError> {
        let batch = encode_plain(&[(
            Some(transaction_log::encode_key(id)),
            record.map(transaction_log::encode_value),
            now_ms(),
        )]);
        io.append(&TRANSACTION_STATE_SPEC, 0, &batch)
            .await
            .map(|_| ())
            .map_err(|e| {
            tracing::error!(transactional_id = %id, error = %e, "cannot write the transaction log");
            ResponseError::CoordinatorNotAvailable
        })
    }

    /// Decides a change of `id` under the lock, writes it, then applies it.
    async fn transition(
        &self,
        io: &InternalTopics<'_>,
        id: &str,
        plan: impl FnOnce(&mut TxnMetadata) -> Result<Plan, ResponseError>,
    ) -> Result<Option<TxnRecord>, ResponseError> {
        let (record, last_producer_epoch, previous_producer_id) = {
            let mut txns = self.txns();
            let Some(m) = txns.get_mut(id) else {
                return Err(ResponseError::InvalidProducerIdMapping);
            };
            if m.pending {
                return Err(ResponseError::ConcurrentTransactions);
            }
            match plan(m)? {
                Plan::Done(r) => return Ok(Some(r)),
                Plan::Write {
                    record,
                    last_producer_epoch,
                    previous_producer_id,
                } => {
                    m.pending = true;
                    (record, last_producer_epoch, previous_producer_id)
                }
            }
        };
        let _guard = PendingGuard {
            coordinator: self,
            id,
        };
        self.write(io, id, record.as_ref()).await?;
        let mut txns = self.txns();
        match &record {
            Some(r) => {
                if let Some(m) = txns.get_mut(id) {
                    m.record = r.clone();
                    m.last_producer_epoch = last_producer_epoch;
                    m.previous_producer_id = previous_producer_id;
                }
            }
            None => {
                txns.remove(id);
            }
        }
        Ok(record)
    }

    /// InitProducerId with a transactional id: a new producer id, or the
    /// epoch bumped, which fences every older producer of this id. An open
    /// transaction is aborted first, and the caller told to retry
    /// (CONCURRENT_TRANSACTIONS), as Kafka does. `expected` is the
    /// (producer id, epoch) a KIP-360 producer says it has.
    pub async fn init_producer_id(
        &self,
        io: &InternalTopics<'_>,
        groups: &GroupCoordinator,
        id: &str,
        timeout_ms: i32,
        expected: Option<(i64, i16)>,
        new_producer_id: impl Fn() -> Result<i64, ResponseError>,
    ) -> Result<(i64, i16), ResponseError> {
        if id.is_empty() {
            return Err(ResponseError::InvalidRequest);
        }
        if timeout_ms <= 0 || timeout_ms > MAX_TIMEOUT_MS {
            return Err(ResponseError::InvalidTransactionTimeout);
        }
        let now = now_ms();
        {
            let mut txns = self.txns();
            if !txns.contains_key(id) {
                let producer_id = new_producer_id()?;
                txns.insert(
                    id.to_string(),
                    TxnMetadata {
                        record: TxnRecord {
                            producer_id,
                            producer_epoch: -1,
                            timeout_ms,
                            state: TxnState::Empty,
                            partitions: BTreeSet::new(),
                            last_update_ms: now,
                            start_ms: -1,
                        },
                        last_producer_epoch: -1,
                        previous_producer_id: -1,
                        pending: false,
                    },
                );
            }
        }
        let mut fenced_open_txn = false;
        let record = self
            .transition(io, id, |m| {
                let r = &m.record;
                if let Some((pid, epoch)) = expected {
                    let valid = r.producer_epoch == -1
                        || pid == r.producer_id
                        || (pid == m.previous_producer_id && is_epoch_exhausted(epoch));
                    if !valid {
                        return Err(ResponseError::ProducerFenced);
                    }
                }
                match r.state {
                    TxnState::PrepareCommit | TxnState::PrepareAbort => {
                        Err(ResponseError::ConcurrentTransactions)
                    }
                    TxnState::Ongoing => {
                        // Fence the old producer and abort what it left open.
                        fenced_open_txn = true;
                        Ok(abort_with_bumped_epoch(m, now))
                    }
                    TxnState::Empty
                    | TxnState::CompleteCommit
                    | TxnState::CompleteAbort
                    | TxnState::Dead
                    | TxnState::PrepareEpochFence => {
                        let fresh = |producer_id, producer_epoch| TxnRecord {
                            producer_id,
                            producer_epoch,
                            timeout_ms,
                            state: TxnState::Empty,
                            partitions: BTreeSet::new(),
                            last_update_ms: now,
                            start_ms: -1,
                        };
                        if is_epoch_exhausted(r.producer_epoch)
                            && expected.is_none_or(|(_, e)| e == r.producer_epoch)
                        {
                            let producer_id = new_producer_id()?;
                            return Ok(Plan::Write {
                                record: Some(fresh(producer_id, 0)),
                                last_producer_epoch: -1,
                                previous_producer_id: r.producer_id,
                            });
                        }
                        let bumped = r.producer_epoch + 1;
                        let (epoch, last) = match expected {
                            None => (bumped, -1),
                            Some((_, e)) if r.producer_epoch == -1 || e == r.producer_epoch => {
                                (bumped, r.producer_epoch)
                            }
                            // A retry whose answer was lost: the bump happened.
                            Some((_, e)) if e == m.last_producer_epoch => {
                                (r.producer_epoch, m.last_producer_epoch)
                            }
                            Some(_) => return Err(ResponseError::ProducerFenced),
                        };
                        Ok(Plan::Write {
                            record: Some(fresh(r.producer_id, epoch)),
                            last_producer_epoch: last,
                            previous_producer_id: m.previous_producer_id,
                        })
                    }
                }
            })
            .await?
            .expect("InitProducerId never removes its id");
        if fenced_open_txn {
            tracing::info!(transactional_id = %id, producer_id = record.producer_id, "fenced the previous producer: aborting its open transaction");
            self.complete(io, groups, id).await;
            return Err(ResponseError::ConcurrentTransactions);
        }
        tracing::debug!(transactional_id = %id, producer_id = record.producer_id, epoch = record.producer_epoch, "initialized transactional producer");
        Ok((record.producer_id, record.producer_epoch))
    }

    /// AddPartitionsToTxn (and AddOffsetsToTxn, with the offsets topic's
    /// partition): the partitions join the open transaction, which starts
    /// now if none was open.
    pub async fn add_partitions(
        &self,
        io: &InternalTopics<'_>,
        id: &str,
        producer_id: i64,
        producer_epoch: i16,
        partitions: &[(String, i32)],
    ) -> Result<(), ResponseError> {
        let now = now_ms();
        self.transition(io, id, |m| {
            let r = &m.record;
            check_producer(r, producer_id, producer_epoch)?;
            match r.state {
                TxnState::PrepareCommit | TxnState::PrepareAbort => {
                    Err(ResponseError::ConcurrentTransactions)
                }
                TxnState::Dead | TxnState::PrepareEpochFence => {
                    Err(ResponseError::ConcurrentTransactions)
                }
                TxnState::Ongoing if partitions.iter().all(|p| r.partitions.contains(p)) => {
                    Ok(Plan::Done(r.clone()))
                }
                state => {
                    let mut next = r.clone();
                    if state != TxnState::Ongoing {
                        next.partitions.clear();
                        next.start_ms = now;
                    }
                    next.partitions.extend(partitions.iter().cloned());
                    next.state = TxnState::Ongoing;
                    next.last_update_ms = now;
                    Ok(Plan::Write {
                        record: Some(next),
                        last_producer_epoch: m.last_producer_epoch,
                        previous_producer_id: m.previous_producer_id,
                    })
                }
            }
        })
        .await
        .map(|_| ())
    }

    /// EndTxn: PrepareCommit/PrepareAbort is written, then the markers, then
    /// CompleteCommit/CompleteAbort, and only then is the producer answered:
    /// Kafka answers after the prepare and sends the markers in the
    /// background, which makes the producer's next transaction wait out
    /// CONCURRENT_TRANSACTIONS; here it can start at once. Should writing
    /// the markers fail, the answer is still success (the outcome was
    /// decided when the prepare was written) and [`tick`](Self::tick)
    /// finishes the transaction.
    pub async fn end_txn(
        &self,
        io: &InternalTopics<'_>,
        groups: &GroupCoordinator,
        id: &str,
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
    ) -> Result<(i64, i16), ResponseError> {
        if id.is_empty() {
            return Err(ResponseError::InvalidRequest);
        }
        let now = now_ms();
        let (prepare, complete) = if commit {
            (TxnState::PrepareCommit, TxnState::CompleteCommit)
        } else {
            (TxnState::PrepareAbort, TxnState::CompleteAbort)
        };
        let outcome = self
            .transition(io, id, |m| {
                let r = &m.record;
                check_producer(r, producer_id, producer_epoch)?;
                match r.state {
                    TxnState::Ongoing => Ok(Plan::Write {
                        record: Some(TxnRecord {
                            state: prepare,
                            last_update_ms: now,
                            ..r.clone()
                        }),
                        last_producer_epoch: m.last_producer_epoch,
                        previous_producer_id: m.previous_producer_id,
                    }),
                    // A retry of an EndTxn that completed.
                    s if s == complete => Ok(Plan::Done(r.clone())),
                    s if s == prepare => Err(ResponseError::ConcurrentTransactions),
                    _ => Err(ResponseError::InvalidTxnState),
                }
            })
            .await?
            .expect("EndTxn never removes its id");
        if outcome.state == prepare {
            self.complete(io, groups, id).await;
        }
        Ok((outcome.producer_id, outcome.producer_epoch))
    }

    /// Writes the markers of a prepared transaction and completes it.
    /// Failures are logged and left for the next tick.
    async fn complete(&self, io: &InternalTopics<'_>, groups: &GroupCoordinator, id: &str) {
        let record = {
            let mut txns = self.txns();
            let Some(m) = txns.get_mut(id) else { return };
            if m.pending
                || !matches!(
                    m.record.state,
                    TxnState::PrepareCommit | TxnState::PrepareAbort
                )
            {
                return;
            }
            m.pending = true;
            m.record.clone()
        };
        let _guard = PendingGuard {
            coordinator: self,
            id,
        };
        let commit = record.state == TxnState::PrepareCommit;
        let marker = Marker {
            producer_id: record.producer_id,
            producer_epoch: record.producer_epoch,
            commit,
            coordinator_epoch: COORDINATOR_EPOCH,
        };
        if let Err(failed) = write_markers(io, groups, marker, &record.partitions).await {
            for f in failed {
                tracing::warn!(transactional_id = %id, error = %f, "transaction marker not written; retrying in a second");
            }
            return;
        }
        let done = TxnRecord {
            state: if commit {
                TxnState::CompleteCommit
            } else {
                TxnState::CompleteAbort
            },
            partitions: BTreeSet::new(),
            last_update_ms: now_ms(),
            ..record
        };
        if self.write(io, id, Some(&done)).await.is_ok() {
            if let Some(m) = self.txns().get_mut(id) {
                m.record = done;
            }
        }
    }

    /// Once a second (and at start): finishes prepared transactions, aborts
    /// those open longer than their timeout (bumping the epoch, so the late
    /// producer is fenced), and removes ids idle for
    /// transactional.id.expiration.ms.
    pub async fn tick(&self, io: &InternalTopics<'_>, groups: &GroupCoordinator) {
        let now = now_ms();
        let (mut prepared, mut timed_out, mut expired) = (Vec::new(), Vec::new(), Vec::new());
        for (id, m) in self.txns().iter() {
            if m.pending {
                continue;
            }
            let r = &m.record;
            match r.state {
                TxnState::PrepareCommit | TxnState::PrepareAbort => prepared.push(id.clone()),
                TxnState::Ongoing if r.start_ms + i64::from(r.timeout_ms) <= now => {
                    timed_out.push(id.clone())
                }
                TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort
                    if r.last_update_ms.saturating_add(self.id_expiration_ms) <= now =>
                {
                    expired.push(id.clone())
                }
                _ => {}
            }
        }
        for id in prepared {
            self.complete(io, groups, &id).await;
        }
        for id in timed_out {
            let aborted = self
                .transition(io, &id, |m| {
                    let r = &m.record;
                    if r.state != TxnState::Ongoing {
                        return Ok(Plan::Done(r.clone()));
                    }
                    Ok(abort_with_bumped_epoch(m, now))
                })
                .await;
            if let Ok(Some(r)) = aborted {
                if r.state == TxnState::PrepareAbort {
                    tracing::info!(transactional_id = %id, producer_id = r.producer_id, timeout_ms = r.timeout_ms, "transaction timed out: aborting it");
                    self.complete(io, groups, &id).await;
                }
            }
        }
        for id in expired {
            let expiration = self.id_expiration_ms;
            let removed = self
                .transition(io, &id, |m| {
                    let r = &m.record;
                    let idle = matches!(
                        r.state,
                        TxnState::Empty | TxnState::CompleteCommit | TxnState::CompleteAbort
                    ) && r.last_update_ms.saturating_add(expiration) <= now;
                    if !idle {
                        return Ok(Plan::Done(r.clone()));
                    }
                    Ok(Plan::Write {
                        record: None,
                        last_producer_epoch: -1,
                        previous_producer_id: -1,
                    })
                })
                .await;
            if let Ok(None) = removed {
                tracing::info!(transactional_id = %id, "transactional id expired (transactional.id.expiration.ms)");
            }
        }
    }

    /// DescribeTransactions: `None` for an unknown id.
    pub fn describe(&self, id: &str) -> Option<TxnDescription> {
        self.txns().get(id).map(|m| TxnDescription {
            transactional_id: id.to_string(),
            record: m.record.clone(),
        })
    }

    /// ListTransactions: ids whose producer id is in `producer_ids` (when
    /// given), whose state is in `states` (when given) and that have run
    /// longer than `min_duration_ms` (when not negative), sorted by id.
    pub fn list(
        &self,
        producer_ids: &[i64],
        states: &[TxnState],
        min_duration_ms: i64,
    ) -> Vec<TxnDescription> {
        let now = now_ms();
        let mut out: Vec<TxnDescription> = self
            .txns()
            .iter()
            .filter(|(_, m)| {
                let r = &m.record;
                r.state != TxnState::Dead
                    && (producer_ids.is_empty() || producer_ids.contains(&r.producer_id))
                    && (states.is_empty() || states.contains(&r.state))
                    && (min_duration_ms < 0 || now - r.start_ms > min_duration_ms)
            })
            .map(|(id, m)| TxnDescription {
                transactional_id: id.clone(),
                record: m.record.clone(),
            })
            .collect();
        out.sort_by(|a, b| a.transactional_id.cmp(&b.transactional_id));
        out
    }
}

/// The request's producer must be the id's current one.
fn check_producer(
    r: &TxnRecord,
    producer_id: i64,
    producer_epoch: i16,
) -> Result<(), ResponseError> {
    if r.producer_id != producer_id {
        Err(ResponseError::InvalidProducerIdMapping)
    } else if r.producer_epoch != producer_epoch {
        Err(ResponseError::ProducerFenced)
    } else {
        Ok(())
    }
}

/// A partition a marker could not be written to.
#[derive(Debug)]
pub struct MarkerFailure {
    pub topic: String,
    pub partition: i32,
    pub error: StorageError,
}

impl std::fmt::Display for MarkerFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}: {}", self.topic, self.partition, self.error)
    }
}

/// Appends a COMMIT or ABORT marker for `producer_id` to every partition
/// given, waits for them to be on disk, then tells the group coordinator
/// when `__consumer_offsets` was among them (pending transactional offsets
/// become visible, or are dropped). Partitions of deleted topics are skipped,
/// as Kafka does.
pub async fn write_markers(
    io: &InternalTopics<'_>,
    groups: &GroupCoordinator,
    marker: Marker,
    partitions: &BTreeSet<(String, i32)>,
) -> Result<(), Vec<MarkerFailure>> {
    let mut failed = Vec::new();
    let mut to_sync = Vec::new();
    for (topic, index) in partitions {
        let Some(partition) = io
            .logs
            .topic(topic)
            .and_then(|t| t.partition(*index).cloned())
        else {
            continue;
        };
        let mut log = partition.log();
        match log.append_marker(
            marker.producer_id,
            marker.producer_epoch,
            marker.commit,
            marker.coordinator_epoch,
        ) {
            Ok(_) => {
                let file = log.active_file();
                let end = log.log_end_offset();
                drop(log);
                to_sync.push((topic, *index, partition, file, end));
            }
            Err(error) => failed.push(MarkerFailure {
                topic: topic.clone(),
                partition: *index,
                error,
            }),
        }
    }
    if !to_sync.is_empty() {
        io.appended.notify_waiters();
    }
    // Ask for every sync before waiting on any, so they share flusher rounds.
    let waits: Vec<_> = to_sync
        .into_iter()
        .map(|(topic, index, p, file, end)| {
            let wait = io.flusher.sync(file);
            (topic, index, p, end, wait)
        })
        .collect();
    for (topic, index, p, end, wait) in waits {
        match wait.await {
            Ok(()) => p.log().mark_flushed(end),
            Err(e) => {
                let error = p.log().sync_failed(&e);
                failed.push(MarkerFailure {
                    topic: topic.clone(),
                    partition: index,
                    error,
                });
            }
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }
    if partitions.iter().any(|(t, _)| t == OFFSETS_TOPIC) {
        groups.complete_txn(marker.producer_id, marker.commit);
    }
    Ok(())
}
