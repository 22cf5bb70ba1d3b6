//! The print PDF, written with krilla: glyph-level text from the layout's frames (our own
//! shaping), subset CID fonts with ToUnicode, JPEGs embedded byte for byte, trim and bleed boxes,
//! an outline edition → article, document metadata, optional crop marks and PDF/A-2u. krilla
//! writes every dictionary as a top-level object with a classic cross-reference table; [`pack`]
//! then puts the dictionaries into compressed object streams with a cross-reference stream.
//!
//! krilla replaces the printpdf crate the project first named: measured here, printpdf 0.12.8
//! embeds whole CJK fonts (15–34 MB PDFs) unless its 136-crate `text_layout` feature is on,
//! re-encodes JPEGs and writes a "PDF/A" that is not (see README, dependency notes).

use std::sync::Arc;

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect as KRect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::layout::FontBook;
use crate::render::pdf_pack::pack;
use std::collections::BTreeMap;
use std::num::NonZeroU16;

use crate::layout::flow::{BlockInfo, BlockKind, PageLayout};
use crate::layout::frame::{GlyphRun, Item};
use crate::layout::spec::LayoutSpec;
use crate::media::{ImageFormat, MediaBag};
use crate::model::{Block, Bulletin, Item as ModelItem, items_flat, plain_text};

/// Millimetres to points.
const MM: f32 = 72.0 / 25.4;
/// Crop marks: distance from the trim edge to the mark, and the mark's length (3 mm bleed
/// plus a gap, so marks stay outside the bleed as printers ask).
const MARK_OFFSET: f32 = 4.0 * MM;
const MARK_LENGTH: f32 = 6.0 * MM;
/// Room around the bleed box for crop marks.
const MARK_MARGIN: f32 = 12.0 * MM;
/// Line width of crop marks (≥ 0.2 pt, printer specs).
const MARK_WIDTH: f32 = 0.25;
/// Stroke width of synthetic bold, as a fraction of the font size.
const SYNTHETIC_BOLD: f32 = 0.03;

/// Choices for the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Draw crop marks outside the bleed.
    pub marks: bool,
    /// Write PDF/A-2u (archival, every glyph mapped to Unicode) and validate it.
    pub pdfa: bool,
}

