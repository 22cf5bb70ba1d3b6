//! Packing modules into pages: full-width bands of modules whose heights match, page after page,
//! with continuations and jump lines when an edition's text does not fit its page.

use std::collections::VecDeque;
use std::sync::Arc;

use super::chrome;
use super::module::{self, ArticleSet, Module, Part};
use super::typeset::{Piece, Typesetter};
use super::{BlockInfo, BlockKind, CompositionWarning, FlowError, FlowErrorKind, MAX_PAGES, PageLayout, Rect};
use crate::layout::Align;
use crate::layout::font::Role;
use crate::layout::frame::{Frame, Item, Page, Rule};
use crate::media::MediaBag;
use crate::model::{Block, Bulletin, Edition, Figure, Furniture, Item as ModelItem, Section, Text};

mod close;
mod editions;

use close::closing_band;

/// Most modules set side by side in one band.
const MAX_BAND: usize = 3;
/// Body rows per column below which a module looks starved (a short article spread too thin).
const MIN_ROWS_PER_COLUMN: f32 = 8.0;
/// Fewest body rows worth starting an article with at the foot of a page before jumping.
const MIN_ROWS_BEFORE_JUMP: f32 = 5.0;
/// Rows a banner needs below it on the same page.
const MIN_ROWS_AFTER_BANNER: f32 = 12.0;
/// Fewest body rows per column an article may keep on either side of a cut at the foot of a
/// page: like the widow and orphan rule, a newspaper never strands a line or two of an article
/// in a column before or after a jump.
const MIN_SPLIT_ROWS: f32 = 3.0;
/// Empty rows at the foot of a column that still count as a tiled page (the rounding of photo
/// and head blocks to whole rows, the row kept for a jump line).
const HOLE_TOLERANCE_ROWS: f32 = 3.0;
/// How far down the queue the band that ends a page may look for a photo or box to pull forward.
const PULL_AHEAD: usize = 4;
/// Most units in the band that ends a page (groups of one or two stacked).
const MAX_STACKED_UNITS: usize = 4;
/// Cost, in rows times columns of empty space, of taking a unit out of reading order.
const PULL_COST_ROWS: f32 = 1.0;
/// Smallest share of its columns' width a photo may shrink to so that it fits a page's foot.
const MIN_PHOTO_SCALE: f32 = 0.6;

