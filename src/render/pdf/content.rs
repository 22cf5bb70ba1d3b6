//! Page content streams (ISO 32000-1 §8, §9.4) from the layout's frames. Every frame item is one
//! marked-content sequence (§14.6): model text and photos carry an `/MCID` that the structure
//! tree points at (§14.7.4); masthead, folios, jump lines, rules and crop marks are artifacts
//! (§14.8.2.2), outside the logical structure.
//!
//! Glyphs are shown by CID with `TJ`. The advances the layout chose rarely equal the font's:
//! justification spreads a line's glyphs evenly, so each run sets the spread they share as
//! character spacing (`Tc`, §9.3.2) and writes a `TJ` adjustment only for a glyph whose advance
//! differs from that. A cluster of several glyphs, or a glyph the ToUnicode CMap already maps to
//! other text, is wrapped in an `/ActualText` span (§14.9.4), so text extraction gives back
//! exactly the characters that were set.

use std::collections::BTreeSet;
use std::ops::Range;

use super::fonts::FontPlan;
use super::ops::Ops;
use crate::layout::flow::{BlockKind, PageLayout};
use crate::layout::frame::{Glyph, GlyphRun, ImageItem, Item, Line, Rule};

/// Stroke width of synthetic bold, as a fraction of the font size.
const SYNTHETIC_BOLD: f32 = 0.03;
/// Thinnest rule drawn, in points (hairlines vanish on plates).
const MIN_RULE: f32 = 0.25;

/// Where the page sits on the sheet: the frame's top left corner is `margin` points in from the
/// sheet's top left, and the sheet is `sheet_height` points tall.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placement {
    pub(super) margin: f32,
    pub(super) sheet_height: f32,
}

impl Placement {
    /// PDF user space (y up from the sheet's bottom) of frame point `(x, y)` (y down).
    fn at(self, x: f32, y: f32) -> (f32, f32) {
        (self.margin + x, self.sheet_height - self.margin - y)
    }
}

/// One page's content stream and what it refers to.
pub(super) struct PageContent {
    /// The content stream, unfiltered.
    pub(super) bytes: Vec<u8>,
    /// Fonts (indices into the book) the page shows.
    pub(super) fonts: BTreeSet<usize>,
    /// Images (indices into the document's image list) the page draws.
    pub(super) images: BTreeSet<usize>,
    /// For each marked-content id, in order from 0: the index of the block (in
    /// `PageLayout::blocks`) whose content it is.
    pub(super) marked: Vec<usize>,
}

/// What one frame item is to the logical structure.
enum Mark {
    /// Content of the block with this index.
    Content(usize),
    /// The masthead or running head.
    Header,
    /// Other text zhiban added: folios, jump lines.
    Pagination,
    /// Rules and marks.
    Layout,
}

