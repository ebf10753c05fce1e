//! The CSV reports: one RFC 4180 file per table of the [`Report`], CRLF line ends, every
//! text cell made spreadsheet-safe. Rows come sorted from the model, so two runs over the
//! same input give byte-identical files.

use crate::report::safe_cell;
use crate::report::table::{Cell, Report, Table};
use std::io::{self, Write};

/// Writes one table as CSV.
pub fn write_table<W: Write>(w: W, table: &Table) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    w.write_record(table.columns).map_err(io::Error::other)?;
    for row in &table.rows {
        let cells = row.iter().map(|c| match c {
            Cell::Text(t) => safe_cell(t).into_owned(),
            other => other.plain(),
        });
        w.write_record(cells).map_err(io::Error::other)?;
    }
    w.flush()
}

/// Every CSV file of a report, rendered in memory: `(file name, contents)`.
pub fn render_all(report: &Report) -> io::Result<Vec<(String, Vec<u8>)>> {
    report
        .tables
        .iter()
        .map(|t| {
            let mut buf = Vec::new();
            write_table(&mut buf, t)?;
            Ok((format!("{}.csv", t.name), buf))
        })
        .collect()
}
