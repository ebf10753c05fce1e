//! The rule table that turns a failed reply into a [`Diagnosis`], and its file format.
//!
//! One rule per line; `#` starts a comment line; blank lines are skipped. Fields are
//! separated by tabs:
//!
//! ```text
//! diagnosis<TAB>pattern[<TAB>conditions]
//! ```
//!
//! - `diagnosis`: one of the snake_case names of [`Diagnosis`] (`mailbox_full`, …).
//! - `pattern`: a regular expression (Rust `regex` syntax) searched for anywhere in the
//!   reply text, ASCII letters in any case (write `(?-i)` to make it case-sensitive; other
//!   letters match as written, and classes such as `\w` are ASCII); `*` alone
//!   matches any text, for rules that look at codes only. The reply text is what the log
//!   shows, code included: `452 4.2.2 The recipient's inbox is out of storage space…`, or
//!   for a deferral without a reply, Postfix's or Exim's own words
//!   (`connect to mx.example.org[192.0.2.1]:25: Connection timed out`).
//! - `conditions` (optional), separated by spaces, all of which must hold:
//!   `code=550` (the basic code), `code=4xx` / `code=5xx` (the class, from the basic code or
//!   else the enhanced code), `enhanced=5.7.26` (the enhanced code; any part may be `x`:
//!   `enhanced=x.2.2`, `enhanced=4.7.x`), `provider=google` (the [`provider`] of the relay).
//!
//! Rules are tried in order and the first that holds wins: the rules of a user file come
//! before the built-in ones (`rules.tsv`), so a user rule overrides. A reply that no rule
//! takes is [`Diagnosis::Other`]. A line that cannot be read is an error naming the file and
//! line ([`RuleError`]).
//!
//! All patterns are compiled once, and one pass of each engine over a reply finds every
//! pattern that matches it; the rules are then checked in order against that result. What
//! is only fixed texts goes into an Aho-Corasick automaton, built whole in under a
//! millisecond: whole patterns (`over quota|quota exceeded`, 79 of the 121 built-in ones;
//! see [`super::literals`]), and the alternatives of the others that are (`spam` of
//! `spam|\bvirus`). The rest (word boundaries, anchors, classes, repetitions) goes into one
//! lazy DFA (regex-automata's hybrid engine, the one `regex::bytes::RegexSet` would run),
//! built state by state as replies need them. With every pattern in the DFA, building its
//! states was a quarter of a scan of 1 MB; with only the rest, a scan of 1 MB took 45 %
//! less time. The DFA is built directly rather than through `RegexSet`: a set searched for
//! every match runs only the forward DFA, and the rest that `RegexSet` builds (literal
//! prefilters, a reverse NFA, an NFA with capture groups) was half of building the rules,
//! which a scan waits for on its first failure. A PikeVM over the same NFA answers in the
//! DFA's place if it ever gives up.
//!
//! [`provider`]: super::provider()

use super::{provider, Diagnosis};
use crate::parse::Enhanced;
use aho_corasick::AhoCorasick;
use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM, WhichCaptures};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternID, PatternSet};
use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The built-in rules, in the user-file format.
pub const BUILTIN: &str = include_str!("rules.tsv");

/// Where a rule was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The rule file; `None` for the built-in table.
    pub file: Option<Arc<Path>>,
    /// The line number, from 1.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(p) => write!(f, "{}:{}", p.display(), self.line),
            None => write!(f, "built-in rule {}", self.line),
        }
    }
}

/// What went wrong with one line of a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Fewer than two or more than three fields.
    Fields(usize),
    UnknownDiagnosis(String),
    BadCondition(String),
    /// The regex error, as the `regex` crate words it.
    BadPattern(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Fields(n) => write!(
                f,
                "expected 'diagnosis<TAB>pattern[<TAB>conditions]', found {n} tab-separated field(s)"
            ),
            Problem::UnknownDiagnosis(d) => {
                let names: Vec<&str> = Diagnosis::ALL.iter().map(|d| d.name()).collect();
                write!(f, "unknown diagnosis '{d}' (known: {})", names.join(", "))
            }
            Problem::BadCondition(c) => write!(
                f,
                "bad condition '{c}' (use code=550, code=4xx, enhanced=5.7.x or provider=name)"
            ),
            Problem::BadPattern(e) => write!(f, "bad regular expression: {e}"),
        }
    }
}

