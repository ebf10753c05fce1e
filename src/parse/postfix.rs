//! Postfix messages: delivery-agent `status=` lines and `reject:` lines.
//!
//! Input is the message after the syslog tag, e.g.
//! `4F9D1C2: to=<a@b>, relay=mx[1.2.3.4]:25, delay=1, dsn=4.2.2, status=deferred (host mx[1.2.3.4] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))`
//! or `NOQUEUE: reject: RCPT from x[1.2.3.4]: 450 4.2.0 <a@b>: Recipient address rejected: Greylisted; from=<s@t> to=<a@b> proto=ESMTP helo=<x>`.

use super::find;
use super::reply::{enhanced_at, first_reply_after_colon, reply_at, Reply};
use super::{angle_value, Body, Outcome};

/// Whether `name` is a Postfix daemon: the last component of a syslog tag (`postfix/smtp`).
/// (A `match`, which compiles to a switch on the length and a few word compares, where a list
/// search would call `memcmp` for each name.)
pub fn is_daemon(name: &[u8]) -> bool {
    matches!(
        name,
        b"smtp"
            | b"lmtp"
            | b"local"
            | b"virtual"
            | b"pipe"
            | b"error"
            | b"retry"
            | b"discard"
            | b"smtpd"
            | b"postscreen"
            | b"cleanup"
            | b"qmgr"
            | b"oqmgr"
            | b"bounce"
            | b"defer"
            | b"trace"
            | b"pickup"
            | b"anvil"
            | b"scache"
            | b"tlsmgr"
            | b"tlsproxy"
            | b"master"
            | b"proxymap"
            | b"trivial-rewrite"
            | b"verify"
            | b"flush"
            | b"showq"
            | b"postdrop"
            | b"sendmail"
            | b"dnsblog"
            | b"postlog"
            | b"postsuper"
            | b"postqueue"
            | b"postmap"
            | b"postfix-script"
            | b"spawn"
            | b"qmqpd"
            | b"lmtpd"
            | b"policy-spf"
    )
}

/// Parses a Postfix message. `None` when it records no SMTP outcome.
pub fn parse(msg: &[u8]) -> Option<Body<'_>> {
    parse_at(msg, None)
}

/// [`parse`], told where the first `status=` in `msg` is (see [`crate::parse::parse_line_at`]).
pub fn parse_at(msg: &[u8], status_at: Option<usize>) -> Option<Body<'_>> {
    if let Some(r) = msg.strip_prefix(b"proxy-reject: ") {
        // smtpd's before-queue content filter logs without a queue id.
        return Some(reject(r, &[]));
    }
    let colon = find::find_short(msg, b": ")?;
    let qid = &msg[..colon];
    if qid.is_empty() || qid.len() > 24 || !find::all_alphanumeric(qid) {
        return None;
    }
    let rest = &msg[colon + 2..];
    if let Some(r) = rest.strip_prefix(b"to=<") {
        return delivery(r, qid, status_at.and_then(|p| p.checked_sub(colon + 6)));
    }
    // `NOQUEUE` stands where the queue id would: the message never got one.
    let qid = if qid == b"NOQUEUE" { &[][..] } else { qid };
    for prefix in [&b"reject: "[..], b"milter-reject: ", b"proxy-reject: "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            return Some(reject(r, qid));
        }
    }
    None
}

