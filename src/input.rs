//! Opening inputs and cutting them into chunks of whole lines.
//!
//! Files, pipes, stdin and compressed streams (gzip, bzip2, xz and zstd, recognised by their
//! magic bytes whatever the name) all become a `Read`; [`Chunker`] turns any `Read` into large
//! buffers that end at a newline, so chunks can be parsed independently. A line longer than
//! the limit is skipped and counted, so memory stays bounded whatever the input.
//!
//! Nothing here seeks a file it did not check is a regular file, so FIFOs (`<(zcat x.gz)`)
//! and `/dev/stdin` are read as the streams they are. A regular file is memory-mapped only
//! when the [`MmapChoice`] allows it and the file is *settled* (see [`MmapChoice`]).

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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
/// stream) to `end` (plain files only; `None` is the end of the input). With an `end`, the
/// part was planned to end after a newline: if the input ends sooner (truncated while being
/// read), a last incomplete line is left unread rather than counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u64,
    pub end: Option<u64>,
}

/// How a file was compressed, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Compression {
    /// The format whose magic bytes `head` starts with.
    pub fn detect(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Compression::Xz
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Why an input could not be read, or not to its end. The input's name and the line are
/// added by [`crate::pipeline::InputError`].
#[derive(Debug)]
pub enum Error {
    /// The file could not be opened.
    Open(io::Error),
    /// A directory was given as a log.
    Directory,
    /// Reading failed (an I/O error of the file itself).
    Read(io::Error),
    /// The compressed data is damaged or cut short. Every complete line decoded before the
    /// damage was counted; nothing after it can be.
    Corrupt(Compression, io::Error),
    /// The input is shorter than the part to skip (where the last run stopped).
    Short,
    /// `--state` was given a pipe or a device, which cannot be read again from an offset.
    NotRegular,
    /// Anything else, said as it is (a helper program that failed).
    Other(io::Error),
}

impl Error {
    /// The kind of the I/O error behind it (`Other` for damaged data and the rest).
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            Error::Open(e) | Error::Read(e) | Error::Other(e) => e.kind(),
            Error::Directory => io::ErrorKind::IsADirectory,
            Error::Corrupt(..) => io::ErrorKind::InvalidData,
            Error::Short => io::ErrorKind::UnexpectedEof,
            Error::NotRegular => io::ErrorKind::InvalidInput,
        }
    }
}

/// An I/O error in words, without the `(os error N)` that tells a reader nothing.
pub(crate) fn describe(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Open(e) if e.kind() == io::ErrorKind::PermissionDenied => write!(
                f,
                "{} (run mailcodes as a user that may read it, e.g. one in group adm)",
                describe(e)
            ),
            Error::Open(e) => write!(f, "{}", describe(e)),
            Error::Directory => write!(f, "is a directory, not a log file"),
            Error::Read(e) => write!(f, "read failed: {}", describe(e)),
            Error::Corrupt(c, e) => write!(
                f,
                "{} data is damaged or cut short here ({}); the complete lines before it were \
                 counted, the rest of this file cannot be read",
                c.name(),
                describe(e)
            ),
            Error::Short => write!(f, "shorter than where the last run stopped"),
            Error::Other(e) => write!(f, "{}", describe(e)),
            Error::NotRegular => write!(
                f,
                "not a regular file; --state follows regular log files only (a pipe or device \
                 cannot be read again from where the last run stopped)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Open(e) | Error::Read(e) | Error::Corrupt(_, e) | Error::Other(e) => Some(e),
            Error::Directory | Error::Short | Error::NotRegular => None,
        }
    }
}

/// Whether regular files may be memory-mapped. A map is fast (no copy, half the CPU of
/// `read()` with two threads), but it is only as stable as the file: if another process
/// truncates a mapped file, touching the lost pages ends this process with SIGBUS. So even
/// when mapping is allowed, only *settled* files are mapped: rotated files found by
/// `--state` and files not modified for [`SETTLED_AFTER`]. A live log (the one `--state`
/// tracks, or any recently written file) is read with `read()`, which simply ends early if
/// the file is truncated under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MmapChoice {
    allowed: bool,
}

/// A file not modified for this long is taken as settled (rotated away, not written to).
pub const SETTLED_AFTER: Duration = Duration::from_secs(10 * 60);

