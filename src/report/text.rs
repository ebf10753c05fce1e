//! The text summary on stdout: compact and aligned, fit to be mailed by cron. It reads the
//! same [`Report`] as every other format and only chooses what to show.

use crate::kb::{self, Code};
use crate::report::table::{Cell, Report, Rows, Table};
use std::io::{self, Write};

/// What the summary needs besides the report.
#[derive(Debug, Clone)]
pub struct Summary {
    /// How many rows each top list shows.
    pub top: usize,
    /// Columns to wrap long lines at: the terminal's width, 80 when not a terminal.
    pub width: usize,
}

impl Summary {
    /// A summary for standard output: the terminal's width, or 80.
    pub fn for_stdout(top: usize) -> Summary {
        let term = console::Term::stdout();
        let width = if term.is_term() {
            usize::from(term.size().1)
        } else {
            80
        };
        Summary {
            top,
            width: width.max(40),
        }
    }
}

/// `text` after `lead`, wrapped at spaces to `width` columns; continuation lines are
/// indented to where the text started. A word longer than the line stays whole.
pub fn wrap(lead: &str, text: &str, width: usize) -> String {
    let indent = lead.chars().count();
    let mut out = String::from(lead);
    let mut col = indent;
    let mut first = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !first && col + 1 + len > width {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            col = indent;
        } else if !first {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
        first = false;
    }
    out
}

/// The line after a list cut at `shown` of `total` rows.
fn more<W: Write>(w: &mut W, shown: usize, total: usize) -> io::Result<()> {
    if total > shown {
        writeln!(w, "  … and {} more", total - shown)?;
    }
    Ok(())
}

fn pct(n: u64, total: u64) -> String {
    if total == 0 {
        "0.0%".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

/// Writes the summary.
pub fn write<W: Write>(mut w: W, r: &Report, opts: &Summary) -> io::Result<()> {
    header(&mut w, r)?;
    let codes = by_count(r.table("codes"), 0, 2);
    top_codes(&mut w, "top codes", &codes, opts)?;
    let enhanced = by_count(r.table("enhanced"), 0, 2);
    top_codes(&mut w, "top enhanced", &enhanced, opts)?;
    failing_domains(&mut w, r.table("domains"), opts.top)?;
    why_failed(&mut w, r, opts)?;
    advice(&mut w, &codes, opts.width)?;
    persistent(&mut w, r, opts.top, opts.width)?;
    Ok(())
}

fn header<W: Write>(w: &mut W, r: &Report) -> io::Result<()> {
    let f = &r.facts;
    writeln!(w, "mailcodes summary: {}", f.inputs.join(", "))?;
    if let Some(win) = &f.window {
        writeln!(w, "  window    {win}")?;
    }
    match (f.first, f.last) {
        (Some(a), Some(b)) => writeln!(w, "  period    {a} .. {b}")?,
        _ => writeln!(w, "  period    (no timestamped events)")?,
    }
    write!(
        w,
        "  lines     {} read, {} skipped (not mail events)",
        f.lines, f.skipped
    )?;
    if f.overlong > 0 {
        write!(w, ", {} over-long", f.overlong)?;
    }
    if f.bad_times > 0 {
        write!(w, ", {} event(s) with a bad timestamp", f.bad_times)?;
    }
    writeln!(w)?;
    let mtas: Vec<String> = f.mtas.iter().map(|(m, n)| format!("{m} {n}")).collect();
    write!(w, "  events    {} ({})", f.events, mtas.join(", "))?;
    if f.without_code > 0 {
        write!(w, ", {} without a reply code", f.without_code)?;
    }
    writeln!(w)?;
    let outcomes: Vec<String> = f.outcomes.iter().map(|(o, n)| format!("{o} {n}")).collect();
    writeln!(w, "  outcomes  {}", outcomes.join(", "))?;
    if f.probes > 0 {
        writeln!(
            w,
            "  probes    {} address verification(s) (deliverable/undeliverable), not counted as mail",
            f.probes
        )?;
    }
    writeln!(w)?;
    writeln!(w, "  class      count   share")?;
    for (c, n) in &f.classes {
        writeln!(w, "  {c:<5} {n:>10} {:>7}", pct(*n, f.events))?;
    }
    Ok(())
}

/// `(label, count)` of a table's rows, by count descending; ties keep the table's order
/// (codes ascending).
fn by_count(table: Option<&Table>, label: usize, count: usize) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = table
        .into_iter()
        .flat_map(|t| &t.rows)
        .map(|row| (row[label].plain(), row[count].count().unwrap_or(0)))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    rows
}

fn top_codes<W: Write>(
    w: &mut W,
    title: &str,
    rows: &[(String, u64)],
    opts: &Summary,
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "  {title:<12}    count  meaning")?;
    for (code, n) in rows.iter().take(opts.top) {
        let meaning = Code::parse(code).map(kb::meaning).unwrap_or_default();
        let lead = format!("  {code:<9} {n:>11}  ");
        writeln!(w, "{}", wrap(&lead, &meaning, opts.width))?;
    }
    more(w, opts.top.min(rows.len()), rows.len())
}

