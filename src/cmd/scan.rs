//! `mailcodes scan`: read logs, print the summary, write the CSV files.

use crate::cli::{FormatArg, ScanArgs};
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
            commit_journal_cursor(args, path)?;
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

/// Warns when `-q` is given without `-o` or `--state`: such a run prints nothing, writes
/// nothing and remembers nothing; only its exit status says whether the inputs could be read.
/// A warning rather than an error, because that is still of use to time a scan or to check
/// that logs are readable (the benchmarks and a memory test run exactly that).
fn check_quiet(args: &ScanArgs) {
    if args.quiet && args.out_dir.is_none() && args.state.is_none() {
        eprintln!(
            "mailcodes: warning: -q without -o (or --state) prints and writes nothing; only the \
             exit status tells whether the inputs could be read. Add -o DIR for the CSV files, or \
             leave out -q for the summary"
        );
    }
}

/// The inputs: the paths given; with none, standard input when it is a pipe, a file or a
/// socket (as ripgrep does; not with --state, which cannot track stdin), else
/// [`DEFAULT_LOG`]. Empty with --journal.
fn inputs(args: &ScanArgs) -> Vec<Source> {
    if args.journal {
        Vec::new()
    } else if !args.paths.is_empty() {
        args.paths.iter().map(|p| Source::from_arg(p)).collect()
    } else if args.state.is_none() && stdin_is_readable() {
        vec![Source::Stdin]
    } else {
        vec![Source::Path(PathBuf::from(DEFAULT_LOG))]
    }
}

/// The input names for messages and the summary.
fn input_names(args: &ScanArgs, sources: &[Source]) -> Vec<String> {
    if args.journal {
        vec![crate::journal::NAME.to_string()]
    } else {
        sources.iter().map(Source::name).collect()
    }
}

/// Whether standard input was redirected from something that can be read: a pipe, a file or a
/// socket. A terminal, or `/dev/null` as under systemd, is not (ripgrep's rule).
fn stdin_is_readable() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    let Ok(meta) = std::fs::File::from(fd).metadata() else {
        return false;
    };
    let kind = meta.file_type();
    kind.is_file() || kind.is_fifo() || kind.is_socket()
}

/// With --journal, what to ask journalctl for: the window's instants and, with --state, the
/// working copy of the cursor next to the state.
fn journal_query(args: &ScanArgs, window: &crate::window::Window) -> Option<crate::journal::Query> {
    if !args.journal {
        return None;
    }
    Some(crate::journal::Query {
        since: window.since.map(|b| b.instant),
        until: window.until.map(|b| b.instant),
        cursor: args.state.as_deref().map(crate::journal::Cursor::for_state),
    })
}

/// With --journal and --state, once the state is saved: the cursor journalctl wrote becomes
/// the kept one (before `journal::scan` ran, `Cursor::prepare` made its working copy).
fn commit_journal_cursor(args: &ScanArgs, state: &Path) -> Result<(), String> {
    if !args.journal {
        return Ok(());
    }
    crate::journal::Cursor::for_state(state)
        .commit()
        .map_err(|e| e.to_string())
}

/// The hint printed after an error about the default log when it does not exist.
fn missing_log_hint(args: &ScanArgs, e: &InputError) -> Option<&'static str> {
    let defaulted = args.paths.is_empty() && !args.journal && e.name == DEFAULT_LOG;
    (defaulted && e.line.is_none() && e.error.kind() == std::io::ErrorKind::NotFound).then_some(
        "hint: this system may log mail to the systemd journal only: try `mailcodes scan \
         --journal`; or give the log's path, or `-` to read standard input",
    )
}

/// Scans each source in turn, showing its name in the progress bar and warning about any
/// that holds no mail event.
fn scan_files(pipeline: &Pipeline<'_>, sources: &[Source]) -> (Stats, Vec<InputError>) {
    let mut total = Stats::default();
    let mut errors = Vec::new();
    for source in sources {
        show_input(pipeline.progress, source, Span::default());
        let (stats, err) = pipeline.scan_source(source, Span::default());
        if err.is_none() {
            let mut read = Read::default();
            read.add(&stats);
            warn_if_no_events(source, read, false);
        }
        total.merge(stats);
        errors.extend(err);
    }
    (total, errors)
}

/// Lines read from one input, and how many of them were mail events.
#[derive(Debug, Clone, Copy, Default)]
struct Read {
    lines: u64,
    event_lines: u64,
}

impl Read {
    fn add(&mut self, stats: &Stats) {
        self.lines += stats.lines;
        self.event_lines += stats.event_lines;
    }
}

