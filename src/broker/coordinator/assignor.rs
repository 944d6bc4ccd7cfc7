//! The server-side partition assignors of KIP-848 consumer groups: `uniform`
//! (Kafka's default) and `range`. An assignor sees only the members'
//! subscriptions, their current assignments and the subscribed topics'
//! partition counts, and returns each member's target assignment; getting
//! the members there without sharing a partition is `consumer_group`'s job.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use uuid::Uuid;

/// Partitions by topic id, as ConsumerGroupHeartbeat carries them.
pub type Assignment = BTreeMap<Uuid, BTreeSet<i32>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignor {
    Uniform,
    Range,
}

impl Assignor {
    pub const DEFAULT: Assignor = Assignor::Uniform;

    pub fn from_name(name: &str) -> Option<Assignor> {
        match name {
            "uniform" => Some(Assignor::Uniform),
            "range" => Some(Assignor::Range),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Assignor::Uniform => "uniform",
            Assignor::Range => "range",
        }
    }

    /// Target assignment of every member (members without partitions get an
    /// empty one). `topics` maps each subscribed topic that exists to its
    /// partition count.
    pub fn assign(
        self,
        members: &[AssignorMember],
        topics: &BTreeMap<Uuid, i32>,
    ) -> BTreeMap<String, Assignment> {
        match self {
            Assignor::Uniform => uniform(members, topics),
            Assignor::Range => range(members, topics),
        }
    }
}

/// What an assignor knows of one member.
#[derive(Debug, Clone)]
pub struct AssignorMember {
    pub id: String,
    /// Ids of the existing topics it subscribes to.
    pub topics: BTreeSet<Uuid>,
    /// Its current target assignment, kept where possible (stickiness).
    pub current: Assignment,
}

