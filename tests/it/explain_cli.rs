//! `mailcodes explain`: one code, an enhanced code, a pair, a pasted reply, `X.s.d` entries,
//! unknown and malformed codes, the list, every format, both languages.

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
        diff.contains("after the greylisting delay"),
        "greylisting clears after its delay, not on the next attempt: {diff}"
    );
    // The 2xx class text is printed for 221: it must not say 221 hands over a message.
    assert!(!diff.contains("the receiving server has taken responsibility for it"));
    assert!(diff.contains("Only a 2xx reply to the end of the message data (after DATA)"));
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
    // Every enhanced code has its Vietnamese text now (issue 13): no English fallback.
    let (_, out, _) = run(&["--lang", "vi", "4.6.5"]);
    assert!(
        out.contains("Chuyển đổi thất bại") && !out.contains("chưa có bản tiếng Việt"),
        "{out}"
    );
    let (_, out, _) = run(&["--lang", "vi", "--format", "json", "4.6.5"]);
    assert!(out.contains("\"english_fallback\":false"), "{out}");
}

const REPLY: &str =
    "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org";

#[test]
fn a_pasted_reply_explains_its_basic_and_enhanced_codes() {
    let (rc, out, err) = run(&[REPLY]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.starts_with(&format!("Reply  {REPLY}\n")), "{out}");
    assert!(out.contains("Codes in the reply: 550, 5.7.1"), "{out}");
    assert!(out.contains("\n550  Mailbox unavailable\n"), "{out}");
    assert!(out.contains("\n5.7.1  Delivery not authorized\n"), "{out}");
    // The two codes belong to one reply: no comparison; the diagnose module names the
    // block list, and who must act.
    assert!(!out.contains("Key difference"), "{out}");
    assert!(
        out.contains("Diagnosis\n  blocklisted: ") && out.contains("(us)"),
        "{out}"
    );

    let (rc, out, _) = run(&["--lang", "vi", REPLY]);
    assert_eq!(rc, 0);
    assert!(out.starts_with("Phản hồi  550 5.7.1"), "{out}");
    assert!(out.contains("550  Hộp thư không khả dụng"), "{out}");
    assert!(out.contains("5.7.1  Không được phép gửi"), "{out}");
}

#[test]
fn pasted_reply_shapes() {
    for (reply, codes) in [
        ("550-5.7.1 multi-line form", "550, 5.7.1"),
        ("451 Temporary local problem - please try later", "451"),
        (
            "  452 4.2.2 <a@example.com>: Quota exceeded  ",
            "452, 4.2.2",
        ),
        ("550 5.7.1", "550, 5.7.1"),
    ] {
        let (rc, out, err) = run(&[reply]);
        assert_eq!(rc, 0, "{reply}: {err}");
        assert!(
            out.contains(&format!("Codes in the reply: {codes}\n")),
            "{out}"
        );
    }
    // A reply is explained on its own.
    let (rc, out, err) = run(&[REPLY, "450"]);
    assert_eq!(rc, 2);
    assert!(out.is_empty() && err.contains("only argument"), "{err}");
}

#[test]
fn pasted_reply_text_is_made_safe_and_json_is_escaped_by_serde() {
    let nasty = "550 5.7.1 bad \u{1b}[31mred\u{7} \"quoted\" back\\slash";
    let (rc, out, _) = run(&[nasty]);
    assert_eq!(rc, 0);
    let first = out.lines().next().unwrap();
    assert!(
        !first.contains('\u{1b}') && !first.contains('\u{7}'),
        "{first:?}"
    );
    let (rc, out, _) = run(&["--format", "json", nasty]);
    assert_eq!(rc, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(doc["reply"], nasty);
    assert_eq!(doc["codes"][0]["code"], "550");
    assert_eq!(doc["codes"][1]["code"], "5.7.1");
    assert!(doc.get("key_difference").is_none());
    assert!(doc["diagnosis"]["name"].is_string(), "{doc}");
}

#[test]
fn pasted_replies_are_diagnosed() {
    for (reply, diagnosis) in [
        (REPLY, "blocklisted"),
        (
            "452 4.2.2 The email account that you tried to reach is over quota.",
            "mailbox_full",
        ),
        ("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown", "user_unknown"),
        ("450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html", "greylisted"),
    ] {
        let (rc, out, _) = run(&["--format", "json", reply]);
        assert_eq!(rc, 0);
        let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(doc["diagnosis"]["name"], diagnosis, "{reply}");
        assert!(doc["diagnosis"]["fix"].as_str().is_some_and(|f| f.len() > 20));
    }
}

#[test]
fn json_document_shape() {
    let (_, out, _) = run(&["--format", "json", "221", "450"]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["codes", "key_difference", "which_action"]);
    assert!(out.starts_with("{\"codes\":[{\"code\":\"221\""), "{out}");
    let code = doc["codes"][1].as_object().unwrap();
    let mut fields: Vec<&str> = code.keys().map(String::as_str).collect();
    let mut expected = [
        "code",
        "class",
        "class_title",
        "registered",
        "title",
        "description",
        "when",
        "fix",
        "reference",
        "english_fallback",
    ];
    // The document keeps its field order; serde_json's map sorts, so check order on the text.
    let at = |k: &str| out.find(&format!("\"{k}\":")).unwrap();
    assert!(expected.windows(2).all(|w| at(w[0]) < at(w[1])), "{out}");
    fields.sort_unstable();
    expected.sort_unstable();
    assert_eq!(fields, expected);
    assert_eq!(code["registered"], true);
    let (_, out, _) = run(&["--format", "json", "--list"]);
    let list: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(list[0]["code"], "211");
    assert!(list.as_array().unwrap().len() > 110);
}

#[test]
fn every_code_the_list_prints_is_accepted() {
    let (_, text, _) = run(&["--list"]);
    let codes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.contains(&"X.2.2") && codes.contains(&"523"));
    for code in codes {
        let (rc, out, err) = run(&[code]);
        assert_eq!(rc, 0, "{code}: {err}");
        assert!(out.starts_with(&format!("{code}  ")), "{code}: {out}");
        assert!(!out.contains("not a registered code"), "{code}");
    }
    let (_, out, _) = run(&["x.2.2"]);
    assert!(
        out.starts_with("X.2.2  Mailbox full\n  Class       X Any class"),
        "{out}"
    );
}

