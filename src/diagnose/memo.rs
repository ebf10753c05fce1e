//! A memo of diagnoses, so that a reply seen again is not matched against every rule again.
//!
//! Matching the rule set costs about a microsecond per reply, and deferrals repeat: the same
//! recipient gets the same reply on every retry, and many servers word all their refusals
//! alike. On the benchmark logs one Postfix failure text in five is new, and one Exim failure
//! text in six hundred. A scan keeps one memo per worker thread and asks it instead of the
//! rules; the answer is always the one [`Rules::classify`] gives, because the memo keys on
//! everything the rules read (code, enhanced code, text, and the relay's provider when a rule
//! that names a provider was looked at) and compares keys in full.
//! It forgets everything when it holds [`Memo::CAPACITY`] replies, so its memory is bounded.

use super::{provider, Diagnosis, Rules};
use crate::parse::Enhanced;
use std::hash::BuildHasher;

#[derive(Debug, Clone)]
struct Entry {
    code: Option<u16>,
    enhanced: Option<Enhanced>,
    text: Box<[u8]>,
    /// The provider the diagnosis depends on; `None` when it depends on none.
    provider: Option<Box<str>>,
    diagnosis: Diagnosis,
}

/// Remembered diagnoses of one worker (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Memo {
    /// By hash of the key; a bucket holds more than one entry only on a hash collision.
    buckets: crate::stats::Map<u64, Vec<Entry>>,
    len: usize,
    state: foldhash::fast::RandomState,
}

impl Memo {
    /// How many replies a memo holds before it starts over (a few MB of reply texts).
    pub const CAPACITY: usize = 16384;

    /// An empty memo.
    pub fn new() -> Memo {
        Memo::default()
    }

    /// How many replies it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// [`Rules::classify`], remembered.
    pub fn classify(
        &mut self,
        rules: &Rules,
        code: Option<u16>,
        enhanced: Option<Enhanced>,
        text: &[u8],
        relay: &[u8],
    ) -> Diagnosis {
        // First keyed without the relay: most diagnoses do not depend on it (only rules that
        // name a provider look at it, and the verdict says whether one did). Those that do
        // are kept under a key that includes the provider.
        let plain = self.state.hash_one((code, enhanced, text));
        let same = |e: &Entry, p: Option<&str>| {
            e.code == code
                && e.enhanced == enhanced
                && *e.text == *text
                && e.provider.as_deref() == p
        };
        if let Some(e) = self
            .buckets
            .get(&plain)
            .and_then(|b| b.iter().find(|e| same(e, None)))
        {
            return e.diagnosis;
        }
        let prov = provider(relay);
        let keyed = self.state.hash_one((code, enhanced, text, &*prov));
        if let Some(e) = self
            .buckets
            .get(&keyed)
            .and_then(|b| b.iter().find(|e| same(e, Some(&prov))))
        {
            return e.diagnosis;
        }
        let verdict = rules.verdict(code, enhanced, text, relay);
        let diagnosis = verdict.diagnosis;
        if self.len >= Memo::CAPACITY {
            self.buckets.clear();
            self.len = 0;
        }
        let (hash, provider) = match verdict.used_provider {
            true => (keyed, Some(prov.as_ref().into())),
            false => (plain, None),
        };
        self.buckets.entry(hash).or_default().push(Entry {
            code,
            enhanced,
            text: text.into(),
            provider,
            diagnosis,
        });
        self.len += 1;
        diagnosis
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_starts_over_when_full() {
        let rules = Rules::builtin();
        let mut memo = Memo::new();
        let full = b"452 4.2.2 Mailbox full";
        let e = crate::parse::reply::enhanced_at(b"4.2.2").map(|x| x.0);
        assert_eq!(
            memo.classify(&rules, Some(452), e, full, b"mx"),
            Diagnosis::MailboxFull
        );
        assert_eq!(
            memo.classify(&rules, Some(452), e, full, b"mx"),
            Diagnosis::MailboxFull
        );
        assert_eq!(memo.len(), 1);
        // Every part of the key counts: the same text without its codes is another reply.
        assert_eq!(
            memo.classify(&rules, None, None, b"x", b"mx"),
            Diagnosis::Other
        );
        assert_eq!(
            memo.classify(&rules, Some(550), None, b"x", b"mx"),
            Diagnosis::Other
        );
        assert_eq!(memo.len(), 3);
        for i in 0..Memo::CAPACITY {
            memo.classify(&rules, Some(421), None, i.to_string().as_bytes(), b"");
        }
        assert!(memo.len() <= Memo::CAPACITY);
    }
}
