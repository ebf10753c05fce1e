//! Small types shared by the statistics, the tracker and the reports: a leaf module, so
//! that none of them has to import another for its vocabulary.

use std::collections::HashMap;

/// Hash maps keyed by log text use foldhash: fast, and seeded per process, so crafted
/// addresses cannot force collisions.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Counters per class: `[2xx, 4xx, 5xx]`.
pub type ClassCounts = [u64; 3];

/// Adds `from` to `into`, class by class.
pub fn add_counts(into: &mut ClassCounts, from: &ClassCounts) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}
