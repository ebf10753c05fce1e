//! `mailcodes explain`: what a code means, when you see it, how to fix it; two codes side
//! by side with their key difference; a whole pasted reply (its basic and enhanced codes); or
//! the whole list. Text, CSV or JSON; English or Vietnamese.
//!
//! The texts come from the knowledge base ([`crate::kb`]); this module only resolves codes,
//! builds one [`Report`] and writes it in the chosen format.

use crate::cli::{ExplainArgs, ExplainFormat, Lang};
use crate::cmd::{is_broken_pipe, Exit};
use crate::kb::{self, Code, Entry, Generic, PastedReply, Query};
use crate::report::{clean_text, safe_cell};
use serde::Serialize;
use std::io::{self, Write};

/// Headings and fixed phrases in one language.
struct Labels {
    description: &'static str,
    when: &'static str,
    fix: &'static str,
    class: &'static str,
    reference: &'static str,
    key_difference: &'static str,
    which_action: &'static str,
    unregistered: &'static str,
    fallback: &'static str,
    reply: &'static str,
    codes_in_reply: &'static str,
    diagnosis: &'static str,
    any_class_title: &'static str,
    any_class_text: &'static str,
}

const EN: Labels = Labels {
    description: "Description",
    when: "When you see it",
    fix: "How to fix it",
    class: "Class",
    reference: "Reference",
    key_difference: "Key difference",
    which_action: "Which one needs action",
    unregistered:
        "is not a registered code; what follows is the generic meaning of its class and subject.",
    fallback: "",
    reply: "Reply",
    codes_in_reply: "Codes in the reply",
    diagnosis: "Diagnosis",
    any_class_title: "Any class",
    any_class_text: "The registry lists the code without its class: with 2 it reports success, with 4 a temporary failure, with 5 a permanent one (RFC 3463 section 2).",
};

const VI: Labels = Labels {
    description: "Mô tả",
    when: "Khi bạn thấy mã này",
    fix: "Cách khắc phục",
    class: "Lớp",
    reference: "Tham chiếu",
    key_difference: "Sự khác biệt chính",
    which_action: "Khi nào dùng cái nào",
    unregistered:
        "không phải là mã đã đăng ký; nội dung dưới đây là ý nghĩa chung theo lớp và chủ đề của nó.",
    fallback: "[chưa có bản tiếng Việt cho mã này: phần mô tả hiển thị bằng tiếng Anh]",
    reply: "Phản hồi",
    codes_in_reply: "Mã cơ bản và mã nâng cao trong phản hồi",
    diagnosis: "Chẩn đoán",
    any_class_title: "Mọi lớp",
    any_class_text: "Sổ đăng ký ghi mã này không kèm lớp: đi với 2 là thành công, với 4 là lỗi tạm thời, với 5 là lỗi vĩnh viễn (RFC 3463 mục 2).",
};

fn words(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Vi => &VI,
    }
}

/// One code resolved for display.
#[derive(Debug, Clone)]
pub struct Explained {
    pub code: Code,
    pub registered: bool,
    /// `2xx`, `4xx`, `5xx` (also for enhanced codes), or `X` for an `X.s.d` entry.
    pub class_label: String,
    pub class_title: String,
    pub class_text: String,
    pub title: String,
    pub description: String,
    pub when: String,
    pub fix: String,
    pub reference: String,
    /// Fields shown in English because no Vietnamese text exists.
    pub fell_back: bool,
}

/// What the diagnose module concludes about a whole reply: its diagnosis and who must do
/// what. See [`diagnosis_of_reply`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// The diagnosis name, e.g. `blocklisted`.
    pub name: String,
    /// What it means, in a few words.
    pub title: String,
    /// Who must act: `us`, `recipient`, `remote_postmaster`, …
    pub actor: String,
    /// What to do about it.
    pub fix: String,
}

