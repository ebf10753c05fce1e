//! `mailcodes explain`: one code, an enhanced code, a pair, unknown and malformed codes,
//! every format, both languages.

use crate::scan_cli::mailcodes;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = mailcodes().arg("explain").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn one_basic_code_has_all_sections() {
    let (rc, out, _) = run(&["450"]);
    assert_eq!(rc, 0);
    for s in [
        "450  Mailbox temporarily unavailable",
        "Class",
        "4xx",
        "Description",
        "When you see it",
        "How to fix it",
        "RFC 5321",
    ] {
        assert!(out.contains(s), "missing {s:?} in\n{out}");
    }
}

#[test]
fn enhanced_code() {
    let (rc, out, _) = run(&["4.2.2"]);
    assert_eq!(rc, 0);
    assert!(out.starts_with("4.2.2  Mailbox full"), "{out}");
    assert!(out.contains("RFC 3463"));
}

#[test]
fn pair_221_450_compares_classes_and_says_which_needs_action() {
    let (rc, out, _) = run(&["221", "450"]);
    assert_eq!(rc, 0);
    let diff = out
        .split("Key difference")
        .nth(1)
        .expect("key difference section");
    assert!(diff.contains("221 is a 2xx positive completion"), "{diff}");
    assert!(
        diff.contains("450 is a 4xx transient negative completion"),
        "{diff}"
    );
    assert!(diff.contains("Which one needs action"));
    assert!(diff.contains("221 needs no action"));
    assert!(diff.contains("450 needs action only if it persists"));
    assert!(
        diff.contains("full"),
        "the 450 advice mentions a full mailbox: {diff}"
    );
    assert!(diff.contains("Of the two, 450 is the one to look at."));
}

#[test]
fn unknown_codes_get_the_generic_meaning() {
    let (rc, out, _) = run(&["299"]);
    assert_eq!(rc, 0);
    assert!(out.contains("299 is not a registered code"), "{out}");
    assert!(out.contains("Positive completion"));
    let (rc, out, _) = run(&["4.9.9"]);
    assert_eq!(rc, 0);
    assert!(out.contains("4.9.9 is not a registered code"), "{out}");
}

#[test]
fn malformed_codes_are_errors() {
    for bad in ["45", "abc", "4.2", "650", "4500"] {
        let (rc, out, err) = run(&[bad]);
        assert_eq!(rc, 2, "{bad}");
        assert!(out.is_empty());
        assert!(
            err.contains(bad) && err.contains("not an SMTP reply code"),
            "{err}"
        );
    }
}

#[test]
fn csv_and_json_formats() {
    let (rc, out, _) = run(&["--format", "csv", "221", "450"]);
    assert_eq!(rc, 0);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[0][0], &rows[0][1], &rows[1][0]),
        ("221", "2xx", "450")
    );
    let (rc, out, _) = run(&["--format", "json", "221", "450"]);
    assert_eq!(rc, 0);
    assert!(out.starts_with("{\"codes\":[{\"code\":\"221\""), "{out}");
    assert!(out.contains("\"key_difference\":") && out.contains("\"which_action\":"));
    assert_eq!(out.matches('{').count(), out.matches('}').count());
}

#[test]
fn list_in_every_format() {
    let (_, text, _) = run(&["--list"]);
    assert!(text.lines().count() > 100);
    assert!(text
        .lines()
        .any(|l| l.starts_with("221 ") && l.contains("Closing connection")));
    let (_, csv, _) = run(&["--list", "--format", "csv"]);
    assert!(csv.starts_with("code,title,reference"));
    let (_, json, _) = run(&["--list", "--format", "json"]);
    assert!(json.starts_with('[') && json.trim_end().ends_with(']'));
}

#[test]
fn vietnamese_headings_and_visible_fallback() {
    let (rc, out, _) = run(&["--lang", "vi", "221", "450"]);
    assert_eq!(rc, 0);
    for h in [
        "Mô tả",
        "Khi bạn thấy mã này",
        "Cách khắc phục",
        "Sự khác biệt chính",
        "Khi nào dùng cái nào",
    ] {
        assert!(out.contains(h), "missing {h}");
    }
    // An entry with no Vietnamese text falls back to English, and says so.
    let (_, out, _) = run(&["--lang", "vi", "4.6.5"]);
    assert!(
        out.contains("chưa có bản tiếng Việt") && out.contains("Conversion failed"),
        "{out}"
    );
    let (_, out, _) = run(&["--lang", "vi", "--format", "json", "4.6.5"]);
    assert!(out.contains("\"english_fallback\":true"));
}
