//! Segmenting cleaned lines into blocks: lines wrapped at a column width by PDF extraction are
//! joined back into their paragraphs; every other line is a block of its own.

use crate::diag::{Diagnostic, Span};
use crate::markup::dateline_len;
use crate::model::Text;

use super::chars::{ends_mid_sentence, ends_sentence, width};
use super::clean::{Line, rewiden};
use super::features::{is_byline, is_credit};

/// One block of input: a line, or several column-wrapped lines joined.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The block's text, mapped back to the decoded input.
    pub(crate) text: Text,
    /// From the start of the first line to the end of the last.
    pub(crate) span: Span,
    /// Whether the first line was indented.
    pub(crate) indent: bool,
    /// Blank lines before the block.
    pub(crate) blank_before: usize,
    /// How many input lines the block joins.
    pub(crate) lines: usize,
}

/// Fewest lines in a run (without blank lines) for it to be taken as column-wrapped text.
const MIN_WRAPPED_RUN: usize = 4;

/// Narrowest column, in half-width cells, taken for column-wrapped text: 10 Han characters.
/// Shorter runs of similar lines are mastheads or lists.
const MIN_COLUMN_WIDTH: usize = 20;

/// Widest column, in half-width cells, taken for column-wrapped text: 50 Han characters. Text
/// with one paragraph per line has much longer lines.
const MAX_COLUMN_WIDTH: usize = 100;

/// A line at most this many cells narrower than the column is full: punctuation compression,
/// half-width digits and kinsoku make wrapped lines a little ragged.
const FULL_SLACK: usize = 4;

/// Wider columns are more ragged (runs of half-width digits and Latin): the slack grows to an
/// eighth of the column width.
const SLACK_FRACTION: usize = 8;

/// How many cells narrower than a column of width `w` a full line may be.
fn slack(w: usize) -> usize {
    FULL_SLACK.max(w / SLACK_FRACTION)
}

/// Width of a paragraph indent in half-width cells: two ideographic spaces (clreq §3.4.1).
const INDENT_WIDTH: usize = 4;

/// Share of lines (in fifths) that must be full for a run to be column-wrapped: 2/5.
const MIN_FULL_FIFTHS: usize = 2;

/// Join column-wrapped lines into paragraphs; every other line becomes a block of its own.
pub(crate) fn segment(lines: Vec<Line>, diags: &mut Vec<Diagnostic>) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut run: Vec<Line> = Vec::new();
    for line in lines {
        if line.blank_before > 0 && !run.is_empty() {
            join_wrapped(std::mem::take(&mut run), &mut units, diags);
        }
        run.push(line);
    }
    if !run.is_empty() {
        join_wrapped(run, &mut units, diags);
    }
    units
}

/// The column width of a run of lines, if the run looks column-wrapped: the width most full
/// lines reach (80th percentile), no wider than a newspaper column, and at least half of the
/// full lines broken mid-sentence (`mid[i]`). Text with one paragraph per line has lines of
/// similar width too, but they end with a full stop.
pub(crate) fn column_width(widths: &[usize], mid: &[bool]) -> Option<usize> {
    if widths.len() < MIN_WRAPPED_RUN {
        return None;
    }
    let mut sorted = widths.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let w = *sorted.get(sorted.len() / 5)?;
    let full: Vec<usize> = widths
        .iter()
        .enumerate()
        .filter(|&(_, &x)| x + slack(w) >= w)
        .map(|(i, _)| i)
        .collect();
    let broken = full.iter().filter(|&&i| mid.get(i).copied().unwrap_or(false)).count();
    ((MIN_COLUMN_WIDTH..=MAX_COLUMN_WIDTH).contains(&w)
        && full.len() * 5 >= widths.len() * MIN_FULL_FIFTHS
        && broken * 2 >= full.len())
    .then_some(w)
}

