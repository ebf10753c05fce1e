//! Pure parsing: one log line (bytes) in, at most one reply-code event out.
//!
//! Nothing here does I/O or allocates: an [`Event`] borrows from the line it came from.
//! [`header`] reads the timestamp and program tag, then [`postfix`] or [`exim`] read the
//! message, using [`reply`] to recognise codes where a reply starts.

pub mod exim;
pub mod find;
pub mod header;
pub mod postfix;
pub mod reply;

use crate::time::{day_start, Stamp};
use header::{parse_header, Program, RawTime};
pub use reply::{Class, Enhanced};

/// Which MTA wrote an event. Adding one means a variant here, its row in [`Mta::ALL`] and
/// its name, and its parser and prefilter literals in [`DIALECTS`]; every per-MTA counter is
/// an array indexed by [`Mta::index`], sized by [`Mta::COUNT`], so none can be forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mta {
    Postfix,
    Exim,
}

impl Mta {
    /// How many MTAs there are.
    pub const COUNT: usize = 2;
    /// Every MTA, in report order.
    pub const ALL: [Mta; Mta::COUNT] = [Mta::Postfix, Mta::Exim];

    /// Index into per-MTA counters, in the order of [`Mta::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name as reports show it: `Postfix`, `Exim`.
    pub fn name(self) -> &'static str {
        DIALECTS[self.index()].name
    }

    /// The name in lower case, for machine-read outputs: `postfix`, `exim`.
    pub fn id(self) -> &'static str {
        DIALECTS[self.index()].id
    }
}

/// What the scanner needs to know of one MTA's log dialect.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub mta: Mta,
    pub name: &'static str,
    pub id: &'static str,
    /// Literals that every outcome line of this MTA contains (the prefilter's patterns).
    pub literals: &'static [&'static str],
}

/// The dialects, indexed by [`Mta::index`]. The prefilter searches all their literals (in
/// this order: `status=` must stay the first, see `scan::candidates`).
pub const DIALECTS: [Dialect; Mta::COUNT] = [
    Dialect {
        mta: Mta::Postfix,
        name: "Postfix",
        id: "postfix",
        literals: &["status=", "reject:"],
    },
    Dialect {
        mta: Mta::Exim,
        name: "Exim",
        id: "exim",
        literals: &[" =>", " -> ", " == ", " ** ", "rejected "],
    },
];

/// What happened to the message for this recipient, in pflogsumm's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Postfix `status=sent`, Exim `=>` / `->`.
    Delivered,
    /// Postfix `status=deferred` / `softbounce`, Exim `==`.
    Deferred,
    /// Postfix `status=bounced` / `expired`, Exim `**`.
    Bounced,
    /// Postfix `reject:` / `milter-reject:`, Exim `rejected …`.
    Rejected,
    /// An address-verification probe, not a delivery: Postfix `status=deliverable` /
    /// `undeliverable` (verify(8), `sendmail -bv`). Counted apart, as pflogsumm leaves them out.
    Probe,
}

impl Outcome {
    /// All outcomes, in report order.
    pub const ALL: [Outcome; 4] = [
        Outcome::Delivered,
        Outcome::Deferred,
        Outcome::Bounced,
        Outcome::Rejected,
    ];

    /// Index into `[u64; 4]` counters, in the order of [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The class an outcome implies when the line carries no code.
    pub fn default_class(self) -> Class {
        match self {
            Outcome::Delivered | Outcome::Probe => Class::Success,
            Outcome::Deferred => Class::Transient,
            Outcome::Bounced | Outcome::Rejected => Class::Permanent,
        }
    }

    /// Lower-case name: `delivered`, `deferred`, `bounced`, `rejected`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Deferred => "deferred",
            Outcome::Bounced => "bounced",
            Outcome::Rejected => "rejected",
            Outcome::Probe => "probe",
        }
    }
}

/// One SMTP outcome found in a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event<'a> {
    pub time: Option<Stamp>,
    pub code: Option<u16>,
    pub enhanced: Option<Enhanced>,
    pub class: Class,
    pub outcome: Outcome,
    pub mta: Mta,
    /// The recipient address as written (no angle brackets); empty when the line has none.
    pub recipient: &'a [u8],
    /// The reply or status text (may be empty).
    pub text: &'a [u8],
    /// The other end of the exchange, as [`Body::relay`].
    pub relay: &'a [u8],
    /// The Postfix queue id or Exim message id; empty when the line has none (`NOQUEUE`).
    pub queue_id: &'a [u8],
    /// The syslog host field (the server that wrote the line); empty when the line has none.
    pub host: &'a [u8],
}

