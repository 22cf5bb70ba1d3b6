//! The recovering line parser: bulletin markup → model plus every problem found in one run.
//!
//! Blocks are chosen by line-start sigils (see `docs/markup.md`); a bad line is reported and
//! skipped, and parsing goes on, so an editor sees all problems at once.

use std::path::Path;

use super::dateline::{dateline_len, parse_contributors, split_dateline};
use super::frontmatter::{DEFAULT_LANGUAGE, parse_front_matter};
use super::inline::parse_inlines;
use super::lint;
use crate::diag::{Diagnostic, Span};
use crate::model::{
    Article, Block, Bulletin, Byline, Date, Dateline, Edition, Figure, Furniture, FurnitureKind, Inline, Item, Meta,
    Paragraph, Section, Text, assign_ids,
};

/// Options for [`parse`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// Folder that image paths are relative to; when given, missing images are reported.
    pub base_dir: Option<&'a Path>,
}

/// The result of parsing: a best-effort model and the diagnostics.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document as far as it could be understood.
    pub bulletin: Bulletin,
    /// Errors and warnings in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the model's parts are in the source, for messages about them that come later
    /// (layout, photos), so that nobody scans the text again.
    pub spans: SourceSpans,
}

/// Places in the source of model parts whose messages come after parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSpans {
    /// The heading of each edition, by index into `Bulletin::editions` (for an edition made
    /// for text before any heading: where that text starts).
    pub editions: Vec<Span>,
    /// The path of each image line, as written, with its span, in source order.
    pub photos: Vec<(String, Span)>,
    /// Byte offset where the text after the front matter starts.
    pub body_start: usize,
}

impl SourceSpans {
    /// The path of the first image line that names `src`.
    pub fn photo(&self, src: &str) -> Option<Span> {
        self.photos.iter().find(|(p, _)| p == src).map(|(_, s)| *s)
    }
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Longest line the parser accepts (256 KiB, about 87 000 Chinese characters): far beyond any
/// real paragraph, and a guard against files that are one endless line.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// Characters that open a block sigil; a line starting with one of them is escaped with `\`
/// when it is meant as text.
pub(crate) const SIGIL_CHARS: &[char] = &['#', '^', '-', '@', '>', '~', '!', ':', '=', '+', '\\'];

/// Parse bulletin markup. Never panics; always returns a model, possibly incomplete.
pub fn parse(src: &str, options: ParseOptions<'_>) -> Parsed {
    let mut p = Parser::new(src, options);
    lint::check_controls(src, &mut p.diags);
    p.run();
    p.finish()
}

/// Where the lines of a pending paragraph go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    Article,
    Furniture,
    Boxed,
    Nowhere,
}

