//! `{date}` in `--out-dir`: each event in the folder of its own local date, and `--state`
//! runs adding to what a day's folder holds, so that after any number of runs each folder is
//! what one scan over that day's lines alone writes (every CSV file, summary.json but for
//! the inputs it names, and merge.jsonl, byte for byte) — across midnight, with windows,
//! and after a run that failed half way; damaged and other-key folders are errors that
//! write nothing.

use crate::scan_cli::mailcodes;
use crate::split::{RECIPIENTS, TEMPLATES};
use proptest::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A line from a template of split.rs on 2026-11-`day` at `minute` of the day.
fn line(template: usize, rcpt: usize, day: u32, minute: u32) -> String {
    let t = format!(
        "{:02}:{:02}:{:02}",
        minute / 60 % 24,
        minute % 60,
        minute % 7
    );
    let text = TEMPLATES[template]
        .replace("Nov 28", &format!("Nov {day}"))
        .replace("2026-11-28", &format!("2026-11-{day}"))
        .replace("{t}", &t)
        .replace("{r}", RECIPIENTS[rcpt]);
    format!("{text}\n")
}

/// A log from `(template, recipient, minute since 2026-11-`first` 00:00)`, in time order,
/// as `(day, line)`.
fn log_from(first: u32, lines: &[(usize, usize, u32)]) -> Vec<(u32, String)> {
    let mut lines = lines.to_vec();
    lines.sort_by_key(|l| l.2);
    lines
        .iter()
        .map(|&(tpl, rcpt, m)| {
            let day = first + m / 1440;
            (day, line(tpl, rcpt, day, m % 1440))
        })
        .collect()
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One scan with `--year 2026` and the hash key of `dir`.
fn scan(dir: &Path, args: &[&str], out: &Path, logs: &[&Path]) -> Output {
    mailcodes()
        .env("TZ", "UTC")
        .args(["scan", "-q", "--year", "2026", "--hash-key"])
        .arg(dir.join("key"))
        .args(args)
        .arg("-o")
        .arg(out)
        .args(logs)
        .output()
        .unwrap()
}

/// A `--state` run of `log` into `dir/out/{date}`.
fn state_run(dir: &Path, log: &Path, extra: &[&str]) -> Output {
    let state = dir.join("state");
    let mut args = vec!["--state", state.to_str().unwrap()];
    args.extend_from_slice(extra);
    scan(dir, &args, &dir.join("out/{date}"), &[log])
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

/// The reference: for each day of `log`, one scan over that day's lines alone into
/// `dir/ref/DATE`.
fn one_pass_per_day(dir: &Path, log: &[(u32, String)], extra: &[&str]) -> Vec<PathBuf> {
    let mut days: Vec<u32> = log.iter().map(|(d, _)| *d).collect();
    days.dedup();
    days.iter()
        .map(|day| {
            let path = dir.join(format!("day-{day}.log"));
            let text: String = log
                .iter()
                .filter(|(d, _)| d == day)
                .map(|(_, l)| l.as_str())
                .collect();
            std::fs::write(&path, text).unwrap();
            let out = dir.join(format!("ref/2026-11-{day}"));
            ok(&scan(dir, extra, &out, &[&path]));
            out
        })
        .collect()
}

/// The files of a folder (hidden ones too), with summary.json's `inputs` left out;
/// merge.jsonl as it is (its records are written in a fixed order).
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(e.path()).unwrap();
            if name == "summary.json" {
                let mut doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                doc.as_object_mut().unwrap().remove("inputs");
                bytes = serde_json::to_vec_pretty(&doc).unwrap();
            }
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// The day folders written under `dir/out`, by name.
fn day_folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("2026-"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Every day folder under `dir/out` is its reference in `dir/ref`, file for file, and
/// there is one per reference.
fn assert_days_match(dir: &Path, refs: &[PathBuf]) {
    let want: Vec<String> = refs
        .iter()
        .map(|r| r.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(day_folders(dir), want);
    for r in refs {
        let got = dir.join("out").join(r.file_name().unwrap());
        let (a, b) = (contents(&got), contents(r));
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "{}", got.display());
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            let cut = |b: &[u8]| String::from_utf8_lossy(&b[..b.len().min(1500)]).into_owned();
            assert!(
                x == y,
                "{}/{name} differs:\n{}\n---\n{}",
                got.display(),
                cut(x),
                cut(y)
            );
        }
    }
}

/// Every line of the cron fixture's kind around midnight: deliveries, a full mailbox over
/// hours, a bounce, and lines that are no mail events, from 2026-11-28 20:00 to 11-29 04:00.
fn midnight_log() -> Vec<(u32, String)> {
    let mut lines = Vec::new();
    for (i, minute) in (1200..1680).step_by(20).enumerate() {
        let tpl = [2, 0, 8, 9, 0, 2, 6, 3][i % 8];
        lines.push((tpl, i % RECIPIENTS.len(), minute));
    }
    log_from(28, &lines)
}

/// Writes `part` as the start of `d`'s mail.log and runs the first `--state` run over it;
/// returns the log's path, to append the rest to.
fn first_state_run(d: &Path, part: &[(u32, String)]) -> PathBuf {
    let path = d.join("mail.log");
    append(&path, &text(part));
    ok(&state_run(d, &path, &[]));
    path
}

fn text(log: &[(u32, String)]) -> String {
    log.iter().map(|(_, l)| l.as_str()).collect()
}

#[test]
fn a_state_run_over_midnight_splits_into_two_one_pass_days() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = midnight_log();
    let path = d.join("mail.log");
    // Three runs: the first ends before midnight, the second just after it.
    let cuts = [
        log.iter().position(|(day, _)| *day == 29).unwrap() - 2,
        log.len() / 2 + 3,
        log.len(),
    ];
    let mut from = 0;
    for cut in cuts {
        append(&path, &text(&log[from..cut]));
        ok(&state_run(d, &path, &[]));
        from = cut;
    }
    let refs = one_pass_per_day(d, &log, &[]);
    assert_eq!(refs.len(), 2);
    assert_days_match(d, &refs);
    // Nothing is left behind once the state committed.
    for day in day_folders(d) {
        let hidden: Vec<_> = std::fs::read_dir(d.join("out").join(day))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }
    assert!(!d.join("state.days").exists());
}

#[test]
fn two_state_runs_on_one_day_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log: Vec<(u32, String)> = midnight_log()
        .into_iter()
        .filter(|(day, _)| *day == 28)
        .collect();
    let half = log.len() / 2;
    let path = first_state_run(d, &log[..half]);
    let first = crate::csv_rows(&d.join("out/2026-11-28/classes.csv"));
    append(&path, &text(&log[half..]));
    ok(&state_run(d, &path, &[]));
    // Before, the second run replaced the first: the day's counts were its own.
    let second = crate::csv_rows(&d.join("out/2026-11-28/classes.csv"));
    assert_ne!(first, second);
    assert_days_match(d, &one_pass_per_day(d, &log, &[]));
    // A run that reads nothing new writes no folder and changes none.
    let before = contents(&d.join("out/2026-11-28"));
    ok(&state_run(d, &path, &[]));
    assert_eq!(contents(&d.join("out/2026-11-28")), before);
}

