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
    EXIM_CONFIRM = b" C=\"";
    EXIM_SMTP_ERROR = b"error from remote mail";
    EXIM_LMTP_ERROR = b"LMTP error after";
    EXIM_PRDR_ERROR = b"PRDR error after";
    REJECTED = b"rejected ";
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
        use super::rfind_short;
        assert_eq!(rfind_short(b"a, dsn=1, dsn=2", b", dsn="), Some(8));
        assert_eq!(rfind_short(b", dsn", b", dsn="), None);
        assert_eq!(rfind_short(b"", b", dsn="), None);
    }
}
