//! The one table model behind every report format.
//!
//! The statistics of a run are turned into a [`Report`] once: a few facts (inputs, period,
//! line and event counts) and the tables that the CSV files hold. Every writer — CSV, the
//! text summary, JSON, the workbook, the Prometheus textfile — reads this model and decides
//! only how to show it, so the formats cannot disagree.
//!
//! Cells are typed ([`Cell`]): a count stays a number, a share a fraction, a code or a
//! recipient always text, an hour or a timestamp a time. Text cells hold log text already
//! cleaned of invalid UTF-8 and control characters; each writer makes them safe for its own
//! format (a leading `'` against spreadsheet formulas in CSV, for example).

use crate::diagnose::Diagnosis;
use crate::failures::ProviderRow;
use crate::kb::{self, Code};
use crate::parse::{Class, Outcome};
use crate::persistent::{Reason, Rule};
use crate::report::clean_text;
use crate::stats::Stats;
use crate::time::Stamp;
use crate::types::Map;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text: a name, a code, a recipient, a meaning. Never read as a number or a date.
    /// (Boxed rather than a `String`, so that a cell takes 24 bytes: a table may hold
    /// millions of domains.)
    Text(Box<str>),
    /// A count.
    Count(u64),
    /// A fraction 0–1, shown as a percentage where the format can.
    Share(f64),
    /// A local hour: seconds of the local wall-clock time, as if UTC.
    Hour(i64),
    /// A timestamp as the log wrote it (with its offset when it had one), or none.
    Time(Option<Stamp>),
}

impl Cell {
    /// The cell as the CSV files have always written it (before spreadsheet escaping).
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(t) => t.to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Share(f) => format!("{f:.4}"),
            Cell::Hour(h) => crate::time::hour_label(*h),
            Cell::Time(t) => t.map(|t| t.to_string()).unwrap_or_default(),
        }
    }

    /// The count in a count cell.
    pub fn count(&self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// The text in a text cell.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A named table: the rows of one CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file stem: `classes` for `classes.csv`, the sheet name in the workbook.
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Rows,
}

/// The rows of a table, their cells end to end in one vector: a row costs its cells and
/// nothing more (a vector per row cost 40 bytes and an allocation more, a row of each of
/// millions of domains and providers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// Cells per row; every row has as many.
    width: usize,
    cells: Vec<Cell>,
}

impl Rows {
    /// No rows yet, room for `rows` of `width` cells.
    pub fn with_capacity(width: usize, rows: usize) -> Rows {
        Rows {
            width,
            cells: Vec::with_capacity(width * rows),
        }
    }

    /// Adds a row; every row must be as wide as the first.
    pub fn push(&mut self, row: impl IntoIterator<Item = Cell>) {
        let before = self.cells.len();
        self.cells.extend(row);
        let width = self.cells.len() - before;
        if before == 0 {
            self.width = width;
        }
        assert_eq!(width, self.width, "a table's rows are all as wide");
    }

