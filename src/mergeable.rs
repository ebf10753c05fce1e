//! The mergeable summary (`merge.jsonl`) written into every out folder beside the reports:
//! everything needed to rebuild a run's [`Stats`] exactly, so that `mailcodes merge` can
//! combine hosts (or days) into reports byte-identical to one scan over all their logs.
//!
//! Schema 2 (written by this version): a header line, the aggregates as one JSON line, then the
//! per-recipient records as short text lines.
//!
//! ```text
//! {"format":"mailcodes-merge","schema":2,"key_id":"…","bytes":N,"checksum":"…"}   (padded)
//! {"lines":…,"events":…,"classes":[…],…,"failures":{…},"records":{"delivered":D,"deferred":E}}
//! d <TAB> BASE64                     (up to 48 delivered recipients a line)
//! r <TAB> ID <TAB> REPLY             (a reply, before the first e line that names it)
//! e <TAB> RECIPIENT <TAB> …          (a deferred recipient's evidence)
//! ```
//!
//! Why lines: the per-recipient parts are most of the file (hundreds of MB for millions of
//! recipients). As a JSON document they had to be built whole in memory before the first
//! byte was written, and again before the first byte was parsed; as lines, the writer
//! streams them from the tracker into the file, holding a copy of one of its 64 shards at a
//! time, and the reader streams them back into a tracker a line at a time (see the `lines`
//! module).
//!
//! - The header is read first, so that a file of another schema is refused with a clear
//!   message before its body is read. It sits in a slot of fixed size, padded with spaces
//!   (which JSON allows), filled in once the body is written: `bytes` is the length of
//!   everything after the header line and `checksum` its checksum (FNV-1a 64 a word at a
//!   time, see `lines::Checksum`), which catch a truncated or damaged file.
//! - The JSON line is the small part: counts, codes, domains, hours, hosts, diagnoses and
//!   providers. A diagnosis's recipients past `distinct::EXACT` are a HyperLogLog sketch, in
//!   base64. `records` says how many `d` records and `e` lines follow.
//! - A `d` line holds up to 48 recipients with only 2xx, 16 bytes each in base64: the keyed
//!   hash of the address, then the time of its latest 2xx in 64 bits (bit 63 set, the local
//!   seconds in bits 62–16, two's complement, the offset in minutes in bits 15–0, 0x8000 for
//!   none), both big-endian.
//! - `r` and `e` lines are the tracker's compact evidence text (`crate::persistent`'s
//!   `compact` module), one deferred recipient a line.
//!
//! The bytes are the same for the same statistics and key: everything is sorted (tables by
//! name; recipients shard by shard, by hash; replies numbered in order of first use), so
//! two runs over the same logs, with any number of threads, write identical files.
//!
//! Schema 1 (0.1): the same header, then one JSON line that also holds `delivered`
//! (`[[hash,[local,offset]],…]`) and `evidence` (the compact text as one `%`-encoded string),
//! with sketches as `%`-encoded strings and `bytes`/`checksum` (FNV-1a 64 a byte at a time)
//! of that line without its `\n`. It is still read, so that folders written before an
//! upgrade merge with those written after.
//!
//! Byte strings from the log that need not be UTF-8 (domains, relays, hosts) are written in
//! the JSON line as text with `%` and every byte of an invalid UTF-8 sequence as `%XX`,
//! which is lossless. Times are `[local seconds, offset minutes or null]`. `key_id` names the
//! hash key the recipients' hashes were made with (see [`key`]): files with different key
//! ids cannot be merged.

use crate::stats::Stats;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub(crate) mod base64;
pub mod key;
mod lines;

/// The file's name in an out folder.
pub const FILE_NAME: &str = "merge.jsonl";
/// The `format` of the header.
pub const FORMAT: &str = "mailcodes-merge";
/// The schema this build writes.
pub const SCHEMA: u32 = 2;
/// The oldest schema this build reads.
pub const OLDEST_SCHEMA: u32 = 1;
/// The size of the header's slot: the header line, padded with spaces.
const SLOT: usize = 512;

/// A time: local seconds and the offset in minutes, when the log gave one.
pub(crate) type StampDoc = (i64, Option<i16>);

/// The header line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: String,
    schema: u32,
    key_id: String,
    bytes: u64,
    checksum: String,
}

