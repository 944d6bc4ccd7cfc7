//! Dead-letter topics for share groups (KIP-1191): a record rejected, or
//! delivered as often as the group allows, is copied to the group's
//! dead-letter topic with headers naming where it came from, durably,
//! before it counts as archived.

/// Why a record was dead-lettered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A member rejected it (AcknowledgeType REJECT).
    Rejected,
    /// It reached the group's delivery-count limit.
    DeliveryLimit,
}

/// One record to copy to a dead-letter topic. The copy's key, value,
/// headers and timestamp are read from the source log.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub delivery_count: i16,
    pub reason: Reason,
}
