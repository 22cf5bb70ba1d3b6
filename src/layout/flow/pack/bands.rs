//! Band planning: the column spans of the next bands that set everything still queued in the
//! least total depth.

use std::collections::VecDeque;

use super::units::{ModuleCache, cached, rows_per_column, shared_spans, spans, stack_height};
use super::{MIN_ROWS_PER_COLUMN, Unit};
use crate::layout::flow::FlowError;
use crate::layout::flow::typeset::Typesetter;
use crate::media::MediaBag;

/// A planned band: per column group, left to right, how many consecutive queued units it
/// stacks and how many columns it spans.
pub(super) type Band = Vec<(usize, u32)>;

/// Units a planned band takes from the queue.
pub(super) fn units_in(band: &[(usize, u32)]) -> usize {
    band.iter().map(|&(count, _)| count).sum()
}

/// The shapes a planned band may take: per column group, left to right, how many units it
/// stacks, at most [`MAX_BAND`](super::MAX_BAND) groups of one or two and four units in all; unstacked shapes
/// first, so that a tie keeps the simpler band.
const SHAPES: [&[usize]; 10] = [
    &[1],
    &[1, 1],
    &[1, 1, 1],
    &[2],
    &[1, 2],
    &[2, 1],
    &[1, 1, 2],
    &[1, 2, 1],
    &[2, 1, 1],
    &[2, 2],
];

/// Plan bands for every queued unit: a dynamic programme over the queue that minimises the
/// total depth (band heights plus the gap between bands) plus a penalty for starved articles
/// (fewer than [`MIN_ROWS_PER_COLUMN`] rows per column). A band holds at most [`MAX_BAND`](super::MAX_BAND)
/// column groups side by side, each one unit or two consecutive units stacked at the same
/// width (two short articles beside a long one end level with it instead of leaving a hole
/// under one), in reading order. Banners and page 1's lead article stand alone across the page.
// Indexing: `best` has `len + 1` entries and is read at `i` and `i + m` with `i < len` and
// `m <= len - i` (the shapes' sums), and `units[i..i + m]` lies within `units.len() == len`.
#[allow(clippy::indexing_slicing)]
pub(super) fn plan_bands(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    queue: &VecDeque<Unit<'_>>,
    n: u32,
    page_height: f32,
    narrow: bool,
    cache: &mut ModuleCache,
) -> Result<Vec<Band>, FlowError> {
    let pitch = ts.pitch();
    let units: Vec<&Unit<'_>> = queue.iter().collect();
    let len = units.len();
    let alone = |u: &Unit<'_>| {
        matches!(u, Unit::Banner(_)) || matches!(u, Unit::Article { set, .. } if set.lead && set.part == 1)
    };
    // best[i]: (cost, band) of the best plan for units[i..].
    let mut best: Vec<Option<(f32, Band)>> = vec![None; len + 1];
    best[len] = Some((0.0, Vec::new()));
    for i in (0..len).rev() {
        let mut here: Option<(f32, Band)> = None;
        for shape in SHAPES {
            let m: usize = shape.iter().sum();
            if m > len - i {
                continue;
            }
            let members = &units[i..i + m];
            if m > 1 && members.iter().any(|u| alone(u)) {
                continue;
            }
            let Some((rest_cost, _)) = &best[i + m] else { continue };
            // The groups' members, and the spans every member of a group may take.
            let mut groups: Vec<&[&Unit<'_>]> = Vec::with_capacity(shape.len());
            let mut at = 0;
            for &count in shape {
                groups.push(&members[at..at + count]);
                at += count;
            }
            let limits: Vec<(u32, u32)> = groups
                .iter()
                .map(|g| shared_spans(g.iter().map(|u| spans(u, n, narrow)), n))
                .collect();
            if limits.iter().any(|(lo, hi)| lo > hi) {
                continue;
            }
            for ks in compositions(&limits, n) {
                let mut h: f32 = 0.0;
                let mut starve = 0.0;
                for (g, &k) in groups.iter().zip(&ks) {
                    let mut heights = Vec::with_capacity(g.len());
                    for u in g.iter() {
                        let module = cached(ts, media, u, k, page_height, cache)?;
                        heights.push(module.height);
                        if matches!(u, Unit::Article { .. }) {
                            starve += (MIN_ROWS_PER_COLUMN - rows_per_column(module, pitch)).max(0.0) * pitch * 0.5;
                        }
                    }
                    h = h.max(stack_height(heights, pitch));
                }
                let cost = h + pitch + starve + rest_cost;
                if here.as_ref().is_none_or(|(c, _)| cost < *c - 1e-3) {
                    here = Some((cost, shape.iter().copied().zip(ks).collect()));
                }
            }
        }
        best[i] = here;
    }
    // Walk the plan.
    let mut plan = Vec::new();
    let mut i = 0;
    while i < len {
        let Some((_, band)) = &best[i] else { break };
        i += units_in(band).max(1);
        plan.push(band.clone());
    }
    Ok(plan)
}

/// Every way to give `m` units column spans summing to `n` within their limits.
pub(super) fn compositions(limits: &[(u32, u32)], n: u32) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(limits: &[(u32, u32)], left: u32, cur: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        match limits.split_first() {
            None => {
                // Columns may stay empty (a narrow box alone); the cost counts them as waste.
                let _ = left;
                out.push(cur.clone());
            }
            Some((&(lo, hi), rest)) => {
                for k in lo..=hi.min(left) {
                    cur.push(k);
                    rec(rest, left - k, cur, out);
                    cur.pop();
                }
            }
        }
    }
    rec(limits, n, &mut cur, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::SHAPES;

    /// The shape list is every way to make a band of at most `MAX_BAND` groups of one or two
    /// units and four units in all, each once, unstacked shapes first.
    #[test]
    fn shapes_are_every_band_of_up_to_three_groups() {
        let mut want = Vec::new();
        for groups in 1..=super::super::MAX_BAND as u32 {
            for bits in 0..(1u32 << groups) {
                let shape: Vec<usize> = (0..groups).map(|g| 1 + (bits >> g & 1) as usize).collect();
                if shape.iter().sum::<usize>() <= 4 {
                    want.push(shape);
                }
            }
        }
        let mut have: Vec<Vec<usize>> = SHAPES.iter().map(|s| s.to_vec()).collect();
        let stacks = |s: &Vec<usize>| s.iter().filter(|&&c| c > 1).count();
        assert!(have.windows(2).all(|w| stacks(&w[0]) <= stacks(&w[1])), "{have:?}");
        have.sort();
        want.sort();
        assert_eq!(have, want);
    }
}
