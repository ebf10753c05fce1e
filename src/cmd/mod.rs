//! One module per subcommand, each with a `run` that returns the exit status.

pub mod completions;
pub mod explain;
pub mod inputs;
pub mod man;
pub mod scan;

use std::io;

/// Exit statuses, documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was read and written.
    Success = 0,
    /// An input could not be read, the reports could not be written, or the command line
    /// was wrong.
    Error = 2,
}

/// Whether an output error is a closed pipe (`mailcodes … | head`), which is not a failure.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}
