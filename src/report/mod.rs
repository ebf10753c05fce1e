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

pub use crate::text::{clean_text, clean_text_into};

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
}
