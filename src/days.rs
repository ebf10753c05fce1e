//! Counting each day apart, for `{date}` in `--out-dir`: every event goes to the day of its
//! own local time, and every line to the day of its own timestamp, so that each day's
//! [`Stats`] is what one pass over that day's lines alone would count.
//!
//! Events cost one date comparison each: the day being counted is cached as a range of
//! local seconds, and only an event outside it looks its day up. Lines are never parsed one
//! by one on the way: a chunk whose first and last dated lines fall on the same day gives
//! all its lines to that day (a log is written in time order), and only a chunk that spans
//! a change of day (or holds over-long lines) has each line's timestamp read.
//!
//! What cannot be dated — an event whose timestamp is missing or not believed, the lines of a
//! chunk that holds no dated line — is counted apart and given to one day at the end (see
//! [`Days::into_days`]). A line without a timestamp among dated ones goes with the line
//! before it (at the start of a chunk: the line after it).

pub mod folders;

use crate::parse::{line_time, Context, Event};
use crate::scan::MAX_LINE;
use crate::stats::Stats;
use crate::tally::Tally;
use crate::time::Stamp;

const DAY: i64 = 86_400;

/// The local day of a time: days since 1970-01-01 of the date as written in the log.
pub fn day_of(t: Stamp) -> i64 {
    t.local().div_euclid(DAY)
}

/// `YYYY-MM-DD` of a day.
pub fn date_string(day: i64) -> String {
    Stamp::naive(day * DAY).date_string()
}

/// The statistics of one day (`None`: what could not be dated).
#[derive(Debug, Clone, Default)]
struct Slot {
    day: Option<i64>,
    stats: Stats,
}

/// One [`Stats`] per local day.
#[derive(Debug, Clone, Default)]
pub struct Days {
    /// A few days per worker as a rule: found by a short search on a change of day.
    slots: Vec<Slot>,
    /// The slot being counted, and the local seconds `lo..hi` of its day (an empty range
    /// for the undated slot, with `undated` set).
    cur: usize,
    lo: i64,
    hi: i64,
    undated: bool,
}

impl Days {
    /// The slot of an event at `t`: the cached one when `t` falls in its day.
    #[inline]
    fn slot(&mut self, t: Option<Stamp>) -> usize {
        let hit = match t {
            Some(s) => s.local() >= self.lo && s.local() < self.hi,
            None => self.undated,
        };
        if hit {
            self.cur
        } else {
            self.switch(t.map(day_of))
        }
    }

    /// Makes the slot of `day` the cached one.
    fn switch(&mut self, day: Option<i64>) -> usize {
        let i = self.index_of(day);
        self.cur = i;
        (self.lo, self.hi, self.undated) = match day {
            Some(d) => (d * DAY, d * DAY + DAY, false),
            None => (0, 0, true),
        };
        i
    }

    /// The slot of `day`, made when missing.
    fn index_of(&mut self, day: Option<i64>) -> usize {
        match self.slots.iter().position(|s| s.day == day) {
            Some(i) => i,
            None => {
                self.slots.push(Slot {
                    day,
                    stats: Stats::default(),
                });
                self.slots.len() - 1
            }
        }
    }

    fn stats_of(&mut self, day: Option<i64>) -> &mut Stats {
        let i = self.index_of(day);
        &mut self.slots[i].stats
    }

    /// Gives `lines` lines (`overlong` of them over-long) to `day`.
    fn add_lines(&mut self, day: Option<i64>, lines: u64, overlong: u64) {
        let s = self.stats_of(day);
        s.lines += lines;
        s.overlong_lines += overlong;
    }

