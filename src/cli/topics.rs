//! `dq topics`: list, describe, create, alter and delete topics, as
//! `kafka-topics.sh` (and, for configs, `kafka-configs.sh`) do. Both the
//! subcommand form (`dq topics create t --partitions 3`) and Kafka's
//! spelling (`dq topics --create --topic t --partitions 3`) are accepted;
//! the latter is translated into the former before anything runs.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::args::{parse_key_value, ConnectionArgs};
use super::confirm::confirm;
use super::usage_error;
use crate::client::admin::{ConfigChange, TopicAdmin};
use crate::output::topics::{describe_text, list_table};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    group(ArgGroup::new("action").required(true).multiple(false)
        .args(["create", "list", "describe", "alter", "delete"])),
    after_help = "Kafka's spelling works too: dq topics --create --topic t --partitions 3, \
                  --list, --describe --topic t, --alter --topic t --partitions 6, --delete --topic t."
)]
pub struct TopicsArgs {
    #[command(subcommand)]
    pub command: Option<TopicsCommand>,

    #[command(flatten)]
    pub kafka: KafkaSpelling,
}

#[derive(Debug, Subcommand)]
pub enum TopicsCommand {
    /// Topic names, partition counts and whether each is internal.
    List(ListArgs),
    /// Partitions (leader, replicas, ISR, earliest and latest offsets, size
    /// on disk) and config overrides of topics; every topic when none is named.
    Describe(DescribeArgs),
    /// Create a topic.
    Create(CreateArgs),
    /// Add partitions to a topic or change its configs.
    Alter(AlterArgs),
    /// Delete topics and all their records.
    Delete(DeleteArgs),
}

#[derive(Debug, Clone, Args)]
pub struct Common {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// `text` for people; `json` for scripts (a stable schema).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub common: Common,

    /// Also list internal topics such as __consumer_offsets.
    #[arg(long)]
    pub include_internal: bool,

    /// Print only the names, one per line, as `kafka-topics.sh --list` does.
    #[arg(long, hide = true)]
    pub names_only: bool,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub common: Common,

    /// Topics to describe (all when none is named).
    #[arg(value_name = "TOPIC")]
    pub topics: Vec<String>,

    /// With no TOPIC: describe internal topics too.
    #[arg(long)]
    pub include_internal: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub common: Common,

    #[arg(value_name = "TOPIC")]
    pub topic: String,

    /// Number of partitions (default: the broker's num.partitions).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..))]
    pub partitions: Option<i32>,

    /// Copies of each partition (default: the broker's; `dq serve` has one
    /// broker, so only 1 is possible there).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..))]
    pub replication_factor: Option<i32>,

    /// A topic config, e.g. --config retention.ms=3600000; repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub config: Vec<(String, String)>,

    /// Succeed without changing anything when the topic already exists.
    #[arg(long)]
    pub if_not_exists: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true)
    .args(["partitions", "config", "delete_config"])))]
pub struct AlterArgs {
    #[command(flatten)]
    pub common: Common,

    #[arg(value_name = "TOPIC")]
    pub topic: String,

    /// Grow the topic to this many partitions (Kafka cannot shrink one).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub partitions: Option<u32>,

    /// Set a topic config, leaving the other overrides as they are; repeatable.
    #[arg(long, visible_alias = "add-config", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub config: Vec<(String, String)>,

    /// Remove a config override (the broker default applies again); repeatable.
    #[arg(long, value_name = "KEY")]
    pub delete_config: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub common: Common,

    #[arg(value_name = "TOPIC", required = true)]
    pub topics: Vec<String>,

    /// Do not ask for confirmation (no question is asked without a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Succeed for topics that do not exist.
    #[arg(long)]
    pub if_exists: bool,
}

/// kafka-topics.sh's flags, for scripts written for it.
#[derive(Debug, Args)]
pub struct KafkaSpelling {
    #[command(flatten)]
    pub common: Common,

