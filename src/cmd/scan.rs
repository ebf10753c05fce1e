//! `mailcodes scan`: read logs, print the summary, write the CSV files.

use crate::cli::{FormatArg, ScanArgs};
use crate::cmd::{is_broken_pipe, Exit};
use crate::input::Source;
use crate::parse::{Context, Format, YearRule};
use crate::persistent::Rule;
use crate::pipeline::Pipeline;
use crate::report::{self, text::Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The default input when no path is given.
pub const DEFAULT_LOG: &str = "/var/log/mail.log";

/// A progress bar over input bytes on stderr, or a hidden one when stderr is not a
/// terminal or `quiet` is set, so callers never branch.
pub fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
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
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_LOG)]
    } else {
        args.paths.clone()
    };
    let sources: Vec<Source> = paths.iter().map(|p| Source::from_arg(p)).collect();
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let threads = args.threads.map_or(0, usize::from);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("mailcodes: cannot start worker threads: {e}");
            return Exit::Error;
        }
    };
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
            None => YearRule::NotAfter(crate::input::now()),
        },
        syslog_name: args.syslog_name.as_ref().map(|s| s.as_bytes().to_vec()),
    };
    let pipeline = Pipeline {
        context,
        pool: &pool,
        progress: &bar,
        chunk_size: args.chunk_size,
        mmap: !args.no_mmap,
    };
    let (stats, errors) = pipeline.run(&sources);
    bar.finish_and_clear();

    let mut status = Exit::Success;
    for e in &errors {
        eprintln!("mailcodes: {e}");
        status = Exit::Error;
    }
    let rule = Rule {
        min_attempts: args.min_attempts,
        min_span_secs: args.min_span,
    };
    if let Some(dir) = &args.out_dir {
        if let Err(e) = write_csvs(dir, &stats, &rule) {
            eprintln!("mailcodes: cannot write reports to {}: {e}", dir.display());
            status = Exit::Error;
        }
    }
    if !args.quiet {
        let summary = Summary {
            inputs: &names,
            rule,
            top: args.top,
            window: None,
        };
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let result = report::text::write(&mut out, &stats, &summary).and_then(|()| out.flush());
        if let Err(e) = result {
            if !is_broken_pipe(&e) {
                eprintln!("mailcodes: cannot write the summary: {e}");
                status = Exit::Error;
            }
        }
    }
    status
}

fn write_csvs(dir: &Path, stats: &crate::stats::Stats, rule: &Rule) -> std::io::Result<()> {
    let files = report::csv::render_all(stats, rule)?;
    report::write_atomically(dir, &files)
}