/// The JSON line of the body: every aggregate of [`Stats`] (in schema 1, the per-recipient
/// parts too). Read as it is declared; written with the domains (`D`) and relays (`R`)
/// serialized one at a time from the tables ([`StatsOut`]), so that a log naming millions
/// of them does not need a document of them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct StatsDoc<D = Vec<(String, [u64; 3])>, R = Vec<RelayDoc>> {
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
    /// `[name, counts]`.
    pub domains: D,
    pub hourly: Vec<(i64, [u64; 3])>,
    pub first: Option<StampDoc>,
    pub last: Option<StampDoc>,
    pub hosts: Vec<(String, [u64; 3])>,
    pub failures: FailuresDoc<R>,
    /// Schema 1: recipients with only 2xx, `[keyed hash, latest 2xx]` (schema 2: `d` lines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivered: Vec<(u64, StampDoc)>,
    /// Schema 1: the deferred recipients' evidence, in the tracker's compact text, encoded
    /// (schema 2: `r` and `e` lines).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// Schema 2: how many records follow the JSON line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<Records>,
}

/// The JSON line as it is written.
pub(crate) type StatsOut<'a> =
    StatsDoc<crate::stats::portable::DomainsOut<'a>, crate::failures::RelaysOut<'a>>;

/// The records that follow the JSON line (schema 2).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct Records {
    /// Recipients with only 2xx, in `d` lines.
    pub delivered: u64,
    /// Deferred recipients, one `e` line each.
    pub deferred: u64,
}

/// Diagnoses and providers (see [`crate::failures`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FailuresDoc<R = Vec<RelayDoc>> {
    pub without_reply: u64,
    pub tallies: Vec<TallyDoc>,
    pub relays: R,
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
    /// Past `distinct::EXACT` recipients: the HyperLogLog registers (base64; schema 1:
    /// encoded bytes).
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
    // The usual name, valid UTF-8 without a `%`, is itself.
    if let Ok(text) = std::str::from_utf8(bytes) {
        if !text.contains('%') {
            return text.to_string();
        }
    }
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

/// The header's slot before the body is written: spaces and an end of line.
fn blank_slot() -> Vec<u8> {
    let mut slot = vec![b' '; SLOT];
    slot[SLOT - 1] = b'\n';
    slot
}

/// The header of a body of `bytes` bytes with `checksum`, in its slot.
fn header_slot(key_id: &str, bytes: u64, checksum: u64) -> io::Result<Vec<u8>> {
    let header = Header {
        format: FORMAT.to_string(),
        schema: SCHEMA,
        key_id: key_id.to_string(),
        bytes,
        checksum: format!("{checksum:016x}"),
    };
    let head = serde_json::to_vec(&header)?;
    if head.len() >= SLOT {
        return Err(io::Error::other(
            "the key id is too long for merge.jsonl's header",
        ));
    }
    let mut slot = blank_slot();
    slot[..head.len()].copy_from_slice(&head);
    Ok(slot)
}

/// Writes the mergeable summary of `stats`, hashed under the key named `key_id`, to `file`
/// (empty, from its start): the body is streamed after a blank slot for the header, which
/// is written last, in place, once the body's length and checksum are known.
pub fn write(file: &File, stats: &Stats, key_id: &str) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::FileExt;
    let mut f = file;
    f.write_all(&blank_slot())?;
    let (bytes, checksum) = lines::write_body(f, stats)?;
    file.write_all_at(&header_slot(key_id, bytes, checksum)?, 0)
}

/// Writes the mergeable summary of `stats` (see [`write()`]) into `dir` as a staged member of
/// the report set that [`crate::report::atomic::write_set_with`] will commit there.
pub fn stage(
    dir: &Path,
    stats: &Stats,
    key_id: &str,
) -> Result<crate::report::atomic::Staged, crate::report::atomic::Error> {
    crate::report::atomic::stage_streamed(dir, FILE_NAME, |file| write(file, stats, key_id))
}

/// The mergeable summary of `stats` in memory (for tests and small summaries: [`write()`]
/// streams it instead).
pub fn render(stats: &Stats, key_id: &str) -> io::Result<Vec<u8>> {
    let mut out = blank_slot();
    let (bytes, checksum) = lines::write_body(&mut out, stats)?;
    out[..SLOT].copy_from_slice(&header_slot(key_id, bytes, checksum)?);
    Ok(out)
}

