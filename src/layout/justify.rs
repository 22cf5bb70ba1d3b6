//! Line widths and justification: fixed punctuation compression, then shrink or stretch in
//! clreq's priority order.
//!
//! A line's natural width already has the compressions that are not optional: adjacent marks
//! (P2, clreq §3.1.6.2), the blank half of a mark at line end (P4, GB/T 15834 §5.1.10) and, when
//! asked, of an opening mark at line start (P3, §3.1.6.3). Justification then shrinks (§3.5.3)
//! or stretches (§3.5.4) one priority tier after another, spreading each tier's share evenly
//! (in proportion to each item's room, which is equal for the marks of one tier).

use super::linebreak::{Atom, Glue, Items, Kind};
use super::punct::Punct;

/// Shrink priority tiers of clreq §3.5.3, first used first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Western word spaces, down to a quarter em.
    Word = 0,
    /// The interpunct, down to half an em.
    Interpunct = 1,
    /// Brackets and quotes, down to half an em.
    Bracket = 2,
    /// `，、；：`, down to half an em.
    Comma = 3,
    /// Han–Latin space, down to an eighth of an em.
    HanLatin = 4,
    /// `。？！`, down to half an em; the last resort.
    Stop = 5,
}

/// Number of shrink tiers.
pub(crate) const TIERS: usize = 6;

/// Narrowest word space, in ems (clreq §3.5.3).
const WORD_MIN: f64 = 0.25;
/// Narrowest Han–Latin space, in ems (clreq §3.5.3).
const HAN_LATIN_MIN: f64 = 0.125;
/// Widest word or Han–Latin space before letter-spacing starts, in ems (clreq §3.5.4).
const GLUE_MAX: f64 = 0.5;

/// The shrink tier of a mark's blanks.
pub(crate) fn tier(atom: &Atom) -> Option<Tier> {
    match atom.kind {
        Kind::Punct(Punct::Interpunct) => Some(Tier::Interpunct),
        Kind::Punct(Punct::Opening | Punct::Closing) => Some(Tier::Bracket),
        Kind::Punct(Punct::Comma) => Some(Tier::Comma),
        Kind::Punct(Punct::Stop) => Some(Tier::Stop),
        _ => None,
    }
}

/// Which atoms a line holds and how its edges are treated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    /// First atom.
    pub(crate) start: usize,
    /// One past the last atom.
    pub(crate) end: usize,
    /// Whether an opening mark at the line start loses its blank half (P3).
    pub(crate) trim_opening: bool,
    /// Whether the last atom (a `、，。`) hangs past the measure (P5, clreq §3.1.7).
    pub(crate) hang: bool,
    /// Whether `。？！` may shrink, the last resort of clreq §3.5.3 (some styles never do).
    pub(crate) shrink_stops: bool,
}

impl Span {
    /// `t` without the room this line may not use.
    pub(crate) fn restrict(self, mut t: Totals) -> Totals {
        if !self.shrink_stops {
            *t.room_mut(Tier::Stop) = 0.0;
        }
        t
    }
}

/// Widths and room of a line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Totals {
    /// Natural width in points, fixed compressions applied.
    pub(crate) natural: f64,
    /// Shrinkable room per tier, in points.
    pub(crate) shrink: [f64; TIERS],
    /// Room to widen word and Han–Latin spaces up to half an em, in points.
    pub(crate) glue_stretch: f64,
    /// Gaps that letter-spacing may widen.
    pub(crate) gaps: usize,
    /// Non-punctuation characters (G4).
    pub(crate) letters: usize,
}

impl Totals {
    /// All shrinkable room.
    pub(crate) fn shrink_total(&self) -> f64 {
        self.shrink.iter().sum()
    }

    /// The narrowest the line can be.
    pub(crate) fn min_width(&self) -> f64 {
        self.natural - self.shrink_total()
    }

    /// The shrinkable room of `tier` (`shrink[tier as usize]`, without a bounds check to fail).
    pub(crate) fn room_mut(&mut self, tier: Tier) -> &mut f64 {
        let [word, interpunct, bracket, comma, han_latin, stop] = &mut self.shrink;
        match tier {
            Tier::Word => word,
            Tier::Interpunct => interpunct,
            Tier::Bracket => bracket,
            Tier::Comma => comma,
            Tier::HanLatin => han_latin,
            Tier::Stop => stop,
        }
    }
}

