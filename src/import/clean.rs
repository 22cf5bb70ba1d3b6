//! Cleaning lines: control characters, padding, run-together paragraphs, character widths.

use crate::diag::{Diagnostic, Span};
use crate::model::Text;

use super::chars::{is_chinese, is_han, is_space};

/// One cleaned, non-blank line of the input.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// The cleaned text, trimmed, mapped back to the decoded input.
    pub(crate) text: Text,
    /// The raw line (or the part of it after a run-together split) in the decoded input.
    pub(crate) span: Span,
    /// Whether the line was indented (spaces, NBSP or U+3000 before the text).
    pub(crate) indent: bool,
    /// Blank lines between this line and the previous non-blank one.
    pub(crate) blank_before: usize,
}

/// One character after cleaning, with where it came from and whether it was changed.
#[derive(Debug, Clone, Copy)]
struct Ch {
    offset: usize,
    c: char,
    changed: bool,
}

/// Counts of silent normalisations, reported once per document.
#[derive(Debug, Default)]
struct Counts {
    full_width: usize,
    full_width_at: Option<usize>,
    punct: usize,
    punct_at: Option<usize>,
}

/// The byte ranges of the lines of `text`: lines end at `\n`, `\r\n`, a lone `\r`, or a form
/// feed (pdftotext puts one between pages; the page break is a line break).
pub(crate) fn split_lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' | b'\x0c' => {
                out.push(Span::new(start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push(Span::new(start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push(Span::new(start, bytes.len()));
    }
    out
}

/// Clean every line of `text`; blank lines are counted into the next line's `blank_before`.
pub(crate) fn clean_lines(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut counts = Counts::default();
    let mut blanks = 0;
    for (k, span) in split_lines(text).into_iter().enumerate() {
        if text.as_bytes().get(span.end) == Some(&b'\x0c') {
            diags.push(
                Diagnostic::warning(
                    "control-character",
                    Some(Span::new(span.end, span.end + 1)),
                    "form feed (page break) dropped",
                )
                .with_hint("a page break in extracted text often ends an edition; check that one starts here"),
            );
        }
        let raw = text.get(span.range()).unwrap_or_default();
        let pieces = clean_line(raw, span.start, k == 0, &mut counts, diags);
        if pieces.is_empty() {
            blanks += 1;
            continue;
        }
        for (i, (text, indent, piece_span)) in pieces.into_iter().enumerate() {
            out.push(Line {
                text,
                span: piece_span,
                indent,
                blank_before: if i == 0 { blanks } else { 0 },
            });
        }
        blanks = 0;
    }
    if counts.full_width > 0 {
        let at = counts.full_width_at.unwrap_or(0);
        diags.push(
            Diagnostic::warning(
                "normalised-width",
                Some(Span::new(at, at + 3)),
                format!("{} full-width letter(s) or digit(s) set half-width", counts.full_width),
            )
            .with_hint("clreq §3.2.1: store Latin letters and digits half-width; spacing is the typesetter's job"),
        );
    }
    if counts.punct > 0 {
        let at = counts.punct_at.unwrap_or(0);
        diags.push(
            Diagnostic::warning(
                "normalised-punct",
                Some(Span::new(at, at + 1)),
                format!("{} half-width mark(s) in Chinese text set full-width", counts.punct),
            )
            .with_hint("GB/T 15834: Chinese text takes the full-width `，；：（）？！`"),
        );
    }
    out
}

/// Whether `c` is dropped: control characters other than tab, Unicode noncharacters (which the
/// markup refuses, see `markup::is_forbidden_control`), and invisible format characters
/// (zero-width spaces and joiners, stray byte order marks, soft hyphens).
fn is_dropped(c: char) -> bool {
    (c.is_control() && c != '\t')
        || crate::markup::is_forbidden_control(c)
        || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// Clean one raw line starting at byte `base`: drop control characters (warning), split
/// paragraphs run together with ideographic-space indents, trim padding, collapse inner
/// whitespace, set full-width letters and digits half-width and half-width punctuation in
/// Chinese text full-width. Returns the pieces with their indent flags and spans.
fn clean_line(
    raw: &str,
    base: usize,
    first_line: bool,
    counts: &mut Counts,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Text, bool, Span)> {
    let mut chars = Vec::with_capacity(raw.len() / 2);
    let mut dropped: Vec<(usize, char)> = Vec::new();
    for (i, c) in raw.char_indices() {
        if is_dropped(c) {
            // A byte order mark opening the file is not worth a warning.
            if !(first_line && i == 0 && c == '\u{feff}') {
                dropped.push((base + i, c));
            }
            continue;
        }
        chars.push(Ch {
            offset: base + i,
            c,
            changed: false,
        });
    }
    if let Some(&(at, c)) = dropped.first() {
        let names: Vec<String> = {
            let mut seen: Vec<char> = dropped.iter().map(|d| d.1).collect();
            seen.sort_unstable();
            seen.dedup();
            seen.iter().map(|c| format!("U+{:04X}", *c as u32)).collect()
        };
        diags.push(Diagnostic::warning(
            "control-character",
            Some(Span::new(at, at + c.len_utf8())),
            format!("{} control character(s) dropped ({})", dropped.len(), names.join(", ")),
        ));
    }
    let mut out = Vec::new();
    for piece in split_run_together(&chars) {
        let indent = piece.first().is_some_and(|c| is_space(c.c));
        let mut cleaned = collapse_spaces(piece);
        if cleaned.is_empty() {
            continue;
        }
        narrow_ascii(&mut cleaned, counts);
        widen_punct(&mut cleaned, counts);
        drop_spaces_at_punct(&mut cleaned);
        let start = piece.first().map_or(base, |c| c.offset);
        let end = piece.last().map_or(base, |c| c.offset + c.c.len_utf8());
        out.push((to_text(&cleaned), indent, Span::new(start, end)));
    }
    out
}

/// Split a line where paragraphs were run together: a sentence end followed by an indent of two
/// or more ideographic spaces (`。　　今年以来`), as text copied from web pages often is.
fn split_run_together(chars: &[Ch]) -> Vec<&[Ch]> {
    /// Shortest run of spaces taken as a paragraph indent between two paragraphs.
    const MIN_INDENT: usize = 2;
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(ch) = chars.get(i) {
        if !is_space(ch.c) {
            i += 1;
            continue;
        }
        let run_start = i;
        while chars.get(i).is_some_and(|c| is_space(c.c)) {
            i += 1;
        }
        let run = chars.get(run_start..i).unwrap_or_default();
        let ideographic = run.iter().any(|c| c.c == '\u{3000}');
        let after_sentence = run_start
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|c| matches!(c.c, '。' | '！' | '？' | '…' | '”' | '」' | '』'));
        if run_start > start && i < chars.len() && after_sentence && ideographic && run.len() >= MIN_INDENT {
            pieces.extend(chars.get(start..run_start));
            start = run_start;
        }
    }
    pieces.push(chars.get(start..).unwrap_or_default());
    pieces
}

/// Trim padding at both ends and collapse inner runs of whitespace to one ASCII space.
fn collapse_spaces(piece: &[Ch]) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::with_capacity(piece.len());
    let mut pending: Option<(Ch, bool)> = None;
    for &ch in piece {
        if is_space(ch.c) {
            if out.is_empty() {
                continue;
            }
            pending = match pending {
                None => Some((ch, ch.c == ' ')),
                Some((first, _)) => Some((first, false)),
            };
            continue;
        }
        if let Some((first, plain)) = pending.take() {
            out.push(Ch {
                offset: first.offset,
                c: ' ',
                changed: !plain,
            });
        }
        out.push(ch);
    }
    out
}

/// Set full-width Latin letters and digits half-width (clreq §3.2.1), and a full-width full stop
/// between two digits to `.` (`１２．５` is a decimal number).
fn narrow_ascii(chars: &mut [Ch], counts: &mut Counts) {
    for ch in chars.iter_mut() {
        let c = ch.c;
        let narrowed = match c as u32 {
            0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0),
            _ => None,
        };
        if let Some(n) = narrowed {
            ch.c = n;
            ch.changed = true;
            counts.full_width += 1;
            counts.full_width_at.get_or_insert(ch.offset);
        }
    }
    for i in 1..chars.len().saturating_sub(1) {
        if let Some([prev, mid, next]) = chars.get_mut(i - 1..=i + 1)
            && mid.c == '．'
            && prev.c.is_ascii_digit()
            && next.c.is_ascii_digit()
        {
            mid.c = '.';
            mid.changed = true;
        }
    }
}

