//! Band planning: the column spans of the next bands that set everything still queued in the
//! least total depth.

use std::collections::VecDeque;

use super::units::{ModuleCache, cached, rows_per_column, spans};
use super::{MAX_BAND, MIN_ROWS_PER_COLUMN, Unit};
use crate::layout::flow::FlowError;
use crate::layout::flow::typeset::Typesetter;
use crate::media::MediaBag;

/// Plan bands for every queued unit: a dynamic programme over the queue that minimises the
/// total depth (band heights plus the gap between bands) plus a penalty for starved articles
/// (fewer than [`MIN_ROWS_PER_COLUMN`] rows per column). Banners and page 1's lead article
/// stand alone across the page; a band holds at most [`MAX_BAND`] consecutive units.
// Indexing: `best` has `len + 1` entries and is read at `i` and `i + m` with `i < len` and
// `m <= len - i` (the loop ranges), and `units[i..i + m]` lies within `units.len() == len`.
#[allow(clippy::indexing_slicing)]
pub(super) fn plan_bands(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    queue: &VecDeque<Unit<'_>>,
    n: u32,
    page_height: f32,
    narrow: bool,
    cache: &mut ModuleCache,
) -> Result<Vec<Vec<u32>>, FlowError> {
    let pitch = ts.pitch();
    let units: Vec<&Unit<'_>> = queue.iter().collect();
    let len = units.len();
    let alone = |u: &Unit<'_>| {
        matches!(u, Unit::Banner(_)) || matches!(u, Unit::Article { set, .. } if set.lead && set.part == 1)
    };
    // best[i]: (cost, band column spans) of the best plan for units[i..].
    let mut best: Vec<Option<(f32, Vec<u32>)>> = vec![None; len + 1];
    best[len] = Some((0.0, Vec::new()));
    for i in (0..len).rev() {
        let mut here: Option<(f32, Vec<u32>)> = None;
        for m in 1..=MAX_BAND.min(len - i) {
            let members = &units[i..i + m];
            if m > 1 && members.iter().any(|u| alone(u)) {
                break;
            }
            let Some((rest_cost, _)) = &best[i + m] else { continue };
            let limits: Vec<(u32, u32)> = members.iter().map(|u| spans(u, n, narrow)).collect();
            for ks in compositions(&limits, n) {
                let mut h: f32 = 0.0;
                let mut starve = 0.0;
                for (u, &k) in members.iter().zip(&ks) {
                    let module = cached(ts, media, u, k, page_height, cache)?;
                    h = h.max(module.height);
                    if matches!(u, Unit::Article { .. }) {
                        starve += (MIN_ROWS_PER_COLUMN - rows_per_column(module, pitch)).max(0.0) * pitch * 0.5;
                    }
                }
                let cost = h + pitch + starve + rest_cost;
                if here.as_ref().is_none_or(|(c, _)| cost < *c - 1e-3) {
                    here = Some((cost, ks));
                }
            }
        }
        best[i] = here;
    }
    // Walk the plan.
    let mut plan = Vec::new();
    let mut i = 0;
    while i < len {
        let Some((_, ks)) = &best[i] else { break };
        i += ks.len().max(1);
        plan.push(ks.clone());
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
