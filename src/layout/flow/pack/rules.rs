//! Column rules: the hairlines between the body columns of a module, broken around what is
//! laid across a gap.

use crate::layout::flow::module::{Module, Part};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{BlockKind, Rect};
use crate::layout::frame::Rule;

/// Hairlines between the body columns of a module (the layout's `column_rules`).
///
/// Every rule runs the depth of the module's body text, from its highest column's top to its
/// deepest column's foot, in each gap that has body text on at least one side; it is broken
/// wherever a part laid across the gap (a photo or its caption spanning both columns, a head
/// over part of the module) would be crossed by it. A gap between two columns without body
/// text gets no rule.
pub(super) fn column_rules(ts: &Typesetter<'_>, m: &Module, x: f32, y: f32, k: u32, rules: &mut Vec<Rule>) {
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
pub(super) fn gap_rule_segments(m: &Module, colw: f32, gap: f32, k: u32) -> Vec<((f32, f32), (f32, f32))> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::frame::Item;

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
