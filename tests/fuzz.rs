//! The request path under arbitrary bytes: the connection's frame reader,
//! every served API's request decoder (at every served version), and the
//! produce validator.
//!
//! A deterministic mutational fuzzer, seeded with the real requests of
//! librdkafka, kafka-python and kafkajs in `tests/fuzz/corpus` (recorded by
//! `scripts/fuzz-corpus`). Every case must decode or be refused without a
//! panic, and the Rust heap it touches must stay within a small multiple of
//! the input (the allocation counter in `tests/main.rs`). Produce requests
//! are also mutated inside their record batches with the CRC fixed up
//! afterwards, so the record walk behind the CRC check is reached.
//!
//! CI runs 100,000 cases. For a long run:
//! `DQ_FUZZ_CASES=50000000 DQ_FUZZ_SEED=7 cargo test --release --test main fuzz:: -- --nocapture`
//! A failing case is written to `target/fuzz-failure-<seed>-<case>.bin`.

use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::{ApiKey, ProduceRequest, RequestHeader};
use kafka_protocol::protocol::{Decodable, Encodable};

use crate::alloc_track;

/// A Rust heap peak above this many times the input (plus a fixed allowance
/// for the decompressors' windows and buffers) is a failure.
const MAX_HEAP_RATIO: usize = 64;
const HEAP_ALLOWANCE: usize = 1 << 20;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus")
}

fn load_corpus() -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/fuzz/corpus exists (scripts/fuzz-corpus makes it)")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[i64] = &[
    0,
    1,
    -1,
    2,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    -0x8000,
    0xffff,
    0x7fff_ffff,
    -0x8000_0000,
    0x1_0000,
    61,
    12,
    i64::MAX,
    i64::MIN,
];

/// One random edit of `data`.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    if data.is_empty() {
        data.push(rng.next() as u8);
        return;
    }
    let at = rng.below(data.len());
    match rng.below(9) {
        0 => data[at] ^= 1 << rng.below(8),
        1 => data[at] = rng.next() as u8,
        2 | 3 => {
            let v = INTERESTING[rng.below(INTERESTING.len())];
            let width = [1usize, 2, 4, 8][rng.below(4)];
            let bytes = v.to_be_bytes();
            for i in 0..width.min(data.len() - at) {
                data[at + i] = bytes[8 - width + i];
            }
        }
        4 => {
            // A varint that claims the most it can.
            let v = [0xffu8, 0xff, 0xff, 0xff, 0x0f];
            for (i, b) in v.iter().enumerate().take(data.len() - at) {
                data[at + i] = *b;
            }
        }
        5 => data.truncate(at.max(1)),
        6 => {
            let n = 1 + rng.below(16);
            let end = (at + n).min(data.len());
            data.drain(at..end);
        }
        7 => {
            let n = 1 + rng.below(16);
            for _ in 0..n {
                data.insert(at, rng.next() as u8);
            }
        }
        _ => {
            // Splice in a piece of another request.
            if !other.is_empty() {
                let from = rng.below(other.len());
                let n = 1 + rng.below(64);
                let piece = &other[from..(from + n).min(other.len())];
                let end = (at + piece.len()).min(data.len());
                data.splice(at..end, piece.iter().copied());
            }
        }
    }
}

/// For a Produce frame: mutates inside the first record batch and fixes its
/// CRC, so that the mutation reaches the record walk. `None` for other frames.
fn mutate_produce_batch(rng: &mut Rng, frame: &[u8]) -> Option<Vec<u8>> {
    let mut body = Bytes::copy_from_slice(frame.get(4..)?);
    let key = i16::from_be_bytes([*body.first()?, *body.get(1)?]);
    let version = i16::from_be_bytes([body[2], body[3]]);
    if key != ApiKey::Produce as i16 {
        return None;
    }
    let header_version = ApiKey::Produce.request_header_version(version);
    let header = RequestHeader::decode(&mut body, header_version).ok()?;
    let mut request = ProduceRequest::decode(&mut body, version).ok()?;
    let records = request
        .topic_data
        .first_mut()?
        .partition_data
        .first_mut()?
        .records
        .as_mut()?;
    let mut batch = records.to_vec();
    if batch.len() < 61 {
        return None;
    }
    // Edit the attributes, the counts or the records, never the CRC itself.
    for _ in 0..1 + rng.below(3) {
        let mut tail = batch.split_off(21);
        mutate(rng, &mut tail, &[]);
        batch.extend_from_slice(&tail);
    }
    if batch.len() >= 61 {
        let len = (batch.len() - 12) as i32;
        batch[8..12].copy_from_slice(&len.to_be_bytes());
        let crc = crc32c::crc32c(&batch[21..]);
        batch[17..21].copy_from_slice(&crc.to_be_bytes());
    }
    *records = Bytes::from(batch);
    let mut out = BytesMut::new();
    out.extend_from_slice(&[0, 0, 0, 0]);
    header.encode(&mut out, header_version).ok()?;
    request.encode(&mut out, version).ok()?;
    let size = (out.len() - 4) as i32;
    out[..4].copy_from_slice(&size.to_be_bytes());
    Some(out.to_vec())
}

