//! Integration tests, one binary: parsers over real lines, the CLI over fixtures.

/// The rows of a CSV file (header skipped), as strings.
pub fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

mod cron;
mod days;
mod diagnose;
mod diagnoses_scan;
mod events;
mod explain_cli;
mod faults;
mod fleet;
mod inputs;
mod journal;
mod merge;
mod packaging;
mod parser_real;
mod reports;
mod scan_cli;
mod spelling;
mod split;