/// Writes the content stream of `layout`. `fonts` are the plans of the book's faces (`None` for
/// a face no page uses); `image_index` finds an image's index by its key.
pub(super) fn page_content(
    layout: &PageLayout,
    fonts: &[Option<FontPlan>],
    image_index: &dyn Fn(&str) -> Option<usize>,
    place: Placement,
    marks: bool,
) -> PageContent {
    let frame = &layout.page.frame;
    let mut out = PageContent {
        bytes: Vec::new(),
        fonts: BTreeSet::new(),
        images: BTreeSet::new(),
        marked: Vec::new(),
    };
    let mut c = Ops::default();
    let mut state = TextState::default();
    c.gray(0.0, 0.0);
    // The open group's block index (its place among the page's groups) and kind.
    let mut group: Option<(usize, BlockKind)> = None;
    let mut groups = 0;
    for item in &frame.items {
        let mark = match (group, item) {
            (_, Item::Start(tag)) => {
                group = Some((groups, tag.kind));
                groups += 1;
                continue;
            }
            (_, Item::End) => {
                group = None;
                continue;
            }
            (Some((b, kind)), Item::Line(_) | Item::Image(_)) if !kind.is_chrome() => Mark::Content(b),
            (Some((_, BlockKind::Header)), Item::Line(_)) => Mark::Header,
            (_, Item::Line(_)) => Mark::Pagination,
            _ => Mark::Layout,
        };
        match mark {
            Mark::Content(b) => {
                let tag: &[u8] = if matches!(item, Item::Image(_)) {
                    b"Figure"
                } else {
                    b"Span"
                };
                c.begin_mcid(tag, out.marked.len());
                out.marked.push(b);
            }
            Mark::Header => c.begin_artifact(b"/Type/Pagination/Subtype/Header/Attached[/Top]"),
            Mark::Pagination => c.begin_artifact(b"/Type/Pagination"),
            Mark::Layout => c.begin_artifact(b"/Type/Layout"),
        }
        match item {
            Item::Line(line) => line_content(&mut c, &mut state, line, fonts, place, &mut out.fonts),
            Item::Image(img) => {
                if let Some(k) = image_index(&img.key) {
                    image_content(&mut c, img, k, place);
                    out.images.insert(k);
                }
            }
            Item::Rule(rule) => rule_content(&mut c, rule, place),
            Item::Start(_) | Item::End => {}
        }
        c.end_marked();
    }
    if marks {
        c.begin_artifact(b"/Type/Layout");
        crop_marks(&mut c, place, frame.width, frame.height);
        c.end_marked();
    }
    out.bytes = c.finish();
    out
}

/// Text state that lasts across text objects (§9.3.1): written only when it changes.
#[derive(Default)]
struct TextState {
    char_spacing: f32,
    bold: bool,
    /// Where the text line matrix stands in the current text object, as written (`BT` resets
    /// it; `Td` moves it relative to itself, §9.4.2).
    origin: (f64, f64),
}

/// Shows the runs of one line, baseline at `line.y`.
fn line_content(
    c: &mut Ops,
    state: &mut TextState,
    line: &Line,
    fonts: &[Option<FontPlan>],
    place: Placement,
    used: &mut BTreeSet<usize>,
) {
    let runs: Vec<(&GlyphRun, &FontPlan)> = line
        .runs
        .iter()
        .filter(|r| !r.glyphs.is_empty())
        .filter_map(|r| Some((r, fonts.get(r.font.0)?.as_ref()?)))
        .collect();
    if runs.is_empty() {
        return;
    }
    c.begin_text();
    state.origin = (0.0, 0.0);
    for (run, plan) in runs {
        used.insert(run.font.0);
        run_content(c, state, run, plan, line.x, line.y, place);
    }
    c.end_text();
}

/// Each glyph of `run`, whether it begins a cluster (glyphs of one cluster share a text
/// range), and the text the cluster stands for on its first glyph ("" on the later ones).
pub(super) fn glyph_texts(run: &GlyphRun) -> impl Iterator<Item = (&Glyph, bool, &str)> + '_ {
    let mut previous = None;
    run.glyphs.iter().map(move |g| {
        let first = previous != Some(&g.text_range);
        previous = Some(&g.text_range);
        let text = if first {
            run.text.get(g.text_range.clone()).unwrap_or("")
        } else {
            ""
        };
        (g, first, text)
    })
}

/// One glyph as the content stream shows it.
struct Shown<'a> {
    /// Glyph id in the font, and in the subset.
    gid: u16,
    cid: u16,
    /// The layout's advance minus the font's, in points.
    extra: f32,
    x_offset: f32,
    y_offset: f32,
    /// The text the glyph's cluster stands for, on the cluster's first glyph only.
    text: &'a str,
}

