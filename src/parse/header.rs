//! The part of a log line before the message: timestamp, host and program tag.
//!
//! Recognised: classic syslog (`Nov 28 06:25:13`, space- or zero-padded day), RFC 3339 and
//! journald `short-iso` stamps before a syslog host and tag, RFC 5424 (`<22>1 …`), Exim's
//! native `2026-11-28 06:25:13[.mmm][ +0100][ [pid]]`, Solaris `[ID n facility.level]`
//! tags, and syslog's `last message repeated N times`.

use crate::time::{day_start, Stamp};

/// A timestamp as parsed: complete, or (classic syslog) without its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawTime {
    Full(Stamp),
    NoYear { month: u32, day: u32, sod: u32 },
}

/// Who wrote the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program<'a> {
    /// A syslog program tag without its `[pid]`: `postfix/smtp`, `exim4`.
    Tag(&'a [u8]),
    /// Exim writing its own mainlog.
    EximNative,
    /// `last message repeated N times`.
    Repeat(u32),
}

/// A parsed line header and the message after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub time: RawTime,
    pub program: Program<'a>,
    /// The syslog host field; empty for Exim's own mainlog.
    pub host: &'a [u8],
    pub msg: &'a [u8],
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let d = s.get(at..at + n)?;
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0u32, |a, b| a * 10 + u32::from(b - b'0')))
}

/// `HH:MM:SS` at `at`: seconds of day.
fn clock(s: &[u8], at: usize) -> Option<u32> {
    if s.get(at + 2) != Some(&b':') || s.get(at + 5) != Some(&b':') {
        return None;
    }
    let (h, m, sec) = (
        digits(s, at, 2)?,
        digits(s, at + 3, 2)?,
        digits(s, at + 6, 2)?,
    );
    (h < 24 && m < 60 && sec <= 60).then_some(h * 3600 + m * 60 + sec.min(59))
}

/// `YYYY-MM-DD` at the start: (year, month, day).
fn iso_date(s: &[u8]) -> Option<(i64, u32, u32)> {
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    Some((
        i64::from(digits(s, 0, 4)?),
        digits(s, 5, 2)?,
        digits(s, 8, 2)?,
    ))
}

/// `sod` comes from [`clock`], which has checked it (and folded a leap second).
fn stamp(date: (i64, u32, u32), sod: u32, offset: Option<i16>) -> Option<Stamp> {
    let local = day_start(date.0, date.1, date.2)? + i64::from(sod);
    Some(match offset {
        Some(o) => Stamp::with_offset(local, o),
        None => Stamp::naive(local),
    })
}

