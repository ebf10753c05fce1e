//! `mailcodes scan`: read logs, print the summary, write the CSV files.

use crate::cli::{FormatArg, ScanArgs};
use crate::cmd::inputs::{
    check_quiet, commit_journal_cursor, input_names, inputs, journal_query, missing_log_hint,
    scan_files, show_input, warn_if_no_events, Read,
};
use crate::cmd::{is_broken_pipe, Exit};
use crate::input::{Source, Span};
use crate::parse::{Context, Format, YearRule};
use crate::persistent::Rule;
use crate::pipeline::{InputError, Pipeline};
use crate::report::{self, text::Summary};
use crate::state::{self, State};
use crate::stats::Stats;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The default input when no path is given.
pub const DEFAULT_LOG: &str = "/var/log/mail.log";

/// A progress bar over input bytes on stderr, or a hidden one when stderr is not a
/// terminal, `quiet` is set or `NO_COLOR` is in the environment, so callers never branch.
pub fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || std::env::var_os("NO_COLOR").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
    } else {
        "{msg} {spinner} {bytes} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Runs the command.
pub fn run(args: &ScanArgs) -> Exit {
    match run_checked(args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("mailcodes: {message}");
            Exit::Error
        }
    }
}

fn run_checked(args: &ScanArgs) -> Result<Exit, String> {
    check_quiet(args);
    let sources = inputs(args);
    let names: Vec<String> = input_names(args, &sources);
    if args.state.is_some() && sources.contains(&Source::Stdin) {
        return Err("--state remembers where files were read up to; it cannot be used with standard input (-)".into());
    }
    if args.state.is_some() && (args.until.is_some() || args.day.is_some()) {
        return Err("--state cannot be combined with --until or -d: the state moves past every line read, so \
                    events after the window would never be counted; use --state alone (each run counts what \
                    was appended since the last one), or a window without --state"
            .into());
    }
    let window = if args.since.is_some() || args.until.is_some() || args.day.is_some() {
        // Reading the system time zone costs a walk over the zoneinfo database: only when needed.
        let tz = jiff::tz::TimeZone::system();
        crate::window::window(
            args.since.as_deref(),
            args.until.as_deref(),
            args.day.as_deref(),
            jiff::Timestamp::now(),
            &tz,
        )?
    } else {
        crate::window::Window::default()
    };
    let threads = args.threads.map_or(0, usize::from);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let bar = progress_bar(None, args.quiet);
    let context = Context {
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
    };
    let pipeline = Pipeline {
        context,
        pool: &pool,
        progress: &bar,
        chunk_size: args.chunk_size,
        mmap: !args.no_mmap,
    };

    let journal = journal_query(args, &window);
    // With --state: lock, load, and read only what is new.
    let state = match &args.state {
        Some(path) => {
            let lock = state::lock(path)?;
            Some((path, lock, State::load(path)?))
        }
        None => None,
    };
    let (mut stats, errors, new_state) = match state {
        Some((path, lock, mut st)) => {
            let (stats, errors) = match &journal {
                Some(query) => crate::journal::scan(&pipeline, query),
                None => scan_incremental(&pipeline, &sources, &mut st),
            };
            (stats, errors, Some((path, lock, st)))
        }
        None => {
            let (stats, errors) = match &journal {
                Some(query) => crate::journal::scan(&pipeline, query),
                None => scan_files(&pipeline, &sources),
            };
            (stats, errors, None)
        }
    };
    bar.finish_and_clear();
    if let Some((_, _, st)) = &new_state {
        st.restore_evidence(&mut stats.persistent);
    }

    let mut status = Exit::Success;
    for e in &errors {
        eprintln!("mailcodes: {e}");
        if let Some(hint) = missing_log_hint(args, e) {
            eprintln!("mailcodes: {hint}");
        }
        status = Exit::Error;
    }
    // No input could be opened at all: an all-zero report would only hide the error (and
    // overwrite yesterday's files), so there is none.
    let unopened: std::collections::HashSet<&str> = errors
        .iter()
        .filter(|e| e.line.is_none())
        .map(|e| e.name.as_str())
        .collect();
    if names.iter().all(|n| unopened.contains(n.as_str())) {
        return Ok(Exit::Error);
    }
    let rule = Rule {
        min_attempts: args.min_attempts,
        min_span_secs: args.min_span,
    };
    let mut reports_ok = true;
    if let Some(dir) = &args.out_dir {
        let dir = out_dir(dir, &window, &stats);
        if let Err(e) = write_csvs(&dir, &stats, &rule) {
            eprintln!("mailcodes: cannot write reports to {}: {e}", dir.display());
            status = Exit::Error;
            reports_ok = false;
        }
    }
    if !args.quiet {
        let window_line = window.is_set().then(|| {
            format!(
                "{}; {} event(s) outside it left out",
                window.describe(),
                stats.outside_window
            )
        });
        let summary = Summary {
            inputs: &names,
            rule,
            top: args.top,
            window: window_line,
        };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let result = report::text::write(&mut out, &stats, &summary).and_then(|()| out.flush());
        if let Err(e) = result {
            if !is_broken_pipe(&e) {
                eprintln!("mailcodes: cannot write the summary: {e}");
                status = Exit::Error;
                reports_ok = false;
            }
        }
    }
    // The state moves on only once the reports are out: a run that fails redoes the work.
    if let Some((path, _lock, mut st)) = new_state {
        if reports_ok {
            st.keep_open_evidence(&stats.persistent, stats.last);
            st.save(path)
                .map_err(|e| format!("{}: cannot write the state: {e}", path.display()))?;
            commit_journal_cursor(args, path).map_err(|e| e.to_string())?;
        } else {
            eprintln!(
                "mailcodes: {}: state left unchanged, so the next run reads the same lines again",
                path.display()
            );
        }
    }
    Ok(status)
}

