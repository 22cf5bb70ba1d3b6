//! Filling one page: the masthead or running head, planned bands while they fit, a band that
//! closes the page at its foot or an article cut across the page and jumped, then the folio.

use std::collections::VecDeque;

use super::bands::{plan_bands, units_in};
use super::close::closing_band;
use super::rules::column_rules;
use super::units::{ModuleCache, cached, set_unit, stack_height, unit_key};
use super::{Geometry, HOLE_TOLERANCE_ROWS, Jump, MIN_ROWS_AFTER_BANNER, MIN_ROWS_BEFORE_JUMP, Unit};
use crate::layout::flow::module::{ArticleSet, Module, Part};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{BlockKind, CompositionWarning, FlowError, FlowErrorKind, PageLayout, Rect, chrome, module};
use crate::layout::frame::{Frame, Item, Page, Rule, Tag};
use crate::layout::spec::PublicationKind;
use crate::media::MediaBag;
use crate::model::Bulletin;

/// Where a page is being filled.
pub(super) struct Sheet<'p> {
    label: &'p str,
    page_index: usize,
    parts: Vec<(Part, u32)>,
    rules: Vec<Rule>,
    /// The composition warnings of the articles that start here.
    warnings: Vec<CompositionWarning>,
}

/// A group of columns in a band: its units top to bottom (module, body slots placed) and the
/// columns it spans.
pub(super) type Group<'a> = (Vec<(Unit<'a>, Module, usize)>, u32);

/// Set a band of column groups side by side at `y` (rules between and inside them), point the
/// jump lines of continuations placed here at this page, and record a jump for an article cut
/// at the foot; returns the continuations of cut articles, to go first on the next page.
pub(super) fn place_band<'a>(
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
    let group_height = |g: &Group<'_>| stack_height(g.0.iter().map(|(_, m, _)| m.height), pitch);
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
                // A bulletin's article flows on at the next page's top with no jump lines.
                let jumped = spec.kind == PublicationKind::Newspaper;
                let jump_index = jumps.len();
                if jumped {
                    jumps.push(Jump {
                        page: sheet.page_index,
                        rect: rect.unwrap_or_default(),
                        target: None,
                    });
                }
                rest.push(Unit::Article {
                    set: ArticleSet {
                        from: set.from + placed,
                        part: set.part + 1,
                        lead: false,
                        figures: Vec::new(),
                        ..set
                    },
                    jump_from: jumped.then(|| sheet.label.to_string()),
                    jump: jumped.then_some(jump_index),
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
/// that reaches the foot (modules tile the page without holes larger than a few lines; a
/// newspaper cuts the article at the foot and jumps it rather than leave a hole).
#[allow(clippy::too_many_arguments)]
pub(super) fn fill_page<'a>(
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
    let mut fill = PageFill {
        ts,
        media,
        geo,
        y: geo.y0 + chrome_h + ts.pitch() * 0.5,
        placed_any: false,
        cache: ModuleCache::new(),
        sheet,
        queue,
        jumps,
    };
    while let Some(front) = fill.queue.front() {
        let step = match front {
            Unit::Banner(_) => fill.banner()?,
            _ => fill.band()?,
        };
        if step == Step::PageDone {
            break;
        }
    }
    let sheet = fill.sheet;
    finish_page(ts, geo, sheet, edition, label, page_index)
}

/// Whether a page takes more after a step of filling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Go on with the queue's front.
    More,
    /// The page is done.
    PageDone,
}

/// A page being filled from the front of the queue, down from `y`.
struct PageFill<'f, 'a, 't> {
    ts: &'f Typesetter<'t>,
    media: &'f MediaBag,
    geo: &'f Geometry,
    /// Where the next band goes.
    y: f32,
    /// Whether a band has been set under the head.
    placed_any: bool,
    /// Modules set for planning, kept for setting the band that was planned.
    cache: ModuleCache,
    sheet: Sheet<'f>,
    queue: &'f mut VecDeque<Unit<'a>>,
    jumps: &'f mut Vec<Jump>,
}

impl<'a> PageFill<'_, 'a, '_> {
    /// Points left above the foot.
    fn remaining(&self) -> f32 {
        self.geo.bottom - self.y
    }

    /// A section banner across the page, unless too little room would stay below it.
    fn banner(&mut self) -> Result<Step, FlowError> {
        let (ts, pitch, n) = (self.ts, self.ts.pitch(), self.ts.spec.grid.columns);
        let Some(front) = self.queue.front() else {
            return Ok(Step::PageDone);
        };
        let (m, _) = set_unit(ts, self.media, front, n, None, self.geo.height)?;
        if self.placed_any && self.remaining() < m.height + MIN_ROWS_AFTER_BANNER * pitch {
            return Ok(Step::PageDone);
        }
        let h = m.height;
        place(&mut self.sheet.parts, m, self.geo.x0, self.y, 1);
        self.y += h;
        self.queue.pop_front();
        Ok(Step::More)
    }

