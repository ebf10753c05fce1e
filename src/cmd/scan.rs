//! `mailcodes scan`: plan → scan → report → commit.
//!
//! The arguments become a checked [`ScanPlan`]; the inputs are scanned (with `--state`,
//! only what is new since the last run); the reports are written; and only then does the
//! state move on, so a run that fails redoes its work next time instead of losing it.

use crate::cli::{ReportKind, ScanArgs};
use crate::cmd::inputs::{
    commit_journal_cursor, missing_log_hint, show_input, warn_if_no_events, Read,
};
use crate::days::Days;
use crate::error::{is_broken_pipe, Error, Exit};
use crate::input::{Source, Span};
use crate::pipeline::{both, InputError, Pipeline};
use crate::plan::ScanPlan;
use crate::report::{
    self, atomic::Staged, table::Counted, table::Report, table::Scope, text::Summary,
};
use crate::state::{self, Lock, State};
use crate::stats::Stats;
use crate::tally::Tally;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    match run_plan(args) {
        Ok(status) => status,
        Err(e) => {
            e.print();
            e.exit()
        }
    }
}

/// What a scan found, and the state to commit once the reports are out.
pub(crate) struct Scanned<T> {
    pub(crate) stats: T,
    pub(crate) errors: Vec<(usize, InputError)>,
    pub(crate) state: Option<(PathBuf, Lock, State)>,
}

fn run_plan(args: &ScanArgs) -> Result<Exit, Error> {
    let plan = ScanPlan::from_args(args)?;
    if let Some(dir) = &plan.out_dir {
        install_key(args, dir)?;
    }
    if let Some(path) = &plan.events {
        let writer = crate::events::EventsWriter::create(path).map_err(Error::Events)?;
        crate::events::sink::install(writer);
    }
    // One pool scans and then makes the reports: its threads are running already, where
    // threads started for the report's steps waited for the scan's to end (1.5 to 4 ms
    // after a 200 MB log).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    if plan.by_day() {
        let mut scanned = scan::<Days>(&plan, &pool)?;
        let status = check_read(args, &plan, &mut scanned)?;
        pool.install(|| crate::cmd::days::finish(args, &plan, scanned, status))
    } else {
        let mut scanned = scan::<Stats>(&plan, &pool)?;
        let status = check_read(args, &plan, &mut scanned)?;
        pool.install(|| finish(args, &plan, scanned, status))
    }
}

/// Ends the events table and reports the inputs that failed. The status is 2 when any did;
/// when nothing could be read at all, there is no report: an all-zero one would only hide
/// the error (and replace yesterday's files).
fn check_read<T: Tally>(
    args: &ScanArgs,
    plan: &ScanPlan,
    scanned: &mut Scanned<T>,
) -> Result<Exit, Error> {
    let mut status = Exit::Success;
    scanned.stats.flush_events();
    if let Some(Err(e)) = crate::events::sink::finish() {
        Error::Events(e).print();
        status = Exit::Error;
    }
    for (_, e) in &scanned.errors {
        eprintln!("mailcodes: {e}");
        if let Some(hint) = missing_log_hint(args, e) {
            eprintln!("mailcodes: {hint}");
        }
        status = Exit::Error;
    }
    let unopened = |i: usize| {
        scanned
            .errors
            .iter()
            .any(|(j, e)| *j == i && e.line.is_none())
    };
    let inputs = if plan.journal.is_some() {
        1
    } else {
        plan.sources.len()
    };
    if (0..inputs).all(unopened) {
        return Err(Error::NothingRead);
    }
    // An input failed and nothing at all was read: a report of nothing would replace the
    // last good one, so there is none.
    if !scanned.errors.is_empty() && scanned.stats.read().0 == 0 {
        return Err(Error::NothingRead);
    }
    Ok(status)
}

