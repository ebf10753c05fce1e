//! The mailbox provider behind a relay host: `google` for `alt1.aspmx.l.google.com`,
//! `microsoft` for `example-com.mail.protection.outlook.com`, and so on.
//!
//! Big providers answer with their own words and codes (Gmail's `4.7.28`, Microsoft's
//! `S3150`), so rules can be limited to one provider, and reports group outcomes by it.
//! A relay no known provider owns is named by its registered domain (the last two labels,
//! or three under a common second-level suffix such as `co.uk`); local deliveries are
//! `local`; a line without a relay is `unknown`. Names are lowercase letters, digits, `.`,
//! `-` and `_` only: relay hosts come from the log, which anyone can write into, and the
//! names end up in CSV cells.

use std::borrow::Cow;

/// Known providers by registered domain (see [`Shape::domain_start`]): a host whose
/// registered domain is one of these belongs to the provider. Sorted by domain (kept so for
/// reading; [`known`] searches them by [`KNOWN_KEYS`]).
const KNOWN: &[(&str, &str)] = &[
    ("126.com", "netease"),
    ("163.com", "netease"),
    ("aol.com", "yahoo"),
    ("apple.com", "apple"),
    ("att.net", "att"),
    ("barracudanetworks.com", "barracuda"),
    ("gmail.com", "google"),
    ("gmx.com", "gmx"),
    ("gmx.de", "gmx"),
    ("gmx.net", "gmx"),
    ("google.com", "google"),
    ("googlemail.com", "google"),
    ("hotmail.com", "microsoft"),
    ("icloud.com", "apple"),
    ("iphmx.com", "cisco"),
    ("live.com", "microsoft"),
    ("mac.com", "apple"),
    ("me.com", "apple"),
    ("messagingengine.com", "fastmail"),
    ("mimecast-offshore.com", "mimecast"),
    ("mimecast.co.za", "mimecast"),
    ("mimecast.com", "mimecast"),
    ("msn.com", "microsoft"),
    ("netease.com", "netease"),
    ("office365.com", "microsoft"),
    ("outlook.com", "microsoft"),
    ("ppe-hosted.com", "proofpoint"),
    ("pphosted.com", "proofpoint"),
    ("prodigy.net", "att"),
    ("proofpoint.com", "proofpoint"),
    ("protonmail.ch", "proton"),
    ("qq.com", "tencent"),
    ("web.de", "gmx"),
    ("yahoo.com", "yahoo"),
    ("yahoodns.net", "yahoo"),
    ("yandex.net", "yandex"),
    ("yandex.ru", "yandex"),
    ("zoho.com", "zoho"),
    ("zoho.eu", "zoho"),
];

/// Second-level labels under which registrations sit one level deeper (`example.co.uk`).
const SECOND_LEVEL: &[&str] = &[
    "ac", "co", "com", "edu", "gov", "net", "org", "ne", "or", "go", "gob", "mil", "nic",
];

/// The provider name of a relay host (see the module docs). Borrows from `relay` when its
/// registered domain is already a clean name, so most calls do not allocate.
pub fn provider(relay: &[u8]) -> Cow<'_, str> {
    // This runs for every relay a report groups by provider (150,000 on a busy server) and
    // for failures whose rules depend on the provider: one pass over the name finds what
    // every check below needs, and only addresses are parsed.
    let host = relay.strip_suffix(b".").unwrap_or(relay);
    let Some(&last) = host.last() else {
        return Cow::Borrowed("unknown");
    };
    let shape = Shape::of(host);
    if last.is_ascii_digit() || shape.colon {
        if private_address(host) {
            return Cow::Borrowed("local");
        }
        // A public address, IPv4 or IPv6 (it has a `:`).
        if shape.colon || ipv4(host).is_some() {
            return Cow::Borrowed("unknown");
        }
    }
    if shape.slash || is_local_name(host, shape.dots[0].is_some()) {
        return Cow::Borrowed("local");
    }
    let start = shape.domain_start(host);
    let domain = &host[start..];
    let clean =
        shape.unclean_end <= start && domain.len() <= 100 && !matches!(domain[0], b'-' | b'.');
    if let Some(name) = known(domain, clean) {
        return Cow::Borrowed(name);
    }
    if clean {
        if let Ok(s) = std::str::from_utf8(domain) {
            return Cow::Borrowed(s);
        }
    }
    let name = clean_name(domain);
    if name.is_empty() {
        Cow::Borrowed("unknown")
    } else {
        Cow::Owned(name)
    }
}

