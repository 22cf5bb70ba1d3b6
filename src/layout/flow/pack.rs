//! Packing modules into pages: full-width bands of modules whose heights match, page after page,
//! with continuations and jump lines when an edition's text does not fit its page.

use std::collections::VecDeque;
use std::sync::Arc;

use super::chrome;
use super::module::{self, ArticleSet, Module, Part};
use super::typeset::{Piece, Typesetter};
use super::{BlockInfo, BlockKind, FlowError, MAX_PAGES, PageLayout, Rect};
use crate::layout::Align;
use crate::layout::font::Role;
use crate::layout::frame::{Frame, Item, Page, Rule};
use crate::media::MediaBag;
use crate::model::{Block, Bulletin, Figure, Furniture, Item as ModelItem, Section, Text};

/// Most modules set side by side in one band.
const MAX_BAND: usize = 3;
/// Body rows per column below which a module looks starved (a short article spread too thin).
const MIN_ROWS_PER_COLUMN: f32 = 8.0;
/// Fewest body rows worth starting an article with at the foot of a page before jumping.
const MIN_ROWS_BEFORE_JUMP: f32 = 5.0;
/// Rows a banner needs below it on the same page.
const MIN_ROWS_AFTER_BANNER: f32 = 12.0;

/// Something to place.
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
struct Jump {
    page: usize,
    rect: Rect,
    target: Option<String>,
    owner: String,
}

/// Page geometry in points.
struct Geometry {
    width: f32,
    height: f32,
    x0: f32,
    y0: f32,
    type_width: f32,
    bottom: f32,
}

pub(super) fn layout(b: &Bulletin, media: &MediaBag, ts: &Typesetter<'_>) -> Result<Vec<PageLayout>, FlowError> {
    let spec = ts.spec;
    let width = spec.pt(spec.page.width);
    let height = spec.pt(spec.page.height);
    let avail = width - spec.pt(spec.page.margin_left) - spec.pt(spec.page.margin_right);
    let type_width = spec.type_width();
    let geo = Geometry {
        width,
        height,
        x0: spec.pt(spec.page.margin_left) + (avail - type_width) / 2.0,
        y0: spec.pt(spec.page.margin_top),
        type_width,
        bottom: height - spec.pt(spec.page.margin_bottom) - chrome::folio_height(ts),
    };
    let mut pages: Vec<PageLayout> = Vec::new();
    let mut jumps: Vec<Jump> = Vec::new();
    let mut carry: VecDeque<Unit<'_>> = VecDeque::new();
    let mut first_article_seen = false;
    let mut next_label = b.editions.iter().map(|e| e.number).max().unwrap_or(0) + 1;
    for (ei, edition) in b.editions.iter().enumerate() {
        let mut queue: VecDeque<Unit<'_>> = std::mem::take(&mut carry);
        for item in &edition.items {
            push_units(ts, item, &mut queue, &mut first_article_seen)?;
        }
        let mut label = edition.number.to_string();
        loop {
            let page = fill_page(ts, b, media, &geo, ei, &label, pages.len(), &mut queue, &mut jumps)?;
            pages.push(page);
            if pages.len() > MAX_PAGES {
                return Err(FlowError {
                    message: format!("the issue needs more than {MAX_PAGES} pages"),
                    span: None,
                    hint: Some("split the issue, or check for a module that can never fit a page".into()),
                });
            }
            // What did not fit waits for the next edition's page; after the last edition it
            // gets pages of its own.
            if queue.is_empty() {
                break;
            }
            if ei + 1 < b.editions.len() {
                carry = queue;
                break;
            }
            label = next_label.to_string();
            next_label += 1;
        }
    }
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

/// Turn a model item into units, in reading order.
fn push_units<'a>(
    ts: &Typesetter<'_>,
    item: &'a ModelItem,
    queue: &mut VecDeque<Unit<'a>>,
    first_article_seen: &mut bool,
) -> Result<(), FlowError> {
    match item {
        ModelItem::Article(a) => {
            let slots = Arc::new(module::body_slots(ts, a)?);
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
                push_units(ts, inner, queue, first_article_seen)?;
            }
        }
    }
    Ok(())
}