fn failing_domains<W: Write>(w: &mut W, table: Option<&Table>, top: usize) -> io::Result<()> {
    // Borrowed names, and only the shown ones sorted: a log may name millions of domains.
    let mut failing: Vec<(&str, u64, u64)> = table
        .into_iter()
        .flat_map(|t| &t.rows)
        .filter_map(|row| {
            let n = |i: usize| row[i].count().unwrap_or(0);
            let (t, p) = (n(2), n(3));
            (t + p > 0).then(|| (row[0].text().unwrap_or_default(), t, p))
        })
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    let all = failing.len();
    let order = |a: &(&str, u64, u64), b: &(&str, u64, u64)| {
        (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(b.0))
    };
    if all > top {
        failing.select_nth_unstable_by(top, order);
        failing.truncate(top);
    }
    failing.sort_by(order);
    writeln!(w)?;
    let width = failing
        .iter()
        .take(top)
        .map(|f| f.0.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 40)
        .max(19);
    writeln!(
        w,
        "  {:<width$} {:>8} {:>8}",
        "top failing domains", "4xx", "5xx"
    )?;
    for (d, t, p) in failing.iter().take(top) {
        writeln!(w, "  {d:<width$} {t:>8} {p:>8}")?;
    }
    more(w, top.min(all), all)
}

/// For the three most frequent 4xx/5xx codes: how to fix them.
fn advice<W: Write>(w: &mut W, codes: &[(String, u64)], width: usize) -> io::Result<()> {
    let failures: Vec<Code> = codes
        .iter()
        .filter_map(|(c, _)| Code::parse(c).ok())
        .filter(|c| matches!(c, Code::Basic(n) if *n >= 400))
        .take(3)
        .collect();
    if failures.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "  what to do about the most frequent failures")?;
    for code in failures {
        if let (Code::Basic(n), Some(e)) = (code, kb::lookup(code)) {
            writeln!(w, "{}", wrap(&format!("  {n}  "), e.fix, width))?;
        }
    }
    Ok(())
}

