//! `mailcodes scan`: read logs, print the summary, write the CSV files.

use crate::cli::{FormatArg, ScanArgs};
use crate::cmd::{is_broken_pipe, Exit};
use crate::input::Source;
use crate::parse::{Context, Format, YearRule};
use crate::persistent::Rule;
use crate::pipeline::Pipeline;
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
        "{spinner} {bytes} {bytes_per_sec}"
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
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_LOG)]
    } else {
        args.paths.clone()
    };
    let sources: Vec<Source> = paths.iter().map(|p| Source::from_arg(p)).collect();
    let names: Vec<String> = sources.iter().map(Source::name).collect();
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
    let total_bytes: Option<u64> = sources
        .iter()
        .map(|s| match s {
            Source::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Stdin => None,
        })
        .sum();
    let bar = progress_bar(total_bytes, args.quiet);
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
        mmap: mmap_choice(args.no_mmap),
    };

    // With --state: lock, load, and read only what is new.
    let state = match &args.state {
        Some(path) => {
            let timeout = std::time::Duration::from_secs(args.lock_timeout.max(0) as u64);
            let lock = state::lock_with_timeout(path, timeout, |m| eprintln!("mailcodes: {m}"))?;
            Some((path, lock, State::load(path)?))
        }
        None => None,
    };
    let (mut stats, errors, new_state) = match state {
        Some((path, lock, mut st)) => {
            let (stats, errors) = state::scan_new(&pipeline, &sources, &mut st)?;
            (stats, errors, Some((path, lock, st)))
        }
        None => {
            let (stats, errors) = pipeline.run(&sources);
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
    // An input failed and nothing at all was read: a report of nothing would replace the
    // last good one, so there is none.
    if !errors.is_empty() && stats.lines == 0 {
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
            st.keep_open_evidence(&stats.persistent, stats.last, crate::input::now());
            st.save(path)?;
        } else {
            eprintln!(
                "mailcodes: {}: state left unchanged, so the next run reads the same lines again",
                path.display()
            );
        }
    }
    Ok(status)
}

/// Which files may be memory-mapped: none with `--no-mmap`, else settled ones.
#[allow(unsafe_code)]
fn mmap_choice(no_mmap: bool) -> crate::input::MmapChoice {
    if no_mmap {
        return crate::input::MmapChoice::never();
    }
    // SAFETY: only settled files are mapped (rotated files found by --state, files not
    // modified for 10 minutes), and logrotate and syslog daemons neither rewrite nor truncate
    // those; the live log is read with read(). See `MmapChoice::settled_files`.
    unsafe { crate::input::MmapChoice::settled_files() }
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
