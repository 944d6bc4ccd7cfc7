//! The internal topics through which coordinators keep their state durable,
//! as Kafka's do: each coordinator appends its records as ordinary batches,
//! fsynced before the change they describe takes effect, and replays the
//! topic at start to rebuild its state.

use std::sync::Arc;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio::sync::Notify;

use crate::broker::flusher::Flusher;
use crate::broker::storage::batch::{BatchHeader, HEADER_LEN};
use crate::broker::storage::log_manager::{LogManager, Topic, TopicError};
use crate::broker::storage::{Origin, StorageError};

/// How an internal topic is created on first use.
pub struct TopicSpec {
    pub name: &'static str,
    pub partitions: i32,
    pub configs: &'static [(&'static str, &'static str)],
}

/// What a coordinator needs of the broker to keep its state: the logs, the
/// group-commit flusher and the signal that wakes waiting fetches.
pub struct InternalTopics<'a> {
    pub logs: &'a LogManager,
    pub flusher: &'a Flusher,
    pub appended: &'a Notify,
}

impl InternalTopics<'_> {
    /// The topic, created as `spec` says when it does not exist yet.
    pub fn get_or_create(&self, spec: &TopicSpec) -> Result<Arc<Topic>, TopicError> {
        if let Some(t) = self.logs.topic(spec.name) {
            return Ok(t);
        }
        let configs = spec
            .configs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match self
            .logs
            .create_topic(spec.name, spec.partitions, 1, configs, false)
        {
            Ok(t) => Ok(t),
            // Another request created it in between.
            Err(TopicError::AlreadyExists(_)) => self
                .logs
                .topic(spec.name)
                .ok_or_else(|| TopicError::Unknown(spec.name.to_string())),
            Err(e) => Err(e),
        }
    }

    /// Appends one batch to a partition of the topic (created on first use)
    /// and returns once it is on disk. Returns the batch's base offset.
    pub async fn append(
        &self,
        spec: &TopicSpec,
        partition: i32,
        batch: &[u8],
    ) -> Result<i64, TopicError> {
        let topic = self.get_or_create(spec)?;
        let p = topic
            .partition(partition)
            .ok_or_else(|| TopicError::Unknown(format!("{}-{partition}", spec.name)))?;
        let (file, end, base) = {
            let mut log = p.log();
            let info = log.append(batch, Origin::Broker)?;
            (log.active_file(), log.log_end_offset(), info.base_offset)
        };
        self.appended.notify_waiters();
        match self.flusher.sync(file).await {
            Ok(()) => p.log().mark_flushed(end),
            Err(e) => return Err(p.log().sync_failed(&e).into()),
        }
        Ok(base)
    }

    /// Calls `apply` with the bytes of every partition of the topic, a run of
    /// whole batches at a time, from the log start; sums what it returns.
    /// A topic that does not exist yet has nothing to replay.
    pub fn replay(
        &self,
        name: &str,
        mut apply: impl FnMut(Bytes) -> usize,
    ) -> Result<usize, StorageError> {
        let Some(topic) = self.logs.topic(name) else {
            return Ok(0);
        };
        let mut applied = 0;
        for p in &topic.partitions {
            let mut offset = p.log().log_start_offset();
            loop {
                let slice = p.log().read(offset)?;
                let Some(slice) = slice else { break };
                let bytes = slice.read(16 << 20, true)?;
                let Some(next) = next_offset_after(&bytes) else {
                    break;
                };
                applied += apply(bytes);
                offset = next;
            }
        }
        Ok(applied)
    }
}

/// The offset after the last whole batch in `bytes`.
fn next_offset_after(bytes: &[u8]) -> Option<i64> {
    let mut at = 0;
    let mut next = None;
    while at + HEADER_LEN <= bytes.len() {
        let h = BatchHeader::parse(&bytes[at..])?;
        next = Some(h.last_offset() + 1);
        at += h.total_len();
    }
    next
}

/// A Kafka schema `string` (i16 length, then UTF-8).
pub fn put_string(buf: &mut BytesMut, s: &str) {
    buf.put_i16(s.len() as i16);
    buf.put_slice(s.as_bytes());
}

/// Reads a Kafka schema `string`; `None` when short or not UTF-8.
pub fn get_string(buf: &mut Bytes) -> Option<String> {
    if buf.remaining() < 2 {
        return None;
    }
    let len = buf.get_i16();
    if len < 0 || buf.remaining() < len as usize {
        return None;
    }
    String::from_utf8(buf.split_to(len as usize).to_vec()).ok()
}

/// Kafka's unsigned varint, as flexible versions write lengths and tags.
pub fn put_uvarint(buf: &mut BytesMut, mut v: u64) {
    while v >= 0x80 {
        buf.put_u8((v as u8) | 0x80);
        v >>= 7;
    }
    buf.put_u8(v as u8);
}

pub fn get_uvarint(v: &mut Bytes) -> Option<u64> {
    let mut out = 0u64;
    for shift in (0..64).step_by(7) {
        if !v.has_remaining() {
            return None;
        }
        let b = v.get_u8();
        out |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(out);
        }
    }
    None
}

/// Skips a flexible version's tagged fields.
pub fn skip_tags(v: &mut Bytes) -> Option<()> {
    let n = get_uvarint(v)?;
    for _ in 0..n {
        get_uvarint(v)?;
        let len = get_uvarint(v)? as usize;
        if v.remaining() < len {
            return None;
        }
        v.advance(len);
    }
    Some(())
}