impl MmapChoice {
    /// Every file is read with `read()` (`--no-mmap`).
    pub const fn never() -> MmapChoice {
        MmapChoice { allowed: false }
    }

    /// Settled files may be mapped.
    ///
    /// # Safety
    ///
    /// memmap2 maps files `MAP_SHARED` (read-only): the mapped bytes are the file's page
    /// cache, shared with every other process. Rust assumes the bytes behind the `&[u8]` a
    /// map hands out neither change nor vanish while it is borrowed; a process that writes
    /// into the mapped range breaks the first promise, one that truncates the file breaks
    /// the second (SIGBUS). The caller promises that settled files (rotated files, files
    /// not modified for [`SETTLED_AFTER`]) are neither rewritten nor truncated while a scan
    /// runs, which is how logrotate and syslog daemons treat them; appends are harmless
    /// (they land beyond the mapped range).
    #[allow(unsafe_code)]
    pub unsafe fn settled_files() -> MmapChoice {
        MmapChoice { allowed: true }
    }

    fn maps(self, settled: bool) -> bool {
        self.allowed && settled
    }
}

/// A regular file that may be mapped: only [`open_file`] makes one, under an [`MmapChoice`]
/// that allows it and for a settled file, so [`Mappable::map`] keeps the promise made to
/// [`MmapChoice::settled_files`].
pub(crate) struct Mappable {
    file: File,
}

impl Mappable {
    /// Maps `range` of the file, read-only.
    pub(crate) fn map(&self, range: std::ops::Range<u64>) -> io::Result<memmap2::Mmap> {
        let len = usize::try_from(range.end - range.start).map_err(io::Error::other)?;
        map_settled(&self.file, range.start, len, true)
    }

    /// Maps `range` of the file, read-only, its pages brought in when first read (by
    /// whichever thread reads them).
    pub(crate) fn map_lazily(&self, range: std::ops::Range<u64>) -> io::Result<memmap2::Mmap> {
        let len = usize::try_from(range.end - range.start).map_err(io::Error::other)?;
        map_settled(&self.file, range.start, len, false)
    }

    /// The file, to find line ends in it.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }
}

#[allow(unsafe_code)]
fn map_settled(file: &File, offset: u64, len: usize, populate: bool) -> io::Result<memmap2::Mmap> {
    // SAFETY: `file` is a settled file, mapped under an `MmapChoice` whose creator promised
    // (see `MmapChoice::settled_files`) that settled files are neither written into nor
    // truncated while this scan runs. The map is shared, not private: that promise is the
    // only thing that keeps its bytes stable.
    let mut options = memmap2::MmapOptions::new();
    options.offset(offset).len(len);
    if populate {
        options.populate();
    }
    unsafe { options.map(file) }
}

/// How an opened input is read.
pub(crate) enum Content {
    /// A settled regular file, uncompressed, to be memory-mapped chunk by chunk: parsed in
    /// place, without a copy, and unmapped once parsed, so memory stays bounded. The range
    /// is the part to read.
    Mapped(Mappable, std::ops::Range<u64>),
    /// Anything else (live files, stdin, pipes, compressed files): read in chunks by a
    /// reader thread.
    Stream(Box<dyn Read + Send>),
}

/// An opened input.
pub(crate) struct Opened {
    pub content: Content,
    /// Seconds since the epoch that no timestamp in the input should be later than (the
    /// file's modification time; now for stdin and pipes). Used to infer missing years.
    pub reference_time: i64,
    pub compression: Compression,
}

/// Seconds since the epoch, now.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether a log timestamp can be believed for a file whose time is `reference` (its
/// modification time, seconds since the epoch): not more than a year after it (a clock set
/// to 9999 would expire every kept 450 case), and not more than 30 years before it (year
/// 0000 would name the report folder `0000-01-01`). Other events still count; their time is
/// trusted for nothing (no hour, no window, no persistent-450 span).
pub(crate) fn plausible(t: crate::time::Stamp, reference: i64) -> bool {
    const YEAR: i64 = 366 * 86_400;
    let at = t.instant();
    at <= reference.saturating_add(YEAR) && at >= reference.saturating_sub(30 * YEAR)
}