/// Why the PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// A font of the book could not be used by the PDF writer.
    Font(String),
    /// An image could not be embedded.
    Image {
        /// The image's `src`.
        src: String,
        /// Why.
        reason: String,
    },
    /// The page size is not usable.
    PageSize,
    /// krilla refused the document (validation errors for PDF/A, limits).
    Write(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font(m) => write!(f, "font cannot be embedded: {m}"),
            PdfError::Image { src, reason } => write!(f, "image `{src}` cannot be embedded: {reason}"),
            PdfError::PageSize => f.write_str("the page size is not usable"),
            PdfError::Write(m) => write!(f, "the PDF cannot be written: {m}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Render laid-out pages to PDF bytes: krilla's file, packed ([`pack`]). Should packing ever
/// refuse krilla's file, that file is returned as it is: a valid PDF, about 4 % larger.
pub fn render_pdf(
    bulletin: &Bulletin,
    pages: &[PageLayout],
    book: &FontBook,
    media: &MediaBag,
    spec: &LayoutSpec,
    options: &PdfOptions,
) -> Result<Vec<u8>, PdfError> {
    let plain = render_krilla(bulletin, pages, book, media, spec, options, true)?;
    Ok(pack(&plain).unwrap_or(plain))
}

/// The PDF as krilla writes it before [`pack`]: every dictionary a top-level object, a classic
/// cross-reference table, the content streams and CMaps compressed (`render_pdf` asks for that;
/// krilla's `rayon` feature deflates page content on other threads while the document is
/// finished) or left plain (`compress` false, for the packer's tests); krilla deflates font
/// programs either way. For tests and measurements.
#[doc(hidden)]
pub fn render_krilla(
    bulletin: &Bulletin,
    pages: &[PageLayout],
    book: &FontBook,
    media: &MediaBag,
    spec: &LayoutSpec,
    options: &PdfOptions,
    compress: bool,
) -> Result<Vec<u8>, PdfError> {
    let mut settings = SerializeSettings {
        compress_content_streams: compress,
        ..SerializeSettings::default()
    };
    if options.pdfa {
        settings.configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_U)
            .finish()
            .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    }
    let mut doc = Document::new_with(settings);
    doc.set_metadata(metadata(bulletin));

    // Fonts: the same bytes the layout measured, one krilla font per face.
    let mut fonts = Vec::new();
    for face in book.fonts() {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(face.data.clone());
        let font = Font::new(data.into(), face.index).ok_or_else(|| PdfError::Font(face.name.clone()))?;
        fonts.push(font);
    }
    // Images, decoded once each.
    let mut images = std::collections::BTreeMap::new();
    for (src, m) in media.iter() {
        // PDF/A forbids image interpolation; print RIPs do their own resampling.
        let data: krilla::Data = m.bytes.clone().into();
        let image = match m.format {
            ImageFormat::Jpeg => Image::from_jpeg(data, false),
            ImageFormat::Png => Image::from_png(data, false),
        }
        .map_err(|reason| PdfError::Image {
            src: src.to_string(),
            reason,
        })?;
        images.insert(src.to_string(), image);
    }

    // Marked content of each model element, in drawing (= reading) order.
    let mut tagged = Tagged::new();
    let bleed = spec.pt(spec.page.bleed);
    let margin = bleed + if options.marks { MARK_MARGIN } else { 0.0 };
    for layout in pages {
        let frame = &layout.page.frame;
        let (w, h) = (frame.width, frame.height);
        let settings = PageSettings::from_wh(w + 2.0 * margin, h + 2.0 * margin)
            .ok_or(PdfError::PageSize)?
            .with_trim_box(KRect::from_xywh(margin, margin, w, h))
            .with_bleed_box(KRect::from_xywh(
                margin - bleed,
                margin - bleed,
                w + 2.0 * bleed,
                h + 2.0 * bleed,
            ));
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        surface.push_transform(&Transform::from_translate(margin, margin));
        let owners = owner_of_items(layout);
        for (index, item) in frame.items.iter().enumerate() {
            // Tagged PDF (ISO 32000 §14.8): model text and photos are marked content that the
            // tag tree below puts in reading order; masthead, folios, jump lines and rules
            // are artifacts, outside the logical structure.
            let block = owners.get(index).copied().flatten().and_then(|b| layout.blocks.get(b));
            let tag = match (block, item) {
                (Some(b), Item::Line(_)) if b.kind != BlockKind::Chrome => ContentTag::Span(SpanTag::empty()),
                (Some(b), Item::Image(_)) if b.kind != BlockKind::Chrome => ContentTag::Other,
                (Some(b), Item::Line(_)) if b.owner == "chrome" && index_in_header(layout, b) => {
                    ContentTag::Artifact(Artifact::with_kind(ArtifactType::Header))
                }
                (_, Item::Line(_)) => ContentTag::Artifact(Artifact::with_kind(ArtifactType::PaginationOther)),
                _ => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
            };
            let is_content = !matches!(tag, ContentTag::Artifact(_));
            let id = surface.start_tagged(tag);
            match item {
                Item::Line(line) => {
                    for run in &line.runs {
                        draw_run(&mut surface, &fonts, run, line.x, line.y);
                    }
                }
                Item::Image(img) => {
                    if let (Some(image), Some(size)) = (images.get(&img.key), Size::from_wh(img.width, img.height)) {
                        surface.push_transform(&Transform::from_translate(img.x, img.y));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
                Item::Rule(rule) => {
                    stroke_line(&mut surface, rule.from, rule.to, rule.thickness.max(0.25));
                }
            }
            surface.end_tagged();
            if let (true, Some(b)) = (is_content, block) {
                tagged.entry(b.owner.clone()).or_default().push((b.kind, b.block, id));
            }
        }
        surface.pop();
        if options.marks {
            crop_marks(&mut surface, margin, w, h);
        }
        surface.finish();
        page.finish();
    }
    doc.set_outline(outline(bulletin, pages, margin));
    doc.set_tag_tree(tag_tree(bulletin, &tagged));
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

/// Marked content of each model element by owner id: (block kind, body block, identifier).
type Tagged = BTreeMap<String, Vec<(BlockKind, Option<usize>, Identifier)>>;

/// For each frame item, the index of the block it belongs to.
fn owner_of_items(layout: &PageLayout) -> Vec<Option<usize>> {
    let mut owners = vec![None; layout.page.frame.items.len()];
    for (bi, b) in layout.blocks.iter().enumerate() {
        for i in b.items.clone() {
            if let Some(o) = owners.get_mut(i) {
                *o = Some(bi);
            }
        }
    }
    owners
}

/// Whether a chrome block is the masthead or running head (the first block of a page).
fn index_in_header(layout: &PageLayout, block: &BlockInfo) -> bool {
    layout.blocks.first().is_some_and(|first| first.items == block.items)
}

/// The logical structure: the issue as sections (editions), articles with their heading,
/// paragraphs, figures and captions, in reading order across pages.
fn tag_tree(b: &Bulletin, tagged: &Tagged) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some(b.meta.language.clone()));
    let level = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
    let leaves = |id: &str, kinds: &[BlockKind]| -> Vec<Identifier> {
        tagged.get(id).map_or_else(Vec::new, |v| {
            v.iter()
                .filter(|(k, _, _)| kinds.contains(k))
                .map(|(_, _, i)| *i)
                .collect()
        })
    };
    let group = |tag: TagGroup, ids: Vec<Identifier>| -> Option<TagGroup> {
        let mut tag = tag;
        if ids.is_empty() {
            return None;
        }
        for i in ids {
            tag.push(i);
        }
        Some(tag)
    };
    let figure = |f: &crate::model::Figure| -> Vec<Node> {
        let mut out = Vec::new();
        if let Some(g) = group(
            TagGroup::new(Tag::Figure(Some(f.alt.clone()))),
            leaves(&f.id, &[BlockKind::Image]),
        ) {
            out.push(g.into());
        }
        if let Some(g) = group(TagGroup::new(Tag::Caption), leaves(&f.id, &[BlockKind::Caption])) {
            out.push(g.into());
        }
        out
    };
    let item = |item: &ModelItem, out: &mut Vec<Node>| match item {
        ModelItem::Article(a) => {
            let mut art = TagGroup::new(Tag::Article);
            if let Some(h) = group(
                TagGroup::new(Tag::Hn(level(2), Some(plain_text(&a.headline)))),
                leaves(&a.id, &[BlockKind::Head]),
            ) {
                art.push(h);
            }
            if let Some(p) = group(TagGroup::new(Tag::P), leaves(&a.id, &[BlockKind::Body])) {
                art.push(p);
            }
            for block in &a.body {
                if let Block::Figure(f) = block {
                    for n in figure(f) {
                        art.push(n);
                    }
                }
            }
            out.push(art.into());
        }
        ModelItem::PhotoNews(f) => {
            let mut sect = TagGroup::new(Tag::Section);
            for n in figure(f) {
                sect.push(n);
            }
            out.push(sect.into());
        }
        ModelItem::Furniture(x) => {
            let mut sect = TagGroup::new(Tag::Section);
            if let Some(p) = group(TagGroup::new(Tag::P), leaves(&x.id, &[BlockKind::Furniture])) {
                sect.push(p);
            }
            for block in &x.body {
                if let Block::Figure(f) = block {
                    for n in figure(f) {
                        sect.push(n);
                    }
                }
            }
            out.push(sect.into());
        }
        ModelItem::Section(_) => {}
    };
    for edition in &b.editions {
        let mut part = TagGroup::new(Tag::Part);
        for it in &edition.items {
            if let ModelItem::Section(s) = it {
                let mut sect = TagGroup::new(Tag::Section);
                if let Some(h) = group(
                    TagGroup::new(Tag::Hn(level(1), Some(s.title.as_str().to_string()))),
                    leaves(&s.id, &[BlockKind::Banner]),
                ) {
                    sect.push(h);
                }
                let mut inner = Vec::new();
                for i in &s.items {
                    item(i, &mut inner);
                }
                for n in inner {
                    sect.push(n);
                }
                part.push(sect);
            } else {
                let mut inner = Vec::new();
                item(it, &mut inner);
                for n in inner {
                    part.push(n);
                }
            }
        }
        tree.push(part);
    }
    tree
}

/// Draw one glyph run with its baseline at `(line_x + run.x, baseline)`.
fn draw_run(surface: &mut Surface<'_>, fonts: &[Font], run: &GlyphRun, line_x: f32, baseline: f32) {
    let Some(font) = fonts.get(run.font.0) else { return };
    let size = run.size;
    // krilla wants advances and offsets in ems (divided by the size).
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.x_advance / size,
                g.x_offset / size,
                -g.y_offset / size,
                0.0,
                g.text_range.clone(),
                None,
            )
        })
        .collect();
    let start = Point::from_xy(line_x + run.x, baseline);
    if run.synthetic_bold {
        // Fake bold for one-weight fonts (requirement #5): fill and stroke the outlines.
        surface.set_fill(Some(Fill::default()));
        surface.set_stroke(Some(Stroke {
            width: size * SYNTHETIC_BOLD,
            ..Stroke::default()
        }));
        surface.draw_glyphs(start, &glyphs, font.clone(), &run.text, size, false);
        surface.set_stroke(None);
    } else {
        surface.set_fill(Some(Fill::default()));
        surface.draw_glyphs(start, &glyphs, font.clone(), &run.text, size, false);
    }
}

