//! `dq perf produce` and `dq perf consume`: kafka-producer-perf-test.sh and
//! kafka-consumer-perf-test.sh, with the lines those tools print (or one JSON
//! object), against `dq serve` or any Kafka cluster.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{value_parser, ArgGroup, Args, Subcommand, ValueEnum};

use super::args::{parse_duration, parse_key_value, ConnectionArgs};
use super::{interrupt, usage_error};
use crate::client::consumer::{ConsumerSettings, Polled, RecordConsumer, StartAt};
use crate::client::perf::{send_time, Payloads, PerfProducer, Totals, Window};
use crate::client::producer::unacknowledged_error;
use crate::output::escape::unescape;
use crate::output::progress::Progress;

#[derive(Debug, Args)]
pub struct PerfArgs {
    #[command(subcommand)]
    pub command: PerfCommand,
}

#[derive(Debug, Subcommand)]
pub enum PerfCommand {
    /// Send generated records as fast as allowed and report throughput and
    /// latency (kafka-producer-perf-test.sh).
    Produce(ProducePerfArgs),
    /// Read records as fast as possible and report throughput
    /// (kafka-consumer-perf-test.sh).
    Consume(ConsumePerfArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("payload").required(true).args(["record_size", "payload_file"])))]
pub struct ProducePerfArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Topic to write to.
    #[arg(value_name = "TOPIC", required_unless_present = "topic")]
    pub topic_arg: Option<String>,

    /// Topic to write to (the flag Kafka's tool takes).
    #[arg(long = "topic", value_name = "TOPIC", conflicts_with = "topic_arg")]
    pub topic: Option<String>,

    /// How many records to send.
    #[arg(long, value_name = "N", value_parser = value_parser!(u64).range(1..))]
    pub num_records: u64,

    /// Each record's value is this many bytes (random uppercase letters, the
    /// same for every record, as in Kafka's tool).
    #[arg(long, value_name = "BYTES")]
    pub record_size: Option<u32>,

    /// Each record's value is picked at random from the pieces of this file
    /// (split at --payload-delimiter; empty pieces are skipped).
    #[arg(long, value_name = "FILE")]
    pub payload_file: Option<PathBuf>,

    /// What separates values in --payload-file; escapes like \n, \t, \0 and \xHH work.
    #[arg(long, value_name = "DELIM", default_value = "\\n")]
    pub payload_delimiter: String,

    /// At most this many records per second; -1 for no limit.
    #[arg(
        long,
        value_name = "N",
        default_value = "-1",
        allow_negative_numbers = true,
        value_parser = parse_throughput
    )]
    pub throughput: Throughput,

    /// Acknowledgements to wait for: none, the leader, or all in-sync
    /// replicas (-1 is all).
    #[arg(long, value_enum, default_value_t = PerfAcks::All, allow_hyphen_values = true)]
    pub acks: PerfAcks,

    /// Producer settings, as Kafka's tool takes them (librdkafka names, or
    /// Java ones it translates); applied after -X and --command-config.
    /// Takes every word after it: put TOPIC first, or use --topic.
    #[arg(long, value_name = "KEY=VALUE", num_args = 1.., value_parser = parse_key_value)]
    pub producer_props: Vec<(String, String)>,

    /// How often to print a line about the last interval (text output only).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub report_interval: Duration,

    /// `text`: Kafka's lines; `json`: one object at the end.
    #[arg(long, value_enum, default_value_t = PerfOutput::Text)]
    pub output: PerfOutput,
}

#[derive(Debug, Args)]
pub struct ConsumePerfArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Topic to read.
    #[arg(value_name = "TOPIC", required_unless_present = "topic")]
    pub topic_arg: Option<String>,

    /// Topic to read (the flag Kafka's tool takes).
    #[arg(long = "topic", value_name = "TOPIC", conflicts_with = "topic_arg")]
    pub topic: Option<String>,

    /// Stop after this many records, or when none arrives for --timeout.
    /// Without it: stop at the end of the topic as it was at the start.
    #[arg(long, value_name = "N")]
    pub messages: Option<u64>,

    /// Read as this consumer group (joining it, starting from its committed
    /// offsets and committing); without it, partitions are assigned directly.
    #[arg(short = 'g', long, value_name = "GROUP")]
    pub group: Option<String>,

    /// Start at the end instead of the beginning (with a group: when it has
    /// no committed offset).
    #[arg(long)]
    pub from_latest: bool,

    /// Print a row per --report-interval instead of one summary row.
    #[arg(long)]
    pub show_detailed_stats: bool,

    /// How often --show-detailed-stats prints a row.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub report_interval: Duration,

    /// `text`: Kafka's header and row; `json`: one object at the end.
    #[arg(long, value_enum, default_value_t = PerfOutput::Text)]
    pub output: PerfOutput,
}

