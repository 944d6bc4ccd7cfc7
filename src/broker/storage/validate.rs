//! Kafka's log validator for the batches a client produces. Before anything is
//! stored, every record of the batch is walked: a batch a consumer could not
//! read back (a record count that lies, offset deltas out of order, an unknown
//! codec, a body that does not decompress, a control flag from a client) is
//! refused whole, and records the topic's configs forbid (no key on a
//! compacted topic, a timestamp out of range) are named one by one, so a
//! client fails exactly those records (Produce v8's `record_errors`).
//!
//! The walk allocates nothing per record and nothing sized by what the batch
//! claims: uncompressed records are read in place, compressed bodies are
//! streamed through a decompressor whose memory is fixed (gzip's 32 KiB
//! window, LZ4's 4 MiB blocks at most, a zstd window capped at
//! [`ZSTD_WINDOW_LOG_MAX`], snappy blocks no larger than snappy can expand
//! their input).

use std::io::{self, BufRead, BufReader, Read};

use super::batch::{BatchHeader, HEADER_LEN};

/// The largest zstd window accepted (16 MiB). Compressors choose at most 8 MiB
/// up to level 19 and never more than the input; only the `--ultra` levels on
/// large inputs go beyond, and a window is memory the broker must hold.
pub const ZSTD_WINDOW_LOG_MAX: u32 = 24;

/// Snappy turns at most 3 input bytes into 64 output bytes; a block claiming
/// more than this many times its own size is not snappy.
const SNAPPY_MAX_EXPANSION: usize = 22;

/// The Java client's xerial framing of snappy blocks.
const XERIAL_MAGIC: &[u8; 8] = b"\x82SNAPPY\x00";
const XERIAL_HEADER_LEN: usize = 16;

const NO_TIMESTAMP: i64 = -1;
const CODEC_MASK: i16 = 0x07;
const TIMESTAMP_TYPE_FLAG: i16 = 0x08;
const TRANSACTIONAL_FLAG: i16 = 0x10;
const CONTROL_FLAG: i16 = 0x20;

/// What the topic's configs and the clock allow.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// cleanup.policy includes compact: every record needs a key.
    pub compacted: bool,
    /// message.timestamp.type=LogAppendTime: the broker stamps the batch, and
    /// record timestamps are not checked.
    pub log_append_time: bool,
    /// message.timestamp.before.max.ms: how far in the past a CreateTime may be.
    pub timestamp_before_max_ms: i64,
    /// message.timestamp.after.max.ms: how far in the future a CreateTime may be.
    pub timestamp_after_max_ms: i64,
    pub now_ms: i64,
}

/// A record the topic refuses, by its index in the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub batch_index: i32,
    pub message: String,
}

/// Why a batch is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// The batch cannot be read back as records (Kafka's InvalidRecordException).
    #[error("invalid record batch: {0}")]
    Batch(String),
    /// Some records break the topic's rules; the batch is refused and these
    /// are named (INVALID_RECORD, or INVALID_TIMESTAMP for timestamps).
    #[error("{}", records_message(.errors))]
    Records {
        timestamp: bool,
        errors: Vec<RecordError>,
    },
}

fn records_message(errors: &[RecordError]) -> String {
    match errors {
        [one] => one.message.clone(),
        [first, ..] => format!(
            "{} records of the batch were refused; the first, at index {}: {}",
            errors.len(),
            first.batch_index,
            first.message
        ),
        [] => "records were refused".into(),
    }
}

/// What the walk learned that the header may have got wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The largest record timestamp (CreateTime), -1 when every record has none.
    pub max_timestamp: i64,
}

