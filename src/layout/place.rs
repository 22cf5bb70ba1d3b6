//! Glyph placement: the chosen lines justified and turned into positioned glyph runs.

use super::fit::{Breaks, Setting, is_last};
use super::font::{FontBook, Role};
use super::frame::{Glyph, GlyphRun, Line};
use super::justify::{self, Span};
use super::linebreak::Items;
use super::params::{Align, ComposeParams};
use super::shape::{RunSpec, ShapedGlyph};

/// The ideographic em box of CJK fonts, `(ascent, descent)` in ems, for a paragraph without runs.
const CJK_EM_BOX: (f32, f32) = (0.88, 0.12);

/// Positions the glyphs of every line.
pub(crate) fn build_lines(
    book: &FontBook,
    text: &str,
    glyphs: &[ShapedGlyph],
    items: &Items,
    breaks: &Breaks,
    specs: &[RunSpec],
    params: &ComposeParams,
) -> Vec<Line> {
    let setting = Setting::new(params);
    let primary = specs
        .first()
        .and_then(|s| book.role(s.role).ok())
        .and_then(|r| r.chain.first());
    let em_box = primary
        .and_then(|&id| book.get(id))
        .map_or(CJK_EM_BOX, |f| (f.ascent, f.descent));
    let mut lines = Vec::with_capacity(breaks.hang.len());
    let mut top = 0.0f32;
    for (index, span) in breaks.spans(&setting).enumerate() {
        let (start, end) = (span.start, span.end);
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
        } + (setting.measure() - avail);
        // G1 (clreq §2.3.5): the em box sits centred in a constant line pitch, placed by the
        // paragraph's primary font, so a fallback font's taller ascender never moves a baseline.
        let size = runs.iter().map(|r| r.size).fold(params.size, f32::max);
        let (ascent, descent) = (em_box.0 * size, em_box.1 * size);
        let height = size * (1.0 + params.line_gap_em);
        let half_leading = (height - ascent - descent) / 2.0;
        let text_start = if index == 0 {
            0
        } else {
            items.atoms.get(start).map_or(0, |a| a.text.start)
        };
        // A line ends where the next line's first atom starts, the last one at the text's end.
        let text_end = items.atoms.get(end).map_or(text.len(), |a| a.text.start);
        lines.push(Line {
            x: offset as f32,
            y: top + half_leading + ascent,
            width: (plan.width - plan.hang) as f32,
            hang: plan.hang as f32,
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
    // The plan has one gap and one blank pair per atom of the span.
    let planned = plan.gaps.iter().zip(&plan.blanks);
    for (k, (&width, &(keep_l, keep_r))) in (span.start..span.end).zip(planned) {
        let Some(atom) = items.atoms.get(k) else {
            continue;
        };
        if k > span.start
            && let Some(gap) = items.gaps.get(k)
        {
            // The gap's width goes on its space glyphs, or else on the previous glyph.
            if gap.spaces.is_empty() {
                if let Some(last) = placed.last_mut() {
                    last.1 += width;
                }
            } else {
                let spaces = glyphs.get(gap.spaces.clone()).unwrap_or_default();
                for (i, g) in spaces.iter().enumerate() {
                    let advance = if i + 1 == gap.spaces.len() { width } else { 0.0 };
                    placed.push((g, advance, g.x_offset));
                }
            }
        }
        let lead = atom.pad.0 - (atom.blank.0 - keep_l);
        let trail = atom.pad.1 - (atom.blank.1 - keep_r);
        let first = placed.len();
        for g in glyphs.get(atom.glyphs.clone()).unwrap_or_default() {
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