/// Records per second; `None` sends as fast as the producer takes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput(pub Option<f64>);

fn parse_throughput(s: &str) -> Result<Throughput, String> {
    let n: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of records per second (or -1 for no limit)"))?;
    if n < 0.0 {
        Ok(Throughput(None))
    } else if n > 0.0 && n.is_finite() {
        Ok(Throughput(Some(n)))
    } else {
        Err(format!(
            "'{s}' would never send: give records per second, or -1 for no limit"
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerfAcks {
    #[value(name = "0")]
    None,
    #[value(name = "1")]
    Leader,
    #[value(alias = "-1")]
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PerfOutput {
    Text,
    Json,
}

/// Kafka's tools count in MiB.
const MB: f64 = 1024.0 * 1024.0;

pub fn run(args: PerfArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        PerfCommand::Produce(args) => produce(args),
        PerfCommand::Consume(args) => consume(args),
    }
}

fn produce(args: ProducePerfArgs) -> anyhow::Result<ExitCode> {
    let topic = args
        .topic
        .clone()
        .or(args.topic_arg.clone())
        .expect("clap requires a topic");
    if args.report_interval.is_zero() {
        return Err(usage_error("--report-interval must be longer than zero"));
    }
    let (mut options, _) = args.connection.split(&[])?;
    for (k, v) in &args.producer_props {
        // Kafka's tool takes the brokers this way; errors should name them.
        if k == "bootstrap.servers" {
            options.bootstrap = v.clone();
        }
        options.properties.push((k.clone(), v.clone()));
    }
    let mut payloads = payloads(&args)?;
    let acks = match args.acks {
        PerfAcks::None => "0",
        PerfAcks::Leader => "1",
        PerfAcks::All => "all",
    };
    let json = args.output == PerfOutput::Json;
    let rate = args.throughput.0;

    interrupt::install();
    let mut producer = PerfProducer::connect(&options, acks, &topic, args.num_records)?;
    let progress = Progress::records(true, Some(args.num_records));
    let started = producer.started();
    while producer.sent() < args.num_records && !interrupt::interrupted() {
        if let Some(due) = send_time(started, producer.sent(), rate) {
            // In steps, so that Ctrl-C and the periodic line are not held up
            // by a slow rate.
            while Instant::now() < due && !interrupt::interrupted() {
                producer.wait_until(due.min(Instant::now() + Duration::from_millis(100)));
                tick(&mut producer, &progress, json, args.report_interval)?;
            }
            if interrupt::interrupted() {
                break;
            }
        }
        producer.send(payloads.pick());
        if rate.is_some() || producer.sent() % 256 == 0 {
            tick(&mut producer, &progress, json, args.report_interval)?;
        }
    }
    let deadline = Instant::now() + options.timeout + Duration::from_secs(10);
    // After Ctrl-C the drain goes on while the broker keeps acknowledging.
    let mut progress_left = crate::client::cancel::Progress::new(producer.waiting());
    while producer.waiting() > 0 && Instant::now() < deadline {
        if progress_left.stalled(producer.waiting()) {
            break;
        }
        producer.drain(deadline.min(Instant::now() + Duration::from_millis(100)));
        tick(&mut producer, &progress, json, args.report_interval)?;
    }
    let elapsed = started.elapsed();
    progress.finish();
    let unacknowledged = producer.waiting();
    let totals = producer.totals();
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", produce_json(&topic, totals, elapsed))?;
    } else {
        writeln!(out, "{}", total_line(totals, elapsed))?;
    }
    out.flush()?;

    if interrupt::interrupted() {
        if unacknowledged > 0 {
            eprintln!("dq: stopped by {}: {unacknowledged} record(s) not confirmed; they may or may not have been written", interrupt::signal_name());
        }
        return Ok(ExitCode::from(interrupt::exit_code()));
    }
    if unacknowledged > 0 {
        return Err(unacknowledged_error(unacknowledged, options.timeout));
    }
    if totals.failed > 0 {
        anyhow::bail!(
            "{} of {} record(s) were not delivered to '{topic}': {}",
            totals.failed,
            producer.sent(),
            totals.first_error.as_deref().unwrap_or("unknown error")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn payloads(args: &ProducePerfArgs) -> anyhow::Result<Payloads> {
    let Some(path) = &args.payload_file else {
        let size = args.record_size.expect("clap requires a payload");
        return Ok(Payloads::generated(size as usize));
    };
    let delimiter = unescape(&args.payload_delimiter)
        .map_err(|e| usage_error(format!("--payload-delimiter: {e}")))?;
    if delimiter.is_empty() {
        return Err(usage_error("--payload-delimiter must not be empty"));
    }
    let file = std::fs::read(path)
        .with_context(|| format!("cannot read --payload-file {}", path.display()))?;
    let payloads = Payloads::picked(&file, &delimiter);
    if payloads.is_empty() {
        anyhow::bail!(
            "--payload-file {} holds no records (split at --payload-delimiter '{}')",
            path.display(),
            args.payload_delimiter
        );
    }
    eprintln!(
        "Reading payloads from: {}\nNumber of messages read: {}",
        path.display(),
        payloads.len()
    );
    Ok(payloads)
}

/// Updates the bar and, once per interval, prints Kafka's periodic line.
fn tick(
    producer: &mut PerfProducer,
    progress: &Progress,
    json: bool,
    interval: Duration,
) -> io::Result<()> {
    let totals = producer.totals();
    let done = totals.delivered + totals.failed;
    let rate = done as f64 / producer.started().elapsed().as_secs_f64().max(1e-9);
    progress.set_records(done, rate);
    if producer.window_started().elapsed() < interval {
        return Ok(());
    }
    let (window, elapsed) = producer.take_window();
    if json {
        return Ok(());
    }
    let line = window_line(&window, elapsed);
    progress.suspend(|| {
        let mut out = io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()
    })
}

fn per_second(n: f64, elapsed: Duration) -> f64 {
    n / elapsed.as_secs_f64().max(1e-9)
}

fn ms(micros: f64) -> f64 {
    micros / 1000.0
}

/// `N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency.`
fn window_line(w: &Window, elapsed: Duration) -> String {
    format!(
        "{} records sent, {:.1} records/sec ({:.2} MB/sec), {:.2} ms avg latency, {:.2} ms max latency.",
        w.records,
        per_second(w.records as f64, elapsed),
        per_second(w.bytes as f64 / MB, elapsed),
        ms(w.mean_latency_us()),
        ms(w.latency_max_us as f64),
    )
}

/// Kafka's final line, with the percentiles in milliseconds to two decimals
/// (Kafka prints whole milliseconds, which a local broker rounds to 0).
fn total_line(t: &Totals, elapsed: Duration) -> String {
    let p = |q: f64| ms(t.latency.percentile_us(q) as f64);
    format!(
        "{} records sent, {:.1} records/sec ({:.2} MB/sec), {:.2} ms avg latency, {:.2} ms max latency, \
         {:.2} ms 50th, {:.2} ms 95th, {:.2} ms 99th, {:.2} ms 99.9th.",
        t.delivered,
        per_second(t.delivered as f64, elapsed),
        per_second(t.bytes as f64 / MB, elapsed),
        ms(t.latency.mean_us()),
        ms(t.latency.max_us() as f64),
        p(50.0),
        p(95.0),
        p(99.0),
        p(99.9),
    )
}

/// The documented `--output json` object of `dq perf produce` (README, "Perf
/// tools"): renaming a field breaks someone's script.
fn produce_json(topic: &str, t: &Totals, elapsed: Duration) -> serde_json::Value {
    let p = |q: f64| round3(ms(t.latency.percentile_us(q) as f64));
    serde_json::json!({
        "topic": topic,
        "records_sent": t.delivered,
        "records_failed": t.failed,
        "bytes_sent": t.bytes,
        "elapsed_ms": round3(elapsed.as_secs_f64() * 1000.0),
        "records_per_sec": round3(per_second(t.delivered as f64, elapsed)),
        "mb_per_sec": round3(per_second(t.bytes as f64 / MB, elapsed)),
        "latency_avg_ms": round3(ms(t.latency.mean_us())),
        "latency_max_ms": round3(ms(t.latency.max_us() as f64)),
        "latency_p50_ms": p(50.0),
        "latency_p95_ms": p(95.0),
        "latency_p99_ms": p(99.0),
        "latency_p999_ms": p(99.9),
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What one consumer run measured.
struct Consumed {
    records: u64,
    /// Keys plus values, as Kafka's tool counts.
    bytes: u64,
    /// Wall-clock start and end, in ms since the epoch.
    start_ms: i64,
    end_ms: i64,
    /// From the start until partitions were assigned (the group join).
    rebalance: Duration,
    /// From the assignment to the end.
    fetch: Duration,
}

fn consume(args: ConsumePerfArgs) -> anyhow::Result<ExitCode> {
    let topic = args
        .topic
        .clone()
        .or(args.topic_arg.clone())
        .expect("clap requires a topic");
    let json = args.output == PerfOutput::Json;
    if json && args.show_detailed_stats {
        return Err(usage_error(
            "--show-detailed-stats prints rows of text; drop it or --output json",
        ));
    }
    if args.report_interval.is_zero() {
        return Err(usage_error("--report-interval must be longer than zero"));
    }
    let (options, _) = args.connection.split(&[])?;
    let settings = ConsumerSettings {
        topics: vec![topic.clone()],
        include: None,
        partitions: Vec::new(),
        start: if args.from_latest {
            StartAt::End
        } else {
            StartAt::Beginning
        },
        group: args.group.clone(),
        group_protocol: None,
        exit_at_end: args.messages.is_none() && !args.from_latest,
        isolation_level: "read_uncommitted",
    };

    interrupt::install();
    let start_ms = chrono::Utc::now().timestamp_millis();
    let started = Instant::now();
    let mut consumer = RecordConsumer::connect(&options, &settings)?;
    let mut assigned_at = consumer.has_assignment().then(Instant::now);
    let progress = Progress::records(true, args.messages);
    let mut detailed = None;
    if args.show_detailed_stats {
        print_line(DETAILED_HEADER)?;
        detailed = Some(Detailed {
            start_ms,
            started,
            last: started,
            records: 0,
            bytes: 0,
        });
    }
    let mut records = 0u64;
    let mut bytes = 0u64;
    let mut last_record = None;
    let mut last_warning = String::new();
    let mut idle = false;
    let code = loop {
        if interrupt::interrupted() {
            break ExitCode::from(interrupt::exit_code());
        }
        if args.messages.is_some_and(|n| records >= n) {
            break ExitCode::SUCCESS;
        }
        let (mut polled, mut size) = poll(&mut consumer, Duration::ZERO)?;
        if polled == Polled::Idle {
            (polled, size) = poll(&mut consumer, Duration::from_millis(100))?;
        }
        let now = Instant::now();
        if assigned_at.is_none() && consumer.has_assignment() {
            assigned_at = Some(now);
        }
        match polled {
            Polled::Record => {
                records += 1;
                bytes += size;
                last_record = Some(now);
                if records % 1024 == 0 {
                    progress.set_records(records, per_second(records as f64, started.elapsed()));
                }
            }
            Polled::Idle => {
                if now - last_record.unwrap_or(started) >= options.timeout {
                    idle = true;
                    break ExitCode::SUCCESS;
                }
            }
            Polled::Warning(w) => {
                if w != last_warning {
                    progress.suspend(|| eprintln!("dq: warning: {w}"));
                    last_warning = w;
                }
            }
            Polled::Finished => break ExitCode::SUCCESS,
        }
        if let Some(d) = &mut detailed {
            if now - d.last >= args.report_interval {
                let row = d.row(now, assigned_at, records, bytes);
                progress.suspend(|| print_line(&row))?;
            }
        }
    };
    progress.finish();
    // Waiting for records that never came is not reading time.
    let end = match (idle, last_record) {
        (true, Some(t)) => t,
        _ => Instant::now(),
    };
    let assigned = assigned_at.unwrap_or(end).min(end);
    let run = Consumed {
        records,
        bytes,
        start_ms,
        end_ms: start_ms + (end - started).as_millis() as i64,
        rebalance: assigned - started,
        fetch: end - assigned,
    };
    if idle && args.messages.is_some() {
        eprintln!(
            "WARNING: Exiting before consuming the expected number of messages: timeout ({:?}) exceeded. \
             You can use the --timeout option to increase the timeout.",
            options.timeout
        );
    }
    match (&mut detailed, json) {
        (Some(d), _) => {
            let row = d.row(end, assigned_at, records, bytes);
            print_line(&row)?;
        }
        (None, true) => print_line(&consume_json(&topic, &run).to_string())?,
        (None, false) => {
            print_line(CONSUME_HEADER)?;
            print_line(&consume_row(&run))?;
        }
    }
    consumer.commit()?;
    Ok(code)
}

/// One poll, and the size of the record it brought (key plus value).
fn poll(consumer: &mut RecordConsumer, timeout: Duration) -> anyhow::Result<(Polled, u64)> {
    let mut size = 0;
    let polled = consumer.poll(timeout, |r| {
        size = (r.key.map_or(0, <[u8]>::len) + r.value.map_or(0, <[u8]>::len)) as u64;
        Ok(())
    })?;
    Ok((polled, size))
}

fn print_line(line: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()
}

const CONSUME_HEADER: &str = "start.time, end.time, data.consumed.in.MB, MB.sec, \
    data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";

const DETAILED_HEADER: &str = "time, threadId, data.consumed.in.MB, MB.sec, \
    data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";

/// Kafka's date format for these tools, in local time.
fn kafka_time(ms: i64) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S:%3f").to_string(),
        None => ms.to_string(),
    }
}

fn consume_row(r: &Consumed) -> String {
    let elapsed = r.rebalance + r.fetch;
    let mb = r.bytes as f64 / MB;
    format!(
        "{}, {}, {:.4}, {:.4}, {}, {:.4}, {}, {}, {:.4}, {:.4}",
        kafka_time(r.start_ms),
        kafka_time(r.end_ms),
        mb,
        per_second(mb, elapsed),
        r.records,
        per_second(r.records as f64, elapsed),
        r.rebalance.as_millis(),
        r.fetch.as_millis(),
        per_second(mb, r.fetch),
        per_second(r.records as f64, r.fetch),
    )
}

/// The documented `--output json` object of `dq perf consume`.
fn consume_json(topic: &str, r: &Consumed) -> serde_json::Value {
    let elapsed = r.rebalance + r.fetch;
    let mb = r.bytes as f64 / MB;
    serde_json::json!({
        "topic": topic,
        "start_time_ms": r.start_ms,
        "end_time_ms": r.end_ms,
        "records_consumed": r.records,
        "bytes_consumed": r.bytes,
        "data_consumed_mb": round3(mb),
        "mb_per_sec": round3(per_second(mb, elapsed)),
        "records_per_sec": round3(per_second(r.records as f64, elapsed)),
        "rebalance_time_ms": r.rebalance.as_millis() as u64,
        "fetch_time_ms": r.fetch.as_millis() as u64,
        "fetch_mb_per_sec": round3(per_second(mb, r.fetch)),
        "fetch_records_per_sec": round3(per_second(r.records as f64, r.fetch)),
    })
}

/// `--show-detailed-stats`: a row per interval, with cumulative amounts and
/// the interval's rates, as Kafka prints them.
struct Detailed {
    start_ms: i64,
    started: Instant,
    /// The end of the last row's interval, and the amounts at that time.
    last: Instant,
    records: u64,
    bytes: u64,
}

impl Detailed {
    fn row(
        &mut self,
        now: Instant,
        assigned_at: Option<Instant>,
        records: u64,
        bytes: u64,
    ) -> String {
        let interval = now - self.last;
        // The join counts in the rows it overlapped; fetching is the rest.
        let rebalance = match assigned_at {
            None => interval,
            Some(at) => at.min(now).saturating_duration_since(self.last),
        };
        let fetch = interval.saturating_sub(rebalance);
        let mb = (bytes - self.bytes) as f64 / MB;
        let n = (records - self.records) as f64;
        let line = format!(
            "{}, 0, {:.4}, {:.4}, {}, {:.4}, {}, {}, {:.4}, {:.4}",
            kafka_time(self.start_ms + (now - self.started).as_millis() as i64),
            bytes as f64 / MB,
            per_second(mb, interval),
            records,
            per_second(n, interval),
            rebalance.as_millis(),
            fetch.as_millis(),
            per_second(mb, fetch),
            per_second(n, fetch),
        );
        self.last = now;
        self.records = records;
        self.bytes = bytes;
        line
    }
}