/// Cuts `range` of a file into pieces of about `chunk_size` bytes that end after a newline
/// (the last one may end without), reading only a little around each cut.
pub(crate) fn line_chunks(
    file: &File,
    range: std::ops::Range<u64>,
    chunk_size: u64,
) -> io::Result<Vec<std::ops::Range<u64>>> {
    use std::os::unix::fs::FileExt;
    // A page first: a line is rarely longer, and every cut is a read on the path to the
    // scan's start (64 KiB reads copied a megabyte to cut an 18 MB log in 16). Then twice as
    // much at each read that finds no newline, up to 1 MiB: a cut inside a reply of 500 KB,
    // or in a file of binary junk with no newline for a gigabyte, takes a few reads.
    const FIRST: usize = 4 << 10;
    const MOST: usize = 1 << 20;
    let mut out = Vec::new();
    let mut start = range.start;
    let mut buf = vec![0u8; FIRST];
    while start < range.end {
        let mut cut = (start + chunk_size.max(1)).min(range.end);
        let mut want = FIRST;
        // Move the cut to just after the next newline.
        while cut < range.end {
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let n = ((range.end - cut) as usize).min(want);
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
            want = (want * 2).min(MOST);
        }
        out.push(start..cut);
        start = cut;
    }
    Ok(out)
}

/// Opens a source (see [`open_file`]); stdin is always a stream.
pub(crate) fn open(
    source: &Source,
    span: Span,
    mmap: MmapChoice,
    counter: impl FnMut(usize) + Send + 'static,
) -> Result<Opened, Error> {
    match source {
        Source::Stdin => stream(
            Box::new(io::stdin()),
            "<stdin>",
            span,
            span.start,
            now(),
            counter,
        ),
        Source::Path(p) => {
            let f = File::open(p).map_err(Error::Open)?;
            open_file(f, &p.display().to_string(), span, mmap, false, counter)
        }
    }
}

/// Opens an already opened file `name`: decompressed when it starts with the magic bytes of
/// a compressed format; memory-mapped when it is a plain regular file, `mmap` allows it and it
/// is settled (`rotated`, or not modified for [`SETTLED_AFTER`]); otherwise read as a stream
/// (FIFOs and character devices are never seeked). `counter` is called with the number of
/// raw bytes read, as they are read (streams only).
pub(crate) fn open_file(
    mut f: File,
    name: &str,
    span: Span,
    mmap: MmapChoice,
    rotated: bool,
    counter: impl FnMut(usize) + Send + 'static,
) -> Result<Opened, Error> {
    let meta = f.metadata().map_err(Error::Open)?;
    if meta.is_dir() {
        return Err(Error::Directory);
    }
    let modified = meta.modified().ok();
    let mtime = modified
        .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or_else(now, |d| d.as_secs() as i64);
    if !meta.is_file() {
        // A pipe, a terminal, /dev/stdin: read as it comes, never seeked.
        return stream(Box::new(f), name, span, span.start, now(), counter);
    }
    let mut magic = [0u8; 6];
    let n = read_head(&mut f, &mut magic).map_err(Error::Read)?;
    let compression = Compression::detect(&magic[..n]);
    let idle = modified
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age >= SETTLED_AFTER);
    if compression == Compression::None && mmap.maps(rotated || idle) && meta.len() > 0 {
        let end = span.end.map_or(meta.len(), |e| e.min(meta.len()));
        return Ok(Opened {
            content: Content::Mapped(Mappable { file: f }, span.start.min(end)..end),
            reference_time: mtime,
            compression,
        });
    }
    // A plain regular file is positioned at the start of the span; a compressed one at its
    // start, and the span skipped in the decompressed stream.
    let (at, skip) = match compression {
        Compression::None => (span.start, 0),
        _ => (0, span.start),
    };
    f.seek(SeekFrom::Start(at)).map_err(Error::Read)?;
    let span = Span {
        start: at,
        end: span.end,
    };
    stream(Box::new(f), name, span, skip, mtime, counter)
}