/// Checks a produced batch, already known to be whole with a valid CRC.
pub fn check_batch(h: &BatchHeader, batch: &[u8], rules: &Rules) -> Result<Checked, Invalid> {
    if h.record_count <= 0 {
        return Err(Invalid::Batch(format!(
            "invalid record count {} for a record batch",
            h.record_count
        )));
    }
    if i64::from(h.last_offset_delta) + 1 != i64::from(h.record_count) {
        return Err(Invalid::Batch(format!(
            "inconsistent batch: last offset delta {} for {} records",
            h.last_offset_delta, h.record_count
        )));
    }
    if h.attributes & CONTROL_FLAG != 0 {
        return Err(Invalid::Batch(
            "clients are not allowed to write control records".into(),
        ));
    }
    if h.producer_id >= 0 && h.base_sequence < 0 {
        return Err(Invalid::Batch(format!(
            "invalid sequence number {} in a batch of producer {}",
            h.base_sequence, h.producer_id
        )));
    }
    if h.attributes & TRANSACTIONAL_FLAG != 0 && h.producer_id < 0 {
        return Err(Invalid::Batch(
            "a transactional batch must carry a producer id".into(),
        ));
    }
    let body = &batch[HEADER_LEN..h.total_len()];
    let mut walk = Walk::new(h, rules);
    let result = match h.attributes & CODEC_MASK {
        0 => walk.records_in_place(body),
        1 => {
            let mut r = BufReader::new(flate2::read::GzDecoder::new(body));
            walk.records(&mut Stream::new(&mut r), true)
        }
        2 => {
            let mut r = BufReader::new(SnappyReader::new(body));
            walk.records(&mut Stream::new(&mut r), true)
        }
        3 => match lz4::Decoder::new(body) {
            Ok(d) => walk.records(&mut Stream::new(&mut BufReader::new(d)), true),
            Err(e) => Err(WalkError::Io(e)),
        },
        4 => match zstd_reader(body) {
            Ok(d) => walk.records(&mut Stream::new(&mut BufReader::new(d)), true),
            Err(e) => Err(WalkError::Io(e)),
        },
        codec => {
            return Err(Invalid::Batch(format!(
                "unknown compression codec {codec} in the batch attributes"
            )))
        }
    };
    match result {
        Ok(()) => {}
        Err(WalkError::Invalid(why)) => return Err(Invalid::Batch(why)),
        Err(WalkError::Io(e)) => {
            return Err(Invalid::Batch(format!(
                "the {} records cannot be read: {e}",
                codec_name(h.attributes)
            )))
        }
    }
    if !walk.errors.is_empty() {
        return Err(Invalid::Records {
            timestamp: walk.timestamp_errors,
            errors: walk.errors,
        });
    }
    Ok(Checked {
        max_timestamp: walk.max_timestamp,
    })
}

pub fn codec_name(attributes: i16) -> &'static str {
    match attributes & CODEC_MASK {
        0 => "uncompressed",
        1 => "gzip",
        2 => "snappy",
        3 => "lz4",
        4 => "zstd",
        _ => "unknown",
    }
}

fn zstd_reader(body: &[u8]) -> io::Result<zstd::stream::read::Decoder<'_, BufReader<&[u8]>>> {
    let mut d = zstd::stream::read::Decoder::new(body)?;
    d.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
    Ok(d)
}

enum WalkError {
    Invalid(String),
    Io(io::Error),
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            WalkError::Invalid("a record runs past the end of the batch".into())
        } else {
            WalkError::Io(e)
        }
    }
}

/// The state of one batch's walk.
struct Walk<'a> {
    h: &'a BatchHeader,
    rules: &'a Rules,
    /// The CreateTime range allowed, worked out once per batch.
    earliest: i64,
    latest: i64,
    /// Every record's timestamp needs a look (LogAppendTime set by a client).
    check_each: bool,
    max_timestamp: i64,
    errors: Vec<RecordError>,
    timestamp_errors: bool,
}

