//! Line breaking by total fit: all breaks of a paragraph chosen together, clreq's rules as costs.
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
//! A [`Meter`] grows each candidate line by one atom in O(1), so a paragraph costs O(n·k) for
//! k atoms per line. Letter-spaced (loose) candidates, most of them lines far too short, are
//! weighed last and skipped when their least possible cost cannot beat the best already found,
//! with the same result as weighing every one (a test compares the two).

use super::error::{LayoutError, LayoutWarning};
use super::frame::Line;
use super::justify::{self, Span, Totals};
use super::linebreak::{Items, Seam};
use super::meter::Meter;
use super::params::{Align, ComposeParams};

/// Badness of a line that uses all its shrinkable room.
pub const SHRINK_BADNESS: f64 = 100.0;
/// Badness of a line that needs the first bit of letter-spacing.
pub const LOOSE_BADNESS: f64 = 100.0;
/// Letter-spacing per gap, in ems, at which a loose line's badness doubles.
const LOOSE_EM: f64 = 0.1;
/// Badness of a line that cannot be filled at all (one atom, nothing to stretch); its demerits
/// `(1 + b)²` reach [`OVERFLOW_COST`], so such a line makes the breaker relax a rule first.
const UNDERFULL_BADNESS: f64 = 1.0e6;
/// Badness of a line whose word and Han–Latin spaces are at their widest (half an em).
const GLUE_BADNESS: f64 = 100.0;
/// Badness per squared em of slack on a ragged (headline) line.
const RAGGED_BADNESS: f64 = 10.0;
/// Extra cost of a line wider than its measure: only chosen when nothing else exists, and then
/// reported as [`LayoutError::UnitTooWide`].
const OVERFLOW_COST: f64 = 1.0e12;
/// How far past the measure, in ems, the breaker keeps looking back for line starts. The
/// narrowest width of a line only grows as atoms are added, so once it exceeds the measure by
/// more than any edge trim could give back (half an em each side), no earlier start can fit.
const LOOK_BACK_EM: f64 = 2.0;
/// Demerits of a headline line besides its slack: a headline of fewer lines takes less of the
/// page, so one more line must buy a hundred ems² of evenness (a line ten ems less short).
const PHRASE_LINE_DEMERITS: f64 = 100.0 * RAGGED_BADNESS;
/// Demerits of a headline break between two words rather than at a phrase boundary: the break an
/// editor typed (a space) or a clause mark wins unless its lines are fifty ems² less even (one
/// line seven ems shorter).
const WORD_DEMERITS: f64 = 50.0 * RAGGED_BADNESS;
/// Demerits of a weak headline break: between two single-character words, in a short quotation.
const WEAK_DEMERITS: f64 = 120.0 * RAGGED_BADNESS;
/// Demerits of a headline break between the parts of a compound word (a name of an office or
/// body): dearer than a third line and its slack, so taken when the word is wider than the line.
const COMPOUND_DEMERITS: f64 = 600.0 * RAGGED_BADNESS;
/// Demerits of a headline break inside a word: only when no other break lets the headline fit.
const INSIDE_DEMERITS: f64 = 1.0e8;
/// Width tolerance in points (requirement M2: lines are exact to 0.01 pt).
const EPSILON: f64 = 1.0e-6;

/// Geometry shared by the breaker and the line builder.
pub(crate) struct Setting<'p> {
    /// The parameters.
    params: &'p ComposeParams,
    /// Measure in points.
    measure: f64,
    /// Indent in points.
    indent: f64,
}

impl<'p> Setting<'p> {
    /// The geometry of `params`.
    pub(crate) fn new(params: &'p ComposeParams) -> Self {
        Setting {
            params,
            measure: f64::from(params.measure()),
            indent: f64::from(params.indent_em * params.size),
        }
    }

    /// The measure in points.
    pub(crate) fn measure(&self) -> f64 {
        self.measure
    }

    /// The span of atoms `start..end`, its last atom hung if `hang`.
    pub(crate) fn span(&self, start: usize, end: usize, hang: bool) -> Span {
        Span {
            start,
            end,
            trim_opening: self.params.trim_opening_at_line_start,
            hang,
            shrink_stops: self.params.shrink_stops,
        }
    }