struct Parser<'s> {
    src: &'s str,
    options: ParseOptions<'s>,
    diags: Vec<Diagnostic>,
    meta: Option<Meta>,
    editions: Vec<Edition>,
    section: Option<Section>,
    article: Option<Article>,
    kicker: Option<(Vec<Inline>, Span)>,
    /// Pending paragraph lines: (byte offset, text) and where they go.
    para: Vec<(usize, &'s str, bool)>,
    para_dest: Dest,
    /// A figure whose caption lines are still being read, and whether it is photo news.
    figure: Option<(Figure, bool)>,
    furniture: Option<(Furniture, Span)>,
    /// Box being read: (title, finished paragraphs, span of its first line).
    boxed: Option<(Option<Text>, Vec<Vec<Inline>>, Span)>,
    reported_no_edition: bool,
    /// Where each edition heading is, for messages about editions.
    edition_spans: Vec<Span>,
    /// Each image line's path and where it is.
    photo_spans: Vec<(String, Span)>,
    /// Where the body starts, after the front matter.
    body_start: usize,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str, options: ParseOptions<'s>) -> Self {
        Parser {
            src,
            options,
            diags: Vec::new(),
            meta: None,
            editions: Vec::new(),
            section: None,
            article: None,
            kicker: None,
            para: Vec::new(),
            para_dest: Dest::Nowhere,
            figure: None,
            furniture: None,
            boxed: None,
            reported_no_edition: false,
            edition_spans: Vec::new(),
            photo_spans: Vec::new(),
            body_start: 0,
        }
    }

    fn run(&mut self) {
        let src = self.src;
        let mut lines = Vec::new();
        let mut offset = 0;
        for raw in src.split_inclusive('\n') {
            let text = raw.trim_end_matches(['\n', '\r']);
            lines.push((offset, text));
            offset += raw.len();
        }
        let mut start = 0;
        // U+FEFF at the very start is a byte order mark, not text.
        if let Some(first) = lines.first_mut()
            && let Some(rest) = first.1.strip_prefix('\u{feff}')
        {
            first.0 += '\u{feff}'.len_utf8();
            first.1 = rest;
        }
        if let Some(&(open_at, open)) = lines.first().filter(|l| l.1.trim_end() == "+++") {
            match lines.iter().enumerate().skip(1).find(|(_, l)| l.1.trim_end() == "+++") {
                Some((close, &(body_end, _))) => {
                    let body_start = open_at + open.len() + 1;
                    let text = src.get(body_start.min(body_end)..body_end).unwrap_or("");
                    self.meta = parse_front_matter(text, body_start.min(body_end), &mut self.diags);
                    start = close + 1;
                    self.body_start = lines.get(start).map_or(src.len(), |l| l.0);
                }
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            "front-matter",
                            Some(Span::new(open_at, open_at + open.len())),
                            "front matter opened here is never closed",
                        )
                        .with_hint("end the front matter with a line holding only `+++`"),
                    );
                    return;
                }
            }
        } else {
            let span = lines.first().map(|l| Span::new(l.0, l.0 + l.1.len()));
            self.diags.push(
                Diagnostic::error("front-matter", span, "the file does not start with front matter").with_hint(
                    "start the file with `+++`, then `publication = \"…\"` and `date = YYYY-MM-DD`, then `+++`",
                ),
            );
        }
        for &(offset, line) in lines.get(start..).unwrap_or(&[]) {
            self.line(offset, line);
        }
        self.end_article();
        if let Some((_, span)) = &self.furniture {
            self.diags.push(
                Diagnostic::error("unclosed-box", Some(*span), "box opened here is never closed")
                    .with_hint("close it with a line holding only `:::`"),
            );
            self.close_furniture();
        }
        self.end_edition();
    }

    fn finish(mut self) -> Parsed {
        let meta = self.meta.take().unwrap_or_else(|| Meta {
            publication: String::new(),
            slogan: None,
            publisher: None,
            date: Date {
                year: 1970,
                month: 1,
                day: 1,
            },
            issue: None,
            total_issue: None,
            cn: None,
            issn: None,
            permit: None,
            language: DEFAULT_LANGUAGE.to_string(),
            editors: Vec::new(),
            layout: None,
        });
        let mut bulletin = Bulletin {
            meta,
            editions: std::mem::take(&mut self.editions),
        };
        assign_ids(&mut bulletin);
        check_editions(&bulletin, &self.edition_spans, &mut self.diags);
        // An issue is at least one edition (版): with none there is no page to print and no
        // chapter to read. Said once, and only when nothing else is wrong (an empty or broken
        // file already has its own error).
        if bulletin.editions.is_empty()
            && !self.reported_no_edition
            && !self.diags.iter().any(|d| d.severity == crate::diag::Severity::Error)
        {
            let end = self.src.len();
            self.diags.push(
                Diagnostic::error("no-edition", Some(Span::new(end, end)), "the issue has no edition")
                    .with_hint("add an edition heading after the front matter, such as `# 第一版 要闻`"),
            );
        }
        self.diags.sort_by_key(|d| d.span.map_or(0, |s| s.start));
        Parsed {
            bulletin,
            diagnostics: self.diags,
            spans: SourceSpans {
                editions: self.edition_spans,
                photos: self.photo_spans,
                body_start: self.body_start,
            },
        }
    }

    /// Handle one source line at byte `offset` (terminator removed).
    fn line(&mut self, offset: usize, line: &'s str) {
        let trimmed = line.trim_end();
        let span = Span::new(offset, offset + trimmed.len());
        if trimmed.len() > MAX_LINE_BYTES {
            let head = trimmed.char_indices().nth(20).map_or(trimmed.len(), |(i, _)| i);
            self.diags.push(
                Diagnostic::error(
                    "line-too-long",
                    Some(Span::new(offset, offset + head)),
                    format!(
                        "this line is {} bytes long; lines longer than {MAX_LINE_BYTES} bytes are refused",
                        trimmed.len()
                    ),
                )
                .with_hint(
                    "a paragraph this long is almost always a file without line breaks; split it into paragraphs",
                ),
            );
            return;
        }
        if trimmed.trim_start().is_empty() {
            self.blank();
            return;
        }
        // Inside a furniture fence only text, images and the closing fence are allowed.
        if trimmed == ":::" {
            self.flush_all();
            if self.furniture.is_some() {
                self.close_furniture();
            } else {
                self.diags.push(
                    Diagnostic::error("unopened-box", Some(span), "`:::` closes a box that was never opened")
                        .with_hint("open a box with `::: notice` or `::: subscribe TITLE`"),
                );
            }
            return;
        }
        if let Some(rest) = trimmed.strip_prefix(":::") {
            self.open_furniture(offset, rest, span);
            return;
        }
        if let Some(rest) = trimmed.strip_prefix('\\') {
            // An escaped line is always text, never a sigil or a dateline.
            let skip = if rest.starts_with(|c: char| c.is_ascii_punctuation()) {
                0
            } else {
                1
            };
            self.text_line(offset + skip, &line[skip..trimmed.len()], true);
            return;
        }
        if trimmed == "+++" {
            self.diags.push(
                Diagnostic::error("front-matter", Some(span), "front matter must come first in the file")
                    .with_hint("move the metadata to the `+++` block at the top"),
            );
            return;
        }
        if trimmed.len() >= 3 && trimmed.bytes().all(|b| b == b'-') {
            self.flush_all();
            self.end_article();
            return;
        }
        if let Some((level, rest)) = heading(trimmed) {
            let at = offset + level + 1;
            match level {
                1 => self.edition(at, rest, span),
                2 => self.headline(at, rest, span),
                3 => self.subhead(at, rest, span),
                _ => self.diags.push(
                    Diagnostic::error(
                        "heading-level",
                        Some(span),
                        format!("there is no heading level {level}"),
                    )
                    .with_hint("use `#` for an edition, `##` for a headline, `###` for a subhead"),
                ),
            }
            return;
        }
        if trimmed == "==" {
            self.flush_all();
            self.end_article();
            self.end_section();
            return;
        }
        if let Some(rest) = trimmed.strip_prefix("== ") {
            self.banner(offset + 3, rest, span);
            return;
        }
        if let Some(rest) = trimmed.strip_prefix("^ ") {
            self.kicker_line(offset + 2, rest, span);
            return;
        }
        if let Some(rest) = trimmed.strip_prefix("-- ") {
            self.subtitle(offset + 3, rest, span);
            return;
        }
        if let Some(rest) = trimmed.strip_prefix("@ ") {
            self.byline(offset + 2, rest, span);
            return;
        }
        if trimmed == ">" || trimmed.starts_with("> ") {
            self.box_line(offset, trimmed, span);
            return;
        }
        if let Some(rest) = trimmed.strip_prefix("~ ") {
            self.note(offset + 2, rest, span);
            return;
        }
        if trimmed.starts_with("![") {
            self.image(offset, trimmed, span);
            return;
        }
        self.text_line(offset, trimmed, false);
    }

    fn blank(&mut self) {
        self.flush_paragraph();
        self.flush_figure();
        if let Some((_, paras, _)) = &mut self.boxed {
            // A blank line ends a box; its pending paragraph was flushed above.
            let _ = paras;
            self.flush_box();
        }
    }

    fn flush_all(&mut self) {
        self.flush_paragraph();
        self.flush_figure();
        self.flush_box();
    }

    /// A line of running text: paragraph, caption or furniture text.
    fn text_line(&mut self, offset: usize, text: &'s str, escaped: bool) {
        if let Some((figure, _)) = &mut self.figure {
            let t = Text::from_source(text.trim(), offset + (text.len() - text.trim_start().len()));
            lint::check_text(&t, &mut self.diags);
            figure.caption.push(parse_inlines(&t, &mut self.diags));
            return;
        }
        if self.boxed.is_some() {
            self.flush_box();
        }
        if self.para.is_empty() {
            self.para_dest = if self.furniture.is_some() {
                Dest::Furniture
            } else if self.article.is_some() {
                Dest::Article
            } else {
                Dest::Nowhere
            };
        }
        self.para.push((offset, text, escaped));
    }

    fn flush_paragraph(&mut self) {
        if self.para.is_empty() {
            return;
        }
        if self.para_dest == Dest::Boxed {
            self.flush_box_paragraph();
            return;
        }
        let lines = std::mem::take(&mut self.para);
        let text = join_lines(&lines);
        let escaped = lines.first().is_some_and(|l| l.2);
        let first_span = lines.first().map(|l| Span::new(l.0, l.0 + l.1.len()));
        lint::check_text(&text, &mut self.diags);
        if self.para_dest == Dest::Article {
            lint::check_headline_like(&lines, &mut self.diags);
        }
        match self.para_dest {
            Dest::Article => {
                let lead = self
                    .article
                    .as_ref()
                    .is_some_and(|a| !a.body.iter().any(|b| matches!(b, Block::Paragraph(_))));
                let para = self.paragraph(&text, lead && !escaped);
                if let Some(a) = &mut self.article {
                    a.body.push(Block::Paragraph(para));
                }
            }
            Dest::Furniture => {
                let content = parse_inlines(&text, &mut self.diags);
                if let Some((f, _)) = &mut self.furniture {
                    f.body.push(Block::Paragraph(Paragraph {
                        dateline: None,
                        content,
                    }));
                }
            }
            Dest::Boxed | Dest::Nowhere => {
                self.diags.push(
                    Diagnostic::error("stray-text", first_span, "text outside any article")
                        .with_hint("start an article with `## headline` above it, or a box with `::: notice`"),
                );
            }
        }
    }

    /// Build a body paragraph; the lead paragraph may open with a dateline.
    fn paragraph(&mut self, text: &Text, lead: bool) -> Paragraph {
        if lead && let Some(len) = dateline_len(text.as_str()) {
            let (head, rest) = text.split_at(len);
            let (source, contributors) = split_dateline(head.as_str());
            let rest = rest.trimmed();
            return Paragraph {
                dateline: Some(Dateline {
                    text: head,
                    source,
                    contributors,
                }),
                content: parse_inlines(&rest, &mut self.diags),
            };
        }
        Paragraph {
            dateline: None,
            content: parse_inlines(text, &mut self.diags),
        }
    }

    fn inline_at(&mut self, offset: usize, text: &str) -> Text {
        let lead = text.len() - text.trim_start().len();
        let t = Text::from_source(text.trim(), offset + lead);
        lint::check_text(&t, &mut self.diags);
        t
    }

    fn edition(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        self.end_article();
        self.close_open_furniture_at(span);
        self.end_edition();
        let title = rest.trim();
        let (number, name) = parse_edition_title(title);
        let number = number.unwrap_or(self.editions.len() as u32 + 1);
        let _ = offset;
        // Messages about the edition as a whole (a number used twice) point at its heading.
        self.edition_spans.push(span);
        self.editions.push(Edition {
            id: String::new(),
            number,
            name: name.to_string(),
            editor: None,
            items: Vec::new(),
        });
    }

    fn current_edition(&mut self, span: Span) -> &mut Edition {
        if self.editions.is_empty() {
            if !self.reported_no_edition {
                self.reported_no_edition = true;
                self.diags.push(
                    Diagnostic::error("no-edition", Some(span), "content before the first edition heading")
                        .with_hint("start each edition (版) with a line such as `# 第一版 要闻`"),
                );
            }
            // The edition made for content before any heading is placed where that content starts.
            self.edition_spans.push(span);
            self.editions.push(Edition {
                id: String::new(),
                number: 1,
                name: String::new(),
                editor: None,
                items: Vec::new(),
            });
        }
        // Indexing: an edition was pushed above when there was none, so `last` is in bounds.
        #[allow(clippy::indexing_slicing)]
        {
            let last = self.editions.len() - 1;
            &mut self.editions[last]
        }
    }

    fn push_item(&mut self, item: Item, span: Span) {
        if let Some(section) = &mut self.section {
            section.items.push(item);
        } else {
            self.current_edition(span).items.push(item);
        }
    }

    fn banner(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        self.end_article();
        self.end_section();
        let _ = self.current_edition(span);
        let title = self.inline_at(offset, rest);
        if title.is_empty() {
            self.diags.push(
                Diagnostic::error("empty", Some(span), "section banner has no text")
                    .with_hint("write the banner after `== `, or `==` alone to end a section"),
            );
        }
        self.section = Some(Section {
            id: String::new(),
            title,
            items: Vec::new(),
        });
    }

    fn kicker_line(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        self.end_article();
        let t = self.inline_at(offset, rest);
        if let Some((_, old)) = &self.kicker {
            self.diags.push(
                Diagnostic::error("kicker-without-headline", Some(*old), "kicker has no headline after it")
                    .with_hint("put the `## headline` line right under the `^ kicker` line"),
            );
        }
        let inl = parse_inlines(&t, &mut self.diags);
        self.kicker = Some((inl, span));
    }

    fn headline(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        let kicker = self.kicker.take().map(|k| k.0);
        self.end_article();
        let t = self.inline_at(offset, rest);
        if t.is_empty() {
            self.diags.push(
                Diagnostic::error("empty", Some(span), "headline is empty").with_hint("write the headline after `## `"),
            );
        }
        let headline = parse_inlines(&t, &mut self.diags);
        let _ = self.current_edition(span);
        self.article = Some(Article {
            id: String::new(),
            kicker,
            headline,
            subtitles: Vec::new(),
            bylines: Vec::new(),
            body: Vec::new(),
        });
    }

    fn subhead(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        let t = self.inline_at(offset, rest);
        let content = parse_inlines(&t, &mut self.diags);
        match &mut self.article {
            Some(a) => a.body.push(Block::Subhead { content }),
            None => self.diags.push(
                Diagnostic::error("subhead-outside-article", Some(span), "subhead outside an article")
                    .with_hint("`###` marks a subhead inside an article; start the article with `## headline`"),
            ),
        }
    }

    fn subtitle(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        let t = self.inline_at(offset, rest);
        let content = parse_inlines(&t, &mut self.diags);
        match &mut self.article {
            Some(a) if a.body.is_empty() && a.bylines.is_empty() => a.subtitles.push(content),
            _ => self.diags.push(
                Diagnostic::error(
                    "misplaced-subtitle",
                    Some(span),
                    "subtitle is not directly under a headline",
                )
                .with_hint("a `-- subtitle` line follows the `## headline` line (or another subtitle)"),
            ),
        }
    }

    fn byline(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        let t = self.inline_at(offset, rest);
        if let Some(a) = &mut self.article {
            if a.body.is_empty() {
                let contributors = parse_contributors(t.as_str());
                a.bylines.push(Byline { text: t, contributors });
            } else {
                self.diags.push(
                    Diagnostic::error(
                        "misplaced-byline",
                        Some(span),
                        "byline after the article text has started",
                    )
                    .with_hint("bylines go right under the headline; use `~ ` for a credit at the end of the article"),
                );
            }
            return;
        }
        // Directly under an edition heading, `@ 责任编辑 …` names the editor in charge.
        let at_edition_start = self.section.is_none()
            && self.furniture.is_none()
            && self
                .editions
                .last()
                .is_some_and(|e| e.items.is_empty() && e.editor.is_none());
        if at_edition_start {
            // The role word is the editor's title, not part of the name (`@ 编辑 方雨晴`).
            // Other titles than 责任编辑 only when a space or colon follows (a name may start 编).
            let roles = ["本版编辑", "本版編輯", "责编", "責編", "编辑", "編輯"];
            let text = t.as_str();
            let name = ["责任编辑", "責任編輯"]
                .iter()
                .find_map(|r| text.strip_prefix(r))
                .or_else(|| {
                    roles.iter().find_map(|r| {
                        text.strip_prefix(r)
                            .filter(|rest| rest.starts_with([' ', '　', '：', ':']))
                    })
                })
                .unwrap_or(text);
            let name = name.trim_start_matches(['：', ':', ' ', '　']).trim();
            if let Some(e) = self.editions.last_mut() {
                e.editor = Some(name.to_string());
            }
        } else {
            self.diags.push(
                Diagnostic::error("misplaced-byline", Some(span), "byline outside an article")
                    .with_hint("put `@ byline` under an article's `## headline`, or `@ 责任编辑 NAME` right under an edition heading"),
            );
        }
    }

    fn note(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        let t = self.inline_at(offset, rest);
        let content = parse_inlines(&t, &mut self.diags);
        match &mut self.article {
            Some(a) => a.body.push(Block::Note { content }),
            None => self.diags.push(
                Diagnostic::error("note-outside-article", Some(span), "end note outside an article")
                    .with_hint("`~ ` adds a note at the end of an article; put it after the article's text"),
            ),
        }
    }

    fn box_line(&mut self, offset: usize, line: &'s str, span: Span) {
        if self.para_dest != Dest::Boxed {
            self.flush_paragraph();
        }
        self.flush_figure();
        if self.article.is_none() {
            self.diags.push(
                Diagnostic::error("box-outside-article", Some(span), "boxed text outside an article")
                    .with_hint("`> ` lines belong to an article; for a page notice use `::: notice`"),
            );
            return;
        }
        if self.boxed.is_none() {
            self.boxed = Some((None, Vec::new(), span));
        }
        let content = line.strip_prefix('>').unwrap_or("");
        let content = content.strip_prefix(' ').unwrap_or(content);
        let start = offset + (line.len() - content.len());
        if content.trim().is_empty() {
            self.flush_box_paragraph();
        } else {
            self.para_dest = Dest::Boxed;
            self.para.push((start, content, false));
        }
    }

    fn flush_box_paragraph(&mut self) {
        if self.para_dest != Dest::Boxed || self.para.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.para);
        let text = join_lines(&lines);
        lint::check_text(&text, &mut self.diags);
        let content = parse_inlines(&text, &mut self.diags);
        if let Some((_, paras, _)) = &mut self.boxed {
            paras.push(content);
        }
    }

    fn flush_box(&mut self) {
        self.flush_box_paragraph();
        if let Some((_, paragraphs, _)) = self.boxed.take()
            && let Some(a) = &mut self.article
            && !paragraphs.is_empty()
        {
            a.body.push(Block::Boxed { paragraphs });
        }
    }

    fn image(&mut self, offset: usize, line: &str, span: Span) {
        self.flush_all();
        let Some(img) = parse_image(line) else {
            self.diags.push(
                Diagnostic::error("bad-image", Some(span), "image line is not `![alt](path \"credit\")`")
                    .with_hint("write the photo as `![what the photo shows](photos/name.jpg \"本报记者 某某 摄\")`"),
            );
            return;
        };
        let path_span = Span::new(offset + img.path.start, offset + img.path.end);
        let src_path = line[img.path.clone()].to_string();
        self.photo_spans.push((src_path.clone(), path_span));
        if src_path.is_empty() {
            self.diags.push(
                Diagnostic::error("bad-image", Some(path_span), "image has no file path")
                    .with_hint("put the image file's path between the parentheses"),
            );
            return;
        }
        if let Some(base) = self.options.base_dir
            && !base.join(&src_path).is_file()
        {
            self.diags.push(
                Diagnostic::warning(
                    "missing-image",
                    Some(path_span),
                    format!("image file `{src_path}` does not exist"),
                )
                .with_hint(format!(
                    "paths are relative to the markup file's folder `{}`",
                    base.display()
                )),
            );
        }
        let alt = line[img.alt.clone()].trim().to_string();
        if alt.is_empty() {
            self.diags.push(
                Diagnostic::warning("missing-alt", Some(span), "photo has no alternative text")
                    .with_hint("describe what the photo shows between `![` and `]` for readers who cannot see it; the EPUB (and so a full build) refuses a photo without it, `build --pdf` alone does not"),
            );
        }
        let credit = img.credit.clone().map(|r| {
            let t = Text::from_source(line[r.clone()].trim(), offset + r.start);
            lint::check_text(&t, &mut self.diags);
            t
        });
        if credit.as_ref().is_none_or(Text::is_empty) {
            self.diags.push(
                Diagnostic::warning("missing-credit", Some(span), "photo has no credit")
                    .with_hint("add the credit in quotes after the path: `(photos/x.jpg \"本报记者 某某 摄\")`"),
            );
        }
        let figure = Figure {
            id: String::new(),
            src: src_path,
            alt,
            caption: Vec::new(),
            credit: credit.filter(|c| !c.is_empty()),
        };
        let photo_news = self.article.is_none() && self.furniture.is_none();
        self.figure = Some((figure, photo_news));
        if photo_news {
            let _ = self.current_edition(span);
        }
    }

    fn flush_figure(&mut self) {
        let Some((figure, photo_news)) = self.figure.take() else {
            return;
        };
        if let Some((f, _)) = &mut self.furniture {
            f.body.push(Block::Figure(figure));
        } else if photo_news {
            self.push_item(Item::PhotoNews(figure), Span::default());
        } else if let Some(a) = &mut self.article {
            a.body.push(Block::Figure(figure));
        }
    }

    fn open_furniture(&mut self, offset: usize, rest: &str, span: Span) {
        self.flush_all();
        self.end_article();
        if let Some((_, open)) = &self.furniture {
            let open = *open;
            self.diags.push(
                Diagnostic::error(
                    "unclosed-box",
                    Some(open),
                    "box opened here is not closed before the next one",
                )
                .with_hint("close it with a line holding only `:::`"),
            );
            self.close_furniture();
        }
        let lead = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        let kind_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let kind = match &rest[..kind_len] {
            "notice" => FurnitureKind::Notice,
            "subscribe" => FurnitureKind::Subscribe,
            other => {
                self.diags.push(
                    Diagnostic::error("unknown-box", Some(span), format!("unknown box kind `{other}`"))
                        .with_hint("box kinds are `notice` (启事, 公告) and `subscribe` (扫一扫 关注我们)"),
                );
                FurnitureKind::Notice
            }
        };
        let title_src = &rest[kind_len..];
        // `:::` is three bytes; the title follows the kind word.
        let title_offset = offset + 3 + lead + kind_len;
        let title = self.inline_at(title_offset, title_src);
        let _ = self.current_edition(span);
        self.furniture = Some((
            Furniture {
                id: String::new(),
                kind,
                title: (!title.is_empty()).then_some(title),
                body: Vec::new(),
            },
            span,
        ));
    }

    fn close_furniture(&mut self) {
        self.flush_all();
        if let Some((f, span)) = self.furniture.take() {
            self.push_item(Item::Furniture(f), span);
        }
    }

    fn close_open_furniture_at(&mut self, at: Span) {
        if let Some((_, open)) = &self.furniture {
            let open = *open;
            self.diags.push(
                Diagnostic::error(
                    "unclosed-box",
                    Some(open),
                    "box is still open at the next edition heading",
                )
                .with_hint("close it with a line holding only `:::`"),
            );
            let _ = at;
            self.close_furniture();
        }
    }

    fn end_article(&mut self) {
        self.flush_all();
        if let Some((_, span)) = self.kicker.take() {
            self.diags.push(
                Diagnostic::error("kicker-without-headline", Some(span), "kicker has no headline after it")
                    .with_hint("put the `## headline` line right under the `^ kicker` line"),
            );
        }
        if let Some(a) = self.article.take() {
            self.push_item(Item::Article(a), Span::default());
        }
    }

    fn end_section(&mut self) {
        if let Some(s) = self.section.take() {
            let span = Span::default();
            self.current_edition(span).items.push(Item::Section(s));
        }
    }

    fn end_edition(&mut self) {
        self.end_article();
        self.end_section();
    }
}