/// What [`provider`] needs to know of a host name, found in one pass over it.
struct Shape {
    /// Where its last three dots are, the last one first.
    dots: [Option<usize>; 3],
    colon: bool,
    slash: bool,
    /// One past the last byte that a clean name (see [`clean_name`]) does not hold; 0 when
    /// every byte is one it holds.
    unclean_end: usize,
}

impl Shape {
    fn of(host: &[u8]) -> Shape {
        let mut shape = Shape {
            dots: [None; 3],
            colon: false,
            slash: false,
            unclean_end: 0,
        };
        for (i, &b) in host.iter().enumerate() {
            match b {
                b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => {}
                b'.' => shape.dots = [Some(i), shape.dots[0], shape.dots[1]],
                _ => {
                    shape.colon |= b == b':';
                    shape.slash |= b == b'/';
                    shape.unclean_end = i + 1;
                }
            }
        }
        shape
    }

    /// Where the registered domain of `host` (this shape's name) starts: after the dot
    /// before its last two labels, or three when the second-to-last is a common
    /// second-level suffix under a two-letter country code (`example.co.uk`,
    /// `example.com.au`); 0 for a name of one or two labels.
    fn domain_start(&self, host: &[u8]) -> usize {
        let (Some(last_dot), Some(prev_dot)) = (self.dots[0], self.dots[1]) else {
            return 0;
        };
        let tld = &host[last_dot + 1..];
        let second = &host[prev_dot + 1..last_dot];
        let deeper = tld.len() == 2
            && SECOND_LEVEL
                .iter()
                .any(|s| second.eq_ignore_ascii_case(s.as_bytes()));
        let start = if deeper { self.dots[2] } else { Some(prev_dot) };
        start.map_or(0, |p| p + 1)
    }
}

/// The registered domain of `host` (see [`Shape::domain_start`]).
#[cfg(test)]
fn registered_domain(host: &[u8]) -> &[u8] {
    &host[Shape::of(host).domain_start(host)..]
}

/// The known provider (see [`KNOWN`]) of registered domain `domain`, in any case
/// (`lower`: it is in lower case already). (Naming the providers of 150,000 relays spent a
/// third of its time trying the known domains one by one; a binary search of the names, a
/// call of `memcmp` per step, was still 8 % of a scan of a dictionary attack, whose every
/// client is named for the rules.)
fn known(domain: &[u8], lower: bool) -> Option<&'static str> {
    let mut buf = [0; 32];
    let lower = if lower {
        domain
    } else {
        let copy = buf.get_mut(..domain.len())?;
        copy.copy_from_slice(domain);
        copy.make_ascii_lowercase();
        &*copy
    };
    let key = known_key(lower);
    let keys = &*KNOWN_KEYS;
    let from = keys.partition_point(|(k, _)| *k < key);
    keys[from..]
        .iter()
        .take_while(|(k, _)| *k == key)
        .map(|&(_, i)| KNOWN[i])
        .find(|(d, _)| d.as_bytes() == lower)
        .map(|(_, name)| name)
}

/// [`KNOWN`]'s domains by [`known_key`], sorted: searched as numbers, each candidate then
/// compared in full.
static KNOWN_KEYS: std::sync::LazyLock<Vec<(u64, usize)>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<(u64, usize)> = KNOWN
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (known_key(d.as_bytes()), i))
        .collect();
    keys.sort_unstable();
    keys
});

/// A domain's length and first seven bytes as one number: equal for equal domains (two
/// different domains may share it, so a match is checked in full).
fn known_key(domain: &[u8]) -> u64 {
    let mut b = [0; 8];
    let n = domain.len().min(7);
    b[1..=n].copy_from_slice(&domain[..n]);
    b[0] = domain.len().min(255) as u8;
    u64::from_be_bytes(b)
}

/// Whether `host` is `domain` or a name under it, ignoring case.
fn under(host: &[u8], domain: &str) -> bool {
    let d = domain.as_bytes();
    host.len() >= d.len()
        && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
        && (host.len() == d.len() || host[host.len() - d.len() - 1] == b'.')
}

