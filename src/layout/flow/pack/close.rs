//! The band that ends a page: the next few modules set side by side or stacked down to the
//! foot, the article at the foot cut and continued on the next page.

use std::collections::VecDeque;

use super::bands::compositions;
use super::units::{rows_per_column, set_unit, shared_spans, spans};
use super::{
    HOLE_TOLERANCE_ROWS, MAX_BAND, MAX_STACK, MAX_STACKED_UNITS, MIN_PHOTO_SCALE, MIN_SPLIT_ROWS, PULL_AHEAD,
    PULL_COST_ROWS, Unit,
};
use crate::layout::flow::module::{self, Module};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{BlockKind, FlowError};
use crate::layout::spec::PublicationKind;
use crate::media::MediaBag;
use crate::model::Figure;

/// A band chosen to end a page: groups of columns side by side down to the foot, each holding
/// up to [`MAX_STACK`] units stacked, one article among them cut at the foot to continue on the
/// next page.
pub(super) struct Closing {
    /// Per group: the queue indices of its units, top to bottom.
    pub(super) groups: Vec<Vec<usize>>,
    /// Per group: each unit's module and, for an article, the body slots it placed.
    pub(super) modules: Vec<Vec<(Module, usize)>>,
    /// Columns each group spans.
    pub(super) ks: Vec<u32>,
    /// The largest number of empty rows left at the foot of any column.
    pub(super) worst_gap: f32,
}

/// Column spans a unit may take in a band that ends a page. A photo may drop to one column
/// there, so that it fits beside the article that is cut at the foot.
fn closing_spans(unit: &Unit<'_>, n: u32) -> (u32, u32) {
    match unit {
        Unit::Photo(_) => (1, n.min(3)),
        _ => spans(unit, n, true),
    }
}

/// A photo news module `width` wide and at most `height` deep, the image scaled down if need be
/// (never below [`MIN_PHOTO_SCALE`] of the width, a stamp-sized photo is worse than a hole).
fn photo_within(
    ts: &Typesetter<'_>,
    f: &Figure,
    media: &MediaBag,
    width: f32,
    height: f32,
    page_height: f32,
) -> Result<Option<Module>, FlowError> {
    let mut max_h = (page_height * 0.5).min(height);
    for _ in 0..3 {
        let m = module::photo_news(ts, f, media, width, max_h)?;
        let image_w = m
            .parts
            .iter()
            .find(|p| p.kind == BlockKind::Image)
            .map_or(width, |p| p.rect.width);
        if image_w < width * MIN_PHOTO_SCALE {
            return Ok(None);
        }
        if m.height <= height + 0.01 {
            return Ok(Some(m));
        }
        max_h -= m.height - height;
        if max_h <= 0.0 {
            break;
        }
    }
    Ok(None)
}

