//! Paragraph composition: optimal line breaking over atoms, then positioned glyph lines.
//!
//! # Why total fit and not greedy
//!
//! A line of Han text fills the measure by itself; what makes lines uneven is kinsoku, Latin
//! words and the 孤字 rule. Greedy filling decides each line alone, so one bad spot leaves one
//! very loose line. Like Knuth–Plass (and Typst), we choose all breaks of a paragraph together by
//! dynamic programming over the break opportunities, minimising the sum of `(1 + badness)²`. The
//! badness encodes clreq's preferences, so the rules stay local and testable:
//!
//! - shrinking punctuation (push-in, clreq §3.1.4 / L5) costs at most [`SHRINK_BADNESS`], while
//!   any letter-spacing (push-out) costs at least [`LOOSE_BADNESS`]: push-in wins unless it would
//!   force a much worse line elsewhere;
//! - the last line must hold at least `min_last_letters` characters (G4); candidates that
//!   violate it are skipped, so the breaker pulls a character down;
//! - a line narrower than its shrinkable minimum is never chosen, except a single unit that
//!   cannot fit anywhere, which is reported as [`LayoutError::UnitTooWide`].
//!
//! Each candidate line is measured in O(length), so a paragraph costs O(n·k²) for k atoms per
//! line: far below the shaping cost for newspaper measures.

use super::error::LayoutError;
use super::font::{FontBook, Role};
use super::frame::{Glyph, GlyphRun, Line};
use super::justify::{self, Span, Totals};
use super::linebreak::{self, BreakRules, Items};
use super::punct::Kinsoku;
use super::shape::{RunSpec, ShapedGlyph, Shaper};

/// Badness of a line that uses all its shrinkable room.
pub const SHRINK_BADNESS: f64 = 100.0;
/// Badness of a line that needs the first bit of letter-spacing.
pub const LOOSE_BADNESS: f64 = 100.0;
/// Letter-spacing per gap, in ems, at which a loose line's badness doubles.
const LOOSE_EM: f64 = 0.1;
/// Badness of a line that cannot be filled at all (one atom, nothing to stretch).
const UNDERFULL_BADNESS: f64 = 1.0e6;
/// Width tolerance in points (requirement M2: lines are exact to 0.01 pt).
const EPSILON: f64 = 1.0e-6;

/// A piece of paragraph text with its role (choosing the fonts) and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextRun<'a> {
    /// The text.
    pub text: &'a str,
    /// Role, choosing the font chain and bold.
    pub role: Role,
    /// Font size in points.
    pub size: f32,
}

/// How lines sit in the measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Body text: every line but the last is exactly the measure (clreq §3.5.1, M2).
    #[default]
    Justify,
    /// Ragged right, for headlines and captions.
    Left,
    /// Centred, for headlines (clreq §4.1.2, G5); line lengths are balanced.
    Center,
}

/// Settings of paragraph composition.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposeParams {
    /// The em: the body size in points; measure, indent and spacing are counted in it.
    pub size: f32,
    /// Measure in whole ems, i.e. characters per line (clreq §2.3.4, G1).
    pub measure_em: u32,
    /// First-line indent in ems (clreq §3.4.1, G3); 2 for body text.
    pub indent_em: f32,
    /// Space between lines as a fraction of the em (clreq §2.3.5: 0.5 to 1).
    pub line_gap_em: f32,
    /// Justified, left or centred.
    pub align: Align,
    /// Kinsoku level (L1/L2).
    pub kinsoku: Kinsoku,
    /// Han–Latin space in ems (clreq §3.2.2, M1): a quarter by default.
    pub han_latin_em: f32,
    /// Whether an opening mark at line start loses its blank half (clreq §3.1.6.3, P3).
    pub trim_opening_at_line_start: bool,
    /// Fewest non-punctuation characters on a paragraph's last line (clreq §3.4.4, G4).
    pub min_last_letters: usize,
}

impl ComposeParams {
    /// Body text: justified, 2 em indent, GB kinsoku, last line at least 2 characters.
    pub fn body(size: f32, measure_em: u32) -> Self {
        ComposeParams {
            size,
            measure_em,
            indent_em: 2.0,
            line_gap_em: 0.5,
            align: Align::Justify,
            kinsoku: Kinsoku::Gb,
            han_latin_em: 0.25,
            trim_opening_at_line_start: true,
            min_last_letters: 2,
        }
    }