/// A rule file that cannot be used.
#[derive(Debug)]
pub enum RuleError {
    /// The file could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// One line is broken.
    Line {
        path: PathBuf,
        line: usize,
        problem: Problem,
    },
    /// The patterns together are too large to compile.
    TooLarge { path: PathBuf, message: String },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Io { path, source } => {
                write!(f, "cannot read rule file {}: {source}", path.display())
            }
            RuleError::Line {
                path,
                line,
                problem,
            } => write!(f, "{}:{line}: {problem}", path.display()),
            RuleError::TooLarge { path, message } => write!(
                f,
                "the rules of {} together are too large: {message}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for RuleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuleError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A condition on the basic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeCond {
    Exact(u16),
    /// The first digit, from the basic code or else the enhanced code.
    Class(u8),
}

/// An enhanced-code pattern; `None` parts match anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct EnhancedPattern {
    class: Option<u8>,
    subject: Option<u16>,
    detail: Option<u16>,
}

#[derive(Debug, Clone)]
struct Rule {
    diagnosis: Diagnosis,
    /// Index of the pattern in the set; `None` for `*`.
    pattern: Option<usize>,
    code: Option<CodeCond>,
    enhanced: Option<EnhancedPattern>,
    provider: Option<Box<str>>,
    origin: Origin,
}

impl Rule {
    /// Whether the code and enhanced-code conditions hold.
    fn codes_hold(&self, code: Option<u16>, enhanced: Option<Enhanced>) -> bool {
        let code_ok = match self.code {
            None => true,
            Some(CodeCond::Exact(c)) => code == Some(c),
            Some(CodeCond::Class(d)) => match code {
                Some(c) => c / 100 == u16::from(d),
                None => enhanced.is_some_and(|e| e.class == d),
            },
        };
        let enhanced_ok = match (self.enhanced, enhanced) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(p), Some(e)) => {
                p.class.is_none_or(|c| c == e.class)
                    && p.subject.is_none_or(|s| s == e.subject)
                    && p.detail.is_none_or(|d| d == e.detail)
            }
        };
        code_ok && enhanced_ok
    }
}

/// The result of classifying one reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict<'r> {
    pub diagnosis: Diagnosis,
    /// The rule that decided; `None` when no rule held (the diagnosis is then `other`).
    pub rule: Option<&'r Origin>,
    /// Whether the relay's provider was looked at: when not, the same reply gets the same
    /// diagnosis from any relay (the memo uses this).
    pub used_provider: bool,
}

/// Room for which patterns of a set matched a text ([`Rules::verdict_in`]), and the caches
/// of the engines that find them: a caller that asks often keeps one, so that no answer
/// allocates and the DFA states built for one text serve the next.
#[derive(Debug, Clone, Default)]
pub struct Matched(Option<Room>);

#[derive(Debug, Clone)]
struct Room {
    /// The patterns these caches belong to.
    of: Arc<Patterns>,
    /// Which patterns of the whole set matched.
    found: PatternSet,
    /// Which of the DFA's patterns matched, numbered as in the DFA.
    in_dfa: PatternSet,
    /// The text with ASCII letters in lower case, for the automaton of fixed texts.
    lower: Vec<u8>,
    dfa: Option<lazy::Cache>,
    /// Made the first time the DFA gives up, if ever (150 KB for the built-in rules).
    vm: Option<pikevm::Cache>,
}

impl Matched {
    /// The patterns of `set` that match `text`.
    fn of(&mut self, set: &Arc<Patterns>, text: &[u8]) -> &PatternSet {
        if self.0.as_ref().is_none_or(|r| !Arc::ptr_eq(&r.of, set)) {
            self.0 = Some(Room {
                of: Arc::clone(set),
                found: PatternSet::new(set.len),
                in_dfa: PatternSet::new(set.regexes.as_ref().map_or(0, |r| r.ids.len())),
                dfa: set.regexes.as_ref().map(|r| r.dfa.create_cache()),
                lower: Vec::new(),
                vm: None,
            });
        }
        let room = self.0.as_mut().expect("made above");
        room.found.clear();
        if let Some(words) = &set.words {
            room.lower.clear();
            room.lower.extend(text.iter().map(u8::to_ascii_lowercase));
            for m in words.search.find_overlapping_iter(&room.lower) {
                room.found.insert(words.ids[m.pattern().as_usize()]);
            }
        }
        if let (Some(regexes), Some(dfa)) = (&set.regexes, room.dfa.as_mut()) {
            regexes.search(text, dfa, &mut room.vm, &mut room.in_dfa);
            for i in room.in_dfa.iter() {
                room.found.insert(regexes.ids[i.as_usize()]);
            }
        }
        &room.found
    }
}

