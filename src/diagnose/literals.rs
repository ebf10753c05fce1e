//! Which rule patterns are only a few words in any case, and which words.
//!
//! Most patterns of the rules are alternatives of plain words (`over quota|quota exceeded`,
//! `retry time not (yet )?reached`). A lazy DFA that searches every pattern at once pays for
//! each of them in the states it builds while a scan runs: on a 1 MB log, building those
//! states was a quarter of the run. A pattern that can only match a short list of fixed
//! texts, ASCII letters in any case, is found just as well by an Aho-Corasick automaton
//! (built whole, in under a millisecond), which leaves the DFA the patterns that need it.
//! [`folded_literals`] tells the two kinds apart.

use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many texts per pattern (an alternation of alternations multiplies).
const MAX_TEXTS: usize = 64;

/// The texts, ASCII letters lower-cased, that a pattern matches when compiled without
/// Unicode and with ASCII letters in any case (as the rules compile their patterns), if it
/// matches exactly those and nothing else, so that "the pattern matches somewhere in a
/// reply" is "one of the texts occurs in it, ASCII letters in any case". `hir` is the
/// pattern parsed case-sensitively (half the work of parsing it case-insensitively), so
/// the pattern must not change case-sensitivity itself: a pattern with a flag group
/// (`(?-i)`, `(?i:…)`) is `None`, and so is one that needs more than texts: an anchor or
/// word boundary, a class other than one letter in both cases, a repetition other than
/// `?`, an empty text, or more than [`MAX_TEXTS`] texts.
pub fn folded_literals(pattern: &str, hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if pattern.contains("(?") {
        return None;
    }
    let mut texts = texts(hir)?;
    if texts.iter().any(Vec::is_empty) {
        return None;
    }
    for t in &mut texts {
        t.make_ascii_lowercase();
    }
    Some(texts)
}

fn texts(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
        HirKind::Class(class) => one_byte(class).map(|b| vec![vec![b]]),
        HirKind::Look(_) => None,
        HirKind::Repetition(rep) => match (rep.min, rep.max) {
            (1, Some(1)) => texts(&rep.sub),
            (0, Some(1)) => {
                let mut t = texts(&rep.sub)?;
                t.push(Vec::new());
                within_limit(t)
            }
            _ => None,
        },
        HirKind::Capture(cap) => texts(&cap.sub),
        HirKind::Concat(parts) => {
            let mut all = vec![Vec::new()];
            for part in parts {
                let next = texts(part)?;
                if all.len() * next.len() > MAX_TEXTS {
                    return None;
                }
                all = all
                    .iter()
                    .flat_map(|a| next.iter().map(move |b| [&a[..], &b[..]].concat()))
                    .collect();
            }
            Some(all)
        }
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for alt in alts {
                all.extend(texts(alt)?);
                if all.len() > MAX_TEXTS {
                    return None;
                }
            }
            Some(all)
        }
    }
}

fn within_limit(t: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    (t.len() <= MAX_TEXTS).then_some(t)
}

/// The byte a class stands for when it is one byte, or one ASCII letter in both cases
/// (compiled case-insensitively, either is the letter in both cases).
fn one_byte(class: &Class) -> Option<u8> {
    let mut bytes = Vec::new();
    match class {
        Class::Bytes(c) => {
            for r in c.ranges() {
                if usize::from(r.end() - r.start()) + bytes.len() >= 2 {
                    return None;
                }
                bytes.extend(r.start()..=r.end());
            }
        }
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (start, end) = (u32::from(r.start()), u32::from(r.end()));
                if end >= 0x80 || (end - start) as usize + bytes.len() >= 2 {
                    return None;
                }
                bytes.extend((start..=end).map(|b| b as u8));
            }
        }
    }
    match bytes[..] {
        [b] => Some(b),
        [a, b] if a.is_ascii_uppercase() && b == a.to_ascii_lowercase() => Some(b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;

    fn folded(pattern: &str) -> Option<Vec<String>> {
        let config = syntax::Config::new().unicode(false).utf8(false);
        let hir = syntax::parse_with(pattern, &config).unwrap();
        folded_literals(pattern, &hir).map(|t| {
            let mut t: Vec<String> = t
                .into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect();
            t.sort();
            t
        })
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
        assert_eq!(folded("[S]pam|[Hh]am").unwrap(), ["ham", "spam"]);
        assert_eq!(folded("too many \"?received\"? h").unwrap().len(), 4);
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
            "[Sx]pam",
            "x*",
            "(ab)?",
            "(a|b|c|d)(a|b|c|d)(a|b|c|d)(a|b|c|d)",
        ] {
            assert_eq!(folded(p), None, "{p}");
        }
    }
}
