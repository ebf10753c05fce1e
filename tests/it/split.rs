//! Property tests: splitting the input at any line boundaries and merging the pieces (in
//! any order, with their edges resolved) gives the same statistics, CSV files and
//! persistent-450 list as one pass.

use mailcodes::parse::{Context, YearRule};
use mailcodes::persistent::Rule;
use mailcodes::report::csv::render_all;
use mailcodes::report::table::Report;
use mailcodes::scan::{resolve_edges, Scanner};
use mailcodes::stats::Stats;
use proptest::prelude::*;

/// Line templates: reply texts from real logs (see fixtures/persistent/README.md); `{t}` is
/// the time, `{r}` the recipient.
pub const TEMPLATES: &[&str] = &[
    "Nov 28 {t} mx postfix/smtp[1]: A1: to=<{r}>, relay=mx[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (host mx[192.0.2.1] said: 450 4.2.2 <{r}>: Mailbox full (in reply to RCPT TO command))",
    "Nov 28 {t} mx postfix/smtp[1]: A2: to=<{r}>, relay=open.example.nl[10.49.140.10]:25, delay=2.3, dsn=4.2.0, status=deferred (host open.example.nl[10.49.140.10] said: 450 4.2.0 <{r}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/lists.example.org.html (in reply to RCPT TO command))",
    "Nov 28 {t} mx postfix/smtp[1]: A3: to=<{r}>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F9D1C2)",
    "Nov 28 {t} mx postfix/smtpd[2]: NOQUEUE: reject: RCPT from unknown[1.2.3.4]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [2.3.4.5]; from=<meow@kitty.com> to=<{r}> proto=ESMTP helo=<kitty.com>",
    "Nov 28 {t} mx postfix/smtpd[2]: NOQUEUE: reject: RCPT from relay[198.51.100.7]: 450 4.2.1 <{r}>: Recipient address rejected: account suspended; from=<n@example.org> to=<{r}> proto=ESMTP helo=<relay>",
    "2026-11-28 {t} 10HmbF-000000005vi-0000 == {r} R=remote T=smtp defer (-44) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after RCPT TO:<{r}>: 450 Recipient bad",
    "2026-11-28 {t} 10HmbF-000000005vi-0000 => {r} R=remote T=smtp H=127.0.0.1 [127.0.0.1] C=\"250 OK id=10HmbB-000000005vi-0000\"",
    "Nov 28 {t} mx last message repeated 3 times",
    "Nov 28 {t} mx postfix/qmgr[3]: A1: removed",
    "Nov 28 {t} mx postfix/smtp[1]: A4: to=<{r}>, relay=x[192.0.2.1]:25, delay=1, dsn=5.1.1, status=bounced (host x said: 550 5.1.1 <{r}>: User unknown)",
];

pub const RECIPIENTS: &[&str] = &[
    "a@example.net",
    "B@Example.net",
    "b@example.net",
    "c@test.ex",
    "d@x.org",
];

pub fn render(lines: &[(usize, usize, u32)]) -> String {
    let mut out = String::new();
    for (tpl, rcpt, minute) in lines {
        let t = format!(
            "{:02}:{:02}:{:02}",
            minute / 60 % 24,
            minute % 60,
            minute % 7
        );
        out.push_str(
            &TEMPLATES[*tpl]
                .replace("{t}", &t)
                .replace("{r}", RECIPIENTS[*rcpt]),
        );
        out.push('\n');
    }
    out
}

pub fn scanner() -> Scanner {
    Scanner::new(Context {
        year: YearRule::Fixed(2026),
        ..Context::new(0)
    })
}

pub fn csvs(s: &Stats) -> Vec<(String, Vec<u8>)> {
    render_all(&Report::new(s, &Rule::default(), &[], None)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn splitting_never_changes_results(
        lines in prop::collection::vec((0..TEMPLATES.len(), 0..RECIPIENTS.len(), 0u32..1440), 1..80),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let log = render(&lines);
        let bytes = log.as_bytes();
        let sc = scanner();
        let whole = sc.scan(bytes);
        let boundaries: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
        let mut at: Vec<usize> = cuts.iter().map(|c| boundaries[c.index(boundaries.len())]).collect();
        at.sort_unstable();
        at.dedup();
        // Pieces are merged last to first: only their edges carry the order, as in the
        // parallel pipeline.
        let mut pieces = Vec::new();
        let mut from = 0;
        for cut in at.into_iter().chain(std::iter::once(bytes.len())) {
            pieces.push(sc.scan_part(&bytes[from..cut], pieces.len()));
            from = cut;
        }
        let mut merged = Stats::default();
        let mut edges = Vec::new();
        for (stats, edge) in pieces.into_iter().rev() {
            merged.merge(stats);
            edges.push(edge);
        }
        resolve_edges(&mut merged, edges);
        prop_assert_eq!(merged.lines, whole.lines);
        prop_assert_eq!(merged.events, whole.events);
        prop_assert_eq!(merged.event_lines, whole.event_lines);
        let rule = Rule::default();
        let a: Vec<_> = merged.persistent.persistent(&rule).iter().map(|p| (p.recipient.to_vec(), p.evidence.clone(), p.reason)).collect();
        let b: Vec<_> = whole.persistent.persistent(&rule).iter().map(|p| (p.recipient.to_vec(), p.evidence.clone(), p.reason)).collect();
        prop_assert_eq!(a, b);
        prop_assert_eq!(csvs(&merged), csvs(&whole));
    }

    #[test]
    fn merge_order_of_recipient_evidence_does_not_matter(
        lines in prop::collection::vec((0..7usize, 0..RECIPIENTS.len(), 0u32..1440), 1..60),
        cut in any::<prop::sample::Index>(),
    ) {
        // Evidence is merged by time, not by position: scanning the halves in either order
        // gives the same persistent list.
        let log = render(&lines);
        let bytes = log.as_bytes();
        let boundaries: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
        let c = boundaries[cut.index(boundaries.len())];
        let sc = scanner();
        let mut ab = sc.scan(&bytes[..c]).persistent;
        ab.merge(sc.scan(&bytes[c..]).persistent);
        let mut ba = sc.scan(&bytes[c..]).persistent;
        ba.merge(sc.scan(&bytes[..c]).persistent);
        let rule = Rule { min_attempts: 2, min_span_secs: 600 };
        let a: Vec<_> = ab.persistent(&rule).iter().map(|p| (p.recipient.to_vec(), p.evidence.clone())).collect();
        let b: Vec<_> = ba.persistent(&rule).iter().map(|p| (p.recipient.to_vec(), p.evidence.clone())).collect();
        prop_assert_eq!(a, b);
    }
}
