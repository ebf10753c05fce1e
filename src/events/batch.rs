//! Rows gathered away from the writer: a scan worker cleans the events of its chunk into an
//! [`EventBatch`] in parallel, and the thread that owns the [`super::EventsWriter`] pushes the
//! batches in input order. All text of a batch lives in one string, so adding a row
//! allocates nothing once the batch has grown, and [`EventBatch::clear`] keeps the memory for
//! the next chunk.

use super::clean::{Cells, CleanRow};
use super::EventRow;

/// A row of a batch: its numbers, and where its texts end in the batch's string.
#[derive(Debug, Clone, Copy)]
struct Stored {
    micros: Option<i64>,
    offset_min: Option<i32>,
    mta: &'static str,
    class: &'static str,
    code: Option<i32>,
    has_enhanced: bool,
    /// Where the row's texts start in the batch's string.
    start: usize,
    /// Where each of [`Cells::texts`] ends.
    ends: [usize; 8],
}

/// Cleaned rows waiting to be written, in the order they were added.
#[derive(Debug, Default)]
pub struct EventBatch {
    text: String,
    rows: Vec<Stored>,
    clean: CleanRow,
}

impl EventBatch {
    /// An empty batch.
    pub fn new() -> EventBatch {
        EventBatch::default()
    }

    /// Cleans `row` (as [`super::EventsWriter::push`] would) and keeps it.
    pub fn push(&mut self, row: &EventRow) {
        self.clean.fill(row);
        let cells = self.clean.cells();
        let start = self.text.len();
        let mut ends = [0; 8];
        for (end, t) in ends.iter_mut().zip(cells.texts()) {
            self.text.push_str(t);
            *end = self.text.len();
        }
        self.rows.push(Stored {
            micros: cells.micros,
            offset_min: cells.offset_min,
            mta: cells.mta,
            class: cells.class,
            code: cells.code,
            has_enhanced: cells.enhanced.is_some(),
            start,
            ends,
        });
    }

    /// Rows in the batch.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// Empties the batch, keeping its memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.rows.clear();
    }

    /// The rows, in the order they were added.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Cells<'_>> {
        self.rows.iter().map(|r| {
            let mut start = r.start;
            let t = r.ends.map(|end| {
                let s = &self.text[start..end];
                start = end;
                s
            });
            Cells {
                micros: r.micros,
                offset_min: r.offset_min,
                host: t[0],
                mta: r.mta,
                queue_id: t[1],
                recipient: t[2],
                domain: t[3],
                relay: t[4],
                class: r.class,
                code: r.code,
                enhanced: r.has_enhanced.then_some(t[5]),
                diagnosis: t[6],
                text: t[7],
            }
        })
    }
}
