//! The reply-code knowledge base: what every SMTP basic reply code (RFC 5321) and every
//! enhanced status code (RFC 3463 and the IANA registry) means, when a postmaster sees it,
//! and what to do about it.
//!
//! The texts live in [`basic`], [`enhanced`] and [`generic`] as static tables compiled into
//! the binary, so the `meaning` columns of the CSV reports and `mailcodes explain` read the
//! very same entries. Every entry names its sources (RFC section, IANA registry, the MTA's
//! source file and version) in a comment beside it; the tests at the end of this file and in
//! `facts.rs` keep the tables right.

mod basic;
mod enhanced;
mod generic;

pub use basic::BASIC;
pub use enhanced::ENHANCED;
pub use generic::{BASIC_CATEGORIES, BASIC_CLASSES, ENHANCED_CLASSES, ENHANCED_SUBJECTS};

use crate::parse::reply::{basic_at, enhanced_at};
use crate::parse::Enhanced;

/// One registered code and everything mailcodes knows about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code as written: `"450"` or `"X.2.2"`. Enhanced codes are written with `X` for the
    /// class digit, as the IANA registry does; they apply to classes 2, 4 and 5.
    pub code: &'static str,
    /// A short human phrase, a few words: "Mailbox unavailable".
    pub title: &'static str,
    /// What the code means, one to three sentences.
    pub description: &'static str,
    /// The situations that produce it in real logs. An example reply quoted here starts with
    /// the basic code it illustrates and carries an enhanced code of the same class (tested).
    pub when: &'static str,
    /// What the sender's or the receiver's postmaster should do.
    pub fix: &'static str,
    /// Where the code is defined, e.g. `"RFC 5321"`, `"RFC 3463"`, `"RFC 7372"`.
    pub reference: &'static str,
    /// The Vietnamese texts, all four or none; `None` means "fall back to English" (and
    /// `explain` says so).
    pub vi: Option<ViTexts>,
}

/// The Vietnamese texts of an [`Entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViTexts {
    pub title: &'static str,
    pub description: &'static str,
    pub when: &'static str,
    pub fix: &'static str,
}

/// Generic text for a class (first digit) or subject (middle digit) of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generic {
    /// The digit this text is about: `2`, `4`, `5` for classes; `0`..=`7` for subjects.
    pub digit: u8,
    /// Short name: "Positive completion", "Transient negative", "Mailbox status".
    pub title: &'static str,
    /// What it means, and for classes: what it means for retrying. It is printed for every
    /// code of its class or subject, so it must hold for each of them.
    pub description: &'static str,
    pub title_vi: &'static str,
    pub description_vi: &'static str,
}

/// A code argument or event code: basic `450`, enhanced `4.2.2`, or a registry entry `X.2.2`
/// written without its class, as `explain --list` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Basic(u16),
    Enhanced(Enhanced),
    /// `X.subject.detail`: the registry entry for every class.
    AnyClass {
        subject: u16,
        detail: u16,
    },
}

/// An argument that is neither a code nor a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCode(pub String);

impl std::fmt::Display for BadCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "'{}' is not an SMTP reply code: give a basic code such as 450 (three digits, first digit 2-5), \
             an enhanced code such as 4.2.2 (class 2, 4 or 5) or X.2.2, or a whole reply such as \
             \"550 5.7.1 Service unavailable\"",
            self.0
        )
    }
}

impl std::error::Error for BadCode {}

impl Code {
    /// Parses `450`, `4.2.2` or `X.2.2` (also `x.2.2`). Basic codes are 200–599 with a first
    /// digit 2–5; enhanced codes have class 2, 4 or 5 and subject and detail of 1–3 digits.
    pub fn parse(text: &str) -> Result<Code, BadCode> {
        let t = text.trim();
        if let Some((c, rest)) = basic_at(t.as_bytes()) {
            if rest.is_empty() && t.len() == 3 {
                return Ok(Code::Basic(c));
            }
        }
        if let Some((e, n)) = enhanced_at(t.as_bytes()) {
            if n == t.len() {
                return Ok(Code::Enhanced(e));
            }
        }
        if let Some(any) = t.strip_prefix(['X', 'x']) {
            // Borrow the enhanced-code grammar with a stand-in class digit.
            if let Ok(Code::Enhanced(e)) = Code::parse(&format!("2{any}")) {
                return Ok(Code::AnyClass {
                    subject: e.subject,
                    detail: e.detail,
                });
            }
        }
        Err(BadCode(text.to_string()))
    }

    /// The class digit; `None` for an `X.s.d` entry, which stands for every class.
    pub fn class_digit(&self) -> Option<u8> {
        match self {
            Code::Basic(c) => Some((c / 100) as u8),
            Code::Enhanced(e) => Some(e.class),
            Code::AnyClass { .. } => None,
        }
    }

    /// Whether this is an enhanced code (with or without its class).
    pub fn is_enhanced(&self) -> bool {
        !matches!(self, Code::Basic(_))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Code::Basic(c) => write!(f, "{c}"),
            Code::Enhanced(e) => write!(f, "{e}"),
            Code::AnyClass { subject, detail } => write!(f, "X.{subject}.{detail}"),
        }
    }
}