/// The diagnosis of a pasted reply (`550 5.7.1 ... blocked using zen.spamhaus.org`) by the
/// built-in rules of [`crate::diagnose`], with who must act and what to do, in `lang`. The
/// reply carries no relay host, so provider-specific rules that need one do not apply.
pub fn diagnosis_of_reply(reply: &PastedReply, lang: Lang) -> Option<Diagnosis> {
    let rules = crate::diagnose::Rules::builtin();
    let d = rules.classify(
        Some(reply.basic),
        reply.enhanced,
        reply.text.as_bytes(),
        b"",
    );
    let (title, fix) = match lang {
        Lang::En => (d.title(), d.fix()),
        Lang::Vi => (d.title_vi(), d.fix_vi()),
    };
    Some(Diagnosis {
        name: d.name().to_string(),
        title: title.to_string(),
        actor: d.actor().label().to_string(),
        fix: fix.to_string(),
    })
}

/// Everything one `explain` run shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// The pasted reply, when the argument was one.
    pub reply: Option<PastedReply>,
    pub items: Vec<Explained>,
    /// Key difference and which-one-needs-action, for two code arguments.
    pub pair: Option<(String, String)>,
    pub diagnosis: Option<Diagnosis>,
}

impl Report {
    /// Resolves the arguments. A pasted reply is explained on its own: its basic code, then
    /// its enhanced code if it has one, with no comparison between them.
    pub fn build(queries: &[Query], lang: Lang) -> Report {
        if let [Query::Reply(r)] = queries {
            return Report {
                items: r.codes().into_iter().map(|c| explain(c, lang)).collect(),
                diagnosis: diagnosis_of_reply(r, lang),
                reply: Some(r.clone()),
                pair: None,
            };
        }
        let codes: Vec<Code> = queries
            .iter()
            .filter_map(|q| match q {
                Query::Code(c) => Some(*c),
                Query::Reply(_) => None,
            })
            .collect();
        let items: Vec<Explained> = codes.iter().map(|c| explain(*c, lang)).collect();
        let pair = match items.as_slice() {
            [a, b] => Some((key_difference(a, b, lang), which_action(a, b, lang))),
            _ => None,
        };
        Report {
            reply: None,
            items,
            pair,
            diagnosis: None,
        }
    }
}

