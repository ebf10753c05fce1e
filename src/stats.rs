//! Mergeable statistics over events.
//!
//! A [`Stats`] is built per worker (each adds the chunks it scans) and the workers' totals
//! are folded with [`Stats::merge`], which does not depend on order. Memory grows with the
//! number of distinct codes, domains, hours and tracked recipients (see BENCHMARKS.md for
//! the bytes each costs), not with the number of lines.

use crate::intern::{folded16, folded_hash, same_key, Arena, KeyRef};
use crate::parse::{Class, Enhanced, Event, Mta, Outcome};
use crate::persistent::Tracker;
use crate::slots::{Slot, Slots};
use crate::time::Stamp;
use crate::types::{add_counts, Run};
pub use crate::types::{ClassCounts, Map};

pub(crate) mod portable;

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
    pub relay: Vec<u8>,
    pub queue_id: Vec<u8>,
    pub host: Vec<u8>,
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
            relay: e.relay.to_vec(),
            queue_id: e.queue_id.to_vec(),
            host: e.host.to_vec(),
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
            relay: &self.relay,
            queue_id: &self.queue_id,
            host: &self.host,
        }
    }
}

/// Counts per recipient domain, keyed by the domain in lower case (48 bytes a domain in the
/// table; names longer than 16 bytes also in an arena): a mail server may see millions of
/// domains. In 64 shards by hash, so that the table grows a shard at a time and a merge
/// frees the other side a shard at a time.
#[derive(Debug, Clone, Default)]
pub struct DomainCounts {
    /// Empty until the first domain, then [`DOMAIN_SHARDS`] long.
    shards: Vec<DomainShard>,
    /// Empty until the first recipient, then [`MEMO_SLOTS`] long: see [`Memo`].
    memo: Vec<Memo>,
    /// Lookups in the memo and hits, over the last [`MEMO_SLOTS`] lookups; when few hit (a
    /// log with millions of recipients), the memo is left alone for a while, as its lookup
    /// would only add a cache miss.
    memo_tries: u32,
    memo_hits: u32,
    memo_rest: u32,
}

const DOMAIN_SHARDS: usize = 64;
const MEMO_SLOTS: usize = 4096;

/// Where the domain of a recently seen recipient is counted, by the recipient's hash: most
/// events of a busy log name a recipient seen shortly before, and for them the domain is
/// neither searched for, nor hashed, nor looked up (this is the lookup per delivery that
/// the tracker used to save by counting domains itself). A slot is used only while its
/// shard's table has not grown since (growing moves the entries). Two recipients with the
/// same 64-bit hash would share a slot: the chance is that of the tracker's (see
/// [`crate::persistent`]).
#[derive(Debug, Clone, Copy, Default)]
struct Memo {
    recipient: u64,
    shard: u32,
    bucket: u32,
    buckets: usize,
}

#[derive(Debug, Clone, Default)]
struct DomainShard {
    table: Slots<Domain>,
    long_names: Arena,
}

/// One domain: its name inline when it fits in 16 bytes (most do), so that a lookup reads
/// only the table, else where it lives in the arena.
#[derive(Debug, Clone, Copy, Default)]
struct Domain {
    name: [u8; 16],
    len: u32,
    /// The low half of the name's hash: most unequal names are told apart by it alone.
    /// Never zero in the table (see [`crate::slots::stored`]).
    hash: u32,
    counts: ClassCounts,
}

impl Slot for Domain {
    /// Zero for an empty slot (a held domain's `hash` is never zero).
    fn hash(&self) -> u64 {
        match self.hash {
            0 => 0,
            h => domain_hash(h),
        }
    }
}

impl Domain {
    fn name<'a>(&'a self, long_names: &'a Arena) -> &'a [u8] {
        match self.name.get(..self.len as usize) {
            Some(inline) => inline,
            None => {
                let mut at = [0; 8];
                at.copy_from_slice(&self.name[..8]);
                long_names.get(KeyRef::from_bits(u64::from_le_bytes(at)), self.len)
            }
        }
    }
}