    /// The rows in order.
    pub fn iter(&self) -> std::slice::ChunksExact<'_, Cell> {
        self.cells.chunks_exact(self.width.max(1))
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.cells.len() / self.width.max(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Row `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[Cell]> {
        let w = self.width.max(1);
        self.cells.get(i * w..(i + 1) * w)
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = &'a [Cell];
    type IntoIter = std::slice::ChunksExact<'a, Cell>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<R: IntoIterator<Item = Cell>> FromIterator<R> for Rows {
    fn from_iter<I: IntoIterator<Item = R>>(rows: I) -> Rows {
        let rows = rows.into_iter();
        let mut all = Rows::default();
        all.cells.reserve(rows.size_hint().0);
        for row in rows {
            all.push(row);
        }
        all
    }
}

impl Table {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }
}

/// The facts of a run besides its tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Input names, as given.
    pub inputs: Vec<String>,
    /// A line describing the date window, if one was set.
    pub window: Option<String>,
    pub first: Option<Stamp>,
    pub last: Option<Stamp>,
    pub lines: u64,
    pub skipped: u64,
    pub overlong: u64,
    pub bad_times: u64,
    pub events: u64,
    /// Events left out because they fall outside the date window.
    pub outside_window: u64,
    /// Events whose line carried no basic reply code (Exim `==` without one, timeouts…).
    pub without_code: u64,
    /// Failures that carried no SMTP reply at all.
    pub without_reply: u64,
    /// Address-verification probes, not counted as events.
    pub probes: u64,
    /// `(MTA name, events)`.
    pub mtas: Vec<(&'static str, u64)>,
    /// `(outcome label, events)`, in report order.
    pub outcomes: Vec<(&'static str, u64)>,
    /// `(class label, events)`: 2xx, 4xx, 5xx.
    pub classes: Vec<(&'static str, u64)>,
    pub rule: Rule,
    /// Persistent recipients per reason, in report order.
    pub persistent: Vec<(&'static str, u64)>,
    /// Recipients that got a 450 or greylisting deferral and later a 2xx.
    pub recovered: u64,
    /// Of those, the greylisted ones.
    pub recovered_greylisted: u64,
}

/// Which tables a report is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every table, whole: for the report files and the JSON document.
    All,
    /// Only what the text summary ([`crate::report::text`]) reads: no `providers` or `hosts`
    /// table, and a `domains` table of only the domains that failed, in the same order and
    /// with the same 4xx and 5xx (a name shared by a failed domain and one that only
    /// delivered, once cleaned, leaves out the latter's 2xx).
    /// Naming every relay's provider and sorting every domain took a fifth of the time of
    /// a summary of 200 MB of a busy server's log, for tables it does not show.
    Summary,
}

/// The tables made from counts alone, apart from the persistent list: a scan builds them
/// while merge.jsonl is rendered, before the evidence carried by `--state` joins the
/// tracker, and [`Counted::finish`] adds the persistent list and the facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    tables: Vec<Table>,
    scope: Scope,
}

impl Counted {
    /// The tables of `stats` in `scope` that do not read its persistent tracker. With
    /// `parallel`, the providers' tables, the longest to make (relays are named), are made
    /// on a thread of their own (split further, see
    /// [`crate::failures::Failures::provider_tables`]) while the others are.
    pub fn new(stats: &Stats, parallel: bool, scope: Scope) -> Counted {
        let all = scope == Scope::All;
        let ((provider_rows, top_providers), mut tables) = crate::pipeline::both(
            parallel,
            || match scope {
                Scope::All => stats.failures.provider_tables(parallel),
                Scope::Summary => (Vec::new(), stats.failures.top_providers(parallel)),
            },
            || {
                vec![
                    classes(stats),
                    codes(stats),
                    enhanced(stats),
                    domains(stats, scope),
                    hourly(stats),
                ]
            },
        );
        tables.push(diagnoses(stats, top_providers));
        if all {
            tables.push(providers(provider_rows));
            tables.push(hosts(stats));
        }
        Counted { tables, scope }
    }

    /// The whole report: these tables, the persistent list of `stats` under `rule` (in file
    /// order, after hourly) and the facts.
    pub fn finish(
        self,
        stats: &Stats,
        rule: &Rule,
        inputs: &[String],
        window: Option<String>,
    ) -> Report {
        let persistent = persistent(stats, rule);
        let facts = facts(stats, rule, inputs, window, &persistent);
        let mut tables = self.tables;
        tables.insert(5, persistent);
        Report {
            facts,
            tables,
            scope: self.scope,
        }
    }
}

/// Everything a run reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub facts: Facts,
    /// In file order: classes, codes, enhanced, domains, hourly, persistent_450, diagnoses,
    /// providers, hosts (see [`Scope`]).
    pub tables: Vec<Table>,
    /// Which tables were made: only a report of [`Scope::All`] may be written to files or
    /// as the JSON document.
    pub scope: Scope,
}

impl Report {
    /// Builds the report of `stats` under `rule`.
    pub fn new(stats: &Stats, rule: &Rule, inputs: &[String], window: Option<String>) -> Report {
        Counted::new(stats, true, Scope::All).finish(stats, rule, inputs, window)
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

fn facts(
    s: &Stats,
    rule: &Rule,
    inputs: &[String],
    window: Option<String>,
    persistent: &Table,
) -> Facts {
    let (recovered, recovered_greylisted) = s.persistent.recovered();
    let reason_col = persistent.column("reason").unwrap_or(4);
    let coded: u64 = s.codes.iter().map(|(_, n)| n).sum();
    Facts {
        inputs: inputs.to_vec(),
        window,
        first: s.first,
        last: s.last,
        lines: s.lines,
        skipped: s.skipped(),
        overlong: s.overlong_lines,
        bad_times: s.bad_times,
        events: s.events,
        outside_window: s.outside_window,
        without_code: s.events.saturating_sub(coded),
        without_reply: s.failures.without_reply,
        probes: s.probes,
        mtas: crate::parse::Mta::ALL
            .iter()
            .map(|m| (m.name(), s.mtas[m.index()]))
            .collect(),
        outcomes: Outcome::ALL
            .iter()
            .map(|o| (o.label(), s.outcome(*o)))
            .collect(),
        classes: Class::ALL
            .iter()
            .map(|c| (c.label(), s.classes[c.index()]))
            .collect(),
        rule: *rule,
        persistent: Reason::ALL
            .iter()
            .map(|r| {
                let n = persistent
                    .rows
                    .iter()
                    .filter(|row| row[reason_col].text() == Some(r.label()))
                    .count();
                (r.label(), n as u64)
            })
            .collect(),
        recovered,
        recovered_greylisted,
    }
}

fn text(s: impl Into<Box<str>>) -> Cell {
    Cell::Text(s.into())
}

/// `classes`: `class,count,share` — always 2xx, 4xx, 5xx.
fn classes(s: &Stats) -> Table {
    let rows = Class::ALL
        .iter()
        .map(|c| {
            vec![
                text(c.label()),
                Cell::Count(s.classes[c.index()]),
                Cell::Share(s.share(*c)),
            ]
        })
        .collect();
    Table {
        name: "classes",
        columns: &["class", "count", "share"],
        rows,
    }
}

/// `codes`: `code,class,count,meaning` — basic codes ascending.
fn codes(s: &Stats) -> Table {
    let rows = s
        .codes
        .iter()
        .map(|(code, n)| {
            let class = Class::from_digit((code / 100) as u8).map_or("3xx", Class::label);
            vec![
                text(code.to_string()),
                text(class),
                Cell::Count(n),
                text(kb::meaning(Code::Basic(code))),
            ]
        })
        .collect();
    Table {
        name: "codes",
        columns: &["code", "class", "count", "meaning"],
        rows,
    }
}

/// `enhanced`: `enhanced_code,class,count,meaning` — ascending.
fn enhanced(s: &Stats) -> Table {
    let rows = s
        .enhanced_sorted()
        .into_iter()
        .map(|(e, n)| {
            vec![
                text(e.to_string()),
                text(e.class().map_or("", Class::label)),
                Cell::Count(n),
                text(kb::meaning(Code::Enhanced(e))),
            ]
        })
        .collect();
    Table {
        name: "enhanced",
        columns: &["enhanced_code", "class", "count", "meaning"],
        rows,
    }
}

/// Counts keyed by log bytes, as rows keyed by their cleaned text (keys that read the same
/// once cleaned — invalid UTF-8, control characters — share a row; an empty name becomes
/// `empty`), sorted by total descending, then name. The keys are unique, so where every
/// one is clean already (the usual case) no two rows can share a name and none are merged.
fn by_clean_name<'k>(
    counts: impl IntoIterator<Item = (&'k [u8], [u64; 3])>,
    empty: &str,
) -> Vec<(String, [u64; 3])> {
    let counts = counts.into_iter();
    let mut rows: Vec<(String, [u64; 3])> = Vec::with_capacity(counts.size_hint().0);
    let mut cleaned = false;
    for (k, v) in counts {
        let name = match std::str::from_utf8(k) {
            Ok(name) if is_clean(name) => name.to_string(),
            _ => {
                cleaned = true;
                match clean_text(k) {
                    n if n.is_empty() => empty.to_string(),
                    n => n,
                }
            }
        };
        rows.push((name, v));
    }
    if cleaned {
        let mut merged: Map<String, [u64; 3]> = Map::default();
        for (name, v) in rows.drain(..) {
            crate::types::add_counts(merged.entry(name).or_default(), &v);
        }
        rows.extend(merged);
    }
    crate::types::sort_by_total_then_name(&mut rows, |(name, c)| (c.iter().sum(), name));
    rows
}

/// Whether `name` is what [`clean_text`] makes of it: printable ASCII, not empty, no
/// blank at either end.
fn is_clean(name: &str) -> bool {
    let b = name.as_bytes();
    matches!((b.first(), b.last()), (Some(&f), Some(&l)) if f != b' ' && l != b' ')
        && b.iter().all(|c| (0x20..0x7f).contains(c))
}

/// The domains sorted by total descending, then name.
pub fn sorted_domains(s: &Stats) -> Vec<(String, [u64; 3])> {
    by_clean_name(s.domain_counts(), "")
}

/// A name and its counts per class, with their total when `total`.
fn class_row(first: Cell, c: [u64; 3], total: bool) -> impl Iterator<Item = Cell> {
    [
        first,
        Cell::Count(c[0]),
        Cell::Count(c[1]),
        Cell::Count(c[2]),
    ]
    .into_iter()
    .chain(total.then(|| Cell::Count(c.iter().sum())))
}

/// Rows of a name and its counts per class and total, taking the names as they go.
fn named_class_rows(rows: Vec<(String, [u64; 3])>) -> Rows {
    let mut all = Rows::with_capacity(5, rows.len());
    for (name, c) in rows {
        all.push(class_row(text(name), c, true));
    }
    all
}

/// `domains`: `domain,2xx,4xx,5xx,total` — total descending, then domain; in a
/// [`Scope::Summary`], only the domains with a 4xx or 5xx.
fn domains(s: &Stats, scope: Scope) -> Table {
    let rows = match scope {
        Scope::All => sorted_domains(s),
        Scope::Summary => by_clean_name(s.domain_counts().filter(|(_, c)| c[1] + c[2] > 0), ""),
    };
    Table {
        name: "domains",
        columns: &["domain", "2xx", "4xx", "5xx", "total"],
        rows: named_class_rows(rows),
    }
}

/// `hourly`: `hour,2xx,4xx,5xx` — ascending, hours without events omitted.
fn hourly(s: &Stats) -> Table {
    let rows = s
        .hourly_sorted()
        .into_iter()
        .map(|(h, c)| class_row(Cell::Hour(h), c, false))
        .collect();
    Table {
        name: "hourly",
        columns: &["hour", "2xx", "4xx", "5xx"],
        rows,
    }
}

/// `persistent_450`: `recipient,attempts,first_seen,last_seen,reason,last_reply` — attempts
/// descending, then recipient.
fn persistent(s: &Stats, rule: &Rule) -> Table {
    let rows = s
        .persistent
        .persistent(rule)
        .into_iter()
        .map(|p| {
            let e = p.evidence;
            vec![
                text(clean_text(p.recipient)),
                Cell::Count(e.attempts),
                Cell::Time(e.first_mailbox),
                Cell::Time(e.last_mailbox),
                text(p.reason.label()),
                text(e.last_reply.clone()),
            ]
        })
        .collect();
    Table {
        name: "persistent_450",
        columns: &[
            "recipient",
            "attempts",
            "first_seen",
            "last_seen",
            "reason",
            "last_reply",
        ],
        rows,
    }
}

/// `diagnoses`: `diagnosis,class,count,recipients,top_provider,example,fix` — one row per
/// diagnosis and class, count descending.
fn diagnoses(s: &Stats, mut top: Map<(Diagnosis, Class), String>) -> Table {
    let rows = s
        .failures
        .diagnoses()
        .into_iter()
        .map(|(d, class, t)| {
            vec![
                text(d.name()),
                text(class.label()),
                Cell::Count(t.count),
                Cell::Count(t.recipients()),
                text(top.remove(&(d, class)).unwrap_or_default()),
                text(t.example()),
                text(format!(
                    "{} ({}): {}",
                    d.title(),
                    d.actor().label(),
                    d.fix()
                )),
            ]
        })
        .collect();
    Table {
        name: "diagnoses",
        columns: &[
            "diagnosis",
            "class",
            "count",
            "recipients",
            "top_provider",
            "example",
            "fix",
        ],
        rows,
    }
}

/// `providers`: `provider,2xx,4xx,5xx,total,top_diagnosis` — total descending, then name.
fn providers(providers: Vec<ProviderRow>) -> Table {
    let mut rows = Rows::with_capacity(6, providers.len());
    for p in providers {
        let top = text(p.top_diagnosis);
        rows.push(class_row(text(p.provider), p.classes, true).chain([top]));
    }
    Table {
        name: "providers",
        columns: &["provider", "2xx", "4xx", "5xx", "total", "top_diagnosis"],
        rows,
    }
}

/// `hosts`: `host,2xx,4xx,5xx,total` — the server that logged each event (the syslog host
/// field, or `--host`; `unknown` for lines with neither), total descending, then name.
fn hosts(s: &Stats) -> Table {
    Table {
        name: "hosts",
        columns: &["host", "2xx", "4xx", "5xx", "total"],
        rows: named_class_rows(by_clean_name(s.host_counts(), "unknown")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_stays_small_and_rows_hold_only_their_cells() {
        // A report of millions of domains holds a row of five cells for each.
        assert!(std::mem::size_of::<Cell>() <= 24);
        let mut rows = Rows::default();
        assert!(rows.is_empty() && rows.iter().next().is_none() && rows.get(0).is_none());
        rows.push(class_row(text("a.example"), [1, 2, 3], true));
        rows.push(class_row(text("b.example"), [0, 0, 4], true));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.cells.len(), 10);
        let second = rows.get(1).unwrap();
        assert_eq!(second[0].text(), Some("b.example"));
        assert_eq!(second[4].count(), Some(4));
        assert_eq!(rows.iter().map(|r| r[4].count().unwrap()).sum::<u64>(), 10);
    }

    #[test]
    #[should_panic(expected = "as wide")]
    fn rows_of_different_widths_are_refused() {
        let mut rows = Rows::default();
        rows.push(class_row(text("a"), [1, 2, 3], true));
        rows.push(class_row(text("b"), [1, 2, 3], false));
    }

    #[test]
    fn names_that_clean_to_the_same_text_share_a_row() {
        let counts: Vec<(&[u8], [u64; 3])> = vec![
            (b"a b", [1, 0, 0]),
            (b"a\x01b", [0, 1, 0]),
            (b"z", [5, 0, 0]),
            (b"", [0, 0, 1]),
        ];
        let rows = by_clean_name(counts, "unknown");
        assert_eq!(
            rows,
            [
                ("z".to_string(), [5, 0, 0]),
                ("a b".to_string(), [1, 1, 0]),
                ("unknown".to_string(), [0, 0, 1]),
            ]
        );
    }
}
