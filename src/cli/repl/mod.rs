//! `dq repl` (and `dq` alone on a terminal): a rustyline prompt where every
//! subcommand runs with its usual syntax against the broker shown in the
//! prompt. A failing command prints its error and the prompt comes back;
//! Ctrl-C stops the running command (a following `consume`, a `produce`
//! session) and returns to the prompt rather than ending the REPL.

mod complete;
mod names;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, CommandFactory, Parser};
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Editor, Helper};

use super::args::ConnectionArgs;
use super::{interrupt, Cli, Command};
use names::NameCache;

#[derive(Debug, Clone, Args)]
pub struct ReplArgs {
    /// The connection every command inside the REPL uses unless it gives
    /// its own (`connect ADDR` switches the broker).
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// The REPL's own commands, beside dq's subcommands.
const BUILTINS: &[&str] = &["connect", "exit", "help", "quit", "refresh"];

const HELP: &str = "\
Every dq subcommand works here with the same syntax (`topics list`,
`produce orders -k id`, `consume orders --from-beginning`, …); `--help`
after any of them shows its flags. Tab completes subcommands, flags, and
topic and group names.

  produce TOPIC     each line typed is a record; Ctrl-D returns here
  consume TOPIC     follows the topic; Ctrl-C returns here
  connect ADDR      use the broker at ADDR from now on
  refresh           fetch topic and group names for Tab again
  help              this text (`help COMMAND` is `COMMAND --help`)
  exit, quit        leave (Ctrl-D at an empty prompt does too)";

