//! Incremental runs (`--state FILE`): where the last run stopped in each input, and the open
//! persistent-450 evidence, kept between runs.
//!
//! - [`format`]: the file on disk (a version line, records, and an `end` line with a checksum);
//! - [`rotation`]: following each log across rotations, and what to read of each file;
//! - [`lock`]: the lock that serialises runs sharing a state, and leftovers of killed runs.
//!
//! The state is written to a temporary file, flushed, renamed into place and the folder
//! flushed, and only after the reports were written: a run that dies redoes its work. The
//! state records for each input exactly how far it was read in whole lines — also when a
//! read ended early — so no line is counted twice or lost across runs.

pub mod format;
pub mod lock;
pub mod rotation;

pub use lock::{lock_with_timeout, Lock, DEFAULT_TIMEOUT};
pub use rotation::{plan, FileState, Fingerprint, Piece, Plan, FINGERPRINT_LEN};

use crate::input::{self, Source, Span};
use crate::persistent::{Evidence, EvidenceError, Tracker};
use crate::pipeline::{InputError, Pipeline};
use crate::tally::Tally;
use crate::time::Stamp;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use format::VERSION;

/// Evidence with no news for this long (before the newest event seen, and never after the
/// run's clock) is forgotten.
pub const EVIDENCE_MAX_AGE: i64 = 30 * 86_400;

/// Temporary files of killed runs older than this are removed.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Prefix of the temporary files a state is written to.
const TEMP_PREFIX: &str = ".mailcodes-state.";

/// Everything kept between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// How many times the state was saved (see [`format`]).
    pub generation: u64,
    pub files: BTreeMap<String, FileState>,
    /// The open evidence in the tracker's compact text (`r`/`e` lines, see
    /// [`Tracker::write_evidence`]), held as the file holds it: millions of open recipients
    /// cost their text, not an allocation each.
    pub evidence: Vec<u8>,
}

/// What can go wrong with a state file, its lock, or the inputs it tracks.
#[derive(Debug)]
pub enum Error {
    /// A file or folder of the state could not be created, read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// The state file is cut short, changed or not a state file.
    Damaged {
        path: PathBuf,
        line: usize,
        what: String,
    },
    /// The state file was written by a version that this one does not know.
    Version { path: PathBuf, found: String },
    /// An input is not a regular file (a pipe, a device): it cannot be followed.
    NotRegular { path: PathBuf },
    /// Another run held the lock for longer than `--lock-timeout`.
    LockTimeout {
        path: PathBuf,
        waited: Duration,
        holder: Option<String>,
    },
    /// Two inputs are the same file, or one is a rotated file of the other.
    Overlap { live: PathBuf, other: PathBuf },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                path,
                action,
                source,
            } => {
                write!(
                    f,
                    "{}: cannot {action}: {}",
                    path.display(),
                    input::describe(source)
                )?;
                if source.kind() == io::ErrorKind::PermissionDenied {
                    write!(f, " (check the owner and mode of the folder)")?;
                }
                Ok(())
            }
            Error::Damaged { path, line, what } => write!(
                f,
                "{}: line {line}: {what}; the state file is damaged. Move it away to start \
                 afresh (the next run then reads every log from its start)",
                path.display()
            ),
            Error::Version { path, found } => write!(
                f,
                "{}: state file version {found} is not known to this mailcodes (it reads \
                 versions 1 to {VERSION}); use the mailcodes that wrote it, or move it away to \
                 start afresh",
                path.display()
            ),
            Error::NotRegular { path } => write!(
                f,
                "{}: not a regular file; --state follows regular log files only (a pipe or \
                 device cannot be read again from where the last run stopped)",
                path.display()
            ),
            Error::LockTimeout {
                path,
                waited,
                holder,
            } => write!(
                f,
                "{}: gave up waiting for the lock after {}: it is held by {}. If that run \
                 hangs, stop it; if runs take that long, raise --lock-timeout",
                path.display(),
                crate::time::format_span(waited.as_secs() as i64),
                holder.as_deref().unwrap_or("another run")
            ),
            Error::Overlap { live, other } => write!(
                f,
                "{} and {}: with --state, list only the live log; its rotated files are found \
                 and read from where the last run stopped, and listing them too would count \
                 their lines twice",
                other.display(),
                live.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The folder of a file (`.` for a bare name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Creates the folders above a state file that do not exist yet, mode 0700 (the state holds
/// recipient addresses).
pub(crate) fn create_parent(state: &Path) -> Result<(), Error> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = folder(state);
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            action: "create the state's folder",
            source,
        })
}

/// Flushes a folder, so that renames in it survive a crash.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

