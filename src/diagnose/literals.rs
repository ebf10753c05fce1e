//! Which rule patterns are only a few words in any case, and which words.
//!
//! Most patterns of the rules are alternatives of plain words (`over quota|quota exceeded`,
//! `retry time not (yet )?reached`). A lazy DFA that searches every pattern at once pays for
//! each of them in the states it builds while a scan runs: on a 1 MB log, building those
//! states was a quarter of the run. A pattern that can only match a short list of fixed
//! texts, ASCII letters in any case, is found just as well by an Aho-Corasick automaton
//! (built whole, in under a millisecond), which leaves the DFA the patterns that need it.
//!
//! [`folded_literals`] tells the two kinds apart by reading the pattern itself: it knows
//! only the few pieces of regex syntax that such patterns are written with, and gives up at
//! anything else (the pattern then goes to the DFA). Parsing the patterns with regex-syntax
//! for this took 2 ms, nearly half of building the rules; the unit tests check this reading
//! against regex-syntax's.

/// The top-level alternatives of `pattern` (`a|b(c|d)` has two), each a pattern that
/// matches where the pattern does: a pattern that matches somewhere matches where one of
/// them does. The pattern itself, alone, when it has no alternatives at its top, sets a flag
/// (whose effect would reach past the first alternative), or does not parse (the error is
/// then reported for the whole pattern when it is compiled).
pub fn alternatives(pattern: &str) -> Vec<&str> {
    if pattern.contains("(?") {
        return vec![pattern];
    }
    let Some(bars) = top_level_bars(pattern.as_bytes()) else {
        return vec![pattern];
    };
    let mut pieces = Vec::with_capacity(bars.len() + 1);
    let mut start = 0;
    for bar in bars {
        pieces.push(&pattern[start..bar]);
        start = bar + 1;
    }
    pieces.push(&pattern[start..]);
    pieces
}

/// Where `pattern` has a `|` outside every group, class and escape; `None` where groups or
/// classes do not close (the pattern is then taken whole, and a pattern that does not
/// parse is reported when it is compiled). Read by hand, like [`folded_literals`]: parsing
/// the rules' patterns with regex-syntax to find these took 0.8 ms, a third of building the
/// rules, which every scan waits for.
fn top_level_bars(pattern: &[u8]) -> Option<Vec<usize>> {
    let (mut depth, mut bars, mut at) = (0usize, Vec::new(), 0);
    while at < pattern.len() {
        match pattern[at] {
            b'\\' => at += 1,
            b'[' => at = class_end(pattern, at)?,
            b'(' => depth += 1,
            b')' => depth = depth.checked_sub(1)?,
            b'|' if depth == 0 => bars.push(at),
            _ => {}
        }
        at += 1;
    }
    (depth == 0).then_some(bars)
}

/// Where the class that opens at `pattern[open]` (`[`) closes: the place of its `]`. A `]`
/// first in the class (after `[` or `[^`) stands for itself; `[:alpha:]` and nested
/// classes (`[a[b]]`) are read whole.
fn class_end(pattern: &[u8], open: usize) -> Option<usize> {
    let mut at = open + 1;
    if pattern.get(at) == Some(&b'^') {
        at += 1;
    }
    if pattern.get(at) == Some(&b']') {
        at += 1;
    }
    while at < pattern.len() {
        match pattern[at] {
            b'\\' => at += 1,
            b'[' if pattern.get(at + 1) == Some(&b':') => {
                let close = pattern[at..].windows(2).position(|w| w == b":]")?;
                at += close + 1;
            }
            b'[' => at = class_end(pattern, at)?,
            b']' => return Some(at),
            _ => {}
        }
        at += 1;
    }
    None
}

/// At most this many texts per pattern (an alternation of alternations multiplies).
const MAX_TEXTS: usize = 64;

