//! [`Stats`] out to the mergeable summary's body and back (see `crate::mergeable`): a child
//! module, so that the private hour tables need no accessors.

use super::{add_counts, Stats};
use crate::mergeable::{decode_bytes, encode_bytes, StampDoc, StatsDoc};
use crate::parse::Enhanced;
use crate::time::Stamp;

pub(crate) fn stamp_doc(s: Stamp) -> StampDoc {
    (s.local(), s.offset())
}

pub(crate) fn doc_stamp((local, offset): StampDoc) -> Stamp {
    match offset {
        Some(o) => Stamp::with_offset(local, o),
        None => Stamp::naive(local),
    }
}

/// Byte keys with their counts, encoded and sorted (the file is the same for the same
/// statistics).
fn encoded<'a>(keys: impl Iterator<Item = (&'a [u8], [u64; 3])>) -> Vec<(String, [u64; 3])> {
    let mut v: Vec<(String, [u64; 3])> = keys.map(|(k, c)| (encode_bytes(k), c)).collect();
    v.sort_unstable();
    v
}

impl Stats {
    /// Everything the reports read, as the mergeable summary's body.
    pub(crate) fn to_doc(&self) -> StatsDoc {
        let mut evidence = Vec::new();
        // Writing to memory cannot fail.
        let _ = self.persistent.write_evidence(&mut evidence, |_| true);
        let mut delivered: Vec<(u64, StampDoc)> = self
            .persistent
            .delivered_records()
            .map(|(h, t)| (h, stamp_doc(t)))
            .collect();
        delivered.sort_unstable();
        StatsDoc {
            lines: self.lines,
            event_lines: self.event_lines,
            overlong_lines: self.overlong_lines,
            bad_times: self.bad_times,
            events: self.events,
            outside_window: self.outside_window,
            probes: self.probes,
            classes: self.classes,
            outcomes: self.outcomes,
            mtas: self.mtas,
            codes: self.codes.iter().collect(),
            enhanced: self
                .enhanced
                .sorted()
                .into_iter()
                .map(|(e, n)| ((e.class, e.subject, e.detail), n))
                .collect(),
            domains: encoded(self.domains.iter()),
            hourly: self.hourly_sorted(),
            first: self.first.map(stamp_doc),
            last: self.last.map(stamp_doc),
            hosts: encoded(self.host_counts().into_iter()),
            failures: self.failures.to_doc(),
            delivered,
            evidence: encode_bytes(&evidence),
        }
    }

    /// The statistics a body holds; a message for a body that does not add up.
    pub(crate) fn from_doc(doc: StatsDoc) -> Result<Stats, &'static str> {
        let mut s = Stats {
            lines: doc.lines,
            event_lines: doc.event_lines,
            overlong_lines: doc.overlong_lines,
            bad_times: doc.bad_times,
            events: doc.events,
            outside_window: doc.outside_window,
            probes: doc.probes,
            classes: doc.classes,
            outcomes: doc.outcomes,
            mtas: doc.mtas,
            first: doc.first.map(doc_stamp),
            last: doc.last.map(doc_stamp),
            failures: crate::failures::Failures::from_doc(doc.failures)?,
            ..Stats::default()
        };
        for (code, n) in doc.codes {
            s.codes.add(code, n);
        }
        for ((class, subject, detail), n) in doc.enhanced {
            let e = Enhanced {
                class,
                subject,
                detail,
            };
            s.enhanced.add(e, n);
        }
        for (name, counts) in doc.domains {
            s.domains
                .add(&decode_bytes(&name).ok_or("bad domain")?, &counts);
        }
        for (hour, counts) in doc.hourly {
            add_counts(s.hourly.entry(hour).or_default(), &counts);
        }
        for (name, counts) in doc.hosts {
            let name = decode_bytes(&name).ok_or("bad host")?;
            add_counts(s.hosts.entry(name.into()).or_default(), &counts);
        }
        let evidence = decode_bytes(&doc.evidence).ok_or("bad evidence")?;
        s.persistent
            .read_evidence(&evidence[..])
            .map_err(|_| "bad evidence")?;
        for (hash, t) in doc.delivered {
            s.persistent.add_delivered_record(hash, doc_stamp(t));
        }
        Ok(s)
    }
}