/// Join the lines of one run (no blank lines inside) where a full line wraps into the next.
fn join_wrapped(run: Vec<Line>, units: &mut Vec<Unit>, diags: &mut Vec<Diagnostic>) {
    // An indent takes its place in the column: the first line of a paragraph is full with it.
    let widths: Vec<usize> = run
        .iter()
        .map(|l| width(l.text.as_str()) + if l.indent { INDENT_WIDTH } else { 0 })
        .collect();
    let mid: Vec<bool> = run.iter().map(|l| !ends_sentence(l.text.as_str())).collect();
    let column = column_width(&widths, &mid);
    let has_indents = run.iter().skip(1).any(|l| l.indent);
    let mut current: Option<Unit> = None;
    for (i, line) in run.into_iter().enumerate() {
        let continues = match (&current, column) {
            (Some(prev), Some(w)) => {
                // A line wider than the column (a page header across the page) is not column text.
                let pw = widths.get(i.wrapping_sub(1)).copied().unwrap_or(0);
                let lw = widths.get(i).copied().unwrap_or(0);
                let prev_full = pw + slack(w) >= w && pw <= w + slack(w);
                // Where paragraphs are indented, a paragraph's line that stops mid-sentence goes
                // on, however ragged (widened punctuation, kinsoku); headlines are not indented.
                let mid_paragraph =
                    has_indents && prev.indent && pw <= w + slack(w) && ends_mid_sentence(prev.text.as_str());
                // A short line after a sentence end, where paragraphs are indented, is a line of
                // its own (a headline), not the tail of the paragraph.
                let own_line = has_indents && ends_sentence(prev.text.as_str()) && lw + slack(w) < w;
                let t = line.text.as_str();
                (prev_full || mid_paragraph)
                    && !own_line
                    && !line.indent
                    && dateline_len(t).is_none()
                    && !is_byline(t)
                    && !is_credit(t)
            }
            _ => false,
        };
        if continues && let Some(unit) = current.as_mut() {
            if !has_indents && ends_sentence(unit.text.as_str()) {
                diags.push(
                    Diagnostic::warning(
                        "paragraph-break-unsure",
                        Some(line.span),
                        "a full-width line ending a sentence was joined with this line",
                    )
                    .with_hint("the wrapped text has no indents, so a paragraph may start here"),
                );
            }
            append_line(&mut unit.text, &line.text, line.span.start);
            unit.span.end = line.span.end;
            unit.lines += 1;
            // A mark at a line end or start had no neighbour on one side when it was cleaned.
            if let Some(t) = rewiden(&unit.text) {
                unit.text = t;
            }
            continue;
        }
        if let Some(u) = current.take() {
            units.push(u);
        }
        current = Some(Unit {
            text: line.text,
            span: line.span,
            indent: line.indent,
            blank_before: line.blank_before,
            lines: 1,
        });
    }
    if let Some(u) = current {
        units.push(u);
    }
}

/// Append a wrapped line: no space where either side is Chinese (a line break in Chinese text
/// is not a space, clreq §3.4), one space between two Latin words.
pub(crate) fn append_line(text: &mut Text, next: &Text, at: usize) {
    let a = text.as_str().chars().last();
    let b = next.as_str().chars().next();
    if let (Some(a), Some(b)) = (a, b)
        && a.is_ascii_alphanumeric()
        && b.is_ascii_alphanumeric()
        && !(a.is_ascii_digit() && b.is_ascii_digit())
    {
        text.push_synthetic(" ", at);
    }
    text.push_text(next);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::clean_lines;

    fn seg(s: &str) -> Vec<String> {
        let mut d = Vec::new();
        let lines = clean_lines(s, &mut d);
        segment(lines, &mut d)
            .into_iter()
            .map(|u| u.text.as_str().to_string())
            .collect()
    }

    #[test]
    fn column_wrapped_lines_are_joined() {
        let text = "标题一行\n\n　　本报讯（记者张三）近日，示范区召开\n会议，传达学习中央经济工作会议精\n神，部署明年工作。\n　　会议强调，要以党的十九届五中全\n会精神为指引。";
        assert_eq!(
            seg(text),
            vec![
                "标题一行",
                "本报讯（记者张三）近日，示范区召开会议，传达学习中央经济工作会议精神，部署明年工作。",
                "会议强调，要以党的十九届五中全会精神为指引。"
            ]
        );
    }

    #[test]
    fn one_paragraph_per_line_is_left_alone() {
        let text = "会议强调，全区上下要认真学习贯彻中央经济工作会议精神，切实把思想和行动统一到党中央对经济形势重大判断和对经济工作的重要决策部署上来。\n会上，示范区班子成员对26个区直部门的工作汇报进行了点评发言。\n代表们边走边看，交流学习，一致表示将进一步发挥人大代表的桥梁和纽带作用。";
        assert_eq!(seg(text).len(), 3);
    }
}
