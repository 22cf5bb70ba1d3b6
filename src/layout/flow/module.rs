//! Modules: one article, photo news, box or banner set at a given number of columns.
//!
//! A module is built in its own coordinates (origin at its top-left corner) and moved into
//! place by the packer. Body lines are composed once at the column measure; only the head
//! changes with the number of columns, so trying several widths is cheap.

mod figure;

use std::sync::Arc;

use super::typeset::{Noted, Piece, Typesetter, moved, pieces, right_align};
use super::{BlockKind, CompositionWarning, FlowError, Rect};
use crate::layout::Align;
use crate::layout::font::Role;
use crate::layout::frame::{Item, Line, Rule};
use crate::layout::spec::PublicationKind;
use crate::media::MediaBag;
use crate::model::{Article, Block, Figure, Furniture, Section, Text, note_is_remark};
use figure::{figure_box, figure_parts, photo_group};

/// One row of an article body: a line, or an empty row (before a subhead).
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    /// Index of the article body block the row belongs to.
    pub(crate) block: usize,
    /// The line, with `x` from the column's left edge and `y` the baseline within its row.
    pub(crate) line: Option<Line>,
    /// Whether the row belongs to boxed text (drawn with a rule on its left).
    pub(crate) boxed: bool,
    /// Whether a column may not end after this row: a subhead's row (or the blank row above
    /// one), which stays with the text it heads, the first line of a paragraph of two or more
    /// (an orphan at the column foot) or the last but one (a widow at the next column's top,
    /// 孤行, clreq §3.4.4).
    pub(crate) keep: bool,
}

/// A group of items of one kind in module coordinates.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) kind: BlockKind,
    pub(crate) owner: String,
    pub(crate) rect: Rect,
    pub(crate) items: Vec<Item>,
    /// For body text: the index of the article body block its first line belongs to.
    pub(crate) block: Option<usize>,
}

/// A module set at some width.
#[derive(Debug, Clone, Default)]
pub(crate) struct Module {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) parts: Vec<Part>,
    /// Whether body text was cut off (a continuation follows).
    pub(crate) truncated: bool,
    /// Where the jump line (（下转第N版）) goes, if truncated: baseline row rect.
    pub(crate) jump_at: Option<Rect>,
}

/// Width of `k` columns with the gaps between them.
pub(crate) fn span_width(ts: &Typesetter<'_>, k: u32) -> f32 {
    let k = k.max(1) as f32;
    k * ts.spec.column_width() + (k - 1.0) * ts.spec.pt(ts.spec.grid.column_gap)
}

/// Compose an article's body at the column measure: one slot per grid row, and what had to give
/// way in its justified paragraphs. The body is composed once, at this measure, wherever the
/// article goes, so the warnings are those of the lines printed.
///
/// Its blocks are composed side by side on rayon's threads (each block's lines depend on the
/// block alone) and then put in rows in order; an error is the first block's in reading order, as
/// composing one block after another would give.
pub(crate) fn body_slots(
    ts: &Typesetter<'_>,
    article: &Article,
) -> Result<(Vec<Slot>, Vec<CompositionWarning>), FlowError> {
    use rayon::prelude::*;
    let composed: Vec<Result<BlockLines, FlowError>> =
        article.body.par_iter().map(|block| block_lines(ts, block)).collect();
    let mut slots = Vec::new();
    let mut warnings = Vec::new();
    for (bi, block) in composed.into_iter().enumerate() {
        let block = block?;
        if block.subhead && !slots.is_empty() {
            // A blank row above a subhead, unless it opens the body.
            slots.push(Slot {
                block: bi,
                line: None,
                boxed: false,
                keep: true,
            });
        }
        warnings.extend(block.notes.into_iter().map(|n| CompositionWarning {
            owner: article.id.clone(),
            warning: n.warning,
            span: n.span,
            line: n.line,
        }));
        for lines in block.paragraphs {
            let n = lines.len();
            for (i, mut line) in lines.into_iter().enumerate() {
                // Baseline within the row: the line's baseline minus the rows above it.
                line.y -= i as f32 * line.height;
                slots.push(Slot {
                    block: bi,
                    line: Some(line),
                    boxed: block.boxed,
                    keep: block.subhead || (n >= 2 && (i == 0 || i + 2 == n)),
                });
            }
        }
    }
    Ok((slots, warnings))
}

