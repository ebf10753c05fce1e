//! `scan --journal`: the output of `journalctl -o short-iso-precise`, the window handed to it,
//! errors, and the cursor kept next to `--state`.
//!
//! Two ways of standing in for a mail server's journal:
//! - always: a stand-in `journalctl` script first on `PATH` that records its arguments and
//!   prints the real Postfix sample (`fixtures/sample/postfix-mail.log`) stamped the way
//!   journalctl stamps it (`2021-01-28T06:33:59.000000+0000 mail postfix/smtp[1]: …`);
//! - where `systemd-journal-remote` and `journalctl` are installed: a real journal file made
//!   from the same lines (some under a unit that is not a mail server's), read by the real
//!   journalctl through a wrapper that adds `--file=`. Skipped with a message elsewhere.

use crate::scan_cli::{fixture, mailcodes};
use std::path::{Path, PathBuf};
use std::process::Output;

/// 2021-01-28T00:00:00Z: the day of the sample.
const DAY: i64 = 1_611_792_000;

/// The sample's lines as (seconds since the epoch, the rest after the time), in order.
fn sample() -> Vec<(i64, String)> {
    let text = std::fs::read_to_string(fixture("sample/postfix-mail.log")).unwrap();
    text.lines()
        .map(|line| {
            // `Jan 28 06:33:59 mail postfix/…`: every line of the sample is from January 28.
            assert_eq!(&line[..7], "Jan 28 ", "{line}");
            let hms: Vec<i64> = line[7..15].split(':').map(|n| n.parse().unwrap()).collect();
            (
                DAY + hms[0] * 3600 + hms[1] * 60 + hms[2],
                line[16..].to_string(),
            )
        })
        .collect()
}

