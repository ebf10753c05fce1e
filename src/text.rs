//! Log bytes made into report text: a leaf module, so that the tracker, the statistics and
//! the reports can all clean text without depending on each other.

/// Log bytes as text for a report: invalid UTF-8 replaced, control characters turned into
/// spaces, surrounding white space trimmed.
pub fn clean_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    clean_text_into(&mut out, bytes);
    out
}

/// [`clean_text`] into `out` (cleared first), reusing its allocation.
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

/// [`clean_text_into`], keeping at most `cap` bytes (whole characters, trailing white space
/// trimmed after the cut). Text within the cap comes out exactly as `clean_text` makes it;
/// a longer text is cleaned only as far as the cap, however long the input is.
pub fn clean_text_capped_into(out: &mut String, bytes: &[u8], cap: usize) {
    out.clear();
    // The common case, printable ASCII after leading blanks: copied as it is.
    let lead = bytes
        .iter()
        .position(|b| !(*b == b' ' || b.is_ascii_control()))
        .unwrap_or(bytes.len());
    let body = &bytes[lead..bytes.len().min(lead + cap)];
    if body.iter().all(|b| (0x20..0x7f).contains(b)) {
        if let Ok(text) = std::str::from_utf8(body) {
            out.push_str(text.trim_end());
            return;
        }
    }
    'chunks: for chunk in bytes.utf8_chunks() {
        let invalid = (!chunk.invalid().is_empty()).then_some(char::REPLACEMENT_CHARACTER);
        for c in chunk.valid().chars().chain(invalid) {
            let c = if c.is_control() { ' ' } else { c };
            if out.is_empty() && c.is_whitespace() {
                continue;
            }
            if out.len() + c.len_utf8() > cap {
                break 'chunks;
            }
            out.push(c);
        }
    }
    out.truncate(out.trim_end().len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_handles_bad_bytes() {
        assert_eq!(clean_text(b"ok\xff\x00 x "), "ok\u{fffd}  x");
        // Into a used buffer, the same result; and the same as the plain recipe (lossy
        // decoding, controls to spaces, trimmed) on awkward inputs; capped, the same when
        // the text fits.
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
            clean_text_capped_into(&mut buf, input, 1024);
            assert_eq!(buf, plain.trim(), "capped {input:?}");
        }
    }

    #[test]
    fn capped_text_stops_at_a_whole_character() {
        let mut buf = String::new();
        for (input, cap, want) in [
            ("abcdef", 3, "abc"),
            ("  ab  cd", 3, "ab"),
            ("aé", 2, "a"),
            ("aé", 3, "aé"),
            ("\u{1F600}x", 3, ""),
        ] {
            clean_text_capped_into(&mut buf, input.as_bytes(), cap);
            assert_eq!(buf, want, "{input:?} {cap}");
        }
        let long = vec![b'x'; 1 << 20];
        clean_text_capped_into(&mut buf, &long, 1024);
        assert_eq!(buf.len(), 1024);
    }
}
