//! Packing modules into pages: full-width bands of modules whose heights match, page after page,
//! with continuations and jump lines when an edition's text does not fit its page.
//!
//! The editions are gone through in [`editions`]; an edition's [`units`] are planned into bands
//! ([`bands`]) and pages are filled from them ([`fill`]), the last band of a page reaching its
//! foot ([`close`]); [`rules`] draws the column rules. This file holds what they share and the
//! setting of one edition.

use std::collections::VecDeque;

use super::module::ArticleSet;
use super::typeset::{Piece, Typesetter};
use super::{BlockKind, FlowError, FlowErrorKind, MAX_PAGES, PageLayout, Rect};
use crate::layout::Align;
use crate::layout::font::Role;
use crate::layout::frame::{Item, Tag};
use crate::media::MediaBag;
use crate::model::{Bulletin, Figure, Furniture, Item as ModelItem, Section, Text};

mod bands;
mod close;
mod editions;
mod fill;
mod rules;
mod units;

use fill::fill_page;
use units::edition_units;

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
/// Most units in the band that ends a page.
const MAX_STACKED_UNITS: usize = 4;
/// Most units stacked in one column group of the band that ends a page.
const MAX_STACK: usize = 3;
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
            let items = &mut page.page.frame.items;
            items.push(Item::Start(Tag {
                owner: "chrome".into(),
                kind: BlockKind::Chrome,
                rect: j.rect,
                part: 1,
                block: None,
            }));
            for mut l in lines {
                let dx = j.rect.x + (j.rect.width - l.x - l.width).max(0.0);
                l.translate(dx, j.rect.y);
                items.push(Item::Line(l));
            }
            items.push(Item::End);
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
