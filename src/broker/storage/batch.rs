//! Record batch (magic v2) headers: the few fields the log needs, read straight
//! from the bytes a producer sent, plus the CRC-32C check that decides whether a
//! batch may be stored. Records themselves are never decoded on the hot path.

use bytes::{Bytes, BytesMut};

use super::StorageError;

/// Size of a v2 record batch header; also the smallest valid batch.
pub const HEADER_LEN: usize = 61;
/// `baseOffset` (8 bytes) and `batchLength` (4 bytes) precede what `batchLength` counts.
pub const LOG_OVERHEAD: usize = 12;

const LENGTH_AT: usize = 8;
const LEADER_EPOCH_AT: usize = 12;
const MAGIC_AT: usize = 16;
const CRC_AT: usize = 17;
const ATTRIBUTES_AT: usize = 21;
const LAST_OFFSET_DELTA_AT: usize = 23;
const BASE_TIMESTAMP_AT: usize = 27;
const MAX_TIMESTAMP_AT: usize = 35;
const PRODUCER_ID_AT: usize = 43;
const PRODUCER_EPOCH_AT: usize = 51;
const BASE_SEQUENCE_AT: usize = 53;
const RECORD_COUNT_AT: usize = 57;

/// Attribute bit marking a control batch (commit/abort markers).
const CONTROL_FLAG: i16 = 0x20;

/// The header fields of one record batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchHeader {
    pub base_offset: i64,
    /// Bytes after the length field; the whole batch is `LOG_OVERHEAD + batch_length`.
    pub batch_length: i32,
    pub magic: i8,
    pub crc: u32,
    pub attributes: i16,
    pub last_offset_delta: i32,
    pub base_timestamp: i64,
    pub max_timestamp: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub record_count: i32,
}

impl BatchHeader {
    /// Reads the header from the first `HEADER_LEN` bytes of `buf`.
    pub fn parse(buf: &[u8]) -> Option<BatchHeader> {
        if buf.len() < HEADER_LEN {
            return None;
        }
        Some(BatchHeader {
            base_offset: i64_at(buf, 0),
            batch_length: i32_at(buf, LENGTH_AT),
            magic: buf[MAGIC_AT] as i8,
            crc: u32::from_be_bytes(buf[CRC_AT..CRC_AT + 4].try_into().unwrap()),
            attributes: i16::from_be_bytes(
                buf[ATTRIBUTES_AT..ATTRIBUTES_AT + 2].try_into().unwrap(),
            ),
            last_offset_delta: i32_at(buf, LAST_OFFSET_DELTA_AT),
            base_timestamp: i64_at(buf, BASE_TIMESTAMP_AT),
            max_timestamp: i64_at(buf, MAX_TIMESTAMP_AT),
            producer_id: i64_at(buf, PRODUCER_ID_AT),
            producer_epoch: i16::from_be_bytes(
                buf[PRODUCER_EPOCH_AT..PRODUCER_EPOCH_AT + 2]
                    .try_into()
                    .unwrap(),
            ),
            base_sequence: i32_at(buf, BASE_SEQUENCE_AT),
            record_count: i32_at(buf, RECORD_COUNT_AT),
        })
    }

    /// Total bytes of the batch on disk or on the wire.
    pub fn total_len(&self) -> usize {
        LOG_OVERHEAD + self.batch_length.max(0) as usize
    }

    pub fn last_offset(&self) -> i64 {
        self.base_offset + i64::from(self.last_offset_delta)
    }

    pub fn is_control(&self) -> bool {
        self.attributes & CONTROL_FLAG != 0
    }
}

fn i64_at(buf: &[u8], at: usize) -> i64 {
    i64::from_be_bytes(buf[at..at + 8].try_into().unwrap())
}

fn i32_at(buf: &[u8], at: usize) -> i32 {
    i32::from_be_bytes(buf[at..at + 4].try_into().unwrap())
}

