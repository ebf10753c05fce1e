//! The validated plan of a scan: every option of `mailcodes scan` checked and resolved
//! (inputs, window, parsing context, thresholds, outputs) before any work starts, as
//! ripgrep's `HiArgs` does, so the run itself never looks at raw arguments.

use crate::cli::{FormatArg, ReportKind, ScanArgs};
use crate::error::Error;
use crate::input::Source;
use crate::parse::{Context, Format, YearRule};
use crate::persistent::Rule;
use crate::report::table::Scope;
use crate::window::Window;
use std::path::PathBuf;

/// The default input when no path is given.
pub const DEFAULT_LOG: &str = "/var/log/mail.log";

/// Everything a scan needs, checked.
#[derive(Debug, Clone)]
pub struct ScanPlan {
    /// The inputs, in the order given; errors refer to them by index.
    pub sources: Vec<Source>,
    /// With `--journal`: what to ask journalctl for (then `sources` is empty).
    pub journal: Option<crate::journal::Query>,
    /// Their names for messages and the summary, by the same index.
    pub names: Vec<String>,
    pub window: Window,
    pub context: Context,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub chunk_size: Option<usize>,
    pub mmap: bool,
    /// How long to wait for the state's lock (`--lock-timeout`).
    pub lock_timeout: std::time::Duration,
    pub state: Option<PathBuf>,
    pub out_dir: Option<PathBuf>,
    pub quiet: bool,
    /// Print the JSON document instead of the text summary.
    pub json: bool,
    /// Which report files go into `out_dir` (summary.json always does).
    pub reports: Vec<ReportKind>,
    pub rule: Rule,
    pub top: usize,
    /// `--events FILE`: the events table to write.
    pub events: Option<PathBuf>,
}

impl ScanPlan {
    /// Checks the arguments and resolves them into a plan.
    pub fn from_args(args: &ScanArgs) -> Result<ScanPlan, Error> {
        crate::cmd::inputs::check_quiet(args);
        if let Some(path) = &args.rules {
            let rules = crate::diagnose::Rules::load(path).map_err(Error::Rules)?;
            crate::diagnose::install(rules);
        }
        let sources = crate::cmd::inputs::inputs(args);
        check_state_options(args, &sources)?;
        let window = window(args)?;
        Ok(ScanPlan {
            names: crate::cmd::inputs::input_names(args, &sources),
            journal: crate::cmd::inputs::journal_query(args, &window),
            sources,
            context: context(args, window),
            window,
            threads: args.threads.map_or(0, usize::from),
            chunk_size: args.chunk_size,
            mmap: !args.no_mmap,
            lock_timeout: std::time::Duration::from_secs(args.lock_timeout.into()),
            state: args.state.clone(),
            out_dir: args.out_dir.clone(),
            quiet: args.quiet,
            json: args.output.json,
            reports: reports(&args.output.report),
            rule: Rule {
                min_attempts: args.output.min_attempts,
                min_span_secs: args.output.min_span,
            },
            top: args.output.top,
            events: args.events.clone(),
        })
    }
}

impl ScanPlan {
    /// Whether the report sets go into one folder per day (`{date}` in `--out-dir`).
    pub fn by_day(&self) -> bool {
        self.out_dir
            .as_ref()
            .is_some_and(|d| d.to_string_lossy().contains(DATE))
    }

    /// The tables of what this run prints: all of them for the JSON document, the text
    /// summary's otherwise.
    pub fn printed_scope(&self) -> Scope {
        if self.json {
            Scope::All
        } else {
            Scope::Summary
        }
    }

    /// The tables of this run's report: all of them when files are written.
    pub fn scope(&self) -> Scope {
        if self.out_dir.is_some() {
            Scope::All
        } else {
            self.printed_scope()
        }
    }
}

/// What `--out-dir` may hold to have one folder per day: each day's date replaces it.
pub const DATE: &str = "{date}";

/// The report kinds, each once, in a fixed order (so the set does not depend on how the
/// list was written).
fn reports(list: &[ReportKind]) -> Vec<ReportKind> {
    [ReportKind::Csv, ReportKind::Xlsx, ReportKind::Prom]
        .into_iter()
        .filter(|k| list.contains(k))
        .collect()
}

fn check_state_options(args: &ScanArgs, sources: &[Source]) -> Result<(), Error> {
    if args.state.is_none() {
        return Ok(());
    }
    if sources.contains(&Source::Stdin) {
        return Err(Error::Usage(
            "--state remembers where files were read up to; it cannot be used with standard input (-)"
                .into(),
        ));
    }
    if args.until.is_some() || args.day.is_some() {
        return Err(Error::Usage(
            "--state cannot be combined with --until or -d: the state moves past every line read, so \
             events after the window would never be counted; use --state alone (each run counts what \
             was appended since the last one), or a window without --state"
                .into(),
        ));
    }
    Ok(())
}

fn window(args: &ScanArgs) -> Result<Window, Error> {
    if args.since.is_none() && args.until.is_none() && args.day.is_none() {
        return Ok(Window::default());
    }
    // Reading the system time zone costs a walk over the zoneinfo database: only when needed.
    let tz = jiff::tz::TimeZone::system();
    Ok(crate::window::window(
        args.since.as_deref(),
        args.until.as_deref(),
        args.day.as_deref(),
        jiff::Timestamp::now(),
        &tz,
    )?)
}

fn context(args: &ScanArgs, window: Window) -> Context {
    Context {
        format: match args.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Postfix => Format::Postfix,
            FormatArg::Exim => Format::Exim,
        },
        year: match args.year {
            Some(y) => YearRule::Fixed(y),
            None => YearRule::not_after(crate::input::now()),
        },
        syslog_name: args.syslog_name.as_ref().map(|s| s.as_bytes().to_vec()),
        window,
        host: args.host.as_ref().map(|s| s.as_bytes().to_vec()),
    }
}
