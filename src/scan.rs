//! Scanning a chunk of whole lines into [`Stats`].
//!
//! A multi-literal search (aho-corasick's Teddy, SIMD) finds the few lines that can hold an
//! outcome (`status=`, `reject:`, Exim's ` =>`, ` -> `, ` == `, ` ** `, `rejected `, syslog
//! repeat notes); every other line costs only that search and its share of a newline count.

use crate::parse::{parse_line_at, Context, Event, Line};
use crate::stats::{OwnedEvent, Stats};
use crate::tally::Tally;
use aho_corasick::{packed, AhoCorasick, AhoCorasickKind, Input, MatchKind, Span};

/// How far ahead of the search the chunk is brought into the cache (see [`fetch_ahead`]).
const FETCH_AHEAD: usize = 4096;

/// Asks the processor for the cache lines of `chunk` from `from` up to `to`; returns where
/// it stopped. The search reads the chunk in order, and the processor's own prefetcher would
/// fetch ahead of it, but it stops at every 4 KiB page and loses track of the stream among
/// the table lookups of the events in between: with the chunk fetched 4 KiB ahead, a
/// one-thread scan took 8-15 % less time on all four 1 GB benchmark logs (2, 4, 8, 16 and
/// 32 KiB ahead were tried; 4 and 8 did best).
#[inline]
fn fetch_ahead(chunk: &[u8], from: usize, to: usize) -> usize {
    let to = to.min(chunk.len());
    let mut at = from;
    while at < to {
        crate::slots::prefetch(&chunk[at]);
        at += 64;
    }
    at
}

/// Longest line that is parsed (1 MiB); longer lines are skipped and counted as over-long.
pub const MAX_LINE: usize = 1 << 20;

/// Literals that every event line (and every repeat note) contains; a line that has one is
/// only a candidate, which the parser accepts or not. They are the literals of every MTA's
/// dialect ([`crate::parse::DIALECTS`]), then syslog's repeat note.
///
/// The set is tuned for the search, which is most of the cost of a scan:
/// - Fewer literals are not faster: with only the Postfix ones, aho-corasick picks another
///   prefilter and the scan of the benchmark log took 60 % longer.
/// - The shortest literal sets how many bytes Teddy fingerprints (at most 4). Exim's ` => `
///   is cut to ` =>` (a few more candidates, never fewer events), so Teddy fingerprints 3
///   bytes: 8 % fewer instructions over the whole scan. Two bytes is slower again.
/// - `status=` must stay first: its pattern index tells the parser where it is.
pub fn candidates() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = crate::parse::DIALECTS
        .iter()
        .flat_map(|d| d.literals.iter().copied())
        .collect();
    all.push("repeated ");
    debug_assert_eq!(all[0], "status=");
    all
}

/// Scans chunks with one compiled prefilter and one parsing context.
#[derive(Debug, Clone)]
pub struct Scanner {
    finder: Finder,
    ctx: Context,
}

/// The multi-literal search: aho-corasick's packed (Teddy) searcher where the CPU has the
/// SIMD for it, called directly rather than through the automaton, whose layers cost more
/// per call than the short search between two candidates on a busy log; otherwise the
/// automaton.
#[derive(Debug, Clone)]
enum Finder {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Finder {
    fn new() -> Finder {
        Finder::packed().unwrap_or_else(Finder::automaton)
    }

    fn packed() -> Option<Finder> {
        packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(candidates())
            .build()
            .map(Finder::Packed)
    }

    fn automaton() -> Finder {
        Finder::Automaton(
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .kind(Some(AhoCorasickKind::DFA))
                .build(candidates())
                .expect("static patterns compile"),
        )
    }

    /// The first candidate in `hay[from..]`: where it starts and which literal it is.
    /// (Always inlined: the scanning loop, generic over its tally, would otherwise call it.)
    #[inline(always)]
    fn find(&self, hay: &[u8], from: usize) -> Option<(usize, usize)> {
        let m = match self {
            Finder::Packed(p) => p.find_in(hay, Span::from(from..hay.len()))?,
            Finder::Automaton(a) => a.find(Input::new(hay).span(from..hay.len()))?,
        };
        Some((m.start(), m.pattern().as_usize()))
    }
}

impl Scanner {
    /// A scanner for lines parsed under `ctx`.
    pub fn new(ctx: Context) -> Scanner {
        Scanner {
            finder: Finder::new(),
            ctx,
        }
    }