    /// The width available to a line starting at atom `start`.
    pub(crate) fn avail(&self, start: usize) -> f64 {
        if start == 0 {
            self.measure - self.indent
        } else {
            self.measure
        }
    }
}

/// Whether a line ending before atom `end` is a last line (paragraph end or forced break).
pub(crate) fn is_last(items: &Items, end: usize) -> bool {
    end == items.atoms.len() || items.gaps.get(end).is_some_and(|g| g.forced)
}

/// `x²` by one multiplication: IEEE 754 rounds it the same everywhere, where `powi` and `powf`
/// are left to each platform's library (`clippy.toml` bans them).
fn square(x: f64) -> f64 {
    x * x
}

/// `x³` by two multiplications, for the same reason as [`square`].
fn cube(x: f64) -> f64 {
    x * x * x
}

/// The badness of a line with totals `t` in `avail` points (see the module docs).
fn badness(t: &Totals, avail: f64, last: bool, params: &ComposeParams) -> f64 {
    let em = f64::from(params.size);
    let slack = avail - t.natural;
    if slack < -EPSILON {
        let room = t.shrink_total().max(EPSILON);
        return SHRINK_BADNESS * cube((-slack / room).min(1.0));
    }
    if is_loose(t, avail, last, params) {
        if t.gaps == 0 {
            return UNDERFULL_BADNESS;
        }
        let per_gap = (slack - t.glue_stretch) / t.gaps as f64 / em;
        return LOOSE_BADNESS * (1.0 + cube(per_gap / LOOSE_EM));
    }
    match params.align {
        Align::Justify if last || slack <= EPSILON => 0.0,
        // Not loose, so the slack is at most the glue's stretch.
        Align::Justify => GLUE_BADNESS * cube(slack / t.glue_stretch),
        Align::Left if last => 0.0,
        // Ragged lines: prefer balanced lengths (centred headlines include the last line).
        Align::Left | Align::Center => RAGGED_BADNESS * square(slack / em),
    }
}

/// Chooses the breaks: `result[k]` is the first atom of line `k`, plus the end.
///
/// Rules give way one at a time, and only when no break sequence can fill every line
/// otherwise: first the 孤字 rule (G4), then the kinsoku level (down to basic), and last the
/// measure itself, which [`LayoutError::UnitTooWide`] then reports.
pub(crate) fn break_lines(text: &str, items: &Items, params: &ComposeParams) -> Result<Breaks, LayoutError> {
    let setting = Setting::new(params);
    let n = items.atoms.len();
    if n == 0 {
        return Ok(Breaks {
            at: vec![0],
            hang: Vec::new(),
        });
    }
    let passes = [
        Pass {
            orphans: true,
            relaxed: false,
            overflow: false,
        },
        Pass {
            orphans: false,
            relaxed: false,
            overflow: false,
        },
        Pass {
            orphans: true,
            relaxed: true,
            overflow: false,
        },
        Pass {
            orphans: false,
            relaxed: true,
            overflow: false,
        },
        Pass {
            orphans: false,
            relaxed: true,
            overflow: true,
        },
    ];
    for pass in passes {
        if let Some(breaks) = best_breaks(items, &setting, pass) {
            check_fit(text, items, &setting, &breaks)?;
            return Ok(breaks);
        }
    }
    Ok(Breaks {
        at: vec![0, n],
        hang: vec![false],
    })
}

/// Which rules one run of the line breaker enforces.
#[derive(Debug, Clone, Copy)]
struct Pass {
    /// Whether the last line must hold `min_last_letters` characters (G4).
    orphans: bool,
    /// Whether breaks of the basic kinsoku level are allowed too.
    relaxed: bool,
    /// Whether lines may be wider than the measure (or unfillable) at a huge cost.
    overflow: bool,
}

impl Pass {
    /// Whether a line may end before atom `k`.
    fn can_break(self, items: &Items, k: usize) -> bool {
        k == 0
            || k == items.atoms.len()
            || items
                .gaps
                .get(k)
                .is_some_and(|g| if self.relaxed { g.can_break_basic } else { g.can_break })
    }
}

