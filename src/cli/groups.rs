//! `dq groups`: list, describe, reset the offsets of, and delete consumer
//! groups, like kafka-consumer-groups.sh.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::args::{parse_duration, parse_key_value, ConnectionArgs};
use super::confirm::confirm;
use crate::client::groups::{
    self as group_admin, Cluster, GroupDescription, GroupState, Member, TopicPartitions,
};
use crate::client::reset::{self, ResetSpec, Scope};
use crate::client::share_groups;
use crate::client::ClientOptions;
use crate::output::table::{self, cell};
use crate::output::time::parse_iso;

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(subcommand)]
    pub command: GroupsCommand,
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List the consumer groups with their state, protocol and member count.
    List(ListArgs),
    /// Show a group's committed offsets and lag per partition (or, with
    /// --members / --state, its members or its state).
    Describe(DescribeArgs),
    /// Move a group's committed offsets (a dry run unless --execute).
    ResetOffsets(ResetArgs),
    /// Delete groups and their committed offsets.
    Delete(DeleteArgs),
    /// Delete a group's committed offsets for some topics or partitions.
    DeleteOffsets(DeleteOffsetsArgs),
    /// Set or delete a group's configs (kafka-configs.sh --entity-type
    /// groups), or give a share group a dead-letter topic.
    Alter(AlterArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Columns for people (`table` is accepted too).
    #[value(alias = "table")]
    Text,
    /// One JSON document for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The consumer group.
    pub group: String,
    /// Show the members: consumer id, host, client id and partition count.
    #[arg(long, conflicts_with = "state")]
    pub members: bool,
    /// With --members: also each member's assigned partitions.
    #[arg(long, short = 'v', requires = "members")]
    pub verbose: bool,
    /// Show the group's state, assignment strategy and member count.
    #[arg(long)]
    pub state: bool,
    /// JSON always holds every view: state, members, partitions and lag.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("spec").required(true).multiple(false)))]
#[command(group(ArgGroup::new("scope").multiple(false)))]
pub struct ResetArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The consumer group (it must have no active members).
    pub group: String,

    /// Reset these topics: TOPIC (every partition) or TOPIC:P,P,...;
    /// repeatable.
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", group = "scope", value_parser = parse_topic_partitions)]
    pub topics: Vec<(String, Option<Vec<i32>>)>,
    /// Reset every topic the group has committed offsets for.
    #[arg(long, group = "scope")]
    pub all_topics: bool,

    /// To the earliest offset still in the log.
    #[arg(long, group = "spec")]
    pub to_earliest: bool,
    /// To the end of the log (skip everything there now).
    #[arg(long, group = "spec")]
    pub to_latest: bool,
    /// To the committed offset (the end where there is none).
    #[arg(long, group = "spec")]
    pub to_current: bool,
    /// To this offset (kept within the log's bounds).
    #[arg(long, value_name = "OFFSET", group = "spec")]
    pub to_offset: Option<i64>,
    /// Forward (N) or back (-N) from the committed offset.
    #[arg(long, value_name = "N", group = "spec", allow_hyphen_values = true)]
    pub shift_by: Option<i64>,
    /// To the first record at or after this time: ISO-8601 (UTC unless it
    /// names a zone) or milliseconds since the epoch.
    #[arg(long, value_name = "DATETIME", group = "spec", value_parser = parse_datetime)]
    pub to_datetime: Option<i64>,
    /// To the first record at most this long ago: PnDTnHnMnS as Kafka takes
    /// it, or 90m, 2h, 1d.
    #[arg(long, value_name = "DURATION", group = "spec", value_parser = parse_ago)]
    pub by_duration: Option<std::time::Duration>,
    /// To the offsets in a CSV of topic,partition,offset lines (Kafka's
    /// format); its partitions are the scope unless --topic narrows it.
    #[arg(long, value_name = "FILE", group = "spec")]
    pub from_file: Option<PathBuf>,

    /// Commit the new offsets; without it nothing changes (a dry run).
    #[arg(long)]
    pub execute: bool,
    /// Accepted for kafka-consumer-groups.sh habits: the default anyway.
    #[arg(long, conflicts_with = "execute")]
    pub dry_run: bool,
    /// With --execute: do not ask for confirmation (it is only asked on a
    /// terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,

    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The groups to delete (they must have no active members).
    #[arg(required = true, value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Do not ask for confirmation (it is only asked on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DeleteOffsetsArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The consumer group.
    pub group: String,
    /// TOPIC (every partition) or TOPIC:P,P,...; repeatable.
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", required = true, value_parser = parse_topic_partitions)]
    pub topics: Vec<(String, Option<Vec<i32>>)>,
    /// Do not ask for confirmation (it is only asked on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true)))]
pub struct AlterArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The group (it need not exist yet: its configs apply once it does).
    pub group: String,
    /// Set a group config, under Kafka's name: share.record.lock.duration.ms,
    /// share.delivery.count.limit, share.auto.offset.reset,
    /// share.isolation.level, share.session.timeout.ms,
    /// share.heartbeat.interval.ms, consumer.session.timeout.ms, …;
    /// repeatable.
    #[arg(long = "config", value_name = "KEY=VALUE", group = "change", value_parser = parse_key_value)]
    pub configs: Vec<(String, String)>,
    /// Remove a group config (the broker's default applies again);
    /// repeatable.
    #[arg(long = "delete-config", value_name = "KEY", group = "change")]
    pub delete_configs: Vec<String>,
    /// The share group's dead-letter topic (KIP-1191): records a member
    /// rejects, or that reach the delivery count limit, are copied there
    /// before they are archived. Its name must start with the broker's
    /// prefix (errors.deadletterqueue.topic.name.prefix, `dlq.` by
    /// default); it is created, with errors.deadletterqueue.group.enable=true,
    /// when missing.
    #[arg(long, value_name = "TOPIC", group = "change")]
    pub dead_letter_topic: Option<String>,
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

/// `orders` or `orders:0,2`.
pub fn parse_topic_partitions(s: &str) -> Result<(String, Option<Vec<i32>>), String> {
    match s.rsplit_once(':') {
        None if !s.is_empty() => Ok((s.to_string(), None)),
        Some((topic, list)) if !topic.is_empty() => {
            let partitions = list
                .split(',')
                .map(|p| p.trim().parse::<i32>().ok().filter(|p| *p >= 0))
                .collect::<Option<Vec<i32>>>()
                .ok_or_else(|| {
                    format!("'{list}' in '{s}' is not a list of partitions (TOPIC:0,1,2)")
                })?;
            Ok((topic.to_string(), Some(partitions)))
        }
        _ => Err(format!("'{s}' is not TOPIC or TOPIC:P,P,...")),
    }
}

/// ISO-8601 or milliseconds since the epoch.
fn parse_datetime(s: &str) -> Result<i64, String> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|_| format!("'{s}' is out of range"));
    }
    parse_iso(s).ok_or_else(|| {
        format!("'{s}' is not a date-time (examples: 2024-05-01T12:00:00Z, 2024-05-01T12:00:00.000+02:00, 1714564800000)")
    })
}

