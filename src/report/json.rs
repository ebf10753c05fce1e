//! `summary.json` and `scan --json`: the whole [`Report`] as one JSON document, for scripts
//! and monitoring.
//!
//! The layout is versioned by `"schema"` and documented in the README ("summary.json"). A
//! table is an array of objects keyed by its CSV columns; counts and shares are numbers,
//! everything else (codes, recipients, hours, timestamps) a string, so `4.2.2` stays a code
//! and `0123` a recipient. serde_json escapes every control character.

use crate::report::table::{Cell, Report, Scope, Table};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The layout version of `summary.json`; raised when a field changes meaning or goes away
/// (new fields do not raise it).
pub const SCHEMA: u32 = 1;

/// A cell as JSON: counts and shares are numbers, everything else a string (or null).
struct CellRef<'a>(&'a Cell);

impl Serialize for CellRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Count(n) => s.serialize_u64(*n),
            Cell::Share(f) => s.serialize_f64((f * 10_000.0).round() / 10_000.0),
            Cell::Hour(_) => s.serialize_str(&self.0.plain()),
            Cell::Time(Some(t)) => s.serialize_str(&t.to_string()),
            Cell::Time(None) => s.serialize_none(),
        }
    }
}

/// A row as an object keyed by the table's columns.
struct RowRef<'a>(&'a [&'static str], &'a [Cell]);

impl Serialize for RowRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(k, &CellRef(v))?;
        }
        m.end()
    }
}

/// A table as an array of rows, written row by row (a table of a million domains never
/// becomes a tree of values in memory).
struct TableRef<'a>(&'a Table);

impl Serialize for TableRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        s.collect_seq(t.rows.iter().map(|r| RowRef(t.columns, r)))
    }
}

struct Tables<'a>(&'a [Table]);

impl Serialize for Tables<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|t| (t.name, TableRef(t))))
    }
}

/// The whole document: the facts as small values, then the tables streamed.
struct Doc<'a>(&'a Report);

impl Serialize for Doc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(head) = facts(self.0) else {
            unreachable!("facts are an object")
        };
        let mut m = s.serialize_map(Some(head.len() + 1))?;
        for (k, v) in &head {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("tables", &Tables(&self.0.tables))?;
        m.end()
    }
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

/// The document as a value (for tests and small reports; [`write`] streams it).
pub fn document(r: &Report) -> Value {
    serde_json::to_value(Doc(r)).unwrap_or(Value::Null)
}

/// Everything but the tables.
fn facts(r: &Report) -> Value {
    let f = &r.facts;
    let stamp = |s: Option<crate::time::Stamp>| s.map_or(Value::Null, |s| s.to_string().into());
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
    })
}

/// Writes the document, pretty-printed, with a final newline.
pub fn write<W: Write>(mut w: W, r: &Report) -> io::Result<()> {
    debug_assert_eq!(r.scope, Scope::All, "the JSON document has every table");
    serde_json::to_writer_pretty(&mut w, &Doc(r)).map_err(io::Error::other)?;
    writeln!(w)
}
