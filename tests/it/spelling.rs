//! Recipients are printed as first seen (the spelling of their earliest deferral) and
//! grouped ignoring case: the same spelling for one pass, for any thread count and chunking,
//! for a sequence of `--state` runs, and for `mailcodes merge` of folders of parts.

use crate::scan_cli::mailcodes;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

/// A mailbox-full deferral of `rcpt` at `time` on Nov 28, its reply naming the recipient
/// as the line spells it.
fn full(time: &str, rcpt: &str) -> String {
    format!(
        "Nov 28 {time} mx postfix/smtp[1]: A1: to=<{rcpt}>, relay=mx[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (host mx[192.0.2.1] said: 450 4.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command))\n"
    )
}

/// A delivery to someone else, so that small chunks hold several lines.
fn sent(time: &str, n: u32) -> String {
    format!(
        "Nov 28 {time} mx postfix/smtp[1]: B{n}: to=<other{n}@example.net>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F9D1C2)\n"
    )
}

/// The log in three parts, appended one after the other. `Bob.Smith@Example.org` comes
/// first, in the log and in time; then `bob.smith@example.org`. Carol's lines are not in
/// time order: `Carol@Example.org` is written first but at 09:00, `carol@example.org` at
/// 07:00 comes later in the log, so `carol@example.org` is the first seen.
fn parts() -> [String; 3] {
    [
        full("06:00:00", "Bob.Smith@Example.org")
            + &sent("06:01:00", 1)
            + &full("09:00:00", "Carol@Example.org")
            + &sent("06:02:00", 2),
        sent("07:00:30", 3)
            + &full("07:30:00", "bob.smith@example.org")
            + &full("07:00:00", "carol@example.org")
            + &sent("07:31:00", 4),
        full("08:30:00", "bob.smith@example.org")
            + &sent("08:31:00", 5)
            + &full("10:00:00", "CAROL@EXAMPLE.ORG"),
    ]
}

const WANT: &str = "recipient,attempts,first_seen,last_seen,reason,last_reply\r\n\
    Bob.Smith@Example.org,3,2026-11-28T06:00:00,2026-11-28T08:30:00,mailbox_full,450 4.2.2 <bob.smith@example.org>: Mailbox full (in reply to RCPT TO command)\r\n\
    carol@example.org,3,2026-11-28T07:00:00,2026-11-28T10:00:00,mailbox_full,450 4.2.2 <CAROL@EXAMPLE.ORG>: Mailbox full (in reply to RCPT TO command)\r\n";

fn scan(out: &Path, logs: &[&Path], extra: &[&str]) {
    mailcodes()
        .args(["scan", "-q", "--year", "2026"])
        .args(extra)
        .arg("-o")
        .arg(out)
        .args(logs)
        .assert()
        .success();
}

fn persistent_csv(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("persistent_450.csv")).unwrap()
}

fn write(path: PathBuf, text: &str) -> PathBuf {
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn one_pass_and_every_thread_count_print_the_first_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = write(d.join("mail.log"), &parts().concat());
    scan(
        &d.join("one"),
        &[&log],
        &["-j", "1", "--report", "csv,xlsx"],
    );
    assert_eq!(persistent_csv(&d.join("one")), WANT);
    // Chunks of a line or two, scanned by two threads and merged in whatever order.
    for (i, chunk) in ["200", "300", "700"].iter().enumerate() {
        let out = d.join(format!("j2-{i}"));
        scan(&out, &[&log], &["-j", "2", "--chunk-size", chunk]);
        assert_eq!(persistent_csv(&out), WANT, "--chunk-size {chunk}");
    }
    // The other reports print the same spellings.
    let json = std::fs::read_to_string(d.join("one/summary.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = json["tables"]["persistent_450"].as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bob.Smith@Example.org", "carol@example.org"]);
    let mut book: Xlsx<_> = open_workbook(d.join("one/mailcodes.xlsx")).unwrap();
    let sheet = book.worksheet_range("persistent_450").unwrap();
    let cells: Vec<&Data> = sheet.rows().skip(1).map(|r| &r[0]).collect();
    assert_eq!(
        cells,
        [
            &Data::String("Bob.Smith@Example.org".into()),
            &Data::String("carol@example.org".into())
        ]
    );
    // domains.csv still counts the domain once, in lower case.
    let domains = std::fs::read_to_string(d.join("one/domains.csv")).unwrap();
    assert!(domains.contains("\r\nexample.org,0,6,0,6\r\n"), "{domains}");
}