/// What the MTA parsers return before the timestamp and class are settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body<'a> {
    pub code: Option<u16>,
    pub enhanced: Option<Enhanced>,
    pub outcome: Outcome,
    /// Overrides the outcome's default class when the code is silent (Exim's
    /// `temporarily rejected`).
    pub class_hint: Option<Class>,
    pub recipient: &'a [u8],
    pub text: &'a [u8],
    /// The other end of the exchange: for deliveries the remote host name (Postfix
    /// `relay=mx.example.org[192.0.2.1]:25` and Exim `H=mx.example.org [192.0.2.1]` give
    /// `mx.example.org`; Postfix's `local`, `none`, `dovecot` as written; a Unix socket
    /// such as `private/dovecot-lmtp` when the delivery went to one); for rejections the
    /// client host. A host without a name (`unknown[192.0.2.1]`, Exim's `(helo) [192.0.2.1]`)
    /// gives its address. Empty when the line names none.
    pub relay: &'a [u8],
    /// The Postfix queue id or Exim message id; empty when the line has none.
    pub queue_id: &'a [u8],
}

impl Body<'_> {
    /// The class: from the basic code, else the enhanced code, else the outcome.
    pub fn class(&self) -> Class {
        self.code
            .and_then(|c| Class::from_digit((c / 100) as u8))
            .or_else(|| self.enhanced.and_then(|e| e.class()))
            .or(self.class_hint)
            .unwrap_or_else(|| self.outcome.default_class())
    }
}

/// Which log formats to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Each line is recognised on its own.
    #[default]
    Auto,
    Postfix,
    Exim,
}

/// How to find the year of a timestamp that has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRule {
    /// `--year`.
    Fixed(i64),
    /// The latest year that puts the timestamp no later than `reference` (seconds since
    /// the epoch, usually the file's modification time) plus one day of slack. `year` is the
    /// year of `reference`, kept to save the calendar arithmetic on every line; build it
    /// with [`YearRule::not_after`].
    NotAfter { reference: i64, year: i64 },
}

impl YearRule {
    /// The inferring rule for a reference instant.
    pub fn not_after(reference: i64) -> YearRule {
        let (year, _, _) = crate::time::civil_from_days(reference.div_euclid(86_400));
        YearRule::NotAfter { reference, year }
    }
}

/// Everything the line parser needs to know besides the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub format: Format,
    pub year: YearRule,
    /// `--syslog-name`: accept only Postfix tags that start with this name and a `/`.
    pub syslog_name: Option<Vec<u8>>,
    /// Only events inside this window count (`--since`, `--until`, `-d`).
    pub window: crate::window::Window,
    /// `--host`: the host of events whose line names none.
    pub host: Option<Vec<u8>>,
}

impl Context {
    /// A context that resolves years relative to `reference` (seconds since the epoch).
    pub fn new(reference: i64) -> Context {
        Context {
            format: Format::Auto,
            year: YearRule::not_after(reference),
            syslog_name: None,
            window: crate::window::Window::default(),
            host: None,
        }
    }

    // Inlined into the parser as before `line_time` became its second caller: the hot
    // path must not pay a call for it.
    #[inline(always)]
    fn resolve(&self, t: RawTime) -> Option<Stamp> {
        match t {
            // A date absurdly far from the file's time is trusted for nothing.
            RawTime::Full(s) => match self.year {
                YearRule::NotAfter { reference, .. } => crate::input::plausible(s, reference),
                // Nothing before 1970 is believed (year 0000).
                YearRule::Fixed(_) => s.instant() >= 0,
            }
            .then_some(s),
            RawTime::NoYear { month, day, sod } => {
                // `sod` comes from the header's clock, already checked.
                let mk = |y: i64| day_start(y, month, day).map(|d| d + i64::from(sod));
                match self.year {
                    YearRule::Fixed(y) => mk(y).map(Stamp::naive),
                    YearRule::NotAfter { reference, year } => (0..8)
                        .map(|back| year - back)
                        .filter_map(mk)
                        .find(|secs| *secs <= reference + 86_400)
                        .map(Stamp::naive),
                }
            }
        }
    }
}

/// The result of parsing one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// An event that counts `weight` times (more than once for rsyslog's
    /// `message repeated N times: [ … ]`).
    Event(Event<'a>, u32),
    /// `last message repeated N times`: the previous line counts N more times.
    Repeat(u32),
    /// Anything else: not a mail outcome.
    Other,
}