/// Column spans a unit may take, narrowest first.
fn spans(unit: &Unit<'_>, n: u32) -> (u32, u32) {
    match unit {
        Unit::Article { set, .. } if set.lead && set.part == 1 => (n, n),
        Unit::Article { .. } => (1, n),
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
            module::article_module(ts, set, media, k, max_height, jump_from.as_deref())
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
fn plan_bands(
    ts: &Typesetter<'_>,
    media: &MediaBag,
    queue: &VecDeque<Unit<'_>>,
    n: u32,
    page_height: f32,
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
            let limits: Vec<(u32, u32)> = members.iter().map(|u| spans(u, n)).collect();
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

/// Fill one page from the front of `queue`.
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
    let gap = spec.pt(spec.grid.column_gap);
    let ed = &b.editions[edition.min(b.editions.len().saturating_sub(1))];
    let mut parts: Vec<(Part, u32)> = Vec::new();
    let (chrome_part, chrome_h) = if page_index == 0 {
        chrome::masthead(ts, b, ed, geo.x0, geo.y0, geo.type_width)?
    } else {
        chrome::running_head(ts, b, ed, label, geo.x0, geo.y0, geo.type_width)?
    };
    parts.push((chrome_part, 1));
    let mut y = geo.y0 + chrome_h + pitch * 0.5;
    let bottom = geo.bottom;
    let mut rules: Vec<Rule> = Vec::new();
    let mut placed_any = false;
    let mut cache = ModuleCache::new();

    while let Some(front) = queue.front() {
        let remaining = bottom - y;
        if std::env::var_os("ZHIBAN_DEBUG_FLOW").is_some() {
            eprintln!(
                "page {page_index} y={y:.1} remaining={remaining:.1} queue={}",
                queue.len()
            );
        }
        if let Unit::Banner(_) = front {
            let (m, _) = set_unit(ts, media, front, n, None, geo.height)?;
            if placed_any && remaining < m.height + MIN_ROWS_AFTER_BANNER * pitch {
                break;
            }
            place(&mut parts, m, geo.x0, y, 1);
            y += module_height_with_gap(remaining, pitch, 0.0);
            let last = parts.last().map_or(0.0, |p| p.0.rect.height);
            y += last;
            queue.pop_front();
            continue;
        }
        // The next band comes from the plan that sets everything still queued in the least
        // total depth (so an edition fits its page whenever it can), recomputed as units go.
        let plan = plan_bands(ts, media, queue, n, geo.height, &mut cache)?;
        let best = match plan.first() {
            Some(ks) => {
                let mut modules = Vec::new();
                for (u, &k) in queue.iter().zip(ks) {
                    modules.push(cached(ts, media, u, k, geo.height, &mut cache)?.clone());
                }
                let h = modules.iter().map(|m| m.height).fold(0.0, f32::max);
                (h <= remaining + 0.01).then(|| (0.0, ks.clone(), modules))
            }
            None => None,
        };
        if let Some((_, ks, modules)) = best {
            let h = modules.iter().map(|m| m.height).fold(0.0, f32::max);
            let mut x = geo.x0;
            let m = ks.len();
            for (i, (module, &k)) in modules.into_iter().zip(&ks).enumerate() {
                let unit = queue.pop_front();
                let part_no = match &unit {
                    Some(Unit::Article { set, jump, .. }) => {
                        if let Some(j) = jump.and_then(|j| jumps.get_mut(j)) {
                            j.target = Some(label.to_string());
                        }
                        set.part
                    }
                    _ => 1,
                };
                column_rules(ts, &module, x, y, k, &mut rules);
                let w = module.width;
                place(&mut parts, module, x, y, part_no);
                x += w + gap;
                if i + 1 < m {
                    let rx = x - gap / 2.0;
                    rules.push(Rule {
                        from: (rx, y),
                        to: (rx, y + h),
                        thickness: spec.pt(spec.grid.rule_thickness),
                    });
                }
            }
            y += h;
            placed_any = true;
            if !queue.is_empty() && bottom - y > pitch * 2.0 {
                let ry = y + pitch * 0.5;
                rules.push(Rule {
                    from: (geo.x0, ry),
                    to: (geo.x0 + geo.type_width, ry),
                    thickness: spec.pt(spec.grid.rule_thickness),
                });
                y += pitch;
            }
            continue;
        }
        // Nothing fits whole: start an article here and jump, or end the page.
        let Some(Unit::Article { .. }) = queue.front() else {
            break;
        };
        if remaining < pitch * (MIN_ROWS_BEFORE_JUMP + 4.0) && placed_any {
            break;
        }
        let unit = queue.pop_front();
        let Some(Unit::Article { set, jump_from, jump }) = unit else {
            break;
        };
        if let Some(j) = jump.and_then(|j| jumps.get_mut(j)) {
            j.target = Some(label.to_string());
        }
        let probe = Unit::Article {
            set,
            jump_from,
            jump: None,
        };
        let (module, placed) = set_unit(ts, media, &probe, n, Some(remaining), geo.height)?;
        let Unit::Article { set, .. } = probe else { break };
        if placed == 0 && !placed_any {
            return Err(FlowError {
                message: format!("the headline of article {} does not fit on a page", set.article.id),
                span: headline_span(set.article),
                hint: Some("shorten the headline or use a layout with larger pages".into()),
            });
        }
        let part_no = set.part;
        column_rules(ts, &module, geo.x0, y, n, &mut rules);
        let jump_rect = module.jump_at.map(|r| Rect {
            x: r.x + geo.x0,
            y: r.y + y,
            ..r
        });
        let truncated = module.truncated;
        let module_height = module.height;
        place(&mut parts, module, geo.x0, y, part_no);
        if !truncated {
            // It fitted after all, set across the page: go on filling.
            y += module_height;
            placed_any = true;
            if !queue.is_empty() && bottom - y > pitch * 2.0 {
                let ry = y + pitch * 0.5;
                rules.push(Rule {
                    from: (geo.x0, ry),
                    to: (geo.x0 + geo.type_width, ry),
                    thickness: spec.pt(spec.grid.rule_thickness),
                });
                y += pitch;
            }
            continue;
        }
        {
            let jump_index = jumps.len();
            jumps.push(Jump {
                page: page_index,
                rect: jump_rect.unwrap_or_default(),
                target: None,
                owner: set.article.id.clone(),
            });
            let rest = ArticleSet {
                from: set.from + placed,
                part: set.part + 1,
                lead: false,
                figures: Vec::new(),
                ..set
            };
            // The continuation goes first on the next page, before what did not fit.
            queue.push_front(Unit::Article {
                set: rest,
                jump_from: Some(label.to_string()),
                jump: Some(jump_index),
            });
        }
        break;
    }

    // Folio.
    let mut all_parts = parts;
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
    frame.items.extend(rules.into_iter().map(Item::Rule));
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
    })
}