/// Kafka's ISO-8601 durations (`PT1H30M`, `P1DT12H`) or dq's own (`90m`).
fn parse_ago(s: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("'{s}' is not a duration (examples: PT30M, P1DT2H, 90m, 2h)");
    let Some(rest) = s.strip_prefix('P').or_else(|| s.strip_prefix('p')) else {
        return parse_duration(s).map_err(|_| bad());
    };
    let mut seconds = 0f64;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' if !in_time && number.is_empty() => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let n: f64 = number.parse().map_err(|_| bad())?;
                number.clear();
                seconds += n * match (unit, in_time) {
                    ('W', false) => 7.0 * 86400.0,
                    ('D', false) => 86400.0,
                    ('H', true) => 3600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return Err(bad()),
                };
                any = true;
            }
        }
    }
    if !number.is_empty() || !any {
        return Err(bad());
    }
    std::time::Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

/// Clap's usage error for `dq groups reset-offsets`, for the one rule clap
/// cannot express (a scope unless --from-file gives one).
fn reset_usage_error(message: &str) -> anyhow::Error {
    super::usage_error_in(&["groups", "reset-offsets"], message)
}

pub fn run(args: GroupsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        GroupsCommand::List(a) => list(a),
        GroupsCommand::Describe(a) => describe(a),
        GroupsCommand::ResetOffsets(a) => reset_offsets(a),
        GroupsCommand::Delete(a) => delete(a),
        GroupsCommand::DeleteOffsets(a) => delete_offsets(a),
        GroupsCommand::Alter(a) => alter(a),
    }
}