/// `to=<` has been taken: `addr>, [orig_to=<…>, ]relay=…, dsn=…, status=WORD (text)`.
/// `status_at`: where the first `status=` in `r` is, when already known.
fn delivery<'a>(r: &'a [u8], qid: &'a [u8], status_at: Option<usize>) -> Option<Body<'a>> {
    let addr_end = find::find_short(r, b">, ")?;
    let recipient = &r[..addr_end];
    let after = &r[addr_end..];
    // The first `, status=` after the address. When the first `status=` of all is known and
    // follows `, ` after the address, it is that one; otherwise it is searched for.
    let known = status_at.filter(|&p| {
        p >= addr_end + 2 && r.get(p - 2..).is_some_and(|w| w.starts_with(b", status="))
    });
    let st = match known {
        Some(p) => p - 2 - addr_end,
        None => find::find(&find::STATUS, after)?,
    };
    let status_and_text = &after[st + 9..];
    let (outcome, word_end) = status_word(status_and_text)?;
    // `dsn=` is the field just before `status=`; with the usual `X.Y.Z` it ends exactly
    // there, and no search is needed.
    let before = &after[st.saturating_sub(24)..st];
    let dsn_at = match before.len().checked_sub(11) {
        Some(p) if before[p..].starts_with(b", dsn=") => Some(p),
        _ => find::rfind_short(before, b", dsn="),
    };
    let dsn = dsn_at.and_then(|p| enhanced_at(&before[p + 6..]).map(|(e, _)| e));
    let mut text = status_and_text.get(word_end + 1..).unwrap_or(&[]);
    if let Some(inner) = text.strip_prefix(b"(") {
        // The text runs to the last `)`, which usually ends the line.
        let close = match inner.last() {
            Some(b')') => Some(inner.len() - 1),
            _ => memchr::memrchr(b')', inner),
        };
        text = match close {
            Some(close) => &inner[..close],
            None => inner,
        };
    }
    let reply = status_reply(text);
    Some(Body {
        code: reply.and_then(|r| r.code),
        enhanced: dsn.or_else(|| reply.and_then(|r| r.enhanced)),
        outcome,
        class_hint: None,
        recipient,
        text: reply.map_or(text, |r| r.text),
        relay: relay(&after[..st]),
        queue_id: qid,
    })
}

/// The host in the `relay=` field of `fields` (`>, [orig_to=<…>, ]relay=…, delay=…`):
/// see [`host_of`]. Empty when there is no such field.
fn relay(fields: &[u8]) -> &[u8] {
    // Usually the field right after the address: no search.
    let at = match fields.get(3..) {
        Some(f) if f.starts_with(b"relay=") => 3,
        _ => match find::find_short(fields, b", relay=") {
            Some(p) => p + 2,
            None => return &[],
        },
    };
    host_of(&fields[at + 6..])
}

/// The host of `name[address]:port` as Postfix writes a peer, at the start of `s` (which
/// may go on after a `,`): the name; the address when the name is `unknown` or missing; the
/// socket when the address is a Unix socket path (`private/dovecot-lmtp`). A value without
/// brackets (`local`, `none`) as written.
fn host_of(s: &[u8]) -> &[u8] {
    // One search finds the bracket, or the end of a value without one.
    let Some(open) = memchr::memchr2(b'[', b',', s) else {
        return s;
    };
    if s[open] == b',' {
        return &s[..open];
    }
    let name = &s[..open];
    let inside = &s[open + 1..];
    // The address matters only for a nameless peer or a socket path, which starts with a
    // letter (`private/…`) where an address starts with a digit (or, for a few IPv6
    // addresses, a letter): most lines need no search for its end.
    let known = !name.is_empty() && name != b"unknown";
    if known && !inside.first().is_some_and(u8::is_ascii_alphabetic) {
        return name;
    }
    let address = &inside[..inside
        .iter()
        .position(|b| *b == b']')
        .unwrap_or(inside.len())];
    if !known || address.contains(&b'/') {
        address
    } else {
        name
    }
}

/// The client of a `reject:` line: `STAGE from name[address]: …` or, for a header or body
/// check, `… from name[address]; from=<…`, whose text before may hold anything; `tail_at`
/// is where `; from=<` (or `; to=<`) starts.
fn client(r: &[u8], content_check: bool, tail_at: Option<usize>) -> &[u8] {
    let peer = if content_check {
        let head = &r[..tail_at.unwrap_or(r.len())];
        match find::rfind_short(head, b" from ") {
            Some(p) => &head[p + 6..],
            None => return &[],
        }
    } else {
        let stage_end = memchr::memchr(b' ', r).unwrap_or(r.len());
        match r[stage_end..].strip_prefix(b" from ") {
            Some(p) => &p[..find::find_short(p, b": ").unwrap_or(p.len())],
            None => return &[],
        }
    };
    host_of(peer)
}

