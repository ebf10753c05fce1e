//! Errors of a run, and the one place where they become exit statuses and messages.
//!
//! Every module reports what went wrong as a typed value; the commands hand it here, so
//! the wording (`mailcodes: FILE: what happened`, then a hint where one helps) and the exit
//! status are decided once, as xsv's `CliError` and hyperfine's `error.rs` do.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Exit statuses, documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was read and written.
    Success = 0,
    /// An input could not be read, the reports could not be written, or the command line
    /// was wrong.
    Error = 2,
}

/// Why a run could not go on, or what part of it failed.
#[derive(Debug)]
pub enum Error {
    /// The command line is wrong: a bad value, or options that do not go together.
    Usage(String),
    /// A date or time given on the command line could not be read.
    Time(crate::time::TimeError),
    /// An input could not be read, or not to its end.
    Input(crate::pipeline::InputError),
    /// No input could be opened at all: no report is written, so yesterday's stays.
    NothingRead,
    /// The state file could not be locked, read or written.
    State(crate::state::Error),
    /// The journal's cursor next to the state could not be kept.
    Journal(crate::journal::JournalError),
    /// The reports could not be written into their folder.
    Reports { dir: PathBuf, error: io::Error },
    /// The summary could not be written to standard output.
    Summary(io::Error),
    /// A diagnosis rule file is broken.
    Rules(crate::diagnose::RuleError),
    /// The events table could not be written.
    Events(crate::events::EventsError),
    /// The worker threads could not be started.
    Threads(String),
    /// A mergeable summary or the hash key could not be read.
    Merge(crate::mergeable::MergeError),
    /// A day's folder cannot be added to (damaged, another key), or the list of folders
    /// kept beside the state cannot be kept; no day folder was written.
    Days(crate::days::folders::FolderError),
}

impl Error {
    /// The exit status this error ends the run with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_)
            | Error::Time(_)
            | Error::Input(_)
            | Error::NothingRead
            | Error::State(_)
            | Error::Journal(_)
            | Error::Reports { .. }
            | Error::Summary(_)
            | Error::Rules(_)
            | Error::Events(_)
            | Error::Threads(_)
            | Error::Merge(_)
            | Error::Days(_) => Exit::Error,
        }
    }

    /// Prints the error on standard error in the one message style.
    pub fn print(&self) {
        if !matches!(self, Error::NothingRead) {
            eprintln!("mailcodes: {self}");
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => f.write_str(m),
            Error::Rules(e) => write!(f, "{e}"),
            Error::Journal(e) => write!(f, "{e}"),
            Error::Time(e) => write!(f, "{e}"),
            Error::Events(e) => write!(f, "{e}"),
            Error::Merge(e) => write!(f, "{e}"),
            Error::Days(e) => write!(f, "{e}"),
            Error::Input(e) => write!(f, "{e}"),
            Error::NothingRead => f.write_str("no input could be read; no report written"),
            Error::State(e) => write!(f, "{e}"),
            Error::Reports { dir, error } => write!(
                f,
                "{}: cannot write the reports: {}",
                dir.display(),
                io_words(error)
            ),
            Error::Summary(e) => write!(f, "cannot write the summary: {}", io_words(e)),
            Error::Threads(m) => write!(f, "cannot start worker threads: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::time::TimeError> for Error {
    fn from(e: crate::time::TimeError) -> Error {
        Error::Time(e)
    }
}

/// A warning, in the same style as errors: `mailcodes: warning: …`.
pub fn warn(message: impl fmt::Display) {
    eprintln!("mailcodes: warning: {message}");
}

/// An I/O error in words, without the bare `(os error 2)` that `io::Error` appends, and with
/// a hint for the common cases.
pub fn io_words(e: &io::Error) -> String {
    let plain = match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => {
            "permission denied (run as a user that can read it, e.g. one in the adm group)"
                .to_string()
        }
        io::ErrorKind::AlreadyExists => "already exists".to_string(),
        io::ErrorKind::IsADirectory => "is a folder, not a file".to_string(),
        io::ErrorKind::NotADirectory => "a part of the path is not a folder".to_string(),
        io::ErrorKind::StorageFull => "no space left on the device".to_string(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        _ => e.to_string(),
    };
    match plain.find(" (os error ") {
        Some(i) if plain.ends_with(')') => plain[..i].to_string(),
        _ => plain,
    }
}

/// Whether an output error is a closed pipe (`mailcodes … | head`), which is not a failure.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_words() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(io_words(&e), "no such file or folder");
        let e = io::Error::from_raw_os_error(5); // EIO: kind Other, message kept
        assert!(!io_words(&e).contains("os error"), "{}", io_words(&e));
        let e = io::Error::other("corrupt gzip stream");
        assert_eq!(io_words(&e), "corrupt gzip stream");
    }

    #[test]
    fn every_error_is_exit_two() {
        let errors = [
            Error::Usage("x".into()),
            Error::NothingRead,
            Error::Summary(io::Error::other("x")),
            Error::Threads("x".into()),
        ];
        for e in errors {
            assert_eq!(e.exit(), Exit::Error, "{e}");
        }
    }
}