/// The dynamic programme; `None` if no break sequence meets the constraints.
// Indexing: `cost`, `prev` and `hangs` have n + 1 entries, and every index is in 0..=n: `end` by
// its loop range 1..=n, `start` < `end` because the meter only grows leftwards from `end`, and
// `at` is n or a stored `prev[..]`, itself some `start`. Checked accesses in this O(n·k) loop
// would only add dead branches.
#[allow(clippy::indexing_slicing)]
fn best_breaks(items: &Items, s: &Setting<'_>, pass: Pass) -> Option<Breaks> {
    let n = items.atoms.len();
    let em = f64::from(s.params.size);
    let mut cost = vec![f64::INFINITY; n + 1];
    let mut prev = vec![0usize; n + 1];
    let mut hangs = vec![false; n + 1];
    cost[0] = 0.0;
    // Loose candidates of the current end, weighed after the others (see below).
    let mut loose: Vec<(usize, Totals)> = Vec::new();
    for end in 1..=n {
        if !pass.can_break(items, end) {
            continue;
        }
        let last = is_last(items, end);
        // The paragraph's end is no break between two atoms: it has no seam to pay for.
        let penalty = items
            .gaps
            .get(end)
            .filter(|_| end < n)
            .map_or(0.0, |g| seam_demerits(g.seam));
        let mut meter = Meter::new(items, end, s.params.trim_opening_at_line_start);
        loose.clear();
        while meter.grow() {
            let start = meter.start();
            if start + 1 < end && items.gaps.get(start + 1).is_some_and(|g| g.forced) {
                break;
            }
            if !pass.can_break(items, start) || cost[start].is_infinite() {
                continue;
            }
            let set = s.span(start, end, false).restrict(meter.totals());
            debug_assert!((set.natural - justify::totals(items, s.span(start, end, false)).natural).abs() < 1e-6);
            if pass.orphans && end == n && start > 0 && set.letters < s.params.min_last_letters {
                continue;
            }
            let avail = s.avail(start);
            if is_loose(&set, avail, last, s.params) {
                loose.push((start, set));
                continue;
            }
            let Some((demerits, hung)) = best_line(items, s, pass, start, end, last, &set) else {
                // A mark hangs by at most an em, well inside the look-back margin.
                if set.min_width() - avail > LOOK_BACK_EM * em {
                    break;
                }
                continue;
            };
            let total = cost[start] + demerits + penalty;
            if total < cost[end] {
                cost[end] = total;
                prev[end] = start;
                hangs[end] = hung;
            }
        }
        // A loose line (letter-spaced) costs at least `(1 + LOOSE_BADNESS)²`, and most of those
        // tried are far too short to be chosen: once the others have set the end's best cost,
        // each is first checked against that bound, which skips the three divisions of its
        // badness (a third of the breaker's time). The result is the same as weighing every
        // candidate in turn: the least total, and on a tie the candidate met first, i.e. the
        // one with the later start.
        for &(start, set) in &loose {
            if cost[start] + LOOSE_DEMERITS + penalty > cost[end] {
                continue;
            }
            let Some((demerits, hung)) = best_line(items, s, pass, start, end, last, &set) else {
                continue;
            };
            let total = cost[start] + demerits + penalty;
            if total < cost[end] || (total == cost[end] && start > prev[end]) {
                cost[end] = total;
                prev[end] = start;
                hangs[end] = hung;
            }
        }
    }
    outcome(&cost, &prev, &hangs, pass)
}

/// The breaks the programme chose, walked back from the paragraph's end: `cost[k]`, `prev[k]` and
/// `hangs[k]` are the best cost of a line ending before atom `k`, that line's start and whether
/// it hangs. `None` if the end was not reached, or only by overflowing where `pass` forbids it.
#[allow(clippy::indexing_slicing)] // `prev` holds starts, all below its length
fn outcome(cost: &[f64], prev: &[usize], hangs: &[bool], pass: Pass) -> Option<Breaks> {
    let n = cost.len().checked_sub(1)?;
    if cost[n].is_infinite() || cost[n] >= OVERFLOW_COST && !pass.overflow {
        return None;
    }
    let mut breaks = Breaks {
        at: vec![n],
        hang: vec![hangs[n]],
    };
    let mut at = n;
    while at > 0 {
        at = prev[at];
        breaks.at.push(at);
        breaks.hang.push(hangs[at]);
    }
    breaks.at.reverse();
    // `hang[k]` belongs to the line ending at `at[k]`; line k ends at `at[k + 1]`.
    breaks.hang.reverse();
    breaks.hang.remove(0);
    Some(breaks)
}

