//! Why mail failed, counted: diagnoses per class, and outcomes per provider.
//!
//! Every 4xx/5xx outcome (and every deferral or bounce without a reply code) gets one
//! [`Diagnosis`] from the active rules ([`crate::diagnose::active`]); the counts here are what
//! `diagnoses.csv`, `providers.csv` and the summary's "why mail failed" section show.
//!
//! Like every other aggregate these merge in any order to the same result: counts add,
//! recipient sets unite, and the example reply kept for a diagnosis is the earliest one
//! (by time, then text), not the first one a thread happened to see. Providers are kept by
//! relay host and named only at report time, so a delivery costs one lookup of a short key.

use crate::diagnose::{provider, Diagnosis};
use crate::intern::folded_hash;
use crate::parse::{Class, Event};
use crate::time::Stamp;
use crate::types::{add_counts, ClassCounts, Map};
use std::borrow::Cow;
use std::hash::{BuildHasher, Hasher};

mod portable;
pub(crate) use portable::RelaysOut;
mod relays;

use relays::{Failure, Relays};

/// Longest example reply shown, in bytes (cut on a character boundary).
const EXAMPLE_MAX: usize = 300;
/// Raw bytes of an example kept: enough for [`EXAMPLE_MAX`] once cleaned.
const EXAMPLE_RAW: usize = 4 * EXAMPLE_MAX;

/// One diagnosis in one class.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub count: u64,
    /// The recipients (hashed, lower-cased), for the count of distinct recipients.
    recipients: crate::distinct::Distinct,
    /// The earliest reply with this diagnosis: `(time, raw text)`, the text cut at
    /// [`EXAMPLE_RAW`] bytes; cleaned only when a report shows it.
    example: Option<(Option<Stamp>, Box<[u8]>)>,
}

impl Tally {
    /// Distinct recipients.
    pub fn recipients(&self) -> u64 {
        self.recipients.count()
    }

    /// The example reply (cleaned and cut), or an empty text.
    pub fn example(&self) -> String {
        self.example
            .as_ref()
            .map_or_else(String::new, |(_, t)| example_text(t))
    }

    fn merge(&mut self, mut other: Tally) {
        self.count += other.count;
        self.recipients.merge(std::mem::take(&mut other.recipients));
        if let Some((time, text)) = other.example {
            self.offer_example(time, &text);
        }
    }

    /// Keeps `(time, text)` when it is earlier than the example held (ties: the smaller
    /// text), so the example does not depend on the order events or merges came in.
    fn offer_example(&mut self, time: Option<Stamp>, text: &[u8]) {
        let text = &text[..text.len().min(EXAMPLE_RAW)];
        let better = match &self.example {
            None => true,
            Some((t, have)) => (time, text) < (*t, &have[..]),
        };
        if better {
            self.example = Some((time, text.into()));
        }
    }
}

/// The tallies of every diagnosis and class, in a flat array (no hashing per failure).
#[derive(Debug, Clone, Default)]
struct Tallies(Vec<Tally>);

impl Tallies {
    const CLASSES: usize = 3;

    fn slot((d, c): (Diagnosis, Class)) -> usize {
        d.index() * Self::CLASSES + c.index()
    }

    fn key(slot: usize) -> (Diagnosis, Class) {
        (
            Diagnosis::ALL[slot / Self::CLASSES],
            Class::ALL[slot % Self::CLASSES],
        )
    }

    /// The tally of `key` (created empty).
    fn get_mut(&mut self, key: (Diagnosis, Class)) -> &mut Tally {
        if self.0.is_empty() {
            self.0
                .resize_with(Diagnosis::ALL.len() * Self::CLASSES, Tally::default);
        }
        &mut self.0[Self::slot(key)]
    }

    /// The tallies that counted something.
    fn iter(&self) -> impl Iterator<Item = ((Diagnosis, Class), &Tally)> {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, t)| t.count > 0)
            .map(|(i, t)| (Self::key(i), t))
    }

    /// Takes the tallies that counted something out.
    fn drain(&mut self) -> impl Iterator<Item = ((Diagnosis, Class), Tally)> {
        std::mem::take(&mut self.0)
            .into_iter()
            .enumerate()
            .filter(|(_, t)| t.count > 0)
            .map(|(i, t)| (Self::key(i), t))
    }
}