/// The blanks of atom `k` left after fixed compression on line `span`.
///
/// `(0, 0)` for an atom that does not exist (`k` is always one of `span`'s).
pub(crate) fn blanks(items: &Items, k: usize, span: Span) -> (f64, f64) {
    let Some(atom) = items.atoms.get(k) else {
        return (0.0, 0.0);
    };
    // `gaps[k]` and `gaps[k + 1]` surround atom `k` (there are `atoms.len() + 1` gaps).
    let left = if k == span.start {
        if span.trim_opening && atom.kind == Kind::Punct(Punct::Opening) {
            0.0
        } else {
            atom.blank.0
        }
    } else {
        atom.blank.0 - items.gaps.get(k).map_or(0.0, |g| g.trim_next)
    };
    let right = if k + 1 == span.end {
        0.0
    } else {
        atom.blank.1 - items.gaps.get(k + 1).map_or(0.0, |g| g.trim_prev)
    };
    (left.max(0.0), right.max(0.0))
}

/// The glue tier, narrowest and widest width of gap `k`, in points.
pub(crate) fn glue_limits(items: &Items, k: usize) -> Option<(Tier, f64, f64)> {
    let gap = items.gaps.get(k)?;
    match gap.glue {
        Glue::None => None,
        Glue::Word => Some((Tier::Word, WORD_MIN * gap.em, GLUE_MAX * gap.em)),
        Glue::HanLatin => Some((Tier::HanLatin, HAN_LATIN_MIN * gap.em, GLUE_MAX * gap.em)),
    }
}

/// Measures line `span` without allocating (the line breaker calls this for every candidate).
pub(crate) fn totals(items: &Items, span: Span) -> Totals {
    let t = span.restrict(totals_set(items, span));
    if span.hang { hung(items, span.end, t) } else { t }
}

/// Whether the last atom of line `start..end` may hang (clreq §3.1.7, P5): one of `、，。`, after
/// a character that is no mark (never a run of marks hangs), with nothing between them.
pub(crate) fn can_hang(items: &Items, start: usize, end: usize) -> bool {
    if end < start + 2 {
        return false;
    }
    let (Some(prev), Some(mark), Some(gap)) = (
        items.atoms.get(end - 2),
        items.atoms.get(end - 1),
        items.gaps.get(end - 1),
    ) else {
        return false;
    };
    matches!(mark.first, '、' | '，' | '。')
        && mark.text.len() == mark.first.len_utf8()
        && !matches!(prev.kind, Kind::Punct(_))
        && gap.spaces.is_empty()
        && gap.glue == Glue::None
        && !gap.forced
}

/// Totals `t` of a line ending before atom `end` with its last atom hung: the mark no longer
/// counts towards the width, its blank cannot shrink and the gap before it does not stretch.
///
/// `t` unchanged if the line has no last atom.
pub(crate) fn hung(items: &Items, end: usize, mut t: Totals) -> Totals {
    let last = end.checked_sub(1);
    let (Some(mark), Some(gap)) = (
        last.and_then(|k| items.atoms.get(k)),
        last.and_then(|k| items.gaps.get(k)),
    ) else {
        return t;
    };
    let left = (mark.blank.0 - gap.trim_next).max(0.0);
    t.natural -= mark.width - mark.blank.0 - mark.blank.1 + left;
    if let Some(tier) = tier(mark) {
        let room = t.room_mut(tier);
        *room = (*room - left).max(0.0);
    }
    if !gap.rigid {
        t.gaps = t.gaps.saturating_sub(1);
    }
    t
}