/// The status word at the start of `s` (`sent`, `deferred`, …, in any case) and where it
/// ends (at the first space).
fn status_word(s: &[u8]) -> Option<(Outcome, usize)> {
    const WORDS: [(&[u8], Outcome); 7] = [
        (b"sent", Outcome::Delivered),
        (b"deferred", Outcome::Deferred),
        (b"bounced", Outcome::Bounced),
        (b"deliverable", Outcome::Probe),
        (b"undeliverable", Outcome::Probe),
        (b"softbounce", Outcome::Deferred),
        (b"expired", Outcome::Bounced),
    ];
    // Postfix writes them in lower case: try that first, without a search for the space.
    for (w, outcome) in WORDS {
        if s.starts_with(w) && matches!(s.get(w.len()), None | Some(b' ')) {
            return Some((outcome, w.len()));
        }
    }
    let end = memchr::memchr(b' ', s).unwrap_or(s.len());
    let word = &s[..end];
    let outcome = WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word))?.1;
    Some((outcome, end))
}

/// Where a reply stands in a status text: at its start (`250 2.0.0 Ok`), after `said: `,
/// or after `refused to talk to me: `.
fn status_reply(text: &[u8]) -> Option<Reply<'_>> {
    if let Some(r) = reply_at(text).filter(|r| r.code.is_some()) {
        return Some(r);
    }
    // `host NAME[ADDR] said: 450 …`: the rare `]` leads a cheap search.
    if let Some(p) = find::find_short(text, b"] said: ") {
        if let Some(r) = reply_at(&text[p + 8..]) {
            return Some(r);
        }
    }
    for marker in [&find::SAID, &find::REFUSED] {
        if let Some(p) = find::find(marker, text) {
            if let Some(r) = reply_at(&text[p + marker.needle().len()..]) {
                return Some(r);
            }
        }
    }
    None
}

