//! Criterion benchmarks: parser throughput on realistic lines, and a whole scan of a
//! generated log, both reported in bytes per second.
//!
//! `cargo bench` runs them; `benches/compare.sh` compares the binary with pflogsumm,
//! eximstats, rg and wc on a 1 GB log (see BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mailcodes::parse::{parse_line, Context, YearRule};
use mailcodes::scan::Scanner;
use std::hint::black_box;

/// Real lines from fixtures/real/expected.tsv: the parser's input when the prefilter has
/// already chosen a candidate.
fn real_lines() -> Vec<Vec<u8>> {
    let table = include_str!("../fixtures/real/expected.tsv");
    table
        .lines()
        .skip(1)
        .filter_map(|row| row.splitn(8, '\t').nth(7))
        .map(|l| l.as_bytes().to_vec())
        .collect()
}

/// A realistic Postfix log: the bundled sample (2252 real lines, ~1 in 19 an outcome)
/// repeated to about 16 MB, plus the persistent-450 fixture.
fn postfix_log() -> Vec<u8> {
    let sample = include_bytes!("../fixtures/sample/postfix-mail.log");
    let extra = include_bytes!("../fixtures/postfix/lightmeter-mixed.log");
    let mut out = Vec::with_capacity(17 << 20);
    while out.len() < 16 << 20 {
        out.extend_from_slice(sample);
        out.extend_from_slice(extra);
    }
    out
}

fn exim_log() -> Vec<u8> {
    let sample = include_bytes!("../fixtures/sample/exim-mainlog");
    let mut out = Vec::with_capacity(17 << 20);
    while out.len() < 16 << 20 {
        out.extend_from_slice(sample);
    }
    out
}

fn context() -> Context {
    Context {
        year: YearRule::Fixed(2026),
        ..Context::new(0)
    }
}

fn parser(c: &mut Criterion) {
    let lines = real_lines();
    let bytes: usize = lines.iter().map(Vec::len).sum();
    let ctx = context();
    let mut g = c.benchmark_group("parse_line");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("real_lines", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(parse_line(black_box(l), &ctx));
            }
        })
    });
    g.finish();
}

fn scan(c: &mut Criterion) {
    let scanner = Scanner::new(context());
    let mut g = c.benchmark_group("scan_chunk");
    for (name, log) in [("postfix", postfix_log()), ("exim", exim_log())] {
        g.throughput(Throughput::Bytes(log.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &log, |b, log| {
            b.iter(|| black_box(scanner.scan(log)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parser, scan
}
criterion_main!(benches);
