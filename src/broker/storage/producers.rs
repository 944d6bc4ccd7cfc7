//! Idempotent-producer state for one partition: for each producer id, its
//! epoch and the sequence ranges of its last few batches. A retried batch is
//! recognised and answered with its original offset instead of being stored
//! twice; a gap in sequence numbers is refused.

use std::collections::{HashMap, VecDeque};

use super::batch::BatchHeader;
use super::StorageError;

/// Batches remembered per producer; Kafka allows five in flight.
const REMEMBERED: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Written {
    first_seq: i32,
    last_seq: i32,
    base_offset: i64,
    last_offset: i64,
}

#[derive(Debug, Default)]
struct Producer {
    epoch: i16,
    recent: VecDeque<Written>,
}

/// What to do with one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Not from an idempotent producer, or next in sequence: store it.
    Append,
    /// Already stored at these offsets: answer with them, store nothing.
    Duplicate { base_offset: i64, last_offset: i64 },
}

#[derive(Debug, Default)]
pub struct ProducerStates {
    producers: HashMap<i64, Producer>,
}

fn last_seq(h: &BatchHeader) -> i32 {
    h.base_sequence.wrapping_add(h.last_offset_delta)
}

impl ProducerStates {
    pub fn check(&self, h: &BatchHeader) -> Result<Check, StorageError> {
        if h.producer_id < 0 {
            return Ok(Check::Append);
        }
        let Some(p) = self.producers.get(&h.producer_id) else {
            // Unknown producer (new, or state lost with a restart): accept.
            return Ok(Check::Append);
        };
        if h.producer_epoch < p.epoch {
            return Err(StorageError::ProducerFenced {
                producer_id: h.producer_id,
                epoch: h.producer_epoch,
                current: p.epoch,
            });
        }
        if h.producer_epoch > p.epoch {
            return if h.base_sequence == 0 {
                Ok(Check::Append)
            } else {
                Err(StorageError::OutOfOrderSequence {
                    producer_id: h.producer_id,
                    expected: 0,
                    got: h.base_sequence,
                })
            };
        }
        if let Some(w) = p
            .recent
            .iter()
            .find(|w| w.first_seq == h.base_sequence && w.last_seq == last_seq(h))
        {
            return Ok(Check::Duplicate {
                base_offset: w.base_offset,
                last_offset: w.last_offset,
            });
        }
        let expected = p
            .recent
            .back()
            .map_or(h.base_sequence, |w| w.last_seq.wrapping_add(1));
        if h.base_sequence != expected && expected != 0 {
            return Err(StorageError::OutOfOrderSequence {
                producer_id: h.producer_id,
                expected,
                got: h.base_sequence,
            });
        }
        Ok(Check::Append)
    }

    /// Records a batch that was stored with `base_offset`.
    pub fn record(&mut self, h: &BatchHeader, base_offset: i64) {
        if h.producer_id < 0 {
            return;
        }
        let p = self.producers.entry(h.producer_id).or_default();
        if h.producer_epoch != p.epoch {
            p.epoch = h.producer_epoch;
            p.recent.clear();
        }
        if p.recent.len() == REMEMBERED {
            p.recent.pop_front();
        }
        p.recent.push_back(Written {
            first_seq: h.base_sequence,
            last_seq: last_seq(h),
            base_offset,
            last_offset: base_offset + i64::from(h.last_offset_delta),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(pid: i64, epoch: i16, seq: i32, n: i32) -> BatchHeader {
        BatchHeader {
            base_offset: 0,
            batch_length: 100,
            magic: 2,
            crc: 0,
            attributes: 0,
            last_offset_delta: n - 1,
            base_timestamp: 0,
            max_timestamp: 0,
            producer_id: pid,
            producer_epoch: epoch,
            base_sequence: seq,
            record_count: n,
        }
    }

    #[test]
    fn retries_are_recognised_and_gaps_refused() {
        let mut s = ProducerStates::default();
        let first = header(7, 0, 0, 10);
        assert_eq!(s.check(&first).unwrap(), Check::Append);
        s.record(&first, 100);
        assert_eq!(
            s.check(&first).unwrap(),
            Check::Duplicate {
                base_offset: 100,
                last_offset: 109
            }
        );
        assert_eq!(s.check(&header(7, 0, 10, 5)).unwrap(), Check::Append);
        assert!(matches!(
            s.check(&header(7, 0, 12, 5)),
            Err(StorageError::OutOfOrderSequence {
                expected: 10,
                got: 12,
                ..
            })
        ));
        assert!(matches!(
            s.check(&header(7, 1, 3, 1)),
            Err(StorageError::OutOfOrderSequence { .. })
        ));
        assert_eq!(s.check(&header(7, 1, 0, 1)).unwrap(), Check::Append);
        s.record(&header(7, 1, 0, 1), 200);
        assert!(matches!(
            s.check(&header(7, 0, 10, 1)),
            Err(StorageError::ProducerFenced { .. })
        ));
        assert_eq!(s.check(&header(-1, -1, -1, 3)).unwrap(), Check::Append);
    }
}
