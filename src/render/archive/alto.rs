//! ALTO 4.4 for one page, read off the layout's frames: blocks, lines and character boxes.
//!
//! Coordinates are in `inch1200` (1/1200 inch, NDNP's unit), measured from the top left corner
//! of the trim box, so a box of the frame at `x` points lies at `x × 1200 / 72`. Han characters
//! and CJK punctuation become one `String` each; runs of Latin letters and digits become one
//! `String` per word, with `SP` where the text has a space (see `docs/archive.md` for why).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use rustybuzz::ttf_parser;

use super::xml::{Tag, XmlBuilder, attrs};
use super::{ArchiveError, Context, SOFTWARE, VERSION};
use crate::layout::FontBook;
use crate::layout::flow::{BlockInfo, BlockKind, PageLayout, Rect};
use crate::layout::font::{FontFace, FontId};
use crate::layout::frame::{GlyphRun, ImageItem, Item, Line};

/// ALTO namespace (ALTO 4.x).
const ALTO_NS: &str = "http://www.loc.gov/standards/alto/ns-v4#";
/// Where the ALTO 4.4 schema is published.
const ALTO_SCHEMA: &str = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd";
/// `inch1200` units per PostScript point.
const UNITS_PER_PT: f64 = 1200.0 / 72.0;

/// One page's ALTO file and the ids its blocks got.
pub(crate) struct AltoPage {
    /// The file's bytes.
    pub(crate) bytes: Vec<u8>,
    /// For each of the page's [`BlockInfo`]s (same index), the id of its ALTO block, if it has
    /// text or images.
    pub(crate) block_ids: Vec<Option<String>>,
}

/// A box in `inch1200`, edges rounded separately so that boxes nest as the frames do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnitBox {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
}

/// Points to `inch1200`, rounded to the nearest unit (0.06 pt).
fn unit(pt: f32) -> i64 {
    // A page is at most a few thousand points, far inside i64; `as` saturates anyway.
    (f64::from(pt) * UNITS_PER_PT).round() as i64
}

impl UnitBox {
    /// The box of `x, y, width, height` points, clipped to the page.
    fn from_pt(x: f32, y: f32, width: f32, height: f32, page: UnitBox) -> UnitBox {
        UnitBox {
            left: unit(x),
            top: unit(y),
            right: unit(x + width),
            bottom: unit(y + height),
        }
        .clip(page)
    }

    fn clip(self, page: UnitBox) -> UnitBox {
        let left = self.left.clamp(page.left, page.right);
        let top = self.top.clamp(page.top, page.bottom);
        UnitBox {
            left,
            top,
            right: self.right.clamp(left, page.right),
            bottom: self.bottom.clamp(top, page.bottom),
        }
    }

    fn union(self, other: UnitBox) -> UnitBox {
        UnitBox {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }

    fn width(self) -> i64 {
        self.right - self.left
    }

    fn height(self) -> i64 {
        self.bottom - self.top
    }
}

/// What distinguishes one ALTO `TextStyle` from another: font, size in 1/100 pt, bold.
type StyleKey = (usize, i64, bool);

fn style_key(run: &GlyphRun, book: &FontBook) -> StyleKey {
    let bold = run.synthetic_bold || book.get(run.font).is_some_and(|f| f.is_bold);
    (run.font.0, (f64::from(run.size) * 100.0).round() as i64, bold)
}

/// A `String` or an `SP` of a line, in points from the page's left edge.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    /// Text: one Han character or punctuation mark, or one Latin word (borrowed from the run
    /// unless the word joins several clusters).
    Word {
        text: Cow<'a, str>,
        left: f32,
        right: f32,
        style: StyleKey,
        /// Whether more Latin letters may join it.
        latin: bool,
    },
    /// White space between words.
    Space { left: f32, right: f32 },
}

/// Whether a cluster is part of a Latin-script word (letters, digits, ASCII punctuation): those
/// are grouped into words as NDNP asks; everything from U+2000 on (general punctuation,
/// CJK symbols and punctuation, Han, fullwidth forms) stands alone.
fn is_latin(text: &str) -> bool {
    text.chars().all(|c| !c.is_whitespace() && u32::from(c) < 0x2000)
}

