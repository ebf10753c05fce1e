//! The events table (`--events FILE`): one row per outcome, for engines that already do
//! per-event analysis well (DuckDB, Spark, ClickHouse) instead of a home-made one.
//!
//! The summaries answer the questions mailcodes knows in advance; the events table answers
//! the rest. It is written as Parquet for `.parquet` (typed columns, row groups flushed as
//! they fill so memory stays bounded) and as RFC 4180 CSV for `.csv` and `.csv.gz`.
//! Either way the file appears under its name only when [`EventsWriter::finish`] succeeds:
//! rows go to a temporary file beside it that is renamed at the end.
//!
//! Rows come in input order, one at a time ([`EventsWriter::push`]) or a chunk at a time
//! ([`EventsWriter::push_batch`], with an [`EventBatch`] that a scan worker cleaned in
//! parallel); both give the same bytes.
//!
//! ```
//! use mailcodes::events::{EventRow, EventsWriter};
//! use mailcodes::parse::{Class, Mta};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("events.csv");
//! let mut w = EventsWriter::create(&path)?;
//! w.push(&EventRow {
//!     time: None,
//!     host: b"mx1",
//!     mta: Mta::Postfix,
//!     queue_id: b"4F9D1C2",
//!     recipient: b"a@Example.org",
//!     relay: b"mx.example.org[192.0.2.1]:25",
//!     class: Class::Success,
//!     code: Some(250),
//!     enhanced: None,
//!     diagnosis: "",
//!     text: b"250 2.0.0 Ok: queued as 9C3B1",
//! })?;
//! assert_eq!(w.finish()?, 1);
//! let csv = std::fs::read_to_string(&path).unwrap();
//! assert!(csv.ends_with(",mx1,postfix,4F9D1C2,a@Example.org,example.org,\
//!     mx.example.org[192.0.2.1]:25,2xx,250,,,250 2.0.0 Ok: queued as 9C3B1\r\n"));
//! # Ok::<(), mailcodes::events::EventsError>(())
//! ```
//!
//! The time rule: `time` is the UTC instant when the log line stated its offset, else the
//! local wall-clock time as written; `utc_offset_min` says which (set, or null). In Parquet
//! both are a `TIMESTAMP(MICROS, isAdjustedToUTC=false)`; in CSV an instant ends in `Z`
//! (`2026-11-28T05:25:13Z`) and a local time has no suffix (`2026-11-28T06:25:13`).

mod batch;
mod clean;
mod csv_sink;
mod parquet_sink;
pub mod sink;

use crate::parse::{Class, Enhanced, Mta};
use crate::time::Stamp;
pub use batch::EventBatch;
use clean::{Cells, CleanRow};
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

pub use clean::TEXT_CAP;
pub use parquet_sink::{ROW_GROUP_BYTES, ROW_GROUP_ROWS};

/// The columns of the table, in file order (the same in Parquet and CSV).
pub const COLUMNS: [&str; 13] = [
    "time",
    "utc_offset_min",
    "host",
    "mta",
    "queue_id",
    "recipient",
    "domain",
    "relay",
    "class",
    "code",
    "enhanced",
    "diagnosis",
    "text",
];

/// One outcome as the scan found it, borrowing from the log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRow<'a> {
    /// The timestamp as written, with its offset when the log stated one.
    pub time: Option<Stamp>,
    /// The syslog host field (or `--host`); empty when unknown.
    pub host: &'a [u8],
    pub mta: Mta,
    /// The MTA's queue or message id; empty when the line has none.
    pub queue_id: &'a [u8],
    /// The recipient address as written (no angle brackets); empty when none.
    pub recipient: &'a [u8],
    /// The relay (`relay=` of Postfix, `H=` of Exim); empty when none.
    pub relay: &'a [u8],
    pub class: Class,
    pub code: Option<u16>,
    pub enhanced: Option<Enhanced>,
    /// The knowledge base's diagnosis of the reply (may be empty).
    pub diagnosis: &'a str,
    /// The reply or status text; cleaned and capped at [`TEXT_CAP`] bytes.
    pub text: &'a [u8],
}