#[test]
fn state_runs_and_merges_of_parts_print_the_one_pass_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = d.join("mail.log");
    let state = d.join("state");
    let state_arg = ["--state", state.to_str().unwrap()];
    let mut text = String::new();
    for (i, part) in parts().iter().enumerate() {
        text.push_str(part);
        std::fs::write(&log, &text).unwrap();
        scan(&d.join(format!("run{i}")), &[&log], &state_arg);
        // Each part alone, for the merges below.
        let alone = write(d.join(format!("part{i}.log")), part);
        scan(&d.join(format!("part{i}")), &[&alone], &[]);
    }
    // The last run prints the evidence carried from the runs before it.
    assert_eq!(persistent_csv(&d.join("run2")), WANT);
    let kept = std::fs::read(&state).unwrap();
    assert!(
        kept.windows(3).any(|w| w == b"\ne\t"),
        "the state keeps open evidence"
    );
    // merge.jsonl of the parts (and of the runs, which hold only the lines each read), in
    // either order, and nested.
    let merge = |dirs: &[&str], out: &str| {
        mailcodes()
            .args(["merge", "-q"])
            .args(dirs.iter().map(|n| d.join(n)))
            .arg("-o")
            .arg(d.join(out))
            .assert()
            .success();
        persistent_csv(&d.join(out))
    };
    assert_eq!(merge(&["part0", "part1", "part2"], "m012"), WANT);
    assert_eq!(merge(&["part2", "part1", "part0"], "m210"), WANT);
    merge(&["part2", "part0"], "m20");
    assert_eq!(merge(&["m20", "part1"], "nested"), WANT);
    assert_eq!(merge(&["run2", "run0", "run1"], "runs"), WANT);
}

#[test]
fn old_lower_case_states_still_load() {
    // A state written before spellings were kept: its evidence in lower case, in hex.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = d.join("mail.log");
    let state = d.join("state");
    let state_arg = ["--state", state.to_str().unwrap()];
    let [first, second, third] = parts();
    std::fs::write(&log, &first).unwrap();
    scan(&d.join("run0"), &[&log], &state_arg);
    let lowered = lower_evidence(&std::fs::read_to_string(&state).unwrap());
    std::fs::write(&state, lowered).unwrap();
    std::fs::write(&log, first + &second + &third).unwrap();
    scan(&d.join("run1"), &[&log], &state_arg);
    let got = persistent_csv(&d.join("run1"));
    assert!(got.contains("\r\nbob.smith@example.org,3,"), "{got}");
}

/// The state's text with the recipients of its evidence lines in lower case, and its end
/// line made again: the record count and the FNV-1a hash of every byte before it (see
/// `mailcodes::state::format`).
fn lower_evidence(state: &str) -> String {
    let (mut body, mut records) = (String::new(), 0);
    for line in state.lines().filter(|l| !l.starts_with("end\t")) {
        let mut fields: Vec<String> = line.split('\t').map(str::to_string).collect();
        // An evidence line: `e`, the address (escaped, ASCII), then its times and flags.
        if fields[0] == "e" {
            fields[1] = fields[1].to_ascii_lowercase();
        }
        records += usize::from(["input", "e", "r"].contains(&fields[0].as_str()));
        body.push_str(&fields.join("\t"));
        body.push('\n');
    }
    let sum = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{body}end\t{records}\t{sum:016x}\n")
}
