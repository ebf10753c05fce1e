//! The events table: every format written and read back (Parquet with the parquet crate's
//! reader, CSV with the csv crate, and DuckDB where its Python package is installed),
//! hostile log text, the atomic rename, and the bound on rows held in memory.

use mailcodes::events::{
    EventBatch, EventRow, EventsError, EventsFormat, EventsWriter, COLUMNS, ROW_GROUP_ROWS,
    TEXT_CAP,
};
use mailcodes::parse::{Class, Enhanced, Mta};
use mailcodes::time::{naive_seconds, Stamp};
use parquet::basic::{LogicalType, TimeUnit, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::fs::File;
use std::io::Read;
use std::path::Path;

fn at(h: u32, m: u32, s: u32) -> i64 {
    naive_seconds(2026, 11, 28, h, m, s).unwrap()
}

fn enhanced(class: u8, subject: u16, detail: u16) -> Option<Enhanced> {
    Some(Enhanced {
        class,
        subject,
        detail,
    })
}

/// Four rows: a Postfix deferral with an offset, an Exim delivery in local time, a row of
/// hostile text with nothing optional set, and a megabyte of reply text west of UTC.
fn sample(big: &[u8]) -> Vec<EventRow<'_>> {
    vec![
        EventRow {
            time: Some(Stamp::with_offset(at(6, 25, 13), 60)),
            host: b"mx1",
            mta: Mta::Postfix,
            queue_id: b"4F9D1C2",
            recipient: b"Bob@Example.ORG",
            relay: b"mx.example.org[192.0.2.1]:25",
            class: Class::Transient,
            code: Some(450),
            enhanced: enhanced(4, 2, 2),
            diagnosis: "mailbox full",
            text: b"450 4.2.2 Mailbox full",
        },
        EventRow {
            time: Some(Stamp::naive(at(6, 25, 14))),
            host: b"",
            mta: Mta::Exim,
            queue_id: b"1jmKso-0009d4-Uf",
            recipient: b"carol@x.org",
            relay: b"",
            class: Class::Success,
            code: Some(250),
            enhanced: None,
            diagnosis: "",
            text: b"250 OK",
        },
        EventRow {
            time: None,
            host: b"evil\x1b[31mhost",
            mta: Mta::Postfix,
            queue_id: b"Q1",
            recipient: b"=cmd|' /C calc'!A0@Evil.Example",
            relay: b"relay\xff\xfe",
            class: Class::Permanent,
            code: None,
            enhanced: None,
            diagnosis: "=HYPERLINK(\"x\")",
            text: b"\x00\x07 +SUM(1)\r\n550 \xc3\x28 bad",
        },
        EventRow {
            time: Some(Stamp::with_offset(at(0, 30, 0), -300)),
            host: b"mx2",
            mta: Mta::Postfix,
            queue_id: b"",
            recipient: b"dave@y.org",
            relay: b"",
            class: Class::Permanent,
            code: Some(550),
            enhanced: enhanced(5, 1, 1),
            diagnosis: "no such user",
            text: big,
        },
    ]
}

/// What the four sample rows must read back as, column by column; `None` is null.
/// CSV text cells additionally go through `safe_cell` (see [`csv_expected`]).
fn expected(big_capped: &str) -> Vec<[Option<String>; 13]> {
    let s = |v: &str| Some(v.to_string());
    vec![
        [
            s("2026-11-28T05:25:13Z"),
            s("60"),
            s("mx1"),
            s("postfix"),
            s("4F9D1C2"),
            s("Bob@Example.ORG"),
            s("example.org"),
            s("mx.example.org[192.0.2.1]:25"),
            s("4xx"),
            s("450"),
            s("4.2.2"),
            s("mailbox full"),
            s("450 4.2.2 Mailbox full"),
        ],
        [
            s("2026-11-28T06:25:14"),
            None,
            s(""),
            s("exim"),
            s("1jmKso-0009d4-Uf"),
            s("carol@x.org"),
            s("x.org"),
            s(""),
            s("2xx"),
            s("250"),
            None,
            s(""),
            s("250 OK"),
        ],
        [
            None,
            None,
            s("evil [31mhost"),
            s("postfix"),
            s("Q1"),
            s("=cmd|' /C calc'!A0@Evil.Example"),
            s("evil.example"),
            s("relay\u{fffd}\u{fffd}"),
            s("5xx"),
            None,
            None,
            s("=HYPERLINK(\"x\")"),
            s("+SUM(1)  550 \u{fffd}( bad"),
        ],
        [
            s("2026-11-28T05:30:00Z"),
            s("-300"),
            s("mx2"),
            s("postfix"),
            s(""),
            s("dave@y.org"),
            s("y.org"),
            s(""),
            s("5xx"),
            s("550"),
            s("5.1.1"),
            s("no such user"),
            s(big_capped),
        ],
    ]
}

