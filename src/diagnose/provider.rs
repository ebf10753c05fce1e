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

/// Known providers by registered domain (see [`registered_domain`]): a host whose
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
    // This runs for every outcome a report groups by provider: the checks are ordered so
    // that a host name takes a few byte compares, and only addresses are parsed.
    let host = relay.strip_suffix(b".").unwrap_or(relay);
    let Some(&last) = host.last() else {
        return Cow::Borrowed("unknown");
    };
    if last.is_ascii_digit() || host.contains(&b':') {
        if private_address(host) {
            return Cow::Borrowed("local");
        }
        if is_ip_literal(host) {
            return Cow::Borrowed("unknown");
        }
    }
    if is_local(host) {
        return Cow::Borrowed("local");
    }
    let domain = registered_domain(host);
    if let Some(name) = known(domain) {
        return Cow::Borrowed(name);
    }
    if is_clean(domain) {
        if let Ok(s) = std::str::from_utf8(domain) {
            return Cow::Borrowed(s);
        }
    }
    let name = clean(domain);
    if name.is_empty() {
        Cow::Borrowed("unknown")
    } else {
        Cow::Owned(name)
    }
}

/// The known provider (see [`KNOWN`]) of registered domain `domain`, in any case. (Naming
/// the providers of 150,000 relays spent a third of its time trying the known domains one
/// by one; a binary search of the names, a call of `memcmp` per step, was still 8 % of a
/// scan of a dictionary attack, whose every client is named for the rules.)
fn known(domain: &[u8]) -> Option<&'static str> {
    let mut buf = [0; 32];
    let lower = buf.get_mut(..domain.len())?;
    lower.copy_from_slice(domain);
    lower.make_ascii_lowercase();
    let lower = &*lower;
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

/// Whether `name` is already what [`clean`] would make of it.
fn is_clean(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !matches!(name[0], b'-' | b'.')
        && name.iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}

/// Whether `host` is `domain` or a name under it, ignoring case.
fn under(host: &[u8], domain: &str) -> bool {
    let d = domain.as_bytes();
    host.len() >= d.len()
        && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
        && (host.len() == d.len() || host[host.len() - d.len() - 1] == b'.')
}

/// Local delivery by name: Postfix's `local`, `virtual`, `none` and transport names without
/// a host, Unix sockets (`private/dovecot-lmtp`), `localhost` and `*.local`. (Loopback and
/// private addresses are checked with the other addresses.)
fn is_local(host: &[u8]) -> bool {
    if host.contains(&b'/') {
        return true;
    }
    if !host.contains(&b'.') {
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

/// A dotted IPv4 address or an IPv6 address (it has a `:`).
fn is_ip_literal(host: &[u8]) -> bool {
    host.contains(&b':') || ipv4(host).is_some()
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

/// The last two labels of `host`, or three when the second-to-last is a common
/// second-level suffix under a two-letter country code (`example.co.uk`, `example.com.au`).
fn registered_domain(host: &[u8]) -> &[u8] {
    let mut dots = memchr::memrchr_iter(b'.', host);
    let (Some(last_dot), Some(prev_dot)) = (dots.next(), dots.next()) else {
        return host;
    };
    let tld = &host[last_dot + 1..];
    let second = &host[prev_dot + 1..last_dot];
    let deeper = tld.len() == 2
        && SECOND_LEVEL
            .iter()
            .any(|s| second.eq_ignore_ascii_case(s.as_bytes()));
    let start = if deeper { dots.next() } else { Some(prev_dot) };
    &host[start.map_or(0, |p| p + 1)..]
}

/// Lowercase, only `a-z 0-9 . - _`, no leading `-` or `.` (a CSV cell starting with `-`
/// could be taken for a formula).
fn clean(name: &[u8]) -> String {
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
            assert_eq!(known(d.to_uppercase().as_bytes()), Some(*name), "{d}");
        }
        assert_eq!(known(b"example.com"), None);
        // Same length and first seven bytes as a known domain, or a prefix of one.
        assert_eq!(known(b"gmx.neu"), None);
        assert_eq!(known(b"google.org"), None);
        assert_eq!(known(b"gmx"), None);
        assert_eq!(known(b""), None);
        assert_eq!(known(&[b'a'; 40]), None);
        assert_eq!(provider(b"MX1.Mail.Protection.Outlook.COM."), "microsoft");
    }

    #[test]
    fn clean_names() {
        assert_eq!(clean(b"MX.Example.ORG"), "mx.example.org");
        assert_eq!(clean(b"-=cmd|x.example"), "cmdx.example");
        assert_eq!(clean(b"\xff\x1b[31m"), "31m");
        assert_eq!(clean(b"..."), "");
    }
}
