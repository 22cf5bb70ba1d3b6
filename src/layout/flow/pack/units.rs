//! The units an edition is packed from (articles, photos, boxes, banners), the column spans
//! each may take, and the modules they are set as, cached by unit and span.

use std::collections::VecDeque;
use std::sync::Arc;

use super::{Unit, Units};
use crate::layout::flow::module::{ArticleSet, Module};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{BlockKind, CompositionWarning, FlowError, FlowErrorKind, module};
use crate::media::MediaBag;
use crate::model::{Block, Edition, Item as ModelItem};

/// The units of `edition`, its article bodies composed at the column measure (most of the work
/// of setting an edition, and the same wherever the edition starts). `lead_taken` says whether
/// an earlier edition has an article, which then is the lead instead of this edition's
/// first one.
///
/// The bodies are composed side by side on rayon's threads, each from its article alone; an error
/// is the first article's in reading order, as composing one after another would give.
pub(super) fn edition_units<'a>(
    ts: &Typesetter<'_>,
    edition: &'a Edition,
    lead_taken: bool,
) -> Result<Units<'a>, FlowError> {
    use rayon::prelude::*;
    let mut articles = Vec::new();
    articles_of(&edition.items, &mut articles);
    let bodies: Vec<Result<Body, FlowError>> = articles.par_iter().map(|a| module::body_slots(ts, a)).collect();
    let mut bodies = bodies.into_iter();
    let mut queue = VecDeque::new();
    let mut first_article_seen = lead_taken;
    for item in &edition.items {
        push_units(item, &mut bodies, &mut queue, &mut first_article_seen)?;
    }
    Ok(queue)
}

/// An article's body composed: its slots and warnings ([`module::body_slots`]).
pub(super) type Body = (Vec<module::Slot>, Vec<CompositionWarning>);

/// The articles among `items` and in their sections, in reading order (the order [`push_units`]
/// meets them in).
pub(super) fn articles_of<'a>(items: &'a [ModelItem], out: &mut Vec<&'a crate::model::Article>) {
    for item in items {
        match item {
            ModelItem::Article(a) => out.push(a),
            ModelItem::Section(s) => articles_of(&s.items, out),
            ModelItem::PhotoNews(_) | ModelItem::Furniture(_) => {}
        }
    }
}

/// Turn a model item into units, in reading order, taking its articles' composed bodies from
/// `bodies` (in the order of [`articles_of`]).
pub(super) fn push_units<'a>(
    item: &'a ModelItem,
    bodies: &mut impl Iterator<Item = Result<Body, FlowError>>,
    queue: &mut VecDeque<Unit<'a>>,
    first_article_seen: &mut bool,
) -> Result<(), FlowError> {
    match item {
        ModelItem::Article(a) => {
            let (slots, warnings) = bodies.next().ok_or_else(|| FlowError {
                kind: FlowErrorKind::Internal,
                message: format!("article `{}` has no composed body", a.id),
                span: None,
                hint: None,
            })??;
            let (slots, warnings) = (Arc::new(slots), Arc::new(warnings));
            let figures = a
                .body
                .iter()
                .filter_map(|b| match b {
                    Block::Figure(f) => Some(f),
                    _ => None,
                })
                .collect();
            let lead = !*first_article_seen;
            *first_article_seen = true;
            queue.push_back(Unit::Article {
                set: ArticleSet {
                    article: a,
                    slots,
                    from: 0,
                    figures,
                    part: 1,
                    lead,
                    warnings,
                },
                jump_from: None,
                jump: None,
            });
        }
        ModelItem::PhotoNews(f) => queue.push_back(Unit::Photo(f)),
        ModelItem::Furniture(x) => queue.push_back(Unit::Box(x)),
        ModelItem::Section(s) => {
            queue.push_back(Unit::Banner(s));
            for inner in &s.items {
                push_units(inner, bodies, queue, first_article_seen)?;
            }
        }
    }
    Ok(())
}

/// Column spans a unit may take, narrowest first; photos one column wide only if `narrow`.
pub(super) fn spans(unit: &Unit<'_>, n: u32, narrow: bool) -> (u32, u32) {
    match unit {
        Unit::Article { set, .. } if set.lead && set.part == 1 => (n, n),
        Unit::Article { .. } => (1, n),
        Unit::Photo(_) if narrow => (1, n.min(3)),
        Unit::Photo(_) => (n.min(2), n.min(3)),
        Unit::Box(_) => (1, n.min(2)),
        Unit::Banner(_) => (n, n),
    }
}

/// The spans every unit of a stacked column group may take: what all of theirs share (`lo >
/// hi` when they share none).
pub(super) fn shared_spans(spans: impl IntoIterator<Item = (u32, u32)>, n: u32) -> (u32, u32) {
    spans
        .into_iter()
        .fold((1, n), |(lo, hi), (l, h)| (lo.max(l), hi.min(h)))
}

/// Height of modules stacked in one column group, a row apart (the rule between them).
pub(super) fn stack_height(heights: impl IntoIterator<Item = f32>, pitch: f32) -> f32 {
    let (sum, count) = heights.into_iter().fold((0.0, 0usize), |(s, c), h| (s + h, c + 1));
    sum + count.saturating_sub(1) as f32 * pitch
}

/// Set a unit at `k` columns, optionally cut at `max_height`.
pub(super) fn set_unit(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    unit: &Unit<'_>,
    k: u32,
    max_height: Option<f32>,
    page_height: f32,
) -> Result<(Module, usize), FlowError> {
    let width = module::span_width(ts, k);
    match unit {
        Unit::Article { set, jump_from, .. } => {
            module::article_module(ts, set, media, k, max_height, page_height, jump_from.as_deref())
        }
        Unit::Photo(f) => Ok((module::photo_news(ts, f, media, width, page_height * 0.5)?, 0)),
        Unit::Box(x) => Ok((module::furniture(ts, x, media, width)?, 0)),
        Unit::Banner(s) => Ok((module::banner(ts, s, width)?, 0)),
    }
}

/// Body rows per column of an article module (for the starvation penalty).
pub(super) fn rows_per_column(m: &Module, pitch: f32) -> f32 {
    m.parts
        .iter()
        .filter(|p| p.kind == BlockKind::Body)
        .map(|p| p.rect.height / pitch)
        .fold(0.0, f32::max)
}

/// Modules already set, by (owner id, part, first slot, columns).
pub(super) type ModuleCache = std::collections::HashMap<(String, u32, usize, u32), Module>;

/// A unit's cache key.
pub(super) fn unit_key(u: &Unit<'_>, k: u32) -> (String, u32, usize, u32) {
    match u {
        Unit::Article { set, .. } => (set.article.id.clone(), set.part, set.from, k),
        Unit::Photo(f) => (f.id.clone(), 1, 0, k),
        Unit::Box(x) => (x.id.clone(), 1, 0, k),
        Unit::Banner(s) => (s.id.clone(), 1, 0, k),
    }
}

/// A unit set at `k` columns, from the cache when it was set before; borrowed, because the
/// plan only measures most candidates and copying every module cost a tenth of a build.
pub(super) fn cached<'c>(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    u: &Unit<'_>,
    k: u32,
    page_height: f32,
    cache: &'c mut ModuleCache,
) -> Result<&'c Module, FlowError> {
    match cache.entry(unit_key(u, k)) {
        std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(v) => {
            let (m, _) = set_unit(ts, media, u, k, None, page_height)?;
            Ok(v.insert(m))
        }
    }
}