/// The full-width mark for a half-width one in Chinese text (GB/T 15834).
fn full_width_of(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        '?' => '？',
        '!' => '！',
        _ => return None,
    })
}

/// Set half-width `,;:?!` and `()` full-width where they stand in Chinese text. A mark counts as
/// in Chinese text when the nearest character on either side, looking past digits, decimal
/// points and percent signs, is Chinese (`162.7%;37个` counts, `Hello, world` does not);
/// thousands separators and times between digits (`1,000`, `12:30`) stay. A bracket pair is
/// widened when it encloses or touches Chinese text.
fn widen_punct(chars: &mut [Ch], counts: &mut Counts) {
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '%');
    let chinese_back = |chars: &[Ch], i: usize| {
        chars
            .get(..i)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|c| !numeric(c.c))
            .is_some_and(|c| is_chinese(c.c))
    };
    let chinese_fwd = |chars: &[Ch], i: usize| {
        chars
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .find(|c| !numeric(c.c))
            .is_some_and(|c| is_chinese(c.c))
    };
    let mut widen: Vec<bool> = chars
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            let c = ch.c;
            if !matches!(c, ',' | ';' | ':' | '?' | '!') {
                return false;
            }
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).map(|x| x.c);
            let next = chars.get(i + 1).map(|x| x.c);
            if matches!(c, ',' | ':')
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|x| x.is_ascii_digit())
            {
                return false;
            }
            // `http://`, `a:b`: an ASCII letter right after the mark keeps it Latin, unless
            // Chinese text comes right before it.
            let before = chinese_back(chars, i);
            let after = chinese_fwd(chars, i) && next.is_none_or(|x| x != ' ');
            before || after
        })
        .collect();
    // Brackets: match pairs on the line.
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    for (i, ch) in chars.iter().enumerate() {
        match ch.c {
            '(' => stack.push(i),
            ')' => pairs.push((stack.pop(), Some(i))),
            _ => {}
        }
    }
    pairs.extend(stack.into_iter().map(|o| (Some(o), None)));
    let han_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| is_chinese(c.c));
    for (open, close) in pairs {
        let inner = match (open, close) {
            (Some(o), Some(c)) => chars.get(o + 1..c).is_some_and(|s| s.iter().any(|x| is_han(x.c))),
            _ => false,
        };
        let outside_before = open.is_some_and(|o| han_at(o.checked_sub(1)));
        let outside_after = close.is_some_and(|c| han_at(Some(c + 1)));
        let touching = open.is_some_and(|o| han_at(Some(o + 1))) || close.is_some_and(|c| han_at(c.checked_sub(1)));
        if inner || outside_before || outside_after || touching {
            for i in [open, close].into_iter().flatten() {
                if let Some(w) = widen.get_mut(i) {
                    *w = true;
                }
            }
        }
    }
    for (ch, w) in chars.iter_mut().zip(widen) {
        if w && let Some(full) = full_width_of(ch.c) {
            ch.c = full;
            ch.changed = true;
            counts.punct += 1;
            counts.punct_at.get_or_insert(ch.offset);
        }
    }
}

