//! Reading inputs in parallel: one thread reads (and decompresses) chunks of whole lines,
//! the rayon pool scans them, and the per-chunk [`Stats`] are merged in input order.
//!
//! `--threads 1` runs the very same code with a pool of one.

use crate::input::{self, Chunker, Source};
use crate::parse::Context;
use crate::scan::{Scanner, MAX_LINE};
use crate::stats::{Stats, Tail};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::{self, Read};
use std::sync::mpsc;

/// Bytes per chunk handed to one worker.
pub const CHUNK_SIZE: usize = 4 << 20;

/// An input that could not be read (or not to its end).
#[derive(Debug)]
pub struct InputError {
    pub name: String,
    /// The line at which reading stopped, when some of the input was read.
    pub line: Option<u64>,
    pub error: io::Error,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}: line {l}: {}", self.name, self.error),
            None => write!(f, "{}: {}", self.name, self.error),
        }
    }
}

/// How to scan: the parsing context (its year rule is replaced per input), the pool, and
/// the progress bar (hidden when not on a terminal).
pub struct Pipeline<'a> {
    pub context: Context,
    pub pool: &'a rayon::ThreadPool,
    pub progress: &'a ProgressBar,
    /// Bytes per chunk ([`CHUNK_SIZE`] unless testing).
    pub chunk_size: usize,
}

impl Pipeline<'_> {
    /// Scans every source into one [`Stats`]; errors are collected, not fatal.
    pub fn run(&self, sources: &[Source]) -> (Stats, Vec<InputError>) {
        let mut total = Stats::default();
        let mut errors = Vec::new();
        for source in sources {
            let (stats, err) = self.scan_source(source);
            total.merge(stats);
            errors.extend(err);
        }
        (total, errors)
    }

    /// Scans one source.
    pub fn scan_source(&self, source: &Source) -> (Stats, Option<InputError>) {
        let bar = self.progress.clone();
        let opened = match input::open(source, move |n| bar.inc(n as u64)) {
            Ok(o) => o,
            Err(error) => {
                return (
                    Stats::default(),
                    Some(InputError {
                        name: source.name(),
                        line: None,
                        error,
                    }),
                )
            }
        };
        let mut ctx = self.context.clone();
        if let crate::parse::YearRule::NotAfter(_) = ctx.year {
            ctx.year = crate::parse::YearRule::NotAfter(opened.reference_time);
        }
        let scanner = Scanner::new(ctx);
        let (mut stats, error) = self.scan_reader(opened.reader, &scanner);
        // Repeat notes never reach across files.
        stats.tail = Tail::Other;
        stats.head_repeat = 0;
        stats.head_repeat_lines = 0;
        let error = error.map(|e| {
            let message = if opened.gzip {
                format!("corrupt gzip stream: {e}")
            } else {
                e.to_string()
            };
            InputError {
                name: source.name(),
                line: Some(stats.lines + 1),
                error: io::Error::new(e.kind(), message),
            }
        });
        (stats, error)
    }

    /// Scans a reader: a reader thread fills chunks, the pool scans them a batch at a time.
    pub fn scan_reader(
        &self,
        reader: Box<dyn Read + Send>,
        scanner: &Scanner,
    ) -> (Stats, Option<io::Error>) {
        let threads = self.pool.current_num_threads().max(1);
        let (tx, rx) = mpsc::sync_channel::<io::Result<input::Chunk>>(threads * 2);
        let (recycle_tx, recycle_rx) = mpsc::channel::<Vec<u8>>();
        let chunk_size = self.chunk_size;
        std::thread::scope(|s| {
            s.spawn(move || {
                let mut chunker = Chunker::new(reader, chunk_size, MAX_LINE);
                loop {
                    let buf = recycle_rx.try_recv().unwrap_or_default();
                    let item = match chunker.next_chunk(buf) {
                        Ok(Some(c)) => Ok(c),
                        Ok(None) => break,
                        Err(e) => Err(e),
                    };
                    let failed = item.is_err();
                    if tx.send(item).is_err() || failed {
                        break;
                    }
                }
            });
            let mut total = Stats::default();
            let mut error = None;
            let mut done = false;
            while !done {
                let mut batch = Vec::with_capacity(threads);
                while batch.len() < threads {
                    match rx.recv() {
                        Ok(Ok(c)) => batch.push(c),
                        Ok(Err(e)) => {
                            error = Some(e);
                            done = true;
                            break;
                        }
                        Err(_) => {
                            done = true;
                            break;
                        }
                    }
                }
                let results: Vec<Stats> = self.pool.install(|| {
                    batch
                        .par_iter()
                        .map(|c| {
                            let mut s = scanner.scan(&c.data);
                            s.lines += c.overlong;
                            s.overlong_lines += c.overlong;
                            s
                        })
                        .collect()
                });
                for r in results {
                    total.merge(r);
                }
                for c in batch {
                    let _ = recycle_tx.send(c.data);
                }
            }
            drop(rx);
            (total, error)
        })
    }
}
