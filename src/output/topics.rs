//! What `dq topics` shows: the plain values the admin client gathers, with
//! their JSON schema (the serde field names are the stable contract for
//! scripts) and their text renderings: a table for `list`, Kafka's own
//! `kafka-topics.sh --describe` layout for `describe`.

use std::collections::BTreeMap;

use comfy_table::{presets, CellAlignment, Table};
use serde::Serialize;

/// One row of `dq topics list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicListing {
    pub name: String,
    pub partitions: usize,
    pub internal: bool,
}

/// One partition of `dq topics describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionDescription {
    pub partition: i32,
    /// -1 when the partition has no leader.
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
    /// The log start offset (the first offset still stored).
    pub earliest_offset: i64,
    /// The high watermark (the offset the next record will get).
    pub latest_offset: i64,
    /// Where read_committed readers stop: the first offset of the oldest
    /// open transaction, else the high watermark.
    pub last_stable_offset: i64,
    /// Bytes of record batches in the leader's log (DescribeLogDirs, as
    /// kafka-log-dirs.sh reports it); null when the leader could not be
    /// asked (TLS or SASL connections, a broker without the API).
    pub size_bytes: Option<u64>,
}

/// One topic of `dq topics describe`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicDescription {
    pub name: String,
    pub internal: bool,
    pub partition_count: usize,
    /// The replica count of partition 0, as kafka-topics.sh reports it.
    pub replication_factor: usize,
    /// Only the configs set on the topic itself (not broker defaults).
    pub configs: BTreeMap<String, String>,
    /// The sum of the partitions' sizes; null unless every one is known.
    pub size_bytes: Option<u64>,
    pub partitions: Vec<PartitionDescription>,
}

impl TopicDescription {
    /// Sets each partition's size from `size_of`, and the topic's total.
    pub fn set_sizes(&mut self, size_of: impl Fn(i32) -> Option<u64>) {
        for p in &mut self.partitions {
            p.size_bytes = size_of(p.partition);
        }
        self.size_bytes = self.partitions.iter().map(|p| p.size_bytes).sum();
    }
}

/// `dq topics list` for people: one row per topic.
pub fn list_table(topics: &[TopicListing]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_header(["TOPIC", "PARTITIONS", "INTERNAL"]);
    super::table::fit_terminal(&mut table);
    for t in topics {
        table.add_row([
            t.name.clone(),
            t.partitions.to_string(),
            if t.internal { "yes" } else { "no" }.to_string(),
        ]);
    }
    if let Some(column) = table.column_mut(1) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    trim_lines(&table.to_string())
}

/// comfy-table pads every cell, including the last one of each line.
fn trim_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // The NOTHING preset still leaves one space of left padding.
        out.push_str(line.strip_prefix(' ').unwrap_or(line).trim_end());
        out.push('\n');
    }
    out
}

