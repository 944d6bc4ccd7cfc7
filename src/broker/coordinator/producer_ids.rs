//! Producer ids, handed out to idempotent and transactional producers from
//! blocks reserved in the catalog.

use std::sync::Mutex;

use crate::broker::storage::log_manager::LogManager;
use crate::broker::storage::StorageError;

/// Ids reserved per catalog write.
const BLOCK: i64 = 1000;

/// The block of ids being handed out: (next, end).
#[derive(Default)]
pub struct ProducerIds {
    block: Mutex<(i64, i64)>,
}

impl ProducerIds {
    /// A producer id never handed out before on this data directory. A
    /// restart skips the rest of the block rather than reusing an id.
    pub fn next(&self, logs: &LogManager) -> Result<i64, StorageError> {
        let mut block = self.block.lock().unwrap_or_else(|p| p.into_inner());
        if block.0 == block.1 {
            let start = logs.reserve_producer_ids(BLOCK)?;
            *block = (start, start + BLOCK);
        }
        let id = block.0;
        block.0 += 1;
        Ok(id)
    }
}
