//! Every outcome per relay host, and the failures per relay by diagnosis, in one table that
//! every event looks up once: what `providers.csv` and the diagnoses' top providers are made
//! of.
//!
//! A busy outbound server talks to as many relays as there are recipient domains, in no
//! order, so this lookup mostly misses the processor's caches. An entry is therefore found
//! by the 64-bit hash of the relay's name alone (folded to lower case while hashing, seeded
//! per process): the name, written once into an arena when the relay is first seen, is not
//! read again to confirm a match. Two relays with the same hash would share an entry (their
//! outcomes counted under the first one's name); with n relays that happens with a chance of
//! about n²/2⁶⁵ per run (under one in 10¹⁰ for 500,000 relays), and as the seed is random
//! per run (or secret, see `crate::mergeable::key`) a sender cannot aim at it — the same
//! argument as for the recipients of `crate::persistent`.

use super::Relay;
use crate::diagnose::Diagnosis;
use crate::intern::{folded_hash, Arena, KeyRef};
use crate::parse::Class;
use crate::slots::{prefetch, stored, Slot, Slots};
use crate::types::{add_counts, ClassCounts};

/// How many relays ahead [`Relays::iter`] prefetches.
const AHEAD: usize = 16;

/// Failures of one diagnosis and class, counted.
pub(super) type Failure = ((Diagnosis, Class), u64);

/// The table: entries by hash, names in an arena, failures in a list of their own (most
/// relays never fail).
#[derive(Debug, Clone, Default)]
pub(super) struct Relays {
    table: Slots<Entry>,
    names: Arena,
    failures: Vec<Relay>,
}

/// One relay: 48 bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    hash: u64,
    counts: ClassCounts,
    /// Where the name (lower case) lives in the arena, as [`KeyRef::bits`].
    name: u64,
    len: u32,
    /// 1 + the index of its failures in [`Relays::failures`]; 0 for none yet.
    failures: u32,
}

impl Relays {
    /// Counts `weight` outcomes of `class` to `relay` (any case) whose [`folded_hash`] is
    /// `hash`, with their diagnosis when they failed.
    #[inline]
    pub fn add_hashed(
        &mut self,
        relay: &[u8],
        hash: u64,
        class: Class,
        diagnosis: Option<Diagnosis>,
        weight: u64,
    ) {
        let mut counts = [0; 3];
        counts[class.index()] = weight;
        let e = entry(&mut self.table, &mut self.names, relay, hash, &counts);
        if let Some(d) = diagnosis {
            add_failures(&mut self.failures, e, &[((d, class), weight)]);
        }
    }

    /// Reads where `hash`'s entry would be, so that a batch of events waits for its cache
    /// misses together (see `Stats::add_batch`); changes nothing.
    #[inline]
    pub fn touch(&self, hash: u64) {
        self.table.touch(hash);
    }

    /// Brings the failure list of the relay whose hash is `hash` into the cache, if it has
    /// one; changes nothing. Its entry must already be on its way ([`Relays::touch`]): the
    /// list is found through it, a second cache miss that counting a failure would
    /// otherwise wait for (on a dictionary attack, where every line is a refusal and the
    /// clients are many, that wait was 12–19 % of a one-thread scan).
    #[inline]
    pub fn touch_failures(&self, hash: u64) {
        let list = self
            .table
            .find(hash, |_| true)
            .and_then(|at| self.table.get(at))
            .and_then(|e| self.failures_of(e));
        if let Some(list) = list {
            prefetch(list);
        }
    }

    /// Adds a relay's outcomes and failures (from another table or a merged summary).
    pub fn add_all(&mut self, relay: &[u8], counts: &ClassCounts, failures: &[Failure]) {
        let hash = folded_hash(relay);
        let e = entry(&mut self.table, &mut self.names, relay, hash, counts);
        add_failures(&mut self.failures, e, failures);
    }