/// The entry's four texts in `lang`, and whether they fell back to English.
fn entry_texts(e: &Entry, lang: Lang) -> ([&'static str; 4], bool) {
    match (lang, e.vi) {
        (Lang::Vi, Some(v)) => ([v.title, v.description, v.when, v.fix], false),
        (Lang::Vi, None) => ([e.title, e.description, e.when, e.fix], true),
        (Lang::En, _) => ([e.title, e.description, e.when, e.fix], false),
    }
}

fn generic_text(lang: Lang, g: Option<&'static Generic>) -> (String, String) {
    match g {
        Some(g) if lang == Lang::Vi => (g.title_vi.to_string(), g.description_vi.to_string()),
        Some(g) => (g.title.to_string(), g.description.to_string()),
        None => (String::new(), String::new()),
    }
}

/// The class label, title and text printed for a code.
fn class_of(code: Code, lang: Lang) -> (String, String, String) {
    let (digit, generic) = match code {
        Code::Basic(c) => ((c / 100) as u8, kb::basic_class((c / 100) as u8)),
        Code::Enhanced(e) => (e.class, kb::enhanced_class(e.class)),
        Code::AnyClass { .. } => {
            let wd = words(lang);
            let (t, x) = (wd.any_class_title, wd.any_class_text);
            return ("X".into(), t.into(), x.into());
        }
    };
    let (title, text) = generic_text(lang, generic);
    (format!("{digit}xx"), title, text)
}

/// Resolves a code: its registered entry, or the generic meaning of its class and subject.
pub fn explain(code: Code, lang: Lang) -> Explained {
    let (class_label, class_title, class_text) = class_of(code, lang);
    match kb::lookup(code) {
        Some(e) => {
            let ([title, description, when, fix], fell_back) = entry_texts(e, lang);
            Explained {
                code,
                registered: true,
                class_label,
                class_title,
                class_text,
                title: title.into(),
                description: description.into(),
                when: when.into(),
                fix: fix.into(),
                reference: e.reference.into(),
                fell_back,
            }
        }
        None => unregistered(code, lang, class_label, class_title, class_text),
    }
}

/// The generic explanation of a well-formed code that no RFC registers.
fn unregistered(
    code: Code,
    lang: Lang,
    class_label: String,
    class_title: String,
    class_text: String,
) -> Explained {
    let (subject_title, subject_text) = match code {
        Code::Basic(c) => generic_text(lang, kb::basic_category((c / 10 % 10) as u8)),
        Code::Enhanced(e) => generic_text(lang, kb::enhanced_subject(e.subject)),
        Code::AnyClass { subject, .. } => generic_text(lang, kb::enhanced_subject(subject)),
    };
    let title = if subject_title.is_empty() {
        class_title.clone()
    } else {
        format!("{class_title}: {subject_title}")
    };
    let (when, fix) = match lang {
        Lang::En => (
            "Some servers send codes that no RFC registers; a client must then act on the first digit (RFC 5321 section 4.2.1, RFC 3463 section 2).",
            "Treat it as its class says; if it comes from your own server, use a registered code instead.",
        ),
        Lang::Vi => (
            "Một số máy chủ gửi mã không được RFC nào đăng ký; khi đó máy khách phải xử lý theo chữ số đầu tiên (RFC 5321 mục 4.2.1, RFC 3463 mục 2).",
            "Xử lý theo ý nghĩa của lớp; nếu mã do máy chủ của bạn gửi, hãy dùng một mã đã đăng ký.",
        ),
    };
    // No RFC defines the code; name where the generic meaning of its digits comes from.
    let reference = match code {
        Code::Basic(_) => "none (class and category: RFC 5321 section 4.2.1)",
        _ => "none (class and subject: RFC 3463 sections 2 and 3)",
    };
    let explained = Explained {
        code,
        registered: false,
        class_label,
        class_title,
        description: format!("{class_text} {subject_text}").trim().to_string(),
        class_text,
        title,
        when: when.to_string(),
        fix: String::new(),
        reference: reference.into(),
        fell_back: false,
    };
    let advice = action_sentence(&explained, lang);
    Explained {
        fix: format!("{advice} {fix}"),
        ..explained
    }
}

/// What a class means for action, in one sentence; for a registered code followed by its fix.
fn action_sentence(e: &Explained, lang: Lang) -> String {
    let c = e.code;
    let fix = if e.registered { e.fix.as_str() } else { "" };
    let head = match (lang, c.class_digit()) {
        (Lang::En, Some(2)) => format!("{c} needs no action: it reports success."),
        (Lang::En, Some(3)) => {
            format!("{c} needs no action: the server is waiting for the rest of the command.")
        }
        (Lang::En, Some(4)) => format!(
            "{c} needs action only if it persists: it is temporary, and a sending MTA retries on its own."
        ),
        (Lang::En, Some(_)) => format!(
            "{c} needs action: it is a permanent refusal, and the same attempt will fail again until the cause is fixed."
        ),
        (Lang::En, None) => format!("{c} needs action when it comes with class 4 or 5."),
        (Lang::Vi, Some(2)) => format!("{c} không cần xử lý: đây là kết quả thành công."),
        (Lang::Vi, Some(3)) => {
            format!("{c} không cần xử lý: máy chủ đang chờ phần còn lại của lệnh.")
        }
        (Lang::Vi, Some(4)) => format!(
            "{c} chỉ cần xử lý nếu lỗi kéo dài: đây là lỗi tạm thời và MTA gửi sẽ tự thử lại."
        ),
        (Lang::Vi, Some(_)) => format!(
            "{c} cần xử lý: đây là lời từ chối vĩnh viễn, thử lại y như cũ sẽ vẫn thất bại cho tới khi nguyên nhân được khắc phục."
        ),
        (Lang::Vi, None) => format!("{c} cần xử lý khi đi với lớp 4 hoặc 5."),
    };
    match (c.class_digit(), fix) {
        (Some(4..) | None, f) if !f.is_empty() => format!("{head} {f}"),
        _ => head,
    }
}

/// The *key difference* paragraph for two codes, built from their classes.
pub fn key_difference(a: &Explained, b: &Explained, lang: Lang) -> String {
    let one = |e: &Explained| match lang {
        Lang::En => format!(
            "{} is a {} {} ({}): {}",
            e.code,
            e.class_label,
            e.class_title.to_lowercase(),
            e.title,
            e.class_text
        ),
        Lang::Vi => format!(
            "{} thuộc lớp {} — {} ({}): {}",
            e.code,
            e.class_label,
            e.class_title.to_lowercase(),
            e.title,
            e.class_text
        ),
    };
    if a.code.class_digit().is_some() && a.code.class_digit() == b.code.class_digit() {
        match lang {
            Lang::En => format!(
                "Both are {} codes ({}), so they call for the same kind of response; they differ in what they report: {} is \"{}\", {} is \"{}\".",
                a.class_label, a.class_title.to_lowercase(), a.code, a.title, b.code, b.title
            ),
            Lang::Vi => format!(
                "Cả hai đều thuộc lớp {} ({}), nên cách phản ứng giống nhau; chúng khác nhau ở nội dung: {} là \"{}\", {} là \"{}\".",
                a.class_label, a.class_title.to_lowercase(), a.code, a.title, b.code, b.title
            ),
        }
    } else {
        format!("{} {}", one(a), one(b))
    }
}

/// The *which one needs action* paragraph.
pub fn which_action(a: &Explained, b: &Explained, lang: Lang) -> String {
    let verdict = match (a.code.class_digit(), b.code.class_digit()) {
        (Some(da), Some(db)) => verdict(a, b, da, db, lang),
        _ => String::new(),
    };
    format!(
        "{} {} {verdict}",
        action_sentence(a, lang),
        action_sentence(b, lang)
    )
    .trim_end()
    .to_string()
}

fn verdict(a: &Explained, b: &Explained, da: u8, db: u8, lang: Lang) -> String {
    let worse = if da > db { a.code } else { b.code };
    match (lang, da.max(db) < 4, da == db) {
        (Lang::En, true, _) => "Neither needs action.".to_string(),
        (Lang::En, false, true) => "Both need the same kind of attention.".to_string(),
        (Lang::En, false, false) => format!("Of the two, {worse} is the one to look at."),
        (Lang::Vi, true, _) => "Không mã nào cần xử lý.".to_string(),
        (Lang::Vi, false, true) => "Cả hai cần được chú ý như nhau.".to_string(),
        (Lang::Vi, false, false) => format!("Trong hai mã, {worse} là mã cần xem xét."),
    }
}

/// Runs the command.
pub fn run(args: &ExplainArgs) -> Exit {
    let mut queries = Vec::new();
    for arg in &args.codes {
        match Query::parse(arg) {
            Ok(q) => queries.push(q),
            Err(e) => {
                eprintln!("mailcodes: {e}");
                return Exit::Error;
            }
        }
    }
    if queries.len() > 1 && queries.iter().any(|q| matches!(q, Query::Reply(_))) {
        eprintln!("mailcodes: a pasted reply is explained on its own; give it as the only argument, in quotes");
        return Exit::Error;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = if args.list {
        list(&mut out, args.format, args.lang)
    } else {
        show(&mut out, &queries, args.format, args.lang)
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => Exit::Success,
        Err(e) if is_broken_pipe(&e) => Exit::Success,
        Err(e) => {
            eprintln!("mailcodes: {e}");
            Exit::Error
        }
    }
}

/// Writes the explanation of one or two codes, or of a pasted reply.
pub fn show<W: Write>(
    w: &mut W,
    queries: &[Query],
    format: ExplainFormat,
    lang: Lang,
) -> io::Result<()> {
    let report = Report::build(queries, lang);
    match format {
        ExplainFormat::Text => write_text(w, &report, words(lang)),
        ExplainFormat::Csv => write_csv(w, &report),
        ExplainFormat::Json => write_json(w, &report),
    }
}

fn write_text<W: Write>(w: &mut W, r: &Report, wd: &Labels) -> io::Result<()> {
    if let Some(reply) = &r.reply {
        writeln!(w, "{}  {}", wd.reply, clean_text(reply.text.as_bytes()))?;
        let codes: Vec<String> = reply.codes().iter().map(Code::to_string).collect();
        writeln!(w, "  {}: {}", wd.codes_in_reply, codes.join(", "))?;
        if let Some(d) = &r.diagnosis {
            writeln!(w, "{}", wd.diagnosis)?;
            writeln!(w, "  {}: {} ({})", d.name, d.title, d.actor)?;
            let fix = crate::report::text::wrap("  ", &d.fix, 80);
            writeln!(w, "{fix}")?;
        }
        writeln!(w)?;
    }
    for (i, e) in r.items.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        write_entry_text(w, e, wd)?;
    }
    if let Some((diff, action)) = &r.pair {
        writeln!(w)?;
        writeln!(w, "{}", wd.key_difference)?;
        writeln!(w, "  {diff}")?;
        writeln!(w, "{}", wd.which_action)?;
        writeln!(w, "  {action}")?;
    }
    Ok(())
}

fn write_entry_text<W: Write>(w: &mut W, e: &Explained, wd: &Labels) -> io::Result<()> {
    writeln!(w, "{}  {}", e.code, e.title)?;
    writeln!(w, "  {:<11} {} {}", wd.class, e.class_label, e.class_title)?;
    writeln!(w, "  {:<11} {}", wd.reference, e.reference)?;
    if !e.registered {
        writeln!(w, "  {} {}", e.code, wd.unregistered)?;
    }
    if e.fell_back {
        writeln!(w, "  {}", wd.fallback)?;
    }
    for (head, body) in [
        (wd.description, &e.description),
        (wd.when, &e.when),
        (wd.fix, &e.fix),
    ] {
        writeln!(w, "{head}")?;
        writeln!(w, "  {body}")?;
    }
    Ok(())
}

fn write_csv<W: Write>(w: &mut W, r: &Report) -> io::Result<()> {
    let mut c = csv::Writer::from_writer(&mut *w);
    let head = [
        "code",
        "class",
        "registered",
        "title",
        "description",
        "when",
        "fix",
        "reference",
        "english_fallback",
    ];
    c.write_record(head).map_err(io::Error::other)?;
    let flag = |b: bool| if b { "true" } else { "false" };
    for e in &r.items {
        c.write_record([
            e.code.to_string().as_str(),
            &e.class_label,
            flag(e.registered),
            &safe_cell(&e.title),
            &safe_cell(&e.description),
            &safe_cell(&e.when),
            &safe_cell(&e.fix),
            &e.reference,
            flag(e.fell_back),
        ])
        .map_err(io::Error::other)?;
    }
    c.flush()
}

/// One code in the JSON document.
#[derive(Serialize)]
struct JsonCode<'a> {
    code: String,
    class: &'a str,
    class_title: &'a str,
    registered: bool,
    title: &'a str,
    description: &'a str,
    when: &'a str,
    fix: &'a str,
    reference: &'a str,
    english_fallback: bool,
}

