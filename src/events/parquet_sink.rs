//! The events table as Parquet, through the `parquet` crate's column writers (no Arrow):
//! rows are copied into one buffer per column and written out as a row group every
//! [`ROW_GROUP_ROWS`] rows or [`ROW_GROUP_BYTES`] bytes of text, whichever comes first, so
//! memory stays bounded however long the scan runs. Pages are ZSTD-compressed and
//! dictionary-encoded (host, mta, class and domain repeat a lot).

use super::clean::Cells;
use bytes::Bytes;
use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::Result;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::parser::parse_message_type;
use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

/// Rows per row group: a streaming writer's compromise between memory (one group is held
/// at a time) and the reader's efficiency (engines split work by row group).
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Bytes of text that end a row group early (long reply texts), bounding memory to about
/// this much plus one row.
pub const ROW_GROUP_BYTES: usize = 64 << 20;

/// The schema, in [`super::COLUMNS`] order. `time` is not adjusted to UTC because it holds
/// local wall-clock times where the log gave no offset; `utc_offset_min` tells them apart.
const SCHEMA: &str = "message mailcodes_event {
    optional int64 time (TIMESTAMP(MICROS,false));
    optional int32 utc_offset_min;
    required binary host (STRING);
    required binary mta (STRING);
    required binary queue_id (STRING);
    required binary recipient (STRING);
    required binary domain (STRING);
    required binary relay (STRING);
    required binary class (STRING);
    optional int32 code;
    optional binary enhanced (STRING);
    required binary diagnosis (STRING);
    required binary text (STRING);
}";

/// Columns with min/max statistics, so engines can skip row groups and pages on a filter:
/// per page for the numbers (cheap), per row group for the short texts. Long texts have
/// none: their min and max prune nothing and computing them was a sixth of the writer's time.
const STATISTICS: [(&str, EnabledStatistics); 7] = [
    ("time", EnabledStatistics::Page),
    ("utc_offset_min", EnabledStatistics::Page),
    ("code", EnabledStatistics::Page),
    ("host", EnabledStatistics::Chunk),
    ("mta", EnabledStatistics::Chunk),
    ("class", EnabledStatistics::Chunk),
    ("domain", EnabledStatistics::Chunk),
];

/// The time rule, stored in the file's key-value metadata for whoever finds the file alone.
const TIME_RULE: &str = "time is the UTC instant where utc_offset_min is set \
    (the log stated its offset), else the local wall-clock time as the log wrote it";

/// Values of a text column: their bytes end to end and where each ends.
#[derive(Debug, Default)]
struct Texts {
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl Texts {
    fn push(&mut self, s: &str) {
        self.data.extend_from_slice(s.as_bytes());
        self.ends.push(self.data.len());
    }

    /// The values as Parquet byte arrays, sharing one buffer; empties `self`.
    fn take(&mut self) -> Vec<ByteArray> {
        let data = Bytes::from(std::mem::take(&mut self.data));
        let mut start = 0;
        let out = self
            .ends
            .iter()
            .map(|&end| {
                let value = ByteArray::from(data.slice(start..end));
                start = end;
                value
            })
            .collect();
        self.ends.clear();
        out
    }
}

/// Values of an optional column: the present values and a definition level per row.
#[derive(Debug)]
struct Nullable<T> {
    values: T,
    def: Vec<i16>,
}

impl<T: Default> Default for Nullable<T> {
    fn default() -> Self {
        Nullable {
            values: T::default(),
            def: Vec::new(),
        }
    }
}

impl<V> Nullable<Vec<V>> {
    fn push(&mut self, v: Option<V>) {
        self.def.push(i16::from(v.is_some()));
        self.values.extend(v);
    }
}

/// The rows of the row group being filled, one buffer per column.
#[derive(Debug, Default)]
struct Columns {
    time: Nullable<Vec<i64>>,
    offset: Nullable<Vec<i32>>,
    /// host, mta, queue_id, recipient, domain, relay, class.
    before_code: [Texts; 7],
    code: Nullable<Vec<i32>>,
    enhanced: Nullable<Texts>,
    /// diagnosis, text.
    after_enhanced: [Texts; 2],
    rows: usize,
    bytes: usize,
}

impl Columns {
    fn push(&mut self, r: &Cells) {
        self.time.push(r.micros);
        self.offset.push(r.offset_min);
        let texts = [
            r.host,
            r.mta,
            r.queue_id,
            r.recipient,
            r.domain,
            r.relay,
            r.class,
        ];
        for (column, value) in self.before_code.iter_mut().zip(texts) {
            column.push(value);
        }
        self.code.push(r.code);
        self.enhanced.def.push(i16::from(r.enhanced.is_some()));
        if let Some(e) = r.enhanced {
            self.enhanced.values.push(e);
        }
        self.after_enhanced[0].push(r.diagnosis);
        self.after_enhanced[1].push(r.text);
        self.rows += 1;
        self.bytes += r.text_bytes();
    }