/// `--max-request-bytes` for the fuzz cases, the broker's default: a frame
/// may declare up to this much, but its buffer grows only with what arrives.
const MAX_FRAME: usize = 100 << 20;

/// Runs one input through the connection's frame reader and the decoder,
/// and returns the Rust heap peak it caused.
fn run_case(rt: &tokio::runtime::Runtime, input: &[u8]) -> usize {
    alloc_track::start();
    let frame = rt.block_on(dq::broker::connection::read_first_frame(input, MAX_FRAME));
    if let Ok(Some(body)) = frame {
        let _ = dq::broker::dispatch::decode_request(body);
    }
    alloc_track::stop()
}

/// A recorded frame's body (the corpus is whole frames).
fn frame_body(frame: &[u8]) -> Option<Bytes> {
    let size = i32::from_be_bytes(frame.get(..4)?.try_into().ok()?);
    let size = usize::try_from(size).ok()?;
    let body = frame.get(4..4 + size)?;
    Some(Bytes::copy_from_slice(body))
}

#[test]
fn no_request_crashes_the_decoder_or_grows_its_heap_beyond_a_small_multiple() {
    let corpus = load_corpus();
    assert!(
        corpus.len() >= 30,
        "the corpus in tests/fuzz/corpus has {} frames; run scripts/fuzz-corpus",
        corpus.len()
    );
    let cases: u64 = std::env::var("DQ_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let seed: u64 = std::env::var("DQ_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng(seed.max(1));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();

    // The unmutated corpus decodes: the recorded requests are real ones.
    let mut refused = Vec::new();
    for frame in &corpus {
        let body = frame_body(frame).expect("a recorded frame is whole");
        if let Err(e) = dq::broker::dispatch::decode_request(body) {
            refused.push(e.to_string());
        }
    }
    assert!(refused.is_empty(), "recorded requests refused: {refused:?}");

    let produce: Vec<&Vec<u8>> = corpus
        .iter()
        .filter(|f| f.get(4..6) == Some(&[0, 0][..]))
        .collect();
    assert!(produce.len() >= 10, "the corpus has Produce requests");
    let mut worst = (0f64, 0usize, 0usize);
    let mut largest = 0usize;
    let mut batch_cases = 0u64;
    for case in 0..cases {
        let base = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let in_batch = if rng.below(3) == 0 {
            let base = produce[rng.below(produce.len())];
            mutate_produce_batch(&mut rng, base)
        } else {
            None
        };
        let input = match in_batch {
            Some(frame) => {
                batch_cases += 1;
                frame
            }
            None => {
                let mut data = base.clone();
                for _ in 0..1 + rng.below(4) {
                    mutate(&mut rng, &mut data, other);
                }
                // Keep the length prefix honest half the time, so decoding
                // is reached rather than refused at the frame.
                if rng.below(2) == 0 && data.len() >= 4 {
                    let size = (data.len() - 4) as i32;
                    data[..4].copy_from_slice(&size.to_be_bytes());
                }
                data
            }
        };
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&rt, &input)));
        let peak = match outcome {
            Ok(peak) => peak,
            Err(_) => {
                alloc_track::stop();
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(format!("target/fuzz-failure-{seed}-{case}.bin"));
                let _ = std::fs::write(&path, &input);
                panic!(
                    "case {case} (seed {seed}) panicked; input saved to {}",
                    path.display()
                );
            }
        };
        let limit = MAX_HEAP_RATIO * input.len() + HEAP_ALLOWANCE;
        if peak > limit {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("target/fuzz-failure-{seed}-{case}.bin"));
            let _ = std::fs::write(&path, &input);
            panic!(
                "case {case} (seed {seed}): a {}-byte request took {peak} bytes of heap (limit {limit}); input saved to {}",
                input.len(),
                path.display()
            );
        }
        let ratio = peak as f64 / input.len().max(1) as f64;
        if ratio > worst.0 {
            worst = (ratio, peak, input.len());
        }
        largest = largest.max(peak);
    }
    println!(
        "fuzz: {cases} cases ({batch_cases} inside record batches), seed {seed}, 0 crashes; \
         largest heap peak {largest} bytes; largest relative to its input {:.1}x ({} bytes for {} bytes)",
        worst.0, worst.1, worst.2
    );
}

/// The requests that crashed the broker before the decoder was bounded:
/// each is refused now, and quickly.
#[test]
fn declared_counts_beyond_the_bytes_are_refused() {
    // Metadata v1: header, then a topics array claiming 2^31-1 entries.
    let mut frame = vec![0, 3, 0, 1, 0, 0, 0, 1, 0, 0];
    frame.extend_from_slice(&i32::MAX.to_be_bytes());
    let body = Bytes::from(frame);
    let peak = {
        alloc_track::start();
        let r = dq::broker::dispatch::decode_request(body);
        let peak = alloc_track::stop();
        let err = r.expect_err("a count of 2^31-1 in 4 bytes is malformed");
        assert!(
            err.to_string()
                .contains("larger than the 0 bytes that remain"),
            "{err}"
        );
        peak
    };
    assert!(peak < 64 * 1024, "{peak} bytes for a 14-byte request");
}
