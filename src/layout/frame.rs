//! Positioned output of layout: lines of shaped glyph runs, images and rules on frames and pages.
//!
//! Everything here is final: the PDF renderer draws it and the archive writer reads coordinates
//! from it, and neither measures text again. Units are PostScript points, the origin is the top
//! left corner of the frame, y grows downwards, and a line's `y` is its baseline (the PDF writer
//! flips y into PDF user space).

use std::fmt::Write as _;
use std::ops::Range;

use super::font::FontId;

/// One glyph of a run, positioned relative to the pen.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// How far the pen moves after this glyph, in points; includes punctuation compression and
    /// justification, so a renderer simply adds it up.
    pub x_advance: f32,
    /// Horizontal displacement of the outline from the pen, in points.
    pub x_offset: f32,
    /// Vertical displacement of the outline, in points, positive upwards (font convention).
    pub y_offset: f32,
    /// The bytes of [`GlyphRun::text`] this glyph renders (its shaping cluster).
    pub text_range: Range<usize>,
}

/// Consecutive glyphs of one font, size and style on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// The font, an index into the [`FontBook`](super::FontBook).
    pub font: FontId,
    /// Font size in points.
    pub size: f32,
    /// Pen position of the first glyph, relative to the line's `x`.
    pub x: f32,
    /// The glyphs in visual (= logical, horizontal text) order.
    pub glyphs: Vec<Glyph>,
    /// The source text the glyphs render; glyph text ranges index into it.
    pub text: String,
    /// Where [`GlyphRun::text`] lies in the paragraph text.
    pub text_range: Range<usize>,
    /// Whether the renderer must embolden the outlines (stroke), because the role asks for bold
    /// and the font has no bold weight.
    pub synthetic_bold: bool,
}

impl GlyphRun {
    /// Total advance of the run in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum()
    }

    /// Each glyph with its pen position relative to the line's `x` (for ALTO boxes or hit
    /// testing; a PDF renderer simply starts at [`GlyphRun::x`] and adds advances).
    pub fn positions(&self) -> impl Iterator<Item = (f32, &Glyph)> + '_ {
        self.glyphs.iter().scan(self.x, |pen, g| {
            let at = *pen;
            *pen += g.x_advance;
            Some((at, g))
        })
    }
}

/// One composed line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Left edge of the line box (the measure's start), in points.
    pub x: f32,
    /// Baseline position, in points.
    pub y: f32,
    /// The width the text occupies: the measure for justified lines, the natural width otherwise.
    pub width: f32,
    /// Width of a `、，。` hung past the line's end (clreq §3.1.7, P5; 0 if none). Its glyph is the
    /// line's last, so the runs' advances add up to `width + hang`.
    pub hang: f32,
    /// Distance from the baseline to the top of the ideographic em box, in points.
    pub ascent: f32,
    /// Distance from the baseline to the bottom of the em box, in points (positive).
    pub descent: f32,
    /// Line pitch (baseline to next baseline), in points.
    pub height: f32,
    /// The bytes of the paragraph text on this line, trailing spaces included; the lines of a
    /// paragraph cover its text in order without gaps or overlaps.
    pub text_range: Range<usize>,
    /// The glyph runs, left to right.
    pub runs: Vec<GlyphRun>,
}

/// The horizontal extent of one source cluster (a character, or a ligature's characters) on a
/// line, for archive coordinates (ALTO) and hit testing.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterBox {
    /// The cluster's bytes in the paragraph text.
    pub text_range: Range<usize>,
    /// Left edge of the pen, relative to the line's `x`, in points.
    pub x: f32,
    /// Advance of the cluster's glyphs, in points (compression and justification included).
    pub width: f32,
}

impl Line {
    /// The source text of the line's glyphs, run by run.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// One box per source cluster, left to right; glyphs of one cluster share a box.
    pub fn cluster_boxes(&self) -> Vec<ClusterBox> {
        let mut boxes: Vec<ClusterBox> = Vec::new();
        for run in &self.runs {
            for (x, glyph) in run.positions() {
                let range = run.text_range.start + glyph.text_range.start..run.text_range.start + glyph.text_range.end;
                match boxes.last_mut() {
                    Some(last) if last.text_range == range => last.width += glyph.x_advance,
                    _ => boxes.push(ClusterBox {
                        text_range: range,
                        x,
                        width: glyph.x_advance,
                    }),
                }
            }
        }
        boxes
    }

    /// Moves the line by `dx`, `dy` points.
    pub fn translate(&mut self, dx: f32, dy: f32) {
        self.x += dx;
        self.y += dy;
    }
}

/// A raster or vector image placed on a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageItem {
    /// Key of the image in the document's media (a model id or file name).
    pub key: String,
    /// Left edge, in points.
    pub x: f32,
    /// Top edge, in points.
    pub y: f32,
    /// Width, in points.
    pub width: f32,
    /// Height, in points.
    pub height: f32,
}

