//! The mergeable summary (`merge.jsonl`) written into every out folder beside the reports:
//! everything needed to rebuild a run's [`Stats`] exactly, so that `mailcodes merge` can
//! combine hosts (or days) into reports byte-identical to one scan over all their logs.
//!
//! Two JSON lines. The first is a header, read before anything else so that a file of
//! another version is refused with a clear message even if its body changed shape:
//!
//! ```text
//! {"format":"mailcodes-merge","schema":1,"key_id":"…","bytes":N,"checksum":"…"}
//! {"lines":…,"events":…,"classes":[…],…,"delivered":[[hash,[local,offset]],…],"evidence":"…"}
//! ```
//!
//! `bytes` and `checksum` (FNV-1a 64 of the body line, hex) catch a truncated or damaged
//! body. Byte strings from the log that need not be UTF-8 (domains, relays, hosts, the
//! evidence text) are written as text with `%` and every byte of an invalid UTF-8 sequence
//! as `%XX`, which is lossless. Times are `[local seconds, offset minutes or null]`.
//! `key_id` names the hash key the delivered recipients' hashes were made with (see
//! [`key`]): files with different key ids cannot be merged.

use crate::stats::Stats;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub mod key;

/// The file's name in an out folder.
pub const FILE_NAME: &str = "merge.jsonl";
/// The `format` of the header.
pub const FORMAT: &str = "mailcodes-merge";
/// The schema this build writes and reads.
pub const SCHEMA: u32 = 1;

/// A time: local seconds and the offset in minutes, when the log gave one.
pub(crate) type StampDoc = (i64, Option<i16>);

/// The header line.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    schema: u32,
    key_id: String,
    bytes: u64,
    checksum: String,
}

/// The body line: every aggregate of [`Stats`].
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct StatsDoc {
    pub lines: u64,
    pub event_lines: u64,
    pub overlong_lines: u64,
    /// Lines whose timestamp could not be read.
    pub bad_times: u64,
    pub events: u64,
    pub outside_window: u64,
    pub probes: u64,
    pub classes: [u64; 3],
    pub outcomes: [u64; 4],
    pub mtas: [u64; 2],
    pub codes: Vec<(u16, u64)>,
    /// `[[class, subject, detail], count]`.
    pub enhanced: Vec<((u8, u16, u16), u64)>,
    pub domains: Vec<(String, [u64; 3])>,
    pub hourly: Vec<(i64, [u64; 3])>,
    pub first: Option<StampDoc>,
    pub last: Option<StampDoc>,
    pub hosts: Vec<(String, [u64; 3])>,
    pub failures: FailuresDoc,
    /// Recipients with only 2xx: `[keyed hash, latest 2xx]`.
    pub delivered: Vec<(u64, StampDoc)>,
    /// The deferred recipients' evidence, in the compact text of the state file.
    pub evidence: String,
}

/// Diagnoses and providers (see [`crate::failures`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FailuresDoc {
    pub without_reply: u64,
    pub tallies: Vec<TallyDoc>,
    pub relays: Vec<RelayDoc>,
}

/// One diagnosis in one class.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct TallyDoc {
    pub diagnosis: String,
    /// 2, 4 or 5.
    pub class: u8,
    pub count: u64,
    /// Recipient hashes (fixed seed: the same in every process), while few.
    pub recipients: Vec<u64>,
    /// Past `distinct::EXACT` recipients: the HyperLogLog registers (encoded bytes).
    #[serde(default)]
    pub sketch: Option<String>,
    /// The earliest reply: its time and raw text (encoded bytes).
    pub example: Option<(Option<StampDoc>, String)>,
}

/// Outcomes of one relay host.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct RelayDoc {
    pub relay: String,
    pub classes: [u64; 3],
    /// `[diagnosis, class digit, count]`.
    pub diagnoses: Vec<(String, u8, u64)>,
}

