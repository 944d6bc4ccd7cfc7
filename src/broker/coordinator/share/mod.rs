//! Share groups (KIP-932): queues on Kafka's logs. Any number of members
//! share the records of a partition; each record is acquired by one member
//! under a time lock, then accepted, released for redelivery or rejected,
//! and archived after the delivery-count limit, onto the group's
//! dead-letter topic when it has one (KIP-1191).
//!
//! - [`group`]: membership and assignment (ShareGroupHeartbeat,
//!   ShareGroupDescribe), fenced members' records released.
//! - [`partition`]: each share-partition's in-flight records, acquisition
//!   locks and delivery counts (ShareFetch, ShareAcknowledge), durable in
//!   [`state_log`] (`__share_group_state`).
//! - [`dead_letter`]: the writes of archived records to a dead-letter topic.
//!
//! The group settings both read live in [`super::group_configs`].

pub mod dead_letter;
pub mod group;
pub mod partition;
pub mod state_log;

pub use group::ShareGroups;
pub use partition::SharePartitions;