/// The patterns of the rules, compiled: what is only a few fixed texts (in any case, see
/// [`super::literals`]) into an Aho-Corasick automaton, the rest into a lazy DFA.
#[derive(Debug)]
struct Patterns {
    /// How many patterns there are in all.
    len: usize,
    words: Option<Words>,
    regexes: Option<Regexes>,
}

/// The patterns, and alternatives of patterns, that are fixed texts: every text (ASCII
/// letters in lower case, searched for in a lower-cased copy of the reply: an automaton
/// that folds case itself took three times as long to build), each found with the number
/// of its pattern in the whole set.
#[derive(Debug)]
struct Words {
    search: AhoCorasick,
    ids: Vec<PatternID>,
}

/// The other patterns and alternatives: the lazy DFA that is searched, and the PikeVM that
/// answers if the DFA ever gives up (as configured it should not: it gives up at a quit
/// byte, and none is set, or after a number of cache clears, which is not limited; but an
/// error of the search engine must not become a missing diagnosis), with the number in the
/// whole set of the pattern each DFA pattern is (part of).
#[derive(Debug)]
struct Regexes {
    dfa: DFA,
    vm: PikeVM,
    ids: Vec<PatternID>,
}

impl Regexes {
    /// Compiles `patterns` (numbered `ids` in the whole set; case-insensitive, bytes rather
    /// than UTF-8) into a lazy DFA and a PikeVM.
    fn build(patterns: &[&str], ids: Vec<PatternID>, dfa: lazy::Config) -> Result<Regexes, String> {
        let syntax = syntax::Config::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false);
        let nfa = thompson::Compiler::new()
            .syntax(syntax)
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(dfa.match_kind(MatchKind::All).cache_capacity(16 << 20))
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let vm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        Ok(Regexes { dfa, vm, ids })
    }

    /// Which of these patterns match `text`, into `found` (numbered as in the DFA).
    fn search(
        &self,
        text: &[u8],
        dfa: &mut lazy::Cache,
        vm: &mut Option<pikevm::Cache>,
        found: &mut PatternSet,
    ) {
        found.clear();
        let input = Input::new(text);
        if self
            .dfa
            .try_which_overlapping_matches(dfa, &input, found)
            .is_err()
        {
            found.clear();
            let vm = vm.get_or_insert_with(|| self.vm.create_cache());
            self.vm.which_overlapping_matches(vm, &input, found);
        }
    }
}

impl Patterns {
    /// Compiles `patterns` (case-insensitive, bytes rather than UTF-8).
    #[cfg(test)]
    fn build(patterns: &[String]) -> Result<Patterns, String> {
        Patterns::build_with(patterns, DFA::config(), Build::InTurn)
    }

    /// [`Patterns::build`] with the lazy DFA configured from `dfa` (a test makes it give up).
    fn build_with(patterns: &[String], dfa: lazy::Config, how: Build) -> Result<Patterns, String> {
        let (mut texts, mut text_ids) = (Vec::new(), Vec::new());
        let (mut others, mut other_ids) = (Vec::new(), Vec::new());
        for (i, p) in patterns.iter().enumerate() {
            let id = PatternID::new(i).map_err(|e| e.to_string())?;
            // A pattern of fixed texts is read whole; another is looked at alternative by
            // alternative, so that what it has of fixed texts is not left to the DFA.
            let pieces = match super::literals::folded_literals(p) {
                Some(_) => vec![p.as_str()],
                None => super::literals::alternatives(p),
            };
            for piece in pieces {
                match super::literals::folded_literals(piece) {
                    Some(words) => {
                        text_ids.extend(std::iter::repeat_n(id, words.len()));
                        texts.extend(words);
                    }
                    None => {
                        others.push(piece);
                        other_ids.push(id);
                    }
                }
            }
        }
        let words = || {
            (!texts.is_empty())
                .then(|| {
                    AhoCorasick::builder().build(&texts).map(|search| Words {
                        search,
                        ids: text_ids,
                    })
                })
                .transpose()
                .map_err(|e| e.to_string())
        };
        let regexes = || {
            (!others.is_empty())
                .then(|| Regexes::build(&others, other_ids, dfa))
                .transpose()
        };
        // The two engines are built at once when asked, on a worker of the pool (see
        // [`Build::Together`]); else one after the other.
        let together = how == Build::Together && rayon::current_thread_index().is_some();
        let (words, regexes) = if together {
            rayon::join(words, regexes)
        } else {
            (words(), regexes())
        };
        let (words, regexes) = (words?, regexes?);
        Ok(Patterns {
            len: patterns.len(),
            words,
            regexes,
        })
    }
}

