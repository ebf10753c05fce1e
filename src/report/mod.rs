//! Reports: CSV files and the text summary, each written to any `io::Write`.
//!
//! Log text is attacker-controlled, so every text cell goes through [`safe_cell`], and the
//! CSV files of a run are written to temporary files in the target folder and renamed into
//! place only once all of them were written whole, as one set ([`atomic`]).

pub mod atomic;
pub mod csv;
pub mod json;
pub mod prom;
pub mod table;
pub mod text;
pub mod xlsx;

pub use atomic::write_atomically;

use std::borrow::Cow;

/// Log bytes as text for a report: invalid UTF-8 replaced, control characters turned into
/// spaces, surrounding white space trimmed.
pub fn clean_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    clean_text_into(&mut out, bytes);
    out
}

/// [`clean_text`] into `out` (cleared first), reusing its allocation: the persistent-450
/// tracker keeps the latest reply of each recipient this way without allocating per line.
pub fn clean_text_into(out: &mut String, bytes: &[u8]) {
    out.clear();
    for chunk in bytes.utf8_chunks() {
        out.extend(
            chunk
                .valid()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c }),
        );
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
        }
    }
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    out.drain(..lead);
}

/// A cell that a spreadsheet will show as text, never run as a formula: a cell whose text
/// starts with `=`, `+`, `-`, `@`, tab or carriage return (or their full-width forms, or
/// any of these after leading spaces) gets a leading `'` (OWASP's advice on CSV injection).
/// Other control characters are replaced by spaces.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    const RISKY: &[char] = &[
        '=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ];
    let risky = text.starts_with(RISKY) || text.trim_start_matches(' ').starts_with(RISKY);
    let has_control = text.chars().any(char::is_control);
    if !risky && !has_control {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 1);
    if risky {
        out.push('\'');
    }
    out.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (i, o) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "' x"),
            ("\rx", "' x"),
            ("  =1", "'  =1"),
            ("\u{ff1d}1", "'\u{ff1d}1"),
            ("a=b", "a=b"),
            ("user@example.com", "user@example.com"),
            ("line\nbreak", "line break"),
        ] {
            assert_eq!(safe_cell(i), o, "{i:?}");
        }
    }

    #[test]
    fn clean_text_handles_bad_bytes() {
        assert_eq!(clean_text(b"ok\xff\x00 x "), "ok\u{fffd}  x");
        // Into a used buffer, the same result; and the same as the plain recipe (lossy
        // decoding, controls to spaces, trimmed) on awkward inputs.
        let mut buf = String::from("left over");
        for input in [
            &b"ok\xff\x00 x "[..],
            b"",
            b" \t\r\n ",
            b"\xe2\x82 half\xf0\x9f\x98",
            b"\x00lead and trail\x1b",
            "\u{3000}wide spaces\u{3000}".as_bytes(),
        ] {
            let plain: String = String::from_utf8_lossy(input)
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            clean_text_into(&mut buf, input);
            assert_eq!(buf, plain.trim(), "{input:?}");
            assert_eq!(clean_text(input), plain.trim());
        }
    }
}
