//! The TOML front matter between `+++` lines: issue metadata.

use serde::Deserialize;

use crate::diag::{Diagnostic, Span};
use crate::model::{Contributor, Date, Meta};

/// The language assumed when the front matter names none.
pub(crate) const DEFAULT_LANGUAGE: &str = "zh-CN";

/// The front matter as written; every key is documented in `docs/markup.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    publication: String,
    date: toml::value::Datetime,
    slogan: Option<String>,
    publisher: Option<String>,
    issue: Option<u32>,
    total_issue: Option<u32>,
    cn: Option<String>,
    issn: Option<String>,
    permit: Option<String>,
    language: Option<String>,
    #[serde(default)]
    editors: Vec<EditorEntry>,
    layout: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditorEntry {
    #[serde(default)]
    role: String,
    name: String,
}

/// Parse front matter `text` found at byte `base` of the source.
pub(crate) fn parse_front_matter(text: &str, base: usize, diags: &mut Vec<Diagnostic>) -> Option<Meta> {
    let fm: FrontMatter = match toml::from_str(text) {
        Ok(fm) => fm,
        Err(err) => {
            let span = err.span().map(|r| Span::new(base + r.start, base + r.end.max(r.start)));
            let message = err.message().trim_end_matches('.').to_string();
            let mut d = Diagnostic::error("front-matter", span, format!("front matter: {message}"));
            if message.contains("unknown field") {
                d = d.with_hint("front matter keys are publication, date, slogan, publisher, issue, total_issue, cn, issn, permit, language, editors, layout");
            } else if message.contains("missing field") {
                d = d.with_hint("every issue needs `publication = \"…\"` and `date = YYYY-MM-DD`");
            }
            diags.push(d);
            return None;
        }
    };
    let date = match (fm.date.date, fm.date.time) {
        (Some(d), None) => Date::new(d.year, d.month, d.day),
        _ => None,
    };
    let Some(date) = date else {
        let span = find_key(text, "date").map(|r| Span::new(base + r.start, base + r.end));
        diags.push(
            Diagnostic::error(
                "front-matter",
                span,
                format!("front matter: `date` must be a plain date, found `{}`", fm.date),
            )
            .with_hint("write the issue date as `date = 2020-12-28`, without time or quotes"),
        );
        return None;
    };
    if fm.publication.trim().is_empty() {
        let span = find_key(text, "publication").map(|r| Span::new(base + r.start, base + r.end));
        diags.push(
            Diagnostic::error("front-matter", span, "front matter: `publication` is empty")
                .with_hint("give the name printed in the masthead, e.g. `publication = \"示范区头条\"`"),
        );
    }
    Some(Meta {
        publication: fm.publication.trim().to_string(),
        slogan: fm.slogan,
        publisher: fm.publisher,
        date,
        issue: fm.issue,
        total_issue: fm.total_issue,
        cn: fm.cn,
        issn: fm.issn,
        permit: fm.permit,
        language: fm.language.unwrap_or_else(|| DEFAULT_LANGUAGE.to_string()),
        editors: fm
            .editors
            .into_iter()
            .map(|e| Contributor {
                role: e.role,
                name: e.name,
            })
            .collect(),
        layout: fm.layout,
    })
}

/// Byte range of the line that sets `key`, for messages about its value.
fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            let start = offset + (line.len() - t.len());
            return Some(start..offset + line.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// Write metadata back as canonical front matter (fixed key order), `+++` lines included.
pub(crate) fn write_front_matter(meta: &Meta, out: &mut String) {
    fn string(out: &mut String, key: &str, value: &str) {
        out.push_str(key);
        out.push_str(" = ");
        out.push_str(&toml::Value::String(value.to_string()).to_string());
        out.push('\n');
    }
    out.push_str("+++\n");
    string(out, "publication", &meta.publication);
    if let Some(s) = &meta.slogan {
        string(out, "slogan", s);
    }
    if let Some(s) = &meta.publisher {
        string(out, "publisher", s);
    }
    out.push_str(&format!("date = {}\n", meta.date));
    if let Some(n) = meta.issue {
        out.push_str(&format!("issue = {n}\n"));
    }
    if let Some(n) = meta.total_issue {
        out.push_str(&format!("total_issue = {n}\n"));
    }
    for (key, value) in [("cn", &meta.cn), ("issn", &meta.issn), ("permit", &meta.permit)] {
        if let Some(v) = value {
            string(out, key, v);
        }
    }
    string(out, "language", &meta.language);
    if let Some(s) = &meta.layout {
        string(out, "layout", s);
    }
    if !meta.editors.is_empty() {
        out.push_str("editors = [\n");
        for e in &meta.editors {
            out.push_str(&format!(
                "  {{ role = {}, name = {} }},\n",
                toml::Value::String(e.role.clone()),
                toml::Value::String(e.name.clone())
            ));
        }
        out.push_str("]\n");
    }
    out.push_str("+++\n");
}