/// The megabyte of reply text: multi-byte characters, so the cap has to find a boundary.
fn big_text() -> (Vec<u8>, String) {
    let big = "550 ünknown ".repeat(90_000).into_bytes();
    assert!(big.len() > 1 << 20);
    let capped = String::from_utf8(big[..TEXT_CAP].to_vec()).unwrap_or_else(|e| {
        String::from_utf8(big[..e.utf8_error().valid_up_to()].to_vec()).unwrap()
    });
    (big, capped)
}

fn write_all(path: &Path, rows: &[EventRow]) -> u64 {
    let mut w = EventsWriter::create(path).unwrap();
    for row in rows {
        w.push(row).unwrap();
    }
    w.finish().unwrap()
}

/// A Parquet cell as the CSV would print it, before `safe_cell`.
fn field_text(field: &Field, utc: bool) -> Option<String> {
    match field {
        Field::Null => None,
        Field::Str(s) => Some(s.clone()),
        Field::Int(i) => Some(i.to_string()),
        Field::TimestampMicros(us) | Field::Long(us) => {
            let secs = us.div_euclid(1_000_000);
            let t = Stamp::naive(secs).to_string();
            Some(if utc { format!("{t}Z") } else { t })
        }
        other => panic!("unexpected field {other:?}"),
    }
}

fn parquet_rows(path: &Path) -> Vec<Vec<Option<String>>> {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            let row = row.unwrap();
            let fields: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
            let utc = !matches!(fields[1], Field::Null);
            fields.iter().map(|f| field_text(f, utc)).collect()
        })
        .collect()
}

#[test]
fn parquet_has_typed_columns_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    let (big, capped) = big_text();
    assert_eq!(write_all(&path, &sample(&big)), 4);

    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, COLUMNS);
    let time = schema.column(0);
    assert_eq!(time.physical_type(), Physical::INT64);
    assert_eq!(
        time.logical_type_ref(),
        Some(&LogicalType::timestamp(false, TimeUnit::MICROS))
    );
    for i in [1, 9] {
        assert_eq!(
            schema.column(i).physical_type(),
            Physical::INT32,
            "{}",
            names[i]
        );
        assert!(schema.column(i).self_type().is_optional());
    }
    for i in [2, 3, 4, 5, 6, 7, 8, 10, 11, 12] {
        let c = schema.column(i);
        assert_eq!(c.physical_type(), Physical::BYTE_ARRAY, "{}", names[i]);
        assert_eq!(
            c.logical_type_ref(),
            Some(&LogicalType::String),
            "{}",
            names[i]
        );
        assert_eq!(c.self_type().is_optional(), i == 10, "{}", names[i]);
    }

    // Filters on time, code and the short texts can skip row groups; long texts carry no
    // statistics.
    let group = reader.metadata().row_group(0);
    for (i, stats) in [
        (0, true),
        (9, true),
        (6, true),
        (8, true),
        (5, false),
        (12, false),
    ] {
        assert_eq!(
            group.column(i).statistics().is_some(),
            stats,
            "{}",
            names[i]
        );
    }

    let want: Vec<Vec<Option<String>>> = expected(&capped).into_iter().map(Vec::from).collect();
    assert_eq!(parquet_rows(&path), want);
    assert!(capped.len() <= TEXT_CAP && capped.len() > TEXT_CAP - 4);
}

/// The expected rows as the CSV writes them: text cells through `safe_cell`, nulls empty.
fn csv_expected(big_capped: &str) -> Vec<Vec<String>> {
    let numeric = [0, 1, 9];
    expected(big_capped)
        .into_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| {
                    let cell = cell.clone().unwrap_or_default();
                    if numeric.contains(&i) {
                        cell
                    } else {
                        mailcodes::report::safe_cell(&cell).into_owned()
                    }
                })
                .collect()
        })
        .collect()
}

