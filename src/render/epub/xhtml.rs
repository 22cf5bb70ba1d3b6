//! Content documents: one XHTML document per edition, with semantic markup for every role.

// Why one document per edition (版) and not per article: an edition is one printed page, a
// few thousand characters, small enough for any reading system to open at once; a section
// banner (栏目) and the articles under it stay one `<section>` with a heading outline
// (edition `h1`, banner `h2`, article `h2`/`h3`, subhead one below); and the default print
// page is the edition, so each page-break marker opens a document, where reading systems
// start a new screen anyway. The table of contents still leads to every article by its id.

use std::collections::BTreeMap;

use crate::diag::Span;
use crate::layout::segment::{is_clause_gap, word_breaks};
use crate::media::{Media, MediaBag, figures};
use crate::model::{
    Article, Block, Bulletin, Edition, Figure, Furniture, Inline, Item, Text, note_is_remark, plain_text,
};

use super::EpubError;
use super::labels::edition_label;
use super::pages::PageMarks;
use super::xml::Xml;

/// The XHTML namespace, and the EPUB namespace for `epub:type` (EPUB 3.3 §6.1.2).
const HTML_ATTRS: [(&str, &str); 2] = [
    ("xmlns", "http://www.w3.org/1999/xhtml"),
    ("xmlns:epub", "http://www.idpf.org/2007/ops"),
];

/// The stylesheet's path relative to the content documents.
pub(super) const STYLESHEET_HREF: &str = "css/zhiban.css";

/// Images of the issue and the names they get in the EPUB.
pub(super) struct Images<'a> {
    by_src: BTreeMap<&'a str, (String, &'a Media)>,
}

impl<'a> Images<'a> {
    /// Name every image a figure uses (`images/photo-01.jpg` …, in `src` order) and check
    /// each figure has an image, alt text, and alt text that is not the caption.
    pub(super) fn assign(bulletin: &'a Bulletin, media: &'a MediaBag) -> Result<Images<'a>, EpubError> {
        let mut by_src = BTreeMap::new();
        for figure in figures(bulletin) {
            let Some(image) = media.get(&figure.src) else {
                return Err(EpubError::MissingMedia {
                    figure: figure.id.clone(),
                    src: figure.src.clone(),
                });
            };
            check_alt(figure)?;
            by_src.insert(figure.src.as_str(), (String::new(), image));
        }
        for (i, (_, (href, image))) in by_src.iter_mut().enumerate() {
            *href = format!("images/photo-{:02}.{}", i + 1, image.format.extension());
        }
        Ok(Images { by_src })
    }

    /// The EPUB path and the image for a figure's `src`.
    pub(super) fn get(&self, src: &str) -> Option<(&str, &'a Media)> {
        self.by_src.get(src).map(|(href, media)| (href.as_str(), *media))
    }

    /// Every image with its EPUB path, in path order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &'a Media)> {
        self.by_src.values().map(|(href, media)| (href.as_str(), *media))
    }
}

/// WCAG 2.2 SC 1.1.1: a news photo needs a text alternative, and one that repeats the visible
/// caption tells a screen-reader user nothing new (the flaw of Pandoc's EPUB).
fn check_alt(figure: &Figure) -> Result<(), EpubError> {
    let alt = figure.alt.trim();
    if alt.is_empty() {
        return Err(EpubError::MissingAltText {
            figure: figure.id.clone(),
            span: figure_span(figure),
        });
    }
    let caption: String = figure.caption.iter().map(|c| plain_text(c)).collect();
    if alt == caption.trim() {
        return Err(EpubError::AltRepeatsCaption {
            figure: figure.id.clone(),
            span: figure_span(figure),
        });
    }
    Ok(())
}

/// Where a figure is in the source, as near as the model knows: its credit (on the image
/// line), else the start of its caption.
fn figure_span(figure: &Figure) -> Option<Span> {
    let caption = figure.caption.iter().flatten().find_map(|inline| match inline {
        Inline::Text(t) => Some(t),
        _ => None,
    });
    figure
        .credit
        .iter()
        .chain(caption)
        .find_map(|t| t.origin.source_span(0..t.as_str().len()))
}

/// One page-list entry: a page-break marker placed in a content document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageTarget {
    /// `edition-01.xhtml#page-1`.
    pub(super) href: String,
    /// The page label.
    pub(super) label: String,
}

/// The file name of the `index`th edition document (0-based), ASCII only.
pub(super) fn edition_href(index: usize) -> String {
    format!("edition-{:02}.xhtml", index + 1)
}

