//! Warnings for likely mistakes that still parse: half-width punctuation in Chinese text,
//! full-width ASCII, and lines that look like headlines inside running text.

use crate::diag::Diagnostic;
use crate::model::Text;

/// Whether `c` is a Han ideograph (URO, Extension A–I, compatibility ideographs).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Whether `c` is Chinese text for the purpose of punctuation checks: Han or CJK punctuation.
fn is_chinese(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60 | 0x2018..=0x201D)
}

/// The full-width mark that stands for a half-width one in Chinese text (GB/T 15834).
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

/// Warn about half-width `,;:()?!` between Chinese characters (GB/T 15834: Chinese text takes
/// full-width marks) and full-width ASCII letters or digits (clreq §3.2.1: store half-width).
pub(crate) fn check_text(text: &Text, diags: &mut Vec<Diagnostic>) {
    let s = text.as_str();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|p| chars.get(p)).map(|x| x.1);
        let next = chars.get(k + 1).map(|x| x.1);
        if let Some(full) = full_width_of(c) {
            let between = match c {
                // An opening bracket binds to what follows, a closing one to what precedes.
                '(' => next.is_some_and(is_han) && prev.is_none_or(|p| is_chinese(p) || p == ' '),
                ')' => prev.is_some_and(is_han) && next.is_none_or(|n| is_chinese(n) || n == ' '),
                _ => prev.is_some_and(is_chinese) && next.is_none_or(is_chinese),
            };
            if between {
                diags.push(
                    Diagnostic::warning(
                        "half-width-punct",
                        text.origin.source_span(i..i + 1),
                        format!("half-width `{c}` in Chinese text"),
                    )
                    .with_hint(format!("use the full-width `{full}` (GB/T 15834)")),
                );
            }
        }
        if matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
            let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            diags.push(
                Diagnostic::warning(
                    "full-width-ascii",
                    text.origin.source_span(i..i + c.len_utf8()),
                    format!("full-width `{c}`"),
                )
                .with_hint(format!(
                    "write the half-width `{half}`; spacing is the typesetter's job (clreq §3.2.1)"
                )),
            );
        }
    }
}

/// Longest line, in characters, that is taken for a possible headline.
const HEADLINE_MAX_CHARS: usize = 28;

/// Whether a line reads like a headline: short, and no sentence punctuation anywhere.
fn looks_like_headline(line: &str) -> bool {
    let line = line.trim();
    let n = line.chars().count();
    (4..=HEADLINE_MAX_CHARS).contains(&n)
        && line.chars().any(is_han)
        && !line.chars().any(|c| {
            matches!(
                c,
                '。' | '，' | '；' | '！' | '？' | '：' | '、' | '.' | ',' | ';' | '…'
            )
        })
}

