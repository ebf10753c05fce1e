//! Mergeable summaries and `mailcodes merge`: any split of a log into host files, summarized
//! and merged, gives the one-pass CSV files byte for byte (the persistent list included,
//! with a 2xx on one host recovering a recipient deferred on another); merges nest; and
//! missing, damaged, truncated, other-schema and other-key folders are clear exit-2 errors.

use crate::scan_cli::{fixture, mailcodes, CSVS};
use crate::split::{csvs, render, scanner, TEMPLATES};
use mailcodes::mergeable::{self, key::current_id};
use mailcodes::stats::Stats;
use proptest::prelude::*;
use std::path::Path;

/// `stats` written as a mergeable summary and read back.
fn round_trip(stats: &Stats) -> Stats {
    let bytes = mergeable::render(stats, &current_id()).unwrap();
    mergeable::from_bytes(Path::new("host"), bytes)
        .unwrap()
        .stats()
        .unwrap()
}

/// Each host's lines scanned apart, summarized, read back and merged.
fn merged_hosts(hosts: &[String]) -> Stats {
    let sc = scanner();
    let mut all = Stats::default();
    for log in hosts {
        all.merge(round_trip(&sc.scan(log.as_bytes())));
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn any_split_into_hosts_merges_to_the_one_pass_csvs(
        lines in prop::collection::vec((0..TEMPLATES.len(), 0..5usize, 0u32..1440, 0..3usize), 1..80),
    ) {
        // `last message repeated` refers to the line before it on the same host: a split
        // by host changes what it repeats, so it is left out here (split.rs covers it).
        let lines: Vec<_> = lines.into_iter().filter(|l| !TEMPLATES[l.0].contains("repeated")).collect();
        let one: Vec<_> = lines.iter().map(|l| (l.0, l.1, l.2)).collect();
        let whole = scanner().scan(render(&one).as_bytes());
        let hosts: Vec<String> = (0..3)
            .map(|h| {
                let mine: Vec<_> = lines.iter().filter(|l| l.3 == h).map(|l| (l.0, l.1, l.2)).collect();
                render(&mine)
            })
            .collect();
        let merged = merged_hosts(&hosts);
        prop_assert_eq!(csvs(&merged), csvs(&whole));
        // A merge of merges is the same again.
        prop_assert_eq!(csvs(&round_trip(&merged)), csvs(&whole));
    }
}

/// Mailbox-full 450s for one recipient over three hours on mx1, a 2xx in between on mx2.
fn cross_host_logs() -> [String; 2] {
    let defer = |h: u32| {
        format!(
            "Nov 28 0{h}:00:00 mx1 postfix/smtp[1]: A1: to=<stuck@example.net>, relay=mx[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (host mx[192.0.2.1] said: 450 4.2.2 <stuck@example.net>: Mailbox full (in reply to RCPT TO command))\n"
        )
    };
    let mx1: String = (1..5).map(defer).collect();
    let mx2 = "Nov 28 02:30:00 mx2 postfix/smtp[1]: B1: to=<Stuck@example.net>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F9D1C2)\n".to_string();
    [mx1, mx2]
}

#[test]
fn a_delivery_on_another_host_recovers_the_recipient() {
    let [mx1, mx2] = cross_host_logs();
    let rule = mailcodes::persistent::Rule::default();
    let alone = merged_hosts(std::slice::from_ref(&mx1));
    assert_eq!(alone.persistent.persistent(&rule).len(), 1);
    let both = merged_hosts(&[mx1.clone(), mx2.clone()]);
    assert!(both.persistent.persistent(&rule).is_empty());
    assert_eq!(both.persistent.recovered(), (1, 0));
    let whole = scanner().scan(format!("{mx2}{mx1}").as_bytes());
    assert_eq!(csvs(&both), csvs(&whole));
}

/// Bounces of 2,100 distinct recipients: past `distinct::EXACT`, so their diagnosis counts
/// its recipients in a sketch.
fn many_bounces() -> String {
    (0..2100)
        .map(|i| {
            let (m, s) = (i / 60 % 60, i % 60);
            format!(
                "Nov 28 09:{m:02}:{s:02} mx1 postfix/smtp[1]: B{i}: to=<user{i}@example.com>, relay=mx[192.0.2.1]:25, delay=1, dsn=5.1.1, status=bounced (host mx[192.0.2.1] said: 550 5.1.1 <user{i}@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))\n"
            )
        })
        .collect()
}

/// Two hosts' logs: the first half of the Postfix sample, the cross-host deferrals and
/// [`many_bounces`] on mx1 (its `merge.jsonl` as mailcodes 0.1 wrote it, schema 1, is
/// `fixtures/merge/v1/mx1`), and the rest of the sample and the delivery on mx2.
fn v1_hosts() -> [String; 2] {
    let postfix = std::fs::read_to_string(fixture("sample/postfix-mail.log")).unwrap();
    let cut = postfix[..postfix.len() / 2].rfind('\n').unwrap() + 1;
    let [mx1, mx2] = cross_host_logs();
    [
        format!("{}{mx1}{}", &postfix[..cut], many_bounces()),
        format!("{}{mx2}", &postfix[cut..]),
    ]
}

fn scan_into(out: &Path, logs: &[&Path], extra: &[&str]) {
    mailcodes()
        .args(["scan", "-q", "--year", "2021"])
        .args(extra)
        .arg("-o")
        .arg(out)
        .args(logs)
        .assert()
        .success();
}

fn assert_same_csvs(a: &Path, b: &Path) {
    for name in CSVS {
        let (x, y) = (std::fs::read(a.join(name)), std::fs::read(b.join(name)));
        assert_eq!(x.unwrap(), y.unwrap(), "{name} differs");
    }
}

/// Three hosts' logs: the Postfix sample in two parts, the Exim sample, and the
/// cross-host persistent case split the same way.
fn three_hosts(dir: &Path) -> Vec<std::path::PathBuf> {
    let postfix = std::fs::read_to_string(fixture("sample/postfix-mail.log")).unwrap();
    let cut = postfix[..postfix.len() / 2].rfind('\n').unwrap() + 1;
    let [mx1, mx2] = cross_host_logs();
    let logs = [
        format!("{}{mx1}", &postfix[..cut]),
        format!("{}{mx2}", &postfix[cut..]),
        std::fs::read_to_string(fixture("sample/exim-mainlog")).unwrap(),
    ];
    logs.iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.join(format!("host{i}.log"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

#[test]
fn three_hosts_merge_to_one_scan_byte_for_byte_and_merges_nest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let logs = three_hosts(d);
    let refs: Vec<&Path> = logs.iter().map(|p| p.as_path()).collect();
    scan_into(&d.join("out/one"), &refs, &[]);
    for (i, log) in refs.iter().enumerate() {
        scan_into(&d.join(format!("out/h{i}")), &[log], &[]);
    }
    // The key was made once, beside the out folders, and shared.
    assert!(d.join("out/mailcodes.key").is_file());
    mailcodes()
        .args(["merge", "-q"])
        .args([d.join("out/h0"), d.join("out/h1"), d.join("out/h2")])
        .arg("-o")
        .arg(d.join("out/all"))
        .assert()
        .success();
    assert_same_csvs(&d.join("out/one"), &d.join("out/all"));
    let persistent = std::fs::read_to_string(d.join("out/all/persistent_450.csv")).unwrap();
    assert!(!persistent.contains("stuck@"), "{persistent}");
    // Merges nest: (h0 + h1) + h2 is the same again.
    mailcodes()
        .args(["merge", "-q"])
        .args([d.join("out/h0"), d.join("out/h1")])
        .arg("-o")
        .arg(d.join("out/h01"))
        .assert()
        .success();
    mailcodes()
        .args(["merge", "-q"])
        .args([d.join("out/h01"), d.join("out/h2")])
        .arg("-o")
        .arg(d.join("out/nested"))
        .assert()
        .success();
    assert_same_csvs(&d.join("out/one"), &d.join("out/nested"));
}

/// Runs merge over `dirs` and returns its stderr, asserting exit status 2.
fn merge_fails(dirs: &[&Path], out: &Path) -> String {
    let o = mailcodes()
        .args(["merge", "-q"])
        .args(dirs)
        .arg("-o")
        .arg(out)
        .assert()
        .code(2);
    String::from_utf8_lossy(&o.get_output().stderr).into_owned()
}

#[test]
fn bad_folders_are_clear_errors_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = fixture("sample/postfix-mail.log");
    scan_into(&d.join("out/good"), &[&log], &[]);
    let file = |name: &str| d.join("out").join(name).join("merge.jsonl");
    let good = std::fs::read(file("good")).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    // A line of delivered records whose first characters are not base64 (same length).
    let mut damaged_record = good.clone();
    let at = text.find("\nd\t").unwrap() + 3;
    damaged_record[at..at + 4].copy_from_slice(b"!!!!");
    let variants: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() - 40].to_vec(),
            "damaged or truncated",
        ),
        (
            "damaged",
            text.replacen("\"lines\":2252", "\"lines\":2253", 1)
                .into_bytes(),
            "checksum",
        ),
        (
            "schema",
            text.replacen("\"schema\":2", "\"schema\":99", 1)
                .into_bytes(),
            "schema 99",
        ),
        (
            "garbage",
            b"PK\x03\x04 not json\n".to_vec(),
            "not a mailcodes mergeable summary",
        ),
        (
            "record",
            damaged_record.clone(),
            "line 3: bad delivered records",
        ),
    ];
    assert!(text.contains("\"lines\":2252"), "fixture changed");
    for (name, bytes, want) in variants {
        let folder = d.join("out").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(file(name), bytes).unwrap();
        let err = merge_fails(&[&d.join("out/good"), &folder], &d.join("out/m"));
        assert!(err.contains(want) && err.contains(name), "{name}: {err}");
    }
    let empty = d.join("out/empty");
    std::fs::create_dir_all(&empty).unwrap();
    let err = merge_fails(&[&empty], &d.join("out/m"));
    assert!(
        err.contains("no merge.jsonl") && err.contains("empty"),
        "{err}"
    );
    let err = merge_fails(&[&d.join("out/nowhere")], &d.join("out/m"));
    assert!(err.contains("nowhere") && err.contains("no such"), "{err}");
    assert!(!d.join("out/m").exists());
}

