//! The events table of a scan (`scan --events FILE`): one writer for the process, fed in
//! batches by the workers.
//!
//! Each worker's statistics collect rows into an [`EventBatch`] (cleaning happens there, in
//! parallel) and hand it over here when it is full or when the statistics are merged; the
//! writer is behind a mutex, so batches are written whole, in the order they arrive. The
//! rows of a table are therefore grouped by stretches of the log, not sorted: engines sort
//! by `time` when order matters. A write error is kept and reported when the table is
//! finished; the rows after it are dropped, never half-written.

use super::{EventBatch, EventsError, EventsWriter};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Rows a worker collects before it writes them.
pub const BATCH_ROWS: usize = 8192;

static ENABLED: AtomicBool = AtomicBool::new(false);
static SINK: Mutex<Option<Result<EventsWriter, EventsError>>> = Mutex::new(None);

/// Makes `writer` the events table of this process.
pub fn install(writer: EventsWriter) {
    let mut sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    *sink = Some(Ok(writer));
    ENABLED.store(true, Ordering::Release);
}

/// Whether an events table is being written (a relaxed load: this is on the hot path).
#[inline]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Writes `batch` to the table and empties it.
pub fn flush(batch: &mut EventBatch) {
    if batch.is_empty() {
        return;
    }
    let mut sink = SINK.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(Ok(writer)) = sink.as_mut() {
        if let Err(e) = writer.push_batch(batch) {
            *sink = Some(Err(e));
        }
    }
    batch.clear();
}

/// Finishes the table: its rows, or the first error. `None` when no table was installed.
pub fn finish() -> Option<Result<u64, EventsError>> {
    ENABLED.store(false, Ordering::Release);
    let taken = SINK.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    Some(taken.and_then(EventsWriter::finish))
}
