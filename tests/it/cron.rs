//! Nightly cron use: date windows, incremental runs with --state across appends, plain and
//! gzip rotation and copytruncate, persistent-450 evidence kept between nights, failed runs
//! that leave the state alone, and concurrent runs on one state.

use crate::scan_cli::mailcodes;
use std::io::Write;
use std::path::Path;

/// One night of Postfix lines on 2026-11-`day`: deliveries, a bounce, greylisting, a
/// recipient that recovers on night 2, and a mailbox that stays full every night.
fn night(day: u32, tag: &str) -> String {
    let mut out = String::new();
    for hour in [1, 5, 9, 13] {
        let t = format!("Nov {day:2} {hour:02}:{:02}:00", day % 60);
        out.push_str(&format!("{t} mx postfix/smtp[11]: {tag}{hour}A: to=<user{hour}@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F9D1C2)\n"));
        out.push_str(&format!("{t} mx postfix/smtp[11]: {tag}{hour}B: to=<full.box@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1, delays=0/0/0.2/0.1, dsn=4.2.2, status=deferred (host mx.example.net[192.0.2.25] said: 450 4.2.2 <full.box@example.net>: Mailbox full (in reply to RCPT TO command))\n"));
        out.push_str(&format!("{t} mx postfix/qmgr[12]: {tag}{hour}A: removed\n"));
    }
    let t = format!("Nov {day:2} 20:00:00");
    out.push_str(&format!("{t} mx postfix/smtp[11]: {tag}C: to=<nobody@example.com>, relay=mx.example.com[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.9] said: 550 5.1.1 <nobody@example.com>: User unknown (in reply to RCPT TO command))\n"));
    if day == 1 {
        for hour in [2, 6, 10] {
            out.push_str(&format!("Nov  1 {hour:02}:00:00 mx postfix/smtp[11]: REC{hour}: to=<later@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1, delays=0/0/0.2/0.1, dsn=4.2.1, status=deferred (host mx.example.net[192.0.2.25] said: 450 4.2.1 <later@example.net>: account disabled (in reply to RCPT TO command))\n"));
        }
    }
    if day == 2 {
        out.push_str("Nov  2 03:00:00 mx postfix/smtp[11]: REC9: to=<later@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1, delays=0/0/0.2/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n");
    }
    out
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn classes(dir: &Path) -> [u64; 3] {
    let mut out = [0; 3];
    for (i, row) in crate::csv_rows(&dir.join("classes.csv")).iter().enumerate() {
        out[i] = row[1].parse().unwrap();
    }
    out
}

/// `(recipient, attempts, first_seen)` of persistent_450.csv.
fn persistent(dir: &Path) -> Vec<(String, String, String)> {
    crate::csv_rows(&dir.join("persistent_450.csv"))
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

fn run_night(state: &Path, log: &Path, out: &Path) {
    let o = mailcodes()
        .args(["scan", "-q", "--year", "2026", "--state"])
        .arg(state)
        .arg("-o")
        .arg(out)
        .arg(log)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "unexpected warning: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn nightly_runs_across_rotations_add_up_to_one_run_over_everything() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    let state = dir.path().join("state");
    let mut everything = String::new();
    let mut nightly = Vec::new();

    // Night 1: a fresh log.
    let a = night(1, "N1");
    append(&log, &a);
    everything += &a;
    nightly.push(dir.path().join("out1"));
    run_night(&state, &log, &nightly[0]);
    assert!(std::fs::read_to_string(&state)
        .unwrap()
        .contains(&hex("later@example.net")));

    // Night 2: more lines, then a plain rotation (mail.log -> mail.log.1), then new lines.
    let b = night(2, "N2a");
    append(&log, &b);
    std::fs::rename(&log, dir.path().join("mail.log.1")).unwrap();
    let c = night(2, "N2b").replace("Nov  2 2", "Nov  2 1"); // other hours, same day
    append(&log, &c);
    everything += &b;
    everything += &c;
    nightly.push(dir.path().join("out2"));
    run_night(&state, &log, &nightly[1]);
    // The recipient that got a 2xx on night 2 recovered: it is dropped from the state.
    assert!(!std::fs::read_to_string(&state)
        .unwrap()
        .contains(&hex("later@example.net")));

    // Night 3: more lines, then a compressing rotation (mail.log -> mail.log.1.gz).
    let d = night(3, "N3a");
    append(&log, &d);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(&log).unwrap()).unwrap();
    std::fs::write(dir.path().join("mail.log.1.gz"), gz.finish().unwrap()).unwrap();
    std::fs::remove_file(dir.path().join("mail.log.1")).unwrap();
    std::fs::remove_file(&log).unwrap();
    let e = night(3, "N3b").replace("Nov  3 2", "Nov  3 1");
    append(&log, &e);
    everything += &d;
    everything += &e;
    nightly.push(dir.path().join("out3"));
    run_night(&state, &log, &nightly[2]);

    // Night 4: more lines, then copytruncate (copy to mail.log.1, truncate in place).
    let f = night(4, "N4a");
    append(&log, &f);
    std::fs::remove_file(dir.path().join("mail.log.1.gz")).unwrap();
    std::fs::copy(&log, dir.path().join("mail.log.1")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&log)
        .unwrap();
    let g = night(4, "N4b").replace("Nov  4 2", "Nov  4 1");
    append(&log, &g);
    everything += &f;
    everything += &g;
    nightly.push(dir.path().join("out4"));
    run_night(&state, &log, &nightly[3]);

    // A fifth run with nothing new counts nothing.
    nightly.push(dir.path().join("out5"));
    run_night(&state, &log, &nightly[4]);
    assert_eq!(classes(&nightly[4]), [0, 0, 0]);

    // The nightly counts add up to one run over everything, no line twice, none lost.
    let whole_log = dir.path().join("everything.log");
    std::fs::write(&whole_log, &everything).unwrap();
    let whole = dir.path().join("whole");
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(&whole)
        .arg(&whole_log)
        .assert()
        .success();
    let mut sum = [0u64; 3];
    for n in &nightly {
        let c = classes(n);
        for i in 0..3 {
            sum[i] += c[i];
        }
    }
    assert_eq!(sum, classes(&whole));
    assert!(sum[0] > 0 && sum[1] > 0 && sum[2] > 0);

    // The full mailbox keeps its first_seen across nights.
    let first = persistent(&nightly[0]);
    assert_eq!(first[0].0, "full.box@example.net");
    let last = persistent(&nightly[3]);
    assert_eq!(last[0].0, "full.box@example.net");
    assert_eq!(last[0].2, first[0].2, "first_seen survives the nights");
    assert!(last[0].1.parse::<u64>().unwrap() > first[0].1.parse::<u64>().unwrap());
    assert_eq!(persistent(&whole)[0], last[0]);
}

#[test]
fn window_edges_start_in_end_out() {
    let log = "\
2026-11-27T23:59:59+00:00 mx postfix/smtp[1]: A0: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)
2026-11-28T00:00:00+00:00 mx postfix/smtp[1]: A1: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)
Nov 28 12:00:00 mx postfix/smtp[1]: A2: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=5.1.1, status=bounced (550 5.1.1 no)
2026-11-28T23:59:59+00:00 mx postfix/smtp[1]: A3: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (450 4.2.2 full)
2026-11-29T00:00:00+00:00 mx postfix/smtp[1]: A4: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)
";
    let dir = tempfile::tempdir().unwrap();
    let out = mailcodes()
        .env("TZ", "UTC")
        .args([
            "scan",
            "--year",
            "2026",
            "--since",
            "2026-11-28",
            "--until",
            "2026-11-29",
            "-o",
        ])
        .arg(dir.path().join("{date}"))
        .arg("-")
        .write_stdin(log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("window    2026-11-28T00:00:00 .. 2026-11-29T00:00:00"),
        "{text}"
    );
    assert!(text.contains("2 event(s) outside it left out"), "{text}");
    // `{date}` became the window's start date.
    assert_eq!(classes(&dir.path().join("2026-11-28")), [1, 1, 1]);
    // The same with an offset that moves the edges: in UTC+01:00, 23:59:59Z is already the 29th.
    let out = mailcodes()
        .env("TZ", "Etc/GMT-1")
        .args([
            "scan",
            "--year",
            "2026",
            "--since",
            "2026-11-28T00:00:00Z",
            "--until",
            "2026-11-29T00:00:00Z",
            "-",
        ])
        .write_stdin(log)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("events    3 "), "{text}");
}