#[test]
fn folders_of_other_keys_do_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = fixture("sample/postfix-mail.log");
    scan_into(&d.join("a/mx1"), &[&log], &[]);
    let other = d.join("other.key");
    std::fs::write(&other, "0123456789abcdef0123456789abcdef\n").unwrap();
    let key_arg = other.to_str().unwrap();
    scan_into(&d.join("b/mx2"), &[&log], &["--hash-key", key_arg]);
    let err = merge_fails(&[&d.join("a/mx1"), &d.join("b/mx2")], &d.join("m"));
    assert!(err.contains("mx2") && err.contains("same key"), "{err}");
    // With the right key given, a folder merges; with a wrong one, it does not.
    mailcodes()
        .args(["merge", "-q", "--hash-key", key_arg])
        .arg(d.join("b/mx2"))
        .arg("-o")
        .arg(d.join("m"))
        .assert()
        .success();
    // Without --hash-key, the key beside an input folder is found.
    mailcodes()
        .args(["merge", "-q"])
        .arg(d.join("a/mx1"))
        .arg("-o")
        .arg(d.join("m2"))
        .assert()
        .success();
    let o = mailcodes()
        .args(["merge", "-q", "--hash-key", key_arg])
        .arg(d.join("a/mx1"))
        .arg("-o")
        .arg(d.join("m3"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(err.contains("--hash-key"), "{err}");
}

#[test]
fn runs_of_a_state_host_merge_to_one_pass_over_their_lines() {
    // Each run's merge.jsonl holds only the lines it read, not the evidence carried over in
    // the state: the runs' folders merge to one scan of the whole log.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let logs = three_hosts(d);
    let log = d.join("mail.log");
    let state = d.join("state");
    let state_arg = ["--state", state.to_str().unwrap()];
    let mut text = String::new();
    // A mailbox full over three runs: persistent in one pass with three attempts; counted
    // with the carried evidence again, it would show five.
    let full = |t: &str| {
        format!(
            "Nov 28 {t} mx3 postfix/smtp[1]: C1: to=<full@example.org>, relay=mx[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (host mx[192.0.2.1] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))\n"
        )
    };
    let extra = [
        full("05:00:00") + &full("06:30:00"),
        full("07:45:00"),
        String::new(),
    ];
    for (i, part) in logs.iter().enumerate() {
        text.push_str(&std::fs::read_to_string(part).unwrap());
        text.push_str(&extra[i]);
        std::fs::write(&log, &text).unwrap();
        scan_into(&d.join(format!("out/run{i}")), &[&log], &state_arg);
    }
    scan_into(&d.join("out/one"), &[&log], &[]);
    mailcodes()
        .args(["merge", "-q"])
        .args((0..3).map(|i| d.join(format!("out/run{i}"))))
        .arg("-o")
        .arg(d.join("out/all"))
        .assert()
        .success();
    assert_same_csvs(&d.join("out/one"), &d.join("out/all"));
    let persistent = std::fs::read_to_string(d.join("out/all/persistent_450.csv")).unwrap();
    assert!(persistent.contains("full@example.org,3,"), "{persistent}");
}

#[test]
fn an_unreadable_default_key_is_a_warning_a_given_one_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let log = fixture("sample/postfix-mail.log");
    std::fs::create_dir_all(d.join("out/mailcodes.key")).unwrap(); // a folder, not a key
    let o = mailcodes()
        .args(["scan", "-q", "--year", "2021", "-o"])
        .arg(d.join("out/mx1"))
        .arg(&log)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(
        err.contains("warning") && err.contains("mailcodes.key"),
        "{err}"
    );
    assert!(d.join("out/mx1/classes.csv").is_file());
    mailcodes()
        .args(["scan", "-q", "--year", "2021", "--hash-key"])
        .arg(d.join("out/mailcodes.key"))
        .arg("-o")
        .arg(d.join("out/mx2"))
        .arg(&log)
        .assert()
        .code(2);
}