/// The hash a domain is filed under: the low half of its hash, twice (never zero for the
/// `hash.max(1)` a domain is stored with).
fn domain_hash(hash: u32) -> u64 {
    u64::from(hash) * 0x1_0000_0001
}

impl DomainCounts {
    /// Adds `counts` to `domain` (any case).
    pub fn add(&mut self, domain: &[u8], counts: &ClassCounts) {
        if self.shards.is_empty() {
            self.shards.resize_with(DOMAIN_SHARDS, DomainShard::default);
        }
        let hash = folded_hash(domain);
        let shard = &mut self.shards[(hash >> 40) as usize % DOMAIN_SHARDS];
        shard.add(hash as u32, domain, counts);
    }

    /// Adds `counts` to the domain of `recipient`, whose [`folded_hash`] is `hash`.
    pub fn add_for(&mut self, recipient: &[u8], hash: u64, counts: &ClassCounts) {
        self.add_for_hashed(recipient, hash, DomainAt::of(recipient), counts);
    }

    /// [`DomainCounts::add_for`] with the recipient's domain already found and hashed
    /// (`None` when the address has no domain): the batch does that once for
    /// [`DomainCounts::touch`] and for this.
    #[inline]
    fn add_for_hashed(
        &mut self,
        recipient: &[u8],
        hash: u64,
        domain: Option<DomainAt>,
        counts: &ClassCounts,
    ) {
        if self.memo.is_empty() {
            self.memo.resize(MEMO_SLOTS, Memo::default());
        }
        let slot = hash as usize % MEMO_SLOTS;
        let use_memo = self.memo_rest == 0;
        if use_memo {
            if self.memo_hit(slot, hash, recipient, counts) {
                return;
            }
        } else {
            self.memo_rest -= 1;
        }
        let Some(DomainAt {
            start,
            hash: domain_hash,
        }) = domain
        else {
            return;
        };
        let domain = &recipient[start..];
        if self.shards.is_empty() {
            self.shards.resize_with(DOMAIN_SHARDS, DomainShard::default);
        }
        let i = (domain_hash >> 40) as usize % DOMAIN_SHARDS;
        let shard = &mut self.shards[i];
        let bucket = shard.add(domain_hash as u32, domain, counts);
        if let (Some(bucket), true) = (bucket, use_memo) {
            self.memo[slot] = Memo {
                recipient: hash,
                shard: i as u32,
                bucket: bucket as u32,
                buckets: shard.table.capacity(),
            };
        }
    }

    /// Reads where the domain whose [`folded_hash`] is `domain` is counted, to bring it into
    /// the cache before it is needed (see [`Stats::add_batch`]); changes nothing.
    #[inline]
    fn touch(&self, domain: Option<DomainAt>) {
        let Some(DomainAt { hash, .. }) = domain else {
            return;
        };
        if let Some(shard) = self.shards.get((hash >> 40) as usize % DOMAIN_SHARDS) {
            shard.table.touch(domain_hash(hash as u32));
        }
    }

    /// Adds `counts` where the memo says the domain of `recipient` is counted, if it knows;
    /// keeps the hit rate.
    fn memo_hit(&mut self, slot: usize, hash: u64, recipient: &[u8], counts: &ClassCounts) -> bool {
        self.memo_tries += 1;
        if self.memo_tries == MEMO_SLOTS as u32 {
            if self.memo_hits < MEMO_SLOTS as u32 / 8 {
                self.memo_rest = 16 * MEMO_SLOTS as u32;
            }
            (self.memo_tries, self.memo_hits) = (0, 0);
        }
        let m = self.memo[slot];
        if m.recipient != hash || recipient.is_empty() {
            return false;
        }
        let Some(shard) = self.shards.get_mut(m.shard as usize) else {
            return false;
        };
        if shard.table.capacity() != m.buckets {
            return false;
        }
        let Some(d) = shard.table.get_mut(m.bucket as usize) else {
            return false;
        };
        add_counts(&mut d.counts, counts);
        self.memo_hits += 1;
        true
    }

