//! Reading inputs in parallel. A settled regular file is memory-mapped and cut at newlines
//! into chunks; a stream (a live file, stdin, a pipe, compressed data) is cut into chunks by a
//! reader thread (which also decompresses, so parsing overlaps it). The rayon pool scans chunks as they come, each
//! worker folds its [`Stats`], and the only order-dependent part — `last message repeated`
//! at a chunk's start — is set aside per chunk and resolved in input order at the end.
//!
//! `--threads 1` runs the very same code with a pool of one.

use crate::input::{self, Chunker, Content, MmapChoice, Source, Span};
use crate::parse::Context;
use crate::scan::{resolve_edges, Edge, Scanner, MAX_LINE};
use crate::stats::Stats;
use crate::tally::Tally;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::fs::File;
use std::io::{self, Read};
use std::sync::{mpsc, Mutex};

/// Runs `a` and `b`, at the same time if `parallel` (`-j 1` asks for one thread): the steps
/// of a report that can overlap. On a thread of a pool, the pool's threads run them (one may
/// be busy with other steps: it takes its part when it is free); elsewhere, `a` runs on a
/// thread of its own.
pub fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    if rayon::current_thread_index().is_some() {
        let (b, a) = rayon::join(b, a);
        return (a, b);
    }
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = b();
        match a.join() {
            Ok(a) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Bytes per chunk read from a stream (stdin, gzip): the size of the buffers in flight.
pub const CHUNK_SIZE: usize = 4 << 20;

/// Largest chunk of a memory-mapped file. Each chunk is a map and an unmap, and with more
/// than one thread every unmap flushes the TLB of each core, so big chunks cost less system
/// time (16 MiB: a third of that of 4 MiB on the benchmark log); memory stays at a chunk
/// or two per thread (a small file is mapped whole, see [`WHOLE_MAPPED`]).
pub const MAP_CHUNK_SIZE: usize = 16 << 20;

/// Largest chunk that is memory-mapped: a file that would need a bigger one (a line of more
/// than about 48 MiB) is read instead; see [`Pipeline::scan_mapped`].
pub const MAX_MAPPED: u64 = 4 * MAP_CHUNK_SIZE as u64;

/// Largest part of a file that is mapped whole, once, rather than chunk by chunk: on a small
/// log the map and unmap of each chunk (with the page tables filled in beforehand, and every
/// core's TLB flushed after) came between the chunks of both threads; mapped whole, an 18 MB
/// log was scanned 4-6 % faster, its peak RSS counting the file's 18 MB of page cache too.
const WHOLE_MAPPED: u64 = 32 << 20;

/// Smallest chunk of a memory-mapped file that is cut for balance.
const MIN_MAP_CHUNK_SIZE: u64 = 1 << 20;

/// The chunk size for a mapped file of `len` bytes: at least 8 chunks per thread, so that the
/// workers finish together, within 1 MiB ..= [`MAP_CHUNK_SIZE`].
fn map_chunk_size(len: u64, threads: usize) -> u64 {
    (len / (threads.max(1) as u64 * 8)).clamp(MIN_MAP_CHUNK_SIZE, MAP_CHUNK_SIZE as u64)
}

/// An input that could not be read (or not to its end).
#[derive(Debug)]
pub struct InputError {
    pub name: String,
    /// The line at which reading stopped, when some of the input was read: counted from the
    /// byte `from` where this run started reading the input.
    pub line: Option<u64>,
    pub from: u64,
    pub error: input::Error,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.from) {
            (Some(l), 0) => write!(f, "{}: line {l}: {}", self.name, self.error),
            (Some(l), from) => write!(
                f,
                "{}: line {l} after byte {from} (where the last run stopped): {}",
                self.name, self.error
            ),
            (None, _) => write!(f, "{}: {}", self.name, self.error),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What one scan of an input gave: its statistics, how many bytes of it were read in whole
/// lines (from the start of the span), and the error that stopped it, if any.
#[derive(Debug, Default)]
pub struct Scanned<T = Stats> {
    pub stats: T,
    pub consumed: u64,
    pub error: Option<InputError>,
}

/// How to scan: the parsing context (its year rule is replaced per input), the pool, and
/// the progress bar (hidden when not on a terminal).
pub struct Pipeline<'a> {
    pub context: Context,
    pub pool: &'a rayon::ThreadPool,
    pub progress: &'a ProgressBar,
    /// Bytes per chunk, when set (tests); otherwise [`CHUNK_SIZE`] for streams and
    /// [`map_chunk_size`] for mapped files.
    pub chunk_size: Option<usize>,
    /// Which files may be memory-mapped (`--no-mmap`: none).
    pub mmap: MmapChoice,
}

impl Pipeline<'_> {
    /// Scans every source into one [`Stats`]; errors are collected, not fatal.
    pub fn run(&self, sources: &[Source]) -> (Stats, Vec<InputError>) {
        let mut total = Stats::default();
        let mut errors = Vec::new();
        for source in sources {
            let (stats, err) = self.scan_source(source, Span::default());
            total.merge(stats);
            errors.extend(err);
        }
        (total, errors)
    }

    /// Scans one source, or the part of it given by `span`.
    pub fn scan_source<T: Tally>(&self, source: &Source, span: Span) -> (T, Option<InputError>) {
        let bar = self.progress.clone();
        let name = source.name();
        let s = match input::open(source, span, self.mmap, move |n| bar.inc(n as u64)) {
            Ok(opened) => self.scan_opened(&name, opened, span),
            Err(error) => Scanned {
                error: Some(InputError {
                    name,
                    line: None,
                    from: span.start,
                    error,
                }),
                ..Scanned::default()
            },
        };
        (s.stats, s.error)
    }

    /// Scans `span` of an already opened file named `name`; `rotated` says it was rotated
    /// away (settled: it may be mapped).
    pub fn scan_file<T: Tally>(
        &self,
        name: &str,
        file: File,
        span: Span,
        rotated: bool,
    ) -> Scanned<T> {
        let bar = self.progress.clone();
        match input::open_file(file, name, span, self.mmap, rotated, move |n| {
            bar.inc(n as u64)
        }) {
            Ok(opened) => self.scan_opened(name, opened, span),
            Err(error) => Scanned {
                error: Some(InputError {
                    name: name.to_string(),
                    line: None,
                    from: span.start,
                    error,
                }),
                ..Scanned::default()
            },
        }
    }

    fn scan_opened<T: Tally>(&self, name: &str, opened: input::Opened, span: Span) -> Scanned<T> {
        let mut ctx = self.context.clone();
        if let crate::parse::YearRule::NotAfter { .. } = ctx.year {
            ctx.year = crate::parse::YearRule::not_after(opened.reference_time);
        }
        let scanner = Scanner::new(ctx);
        let complete_only = span.end.is_some();
        let (stats, consumed, error) = match opened.content {
            Content::Mapped(map, range) => {
                let len = range.end - range.start;
                let (stats, error) = self.scan_mapped::<T>(&map, range, &scanner);
                (
                    stats,
                    if error.is_none() { len } else { 0 },
                    error.map(input::Error::Read),
                )
            }
            Content::Stream(reader) => {
                let (stats, consumed, error) =
                    self.scan_reader::<T>(reader, &scanner, complete_only);
                let error = error.map(|e| input::classify(opened.compression, e));
                (stats, consumed, error)
            }
        };
        let error = error.map(|error| InputError {
            name: name.to_string(),
            line: Some(stats.read().0 + 1),
            from: span.start,
            error,
        });
        Scanned {
            stats,
            consumed,
            error,
        }
    }

    /// Scans a settled regular file: cut at newlines into chunks, each memory-mapped,
    /// scanned in place and unmapped by one worker.
    ///
    /// A chunk ends after a newline, so a line far longer than a chunk (a file of binary junk,
    /// a log that lost its newlines) would be mapped whole, and resident memory would grow
    /// with it. When a chunk would exceed [`MAX_MAPPED`], the file is read through the
    /// stream path instead, which skips over-long lines in bounded buffers; the results are
    /// the same either way (only slower).
    pub(crate) fn scan_mapped<T: Tally>(
        &self,
        map: &input::Mappable,
        range: std::ops::Range<u64>,
        scanner: &Scanner,
    ) -> (T, Option<io::Error>) {
        match self.map_and_scan(map, range.clone(), scanner) {
            Ok(Some(stats)) => (stats, None),
            Ok(None) => {
                let bar = self.progress.clone();
                match input::range_reader(map.file(), range, move |n| bar.inc(n as u64)) {
                    Ok(reader) => {
                        let (stats, _, error) = self.scan_reader(reader, scanner, false);
                        (stats, error)
                    }
                    Err(e) => (T::default(), Some(e)),
                }
            }
            Err(e) => (T::default(), Some(e)),
        }
    }

    /// The mapped scan of [`Pipeline::scan_mapped`]; `None` when a chunk would be too big.
    fn map_and_scan<T: Tally>(
        &self,
        map: &input::Mappable,
        range: std::ops::Range<u64>,
        scanner: &Scanner,
    ) -> io::Result<Option<T>> {
        let size = self.chunk_size.map_or_else(
            || map_chunk_size(range.end - range.start, self.pool.current_num_threads()),
            |n| n as u64,
        );
        let ranges = input::line_chunks(map.file(), range.clone(), size)?;
        if ranges.iter().any(|r| r.end - r.start > MAX_MAPPED) {
            return Ok(None);
        }
        // (A chunk size given, for tests and benchmarks, maps chunk by chunk whatever the
        // size of the file.)
        let whole = match range.end - range.start {
            1..=WHOLE_MAPPED if self.chunk_size.is_none() => Some(map.map_lazily(range.clone())?),
            _ => None,
        };
        let edges = Mutex::new(Vec::with_capacity(ranges.len()));
        let error = Mutex::new(None);
        let workers = Workers::default();
        let mut total = self.pool.install(|| {
            if !ranges.is_empty() {
                // Built by the pool's threads together, before they scan: the first worker to
                // meet a failure would build them alone while the others waited.
                crate::diagnose::prepare();
            }
            // Each chunk its own piece of work: rayon otherwise cuts the list in as many
            // parts as there are threads and splits further only when a thread steals, so a
            // thread could finish while another still had several chunks it would not give.
            ranges
                .into_par_iter()
                .enumerate()
                .with_max_len(1)
                .for_each(|(index, r)| {
                    let len = r.end - r.start;
                    let scan = |bytes: &[u8]| {
                        let edge = workers.with(|acc| scan_chunk(scanner, acc, index, bytes, 0));
                        lock(&edges).push(edge);
                    };
                    match &whole {
                        Some(all) => {
                            let at = (r.start - range.start) as usize;
                            match all.get(at..at + len as usize) {
                                Some(bytes) => scan(bytes),
                                None => {
                                    *lock(&error) = Some(io::Error::other(
                                        "a chunk outside the mapped part (a bug)",
                                    ))
                                }
                            }
                        }
                        None => match map.map(r) {
                            Ok(bytes) => scan(&bytes),
                            Err(e) => *lock(&error) = Some(e),
                        },
                    }
                    self.progress.inc(len);
                });
            workers.total()
        });
        if let Some(e) = error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        resolve_edges(
            &mut total,
            edges.into_inner().unwrap_or_else(|p| p.into_inner()),
        );
        Ok(Some(total))
    }

    /// Scans a stream: a reader thread fills chunks, the pool scans them in whatever order
    /// workers pick them up. Returns the statistics, the bytes read in whole lines, and the
    /// error that ended the stream early (the complete lines before it are counted). With
    /// `complete_only`, a last line without a newline is left unread.
    pub(crate) fn scan_reader<T: Tally>(
        &self,
        reader: Box<dyn Read + Send>,
        scanner: &Scanner,
        complete_only: bool,
    ) -> (T, u64, Option<io::Error>) {
        let threads = self.pool.current_num_threads().max(1);
        let (tx, rx) = mpsc::sync_channel::<io::Result<(usize, input::Chunk)>>(threads * 2);
        let (recycle_tx, recycle_rx) = mpsc::channel::<Vec<u8>>();
        let chunk_size = self.chunk_size.unwrap_or(CHUNK_SIZE);
        let error = Mutex::new(None);
        let edges = Mutex::new(Vec::new());
        let (mut total, consumed) = std::thread::scope(|s| {
            let reading = s.spawn(move || {
                let mut chunker = Chunker::new(reader, chunk_size, MAX_LINE);
                if complete_only {
                    chunker = chunker.complete_lines_only();
                }
                for index in 0.. {
                    let buf = recycle_rx.try_recv().unwrap_or_default();
                    let item = match chunker.next_chunk(buf) {
                        Ok(Some(c)) => Ok((index, c)),
                        Ok(None) => break,
                        Err(e) => Err(e),
                    };
                    let failed = item.is_err();
                    if tx.send(item).is_err() || failed {
                        break;
                    }
                }
                chunker.consumed()
            });
            let recycle = Mutex::new(recycle_tx);
            let workers = Workers::default();
            let stats = self.pool.install(|| {
                rx.into_iter().par_bridge().for_each(|item| match item {
                    Ok((index, chunk)) => {
                        let edge = workers.with(|acc| {
                            scan_chunk(scanner, acc, index, chunk.bytes(), chunk.overlong)
                        });
                        lock(&edges).push(edge);
                        let _ = lock(&recycle).send(chunk.data);
                    }
                    Err(e) => *lock(&error) = Some(e),
                });
                workers.total()
            });
            let consumed = reading.join().unwrap_or(0);
            (stats, consumed)
        });
        resolve_edges(
            &mut total,
            edges.into_inner().unwrap_or_else(|p| p.into_inner()),
        );
        let error = error.into_inner().unwrap_or_else(|p| p.into_inner());
        (total, consumed, error)
    }
}