/// The least demerits of a loose line: `(1 + LOOSE_BADNESS)²` (an unfillable one costs more).
const LOOSE_DEMERITS: f64 = (1.0 + LOOSE_BADNESS) * (1.0 + LOOSE_BADNESS);

/// Whether a justified line with totals `t` in `avail` points needs letter-spacing: [`badness`]'s
/// loose and unfillable cases, whose badness is at least [`LOOSE_BADNESS`]. Its hung form (P5)
/// is narrower, so it is loose too.
fn is_loose(t: &Totals, avail: f64, last: bool, params: &ComposeParams) -> bool {
    let slack = avail - t.natural;
    params.align == Align::Justify && !last && slack > EPSILON && slack > t.glue_stretch
}

/// The better of line `start..end` as set and, where P5 allows, with its last mark hung: its
/// demerits and whether it hangs; `None` if neither fits.
fn best_line(
    items: &Items,
    s: &Setting<'_>,
    pass: Pass,
    start: usize,
    end: usize,
    last: bool,
    set: &Totals,
) -> Option<(f64, bool)> {
    let avail = s.avail(start);
    let single = end - start == 1;
    let plain = demerits(set, avail, last, single, pass, s.params);
    // P5: with hanging on, a line ending in `、，。` may also be tried with the mark hung; it is
    // taken only if strictly better.
    let hung = if s.params.hanging && !last && justify::can_hang(items, start, end) {
        demerits(&justify::hung(items, end, *set), avail, last, single, pass, s.params)
    } else {
        None
    };
    match (plain, hung) {
        (Some(p), Some(h)) if h < p => Some((h, true)),
        (Some(p), _) => Some((p, false)),
        (None, h) => h.map(|h| (h, true)),
    }
}

/// The demerits of a line with totals `t` in `avail` points, `(1 + badness)²` plus the overflow
/// cost; `None` if the line cannot be that narrow and `pass` allows no overflow (a `single`
/// atom that fits nowhere always may).
fn demerits(t: &Totals, avail: f64, last: bool, single: bool, pass: Pass, params: &ComposeParams) -> Option<f64> {
    let over = t.min_width() - avail;
    let extra = if over <= EPSILON {
        0.0
    } else if pass.overflow || single {
        OVERFLOW_COST * (1.0 + over)
    } else {
        return None;
    };
    let badness = badness(t, avail, last, params);
    // A headline set by phrases weighs slack linearly against its seams and its number of lines
    // (squared, a short line's demerits would drown every seam's); other text by Knuth–Plass.
    let line = if params.phrases && params.align != Align::Justify {
        PHRASE_LINE_DEMERITS + badness
    } else {
        square(1.0 + badness)
    };
    Some(line + extra)
}

/// The demerits of ending a headline line at a gap of `seam` (see [`Seam`]).
fn seam_demerits(seam: Seam) -> f64 {
    match seam {
        Seam::Phrase => 0.0,
        Seam::Word => WORD_DEMERITS,
        Seam::Weak => WEAK_DEMERITS,
        Seam::Compound => COMPOUND_DEMERITS,
        Seam::Inside => INSIDE_DEMERITS,
    }
}

/// The chosen breaks of a paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Breaks {
    /// The first atom of each line, then the number of atoms.
    pub(crate) at: Vec<usize>,
    /// Per line: whether its last mark hangs past the measure (P5).
    pub(crate) hang: Vec<bool>,
}

impl Breaks {
    /// Each line's span.
    pub(crate) fn spans<'a>(&'a self, s: &'a Setting<'_>) -> impl Iterator<Item = Span> + 'a {
        self.at
            .iter()
            .zip(self.at.iter().skip(1))
            .zip(&self.hang)
            .map(|((&start, &end), &hang)| s.span(start, end, hang))
    }
}

/// Reports the first line that cannot shrink into its measure.
fn check_fit(text: &str, items: &Items, s: &Setting<'_>, breaks: &Breaks) -> Result<(), LayoutError> {
    for span in breaks.spans(s) {
        let t = justify::totals(items, span);
        let avail = s.avail(span.start);
        if t.min_width() > avail + EPSILON {
            // The line's source bytes, from its first atom to its last.
            let from = items.atoms.get(span.start).map_or(0, |a| a.text.start);
            let to = span
                .end
                .checked_sub(1)
                .and_then(|k| items.atoms.get(k))
                .map_or(from, |a| a.text.end);
            return Err(LayoutError::UnitTooWide {
                text: text.get(from..to).unwrap_or_default().to_owned(),
                text_offset: from,
                width: t.min_width() as f32,
                measure: avail as f32,
            });
        }
    }
    Ok(())
}

