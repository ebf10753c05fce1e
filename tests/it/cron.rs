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

/// How the state's evidence lines hold a recipient: `e`, then the address.
fn evidence_of(s: &str) -> String {
    format!("\ne\t{s}\t")
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
        .contains(&evidence_of("later@example.net")));

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
        .contains(&evidence_of("later@example.net")));

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
        .starts_with("mailcodes-state\t4\ngeneration\t"));
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

// ---------------------------------------------------------------------------------------
// Issue 11: unattended nightly runs. One test per reproduced failure of 0.1.0.

/// `n` delivery lines (one event each) tagged `tag`, on 2026-11-28.
pub fn sent(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| {
            format!(
                "Nov 28 06:{:02}:{:02} mx postfix/smtp[11]: {tag}{i}: to=<u{i}@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n",
                (i / 60) % 60,
                i % 60
            )
        })
        .collect()
}

/// Runs `scan --state STATE -o OUT ARGS…` and returns its output.
pub fn scan_state(state: &Path, out: &Path, args: &[&Path]) -> std::process::Output {
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "--state"])
        .arg(state)
        .arg("-o")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

/// Events in a report folder (the sum of classes.csv).
pub fn events(out: &Path) -> u64 {
    classes(out).iter().sum()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The bytes compressed as `.gz`, `.bz2`, `.xz` or `.zst`.
pub fn compress(ext: &str, bytes: &[u8]) -> Vec<u8> {
    match ext {
        "gz" => gzip(bytes),
        "bz2" => {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        }
        "xz" => {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            e.write_all(bytes).unwrap();
            e.finish().unwrap()
        }
        "zst" => zstd::encode_all(bytes, 3).unwrap(),
        other => panic!("no compressor for {other}"),
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn copytruncate_after_a_run_that_saw_an_empty_log() {
    // Issue 11.1: an empty fingerprint matched anything, so 3 of 13 lines were counted.
    for rotated in ["mail.log.1", "mail.log.1.gz"] {
        let dir = tempfile::tempdir().unwrap();
        let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
        std::fs::write(&log, "").unwrap();
        let o = scan_state(&state, &dir.path().join("o1"), &[&log]);
        assert!(o.status.success(), "{}", stderr(&o));
        append(&log, &sent(10, "A"));
        let copy = std::fs::read(&log).unwrap();
        let copy = if rotated.ends_with(".gz") {
            gzip(&copy)
        } else {
            copy
        };
        std::fs::write(dir.path().join(rotated), copy).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&log)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&log, &sent(3, "B"));
        let o = scan_state(&state, &dir.path().join("o2"), &[&log]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(events(&dir.path().join("o2")), 13, "{rotated}");
    }
}

#[test]
fn listing_the_rotated_file_too_is_refused() {
    // Issue 11.4: `--state st mail.log.1 mail.log` after a rename counted 18 where 8 were new.
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
    let old = dir.path().join("mail.log.1");
    append(&log, &sent(10, "A"));
    assert!(scan_state(&state, &dir.path().join("o1"), &[&log])
        .status
        .success());
    let before = std::fs::read(&state).unwrap();
    append(&log, &sent(5, "B"));
    std::fs::rename(&log, &old).unwrap();
    append(&log, &sent(3, "C"));
    for args in [
        [old.as_path(), log.as_path()],
        [log.as_path(), old.as_path()],
    ] {
        let o = scan_state(&state, &dir.path().join("o2"), &args);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("list only the live log"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read(&state).unwrap(), before);
    }
    let o = scan_state(&state, &dir.path().join("o3"), &[&log]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(events(&dir.path().join("o3")), 8);
}

#[test]
fn bzip2_xz_and_zstd_are_read_as_inputs_and_as_rotated_files() {
    // Issue 11.5: they gave exit 0 and 0 events.
    for ext in ["bz2", "xz", "zst", "gz"] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join(format!("mail.log.3.{ext}"));
        std::fs::write(&input, compress(ext, sent(7, "Z").as_bytes())).unwrap();
        let out = dir.path().join("whole");
        mailcodes()
            .args(["scan", "-q", "--year", "2026", "-o"])
            .arg(&out)
            .arg(&input)
            .assert()
            .success();
        assert_eq!(events(&out), 7, "{ext} as an input");
        // As the rotated file a --state run finds: NAME.1.EXT.
        let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
        append(&log, &sent(4, "A"));
        assert!(scan_state(&state, &dir.path().join("o1"), &[&log])
            .status
            .success());
        append(&log, &sent(6, "B"));
        let old = std::fs::read(&log).unwrap();
        std::fs::write(
            dir.path().join(format!("mail.log.1.{ext}")),
            compress(ext, &old),
        )
        .unwrap();
        std::fs::remove_file(&log).unwrap();
        append(&log, &sent(2, "C"));
        let o = scan_state(&state, &dir.path().join("o2"), &[&log]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        assert_eq!(events(&dir.path().join("o2")), 8, "{ext} rotated");
    }
}

#[test]
fn gzip_padding_and_trailing_garbage_keep_every_line_with_a_warning() {
    // Issue 11.6: exit 2, 0 events, and yesterday's CSV files replaced by zeros.
    for (tail, warning) in [
        (vec![0u8; 4096], "trailing zero bytes ignored"),
        (b"not gzip at all\n".to_vec(), "trailing garbage ignored"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("mail.log.2.gz");
        let mut bytes = gzip(sent(20, "P").as_bytes());
        bytes.extend(&tail);
        std::fs::write(&input, bytes).unwrap();
        let out = dir.path().join("out");
        let o = mailcodes()
            .args(["scan", "-q", "--year", "2026", "-o"])
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(warning), "{}", stderr(&o));
        assert_eq!(events(&out), 20);
    }
}

#[test]
fn a_truncated_gzip_keeps_the_lines_before_the_damage_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let whole = gzip(sent(3000, "T").as_bytes());
    let cut = &whole[..whole.len() * 2 / 3];
    // What a decoder can get out of the cut stream, and its complete lines.
    let mut decoded = Vec::new();
    let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(cut), &mut decoded);
    let complete = decoded.iter().filter(|b| **b == b'\n').count() as u64;
    assert!(complete > 100);
    let input = dir.path().join("mail.log.2.gz");
    std::fs::write(&input, cut).unwrap();
    let out = dir.path().join("out");
    let o = mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("line {}:", complete + 1)),
        "{}",
        stderr(&o)
    );
    assert_eq!(events(&out), complete);
    // A damaged file that yields no line at all: no report of nothing replaces the last one.
    std::fs::write(&input, &whole[..20]).unwrap();
    let o = mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(events(&out), complete, "the good reports stay");
}

