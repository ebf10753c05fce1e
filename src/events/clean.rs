//! One event row made safe for the table: every text column valid UTF-8 without control
//! characters ([`crate::report::clean_text`]) and at most [`TEXT_CAP`] bytes, the domain
//! derived, the time turned into the table's rule. Kept in buffers reused from row to row,
//! so cleaning allocates nothing once the buffers have grown.

use super::EventRow;
use crate::parse::Enhanced;
use crate::report::clean_text_into;
use std::fmt::Write as _;

/// The most bytes a text cell keeps (cut on a character boundary). Applies to every text
/// column: a reply text is the only one that gets this long, but all are attacker-controlled.
pub const TEXT_CAP: usize = 1024;

/// Raw bytes cleaned before looking further: enough for [`TEXT_CAP`] bytes of output unless
/// the text is mostly white space or control characters, when the whole text is cleaned.
const WINDOW: usize = 4 * TEXT_CAP;

/// A row's cells, cleaned.
#[derive(Debug, Clone, Default)]
pub(crate) struct CleanRow {
    /// `time` in microseconds: the UTC instant with an offset, else local wall-clock time.
    micros: Option<i64>,
    /// `utc_offset_min`: set exactly when `micros` is a UTC instant.
    offset_min: Option<i32>,
    host: String,
    mta: &'static str,
    queue_id: String,
    recipient: String,
    domain: String,
    relay: String,
    class: &'static str,
    code: Option<i32>,
    /// `enhanced` as `4.2.2`; meaningful only when `has_enhanced`.
    enhanced: String,
    has_enhanced: bool,
    diagnosis: String,
    text: String,
}

impl CleanRow {
    /// Cleans `row` into these buffers.
    pub fn fill(&mut self, row: &EventRow) {
        self.micros = row.time.map(|t| t.instant().saturating_mul(1_000_000));
        self.offset_min = row.time.and_then(|t| t.offset()).map(i32::from);
        clean_capped(&mut self.host, row.host);
        self.mta = row.mta.id();
        clean_capped(&mut self.queue_id, row.queue_id);
        clean_capped(&mut self.recipient, row.recipient);
        domain_into(&mut self.domain, &self.recipient);
        clean_capped(&mut self.relay, row.relay);
        self.class = row.class.label();
        self.code = row.code.map(i32::from);
        self.has_enhanced = row.enhanced.is_some();
        enhanced_into(&mut self.enhanced, row.enhanced);
        clean_capped(&mut self.diagnosis, row.diagnosis.as_bytes());
        clean_capped(&mut self.text, row.text);
    }

    /// The cells, borrowed.
    pub fn cells(&self) -> Cells<'_> {
        Cells {
            micros: self.micros,
            offset_min: self.offset_min,
            host: &self.host,
            mta: self.mta,
            queue_id: &self.queue_id,
            recipient: &self.recipient,
            domain: &self.domain,
            relay: &self.relay,
            class: self.class,
            code: self.code,
            enhanced: self.has_enhanced.then_some(self.enhanced.as_str()),
            diagnosis: &self.diagnosis,
            text: &self.text,
        }
    }
}

/// A cleaned row as the sinks take it, borrowed from a [`CleanRow`] or an
/// [`super::EventBatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cells<'a> {
    pub micros: Option<i64>,
    pub offset_min: Option<i32>,
    pub host: &'a str,
    pub mta: &'static str,
    pub queue_id: &'a str,
    pub recipient: &'a str,
    pub domain: &'a str,
    pub relay: &'a str,
    pub class: &'static str,
    pub code: Option<i32>,
    pub enhanced: Option<&'a str>,
    pub diagnosis: &'a str,
    pub text: &'a str,
}

impl Cells<'_> {
    /// The texts of the row other than `mta` and `class`, in column order.
    pub fn texts(&self) -> [&str; 8] {
        [
            self.host,
            self.queue_id,
            self.recipient,
            self.domain,
            self.relay,
            self.enhanced.unwrap_or(""),
            self.diagnosis,
            self.text,
        ]
    }

    /// Bytes of text this row holds, for sizing row groups.
    pub fn text_bytes(&self) -> usize {
        self.texts().iter().map(|s| s.len()).sum::<usize>() + self.mta.len() + self.class.len()
    }
}

