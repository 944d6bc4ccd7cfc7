use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dq::cli::Cli::parse();
    match dq::cli::run(cli) {
        Ok(code) => code,
        Err(err) => dq::cli::report_error(&err),
    }
}
