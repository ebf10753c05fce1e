//! The body of `merge.jsonl` schema 2, written and read a line at a time (the layout is in
//! the parent module's documentation): the aggregates as one JSON line, then the
//! delivered recipients (`d` lines) and the deferred recipients' evidence (`r` and `e`
//! lines) streamed straight from the tracker. Neither side ever holds the whole text: a
//! writer holds a copy of one shard's entries and one line, a reader one line, so writing
//! the summary of 5 million recipients costs little beside what their tracker costs.

use super::{base64, Header, StatsDoc};
use crate::persistent::EvidenceReader;
use crate::stats::Stats;
use std::io::{self, BufRead, BufWriter, Write};

/// Delivered recipients per `d` line: 48 records of 16 bytes are 1,024 base64 characters.
const PER_LINE: usize = 48;
/// Bytes of a packed delivered record: the hash, then the time, big-endian.
const RECORD: usize = 16;

/// Schema 2's checksum of the body: FNV-1a 64 taken a 64-bit little-endian word at a time,
/// then the last 0–7 bytes one at a time. Like FNV-1a a byte at a time, every step is a
/// bijection of the state, so any one damaged word changes the result; it costs an eighth
/// of the multiplications, which matters for hundreds of MB.
#[derive(Debug, Clone)]
pub(crate) struct Checksum {
    h: u64,
    tail: [u8; 8],
    tail_len: usize,
    /// Bytes seen.
    pub bytes: u64,
}

const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            h: FNV_BASIS,
            tail: [0; 8],
            tail_len: 0,
            bytes: 0,
        }
    }
}

