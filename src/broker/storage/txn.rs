//! The log side of transactions in Kafka's formats: the COMMIT/ABORT control
//! batches a transaction coordinator writes to end a transaction on a
//! partition, and the `.txnindex` file beside each segment that lists the
//! transactions aborted in it (what a read_committed fetch must be told).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::batch::{self, BatchHeader, HEADER_LEN, LOG_OVERHEAD};

/// Batch attribute bits (Kafka's `DefaultRecordBatch`).
pub const TRANSACTIONAL_FLAG: i16 = 0x10;
pub const CONTROL_FLAG: i16 = 0x20;

/// Control record types (Kafka's `ControlRecordType`).
const ABORT: i16 = 0;
const COMMIT: i16 = 1;

/// A COMMIT or ABORT marker as read from a control batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub commit: bool,
    pub coordinator_epoch: i32,
}

/// One control batch holding one end-transaction marker, with offsets
/// starting at 0 (the log assigns the real one). The layout is Kafka's:
/// key = (version 0, type), value = (version 0, coordinator epoch), base
/// sequence -1, attributes control + transactional.
pub fn encode_marker(
    producer_id: i64,
    producer_epoch: i16,
    marker: Marker,
    timestamp: i64,
) -> Vec<u8> {
    let mut record = Vec::with_capacity(20);
    record.push(0); // attributes
    record.push(0); // timestamp delta, varint 0
    record.push(0); // offset delta, varint 0
    push_varint(&mut record, 4);
    record.extend_from_slice(&0i16.to_be_bytes());
    record.extend_from_slice(&(if marker.commit { COMMIT } else { ABORT }).to_be_bytes());
    push_varint(&mut record, 6);
    record.extend_from_slice(&0i16.to_be_bytes());
    record.extend_from_slice(&marker.coordinator_epoch.to_be_bytes());
    push_varint(&mut record, 0); // headers
    let mut body = Vec::with_capacity(record.len() + 2);
    push_varint(&mut body, record.len() as i64);
    body.extend_from_slice(&record);

    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&0i64.to_be_bytes()); // base offset
    out.extend_from_slice(&((HEADER_LEN - LOG_OVERHEAD + body.len()) as i32).to_be_bytes());
    out.extend_from_slice(&0i32.to_be_bytes()); // partition leader epoch
    out.push(2); // magic
    out.extend_from_slice(&0u32.to_be_bytes()); // crc, filled below
    out.extend_from_slice(&(CONTROL_FLAG | TRANSACTIONAL_FLAG).to_be_bytes());
    out.extend_from_slice(&0i32.to_be_bytes()); // last offset delta
    out.extend_from_slice(&timestamp.to_be_bytes());
    out.extend_from_slice(&timestamp.to_be_bytes());
    out.extend_from_slice(&producer_id.to_be_bytes());
    out.extend_from_slice(&producer_epoch.to_be_bytes());
    out.extend_from_slice(&(-1i32).to_be_bytes()); // base sequence
    out.extend_from_slice(&1i32.to_be_bytes()); // record count
    out.extend_from_slice(&body);
    let crc = batch::crc_of(&out).expect("a whole batch was just built");
    out[17..21].copy_from_slice(&crc.to_be_bytes());
    out
}

/// The end-transaction marker in a control batch, given the batch's bytes
/// (header included). `None` for a control batch of another kind (Kafka
/// also uses them for KRaft records) or an empty one, whose transaction the
/// cleaner has removed entirely.
pub fn parse_marker(h: &BatchHeader, bytes: &[u8]) -> Option<Marker> {
    if !h.is_control() || h.record_count < 1 {
        return None;
    }
    let mut at = HEADER_LEN;
    let _length = read_varint(bytes, &mut at)?;
    at += 1; // attributes
    read_varint(bytes, &mut at)?; // timestamp delta
    read_varint(bytes, &mut at)?; // offset delta
    let key_len = read_varint(bytes, &mut at)?;
    if key_len < 4 {
        return None;
    }
    let key = bytes.get(at..at + key_len as usize)?;
    let kind = i16::from_be_bytes([key[2], key[3]]);
    at += key_len as usize;
    let value_len = read_varint(bytes, &mut at)?;
    if value_len < 6 {
        return None;
    }
    let value = bytes.get(at..at + 6)?;
    let coordinator_epoch = i32::from_be_bytes(value[2..6].try_into().unwrap());
    match kind {
        ABORT => Some(Marker {
            commit: false,
            coordinator_epoch,
        }),
        COMMIT => Some(Marker {
            commit: true,
            coordinator_epoch,
        }),
        _ => None,
    }
}

fn push_varint(out: &mut Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    loop {
        if z < 0x80 {
            out.push(z as u8);
            return;
        }
        out.push((z as u8 & 0x7f) | 0x80);
        z >>= 7;
    }
}

