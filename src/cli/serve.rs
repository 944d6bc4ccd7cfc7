//! `dq serve`: flags → `BrokerConfig`, logging, signals, and the start-up lines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::broker::coordinator::group_configs::ShareDefaults;
use crate::broker::limits as dq_limits;
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

    /// Size at which a segment file rolls (suffixes K, M, G accepted)
    /// [default: 1G]. The broker's log.segment.bytes; AlterConfigs can change it
    /// at run time.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    pub segment_bytes: Option<u64>,

    /// How long the first member of an empty consumer group waits for others
    /// before the group forms, extended by each newcomer up to the rebalance
    /// timeout (Kafka's group.initial.rebalance.delay.ms; 0 forms it at once)
    /// [default: 3s]. AlterConfigs can change it at run time.
    #[arg(long, value_name = "DURATION", value_parser = parse_delay)]
    pub group_initial_rebalance_delay: Option<std::time::Duration>,

    /// Largest request accepted; larger ones close the connection.
    #[arg(long, value_name = "BYTES", default_value = "100M", value_parser = parse_size)]
    pub max_request_bytes: u64,

    /// A request must arrive whole within this of its first byte, or the
    /// connection is closed (like Kafka's request.timeout.ms; 500ms, 30s, 2m).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: std::time::Duration,

    /// Connections served at once; more are closed as they arrive
    /// [default: 1000, or a quarter of the open-file limit if that is less].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,

    /// Bytes of requests held in memory at once, over all connections; a
    /// connection waits for room before its next request is read.
    #[arg(long, value_name = "BYTES", default_value = "256M", value_parser = parse_size)]
    pub queued_max_request_bytes: u64,

    /// Segment files kept open at once, each partition's active log included
    /// [default: the open-file limit less the connections and 256].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_open_files: Option<u64>,

    /// Partitions the broker holds over all topics; CreateTopics and
    /// CreatePartitions beyond it are refused [default: nine tenths of the
    /// open segment files, at most 100000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_partitions: Option<u64>,

    /// A consumer-protocol group member (`group.protocol=consumer`) without a
    /// heartbeat for this long is removed and its partitions reassigned, like
    /// Kafka's group.consumer.session.timeout.ms (500ms, 30s, 2m).
    #[arg(long, value_name = "DURATION", default_value = "45s", value_parser = parse_duration)]
    pub group_consumer_session_timeout: std::time::Duration,

    /// How often consumer-protocol group members are told to heartbeat, like
    /// Kafka's group.consumer.heartbeat.interval.ms; below the session timeout.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub group_consumer_heartbeat_interval: std::time::Duration,

    /// A share-group member without a heartbeat for this long is removed and
    /// its records released, like Kafka's group.share.session.timeout.ms
    /// (a group's share.session.timeout.ms overrides it).
    #[arg(long, value_name = "DURATION", default_value = "45s", value_parser = parse_duration)]
    pub share_session_timeout: std::time::Duration,

    /// How often share-group members are told to heartbeat, like Kafka's
    /// group.share.heartbeat.interval.ms; below the session timeout.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub share_heartbeat_interval: std::time::Duration,

    /// How long a share-group member holds a record it fetched before it is
    /// offered again, like Kafka's group.share.record.lock.duration.ms.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub share_record_lock_duration: std::time::Duration,

    /// Deliveries of a record to a share group before it is archived (or
    /// dead-lettered), like Kafka's group.share.delivery.count.limit (2 to 10).
    #[arg(long, value_name = "N", default_value = "5", value_parser = clap::value_parser!(i16).range(2..=10))]
    pub share_delivery_count_limit: i16,

    /// Records in flight (acquired, not yet acknowledged) per share-partition,
    /// like Kafka's group.share.partition.max.record.locks (100 to 10000).
    #[arg(long, value_name = "N", default_value = "2000", value_parser = clap::value_parser!(u64).range(100..=10000))]
    pub share_partition_max_record_locks: u64,

    /// Members of one share group, like Kafka's group.share.max.size.
    #[arg(long, value_name = "N", default_value = "200", value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub share_max_size: u64,

    /// The prefix every share group's dead-letter topic must start with,
    /// like Kafka's errors.deadletterqueue.topic.name.prefix (KIP-1191);
    /// empty for any name.
    #[arg(long, value_name = "PREFIX", default_value = "dlq.")]
    pub dead_letter_topic_prefix: String,

    /// Create a share group's missing dead-letter topic on its first dead
    /// letter, like Kafka's errors.deadletterqueue.auto.create.topics.enable.
    #[arg(long)]
    pub dead_letter_auto_create: bool,

    /// A transactional id unused this long is forgotten, like Kafka's
    /// transactional.id.expiration.ms (checked once a second).
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_duration)]
    pub transactional_id_expiration: std::time::Duration,

    /// A partition forgets an idempotent or transactional producer that wrote
    /// nothing for this long and has no open transaction, like Kafka's
    /// producer.id.expiration.ms (checked every 30 seconds).
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = parse_duration)]
    pub producer_id_expiration: std::time::Duration,

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

/// Parses `500ms`, `30s`, `2m`, `1h`, `7d`; a bare number is milliseconds,
/// as in Kafka's `*.ms` settings.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let bad = || format!("'{s}' is not a duration (examples: 500ms, 30s, 2m)");
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let ms = match unit.trim() {
        "" | "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" | "min" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        "d" => n.checked_mul(86_400_000),
        _ => return Err(bad()),
    };
    ms.filter(|ms| *ms > 0)
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| {
            format!("'{s}' must be greater than zero and fit in 64 bits of milliseconds")
        })
}

