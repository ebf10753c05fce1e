//! Diagnoses end to end: `scan` classifies every failure of real lines into diagnoses.csv
//! and providers.csv, counts what the persistent rule says, leaves probes out, and takes
//! user rules with `--rules`.

use crate::csv_rows;
use crate::scan_cli::{fixture, mailcodes};
use std::io::Write;

/// The real lines of fixtures/diagnoses/lines.tsv with their expected diagnosis.
fn real_lines() -> Vec<(String, String)> {
    std::fs::read_to_string(fixture("diagnoses/lines.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.splitn(4, '\t').collect();
            (cols[0].to_string(), cols[3].to_string())
        })
        .collect()
}

fn scan(dir: &std::path::Path, log: &str, extra: &[&str]) -> std::process::Output {
    let path = dir.join("mail.log");
    std::fs::write(&path, log).unwrap();
    mailcodes()
        .args(["scan", "-q", "--year", "2024", "-o"])
        .arg(dir.join("out"))
        .args(extra)
        .arg(&path)
        .output()
        .unwrap()
}

#[test]
fn each_real_failure_line_lands_in_its_diagnosis() {
    for (want, line) in real_lines() {
        let dir = tempfile::tempdir().unwrap();
        let out = scan(dir.path(), &format!("{line}\n"), &[]);
        assert!(out.status.success(), "{line}");
        let rows = csv_rows(&dir.path().join("out/diagnoses.csv"));
        let classes = csv_rows(&dir.path().join("out/classes.csv"));
        let failures: u64 = classes[1..]
            .iter()
            .map(|r| r[1].parse::<u64>().unwrap())
            .sum();
        if failures == 0 {
            continue; // a line of another MTA setting, counted elsewhere
        }
        assert_eq!(rows.len(), 1, "{line}: {rows:?}");
        assert_eq!(rows[0][0], want, "{line}");
    }
}

#[test]
fn diagnoses_and_providers_add_up_to_the_classes() {
    let all: String = real_lines().into_iter().map(|(_, l)| l + "\n").collect();
    let dir = tempfile::tempdir().unwrap();
    assert!(scan(dir.path(), &all, &[]).status.success());
    let out = dir.path().join("out");
    let classes = csv_rows(&out.join("classes.csv"));
    let n = |i: usize| classes[i][1].parse::<u64>().unwrap();
    let diagnosed: u64 = csv_rows(&out.join("diagnoses.csv"))
        .iter()
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(diagnosed, n(1) + n(2));
    let providers = csv_rows(&out.join("providers.csv"));
    for (col, class) in [(1, 0), (2, 1), (3, 2)] {
        let sum: u64 = providers
            .iter()
            .map(|r| r[col].parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, n(class), "column {col}");
    }
    // Every example is spreadsheet-safe and every fix says who acts.
    for row in csv_rows(&out.join("diagnoses.csv")) {
        assert!(!row[5].starts_with(['=', '+', '-', '@']), "{row:?}");
        assert!(row[6].contains(" ("), "{row:?}");
    }
}