fn join(ids: &[i32]) -> String {
    ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// A byte count for people: exact below 1 KiB, else one decimal in binary
/// units (`1.2 MiB`); `-` when unknown.
pub fn human_bytes(bytes: Option<u64>) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let Some(bytes) = bytes else {
        return "-".to_string();
    };
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // 1023.96 KiB would print as "1024.0 KiB": move up a unit first.
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// kafka-topics.sh's describe layout (tab-separated `Key: value` fields), with
/// the topic's size on disk added before `Configs:` (which stays last, as
/// scripts read it to the end of the line), and each partition's earliest and
/// latest offsets and size at the end of its line.
pub fn describe_text(topic: &TopicDescription) -> String {
    let configs = topic
        .configs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let mut out = format!(
        "Topic: {}\tPartitionCount: {}\tReplicationFactor: {}\tSize: {}\tConfigs: {}\n",
        topic.name,
        topic.partition_count,
        topic.replication_factor,
        human_bytes(topic.size_bytes),
        configs
    );
    for p in &topic.partitions {
        let leader = if p.leader < 0 {
            "none".to_string()
        } else {
            p.leader.to_string()
        };
        // Shown only where an open transaction holds readers back, as
        // most topics never have one.
        let stable = if p.last_stable_offset < p.latest_offset {
            format!("\tLastStable: {}", p.last_stable_offset)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tEarliest: {}\tLatest: {}{stable}\tSize: {}\n",
            topic.name,
            p.partition,
            leader,
            join(&p.replicas),
            join(&p.isr),
            p.earliest_offset,
            p.latest_offset,
            human_bytes(p.size_bytes)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_an_aligned_table() {
        let text = list_table(&[
            TopicListing {
                name: "orders".into(),
                partitions: 12,
                internal: false,
            },
            TopicListing {
                name: "__consumer_offsets".into(),
                partitions: 1,
                internal: true,
            },
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("TOPIC "), "{text}");
        let fields: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(fields, ["orders", "12", "no"]);
        let fields: Vec<&str> = lines[2].split_whitespace().collect();
        assert_eq!(fields, ["__consumer_offsets", "1", "yes"]);
        // Columns line up: the partition counts end at the same place.
        assert_eq!(
            lines[1].find("12").unwrap() + 2,
            lines[2].find(" 1 ").unwrap() + 2
        );
    }

    #[test]
    fn describe_follows_kafka_topics_layout() {
        let topic = TopicDescription {
            name: "t".into(),
            internal: false,
            partition_count: 2,
            replication_factor: 1,
            configs: [("retention.ms".to_string(), "1000".to_string())].into(),
            size_bytes: None,
            partitions: vec![
                PartitionDescription {
                    partition: 0,
                    leader: 1,
                    replicas: vec![1],
                    isr: vec![1],
                    earliest_offset: 0,
                    latest_offset: 5,
                    last_stable_offset: 5,
                    size_bytes: None,
                },
                PartitionDescription {
                    partition: 1,
                    leader: -1,
                    replicas: vec![1, 2],
                    isr: vec![],
                    earliest_offset: 3,
                    latest_offset: 3,
                    last_stable_offset: 3,
                    size_bytes: None,
                },
            ],
        };
        let mut sized = topic.clone();
        sized.set_sizes(|p| Some(if p == 0 { 2048 } else { 100 }));
        assert_eq!(
            describe_text(&sized),
            "Topic: t\tPartitionCount: 2\tReplicationFactor: 1\tSize: 2.1 KiB\tConfigs: retention.ms=1000\n\
             \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tEarliest: 0\tLatest: 5\tSize: 2.0 KiB\n\
             \tTopic: t\tPartition: 1\tLeader: none\tReplicas: 1,2\tIsr: \tEarliest: 3\tLatest: 3\tSize: 100 B\n"
        );
        // A size that could not be learned is a dash, and so is the total.
        let mut partly = topic.clone();
        partly.set_sizes(|p| (p == 0).then_some(2048));
        let json = serde_json::to_value(&partly).unwrap();
        assert_eq!(json["size_bytes"], serde_json::Value::Null);
        assert_eq!(json["partitions"][0]["size_bytes"], 2048);
        assert_eq!(json["partitions"][1]["size_bytes"], serde_json::Value::Null);
        assert_eq!(
            describe_text(&partly),
            "Topic: t\tPartitionCount: 2\tReplicationFactor: 1\tSize: -\tConfigs: retention.ms=1000\n\
             \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tEarliest: 0\tLatest: 5\tSize: 2.0 KiB\n\
             \tTopic: t\tPartition: 1\tLeader: none\tReplicas: 1,2\tIsr: \tEarliest: 3\tLatest: 3\tSize: -\n"
        );
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_bytes(None), "-");
        assert_eq!(human_bytes(Some(0)), "0 B");
        assert_eq!(human_bytes(Some(1023)), "1023 B");
        assert_eq!(human_bytes(Some(1024)), "1.0 KiB");
        assert_eq!(human_bytes(Some(1_258_291)), "1.2 MiB");
        assert_eq!(human_bytes(Some(1024 * 1024 - 1)), "1.0 MiB");
        assert_eq!(human_bytes(Some(5 << 40)), "5.0 TiB");
        assert_eq!(human_bytes(Some(u64::MAX)), "16.0 EiB");
    }
}
