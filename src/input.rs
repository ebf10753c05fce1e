//! Opening inputs and cutting them into chunks of whole lines.
//!
//! Files, stdin and gzip streams (recognised by their magic bytes, whatever the name) all
//! become a `Read`; [`Chunker`] turns any `Read` into large buffers that end at a newline,
//! so chunks can be parsed independently. A line longer than the limit is skipped and
//! counted, so memory stays bounded whatever the input.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where a log comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
}

impl Source {
    /// `-` is stdin, anything else a path.
    pub fn from_arg(arg: &Path) -> Source {
        if arg.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::Path(arg.to_path_buf())
        }
    }

    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::Path(p) => p.display().to_string(),
        }
    }
}

/// An opened input.
pub struct Opened {
    pub reader: Box<dyn Read + Send>,
    /// Seconds since the epoch that no timestamp in the input should be later than (the
    /// file's modification time; now for stdin). Used to infer missing years.
    pub reference_time: i64,
    /// Size in bytes, when known (for the progress bar).
    pub size: Option<u64>,
    pub gzip: bool,
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Opens a source, decompressing it if it starts with the gzip magic bytes. `counter` is
/// called with the number of raw bytes read, as they are read.
pub fn open(source: &Source, counter: impl FnMut(usize) + Send + 'static) -> io::Result<Opened> {
    let (raw, reference_time, size): (Box<dyn Read + Send>, i64, Option<u64>) = match source {
        Source::Stdin => (Box::new(io::stdin()), now(), None),
        Source::Path(p) => {
            let f = File::open(p)?;
            let meta = f.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "is a directory",
                ));
            }
            let mtime = meta
                .modified()
                .ok()
                .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or_else(now, |d| d.as_secs() as i64);
            (Box::new(f), mtime, Some(meta.len()))
        }
    };
    let mut buffered = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            counter,
        },
    );
    let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    Ok(Opened {
        reader,
        reference_time,
        size,
        gzip,
    })
}

struct Counting<R, F> {
    inner: R,
    counter: F,
}

impl<R: Read, F: FnMut(usize)> Read for Counting<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.counter)(n);
        Ok(n)
    }
}

/// A buffer of whole lines, plus how many over-long lines were skipped before it.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    pub overlong: u64,
}

/// Cuts a reader into chunks that end at a newline.
pub struct Chunker<R> {
    reader: R,
    carry: Vec<u8>,
    chunk_size: usize,
    max_line: usize,
    eof: bool,
}

impl<R: Read> Chunker<R> {
    /// Chunks of about `chunk_size` bytes; lines longer than `max_line` are skipped.
    pub fn new(reader: R, chunk_size: usize, max_line: usize) -> Chunker<R> {
        Chunker {
            reader,
            carry: Vec::new(),
            chunk_size: chunk_size.max(1),
            max_line: max_line.max(1),
            eof: false,
        }
    }

    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
        while buf.len() < want && !self.eof {
            let old = buf.len();
            buf.resize(want, 0);
            match self.reader.read(&mut buf[old..]) {
                Ok(0) => {
                    buf.truncate(old);
                    self.eof = true;
                }
                Ok(n) => buf.truncate(old + n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(old),
                Err(e) => {
                    buf.truncate(old);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The next chunk, reusing `buf`'s allocation. `None` at the end of the input.
    pub fn next_chunk(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Chunk>> {
        buf.clear();
        buf.append(&mut self.carry);
        let mut overlong = 0;
        let mut want = self.chunk_size;
        loop {
            self.fill(&mut buf, want)?;
            if let Some(nl) = memchr::memrchr(b'\n', &buf) {
                self.carry.extend_from_slice(&buf[nl + 1..]);
                buf.truncate(nl + 1);
                return Ok(Some(Chunk {
                    data: buf,
                    overlong,
                }));
            }
            if self.eof {
                let done = buf.is_empty() && overlong == 0;
                return Ok((!done).then_some(Chunk {
                    data: buf,
                    overlong,
                }));
            }
            if buf.len() <= self.max_line {
                // A long line: read on until its newline.
                want = buf.len() + self.chunk_size;
                continue;
            }
            // One line is longer than the limit: drop it up to its newline.
            overlong += 1;
            loop {
                buf.clear();
                self.fill(&mut buf, self.chunk_size)?;
                if let Some(nl) = memchr::memchr(b'\n', &buf) {
                    buf.drain(..=nl);
                    break;
                }
                if self.eof {
                    buf.clear();
                    break;
                }
            }
            want = self.chunk_size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(data: &[u8], size: usize, max_line: usize) -> Vec<(Vec<u8>, u64)> {
        let mut c = Chunker::new(data, size, max_line);
        let mut out = Vec::new();
        while let Some(ch) = c.next_chunk(Vec::new()).unwrap() {
            out.push((ch.data, ch.overlong));
        }
        out
    }

    #[test]
    fn chunks_end_at_newlines_and_keep_every_byte() {
        let data = b"aaa\nbb\ncccc\nd\neeeee\nlast";
        for size in 1..30 {
            let cs = chunks(data, size, 1000);
            let joined: Vec<u8> = cs.iter().flat_map(|c| c.0.clone()).collect();
            assert_eq!(joined, data.to_vec(), "size {size}");
            for c in &cs[..cs.len() - 1] {
                assert_eq!(c.0.last(), Some(&b'\n'));
            }
        }
    }

    #[test]
    fn overlong_lines_are_skipped_and_counted() {
        let mut data = b"short\n".to_vec();
        data.extend(std::iter::repeat(b'x').take(5000));
        data.extend(b"\nafter\n");
        let cs = chunks(&data, 64, 1000);
        let joined: Vec<u8> = cs.iter().flat_map(|c| c.0.clone()).collect();
        assert_eq!(joined, b"short\nafter\n".to_vec());
        assert_eq!(cs.iter().map(|c| c.1).sum::<u64>(), 1);
    }

    #[test]
    fn empty_input_has_no_chunks() {
        assert!(chunks(b"", 10, 10).is_empty());
    }
}
