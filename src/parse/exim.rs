//! Exim mainlog messages: deliveries (`=>`, `->`), deferrals (`==`), failures (`**`) and
//! rejections (`rejected RCPT …`, `temporarily rejected …`, and after the data by
//! `local_scan()` or the MIME ACL).
//!
//! Input is the message after Exim's timestamp (and `[pid]`), e.g.
//! `1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp H=mx [3.3.3.3]: SMTP error from remote mail server after end of data: 554 5.2.0 Mailbox Full`.

use super::find::{self, find};
use super::reply::{first_reply_after_colon, reply_at, Class};
use super::{angle_value, Body, Outcome};

/// Whether `id` is an Exim message id: old `XXXXXX-XXXXXX-XX` or 4.97+ `XXXXXX-XXXXXXXXXXX-XXXX`.
pub fn is_message_id(id: &[u8]) -> bool {
    let ok = find::all_alphanumeric; // ids are random: no branch per byte
    match id.len() {
        16 => id[6] == b'-' && id[13] == b'-' && ok(&id[..6]) && ok(&id[7..13]) && ok(&id[14..]),
        23 => id[6] == b'-' && id[18] == b'-' && ok(&id[..6]) && ok(&id[7..18]) && ok(&id[19..]),
        _ => false,
    }
}

/// Parses an Exim message. `None` when it records no SMTP outcome.
pub fn parse(msg: &[u8]) -> Option<Body<'_>> {
    let sp = memchr::memchr(b' ', msg).unwrap_or(msg.len());
    let id = &msg[..sp];
    let id = if is_message_id(id) { id } else { &[][..] };
    if !id.is_empty() {
        let rest = msg.get(sp + 1..).unwrap_or(&[]);
        let outcome = match rest.get(..3) {
            Some(b"=> ") | Some(b"-> ") => Some(Outcome::Delivered),
            Some(b"== ") => Some(Outcome::Deferred),
            Some(b"** ") => Some(Outcome::Bounced),
            _ => None,
        };
        if let Some(outcome) = outcome {
            return Some(delivery(&rest[3..], outcome, id));
        }
    }
    rejection(msg, id)
}

/// The host of an Exim `H=` value or of `host …` in an error text: `name [address]…` gives
/// the name; `(helo) [address]` and `[address]`, where the client gave no verified name,
/// the address.
fn host_of(v: &[u8]) -> &[u8] {
    match v.first() {
        Some(b'(') | Some(b'[') => {
            let Some(open) = memchr::memchr(b'[', v) else {
                return &[];
            };
            let inside = &v[open + 1..];
            match memchr::memchr2(b']', b' ', inside) {
                Some(end) if inside[end] == b']' => &inside[..end],
                // An unclosed bracket (`[192.0.2.1: SMTP error …`): up to the space, no colon.
                end => {
                    let a = &inside[..end.unwrap_or(inside.len())];
                    a.strip_suffix(b":").unwrap_or(a)
                }
            }
        }
        // Host names are short: a loop is done before memchr would have set up.
        _ => &v[..v.iter().position(|b| *b == b' ').unwrap_or(v.len())],
    }
}

/// The `H=` field in `fields`: at the start or after a space. (Led by the `H`, which is
/// rare in these lines, where a search for ` H=` would stop at every space.)
fn h_field(fields: &[u8]) -> Option<&[u8]> {
    memchr::memchr_iter(b'H', fields)
        .find(|&i| fields.get(i + 1) == Some(&b'=') && (i == 0 || fields[i - 1] == b' '))
        .map(|i| &fields[i + 2..])
}