/// The failures of one relay host by diagnosis and class, in a short list (most relays see
/// one or two kinds of failure; a map each would cost more than the counts). The first
/// [`INLINE`] kinds are kept in the list itself: counting a failure then reads one place
/// in memory, not two (reading a relay's list on the heap was 7 % of a scan of a
/// deferral-heavy log, a cache miss per failure).
#[derive(Debug, Clone)]
struct Relay {
    len: usize,
    inline: [Failure; INLINE],
    /// Every kind, once there are more than [`INLINE`].
    more: Vec<Failure>,
}

/// Kinds of failure kept in a [`Relay`] itself.
const INLINE: usize = 2;

impl Default for Relay {
    fn default() -> Self {
        Relay {
            len: 0,
            inline: [((Diagnosis::Other, Class::Permanent), 0); INLINE],
            more: Vec::new(),
        }
    }
}

impl Relay {
    fn add(&mut self, key: (Diagnosis, Class), n: u64) {
        let kinds = match self.more.is_empty() {
            true => &mut self.inline[..self.len],
            false => &mut self.more[..],
        };
        if let Some((_, c)) = kinds.iter_mut().find(|(k, _)| *k == key) {
            *c += n;
            return;
        }
        if self.len < INLINE {
            self.inline[self.len] = (key, n);
        } else {
            if self.more.is_empty() {
                self.more.extend_from_slice(&self.inline);
            }
            self.more.push((key, n));
        }
        self.len += 1;
    }

    /// The kinds of failure with their counts, in the order they came.
    fn kinds(&self) -> &[Failure] {
        match self.more.is_empty() {
            true => &self.inline[..self.len],
            false => &self.more,
        }
    }
}

/// The failure statistics of a scan.
#[derive(Debug, Clone, Default)]
pub struct Failures {
    /// `(diagnosis, class)` → tally.
    tallies: Tallies,
    /// Every outcome and every failure per relay host (lower-cased): looked up once per
    /// event, so it must be cheap (see [`relays`]).
    relays: Relays,
    /// Failures that carried no reply code at all (timeouts, refused connections…).
    pub without_reply: u64,
}

/// One row of `providers.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRow {
    pub provider: String,
    pub classes: ClassCounts,
    /// The name of the diagnosis it has most failures of; empty when none failed.
    pub top_diagnosis: &'static str,
}

impl Failures {
    /// Counts one event `weight` times; `diagnosis` is `Some` for failures.
    pub fn add(&mut self, e: &Event<'_>, diagnosis: Option<Diagnosis>, weight: u64) {
        self.add_hashed(e, folded_hash(e.relay), diagnosis, weight);
    }

    /// Reads where the relay whose [`folded_hash`] is `hash` is counted, to bring it into
    /// the cache before it is needed (see `Stats::add_batch`).
    #[inline]
    pub fn touch_relay(&self, hash: u64) {
        self.relays.touch(hash);
    }

    /// Reads the failure list of the relay whose [`folded_hash`] is `hash`, after
    /// [`Failures::touch_relay`] (see `Relays::touch_failures`); changes nothing.
    #[inline]
    pub fn touch_failures(&self, hash: u64) {
        self.relays.touch_failures(hash);
    }

    /// [`Failures::add`] with the relay's [`folded_hash`] already known.
    #[inline]
    pub fn add_hashed(
        &mut self,
        e: &Event<'_>,
        relay_hash: u64,
        diagnosis: Option<Diagnosis>,
        weight: u64,
    ) {
        // Providers are named (case-insensitively) only when a report is made.
        self.relays
            .add_hashed(e.relay, relay_hash, e.class, diagnosis, weight);
        let Some(d) = diagnosis else { return };
        if e.code.is_none() {
            self.without_reply += weight;
        }
        let tally = self.tallies.get_mut((d, e.class));
        tally.count += weight;
        if !e.recipient.is_empty() {
            tally.recipients.insert(recipient_hash(e.recipient));
        }
        let earlier = match &tally.example {
            None => true,
            Some((t, _)) => e.time <= *t,
        };
        if earlier && !e.text.is_empty() {
            tally.offer_example(e.time, e.text);
        }
    }

