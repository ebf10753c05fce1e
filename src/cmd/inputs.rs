//! Which inputs `mailcodes scan` reads and what it says about them: piped standard input when
//! no path is given, the journal (`--journal`), the hint when the default log is missing,
//! warnings for inputs without mail events and for `-q` without `-o`, and the progress bar's
//! name and size for each input. Kept apart from `scan.rs`, which runs the scan.

use crate::cli::ScanArgs;
use crate::input::{Source, Span};
use crate::pipeline::InputError;
use crate::plan::DEFAULT_LOG;
use crate::report;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// Warns when `-q` is given without `-o` or `--state`: such a run prints nothing, writes
/// nothing and remembers nothing; only its exit status says whether the inputs could be read.
/// A warning rather than an error, because that is still of use to time a scan or to check
/// that logs are readable (the benchmarks and a memory test run exactly that).
pub(crate) fn check_quiet(args: &ScanArgs) {
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
pub(crate) fn inputs(args: &ScanArgs) -> Vec<Source> {
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
pub(crate) fn input_names(args: &ScanArgs, sources: &[Source]) -> Vec<String> {
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
pub(crate) fn journal_query(
    args: &ScanArgs,
    window: &crate::window::Window,
) -> Option<crate::journal::Query> {
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
pub(crate) fn commit_journal_cursor(
    args: &ScanArgs,
    state: &Path,
) -> Result<(), crate::journal::JournalError> {
    if !args.journal {
        return Ok(());
    }
    crate::journal::Cursor::for_state(state).commit()
}

/// The hint printed after an error about the default log when it does not exist.
pub(crate) fn missing_log_hint(args: &ScanArgs, e: &InputError) -> Option<&'static str> {
    let defaulted = args.paths.is_empty() && !args.journal && e.name == DEFAULT_LOG;
    (defaulted && e.line.is_none() && e.error.kind() == std::io::ErrorKind::NotFound).then_some(
        "hint: this system may log mail to the systemd journal only: try `mailcodes scan \
         --journal`; or give the log's path, or `-` to read standard input",
    )
}

/// Lines read from one input, and how many of them were mail events.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Read {
    lines: u64,
    event_lines: u64,
}

impl Read {
    pub(crate) fn add(&mut self, stats: &impl crate::tally::Tally) {
        let (lines, event_lines) = stats.read();
        self.lines += lines;
        self.event_lines += event_lines;
    }
}

/// Warns on stderr when an input that was read held no mail event (a wrong file, another
/// compression than gzip). An incremental run that found nothing new says nothing.
pub(crate) fn warn_if_no_events(source: &Source, read: Read, incremental: bool) {
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
    // (gzip, bzip2, xz and zstd are read.)
    const MAGIC: [(&[u8], &str); 1] = [(b"\x04\x22\x4d\x18", "lz4")];
    let mut head = [0u8; 6];
    // Never open a pipe a second time: it would block, or eat the stream.
    std::fs::metadata(path).ok().filter(|m| m.is_file())?;
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
pub(crate) fn show_input(bar: &ProgressBar, source: &Source, span: Span) {
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
    // A pipe is not opened here: that would block, or eat the start of the stream.
    std::fs::metadata(path).ok().filter(|m| m.is_file())?;
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
    use crate::parse::Context;
    use crate::pipeline::Pipeline;
    use std::io::Write;

    /// The bytes the pipeline counts for an input are exactly the length the bar is given,
    /// for plain files (mapped or read), gzip, and the part of a file an incremental run reads:
    /// the bar ends full, and the rate and ETA are in one unit.
    #[test]
    #[allow(unsafe_code)]
    fn progress_counts_what_the_bar_is_sized_for() {
        let dir = tempfile::tempdir().unwrap();
        let line = b"Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<a@b.org>, relay=x, dsn=2.0.0, status=sent (250 ok)\n";
        let plain = dir.path().join("mail.log");
        std::fs::write(&plain, line.repeat(5000)).unwrap();
        // Settled (not modified for an hour): mapped when mapping is allowed.
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&plain)
            .and_then(|f| f.set_modified(hour_ago))
            .unwrap();
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
                // SAFETY: the files of this test are not changed while they are read.
                mmap: if mmap {
                    unsafe { crate::input::MmapChoice::settled_files() }
                } else {
                    crate::input::MmapChoice::never()
                },
            };
            let source = Source::Path(path.clone());
            show_input(&bar, &source, span);
            let (stats, err) = pipeline.scan_source::<crate::stats::Stats>(&source, span);
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
