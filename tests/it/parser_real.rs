//! Table-driven: every real line in fixtures/real/expected.tsv (copied from
//! ../shared/corpus/real, sources in fixtures/real/SOURCES.md) with its expected event.

use mailcodes::parse::{parse_line, parse_line_at, Context, Line, YearRule};

fn dash(s: &str) -> Option<&str> {
    (s != "-").then_some(s)
}

/// The table of real lines with their expected events.
fn table() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/real/expected.tsv"
    ))
    .unwrap()
}

/// Lines without a year are read as 2020, as the table expects.
fn context() -> Context {
    Context {
        year: YearRule::Fixed(2020),
        ..Context::new(0)
    }
}

#[test]
fn real_lines_parse_as_expected() {
    let (table, ctx) = (table(), context());
    let mut failures = Vec::new();
    let mut rows = 0;
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.splitn(8, '\t').collect();
        let [source, style, time, code, enhanced, class, recipient, line] = cols[..] else {
            panic!("malformed row: {row}");
        };
        rows += 1;
        let got = match parse_line(line.as_bytes(), &ctx) {
            Line::Event(e, _) => Some((
                e.time.map(|t| t.to_string()),
                e.code.map(|c| c.to_string()),
                e.enhanced.map(|x| x.to_string()),
                e.class.label().to_string(),
                String::from_utf8_lossy(e.recipient).into_owned(),
            )),
            _ => None,
        };
        let want = (class != "none").then(|| {
            (
                dash(time).map(String::from),
                dash(code).map(String::from),
                dash(enhanced).map(String::from),
                class.to_string(),
                dash(recipient).unwrap_or("").to_string(),
            )
        });
        if got != want {
            failures.push(format!(
                "[{style}] {source}\n  line: {line}\n  want: {want:?}\n  got:  {got:?}"
            ));
        }
    }
    assert!(rows > 200, "the table should hold the real lines");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The scanner tells the parser where the first `status=` of a line is. On every real line,
/// cut at every length, that must give the same result as parsing without the hint.
#[test]
fn the_status_hint_never_changes_a_result() {
    let (table, ctx) = (table(), context());
    let mut hinted = 0;
    for row in table.lines().skip(1) {
        let line = row.splitn(8, '\t').last().unwrap().as_bytes();
        for cut in 0..=line.len() {
            let l = &line[..cut];
            let Some(at) = memchr::memmem::find(l, b"status=") else {
                continue;
            };
            hinted += 1;
            assert_eq!(
                parse_line_at(l, &ctx, Some(at)),
                parse_line(l, &ctx),
                "{}",
                String::from_utf8_lossy(l)
            );
        }
    }
    assert!(hinted > 5_000, "{hinted}");
}
