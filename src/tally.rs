//! What a scan counts into: the one seam between scanning lines and keeping counts.
//!
//! A scan of one pass counts everything into one [`Stats`]; with `{date}` in `--out-dir`
//! it counts each day apart ([`crate::days::Days`]). The scanner, the pipeline and the
//! incremental reader are written once against this trait and compiled for each, so the
//! one-pass scan runs exactly the code it ran before the split existed (every method of
//! [`Stats`] below is the field update the scanner used to make itself).

use crate::parse::{Context, Event};
use crate::stats::Stats;

/// Counts of a scan that merge in any order, as [`Stats`] does.
pub trait Tally: Default + Send {
    /// Counts events in the order of their lines (see [`Stats::add_batch`]).
    fn add_batch(&mut self, events: &[(Event<'_>, u64)]);

    /// Counts one event `weight` times.
    fn add(&mut self, e: &Event<'_>, weight: u64);

    /// `n` lines that recorded `e` (or repeated it).
    fn event_lines(&mut self, e: &Event<'_>, n: u64);

    /// One line whose event falls outside the date window and counts `weight` times there.
    fn outside(&mut self, e: &Event<'_>, weight: u64);

    /// The lines of a scanned chunk (whole lines, as the scanner had it): `lines` in all,
    /// `overlong` of them too long to be parsed; `ctx` reads their timestamps if needed.
    fn chunk_lines(&mut self, chunk: &[u8], lines: u64, overlong: u64, ctx: &Context);

    /// `n` over-long lines a reader skipped unread right before `chunk`.
    fn skipped_before(&mut self, n: u64, chunk: &[u8], ctx: &Context);

    /// Folds `other` in; commutative and associative.
    fn merge(&mut self, other: Self);

    /// Lines read and lines that held a mail event, for the warnings about inputs.
    fn read(&self) -> (u64, u64);

    /// Writes the rows of the events table still held (`--events`).
    fn flush_events(&mut self);
}

impl Tally for Stats {
    #[inline]
    fn add_batch(&mut self, events: &[(Event<'_>, u64)]) {
        Stats::add_batch(self, events);
    }

    #[inline]
    fn add(&mut self, e: &Event<'_>, weight: u64) {
        Stats::add(self, e, weight);
    }

    #[inline]
    fn event_lines(&mut self, _: &Event<'_>, n: u64) {
        self.event_lines += n;
    }

    #[inline]
    fn outside(&mut self, _: &Event<'_>, weight: u64) {
        self.outside_window += weight;
        // A mail event all the same: not one of the "skipped" lines.
        self.event_lines += 1;
    }

    #[inline]
    fn chunk_lines(&mut self, _: &[u8], lines: u64, overlong: u64, _: &Context) {
        self.lines += lines;
        self.overlong_lines += overlong;
    }

    fn skipped_before(&mut self, n: u64, _: &[u8], _: &Context) {
        self.lines += n;
        self.overlong_lines += n;
    }

    fn merge(&mut self, other: Self) {
        Stats::merge(self, other);
    }

    fn read(&self) -> (u64, u64) {
        (self.lines, self.event_lines)
    }

    fn flush_events(&mut self) {
        Stats::flush_events(self);
    }
}
