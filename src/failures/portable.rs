//! [`Failures`] out to the mergeable summary and back (see `crate::mergeable`): a child
//! module, so that the tallies' private fields need no accessors.

use super::relays::Failure;
use super::{Failures, Tally};
use crate::diagnose::Diagnosis;
use crate::distinct::Distinct;
use crate::mergeable::{base64, decode_bytes, encode_bytes, FailuresDoc, TallyDoc};
use crate::parse::Class;
use crate::stats::portable::{doc_stamp, stamp_doc};
use crate::types::ClassCounts;

const DIGITS: [u8; 3] = [2, 4, 5];

fn diagnosis(name: &str) -> Result<Diagnosis, &'static str> {
    Diagnosis::from_name(name).ok_or("unknown diagnosis")
}

fn class(digit: u8) -> Result<Class, &'static str> {
    Class::from_digit(digit).ok_or("bad class")
}

/// The relays of the mergeable summary as written: references sorted by name, each made
/// into its [`crate::mergeable::RelayDoc`] only as it is serialized (a log may name a relay per recipient
/// domain, hundreds of thousands of them).
pub(crate) struct RelaysOut<'a>(Vec<(&'a [u8], ClassCounts, &'a [Failure])>);

impl serde::Serialize for RelaysOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(name, classes, failures)| {
            let mut diagnoses: Vec<(&str, u8, u64)> = failures
                .iter()
                .map(|((d, c), n)| (d.name(), DIGITS[c.index()], *n))
                .collect();
            diagnoses.sort_unstable();
            RelayOut {
                relay: encode_bytes(name),
                classes,
                diagnoses,
            }
        }))
    }
}

/// A [`crate::mergeable::RelayDoc`] as it is written.
#[derive(serde::Serialize)]
struct RelayOut<'a> {
    relay: String,
    classes: &'a ClassCounts,
    diagnoses: Vec<(&'static str, u8, u64)>,
}

impl Failures {
    /// The tallies as the mergeable summary holds them, sorted.
    pub(crate) fn to_doc(&self) -> FailuresDoc<RelaysOut<'_>> {
        let mut tallies: Vec<TallyDoc> = self
            .tallies
            .iter()
            .map(|((d, c), t)| TallyDoc {
                diagnosis: d.name().to_string(),
                class: DIGITS[c.index()],
                count: t.count,
                recipients: t.recipients.hashes().unwrap_or_default(),
                sketch: t.recipients.registers().map(base64::encode),
                example: t
                    .example
                    .as_ref()
                    .map(|(s, text)| (s.map(stamp_doc), encode_bytes(text))),
            })
            .collect();
        tallies.sort_by(|a, b| (&a.diagnosis, a.class).cmp(&(&b.diagnosis, b.class)));
        // One row per relay (lower case): its outcomes and its failures by diagnosis.
        let mut relays: Vec<(&[u8], ClassCounts, &[Failure])> = self.relays.iter().collect();
        crate::types::sort_by_then_name(&mut relays, |r| ((), r.0));
        FailuresDoc {
            without_reply: self.without_reply,
            tallies,
            relays: RelaysOut(relays),
        }
    }

    /// Back from [`Failures::to_doc`], with `sketch` to decode the sketches' registers (their
    /// text differs between schemas).
    pub(crate) fn from_doc(
        doc: FailuresDoc,
        sketch: fn(&str) -> Option<Vec<u8>>,
    ) -> Result<Failures, &'static str> {
        let mut f = Failures {
            without_reply: doc.without_reply,
            ..Failures::default()
        };
        for t in doc.tallies {
            let example = match t.example {
                Some((s, text)) => Some((
                    s.map(doc_stamp),
                    decode_bytes(&text).ok_or("bad example")?.into(),
                )),
                None => None,
            };
            let mut recipients = match &t.sketch {
                Some(s) => sketch(s)
                    .and_then(|r| Distinct::from_registers(&r))
                    .ok_or("bad recipient sketch")?,
                None => Distinct::default(),
            };
            t.recipients.into_iter().for_each(|h| recipients.insert(h));
            let tally = Tally {
                count: t.count,
                recipients,
                example,
            };
            f.tallies
                .get_mut((diagnosis(&t.diagnosis)?, class(t.class)?))
                .merge(tally);
        }
        for r in doc.relays {
            let relay = decode_bytes(&r.relay).ok_or("bad relay")?;
            let failures = r
                .diagnoses
                .into_iter()
                .map(|(d, c, n)| Ok(((diagnosis(&d)?, class(c)?), n)))
                .collect::<Result<Vec<_>, &'static str>>()?;
            f.relays.add_all(&relay, &r.classes, &failures);
        }
        Ok(f)
    }
}
