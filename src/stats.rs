//! Mergeable statistics over events.
//!
//! A [`Stats`] is built per chunk of input and folded with [`Stats::merge`] in input order;
//! the single-threaded path is the same code with one chunk at a time. Memory grows with the
//! number of distinct codes, domains, hours and recipients, never with the input size.

use crate::parse::{Class, Enhanced, Event, Mta, Outcome};
use crate::persistent::Tracker;
use crate::time::Stamp;
use std::collections::HashMap;

/// Hash maps keyed by log text use foldhash: fast, and seeded per process, so crafted
/// addresses cannot force collisions.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Counts per basic code 200–599, in a flat array (allocated on first use).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeCounts(Vec<u64>);

impl CodeCounts {
    const BASE: u16 = 200;
    const LEN: usize = 400;

    /// Adds `n` to `code` (codes outside 200–599 are never produced by the parser).
    pub fn add(&mut self, code: u16, n: u64) {
        if !(Self::BASE..Self::BASE + Self::LEN as u16).contains(&code) {
            return;
        }
        if self.0.is_empty() {
            self.0 = vec![0; Self::LEN];
        }
        self.0[usize::from(code - Self::BASE)] += n;
    }

    /// The count of one code.
    pub fn get(&self, code: u16) -> u64 {
        code.checked_sub(Self::BASE)
            .and_then(|i| self.0.get(usize::from(i)))
            .copied()
            .unwrap_or(0)
    }

    /// Codes seen, ascending, with their counts.
    pub fn iter(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (Self::BASE + i as u16, *n))
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &CodeCounts) {
        for (code, n) in other.iter() {
            self.add(code, n);
        }
    }
}

/// Counts per enhanced code. The codes that occur in practice (subject below 8, detail below
/// 32) are counted in a flat array, so the common case costs no hashing; any other code a
/// remote server makes up goes to a map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnhancedCounts {
    dense: Vec<u64>,
    other: Map<Enhanced, u64>,
}

impl EnhancedCounts {
    const SUBJECTS: u16 = 8;
    const DETAILS: u16 = 32;
    const LEN: usize = 3 * (Self::SUBJECTS * Self::DETAILS) as usize;

    fn slot(e: Enhanced) -> Option<usize> {
        let class = match e.class {
            2 => 0,
            4 => 1,
            5 => 2,
            _ => return None,
        };
        (e.subject < Self::SUBJECTS && e.detail < Self::DETAILS).then(|| {
            usize::from(
                class * Self::SUBJECTS * Self::DETAILS + e.subject * Self::DETAILS + e.detail,
            )
        })
    }

    fn code(slot: usize) -> Enhanced {
        let per_class = usize::from(Self::SUBJECTS * Self::DETAILS);
        Enhanced {
            class: [2, 4, 5][slot / per_class],
            subject: (slot % per_class / usize::from(Self::DETAILS)) as u16,
            detail: (slot % usize::from(Self::DETAILS)) as u16,
        }
    }

    /// Adds `n` to `e`.
    pub fn add(&mut self, e: Enhanced, n: u64) {
        match Self::slot(e) {
            Some(i) => {
                if self.dense.is_empty() {
                    self.dense = vec![0; Self::LEN];
                }
                self.dense[i] += n;
            }
            None => *self.other.entry(e).or_default() += n,
        }
    }

    /// The count of one code.
    pub fn get(&self, e: Enhanced) -> u64 {
        match Self::slot(e) {
            Some(i) => self.dense.get(i).copied().unwrap_or(0),
            None => self.other.get(&e).copied().unwrap_or(0),
        }
    }

    /// Codes seen, with their counts, ascending.
    pub fn sorted(&self) -> Vec<(Enhanced, u64)> {
        let mut v: Vec<(Enhanced, u64)> = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (Self::code(i), *n))
            .chain(self.other.iter().map(|(k, v)| (*k, *v)))
            .collect();
        v.sort_unstable();
        v
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: EnhancedCounts) {
        for (e, n) in other.sorted() {
            self.add(e, n);
        }
    }
}

/// An event detached from its line, kept to apply `last message repeated N times` across a
/// chunk boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedEvent {
    pub time: Option<Stamp>,
    pub code: Option<u16>,
    pub enhanced: Option<Enhanced>,
    pub class: Class,
    pub outcome: Outcome,
    pub mta: Mta,
    pub recipient: Vec<u8>,
    pub text: Vec<u8>,
}

