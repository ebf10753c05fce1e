//! The tracker's open evidence as compact text, one line per recipient, for state files:
//! a greylisted recipient takes its address plus 26 bytes, and a reply text shared by
//! many recipients is written once and named by a number.
//!
//! ```text
//! r <TAB> ID <TAB> REPLY                       (before the first line that uses it)
//! e <TAB> RECIPIENT <TAB> ATTEMPTS <TAB> FIRST_DEFERRAL <TAB> FIRST_MAILBOX <TAB> LAST_MAILBOX
//!   <TAB> LAST_SUCCESS <TAB> FLAGS <TAB> REPLY_ID
//! ```
//!
//! Times are `LOCAL` or `LOCAL@OFFSET` (seconds, minutes), or `-`; flags are `F`, `D`, `G`
//! or `-`; the reply id is `-` when there is none. Bytes below 0x21, 0x7f and `%` are
//! written as `%XX`; a NUL in a reply stands for the recipient's own address.

use super::{Evidence, Tracker, DISABLED, FULL, GREY};
use crate::time::Stamp;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, Write};

/// A compact evidence text that could not be read.
#[derive(Debug)]
pub enum EvidenceError {
    Io(io::Error),
    /// Line `line` (from 1) is not what [`Tracker::write_evidence`] writes.
    Bad {
        line: u64,
        what: &'static str,
    },
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvidenceError::Io(e) => write!(f, "{e}"),
            EvidenceError::Bad { line, what } => write!(f, "line {line}: {what}"),
        }
    }
}

impl std::error::Error for EvidenceError {}

impl From<io::Error> for EvidenceError {
    fn from(e: io::Error) -> Self {
        EvidenceError::Io(e)
    }
}

