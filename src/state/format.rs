//! The state file on disk: a small tab-separated text file, so an admin can read it.
//!
//! ```text
//! mailcodes-state TAB 3
//! generation TAB N
//! input TAB HEX(PATH) TAB DEV TAB INO TAB SIZE TAB OFFSET TAB FP_LEN TAB FP_HASH TAB ROTATED
//! r TAB ID TAB REPLY
//! e TAB RCPT TAB ATTEMPTS TAB FIRST_DEFERRAL TAB FIRST_MAILBOX TAB LAST_MAILBOX TAB
//!     LAST_SUCCESS TAB FLAGS TAB REPLY_ID
//! end TAB RECORDS TAB CHECKSUM
//! ```
//!
//! The `r` and `e` lines are the tracker's compact evidence text
//! ([`crate::persistent::Tracker::write_evidence`], the text merge.jsonl holds too): an
//! address escaped rather than in hex, a reply shared by many recipients written once. A
//! greylisted recipient costs its address and about 26 bytes (version 3 wrote each address
//! and reply in hex: 147 bytes a recipient on the benchmark logs). Version 3's `evidence`
//! lines are still read.
//!
//! The `end` line closes the file: it counts the records and holds a hash (FNV-1a, 64 bits) of
//! every byte before it, so a file cut anywhere (even back to its first line) or changed by
//! hand is found damaged instead of silently read as "nothing read yet". Version 1 files
//! (mailcodes before the end line) are still read, without that check.
//!
//! `generation` (version 3) counts the saves: each run that commits writes one more than it
//! read, so a run can tell whether the day folders it finds were left by a run that started
//! from this very state and never committed (see [`crate::days::folders`]). Version 1 and
//! 2 files are generation 0.

use super::rotation::{FileState, Fingerprint, Rotated};
use super::{Error, State};
use crate::persistent::{Evidence, Tracker};
use crate::time::Stamp;
use std::path::Path;

/// The state file format this version writes.
pub const VERSION: u32 = 4;
const MAGIC: &str = "mailcodes-state";

/// FNV-1a over `bytes`: the fingerprint hash and the state checksum.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A time as version 3 wrote it (read by [`parse_stamp`]).
#[cfg(test)]
fn stamp_field(s: Option<Stamp>) -> String {
    match s {
        None => "-".into(),
        Some(s) => match s.offset() {
            Some(o) => format!("{}{:+}", s.local(), o),
            None => format!("{}", s.local()),
        },
    }
}

fn parse_stamp(f: &str) -> Option<Option<Stamp>> {
    if f == "-" {
        return Some(None);
    }
    // `local` or `local+offset` / `local-offset` (offset in minutes).
    let body = f.strip_prefix('-').unwrap_or(f);
    let neg = f.len() != body.len();
    match body.find(['+', '-']) {
        Some(i) => {
            let local: i64 = body[..i].parse().ok()?;
            let off: i16 = body[i..].parse().ok()?;
            Some(Some(Stamp::with_offset(
                if neg { -local } else { local },
                off,
            )))
        }
        None => {
            let local: i64 = body.parse().ok()?;
            Some(Some(Stamp::naive(if neg { -local } else { local })))
        }
    }
}

/// The state as the text of a state file, `end` line included.
pub(crate) fn render(state: &State) -> String {
    let mut out = format!("{MAGIC}\t{VERSION}\ngeneration\t{}\n", state.generation);
    for (name, f) in &state.files {
        out.push_str(&format!(
            "input\t{}\t{}\t{}\t{}\t{}\t{}\t{:016x}\t{}\n",
            hex(name.as_bytes()),
            f.dev,
            f.ino,
            f.size,
            f.offset,
            f.fingerprint.len,
            f.fingerprint.hash,
            rotated_field(f.rotated),
        ));
    }
    // ASCII by construction (the evidence text escapes every other byte).
    out.push_str(&String::from_utf8_lossy(&state.evidence));
    let lines = state
        .evidence
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty());
    let records = state.files.len() + lines.count();
    let sum = fnv1a(out.as_bytes());
    out.push_str(&format!("end\t{records}\t{sum:016x}\n"));
    out
}