/// The ordered rules and their compiled patterns. Build once, share between threads.
#[derive(Debug, Clone)]
pub struct Rules {
    rules: Vec<Rule>,
    set: Arc<Patterns>,
    /// The providers the rules name (`provider=…`), each once.
    providers: Vec<Box<str>>,
}

/// How the two engines of a rule set are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Build {
    /// One after the other, on the calling thread.
    InTurn,
    /// Beside each other (`rayon::join`), when called on a worker of a rayon pool. Only where
    /// no lock is held and no other work of the pool is waiting: a worker that waits in
    /// `join` runs other work of the pool meanwhile, and a piece of a scan that needs the
    /// rules while this thread is still building them inside a lazy static's initialisation
    /// would wait for itself.
    Together,
}

/// The built-in rules, once built (see [`Rules::builtin`] and [`Rules::build_builtin`]).
static BUILTIN_RULES: OnceLock<Rules> = OnceLock::new();

/// Compiles the built-in rules.
fn compile_builtin(how: Build) -> Rules {
    // The table is part of the program, and a test reads every line of it.
    let parsed = parse_lines(BUILTIN, None).expect("the built-in rules are valid");
    Rules::build_as(parsed, how).expect("the built-in rules compile")
}

impl Rules {
    /// The built-in rules (compiled on first use, one engine after the other, then shared).
    pub fn builtin() -> Rules {
        BUILTIN_RULES
            .get_or_init(|| compile_builtin(Build::InTurn))
            .clone()
    }

    /// Compiles the built-in rules now, unless that was done, with both engines built at
    /// once when called on a worker of a rayon pool: a scan calls it before it hands out its
    /// chunks, so that no worker waits alone for the rules at its first failure. It must
    /// not be called where other work of the pool is waiting (see [`Build::Together`]): it
    /// holds no lock while it builds, and a second build racing it is dropped.
    pub fn build_builtin() {
        if BUILTIN_RULES.get().is_none() {
            let _ = BUILTIN_RULES.set(compile_builtin(Build::Together));
        }
    }

    /// The rules of the file at `path`, followed by the built-in rules.
    pub fn load(path: &Path) -> Result<Rules, RuleError> {
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Rules::with_user_rules(&text, path)
    }

