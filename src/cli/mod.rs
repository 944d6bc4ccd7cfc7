//! The command line: one definition (clap derive) and one module per
//! subcommand. No business logic lives here; each module turns flags into a
//! call into `broker`, `client` and `output`.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

pub mod args;
mod confirm;
pub mod consume;
pub mod dump_log;
pub mod generate;
pub mod groups;
mod interrupt;
pub mod offsets;
pub mod perf;
pub mod produce;
pub mod profile;
pub mod repl;
pub mod serve;
pub mod topics;
pub mod transactions;

#[derive(Debug, Parser)]
#[command(
    name = "dq",
    version,
    about = "Kafka console tools and a single-node Kafka broker in one binary",
    propagate_version = true
)]
pub struct Cli {
    /// Without one, on a terminal: the REPL.
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// List and describe transactions and the producers of a partition,
    /// and abort a hanging transaction (kafka-transactions.sh).
    Transactions(transactions::TransactionsArgs),
    /// An interactive prompt where every subcommand runs, with Tab
    /// completion of commands, flags, topics and groups (also `dq` alone on
    /// a terminal).
    Repl(repl::ReplArgs),
    /// Write shell completions or man pages, generated from this binary's
    /// own flags.
    Generate(generate::GenerateArgs),
    /// List the connection profiles in the config file, or show the
    /// settings in force and where each comes from.
    Profile(profile::ProfileArgs),
    /// Measure throughput and latency (kafka-producer-perf-test.sh and
    /// kafka-consumer-perf-test.sh).
    Perf(perf::PerfArgs),
    /// Print the record batches of segment files, check them with
    /// --verify (kafka-dump-log.sh).
    DumpLog(dump_log::DumpLogArgs),
}

/// A usage error (exit code 2) in clap's own format, for the rules clap
/// cannot express. Returned rather than exited on, so that the REPL can
/// print it and go on; `main` prints it and exits 2.
pub fn usage_error(message: impl std::fmt::Display) -> anyhow::Error {
    usage_error_in(&[], message)
}

/// [`usage_error`] with the usage line of the subcommand at `path`
/// (e.g. `["groups", "reset-offsets"]`).
pub fn usage_error_in(path: &[&str], message: impl std::fmt::Display) -> anyhow::Error {
    let mut command = Cli::command().bin_name("dq");
    command.build();
    let mut at = &mut command;
    for name in path {
        at = at
            .find_subcommand_mut(name)
            .expect("usage_error_in names a defined subcommand");
    }
    anyhow::Error::new(at.error(clap::error::ErrorKind::ArgumentConflict, message))
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        if io::stdin().is_terminal() && io::stdout().is_terminal() {
            return repl::run(Cli::parse_from(["dq", "repl"]).repl_args(), Vec::new());
        }
        return Err(usage_error(
            "no subcommand given: `dq --help` lists them (`dq` alone on a terminal starts the REPL)",
        ));
    };
    // Every client command stops cleanly on Ctrl-C, SIGTERM and SIGHUP;
    // the broker has its own shutdown, and the REPL its own dispositions.
    if !matches!(
        command,
        Command::Serve(_) | Command::Generate(_) | Command::Repl(_)
    ) {
        interrupt::install();
    }
    match command {
        Command::Serve(args) => serve::run(args),
        Command::Produce(args) => produce::run(args),
        Command::Consume(args) => consume::run(args),
        Command::Topics(args) => topics::run(args),
        Command::Groups(args) => groups::run(args),
        Command::Offsets(args) => offsets::run(args),
        Command::Transactions(args) => transactions::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Repl(args) => {
            // The REPL hands its own connection flags on to every command.
            let inherited = std::env::args()
                .skip_while(|a| a != "repl")
                .skip(1)
                .collect();
            repl::run(args, inherited)
        }
        Command::Profile(args) => profile::run(args),
        Command::Perf(args) => perf::run(args),
        Command::DumpLog(args) => dump_log::run(args),
    }
}

impl Cli {
    fn repl_args(self) -> repl::ReplArgs {
        match self.command {
            Some(Command::Repl(args)) => args,
            _ => unreachable!("parsed from `dq repl`"),
        }
    }
}

/// Prints a command's error the way dq does at the top level, and returns
/// its exit code: a closed pipe is success (the reader had enough), a usage
/// error is clap's text and 2, a wait cut short by a signal is 128 + the
/// signal, anything else is `dq: …` and 1.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    let broken_pipe = err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // A wait given up on Ctrl-C (or SIGTERM, SIGHUP): the person asked for
    // it, so there is nothing to explain, only the signal's exit code.
    if crate::client::cancel::is_cancelled(err) {
        return ExitCode::from(interrupt::exit_code());
    }
    if let Some(usage) = err.downcast_ref::<clap::Error>() {
        let _ = usage.print();
        return ExitCode::from(usage.exit_code() as u8);
    }
    eprintln!("dq: {err:#}");
    ExitCode::FAILURE
}