/// Renders edition documents and collects the page-break markers placed in them.
pub(super) struct ContentWriter<'a> {
    bulletin: &'a Bulletin,
    images: &'a Images<'a>,
    marks: &'a PageMarks,
    /// Markers placed so far, in reading order.
    pub(super) pages: Vec<PageTarget>,
}

impl<'a> ContentWriter<'a> {
    /// A writer for `bulletin`'s editions.
    pub(super) fn new(bulletin: &'a Bulletin, images: &'a Images<'a>, marks: &'a PageMarks) -> ContentWriter<'a> {
        ContentWriter {
            bulletin,
            images,
            marks,
            pages: Vec::new(),
        }
    }

    /// The XHTML document of edition `index`.
    pub(super) fn edition(&mut self, index: usize, edition: &Edition) -> Result<Vec<u8>, EpubError> {
        let href = edition_href(index);
        let label = edition_label(edition);
        let mut x = open_document(
            &self.bulletin.meta.language,
            &format!("{label} · {}", self.bulletin.meta.publication),
        )?;
        // Every edition is body matter (EPUB SSV `bodymatter`); the landmark points at the first.
        x.open("body", &[("epub:type", "bodymatter")])?;
        x.raw("\n");
        let heading_id = format!("{}-title", edition.id);
        x.open(
            "section",
            &[
                ("id", &edition.id),
                ("class", "edition"),
                ("aria-labelledby", &heading_id),
            ],
        )?;
        x.raw("\n");
        self.page_breaks(&mut x, &href, &edition.id, None)?;
        x.element_line("h1", &[("id", &heading_id), ("class", "edition-title")], &label)?;
        for item in &edition.items {
            self.item(&mut x, &href, item, 2)?;
        }
        if let Some(editor) = edition.editor.as_deref().filter(|e| !e.trim().is_empty()) {
            x.element_line(
                "p",
                &[("class", "edition-editor")],
                &format!("责任编辑：{}", editor.trim()),
            )?;
        }
        x.close_line("section")?;
        x.close_line("body")?;
        x.close_line("html")?;
        Ok(x.finish())
    }

    /// Page-break markers for the pages that start at `id` before `block` (DPUB-ARIA
    /// `doc-pagebreak` with the EPUB SSV `pagebreak`, labelled with the page as printed).
    fn page_breaks(&mut self, x: &mut Xml, href: &str, id: &str, block: Option<usize>) -> Result<(), EpubError> {
        for label in self.marks.at(id, block) {
            let anchor = format!("page-{}", self.pages.len() + 1);
            x.empty(
                "span",
                &[
                    ("id", &anchor),
                    ("epub:type", "pagebreak"),
                    ("role", "doc-pagebreak"),
                    ("aria-label", label),
                ],
            )?;
            x.raw("\n");
            self.pages.push(PageTarget {
                href: format!("{href}#{anchor}"),
                label: label.clone(),
            });
        }
        Ok(())
    }

    fn item(&mut self, x: &mut Xml, href: &str, item: &Item, level: u8) -> Result<(), EpubError> {
        match item {
            Item::Article(article) => self.article(x, href, article, level),
            Item::PhotoNews(figure) => {
                self.page_breaks(x, href, &figure.id, None)?;
                self.figure(x, figure, "photo-news")
            }
            Item::Furniture(furniture) => self.furniture(x, href, furniture, level),
            Item::Section(section) => {
                let heading_id = format!("{}-title", section.id);
                x.open(
                    "section",
                    &[
                        ("id", &section.id),
                        ("class", "column"),
                        ("aria-labelledby", &heading_id),
                    ],
                )?;
                x.raw("\n");
                self.page_breaks(x, href, &section.id, None)?;
                x.element_line(
                    heading(level),
                    &[("id", &heading_id), ("class", "banner")],
                    section.title.as_str(),
                )?;
                for inner in &section.items {
                    self.item(x, href, inner, level + 1)?;
                }
                x.close_line("section")
            }
        }
    }

    fn article(&mut self, x: &mut Xml, href: &str, article: &Article, level: u8) -> Result<(), EpubError> {
        let heading_id = format!("{}-title", article.id);
        x.open(
            "article",
            &[
                ("id", &article.id),
                ("class", "article"),
                ("aria-labelledby", &heading_id),
            ],
        )?;
        x.raw("\n");
        self.page_breaks(x, href, &article.id, None)?;
        x.open("header", &[])?;
        x.raw("\n");
        // E4: 引题 above, 主题 largest, 副题 below, then the byline.
        if let Some(kicker) = &article.kicker {
            phrase_block(x, "p", &[("class", "kicker")], kicker)?;
        }
        phrase_block(
            x,
            heading(level),
            &[("id", &heading_id), ("class", "headline")],
            &article.headline,
        )?;
        for subtitle in &article.subtitles {
            phrase_block(x, "p", &[("class", "subtitle"), ("role", "doc-subtitle")], subtitle)?;
        }
        for byline in &article.bylines {
            x.element_line("p", &[("class", "byline")], byline.text.as_str())
                .map_err(|e| with_origin(e, &byline.text))?;
        }
        x.close_line("header")?;
        for (i, block) in article.body.iter().enumerate() {
            self.page_breaks(x, href, &article.id, Some(i))?;
            self.block(x, block, level + 1)?;
        }
        x.close_line("article")
    }

    fn furniture(&mut self, x: &mut Xml, href: &str, furniture: &Furniture, level: u8) -> Result<(), EpubError> {
        let class = format!("furniture {}", furniture.kind.keyword());
        let heading_id = format!("{}-title", furniture.id);
        let title = furniture.title.as_ref().filter(|t| !t.as_str().trim().is_empty());
        let mut attrs = vec![("id", furniture.id.as_str()), ("class", class.as_str())];
        if title.is_some() {
            attrs.push(("aria-labelledby", &heading_id));
        }
        x.open("section", &attrs)?;
        x.raw("\n");
        self.page_breaks(x, href, &furniture.id, None)?;
        if let Some(title) = title {
            x.element_line(
                heading(level),
                &[("id", &heading_id), ("class", "furniture-title")],
                title.as_str(),
            )
            .map_err(|e| with_origin(e, title))?;
        }
        for (i, block) in furniture.body.iter().enumerate() {
            self.page_breaks(x, href, &furniture.id, Some(i))?;
            self.block(x, block, level + 1)?;
        }
        x.close_line("section")
    }

    fn block(&mut self, x: &mut Xml, block: &Block, level: u8) -> Result<(), EpubError> {
        match block {
            Block::Paragraph(p) => {
                x.open("p", &[])?;
                if let Some(dateline) = &p.dateline {
                    // E4: the dateline opens the lead paragraph in a distinct face; its source
                    // (本报讯) is marked apart from the bracketed credit.
                    let text = dateline.text.as_str();
                    x.open("span", &[("class", "dateline")])?;
                    match text
                        .strip_prefix(dateline.source.as_str())
                        .filter(|_| !dateline.source.is_empty())
                    {
                        Some(rest) => {
                            x.element("span", &[("class", "dateline-source")], &dateline.source)
                                .and_then(|()| x.text(rest))
                                .map_err(|e| with_origin(e, &dateline.text))?;
                        }
                        None => x.text(text).map_err(|e| with_origin(e, &dateline.text))?,
                    }
                    x.close("span").map_err(|e| with_origin(e, &dateline.text))?;
                }
                inlines(x, &p.content)?;
                x.close_line("p")
            }
            Block::Subhead { content } => inline_block(x, heading(level), &[("class", "subhead")], content),
            Block::Figure(figure) => self.figure(x, figure, "photo"),
            Block::Boxed { paragraphs } => {
                x.open("div", &[("class", "boxed")])?;
                x.raw("\n");
                for paragraph in paragraphs {
                    inline_block(x, "p", &[], paragraph)?;
                }
                x.close_line("div")
            }
            Block::Note { content } => {
                let class = if note_is_remark(content) { "note remark" } else { "note" };
                inline_block(x, "p", &[("class", class)], content)
            }
        }
    }

    /// `<figure>` with the photo, its alt text (what it shows) and a visible `<figcaption>`
    /// holding the caption and the credit.
    fn figure(&mut self, x: &mut Xml, figure: &Figure, class: &str) -> Result<(), EpubError> {
        let Some((src, media)) = self.images.get(&figure.src) else {
            return Err(EpubError::MissingMedia {
                figure: figure.id.clone(),
                src: figure.src.clone(),
            });
        };
        x.open("figure", &[("id", &figure.id), ("class", class)])?;
        x.raw("\n");
        let (width, height) = (media.width.to_string(), media.height.to_string());
        x.empty(
            "img",
            &[
                ("src", src),
                ("alt", figure.alt.trim()),
                ("width", &width),
                ("height", &height),
            ],
        )?;
        x.raw("\n");
        let credit = figure.credit.as_ref().filter(|c| !c.as_str().trim().is_empty());
        if !figure.caption.is_empty() || credit.is_some() {
            x.open("figcaption", &[])?;
            x.raw("\n");
            for paragraph in &figure.caption {
                inline_block(x, "p", &[("class", "caption")], paragraph)?;
            }
            if let Some(credit) = credit {
                x.element_line("p", &[("class", "credit")], credit.as_str())
                    .map_err(|e| with_origin(e, credit))?;
            }
            x.close_line("figcaption")?;
        }
        x.close_line("figure")
    }
}