/// Checks that `buf` starts with one complete, intact v2 batch and returns its
/// header. Used both for produce requests and for recovery scans, so a batch the
/// broker would refuse from a client is also one it cuts from a torn log tail.
pub fn validate(buf: &[u8]) -> Result<BatchHeader, StorageError> {
    let header = BatchHeader::parse(buf).ok_or(StorageError::CorruptBatch(
        "shorter than a record batch header",
    ))?;
    if header.batch_length < (HEADER_LEN - LOG_OVERHEAD) as i32 {
        return Err(StorageError::CorruptBatch("batch length too small"));
    }
    if header.total_len() > buf.len() {
        return Err(StorageError::CorruptBatch(
            "batch length runs past the data",
        ));
    }
    if header.magic != 2 {
        return Err(StorageError::UnsupportedMagic(header.magic));
    }
    if header.last_offset_delta < 0 || header.record_count < 0 {
        return Err(StorageError::CorruptBatch("negative record count"));
    }
    let crc = crc32c::crc32c(&buf[ATTRIBUTES_AT..header.total_len()]);
    if crc != header.crc {
        return Err(StorageError::CorruptBatch("CRC-32C mismatch"));
    }
    Ok(header)
}

/// Splits a buffer holding one or more batches into validated `(header, range)` pairs.
/// Any trailing bytes that do not form a whole batch make the whole buffer invalid,
/// so that a produce request is stored entirely or not at all.
pub fn validate_all(
    buf: &[u8],
) -> Result<Vec<(BatchHeader, std::ops::Range<usize>)>, StorageError> {
    let mut batches = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let header = validate(&buf[at..])?;
        let end = at + header.total_len();
        batches.push((header, at..end));
        at = end;
    }
    if batches.is_empty() {
        return Err(StorageError::CorruptBatch("no record batch in request"));
    }
    Ok(batches)
}

/// Marks a batch as LogAppendTime with the broker's `now` as its max
/// timestamp, and recomputes the CRC, which covers both fields. `body` is
/// everything after the header.
pub fn stamp_log_append_time(header: &mut [u8], body: &[u8], now: i64) {
    const TIMESTAMP_TYPE_FLAG: i16 = 0x08;
    let attributes =
        i16::from_be_bytes(header[ATTRIBUTES_AT..ATTRIBUTES_AT + 2].try_into().unwrap());
    header[ATTRIBUTES_AT..ATTRIBUTES_AT + 2]
        .copy_from_slice(&(attributes | TIMESTAMP_TYPE_FLAG).to_be_bytes());
    set_max_timestamp(header, body, now);
}

/// Sets a batch's max timestamp and recomputes the CRC, which covers it.
pub fn set_max_timestamp(header: &mut [u8], body: &[u8], max_timestamp: i64) {
    header[MAX_TIMESTAMP_AT..MAX_TIMESTAMP_AT + 8].copy_from_slice(&max_timestamp.to_be_bytes());
    let crc = crc32c::crc32c_append(crc32c::crc32c(&header[ATTRIBUTES_AT..HEADER_LEN]), body);
    header[CRC_AT..CRC_AT + 4].copy_from_slice(&crc.to_be_bytes());
}

/// Overwrites the base offset and partition leader epoch in a batch header. Both
/// lie before the CRC'd region, so the CRC stays valid.
pub fn assign_offset(header_bytes: &mut [u8], base_offset: i64) {
    header_bytes[0..8].copy_from_slice(&base_offset.to_be_bytes());
    header_bytes[LEADER_EPOCH_AT..LEADER_EPOCH_AT + 4].copy_from_slice(&0i32.to_be_bytes());
}

/// One uncompressed v2 batch of plain (non-idempotent, non-transactional)
/// records, given as `(key, value, timestamp)`; offsets start at 0 and the
/// broker assigns the real ones on append. Used for the broker's own records
/// (committed offsets) and by tests.
pub fn encode_plain(records: &[(Option<Bytes>, Option<Bytes>, i64)]) -> Bytes {
    encode_broker_batch(records, None)
}