    /// A headline: no indent, `align`ed, never overflowing.
    pub fn headline(size: f32, measure_em: u32, align: Align) -> Self {
        ComposeParams {
            indent_em: 0.0,
            align,
            min_last_letters: 0,
            ..ComposeParams::body(size, measure_em)
        }
    }

    /// The measure in points.
    pub fn measure(&self) -> f32 {
        self.size * self.measure_em as f32
    }
}

/// A composed paragraph: lines relative to its top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The paragraph text (the runs concatenated); line and run ranges index into it.
    pub text: String,
    /// The lines; `y` is the baseline measured from the paragraph's top.
    pub lines: Vec<Line>,
    /// Total height in points (the sum of line pitches).
    pub height: f32,
}

/// Composes paragraphs with the fonts of one book (faces are parsed once per composer).
pub struct Composer<'a> {
    /// The shaper, holding the parsed faces.
    shaper: Shaper<'a>,
}

impl<'a> Composer<'a> {
    /// A composer for the fonts of `book`.
    pub fn new(book: &'a FontBook) -> Result<Self, LayoutError> {
        Ok(Composer {
            shaper: Shaper::new(book)?,
        })
    }

    /// Breaks `runs` into lines and positions every glyph.
    pub fn compose(&self, runs: &[TextRun<'_>], params: &ComposeParams) -> Result<Paragraph, LayoutError> {
        check(params)?;
        let mut text = String::new();
        let mut specs = Vec::with_capacity(runs.len());
        for run in runs {
            let start = text.len();
            text.push_str(run.text);
            specs.push(RunSpec {
                range: start..text.len(),
                role: run.role,
                size: f64::from(run.size),
            });
        }
        let glyphs = self.shaper.shape(&text, &specs)?;
        let book = self.shaper.book();
        let blank = |g: &ShapedGlyph, ch: char| {
            let (l, r) = book.get(g.font).map_or((0.0, 0.0), |f| f.blank(ch));
            (f64::from(l), f64::from(r))
        };
        let rules = BreakRules {
            kinsoku: params.kinsoku,
            han_latin: f64::from(params.han_latin_em),
        };
        let items = linebreak::itemize(&text, &glyphs, blank, rules);
        let breaks = break_lines(&text, &items, params)?;
        let lines = build_lines(book, &text, &glyphs, &items, &breaks, &specs, params);
        let height = lines.iter().map(|l| l.height).sum();
        Ok(Paragraph { text, lines, height })
    }
}

/// Rejects parameters composition cannot honour.
fn check(params: &ComposeParams) -> Result<(), LayoutError> {
    let bad = |reason: &str| {
        Err(LayoutError::BadParams {
            reason: reason.to_owned(),
        })
    };
    if !(params.size > 0.0 && params.size.is_finite()) {
        return bad("the font size must be positive");
    }
    if params.measure_em == 0 {
        return bad("the measure must be at least one em");
    }
    if !(params.indent_em >= 0.0 && params.indent_em < params.measure_em as f32) {
        return bad("the indent must be at least 0 and less than the measure");
    }
    Ok(())
}

/// Geometry shared by the breaker and the line builder.
struct Setting<'p> {
    /// The parameters.
    params: &'p ComposeParams,
    /// Measure in points.
    measure: f64,
    /// Indent in points.
    indent: f64,
}

impl Setting<'_> {
    /// The span of atoms `start..end`.
    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            trim_opening: self.params.trim_opening_at_line_start,
        }
    }

    /// The width available to a line starting at atom `start`.
    fn avail(&self, start: usize) -> f64 {
        if start == 0 {
            self.measure - self.indent
        } else {
            self.measure
        }
    }
}

/// Whether a line ending before atom `end` is a last line (paragraph end or forced break).
fn is_last(items: &Items, end: usize) -> bool {
    end == items.atoms.len() || items.gaps[end].forced
}

/// The badness of a line with totals `t` in `avail` points (see the module docs).
fn badness(t: &Totals, avail: f64, last: bool, params: &ComposeParams) -> f64 {
    let em = f64::from(params.size);
    let slack = avail - t.natural;
    if slack < -EPSILON {
        let room = t.shrink_total().max(EPSILON);
        return SHRINK_BADNESS * (-slack / room).min(1.0).powi(3);
    }
    match params.align {
        Align::Justify if last || slack <= EPSILON => 0.0,
        Align::Justify if slack <= t.glue_stretch => 100.0 * (slack / t.glue_stretch).powi(3),
        Align::Justify if t.gaps == 0 => UNDERFULL_BADNESS,
        Align::Justify => {
            let per_gap = (slack - t.glue_stretch) / t.gaps as f64 / em;
            LOOSE_BADNESS * (1.0 + (per_gap / LOOSE_EM).powi(3))
        }
        Align::Left if last => 0.0,
        // Ragged lines: prefer balanced lengths (centred headlines include the last line).
        Align::Left | Align::Center => 10.0 * (slack / em).powi(2),
    }
}