fn stroke_line(surface: &mut Surface<'_>, from: (f32, f32), to: (f32, f32), width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(from.0, from.1);
    pb.line_to(to.0, to.1);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            paint: luma::Color::black().into(),
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
    }
}

/// Crop marks at the four corners of the trim box, outside the bleed.
fn crop_marks(surface: &mut Surface<'_>, m: f32, w: f32, h: f32) {
    let corners = [
        (m, m, -1.0, -1.0),
        (m + w, m, 1.0, -1.0),
        (m, m + h, -1.0, 1.0),
        (m + w, m + h, 1.0, 1.0),
    ];
    for (x, y, sx, sy) in corners {
        stroke_line(
            surface,
            (x + sx * MARK_OFFSET, y),
            (x + sx * (MARK_OFFSET + MARK_LENGTH), y),
            MARK_WIDTH,
        );
        stroke_line(
            surface,
            (x, y + sy * MARK_OFFSET),
            (x, y + sy * (MARK_OFFSET + MARK_LENGTH)),
            MARK_WIDTH,
        );
    }
}

/// Title, language, date (the issue date: no wall clock, so the same input gives the same bytes).
fn metadata(b: &Bulletin) -> Metadata {
    let m = &b.meta;
    let mut title = format!("{} {}年{}月{}日", m.publication, m.date.year, m.date.month, m.date.day);
    if let Some(n) = m.issue {
        title.push_str(&format!(" 第{n}期"));
    }
    let mut md = Metadata::new()
        .title(title)
        .language(m.language.clone())
        .creator("zhiban".into())
        .producer(format!("zhiban {}", env!("CARGO_PKG_VERSION")))
        .creation_date(DateTime::new(m.date.year).month(m.date.month).day(m.date.day));
    if let Some(p) = &m.publisher {
        md = md.authors(vec![p.clone()]);
    }
    md
}