impl OwnedEvent {
    /// Copies an event out of its line.
    pub fn from_event(e: &Event<'_>) -> OwnedEvent {
        OwnedEvent {
            time: e.time,
            code: e.code,
            enhanced: e.enhanced,
            class: e.class,
            outcome: e.outcome,
            mta: e.mta,
            recipient: e.recipient.to_vec(),
            text: e.text.to_vec(),
        }
    }

    /// Borrows it back as an event.
    pub fn as_event(&self) -> Event<'_> {
        Event {
            time: self.time,
            code: self.code,
            enhanced: self.enhanced,
            class: self.class,
            outcome: self.outcome,
            mta: self.mta,
            recipient: &self.recipient,
            text: &self.text,
        }
    }
}

/// Counters per class: `[2xx, 4xx, 5xx]`.
pub type ClassCounts = [u64; 3];

/// Statistics of a scan, or of one chunk of it.
///
/// Not `PartialEq`: equal counts can sit in `hourly` or in the current-hour cache, and the
/// scratch buffers hold leftovers; compare what the reports read (fields, sorted views).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Lines read.
    pub lines: u64,
    /// Lines that recorded an event (inside the date window or not), or repeated one.
    pub event_lines: u64,
    /// Lines longer than the line limit, skipped unread.
    pub overlong_lines: u64,
    /// Events whose timestamp could not be trusted (an impossible or absurdly far date).
    pub bad_times: u64,
    /// Events, counting repeats.
    pub events: u64,
    /// Events left out because they fall outside the date window.
    pub outside_window: u64,
    pub classes: ClassCounts,
    pub outcomes: [u64; 4],
    pub mtas: [u64; 2],
    pub codes: CodeCounts,
    pub enhanced: EnhancedCounts,
    /// Counts per domain of the events the tracker does not keep under their recipient; all
    /// domain counts are [`Stats::domain_counts`].
    pub domains: Map<Box<[u8]>, ClassCounts>,
    /// Local hour (seconds, see [`Stamp::hour_floor`]) → counts; see [`Stats::hourly_sorted`].
    hourly: Map<i64, ClassCounts>,
    /// The hour being counted: consecutive events mostly fall in the same hour, so they are
    /// added here and moved into `hourly` when the hour changes.
    hour_now: Option<(i64, ClassCounts)>,
    pub first: Option<Stamp>,
    pub last: Option<Stamp>,
    pub persistent: Tracker,
    scratch: Vec<u8>,
}

impl Stats {
    /// Lines that were not mail events.
    pub fn skipped(&self) -> u64 {
        self.lines.saturating_sub(self.event_lines)
    }

    /// Counts one event `weight` times.
    pub fn add(&mut self, e: &Event<'_>, weight: u64) {
        let c = e.class.index();
        self.events += weight;
        self.classes[c] += weight;
        self.outcomes[e.outcome.index()] += weight;
        self.mtas[usize::from(e.mta == Mta::Exim)] += weight;
        if let Some(code) = e.code {
            self.codes.add(code, weight);
        }
        if let Some(enh) = e.enhanced {
            self.enhanced.add(enh, weight);
        }
        // The tracker counts the events it keeps under their recipient (most of them:
        // deliveries and 450s); only the others are looked up by domain here.
        if !self.persistent.add(e, weight) {
            if let Some(domain) = domain_of(e.recipient) {
                let key = lowercase_key(domain, &mut self.scratch);
                match self.domains.get_mut(key) {
                    Some(counts) => counts[c] += weight,
                    None => {
                        let mut counts = [0; 3];
                        counts[c] = weight;
                        self.domains.insert(key.into(), counts);
                    }
                }
            }
        }
        if let Some(t) = e.time {
            let hour = t.hour_floor();
            match &mut self.hour_now {
                Some((h, counts)) if *h == hour => counts[c] += weight,
                slot => {
                    if let Some((h, counts)) = slot.take() {
                        add_counts(self.hourly.entry(h).or_default(), &counts);
                    }
                    let mut counts = [0; 3];
                    counts[c] = weight;
                    *slot = Some((hour, counts));
                }
            }
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        } else {
            self.bad_times += weight;
        }
    }

    /// Counts per recipient domain (lower-cased): those counted here and those the tracker
    /// counted under their recipients.
    pub fn domain_counts(&self) -> Map<&[u8], ClassCounts> {
        let mut all: Map<&[u8], ClassCounts> = Map::default();
        for (k, v) in &self.domains {
            add_counts(all.entry(k).or_default(), v);
        }
        for (recipient, e) in &self.persistent.recipients {
            if let (Some(domain), true) = (domain_of(recipient), e.counts != [0; 3]) {
                add_counts(all.entry(domain).or_default(), &e.counts);
            }
        }
        all
    }

