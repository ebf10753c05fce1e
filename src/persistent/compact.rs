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
//! or `-`; the reply id is `-` when there is none. Bytes below 0x21, from 0x7f up and `%`
//! are written as `%XX`, so the text is ASCII; a NUL in a reply stands for the recipient's own address.
//!
//! The text is the same for the same evidence, whatever order the tracker learnt it in (one
//! thread or several, chunks merged in any order): recipients come shard by shard, in each
//! shard sorted by their hash and then their bytes, and replies are numbered in the order the
//! text first uses them, not as the tracker happened to intern them. `merge.jsonl` holds
//! this text, and two runs over the same logs write it byte for byte alike.

use super::{Evidence, Open, Tracker, DISABLED, FULL, GREY};
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

// Writing to a `Vec` cannot fail: the results of `write!` below are ignored.

fn escape(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        if !(0x21..0x7f).contains(&b) || b == b'%' {
            let _ = write!(out, "%{b:02X}");
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
    let _ = match s {
        None => write!(out, "-"),
        Some(s) => match s.offset() {
            Some(o) => write!(out, "{}@{o}", s.local()),
            None => write!(out, "{}", s.local()),
        },
    };
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
    /// Writes the evidence of every deferred recipient that `keep` accepts, in the order the
    /// module documentation gives; returns how many recipients were written. Memory: a copy
    /// of one shard's entries (32 bytes a recipient of it: the table is read in its own
    /// order, which costs less than reading it in sorted order), a number per stored reply
    /// of the shard, and the replies written so far (each shard stores its own replies, so
    /// a reply shared across shards is numbered by its text, once).
    pub fn write_evidence(
        &self,
        w: &mut impl Write,
        keep: impl Fn(&Evidence) -> bool,
    ) -> io::Result<u64> {
        let mut written: HashMap<&str, u32> = HashMap::new();
        // The number each stored reply of the shard has in the text, once written.
        let mut numbers: Vec<u32> = Vec::new();
        let (mut n, mut line) = (0, Vec::new());
        let most = self.shards.iter().map(|s| s.open.len()).max().unwrap_or(0);
        let mut order: Vec<Open> = Vec::with_capacity(most);
        for s in &self.shards {
            numbers.clear();
            numbers.resize(s.replies.len(), u32::MAX);
            order.clear();
            order.extend(s.open.iter().copied());
            order.sort_unstable_by(|a, b| {
                (a.hash.cmp(&b.hash)).then_with(|| a.text(&s.keys).cmp(b.text(&s.keys)))
            });
            for o in &order {
                let e = self.evidence_of(s, o);
                if !keep(&e) {
                    continue;
                }
                line.clear();
                let reply = (o.mailbox as usize)
                    .checked_sub(1)
                    .and_then(|i| s.mailboxes.get(i))
                    .map(|m| m.reply as usize)
                    .filter(|r| *r < numbers.len());
                let number = reply.map(|r| {
                    if numbers[r] == u32::MAX {
                        let text = s.replies.get(r as u32);
                        let next = written.len() as u32;
                        numbers[r] = *written.entry(text).or_insert_with(|| {
                            reply_line(&mut line, next, text);
                            next
                        });
                    }
                    numbers[r]
                });
                evidence_line(&mut line, o.text(&s.keys), &e, o, number);
                w.write_all(&line)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Adds the evidence that [`Tracker::write_evidence`] wrote, a line at a time; returns
    /// how many recipients were read.
    pub fn read_evidence(&mut self, r: impl BufRead) -> Result<u64, EvidenceError> {
        let mut reader = EvidenceReader::default();
        let mut n = 0;
        for (i, line) in r.split(b'\n').enumerate() {
            n += u64::from(reader.line(self, i as u64 + 1, &line?)?);
        }
        Ok(n)
    }
}

/// Appends the `r` line of a reply, numbered `number`.
fn reply_line(line: &mut Vec<u8>, number: u32, reply: &str) {
    let _ = write!(line, "r\t{number}\t");
    escape(line, reply.as_bytes());
    line.push(b'\n');
}

/// Appends the `e` line of a recipient (`key`, its evidence `e`, its entry `o`).
fn evidence_line(line: &mut Vec<u8>, key: &[u8], e: &Evidence, o: &Open, reply: Option<u32>) {
    line.extend_from_slice(b"e\t");
    escape(line, key);
    let _ = write!(line, "\t{}\t", e.attempts);
    for t in [
        e.first_deferral,
        e.first_mailbox,
        e.last_mailbox,
        e.last_success,
    ] {
        stamp(line, t);
        line.push(b'\t');
    }
    let flags = [(GREY, b'G'), (FULL, b'F'), (DISABLED, b'D')];
    line.extend(flags.iter().filter(|(f, _)| o.has(*f)).map(|(_, c)| c));
    if !(o.has(GREY) || o.has(FULL) || o.has(DISABLED)) {
        line.push(b'-');
    }
    match reply {
        Some(r) => {
            let _ = writeln!(line, "\t{r}");
        }
        None => line.extend_from_slice(b"\t-\n"),
    }
}

/// Reads the lines of [`Tracker::write_evidence`] one at a time, remembering the replies
/// they name, for a reader that meets them among other lines (`merge.jsonl`).
#[derive(Debug, Default)]
pub struct EvidenceReader {
    replies: HashMap<u32, String>,
}

impl EvidenceReader {
    /// Adds one line (without its `\n`) to `t`; `number` names it in errors. Returns
    /// whether it was a recipient (an `e` line); an empty line is skipped.
    pub fn line(
        &mut self,
        t: &mut Tracker,
        number: u64,
        line: &[u8],
    ) -> Result<bool, EvidenceError> {
        let bad = |what| EvidenceError::Bad { line: number, what };
        let mut fields = [&b""[..]; 10];
        let mut count = 0;
        for f in line.split(|b| *b == b'\t') {
            if count == fields.len() {
                return Err(bad("unknown record"));
            }
            fields[count] = f;
            count += 1;
        }
        match fields[..count] {
            [b"r", id, reply] => {
                let id = text(id).and_then(|s| s.parse().ok());
                let reply = unescape(reply).and_then(|t| String::from_utf8(t).ok());
                self.replies.insert(
                    id.ok_or(bad("bad reply id"))?,
                    reply.ok_or(bad("bad reply"))?,
                );
                Ok(false)
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
                    let stored = self.replies.get(&id).ok_or(bad("unknown reply id"))?;
                    super::reply_into(&mut e.last_reply, stored, &key);
                }
                t.insert(&key, &e);
                Ok(true)
            }
            [b""] => Ok(false),
            _ => Err(bad("unknown record")),
        }
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
