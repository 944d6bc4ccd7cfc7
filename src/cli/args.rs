//! The connection flags every client subcommand shares (`-b`, `-X`,
//! `--command-config`, `--timeout`, `--profile`) and small value parsers
//! they use. The environment and the config file are consulted in
//! [`crate::client::profile`], which also knows where each value came from.
//! `-X/--property` is one flag for two audiences, as it is across kcat and
//! the Kafka console tools: keys the console layout knows (`print.key`,
//! `parse.key`, …) go to the record format, every other key to librdkafka.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;

pub use crate::client::config::parse_duration;
use crate::client::profile::{self, Property, Request, Resolved, Source};
use crate::client::ClientOptions;

#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Broker(s) to bootstrap from, comma-separated [default:
    /// $DQ_BOOTSTRAP_SERVERS, else the profile's, else localhost:9092].
    // Not clap's `env =`: that would merge flag and variable into one value,
    // and `dq profile show` has to say which of them was used.
    #[arg(
        short = 'b',
        long = "bootstrap-server",
        visible_alias = "bootstrap-servers",
        value_name = "HOST:PORT[,...]"
    )]
    pub bootstrap_server: Option<String>,

    /// A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console
    /// format property (print.key=true, parse.key=true, key.separator=:, …).
    /// Repeatable; later ones win.
    #[arg(
        short = 'X',
        long = "property",
        visible_aliases = ["producer-property", "consumer-property"],
        value_name = "KEY=VALUE",
        value_parser = parse_key_value
    )]
    pub property: Vec<(String, String)>,

    /// A Java-style .properties file of client settings, as the Kafka tools
    /// take (security.protocol, sasl.*, ssl.*); -X flags override it.
    #[arg(long, value_name = "FILE", visible_aliases = ["producer.config", "consumer.config"])]
    pub command_config: Option<PathBuf>,

    /// How long to wait for the broker: to connect, and for each record's
    /// acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds)
    /// [default: the profile's, else 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// A named connection from the config file ($DQ_CONFIG, else
    /// ~/.config/dq/config.toml); `dq profile list` shows them [default:
    /// $DQ_PROFILE, else the file's `default`].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

impl ConnectionArgs {
    /// Splits `-X` pairs into console format properties (keys in
    /// `format_keys`) and client options (everything else, after the
    /// profile's and the `--command-config` file's).
    pub fn split(
        &self,
        format_keys: &[&str],
    ) -> anyhow::Result<(ClientOptions, Vec<(String, String)>)> {
        let (resolved, format) = self.resolve(format_keys)?;
        Ok((resolved.options(), format))
    }

    /// As [`ConnectionArgs::split`], keeping where each setting came from.
    pub fn resolve(
        &self,
        format_keys: &[&str],
    ) -> anyhow::Result<(Resolved, Vec<(String, String)>)> {
        let mut client: Vec<Property> = match &self.command_config {
            Some(path) => read_properties(path)?
                .into_iter()
                .map(|(key, value)| Property {
                    key,
                    value,
                    source: Source::CommandConfig(path.clone()),
                })
                .collect(),
            None => Vec::new(),
        };
        let mut format = Vec::new();
        for (k, v) in &self.property {
            if format_keys.contains(&k.as_str()) {
                format.push((k.clone(), v.clone()));
            } else {
                client.push(Property {
                    key: k.clone(),
                    value: v.clone(),
                    source: Source::Flag("-X"),
                });
            }
        }
        let request = Request {
            bootstrap: self.bootstrap_server.clone(),
            timeout: self.timeout,
            profile: self.profile.clone(),
            properties: client,
        };
        let resolved = profile::resolve(&request, &profile::process_env)?;
        Ok((resolved, format))
    }
}

pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not KEY=VALUE")),
    }
}

/// Reads a Java .properties file: `key=value`, `key: value` or `key value`,
/// `#`/`!` comments, and lines continued with a trailing backslash.
pub fn read_properties(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --command-config {}", path.display()))?;
    parse_properties(&text).map_err(|e| anyhow::anyhow!("--command-config {}: {e}", path.display()))
}

fn parse_properties(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut first_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = if logical.is_empty() {
            first_line = i + 1;
            raw.trim_start()
        } else {
            raw.trim_start()
        };
        if logical.is_empty() && (line.is_empty() || line.starts_with('#') || line.starts_with('!'))
        {
            continue;
        }
        if let Some(continued) = line.strip_suffix('\\') {
            logical.push_str(continued);
            continue;
        }
        logical.push_str(line);
        let entry = std::mem::take(&mut logical);
        let at = entry.find(['=', ':', ' ', '\t']);
        let (key, value) = match at {
            Some(at) => {
                let value = entry[at + 1..].trim_start();
                let value = if entry.as_bytes()[at].is_ascii_whitespace() {
                    value.strip_prefix(['=', ':']).unwrap_or(value).trim_start()
                } else {
                    value
                };
                (entry[..at].trim(), value.trim_end())
            }
            None => (entry.trim(), ""),
        };
        if key.is_empty() {
            return Err(format!("line {first_line} has no key"));
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_properties_files_parse() {
        let text = "# comment\n! also\nsecurity.protocol=SASL_SSL\nsasl.mechanism : PLAIN\n\
                    sasl.jaas.config=org.Module required \\\n   username=\"u\";\nempty=\n";
        let props = parse_properties(text).unwrap();
        assert_eq!(
            props,
            vec![
                ("security.protocol".into(), "SASL_SSL".into()),
                ("sasl.mechanism".into(), "PLAIN".into()),
                (
                    "sasl.jaas.config".into(),
                    "org.Module required username=\"u\";".into()
                ),
                ("empty".into(), "".into()),
            ]
        );
        assert!(parse_properties("=x\n").is_err());
        assert_eq!(parse_key_value("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert!(parse_key_value("novalue").is_err());
    }
}
