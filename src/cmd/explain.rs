//! `mailcodes explain`: what a code means, when you see it, how to fix it; two codes side
//! by side with their key difference; or the whole list. Text, CSV or JSON; English or
//! Vietnamese headings.

use crate::cli::{ExplainArgs, ExplainFormat, Lang};
use crate::cmd::{is_broken_pipe, Exit};
use crate::kb::{self, Code, Entry, Generic};
use std::io::{self, Write};

/// Headings and fixed phrases in one language.
struct Words {
    description: &'static str,
    when: &'static str,
    fix: &'static str,
    class: &'static str,
    reference: &'static str,
    key_difference: &'static str,
    which_action: &'static str,
    unregistered: &'static str,
    fallback: &'static str,
}

const EN: Words = Words {
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
};

const VI: Words = Words {
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
};

fn words(lang: Lang) -> &'static Words {
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

fn pick(lang: Lang, en: &'static str, vi: Option<&'static str>, fell_back: &mut bool) -> String {
    match (lang, vi) {
        (Lang::Vi, Some(v)) => v.to_string(),
        (Lang::Vi, None) => {
            *fell_back = true;
            en.to_string()
        }
        (Lang::En, _) => en.to_string(),
    }
}

fn generic_text(lang: Lang, g: Option<&'static Generic>) -> (String, String) {
    match g {
        Some(g) if lang == Lang::Vi => (g.title_vi.to_string(), g.description_vi.to_string()),
        Some(g) => (g.title.to_string(), g.description.to_string()),
        None => (String::new(), String::new()),
    }
}

/// Resolves a code: its registered entry, or the generic meaning of its class and subject.
pub fn explain(code: Code, lang: Lang) -> Explained {
    let digit = code.class_digit();
    let class_generic = match code {
        Code::Basic(_) => kb::basic_class(digit),
        Code::Enhanced(_) => kb::enhanced_class(digit),
    };
    let (class_title, class_text) = generic_text(lang, class_generic);
    let class_label = format!("{digit}xx");
    let mut fell_back = false;
    if let Some(e) = kb::lookup(code) {
        let Entry {
            title,
            description,
            when,
            fix,
            reference,
            title_vi,
            description_vi,
            when_vi,
            fix_vi,
            ..
        } = *e;
        return Explained {
            code,
            registered: true,
            class_label,
            class_title,
            class_text,
            title: pick(lang, title, title_vi, &mut fell_back),
            description: pick(lang, description, description_vi, &mut fell_back),
            when: pick(lang, when, when_vi, &mut fell_back),
            fix: pick(lang, fix, fix_vi, &mut fell_back),
            reference: reference.to_string(),
            fell_back,
        };
    }
    let (subject_title, subject_text) = match code {
        Code::Basic(c) => generic_text(lang, kb::basic_category((c / 10 % 10) as u8)),
        Code::Enhanced(e) => generic_text(lang, kb::enhanced_subject(e.subject)),
    };
    let title = if subject_title.is_empty() {
        class_title.clone()
    } else {
        format!("{class_title}: {subject_title}")
    };
    let (when, fix) = match lang {
        Lang::En => (
            "Some servers send codes that no RFC registers; a client must then act on the first digit (RFC 5321 section 4.2, RFC 3463 section 3.1).",
            "Treat it as its class says; if it comes from your own server, use a registered code instead.",
        ),
        Lang::Vi => (
            "Một số máy chủ gửi mã không được RFC nào đăng ký; khi đó máy khách phải xử lý theo chữ số đầu tiên (RFC 5321 mục 4.2, RFC 3463 mục 3.1).",
            "Xử lý theo ý nghĩa của lớp; nếu mã do máy chủ của bạn gửi, hãy dùng một mã đã đăng ký.",
        ),
    };
    let explained = Explained {
        code,
        registered: false,
        class_label,
        class_title,
        class_text: class_text.clone(),
        title,
        description: format!("{class_text} {subject_text}").trim().to_string(),
        when: when.to_string(),
        fix: String::new(),
        reference: match code {
            Code::Basic(_) => "RFC 5321".into(),
            Code::Enhanced(_) => "RFC 3463".into(),
        },
        fell_back: false,
    };
    let advice = action_sentence(&explained, lang);
    Explained {
        fix: format!("{advice} {fix}"),
        ..explained
    }
}

