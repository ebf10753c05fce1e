//! `mailcodes scan` with `{date}` in `--out-dir`: one report set per local day, each holding
//! what one pass over that day's lines would (see [`crate::days`] for how lines and events
//! are dated).
//!
//! Without `--state` a run replaces the folder of each day it read, as a scan replaces its
//! one folder. With `--state` runs read a log piece by piece, so each run adds what it read
//! to what a day's folder holds: the folder's `merge.jsonl` is read back (as `mailcodes merge`
//! reads it), the run's counts of that day are merged in, and the whole report set is
//! written again. Every folder is checked before any is written, and a run that fails half
//! way never makes the next one count a line twice ([`crate::days::folders`]).
//!
//! The summary on stdout and the state's kept evidence are those of the whole run, as
//! without `{date}`.

use crate::cli::ScanArgs;
use crate::cmd::scan::{commit, print_summary, report_of, write_files, Scanned};
use crate::days::folders::{self, Pending};
use crate::days::{date_string, day_of, Days};
use crate::error::{Error, Exit};
use crate::plan::{ScanPlan, DATE};
use crate::report::table::Scope;
use crate::stats::Stats;
use crate::window::Window;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// One day's folder: this run's counts of the day, and what the folder held before.
struct Folder {
    dir: PathBuf,
    run: Stats,
    base: Option<Stats>,
}

/// Writes a folder per day, prints the run's summary and commits the state.
pub(crate) fn finish(
    args: &ScanArgs,
    plan: &ScanPlan,
    scanned: Scanned<Days>,
    mut status: Exit,
) -> Result<Exit, Error> {
    let Scanned {
        stats: days,
        state: mut held,
        ..
    } = scanned;
    let fallback = plan.window.since.map(|b| day_of(b.stamp()));
    let (mut folders, mut total) = folders_of(plan, days.into_days(fallback, today()));
    let mut pending = match &held {
        Some((path, _, st)) => Some(Pending::open(path, st.generation).map_err(Error::Days)?),
        None => None,
    };
    if let Some(p) = pending.as_mut() {
        prepare(&mut folders, p)?;
    }
    let generation = pending.as_ref().map(Pending::generation);
    let reports_ok = match write_all(plan, &mut folders, generation) {
        Ok(()) => true,
        Err(e) => {
            e.print();
            status = e.exit();
            false
        }
    };
    for f in folders {
        total.merge(f.run);
    }
    if let Some((path, _, st)) = &held {
        st.restore_evidence(&mut total.persistent, path)
            .map_err(Error::State)?;
    }
    print_summary(plan, &report_of(plan, &total, plan.printed_scope()))?;
    let committed = commit(args, held.as_mut(), &total, reports_ok)?;
    if let (true, Some(p)) = (committed, pending) {
        p.finish();
    }
    Ok(status)
}

/// The folders of the days to write, and the counts of the days left out (a day outside
/// the window), which the run's summary still counts.
fn folders_of(plan: &ScanPlan, days: Vec<(i64, Stats)>) -> (Vec<Folder>, Stats) {
    let pattern = plan.out_dir.clone().unwrap_or_default();
    let mut left_out = Stats::default();
    let mut folders = Vec::new();
    for (day, run) in days {
        if belongs(&plan.window, day, &run) {
            folders.push(Folder {
                dir: folder_of(&pattern, day),
                run,
                base: None,
            });
        } else {
            left_out.merge(run);
        }
    }
    (folders, left_out)
}

/// Whether a day gets a folder: without a window every day read does; with one, a day
/// that has an event inside it, or whose date lies in it.
fn belongs(window: &Window, day: i64, run: &Stats) -> bool {
    if !window.is_set() || run.events > 0 || run.probes > 0 {
        return true;
    }
    let (start, end) = (day * 86_400, (day + 1) * 86_400);
    window.since.is_none_or(|b| b.local < end) && window.until.is_none_or(|b| b.local > start)
}

/// `--out-dir` with `{date}` replaced by the day's date (byte for byte: a folder name need
/// not be UTF-8).
fn folder_of(pattern: &Path, day: i64) -> PathBuf {
    let (bytes, date) = (pattern.as_os_str().as_bytes(), date_string(day));
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    while let Some(i) = rest.windows(DATE.len()).position(|w| w == DATE.as_bytes()) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(date.as_bytes());
        rest = &rest[i + DATE.len()..];
    }
    out.extend_from_slice(rest);
    PathBuf::from(OsString::from_vec(out))
}

/// Today's local date, as a day number: where a run that dated nothing at all counts.
fn today() -> i64 {
    let d = jiff::Zoned::now().date();
    crate::time::days_from_civil(i64::from(d.year()), d.month() as u32, d.day() as u32)
}

/// Before anything is written: adds the folders a failed run from this state left merged
/// into (they are written again, from their copies), reads what every folder holds — any
/// folder that cannot be merged into is an error, and nothing is written — and lists them
/// all beside the state.
fn prepare(folders: &mut Vec<Folder>, pending: &mut Pending) -> Result<(), Error> {
    for dir in pending.dirs() {
        if !folders.iter().any(|f| &f.dir == dir) {
            folders.push(Folder {
                dir: dir.clone(),
                run: Stats::default(),
                base: None,
            });
        }
    }
    let key = crate::mergeable::key::current_id();
    for f in folders.iter_mut() {
        f.base = folders::base(&f.dir, Some(pending.generation()), &key).map_err(Error::Days)?;
    }
    pending
        .record(folders.iter().map(|f| f.dir.as_path()))
        .map_err(Error::Days)
}

/// Writes each folder's report set: this run's counts of the day merged into what the folder
/// held. With a state (`generation`), what a folder held is kept first (see
/// [`folders::keep_copy`]). Stops at the first folder that cannot be written.
fn write_all(
    plan: &ScanPlan,
    folders: &mut [Folder],
    generation: Option<u64>,
) -> Result<(), Error> {
    let key = crate::mergeable::key::current_id();
    for f in folders {
        if let Some(g) = generation {
            folders::keep_copy(&f.dir, g).map_err(Error::Days)?;
        }
        let merged;
        let stats = match f.base.take() {
            Some(mut base) => {
                base.merge(f.run.clone());
                merged = base;
                &merged
            }
            None => &f.run,
        };
        let report = report_of(plan, stats, Scope::All);
        let reports_error = |error| Error::Reports {
            dir: f.dir.clone(),
            error,
        };
        let summary =
            crate::mergeable::stage(&f.dir, stats, &key).map_err(|e| reports_error(e.into()))?;
        write_files(&plan.reports, &f.dir, &report, summary, plan.threads != 1)
            .map_err(reports_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_date_in_the_pattern_is_replaced() {
        let day = crate::time::days_from_civil(2026, 11, 28);
        assert_eq!(
            folder_of(Path::new("/srv/{date}/mx1/{date}"), day),
            PathBuf::from("/srv/2026-11-28/mx1/2026-11-28")
        );
        assert_eq!(folder_of(Path::new("out"), day), PathBuf::from("out"));
    }
}