/// Whether a syslog program name belongs to Postfix: it has a `/` and ends in a daemon name.
pub fn is_postfix_tag(name: &[u8], pinned: Option<&[u8]>) -> bool {
    // The daemon name after the `/` is a few bytes: a loop from the end is done before a
    // memrchr would have started.
    let Some(slash) = name.iter().rposition(|&b| b == b'/') else {
        return false;
    };
    if let Some(pin) = pinned {
        if !(name.starts_with(pin) && name.get(pin.len()) == Some(&b'/')) {
            return false;
        }
    }
    postfix::is_daemon(&name[slash + 1..])
}

fn is_exim_tag(name: &[u8]) -> bool {
    name.starts_with(b"exim")
}

/// Parses one line (without its newline).
pub fn parse_line<'a>(line: &'a [u8], ctx: &'a Context) -> Line<'a> {
    parse_line_at(line, ctx, None)
}

/// [`parse_line`] for a line in which a prefilter has already found the first `status=`
/// (at `status_at`), so the Postfix parser need not look for it again. The position must be
/// that of the first `status=` in the line, if it has one; a position that does not point
/// at a `, status=` after the recipient is ignored and the parser searches as usual.
pub fn parse_line_at<'a>(line: &'a [u8], ctx: &'a Context, status_at: Option<usize>) -> Line<'a> {
    let Some(h) = parse_header(line) else {
        return Line::Other;
    };
    // `--host` names the server of a log that does not (Exim's mainlog).
    let host = match (&ctx.host, h.host) {
        (Some(name), b"") => name.as_slice(),
        _ => h.host,
    };
    let (time, body, mta, weight) = match h.program {
        Program::Repeat(n) => return Line::Repeat(n),
        Program::EximNative => {
            if ctx.format == Format::Postfix {
                return Line::Other;
            }
            (h.time, exim::parse(h.msg), Mta::Exim, 1)
        }
        Program::Tag(name) if is_exim_tag(name) && ctx.format != Format::Postfix => {
            // Exim through syslog, usually with its own (more precise) timestamp inside.
            match header::exim_stamp(h.msg) {
                Some((st, rest)) => (RawTime::Full(st), exim::parse(rest), Mta::Exim, 1),
                None => (h.time, exim::parse(h.msg), Mta::Exim, 1),
            }
        }
        Program::Tag(name)
            if ctx.format != Format::Exim && is_postfix_tag(name, ctx.syslog_name.as_deref()) =>
        {
            let (msg, weight) = rsyslog_repeat(h.msg);
            let hint = status_at.and_then(|p| p.checked_sub(offset_in(line, msg)?));
            (h.time, postfix::parse_at(msg, hint), Mta::Postfix, weight)
        }
        Program::Tag(_) => return Line::Other,
    };
    let Some(body) = body else {
        return Line::Other;
    };
    let ev = Event {
        time: ctx.resolve(time),
        code: body.code,
        enhanced: body.enhanced,
        class: body.class(),
        outcome: body.outcome,
        mta,
        recipient: body.recipient,
        text: body.text,
        relay: body.relay,
        queue_id: body.queue_id,
        host,
    };
    Line::Event(ev, weight)
}

/// The time of any line, mail event or not, as an event on it would have it (Exim through
/// syslog: its own stamp inside); `None` when the line has no header or its time is not
/// believed. Used to date the lines around a change of day, not on every line.
pub fn line_time(line: &[u8], ctx: &Context) -> Option<Stamp> {
    let h = parse_header(line)?;
    let time = match h.program {
        Program::Tag(name) if is_exim_tag(name) && ctx.format != Format::Postfix => {
            match header::exim_stamp(h.msg) {
                Some((st, _)) => RawTime::Full(st),
                None => h.time,
            }
        }
        _ => h.time,
    };
    ctx.resolve(time)
}

/// Where `inner` starts in `outer`, when it is a part of it (`None` for a slice from
/// elsewhere, such as a constant empty one).
fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let off = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
    (off <= outer.len() && inner.len() <= outer.len() - off).then_some(off)
}

/// rsyslog's reduction: `message repeated 3 times: [ original message]`.
fn rsyslog_repeat(msg: &[u8]) -> (&[u8], u32) {
    let Some(rest) = msg.strip_prefix(b"message repeated ") else {
        return (msg, 1);
    };
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(inner) = rest.get(n..).and_then(|r| r.strip_prefix(b" times: [")) else {
        return (msg, 1);
    };
    let count = std::str::from_utf8(&rest[..n])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let inner = inner.strip_prefix(b" ").unwrap_or(inner);
    let inner = inner.strip_suffix(b"]").unwrap_or(inner);
    (inner, count)
}