/// Something to place.
#[derive(Clone)]
enum Unit<'a> {
    Article {
        set: ArticleSet<'a>,
        /// Label of the page it jumps from, for a continuation.
        jump_from: Option<String>,
        /// Index in the jump list of the jump that leads here.
        jump: Option<usize>,
    },
    Photo(&'a Figure),
    Box(&'a Furniture),
    Banner(&'a Section),
}

/// A jump line waiting for the number of the page its continuation lands on.
#[derive(Clone)]
struct Jump {
    page: usize,
    rect: Rect,
    target: Option<String>,
    owner: String,
}

/// Page geometry in points.
#[derive(Clone)]
struct Geometry {
    width: f32,
    height: f32,
    x0: f32,
    y0: f32,
    type_width: f32,
    bottom: f32,
    /// Whether planned bands may set a photo in one column (tried when an edition does not fit
    /// its page with photos two or more columns wide).
    narrow_photos: bool,
}

/// Lay out every edition of `b`, then set the jump lines.
pub(super) fn layout(b: &Bulletin, media: &MediaBag, ts: &Typesetter<'_>) -> Result<Vec<PageLayout>, FlowError> {
    let spec = ts.spec;
    let area = super::body_area(spec);
    let geo = Geometry {
        width: spec.pt(spec.page.width),
        height: spec.pt(spec.page.height),
        x0: area.x0,
        y0: spec.pt(spec.page.margin_top),
        type_width: spec.type_width(),
        bottom: area.bottom,
        narrow_photos: false,
    };
    let (mut pages, jumps) = editions::set_editions(b, media, ts, &geo)?;
    // Jump lines now that every continuation has a page.
    for j in &jumps {
        let Some(target) = &j.target else { continue };
        let size = ts.em();
        let ps = [Piece {
            text: Text::new(format!("（下转第{target}版）")),
            role: Role::Folio,
            size,
        }];
        let lines = ts.lines(&ps, size, j.rect.width, Align::Left, 0.0)?;
        if let Some(page) = pages.get_mut(j.page) {
            let start = page.page.frame.items.len();
            for mut l in lines {
                let dx = j.rect.x + (j.rect.width - l.x - l.width).max(0.0);
                l.translate(dx, j.rect.y);
                page.page.frame.items.push(Item::Line(l));
            }
            let end = page.page.frame.items.len();
            page.blocks.push(BlockInfo {
                block: None,
                owner: "chrome".into(),
                kind: BlockKind::Chrome,
                items: start..end,
                rect: j.rect,
                part: 1,
            });
            let _ = &j.owner;
        }
    }
    Ok(pages)
}

/// Where an edition's pages begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Start {
    /// Label (版次) of its first page.
    number: u32,
    /// Index of its first page among the pages (page 0 carries the masthead).
    page: usize,
}

/// One edition set on its pages.
struct EditionPages {
    /// Its pages, the first at index `Start::page` of the issue.
    pages: Vec<PageLayout>,
    /// Its jump lines, with issue page indices; targets are labels of its own pages.
    jumps: Vec<Jump>,
    /// Label of its last page.
    last: u32,
}

/// An edition's units in reading order.
type Units<'a> = VecDeque<Unit<'a>>;

/// The units of `edition`, its article bodies composed at the column measure (most of the work
/// of setting an edition, and the same wherever the edition starts). `lead_taken` says whether
/// an earlier edition has an article, which then is the lead instead of this edition's
/// first one.
///
/// The bodies are composed side by side on rayon's threads, each from its article alone; an error
/// is the first article's in reading order, as composing one after another would give.
fn edition_units<'a>(ts: &Typesetter<'_>, edition: &'a Edition, lead_taken: bool) -> Result<Units<'a>, FlowError> {
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
type Body = (Vec<module::Slot>, Vec<CompositionWarning>);

/// The articles among `items` and in their sections, in reading order (the order [`push_units`]
/// meets them in).
fn articles_of<'a>(items: &'a [ModelItem], out: &mut Vec<&'a crate::model::Article>) {
    for item in items {
        match item {
            ModelItem::Article(a) => out.push(a),
            ModelItem::Section(s) => articles_of(&s.items, out),
            ModelItem::PhotoNews(_) | ModelItem::Furniture(_) => {}
        }
    }
}

/// Set edition `ei`, whose units are `queue`, on pages of its own from `start` on.
///
/// Photos usually take two or three columns; a one-column photo (一栏图) is allowed only when it
/// lets the edition fit fewer pages. So an edition with a photo unit that takes more than one
/// page is set a second time with narrow photos allowed, and the fewer pages kept.
fn set_edition(
    ts: &Typesetter<'_>,
    b: &Bulletin,
    media: &MediaBag,
    geo: &Geometry,
    ei: usize,
    queue: &Units<'_>,
    start: Start,
) -> Result<EditionPages, FlowError> {
    let set = |geo: &Geometry| -> Result<EditionPages, FlowError> {
        let (mut pages, mut jumps) = (Vec::new(), Vec::new());
        let last = layout_edition(ts, b, media, geo, ei, queue.clone(), start, &mut pages, &mut jumps)?;
        Ok(EditionPages { pages, jumps, last })
    };
    let wide = set(geo)?;
    // Narrow photos change only how a photo unit may be spanned (`spans`).
    if wide.pages.len() < 2 || !queue.iter().any(|u| matches!(u, Unit::Photo(_))) {
        return Ok(wide);
    }
    let narrow = set(&Geometry {
        narrow_photos: true,
        ..geo.clone()
    })?;
    Ok(if narrow.pages.len() < wide.pages.len() {
        narrow
    } else {
        wide
    })
}

/// Whether any of `items` (or of the sections among them) is an article, as [`push_units`]
/// counts them for the lead.
fn has_article(items: &[ModelItem]) -> bool {
    items.iter().any(|item| match item {
        ModelItem::Article(_) => true,
        ModelItem::Section(s) => has_article(&s.items),
        ModelItem::PhotoNews(_) | ModelItem::Furniture(_) => false,
    })
}

/// Set one edition on pages of its own from `start` on, appending to `pages` and `jumps`
/// (empty: the edition's own); returns the last label.
#[allow(clippy::too_many_arguments)]
fn layout_edition<'a>(
    ts: &Typesetter<'_>,
    b: &Bulletin,
    media: &MediaBag,
    geo: &Geometry,
    ei: usize,
    mut queue: VecDeque<Unit<'a>>,
    start: Start,
    pages: &mut Vec<PageLayout>,
    jumps: &mut Vec<Jump>,
) -> Result<u32, FlowError> {
    let mut number = start.number;
    loop {
        let label = number.to_string();
        let page = fill_page(
            ts,
            b,
            media,
            geo,
            ei,
            &label,
            start.page + pages.len(),
            &mut queue,
            jumps,
        )?;
        pages.push(page);
        if start.page + pages.len() > MAX_PAGES {
            return Err(FlowError {
                kind: FlowErrorKind::TooManyPages,
                message: format!("the issue needs more than {MAX_PAGES} pages"),
                span: None,
                hint: Some("split the issue, or check for a module that can never fit a page".into()),
            });
        }
        if queue.is_empty() {
            return Ok(number);
        }
        number += 1;
    }
}

