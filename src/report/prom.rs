//! `mailcodes.prom`: the report in the text format of node_exporter's textfile collector.
//!
//! Every value is a gauge of the last run (a nightly report is a snapshot, not a counter
//! that only grows), and the file is written to a temporary name and renamed into place
//! with the rest of the report set, as the collector requires. Label values are escaped as
//! the exposition format says (backslash, double quote, newline).

use crate::report::table::{Report, Table};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes a label value.
pub fn label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One metric family: its help line, type, and samples `(labels, value)`.
fn family(out: &mut String, name: &str, help: &str, samples: &[(String, f64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (labels, value) in samples {
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}{braces} {value}");
    }
}

/// Samples of a table: one per row, labelled by the given columns, valued by `count`.
fn by_rows(t: Option<&Table>, keys: &[(&str, &str)], count: &str) -> Vec<(String, f64)> {
    let Some(t) = t else { return Vec::new() };
    let Some(value) = t.column(count) else {
        return Vec::new();
    };
    let cols: Vec<(&str, usize)> = keys
        .iter()
        .filter_map(|(label, col)| Some((*label, t.column(col)?)))
        .collect();
    t.rows
        .iter()
        .map(|row| {
            let labels: Vec<String> = cols
                .iter()
                .map(|(l, i)| format!("{l}=\"{}\"", label(&row[*i].plain())))
                .collect();
            (labels.join(","), row[value].count().unwrap_or(0) as f64)
        })
        .collect()
}

fn pairs(key: &str, v: &[(&str, u64)]) -> Vec<(String, f64)> {
    v.iter()
        .map(|(k, n)| (format!("{key}=\"{}\"", label(k)), *n as f64))
        .collect()
}

/// The whole textfile, with `end` (seconds since the epoch) as the run's end time.
pub fn render(r: &Report, end: i64) -> String {
    let f = &r.facts;
    let mut out = String::new();
    let lines = [
        ("read", f.lines),
        ("skipped", f.skipped),
        ("overlong", f.overlong),
    ];
    family(
        &mut out,
        "mailcodes_lines",
        "Log lines of the last run, by what became of them.",
        &pairs("kind", &lines),
    );
    family(
        &mut out,
        "mailcodes_events",
        "Mail outcome events of the last run, by reply class.",
        &pairs("class", &f.classes),
    );
    family(
        &mut out,
        "mailcodes_events_without_code",
        "Events whose line carried no SMTP reply code.",
        &[(String::new(), f.without_code as f64)],
    );
    let codes = by_rows(
        r.table("codes"),
        &[("class", "class"), ("code", "code")],
        "count",
    );
    family(
        &mut out,
        "mailcodes_events_by_code",
        "Events of the last run, by basic reply code.",
        &codes,
    );
    let enhanced = by_rows(
        r.table("enhanced"),
        &[("class", "class"), ("code", "enhanced_code")],
        "count",
    );
    family(
        &mut out,
        "mailcodes_events_by_enhanced_code",
        "Events of the last run, by enhanced status code.",
        &enhanced,
    );
    if let Some(t) = r.table("diagnoses") {
        let d = by_rows(
            Some(t),
            &[("diagnosis", "diagnosis"), ("class", "class")],
            "count",
        );
        family(
            &mut out,
            "mailcodes_events_by_diagnosis",
            "Failed events of the last run, by diagnosis.",
            &d,
        );
    }
    family(
        &mut out,
        "mailcodes_persistent_recipients",
        "Recipients whose mailbox keeps refusing mail, by reason.",
        &pairs("reason", &f.persistent),
    );
    family(
        &mut out,
        "mailcodes_last_run_timestamp_seconds",
        "When the last run ended, in seconds since the epoch.",
        &[(String::new(), end as f64)],
    );
    out
}

/// Writes the textfile.
pub fn write<W: Write>(mut w: W, r: &Report, end: i64) -> io::Result<()> {
    w.write_all(render(r, end).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(label("x\u{7}y"), "x y");
    }
}