/// `(level, rest)` for a heading line `#… text`; `#话题` without a space is not a heading.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if level == 0 {
        return None;
    }
    let rest = &line[level..];
    rest.strip_prefix(' ')
        .map(|r| (level, r))
        .or_else(|| rest.is_empty().then_some((level, rest)))
}

/// Join paragraph lines: no space between lines where either side is CJK (clreq §3.4: source
/// line breaks are not spaces in Chinese), one space between two Latin words.
fn join_lines(lines: &[(usize, &str, bool)]) -> Text {
    let mut text = Text::default();
    for (i, &(offset, line, _)) in lines.iter().enumerate() {
        let lead = line.len() - line.trim_start_matches(|c: char| c.is_whitespace()).len();
        let body = line[lead..].trim_end();
        if i > 0 {
            let prev = text.as_str().chars().last();
            let next = body.chars().next();
            if let (Some(a), Some(b)) = (prev, next)
                && !is_wide(a)
                && !is_wide(b)
            {
                text.push_synthetic(" ", offset);
            }
        }
        text.push_source(body, offset + lead);
    }
    text
}

/// Whether `c` is a CJK character or full-width mark (joined to neighbours without a space).
pub(crate) fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// Parse an edition title: `第一版 要闻` → (1, 要闻); `2 综合` → (2, 综合); `要闻` → (None, 要闻).
fn parse_edition_title(title: &str) -> (Option<u32>, &str) {
    let (first, rest) = match title.find(char::is_whitespace) {
        Some(i) => (&title[..i], title[i..].trim()),
        None => (title, ""),
    };
    if let Some(n) = first
        .strip_prefix('第')
        .and_then(|f| f.strip_suffix('版'))
        .and_then(chinese_number)
    {
        return (Some(n), rest);
    }
    if let Ok(n) = first.parse::<u32>() {
        return (Some(n), rest);
    }
    (None, title)
}