    /// The parsing context.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Scans a whole input held in memory (a chunk with nothing before it).
    pub fn scan(&self, chunk: &[u8]) -> Stats {
        self.scan_part(chunk, 0).0
    }

    /// Scans chunk number `index` of an input: it starts at a line start and ends after a
    /// newline (or at the end of the input). Returns its statistics, which merge in any
    /// order, and its [`Edge`], which [`resolve_edges`] applies in input order.
    pub fn scan_part(&self, chunk: &[u8], index: usize) -> (Stats, Edge) {
        let mut stats = Stats::default();
        let edge = self.scan_into(&mut stats, chunk, index);
        (stats, edge)
    }

    /// [`Scanner::scan_part`], adding to `stats` (a worker's running total) rather than to
    /// new statistics that would then have to be merged; `stats` is any [`Tally`] (one
    /// [`Stats`], or one per day).
    pub fn scan_into<T: Tally>(&self, stats: &mut T, chunk: &[u8], index: usize) -> Edge {
        let mut edge = Edge {
            index,
            head_repeat: 0,
            head_repeat_lines: 0,
            tail: Tail::Other,
        };
        let overlong = count_overlong(chunk);
        // Newlines are counted behind the search, in stretches of at least COUNT_SPAN bytes:
        // long enough that the setup of each count does not matter, short enough that the
        // bytes are still in cache from the search.
        let mut newlines = 0u64;
        let mut counted_to = 0usize;
        let mut repeats = Repeats::new();
        let mut batch = Vec::with_capacity(Stats::BATCH);
        let (mut pos, mut fetched) = (0, 0);
        while pos < chunk.len() {
            // From where the search is, if it ran past what was fetched.
            fetched = fetch_ahead(chunk, fetched.max(pos), pos + FETCH_AHEAD);
            let Some((at, pattern)) = self.finder.find(chunk, pos) else {
                break;
            };
            let start = memchr::memrchr(b'\n', &chunk[pos..at]).map_or(pos, |i| pos + i + 1);
            let end = memchr::memchr(b'\n', &chunk[at..]).map_or(chunk.len(), |i| at + i);
            if end - counted_to >= COUNT_SPAN {
                newlines += count_newlines(&chunk[counted_to..end]);
                counted_to = end;
            }
            let mut line = &chunk[start..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let parsed = if line.len() > MAX_LINE {
                Line::Other
            } else {
                // Pattern 0 is `status=`: tell the parser where it is.
                let status_at = (pattern == 0).then(|| at - start);
                parse_line_at(line, &self.ctx, status_at)
            };
            match parsed {
                Line::Event(e, weight) if !self.ctx.window.contains(e.time) => {
                    stats.outside(&e, u64::from(weight));
                    repeats.other();
                }
                Line::Event(e, weight) => {
                    batch.push((e, u64::from(weight)));
                    if batch.len() == Stats::BATCH {
                        stats.add_batch(&batch);
                        batch.clear();
                    }
                    stats.event_lines(&e, 1);
                    repeats.event(e, end);
                }
                Line::Repeat(n) => {
                    // The batch first: events are counted in the order of their lines.
                    stats.add_batch(&batch);
                    batch.clear();
                    repeats.repeat(u64::from(n), (start, end), stats, &mut edge);
                }
                Line::Other => repeats.head_end = None,
            }
            pos = end + 1;
        }
        stats.add_batch(&batch);
        newlines += count_newlines(&chunk[counted_to..]);
        let lines = newlines + u64::from(chunk.last().is_some_and(|b| *b != b'\n'));
        stats.chunk_lines(chunk, lines, overlong, &self.ctx);
        edge.tail = repeats.tail(chunk);
        edge
    }
}

/// The state that `last message repeated N times` needs while a chunk is scanned: the last
/// event and where its line ended, and, while every line so far was a repeat note, where
/// the next line must start (those notes repeat the previous chunk's last line, so they are
/// handed to the edge instead).
struct Repeats<'a> {
    last: Option<(Event<'a>, usize)>,
    head_end: Option<usize>,
}

impl<'a> Repeats<'a> {
    fn new() -> Repeats<'a> {
        Repeats {
            last: None,
            head_end: Some(0),
        }
    }