/// Why a mergeable summary could not be read (each names its folder).
#[derive(Debug)]
pub enum MergeError {
    /// The folder has no `merge.jsonl`.
    Missing(PathBuf),
    /// It could not be read.
    Io(PathBuf, io::Error),
    /// It is not a mergeable summary, or not of this schema.
    Version(PathBuf, String),
    /// It is damaged or truncated.
    Damaged(PathBuf, String),
    /// Its delivered recipients were hashed with another key than the first input's.
    KeyMismatch {
        dir: PathBuf,
        found: String,
        want: String,
    },
    /// The hash key could not be read, created or found.
    Key(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Missing(d) => write!(
                f,
                "{}: no {FILE_NAME} (not an out folder of mailcodes 0.1 or later, or not written yet)",
                d.display()
            ),
            MergeError::Io(d, e) => write!(
                f,
                "{}: cannot read {FILE_NAME}: {}",
                d.display(),
                crate::error::io_words(e)
            ),
            MergeError::Version(d, m) => write!(f, "{}: {FILE_NAME}: {m}", d.display()),
            MergeError::Damaged(d, m) => write!(
                f,
                "{}: {FILE_NAME} is damaged or truncated ({m}); scan that host again",
                d.display()
            ),
            MergeError::KeyMismatch { dir, found, want } => write!(
                f,
                "{}: written with hash key {found}, but the other folders with {want}: \
                 give every host the same key file (--hash-key or MAILCODES_HASH_KEY) and scan again",
                dir.display()
            ),
            MergeError::Key(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for MergeError {}

/// FNV-1a, 64 bits: a checksum that stays the same in every build.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Bytes as text, losslessly: `%` and each byte of an invalid UTF-8 sequence as `%XX`.
pub(crate) fn encode_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '%' => out.push_str("%25"),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Back from [`encode_bytes`]; `None` for a bad escape.
pub(crate) fn decode_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The mergeable summary of `stats`, hashed under the key named `key_id`.
pub fn render(stats: &Stats, key_id: &str) -> Vec<u8> {
    // The body is serialised straight after a slot for the header, which is filled in once
    // the body's length and checksum are known (padded with spaces, which JSON allows): the
    // body, hundreds of MB for millions of recipients, is never copied.
    const SLOT: usize = 512;
    let mut out = vec![b' '; SLOT];
    if serde_json::to_writer(&mut out, &stats.to_doc()).is_err() {
        out.truncate(SLOT);
    }
    let body = &out[SLOT..];
    let header = Header {
        format: FORMAT.to_string(),
        schema: SCHEMA,
        key_id: key_id.to_string(),
        bytes: body.len() as u64,
        checksum: format!("{:016x}", fnv1a(body)),
    };
    let head = serde_json::to_vec(&header).unwrap_or_default();
    if head.len() < SLOT {
        out[..head.len()].copy_from_slice(&head);
        out[SLOT - 1] = b'\n';
    } else {
        let mut line = head;
        line.push(b'\n');
        out.splice(..SLOT, line);
    }
    out.push(b'\n');
    out
}

/// A mergeable summary read and checked, its body not parsed yet.
pub struct Loaded {
    pub dir: PathBuf,
    pub key_id: String,
    body: Vec<u8>,
}

/// Reads `dir`'s summary and checks its header, length and checksum.
pub fn load(dir: &Path) -> Result<Loaded, MergeError> {
    let path = dir.join(FILE_NAME);
    match std::fs::read(&path) {
        Ok(data) => from_bytes(dir, data),
        Err(e) if e.kind() == io::ErrorKind::NotFound && dir.is_dir() => {
            Err(MergeError::Missing(dir.to_path_buf()))
        }
        Err(e) => Err(MergeError::Io(dir.to_path_buf(), e)),
    }
}

/// Checks a summary's header, length and checksum (`dir` names it in errors).
pub fn from_bytes(dir: &Path, mut data: Vec<u8>) -> Result<Loaded, MergeError> {
    let version = |m: String| MergeError::Version(dir.to_path_buf(), m);
    let damaged = |m: &str| MergeError::Damaged(dir.to_path_buf(), m.to_string());
    let split = memchr::memchr(b'\n', &data).unwrap_or(data.len());
    let header: Header = serde_json::from_slice(&data[..split])
        .map_err(|_| version("not a mailcodes mergeable summary".to_string()))?;
    if header.format != FORMAT {
        return Err(version(format!(
            "format {:?}, not {FORMAT:?}",
            header.format
        )));
    }
    if header.schema != SCHEMA {
        return Err(version(format!(
            "schema {}, but this mailcodes reads schema {SCHEMA}: scan with the same version, or merge with the version that wrote it",
            header.schema
        )));
    }
    let body = data.split_off((split + 1).min(data.len()));
    let body = match body.strip_suffix(b"\n") {
        Some(b) => b.to_vec(),
        None => return Err(damaged("no end of line after the body")),
    };
    if body.len() as u64 != header.bytes {
        return Err(damaged(&format!(
            "{} bytes of a {}-byte body",
            body.len(),
            header.bytes
        )));
    }
    if format!("{:016x}", fnv1a(&body)) != header.checksum {
        return Err(damaged("checksum mismatch"));
    }
    Ok(Loaded {
        dir: dir.to_path_buf(),
        key_id: header.key_id,
        body,
    })
}

impl Loaded {
    /// The statistics it holds (hashes under the key this process has installed).
    pub fn stats(&self) -> Result<Stats, MergeError> {
        let damaged = |m: String| MergeError::Damaged(self.dir.clone(), m);
        let doc: StatsDoc =
            serde_json::from_slice(&self.body).map_err(|e| damaged(e.to_string()))?;
        Stats::from_doc(doc).map_err(|m| damaged(m.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_losslessly() {
        for b in [
            &b"example.org"[..],
            b"50%@x",
            b"\xff\xfe bad \xc3",
            "\u{e9}t\u{e9}".as_bytes(),
            b"",
            b"%2",
        ] {
            let text = encode_bytes(b);
            assert_eq!(decode_bytes(&text).as_deref(), Some(b), "{text}");
        }
        assert_eq!(decode_bytes("%zz"), None);
        assert_eq!(decode_bytes("%4"), None);
    }
}
