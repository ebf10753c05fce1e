//! Diagnoses: the rule table over real reply texts (fixtures/diagnoses, sources in
//! SOURCES.md there), one test per rule group, providers, and user rule files.

use mailcodes::diagnose::{is_mailbox_deferral, provider, Diagnosis, RuleError, Rules};
use mailcodes::parse::reply::{basic_at, enhanced_at};
use mailcodes::parse::{parse_line, Context, Enhanced, Line, YearRule};
use std::path::Path;
use std::sync::LazyLock;

static RULES: LazyLock<Rules> = LazyLock::new(Rules::builtin);

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/diagnoses")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rows(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

fn enhanced(s: &str) -> Option<Enhanced> {
    enhanced_at(s.as_bytes()).map(|e| e.0)
}

/// Classifies a reply as the parsers would hand it over: the basic code and the enhanced
/// code read from the start of the text.
fn classify(text: &str, relay: &str) -> Diagnosis {
    let code = basic_at(text.as_bytes()).map(|(c, _)| c);
    let rest = basic_at(text.as_bytes()).map_or(text.as_bytes(), |(_, r)| r);
    let enh = enhanced_at(rest).map(|e| e.0);
    RULES.classify(code, enh, text.as_bytes(), relay.as_bytes())
}

#[test]
fn provider_documented_and_real_replies() {
    let table = fixture("replies.tsv");
    let mut failures = Vec::new();
    let mut n = 0;
    for row in rows(&table) {
        let cols: Vec<&str> = row.splitn(6, '\t').collect();
        let [want, code, enh, relay, source, text] = cols[..] else {
            panic!("malformed row: {row}");
        };
        n += 1;
        let code = (code != "-").then(|| code.parse::<u16>().unwrap());
        let enh = (enh != "-").then(|| enhanced(enh).unwrap());
        let relay = if relay == "-" { "" } else { relay };
        let got = RULES.verdict(code, enh, text.as_bytes(), relay.as_bytes());
        if got.diagnosis.name() != want {
            let rule = got.rule.map(|r| r.to_string()).unwrap_or_default();
            failures.push(format!(
                "[{source}] want {want}, got {} ({rule}): {text}",
                got.diagnosis
            ));
        }
    }
    assert!(n >= 80, "only {n} rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// How the lines of `lines.tsv` are parsed (their timestamps mostly lack a year).
fn lines_context() -> Context {
    Context {
        year: YearRule::Fixed(2020),
        ..Context::new(0)
    }
}

#[test]
fn real_log_lines_through_the_parser() {
    let table = fixture("lines.tsv");
    let ctx = lines_context();
    let mut failures = Vec::new();
    let mut n = 0;
    for row in rows(&table) {
        let cols: Vec<&str> = row.splitn(4, '\t').collect();
        let [want, want_provider, source, line] = cols[..] else {
            panic!("malformed row: {row}");
        };
        n += 1;
        let Line::Event(e, _) = parse_line(line.as_bytes(), &ctx) else {
            failures.push(format!("[{source}] not an event: {line}"));
            continue;
        };
        let got = RULES.classify(e.code, e.enhanced, e.text, e.relay);
        let got_provider = provider(e.relay);
        if got.name() != want || got_provider != want_provider {
            failures.push(format!(
                "[{source}] want {want}/{want_provider}, got {got}/{got_provider}: {}",
                String::from_utf8_lossy(e.text)
            ));
        }
    }
    assert!(n >= 100, "only {n} rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The real lines of the table whose text has no reply code and names a host: what the
/// rules read is the text with each host masked as a regular expression of the MTAs'
/// notations would mask it (`name[addr]`, `name.with.dots [addr]`, `name=… type=`), and
/// nothing else changed. (A remote server's reply, with a code, is read as written.)
#[test]
fn real_mta_texts_are_read_without_the_hosts_they_name() {
    let table = fixture("lines.tsv");
    let ctx = lines_context();
    let addr = r"\[(IPv6:)?[0-9A-Fa-f.:]*[0-9][0-9A-Fa-f.:]*\]";
    let attached = regex::Regex::new(&format!(r"[A-Za-z0-9._-]+{addr}")).unwrap();
    let spaced = regex::Regex::new(&format!(
        r"(^|[^A-Za-z0-9._-])[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)+ {addr}"
    ))
    .unwrap();
    let name_type = regex::Regex::new(r" name=[^ ]+ type=").unwrap();
    let mut masked = 0;
    let mut scratch = Vec::new();
    for row in rows(&table) {
        let line = row.splitn(4, '\t').nth(3).unwrap();
        let Line::Event(e, _) = parse_line(line.as_bytes(), &ctx) else {
            continue;
        };
        let mut buf = Vec::new();
        let text = mailcodes::diagnose::mask_addresses(e.text, &mut buf);
        let text = String::from_utf8_lossy(text).into_owned();
        let read = mailcodes::diagnose::text_to_classify(e.code, e.text, &mut scratch);
        let read = String::from_utf8_lossy(read).into_owned();
        if e.code.is_some() {
            assert_eq!(read, text, "{line}");
            continue;
        }
        let want = attached.replace_all(&text, "[]");
        let want = spaced.replace_all(&want, "$1[]");
        let want = name_type.replace_all(&want, " name= type=");
        assert_eq!(read, want, "{line}");
        masked += usize::from(read != text);
    }
    // Postfix's `connect to …[…]`, `Name service error for name=…` and Exim's `test.com
    // [1.2.3.4]` in an ACL's message, from the corpus.
    assert!(masked >= 4, "{masked} real texts masked");
}

/// One table per rule group: `(reply text, relay, expected)`.
fn check(group: &[(&str, &str, Diagnosis)]) {
    for (text, relay, want) in group {
        assert_eq!(classify(text, relay), *want, "{text} (relay {relay})");
    }
}

use Diagnosis::*;

#[test]
fn greylisting() {
    check(&[
        ("450 4.2.0 <a@b>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.html", "", Greylisted),
        ("451 4.7.1 Please try again later: graylisted", "mx.example.org", Greylisted),
        ("451-You have been greylisted. This is part of our standard anti-spam measures", "mx.example.org", Greylisted),
        ("4.7.1 Try again later", "", Greylisted),
        // A 421 that closes the connection is throttling, not greylisting.
        ("421 4.7.0 Try again later, closing connection.", "mx.example.org", RateLimited),
    ]);
}

#[test]
fn block_lists() {
    check(&[
        ("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "", Blocklisted),
        ("550 5.7.1 Service unavailable; client [192.0.2.1] blocked using b.barracudacentral.org", "", Blocklisted),
        ("554 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net", "", Blocklisted),
        ("550 Your IP 192.0.2.1 is listed in our DNSBL", "mx.example.org", Blocklisted),
        ("550 Rejected: 192.0.2.1 is on a blacklist", "mx.example.org", Blocklisted),
    ]);
}

#[test]
fn google_rules() {
    let g = "alt1.gmail-smtp-in.l.google.com";
    check(&[
        ("421-4.7.28 Gmail has detected an unusual rate of mail originating from your IP address.", g, RateLimited),
        ("550-5.7.26 This mail has been blocked because the sender is unauthenticated.", g, Authentication),
        ("421-4.7.26 This mail has been rate limited because it is unauthenticated.", g, Authentication),
        ("452-4.2.2 The email account that you tried to reach is over quota.", g, MailboxFull),
        ("552-5.2.2 The email account that you tried to reach is over quota.", g, MailboxFull),
        ("550-5.7.1 Our system has detected that this message is likely unsolicited mail.", g, SpamContent),
        ("550-5.2.1 The email account that you tried to reach is disabled.", g, MailboxDisabled),
    ]);
}

#[test]
fn microsoft_rules() {
    let m = "example-com.mail.protection.outlook.com";
    check(&[
        ("451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)", m, RateLimited),
        ("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", m, Blocklisted),
        ("550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", m, Blocklisted),
        ("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", m, Reputation),
        ("550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification", m, Authentication),
        ("550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", m, UserUnknown),
    ]);
}

#[test]
fn yahoo_and_aol_rules() {
    let y = "mta7.am0.yahoodns.net";
    check(&[
        ("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", y, Reputation),
        ("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list", y, Blocklisted),
        ("554 30 Sorry, your message to a@aol.com cannot be delivered. This mailbox is disabled (554.30).", "mx-aol.mail.gm0.yahoodns.net", MailboxDisabled),
        ("421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints", y, Reputation),
        ("554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]", y, UserUnknown),
    ]);
}

#[test]
fn apple_gmx_mimecast_proofpoint_rules() {
    check(&[
        ("554 5.7.1 [HME1] This message was blocked for failing both SPF and DKIM authentication checks.", "mx01.mail.icloud.com", Authentication),
        ("550 5.7.1 [CS01] Message rejected due to local policy.", "mx02.mail.icloud.com", Policy),
        ("554-Transaction failed 554-Reject due to policy restrictions.", "mx00.gmx.net", Policy),
        ("550 Requested action not taken: mailbox unavailable", "mx-ha03.web.de", UserUnknown),
        ("451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451", "eu-smtp-inbound-1.mimecast.com", Greylisted),
        ("550 csi.mimecast.org Poor Reputation Sender.", "us-smtp-inbound-2.mimecast.com", Reputation),
        ("554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "mx0a-001.pphosted.com", Blocklisted),
    ]);
}

#[test]
fn no_smtp_exchange_is_local() {
    check(&[
        ("delivery temporarily suspended: connect to mx.example.org[192.0.2.1]:25: Connection timed out", "none", Local),
        ("retry time not reached for any host for 'example.org'", "", Local),
        ("first-pass only routing due to -odqs, queue_smtp_domains or control=queue", "", Local),
        ("Retry time not yet reached", "", Local),
    ]);
}

#[test]
fn deferrals_without_a_reply() {
    check(&[
        ("connect to mx.example.org[192.0.2.1]:25: Connection timed out", "none", Connection),
        ("connect to mx.example.org[192.0.2.1]:25: Connection refused", "none", Connection),
        ("connect to mx.example.org[192.0.2.1]:25: No route to host", "none", Connection),
        ("lost connection with mx.example.org[192.0.2.1] while receiving the initial server greeting", "mx.example.org", Connection),
        ("Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found, try again", "none", Dns),
        ("Cannot start TLS: handshake failure", "mx.example.org", Tls),
        ("TLS is required, but was not offered by host mx.example.org[192.0.2.1]", "mx.example.org", Tls),
        ("", "", Other),
    ]);
}

#[test]
fn mailbox_and_address_texts() {
    check(&[
        ("552 5.2.2 Mailbox full", "mx.example.org", MailboxFull),
        (
            "452 4.2.2 <a@b>: Quota exceeded (mailbox for user is full)",
            "mx.example.org",
            MailboxFull,
        ),
        (
            "550 5.2.1 Account disabled",
            "mx.example.org",
            MailboxDisabled,
        ),
        (
            "550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table",
            "",
            UserUnknown,
        ),
        (
            "511 sorry, no mailbox here by that name (#5.1.1 - chkuser)",
            "mx.example.org",
            UserUnknown,
        ),
        ("454 4.7.1 <a@b>: Relay access denied", "", RelayDenied),
        (
            "552 5.3.4 Message size exceeds fixed limit",
            "mx.example.org",
            MessageTooLarge,
        ),
        (
            "504 5.5.2 <x>: Helo command rejected: need fully-qualified hostname",
            "",
            Protocol,
        ),
    ]);
}

#[test]
fn fallbacks_by_enhanced_and_basic_code() {
    let r = &*RULES;
    let e = enhanced;
    // Words no rule knows: the codes decide.
    let words = b"Requested action not taken: blah";
    let cases = [
        (Some(550), e("5.1.1"), UserUnknown),
        (Some(452), e("4.2.2"), MailboxFull),
        (Some(550), e("5.2.1"), MailboxDisabled),
        (Some(550), e("5.7.1"), Policy),
        (Some(550), e("5.7.26"), Authentication),
        (Some(421), e("4.7.28"), RateLimited),
        (Some(451), e("4.4.1"), Connection),
        (Some(550), e("5.4.4"), Dns),
        (Some(552), e("5.3.4"), MessageTooLarge),
        (Some(500), e("5.5.1"), Protocol),
        (Some(421), None, Connection),
        (Some(501), None, Protocol),
        (Some(535), None, Authentication),
        (Some(550), None, Other),
        (None, e("4.4.2"), Connection),
        (None, None, Other),
    ];
    for (code, enh, want) in cases {
        assert_eq!(r.classify(code, enh, words, b""), want, "{code:?} {enh:?}");
    }
    // Provider rules hold only for their provider.
    let text = b"451 4.7.500 Server busy. Please try again later";
    assert_eq!(
        r.classify(
            Some(451),
            e("4.7.500"),
            text,
            b"x.mail.protection.outlook.com"
        ),
        RateLimited
    );
    assert_eq!(
        r.classify(Some(451), e("4.7.500"), text, b"mx.example.org"),
        RateLimited
    );
    let quota = b"550 5.7.1 email quota exceeded";
    assert_eq!(
        r.classify(Some(550), e("5.7.1"), quota, b"aspmx.l.google.com"),
        MailboxFull
    );
}

#[test]
fn mailbox_deferrals_with_the_classifier() {
    let cases = [
        (
            "452-4.2.2 The email account that you tried to reach is over quota.",
            "aspmx.l.google.com",
            true,
        ),
        ("450 4.2.2 Mailbox full", "mx.example.org", true),
        (
            "450 4.2.0 <a@b>: Recipient address rejected: Greylisted",
            "mx.example.org",
            false,
        ),
        (
            "450 4.7.1 Client host rejected: cannot find your hostname",
            "mx.example.org",
            false,
        ),
        (
            "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints",
            "mta5.am0.yahoodns.net",
            false,
        ),
        ("550 5.2.2 Mailbox full", "mx.example.org", false),
    ];
    for (text, relay, want) in cases {
        let code = basic_at(text.as_bytes()).map(|(c, _)| c);
        let enh = enhanced_at(&text.as_bytes()[4..]).map(|e| e.0);
        let d = classify(text, relay);
        assert_eq!(is_mailbox_deferral(code, enh, d), want, "{text}: {d}");
    }
}

#[test]
fn providers() {
    for (relay, want) in [
        ("alt1.gmail-smtp-in.l.google.com", "google"),
        ("ALT2.ASPMX.L.GOOGLE.com", "google"),
        ("example-com.mail.protection.outlook.com", "microsoft"),
        ("hotmail-com.olc.protection.outlook.com", "microsoft"),
        ("mta7.am0.yahoodns.net", "yahoo"),
        ("mx-aol.mail.gm0.yahoodns.net", "yahoo"),
        ("mx01.mail.icloud.com", "apple"),
        ("mx00.gmx.net", "gmx"),
        ("mx-ha03.web.de", "gmx"),
        ("eu-smtp-inbound-1.mimecast.com", "mimecast"),
        ("mx0a-00123.pphosted.com", "proofpoint"),
        ("mx1.example.co.uk", "example.co.uk"),
        ("mail.example.org", "example.org"),
        ("mail.example.org.", "example.org"),
        ("notgoogle.com", "notgoogle.com"),
        ("local", "local"),
        ("none", "local"),
        ("dovecot", "local"),
        ("private/dovecot-lmtp", "local"),
        ("127.0.0.1", "local"),
        ("10.1.2.3", "local"),
        ("::1", "local"),
        ("mail.localhost", "local"),
        ("192.0.2.1", "unknown"),
        ("2001:db8::1", "unknown"),
        ("", "unknown"),
        ("=HYPERLINK(x).evil", "hyperlinkx.evil"),
        ("-x.example", "x.example"),
        ("\u{1b}[31m", "31m"),
    ] {
        assert_eq!(provider(relay.as_bytes()), want, "{relay:?}");
    }
}

#[test]
fn a_user_rule_comes_before_the_builtin_ones() {
    let user = "# local wording\n\
                policy\tRecipient address rejected: Greylisted\tcode=450\n\
                mailbox_full\t*\tenhanced=4.2.0 provider=example.org\n";
    let path = Path::new("site.rules");
    let rules = Rules::with_user_rules(user, path).unwrap();
    let grey = b"450 4.2.0 <a@b>: Recipient address rejected: Greylisted";
    let v = rules.verdict(Some(450), enhanced("4.2.0"), grey, b"");
    assert_eq!(v.diagnosis, Policy);
    assert_eq!(v.rule.unwrap().to_string(), "site.rules:2");
    // The condition on the code keeps the user rule away from a 451.
    assert_eq!(
        rules.classify(Some(451), enhanced("4.2.0"), grey, b""),
        Greylisted
    );
    // A code-only rule, limited to a provider.
    let other = b"450 4.2.0 try later";
    assert_eq!(
        rules.classify(Some(450), enhanced("4.2.0"), other, b"mx.example.org"),
        MailboxFull
    );
    assert_eq!(
        rules.classify(Some(450), enhanced("4.2.0"), other, b"mx.example.net"),
        Other
    );
    let builtin = RULES.verdict(Some(450), enhanced("4.2.0"), grey, b"");
    assert!(builtin
        .rule
        .unwrap()
        .to_string()
        .starts_with("built-in rule "));
    assert_eq!(rules.len(), RULES.len() + 2);
}

#[test]
fn user_rules_may_hold_words_in_other_languages() {
    let rules = Rules::with_user_rules(
        "mailbox_full\tPostfach (ist )?überfüllt\n",
        Path::new("de.rules"),
    )
    .unwrap();
    let text = "452 Das Postfach ist überfüllt".as_bytes();
    assert_eq!(rules.classify(Some(452), None, text, b""), MailboxFull);
    // ASCII letters match in any case; others as written.
    let upper = "452 DAS POSTFACH IST überfüllt".as_bytes();
    assert_eq!(rules.classify(Some(452), None, upper, b""), MailboxFull);
}

#[test]
fn the_readme_example_rule_file_reads() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("# diagnosis<TAB>pattern")
        .expect("example in README");
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    let rules = Rules::with_user_rules(block, Path::new("README.md")).unwrap();
    assert_eq!(rules.len(), RULES.len() + 3);
    let text = b"452 4.2.2 Ihr Postfach voll";
    assert_eq!(
        rules
            .verdict(Some(452), None, text, b"")
            .rule
            .unwrap()
            .to_string(),
        "README.md:2"
    );
}

#[test]
fn broken_user_rules_name_the_file_and_line() {
    let path = Path::new("/etc/mailcodes/site.rules");
    for (text, line, says) in [
        (
            "# ok\n\nmailbox_ful\tquota\n",
            3,
            "unknown diagnosis 'mailbox_ful'",
        ),
        ("mailbox_full\tquota (\n", 1, "bad regular expression"),
        (
            "mailbox_full\tquota\tcode=650\n",
            1,
            "bad condition 'code=650'",
        ),
        (
            "mailbox_full\tquota\tenhanced=5.2\n",
            1,
            "bad condition 'enhanced=5.2'",
        ),
        (
            "mailbox_full\tquota\tcolour=red\n",
            1,
            "bad condition 'colour=red'",
        ),
        ("greylisted\n", 1, "found 1 tab-separated field"),
        (
            "dns\tx\tcode=550\textra\n",
            1,
            "found 4 tab-separated field",
        ),
    ] {
        let err = Rules::with_user_rules(text, path).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, RuleError::Line { line: l, .. } if l == line),
            "{text:?}: {msg}"
        );
        assert!(
            msg.starts_with(&format!("/etc/mailcodes/site.rules:{line}: ")),
            "{msg}"
        );
        assert!(msg.contains(says), "{msg}");
    }
}

#[test]
fn rule_files_are_read_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my.rules");
    std::fs::write(&path, "spam_content\tcontains a virus\n").unwrap();
    let rules = Rules::load(&path).unwrap();
    assert_eq!(
        rules.classify(Some(550), None, b"550 contains a virus", b""),
        SpamContent
    );
    let missing = dir.path().join("missing.rules");
    let err = Rules::load(&missing).unwrap_err();
    assert!(matches!(err, RuleError::Io { .. }));
    assert!(err.to_string().contains("missing.rules"), "{err}");
}

#[test]
fn every_diagnosis_is_reachable_from_the_builtin_rules() {
    // Each diagnosis is the answer for at least one row of the fixtures.
    let replies = fixture("replies.tsv");
    let lines = fixture("lines.tsv");
    for d in Diagnosis::ALL {
        let tab = format!("\n{}\t", d.name());
        assert!(
            replies.contains(&tab) || lines.contains(&tab),
            "no fixture row expects {d}"
        );
    }
}

/// Whether `part` lies inside `whole` (an empty slice anywhere counts).
fn within(whole: &[u8], part: &[u8]) -> bool {
    let (w, p) = (whole.as_ptr() as usize, part.as_ptr() as usize);
    part.is_empty() || (p >= w && p + part.len() <= w + whole.len())
}

/// Pieces that the relay, queue-id and host readers look for, in any order.
const HEADS: &[&str] = &[
    "Nov 28 06:25:13 mx postfix/smtp[1]: 4F9D: ",
    "Nov 28 06:25:13 mx postfix/smtpd[1]: ",
    "2026-11-28 06:25:13 1jmKso-0009d4-Uf ",
    "2026-11-28 06:25:13 ",
];

const PIECES: &[&str] = &[
    "NOQUEUE: reject: RCPT from ",
    "to=<a@b>, ",
    "relay=",
    ", relay=",
    "mx.example.org",
    "[",
    "]",
    ":25",
    ", ",
    "status=deferred (",
    "dsn=4.2.2",
    "** ",
    "== ",
    "a@b ",
    " H=",
    "H=",
    "(helo) ",
    ": host ",
    ": ",
    " from ",
    "rejected RCPT <r@u>: ",
    "private/x",
    "450 4.2.2 full",
    ")",
    "\u{fc}",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

    /// Any arrangement of those pieces: no panic, the new fields are parts of the line, and
    /// the provider is a safe name.
    #[test]
    fn relay_queue_id_and_host_are_parts_of_the_line(
        head in 0..HEADS.len(),
        picks in proptest::collection::vec(0..PIECES.len(), 0..24)
    ) {
        let line: String = std::iter::once(HEADS[head])
            .chain(picks.iter().map(|&i| PIECES[i]))
            .collect();
        let ctx = Context { year: YearRule::Fixed(2026), ..Context::new(0) };
        if let Line::Event(e, _) = parse_line(line.as_bytes(), &ctx) {
            let bytes = line.as_bytes();
            proptest::prop_assert!(within(bytes, e.relay), "relay of {line:?}");
            proptest::prop_assert!(within(bytes, e.queue_id), "queue id of {line:?}");
            proptest::prop_assert!(within(bytes, e.host), "host of {line:?}");
            let p = provider(e.relay);
            proptest::prop_assert!(
                !p.is_empty()
                    && !p.starts_with(['-', '.'])
                    && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)),
                "provider {p:?} of {line:?}"
            );
            let _ = RULES.classify(e.code, e.enhanced, e.text, e.relay);
        }
    }
}