/// Shows one run with its pen starting at `line_x + run.x` on baseline `baseline`.
fn run_content(
    c: &mut Ops,
    state: &mut TextState,
    run: &GlyphRun,
    plan: &FontPlan,
    line_x: f32,
    baseline: f32,
    place: Placement,
) {
    let size = run.size;
    if size <= 0.0 {
        return;
    }
    let mut shown = Vec::with_capacity(run.glyphs.len());
    // The glyph range of each cluster.
    let mut clusters: Vec<Range<usize>> = Vec::new();
    for (i, (g, first, text)) in glyph_texts(run).enumerate() {
        match clusters.last_mut() {
            Some(last) if !first => last.end = i + 1,
            _ => clusters.push(i..i + 1),
        }
        let cid = plan.cid(g.id);
        // What the subset's outline already carries is not drawn again (what rounding the move
        // to font units leaves, under a thousandth of an em, is not a displacement).
        let (mx, my) = plan.moved(g.id);
        let rest = |v: f32| if v.abs() < 0.001 * size { 0.0 } else { v };
        shown.push(Shown {
            gid: g.id,
            cid,
            extra: g.x_advance - plan.width(cid) * size / 1000.0,
            x_offset: rest(g.x_offset - mx * size),
            y_offset: rest(g.y_offset - my * size),
            text,
        });
    }
    // The spread most glyphs share becomes the character spacing (rounded to 1/1000 pt, which
    // is also what the numbers are written with).
    let spacing = common_spacing(&shown);
    if spacing != state.char_spacing {
        c.char_spacing(spacing);
        state.char_spacing = spacing;
    }
    if run.synthetic_bold != state.bold {
        if run.synthetic_bold {
            // Fake bold for one-weight fonts (requirement #5): fill and stroke the outlines.
            c.rendering_mode(2);
            c.line_width(size * SYNTHETIC_BOLD);
        } else {
            c.rendering_mode(0);
        }
        state.bold = run.synthetic_bold;
    } else if run.synthetic_bold {
        c.line_width(size * SYNTHETIC_BOLD);
    }
    c.font(run.font.0, size);
    let (x, y) = place.at(line_x + run.x, baseline);
    state.origin = c.move_line(state.origin, (f64::from(x), f64::from(y)));
    let mut carry = 0.0;

    // Plain clusters go into one TJ; a cluster that needs its text spelled out, or a raised or
    // lowered glyph, gets a TJ of its own.
    let mut plain_from = None;
    for range in &clusters {
        let glyphs = shown.get(range.clone()).unwrap_or(&[]);
        let Some(head) = glyphs.first() else { continue };
        let spelled = glyphs.len() > 1 || !plan.set.maps_to(head.gid, head.text);
        let raised = glyphs.iter().any(|s| s.y_offset != 0.0);
        if !(spelled || raised) {
            plain_from.get_or_insert(range.start);
            continue;
        }
        if let Some(from) = plain_from.take() {
            show(
                c,
                shown.get(from..range.start).unwrap_or(&[]),
                size,
                spacing,
                &mut carry,
            );
        }
        if spelled {
            c.begin_actual_text(head.text);
        }
        for s in glyphs {
            if s.y_offset != 0.0 {
                c.rise(s.y_offset);
            }
            show(c, std::slice::from_ref(s), size, spacing, &mut carry);
            if s.y_offset != 0.0 {
                c.rise(0.0);
            }
        }
        if spelled {
            c.end_marked();
        }
    }
    if let Some(from) = plain_from {
        show(c, shown.get(from..).unwrap_or(&[]), size, spacing, &mut carry);
    }
}