/// Gmail's over-quota answer is 452 4.2.2, not 450: a mailbox answering it for hours is as
/// stuck as one answering 450.
#[test]
fn a_mailbox_over_quota_with_452_is_persistent() {
    let mut log = String::new();
    for h in 0..4 {
        log += &format!(
            "Nov 28 0{h}:10:00 mx postfix/smtp[1]: A{h}: to=<full@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, \
             delay=1, delays=0/0/0.5/0.5, dsn=4.2.2, status=deferred (host gmail-smtp-in.l.google.com[142.250.1.26] said: \
             452-4.2.2 The email account that you tried to reach is over quota. (in reply to RCPT TO command))\n"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    assert!(scan(dir.path(), &log, &[]).status.success());
    let stuck = csv_rows(&dir.path().join("out/persistent_450.csv"));
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!(
        (stuck[0][0].as_str(), stuck[0][4].as_str()),
        ("full@gmail.com", "mailbox_full")
    );
    let d = csv_rows(&dir.path().join("out/diagnoses.csv"));
    assert_eq!(
        (d[0][0].as_str(), d[0][3].as_str(), d[0][4].as_str()),
        ("mailbox_full", "1", "google")
    );
}

/// verify(8) probes are not deliveries: pflogsumm leaves them out, so does mailcodes.
#[test]
fn address_verification_probes_are_not_mail() {
    let log = "\
Nov 28 06:00:00 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)
Nov 28 06:00:01 mx postfix/smtp[1]: A2: to=<b@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=5.1.1, status=undeliverable (host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))
Nov 28 06:00:02 mx postfix/smtp[1]: A3: to=<c@example.org>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
";
    let dir = tempfile::tempdir().unwrap();
    assert!(scan(dir.path(), log, &[]).status.success());
    let classes = csv_rows(&dir.path().join("out/classes.csv"));
    assert_eq!((classes[0][1].as_str(), classes[2][1].as_str()), ("1", "0"));
    let summary = std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(doc["events"]["probes"], 2);
    assert_eq!(
        doc["lines"]["skipped"], 0,
        "probes are mail lines, not junk"
    );
}

#[test]
fn user_rules_come_first_and_broken_ones_name_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.tsv");
    let mut f = std::fs::File::create(&rules).unwrap();
    writeln!(f, "# ours: the partner's gateway says 'mailbox on holiday'").unwrap();
    writeln!(f, "mailbox_disabled\tmailbox on holiday").unwrap();
    drop(f);
    let log = "Nov 28 06:00:00 mx postfix/smtp[1]: A1: to=<a@partner.example>, relay=gw.partner.example[192.0.2.9]:25, delay=1, dsn=5.0.0, status=bounced (host gw.partner.example[192.0.2.9] said: 550 mailbox on holiday until Monday (in reply to RCPT TO command))\n";
    let arg = rules.to_string_lossy().into_owned();
    assert!(scan(dir.path(), log, &["--rules", &arg]).status.success());
    let d = csv_rows(&dir.path().join("out/diagnoses.csv"));
    assert_eq!(d[0][0], "mailbox_disabled");

    std::fs::write(&rules, "# fine\nmailbox_full\t(unclosed\n").unwrap();
    let out = scan(dir.path(), log, &["--rules", &arg]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rules.tsv") && err.contains('2'), "{err}");
}

/// User patterns of every kind: fixed texts (found by the automaton), a case-sensitive one
/// and a word boundary (found by the DFA), and an alternation of both kinds.
#[test]
fn user_rules_of_fixed_texts_and_of_regexes_both_hold() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.tsv");
    std::fs::write(
        &rules,
        "mailbox_full\t(?-i)QUOTA-X\n\
         policy\t\\bgw7\\b|partner (gateway|relay) refuses\n\
         mailbox_disabled\tOn Holiday( until)?\n",
    )
    .unwrap();
    let line = |id: &str, rcpt: &str, text: &str| {
        format!("Nov 28 06:00:00 mx postfix/smtp[1]: {id}: to=<{rcpt}@partner.example>, relay=gw.partner.example[192.0.2.9]:25, delay=1, dsn=5.0.0, status=bounced (host gw.partner.example[192.0.2.9] said: 550 {text} (in reply to RCPT TO command))\n")
    };
    let log = [
        line("A1", "a", "QUOTA-X reached"),
        line("A2", "b", "quota-x reached"),
        line("A3", "c", "sent to GW7 today"),
        line("A4", "d", "sent to gw77 today"),
        line("A5", "e", "our PARTNER RELAY REFUSES you"),
        line("A6", "f", "user is on holiday"),
    ]
    .concat();
    let arg = rules.to_string_lossy().into_owned();
    assert!(scan(dir.path(), &log, &["--rules", &arg]).status.success());
    let d = csv_rows(&dir.path().join("out/diagnoses.csv"));
    let count = |name: &str| {
        d.iter()
            .find(|r| r[0] == name)
            .map_or(0, |r| r[2].parse::<u64>().unwrap())
    };
    assert_eq!(count("mailbox_full"), 1, "{d:?}");
    assert_eq!(count("policy"), 2, "{d:?}");
    assert_eq!(count("mailbox_disabled"), 1, "{d:?}");
    assert_eq!(count("other"), 2, "{d:?}");
}

#[test]
fn the_summary_says_why_mail_failed() {
    let all: String = real_lines().into_iter().map(|(_, l)| l + "\n").collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.log");
    std::fs::write(&path, all).unwrap();
    let out = mailcodes()
        .args(["scan", "--year", "2024", "--top", "3"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let section = text.split("why mail failed").nth(1).expect("section");
    assert!(section.contains("… and"), "{section}");
    assert!(
        section.contains("carried no SMTP reply at all"),
        "{section}"
    );
}
