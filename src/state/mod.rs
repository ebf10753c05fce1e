//! Incremental runs (`--state FILE`): where the last run stopped in each input, and the open
//! persistent-450 evidence, kept between runs.
//!
//! For each input path the state records the file's device and inode, its size, the offset
//! after the last complete line read, and a fingerprint (hash) of its first bytes. The next
//! run reads only what was appended. When the file was rotated (other inode, or shorter, or
//! another fingerprint), the rest of the old file is read from where it now lives —
//! `NAME.1`, `NAME.0` or `NAME.1.gz` next to it, recognised by inode or fingerprint — and
//! the new file from its start. Truncation in place (copytruncate) is detected the same way.
//!
//! The state is a small tab-separated text file with a version line; it is written to a
//! temporary file and renamed into place, and only after the reports were written. A lock
//! file (`FILE.lock`) serialises runs that share a state.

use crate::persistent::{Evidence, Tracker};
use crate::time::Stamp;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The state file format this version writes and reads.
pub const VERSION: u32 = 1;
const MAGIC: &str = "mailcodes-state";
/// Bytes at the start of a file that identify it.
pub const FINGERPRINT_LEN: u64 = 1024;
/// Evidence with no news for this long (before the newest event seen) is forgotten.
pub const EVIDENCE_MAX_AGE: i64 = 30 * 86_400;

/// A hash of a file's first `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub hash: u64,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Reads up to `len` bytes from `r` and fingerprints them.
pub fn fingerprint_reader(r: impl Read, len: u64) -> io::Result<Fingerprint> {
    let mut buf = Vec::with_capacity(len as usize);
    r.take(len).read_to_end(&mut buf)?;
    Ok(Fingerprint {
        len: buf.len() as u64,
        hash: fnv1a(&buf),
    })
}

/// Fingerprints the first `len` bytes of a file, decompressing it when it is gzip.
pub fn fingerprint(path: &Path, len: u64) -> io::Result<Fingerprint> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    f.seek(SeekFrom::Start(0))?;
    if magic[..n] == [0x1f, 0x8b] {
        fingerprint_reader(flate2::read::MultiGzDecoder::new(f), len)
    } else {
        fingerprint_reader(f, len)
    }
}

/// Where the last run stopped in one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileState {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    /// The offset after the last complete line read.
    pub offset: u64,
    pub fingerprint: Fingerprint,
}

/// Everything kept between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub files: BTreeMap<String, FileState>,
    pub evidence: Vec<(Box<[u8]>, Evidence)>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
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

