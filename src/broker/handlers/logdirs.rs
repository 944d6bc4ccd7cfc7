//! DescribeLogDirs: the data directory as the broker's one log dir, with the
//! size of every partition asked for (or of all of them), as
//! `kafka-log-dirs.sh` and `dq topics describe` read it.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use kafka_protocol::messages::describe_log_dirs_response::{
    DescribeLogDirsPartition, DescribeLogDirsResult, DescribeLogDirsTopic,
};
use kafka_protocol::messages::{DescribeLogDirsRequest, DescribeLogDirsResponse, TopicName};
use kafka_protocol::protocol::StrBytes;

use crate::broker::dispatch::Context;
use crate::broker::state::State;

pub async fn describe_log_dirs(
    state: &State,
    ctx: &Context,
    request: DescribeLogDirsRequest,
) -> anyhow::Result<DescribeLogDirsResponse> {
    // Partitions asked for, by topic; `None` means every partition of every
    // topic. Kafka leaves out what it does not hold rather than answering
    // with an error, and so does this.
    let wanted: Option<BTreeMap<String, Vec<i32>>> = request.topics.map(|topics| {
        let mut wanted: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for t in topics {
            wanted
                .entry(t.topic.to_string())
                .or_default()
                .extend(t.partitions);
        }
        wanted
    });
    let topics = state
        .topics()
        .into_iter()
        .filter_map(|topic| {
            let asked = match &wanted {
                None => None,
                Some(w) => Some(w.get(&topic.def.name)?),
            };
            let partitions: Vec<DescribeLogDirsPartition> = topic
                .partitions
                .iter()
                .filter(|p| asked.is_none_or(|a| a.contains(&p.index)))
                .map(|p| {
                    DescribeLogDirsPartition::default()
                        .with_partition_index(p.index)
                        .with_partition_size(p.log().size_bytes() as i64)
                        // One replica, no log moving between directories.
                        .with_offset_lag(0)
                        .with_is_future_key(false)
                })
                .collect();
            (!partitions.is_empty()).then(|| {
                DescribeLogDirsTopic::default()
                    .with_name(TopicName(StrBytes::from_string(topic.def.name.clone())))
                    .with_partitions(partitions)
            })
        })
        .collect();

    let dir = std::path::absolute(&state.config.data_dir)
        .unwrap_or_else(|_| state.config.data_dir.clone());
    let mut result = DescribeLogDirsResult::default()
        .with_log_dir(StrBytes::from_string(dir.to_string_lossy().into_owned()))
        .with_topics(topics);
    if ctx.version() >= 4 {
        let (total, usable) = volume_bytes(&dir).unwrap_or((-1, -1));
        result = result.with_total_bytes(total).with_usable_bytes(usable);
    }
    Ok(DescribeLogDirsResponse::default().with_results(vec![result]))
}

/// The size of the volume holding `dir` and the bytes an unprivileged
/// writer may still use there, as Java's `FileStore` reports them.
fn volume_bytes(dir: &Path) -> Option<(i64, i64)> {
    let path = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is NUL-terminated and `stat` is a plain C struct that
    // statvfs fills in; it is read only when the call succeeded.
    let stat = unsafe {
        let mut stat: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(path.as_ptr(), &mut stat) != 0 {
            return None;
        }
        stat
    };
    let block = stat.f_frsize as u64;
    let clamp = |blocks: u64| i64::try_from(blocks.saturating_mul(block)).unwrap_or(i64::MAX);
    Some((clamp(stat.f_blocks as u64), clamp(stat.f_bavail as u64)))
}