/// The rules composition gave up in a paragraph broken at `breaks` into `lines`.
pub(crate) fn warnings(items: &Items, breaks: &Breaks, lines: &[Line], params: &ComposeParams) -> Vec<LayoutWarning> {
    let mut out = Vec::new();
    let measure = params.measure();
    for (line, &end) in breaks.at.iter().skip(1).enumerate() {
        if end < items.atoms.len() && items.gaps.get(end).is_some_and(|g| !g.can_break) {
            out.push(LayoutWarning::KinsokuRelaxed { line });
        }
        let justified = params.align == Align::Justify && !is_last(items, end);
        // A line that ends inside an address stays short on purpose (see `justify`).
        if let Some(l) = lines.get(line)
            && justified
            && !items.inside_token(end)
            && l.width < measure - l.x - 0.01
        {
            out.push(LayoutWarning::Underfull { line });
        }
    }
    if let [.., start, end] = breaks.at.as_slice()
        && *start > 0
        && params.align == Align::Justify
    {
        let letters: usize = items
            .atoms
            .get(*start..*end)
            .unwrap_or_default()
            .iter()
            .map(|a| a.letters)
            .sum();
        if letters < params.min_last_letters {
            out.push(LayoutWarning::ShortLastLine);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::justify::tests::items;

    /// [`best_breaks`] as it was before loose lines were deferred: every candidate weighed in
    /// the order the meter meets it.
    #[allow(clippy::indexing_slicing)]
    fn every_candidate(items: &Items, s: &Setting<'_>, pass: Pass) -> Option<Breaks> {
        let n = items.atoms.len();
        let em = f64::from(s.params.size);
        let mut cost = vec![f64::INFINITY; n + 1];
        let mut prev = vec![0usize; n + 1];
        let mut hangs = vec![false; n + 1];
        cost[0] = 0.0;
        for end in 1..=n {
            if !pass.can_break(items, end) {
                continue;
            }
            let last = is_last(items, end);
            let mut meter = Meter::new(items, end, s.params.trim_opening_at_line_start);
            while meter.grow() {
                let start = meter.start();
                if start + 1 < end && items.gaps.get(start + 1).is_some_and(|g| g.forced) {
                    break;
                }
                if !pass.can_break(items, start) || cost[start].is_infinite() {
                    continue;
                }
                let set = s.span(start, end, false).restrict(meter.totals());
                if pass.orphans && end == n && start > 0 && set.letters < s.params.min_last_letters {
                    continue;
                }
                let Some((demerits, hung)) = best_line(items, s, pass, start, end, last, &set) else {
                    if set.min_width() - s.avail(start) > LOOK_BACK_EM * em {
                        break;
                    }
                    continue;
                };
                let total = cost[start] + demerits;
                if total < cost[end] {
                    cost[end] = total;
                    prev[end] = start;
                    hangs[end] = hung;
                }
            }
        }
        outcome(&cost, &prev, &hangs, pass)
    }

    #[test]
    fn deferring_loose_lines_changes_no_break() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed.txt")).unwrap();
        let paragraphs: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(24).collect();
        let mut compared = 0;
        for p in paragraphs {
            let items = items(p);
            for measure in [4, 7, 13, 15, 22] {
                for align in [Align::Justify, Align::Left] {
                    for hanging in [false, true] {
                        let mut params = ComposeParams::body(10.0, measure);
                        params.align = align;
                        params.hanging = hanging;
                        let s = Setting::new(&params);
                        for relaxed in [false, true] {
                            let pass = Pass {
                                orphans: true,
                                relaxed,
                                overflow: relaxed,
                            };
                            let reference = every_candidate(&items, &s, pass);
                            let got = best_breaks(&items, &s, pass);
                            assert_eq!(got, reference, "{p} at {measure} em, {align:?}, hanging {hanging}");
                            compared += usize::from(got.is_some());
                        }
                    }
                }
            }
        }
        assert!(compared > 400, "only {compared} settings compared");
    }
}