fn csv_read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_and_csv_gz_read_back_safe() {
    let dir = tempfile::tempdir().unwrap();
    let (big, capped) = big_text();
    for name in ["events.csv", "events.csv.gz"] {
        let path = dir.path().join(name);
        assert_eq!(write_all(&path, &sample(&big)), 4);
        let raw = std::fs::read(&path).unwrap();
        let bytes = if name.ends_with(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .unwrap();
            out
        } else {
            raw
        };
        assert!(
            bytes.windows(2).filter(|w| w == b"\r\n").count() == 5,
            "{name}: CRLF"
        );
        let (header, rows) = csv_read(&bytes);
        assert_eq!(header, COLUMNS, "{name}");
        assert_eq!(rows, csv_expected(&capped), "{name}");
        // The cells that would be formulas are quoted as text.
        assert_eq!(rows[2][5], "'=cmd|' /C calc'!A0@Evil.Example");
        assert_eq!(rows[2][11], "'=HYPERLINK(\"x\")");
        assert_eq!(rows[2][12], "'+SUM(1)  550 \u{fffd}( bad");
        // A negative offset is a number, not a formula to defuse.
        assert_eq!(rows[3][1], "-300");
    }
}

/// Rows cleaned into batches by workers and pushed in order give the same file, byte for
/// byte, as rows pushed one by one.
#[test]
fn batches_write_the_same_files_as_single_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (big, _) = big_text();
    let mut rows = sample(&big);
    rows.extend((0..50).map(|i| -> EventRow<'_> { numbered(i) }));
    for name in ["e.parquet", "e.csv", "e.csv.gz"] {
        let single = dir.path().join(format!("single-{name}"));
        write_all(&single, &rows);
        let batched = dir.path().join(format!("batched-{name}"));
        let mut w = EventsWriter::create(&batched).unwrap();
        let mut batch = EventBatch::new();
        for chunk in rows.chunks(7) {
            batch.clear();
            chunk.iter().for_each(|r| batch.push(r));
            assert_eq!(batch.len(), chunk.len());
            w.push_batch(&batch).unwrap();
        }
        assert_eq!(w.finish().unwrap(), rows.len() as u64);
        let (a, b) = (
            std::fs::read(&single).unwrap(),
            std::fs::read(&batched).unwrap(),
        );
        assert!(a == b, "{name}: the files differ");
    }
}

#[test]
fn formats_come_from_the_name() {
    for (name, format) in [
        ("a.parquet", Some(EventsFormat::Parquet)),
        ("dir/A.PARQUET", Some(EventsFormat::Parquet)),
        ("a.csv", Some(EventsFormat::Csv)),
        ("a.csv.gz", Some(EventsFormat::CsvGz)),
        ("a.Csv.Gz", Some(EventsFormat::CsvGz)),
        ("a.gz", None),
        ("a.json", None),
        (".parquet", None),
        ("parquet", None),
    ] {
        let got = EventsFormat::from_path(Path::new(name));
        match (got, format) {
            (Ok(g), Some(f)) => assert_eq!(g, f, "{name}"),
            (Err(e), None) => {
                let msg = e.to_string();
                assert!(msg.starts_with(name.trim_end_matches('/')), "{msg}");
                assert!(msg.contains(".parquet, .csv or .csv.gz"), "{msg}");
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn nothing_appears_under_the_name_until_finish() {
    let dir = tempfile::tempdir().unwrap();
    let (big, _) = big_text();
    for name in ["e.parquet", "e.csv", "e.csv.gz"] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"yesterday").unwrap();
        let mut w = EventsWriter::create(&path).unwrap();
        for row in sample(&big) {
            w.push(&row).unwrap();
        }
        assert_eq!(w.rows(), 4);
        assert_eq!(std::fs::read(&path).unwrap(), b"yesterday", "{name}");
        drop(w);
        assert_eq!(std::fs::read(&path).unwrap(), b"yesterday", "{name}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{name}: the temporary file is removed");
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // A missing folder is created, as the reports' is.
    let nested = dir.path().join("2026-11-28").join("e.parquet");
    EventsWriter::create(&nested).unwrap().finish().unwrap();
    assert!(nested.is_file());
    // A file where the folder should be is an error that names the path.
    let plain = dir.path().join("plain");
    std::fs::write(&plain, b"").unwrap();
    let path = plain.join("e.parquet");
    let err = EventsWriter::create(&path).err().unwrap();
    assert!(matches!(err, EventsError::Io { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(msg.contains("cannot write the events table"), "{msg}");
}

#[test]
fn an_empty_table_is_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.parquet");
    assert_eq!(EventsWriter::create(&path).unwrap().finish().unwrap(), 0);
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 0);
    let csv = dir.path().join("e.csv");
    EventsWriter::create(&csv).unwrap().finish().unwrap();
    assert_eq!(
        std::fs::read(&csv).unwrap(),
        format!("{}\r\n", COLUMNS.join(",")).as_bytes()
    );
}

/// Rows of one class each, cycling through the three, with varying codes.
fn numbered(i: usize) -> EventRow<'static> {
    let class = Class::ALL[i % 3];
    let code = [250, 450, 550][i % 3];
    EventRow {
        time: Some(Stamp::naive(at(0, 0, 0) + i as i64)),
        host: b"mx",
        mta: Mta::Postfix,
        queue_id: b"4F9D1C2",
        recipient: b"a@example.org",
        relay: b"mx.example.org[192.0.2.1]:25",
        class,
        code: (!i.is_multiple_of(7)).then_some(code),
        enhanced: None,
        diagnosis: "",
        text: b"250 2.0.0 Ok: queued as 4F9D1C2",
    }
}

#[test]
fn a_million_rows_stay_within_one_row_group_of_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.parquet");
    let mut w = EventsWriter::create(&path).unwrap();
    let mut most = 0;
    for i in 0..1_000_000 {
        w.push(&numbered(i)).unwrap();
        most = most.max(w.buffered_rows());
    }
    assert_eq!(most, ROW_GROUP_ROWS - 1, "a full group is written at once");
    assert_eq!(w.finish().unwrap(), 1_000_000);
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), 1_000_000);
    assert_eq!(
        meta.num_row_groups(),
        1_000_000_usize.div_ceil(ROW_GROUP_ROWS)
    );
    for g in meta.row_groups() {
        assert!(g.num_rows() as usize <= ROW_GROUP_ROWS);
    }
}

#[test]
fn long_texts_end_row_groups_early() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.parquet");
    let text = vec![b'y'; TEXT_CAP];
    let mut w = EventsWriter::create(&path).unwrap();
    for i in 0..80_000 {
        w.push(&EventRow {
            text: &text,
            ..numbered(i)
        })
        .unwrap();
    }
    w.finish().unwrap();
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    let first = reader.metadata().row_group(0).num_rows() as usize;
    // About 1.1 KiB per row: 64 MiB fills after some 60,000 rows.
    assert!((50_000..70_000).contains(&first), "{first}");
    assert_eq!(reader.metadata().file_metadata().num_rows(), 80_000);
}

