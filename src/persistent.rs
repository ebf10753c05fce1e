//! The persistent-450 detector: which recipients keep getting "mailbox unavailable", since
//! when, and why — as opposed to greylisting, which a retry gets past.
//!
//! Evidence is collected per recipient in a form that merges in any order (counts, first and
//! last times, the latest 2xx), and the verdict is taken only at the end, so the result does
//! not depend on how the input was split between threads or runs.
//!
//! Recipients are compared ignoring ASCII case and kept as first seen: the spelling of
//! their earliest deferral, the smaller bytes on a tie of time (see `respell`), which is
//! also an order-independent rule.

use crate::intern::{folded_hash, same_key, Arena, Interner, KeyRef};
use crate::parse::{Class, Event};
use crate::slots::{stored, Slot, Slots};
use crate::text::clean_text_capped_into;
use crate::time::Stamp;
use aho_corasick::AhoCorasick;
use hashbrown::HashTable;
use std::sync::LazyLock;

mod compact;
mod portable;
pub use compact::{EvidenceError, EvidenceReader};

/// Why a recipient's mailbox keeps refusing mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    MailboxFull,
    MailboxDisabled,
    Unavailable,
}

impl Reason {
    /// All reasons, in report order.
    pub const ALL: [Reason; 3] = [
        Reason::MailboxFull,
        Reason::MailboxDisabled,
        Reason::Unavailable,
    ];

    /// `mailbox_full`, `mailbox_disabled` or `unavailable`.
    pub fn label(self) -> &'static str {
        match self {
            Reason::MailboxFull => "mailbox_full",
            Reason::MailboxDisabled => "mailbox_disabled",
            Reason::Unavailable => "unavailable",
        }
    }
}

/// The thresholds of the rule (`--min-attempts`, `--min-span`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub min_attempts: u64,
    pub min_span_secs: i64,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            min_attempts: 3,
            min_span_secs: 3600,
        }
    }
}

/// Everything known about one recipient; merges with `+=`-like [`Evidence::merge`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Mailbox 450s (not greylisting, not 4.7.x policy), weighted by repeats.
    pub attempts: u64,
    pub first_mailbox: Option<Stamp>,
    pub last_mailbox: Option<Stamp>,
    /// The reply text of the latest mailbox 450.
    pub last_reply: String,
    pub saw_full: bool,
    pub saw_disabled: bool,
    /// The first 450 or greylisting deferral of any kind.
    pub first_deferral: Option<Stamp>,
    pub saw_greylisting: bool,
    /// The latest 2xx for this recipient.
    pub last_success: Option<Stamp>,
}

fn min_opt(a: Option<Stamp>, b: Option<Stamp>) -> Option<Stamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<Stamp>, b: Option<Stamp>) -> Option<Stamp> {
    a.max(b)
}

impl Evidence {
    /// Folds `other` into `self`. Associative and commutative.
    pub fn merge(&mut self, other: &Evidence) {
        self.attempts += other.attempts;
        // The latest reply wins; on a tie of time the greater text, so order never matters.
        if (other.last_mailbox, &other.last_reply) > (self.last_mailbox, &self.last_reply) {
            self.last_reply.clone_from(&other.last_reply);
        }
        self.first_mailbox = min_opt(self.first_mailbox, other.first_mailbox);
        self.last_mailbox = max_opt(self.last_mailbox, other.last_mailbox);
        self.saw_full |= other.saw_full;
        self.saw_disabled |= other.saw_disabled;
        self.first_deferral = min_opt(self.first_deferral, other.first_deferral);
        self.saw_greylisting |= other.saw_greylisting;
        self.last_success = max_opt(self.last_success, other.last_success);
    }

    /// A 2xx came at or after the first deferral of any kind.
    pub fn recovered(&self) -> bool {
        matches!((self.first_deferral, self.last_success), (Some(d), Some(s)) if s >= d)
    }

    /// The verdict under `rule`.
    pub fn persistent(&self, rule: &Rule) -> Option<Reason> {
        let (first, last) = (self.first_mailbox?, self.last_mailbox?);
        if self.attempts < rule.min_attempts
            || last.instant() - first.instant() < rule.min_span_secs
        {
            return None;
        }
        if self.last_success.is_some_and(|s| s >= first) {
            return None;
        }
        Some(if self.saw_full {
            Reason::MailboxFull
        } else if self.saw_disabled {
            Reason::MailboxDisabled
        } else {
            Reason::Unavailable
        })
    }

    /// Whether this evidence can still matter: a recipient whose only news is a success
    /// with no deferral does not need to be kept between runs.
    pub fn has_deferrals(&self) -> bool {
        self.first_deferral.is_some()
    }
}

/// Case-insensitive searchers for the words that classify a mailbox 450.
struct Words {
    full: AhoCorasick,
    disabled: AhoCorasick,
    account: AhoCorasick,
    blocked: AhoCorasick,
}

fn searcher(words: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("static patterns compile")
}

static WORDS: LazyLock<Words> = LazyLock::new(|| Words {
    full: searcher(&["full", "quota", "storage"]),
    disabled: searcher(&["disabled", "inactive", "suspended", "locked"]),
    account: searcher(&["account"]),
    blocked: searcher(&["blocked"]),
});

/// Whether a reply is greylisting rather than a mailbox problem: it says greylist(ed/ing)
/// or graylist, in any case. (A memchr for the `g` and a compare: this runs for every
/// 450 and 4xx, so it avoids the set-up of a general searcher.)
pub fn is_greylisting(text: &[u8]) -> bool {
    memchr::memchr2_iter(b'g', b'G', text).any(|i| {
        let rest = &text[i + 1..];
        rest.len() >= 7
            && (rest[..7].eq_ignore_ascii_case(b"reylist")
                || rest[..7].eq_ignore_ascii_case(b"raylist"))
    })
}

fn says_full(text: &[u8]) -> bool {
    WORDS.full.is_match(text)
}

fn says_disabled(text: &[u8]) -> bool {
    WORDS.disabled.is_match(text) || (WORDS.blocked.is_match(text) && WORDS.account.is_match(text))
}