/// Chooses the breaks: `result[k]` is the first atom of line `k`, plus the end.
fn break_lines(text: &str, items: &Items, params: &ComposeParams) -> Result<Vec<usize>, LayoutError> {
    let setting = Setting {
        params,
        measure: f64::from(params.measure()),
        indent: f64::from(params.indent_em * params.size),
    };
    let n = items.atoms.len();
    if n == 0 {
        return Ok(vec![0]);
    }
    // First with the 孤字 rule, then without it if nothing satisfies it, then allowing overflow.
    for (orphans, overflow) in [(true, false), (false, false), (false, true)] {
        if let Some(breaks) = best_breaks(items, &setting, orphans, overflow) {
            check_fit(text, items, &setting, &breaks)?;
            return Ok(breaks);
        }
    }
    Ok(vec![0, n])
}

/// The dynamic programme; `None` if no break sequence meets the constraints.
fn best_breaks(items: &Items, s: &Setting<'_>, orphans: bool, overflow: bool) -> Option<Vec<usize>> {
    let n = items.atoms.len();
    let em = f64::from(s.params.size);
    let mut cost = vec![f64::INFINITY; n + 1];
    let mut prev = vec![0usize; n + 1];
    cost[0] = 0.0;
    for end in 1..=n {
        if !(end == n || items.gaps[end].can_break) {
            continue;
        }
        let last = is_last(items, end);
        for start in (0..end).rev() {
            if start + 1 < end && items.gaps[start + 1].forced {
                break;
            }
            if !(start == 0 || items.gaps[start].can_break) || cost[start].is_infinite() {
                continue;
            }
            let t = justify::totals(items, s.span(start, end));
            let avail = s.avail(start);
            let over = t.min_width() - avail;
            let mut extra = 0.0;
            if over > EPSILON {
                if overflow || end - start == 1 {
                    extra = 1.0e12 * (1.0 + over);
                } else if over > 2.0 * em {
                    break;
                } else {
                    continue;
                }
            }
            if orphans && end == n && start > 0 && s.params.min_last_letters > 0 {
                let letters: usize = items.atoms[start..end].iter().map(|a| a.letters).sum();
                if letters < s.params.min_last_letters {
                    continue;
                }
            }
            let b = badness(&t, avail, last, s.params);
            let total = cost[start] + (1.0 + b).powi(2) + extra;
            if total < cost[end] {
                cost[end] = total;
                prev[end] = start;
            }
        }
    }
    if cost[n].is_infinite() || cost[n] >= 1.0e12 && !overflow {
        return None;
    }
    let mut breaks = vec![n];
    let mut at = n;
    while at > 0 {
        at = prev[at];
        breaks.push(at);
    }
    breaks.reverse();
    Some(breaks)
}

/// Reports the first line that cannot shrink into its measure.
fn check_fit(text: &str, items: &Items, s: &Setting<'_>, breaks: &[usize]) -> Result<(), LayoutError> {
    for pair in breaks.windows(2) {
        let t = justify::totals(items, s.span(pair[0], pair[1]));
        let avail = s.avail(pair[0]);
        if t.min_width() > avail + EPSILON {
            let (first, last) = (&items.atoms[pair[0]], &items.atoms[pair[1] - 1]);
            return Err(LayoutError::UnitTooWide {
                text: text.get(first.text.start..last.text.end).unwrap_or_default().to_owned(),
                text_offset: first.text.start,
                width: t.min_width() as f32,
                measure: avail as f32,
            });
        }
    }
    Ok(())
}

