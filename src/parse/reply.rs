//! SMTP reply codes inside reply text: the basic `450` and the enhanced `4.2.2`.
//!
//! These helpers only recognise a code *at* a given position; the MTA parsers decide where
//! a reply starts, so that pids, ports, sizes and host names never pass for codes.

use std::fmt;

/// The class of an outcome: 2xx success, 4xx temporary failure, 5xx permanent failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Success,
    Transient,
    Permanent,
}

impl Class {
    /// All classes, in report order.
    pub const ALL: [Class; 3] = [Class::Success, Class::Transient, Class::Permanent];

    /// The class of a first digit, for 2, 4 and 5.
    pub fn from_digit(d: u8) -> Option<Class> {
        match d {
            2 => Some(Class::Success),
            4 => Some(Class::Transient),
            5 => Some(Class::Permanent),
            _ => None,
        }
    }

    /// Index into `[u64; 3]` counters.
    pub fn index(self) -> usize {
        self as usize
    }

    /// `2xx`, `4xx` or `5xx`.
    pub fn label(self) -> &'static str {
        match self {
            Class::Success => "2xx",
            Class::Transient => "4xx",
            Class::Permanent => "5xx",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An enhanced status code `class.subject.detail` (RFC 3463).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Enhanced {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl Enhanced {
    /// The class of this code (its first digit).
    pub fn class(&self) -> Option<Class> {
        Class::from_digit(self.class)
    }
}

impl fmt::Display for Enhanced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// Whether `b` may follow a code: the end, white space, or punctuation that ends a token.
fn ends_token(b: Option<&u8>) -> bool {
    matches!(
        b,
        None | Some(b' ' | b'-' | b'\t' | b';' | b',' | b')' | b'"' | b'\'')
    )
}

/// A basic reply code (200–599, first digit 2, 3, 4 or 5) at the very start of `s`,
/// followed by a space, `-` or the end. Returns the code and the text after it.
pub fn basic_at(s: &[u8]) -> Option<(u16, &[u8])> {
    let d = s.get(..3)?;
    if !(b'2'..=b'5').contains(&d[0]) || !d[1].is_ascii_digit() || !d[2].is_ascii_digit() {
        return None;
    }
    if !matches!(s.get(3), None | Some(b' ' | b'-' | b'"' | b')')) {
        return None;
    }
    let code = u16::from(d[0] - b'0') * 100 + u16::from(d[1] - b'0') * 10 + u16::from(d[2] - b'0');
    let rest = s.get(4..).unwrap_or(&[]);
    Some((code, rest))
}

/// Parses 1–3 digits at the start of `s`.
fn number(s: &[u8]) -> Option<(u16, usize)> {
    let mut v = 0u16;
    let mut n = 0;
    while let Some(d) = s.get(n).filter(|b| b.is_ascii_digit()) {
        if n == 3 {
            return None;
        }
        v = v * 10 + u16::from(d - b'0');
        n += 1;
    }
    (n > 0).then_some((v, n))
}

/// An enhanced code `c.s.d` (class 2, 4 or 5; subject and detail of 1–3 digits) at the start
/// of `s`, followed by a token end. Returns the code and the number of bytes it took.
pub fn enhanced_at(s: &[u8]) -> Option<(Enhanced, usize)> {
    // Most codes have one-digit parts (`2.0.0`, `4.2.2`, `5.7.1`): read those at once.
    if let [c @ (b'2' | b'4' | b'5'), b'.', sub, b'.', det, rest @ ..] = s {
        let end = rest.first();
        if sub.is_ascii_digit() && det.is_ascii_digit() && ends_token(end) && end != Some(&b'-') {
            let e = Enhanced {
                class: c - b'0',
                subject: u16::from(sub - b'0'),
                detail: u16::from(det - b'0'),
            };
            return Some((e, 5));
        }
    }
    let c = *s.first()?;
    if !matches!(c, b'2' | b'4' | b'5') || s.get(1) != Some(&b'.') {
        return None;
    }
    let (subject, n1) = number(&s[2..])?;
    let i = 2 + n1;
    if s.get(i) != Some(&b'.') {
        return None;
    }
    let (detail, n2) = number(&s[i + 1..])?;
    let end = i + 1 + n2;
    if !ends_token(s.get(end)) || s.get(end) == Some(&b'-') {
        return None;
    }
    Some((
        Enhanced {
            class: c - b'0',
            subject,
            detail,
        },
        end,
    ))
}

/// A reply at the start of `s`: an optional basic code then an optional enhanced code,
/// as in `450 4.2.2 Mailbox full` or `5.7.1 Spam`. Returns `None` when neither is there.
pub fn reply_at(s: &[u8]) -> Option<Reply<'_>> {
    if let Some((code, rest)) = basic_at(s) {
        let enhanced = enhanced_at(trim_start(rest)).map(|(e, _)| e);
        return Some(Reply {
            code: Some(code),
            enhanced,
            text: s,
        });
    }
    enhanced_at(s).map(|(e, _)| Reply {
        code: None,
        enhanced: Some(e),
        text: s,
    })
}

/// What a reply carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply<'a> {
    pub code: Option<u16>,
    pub enhanced: Option<Enhanced>,
    /// The reply text, starting at the code.
    pub text: &'a [u8],
}

/// Finds the first `": "` in `s` that is followed by a reply, and returns that reply.
pub fn first_reply_after_colon(s: &[u8]) -> Option<Reply<'_>> {
    let mut from = 0;
    while let Some(p) = super::find::find_short(&s[from..], b": ") {
        let at = from + p + 2;
        if let Some(r) = reply_at(&s[at..]) {
            return Some(r);
        }
        from = at;
    }
    None
}

