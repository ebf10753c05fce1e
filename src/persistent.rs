//! The persistent-450 detector: which recipients keep getting "mailbox unavailable", since
//! when, and why — as opposed to greylisting, which a retry gets past.
//!
//! Evidence is collected per recipient in a form that merges in any order (counts, first and
//! last times, the latest 2xx), and the verdict is taken only at the end, so the result does
//! not depend on how the input was split between threads or runs.

use crate::parse::{Class, Event};
use crate::stats::{ClassCounts, Map};
use crate::time::Stamp;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

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
    /// Events to this recipient that the tracker saw in this scan, per class `[2xx, 4xx,
    /// 5xx]`: the domain counts take them from here (see [`crate::stats::Stats::add`]) rather
    /// than look the domain up once more. Not kept between runs.
    pub counts: ClassCounts,
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
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
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

/// Per-recipient evidence for a whole scan. (Not `PartialEq`, because of its scratch
/// buffers: compare `recipients`.)
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    pub recipients: Map<Box<[u8]>, Evidence>,
    scratch: Vec<u8>,
    /// A cleaned reply that may replace a recipient's latest one (same time, greater text).
    reply_scratch: String,
}

impl Tracker {
    /// Records one event (`weight` times). Returns whether the event was counted under its
    /// recipient (in [`Evidence::counts`]); the events the tracker has no use for (no time,
    /// no recipient, a class or code that says nothing about the mailbox) are not.
    pub fn add(&mut self, ev: &Event<'_>, weight: u64) -> bool {
        let Some(time) = ev.time else { return false };
        if ev.recipient.is_empty() {
            return false;
        }
        let is_450 = ev.code == Some(450);
        let greylist = (is_450 || ev.class == Class::Transient) && is_greylisting(ev.text);
        let success = ev.class == Class::Success;
        if !(is_450 || greylist || success) {
            return false;
        }
        let key = crate::stats::lowercase_key(ev.recipient, &mut self.scratch);
        let evidence = match self.recipients.get_mut(key) {
            Some(e) => e,
            None => self.recipients.entry(key.into()).or_default(),
        };
        evidence.counts[ev.class.index()] += weight;
        if success {
            evidence.last_success = max_opt(evidence.last_success, Some(time));
            return true;
        }
        evidence.first_deferral = min_opt(evidence.first_deferral, Some(time));
        let policy = ev.enhanced.is_some_and(|e| e.subject == 7);
        if greylist || policy {
            evidence.saw_greylisting |= greylist;
            return true;
        }
        evidence.attempts += weight;
        evidence.first_mailbox = min_opt(evidence.first_mailbox, Some(time));
        // The latest reply wins; on a tie of time the greater text, so order never matters.
        match Some(time).cmp(&evidence.last_mailbox) {
            std::cmp::Ordering::Greater => {
                crate::report::clean_text_into(&mut evidence.last_reply, ev.text);
                evidence.last_mailbox = Some(time);
            }
            std::cmp::Ordering::Equal => {
                crate::report::clean_text_into(&mut self.reply_scratch, ev.text);
                if self.reply_scratch > evidence.last_reply {
                    std::mem::swap(&mut self.reply_scratch, &mut evidence.last_reply);
                }
            }
            std::cmp::Ordering::Less => {}
        }
        match ev.enhanced.map(|e| (e.subject, e.detail)) {
            Some((2, 2)) => evidence.saw_full = true,
            Some((2, 1)) => evidence.saw_disabled = true,
            _ if says_full(ev.text) => evidence.saw_full = true,
            _ if says_disabled(ev.text) => evidence.saw_disabled = true,
            _ => {}
        }
        true
    }

    /// Folds another tracker into this one.
    pub fn merge(&mut self, other: Tracker) {
        if self.recipients.is_empty() {
            self.recipients = other.recipients;
            return;
        }
        for (k, v) in other.recipients {
            match self.recipients.get_mut(&k) {
                Some(e) => e.merge(&v),
                None => {
                    self.recipients.insert(k, v);
                }
            }
        }
    }

    /// The persistent recipients under `rule`, sorted by attempts descending, then recipient.
    pub fn persistent(&self, rule: &Rule) -> Vec<Stuck<'_>> {
        let mut out: Vec<Stuck<'_>> = self
            .recipients
            .iter()
            .filter_map(|(k, e)| {
                e.persistent(rule).map(|reason| Stuck {
                    recipient: k,
                    evidence: e,
                    reason,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.evidence
                .attempts
                .cmp(&a.evidence.attempts)
                .then_with(|| a.recipient.cmp(b.recipient))
        });
        out
    }

    /// How many recipients got a 450 or greylisting deferral and later a 2xx; and how many
    /// of those were greylisted.
    pub fn recovered(&self) -> (u64, u64) {
        self.recipients
            .values()
            .filter(|e| e.recovered())
            .fold((0, 0), |(n, g), e| {
                (n + 1, g + u64::from(e.saw_greylisting))
            })
    }
}

/// One persistent recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stuck<'a> {
    pub recipient: &'a [u8],
    pub evidence: &'a Evidence,
    pub reason: Reason,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Enhanced, Mta, Outcome};

    fn ev(
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
            (&b"full@example.org"[..], 6, Reason::MailboxFull)
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
}
