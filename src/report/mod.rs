//! Reports: CSV files and the text summary, each written to any `io::Write`.
//!
//! Log text is attacker-controlled, so every text cell goes through [`safe_cell`], and the
//! CSV files of a run are written to temporary files in the target folder and renamed into
//! place only once all of them were written whole ([`write_atomically`]).

pub mod csv;
pub mod json;
pub mod prom;
pub mod table;
pub mod text;
pub mod xlsx;

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

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

/// Writes every `(file name, contents)` into `dir` (created if missing): each to a
/// temporary file in `dir`, flushed to disk, then all renamed into place. On any error no
/// target file has been replaced by a partial one.
pub fn write_atomically<N: AsRef<str>>(dir: &Path, files: &[(N, Vec<u8>)]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut staged = Vec::with_capacity(files.len());
    for (name, contents) in files {
        let name = name.as_ref();
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(contents)?;
        tmp.as_file().sync_all()?;
        staged.push((tmp, dir.join(name)));
    }
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| e.error)?;
    }
    Ok(())
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
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        write_atomically(
            dir.path(),
            &[("a.csv", b"1\n".to_vec()), ("b.csv", b"2\n".to_vec())],
        )
        .unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"1\n");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