/// The first `<…>` address after `key` (such as `to=<`) in `s`; empty for `<>`.
pub(crate) fn angle_value<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    // The searchers are built once (find.rs): `memmem::find` would build one per call.
    let at = match key {
        [one] => memchr::memchr(*one, s)?,
        b"to=<" => find::find(&find::TO, s)?,
        _ => memchr::memmem::find(s, key)?,
    } + key.len();
    let end = memchr::memchr(b'>', &s[at..])?;
    Some(&s[at..at + end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_inference_rolls_back_over_new_year() {
        // File last written 2027-01-02: December lines are from 2026, January lines from 2027.
        let reference = crate::time::days_from_civil(2027, 1, 2) * 86_400;
        let ctx = Context::new(reference);
        let at = |ctx: &Context, month, day, sod| {
            ctx.resolve(RawTime::NoYear { month, day, sod })
                .unwrap()
                .to_string()
        };
        assert_eq!(at(&ctx, 12, 31, 0), "2026-12-31T00:00:00");
        assert_eq!(at(&ctx, 1, 1, 0), "2027-01-01T00:00:00");
        // Feb 29 finds the last leap year that is not in the future.
        assert_eq!(at(&ctx, 2, 29, 0), "2024-02-29T00:00:00");
        let fixed = Context {
            year: YearRule::Fixed(2020),
            ..ctx
        };
        assert_eq!(at(&fixed, 3, 1, 61), "2020-03-01T00:01:01");
    }

    #[test]
    fn postfix_tags() {
        for t in [
            &b"postfix/smtp"[..],
            b"postfix-mx/smtp",
            b"postfix/submission/smtpd",
            b"relay/smtp",
            b"postfix-10.20.30.40/lmtp",
        ] {
            assert!(is_postfix_tag(t, None), "{}", String::from_utf8_lossy(t));
        }
        for t in [
            &b"smtp"[..],
            b"postfix",
            b"dovecot",
            b"amavis/x",
            b"opendkim",
        ] {
            assert!(!is_postfix_tag(t, None));
        }
        assert!(is_postfix_tag(b"postfix-mx/smtp", Some(b"postfix-mx")));
        assert!(!is_postfix_tag(b"postfix/smtp", Some(b"postfix-mx")));
    }

    #[test]
    fn offsets_of_parts_and_of_other_slices() {
        let line = b"abc: def";
        assert_eq!(offset_in(line, &line[5..]), Some(5));
        assert_eq!(offset_in(line, &line[8..]), Some(8));
        assert_eq!(offset_in(line, &line[..0]), Some(0));
        assert_eq!(offset_in(line, &[]), None);
        assert_eq!(offset_in(&line[..3], &line[2..6]), None);
    }

    #[test]
    fn host_relay_and_queue_id_reach_the_event() {
        let ctx = Context::new(2_000_000_000);
        // (line, host, relay, queue id)
        let cases: [(&[u8], &str, &str, &str); 3] = [
            (b"Jan 10 08:35:01 mail postfix/smtp[2946]: 4F9D: to=<a@b>, relay=mx.example.org[192.0.2.1]:25, delay=1, dsn=4.2.2, status=deferred (host mx.example.org[192.0.2.1] said: 452 4.2.2 full)", "mail", "mx.example.org", "4F9D"),
            (b"2020-06-19 04:54:02 1jmFYj-00039V-QX == bob@null.corp R=dnslookup T=remote_smtp defer (110): Connection timed out", "", "", "1jmFYj-00039V-QX"),
            (b"Apr 28 10:00:00 server exim[123]: 2016-04-28 10:00:00 [1] 1b8lwj-0003bo-6W ** a@b R=dnslookup T=remote_smtp H=mx.b [1.2.3.4]: SMTP error from remote mail server after RCPT TO:<a@b>: 550 no", "server", "mx.b", "1b8lwj-0003bo-6W"),
        ];
        for (line, host, relay, qid) in cases {
            let Line::Event(e, _) = parse_line(line, &ctx) else {
                panic!("{}", String::from_utf8_lossy(line));
            };
            let want = (host.as_bytes(), relay.as_bytes(), qid.as_bytes());
            assert_eq!((e.host, e.relay, e.queue_id), want);
        }
    }

    #[test]
    fn rsyslog_reduction() {
        let ctx = Context::new(2_000_000_000);
        let l = b"Nov 28 06:25:13 mx postfix/smtpd[1]: message repeated 3 times: [ NOQUEUE: reject: RCPT from x[1.2.3.4]: 450 4.2.0 <a@b>: Greylisted; from=<s@t> to=<a@b> proto=ESMTP helo=<x>]";
        match parse_line(l, &ctx) {
            Line::Event(e, 3) => assert_eq!(e.code, Some(450)),
            other => panic!("{other:?}"),
        }
    }
}