/// Longest reply text kept per recipient, in memory and in the state: 1 KiB, whole
/// characters (a remote server may answer with pages of text).
pub const MAX_REPLY: usize = 1024;

/// An `Option<Stamp>` in 8 bytes instead of 24: a presence bit, the local seconds in 47 bits
/// (±2 million years; anything beyond is clamped) and the offset in 16.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Packed(u64);

impl Packed {
    const NONE: Packed = Packed(0);

    fn new(s: Option<Stamp>) -> Packed {
        let Some(s) = s else { return Packed::NONE };
        let max = (1i64 << 46) - 1;
        let local = s.local().clamp(-max - 1, max) as u64 & ((1 << 47) - 1);
        let offset = s.offset().unwrap_or(i16::MIN) as u16;
        Packed(1 << 63 | local << 16 | u64::from(offset))
    }

    fn get(self) -> Option<Stamp> {
        if self.0 >> 63 == 0 {
            return None;
        }
        // Bits 62–16 hold the local seconds: shift them to the top and back, signed.
        let local = ((self.0 << 1) as i64) >> 17;
        Some(Stamp::with_offset(local, self.0 as u16 as i16))
    }

    fn min(self, s: Option<Stamp>) -> Packed {
        Packed::new(min_opt(self.get(), s))
    }

    fn max(self, s: Option<Stamp>) -> Packed {
        Packed::new(max_opt(self.get(), s))
    }
}

/// Flags kept in [`Open::key`], above the key's length.
const GREY: u64 = 1 << 21;
const FULL: u64 = 1 << 22;
const DISABLED: u64 = 1 << 23;
const LEN_MASK: u64 = (1 << 21) - 1;

/// A recipient with a 450 or a greylisting deferral (32 bytes; its address in the arena).
#[derive(Debug, Clone, Copy)]
struct Open {
    /// Where the address lives in the arena (the top 40 bits), three flags and its length
    /// (the low 21 bits: up to 2 MiB, more than the longest line read).
    key: u64,
    /// The low half of the address's hash: enough for the table to grow without reading the
    /// arena, and to skip most unequal keys without reading it either.
    hash: u32,
    /// 1 + its index in [`Shard::mailboxes`] once it had a mailbox 450, else 0.
    mailbox: u32,
    first_deferral: Packed,
    last_success: Packed,
}

impl Open {
    fn new(at: KeyRef, len: usize, hash: u64, last_success: Packed) -> Open {
        Open {
            key: at.bits() << 24 | (len as u64 & LEN_MASK),
            hash: hash as u32,
            mailbox: 0,
            first_deferral: Packed::NONE,
            last_success,
        }
    }

    /// The address, as first seen (see [`respell`]).
    fn text<'k>(&self, keys: &'k Arena) -> &'k [u8] {
        keys.get(
            KeyRef::from_bits(self.key >> 24),
            (self.key & LEN_MASK) as u32,
        )
    }

    fn has(&self, flag: u64) -> bool {
        self.key & flag != 0
    }
}

/// The hash an open entry is filed under in its table: the low half of the address's hash,
/// twice, so the table's tag (top bits) and bucket (low bits) both come from it.
fn table_hash(hash: u64) -> u64 {
    (hash & 0xffff_ffff) * 0x1_0000_0001
}

/// The mailbox 450s of one recipient (24 bytes).
#[derive(Debug, Clone, Copy)]
struct Mailbox {
    first: Packed,
    last: Packed,
    /// Saturates at 4 billion.
    attempts: u32,
    /// The latest reply, as numbered by the tracker's replies (see [`store_reply`]).
    reply: u32,
}

/// A recipient with only 2xx so far, kept as the hash of its address and the time of its
/// latest 2xx (16 bytes): its address is never printed, and the only question asked of it
/// is whether a 2xx came after a deferral of the same hash.
///
/// Two addresses with the same 64-bit hash would share this entry: a delivery to one would
/// count as a recovery of the other, hiding a persistent 450 or adding one to the recovered
/// count. With the hash seeded per run, the chance among n recipients is about n²/2⁶⁵ (under
/// one in a million for 5 million recipients), and a sender cannot aim at it. (A hash of
/// zero is kept as one, as [`Slots`] stores it: one more such pair, as unlikely.)
#[derive(Debug, Clone, Copy, Default)]
struct Delivered {
    hash: u64,
    last: Packed,
}

impl Slot for Delivered {
    fn hash(&self) -> u64 {
        self.hash
    }
}

/// One of [`SHARDS`] parts of the tables, by hash: merging trackers goes shard by shard, so
/// the memory of one shard of the other tracker is freed before the next one grows, and
/// shards share nothing, so two threads merge different shards at once.
#[derive(Debug, Clone, Default)]
struct Shard {
    open: HashTable<Open>,
    /// The addresses of `open`: per shard, so that a merge frees them with the shard.
    keys: Arena,
    mailboxes: Vec<Mailbox>,
    delivered: Slots<Delivered>,
    /// The replies of `mailboxes`, each stored once per shard (a reply many recipients
    /// share is stored in at most [`SHARDS`] shards; the numbers are the shard's own, and
    /// the state's text numbers replies anew, by text: see `compact`).
    replies: Interner,
}

const SHARDS: usize = 64;

/// The shard of a hash: middle bits, because the table itself uses the low bits for the
/// bucket and the top seven for its tag.
fn shard_of(hash: u64) -> usize {
    (hash >> 40) as usize % SHARDS
}

impl Shard {
    /// [`Tracker::add_success_hash`] in this shard (the one of `hash`).
    fn add_success_hash(&mut self, hash: u64, last: Packed) {
        let keys = &self.keys;
        let same = |o: &Open| o.hash == hash as u32 && folded_hash(o.text(keys)) == hash;
        match self.open.find_mut(table_hash(hash), same) {
            Some(o) => o.last_success = o.last_success.max(last.get()),
            None => add_delivered(&mut self.delivered, hash, last),
        }
    }