impl<'a> Walk<'a> {
    fn new(h: &'a BatchHeader, rules: &'a Rules) -> Self {
        let (earliest, latest) = if rules.log_append_time {
            (i64::MIN, i64::MAX)
        } else {
            (
                rules.now_ms.saturating_sub(rules.timestamp_before_max_ms),
                rules.now_ms.saturating_add(rules.timestamp_after_max_ms),
            )
        };
        Walk {
            h,
            rules,
            earliest,
            latest,
            check_each: !rules.log_append_time && h.attributes & TIMESTAMP_TYPE_FLAG != 0,
            max_timestamp: NO_TIMESTAMP,
            errors: Vec::new(),
            timestamp_errors: false,
        }
    }

    /// Reads `record_count` records and requires the input to end there.
    fn records<S: Source>(&mut self, s: &mut S, compressed: bool) -> Result<(), WalkError> {
        for index in 0..self.h.record_count {
            self.record(s, index)?;
        }
        if !s.at_end()? {
            return Err(WalkError::Invalid(format!(
                "the {} records are followed by data the record count ({}) does not cover",
                if compressed {
                    "decompressed"
                } else {
                    "batch's"
                },
                self.h.record_count
            )));
        }
        Ok(())
    }

    /// The uncompressed case, the hot one: each record is cut out by its
    /// length and its fields read from that slice, with one-byte varints
    /// (nearly all of them) taken without a loop.
    fn records_in_place(&mut self, body: &[u8]) -> Result<(), WalkError> {
        let mut at = 0usize;
        for index in 0..self.h.record_count {
            let length = slice_varint(body, &mut at)?;
            let record = usize::try_from(length)
                .ok()
                .and_then(|len| body.get(at..at.checked_add(len)?))
                .ok_or_else(|| {
                    WalkError::Invalid(if length < 0 {
                        format!("record {index}: negative record length {length}")
                    } else {
                        "a record runs past the end of the batch".to_string()
                    })
                })?;
            at += record.len();
            let mut fields = Slice { buf: record, at: 0 };
            self.record_fields(&mut fields, index, length)?;
        }
        if at != body.len() {
            return Err(WalkError::Invalid(format!(
                "the batch's records are followed by data the record count ({}) does not cover",
                self.h.record_count
            )));
        }
        Ok(())
    }

    fn record<S: Source>(&mut self, s: &mut S, index: i32) -> Result<(), WalkError> {
        let length = varint(s)?;
        if length < 0 {
            return Err(WalkError::Invalid(format!(
                "record {index}: negative record length {length}"
            )));
        }
        self.record_fields(s, index, length)
    }

    /// Reads one record's fields after its length, and checks that they take
    /// exactly that length.
    #[inline(always)]
    fn record_fields<S: Source>(
        &mut self,
        s: &mut S,
        index: i32,
        length: i32,
    ) -> Result<(), WalkError> {
        let invalid = |why: String| WalkError::Invalid(format!("record {index}: {why}"));
        let start = s.position();
        s.skip(1)?; // attributes: unused in v2 records
        let timestamp_delta = varlong(s)?;
        let offset_delta = varint(s)?;
        if offset_delta != index {
            return Err(invalid(format!(
                "offset delta {offset_delta}, expected {index} (offset deltas must count up from 0)"
            )));
        }
        let key_len = varint(s)?;
        if key_len < -1 {
            return Err(invalid(format!("negative key length {key_len}")));
        }
        s.skip(key_len.max(0) as u64)?;
        let value_len = varint(s)?;
        if value_len < -1 {
            return Err(invalid(format!("negative value length {value_len}")));
        }
        s.skip(value_len.max(0) as u64)?;
        let headers = varint(s)?;
        if headers < 0 {
            return Err(invalid(format!("negative header count {headers}")));
        }
        for _ in 0..headers {
            let key_len = varint(s)?;
            if key_len < 0 {
                return Err(invalid(format!("negative header key length {key_len}")));
            }
            s.skip(key_len as u64)?;
            let value_len = varint(s)?;
            if value_len < -1 {
                return Err(invalid(format!("negative header value length {value_len}")));
            }
            s.skip(value_len.max(0) as u64)?;
        }
        let taken = s.position() - start;
        if taken != length as u64 {
            return Err(invalid(format!(
                "its fields take {taken} bytes but its length says {length}"
            )));
        }
        if self.rules.compacted && key_len < 0 {
            self.errors.push(RecordError {
                batch_index: index,
                message: "compacted topic cannot accept message without key".into(),
            });
        }
        let timestamp = if self.h.base_timestamp == NO_TIMESTAMP {
            NO_TIMESTAMP
        } else {
            self.h.base_timestamp.saturating_add(timestamp_delta)
        };
        self.max_timestamp = self.max_timestamp.max(timestamp);
        if self.check_each
            || (timestamp != NO_TIMESTAMP && !(self.earliest..=self.latest).contains(&timestamp))
        {
            self.refuse_timestamp(index, timestamp);
        }
        Ok(())
    }

