//! [`Stats`] out to the mergeable summary's body and back (see `crate::mergeable`): a child
//! module, so that the private hour tables need no accessors.

use super::{add_counts, Stats};
use crate::mergeable::{base64, decode_bytes, encode_bytes, Records, StampDoc, StatsDoc, StatsOut};
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

/// The domains of the JSON line as written: references sorted by name (so that the file is
/// the same for the same statistics), each encoded only as it is serialized.
pub(crate) struct DomainsOut<'a>(Vec<(&'a [u8], [u64; 3])>);

impl serde::Serialize for DomainsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(k, c)| (encode_bytes(k), c)))
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
    /// Every aggregate the reports read, as the JSON line of the mergeable summary's body
    /// (schema 2: the per-recipient records follow it as lines, see `crate::mergeable`).
    pub(crate) fn to_doc(&self) -> StatsOut<'_> {
        let mut domains: Vec<(&[u8], [u64; 3])> = self.domains.iter().collect();
        crate::types::sort_by_then_name(&mut domains, |d| ((), d.0));
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
            domains: DomainsOut(domains),
            hourly: self.hourly_sorted(),
            first: self.first.map(stamp_doc),
            last: self.last.map(stamp_doc),
            hosts: encoded(self.host_counts().into_iter()),
            failures: self.failures.to_doc(),
            delivered: Vec::new(),
            evidence: String::new(),
            records: Some(Records {
                delivered: self.persistent.delivered_len(),
                deferred: self.persistent.len().0 as u64,
            }),
        }
    }

    /// The statistics the JSON line of a body of `schema` holds (in schema 1, with the
    /// per-recipient parts); a message for one that does not add up.
    pub(crate) fn from_doc(doc: StatsDoc, schema: u32) -> Result<Stats, &'static str> {
        let sketch = if schema == 1 {
            decode_bytes
        } else {
            base64::decode
        };
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
            failures: crate::failures::Failures::from_doc(doc.failures, sketch)?,
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
        if schema == 1 {
            let evidence = decode_bytes(&doc.evidence).ok_or("bad evidence")?;
            s.persistent
                .read_evidence(&evidence[..])
                .map_err(|_| "bad evidence")?;
            for (hash, t) in doc.delivered {
                s.persistent.add_delivered_record(hash, doc_stamp(t));
            }
        }
        Ok(s)
    }
}