/// A UTC offset at the start of `s`: `Z`, `+01:00`, `+0100` or `+01`. Returns minutes and
/// the length taken.
fn offset(s: &[u8]) -> Option<(i16, usize)> {
    let sign: i16 = match s.first()? {
        b'Z' | b'z' => return Some((0, 1)),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = digits(s, 1, 2)? as i16;
    let (m, n) = if s.get(3) == Some(&b':') {
        (digits(s, 4, 2)? as i16, 6)
    } else if let Some(m) = digits(s, 3, 2) {
        (m as i16, 5)
    } else {
        (0, 3)
    };
    (h <= 23 && m < 60).then_some((sign * (h * 60 + m), n))
}

/// An RFC 3339 date-time at the start (`2026-11-28T06:25:13.123+01:00`, journald's
/// `+0100`, or no zone). Returns the stamp and the length taken.
fn rfc3339(s: &[u8]) -> Option<(Stamp, usize)> {
    let date = iso_date(s)?;
    if !matches!(s.get(10), Some(b'T' | b't')) {
        return None;
    }
    let sod = clock(s, 11)?;
    let mut i = 19;
    if s.get(i) == Some(&b'.') || s.get(i) == Some(&b',') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let off = match offset(&s[i.min(s.len())..]) {
        Some((o, n)) => {
            i += n;
            Some(o)
        }
        None => None,
    };
    Some((stamp(date, sod, off)?, i))
}

/// Exim's own timestamp at the start: `2026-11-28 06:25:13[.mmm][ +0100][ [pid]] `.
/// Returns the stamp and the rest after it.
pub fn exim_stamp(s: &[u8]) -> Option<(Stamp, &[u8])> {
    let date = iso_date(s)?;
    if s.get(10) != Some(&b' ') {
        return None;
    }
    let sod = clock(s, 11)?;
    let mut i = 19;
    if s.get(i) == Some(&b'.') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let mut off = None;
    if s.get(i) == Some(&b' ') && matches!(s.get(i + 1), Some(b'+' | b'-')) {
        if let Some((o, n)) = offset(&s[i + 1..]) {
            if n == 5 {
                off = Some(o);
                i += 1 + n;
            }
        }
    }
    let mut rest = s.get(i..).unwrap_or(&[]);
    rest = rest.strip_prefix(b" ").unwrap_or(rest);
    if rest.first() == Some(&b'[') {
        if let Some(end) = rest.iter().position(|b| *b == b']') {
            if end > 1 && rest[1..end].iter().all(u8::is_ascii_digit) {
                rest = &rest[end + 1..];
                rest = rest.strip_prefix(b" ").unwrap_or(rest);
            }
        }
    }
    Some((stamp(date, sod, off)?, rest))
}

/// Splits off one space-delimited token (leading spaces skipped).
fn token(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let s = crate::parse::reply::trim_start(s);
    if s.is_empty() {
        return None;
    }
    let end = memchr::memchr(b' ', s).unwrap_or(s.len());
    Some((&s[..end], s.get(end + 1..).unwrap_or(&[])))
}

/// Parses an optional repeat note: `last message repeated N times`.
fn repeat(s: &[u8]) -> Option<u32> {
    let rest = s.strip_prefix(b"last message repeated ")?;
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 9 || !rest[n..].starts_with(b" time") {
        return None;
    }
    std::str::from_utf8(&rest[..n]).ok()?.parse().ok()
}

/// After a syslog timestamp: `host tag[pid]: message`. Returns the program, the host and
/// the message. (Always inlined into the parser: [`crate::parse::line_time`], its second
/// caller, must not turn it into a call on the hot path.)
#[inline(always)]
fn syslog_rest(s: &[u8]) -> Option<(Program<'_>, &[u8], &[u8])> {
    let (host, rest) = token(s)?;
    if rest.first() == Some(&b'l') {
        if let Some(n) = repeat(rest) {
            return Some((Program::Repeat(n), host, &[]));
        }
    }
    // The tag runs to the first `:` (a space first means there is no tag); its name ends
    // at the `[` of the pid. (memchr rather than a loop over the bytes: a three-way branch
    // per byte costs more than the search on these short stretches.)
    let end = memchr::memchr2(b':', b' ', rest)?;
    if rest[end] != b':' || end == 0 {
        return None;
    }
    let name_end = memchr::memchr(b'[', &rest[..end]);
    let name = &rest[..name_end.unwrap_or(end)];
    let mut msg = rest.get(end + 1..).unwrap_or(&[]);
    msg = msg.strip_prefix(b" ").unwrap_or(msg);
    if msg.starts_with(b"[ID ") {
        if let Some(close) = memchr::memchr(b']', msg) {
            msg = &msg[close + 1..];
            msg = msg.strip_prefix(b" ").unwrap_or(msg);
        }
    }
    Some((Program::Tag(name), host, msg))
}

/// RFC 5424 after `<PRI>1 `: `TIMESTAMP HOST APP PROCID MSGID SD MSG`.
fn rfc5424(s: &[u8]) -> Option<Header<'_>> {
    let (ts, rest) = token(s)?;
    let (st, n) = rfc3339(ts)?;
    if n != ts.len() {
        return None;
    }
    let (host, rest) = token(rest)?;
    let (app, rest) = token(rest)?;
    let (_procid, rest) = token(rest)?;
    let (_msgid, rest) = token(rest)?;
    let rest = crate::parse::reply::trim_start(rest);
    let msg = if rest.first() == Some(&b'-') {
        &rest[1..]
    } else if rest.first() == Some(&b'[') {
        skip_structured_data(rest)?
    } else {
        return None;
    };
    let msg = msg.strip_prefix(b" ").unwrap_or(msg);
    let msg = msg.strip_prefix("\u{feff}".as_bytes()).unwrap_or(msg);
    // RFC 5424 writes `-` for a field it has no value for.
    let host = if host == b"-" { &[][..] } else { host };
    Some(Header {
        time: RawTime::Full(st),
        program: Program::Tag(app),
        host,
        msg,
    })
}

/// Skips `[id k="v"]...` elements, honouring quoted values with `\"` escapes.
fn skip_structured_data(mut s: &[u8]) -> Option<&[u8]> {
    while s.first() == Some(&b'[') {
        let mut i = 1;
        let mut quoted = false;
        loop {
            match *s.get(i)? {
                b'\\' if quoted => i += 1,
                b'"' => quoted = !quoted,
                b']' if !quoted => break,
                _ => {}
            }
            i += 1;
        }
        s = &s[i + 1..];
    }
    Some(s)
}