/// A whole reply pasted as one argument: `550 5.7.1 Service unavailable; ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedReply {
    /// The reply as given, trimmed.
    pub text: String,
    pub basic: u16,
    /// The enhanced code right after the basic code, if there is one.
    pub enhanced: Option<Enhanced>,
}

impl PastedReply {
    /// A reply starting with a basic code (`550 ` or the continuation form `550-`), followed
    /// by an optional enhanced code and text. `None` when `text` does not start that way or
    /// is a bare code.
    pub fn parse(text: &str) -> Option<PastedReply> {
        let t = text.trim();
        let (basic, rest) = basic_at(t.as_bytes())?;
        if t.len() == 3 {
            return None;
        }
        let rest = crate::parse::reply::trim_start(rest);
        let enhanced = enhanced_at(rest).map(|(e, _)| e);
        Some(PastedReply {
            text: t.to_string(),
            basic,
            enhanced,
        })
    }

    /// The codes the reply carries, basic first.
    pub fn codes(&self) -> Vec<Code> {
        let mut v = vec![Code::Basic(self.basic)];
        v.extend(self.enhanced.map(Code::Enhanced));
        v
    }
}

/// What an `explain` argument is: one code or a whole reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Code(Code),
    Reply(PastedReply),
}

impl Query {
    /// A code if the argument is exactly one, else a reply if it starts with a basic code.
    pub fn parse(text: &str) -> Result<Query, BadCode> {
        match Code::parse(text) {
            Ok(c) => Ok(Query::Code(c)),
            Err(e) => PastedReply::parse(text).map(Query::Reply).ok_or(e),
        }
    }
}

/// The numeric sort key of a table entry: basic codes by number, then enhanced codes by
/// subject and detail as numbers (`X.1.9` before `X.1.10`).
pub fn sort_key(e: &Entry) -> (u8, u16, u16) {
    match Code::parse(e.code) {
        Ok(Code::Basic(c)) => (0, c, 0),
        Ok(Code::AnyClass { subject, detail }) => (1, subject, detail),
        _ => (2, 0, 0),
    }
}

/// Every entry, basic codes first, each group in numeric order.
pub fn all_sorted() -> Vec<&'static Entry> {
    let mut v: Vec<&'static Entry> = BASIC.iter().chain(ENHANCED).collect();
    v.sort_by_key(|e| sort_key(e));
    v
}

/// The registered entry of a code, if there is one.
pub fn lookup(code: Code) -> Option<&'static Entry> {
    match code {
        Code::Basic(c) => {
            let key = c.to_string();
            BASIC.iter().find(|e| e.code == key)
        }
        Code::Enhanced(Enhanced {
            subject, detail, ..
        })
        | Code::AnyClass { subject, detail } => {
            let key = format!("X.{subject}.{detail}");
            ENHANCED.iter().find(|x| x.code == key)
        }
    }
}

/// The generic text of a basic code's class (first digit).
pub fn basic_class(digit: u8) -> Option<&'static Generic> {
    BASIC_CLASSES.iter().find(|g| g.digit == digit)
}

/// The generic text of an enhanced code's class (first digit).
pub fn enhanced_class(digit: u8) -> Option<&'static Generic> {
    ENHANCED_CLASSES.iter().find(|g| g.digit == digit)
}

/// The generic text of an enhanced code's subject (middle number).
pub fn enhanced_subject(subject: u16) -> Option<&'static Generic> {
    ENHANCED_SUBJECTS
        .iter()
        .find(|g| u16::from(g.digit) == subject)
}

/// The generic text of a basic code's category (second digit).
pub fn basic_category(digit: u8) -> Option<&'static Generic> {
    BASIC_CATEGORIES.iter().find(|g| g.digit == digit)
}

/// A short phrase for report `meaning` columns: the entry's title, or for an unregistered
/// code the generic title of its class and subject.
pub fn meaning(code: Code) -> String {
    if let Some(e) = lookup(code) {
        return e.title.to_string();
    }
    match code {
        Code::Basic(c) => {
            let class = basic_class((c / 100) as u8).map_or("Unknown class", |g| g.title);
            match basic_category((c / 10 % 10) as u8) {
                Some(cat) => format!("{class} ({}; unregistered code)", cat.title.to_lowercase()),
                None => format!("{class} (unregistered code)"),
            }
        }
        Code::Enhanced(Enhanced { class, subject, .. }) => unregistered_enhanced(
            enhanced_class(class).map_or("Unknown class", |g| g.title),
            subject,
        ),
        Code::AnyClass { subject, .. } => unregistered_enhanced("Any class", subject),
    }
}

fn unregistered_enhanced(class: &str, subject: u16) -> String {
    match enhanced_subject(subject) {
        Some(s) => format!("{class}: {} (unregistered detail)", s.title.to_lowercase()),
        None => format!("{class} (unregistered subject)"),
    }
}