    /// Every relay (lower case) with its outcomes and its failures, in no order.
    ///
    /// The entries are read in the order of their slots, but their names and failure lists
    /// lie in the order the relays came: each would be a cache miss. So what the relays
    /// further on point to is prefetched: the names and lists [`AHEAD`] relays ahead, the
    /// lists' counts half as far (their lists are in the cache by then).
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], ClassCounts, &[Failure])> {
        self.iter_in(0..self.slot_count())
    }

    /// The relays of [`Relays::iter`] whose entries are in the table's slots `slots` (of
    /// `0..`[`Relays::slot_count`]): parts of the table can be read on threads of their own.
    pub fn iter_in(
        &self,
        slots: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (&[u8], ClassCounts, &[Failure])> {
        let mut far = self.table.iter_in(slots.clone()).skip(AHEAD);
        let mut near = self.table.iter_in(slots.clone()).skip(AHEAD / 2);
        self.table.iter_in(slots).map(move |e| {
            if let Some(a) = far.next() {
                if let Some(b) = self.name(a).first() {
                    prefetch(b);
                }
                if let Some(list) = self.failures_of(a) {
                    prefetch(list);
                }
            }
            if let Some(list) = near.next().and_then(|a| self.failures_of(a)) {
                if let Some(first) = list.kinds().first() {
                    prefetch(first);
                }
            }
            let failures = self.failures_of(e).map_or(&[][..], Relay::kinds);
            (self.name(e), e.counts, failures)
        })
    }

    fn name(&self, e: &Entry) -> &[u8] {
        self.names.get(KeyRef::from_bits(e.name), e.len)
    }

    fn failures_of(&self, e: &Entry) -> Option<&Relay> {
        e.failures
            .checked_sub(1)
            .and_then(|i| self.failures.get(i as usize))
    }

    /// The table's slots, entries or not.
    pub fn slot_count(&self) -> usize {
        self.table.capacity()
    }

    /// Relays counted.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Adds every relay of `other`.
    pub fn merge(&mut self, other: &Relays) {
        self.table.reserve_for_merge(&other.table);
        // A batch of their entries at a time: their slots here are prefetched first, so that
        // the cache misses overlap (as when counting, `Stats::add_batch`). An entry's stored
        // hash is its name's `folded_hash`, as this table's.
        let mut entries = other.table.iter().peekable();
        let mut batch = [Entry::default(); 16];
        while entries.peek().is_some() {
            let mut n = 0;
            for (slot, e) in batch.iter_mut().zip(entries.by_ref()) {
                *slot = *e;
                n += 1;
            }
            for e in &batch[..n] {
                self.table.touch(e.hash);
            }
            for e in &batch[..n] {
                let name = other.names.get(KeyRef::from_bits(e.name), e.len);
                let mine = entry(&mut self.table, &mut self.names, name, e.hash, &e.counts);
                let failures = match e.failures {
                    0 => &[][..],
                    i => other.failures[i as usize - 1].kinds(),
                };
                add_failures(&mut self.failures, mine, failures);
            }
        }
    }
}

/// Adds `counts` to `relay`'s entry in `table` (made when new, its name put in `names`),
/// and returns it. Found by hash alone (see the module docs).
#[inline]
fn entry<'t>(
    table: &'t mut Slots<Entry>,
    names: &mut Arena,
    relay: &[u8],
    hash: u64,
    counts: &ClassCounts,
) -> &'t mut Entry {
    let make = || Entry {
        hash: stored(hash),
        counts: [0; 3],
        name: names.push_lowercase(relay).bits(),
        len: relay.len().min(u32::MAX as usize) as u32,
        failures: 0,
    };
    let (_, e) = table.find_or_insert(hash, |_| true, make);
    add_counts(&mut e.counts, counts);
    e
}

impl Slot for Entry {
    fn hash(&self) -> u64 {
        self.hash
    }
}

/// Adds `failures` to entry `e`'s list in `lists` (made when it has none yet).
fn add_failures(lists: &mut Vec<Relay>, e: &mut Entry, failures: &[Failure]) {
    if failures.is_empty() {
        return;
    }
    if e.failures == 0 {
        lists.push(Relay::default());
        e.failures = lists.len() as u32;
    }
    let mine = &mut lists[e.failures as usize - 1];
    for (k, n) in failures {
        mine.add(*k, *n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &Relays) -> Vec<(Vec<u8>, ClassCounts, Vec<Failure>)> {
        let mut v: Vec<_> = r
            .iter()
            .map(|(n, c, f)| (n.to_vec(), c, f.to_vec()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn add(r: &mut Relays, relay: &[u8], class: Class, d: Option<Diagnosis>) {
        r.add_hashed(relay, folded_hash(relay), class, d, 1);
    }

    #[test]
    fn counts_per_relay_in_any_case_and_merges() {
        let full = Some(Diagnosis::MailboxFull);
        let mut a = Relays::default();
        add(&mut a, b"MX.Example.ORG", Class::Success, None);
        add(&mut a, b"mx.example.org", Class::Transient, full);
        let mut b = Relays::default();
        add(&mut b, b"mx.example.org", Class::Transient, full);
        add(&mut b, b"other.example", Class::Permanent, None);
        a.merge(&b);
        assert_eq!(
            rows(&a),
            vec![
                (
                    b"mx.example.org".to_vec(),
                    [1, 2, 0],
                    vec![((Diagnosis::MailboxFull, Class::Transient), 2)]
                ),
                (b"other.example".to_vec(), [0, 0, 1], vec![]),
            ]
        );
        assert_eq!(a.len(), 2);
    }
}