    /// Folds `theirs`, the same shard of another tracker, into this one.
    fn merge(&mut self, theirs: Shard, scratch: &mut Scratch) {
        self.delivered.reserve_for_merge(&theirs.delivered);
        for d in theirs.delivered.iter() {
            self.add_success_hash(d.hash, d.last);
        }
        // Their reply numbers in this shard, looked up once each.
        let mut replies = vec![u32::MAX; theirs.replies.len()];
        for o in &theirs.open {
            let m = (o.mailbox as usize)
                .checked_sub(1)
                .and_then(|i| theirs.mailboxes.get(i));
            let from = (&theirs.keys, &theirs.replies);
            self.merge_open(o, m, from, &mut replies, scratch);
        }
    }

    /// Folds one open entry of another tracker's same shard (and its mailbox record) into
    /// this shard; `replies` holds their reply numbers already stored here.
    fn merge_open(
        &mut self,
        theirs: &Open,
        their_mailbox: Option<&Mailbox>,
        (their_keys, their_replies): (&Arena, &Interner),
        replies: &mut [u32],
        scratch: &mut Scratch,
    ) {
        let text = theirs.text(their_keys);
        let hash = folded_hash(text);
        let o = open_mut(
            &mut self.open,
            &mut self.delivered,
            &mut self.keys,
            hash,
            text,
        );
        let spelling = Spelling {
            keys: &mut self.keys,
            mailboxes: &mut self.mailboxes,
            replies: &mut self.replies,
            scratch: &mut scratch.text,
        };
        respell(o, text, theirs.first_deferral.get(), spelling);
        o.first_deferral = o.first_deferral.min(theirs.first_deferral.get());
        o.last_success = o.last_success.max(theirs.last_success.get());
        o.key |= theirs.key & (GREY | FULL | DISABLED);
        let Some(tm) = their_mailbox else { return };
        let m = mailbox_mut(&mut self.mailboxes, o);
        m.attempts = m.attempts.saturating_add(tm.attempts);
        m.first = m.first.min(tm.first.get());
        let key = o.text(&self.keys);
        let Scratch {
            text: theirs_text,
            other,
        } = scratch;
        // The latest reply wins; on a tie of time the greater text, so order never matters.
        // Each reply is read with the spelling it was stored for.
        let take = match tm.last.get().cmp(&m.last.get()) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => {
                reply_into(theirs_text, their_replies.get(tm.reply), text);
                reply_into(other, self.replies.get(m.reply), key);
                theirs_text > other
            }
            std::cmp::Ordering::Less => false,
        };
        if take && key != text && tm.reply != u32::MAX {
            // Spelled otherwise here: their reply as text, stored for this spelling.
            reply_into(theirs_text, their_replies.get(tm.reply), text);
            m.reply = store_reply(&mut self.replies, theirs_text, key);
        } else if take {
            m.reply = match replies.get_mut(tm.reply as usize) {
                Some(mine) if *mine != u32::MAX => *mine,
                Some(mine) => {
                    *mine = self.replies.intern(their_replies.get(tm.reply));
                    *mine
                }
                None => u32::MAX,
            };
        }
        m.last = m.last.max(tm.last.get());
    }
}

/// Per-recipient evidence for a whole scan, in compact tables (about 80 bytes per deferred
/// recipient and 25 per delivered one; see BENCHMARKS.md). Evidence comes out as
/// [`Evidence`] values.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    /// Empty until the first event, then [`SHARDS`] long.
    shards: Vec<Shard>,
    scratch: Scratch,
}

/// Two texts to compare replies in, kept to save an allocation per reply.
#[derive(Debug, Clone, Default)]
struct Scratch {
    text: String,
    other: String,
}

/// Whether the open entry `o` is the recipient `rcpt`, in any ASCII case.
fn is_key(keys: &Arena, o: &Open, hash: u64, rcpt: &[u8]) -> bool {
    o.hash == hash as u32 && same_key(o.text(keys), rcpt)
}

/// The open entry of `rcpt`, created when missing (taking over its delivered entry).
fn open_mut<'t>(
    open: &'t mut HashTable<Open>,
    delivered: &mut Slots<Delivered>,
    keys: &mut Arena,
    hash: u64,
    rcpt: &[u8],
) -> &'t mut Open {
    let entry = open.entry(
        table_hash(hash),
        |o| is_key(keys, o, hash, rcpt),
        |o| table_hash(u64::from(o.hash)),
    );
    match entry {
        hashbrown::hash_table::Entry::Occupied(o) => o.into_mut(),
        hashbrown::hash_table::Entry::Vacant(v) => {
            let last_success = match delivered.find(hash, |_| true) {
                Some(i) => delivered.remove(i).last,
                None => Packed::NONE,
            };
            v.insert(Open::new(keys.push(rcpt), rcpt.len(), hash, last_success))
                .into_mut()
        }
    }
}

/// Whether the spelling `new`, seen at `new_time`, comes before `cur`, seen at `cur_time`:
/// the earlier time first, then the smaller bytes; a time not known counts as the latest.
/// A minimum over every deferral, so the spelling kept does not depend on the order in
/// which events, chunks, folders or runs are folded together.
fn spelled_first(
    (new_time, new): (Option<Stamp>, &[u8]),
    (cur_time, cur): (Option<Stamp>, &[u8]),
) -> bool {
    (new_time.is_none(), new_time, new) < (cur_time.is_none(), cur_time, cur)
}

/// What a new spelling of a key touches: the shard's arena, mailbox records and replies,
/// and a scratch text.
struct Spelling<'a> {
    keys: &'a mut Arena,
    mailboxes: &'a mut [Mailbox],
    replies: &'a mut Interner,
    scratch: &'a mut String,
}

