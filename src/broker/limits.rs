//! How many file handles the broker may use, and how they are shared out:
//! the soft `RLIMIT_NOFILE` is raised to the hard limit at start, and the
//! defaults of `--max-connections`, the open segment files and
//! `--max-partitions` are derived from what that leaves.

/// Handles kept aside for what is neither a connection nor a segment file:
/// listeners, the runtime's epoll and wakers, stdio, the catalog and
/// checkpoint files being replaced, compaction's output, DescribeLogDirs.
pub const RESERVED_FILES: u64 = 256;

/// `--max-connections` when not given, unless the file limit is too small
/// for it (then a quarter of that limit).
pub const DEFAULT_MAX_CONNECTIONS: u64 = 1000;

/// `--max-partitions` is never derived above this (the `--partitions` cap).
pub const MAX_PARTITIONS_CAP: u64 = 100_000;

/// Raises the soft open-file limit to the hard one, so the broker can use
/// every handle the administrator allowed. Returns the limit now in force
/// and, when it moved, the one before.
pub fn raise_open_file_limit() -> std::io::Result<(u64, Option<u64>)> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let before = limit.rlim_cur;
    if limit.rlim_cur >= limit.rlim_max {
        return Ok((clamp(before), None));
    }
    let raised = libc::rlimit {
        rlim_cur: limit.rlim_max,
        rlim_max: limit.rlim_max,
    };
    // SAFETY: setrlimit only reads the struct we pass.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok((clamp(raised.rlim_cur), Some(clamp(before))))
}

/// RLIM_INFINITY and other huge values read as "more than we will ever use".
fn clamp(limit: u64) -> u64 {
    limit.min(1 << 30)
}

/// The default connection limit for an open-file limit.
pub fn default_max_connections(open_file_limit: u64) -> u64 {
    DEFAULT_MAX_CONNECTIONS.min(open_file_limit / 4).max(1)
}

/// Segment files (active logs included) that may be open at once: what the
/// limit leaves after the connections and the reserve.
pub fn default_max_open_files(open_file_limit: u64, max_connections: u64) -> u64 {
    open_file_limit
        .saturating_sub(max_connections)
        .saturating_sub(RESERVED_FILES)
        .max(64)
}

/// Every partition keeps its active log open, so the partition count must
/// stay below the open-file bound; a tenth of it is left for sealed
/// segments being read and indexes being written.
pub fn default_max_partitions(max_open_files: u64) -> u64 {
    (max_open_files - max_open_files / 10).clamp(1, MAX_PARTITIONS_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_share_the_file_limit_out() {
        // The limit of the machine the tests were written on.
        let conns = default_max_connections(20_000);
        assert_eq!(conns, 1000);
        let files = default_max_open_files(20_000, conns);
        assert_eq!(files, 18_744);
        assert!(default_max_partitions(files) >= 10_000);
        // A small limit still leaves room for each part.
        let conns = default_max_connections(1024);
        assert_eq!(conns, 256);
        let files = default_max_open_files(1024, conns);
        assert_eq!(files, 512);
        assert_eq!(default_max_partitions(files), 461);
        assert_eq!(default_max_partitions(u64::from(u32::MAX)), 100_000);
    }
}