fn module_height_with_gap(_remaining: f32, _pitch: f32, extra: f32) -> f32 {
    extra
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
fn column_rules(ts: &Typesetter<'_>, m: &Module, x: f32, y: f32, k: u32, rules: &mut Vec<Rule>) {
    if !ts.spec.grid.column_rules || k < 2 {
        return;
    }
    let bodies: Vec<&Part> = m.parts.iter().filter(|p| p.kind == BlockKind::Body).collect();
    let Some(top) = bodies.iter().map(|p| p.rect.y).reduce(f32::min) else {
        return;
    };
    let Some(bottom) = bodies.iter().map(|p| p.rect.y + p.rect.height).reduce(f32::max) else {
        return;
    };
    let colw = ts.spec.column_width();
    let gap = ts.spec.pt(ts.spec.grid.column_gap);
    for c in 1..k {
        let rx = x + c as f32 * (colw + gap) - gap / 2.0;
        rules.push(Rule {
            from: (rx, y + top),
            to: (rx, y + bottom),
            thickness: 0.25,
        });
    }
}

/// The source span of an article's headline, for messages.
fn headline_span(a: &crate::model::Article) -> Option<crate::diag::Span> {
    a.headline.iter().find_map(|i| match i {
        crate::model::Inline::Text(t) => t.origin.source_span(0..t.as_str().len()),
        _ => None,
    })
}
