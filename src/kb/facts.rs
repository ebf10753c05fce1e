//! Facts the knowledge base must keep: each code's class, title and reference; example
//! replies that match the code they illustrate; class texts that are true for every code
//! they are printed for; numeric order; one Vietnamese term per concept. Issue 17 found
//! wrong facts in each of these groups, so each group has a table here.

use super::*;

/// Code → (class label, title, reference). Every basic code, and the enhanced codes whose
/// reference is not plain RFC 3463 or whose title was once in doubt.
const FACTS: &[(&str, &str, &str, &str)] = &[
    ("211", "2xx", "System status or help", "RFC 5321"),
    ("214", "2xx", "Help message", "RFC 5321"),
    ("220", "2xx", "Service ready", "RFC 5321"),
    ("221", "2xx", "Closing connection", "RFC 5321"),
    ("235", "2xx", "Authentication succeeded", "RFC 4954"),
    ("250", "2xx", "Requested action completed", "RFC 5321"),
    ("251", "2xx", "User not local, forwarding", "RFC 5321"),
    ("252", "2xx", "Cannot verify user", "RFC 5321"),
    ("334", "3xx", "Authentication challenge", "RFC 4954"),
    ("354", "3xx", "Start mail input", "RFC 5321"),
    ("421", "4xx", "Service not available", "RFC 5321"),
    ("432", "4xx", "Password transition needed", "RFC 4954"),
    ("450", "4xx", "Mailbox temporarily unavailable", "RFC 5321"),
    ("451", "4xx", "Local processing error", "RFC 5321"),
    ("452", "4xx", "Insufficient system storage", "RFC 5321"),
    (
        "454",
        "4xx",
        "Temporary authentication failure",
        "RFC 4954; RFC 3207 (STARTTLS)",
    ),
    ("455", "4xx", "Cannot accommodate parameters", "RFC 5321"),
    ("500", "5xx", "Command not recognized", "RFC 5321"),
    ("501", "5xx", "Syntax error in arguments", "RFC 5321"),
    ("502", "5xx", "Command not implemented", "RFC 5321"),
    ("503", "5xx", "Bad command sequence", "RFC 5321"),
    ("504", "5xx", "Parameter not implemented", "RFC 5321"),
    ("521", "5xx", "Host does not accept mail", "RFC 7504"),
    (
        "523",
        "5xx",
        "Encryption needed",
        "RFC 5248 (IANA registry, with X.7.10)",
    ),
    (
        "530",
        "5xx",
        "Authentication required",
        "RFC 4954; RFC 3207 (STARTTLS)",
    ),
    (
        "534",
        "5xx",
        "Authentication mechanism too weak",
        "RFC 4954",
    ),
    (
        "535",
        "5xx",
        "Authentication credentials invalid",
        "RFC 4954",
    ),
    (
        "538",
        "5xx",
        "Encryption required for authentication",
        "RFC 4954",
    ),
    ("550", "5xx", "Mailbox unavailable", "RFC 5321"),
    ("551", "5xx", "User not local", "RFC 5321"),
    ("552", "5xx", "Storage allocation exceeded", "RFC 5321"),
    ("553", "5xx", "Mailbox name not allowed", "RFC 5321"),
    ("554", "5xx", "Transaction failed", "RFC 5321"),
    ("555", "5xx", "Parameters not recognized", "RFC 5321"),
    ("556", "5xx", "Domain does not accept mail", "RFC 7504"),
    ("X.0.0", "X", "Other undefined status", "RFC 3463"),
    ("X.1.1", "X", "Bad destination mailbox address", "RFC 3463"),
    ("X.1.9", "X", "Relayed to non-compliant mailer", "RFC 3886"),
    ("X.1.10", "X", "Recipient domain has null MX", "RFC 7505"),
    ("X.2.2", "X", "Mailbox full", "RFC 3463"),
    ("X.3.6", "X", "Requested priority changed", "RFC 6710"),
    ("X.4.6", "X", "Routing loop detected", "RFC 3463"),
    ("X.4.7", "X", "Delivery time expired", "RFC 3463"),
    ("X.5.2", "X", "Syntax error", "RFC 3463"),
    ("X.5.6", "X", "Authentication line too long", "RFC 4954"),
    ("X.6.6", "X", "Message content not available", "RFC 4468"),
    (
        "X.6.7",
        "X",
        "Non-ASCII addresses not permitted",
        "RFC 6531",
    ),
    ("X.7.1", "X", "Delivery not authorized", "RFC 3463"),
    (
        "X.7.8",
        "X",
        "Authentication credentials invalid",
        "RFC 4954",
    ),
    ("X.7.10", "X", "Encryption needed", "RFC 5248"),
    ("X.7.13", "X", "User account disabled", "RFC 5248"),
    ("X.7.17", "X", "Mailbox owner has changed", "RFC 7293"),
    ("X.7.25", "X", "Reverse DNS validation failed", "RFC 7372"),
    (
        "X.7.26",
        "X",
        "Multiple authentication checks failed",
        "RFC 7372",
    ),
    ("X.7.27", "X", "Sender domain has null MX", "RFC 7505"),
    (
        "X.7.28",
        "X",
        "Mail flood detected",
        "IANA SMTP Enhanced Status Codes registry",
    ),
    ("X.7.29", "X", "ARC validation failure", "RFC 8617"),
    ("X.7.30", "X", "REQUIRETLS support required", "RFC 8689"),
];

