//! The recipients the tracker knows only by hash (a 2xx and no deferral yet), out and back
//! in, for the mergeable summary (`crate::mergeable`): with the fleet's shared hash key,
//! a 2xx on one host still recovers a recipient deferred on another.

use super::{Packed, Tracker, SHARDS};
use crate::time::Stamp;

impl Tracker {
    /// Adds a 2xx known by its recipient's hash, as a merge of trackers does.
    pub(crate) fn add_delivered_record(&mut self, hash: u64, last: Stamp) {
        self.add_delivered_packed(hash, Packed::new(Some(last)).0);
    }

    /// Hands every delivered-only recipient to `emit` as its hash and the time of its latest
    /// 2xx in 64 bits (bit 63 set when there is one, the local seconds in bits 62–16, two's
    /// complement, and the offset in minutes in bits 15–0, 0x8000 for none): shard by shard,
    /// in each sorted by hash, so that the order never depends on how the tracker was built.
    /// Holds one shard's records (1/64th) at a time. Returns how many were handed.
    pub(crate) fn each_delivered_packed<E>(
        &self,
        mut emit: impl FnMut(u64, u64) -> Result<(), E>,
    ) -> Result<u64, E> {
        let most = self.shards.iter().map(|s| s.delivered.len()).max();
        let (mut order, mut n) = (Vec::with_capacity(most.unwrap_or(0)), 0);
        for s in &self.shards {
            order.clear();
            order.extend(s.delivered.iter().map(|d| (d.hash, d.last.0)));
            order.sort_unstable();
            for &(hash, time) in &order {
                emit(hash, time)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// How many recipients [`Tracker::each_delivered_packed`] hands out.
    pub(crate) fn delivered_len(&self) -> u64 {
        self.shards.iter().map(|s| s.delivered.len() as u64).sum()
    }

    /// Adds a record of [`Tracker::each_delivered_packed`].
    pub(crate) fn add_delivered_packed(&mut self, hash: u64, time: u64) {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, Default::default);
        }
        self.add_success_hash(hash, Packed(time));
    }
}
