//! `dq consume TOPIC...`: records from one or more topics to stdout, in
//! Kafka's console layout, a kcat format string, or JSON envelopes; follows
//! the topic like `tail -f` unless told where to stop.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use super::args::{parse_duration, ConnectionArgs};
use super::{interrupt, usage_error};
use crate::client::consumer::{topic_pattern, ConsumerSettings, Polled, RecordConsumer, StartAt};
use crate::client::share_consumer::{Ack, ShareConsumer, ShareSettings};
use crate::client::ClientOptions;
use crate::output::console::CONSUMER_PROPERTIES;
use crate::output::time::parse_iso;
use crate::output::{ConsoleLayout, Pattern, RecordFormat, TimeFormat};

/// The most records one share fetch acquires: Kafka's `max.poll.records`
/// default. Each is locked for this member until it is acknowledged.
const SHARE_MAX_RECORDS: i32 = 500;
/// How long a share fetch waits at the broker for records; also how soon
/// a signal is noticed.
const SHARE_MAX_WAIT: Duration = Duration::from_millis(500);

#[derive(Debug, Args)]
pub struct ConsumeArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Topics to read.
    #[arg(value_name = "TOPIC", required_unless_present = "include")]
    pub topics: Vec<String>,

    /// Also read every topic whose whole name matches this regular expression.
    #[arg(long, value_name = "REGEX", visible_alias = "whitelist")]
    pub include: Option<String>,

    /// Consume as part of this consumer group: start from its committed
    /// offsets and commit what was read.
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: Option<String>,

    /// Read as a member of this share group (KIP-932, a queue): the broker
    /// hands each record to one member at a time, and each record written
    /// out is acknowledged as accepted. The group decides where reading
    /// starts (its share.auto.offset.reset config, latest by default).
    #[arg(
        long,
        value_name = "GROUP",
        conflicts_with_all = ["group", "offset", "from_beginning", "partitions", "include", "isolation_level"]
    )]
    pub share_group: Option<String>,

    /// With --share-group: what happens to records fetched but not written
    /// out (past --max-messages, or when a signal or a closed pipe stops
    /// the command): `release` hands them back to the group for another
    /// delivery, `reject` archives them (onto the group's dead-letter topic
    /// when it has one) [default: release].
    #[arg(long, value_enum, value_name = "ACK", requires = "share_group")]
    pub ack: Option<UnfinishedAck>,

    /// The group's rebalance protocol: `classic` (JoinGroup/SyncGroup, every
    /// broker) or `consumer` (Kafka 4's KIP-848 protocol, with server-side
    /// assignment). librdkafka's default, `classic`, when not given.
    #[arg(
        long,
        value_enum,
        value_name = "PROTOCOL",
        requires = "group",
        conflicts_with = "share_group"
    )]
    pub group_protocol: Option<GroupProtocol>,

    /// Start at the earliest record (with a group: when it has no committed offset).
    #[arg(long, conflicts_with = "offset")]
    pub from_beginning: bool,

    /// Where to start: beginning, end, N (an offset), -N (N records before
    /// the end), or @TIME (ISO-8601, milliseconds since the epoch, or
    /// relative like @-1h).
    #[arg(short = 'o', long, value_name = "OFFSET", allow_hyphen_values = true, value_parser = parse_start)]
    pub offset: Option<StartAt>,

    /// Read only this partition; repeatable.
    #[arg(
        short = 'p',
        long = "partition",
        value_name = "N",
        conflicts_with = "group"
    )]
    pub partitions: Vec<i32>,

    /// Stop after this many records.
    #[arg(short = 'n', long, value_name = "N")]
    pub max_messages: Option<u64>,

    /// Stop when no record arrives for this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,

    /// Stop once every partition has been read up to where it ended when
    /// the command started; with --share-group, at the first fetch that
    /// brings nothing (every record is delivered, or held by other members).
    #[arg(short = 'e', long)]
    pub exit_at_end: bool,

    /// `read_committed` (librdkafka's default) delivers the records of
    /// committed transactions only, and stops at the first record of a
    /// transaction still open; `read_uncommitted` delivers every record,
    /// aborted ones too [default: read_committed]. A share group's
    /// share.isolation.level config decides for its members.
    #[arg(long, value_enum)]
    pub isolation_level: Option<Isolation>,

    /// kcat-style format: %t topic, %p partition, %o offset, %k key, %s value,
    /// %h headers, %T timestamp, %K/%S key/value length, and escapes like \n.
    #[arg(
        short = 'f',
        long = "format",
        value_name = "FORMAT",
        conflicts_with = "output"
    )]
    pub format: Option<String>,

    /// `text`: the value (or Kafka's print.* layout); `json`: one envelope per line.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Timestamps as milliseconds since the epoch or as ISO-8601 (UTC).
    #[arg(long, value_enum, default_value_t = TimeArg::Ms)]
    pub time_format: TimeArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Isolation {
    #[value(name = "read_uncommitted")]
    ReadUncommitted,
    #[value(name = "read_committed")]
    ReadCommitted,
}

