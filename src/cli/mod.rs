//! The command line: one definition (clap derive) and one module per
//! subcommand. No business logic lives here; each module turns flags into a
//! call into `broker`, `client` and `output`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod args;
pub mod consume;
pub mod groups;
mod interrupt;
pub mod offsets;
pub mod perf;
pub mod produce;
pub mod serve;
pub mod topics;

#[derive(Debug, Parser)]
#[command(
    name = "dq",
    version,
    about = "Kafka console tools and a single-node Kafka broker in one binary",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a single-node broker that speaks the Kafka wire protocol.
    Serve(serve::ServeArgs),
    /// Write records from stdin or a file to a topic, with delivery reports.
    Produce(produce::ProduceArgs),
    /// Read records from topics to stdout.
    Consume(consume::ConsumeArgs),
    /// List, describe, create, alter and delete topics (kafka-topics.sh).
    Topics(topics::TopicsArgs),
    /// List, describe, reset the offsets of, and delete consumer groups.
    Groups(groups::GroupsArgs),
    /// Show partition offsets (earliest, latest, at a time) or delete the
    /// records before an offset.
    Offsets(offsets::OffsetsArgs),
    /// Measure throughput and latency (kafka-producer-perf-test.sh and
    /// kafka-consumer-perf-test.sh).
    Perf(perf::PerfArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Produce(args) => produce::run(args),
        Command::Consume(args) => consume::run(args),
        Command::Topics(args) => topics::run(args),
        Command::Groups(args) => groups::run(args),
        Command::Offsets(args) => offsets::run(args),
        Command::Perf(args) => perf::run(args),
    }
}
