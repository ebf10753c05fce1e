//! The CSV reports: one RFC 4180 file per table of the [`Report`], CRLF line ends, every
//! text cell made spreadsheet-safe. Rows come sorted from the model, so two runs over the
//! same input give byte-identical files.

use crate::report::safe_cell;
use crate::report::table::{Cell, Report, Table};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Writes one table as CSV.
pub fn write_table<W: Write>(w: W, table: &Table) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    w.write_record(table.columns).map_err(io::Error::other)?;
    let mut number = String::new();
    for row in &table.rows {
        for cell in row {
            // Text borrowed unless it must be made safe, counts formatted into one buffer:
            // a table of millions of rows is written without an allocation per cell.
            let written = match cell {
                Cell::Text(t) => w.write_field(&*safe_cell(t)),
                Cell::Count(n) => {
                    number.clear();
                    write!(number, "{n}").map_err(io::Error::other)?;
                    w.write_field(&number)
                }
                other => w.write_field(other.plain()),
            };
            written.map_err(io::Error::other)?;
        }
        w.write_record(None::<&[u8]>).map_err(io::Error::other)?;
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