/// Warn about a headline-looking line inside running text: a short line without sentence
/// punctuation that forms a paragraph of its own or sits between lines of one.
pub(crate) fn check_headline_like(lines: &[(usize, &str, bool)], diags: &mut Vec<Diagnostic>) {
    let last = lines.len().saturating_sub(1);
    for (k, &(offset, line, escaped)) in lines.iter().enumerate() {
        // The last line of a wrapped paragraph is often short; only a lone line or an inner
        // one is suspicious.
        if escaped || (k == last && k > 0) || !looks_like_headline(line) {
            continue;
        }
        let span = crate::diag::Span::new(offset, offset + line.len());
        diags.push(
            Diagnostic::warning(
                "headline-in-text",
                Some(span),
                "this line looks like a headline but is read as paragraph text",
            )
            .with_hint("start it with `## ` for a headline, `### ` for a subhead, or `\\` to keep it as text"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<(&'static str, usize)> {
        let mut d = Vec::new();
        check_text(&Text::from_source(s, 0), &mut d);
        d.iter().map(|d| (d.code, d.span.map_or(0, |s| s.start))).collect()
    }

    #[test]
    fn half_width_between_chinese() {
        assert_eq!(codes("会议强调,全区"), vec![("half-width-punct", 12)]);
        assert_eq!(
            codes("村(社区)"),
            vec![("half-width-punct", 3), ("half-width-punct", 10)]
        );
        assert!(codes("GDP 2.5%, ok (test)").is_empty());
        assert!(codes("会议强调，全区").is_empty());
    }

    #[test]
    fn full_width_digits() {
        assert_eq!(
            codes("２０２０年"),
            vec![
                ("full-width-ascii", 0),
                ("full-width-ascii", 3),
                ("full-width-ascii", 6),
                ("full-width-ascii", 9)
            ]
        );
    }

    #[test]
    fn headline_like_lines() {
        let mut d = Vec::new();
        check_headline_like(&[(0, "赴示范区集中视察", false)], &mut d);
        assert_eq!(d.len(), 1);
        d.clear();
        check_headline_like(&[(0, "代表们一路看项目、话发展。", false)], &mut d);
        assert!(d.is_empty());
    }
}

/// Most control characters reported one by one; the rest are counted in one last message.
const MAX_CONTROL_REPORTS: usize = 20;

/// Whether `c` may not appear in markup: C0 controls other than tab, line feed and carriage
/// return (form feed included: it is a page break of old systems, never text), DEL, C1 controls,
/// and the Unicode noncharacters (U+FDD0–U+FDEF and every U+xxFFFE/U+xxFFFF). None of them can be
/// printed, XML 1.0 forbids most of them (§2.2, so neither the EPUB nor the ALTO could hold
/// them), and they mean that the file is damaged or not text.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF) || (u & 0xFFFE) == 0xFFFE
}

/// An error at every control character or noncharacter in `src` (see [`is_forbidden_control`]),
/// up to [`MAX_CONTROL_REPORTS`], then one that counts the rest.
pub(crate) fn check_controls(src: &str, diags: &mut Vec<Diagnostic>) {
    let mut found = src.char_indices().filter(|&(_, c)| is_forbidden_control(c));
    for (i, c) in found.by_ref().take(MAX_CONTROL_REPORTS) {
        let name = match c {
            '\0' => " (NUL)".to_string(),
            '\u{0C}' => " (form feed)".to_string(),
            '\u{1B}' => " (escape)".to_string(),
            _ => String::new(),
        };
        diags.push(
            Diagnostic::error(
                "control-char",
                Some(crate::diag::Span::new(i, i + c.len_utf8())),
                format!("control character U+{:04X}{name} in the text", c as u32),
            )
            .with_hint(
                "delete it; if the file came from another system, `zhiban import` cleans such characters with a warning",
            ),
        );
    }
    let rest = found.count();
    if rest > 0 {
        let at = src.len();
        diags.push(
            Diagnostic::error(
                "control-char",
                Some(crate::diag::Span::new(at, at)),
                format!("{rest} more control character(s) not shown"),
            )
            .with_hint("the file may not be text: check its encoding, or pass it through `zhiban import`"),
        );
    }
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_errors_and_text_is_not() {
        let mut d = Vec::new();
        check_controls("正文\t第一段\r\n第二段。“引号”\u{3000}", &mut d);
        assert!(d.is_empty(), "{d:?}");
        check_controls("甲\0乙\u{7}丙\u{FFFE}丁\u{9F}\u{1FFFF}", &mut d);
        let at: Vec<usize> = d.iter().filter_map(|x| x.span).map(|s| s.start).collect();
        assert_eq!(at, vec![3, 7, 11, 17, 19]);
        assert!(d.iter().all(|x| x.code == "control-char"));
        assert!(d[0].message.contains("U+0000 (NUL)"), "{}", d[0].message);
    }

    #[test]
    fn a_file_full_of_controls_gets_a_bounded_report() {
        let mut d = Vec::new();
        check_controls(&"\0".repeat(1000), &mut d);
        assert_eq!(d.len(), MAX_CONTROL_REPORTS + 1);
        assert!(d[MAX_CONTROL_REPORTS].message.starts_with("980 more"));
    }
}