#[test]
fn the_recipient_address_never_decides_a_diagnosis() {
    // A scan masks addresses before the rules read a reply; `explain` and the rules' own
    // `classify` do too, so a pasted reply gets the diagnosis the scan gives it (before,
    // `explain` read `spamhaus` in the address and said blocklisted).
    let text = "550 5.1.1 <spamhaus-fan@example.org>: Recipient address rejected: User unknown";
    assert_eq!(classify(text, ""), UserUnknown);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mailcodes"))
        .args(["explain", text])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("user_unknown"), "{out}");
}

#[test]
fn the_memo_answers_as_the_rules_for_every_reply_and_relay() {
    // Every reply of the table, from every relay of the table and from providers no rule
    // names, asked twice of one memo (as a scan asks it): always the rules' own answer. A
    // memo that kept a provider-dependent verdict under too coarse a key fails here.
    let table = fixture("replies.tsv");
    let mut replies = Vec::new();
    let mut relays = vec![
        "mx1.example.org".to_string(),
        "mail.small-isp.net".to_string(),
        "[192.0.2.7]".to_string(),
        String::new(),
    ];
    for row in rows(&table) {
        let cols: Vec<&str> = row.splitn(6, '\t').collect();
        let [_, code, enh, relay, _, text] = cols[..] else {
            panic!("malformed row: {row}");
        };
        let code = (code != "-").then(|| code.parse::<u16>().unwrap());
        let enh = (enh != "-").then(|| enhanced(enh).unwrap());
        replies.push((code, enh, text.to_string()));
        if relay != "-" && !relays.iter().any(|r| r == relay) {
            relays.push(relay.to_string());
        }
    }
    let mut memo = mailcodes::diagnose::Memo::new();
    let mut scratch = Vec::new();
    let mut asked = 0;
    for _ in 0..2 {
        for relay in &relays {
            for (code, enh, text) in &replies {
                let want = RULES.classify(*code, *enh, text.as_bytes(), relay.as_bytes());
                let masked =
                    mailcodes::diagnose::text_to_classify(*code, text.as_bytes(), &mut scratch);
                let got = memo.classify(&RULES, *code, *enh, masked, relay.as_bytes());
                assert_eq!(got, want, "{text} from {relay}");
                asked += 1;
            }
        }
    }
    assert!(
        relays.len() >= 8 && asked >= 1000,
        "{} relays",
        relays.len()
    );
    // Fewer entries than questions: replies from providers no rule names were shared.
    assert!(memo.len() < replies.len() * relays.len(), "{}", memo.len());
}