/// How `--share-group` settles the records it does not finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnfinishedAck {
    Release,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupProtocol {
    Classic,
    Consumer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimeArg {
    Ms,
    Iso,
}

/// `beginning`, `end`, `N`, `-N`, `@TIME`.
pub fn parse_start(s: &str) -> Result<StartAt, String> {
    let bad = || {
        format!("'{s}' is not an offset (beginning, end, N, -N, @2024-05-01T12:00:00Z, @1714564800000 or @-1h)")
    };
    match s {
        "beginning" | "earliest" | "smallest" => return Ok(StartAt::Beginning),
        "end" | "latest" | "largest" => return Ok(StartAt::End),
        _ => {}
    }
    if let Some(time) = s.strip_prefix('@') {
        if let Some(ago) = time.strip_prefix('-') {
            let ago = parse_duration(ago).map_err(|_| bad())?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| "the system clock is before 1970".to_string())?;
            return Ok(StartAt::Timestamp(
                now.saturating_sub(ago).as_millis() as i64
            ));
        }
        if !time.is_empty() && time.bytes().all(|b| b.is_ascii_digit()) {
            return time.parse().map(StartAt::Timestamp).map_err(|_| bad());
        }
        return parse_iso(time).map(StartAt::Timestamp).ok_or_else(bad);
    }
    if let Some(n) = s.strip_prefix('-') {
        return n.parse::<i64>().map(StartAt::Tail).map_err(|_| bad());
    }
    s.parse::<i64>().map(StartAt::Offset).map_err(|_| bad())
}

