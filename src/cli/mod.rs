//! The command line: one definition (clap derive) and one module per
//! subcommand. No business logic lives here; each module turns flags into a
//! call into `broker` (and later `client`/`output`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod serve;

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
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(args),
    }
}