/// Positions the glyphs of every line.
fn build_lines(
    book: &FontBook,
    text: &str,
    glyphs: &[ShapedGlyph],
    items: &Items,
    breaks: &[usize],
    specs: &[RunSpec],
    params: &ComposeParams,
) -> Vec<Line> {
    let setting = Setting {
        params,
        measure: f64::from(params.measure()),
        indent: f64::from(params.indent_em * params.size),
    };
    let mut lines = Vec::with_capacity(breaks.len());
    let mut top = 0.0f32;
    for (index, pair) in breaks.windows(2).enumerate() {
        let (start, end) = (pair[0], pair[1]);
        let span = setting.span(start, end);
        let avail = setting.avail(start);
        let last = is_last(items, end);
        let justified = params.align == Align::Justify && !last;
        let natural = justify::totals(items, span).natural;
        let target = if justified { avail } else { natural.min(avail) };
        let plan = justify::plan(items, span, target, justified);
        let runs = emit_runs(book, text, glyphs, items, span, &plan, specs);
        let offset = match params.align {
            Align::Center => (avail - plan.width) / 2.0,
            Align::Left | Align::Justify => 0.0,
        } + (setting.measure - avail);
        let size = runs.iter().map(|r| r.size).fold(params.size, f32::max);
        let metric = |f: &dyn Fn(&super::font::FontFace) -> f32| {
            runs.iter()
                .filter_map(|r| book.get(r.font).map(|face| f(face) * r.size))
                .fold(0.0f32, f32::max)
        };
        let (ascent, descent) = (metric(&|f| f.ascent), metric(&|f| f.descent));
        let height = size * (1.0 + params.line_gap_em);
        let half_leading = (height - ascent - descent) / 2.0;
        let text_start = if index == 0 { 0 } else { items.atoms[start].text.start };
        let text_end = if end == items.atoms.len() {
            text.len()
        } else {
            items.atoms[end].text.start
        };
        lines.push(Line {
            x: offset as f32,
            y: top + half_leading + ascent,
            width: plan.width as f32,
            ascent,
            descent,
            height,
            text_range: text_start..text_end,
            runs,
        });
        top += height;
    }
    lines
}

/// The glyph runs of one line, positions from `plan`.
fn emit_runs(
    book: &FontBook,
    text: &str,
    glyphs: &[ShapedGlyph],
    items: &Items,
    span: Span,
    plan: &justify::Plan,
    specs: &[RunSpec],
) -> Vec<GlyphRun> {
    let mut placed: Vec<(&ShapedGlyph, f64, f64)> = Vec::new();
    for (idx, k) in (span.start..span.end).enumerate() {
        let atom = &items.atoms[k];
        if k > span.start {
            // The gap's width goes on its space glyphs, or else on the previous glyph.
            let gap = &items.gaps[k];
            let width = plan.gaps[idx];
            if gap.spaces.is_empty() {
                if let Some(last) = placed.last_mut() {
                    last.1 += width;
                }
            } else {
                for (i, g) in glyphs[gap.spaces.clone()].iter().enumerate() {
                    let advance = if i + 1 == gap.spaces.len() { width } else { 0.0 };
                    placed.push((g, advance, g.x_offset));
                }
            }
        }
        let (keep_l, keep_r) = plan.blanks[idx];
        let lead = atom.pad.0 - (atom.blank.0 - keep_l);
        let trail = atom.pad.1 - (atom.blank.1 - keep_r);
        let first = placed.len();
        for g in &glyphs[atom.glyphs.clone()] {
            placed.push((g, g.advance, g.x_offset));
        }
        if let Some(p) = placed.get_mut(first) {
            p.1 += lead;
            p.2 += lead;
        }
        if let Some(p) = placed.last_mut() {
            p.1 += trail;
        }
    }
    if plan.tracking > 0.0 {
        let count = placed.len().saturating_sub(1);
        for p in placed.iter_mut().take(count) {
            p.1 += plan.tracking;
        }
    }
    let mut runs: Vec<GlyphRun> = Vec::new();
    let mut x = 0.0f64;
    let mut current = None;
    for (g, advance, x_offset) in placed {
        if current != Some((g.font, g.run)) {
            current = Some((g.font, g.run));
            let role = specs.get(g.run).map_or(Role::Body, |s| s.role);
            runs.push(GlyphRun {
                font: g.font,
                size: g.size as f32,
                x: x as f32,
                glyphs: Vec::new(),
                text: String::new(),
                text_range: g.cluster.start..g.cluster.start,
                synthetic_bold: book.synthetic_bold(role, g.font),
            });
        }
        if let Some(run) = runs.last_mut() {
            run.text_range.end = run.text_range.end.max(g.cluster.end);
            let base = run.text_range.start;
            run.glyphs.push(Glyph {
                id: g.id,
                x_advance: advance as f32,
                x_offset: x_offset as f32,
                y_offset: g.y_offset as f32,
                text_range: g.cluster.start - base..g.cluster.end - base,
            });
        }
        x += advance;
    }
    for run in &mut runs {
        run.text = text.get(run.text_range.clone()).unwrap_or_default().to_owned();
    }
    runs
}