impl State {
    /// Reads a state file; a missing file is an empty state. A file that is not a state
    /// file, is damaged, or has another version is an error: the caller must not silently
    /// start over and read every log again.
    pub fn load(path: &Path) -> Result<State, String> {
        let text = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let bad = |line: usize, what: &str| {
            format!(
                "{}: line {line}: {what}; the state file is damaged. Move it away to start afresh \
                 (the next run then reads every log from its start)",
                path.display()
            )
        };
        let text = String::from_utf8(text).map_err(|_| bad(1, "not UTF-8 text"))?;
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let header: Vec<&str> = lines
            .next()
            .map(|(_, l)| l.split('\t').collect())
            .unwrap_or_default();
        match header.as_slice() {
            [MAGIC, v] if *v == VERSION.to_string() => {}
            [MAGIC, v] => {
                return Err(format!(
                    "{}: state file version {v} is not known to this mailcodes (it reads version {VERSION})",
                    path.display()
                ))
            }
            _ => return Err(bad(1, "not a mailcodes state file")),
        }
        let mut state = State::default();
        for (n, line) in lines {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["input", p, dev, ino, size, offset, fl, fh] => {
                    let path_bytes = unhex(p).ok_or_else(|| bad(n, "bad path"))?;
                    let name = String::from_utf8(path_bytes).map_err(|_| bad(n, "bad path"))?;
                    let num = |s: &str| s.parse::<u64>().map_err(|_| bad(n, "bad number"));
                    let hash =
                        u64::from_str_radix(fh, 16).map_err(|_| bad(n, "bad fingerprint"))?;
                    let fs = FileState {
                        dev: num(dev)?,
                        ino: num(ino)?,
                        size: num(size)?,
                        offset: num(offset)?,
                        fingerprint: Fingerprint {
                            len: num(fl)?,
                            hash,
                        },
                    };
                    state.files.insert(name, fs);
                }
                ["evidence", r, attempts, first, last, flags, first_def, last_ok, reply] => {
                    let st = |s: &str| parse_stamp(s).ok_or_else(|| bad(n, "bad time"));
                    let e = Evidence {
                        attempts: attempts.parse().map_err(|_| bad(n, "bad number"))?,
                        first_mailbox: st(first)?,
                        last_mailbox: st(last)?,
                        last_reply: String::from_utf8(
                            unhex(reply).ok_or_else(|| bad(n, "bad reply"))?,
                        )
                        .map_err(|_| bad(n, "bad reply"))?,
                        saw_full: flags.contains('F'),
                        saw_disabled: flags.contains('D'),
                        first_deferral: st(first_def)?,
                        saw_greylisting: flags.contains('G'),
                        last_success: st(last_ok)?,
                        counts: [0; 3],
                    };
                    let rcpt = unhex(r).ok_or_else(|| bad(n, "bad recipient"))?;
                    state.evidence.push((rcpt.into_boxed_slice(), e));
                }
                [""] => {}
                _ => return Err(bad(n, "unknown record")),
            }
        }
        Ok(state)
    }

    /// The state as text.
    pub fn render(&self) -> String {
        let mut out = format!("{MAGIC}\t{VERSION}\n");
        for (name, f) in &self.files {
            out.push_str(&format!(
                "input\t{}\t{}\t{}\t{}\t{}\t{}\t{:016x}\n",
                hex(name.as_bytes()),
                f.dev,
                f.ino,
                f.size,
                f.offset,
                f.fingerprint.len,
                f.fingerprint.hash
            ));
        }
        for (r, e) in &self.evidence {
            let flags: String = [
                (e.saw_full, 'F'),
                (e.saw_disabled, 'D'),
                (e.saw_greylisting, 'G'),
            ]
            .iter()
            .filter(|x| x.0)
            .map(|x| x.1)
            .collect();
            out.push_str(&format!(
                "evidence\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                hex(r),
                e.attempts,
                stamp_field(e.first_mailbox),
                stamp_field(e.last_mailbox),
                if flags.is_empty() { "-".into() } else { flags },
                stamp_field(e.first_deferral),
                stamp_field(e.last_success),
                hex(e.last_reply.as_bytes())
            ));
        }
        out
    }

    /// Writes the state to a temporary file next to `path` and renames it into place.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".mailcodes-state.")
            .tempfile_in(dir)?;
        tmp.write_all(self.render().as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Adds the kept evidence to a tracker.
    pub fn restore_evidence(&self, tracker: &mut Tracker) {
        let mut kept = Tracker::default();
        for (r, e) in &self.evidence {
            kept.recipients.insert(r.clone(), e.clone());
        }
        tracker.merge(kept);
    }

    /// Keeps the evidence that is still open: deferred recipients that have not recovered
    /// and had news within [`EVIDENCE_MAX_AGE`] of `newest`.
    pub fn keep_open_evidence(&mut self, tracker: &Tracker, newest: Option<Stamp>) {
        let mut open: Vec<(Box<[u8]>, Evidence)> = tracker
            .recipients
            .iter()
            .filter(|(_, e)| e.has_deferrals() && !e.recovered())
            .filter(|(_, e)| {
                let latest = e.last_mailbox.max(e.first_deferral);
                match (latest, newest) {
                    (Some(l), Some(n)) => n.instant() - l.instant() <= EVIDENCE_MAX_AGE,
                    _ => true,
                }
            })
            .map(|(k, e)| {
                // This scan's counts belong to this scan's report, not to the next run.
                let kept = Evidence {
                    counts: [0; 3],
                    ..e.clone()
                };
                (k.clone(), kept)
            })
            .collect();
        open.sort_by(|a, b| a.0.cmp(&b.0));
        self.evidence = open;
    }
}