/// Reads up to `buf.len()` bytes at the start of a regular file (a short file gives fewer),
/// wherever its position is.
fn read_head(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut n = 0;
    while n < buf.len() {
        match f.read_at(&mut buf[n..], n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A stream over `raw`: buffered, decompressed by its magic bytes, `skip` bytes of the
/// (decompressed) stream skipped, and cut at `span.end` (plain only; `span.start` is where
/// `raw` already is).
fn stream(
    raw: Box<dyn Read + Send>,
    name: &str,
    span: Span,
    skip: u64,
    reference_time: i64,
    counter: impl FnMut(usize) + Send + 'static,
) -> Result<Opened, Error> {
    let mut buffered = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            counter,
        },
    );
    let compression = Compression::detect(buffered.fill_buf().map_err(classify_plain)?);
    let mut reader = decoder(compression, buffered, name);
    if skip > 0 {
        let skipped = io::copy(&mut (&mut reader).take(skip), &mut io::sink())
            .map_err(|e| classify(compression, e))?;
        if skipped < skip {
            return Err(Error::Short);
        }
    }
    if let (Some(end), Compression::None) = (span.end, compression) {
        reader = Box::new(reader.take(end.saturating_sub(span.start)));
    }
    Ok(Opened {
        content: Content::Stream(reader),
        reference_time,
        compression,
    })
}

/// A decompressing reader for `compression` over `r` (`r` itself for plain data). Every
/// format reads concatenated members/streams, as its command-line tool does.
pub(crate) fn decoder(
    compression: Compression,
    r: impl BufRead + Send + 'static,
    name: &str,
) -> Box<dyn Read + Send> {
    match compression {
        Compression::None => Box::new(r),
        Compression::Gzip => Box::new(GzMembers {
            decoder: Some(flate2::bufread::GzDecoder::new(r)),
            name: name.to_string(),
        }),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(r)),
        Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(r)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(r) {
            Ok(d) => Box::new(d),
            Err(e) => Box::new(Failing(Some(e))),
        },
    }
}

/// A reader whose first read fails (a decoder that could not be set up).
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// The gzip members of a file, one after the other, as `gzip -d` reads them. After the last
/// complete member, zero padding (tape blocks) or other bytes that are not a gzip member
/// end the stream with a warning, as `zcat` gives one, and every line decoded is kept.
struct GzMembers<R> {
    decoder: Option<flate2::bufread::GzDecoder<R>>,
    name: String,
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(d) = &mut self.decoder else {
                return Ok(0);
            };
            let n = d.read(buf)?;
            if n > 0 || buf.is_empty() {
                return Ok(n);
            }
            // A member ended whole (its checksum matched): what follows it?
            let Some(d) = self.decoder.take() else {
                return Ok(0);
            };
            let mut rest = d.into_inner();
            let head = rest.fill_buf()?;
            if head.is_empty() {
                return Ok(0);
            }
            if head[0] == 0x1f && head.get(1).is_none_or(|b| *b == 0x8b) {
                self.decoder = Some(flate2::bufread::GzDecoder::new(rest));
                continue;
            }
            let what = if all_zero(&mut rest)? {
                "trailing zero bytes"
            } else {
                "trailing garbage"
            };
            eprintln!(
                "mailcodes: warning: {}: decompression OK, {what} ignored",
                self.name
            );
            return Ok(0);
        }
    }
}

/// Whether everything left in `r` is zero bytes (reads it all).
fn all_zero(r: &mut impl BufRead) -> io::Result<bool> {
    let mut zero = true;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(zero);
        }
        zero &= buf.iter().all(|b| *b == 0);
        let n = buf.len();
        r.consume(n);
    }
}

/// An I/O error of the file itself, told apart from a decoder's complaint about its data.
#[derive(Debug)]
struct ReadFailed(io::Error);

impl fmt::Display for ReadFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ReadFailed {}

/// What went wrong reading a stream of `compression`: an I/O error of the file, or damaged
/// data (anything the decoder itself reports).
pub(crate) fn classify(compression: Compression, e: io::Error) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<ReadFailed>()) {
        let inner = e.into_inner().and_then(|b| b.downcast::<ReadFailed>().ok());
        return Error::Read(inner.map_or_else(|| io::Error::other("read failed"), |r| r.0));
    }
    match compression {
        Compression::None => Error::Read(e),
        c => Error::Corrupt(c, e),
    }
}

fn classify_plain(e: io::Error) -> Error {
    classify(Compression::None, e)
}