/// Turn a model item into units, in reading order, taking its articles' composed bodies from
/// `bodies` (in the order of [`articles_of`]).
fn push_units<'a>(
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
fn spans(unit: &Unit<'_>, n: u32, narrow: bool) -> (u32, u32) {
    match unit {
        Unit::Article { set, .. } if set.lead && set.part == 1 => (n, n),
        Unit::Article { .. } => (1, n),
        Unit::Photo(_) if narrow => (1, n.min(3)),
        Unit::Photo(_) => (n.min(2), n.min(3)),
        Unit::Box(_) => (1, n.min(2)),
        Unit::Banner(_) => (n, n),
    }
}

/// Set a unit at `k` columns, optionally cut at `max_height`.
fn set_unit(
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
fn rows_per_column(m: &Module, pitch: f32) -> f32 {
    m.parts
        .iter()
        .filter(|p| p.kind == BlockKind::Body)
        .map(|p| p.rect.height / pitch)
        .fold(0.0, f32::max)
}

/// Modules already set, by (owner id, part, first slot, columns).
type ModuleCache = std::collections::HashMap<(String, u32, usize, u32), Module>;

/// A unit's cache key.
fn unit_key(u: &Unit<'_>, k: u32) -> (String, u32, usize, u32) {
    match u {
        Unit::Article { set, .. } => (set.article.id.clone(), set.part, set.from, k),
        Unit::Photo(f) => (f.id.clone(), 1, 0, k),
        Unit::Box(x) => (x.id.clone(), 1, 0, k),
        Unit::Banner(s) => (s.id.clone(), 1, 0, k),
    }
}

/// A unit set at `k` columns, from the cache when it was set before; borrowed, because the
/// plan only measures most candidates and copying every module cost a tenth of a build.
fn cached<'c>(
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

/// Plan bands for every queued unit: a dynamic programme over the queue that minimises the
/// total depth (band heights plus the gap between bands) plus a penalty for starved articles
/// (fewer than [`MIN_ROWS_PER_COLUMN`] rows per column). Banners and page 1's lead article
/// stand alone across the page; a band holds at most [`MAX_BAND`] consecutive units.
// Indexing: `best` has `len + 1` entries and is read at `i` and `i + m` with `i < len` and
// `m <= len - i` (the loop ranges), and `units[i..i + m]` lies within `units.len() == len`.
#[allow(clippy::indexing_slicing)]
fn plan_bands(
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
fn compositions(limits: &[(u32, u32)], n: u32) -> Vec<Vec<u32>> {
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

/// Where a page is being filled.
struct Sheet<'p> {
    label: &'p str,
    page_index: usize,
    parts: Vec<(Part, u32)>,
    rules: Vec<Rule>,
    /// The composition warnings of the articles that start here.
    warnings: Vec<CompositionWarning>,
}

/// A group of columns in a band: its units top to bottom (module, body slots placed) and the
/// columns it spans.
type Group<'a> = (Vec<(Unit<'a>, Module, usize)>, u32);