/// `s` without leading spaces.
pub fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| **b == b' ').count();
    &s[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(c: u8, s: u16, d: u16) -> Enhanced {
        Enhanced {
            class: c,
            subject: s,
            detail: d,
        }
    }

    #[test]
    fn basic_codes() {
        assert_eq!(basic_at(b"450 4.2.2 full").map(|x| x.0), Some(450));
        assert_eq!(basic_at(b"550-5.7.1 multi").map(|x| x.0), Some(550));
        assert_eq!(basic_at(b"221").map(|x| x.0), Some(221));
        assert_eq!(basic_at(b"4500 x"), None);
        assert_eq!(basic_at(b"650 x"), None);
        assert_eq!(basic_at(b"45 x"), None);
        assert_eq!(basic_at(b"550.bad"), None);
    }

    #[test]
    fn enhanced_codes() {
        assert_eq!(enhanced_at(b"4.2.2 Mailbox").map(|x| x.0), Some(e(4, 2, 2)));
        assert_eq!(enhanced_at(b"5.7.26").map(|x| x.0), Some(e(5, 7, 26)));
        assert_eq!(enhanced_at(b"2.0.0)").map(|x| x.0), Some(e(2, 0, 0)));
        assert_eq!(enhanced_at(b"5.1.1;").map(|x| x.0), Some(e(5, 1, 1)));
        assert_eq!(enhanced_at(b"1.2.3"), None);
        assert_eq!(enhanced_at(b"4.2.2.1"), None);
        assert_eq!(enhanced_at(b"4.2"), None);
        assert_eq!(enhanced_at(b"4.2.2222"), None);
    }

    #[test]
    fn replies() {
        let r = reply_at(b"450 4.2.2 <a@b>: Mailbox full").unwrap();
        assert_eq!((r.code, r.enhanced), (Some(450), Some(e(4, 2, 2))));
        let r = reply_at(b"5.7.1 Spam").unwrap();
        assert_eq!((r.code, r.enhanced), (None, Some(e(5, 7, 1))));
        let r = reply_at(b"451 Temporary local problem").unwrap();
        assert_eq!((r.code, r.enhanced), (Some(451), None));
        assert!(reply_at(b"Connection refused").is_none());
        let r = first_reply_after_colon(b"RCPT from x[1.2.3.4]:25: 554 5.7.1 no").unwrap();
        assert_eq!(r.code, Some(554));
        assert!(first_reply_after_colon(b"connect to x[1.2.3.4]:25: Connection refused").is_none());
    }
}