    /// Every domain (lower case) with its counts, in no order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], ClassCounts)> + '_ {
        self.shards.iter().flat_map(|s| {
            s.table
                .iter()
                .map(move |d| (d.name(&s.long_names), d.counts))
        })
    }

    /// Domains counted.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.table.len()).sum()
    }

    /// Whether no domain was counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds every count of `other`, freeing it a shard at a time. Shards share nothing:
    /// called on a worker of the rayon pool, the pool's threads merge different shards at
    /// once.
    pub fn merge(&mut self, mut other: DomainCounts) {
        if self.len() < other.len() {
            std::mem::swap(self, &mut other);
        }
        if other.shards.is_empty() {
            return;
        }
        let merge = |mine: &mut DomainShard, theirs, _: &mut ()| mine.merge(theirs);
        crate::types::merge_shards(&mut self.shards, other.shards, || (), merge);
    }

    /// Heap bytes held, for the memory tests.
    pub fn allocated(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.table.allocated() + s.long_names.allocated())
            .sum()
    }
}

impl DomainShard {
    /// Adds every count of `theirs`, the same shard of other counts.
    fn merge(&mut self, theirs: DomainShard) {
        self.table.reserve_for_merge(&theirs.table);
        for d in theirs.table.iter() {
            self.add(d.hash, d.name(&theirs.long_names), &d.counts);
        }
    }

    /// Adds `counts` to `domain`, whose hash has `hash` as its low half; returns the bucket
    /// its counts are in.
    fn add(&mut self, hash: u32, domain: &[u8], counts: &ClassCounts) -> Option<usize> {
        let Ok(len) = u32::try_from(domain.len()) else {
            return None;
        };
        let hash = hash.max(1);
        let long_names = &mut self.long_names;
        let short = folded16(domain);
        let same = |d: &Domain| {
            d.len == len
                && match short {
                    Some(name) => d.name == name,
                    None => same_key(d.name(long_names), domain),
                }
        };
        if let Some(at) = self.table.find(domain_hash(hash), same) {
            if let Some(d) = self.table.get_mut(at) {
                add_counts(&mut d.counts, counts);
            }
            return Some(at);
        }
        let name = short.unwrap_or_else(|| {
            let mut name = [0; 16];
            let at = long_names.push_lowercase(domain).bits();
            name[..8].copy_from_slice(&at.to_le_bytes());
            name
        });
        let d = Domain {
            name,
            len,
            hash,
            counts: *counts,
        };
        Some(self.table.insert_new(domain_hash(hash), d))
    }
}

/// The hashes ([`folded_hash`]) of an event's recipient, relay and recipient domain,
/// computed once.
#[derive(Debug, Clone, Copy, Default)]
struct Hashes {
    recipient: u64,
    relay: u64,
    /// The recipient's domain's, and where it starts; `None` for an address without one.
    domain: Option<DomainAt>,
}

/// Where the domain of an address starts, and its [`folded_hash`]: found once per event.
#[derive(Debug, Clone, Copy)]
struct DomainAt {
    start: usize,
    hash: u64,
}

impl DomainAt {
    /// The domain of an address: what follows its last `@`, when that is not empty.
    fn of(address: &[u8]) -> Option<DomainAt> {
        let start = memchr::memrchr(b'@', address)? + 1;
        let domain = &address[start..];
        (!domain.is_empty()).then(|| DomainAt {
            start,
            hash: folded_hash(domain),
        })
    }
}