/// Set a band of column groups side by side at `y` (rules between and inside them), point the
/// jump lines of continuations placed here at this page, and record a jump for an article cut
/// at the foot; returns the continuations of cut articles, to go first on the next page.
fn place_band<'a>(
    ts: &Typesetter<'_>,
    geo: &Geometry,
    sheet: &mut Sheet<'_>,
    band: Vec<Group<'a>>,
    y: f32,
    jumps: &mut Vec<Jump>,
) -> Vec<Unit<'a>> {
    let spec = ts.spec;
    let pitch = ts.pitch();
    let gap = spec.pt(spec.grid.column_gap);
    let thickness = spec.pt(spec.grid.rule_thickness);
    let group_height =
        |g: &Group<'_>| g.0.iter().map(|(_, m, _)| m.height).sum::<f32>() + g.0.len().saturating_sub(1) as f32 * pitch;
    let h = band.iter().map(group_height).fold(0.0, f32::max);
    let count = band.len();
    let mut x = geo.x0;
    let mut rest = Vec::new();
    for (i, (units, k)) in band.into_iter().enumerate() {
        let width = units
            .first()
            .map_or_else(|| module::span_width(ts, k), |(_, m, _)| m.width);
        let mut uy = y;
        let stacked = units.len();
        for (pos, (unit, module, placed)) in units.into_iter().enumerate() {
            let part_no = match &unit {
                Unit::Article { set, jump, .. } => {
                    if let Some(j) = jump.and_then(|j| jumps.get_mut(j)) {
                        j.target = Some(sheet.label.to_string());
                    }
                    if set.part == 1 {
                        sheet.warnings.extend(set.warnings.iter().cloned());
                    }
                    set.part
                }
                _ => 1,
            };
            column_rules(ts, &module, x, uy, k, &mut sheet.rules);
            if module.truncated
                && let Unit::Article { set, .. } = unit
            {
                let rect = module.jump_at.map(|r| Rect {
                    x: r.x + x,
                    y: r.y + uy,
                    ..r
                });
                let jump_index = jumps.len();
                jumps.push(Jump {
                    page: sheet.page_index,
                    rect: rect.unwrap_or_default(),
                    target: None,
                    owner: set.article.id.clone(),
                });
                rest.push(Unit::Article {
                    set: ArticleSet {
                        from: set.from + placed,
                        part: set.part + 1,
                        lead: false,
                        figures: Vec::new(),
                        ..set
                    },
                    jump_from: Some(sheet.label.to_string()),
                    jump: Some(jump_index),
                });
            }
            let mh = module.height;
            place(&mut sheet.parts, module, x, uy, part_no);
            uy += mh;
            if pos + 1 < stacked {
                // A rule between stacked modules, as between bands.
                sheet.rules.push(Rule {
                    from: (x, uy + pitch * 0.5),
                    to: (x + width, uy + pitch * 0.5),
                    thickness,
                });
                uy += pitch;
            }
        }
        x += width + gap;
        if i + 1 < count {
            let rx = x - gap / 2.0;
            sheet.rules.push(Rule {
                from: (rx, y),
                to: (rx, y + h),
                thickness,
            });
        }
    }
    rest
}