/// [`crate::report::clean_text`] of `bytes` into `out`, cut to [`TEXT_CAP`] bytes, without
/// cleaning a megabyte to keep a kilobyte.
pub(crate) fn clean_capped(out: &mut String, bytes: &[u8]) {
    let short_ascii = if bytes.len() <= WINDOW {
        printable_ascii(bytes)
    } else {
        None
    };
    if let Some(text) = short_ascii {
        // The usual case, and what cleaning would leave of it: the text without its spaces
        // around (the only white space printable ASCII has).
        out.clear();
        out.push_str(text.trim_matches(' '));
    } else if bytes.len() > WINDOW {
        clean_text_into(out, &bytes[..WINDOW]);
        // Cleaning a prefix differs from cleaning the whole only at its end: a character cut
        // in two becomes one U+FFFD (3 bytes), and trailing white space is trimmed. So when
        // more than TEXT_CAP + 3 bytes come out, the first TEXT_CAP are those of the whole.
        if out.len() <= TEXT_CAP + 3 {
            clean_text_into(out, bytes);
        }
    } else {
        clean_text_into(out, bytes);
    }
    if out.len() > TEXT_CAP {
        let mut end = TEXT_CAP;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
}

/// `bytes` as text when every byte is printable ASCII (space to `~`). A fold, not `all`:
/// no exit per byte, so it compiles to vector compares.
fn printable_ascii(bytes: &[u8]) -> Option<&str> {
    let bad = bytes
        .iter()
        .fold(false, |bad, &b| bad | !(b' '..=b'~').contains(&b));
    if bad {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// What follows the last `@` of an address, in ASCII lower case (as `domains.csv` counts
/// it); empty when there is no `@`.
fn domain_into(out: &mut String, address: &str) {
    out.clear();
    if let Some(at) = address.rfind('@') {
        out.push_str(&address[at + 1..]);
        out.make_ascii_lowercase();
    }
}

fn enhanced_into(out: &mut String, enhanced: Option<Enhanced>) {
    out.clear();
    if let Some(e) = enhanced {
        // Writing into a String cannot fail.
        let _ = write!(out, "{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::clean_text;

    /// The whole text cleaned, then cut: what `clean_capped` must equal.
    fn reference(bytes: &[u8]) -> String {
        let mut s = clean_text(bytes);
        if s.len() > TEXT_CAP {
            let mut end = TEXT_CAP;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            s.truncate(end);
        }
        s
    }

    #[test]
    fn capped_cleaning_equals_cleaning_the_whole() {
        let euro = "€".repeat(WINDOW); // 3 bytes each: the window cuts one in two
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("short", b"450 4.2.2 Mailbox full".to_vec()),
            ("empty", Vec::new()),
            ("padded", b"  250 2.0.0 Ok ~ ".to_vec()),
            ("only spaces", b"    ".to_vec()),
            ("DEL", b"a\x7fb ".to_vec()),
            ("tab", b"\ta\tb\t".to_vec()),
            ("ascii over the cap", vec![b'z'; TEXT_CAP + 100]),
            ("a megabyte", vec![b'x'; 1 << 20]),
            ("cut character", euro.into_bytes()),
            ("spaces then text", {
                let mut v = vec![b' '; 2 * WINDOW];
                v.extend_from_slice(b"550 no such user");
                v
            }),
            ("controls then text", {
                let mut v = vec![0x07; WINDOW - 10];
                v.extend(std::iter::repeat_n(b'y', 3 * TEXT_CAP));
                v
            }),
            ("text, spaces, text", {
                let mut v = vec![b'a'; TEXT_CAP];
                v.extend(std::iter::repeat_n(b' ', WINDOW));
                v.extend_from_slice(b"tail");
                v
            }),
            ("invalid bytes", [0xffu8, 0xfe, b'a'].repeat(WINDOW)),
        ];
        let mut out = String::new();
        for (name, input) in cases {
            clean_capped(&mut out, &input);
            assert_eq!(out, reference(&input), "{name}");
            assert!(out.len() <= TEXT_CAP, "{name}");
        }
    }

    #[test]
    fn domains_are_lower_case_after_the_last_at() {
        let mut out = String::new();
        for (address, domain) in [
            ("Bob@Example.ORG", "example.org"),
            ("\"a@b\"@X.net", "x.net"),
            ("postmaster", ""),
            ("", ""),
            ("x@Ünï.de", "Ünï.de"),
        ] {
            domain_into(&mut out, address);
            assert_eq!(out, domain, "{address}");
        }
    }
}