/// How many rows of `slots` (up to `limit`) each column of a module takes when column `c` holds
/// `caps[c]` rows, and whether a subhead was left at a column's foot with its text in the next.
///
/// A newspaper module's columns end level (at most a row apart), so each column takes its share
/// of what is left, ceil(left / columns left), but at least what the later columns cannot hold,
/// and never more than it holds; filling greedily instead would leave the last column empty
/// (4, 4, 4, 4, 0). A column never starts with an empty row. A subhead keeps with the text it
/// heads, and a paragraph leaves neither its first line alone at a column's foot nor its last
/// alone at the next column's top: a column that would end after a row marked `keep` ends
/// above it instead, when the later columns can take the rows that moves.
pub(crate) fn column_rows(slots: &[Slot], caps: &[usize], limit: usize) -> (Vec<usize>, bool) {
    let mut next = 0usize;
    let mut rows_of = Vec::with_capacity(caps.len());
    let mut stranded = false;
    for (c, &cap) in caps.iter().enumerate() {
        next = past_blank_rows(slots, next, limit);
        let left = limit.saturating_sub(next);
        let later: usize = caps.iter().skip(c + 1).sum();
        let mut rows = left.div_ceil(caps.len() - c).max(left.saturating_sub(later)).min(cap);
        let end = next + rows.min(left);
        if end < limit && c + 1 < caps.len() {
            let mut keep = end;
            while keep > next && slots.get(keep - 1).is_some_and(|s| s.keep) {
                keep -= 1;
            }
            // The next column would start at `keep`, past the blank row above the subhead.
            let resume = past_blank_rows(slots, keep, limit);
            if keep < end {
                if keep > next && limit - resume <= later {
                    rows = keep - next;
                } else {
                    stranded = true;
                }
            }
        }
        next += rows.min(left);
        rows_of.push(rows);
    }
    (rows_of, stranded)
}

/// The first row from `from` (before `limit`) that is not an empty row: where a column starts.
fn past_blank_rows(slots: &[Slot], mut from: usize, limit: usize) -> usize {
    while from < limit && slots.get(from).is_some_and(|s| s.line.is_none()) {
        from += 1;
    }
    from
}

/// A body block composed at the column measure, before it is put in rows.
struct BlockLines {
    /// The lines of each of its paragraphs (one, except in a box), each paragraph's lines on
    /// consecutive rows.
    paragraphs: Vec<Vec<Line>>,
    /// Whether it is a boxed block (框文).
    boxed: bool,
    /// Whether it is a subhead, which takes a blank row above it.
    subhead: bool,
    /// What had to give way in its justified paragraphs.
    notes: Vec<Noted>,
}

/// Compose one block of an article's body at the column measure (a figure has no lines here: it
/// is placed as a box of its own).
fn block_lines(ts: &Typesetter<'_>, block: &Block) -> Result<BlockLines, FlowError> {
    let em = ts.em();
    let width = ts.spec.column_width();
    let indent = ts.spec.typography.indent;
    let body = ts.size(&ts.spec.roles.body);
    let mut out = BlockLines {
        paragraphs: Vec::new(),
        boxed: false,
        subhead: false,
        notes: Vec::new(),
    };
    match block {
        Block::Paragraph(p) => {
            let mut ps = Vec::new();
            if let Some(d) = &p.dateline {
                ps.push(Piece {
                    text: d.text.clone(),
                    role: Role::Dateline,
                    size: ts.size(&ts.spec.roles.dateline),
                });
            }
            pieces(&p.content, Role::Body, body, &mut ps);
            // clreq §3.4.1 (G3): every paragraph is indented 2 em, also after headings and photos.
            let (lines, notes) = ts.lines_noted(&ps, em, width, Align::Justify, indent)?;
            out.paragraphs.push(lines);
            out.notes = notes;
        }
        Block::Subhead { content } => {
            let mut ps = Vec::new();
            pieces(content, Role::Headline, ts.size(&ts.spec.roles.subhead), &mut ps);
            out.paragraphs.push(ts.lines(&ps, em, width, Align::Left, 0.0)?);
            out.subhead = true;
        }
        Block::Boxed { paragraphs } => {
            out.boxed = true;
            for p in paragraphs {
                let mut ps = Vec::new();
                pieces(p, Role::Body, body, &mut ps);
                let (lines, notes) = ts.lines_noted(&ps, em, width - em, Align::Justify, indent)?;
                out.notes.extend(notes);
                out.paragraphs
                    .push(lines.into_iter().map(|l| moved(l, em, 0.0)).collect());
            }
        }
        Block::Note { content } => {
            let mut ps = Vec::new();
            pieces(content, Role::Byline, body, &mut ps);
            // A credit stands flush right; a remark, or a credit too long for one line, is
            // set as text (every line flush right would leave a ragged left edge).
            let lines = ts.lines(&ps, em, width, Align::Left, 0.0)?;
            if lines.len() > 1 || note_is_remark(content) {
                out.paragraphs.push(ts.lines(&ps, em, width, Align::Justify, 0.0)?);
            } else {
                out.paragraphs
                    .push(lines.into_iter().map(|l| right_align(l, width)).collect());
            }
        }
        Block::Figure(_) => {}
    }
    Ok(out)
}