/// Bookmarks: one per edition at the first page it is set on, under it one per article part
/// start, at its head block.
fn outline(b: &Bulletin, pages: &[PageLayout], margin: f32) -> Outline {
    let mut outline = Outline::new();
    for (ei, edition) in b.editions.iter().enumerate() {
        let Some((first, first_page)) = pages.iter().enumerate().find(|(_, p)| p.edition == ei) else {
            continue;
        };
        // The bookmark names the edition as the running head of its first page does: the page
        // number (版次) there, which is the edition's own number unless an earlier edition ran
        // onto extra pages, and the edition's name.
        let number = &first_page.label;
        let title = if edition.name.is_empty() {
            format!("第{number}版")
        } else {
            format!("第{number}版 {}", edition.name)
        };
        let mut node = OutlineNode::new(title, XyzDestination::new(first, Point::from_xy(margin, margin)));
        for item in items_flat(&edition.items) {
            let (id, text) = match item {
                ModelItem::Article(a) => (a.id.as_str(), plain_text(&a.headline)),
                ModelItem::PhotoNews(f) => (f.id.as_str(), "图片新闻".to_string()),
                ModelItem::Section(s) => (s.id.as_str(), s.title.as_str().to_string()),
                ModelItem::Furniture(x) => (
                    x.id.as_str(),
                    x.title.as_ref().map_or(String::new(), |t| t.as_str().to_string()),
                ),
            };
            if text.is_empty() {
                continue;
            }
            let found = pages.iter().enumerate().find_map(|(pi, p)| {
                p.blocks
                    .iter()
                    .find(|bl| bl.owner == id && bl.kind != BlockKind::Chrome)
                    .map(|bl| (pi, bl.rect))
            });
            if let Some((pi, rect)) = found {
                let dest = XyzDestination::new(pi, Point::from_xy(margin + rect.x, margin + rect.y));
                node.push_child(OutlineNode::new(text, dest));
            }
        }
        outline.push_child(node);
    }
    outline
}