/// A cluster of a run: its source bytes, pen position and advance, in points.
type Cluster = (Range<usize>, f32, f32);

/// The words and spaces of a line, left to right, without leading or trailing spaces.
fn tokens<'a>(line: &'a Line, book: &FontBook) -> Vec<Token<'a>> {
    // At most one token per glyph: one allocation per line.
    let mut out: Vec<Token<'a>> = Vec::with_capacity(line.runs.iter().map(|r| r.glyphs.len()).sum());
    for run in &line.runs {
        let style = style_key(run, book);
        // Glyphs of one cluster (same source bytes) share one box.
        let mut cluster: Option<Cluster> = None;
        for (x, glyph) in run.positions() {
            match &mut cluster {
                Some(c) if c.0 == glyph.text_range => c.2 += glyph.x_advance,
                _ => {
                    let next = (glyph.text_range.clone(), x, glyph.x_advance);
                    if let Some(done) = cluster.replace(next) {
                        push_cluster(&mut out, line, run, done, style);
                    }
                }
            }
        }
        if let Some(done) = cluster {
            push_cluster(&mut out, line, run, done, style);
        }
    }
    while matches!(out.last(), Some(Token::Space { .. })) {
        out.pop();
    }
    let lead = out.iter().take_while(|t| matches!(t, Token::Space { .. })).count();
    out.drain(..lead);
    out
}

/// Adds the cluster `(range, x, width)` of `run` to the line's tokens: a space (joining the
/// space before), a Latin cluster joining the word before, or a token of its own.
fn push_cluster<'a>(out: &mut Vec<Token<'a>>, line: &Line, run: &'a GlyphRun, cluster: Cluster, style: StyleKey) {
    let (range, x, width) = cluster;
    let Some(text) = run.text.get(range) else { return };
    if text.is_empty() {
        return;
    }
    let left = line.x + x;
    let right = left + width;
    if text.chars().all(char::is_whitespace) {
        match out.last_mut() {
            Some(Token::Space { right: r, .. }) => *r = right,
            _ => out.push(Token::Space { left, right }),
        }
        return;
    }
    let latin = is_latin(text);
    if let Some(Token::Word {
        text: t,
        right: r,
        style: s,
        latin: true,
        ..
    }) = out.last_mut()
        && latin
        && *s == style
    {
        t.to_mut().push_str(text);
        *r = right;
        return;
    }
    out.push(Token::Word {
        text: Cow::Borrowed(text),
        left,
        right,
        style,
        latin,
    });
}

/// A line ready to write: its box and tokens.
struct LineOut<'a> {
    bounds: UnitBox,
    tokens: Vec<Token<'a>>,
}

/// One ALTO block to write: a text block, an illustration, or both in a composed block.
struct BlockOut<'a> {
    id: String,
    tag: &'static str,
    bounds: UnitBox,
    lines: Vec<LineOut<'a>>,
    images: Vec<&'a ImageItem>,
}

/// Structure tags, one per block kind: `(id, label, description)`.
fn tag_of(kind: BlockKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        BlockKind::Header | BlockKind::Chrome => ("TAG_chrome", "chrome", "masthead, running head, folio, jump lines"),
        BlockKind::Banner => ("TAG_banner", "banner", "section banner (栏目)"),
        BlockKind::Head => (
            "TAG_head",
            "head",
            "kicker, headline, subtitles and bylines of an article",
        ),
        BlockKind::Body => ("TAG_body", "body", "article body text, one block per column and page"),
        BlockKind::Image => ("TAG_image", "photo", "a photo"),
        BlockKind::Caption => ("TAG_caption", "caption", "caption and credit of a photo"),
        BlockKind::Furniture => ("TAG_furniture", "furniture", "notice or subscription box"),
    }
}