/// Parses the bytes of the state file at `path` (named in errors).
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<State, Error> {
    let bad = |line: usize, what: &str| Error::Damaged {
        path: path.to_path_buf(),
        line,
        what: what.to_string(),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad(1, "not UTF-8 text"))?;
    let first = text.split('\n').next().unwrap_or("");
    let version = match first.split('\t').collect::<Vec<_>>().as_slice() {
        [MAGIC, "1"] => 1,
        [MAGIC, "2"] => 2,
        [MAGIC, "3"] => 3,
        [MAGIC, v] if *v == VERSION.to_string() => VERSION,
        [MAGIC, v] => {
            return Err(Error::Version {
                path: path.to_path_buf(),
                found: v.to_string(),
            })
        }
        _ => return Err(bad(1, "not a mailcodes state file")),
    };
    let body = if version >= 2 {
        check_end(text, &bad)?
    } else {
        text
    };
    let mut state = State::default();
    let mut old = Vec::new(); // version 3's `evidence` lines
    for (i, line) in body.split('\n').enumerate().skip(1) {
        let n = i + 1;
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["r" | "e", ..] if version >= 4 => {
                state.evidence.extend_from_slice(line.as_bytes());
                state.evidence.push(b'\n');
            }
            ["input", p, rest @ ..] if rest.len() == 6 || rest.len() == 7 => {
                let name = unhex(p)
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| bad(n, "bad path"))?;
                state
                    .files
                    .insert(name, file_state(rest).ok_or_else(|| bad(n, "bad number"))?);
            }
            ["evidence", r, attempts, first, last, flags, first_def, last_ok, reply] => {
                let st = |s: &str| parse_stamp(s).ok_or_else(|| bad(n, "bad time"));
                let e = Evidence {
                    attempts: attempts.parse().map_err(|_| bad(n, "bad number"))?,
                    first_mailbox: st(first)?,
                    last_mailbox: st(last)?,
                    last_reply: unhex(reply)
                        .and_then(|b| String::from_utf8(b).ok())
                        .ok_or_else(|| bad(n, "bad reply"))?,
                    saw_full: flags.contains('F'),
                    saw_disabled: flags.contains('D'),
                    first_deferral: st(first_def)?,
                    saw_greylisting: flags.contains('G'),
                    last_success: st(last_ok)?,
                };
                let rcpt = unhex(r).ok_or_else(|| bad(n, "bad recipient"))?;
                old.push((rcpt, e));
            }
            ["generation", g] if version >= 3 => {
                state.generation = g.parse().map_err(|_| bad(n, "bad number"))?;
            }
            [""] => {}
            _ => return Err(bad(n, "unknown record")),
        }
    }
    if !old.is_empty() {
        state.evidence = compact(&old);
    }
    Ok(state)
}

/// `entries` as the tracker's compact evidence text (how version 3's evidence lines are
/// carried on, and how tests make evidence).
pub(crate) fn compact(entries: &[(Vec<u8>, Evidence)]) -> Vec<u8> {
    let mut t = Tracker::default();
    for (r, e) in entries {
        t.insert(r, e);
    }
    let mut text = Vec::new();
    let _ = t.write_evidence(&mut text, |_| true); // a Vec: cannot fail
    text
}