/// Like [`parse_duration`], but 0 is allowed: no delay at all.
pub fn parse_delay(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let unit = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = &t[..t.len() - unit.len()];
    // Zero in any unit the duration parser knows.
    if !digits.is_empty()
        && digits.bytes().all(|b| b == b'0')
        && parse_duration(&format!("1{unit}")).is_ok()
    {
        return Ok(std::time::Duration::ZERO);
    }
    parse_duration(s)
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
    let open_file_limit = match dq_limits::raise_open_file_limit() {
        Ok((now, Some(before))) => {
            tracing::info!(
                before,
                now,
                "raised the open-file limit (RLIMIT_NOFILE) to its hard limit"
            );
            now
        }
        Ok((now, None)) => now,
        Err(e) => {
            tracing::warn!("cannot read or raise the open-file limit: {e}; assuming 1024");
            1024
        }
    };
    if let Some(bytes) = args.segment_bytes.filter(|b| *b > i32::MAX as u64) {
        anyhow::bail!(
            "--segment-bytes {bytes} is too large: segment.bytes is a 32-bit setting (at most 2G - 1)"
        );
    }
    if let Some(delay) = args
        .group_initial_rebalance_delay
        .filter(|d| d.as_millis() > i32::MAX as u128)
    {
        anyhow::bail!(
            "--group-initial-rebalance-delay {delay:?} is too long: group.initial.rebalance.delay.ms is a 32-bit setting (at most 2147483647 ms)"
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
    config.request_timeout = args.request_timeout;
    if args.group_consumer_heartbeat_interval >= args.group_consumer_session_timeout {
        anyhow::bail!(
            "--group-consumer-heartbeat-interval ({:?}) must be less than --group-consumer-session-timeout ({:?}), or members expire between heartbeats",
            args.group_consumer_heartbeat_interval,
            args.group_consumer_session_timeout
        );
    }
    config.consumer_session_timeout = args.group_consumer_session_timeout;
    config.consumer_heartbeat_interval = args.group_consumer_heartbeat_interval;
    config.transactional_id_expiration = args.transactional_id_expiration;
    if args.share_heartbeat_interval >= args.share_session_timeout {
        anyhow::bail!(
            "--share-heartbeat-interval ({:?}) must be less than --share-session-timeout ({:?}), or members expire between heartbeats",
            args.share_heartbeat_interval,
            args.share_session_timeout
        );
    }
    config.share = ShareDefaults {
        session_timeout: args.share_session_timeout,
        heartbeat_interval: args.share_heartbeat_interval,
        record_lock_duration: args.share_record_lock_duration,
        delivery_count_limit: args.share_delivery_count_limit,
        partition_max_record_locks: args.share_partition_max_record_locks as usize,
        max_size: args.share_max_size as usize,
        dead_letter_topic_prefix: args.dead_letter_topic_prefix,
        dead_letter_auto_create: args.dead_letter_auto_create,
    };
    config.producer_id_expiration_ms =
        i64::try_from(args.producer_id_expiration.as_millis()).unwrap_or(i64::MAX);
    let max_connections = args
        .max_connections
        .unwrap_or_else(|| dq_limits::default_max_connections(open_file_limit));
    let max_open_files = args
        .max_open_files
        .unwrap_or_else(|| dq_limits::default_max_open_files(open_file_limit, max_connections));
    let max_partitions = args
        .max_partitions
        .unwrap_or_else(|| dq_limits::default_max_partitions(max_open_files));
    let budget = max_connections + max_open_files + dq_limits::RESERVED_FILES;
    if budget > open_file_limit {
        tracing::warn!(
            open_file_limit,
            max_connections,
            max_open_files,
            "--max-connections and --max-open-files (plus {} for the broker itself) exceed the open-file limit; \
             raise the limit (ulimit -n) or lower them",
            dq_limits::RESERVED_FILES
        );
    }
    let to_usize = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    config.max_connections = to_usize(max_connections);
    config.max_open_files = to_usize(max_open_files);
    config.max_partitions = to_usize(max_partitions);
    config.queued_max_request_bytes = to_usize(args.queued_max_request_bytes);
    tracing::info!(
        max_connections,
        max_open_files,
        max_partitions,
        queued_max_request_bytes = args.queued_max_request_bytes,
        request_timeout = ?args.request_timeout,
        "resource limits"
    );
    // Only flags given are STATIC_BROKER_CONFIG; the rest are Kafka's defaults.
    if let Some(bytes) = args.segment_bytes {
        config
            .topic_defaults
            .insert("segment.bytes".into(), bytes.to_string());
    }
    config.group_initial_rebalance_delay = args.group_initial_rebalance_delay;

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
    use super::{parse_delay, parse_duration, parse_size};
    use std::time::Duration;

    #[test]
    fn durations_take_units_and_refuse_nonsense() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("250"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("0s").is_err());
        assert_eq!(parse_duration("3h"), Ok(Duration::from_secs(3 * 3600)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(parse_duration("2w").is_err());
        assert!(parse_duration("s").is_err());
    }

    #[test]
    fn delays_may_be_zero() {
        assert_eq!(parse_delay("0"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("0ms"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("3s"), Ok(Duration::from_secs(3)));
        assert!(parse_delay("soon").is_err());
    }

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
