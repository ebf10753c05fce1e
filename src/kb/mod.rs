//! The reply-code knowledge base: what every SMTP basic reply code (RFC 5321) and every
//! enhanced status code (RFC 3463 and the IANA registry) means, when a postmaster sees it,
//! and what to do about it.
//!
//! The texts live in [`data`] as static tables compiled into the binary, so the `meaning`
//! columns of the CSV reports and `mailcodes explain` read the very same entries.

mod data;

pub use data::{
    BASIC, BASIC_CATEGORIES, BASIC_CLASSES, ENHANCED, ENHANCED_CLASSES, ENHANCED_SUBJECTS,
};

/// One registered code and everything mailcodes knows about it.
///
/// `*_vi` fields hold a Vietnamese text where one was written; `None` means "fall back to
/// the English text" (and the explain command says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code as written: `"450"` or `"4.2.2"`. Enhanced codes in the table may use `X`
    /// for the class digit (`"X.2.2"`), as the IANA registry does; they apply to 2, 4 and 5.
    pub code: &'static str,
    /// A short human phrase, a few words: "Mailbox unavailable".
    pub title: &'static str,
    /// What the code means, one to three sentences.
    pub description: &'static str,
    /// The situations that produce it in real logs.
    pub when: &'static str,
    /// What the sender's or the receiver's postmaster should do.
    pub fix: &'static str,
    /// Where the code is defined, e.g. `"RFC 5321"`, `"RFC 3463"`, `"RFC 7372"`.
    pub reference: &'static str,
    pub title_vi: Option<&'static str>,
    pub description_vi: Option<&'static str>,
    pub when_vi: Option<&'static str>,
    pub fix_vi: Option<&'static str>,
}

/// Generic text for a class (first digit) or subject (middle digit) of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generic {
    /// The digit this text is about: `2`, `4`, `5` for classes; `0`..=`7` for subjects.
    pub digit: u8,
    /// Short name: "Positive completion", "Transient negative", "Mailbox status".
    pub title: &'static str,
    /// What it means, and for classes: what it means for retrying.
    pub description: &'static str,
    pub title_vi: &'static str,
    pub description_vi: &'static str,
}

/// A parsed code argument or event code: basic `450` or enhanced `4.2.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Basic(u16),
    Enhanced(crate::parse::Enhanced),
}

impl Code {
    /// Parses `450` or `4.2.2`. Basic codes are 200–599 with a first digit 2–5; enhanced
    /// codes have class 2, 4 or 5 and subject and detail of 1–3 digits.
    pub fn parse(text: &str) -> Result<Code, String> {
        let t = text.trim();
        if let Some((c, rest)) = crate::parse::reply::basic_at(t.as_bytes()) {
            if rest.is_empty() && t.len() == 3 {
                return Ok(Code::Basic(c));
            }
        }
        if let Some((e, n)) = crate::parse::reply::enhanced_at(t.as_bytes()) {
            if n == t.len() {
                return Ok(Code::Enhanced(e));
            }
        }
        Err(format!(
            "'{text}' is not an SMTP reply code: give a basic code such as 450 (three digits, first digit 2-5) \
             or an enhanced code such as 4.2.2 (class 2, 4 or 5)"
        ))
    }

    /// The class digit.
    pub fn class_digit(&self) -> u8 {
        match self {
            Code::Basic(c) => (c / 100) as u8,
            Code::Enhanced(e) => e.class,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Code::Basic(c) => write!(f, "{c}"),
            Code::Enhanced(e) => write!(f, "{e}"),
        }
    }
}

/// The registered entry of a code, if there is one.
pub fn lookup(code: Code) -> Option<&'static Entry> {
    match code {
        Code::Basic(c) => {
            let key = c.to_string();
            BASIC.iter().find(|e| e.code == key)
        }
        Code::Enhanced(e) => {
            let key = format!("X.{}.{}", e.subject, e.detail);
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
        Code::Enhanced(e) => {
            let class = enhanced_class(e.class).map_or("Unknown class", |g| g.title);
            match enhanced_subject(e.subject) {
                Some(s) => format!("{class}: {} (unregistered detail)", s.title.to_lowercase()),
                None => format!("{class} (unregistered subject)"),
            }
        }
    }
}

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
            let vi = [e.title_vi, e.description_vi, e.when_vi, e.fix_vi];
            assert!(
                vi.iter().all(Option::is_some) || vi.iter().all(Option::is_none),
                "{}: partial Vietnamese",
                e.code
            );
            assert!(
                vi.iter().flatten().all(|t| well_formed_text(t)),
                "{}",
                e.code
            );
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
}
