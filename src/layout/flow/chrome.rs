//! Page chrome: the masthead (报头) of page 1, the running head of later pages, the folio.
//! None of this text is in the model: the heads' blocks are [`BlockKind::Header`], the folio's
//! [`BlockKind::Chrome`].

use super::module::Part;
use super::typeset::{Piece, Typesetter};
use super::{BlockKind, FlowError, Rect};
use crate::layout::Align;
use crate::layout::font::Role;
use crate::layout::frame::{Item, Line, Rule};
use crate::layout::spec::PublicationKind;
use crate::model::{Bulletin, Edition, Text};

/// Horizontal placement of a chrome text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Center,
    Right,
}

fn line_at(mut l: Line, x: f32, y: f32) -> Line {
    l.translate(x, y);
    l
}

/// Set one string in `role` at `size`, `width` wide, aligned; lines relative to `(x, y)`.
fn text_lines(
    ts: &Typesetter<'_>,
    text: &str,
    role: Role,
    size: f32,
    width: f32,
    side: Side,
    (x, y): (f32, f32),
) -> Result<(Vec<Item>, f32), FlowError> {
    let ps = [Piece {
        text: Text::new(text),
        role,
        size,
    }];
    let align = if side == Side::Center {
        Align::Center
    } else {
        Align::Left
    };
    let lines = ts.lines(&ps, size, width, align, 0.0)?;
    let height: f32 = lines.iter().map(|l| l.height).sum();
    let items = lines
        .into_iter()
        .map(|l| {
            // Right alignment: composed ragged, then moved to end at the right edge.
            let dx = if side == Side::Right {
                (width - l.x - l.width).max(0.0)
            } else {
                0.0
            };
            Item::Line(line_at(l, x + dx, y))
        })
        .collect();
    Ok((items, height))
}

/// 2020年12月28日 星期一
pub(crate) fn date_line(b: &Bulletin) -> String {
    let d = b.meta.date;
    format!("{}年{}月{}日 {}", d.year, d.month, d.day, d.weekday_zh())
}

/// The masthead of page 1 within `width` at `(x, y)`; returns its part and height.
pub(crate) fn masthead(
    ts: &Typesetter<'_>,
    b: &Bulletin,
    edition: &Edition,
    x: f32,
    y: f32,
    width: f32,
) -> Result<(Part, f32), FlowError> {
    let spec = ts.spec;
    let min_height = spec.pt(spec.masthead.height);
    let info_cols = spec.masthead.info_columns.min(spec.grid.columns.saturating_sub(1));
    let info_w = super::module::span_width(ts, info_cols.max(1));
    let title_w = width
        - if info_cols > 0 {
            info_w + spec.pt(spec.grid.column_gap)
        } else {
            0.0
        };
    let mut items = Vec::new();
    let title_size = masthead_size(ts, &b.meta.publication, ts.size(&spec.roles.masthead), title_w)?;
    let (mut t, th) = text_lines(
        ts,
        &b.meta.publication,
        Role::Headline,
        title_size,
        title_w,
        Side::Left,
        (x, y),
    )?;
    items.append(&mut t);
    let small = ts.size(&spec.roles.folio);
    let mut ty = y + th;
    if let Some(s) = &b.meta.slogan {
        let (mut l, h) = text_lines(
            ts,
            s,
            Role::Kicker,
            ts.size(&spec.roles.kicker),
            title_w,
            Side::Left,
            (x, ty),
        )?;
        items.append(&mut l);
        ty += h;
    }
    // The lowest thing set so far: the band grows past the layout's height rather than let the
    // rule strike through a slogan or the last row of serial numbers.
    let mut bottom = ty;
    if info_cols > 0 {
        let ix = x + width - info_w;
        let mut rows = vec![date_line(b)];
        let mut nums = Vec::new();
        if let Some(n) = b.meta.issue {
            nums.push(format!("第{n}期"));
        }
        if let Some(n) = b.meta.total_issue {
            nums.push(format!("总第{n}期"));
        }
        if !nums.is_empty() {
            rows.push(nums.join(" "));
        }
        // A bulletin's pages are not editions (版): its masthead names the section only.
        match ts.spec.kind {
            PublicationKind::Newspaper => rows.push(edition_label(edition)),
            PublicationKind::Bulletin if !edition.name.is_empty() => rows.push(edition.name.clone()),
            PublicationKind::Bulletin => {}
        }
        // Page 1 has no running head, so its editor in charge (责任编辑) is named here.
        if let Some(ed) = &edition.editor {
            rows.push(format!("责任编辑：{ed}"));
        }
        if let Some(p) = &b.meta.publisher {
            rows.push(format!("主办：{p}"));
        }
        if let Some(cn) = &b.meta.cn {
            rows.push(format!("国内统一连续出版物号 {cn}"));
        }
        if let Some(issn) = &b.meta.issn {
            rows.push(format!("ISSN {issn}"));
        }
        if let Some(p) = &b.meta.permit {
            rows.push(format!("准印证号 {p}"));
        }
        let mut iy = y + small;
        for r in rows {
            let (mut l, h) = text_lines(ts, &r, Role::Folio, small * 1.1, info_w, Side::Right, (ix, iy))?;
            items.append(&mut l);
            iy += h;
        }
        bottom = bottom.max(iy);
    }
    let rule = spec.pt(spec.masthead.rule_thickness);
    // Grown by whole grid rows, so that the body below stays on the baseline grid (clreq §2.3.5).
    let needed = bottom - y + 0.3 * small + rule;
    let pitch = ts.pitch();
    let height = if needed > min_height + 0.01 {
        min_height + ((needed - min_height) / pitch).ceil() * pitch
    } else {
        min_height
    };
    let rule_y = y + height - rule;
    items.push(Item::Rule(Rule {
        from: (x, rule_y),
        to: (x + width, rule_y),
        thickness: rule,
    }));
    let part = Part {
        block: None,
        kind: BlockKind::Header,
        owner: "chrome".into(),
        rect: Rect { x, y, width, height },
        items,
    };
    Ok((part, height))
}