impl State {
    /// Reads a state file; a missing file is an empty state. A file that is not a state
    /// file, is damaged or cut short, or has another version is an error: the caller must
    /// not silently start over and read every log again.
    pub fn load(path: &Path) -> Result<State, Error> {
        match std::fs::read(path) {
            Ok(bytes) => format::parse(path, &bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(State::default()),
            Err(source) => Err(Error::Io {
                path: path.to_path_buf(),
                action: "read the state",
                source,
            }),
        }
    }

    /// The state as text.
    pub fn render(&self) -> String {
        format::render(self)
    }

    /// Writes the state to a temporary file next to `path` (locked while written, so that
    /// [`lock::remove_stale_temps`] leaves it alone), flushes it, renames it into place and
    /// flushes the folder. Temporary files of killed runs are removed first.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        create_parent(path)?;
        let dir = folder(path);
        let io_err = |action: &'static str| {
            move |source: io::Error| Error::Io {
                path: path.to_path_buf(),
                action,
                source,
            }
        };
        lock::remove_stale_temps(dir, |n| n.starts_with(TEMP_PREFIX), STALE_AFTER);
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(io_err("write the state"))?;
        tmp.as_file().lock().map_err(io_err("lock the new state"))?;
        tmp.write_all(self.render().as_bytes())
            .map_err(io_err("write the state"))?;
        tmp.as_file()
            .sync_all()
            .map_err(io_err("write the state"))?;
        tmp.persist(path)
            .map_err(|e| e.error)
            .map_err(io_err("replace the state"))?;
        sync_dir(dir).map_err(io_err("flush the state's folder"))
    }

    /// Adds the kept evidence to a tracker. A line that cannot be read (the checksum lets
    /// through only a file rewritten whole) is an error naming the state `path` and the line.
    pub fn restore_evidence(&self, tracker: &mut Tracker, path: &Path) -> Result<(), Error> {
        let damaged = |line, what: &str| Error::Damaged {
            path: path.to_path_buf(),
            line,
            what: what.to_string(),
        };
        // The evidence lines follow the magic, generation and input lines.
        let before = 2 + self.files.len();
        match tracker.read_evidence(&self.evidence[..]) {
            Ok(_) => Ok(()),
            Err(EvidenceError::Bad { line, what }) => Err(damaged(before + line as usize, what)),
            Err(EvidenceError::Io(e)) => Err(damaged(before, &e.to_string())),
        }
    }

    /// Keeps the evidence that is still open: deferred recipients that have not recovered
    /// and had news within [`EVIDENCE_MAX_AGE`] of `newest`. The age is measured from the
    /// newest event, but never from later than `now` (the run's clock, seconds since the
    /// epoch): one line dated years ahead must not expire every open case.
    pub fn keep_open_evidence(&mut self, tracker: &Tracker, newest: Option<Stamp>, now: i64) {
        let newest = newest.map(|n| n.instant().min(now));
        let open = |e: &Evidence| {
            let recent = match (e.last_mailbox.max(e.first_deferral), newest) {
                (Some(l), Some(n)) => n - l.instant() <= EVIDENCE_MAX_AGE,
                _ => true,
            };
            e.has_deferrals() && !e.recovered() && recent
        };
        let mut text = Vec::new();
        let _ = tracker.write_evidence(&mut text, open); // a Vec: cannot fail
        self.evidence = text;
    }
}

/// Reads what is new in each file since the state was written, and records in `st` how far
/// each was read.
///
/// The pieces of an input (the rest of its rotated file, then the live file) are read in
/// order. Damaged compressed data ends its piece: the lines before it are counted, the error
/// is reported (the run's status is 2) and reading goes on with the next piece, as nothing
/// more can ever be read from that file. Any other failure (a file that cannot be read) ends
/// the input: the state records exactly the whole lines read before it, and the next run
/// goes on from there.
/// Errors come with the index of their input in `sources`. `show` is called before each
/// piece is read (for a progress bar), `done` after each input read without an error, with
/// the index of the input and what was read of it.
pub fn scan_new<T: Tally>(
    pipeline: &Pipeline<'_>,
    sources: &[Source],
    st: &mut State,
    mut show: impl FnMut(&Path, Span),
    mut done: impl FnMut(usize, &T),
) -> Result<(T, Vec<(usize, InputError)>), Error> {
    let paths: Vec<(usize, &PathBuf)> = sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Source::Path(p) => Some((i, p)),
            Source::Stdin => None,
        })
        .collect();
    refuse_overlaps(&paths.iter().map(|(_, p)| *p).collect::<Vec<_>>())?;
    let mut total = T::default();
    let mut errors = Vec::new();
    for (index, path) in paths {
        let key = std::path::absolute(path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string();
        let plan = match rotation::plan(path, st.files.get(&key)) {
            Ok(p) => p,
            Err(e) => {
                errors.push((index, unreadable(path, e)));
                continue;
            }
        };
        if let Some(w) = &plan.warning {
            eprintln!("mailcodes: warning: {w}");
        }
        let mut failed = Vec::new();
        let (stats, reached) = scan_plan(pipeline, &plan, &mut failed, &mut show);
        if failed.is_empty() {
            done(index, &stats);
        }
        errors.extend(failed.into_iter().map(|e| (index, e)));
        total.merge(stats);
        st.files.insert(key, reached);
    }
    Ok((total, errors))
}

