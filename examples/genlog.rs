//! Writes a realistic Postfix or Exim log of a given size with a fixed seed, so benchmark
//! figures can be reproduced anywhere:
//!
//! ```sh
//! cargo run --release --example genlog -- --mta postfix --size 1G --seed 42 --output /tmp/mail.log
//! ```
//!
//! Each message produces the lines a real server writes (connect, client, cleanup, qmgr,
//! delivery, removed, disconnect, plus noise from other programs); about one line in seven
//! is an SMTP outcome. Outcomes mix deliveries, greylisting, full mailboxes, unknown users
//! and policy rejections over a bounded set of recipients.
//!
//! `--mix` picks another population, for measuring speed and memory at scale honestly:
//!
//! - `bundled` (default): the mix above, 20,000 recipients;
//! - `normal`: a normal server's mix: 80 % sent, 3 % greylisted, 3 % bounced, the rest other
//!   deferrals; about 2 million recipients over 50,000 domains;
//! - `deferral`: deferral-heavy: 35 % of outcomes 4xx, with 20,000 stuck mailboxes (full or
//!   disabled, 450 on every try) and greylisted recipients that get through later;
//! - `dictionary`: a dictionary attack on a greylisting server: every RCPT a new address,
//!   40 % greylisted, 30 % `450 4.2.1` mailbox unavailable, 30 % `550 5.1.1` unknown;
//! - `delivered`: a busy outbound relay: every message to a new address, all delivered,
//!   terse lines (about 5 million recipients per GB);
//! - `domains`: as `delivered`, but every recipient in a domain of its own;
//! - `long-replies`: 2,000 recipients whose 450 replies are 1 KB to 500 KB long.