/// The JSON document of `explain --format json` (documented in the README).
#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    reply: Option<&'a str>,
    codes: Vec<JsonCode<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_difference: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    which_action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<&'a Diagnosis>,
}

fn write_json<W: Write>(w: &mut W, r: &Report) -> io::Result<()> {
    let codes = r
        .items
        .iter()
        .map(|e| JsonCode {
            code: e.code.to_string(),
            class: &e.class_label,
            class_title: &e.class_title,
            registered: e.registered,
            title: &e.title,
            description: &e.description,
            when: &e.when,
            fix: &e.fix,
            reference: &e.reference,
            english_fallback: e.fell_back,
        })
        .collect();
    let doc = JsonReport {
        reply: r.reply.as_ref().map(|x| x.text.as_str()),
        codes,
        key_difference: r.pair.as_ref().map(|p| p.0.as_str()),
        which_action: r.pair.as_ref().map(|p| p.1.as_str()),
        diagnosis: r.diagnosis.as_ref(),
    };
    serde_json::to_writer(&mut *w, &doc).map_err(io::Error::other)?;
    writeln!(w)
}

/// One line of `explain --list --format json`.
#[derive(Serialize)]
struct ListRow<'a> {
    code: &'a str,
    title: &'a str,
    reference: &'a str,
}