    /// Kafka spelling of `dq topics create`.
    #[arg(long, help_heading = "Kafka spelling")]
    pub create: bool,
    /// Kafka spelling of `dq topics list`.
    #[arg(long, help_heading = "Kafka spelling")]
    pub list: bool,
    /// Kafka spelling of `dq topics describe`.
    #[arg(long, help_heading = "Kafka spelling")]
    pub describe: bool,
    /// Kafka spelling of `dq topics alter`.
    #[arg(long, help_heading = "Kafka spelling")]
    pub alter: bool,
    /// Kafka spelling of `dq topics delete`.
    #[arg(long, help_heading = "Kafka spelling")]
    pub delete: bool,

    /// The topic to act on; repeatable for --describe and --delete.
    #[arg(long = "topic", value_name = "TOPIC", help_heading = "Kafka spelling")]
    pub topic: Vec<String>,

    /// With --create: the partition count; with --alter: the new, larger one.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..), help_heading = "Kafka spelling")]
    pub partitions: Option<i32>,

    /// With --create: copies of each partition (only 1 on `dq serve`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..), help_heading = "Kafka spelling")]
    pub replication_factor: Option<i32>,

    /// With --create or --alter: a topic config to set; repeatable.
    #[arg(long, visible_alias = "add-config", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Kafka spelling")]
    pub config: Vec<(String, String)>,

    /// With --alter: a config override to remove; repeatable.
    #[arg(long, value_name = "KEY", help_heading = "Kafka spelling")]
    pub delete_config: Vec<String>,

    /// With --create: succeed when the topic already exists.
    #[arg(long, help_heading = "Kafka spelling")]
    pub if_not_exists: bool,

    /// With --delete: succeed for topics that do not exist.
    #[arg(long, help_heading = "Kafka spelling")]
    pub if_exists: bool,

    /// With --list or --describe: include internal topics.
    #[arg(long, help_heading = "Kafka spelling")]
    pub include_internal: bool,

    /// With --delete: do not ask for confirmation.
    #[arg(short = 'y', long, help_heading = "Kafka spelling")]
    pub yes: bool,
}

impl KafkaSpelling {
    /// The subcommand these flags mean; a usage error for flags the action
    /// does not take.
    fn into_command(self) -> anyhow::Result<TopicsCommand> {
        let action = match (
            self.create,
            self.list,
            self.describe,
            self.alter,
            self.delete,
        ) {
            (true, ..) => "--create",
            (_, true, ..) => "--list",
            (_, _, true, ..) => "--describe",
            (.., true, _) => "--alter",
            _ => "--delete",
        };
        let given = [
            ("--partitions", self.partitions.is_some()),
            ("--replication-factor", self.replication_factor.is_some()),
            ("--config", !self.config.is_empty()),
            ("--delete-config", !self.delete_config.is_empty()),
            ("--if-not-exists", self.if_not_exists),
            ("--if-exists", self.if_exists),
            ("--include-internal", self.include_internal),
            ("--yes", self.yes),
            ("--topic", !self.topic.is_empty()),
        ];
        let allowed: &[&str] = match action {
            "--create" => &[
                "--partitions",
                "--replication-factor",
                "--config",
                "--if-not-exists",
                "--topic",
            ],
            "--list" => &["--include-internal"],
            "--describe" => &["--include-internal", "--topic"],
            "--alter" => &["--partitions", "--config", "--delete-config", "--topic"],
            _ => &["--if-exists", "--yes", "--topic"],
        };
        if let Some((flag, _)) = given.iter().find(|(f, g)| *g && !allowed.contains(f)) {
            return Err(usage_error(format!("{flag} cannot be used with {action}")));
        }
        let one_topic = |topics: Vec<String>| -> anyhow::Result<String> {
            match <[String; 1]>::try_from(topics) {
                Ok([t]) => Ok(t),
                Err(v) if v.is_empty() => Err(usage_error(format!("{action} needs --topic TOPIC"))),
                Err(_) => Err(usage_error(format!("{action} takes one --topic"))),
            }
        };
        let common = self.common;
        Ok(match action {
            "--create" => TopicsCommand::Create(CreateArgs {
                common,
                topic: one_topic(self.topic)?,
                partitions: self.partitions,
                replication_factor: self.replication_factor,
                config: self.config,
                if_not_exists: self.if_not_exists,
            }),
            "--list" => TopicsCommand::List(ListArgs {
                common,
                include_internal: self.include_internal,
                names_only: true,
            }),
            "--describe" => TopicsCommand::Describe(DescribeArgs {
                common,
                topics: self.topic,
                include_internal: self.include_internal,
            }),
            "--alter" => {
                if self.partitions.is_none()
                    && self.config.is_empty()
                    && self.delete_config.is_empty()
                {
                    return Err(usage_error(
                        "--alter needs --partitions N, --config KEY=VALUE or --delete-config KEY",
                    ));
                }
                TopicsCommand::Alter(AlterArgs {
                    common,
                    topic: one_topic(self.topic)?,
                    partitions: self.partitions.map(|p| p as u32),
                    config: self.config,
                    delete_config: self.delete_config,
                })
            }
            _ => {
                if self.topic.is_empty() {
                    return Err(usage_error("--delete needs --topic TOPIC"));
                }
                TopicsCommand::Delete(DeleteArgs {
                    common,
                    topics: self.topic,
                    yes: self.yes,
                    if_exists: self.if_exists,
                })
            }
        })
    }
}

