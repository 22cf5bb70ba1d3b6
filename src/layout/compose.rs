//! Paragraph composition: the public API from styled text runs to positioned lines.
//!
//! [`Composer::compose`] shapes the runs, cuts them into atoms and gaps (`linebreak`), chooses
//! the breaks (`fit`) and positions the glyphs (`place`).

use super::error::{LayoutError, LayoutWarning};
use super::fit;
use super::font::{CENTRED_MARKS, FontBook, Role};
use super::frame::Line;
use super::linebreak::{self, BreakRules};
use super::params::ComposeParams;
use super::place;
use super::punct;
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
        let mut rules = BreakRules {
            kinsoku: params.kinsoku,
            han_latin: f64::from(params.han_latin_em),
            phrases: params.phrases,
            anywhere: false,
        };
        let mut items = linebreak::itemize(&text, &glyphs, blank, rules);
        let mut broken = None;
        let breaks = match fit::break_lines(&text, &items, params) {
            // A word or number wider than the measure (an account number, an address without
            // break points) is broken between characters rather than stopping the build.
            Err(LayoutError::UnitTooWide {
                text: token,
                text_offset,
                ..
            }) if token.chars().any(|c| !punct::is_cjk(c)) => {
                rules.anywhere = true;
                items = linebreak::itemize(&text, &glyphs, blank, rules);
                broken = Some((token, text_offset));
                fit::break_lines(&text, &items, params)?
            }
            other => other?,
        };
        let lines = place::build_lines(book, &text, &glyphs, &items, &breaks, &specs, params);
        let mut warnings = fit::warnings(&items, &breaks, &lines, params);
        if let Some((token, offset)) = broken {
            warnings.push(LayoutWarning::TokenBroken { token, offset });
        }
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
