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
/// cheaper than setting a substring searcher to work.
#[inline]
pub fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(*first, &hay[from..]) {
        let at = from + i;
        if hay[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
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
    }
}