    #[cold]
    fn refuse_timestamp(&mut self, index: i32, timestamp: i64) {
        let message = if self.check_each {
            "invalid timestamp type: a producer may not set LogAppendTime".to_string()
        } else {
            format!(
                "timestamp {timestamp} of the record is out of range: it must be within [{}, {}] \
                 (message.timestamp.before.max.ms, message.timestamp.after.max.ms)",
                self.earliest, self.latest
            )
        };
        self.timestamp_errors = true;
        self.errors.push(RecordError {
            batch_index: index,
            message,
        });
    }
}

/// Where the walk reads records from: the batch itself, or a decompressor.
trait Source {
    fn byte(&mut self) -> io::Result<u8>;
    fn skip(&mut self, n: u64) -> io::Result<()>;
    /// Bytes consumed so far, to compare a record's fields with its length.
    fn position(&self) -> u64;
    fn at_end(&mut self) -> io::Result<bool>;
}

fn eof() -> io::Error {
    io::ErrorKind::UnexpectedEof.into()
}

/// An uncompressed batch's records, read in place.
struct Slice<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Source for Slice<'_> {
    #[inline]
    fn byte(&mut self) -> io::Result<u8> {
        let b = *self.buf.get(self.at).ok_or_else(eof)?;
        self.at += 1;
        Ok(b)
    }

    #[inline]
    fn skip(&mut self, n: u64) -> io::Result<()> {
        if n > (self.buf.len() - self.at) as u64 {
            return Err(eof());
        }
        self.at += n as usize;
        Ok(())
    }

    fn position(&self) -> u64 {
        self.at as u64
    }

    fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.at == self.buf.len())
    }
}

/// A decompressor's output, streamed through its buffer: nothing is held
/// beyond that buffer, however large a record claims to be.
struct Stream<'r, R> {
    inner: &'r mut R,
    consumed: u64,
}

impl<'r, R: BufRead> Stream<'r, R> {
    fn new(inner: &'r mut R) -> Self {
        Stream { inner, consumed: 0 }
    }
}

impl<R: BufRead> Source for Stream<'_, R> {
    #[inline]
    fn byte(&mut self) -> io::Result<u8> {
        let b = *self.inner.fill_buf()?.first().ok_or_else(eof)?;
        self.inner.consume(1);
        self.consumed += 1;
        Ok(b)
    }

    fn skip(&mut self, mut n: u64) -> io::Result<()> {
        self.consumed += n;
        while n > 0 {
            let available = self.inner.fill_buf()?.len();
            if available == 0 {
                return Err(eof());
            }
            let step = available.min(n.min(usize::MAX as u64) as usize);
            self.inner.consume(step);
            n -= step as u64;
        }
        Ok(())
    }

    fn position(&self) -> u64 {
        self.consumed
    }

    fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.inner.fill_buf()?.is_empty())
    }
}