/// Most of a module's height its photos may take, so that some body text stands beside or under
/// them on the same page.
const FIGURE_SHARE: f32 = 0.6;

/// The head block of an article (kicker, headline, subtitles, bylines) across `k` columns, as lines
/// relative to the block's top, and its height rounded up to whole grid rows.
pub(crate) fn article_head(
    ts: &Typesetter<'_>,
    article: &Article,
    k: u32,
    lead: bool,
) -> Result<(Vec<Line>, f32), FlowError> {
    let width = span_width(ts, k);
    let key = (article.id.clone(), k, lead);
    let heads = || ts.heads.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let hit = heads().get(&key).cloned();
    if let Some(hit) = hit {
        return Ok(hit);
    }
    // Set outside the lock: a head is a function of its key, so two threads setting the same
    // one at once put in equal values.
    let head = set_article_head(ts, article, width, k, lead)?;
    heads().insert(key, head.clone());
    Ok(head)
}

/// [`article_head`] without the cache.
fn set_article_head(
    ts: &Typesetter<'_>,
    article: &Article,
    width: f32,
    k: u32,
    lead: bool,
) -> Result<(Vec<Line>, f32), FlowError> {
    let roles = &ts.spec.roles;
    let head_size = if lead {
        ts.size(&roles.lead_headline)
    } else {
        ts.size(&roles.headline) + ts.spec.pt(roles.headline_step) * (k.saturating_sub(1)) as f32
    };
    let mut out = Vec::new();
    let mut y = 0.0;
    let mut add = |inl: &[crate::model::Inline], role: Role, size: f32, out: &mut Vec<Line>| -> Result<(), FlowError> {
        let mut ps = Vec::new();
        pieces(inl, role, size, &mut ps);
        // Line baselines are relative to the paragraph's top; the block moves as a whole.
        let lines = ts.lines(&ps, size, width, Align::Center, 0.0)?;
        let h: f32 = lines.iter().map(|l| l.height).sum();
        out.extend(lines.into_iter().map(|l| moved(l, 0.0, y)));
        y += h;
        Ok(())
    };
    if let Some(k) = &article.kicker {
        add(k, Role::Kicker, ts.size(&roles.kicker), &mut out)?;
    }
    add(&article.headline, Role::Headline, head_size, &mut out)?;
    for s in &article.subtitles {
        add(s, Role::Subtitle, ts.size(&roles.subtitle), &mut out)?;
    }
    for b in &article.bylines {
        let t = vec![crate::model::Inline::Text(b.text.clone())];
        add(&t, Role::Byline, ts.size(&roles.byline), &mut out)?;
    }
    // The head takes whole grid rows (clreq §2.3.3: headings 占行) with a little air under it.
    let pitch = ts.pitch();
    let rows = ((y + 0.4 * pitch) / pitch).ceil();
    Ok((out, rows * pitch))
}