/// Gives `o` the spelling `rcpt` (the same address in any ASCII case) when `rcpt`, from a
/// deferral at `time`, comes before the spelling it has ([`spelled_first`], against its
/// first deferral), so that a recipient is printed as it was first seen. Call it before
/// `time` is folded into `o.first_deferral`. The new spelling overwrites the old one in the
/// arena (same length: nothing is added), and the stored reply, which may name the
/// recipient by its spelling (see [`store_reply`]), is stored again so that it still reads
/// as the server wrote it.
fn respell(o: &Open, rcpt: &[u8], time: Option<Stamp>, t: Spelling<'_>) {
    let time = Packed::new(time).get();
    let cur = o.text(t.keys);
    if cur == rcpt || !spelled_first((time, rcpt), (o.first_deferral.get(), cur)) {
        return;
    }
    let m = (o.mailbox as usize)
        .checked_sub(1)
        .and_then(|i| t.mailboxes.get_mut(i))
        .filter(|m| m.reply != u32::MAX);
    if let Some(m) = &m {
        reply_into(t.scratch, t.replies.get(m.reply), cur);
    }
    t.keys.overwrite(KeyRef::from_bits(o.key >> 24), rcpt);
    if let Some(m) = m {
        m.reply = store_reply(t.replies, t.scratch, rcpt);
    }
}

/// A stored reply back as text: the NUL that stands for the recipient's address replaced by
/// it (see [`store_reply`]).
fn reply_into(out: &mut String, stored: &str, key: &[u8]) {
    out.clear();
    match stored.split_once('\0') {
        Some((head, tail)) => {
            out.push_str(head);
            out.push_str(&String::from_utf8_lossy(key));
            out.push_str(tail);
        }
        None => out.push_str(stored),
    }
}

impl Tracker {
    /// Records one event (`weight` times). The events the tracker has no use for (no time,
    /// no recipient, a class or code that says nothing about the mailbox) are ignored.
    pub fn add(&mut self, ev: &Event<'_>, weight: u64) {
        self.add_hashed(ev, weight, folded_hash(ev.recipient));
    }

    /// [`Tracker::add`], given the [`folded_hash`] of the event's recipient.
    /// Asks for the slot where a 2xx-only recipient with `hash` would be, so that a batch
    /// of events waits for its cache misses together (see `Stats::add_batch`).
    #[inline]
    pub fn touch(&self, hash: u64) {
        if let Some(shard) = self.shards.get(shard_of(hash)) {
            shard.delivered.touch(hash);
        }
    }

