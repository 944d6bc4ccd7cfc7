//! `dq generate completions|man`: shell completions and man pages, both
//! generated from the one clap definition, so they cannot disagree with
//! `--help`. The repository commits their output in `completions/` and
//! `man/`, and a test fails when those are stale.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory, Subcommand, ValueEnum};
use clap_complete::Shell;

use super::Cli;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub command: GenerateCommand,
}

#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Shell completion scripts, one file per shell (all shells when none
    /// is named).
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shells: Vec<ShellName>,
        /// Where to write them.
        #[arg(long, value_name = "DIR", default_value = "completions")]
        dir: PathBuf,
        /// Print the one named shell's script to stdout instead
        /// (`source <(dq generate completions bash --stdout)`).
        #[arg(long, conflicts_with = "dir")]
        stdout: bool,
    },
    /// Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …).
    Man {
        /// Where to write them.
        #[arg(long, value_name = "DIR", default_value = "man")]
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellName {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

impl ShellName {
    fn shell(self) -> Shell {
        match self {
            ShellName::Bash => Shell::Bash,
            ShellName::Zsh => Shell::Zsh,
            ShellName::Fish => Shell::Fish,
            ShellName::Powershell => Shell::PowerShell,
            ShellName::Elvish => Shell::Elvish,
        }
    }
}

pub fn run(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        GenerateCommand::Completions {
            shells,
            dir,
            stdout,
        } => {
            if stdout {
                let [shell] = shells[..] else {
                    return Err(super::usage_error_in(
                        &["generate", "completions"],
                        "--stdout prints one shell's script: name exactly one SHELL",
                    ));
                };
                // Rendered first: clap_complete panics on a failed write,
                // and `| head` closes the pipe early.
                let mut script = Vec::new();
                clap_complete::generate(shell.shell(), &mut Cli::command(), "dq", &mut script);
                io::stdout().write_all(&script)?;
                return Ok(ExitCode::SUCCESS);
            }
            let shells = if shells.is_empty() {
                ShellName::value_variants().to_vec()
            } else {
                shells
            };
            for path in completions(&dir, &shells)? {
                writeln!(io::stdout(), "{}", path.display())?;
            }
        }
        GenerateCommand::Man { dir } => {
            for path in man_pages(&dir)? {
                writeln!(io::stdout(), "{}", path.display())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes one completion script per shell into `dir`; returns their paths.
pub fn completions(dir: &Path, shells: &[ShellName]) -> anyhow::Result<Vec<PathBuf>> {
    create_dir(dir)?;
    shells
        .iter()
        .map(|shell| {
            clap_complete::generate_to(shell.shell(), &mut Cli::command(), "dq", dir)
                .with_context(|| format!("cannot write completions into {}", dir.display()))
        })
        .collect()
}

/// Writes dq.1 and a page per subcommand into `dir`; returns their paths,
/// sorted.
pub fn man_pages(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    create_dir(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "1"))
        .collect();
    pages.sort();
    Ok(pages)
}

fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}