    /// The rules written in `text` (read from `path`, which errors name), followed by the
    /// built-in rules.
    pub fn with_user_rules(text: &str, path: &Path) -> Result<Rules, RuleError> {
        let mut rules = parse_lines(text, Some(path))?;
        rules.extend(parse_lines(BUILTIN, None).expect("the built-in rules are valid"));
        Rules::build(rules).map_err(|message| RuleError::TooLarge {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Compiles the patterns of `parsed` into one set.
    fn build(parsed: Vec<(Rule, Option<String>)>) -> Result<Rules, String> {
        Rules::build_as(parsed, Build::InTurn)
    }

    /// [`Rules::build`], its engines built as `how` says.
    fn build_as(parsed: Vec<(Rule, Option<String>)>, how: Build) -> Result<Rules, String> {
        let mut patterns = Vec::new();
        let mut rules = Vec::with_capacity(parsed.len());
        for (mut rule, pattern) in parsed {
            if let Some(p) = pattern {
                rule.pattern = Some(patterns.len());
                patterns.push(p);
            }
            rules.push(rule);
        }
        let set = Arc::new(Patterns::build_with(&patterns, DFA::config(), how)?);
        let mut providers: Vec<Box<str>> = Vec::new();
        for p in rules.iter().filter_map(|r| r.provider.as_ref()) {
            if !providers.contains(p) {
                providers.push(p.clone());
            }
        }
        Ok(Rules {
            rules,
            set,
            providers,
        })
    }

    /// Which of the providers the rules name `provider` is: 1 + its place among them, or 0
    /// for one that no rule names. A rule compares the relay's provider only for equality
    /// with the one it names, so a reply gets the same diagnosis from any two providers with
    /// the same number (what the memo keys on, `super::memo`).
    pub fn provider_number(&self, provider: &str) -> usize {
        self.providers
            .iter()
            .position(|p| **p == *provider)
            .map_or(0, |i| i + 1)
    }

    /// How many rules there are (user and built-in).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The diagnosis of a failed reply. Call it for failures only (4xx, 5xx, or a deferral
    /// or bounce without a code): it runs the pattern set over `text`.
    pub fn classify(
        &self,
        code: Option<u16>,
        enhanced: Option<Enhanced>,
        text: &[u8],
        relay: &[u8],
    ) -> Diagnosis {
        self.verdict(code, enhanced, text, relay).diagnosis
    }

    /// [`Rules::classify`], also telling which rule decided.
    pub fn verdict(
        &self,
        code: Option<u16>,
        enhanced: Option<Enhanced>,
        text: &[u8],
        relay: &[u8],
    ) -> Verdict<'_> {
        let mut buf = Vec::new();
        let text = super::text_to_classify(code, text, &mut buf);
        self.verdict_in(&mut Matched::default(), code, enhanced, text, relay)
    }

    /// [`Rules::verdict`] of a text already cut and masked ([`super::text_to_classify`]), with
    /// `matched` as room for which patterns matched: a caller that asks often keeps one, so
    /// that no answer allocates.
    pub fn verdict_in(
        &self,
        matched: &mut Matched,
        code: Option<u16>,
        enhanced: Option<Enhanced>,
        text: &[u8],
        relay: &[u8],
    ) -> Verdict<'_> {
        let matched = matched.of(&self.set, text);
        let mut relay_provider: Option<Cow<'_, str>> = None;
        for rule in &self.rules {
            if rule
                .pattern
                .is_some_and(|i| !matched.contains(PatternID::new_unchecked(i)))
            {
                continue;
            }
            if !rule.codes_hold(code, enhanced) {
                continue;
            }
            if let Some(want) = &rule.provider {
                let got = relay_provider.get_or_insert_with(|| provider(relay));
                if **want != **got {
                    continue;
                }
            }
            return Verdict {
                diagnosis: rule.diagnosis,
                rule: Some(&rule.origin),
                used_provider: relay_provider.is_some(),
            };
        }
        Verdict {
            diagnosis: Diagnosis::Other,
            rule: None,
            used_provider: relay_provider.is_some(),
        }
    }
}

/// Reads the rules of a file (`path`) or of the built-in table (`None`), with their
/// patterns not yet compiled. User patterns are compiled one by one here, so that a bad one
/// is reported with its line.
fn parse_lines(text: &str, path: Option<&Path>) -> Result<Vec<(Rule, Option<String>)>, RuleError> {
    let file: Option<Arc<Path>> = path.map(Arc::from);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let origin = Origin {
            file: file.clone(),
            line: i + 1,
        };
        let fail = |problem| RuleError::Line {
            path: path.map_or_else(|| PathBuf::from("built-in rules"), Path::to_path_buf),
            line: i + 1,
            problem,
        };
        let fields: Vec<&str> = line.split('\t').filter(|f| !f.is_empty()).collect();
        let rule = parse_rule(&fields, origin, path.is_some()).map_err(fail)?;
        out.push(rule);
    }
    Ok(out)
}

/// One rule from its fields. `check` compiles the pattern alone to report it with its line.
fn parse_rule(
    fields: &[&str],
    origin: Origin,
    check: bool,
) -> Result<(Rule, Option<String>), Problem> {
    let [name, pattern, rest @ ..] = fields else {
        return Err(Problem::Fields(fields.len()));
    };
    if rest.len() > 1 {
        return Err(Problem::Fields(fields.len()));
    }
    let diagnosis = Diagnosis::from_name(name.trim())
        .ok_or_else(|| Problem::UnknownDiagnosis(name.trim().to_string()))?;
    let mut rule = Rule {
        diagnosis,
        pattern: None,
        code: None,
        enhanced: None,
        provider: None,
        origin,
    };
    for cond in rest.iter().flat_map(|c| c.split_whitespace()) {
        apply_condition(&mut rule, cond).ok_or_else(|| Problem::BadCondition(cond.to_string()))?;
    }
    let pattern = (*pattern != "*").then(|| pattern.to_string());
    if let (Some(p), true) = (&pattern, check) {
        regex::bytes::RegexBuilder::new(p)
            .case_insensitive(true)
            .unicode(false)
            .build()
            .map_err(|e| Problem::BadPattern(e.to_string()))?;
    }
    Ok((rule, pattern))
}

