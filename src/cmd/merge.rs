//! `mailcodes merge DIR... -o OUT`: the reports of several out folders together.
//!
//! Each folder's `merge.jsonl` is checked (format, schema, length, checksum, key id) before
//! any is parsed; then the statistics are rebuilt and folded in parallel (their merge does
//! not depend on order), and OUT gets the same report set a scan writes — with its own
//! `merge.jsonl`, so merges nest (hosts into a day, days into a month).

use crate::cli::MergeArgs;
use crate::error::{is_broken_pipe, Error, Exit};
use crate::mergeable::key::{self, Key};
use crate::mergeable::{self, Loaded, MergeError};
use crate::persistent::Rule;
use crate::report::{self, table::Report, text::Summary};
use crate::stats::Stats;
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// Runs the command.
pub fn run(args: &MergeArgs) -> Exit {
    match merge(args) {
        Ok(()) => Exit::Success,
        Err(e) => {
            e.print();
            e.exit()
        }
    }
}

fn merge(args: &MergeArgs) -> Result<(), Error> {
    let loaded: Vec<Loaded> = args
        .dirs
        .par_iter()
        .map(|d| mergeable::load(d))
        .collect::<Result<_, _>>()
        .map_err(Error::Merge)?;
    let want = loaded.first().map(|l| l.key_id.clone()).unwrap_or_default();
    if let Some(other) = loaded.iter().find(|l| l.key_id != want) {
        return Err(Error::Merge(MergeError::KeyMismatch {
            dir: other.dir.clone(),
            found: other.key_id.clone(),
            want,
        }));
    }
    find_key(args, &want)?.install().map_err(Error::Merge)?;
    // Each body is dropped once parsed.
    let stats = loaded
        .into_par_iter()
        .map(|l| l.stats())
        .try_reduce(Stats::default, |mut a, b| {
            a.merge(b);
            Ok(a)
        })
        .map_err(Error::Merge)?;
    let rule = Rule {
        min_attempts: args.output.min_attempts,
        min_span_secs: args.output.min_span,
    };
    let names: Vec<String> = args.dirs.iter().map(|d| d.display().to_string()).collect();
    let report = Report::new(&stats, &rule, &names, None);
    let reports_error = |error| Error::Reports {
        dir: args.out_dir.clone(),
        error,
    };
    let mergeable = mergeable::stage(&args.out_dir, &stats, &key::current_id())
        .map_err(|e| reports_error(e.into()))?;
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    crate::cmd::scan::write_files(
        &args.output.report,
        &args.out_dir,
        &report,
        mergeable,
        parallel,
    )
    .map_err(reports_error)?;
    if args.quiet {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.output.json {
        report::json::write(&mut out, &report)
    } else {
        report::text::write(&mut out, &report, &Summary::for_stdout(args.output.top))
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if !is_broken_pipe(&e) => Err(Error::Summary(e)),
        _ => Ok(()),
    }
}

/// The key whose id is `want`: the one given (`--hash-key`, `$MAILCODES_HASH_KEY`), else
/// the first `mailcodes.key` beside the out folder or beside an input folder that matches.
fn find_key(args: &MergeArgs, want: &str) -> Result<Key, Error> {
    let wrong = |k: &Key| {
        Error::Merge(MergeError::Key(format!(
            "{}: hash key {} is not the key the folders were written with ({want}): \
             give that one with --hash-key FILE",
            k.path.display(),
            k.id
        )))
    };
    if let Some(path) = key::explicit(args.hash_key.as_deref()) {
        let k = Key::read(&path).map_err(Error::Merge)?;
        return if k.id == want { Ok(k) } else { Err(wrong(&k)) };
    }
    let mut candidates: Vec<PathBuf> = vec![key::default_for(&args.out_dir)];
    candidates.extend(args.dirs.iter().map(|d| key::default_for(d)));
    candidates.dedup();
    let mut seen = None;
    for path in candidates.iter().filter(|p| p.is_file()) {
        let k = Key::read(path).map_err(Error::Merge)?;
        if k.id == want {
            return Ok(k);
        }
        seen.get_or_insert(k);
    }
    Err(match seen {
        Some(k) => wrong(&k),
        None => Error::Merge(MergeError::Key(format!(
            "no hash key found (looked for {}): give the key the folders were written with \
             ({want}) with --hash-key FILE or {}",
            candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            key::ENV
        ))),
    })
}