    /// The next band: the planned one when it fits and leaves no sliver, else one that closes
    /// the page at its foot, else an article set across the page and cut.
    fn band(&mut self) -> Result<Step, FlowError> {
        let (ts, media, geo) = (self.ts, self.media, self.geo);
        let n = ts.spec.grid.columns;
        // The next band comes from the plan that sets everything still queued in the least
        // total depth (so an edition fits its page whenever it can), recomputed as units go.
        let plan = plan_bands(ts, media, self.queue, n, geo.height, geo.narrow_photos, &mut self.cache)?;
        let Some(first) = plan.first().cloned() else {
            return Ok(Step::PageDone);
        };
        let h = self.height_of(0, &first)?;
        let remaining = self.remaining();
        let fits = h <= remaining + 0.01;
        let closing = if fits {
            let next = plan.get(1).map(Vec::as_slice);
            if self.leaves_sliver(&first, next, h)? {
                // Set whole, the band leaves `after` below it, where the article after it can
                // still be started across the page and jumped when there is room to: a band
                // closing the page now must leave less.
                let after = remaining - h - ts.pitch();
                let jumpable = after >= ts.pitch() * (MIN_ROWS_BEFORE_JUMP + 4.0)
                    && matches!(self.queue.get(units_in(&first)), Some(Unit::Article { .. }));
                let alternative = if jumpable {
                    HOLE_TOLERANCE_ROWS
                } else {
                    after / ts.pitch()
                };
                closing_band(ts, media, self.queue, 0, n, remaining, geo.height)?.filter(|c| c.worst_gap < alternative)
            } else {
                None
            }
        } else {
            closing_band(ts, media, self.queue, 0, n, remaining, geo.height)?
        };
        if let Some(c) = closing {
            self.close_with(c);
            return Ok(Step::PageDone);
        }
        if fits {
            self.planned(&first, h)?;
            return Ok(Step::More);
        }
        self.across_the_page()
    }

    /// The height of the planned `band` over the queue's units from `skip` on: its tallest
    /// group, stacked modules a row apart.
    fn height_of(&mut self, skip: usize, band: &[(usize, u32)]) -> Result<f32, FlowError> {
        let mut h: f32 = 0.0;
        let mut at = skip;
        for &(count, k) in band {
            let mut heights = Vec::with_capacity(count);
            for u in self.queue.iter().skip(at).take(count) {
                heights.push(cached(self.ts, self.media, u, k, self.geo.height, &mut self.cache)?.height);
            }
            h = h.max(stack_height(heights, self.ts.pitch()));
            at += count;
        }
        Ok(h)
    }

    /// Whether the planned `band` of height `h` would leave below it a sliver nothing can fill
    /// while more waits: the planned band after it (`next`) does not fit there, and no band
    /// closes the page there within [`HOLE_TOLERANCE_ROWS`].
    fn leaves_sliver(
        &mut self,
        band: &[(usize, u32)],
        next: Option<&[(usize, u32)]>,
        h: f32,
    ) -> Result<bool, FlowError> {
        let (ts, pitch) = (self.ts, self.ts.pitch());
        let m = units_in(band);
        let after = self.remaining() - h - pitch;
        if self.queue.len() <= m || after <= HOLE_TOLERANCE_ROWS * pitch {
            return Ok(false);
        }
        let next_fits = match next {
            Some(ks2) => self.height_of(m, ks2)? <= after + 0.01,
            None => false,
        };
        Ok(!next_fits
            && closing_band(
                ts,
                self.media,
                self.queue,
                m,
                ts.spec.grid.columns,
                after,
                self.geo.height,
            )?
            .is_none_or(|c| c.worst_gap > HOLE_TOLERANCE_ROWS))
    }