use std::io::{self, BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "example.org",
    "example.net",
    "mail.example.com",
    "web.de",
    "gmx.de",
    "orange.fr",
    "libero.it",
    "uni-example.edu",
    "corp.example",
    "t-online.de",
];
const HOSTS: &[&str] = &["mx1", "mx2", "relay", "mail", "smtp-in", "mx-backup"];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('K' | 'k') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M' | 'm') => (&s[..s.len() - 1], 1 << 20),
        Some('G' | 'g') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .map(|n| n * mult)
        .map_err(|_| format!("bad size '{s}': use bytes or 512K, 100M, 1G"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mix {
    Bundled,
    Normal,
    Deferral,
    Dictionary,
    Delivered,
    Domains,
    LongReplies,
}

impl Mix {
    fn parse(s: &str) -> Result<Mix, String> {
        Ok(match s {
            "bundled" => Mix::Bundled,
            "normal" => Mix::Normal,
            "deferral" => Mix::Deferral,
            "dictionary" => Mix::Dictionary,
            "delivered" => Mix::Delivered,
            "domains" => Mix::Domains,
            "long-replies" => Mix::LongReplies,
            _ => {
                return Err(format!(
                    "unknown --mix {s}: bundled, normal, deferral, dictionary, delivered, domains or long-replies"
                ))
            }
        })
    }
}

struct Args {
    mix: Mix,
    mta: String,
    size: u64,
    seed: u64,
    output: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        mix: Mix::Bundled,
        mta: "postfix".into(),
        size: 100 << 20,
        seed: 42,
        output: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--mta" => a.mta = val()?,
            "--mix" => a.mix = Mix::parse(&val()?)?,
            "--size" => a.size = parse_size(&val()?)?,
            "--seed" => a.seed = val()?.parse().map_err(|_| "bad --seed".to_string())?,
            "--output" | "-o" => a.output = Some(val()?),
            "-h" | "--help" => {
                return Err(
                    "usage: genlog [--mta postfix|exim] [--mix bundled|normal|deferral|dictionary|delivered|domains|long-replies] [--size 1G] [--seed 42] [--output FILE]"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.mta != "postfix" && a.mta != "exim" {
        return Err("--mta is postfix or exim".into());
    }
    Ok(a)
}

/// Seconds of a fake clock → (month index, day, h, m, s); 2026, starting Jan 1.
fn clock(t: u64) -> (usize, u64, u64, u64, u64) {
    const DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut day = (t / 86_400) % 365;
    let mut month = 0;
    while day >= DAYS[month] {
        day -= DAYS[month];
        month += 1;
    }
    (month, day + 1, t / 3600 % 24, t / 60 % 60, t % 60)
}

/// A client address outside the private ranges' shape: `a.b.c.d`.
fn client_ip(r: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        1 + r.below(223),
        r.below(256),
        r.below(256),
        1 + r.below(254)
    )
}

fn qid(r: &mut Rng) -> String {
    format!("{:010X}", r.next() & 0xff_ffff_ffff)
}

fn exim_id(r: &mut Rng) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut s = String::with_capacity(16);
    for len in [6, 6, 2] {
        if !s.is_empty() {
            s.push('-');
        }
        for _ in 0..len {
            s.push(A[r.below(62) as usize] as char);
        }
    }
    s
}

fn recipient(r: &mut Rng) -> String {
    // A bounded population: 20,000 users over the domains, Zipf-ish by squaring.
    let u = r.below(141);
    let user = u * u;
    format!(
        "user{user}@{}",
        DOMAINS[(user % DOMAINS.len() as u64) as usize]
    )
}

fn postfix_message<W: Write>(w: &mut W, r: &mut Rng, t: u64) -> io::Result<()> {
    let (mo, d, h, mi, s) = clock(t);
    let ts = format!("{} {d:2} {h:02}:{mi:02}:{s:02}", MONTHS[mo]);
    let host = r.pick(HOSTS);
    let pid = 1000 + r.below(30_000);
    let ip = client_ip(r);
    let client = format!("client{}.{}", r.below(5000), r.pick(DOMAINS));
    let mut rcpt = recipient(r);
    let id = qid(r);
    writeln!(
        w,
        "{ts} {host} postfix/smtpd[{pid}]: connect from {client}[{ip}]"
    )?;
    let roll = r.below(100);
    if roll < 8 {
        let reply = match roll {
            0..=3 => format!("450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{}.html", rcpt.split('@').nth(1).unwrap_or("")),
            4..=5 => format!("554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org"),
            6 => format!("450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]"),
            _ => format!("550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
        };
        writeln!(w, "{ts} {host} postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from {client}[{ip}]: {reply}; from=<news@{client}> to=<{rcpt}> proto=ESMTP helo=<{client}>")?;
        writeln!(w, "{ts} {host} postfix/smtpd[{pid}]: disconnect from {client}[{ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")?;
        return Ok(());
    }
    let size = 1000 + r.below(200_000);
    writeln!(
        w,
        "{ts} {host} postfix/smtpd[{pid}]: {id}: client={client}[{ip}]"
    )?;
    writeln!(
        w,
        "{ts} {host} postfix/cleanup[{}]: {id}: message-id=<{}.{}@{client}>",
        pid + 1,
        r.next(),
        r.below(1000)
    )?;
    writeln!(
        w,
        "{ts} {host} opendkim[812]: {id}: s=default d={client} SSL"
    )?;
    writeln!(w, "{ts} {host} postfix/qmgr[977]: {id}: from=<sender{}@{client}>, size={size}, nrcpt=1 (queue active)", r.below(100))?;
    writeln!(w, "{ts} {host} postfix/smtpd[{pid}]: disconnect from {client}[{ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")?;
    let mx = format!("mx{}.{}", r.below(3), rcpt.split('@').nth(1).unwrap_or("x"));
    let mxip = format!("203.0.{}.{}", r.below(256), 1 + r.below(254));
    let delay = format!(
        "delay={}.{}, delays=0.1/0/0.{}/0.{}",
        r.below(9),
        r.below(99),
        r.below(9),
        r.below(9)
    );
    let status = match r.below(100) {
        0..=79 => format!("dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {})", qid(r)),
        80..=87 => format!("dsn=4.2.0, status=deferred (host {mx}[{mxip}] said: 450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted (in reply to RCPT TO command))"),
        88..=90 => format!("dsn=4.2.2, status=deferred (host {mx}[{mxip}] said: 452 4.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command))"),
        91 => {
            // A few mailboxes stay full for good: persistent 450s.
            rcpt = format!("full{}@{}", r.below(20), r.pick(DOMAINS));
            format!("dsn=4.2.2, status=deferred (host {mx}[{mxip}] said: 450 4.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command))")
        }
        92..=93 => format!("dsn=4.4.1, status=deferred (connect to {mx}[{mxip}]:25: Connection timed out)"),
        94..=97 => format!("dsn=5.1.1, status=bounced (host {mx}[{mxip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown (in reply to RCPT TO command))"),
        _ => format!("dsn=4.7.0, status=deferred (host {mx}[{mxip}] refused to talk to me: 421 4.7.0 Try again later)"),
    };
    writeln!(
        w,
        "{ts} {host} postfix/smtp[{}]: {id}: to=<{rcpt}>, relay={mx}[{mxip}]:25, {delay}, {status}",
        pid + 2
    )?;
    writeln!(w, "{ts} {host} postfix/qmgr[977]: {id}: removed")?;
    if r.below(10) == 0 {
        writeln!(w, "{ts} {host} dovecot: imap-login: Login: user=<{rcpt}>, method=PLAIN, rip={ip}, lip=10.0.0.1, mpid={pid}, TLS")?;
    }
    Ok(())
}

fn exim_message<W: Write>(w: &mut W, r: &mut Rng, t: u64) -> io::Result<()> {
    let (mo, d, h, mi, s) = clock(t);
    let ts = format!("2026-{:02}-{d:02} {h:02}:{mi:02}:{s:02}", mo + 1);
    let ip = client_ip(r);
    let client = format!("client{}.{}", r.below(5000), r.pick(DOMAINS));
    let rcpt = recipient(r);
    let id = exim_id(r);
    let roll = r.below(100);
    if roll < 10 {
        let (pre, text) = match roll {
            0..=4 => ("", "relay not permitted"),
            5..=7 => ("temporarily ", "greylisted"),
            _ => ("", "Unrouteable address"),
        };
        writeln!(w, "{ts} H=({client}) [{ip}]:{} I=[10.0.0.1]:25 F=<news@{client}> {pre}rejected RCPT <{rcpt}>: {text}", 1024 + r.below(60000))?;
        return Ok(());
    }
    writeln!(w, "{ts} SMTP connection from ({client}) [{ip}]:{} I=[10.0.0.1]:25 (TCP/IP connection count = {})", 1024 + r.below(60000), r.below(20))?;
    writeln!(w, "{ts} {id} <= news@{client} H=({client}) [{ip}] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S={} id={}@{client}", 1000 + r.below(100_000), r.next())?;
    let mx = format!("mx{}.{}", r.below(3), rcpt.split('@').nth(1).unwrap_or("x"));
    let mxip = format!("203.0.{}.{}", r.below(256), 1 + r.below(254));
    match r.below(100) {
        0..=79 => writeln!(w, "{ts} {id} => {rcpt} R=dnslookup T=remote_smtp H={mx} [{mxip}] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 OK {} - gsmtp\"", r.next())?,
        80..=89 => writeln!(w, "{ts} {id} == {rcpt} R=dnslookup T=remote_smtp defer (-44) H={mx} [{mxip}]: SMTP error from remote mail server after RCPT TO:<{rcpt}>: 450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted")?,
        90..=93 => writeln!(w, "{ts} {id} == {rcpt} R=dnslookup T=remote_smtp defer (-44) H={mx} [{mxip}]: SMTP error from remote mail server after RCPT TO:<{rcpt}>: 452 4.2.2 Mailbox full")?,
        _ => writeln!(w, "{ts} {id} ** {rcpt} R=dnslookup T=remote_smtp H={mx} [{mxip}]: SMTP error from remote mail server after RCPT TO:<{rcpt}>: 550 5.1.1 User unknown")?,
    }
    writeln!(w, "{ts} {id} Completed")?;
    writeln!(
        w,
        "{ts} SMTP connection from ({client}) [{ip}] closed by QUIT"
    )?;
    Ok(())
}

/// What happened to one message (or one RCPT, for the rejects) in the `--mix` populations.
#[derive(Clone, Copy)]
enum Kind {
    Sent,
    Greylisted,
    Full452,
    Stuck { disabled: bool },
    Unavailable,
    Timeout,
    TryLater,
    Bounced,
    RejectGrey,
    RejectUnavailable,
    RejectUnknown,
    LongReply(usize),
}

struct Outcome {
    kind: Kind,
    rcpt: String,
}

fn domain_name(n: u64) -> String {
    const TLDS: &[&str] = &["com", "net", "org", "de", "fr", "it", "co.uk", "example"];
    format!("d{n}.{}", TLDS[(n % TLDS.len() as u64) as usize])
}

/// About 2 million users, more of the low numbers, each with its own of 50,000 domains.
fn many_recipient(r: &mut Rng) -> String {
    let u = r.below(1414);
    let user = u * u + r.below(2 * u + 1);
    let domain = user.wrapping_mul(2_654_435_761) % 50_000;
    format!("user{user}@{}", domain_name(domain))
}

/// A recipient never used before, over `domains` domains.
fn fresh_recipient(fresh: &mut u64, domains: u64) -> String {
    const WORDS: &[&str] = &[
        "info", "admin", "sales", "john", "mary", "test", "office", "web",
    ];
    *fresh += 1;
    let n = *fresh;
    let domain = n.wrapping_mul(0x9e37_79b9) % domains;
    format!(
        "{}{n}@{}",
        WORDS[(n % WORDS.len() as u64) as usize],
        domain_name(domain)
    )
}

fn outcome(r: &mut Rng, mix: Mix, fresh: &mut u64) -> Outcome {
    use Kind::*;
    let roll = r.below(100);
    let (kind, rcpt) = match mix {
        Mix::Normal => {
            let kind = match roll {
                0..=79 => Sent,
                80..=82 => Greylisted,
                83..=84 => Full452,
                85 => Stuck { disabled: false },
                86..=90 => Timeout,
                91..=96 => TryLater,
                _ => Bounced,
            };
            (kind, many_recipient(r))
        }
        Mix::Deferral => match roll {
            // 35 % 4xx: greylisting 10, full 5, stuck 8, timeouts 4, 421 4, unavailable 4.
            75..=82 => {
                let n = r.below(20_000);
                let rcpt = format!("box{n}@{}", domain_name(n % 5000));
                (
                    Stuck {
                        disabled: n.is_multiple_of(3),
                    },
                    rcpt,
                )
            }
            _ => {
                let kind = match roll {
                    0..=59 => Sent,
                    60..=69 => Greylisted,
                    70..=74 => Full452,
                    83..=86 => Timeout,
                    87..=90 => TryLater,
                    91..=94 => Unavailable,
                    _ => Bounced,
                };
                (kind, many_recipient(r))
            }
        },
        Mix::Dictionary => {
            let kind = match roll {
                0..=39 => RejectGrey,
                40..=69 => RejectUnavailable,
                _ => RejectUnknown,
            };
            (kind, fresh_recipient(fresh, 20))
        }
        Mix::Delivered => (Sent, fresh_recipient(fresh, 1000)),
        Mix::Domains => {
            *fresh += 1;
            (Sent, format!("info@{}", domain_name(*fresh)))
        }
        Mix::LongReplies if roll < 30 => {
            let rcpt = format!("long{}@{}", r.below(2000), domain_name(r.below(50)));
            (LongReply(1000 + r.below(500_000) as usize), rcpt)
        }
        Mix::LongReplies | Mix::Bundled => (Sent, many_recipient(r)),
    };
    Outcome { kind, rcpt }
}

/// `len` bytes of a verbose reply.
fn filler(len: usize) -> String {
    "the mailbox is over its storage quota; please ask the recipient to delete mail. "
        .repeat(len / 80 + 1)[..len]
        .to_string()
}

/// The remote server's reply for a deferral or a bounce.
fn reply(kind: Kind, rcpt: &str) -> String {
    match kind {
        Kind::Greylisted | Kind::RejectGrey => format!("450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.example/help.html"),
        Kind::Full452 => format!("452 4.2.2 <{rcpt}>: Mailbox full"),
        Kind::Stuck { disabled: false } => format!("450 4.2.2 <{rcpt}>: Mailbox full"),
        Kind::Stuck { disabled: true } => format!("450 4.2.1 <{rcpt}>: Mailbox disabled, not accepting messages"),
        Kind::Unavailable | Kind::RejectUnavailable => format!("450 4.2.1 <{rcpt}>: Recipient address rejected: mailbox unavailable"),
        Kind::LongReply(n) => format!("450 4.2.2 <{rcpt}>: Mailbox full: {}", filler(n)),
        _ => format!("550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown"),
    }
}

fn postfix_outcome<W: Write>(
    w: &mut W,
    r: &mut Rng,
    t: u64,
    mix: Mix,
    o: &Outcome,
) -> io::Result<()> {
    let (mo, d, h, mi, s) = clock(t);
    let ts = format!("{} {d:2} {h:02}:{mi:02}:{s:02}", MONTHS[mo]);
    let host = r.pick(HOSTS);
    let pid = 1000 + r.below(30_000);
    let ip = client_ip(r);
    let client = format!("client{}.{}", r.below(5000), r.pick(DOMAINS));
    let rcpt = &o.rcpt;
    let id = qid(r);
    if let Kind::RejectGrey | Kind::RejectUnavailable | Kind::RejectUnknown = o.kind {
        if r.below(10) == 0 {
            writeln!(
                w,
                "{ts} {host} postfix/smtpd[{pid}]: connect from {client}[{ip}]"
            )?;
        }
        let reply = reply(o.kind, rcpt);
        return writeln!(w, "{ts} {host} postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from {client}[{ip}]: {reply}; from=<> to=<{rcpt}> proto=ESMTP helo=<{client}>");
    }
    if !matches!(mix, Mix::Delivered | Mix::Domains) {
        writeln!(
            w,
            "{ts} {host} postfix/smtpd[{pid}]: connect from {client}[{ip}]"
        )?;
        writeln!(
            w,
            "{ts} {host} postfix/smtpd[{pid}]: {id}: client={client}[{ip}]"
        )?;
        writeln!(
            w,
            "{ts} {host} postfix/cleanup[{}]: {id}: message-id=<{}@{client}>",
            pid + 1,
            r.next()
        )?;
        writeln!(
            w,
            "{ts} {host} opendkim[812]: {id}: s=default d={client} SSL"
        )?;
        writeln!(w, "{ts} {host} postfix/qmgr[977]: {id}: from=<sender{}@{client}>, size={}, nrcpt=1 (queue active)", r.below(100), 1000 + r.below(200_000))?;
        writeln!(w, "{ts} {host} postfix/smtpd[{pid}]: disconnect from {client}[{ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")?;
    }
    let mx = format!("mx{}.{}", r.below(3), rcpt.split('@').nth(1).unwrap_or("x"));
    let mxip = format!("203.0.{}.{}", r.below(256), 1 + r.below(254));
    let status = match o.kind {
        Kind::Sent => format!("dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {})", qid(r)),
        Kind::Timeout => format!("dsn=4.4.1, status=deferred (connect to {mx}[{mxip}]:25: Connection timed out)"),
        Kind::TryLater => format!("dsn=4.7.0, status=deferred (host {mx}[{mxip}] refused to talk to me: 421 4.7.0 Try again later)"),
        Kind::Bounced => format!("dsn=5.1.1, status=bounced (host {mx}[{mxip}] said: {} (in reply to RCPT TO command))", reply(o.kind, rcpt)),
        kind => {
            let text = reply(kind, rcpt);
            format!("dsn={}, status=deferred (host {mx}[{mxip}] said: {text} (in reply to RCPT TO command))", &text[4..9])
        }
    };
    writeln!(w, "{ts} {host} postfix/smtp[{}]: {id}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=0.{}, delays=0.1/0/0.1/0.{}, {status}", pid + 2, r.below(99), r.below(9))?;
    writeln!(w, "{ts} {host} postfix/qmgr[977]: {id}: removed")
}

fn exim_outcome<W: Write>(w: &mut W, r: &mut Rng, t: u64, mix: Mix, o: &Outcome) -> io::Result<()> {
    let (mo, d, h, mi, s) = clock(t);
    let ts = format!("2026-{:02}-{d:02} {h:02}:{mi:02}:{s:02}", mo + 1);
    let ip = client_ip(r);
    let client = format!("client{}.{}", r.below(5000), r.pick(DOMAINS));
    let rcpt = &o.rcpt;
    let id = exim_id(r);
    let port = 1024 + r.below(60000);
    let rejected = match o.kind {
        Kind::RejectGrey => Some("temporarily rejected RCPT <{rcpt}>: greylisted"),
        Kind::RejectUnavailable => Some("temporarily rejected RCPT <{rcpt}>: mailbox unavailable"),
        Kind::RejectUnknown => Some("rejected RCPT <{rcpt}>: Unrouteable address"),
        _ => None,
    };
    if let Some(what) = rejected {
        let what = what.replace("{rcpt}", rcpt);
        return writeln!(
            w,
            "{ts} H=({client}) [{ip}]:{port} I=[10.0.0.1]:25 F=<> {what}"
        );
    }
    if !matches!(mix, Mix::Delivered | Mix::Domains) {
        writeln!(w, "{ts} SMTP connection from ({client}) [{ip}]:{port} I=[10.0.0.1]:25 (TCP/IP connection count = {})", r.below(20))?;
        writeln!(w, "{ts} {id} <= news@{client} H=({client}) [{ip}] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S={} id={}@{client}", 1000 + r.below(100_000), r.next())?;
    }
    let mx = format!("mx{}.{}", r.below(3), rcpt.split('@').nth(1).unwrap_or("x"));
    let mxip = format!("203.0.{}.{}", r.below(256), 1 + r.below(254));
    let remote = format!("R=dnslookup T=remote_smtp H={mx} [{mxip}]");
    match o.kind {
        Kind::Sent => writeln!(w, "{ts} {id} => {rcpt} {remote} X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 OK {} - gsmtp\"", r.next())?,
        Kind::Timeout => writeln!(w, "{ts} {id} == {rcpt} R=dnslookup T=remote_smtp defer (110): Connection timed out")?,
        Kind::TryLater => writeln!(w, "{ts} {id} == {rcpt} {remote} defer (-45): SMTP error from remote mail server after initial connection: 421 4.7.0 Try again later")?,
        Kind::Bounced => writeln!(w, "{ts} {id} ** {rcpt} {remote}: SMTP error from remote mail server after RCPT TO:<{rcpt}>: {}", reply(o.kind, rcpt))?,
        kind => writeln!(w, "{ts} {id} == {rcpt} {remote} defer (-44): SMTP error from remote mail server after RCPT TO:<{rcpt}>: {}", reply(kind, rcpt))?,
    }
    writeln!(w, "{ts} {id} Completed")?;
    if !matches!(mix, Mix::Delivered | Mix::Domains) {
        writeln!(
            w,
            "{ts} SMTP connection from ({client}) [{ip}] closed by QUIT"
        )?;
    }
    Ok(())
}

/// Counts bytes written.
struct Counted<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("genlog: {e}");
            std::process::exit(2);
        }
    };
    let out: Box<dyn Write> = match &a.output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("genlog: {p}: {e}");
                std::process::exit(2);
            }
        },
        None => Box::new(io::stdout().lock()),
    };
    let mut w = Counted {
        inner: BufWriter::with_capacity(1 << 20, out),
        n: 0,
    };
    let mut r = Rng(a.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut t = 0u64;
    let mut fresh = 0u64;
    let result = (|| -> io::Result<()> {
        while w.n < a.size {
            t += r.below(3);
            match (a.mix, a.mta == "postfix") {
                (Mix::Bundled, true) => postfix_message(&mut w, &mut r, t)?,
                (Mix::Bundled, false) => exim_message(&mut w, &mut r, t)?,
                (mix, postfix) => {
                    let o = outcome(&mut r, mix, &mut fresh);
                    if postfix {
                        postfix_outcome(&mut w, &mut r, t, mix, &o)?;
                    } else {
                        exim_outcome(&mut w, &mut r, t, mix, &o)?;
                    }
                }
            }
        }
        w.flush()
    })();
    if let Err(e) = result {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("genlog: {e}");
            std::process::exit(2);
        }
    }
}