/// Writes the one report set of a scan without `{date}`, then commits the state.
fn finish(
    args: &ScanArgs,
    plan: &ScanPlan,
    mut scanned: Scanned<Stats>,
    mut status: Exit,
) -> Result<Exit, Error> {
    // The mergeable summary holds this run's lines only (before the evidence carried from
    // earlier runs is added), so that merging days of one `--state` host counts each once.
    // It is streamed into its temporary file in the out folder, joining the report set
    // when that is committed. Meanwhile the report is made: with `--state`, only the tables
    // that do not need that evidence; without, the whole report, its files staged too (on
    // a 1 GB log the mergeable summary takes as long as the report and its files together).
    let stats = &scanned.stats;
    let shows = !(plan.quiet && plan.out_dir.is_none());
    let parallel = plan.threads != 1;
    let stage_mergeable = || {
        let id = crate::mergeable::key::current_id();
        let dir = plan.out_dir.as_deref();
        dir.map(|dir| crate::mergeable::stage(dir, stats, &id))
    };
    let (mergeable, made) = if scanned.state.is_none() {
        both(parallel, stage_mergeable, || {
            shows.then(|| Made::new(plan, stats, Counted::new(stats, parallel, plan.scope())))
        })
    } else {
        let (mergeable, counted) = both(parallel, stage_mergeable, || {
            shows.then(|| Counted::new(stats, parallel, plan.scope()))
        });
        if let Some((path, _, st)) = &scanned.state {
            st.restore_evidence(&mut scanned.stats.persistent, path)
                .map_err(Error::State)?;
        }
        let made = counted.map(|counted| Made::new(plan, &scanned.stats, counted));
        (mergeable, made)
    };
    let written = made.map_or(Ok(()), |made| made.commit(plan, mergeable));
    let reports_ok = match written {
        Ok(()) => true,
        Err(e) => {
            e.print();
            status = e.exit();
            false
        }
    };
    commit(args, scanned.state.as_mut(), &scanned.stats, reports_ok)?;
    free_in_background(std::mem::take(&mut scanned.stats));
    Ok(status)
}

/// Frees `v` on a thread of its own, which the process does not wait for when it exits
/// next: freeing the tables of millions of domains one allocation at a time took a fifth of
/// a report's time. (In a process that goes on, the thread frees it all the same.)
fn free_in_background<T: Send + 'static>(v: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(v));
}

/// Installs the fleet's hash key before anything is hashed, so that merge.jsonl's recipient
/// hashes merge with other hosts'. A key given explicitly must work; the default one (beside
/// the out folder) may fail with a warning: the run then hashes with a key of its own.
fn install_key(args: &ScanArgs, dir: &Path) -> Result<(), Error> {
    use crate::mergeable::key::{default_for, explicit, Key};
    let given = explicit(args.hash_key.as_deref());
    let path = given.clone().unwrap_or_else(|| default_for(dir));
    match Key::read_or_create(&path).and_then(|k| k.install()) {
        Err(e) if given.is_none() => {
            crate::error::warn(format_args!(
                "{e}; merge.jsonl is written with a key of this run alone (give --hash-key to merge it)"
            ));
            Ok(())
        }
        other => other.map_err(Error::Merge),
    }
}

/// Scans every input: with `--state` under its lock and only what is new.
fn scan<T: Tally>(plan: &ScanPlan, pool: &rayon::ThreadPool) -> Result<Scanned<T>, Error> {
    // Each input sizes the bar itself (see `show_input`): rates of plain and compressed
    // bytes do not mix into one ETA.
    let bar = progress_bar(None, plan.quiet);
    let pipeline = Pipeline {
        context: plan.context.clone(),
        pool,
        progress: &bar,
        chunk_size: plan.chunk_size,
        mmap: mmap_choice(plan.mmap),
    };
    let scanned = match &plan.state {
        Some(path) => {
            let say = |m: &str| eprintln!("mailcodes: {m}");
            let lock =
                state::lock_with_timeout(path, plan.lock_timeout, say).map_err(Error::State)?;
            let mut st = State::load(path).map_err(Error::State)?;
            let (stats, errors) = match &plan.journal {
                Some(query) => journal(&pipeline, query),
                None => scan_incremental(&pipeline, &plan.sources, &mut st)?,
            };
            Scanned {
                stats,
                errors,
                state: Some((path.clone(), lock, st)),
            }
        }
        None => {
            let (stats, errors) = match &plan.journal {
                Some(query) => journal(&pipeline, query),
                None => scan_all(&pipeline, &plan.sources),
            };
            Scanned {
                stats,
                errors,
                state: None,
            }
        }
    };
    bar.finish_and_clear();
    Ok(scanned)
}

/// Reads the journal through journalctl: one input, index 0.
fn journal<T: Tally>(
    pipeline: &Pipeline<'_>,
    query: &crate::journal::Query,
) -> (T, Vec<(usize, InputError)>) {
    let (stats, errors) = crate::journal::scan(pipeline, query);
    (stats, errors.into_iter().map(|e| (0, e)).collect())
}