/// One uncompressed v2 batch of the broker's own records; with
/// `Some((producer id, epoch))` it is a transactional batch of that
/// producer (a transactional offset commit), which a later marker commits
/// or aborts. Offsets start at 0; the log assigns the real ones.
pub fn encode_broker_batch(
    records: &[(Option<Bytes>, Option<Bytes>, i64)],
    producer: Option<(i64, i16)>,
) -> Bytes {
    use kafka_protocol::records::{
        Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    };
    let records: Vec<Record> = records
        .iter()
        .enumerate()
        .map(|(i, (key, value, timestamp))| Record {
            transactional: producer.is_some(),
            control: false,
            delete_horizon: false,
            partition_leader_epoch: 0,
            producer_id: producer.map_or(-1, |(id, _)| id),
            producer_epoch: producer.map_or(-1, |(_, epoch)| epoch),
            timestamp_type: TimestampType::Creation,
            offset: i as i64,
            // The encoder starts a new batch wherever offset minus sequence
            // changes; equal steps keep every record in one batch.
            sequence: i as i32,
            timestamp: *timestamp,
            key: key.clone(),
            value: value.clone(),
            headers: Default::default(),
        })
        .collect();
    let mut buf = BytesMut::new();
    RecordBatchEncoder::encode(
        &mut buf,
        &records,
        &RecordEncodeOptions {
            version: 2,
            compression: Compression::None,
        },
    )
    .expect("encoding an uncompressed batch into memory cannot fail");
    buf.freeze()
}

/// One step of a walk over the batches of a segment file (see [`Frames`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A whole batch, framed by its length field. `problem` says what is
    /// wrong with it (magic, CRC, offsets), `None` when it checks out.
    Batch {
        position: u64,
        header: BatchHeader,
        problem: Option<String>,
    },
    /// Bytes from `position` on cannot be framed as batches (a length field
    /// that is too small or runs past the end, or fewer bytes than a
    /// header): the walk ends here.
    Broken {
        position: u64,
        bytes: u64,
        reason: String,
    },
}

/// The one walk over the record batches stored back to back in a segment
/// file, shared by recovery and `dq dump-log`. Each batch is framed by its
/// length field and checked (magic, CRC-32C, offsets that move forward and
/// fit the segment) while it streams through a fixed buffer, so memory stays
/// bounded whatever a damaged length field claims.
pub struct Frames<'a> {
    reader: std::io::BufReader<&'a std::fs::File>,
    position: u64,
    end: u64,
    /// Offsets must not go below this (one past the previous batch).
    expected: i64,
    /// The segment's base offset: relative offsets must fit 32 bits above it.
    base_offset: i64,
    done: bool,
}

impl<'a> Frames<'a> {
    /// Walks `file` from byte `start` to `end`. `base_offset` is the
    /// segment's (from its file name) and `expected` the lowest offset the
    /// first batch may start at.
    pub fn new(
        file: &'a std::fs::File,
        start: u64,
        end: u64,
        base_offset: i64,
        expected: i64,
    ) -> std::io::Result<Frames<'a>> {
        use std::io::Seek;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        reader.seek(std::io::SeekFrom::Start(start))?;
        Ok(Frames {
            reader,
            position: start,
            end,
            expected,
            base_offset,
            done: false,
        })
    }

    /// Where the next frame starts.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The next frame, `None` at the end of the file (or after a `Broken`).
    pub fn next_frame(&mut self) -> std::io::Result<Option<Frame>> {
        use std::io::Read;
        if self.done || self.position >= self.end {
            return Ok(None);
        }
        let position = self.position;
        let rest = self.end - position;
        let broken = |this: &mut Self, reason: String| {
            this.done = true;
            Ok(Some(Frame::Broken {
                position,
                bytes: rest,
                reason,
            }))
        };
        if rest < HEADER_LEN as u64 {
            return broken(
                self,
                format!("{rest} trailing bytes, shorter than a batch header"),
            );
        }
        let mut head = [0u8; HEADER_LEN];
        self.reader.read_exact(&mut head)?;
        let header = BatchHeader::parse(&head).expect("a whole header was read");
        if header.batch_length < (HEADER_LEN - LOG_OVERHEAD) as i32 {
            return broken(
                self,
                format!("batch length {} is too small", header.batch_length),
            );
        }
        let total = header.total_len() as u64;
        if total > rest {
            return broken(
                self,
                format!(
                    "batch length {} runs past the end of the file ({rest} bytes left)",
                    header.batch_length
                ),
            );
        }
        // The CRC covers everything from the attributes on; stream the body.
        let mut crc = crc32c::crc32c(&head[ATTRIBUTES_AT..]);
        let mut left = total - HEADER_LEN as u64;
        let mut chunk = [0u8; 64 * 1024];
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            self.reader.read_exact(&mut chunk[..n])?;
            crc = crc32c::crc32c_append(crc, &chunk[..n]);
            left -= n as u64;
        }
        self.position += total;
        let problem = if header.magic != 2 {
            Some(format!("magic {} is not 2", header.magic))
        } else if crc != header.crc {
            Some(format!(
                "CRC-32C mismatch (stored {:#010x}, computed {crc:#010x})",
                header.crc
            ))
        } else if header.last_offset_delta < 0 || header.record_count < 0 {
            Some("negative record count or last offset delta".to_string())
        } else if header.base_offset < self.expected {
            Some(format!(
                "base offset {} goes backwards (expected at least {})",
                header.base_offset, self.expected
            ))
        } else if header.last_offset() - self.base_offset > i64::from(u32::MAX) {
            Some(format!(
                "last offset {} is too far above the segment's base offset {}",
                header.last_offset(),
                self.base_offset
            ))
        } else {
            None
        };
        if problem.is_none() {
            self.expected = header.last_offset() + 1;
        }
        Ok(Some(Frame::Batch {
            position,
            header,
            problem,
        }))
    }
}

