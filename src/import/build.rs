//! Building the model from classified blocks: front matter, editions, sections, articles, photos.

use crate::diag::{Diagnostic, Span};
use crate::markup::{dateline_len, parse_contributors, split_dateline};
use crate::model::{
    Article, Block, Bulletin, Byline, Dateline, Edition, Figure, Furniture, FurnitureKind, Inline, Item, Meta,
    Paragraph, Section, Text, assign_ids,
};

use super::chars::{looks_traditional, traditional_region};
use super::classify::Classified;
use super::features::strip_bullets;
use super::header::{HeaderParts, find_date, publication_from_follow_line};
use super::{BlockKind, ImportOptions, PLACEHOLDER_DATE, PLACEHOLDER_HEADLINE, PLACEHOLDER_PUBLICATION};

/// Folder the placeholder photo paths point into.
const PHOTO_DIR: &str = "photos";

/// Build the bulletin from classified blocks of `text`.
pub(crate) fn build(
    blocks: &[Classified],
    options: &ImportOptions,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Bulletin {
    let (meta, slogan_from) = build_meta(blocks, options, text, diags);
    let mut b = Builder {
        meta_publication: meta.publication.clone(),
        meta_publisher: meta.publisher.clone(),
        meta_date: meta.date,
        meta_numbers: Numbers::of(&meta),
        slogan_from,
        masthead_notes: Vec::new(),
        masthead_editor: None,
        editions: Vec::new(),
        section: None,
        article: None,
        kicker: None,
        furniture: None,
        figure: None,
        photos: 0,
    };
    for block in blocks {
        b.block(block, diags);
    }
    if !b.masthead_notes.is_empty() || b.masthead_editor.is_some() {
        // A masthead with nothing under it still keeps its text.
        b.current_edition();
    }
    b.finish_edition();
    let mut bulletin = Bulletin {
        meta,
        editions: b.editions,
    };
    assign_ids(&mut bulletin);
    bulletin
}

/// The front matter: options first, then masthead and page-header lines, then guesses. Also
/// returns where the masthead line that gave the slogan starts.
fn build_meta(
    blocks: &[Classified],
    options: &ImportOptions,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Meta, Option<usize>) {
    let headers = blocks
        .iter()
        // An editor line at the top may carry the date or issue number too.
        .filter(|b| matches!(b.kind, BlockKind::Masthead | BlockKind::Edition | BlockKind::Editor))
        .filter_map(|b| b.header.as_ref().map(|h| (b, h)));
    let mut meta = Meta {
        publication: String::new(),
        slogan: None,
        publisher: None,
        date: PLACEHOLDER_DATE,
        issue: None,
        total_issue: None,
        cn: None,
        issn: None,
        permit: None,
        language: if looks_traditional(text) {
            traditional_region(text)
        } else {
            "zh-CN"
        }
        .to_string(),
        editors: Vec::new(),
        layout: None,
    };
    let mut publication = options.publication.clone();
    let mut date = options.date;
    let mut slogan_from = None;
    for (block, h) in headers {
        publication = publication.or_else(|| h.publication.clone());
        date = date.or(h.date);
        meta.issue = meta.issue.or(h.issue);
        meta.total_issue = meta.total_issue.or(h.total_issue);
        meta.publisher = meta.publisher.take().or_else(|| h.publisher.clone());
        meta.cn = meta.cn.take().or_else(|| h.cn.clone());
        meta.issn = meta.issn.take().or_else(|| h.issn.clone());
        meta.permit = meta.permit.take().or_else(|| h.permit.clone());
        // Only the first such line is the slogan; the builder keeps the text of later ones on
        // the page, so that no word of the masthead is lost.
        if block.kind == BlockKind::Masthead && !h.leftover.is_empty() && meta.slogan.is_none() {
            meta.slogan = Some(h.leftover.join(" "));
            slogan_from = Some(block.unit.span.start);
            diags.push(Diagnostic::warning(
                "slogan-guessed",
                Some(block.unit.span),
                "a masthead line that is not a name, date or number was taken for the slogan",
            ));
        }
        if h.wrong_weekday {
            diags.push(Diagnostic::warning(
                "weekday-mismatch",
                Some(block.unit.span),
                "the weekday printed does not match the date",
            ));
        }
    }
    if publication.is_none()
        && let Some((block, name)) = blocks
            .iter()
            .filter(|b| b.kind == BlockKind::FurnitureText)
            .find_map(|b| publication_from_follow_line(b.unit.text.as_str()).map(|n| (b, n)))
    {
        diags.push(
            Diagnostic::warning(
                "publication-guessed",
                Some(block.unit.span),
                format!("no masthead; the publication name `{name}` was taken from the follow-us box"),
            )
            .with_hint("check it, or give it with `--publication`"),
        );
        publication = Some(name);
    }
    meta.publication = publication.unwrap_or_else(|| {
        diags.push(
            Diagnostic::warning(
                "publication-missing",
                None,
                format!("the text names no publication; the front matter says `{PLACEHOLDER_PUBLICATION}`"),
            )
            .with_hint("give it with `--publication`, or edit `publication` in the front matter"),
        );
        PLACEHOLDER_PUBLICATION.to_string()
    });
    meta.date = date.unwrap_or_else(|| {
        let mut d = Diagnostic::warning(
            "date-missing",
            None,
            format!("the text has no dated masthead; the front matter says {PLACEHOLDER_DATE}"),
        )
        .with_hint("give the issue date with `--date YYYY-MM-DD`, or edit `date` in the front matter");
        if let Some((found, at)) = find_date(text) {
            d = d.with_hint(format!(
                "the text mentions {found} (byte {at}); it may be the issue date"
            ));
        }
        diags.push(d);
        PLACEHOLDER_DATE
    });
    (meta, slogan_from)
}

/// The serial numbers of an issue: the front matter's, to tell a header line's differing ones.
#[derive(Debug, Clone, Default)]
struct Numbers {
    issue: Option<u32>,
    total_issue: Option<u32>,
    cn: Option<String>,
    issn: Option<String>,
    permit: Option<String>,
}

impl Numbers {
    fn of(meta: &Meta) -> Self {
        Numbers {
            issue: meta.issue,
            total_issue: meta.total_issue,
            cn: meta.cn.clone(),
            issn: meta.issn.clone(),
            permit: meta.permit.clone(),
        }
    }
}

/// Where the builder is in the document.
struct Builder {
    meta_publication: String,
    meta_publisher: Option<String>,
    meta_date: crate::model::Date,
    /// The serial numbers the front matter holds.
    meta_numbers: Numbers,
    /// Start of the masthead line whose leftover became the slogan.
    slogan_from: Option<usize>,
    /// Masthead text no front-matter field holds, waiting for the first edition to be placed in.
    masthead_notes: Vec<String>,
    /// An editor in charge named in the masthead zone, for the first edition.
    masthead_editor: Option<String>,
    editions: Vec<Edition>,
    section: Option<Section>,
    article: Option<Article>,
    kicker: Option<(Text, Span)>,
    furniture: Option<Furniture>,
    /// A photo being gathered: the figure and whether its first block stood after a gap.
    figure: Option<(Figure, bool)>,
    photos: usize,
}

/// A banner without the brackets or bullet that set it off (【基层一线】 → 基层一线).
fn banner_title(t: &Text) -> Text {
    let s = t.as_str();
    let bare = strip_bullets(s).trim_start_matches(['【', '〖']);
    let start = s.len() - bare.len();
    let end = start + bare.trim_end_matches(['】', '〗']).len();
    if end > start { t.slice(start..end) } else { t.clone() }
}

/// Text as inline content; empty text is no content, as the markup parser reads it.
fn inlines(t: &Text) -> Vec<Inline> {
    if t.is_empty() {
        Vec::new()
    } else {
        vec![Inline::Text(t.clone())]
    }
}

fn paragraph(t: &Text) -> Block {
    Block::Paragraph(Paragraph {
        dateline: None,
        content: inlines(t),
    })
}

impl Builder {
    fn block(&mut self, block: &Classified, diags: &mut Vec<Diagnostic>) {
        let t = &block.unit.text;
        let span = block.unit.span;
        if !matches!(block.kind, BlockKind::Caption | BlockKind::Credit) {
            self.finish_figure(Some(block.kind));
        }
        if block.kind != BlockKind::Headline
            && let Some((k, _)) = self.kicker.take()
        {
            // A kicker always comes with a headline; if not, it is the headline.
            self.start_article(&k, None);
        }
        match block.kind {
            // A running header further down keeps what differs from the front matter.
            // A running header may name the editor in charge too.
            BlockKind::Masthead
                if !self.editions.is_empty() && block.header.as_ref().is_some_and(|h| h.editor.is_some()) =>
            {
                self.editor(block, diags)
            }
            BlockKind::Masthead if !self.editions.is_empty() => self.header_leftover(block, Vec::new(), diags),
            BlockKind::Masthead => self.masthead_leftover(block, diags),
            BlockKind::Edition => self.edition(block, diags),
            BlockKind::Editor => self.editor(block, diags),
            BlockKind::Banner => {
                self.end_article();
                self.end_furniture();
                self.end_section();
                self.current_edition();
                self.section = Some(Section {
                    id: String::new(),
                    title: banner_title(t),
                    items: Vec::new(),
                });
            }
            BlockKind::Kicker => {
                self.end_article();
                self.end_furniture();
                self.kicker = Some((t.clone(), span));
            }
            BlockKind::Headline => {
                let kicker = self.kicker.take().map(|k| k.0);
                self.start_article(t, kicker.as_ref());
            }
            BlockKind::Subtitle => match &mut self.article {
                Some(a) if a.body.is_empty() && a.bylines.is_empty() => a.subtitles.push(inlines(t)),
                _ => self.body_block(paragraph(t)),
            },
            BlockKind::Byline => match &mut self.article {
                Some(a) if a.body.is_empty() => {
                    let bare_at = t.as_str().len() - strip_bullets(t.as_str()).len();
                    let text = t.slice(bare_at..t.as_str().len());
                    let contributors = parse_contributors(text.as_str());
                    a.bylines.push(Byline { text, contributors });
                }
                _ => self.body_block(Block::Note { content: inlines(t) }),
            },
            BlockKind::Paragraph => {
                let lead = self
                    .article
                    .as_ref()
                    .is_none_or(|a| !a.body.iter().any(|b| matches!(b, Block::Paragraph(_))));
                let block = if lead && let Some(len) = dateline_len(t.as_str()) {
                    let (head, rest) = t.split_at(len);
                    let (source, contributors) = split_dateline(head.as_str());
                    Block::Paragraph(Paragraph {
                        dateline: Some(Dateline {
                            text: head,
                            source,
                            contributors,
                        }),
                        content: inlines(&rest.trimmed()),
                    })
                } else {
                    paragraph(t)
                };
                self.body_block(block);
            }
            BlockKind::Subhead => self.body_block(Block::Subhead { content: inlines(t) }),
            BlockKind::Note => self.body_block(Block::Note { content: inlines(t) }),
            BlockKind::Boxed => self.body_block(Block::Boxed {
                paragraphs: vec![inlines(t)],
            }),
            BlockKind::Caption | BlockKind::Credit => self.photo_block(block, diags),
            BlockKind::FurnitureTitle => {
                self.end_article();
                self.end_furniture();
                self.end_section();
                self.furniture = Some(Furniture {
                    id: String::new(),
                    kind: block.furniture.unwrap_or(FurnitureKind::Notice),
                    title: Some(t.clone()),
                    body: Vec::new(),
                });
            }
            BlockKind::FurnitureText => {
                if self.furniture.is_none() || block.furniture.is_some() {
                    self.end_article();
                    self.end_furniture();
                    self.end_section();
                    self.furniture = Some(Furniture {
                        id: String::new(),
                        kind: block.furniture.unwrap_or(FurnitureKind::Notice),
                        title: None,
                        body: Vec::new(),
                    });
                }
                if let Some(f) = &mut self.furniture {
                    f.body.push(paragraph(t));
                }
            }
        }
    }

    fn current_edition(&mut self) -> &mut Edition {
        if self.editions.is_empty() {
            self.push_edition(Edition {
                id: String::new(),
                number: 1,
                name: String::new(),
                editor: None,
                items: Vec::new(),
            });
        }
        // Indexing: `push_edition` always pushes, so the list is not empty here and `last` is in
        // bounds.
        #[allow(clippy::indexing_slicing)]
        {
            let last = self.editions.len() - 1;
            &mut self.editions[last]
        }
    }

    /// Open an edition; the first one receives the masthead text kept aside.
    fn push_edition(&mut self, mut edition: Edition) {
        if let Some(editor) = self.masthead_editor.take() {
            if edition.editor.is_none() {
                edition.editor = Some(editor);
            } else if edition.editor.as_ref() != Some(&editor) {
                self.masthead_notes.push(format!("责任编辑 {editor}"));
            }
        }
        if !self.masthead_notes.is_empty() {
            let text = Text::new(std::mem::take(&mut self.masthead_notes).join(" "));
            edition.items.push(Item::Furniture(Furniture {
                id: String::new(),
                kind: FurnitureKind::Notice,
                title: None,
                body: vec![paragraph(&text)],
            }));
        }
        self.editions.push(edition);
    }

    fn edition(&mut self, block: &Classified, diags: &mut Vec<Diagnostic>) {
        let Some(h) = &block.header else { return };
        // An unnumbered edition (a name alone) follows the last one.
        let number = h
            .edition
            .unwrap_or_else(|| self.editions.last().map_or(1, |e| e.number + 1));
        let name = h.edition_name.clone().unwrap_or_default();
        let same = h.edition.is_some() && self.editions.last().is_some_and(|e| e.number == number);
        let mut extra = Vec::new();
        if same {
            // A running header repeated on the next page of the same edition; a name or editor
            // that differs from the first header's is kept as text.
            if let Some(e) = self.editions.last_mut() {
                if e.name.is_empty() {
                    e.name = name;
                } else if !name.is_empty() && name != e.name {
                    extra.push(name);
                }
                if e.editor.is_none() {
                    e.editor.clone_from(&h.editor);
                } else if let Some(other) = h.editor.as_ref().filter(|o| e.editor.as_ref() != Some(*o)) {
                    extra.push(format!("责任编辑 {other}"));
                }
            }
        } else {
            self.finish_edition();
            let used = self.editions.iter().any(|e| e.number == number);
            let number = if used {
                let free = self.editions.iter().map(|e| e.number).max().unwrap_or(0) + 1;
                diags.push(Diagnostic::warning(
                    "edition-renumbered",
                    Some(block.unit.span),
                    format!("edition {number} appears twice; this one was numbered {free}"),
                ));
                free
            } else {
                number
            };
            self.push_edition(Edition {
                id: String::new(),
                number,
                name,
                editor: h.editor.clone(),
                items: Vec::new(),
            });
        }
        self.header_leftover(block, extra, diags);
    }

    fn editor(&mut self, block: &Classified, diags: &mut Vec<Diagnostic>) {
        let Some(h) = &block.header else { return };
        let e = self.current_edition();
        let mut extra = Vec::new();
        if e.editor.is_none() {
            e.editor.clone_from(&h.editor);
        } else if e.editor != h.editor {
            diags.push(Diagnostic::warning(
                "editor-conflict",
                Some(block.unit.span),
                "a second editor in charge for the same edition; the first one is kept, the second kept as text",
            ));
            if let Some(other) = &h.editor {
                extra.push(format!("责任编辑 {other}"));
            }
        }
        self.header_leftover(block, extra, diags);
    }

    /// Header text the front matter has no field for: what the parser left over (unless it
    /// became the slogan), a year, publication, sponsor or date that differ from the front
    /// matter's, then `extra`.
    fn unkept(&self, block: &Classified, h: &HeaderParts, extra: Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(d) = h.date
            && d != self.meta_date
        {
            out.push(format!("{}年{}月{}日", d.year, d.month, d.day));
        }
        if let Some(y) = h.year
            && h.date.is_none_or(|d| d.year != y)
            && self.meta_date.year != y
        {
            out.push(format!("{y}年"));
        }
        if let Some(p) = &h.publication
            && *p != self.meta_publication
        {
            out.push(p.clone());
        }
        if let Some(p) = &h.publisher
            && Some(p) != self.meta_publisher.as_ref()
        {
            out.push(p.clone());
        }
        // A second masthead or page header may print other serial numbers (a reprinted page,
        // a joint issue); the front matter holds the first ones, the others stay as text.
        let n = &self.meta_numbers;
        if let Some(i) = h.issue
            && Some(i) != n.issue
        {
            out.push(format!("第{i}期"));
        }
        if let Some(i) = h.total_issue
            && Some(i) != n.total_issue
        {
            out.push(format!("总第{i}期"));
        }
        for (found, known) in [(&h.cn, &n.cn), (&h.issn, &n.issn), (&h.permit, &n.permit)] {
            if let Some(v) = found
                && Some(v) != known.as_ref()
            {
                out.push(v.clone());
            }
        }
        if self.slogan_from != Some(block.unit.span.start) {
            out.extend(h.leftover.iter().cloned());
        }
        out.extend(extra);
        out
    }

    /// Masthead text at the top that no front-matter field holds (`今日四版` after the issue
    /// numbers) waits for the first edition and opens it as a notice box.
    fn masthead_leftover(&mut self, block: &Classified, diags: &mut Vec<Diagnostic>) {
        let Some(h) = &block.header else { return };
        let mut extra = Vec::new();
        if let Some(editor) = &h.editor {
            // 责任编辑 in the masthead zone names the editor of the first edition.
            match &self.masthead_editor {
                None => self.masthead_editor = Some(editor.clone()),
                Some(first) if first != editor => extra.push(format!("责任编辑 {editor}")),
                Some(_) => {}
            }
        }
        let kept = self.unkept(block, h, extra);
        if kept.is_empty() {
            return;
        }
        diags.push(
            Diagnostic::warning(
                "masthead-kept",
                Some(block.unit.span),
                format!(
                    "masthead text `{}` has no front-matter field; it was kept as a notice box",
                    kept.join(" ")
                ),
            )
            .with_hint("move it to `slogan` in the front matter, or delete the box if it is not wanted"),
        );
        self.masthead_notes.extend(kept);
    }

    /// Header text the model has no field for stays on the page as a notice box, so that no
    /// word of the input is lost.
    fn header_leftover(&mut self, block: &Classified, extra: Vec<String>, diags: &mut Vec<Diagnostic>) {
        let Some(h) = &block.header else { return };
        let leftover = self.unkept(block, h, extra);
        if leftover.is_empty() {
            return;
        }
        diags.push(Diagnostic::warning(
            "header-kept",
            Some(block.unit.span),
            format!("page-header text `{}` was kept as a notice box", leftover.join(" ")),
        ));
        self.end_article();
        self.end_furniture();
        self.end_section();
        let text = Text::new(leftover.join(" "));
        self.current_edition().items.push(Item::Furniture(Furniture {
            id: String::new(),
            kind: FurnitureKind::Notice,
            title: None,
            body: vec![paragraph(&text)],
        }));
    }

    fn start_article(&mut self, headline: &Text, kicker: Option<&Text>) {
        self.end_article();
        self.end_furniture();
        self.current_edition();
        self.article = Some(Article {
            id: String::new(),
            kicker: kicker.map(inlines),
            headline: inlines(headline),
            subtitles: Vec::new(),
            bylines: Vec::new(),
            body: Vec::new(),
        });
    }

    fn body_block(&mut self, block: Block) {
        self.end_furniture();
        if self.article.is_none() {
            self.start_article(&Text::new(PLACEHOLDER_HEADLINE), None);
        }
        if let Some(a) = &mut self.article {
            a.body.push(block);
        }
    }

    fn photo_block(&mut self, block: &Classified, diags: &mut Vec<Diagnostic>) {
        let t = &block.unit.text;
        let is_credit = block.kind == BlockKind::Credit;
        let complete = self
            .figure
            .as_ref()
            .is_some_and(|(f, _)| f.credit.is_some() && (is_credit || !f.caption.is_empty()));
        if complete {
            self.finish_figure(Some(block.kind));
        }
        if self.figure.is_none() {
            self.photos += 1;
            let src = format!("{PHOTO_DIR}/photo-{}.jpg", self.photos);
            diags.push(
                Diagnostic::warning(
                    "photo-placeholder",
                    Some(block.unit.span),
                    format!("a photo stood here; its image path is the placeholder `{src}`"),
                )
                .with_hint("put the photo file there, and describe what it shows in the alt text"),
            );
            self.figure = Some((
                Figure {
                    id: String::new(),
                    src,
                    alt: String::new(),
                    caption: Vec::new(),
                    credit: None,
                },
                block.gap,
            ));
        }
        let Some((f, _)) = &mut self.figure else { return };
        if is_credit && !t.as_str().contains('"') {
            // A bullet before a credit (■記者李嘉怡攝) is decoration.
            let bare_at = t.as_str().len() - strip_bullets(t.as_str()).len();
            f.credit = Some(t.slice(bare_at..t.as_str().len()));
        } else {
            f.caption.push(inlines(t));
        }
    }

    /// Place the photo being gathered: photo news (图片新闻) when it stands apart (after more
    /// blank lines than usual, or outside any article) and the next block starts something new,
    /// else a figure of the current article.
    fn finish_figure(&mut self, next: Option<BlockKind>) {
        let Some((figure, gap)) = self.figure.take() else {
            return;
        };
        let starts_new = next.is_none_or(|k| {
            matches!(
                k,
                BlockKind::Kicker
                    | BlockKind::Headline
                    | BlockKind::Banner
                    | BlockKind::Edition
                    | BlockKind::FurnitureTitle
            )
        });
        if let Some(f) = &mut self.furniture {
            f.body.push(Block::Figure(figure));
        } else if self.article.is_none() || (gap && starts_new) {
            self.end_article();
            self.push_item(Item::PhotoNews(figure));
        } else if let Some(a) = &mut self.article {
            a.body.push(Block::Figure(figure));
        }
    }

    fn push_item(&mut self, item: Item) {
        match &mut self.section {
            Some(s) => s.items.push(item),
            None => self.current_edition().items.push(item),
        }
    }

    fn end_article(&mut self) {
        if let Some(a) = self.article.take() {
            self.push_item(Item::Article(a));
        }
    }

    fn end_furniture(&mut self) {
        if let Some(f) = self.furniture.take() {
            self.current_edition().items.push(Item::Furniture(f));
        }
    }

    fn end_section(&mut self) {
        if let Some(s) = self.section.take() {
            self.current_edition().items.push(Item::Section(s));
        }
    }

    fn finish_edition(&mut self) {
        self.finish_figure(None);
        if let Some((k, _)) = self.kicker.take() {
            self.start_article(&k, None);
        }
        self.end_article();
        self.end_furniture();
        self.end_section();
    }
}
