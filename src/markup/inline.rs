//! Inline markup: `**strong**`, `*emphasis*` and backslash escapes, parsed from a [`Text`].

use crate::diag::Diagnostic;
use crate::model::{Inline, Text};

/// Deepest nesting of emphasis the parser follows; deeper delimiters are taken literally.
const MAX_DEPTH: usize = 16;

/// Parse the inline markup of `text` (already joined from its source lines).
pub(crate) fn parse_inlines(text: &Text, diags: &mut Vec<Diagnostic>) -> Vec<Inline> {
    parse_range(text, 0..text.as_str().len(), 0, diags)
}

fn is_escapable(c: char) -> bool {
    c.is_ascii_punctuation()
}

fn parse_range(text: &Text, range: std::ops::Range<usize>, depth: usize, diags: &mut Vec<Diagnostic>) -> Vec<Inline> {
    let s = text.as_str();
    let mut out = Vec::new();
    let mut cur = Text::default();
    let mut lit_start = range.start;
    let mut i = range.start;
    while i < range.end {
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        if c == '\\' {
            if let Some(next) = s.get(i + 1..range.end).and_then(|r| r.chars().next())
                && is_escapable(next)
            {
                cur.push_text(&text.slice(lit_start..i));
                let n = next.len_utf8();
                cur.push_text(&text.slice(i + 1..i + 1 + n));
                i += 1 + n;
                lit_start = i;
                continue;
            }
        } else if c == '*' {
            let strong = s.get(i..range.end).is_some_and(|r| r.starts_with("**"));
            let len = if strong { 2 } else { 1 };
            let close = if depth < MAX_DEPTH {
                find_closer(s, i + len, range.end, strong)
            } else {
                None
            };
            match close {
                Some(j) if j > i + len => {
                    cur.push_text(&text.slice(lit_start..i));
                    flush(&mut cur, &mut out);
                    let inner = parse_range(text, i + len..j, depth + 1, diags);
                    out.push(if strong {
                        Inline::Strong(inner)
                    } else {
                        Inline::Emph(inner)
                    });
                    i = j + len;
                    lit_start = i;
                    continue;
                }
                _ => {
                    let span = text.origin.source_span(i..i + len);
                    let what = if strong { "strong emphasis `**`" } else { "emphasis `*`" };
                    diags.push(
                        Diagnostic::warning(
                            "unclosed-emphasis",
                            span,
                            format!("{what} is never closed; it is kept as text"),
                        )
                        .with_hint(format!(
                            "close it with `{}` or write `\\*` for a literal asterisk",
                            &"**"[..len]
                        )),
                    );
                    i += len;
                    continue;
                }
            }
        }
        i += c.len_utf8();
    }
    cur.push_text(&text.slice(lit_start..range.end.min(s.len())));
    flush(&mut cur, &mut out);
    out
}

fn flush(cur: &mut Text, out: &mut Vec<Inline>) {
    if !cur.is_empty() {
        out.push(Inline::Text(std::mem::take(cur)));
    }
}

/// Byte offset of the delimiter closing one opened before `from`: `**` for strong, a single `*`
/// (not part of `**`) for emphasis; escaped asterisks never close.
fn find_closer(s: &str, from: usize, end: usize, strong: bool) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut j = from;
    while j < end {
        match bytes.get(j) {
            Some(b'\\') => j += 2,
            Some(b'*') => {
                let double = bytes.get(j + 1) == Some(&b'*') && j + 1 < end;
                if strong && double {
                    return Some(j);
                }
                if !strong && !double {
                    return Some(j);
                }
                j += if double { 2 } else { 1 };
            }
            Some(_) => j += 1,
            None => break,
        }
    }
    None
}

/// Write inline content back as markup, escaping what the parser would read as markup.
pub(crate) fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => escape_into(t.as_str(), out),
            Inline::Strong(inner) => {
                out.push_str("**");
                write_inlines(inner, out);
                out.push_str("**");
            }
            Inline::Emph(inner) => {
                out.push('*');
                write_inlines(inner, out);
                out.push('*');
            }
        }
    }
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c == '*' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn parse(s: &str) -> (Vec<Inline>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let r = parse_inlines(&Text::from_source(s, 0), &mut d);
        (r, d)
    }

    #[test]
    fn strong_and_emphasis() {
        let (r, d) = parse("前**重点**后*强调*");
        assert!(d.is_empty());
        assert_eq!(r.len(), 4);
        assert!(matches!(&r[1], Inline::Strong(x) if plain_text(x) == "重点"));
        assert!(matches!(&r[3], Inline::Emph(x) if plain_text(x) == "强调"));
    }

    #[test]
    fn escapes_and_unclosed() {
        let (r, d) = parse(r"5\*3 和 a*b");
        assert_eq!(plain_text(&r), "5*3 和 a*b");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "unclosed-emphasis");
        assert_eq!(d[0].span.map(|s| s.start), Some(10));
    }

    #[test]
    fn nested_emphasis_round_trips() {
        let (r, _) = parse("*甲**乙**丙*");
        let mut out = String::new();
        write_inlines(&r, &mut out);
        assert_eq!(out, "*甲**乙**丙*");
    }
}