/// The CRC-32C of a batch's checked region, as stored in its header, for
/// `dq dump-log`.
pub fn crc_of(batch: &[u8]) -> Option<u32> {
    (batch.len() >= HEADER_LEN).then(|| crc32c::crc32c(&batch[ATTRIBUTES_AT..]))
}

/// Every record of one stored batch, decompressed, for `dq dump-log`.
pub fn decode_records(mut batch: Bytes) -> Result<Vec<kafka_protocol::records::Record>, String> {
    kafka_protocol::records::RecordBatchDecoder::decode(&mut batch)
        .map(|set| set.records)
        .map_err(|e| format!("records could not be decoded: {e}"))
}

/// The compression codec named by a batch's attributes, in Kafka's words.
pub fn codec_name(attributes: i16) -> &'static str {
    match attributes & 0x07 {
        0 => "none",
        1 => "gzip",
        2 => "snappy",
        3 => "lz4",
        4 => "zstd",
        _ => "unknown",
    }
}

impl BatchHeader {
    /// The transactional flag of the attributes.
    pub fn is_transactional(&self) -> bool {
        self.attributes & 0x10 != 0
    }

    /// LogAppendTime rather than CreateTime.
    pub fn is_log_append_time(&self) -> bool {
        self.attributes & 0x08 != 0
    }
}