/// Find the band that best fills the last `height` of a page from `queue[skip..]`.
///
/// Its units are taken in reading order from the next few queued; a photo or box may be left
/// for later (so a later unit is pulled forward past it), an article is never overtaken, and
/// nothing crosses a section banner. Up to [`MAX_BAND`] column groups stand side by side, each
/// holding up to [`MAX_STACK`] units stacked (the lowest may be the cut article), as newspaper pages
/// are made up of stacked and side-by-side modules. An article is cut only when at least
/// [`MIN_SPLIT_ROWS`] rows per column stay on either side, and only one per band, so the
/// next page opens with one continuation. Returns the band with the least empty space at the
/// foot, if any is possible.
#[allow(clippy::too_many_arguments)]
pub(super) fn closing_band(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    queue: &VecDeque<Unit<'_>>,
    skip: usize,
    n: u32,
    height: f32,
    page_height: f32,
) -> Result<Option<Closing>, FlowError> {
    let pitch = ts.pitch();
    let bulletin = ts.spec.kind == PublicationKind::Bulletin;
    if height < pitch * (MIN_SPLIT_ROWS + 1.0) {
        return Ok(None);
    }
    let window: Vec<&Unit<'_>> = queue
        .iter()
        .skip(skip)
        .take(MAX_BAND + PULL_AHEAD)
        .take_while(|u| !matches!(u, Unit::Banner(_)))
        .collect();
    let alone = |u: &Unit<'_>| matches!(u, Unit::Article { set, .. } if set.lead && set.part == 1);
    // Orders: subsequences of the window that skip only photos and boxes.
    let mut orders: Vec<Vec<usize>> = Vec::new();
    for mask in 1u32..(1 << window.len()) {
        let chosen: Vec<usize> = (0..window.len()).filter(|i| mask & (1 << i) != 0).collect();
        if chosen.len() > MAX_STACKED_UNITS {
            continue;
        }
        let Some(&last) = chosen.last() else { continue };
        let overtakes = window
            .iter()
            .take(last)
            .enumerate()
            .any(|(i, u)| mask & (1 << i) == 0 && matches!(u, Unit::Article { .. }));
        if overtakes || (chosen.len() > 1 && chosen.iter().any(|&i| window.get(i).copied().is_some_and(alone))) {
            continue;
        }
        orders.push(chosen);
    }
    // Each unit set once per width and height: (module, slots placed, cut), or None.
    type Fit = Option<(Module, usize, bool)>;
    let mut fits: std::collections::HashMap<(usize, u32, u32), Fit> = std::collections::HashMap::new();
    let mut fit = |i: usize, k: u32, h: f32| -> Result<Fit, FlowError> {
        let key = (i, k, h.to_bits());
        if let Some(f) = fits.get(&key) {
            return Ok(f.clone());
        }
        let Some(&unit) = window.get(i) else { return Ok(None) };
        let f = fit_unit(ts, media, unit, k, h, page_height)?;
        fits.insert(key, f.clone());
        Ok(f)
    };
    let mut best: Option<(f32, f32, Closing)> = None;
    for order in &orders {
        for groups in groupings(order) {
            let limits: Vec<(u32, u32)> = groups
                .iter()
                .map(|g| shared_spans(g.iter().filter_map(|&i| window.get(i).map(|u| closing_spans(u, n))), n))
                .collect();
            if limits.iter().any(|(lo, hi)| lo > hi) {
                continue;
            }
            'ks: for ks in compositions(&limits, n) {
                let mut worst: f32 = 0.0;
                let mut waste = 0.0;
                let mut cut = 0;
                let mut modules = Vec::new();
                for (gi, (g, &k)) in groups.iter().zip(&ks).enumerate() {
                    let mut left = height;
                    let mut col = Vec::new();
                    for (pos, &i) in g.iter().enumerate() {
                        let Some((m, placed, truncated)) = fit(i, k, left)? else {
                            continue 'ks;
                        };
                        // Only the lowest unit of a stack may be cut.
                        if truncated && pos + 1 < g.len() {
                            continue 'ks;
                        }
                        // A bulletin is read column after column with no jump lines, so
                        // only the last group, where reading goes on to the next page, is cut.
                        if truncated && bulletin && gi + 1 < groups.len() {
                            continue 'ks;
                        }
                        cut += usize::from(truncated);
                        left -= m.height + pitch;
                        col.push((m, placed));
                    }
                    let gap = ((left + pitch) / pitch).max(0.0);
                    worst = worst.max(gap);
                    waste += gap * k as f32;
                    modules.push(col);
                }
                if cut > 1 {
                    continue;
                }
                let empty = n - ks.iter().sum::<u32>();
                if empty > 0 {
                    worst = worst.max(height / pitch);
                    waste += height / pitch * empty as f32;
                }
                // A unit taken out of reading order costs a little, so that order wins a tie.
                let pulled = order.iter().enumerate().filter(|&(pos, &i)| i != pos).count();
                let score = waste + pulled as f32 * PULL_COST_ROWS;
                let key = worst.max(HOLE_TOLERANCE_ROWS);
                if best
                    .as_ref()
                    .is_none_or(|(bk, bs, _)| key < *bk - 1e-3 || (key < *bk + 1e-3 && score < *bs - 1e-3))
                {
                    best = Some((
                        key,
                        score,
                        Closing {
                            groups: groups.iter().map(|g| g.iter().map(|&i| i + skip).collect()).collect(),
                            modules,
                            ks: ks.clone(),
                            worst_gap: worst,
                        },
                    ));
                }
            }
        }
    }
    Ok(best.map(|(_, _, c)| c))
}

/// Ways to cut a sequence into at most [`MAX_BAND`] runs of up to [`MAX_STACK`] units
/// (side-by-side groups, each a single module or a stack).
fn groupings(order: &[usize]) -> Vec<Vec<Vec<usize>>> {
    fn rec(rest: &[usize], cur: &mut Vec<Vec<usize>>, out: &mut Vec<Vec<Vec<usize>>>) {
        if rest.is_empty() {
            out.push(cur.clone());
            return;
        }
        if cur.len() == MAX_BAND {
            return;
        }
        for take in 1..=MAX_STACK.min(rest.len()) {
            let (head, tail) = rest.split_at(take);
            cur.push(head.to_vec());
            rec(tail, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    rec(order, &mut Vec::new(), &mut out);
    out
}

/// A unit set at `k` columns to stand in the last `height` of a page: an article cut there if
/// it is longer (only where [`MIN_SPLIT_ROWS`] rows per column stay on each side), a photo
/// scaled to fit; `None` when it cannot. The flag says whether the article was cut.
fn fit_unit(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    unit: &Unit<'_>,
    k: u32,
    height: f32,
    page_height: f32,
) -> Result<Option<(Module, usize, bool)>, FlowError> {
    let pitch = ts.pitch();
    match unit {
        Unit::Article { set, .. } => {
            let (m, placed) = set_unit(ts, media, unit, k, Some(height), page_height)?;
            if !m.truncated {
                return Ok((m.height <= height + 0.01).then_some((m, placed, false)));
            }
            let rest = set.slots.len().saturating_sub(set.from + placed);
            let ok = placed > 0
                && rows_per_column(&m, pitch) + 0.01 >= MIN_SPLIT_ROWS
                && rest as f32 >= MIN_SPLIT_ROWS * k as f32;
            Ok(ok.then_some((m, placed, true)))
        }
        Unit::Photo(f) => {
            let width = module::span_width(ts, k);
            Ok(photo_within(ts, f, media, width, height, page_height)?.map(|m| (m, 0, false)))
        }
        Unit::Box(_) => {
            let (m, _) = set_unit(ts, media, unit, k, None, page_height)?;
            Ok((m.height <= height + 0.01).then_some((m, 0, false)))
        }
        Unit::Banner(_) => Ok(None),
    }
}
