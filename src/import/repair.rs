//! Repairing extraction damage: damaged datelines, credits and notes run into a paragraph, and
//! paragraphs broken mid-sentence by a column or page break.

use crate::diag::{Diagnostic, Span};
use crate::markup::dateline_len;
use crate::model::Text;

use super::BlockKind;
use super::chars::{char_len, ends_mid_sentence, is_han};
use super::classify::Classified;
use super::features::{BYLINE_PREFIXES, is_credit, is_end_note, is_page_number, strip_bullets};
use super::segment::{Unit, append_line};

/// Longest name between a misplaced bracket and the real one (通讯员梁健）).
const MAX_RUN_ON_CREDIT_CHARS: usize = 12;

/// Repair blocks before they are classified: page numbers are dropped, bullets before datelines
/// removed, damaged datelines mended, and photo credits and end notes run into the end of a
/// paragraph split off as blocks of their own.
pub(crate) fn split_units(units: Vec<Unit>, diags: &mut Vec<Diagnostic>) -> Vec<Unit> {
    let mut out = Vec::with_capacity(units.len());
    for mut unit in units {
        if is_page_number(unit.text.as_str()) {
            diags.push(Diagnostic::warning(
                "page-number-dropped",
                Some(unit.span),
                "a page number of the extracted text was dropped",
            ));
            continue;
        }
        // A bullet before a dateline (■本刊讯) is decoration: the dateline opens the paragraph.
        let bare = strip_bullets(unit.text.as_str());
        if bare.len() < unit.text.as_str().len() && dateline_len(bare).is_some() {
            let at = unit.text.as_str().len() - bare.len();
            unit.text = unit.text.slice(at..unit.text.as_str().len());
        }
        if let Some(fixed) = repair_dateline(&unit.text) {
            diags.push(
                Diagnostic::warning(
                    "dateline-repaired",
                    Some(Span::new(unit.span.start, unit.span.start + fixed.1)),
                    format!(
                        "damaged dateline mended as `{}`",
                        fixed.0.as_str().get(..fixed.2).unwrap_or_default()
                    ),
                )
                .with_hint("check the names in the dateline"),
            );
            unit.text = fixed.0;
        }
        let tail = trailing_credit(unit.text.as_str()).or_else(|| trailing_note(unit.text.as_str()));
        match tail {
            Some(at) => {
                let (head, rest) = unit.text.split_at(at);
                let rest_start = rest.origin.source_offset(0).unwrap_or(unit.span.end);
                let head_unit = Unit {
                    text: head.trimmed(),
                    span: Span::new(unit.span.start, rest_start.min(unit.span.end).max(unit.span.start)),
                    ..unit.clone()
                };
                let rest_unit = Unit {
                    text: rest.trimmed(),
                    span: Span::new(rest_start.clamp(unit.span.start, unit.span.end), unit.span.end),
                    indent: false,
                    blank_before: 0,
                    lines: 1,
                };
                out.push(head_unit);
                out.push(rest_unit);
            }
            None => out.push(unit),
        }
    }
    out
}

/// Mend a dateline whose credit bracket was closed too early by extraction:
/// `本报讯（记者郭树勋）通讯员梁健）` → `本报讯（记者郭树勋 通讯员梁健）`; and drop a space between
/// the source and its bracket (`本报讯 （记者…）`). Returns the mended text, the source length it
/// covers and its dateline length.
pub(crate) fn repair_dateline(text: &Text) -> Option<(Text, usize, usize)> {
    let s = text.as_str();
    let len = dateline_len(s)?;
    let after = &s[len..];
    // `本报讯 （记者…）`: the space keeps the bracket out of the dateline.
    if let Some(rest) = after.strip_prefix(' ')
        && rest.starts_with(['（', '('])
    {
        let mut t = text.slice(0..len);
        t.push_text(&text.slice(len + 1..s.len()));
        let new_len = dateline_len(t.as_str())?;
        return (new_len > len).then_some((t, len + 1, new_len));
    }
    if !s[..len].ends_with('）') {
        return None;
    }
    let role = BYLINE_PREFIXES.iter().find(|r| after.starts_with(**r))?;
    let close = after
        .char_indices()
        .take(MAX_RUN_ON_CREDIT_CHARS + 1)
        .find(|&(_, c)| c == '）')?
        .0;
    let name = &after[role.len()..close];
    if name.is_empty() || !name.chars().all(is_han) {
        return None;
    }
    let bracket_at = len - '）'.len_utf8();
    let mut t = text.slice(0..bracket_at);
    t.push_synthetic(" ", text.origin.source_offset(bracket_at).unwrap_or(0));
    t.push_text(&text.slice(len..s.len()));
    let new_len = dateline_len(t.as_str())?;
    Some((t, len + close + '）'.len_utf8(), new_len))
}

