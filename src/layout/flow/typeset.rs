//! The flow's access to composition: model inlines to styled runs, sizes and fonts per layout
//! role, and layout errors turned into messages that point at the markup source.

use super::{FlowError, FlowErrorKind};
use crate::layout::font::{FontBook, Role};
use crate::layout::frame::Line;
use crate::layout::spec::{LayoutSpec, RoleSpec};
use crate::layout::{Align, ComposeParams, Composer, TextRun};
use crate::layout::{LayoutError, LayoutWarning};
use crate::model::{Convention, Inline, Text};

/// A piece of text to set: the text, where it came from, and its role and size.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    /// The text with its source map.
    pub(crate) text: Text,
    /// Font role.
    pub(crate) role: Role,
    /// Size in points.
    pub(crate) size: f32,
}

/// Composition with the fonts and sizes of one layout.
pub struct Typesetter<'a> {
    composer: Composer<'a>,
    /// The layout.
    pub(crate) spec: &'a LayoutSpec,
    /// Article heads already set, by (article id, columns, lead): the band planner
    /// measures every article at every width on every page it might go on, and setting its
    /// head again each time was an eighth of the layout.
    pub(crate) heads: HeadCache,
    /// Whether pause and stop marks are centred in their frame (the layout's
    /// `centred_marks`, else the convention; clreq §3.1.1).
    pub(crate) centred_marks: bool,
}

/// Article heads set once: their lines and height, by (article id, columns, lead); the width
/// follows from the columns. Behind a lock, held only to look a head up or put one in, so that a
/// typesetter can be shared by threads.
pub(crate) type HeadCache = std::sync::Mutex<std::collections::HashMap<(String, u32, bool), (Vec<Line>, f32)>>;

impl<'a> Typesetter<'a> {
    /// A typesetter for `spec` with the fonts of `book`.
    pub fn new(spec: &'a LayoutSpec, book: &'a FontBook) -> Result<Self, FlowError> {
        let composer = Composer::new(book).map_err(|e| layout_error(e, &[]))?;
        Ok(Typesetter {
            composer,
            spec,
            heads: HeadCache::default(),
            centred_marks: spec.typography.centred_marks.unwrap_or(false),
        })
    }

    /// A typesetter for an issue in `language`: its pause and stop marks are centred when the
    /// layout says so, or, when the layout is silent, when the language is written in the
    /// Taiwan or Hong Kong convention.
    pub fn for_language(spec: &'a LayoutSpec, book: &'a FontBook, language: &str) -> Result<Self, FlowError> {
        let mut ts = Typesetter::new(spec, book)?;
        ts.centred_marks = spec
            .typography
            .centred_marks
            .unwrap_or_else(|| Convention::of(language).is_traditional());
        Ok(ts)
    }

    /// Body size in points.
    pub(crate) fn em(&self) -> f32 {
        self.spec.body_size()
    }

    /// Size of a role in points.
    pub(crate) fn size(&self, role: &RoleSpec) -> f32 {
        self.spec.pt(role.size)
    }

    /// Body line pitch in points.
    pub(crate) fn pitch(&self) -> f32 {
        self.em() + self.spec.pt(self.spec.grid.line_gap)
    }

    /// Line gap as a fraction of the body size, used for every role so lines sit on the grid
    /// pitch (clreq §2.3.5: a constant line gap).
    fn gap_em(&self, size: f32) -> f32 {
        self.spec.pt(self.spec.grid.line_gap) / size
    }

    /// Compose pieces into lines `width` points wide (rounded down to whole ems of `size`).
    pub(crate) fn lines(
        &self,
        pieces: &[Piece],
        size: f32,
        width: f32,
        align: Align,
        indent_em: f32,
    ) -> Result<Vec<Line>, FlowError> {
        Ok(self.lines_noted(pieces, size, width, align, indent_em)?.0)
    }

