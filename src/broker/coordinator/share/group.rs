//! Share-group membership (KIP-932): ShareGroupHeartbeat joins, keeps and
//! leaves a member; the server assigns partitions.

use std::collections::HashMap;
use std::sync::Mutex;

/// Every share group's members. Group ids share one namespace with classic
/// and consumer groups.
#[derive(Default)]
pub struct ShareGroups {
    groups: Mutex<HashMap<String, ()>>,
}

impl ShareGroups {
    /// Whether `group_id` is a share group (with or without members).
    pub fn exists(&self, group_id: &str) -> bool {
        self.groups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(group_id)
    }

    /// Whether `member_id` is a current member of share group `group_id`.
    pub fn is_member(&self, group_id: &str, member_id: &str) -> bool {
        let _ = (group_id, member_id);
        false
    }
}
