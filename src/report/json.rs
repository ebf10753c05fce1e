//! `summary.json` and `scan --json`: the whole [`Report`] as one JSON document, for scripts
//! and monitoring.
//!
//! The layout is versioned by `"schema"` and documented in the README ("summary.json"). A
//! table is an array of objects keyed by its CSV columns; counts and shares are numbers,
//! everything else (codes, recipients, hours, timestamps) a string, so `4.2.2` stays a code
//! and `0123` a recipient. serde_json escapes every control character.

use crate::report::table::{Cell, Report, Table};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The layout version of `summary.json`; raised when a field changes meaning or goes away
/// (new fields do not raise it).
pub const SCHEMA: u32 = 1;

fn cell(c: &Cell) -> Value {
    match c {
        Cell::Text(t) => Value::from(t.as_str()),
        Cell::Count(n) => Value::from(*n),
        Cell::Share(f) => json!((f * 10_000.0).round() / 10_000.0),
        Cell::Hour(_) => Value::from(c.plain()),
        Cell::Time(t) => t.map_or(Value::Null, |t| Value::from(t.to_string())),
    }
}

fn table(t: &Table) -> Value {
    let rows = t.rows.iter().map(|row| {
        let obj: Map<String, Value> = t
            .columns
            .iter()
            .zip(row)
            .map(|(k, v)| (k.to_string(), cell(v)))
            .collect();
        Value::Object(obj)
    });
    Value::Array(rows.collect())
}

fn counts(pairs: &[(&'static str, u64)], lower: bool) -> Value {
    let obj: Map<String, Value> = pairs
        .iter()
        .map(|(k, n)| {
            let key = if lower {
                k.to_lowercase()
            } else {
                k.to_string()
            };
            (key, Value::from(*n))
        })
        .collect();
    Value::Object(obj)
}

/// The document.
pub fn document(r: &Report) -> Value {
    let f = &r.facts;
    let stamp = |s: Option<crate::time::Stamp>| s.map_or(Value::Null, |s| s.to_string().into());
    let tables: Map<String, Value> = r
        .tables
        .iter()
        .map(|t| (t.name.to_string(), table(t)))
        .collect();
    json!({
        "schema": SCHEMA,
        "generator": concat!("mailcodes ", env!("CARGO_PKG_VERSION")),
        "inputs": f.inputs,
        "window": f.window,
        "period": { "first": stamp(f.first), "last": stamp(f.last) },
        "lines": { "read": f.lines, "skipped": f.skipped, "overlong": f.overlong },
        "events": {
            "total": f.events,
            "outside_window": f.outside_window,
            "without_code": f.without_code,
            "failures_without_reply": f.without_reply,
            "probes": f.probes,
            "by_mta": counts(&f.mtas, true),
            "by_outcome": counts(&f.outcomes, false),
            "by_class": counts(&f.classes, false),
        },
        "persistent": {
            "rule": { "min_attempts": f.rule.min_attempts, "min_span_secs": f.rule.min_span_secs },
            "by_reason": counts(&f.persistent, false),
            "recovered": f.recovered,
            "recovered_greylisted": f.recovered_greylisted,
        },
        "tables": tables,
    })
}

/// Writes the document, pretty-printed, with a final newline.
pub fn write<W: Write>(mut w: W, r: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut w, &document(r)).map_err(io::Error::other)?;
    writeln!(w)
}
