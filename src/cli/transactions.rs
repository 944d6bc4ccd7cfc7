//! `dq transactions list|describe|describe-producers|abort`:
//! kafka-transactions.sh, with its columns, over dq's own protocol
//! connection (librdkafka has no admin call for any of these).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::args::ConnectionArgs;
use super::usage_error_in;
use crate::client::transactions::{self, AbortSpec, ProducerState, TopicPartition};
use crate::client::{wire, ClientOptions};
use crate::output::table;

#[derive(Debug, Args)]
pub struct TransactionsArgs {
    #[command(subcommand)]
    pub command: TransactionsCommand,
}

#[derive(Debug, Subcommand)]
pub enum TransactionsCommand {
    /// Every transactional id the brokers coordinate, with its state.
    List(ListArgs),
    /// The state of one transactional id: its producer, its open
    /// transaction and that transaction's partitions.
    Describe(DescribeArgs),
    /// The producers a partition's leader keeps state for, and where each
    /// one's open transaction starts.
    DescribeProducers(DescribeProducersArgs),
    /// End a hanging transaction on one partition with an ABORT marker
    /// (needs administrative rights on a secured cluster).
    Abort(AbortArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Columns for people (`table` is accepted too).
    #[value(alias = "table")]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Only transactions open longer than this many milliseconds (a
    /// negative number: all).
    #[arg(long, value_name = "MS", allow_hyphen_values = true)]
    pub duration_filter: Option<i64>,

    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// The transactional id to describe.
    #[arg(long, value_name = "ID")]
    pub transactional_id: String,

    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DescribeProducersArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    #[arg(long, value_name = "N")]
    pub partition: i32,

    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct AbortArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    #[arg(long, value_name = "N")]
    pub partition: i32,

    /// The first offset of the transaction to abort (as
    /// `describe-producers` shows it); the producer is looked up from it.
    #[arg(long, value_name = "OFFSET", conflicts_with_all = ["producer_id", "producer_epoch", "coordinator_epoch"])]
    pub start_offset: Option<i64>,

    /// The producer whose transaction to abort, instead of --start-offset.
    #[arg(long, value_name = "ID", requires_all = ["producer_epoch", "coordinator_epoch"])]
    pub producer_id: Option<i64>,

    /// With --producer-id: its epoch.
    #[arg(long, value_name = "EPOCH", requires = "producer_id")]
    pub producer_epoch: Option<i16>,

    /// With --producer-id: the coordinator epoch for the marker (-1 is
    /// taken as 0, as kafka-transactions.sh does).
    #[arg(
        long,
        value_name = "EPOCH",
        requires = "producer_id",
        allow_hyphen_values = true
    )]
    pub coordinator_epoch: Option<i32>,

    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// `dq transactions describe --output json`.
#[derive(Debug, Serialize)]
struct Described {
    coordinator_id: i32,
    transactional_id: String,
    producer_id: i64,
    producer_epoch: i16,
    state: String,
    transaction_timeout_ms: i32,
    transaction_start_time_ms: Option<i64>,
    transaction_duration_ms: Option<i64>,
    partitions: Vec<TopicPartition>,
}

/// `dq transactions describe-producers --output json`.
#[derive(Debug, Serialize)]
struct Producers<'a> {
    topic: &'a str,
    partition: i32,
    producers: &'a [ProducerState],
}

/// `dq transactions abort --output json`.
#[derive(Debug, Serialize)]
struct Aborted {
    topic: String,
    partition: i32,
    producer_id: i64,
    producer_epoch: i16,
    coordinator_epoch: i32,
}

pub fn run(args: TransactionsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        TransactionsCommand::List(a) => list(a),
        TransactionsCommand::Describe(a) => describe(a),
        TransactionsCommand::DescribeProducers(a) => describe_producers(a),
        TransactionsCommand::Abort(a) => abort(a),
    }
}