/// Scans every source whole, showing its name in the progress bar and warning about any
/// that holds no mail event; errors are collected by input index, not fatal.
fn scan_all<T: Tally>(
    pipeline: &Pipeline<'_>,
    sources: &[Source],
) -> (T, Vec<(usize, InputError)>) {
    let mut total = T::default();
    let mut errors = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        show_input(pipeline.progress, source, Span::default());
        let (stats, err): (T, _) = pipeline.scan_source(source, Span::default());
        if err.is_none() {
            let mut read = Read::default();
            read.add(&stats);
            warn_if_no_events(source, read, false);
        }
        total.merge(stats);
        errors.extend(err.map(|e| (i, e)));
    }
    (total, errors)
}

/// Reads what is new in each file since the state was written (see [`state::scan_new`]),
/// showing each piece in the progress bar and warning about inputs without mail events.
fn scan_incremental<T: Tally>(
    pipeline: &Pipeline<'_>,
    sources: &[Source],
    st: &mut State,
) -> Result<(T, Vec<(usize, InputError)>), Error> {
    let show = |path: &Path, span: Span| {
        show_input(pipeline.progress, &Source::Path(path.to_path_buf()), span);
    };
    let done = |i: usize, stats: &T| {
        let mut read = Read::default();
        read.add(stats);
        warn_if_no_events(&sources[i], read, true);
    };
    state::scan_new(pipeline, sources, st, show, done).map_err(Error::State)
}

/// Which files may be memory-mapped: none with `--no-mmap`, else settled ones.
#[allow(unsafe_code)]
fn mmap_choice(allowed: bool) -> crate::input::MmapChoice {
    if !allowed {
        return crate::input::MmapChoice::never();
    }
    // SAFETY: only settled files are mapped (rotated files found by --state, files not
    // modified for 10 minutes), and logrotate and syslog daemons neither rewrite nor truncate
    // those; the live log is read with read(). See `MmapChoice::settled_files`.
    unsafe { crate::input::MmapChoice::settled_files() }
}

/// The report's line about the window, with the events `stats` counted outside it.
fn window_line(plan: &ScanPlan, stats: &Stats) -> Option<String> {
    plan.window.is_set().then(|| {
        format!(
            "{}; {} event(s) outside it left out",
            plan.window.describe(),
            stats.outside_window
        )
    })
}

/// The report of `stats` under the plan (its rule, its inputs and its window), with the
/// tables of `scope`.
pub(crate) fn report_of(plan: &ScanPlan, stats: &Stats, scope: Scope) -> Report {
    Counted::new(stats, plan.threads != 1, scope).finish(
        stats,
        &plan.rule,
        &plan.names,
        window_line(plan, stats),
    )
}

/// A scan's report, with its files staged in the out folder (with `--out-dir`) but not yet
/// in place.
struct Made {
    report: Report,
    staged: Option<std::io::Result<StagedFiles>>,
}

impl Made {
    /// The report made of `counted` (with the persistent list of `stats`), and its files.
    fn new(plan: &ScanPlan, stats: &Stats, counted: Counted) -> Made {
        let report = counted.finish(stats, &plan.rule, &plan.names, window_line(plan, stats));
        let staged = plan
            .out_dir
            .as_deref()
            .map(|dir| stage_files(&plan.reports, dir, &report, plan.threads != 1));
        Made { report, staged }
    }

    /// Puts the report files in place (the staged `merge.jsonl` among them) and prints the
    /// summary (unless `--quiet`).
    fn commit(
        self,
        plan: &ScanPlan,
        mergeable: Option<Result<Staged, report::atomic::Error>>,
    ) -> Result<(), Error> {
        let mut result = Ok(());
        if let (Some(dir), Some(staged), Some(mergeable)) = (&plan.out_dir, self.staged, mergeable)
        {
            let written = mergeable
                .map_err(std::io::Error::from)
                .and_then(|m| commit_files(dir, staged?, m));
            if let Err(error) = written {
                result = Err(Error::Reports {
                    dir: dir.clone(),
                    error,
                });
            }
        }
        print_summary(plan, &self.report)?;
        free_in_background(self.report);
        result
    }
}