pub fn run(args: ReplArgs, inherited: Vec<String>) -> anyhow::Result<ExitCode> {
    let (options, _) = args.connection.split(&[])?;
    let mut session = Session {
        root: Cli::command(),
        broker: options.bootstrap.clone(),
        inherited: strip_flags(&inherited, BROKER_FLAGS),
        names: Arc::new(NameCache::start(options)),
    };
    crate::client::set_long_lived();
    // Ctrl-C while a command runs sets the flag the command watches, instead
    // of ending the REPL; at the prompt, rustyline reads it as a key.
    interrupt::install_for_repl();

    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(true)
        .history_ignore_space(true)
        .build();
    let mut editor: Editor<ReplHelper, DefaultHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper {
        root: session.root.clone(),
        names: Arc::clone(&session.names),
    }));
    let history = history_path();
    if let Some(path) = &history {
        // No history yet is the usual first run.
        let _ = editor.load_history(path);
    }
    eprintln!(
        "dq {} — `help` for help, Ctrl-D to leave",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        let prompt = format!("dq {}> ", session.broker);
        let line = match editor.readline(&prompt) {
            Ok(line) => line,
            // Ctrl-C at the prompt drops the line, as in a shell.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(anyhow::Error::new(e).context("cannot read the terminal")),
        };
        let flow = session.execute(&line);
        if let Some(path) = &history {
            save_history(&mut editor, path);
        }
        if flow == Flow::Exit {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Exit,
}

struct Session {
    /// dq's command tree, built once: where a line's subcommand ends.
    root: clap::Command,
    broker: String,
    /// The connection flags `dq repl` was given (other than the broker),
    /// passed on to every command that takes them.
    inherited: Vec<String>,
    names: Arc<NameCache>,
}

impl Session {
    fn execute(&mut self, line: &str) -> Flow {
        let words = match shell_words::split(line) {
            Ok(words) => words,
            Err(e) => {
                eprintln!("dq: cannot split the line into words: {e}");
                return Flow::Continue;
            }
        };
        let Some(first) = words.first() else {
            return Flow::Continue;
        };
        match first.as_str() {
            "exit" | "quit" => return Flow::Exit,
            "help" | "?" if words.len() == 1 => {
                println!("{HELP}\n");
                let _ = Cli::command().print_help();
                return Flow::Continue;
            }
            "help" => {
                self.run(
                    words[1..]
                        .iter()
                        .cloned()
                        .chain(["--help".into()])
                        .collect(),
                );
                return Flow::Continue;
            }
            "connect" => {
                match words.get(1..) {
                    Some([addr]) => self.connect(addr),
                    Some([]) => eprintln!("connected to {}", self.broker),
                    _ => eprintln!("dq: connect takes one address: connect HOST:PORT[,...]"),
                }
                return Flow::Continue;
            }
            "refresh" => {
                self.names.refresh();
                return Flow::Continue;
            }
            "repl" => {
                eprintln!("dq: already in the REPL");
                return Flow::Continue;
            }
            _ => {}
        }
        self.run(words);
        // The command may have created or deleted a topic or a group.
        self.names.refresh();
        Flow::Continue
    }

    fn connect(&mut self, addr: &str) {
        let argv = ["dq", "repl"]
            .into_iter()
            .map(String::from)
            .chain(strip_flags(&self.inherited, PROFILE_FLAGS))
            .chain(["--bootstrap-server".into(), addr.into()]);
        let options = match Cli::try_parse_from(argv) {
            Ok(Cli {
                command: Some(Command::Repl(args)),
            }) => args.connection.split(&[]).map(|(options, _)| options),
            Ok(_) => unreachable!("`dq repl` parses as the repl command"),
            Err(e) => Err(anyhow::Error::new(e)),
        };
        match options {
            Ok(options) => {
                self.broker = options.bootstrap.clone();
                self.names.connect(options);
            }
            Err(e) => {
                super::report_error(&e);
            }
        }
    }

    /// Runs one dq command line (without the leading `dq`).
    fn run(&self, words: Vec<String>) {
        let argv = self.with_connection(words);
        let cli = match Cli::try_parse_from(argv) {
            Ok(cli) => cli,
            Err(e) => {
                // Usage errors, and --help and --version, which print too.
                let _ = e.print();
                return;
            }
        };
        if matches!(cli.command, None | Some(Command::Repl(_))) {
            eprintln!("dq: already in the REPL");
            return;
        }
        interrupt::reset();
        let result = super::run(cli);
        interrupt::reset();
        if let Err(err) = result {
            super::report_error(&err);
        }
    }

    /// `dq` plus `words`, with the REPL's connection flags added right after
    /// the subcommand when it takes them and does not set them itself, so
    /// that the line's own `-X` flags come later and win.
    fn with_connection(&self, words: Vec<String>) -> Vec<String> {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let (leaf, depth) = complete::leaf(&self.root, &refs);
        let mut argv = vec!["dq".to_string()];
        argv.extend(words[..depth].iter().cloned());
        let takes_connection = leaf
            .get_arguments()
            .any(|a| a.get_id() == "bootstrap_server");
        if takes_connection {
            let own_profile = has_flag(&words[depth..], PROFILE_FLAGS);
            if !own_profile && !has_flag(&words[depth..], BROKER_FLAGS) {
                argv.push("--bootstrap-server".into());
                argv.push(self.broker.clone());
            }
            argv.extend(if own_profile {
                strip_flags(&self.inherited, PROFILE_FLAGS)
            } else {
                self.inherited.clone()
            });
        }
        argv.extend(words[depth..].iter().cloned());
        argv
    }
}

const BROKER_FLAGS: &[&str] = &["-b", "--bootstrap-server", "--bootstrap-servers"];
const PROFILE_FLAGS: &[&str] = &["--profile"];

/// Whether `words` set one of the single-value `flags` (`-b X`, `-bX`,
/// `--bootstrap-server=X`); words after `--` are values, not flags.
fn has_flag(words: &[String], flags: &[&str]) -> bool {
    words
        .iter()
        .take_while(|w| *w != "--")
        .any(|w| flag_width(w, flags).is_some())
}

/// How many words the flag at `word` spans (1 with its value attached, 2
/// with the value in the next word), when it is one of `flags`.
fn flag_width(word: &str, flags: &[&str]) -> Option<usize> {
    flags.iter().find_map(|flag| {
        let rest = word.strip_prefix(flag)?;
        if rest.is_empty() {
            Some(2)
        } else if rest.starts_with('=') || (!flag.starts_with("--") && !rest.starts_with('-')) {
            Some(1)
        } else {
            None
        }
    })
}

/// `words` without `flags` and their values.
fn strip_flags(words: &[String], flags: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < words.len() {
        match flag_width(&words[at], flags) {
            Some(width) => at += width,
            None => {
                out.push(words[at].clone());
                at += 1;
            }
        }
    }
    out
}

fn history_path() -> Option<PathBuf> {
    Some(dirs::data_dir()?.join("dq").join("history"))
}

/// Saved after every line, so a killed terminal keeps what was typed.
fn save_history(editor: &mut Editor<ReplHelper, DefaultHistory>, path: &std::path::Path) {
    let saved = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .map_err(ReadlineError::Io)
        .and_then(|()| editor.save_history(path));
    if let Err(e) = saved {
        eprintln!("dq: cannot save the history to {}: {e}", path.display());
    }
}

struct ReplHelper {
    root: clap::Command,
    names: Arc<NameCache>,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let names = self.names.names();
        Ok(complete::complete(
            &self.root,
            BUILTINS,
            &names,
            &line[..pos],
        ))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn connection_flags_are_found_in_every_spelling() {
        for line in [
            "-b x",
            "-bx",
            "--bootstrap-server x",
            "--bootstrap-server=x",
        ] {
            assert!(has_flag(&words(line), BROKER_FLAGS), "{line}");
        }
        assert!(!has_flag(&words("-- -b x"), BROKER_FLAGS));
        assert!(!has_flag(&words("--bootstrap-serverless"), BROKER_FLAGS));
        assert_eq!(
            strip_flags(
                &words("-X a=b -b x --timeout 5s --bootstrap-server=y"),
                BROKER_FLAGS
            ),
            words("-X a=b --timeout 5s")
        );
    }
}
