//! Opening inputs and cutting them into chunks of whole lines.
//!
//! Files, stdin and gzip streams (recognised by their magic bytes, whatever the name) all
//! become a `Read`; [`Chunker`] turns any `Read` into large buffers that end at a newline,
//! so chunks can be parsed independently. A line longer than the limit is skipped and
//! counted, so memory stays bounded whatever the input.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
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

/// Which part of an input to read: from `start` (bytes of the file, or of the decompressed
/// stream for gzip) to `end` (plain files only; `None` is the end of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u64,
    pub end: Option<u64>,
}

/// How an opened input is read.
pub enum Content {
    /// A regular, uncompressed file, to be memory-mapped chunk by chunk ([`map_range`]):
    /// parsed in place, without a copy, and unmapped once parsed, so memory stays bounded.
    /// The range is the part to read.
    Mapped(File, std::ops::Range<u64>),
    /// Anything else (stdin, pipes, gzip): read in chunks by a reader thread.
    Stream(Box<dyn Read + Send>),
}

/// An opened input.
pub struct Opened {
    pub content: Content,
    /// Seconds since the epoch that no timestamp in the input should be later than (the
    /// file's modification time; now for stdin). Used to infer missing years.
    pub reference_time: i64,
    pub gzip: bool,
}

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Maps a regular file into memory.
///
/// A map is only as stable as the file: if another process truncates the file while it is
/// being read, the kernel ends the process with SIGBUS. Log files are appended to, and
/// rotation renames them or truncates them between runs; `--no-mmap` reads with `read()`
/// instead for setups that truncate a log while it is being scanned.
#[allow(unsafe_code)]
pub fn map_range(file: &File, range: std::ops::Range<u64>) -> io::Result<memmap2::Mmap> {
    let len = usize::try_from(range.end - range.start).map_err(io::Error::other)?;
    // SAFETY: the map is read-only and private to this process; see the note above about
    // truncation by other processes, the one case this cannot rule out.
    unsafe {
        memmap2::MmapOptions::new()
            .offset(range.start)
            .len(len)
            .populate()
            .map(file)
    }
}

/// Cuts `range` of a file into pieces of about `chunk_size` bytes that end after a newline
/// (the last one may end without), reading only a little around each cut.
pub fn line_chunks(
    file: &File,
    range: std::ops::Range<u64>,
    chunk_size: u64,
) -> io::Result<Vec<std::ops::Range<u64>>> {
    use std::os::unix::fs::FileExt;
    let mut out = Vec::new();
    let mut start = range.start;
    let mut buf = vec![0u8; 64 << 10];
    while start < range.end {
        let mut cut = (start + chunk_size.max(1)).min(range.end);
        // Move the cut to just after the next newline.
        while cut < range.end {
            let n = ((range.end - cut) as usize).min(buf.len());
            let got = file.read_at(&mut buf[..n], cut)?;
            if got == 0 {
                cut = range.end;
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &buf[..got]) {
                cut += i as u64 + 1;
                break;
            }
            cut += got as u64;
        }
        out.push(start..cut);
        start = cut;
    }
    Ok(out)
}

/// Opens a source. A file that starts with the gzip magic bytes is decompressed; a regular
/// uncompressed file is memory-mapped unless `mmap` is false. `counter` is called with the
/// number of raw bytes read, as they are read (streams only).
pub fn open(
    source: &Source,
    span: Span,
    mmap: bool,
    counter: impl FnMut(usize) + Send + 'static,
) -> io::Result<Opened> {
    let mut skip = span.start;
    let (raw, reference_time): (Box<dyn Read + Send>, i64) = match source {
        Source::Stdin => (Box::new(io::stdin()), now()),
        Source::Path(p) => {
            let mut f = File::open(p)?;
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
            let mut magic = [0u8; 2];
            let n = f.read(&mut magic)?;
            let plain = magic[..n] != [0x1f, 0x8b];
            if plain && mmap && meta.is_file() && meta.len() > 0 {
                let end = span.end.map_or(meta.len(), |e| e.min(meta.len()));
                let content = Content::Mapped(f, span.start.min(end)..end);
                return Ok(Opened {
                    content,
                    reference_time: mtime,
                    gzip: false,
                });
            }
            if plain {
                f.seek(SeekFrom::Start(span.start))?;
                skip = 0;
            } else {
                f.seek(SeekFrom::Start(0))?;
            }
            (Box::new(f), mtime)
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
    let mut reader: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    if skip > 0 {
        let skipped = io::copy(&mut (&mut reader).take(skip), &mut io::sink())?;
        if skipped < skip {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "shorter than where the last run stopped",
            ));
        }
    }
    if let (Some(end), false) = (span.end, gzip) {
        reader = Box::new(reader.take(end.saturating_sub(span.start)));
    }
    Ok(Opened {
        content: Content::Stream(reader),
        reference_time,
        gzip,
    })
}

