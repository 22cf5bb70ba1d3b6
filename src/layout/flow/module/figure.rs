//! Photos in modules: one photo composed with its caption and credit, and an article's photos
//! grouped in a strip across the module rather than stacked over its lead.

use super::Part;
use crate::layout::Align;
use crate::layout::flow::typeset::{Piece, Typesetter, moved, pieces, right_align};
use crate::layout::flow::{BlockKind, FlowError, FlowErrorKind, Rect};
use crate::layout::font::Role;
use crate::layout::frame::{ImageItem, Item, Line};
use crate::media::MediaBag;
use crate::model::Figure;

/// A photo with its caption, composed for a width.
#[derive(Debug, Clone)]
pub(crate) struct FigureBox {
    /// Model id of the figure.
    pub(crate) id: String,
    /// Image key (the figure's `src`).
    pub(crate) src: String,
    /// Image size in points.
    pub(crate) image: (f32, f32),
    /// Caption and credit lines under the image, relative to the box's top-left corner.
    pub(crate) caption: Vec<Line>,
    /// Whole height: image, gap, caption.
    pub(crate) height: f32,
    /// Width.
    pub(crate) width: f32,
}

/// Compose a figure at `width`: image scaled keeping its aspect ratio, caption and credit under
/// it (credit right-aligned).
pub(crate) fn figure_box(
    ts: &Typesetter<'_>,
    figure: &Figure,
    media: &MediaBag,
    width: f32,
    max_image_height: f32,
) -> Result<FigureBox, FlowError> {
    let media = loaded(figure, media)?;
    let aspect = media.height as f32 / media.width.max(1) as f32;
    let mut w = width;
    let mut h = w * aspect;
    if h > max_image_height && max_image_height > 0.0 {
        h = max_image_height;
        w = h / aspect;
    }
    let cap_size = ts.size(&ts.spec.roles.caption);
    let mut caption = Vec::new();
    let mut y = h + ts.pitch() * 0.4;
    for para in &figure.caption {
        let mut ps = Vec::new();
        pieces(para, Role::Caption, cap_size, &mut ps);
        let lines = ts.lines(&ps, cap_size, width, Align::Justify, 0.0)?;
        let h: f32 = lines.iter().map(|l| l.height).sum();
        caption.extend(lines.into_iter().map(|l| moved(l, 0.0, y)));
        y += h;
    }
    if let Some(credit) = &figure.credit {
        let size = ts.size(&ts.spec.roles.credit);
        let ps = [Piece {
            text: credit.clone(),
            role: Role::Credit,
            size,
        }];
        for line in ts.lines(&ps, size, width, Align::Left, 0.0)? {
            let line = right_align(line, width);
            caption.push(moved(line, 0.0, y));
        }
    }
    let height = caption.iter().map(|l| l.y + l.descent).fold(h, f32::max);
    Ok(FigureBox {
        id: figure.id.clone(),
        src: figure.src.clone(),
        image: (w, h),
        caption,
        height,
        width,
    })
}

/// Place a composed figure box at `(x, y)` as image and caption parts.
pub(crate) fn figure_parts(fig: &FigureBox, x: f32, y: f32, out: &mut Vec<Part>) {
    let ix = x + (fig.width - fig.image.0) / 2.0;
    out.push(Part {
        block: None,
        kind: BlockKind::Image,
        owner: fig.id.clone(),
        rect: Rect {
            x: ix,
            y,
            width: fig.image.0,
            height: fig.image.1,
        },
        items: vec![Item::Image(ImageItem {
            key: fig.src.clone(),
            x: ix,
            y,
            width: fig.image.0,
            height: fig.image.1,
        })],
    });
    if !fig.caption.is_empty() {
        let items: Vec<Item> = fig
            .caption
            .iter()
            .cloned()
            .map(|l| Item::Line(moved(l, x, y)))
            .collect();
        let top = y + fig.image.1;
        out.push(Part {
            block: None,
            kind: BlockKind::Caption,
            owner: fig.id.clone(),
            rect: Rect {
                x,
                y: top,
                width: fig.width,
                height: fig.height - fig.image.1,
            },
            items,
        });
    }
}

/// Places an article's photos under its head at `top`, across its `k` columns, and returns each
/// column's new top. One photo goes over the first `min(k, 2)` columns, the body flowing down
/// beside it. Several go in rows across the whole module (a photo strip): the photos of a row
/// scaled to one height so that together they span the module's width, captions under each,
/// so that neither a hole between photos of different shapes nor a column of text beside them
/// leaves the lead under a photo; the body starts under the last row, in the first column.
/// Rows share `budget` points of height; a strip too tall for its share is set narrower,
/// centred.
pub(super) fn photo_group(
    ts: &Typesetter<'_>,
    figures: &[&Figure],
    media: &MediaBag,
    k: u32,
    top: f32,
    budget: f32,
    parts: &mut Vec<Part>,
) -> Result<Vec<f32>, FlowError> {
    let pitch = ts.pitch();
    let gap = ts.spec.pt(ts.spec.grid.column_gap);
    let width = super::span_width(ts, k);
    let mut col_top = vec![top; k as usize];
    // Rows below a photo or strip start on the grid, half a row under the captions.
    let below = |y: f32, height: f32| y + ((height + pitch * 0.5) / pitch).ceil() * pitch;
    if let [f] = figures {
        let cols = k.min(2);
        let fig = figure_box(ts, f, media, super::span_width(ts, cols), budget * 0.75)?;
        figure_parts(&fig, 0.0, top, parts);
        for t in col_top.iter_mut().take(cols as usize) {
            *t = below(top, fig.height);
        }
        return Ok(col_top);
    }
    // As many to a row as the module has columns (up to four), the rows as even as can be.
    let n = figures.len().max(1);
    let rows = n.div_ceil((k as usize).clamp(1, 4));
    let per_row = n.div_ceil(rows);
    let row_budget = budget / rows as f32;
    let mut y = top;
    for row in figures.chunks(per_row) {
        let aspects = row
            .iter()
            .map(|f| aspect(f, media))
            .collect::<Result<Vec<f32>, FlowError>>()?;
        let gaps = gap * (row.len() - 1) as f32;
        // One image height for the row: the widths (height × aspect) fill the module's width.
        let sum: f32 = aspects.iter().sum::<f32>().max(0.01);
        let mut h = ((width - gaps) / sum).max(pitch);
        if h > row_budget * 0.75 {
            h = (row_budget * 0.75).max(pitch);
        }
        let used = h * sum + gaps;
        let mut x = ((width - used) / 2.0).max(0.0);
        let mut height: f32 = 0.0;
        for (f, a) in row.iter().zip(&aspects) {
            let fig = figure_box(ts, f, media, h * a, h + 0.01)?;
            figure_parts(&fig, x, y, parts);
            height = height.max(fig.height);
            x += fig.width + gap;
        }
        y = below(y, height);
    }
    col_top.fill(y);
    Ok(col_top)
}

/// Width over height of a figure's image.
fn aspect(figure: &Figure, media: &MediaBag) -> Result<f32, FlowError> {
    let m = loaded(figure, media)?;
    Ok(m.width.max(1) as f32 / m.height.max(1) as f32)
}

/// The loaded image of a figure.
fn loaded<'m>(figure: &Figure, media: &'m MediaBag) -> Result<&'m crate::media::Media, FlowError> {
    media.get(&figure.src).ok_or_else(|| FlowError {
        kind: FlowErrorKind::PhotoNotLoaded,
        message: format!("photo `{}` was not loaded", figure.src),
        span: None,
        hint: Some("check that the image file exists next to the markup file".into()),
    })
}
