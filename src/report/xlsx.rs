//! `mailcodes.xlsx`: the report as a typed workbook, which opens the same in every locale.
//!
//! A CSV file leaves every type to the importing program, which guesses by locale: `4.2.2`
//! becomes a date, `0123` the number 123, a share text. Here every cell carries its type:
//! counts are numbers, shares numbers shown as percentages, codes and recipients text, hours
//! and timestamps real date-time cells (the UTC offset, when the log wrote one, in a column
//! of its own). A first *Summary* sheet holds the facts of the run and two charts; then one
//! sheet per table with the CSV file's columns, a frozen header row and an autofilter.
//!
//! Strings written as strings are never evaluated as formulas, so log text needs no escaping
//! here; it is cut at Excel's limit of 32,767 characters per cell.

use crate::report::table::{Cell, Report, Table};
use crate::time::Stamp;
use rust_xlsxwriter::{
    Chart, ChartType, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

/// Excel's limit of characters in a cell.
const MAX_CELL: usize = 32_767;
/// The widest a column is made, in characters.
const MAX_WIDTH: usize = 60;

/// The formats used across the workbook.
struct Formats {
    header: Format,
    count: Format,
    share: Format,
    hour: Format,
    time: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_align(FormatAlign::Center),
            count: Format::new().set_num_format("0"),
            share: Format::new().set_num_format("0.00%"),
            hour: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        }
    }
}

/// The workbook of a report, as the bytes of an `.xlsx` file.
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let summary = book.add_worksheet();
    summary.set_name("Summary")?;
    write_summary(summary, r, &f)?;
    for t in &r.tables {
        let sheet = if t.rows.len() > LOW_MEMORY_ROWS {
            book.add_worksheet_with_low_memory()?
        } else {
            book.add_worksheet()
        };
        sheet.set_name(t.name)?;
        write_table(sheet, t, &f)?;
    }
    book.save_to_buffer()
}

/// Rows past which a sheet is written in the library's "low memory" mode: each row goes to
/// a temporary file once the next one starts, where the library would otherwise keep every
/// cell (2.8 GB for the 1.1 million domains and providers of a busy relay). Rows are
/// written in order anyway; the strings still share one table, as in any workbook.
const LOW_MEMORY_ROWS: usize = 50_000;

fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// A date-time cell for a local wall-clock time in seconds, or its text when Excel cannot
/// hold the date (before 1900, after 9999).
fn write_local(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    local: i64,
    format: &Format,
    text: &str,
) -> Result<(), XlsxError> {
    match ExcelDateTime::from_timestamp(local) {
        Ok(dt) => sheet.write_datetime_with_format(row, col, &dt, format)?,
        Err(_) => sheet.write_string(row, col, text)?,
    };
    Ok(())
}

fn offset_text(s: &Stamp) -> String {
    let off = s.offset().unwrap_or(0);
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 60, a % 60)
}

/// Which columns of a table are time columns with an offset somewhere: those get an extra
/// `NAME_utc_offset` column right after them.
fn offset_columns(t: &Table) -> Vec<bool> {
    (0..t.columns.len())
        .map(|c| {
            t.rows
                .iter()
                .any(|row| matches!(row[c], Cell::Time(Some(s)) if s.offset().is_some()))
        })
        .collect()
}

/// Rows a worksheet holds, its header row included (Excel's limit).
const SHEET_ROWS: usize = 1_048_576;

fn write_table(sheet: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    write_table_within(sheet, t, f, SHEET_ROWS)
}

/// How many of `len` rows a sheet of `sheet_rows` rows shows under its header, and how many
/// it leaves out: all when they fit, else one fewer than fit, leaving a row for a note.
fn rows_shown(len: usize, sheet_rows: usize) -> (usize, usize) {
    let room = sheet_rows - 1;
    if len <= room {
        (len, 0)
    } else {
        (room - 1, len - (room - 1))
    }
}