/// A buffered reader over `range` of a file, reporting the bytes it reads to `counter`: for
/// a file that is read rather than mapped after all (see `Pipeline::scan_mapped`).
pub fn range_reader(
    file: &File,
    range: std::ops::Range<u64>,
    counter: impl FnMut(usize) + Send + 'static,
) -> io::Result<Box<dyn Read + Send>> {
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(range.start))?;
    Ok(Box::new(BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: f.take(range.end - range.start),
            counter,
        },
    )))
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

/// A buffer of whole lines (`data[..len]`), plus how many over-long lines were skipped before
/// it. The buffer may be longer than `len`: buffers are reused without clearing them.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    pub len: usize,
    pub overlong: u64,
}

impl Chunk {
    /// The lines.
    pub fn bytes(&self) -> &[u8] {
        &self.data[..self.len]
    }
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
    /// Chunks of about `chunk_size` bytes; lines longer than `max_line` that do not fit in a
    /// chunk are skipped and counted.
    pub fn new(reader: R, chunk_size: usize, max_line: usize) -> Chunker<R> {
        Chunker {
            reader,
            carry: Vec::new(),
            chunk_size: chunk_size.max(1),
            max_line: max_line.max(1),
            eof: false,
        }
    }

    /// Reads into `buf[*filled..]` until `want` bytes are filled or the input ends. `buf` only
    /// ever grows, so a reused buffer is not zeroed again.
    fn fill(&mut self, buf: &mut Vec<u8>, filled: &mut usize, want: usize) -> io::Result<()> {
        if buf.len() < want {
            buf.resize(want, 0);
        }
        while *filled < want && !self.eof {
            match self.reader.read(&mut buf[*filled..want]) {
                Ok(0) => self.eof = true,
                Ok(n) => *filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The next chunk, reusing `buf`'s allocation. `None` at the end of the input.
    pub fn next_chunk(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Chunk>> {
        let mut filled = self.carry.len();
        if buf.len() < filled {
            buf.resize(filled, 0);
        }
        buf[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut overlong = 0;
        let mut want = self.chunk_size.max(filled);
        loop {
            self.fill(&mut buf, &mut filled, want)?;
            if let Some(nl) = memchr::memrchr(b'\n', &buf[..filled]) {
                self.carry.extend_from_slice(&buf[nl + 1..filled]);
                return Ok(Some(Chunk {
                    data: buf,
                    len: nl + 1,
                    overlong,
                }));
            }
            if self.eof {
                let done = filled == 0 && overlong == 0;
                return Ok((!done).then_some(Chunk {
                    data: buf,
                    len: filled,
                    overlong,
                }));
            }
            if filled <= self.max_line {
                // A long line: read on until its newline.
                want = filled + self.chunk_size;
                continue;
            }
            // One line is longer than the limit: drop it up to its newline.
            overlong += 1;
            loop {
                filled = 0;
                self.fill(&mut buf, &mut filled, self.chunk_size)?;
                if let Some(nl) = memchr::memchr(b'\n', &buf[..filled]) {
                    buf.copy_within(nl + 1..filled, 0);
                    filled -= nl + 1;
                    break;
                }
                if self.eof {
                    filled = 0;
                    break;
                }
            }
            want = self.chunk_size.max(filled);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(data: &[u8], size: usize, max_line: usize) -> Vec<(Vec<u8>, u64)> {
        let mut c = Chunker::new(data, size, max_line);
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(ch) = c.next_chunk(buf).unwrap() {
            out.push((ch.bytes().to_vec(), ch.overlong));
            buf = ch.data; // reuse, as the pipeline does
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
        data.extend(std::iter::repeat_n(b'x', 5000));
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