/// Drop a space next to a full-width mark (`示范区发改委： 为…`): Chinese punctuation carries its
/// own spacing, and no space is set next to it (clreq §3.2.2).
fn drop_spaces_at_punct(chars: &mut Vec<Ch>) {
    let wide_punct = |c: char| is_chinese(c) && !is_han(c);
    let keep: Vec<bool> = chars
        .iter()
        .enumerate()
        .map(|(i, ch)| {
            ch.c != ' '
                || !(i
                    .checked_sub(1)
                    .and_then(|p| chars.get(p))
                    .is_some_and(|p| wide_punct(p.c))
                    || chars.get(i + 1).is_some_and(|n| wide_punct(n.c)))
        })
        .collect();
    // `retain` visits every element once, in order, so `keep` lines up with `chars`.
    let mut keep = keep.into_iter();
    chars.retain(|_| keep.next().unwrap_or(true));
}

/// Widen punctuation again in joined text, where a mark that ended or opened a line now has
/// neighbours on both sides; `None` when nothing changes.
pub(crate) fn rewiden(text: &Text) -> Option<Text> {
    if !text.as_str().contains([',', ';', ':', '?', '!', '(', ')', ' ']) {
        return None;
    }
    let mut chars: Vec<Ch> = text
        .as_str()
        .char_indices()
        .map(|(i, c)| Ch {
            offset: text.origin.source_offset(i).unwrap_or(0),
            c,
            changed: false,
        })
        .collect();
    let mut counts = Counts::default();
    let before = chars.len();
    widen_punct(&mut chars, &mut counts);
    drop_spaces_at_punct(&mut chars);
    (counts.punct > 0 || chars.len() != before).then(|| to_text(&chars))
}

