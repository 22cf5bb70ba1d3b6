//! Paragraph composition: the public API from styled text runs to positioned lines.
//!
//! [`Composer::compose`] shapes the runs, cuts them into atoms and gaps (`linebreak`), chooses
//! the breaks (`fit`) and positions the glyphs (`place`).

use super::error::{LayoutError, LayoutWarning};
use super::fit;
use super::font::{CENTRED_MARKS, FontBook, Role};
use super::frame::Line;
use super::linebreak::{self, BreakRules};
use super::place;
use super::punct::Kinsoku;
use super::shape::{RunSpec, ShapedGlyph, Shaper};

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
    /// Whether a `、，。` may hang past the measure instead of being squeezed (clreq §3.1.7, P5):
    /// never a run of marks, never `——`. Off by default; most zh publications do not hang.
    pub hanging: bool,
    /// Whether `。？！` may give up their blank half to fit a line, the last resort of clreq
    /// §3.5.3; some house styles never squeeze them.
    pub shrink_stops: bool,
    /// Whether the pause and stop marks `，。、；：！？` sit centred in their character frame,
    /// as traditional Chinese is set in Taiwan and Hong Kong (clreq §3.1.1), instead of in its
    /// lower left corner as on the mainland. Centred marks are drawn moved to the middle of
    /// their em box and keep their full em: they have no blank half to squeeze or trim at a
    /// line end (GB/T 15834's half-width line end is the mainland's rule).
    pub centred_marks: bool,
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
            hanging: false,
            shrink_stops: true,
            centred_marks: false,
        }
    }

    /// A headline: no indent, `align`ed, never overflowing.
    ///
    /// `size` and `measure_em` give the measure, usually the column's body em and width; the
    /// headline's runs carry their own, larger size, and lines grow to fit it.
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
    /// Rules that had to give way (kinsoku relaxed, 孤字, an unfillable line).
    pub warnings: Vec<LayoutWarning>,
}

/// Composes paragraphs with the fonts of one book (faces are parsed once per composer).
pub struct Composer<'a> {
    /// The shaper, holding the parsed faces.
    shaper: Shaper<'a>,
}

impl<'a> Composer<'a> {
    /// A composer for the fonts of `book`.
    ///
    /// This parses each face's shaping tables (rustybuzz borrows the book's bytes, so the
    /// parsed faces cannot live in the book itself): keep one composer per document, not one
    /// per paragraph.
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
        let mut glyphs = self.shaper.shape(&text, &specs)?;
        let book = self.shaper.book();
        if params.centred_marks {
            centre_marks(book, &text, &mut glyphs);
        }
        let blank = |g: &ShapedGlyph, ch: char| {
            if params.centred_marks && CENTRED_MARKS.contains(ch) {
                return (0.0, 0.0);
            }
            let (l, r) = book.get(g.font).map_or((0.0, 0.0), |f| f.blank(ch));
            (f64::from(l), f64::from(r))
        };
        let rules = BreakRules {
            kinsoku: params.kinsoku,
            han_latin: f64::from(params.han_latin_em),
        };
        let items = linebreak::itemize(&text, &glyphs, blank, rules);
        let breaks = fit::break_lines(&text, &items, params)?;
        let lines = place::build_lines(book, &text, &glyphs, &items, &breaks, &specs, params);
        let warnings = fit::warnings(&items, &breaks, &lines, params);
        let height = lines.iter().map(|l| l.height).sum();
        Ok(Paragraph {
            text,
            lines,
            height,
            warnings,
        })
    }
}

/// Moves the outline of every pause and stop mark to the centre of its em box (the Taiwan and
/// Hong Kong convention, clreq §3.1.1), where the face drew it in a corner; the advance is left
/// as it is, so the mark keeps its full em and the line's measure is unchanged.
fn centre_marks(book: &FontBook, text: &str, glyphs: &mut [ShapedGlyph]) {
    for g in glyphs {
        let mut chars = text.get(g.cluster.clone()).unwrap_or_default().chars();
        let (Some(ch), None) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some((id, dx, dy)) = book.get(g.font).and_then(|f| f.centring(ch))
            && id == g.id
        {
            g.x_offset += f64::from(dx) * g.size;
            g.y_offset += f64::from(dy) * g.size;
        }
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
    if !(params.line_gap_em >= 0.0 && params.line_gap_em.is_finite()) {
        return bad("the line gap must be at least 0");
    }
    if !(params.han_latin_em >= 0.0 && params.han_latin_em <= 0.5) {
        return bad("the Han-Latin space must be between 0 and half an em");
    }
    Ok(())
}