/// The remote host of a delivery: the `H=` field among the fields (which end at the first
/// `: `, where Exim's or the remote server's text starts), else the older
/// `…: host name [address]: …` in the error text.
fn delivery_host(s: &[u8]) -> &[u8] {
    // One pass over the fields finds the `H=` or the `: ` that ends them.
    for i in memchr::memchr2_iter(b'H', b':', s) {
        let next = s.get(i + 1);
        if s[i] == b'H' && next == Some(&b'=') && (i == 0 || s[i - 1] == b' ') {
            return host_of(&s[i + 2..]);
        }
        if s[i] == b':' && next == Some(&b' ') {
            break;
        }
    }
    match find::find_short(s, b": host ") {
        Some(p) => host_of(&s[p + 7..]),
        None => &[],
    }
}

fn delivery<'a>(s: &'a [u8], outcome: Outcome, id: &'a [u8]) -> Body<'a> {
    let s = super::reply::trim_start(s);
    let end = memchr::memchr(b' ', s).unwrap_or(s.len());
    let mut recipient = &s[..end];
    recipient = recipient.strip_suffix(b":").unwrap_or(recipient);
    let mut rest = s.get(end + 1..).unwrap_or(&[]);
    if rest.first() == Some(&b'(') {
        // `=> /var/mail/x (parent@dom) <orig@dom>`: skip the parent.
        if let Some(close) = memchr::memchr(b')', rest) {
            rest = rest.get(close + 1..).unwrap_or(&[]);
            rest = rest.strip_prefix(b" ").unwrap_or(rest);
        }
    }
    if !recipient.contains(&b'@') && rest.first() == Some(&b'<') {
        if let Some(orig) = angle_value(rest, b"<") {
            recipient = orig;
        }
    }
    // `C="…"` is the last field of a delivery and its quote the first in most lines: led
    // by the quote, the search is one memchr.
    let (reply, text) = if let Some(p) = find::find_by_last(s, b" C=\"") {
        let v = &s[p + 4..];
        let v = &v[..memchr::memchr(b'"', v).unwrap_or(v.len())];
        (reply_at(v), v)
    } else if let Some(p) = [
        &find::EXIM_SMTP_ERROR,
        &find::EXIM_LMTP_ERROR,
        &find::EXIM_PRDR_ERROR,
    ]
    .iter()
    .find_map(|m| find(m, s))
    {
        match first_reply_after_colon(&s[p..]) {
            Some(r) => (Some(r), r.text),
            None => (None, &s[p..]),
        }
    } else {
        let t = find::find_short(s, b": ").map_or(&b""[..], |p| &s[p + 2..]);
        (None, t)
    };
    Body {
        code: reply.and_then(|r| r.code),
        enhanced: reply.and_then(|r| r.enhanced),
        outcome,
        class_hint: None,
        recipient,
        text,
        relay: delivery_host(s),
        queue_id: id,
    }
}