#[cfg(test)]
mod facts;

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed_text(s: &str) -> bool {
        !s.is_empty() && s.trim() == s && !s.contains(['\n', '\t', '\r'])
    }

    #[test]
    fn every_entry_is_well_formed_and_complete() {
        for e in BASIC {
            assert!(
                matches!(Code::parse(e.code), Ok(Code::Basic(_))),
                "basic code {}",
                e.code
            );
        }
        for e in ENHANCED {
            let concrete = e.code.replacen('X', "4", 1);
            assert!(e.code.starts_with("X."), "{}", e.code);
            assert!(
                matches!(Code::parse(&concrete), Ok(Code::Enhanced(_))),
                "enhanced code {}",
                e.code
            );
        }
        for e in BASIC.iter().chain(ENHANCED) {
            for f in [e.title, e.description, e.when, e.fix, e.reference] {
                assert!(well_formed_text(f), "{}: {f:?}", e.code);
            }
            if let Some(v) = e.vi {
                for f in [v.title, v.description, v.when, v.fix] {
                    assert!(well_formed_text(f), "{}: {f:?}", e.code);
                }
            }
        }
        for g in BASIC_CLASSES
            .iter()
            .chain(BASIC_CATEGORIES)
            .chain(ENHANCED_CLASSES)
            .chain(ENHANCED_SUBJECTS)
        {
            for f in [g.title, g.description, g.title_vi, g.description_vi] {
                assert!(well_formed_text(f), "{}: {f:?}", g.digit);
            }
        }
    }

    #[test]
    fn no_duplicates_and_required_codes_present() {
        let mut seen = std::collections::HashSet::new();
        for e in BASIC.iter().chain(ENHANCED) {
            assert!(seen.insert(e.code), "duplicate {}", e.code);
        }
        for c in [
            211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503,
            504, 521, 550, 551, 552, 553, 554, 555, 556,
        ] {
            assert!(lookup(Code::Basic(c)).is_some(), "{c} missing");
        }
        for c in [
            "X.0.0", "X.1.1", "X.2.2", "X.3.4", "X.4.7", "X.5.3", "X.6.3", "X.7.1", "X.7.26",
            "X.7.30",
        ] {
            assert!(ENHANCED.iter().any(|e| e.code == c), "{c} missing");
        }
        for d in [2, 4, 5] {
            assert!(basic_class(d).is_some() && enhanced_class(d).is_some());
        }
        for s in 0..=7 {
            assert!(enhanced_subject(s).is_some());
        }
    }

    #[test]
    fn meanings_for_known_and_unknown_codes() {
        assert_eq!(meaning(Code::Basic(221)), "Closing connection");
        assert!(meaning(Code::Basic(299)).contains("unregistered"));
        assert!(meaning(Code::parse("4.9.9").unwrap()).contains("unregistered"));
        assert!(Code::parse("45").is_err());
        assert!(Code::parse("abc").is_err());
        assert!(Code::parse("4.2").is_err());
        assert!(Code::parse("650").is_err());
    }

    #[test]
    fn arguments_parse_as_codes_or_replies() {
        let e = |class, subject, detail| {
            Code::Enhanced(Enhanced {
                class,
                subject,
                detail,
            })
        };
        let any = |subject, detail| Code::AnyClass { subject, detail };
        for (arg, want) in [
            ("450", Some(Query::Code(Code::Basic(450)))),
            (" 4.2.2 ", Some(Query::Code(e(4, 2, 2)))),
            ("X.2.2", Some(Query::Code(any(2, 2)))),
            ("x.7.26", Some(Query::Code(any(7, 26)))),
            ("X.2", None),
            ("X.2.2.2", None),
            ("Y.2.2", None),
            ("4.2", None),
            ("650 5.7.1 no such class", None),
            ("Connection refused", None),
        ] {
            assert_eq!(Query::parse(arg).ok(), want, "{arg}");
        }
        for (arg, basic, enhanced) in [
            ("550 5.7.1 Service unavailable", 550, Some(e(5, 7, 1))),
            ("550-5.7.1 continued", 550, Some(e(5, 7, 1))),
            ("451 Temporary local problem", 451, None),
            ("452  4.2.2 two spaces", 452, Some(e(4, 2, 2))),
        ] {
            let Ok(Query::Reply(r)) = Query::parse(arg) else {
                panic!("{arg} is a reply")
            };
            assert_eq!(
                (r.basic, r.enhanced, r.text.as_str()),
                (
                    basic,
                    enhanced.map(|c| match c {
                        Code::Enhanced(x) => x,
                        _ => unreachable!(),
                    }),
                    arg
                )
            );
            assert_eq!(r.codes()[0], Code::Basic(basic));
        }
        let err = Query::parse("abc").unwrap_err().to_string();
        assert!(err.contains("'abc' is not an SMTP reply code") && err.contains("X.2.2"));
    }

    #[test]
    fn any_class_entries_resolve_like_their_concrete_codes() {
        let any = Code::parse("X.2.2").unwrap();
        assert_eq!(any.to_string(), "X.2.2");
        assert_eq!(any.class_digit(), None);
        assert_eq!(lookup(any), lookup(Code::parse("4.2.2").unwrap()));
        assert_eq!(meaning(any), "Mailbox full");
        assert!(meaning(Code::parse("X.9.9").unwrap()).starts_with("Any class"));
    }
}