/// After `reject: `: `RCPT from host[ip]: 450 4.2.0 …; from=<s> to=<r> proto=… helo=<h>`,
/// or cleanup's `header Subject: … from host[ip]; from=<s> to=<r> proto=… helo=<h>: 5.7.1 text`.
fn reject<'a>(r: &'a [u8], qid: &'a [u8]) -> Body<'a> {
    let tail_at = find::find_short(r, b"; from=<").or_else(|| find::find_short(r, b"; to=<"));
    let recipient = tail_at
        .and_then(|t| angle_value(&r[t..], b"to=<"))
        .unwrap_or(&[]);
    let content_check = r.starts_with(b"header ") || r.starts_with(b"body ");
    let (reply, text) = if content_check {
        // The reply follows the envelope details: `…helo=<h>: 5.7.1 Message content rejected`.
        let after = tail_at.map_or(r, |t| &r[t..]);
        let text = find::find_short(after, b": ").map_or(&b""[..], |p| &after[p + 2..]);
        (reply_at(text), text)
    } else {
        let head = tail_at.map_or(r, |t| &r[..t]);
        match first_reply_after_colon(head) {
            Some(rep) => (Some(rep), rep.text),
            None => (
                None,
                find::find_short(head, b": ").map_or(head, |p| &head[p + 2..]),
            ),
        }
    };
    Body {
        code: reply.and_then(|x| x.code),
        enhanced: reply.and_then(|x| x.enhanced),
        outcome: Outcome::Rejected,
        class_hint: None,
        recipient,
        text,
        relay: client(r, content_check, tail_at),
        queue_id: qid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Class, Enhanced};

    fn e(s: &str) -> Option<Enhanced> {
        enhanced_at(s.as_bytes()).map(|x| x.0)
    }

    #[test]
    fn deferred_with_remote_reply() {
        let b = parse(b"4F9D: to=<a@b.org>, relay=mx[1.2.3.4]:25, delay=3, delays=0/0/1/2, dsn=4.2.2, status=deferred (host mx[1.2.3.4] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))").unwrap();
        assert_eq!(
            (b.code, b.enhanced, b.class(), b.recipient),
            (Some(452), e("4.2.2"), Class::Transient, &b"a@b.org"[..])
        );
        assert!(b.text.starts_with(b"452 4.2.2 Mailbox full"));
    }

    #[test]
    fn sent_and_local() {
        let b = parse(b"ABC: to=<a@b>, relay=x[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 550AB)").unwrap();
        assert_eq!((b.code, b.outcome), (Some(250), Outcome::Delivered));
        let b = parse(b"ABC: to=<root@x>, orig_to=<root>, relay=local, delay=0, dsn=2.0.0, status=sent (delivered to mailbox)").unwrap();
        assert_eq!(
            (b.code, b.enhanced, b.class()),
            (None, e("2.0.0"), Class::Success)
        );
        let b = parse(b"ABC: to=<a@b>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx[1.2.3.4]:25: Connection refused)").unwrap();
        assert_eq!((b.code, b.class()), (None, Class::Transient));
    }

    #[test]
    fn rejects() {
        let b = parse(b"NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.2.0 <a@b>: Recipient address rejected: Greylisted; from=<s@t> to=<a@b> proto=ESMTP helo=<x>").unwrap();
        assert_eq!(
            (b.code, b.enhanced, b.recipient),
            (Some(450), e("4.2.0"), &b"a@b"[..])
        );
        let b = parse(b"NOQUEUE: reject: RCPT from [1.2.3.4]:5678: 550 5.7.1 Service unavailable; client [1.2.3.4] blocked using zen; from=<s@t>, to=<a@b>, proto=ESMTP, helo=<x>").unwrap();
        assert_eq!((b.code, b.recipient), (Some(550), &b"a@b"[..]));
        let b = parse(b"8B7: reject: header Date: Mon, 18 Jan 2038 19:07:11 +0800 from unknown[1.2.3.4]; from=<s@t> to=<r@u> proto=ESMTP helo=<h>: 5.7.1 Message content rejected").unwrap();
        assert_eq!(
            (b.code, b.enhanced, b.recipient, b.class()),
            (None, e("5.7.1"), &b"r@u"[..], Class::Permanent)
        );
        let b = parse(b"769F: milter-reject: END-OF-MESSAGE from h[1.2.3.4]: 5.7.1 Spam; from=<s@t> to=<r@u> proto=ESMTP helo=<h>").unwrap();
        assert_eq!((b.code, b.enhanced), (None, e("5.7.1")));
        let b = parse(b"NOQUEUE: reject: CONNECT from h[1.2.3.4]: 421 4.7.0 too many; proto=SMTP")
            .unwrap();
        assert_eq!((b.code, b.recipient), (Some(421), &b""[..]));
    }

    #[test]
    fn a_status_position_from_the_prefilter_never_changes_the_result() {
        let m = &b"4F9D: to=<status=x@b.org>, relay=mx, dsn=5.1.1, status=bounced (550 5.1.1 no, status=sent)"[..];
        let truth = parse(m).unwrap();
        assert_eq!((truth.code, truth.outcome), (Some(550), Outcome::Bounced));
        let right = memchr::memmem::find(&m[15..], b", status=").unwrap() + 15 + 2;
        // The first `status=` is inside the address: the parser searches on from there.
        // Positions that point at no `, status=` at all are ignored.
        for hint in [0, 10, right, right + 1, m.len() - 1, m.len(), m.len() + 50] {
            assert_eq!(parse_at(m, Some(hint)), Some(truth), "hint {hint}");
        }
    }

    #[test]
    fn status_word_dsn_and_text_off_the_usual_shape() {
        // A status word in capitals, a dsn with a three-digit detail, and a text whose `)` is
        // not the last byte: each leaves the quick path and gives the same reading.
        let b = parse(b"ABC: to=<a@b>, relay=x, dsn=5.7.510, status=BOUNCED (550 5.7.510 no (really)) trailing").unwrap();
        assert_eq!(b.outcome, Outcome::Bounced);
        assert_eq!(b.enhanced, e("5.7.510"));
        assert_eq!(b.text, b"550 5.7.510 no (really)");
        let b = parse(b"ABC: to=<a@b>, relay=x, dsn=4.4.1, status=deferred").unwrap();
        assert_eq!(
            (b.outcome, b.enhanced, b.text),
            (Outcome::Deferred, e("4.4.1"), &b""[..])
        );
        assert!(parse(b"ABC: to=<a@b>, relay=x, dsn=2.0.0, status=sentx (250 ok)").is_none());
        let b = parse(b"ABC: to=<a@b>, relay=x, dsn=2.0.0, status=sent (250 ok").unwrap();
        assert_eq!((b.code, b.text), (Some(250), &b"250 ok"[..]));
    }

    #[test]
    fn relays_and_queue_ids() {
        // (message, relay, queue id); real lines from the corpus (lightmeter, proxmox,
        // postfix-logwatch) and the shapes Postfix writes.
        let cases: [(&[u8], &[u8], &[u8]); 11] = [
            (b"4F9D: to=<a@b>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)", b"mx.example.org", b"4F9D"),
            (b"4F9D: to=<a@b>, orig_to=<c@d>, relay=alt2.aspmx.l.google.com[3.155.237.60]:25, delay=1, dsn=4.2.2, status=deferred (x)", b"alt2.aspmx.l.google.com", b"4F9D"),
            (b"ABC: to=<root@x>, orig_to=<root>, relay=local, delay=0, dsn=2.0.0, status=sent (delivered to mailbox)", b"local", b"ABC"),
            (b"ABC: to=<a@b>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx[1.2.3.4]:25: Connection refused)", b"none", b"ABC"),
            (b"ABC: to=<a@b>, relay=dovecot, delay=0.1, dsn=2.0.0, status=sent (delivered via dovecot service)", b"dovecot", b"ABC"),
            (b"2F8AB: to=<root@localhost>, relay=mail.localhost[private/dovecot-lmtp], delay=0.1, dsn=5.1.1, status=bounced (host mail.localhost[private/dovecot-lmtp] said: 550 5.1.1 no)", b"private/dovecot-lmtp", b"2F8AB"),
            (b"ABC: to=<a@b>, relay=unknown[192.0.2.9]:25, dsn=4.0.0, status=deferred (x)", b"192.0.2.9", b"ABC"),
            (b"NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.2.0 <a@b>: Greylisted; from=<s@t> to=<a@b> proto=ESMTP helo=<x>", b"1.2.3.4", b""),
            (b"NOQUEUE: reject: RCPT from mail.example.net[2001:db8::1]: 554 5.7.1 no; from=<s@t> to=<a@b> proto=ESMTP helo=<x>", b"mail.example.net", b""),
            (b"8B7: reject: header Subject: from x[9.9.9.9] from h.example[1.2.3.4]; from=<s@t> to=<r@u> proto=ESMTP helo=<h>: 5.7.1 no", b"h.example", b"8B7"),
            (b"proxy-reject: END-OF-MESSAGE: 554 5.7.1 Rejected", b"", b""),
        ];
        for (m, relay, qid) in cases {
            let b = parse(m).unwrap();
            assert_eq!(
                (b.relay, b.queue_id),
                (relay, qid),
                "{}",
                String::from_utf8_lossy(m)
            );
        }
    }

    #[test]
    fn not_events() {
        for m in [
            &b"ABC: from=<a@b>, size=123, nrcpt=1 (queue active)"[..],
            b"ABC: removed",
            b"NOQUEUE: reject_warning: RCPT from x[1.2.3.4]: 450 4.1.8 <a@b>: Sender address rejected",
            b"warning: hostname 550-bad.example does not resolve to address 1.2.3.4",
            b"ABC: from=<>, status=expired, returned to sender",
            b"connect from unknown[1.2.3.4]",
        ] {
            assert!(parse(m).is_none(), "{}", String::from_utf8_lossy(m));
        }
    }
}
