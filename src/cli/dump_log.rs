//! `dq dump-log SEGMENT...`: the batches of segment files, as Kafka's
//! `kafka-dump-log.sh --files` prints them, and with `--records` every
//! record in them. Reading the files is the storage layer's batch walk (the
//! one recovery uses); this module only formats what it finds.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use clap::{Args, ValueEnum};
use serde_json::{json, Value};

use crate::broker::storage::batch::{self, BatchHeader, Frame, Frames};
use crate::broker::storage::segment;

#[derive(Debug, Args)]
pub struct DumpLogArgs {
    /// Segment files to read (a partition directory's `NNNNNNNNNNNNNNNNNNNN.log`).
    /// Reading is safe while `dq serve` runs.
    #[arg(required = true, value_name = "SEGMENT")]
    pub files: Vec<PathBuf>,

    /// Also print every record: offset, timestamp, key, value and headers
    /// (Kafka's --print-data-log); compressed batches are decompressed. A
    /// batch whose records cannot be decoded counts as invalid.
    #[arg(long)]
    pub records: bool,

    /// Exit 1 when any batch is invalid (bad length, magic, CRC-32C or
    /// offsets; with --records, records that do not decode), naming each;
    /// 0 when every batch checks out.
    #[arg(long)]
    pub verify: bool,

