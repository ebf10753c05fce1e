//! The report formats of one run agree: the workbook (read back with calamine), summary.json,
//! the Prometheus textfile and the CSV files; each format is checked for its own rules.

use crate::csv_rows;
use crate::scan_cli::{fixture, mailcodes, CSVS};
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::Path;

/// Scans a fixture with every report kind into a new folder.
fn all_reports(input: &str, year: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    mailcodes()
        .args([
            "scan",
            "-q",
            "--year",
            year,
            "--report",
            "csv,xlsx,prom",
            "-o",
        ])
        .arg(out.path())
        .arg(fixture(input))
        .assert()
        .success();
    out
}

/// Excel's serial date-time as `YYYY-MM-DDTHH:MM:SS`.
fn serial_to_text(serial: f64) -> String {
    let secs = (serial * 86_400.0).round() as i64 - 2_209_161_600;
    let ts = jiff::Timestamp::from_second(secs).unwrap();
    ts.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A workbook cell as the CSV file writes it, checking its type on the way.
fn as_csv_text(cell: &Data, column: &str) -> String {
    match (column, cell) {
        ("count" | "recipients" | "attempts" | "2xx" | "4xx" | "5xx" | "total", Data::Float(f)) => {
            assert_eq!(f.fract(), 0.0);
            format!("{f}")
        }
        ("share", Data::Float(f)) => format!("{f:.4}"),
        ("hour", Data::DateTime(d)) => serial_to_text(d.as_f64())[..16].to_string(),
        ("first_seen" | "last_seen", Data::DateTime(d)) => serial_to_text(d.as_f64()),
        (_, Data::String(s)) => s.clone(),
        (_, Data::Empty) => String::new(),
        (c, other) => panic!("column {c}: unexpected cell type {other:?}"),
    }
}

#[test]
fn workbook_types_and_values_match_the_csv_files() {
    for (input, year) in [
        ("postfix/lightmeter-mixed.log", "2021"),
        ("persistent/mixed.log", "2026"),
        ("sample/exim-mainlog", "2026"),
    ] {
        let out = all_reports(input, year);
        let mut book: Xlsx<_> = open_workbook(out.path().join("mailcodes.xlsx")).unwrap();
        let names = book.sheet_names();
        assert_eq!(names[0], "Summary");
        for csv in CSVS {
            let sheet = csv.trim_end_matches(".csv");
            assert!(
                names.iter().any(|n| n == sheet),
                "{input}: no sheet {sheet}"
            );
            let range = book.worksheet_range(sheet).unwrap();
            let mut rows = range.rows();
            let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
            let want = csv_rows(&out.path().join(csv));
            let got: Vec<Vec<String>> = rows
                .map(|r| {
                    r.iter()
                        .zip(&header)
                        .filter(|(_, h)| !h.ends_with("_utc_offset"))
                        .map(|(c, h)| as_csv_text(c, h))
                        .collect()
                })
                .collect();
            // Timestamps with an offset keep it in the CSV; the workbook has it apart.
            let want: Vec<Vec<String>> = want
                .into_iter()
                .map(|r| r.into_iter().map(|c| strip_offset(&c)).collect())
                .collect();
            assert_eq!(got, want, "{input}: sheet {sheet}");
        }
    }
}

fn strip_offset(cell: &str) -> String {
    let b = cell.as_bytes();
    let is_stamp = b.len() == 25 && b[10] == b'T' && (b[19] == b'+' || b[19] == b'-');
    if is_stamp {
        cell[..19].to_string()
    } else {
        cell.to_string()
    }
}

#[test]
fn codes_and_recipients_stay_text_in_the_workbook() {
    let out = all_reports("postfix/lightmeter-mixed.log", "2021");
    let mut book: Xlsx<_> = open_workbook(out.path().join("mailcodes.xlsx")).unwrap();
    for sheet in ["codes", "enhanced"] {
        let range = book.worksheet_range(sheet).unwrap();
        for row in range.rows().skip(1) {
            assert!(matches!(row[0], Data::String(_)), "{sheet}: {:?}", row[0]);
        }
    }
}

#[test]
fn json_agrees_with_the_csv_files_and_stdout() {
    let out = all_reports("persistent/mixed.log", "2026");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(doc["schema"], 1);
    for csv in CSVS {
        let table = &doc["tables"][csv.trim_end_matches(".csv")];
        let rows = csv_rows(&out.path().join(csv));
        assert_eq!(table.as_array().unwrap().len(), rows.len(), "{csv}");
        for (obj, row) in table.as_array().unwrap().iter().zip(&rows) {
            let values: Vec<String> = obj
                .as_object()
                .unwrap()
                .values()
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Number(n) if n.is_f64() => {
                        format!("{:.4}", n.as_f64().unwrap())
                    }
                    other => other.to_string(),
                })
                .collect();
            assert_eq!(&values, row, "{csv}");
        }
    }
    let total: u64 = ["2xx", "4xx", "5xx"]
        .iter()
        .map(|c| doc["events"]["by_class"][c].as_u64().unwrap())
        .sum();
    assert_eq!(doc["events"]["total"].as_u64(), Some(total));
    // --json prints the same document on stdout.
    let stdout = mailcodes()
        .args(["scan", "--json", "--year", "2026"])
        .arg(fixture("persistent/mixed.log"))
        .output()
        .unwrap();
    assert!(stdout.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&stdout.stdout).unwrap();
    assert_eq!(printed["tables"], doc["tables"]);
    assert_eq!(printed["events"], doc["events"]);
}