    /// Folds `other` into `self`. Commutative and associative: chunks merge in any order
    /// (the only order-dependent part of a scan, repeat notes at chunk edges, is kept apart
    /// in [`crate::scan::Edge`]).
    pub fn merge(&mut self, mut other: Stats) {
        self.lines += other.lines;
        self.event_lines += other.event_lines;
        self.overlong_lines += other.overlong_lines;
        self.bad_times += other.bad_times;
        self.events += other.events;
        self.outside_window += other.outside_window;
        for i in 0..3 {
            self.classes[i] += other.classes[i];
        }
        for i in 0..4 {
            self.outcomes[i] += other.outcomes[i];
        }
        self.mtas[0] += other.mtas[0];
        self.mtas[1] += other.mtas[1];
        self.codes.merge(&other.codes);
        self.enhanced.merge(other.enhanced);
        for (k, v) in other.domains.drain() {
            let t = self.domains.entry(k).or_default();
            for i in 0..3 {
                t[i] += v[i];
            }
        }
        for (k, v) in other.hourly.into_iter().chain(other.hour_now) {
            add_counts(self.hourly.entry(k).or_default(), &v);
        }
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
        self.persistent.merge(std::mem::take(&mut other.persistent));
    }

    /// Enhanced codes with their counts, ascending.
    pub fn enhanced_sorted(&self) -> Vec<(Enhanced, u64)> {
        self.enhanced.sorted()
    }

    /// Hours with their counts, ascending.
    pub fn hourly_sorted(&self) -> Vec<(i64, ClassCounts)> {
        let mut all = self.hourly.clone();
        if let Some((h, counts)) = &self.hour_now {
            add_counts(all.entry(*h).or_default(), counts);
        }
        let mut v: Vec<(i64, ClassCounts)> = all.into_iter().collect();
        v.sort_unstable();
        v
    }

    /// Count of one outcome.
    pub fn outcome(&self, o: Outcome) -> u64 {
        self.outcomes[o.index()]
    }

    /// Share of a class, 0–1.
    pub fn share(&self, c: Class) -> f64 {
        if self.events == 0 {
            0.0
        } else {
            self.classes[c.index()] as f64 / self.events as f64
        }
    }
}

/// The domain of an address: what follows its last `@`, when that is not empty.
fn domain_of(address: &[u8]) -> Option<&[u8]> {
    let at = memchr::memrchr(b'@', address)?;
    let domain = &address[at + 1..];
    (!domain.is_empty()).then_some(domain)
}

/// `bytes` in ASCII lower case: itself when it has no upper-case letter (the common case,
/// no copy), else a lower-cased copy in `scratch`.
pub(crate) fn lowercase_key<'a>(bytes: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    // A fold rather than `any`: it has no exit per byte, so it compiles to a few vector
    // compares instead of a branch on every byte.
    if !bytes
        .iter()
        .fold(false, |up, b| up | b.is_ascii_uppercase())
    {
        return bytes;
    }
    scratch.clear();
    scratch.extend(bytes.iter().map(u8::to_ascii_lowercase));
    scratch
}

fn add_counts(into: &mut ClassCounts, from: &ClassCounts) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, rhs: Stats) {
        self.merge(rhs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(class: u8, subject: u16, detail: u16) -> Enhanced {
        Enhanced {
            class,
            subject,
            detail,
        }
    }

    #[test]
    fn enhanced_counts_in_the_array_and_the_map_sort_together() {
        let mut a = EnhancedCounts::default();
        a.add(e(5, 7, 1), 2);
        a.add(e(4, 2, 2), 1);
        a.add(e(2, 0, 0), 5);
        a.add(e(5, 7, 31), 1);
        a.add(e(5, 7, 32), 1); // detail beyond the array
        a.add(e(4, 8, 0), 3); // subject beyond the array
        a.add(e(5, 999, 999), 1);
        let mut b = EnhancedCounts::default();
        b.add(e(5, 7, 1), 1);
        b.add(e(5, 999, 999), 1);
        a.merge(b);
        assert_eq!(
            a.sorted(),
            vec![
                (e(2, 0, 0), 5),
                (e(4, 2, 2), 1),
                (e(4, 8, 0), 3),
                (e(5, 7, 1), 3),
                (e(5, 7, 31), 1),
                (e(5, 7, 32), 1),
                (e(5, 999, 999), 2),
            ]
        );
        assert_eq!(a.get(e(5, 7, 1)), 3);
        assert_eq!(a.get(e(4, 8, 0)), 3);
        assert_eq!(a.get(e(4, 7, 1)), 0);
        assert_eq!(EnhancedCounts::default().get(e(2, 0, 0)), 0);
    }
}
