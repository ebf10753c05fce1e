//! Table-driven: every real line in fixtures/real/expected.tsv (copied from
//! ../shared/corpus/real, sources in fixtures/real/SOURCES.md) with its expected event.

use mailcodes::parse::{parse_line, Context, Line, YearRule};

fn dash(s: &str) -> Option<&str> {
    (s != "-").then_some(s)
}

#[test]
fn real_lines_parse_as_expected() {
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/real/expected.tsv"
    ))
    .unwrap();
    let ctx = Context {
        year: YearRule::Fixed(2020),
        ..Context::new(0)
    };
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
