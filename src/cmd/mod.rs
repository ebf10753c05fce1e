//! One module per subcommand, each with a `run` that returns the exit status.

pub mod completions;
pub mod days;
pub mod explain;
pub mod inputs;
pub mod man;
pub mod merge;
pub mod scan;

pub use crate::error::{is_broken_pipe, Exit};
