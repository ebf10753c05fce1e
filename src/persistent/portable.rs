//! The recipients the tracker knows only by hash (a 2xx and no deferral yet), out and back
//! in, for the mergeable summary (`crate::mergeable`): with the fleet's shared hash key,
//! a 2xx on one host still recovers a recipient deferred on another.

use super::{Packed, Tracker, SHARDS};
use crate::time::Stamp;

impl Tracker {
    /// Every delivered-only recipient as `(hash, time of its latest 2xx)`, in no order.
    pub(crate) fn delivered_records(&self) -> impl Iterator<Item = (u64, Stamp)> + '_ {
        self.shards
            .iter()
            .flat_map(|s| s.delivered.iter())
            .filter_map(|d| Some((d.hash, d.last.get()?)))
    }

    /// Adds a 2xx known by its recipient's hash, as a merge of trackers does.
    pub(crate) fn add_delivered_record(&mut self, hash: u64, last: Stamp) {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, Default::default);
        }
        self.add_success_hash(hash, Packed::new(Some(last)));
    }
}