/// What a class means for action, in one sentence.
fn action_sentence(e: &Explained, lang: Lang) -> String {
    let c = e.code;
    let e = &Explained {
        fix: if e.registered {
            e.fix.clone()
        } else {
            String::new()
        },
        ..e.clone()
    };
    match (lang, e.code.class_digit()) {
        (Lang::En, 2) => format!("{c} needs no action: it reports success."),
        (Lang::En, 3) => format!("{c} needs no action: the server is waiting for the rest of the command."),
        (Lang::En, 4) => format!("{c} needs action only if it persists: the sending server keeps the message queued and retries on its own. {}", e.fix).trim_end().to_string(),
        (Lang::En, _) => format!("{c} needs action: the message was refused for good and will not be retried. {}", e.fix).trim_end().to_string(),
        (Lang::Vi, 2) => format!("{c} không cần xử lý: đây là kết quả thành công."),
        (Lang::Vi, 3) => format!("{c} không cần xử lý: máy chủ đang chờ phần còn lại của lệnh."),
        (Lang::Vi, 4) => format!("{c} chỉ cần xử lý nếu lỗi kéo dài: máy chủ gửi giữ thư trong hàng đợi và tự thử lại. {}", e.fix).trim_end().to_string(),
        (Lang::Vi, _) => format!("{c} cần xử lý: thư đã bị từ chối vĩnh viễn và sẽ không được gửi lại. {}", e.fix).trim_end().to_string(),
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
    if a.code.class_digit() == b.code.class_digit() {
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
    let (da, db) = (a.code.class_digit(), b.code.class_digit());
    let verdict = match (lang, da.max(db) < 4, da.cmp(&db)) {
        (Lang::En, true, _) => "Neither needs action.".to_string(),
        (Lang::En, false, std::cmp::Ordering::Equal) => {
            "Both need the same kind of attention.".to_string()
        }
        (Lang::En, false, o) => format!(
            "Of the two, {} is the one to look at.",
            if o.is_gt() { a.code } else { b.code }
        ),
        (Lang::Vi, true, _) => "Không mã nào cần xử lý.".to_string(),
        (Lang::Vi, false, std::cmp::Ordering::Equal) => {
            "Cả hai cần được chú ý như nhau.".to_string()
        }
        (Lang::Vi, false, o) => format!(
            "Trong hai mã, {} là mã cần xem xét.",
            if o.is_gt() { a.code } else { b.code }
        ),
    };
    format!(
        "{} {} {verdict}",
        action_sentence(a, lang),
        action_sentence(b, lang)
    )
}

/// Runs the command.
pub fn run(args: &ExplainArgs) -> Exit {
    let mut codes = Vec::new();
    for arg in &args.codes {
        match Code::parse(arg) {
            Ok(c) => codes.push(c),
            Err(msg) => {
                eprintln!("mailcodes: {msg}");
                return Exit::Error;
            }
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = if args.list {
        list(&mut out, args.format)
    } else {
        show(&mut out, &codes, args.format, args.lang)
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

/// Writes the explanation of one or two codes.
pub fn show<W: Write>(
    w: &mut W,
    codes: &[Code],
    format: ExplainFormat,
    lang: Lang,
) -> io::Result<()> {
    let items: Vec<Explained> = codes.iter().map(|c| explain(*c, lang)).collect();
    let pair = match items.as_slice() {
        [a, b] => Some((key_difference(a, b, lang), which_action(a, b, lang))),
        _ => None,
    };
    let wd = words(lang);
    match format {
        ExplainFormat::Text => {
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    writeln!(w)?;
                }
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
            }
            if let Some((diff, action)) = &pair {
                writeln!(w)?;
                writeln!(w, "{}", wd.key_difference)?;
                writeln!(w, "  {diff}")?;
                writeln!(w, "{}", wd.which_action)?;
                writeln!(w, "  {action}")?;
            }
            Ok(())
        }
        ExplainFormat::Csv => {
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
            for e in &items {
                let flag = |b: bool| if b { "true" } else { "false" };
                c.write_record([
                    e.code.to_string().as_str(),
                    &e.class_label,
                    flag(e.registered),
                    &crate::report::safe_cell(&e.title),
                    &crate::report::safe_cell(&e.description),
                    &crate::report::safe_cell(&e.when),
                    &crate::report::safe_cell(&e.fix),
                    &e.reference,
                    flag(e.fell_back),
                ])
                .map_err(io::Error::other)?;
            }
            c.flush()
        }
        ExplainFormat::Json => {
            write!(w, "{{\"codes\":[")?;
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    write!(w, ",")?;
                }
                write!(
                    w,
                    "{{\"code\":{},\"class\":{},\"class_title\":{},\"registered\":{},\"title\":{},\"description\":{},\"when\":{},\"fix\":{},\"reference\":{},\"english_fallback\":{}}}",
                    json(&e.code.to_string()),
                    json(&e.class_label),
                    json(&e.class_title),
                    e.registered,
                    json(&e.title),
                    json(&e.description),
                    json(&e.when),
                    json(&e.fix),
                    json(&e.reference),
                    e.fell_back
                )?;
            }
            write!(w, "]")?;
            if let Some((diff, action)) = &pair {
                write!(
                    w,
                    ",\"key_difference\":{},\"which_action\":{}",
                    json(diff),
                    json(action)
                )?;
            }
            writeln!(w, "}}")
        }
    }
}

/// Writes every registered code, one line (row, object) each.
pub fn list<W: Write>(w: &mut W, format: ExplainFormat) -> io::Result<()> {
    let all = kb::BASIC.iter().chain(kb::ENHANCED.iter());
    match format {
        ExplainFormat::Text => {
            for e in all {
                writeln!(w, "{:<8} {}", e.code, e.title)?;
            }
            Ok(())
        }
        ExplainFormat::Csv => {
            let mut c = csv::Writer::from_writer(&mut *w);
            c.write_record(["code", "title", "reference"])
                .map_err(io::Error::other)?;
            for e in all {
                c.write_record([e.code, &crate::report::safe_cell(e.title), e.reference])
                    .map_err(io::Error::other)?;
            }
            c.flush()
        }
        ExplainFormat::Json => {
            write!(w, "[")?;
            for (i, e) in all.enumerate() {
                if i > 0 {
                    write!(w, ",")?;
                }
                write!(
                    w,
                    "{{\"code\":{},\"title\":{},\"reference\":{}}}",
                    json(e.code),
                    json(e.title),
                    json(e.reference)
                )?;
            }
            writeln!(w, "]")
        }
    }
}

/// A JSON string literal.
fn json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes() {
        assert_eq!(json("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