/// Applies `key=value` to `rule`; `None` when it is not a valid condition.
fn apply_condition(rule: &mut Rule, cond: &str) -> Option<()> {
    let (key, value) = cond.split_once('=')?;
    match key {
        "code" => rule.code = Some(code_condition(value)?),
        "enhanced" => rule.enhanced = Some(enhanced_pattern(value)?),
        "provider" if !value.is_empty() => rule.provider = Some(value.to_ascii_lowercase().into()),
        _ => return None,
    }
    Some(())
}

/// `550` or `5xx`.
fn code_condition(v: &str) -> Option<CodeCond> {
    let b = v.as_bytes();
    if b.len() != 3 || !(b'2'..=b'5').contains(&b[0]) {
        return None;
    }
    if b[1..].eq_ignore_ascii_case(b"xx") {
        return Some(CodeCond::Class(b[0] - b'0'));
    }
    let n: u16 = v.parse().ok()?;
    Some(CodeCond::Exact(n))
}

/// `5.7.26`, `x.2.2`, `4.7.x`.
fn enhanced_pattern(v: &str) -> Option<EnhancedPattern> {
    let mut parts = v.split('.');
    let (c, s, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    fn part<T: std::str::FromStr>(p: &str) -> Option<Option<T>> {
        if p.eq_ignore_ascii_case("x") {
            return Some(None);
        }
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok().map(Some)
    }
    let class = part::<u8>(c)?;
    if class.is_some_and(|c| !matches!(c, 2 | 4 | 5)) {
        return None;
    }
    Some(EnhancedPattern {
        class,
        subject: part(s)?,
        detail: part(d)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns of the built-in rules, in order.
    fn builtin_patterns() -> Vec<String> {
        parse_lines(BUILTIN, None)
            .unwrap()
            .into_iter()
            .filter_map(|(_, p)| p)
            .collect()
    }

    #[test]
    fn where_the_lazy_dfa_gives_up_the_pikevm_finds_the_same_patterns() {
        let patterns = builtin_patterns();
        let normal = Arc::new(Patterns::build(&patterns).unwrap());
        // A DFA that quits at every space: it gives up on every reply below.
        let quitting = Arc::new(
            Patterns::build_with(&patterns, DFA::config().quit(b' ', true), Build::InTurn).unwrap(),
        );
        let replies = [
            "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "452 4.2.2 The email account that you tried to reach is over quota",
            "450 4.7.1 Recipient address rejected: Greylisted, see http://postgrey.example/",
            "421 4.7.28 Our system has detected an unusual rate of unsolicited mail",
            "connect to mx.example[192.0.2.9]:25: Connection timed out",
            "250 2.0.0 Ok: queued as 4Xy",
        ];
        let (mut a, mut b) = (Matched::default(), Matched::default());
        let mut matched_any = 0;
        for reply in replies {
            let text = reply.as_bytes();
            let input = Input::new(text);
            let regexes = quitting.regexes.as_ref().unwrap();
            let mut cache = regexes.dfa.create_cache();
            let mut found = PatternSet::new(regexes.dfa.pattern_len());
            assert!(regexes
                .dfa
                .try_which_overlapping_matches(&mut cache, &input, &mut found)
                .is_err());
            let want: Vec<_> = a.of(&normal, text).iter().collect();
            assert_eq!(
                b.of(&quitting, text).iter().collect::<Vec<_>>(),
                want,
                "{reply}"
            );
            matched_any += usize::from(!want.is_empty());
        }
        assert!(matched_any >= 5, "{matched_any}");
    }

    /// Every line of every fixture file, and each word pattern's texts in capitals inside
    /// other words, searched with the patterns split between the Aho-Corasick automaton and
    /// the DFA, and with all of them in one DFA (as before the split): the same patterns
    /// match.
    /// Built with both engines at once on a pool's worker (as a scan prepares the rules),
    /// the set finds what the one built in turn finds, on every fixture reply.
    #[test]
    fn engines_built_together_match_as_built_in_turn() {
        let patterns = builtin_patterns();
        let in_turn = Arc::new(Patterns::build(&patterns).unwrap());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let together = pool
            .install(|| Patterns::build_with(&patterns, DFA::config(), Build::Together))
            .map(Arc::new)
            .unwrap();
        let replies = include_str!("../../fixtures/diagnoses/replies.tsv");
        let (mut a, mut b) = (Matched::default(), Matched::default());
        let mut matched = 0;
        for line in replies.lines() {
            let want: Vec<_> = a.of(&in_turn, line.as_bytes()).iter().collect();
            let got: Vec<_> = b.of(&together, line.as_bytes()).iter().collect();
            assert_eq!(got, want, "{line}");
            matched += usize::from(!want.is_empty());
        }
        assert!(matched > 80, "{matched}");
    }

    #[test]
    fn words_found_apart_match_as_in_one_dfa() {
        let patterns = builtin_patterns();
        let split = Arc::new(Patterns::build(&patterns).unwrap());
        let word_texts = split.words.as_ref().unwrap().ids.len();
        let regexes = split.regexes.as_ref().unwrap().ids.len();
        assert!(
            regexes * 2 < patterns.len(),
            "{regexes} of {}",
            patterns.len()
        );
        let all: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let ids = (0..all.len()).map(PatternID::must).collect();
        let whole = Regexes::build(&all, ids, DFA::config()).unwrap();
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for pattern in &patterns {
            for t in super::super::literals::folded_literals(pattern).unwrap_or_default() {
                texts.push([&b"x"[..], &t.to_ascii_uppercase(), b"y"].concat());
            }
        }
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    texts.extend(bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec));
                }
            }
        }
        assert!(texts.len() > 1000, "{}", texts.len());
        let (mut room, mut cache, mut vm) = (Matched::default(), whole.dfa.create_cache(), None);
        let mut found = PatternSet::new(all.len());
        let mut matched = 0;
        for text in &texts {
            whole.search(text, &mut cache, &mut vm, &mut found);
            let want: Vec<_> = found.iter().collect();
            let got: Vec<_> = room.of(&split, text).iter().collect();
            assert_eq!(got, want, "{}", String::from_utf8_lossy(text));
            matched += usize::from(!want.is_empty());
        }
        assert!(matched > word_texts, "{matched} texts matched");
    }

    #[test]
    fn the_builtin_table_reads_and_compiles() {
        let rules = Rules::builtin();
        assert!(rules.len() > 100, "{}", rules.len());
        // Each pattern also compiles alone (as a user file's would be checked).
        parse_lines(BUILTIN, Some(Path::new("rules.tsv"))).unwrap();
    }

    #[test]
    fn conditions() {
        assert_eq!(code_condition("550"), Some(CodeCond::Exact(550)));
        assert_eq!(code_condition("4xx"), Some(CodeCond::Class(4)));
        assert_eq!(code_condition("4XX"), Some(CodeCond::Class(4)));
        for bad in ["650", "55", "5500", "4x", "abc", ""] {
            assert_eq!(code_condition(bad), None, "{bad}");
        }
        let p = enhanced_pattern("x.2.2").unwrap();
        assert_eq!((p.class, p.subject, p.detail), (None, Some(2), Some(2)));
        let p = enhanced_pattern("4.7.x").unwrap();
        assert_eq!((p.class, p.subject, p.detail), (Some(4), Some(7), None));
        for bad in ["3.1.1", "5.7", "5.7.1.1", "5..1", "5.7.1000", "a.b.c"] {
            assert_eq!(enhanced_pattern(bad), None, "{bad}");
        }
    }

    #[test]
    fn code_conditions_read_the_enhanced_class_without_a_basic_code() {
        let (rule, _) = parse_rule(&["dns", "*", "code=4xx"], origin(), false).unwrap();
        let e = |s: &str| crate::parse::reply::enhanced_at(s.as_bytes()).map(|x| x.0);
        assert!(rule.codes_hold(Some(421), None));
        assert!(rule.codes_hold(None, e("4.4.1")));
        assert!(!rule.codes_hold(None, e("5.4.1")));
        assert!(!rule.codes_hold(Some(550), e("4.4.1")));
        assert!(!rule.codes_hold(None, None));
    }

    fn origin() -> Origin {
        Origin {
            file: None,
            line: 1,
        }
    }
}
