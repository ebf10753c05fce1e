//! A memo of diagnoses, so that a reply seen again is not matched against every rule again.
//!
//! Matching the rule set costs about a microsecond per reply, and deferrals repeat: the same
//! recipient gets the same reply on every retry, and many servers word all their refusals
//! alike. A scan keeps one memo per worker thread and asks it instead of the
//! rules; the answer is always the one [`Rules::classify`] gives, because the memo keys on
//! everything the rules read (code, enhanced code, text, and the relay's provider when a rule
//! that names a provider was looked at: which of the providers the rules name the relay's is,
//! [`Rules::provider_number`]) and compares keys in full. Keying on the provider itself made
//! the memo miss on two replies in three on the benchmark logs: the same `User unknown` or
//! `Mailbox full` from every small provider was a key of its own, because rules that name
//! one provider match those texts too.
//! It forgets everything when it holds [`Memo::CAPACITY`] replies, so its memory is bounded.

use super::rules::Matched;
use super::{provider, Diagnosis, Rules};
use crate::parse::Enhanced;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// What a diagnosis is remembered under: code, enhanced code, text and, when the diagnosis
/// depends on it, the provider's number ([`Rules::provider_number`]).
type Key<'a> = (Option<u16>, Option<Enhanced>, &'a [u8], Option<usize>);

/// One remembered reply: its key's codes and provider number, where its text lies in
/// [`Memo::texts`], and the diagnosis.
#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    code: Option<u16>,
    enhanced: Option<Enhanced>,
    start: usize,
    text_len: u32,
    /// The provider's number; `None` when the diagnosis depends on no provider.
    provider: Option<usize>,
    diagnosis: Diagnosis,
}

/// Remembered diagnoses of one worker (see the module docs). The texts lie back to back in
/// one buffer, so that remembering a reply allocates nothing and forgetting all of them
/// frees nothing.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    table: HashTable<Entry>,
    texts: Vec<u8>,
    /// Room for which patterns matched ([`Rules::verdict_in`]).
    matched: Matched,
    state: foldhash::fast::RandomState,
}

impl Memo {
    /// How many replies a memo holds before it starts over.
    pub const CAPACITY: usize = 16384;
    /// How many bytes of reply text it holds before it starts over.
    const TEXT_BYTES: usize = 8 << 20;

    /// An empty memo.
    pub fn new() -> Memo {
        Memo::default()
    }

    /// How many replies it holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
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
        // are kept under a key that includes the provider's number.
        let plain = self.state.hash_one((code, enhanced, text));
        if let Some(d) = self.find(plain, code, enhanced, text, None) {
            return d;
        }
        let number = rules.provider_number(&provider(relay));
        let keyed = self.state.hash_one((code, enhanced, text, number));
        if let Some(d) = self.find(keyed, code, enhanced, text, Some(number)) {
            return d;
        }
        let verdict = rules.verdict_in(&mut self.matched, code, enhanced, text, relay);
        let diagnosis = verdict.diagnosis;
        let (hash, provider) = match verdict.used_provider {
            true => (keyed, Some(number)),
            false => (plain, None),
        };
        self.remember(hash, (code, enhanced, text, provider), diagnosis);
        diagnosis
    }

    /// The diagnosis remembered for this key, if any.
    fn find(
        &self,
        hash: u64,
        code: Option<u16>,
        enhanced: Option<Enhanced>,
        text: &[u8],
        provider: Option<usize>,
    ) -> Option<Diagnosis> {
        let texts = &self.texts;
        let same = |e: &Entry| {
            e.hash == hash
                && e.code == code
                && e.enhanced == enhanced
                && e.provider == provider
                && &texts[e.start..e.start + e.text_len as usize] == text
        };
        self.table.find(hash, same).map(|e| e.diagnosis)
    }

    /// Remembers a key's diagnosis, starting over first when the memo is full.
    fn remember(
        &mut self,
        hash: u64,
        (code, enhanced, text, provider): Key<'_>,
        diagnosis: Diagnosis,
    ) {
        let bytes = text.len();
        if bytes > Self::TEXT_BYTES {
            return;
        }
        if self.table.len() >= Self::CAPACITY || self.texts.len() + bytes > Self::TEXT_BYTES {
            self.table.clear();
            self.texts.clear();
        }
        let start = self.texts.len();
        self.texts.extend_from_slice(text);
        let entry = Entry {
            hash,
            code,
            enhanced,
            start,
            text_len: text.len() as u32,
            provider,
            diagnosis,
        };
        self.table.insert_unique(hash, entry, |e| e.hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_no_rule_names_share_one_entry() {
        let rules = Rules::builtin();
        let mut memo = Memo::new();
        let e = crate::parse::reply::enhanced_at(b"5.2.2").map(|x| x.0);
        // Microsoft's rules read `mailbox full` in any reply: the provider decides.
        let full = b"552 5.2.2 <@>: Mailbox full";
        let relays: [&[u8]; 6] = [
            b"mx1.example.org",
            b"mail.small-isp.net",
            b"example-com.mail.protection.outlook.com",
            b"mx.third.example",
            b"gmail-smtp-in.l.google.com",
            b"[192.0.2.7]",
        ];
        for relay in relays {
            let want = rules.classify(Some(552), e, full, relay);
            assert_eq!(memo.classify(&rules, Some(552), e, full, relay), want);
            assert_eq!(memo.classify(&rules, Some(552), e, full, relay), want);
        }
        assert_eq!(
            rules.classify(Some(552), e, full, relays[2]),
            Diagnosis::MailboxFull
        );
        // One entry for Microsoft, one for Google, one for every provider no rule names.
        assert_eq!(memo.len(), 3);
        assert_eq!(rules.provider_number("example.org"), 0);
        assert_ne!(rules.provider_number("microsoft"), 0);
    }

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
