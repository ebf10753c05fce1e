//! Base64 (RFC 4648, standard alphabet, `=` padding), for the binary parts of `merge.jsonl`
//! schema 2: recipient sketches and packed delivered-recipient records take 4 characters
//! per 3 bytes, where JSON numbers took about 2.3 per byte and `\u00XX` escapes 6.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The value of each byte as a base64 digit, or 0xff.
const VALUES: [u8; 256] = {
    let mut v = [0xff; 256];
    let mut i = 0;
    while i < 64 {
        v[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    v
};

/// Appends `bytes` in base64 to `out`.
pub(crate) fn encode_into(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = c
            .iter()
            .chain(std::iter::repeat(&0))
            .take(3)
            .fold(0u32, |n, b| n << 8 | u32::from(*b));
        for i in 0..4 {
            out.push(if i <= c.len() {
                ALPHABET[(n >> (18 - 6 * i)) as usize & 63]
            } else {
                b'='
            });
        }
    }
}

/// `bytes` in base64.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    encode_into(&mut out, bytes);
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the bytes of the base64 `text` to `out`; `None` (with `out` partly written) when
/// it is not base64: a length that is not a multiple of 4, a foreign character, or padding
/// anywhere but at the end.
pub(crate) fn decode_into(out: &mut Vec<u8>, text: &[u8]) -> Option<()> {
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let quads = text.len() / 4;
    out.reserve(quads * 3);
    for (k, q) in text.chunks_exact(4).enumerate() {
        let pad = q.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && k + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            let v = VALUES[c as usize];
            if v == 0xff {
                return None;
            }
            n = n << 6 | u32::from(v);
        }
        n <<= 6 * pad;
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Some(())
}

/// The bytes of the base64 `text`.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decode_into(&mut out, text.as_bytes())?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4648_vectors_and_round_trips() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
    }

    #[test]
    fn what_is_not_base64_is_refused() {
        for bad in ["Zg=", "Z===", "Zg==Zm9v", "Zm9v!A==", "Zm 9"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