/// The ALTO `LANG` of the issue: a BCP 47 tag with the script made explicit for Chinese, which
/// `docs/cjk-requirements.md` asks for (zh-Hans); `zh-CN` becomes `zh-Hans-CN`.
pub(crate) fn alto_lang(language: &str) -> String {
    let mut parts = language.split('-');
    let lang = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    if !lang.eq_ignore_ascii_case("zh") || rest.iter().any(|p| p.len() == 4) {
        return language.to_string();
    }
    let script = if crate::model::Convention::of(language).is_traditional() {
        "Hant"
    } else {
        "Hans"
    };
    let mut tag = format!("zh-{script}");
    for p in rest {
        tag.push('-');
        tag.push_str(p);
    }
    tag
}

/// The family name a font declares (typographic family, else family), else its file stem.
pub(crate) fn family_name(face: &FontFace) -> String {
    let Ok(parsed) = ttf_parser::Face::parse(&face.data, face.index) else {
        return face.name.clone();
    };
    let find = |id: u16| {
        parsed
            .names()
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| find(ttf_parser::name_id::FAMILY))
        .unwrap_or_else(|| face.name.clone())
}

/// Collects the ALTO blocks of a page from its frame and block map.
fn collect_blocks<'a>(
    cx: &Context<'_>,
    index: usize,
    layout: &'a PageLayout,
    page: UnitBox,
) -> (Vec<BlockOut<'a>>, Vec<Option<String>>) {
    let items = &layout.page.frame.items;
    let mut covered = vec![false; items.len()];
    let mut blocks = Vec::new();
    let mut ids = Vec::new();
    let prefix = format!("P{}", index + 1);
    let make_line = |line: &'a Line| -> Option<LineOut<'a>> {
        let tokens = tokens(line, cx.book);
        let (first, last) = (tokens.first()?, tokens.last()?);
        let left = match first {
            Token::Word { left, .. } | Token::Space { left, .. } => *left,
        };
        let right = match last {
            Token::Word { right, .. } | Token::Space { right, .. } => *right,
        };
        let bounds = UnitBox::from_pt(
            left,
            line.y - line.ascent,
            right - left,
            line.ascent + line.descent,
            page,
        );
        Some(LineOut { bounds, tokens })
    };
    let mut add =
        |id: String, tag: &'static str, rect: Option<Rect>, range: std::ops::Range<usize>, covered: &mut Vec<bool>| {
            let mut lines = Vec::new();
            let mut images = Vec::new();
            for i in range {
                let Some(item) = items.get(i) else { continue };
                if let Some(c) = covered.get_mut(i) {
                    *c = true;
                }
                match item {
                    Item::Line(line) => lines.extend(make_line(line)),
                    Item::Image(img) => images.push(img),
                    Item::Rule(_) | Item::Start(_) | Item::End => {}
                }
            }
            if lines.is_empty() && images.is_empty() {
                return None;
            }
            let mut bounds: Option<UnitBox> = rect.map(|r| UnitBox::from_pt(r.x, r.y, r.width, r.height, page));
            let boxes = lines.iter().map(|l| l.bounds).chain(
                images
                    .iter()
                    .map(|m| UnitBox::from_pt(m.x, m.y, m.width, m.height, page)),
            );
            for b in boxes {
                bounds = Some(bounds.map_or(b, |a| a.union(b)));
            }
            let bounds = bounds?;
            blocks.push(BlockOut {
                id: id.clone(),
                tag,
                bounds,
                lines,
                images,
            });
            Some(id)
        };
    for (bi, block) in layout.blocks().into_iter().enumerate() {
        let BlockInfo {
            kind,
            items: range,
            rect,
            ..
        } = block;
        let id = format!("{prefix}_B{}", bi + 1);
        ids.push(add(id, tag_of(kind).0, Some(rect), range, &mut covered));
    }
    // Text outside every tagged group still belongs on the page (ALTO text = PDF text).
    let loose: Vec<usize> = covered
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !c && !matches!(items.get(i), Some(Item::Start(_) | Item::End)))
        .map(|(i, _)| i)
        .collect();
    for (n, i) in loose.into_iter().enumerate() {
        add(
            format!("{prefix}_X{}", n + 1),
            tag_of(BlockKind::Chrome).0,
            None,
            i..i + 1,
            &mut covered,
        );
    }
    (blocks, ids)
}

