//! Photos in modules: one photo composed with its caption and credit, and an article's photos
//! grouped side by side in whole columns (G2) rather than stacked over its lead.

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
    let media = media.get(&figure.src).ok_or_else(|| FlowError {
        kind: FlowErrorKind::PhotoNotLoaded,
        message: format!("photo `{}` was not loaded", figure.src),
        span: None,
        hint: Some("check that the image file exists next to the markup file".into()),
    })?;
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
/// column's new top: one photo over the first `min(k, 2)` columns; several side by side in rows
/// of up to `k` (each the same whole number of columns wide, tops aligned, captions under each,
/// a short last row centred),
/// so that they never stack over the lead. Rows share `budget` points of height; a row of photos
/// too tall for its share is set narrower, centred in its cells.
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
    let step = ts.spec.column_width() + ts.spec.pt(ts.spec.grid.column_gap);
    let n = figures.len() as u32;
    let (per_row, cell_cols) = if n == 1 {
        (1, k.min(2))
    } else {
        (n.min(k), (k / n.min(k)).max(1))
    };
    let rows = n.div_ceil(per_row.max(1));
    let cell = super::span_width(ts, cell_cols);
    let row_budget = budget / rows.max(1) as f32;
    let mut col_top = vec![top; k as usize];
    let mut y = top;
    for row in figures.chunks(per_row.max(1) as usize) {
        // Image heights are capped so that the row, captions included, keeps to its share.
        let mut boxes = Vec::with_capacity(row.len());
        for f in row {
            boxes.push(figure_box(ts, f, media, cell, row_budget * 0.75)?);
        }
        let height = boxes.iter().map(|b| b.height).fold(0.0, f32::max);
        // A last row short of photos is centred under the full rows.
        let indent = (per_row as usize - boxes.len()) as f32 * cell_cols as f32 * step / 2.0;
        for (c, fig) in boxes.iter().enumerate() {
            figure_parts(fig, indent + c as f32 * cell_cols as f32 * step, y, parts);
        }
        y += ((height + pitch * 0.5) / pitch).ceil() * pitch;
        for t in col_top.iter_mut().take((per_row * cell_cols) as usize) {
            *t = y;
        }
    }
    Ok(col_top)
}
