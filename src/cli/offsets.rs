//! `dq offsets TOPIC...`: each partition's earliest and latest offsets, or
//! the offset at a time (kafka-get-offsets.sh `--time`), and deleting the
//! records before an offset (kafka-delete-records.sh).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::args::ConnectionArgs;
use super::confirm::confirm;
use crate::client::groups::Cluster;
use crate::output::table::{self, cell};
use crate::output::time::parse_iso;

#[derive(Debug, Args)]
pub struct OffsetsArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Topics to look at.
    #[arg(required = true, value_name = "TOPIC")]
    pub topics: Vec<String>,

    /// Only these partitions (every one by default); repeatable or
    /// comma-separated.
    #[arg(
        short = 'p',
        long = "partition",
        value_name = "N",
        value_delimiter = ','
    )]
    pub partitions: Vec<i32>,

    /// Also the offset at a time: -1 (latest), -2 (earliest), milliseconds
    /// since the epoch, or ISO-8601 (UTC unless it names a zone). The offset
    /// is the first record's whose timestamp is at or after it.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = parse_time, conflicts_with = "delete_before")]
    pub time: Option<At>,

    /// Delete every record before this offset (`end`: all of them); the
    /// log start offset moves there. Asks first on a terminal.
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true, value_parser = parse_delete_before)]
    pub delete_before: Option<i64>,

    /// Do not ask for confirmation before deleting.
    #[arg(short = 'y', long, requires = "delete_before")]
    pub yes: bool,

    /// `plain` prints kafka-get-offsets.sh's TOPIC:PARTITION:OFFSET lines
    /// (the offset at --time, else the latest).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Columns for people (`table` is accepted too).
    #[value(alias = "table")]
    Text,
    Json,
    Plain,
}

/// What `--time` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Latest,
    Earliest,
    Millis(i64),
}

fn parse_time(s: &str) -> Result<At, String> {
    match s {
        "-1" | "latest" => return Ok(At::Latest),
        "-2" | "earliest" => return Ok(At::Earliest),
        _ => {}
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse()
            .map(At::Millis)
            .map_err(|_| format!("'{s}' is out of range"));
    }
    parse_iso(s).map(At::Millis).ok_or_else(|| {
        format!("'{s}' is not a time: -1 (latest), -2 (earliest), milliseconds since the epoch, or ISO-8601 like 2024-05-01T12:00:00Z")
    })
}

fn parse_delete_before(s: &str) -> Result<i64, String> {
    match s {
        "end" | "latest" | "-1" => Ok(-1),
        _ => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("'{s}' is not an offset (a number >= 0, or `end`)")),
    }
}

#[derive(Debug, Serialize)]
struct Row {
    topic: String,
    partition: i32,
    earliest: i64,
    latest: i64,
    /// Where read_committed readers stop: below `latest` while a
    /// transaction is open.
    last_stable: i64,
    /// The offset at `--time`; null without it, or when no record is that recent.
    offset_at_time: Option<i64>,
}

#[derive(Debug, Serialize)]
struct Report {
    /// `--time` in milliseconds (-1 latest, -2 earliest); null without it.
    time: Option<i64>,
    partitions: Vec<Row>,
}

#[derive(Debug, Serialize)]
struct Deleted {
    topic: String,
    partition: i32,
    /// The log start offset after the deletion.
    low_watermark: Option<i64>,
    error: Option<String>,
}