    pub fn add_hashed(&mut self, ev: &Event<'_>, weight: u64, hash: u64) {
        let Some(time) = ev.time else { return };
        if ev.recipient.is_empty() || ev.recipient.len() > LEN_MASK as usize {
            return;
        }
        // A mailbox deferral: a 450, or any 4xx whose enhanced code says the mailbox's status
        // (4.2.x, as Gmail's `452 4.2.2 … over quota`). 4.7.x stays policy, below.
        let is_450 = ev.code == Some(450)
            || (ev.class == Class::Transient && ev.enhanced.is_some_and(|e| e.subject == 2));
        let greylist = (is_450 || ev.class == Class::Transient) && is_greylisting(ev.text);
        let success = ev.class == Class::Success;
        if !(is_450 || greylist || success) {
            return;
        }
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, Shard::default);
        }
        if success {
            let shard = &mut self.shards[shard_of(hash)];
            let keys = &shard.keys;
            let rcpt = ev.recipient;
            match shard
                .open
                .find_mut(table_hash(hash), |o| is_key(keys, o, hash, rcpt))
            {
                Some(o) => o.last_success = o.last_success.max(Some(time)),
                None => add_delivered(&mut shard.delivered, hash, Packed::new(Some(time))),
            }
            return;
        }
        let shard = &mut self.shards[shard_of(hash)];
        let o = open_mut(
            &mut shard.open,
            &mut shard.delivered,
            &mut shard.keys,
            hash,
            ev.recipient,
        );
        let spelling = Spelling {
            keys: &mut shard.keys,
            mailboxes: &mut shard.mailboxes,
            replies: &mut shard.replies,
            scratch: &mut self.scratch.text,
        };
        respell(o, ev.recipient, Some(time), spelling);
        o.first_deferral = o.first_deferral.min(Some(time));
        let policy = ev.enhanced.is_some_and(|e| e.subject == 7);
        if greylist || policy {
            o.key |= if greylist { GREY } else { 0 };
            return;
        }
        o.key |= match ev.enhanced.map(|e| (e.subject, e.detail)) {
            Some((2, 2)) => FULL,
            Some((2, 1)) => DISABLED,
            _ if says_full(ev.text) => FULL,
            _ if says_disabled(ev.text) => DISABLED,
            _ => 0,
        };
        let m = mailbox_mut(&mut shard.mailboxes, o);
        m.attempts = m
            .attempts
            .saturating_add(weight.try_into().unwrap_or(u32::MAX));
        m.first = m.first.min(Some(time));
        let key = o.text(&shard.keys);
        // The latest reply wins; on a tie of time the greater text, so order never matters.
        let newer = Some(time).cmp(&m.last.get());
        let Scratch { text, other } = &mut self.scratch;
        if newer.is_ge() {
            clean_text_capped_into(text, ev.text, MAX_REPLY);
        }
        if newer.is_eq() {
            reply_into(other, shard.replies.get(m.reply), key);
            if text <= other {
                return;
            }
        }
        if newer.is_ge() {
            m.reply = store_reply(&mut shard.replies, text, key);
            m.last = Packed::new(Some(time));
        }
    }

    /// Recipients tracked: with a deferral, and with only 2xx.
    pub fn len(&self) -> (usize, usize) {
        self.shards.iter().fold((0, 0), |(o, d), s| {
            (o + s.open.len(), d + s.delivered.len())
        })
    }

    /// Whether nothing was tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    /// Every recipient with a 450 or greylisting deferral, with its evidence (in no order).
    pub fn evidence(&self) -> impl Iterator<Item = (&[u8], Evidence)> + '_ {
        self.shards.iter().flat_map(move |s| {
            s.open.iter().map(move |o| {
                let mut e = self.evidence_of(s, o);
                self.reply_of(s, o, &mut e.last_reply);
                (o.text(&s.keys), e)
            })
        })
    }

    /// Everything about an open entry but its reply.
    fn evidence_of(&self, shard: &Shard, o: &Open) -> Evidence {
        let m = (o.mailbox as usize)
            .checked_sub(1)
            .and_then(|i| shard.mailboxes.get(i));
        Evidence {
            attempts: m.map_or(0, |m| u64::from(m.attempts)),
            first_mailbox: m.and_then(|m| m.first.get()),
            last_mailbox: m.and_then(|m| m.last.get()),
            last_reply: String::new(),
            saw_full: o.has(FULL),
            saw_disabled: o.has(DISABLED),
            first_deferral: o.first_deferral.get(),
            saw_greylisting: o.has(GREY),
            last_success: o.last_success.get(),
        }
    }

    fn reply_of(&self, shard: &Shard, o: &Open, out: &mut String) {
        let m = (o.mailbox as usize)
            .checked_sub(1)
            .and_then(|i| shard.mailboxes.get(i));
        if let Some(m) = m {
            reply_into(out, shard.replies.get(m.reply), o.text(&shard.keys));
        }
    }

    /// Adds evidence about `recipient` (from another tracker, or kept from an earlier run).
    pub fn insert(&mut self, recipient: &[u8], e: &Evidence) {
        if recipient.len() > LEN_MASK as usize {
            return;
        }
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, Shard::default);
        }
        let hash = folded_hash(recipient);
        let deferred = e.first_deferral.is_some() || e.first_mailbox.is_some() || e.attempts > 0;
        if !deferred {
            if e.last_success.is_some() {
                self.add_success_hash(hash, Packed::new(e.last_success));
            }
            return;
        }
        let shard = &mut self.shards[shard_of(hash)];
        let o = open_mut(
            &mut shard.open,
            &mut shard.delivered,
            &mut shard.keys,
            hash,
            recipient,
        );
        let spelling = Spelling {
            keys: &mut shard.keys,
            mailboxes: &mut shard.mailboxes,
            replies: &mut shard.replies,
            scratch: &mut self.scratch.text,
        };
        respell(o, recipient, e.first_deferral, spelling);
        o.first_deferral = o.first_deferral.min(e.first_deferral);
        o.last_success = o.last_success.max(e.last_success);
        o.key |= [(e.saw_greylisting, GREY), (e.saw_full, FULL)]
            .into_iter()
            .chain([(e.saw_disabled, DISABLED)])
            .filter_map(|(on, f)| on.then_some(f))
            .fold(0, |a, f| a | f);
        if e.first_mailbox.is_none() && e.last_mailbox.is_none() && e.attempts == 0 {
            return;
        }
        let m = mailbox_mut(&mut shard.mailboxes, o);
        m.attempts = m
            .attempts
            .saturating_add(e.attempts.try_into().unwrap_or(u32::MAX));
        m.first = m.first.min(e.first_mailbox);
        let key = o.text(&shard.keys);
        let Scratch { text, other } = &mut self.scratch;
        reply_into(other, shard.replies.get(m.reply), key);
        clean_text_capped_into(text, e.last_reply.as_bytes(), MAX_REPLY);
        if (e.last_mailbox, &*text) > (m.last.get(), &*other) {
            m.reply = store_reply(&mut shard.replies, text, key);
        }
        m.last = m.last.max(e.last_mailbox);
    }

    /// A 2xx known only by the hash of its recipient (from another tracker).
    fn add_success_hash(&mut self, hash: u64, last: Packed) {
        self.shards[shard_of(hash)].add_success_hash(hash, last);
    }

    /// Folds another tracker into this one, shard by shard (each shard of `other` is freed
    /// once it is folded in). Shards share nothing: called on a worker of the rayon pool,
    /// the pool's threads fold different shards at once (the last, otherwise sequential
    /// step of a scan of several threads).
    pub fn merge(&mut self, mut other: Tracker) {
        let size = |t: &Tracker| t.len().0 + t.len().1;
        if size(&other) > size(self) {
            std::mem::swap(self, &mut other);
        }
        if other.shards.is_empty() {
            return;
        }
        if self.shards.is_empty() {
            self.shards = other.shards;
            return;
        }
        crate::types::merge_shards(
            &mut self.shards,
            other.shards,
            Scratch::default,
            Shard::merge,
        );
    }

    /// The persistent recipients under `rule`, sorted by attempts descending, then recipient
    /// (ignoring case). Each is spelt as first seen (see `respell`).
    pub fn persistent(&self, rule: &Rule) -> Vec<Stuck<'_>> {
        let mut out: Vec<Stuck<'_>> = Vec::new();
        for s in &self.shards {
            for o in s.open.iter().filter(|o| o.mailbox > 0) {
                let mut evidence = self.evidence_of(s, o);
                if let Some(reason) = evidence.persistent(rule) {
                    self.reply_of(s, o, &mut evidence.last_reply);
                    let recipient = o.text(&s.keys);
                    out.push(Stuck {
                        recipient,
                        evidence,
                        reason,
                    });
                }
            }
        }
        // Recipients in ASCII lower case (each is there once, in whichever spelling), so the
        // order is the one of addresses, whatever their case.
        out.sort_by(|a, b| {
            b.evidence
                .attempts
                .cmp(&a.evidence.attempts)
                .then_with(|| folded_cmp(a.recipient, b.recipient))
        });
        out
    }

    /// How many recipients got a 450 or greylisting deferral and later a 2xx; and how many
    /// of those were greylisted.
    pub fn recovered(&self) -> (u64, u64) {
        let recovered = |o: &&Open| matches!((o.first_deferral.get(), o.last_success.get()), (Some(d), Some(s)) if s >= d);
        self.shards
            .iter()
            .flat_map(|s| s.open.iter().filter(recovered))
            .fold((0, 0), |(n, g), o| (n + 1, g + u64::from(o.has(GREY))))
    }

    /// Heap bytes held (tables at their capacity, arena, replies), for the memory tests.
    pub fn allocated(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                s.keys.allocated()
                    + s.open.allocation_size()
                    + s.delivered.allocated()
                    + s.mailboxes.capacity() * std::mem::size_of::<Mailbox>()
                    + s.replies.allocated()
            })
            .sum::<usize>()
    }
}