fn class_label(code: Code) -> String {
    match code.class_digit() {
        Some(d) => format!("{d}xx"),
        None => "X".to_string(),
    }
}

#[test]
fn code_class_title_and_reference() {
    for &(code, class, title, reference) in FACTS {
        let c = Code::parse(code).unwrap_or_else(|e| panic!("{e}"));
        let e = lookup(c).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(
            (class_label(c).as_str(), e.title, e.reference),
            (class, title, reference),
            "{code}"
        );
    }
    // Every basic code is in the table above, so a new or changed one needs a new fact.
    for e in BASIC {
        assert!(
            FACTS.iter().any(|f| f.0 == e.code),
            "{} not in FACTS",
            e.code
        );
    }
}

/// Greetings carry no enhanced code (RFC 2034 section 3).
const GREETINGS: &[&str] = &["220 mx.example.com ESMTP Postfix"];

/// The quoted segments of a text that start with a digit: `'450 4.2.0 ...'` but not the `'`
/// of "Postfix's".
fn quoted_from_digit(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let opens = b[i] == b'\''
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !opens {
            i += 1;
            continue;
        }
        let start = i + 1;
        // The closing quote is one not followed by a letter (so "it's" does not close).
        let closes = |j: usize| b[j] == b'\'' && !b.get(j + 1).is_some_and(u8::is_ascii_alphabetic);
        let mut j = start;
        while j < b.len() && !closes(j) {
            j += 1;
        }
        out.push(&text[start..j.min(b.len())]);
        i = j + 1;
    }
    out
}

/// Checks one quoted example of `entry`; `Err` says what is wrong.
fn check_example(entry: &Code, example: &str) -> Result<(), String> {
    let bytes = example.as_bytes();
    let Some((basic, rest)) = crate::parse::reply::basic_at(bytes) else {
        if crate::parse::reply::enhanced_at(bytes).is_some() {
            return Err("starts with an enhanced code, not with the basic code".into());
        }
        return Ok(()); // not a reply, e.g. the null MX record '0 .'
    };
    let enhanced = crate::parse::reply::enhanced_at(rest).map(|(e, _)| e);
    let class = (basic / 100) as u8;
    match (entry, enhanced) {
        (Code::Basic(c), _) if *c != basic => Err(format!("starts with {basic}, not {c}")),
        (_, Some(e)) if e.class != class => Err(format!("{e} does not match class {class}xx")),
        (Code::AnyClass { subject, detail }, Some(e))
            if (e.subject, e.detail) != (*subject, *detail) =>
        {
            Err(format!("carries {e}, not X.{subject}.{detail}"))
        }
        (Code::AnyClass { .. }, None) => Err("carries no enhanced code".into()),
        (_, None) if class != 3 && !GREETINGS.contains(&example) => {
            Err("carries no enhanced code".into())
        }
        _ => Ok(()),
    }
}