/// The connection settings, refused unless PLAINTEXT: these calls go over
/// dq's own protocol connection, which speaks nothing else yet.
fn plaintext_options(connection: &ConnectionArgs) -> anyhow::Result<ClientOptions> {
    let (options, _) = connection.split(&[])?;
    if !wire::plaintext(&options) {
        anyhow::bail!(
            "dq transactions speaks PLAINTEXT only for now (SASL and SSL come with issue 16): drop security.protocol, or use kafka-transactions.sh"
        );
    }
    Ok(options)
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let options = plaintext_options(&args.connection)?;
    let listings = transactions::list(&options, args.duration_filter)?;
    table::print(
        args.output == Output::Json,
        &listings,
        &[
            "TransactionalId",
            "Coordinator",
            "ProducerId",
            "TransactionState",
        ],
        listings.iter().map(|l| {
            vec![
                l.transactional_id.clone(),
                l.coordinator.to_string(),
                l.producer_id.to_string(),
                l.state.clone(),
            ]
        }),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn describe(args: DescribeArgs) -> anyhow::Result<ExitCode> {
    let options = plaintext_options(&args.connection)?;
    let d = transactions::describe(&options, &args.transactional_id)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let described = Described {
        coordinator_id: d.coordinator_id,
        transactional_id: d.transactional_id,
        producer_id: d.producer_id,
        producer_epoch: d.producer_epoch,
        state: d.state,
        transaction_timeout_ms: d.timeout_ms,
        transaction_start_time_ms: d.start_time_ms,
        transaction_duration_ms: d.start_time_ms.map(|start| now.saturating_sub(start)),
        partitions: d.partitions,
    };
    let partitions: Vec<String> = described
        .partitions
        .iter()
        .map(|p| format!("{}-{}", p.topic, p.partition))
        .collect();
    table::print(
        args.output == Output::Json,
        &described,
        &[
            "CoordinatorId",
            "TransactionalId",
            "ProducerId",
            "ProducerEpoch",
            "TransactionState",
            "TransactionTimeoutMs",
            "CurrentTransactionStartTimeMs",
            "TransactionDurationMs",
            "TopicPartitions",
        ],
        [vec![
            described.coordinator_id.to_string(),
            described.transactional_id.clone(),
            described.producer_id.to_string(),
            described.producer_epoch.to_string(),
            described.state.clone(),
            described.transaction_timeout_ms.to_string(),
            none_cell(described.transaction_start_time_ms),
            none_cell(described.transaction_duration_ms),
            partitions.join(","),
        ]],
    )?;
    Ok(ExitCode::SUCCESS)
}

/// kafka-transactions.sh prints an absent value as `None`.
fn none_cell(value: Option<i64>) -> String {
    value.map_or_else(|| "None".to_string(), |v| v.to_string())
}

fn describe_producers(args: DescribeProducersArgs) -> anyhow::Result<ExitCode> {
    if args.partition < 0 {
        return Err(usage_error_in(
            &["transactions", "describe-producers"],
            format!("--partition {} is not a partition number", args.partition),
        ));
    }
    let options = plaintext_options(&args.connection)?;
    let producers = transactions::describe_producers(&options, &args.topic, args.partition)?;
    let rows = producers.iter().map(|p| {
        vec![
            p.producer_id.to_string(),
            p.producer_epoch.to_string(),
            p.coordinator_epoch.to_string(),
            p.last_sequence.to_string(),
            p.last_timestamp.to_string(),
            none_cell(p.current_transaction_start_offset),
        ]
    });
    table::print(
        args.output == Output::Json,
        &Producers {
            topic: &args.topic,
            partition: args.partition,
            producers: &producers,
        },
        &[
            "ProducerId",
            "ProducerEpoch",
            "LatestCoordinatorEpoch",
            "LastSequence",
            "LastTimestamp",
            "CurrentTransactionStartOffset",
        ],
        rows,
    )?;
    Ok(ExitCode::SUCCESS)
}

fn abort(args: AbortArgs) -> anyhow::Result<ExitCode> {
    let path = ["transactions", "abort"];
    if args.partition < 0 {
        return Err(usage_error_in(
            &path,
            format!("--partition {} is not a partition number", args.partition),
        ));
    }
    let options = plaintext_options(&args.connection)?;
    let spec = match (args.start_offset, args.producer_id) {
        (Some(offset), _) => {
            transactions::abort_spec_at(&options, &args.topic, args.partition, offset)?
        }
        (None, Some(producer_id)) => AbortSpec {
            topic: args.topic.clone(),
            partition: args.partition,
            producer_id,
            producer_epoch: args.producer_epoch.unwrap_or_default(),
            coordinator_epoch: args.coordinator_epoch.unwrap_or_default().max(0),
        },
        (None, None) => {
            return Err(usage_error_in(
                &path,
                "name the transaction to abort with --start-offset, or with --producer-id, --producer-epoch and --coordinator-epoch",
            ))
        }
    };
    transactions::abort(&options, &spec)?;
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => table::write_json(
            &mut out,
            &Aborted {
                topic: spec.topic,
                partition: spec.partition,
                producer_id: spec.producer_id,
                producer_epoch: spec.producer_epoch,
                coordinator_epoch: spec.coordinator_epoch,
            },
        )?,
        Output::Text => writeln!(
            out,
            "Aborted the transaction of producer {} (epoch {}) on {}-{}",
            spec.producer_id, spec.producer_epoch, spec.topic, spec.partition
        )?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
