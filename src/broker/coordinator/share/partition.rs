//! Share-partitions: for each (share group, topic partition), the window of
//! records between the share-partition start offset and end offset, each
//! available, acquired by a member under a lock, acknowledged or archived,
//! with its delivery count.

/// Every share-partition of every share group.
#[derive(Default)]
pub struct SharePartitions {}

/// One share-partition as `dq groups describe` and
/// DescribeShareGroupOffsets show it.
#[derive(Debug, Clone)]
pub struct SharePartitionSummary {
    pub topic: String,
    pub partition: i32,
    /// The share-partition start offset: every record below it is done.
    pub start_offset: i64,
    /// Records acquired and not yet acknowledged.
    pub in_flight: usize,
}

impl SharePartitions {
    /// Releases every record `member_id` holds in `group_id`, for members
    /// that left the group or were fenced: they become available again.
    pub fn release_member(&self, group_id: &str, member_id: &str) {
        let _ = (group_id, member_id);
    }

    /// The share-partitions of `group_id`, by topic and partition.
    pub fn summary(&self, group_id: &str) -> Vec<SharePartitionSummary> {
        let _ = group_id;
        Vec::new()
    }
}

impl SharePartitions {
    /// Deletes every share-partition of `group_id` and its durable state
    /// (DeleteGroups of an empty share group). Placeholder of helper
    /// share-groups, replaced by share-partitions' real one at the merge.
    pub async fn delete_group(
        &self,
        internal: &crate::broker::coordinator::internal_topic::InternalTopics<'_>,
        group_id: &str,
    ) -> Result<(), crate::broker::storage::log_manager::TopicError> {
        let _ = (internal, group_id);
        Ok(())
    }
}
