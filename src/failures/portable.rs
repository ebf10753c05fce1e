//! [`Failures`] out to the mergeable summary and back (see `crate::mergeable`): a child
//! module, so that the tallies' private fields need no accessors.

use super::{Failures, Relay, Tally};
use crate::diagnose::Diagnosis;
use crate::mergeable::{decode_bytes, encode_bytes, FailuresDoc, RelayDoc, TallyDoc};
use crate::parse::Class;
use crate::stats::portable::{doc_stamp, stamp_doc};

const DIGITS: [u8; 3] = [2, 4, 5];

fn sorted_relays<'a>(relays: impl Iterator<Item = (&'a Box<[u8]>, u64)>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = relays.map(|(k, n)| (encode_bytes(k), n)).collect();
    v.sort_unstable();
    v
}

fn diagnosis(name: &str) -> Result<Diagnosis, &'static str> {
    Diagnosis::from_name(name).ok_or("unknown diagnosis")
}

impl Failures {
    /// The tallies as the mergeable summary holds them, sorted.
    pub(crate) fn to_doc(&self) -> FailuresDoc {
        let mut tallies: Vec<TallyDoc> = self
            .tallies
            .iter()
            .map(|((d, c), t)| {
                let mut recipients: Vec<u64> = t.recipients.iter().copied().collect();
                recipients.sort_unstable();
                TallyDoc {
                    diagnosis: d.name().to_string(),
                    class: DIGITS[c.index()],
                    count: t.count,
                    recipients,
                    example: t
                        .example
                        .as_ref()
                        .map(|(s, text)| (s.map(stamp_doc), text.clone())),
                    relays: sorted_relays(t.relays.iter().map(|(k, n)| (k, *n))),
                }
            })
            .collect();
        tallies.sort_by(|a, b| (&a.diagnosis, a.class).cmp(&(&b.diagnosis, b.class)));
        let mut relays: Vec<RelayDoc> = self
            .relays
            .iter()
            .map(|(k, r)| {
                let mut diagnoses: Vec<(String, u64)> = r
                    .diagnoses
                    .iter()
                    .map(|(d, n)| (d.name().to_string(), *n))
                    .collect();
                diagnoses.sort_unstable();
                RelayDoc {
                    relay: encode_bytes(k),
                    classes: r.classes,
                    diagnoses,
                }
            })
            .collect();
        relays.sort_by(|a, b| a.relay.cmp(&b.relay));
        FailuresDoc {
            without_reply: self.without_reply,
            tallies,
            relays,
        }
    }

    /// Back from [`Failures::to_doc`].
    pub(crate) fn from_doc(doc: FailuresDoc) -> Result<Failures, &'static str> {
        let mut f = Failures {
            without_reply: doc.without_reply,
            ..Failures::default()
        };
        for t in doc.tallies {
            let class = Class::from_digit(t.class).ok_or("bad class")?;
            let mut tally = Tally {
                count: t.count,
                recipients: t.recipients.into_iter().collect(),
                example: t.example.map(|(s, text)| (s.map(doc_stamp), text)),
                ..Tally::default()
            };
            for (relay, n) in t.relays {
                let relay = decode_bytes(&relay).ok_or("bad relay")?;
                *tally.relays.entry(relay.into()).or_default() += n;
            }
            f.tallies
                .entry((diagnosis(&t.diagnosis)?, class))
                .or_default()
                .merge(tally);
        }
        for r in doc.relays {
            let relay = decode_bytes(&r.relay).ok_or("bad relay")?;
            let mut mine = Relay {
                classes: r.classes,
                ..Relay::default()
            };
            for (d, n) in r.diagnoses {
                *mine.diagnoses.entry(diagnosis(&d)?).or_default() += n;
            }
            let entry = f.relays.entry(relay.into()).or_default();
            for (a, b) in entry.classes.iter_mut().zip(mine.classes) {
                *a += b;
            }
            for (d, n) in mine.diagnoses {
                *entry.diagnoses.entry(d).or_default() += n;
            }
        }
        Ok(f)
    }
}