#[test]
fn a_failed_run_leaves_the_state_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    let state = dir.path().join("state");
    append(&log, &night(1, "F1"));
    run_night(&state, &log, &dir.path().join("out1"));
    let before = std::fs::read(&state).unwrap();
    append(&log, &night(2, "F2"));
    // The reports cannot be written (the output folder is a file): the run fails...
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let out = mailcodes()
        .args(["scan", "-q", "--year", "2026", "--state"])
        .arg(&state)
        .arg("-o")
        .arg(&blocker)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("state left unchanged"));
    // ...and the state is as it was, so the next run redoes the work.
    assert_eq!(std::fs::read(&state).unwrap(), before);
    run_night(&state, &log, &dir.path().join("out2"));
    assert_eq!(classes(&dir.path().join("out2")), [5, 4, 1]); // night 2 holds one recovery 2xx
}

#[test]
fn damaged_state_is_a_clear_error_not_a_full_reread() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    append(&log, &night(1, "D1"));
    let state = dir.path().join("state");
    let run = |extra: &[&str], input: &Path| {
        mailcodes()
            .args(["scan", "-q"])
            .args(extra)
            .arg("--state")
            .arg(&state)
            .arg(input)
            .output()
            .unwrap()
    };
    std::fs::write(&state, "mailcodes-state\t1\ninput\tnonsense\n").unwrap();
    let out = run(&[], &log);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("state") && err.contains("line 2"), "{err}");
    std::fs::write(&state, "mailcodes-state\t7\n").unwrap();
    let out = run(&[], &log);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 7"));
    // A window that ends before the log does would lose events for good.
    let out = run(&["-d", "yesterday"], &log);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--state cannot be combined"));
    // stdin cannot be tracked.
    assert_eq!(run(&[], Path::new("-")).status.code(), Some(2));
}