/// Warns on stderr when an input that was read held no mail event (a wrong file, another
/// compression than gzip). An incremental run that found nothing new says nothing.
fn warn_if_no_events(source: &Source, read: Read, incremental: bool) {
    if read.event_lines > 0 || (incremental && read.lines == 0) {
        return;
    }
    let what = match read.lines {
        0 => "is empty".to_string(),
        n => format!("holds no Postfix or Exim mail event in {n} line(s)"),
    };
    let name = report::clean_text(source.name().as_bytes());
    let hint = match source {
        Source::Path(_) if read.lines == 0 => String::new(),
        Source::Path(p) => match compression_of(p) {
            Some(tool) => format!(
                "; it looks {tool}-compressed, which mailcodes does not read: \
                 try `{tool}cat {name} | mailcodes scan -`"
            ),
            None => "; is it a mail log? (--format and --syslog-name also leave lines out)".into(),
        },
        Source::Stdin => String::new(),
    };
    eprintln!("mailcodes: warning: {name}: {what}{hint}");
}

/// The compression a file's first bytes announce, among those mailcodes does not read, as the
/// prefix of its `…cat` tool.
fn compression_of(path: &Path) -> Option<&'static str> {
    use std::io::Read as _;
    const MAGIC: [(&[u8], &str); 4] = [
        (b"\xfd7zXZ\x00", "xz"),
        (b"\x28\xb5\x2f\xfd", "zstd"),
        (b"BZh", "bz"),
        (b"\x04\x22\x4d\x18", "lz4"),
    ];
    let mut head = [0u8; 6];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    MAGIC
        .iter()
        .find(|(magic, _)| head[..n].starts_with(magic))
        .map(|(_, tool)| *tool)
}

/// Points the progress bar at one input: its name, and the bytes the pipeline will count for
/// it (file bytes; for gzip the compressed bytes, which is what is read from the file). Each
/// input starts a fresh bar, so the rate and ETA are those of this input: a gzip file is read
/// many times slower per byte than a plain one, and a rate mixed over both gave a wrong ETA.
fn show_input(bar: &ProgressBar, source: &Source, span: Span) {
    let len = match source {
        Source::Path(p) => progress_len(p, span),
        Source::Stdin => None,
    };
    let template = if len.is_some() {
        "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
    } else {
        "{msg} {spinner} {bytes} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.reset();
    match len {
        Some(n) => bar.set_length(n),
        None => bar.unset_length(),
    }
    bar.set_message(report::clean_text(source.name().as_bytes()));
}

/// How many bytes of a file the pipeline reads for `span`: the part of a plain file, the
/// whole of a gzip file (its start is skipped by decompressing it).
fn progress_len(path: &Path, span: Span) -> Option<u64> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).ok()?;
    if magic[..n] == [0x1f, 0x8b] {
        return Some(size);
    }
    let end = span.end.map_or(size, |e| e.min(size));
    Some(end.saturating_sub(span.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes the pipeline counts for an input are exactly the length the bar is given,
    /// for plain files (mapped or read), gzip, and the part of a file an incremental run reads:
    /// the bar ends full, and the rate and ETA are in one unit.
    #[test]
    fn progress_counts_what_the_bar_is_sized_for() {
        let dir = tempfile::tempdir().unwrap();
        let line = b"Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<a@b.org>, relay=x, dsn=2.0.0, status=sent (250 ok)\n";
        let plain = dir.path().join("mail.log");
        std::fs::write(&plain, line.repeat(5000)).unwrap();
        let gz = dir.path().join("mail.log.2.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&line.repeat(5000)).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let part = Span {
            start: line.len() as u64 * 10,
            end: Some(line.len() as u64 * 4000),
        };
        let cases = [
            (&plain, Span::default(), true),
            (&plain, Span::default(), false),
            (&plain, part, true),
            (&plain, part, false),
            (&gz, Span::default(), true),
            (
                &gz,
                Span {
                    start: 500,
                    end: None,
                },
                true,
            ),
        ];
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        for (path, span, mmap) in cases {
            let bar = ProgressBar::hidden();
            let pipeline = Pipeline {
                context: Context::new(0),
                pool: &pool,
                progress: &bar,
                chunk_size: Some(64 << 10),
                mmap,
            };
            let source = Source::Path(path.clone());
            show_input(&bar, &source, span);
            let (stats, err) = pipeline.scan_source(&source, span);
            assert!(err.is_none() && stats.events > 0, "{path:?} {span:?}");
            let (len, pos) = (bar.length().unwrap(), bar.position());
            if span.end.is_some() && !mmap {
                // Read with read() (--no-mmap), the end of the part is cut after counting, so
                // the last buffer read (64 KiB) may count bytes past it (src/input.rs).
                assert!((len..len + (64 << 10)).contains(&pos), "{len} {pos}");
            } else {
                assert_eq!(len, pos, "{path:?} {span:?} mmap {mmap}");
            }
        }
    }
}
