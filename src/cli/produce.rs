//! `dq produce TOPIC`: records from stdin or a file, one per line (or per
//! `--delimiter`), to a topic, with a delivery report per record or a summary.
//! The exit code is 0 only when the broker acknowledged every record.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::args::{parse_key_value, ConnectionArgs};
use super::{interrupt, usage_error};
use crate::client::producer::{
    unacknowledged_error, DeliveryReport, ProducerSettings, RecordProducer,
};
use crate::output::console::PRODUCER_PROPERTIES;
use crate::output::escape::unescape;
use crate::output::progress::Progress;
use crate::output::reader::RecordReader;
use crate::output::{EnvelopeReader, LineParser, OutRecord};

#[derive(Debug, Args)]
pub struct ProduceArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Topic to write to.
    #[arg(value_name = "TOPIC")]
    pub topic: String,

    /// Read records from FILE instead of stdin (`-` is stdin).
    #[arg(short = 'f', long, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// What separates records in the input; escapes like \n, \t, \0 and \xHH work.
    #[arg(short = 'D', long, value_name = "DELIM", default_value = "\\n")]
    pub delimiter: String,

    /// `lines`: each record is a value (with -k/-K/-H and parse.* properties);
    /// `json`: each record is the envelope `dq consume --output json` writes.
    #[arg(long, value_enum, default_value_t = InputFormat::Lines)]
    pub format: InputFormat,

    /// The same key for every record.
    #[arg(
        short = 'k',
        long,
        value_name = "KEY",
        conflicts_with = "key_separator"
    )]
    pub key: Option<String>,

    /// Split each record into key and value at the first SEP (like
    /// `--property parse.key=true --property key.separator=SEP`).
    #[arg(short = 'K', long, value_name = "SEP")]
    pub key_separator: Option<String>,

    /// A header on every record; repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub headers: Vec<(String, String)>,

    /// Send every record to this partition instead of hashing its key.
    #[arg(short = 'p', long, value_name = "N")]
    pub partition: Option<i32>,

    /// Acknowledgements to wait for: none, the leader, or all in-sync
    /// replicas [default: all; a transaction needs all].
    #[arg(long, value_enum)]
    pub acks: Option<Acks>,

    /// Compression for record batches.
    #[arg(short = 'z', long, value_enum, default_value_t = Compression::None)]
    pub compression: Compression,

    /// A key, value or header value equal to this is sent as null (a tombstone).
    #[arg(long, value_name = "STRING")]
    pub null_marker: Option<String>,

    /// Delivery reports: one line per record (`each`, the default on a
    /// terminal), a `summary` at the end (the default otherwise), or `none`.
    /// Failed records are always reported.
    #[arg(long, value_enum)]
    pub report: Option<ReportMode>,

    /// Where delivery reports go.
    #[arg(long, value_enum, default_value_t = ReportTo::Stderr)]
    pub report_to: ReportTo,

    /// Delivery reports as text or as JSON lines.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,

    /// Send the input in a transaction under this transactional.id: all of
    /// it or none. Delivery reports come once it is committed; an error or
    /// a signal aborts it, and a failed transaction exits with 3. A later
    /// run with the same id fences this one. The broker aborts a
    /// transaction open longer than transaction.timeout.ms (a minute, or
    /// --timeout when longer; -X sets it).
    #[arg(long, value_name = "ID")]
    pub transactional_id: Option<String>,

    /// Commit a transaction every N records (and the rest at the end)
    /// instead of one for the whole input.
    #[arg(long, value_name = "N", requires = "transactional_id",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub txn_every: Option<u64>,
}