/// Reads the pieces of one plan; returns what they held and the state to record.
fn scan_plan<T: Tally>(
    pipeline: &Pipeline<'_>,
    plan: &Plan,
    errors: &mut Vec<InputError>,
    show: &mut impl FnMut(&Path, Span),
) -> (T, FileState) {
    let mut total = T::default();
    let mut reached = plan.reached(0, 0);
    for (i, piece) in plan.pieces.iter().enumerate() {
        let name = piece.path.display().to_string();
        let file = match piece.file.try_clone() {
            Ok(f) => f,
            Err(e) => {
                errors.push(InputError {
                    name,
                    line: None,
                    from: piece.start,
                    error: input::Error::Open(e),
                });
                break;
            }
        };
        let span = Span {
            start: piece.start,
            end: piece.end,
        };
        show(&piece.path, span);
        let s = pipeline.scan_file(&name, file, span, piece.rotated);
        total.merge(s.stats);
        reached = plan.reached(i, s.consumed);
        match s.error {
            None => {}
            Some(e) if matches!(e.error, input::Error::Corrupt(..)) => errors.push(e),
            Some(e) => {
                errors.push(e);
                break;
            }
        }
    }
    (total, reached)
}

/// An input that could not be planned, as an input error.
fn unreadable(path: &Path, e: Error) -> InputError {
    let error = match e {
        Error::Io { source, .. } => input::Error::Open(source),
        Error::NotRegular { .. } => input::Error::NotRegular,
        other => input::Error::Open(io::Error::other(other.to_string())),
    };
    InputError {
        name: path.display().to_string(),
        line: None,
        from: 0,
        error,
    }
}

/// Refuses inputs of which one is a rotated file of another (`mail.log.1 mail.log`), or two
/// that are the same file: each line would be read twice.
fn refuse_overlaps(paths: &[&PathBuf]) -> Result<(), Error> {
    let abs: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        .collect();
    let ids: Vec<Option<(u64, u64)>> = paths
        .iter()
        .map(|p| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino())))
        .collect();
    for (i, a) in abs.iter().enumerate() {
        let rotated = rotation::rotated_candidates(a);
        for (j, b) in abs.iter().enumerate() {
            let same = i < j && ids[i].is_some() && ids[i] == ids[j];
            if same || (i != j && rotated.contains(b)) {
                return Err(Error::Overlap {
                    live: paths[i].clone(),
                    other: paths[j].clone(),
                });
            }
        }
    }
    Ok(())
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
                rotated: Some(rotation::Rotated([5, 0, 0, 0])),
            },
        );
        let t = naive_seconds(2026, 11, 28, 6, 0, 0).unwrap();
        s.evidence = format::compact(&[(
            b"full@example.net".to_vec(),
            Evidence {
                attempts: 6,
                first_mailbox: Some(Stamp::naive(t)),
                last_mailbox: Some(Stamp::with_offset(t + 3600, -90)),
                // As the tracker keeps replies: cleaned (no tabs or control characters).
                last_reply: "450 4.2.2 full, \"quoted\", 100% ünïcode".into(),
                saw_full: true,
                saw_disabled: false,
                first_deferral: Some(Stamp::naive(t)),
                saw_greylisting: true,
                last_success: None,
            },
        )]);
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
            let e = State::load(&p).unwrap_err().to_string();
            assert!(e.contains(what) && e.contains("state"), "{e}");
        }
    }

    #[test]
    fn an_unreadable_evidence_line_names_its_line() {
        let s = State {
            evidence: b"e\tx@y\tnot-a-number\t-\t-\t-\t-\tG\t-\n".to_vec(),
            ..State::default()
        };
        let e = s
            .restore_evidence(&mut Tracker::default(), Path::new("st"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("st") && e.contains("line 3"), "{e}");
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
        let mut put = |k: &str, e: Evidence| tracker.insert(k.as_bytes(), &e);
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
        st.keep_open_evidence(&tracker, Some(Stamp::naive(t0 + 40 * day)), i64::MAX);
        let kept: Vec<Vec<u8>> = format::entries(&st.evidence)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(kept, vec![b"stuck@x".to_vec()]);
    }
}