    /// Folds `other` into `self`.
    pub fn merge(&mut self, mut other: Failures) {
        if other.relays.len() > self.relays.len() {
            std::mem::swap(self, &mut other);
        }
        self.without_reply += other.without_reply;
        self.relays.merge(&other.relays);
        for (k, v) in other.tallies.drain() {
            self.tallies.get_mut(k).merge(v);
        }
    }

    /// The tallies, by count descending, then diagnosis and class.
    pub fn diagnoses(&self) -> Vec<(Diagnosis, Class, &Tally)> {
        let mut v: Vec<_> = self.tallies.iter().map(|((d, c), t)| (d, c, t)).collect();
        v.sort_by(|a, b| {
            b.2.count
                .cmp(&a.2.count)
                .then_with(|| a.0.cmp(&b.0))
                .then_with(|| a.1.index().cmp(&b.1.index()))
        });
        v
    }

    /// The rows of `providers.csv` (outcomes per provider, by total descending, then name)
    /// and, for every diagnosis and class that failed, the provider with most of those
    /// failures (ties by name), from one pass over the relays, naming each relay's provider
    /// once.
    ///
    /// This is the longest step of a report after the scan, so it is built around the
    /// cache, and split between two threads when `parallel`: a busy server has 150,000
    /// relays, each a cache miss wherever it is looked up. Each thread names the relays of
    /// half the table's slots, in their order, and sorts small keys to put them in the
    /// order of their provider's hash. Then each thread takes the providers of one range of
    /// hashes from both halves, adds up each provider's relays in one go (with what the next
    /// relays need prefetched) and sorts its rows; the two threads' rows are merged, and
    /// their top providers kept (a provider is met once, by one thread). Sorting the relays
    /// themselves by name and keeping a map of every provider per diagnosis took
    /// 220–260 ms after a 1 GB scan; a map from provider to its sums, tried instead of the
    /// sort, waited on a miss for nearly every relay too.
    pub fn provider_tables(
        &self,
        parallel: bool,
    ) -> (Vec<ProviderRow>, Map<(Diagnosis, Class), String>) {
        self.provider_tables_by(|name| folded_hash(name.as_bytes()), parallel, true)
    }

    /// The top providers of [`Failures::provider_tables`] alone: only the relays that
    /// failed are named, and no rows are made (a summary shows no table of providers).
    pub fn top_providers(&self, parallel: bool) -> Map<(Diagnosis, Class), String> {
        self.provider_tables_by(|name| folded_hash(name.as_bytes()), parallel, false)
            .1
    }

    /// [`Failures::provider_tables`], putting providers in the order of `hash` (which may
    /// give two providers one hash); without `with_rows`, only the top providers.
    fn provider_tables_by(
        &self,
        hash: impl Fn(&str) -> u64 + Sync,
        parallel: bool,
        with_rows: bool,
    ) -> (Vec<ProviderRow>, Map<(Diagnosis, Class), String>) {
        let slots = self.relays.slot_count();
        let name = |part: std::ops::Range<usize>, tag: u32| {
            let relays: Vec<Named<'_>> = self
                .relays
                .iter_in(part)
                .filter(|(_, _, failures)| with_rows || !failures.is_empty())
                .map(|(relay, classes, failures)| Named {
                    provider: provider(relay),
                    classes,
                    failures,
                })
                .collect();
            let mut order: Vec<(u64, u32)> = relays
                .iter()
                .enumerate()
                .map(|(i, r)| (hash(&r.provider), i as u32 | tag))
                .collect();
            order.sort_unstable();
            (relays, order)
        };
        let ((first, first_order), (second, second_order)) = crate::pipeline::both(
            parallel,
            || name(0..slots / 2, 0),
            || name(slots / 2..slots, Halves::SECOND),
        );
        let relays = Halves { first, second };
        // The providers whose hash is below the first half's median hash, and the others.
        let split = first_order
            .get(first_order.len() / 2)
            .map_or(0, |&(h, _)| h);
        let below = |order: &[(u64, u32)]| order.partition_point(|&(h, _)| h < split);
        let (a, b) = (below(&first_order), below(&second_order));
        let add_up = |one: &[(u64, u32)], other: &[(u64, u32)]| {
            let order = crate::types::merge_sorted(one, other);
            add_up_providers(&relays, &order, with_rows)
        };
        let ((rows, mut tops), (rest, rest_tops)) = crate::pipeline::both(
            parallel,
            || add_up(&first_order[..a], &second_order[..b]),
            || add_up(&first_order[a..], &second_order[b..]),
        );
        for (k, n, provider) in rest_tops {
            keep_top(&mut tops, k, n, provider);
        }
        let rows = crate::types::merge_sorted_by(rows, rest, |a, b| {
            by_total_then_name(a) < by_total_then_name(b)
        });
        let tops = tops
            .into_iter()
            .map(|(k, _, provider)| (k, provider.to_string()))
            .collect();
        (rows, tops)
    }
}

