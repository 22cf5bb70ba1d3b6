//! The markup writer: a model back to canonical markup (`zhiban fmt`).
//!
//! Parsing what this writes gives back an equal model. Canonical form: front matter keys in a
//! fixed order, one blank line between blocks, each paragraph on one line.

use super::dateline::dateline_len;
use super::frontmatter::write_front_matter;
use super::inline::write_inlines;
use super::parse::{SIGIL_CHARS, to_chinese_number};
use crate::model::{Block, Bulletin, Figure, Inline, Item};

/// Write `bulletin` as canonical markup.
pub fn write(bulletin: &Bulletin) -> String {
    let mut out = String::new();
    write_front_matter(&bulletin.meta, &mut out);
    for edition in &bulletin.editions {
        out.push('\n');
        let label = format!("第{}版", to_chinese_number(edition.number));
        if edition.name.is_empty() {
            out.push_str(&format!("# {label}\n"));
        } else {
            out.push_str(&format!("# {label} {}\n", edition.name));
        }
        if let Some(editor) = &edition.editor {
            out.push_str(&format!("@ 责任编辑 {editor}\n"));
        }
        write_items(&edition.items, true, &mut out);
    }
    out
}

fn write_items(items: &[Item], top: bool, out: &mut String) {
    let mut after_article = false;
    for (i, item) in items.iter().enumerate() {
        out.push('\n');
        match item {
            Item::Article(a) => {
                if let Some(k) = &a.kicker {
                    out.push_str("^ ");
                    write_inlines(k, out);
                    out.push('\n');
                }
                out.push_str("## ");
                write_inlines(&a.headline, out);
                out.push('\n');
                for s in &a.subtitles {
                    out.push_str("-- ");
                    write_inlines(s, out);
                    out.push('\n');
                }
                for b in &a.bylines {
                    out.push_str("@ ");
                    out.push_str(b.text.as_str());
                    out.push('\n');
                }
                let mut lead = true;
                for block in &a.body {
                    out.push('\n');
                    write_block(block, &mut lead, out);
                }
            }
            Item::PhotoNews(f) => {
                if after_article {
                    out.push_str("---\n\n");
                }
                write_figure(f, out);
            }
            Item::Section(s) => {
                out.push_str("== ");
                out.push_str(s.title.as_str());
                out.push('\n');
                write_items(&s.items, false, out);
                if top && i + 1 < items.len() {
                    out.push_str("\n==\n");
                }
            }
            Item::Furniture(f) => {
                out.push_str("::: ");
                out.push_str(f.kind.keyword());
                if let Some(t) = &f.title {
                    out.push(' ');
                    out.push_str(t.as_str());
                }
                out.push('\n');
                for (k, block) in f.body.iter().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    write_block(block, &mut false, out);
                }
                out.push_str(":::\n");
            }
        }
        after_article = matches!(item, Item::Article(_));
    }
}

fn write_block(block: &Block, lead: &mut bool, out: &mut String) {
    match block {
        Block::Paragraph(p) => {
            let mut line = String::new();
            if let Some(d) = &p.dateline {
                line.push_str(d.text.as_str());
            }
            write_inlines(&p.content, &mut line);
            // A leading `\` keeps text that starts like a sigil, or a lead paragraph that
            // starts like a dateline it does not have, from being read as one.
            let dateline_like = *lead && p.dateline.is_none() && dateline_len(&line).is_some();
            write_text_line(&line, dateline_like, out);
            *lead = false;
        }
        Block::Subhead { content } => {
            out.push_str("### ");
            write_inlines(content, out);
            out.push('\n');
        }
        Block::Figure(f) => write_figure(f, out),
        Block::Boxed { paragraphs } => {
            for (k, p) in paragraphs.iter().enumerate() {
                if k > 0 {
                    out.push_str(">\n");
                }
                out.push_str("> ");
                write_inlines(p, out);
                out.push('\n');
            }
        }
        Block::Note { content } => {
            out.push_str("~ ");
            write_inlines(content, out);
            out.push('\n');
        }
    }
}

fn write_figure(f: &Figure, out: &mut String) {
    out.push_str(&format!("![{}]({}", f.alt, f.src));
    if let Some(c) = &f.credit {
        out.push_str(&format!(" \"{}\"", c.as_str()));
    }
    out.push_str(")\n");
    for p in &f.caption {
        write_text_line(&inline_string(p), false, out);
    }
}

fn inline_string(inlines: &[Inline]) -> String {
    let mut s = String::new();
    write_inlines(inlines, &mut s);
    s
}

fn write_text_line(line: &str, force_escape: bool, out: &mut String) {
    // A line that already opens with an escape (`\*`, `\\`) is read as text anyway.
    if !line.starts_with('\\') && (force_escape || line.starts_with(SIGIL_CHARS)) {
        out.push('\\');
    }
    out.push_str(line);
    out.push('\n');
}
