//! The CSV reports. Each function writes one file's rows to any `io::Write`; rows are
//! sorted so that two runs over the same input give byte-identical files.

use crate::kb::{self, Code};
use crate::parse::{Class, Enhanced};
use crate::persistent::{Rule, Tracker};
use crate::report::{clean_text, safe_cell};
use crate::stats::Stats;
use crate::time::hour_label;
use std::io::{self, Write};

fn writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w)
}

fn flush<W: Write>(mut w: csv::Writer<W>) -> io::Result<()> {
    w.flush()
}

fn io_err(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

fn class_of_enhanced(e: &Enhanced) -> &'static str {
    e.class().map_or("", Class::label)
}

/// `classes.csv`: `class,count,share` — always 2xx, 4xx, 5xx.
pub fn classes<W: Write>(w: W, s: &Stats) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record(["class", "count", "share"])
        .map_err(io_err)?;
    for c in Class::ALL {
        let share = format!("{:.4}", s.share(c));
        w.write_record([c.label(), &s.classes[c.index()].to_string(), &share])
            .map_err(io_err)?;
    }
    flush(w)
}

/// `codes.csv`: `code,class,count,meaning` — basic codes ascending.
pub fn codes<W: Write>(w: W, s: &Stats) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record(["code", "class", "count", "meaning"])
        .map_err(io_err)?;
    for (code, n) in s.codes.iter() {
        let class = Class::from_digit((code / 100) as u8).map_or("3xx", Class::label);
        let meaning = kb::meaning(Code::Basic(code));
        w.write_record([
            &code.to_string(),
            class,
            &n.to_string(),
            &safe_cell(&meaning),
        ])
        .map_err(io_err)?;
    }
    flush(w)
}

/// `enhanced.csv`: `enhanced_code,class,count,meaning` — ascending.
pub fn enhanced<W: Write>(w: W, s: &Stats) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record(["enhanced_code", "class", "count", "meaning"])
        .map_err(io_err)?;
    for (e, n) in s.enhanced_sorted() {
        let meaning = kb::meaning(Code::Enhanced(e));
        w.write_record([
            &e.to_string(),
            class_of_enhanced(&e),
            &n.to_string(),
            &safe_cell(&meaning),
        ])
        .map_err(io_err)?;
    }
    flush(w)
}

/// The domains sorted by total descending, then name. Domains that read the same once
/// cleaned (invalid UTF-8, control characters) share one row.
pub fn sorted_domains(s: &Stats) -> Vec<(String, [u64; 3])> {
    let mut merged: std::collections::HashMap<String, [u64; 3]> = std::collections::HashMap::new();
    for (k, v) in s.domain_counts() {
        let row = merged.entry(clean_text(k)).or_default();
        for i in 0..3 {
            row[i] += v[i];
        }
    }
    let mut rows: Vec<(String, [u64; 3])> = merged.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1.iter()
            .sum::<u64>()
            .cmp(&a.1.iter().sum::<u64>())
            .then_with(|| a.0.cmp(&b.0))
    });
    rows
}

/// `domains.csv`: `domain,2xx,4xx,5xx,total` — total descending, then domain.
pub fn domains<W: Write>(w: W, s: &Stats) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record(["domain", "2xx", "4xx", "5xx", "total"])
        .map_err(io_err)?;
    for (d, c) in sorted_domains(s) {
        let total: u64 = c.iter().sum();
        w.write_record([
            &*safe_cell(&d),
            &c[0].to_string(),
            &c[1].to_string(),
            &c[2].to_string(),
            &total.to_string(),
        ])
        .map_err(io_err)?;
    }
    flush(w)
}

/// `hourly.csv`: `hour,2xx,4xx,5xx` — ascending, hours without events omitted.
pub fn hourly<W: Write>(w: W, s: &Stats) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record(["hour", "2xx", "4xx", "5xx"])
        .map_err(io_err)?;
    for (h, c) in s.hourly_sorted() {
        w.write_record([
            &hour_label(h),
            &c[0].to_string(),
            &c[1].to_string(),
            &c[2].to_string(),
        ])
        .map_err(io_err)?;
    }
    flush(w)
}

/// `persistent_450.csv`: `recipient,attempts,first_seen,last_seen,reason,last_reply`.
pub fn persistent<W: Write>(w: W, t: &Tracker, rule: &Rule) -> io::Result<()> {
    let mut w = writer(w);
    w.write_record([
        "recipient",
        "attempts",
        "first_seen",
        "last_seen",
        "reason",
        "last_reply",
    ])
    .map_err(io_err)?;
    for p in t.persistent(rule) {
        let e = p.evidence;
        let fmt = |s: Option<crate::time::Stamp>| s.map(|s| s.to_string()).unwrap_or_default();
        w.write_record([
            &*safe_cell(&clean_text(p.recipient)),
            &e.attempts.to_string(),
            &fmt(e.first_mailbox),
            &fmt(e.last_mailbox),
            p.reason.label(),
            &safe_cell(&e.last_reply),
        ])
        .map_err(io_err)?;
    }
    flush(w)
}

/// Every CSV file of a scan, rendered in memory: `(file name, contents)`.
pub fn render_all(s: &Stats, rule: &Rule) -> io::Result<Vec<(&'static str, Vec<u8>)>> {
    type Render = fn(&mut Vec<u8>, &Stats, &Rule) -> io::Result<()>;
    let files: [(&'static str, Render); 6] = [
        ("classes.csv", |w, s, _| classes(w, s)),
        ("codes.csv", |w, s, _| codes(w, s)),
        ("enhanced.csv", |w, s, _| enhanced(w, s)),
        ("domains.csv", |w, s, _| domains(w, s)),
        ("hourly.csv", |w, s, _| hourly(w, s)),
        ("persistent_450.csv", |w, s, r| {
            persistent(w, &s.persistent, r)
        }),
    ];
    files
        .iter()
        .map(|(name, f)| {
            let mut buf = Vec::new();
            f(&mut buf, s, rule)?;
            Ok((*name, buf))
        })
        .collect()
}