    /// A line that is neither an event counted here nor a repeat note.
    #[inline]
    fn other(&mut self) {
        self.last = None;
        self.head_end = None;
    }

    /// An event counted, its line ending at `end`.
    #[inline]
    fn event(&mut self, e: Event<'a>, end: usize) {
        self.last = Some((e, end));
        self.head_end = None;
    }

    /// A repeat note on the line `start..end`: the event right before it counts `n` more
    /// times; at the chunk's head, the edge takes it.
    fn repeat<T: Tally>(
        &mut self,
        n: u64,
        (start, end): (usize, usize),
        stats: &mut T,
        edge: &mut Edge,
    ) {
        match (&self.last, self.head_end) {
            (Some((e, prev_end)), _) if prev_end + 1 == start => {
                let e = *e;
                stats.add(&e, n);
                stats.event_lines(&e, 1);
                self.last = Some((e, end));
            }
            (_, Some(h)) if h == start => {
                edge.head_repeat += n;
                edge.head_repeat_lines += 1;
                self.head_end = Some(end + 1);
            }
            _ => self.head_end = None,
        }
    }

    /// What the chunk's last line leaves for the next chunk.
    fn tail(self, chunk: &[u8]) -> Tail {
        let last_line_end = if chunk.last() == Some(&b'\n') {
            chunk.len() - 1
        } else {
            chunk.len()
        };
        match (self.last, self.head_end) {
            (_, Some(h)) if h >= chunk.len() => Tail::Transparent,
            (Some((e, end)), _) if end == last_line_end => {
                Tail::Event(Box::new(OwnedEvent::from_event(&e)))
            }
            _ => Tail::Other,
        }
    }
}

/// What a chunk leaves for its neighbours: the `last message repeated` notes at its start
/// (they repeat the last line of the chunk before), and what its own last line was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub index: usize,
    pub head_repeat: u64,
    pub head_repeat_lines: u64,
    pub tail: Tail,
}

/// What the last line of a chunk was, for repeats at the start of the next chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Tail {
    /// The chunk had no lines, or only repeat notes: look further back.
    #[default]
    Transparent,
    /// The last line was an event.
    Event(Box<OwnedEvent>),
    /// The last line was not an event.
    Other,
}

/// Applies the repeat notes at chunk starts to the last line of the chunk before, in input
/// order (the edges may come in any order). Notes at the start of the input repeat nothing.
pub fn resolve_edges<T: Tally>(total: &mut T, mut edges: Vec<Edge>) {
    edges.sort_unstable_by_key(|e| e.index);
    let mut previous: Option<Box<OwnedEvent>> = None;
    for edge in edges {
        if let (true, Some(e)) = (edge.head_repeat > 0, &previous) {
            let e = e.as_event();
            total.add(&e, edge.head_repeat);
            total.event_lines(&e, edge.head_repeat_lines);
        }
        match edge.tail {
            Tail::Transparent => {}
            Tail::Event(e) => previous = Some(e),
            Tail::Other => previous = None,
        }
    }
}

/// How many bytes are left behind the search before their newlines are counted.
const COUNT_SPAN: usize = 32 * 1024;

/// Newlines in a slice. bytecount keeps per-byte counters in SIMD registers and sums them
/// now and then, which takes under half the instructions of memchr's count (a mask and
/// a popcount per 32 bytes): counting is most of what the lines without a candidate cost.
fn count_newlines(s: &[u8]) -> u64 {
    bytecount::count(s, b'\n') as u64
}

/// Lines in a chunk: newlines, plus one for a last line without a newline.
pub fn count_lines(chunk: &[u8]) -> u64 {
    count_newlines(chunk) + u64::from(chunk.last().is_some_and(|b| *b != b'\n'))
}