/// Room for a page's ALTO header (description, styles, tags), in bytes; with [`TOKEN_BYTES`], an
/// estimate of the file's size that saves regrowing (and copying) its buffer.
const HEADER_BYTES: usize = 16 * 1024;
/// Bytes of ALTO per `String` or `SP`, its share of lines and blocks included: a little more than
/// the sample's pages take (about 90).
const TOKEN_BYTES: usize = 96;

/// Writes the ALTO file of page `index` (from 0).
pub(crate) fn render_alto(cx: &Context<'_>, index: usize, layout: &PageLayout) -> Result<AltoPage, ArchiveError> {
    let frame = &layout.page.frame;
    let page = UnitBox {
        left: 0,
        top: 0,
        right: unit(frame.width).max(1),
        bottom: unit(frame.height).max(1),
    };
    let (blocks, block_ids) = collect_blocks(cx, index, layout, page);
    let lang = alto_lang(&cx.bulletin.meta.language);

    // Styles used on the page, numbered from 1 in a fixed order.
    let mut styles: BTreeMap<StyleKey, usize> = BTreeMap::new();
    for block in &blocks {
        for line in &block.lines {
            for t in &line.tokens {
                if let Token::Word { style, .. } = t {
                    styles.entry(*style).or_default();
                }
            }
        }
    }
    for (n, id) in styles.values_mut().enumerate() {
        *id = n + 1;
    }
    let mut tags: Vec<&'static str> = blocks.iter().map(|b| b.tag).collect();
    tags.sort_unstable();
    tags.dedup();

    let tokens: usize = blocks.iter().flat_map(|b| &b.lines).map(|l| l.tokens.len()).sum();
    let mut x = XmlBuilder::with_capacity(HEADER_BYTES + tokens * TOKEN_BYTES);
    x.start(
        "alto",
        &attrs![
            "xmlns" => ALTO_NS,
            "xmlns:xlink" => "http://www.w3.org/1999/xlink",
            "xmlns:xsi" => "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation" => format!("{ALTO_NS} {ALTO_SCHEMA}"),
        ],
    );
    x.start("Description", &[]);
    x.text("MeasurementUnit", &[], "inch1200");
    x.start("sourceImageInformation", &[]);
    x.text("fileName", &[], &format!("{}#page={}", cx.pdf_name, index + 1));
    x.end();
    x.start("Processing", &attrs!["ID" => "PROC1"]);
    x.text("processingCategory", &[], "contentGeneration");
    x.text("processingDateTime", &[], &cx.stamp.date_time());
    x.text(
        "processingStepDescription",
        &[],
        "typeset from markup; coordinates are the layout's own, not OCR, measured from the top left corner of the PDF page's TrimBox (the MediaBox adds the bleed on every side)",
    );
    x.start("processingSoftware", &[]);
    x.text("softwareName", &[], SOFTWARE);
    x.text("softwareVersion", &[], VERSION);
    x.end();
    x.end();
    x.end();

    if !styles.is_empty() {
        x.start("Styles", &[]);
        for ((font, size, bold), n) in &styles {
            let id = format!("{STYLE_PREFIX}{n}");
            let family = cx
                .book
                .get(FontId(*font))
                .map_or_else(|| format!("font {font}"), family_name);
            let size = *size as f64 / 100.0;
            if *bold {
                x.empty(
                    "TextStyle",
                    &attrs!["ID" => id, "FONTFAMILY" => family, "FONTSIZE" => size, "FONTSTYLE" => "bold"],
                );
            } else {
                x.empty(
                    "TextStyle",
                    &attrs!["ID" => id, "FONTFAMILY" => family, "FONTSIZE" => size],
                );
            }
        }
        x.end();
    }
    if !tags.is_empty() {
        x.start("Tags", &[]);
        for kind in [
            BlockKind::Chrome,
            BlockKind::Banner,
            BlockKind::Head,
            BlockKind::Body,
            BlockKind::Image,
            BlockKind::Caption,
            BlockKind::Furniture,
        ] {
            let (id, label, description) = tag_of(kind);
            if tags.contains(&id) {
                x.empty(
                    "StructureTag",
                    &attrs!["ID" => id, "LABEL" => label, "DESCRIPTION" => description],
                );
            }
        }
        x.end();
    }

    x.start("Layout", &[]);
    x.start(
        "Page",
        &attrs![
            "ID" => format!("P{}", index + 1),
            "PHYSICAL_IMG_NR" => index + 1,
            "PRINTED_IMG_NR" => layout.label,
            "WIDTH" => page.width(),
            "HEIGHT" => page.height(),
            "LANG" => lang,
        ],
    );
    let print_space = blocks.iter().map(|b| b.bounds).reduce(UnitBox::union).unwrap_or(page);
    with_box(x.tag("PrintSpace"), print_space).open();
    for block in &blocks {
        write_block(&mut x, block, &styles, &lang, cx);
    }
    x.end(); // PrintSpace
    x.end(); // Page
    x.end(); // Layout
    x.end(); // alto
    Ok(AltoPage {
        bytes: x.finish()?,
        block_ids,
    })
}

