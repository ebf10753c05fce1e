//! Reading the systemd journal (`scan --journal`), for systems whose Postfix or Exim logs go to
//! journald only (Debian 12 and others without rsyslog have no `/var/log/mail.log`).
//!
//! mailcodes does not read journal files itself: it runs `journalctl -o short-iso-precise`
//! for the Postfix and Exim units and scans its output like any other stream (that timestamp
//! form, `2026-11-28T06:25:13.123456+0100`, is one the parser reads). A date window is handed
//! to journalctl as `@SECONDS` instants so that it skips the rest of the journal, and the
//! window is still applied to each event.
//!
//! With `--state`, the journal cursor lives in `STATE.journal`. journalctl writes the cursor
//! when it ends, which is before mailcodes has written its reports, so it is given a copy
//! (`STATE.journal.new`) that replaces `STATE.journal` only once the run succeeded: a failed
//! run leaves the old cursor and the next run reads the same entries again, as with files.

use crate::pipeline::{InputError, Pipeline};
use crate::scan::Scanner;
use crate::tally::Tally;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The name of the input in messages and in the summary.
pub const NAME: &str = "journal";

/// The units whose entries are read (`journalctl -u` takes glob patterns): `postfix.service`
/// and Debian's `postfix@-.service`, `exim4.service` (Debian) and `exim.service` (others).
pub const UNITS: [&str; 4] = [
    "postfix.service",
    "postfix@*.service",
    "exim4.service",
    "exim.service",
];

/// Errors of the journal input.
#[derive(Debug)]
pub enum JournalError {
    /// journalctl could not be started (not installed, not on `PATH`).
    Spawn(io::Error),
    /// journalctl ran but failed (its own message went to stderr).
    Status(std::process::ExitStatus),
    /// The cursor file could not be copied or put in place.
    Cursor(PathBuf, io::Error),
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalError::Spawn(e) => write!(
                f,
                "cannot run journalctl: {e} (is systemd's journalctl installed and on PATH?)"
            ),
            JournalError::Status(s) => write!(f, "journalctl failed ({s})"),
            JournalError::Cursor(p, e) => write!(f, "{}: journal cursor: {e}", p.display()),
        }
    }
}

impl std::error::Error for JournalError {}

impl From<JournalError> for io::Error {
    fn from(e: JournalError) -> io::Error {
        io::Error::other(e.to_string())
    }
}

/// What to ask journalctl for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Seconds since the epoch of the window's start (`--since @N`).
    pub since: Option<i64>,
    /// Seconds since the epoch of the window's end (`--until @N`).
    pub until: Option<i64>,
    /// With --state, the cursor: journalctl reads and rewrites its working copy
    /// (`--cursor-file`).
    pub cursor: Option<Cursor>,
}

impl Query {
    /// The journalctl arguments, in a fixed order.
    pub fn args(&self) -> Vec<OsString> {
        // Not --quiet: that would also hide journalctl's warning that a user outside the adm
        // and systemd-journal groups cannot see the system journal.
        let mut args: Vec<OsString> = ["--output=short-iso-precise", "--no-pager"]
            .iter()
            .map(OsString::from)
            .collect();
        for unit in UNITS {
            args.push(format!("--unit={unit}").into());
        }
        if let Some(s) = self.since {
            args.push(format!("--since=@{s}").into());
        }
        if let Some(u) = self.until {
            args.push(format!("--until=@{u}").into());
        }
        if let Some(c) = &self.cursor {
            let mut arg = OsString::from("--cursor-file=");
            arg.push(&c.working);
            args.push(arg);
        }
        args
    }

    /// Starts `journalctl` (found on `PATH`) with its output on a pipe.
    pub fn spawn(&self) -> Result<Child, JournalError> {
        Command::new("journalctl")
            .args(self.args())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(JournalError::Spawn)
    }
}

/// Waits for journalctl after its output was read.
pub fn finish(mut child: Child) -> Result<(), JournalError> {
    let status = child.wait().map_err(JournalError::Spawn)?;
    if status.success() {
        Ok(())
    } else {
        Err(JournalError::Status(status))
    }
}

/// The cursor kept next to a state file: `STATE.journal`, and the copy journalctl updates
/// during a run, `STATE.journal.new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub kept: PathBuf,
    pub working: PathBuf,
}