#[test]
fn fifos_and_dev_stdin_are_streams() {
    // Issue 11.7: `scan <(zcat x.gz)` and `scan /dev/stdin` failed with "Illegal seek".
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for content in [sent(9, "F").into_bytes(), gzip(sent(9, "G").as_bytes())] {
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, content).unwrap())
        };
        let out = dir.path().join("out");
        let o = mailcodes()
            .args(["scan", "-q", "--year", "2026", "-o"])
            .arg(&out)
            .arg(&fifo)
            .output()
            .unwrap();
        writer.join().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(events(&out), 9);
    }
    let out = dir.path().join("stdin");
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(&out)
        .arg("/dev/stdin")
        .write_stdin(sent(4, "S"))
        .assert()
        .success();
    assert_eq!(events(&out), 4);
}

#[test]
fn a_report_set_is_replaced_whole_or_not_at_all() {
    // Issue 11.8: when one CSV could not be replaced, the others already were.
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("mail.log"), dir.path().join("out"));
    append(&log, &sent(5, "A"));
    let run = || {
        mailcodes()
            .args(["scan", "-q", "--year", "2026", "-o"])
            .arg(&out)
            .arg(&log)
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    let before = std::fs::read(out.join("classes.csv")).unwrap();
    std::fs::remove_file(out.join("hourly.csv")).unwrap();
    std::fs::create_dir(out.join("hourly.csv")).unwrap();
    append(&log, &sent(5, "B"));
    let o = run();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hourly.csv"), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("classes.csv")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_state_cut_short_is_a_clear_error() {
    // Issue 11.9: a state cut back to its first line was accepted and every log re-read.
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
    append(&log, &sent(5, "A"));
    assert!(scan_state(&state, &dir.path().join("o1"), &[&log])
        .status
        .success());
    let text = std::fs::read_to_string(&state).unwrap();
    let first_line = text.split_inclusive('\n').next().unwrap();
    for damaged in [first_line.to_string(), text[..text.len() - 5].to_string()] {
        std::fs::write(&state, &damaged).unwrap();
        let o = scan_state(&state, &dir.path().join("o2"), &[&log]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&state).unwrap(), damaged);
    }
}