/// Writes a table into a sheet of `sheet_rows` rows. A table longer than a sheet (the
/// domains or providers of a busy relay: millions) shows its first rows, which are its
/// biggest, and a last row saying how many more there are and where: writing past the limit
/// was an error that cost the whole report set.
fn write_table_within(
    sheet: &mut Worksheet,
    t: &Table,
    f: &Formats,
    sheet_rows: usize,
) -> Result<(), XlsxError> {
    let (shown, left) = rows_shown(t.rows.len(), sheet_rows);
    let offsets = offset_columns(t);
    let mut widths: Vec<usize> = Vec::new();
    let mut col = 0u16;
    for (i, name) in t.columns.iter().enumerate() {
        sheet.write_string_with_format(0, col, *name, &f.header)?;
        widths.push(name.len());
        if offsets[i] {
            let extra = format!("{name}_utc_offset");
            sheet.write_string_with_format(0, col + 1, &extra, &f.header)?;
            widths.push(extra.len());
            col += 1;
        }
        col += 1;
    }
    for (r, row) in t.rows.iter().take(shown).enumerate() {
        let r = r as u32 + 1;
        let mut col = 0u16;
        for (i, cell) in row.iter().enumerate() {
            let shown = write_cell(sheet, r, col, cell, f)?;
            let w = &mut widths[usize::from(col)];
            *w = (*w).max(shown);
            if offsets[i] {
                if let Cell::Time(Some(s)) = cell {
                    if s.offset().is_some() {
                        sheet.write_string(r, col + 1, offset_text(s))?;
                    }
                }
                col += 1;
            }
            col += 1;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w + 2).min(MAX_WIDTH) as f64)?;
    }
    if left > 0 {
        let note =
            format!("… and {left} more rows than a worksheet holds: summary.json has them all");
        sheet.write_string(shown as u32 + 1, 0, note)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = widths.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, shown as u32, last_col)?;
    Ok(())
}

/// Writes one typed cell; returns the width it shows with, in characters.
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<usize, XlsxError> {
    match cell {
        Cell::Text(t) => {
            let t = cut(t);
            sheet.write_string(r, c, t)?;
            Ok(t.chars().count())
        }
        Cell::Count(n) => {
            sheet.write_number_with_format(r, c, *n as f64, &f.count)?;
            Ok(n.to_string().len())
        }
        Cell::Share(x) => {
            sheet.write_number_with_format(r, c, *x, &f.share)?;
            Ok(8)
        }
        Cell::Hour(h) => {
            write_local(sheet, r, c, *h, &f.hour, &cell.plain())?;
            Ok(16)
        }
        Cell::Time(Some(s)) => {
            write_local(sheet, r, c, s.local(), &f.time, &s.to_string())?;
            Ok(19)
        }
        Cell::Time(None) => Ok(0),
    }
}

/// The Summary sheet: label and value rows, then the charts.
fn write_summary(sheet: &mut Worksheet, r: &Report, f: &Formats) -> Result<(), XlsxError> {
    let facts = &r.facts;
    let mut row = 0u32;
    let mut label = |sheet: &mut Worksheet, text: &str| -> Result<u32, XlsxError> {
        sheet.write_string_with_format(row, 0, text, &f.header)?;
        row += 1;
        Ok(row - 1)
    };
    let r0 = label(sheet, "inputs")?;
    sheet.write_string(r0, 1, cut(&facts.inputs.join(", ")))?;
    if let Some(w) = &facts.window {
        let rw = label(sheet, "window")?;
        sheet.write_string(rw, 1, w.as_str())?;
    }
    for (name, stamp) in [("first event", facts.first), ("last event", facts.last)] {
        let rr = label(sheet, name)?;
        if let Some(s) = stamp {
            write_local(sheet, rr, 1, s.local(), &f.time, &s.to_string())?;
            if s.offset().is_some() {
                sheet.write_string(rr, 2, offset_text(&s))?;
            }
        }
    }
    let mut numbers: Vec<(String, u64)> = vec![
        ("lines read".into(), facts.lines),
        ("lines skipped (not mail events)".into(), facts.skipped),
        ("events".into(), facts.events),
        ("events without a reply code".into(), facts.without_code),
    ];
    numbers.extend(
        facts
            .outcomes
            .iter()
            .map(|(o, n)| (format!("outcome: {o}"), *n)),
    );
    numbers.extend(
        facts
            .persistent
            .iter()
            .map(|(p, n)| (format!("persistent 450: {p}"), *n)),
    );
    numbers.push(("recovered recipients".into(), facts.recovered));
    for (name, n) in &numbers {
        let rr = label(sheet, name)?;
        sheet.write_number_with_format(rr, 1, *n as f64, &f.count)?;
    }
    for (class, n) in &facts.classes {
        let rr = label(sheet, &format!("class {class}"))?;
        sheet.write_number_with_format(rr, 1, *n as f64, &f.count)?;
        let share = if facts.events == 0 {
            0.0
        } else {
            *n as f64 / facts.events as f64
        };
        sheet.write_number_with_format(rr, 2, share, &f.share)?;
    }
    let mut next = row + 1;
    if let Some(d) = r.table("diagnoses") {
        next = top_diagnoses(sheet, d, next, f)?;
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 22)?;
    sheet.set_column_width(2, 10)?;
    charts(sheet, r, next + 1)
}