/// A section banner across `width`: the title and a double rule under it.
pub(crate) fn banner(ts: &Typesetter<'_>, section: &Section, width: f32) -> Result<Module, FlowError> {
    let size = ts.size(&ts.spec.roles.banner);
    let mut items = Vec::new();
    let ps = [Piece {
        text: section.title.clone(),
        role: Role::Headline,
        size,
    }];
    let lines = ts.lines(&ps, size, width, Align::Left, 0.0)?;
    let y: f32 = lines.iter().map(|l| l.height).sum();
    items.extend(lines.into_iter().map(Item::Line));
    let thick = 2.0;
    items.push(Item::Rule(Rule {
        from: (0.0, y + 1.0),
        to: (width, y + 1.0),
        thickness: thick,
    }));
    items.push(Item::Rule(Rule {
        from: (0.0, y + 4.0),
        to: (width, y + 4.0),
        thickness: 0.5,
    }));
    let rows = ((y + 6.0) / ts.pitch()).ceil();
    let height = rows * ts.pitch();
    Ok(Module {
        width,
        height,
        parts: vec![Part {
            block: None,
            kind: BlockKind::Banner,
            owner: section.id.clone(),
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
            },
            items,
        }],
        truncated: false,
        jump_at: None,
    })
}

/// Photo news (图片新闻) `width` wide.
pub(crate) fn photo_news(
    ts: &Typesetter<'_>,
    figure: &Figure,
    media: &MediaBag,
    width: f32,
    max_h: f32,
) -> Result<Module, FlowError> {
    let fig = figure_box(ts, figure, media, width, max_h)?;
    let mut parts = Vec::new();
    figure_parts(&fig, 0.0, 0.0, &mut parts);
    let height = ((fig.height + ts.pitch() * 0.5) / ts.pitch()).ceil() * ts.pitch();
    Ok(Module {
        width,
        height,
        parts,
        truncated: false,
        jump_at: None,
    })
}

/// A furniture box `width` wide: a ruled frame with the title and centred text and figures.
pub(crate) fn furniture(
    ts: &Typesetter<'_>,
    box_: &Furniture,
    media: &MediaBag,
    width: f32,
) -> Result<Module, FlowError> {
    let em = ts.em();
    let pad = em;
    let inner = width - 2.0 * pad;
    let mut items = Vec::new();
    let mut parts = Vec::new();
    let mut y = pad;
    let push_lines = |lines: Vec<Line>, y: &mut f32, items: &mut Vec<Item>| {
        let h: f32 = lines.iter().map(|l| l.height).sum();
        items.extend(lines.into_iter().map(|l| Item::Line(moved(l, pad, *y))));
        *y += h;
    };
    if let Some(t) = &box_.title {
        let size = ts.size(&ts.spec.roles.banner);
        let ps = [Piece {
            text: t.clone(),
            role: Role::Headline,
            size,
        }];
        push_lines(ts.lines(&ps, size, inner, Align::Center, 0.0)?, &mut y, &mut items);
    }
    for block in &box_.body {
        match block {
            Block::Paragraph(p) => {
                let mut ps = Vec::new();
                pieces(&p.content, Role::Body, ts.size(&ts.spec.roles.body), &mut ps);
                push_lines(ts.lines(&ps, em, inner, Align::Center, 0.0)?, &mut y, &mut items);
            }
            Block::Figure(f) => {
                let fig = figure_box(ts, f, media, inner.min(ts.spec.column_width()), inner)?;
                figure_parts(&fig, pad + (inner - fig.width) / 2.0, y, &mut parts);
                y += fig.height + em * 0.5;
            }
            _ => {}
        }
    }
    let height = ((y + pad) / ts.pitch()).ceil() * ts.pitch();
    let t = 0.75;
    let corners = [(0.0, 0.0), (width, 0.0), (width, height - 2.0), (0.0, height - 2.0)];
    for (i, &a) in corners.iter().enumerate() {
        let b = corners.get((i + 1) % 4).copied().unwrap_or(a);
        items.push(Item::Rule(Rule {
            from: a,
            to: b,
            thickness: t,
        }));
    }
    parts.insert(
        0,
        Part {
            block: None,
            kind: BlockKind::Furniture,
            owner: box_.id.clone(),
            rect: Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
            },
            items,
        },
    );
    Ok(Module {
        width,
        height,
        parts,
        truncated: false,
        jump_at: None,
    })
}