/// The relays named by two threads, each half found by an index (the second's tagged).
struct Halves<'a> {
    first: Vec<Named<'a>>,
    second: Vec<Named<'a>>,
}

impl<'a> Halves<'a> {
    /// The tag of the second half's indexes.
    const SECOND: u32 = 1 << 31;

    fn get(&self, i: u32) -> &Named<'a> {
        match i & Self::SECOND {
            0 => &self.first[i as usize],
            _ => &self.second[(i & !Self::SECOND) as usize],
        }
    }
}

/// A top provider of a diagnosis and class: its failures, and its name.
type Top<'a> = ((Diagnosis, Class), u64, &'a str);

/// The rows of the providers whose relays are in `order` (of the relays, sorted by their
/// provider's hash), sorted by total descending, then name (none without `with_rows`), and
/// their top providers.
fn add_up_providers<'a>(
    relays: &'a Halves<'a>,
    order: &[(u64, u32)],
    with_rows: bool,
) -> (Vec<ProviderRow>, Vec<Top<'a>>) {
    let mut tops: Vec<Top<'a>> = Vec::new();
    let mut rows: Vec<ProviderRow> = Vec::new();
    let mut group: Vec<&Named<'_>> = Vec::new();
    let mut scratch = Scratch::default();
    let mut at = 0;
    for same_hash in order.chunk_by(|a, b| a.0 == b.0) {
        for i in at..at + same_hash.len() {
            prefetch_ahead(relays, order, i);
        }
        at += same_hash.len();
        group.clear();
        group.extend(same_hash.iter().map(|&(_, r)| relays.get(r)));
        if group.iter().any(|r| r.provider != group[0].provider) {
            // Two providers with one hash: each is added up on its own.
            group.sort_unstable_by(|a, b| a.provider.cmp(&b.provider));
        }
        for one in group.chunk_by(|a, b| a.provider == b.provider) {
            let (classes, top_diagnosis) = add_up(one, &mut tops, &mut scratch);
            if with_rows {
                rows.push(ProviderRow {
                    provider: one[0].provider.to_string(),
                    classes,
                    top_diagnosis,
                });
            }
        }
    }
    crate::types::sort_by_total_then_name(&mut rows, |r| {
        (r.classes.iter().sum(), r.provider.as_str())
    });
    (rows, tops)
}

/// The order of `providers.csv`'s rows: total descending, then name.
fn by_total_then_name(row: &ProviderRow) -> (std::cmp::Reverse<u64>, &str) {
    (
        std::cmp::Reverse(row.classes.iter().sum()),
        row.provider.as_str(),
    )
}

/// A relay, named by its provider.
struct Named<'a> {
    /// Mostly borrowed from the relay's name (see [`provider()`]).
    provider: Cow<'a, str>,
    classes: ClassCounts,
    failures: &'a [Failure],
}