/// Where a photo credit run into the end of a caption starts (`…查看设备。本报记者 张三 摄`).
pub(crate) fn trailing_credit(text: &str) -> Option<usize> {
    let at = text.rfind(['。', '！', '？'])?;
    let tail_at = at + '。'.len_utf8();
    let tail = text[tail_at..].trim();
    let credited = tail.contains(' ') || BYLINE_PREFIXES.iter().any(|r| tail.starts_with(*r));
    (!tail.is_empty() && credited && is_credit(tail)).then_some(tail_at)
}

/// Where an end note run into the end of a paragraph starts (`…取得新进展。（余建斌）`).
pub(crate) fn trailing_note(text: &str) -> Option<usize> {
    if !text.ends_with('）') {
        return None;
    }
    let open = text.rfind('（')?;
    let before = text[..open].trim_end();
    let ends = before.ends_with(['。', '！', '？', '”']);
    (ends && char_len(before) > 0 && is_end_note(&text[open..])).then_some(open)
}

/// Join body paragraphs broken mid-sentence by column or page extraction, including across
/// blank lines and running page headers of the same edition: a paragraph that stops where no sentence can stop (a Han character, a digit, a
/// comma) is continued by the next paragraph, unless that one is indented (the source marks
/// paragraph starts) or opens with a dateline.
pub(crate) fn join_broken(blocks: Vec<Classified>, diags: &mut Vec<Diagnostic>) -> Vec<Classified> {
    let mut out: Vec<Classified> = Vec::with_capacity(blocks.len());
    // The last paragraph, while only running page headers of the same edition came after it: a
    // page break inside an article does not end the paragraph it cuts.
    let mut open: Option<usize> = None;
    let mut edition: Option<u32> = None;
    for block in blocks {
        let prev = open.and_then(|i| out.get_mut(i));
        if let Some(prev) = prev
            && block.kind == BlockKind::Paragraph
            && ends_mid_sentence(prev.unit.text.as_str())
            && !block.unit.indent
            && dateline_len(block.unit.text.as_str()).is_none()
        {
            diags.push(
                Diagnostic::warning(
                    "paragraph-joined",
                    Some(block.unit.span),
                    "joined to the paragraph above, which stops mid-sentence",
                )
                .with_hint("if a new paragraph starts here, split it again"),
            );
            append_line(&mut prev.unit.text, &block.unit.text, block.unit.span.start);
            prev.unit.span.end = prev.unit.span.end.max(block.unit.span.end);
            prev.unit.lines += block.unit.lines;
            prev.reason
                .push_str("; joined with the next block (broken mid-sentence)");
            continue;
        }
        let number = block.header.as_ref().and_then(|h| h.edition);
        let running_header = block.kind == BlockKind::Masthead
            || (block.kind == BlockKind::Edition && number.is_some() && number == edition);
        if block.kind == BlockKind::Edition {
            edition = number.or(edition);
        }
        if block.kind == BlockKind::Paragraph {
            open = Some(out.len());
        } else if !running_header {
            open = None;
        }
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_closed_dateline_is_mended() {
        let t = Text::from_source("本报讯（记者郭树勋）通讯员梁健）近日，记者获悉", 0);
        let (fixed, _, len) = repair_dateline(&t).expect("repaired");
        assert_eq!(fixed.as_str(), "本报讯（记者郭树勋 通讯员梁健）近日，记者获悉");
        assert_eq!(&fixed.as_str()[..len], "本报讯（记者郭树勋 通讯员梁健）");
        let t = Text::from_source("本报讯 （记者张三）近日", 0);
        assert_eq!(
            repair_dateline(&t).map(|f| f.0.as_str().to_string()).as_deref(),
            Some("本报讯（记者张三）近日")
        );
        assert!(repair_dateline(&Text::from_source("本报讯（记者张三）近日，通讯员李四说）", 0)).is_none());
    }

    #[test]
    fn run_in_credits_and_notes_are_found() {
        let t = "图为工作人员在查看设备。本报记者 张三 摄";
        assert_eq!(trailing_credit(t).map(|i| &t[i..]), Some("本报记者 张三 摄"));
        assert_eq!(trailing_credit("他拿起相机。随后拍摄"), None);
        let t = "全年粮食产量再创新高。（余建斌）";
        assert_eq!(trailing_note(t).map(|i| &t[i..]), Some("（余建斌）"));
        assert_eq!(trailing_note("示范区（高新区）"), None);
    }
}