#[test]
fn absurd_dates_expire_nothing_and_name_no_folder() {
    // Issue 11.10: one line dated 9999-12-31 expired all kept 450 evidence; a year-0000
    // first event sent `{date}` to 0000-01-01.
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
    append(&log, &night(1, "N1"));
    run_night(&state, &log, &dir.path().join("o1"));
    let full = evidence_of("full.box@example.net");
    assert!(std::fs::read_to_string(&state).unwrap().contains(&full));
    append(&log, "9999-12-31T23:00:00+00:00 mx postfix/smtp[11]: X1: to=<a@example.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n");
    // (Without --year: the years of syslog lines are inferred from the file's time, and
    // full timestamps are checked against it.)
    let o = mailcodes()
        .args(["scan", "--state"])
        .arg(&state)
        .arg(&log)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 event(s) with a bad timestamp"));
    assert!(std::fs::read_to_string(&state).unwrap().contains(&full));

    let zero = dir.path().join("zero.log");
    std::fs::write(&zero, format!("0000-01-01T00:00:00+00:00 mx postfix/smtp[11]: X0: to=<a@example.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n{}", sent(1, "Y"))).unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2026", "-o"])
        .arg(dir.path().join("{date}"))
        .arg(&zero)
        .assert()
        .success();
    assert!(dir.path().join("2026-11-28").is_dir());
    assert!(!dir.path().join("0000-01-01").exists());
}

#[test]
fn a_held_lock_is_reported_and_given_up_on() {
    // Issue 11.11: a run waiting for the lock said nothing, forever.
    let dir = tempfile::tempdir().unwrap();
    let (log, state) = (dir.path().join("mail.log"), dir.path().join("st"));
    append(&log, &sent(2, "L"));
    let lock = std::fs::File::create(dir.path().join("st.lock")).unwrap();
    lock.lock().unwrap();
    (&lock)
        .write_all(b"pid 4242 since 2026-12-06T00:10:00Z\n")
        .unwrap();
    let started = std::time::Instant::now();
    let o = mailcodes()
        .args(["scan", "-q", "--lock-timeout", "4s", "--state"])
        .arg(&state)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("waiting for the run with pid 4242"), "{err}");
    assert!(
        err.contains("gave up waiting for the lock after 4s"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    drop(lock);
    assert!(scan_state(&state, &dir.path().join("o"), &[&log])
        .status
        .success());
}

#[test]
fn temporary_files_of_killed_runs_are_cleaned_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    let (log, state, out) = (
        dir.path().join("mail.log"),
        dir.path().join("st"),
        dir.path().join("out"),
    );
    append(&log, &sent(2, "K"));
    std::fs::create_dir(&out).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 3600);
    for (folder, name, stale) in [
        (dir.path(), ".mailcodes-state.aB3xYz", true),
        (dir.path(), ".mailcodes-state.fresh1", false),
        (out.as_path(), ".codes.csv.Qw12eR.tmp", true),
        (out.as_path(), ".notes.txt.tmp", false),
    ] {
        let f = std::fs::File::create(folder.join(name)).unwrap();
        if stale || name.starts_with(".notes") {
            f.set_modified(old).unwrap();
        }
    }
    assert!(scan_state(&state, &out, &[&log]).status.success());
    assert!(!dir.path().join(".mailcodes-state.aB3xYz").exists());
    assert!(dir.path().join(".mailcodes-state.fresh1").exists());
    assert!(!out.join(".codes.csv.Qw12eR.tmp").exists());
    assert!(out.join(".notes.txt.tmp").exists(), "not ours: left alone");
}

