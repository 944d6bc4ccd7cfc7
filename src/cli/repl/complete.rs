//! Tab completion for the REPL, read off the one clap definition: the
//! subcommands and flags of whatever command the line is building, the
//! possible values of a flag, and topic and group names (from the broker,
//! see `names`) wherever an argument is called TOPIC or GROUP.

use clap::{Arg, Command};

/// Topic and group names known from the broker.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Names {
    pub topics: Vec<String>,
    pub groups: Vec<String>,
}

/// Where the word being completed starts in `line`, and its candidates,
/// sorted. `builtins` are the REPL's own commands, offered as first words.
pub fn complete(
    root: &Command,
    builtins: &[&str],
    names: &Names,
    line: &str,
) -> (usize, Vec<String>) {
    let start = line.rfind(char::is_whitespace).map_or(0, |at| {
        at + line[at..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &line[start..];
    let before: Vec<&str> = line[..start].split_whitespace().collect();
    let (command, depth) = leaf(root, &before);
    let rest = &before[depth..];

    let mut candidates: Vec<String> = if let Some(flag) = word.strip_prefix('-') {
        if flag.contains('=') {
            Vec::new()
        } else {
            flags(command)
        }
    } else if let Some(arg) = rest.last().and_then(|t| flag_taking_value(command, t)) {
        values(arg, names)
    } else if command.has_subcommands() {
        if rest.is_empty() {
            let mut subcommands = subcommand_names(command);
            if depth == 0 {
                subcommands.extend(builtins.iter().map(|b| b.to_string()));
            }
            subcommands
        } else {
            Vec::new()
        }
    } else {
        command
            .get_positionals()
            .flat_map(|arg| values(arg, names))
            .collect()
    };
    candidates.retain(|c| c.starts_with(word));
    candidates.sort();
    candidates.dedup();
    (start, candidates)
}

/// The subcommand the leading `tokens` name (`topics describe` → describe),
/// and how many tokens named it.
pub fn leaf<'a>(root: &'a Command, tokens: &[&str]) -> (&'a Command, usize) {
    let mut command = root;
    let mut depth = 0;
    for token in tokens {
        match command.find_subcommand(token) {
            Some(sub) => {
                command = sub;
                depth += 1;
            }
            None => break,
        }
    }
    (command, depth)
}

fn subcommand_names(command: &Command) -> Vec<String> {
    command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_visible_aliases()))
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

fn flags(command: &Command) -> Vec<String> {
    let mut out = vec!["--help".to_string()];
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        out.extend(arg.get_long().map(|l| format!("--{l}")));
        out.extend(
            arg.get_visible_aliases()
                .into_iter()
                .flatten()
                .map(|l| format!("--{l}")),
        );
        out.extend(arg.get_short().map(|s| format!("-{s}")));
    }
    out
}

/// The argument `token` names when it is a flag that takes a separate value
/// (`--topic`, `-g`), so the next word is that value.
fn flag_taking_value<'a>(command: &'a Command, token: &str) -> Option<&'a Arg> {
    if token.contains('=') {
        return None;
    }
    let arg = if let Some(long) = token.strip_prefix("--") {
        command.get_arguments().find(|a| {
            a.get_long() == Some(long)
                || a.get_visible_aliases()
                    .is_some_and(|aliases| aliases.contains(&long))
        })?
    } else {
        let mut chars = token.strip_prefix('-')?.chars();
        let short = chars.next()?;
        if chars.next().is_some() {
            return None;
        }
        command
            .get_arguments()
            .find(|a| a.get_short() == Some(short))?
    };
    arg.get_action().takes_values().then_some(arg)
}

/// Candidates for an argument's value: names from the broker for TOPIC and
/// GROUP arguments, the listed values for enumerations.
fn values(arg: &Arg, names: &Names) -> Vec<String> {
    let called = |what: &str| {
        arg.get_value_names()
            .is_some_and(|v| v.iter().any(|n| n.as_str().starts_with(what)))
            || arg.get_id().as_str().to_ascii_uppercase().starts_with(what)
    };
    if called("TOPIC") {
        names.topics.clone()
    } else if called("GROUP") {
        names.groups.clone()
    } else {
        arg.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn names() -> Names {
        Names {
            topics: vec!["orders".into(), "payments".into(), "orders-dlq".into()],
            groups: vec!["billing".into()],
        }
    }

    fn run(line: &str) -> (usize, Vec<String>) {
        complete(
            &crate::cli::Cli::command(),
            &["connect", "exit"],
            &names(),
            line,
        )
    }

    #[test]
    fn first_words_are_subcommands_and_builtins() {
        let (start, c) = run("to");
        assert_eq!((start, c), (0, vec!["topics".to_string()]));
        let (_, c) = run("co");
        assert_eq!(c, ["connect", "consume"]);
        let (start, c) = run("topics de");
        assert_eq!(start, 7);
        assert_eq!(c, ["delete", "describe"]);
    }

    #[test]
    fn topic_and_group_arguments_complete_from_the_broker() {
        assert_eq!(run("topics describe ord").1, ["orders", "orders-dlq"]);
        assert_eq!(run("produce pay").1, ["payments"]);
        assert_eq!(run("groups describe b").1, ["billing"]);
        assert_eq!(run("consume -g b").1, ["billing"]);
    }

    #[test]
    fn flags_and_their_values_complete() {
        let (start, c) = run("consume orders --from-b");
        assert_eq!(start, 15);
        assert_eq!(c, ["--from-beginning"]);
        assert_eq!(run("produce orders --acks a").1, ["all"]);
        assert!(run("topics list --")
            .1
            .contains(&"--include-internal".to_string()));
        assert!(run("produce orders --acks=").1.is_empty());
    }
}