/// Stores a cleaned reply of `key` (in `text`, which may be changed) and returns its
/// number. The recipient's own address (as in the key) is replaced by a NUL, which a
/// cleaned text never holds, so that replies which differ only by their address
/// (`<bob@x.org>: Mailbox full`) are stored once.
fn store_reply(replies: &mut Interner, text: &mut String, key: &[u8]) -> u32 {
    let hay = text.as_bytes();
    let at = match key.first() {
        Some(&first) => memchr::memchr_iter(first, hay).find(|&i| hay[i..].starts_with(key)),
        None => None,
    };
    if let Some(at) = at {
        let end = at + key.len();
        if text.is_char_boundary(at) && text.is_char_boundary(end) {
            text.replace_range(at..end, "\0");
        }
    }
    replies.intern(text)
}

/// `a` and `b` compared in ASCII lower case.
fn folded_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let lower = u8::to_ascii_lowercase;
    a.iter().map(lower).cmp(b.iter().map(lower))
}

fn add_delivered(delivered: &mut Slots<Delivered>, hash: u64, last: Packed) {
    let make = || Delivered {
        hash: stored(hash),
        last: Packed::NONE,
    };
    let (_, d) = delivered.find_or_insert(hash, |_| true, make);
    d.last = d.last.max(last.get());
}

/// The mailbox record of `o`, created when missing.
fn mailbox_mut<'m>(mailboxes: &'m mut Vec<Mailbox>, o: &mut Open) -> &'m mut Mailbox {
    if o.mailbox == 0 {
        // Grown by a quarter rather than doubled: a shard may hold a hundred thousand.
        if mailboxes.len() == mailboxes.capacity() {
            mailboxes.reserve_exact((mailboxes.len() / 4).max(4));
        }
        mailboxes.push(Mailbox {
            first: Packed::NONE,
            last: Packed::NONE,
            attempts: 0,
            reply: u32::MAX,
        });
        o.mailbox = mailboxes.len() as u32;
    }
    let i = o.mailbox as usize - 1;
    &mut mailboxes[i]
}