/// The file format of an events table, chosen from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsFormat {
    /// `.parquet`
    Parquet,
    /// `.csv`
    Csv,
    /// `.csv.gz`
    CsvGz,
}

impl EventsFormat {
    /// The suffixes a file name may end with, for messages and help.
    pub const SUFFIXES: &'static str = ".parquet, .csv or .csv.gz";

    /// The format a file name asks for (its suffix, in any letter case).
    pub fn from_path(path: &Path) -> Result<EventsFormat, EventsError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let stem_ok = |suffix: &str| name.len() > suffix.len() && name.ends_with(suffix);
        if stem_ok(".parquet") {
            Ok(EventsFormat::Parquet)
        } else if stem_ok(".csv.gz") {
            Ok(EventsFormat::CsvGz)
        } else if stem_ok(".csv") {
            Ok(EventsFormat::Csv)
        } else {
            Err(EventsError::UnknownFormat {
                path: path.to_path_buf(),
            })
        }
    }
}

/// Why an events table could not be written.
#[derive(Debug)]
pub enum EventsError {
    /// The file name does not end in a suffix we write.
    UnknownFormat { path: PathBuf },
    /// Creating, writing, syncing or renaming the file failed.
    Io { path: PathBuf, error: io::Error },
    /// The Parquet encoder failed.
    Parquet {
        path: PathBuf,
        error: parquet::errors::ParquetError,
    },
}

impl fmt::Display for EventsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventsError::UnknownFormat { path } => write!(
                f,
                "{}: cannot tell the events format from the name; end it in {}",
                path.display(),
                EventsFormat::SUFFIXES
            ),
            EventsError::Io { path, error } => write!(
                f,
                "{}: cannot write the events table: {}",
                path.display(),
                crate::error::io_words(error)
            ),
            EventsError::Parquet { path, error } => write!(
                f,
                "{}: cannot write the events table as Parquet: {error}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for EventsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventsError::UnknownFormat { .. } => None,
            EventsError::Io { error, .. } => Some(error),
            EventsError::Parquet { error, .. } => Some(error),
        }
    }
}

/// Where the rows go, per format (boxed: the writers are large and there is one of them).
enum Sink {
    Parquet(Box<parquet_sink::ParquetSink>),
    Csv(Box<csv_sink::CsvSink<BufWriter<File>>>),
    CsvGz(Box<csv_sink::CsvSink<flate2::write::GzEncoder<BufWriter<File>>>>),
}

/// A streaming writer of the events table: [`create`](EventsWriter::create), then
/// [`push`](EventsWriter::push) each event in input order, then
/// [`finish`](EventsWriter::finish). Dropping it unfinished removes the temporary file and
/// leaves nothing under the final name.
pub struct EventsWriter {
    path: PathBuf,
    temp: TempPath,
    sink: Sink,
    clean: CleanRow,
    rows: u64,
}

impl EventsWriter {
    /// Opens a temporary file in the target's folder (created if missing, as the reports'
    /// folder is) for the format the name asks for.
    pub fn create(path: impl AsRef<Path>) -> Result<EventsWriter, EventsError> {
        let path = path.as_ref().to_path_buf();
        let format = EventsFormat::from_path(&path)?;
        let io_err = |error| EventsError::Io {
            path: path.clone(),
            error,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // Leftovers of killed runs writing the same table, as the report set cleans its own.
        let prefix = format!(".{name}.");
        crate::state::lock::remove_stale_temps(
            dir,
            |n| n.starts_with(&prefix) && n.ends_with(".tmp"),
            crate::state::STALE_AFTER,
        );
        let (file, temp) = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io_err)?
            .into_parts();
        let out = BufWriter::with_capacity(1 << 16, file);
        let sink = match format {
            EventsFormat::Parquet => Sink::Parquet(Box::new(
                parquet_sink::ParquetSink::new(out).map_err(|e| parquet_err(&path, e))?,
            )),
            EventsFormat::Csv => Sink::Csv(Box::new(csv_sink::CsvSink::new(out).map_err(io_err)?)),
            EventsFormat::CsvGz => {
                let gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
                Sink::CsvGz(Box::new(csv_sink::CsvSink::new(gz).map_err(io_err)?))
            }
        };
        Ok(EventsWriter {
            path,
            temp,
            sink,
            clean: CleanRow::default(),
            rows: 0,
        })
    }