/// Runs a Python `script` with `file` as its argument when `module` can be imported; `None`
/// (saying so) when it cannot, so the suite passes where the engine is not installed.
fn python_engine(module: &str, script: &str, file: &Path) -> Option<String> {
    let probe = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if !matches!(&probe, Ok(o) if o.status.success()) {
        println!("skipped: the Python package {module} is not installed (pip install {module})");
        return None;
    }
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// A Parquet file of 1000 rows and the class counts an engine must find in it.
fn engine_input(dir: &Path) -> (std::path::PathBuf, [u64; 3]) {
    let path = dir.join("x.parquet");
    let rows: Vec<EventRow> = (0..1000).map(numbered).collect();
    write_all(&path, &rows);
    let mut want = [0u64; 3];
    for r in &rows {
        want[r.class.index()] += 1;
    }
    (path, want)
}

#[test]
fn duckdb_counts_the_classes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, want) = engine_input(dir.path());
    let script = r#"
import duckdb, sys
con = duckdb.connect()
q = f"SELECT class, count(*) FROM '{sys.argv[1]}' GROUP BY class ORDER BY class"
for c, n in con.sql(q).fetchall():
    print(f"{c},{n}")
for name, kind, *_ in con.sql(f"DESCRIBE SELECT time, code FROM '{sys.argv[1]}'").fetchall():
    print(f"{name}:{kind}")
"#;
    let Some(got) = python_engine("duckdb", script, &path) else {
        return;
    };
    let expect = format!(
        "2xx,{}\n4xx,{}\n5xx,{}\ntime:TIMESTAMP\ncode:INTEGER\n",
        want[0], want[1], want[2]
    );
    assert_eq!(got, expect);
}

/// ClickHouse, in process through chDB, reads the file with `file()` and counts the classes.
#[test]
fn clickhouse_counts_the_classes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, want) = engine_input(dir.path());
    let script = r#"
import chdb, sys
f = f"file('{sys.argv[1]}', Parquet)"
print(chdb.query(f"SELECT class, count() FROM {f} GROUP BY class ORDER BY class", "TSV"), end="")
for line in str(chdb.query(f"DESCRIBE {f}", "TSV")).splitlines():
    name, kind = line.split("\t")[:2]
    if name in ("time", "code"):
        print(f"{name}\t{kind}")
"#;
    let Some(got) = python_engine("chdb", script, &path) else {
        return;
    };
    let expect = format!(
        "2xx\t{}\n4xx\t{}\n5xx\t{}\ntime\tNullable(DateTime64(6, \\'UTC\\'))\ncode\tNullable(Int32)\n",
        want[0], want[1], want[2]
    );
    assert_eq!(got, expect);
}