/// Balanced and sticky, like Kafka's UniformAssignor: member partition counts
/// differ by at most one among members that could take the same partitions,
/// and a partition moves only to even the counts out.
fn uniform(
    members: &[AssignorMember],
    topics: &BTreeMap<Uuid, i32>,
) -> BTreeMap<String, Assignment> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|a, b| members[*a].id.cmp(&members[*b].id));
    let mut owner: HashMap<(Uuid, i32), usize> = HashMap::new();
    let mut counts = vec![0usize; members.len()];
    // 1. Keep what each member has and may still have.
    for &m in &order {
        for (topic, partitions) in &members[m].current {
            let Some(&count) = topics.get(topic) else {
                continue;
            };
            if !members[m].topics.contains(topic) {
                continue;
            }
            for &p in partitions {
                if p >= 0 && p < count && !owner.contains_key(&(*topic, p)) {
                    owner.insert((*topic, p), m);
                    counts[m] += 1;
                }
            }
        }
    }
    let all: Vec<(Uuid, i32)> = topics
        .iter()
        .flat_map(|(t, n)| (0..*n).map(move |p| (*t, p)))
        .collect();
    let least_loaded = |topic: &Uuid, counts: &[usize]| -> Option<usize> {
        order
            .iter()
            .copied()
            .filter(|m| members[*m].topics.contains(topic))
            .min_by_key(|m| counts[*m])
    };
    // 2. Give each free partition to the least loaded member that wants it.
    for tp in &all {
        if owner.contains_key(tp) {
            continue;
        }
        if let Some(m) = least_loaded(&tp.0, &counts) {
            owner.insert(*tp, m);
            counts[m] += 1;
        }
    }
    // 3. Even the counts out: move a partition from a member that has two
    // more than another member subscribed to its topic. Each move lowers the
    // sum of squared counts, so this ends.
    loop {
        let mut moved = false;
        for tp in &all {
            let Some(&from) = owner.get(tp) else {
                continue;
            };
            if let Some(to) = least_loaded(&tp.0, &counts) {
                if counts[to] + 1 < counts[from] {
                    owner.insert(*tp, to);
                    counts[from] -= 1;
                    counts[to] += 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    let mut out: BTreeMap<String, Assignment> = members
        .iter()
        .map(|m| (m.id.clone(), Assignment::new()))
        .collect();
    for ((topic, p), m) in owner {
        if let Some(a) = out.get_mut(&members[m].id) {
            a.entry(topic).or_default().insert(p);
        }
    }
    out
}

/// Kafka's range assignment: for each topic, its subscribers in member-id
/// order take consecutive ranges, the first `partitions % members` one more.
fn range(members: &[AssignorMember], topics: &BTreeMap<Uuid, i32>) -> BTreeMap<String, Assignment> {
    let mut out: BTreeMap<String, Assignment> = members
        .iter()
        .map(|m| (m.id.clone(), Assignment::new()))
        .collect();
    for (topic, &count) in topics {
        let mut subscribers: Vec<&str> = members
            .iter()
            .filter(|m| m.topics.contains(topic))
            .map(|m| m.id.as_str())
            .collect();
        if subscribers.is_empty() || count <= 0 {
            continue;
        }
        subscribers.sort_unstable();
        let n = subscribers.len() as i32;
        let (each, extra) = (count / n, count % n);
        let mut next = 0;
        for (i, id) in subscribers.into_iter().enumerate() {
            let take = each + i32::from((i as i32) < extra);
            if take > 0 {
                if let Some(a) = out.get_mut(id) {
                    a.entry(*topic).or_default().extend(next..next + take);
                }
            }
            next += take;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, topics: &[Uuid], current: Assignment) -> AssignorMember {
        AssignorMember {
            id: id.into(),
            topics: topics.iter().copied().collect(),
            current,
        }
    }

    fn counts(a: &BTreeMap<String, Assignment>) -> Vec<usize> {
        a.values()
            .map(|x| x.values().map(|s| s.len()).sum())
            .collect()
    }

    /// Every partition of `topics` is in exactly one assignment.
    fn assert_partitioned(a: &BTreeMap<String, Assignment>, topics: &BTreeMap<Uuid, i32>) {
        let mut seen = BTreeSet::new();
        for asg in a.values() {
            for (t, ps) in asg {
                for p in ps {
                    assert!(seen.insert((*t, *p)), "{t}-{p} assigned twice");
                }
            }
        }
        let total: i32 = topics.values().sum();
        assert_eq!(seen.len(), total as usize);
    }

    #[test]
    fn uniform_balances_and_keeps_partitions_when_a_member_joins() {
        let t = Uuid::new_v4();
        let topics = BTreeMap::from([(t, 6)]);
        let first = Assignor::Uniform.assign(
            &[
                member("a", &[t], Assignment::new()),
                member("b", &[t], Assignment::new()),
            ],
            &topics,
        );
        assert_partitioned(&first, &topics);
        assert_eq!(counts(&first), vec![3, 3]);
        let second = Assignor::Uniform.assign(
            &[
                member("a", &[t], first["a"].clone()),
                member("b", &[t], first["b"].clone()),
                member("c", &[t], Assignment::new()),
            ],
            &topics,
        );
        assert_partitioned(&second, &topics);
        assert_eq!(counts(&second), vec![2, 2, 2]);
        // Sticky: a and b each keep two of their three.
        for id in ["a", "b"] {
            assert!(
                second[id][&t].is_subset(&first[id][&t]),
                "{id} lost a kept partition"
            );
        }
    }

    #[test]
    fn uniform_respects_different_subscriptions() {
        let (t1, t2) = (Uuid::new_v4(), Uuid::new_v4());
        let topics = BTreeMap::from([(t1, 4), (t2, 2)]);
        let a = Assignor::Uniform.assign(
            &[
                member("a", &[t1], Assignment::new()),
                member("b", &[t1, t2], Assignment::new()),
            ],
            &topics,
        );
        assert_partitioned(&a, &topics);
        assert!(!a["a"].contains_key(&t2), "a does not subscribe to t2");
        assert_eq!(counts(&a), vec![3, 3]);
    }

    #[test]
    fn uniform_drops_partitions_of_unsubscribed_or_shrunk_topics() {
        let t = Uuid::new_v4();
        let gone = Uuid::new_v4();
        let current =
            Assignment::from([(t, BTreeSet::from([0, 1, 7])), (gone, BTreeSet::from([0]))]);
        let topics = BTreeMap::from([(t, 2)]);
        let a = Assignor::Uniform.assign(&[member("a", &[t], current)], &topics);
        assert_eq!(a["a"], Assignment::from([(t, BTreeSet::from([0, 1]))]));
    }

    #[test]
    fn range_gives_consecutive_ranges_per_topic() {
        let (t1, t2) = (Uuid::new_v4(), Uuid::new_v4());
        let topics = BTreeMap::from([(t1, 5), (t2, 2)]);
        let a = Assignor::Range.assign(
            &[
                member("b", &[t1, t2], Assignment::new()),
                member("a", &[t1, t2], Assignment::new()),
            ],
            &topics,
        );
        assert_partitioned(&a, &topics);
        assert_eq!(a["a"][&t1], BTreeSet::from([0, 1, 2]));
        assert_eq!(a["b"][&t1], BTreeSet::from([3, 4]));
        assert_eq!(a["a"][&t2], BTreeSet::from([0]));
        assert_eq!(a["b"][&t2], BTreeSet::from([1]));
    }

    #[test]
    fn more_members_than_partitions_leaves_some_empty() {
        let t = Uuid::new_v4();
        let topics = BTreeMap::from([(t, 1)]);
        for assignor in [Assignor::Uniform, Assignor::Range] {
            let a = assignor.assign(
                &[
                    member("a", &[t], Assignment::new()),
                    member("b", &[t], Assignment::new()),
                ],
                &topics,
            );
            assert_partitioned(&a, &topics);
            assert_eq!(a.len(), 2);
        }
    }
}