/// The texts, ASCII letters lower-cased, that `pattern` matches when compiled without
/// Unicode and with ASCII letters in any case (as the rules compile their patterns), if it
/// is written with nothing but characters that stand for themselves, `\` before
/// punctuation, groups `( )`, alternatives `|` and `?` after a character or group, and so
/// matches exactly those texts: "the pattern matches somewhere in a reply" is then "one of
/// the texts occurs in it, ASCII letters in any case". `None` for any other pattern
/// (classes, anchors, word boundaries, repetitions, flags), one that can match an empty
/// text, one with a character beyond ASCII, and one of more than [`MAX_TEXTS`] texts.
pub fn folded_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let mut reader = Reader {
        rest: pattern.as_bytes(),
    };
    let texts = reader.alternatives()?;
    if !reader.rest.is_empty() || texts.iter().any(Vec::is_empty) {
        return None;
    }
    Some(texts)
}

/// One piece of a sequence: a character, or a group's texts.
enum Piece {
    Byte(u8),
    Group(Vec<Vec<u8>>),
}

/// What is left of the pattern to read.
struct Reader<'p> {
    rest: &'p [u8],
}

impl Reader<'_> {
    /// Alternatives up to the end or an unmatched `)` (left unread).
    fn alternatives(&mut self) -> Option<Vec<Vec<u8>>> {
        let mut all = self.sequence()?;
        while self.eat(b'|') {
            all.extend(self.sequence()?);
            within_limit(&all)?;
        }
        Some(all)
    }

    /// Pieces one after another, up to `|`, `)` or the end.
    fn sequence(&mut self) -> Option<Vec<Vec<u8>>> {
        let mut all = vec![Vec::new()];
        while let Some(&b) = self.rest.first() {
            if b == b'|' || b == b')' {
                break;
            }
            let piece = self.piece()?;
            let optional = self.eat(b'?');
            let mut texts = match piece {
                // Most pieces are one character, added to every text so far.
                Piece::Byte(b) if !optional => {
                    for text in &mut all {
                        text.push(b);
                    }
                    continue;
                }
                Piece::Byte(b) => vec![vec![b]],
                Piece::Group(texts) => texts,
            };
            if optional {
                texts.push(Vec::new());
            }
            if all.len() * texts.len() > MAX_TEXTS {
                return None;
            }
            all = all
                .iter()
                .flat_map(|a| texts.iter().map(move |b| [&a[..], &b[..]].concat()))
                .collect();
        }
        Some(all)
    }

    /// One character (lower-cased), escaped punctuation, or a group; `None` for anything
    /// else, and for a repetition or lazy `?` after it.
    fn piece(&mut self) -> Option<Piece> {
        let (&b, after) = self.rest.split_first()?;
        self.rest = after;
        let piece = match b {
            b'(' => {
                if self.rest.first() == Some(&b'?') {
                    return None; // flags, or a named or non-capturing group
                }
                let inner = self.alternatives()?;
                if !self.eat(b')') {
                    return None;
                }
                Piece::Group(inner)
            }
            b'\\' => {
                let (&e, after) = self.rest.split_first()?;
                self.rest = after;
                if !e.is_ascii_punctuation() || e == b'<' || e == b'>' {
                    return None; // \b, \d, \s, \x…, \n, \< and the like
                }
                Piece::Byte(e)
            }
            b'[' | b']' | b'{' | b'}' | b'.' | b'^' | b'$' | b'*' | b'+' | b'?' => {
                return None;
            }
            b if b.is_ascii_graphic() || b == b' ' => Piece::Byte(b.to_ascii_lowercase()),
            _ => return None,
        };
        match self.rest.first() {
            Some(b'*' | b'+' | b'{') => None,
            Some(b'?') if self.rest.get(1) == Some(&b'?') => None,
            _ => Some(piece),
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, after)) if first == b => {
                self.rest = after;
                true
            }
            _ => false,
        }
    }
}