/// One persistent recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck<'a> {
    pub recipient: &'a [u8],
    pub evidence: Evidence,
    pub reason: Reason,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::parse::{Enhanced, Mta, Outcome};

    pub(crate) fn ev(
        min: i64,
        code: u16,
        enh: (u8, u16, u16),
        rcpt: &'static str,
        text: &'static str,
    ) -> Event<'static> {
        let class = Class::from_digit((code / 100) as u8).unwrap();
        Event {
            time: Some(Stamp::naive(1_800_000_000 + min * 60)),
            code: Some(code),
            enhanced: Some(Enhanced {
                class: enh.0,
                subject: enh.1,
                detail: enh.2,
            }),
            class,
            outcome: if class == Class::Success {
                Outcome::Delivered
            } else {
                Outcome::Deferred
            },
            mta: Mta::Postfix,
            recipient: rcpt.as_bytes(),
            text: text.as_bytes(),
            relay: b"",
            queue_id: b"",
            host: b"",
        }
    }

    #[test]
    fn full_mailbox_over_eight_hours() {
        let mut t = Tracker::default();
        for i in 0..6 {
            t.add(
                &ev(
                    i * 96,
                    450,
                    (4, 2, 2),
                    "Full@Example.org",
                    "450 4.2.2 Mailbox full",
                ),
                1,
            );
        }
        let p = t.persistent(&Rule::default());
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].recipient, p[0].evidence.attempts, p[0].reason),
            (&b"Full@Example.org"[..], 6, Reason::MailboxFull)
        );
    }

    #[test]
    fn greylisting_and_recovery_are_not_persistent() {
        let mut t = Tracker::default();
        for i in 0..5 {
            t.add(
                &ev(
                    i * 30,
                    450,
                    (4, 2, 0),
                    "g@x",
                    "450 4.2.0 <g@x>: Recipient address rejected: Greylisted",
                ),
                1,
            );
            t.add(
                &ev(
                    i * 30,
                    450,
                    (4, 7, 1),
                    "p@x",
                    "450 4.7.1 Client host rejected",
                ),
                1,
            );
            t.add(&ev(i * 30, 450, (4, 2, 0), "r@x", "450 4.2.0 try later"), 1);
        }
        t.add(&ev(200, 250, (2, 0, 0), "r@x", "250 ok"), 1);
        t.add(&ev(200, 250, (2, 0, 0), "g@x", "250 ok"), 1);
        assert!(t.persistent(&Rule::default()).is_empty());
        assert_eq!(t.recovered(), (2, 1));
    }

    #[test]
    fn greylisting_words() {
        for t in [
            "450 4.2.0 Greylisted, see http://x",
            "451 greylisting in action",
            "GRAYLISTED",
            "try later: greylist",
        ] {
            assert!(is_greylisting(t.as_bytes()), "{t}");
        }
        for t in ["450 4.2.2 Mailbox full", "grey", "gre", "", "g"] {
            assert!(!is_greylisting(t.as_bytes()), "{t}");
        }
    }

    #[test]
    fn thresholds() {
        let mut t = Tracker::default();
        t.add(&ev(0, 450, (4, 2, 1), "d@x", "450 4.2.1 disabled"), 1);
        t.add(&ev(10, 450, (4, 2, 1), "d@x", "450 4.2.1 disabled"), 1);
        assert!(t.persistent(&Rule::default()).is_empty());
        let loose = Rule {
            min_attempts: 2,
            min_span_secs: 600,
        };
        assert_eq!(t.persistent(&loose)[0].reason, Reason::MailboxDisabled);
    }

    pub(crate) fn sorted_evidence(t: &Tracker) -> Vec<(Vec<u8>, Evidence)> {
        let mut v: Vec<(Vec<u8>, Evidence)> = t.evidence().map(|(k, e)| (k.to_vec(), e)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// Events over few recipients, in different cases, with ties of time between replies.
    pub(crate) fn mixed_events() -> Vec<Event<'static>> {
        vec![
            ev(0, 450, (4, 2, 2), "A@x", "450 4.2.2 <a@x>: Mailbox full"),
            ev(5, 450, (4, 2, 0), "a@X", "450 4.2.0 zzz later <a@x>"),
            ev(5, 450, (4, 2, 0), "a@x", "450 4.2.0 aaa later"),
            ev(7, 250, (2, 0, 0), "b@x", "250 ok"),
            ev(8, 450, (4, 2, 0), "B@x", "450 4.2.0 Greylisted"),
            ev(9, 250, (2, 0, 0), "b@x", "250 ok"),
            ev(9, 250, (2, 0, 0), "c@x", "250 ok"),
            ev(90, 450, (4, 7, 1), "c@x", "450 4.7.1 policy"),
            ev(95, 450, (4, 2, 1), "d@x", "450 4.2.1 <d@x> disabled"),
            ev(200, 450, (4, 2, 2), "a@x", "450 4.2.2 <a@x>: Mailbox full"),
            ev(200, 452, (4, 2, 2), "e@x", "452 4.2.2 full"),
        ]
    }

    #[test]
    fn splits_merged_in_either_order_give_the_same_evidence() {
        let events = mixed_events();
        let mut whole = Tracker::default();
        events.iter().for_each(|e| whole.add(e, 1));
        let want = sorted_evidence(&whole);
        assert_eq!(want.len(), 5); // a, b, c, d and e (452 4.2.2 is a mailbox deferral)
        for cut in 0..=events.len() {
            let (mut left, mut right) = (Tracker::default(), Tracker::default());
            events[..cut].iter().for_each(|e| left.add(e, 1));
            events[cut..].iter().for_each(|e| right.add(e, 1));
            let mut lr = left.clone();
            lr.merge(right.clone());
            right.merge(left.clone());
            assert_eq!(sorted_evidence(&lr), want, "cut {cut}");
            assert_eq!(sorted_evidence(&right), want, "cut {cut}, reversed");
            // Evidence kept between runs goes back in the same (a state keeps only deferred
            // recipients: recipients with only a 2xx so far are not carried over).
            if left.len().1 > 0 {
                continue;
            }
            let mut kept = Tracker::default();
            for (k, e) in left.evidence() {
                kept.insert(k, &e);
            }
            events[cut..].iter().for_each(|e| kept.add(e, 1));
            assert_eq!(sorted_evidence(&kept), want, "cut {cut}, restored");
        }
        let (recovered, greylisted) = whole.recovered();
        assert_eq!((recovered, greylisted), (1, 1)); // b after its greylisting; c before
    }

    #[test]
    fn replies_naming_their_recipient_are_stored_once() {
        let mut t = Tracker::default();
        for r in ["one@x.org", "two@x.org", "Three@x.org"] {
            let text = format!("450 4.2.2 <{r}>: Mailbox full");
            t.add(
                &ev(0, 450, (4, 2, 2), r, Box::leak(text.into_boxed_str())),
                1,
            );
        }
        // Naming it in another case than its own: kept as written, in a text of its own.
        let other = "450 4.2.2 <four@x.org>: Mailbox full";
        t.add(&ev(0, 450, (4, 2, 2), "Four@x.org", other), 1);
        // Each shard stores a text once; the state's text writes each once in all.
        let stored: std::collections::BTreeSet<&str> = (t.shards.iter())
            .flat_map(|s| (0..s.replies.len()).map(|i| s.replies.get(i as u32)))
            .collect();
        assert_eq!(stored.len(), 2);
        let mut text = Vec::new();
        t.write_evidence(&mut text, |_| true).unwrap();
        let lines = text
            .split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"r\t"));
        assert_eq!(lines.count(), 2);
        for (k, e) in t.evidence() {
            let k = String::from_utf8(k.to_vec()).unwrap();
            let named = if k == "Four@x.org" { "four@x.org" } else { &k };
            assert_eq!(e.last_reply, format!("450 4.2.2 <{named}>: Mailbox full"));
        }
    }

    /// Events for one recipient in four spellings; the earliest deferral is at minute 10,
    /// where two spellings tie (the smaller bytes, `BOB@X.org`, wins). Each reply names the
    /// recipient as its event spells it; the last two tie at minute 300, and the greater
    /// text, `bob@x.org`'s, is the last reply.
    fn spellings() -> Vec<Event<'static>> {
        vec![
            ev(
                60,
                450,
                (4, 2, 2),
                "bob@x.org",
                "450 4.2.2 <bob@x.org>: full",
            ),
            ev(
                10,
                450,
                (4, 2, 2),
                "Bob@x.org",
                "450 4.2.2 <Bob@x.org>: full",
            ),
            ev(5, 250, (2, 0, 0), "AAA@x.org", "250 ok"), // a 2xx spells nothing
            ev(5, 250, (2, 0, 0), "bOB@x.org", "250 ok"),
            ev(
                10,
                450,
                (4, 2, 0),
                "BOB@X.org",
                "450 4.2.0 <BOB@X.org>: later",
            ),
            ev(
                120,
                450,
                (4, 2, 2),
                "Bob@x.org",
                "450 4.2.2 <Bob@x.org>: full",
            ),
            ev(
                300,
                450,
                (4, 2, 2),
                "bob@x.org",
                "450 4.2.2 <bob@x.org>: full",
            ),
            ev(
                300,
                450,
                (4, 2, 2),
                "Bob@x.org",
                "450 4.2.2 <Bob@x.org>: full",
            ),
        ]
    }

    /// The one persistent recipient of `t`, as printed.
    fn stuck(t: &Tracker) -> (String, u64, String) {
        let p = t.persistent(&Rule::default());
        assert_eq!(p.len(), 1, "{p:?}");
        let r = String::from_utf8_lossy(p[0].recipient).into_owned();
        (r, p[0].evidence.attempts, p[0].evidence.last_reply.clone())
    }

    #[test]
    fn recipients_are_grouped_ignoring_case_and_spelt_as_first_seen() {
        let mut t = Tracker::default();
        spellings().iter().for_each(|e| t.add(e, 1));
        let want = (
            "BOB@X.org".to_string(),
            6,
            "450 4.2.2 <bob@x.org>: full".to_string(),
        );
        assert_eq!(stuck(&t), want);
        assert_eq!(t.len(), (1, 1)); // BOB@X.org, and AAA@x.org by its hash only
    }

    #[test]
    fn the_first_spelling_wins_in_any_order_of_events_and_merges() {
        let events = spellings();
        let mut one = Tracker::default();
        events.iter().for_each(|e| one.add(e, 1));
        let want = stuck(&one);
        let n = events.len();
        // Every order of the events (a rotation and a reversal), cut into three trackers
        // merged in every order, and the same through a state's evidence text.
        for rot in 0..n {
            for rev in [false, true] {
                let mut order: Vec<&Event<'_>> = events.iter().cycle().skip(rot).take(n).collect();
                if rev {
                    order.reverse();
                }
                let mut seq = Tracker::default();
                order.iter().for_each(|e| seq.add(e, 1));
                assert_eq!(stuck(&seq), want, "rot {rot} rev {rev}");
                for (a, b) in [(1, 3), (2, 5), (3, 4), (0, 6)] {
                    let parts: Vec<Tracker> = [&order[..a], &order[a..b], &order[b..]]
                        .iter()
                        .map(|part| {
                            let mut t = Tracker::default();
                            part.iter().for_each(|e| t.add(e, 1));
                            t
                        })
                        .collect();
                    for merge in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
                        let mut t = Tracker::default();
                        merge.iter().for_each(|&i| t.merge(parts[i].clone()));
                        assert_eq!(stuck(&t), want, "rot {rot} rev {rev} {a}..{b} {merge:?}");
                    }
                    // Run after run: the first part's open evidence carried by text.
                    let mut text = Vec::new();
                    parts[0].write_evidence(&mut text, |_| true).unwrap();
                    let mut next = Tracker::default();
                    next.read_evidence(&text[..]).unwrap();
                    order[a..].iter().for_each(|e| next.add(e, 1));
                    // (Its 2xx-only recipients are not carried; none matters here.)
                    assert_eq!(stuck(&next), want, "rot {rot} rev {rev} {a}, restored");
                }
            }
        }
    }

    #[test]
    fn trackers_merged_by_a_pool_of_threads_write_the_same_evidence() {
        // Recipients in every shard, in two spellings, with replies shared across shards
        // (stored once per shard) and replies of their own, over two trackers.
        let mut events = Vec::new();
        for i in 0..3000u32 {
            let rcpt: &'static str = Box::leak(format!("user{i}@x{}.org", i % 7).into_boxed_str());
            let upper: &'static str = Box::leak(rcpt.to_ascii_uppercase().into_boxed_str());
            let own: &'static str =
                Box::leak(format!("450 4.2.2 <{rcpt}>: full, id {i}").into_boxed_str());
            let min = i64::from(i % 50);
            events.push(ev(min, 450, (4, 2, 2), rcpt, "450 4.2.2 Mailbox full"));
            events.push(ev(min + 5, 450, (4, 2, 2), upper, own));
            if i % 3 == 0 {
                events.push(ev(min + 9, 250, (2, 0, 0), rcpt, "250 2.0.0 Ok"));
            }
        }
        let text_of = |t: &Tracker| {
            let mut text = Vec::new();
            t.write_evidence(&mut text, |_| true).unwrap();
            text
        };
        let mut all = Tracker::default();
        events.iter().for_each(|e| all.add(e, 1));
        let want = text_of(&all);
        for cut in [1, events.len() / 3, events.len() / 2] {
            let part = |evs: &[Event<'_>]| {
                let mut t = Tracker::default();
                evs.iter().for_each(|e| t.add(e, 1));
                t
            };
            let (a, b) = (part(&events[..cut]), part(&events[cut..]));
            let mut one = a.clone();
            one.merge(b.clone());
            assert_eq!(text_of(&one), want, "cut {cut}, one thread");
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            let pooled = pool.install(|| {
                let mut t = b;
                t.merge(a);
                t
            });
            assert_eq!(text_of(&pooled), want, "cut {cut}, pool");
            let evidence = |t: &Tracker| {
                let mut v: Vec<String> = t.evidence().map(|e| format!("{e:?}")).collect();
                v.sort();
                v
            };
            assert_eq!(evidence(&pooled), evidence(&all), "cut {cut}, pool");
        }
    }

    #[test]
    fn lower_case_evidence_of_old_states_still_loads() {
        // As written before spellings were kept: the key in lower case.
        let old = b"r\t0\t450%204.2.2%20<%00>:%20full\n\
            e\tbob@x.org\t2\t1800000600\t1800000600\t1800003600\t-\tF\t0\n";
        let mut t = Tracker::default();
        t.read_evidence(&old[..]).unwrap();
        t.add(
            &ev(
                200,
                450,
                (4, 2, 2),
                "Bob@x.org",
                "450 4.2.2 <Bob@x.org>: full",
            ),
            1,
        );
        assert_eq!(
            stuck(&t),
            ("bob@x.org".into(), 3, "450 4.2.2 <Bob@x.org>: full".into())
        );
    }

    #[test]
    fn long_replies_are_capped() {
        let mut t = Tracker::default();
        let text: &'static str = Box::leak("450 4.2.2 full ".repeat(10_000).into_boxed_str());
        t.add(&ev(0, 450, (4, 2, 2), "l@x", text), 1);
        let (_, e) = t.evidence().next().unwrap();
        assert!(e.last_reply.len() <= MAX_REPLY && e.last_reply.len() > MAX_REPLY - 20);
        assert!(text.starts_with(&e.last_reply));
    }

    #[test]
    fn packed_times_round_trip() {
        for s in [
            Some(Stamp::naive(0)),
            Some(Stamp::naive(-5)),
            Some(Stamp::with_offset(0, 0)),
            Some(Stamp::with_offset(1_800_000_000, 60)),
            Some(Stamp::with_offset(-100, -720)),
            None,
        ] {
            let back = Packed::new(s).get();
            assert_eq!(back, s);
            assert_eq!(
                back.map(|b| (b.local(), b.offset())),
                s.map(|s| (s.local(), s.offset()))
            );
        }
    }
}