/// The size the publication's name is set at in the masthead: the layout's size, or, when the
/// name does not fit on one line beside the issue information at that size, the largest size
/// (in half points, down to a third of the layout's size) at which it does. A nameplate (报头) is one
/// line; a long name such as 河川统计信息 had broken as 河川统计信 / 息. A name too long even
/// then is set at that least size and wraps.
fn masthead_size(ts: &Typesetter<'_>, name: &str, size: f32, width: f32) -> Result<f32, FlowError> {
    let set = |size: f32, width: f32| {
        let ps = [Piece {
            text: Text::new(name),
            role: Role::Headline,
            size,
        }];
        ts.lines(&ps, size, width, Align::Left, 0.0)
    };
    let one_line = |size: f32| -> Result<bool, FlowError> { Ok(set(size, width)?.len() <= 1) };
    if one_line(size)? {
        return Ok(size);
    }
    // The name's natural width at the layout's size, set on one unbounded line.
    let natural = set(size, f32::MAX / 4.0)?.iter().map(|l| l.width).fold(0.0, f32::max);
    let least = (size / 3.0 * 2.0).ceil() / 2.0;
    if natural <= 0.0 {
        return Ok(size);
    }
    // Widths scale with the size, so this is the first guess; shaping can differ slightly
    // (kerning, punctuation compression), so step down until the name fits.
    let mut s = (((size * width / natural) * 2.0).floor() / 2.0).min(size - 0.5);
    while s >= least {
        if one_line(s)? {
            return Ok(s);
        }
        s -= 0.5;
    }
    Ok(least)
}

/// 第二版 综合
pub(crate) fn edition_label(e: &Edition) -> String {
    if e.name.is_empty() {
        format!("第{}版", e.number)
    } else {
        format!("第{}版 {}", e.number, e.name)
    }
}

/// The running head of a later page: publication left, edition centre, date right, rule under.
pub(crate) fn running_head(
    ts: &Typesetter<'_>,
    b: &Bulletin,
    edition: &Edition,
    label: &str,
    x: f32,
    y: f32,
    width: f32,
) -> Result<(Part, f32), FlowError> {
    let size = ts.size(&ts.spec.roles.folio);
    let third = width / 3.0;
    let mut items = Vec::new();
    let (mut l, h) = text_lines(ts, &b.meta.publication, Role::Folio, size, third, Side::Left, (x, y))?;
    items.append(&mut l);
    let mut centre = match ts.spec.kind {
        PublicationKind::Newspaper => format!("第{label}版"),
        PublicationKind::Bulletin => format!("第{label}页"),
    };
    if !edition.name.is_empty() {
        centre.push(' ');
        centre.push_str(&edition.name);
    }
    if let Some(ed) = &edition.editor {
        centre.push_str(&format!(" 责任编辑：{ed}"));
    }
    let (mut l, _) = text_lines(ts, &centre, Role::Folio, size, third, Side::Center, (x + third, y))?;
    items.append(&mut l);
    let (mut l, _) = text_lines(
        ts,
        &date_line(b),
        Role::Folio,
        size,
        third,
        Side::Right,
        (x + 2.0 * third, y),
    )?;
    items.append(&mut l);
    let rule_y = y + h + 2.0;
    items.push(Item::Rule(Rule {
        from: (x, rule_y),
        to: (x + width, rule_y),
        thickness: 0.75,
    }));
    // The body starts a row under the rule (half a row here, half where the page is filled).
    let height = rule_y - y + ts.pitch() * 0.5;
    Ok((
        Part {
            block: None,
            kind: BlockKind::Header,
            owner: "chrome".into(),
            rect: Rect { x, y, width, height },
            items,
        },
        height,
    ))
}

/// The folio at the foot of the page: — N —, centred.
pub(crate) fn folio(ts: &Typesetter<'_>, label: &str, x: f32, y: f32, width: f32) -> Result<Part, FlowError> {
    let size = ts.size(&ts.spec.roles.folio);
    let (items, h) = text_lines(
        ts,
        &format!("— {label} —"),
        Role::Folio,
        size,
        width,
        Side::Center,
        (x, y),
    )?;
    Ok(Part {
        block: None,
        kind: BlockKind::Chrome,
        owner: "chrome".into(),
        rect: Rect { x, y, width, height: h },
        items,
    })
}