/// Value of a Chinese numeral up to 99 (一 … 九十九) or ASCII digits.
pub(crate) fn chinese_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// Chinese numeral for `n` (1–99), ASCII digits beyond.
// Indexing: every index into `D` is `n` in 1..=9, `n % 10` or `n / 10` with `n <= 99`, all below 10.
#[allow(clippy::indexing_slicing)]
pub(crate) fn to_chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

struct ImageParts {
    alt: std::ops::Range<usize>,
    path: std::ops::Range<usize>,
    credit: Option<std::ops::Range<usize>>,
}

/// Split `![alt](path "credit")` into byte ranges of the line.
fn parse_image(line: &str) -> Option<ImageParts> {
    let alt_start = 2;
    let alt_end = alt_start + line.get(alt_start..)?.find("](")?;
    let open = alt_end + 2;
    let close = line.rfind(')').filter(|&c| c >= open)?;
    if !line[close + 1..].trim().is_empty() {
        return None;
    }
    let inner = &line[open..close];
    let (path, credit) = match inner.find([' ', '"']) {
        Some(i) => {
            let rest = inner[i..].trim_start();
            let rest_start = open + (inner.len() - rest.len());
            let quoted = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"'))?;
            let _ = quoted;
            (open..open + i, Some(rest_start + 1..close - 1))
        }
        None => (open..close, None),
    };
    Some(ImageParts {
        alt: alt_start..alt_end,
        path,
        credit,
    })
}

/// Document-level checks: edition numbers unique.
fn check_editions(b: &Bulletin, spans: &[Span], diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeMap::new();
    for (i, e) in b.editions.iter().enumerate() {
        if let Some(first) = seen.insert(e.number, i) {
            diags.push(
                Diagnostic::error(
                    "duplicate-edition",
                    spans.get(i).copied(),
                    format!("edition number {} is used twice", e.number),
                )
                .with_hint(format!(
                    "edition {} in the file has the same number; each `# 第N版` heading needs its own",
                    first + 1
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_round_trip() {
        for n in 1..100 {
            assert_eq!(chinese_number(&to_chinese_number(n)), Some(n), "{n}");
        }
    }

    #[test]
    fn image_parts() {
        let l = "![一杯咖啡](photos/x.jpg \"本报记者 翟鹏程 摄\")";
        let p = parse_image(l).expect("image");
        assert_eq!(&l[p.alt], "一杯咖啡");
        assert_eq!(&l[p.path], "photos/x.jpg");
        assert_eq!(&l[p.credit.expect("credit")], "本报记者 翟鹏程 摄");
        assert!(parse_image("![a](b").is_none());
    }
}