    /// Dates every line of `chunk` (`lines` of them) by its own timestamp (see the module's
    /// rules).
    fn date_each_line(&mut self, chunk: &[u8], lines: u64, ctx: &Context) {
        // (day, lines, over-long lines) in the order of the chunk.
        let mut runs: Vec<(Option<i64>, u64, u64)> = Vec::new();
        let mut lead = (0u64, 0u64);
        let mut start = 0;
        let unended = chunk.last().is_some_and(|b| *b != b'\n');
        let ends = memchr::memchr_iter(b'\n', chunk).chain(unended.then_some(chunk.len()));
        for end in ends {
            let line = &chunk[start..end];
            start = end + 1;
            if let Some(d) = line_day(line, ctx) {
                if runs.last().is_none_or(|r| r.0 != Some(d)) {
                    runs.push((Some(d), 0, 0));
                }
            }
            let over = u64::from(line.len() > MAX_LINE);
            match runs.last_mut() {
                Some(r) => (r.1, r.2) = (r.1 + 1, r.2 + over),
                None => lead = (lead.0 + 1, lead.1 + over),
            }
        }
        debug_assert_eq!(lead.0 + runs.iter().map(|r| r.1).sum::<u64>(), lines);
        let first = runs.first().and_then(|r| r.0);
        self.add_lines(first, lead.0, lead.1);
        for (day, lines, overlong) in runs {
            self.add_lines(day, lines, overlong);
        }
    }

    /// The days counted, ascending, each with its statistics. What could not be dated goes
    /// to `fallback` when given (the window's first day), else to the earliest day, else
    /// (nothing was dated at all) to `today`. Days that read no line are left out.
    pub fn into_days(self, fallback: Option<i64>, today: i64) -> Vec<(i64, Stats)> {
        let mut undated = Stats::default();
        let mut days: Vec<(i64, Stats)> = Vec::new();
        for slot in self.slots {
            match slot.day {
                Some(d) => days.push((d, slot.stats)),
                None => undated.merge(slot.stats),
            }
        }
        days.sort_by_key(|(d, _)| *d);
        let holds_anything =
            undated.lines + undated.events + undated.outside_window + undated.probes > 0;
        if holds_anything {
            let to = fallback.or(days.first().map(|(d, _)| *d)).unwrap_or(today);
            match days.iter_mut().find(|(d, _)| *d == to) {
                Some((_, s)) => s.merge(undated),
                None => {
                    days.push((to, undated));
                    days.sort_by_key(|(d, _)| *d);
                }
            }
        }
        days.retain(|(_, s)| s.lines > 0 || s.events > 0);
        days
    }
}

/// The lines of a chunk as the scanner counts them (a last line without a newline is one),
/// for a look at the first or last few (the walk over all of them uses memchr).
fn lines_of(chunk: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    let none = chunk.is_empty();
    body.split(|b| *b == b'\n').filter(move |_| !none)
}

/// The local day of a line's timestamp.
fn line_day(line: &[u8], ctx: &Context) -> Option<i64> {
    line_time(line, ctx).map(day_of)
}