/// The exit code of a run whose transaction was aborted (or could not be
/// committed): distinct from 1, which says some records failed outside a
/// transaction, so a script knows nothing of the open transaction landed.
pub const EXIT_TRANSACTION_ABORTED: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Lines,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Acks {
    #[value(name = "0")]
    None,
    #[value(name = "1")]
    Leader,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportMode {
    Each,
    Summary,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportTo {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

enum Parser {
    Lines(LineParser),
    Json(EnvelopeReader),
}

impl Parser {
    fn parse<'a>(&'a self, line: &'a [u8], number: u64) -> Result<OutRecord<'a>, String> {
        match self {
            Parser::Lines(p) => p.parse(line, number),
            Parser::Json(r) => r.parse(line, number),
        }
    }
}

fn parser(args: &ProduceArgs, properties: &[(String, String)]) -> anyhow::Result<Parser> {
    if args.format == InputFormat::Json {
        if args.key.is_some()
            || args.key_separator.is_some()
            || !args.headers.is_empty()
            || !properties.is_empty()
        {
            return Err(usage_error("--format json takes keys and headers from each envelope; drop -k, -K, -H and parse.* properties"));
        }
        return Ok(Parser::Json(EnvelopeReader));
    }
    let bytes = |flag: &str, s: &str| unescape(s).map_err(|e| anyhow::anyhow!("{flag}: {e}"));
    let key_separator = match &args.key_separator {
        Some(s) => {
            let sep = bytes("-K", s)?;
            if sep.is_empty() {
                return Err(usage_error("-K needs a non-empty separator"));
            }
            Some(sep)
        }
        None => None,
    };
    let mut parser = LineParser {
        key_separator,
        fixed_key: args.key.as_ref().map(|k| k.as_bytes().to_vec()),
        parse_headers: None,
        headers: args
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.as_bytes().to_vec())))
            .collect(),
        null_marker: match &args.null_marker {
            Some(m) => Some(bytes("--null-marker", m)?),
            None => None,
        },
    };
    parser = parser
        .with_properties(properties.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(anyhow::Error::msg)?;
    Ok(Parser::Lines(parser))
}

/// Writes delivery reports and the summary where and how the flags say.
struct Reporter {
    mode: ReportMode,
    json: bool,
    topic: String,
    out: Box<dyn Write>,
    /// Failures go to stderr when reports are off.
    errors: io::Stderr,
    /// Failures printed one by one so far, outside `--report each`.
    failures_shown: u64,
}

/// Records handed to librdkafka per call: enough that its per-call locking
/// and clock reads vanish, few enough that reports and progress stay current.
const BATCH: usize = 1024;

/// Outside `--report each`, a broker refusing everything (a wrong setting)
/// would otherwise print a million identical lines; the count still covers
/// them all and the exit code still says so.
const FAILURES_SHOWN: u64 = 100;

impl Reporter {
    /// `mark` says how the record's transaction ended (`committed`,
    /// `aborted`); None outside a transaction.
    fn report(&mut self, r: &DeliveryReport, mark: Option<&str>) -> io::Result<()> {
        if r.error.is_some() && self.mode != ReportMode::Each {
            self.failures_shown += 1;
            if self.failures_shown > FAILURES_SHOWN {
                return Ok(());
            }
        }
        let out: &mut dyn Write = match (&r.error, self.mode) {
            (None, ReportMode::Each) => &mut self.out,
            (None, _) => return Ok(()),
            (Some(_), ReportMode::None) => &mut self.errors,
            (Some(_), _) => &mut self.out,
        };
        match (&r.error, self.json) {
            (None, false) => match mark {
                None => writeln!(out, "{}-{}@{}", self.topic, r.partition, r.offset),
                Some(m) => writeln!(out, "{}-{}@{} ({m})", self.topic, r.partition, r.offset),
            },
            (None, true) => {
                let mut report = serde_json::json!({"record": r.number, "topic": self.topic, "partition": r.partition, "offset": r.offset});
                if let Some(m) = mark {
                    report["transaction"] = m.into();
                }
                writeln!(out, "{report}")
            }
            (Some(e), false) if r.partition >= 0 => {
                writeln!(
                    out,
                    "record {} not delivered to {}-{}: {e}",
                    r.number, self.topic, r.partition
                )
            }
            (Some(e), false) => writeln!(
                out,
                "record {} not delivered to {}: {e}",
                r.number, self.topic
            ),
            (Some(e), true) => writeln!(
                out,
                "{}",
                serde_json::json!({"record": r.number, "topic": self.topic, "partition": r.partition, "error": e})
            ),
        }
    }

    fn all(&mut self, reports: Vec<DeliveryReport>) -> io::Result<()> {
        self.marked(reports, None)
    }

    fn marked(&mut self, reports: Vec<DeliveryReport>, mark: Option<&str>) -> io::Result<()> {
        for r in &reports {
            self.report(r, mark)?;
            if r.error.is_some()
                && self.mode != ReportMode::Each
                && self.failures_shown == FAILURES_SHOWN
            {
                self.failures_shown += 1;
                writeln!(
                    self.errors,
                    "(further failures are counted, not shown; --report each shows them all)"
                )?;
            }
        }
        if !reports.is_empty() {
            self.out.flush()?;
        }
        Ok(())
    }

    fn summary(&mut self, delivered: u64, failed: u64, elapsed: Duration) -> io::Result<()> {
        if self.mode != ReportMode::Summary {
            return Ok(());
        }
        let rate = delivered as f64 / elapsed.as_secs_f64().max(1e-9);
        if self.json {
            writeln!(
                self.out,
                "{}",
                serde_json::json!({"topic": self.topic, "delivered": delivered, "failed": failed,
                    "elapsed_ms": elapsed.as_millis() as u64, "records_per_sec": rate.round()})
            )?;
        } else {
            writeln!(
                self.out,
                "{delivered} record{} delivered to {}, {failed} failed, in {:.2}s ({rate:.0} records/s)",
                if delivered == 1 { "" } else { "s" },
                self.topic,
                elapsed.as_secs_f64()
            )?;
        }
        self.out.flush()
    }
}

pub fn run(args: ProduceArgs) -> anyhow::Result<ExitCode> {
    let (options, properties) = args.connection.split(PRODUCER_PROPERTIES)?;
    let parser = parser(&args, &properties)?;
    let delimiter = unescape(&args.delimiter).map_err(|e| anyhow::anyhow!("--delimiter: {e}"))?;
    if delimiter.is_empty() {
        return Err(usage_error("--delimiter must not be empty"));
    }
    let from_stdin = match &args.file {
        None => true,
        Some(f) => f.as_os_str() == "-",
    };
    let interactive = from_stdin && io::stdin().is_terminal();
    let mode = args.report.unwrap_or(if interactive {
        ReportMode::Each
    } else {
        ReportMode::Summary
    });
    if args.transactional_id.is_some() && args.acks.is_some_and(|a| a != Acks::All) {
        return Err(usage_error(
            "--transactional-id needs --acks all (a transaction's records must reach every in-sync replica): drop --acks",
        ));
    }
    let settings = ProducerSettings {
        acks: match args.acks.unwrap_or(Acks::All) {
            Acks::None => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        },
        compression: match args.compression {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        },
        interactive,
        partition: args.partition,
        report_each: mode == ReportMode::Each,
        transactional_id: args.transactional_id.clone(),
    };

    let (input, size): (Box<dyn Read>, Option<u64>) = if from_stdin {
        (Box::new(io::stdin().lock()), None)
    } else {
        let path = args.file.as_ref().expect("not stdin, so a file");
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    interrupt::install();
    let mut producer = RecordProducer::connect(&options, &settings, &args.topic)?;
    let mut txn = match &args.transactional_id {
        Some(_) => {
            producer.begin_transaction()?;
            Some(Transaction {
                every: args.txn_every,
                ..Transaction::default()
            })
        }
        None => None,
    };

    let mut reporter = Reporter {
        mode,
        json: args.output == ReportFormat::Json,
        topic: args.topic.clone(),
        out: match args.report_to {
            ReportTo::Stdout => Box::new(BufWriter::new(io::stdout())),
            ReportTo::Stderr => Box::new(BufWriter::new(io::stderr())),
        },
        errors: io::stderr(),
        failures_shown: 0,
    };
    let progress = Progress::new(!interactive, size);
    let mut reader = RecordReader::new(input, delimiter);
    let started = Instant::now();
    let mut read = 0u64;
    let mut input_error = None;
    loop {
        if !reader.has_record() {
            // A signal stops the reading once what was read has been sent.
            if reader.at_end() || interrupt::interrupted() {
                break;
            }
            if interactive {
                eprint!("> ");
            }
            // While the input is quiet (a terminal, `tail -f | dq produce`),
            // reports are served as they arrive instead of waiting for the
            // next record.
            while from_stdin
                && !stdin_readable(Duration::from_millis(100))
                && !interrupt::interrupted()
            {
                producer.poll(Duration::ZERO);
                serve(&mut reporter, &producer, &mut txn)?;
            }
            if interrupt::interrupted() {
                break;
            }
            match reader.fill() {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    input_error = Some(anyhow::Error::new(e).context("cannot read the input"));
                    break;
                }
            }
            continue;
        }
        // The read buffer does not move until the next fill, so every record
        // in it can borrow it while librdkafka takes them a batch at a time.
        let bytes_read = reader.bytes_read();
        let mut lines = reader.buffered();
        loop {
            let mut batch = Vec::with_capacity(if interactive { 1 } else { BATCH });
            for line in lines.by_ref() {
                read += 1;
                match parser.parse(line, read) {
                    Ok(record) => batch.push((read, record)),
                    Err(e) if txn.is_some() => {
                        input_error = Some(anyhow::anyhow!("{e}"));
                        read -= 1;
                        break;
                    }
                    Err(e) => {
                        input_error = Some(anyhow::anyhow!(
                            "{e}; records before it were sent, nothing after it"
                        ));
                        read -= 1;
                        break;
                    }
                }
                // On a terminal each line waits for its report.
                if interactive || batch.len() == BATCH || commit_due(&txn, read) {
                    break;
                }
            }
            if batch.is_empty() {
                break;
            }
            producer.send(&batch);
            if interactive {
                wait_for(&producer, read);
            } else {
                producer.poll(Duration::ZERO);
            }
            serve(&mut reporter, &producer, &mut txn)?;
            if let Some(t) = txn.as_mut() {
                t.open += batch.len() as u64;
                if input_error.is_none() && !interrupt::interrupted() && commit_due(&txn, read) {
                    commit(&mut producer, &mut reporter, &mut txn, true)?;
                }
            }
            // A signal stops the reading, not the sending: the records
            // already read from the input are sent, since a pipe cannot
            // give them back.
            if input_error.is_some() || failed(&txn) {
                break;
            }
        }
        if input_error.is_some() || failed(&txn) {
            break;
        }
        let elapsed = started.elapsed().as_secs_f64().max(1e-9);
        progress.update(bytes_read, read, producer.counts().0 as f64 / elapsed);
    }
    progress.finish();
    if interactive && !interrupt::interrupted() {
        eprintln!();
    }
    if let Some(txn) = txn {
        return end_transactions(txn, producer, reporter, input_error, started.elapsed());
    }
    let unacknowledged = producer.flush();
    reporter.all(producer.take_reports())?;
    let (delivered, failed) = producer.counts();
    reporter.summary(delivered, failed + unacknowledged, started.elapsed())?;

    if interrupt::interrupted() {
        eprintln!(
            "dq: stopped by {} after reading {read} record(s): {delivered} acknowledged, {} failed, {unacknowledged} not confirmed",
            interrupt::signal_name(),
            failed,
        );
        if unacknowledged > 0 {
            eprintln!(
                "dq: the {unacknowledged} record(s) not confirmed may or may not have been written"
            );
        }
    }
    if let Some(e) = input_error {
        return Err(e);
    }
    if interrupt::interrupted() {
        return Ok(ExitCode::from(interrupt::exit_code()));
    }
    if unacknowledged > 0 {
        return Err(unacknowledged_error(unacknowledged, options.timeout));
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {read} record(s) were not delivered to '{}'",
            args.topic
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--transactional-id`: where the transactions stand.
#[derive(Default)]
struct Transaction {
    /// `--txn-every`.
    every: Option<u64>,
    /// Reports of the open transaction's records, printed once it ends:
    /// until then a record is written but not visible to read_committed
    /// readers, and may yet be aborted.
    held: Vec<DeliveryReport>,
    /// Records sent in the open transaction.
    open: u64,
    /// Records in committed transactions, and how many those were.
    committed: u64,
    commits: u64,
    /// Why the open transaction cannot commit.
    failure: Option<anyhow::Error>,
}

impl Transaction {
    fn hold(&mut self, reports: Vec<DeliveryReport>, topic: &str) {
        if self.failure.is_none() {
            if let Some((r, e)) = reports
                .iter()
                .find_map(|r| r.error.as_ref().map(|e| (r, e)))
            {
                self.failure = Some(anyhow::anyhow!(
                    "record {} was not delivered to {topic}: {e}",
                    r.number
                ));
            }
        }
        self.held.extend(reports);
    }
}

fn failed(txn: &Option<Transaction>) -> bool {
    txn.as_ref().is_some_and(|t| t.failure.is_some())
}

/// Whether `read` records end a transaction of `--txn-every`.
fn commit_due(txn: &Option<Transaction>, read: u64) -> bool {
    txn.as_ref()
        .and_then(|t| t.every)
        .is_some_and(|n| read % n == 0)
}

/// Prints the reports that have arrived, or holds them while a transaction
/// is open.
fn serve(
    reporter: &mut Reporter,
    producer: &RecordProducer,
    txn: &mut Option<Transaction>,
) -> io::Result<()> {
    let reports = producer.take_reports();
    match txn {
        None => reporter.all(reports),
        Some(t) => {
            t.hold(reports, &reporter.topic);
            Ok(())
        }
    }
}

/// Commits the open transaction, prints its reports and, with `begin_next`,
/// begins the next; a failure is kept in the transaction, for the caller to
/// abort it.
fn commit(
    producer: &mut RecordProducer,
    reporter: &mut Reporter,
    txn: &mut Option<Transaction>,
    begin_next: bool,
) -> io::Result<()> {
    let Some(t) = txn.as_mut() else {
        return Ok(());
    };
    let committed = producer.commit_transaction();
    t.hold(producer.take_reports(), &reporter.topic);
    if let Err(e) = committed {
        if t.failure.is_none() {
            t.failure = Some(e);
        }
        return Ok(());
    }
    reporter.marked(std::mem::take(&mut t.held), Some("committed"))?;
    t.committed += t.open;
    t.open = 0;
    t.commits += 1;
    if begin_next {
        if let Err(e) = producer.begin_transaction() {
            t.failure = Some(e);
        }
    }
    Ok(())
}

/// The end of a transactional run: the last transaction committed, or
/// aborted after an error or a signal (exit 3, or the signal's code).
fn end_transactions(
    mut txn: Transaction,
    mut producer: RecordProducer,
    mut reporter: Reporter,
    input_error: Option<anyhow::Error>,
    elapsed: Duration,
) -> anyhow::Result<ExitCode> {
    let mut failure = input_error.or(txn.failure.take());
    if failure.is_none() && !interrupt::interrupted() {
        let mut open = Some(txn);
        commit(&mut producer, &mut reporter, &mut open, false)?;
        txn = open.expect("commit keeps the transaction");
        failure = txn.failure.take();
        if failure.is_none() {
            reporter.summary(txn.committed, 0, elapsed)?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let aborted = producer.abort_transaction();
    txn.hold(producer.take_reports(), &reporter.topic);
    reporter.marked(std::mem::take(&mut txn.held), Some("aborted"))?;
    let before = if txn.commits > 0 {
        format!(
            "; the {} record(s) of the {} transaction(s) before it were committed",
            txn.committed, txn.commits
        )
    } else {
        String::new()
    };
    let outcome = match &aborted {
        Ok(()) if txn.open == 0 => {
            format!("transaction aborted before any record was sent in it{before}")
        }
        Ok(()) => format!(
            "transaction aborted: none of its {} record(s) were committed{before}",
            txn.open
        ),
        Err(e) => format!(
            "the transaction of {} record(s) could not be aborted ({e:#}): the broker aborts it after transaction.timeout.ms, or when this transactional id is used again; none of its records were committed{before}",
            txn.open
        ),
    };
    if interrupt::interrupted() && failure.is_none() {
        eprintln!("dq: stopped by {}: {outcome}", interrupt::signal_name());
        return Ok(ExitCode::from(interrupt::exit_code()));
    }
    if let Some(e) = failure {
        eprintln!("dq: {e:#}");
    }
    eprintln!("dq: {outcome}");
    Ok(ExitCode::from(EXIT_TRANSACTION_ABORTED))
}

/// Waits up to `timeout` for stdin to have data (or end-of-file); an
/// interrupted wait counts as "not yet".
fn stdin_readable(timeout: Duration) -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, for the duration of the call.
    let ready = unsafe { libc::poll(&mut fds, 1, timeout.as_millis() as libc::c_int) };
    // Errors other than EINTR (none expected on fd 0) fall through to read,
    // which reports them properly.
    ready != 0 && !(ready < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted)
}

/// On a terminal each line waits for its own report before the next prompt.
fn wait_for(producer: &RecordProducer, sent: u64) {
    loop {
        let (delivered, failed) = producer.counts();
        if delivered + failed >= sent || interrupt::interrupted() {
            return;
        }
        producer.poll(Duration::from_millis(100));
    }
}