    /// Appends one row. Cheap: the row is cleaned into reused buffers and copied into the
    /// column buffers (Parquet) or the output buffer (CSV); nothing is allocated per row.
    pub fn push(&mut self, row: &EventRow) -> Result<(), EventsError> {
        self.clean.fill(row);
        let cells = self.clean.cells();
        write_cells(&mut self.sink, &cells).map_err(|e| e.at(&self.path))?;
        self.rows += 1;
        Ok(())
    }

    /// Appends the rows of a batch, in the order they were added to it. The rows were
    /// cleaned when they were added, so this only copies.
    pub fn push_batch(&mut self, batch: &EventBatch) -> Result<(), EventsError> {
        for cells in batch.iter() {
            write_cells(&mut self.sink, &cells).map_err(|e| e.at(&self.path))?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Rows pushed so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows held in memory, not yet written out: at most [`ROW_GROUP_ROWS`] for Parquet,
    /// always 0 for CSV (which streams through a fixed-size buffer).
    pub fn buffered_rows(&self) -> usize {
        match &self.sink {
            Sink::Parquet(p) => p.buffered_rows(),
            Sink::Csv(_) | Sink::CsvGz(_) => 0,
        }
    }

    /// Writes what is buffered, syncs the file to disk and renames it into place.
    /// Returns the number of rows written.
    pub fn finish(self) -> Result<u64, EventsError> {
        let path = self.path;
        let file = match self.sink {
            Sink::Parquet(p) => into_file(p.finish().map_err(|e| parquet_err(&path, e))?),
            Sink::Csv(c) => c.finish().and_then(into_file),
            Sink::CsvGz(c) => c.finish().and_then(|gz| gz.finish()).and_then(into_file),
        }
        .map_err(|e| io_err(&path, e))?;
        file.sync_all().map_err(|e| io_err(&path, e))?;
        drop(file);
        self.temp
            .persist(&path)
            .map_err(|e| io_err(&path, e.error))?;
        Ok(self.rows)
    }
}

/// An error of a sink, before it knows its file.
enum SinkError {
    Io(io::Error),
    Parquet(parquet::errors::ParquetError),
}

impl SinkError {
    fn at(self, path: &Path) -> EventsError {
        match self {
            SinkError::Io(e) => io_err(path, e),
            SinkError::Parquet(e) => parquet_err(path, e),
        }
    }
}

fn write_cells(sink: &mut Sink, cells: &Cells) -> Result<(), SinkError> {
    match sink {
        Sink::Parquet(p) => p.push(cells).map_err(SinkError::Parquet),
        Sink::Csv(c) => c.push(cells).map_err(SinkError::Io),
        Sink::CsvGz(c) => c.push(cells).map_err(SinkError::Io),
    }
}

/// The file under a buffered writer, flushed.
fn into_file(w: BufWriter<File>) -> io::Result<File> {
    w.into_inner().map_err(|e| e.into_error())
}

fn io_err(path: &Path, error: io::Error) -> EventsError {
    EventsError::Io {
        path: path.to_path_buf(),
        error,
    }
}

fn parquet_err(path: &Path, error: parquet::errors::ParquetError) -> EventsError {
    match error {
        parquet::errors::ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(io) => io_err(path, *io),
            Err(e) => EventsError::Parquet {
                path: path.to_path_buf(),
                error: parquet::errors::ParquetError::External(e),
            },
        },
        error => EventsError::Parquet {
            path: path.to_path_buf(),
            error,
        },
    }
}