pub fn run(args: TopicsArgs) -> anyhow::Result<ExitCode> {
    let command = match args.command {
        Some(command) => command,
        None => args.kafka.into_command()?,
    };
    match command {
        TopicsCommand::List(a) => list(a),
        TopicsCommand::Describe(a) => describe(a),
        TopicsCommand::Create(a) => create(a),
        TopicsCommand::Alter(a) => alter(a),
        TopicsCommand::Delete(a) => delete(a),
    }
}

fn connect(common: &Common) -> anyhow::Result<TopicAdmin> {
    let (options, _) = common.connection.split(&[])?;
    TopicAdmin::connect(&options)
}

fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn no_such_topic(topic: &str) -> anyhow::Error {
    anyhow::anyhow!("topic '{topic}' does not exist (`dq topics list` shows the topics there are)")
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let admin = connect(&args.common)?;
    let mut topics = admin.list()?;
    topics.retain(|t| args.include_internal || !t.internal);
    match args.common.output {
        Output::Json => print_json(&topics)?,
        Output::Text if args.names_only => {
            let mut out = io::stdout().lock();
            for t in &topics {
                writeln!(out, "{}", t.name)?;
            }
        }
        Output::Text => write!(io::stdout(), "{}", list_table(&topics))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(args: DescribeArgs) -> anyhow::Result<ExitCode> {
    let admin = connect(&args.common)?;
    let names: Vec<String> = if args.topics.is_empty() {
        admin
            .list()?
            .into_iter()
            .filter(|t| args.include_internal || !t.internal)
            .map(|t| t.name)
            .collect()
    } else {
        args.topics.clone()
    };
    let described = admin
        .describe(&names)?
        .map_err(|missing| no_such_topic(&missing))?;
    // A size is extra: its absence is explained, not an error.
    for note in &described.size_notes {
        eprintln!("dq: warning: {note}");
    }
    match args.common.output {
        Output::Json => print_json(&described.topics)?,
        Output::Text => {
            let mut out = io::stdout().lock();
            for t in &described.topics {
                out.write_all(describe_text(t).as_bytes())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Created<'a> {
    topic: &'a str,
    created: bool,
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let admin = connect(&args.common)?;
    let outcome = admin.create(
        &args.topic,
        args.partitions,
        args.replication_factor,
        &args.config,
    )?;
    let created = match outcome {
        Ok(()) => true,
        Err(r)
            if args.if_not_exists
                && r.code == rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists =>
        {
            false
        }
        Err(r) if r.code == rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists => {
            anyhow::bail!(
                "cannot create topic '{}': {r} (--if-not-exists makes that a success)",
                args.topic
            )
        }
        Err(r) => anyhow::bail!("cannot create topic '{}': {r}", args.topic),
    };
    match args.common.output {
        Output::Json => print_json(&Created {
            topic: &args.topic,
            created,
        })?,
        Output::Text if created => writeln!(io::stdout(), "Created topic {}.", args.topic)?,
        Output::Text => writeln!(
            io::stdout(),
            "Topic {} already exists; nothing changed.",
            args.topic
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Altered<'a> {
    topic: &'a str,
    /// The partition count after the change, when partitions were added.
    partitions: Option<u32>,
    set: BTreeMap<&'a str, &'a str>,
    deleted: &'a [String],
}

fn alter(args: AlterArgs) -> anyhow::Result<ExitCode> {
    let admin = connect(&args.common)?;
    let topic = args.topic.as_str();
    if !admin.exists(topic)? {
        return Err(no_such_topic(topic));
    }
    if let Some(total) = args.partitions {
        if let Err(r) = admin.add_partitions(topic, total as usize)? {
            anyhow::bail!("cannot change the partition count of topic '{topic}' to {total}: {r}");
        }
    }
    let changes: Vec<ConfigChange> = args
        .config
        .iter()
        .map(|(k, v)| ConfigChange::Set(k.clone(), v.clone()))
        .chain(
            args.delete_config
                .iter()
                .map(|k| ConfigChange::Delete(k.clone())),
        )
        .collect();
    if !changes.is_empty() {
        if let Err(r) = admin.alter_configs(topic, &changes)? {
            let done = if args.partitions.is_some() {
                " (the partitions were added)"
            } else {
                ""
            };
            anyhow::bail!("cannot change the configs of topic '{topic}': {r}{done}");
        }
    }
    match args.common.output {
        Output::Json => print_json(&Altered {
            topic,
            partitions: args.partitions,
            set: args
                .config
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            deleted: &args.delete_config,
        })?,
        Output::Text => {
            if let Some(total) = args.partitions {
                writeln!(io::stdout(), "Topic {topic} now has {total} partitions.")?;
            }
            if !changes.is_empty() {
                writeln!(io::stdout(), "Completed updating config for topic {topic}.")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Deleted<'a> {
    topic: &'a str,
    deleted: bool,
}

fn delete(args: DeleteArgs) -> anyhow::Result<ExitCode> {
    let admin = connect(&args.common)?;
    let existing = admin.list()?;
    let exists = |t: &str| existing.iter().any(|e| e.name == t);
    // Every name is checked before anything is deleted, so a typo in one
    // name does not leave the command half done.
    let missing: Vec<&str> = args
        .topics
        .iter()
        .map(String::as_str)
        .filter(|t| !exists(t))
        .collect();
    if !missing.is_empty() && !args.if_exists {
        let names = missing
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let (topic, verb) = if missing.len() == 1 {
            ("topic", "does")
        } else {
            ("topics", "do")
        };
        anyhow::bail!("{topic} {names} {verb} not exist (`dq topics list` shows the topics there are; --if-exists ignores missing ones)");
    }
    let mut targets: Vec<&str> = args
        .topics
        .iter()
        .map(String::as_str)
        .filter(|t| exists(t))
        .collect();
    targets.dedup();
    let question = match &targets[..] {
        [one] => format!("Delete topic {one} and all its records?"),
        many => format!("Delete topics {} and all their records?", many.join(", ")),
    };
    if !targets.is_empty() && !confirm(&question, args.yes)? {
        eprintln!("dq: nothing deleted");
        return Ok(ExitCode::FAILURE);
    }
    let mut report = Vec::with_capacity(args.topics.len());
    for topic in &targets {
        if let Err(r) = admin.delete(topic)? {
            anyhow::bail!("cannot delete topic '{topic}': {r}");
        }
        if args.common.output == Output::Text {
            writeln!(io::stdout(), "Deleted topic {topic}.")?;
        }
        report.push(Deleted {
            topic,
            deleted: true,
        });
    }
    for topic in &missing {
        report.push(Deleted {
            topic,
            deleted: false,
        });
    }
    if args.common.output == Output::Json {
        print_json(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}