/// ACL rejections: `H=… F=<s> rejected RCPT <r>: text`, `rejected MAIL <s>`,
/// `rejected after DATA`, `rejected EHLO`/`HELO`, `rejected connection`, each possibly
/// `temporarily rejected`.
fn rejection<'a>(msg: &'a [u8], id: &'a [u8]) -> Option<Body<'a>> {
    let mut from = 0;
    while let Some(p) = find(&find::REJECTED, &msg[from..]) {
        let at = from + p;
        from = at + 9;
        if at > 0 && msg[at - 1] != b' ' {
            continue;
        }
        let after = &msg[at + 9..];
        // The message-level kinds (`by local_scan()`, SpamAssassin through sa-exim, and the
        // MIME ACL) also reject local submissions: they count only for an SMTP client, `H=`.
        let kinds: [(&[u8], bool); 8] = [
            (b"RCPT", false),
            (b"MAIL", false),
            (b"after DATA", false),
            (b"EHLO", false),
            (b"HELO", false),
            (b"connection", false),
            (b"by local_scan()", true),
            (b"during MIME ACL checks", true),
        ];
        let head = &msg[..at];
        let from_smtp = || h_field(head).is_some();
        let Some((kind, _)) = kinds
            .iter()
            .find(|(k, smtp_only)| after.starts_with(k) && (!smtp_only || from_smtp()))
        else {
            continue;
        };
        let temporary = msg[..at].ends_with(b"temporarily ");
        let recipient = if *kind == b"RCPT" {
            // `rejected RCPT <r@u>: …`, or without brackets `rejected RCPT r@u: …`.
            let r = &after[4..];
            match r.strip_prefix(b" ") {
                Some(t) if t.first() == Some(&b'<') => angle_value(t, b"<").unwrap_or(&[]),
                Some(t) => {
                    let end = t.iter().position(|b| *b == b' ').unwrap_or(t.len());
                    let tok = &t[..end];
                    tok.strip_suffix(b":").unwrap_or(tok)
                }
                None => &[],
            }
        } else {
            &[]
        };
        let text = find::find_short(after, b": ").map_or(&b""[..], |q| &after[q + 2..]);
        let reply = reply_at(text);
        return Some(Body {
            code: reply.and_then(|r| r.code),
            enhanced: reply.and_then(|r| r.enhanced),
            outcome: Outcome::Rejected,
            class_hint: Some(if temporary {
                Class::Transient
            } else {
                Class::Permanent
            }),
            recipient,
            text,
            relay: h_field(head).map_or(&[][..], host_of),
            queue_id: id,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids() {
        assert!(is_message_id(b"1jmKso-0009d4-Uf"));
        assert!(is_message_id(b"1raAO5-000000091Cv-IHab"));
        assert!(!is_message_id(b"H=(x)"));
        assert!(!is_message_id(b"1jmKso_0009d4-Uf"));
    }

    #[test]
    fn deliveries() {
        let b = parse(b"1jmKso-0009d4-Uf => bob@x.org R=dnslookup T=remote_smtp H=mx [1.2.3.4] C=\"250 2.0.0 OK id=1\"").unwrap();
        assert_eq!(
            (b.code, b.outcome, b.recipient),
            (Some(250), Outcome::Delivered, &b"bob@x.org"[..])
        );
        let b = parse(b"1jmKso-0009d4-Uf => bob <bob@x.org> R=local T=local_delivery").unwrap();
        assert_eq!(
            (b.code, b.recipient, b.class()),
            (None, &b"bob@x.org"[..], Class::Success)
        );
        let b = parse(b"1jmFYj-00039V-QX ** bob@null.corp: retry timeout exceeded").unwrap();
        assert_eq!(
            (b.recipient, b.class(), b.text),
            (
                &b"bob@null.corp"[..],
                Class::Permanent,
                &b"retry timeout exceeded"[..]
            )
        );
        let b = parse(b"1b8lwj-0003bo-6W == a@x.com R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<a@x.com>: host h [1.2.3.4]: 451 Internal resource temporarily unavailable").unwrap();
        assert_eq!((b.code, b.class()), (Some(451), Class::Transient));
        let b = parse(b"1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out").unwrap();
        assert_eq!((b.code, b.class()), (None, Class::Transient));
    }

    #[test]
    fn rejections() {
        let b = parse(b"H=(x) [1.2.3.4] F=<s@t> rejected RCPT <r@u>: relay not permitted").unwrap();
        assert_eq!(
            (b.code, b.class(), b.recipient),
            (None, Class::Permanent, &b"r@u"[..])
        );
        let b =
            parse(b"H=(x) [1.2.3.4] F=<s@t> temporarily rejected RCPT <r@u>: greylisted").unwrap();
        assert_eq!((b.class(), b.text), (Class::Transient, &b"greylisted"[..]));
        let b = parse(b"H=(x) [1.2.3.4] rejected MAIL <s@t>: Access denied").unwrap();
        assert_eq!(b.recipient, b"");
        assert!(parse(b"1jmKso-0009d4-Uf <= s@t H=x [1.2.3.4] S=100").is_none());
        assert!(parse(b"1jmKso-0009d4-Uf Completed").is_none());
        assert!(parse(b"Start queue run: pid=123").is_none());
    }

    #[test]
    fn relays_and_message_ids() {
        // (message, relay, message id); real lines from the corpus (gvengel/exim_exporter,
        // perericr/ddgrey, mysociety/alaveteli, fail2ban) cut after the timestamp.
        let cases: [(&[u8], &[u8], &[u8]); 8] = [
            (b"1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp H=mail.zee.corp [3.3.3.3] X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=yes DN=\"C=US,ST=Fake,L=Lost,O=Zee Corp,CN=mail.zee.corp\": SMTP error from remote mail server after end of data: 554 5.2.0 x", b"mail.zee.corp", b"1jmKso-0009d4-Uf"),
            (b"1raAV4-009jr4-9x == jack@test.corp R=dnslookup T=remote_smtp defer (-44) H=(relay.test.corp) [4.4.4.4: SMTP error from remote mail server after RCPT TO:<jack@test.corp>: 450 4.7.1 no", b"4.4.4.4", b"1raAV4-009jr4-9x"),
            (b"1j5NyY-0004Xp-NZ ** ronnienorcross@yahoo.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after end of data: host mta5.am0.yahoodns.net [67.195.204.72]: 554 delivery error: dd This user doesn't have a yahoo.com account", b"mta5.am0.yahoodns.net", b"1j5NyY-0004Xp-NZ"),
            (b"1b8lwj-0003bo-6W == authority@example.com R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<authority@example.com>: host eu-smtp-inbound-1.mimecast.com [195.130.217.211]: 451 Internal resource temporarily unavailable", b"eu-smtp-inbound-1.mimecast.com", b"1b8lwj-0003bo-6W"),
            (b"1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out", b"", b"1jmFYj-00039V-QX"),
            (b"1jmKso-0009d4-Uf => bob@x.org R=dnslookup T=remote_smtp H=mx.x.org [1.2.3.4] C=\"250 OK\"", b"mx.x.org", b"1jmKso-0009d4-Uf"),
            (b"H=93-143-146-237.adsl.net.t-com.hr (droolindog.com) [93.143.146.237] F=<a@b> rejected RCPT <r@u>: no", b"93-143-146-237.adsl.net.t-com.hr", b""),
            (b"1PLKOW-00046U-EW F=a@b H=(droolindog.com) [93.143.146.237] I=[10.10.10.32]:25 P=esmtp temporarily rejected by local_scan(): Temporary local problem", b"93.143.146.237", b"1PLKOW-00046U-EW"),
        ];
        for (m, relay, id) in cases {
            let b = parse(m).unwrap();
            assert_eq!(
                (b.relay, b.queue_id),
                (relay, id),
                "{}",
                String::from_utf8_lossy(m)
            );
        }
    }

    #[test]
    fn rejections_after_the_data() {
        // sa-exim's local_scan(), from fail2ban's exim test log (there behind a `# `).
        let b = parse(b"1PLKOW-00046U-EW F=wvhluo@droolindog.com H=93-143-146-237.adsl.net.t-com.hr (droolindog.com) [93.143.146.237] I=[10.10.10.32]:25 P=esmtp temporarily rejected by local_scan(): Temporary local problem").unwrap();
        assert_eq!(
            (b.outcome, b.class(), b.text),
            (
                Outcome::Rejected,
                Class::Transient,
                &b"Temporary local problem"[..]
            )
        );
        let b = parse(b"1UlasQ-0003fr-45 F=a@b H=(x) [1.2.3.4]:43671 P=esmtp rejected during MIME ACL checks: 550 5.7.1 bad attachment").unwrap();
        assert_eq!((b.code, b.class()), (Some(550), Class::Permanent));
        // The same rejections of a local submission (no `H=`) are not SMTP outcomes.
        assert!(parse(
            b"10HmaZ-0005vi-00 F=x@y U=CALLER P=local-smtp rejected by local_scan(): no"
        )
        .is_none());
        assert!(parse(
            b"10HmaX-000000005vi-0000 U=CALLER F=<x@y> rejected during MIME ACL checks: no"
        )
        .is_none());
    }
}