    /// Set the band that closes the page: its members leave the queue, and the continuations of
    /// what it cuts go first on the next page.
    fn close_with(&mut self, c: super::close::Closing) {
        // Take the members out of the queue (highest index first), keep band order.
        let mut order: Vec<usize> = c.groups.iter().flatten().copied().collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        let mut taken: Vec<(usize, Unit<'a>)> = Vec::new();
        for i in order {
            if let Some(u) = self.queue.remove(i) {
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
        let rest = place_band(self.ts, self.geo, &mut self.sheet, band, self.y, self.jumps);
        // The continuations go first on the next page, before what did not fit.
        for u in rest.into_iter().rev() {
            self.queue.push_front(u);
        }
    }

    /// Set the planned `band` of height `h`, whole.
    fn planned(&mut self, plan: &[(usize, u32)], h: f32) -> Result<(), FlowError> {
        // The band's modules leave the cache: their units leave the queue with them, and no
        // other unit has their keys.
        let mut band = Vec::with_capacity(plan.len());
        for &(count, k) in plan {
            let mut group = Vec::with_capacity(count);
            for _ in 0..count {
                let Some(u) = self.queue.pop_front() else { break };
                let module = match self.cache.remove(&unit_key(&u, k)) {
                    Some(m) => m,
                    None => set_unit(self.ts, self.media, &u, k, None, self.geo.height)?.0,
                };
                group.push((u, module, 0));
            }
            band.push((group, k));
        }
        let rest = place_band(self.ts, self.geo, &mut self.sheet, band, self.y, self.jumps);
        debug_assert!(rest.is_empty(), "planned bands are set whole");
        self.y += h;
        self.placed_any = true;
        self.rule_under();
        Ok(())
    }

    /// Nothing fits whole and no band reaches the foot: start an article here across the page
    /// and jump it, or end the page.
    fn across_the_page(&mut self) -> Result<Step, FlowError> {
        let (ts, pitch, n) = (self.ts, self.ts.pitch(), self.ts.spec.grid.columns);
        let Some(Unit::Article { .. }) = self.queue.front() else {
            return Ok(Step::PageDone);
        };
        let remaining = self.remaining();
        if remaining < pitch * (MIN_ROWS_BEFORE_JUMP + 4.0) && self.placed_any {
            return Ok(Step::PageDone);
        }
        let Some(unit) = self.queue.pop_front() else {
            return Ok(Step::PageDone);
        };
        let (module, placed) = set_unit(ts, self.media, &unit, n, Some(remaining), self.geo.height)?;
        if placed == 0
            && !self.placed_any
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
        let band = vec![(vec![(unit, module, placed)], n)];
        let rest = place_band(ts, self.geo, &mut self.sheet, band, self.y, self.jumps);
        for u in rest.into_iter().rev() {
            self.queue.push_front(u);
        }
        if truncated {
            return Ok(Step::PageDone);
        }
        // It fitted after all, set across the page: go on filling.
        self.y += module_height;
        self.placed_any = true;
        self.rule_under();
        Ok(Step::More)
    }

    /// A rule across the page under a band, when more waits and there is room for it.
    fn rule_under(&mut self) {
        let (spec, pitch, geo) = (self.ts.spec, self.ts.pitch(), self.geo);
        if !self.queue.is_empty() && geo.bottom - self.y > pitch * 2.0 {
            let ry = self.y + pitch * 0.5;
            self.sheet.rules.push(Rule {
                from: (geo.x0, ry),
                to: (geo.x0 + geo.type_width, ry),
                thickness: spec.pt(spec.grid.rule_thickness),
            });
            self.y += pitch;
        }
    }
}

/// The page of a filled sheet: its parts and rules as frame items with their blocks, and the
/// folio.
fn finish_page(
    ts: &Typesetter<'_>,
    geo: &Geometry,
    sheet: Sheet<'_>,
    edition: usize,
    label: &str,
    page_index: usize,
) -> Result<PageLayout, FlowError> {
    let (spec, pitch) = (ts.spec, ts.pitch());
    let mut all_parts = sheet.parts;
    if spec.folio.page_number {
        let fy = geo.bottom + pitch;
        all_parts.push((chrome::folio(ts, label, geo.x0, fy, geo.type_width)?, 1));
    }
    let mut frame = Frame::new(geo.width, geo.height);
    for (p, part_no) in all_parts {
        frame.items.push(Item::Start(Tag {
            owner: p.owner,
            kind: p.kind,
            rect: p.rect,
            part: part_no,
            block: p.block,
        }));
        frame.items.extend(p.items);
        frame.items.push(Item::End);
    }
    if !sheet.rules.is_empty() {
        frame.items.push(Item::Start(Tag {
            owner: "chrome".into(),
            kind: BlockKind::Chrome,
            rect: Rect {
                x: geo.x0,
                y: geo.y0,
                width: geo.type_width,
                height: geo.bottom - geo.y0,
            },
            part: 1,
            block: None,
        }));
        frame.items.extend(sheet.rules.into_iter().map(Item::Rule));
        frame.items.push(Item::End);
    }
    let number = u32::try_from(page_index + 1).unwrap_or(u32::MAX);
    Ok(PageLayout {
        page: Page { number, frame },
        edition,
        label: label.to_string(),
        warnings: sheet.warnings,
    })
}

/// Move a module's parts to `(x, y)` and add them to the page.
pub(super) fn place(parts: &mut Vec<(Part, u32)>, module: Module, x: f32, y: f32, part_no: u32) {
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
                Item::Start(tag) => {
                    tag.rect.x += x;
                    tag.rect.y += y;
                }
                Item::End => {}
            }
        }
        parts.push((p, part_no));
    }
}

/// The source span of an article's headline, for messages.
pub(super) fn headline_span(a: &crate::model::Article) -> Option<crate::diag::Span> {
    a.headline.iter().find_map(|i| match i {
        crate::model::Inline::Text(t) => t.origin.source_span(0..t.as_str().len()),
        _ => None,
    })
}