#[test]
fn example_replies_start_with_their_code_and_carry_a_matching_enhanced_code() {
    let mut checked = 0;
    for e in BASIC.iter().chain(ENHANCED) {
        let code = Code::parse(e.code).unwrap();
        let texts = [Some(e.when), e.vi.map(|v| v.when)];
        for example in texts.into_iter().flatten().flat_map(quoted_from_digit) {
            if let Err(why) = check_example(&code, example) {
                panic!("{}: example '{example}' {why}", e.code);
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} examples found");
}

#[test]
fn the_example_checker_rejects_what_issue_17_found() {
    let x52 = Code::AnyClass {
        subject: 5,
        detail: 2,
    };
    for (code, example, ok) in [
        (Code::Basic(450), "450 4.2.0 Greylisted", true),
        (
            Code::Basic(502),
            "500 5.5.2 Error: command not recognized",
            false,
        ),
        (Code::Basic(450), "450 5.7.1 mixed classes", false),
        (Code::Basic(535), "535 Incorrect authentication data", false),
        (x52, "500 5.5.2 Error: command not recognized", true),
        (x52, "502 5.5.1 VRFY command is disabled", false),
        (x52, "5.5.2 no basic code", false),
        (Code::Basic(556), "0 .", true),
    ] {
        assert_eq!(
            check_example(&code, example).is_ok(),
            ok,
            "{code} {example}"
        );
    }
    assert_eq!(
        quoted_from_digit("Postfix's '450 4.2.0 x' and 'status=sent (250 2.0.0 Ok)', '0 .'"),
        ["450 4.2.0 x", "0 ."]
    );
}

/// Claims a class text must not make, with the codes it is printed for that make them false.
/// A text may still mention the subject when it says when it holds (the qualifier).
const CLAIMS: &[(&str, &str, &[u16])] = &[
    // RFC 5321 section 4.2.5: responsibility only with a 2yz after the end of DATA.
    (
        "responsibility",
        "DATA",
        &[211, 214, 220, 221, 235, 251, 252],
    ),
    // A 5xx to AUTH, VRFY or an unknown command bounces nothing.
    ("bounce", "MAIL, RCPT", &[500, 502, 523, 530, 534, 535, 538]),
];

#[test]
fn class_texts_are_true_for_every_code_they_are_printed_for() {
    for &(topic, qualifier, codes) in CLAIMS {
        for &c in codes {
            assert!(lookup(Code::Basic(c)).is_some(), "{c}");
            let g = basic_class((c / 100) as u8).unwrap();
            let text = g.description.to_lowercase();
            if text.contains(topic) {
                assert!(
                    g.description.contains(qualifier),
                    "{c}: the {}xx class text speaks of {topic} without saying when",
                    c / 100
                );
            }
        }
    }
    let two = basic_class(2).unwrap().description;
    assert!(!two.contains("for a message, the receiving server has taken responsibility"));
    for (digit, wrong) in [
        (5, "the message is bounced"),
        (2, "The delivery action succeeded"),
        (4, "The message is valid"),
    ] {
        let texts = [
            basic_class(digit).unwrap().description,
            enhanced_class(digit).unwrap().description,
        ];
        for t in texts {
            assert!(!t.contains(wrong), "{digit}: {t}");
        }
    }
}

#[test]
fn tables_are_in_numeric_order() {
    let basic: Vec<_> = BASIC.iter().map(sort_key).collect();
    assert!(basic.windows(2).all(|w| w[0] < w[1]), "{basic:?}");
    let enhanced: Vec<_> = ENHANCED.iter().map(sort_key).collect();
    assert!(enhanced.windows(2).all(|w| w[0] < w[1]), "{enhanced:?}");
    let order: Vec<&str> = all_sorted().iter().map(|e| e.code).collect();
    let pos = |c: &str| order.iter().position(|x| *x == c).unwrap();
    assert!(pos("235") < pos("250") && pos("250") < pos("252"));
    assert!(pos("556") < pos("X.0.0"));
    assert!(pos("X.1.9") < pos("X.1.10") && pos("X.7.2") < pos("X.7.10"));
}

/// Vietnamese words that issue 17 found wrong or calqued, and the term chosen instead.
const BANNED_VI: &[(&str, &str)] = &[
    ("mã mở rộng", "mã nâng cao"),
    ("máy chủ thư mục", "dịch vụ tra cứu tên (DNS)"),
    ("gửi số người nhận", "gửi tới những người nhận"),
    ("Thử thách xác thực", "Máy chủ chờ dữ liệu xác thực"),
    (
        "không được nhận ra",
        "Máy chủ không hiểu lệnh (500), không được chấp nhận (555)",
    ),
];

#[test]
fn every_entry_has_vietnamese_with_one_term_per_concept() {
    let mut all: Vec<&str> = Vec::new();
    for e in BASIC.iter().chain(ENHANCED) {
        let v =
            e.vi.unwrap_or_else(|| panic!("{} has no Vietnamese text", e.code));
        all.extend([v.title, v.description, v.when, v.fix]);
    }
    for g in BASIC_CLASSES
        .iter()
        .chain(BASIC_CATEGORIES)
        .chain(ENHANCED_CLASSES)
        .chain(ENHANCED_SUBJECTS)
    {
        all.extend([g.title_vi, g.description_vi]);
    }
    for t in all {
        for (bad, good) in BANNED_VI {
            assert!(!t.contains(bad), "use '{good}' instead of '{bad}': {t}");
        }
    }
}
