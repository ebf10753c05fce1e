//! The text summary on stdout: compact and aligned, fit to be mailed by cron.

use crate::kb::{self, Code};
use crate::parse::{Class, Outcome};
use crate::persistent::{Reason, Rule};
use crate::report::clean_text;
use crate::stats::Stats;
use std::io::{self, Write};

/// What the summary needs besides the statistics.
#[derive(Debug, Clone, Default)]
pub struct Summary<'a> {
    /// Input names, as given.
    pub inputs: &'a [String],
    pub rule: Rule,
    /// How many rows each top list shows.
    pub top: usize,
    /// A line describing the date window, if one was set.
    pub window: Option<String>,
}

fn pct(n: u64, total: u64) -> String {
    if total == 0 {
        "0.0%".into()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

/// Writes the summary.
pub fn write<W: Write>(mut w: W, s: &Stats, opts: &Summary<'_>) -> io::Result<()> {
    writeln!(w, "mailcodes summary: {}", opts.inputs.join(", "))?;
    if let Some(win) = &opts.window {
        writeln!(w, "  window    {win}")?;
    }
    match (s.first, s.last) {
        (Some(a), Some(b)) => writeln!(w, "  period    {a} .. {b}")?,
        _ => writeln!(w, "  period    (no timestamped events)")?,
    }
    write!(
        w,
        "  lines     {} read, {} skipped (not mail events)",
        s.lines,
        s.skipped()
    )?;
    if s.overlong_lines > 0 {
        write!(w, ", {} over-long", s.overlong_lines)?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "  events    {} (Postfix {}, Exim {})",
        s.events, s.mtas[0], s.mtas[1]
    )?;
    let outcomes: Vec<String> = Outcome::ALL
        .iter()
        .map(|o| format!("{} {}", o.label(), s.outcome(*o)))
        .collect();
    writeln!(w, "  outcomes  {}", outcomes.join(", "))?;
    writeln!(w)?;
    writeln!(w, "  class      count   share")?;
    for c in Class::ALL {
        let n = s.classes[c.index()];
        writeln!(w, "  {:<5} {:>10} {:>7}", c.label(), n, pct(n, s.events))?;
    }
    let mut codes: Vec<(u16, u64)> = s.codes.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !codes.is_empty() {
        writeln!(w)?;
        writeln!(w, "  top codes       count  meaning")?;
        for (code, n) in codes.iter().take(opts.top) {
            writeln!(
                w,
                "  {code:<9} {n:>11}  {}",
                kb::meaning(Code::Basic(*code))
            )?;
        }
    }
    let mut enhanced = s.enhanced_sorted();
    enhanced.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !enhanced.is_empty() {
        writeln!(w)?;
        writeln!(w, "  top enhanced    count  meaning")?;
        for (e, n) in enhanced.iter().take(opts.top) {
            writeln!(
                w,
                "  {:<9} {n:>11}  {}",
                e.to_string(),
                kb::meaning(Code::Enhanced(*e))
            )?;
        }
    }
    let failing: Vec<_> = crate::report::csv::sorted_domains(s)
        .into_iter()
        .filter(|(_, c)| c[1] + c[2] > 0)
        .map(|(d, c)| (d, c[1], c[2]))
        .collect();
    let mut failing = failing;
    failing.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    if !failing.is_empty() {
        writeln!(w)?;
        let width = failing
            .iter()
            .take(opts.top)
            .map(|f| f.0.chars().count())
            .max()
            .unwrap_or(6)
            .clamp(6, 40);
        writeln!(
            w,
            "  {:<width$} {:>8} {:>8}",
            "top failing domains",
            "4xx",
            "5xx",
            width = width.max(19)
        )?;
        for (d, t, p) in failing.iter().take(opts.top) {
            writeln!(w, "  {:<width$} {t:>8} {p:>8}", d, width = width.max(19))?;
        }
    }
    advice(&mut w, &codes)?;
    persistent(&mut w, s, opts)?;
    Ok(())
}

/// For the three most frequent 4xx/5xx codes: how to fix them.
fn advice<W: Write>(w: &mut W, codes: &[(u16, u64)]) -> io::Result<()> {
    let failures: Vec<_> = codes.iter().filter(|(c, _)| *c >= 400).take(3).collect();
    if failures.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "  what to do about the most frequent failures")?;
    for (code, _) in failures {
        if let Some(e) = kb::lookup(Code::Basic(*code)) {
            writeln!(w, "  {code}  {}", e.fix)?;
        }
    }
    Ok(())
}

fn persistent<W: Write>(w: &mut W, s: &Stats, opts: &Summary<'_>) -> io::Result<()> {
    let stuck = s.persistent.persistent(&opts.rule);
    let (recovered, greylisted) = s.persistent.recovered();
    writeln!(w)?;
    let by_reason: Vec<String> = Reason::ALL
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.label(),
                stuck.iter().filter(|p| p.reason == *r).count()
            )
        })
        .collect();
    writeln!(
        w,
        "  persistent 450s: {} recipient(s) ({}); rule: >= {} mailbox 450s over >= {}",
        stuck.len(),
        by_reason.join(", "),
        opts.rule.min_attempts,
        crate::time::format_span(opts.rule.min_span_secs)
    )?;
    let shown: Vec<_> = stuck
        .iter()
        .take(opts.top)
        .map(|p| (clean_text(p.recipient), p))
        .collect();
    let width = shown
        .iter()
        .map(|(r, _)| r.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    let digits = shown
        .iter()
        .map(|(_, p)| p.evidence.attempts.to_string().len())
        .max()
        .unwrap_or(1);
    for (recipient, p) in &shown {
        let e = &p.evidence;
        let since = e.first_mailbox.map(|t| t.to_string()).unwrap_or_default();
        writeln!(
            w,
            "    {recipient:<width$}  {:>digits$} attempts since {since}  {}",
            e.attempts,
            p.reason.label()
        )?;
    }
    writeln!(w, "  recovered: {recovered} recipient(s) got a 450 or greylisting deferral and later a 2xx ({greylisted} greylisted)")?;
    Ok(())
}
