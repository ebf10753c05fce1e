//! The `scan` command end to end: golden CSV files, errors, bad input, threads.

use assert_cmd::Command;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

pub fn mailcodes() -> Command {
    Command::cargo_bin("mailcodes").unwrap()
}

/// The CSV files of every scan, listed once.
pub const CSVS: [&str; 9] = [
    "classes.csv",
    "codes.csv",
    "enhanced.csv",
    "domains.csv",
    "hourly.csv",
    "persistent_450.csv",
    "diagnoses.csv",
    "providers.csv",
    "hosts.csv",
];

/// One golden case: `fixtures/expected/NAME/case` names the input (relative to
/// `fixtures/`) and the arguments; every other file in the folder is an expected output.
struct Case {
    name: String,
    dir: PathBuf,
    input: String,
    args: Vec<String>,
}

fn golden_cases() -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(fixture("expected"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("case").is_file())
        .map(|e| {
            let dir = e.path();
            let spec = std::fs::read_to_string(dir.join("case")).unwrap();
            let field = |key: &str| {
                spec.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(str::trim)
                    .unwrap_or_else(|| panic!("{}: no '{key}' line", dir.display()))
                    .to_string()
            };
            Case {
                name: e.file_name().to_string_lossy().into_owned(),
                input: field("input:"),
                args: field("args:")
                    .split_whitespace()
                    .map(String::from)
                    .collect(),
                dir,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// Output that differs from run to run by design, made comparable: the run's end time in
/// mailcodes.prom and the version in summary.json.
fn normalise(file: &str, bytes: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    let text: Vec<String> = text
        .split_inclusive('\n')
        .map(|l| match (file, l) {
            ("mailcodes.prom", l) if l.starts_with("mailcodes_last_run_timestamp_seconds ") => {
                "mailcodes_last_run_timestamp_seconds (the run's end)\n".to_string()
            }
            ("summary.json", l) if l.trim_start().starts_with("\"generator\":") => {
                "  \"generator\": \"mailcodes (version)\",\n".to_string()
            }
            _ => l.to_string(),
        })
        .collect();
    text.concat().into_bytes()
}

/// Runs `scan` over each case's input with its arguments and compares every expected file
/// of its folder. `MAILCODES_BLESS=1` rewrites the expected files (and adds the CSVs).
#[test]
fn golden_cases_match() {
    let cases = golden_cases();
    assert!(cases.len() >= 4, "golden cases not found");
    for case in cases {
        let out = tempfile::tempdir().unwrap();
        mailcodes()
            .arg("scan")
            .args(&case.args)
            .arg("-q")
            .arg("-o")
            .arg(out.path())
            .arg(&case.input) // relative, so summary.json reads the same in every clone
            .current_dir(fixture(""))
            .assert()
            .success()
            .stdout(""); // -q: no summary
        let bless = std::env::var_os("MAILCODES_BLESS").is_some();
        let mut names: Vec<String> = std::fs::read_dir(&case.dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "case")
            .collect();
        if bless {
            names.extend(CSVS.iter().map(|s| s.to_string()));
            names.sort();
            names.dedup();
        }
        assert!(!names.is_empty(), "{}: no expected files", case.name);
        for file in names {
            let got = std::fs::read(out.path().join(&file))
                .unwrap_or_else(|e| panic!("{}/{file} not written: {e}", case.name));
            let got = normalise(&file, got);
            let path = case.dir.join(&file);
            if bless {
                std::fs::write(&path, &got).unwrap();
            }
            let want = std::fs::read(&path).unwrap();
            assert!(
                got == want,
                "{}/{file} differs (MAILCODES_BLESS=1 rewrites):\n--- got\n{}\n--- want\n{}",
                case.name,
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            );
        }
    }
}

/// The text summary of `mailcodes scan --year YEAR` on a fixture, which must succeed.
fn summary(year: &str, rel: &str) -> String {
    let out = mailcodes()
        .args(["scan", "--year", year])
        .arg(fixture(rel))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// pflogsumm 1.1.5 (Debian) run on fixtures/postfix/lightmeter-mixed.log reports
/// delivered 33, deferred 1, bounced 8, rejected 7 (see README, "Agreement with pflogsumm").
#[test]
fn counts_agree_with_pflogsumm() {
    let text = summary("2021", "postfix/lightmeter-mixed.log");
    assert!(
        text.contains("outcomes  delivered 33, deferred 1, bounced 8, rejected 7"),
        "{text}"
    );
    let text = summary("2021", "sample/postfix-mail.log");
    assert!(
        text.contains("outcomes  delivered 118, deferred 0, bounced 1, rejected 1"),
        "{text}"
    );
}

#[test]
fn threads_chunking_and_reading_mode_do_not_change_results() {
    // Settled copies of the fixtures (a fresh clone's files are minutes old, so they would
    // be read as live logs): mapped whole (no --chunk-size), mapped chunk by chunk, or read.
    let logs = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    let files: Vec<PathBuf> = [
        "persistent/mixed.log",
        "sample/exim-mainlog",
        "postfix/lightmeter-mixed.log",
    ]
    .iter()
    .enumerate()
    .map(|(i, name)| {
        let path = logs.path().join(format!("{i}.log"));
        std::fs::copy(fixture(name), &path).unwrap();
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(old).unwrap();
        path
    })
    .collect();
    let runs: [(&str, Option<&str>, bool); 6] = [
        ("1", Some("1000000"), false),
        ("2", None, false),
        ("1", None, false),
        ("2", Some("700"), false),
        ("2", Some("900"), true),
        ("1", Some("333"), true),
    ];
    let dirs: Vec<tempfile::TempDir> = runs.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    for (dir, (threads, chunk, no_mmap)) in dirs.iter().zip(runs) {
        let mut cmd = mailcodes();
        cmd.args(["scan", "-q", "--year", "2026", "-j", threads, "-o"])
            .arg(dir.path());
        if let Some(chunk) = chunk {
            cmd.args(["--chunk-size", chunk]);
        }
        if no_mmap {
            cmd.arg("--no-mmap");
        }
        cmd.args(&files).assert().success();
    }
    for csv in CSVS {
        let first = std::fs::read(dirs[0].path().join(csv)).unwrap();
        for (dir, run) in dirs.iter().zip(runs).skip(1) {
            let other = std::fs::read(dir.path().join(csv)).unwrap();
            assert_eq!(
                first, other,
                "{csv} differs for --threads/--chunk-size/--no-mmap {run:?}"
            );
        }
    }
}

#[test]
fn missing_file_is_reported_and_others_still_scanned() {
    let out = mailcodes()
        .args(["scan", "--year", "2021", "/nonexistent/mail.log"])
        .arg(fixture("sample/postfix-mail.log"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/mail.log"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line per error: {err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("delivered 118"));
}

#[test]
fn no_readable_input_writes_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = mailcodes()
        .args(["scan", "-o"])
        .arg(dir.path().join("out"))
        .arg("/nonexistent/mail.log")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "no summary when nothing could be read"
    );
    assert!(
        !dir.path().join("out").exists(),
        "no all-zero CSV files either"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/mail.log: No such file"));
}

#[test]
fn gzip_is_detected_by_content_and_truncation_is_an_error() {
    let plain = std::fs::read(fixture("sample/postfix-mail.log")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&plain).unwrap();
    let gz = gz.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("mail.log.2"); // no .gz suffix on purpose
    std::fs::write(&whole, &gz).unwrap();
    let out = mailcodes()
        .args(["scan", "--year", "2021"])
        .arg(&whole)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("delivered 118"));

    let cut = dir.path().join("mail.log.3.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let out = mailcodes()
        .args(["scan", "--year", "2021", "-o"])
        .arg(dir.path().join("out"))
        .arg(&cut)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mail.log.3.gz") && err.contains("line") && err.contains("gzip"),
        "{err}"
    );
    // The part before the damage is still reported, and the CSVs are whole files.
    let classes = std::fs::read_to_string(dir.path().join("out/classes.csv")).unwrap();
    assert_eq!(classes.lines().count(), 4);
}

#[test]
fn random_bytes_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut data = Vec::new();
    for _ in 0..200_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        data.push((seed >> 24) as u8);
    }
    // Sprinkle fragments of real lines in the noise.
    let real = std::fs::read(fixture("sample/postfix-mail.log")).unwrap();
    for i in 0..50 {
        let at = (i * 7919) % (real.len() - 300);
        let pos = (i * 3989) % data.len();
        data.splice(pos..pos, real[at..at + 300].iter().copied());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.log");
    std::fs::write(&path, &data).unwrap();
    for threads in ["1", "2"] {
        let out = mailcodes()
            .args(["scan", "-j", threads, "--chunk-size", "4096"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("skipped (not mail events)"));
    }
}

#[test]
fn empty_input_and_huge_lines() {
    mailcodes()
        .args(["scan", "-"])
        .write_stdin("")
        .assert()
        .success();
    let mut data = b"Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<a@b.org>, relay=x, dsn=2.0.0, status=sent (250 ok)\n".to_vec();
    data.extend(std::iter::repeat_n(b'x', 3 << 20));
    data.extend(b"\nNov 28 06:25:14 mx postfix/smtp[2]: A2: to=<a@b.org>, relay=x, dsn=2.0.0, status=sent (250 ok)\n");
    // Whether the long line fits in one chunk or not, it is skipped and counted the same way.
    for chunk in ["65536", "8388608"] {
        let out = mailcodes()
            .args(["scan", "--year", "2026", "--chunk-size", chunk, "-"])
            .write_stdin(data.clone())
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("3 read, 1 skipped (not mail events), 1 over-long"),
            "{text}"
        );
        assert!(text.contains("events    2"), "{text}");
    }
}

/// A file whose one line is longer than what mailcodes maps at once is read instead, with the
/// same results and without the line in memory.
#[test]
fn a_line_longer_than_a_mapped_chunk_is_read_not_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
        f.write_all(b"Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<a@b.org>, relay=x, dsn=2.0.0, status=sent (250 ok)\n").unwrap();
        let block = vec![b'x'; 1 << 20];
        for _ in 0..80 {
            f.write_all(&block).unwrap(); // 80 MiB without a newline: past MAX_MAPPED (64 MiB)
        }
        f.write_all(b"\nNov 28 06:25:14 mx postfix/smtp[2]: A2: to=<c@d.org>, relay=x, dsn=5.1.1, status=bounced (550 5.1.1 no)\n").unwrap();
    }
    let mut reports = Vec::new();
    for extra in [&[][..], &["--no-mmap"][..]] {
        let out_dir = dir.path().join(format!("out{}", reports.len()));
        let out = mailcodes()
            .args(["scan", "--year", "2026", "-o"])
            .arg(&out_dir)
            .args(extra)
            .arg(&log)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            text.contains("3 read, 1 skipped (not mail events), 1 over-long"),
            "{text}"
        );
        assert!(text.contains("events    2"), "{text}");
        reports.push(std::fs::read(out_dir.join("codes.csv")).unwrap());
    }
    assert_eq!(reports[0], reports[1]);
    // Where GNU time is there, check that the line was not held in memory (mapped whole, the
    // process would be over 80 MB resident).
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let out = std::process::Command::new(time)
            .args(["-f", "%M"])
            .arg(assert_cmd::cargo::cargo_bin("mailcodes"))
            .args(["scan", "-q", "--year", "2026"])
            .arg(&log)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Another `time` (BusyBox) may print something else: then there is nothing to check.
        if let Some(Ok(kb)) = stderr.trim().lines().last().map(str::parse::<u64>) {
            assert!(kb < 60_000, "peak resident {kb} KB");
        }
    }
}

