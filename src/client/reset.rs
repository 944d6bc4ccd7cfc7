//! Resetting a group's committed offsets the way kafka-consumer-groups.sh
//! `--reset-offsets` does: which partitions (the scope), where each goes (the
//! spec), a plan that can be shown as a dry run, and executing it.
//! The arithmetic ([`target`]) is plain and unit-tested; [`plan`] gathers what
//! it needs from the cluster.

use std::collections::BTreeMap;

use anyhow::bail;
use serde::Serialize;

use super::groups::{Cluster, Watermarks};

/// A partition (topic, number) and an offset for it.
pub type PartitionOffset = ((String, i32), i64);

/// Where each partition's committed offset goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetSpec {
    Earliest,
    Latest,
    /// The committed offset again (the latest where there is none).
    Current,
    Offset(i64),
    ShiftBy(i64),
    /// The first offset at or after this time (ms since the epoch).
    Datetime(i64),
    /// Offsets per partition, from Kafka's CSV (topic,partition,offset).
    File(Vec<PartitionOffset>),
}

/// Which partitions to reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Topics, each with all its partitions (None) or the ones listed.
    Topics(Vec<(String, Option<Vec<i32>>)>),
    /// Every topic the group has committed offsets for.
    AllTopics,
    /// The partitions a `--from-file` names.
    FromFile,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResetRow {
    pub topic: String,
    pub partition: i32,
    /// None: nothing committed yet.
    pub current_offset: Option<i64>,
    pub new_offset: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResetPlan {
    pub group: String,
    /// False for a dry run: nothing was committed.
    pub executed: bool,
    pub partitions: Vec<ResetRow>,
}

/// The new offset of one partition, clamped into what the log holds as
/// Kafka does (an offset past either end would be reset by the consumer).
pub fn target(
    spec: &ResetSpec,
    key: &(String, i32),
    current: Option<i64>,
    bounds: Watermarks,
    by_time: Option<i64>,
) -> anyhow::Result<i64> {
    let clamp = |o: i64| o.clamp(bounds.earliest, bounds.latest);
    Ok(match spec {
        ResetSpec::Earliest => bounds.earliest,
        ResetSpec::Latest => bounds.latest,
        ResetSpec::Current => current.unwrap_or(bounds.latest),
        ResetSpec::Offset(n) => clamp(*n),
        ResetSpec::ShiftBy(n) => match current {
            Some(c) => clamp(c.saturating_add(*n)),
            None => bail!(
                "cannot shift the offset of {}-{}: the group has no committed offset there \
                 (use --to-earliest, --to-latest or --to-offset first)",
                key.0,
                key.1
            ),
        },
        ResetSpec::Datetime(_) => by_time.unwrap_or(bounds.latest),
        ResetSpec::File(rows) => match rows.iter().find(|(k, _)| k == key) {
            Some((_, n)) => clamp(*n),
            None => bail!("--from-file has no offset for {}-{}", key.0, key.1),
        },
    })
}

/// Where a group is now: a consumer group's committed offsets (asked for
/// the partitions in scope), or a share group's start offsets (all known).
pub enum Current<'a> {
    Committed,
    ShareStart(&'a BTreeMap<(String, i32), i64>),
}

/// Works out the new offsets without changing anything.
pub fn plan(
    cluster: &Cluster,
    group: &str,
    scope: &Scope,
    spec: &ResetSpec,
    now: Current<'_>,
) -> anyhow::Result<ResetPlan> {
    let topics = cluster.topics()?;
    let check = |topic: &str, p: Option<i32>| -> anyhow::Result<()> {
        match topics.get(topic) {
            None => bail!("topic '{topic}' does not exist"),
            Some(n) => match p {
                Some(p) if p < 0 || p >= *n => bail!(
                    "partition {p} of topic '{topic}' does not exist: it has {n} partition(s)"
                ),
                _ => Ok(()),
            },
        }
    };
    let mut keys: Vec<(String, i32)> = Vec::new();
    match scope {
        Scope::Topics(list) => {
            for (topic, partitions) in list {
                check(topic, None)?;
                match partitions {
                    Some(ps) => {
                        for p in ps {
                            check(topic, Some(*p))?;
                            keys.push((topic.clone(), *p));
                        }
                    }
                    None => keys.extend((0..topics[topic]).map(|p| (topic.clone(), p))),
                }
            }
        }
        Scope::AllTopics => {
            keys = match now {
                Current::Committed => cluster
                    .all_committed(group)?
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect(),
                Current::ShareStart(starts) => starts.keys().cloned().collect(),
            };
            if keys.is_empty() {
                let what = match now {
                    Current::Committed => "committed offsets",
                    Current::ShareStart(_) => "start offsets (it has read nothing yet)",
                };
                bail!("group '{group}' has no {what}, so --all-topics selects nothing; name the topics with --topic");
            }
        }
        Scope::FromFile => {
            let ResetSpec::File(rows) = spec else {
                bail!("a scope is needed: --topic or --all-topics");
            };
            for ((topic, p), _) in rows {
                check(topic, Some(*p))?;
                keys.push((topic.clone(), *p));
            }
        }
    }
    if let ResetSpec::File(rows) = spec {
        if let Some(k) = keys.iter().find(|k| !rows.iter().any(|(r, _)| r == *k)) {
            bail!(
                "--from-file has no offset for {}-{}, which the scope includes",
                k.0,
                k.1
            );
        }
    }
    // The same partition named twice is reset once.
    let mut seen = std::collections::BTreeSet::new();
    keys.retain(|k| seen.insert(k.clone()));

    let current = match now {
        Current::Committed => cluster.committed(group, &keys)?,
        Current::ShareStart(starts) => keys.iter().map(|k| starts.get(k).copied()).collect(),
    };
    let by_time = match spec {
        ResetSpec::Datetime(ms) => cluster.offsets_for_time(&keys, *ms)?,
        _ => vec![None; keys.len()],
    };
    let mut bounds = BTreeMap::new();
    for k in &keys {
        bounds.insert(k.clone(), cluster.watermarks(&k.0, k.1)?);
    }
    let mut partitions = Vec::with_capacity(keys.len());
    for ((key, current), by_time) in keys.iter().zip(current).zip(by_time) {
        let new_offset = target(spec, key, current, bounds[key], by_time)?;
        partitions.push(ResetRow {
            topic: key.0.clone(),
            partition: key.1,
            current_offset: current,
            new_offset,
        });
    }
    partitions.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    Ok(ResetPlan {
        group: group.to_string(),
        executed: false,
        partitions,
    })
}

/// Commits the plan's offsets.
pub fn execute(cluster: &Cluster, plan: &mut ResetPlan) -> anyhow::Result<()> {
    let offsets: Vec<PartitionOffset> = plan
        .partitions
        .iter()
        .map(|r| ((r.topic.clone(), r.partition), r.new_offset))
        .collect();
    cluster.commit(&plan.group, &offsets)?;
    plan.executed = true;
    Ok(())
}

/// Parses Kafka's reset CSV: `topic,partition,offset` per line (blank lines
/// and `#` comments skipped).
pub fn parse_csv(text: &str) -> Result<Vec<PartitionOffset>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: '{line}' is not topic,partition,offset", i + 1);
        let mut fields = line.rsplitn(3, ',');
        let offset = fields.next().ok_or_else(bad)?.trim();
        let partition = fields.next().ok_or_else(bad)?.trim();
        let topic = fields.next().ok_or_else(bad)?.trim();
        if topic.is_empty() {
            return Err(bad());
        }
        let partition: i32 = partition.parse().map_err(|_| bad())?;
        let offset: i64 = offset.parse().map_err(|_| bad())?;
        rows.push(((topic.to_string(), partition), offset));
    }
    if rows.is_empty() {
        return Err("it has no topic,partition,offset lines".to_string());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (String, i32) {
        ("t".to_string(), 0)
    }

    const B: Watermarks = Watermarks {
        earliest: 10,
        latest: 100,
    };

    #[test]
    fn specs_land_inside_the_log() {
        let t = |spec: ResetSpec, cur: Option<i64>, by_time: Option<i64>| {
            target(&spec, &key(), cur, B, by_time)
        };
        assert_eq!(t(ResetSpec::Earliest, Some(50), None).unwrap(), 10);
        assert_eq!(t(ResetSpec::Latest, Some(50), None).unwrap(), 100);
        assert_eq!(t(ResetSpec::Current, Some(50), None).unwrap(), 50);
        assert_eq!(t(ResetSpec::Current, None, None).unwrap(), 100);
        assert_eq!(t(ResetSpec::Offset(5), None, None).unwrap(), 10);
        assert_eq!(t(ResetSpec::Offset(500), None, None).unwrap(), 100);
        assert_eq!(t(ResetSpec::ShiftBy(-45), Some(50), None).unwrap(), 10);
        assert_eq!(t(ResetSpec::ShiftBy(7), Some(50), None).unwrap(), 57);
        assert!(t(ResetSpec::ShiftBy(7), None, None).is_err());
        assert_eq!(t(ResetSpec::Datetime(0), None, Some(42)).unwrap(), 42);
        assert_eq!(t(ResetSpec::Datetime(0), None, None).unwrap(), 100);
        let file = ResetSpec::File(vec![(key(), 20)]);
        assert_eq!(t(file, None, None).unwrap(), 20);
    }

    #[test]
    fn kafka_reset_csv_parses() {
        assert_eq!(
            parse_csv("a,0,5\n\n# note\na.b,1, 7\n").unwrap(),
            vec![(("a".into(), 0), 5), (("a.b".into(), 1), 7)]
        );
        assert!(parse_csv("a,x,5").unwrap_err().contains("line 1"));
        assert!(parse_csv("").is_err());
    }
}