/// The cleaned characters as a text mapped back to the source.
fn to_text(chars: &[Ch]) -> Text {
    let mut t = Text::default();
    let mut buf = [0u8; 4];
    for ch in chars {
        let s = ch.c.encode_utf8(&mut buf);
        if ch.changed {
            t.push_synthetic(s, ch.offset);
        } else {
            t.push_source(s, ch.offset);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> Vec<String> {
        let mut d = Vec::new();
        clean_lines(s, &mut d)
            .into_iter()
            .map(|l| l.text.as_str().to_string())
            .collect()
    }

    #[test]
    fn line_ends_and_padding() {
        assert_eq!(clean("　　甲乙\r\n\r\n丙\u{a0}丁 \r戊"), vec!["甲乙", "丙 丁", "戊"]);
        let mut d = Vec::new();
        let lines = clean_lines("甲\n\n\n　　乙", &mut d);
        assert_eq!(lines[1].blank_before, 2);
        assert!(lines[1].indent);
    }

    #[test]
    fn controls_are_dropped_with_a_warning() {
        let mut d = Vec::new();
        let lines = clean_lines("甲\u{7}乙\u{c}丙", &mut d);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text.as_str(), "甲乙");
        assert_eq!(d.iter().filter(|d| d.code == "control-character").count(), 2);
    }

    #[test]
    fn run_together_paragraphs_are_split() {
        assert_eq!(clean("甲乙。　　丙丁，戊。　　己"), vec!["甲乙。", "丙丁，戊。", "己"]);
        assert_eq!(clean("第一版　　要闻"), vec!["第一版 要闻"]);
    }

    #[test]
    fn widths_are_normalised() {
        assert_eq!(clean("２０２０年ＧＤＰ增长１２．５%"), vec!["2020年GDP增长12.5%"]);
        assert_eq!(
            clean("示范区(高新区)党工委,总投资1,000亿元;占162.7%;37个 Hello, world 12:30"),
            vec!["示范区（高新区）党工委，总投资1,000亿元；占162.7%；37个 Hello, world 12:30"]
        );
        assert_eq!(
            clean("本报讯(记者郭树勋)通讯员梁健)近日"),
            vec!["本报讯（记者郭树勋）通讯员梁健）近日"]
        );
        assert_eq!(
            clean("記者陳大文報道:香港今日(週一)"),
            vec!["記者陳大文報道：香港今日（週一）"]
        );
        assert_eq!(clean("示范区发改委: 为高质量"), vec!["示范区发改委：为高质量"]);
    }

    #[test]
    fn origins_point_at_the_source() {
        let mut d = Vec::new();
        let lines = clean_lines("　甲,乙", &mut d);
        let t = &lines[0].text;
        assert_eq!(t.as_str(), "甲，乙");
        assert_eq!(t.origin.source_offset(0), Some(3));
        assert_eq!(t.origin.source_offset(6), Some(7));
    }
}
