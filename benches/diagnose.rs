//! Criterion benchmarks of diagnoses: the rule set over the reply texts of
//! fixtures/diagnoses/replies.tsv, matched every time and through a memo, in replies per
//! second; and the provider of relay hosts.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mailcodes::diagnose::{provider, Memo, Rules};
use mailcodes::parse::reply::{basic_at, enhanced_at};
use mailcodes::parse::Enhanced;
use std::hint::black_box;

type Reply = (Option<u16>, Option<Enhanced>, Vec<u8>, Vec<u8>);

/// `(code, enhanced code, text, relay)` of every fixture row.
fn replies() -> Vec<Reply> {
    include_str!("../fixtures/diagnoses/replies.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|row| {
            let cols: Vec<&str> = row.splitn(6, '\t').collect();
            let [_, _, _, relay, _, text] = cols[..] else {
                return None;
            };
            let t = text.as_bytes();
            let code = basic_at(t).map(|(c, _)| c);
            let rest = basic_at(t).map_or(t, |(_, r)| r);
            let relay = if relay == "-" { "" } else { relay };
            Some((
                code,
                enhanced_at(rest).map(|e| e.0),
                t.to_vec(),
                relay.as_bytes().to_vec(),
            ))
        })
        .collect()
}

fn diagnose(c: &mut Criterion) {
    let rules = Rules::builtin();
    let replies = replies();
    let mut g = c.benchmark_group("diagnose");
    g.throughput(Throughput::Elements(replies.len() as u64));
    g.bench_function("classify", |b| {
        b.iter(|| {
            for (code, enh, text, relay) in &replies {
                black_box(rules.classify(*code, *enh, text, relay));
            }
        })
    });
    let mut memo = Memo::new();
    g.bench_function("memo (all hits after the first pass)", |b| {
        b.iter(|| {
            for (code, enh, text, relay) in &replies {
                black_box(memo.classify(&rules, *code, *enh, text, relay));
            }
        })
    });
    g.bench_function("provider", |b| {
        b.iter(|| {
            for (_, _, _, relay) in &replies {
                black_box(provider(relay));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, diagnose);
criterion_main!(benches);