#[test]
fn list_is_in_numeric_order_with_vietnamese_titles() {
    let (_, text, _) = run(&["--list"]);
    let codes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let pos = |c: &str| codes.iter().position(|x| *x == c).unwrap();
    assert!(
        pos("235") < pos("250") && pos("250") < pos("252"),
        "{codes:?}"
    );
    assert!(pos("X.1.9") < pos("X.1.10") && pos("X.7.9") < pos("X.7.10"));
    let (_, vi, _) = run(&["--list", "--lang", "vi"]);
    assert_eq!(vi.lines().count(), text.lines().count());
    for line in [
        "221      Đóng kết nối",
        "X.2.2    Hộp thư đầy",
        "X.7.30   Cần hỗ trợ REQUIRETLS",
    ] {
        assert!(vi.lines().any(|l| l == line), "missing {line:?}");
    }
}

#[test]
fn facts_issue_17_corrected_are_printed() {
    for (args, present, absent) in [
        (&["523"][..], "Reference   RFC 5248", "Reference   RFC 5321"),
        (
            &["502"],
            "3.7 and later use 500",
            "'502 5.5.2 Error: command not recognized'",
        ),
        (
            &["X.5.2"],
            "'500 5.5.2 Error: command not recognized'",
            "'502 5.5.2",
        ),
        (
            &["4.7.25"],
            "'450 4.7.25 Client host rejected: cannot find your hostname",
            "try again",
        ),
        (
            &["4.7.1"],
            "cannot find your reverse hostname",
            "'450 4.7.1 Client host rejected: cannot find your hostname'",
        ),
        (
            &["5.4.7"],
            "Postfix is not one of them",
            "maximal_queue_lifetime, Exim",
        ),
        (&["5.4.6"], "554 5.4.0, not 5.4.6", "'Too many hops'"),
        (
            &["504"],
            "those restrictions are off by default",
            "by default ('504",
        ),
        (&["334"], "the server answers 535", "stalls"),
        (&["454"], "RFC 3207", "Reference   RFC 4954\n"),
        (&["530"], "RFC 3207", "Reference   RFC 4954\n"),
        (&["221"], "outside the RFC", "some servers also send it"),
        (
            &["250", "535"],
            "refuses only that command",
            "the message is bounced",
        ),
        (
            &["250", "535"],
            "permanent refusal",
            "the message was refused for good",
        ),
        (
            &["--lang", "vi", "452"],
            "gửi tới những người nhận còn lại",
            "gửi số người nhận",
        ),
        (
            &["--lang", "vi", "4.4.3"],
            "dịch vụ tra cứu tên",
            "máy chủ thư mục",
        ),
        (
            &["--lang", "vi", "334"],
            "Máy chủ chờ dữ liệu xác thực",
            "Thử thách",
        ),
        (&["--lang", "vi", "235"], "mã nâng cao", "mã mở rộng"),
    ] {
        let (rc, out, _) = run(args);
        assert_eq!(rc, 0, "{args:?}");
        assert!(out.contains(present), "{args:?} lacks {present:?}:\n{out}");
        assert!(
            !out.contains(absent),
            "{args:?} still says {absent:?}:\n{out}"
        );
    }
}