/// The heading element for outline level `level` (h6 at most, HTML §4.3.6).
fn heading(level: u8) -> &'static str {
    match level {
        0 | 1 => "h1",
        2 => "h2",
        3 => "h3",
        4 => "h4",
        5 => "h5",
        _ => "h6",
    }
}

/// Start an XHTML document: declaration, doctype, `<html>` with `lang` and `xml:lang` (so
/// reading systems pick Chinese fonts and line breaking, cjk-requirements #12), and `<head>`.
pub(super) fn open_document(lang: &str, title: &str) -> Result<Xml, EpubError> {
    let mut x = Xml::new()?;
    x.raw("<!DOCTYPE html>\n");
    let mut attrs = HTML_ATTRS.to_vec();
    attrs.extend([("lang", lang), ("xml:lang", lang)]);
    x.open("html", &attrs)?;
    x.raw("\n");
    x.open("head", &[])?;
    x.empty("meta", &[("charset", "utf-8")])?;
    x.element("title", &[], title)?;
    x.empty(
        "link",
        &[("rel", "stylesheet"), ("type", "text/css"), ("href", STYLESHEET_HREF)],
    )?;
    x.close_line("head")?;
    Ok(x)
}

/// Point a refused character back at the source the model text came from.
fn with_origin(error: EpubError, text: &Text) -> EpubError {
    match error {
        EpubError::ForbiddenCharacter {
            character,
            context,
            span: None,
        } => {
            let span = text
                .as_str()
                .find(character)
                .and_then(|at| text.origin.source_span(at..at + character.len_utf8()));
            EpubError::ForbiddenCharacter {
                character,
                context,
                span,
            }
        }
        other => other,
    }
}