/// A buffered reader over `range` of a file, reporting the bytes it reads to `counter`: for
/// a file that is read rather than mapped after all (see `Pipeline::scan_mapped`).
pub(crate) fn range_reader(
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
        match self.inner.read(buf) {
            Ok(n) => {
                (self.counter)(n);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(io::Error::new(e.kind(), ReadFailed(e))),
        }
    }
}

/// A buffer of whole lines (`data[..len]`), plus how many over-long lines were skipped before
/// it. The buffer may be longer than `len`: buffers are reused without clearing them.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
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

/// How much of a new chunk buffer the first read fills (see `Chunker::fill`).
const FIRST_FILL: usize = 64 << 10;

/// Cuts a reader into chunks that end at a newline.
///
/// When the reader fails (damaged compressed data, an I/O error), the complete lines read
/// before the failure are still handed out, and the error comes after them; the incomplete
/// line at the failure is dropped. [`Chunker::consumed`] tells how far the input was read in
/// whole lines, which is where a later run may go on.
pub(crate) struct Chunker<R> {
    reader: R,
    carry: Vec<u8>,
    chunk_size: usize,
    max_line: usize,
    eof: bool,
    /// A last line without a newline is left unread (the input was planned to end at one).
    complete_only: bool,
    /// A read error, held back until the complete lines before it were handed out.
    error: Option<io::Error>,
    /// Bytes taken from the reader.
    read: u64,
    /// Bytes up to the end of the last line handed out or skipped.
    consumed: u64,
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
            complete_only: false,
            error: None,
            read: 0,
            consumed: 0,
        }
    }

    /// Leaves a last line without a newline unread: for a part of a file planned to end
    /// after a newline, where a missing newline means the file was cut short while read.
    pub fn complete_lines_only(mut self) -> Chunker<R> {
        self.complete_only = true;
        self
    }

    /// Bytes of the input up to the end of the last line handed out (or skipped as
    /// over-long): where reading may resume.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Reads into `buf[*filled..]` until `want` bytes are filled or the input ends (or
    /// fails: the error is kept for later). `buf` only ever grows, so a reused buffer is not
    /// zeroed again; a new one grows from [`FIRST_FILL`] by doubling as the input fills it,
    /// so that a small input does not zero (and fault in) a whole chunk's buffer: for an
    /// empty file, that was a fifth of the run.
    fn fill(&mut self, buf: &mut Vec<u8>, filled: &mut usize, want: usize) {
        while *filled < want && !self.eof {
            if buf.len() <= *filled {
                buf.resize(want.min((*filled * 2).max(FIRST_FILL)), 0);
            }
            let end = buf.len().min(want);
            match self.reader.read(&mut buf[*filled..end]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    *filled += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                }
            }
        }
    }

    /// The next chunk, reusing `buf`'s allocation. `None` at the end of the input; an error
    /// once the lines before it were handed out.
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
            self.fill(&mut buf, &mut filled, want);
            if let Some(nl) = memchr::memrchr(b'\n', &buf[..filled]) {
                self.carry.extend_from_slice(&buf[nl + 1..filled]);
                self.consumed = self.read - self.carry.len() as u64;
                return Ok(Some(Chunk {
                    data: buf,
                    len: nl + 1,
                    overlong,
                }));
            }
            if self.eof {
                return self.last(buf, filled, overlong);
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
                self.fill(&mut buf, &mut filled, self.chunk_size);
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
            self.consumed = self.read - filled as u64;
            want = self.chunk_size.max(filled);
        }
    }

    /// The end of the input: `buf[..filled]` is a last line without a newline, handed out
    /// unless the input failed or only complete lines are wanted.
    fn last(&mut self, buf: Vec<u8>, filled: usize, overlong: u64) -> io::Result<Option<Chunk>> {
        let keep = self.error.is_none() && !self.complete_only;
        let len = if keep { filled } else { 0 };
        self.consumed = self.read - (filled - len) as u64;
        if len == 0 && overlong == 0 {
            return match self.error.take() {
                Some(e) => Err(e),
                None => Ok(None),
            };
        }
        Ok(Some(Chunk {
            data: buf,
            len,
            overlong,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_cut_after_newlines_whatever_its_lines_lengths() {
        use std::io::Write;
        // Short lines, lines longer than the first reads (and than several of them), a
        // stretch of 3 MB with no newline, and a last line without one.
        let mut data = Vec::new();
        for i in 0..80 {
            let len = [20, 5000, 70_000, 300_000][i % 4];
            data.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, len));
            data.push(b'\n');
        }
        data.extend(std::iter::repeat_n(b'z', 3 << 20));
        data.extend_from_slice(b"\ntail");
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&data).unwrap();
        let len = data.len() as u64;
        for (range, size) in [
            (0..len, 1 << 20),
            (0..len, 4096),
            (777..len - 3, 100_000),
            (0..len, len),
        ] {
            let cuts = line_chunks(&file, range.clone(), size).unwrap();
            assert_eq!(cuts.first().unwrap().start, range.start);
            assert_eq!(cuts.last().unwrap().end, range.end);
            for pair in cuts.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
            for c in &cuts[..cuts.len() - 1] {
                assert!(c.end - c.start >= size.min(range.end - c.start), "{c:?}");
                assert_eq!(
                    data[c.end as usize - 1],
                    b'\n',
                    "{c:?} ends after a newline"
                );
                // The first newline at or after the size asked for.
                let from = (c.start + size) as usize;
                let first = from + data[from..].iter().position(|&b| b == b'\n').unwrap();
                assert_eq!(c.end as usize, first + 1, "{c:?}");
            }
        }
        assert!(line_chunks(&file, 5..5, 100).unwrap().is_empty());
        // One newline, at and around every boundary between two of the growing reads of a
        // cut asked for at 4 KiB.
        let (mut edges, mut read) = (vec![4096u64], 4096);
        while edges[edges.len() - 1] < 4 << 20 {
            edges.push(edges[edges.len() - 1] + read);
            read = (read * 2).min(1 << 20);
        }
        for edge in edges {
            for at in [edge - 1, edge, edge + 1] {
                let mut data = vec![b'x'; at as usize + 10];
                data[at as usize] = b'\n';
                let mut file = tempfile::tempfile().unwrap();
                file.write_all(&data).unwrap();
                let len = data.len() as u64;
                let cuts = line_chunks(&file, 0..len, 4096).unwrap();
                // (A newline before the cut asked for is not where it moves to.)
                let want = if at >= 4096 { at + 1 } else { len };
                assert_eq!(cuts[0], 0..want, "newline at {at}");
            }
        }
    }

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

    /// A reader that hands out at most `step` bytes a call, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.step).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Chunks larger than the first fill (the buffer grows through several sizes), from a
    /// reader that trickles: every byte once, in order, each chunk ending at a newline, and a
    /// new buffer never larger than what the input needed.
    #[test]
    fn a_growing_buffer_keeps_every_byte() {
        let data: Vec<u8> = (0..40_000)
            .flat_map(|i| format!("line {i} of the log\n").into_bytes())
            .collect();
        assert!(data.len() > 3 * FIRST_FILL);
        for (size, step) in [
            (3 * FIRST_FILL, 7_000),
            (FIRST_FILL / 2, 100_000),
            (1 << 20, 1 << 20),
        ] {
            let mut c = Chunker::new(Trickle { data: &data, step }, size, crate::scan::MAX_LINE);
            let (mut all, mut buf) = (Vec::new(), Vec::new());
            while let Some(ch) = c.next_chunk(buf).unwrap() {
                assert_eq!(ch.bytes().last(), Some(&b'\n'));
                assert!(ch.bytes().len() <= size, "{size}");
                all.extend_from_slice(ch.bytes());
                buf = ch.data;
            }
            assert_eq!(all, data, "{size} {step}");
        }
        let small = b"one line\n";
        let mut c = Chunker::new(&small[..], 4 << 20, crate::scan::MAX_LINE);
        let ch = c.next_chunk(Vec::new()).unwrap().unwrap();
        assert_eq!(ch.bytes(), small);
        assert_eq!(
            ch.data.len(),
            FIRST_FILL,
            "a small input zeroes only the first fill"
        );
    }

    #[test]
    fn empty_input_has_no_chunks() {
        assert!(chunks(b"", 10, 10).is_empty());
    }
}