/// The top diagnoses under the facts; returns the next free row.
fn top_diagnoses(
    sheet: &mut Worksheet,
    d: &Table,
    start: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let (Some(name), Some(count)) = (d.column("diagnosis"), d.column("count")) else {
        return Ok(start);
    };
    let class = d.column("class");
    let fix = d.column("fix");
    sheet.write_string_with_format(start, 0, "top diagnoses", &f.header)?;
    let mut rows: Vec<&[Cell]> = d.rows.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r[count].count().unwrap_or(0)));
    let mut row = start + 1;
    for r in rows.iter().take(10) {
        let label = match class {
            Some(c) => format!("{} ({})", r[name].plain(), r[c].plain()),
            None => r[name].plain(),
        };
        sheet.write_string(row, 0, label)?;
        sheet.write_number_with_format(row, 1, r[count].count().unwrap_or(0) as f64, &f.count)?;
        if let Some(fx) = fix {
            sheet.write_string(row, 2, cut(&r[fx].plain()))?;
        }
        row += 1;
    }
    Ok(row)
}

/// A column chart of the classes and a stacked column chart of the hours, from the sheets
/// of those tables.
fn charts(sheet: &mut Worksheet, r: &Report, row: u32) -> Result<(), XlsxError> {
    let mut classes = Chart::new(ChartType::Column);
    classes.title().set_name("Events by class");
    classes
        .add_series()
        .set_name("events")
        .set_categories(("classes", 1, 0, 3, 0))
        .set_values(("classes", 1, 1, 3, 1));
    classes.legend().set_hidden();
    sheet.insert_chart(row, 0, &classes)?;
    let hours = r.table("hourly").map_or(0, |t| t.rows.len()) as u32;
    if hours > 0 {
        let mut hourly = Chart::new(ChartType::ColumnStacked);
        hourly.title().set_name("Events per hour");
        for (col, name) in [(1u16, "2xx"), (2, "4xx"), (3, "5xx")] {
            hourly
                .add_series()
                .set_name(name)
                .set_categories(("hourly", 1, 0, hours, 0))
                .set_values(("hourly", 1, col, hours, col));
        }
        hourly.x_axis().set_num_format("yyyy-mm-dd hh:mm");
        sheet.insert_chart(row + 16, 0, &hourly)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::table::Rows;
    use calamine::{Data, Reader, Xlsx};

    /// A `domains` table of `n` rows.
    fn table(n: u64) -> Table {
        let mut rows = Rows::default();
        for i in 0..n {
            rows.push([Cell::Text(format!("d{i}").into()), Cell::Count(n - i)]);
        }
        Table {
            name: "domains",
            columns: &["domain", "total"],
            rows,
        }
    }

    /// The `domains` sheet of `book`, read back.
    fn read_back(mut book: Workbook) -> Vec<Vec<Data>> {
        let buf = book.save_to_buffer().unwrap();
        let mut back: Xlsx<_> = Xlsx::new(std::io::Cursor::new(buf)).unwrap();
        let range = back.worksheet_range("domains").unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    /// A table of `n` rows written into a sheet of `sheet_rows`, read back.
    fn written(n: u64, sheet_rows: usize) -> Vec<Vec<Data>> {
        let t = table(n);
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("domains").unwrap();
        write_table_within(sheet, &t, &Formats::new(), sheet_rows).unwrap();
        read_back(book)
    }

    #[test]
    fn a_sheet_written_in_low_memory_mode_reads_back_the_same() {
        let t = table(200);
        let read = |low: bool| {
            let mut book = Workbook::new();
            let sheet = if low {
                book.add_worksheet_with_low_memory().unwrap()
            } else {
                book.add_worksheet()
            };
            sheet.set_name("domains").unwrap();
            write_table(sheet, &t, &Formats::new()).unwrap();
            read_back(book)
        };
        let standard = read(false);
        assert_eq!(standard.len(), 201);
        assert_eq!(read(true), standard);
    }

    #[test]
    fn a_table_longer_than_a_sheet_shows_its_first_rows_and_says_how_many_more() {
        // Header and five rows fill a sheet of six: all shown, no note.
        let fits = written(5, 6);
        assert_eq!(fits.len(), 6);
        assert_eq!(fits[5][0], Data::String("d4".into()));
        // Ten rows: the first four, then the note in the last row.
        let cut = written(10, 6);
        assert_eq!(cut.len(), 6);
        assert_eq!(cut[4][0], Data::String("d3".into()));
        assert_eq!(cut[4][1], Data::Float(7.0));
        let note = cut[5][0].to_string();
        assert!(
            note.contains("6 more rows") && note.contains("summary.json"),
            "{note}"
        );
        assert_eq!(rows_shown(SHEET_ROWS - 1, SHEET_ROWS), (SHEET_ROWS - 1, 0));
        assert_eq!(
            rows_shown(5_330_000, SHEET_ROWS),
            (SHEET_ROWS - 2, 5_330_000 - (SHEET_ROWS - 2))
        );
    }
}