/// Fill one page from the front of `queue`: planned bands while they fit, then a closing band
/// that reaches the foot (issue requirement: modules tile the page without holes larger than a
/// few lines; a newspaper cuts the article at the foot and jumps it rather than leave a hole).
///
/// The page depends on the pages before it only through `label` and `page_index`, and on
/// `page_index` only in whether it is 0 (the masthead), in the jumps it records and in the page
/// number: the parallel layout relies on that (`editions::holds`, `editions::rebase`), so a new
/// use of either must be accounted for there.
#[allow(clippy::too_many_arguments)]
fn fill_page<'a>(
    ts: &Typesetter<'_>,
    b: &Bulletin,
    media: &MediaBag,
    geo: &Geometry,
    edition: usize,
    label: &str,
    page_index: usize,
    queue: &mut VecDeque<Unit<'a>>,
    jumps: &mut Vec<Jump>,
) -> Result<PageLayout, FlowError> {
    let spec = ts.spec;
    let pitch = ts.pitch();
    let n = spec.grid.columns;
    let Some(ed) = b.editions.get(edition).or_else(|| b.editions.last()) else {
        return Err(FlowError {
            kind: FlowErrorKind::NoEdition,
            message: "the issue has no edition to lay out".into(),
            span: None,
            hint: Some("add an edition heading such as `# 第一版 要闻`".into()),
        });
    };
    let mut sheet = Sheet {
        label,
        page_index,
        parts: Vec::new(),
        rules: Vec::new(),
        warnings: Vec::new(),
    };
    let (chrome_part, chrome_h) = if page_index == 0 {
        chrome::masthead(ts, b, ed, geo.x0, geo.y0, geo.type_width)?
    } else {
        chrome::running_head(ts, b, ed, label, geo.x0, geo.y0, geo.type_width)?
    };
    sheet.parts.push((chrome_part, 1));
    let mut y = geo.y0 + chrome_h + pitch * 0.5;
    let bottom = geo.bottom;
    let mut placed_any = false;
    let mut cache = ModuleCache::new();
    let rule_under = |y: &mut f32, queue: &VecDeque<Unit<'_>>, rules: &mut Vec<Rule>| {
        if !queue.is_empty() && bottom - *y > pitch * 2.0 {
            let ry = *y + pitch * 0.5;
            rules.push(Rule {
                from: (geo.x0, ry),
                to: (geo.x0 + geo.type_width, ry),
                thickness: spec.pt(spec.grid.rule_thickness),
            });
            *y += pitch;
        }
    };

    while let Some(front) = queue.front() {
        let remaining = bottom - y;
        if let Unit::Banner(_) = front {
            let (m, _) = set_unit(ts, media, front, n, None, geo.height)?;
            if placed_any && remaining < m.height + MIN_ROWS_AFTER_BANNER * pitch {
                break;
            }
            let h = m.height;
            place(&mut sheet.parts, m, geo.x0, y, 1);
            y += h;
            queue.pop_front();
            continue;
        }
        // The next band comes from the plan that sets everything still queued in the least
        // total depth (so an edition fits its page whenever it can), recomputed as units go.
        let plan = plan_bands(ts, media, queue, n, geo.height, geo.narrow_photos, &mut cache)?;
        let Some(ks) = plan.first().cloned() else { break };
        let mut h: f32 = 0.0;
        for (u, &k) in queue.iter().zip(&ks) {
            h = h.max(cached(ts, media, u, k, geo.height, &mut cache)?.height);
        }
        let m = ks.len();
        let closing = if h <= remaining + 0.01 {
            // The band fits. Set it, unless what it leaves below is a sliver nothing can fill
            // while more waits: then a band that reaches the foot now is better.
            let after = remaining - h - pitch;
            let sliver = queue.len() > m && after > HOLE_TOLERANCE_ROWS * pitch && {
                let next_fits = match plan.get(1) {
                    Some(ks2) => {
                        let mut h2: f32 = 0.0;
                        for (u, &k) in queue.iter().skip(m).zip(ks2) {
                            h2 = h2.max(cached(ts, media, u, k, geo.height, &mut cache)?.height);
                        }
                        h2 <= after + 0.01
                    }
                    None => false,
                };
                !next_fits
                    && closing_band(ts, media, queue, m, n, after, geo.height)?
                        .is_none_or(|c| c.worst_gap > HOLE_TOLERANCE_ROWS)
            };
            if sliver {
                closing_band(ts, media, queue, 0, n, remaining, geo.height)?.filter(|c| c.worst_gap < after / pitch)
            } else {
                None
            }
        } else {
            closing_band(ts, media, queue, 0, n, remaining, geo.height)?
        };
        if let Some(c) = closing {
            // Take the members out of the queue (highest index first), keep band order.
            let mut order: Vec<usize> = c.groups.iter().flatten().copied().collect();
            order.sort_unstable_by(|a, b| b.cmp(a));
            let mut taken: Vec<(usize, Unit<'a>)> = Vec::new();
            for i in order {
                if let Some(u) = queue.remove(i) {
                    taken.push((i, u));
                }
            }
            let mut band = Vec::new();
            for ((g, ms), &k) in c.groups.iter().zip(c.modules).zip(&c.ks) {
                let mut units = Vec::new();
                for (&i, (module, placed)) in g.iter().zip(ms) {
                    if let Some(pos) = taken.iter().position(|(j, _)| *j == i) {
                        let (_, u) = taken.swap_remove(pos);
                        units.push((u, module, placed));
                    }
                }
                band.push((units, k));
            }
            let rest = place_band(ts, geo, &mut sheet, band, y, jumps);
            // The continuations go first on the next page, before what did not fit.
            for u in rest.into_iter().rev() {
                queue.push_front(u);
            }
            break;
        }
        if h <= remaining + 0.01 {
            // The band's modules leave the cache: their units leave the queue with them, and no
            // other unit has their keys.
            let mut band = Vec::with_capacity(ks.len());
            for &k in &ks {
                let Some(u) = queue.pop_front() else { break };
                let module = match cache.remove(&unit_key(&u, k)) {
                    Some(m) => m,
                    None => set_unit(ts, media, &u, k, None, geo.height)?.0,
                };
                band.push((vec![(u, module, 0)], k));
            }
            let rest = place_band(ts, geo, &mut sheet, band, y, jumps);
            debug_assert!(rest.is_empty(), "planned bands are set whole");
            y += h;
            placed_any = true;
            rule_under(&mut y, queue, &mut sheet.rules);
            continue;
        }
        // Nothing fits whole and no band reaches the foot: start an article here across the
        // page and jump, or end the page.
        let Some(Unit::Article { .. }) = queue.front() else {
            break;
        };
        if remaining < pitch * (MIN_ROWS_BEFORE_JUMP + 4.0) && placed_any {
            break;
        }
        let Some(unit) = queue.pop_front() else { break };
        let (module, placed) = set_unit(ts, media, &unit, n, Some(remaining), geo.height)?;
        if placed == 0
            && !placed_any
            && let Unit::Article { set, .. } = &unit
        {
            return Err(FlowError {
                kind: FlowErrorKind::HeadlineTooLarge,
                message: format!("the headline of article {} does not fit on a page", set.article.id),
                span: headline_span(set.article),
                hint: Some("shorten the headline or use a layout with larger pages".into()),
            });
        }
        let truncated = module.truncated;
        let module_height = module.height;
        let rest = place_band(ts, geo, &mut sheet, vec![(vec![(unit, module, placed)], n)], y, jumps);
        for u in rest.into_iter().rev() {
            queue.push_front(u);
        }
        if truncated {
            break;
        }
        // It fitted after all, set across the page: go on filling.
        y += module_height;
        placed_any = true;
        rule_under(&mut y, queue, &mut sheet.rules);
    }

    // Folio.
    let mut all_parts = sheet.parts;
    if spec.folio.page_number {
        let fy = geo.bottom + pitch;
        all_parts.push((chrome::folio(ts, label, geo.x0, fy, geo.type_width)?, 1));
    }
    let mut frame = Frame::new(geo.width, geo.height);
    let mut blocks = Vec::new();
    for (p, part_no) in all_parts {
        let start = frame.items.len();
        frame.items.extend(p.items);
        blocks.push(BlockInfo {
            owner: p.owner,
            kind: p.kind,
            items: start..frame.items.len(),
            rect: p.rect,
            part: part_no,
            block: p.block,
        });
    }
    let start = frame.items.len();
    frame.items.extend(sheet.rules.into_iter().map(Item::Rule));
    if frame.items.len() > start {
        blocks.push(BlockInfo {
            block: None,
            owner: "chrome".into(),
            kind: BlockKind::Chrome,
            items: start..frame.items.len(),
            rect: Rect {
                x: geo.x0,
                y: geo.y0,
                width: geo.type_width,
                height: geo.bottom - geo.y0,
            },
            part: 1,
        });
    }
    let number = u32::try_from(page_index + 1).unwrap_or(u32::MAX);
    Ok(PageLayout {
        page: Page { number, frame },
        edition,
        label: label.to_string(),
        blocks,
        warnings: sheet.warnings,
    })
}