/// Scans one chunk into a worker's statistics; over-long lines the reader skipped before
/// it count as lines read.
fn scan_chunk<T: Tally>(
    scanner: &Scanner,
    acc: &mut T,
    index: usize,
    bytes: &[u8],
    overlong: u64,
) -> Edge {
    if overlong > 0 {
        acc.skipped_before(overlong, bytes, scanner.context());
    }
    scanner.scan_into(acc, bytes, index)
}

/// The workers' counts. A chunk is counted into one that no other chunk is using, taken
/// from here and given back, so a scan builds about as many sets of tables as it has
/// threads. (Rayon's `fold` starts a new set for every piece of work it splits off: on a
/// 1 GB log that was ten or so sets, each growing its tables of recipients, domains and
/// relays from empty, and all merged at the end.)
struct Workers<T> {
    idle: Mutex<Vec<T>>,
}

impl<T> Default for Workers<T> {
    fn default() -> Self {
        Workers {
            idle: Mutex::new(Vec::new()),
        }
    }
}

impl<T: Tally> Workers<T> {
    /// Runs `f` on counts of its own (new ones when every set is in use).
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut acc = lock(&self.idle).pop().unwrap_or_default();
        let r = f(&mut acc);
        lock(&self.idle).push(acc);
        r
    }

    /// Every set merged into one, in parallel where there are several (inside the pool).
    fn total(&self) -> T {
        let all = std::mem::take(&mut *lock(&self.idle));
        all.into_par_iter().reduce(T::default, merged)
    }
}

fn merged<T: Tally>(mut a: T, b: T) -> T {
    a.merge(b);
    a
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_chunks_balance_small_files_and_stay_bounded_on_big_ones() {
        assert_eq!(map_chunk_size(0, 2), MIN_MAP_CHUNK_SIZE);
        assert_eq!(map_chunk_size(64 << 20, 2), 4 << 20);
        assert_eq!(map_chunk_size(1 << 30, 2), MAP_CHUNK_SIZE as u64);
        assert_eq!(map_chunk_size(1 << 30, 0), MAP_CHUNK_SIZE as u64);
    }
}
