use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dq::cli::Cli::parse();
    match dq::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dq: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// A closed stdout (`dq consume | head`) is how a pipeline says "enough".
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