/// Writes every registered code in numeric order, one line (row, object) each; titles in
/// `lang` where a translation exists.
pub fn list<W: Write>(w: &mut W, format: ExplainFormat, lang: Lang) -> io::Result<()> {
    let rows: Vec<ListRow> = kb::all_sorted()
        .into_iter()
        .map(|e| ListRow {
            code: e.code,
            title: entry_texts(e, lang).0[0],
            reference: e.reference,
        })
        .collect();
    match format {
        ExplainFormat::Text => {
            for r in &rows {
                writeln!(w, "{:<8} {}", r.code, r.title)?;
            }
            Ok(())
        }
        ExplainFormat::Csv => {
            let mut c = csv::Writer::from_writer(&mut *w);
            c.write_record(["code", "title", "reference"])
                .map_err(io::Error::other)?;
            for r in &rows {
                c.write_record([r.code, &safe_cell(r.title), r.reference])
                    .map_err(io::Error::other)?;
            }
            c.flush()
        }
        ExplainFormat::Json => {
            serde_json::to_writer(&mut *w, &rows).map_err(io::Error::other)?;
            writeln!(w)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_VI: Entry = Entry {
        code: "299",
        title: "Title",
        description: "Description.",
        when: "When.",
        fix: "Fix.",
        reference: "None",
        vi: None,
    };

    #[test]
    fn missing_vietnamese_falls_back_to_english_visibly() {
        assert_eq!(
            entry_texts(&NO_VI, Lang::Vi),
            (["Title", "Description.", "When.", "Fix."], true)
        );
        assert!(!entry_texts(&NO_VI, Lang::En).1);
        let with_vi = kb::lookup(Code::Basic(221)).unwrap();
        assert_eq!(
            entry_texts(with_vi, Lang::Vi),
            (
                [
                    with_vi.vi.unwrap().title,
                    with_vi.vi.unwrap().description,
                    with_vi.vi.unwrap().when,
                    with_vi.vi.unwrap().fix,
                ],
                false
            )
        );
    }

    #[test]
    fn action_sentences_fit_every_class() {
        for (code, lang, has, lacks) in [
            ("221", Lang::En, "needs no action", "responsibility"),
            ("535", Lang::En, "permanent refusal", "message was refused"),
            ("454", Lang::En, "temporary", "keeps the message queued"),
            ("X.2.2", Lang::En, "class 4 or 5", "needs no action"),
            ("535", Lang::Vi, "từ chối vĩnh viễn", "thư đã bị"),
        ] {
            let e = explain(Code::parse(code).unwrap(), lang);
            let s = action_sentence(&e, lang);
            assert!(s.contains(has) && !s.contains(lacks), "{code}: {s}");
        }
    }

    #[test]
    fn a_pasted_reply_builds_one_report_without_comparison() {
        let q = Query::parse("550 5.7.1 blocked").unwrap();
        let r = Report::build(&[q], Lang::En);
        let codes: Vec<String> = r.items.iter().map(|e| e.code.to_string()).collect();
        assert_eq!(codes, ["550", "5.7.1"]);
        assert!(r.pair.is_none() && r.reply.is_some());
        let r = Report::build(
            &[Query::parse("550").unwrap(), Query::parse("X.7.1").unwrap()],
            Lang::En,
        );
        assert!(r.pair.is_some() && r.reply.is_none());
    }
}