/// Asks for what the relays after the `i`th of `order` hold to be brought into the cache:
/// the relay eight places on, and the name and failures of the one half as far.
fn prefetch_ahead(relays: &Halves<'_>, order: &[(u64, u32)], i: usize) {
    const AHEAD: usize = 8;
    if let Some(&(_, r)) = order.get(i + AHEAD) {
        crate::slots::prefetch(relays.get(r));
    }
    if let Some(&(_, r)) = order.get(i + AHEAD / 2) {
        let r = relays.get(r);
        if let Some(b) = r.provider.as_bytes().first() {
            crate::slots::prefetch(b);
        }
        if let Some(f) = r.failures.first() {
            crate::slots::prefetch(f);
        }
    }
}

/// Lists [`add_up`] fills anew for each provider, kept from one to the next: with 49,000
/// providers, two new lists each were 100,000 allocations.
#[derive(Default)]
struct Scratch {
    kinds: Vec<Failure>,
    per_name: Vec<(&'static str, u64)>,
}

/// The outcomes of one provider's `relays` and the diagnosis of most of its failures,
/// making it the top provider in `tops` of the failures it has most of (see [`keep_top`]).
fn add_up<'a>(
    relays: &[&'a Named<'a>],
    tops: &mut Vec<Top<'a>>,
    scratch: &mut Scratch,
) -> (ClassCounts, &'static str) {
    let provider: &'a str = &relays[0].provider;
    let mut classes = ClassCounts::default();
    let Scratch { kinds, per_name } = scratch;
    kinds.clear();
    per_name.clear();
    for r in relays {
        add_counts(&mut classes, &r.classes);
        for &(k, n) in r.failures {
            match kinds.iter_mut().find(|(have, _)| *have == k) {
                Some((_, c)) => *c += n,
                None => kinds.push((k, n)),
            }
        }
    }
    for &(k, n) in kinds.iter() {
        keep_top(tops, k, n, provider);
        match per_name.iter_mut().find(|(name, _)| *name == k.0.name()) {
            Some((_, c)) => *c += n,
            None => per_name.push((k.0.name(), n)),
        }
    }
    let top_diagnosis = per_name
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map_or("", |(name, _)| name);
    (classes, top_diagnosis)
}

/// Makes `provider`, with `n` failures of kind `k`, the top provider of `k` in `tops` when
/// it has more of them than the one there, or as many and a smaller name.
fn keep_top<'a>(tops: &mut Vec<Top<'a>>, k: (Diagnosis, Class), n: u64, provider: &'a str) {
    match tops.iter_mut().find(|(have, _, _)| *have == k) {
        Some(top) => {
            if n > top.1 || (n == top.1 && provider < top.2) {
                (top.1, top.2) = (n, provider);
            }
        }
        None => tops.push((k, n, provider)),
    }
}

/// A recipient's hash, case-insensitive; the same in every process (fixed seed), so sets
/// merge across runs.
fn recipient_hash(recipient: &[u8]) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x6d61_696c).build_hasher();
    for b in recipient {
        h.write_u8(b.to_ascii_lowercase());
    }
    h.finish()
}