/// Move a module's parts to `(x, y)` and add them to the page.
fn place(parts: &mut Vec<(Part, u32)>, module: Module, x: f32, y: f32, part_no: u32) {
    for mut p in module.parts {
        p.rect.x += x;
        p.rect.y += y;
        for item in &mut p.items {
            match item {
                Item::Line(l) => l.translate(x, y),
                Item::Image(img) => {
                    img.x += x;
                    img.y += y;
                }
                Item::Rule(r) => {
                    r.from = (r.from.0 + x, r.from.1 + y);
                    r.to = (r.to.0 + x, r.to.1 + y);
                }
            }
        }
        parts.push((p, part_no));
    }
}

/// Hairlines between the body columns of a module (the layout's `column_rules`).
///
/// Every rule runs the depth of the module's body text, from its highest column's top to its
/// deepest column's foot, in each gap that has body text on at least one side; it is broken
/// wherever a part laid across the gap (a photo or its caption spanning both columns, a head
/// over part of the module) would be crossed by it. A gap between two columns without body
/// text gets no rule.
fn column_rules(ts: &Typesetter<'_>, m: &Module, x: f32, y: f32, k: u32, rules: &mut Vec<Rule>) {
    if !ts.spec.grid.column_rules || k < 2 {
        return;
    }
    let colw = ts.spec.column_width();
    let gap = ts.spec.pt(ts.spec.grid.column_gap);
    for (from, to) in gap_rule_segments(m, colw, gap, k) {
        rules.push(Rule {
            from: (x + from.0, y + from.1),
            to: (x + to.0, y + to.1),
            thickness: 0.25,
        });
    }
}