    /// `text` prints kafka-dump-log.sh's lines; `json` one object per batch
    /// (see docs/json.md).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// An invalid batch (or unframeable bytes), for `--verify`'s error.
struct Bad {
    file: PathBuf,
    position: u64,
    offset: Option<i64>,
    reason: String,
}

pub fn run(args: DumpLogArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut bad = Vec::new();
    for path in &args.files {
        dump(path, &args, &mut out, &mut bad)?;
    }
    out.flush()?;
    if args.verify && !bad.is_empty() {
        let named: Vec<String> = bad
            .iter()
            .take(10)
            .map(|b| {
                let offset = b
                    .offset
                    .map_or(String::new(), |o| format!(", base offset {o}"));
                format!(
                    "{} at position {}{offset}: {}",
                    b.file.display(),
                    b.position,
                    b.reason
                )
            })
            .collect();
        let more = if bad.len() > 10 {
            format!("; and {} more", bad.len() - 10)
        } else {
            String::new()
        };
        bail!(
            "{} invalid batch{}: {}{more}",
            bad.len(),
            if bad.len() == 1 { "" } else { "es" },
            named.join("; ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dump(
    path: &Path,
    args: &DumpLogArgs,
    out: &mut impl Write,
    bad: &mut Vec<Bad>,
) -> anyhow::Result<()> {
    let file =
        File::open(path).with_context(|| format!("cannot open segment file {}", path.display()))?;
    let meta = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_dir() {
        bail!(
            "{} is a directory: name its segment files (for example {}/{})",
            path.display(),
            path.display(),
            segment::file_name(0, "log")
        );
    }
    let Some(base_offset) = segment::base_offset_of(path) else {
        bail!(
            "{} is not a segment file: dq dump-log reads a partition's record batch files, \
             named by their base offset like {}",
            path.display(),
            segment::file_name(0, "log")
        );
    };
    let file_name = path.display().to_string();
    if args.output == Output::Text {
        writeln!(out, "Dumping {file_name}")?;
        writeln!(out, "Log starting offset: {base_offset}")?;
    }
    let mut frames = Frames::new(&file, 0, meta.len(), base_offset, base_offset)
        .with_context(|| format!("cannot read {}", path.display()))?;
    while let Some(frame) = frames
        .next_frame()
        .with_context(|| format!("cannot read {}", path.display()))?
    {
        match frame {
            Frame::Batch {
                position,
                header,
                mut problem,
            } => {
                let mut raw = vec![0u8; header.total_len()];
                file.read_exact_at(&mut raw, position)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let records = if args.records {
                    match batch::decode_records(Bytes::from(raw.clone())) {
                        Ok(r) => Some(r),
                        Err(e) => {
                            problem.get_or_insert(e);
                            None
                        }
                    }
                } else {
                    None
                };
                if let Some(reason) = &problem {
                    bad.push(Bad {
                        file: path.to_path_buf(),
                        position,
                        offset: Some(header.base_offset),
                        reason: reason.clone(),
                    });
                }
                let view = BatchView {
                    file: &file_name,
                    position,
                    header: &header,
                    raw: &raw,
                    problem: problem.as_deref(),
                    records: records.as_deref(),
                };
                match args.output {
                    Output::Text => view.write_text(out)?,
                    Output::Json => writeln!(out, "{}", view.json())?,
                }
            }
            Frame::Broken {
                position,
                bytes,
                reason,
            } => {
                bad.push(Bad {
                    file: path.to_path_buf(),
                    position,
                    offset: None,
                    reason: reason.clone(),
                });
                match args.output {
                    Output::Text => writeln!(
                        out,
                        "position: {position} size: {bytes} isValid: false error: {reason} \
                         (not a whole batch; recovery would cut the file here)"
                    )?,
                    Output::Json => writeln!(
                        out,
                        "{}",
                        json!({"file": file_name, "position": position, "bytes": bytes, "error": reason})
                    )?,
                }
            }
        }
    }
    Ok(())
}

struct BatchView<'a> {
    file: &'a str,
    position: u64,
    header: &'a BatchHeader,
    raw: &'a [u8],
    problem: Option<&'a str>,
    records: Option<&'a [kafka_protocol::records::Record]>,
}

impl BatchView<'_> {
    fn last_sequence(&self) -> i32 {
        let h = self.header;
        if h.base_sequence < 0 {
            -1
        } else {
            h.base_sequence.wrapping_add(h.last_offset_delta)
        }
    }

    fn timestamp_type(&self) -> &'static str {
        if self.header.is_log_append_time() {
            "LogAppendTime"
        } else {
            "CreateTime"
        }
    }

    fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        let h = self.header;
        write!(
            out,
            "baseOffset: {} lastOffset: {} count: {} baseSequence: {} lastSequence: {} \
             producerId: {} producerEpoch: {} partitionLeaderEpoch: {} isTransactional: {} \
             isControl: {} position: {} {}: {} size: {} magic: {} compresscodec: {} crc: {} isValid: {}",
            h.base_offset,
            h.last_offset(),
            h.record_count,
            h.base_sequence,
            self.last_sequence(),
            h.producer_id,
            h.producer_epoch,
            batch::partition_leader_epoch(self.raw).unwrap_or(-1),
            h.is_transactional(),
            h.is_control(),
            self.position,
            self.timestamp_type(),
            h.max_timestamp,
            h.total_len(),
            h.magic,
            batch::codec_name(h.attributes),
            h.crc,
            self.problem.is_none(),
        )?;
        match self.problem {
            Some(p) => writeln!(out, " error: {p}")?,
            None => writeln!(out)?,
        }
        for r in self.records.unwrap_or_default() {
            let headers: Vec<String> = r
                .headers
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={}", String::from_utf8_lossy(v)),
                    None => k.to_string(),
                })
                .collect();
            writeln!(
                out,
                "| offset: {} {}: {} keySize: {} valueSize: {} sequence: {} headers: [{}] key: {} payload: {}",
                r.offset,
                self.timestamp_type(),
                r.timestamp,
                r.key.as_ref().map_or(-1, |k| k.len() as i64),
                r.value.as_ref().map_or(-1, |v| v.len() as i64),
                // The decoder numbers records even in batches without one.
                if self.header.base_sequence < 0 { -1 } else { r.sequence },
                headers.join(", "),
                r.key.as_ref().map_or("null".into(), |k| String::from_utf8_lossy(k)),
                r.value.as_ref().map_or("null".into(), |v| String::from_utf8_lossy(v)),
            )?;
        }
        Ok(())
    }

    fn json(&self) -> Value {
        let h = self.header;
        let records = self.records.map(|records| {
            records
                .iter()
                .map(|r| {
                    let headers: Vec<Value> = r
                        .headers
                        .iter()
                        .map(
                            |(k, v)| json!({"key": k.to_string(), "value": bytes_json(v.as_ref())}),
                        )
                        .collect();
                    json!({
                        "offset": r.offset,
                        "timestamp": r.timestamp,
                        "key": bytes_json(r.key.as_ref()),
                        "value": bytes_json(r.value.as_ref()),
                        "headers": headers,
                    })
                })
                .collect::<Vec<Value>>()
        });
        json!({
            "file": self.file,
            "position": self.position,
            "base_offset": h.base_offset,
            "last_offset": h.last_offset(),
            "count": h.record_count,
            "size": h.total_len(),
            "magic": h.magic,
            "codec": batch::codec_name(h.attributes),
            "crc": h.crc,
            "valid": self.problem.is_none(),
            "error": self.problem,
            "producer_id": h.producer_id,
            "producer_epoch": h.producer_epoch,
            "base_sequence": h.base_sequence,
            "last_sequence": self.last_sequence(),
            "partition_leader_epoch": batch::partition_leader_epoch(self.raw),
            "transactional": h.is_transactional(),
            "control": h.is_control(),
            "timestamp_type": self.timestamp_type(),
            "base_timestamp": h.base_timestamp,
            "max_timestamp": h.max_timestamp,
            "records": records,
        })
    }
}

/// A key or value as `dq consume --output json` prints it: a string when
/// UTF-8, `{"base64": …}` when not, `null` when absent.
fn bytes_json(bytes: Option<&Bytes>) -> Value {
    match bytes {
        None => Value::Null,
        Some(b) => match std::str::from_utf8(b) {
            Ok(s) => Value::String(s.to_string()),
            Err(_) => json!({"base64": BASE64.encode(b)}),
        },
    }
}