/// `tag` followed by `HPOS`, `VPOS`, `WIDTH`, `HEIGHT` of `b`.
fn with_box(tag: Tag<'_>, b: UnitBox) -> Tag<'_> {
    tag.int("HPOS", b.left)
        .int("VPOS", b.top)
        .int("WIDTH", b.width())
        .int("HEIGHT", b.height())
}

/// Writes one block: a `TextBlock`, an `Illustration`, or a `ComposedBlock` holding both.
fn write_block(
    x: &mut XmlBuilder,
    block: &BlockOut<'_>,
    styles: &BTreeMap<StyleKey, usize>,
    lang: &str,
    cx: &Context<'_>,
) {
    let page = block.bounds;
    let composed = !block.lines.is_empty() && !block.images.is_empty() || block.images.len() > 1;
    if composed {
        let tag = x
            .tag("ComposedBlock")
            .attr("ID", &block.id)
            .attr("TAGREFS", block.tag)
            .attr("TYPE", block.tag.trim_start_matches("TAG_"));
        with_box(tag, page).open();
    }
    if !block.lines.is_empty() {
        let id = if composed {
            Cow::Owned(format!("{}_T", block.id))
        } else {
            Cow::Borrowed(block.id.as_str())
        };
        let bounds = block
            .lines
            .iter()
            .map(|l| l.bounds)
            .reduce(UnitBox::union)
            .unwrap_or(page);
        let tag = x
            .tag("TextBlock")
            .attr("ID", &id)
            .attr("TAGREFS", block.tag)
            .attr("LANG", lang);
        with_box(tag, bounds).open();
        let line_prefix = format!("{id}_L");
        for (n, line) in block.lines.iter().enumerate() {
            write_line(x, line, &line_prefix, n + 1, styles);
        }
        x.end();
    }
    for (n, img) in block.images.iter().enumerate() {
        let bounds = UnitBox::from_pt(img.x, img.y, img.width, img.height, page);
        let tag = x.tag("Illustration");
        let tag = if composed {
            tag.numbered("ID", &format!("{}_I", block.id), n + 1)
        } else {
            tag.attr("ID", &block.id)
        };
        let mut tag = tag.attr("TAGREFS", tag_of(BlockKind::Image).0).attr("TYPE", "photo");
        if let Some(file) = cx.photo_id(&img.key) {
            tag = tag.attr("FILEID", file);
        }
        with_box(tag, bounds).empty();
    }
    if composed {
        x.end();
    }
}

/// Prefix of the `TextStyle` ids: `TS1`, `TS2`, ….
const STYLE_PREFIX: &str = "TS";

/// The left and right edge of the box of `left..right` points within `b`, rounded and clipped
/// as [`UnitBox::from_pt`] does.
fn span(left: f32, right: f32, b: UnitBox) -> (i64, i64) {
    let l = unit(left).clamp(b.left, b.right);
    // `left + width`, as `from_pt` computes the right edge, which need not equal `right` in f32.
    let r = unit(left + (right - left)).clamp(l, b.right);
    (l, r)
}

/// Writes the `TextLine` number `n` (from 1) of a block with its `String`s and `SP`s; its id is
/// `{prefix}{n}`.
fn write_line(x: &mut XmlBuilder, line: &LineOut<'_>, prefix: &str, n: usize, styles: &BTreeMap<StyleKey, usize>) {
    let b = line.bounds;
    let line_style = line.tokens.iter().find_map(|t| match t {
        Token::Word { style, .. } => Some(*style),
        Token::Space { .. } => None,
    });
    let mut tag = x.tag("TextLine").numbered("ID", prefix, n);
    if let Some(s) = line_style.and_then(|s| styles.get(&s)) {
        tag = tag.numbered("STYLEREFS", STYLE_PREFIX, *s);
    }
    with_box(tag, b).open();
    for t in &line.tokens {
        match t {
            Token::Word {
                text,
                left,
                right,
                style,
                ..
            } => {
                let (l, r) = span(*left, *right, b);
                let mut tag = x
                    .tag("String")
                    .attr("CONTENT", text)
                    .int("HPOS", l)
                    .int("VPOS", b.top)
                    .int("WIDTH", r - l)
                    .int("HEIGHT", b.height());
                if Some(*style) != line_style
                    && let Some(s) = styles.get(style)
                {
                    tag = tag.numbered("STYLEREFS", STYLE_PREFIX, *s);
                }
                tag.empty();
            }
            Token::Space { left, right } => {
                let (l, r) = span(*left, *right, b);
                x.tag("SP")
                    .int("HPOS", l)
                    .int("VPOS", b.top)
                    .int("WIDTH", r - l)
                    .empty();
            }
        }
    }
    x.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::frame::Glyph;

    #[test]
    fn chinese_gets_an_explicit_script() {
        assert_eq!(alto_lang("zh-CN"), "zh-Hans-CN");
        assert_eq!(alto_lang("zh"), "zh-Hans");
        assert_eq!(alto_lang("zh-TW"), "zh-Hant-TW");
        assert_eq!(alto_lang("zh-Hant-HK"), "zh-Hant-HK");
        assert_eq!(alto_lang("en-GB"), "en-GB");
    }

    /// A line of one run, one glyph per character, each `advance` points wide.
    fn line(text: &str, advance: f32) -> Line {
        let glyphs = text
            .char_indices()
            .map(|(i, c)| Glyph {
                id: 1,
                x_advance: advance,
                x_offset: 0.0,
                y_offset: 0.0,
                text_range: i..i + c.len_utf8(),
            })
            .collect();
        Line {
            x: 10.0,
            y: 20.0,
            width: 0.0,
            hang: 0.0,
            ascent: 8.0,
            descent: 2.0,
            height: 12.0,
            text_range: 0..text.len(),
            runs: vec![GlyphRun {
                font: FontId(0),
                size: 10.0,
                x: 0.0,
                glyphs,
                text: text.to_string(),
                text_range: 0..text.len(),
                synthetic_bold: false,
            }],
        }
    }

    #[test]
    fn han_characters_stand_alone_and_latin_words_group() {
        let line = line(" 共44.5亿元，GDP up ", 5.0);
        let tokens = tokens(&line, &FontBook::new());
        let words: Vec<String> = tokens
            .iter()
            .map(|t| match t {
                Token::Word { text, .. } => text.to_string(),
                Token::Space { .. } => " ".into(),
            })
            .collect();
        assert_eq!(words, ["共", "44.5", "亿", "元", "，", "GDP", " ", "up"]);
        // Boxes follow the pens: `44.5` starts after the leading space and 共.
        let Token::Word { left, right, .. } = &tokens[1] else {
            panic!("a word")
        };
        assert_eq!((*left, *right), (20.0, 40.0));
    }

    #[test]
    fn units_round_each_edge() {
        let page = UnitBox {
            left: 0,
            top: 0,
            right: 10_000,
            bottom: 10_000,
        };
        let b = UnitBox::from_pt(72.0, 36.0, 0.06, 700.0, page);
        assert_eq!((b.left, b.top, b.width(), b.bottom), (1200, 600, 1, 10_000));
        assert_eq!(span(72.0, 72.06, page), (b.left, b.right));
        assert_eq!(span(-5.0, 1e6, page), (0, 10_000));
    }
}
