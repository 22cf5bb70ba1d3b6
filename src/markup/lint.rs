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
