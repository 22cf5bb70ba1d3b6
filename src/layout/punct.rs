//! Character classes of Chinese typesetting: punctuation kinds, kinsoku sets and script tests.
//!
//! The sets follow W3C clreq §3.1.4 (prohibition rules for line start and end), GB/T 15834 and
//! our requirements L1–L4 (`docs/cjk-requirements.md`).

/// How strictly line-start and line-end prohibitions (禁则, kinsoku) are applied (clreq §3.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Kinsoku {
    /// clreq "basic": closing marks, stops, commas and connectors never start a line, opening
    /// marks never end one.
    Basic,
    /// GB/T 15834 style, the zh-CN default: basic, and a solidus never ends a line either.
    #[default]
    Gb,
    /// GB, and `——` and `……` never start a line.
    Strict,
}

/// The typographic kind of a punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Punct {
    /// Opening brackets and quotes (`“（《`): blank half on the left in GB style.
    Opening,
    /// Closing brackets and quotes (`”）》`): blank half on the right.
    Closing,
    /// Pause and clause marks `，、；：`: blank half on the right in GB style.
    Comma,
    /// Sentence-end marks `。？！`.
    Stop,
    /// The interpunct `·` (U+00B7, clreq Appendix A; U+30FB is its Japanese twin).
    Interpunct,
    /// Dash `—`; two make the Chinese dash `——` (clreq §3.1.5.1).
    Dash,
    /// Ellipsis `…`; two make the Chinese ellipsis `……` (clreq §3.1.5.1).
    Ellipsis,
    /// Connectors `～ – / ／` (clreq §3.1.4; avoid stretching next to them, §3.5.4).
    Connector,
}

/// The punctuation kind of `ch`, if it is a mark composition cares about.
pub(crate) fn punct(ch: char) -> Option<Punct> {
    Some(match ch {
        '“' | '‘' | '「' | '『' | '（' | '［' | '｛' | '〔' | '〖' | '【' | '《' | '〈' | '(' | '[' | '{' => {
            Punct::Opening
        }
        '”' | '’' | '」' | '』' | '）' | '］' | '｝' | '〕' | '〗' | '】' | '》' | '〉' | ')' | ']' | '}' => {
            Punct::Closing
        }
        '，' | '、' | '；' | '：' | ',' | ';' | ':' => Punct::Comma,
        '。' | '．' | '！' | '？' | '‼' | '⁇' | '⁈' | '⁉' | '!' | '?' => Punct::Stop,
        '·' | '・' | '‧' => Punct::Interpunct,
        '—' | '―' | '⸺' => Punct::Dash,
        '…' | '⋯' => Punct::Ellipsis,
        '～' | '–' | '/' | '／' | '〜' => Punct::Connector,
        _ => return None,
    })
}

/// Marks that never start a line (clreq §3.1.4, requirement L1), at every level.
///
/// Besides the full-width closers and stops: the interpunct and connectors, the solidus (zh-Hans
/// text adds it), postfix unit signs (L4: `85％`, `30℃` stay together) and the half-width forms
/// that damaged text carries instead of full-width ones.
pub(crate) fn never_starts_line(ch: char) -> bool {
    matches!(
        punct(ch),
        Some(Punct::Closing | Punct::Comma | Punct::Stop | Punct::Interpunct | Punct::Connector)
    ) || matches!(
        ch,
        '％' | '%' | '‰' | '℃' | '°' | '′' | '″' | '.' | '々' | '〻' | '゛' | '゜'
    )
}

/// Marks that never end a line (clreq §3.1.4, requirement L2) at `level`.
///
/// Opening brackets and quotes always; prefix currency signs (L4: `¥100`); from the GB level on,
/// the solidus as well.
pub(crate) fn never_ends_line(ch: char, level: Kinsoku) -> bool {
    punct(ch) == Some(Punct::Opening)
        || matches!(ch, '¥' | '￥' | '$' | '＄' | '£' | '€' | '＃' | '#')
        || (level != Kinsoku::Basic && matches!(ch, '/' | '／'))
}

/// Whether `ch` belongs to the ideographic (CJK) world for line breaking and spacing: Han, kana,
/// CJK and full-width punctuation, and the marks that Chinese text shares with Latin (quotes,
/// dash, ellipsis, interpunct; clreq Appendix A, requirement E2).
pub(crate) fn is_cjk(ch: char) -> bool {
    let c = u32::from(ch);
    matches!(c,
        0x2E80..=0x9FFF        // radicals, CJK symbols and punctuation, kana, Ext A, URO
        | 0xA960..=0xA97F | 0xAC00..=0xD7AF // Hangul
        | 0xF900..=0xFAFF      // compatibility ideographs
        | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F // vertical and compatibility forms
        | 0xFF00..=0xFFEF      // half- and full-width forms
        | 0x20000..=0x3FFFF    // supplementary ideographic planes
    ) || matches!(ch, '“' | '”' | '‘' | '’' | '—' | '―' | '…' | '⋯' | '·' | '–' | '※')
}

/// Whether `ch` is a Han ideograph (or kana), the side of a Han–Latin gap (clreq §3.2.2).
pub(crate) fn is_han(ch: char) -> bool {
    let c = u32::from(ch);
    matches!(c,
        0x3005 | 0x3007 | 0x3041..=0x30FA | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Whether `ch` should come from a CJK font even when a Latin font precedes it in the chain:
/// quotes and other marks shared with Latin must be full width in Chinese text (clreq §3.1.1,
/// requirement E2).
pub(crate) fn prefers_cjk_font(ch: char) -> bool {
    matches!(ch, '“' | '”' | '‘' | '’' | '—' | '―' | '…' | '⋯' | '·')
}

/// Whether the character at byte `at` of `text` is a `’` between two Latin letters (`O’Brien`,
/// `don’t`): an apostrophe, part of the word, from the Latin font, not a Chinese closing quote.
pub(crate) fn is_apostrophe(text: &str, at: usize) -> bool {
    let (Some(before), Some(rest)) = (text.get(..at), text.get(at..)) else {
        return false;
    };
    let mut rest = rest.chars();
    rest.next() == Some('’')
        && before.chars().next_back().is_some_and(|c| c.is_ascii_alphabetic())
        && rest.next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// Whether `ch` joins the preceding character's glyph cluster (combining marks, variation
/// selectors, joiners), so that no font switch and no break happens before it.
pub(crate) fn is_extender(ch: char) -> bool {
    let c = u32::from(ch);
    matches!(c,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF // combining marks
        | 0x200C | 0x200D                 // ZWNJ, ZWJ
        | 0x302A..=0x302F | 0x3099 | 0x309A // ideographic tone marks, kana voicing
        | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF // variation selectors (E2: fwid/pwid choice)
        | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinsoku_sets_follow_clreq_3_1_4() {
        for ch in "。，、：；！？”’」』）》〉·～/".chars() {
            assert!(never_starts_line(ch), "{ch}");
        }
        for ch in "“‘「『（《〈".chars() {
            assert!(never_ends_line(ch, Kinsoku::Basic), "{ch}");
        }
        assert!(!never_ends_line('/', Kinsoku::Basic));
        assert!(never_ends_line('/', Kinsoku::Gb));
        assert!(!never_starts_line('中') && !never_starts_line('…') && !never_starts_line('“'));
    }

    #[test]
    fn scripts() {
        assert!(is_cjk('中') && is_cjk('“') && is_cjk('，') && !is_cjk('A'));
        assert!(is_han('中') && !is_han('，') && !is_han('1'));
    }
}