/// `2021-01-28T06:33:59.000000+0000`, as `journalctl -o short-iso-precise` prints in UTC.
fn iso_precise(secs: i64) -> String {
    let s = secs - DAY;
    format!(
        "2021-01-28T{:02}:{:02}:{:02}.000000+0000",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// A folder with a stand-in `journalctl` that writes its arguments to `args`, appends a line
/// to the `--cursor-file` it is given, prints `output` and exits with `$STANDIN_STATUS`.
fn stand_in(output: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "#!/bin/sh\n\
         printf '%s\\n' \"$@\" > '{d}/args'\n\
         for a in \"$@\"; do case \"$a\" in --cursor-file=*) echo moved >> \"${{a#--cursor-file=}}\";; esac; done\n\
         cat '{d}/output'\n\
         exit \"${{STANDIN_STATUS:-0}}\"\n",
        d = dir.path().display()
    );
    std::fs::write(dir.path().join("output"), output).unwrap();
    let path = dir.path().join("journalctl");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `PATH` with `dir` first.
fn path_with(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

fn scan_journal(bin_dir: &Path, args: &[&str], status: &str) -> Output {
    mailcodes()
        .env("PATH", path_with(bin_dir))
        .env("TZ", "UTC")
        .env("STANDIN_STATUS", status)
        .args(["scan", "--journal"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The summary's outcomes line.
fn outcomes(summary: &str) -> &str {
    summary
        .lines()
        .find(|l| l.trim_start().starts_with("outcomes"))
        .unwrap_or_else(|| panic!("no outcomes line in {summary}"))
        .trim()
}

fn journal_text() -> String {
    sample()
        .iter()
        .map(|(t, rest)| format!("{} {rest}\n", iso_precise(*t)))
        .collect()
}

#[test]
fn journal_output_counts_as_the_same_log_as_a_file() {
    let bin = stand_in(&journal_text());
    let out = scan_journal(bin.path(), &[], "0");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary = stdout(&out);
    assert!(
        summary.starts_with("mailcodes summary: journal\n"),
        "{summary}"
    );
    assert!(
        summary.contains("events    120 (Postfix 120, Exim 0)"),
        "{summary}"
    );
    assert_eq!(
        outcomes(&summary),
        "outcomes  delivered 118, deferred 0, bounced 1, rejected 1"
    );
    assert!(summary.contains("2252 read, 2132 skipped"), "{summary}");
    // The times keep journalctl's offset.
    assert!(
        summary.contains("period    2021-01-28T06:40:37+00:00 .. 2021-01-28T16:54:27+00:00"),
        "{summary}"
    );
    let args = std::fs::read_to_string(bin.path().join("args")).unwrap();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(
        args,
        [
            "--output=short-iso-precise",
            "--no-pager",
            "--unit=postfix.service",
            "--unit=postfix@*.service",
            "--unit=exim4.service",
            "--unit=exim.service",
        ]
    );
}

#[test]
fn window_is_handed_to_journalctl_and_still_applied() {
    let bin = stand_in(&journal_text());
    let table: [(&[&str], &[&str], &str); 3] = [
        (
            &["-d", "2021-01-28"],
            &["--since=@1611792000", "--until=@1611878400"],
            "delivered 118, deferred 0, bounced 1, rejected 1",
        ),
        // The stand-in ignores the window, so what mailcodes leaves out is its own doing.
        (
            &["--since", "2021-01-28T12:00:00Z"],
            &["--since=@1611835200"],
            "delivered 78, deferred 0, bounced 1, rejected 0",
        ),
        (
            &["--until", "2021-01-28"],
            &["--until=@1611792000"],
            "delivered 0, deferred 0, bounced 0, rejected 0",
        ),
    ];
    for (extra, passed, want) in table {
        let out = scan_journal(bin.path(), extra, "0");
        assert_eq!(out.status.code(), Some(0), "{extra:?}: {out:?}");
        assert_eq!(
            outcomes(&stdout(&out)),
            format!("outcomes  {want}"),
            "{extra:?}"
        );
        let args = std::fs::read_to_string(bin.path().join("args")).unwrap();
        let tail: Vec<&str> = args.lines().skip(6).collect();
        assert_eq!(tail, passed, "{extra:?}");
    }
}

#[test]
fn journalctl_failing_or_missing_is_an_error() {
    let bin = stand_in(&journal_text());
    let out = scan_journal(bin.path(), &[], "1");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("journal: journalctl failed"), "{err}");
    assert_eq!(stdout(&out), "", "no report from a failed journalctl");

    let empty = tempfile::tempdir().unwrap();
    let out = mailcodes()
        .env("PATH", empty.path())
        .args(["scan", "--journal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot run journalctl"), "{err}");
}

#[test]
fn cursor_moves_only_when_the_run_succeeds() {
    let bin = stand_in(&journal_text());
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let state_arg = state.to_str().unwrap();
    let kept = dir.path().join("state.journal");
    let out = scan_journal(bin.path(), &["-q", "--state", state_arg], "0");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let args = std::fs::read_to_string(bin.path().join("args")).unwrap();
    assert!(
        args.lines()
            .any(|a| a == format!("--cursor-file={state_arg}.journal.new")),
        "{args}"
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "moved\n");
    // The next run starts from a copy of the kept cursor.
    let out = scan_journal(bin.path(), &["-q", "--state", state_arg], "0");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "moved\nmoved\n");
    // Reports that cannot be written (the out-dir is a file): the cursor stays.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").unwrap();
    let blocked = blocker.to_str().unwrap();
    let out = scan_journal(bin.path(), &["--state", state_arg, "-o", blocked], "0");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "moved\nmoved\n");
    // journalctl failing: the cursor stays too.
    let out = scan_journal(bin.path(), &["-q", "--state", state_arg], "1");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "moved\nmoved\n");
}

#[test]
fn journal_conflicts_with_paths() {
    let out = mailcodes()
        .args(["scan", "--journal", "/var/log/mail.log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The real `journalctl` and `systemd-journal-remote`, when both are installed.
fn real_tools() -> Option<(PathBuf, PathBuf)> {
    let remote = [
        "/usr/lib/systemd/systemd-journal-remote",
        "/lib/systemd/systemd-journal-remote",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())?;
    let journalctl = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("journalctl"))
        .find(|p| p.exists())?;
    Some((remote, journalctl))
}

/// Journal export format for `lines` (seconds, text after the time); `unit` is the
/// `_SYSTEMD_UNIT` of every entry.
fn export(lines: &[(i64, String)], unit: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (t, rest)) in lines.iter().enumerate() {
        // `mail postfix/smtp[1810]: message`
        let (host, tail) = rest.split_once(' ').unwrap();
        let (tag, message) = tail.split_once(": ").unwrap();
        let (ident, pid) = tag
            .trim_end_matches(']')
            .split_once('[')
            .unwrap_or((tag, "1"));
        out.extend(
            format!(
                "__REALTIME_TIMESTAMP={}\n__MONOTONIC_TIMESTAMP={}\n\
                 _BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME={host}\n\
                 SYSLOG_IDENTIFIER={ident}\n_PID={pid}\n_SYSTEMD_UNIT={unit}\nPRIORITY=6\n\
                 MESSAGE={message}\n\n",
                t * 1_000_000,
                (t - DAY) * 1_000_000 + i as i64,
            )
            .bytes(),
        );
    }
    out
}

/// Appends entries to a journal file with systemd-journal-remote.
fn append_journal(remote: &Path, file: &Path, entries: &[u8]) {
    use std::io::Write;
    let mut child = std::process::Command::new(remote)
        .arg(format!("--output={}", file.display()))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(entries).unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn real_journal_file_read_twice_with_a_cursor() {
    use std::os::unix::fs::PermissionsExt;
    let Some((remote, journalctl)) = real_tools() else {
        eprintln!("skipped: systemd-journal-remote or journalctl is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mail.journal");
    let lines = sample();
    let (first, second) = lines.split_at(1000);
    // Mail lines from another unit are not read.
    append_journal(&remote, &file, &export(&lines[..500], "other.service"));
    let wrapper = dir.path().join("journalctl");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec '{}' --file='{}' \"$@\"\n",
            journalctl.display(),
            file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.path().join("state");
    let run = || {
        let out = scan_journal(dir.path(), &["--state", state.to_str().unwrap()], "0");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        stdout(&out)
    };
    // No entry yet: journalctl (252) fails for a cursor file without a cursor; not an error.
    let night0 = run();
    assert!(night0.contains("events    0 "), "{night0}");
    append_journal(&remote, &file, &export(first, "postfix@-.service"));
    let night1 = run();
    append_journal(&remote, &file, &export(second, "postfix@-.service"));
    let night2 = run();
    let night3 = run();
    // The whole sample has delivered 118, bounced 1, rejected 1; split at line 1000.
    let counts = |s: &str| {
        let line = outcomes(s).to_string();
        let n: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        (n[0], n[1], n[2], n[3])
    };
    let (a, b) = (counts(&night1), counts(&night2));
    assert_eq!((a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3), (118, 0, 1, 1));
    assert!(a.0 > 0 && b.0 > 0, "{night1}\n{night2}");
    assert!(night1.contains("1000 read"), "{night1}");
    assert!(night2.contains("1252 read"), "{night2}");
    // Nothing new: journalctl prints only its "-- No entries --" line.
    assert!(night3.contains("events    0 "), "{night3}");
    eprintln!("real journal file: {}", file.display());
}

/// The parser reads journalctl's `short-iso-precise` stamps (microseconds, `+HHMM` without a
/// colon) with their offset, whatever the zone; the messages are real Postfix lines of the
/// sample.
#[test]
fn short_iso_precise_stamps_parse_with_their_offset() {
    use mailcodes::parse::{parse_line, Context, Line, YearRule};
    let ctx = Context {
        year: YearRule::Fixed(1999),
        ..Context::new(0)
    };
    let delivery = sample()
        .into_iter()
        .find(|(_, rest)| rest.contains("status=sent"))
        .unwrap()
        .1;
    // (stamp, shown, seconds since the epoch)
    let table = [
        (
            "2021-01-28T06:40:37.000000+0000",
            "2021-01-28T06:40:37+00:00",
            1_611_816_037,
        ),
        (
            "2021-01-28T07:40:37.123456+0100",
            "2021-01-28T07:40:37+01:00",
            1_611_816_037,
        ),
        (
            "2021-01-28T04:10:37.999999-0230",
            "2021-01-28T04:10:37-02:30",
            1_611_816_037,
        ),
    ];
    for (stamp, shown, instant) in table {
        let line = format!("{stamp} {delivery}");
        let Line::Event(event, 1) = parse_line(line.as_bytes(), &ctx) else {
            panic!("not an event: {line}")
        };
        let time = event.time.unwrap();
        assert_eq!(time.to_string(), shown, "{line}");
        assert_eq!(time.instant(), instant, "{line}");
        assert_eq!(event.code, Some(250), "{line}");
    }
}
