//! The state file on disk: a small tab-separated text file, so an admin can read it.
//!
//! ```text
//! mailcodes-state TAB 3
//! generation TAB N
//! input TAB HEX(PATH) TAB DEV TAB INO TAB SIZE TAB OFFSET TAB FP_LEN TAB FP_HASH TAB ROTATED
//! evidence TAB HEX(RCPT) TAB ATTEMPTS TAB FIRST TAB LAST TAB FLAGS TAB FIRST_DEFERRAL TAB
//!     LAST_SUCCESS TAB HEX(REPLY)
//! end TAB RECORDS TAB CHECKSUM
//! ```
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
use crate::persistent::Evidence;
use crate::time::Stamp;
use std::path::Path;

/// The state file format this version writes.
pub const VERSION: u32 = 3;
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
    for (r, e) in &state.evidence {
        out.push_str(&evidence_line(r, e));
    }
    let records = state.files.len() + state.evidence.len();
    let sum = fnv1a(out.as_bytes());
    out.push_str(&format!("end\t{records}\t{sum:016x}\n"));
    out
}

fn evidence_line(r: &[u8], e: &Evidence) -> String {
    let flags: String = [
        (e.saw_full, 'F'),
        (e.saw_disabled, 'D'),
        (e.saw_greylisting, 'G'),
    ]
    .iter()
    .filter(|x| x.0)
    .map(|x| x.1)
    .collect();
    format!(
        "evidence\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        hex(r),
        e.attempts,
        stamp_field(e.first_mailbox),
        stamp_field(e.last_mailbox),
        if flags.is_empty() { "-".into() } else { flags },
        stamp_field(e.first_deferral),
        stamp_field(e.last_success),
        hex(e.last_reply.as_bytes())
    )
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
    for (i, line) in body.split('\n').enumerate().skip(1) {
        let n = i + 1;
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
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
                state.evidence.push((rcpt.into_boxed_slice(), e));
            }
            ["generation", g] if version >= 3 => {
                state.generation = g.parse().map_err(|_| bad(n, "bad number"))?;
            }
            [""] => {}
            _ => return Err(bad(n, "unknown record")),
        }
    }
    Ok(state)
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
        .filter(|l| l.starts_with("input\t") || l.starts_with("evidence\t"))
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
        st.evidence.push((
            b"a@b".to_vec().into_boxed_slice(),
            Evidence {
                attempts: 3,
                last_reply: "450 full".into(),
                ..Evidence::default()
            },
        ));
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
    fn version_1_files_are_still_read() {
        let v1 = "mailcodes-state\t1\ninput\t2f78\t1\t2\t3\t3\t3\t00000000000000ff\n";
        let st = parse(Path::new("st"), v1.as_bytes()).unwrap();
        assert_eq!(st.files["/x"].offset, 3);
        assert_eq!(st.files["/x"].rotated, None);
    }
}