#[test]
fn the_state_folder_is_created_private() {
    // Issue 11.12: `--state /var/lib/mailcodes/state` on a fresh machine failed on the lock.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    append(&log, &sent(2, "S"));
    let state = dir.path().join("var/lib/mailcodes/state");
    let o = scan_state(&state, &dir.path().join("out"), &[&log]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(state.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
    assert!(state.is_file());
}

#[test]
fn out_dir_symlinks_modes_and_umask() {
    // Issue 11.13: a dangling symlink said "File exists"; new files were always 0600, and a
    // file the admin made 0644 was reset.
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mail.log");
    append(&log, &sent(2, "U"));
    let link = dir.path().join("reports");
    std::os::unix::fs::symlink(dir.path().join("gone"), &link).unwrap();
    let o = mailcodes()
        .args(["scan", "-q", "-o"])
        .arg(&link)
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));

    let out = dir.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("mailcodes");
    let run = |umask: &str| {
        let script = format!("umask {umask}; exec \"$0\" scan -q -o \"$1\" \"$2\"");
        let status = std::process::Command::new("sh")
            .args(["-c", &script])
            .arg(&bin)
            .arg(&out)
            .arg(&log)
            .status()
            .unwrap();
        assert!(status.success());
    };
    let mode = |n: &str| std::fs::metadata(out.join(n)).unwrap().permissions().mode() & 0o777;
    run("022");
    assert_eq!(mode("classes.csv"), 0o644);
    run("077");
    assert_eq!(
        mode("classes.csv"),
        0o644,
        "an existing file keeps its mode"
    );
    std::fs::set_permissions(
        out.join("codes.csv"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    run("022");
    assert_eq!(mode("codes.csv"), 0o640);
}

#[test]
fn the_readme_cron_line_works_on_a_fresh_machine() {
    // The cron line of the README, as written, with the machine's folders moved under a
    // temporary root (nothing else changed).
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("10 0 * * * root mailcodes scan --state"))
        .expect("the cron line");
    let root = tempfile::tempdir().unwrap();
    let r = root.path().display().to_string();
    let args: Vec<String> = line
        .split_whitespace()
        .skip_while(|w| *w != "mailcodes")
        .skip(1)
        .map(|w| w.replace("/var/", &format!("{r}/var/")))
        .collect();
    let log = root.path().join("var/log/mail.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    append(&log, &sent(6, "R"));
    for night in 0..2 {
        let o = mailcodes().args(&args).output().unwrap();
        assert!(o.status.success(), "night {night}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
    }
    assert_eq!(events(&root.path().join("var/lib/mailcodes/2026-11-28")), 6);
}

#[test]
fn a_compressed_file_under_state_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let (gz, state) = (dir.path().join("mail.log.2.gz"), dir.path().join("st"));
    std::fs::write(&gz, gzip(sent(12, "G").as_bytes())).unwrap();
    for (night, want) in [(1, 12), (2, 0)] {
        let out = dir.path().join(format!("o{night}"));
        let o = scan_state(&state, &out, &[&gz]);
        assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
        assert_eq!(events(&out), want, "night {night}");
    }
}