#[test]
fn without_state_each_day_is_replaced_not_added_to() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = midnight_log();
    let path = d.join("mail.log");
    std::fs::write(&path, text(&log)).unwrap();
    for _ in 0..2 {
        ok(&scan(d, &[], &d.join("out/{date}"), &[&path]));
    }
    assert_days_match(d, &one_pass_per_day(d, &log, &[]));
}

/// Events on 2026-11-27, 28 and 29 (every template but the repeat note).
fn three_days() -> Vec<(u32, String)> {
    let lines: Vec<(usize, usize, u32)> = (0..60u32)
        .map(|i| {
            let tpl = [0, 1, 2, 3, 4, 5, 6, 8, 9][i as usize % 9];
            (tpl, i as usize % RECIPIENTS.len(), i * 71)
        })
        .collect();
    log_from(27, &lines)
}

#[test]
fn a_day_window_writes_that_day_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = three_days();
    let path = d.join("mail.log");
    std::fs::write(&path, text(&log)).unwrap();
    ok(&scan(
        d,
        &["-d", "2026-11-28"],
        &d.join("out/{date}"),
        &[&path],
    ));
    let day: Vec<(u32, String)> = log.iter().filter(|(day, _)| *day == 28).cloned().collect();
    assert_days_match(d, &one_pass_per_day(d, &day, &["-d", "2026-11-28"]));
}

