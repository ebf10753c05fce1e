//! Per-host counts and the events table from a real scan: hosts.csv from the syslog host
//! field or `--host`, and `--events` writing one row per outcome that reproduces classes.csv
//! (read back with the parquet crate, and with DuckDB where it is installed).

use crate::csv_rows;
use crate::events::python_engine;
use crate::scan_cli::{fixture, mailcodes};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;

fn scan_with_events(dir: &std::path::Path, events: &str) -> std::path::PathBuf {
    let table = dir.join(events);
    mailcodes()
        .args(["scan", "-q", "--year", "2021", "--host", "exim1", "-o"])
        .arg(dir.join("out"))
        .arg("--events")
        .arg(&table)
        .arg(fixture("sample/postfix-mail.log"))
        .arg(fixture("sample/exim-mainlog"))
        .assert()
        .success();
    table
}

fn classes(dir: &std::path::Path) -> Vec<(String, u64)> {
    csv_rows(&dir.join("out/classes.csv"))
        .into_iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect()
}

#[test]
fn hosts_come_from_the_line_or_from_host() {
    let dir = tempfile::tempdir().unwrap();
    scan_with_events(dir.path(), "e.csv");
    let hosts = csv_rows(&dir.path().join("out/hosts.csv"));
    // The Postfix sample names its host (`mail`); Exim's mainlog names none: --host.
    let names: Vec<&str> = hosts.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["exim1", "mail"]);
    let total: u64 = hosts.iter().map(|r| r[4].parse::<u64>().unwrap()).sum();
    let events: u64 = classes(dir.path()).iter().map(|c| c.1).sum();
    assert_eq!(total, events);
}

#[test]
fn the_events_table_reproduces_the_classes() {
    let dir = tempfile::tempdir().unwrap();
    let table = scan_with_events(dir.path(), "events.parquet");
    let reader = SerializedFileReader::new(std::fs::File::open(&table).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let class_col = (0..schema.num_columns())
        .find(|i| schema.column(*i).name() == "class")
        .unwrap();
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        *counts
            .entry(row.get_string(class_col).unwrap().clone())
            .or_default() += 1;
    }
    let want: std::collections::BTreeMap<String, u64> = classes(dir.path()).into_iter().collect();
    let got: std::collections::BTreeMap<String, u64> = want
        .keys()
        .map(|k| (k.clone(), counts.get(k).copied().unwrap_or(0)))
        .collect();
    assert_eq!(got, want);

    let csv = scan_with_events(dir.path(), "events.csv.gz");
    let rows = {
        let f = flate2::read::GzDecoder::new(std::fs::File::open(csv).unwrap());
        csv::Reader::from_reader(f).records().count() as u64
    };
    assert_eq!(rows, want.values().sum::<u64>());

    let script = r#"
import duckdb, sys
for c, n in duckdb.sql(f"SELECT class, count(*) FROM '{sys.argv[1]}' GROUP BY class ORDER BY class").fetchall():
    print(f"{c},{n}")
"#;
    if let Some(out) = python_engine("duckdb", script, &table) {
        let expect: String = want
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| format!("{c},{n}\n"))
            .collect();
        assert_eq!(out, expect);
    }
}

#[test]
fn an_events_file_of_unknown_kind_is_an_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = mailcodes()
        .args(["scan", "-q", "--events"])
        .arg(dir.path().join("events.xml"))
        .arg(fixture("sample/postfix-mail.log"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("events.xml") && err.contains(".parquet"),
        "{err}"
    );
}

/// A killed run leaves its hidden temporary table behind; the next run writing the same
/// table removes it once it is old (a fresh one may belong to a run still writing).
#[test]
fn leftovers_of_killed_events_runs_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join(".events.parquet.AbC123.tmp");
    let fresh = dir.path().join(".events.parquet.XyZ789.tmp");
    std::fs::write(&old, b"half a table").unwrap();
    std::fs::write(&fresh, b"being written").unwrap();
    let touched = std::process::Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(&old)
        .status()
        .unwrap();
    assert!(touched.success());
    mailcodes()
        .args(["scan", "-q", "--year", "2021", "--events"])
        .arg(dir.path().join("events.parquet"))
        .arg(fixture("sample/postfix-mail.log"))
        .assert()
        .success();
    assert!(!old.exists(), "an old leftover stays");
    assert!(fresh.exists(), "a fresh temporary file was removed");
    assert!(dir.path().join("events.parquet").exists());
}