impl Hashes {
    #[inline]
    fn of(e: &Event<'_>) -> Hashes {
        Hashes {
            recipient: folded_hash(e.recipient),
            relay: folded_hash(e.relay),
            domain: DomainAt::of(e.recipient),
        }
    }
}

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
    pub mtas: [u64; Mta::COUNT],
    pub codes: CodeCounts,
    pub enhanced: EnhancedCounts,
    /// Counts per recipient domain.
    pub domains: DomainCounts,
    /// Local hour (seconds, see [`Stamp::hour_floor`]) → counts; see [`Stats::hourly_sorted`].
    hourly: Map<i64, ClassCounts>,
    /// The hour being counted: consecutive events mostly fall in the same hour, so they are
    /// added here and moved into `hourly` when the hour changes.
    hour_now: Run<i64>,
    pub first: Option<Stamp>,
    pub last: Option<Stamp>,
    pub persistent: Tracker,
    /// Diagnoses of the failures, and outcomes per provider.
    pub failures: crate::failures::Failures,
    /// Address-verification probes (Postfix `deliverable` / `undeliverable`): not events.
    pub probes: u64,
    /// Diagnoses of replies this worker has seen (a cache, not part of the result).
    memo: crate::diagnose::Memo,
    /// Scratch space for a reply with its addresses masked.
    mask: Vec<u8>,
    /// Counts per syslog host (or `--host`); the empty name for lines without one. See
    /// [`Stats::host_counts`].
    hosts: Map<Box<[u8]>, ClassCounts>,
    /// The host being counted (consecutive events mostly come from the same one).
    host_now: Run<Vec<u8>>,
    /// Rows of the events table not yet written (`--events`).
    event_rows: Option<crate::events::EventBatch>,
}

impl Stats {
    /// Adds one event (`weight` rows) to the events table's batch, writing it when full.
    fn push_event(
        &mut self,
        e: &Event<'_>,
        diagnosis: Option<crate::diagnose::Diagnosis>,
        weight: u64,
    ) {
        let batch = self
            .event_rows
            .get_or_insert_with(crate::events::EventBatch::new);
        let row = crate::events::EventRow {
            time: e.time,
            host: e.host,
            mta: e.mta,
            queue_id: e.queue_id,
            recipient: e.recipient,
            relay: e.relay,
            class: e.class,
            code: e.code,
            enhanced: e.enhanced,
            diagnosis: diagnosis.map_or("", |d| d.name()),
            text: e.text,
        };
        for _ in 0..weight {
            batch.push(&row);
        }
        if batch.len() >= crate::events::sink::BATCH_ROWS {
            crate::events::sink::flush(batch);
        }
    }

    /// Counts per host (empty name: lines without one).
    pub fn host_counts(&self) -> Map<&[u8], ClassCounts> {
        let mut all: Map<&[u8], ClassCounts> = Map::default();
        let current = self.host_now.current().map(|(k, v)| (k.as_slice(), v));
        for (k, v) in self.hosts.iter().map(|(k, v)| (&k[..], *v)).chain(current) {
            add_counts(all.entry(k).or_default(), &v);
        }
        all
    }

    /// Writes the rows of the events table this statistics still holds.
    pub fn flush_events(&mut self) {
        if let Some(batch) = self.event_rows.as_mut() {
            crate::events::sink::flush(batch);
        }
    }

    /// Lines that were not mail events.
    pub fn skipped(&self) -> u64 {
        self.lines.saturating_sub(self.event_lines)
    }

    /// Events a scan adds together with [`Stats::add_batch`].
    pub const BATCH: usize = 16;