#[test]
fn since_with_state_runs_adds_up_per_day() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = three_days();
    let path = d.join("mail.log");
    let since = ["--since", "2026-11-28T12:00:00"];
    for part in log.chunks(17) {
        append(&path, &text(part));
        ok(&state_run(d, &path, &since));
    }
    // The 27th is before the window: no folder. The 28th counts from noon, and says how
    // many of its events it left out, as one scan of its lines does.
    let kept: Vec<(u32, String)> = log.iter().filter(|(day, _)| *day >= 28).cloned().collect();
    assert_days_match(d, &one_pass_per_day(d, &kept, &since));
}

/// A state run whose second day's folder cannot be written: the first day is written (and
/// merged into), the run fails with status 2 and the state stays.
fn failing_run(d: &Path, path: &Path, extra: &[&str]) {
    let blocker = d.join("out/2026-11-29/classes.csv");
    std::fs::create_dir_all(&blocker).unwrap();
    let o = state_run(d, path, extra);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("state left unchanged"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(d.join("out/2026-11-29")).unwrap();
}

#[test]
fn a_failed_run_and_its_rerun_count_each_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = midnight_log();
    let third = log.len() / 3;
    let path = first_state_run(d, &log[..third]);
    append(&path, &text(&log[third..]));
    failing_run(d, &path, &[]);
    assert!(d.join("out/2026-11-28/.mailcodes-premerge.1").exists());
    // Killed at any point after that would leave the same: the rerun reads the same lines
    // and adds them to what the 28th held before the failed run.
    failing_run(d, &path, &[]);
    ok(&state_run(d, &path, &[]));
    assert_days_match(d, &one_pass_per_day(d, &log, &[]));
    assert!(!d.join("state.days").exists());
    assert!(!d.join("out/2026-11-28/.mailcodes-premerge.1").exists());
}

#[test]
fn a_folder_a_failed_run_wrote_and_the_rerun_does_not_read_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = midnight_log();
    let third = log.len() / 3;
    let path = first_state_run(d, &log[..third]);
    let before = contents(&d.join("out/2026-11-28"));
    append(&path, &text(&log[third..]));
    failing_run(d, &path, &[]);
    assert_ne!(contents(&d.join("out/2026-11-28")), before);
    // The rerun leaves out the 28th (--since): what the failed run added to it goes (the
    // folder is written again, its summary.json naming the rerun's window).
    ok(&state_run(d, &path, &["--since", "2026-11-29"]));
    let csv = |c: Vec<(String, Vec<u8>)>| -> Vec<_> {
        c.into_iter().filter(|(n, _)| n != "summary.json").collect()
    };
    assert_eq!(csv(contents(&d.join("out/2026-11-28"))), csv(before));
    assert!(d.join("out/2026-11-29/classes.csv").exists());
}

/// The state and every file under `out`, to show that a refused run changed nothing.
fn snapshot(d: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(p: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        if p.is_dir() {
            for e in std::fs::read_dir(p).unwrap() {
                walk(&e.unwrap().path(), out);
            }
        } else if p.exists() {
            out.push((p.to_path_buf(), std::fs::read(p).unwrap()));
        }
    }
    let mut all = Vec::new();
    walk(&d.join("out"), &mut all);
    walk(&d.join("state"), &mut all);
    walk(&d.join("state.days"), &mut all);
    all.sort();
    all
}

#[test]
fn damaged_and_other_key_folders_are_errors_that_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = midnight_log();
    let half = log.len() / 4;
    let path = first_state_run(d, &log[..half]);
    append(&path, &text(&log[half..]));
    let summary = d.join("out/2026-11-28/merge.jsonl");
    let good = std::fs::read(&summary).unwrap();
    let mut flipped = good.clone();
    let at = flipped.len() - 10;
    flipped[at] ^= 1;
    let key = std::fs::read(d.join("key")).unwrap();
    let cases: [(&str, Option<Vec<u8>>, bool); 4] = [
        ("damaged", Some(flipped), false),
        ("damaged", Some(good[..good.len() / 2].to_vec()), false),
        ("no merge.jsonl", None, false),
        ("hash key", Some(good.clone()), true),
    ];
    for (want, content, other_key) in cases {
        match &content {
            Some(bytes) => std::fs::write(&summary, bytes).unwrap(),
            None => std::fs::remove_file(&summary).unwrap(),
        }
        if other_key {
            std::fs::write(d.join("key"), "o".repeat(64)).unwrap();
        }
        let before = snapshot(d);
        let o = state_run(d, &path, &[]);
        std::fs::write(d.join("key"), &key).unwrap();
        assert_eq!(o.status.code(), Some(2), "{want}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("2026-11-28") && e.contains(want), "{want}: {e}");
        assert!(e.contains("no day folder was written"), "{e}");
        assert_eq!(snapshot(d), before, "{want}: something was written");
    }
    std::fs::write(&summary, &good).unwrap();
    ok(&state_run(d, &path, &[]));
    assert_days_match(d, &one_pass_per_day(d, &log, &[]));
}

