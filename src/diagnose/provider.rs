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
/// registered domain is one of these belongs to the provider.
const KNOWN: &[(&str, &str)] = &[
    ("google.com", "google"),
    ("googlemail.com", "google"),
    ("gmail.com", "google"),
    ("outlook.com", "microsoft"),
    ("hotmail.com", "microsoft"),
    ("live.com", "microsoft"),
    ("msn.com", "microsoft"),
    ("office365.com", "microsoft"),
    ("yahoodns.net", "yahoo"),
    ("yahoo.com", "yahoo"),
    ("aol.com", "yahoo"),
    ("icloud.com", "apple"),
    ("me.com", "apple"),
    ("mac.com", "apple"),
    ("apple.com", "apple"),
    ("gmx.net", "gmx"),
    ("gmx.de", "gmx"),
    ("gmx.com", "gmx"),
    ("web.de", "gmx"),
    ("mimecast.com", "mimecast"),
    ("mimecast-offshore.com", "mimecast"),
    ("mimecast.co.za", "mimecast"),
    ("pphosted.com", "proofpoint"),
    ("ppe-hosted.com", "proofpoint"),
    ("proofpoint.com", "proofpoint"),
    ("barracudanetworks.com", "barracuda"),
    ("iphmx.com", "cisco"),
    ("messagingengine.com", "fastmail"),
    ("protonmail.ch", "proton"),
    ("yandex.net", "yandex"),
    ("yandex.ru", "yandex"),
    ("zoho.com", "zoho"),
    ("zoho.eu", "zoho"),
    ("163.com", "netease"),
    ("126.com", "netease"),
    ("netease.com", "netease"),
    ("qq.com", "tencent"),
    ("prodigy.net", "att"),
    ("att.net", "att"),
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
    if let Some((_, name)) = KNOWN
        .iter()
        .find(|(d, _)| domain.eq_ignore_ascii_case(d.as_bytes()))
    {
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
    fn clean_names() {
        assert_eq!(clean(b"MX.Example.ORG"), "mx.example.org");
        assert_eq!(clean(b"-=cmd|x.example"), "cmdx.example");
        assert_eq!(clean(b"\xff\x1b[31m"), "31m");
        assert_eq!(clean(b"..."), "");
    }
}