/// The rules between the columns of `m` (module coordinates), as `column_rules` describes.
fn gap_rule_segments(m: &Module, colw: f32, gap: f32, k: u32) -> Vec<((f32, f32), (f32, f32))> {
    /// Shorter pieces than this (points) are not drawn: a rule must be seen to separate text.
    const SHORTEST: f32 = 2.0;
    /// Slack for rectangles that end exactly at a column's edge.
    const EPS: f32 = 0.01;
    let overlaps = |r: &Rect, left: f32, right: f32| r.x < right - EPS && r.x + r.width > left + EPS;
    let bodies: Vec<&Part> = m
        .parts
        .iter()
        .filter(|p| p.kind == BlockKind::Body && !p.items.is_empty())
        .collect();
    let Some(top) = bodies.iter().map(|p| p.rect.y).reduce(f32::min) else {
        return Vec::new();
    };
    let Some(bottom) = bodies.iter().map(|p| p.rect.y + p.rect.height).reduce(f32::max) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in 1..k {
        let step = colw + gap;
        let rx = c as f32 * step - gap / 2.0;
        let (left, right) = ((c - 1) as f32 * step, c as f32 * step + colw);
        if !bodies.iter().any(|p| overlaps(&p.rect, left, right)) {
            continue;
        }
        // The spans of the parts the rule would cross, in order from the top.
        let mut blocked: Vec<(f32, f32)> = m
            .parts
            .iter()
            .filter(|p| p.kind != BlockKind::Body && overlaps(&p.rect, rx, rx))
            .map(|p| (p.rect.y, p.rect.y + p.rect.height))
            .collect();
        blocked.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut start = top;
        for (bt, bb) in blocked.into_iter().chain([(bottom, bottom)]) {
            let end = bt.min(bottom);
            if end - start >= SHORTEST {
                out.push(((rx, start), (rx, end)));
            }
            start = start.max(bb);
        }
    }
    out
}