fn record_format(
    args: &ConsumeArgs,
    properties: &[(String, String)],
) -> anyhow::Result<RecordFormat> {
    let time = match args.time_format {
        TimeArg::Ms => TimeFormat::Millis,
        TimeArg::Iso => TimeFormat::Iso,
    };
    if (args.format.is_some() || args.output == OutputFormat::Json) && !properties.is_empty() {
        return Err(usage_error(format!(
            "--property {} sets the console layout, which -f and --output json replace",
            properties[0].0
        )));
    }
    if let Some(f) = &args.format {
        return Ok(RecordFormat::Pattern(
            Pattern::parse(f, time).map_err(anyhow::Error::msg)?,
        ));
    }
    if args.output == OutputFormat::Json {
        return Ok(RecordFormat::Json(time));
    }
    let layout = ConsoleLayout {
        time,
        ..ConsoleLayout::default()
    }
    .with_properties(properties.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    .map_err(anyhow::Error::msg)?;
    Ok(RecordFormat::Console(layout))
}

pub fn run(args: ConsumeArgs) -> anyhow::Result<ExitCode> {
    let (options, properties) = args.connection.split(CONSUMER_PROPERTIES)?;
    let format = record_format(&args, &properties)?;
    if let Some(group) = &args.share_group {
        interrupt::install();
        return run_share(&args, &options, &format, group);
    }
    let start = match (args.from_beginning, args.offset) {
        (true, _) => StartAt::Beginning,
        (false, Some(start)) => start,
        (false, None) => StartAt::End,
    };
    if args.group.is_some() && !matches!(start, StartAt::Beginning | StartAt::End) {
        return Err(usage_error("with --group, the group's committed offsets decide where to start; -o takes only beginning or end"));
    }
    let include = args
        .include
        .as_ref()
        .map(|p| topic_pattern(p).map_err(usage_error))
        .transpose()?;
    let settings = ConsumerSettings {
        topics: args.topics.clone(),
        include,
        partitions: args.partitions.clone(),
        start,
        group: args.group.clone(),
        group_protocol: args.group_protocol.map(|p| match p {
            GroupProtocol::Classic => "classic",
            GroupProtocol::Consumer => "consumer",
        }),
        exit_at_end: args.exit_at_end,
        isolation_level: match args.isolation_level {
            Some(Isolation::ReadUncommitted) => "read_uncommitted",
            Some(Isolation::ReadCommitted) | None => "read_committed",
        },
    };
    interrupt::install();
    let mut consumer = RecordConsumer::connect(&options, &settings)?;
    let idle_limit = args.timeout_ms.map(Duration::from_millis);

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut count = 0u64;
    let mut last_record = Instant::now();
    let mut last_warning = String::new();
    let code = loop {
        if interrupt::interrupted() {
            break ExitCode::from(interrupt::exit_code());
        }
        if args.max_messages.is_some_and(|n| count >= n) {
            break ExitCode::SUCCESS;
        }
        // Records are written in bulk while they flow; the output is flushed
        // as soon as the consumer would have to wait.
        let mut polled = consumer.poll(Duration::ZERO, |r| format.write(&mut out, r))?;
        if polled == Polled::Idle {
            out.flush()?;
            polled = consumer.poll(Duration::from_millis(100), |r| format.write(&mut out, r))?;
        }
        match polled {
            Polled::Record => {
                count += 1;
                last_record = Instant::now();
            }
            Polled::Idle => {
                if idle_limit.is_some_and(|limit| last_record.elapsed() >= limit) {
                    break ExitCode::SUCCESS;
                }
            }
            Polled::Warning(w) => {
                if w != last_warning {
                    eprintln!("dq: warning: {w}");
                    last_warning = w;
                }
            }
            Polled::Finished => break ExitCode::SUCCESS,
        }
    };
    out.flush()?;
    drop(out);
    eprintln!("Processed a total of {count} messages");
    // With a group, what was written is committed before exiting, on a
    // signal too: the next member starts right after the last record shown.
    if let Err(e) = consumer.commit() {
        if !interrupt::interrupted() {
            return Err(e);
        }
        eprintln!(
            "dq: stopped by {} before the group's offsets were committed ({e:#}); the next member will read again from the last commit",
            interrupt::signal_name()
        );
    }
    Ok(code)
}

/// `--share-group`: reads as a member of a share group. Each record is
/// accepted once it is written out (flushed); records fetched but not
/// written (past --max-messages, or when a signal or a closed pipe stops
/// the command) are settled as `--ack` says.
fn run_share(
    args: &ConsumeArgs,
    options: &ClientOptions,
    format: &RecordFormat,
    group: &str,
) -> anyhow::Result<ExitCode> {
    // Kafka's share consumer takes max.poll.records (-X) for how many
    // records one fetch acquires.
    let max_records = match options
        .properties
        .iter()
        .rev()
        .find(|(k, _)| k == "max.poll.records")
    {
        Some((_, v)) => v.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
            usage_error(format!("-X max.poll.records={v} is not a positive number"))
        })?,
        None => SHARE_MAX_RECORDS,
    };
    let settings = ShareSettings {
        group: group.to_string(),
        topics: args.topics.clone(),
        max_records,
    };
    let unfinished = match args.ack {
        Some(UnfinishedAck::Reject) => Ack::Reject,
        Some(UnfinishedAck::Release) | None => Ack::Release,
    };
    let mut consumer = ShareConsumer::join(options, &settings)?;
    let idle_limit = args.timeout_ms.map(Duration::from_millis);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut count = 0u64;
    let mut last_record = Instant::now();
    let mut shown = std::collections::HashSet::new();
    let outcome: anyhow::Result<ExitCode> = (|| loop {
        if interrupt::interrupted() {
            return Ok(ExitCode::from(interrupt::exit_code()));
        }
        if args.max_messages.is_some_and(|n| count >= n) {
            return Ok(ExitCode::SUCCESS);
        }
        let records = consumer.poll(SHARE_MAX_WAIT)?;
        for w in consumer.take_warnings() {
            if shown.insert(w.clone()) {
                eprintln!("dq: warning: {w}");
            }
        }
        if records.is_empty() {
            if args.exit_at_end && consumer.has_assignment() {
                return Ok(ExitCode::SUCCESS);
            }
            if idle_limit.is_some_and(|limit| last_record.elapsed() >= limit) {
                return Ok(ExitCode::SUCCESS);
            }
            continue;
        }
        last_record = Instant::now();
        // Written first, flushed, then accepted: a record is never
        // accepted before it reached stdout.
        let room = args
            .max_messages
            .map_or(usize::MAX, |n| (n - count).min(usize::MAX as u64) as usize);
        let mut written = 0;
        let mut failed = None;
        for r in records.iter().take(room) {
            if interrupt::interrupted() {
                break;
            }
            if let Err(e) = format.write(&mut out, &r.view()) {
                failed = Some(e);
                break;
            }
            written += 1;
        }
        if failed.is_none() {
            if let Err(e) = out.flush() {
                failed = Some(e);
                written = 0;
            }
        }
        for (i, r) in records.iter().enumerate() {
            consumer.acknowledge(r, if i < written { Ack::Accept } else { unfinished });
        }
        count += written as u64;
        if let Some(e) = failed {
            return Err(e.into());
        }
    })();
    let _ = out.flush();
    drop(out);
    eprintln!("Processed a total of {count} messages");
    // The acknowledgements go out and the member leaves on every path, on a
    // signal or a closed pipe too, so no record waits for its lock to
    // expire.
    let closed = consumer.close();
    for w in consumer.take_warnings() {
        if shown.insert(w.clone()) {
            eprintln!("dq: warning: {w}");
        }
    }
    match (outcome, closed) {
        (Err(e), _) => Err(e),
        (Ok(code), Ok(())) => Ok(code),
        (Ok(code), Err(e)) if interrupt::interrupted() => {
            eprintln!(
                "dq: stopped by {} before the acknowledgements were sent ({e:#}); the records go back to the group when their locks expire",
                interrupt::signal_name()
            );
            Ok(code)
        }
        (Ok(_), Err(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_like_kcat() {
        assert_eq!(parse_start("beginning"), Ok(StartAt::Beginning));
        assert_eq!(parse_start("end"), Ok(StartAt::End));
        assert_eq!(parse_start("42"), Ok(StartAt::Offset(42)));
        assert_eq!(parse_start("-10"), Ok(StartAt::Tail(10)));
        assert_eq!(
            parse_start("@1714564800000"),
            Ok(StartAt::Timestamp(1_714_564_800_000))
        );
        assert_eq!(
            parse_start("@2024-05-01T12:00:00Z"),
            Ok(StartAt::Timestamp(1_714_564_800_000))
        );
        let Ok(StartAt::Timestamp(ago)) = parse_start("@-1h") else {
            panic!("relative time")
        };
        let now = chrono::Utc::now().timestamp_millis();
        assert!((now - 3_600_000 - ago).abs() < 60_000);
        assert!(parse_start("soon").is_err());
        assert!(parse_start("@tomorrow").is_err());
    }
}
