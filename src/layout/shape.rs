//! Shaping: picks a font per character from the role's chain and shapes with rustybuzz.
//!
//! Shaping is plain (no `halt`): every mark comes out full width, and composition trims the
//! blank halves that [`FontFace::blank`](super::font::FontFace::blank) read from `halt` when the
//! font was loaded. Each glyph keeps the byte range of the source text it came from.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use super::error::LayoutError;
use super::font::{FontBook, FontId, Role};
use super::punct;

/// A text run to shape: a byte range of the paragraph text with its role and size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunSpec {
    /// Bytes of the paragraph text.
    pub(crate) range: Range<usize>,
    /// Role, choosing the font chain.
    pub(crate) role: Role,
    /// Font size in points.
    pub(crate) size: f64,
}

/// One shaped glyph, in points, with its source bytes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedGlyph {
    /// Font of the glyph.
    pub(crate) font: FontId,
    /// Index of the run it belongs to.
    pub(crate) run: usize,
    /// Glyph id.
    pub(crate) id: u16,
    /// Font size in points.
    pub(crate) size: f64,
    /// Advance in points.
    pub(crate) advance: f64,
    /// Horizontal offset in points.
    pub(crate) x_offset: f64,
    /// Vertical offset in points, upwards.
    pub(crate) y_offset: f64,
    /// Source bytes (the glyph's cluster) in the paragraph text.
    pub(crate) cluster: Range<usize>,
}

/// Shapes text with the fonts of one book; faces are parsed once per shaper and reused.
pub(crate) struct Shaper<'a> {
    /// The fonts.
    book: &'a FontBook,
    /// rustybuzz faces, indexed like the book's fonts.
    faces: Vec<rustybuzz::Face<'a>>,
    /// BCP 47 language for `locl` (zh-Hans picks mainland glyph forms).
    language: Option<rustybuzz::Language>,
    /// Shape plans by (font, script): building a plan reads the font's GSUB/GPOS feature lists,
    /// which cost as much as shaping a short segment, so each is built once per shaper. Behind a
    /// lock, so that threads composing an edition's articles side by side share them; the lock
    /// is held only to look a plan up.
    plans: Mutex<HashMap<(usize, rustybuzz::Script), Arc<rustybuzz::ShapePlan>>>,
}

