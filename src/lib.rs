//! mailcodes: SMTP reply-code statistics from Postfix and Exim logs.
//!
//! The pieces, from bytes to reports:
//! - [`parse`]: pure, allocation-free parsing of one line into an [`parse::Event`];
//! - [`scan`]: finding candidate lines in a chunk and folding events into [`stats::Stats`];
//! - [`input`] and [`pipeline`]: files, stdin and gzip, chunked and scanned in parallel;
//! - [`persistent`]: the persistent-450 detector;
//! - [`kb`]: the reply-code knowledge base;
//! - [`report`]: CSV files and the text summary;
//! - [`cli`] and [`cmd`]: the command line.

pub mod cli;
pub mod cmd;
pub mod input;
pub mod kb;
pub mod parse;
pub mod persistent;
pub mod pipeline;
pub mod report;
pub mod scan;
pub mod state;
pub mod stats;
pub mod time;
pub mod window;

/// Runs the command line and returns the process exit status.
pub fn run(cli: cli::Cli) -> cmd::Exit {
    match cli.command {
        cli::Command::Scan(args) => cmd::scan::run(&args),
        cli::Command::Explain(args) => cmd::explain::run(&args),
    }
}