#[test]
fn spreadsheet_injection_is_neutralised() {
    let log = "Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<=HYPERLINK(\"http://evil\")@x.org>, relay=x, dsn=4.2.2, status=deferred (host x said: 450 4.2.2 =cmd|' /C calc'!A0 full)\n\
Nov 28 08:25:13 mx postfix/smtp[2]: A1: to=<=HYPERLINK(\"http://evil\")@x.org>, relay=x, dsn=4.2.2, status=deferred (host x said: 450 4.2.2 =cmd|' /C calc'!A0 full)\n\
Nov 28 09:25:13 mx postfix/smtp[2]: A1: to=<=HYPERLINK(\"http://evil\")@x.org>, relay=x, dsn=4.2.2, status=deferred (host x said: 450 4.2.2 @SUM(1+1)\tfull)\n\
Nov 28 09:25:14 mx postfix/smtp[2]: A1: to=<a@-evil.org>, relay=x, dsn=4.2.2, status=sent (250 ok)\n";
    let dir = tempfile::tempdir().unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(log)
        .assert()
        .success();
    let p = std::fs::read_to_string(dir.path().join("persistent_450.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(p.as_bytes());
    let row = rdr.records().next().unwrap().unwrap();
    assert!(row[0].starts_with("'="), "{p}");
    assert_eq!(&row[5], "450 4.2.2 @SUM(1+1) full");
    let d = std::fs::read_to_string(dir.path().join("domains.csv")).unwrap();
    assert!(d.contains("'-evil.org"), "{d}");
}

#[test]
fn broken_pipe_is_not_an_error() {
    // The reader of stdout goes away before mailcodes writes its summary.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mailcodes"))
        .args(["scan", "--year", "2021"])
        .arg(fixture("sample/exim-mainlog"))
        .arg(fixture("sample/postfix-mail.log"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

fn persistent_rows(args: &[&str]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(dir.path())
        .args(args)
        .arg(fixture("persistent/mixed.log"))
        .assert()
        .success();
    crate::csv_rows(&dir.path().join("persistent_450.csv"))
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[4].clone()))
        .collect()
}

#[test]
fn persistent_thresholds_change_the_result_as_documented() {
    let default = persistent_rows(&[]);
    let names: Vec<&str> = default.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        names,
        ["Full.Box@Example.net", "gone@example.com", "a@test.ex"]
    );
    assert_eq!(default[0].2, "mailbox_full");
    assert_eq!(default[1].2, "mailbox_disabled");
    assert_eq!(default[2].2, "unavailable");
    // Five attempts needed: the Exim recipient (four) drops out.
    let five: Vec<String> = persistent_rows(&["--min-attempts", "5"])
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(five, ["Full.Box@Example.net", "gone@example.com"]);
    // Nine hours needed: nobody (the longest streak is eight hours).
    assert!(persistent_rows(&["--min-span", "9h"]).is_empty());
    // Two attempts over ten minutes: the recipient with two 450s ten minutes apart is flagged;
    // greylisted, policy (4.7.x) and 452 recipients still are not.
    let loose: Vec<String> = persistent_rows(&["--min-attempts", "2", "--min-span", "10m"])
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        loose,
        [
            "Full.Box@Example.net",
            "gone@example.com",
            "a@test.ex",
            "to@example.com"
        ]
    );
}

#[test]
fn summary_lists_persistent_recipients_recovery_and_advice() {
    let text = summary("2026", "persistent/mixed.log");
    // Long lines are wrapped at 80 columns: compare words.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "persistent 450s: 3 recipient(s) (mailbox_full 1, mailbox_disabled 1, unavailable 1)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Full.Box@Example.net  6 attempts since 2026-11-28T06:00:00  mailbox_full"),
        "{text}"
    );
    assert!(text.contains("recovered: 2 recipient(s)"), "{text}");
    let advice = text
        .split("what to do about the most frequent failures")
        .nth(1)
        .expect("advice section");
    assert!(
        advice.contains("\n  450  ") && advice.contains("\n  452  "),
        "{advice}"
    );
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        &["scan", "--min-span", "soon"][..],
        &["scan", "--threads", "0"],
        &["scan", "--format", "qmail"],
        &["frobnicate"],
    ] {
        let out = mailcodes().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn help_documents_options_examples_and_exit_status() {
    let out = mailcodes().args(["scan", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--out-dir",
        "--since",
        "--state",
        "--min-span",
        "Examples:",
        "Exit status: 0 success; 2",
    ] {
        assert!(text.contains(needle), "scan --help lacks {needle}");
    }
    let out = mailcodes().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("mailcodes "));
}

/// The event lines of fixtures/real/expected.tsv (real lines), with their style.
fn real_event_lines() -> Vec<(String, String)> {
    let table = std::fs::read_to_string(fixture("real/expected.tsv")).unwrap();
    table
        .lines()
        .skip(1)
        .map(|row| row.splitn(8, '\t').collect::<Vec<_>>())
        .filter(|c| c[5] != "none")
        .map(|c| (c[1].to_string(), c[7].to_string()))
        .collect()
}

fn events_in(args: &[&str], input: &str) -> u64 {
    let out = mailcodes()
        .args(["scan", "--year", "2020"])
        .args(args)
        .arg("-")
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("events"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn format_and_syslog_name_select_lines() {
    let lines = real_event_lines();
    let all: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    let exim = lines
        .iter()
        .filter(|(style, _)| style.starts_with("exim"))
        .count() as u64;
    let total = lines.len() as u64;
    assert_eq!(events_in(&[], &all), total);
    assert_eq!(events_in(&["--log-format", "exim"], &all), exim);
    assert_eq!(events_in(&["--log-format", "postfix"], &all), total - exim);
    // Multi-instance Postfix: only the instance named (6 real lines of postfix-239.58.50.50).
    assert_eq!(
        events_in(&["--syslog-name", "postfix-239.58.50.50"], &all),
        6 + exim
    );
    assert_eq!(
        events_in(
            &[
                "--log-format",
                "postfix",
                "--syslog-name",
                "postfix-239.58.50.50"
            ],
            &all
        ),
        6
    );
}

#[test]
fn domains_that_read_the_same_share_a_row() {
    // Two invalid byte sequences both become U+FFFD: one row, counts added.
    let mut log = Vec::new();
    for bad in [&b"\xff"[..], b"\xfe"] {
        log.extend_from_slice(b"Nov 28 06:25:13 mx postfix/smtp[2]: A1: to=<a@x");
        log.extend_from_slice(bad);
        log.extend_from_slice(b".org>, relay=x, delay=1, dsn=2.0.0, status=sent (250 ok)\n");
    }
    let dir = tempfile::tempdir().unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(dir.path())
        .arg("-")
        .write_stdin(log)
        .assert()
        .success();
    let rows = crate::csv_rows(&dir.path().join("domains.csv"));
    assert_eq!(
        rows,
        vec![vec![
            "x\u{fffd}.org".to_string(),
            "2".into(),
            "0".into(),
            "0".into(),
            "2".into()
        ]]
    );
}