/// `log` cut before the lines at `cuts`, without the repeat notes that cannot be compared:
/// one at the start of a day (a scan of that day alone has nothing for it to repeat) or of
/// what a run reads (it repeats a line the run before read, which is never counted, with or
/// without `{date}`).
fn runs_of(log: Vec<(u32, String)>, cuts: &[usize]) -> Vec<Vec<(u32, String)>> {
    let mut runs: Vec<Vec<(u32, String)>> = vec![Vec::new()];
    let mut previous_day = None;
    for (i, (day, l)) in log.into_iter().enumerate() {
        if cuts.contains(&i) {
            runs.push(Vec::new());
        }
        let run = runs.last_mut().unwrap();
        let starts = run.is_empty() || previous_day != Some(day);
        if !(starts && l.contains("last message repeated")) {
            run.push((day, l));
            previous_day = Some(day);
        }
    }
    runs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_split_into_state_runs_gives_one_pass_day_folders(
        lines in prop::collection::vec((0..TEMPLATES.len(), 0..RECIPIENTS.len(), 0u32..3 * 1440), 1..60),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        chunk in 64usize..4000,
    ) {
        // Small chunks read by two threads: a change of day anywhere, in any chunk.
        let chunk = chunk.to_string();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let raw = log_from(28, &lines);
        let at: Vec<usize> = cuts.iter().map(|c| c.index(raw.len())).collect();
        let runs = runs_of(raw, &at);
        let path = d.join("mail.log");
        for run in &runs {
            append(&path, &text(run));
            ok(&state_run(d, &path, &["--chunk-size", &chunk, "-j", "2"]));
        }
        let log: Vec<(u32, String)> = runs.concat();
        let refs = one_pass_per_day(d, &log, &[]);
        assert_days_match(d, &refs);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_split_into_hosts_and_day_folders_merges_to_one_pass(
        lines in prop::collection::vec((0..TEMPLATES.len(), 0..RECIPIENTS.len(), 0u32..3 * 1440, 0..2usize), 1..50),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    ) {
        // `last message repeated` repeats the line before it on the same host: a split by
        // host changes what it repeats, so it is left out here (as in merge.rs).
        let lines: Vec<_> = lines.into_iter().filter(|l| !TEMPLATES[l.0].contains("repeated")).collect();
        prop_assume!(!lines.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut folders = Vec::new();
        for host in 0..2 {
            let mine: Vec<_> = lines.iter().filter(|l| l.3 == host).map(|l| (l.0, l.1, l.2)).collect();
            let log = log_from(28, &mine);
            let at: Vec<usize> = cuts.iter().map(|c| c.index(log.len() + 1)).collect();
            let (path, state) = (d.join(format!("h{host}.log")), d.join(format!("h{host}.state")));
            std::fs::write(&path, "").unwrap();
            for run in runs_of(log, &at) {
                append(&path, &text(&run));
                let args = ["--state", state.to_str().unwrap()];
                ok(&scan(d, &args, &d.join(format!("h{host}/{{date}}")), &[&path]));
            }
            for e in std::fs::read_dir(d.join(format!("h{host}"))).into_iter().flatten() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    folders.push(p);
                }
            }
        }
        let whole = d.join("whole.log");
        let all: Vec<_> = lines.iter().map(|l| (l.0, l.1, l.2)).collect();
        std::fs::write(&whole, text(&log_from(28, &all))).unwrap();
        ok(&scan(d, &[], &d.join("one"), &[&whole]));
        mailcodes()
            .args(["merge", "-q", "--hash-key"])
            .arg(d.join("key"))
            .args(&folders)
            .arg("-o")
            .arg(d.join("merged"))
            .assert()
            .success();
        for name in crate::scan_cli::CSVS {
            let (a, b) = (std::fs::read(d.join("merged").join(name)), std::fs::read(d.join("one").join(name)));
            prop_assert_eq!(a.unwrap(), b.unwrap(), "{}", name);
        }
    }
}
