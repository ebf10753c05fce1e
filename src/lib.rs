//! mailcodes: SMTP reply-code statistics from Postfix and Exim logs.
//!
//! The pieces, from bytes to reports:
//! - [`parse`]: pure, allocation-free parsing of one line into an [`parse::Event`];
//! - [`scan`]: finding candidate lines in a chunk and folding events into [`stats::Stats`]
//!   (or, for `{date}` in `--out-dir`, into one per day: [`days`]), through [`tally`];
//! - [`input`] and [`pipeline`]: files, stdin and gzip, chunked and scanned in parallel;
//! - [`persistent`]: the persistent-450 detector;
//! - [`kb`]: the reply-code knowledge base;
//! - [`diagnose`]: why a delivery failed, who must act, and the provider of the relay;
//! - [`report`]: CSV files and the text summary;
//! - [`cli`] and [`cmd`]: the command line.
//!
//! Parsing one line:
//!
//! ```
//! use mailcodes::parse::{parse_line, Class, Context, Line, YearRule};
//!
//! let ctx = Context { year: YearRule::Fixed(2026), ..Context::new(0) };
//! let line = b"Nov 28 06:25:13 mx postfix/smtp[123]: 4F9D1C2: to=<a@example.org>, \
//!     relay=mx.example.org[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.2.2, \
//!     status=deferred (host mx.example.org[192.0.2.1] said: 450 4.2.2 Mailbox full)";
//! let Line::Event(event, 1) = parse_line(line, &ctx) else { panic!("not an event") };
//! assert_eq!(event.code, Some(450));
//! assert_eq!(event.enhanced.unwrap().to_string(), "4.2.2");
//! assert_eq!(event.class, Class::Transient);
//! assert_eq!(event.recipient, b"a@example.org");
//! assert_eq!(event.time.unwrap().to_string(), "2026-11-28T06:25:13");
//! ```
//!
//! Scanning a chunk of lines and reading the statistics:
//!
//! ```
//! use mailcodes::parse::{Context, YearRule};
//! use mailcodes::scan::Scanner;
//!
//! let scanner = Scanner::new(Context { year: YearRule::Fixed(2026), ..Context::new(0) });
//! let log = b"2026-11-28 06:25:13 1jmKso-0009d4-Uf => bob@x.org R=dnslookup T=remote_smtp C=\"250 OK\"\n\
//!             2026-11-28 06:25:14 1jmKso-0009d4-Uf Completed\n";
//! let stats = scanner.scan(log);
//! assert_eq!((stats.lines, stats.events, stats.classes), (2, 1, [1, 0, 0]));
//! ```

pub mod alloc;
pub mod cli;
pub mod cmd;
pub mod days;
pub mod diagnose;
pub mod distinct;
pub mod error;
pub mod events;
pub mod failures;
pub mod input;
pub mod intern;
pub mod journal;
pub mod kb;
pub mod mergeable;
pub mod parse;
pub mod persistent;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod scan;
pub mod slots;
pub mod state;
pub mod stats;
pub mod tally;
pub mod text;
pub mod time;
pub mod types;
pub mod window;

/// Runs the command line and returns the process exit status.
pub fn run(cli: cli::Cli) -> cmd::Exit {
    match cli.command {
        cli::Command::Scan(args) => cmd::scan::run(&args),
        cli::Command::Explain(args) => cmd::explain::run(&args),
        cli::Command::Man(args) => cmd::man::run(&args),
        cli::Command::Completions(args) => cmd::completions::run(&args),
        cli::Command::Merge(args) => cmd::merge::run(&args),
    }
}