/// A straight rule (line) between two points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Start point `(x, y)`, in points.
    pub from: (f32, f32),
    /// End point `(x, y)`, in points.
    pub to: (f32, f32),
    /// Stroke thickness in points; print shops ask for at least 0.2 pt.
    pub thickness: f32,
}

/// What a block of items on a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    /// The masthead or running head that opens a page: text zhiban adds, not in the model.
    Header,
    /// Folio, jump lines, rules: other text and lines zhiban adds.
    Chrome,
    /// A section banner (栏目).
    Banner,
    /// Kicker, headline, subtitles and bylines of an article.
    Head,
    /// Body text of one column of an article part.
    Body,
    /// A photo.
    Image,
    /// A photo's caption and credit.
    Caption,
    /// A furniture box (notice, subscription box).
    Furniture,
}

impl BlockKind {
    /// Whether the block is text or lines zhiban adds (a header or other chrome), not the
    /// model's.
    pub fn is_chrome(self) -> bool {
        matches!(self, BlockKind::Header | BlockKind::Chrome)
    }
}

/// A rectangle in page coordinates (points, y down from the top of the trim box).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// The start of a group of items that show one element (Typst's `FrameItem::Tag`): what the
/// group is, for the renderers that tag or describe content (PDF structure, ALTO, METS).
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The model id of the element (`e1-a3`, `e1-f1`, `e2-s1`), or `chrome` for added text.
    pub owner: String,
    /// What the items are.
    pub kind: BlockKind,
    /// The area the group covers.
    pub rect: Rect,
    /// For articles: 1 on the page where it starts, 2 … on continuation pages.
    pub part: u32,
    /// For body text: index of the article body block (paragraph, subhead …) its first line
    /// belongs to, so that other outputs can mark where a print page starts.
    pub block: Option<usize>,
}

/// Something placed on a frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text.
    Line(Line),
    /// An image.
    Image(ImageItem),
    /// A rule.
    Rule(Rule),
    /// The start of a group of items that show one element; it ends at the next [`Item::End`]
    /// (groups do not nest).
    Start(Tag),
    /// The end of the open group.
    End,
}

/// A rectangle of positioned items; a page's content, or a column before it is placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The items in drawing (and reading) order.
    pub items: Vec<Item>,
}

impl Frame {
    /// An empty frame of the given size.
    pub fn new(width: f32, height: f32) -> Self {
        Frame {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// Adds lines, moved by `dx`, `dy` points.
    pub fn push_lines(&mut self, lines: impl IntoIterator<Item = Line>, dx: f32, dy: f32) {
        for mut line in lines {
            line.translate(dx, dy);
            self.items.push(Item::Line(line));
        }
    }
}

/// One printed page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Page number, from 1.
    pub number: u32,
    /// The page content; its size is the page (trim) size.
    pub frame: Frame,
}

/// A plain-text listing of pages for golden files: one row per line, image and rule.
///
/// Rows read `line x y width [start..end] | font size x "text" | …`, with coordinates rounded to
/// 0.01 pt so that the dump is stable across platforms.
pub fn dump(pages: &[Page]) -> String {
    let mut out = String::new();
    for page in pages {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "page {} {:.2}x{:.2}",
            page.number, page.frame.width, page.frame.height
        );
        for item in &page.frame.items {
            dump_item(&mut out, item);
        }
    }
    out
}

/// Appends the dump row of one item.
fn dump_item(out: &mut String, item: &Item) {
    match item {
        Item::Line(line) => {
            let _ = write!(
                out,
                "  line {:.2} {:.2} {:.2} [{}..{}]",
                line.x, line.y, line.width, line.text_range.start, line.text_range.end
            );
            if line.hang > 0.0 {
                let _ = write!(out, " hang {:.2}", line.hang);
            }
            for run in &line.runs {
                let bold = if run.synthetic_bold { " bold" } else { "" };
                let _ = write!(
                    out,
                    " | f{} {:.2}{} {:.2} {:?}",
                    run.font.0, run.size, bold, run.x, run.text
                );
            }
            out.push('\n');
        }
        Item::Image(img) => {
            let _ = writeln!(
                out,
                "  image {:.2} {:.2} {:.2}x{:.2} {}",
                img.x, img.y, img.width, img.height, img.key
            );
        }
        Item::Rule(rule) => {
            let _ = writeln!(
                out,
                "  rule {:.2} {:.2} -> {:.2} {:.2} {:.2}",
                rule.from.0, rule.from.1, rule.to.0, rule.to.1, rule.thickness
            );
        }
        // The golden format lists what is drawn; what it means is the blocks' business.
        Item::Start(_) | Item::End => {}
    }
}