/// A mergeable summary whose header was read and checked; its body is read by
/// [`Loaded::stats`].
pub struct Loaded {
    pub dir: PathBuf,
    pub key_id: String,
    body: Body,
}

/// Where a summary's body is.
enum Body {
    /// Schema 1: the JSON line, its length and checksum already checked.
    Whole(Vec<u8>),
    /// Schema 2, checked as it is read: in memory, after the header line.
    Lines(Header, Vec<u8>),
    /// Schema 2 in its file, after the header line of `offset` bytes.
    File(Header, PathBuf, u64),
}

/// The longest header line looked for.
const MAX_HEADER: u64 = 4096;

/// Reads `dir`'s summary header and checks it; a schema 1 file is read and checked whole,
/// a schema 2 file only has its length checked (its body is read by [`Loaded::stats`]).
pub fn load(dir: &Path) -> Result<Loaded, MergeError> {
    load_file(dir, &dir.join(FILE_NAME))
}

/// [`load`] from the file at `path`, a summary of the folder `dir` (which errors name): a
/// copy kept beside it, say.
pub fn load_file(dir: &Path, path: &Path) -> Result<Loaded, MergeError> {
    let path = path.to_path_buf();
    let io_error = |e| MergeError::Io(dir.to_path_buf(), e);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound && dir.is_dir() => {
            return Err(MergeError::Missing(dir.to_path_buf()))
        }
        Err(e) => return Err(io_error(e)),
    };
    let mut r = BufReader::new(file);
    let mut data = Vec::new();
    (&mut r)
        .take(MAX_HEADER)
        .read_until(b'\n', &mut data)
        .map_err(io_error)?;
    let header = read_header(dir, &data)?;
    if header.schema == 1 {
        r.read_to_end(&mut data).map_err(io_error)?;
        return from_bytes(dir, data);
    }
    let size = r.get_ref().metadata().map_err(io_error)?.len();
    let offset = data.len() as u64;
    check_length(dir, &header, size.saturating_sub(offset))?;
    Ok(Loaded {
        dir: dir.to_path_buf(),
        key_id: header.key_id.clone(),
        body: Body::File(header, path, offset),
    })
}

/// The header in the first line of `data` (with its `\n`), if it is one of a schema read
/// here.
fn read_header(dir: &Path, data: &[u8]) -> Result<Header, MergeError> {
    let version = |m: String| MergeError::Version(dir.to_path_buf(), m);
    let line = match memchr::memchr(b'\n', data) {
        Some(end) => &data[..end],
        None => return Err(version("not a mailcodes mergeable summary".to_string())),
    };
    let header: Header = serde_json::from_slice(line)
        .map_err(|_| version("not a mailcodes mergeable summary".to_string()))?;
    if header.format != FORMAT {
        return Err(version(format!(
            "format {:?}, not {FORMAT:?}",
            header.format
        )));
    }
    if !(OLDEST_SCHEMA..=SCHEMA).contains(&header.schema) {
        return Err(version(format!(
            "schema {}, but this mailcodes reads schemas {OLDEST_SCHEMA} to {SCHEMA}: scan with \
             the same version, or merge with the version that wrote it",
            header.schema
        )));
    }
    Ok(header)
}

/// An error unless a body of `len` bytes is as long as `header` says.
fn check_length(dir: &Path, header: &Header, len: u64) -> Result<(), MergeError> {
    if len == header.bytes {
        return Ok(());
    }
    Err(MergeError::Damaged(
        dir.to_path_buf(),
        format!("{len} bytes of a {}-byte body", header.bytes),
    ))
}

/// Checks a summary held in memory: its header, and its length (`dir` names it in errors);
/// for schema 1, its checksum too.
pub fn from_bytes(dir: &Path, mut data: Vec<u8>) -> Result<Loaded, MergeError> {
    let damaged = |m: &str| MergeError::Damaged(dir.to_path_buf(), m.to_string());
    let header = read_header(dir, &data)?;
    let split = memchr::memchr(b'\n', &data).unwrap_or(data.len());
    let body = data.split_off((split + 1).min(data.len()));
    let loaded = |body| Loaded {
        dir: dir.to_path_buf(),
        key_id: header.key_id.clone(),
        body,
    };
    if header.schema != 1 {
        check_length(dir, &header, body.len() as u64)?;
        return Ok(loaded(Body::Lines(header.clone(), body)));
    }
    let body = match body.strip_suffix(b"\n") {
        Some(b) => b.to_vec(),
        None => return Err(damaged("no end of line after the body")),
    };
    check_length(dir, &header, body.len() as u64)?;
    if format!("{:016x}", fnv1a(&body)) != header.checksum {
        return Err(damaged("checksum mismatch"));
    }
    Ok(loaded(Body::Whole(body)))
}