/// Measures line `span` as set, ignoring hanging.
fn totals_set(items: &Items, span: Span) -> Totals {
    let mut t = Totals::default();
    let atoms = items.atoms.get(span.start..span.end).unwrap_or_default();
    for (k, atom) in (span.start..).zip(atoms) {
        let (l, r) = blanks(items, k, span);
        t.natural += atom.width - atom.blank.0 - atom.blank.1 + l + r;
        t.letters += atom.letters;
        if let Some(tier) = tier(atom) {
            *t.room_mut(tier) += l + r;
        }
        if k > span.start
            && let Some(gap) = items.gaps.get(k)
        {
            t.natural += gap.glue_width;
            if let Some((tier, min, max)) = glue_limits(items, k) {
                *t.room_mut(tier) += (gap.glue_width - min).max(0.0);
                t.glue_stretch += (max - gap.glue_width).max(0.0);
            }
            if !gap.rigid {
                t.gaps += 1;
            }
        }
    }
    t
}

/// The final geometry of one line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Kept `(left, right)` blank of each atom of the line, in points.
    pub(crate) blanks: Vec<(f64, f64)>,
    /// Width of the gap before each atom (the first is 0), in points.
    pub(crate) gaps: Vec<f64>,
    /// Letter-spacing added after every glyph but the line's last, in points: only for a line
    /// without any gap (one Latin word), so that it still fills the measure.
    pub(crate) tracking: f64,
    /// Width of the hung mark in points (P5), included in `width`.
    pub(crate) hang: f64,
    /// Total width in points.
    pub(crate) width: f64,
}