fn read_varint(buf: &[u8], at: &mut usize) -> Option<i64> {
    let mut z: u64 = 0;
    for shift in (0..70).step_by(7) {
        let b = *buf.get(*at)?;
        *at += 1;
        z |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some((z >> 1) as i64 ^ -((z & 1) as i64));
        }
    }
    None
}

/// One aborted transaction on a partition, as Kafka's `AbortedTxn`:
/// its records lie in `first_offset..=last_offset` (the last is the ABORT
/// marker), and `last_stable_offset` was the LSO once it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbortedTxn {
    pub producer_id: i64,
    pub first_offset: i64,
    pub last_offset: i64,
    pub last_stable_offset: i64,
}

/// Bytes of one `.txnindex` entry: version i16 and four i64s.
pub const ENTRY_LEN: usize = 34;
const INDEX_VERSION: i16 = 0;

impl AbortedTxn {
    pub fn to_bytes(self) -> [u8; ENTRY_LEN] {
        let mut b = [0u8; ENTRY_LEN];
        b[0..2].copy_from_slice(&INDEX_VERSION.to_be_bytes());
        b[2..10].copy_from_slice(&self.producer_id.to_be_bytes());
        b[10..18].copy_from_slice(&self.first_offset.to_be_bytes());
        b[18..26].copy_from_slice(&self.last_offset.to_be_bytes());
        b[26..34].copy_from_slice(&self.last_stable_offset.to_be_bytes());
        b
    }

    fn from_bytes(b: &[u8]) -> Option<AbortedTxn> {
        if b.len() < ENTRY_LEN || i16::from_be_bytes([b[0], b[1]]) != INDEX_VERSION {
            return None;
        }
        let at = |i: usize| i64::from_be_bytes(b[i..i + 8].try_into().unwrap());
        Some(AbortedTxn {
            producer_id: at(2),
            first_offset: at(10),
            last_offset: at(18),
            last_stable_offset: at(26),
        })
    }
}

/// Reads a `.txnindex` file. A torn last entry (a crash mid-write) or one
/// with an unknown version ends the list: what follows is rebuilt from the
/// log by recovery.
pub fn read_index(path: &Path) -> io::Result<Vec<AbortedTxn>> {
    let bytes = fs::read(path)?;
    Ok(bytes
        .chunks(ENTRY_LEN)
        .map_while(AbortedTxn::from_bytes)
        .collect())
}

/// Appends one entry to a `.txnindex` file (created when missing).
pub fn append_index(path: &Path, entry: AbortedTxn) -> io::Result<()> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    f.write_all(&entry.to_bytes())
}

/// Replaces a `.txnindex` file with `entries`, through a rename.
pub fn write_index(path: &Path, entries: &[AbortedTxn]) -> io::Result<()> {
    let tmp = path.with_extension("txnindex.tmp");
    let mut f = File::create(&tmp)?;
    for e in entries {
        f.write_all(&e.to_bytes())?;
    }
    f.sync_data()?;
    fs::rename(&tmp, path)
}

/// Forces a `.txnindex` to disk (before a snapshot that relies on it),
/// creating it empty when missing.
pub fn sync_index(path: &Path) -> io::Result<()> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_round_trips_and_is_a_valid_batch() {
        for commit in [true, false] {
            let m = Marker {
                commit,
                coordinator_epoch: 7,
            };
            let bytes = encode_marker(42, 3, m, 1_700_000_000_000);
            let h = batch::validate(&bytes).expect("valid v2 batch");
            assert!(h.is_control() && h.is_transactional());
            assert_eq!(
                (h.producer_id, h.producer_epoch, h.base_sequence),
                (42, 3, -1)
            );
            assert_eq!(h.record_count, 1);
            assert_eq!(parse_marker(&h, &bytes), Some(m));
            // The records decode with the protocol crate as a control record.
            let records = batch::decode_records(bytes::Bytes::from(bytes)).unwrap();
            assert_eq!(records.len(), 1);
            assert!(records[0].control);
            let key = records[0].key.as_ref().unwrap();
            assert_eq!(&key[..], &[0, 0, 0, if commit { 1 } else { 0 }]);
        }
    }

    #[test]
    fn the_index_keeps_whole_entries_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("00000000000000000000.txnindex");
        let a = AbortedTxn {
            producer_id: 1,
            first_offset: 5,
            last_offset: 9,
            last_stable_offset: 10,
        };
        let b = AbortedTxn {
            producer_id: 2,
            first_offset: 6,
            last_offset: 12,
            last_stable_offset: 13,
        };
        append_index(&path, a).unwrap();
        append_index(&path, b).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().len(), 2 * ENTRY_LEN as u64);
        // A torn third entry is ignored.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&[0, 0, 1, 2]).unwrap();
        assert_eq!(read_index(&path).unwrap(), vec![a, b]);
        write_index(&path, &[b]).unwrap();
        assert_eq!(read_index(&path).unwrap(), vec![b]);
    }
}