/// [`varint`] on a slice, with the one-byte case first.
#[inline(always)]
fn slice_varint(buf: &[u8], at: &mut usize) -> Result<i32, WalkError> {
    match buf.get(*at) {
        Some(&b) if b < 0x80 => {
            *at += 1;
            Ok(((b >> 1) as i32) ^ -((b & 1) as i32))
        }
        _ => {
            let mut s = Slice { buf, at: *at };
            let v = varint(&mut s)?;
            *at = s.at;
            Ok(v)
        }
    }
}

/// A zigzag varint of at most 5 bytes, as Kafka's `ByteUtils.readVarint`.
#[inline(always)]
fn varint<S: Source>(s: &mut S) -> Result<i32, WalkError> {
    let mut value: u32 = 0;
    for i in 0..5 {
        let b = s.byte()?;
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(((value >> 1) as i32) ^ -((value & 1) as i32));
        }
    }
    Err(WalkError::Invalid("a varint is longer than 5 bytes".into()))
}

/// A zigzag varlong of at most 10 bytes.
#[inline(always)]
fn varlong<S: Source>(s: &mut S) -> Result<i64, WalkError> {
    let mut value: u64 = 0;
    for i in 0..10 {
        let b = s.byte()?;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(((value >> 1) as i64) ^ -((value & 1) as i64));
        }
    }
    Err(WalkError::Invalid(
        "a varlong is longer than 10 bytes".into(),
    ))
}

/// Snappy as Kafka clients send it: the Java client's xerial framing (a
/// 16-byte header, then length-prefixed raw blocks), or one raw block, which
/// librdkafka and the Java client both read as well. One block is held at a
/// time; its size is checked against what snappy can produce from its input
/// before anything is allocated.
struct SnappyReader<'a> {
    input: &'a [u8],
    framed: bool,
    block: Vec<u8>,
    at: usize,
    decoder: snap::raw::Decoder,
}

impl<'a> SnappyReader<'a> {
    fn new(input: &'a [u8]) -> Self {
        let framed = input.len() >= XERIAL_HEADER_LEN && input.starts_with(XERIAL_MAGIC);
        SnappyReader {
            input: if framed {
                &input[XERIAL_HEADER_LEN..]
            } else {
                input
            },
            framed,
            block: Vec::new(),
            at: 0,
            decoder: snap::raw::Decoder::new(),
        }
    }

    fn next_block(&mut self) -> io::Result<bool> {
        if self.input.is_empty() {
            return Ok(false);
        }
        let compressed = if self.framed {
            if self.input.len() < 4 {
                return Err(io::Error::other("a snappy block length is cut short"));
            }
            let len = u32::from_be_bytes(self.input[..4].try_into().unwrap()) as usize;
            if len > self.input.len() - 4 {
                return Err(io::Error::other(format!(
                    "a snappy block of {len} bytes runs past the batch"
                )));
            }
            let block = &self.input[4..4 + len];
            self.input = &self.input[4 + len..];
            block
        } else {
            std::mem::take(&mut self.input)
        };
        let len = snap::raw::decompress_len(compressed).map_err(io::Error::other)?;
        if len > compressed.len().saturating_mul(SNAPPY_MAX_EXPANSION) + 32 {
            return Err(io::Error::other(format!(
                "a snappy block of {} bytes claims {len} bytes of output",
                compressed.len()
            )));
        }
        self.block.clear();
        self.block.resize(len, 0);
        let n = self
            .decoder
            .decompress(compressed, &mut self.block)
            .map_err(io::Error::other)?;
        self.block.truncate(n);
        self.at = 0;
        Ok(true)
    }
}