/// Prints the summary on stdout (the JSON document with `--json`), unless `--quiet`; a
/// closed pipe is not an error.
pub(crate) fn print_summary(plan: &ScanPlan, report: &Report) -> Result<(), Error> {
    if plan.quiet {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if plan.json {
        report::json::write(&mut out, report)
    } else {
        report::text::write(&mut out, report, &Summary::for_stdout(plan.top))
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if !is_broken_pipe(&e) => Err(Error::Summary(e)),
        _ => Ok(()),
    }
}

/// The state moves on only once the reports are out: a run that fails redoes the work.
/// Returns whether it moved on.
pub(crate) fn commit(
    args: &ScanArgs,
    state: Option<&mut (PathBuf, Lock, State)>,
    stats: &Stats,
    reports_ok: bool,
) -> Result<bool, Error> {
    let Some((path, _lock, st)) = state else {
        return Ok(false);
    };
    if !reports_ok {
        eprintln!(
            "mailcodes: {}: state left unchanged, so the next run reads the same lines again",
            path.display()
        );
        return Ok(false);
    }
    let now = crate::input::now();
    st.keep_open_evidence(&stats.persistent, stats.last, now);
    st.generation += 1;
    st.save(path).map_err(Error::State)?;
    commit_journal_cursor(args, path).map_err(Error::Journal)?;
    Ok(true)
}

/// Renders the reports of `--report` that are made in memory: the workbook and the
/// Prometheus textfile (the CSV files and summary.json are streamed: [`write_files`]).
fn render_in_memory(
    kinds: &[ReportKind],
    report: &Report,
) -> std::io::Result<Vec<(&'static str, Vec<u8>)>> {
    let mut files = Vec::new();
    for kind in kinds {
        match kind {
            ReportKind::Csv => {}
            ReportKind::Xlsx => {
                let book = report::xlsx::render(report).map_err(std::io::Error::other)?;
                files.push(("mailcodes.xlsx", book));
            }
            ReportKind::Prom => {
                let end = jiff::Timestamp::now().as_second();
                let text = report::prom::render(report, end).into_bytes();
                files.push(("mailcodes.prom", text));
            }
        }
    }
    Ok(files)
}

/// Writes the report set into `dir`, with the mergeable summary staged there
/// (`crate::mergeable::stage`): [`stage_files`], then [`commit_files`].
pub(crate) fn write_files(
    kinds: &[ReportKind],
    dir: &Path,
    report: &Report,
    mergeable: Staged,
    parallel: bool,
) -> std::io::Result<()> {
    commit_files(dir, stage_files(kinds, dir, report, parallel)?, mergeable)
}

/// The files of a report set: those rendered in memory (the workbook, the metrics) and
/// those already staged in the out folder.
pub(crate) struct StagedFiles {
    in_memory: Vec<(&'static str, Vec<u8>)>,
    staged: Vec<Staged>,
}

/// Stages the report files of `kinds` in `dir`. The CSV files and summary.json are written
/// straight into their temporary files, summary.json beside the CSV files when `parallel`:
/// a report of millions of domains was held in memory once more as text (1.5 GB of JSON for
/// 5.3 M domains and providers).
fn stage_files(
    kinds: &[ReportKind],
    dir: &Path,
    report: &Report,
    parallel: bool,
) -> std::io::Result<StagedFiles> {
    debug_assert_eq!(report.scope, Scope::All, "report files have every table");
    let in_memory = render_in_memory(kinds, report)?;
    let csv = || -> std::io::Result<Vec<Staged>> {
        if !kinds.contains(&ReportKind::Csv) {
            return Ok(Vec::new());
        }
        let each = report.tables.iter().map(|t| {
            stream(dir, &format!("{}.csv", t.name), |w| {
                report::csv::write_table(w, t)
            })
        });
        each.collect()
    };
    let json = || stream(dir, "summary.json", |w| report::json::write(w, report));
    let (csv, json) = both(parallel, csv, json);
    let mut staged = csv?;
    staged.push(json?);
    Ok(StagedFiles { in_memory, staged })
}

/// Puts the staged `files` and the mergeable summary in place in `dir`, all or none.
fn commit_files(dir: &Path, files: StagedFiles, mergeable: Staged) -> std::io::Result<()> {
    let mut staged = files.staged;
    staged.push(mergeable);
    report::atomic::write_set_with(dir, &files.in_memory, staged).map_err(std::io::Error::from)
}

/// Stages report `name` in `dir`, written by `write` through a buffer.
fn stream(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<Staged> {
    report::atomic::stage_streamed(dir, name, |file| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut w)?;
        std::io::Write::flush(&mut w)
    })
    .map_err(std::io::Error::from)
}