/// Checks the text exposition format strictly: every sample belongs to a family announced
/// by HELP and TYPE just before, names and labels are well formed, values are numbers, and
/// no series appears twice.
fn check_exposition(text: &str) -> usize {
    let name_ok = |n: &str| {
        n.chars().enumerate().all(|(i, c)| {
            c.is_ascii_alphabetic() || c == '_' || c == ':' || (i > 0 && c.is_ascii_digit())
        }) && !n.is_empty()
    };
    let mut family = String::new();
    let mut seen = std::collections::HashSet::new();
    let mut samples = 0;
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.ends_with('\n'), "the textfile must end with a newline");
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            family = rest.split(' ').next().unwrap().to_string();
            assert!(name_ok(&family), "{line}");
            assert_eq!(lines[i + 1], format!("# TYPE {family} gauge"));
            continue;
        }
        if line.starts_with("# TYPE ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("value of {line}"));
        let name = series.split('{').next().unwrap();
        assert_eq!(name, family, "{line} outside its family");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let inner = labels.strip_prefix('{').unwrap().strip_suffix('}').unwrap();
            for pair in inner.split("\",") {
                let (k, v) = pair.split_once("=\"").unwrap();
                assert!(name_ok(k), "{line}");
                assert!(!v.trim_end_matches('"').contains('\n'), "{line}");
            }
        }
        assert!(seen.insert(series.to_string()), "{series} twice");
        samples += 1;
    }
    samples
}

#[test]
fn prometheus_textfile_is_well_formed_and_agrees() {
    let out = all_reports("postfix/lightmeter-mixed.log", "2021");
    let text = std::fs::read_to_string(out.path().join("mailcodes.prom")).unwrap();
    assert!(check_exposition(&text) > 10);
    for row in csv_rows(&out.path().join("classes.csv")) {
        let want = format!("mailcodes_events{{class=\"{}\"}} {}\n", row[0], row[1]);
        assert!(text.contains(&want), "{want}");
    }
    // Written with the set: no temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn report_kinds_choose_the_files() {
    let out = tempfile::tempdir().unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2021", "--report", "prom", "-o"])
        .arg(out.path())
        .arg(fixture("postfix/lightmeter-mixed.log"))
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["mailcodes.prom", "merge.jsonl", "summary.json"]);
    mailcodes()
        .args(["scan", "--report", "pdf", "-"])
        .assert()
        .code(2);
}

#[test]
fn summary_wraps_and_says_what_was_cut() {
    let out = mailcodes()
        .args(["scan", "--year", "2021", "--top", "2"])
        .arg(fixture("postfix/lightmeter-mixed.log"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        // Not a terminal: 80 columns; only a single word longer than that may exceed it.
        assert!(
            line.chars().count() <= 80 || !line.trim().contains(' '),
            "{line}"
        );
    }
    assert!(text.contains("… and 2 more"), "{text}");
    assert!(text.contains("7 without a reply code"), "{text}");
}

/// LibreOffice, when installed, converts the workbook to CSV headless: the codes must come
/// out as codes (not dates) and the counts as numbers, whatever the locale.
#[test]
fn libreoffice_reads_the_workbook_as_typed() {
    let Ok(status) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    if !status.status.success() {
        eprintln!("skipped: soffice --version failed");
        return;
    }
    let out = all_reports("postfix/lightmeter-mixed.log", "2021");
    let conv = tempfile::tempdir().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        conv.path().display()
    );
    let ok = std::process::Command::new("soffice")
        .args([
            &profile,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(conv.path())
        .arg(out.path().join("mailcodes.xlsx"))
        .env("LC_ALL", "de_DE.UTF-8")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let enhanced = find_sheet_csv(conv.path(), "enhanced");
    let text = std::fs::read_to_string(enhanced).unwrap();
    assert!(text.contains("5.1.1,5xx,7,"), "{text}");
}

fn find_sheet_csv(dir: &Path, sheet: &str) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&format!("-{sheet}.csv")))
        .unwrap_or_else(|| panic!("no CSV of sheet {sheet} in {}", dir.display()))
}