/// Parses the header of one line. `None` when the line has no recognisable header.
pub fn parse_header(line: &[u8]) -> Option<Header<'_>> {
    let mut s = line;
    if s.first() == Some(&b'<') {
        let close = s.iter().take(5).position(|b| *b == b'>')?;
        if close < 2 || !s[1..close].iter().all(u8::is_ascii_digit) {
            return None;
        }
        s = &s[close + 1..];
        if let Some(r) = s.strip_prefix(b"1 ") {
            return rfc5424(r);
        }
    }
    match s.first()? {
        // RFC 3339 has a `T` where Exim's own stamp has a space: look there first rather
        // than read the date twice.
        b'0'..=b'9' if matches!(s.get(10), Some(b'T' | b't')) => {
            let (st, n) = rfc3339(s)?;
            if s.get(n) != Some(&b' ') {
                return None;
            }
            let (source, host, msg) = syslog_rest(&s[n + 1..])?;
            Some(Header {
                time: RawTime::Full(st),
                program: source,
                host,
                msg,
            })
        }
        b'0'..=b'9' => {
            let (st, msg) = exim_stamp(s)?;
            Some(Header {
                time: RawTime::Full(st),
                program: Program::EximNative,
                host: &[],
                msg,
            })
        }
        _ => {
            let mon = s.get(..3)?;
            let month = MONTHS.iter().position(|m| m.as_slice() == mon)? as u32 + 1;
            if s.get(3) != Some(&b' ') {
                return None;
            }
            // The day: space-padded (` 8`), zero-padded (`08`) or, from some writers, bare (`8`).
            let (day, at) = match (s.get(4)?, s.get(5)?) {
                (b' ', d) if d.is_ascii_digit() => (u32::from(d - b'0'), 6),
                (d, b' ') if d.is_ascii_digit() => (u32::from(d - b'0'), 5),
                _ => (digits(s, 4, 2)?, 6),
            };
            if s.get(at) != Some(&b' ') || day == 0 || day > 31 {
                return None;
            }
            let sod = clock(s, at + 1)?;
            if s.get(at + 9) != Some(&b' ') {
                return None;
            }
            let (source, host, msg) = syslog_rest(&s[at + 10..])?;
            Some(Header {
                time: RawTime::NoYear { month, day, sod },
                program: source,
                host,
                msg,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(h: &Header) -> String {
        match h.time {
            RawTime::Full(s) => s.to_string(),
            RawTime::NoYear { month, day, sod } => format!("{month}/{day} {sod}"),
        }
    }

    #[test]
    fn classic_syslog() {
        let h = parse_header(b"Nov  8 06:25:13 mx postfix/smtp[123]: ABC: to=<a@b>").unwrap();
        assert_eq!(
            h.time,
            RawTime::NoYear {
                month: 11,
                day: 8,
                sod: 6 * 3600 + 25 * 60 + 13
            }
        );
        assert_eq!(h.program, Program::Tag(b"postfix/smtp"));
        assert_eq!((h.host, h.msg), (&b"mx"[..], &b"ABC: to=<a@b>"[..]));
        let h = parse_header(b"Nov 01 06:25:13 mx postfix/smtp[1]: x").unwrap();
        assert_eq!(full(&h), "11/1 23113");
        let h = parse_header(b"Mar 7 02:09:33 mx postfix/smtpd[1]: x").unwrap();
        assert_eq!((full(&h).as_str(), h.msg), ("3/7 7773", &b"x"[..]));
    }

    #[test]
    fn iso_forms() {
        let h = parse_header(b"2026-11-28T06:25:13.123456+01:00 mx postfix/smtpd[9]: hi").unwrap();
        assert_eq!(full(&h), "2026-11-28T06:25:13+01:00");
        assert_eq!(h.host, b"mx");
        let h = parse_header(b"2026-11-28T06:25:13+0100 mx postfix/smtpd[9]: hi").unwrap();
        assert_eq!(full(&h), "2026-11-28T06:25:13+01:00");
        let h =
            parse_header(b"<22>1 2026-11-28T06:25:13Z mx postfix/smtp 123 - - hi there").unwrap();
        assert_eq!(full(&h), "2026-11-28T06:25:13+00:00");
        assert_eq!(h.program, Program::Tag(b"postfix/smtp"));
        assert_eq!((h.host, h.msg), (&b"mx"[..], &b"hi there"[..]));
        let h =
            parse_header(b"<22>1 2026-11-28T06:25:13Z - app 1 ID [a x=\"]\" y=\"\\\"\"][b] msg")
                .unwrap();
        assert_eq!((h.host, h.msg), (&b""[..], &b"msg"[..]));
    }

    #[test]
    fn exim_native() {
        let h = parse_header(b"2026-11-28 06:25:13.123 +0100 [4242] 1abc => x@y").unwrap();
        assert_eq!(full(&h), "2026-11-28T06:25:13+01:00");
        assert_eq!(h.program, Program::EximNative);
        assert_eq!((h.host, h.msg), (&b""[..], &b"1abc => x@y"[..]));
    }

    #[test]
    fn solaris_and_repeat() {
        let h =
            parse_header(b"Nov 28 06:25:13 mx postfix/smtp[1]: [ID 197553 mail.info] Q: to=<a@b>")
                .unwrap();
        assert_eq!(h.msg, b"Q: to=<a@b>");
        let h = parse_header(b"Nov 28 06:25:13 mx last message repeated 4 times").unwrap();
        assert_eq!(h.program, Program::Repeat(4));
    }

    #[test]
    fn garbage() {
        for l in [
            &b""[..],
            b"Nov",
            b"Nov 99 00:00:00 x y: z",
            b"<999999>",
            b"2026-13-01 00:00:00 x",
            b"\xff\xfe",
        ] {
            assert!(
                parse_header(l).is_none(),
                "{:?}",
                String::from_utf8_lossy(l)
            );
        }
    }
}