impl Cursor {
    /// The cursor files that belong to the state file `state`.
    pub fn for_state(state: &Path) -> Cursor {
        let with = |suffix: &str| {
            let mut name = state.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        Cursor {
            kept: with(".journal"),
            working: with(".journal.new"),
        }
    }

    /// Makes the working copy from the kept cursor (none on a first run) and returns it.
    pub fn prepare(&self) -> Result<&Path, JournalError> {
        match std::fs::remove_file(&self.working) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(JournalError::Cursor(self.working.clone(), e))
            }
            _ => {}
        }
        match std::fs::copy(&self.kept, &self.working) {
            Ok(_) => Ok(&self.working),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(&self.working),
            Err(e) => Err(JournalError::Cursor(self.kept.clone(), e)),
        }
    }

    /// The run succeeded: the cursor journalctl wrote becomes the kept one.
    pub fn commit(&self) -> Result<(), JournalError> {
        match std::fs::rename(&self.working, &self.kept) {
            Ok(()) => Ok(()),
            // No entry was read on a first run: journalctl wrote no cursor.
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(JournalError::Cursor(self.kept.clone(), e)),
        }
    }

    /// The run failed: the kept cursor stays, so the next run reads the same entries.
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.working);
    }
}

/// Runs journalctl for `query` and scans its output with the pipeline (its progress bar
/// counts the bytes read). Errors name the input [`NAME`].
pub fn scan<T: Tally>(pipeline: &Pipeline<'_>, query: &Query) -> (T, Vec<InputError>) {
    let input_error = |line, error: io::Error| InputError {
        name: NAME.to_string(),
        line,
        from: 0,
        error: crate::input::Error::Other(error),
    };
    if let Some(Err(e)) = query.cursor.as_ref().map(Cursor::prepare) {
        return (T::default(), vec![input_error(None, e.into())]);
    }
    let mut child = match query.spawn() {
        Ok(c) => c,
        Err(e) => return (T::default(), vec![input_error(None, e.into())]),
    };
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        let e = io::Error::other("journalctl gave no output pipe");
        return (T::default(), vec![input_error(None, e)]);
    };
    let scanner = Scanner::new(pipeline.context.clone());
    pipeline.progress.set_message(NAME);
    let reader = Box::new(pipeline.progress.wrap_read(stdout));
    // The reader (and so the pipe) is dropped when scanning ends, early or not, so journalctl
    // never blocks on a full pipe.
    let (stats, _, error): (T, _, _) = pipeline.scan_reader(reader, &scanner, false);
    let mut errors: Vec<InputError> = error
        .map(|e| input_error(Some(stats.read().0 + 1), e))
        .into_iter()
        .collect();
    match finish(child) {
        Err(JournalError::Status(s)) if no_entries(query, stats.read().1, s) => {}
        Err(e) => errors.push(input_error(None, e.into())),
        Ok(()) => {}
    }
    (stats, errors)
}

/// Whether a failed journalctl only found no entry: journalctl 252 exits with status 1 when
/// it is given a `--cursor-file` that holds no cursor yet (a first run) and no entry matches,
/// and then writes no cursor. That is an empty journal, not an error.
fn no_entries(query: &Query, event_lines: u64, status: std::process::ExitStatus) -> bool {
    let fresh_cursor = query.cursor.as_ref().is_some_and(|c| !c.working.exists());
    status.code() == Some(1) && event_lines == 0 && fresh_cursor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_carry_window_and_cursor() {
        let cases: [(Query, &[&str]); 3] = [
            (Query::default(), &[]),
            (
                Query {
                    since: Some(1_764_288_000),
                    until: Some(1_764_374_400),
                    cursor: None,
                },
                &["--since=@1764288000", "--until=@1764374400"],
            ),
            (
                Query {
                    cursor: Some(Cursor::for_state(Path::new("/var/lib/mailcodes/state"))),
                    ..Query::default()
                },
                &["--cursor-file=/var/lib/mailcodes/state.journal.new"],
            ),
        ];
        for (query, tail) in cases {
            let args = query.args();
            let fixed = 2 + UNITS.len();
            assert_eq!(args[0], "--output=short-iso-precise");
            assert!(args[2..fixed]
                .iter()
                .any(|a| a == "--unit=postfix@*.service"));
            let rest: Vec<_> = args[fixed..].iter().map(|a| a.to_str().unwrap()).collect();
            assert_eq!(rest, tail, "{query:?}");
        }
    }

    #[test]
    fn cursor_is_kept_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let cursor = Cursor::for_state(&dir.path().join("state"));
        assert_eq!(cursor.kept, dir.path().join("state.journal"));
        // First run: nothing kept, journalctl writes nothing (no entries): commit is a no-op.
        cursor.prepare().unwrap();
        cursor.commit().unwrap();
        assert!(!cursor.kept.exists());
        // A run writes a cursor and succeeds.
        std::fs::write(cursor.prepare().unwrap(), "s=1").unwrap();
        cursor.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&cursor.kept).unwrap(), "s=1");
        // The next run starts from a copy, moves on, and fails: the kept cursor stays.
        let working = cursor.prepare().unwrap().to_path_buf();
        assert_eq!(std::fs::read_to_string(&working).unwrap(), "s=1");
        std::fs::write(&working, "s=2").unwrap();
        cursor.discard();
        assert_eq!(std::fs::read_to_string(&cursor.kept).unwrap(), "s=1");
        assert!(!working.exists());
    }
}