/// Sets line `span` to `target` points wide, as far as its room allows; `stretch` says whether
/// it may widen (justified non-last lines) or only narrow.
pub(crate) fn plan(items: &Items, span: Span, target: f64, stretch: bool) -> Plan {
    let range = span.start..span.end;
    let mut p = Plan {
        blanks: range.clone().map(|k| blanks(items, k, span)).collect(),
        gaps: range
            .clone()
            .map(|k| {
                if k > span.start {
                    items.gaps.get(k).map_or(0.0, |g| g.glue_width)
                } else {
                    0.0
                }
            })
            .collect(),
        tracking: 0.0,
        hang: 0.0,
        width: 0.0,
    };
    // A hung mark keeps its blanks and takes no stretch: it sits outside the measure.
    let hung = |k: usize| span.hang && k + 1 == span.end;
    let t = totals(items, span);
    let mut need = t.natural - target;
    // clreq §3.5.3: shrink tier by tier, each tier evenly, until the line fits.
    for (tier, &room) in t.shrink.iter().enumerate() {
        if need <= 0.0 {
            break;
        }
        if room <= 0.0 {
            continue;
        }
        let ratio = (need / room).min(1.0);
        // `p.blanks` and `p.gaps` hold one entry per atom of `range`.
        for ((k, blank), gap) in range.clone().zip(&mut p.blanks).zip(&mut p.gaps) {
            if !hung(k)
                && items
                    .atoms
                    .get(k)
                    .and_then(self::tier)
                    .is_some_and(|x| x as usize == tier)
            {
                let (l, r) = *blank;
                *blank = (l * (1.0 - ratio), r * (1.0 - ratio));
            }
            if k > span.start
                && let Some((x, min, _)) = glue_limits(items, k)
                && x as usize == tier
            {
                *gap -= (*gap - min).max(0.0) * ratio;
            }
        }
        need -= room * ratio;
    }
    if stretch && need < 0.0 {
        // clreq §3.5.4: word spaces, then Han–Latin spaces up to half an em, then every
        // inter-character gap alike (never inside `——`/`……`, which are atoms; not next to
        // connectors unless nothing else can take it).
        for glue in [Glue::Word, Glue::HanLatin] {
            // The room to widen gap `k` if it has glue of this kind.
            let widen = |k: usize| {
                let gap = items.gaps.get(k).filter(|g| g.glue == glue)?;
                glue_limits(items, k).map(|(_, _, max)| (max - gap.glue_width).max(0.0))
            };
            let room: f64 = range.clone().skip(1).filter_map(widen).sum();
            if room <= 0.0 || need >= 0.0 {
                continue;
            }
            let ratio = (-need / room).min(1.0);
            for (k, gap) in range.clone().zip(&mut p.gaps).skip(1) {
                if let Some(extra) = widen(k) {
                    *gap += extra * ratio;
                }
            }
            need += room * ratio;
        }
        if need < 0.0 {
            let flexible = |k: usize| items.gaps.get(k).is_some_and(|g| !g.rigid);
            let mut chosen: Vec<usize> = (span.start + 1..span.end)
                .filter(|&k| flexible(k) && !hung(k))
                .collect();
            if chosen.is_empty() {
                chosen = (span.start + 1..span.end)
                    .filter(|&k| !hung(k) && !items.inside_token(k))
                    .collect();
            }
            if !chosen.is_empty() {
                let each = -need / chosen.len() as f64;
                for k in chosen {
                    if let Some(gap) = p.gaps.get_mut(k - span.start) {
                        *gap += each;
                    }
                }
            } else if let Some(atom) = items
                .atoms
                .get(span.start)
                .filter(|a| !a.unit && a.glyphs.len() > 1 && span.end == span.start + 1)
                .filter(|_| !items.inside_token(span.start) && !items.inside_token(span.end))
            {
                // One unit alone: letter-space a Latin word rather than leave the line short;
                // never a `——`/`……` unit (L3), which stays short.
                p.tracking = -need / (atom.glyphs.len() - 1) as f64;
            }
        }
    }
    p.width = range
        .clone()
        .zip(&p.blanks)
        .zip(&p.gaps)
        .filter_map(|((k, &(l, r)), &gap)| {
            let atom = items.atoms.get(k)?;
            Some(atom.width - atom.blank.0 - atom.blank.1 + l + r + gap)
        })
        .sum::<f64>()
        + p.tracking
            * items
                .atoms
                .get(span.start)
                .map_or(0, |a| a.glyphs.len().saturating_sub(1)) as f64;
    // The hung mark is the line's last atom, with the last blanks and gap of the plan.
    if span.hang
        && let Some(mark) = span.end.checked_sub(1).and_then(|k| items.atoms.get(k))
        && let (Some(&(l, r)), Some(&gap)) = (p.blanks.last(), p.gaps.last())
    {
        p.hang = mark.width - mark.blank.0 - mark.blank.1 + l + r + gap;
    }
    p
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::layout::font::{FontBook, Role};
    use crate::layout::linebreak::{BreakRules, itemize};
    use crate::layout::punct::Kinsoku;
    use crate::layout::shape::{RunSpec, Shaper};

    /// Atoms and gaps of `text` in the bundled serif at 10 pt.
    pub(crate) fn items(text: &str) -> Items {
        let mut book = FontBook::new();
        let serif = book
            .load(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf"), 0)
            .unwrap();
        book.set_role(Role::Body, vec![serif], false);
        let shaper = Shaper::new(&book).unwrap();
        let runs = [RunSpec {
            range: 0..text.len(),
            role: Role::Body,
            size: 10.0,
        }];
        let glyphs = shaper.shape(text, &runs).unwrap();
        let blank = |g: &crate::layout::shape::ShapedGlyph, ch: char| {
            let (l, r) = book.get(g.font).unwrap().blank(ch);
            (f64::from(l), f64::from(r))
        };
        itemize(
            text,
            &glyphs,
            blank,
            BreakRules {
                kinsoku: Kinsoku::Gb,
                han_latin: 0.25,
                phrases: false,
                anywhere: false,
            },
        )
    }

    #[test]
    fn shrink_follows_clreq_3_5_3_priority() {
        // `（中）中，中`: brackets (tier 2) give their blanks before the comma (tier 3).
        let items = items("中（中）中，中");
        let span = Span {
            start: 0,
            end: items.atoms.len(),
            trim_opening: true,
            hang: false,
            shrink_stops: true,
        };
        let t = totals(&items, span);
        assert!((t.natural - 70.0).abs() < 1e-9);
        let plan = plan(&items, span, 62.5, false);
        assert!((plan.width - 62.5).abs() < 1e-9);
        assert_eq!(plan.blanks[5], (0.0, 5.0), "the comma keeps its blank");
        assert_eq!(
            plan.blanks[1].0 + plan.blanks[3].1,
            2.5,
            "brackets share the shrink evenly"
        );
    }
}
