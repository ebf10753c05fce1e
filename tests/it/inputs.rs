//! How `scan` picks and judges its inputs: piped standard input without a path, the hint when
//! the default log is missing, warnings for inputs without mail events and for `-q` without
//! `-o`, and lines outside a date window not counted as "skipped".

use crate::scan_cli::{fixture, mailcodes};
use std::path::Path;
use std::process::Output;

const DEFAULT_LOG: &str = "/var/log/mail.log";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn piped_stdin_is_read_when_no_path_is_given() {
    let log = std::fs::read(fixture("sample/postfix-mail.log")).unwrap();
    let out = mailcodes()
        .args(["scan", "--year", "2021"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary = stdout(&out);
    assert!(
        summary.starts_with("mailcodes summary: <stdin>\n"),
        "{summary}"
    );
    assert!(
        summary.contains("events    120 (Postfix 120, Exim 0)"),
        "{summary}"
    );
}

#[test]
fn without_a_readable_stdin_the_default_log_is_read_and_its_absence_explained() {
    if Path::new(DEFAULT_LOG).exists() {
        eprintln!("skipped: {DEFAULT_LOG} exists on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    // stdin is /dev/null (as under systemd); then a pipe, but --state cannot track a pipe.
    let null_stdin = std::process::Command::new(assert_cmd::cargo::cargo_bin("mailcodes"))
        .arg("scan")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let runs = [
        null_stdin,
        mailcodes()
            .args(["scan", "--state"])
            .arg(&state)
            .write_stdin("Jan 28 06:33:59 mail postfix/smtp[1]: x\n")
            .output()
            .unwrap(),
    ];
    for out in runs {
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{DEFAULT_LOG}: No such file")),
            "{err}"
        );
        assert!(err.contains("try `mailcodes scan --journal`"), "{err}");
        assert!(err.contains("`-` to read standard input"), "{err}");
    }
    // A missing file that was asked for gets no hint.
    let out = mailcodes()
        .args(["scan"])
        .arg(dir.path().join("missing.log"))
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("hint"), "{out:?}");
}

#[test]
fn inputs_without_mail_events_are_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // (bzip2, xz and zstd are read since issue 11; lz4 is not.)
    let files: [(&str, &[u8], &str); 3] = [
        ("notes.txt", b"hello\nworld\n", "holds no Postfix or Exim mail event in 2 line(s); is it a mail log?"),
        ("mail.log.lz4", b"\x04\x22\x4d\x18junk\n", "in 1 line(s); it looks lz4-compressed, which mailcodes does not read: try `lz4cat PATH | mailcodes scan -`"),
        ("empty.log", b"", "is empty"),
    ];
    for (name, content, want) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = mailcodes()
            .args(["scan", "--year", "2021"])
            .arg(&path)
            .arg(fixture("sample/postfix-mail.log"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        let err = stderr(&out);
        let shown = path.display().to_string();
        assert!(
            err.starts_with(&format!("mailcodes: warning: {shown}: ")),
            "{name}: {err}"
        );
        assert!(err.contains(&want.replace("PATH", &shown)), "{name}: {err}");
        // One warning, about that file only.
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
}

#[test]
fn a_mail_log_or_nothing_new_since_the_last_run_gives_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    std::fs::copy(fixture("sample/postfix-mail.log"), &log).unwrap();
    let state = dir.path().join("state");
    for _ in 0..2 {
        let out = mailcodes()
            .args(["scan", "-q", "--year", "2021", "--state"])
            .arg(&state)
            .arg(&log)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_eq!(
            stderr(&out),
            "",
            "second run reads nothing new and says nothing"
        );
    }
}

#[test]
fn quiet_without_out_dir_warns_but_still_runs() {
    let sample = fixture("sample/postfix-mail.log");
    let table: [(&[&str], bool); 3] =
        [(&["-q"], true), (&["-q", "-o", "OUT"], false), (&[], false)];
    for (args, warned) in table {
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("OUT", dir.path().to_str().unwrap()))
            .collect();
        let out = mailcodes()
            .args(["scan", "--year", "2021"])
            .args(&args)
            .arg(&sample)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(
            stderr(&out).contains("-q without -o (or --state) prints and writes nothing"),
            warned,
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn events_outside_the_window_are_not_skipped_lines() {
    let sample = fixture("sample/postfix-mail.log");
    let table: [(&[&str], &str); 3] = [
        (&[], "2252 read, 2132 skipped (not mail events)"),
        (
            &["--since", "2021-01-28T12:00:00"],
            "2252 read, 2132 skipped (not mail events)",
        ),
        (
            &["-d", "2021-01-27"],
            "2252 read, 2132 skipped (not mail events)",
        ),
    ];
    for (args, want) in table {
        let out = mailcodes()
            .env("TZ", "UTC")
            .args(["scan", "--year", "2021"])
            .args(args)
            .arg(&sample)
            .output()
            .unwrap();
        let summary = stdout(&out);
        assert!(summary.contains(want), "{args:?}: {summary}");
    }
    // …and the window line says how many were left out.
    let out = mailcodes()
        .env("TZ", "UTC")
        .args(["scan", "--year", "2021", "-d", "2021-01-27"])
        .arg(&sample)
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("120 event(s) outside it left out"),
        "{out:?}"
    );
}