/// A held lock on `STATE.lock`; released when dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock that serialises runs sharing a state file (waits for a running one).
pub fn lock(state: &Path) -> Result<Lock, String> {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    let path = PathBuf::from(name);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("{}: cannot create the lock file: {e}", path.display()))?;
    file.lock()
        .map_err(|e| format!("{}: cannot lock: {e}", path.display()))?;
    Ok(Lock { _file: file })
}

/// A part of a file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub path: PathBuf,
    /// Bytes to skip: of the file for plain files, of the decompressed stream for gzip.
    pub start: u64,
    /// Where to stop (plain files only): the end of the last complete line.
    pub end: Option<u64>,
}

/// What to read for one input, and the state to record once it was read.
#[derive(Debug, Clone)]
pub struct Plan {
    pub pieces: Vec<Piece>,
    pub after: FileState,
    /// Something the user should know (rotated file not found).
    pub warning: Option<String>,
}

/// The offset after the last newline in the first `size` bytes of a file (0 if none).
pub fn complete_lines_end(f: &mut File, size: u64) -> io::Result<u64> {
    let mut end = size;
    let mut buf = vec![0u8; 64 << 10];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(&mut buf[..n])?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The files logrotate may have moved `path` to.
fn rotated_candidates(path: &Path) -> Vec<PathBuf> {
    let name = path.as_os_str().to_owned();
    [".1", ".0", ".1.gz", ".0.gz"]
        .iter()
        .map(|suffix| {
            let mut n = name.clone();
            n.push(suffix);
            PathBuf::from(n)
        })
        .collect()
}

/// Decides what to read of `path` given where the last run stopped.
pub fn plan(path: &Path, prior: Option<&FileState>) -> io::Result<Plan> {
    let mut f = File::open(path)?;
    let meta = f.metadata()?;
    let size = meta.len();
    let end = complete_lines_end(&mut f, size)?;
    f.seek(SeekFrom::Start(0))?;
    let after = FileState {
        dev: meta.dev(),
        ino: meta.ino(),
        size,
        offset: end,
        fingerprint: fingerprint_reader(&mut f, FINGERPRINT_LEN)?,
    };
    let mut current = |p: &FileState| -> io::Result<bool> {
        f.seek(SeekFrom::Start(0))?;
        let same_file = p.dev == meta.dev() && p.ino == meta.ino() && size >= p.offset;
        Ok(same_file && fingerprint_reader(&f, p.fingerprint.len)? == p.fingerprint)
    };
    let Some(p) = prior else {
        return Ok(Plan {
            pieces: vec![Piece {
                path: path.into(),
                start: 0,
                end: Some(end),
            }],
            after,
            warning: None,
        });
    };
    if current(p)? {
        let piece = Piece {
            path: path.into(),
            start: p.offset,
            end: Some(end.max(p.offset)),
        };
        return Ok(Plan {
            pieces: vec![piece],
            after,
            warning: None,
        });
    }
    // Rotated or truncated: find the old content, then read the new file from its start.
    let mut pieces = Vec::new();
    let mut warning = None;
    let old = rotated_candidates(path).into_iter().find(|c| {
        let Ok(m) = std::fs::metadata(c) else {
            return false;
        };
        let same_inode = m.dev() == p.dev && m.ino() == p.ino;
        same_inode || fingerprint(c, p.fingerprint.len).is_ok_and(|fp| fp == p.fingerprint)
    });
    match old {
        Some(c) => pieces.push(Piece { path: c, start: p.offset, end: None }),
        None => {
            warning = Some(format!(
                "{}: the file was rotated or truncated since the last run, and its old content was not \
                 found next to it (as .1, .0, .1.gz or .0.gz); lines written between the last run and the \
                 rotation are not counted",
                path.display()
            ))
        }
    }
    pieces.push(Piece {
        path: path.into(),
        start: 0,
        end: Some(end),
    });
    Ok(Plan {
        pieces,
        after,
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::naive_seconds;

    #[test]
    fn render_and_load_round_trip() {
        let mut s = State::default();
        s.files.insert(
            "/var/log/mail.log".into(),
            FileState {
                dev: 2049,
                ino: 77,
                size: 1000,
                offset: 990,
                fingerprint: Fingerprint {
                    len: 1000,
                    hash: 0xdead_beef,
                },
            },
        );
        let t = naive_seconds(2026, 11, 28, 6, 0, 0).unwrap();
        s.evidence.push((
            b"full@example.net".to_vec().into_boxed_slice(),
            Evidence {
                attempts: 6,
                first_mailbox: Some(Stamp::naive(t)),
                last_mailbox: Some(Stamp::with_offset(t + 3600, -90)),
                last_reply: "450 4.2.2\tfull, \"quoted\"".into(),
                saw_full: true,
                saw_disabled: false,
                first_deferral: Some(Stamp::naive(t)),
                saw_greylisting: true,
                last_success: None,
                counts: [0; 3],
            },
        ));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state");
        s.save(&p).unwrap();
        assert_eq!(State::load(&p).unwrap(), s);
    }

    #[test]
    fn damaged_or_foreign_states_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state");
        assert_eq!(State::load(&p).unwrap(), State::default());
        for (text, what) in [
            ("garbage", "not a mailcodes state file"),
            ("mailcodes-state\t9\n", "version 9 is not known"),
            ("mailcodes-state\t1\ninput\tzz\t1\n", "unknown record"),
            (
                "mailcodes-state\t1\ninput\t2f\tx\t1\t1\t1\t1\t0\n",
                "bad number",
            ),
        ] {
            std::fs::write(&p, text).unwrap();
            let e = State::load(&p).unwrap_err();
            assert!(e.contains(what) && e.contains("state"), "{e}");
        }
    }

    #[test]
    fn only_open_recent_evidence_is_kept() {
        let day = 86_400;
        let t0 = naive_seconds(2026, 11, 1, 0, 0, 0).unwrap();
        let deferred = |at: i64| Evidence {
            attempts: 3,
            first_mailbox: Some(Stamp::naive(at)),
            last_mailbox: Some(Stamp::naive(at + 3600)),
            first_deferral: Some(Stamp::naive(at)),
            ..Evidence::default()
        };
        let mut tracker = Tracker::default();
        let mut put = |k: &str, e: Evidence| {
            tracker
                .recipients
                .insert(k.as_bytes().to_vec().into_boxed_slice(), e);
        };
        put("stuck@x", deferred(t0 + 20 * day));
        put("old@x", deferred(t0));
        put(
            "recovered@x",
            Evidence {
                last_success: Some(Stamp::naive(t0 + 21 * day)),
                ..deferred(t0 + 20 * day)
            },
        );
        put(
            "delivered@x",
            Evidence {
                last_success: Some(Stamp::naive(t0)),
                ..Evidence::default()
            },
        );
        let mut st = State::default();
        st.keep_open_evidence(&tracker, Some(Stamp::naive(t0 + 40 * day)));
        let kept: Vec<&[u8]> = st.evidence.iter().map(|(k, _)| &k[..]).collect();
        assert_eq!(kept, vec![&b"stuck@x"[..]]);
    }

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
    fn complete_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("log");
        std::fs::write(&p, b"one\ntwo\npart").unwrap();
        let mut f = File::open(&p).unwrap();
        assert_eq!(complete_lines_end(&mut f, 12).unwrap(), 8);
        std::fs::write(&p, b"no newline").unwrap();
        let mut f = File::open(&p).unwrap();
        assert_eq!(complete_lines_end(&mut f, 10).unwrap(), 0);
    }
}