impl<'a> Shaper<'a> {
    /// A shaper over all fonts of `book`.
    pub(crate) fn new(book: &'a FontBook) -> Result<Self, LayoutError> {
        let faces = book
            .fonts()
            .iter()
            .map(|f| {
                rustybuzz::Face::from_slice(&f.data, f.index).ok_or_else(|| LayoutError::FontParse {
                    name: f.name.clone(),
                    index: f.index,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Shaper {
            book,
            faces,
            language: "zh-Hans".parse().ok(),
            plans: Mutex::new(HashMap::new()),
        })
    }

    /// The book the shaper uses.
    pub(crate) fn book(&self) -> &'a FontBook {
        self.book
    }

    /// Shapes `text` run by run. Control characters (line feeds) get no glyph.
    pub(crate) fn shape(&self, text: &str, runs: &[RunSpec]) -> Result<Vec<ShapedGlyph>, LayoutError> {
        let mut glyphs = Vec::with_capacity(text.len() / 2);
        for (run_index, run) in runs.iter().enumerate() {
            let chain = &self.book.role(run.role)?.chain;
            let mut segment: Option<(FontId, usize)> = None;
            let run_text = text.get(run.range.clone()).unwrap_or_default();
            let mut dashes = 0usize;
            for (rel, ch) in run_text.char_indices() {
                let at = run.range.start + rel;
                // L3 (clreq §3.1.5.1): `——` is the unit, and a run of them may break between
                // units. Noto ligates three dashes into one 3 em glyph, so each pair is shaped
                // on its own.
                dashes = if ch == '—' { dashes + 1 } else { 0 };
                if dashes > 1
                    && dashes % 2 == 1
                    && let Some((current, start)) = segment.take()
                {
                    self.shape_segment(text, start..at, current, run_index, run, &mut glyphs)?;
                }
                let font = if is_control(ch) {
                    None
                } else {
                    let previous = segment.map(|s| s.0);
                    let apostrophe = punct::is_apostrophe(text, at);
                    Some(
                        self.pick_font(chain, ch, previous, apostrophe)
                            .ok_or(LayoutError::MissingGlyph {
                                ch,
                                text_offset: at,
                                run: run_index,
                                role: run.role,
                            })?,
                    )
                };
                if let Some((current, start)) = segment
                    && font != Some(current)
                {
                    self.shape_segment(text, start..at, current, run_index, run, &mut glyphs)?;
                    segment = None;
                }
                if segment.is_none() {
                    segment = font.map(|f| (f, at));
                }
            }
            if let Some((current, start)) = segment {
                self.shape_segment(text, start..run.range.end, current, run_index, run, &mut glyphs)?;
            }
        }
        Ok(glyphs)
    }

    /// The font of `chain` for `ch`; `previous` is the font of the character before it;
    /// `apostrophe` marks a `’` inside a Latin word, which is Latin, not a Chinese quote.
    fn pick_font(&self, chain: &[FontId], ch: char, previous: Option<FontId>, apostrophe: bool) -> Option<FontId> {
        let has = |id: FontId| self.faces.get(id.0).is_some_and(|f| f.glyph_index(ch).is_some());
        // Marks and selectors stay with their base character; a space stays with its neighbour
        // so that runs do not fragment.
        if let Some(prev) = previous
            && (punct::is_extender(ch) || ch == ' ')
            && has(prev)
        {
            return Some(prev);
        }
        // Requirement E2 (clreq §3.1.1): quotes, dash and ellipsis shared with Latin come from
        // the CJK font at full width, even if a Latin font comes first in the chain.
        if punct::prefers_cjk_font(ch)
            && !apostrophe
            && let Some(&id) = chain
                .iter()
                .find(|&&id| self.book.get(id).is_some_and(|f| f.is_cjk) && has(id))
        {
            return Some(id);
        }
        chain.iter().copied().find(|&id| has(id))
    }

    /// The shape plan for `script` in `font` (whose face is `face`), built the first time.
    fn plan(&self, face: &rustybuzz::Face<'_>, font: FontId, script: rustybuzz::Script) -> Arc<rustybuzz::ShapePlan> {
        let key = (font.0, script);
        let known = self
            .plans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        known.unwrap_or_else(|| {
            // Built outside the lock: two threads may build the same plan at once, and the
            // plans are equal, so either may stay.
            let plan = Arc::new(rustybuzz::ShapePlan::new(
                face,
                rustybuzz::Direction::LeftToRight,
                Some(script),
                self.language.as_ref(),
                &[],
            ));
            let mut plans = self.plans.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(plans.entry(key).or_insert(plan))
        })
    }

    /// Shapes bytes `range` of `text` in `font` and appends the glyphs.
    fn shape_segment(
        &self,
        text: &str,
        range: Range<usize>,
        font: FontId,
        run_index: usize,
        run: &RunSpec,
        out: &mut Vec<ShapedGlyph>,
    ) -> Result<(), LayoutError> {
        let (Some(face), Some(info)) = (self.faces.get(font.0), self.book.get(font)) else {
            return Err(LayoutError::NoFontForRole { role: run.role });
        };
        let segment = text.get(range.clone()).unwrap_or_default();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(segment);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        if let Some(lang) = &self.language {
            buffer.set_language(lang.clone());
        }
        buffer.guess_segment_properties();
        let script = buffer.script();
        let plan = self.plan(face, font, script);
        let shaped = rustybuzz::shape_with_plan(face, &plan, buffer);
        let scale = run.size / f64::from(info.units_per_em);
        let infos = shaped.glyph_infos();
        let first = out.len();
        for (glyph, pos) in infos.iter().zip(shaped.glyph_positions()) {
            let cluster = range.start + glyph.cluster as usize;
            let id = u16::try_from(glyph.glyph_id).unwrap_or(0);
            if id == 0 {
                // Never set .notdef (tofu): report the character instead.
                let ch = text.get(cluster..).and_then(|s| s.chars().next()).unwrap_or('\u{FFFD}');
                return Err(LayoutError::MissingGlyph {
                    ch,
                    text_offset: cluster,
                    run: run_index,
                    role: run.role,
                });
            }
            out.push(ShapedGlyph {
                font,
                run: run_index,
                id,
                size: run.size,
                advance: f64::from(pos.x_advance) * scale,
                x_offset: f64::from(pos.x_offset) * scale,
                y_offset: f64::from(pos.y_offset) * scale,
                cluster: cluster..cluster,
            });
        }
        // A cluster ends where the next one starts (left-to-right output is in logical order).
        // Walking right to left, `end` is the start of the nearest cluster to the right.
        let mut end = range.end;
        let mut right: Option<usize> = None;
        for g in out.get_mut(first..).unwrap_or_default().iter_mut().rev() {
            if let Some(start) = right
                && start != g.cluster.start
            {
                end = start;
            }
            right = Some(g.cluster.start);
            g.cluster.end = end;
        }
        Ok(())
    }
}

/// Characters that get no glyph: line feeds and other controls (UAX #14 BK, CR, LF, NL).
pub(crate) fn is_control(ch: char) -> bool {
    ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}')
}