/// Runs merge over `dirs` into `out` with `extra` arguments, which must succeed.
fn merge_into(dirs: &[&Path], out: &Path, extra: &[&str]) {
    mailcodes()
        .args(["merge", "-q"])
        .args(extra)
        .args(dirs)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn schema_1_folders_written_before_an_upgrade_still_merge() {
    // fixtures/merge/v1/mx1 was written by mailcodes 0.1 (schema 1) from the first log of
    // `v1_hosts`, with fixtures/merge/mailcodes.key: its evidence, delivered recipients and
    // a recipient sketch are read as the new schema's are.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = fixture("merge/v1/mx1");
    let text = String::from_utf8(std::fs::read(old.join("merge.jsonl")).unwrap()).unwrap();
    assert!(text.contains("\"schema\":1") && text.contains("\"sketch\":\"\\u0003"));
    let key = fixture("merge/mailcodes.key");
    let key_arg = ["--hash-key", key.to_str().unwrap()];
    let [a, b] = v1_hosts();
    let (log_a, log_b) = (d.join("a.log"), d.join("b.log"));
    std::fs::write(&log_a, &a).unwrap();
    std::fs::write(&log_b, &b).unwrap();
    scan_into(&d.join("one"), &[&log_a, &log_b], &key_arg);
    scan_into(&d.join("mx1"), &[&log_a], &key_arg);
    scan_into(&d.join("mx2"), &[&log_b], &key_arg);
    // Alone, it gives what a scan of its log gives today.
    merge_into(&[&old], &d.join("old"), &key_arg);
    assert_same_csvs(&d.join("mx1"), &d.join("old"));
    // With a schema 2 folder, whose 2xx recovers the recipient it saw deferred.
    merge_into(&[&old, &d.join("mx2")], &d.join("mixed"), &key_arg);
    assert_same_csvs(&d.join("one"), &d.join("mixed"));
    let persistent = std::fs::read_to_string(d.join("mixed/persistent_450.csv")).unwrap();
    assert!(!persistent.contains("stuck@"), "{persistent}");
    // What it holds is what the new scan of the same log holds, to the byte once written.
    merge_into(&[&d.join("mx1"), &d.join("mx2")], &d.join("new"), &key_arg);
    let summary = |dir: &str| std::fs::read(d.join(dir).join("merge.jsonl")).unwrap();
    assert_eq!(summary("mixed"), summary("new"));
    // Damaged or cut, it is refused as before.
    let bytes = text.as_bytes();
    let variants: [(&str, Vec<u8>, &str); 2] = [
        (
            "v1cut",
            bytes[..bytes.len() - 40].to_vec(),
            "damaged or truncated",
        ),
        (
            "v1damaged",
            text.replacen("\"lines\":", "\"lines\":1", 1).into_bytes(),
            "damaged or truncated",
        ),
    ];
    for (name, bytes, want) in variants {
        std::fs::create_dir_all(d.join(name)).unwrap();
        std::fs::write(d.join(name).join("merge.jsonl"), bytes).unwrap();
        let err = merge_fails(&[&d.join(name)], &d.join("m"));
        assert!(err.contains(want) && err.contains(name), "{name}: {err}");
    }
}

#[test]
fn merge_jsonl_is_the_same_bytes_for_any_threads_and_chunks() {
    // The evidence of the deferred recipients, their replies' numbers and the delivered
    // recipients come out in one order however the scan split and merged its work.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let [a, b] = v1_hosts();
    let mixed = std::fs::read_to_string(fixture("persistent/mixed.log")).unwrap();
    let log = d.join("mail.log");
    std::fs::write(&log, format!("{a}{b}{mixed}")).unwrap();
    let runs: [&[&str]; 4] = [
        &["-j", "1"],
        &["-j", "2"],
        &["-j", "2", "--chunk-size", "4096"],
        &["-j", "2", "--chunk-size", "65536"],
    ];
    let mut seen = Vec::new();
    for (i, extra) in runs.iter().enumerate() {
        let out = d.join(format!("out{i}"));
        scan_into(&out, &[&log], extra);
        seen.push(std::fs::read(out.join("merge.jsonl")).unwrap());
    }
    let text = String::from_utf8_lossy(&seen[0]);
    assert!(text.contains("\nr\t") && text.contains("\ne\t") && text.contains("\nd\t"));
    assert!(
        seen.iter().all(|s| *s == seen[0]),
        "merge.jsonl differs between runs"
    );
    // A merge of the folder writes it again, the same.
    merge_into(&[&d.join("out1")], &d.join("m"), &[]);
    assert_eq!(std::fs::read(d.join("m/merge.jsonl")).unwrap(), seen[0]);
}
