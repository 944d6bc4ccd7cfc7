//! `dq serve`: flags → `BrokerConfig`, logging, signals, and the start-up lines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::broker::{BrokerConfig, Server};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; every address the host resolves to is bound.
    /// Port 0 picks a free port.
    #[arg(
        long,
        value_name = "HOST:PORT",
        default_value = "localhost:9092",
        env = "DQ_LISTEN"
    )]
    pub listen: String,

    /// Address clients are told to connect to (defaults to the listen host and bound port).
    #[arg(long, value_name = "HOST:PORT")]
    pub advertised_listener: Option<String>,

    /// Where topics and their segments are kept [default: $DQ_DATA_DIR, else
    /// $XDG_DATA_HOME/dq, else ~/.local/share/dq].
    #[arg(long, value_name = "DIR", conflicts_with = "temp")]
    pub data_dir: Option<PathBuf>,

    /// Keep data in a temporary directory that is removed on exit.
    #[arg(long)]
    pub temp: bool,

    /// Partition count for auto-created topics and topics created without one.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..=100_000))]
    pub partitions: i32,

    /// Size at which a segment file rolls (suffixes K, M, G accepted).
    #[arg(long, value_name = "BYTES", default_value = "1G", value_parser = parse_size)]
    pub segment_bytes: u64,

    /// Largest request accepted; larger ones close the connection.
    #[arg(long, value_name = "BYTES", default_value = "100M", value_parser = parse_size)]
    pub max_request_bytes: u64,

    /// Do not create topics when a client asks for metadata of a missing one.
    #[arg(long)]
    pub no_auto_create: bool,

    /// Log level (error, warn, info, debug, trace), or a RUST_LOG-style filter.
    #[arg(long, value_name = "LEVEL", default_value = "info", env = "RUST_LOG")]
    pub log_level: String,
}

/// Parses `1048576`, `64K`, `1M`, `1G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, mult) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        None => (t, 1u64),
        Some((i, _)) => {
            let mult = match t[i..]
                .to_ascii_uppercase()
                .trim_end_matches("IB")
                .trim_end_matches('B')
            {
                "" => 1,
                "K" => 1 << 10,
                "M" => 1 << 20,
                "G" => 1 << 30,
                _ => {
                    return Err(format!(
                        "'{s}' is not a size (examples: 1048576, 64K, 16M, 1G)"
                    ))
                }
            };
            (&t[..i], mult)
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{s}' is not a size (examples: 1048576, 64K, 16M, 1G)"))?;
    n.checked_mul(mult)
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("'{s}' must be greater than zero and fit in 64 bits"))
}

fn default_data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("DQ_DATA_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(d).join("dq");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/dq"),
        None => PathBuf::from("dq-data"),
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging(&args.log_level)?;
    if args.segment_bytes > i32::MAX as u64 {
        anyhow::bail!(
            "--segment-bytes {} is too large: segment.bytes is a 32-bit setting (at most 2G - 1)",
            args.segment_bytes
        );
    }
    let temp = if args.temp {
        Some(
            tempfile::Builder::new()
                .prefix("dq-serve-")
                .tempdir()
                .context("cannot create a temporary data directory")?,
        )
    } else {
        None
    };
    let data_dir = match (&temp, args.data_dir) {
        (Some(t), _) => t.path().to_path_buf(),
        (None, Some(d)) => d,
        (None, None) => default_data_dir(),
    };
    let mut config = BrokerConfig::new(data_dir);
    config.listen = args.listen;
    config.advertised_listener = args.advertised_listener;
    config.default_partitions = args.partitions;
    config.auto_create_topics = !args.no_auto_create;
    config.max_request_bytes = usize::try_from(args.max_request_bytes).unwrap_or(usize::MAX);
    config
        .topic_defaults
        .insert("segment.bytes".into(), args.segment_bytes.to_string());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("dq-broker")
        .build()
        .context("cannot start the async runtime")?;
    let is_temp = temp.is_some();
    runtime.block_on(async move {
        let server = Server::bind(config.clone()).await?;
        let addrs: Vec<String> = server.local_addrs().iter().map(|a| a.to_string()).collect();
        let (host, port) = &server.state().advertised;
        let banner = format!(
            "dq serve: listening on {}\nadvertised as {host}:{port}\ndata directory {}{}\n",
            addrs.join(", "),
            config.data_dir.display(),
            if is_temp { " (temporary)" } else { "" }
        );
        // Whoever started us may stop reading stdout once it has the address;
        // a closed stdout is no reason for a broker to stop serving.
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(banner.as_bytes()).and_then(|()| out.flush()) {
            tracing::debug!("could not print the start-up lines: {e}");
        }
        drop(out);
        server.run(shutdown_signal()).await
    })?;
    drop(temp);
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("cannot watch SIGTERM: {e}");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

fn init_logging(level: &str) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(level).with_context(|| {
        format!("--log-level '{level}' is not a level or filter (try info or debug)")
    })?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_suffixes_and_refuse_nonsense() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("").is_err());
    }
}