/// Reads what is new in each file since the state was written, and records where it stopped.
fn scan_incremental(
    pipeline: &Pipeline<'_>,
    sources: &[Source],
    st: &mut State,
) -> (Stats, Vec<InputError>) {
    let mut total = Stats::default();
    let mut errors = Vec::new();
    for source in sources {
        let Source::Path(path) = source else { continue };
        let key = std::path::absolute(path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string();
        let plan = match state::plan(path, st.files.get(&key)) {
            Ok(p) => p,
            Err(error) => {
                errors.push(InputError {
                    name: source.name(),
                    line: None,
                    error,
                });
                continue;
            }
        };
        if let Some(w) = &plan.warning {
            eprintln!("mailcodes: warning: {w}");
        }
        let mut failed = false;
        let mut read = Read::default();
        for piece in &plan.pieces {
            let span = Span {
                start: piece.start,
                end: piece.end,
            };
            let piece_source = Source::Path(piece.path.clone());
            show_input(pipeline.progress, &piece_source, span);
            let (stats, err) = pipeline.scan_source(&piece_source, span);
            read.add(&stats);
            total.merge(stats);
            if let Some(e) = err {
                failed = true;
                errors.push(e);
            }
        }
        if !failed {
            warn_if_no_events(source, read, true);
            st.files.insert(key, plan.after);
        }
    }
    (total, errors)
}

/// The output folder, with `{date}` replaced by the window's start date (or, without a
/// window, the date of the first event; without events, today).
fn out_dir(dir: &Path, window: &crate::window::Window, stats: &Stats) -> PathBuf {
    let text = dir.to_string_lossy();
    if !text.contains("{date}") {
        return dir.to_path_buf();
    }
    let date = window
        .since
        .map(|b| b.stamp().date_string())
        .or_else(|| stats.first.map(|s| s.date_string()))
        .unwrap_or_else(|| jiff::Zoned::now().date().to_string());
    PathBuf::from(text.replace("{date}", &date))
}

fn write_csvs(dir: &Path, stats: &Stats, rule: &Rule) -> std::io::Result<()> {
    let files = report::csv::render_all(stats, rule)?;
    report::write_atomically(dir, &files)
}