fn escape(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        if b < 0x21 || b == 0x7f || b == b'%' {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn unescape(field: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'%' {
            let hex = std::str::from_utf8(field.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    Some(out)
}

fn stamp(out: &mut Vec<u8>, s: Option<Stamp>) {
    let text = match s {
        None => "-".to_string(),
        Some(s) => match s.offset() {
            Some(o) => format!("{}@{o}", s.local()),
            None => s.local().to_string(),
        },
    };
    out.extend_from_slice(text.as_bytes());
}

/// A field as text.
fn text(field: &[u8]) -> Option<&str> {
    std::str::from_utf8(field).ok()
}

fn parse_stamp(field: &str) -> Option<Option<Stamp>> {
    if field == "-" {
        return Some(None);
    }
    Some(Some(match field.split_once('@') {
        Some((local, off)) => Stamp::with_offset(local.parse().ok()?, off.parse().ok()?),
        None => Stamp::naive(field.parse().ok()?),
    }))
}

impl Tracker {
    /// Writes the evidence of every deferred recipient that `keep` accepts; returns how many
    /// recipients were written.
    pub fn write_evidence(
        &self,
        w: &mut impl Write,
        keep: impl Fn(&Evidence) -> bool,
    ) -> io::Result<u64> {
        let mut written_replies = vec![false; self.replies.len()];
        let (mut n, mut line) = (0, Vec::new());
        for s in &self.shards {
            for o in &s.open {
                let e = self.evidence_of(s, o);
                if !keep(&e) {
                    continue;
                }
                line.clear();
                let m = (o.mailbox as usize)
                    .checked_sub(1)
                    .and_then(|i| s.mailboxes.get(i));
                let reply = m
                    .map(|m| m.reply)
                    .filter(|r| (*r as usize) < written_replies.len());
                if let Some(r) = reply.filter(|r| !written_replies[*r as usize]) {
                    written_replies[r as usize] = true;
                    line.extend_from_slice(format!("r\t{r}\t").as_bytes());
                    escape(&mut line, self.replies.get(r).as_bytes());
                    line.push(b'\n');
                }
                line.extend_from_slice(b"e\t");
                escape(&mut line, o.text(&s.keys));
                line.extend_from_slice(format!("\t{}\t", e.attempts).as_bytes());
                for t in [
                    e.first_deferral,
                    e.first_mailbox,
                    e.last_mailbox,
                    e.last_success,
                ] {
                    stamp(&mut line, t);
                    line.push(b'\t');
                }
                let flags = [(GREY, b'G'), (FULL, b'F'), (DISABLED, b'D')];
                line.extend(flags.iter().filter(|(f, _)| o.has(*f)).map(|(_, c)| c));
                if !(o.has(GREY) || o.has(FULL) || o.has(DISABLED)) {
                    line.push(b'-');
                }
                match reply {
                    Some(r) => line.extend_from_slice(format!("\t{r}\n").as_bytes()),
                    None => line.extend_from_slice(b"\t-\n"),
                }
                w.write_all(&line)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Adds the evidence that [`Tracker::write_evidence`] wrote, a line at a time; returns
    /// how many recipients were read.
    pub fn read_evidence(&mut self, r: impl BufRead) -> Result<u64, EvidenceError> {
        let mut replies: HashMap<u32, String> = HashMap::new();
        let mut n = 0;
        for (i, line) in r.split(b'\n').enumerate() {
            let line = line?;
            let bad = |what| EvidenceError::Bad {
                line: i as u64 + 1,
                what,
            };
            let fields: Vec<&[u8]> = line.split(|b| *b == b'\t').collect();
            match fields[..] {
                [b"r", id, reply] => {
                    let id = text(id).and_then(|s| s.parse().ok());
                    let reply = unescape(reply).and_then(|t| String::from_utf8(t).ok());
                    replies.insert(
                        id.ok_or(bad("bad reply id"))?,
                        reply.ok_or(bad("bad reply"))?,
                    );
                }
                [b"e", key, attempts, fd, fm, lm, ls, flags, reply] => {
                    let key = unescape(key).ok_or(bad("bad recipient"))?;
                    let time = |f: &[u8]| text(f).and_then(parse_stamp).ok_or(bad("bad time"));
                    let flags = text(flags).ok_or(bad("bad flags"))?;
                    let attempts = text(attempts).and_then(|a| a.parse().ok());
                    let mut e = Evidence {
                        attempts: attempts.ok_or(bad("bad number"))?,
                        first_deferral: time(fd)?,
                        first_mailbox: time(fm)?,
                        last_mailbox: time(lm)?,
                        last_success: time(ls)?,
                        saw_greylisting: flags.contains('G'),
                        saw_full: flags.contains('F'),
                        saw_disabled: flags.contains('D'),
                        last_reply: String::new(),
                    };
                    if reply != b"-" {
                        let id: u32 = text(reply)
                            .and_then(|r| r.parse().ok())
                            .ok_or(bad("bad reply id"))?;
                        let stored = replies.get(&id).ok_or(bad("unknown reply id"))?;
                        super::reply_into(&mut e.last_reply, stored, &key);
                    }
                    self.insert(&key, &e);
                    n += 1;
                }
                [b""] => {}
                _ => return Err(bad("unknown record")),
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ev, mixed_events, sorted_evidence};
    use super::*;

    #[test]
    fn evidence_round_trips_compactly() {
        let mut t = Tracker::default();
        mixed_events().iter().for_each(|e| t.add(e, 1));
        let odd = "450 4.2.0 %tab\there\u{e9} <\u{e9}%@x>";
        t.add(&ev(3, 450, (4, 2, 0), "\u{e9}%@x", odd), 1);
        let mut out = Vec::new();
        let n = t.write_evidence(&mut out, |_| true).unwrap();
        assert_eq!(n, 6);
        let mut back = Tracker::default();
        assert_eq!(back.read_evidence(&out[..]).unwrap(), 6);
        assert_eq!(sorted_evidence(&back), sorted_evidence(&t));
        // A greylisted recipient costs its address and 26 bytes.
        let mut grey = Tracker::default();
        grey.add(
            &ev(0, 450, (4, 2, 0), "someone@example.org", "450 Greylisted"),
            1,
        );
        let mut line = Vec::new();
        grey.write_evidence(&mut line, |_| true).unwrap();
        assert_eq!(line.len(), "someone@example.org".len() + 26, "{line:?}");
    }

    #[test]
    fn damaged_evidence_is_an_error() {
        for (text, what) in [
            (&b"x\t1\n"[..], "unknown record"),
            (b"e\ta@x\tn\t-\t-\t-\t-\t-\t-\n", "bad number"),
            (b"e\ta@x\t1\t1@x\t-\t-\t-\t-\t-\n", "bad time"),
            (b"e\ta@x\t1\t1\t1\t1\t-\tF\t7\n", "unknown reply id"),
            (b"e\ta%zz\t1\t1\t1\t1\t-\tF\t-\n", "bad recipient"),
        ] {
            let e = Tracker::default().read_evidence(text).unwrap_err();
            assert_eq!(e.to_string(), format!("line 1: {what}"), "{text:?}");
        }
    }
}