impl Tally for Days {
    fn add_batch(&mut self, events: &[(Event<'_>, u64)]) {
        let mut start = 0;
        while start < events.len() {
            let i = self.slot(events[start].0.time);
            let mut end = start + 1;
            while end < events.len() && self.slot(events[end].0.time) == i {
                end += 1;
            }
            self.slots[i].stats.add_batch(&events[start..end]);
            start = end;
        }
    }

    fn add(&mut self, e: &Event<'_>, weight: u64) {
        let i = self.slot(e.time);
        self.slots[i].stats.add(e, weight);
    }

    #[inline]
    fn event_lines(&mut self, e: &Event<'_>, n: u64) {
        let i = self.slot(e.time);
        self.slots[i].stats.event_lines += n;
    }

    fn outside(&mut self, e: &Event<'_>, weight: u64) {
        let i = self.slot(e.time);
        let s = &mut self.slots[i].stats;
        s.outside_window += weight;
        s.event_lines += 1;
    }

    fn chunk_lines(&mut self, chunk: &[u8], lines: u64, overlong: u64, ctx: &Context) {
        if lines == 0 {
            return;
        }
        if overlong == 0 {
            let first = lines_of(chunk).find_map(|l| line_day(l, ctx));
            let Some(first) = first else {
                return self.add_lines(None, lines, 0);
            };
            let last = lines_of(chunk).rev().find_map(|l| line_day(l, ctx));
            if last == Some(first) {
                return self.add_lines(Some(first), lines, 0);
            }
        }
        self.date_each_line(chunk, lines, ctx);
    }

    fn skipped_before(&mut self, n: u64, chunk: &[u8], ctx: &Context) {
        let day = lines_of(chunk).find_map(|l| line_day(l, ctx));
        self.add_lines(day, n, n);
    }

    fn merge(&mut self, other: Self) {
        for slot in other.slots {
            self.stats_of(slot.day).merge(slot.stats);
        }
    }

    fn read(&self) -> (u64, u64) {
        self.slots.iter().fold((0, 0), |(l, e), s| {
            (l + s.stats.lines, e + s.stats.event_lines)
        })
    }

    fn flush_events(&mut self) {
        for s in &mut self.slots {
            s.stats.flush_events();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::YearRule;
    use crate::scan::Scanner;

    fn scanner() -> Scanner {
        Scanner::new(Context {
            year: YearRule::Fixed(2026),
            ..Context::new(0)
        })
    }

    fn sent(day: u32, hms: &str) -> String {
        format!("Nov {day} {hms} mx postfix/smtp[1]: A: to=<a@b.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n")
    }

    fn other(day: u32, hms: &str) -> String {
        format!("Nov {day} {hms} mx postfix/qmgr[2]: A: removed\n")
    }

    /// `(date, lines, event lines, events)` of each day.
    fn split(log: &str) -> Vec<(String, u64, u64, u64)> {
        let mut days = Days::default();
        scanner().scan_into(&mut days, log.as_bytes(), 0);
        days.into_days(None, 0)
            .into_iter()
            .map(|(d, s)| (date_string(d), s.lines, s.event_lines, s.events))
            .collect()
    }

    #[test]
    fn days_split_lines_and_events_at_midnight() {
        let log = [
            other(28, "23:58:00"),
            sent(28, "23:59:00"),
            other(28, "23:59:30"),
            "junk without a time\n".to_string(),
            other(29, "00:00:10"),
            sent(29, "00:01:00"),
            sent(29, "00:02:00"),
        ]
        .concat();
        assert_eq!(
            split(&log),
            vec![
                ("2026-11-28".to_string(), 4, 1, 1),
                ("2026-11-29".to_string(), 3, 2, 2),
            ]
        );
    }

    #[test]
    fn one_day_needs_no_line_read_and_undated_lines_join_a_day() {
        let log = [
            other(28, "06:00:00"),
            sent(28, "07:00:00"),
            other(28, "08:00:00"),
        ]
        .concat();
        assert_eq!(split(&log), vec![("2026-11-28".to_string(), 3, 1, 1)]);
        let mut days = Days::default();
        let sc = scanner();
        sc.scan_into(&mut days, b"no time here\nnor here", 0);
        sc.scan_into(&mut days, sent(30, "01:00:00").as_bytes(), 1);
        let got: Vec<_> = days
            .into_days(None, 0)
            .into_iter()
            .map(|(d, s)| (date_string(d), s.lines, s.events))
            .collect();
        assert_eq!(got, vec![("2026-11-30".to_string(), 3, 1)]);
        assert!(Days::default().into_days(None, 0).is_empty());
    }

    #[test]
    fn days_merge_as_one_pass_would_count_them() {
        let log = [
            sent(28, "10:00:00"),
            sent(29, "10:00:00"),
            sent(28, "11:00:00"),
        ]
        .concat();
        let (a, b) = log.split_at(log.find("Nov 29").unwrap());
        let sc = scanner();
        let (mut x, mut y) = (Days::default(), Days::default());
        sc.scan_into(&mut x, b.as_bytes(), 1);
        sc.scan_into(&mut y, a.as_bytes(), 0);
        x.merge(y);
        assert_eq!(x.read(), (3, 3));
        let days: Vec<_> = x
            .into_days(None, 0)
            .into_iter()
            .map(|(d, s)| (d, s.events))
            .collect();
        assert_eq!(days.len(), 2);
        assert_eq!((days[0].1, days[1].1), (2, 1));
    }
}
