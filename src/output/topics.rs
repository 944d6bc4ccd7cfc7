//! What `dq topics` shows: the plain values the admin client gathers, with
//! their JSON schema (the serde field names are the stable contract for
//! scripts) and their text renderings: a table for `list`, Kafka's own
//! `kafka-topics.sh --describe` layout for `describe`.

use std::collections::BTreeMap;

use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
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
    pub partitions: Vec<PartitionDescription>,
}

/// `dq topics list` for people: one row per topic.
pub fn list_table(topics: &[TopicListing]) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["TOPIC", "PARTITIONS", "INTERNAL"]);
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

/// kafka-topics.sh's describe layout (tab-separated `Key: value` fields), with
/// each partition's earliest and latest offsets added at the end of its line.
pub fn describe_text(topic: &TopicDescription) -> String {
    let configs = topic
        .configs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let mut out = format!(
        "Topic: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}\n",
        topic.name, topic.partition_count, topic.replication_factor, configs
    );
    for p in &topic.partitions {
        let leader = if p.leader < 0 {
            "none".to_string()
        } else {
            p.leader.to_string()
        };
        out.push_str(&format!(
            "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tEarliest: {}\tLatest: {}\n",
            topic.name,
            p.partition,
            leader,
            join(&p.replicas),
            join(&p.isr),
            p.earliest_offset,
            p.latest_offset
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
            partitions: vec![
                PartitionDescription {
                    partition: 0,
                    leader: 1,
                    replicas: vec![1],
                    isr: vec![1],
                    earliest_offset: 0,
                    latest_offset: 5,
                },
                PartitionDescription {
                    partition: 1,
                    leader: -1,
                    replicas: vec![1, 2],
                    isr: vec![],
                    earliest_offset: 3,
                    latest_offset: 3,
                },
            ],
        };
        assert_eq!(
            describe_text(&topic),
            "Topic: t\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: retention.ms=1000\n\
             \tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tEarliest: 0\tLatest: 5\n\
             \tTopic: t\tPartition: 1\tLeader: none\tReplicas: 1,2\tIsr: \tEarliest: 3\tLatest: 3\n"
        );
    }
}