/// `<name attrs>inlines</name>` and a line break.
fn inline_block(x: &mut Xml, name: &str, attrs: &[(&str, &str)], content: &[Inline]) -> Result<(), EpubError> {
    x.open(name, attrs)?;
    inlines_with(x, content, &|x: &mut Xml, t: &str| x.text(t))?;
    x.close_line(name)
}

/// A headline, kicker or subtitle: `<name attrs>` with the print's break opportunities, a
/// `<wbr/>` between two words (the stylesheet keeps words whole, `word-break: keep-all`) and a
/// space typed between two Chinese phrases marked as a clause gap (`<span class="gap">`).
fn phrase_block(x: &mut Xml, name: &str, attrs: &[(&str, &str)], content: &[Inline]) -> Result<(), EpubError> {
    x.open(name, attrs)?;
    inlines_with(x, content, &phrase_text)?;
    x.close_line(name)
}

/// Headline text with `<wbr/>` at each word boundary and each space between two Chinese
/// characters in a clause-gap span; the characters themselves are written unchanged.
fn phrase_text(x: &mut Xml, text: &str) -> Result<(), EpubError> {
    let breaks = word_breaks(text);
    let mut from = 0;
    for (at, ch) in text.char_indices() {
        if is_clause_gap(text, at) {
            x.text(text.get(from..at).unwrap_or_default())?;
            x.element(
                "span",
                &[("class", "gap")],
                text.get(at..at + ch.len_utf8()).unwrap_or_default(),
            )?;
            from = at + ch.len_utf8();
        } else if breaks.binary_search(&at).is_ok() && at > from {
            x.text(text.get(from..at).unwrap_or_default())?;
            x.empty("wbr", &[])?;
            from = at;
        }
    }
    x.text(text.get(from..).unwrap_or_default())
}

/// Inline content: strong emphasis as `<strong>` (Hei), emphasis as `<em>` (emphasis dots in
/// the stylesheet).
fn inlines(x: &mut Xml, content: &[Inline]) -> Result<(), EpubError> {
    inlines_with(x, content, &|x: &mut Xml, t: &str| x.text(t))
}

/// [`inlines`] with each run of text written by `text` (plain, or cut at a headline's breaks).
fn inlines_with(
    x: &mut Xml,
    content: &[Inline],
    text: &dyn Fn(&mut Xml, &str) -> Result<(), EpubError>,
) -> Result<(), EpubError> {
    for inline in content {
        match inline {
            Inline::Text(t) => text(x, t.as_str()).map_err(|e| with_origin(e, t))?,
            Inline::Strong(inner) => {
                x.open("strong", &[])?;
                inlines_with(x, inner, text)?;
                x.close("strong")?;
            }
            Inline::Emph(inner) => {
                x.open("em", &[])?;
                inlines_with(x, inner, text)?;
                x.close("em")?;
            }
        }
    }
    Ok(())
}