impl Loaded {
    /// The statistics it holds (hashes under the key this process has installed).
    pub fn stats(&self) -> Result<Stats, MergeError> {
        let damaged = |m: String| MergeError::Damaged(self.dir.clone(), m);
        let read = |r: Result<Stats, lines::ReadError>| {
            r.map_err(|e| match e {
                lines::ReadError::Io(e) => MergeError::Io(self.dir.clone(), e),
                lines::ReadError::Damaged(m) => damaged(m),
            })
        };
        match &self.body {
            Body::Whole(body) => {
                let doc: StatsDoc =
                    serde_json::from_slice(body).map_err(|e| damaged(e.to_string()))?;
                Stats::from_doc(doc, 1).map_err(|m| damaged(m.to_string()))
            }
            Body::Lines(header, body) => read(lines::read_body(&body[..], header)),
            Body::File(header, path, offset) => {
                let io_error = |e| MergeError::Io(self.dir.clone(), e);
                let mut file = File::open(path).map_err(io_error)?;
                let mut head = vec![0; *offset as usize];
                file.read_exact(&mut head).map_err(io_error)?;
                // The file replaced since its header was checked (a scan writing into the
                // folder meanwhile) is not mixed up with the one that was.
                if read_header(&self.dir, &head).ok().as_ref() != Some(header) {
                    return Err(damaged(
                        "it changed while it was merged; merge again".into(),
                    ));
                }
                let r = BufReader::with_capacity(1 << 18, file);
                read(lines::read_body(r, header))
            }
        }
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

    /// Statistics with deferred recipients (several replies) and delivered ones.
    fn some_stats() -> Stats {
        use crate::persistent::tests::{ev, mixed_events};
        let mut stats = Stats::default();
        mixed_events()
            .iter()
            .for_each(|e| stats.persistent.add(e, 1));
        for i in 0..100 {
            let t = crate::time::Stamp::with_offset(1_700_000_000 + i, 60);
            let hash = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            stats.persistent.add_delivered_record(hash, t);
        }
        stats
            .persistent
            .add(&ev(9, 200, (2, 0, 0), "z@x", "250 ok"), 1);
        stats
    }

    #[test]
    fn a_schema_2_summary_streams_back_to_the_same_statistics() {
        use crate::persistent::tests::sorted_evidence;
        let stats = some_stats();
        let bytes = render(&stats, "k").unwrap();
        assert_eq!(&bytes[SLOT - 1..SLOT], b"\n", "the header fills its slot");
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.lines().filter(|l| l.starts_with("d\t")).count(), 3);
        let back = from_bytes(Path::new("h"), bytes.clone()).unwrap();
        assert_eq!(back.key_id, "k");
        let back = back.stats().unwrap();
        let got = sorted_evidence(&back.persistent);
        assert_eq!(got, sorted_evidence(&stats.persistent));
        assert_eq!(back.persistent.len(), stats.persistent.len());
        assert_eq!(
            render(&back, "k").unwrap(),
            bytes,
            "written again, the same bytes"
        );
    }

    #[test]
    fn record_counts_that_do_not_add_up_are_damage() {
        let bytes = render(&some_stats(), "k").unwrap();
        let text = String::from_utf8(bytes[SLOT..].to_vec()).unwrap();
        // One recipient fewer than the JSON line says: a body cut at a line, with a header
        // (length, checksum) made for the cut body.
        let cut = &text[..text.trim_end().rfind('\n').unwrap() + 1];
        let mut sum = lines::Checksum::default();
        sum.update(cut.as_bytes());
        let mut file = header_slot("k", sum.bytes, sum.finish()).unwrap();
        file.extend_from_slice(cut.as_bytes());
        let err = from_bytes(Path::new("h"), file).unwrap().stats();
        let err = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("record counts") && err.contains("h:"), "{err}");
    }
}
