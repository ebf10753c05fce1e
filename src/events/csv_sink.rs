//! The events table as CSV: RFC 4180 with CRLF line ends like the other CSV files, text
//! cells through [`crate::report::safe_cell`], numbers as digits and absent values empty.
//! Rows stream straight to the writer; nothing is held back.

use super::clean::Cells;
use super::COLUMNS;
use crate::report::safe_cell;
use std::fmt::Write as _;
use std::io::{self, Write};

/// A CSV writer of events over any byte sink.
pub(crate) struct CsvSink<W: Write> {
    csv: csv::Writer<W>,
    /// Scratch for the time and the numbers, reused from row to row.
    cell: String,
}

impl<W: Write> CsvSink<W> {
    /// Writes the header row.
    pub fn new(w: W) -> io::Result<CsvSink<W>> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        csv.write_record(COLUMNS).map_err(io::Error::other)?;
        Ok(CsvSink {
            csv,
            cell: String::new(),
        })
    }

    /// Writes one row, in [`COLUMNS`] order.
    pub fn push(&mut self, row: &Cells) -> io::Result<()> {
        self.cell.clear();
        if let Some(micros) = row.micros {
            time_text(&mut self.cell, micros, row.offset_min.is_some());
        }
        self.scratch()?;
        self.number(row.offset_min)?;
        self.text(row.host)?;
        self.text(row.mta)?;
        self.text(row.queue_id)?;
        self.text(row.recipient)?;
        self.text(row.domain)?;
        self.text(row.relay)?;
        self.text(row.class)?;
        self.number(row.code)?;
        self.text(row.enhanced.unwrap_or(""))?;
        self.text(row.diagnosis)?;
        self.text(row.text)?;
        self.csv
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)
    }

    /// Flushes and hands back the sink.
    pub fn finish(self) -> io::Result<W> {
        self.csv
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn text(&mut self, s: &str) -> io::Result<()> {
        let cell = safe_cell(s);
        self.csv
            .write_field(cell.as_bytes())
            .map_err(io::Error::other)
    }

    fn number(&mut self, n: Option<i32>) -> io::Result<()> {
        self.cell.clear();
        if let Some(n) = n {
            // Writing into a String cannot fail.
            let _ = write!(self.cell, "{n}");
        }
        self.scratch()
    }

    /// Writes the scratch cell: a time or a number, safe as it is (digits, `-`, `:`, `T`,
    /// `Z`), so it skips `safe_cell`, which would quote a negative offset like a formula.
    fn scratch(&mut self) -> io::Result<()> {
        self.csv
            .write_field(self.cell.as_bytes())
            .map_err(io::Error::other)
    }
}

/// ISO 8601 of a `time` value: `2026-11-28T05:25:13Z` for a UTC instant,
/// `2026-11-28T06:25:13` for a local wall-clock time.
fn time_text(out: &mut String, micros: i64, utc: bool) {
    let secs = micros.div_euclid(1_000_000);
    let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    );
    if utc {
        out.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_follow_the_table_rule() {
        for (micros, utc, text) in [
            (1_795_843_513_000_000, true, "2026-11-28T05:25:13Z"),
            (1_795_847_113_000_000, false, "2026-11-28T06:25:13"),
            (0, false, "1970-01-01T00:00:00"),
            (-1_000_000, true, "1969-12-31T23:59:59Z"),
        ] {
            let mut out = String::new();
            time_text(&mut out, micros, utc);
            assert_eq!(out, text);
        }
    }
}