/// The reply text as a short, clean example.
fn example_text(text: &[u8]) -> String {
    let mut t = crate::text::clean_text(&text[..text.len().min(EXAMPLE_MAX * 4)]);
    if t.len() > EXAMPLE_MAX {
        let mut cut = EXAMPLE_MAX;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        t.truncate(cut);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Mta, Outcome};

    fn ev<'a>(
        min: i64,
        code: Option<u16>,
        rcpt: &'a str,
        relay: &'a str,
        text: &'a str,
    ) -> Event<'a> {
        let class = match code {
            Some(c) => Class::from_digit((c / 100) as u8).unwrap(),
            None => Class::Transient,
        };
        Event {
            time: Some(Stamp::naive(1_800_000_000 + min * 60)),
            code,
            enhanced: None,
            class,
            outcome: Outcome::Deferred,
            mta: Mta::Postfix,
            recipient: rcpt.as_bytes(),
            text: text.as_bytes(),
            relay: relay.as_bytes(),
            queue_id: b"",
            host: b"",
        }
    }

    #[test]
    fn merging_in_any_order_gives_the_same_tallies() {
        let events = [
            ev(
                3,
                Some(452),
                "A@x.org",
                "alt1.gmail-smtp-in.l.google.com",
                "later reply",
            ),
            ev(
                1,
                Some(452),
                "a@x.org",
                "alt2.gmail-smtp-in.l.google.com",
                "first reply",
            ),
            ev(
                2,
                None,
                "b@y.org",
                "mx.y.org",
                "connect to mx.y.org: Connection timed out",
            ),
            ev(4, Some(250), "c@y.org", "mx.y.org", "ok"),
        ];
        let d = |e: &Event| (e.class != Class::Success).then_some(Diagnosis::MailboxFull);
        let mut one = Failures::default();
        for e in &events {
            one.add(e, d(e), 1);
        }
        let (mut a, mut b) = (Failures::default(), Failures::default());
        for (i, e) in events.iter().enumerate() {
            if i % 2 == 0 {
                a.add(e, d(e), 1)
            } else {
                b.add(e, d(e), 1)
            }
        }
        b.merge(a);
        for f in [&one, &b] {
            let rows = f.diagnoses();
            assert_eq!(rows.len(), 1);
            let (diag, class, t) = rows[0];
            assert_eq!(
                (diag, class, t.count, t.recipients()),
                (Diagnosis::MailboxFull, Class::Transient, 3, 2)
            );
            assert_eq!(t.example(), "first reply");
            let (providers, tops) = f.provider_tables(true);
            assert_eq!(tops[&(diag, class)], "google");
            assert_eq!(f.without_reply, 1);
            assert_eq!(providers[0].provider, "google");
            assert_eq!(providers[1].provider, "y.org");
            assert_eq!(providers[1].classes, [1, 1, 0]);
        }
    }

    #[test]
    fn providers_add_up_the_relays_they_stand_behind() {
        // Several relays per provider, met in no particular order, with diagnoses that tie
        // and that differ between a provider's relays.
        let mut f = Failures::default();
        let relays = [
            "alt1.gmail-smtp-in.l.google.com",
            "mx1.b.example",
            "alt2.gmail-smtp-in.l.google.com",
            "mx2.b.example",
            "mx.a.example",
            "gmail-smtp-in.l.google.com",
        ];
        for i in 0..60u32 {
            let relay = relays[i as usize % relays.len()];
            let (code, d) = match i % 5 {
                0 => (Some(250), None),
                1 | 2 => (Some(452), Some(Diagnosis::MailboxFull)),
                3 => (Some(550), Some(Diagnosis::UserUnknown)),
                _ => (Some(421), Some(Diagnosis::RateLimited)),
            };
            f.add(&ev(i64::from(i), code, "r@x", relay, "t"), d, 1);
        }
        let (rows, tops) = f.provider_tables(true);
        let names: Vec<&str> = rows.iter().map(|r| r.provider.as_str()).collect();
        assert_eq!(names, ["google", "b.example", "a.example"]);
        assert_eq!(
            rows.iter().map(|r| r.classes).collect::<Vec<_>>(),
            [[6, 18, 6], [4, 12, 4], [2, 6, 2]]
        );
        assert!(rows.iter().all(|r| r.top_diagnosis == "mailbox_full"));
        let top = |d, c| tops.get(&(d, c)).map(String::as_str);
        assert_eq!(
            top(Diagnosis::MailboxFull, Class::Transient),
            Some("google")
        );
        assert_eq!(
            top(Diagnosis::UserUnknown, Class::Permanent),
            Some("google")
        );
        assert_eq!(top(Diagnosis::Other, Class::Permanent), None);
    }

    #[test]
    fn a_relays_list_keeps_every_kind_in_order_past_the_inline_ones() {
        let kinds = [
            (Diagnosis::MailboxFull, Class::Transient),
            (Diagnosis::UserUnknown, Class::Permanent),
            (Diagnosis::Greylisted, Class::Transient),
            (Diagnosis::MailboxFull, Class::Permanent),
        ];
        let mut r = Relay::default();
        let mut want: Vec<Failure> = Vec::new();
        for round in 0..3u64 {
            for (i, k) in kinds.iter().enumerate() {
                r.add(*k, i as u64 + round);
                match want.iter_mut().find(|(have, _)| have == k) {
                    Some((_, n)) => *n += i as u64 + round,
                    None => want.push((*k, i as u64 + round)),
                }
                assert_eq!(r.kinds(), &want[..], "round {round}, kind {i}");
            }
        }
        assert_eq!(Relay::default().kinds(), &[]);
    }

    #[test]
    fn providers_with_one_hash_are_still_told_apart() {
        // Nine relays of three providers, in the table's (random) order: a provider's relays
        // are seldom next to each other there.
        let mut f = Failures::default();
        for (i, provider) in ["b.example", "c.example", "a.example"].iter().enumerate() {
            for mx in 1..=3 {
                let relay = format!("mx{mx}.{provider}");
                for j in 0..(3 - i as i64) * 2 {
                    let d = (j % 2 == 0).then_some(Diagnosis::MailboxFull);
                    let code = if d.is_some() { Some(452) } else { Some(250) };
                    f.add(&ev(j, code, "r@x", &relay, "t"), d, 1);
                }
            }
        }
        let (rows, tops) = f.provider_tables(true);
        let (same_rows, same_tops) = f.provider_tables_by(|_| 7, true, true);
        assert_eq!(rows, same_rows);
        assert_eq!(tops, same_tops);
        let names: Vec<&str> = rows.iter().map(|r| r.provider.as_str()).collect();
        assert_eq!(names, ["b.example", "c.example", "a.example"]);
        assert_eq!(rows[0].classes, [9, 9, 0]);
        assert_eq!(
            tops[&(Diagnosis::MailboxFull, Class::Transient)],
            "b.example"
        );
    }

    #[test]
    fn providers_made_on_two_threads_are_those_made_on_one() {
        // 3,000 relays of 300 providers (some named alike in another case, some only
        // delivering), failures of several diagnoses whose counts tie; hashes of every
        // provider, of a few providers each (the halves split at a run of one hash) and of
        // all alike.
        let diagnoses = [
            Diagnosis::MailboxFull,
            Diagnosis::UserUnknown,
            Diagnosis::Greylisted,
        ];
        let mut f = Failures::default();
        for i in 0..3000u32 {
            let p = i.wrapping_mul(2_654_435_761) % 400;
            let relay = format!("mx{}.P{p}.example", i % 7);
            let relay = if i % 3 == 0 {
                relay.to_lowercase()
            } else {
                relay
            };
            for j in 0..(i % 4) {
                let d = (p % 5 != 0 && j > 0).then(|| diagnoses[(i + j) as usize % 3]);
                let code = Some(if d.is_some() { 452 } else { 250 });
                f.add(&ev(i64::from(j), code, "r@x", &relay, "t"), d, 1);
            }
        }
        let by_name = |name: &str| folded_hash(name.as_bytes());
        let by_length = |name: &str| name.len() as u64;
        let all_alike = |_: &str| 7;
        let one = f.provider_tables(false);
        assert_eq!((one.0.len(), one.1.len()), (300, 3));
        for two in [
            f.provider_tables(true),
            f.provider_tables_by(by_length, true, true),
            f.provider_tables_by(by_length, false, true),
            f.provider_tables_by(all_alike, true, true),
        ] {
            assert_eq!(two, one);
        }
        for parallel in [false, true] {
            assert_eq!(f.top_providers(parallel), one.1);
            assert_eq!(f.provider_tables_by(by_name, parallel, false).1, one.1);
            assert_eq!(f.provider_tables_by(by_length, parallel, false).1, one.1);
        }
        let none = Failures::default();
        assert_eq!(none.provider_tables(true), (Vec::new(), Map::default()));
        assert_eq!(none.top_providers(true), Map::default());
    }

    #[test]
    fn examples_are_short_and_clean() {
        let long = "x".repeat(5000);
        assert_eq!(example_text(long.as_bytes()).len(), EXAMPLE_MAX);
        assert_eq!(example_text(b"a\x1b[31m b"), "a [31m b");
        let wide = "é".repeat(400);
        assert!(example_text(wide.as_bytes()).len() <= EXAMPLE_MAX);
    }
}
