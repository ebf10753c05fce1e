//! Following a log across rotations: where the last run stopped, where that content lives
//! now, and what to read of each file.
//!
//! For each input the state records the file's device and inode, its size, the offset after
//! the last complete line read, a fingerprint (hash) of its first bytes, and the identity of
//! the rotated files next to it (`NAME.1`, `NAME.1.gz`, …). The next run reads only what was
//! appended. When the file was rotated (another inode, or shorter, or another fingerprint), the
//! rest of the old file is read from where it now lives — recognised by inode or by the
//! fingerprint of its (decompressed) start — and then the new file from its start.
//!
//! copytruncate leaves the same inode. It is seen as a shorter file or another fingerprint;
//! when the file was empty at the last run (an empty fingerprint matches anything), as a
//! rotated file that appeared or changed since the last run, holds the old start, and is not
//! a mere copy of the current file (logrotate's `copy`).
//!
//! Every file is opened once, when the plan is made, and read through that handle: a rotation
//! during the run cannot swap the file under the plan.

use super::format::fnv1a;
use super::Error;
use crate::input::{self, Compression};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Bytes at the start of a file that identify it.
pub const FINGERPRINT_LEN: u64 = 1024;

/// Where logrotate may have moved `NAME`, in the order they are tried.
pub const ROTATED_SUFFIXES: [&str; 10] = [
    ".1", ".0", ".1.gz", ".0.gz", ".1.xz", ".1.zst", ".1.bz2", ".0.xz", ".0.zst", ".0.bz2",
];

/// How many rotated files' fingerprints a state keeps per input.
pub const ROTATED_KEPT: usize = 4;

/// The rotated files next to a log, by the hash of their (decompressed) first
/// [`FINGERPRINT_LEN`] bytes; 0 marks an unused slot. Compressing a rotated file keeps its
/// hash; a new rotation brings a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rotated(pub [u64; ROTATED_KEPT]);

impl Rotated {
    fn contains(&self, hash: u64) -> bool {
        self.0.contains(&hash)
    }
}

/// A hash of a file's first `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub hash: u64,
}

/// Reads up to `len` bytes from `r` and fingerprints them.
pub(crate) fn fingerprint_reader(r: impl Read, len: u64) -> io::Result<Fingerprint> {
    let mut buf = Vec::with_capacity(len as usize);
    r.take(len).read_to_end(&mut buf)?;
    Ok(Fingerprint {
        len: buf.len() as u64,
        hash: fnv1a(&buf),
    })
}

/// Fingerprints the first `len` bytes of an open file (decompressed, when it is
/// compressed), from its start.
pub(crate) fn fingerprint_file(f: &File, len: u64) -> io::Result<Fingerprint> {
    let mut f = f.try_clone()?;
    f.seek(SeekFrom::Start(0))?;
    let mut magic = [0u8; 6];
    let n = f.read(&mut magic)?;
    f.seek(SeekFrom::Start(0))?;
    let compression = Compression::detect(&magic[..n]);
    let name = "";
    fingerprint_reader(input::decoder(compression, BufReader::new(f), name), len)
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
    /// The rotated files next to it when it was read; `None` in states written before
    /// they were recorded.
    pub rotated: Option<Rotated>,
}

/// A part of a file to read, through the handle opened when the plan was made.
#[derive(Debug)]
pub struct Piece {
    pub path: PathBuf,
    pub file: File,
    /// Bytes to skip: of the file for plain files, of the decompressed stream otherwise.
    pub start: u64,
    /// Where to stop (the live file only): the end of the last complete line.
    pub end: Option<u64>,
    /// Rotated away: settled, nothing appends to it or truncates it.
    pub rotated: bool,
}

/// What to read for one input, and the state to record as it is read.
#[derive(Debug)]
pub struct Plan {
    /// The rest of the rotated file (if any), then the live file.
    pub pieces: Vec<Piece>,
    /// Where the last run stopped, if it read this input.
    pub prior: Option<FileState>,
    /// The live file, read to its last complete line.
    pub after: FileState,
    /// Something the user should know (rotated file not found).
    pub warning: Option<String>,
}