/// The character spacing most glyphs of a run need, rounded to 1/1000 pt.
fn common_spacing(shown: &[Shown<'_>]) -> f32 {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    // The last glyph's advance moves nothing that is drawn; leave it out.
    for s in shown.iter().take(shown.len().saturating_sub(1)) {
        let key = (s.extra * 1000.0).round() as i32;
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    // Ties go to the smaller spread, so the choice depends only on the glyphs.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.first().map_or(0.0, |&(k, _)| k as f32 / 1000.0)
}

/// One `TJ` for `glyphs`: each glyph's CID, then the adjustment that brings the pen to where the
/// layout put the next glyph (§9.4.3: a number moves the pen left by that many thousandths of
/// the font size). Adjustments are whole thousandths; what rounding leaves over is `carry`, added
/// to the next adjustment of the run, so the pen is never more than half a thousandth of an em
/// from where the layout put a glyph (0.005 pt at 10 pt), however long the line.
fn show(c: &mut Ops, glyphs: &[Shown<'_>], size: f32, spacing: f32, carry: &mut f32) {
    if glyphs.is_empty() {
        return;
    }
    let scale = 1000.0 / size;
    c.begin_shown();
    let mut codes: Vec<u8> = Vec::with_capacity(2 * glyphs.len());
    let mut pending = 0.0f32;
    for g in glyphs {
        // A horizontal offset moves this glyph only: right before it, back after it.
        adjust(c, &mut codes, pending - g.x_offset * scale, carry);
        codes.extend_from_slice(&g.cid.to_be_bytes());
        pending = (spacing - g.extra + g.x_offset) * scale;
    }
    // Where the next piece starts.
    adjust(c, &mut codes, pending, carry);
    if !codes.is_empty() {
        c.shown_codes(&codes);
    }
    c.end_shown();
}

/// Writes the whole part of adjustment `exact` plus what earlier roundings left in `carry`,
/// ending the glyph string `codes` first; keeps the new remainder in `carry`.
fn adjust(c: &mut Ops, codes: &mut Vec<u8>, exact: f32, carry: &mut f32) {
    let amount = exact + *carry;
    let whole = amount.round();
    *carry = amount - whole;
    if whole != 0.0 {
        if !codes.is_empty() {
            c.shown_codes(codes);
            codes.clear();
        }
        c.shown_adjust(whole as i32);
    }
}

/// Draws a photo into its box.
fn image_content(c: &mut Ops, img: &ImageItem, index: usize, place: Placement) {
    let (x, y) = place.at(img.x, img.y + img.height);
    let name = format!("Im{index}");
    c.draw_xobject(name.as_bytes(), img.width, img.height, x, y);
}

/// Strokes a rule.
fn rule_content(c: &mut Ops, rule: &Rule, place: Placement) {
    c.stroke_line(
        place.at(rule.from.0, rule.from.1),
        place.at(rule.to.0, rule.to.1),
        rule.thickness.max(MIN_RULE),
    );
}

/// Millimetres to points.
const MM: f32 = 72.0 / 25.4;
/// Crop marks: distance from the trim edge to the mark, and the mark's length (3 mm bleed
/// plus a gap, so marks stay outside the bleed as printers ask).
const MARK_OFFSET: f32 = 4.0 * MM;
const MARK_LENGTH: f32 = 6.0 * MM;
/// Line width of crop marks (≥ 0.2 pt, printer specs).
const MARK_WIDTH: f32 = 0.25;
/// Room around the bleed box for crop marks.
pub(super) const MARK_MARGIN: f32 = 12.0 * MM;

/// Crop marks at the four corners of the trim box, outside the bleed.
fn crop_marks(c: &mut Ops, place: Placement, w: f32, h: f32) {
    for (x, y, sx, sy) in [
        (0.0, 0.0, -1.0, -1.0),
        (w, 0.0, 1.0, -1.0),
        (0.0, h, -1.0, 1.0),
        (w, h, 1.0, 1.0),
    ] {
        c.stroke_line(
            place.at(x + sx * MARK_OFFSET, y),
            place.at(x + sx * (MARK_OFFSET + MARK_LENGTH), y),
            MARK_WIDTH,
        );
        c.stroke_line(
            place.at(x, y + sy * MARK_OFFSET),
            place.at(x, y + sy * (MARK_OFFSET + MARK_LENGTH)),
            MARK_WIDTH,
        );
    }
}