fn connect(connection: &ConnectionArgs) -> anyhow::Result<Cluster> {
    let (options, _) = connection.split(&[])?;
    Cluster::connect(&options)
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let cluster = connect(&args.connection)?;
    let groups = cluster.list_groups()?;
    table::print(
        args.output == Output::Json,
        &groups,
        &[
            "GROUP",
            "TYPE",
            "STATE",
            "PROTOCOL-TYPE",
            "PROTOCOL",
            "MEMBERS",
        ],
        groups.iter().map(|g| {
            vec![
                g.group.clone(),
                g.group_type.clone(),
                g.state.clone(),
                g.protocol_type.clone(),
                g.protocol.clone(),
                g.members.to_string(),
            ]
        }),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn describe(args: DescribeArgs) -> anyhow::Result<ExitCode> {
    let cluster = connect(&args.connection)?;
    let state = cluster.describe_group(&args.group)?;
    if state.group_type == "share" {
        return describe_share(&args, &cluster, state);
    }
    let d = group_admin::describe(&cluster, state)?;
    let mut out = io::stdout().lock();
    if args.output == Output::Json {
        table::write_json(&mut out, &d)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.state {
        write_state(
            &mut out,
            &d.group,
            &d.group_type,
            &d.protocol,
            &d.state,
            d.members.len(),
            d.group_epoch.zip(d.assignment_epoch),
        )?;
    } else if args.members {
        write_members(
            &mut out,
            &d.group,
            &d.group_type,
            &d.members,
            d.assignment_epoch,
            args.verbose,
        )?;
    } else {
        if d.members.is_empty() {
            eprintln!("Consumer group '{}' has no active members.", d.group);
        }
        write_lag(&mut out, &d)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--state`: one row; a consumer-protocol or share group's epochs, as
/// kafka-consumer-groups.sh shows them: the group's, and that of its target
/// assignment.
fn write_state(
    out: &mut impl Write,
    group: &str,
    group_type: &str,
    protocol: &str,
    state: &str,
    members: usize,
    epochs: Option<(i32, i32)>,
) -> io::Result<()> {
    let mut headers = vec!["GROUP", "TYPE", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"];
    let mut row = vec![
        group.to_string(),
        group_type.to_string(),
        protocol.to_string(),
        state.to_string(),
        members.to_string(),
    ];
    if let Some((group, target)) = epochs {
        headers.extend(["GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH"]);
        row.extend([group.to_string(), target.to_string()]);
    }
    let mut t = table::new(&headers);
    t.add_row(row);
    table::write(out, &t)
}

fn write_members(
    out: &mut impl Write,
    group: &str,
    group_type: &str,
    members: &[Member],
    assignment_epoch: Option<i32>,
    verbose: bool,
) -> io::Result<()> {
    if members.is_empty() {
        eprintln!(
            "{} group '{group}' has no active members.",
            kind_name(group_type)
        );
    }
    // Consumer-protocol groups have instance ids and epochs to show, and a
    // target assignment beside the current one while members reconcile;
    // share-group members have an epoch and what they were assigned.
    let consumer = group_type == "consumer";
    let share = group_type == "share";
    let mut headers = vec!["GROUP", "CONSUMER-ID"];
    if consumer {
        headers.push("GROUP-INSTANCE-ID");
    }
    headers.extend(["HOST", "CLIENT-ID", "#PARTITIONS"]);
    if verbose && consumer {
        headers.extend([
            "CURRENT-EPOCH",
            "CURRENT-ASSIGNMENT",
            "TARGET-EPOCH",
            "TARGET-ASSIGNMENT",
        ]);
    } else if verbose && share {
        headers.extend(["MEMBER-EPOCH", "ASSIGNMENT"]);
    } else if verbose {
        headers.push("ASSIGNMENT");
    }
    let mut t = table::new(&headers);
    for m in members {
        let count: usize = m.assignment.iter().map(|a| a.partitions.len()).sum();
        let mut row = vec![group.to_string(), m.consumer_id.clone()];
        if consumer {
            row.push(cell(m.instance_id.as_ref()));
        }
        row.extend([m.host.clone(), m.client_id.clone(), count.to_string()]);
        if verbose && consumer {
            row.extend([
                cell(m.member_epoch),
                assignment_cell(&m.assignment),
                cell(assignment_epoch),
                assignment_cell(m.target_assignment.as_deref().unwrap_or_default()),
            ]);
        } else if verbose && share {
            row.extend([cell(m.member_epoch), assignment_cell(&m.assignment)]);
        } else if verbose {
            row.push(assignment_cell(&m.assignment));
        }
        t.add_row(row);
    }
    table::write(out, &t)
}

/// "Consumer" or "Share", for messages about a group.
fn kind_name(group_type: &str) -> &'static str {
    if group_type == "share" {
        "Share"
    } else {
        "Consumer"
    }
}

/// `dq groups describe` of a share group: its start offsets, records in
/// flight and lag (kafka-share-groups.sh's view), or its members or state.
fn describe_share(
    args: &DescribeArgs,
    cluster: &Cluster,
    state: GroupState,
) -> anyhow::Result<ExitCode> {
    let (options, _) = args.connection.split(&[])?;
    let d = share_groups::describe_lag(cluster, &options, state)?;
    let mut out = io::stdout().lock();
    if args.output == Output::Json {
        table::write_json(&mut out, &d)?;
    } else if args.state {
        write_state(
            &mut out,
            &d.group,
            &d.group_type,
            &d.protocol,
            &d.state,
            d.members.len(),
            d.group_epoch.zip(d.assignment_epoch),
        )?;
    } else if args.members {
        write_members(
            &mut out,
            &d.group,
            &d.group_type,
            &d.members,
            d.assignment_epoch,
            args.verbose,
        )?;
    } else {
        if d.members.is_empty() {
            eprintln!("Share group '{}' has no active members.", d.group);
        }
        let mut t = table::new(&[
            "GROUP",
            "TOPIC",
            "PARTITION",
            "START-OFFSET",
            "IN-FLIGHT",
            "LOG-END-OFFSET",
            "LAG",
        ]);
        for p in &d.partitions {
            t.add_row(vec![
                d.group.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                cell(p.start_offset),
                cell(p.in_flight),
                p.log_end_offset.to_string(),
                cell(p.lag),
            ]);
        }
        table::write(&mut out, &t)?;
        writeln!(out)?;
        let mut totals = table::new(&["TOPIC", "TOTAL-LAG"]);
        for l in &d.topic_lag {
            totals.add_row(vec![l.topic.clone(), l.lag.to_string()]);
        }
        table::write(&mut out, &totals)?;
        writeln!(out, "\nTotal lag: {}", d.total_lag)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `orders(0,1),payments(2)`, or `-` for nothing.
fn assignment_cell(assignment: &[TopicPartitions]) -> String {
    let topics: Vec<String> = assignment
        .iter()
        .map(|a| {
            let ps: Vec<String> = a.partitions.iter().map(i32::to_string).collect();
            format!("{}({})", a.topic, ps.join(","))
        })
        .collect();
    if topics.is_empty() {
        "-".to_string()
    } else {
        topics.join(",")
    }
}

fn write_lag(out: &mut impl Write, d: &GroupDescription) -> io::Result<()> {
    let mut t = table::new(&[
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]);
    for p in &d.partitions {
        t.add_row(vec![
            d.group.clone(),
            p.topic.clone(),
            p.partition.to_string(),
            cell(p.current_offset),
            p.log_end_offset.to_string(),
            cell(p.lag),
            cell(p.consumer_id.as_ref()),
            cell(p.host.as_ref()),
            cell(p.client_id.as_ref()),
        ]);
    }
    table::write(out, &t)?;
    writeln!(out)?;
    let mut totals = table::new(&["TOPIC", "TOTAL-LAG"]);
    for l in &d.topic_lag {
        totals.add_row(vec![l.topic.clone(), l.lag.to_string()]);
    }
    table::write(out, &totals)?;
    writeln!(out, "\nTotal lag: {}", d.total_lag)
}

fn reset_offsets(args: ResetArgs) -> anyhow::Result<ExitCode> {
    let spec = if args.to_earliest {
        ResetSpec::Earliest
    } else if args.to_latest {
        ResetSpec::Latest
    } else if args.to_current {
        ResetSpec::Current
    } else if let Some(n) = args.to_offset {
        ResetSpec::Offset(n)
    } else if let Some(n) = args.shift_by {
        ResetSpec::ShiftBy(n)
    } else if let Some(ms) = args.to_datetime {
        ResetSpec::Datetime(ms)
    } else if let Some(ago) = args.by_duration {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .context("the system clock is before 1970")?;
        ResetSpec::Datetime(now.saturating_sub(ago).as_millis() as i64)
    } else if let Some(path) = &args.from_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --from-file {}", path.display()))?;
        let rows = reset::parse_csv(&text)
            .map_err(|e| anyhow::anyhow!("--from-file {}: {e}", path.display()))?;
        ResetSpec::File(rows)
    } else {
        unreachable!("clap requires one reset spec")
    };
    let scope = if args.all_topics {
        Scope::AllTopics
    } else if !args.topics.is_empty() {
        Scope::Topics(args.topics.clone())
    } else if matches!(spec, ResetSpec::File(_)) {
        Scope::FromFile
    } else {
        return Err(reset_usage_error(
            "reset-offsets needs a scope: --topic TOPIC[:P,...] (repeatable) or --all-topics",
        ));
    };

    let cluster = connect(&args.connection)?;
    let state = cluster.describe_group(&args.group)?;
    if !state.members.is_empty() {
        bail!(
            "cannot reset the offsets of group '{}': it has {} active member(s) (state {}); \
             offsets can be reset only while the group is inactive, so stop its consumers and retry",
            args.group,
            state.members.len(),
            state.state
        );
    }
    // A share group's offsets are its share-partitions' start offsets
    // (KIP-932), moved with AlterShareGroupOffsets.
    let share = state.group_type == "share";
    let starts: std::collections::BTreeMap<(String, i32), i64> = if share {
        share_groups::start_offsets(cluster.options(), &args.group)?
            .into_iter()
            .filter_map(|s| Some(((s.topic, s.partition), s.start_offset?)))
            .collect()
    } else {
        Default::default()
    };
    let now = if share {
        reset::Current::ShareStart(&starts)
    } else {
        reset::Current::Committed
    };
    let mut plan = reset::plan(&cluster, &args.group, &scope, &spec, now)?;
    if args.execute {
        let question = format!(
            "{} new offsets for {} partition(s) of group '{}'?",
            if share { "Set" } else { "Commit" },
            plan.partitions.len(),
            plan.group
        );
        if !confirm(&question, args.yes)? {
            eprintln!("Nothing changed.");
            return Ok(ExitCode::FAILURE);
        }
        if share {
            execute_share(cluster.options(), &mut plan)?;
        } else {
            reset::execute(&cluster, &mut plan)?;
        }
    }
    table::print(
        args.output == Output::Json,
        &plan,
        &[
            "GROUP",
            "TOPIC",
            "PARTITION",
            if share {
                "START-OFFSET"
            } else {
                "CURRENT-OFFSET"
            },
            "NEW-OFFSET",
        ],
        plan.partitions.iter().map(|r| {
            vec![
                plan.group.clone(),
                r.topic.clone(),
                r.partition.to_string(),
                cell(r.current_offset),
                r.new_offset.to_string(),
            ]
        }),
    )?;
    if plan.executed {
        eprintln!(
            "Committed the new offsets of {} partition(s) for group '{}'.",
            plan.partitions.len(),
            plan.group
        );
    } else {
        eprintln!("Dry run: nothing was changed. Add --execute to commit these offsets.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Sets a share group's start offsets to the plan's (the group must have
/// no members: the broker refuses otherwise).
fn execute_share(options: &ClientOptions, plan: &mut reset::ResetPlan) -> anyhow::Result<()> {
    let offsets: Vec<reset::PartitionOffset> = plan
        .partitions
        .iter()
        .map(|r| ((r.topic.clone(), r.partition), r.new_offset))
        .collect();
    let results = share_groups::alter_start_offsets(options, &plan.group, &offsets)?;
    let failed: Vec<String> = offsets
        .iter()
        .zip(&results)
        .filter_map(|(((t, p), _), r)| r.as_ref().err().map(|e| format!("{t}-{p}: {e}")))
        .collect();
    if !failed.is_empty() {
        bail!(
            "cannot set the start offsets of share group '{}': {}",
            plan.group,
            failed.join("; ")
        );
    }
    plan.executed = true;
    Ok(())
}

fn delete(args: DeleteArgs) -> anyhow::Result<ExitCode> {
    let cluster = connect(&args.connection)?;
    let names = args.groups.join("', '");
    if !confirm(
        &format!("Delete consumer group(s) '{names}' and their committed offsets?"),
        args.yes,
    )? {
        eprintln!("Nothing deleted.");
        return Ok(ExitCode::FAILURE);
    }
    let results = cluster.delete_groups(&args.groups)?;
    #[derive(serde::Serialize)]
    struct Row<'a> {
        group: &'a str,
        error: Option<&'a str>,
    }
    let rows: Vec<Row> = args
        .groups
        .iter()
        .zip(&results)
        .map(|(g, r)| Row {
            group: g,
            error: r.as_ref().err().map(String::as_str),
        })
        .collect();
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => table::write_json(&mut out, &rows)?,
        Output::Text => {
            for r in rows.iter().filter(|r| r.error.is_none()) {
                writeln!(out, "Deleted consumer group '{}'.", r.group)?;
            }
        }
    }
    out.flush()?;
    let failed: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.error
                .map(|e| format!("cannot delete group '{}': {e}", r.group))
        })
        .collect();
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("{}", failed.join("; "))
    }
}

fn delete_offsets(args: DeleteOffsetsArgs) -> anyhow::Result<ExitCode> {
    let cluster = connect(&args.connection)?;
    let topics = cluster.topics()?;
    let mut keys = Vec::new();
    for (topic, partitions) in &args.topics {
        let Some(count) = topics.get(topic) else {
            bail!("topic '{topic}' does not exist");
        };
        match partitions {
            Some(ps) => keys.extend(ps.iter().map(|p| (topic.clone(), *p))),
            None => keys.extend((0..*count).map(|p| (topic.clone(), p))),
        }
    }
    if !cluster.describe_group(&args.group)?.exists() {
        bail!(
            "consumer group '{}' does not exist (see `dq groups list`)",
            args.group
        );
    }
    if !confirm(
        &format!(
            "Delete the committed offsets of group '{}' for {} partition(s)?",
            args.group,
            keys.len()
        ),
        args.yes,
    )? {
        eprintln!("Nothing deleted.");
        return Ok(ExitCode::FAILURE);
    }
    let results = cluster.delete_group_offsets(&args.group, &keys)?;
    #[derive(serde::Serialize)]
    struct Row<'a> {
        topic: &'a str,
        partition: i32,
        error: Option<&'a str>,
    }
    let rows: Vec<Row> = keys
        .iter()
        .zip(&results)
        .map(|((t, p), r)| Row {
            topic: t,
            partition: *p,
            error: r.as_ref().err().map(String::as_str),
        })
        .collect();
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => table::write_json(
            &mut out,
            &serde_json::json!({"group": args.group, "partitions": rows}),
        )?,
        Output::Text => {
            let mut t = table::new(&["TOPIC", "PARTITION", "STATUS"]);
            for r in &rows {
                t.add_row(vec![
                    r.topic.to_string(),
                    r.partition.to_string(),
                    r.error.unwrap_or("Successful").to_string(),
                ]);
            }
            table::write(&mut out, &t)?;
        }
    }
    out.flush()?;
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        bail!(
            "cannot delete the offsets of group '{}' for {failed} partition(s); see STATUS",
            args.group
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_durations_parse() {
        assert_eq!(parse_topic_partitions("a"), Ok(("a".into(), None)));
        assert_eq!(
            parse_topic_partitions("a:0,2"),
            Ok(("a".into(), Some(vec![0, 2])))
        );
        assert!(parse_topic_partitions("a:x").is_err());
        assert!(parse_topic_partitions(":1").is_err());
        let secs = |s: &str| parse_ago(s).map(|d| d.as_secs());
        assert_eq!(secs("PT1H30M"), Ok(5400));
        assert_eq!(secs("P1DT2H"), Ok(93600));
        assert_eq!(secs("90m"), Ok(5400));
        assert!(parse_ago("P1H").is_err());
        assert!(parse_ago("PT").is_err());
        assert_eq!(parse_datetime("1714564800000"), Ok(1_714_564_800_000));
        assert_eq!(
            parse_datetime("2024-05-01T12:00:00Z"),
            Ok(1_714_564_800_000)
        );
        assert!(parse_datetime("soon").is_err());
    }
}

/// What `dq groups alter` changed.
#[derive(serde::Serialize)]
struct Altered {
    group: String,
    set: std::collections::BTreeMap<String, String>,
    deleted: Vec<String>,
    /// The dead-letter topic this command created, if it did.
    created_topic: Option<String>,
}

fn alter(args: AlterArgs) -> anyhow::Result<ExitCode> {
    let (options, _) = args.connection.split(&[])?;
    if !crate::client::wire::plaintext(&options) {
        bail!("dq groups alter speaks PLAINTEXT only; TLS and SASL for it are not built yet (dq issue 16)");
    }
    let mut set = args.configs.clone();
    if let Some(key) = set
        .iter()
        .map(|(k, _)| k)
        .find(|k| args.delete_configs.contains(k))
    {
        return Err(super::usage_error_in(
            &["groups", "alter"],
            format!("--config {key}=… and --delete-config {key} contradict each other"),
        ));
    }
    let mut created_topic = None;
    if let Some(topic) = &args.dead_letter_topic {
        if set
            .iter()
            .any(|(k, _)| k == share_groups::DEAD_LETTER_TOPIC)
        {
            return Err(super::usage_error_in(
                &["groups", "alter"],
                format!(
                    "--dead-letter-topic and --config {}=… both name the dead-letter topic",
                    share_groups::DEAD_LETTER_TOPIC
                ),
            ));
        }
        let prefix = share_groups::dead_letter_prefix(&options)?;
        if !topic.starts_with(&prefix) {
            bail!(
                "cannot use '{topic}' as the dead-letter topic of group '{}': the broker permits only names starting with '{prefix}' ({}); try '{prefix}{topic}'",
                args.group,
                share_groups::DEAD_LETTER_PREFIX
            );
        }
        let admin = crate::client::admin::TopicAdmin::connect(&options)?;
        if admin.exists(topic)? {
            let overrides = admin
                .config_overrides(topic)?
                .map_err(|r| anyhow::anyhow!("cannot read the configs of topic '{topic}': {r}"))?;
            if overrides
                .get(share_groups::DEAD_LETTER_ENABLE)
                .map(String::as_str)
                != Some("true")
            {
                bail!(
                    "topic '{topic}' exists but does not take dead letters: allow it with `dq topics alter {topic} --config {}=true`",
                    share_groups::DEAD_LETTER_ENABLE
                );
            }
        } else {
            let configs = [(
                share_groups::DEAD_LETTER_ENABLE.to_string(),
                "true".to_string(),
            )];
            admin.create(topic, None, None, &configs)?.map_err(|r| {
                anyhow::anyhow!("cannot create the dead-letter topic '{topic}': {r}")
            })?;
            eprintln!(
                "Created topic '{topic}' ({}=true).",
                share_groups::DEAD_LETTER_ENABLE
            );
            created_topic = Some(topic.clone());
        }
        set.push((share_groups::DEAD_LETTER_TOPIC.to_string(), topic.clone()));
    }
    share_groups::alter_group_configs(&options, &args.group, &set, &args.delete_configs)?;
    let altered = Altered {
        group: args.group.clone(),
        set: set.into_iter().collect(),
        deleted: args.delete_configs.clone(),
        created_topic,
    };
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => table::write_json(&mut out, &altered)?,
        Output::Text => writeln!(
            out,
            "Completed updating config for group {}.",
            altered.group
        )?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