impl Read for SnappyReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.block.len() {
            if !self.next_block()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.block.len() - self.at);
        out[..n].copy_from_slice(&self.block[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::storage::batch::{self, validate};
    use bytes::{Bytes, BytesMut};
    use kafka_protocol::records::{
        Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType,
    };

    const NOW: i64 = 1_700_000_000_000;

    fn rules() -> Rules {
        Rules {
            compacted: false,
            log_append_time: false,
            timestamp_before_max_ms: i64::MAX,
            timestamp_after_max_ms: 3_600_000,
            now_ms: NOW,
        }
    }

    fn record(i: usize, key: Option<&str>) -> Record {
        Record {
            transactional: false,
            control: false,
            delete_horizon: false,
            partition_leader_epoch: 0,
            producer_id: -1,
            producer_epoch: -1,
            timestamp_type: TimestampType::Creation,
            offset: i as i64,
            sequence: i as i32,
            timestamp: NOW + i as i64,
            key: key.map(|k| Bytes::from(k.to_string())),
            value: Some(Bytes::from(format!("value-{i}"))),
            headers: [(
                kafka_protocol::protocol::StrBytes::from_static_str("h"),
                Some(Bytes::from_static(b"v")),
            )]
            .into_iter()
            .collect(),
        }
    }

    fn encode(records: &[Record], compression: Compression) -> Vec<u8> {
        let mut buf = BytesMut::new();
        RecordBatchEncoder::encode(
            &mut buf,
            records,
            &RecordEncodeOptions {
                version: 2,
                compression,
            },
        )
        .unwrap();
        buf.to_vec()
    }

    fn check(b: &[u8], rules: &Rules) -> Result<Checked, Invalid> {
        let h = validate(b).expect("a whole batch with a valid CRC");
        check_batch(&h, b, rules)
    }

    /// Rewrites the CRC after a test edits the batch.
    fn fix_crc(b: &mut [u8]) {
        let crc = crc32c::crc32c(&b[21..]);
        b[17..21].copy_from_slice(&crc.to_be_bytes());
    }

    #[test]
    fn every_codec_is_walked_and_its_timestamps_found() {
        let records: Vec<Record> = (0..50).map(|i| record(i, Some("k"))).collect();
        for compression in [
            Compression::None,
            Compression::Gzip,
            Compression::Snappy,
            Compression::Lz4,
            Compression::Zstd,
        ] {
            let b = encode(&records, compression);
            assert_eq!(
                check(&b, &rules()),
                Ok(Checked {
                    max_timestamp: NOW + 49
                }),
                "{compression:?}"
            );
        }
    }

    #[test]
    fn a_count_that_lies_is_refused() {
        let records: Vec<Record> = (0..3).map(|i| record(i, None)).collect();
        for compression in [Compression::None, Compression::Zstd] {
            let mut b = encode(&records, compression);
            // One more record claimed than there are, with a matching delta.
            b[57..61].copy_from_slice(&4i32.to_be_bytes());
            b[23..27].copy_from_slice(&3i32.to_be_bytes());
            fix_crc(&mut b);
            let err = check(&b, &rules()).unwrap_err().to_string();
            assert!(err.contains("runs past the end"), "{compression:?}: {err}");
            // One fewer: data is left over.
            b[57..61].copy_from_slice(&2i32.to_be_bytes());
            b[23..27].copy_from_slice(&1i32.to_be_bytes());
            fix_crc(&mut b);
            let err = check(&b, &rules()).unwrap_err().to_string();
            assert!(err.contains("does not cover"), "{compression:?}: {err}");
        }
    }

    #[test]
    fn a_huge_last_offset_delta_and_a_huge_count_are_refused_without_allocating() {
        let mut b = encode(&[record(0, None)], Compression::None);
        b[23..27].copy_from_slice(&i32::MAX.to_be_bytes());
        fix_crc(&mut b);
        assert!(check(&b, &rules())
            .unwrap_err()
            .to_string()
            .contains("last offset delta"));
        b[57..61].copy_from_slice(&i32::MAX.to_be_bytes());
        b[23..27].copy_from_slice(&(i32::MAX - 1).to_be_bytes());
        fix_crc(&mut b);
        assert!(check(&b, &rules()).is_err());
    }

    #[test]
    fn unknown_codecs_garbage_bodies_and_control_flags_are_refused() {
        let b = encode(&[record(0, None)], Compression::None);
        let with_attributes = |attributes: i16| {
            let mut b = b.clone();
            b[21..23].copy_from_slice(&attributes.to_be_bytes());
            fix_crc(&mut b);
            b
        };
        let err = check(&with_attributes(7), &rules()).unwrap_err();
        assert!(err.to_string().contains("unknown compression codec 7"));
        for codec in 1..=4 {
            let err = check(&with_attributes(codec), &rules()).unwrap_err();
            assert!(
                err.to_string().contains("cannot be read") || err.to_string().contains("runs past"),
                "codec {codec}: {err}"
            );
        }
        let err = check(&with_attributes(CONTROL_FLAG), &rules()).unwrap_err();
        assert!(err.to_string().contains("control records"));
    }

    #[test]
    fn offset_deltas_must_count_up() {
        let mut b = encode(&[record(0, None), record(1, None)], Compression::None);
        // The second record's offset delta is the byte after its length,
        // attributes and one-byte timestamp delta.
        let first_len = b[HEADER_LEN] as usize / 2 + 1;
        let at = HEADER_LEN + first_len + 3;
        assert_eq!(b[at], 2, "zigzag 1");
        b[at] = 4;
        fix_crc(&mut b);
        let err = check(&b, &rules()).unwrap_err().to_string();
        assert!(err.contains("offset delta 2, expected 1"), "{err}");
    }

    #[test]
    fn keyless_records_on_a_compacted_topic_are_named() {
        let records: Vec<Record> = (0..10)
            .map(|i| record(i, (i % 3 != 0).then_some("k")))
            .collect();
        let compacted = Rules {
            compacted: true,
            ..rules()
        };
        let b = encode(&records, Compression::Lz4);
        match check(&b, &compacted) {
            Err(Invalid::Records { timestamp, errors }) => {
                assert!(!timestamp);
                let at: Vec<i32> = errors.iter().map(|e| e.batch_index).collect();
                assert_eq!(at, vec![0, 3, 6, 9]);
            }
            other => panic!("{other:?}"),
        }
        assert!(check(&b, &rules()).is_ok());
    }

    #[test]
    fn timestamps_out_of_range_are_named() {
        let mut future = record(1, None);
        future.timestamp = NOW + 3_600_001;
        let b = encode(&[record(0, None), future], Compression::None);
        match check(&b, &rules()) {
            Err(Invalid::Records { timestamp, errors }) => {
                assert!(timestamp);
                assert_eq!(errors.len(), 1);
                assert_eq!(errors[0].batch_index, 1);
                assert!(errors[0].message.contains("out of range"));
            }
            other => panic!("{other:?}"),
        }
        let past_limited = Rules {
            timestamp_before_max_ms: 1000,
            now_ms: NOW + 5000,
            ..rules()
        };
        assert!(check(
            &encode(&[record(0, None)], Compression::None),
            &past_limited
        )
        .is_err());
        let append_time = Rules {
            log_append_time: true,
            ..rules()
        };
        assert!(check(&b, &append_time).is_ok());
    }

    #[test]
    fn a_snappy_block_claiming_too_much_is_refused_before_allocating() {
        let mut body = Vec::new();
        // Raw snappy: a varint length of 2^32-1 and nothing else.
        body.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        let mut r = SnappyReader::new(&body);
        let err = r.read(&mut [0u8; 16]).unwrap_err();
        assert!(err.to_string().contains("claims"), "{err}");
    }

    #[test]
    fn the_crate_encoder_and_the_broker_agree_on_plain_batches() {
        let b = batch::encode_plain(&[(None, Some(Bytes::from_static(b"x")), NOW)]);
        assert!(check(&b, &rules()).is_ok());
    }
}