impl Plan {
    /// The state to record once the pieces before `piece` were read whole and `consumed`
    /// bytes of `piece` (from its start) in whole lines: what the next run goes on from.
    pub fn reached(&self, piece: usize, consumed: u64) -> FileState {
        let p = &self.pieces[piece];
        match (self.prior, p.rotated) {
            // Still in the old file: the next run finds it again, by inode or fingerprint.
            (Some(prior), true) => FileState {
                offset: p.start + consumed,
                ..prior
            },
            _ => FileState {
                offset: p.start + consumed,
                ..self.after
            },
        }
    }
}

/// Whether an open file starts with the magic bytes of a compressed format.
fn is_compressed(f: &File) -> io::Result<bool> {
    use std::os::unix::fs::FileExt;
    let mut magic = [0u8; 6];
    let n = f.read_at(&mut magic, 0)?;
    Ok(Compression::detect(&magic[..n]) != Compression::None)
}

/// The offset after the last newline in the first `size` bytes of a file (0 if none).
pub(crate) fn complete_lines_end(f: &File, size: u64) -> io::Result<u64> {
    use std::os::unix::fs::FileExt;
    let mut end = size;
    let mut buf = vec![0u8; 64 << 10];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        f.read_exact_at(&mut buf[..n], start)?;
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// The files logrotate may have moved `path` to.
pub(crate) fn rotated_candidates(path: &Path) -> Vec<PathBuf> {
    ROTATED_SUFFIXES
        .iter()
        .map(|suffix| {
            let mut n = path.as_os_str().to_owned();
            n.push(suffix);
            PathBuf::from(n)
        })
        .collect()
}

/// A rotated file of the log, opened, with the fingerprint of its start.
struct Candidate {
    path: PathBuf,
    file: File,
    fingerprint: Fingerprint,
}

/// The rotated files of `path` that exist now, in [`ROTATED_SUFFIXES`] order.
fn candidates(path: &Path) -> Vec<Candidate> {
    rotated_candidates(path)
        .into_iter()
        .filter_map(|c| {
            let file = File::open(&c).ok()?;
            let fingerprint = fingerprint_file(&file, FINGERPRINT_LEN).ok()?;
            Some(Candidate {
                path: c,
                file,
                fingerprint,
            })
        })
        .collect()
}

/// The fingerprints of the rotated files, as the state records them.
fn rotated_set(cands: &[Candidate]) -> Rotated {
    let mut set = Rotated::default();
    for (slot, c) in set.0.iter_mut().zip(cands) {
        *slot = c.fingerprint.hash.max(1);
    }
    set
}

/// Whether a rotated file appeared (by its content) since the state `p` was written.
fn is_new(c: &Candidate, p: &FileState) -> bool {
    p.rotated
        .is_some_and(|known| !known.contains(c.fingerprint.hash.max(1)))
}

/// Decides what to read of `path` given where the last run stopped.
///
/// A plan is made from several looks at the log and its rotated files, and a copytruncate
/// may fall between them: the live file measured whole, the rotated files listed before the
/// copy was there, the log found truncated when its start is checked again. Such a plan would
/// miss the old lines (not found) or count them twice (the state would remember the
/// truncated log by its old start, and the next run would read the copy again from its
/// start). So a plan is kept only when the live file is still as it was measured once the
/// plan is made ([`settled`]); else it is made again, as a rotation takes moments.
pub fn plan(path: &Path, prior: Option<&FileState>) -> Result<Plan, Error> {
    plan_with(path, prior, || {})
}

/// [`plan`], with `meanwhile` run after the rotated files are listed (where tests rotate).
fn plan_with(
    path: &Path,
    prior: Option<&FileState>,
    mut meanwhile: impl FnMut(),
) -> Result<Plan, Error> {
    for _ in 0..PLAN_TRIES {
        let plan = plan_once(path, prior, &mut meanwhile)?;
        if settled(&plan).map_err(io_error(path, "read"))? {
            return Ok(plan);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Changing all the time: the last plan; a read cut short moves the state only past what
    // was read.
    plan_once(path, prior, &mut meanwhile)
}

/// How often a plan is made before one made while the log changed under it is taken.
const PLAN_TRIES: usize = 20;

/// Whether the live file of a plan is still what the plan measured: no shorter, and the
/// same start. A file only appended to is.
fn settled(plan: &Plan) -> io::Result<bool> {
    let Some(live) = plan.pieces.last().filter(|p| !p.rotated) else {
        return Ok(true);
    };
    let after = &plan.after;
    Ok(live.file.metadata()?.len() >= after.size
        && fingerprint_file(&live.file, after.fingerprint.len)? == after.fingerprint)
}

fn plan_once(
    path: &Path,
    prior: Option<&FileState>,
    meanwhile: &mut impl FnMut(),
) -> Result<Plan, Error> {
    let f = match (open_soon(path, prior.is_some()), prior) {
        (Ok(f), _) => f,
        (Err(e), Some(p)) if e.kind() == io::ErrorKind::NotFound => {
            // Still gone (logrotate's `nocreate`, or a slow `create`): read the rest of the
            // old file now, the new one next time.
            return mid_rotation(path, p).ok_or_else(|| io_error(path, "open")(e));
        }
        (Err(e), _) => return Err(io_error(path, "open")(e)),
    };
    let (after, compressed) = observe(path, &f)?;
    let end = after.offset;
    let live = |f: File, start: u64| Piece {
        path: path.to_path_buf(),
        file: f,
        start,
        end: (!compressed).then_some(end.max(start)),
        rotated: false,
    };
    let cands = candidates(path);
    meanwhile();
    let after = FileState {
        rotated: Some(rotated_set(&cands)),
        ..after
    };
    let mut plan = Plan {
        pieces: Vec::new(),
        prior: prior.copied(),
        after,
        warning: None,
    };
    let Some(p) = prior else {
        plan.pieces.push(live(f, 0));
        return Ok(plan);
    };
    let (same_file, old) = previous_content(path, p, &f, &plan.after, compressed, cands)?;
    if !same_file && old.is_none() {
        plan.warning = Some(format!(
            "{}: the file was rotated or truncated since the last run, and its old content was \
             not found next to it (as {}); lines written between the last run and the rotation \
             are not counted",
            path.display(),
            ROTATED_SUFFIXES.join(", ")
        ));
    }
    let start = if same_file && old.is_none() {
        p.offset
    } else {
        0
    };
    if let Some(c) = old {
        plan.pieces.push(Piece {
            path: c.path,
            file: c.file,
            start: p.offset,
            end: None,
            rotated: true,
        });
    }
    plan.pieces.push(live(f, start));
    Ok(plan)
}

/// An I/O error of the log at `path` while doing `action`.
fn io_error<'p>(path: &'p Path, action: &'static str) -> impl Fn(io::Error) -> Error + 'p {
    move |source: io::Error| Error::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// The size of a live log and the end of its complete lines, taken again when the log
/// shrinks while they are read (copytruncate at that moment): a rotation is what a nightly
/// run is built for, not a reason to fail.
fn lines_end_now(f: &File, mut size: u64) -> io::Result<(u64, u64)> {
    for _ in 0..8 {
        match complete_lines_end(f, size) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                size = size.min(f.metadata()?.len());
            }
            other => return other.map(|end| (size, end)),
        }
    }
    Ok((0, 0)) // shrinking all the time: read nothing of it now, all of it next run
}

/// What the open log is now: its identity, size, the end of its complete lines (its offset
/// to read up to) and fingerprint; and whether it is compressed (read whole, once: offsets
/// of a compressed file are in the decompressed stream).
fn observe(path: &Path, f: &File) -> Result<(FileState, bool), Error> {
    let meta = f.metadata().map_err(io_error(path, "read"))?;
    if !meta.is_file() {
        return Err(Error::NotRegular {
            path: path.to_path_buf(),
        });
    }
    let compressed = is_compressed(f).map_err(io_error(path, "read"))?;
    let (size, end) = if compressed {
        (meta.len(), 0)
    } else {
        lines_end_now(f, meta.len()).map_err(io_error(path, "read"))?
    };
    let state = FileState {
        dev: meta.dev(),
        ino: meta.ino(),
        size,
        offset: end,
        fingerprint: fingerprint_file(f, FINGERPRINT_LEN).map_err(io_error(path, "read"))?,
        rotated: None,
    };
    Ok((state, compressed))
}

/// Whether the log is the file the state knew (`p`), and where the lines it held after
/// `p.offset` are now when they moved: a rotated file found by its content, or `None`.
fn previous_content(
    path: &Path,
    p: &FileState,
    f: &File,
    after: &FileState,
    compressed: bool,
    cands: Vec<Candidate>,
) -> Result<(bool, Option<Candidate>), Error> {
    let grown = if compressed {
        after.size == p.size
    } else {
        after.size >= p.offset
    };
    let same_file = p.dev == after.dev
        && p.ino == after.ino
        && grown
        && fingerprint_file(f, p.fingerprint.len).map_err(io_error(path, "read"))? == p.fingerprint;
    let old = if same_file {
        // Same inode, same start: appended to, unless a copytruncate the fingerprint could
        // not see (the file was empty) moved the old lines to a rotated file.
        if p.fingerprint.len < FINGERPRINT_LEN {
            copied_away(cands, p, f)
        } else {
            None
        }
    } else {
        find_old(cands, p)
    };
    Ok((same_file, old))
}

/// Opens the log. A log the state knows that is missing may be caught between logrotate's
/// rename and its `create` (a few system calls apart): it is given a second to appear, so
/// that the state learns the new file rather than only the old one.
fn open_soon(path: &Path, known: bool) -> io::Result<File> {
    let mut tries = 0;
    loop {
        match File::open(path) {
            Err(e) if known && e.kind() == io::ErrorKind::NotFound && tries < 20 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// The plan for a log that is gone while its old content is next to it (a run between
/// logrotate's rename and its `create`): the rest of the old file, and no live file.
fn mid_rotation(path: &Path, p: &FileState) -> Option<Plan> {
    let c = find_old(candidates(path), p)?;
    Some(Plan {
        pieces: vec![Piece {
            path: c.path,
            file: c.file,
            start: p.offset,
            end: None,
            rotated: true,
        }],
        prior: Some(*p),
        after: *p,
        warning: None,
    })
}

/// The rotated file that holds the old content of the log (prior state `p`): the one with
/// the old inode, else one whose start has the old fingerprint. An empty old fingerprint
/// matches anything, so then only a rotated file that appeared since the last run counts,
/// or an empty one.
fn find_old(cands: Vec<Candidate>, p: &FileState) -> Option<Candidate> {
    let by_inode = cands.iter().position(|c| {
        c.file
            .metadata()
            .is_ok_and(|m| m.dev() == p.dev && m.ino() == p.ino)
    });
    let by_fingerprint = || {
        cands
            .iter()
            .position(|c| (p.fingerprint.len > 0 || is_new(c, p)) && starts_like(c, p.fingerprint))
    };
    // The old file was empty and is still empty where it went: nothing to read, nothing
    // lost (an empty rotated file has the same fingerprint every time, so it is never new).
    let empty = || {
        let was_empty = p.fingerprint.len == 0;
        cands
            .iter()
            .position(|c| was_empty && c.fingerprint.len == 0)
    };
    let i = by_inode.or_else(by_fingerprint).or_else(empty)?;
    cands.into_iter().nth(i)
}

/// Whether a rotated file starts with the bytes fingerprinted as `fp`.
fn starts_like(c: &Candidate, fp: Fingerprint) -> bool {
    if fp.len == c.fingerprint.len {
        return c.fingerprint == fp;
    }
    fingerprint_file(&c.file, fp.len).is_ok_and(|got| got == fp)
}

/// For a file that kept its inode and start: a rotated file that appeared since the last run,
/// starts like the old file, and is not a copy of the current one (logrotate `copy`, which
/// leaves the file whole) — the old lines copied away before the file was truncated.
fn copied_away(cands: Vec<Candidate>, p: &FileState, current: &File) -> Option<Candidate> {
    cands.into_iter().find(|c| {
        let theirs = c.fingerprint;
        is_new(c, p)
            && starts_like(c, p.fingerprint)
            && theirs.len > 0
            && fingerprint_file(current, theirs.len).is_ok_and(|ours| ours != theirs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_that_shrank_after_its_size_was_taken_is_measured_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail.log");
        std::fs::write(&path, b"one\ntwo\nthr").unwrap();
        let f = File::open(&path).unwrap();
        // The size taken before a copytruncate emptied most of the file.
        assert!(complete_lines_end(&f, 1000).is_err());
        assert_eq!(lines_end_now(&f, 1000).unwrap(), (11, 8));
    }

    #[test]
    fn a_copytruncate_while_the_plan_is_made_is_seen_whole() {
        // logrotate's copytruncate lands after the rotated files were listed, before the
        // log's start is checked again; the copy made before the listing, or after it.
        for copied_before in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let log = dir.path().join("mail.log");
            let copy = log.with_extension("log.1");
            std::fs::write(&log, "a\nb\nc\n").unwrap();
            let prior = plan(&log, None).unwrap().after;
            std::fs::write(&log, "a\nb\nc\nd\ne\n").unwrap();
            if copied_before {
                std::fs::copy(&log, &copy).unwrap();
            }
            let mut rotated = false;
            let got = plan_with(&log, Some(&prior), || {
                if !std::mem::replace(&mut rotated, true) {
                    if !copied_before {
                        std::fs::copy(&log, &copy).unwrap();
                    }
                    File::options()
                        .write(true)
                        .open(&log)
                        .unwrap()
                        .set_len(0)
                        .unwrap();
                }
            })
            .unwrap();
            assert_eq!(got.warning, None, "copied before: {copied_before}");
            let want = vec![("mail.log.1".to_string(), 6), ("mail.log".to_string(), 0)];
            assert_eq!(starts(&got), want, "copied before: {copied_before}");
            // Everything read (the live log is empty), then two new lines: the next run
            // reads those and nothing of the copy again.
            let state = got.reached(1, 0);
            std::fs::write(&log, "f\ng\n").unwrap();
            let next = plan(&log, Some(&state)).unwrap();
            let want = vec![("mail.log".to_string(), 0)];
            assert_eq!(starts(&next), want, "copied before: {copied_before}");
        }
    }

    #[test]
    fn complete_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("log");
        std::fs::write(&p, b"one\ntwo\npart").unwrap();
        let f = File::open(&p).unwrap();
        assert_eq!(complete_lines_end(&f, 12).unwrap(), 8);
        std::fs::write(&p, b"no newline").unwrap();
        let f = File::open(&p).unwrap();
        assert_eq!(complete_lines_end(&f, 10).unwrap(), 0);
    }

    fn starts(plan: &Plan) -> Vec<(String, u64)> {
        plan.pieces
            .iter()
            .map(|p| {
                let name = p.path.file_name().unwrap().to_string_lossy().to_string();
                (name, p.start)
            })
            .collect()
    }

    #[test]
    fn rotations_after_an_empty_file_are_found() {
        // (what happens after a run that saw an empty log, pieces to read)
        type Step = fn(&Path);
        let copytruncate: Step = |log| {
            std::fs::copy(log, log.with_extension("log.1")).unwrap();
            File::options()
                .write(true)
                .open(log)
                .unwrap()
                .set_len(0)
                .unwrap();
            std::fs::write(log, "new\n").unwrap();
        };
        let copy: Step = |log| {
            std::fs::copy(log, log.with_extension("log.1")).unwrap();
        };
        let rename: Step = |log| {
            std::fs::rename(log, log.with_extension("log.1")).unwrap();
            std::fs::write(log, "new\n").unwrap();
        };
        let appended: Step = |_| {};
        for (step, want) in [
            (copytruncate, vec![("mail.log.1", 0), ("mail.log", 0)]),
            (copy, vec![("mail.log", 0)]),
            (rename, vec![("mail.log.1", 0), ("mail.log", 0)]),
            (appended, vec![("mail.log", 0)]),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let log = dir.path().join("mail.log");
            // An old rotated file, read long ago, must not be read again.
            std::fs::write(log.with_extension("log.1"), "old\n").unwrap();
            std::fs::write(&log, "").unwrap();
            let prior = plan(&log, None).unwrap().after;
            std::fs::write(&log, "ten lines\n").unwrap();
            step(&log);
            let got = plan(&log, Some(&prior)).unwrap();
            let want: Vec<(String, u64)> = want.iter().map(|(n, s)| (n.to_string(), *s)).collect();
            assert_eq!(starts(&got), want);
        }
    }
}