    /// Compose pieces into lines like [`Typesetter::lines`], with what had to give way: each
    /// warning with where its line starts in the markup and the line's text.
    pub(crate) fn lines_noted(
        &self,
        pieces: &[Piece],
        size: f32,
        width: f32,
        align: Align,
        indent_em: f32,
    ) -> Result<(Vec<Line>, Vec<Noted>), FlowError> {
        if pieces.iter().all(|p| p.text.is_empty()) {
            return Ok((Vec::new(), Vec::new()));
        }
        let measure_em = ((width + 0.01) / size).floor().max(1.0) as u32;
        let mut params = match align {
            Align::Justify => ComposeParams::body(size, measure_em),
            other => ComposeParams::headline(size, measure_em, other),
        };
        params.indent_em = indent_em.min(measure_em.saturating_sub(1) as f32);
        params.line_gap_em = self.gap_em(size);
        params.kinsoku = self.spec.kinsoku();
        params.han_latin_em = self.spec.typography.han_latin_space;
        // P5 (clreq §3.1.7): only justified text hangs; a ragged line has room at its end.
        params.hanging = self.spec.typography.hanging && align == Align::Justify;
        params.centred_marks = self.centred_marks;
        params.phrases = align != Align::Justify
            && pieces
                .iter()
                .any(|p| matches!(p.role, Role::Headline | Role::Kicker | Role::Subtitle));
        let runs: Vec<TextRun<'_>> = pieces
            .iter()
            .map(|p| TextRun {
                text: p.text.as_str(),
                role: p.role,
                size: p.size,
            })
            .collect();
        let par = self
            .composer
            .compose(&runs, &params)
            .map_err(|e| layout_error(e, pieces))?;
        let notes = par
            .warnings
            .iter()
            .map(|w| {
                let at = match w {
                    LayoutWarning::KinsokuRelaxed { line } | LayoutWarning::Underfull { line } => par.lines.get(*line),
                    LayoutWarning::ShortLastLine => par.lines.last(),
                    LayoutWarning::TokenBroken { offset, .. } => {
                        par.lines.iter().find(|l| l.text_range.contains(offset))
                    }
                };
                Noted {
                    warning: w.clone(),
                    span: at.and_then(|l| locate(pieces, l.text_range.start)),
                    line: at.map(Line::text).unwrap_or_default(),
                }
            })
            .collect();
        Ok((par.lines, notes))
    }
}

/// Translate a line to sit at `(dx, dy)`.
pub(crate) fn moved(mut line: Line, dx: f32, dy: f32) -> Line {
    line.translate(dx, dy);
    line
}

/// Move a ragged line so that it ends at `width`.
pub(crate) fn right_align(line: Line, width: f32) -> Line {
    let dx = (width - line.x - line.width).max(0.0);
    moved(line, dx, 0.0)
}

/// A composition warning with where its line starts in the markup and the line's text.
#[derive(Debug, Clone)]
pub(crate) struct Noted {
    pub(crate) warning: LayoutWarning,
    pub(crate) span: Option<crate::diag::Span>,
    pub(crate) line: String,
}

/// Where byte `offset` of the pieces' text (their texts concatenated) lies in the markup.
fn locate(pieces: &[Piece], offset: usize) -> Option<crate::diag::Span> {
    let mut start = 0;
    for p in pieces {
        let len = p.text.as_str().len();
        if offset < start + len {
            return p.text.origin.source_span(offset - start..offset - start + 1);
        }
        start += len;
    }
    None
}

/// Turn inline content into pieces: plain text in `role`, strong in Hei (the dateline face),
/// emphasis in the caption face.
pub(crate) fn pieces(inlines: &[Inline], role: Role, size: f32, out: &mut Vec<Piece>) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push(Piece {
                text: t.clone(),
                role,
                size,
            }),
            Inline::Strong(inner) => pieces(inner, Role::Dateline, size, out),
            Inline::Emph(inner) => pieces(inner, Role::Caption, size, out),
        }
    }
}

/// A layout error as a flow error, located in the source through the pieces' origins.
fn layout_error(e: LayoutError, pieces: &[Piece]) -> FlowError {
    let locate = |offset: usize| locate(pieces, offset);
    match &e {
        LayoutError::MissingGlyph { ch, text_offset, .. } => {
            let span = locate(*text_offset).map(|s| {
                let end = s.start + ch.len_utf8();
                crate::diag::Span::new(s.start, end)
            });
            FlowError {
                kind: FlowErrorKind::MissingCharacter(*ch),
                message: format!(
                    "no font of the layout has the character `{ch}` (U+{:04X})",
                    u32::from(*ch)
                ),
                span,
                hint: Some(
                    "add a font that has it to the role's `fonts` in the layout file, or replace the character".into(),
                ),
            }
        }
        LayoutError::UnitTooWide {
            text: unit,
            text_offset,
            ..
        } => FlowError {
            kind: FlowErrorKind::UnitTooWide,
            message: format!("`{unit}` cannot be broken and is wider than its column"),
            span: locate(*text_offset),
            hint: Some("widen the columns in the layout, or break the word or number".into()),
        },
        _ => FlowError {
            kind: FlowErrorKind::Typesetting,
            message: e.to_string(),
            span: None,
            hint: None,
        },
    }
}