/// Lines longer than [`MAX_LINE`]. Such a line covers a whole aligned window of
/// `MAX_LINE / 2` bytes without a newline, so windows are probed first (a memchr that stops
/// at the first newline) and lines are measured only where a window has none.
pub fn count_overlong(chunk: &[u8]) -> u64 {
    let window = MAX_LINE / 2;
    let suspect = chunk
        .chunks(window)
        .any(|w| w.len() == window && memchr::memchr(b'\n', w).is_none());
    if !suspect {
        return 0;
    }
    let mut n = 0;
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', chunk).chain(std::iter::once(chunk.len())) {
        n += u64::from(nl - start > MAX_LINE);
        start = nl + 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
Nov 28 06:00:00 mx postfix/smtpd[1]: connect from x[1.2.3.4]
Nov 28 06:00:01 mx postfix/smtp[2]: A1: to=<a@b.org>, relay=x[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 ok)
Nov 28 06:00:02 mx last message repeated 2 times
Nov 28 06:00:03 mx postfix/qmgr[3]: A1: removed
Nov 28 06:00:04 mx last message repeated 5 times
Nov 28 07:00:05 mx postfix/smtp[2]: A2: to=<c@D.org>, relay=x[1.2.3.4]:25, delay=1, dsn=4.2.2, status=deferred (host x said: 452 4.2.2 full)
";

    fn scanner() -> Scanner {
        Scanner::new(Context {
            year: crate::parse::YearRule::Fixed(2026),
            ..Context::new(0)
        })
    }

    #[test]
    fn counts_lines_events_and_repeats() {
        let s = scanner().scan(LOG.as_bytes());
        assert_eq!(s.lines, 6);
        assert_eq!(s.events, 4); // 1 sent + 2 repeats + 1 deferred
        assert_eq!(s.event_lines, 3);
        assert_eq!(s.skipped(), 3);
        assert_eq!(s.codes.get(250), 3);
        assert_eq!(s.codes.get(452), 1);
        let mut domains: Vec<_> = s.domain_counts().collect();
        domains.sort_unstable();
        assert_eq!(
            domains,
            vec![(&b"b.org"[..], [3, 0, 0]), (&b"d.org"[..], [0, 1, 0])]
        );
        assert_eq!(s.hourly_sorted().len(), 2);
    }

    #[test]
    fn the_packed_searcher_and_the_automaton_find_the_same_candidates() {
        let hay = format!(
            "{LOG}2026-11-28 06:00:00 1abc-000 => a@b R=x\n x =>y -> z == q ** r rejected s\n"
        );
        let hay = hay.as_bytes();
        let (packed, automaton) = (Finder::packed(), Finder::automaton());
        let Some(packed) = packed else { return }; // no SIMD here: only the automaton runs
        let mut n = 0;
        for from in 0..hay.len() {
            assert_eq!(
                packed.find(hay, from),
                automaton.find(hay, from),
                "from {from}"
            );
            n += usize::from(packed.find(hay, from) == Some((from, 0)));
        }
        assert_eq!(n, 2); // both status= lines
    }

    #[test]
    fn any_split_at_a_line_boundary_gives_the_same_stats() {
        let sc = scanner();
        let whole = sc.scan(LOG.as_bytes());
        let bytes = LOG.as_bytes();
        for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'\n') {
            // Merged in reverse order on purpose: only the edges carry order.
            let (right, right_edge) = sc.scan_part(&bytes[i + 1..], 1);
            let (mut left, left_edge) = sc.scan_part(&bytes[..=i], 0);
            left.merge(right);
            resolve_edges(&mut left, vec![right_edge, left_edge]);
            assert_eq!(
                (left.events, left.lines, left.event_lines, &left.codes),
                (whole.events, whole.lines, whole.event_lines, &whole.codes),
                "split at {i}"
            );
        }
    }

    #[test]
    fn line_counting() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\nb\n"), 2);
        assert_eq!(count_lines(b"a\n\nb"), 3);
        let mut long = vec![b'x'; MAX_LINE + 1];
        long.extend(b"\nshort\n");
        long.extend(vec![b'y'; MAX_LINE + 5]);
        assert_eq!(count_overlong(&long), 2);
        assert_eq!(count_overlong(&vec![b'z'; MAX_LINE]), 0);
        assert_eq!(count_overlong(b"short\nlines\n"), 0);
    }

    #[test]
    fn no_trailing_newline_and_crlf() {
        let s = scanner().scan(b"Nov 28 06:00:01 mx postfix/smtp[2]: A1: to=<a@b>, relay=x, dsn=2.0.0, status=sent (250 ok)\r\nNov 28 06:00:01 mx postfix/smtp[2]: A1: to=<a@b>, relay=x, dsn=5.1.1, status=bounced (550 5.1.1 no)");
        assert_eq!((s.lines, s.events, s.classes), (2, 2, [1, 0, 1]));
    }
}