#[test]
fn concurrent_runs_on_one_state_do_not_count_twice() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    let state = dir.path().join("state");
    for d in 1..=20 {
        append(&log, &night(d, &format!("C{d}")));
    }
    let bin = assert_cmd::cargo::cargo_bin("mailcodes");
    let children: Vec<_> = (0..2)
        .map(|i| {
            std::process::Command::new(&bin)
                .args(["scan", "-q", "--year", "2026", "--state"])
                .arg(&state)
                .arg("-o")
                .arg(dir.path().join(format!("out{i}")))
                .arg(&log)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let a = classes(&dir.path().join("out0"));
    let b = classes(&dir.path().join("out1"));
    let total: u64 = a.iter().chain(&b).sum();
    // 9 events a night, plus three recovering deferrals on night 1 and the 2xx on night 2.
    assert_eq!(
        total,
        20 * 9 + 4,
        "one run read everything, the other nothing: {a:?} {b:?}"
    );
    assert!(a == [0, 0, 0] || b == [0, 0, 0]);
    assert!(std::fs::read_to_string(&state)
        .unwrap()
        .starts_with("mailcodes-state\t2\n"));
}

#[test]
fn windows_over_new_year_with_inferred_years() {
    // Classic syslog has no year: it is inferred from the file's modification time, so the
    // December lines belong to 2026 and the January lines to 2027.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    std::fs::write(
        &log,
        "Dec 31 23:59:59 mx postfix/smtp[1]: A1: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n\
         Jan  1 00:00:00 mx postfix/smtp[1]: A2: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=5.1.1, status=bounced (550 5.1.1 no)\n\
         Jan  1 00:00:01 mx postfix/smtp[1]: A3: to=<a@x.org>, relay=x[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (450 4.2.2 full)\n",
    )
    .unwrap();
    let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_798_804_800); // 2027-01-02T00:00:00Z
    std::fs::File::options()
        .write(true)
        .open(&log)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let run = |args: &[&str]| {
        let out = dir.path().join(args.join("_").replace(['/', ':'], "-"));
        mailcodes()
            .env("TZ", "UTC")
            .args(["scan", "-q", "-o"])
            .arg(&out)
            .args(args)
            .arg(&log)
            .assert()
            .success();
        classes(&out)
    };
    assert_eq!(
        run(&["--since", "2026-12-31", "--until", "2027-01-01"]),
        [1, 0, 0]
    );
    assert_eq!(run(&["-d", "2027-01-01"]), [0, 1, 1]);
    assert_eq!(run(&["--since", "2027-01-01T00:00:01"]), [0, 1, 0]);
}
