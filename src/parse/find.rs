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
    COLON_SPACE = b": ";
    ADDR_END = b">, ";
    STATUS = b", status=";
    DSN = b", dsn=";
    SAID = b" said: ";
    REFUSED = b"refused to talk to me: ";
    TAIL_FROM = b"; from=<";
    TAIL_TO = b"; to=<";
    TO = b"to=<";
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
