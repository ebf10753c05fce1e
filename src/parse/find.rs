//! Substring searchers built once: `memmem::find` would build a searcher on every call,
//! which costs more than the search itself on short log lines.

use memchr::memmem::Finder;
use std::sync::LazyLock;

macro_rules! needles {
    ($($name:ident = $lit:expr;)*) => {
        $(pub static $name: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new($lit));)*
    };
}

needles! {
    STATUS = b", status=";
    SAID = b" said: ";
    REFUSED = b"refused to talk to me: ";
    EXIM_SMTP_ERROR = b"error from remote mail";
    EXIM_LMTP_ERROR = b"LMTP error after";
    EXIM_PRDR_ERROR = b"PRDR error after";
    REJECTED = b"rejected ";
    TO = b"to=<";
}

/// ASCII letters and digits.
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// Whether every byte is an ASCII letter or digit. For queue and message ids, which are
/// random letters and digits: testing the three ranges with branches would be mispredicted
/// at almost every byte, so this is a table and a fold without an early exit.
#[inline]
pub fn all_alphanumeric(s: &[u8]) -> bool {
    s.iter().fold(true, |ok, b| ok & ALNUM[usize::from(*b)])
}

/// Position of `needle` in `hay`.
#[inline]
pub fn find(needle: &LazyLock<Finder<'static>>, hay: &[u8]) -> Option<usize> {
    needle.find(hay)
}

/// Position of `needle` in `hay`: memchr on its first byte, then a compare. On the short
/// stretches of a log line, and with a first byte that is rare there (`,`, `;`, `:`), this is
/// cheaper than setting a substring searcher to work. The needle's length is known at
/// compile time, so the compare is a few instructions rather than a call to `memcmp`.
#[inline]
pub fn find_short<const N: usize>(hay: &[u8], needle: &[u8; N]) -> Option<usize> {
    let (first, _) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(*first, &hay[from..]) {
        let at = from + i;
        if hay.get(at..at + N).is_some_and(|w| w == needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Position of `needle` in `hay`, like [`find_short`] but led by the needle's *last* byte:
/// for needles such as ` C="`, whose last byte is the rare one.
#[inline]
pub fn find_by_last<const N: usize>(hay: &[u8], needle: &[u8; N]) -> Option<usize> {
    let (last, _) = needle.split_last()?;
    let mut from = N - 1;
    while let Some(i) = memchr::memchr(*last, hay.get(from..)?) {
        let end = from + i + 1;
        if hay[end - N..end] == *needle {
            return Some(end - N);
        }
        from = end;
    }
    None
}

/// The last position of `needle` in `hay`, found the same way from the end.
#[inline]
pub fn rfind_short<const N: usize>(hay: &[u8], needle: &[u8; N]) -> Option<usize> {
    let (first, _) = needle.split_first()?;
    let mut to = hay.len();
    while let Some(at) = memchr::memrchr(*first, &hay[..to]) {
        if hay.get(at..at + N).is_some_and(|w| w == needle) {
            return Some(at);
        }
        to = at;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_needles() {
        use super::find_short;
        assert_eq!(find_short(b"a: b", b": "), Some(1));
        assert_eq!(find_short(b"a:b: c", b": "), Some(3));
        assert_eq!(find_short(b"a:", b": "), None);
        assert_eq!(find_short(b"<x>, y", b">, "), Some(2));
        assert_eq!(find_short(b"", b": "), None);
        use super::find_by_last;
        assert_eq!(find_by_last(b"a\" C=\"250\"", b" C=\""), Some(2));
        assert_eq!(find_by_last(b" C=\"", b" C=\""), Some(0));
        assert_eq!(find_by_last(b"C=\"", b" C=\""), None);
        assert_eq!(find_by_last(b"\"", b" C=\""), None);
        assert_eq!(find_by_last(b"", b" C=\""), None);
        use super::rfind_short;
        assert_eq!(rfind_short(b"a, dsn=1, dsn=2", b", dsn="), Some(8));
        assert_eq!(rfind_short(b", dsn", b", dsn="), None);
        assert_eq!(rfind_short(b"", b", dsn="), None);
    }
}
