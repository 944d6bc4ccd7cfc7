//! The connection flags every client subcommand shares (`-b`, `-X`,
//! `--command-config`, `--timeout`) and small value parsers they use.
//! `-X/--property` is one flag for two audiences, as it is across kcat and
//! the Kafka console tools: keys the console layout knows (`print.key`,
//! `parse.key`, …) go to the record format, every other key to librdkafka.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use crate::client::ClientOptions;

#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Broker(s) to bootstrap from, comma-separated.
    #[arg(
        short = 'b',
        long = "bootstrap-server",
        visible_alias = "bootstrap-servers",
        value_name = "HOST:PORT[,...]",
        env = "DQ_BOOTSTRAP_SERVERS",
        default_value = "localhost:9092"
    )]
    pub bootstrap_server: String,

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
    /// acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub timeout: Duration,
}

impl ConnectionArgs {
    /// Splits `-X` pairs into console format properties (keys in
    /// `format_keys`) and client options (everything else, after the
    /// `--command-config` file).
    pub fn split(
        &self,
        format_keys: &[&str],
    ) -> anyhow::Result<(ClientOptions, Vec<(String, String)>)> {
        let mut client = match &self.command_config {
            Some(path) => read_properties(path)?,
            None => Vec::new(),
        };
        let mut format = Vec::new();
        for (k, v) in &self.property {
            if format_keys.contains(&k.as_str()) {
                format.push((k.clone(), v.clone()));
            } else {
                client.push((k.clone(), v.clone()));
            }
        }
        let options = ClientOptions {
            bootstrap: self.bootstrap_server.clone(),
            properties: client,
            timeout: self.timeout,
        };
        Ok((options, format))
    }
}

pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not KEY=VALUE")),
    }
}

/// `30s`, `500ms`, `2m`, `1h`, `1d`; a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("'{s}' is not a duration (examples: 30s, 500ms, 2m, 1h)"))?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        other => return Err(format!("'{other}' in '{s}' is not a unit (ms, s, m, h, d)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("'{s}' is out of range"))
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
    fn durations_take_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("").is_err());
    }

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