/// The source span of an article's headline, for messages.
fn headline_span(a: &crate::model::Article) -> Option<crate::diag::Span> {
    a.headline.iter().find_map(|i| match i {
        crate::model::Inline::Text(t) => t.origin.source_span(0..t.as_str().len()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLW: f32 = 100.0;
    const GAP: f32 = 10.0;

    fn part(kind: BlockKind, x: f32, y: f32, width: f32, height: f32) -> Part {
        let rule = Rule {
            from: (x, y),
            to: (x, y),
            thickness: 0.25,
        };
        Part {
            kind,
            owner: "a1".into(),
            rect: Rect { x, y, width, height },
            items: vec![Item::Rule(rule)],
            block: None,
        }
    }

    fn col(c: u32) -> f32 {
        c as f32 * (COLW + GAP)
    }

    #[test]
    fn rules_run_beside_the_body_columns() {
        let m = Module {
            parts: vec![
                part(BlockKind::Head, 0.0, 0.0, 3.0 * COLW + 2.0 * GAP, 40.0),
                part(BlockKind::Body, col(0), 50.0, COLW, 200.0),
                part(BlockKind::Body, col(1), 50.0, COLW, 200.0),
                part(BlockKind::Body, col(2), 50.0, COLW, 120.0),
            ],
            ..Module::default()
        };
        let got = gap_rule_segments(&m, COLW, GAP, 3);
        // The rules run the depth of the deepest column, also beside the shorter last one.
        assert_eq!(
            got,
            vec![((105.0, 50.0), (105.0, 250.0)), ((215.0, 50.0), (215.0, 250.0))]
        );
    }

    #[test]
    fn a_photo_across_two_columns_is_not_crossed() {
        // A photo and its caption over columns 1-2, the body in column 3 (a module seen on an
        // imported company newsletter, where the rule had been drawn through the photo).
        let m = Module {
            parts: vec![
                part(BlockKind::Image, 0.0, 0.0, 2.0 * COLW + GAP, 150.0),
                part(BlockKind::Caption, 0.0, 155.0, 2.0 * COLW + GAP, 20.0),
                part(BlockKind::Body, col(2), 0.0, COLW, 120.0),
            ],
            ..Module::default()
        };
        let got = gap_rule_segments(&m, COLW, GAP, 3);
        assert_eq!(got, vec![((215.0, 0.0), (215.0, 120.0))]);
    }

    #[test]
    fn a_rule_is_broken_around_a_part_across_its_gap() {
        // Body in both columns, a photo across the gap in the middle: two pieces.
        let m = Module {
            parts: vec![
                part(BlockKind::Body, col(0), 0.0, COLW, 300.0),
                part(BlockKind::Body, col(1), 0.0, COLW, 300.0),
                part(BlockKind::Image, 50.0, 100.0, 120.0, 80.0),
            ],
            ..Module::default()
        };
        let got = gap_rule_segments(&m, COLW, GAP, 2);
        assert_eq!(
            got,
            vec![((105.0, 0.0), (105.0, 100.0)), ((105.0, 180.0), (105.0, 300.0))]
        );
    }
}