impl Checksum {
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.bytes += data.len() as u64;
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(data.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&data[..take]);
            self.tail_len += take;
            data = &data[take..];
            if self.tail_len < 8 {
                return;
            }
            self.word(self.tail);
            self.tail_len = 0;
        }
        let mut words = data.chunks_exact(8);
        for w in &mut words {
            let mut b = [0; 8];
            b.copy_from_slice(w);
            self.word(b);
        }
        let rest = words.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    fn word(&mut self, w: [u8; 8]) {
        self.h = (self.h ^ u64::from_le_bytes(w)).wrapping_mul(FNV_PRIME);
    }

    /// The checksum of everything seen.
    pub(crate) fn finish(&self) -> u64 {
        self.tail[..self.tail_len]
            .iter()
            .fold(self.h, |h, b| (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
    }
}

/// A writer that checksums what goes through it.
struct Summed<W> {
    inner: W,
    sum: Checksum,
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sum.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the body of `stats` to `w`; returns its length and [`Checksum`].
pub(crate) fn write_body(w: impl Write, stats: &Stats) -> io::Result<(u64, u64)> {
    let summed = Summed {
        inner: w,
        sum: Checksum::default(),
    };
    let mut out = BufWriter::with_capacity(1 << 16, summed);
    serde_json::to_writer(&mut out, &stats.to_doc())?;
    out.write_all(b"\n")?;
    write_delivered(&mut out, stats)?;
    stats.persistent.write_evidence(&mut out, |_| true)?;
    let summed = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    Ok((summed.sum.bytes, summed.sum.finish()))
}

/// The `d` lines: [`PER_LINE`] packed records each, in base64.
fn write_delivered(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    let (mut records, mut line) = (Vec::with_capacity(PER_LINE * RECORD), Vec::new());
    let mut flush = |records: &mut Vec<u8>, out: &mut dyn Write| -> io::Result<()> {
        line.clear();
        line.extend_from_slice(b"d\t");
        base64::encode_into(&mut line, records);
        line.push(b'\n');
        records.clear();
        out.write_all(&line)
    };
    stats.persistent.each_delivered_packed(|hash, time| {
        records.extend_from_slice(&hash.to_be_bytes());
        records.extend_from_slice(&time.to_be_bytes());
        if records.len() == PER_LINE * RECORD {
            flush(&mut records, out)?;
        }
        Ok::<(), io::Error>(())
    })?;
    if !records.is_empty() {
        flush(&mut records, out)?;
    }
    Ok(())
}

/// Why a body could not be read: a read error, or a message saying how it is damaged.
pub(crate) enum ReadError {
    Io(io::Error),
    Damaged(String),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

fn damaged(m: impl Into<String>) -> ReadError {
    ReadError::Damaged(m.into())
}

/// Reads a body that `header` describes (from just after the header line), checking its
/// length, checksum and record counts.
pub(crate) fn read_body(mut r: impl BufRead, header: &Header) -> Result<Stats, ReadError> {
    let mut sum = Checksum::default();
    let mut line = Vec::new();
    next_line(&mut r, &mut line, &mut sum)?;
    let doc: StatsDoc = serde_json::from_slice(&line).map_err(|e| damaged(e.to_string()))?;
    let want = doc.records.ok_or_else(|| damaged("no record counts"))?;
    let mut stats = Stats::from_doc(doc, 2).map_err(damaged)?;
    let (mut evidence, mut scratch) = (EvidenceReader::default(), Vec::new());
    // Lines are numbered as in the file: the header is line 1, the JSON line 2.
    let (mut delivered, mut deferred, mut number) = (0, 0, 2);
    while next_line(&mut r, &mut line, &mut sum)? {
        number += 1;
        match line.first() {
            Some(b'd') => {
                let text = line
                    .strip_prefix(b"d\t")
                    .ok_or_else(|| damaged("bad line"))?;
                delivered += read_delivered(&mut stats, text, &mut scratch)
                    .ok_or_else(|| damaged(format!("line {number}: bad delivered records")))?;
            }
            _ => {
                let e = evidence.line(&mut stats.persistent, number, &line);
                deferred += u64::from(e.map_err(|e| damaged(e.to_string()))?);
            }
        }
    }
    if sum.bytes != header.bytes {
        return Err(damaged(format!(
            "{} bytes of a {}-byte body",
            sum.bytes, header.bytes
        )));
    }
    if format!("{:016x}", sum.finish()) != header.checksum {
        return Err(damaged("checksum mismatch"));
    }
    if (delivered, deferred) != (want.delivered, want.deferred) {
        return Err(damaged("record counts differ from the body's"));
    }
    Ok(stats)
}

/// Reads the next line into `line` (without its `\n`, which must be there), checksummed;
/// `false` at the end.
fn next_line(
    r: &mut impl BufRead,
    line: &mut Vec<u8>,
    sum: &mut Checksum,
) -> Result<bool, ReadError> {
    line.clear();
    if r.read_until(b'\n', line)? == 0 {
        return Ok(false);
    }
    sum.update(line);
    match line.pop() {
        Some(b'\n') => Ok(true),
        _ => Err(damaged("no end of line after the body")),
    }
}

/// Adds the records of a `d` line's base64 `text`; how many, or `None` if it is not one.
fn read_delivered(stats: &mut Stats, text: &[u8], scratch: &mut Vec<u8>) -> Option<u64> {
    scratch.clear();
    base64::decode_into(scratch, text)?;
    if scratch.is_empty() || !scratch.len().is_multiple_of(RECORD) {
        return None;
    }
    for r in scratch.chunks_exact(RECORD) {
        let (hash, time) = r.split_at(8);
        let word = |b: &[u8]| b.try_into().map(u64::from_be_bytes).unwrap_or_default();
        stats
            .persistent
            .add_delivered_packed(word(hash), word(time));
    }
    Some((scratch.len() / RECORD) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_does_not_depend_on_how_the_bytes_come() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Checksum::default();
        whole.update(&data);
        for step in [1, 3, 7, 8, 9, 64, 999] {
            let mut parts = Checksum::default();
            data.chunks(step).for_each(|c| parts.update(c));
            assert_eq!(parts.finish(), whole.finish(), "{step}");
            assert_eq!(parts.bytes, 1000);
        }
        let mut other = Checksum::default();
        let mut changed = data.clone();
        changed[500] ^= 1;
        other.update(&changed);
        assert_ne!(other.finish(), whole.finish());
        assert_eq!(Checksum::default().finish(), FNV_BASIS);
    }
}