    /// Counts events (each `weight` times), in order, as [`Stats::add`] does one by one, but
    /// faster: on a server that mails millions of recipients at thousands of domains and
    /// relays, most of a scan's time went into cache misses on those three tables, each
    /// event waiting for its own. Here the entries of every event of the batch are read
    /// first, in one tight loop whose misses the processor overlaps, and the events are
    /// then counted against tables already in the cache.
    pub fn add_batch(&mut self, events: &[(Event<'_>, u64)]) {
        for batch in events.chunks(Self::BATCH) {
            let mut hashes = [Hashes::default(); Self::BATCH];
            for ((e, _), h) in batch.iter().zip(&mut hashes) {
                *h = Hashes::of(e);
                if e.class == Class::Success {
                    self.persistent.touch(h.recipient);
                }
                self.domains.touch(h.domain);
                self.failures.touch_relay(h.relay);
            }
            // A failure also reads its relay's failure list, found through the relay's entry:
            // that is fetched once the entries of the whole batch have come in.
            for ((e, _), h) in batch.iter().zip(&hashes) {
                if e.class != Class::Success {
                    self.failures.touch_failures(h.relay);
                }
            }
            for ((e, weight), h) in batch.iter().zip(hashes) {
                self.add_hashed(e, *weight, h);
            }
        }
    }

    /// Counts one event `weight` times.
    pub fn add(&mut self, e: &Event<'_>, weight: u64) {
        self.add_hashed(e, weight, Hashes::of(e));
    }

    /// [`Stats::add`] with the event's keys already hashed.
    #[inline]
    fn add_hashed(&mut self, e: &Event<'_>, weight: u64, hashes: Hashes) {
        if e.outcome == Outcome::Probe {
            self.probes += weight;
            return;
        }
        let c = e.class.index();
        // Failures only: the rules' pattern set never runs over a successful delivery.
        let diagnosis = (e.class != Class::Success).then(|| {
            let rules = crate::diagnose::active();
            let text = crate::diagnose::text_to_classify(e.code, e.text, &mut self.mask);
            self.memo.classify(rules, e.code, e.enhanced, text, e.relay)
        });
        self.failures.add_hashed(e, hashes.relay, diagnosis, weight);
        // Most logs name one host or a few in runs: count the current one apart, as hours.
        let hosts = &mut self.hosts;
        self.host_now
            .add(e.host, c, weight, |h, counts| match hosts.get_mut(&h[..]) {
                Some(have) => add_counts(have, counts),
                None => {
                    hosts.insert(h.as_slice().into(), *counts);
                }
            });
        if crate::events::sink::enabled() {
            self.push_event(e, diagnosis, weight);
        }
        self.events += weight;
        self.classes[c] += weight;
        self.outcomes[e.outcome.index()] += weight;
        self.mtas[e.mta.index()] += weight;
        if let Some(code) = e.code {
            self.codes.add(code, weight);
        }
        if let Some(enh) = e.enhanced {
            self.enhanced.add(enh, weight);
        }
        let hash = hashes.recipient;
        self.persistent.add_hashed(e, weight, hash);
        let mut counts = [0; 3];
        counts[c] = weight;
        self.domains
            .add_for_hashed(e.recipient, hash, hashes.domain, &counts);
        if let Some(t) = e.time {
            let hourly = &mut self.hourly;
            self.hour_now.add(&t.hour_floor(), c, weight, |h, counts| {
                add_counts(hourly.entry(*h).or_default(), counts)
            });
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        } else {
            self.bad_times += weight;
        }
    }

    /// Counts per recipient domain (lower-cased), in no order.
    pub fn domain_counts(&self) -> impl Iterator<Item = (&[u8], ClassCounts)> + '_ {
        self.domains.iter()
    }

    /// Folds `other` into `self`. Commutative and associative: chunks merge in any order
    /// (the only order-dependent part of a scan, repeat notes at chunk edges, is kept apart
    /// in [`crate::scan::Edge`]).
    pub fn merge(&mut self, mut other: Stats) {
        // The recipients' tables are merged beside the rest (on a worker of the pool, when
        // called from one: two threads halve the last, sequential step of a scan).
        let mine = std::mem::take(&mut self.persistent);
        let theirs = std::mem::take(&mut other.persistent);
        let merge_recipients = move || {
            let mut mine = mine;
            mine.merge(theirs);
            mine
        };
        self.persistent = if rayon::current_thread_index().is_some() {
            rayon::join(merge_recipients, || self.merge_counts(other)).0
        } else {
            self.merge_counts(other);
            merge_recipients()
        };
    }

    /// [`Stats::merge`] of everything but the recipients' tables.
    fn merge_counts(&mut self, mut other: Stats) {
        self.lines += other.lines;
        self.event_lines += other.event_lines;
        self.overlong_lines += other.overlong_lines;
        self.bad_times += other.bad_times;
        self.events += other.events;
        self.outside_window += other.outside_window;
        self.probes += other.probes;
        if let Some(mut batch) = other.event_rows.take() {
            crate::events::sink::flush(&mut batch);
        }
        if let Some((k, v)) = other.host_now.current() {
            add_counts(self.hosts.entry(k.as_slice().into()).or_default(), &v);
        }
        for (k, v) in other.hosts.drain() {
            add_counts(self.hosts.entry(k).or_default(), &v);
        }
        // The relays' and the domains' tables, each a few milliseconds on a log of 20 MB and
        // the longest arm of this merge there, are merged beside each other.
        let (failures, domains) = (&mut self.failures, &mut self.domains);
        let (their_failures, their_domains) = (
            std::mem::take(&mut other.failures),
            std::mem::take(&mut other.domains),
        );
        let merge_failures = move || failures.merge(their_failures);
        let merge_domains = move || domains.merge(their_domains);
        if rayon::current_thread_index().is_some() {
            rayon::join(merge_failures, merge_domains);
        } else {
            merge_failures();
            merge_domains();
        }
        for i in 0..3 {
            self.classes[i] += other.classes[i];
        }
        for i in 0..4 {
            self.outcomes[i] += other.outcomes[i];
        }
        for (a, b) in self.mtas.iter_mut().zip(other.mtas) {
            *a += b;
        }
        self.codes.merge(&other.codes);
        self.enhanced.merge(other.enhanced);
        for (k, v) in other
            .hourly
            .into_iter()
            .chain(other.hour_now.current().map(|(h, v)| (*h, v)))
        {
            add_counts(self.hourly.entry(k).or_default(), &v);
        }
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
    }

    /// Enhanced codes with their counts, ascending.
    pub fn enhanced_sorted(&self) -> Vec<(Enhanced, u64)> {
        self.enhanced.sorted()
    }

    /// Hours with their counts, ascending.
    pub fn hourly_sorted(&self) -> Vec<(i64, ClassCounts)> {
        let mut all = self.hourly.clone();
        if let Some((h, counts)) = self.hour_now.current() {
            add_counts(all.entry(*h).or_default(), &counts);
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

    #[test]
    fn domain_counts_survive_the_memo_and_table_growth() {
        // Recipients seen again (memo hits) while the tables grow (memo slots go stale);
        // domains in any case and longer than 16 bytes; addresses with no domain.
        let mut d = DomainCounts::default();
        let mut want: std::collections::BTreeMap<Vec<u8>, ClassCounts> = Default::default();
        for round in 0..3u64 {
            for i in 0..3000u64 {
                let domain = if i % 3 == 0 {
                    format!("a-rather-long-domain-{i}.example")
                } else {
                    format!("D{i}.Org")
                };
                let rcpt = format!("user{}@{domain}", i % 7);
                let counts = [round + 1, i % 2, 1];
                d.add_for(rcpt.as_bytes(), folded_hash(rcpt.as_bytes()), &counts);
                add_counts(
                    want.entry(domain.to_ascii_lowercase().into_bytes())
                        .or_default(),
                    &counts,
                );
            }
            d.add_for(b"nobody", folded_hash(b"nobody"), &[1, 0, 0]);
            d.add_for(b"nobody@", folded_hash(b"nobody@"), &[1, 0, 0]);
        }
        let got: std::collections::BTreeMap<Vec<u8>, ClassCounts> =
            d.iter().map(|(k, v)| (k.to_vec(), v)).collect();
        assert_eq!(got, want);
    }
}