    /// Writes column `index` of the buffered rows, emptying its buffer.
    fn write(&mut self, index: usize, col: &mut SerializedColumnWriter) -> Result<()> {
        let texts = |t: &mut Texts| t.take();
        match index {
            0 => write_i64(col, &self.time),
            1 => write_i32(col, &self.offset),
            2..=8 => {
                let values = texts(&mut self.before_code[index - 2]);
                write_texts(col, &values, None)
            }
            9 => write_i32(col, &self.code),
            10 => {
                let values = texts(&mut self.enhanced.values);
                write_texts(col, &values, Some(&self.enhanced.def))
            }
            11 | 12 => {
                let values = texts(&mut self.after_enhanced[index - 11]);
                write_texts(col, &values, None)
            }
            _ => Err(parquet::errors::ParquetError::General(format!(
                "the schema has no column {index}"
            ))),
        }
    }

    /// Empties the number buffers (the text buffers empty as they are written).
    fn clear(&mut self) {
        self.time.values.clear();
        self.time.def.clear();
        self.offset.values.clear();
        self.offset.def.clear();
        self.code.values.clear();
        self.code.def.clear();
        self.enhanced.def.clear();
        self.rows = 0;
        self.bytes = 0;
    }
}

fn write_i64(col: &mut SerializedColumnWriter, c: &Nullable<Vec<i64>>) -> Result<()> {
    let w = col.typed::<Int64Type>();
    w.write_batch(&c.values, Some(&c.def), None).map(drop)
}

fn write_i32(col: &mut SerializedColumnWriter, c: &Nullable<Vec<i32>>) -> Result<()> {
    let w = col.typed::<Int32Type>();
    w.write_batch(&c.values, Some(&c.def), None).map(drop)
}

fn write_texts(
    col: &mut SerializedColumnWriter,
    values: &[ByteArray],
    def: Option<&[i16]>,
) -> Result<()> {
    let w = col.typed::<ByteArrayType>();
    w.write_batch(values, def, None).map(drop)
}

/// A Parquet writer of events over a buffered file.
pub(crate) struct ParquetSink {
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Columns,
}

impl ParquetSink {
    /// Writes the file header; rows follow with [`ParquetSink::push`].
    pub fn new(out: BufWriter<File>) -> Result<ParquetSink> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let mut props = WriterProperties::builder()
            .set_statistics_enabled(EnabledStatistics::None)
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(1)?))
            .set_created_by(format!("mailcodes {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                "mailcodes.time".to_string(),
                TIME_RULE.to_string(),
            )]));
        for (column, level) in STATISTICS {
            props = props.set_column_statistics_enabled(column.into(), level);
        }
        let props = props.build();
        Ok(ParquetSink {
            writer: SerializedFileWriter::new(out, schema, Arc::new(props))?,
            columns: Columns::default(),
        })
    }

    /// Buffers one row, writing a row group out when one is full.
    pub fn push(&mut self, row: &Cells) -> Result<()> {
        self.columns.push(row);
        if self.columns.rows >= ROW_GROUP_ROWS || self.columns.bytes >= ROW_GROUP_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Rows buffered for the next row group.
    pub fn buffered_rows(&self) -> usize {
        self.columns.rows
    }

    /// Writes the last row group and the footer; hands back the buffered file.
    pub fn finish(mut self) -> Result<BufWriter<File>> {
        if self.columns.rows > 0 {
            self.flush()?;
        }
        // `into_inner` writes the footer itself.
        self.writer.into_inner()
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut col) = group.next_column()? {
            self.columns.write(index, &mut col)?;
            col.close()?;
            index += 1;
        }
        group.close()?;
        self.columns.clear();
        Ok(())
    }
}