fn within_limit(texts: &[Vec<u8>]) -> Option<()> {
    (texts.len() <= MAX_TEXTS).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;
    use regex_syntax::hir::{Class, Hir, HirKind};

    fn folded(pattern: &str) -> Option<Vec<String>> {
        folded_literals(pattern).map(sorted)
    }

    fn sorted(texts: Vec<Vec<u8>>) -> Vec<String> {
        let mut t: Vec<String> = texts
            .into_iter()
            .map(|b| String::from_utf8(b).unwrap())
            .collect();
        t.sort();
        t.dedup();
        t
    }

    #[test]
    fn words_and_their_alternatives_are_literal() {
        assert_eq!(folded("Over Quota").unwrap(), ["over quota"]);
        assert_eq!(
            folded("retry time not (yet )?reached").unwrap(),
            ["retry time not reached", "retry time not yet reached"]
        );
        assert_eq!(
            folded("(concurrency|connection) limit|RFC ?5322").unwrap(),
            [
                "concurrency limit",
                "connection limit",
                "rfc 5322",
                "rfc5322"
            ]
        );
        assert_eq!(folded(r"4\.7\.1 X-y").unwrap(), ["4.7.1 x-y"]);
        assert_eq!(folded("too many \"?received\"? h").unwrap().len(), 4);
        assert_eq!(folded(r"\(S843\)|'x'").unwrap(), ["'x'", "(s843)"]);
        assert_eq!(folded("DOC-1369#451").unwrap(), ["doc-1369#451"]);
    }

    #[test]
    fn what_needs_more_than_words_is_not() {
        for p in [
            r"\bSPF\b",
            "^bounce failed",
            "failed$",
            "found host [^ ]+ to be local",
            "exceeded [0-9]+ hops",
            "queue.only",
            "(?-i)SPF",
            "a(?-i:b)c",
            "(?i)spf",
            "(?:ab)c",
            "[Sx]pam",
            "x*",
            "xy+",
            "x{2}",
            "ab??",
            "(ab)?",
            "a||b",
            "a|",
            "",
            "(ab",
            "ab)",
            "a\\",
            r"\d",
            r"\x41",
            r"\<word\>",
            "caf\u{e9}",
            "tab\there",
            "(a|b|c|d)(a|b|c|d)(a|b|c|d)(a|b|c|d)",
        ] {
            assert_eq!(folded(p), None, "{p:?}");
        }
    }

    #[test]
    fn alternatives_at_the_top_only() {
        assert_eq!(alternatives(r"a|b(c|d)|\be\b"), ["a", "b(c|d)", r"\be\b"]);
        assert_eq!(alternatives("a||b"), ["a", "", "b"]);
        for whole in [
            "ab", "[a|b]c", r"a\|b", "(a|b)c", "(?-i)a|b", "a|(?i)b", "(a|b",
        ] {
            assert_eq!(alternatives(whole), [whole], "{whole}");
        }
    }

    /// The top-level alternatives as regex-syntax's parse finds them, for every pattern of
    /// the built-in rules and for patterns with `|` in classes, escapes and groups.
    #[test]
    fn alternatives_are_where_regex_syntax_finds_them() {
        let mut patterns: Vec<&str> = super::super::rules::BUILTIN
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(1))
            .filter(|p| *p != "*" && !p.contains("(?"))
            .collect();
        let builtin = patterns.len();
        patterns.extend([
            "[|]|x",
            "[]|]|x",
            "[^]|]a|x",
            "[[:alpha:]|]|x",
            "[a[b|]]|(c|[)])|d",
            r"\||a\[|b",
            r"[\]|]|c",
            r"\x{7C}|\p{Greek}|z",
            "((a|b)|(c))|d",
            "a|",
            "|a",
        ]);
        let mut split = 0;
        for p in patterns {
            let theirs: Vec<&str> = match &regex_syntax::ast::parse::Parser::new().parse(p) {
                Ok(regex_syntax::ast::Ast::Alternation(alt)) => alt
                    .asts
                    .iter()
                    .map(|a| &p[a.span().start.offset..a.span().end.offset])
                    .collect(),
                Ok(_) => vec![p],
                Err(e) => panic!("{p}: {e}"),
            };
            split += usize::from(theirs.len() > 1);
            assert_eq!(alternatives(p), theirs, "{p}");
        }
        assert!(
            builtin > 100 && split > 60,
            "{builtin} patterns, {split} split"
        );
    }

    /// Every pattern of the built-in rules, and some more, read here and by regex-syntax:
    /// where this reading finds texts, regex-syntax's case-insensitive parse is exactly those
    /// texts in both cases.
    #[test]
    fn the_texts_are_what_regex_syntax_reads() {
        let mut patterns: Vec<String> = super::super::rules::BUILTIN
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(1))
            .filter(|p| *p != "*")
            .map(str::to_string)
            .collect();
        let builtin = patterns.len();
        patterns.extend(
            [
                "a(b|c)?d",
                r"x\.y\-z\(1\)",
                "(((a)))b",
                "\"quoted\"?",
                "a b|(c (d|e) f)",
            ]
            .map(String::from),
        );
        let mut literal = 0;
        for (i, p) in patterns.iter().enumerate() {
            let Some(mine) = folded(p) else { continue };
            literal += usize::from(i < builtin);
            let config = syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false);
            let hir = syntax::parse_with(p, &config).unwrap();
            let theirs = oracle(&hir).map(sorted);
            assert_eq!(Some(mine), theirs, "{p}");
        }
        // Most of the built-in patterns (80 of 121 when this was written) are fixed texts.
        assert!(literal * 5 >= builtin * 3, "{literal} of {builtin}");
    }

    /// The texts a case-insensitive parse matches, from regex-syntax's reading of it, if
    /// it is a finite list of texts each letter of which is in both cases.
    fn oracle(hir: &Hir) -> Option<Vec<Vec<u8>>> {
        match hir.kind() {
            HirKind::Empty => Some(vec![Vec::new()]),
            HirKind::Literal(lit) => {
                (!lit.0.iter().any(u8::is_ascii_alphabetic)).then(|| vec![lit.0.to_vec()])
            }
            HirKind::Class(class) => {
                // Alternatives of one character each come as one class: every letter in it
                // must be there in both cases.
                let bytes: Vec<u8> = match class {
                    Class::Bytes(c) => c
                        .ranges()
                        .iter()
                        .flat_map(|r| r.start()..=r.end())
                        .collect(),
                    Class::Unicode(c) => {
                        let chars: Vec<char> = c
                            .ranges()
                            .iter()
                            .flat_map(|r| r.start()..=r.end())
                            .collect();
                        if !chars.iter().all(char::is_ascii) {
                            return None;
                        }
                        chars.iter().map(|&c| c as u8).collect()
                    }
                };
                let both = |b: &u8| {
                    !b.is_ascii_alphabetic()
                        || (bytes.contains(&b.to_ascii_lowercase())
                            && bytes.contains(&b.to_ascii_uppercase()))
                };
                let mut texts: Vec<Vec<u8>> =
                    bytes.iter().map(|b| vec![b.to_ascii_lowercase()]).collect();
                texts.sort();
                texts.dedup();
                bytes.iter().all(both).then_some(texts)
            }
            HirKind::Repetition(rep) => match (rep.min, rep.max, rep.greedy) {
                (0, Some(1), true) => {
                    let mut t = oracle(&rep.sub)?;
                    t.push(Vec::new());
                    Some(t)
                }
                _ => None,
            },
            HirKind::Capture(cap) => oracle(&cap.sub),
            HirKind::Concat(parts) => parts.iter().try_fold(vec![Vec::new()], |all, part| {
                let next = oracle(part)?;
                Some(
                    all.iter()
                        .flat_map(|a| next.iter().map(move |b| [&a[..], &b[..]].concat()))
                        .collect(),
                )
            }),
            HirKind::Alternation(alts) => {
                let mut all = Vec::new();
                for alt in alts {
                    all.extend(oracle(alt)?);
                }
                Some(all)
            }
            HirKind::Look(_) => None,
        }
    }
}