fn persistent<W: Write>(w: &mut W, r: &Report, top: usize, columns: usize) -> io::Result<()> {
    let f = &r.facts;
    let empty = Rows::default();
    let rows = r.table("persistent_450").map_or(&empty, |t| &t.rows);
    writeln!(w)?;
    let by_reason: Vec<String> = f
        .persistent
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    let line = format!(
        "{} recipient(s) ({}); rule: >= {} mailbox 450s over >= {}",
        rows.len(),
        by_reason.join(", "),
        f.rule.min_attempts,
        crate::time::format_span(f.rule.min_span_secs)
    );
    writeln!(w, "{}", wrap("  persistent 450s: ", &line, columns))?;
    let shown: Vec<&[Cell]> = rows.iter().take(top).collect();
    let width = shown
        .iter()
        .map(|row| row[0].plain().chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let digits = shown
        .iter()
        .map(|row| row[1].plain().len())
        .max()
        .unwrap_or(1);
    for row in &shown {
        let (recipient, attempts) = (row[0].plain(), row[1].plain());
        let (since, reason) = (row[2].plain(), row[4].plain());
        writeln!(
            w,
            "    {recipient:<width$}  {attempts:>digits$} attempts since {since}  {reason}"
        )?;
    }
    more(w, shown.len(), rows.len())?;
    let line = format!(
        "{} recipient(s) got a 450 or greylisting deferral and later a 2xx ({} greylisted)",
        f.recovered, f.recovered_greylisted
    );
    writeln!(w, "{}", wrap("  recovered: ", &line, columns))?;
    Ok(())
}

/// "Why mail failed": the top diagnoses (summed over classes) with their top provider and
/// fix, and how many failures carried no SMTP reply at all.
fn why_failed<W: Write>(w: &mut W, r: &Report, opts: &Summary) -> io::Result<()> {
    let Some(t) = r.table("diagnoses") else {
        return Ok(());
    };
    if t.rows.is_empty() {
        return Ok(());
    }
    // Rows come by count; the first row of a diagnosis has its top provider and fix.
    let mut order: Vec<(String, u64, String, String)> = Vec::new();
    for row in &t.rows {
        let name = row[0].plain();
        let n = row[2].count().unwrap_or(0);
        match order.iter_mut().find(|o| o.0 == name) {
            Some(o) => o.1 += n,
            None => order.push((name, n, row[4].plain(), row[6].plain())),
        }
    }
    order.sort_by_key(|o| std::cmp::Reverse(o.1));
    writeln!(w)?;
    writeln!(w, "  {:<20} {:>10}  mostly at", "why mail failed", "count")?;
    for (name, n, provider, fix) in order.iter().take(opts.top) {
        writeln!(w, "  {name:<20} {n:>10}  {provider}")?;
        writeln!(w, "{}", wrap("      ", fix, opts.width))?;
    }
    more(w, opts.top.min(order.len()), order.len())?;
    let none = r.facts.without_reply;
    if none > 0 {
        let line = format!(
            "{none} failure(s) carried no SMTP reply at all: the remote server was never \
             reached or our side stopped first (connection, DNS, local)"
        );
        writeln!(w, "{}", wrap("  ", &line, opts.width))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_failing_domains_are_the_biggest_by_4xx_and_5xx_then_name() {
        // Rows as the domains table has them (by total), with ties on failures and
        // domains that never failed; only the top two are shown, the rest counted.
        let rows = [
            ("busy.example", [900, 0, 0]),
            ("c.example", [0, 3, 2]),
            ("a.example", [1, 5, 0]),
            ("b.example", [0, 0, 5]),
            ("d.example", [0, 1, 0]),
            ("ok.example", [7, 0, 0]),
        ]
        .into_iter()
        .map(|(d, c)| {
            let total = Cell::Count(c.iter().sum());
            [
                Cell::Text(d.into()),
                Cell::Count(c[0]),
                Cell::Count(c[1]),
                Cell::Count(c[2]),
                total,
            ]
        })
        .collect();
        let t = Table {
            name: "domains",
            columns: &["domain", "2xx", "4xx", "5xx", "total"],
            rows,
        };
        let mut out = Vec::new();
        failing_domains(&mut out, Some(&t), 2).unwrap();
        let text = String::from_utf8(out).unwrap();
        let names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().split(' ').next())
            .filter(|w| w.ends_with(".example"))
            .collect();
        // a, b and c all failed 5 times: by name.
        assert_eq!(names, ["a.example", "b.example"], "{text}");
        assert!(text.contains("… and 2 more"), "{text}");
        let mut none = Vec::new();
        failing_domains(&mut none, Some(&t), 0).unwrap();
        assert!(String::from_utf8(none).unwrap().contains("… and 4 more"));
    }

    #[test]
    fn the_summary_of_its_own_tables_is_the_summary_of_every_table() {
        // The sample logs, and failures at domains whose names need cleaning (one of them
        // cleaning to the name of a domain that only delivered).
        let odd: [&[u8]; 3] = [
            b"Jan 29 10:00:00 mx postfix/smtp[1]: A1: to=<a@Ok.example>, relay=mx.ok.example[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n",
            b"Jan 29 10:00:01 mx postfix/smtp[1]: A2: to=<b@ok\x01.example>, relay=mx.ok.example[1.2.3.4]:25, delay=1, dsn=4.2.2, status=deferred (host said: 452 4.2.2 full)\n",
            b"Jan 29 10:00:02 mx postfix/smtp[1]: A3: to=<c@bad\xff.example>, relay=mx.bad.example[1.2.3.5]:25, delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)\n",
        ];
        let mut log = Vec::new();
        for part in [
            &include_bytes!("../../fixtures/sample/postfix-mail.log")[..],
            include_bytes!("../../fixtures/sample/exim-mainlog"),
            include_bytes!("../../fixtures/postfix/lightmeter-mixed.log"),
            include_bytes!("../../fixtures/persistent/mixed.log"),
        ]
        .into_iter()
        .chain(odd)
        {
            log.extend_from_slice(part);
        }
        let stats = crate::scan::Scanner::new(crate::parse::Context {
            year: crate::parse::YearRule::Fixed(2026),
            ..crate::parse::Context::new(0)
        })
        .scan(&log);
        assert!(stats.domain_counts().count() > 20);
        let rule = crate::persistent::Rule::default();
        for parallel in [false, true] {
            let text =
                |scope| {
                    let report = crate::report::table::Counted::new(&stats, parallel, scope)
                        .finish(&stats, &rule, &["log".into()], None);
                    let mut out = Vec::new();
                    write(&mut out, &report, &Summary { top: 3, width: 80 }).unwrap();
                    String::from_utf8(out).unwrap()
                };
            let all = text(crate::report::table::Scope::All);
            assert!(all.contains("top failing domains") && all.contains("mostly at"));
            assert_eq!(text(crate::report::table::Scope::Summary), all);
        }
    }
}
