//! `dq profile`: the named connections in the config file, and the
//! connection settings a command would use, each with where it came from
//! (flag, environment, profile or default) and credentials masked.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::args::ConnectionArgs;
use super::topics::Output;
use crate::client::profile::{self, is_sensitive, Profiles, Resolved, Source};
use crate::output::table;

#[derive(Debug, Args)]
#[command(
    after_help = "The config file is $DQ_CONFIG, else $XDG_CONFIG_HOME/dq/config.toml, \
                        else ~/.config/dq/config.toml:\n\n\
                        default = \"local\"\n\
                        [profiles.local]\n\
                        bootstrap = \"localhost:9092\"\n\
                        [profiles.prod]\n\
                        bootstrap = \"broker1:9093,broker2:9093\"\n\
                        timeout = \"10s\"\n\
                        [profiles.prod.properties]\n\
                        \"security.protocol\" = \"SASL_SSL\"\n\n\
                        Precedence: flag > environment > profile > default."
)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub command: ProfileCommand,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// The profiles in the config file, and which one is selected.
    List(ListArgs),
    /// The connection settings in force (with NAME: as `--profile NAME`
    /// would make them) and where each comes from.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Mark this profile as selected, as `--profile` would [default:
    /// $DQ_PROFILE, else the file's `default`].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// `text` for people; `json` for scripts (a stable schema).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The profile to show; the one selected by --profile, $DQ_PROFILE or
    /// the file's `default` when omitted.
    #[arg(value_name = "NAME", conflicts_with = "profile")]
    pub name: Option<String>,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// `text` for people; `json` for scripts (a stable schema).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub output: Output,
}

pub fn run(args: ProfileArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        ProfileCommand::List(args) => list(args),
        ProfileCommand::Show(args) => show(args),
    }
}

/// One row of `dq profile list --output json`.
#[derive(Debug, Serialize)]
struct ProfileListing<'a> {
    name: &'a str,
    bootstrap: Option<&'a str>,
    /// Whether this is the profile a command would use.
    selected: bool,
}

fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let profiles = Profiles::load(&profile::process_env)?;
    let selected = profiles
        .selected(args.profile.as_deref(), &profile::process_env)?
        .map(|(p, _)| p.name.clone());
    let rows: Vec<ProfileListing> = profiles
        .file
        .iter()
        .flat_map(|f| &f.profiles)
        .map(|p| ProfileListing {
            name: &p.name,
            bootstrap: p.bootstrap.as_deref(),
            selected: selected.as_deref() == Some(p.name.as_str()),
        })
        .collect();
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        Output::Text if rows.is_empty() => {
            eprintln!("{}", no_profiles(&profiles));
        }
        Output::Text => {
            let mut t = table::new(&["PROFILE", "BOOTSTRAP", "SELECTED"]);
            for r in &rows {
                t.add_row(vec![
                    r.name.to_string(),
                    table::cell(r.bootstrap),
                    if r.selected { "yes" } else { "no" }.to_string(),
                ]);
            }
            table::write(&mut out, &t)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn no_profiles(profiles: &Profiles) -> String {
    match (&profiles.path, &profiles.file) {
        (Some(path), Some(_)) => format!("No profiles in {}.", path.display()),
        (Some(path), None) => format!(
            "No profiles: there is no config file at {} (`dq profile --help` shows its format).",
            path.display()
        ),
        (None, _) => "No profiles: set $DQ_CONFIG to a config file.".to_string(),
    }
}

/// `dq profile show --output json`.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    config_file: ConfigFileShown,
    /// `null` when no profile is selected.
    profile: Option<Setting<&'a str>>,
    bootstrap: Setting<&'a str>,
    timeout_ms: Setting<u64>,
    /// One per key, the value that wins, in the order applied.
    properties: Vec<PropertyShown<'a>>,
}