/// An article (or the continuation of one) set in `k` columns.
#[derive(Clone)]
pub(crate) struct ArticleSet<'a> {
    pub(crate) article: &'a Article,
    /// Body rows not yet placed.
    pub(crate) slots: Arc<Vec<Slot>>,
    /// First slot to place.
    pub(crate) from: usize,
    /// Figures of the article (placed with the first part only).
    pub(crate) figures: Vec<&'a Figure>,
    /// 1 for the first part, 2 … for continuations.
    pub(crate) part: u32,
    /// Whether it is page 1's lead article (larger headline).
    pub(crate) lead: bool,
    /// What gave way in composing its body ([`body_slots`]).
    pub(crate) warnings: Arc<Vec<CompositionWarning>>,
}

/// Lay out an article part in `k` columns; if `max_height` is given and the body does not fit,
/// fill to that height and report how many slots were placed.
///
/// Without `max_height` the module is measured at its natural height, but lines deeper than
/// `page_height` are not copied into it: such a module is taller than any page, so it is only
/// ever measured, never placed (it is cut with a `max_height` first). Copying them made a long
/// article cost the square of its length (every page measured the whole rest at every width).
pub(crate) fn article_module(
    ts: &Typesetter<'_>,
    set: &ArticleSet<'_>,
    media: &MediaBag,
    k: u32,
    max_height: Option<f32>,
    page_height: f32,
    jump_from: Option<&str>,
) -> Result<(Module, usize), FlowError> {
    let width = span_width(ts, k);
    let pitch = ts.pitch();
    let colw = ts.spec.column_width();
    let gap = ts.spec.pt(ts.spec.grid.column_gap);
    let id = set.article.id.clone();
    let mut parts = Vec::new();
    // Head: the full head on the first part; on a continuation the headline again, smaller,
    // with the jump line （上接第N版）.
    let (head_lines, head_h) = if set.part == 1 {
        article_head(ts, set.article, k, set.lead)?
    } else if ts.spec.kind == PublicationKind::Bulletin {
        // A bulletin's article flows on from the page before: no head at all.
        (Vec::new(), 0.0)
    } else {
        let size = ts.size(&ts.spec.roles.headline);
        let mut ps = Vec::new();
        pieces(&set.article.headline, Role::Headline, size, &mut ps);
        let lines = ts.lines(&ps, size, width, Align::Center, 0.0)?;
        let y: f32 = lines.iter().map(|l| l.height).sum();
        (lines, ((y / pitch).ceil() + 1.0) * pitch)
    };
    let mut head_items: Vec<Item> = head_lines.into_iter().map(Item::Line).collect();
    if let Some(label) = jump_from {
        let size = ts.em();
        let ps = [Piece {
            text: Text::new(format!("（上接第{label}版）")),
            role: Role::Folio,
            size,
        }];
        for l in ts.lines(&ps, size, width, Align::Left, 0.0)? {
            head_items.push(Item::Line(moved(right_align(l, width), 0.0, head_h - pitch)));
        }
    }
    parts.extend((!head_items.is_empty()).then(|| Part {
        block: None,
        // A continuation's repeated headline and jump line are added text, not the model's: they
        // are chrome, so that every character of the model is on the pages exactly once.
        kind: if set.part == 1 {
            BlockKind::Head
        } else {
            BlockKind::Chrome
        },
        owner: id.clone(),
        rect: Rect {
            x: 0.0,
            y: 0.0,
            width,
            height: head_h,
        },
        items: head_items,
    }));

    // Photos go at the top of the body, one over two columns or several in a strip, captions
    // under them; the body flows on below.
    let mut col_top = vec![head_h; k as usize];
    if set.part == 1 && !set.figures.is_empty() {
        let budget = max_height.unwrap_or(f32::MAX) * FIGURE_SHARE;
        col_top = photo_group(ts, &set.figures, media, k, head_h, budget, &mut parts)?;
    }
    // Balance the remaining body rows across the columns: the least common depth that holds them.
    let slots = set.slots.get(set.from..).unwrap_or_default();
    let total = slots.len();
    // Rows a column starting at `top` holds above `depth`.
    let rows_at = |depth: f32, top: f32| (((depth - top) / pitch) + 0.001).floor().max(0.0) as usize;
    let caps = |depth: f32| -> Vec<usize> { col_top.iter().map(|&t| rows_at(depth, t)).collect() };
    let capacity = |depth: f32| -> usize { col_top.iter().map(|&t| rows_at(depth, t)).sum() };
    let top_max = col_top.iter().cloned().fold(0.0, f32::max);
    // Below the deepest column top every further row adds one slot per column, so the depth is
    // found in one step (one row short of it, against rounding), then row by row; stepping a row
    // at a time from the top made a long article's every measurement cost its length.
    let mut depth = top_max;
    let first = capacity(depth);
    if first < total {
        let rows = (total - first).div_ceil(col_top.len().max(1)).saturating_sub(1);
        depth += rows as f32 * pitch;
    }
    while capacity(depth) < total {
        depth += pitch;
    }
    let mut truncated = false;
    let mut placed_limit = total;
    if let Some(max) = max_height
        && depth > max + 0.01
    {
        truncated = true;
        depth = head_h + (((max - head_h) / pitch) + 0.001).floor() * pitch;
        // A newspaper keeps the last row of the last column for the jump line; a bulletin
        // has none.
        let jump_row = usize::from(ts.spec.kind == PublicationKind::Newspaper);
        placed_limit = capacity(depth).saturating_sub(jump_row).min(total);
        // Nor does the cut leave a paragraph's first line alone at the foot or its last alone
        // on the next page (at most a few rows go on with it).
        let mut moved = 0;
        while moved < 3 && placed_limit > 1 && slots.get(placed_limit - 1).is_some_and(|s| s.keep) {
            placed_limit -= 1;
            moved += 1;
        }
    }
    // Columns that start level end level, at most `rows` apart.
    let level = |plan: &[usize], rows: usize| {
        plan.iter().zip(&col_top).all(|(&r, &t)| {
            plan.iter()
                .zip(&col_top)
                .filter(|&(_, &u)| (u - t).abs() < 0.01)
                .all(|(&q, _)| r.abs_diff(q) <= rows)
        })
    };
    let (mut plan, mut stranded) = column_rows(slots, &caps(depth), placed_limit);
    // A cut module's columns are full: a lone line at one of its column breaks can only move
    // if a row or two less goes on this page.
    if stranded && truncated {
        for less in 1..=3 {
            let limit = placed_limit.saturating_sub(less);
            if limit <= 1 || slots.get(limit - 1).is_some_and(|s| s.keep) {
                continue;
            }
            let (p, still) = column_rows(slots, &caps(depth), limit);
            if !still {
                (plan, stranded, placed_limit) = (p, still, limit);
                break;
            }
        }
    }
    // A subhead or a paragraph's lone line the balanced columns leave at a column's foot goes
    // to the next column, which may need a row or two more depth to take it (at most three,
    // never past `max_height`): the columns stay a row apart where they can, else two.
    if (stranded || !level(&plan, 1)) && !truncated {
        let mut tries = vec![(plan.clone(), stranded, depth)];
        for extra in 1..=3 {
            let deeper = depth + extra as f32 * pitch;
            if max_height.is_some_and(|max| deeper > max + 0.01) {
                break;
            }
            let (p, still) = column_rows(slots, &caps(deeper), placed_limit);
            tries.push((p, still, deeper));
        }
        let pick = |rows: usize| tries.iter().find(|(p, still, _)| !still && level(p, rows));
        if let Some((p, _, d)) = pick(1).or_else(|| pick(2)) {
            (plan, depth) = (p.clone(), *d);
        }
    }
    let mut next = 0usize;
    let mut jump_at = None;
    for (c, &top) in col_top.iter().enumerate() {
        // A column never starts with an empty row.
        next = past_blank_rows(slots, next, placed_limit);
        let rows = plan.get(c).copied().unwrap_or(0);
        let x = c as f32 * (colw + gap);
        let mut items = Vec::new();
        let mut row = 0usize;
        let first = next;
        let mut boxed_rows: Vec<usize> = Vec::new();
        while row < rows && next < placed_limit {
            // Only measured, never placed (see above): nothing deeper than a page is needed.
            if max_height.is_none() && top + row as f32 * pitch > page_height {
                break;
            }
            let Some(slot) = slots.get(next) else { break };
            if let Some(line) = &slot.line {
                let y = top + row as f32 * pitch;
                items.push(Item::Line(moved(line.clone(), x, y)));
                if slot.boxed {
                    boxed_rows.push(row);
                }
            }
            row += 1;
            next += 1;
        }
        for r in boxed_rows {
            let y0 = top + r as f32 * pitch;
            items.push(Item::Rule(Rule {
                from: (x + 0.4 * ts.em(), y0),
                to: (x + 0.4 * ts.em(), y0 + pitch),
                thickness: 0.75,
            }));
        }
        let used = row as f32 * pitch;
        if truncated && c + 1 == col_top.len() {
            jump_at = Some(Rect {
                x,
                y: top + row as f32 * pitch,
                width: colw,
                height: pitch,
            });
        }
        if !items.is_empty() || next > first {
            parts.push(Part {
                block: slots.get(first).map(|s| s.block),
                kind: BlockKind::Body,
                owner: id.clone(),
                rect: Rect {
                    x,
                    y: top,
                    width: colw,
                    height: used,
                },
                items,
            });
        }
    }
    let placed = next;
    let height = if truncated { max_height.unwrap_or(depth) } else { depth };
    Ok((
        Module {
            width,
            height,
            parts,
            truncated,
            jump_at,
        },
        placed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Body rows: `b` a line of text, `k` a line a column may not end after, `h` a subhead's
    /// line, `_` the blank row above a subhead.
    fn slots(rows: &str) -> Vec<Slot> {
        rows.chars()
            .map(|c| Slot {
                block: 0,
                line: (c != '_').then(|| Line {
                    x: 0.0,
                    y: 0.0,
                    width: 0.0,
                    hang: 0.0,
                    ascent: 0.0,
                    descent: 0.0,
                    height: 0.0,
                    text_range: 0..0,
                    runs: Vec::new(),
                }),
                boxed: false,
                keep: c != 'b',
            })
            .collect()
    }

    #[test]
    fn columns_are_balanced() {
        let s = slots("bbbbbbbbbb");
        assert_eq!(column_rows(&s, &[4, 4, 4], s.len()), (vec![4, 3, 3], false));
        assert_eq!(column_rows(&s, &[9, 9, 9, 9, 9], s.len()), (vec![2, 2, 2, 2, 2], false));
    }

    #[test]
    fn a_subhead_goes_with_its_text_to_the_next_column() {
        // Balanced 5 + 4, the first column would end with the blank row and the subhead.
        let s = slots("bbb_hbbbb");
        assert_eq!(column_rows(&s, &[5, 5], s.len()), (vec![3, 5], false));
        // The next column has no room for it: it stays, and the caller is told.
        assert_eq!(column_rows(&s, &[5, 4], s.len()), (vec![5, 4], true));
        // A subhead at the top of a column is where it belongs.
        let s = slots("bbbb_hbbb");
        assert!(!column_rows(&s, &[5, 5], s.len()).1);
    }

    #[test]
    fn a_paragraph_leaves_no_line_alone_at_a_column_break() {
        // A five-line paragraph and a two-line one: balanced 4 + 3 would leave the first one's
        // last line alone at the top of the second column (a widow).
        let s = slots("kbbkbkb");
        assert_eq!(column_rows(&s, &[4, 4], s.len()), (vec![3, 4], false));
        // A three-line paragraph and a four-line one: 4 + 3 would leave the second one's first
        // line alone at the foot of the first column (an orphan).
        let s = slots("kkbkbkb");
        assert_eq!(column_rows(&s, &[4, 4], s.len()), (vec![3, 4], false));
        // No room in the next column: the lines stay, and the caller is told.
        let s = slots("kbbkbkb");
        assert_eq!(column_rows(&s, &[4, 3], s.len()), (vec![4, 3], true));
    }
}