/// The partition leader epoch stored in a batch's header.
pub fn partition_leader_epoch(buf: &[u8]) -> Option<i32> {
    (buf.len() >= HEADER_LEN).then(|| i32_at(buf, LEADER_EPOCH_AT))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds an uncompressed batch of `n` records with the crate encoder.
    pub fn batch(n: usize, timestamp: i64) -> Vec<u8> {
        let records: Vec<_> = (0..n)
            .map(|i| {
                (
                    None,
                    Some(Bytes::from(format!("value-{i}"))),
                    timestamp + i as i64,
                )
            })
            .collect();
        encode_plain(&records).to_vec()
    }

    #[test]
    fn accepts_an_encoded_batch_and_reads_its_header() {
        let b = batch(3, 1000);
        let h = validate(&b).unwrap();
        assert_eq!(h.record_count, 3);
        assert_eq!(h.last_offset_delta, 2);
        assert_eq!(h.max_timestamp, 1002);
        assert_eq!(h.total_len(), b.len());
    }

    #[test]
    fn rejects_flipped_bits_truncation_and_old_magic() {
        let b = batch(2, 0);
        let mut flipped = b.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            validate(&flipped),
            Err(StorageError::CorruptBatch(_))
        ));
        assert!(matches!(
            validate(&b[..b.len() - 1]),
            Err(StorageError::CorruptBatch(_))
        ));
        let mut old = b.clone();
        old[MAGIC_AT] = 1;
        assert!(matches!(
            validate(&old),
            Err(StorageError::UnsupportedMagic(1))
        ));
    }

    #[test]
    fn assigning_an_offset_keeps_the_crc_valid() {
        let mut b = batch(2, 0);
        assign_offset(&mut b, 42);
        let h = validate(&b).unwrap();
        assert_eq!(h.base_offset, 42);
        assert_eq!(h.last_offset(), 43);
    }

    #[test]
    fn log_append_time_stamping_keeps_the_batch_valid() {
        let mut b = batch(3, 1000);
        let (head, body) = b.split_at_mut(HEADER_LEN);
        stamp_log_append_time(head, body, 5555);
        let h = validate(&b).unwrap();
        assert_eq!(h.max_timestamp, 5555);
        assert_eq!(h.attributes & 0x08, 0x08);
    }

    #[test]
    fn a_partial_second_batch_invalidates_the_whole_buffer() {
        let mut two = batch(1, 0);
        let second = batch(1, 0);
        two.extend_from_slice(&second[..20]);
        assert!(validate_all(&two).is_err());
    }

    #[test]
    fn frames_walk_good_batches_and_flag_a_bad_crc_and_a_torn_tail() {
        use std::io::Write;
        let mut a = batch(2, 0);
        assign_offset(&mut a, 0);
        let mut b = batch(3, 0);
        assign_offset(&mut b, 2);
        let mut c = batch(1, 0);
        assign_offset(&mut c, 5);
        let last = b.len() - 1;
        b[last] ^= 0x40;
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&a).unwrap();
        file.write_all(&b).unwrap();
        file.write_all(&c).unwrap();
        file.write_all(&c[..30]).unwrap();
        let end = (a.len() + b.len() + c.len() + 30) as u64;
        let mut frames = Frames::new(&file, 0, end, 0, 0).unwrap();
        let mut seen = Vec::new();
        while let Some(f) = frames.next_frame().unwrap() {
            seen.push(f);
        }
        assert_eq!(seen.len(), 4, "{seen:?}");
        assert!(matches!(
            &seen[0],
            Frame::Batch {
                position: 0,
                problem: None,
                ..
            }
        ));
        match &seen[1] {
            Frame::Batch {
                position,
                header,
                problem,
            } => {
                assert_eq!(*position, a.len() as u64);
                assert_eq!(header.base_offset, 2);
                assert!(
                    problem.as_deref().unwrap().contains("CRC-32C"),
                    "{problem:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&seen[2], Frame::Batch { problem: None, .. }));
        match &seen[3] {
            Frame::Broken {
                position,
                bytes,
                reason,
            } => {
                assert_eq!(*position, (a.len() + b.len() + c.len()) as u64);
                assert_eq!(*bytes, 30);
                assert!(reason.contains("shorter than a batch header"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn frames_flag_offsets_going_backwards_and_lengths_past_the_end() {
        use std::io::Write;
        let mut a = batch(2, 0);
        assign_offset(&mut a, 10);
        let mut b = batch(1, 0);
        assign_offset(&mut b, 3);
        let mut huge = batch(1, 0);
        huge[8..12].copy_from_slice(&i32::MAX.to_be_bytes());
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&a).unwrap();
        file.write_all(&b).unwrap();
        file.write_all(&huge).unwrap();
        let end = (a.len() + b.len() + huge.len()) as u64;
        let mut frames = Frames::new(&file, 0, end, 0, 0).unwrap();
        let first = frames.next_frame().unwrap().unwrap();
        assert!(matches!(first, Frame::Batch { problem: None, .. }));
        match frames.next_frame().unwrap().unwrap() {
            Frame::Batch {
                problem: Some(p), ..
            } => assert!(p.contains("backwards"), "{p}"),
            other => panic!("{other:?}"),
        }
        match frames.next_frame().unwrap().unwrap() {
            Frame::Broken { reason, .. } => {
                assert!(reason.contains("runs past the end"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert!(frames.next_frame().unwrap().is_none());
    }
}