/// The evidence a compact text holds, by recipient.
#[cfg(test)]
pub(crate) fn entries(text: &[u8]) -> Vec<(Vec<u8>, Evidence)> {
    let mut t = Tracker::default();
    t.read_evidence(text).unwrap();
    let mut all: Vec<_> = t.evidence().map(|(k, e)| (k.to_vec(), e)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// The fields of an `input` record after its path: 6 in version 1, 7 (the rotated files'
/// identity) in version 2.
fn file_state(f: &[&str]) -> Option<FileState> {
    let num = |s: &str| s.parse::<u64>().ok();
    Some(FileState {
        dev: num(f[0])?,
        ino: num(f[1])?,
        size: num(f[2])?,
        offset: num(f[3])?,
        fingerprint: Fingerprint {
            len: num(f[4])?,
            hash: u64::from_str_radix(f[5], 16).ok()?,
        },
        rotated: match f.get(6) {
            Some(field) => parse_rotated(field)?,
            None => None,
        },
    })
}

/// The rotated files' fingerprints: comma-separated hex, `-` for none, `?` when unknown.
fn rotated_field(r: Option<Rotated>) -> String {
    let Some(r) = r else { return "?".into() };
    let hashes: Vec<String> =
        r.0.iter()
            .filter(|h| **h != 0)
            .map(|h| format!("{h:x}"))
            .collect();
    if hashes.is_empty() {
        "-".into()
    } else {
        hashes.join(",")
    }
}

/// [`rotated_field`] read back; `None` when it is malformed.
fn parse_rotated(field: &str) -> Option<Option<Rotated>> {
    let mut r = Rotated::default();
    match field {
        "?" => return Some(None),
        "-" => return Some(Some(r)),
        _ => {}
    }
    let hashes: Vec<&str> = field.split(',').collect();
    if hashes.len() > r.0.len() {
        return None;
    }
    for (slot, h) in r.0.iter_mut().zip(hashes) {
        *slot = u64::from_str_radix(h, 16).ok().filter(|h| *h != 0)?;
    }
    Some(Some(r))
}

/// Checks the `end` line of a version-2 file; returns the text before it.
fn check_end<'a>(text: &'a str, bad: &dyn Fn(usize, &str) -> Error) -> Result<&'a str, Error> {
    let lines = text.split('\n').count();
    let cut = "cut short (no end line): it was truncated or not written whole";
    let trimmed = text.strip_suffix('\n').ok_or_else(|| bad(lines, cut))?;
    let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    let (body, last) = text.split_at(start);
    let fields: Vec<&str> = last.trim_end_matches('\n').split('\t').collect();
    let ["end", records, sum] = fields.as_slice() else {
        return Err(bad(lines - 1, cut));
    };
    let counted = body
        .split('\n')
        .filter(|l| {
            ["input\t", "evidence\t", "r\t", "e\t"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count();
    if records.parse::<usize>().ok() != Some(counted)
        || u64::from_str_radix(sum, 16).ok() != Some(fnv1a(body.as_bytes()))
    {
        return Err(bad(
            lines - 1,
            "its checksum does not match: it was changed or damaged",
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        for s in [
            Some(Stamp::naive(-5)),
            Some(Stamp::with_offset(100, 60)),
            Some(Stamp::with_offset(-100, -60)),
            None,
        ] {
            assert_eq!(parse_stamp(&stamp_field(s)), Some(s));
        }
    }

    #[test]
    fn every_cut_and_every_changed_byte_is_found() {
        let mut st = State::default();
        st.files.insert(
            "/var/log/mail.log".into(),
            FileState {
                dev: 1,
                ino: 2,
                size: 300,
                offset: 290,
                fingerprint: Fingerprint { len: 300, hash: 7 },
                rotated: Some(Rotated([9, 0xabc, 0, 0])),
            },
        );
        st.evidence = compact(&[(
            b"a@b".to_vec(),
            Evidence {
                attempts: 3,
                last_reply: "450 full".into(),
                ..Evidence::default()
            },
        )]);
        let text = render(&st);
        let p = Path::new("st");
        assert_eq!(parse(p, text.as_bytes()).unwrap(), st);
        for cut in 0..text.len() {
            assert!(parse(p, &text.as_bytes()[..cut]).is_err(), "cut at {cut}");
        }
        for at in 0..text.len() {
            let mut b = text.clone().into_bytes();
            b[at] ^= 0x01;
            assert!(parse(p, &b).is_err(), "byte {at} changed");
        }
    }

    #[test]
    fn version_3_evidence_lines_are_still_read() {
        let body = format!(
            "{MAGIC}\t3\ngeneration\t2\nevidence\t{}\t6\t100\t200\tF\t100\t-\t{}\n",
            hex(b"Full@Example.net"),
            hex(b"450 4.2.2 full")
        );
        let text = format!("{body}end\t1\t{:016x}\n", fnv1a(body.as_bytes()));
        let st = parse(Path::new("st"), text.as_bytes()).unwrap();
        assert_eq!(st.generation, 2);
        let all = entries(&st.evidence);
        let (r, e) = &all[0];
        assert_eq!(
            (&r[..], e.attempts, e.saw_full),
            (&b"Full@Example.net"[..], 6, true)
        );
        assert_eq!(e.last_mailbox, Some(Stamp::naive(200)));
        assert_eq!(e.last_reply, "450 4.2.2 full");
    }

    #[test]
    fn a_greylisted_recipient_costs_under_sixty_bytes() {
        let mut st = State::default();
        let mut all = Vec::new();
        let n = 10_000;
        for i in 0..n {
            let e = Evidence {
                first_deferral: Some(Stamp::naive(1_795_845_600 + i)),
                saw_greylisting: true,
                ..Evidence::default()
            };
            let r = format!("user{i}@d{}.example.org", i % 500);
            all.push((r.into_bytes(), e));
        }
        st.evidence = compact(&all);
        let text = render(&st);
        assert!(text.len() / n as usize <= 60, "{} bytes", text.len());
        assert_eq!(parse(Path::new("st"), text.as_bytes()).unwrap(), st);
    }

    #[test]
    fn version_1_files_are_still_read() {
        let v1 = "mailcodes-state\t1\ninput\t2f78\t1\t2\t3\t3\t3\t00000000000000ff\n";
        let st = parse(Path::new("st"), v1.as_bytes()).unwrap();
        assert_eq!(st.files["/x"].offset, 3);
        assert_eq!(st.files["/x"].rotated, None);
    }
}