#[derive(Debug, Serialize)]
struct ConfigFileShown {
    /// `null` when no location is known ($DQ_CONFIG, $XDG_CONFIG_HOME and
    /// $HOME all unset).
    path: Option<String>,
    /// `env` ($DQ_CONFIG) or `default`.
    source: &'static str,
    found: bool,
    #[serde(skip)]
    source_text: String,
}

#[derive(Debug, Serialize)]
struct Setting<T> {
    value: T,
    source: &'static str,
    #[serde(skip)]
    source_text: String,
}

#[derive(Debug, Serialize)]
struct PropertyShown<'a> {
    key: &'a str,
    /// `***` for credentials.
    value: &'a str,
    source: &'static str,
    #[serde(skip)]
    source_text: String,
}

fn setting<T>(value: T, source: &Source) -> Setting<T> {
    Setting {
        value,
        source: source.kind(),
        source_text: source.to_string(),
    }
}

fn shown(resolved: &Resolved) -> Shown<'_> {
    let profiles = &resolved.profiles;
    Shown {
        config_file: ConfigFileShown {
            path: profiles.path.as_ref().map(|p| p.display().to_string()),
            source: profiles.path_source.kind(),
            found: profiles.file.is_some(),
            source_text: profiles.path_source.to_string(),
        },
        profile: resolved
            .profile
            .as_ref()
            .map(|p| setting(p.value.as_str(), &p.source)),
        bootstrap: setting(&resolved.bootstrap.value, &resolved.bootstrap.source),
        timeout_ms: setting(
            resolved.timeout.value.as_millis() as u64,
            &resolved.timeout.source,
        ),
        properties: resolved
            .effective_properties()
            .into_iter()
            .map(|p| PropertyShown {
                key: &p.key,
                value: if is_sensitive(&p.key) {
                    "***"
                } else {
                    &p.value
                },
                source: p.source.kind(),
                source_text: p.source.to_string(),
            })
            .collect(),
    }
}

fn show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let mut connection = args.connection;
    if let Some(name) = args.name {
        connection.profile = Some(name);
    }
    let (resolved, _) = connection.resolve(&[])?;
    let shown = shown(&resolved);
    let mut out = io::stdout().lock();
    match args.output {
        Output::Json => {
            serde_json::to_writer_pretty(&mut out, &shown)?;
            writeln!(out)?;
        }
        Output::Text => out.write_all(show_text(&shown).as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `label  value (source)` lines; properties one per line under the first.
fn show_text(s: &Shown) -> String {
    let file = &s.config_file;
    let file_line = match (&file.path, file.found) {
        (None, _) => "none ($DQ_CONFIG, $XDG_CONFIG_HOME and $HOME are unset)".to_string(),
        (Some(path), true) => format!("{path} ({})", file.source_text),
        (Some(path), false) => format!("{path} (not found)"),
    };
    let mut lines = vec![
        ("config file", file_line),
        (
            "profile",
            s.profile.as_ref().map_or_else(
                || "none".to_string(),
                |p| format!("{} ({})", p.value, p.source_text),
            ),
        ),
        (
            "bootstrap",
            format!("{} ({})", s.bootstrap.value, s.bootstrap.source_text),
        ),
        (
            "timeout",
            format!(
                "{} ({})",
                human_duration(Duration::from_millis(s.timeout_ms.value)),
                s.timeout_ms.source_text
            ),
        ),
    ];
    if s.properties.is_empty() {
        lines.push(("properties", "none".to_string()));
    }
    for (i, p) in s.properties.iter().enumerate() {
        let label = if i == 0 { "properties" } else { "" };
        lines.push((label, format!("{}={} ({})", p.key, p.value, p.source_text)));
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    lines
        .iter()
        .map(|(label, value)| format!("{label:width$}  {value}\n"))
        .collect()
}

/// `30s`, `1500ms`: the shortest spelling `--timeout` accepts back.
fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_the_flag_takes_them() {
        assert_eq!(human_duration(Duration::from_secs(30)), "30s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1500ms");
    }
}