/// Local delivery by name: Postfix's `local`, `virtual`, `none` and transport names without
/// a host (`has_dot` says whether `host` has a dot), `localhost` and `*.local`. (Unix
/// sockets, `private/dovecot-lmtp`, are told by their `/`; loopback and private addresses
/// are checked with the other addresses.)
fn is_local_name(host: &[u8], has_dot: bool) -> bool {
    if !has_dot {
        return [
            "local",
            "virtual",
            "none",
            "dovecot",
            "localhost",
            "pipe",
            "maildrop",
            "error",
        ]
        .iter()
        .any(|w| host.eq_ignore_ascii_case(w.as_bytes()));
    }
    under(host, "localhost") || under(host, "local")
}

fn ipv4(host: &[u8]) -> Option<[u8; 4]> {
    let s = std::str::from_utf8(host).ok()?;
    s.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets())
}

/// Loopback, private and link-local addresses: deliveries inside our own network.
fn private_address(host: &[u8]) -> bool {
    if let Some(o) = ipv4(host) {
        return o[0] == 127
            || o[0] == 10
            || (o[0] == 172 && (16..32).contains(&o[1]))
            || (o[0] == 192 && o[1] == 168)
            || (o[0] == 169 && o[1] == 254);
    }
    let Ok(s) = std::str::from_utf8(host) else {
        return false;
    };
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(a) => {
            let first = a.segments()[0];
            a.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

/// Lowercase, only `a-z 0-9 . - _`, no leading `-` or `.` (a CSV cell starting with `-`
/// could be taken for a formula); at most 100 bytes.
fn clean_name(name: &[u8]) -> String {
    let kept: String = name
        .iter()
        .map(u8::to_ascii_lowercase)
        .filter(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
        .map(char::from)
        .take(100)
        .collect();
    kept.trim_start_matches(['-', '.']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_domains() {
        for (host, want) in [
            ("mx.example.org", "example.org"),
            ("example.org", "example.org"),
            ("a.b.mail.example.co.uk", "example.co.uk"),
            ("mx1.example.com.au", "example.com.au"),
            ("mx.example.com.vn", "example.com.vn"),
            ("mx.co.example", "co.example"),
            ("localhostish", "localhostish"),
        ] {
            assert_eq!(
                registered_domain(host.as_bytes()),
                want.as_bytes(),
                "{host}"
            );
        }
    }

    #[test]
    fn known_domains_are_sorted_lowercase_and_found_in_any_case() {
        assert!(KNOWN.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(KNOWN
            .iter()
            .all(|(d, _)| d.len() <= 32 && *d == d.to_lowercase()));
        for (d, name) in KNOWN {
            assert_eq!(
                known(d.to_uppercase().as_bytes(), false),
                Some(*name),
                "{d}"
            );
        }
        assert_eq!(known(b"example.com", false), None);
        // Same length and first seven bytes as a known domain, or a prefix of one.
        assert_eq!(known(b"gmx.neu", false), None);
        assert_eq!(known(b"google.org", false), None);
        assert_eq!(known(b"gmx", false), None);
        assert_eq!(known(b"", false), None);
        assert_eq!(known(&[b'a'; 40], false), None);
        assert_eq!(provider(b"MX1.Mail.Protection.Outlook.COM."), "microsoft");
    }

    #[test]
    fn any_name_gives_a_clean_provider_whatever_its_case_and_final_dot() {
        // Relay names come from the log: random ones over the bytes `provider` looks at.
        let alphabet = b"aAbz09.-/:_$\xff\x1bco";
        for name in super::super::tests::random_texts(alphabet, 0x2545_f491_4f6c_dd1d, 20_000, 14) {
            let p = provider(&name);
            let shown = String::from_utf8_lossy(&name);
            assert!(!p.is_empty() && p.len() <= 100, "{shown:?} gave {p:?}");
            assert!(
                p.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b'.' | b'-' | b'_')),
                "{shown:?} gave {p:?}"
            );
            assert!(!p.starts_with(['-', '.']), "{shown:?} gave {p:?}");
            assert_eq!(provider(&name.to_ascii_uppercase()), p, "{shown:?}");
            let mut dotted = name.clone();
            dotted.push(b'.');
            if !name.ends_with(b".") {
                assert_eq!(provider(&dotted), p, "{shown:?}");
            }
        }
    }

    #[test]
    fn clean_names() {
        assert_eq!(clean_name(b"MX.Example.ORG"), "mx.example.org");
        assert_eq!(clean_name(b"-=cmd|x.example"), "cmdx.example");
        assert_eq!(clean_name(b"\xff\x1b[31m"), "31m");
        assert_eq!(clean_name(b"..."), "");
    }
}