pub fn run(args: OffsetsArgs) -> anyhow::Result<ExitCode> {
    let (options, _) = args.connection.split(&[])?;
    let cluster = Cluster::connect(&options)?;
    let mut keys = Vec::new();
    for topic in &args.topics {
        let count = cluster.partition_count(topic)?;
        if args.partitions.is_empty() {
            keys.extend((0..count).map(|p| (topic.clone(), p)));
        } else {
            for p in &args.partitions {
                if *p < 0 || *p >= count {
                    bail!(
                        "--partition {p} does not exist: topic '{topic}' has {count} partition(s)"
                    );
                }
                keys.push((topic.clone(), *p));
            }
        }
    }
    if let Some(before) = args.delete_before {
        return delete_before(&cluster, &keys, before, args.yes, args.output);
    }

    let by_time = match args.time {
        Some(At::Millis(ms)) => cluster.offsets_for_time(&keys, ms)?,
        _ => vec![None; keys.len()],
    };
    let mut rows = Vec::with_capacity(keys.len());
    for ((topic, partition), at_time) in keys.into_iter().zip(by_time) {
        let w = cluster.watermarks(&topic, partition)?;
        let last_stable = cluster.last_stable_offset(&topic, partition)?;
        let offset_at_time = match args.time {
            None => None,
            Some(At::Latest) => Some(w.latest),
            Some(At::Earliest) => Some(w.earliest),
            Some(At::Millis(_)) => at_time,
        };
        rows.push(Row {
            topic,
            partition,
            earliest: w.earliest,
            latest: w.latest,
            last_stable,
            offset_at_time,
        });
    }
    let time = args.time.map(|t| match t {
        At::Latest => -1,
        At::Earliest => -2,
        At::Millis(ms) => ms,
    });
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => table::write_json(
            &mut out,
            &Report {
                time,
                partitions: rows,
            },
        )?,
        Output::Plain => {
            for r in &rows {
                let offset = if time.is_some() {
                    r.offset_at_time
                } else {
                    Some(r.latest)
                };
                // kafka-get-offsets.sh leaves out partitions with no answer.
                if let Some(o) = offset {
                    writeln!(out, "{}:{}:{o}", r.topic, r.partition)?;
                }
            }
        }
        Output::Text => {
            let mut headers = vec!["TOPIC", "PARTITION", "EARLIEST", "LATEST"];
            // Only where an open transaction holds read_committed readers
            // back, as most topics never have one.
            let lagging = rows.iter().any(|r| r.last_stable < r.latest);
            if lagging {
                headers.push("LAST-STABLE");
            }
            if time.is_some() {
                headers.push("OFFSET-AT-TIME");
            }
            let mut t = table::new(&headers);
            for r in &rows {
                let mut row = vec![
                    r.topic.clone(),
                    r.partition.to_string(),
                    r.earliest.to_string(),
                    r.latest.to_string(),
                ];
                if lagging {
                    row.push(r.last_stable.to_string());
                }
                if time.is_some() {
                    row.push(cell(r.offset_at_time));
                }
                t.add_row(row);
            }
            table::write(&mut out, &t)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn delete_before(
    cluster: &Cluster,
    keys: &[(String, i32)],
    before: i64,
    yes: bool,
    output: Output,
) -> anyhow::Result<ExitCode> {
    let what = if before < 0 {
        "every record".to_string()
    } else {
        format!("the records before offset {before}")
    };
    if !confirm(
        &format!("Delete {what} in {} partition(s)?", keys.len()),
        yes,
    )? {
        eprintln!("Nothing deleted.");
        return Ok(ExitCode::FAILURE);
    }
    let offsets: Vec<((String, i32), i64)> = keys.iter().map(|k| (k.clone(), before)).collect();
    let results = cluster.delete_records(&offsets)?;
    let rows: Vec<Deleted> = keys
        .iter()
        .zip(results)
        .map(|((topic, partition), r)| {
            let (low_watermark, error) = match r {
                Ok(o) => (Some(o), None),
                Err(e) => (None, Some(e)),
            };
            Deleted {
                topic: topic.clone(),
                partition: *partition,
                low_watermark,
                error,
            }
        })
        .collect();
    let mut out = io::stdout().lock();
    match output {
        Output::Json => table::write_json(&mut out, &rows)?,
        Output::Plain => {
            for r in &rows {
                match (&r.low_watermark, &r.error) {
                    (Some(o), _) => writeln!(
                        out,
                        "partition: {}-{}\tlow_watermark: {o}",
                        r.topic, r.partition
                    )?,
                    (None, e) => writeln!(
                        out,
                        "partition: {}-{}\terror: {}",
                        r.topic,
                        r.partition,
                        e.as_deref().unwrap_or("")
                    )?,
                }
            }
        }
        Output::Text => {
            let mut t = table::new(&["TOPIC", "PARTITION", "LOW-WATERMARK", "STATUS"]);
            for r in &rows {
                t.add_row(vec![
                    r.topic.clone(),
                    r.partition.to_string(),
                    cell(r.low_watermark),
                    r.error.clone().unwrap_or_else(|| "Deleted".to_string()),
                ]);
            }
            table::write(&mut out, &t)?;
        }
    }
    out.flush()?;
    let failed: Vec<&Deleted> = rows.iter().filter(|r| r.error.is_some()).collect();
    if let Some(first) = failed.first() {
        bail!(
            "cannot delete records in {} partition(s), first {}-{}: {}",
            failed.len(),
            first.topic,
            first.partition,
            first.error.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_offsets_parse() {
        assert_eq!(parse_time("-1"), Ok(At::Latest));
        assert_eq!(parse_time("-2"), Ok(At::Earliest));
        assert_eq!(
            parse_time("1714564800000"),
            Ok(At::Millis(1_714_564_800_000))
        );
        assert_eq!(
            parse_time("2024-05-01T12:00:00Z"),
            Ok(At::Millis(1_714_564_800_000))
        );
        assert!(parse_time("-3").is_err());
        assert_eq!(parse_delete_before("end"), Ok(-1));
        assert_eq!(parse_delete_before("5"), Ok(5));
        assert!(parse_delete_before("-5").is_err());
    }
}
