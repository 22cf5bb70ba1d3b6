//! Character classes the importer's heuristics share: Han, Chinese punctuation, sentence ends.

/// Whether `c` is a Han ideograph (URO, Extension A–I, compatibility ideographs).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Whether `c` is Chinese text for punctuation decisions: Han, CJK punctuation, full-width forms
/// or the curly quotes Chinese text uses (GB/T 15834 §4).
pub(crate) fn is_chinese(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60 | 0x2018..=0x201D | 0x2014 | 0x2026)
}

/// Whether `c` is whitespace as PDFs and web pages pad text: ASCII, NBSP, U+2000–U+200A, U+3000 ….
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}' | '\u{3000}')
}

/// Marks that end a sentence (GB/T 15834 §4.1: 句号, 问号, 叹号; §4.11 省略号 at an end).
const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?', '…', '．'];

/// Closing marks that may follow a sentence end (“……。” ends the sentence inside the quote).
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '》', '】'];

/// Whether `text` ends a sentence: a full stop, question or exclamation mark, an ellipsis, or one
/// of those followed by closing quotes or brackets.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(CLOSERS);
    let Some(last) = trimmed.chars().last() else {
        return false;
    };
    if SENTENCE_END.contains(&last) {
        return true;
    }
    // A closing bracket after a whole sentence (（完）, （余建斌）) also ends the paragraph.
    trimmed.len() < text.len() && text.ends_with(['）', ')', '】']) && text.starts_with(['（', '(', '【'])
}

/// Whether `text` ends where a sentence cannot end, so the next line continues it: a Han
/// character, a digit or letter, a comma or enumeration comma, an opening bracket or quote, a
/// dash. Colons and semicolons may end a list item, so they do not count.
pub(crate) fn ends_mid_sentence(text: &str) -> bool {
    let Some(last) = text.chars().last() else {
        return false;
    };
    is_han(last)
        || last.is_alphanumeric()
        || matches!(
            last,
            '，' | '、' | ',' | '“' | '‘' | '（' | '(' | '《' | '—' | '－' | '%' | '·'
        )
}

/// Whether `text` contains a mark that only running text uses: a comma, full stop, semicolon,
/// enumeration comma or exclamation (headlines use spaces instead, GB/T 15834 §5.1.2 style).
pub(crate) fn has_sentence_punct(text: &str) -> bool {
    text.contains(['。', '；', '，', '、', '！', '？', ';', ','])
}

/// Number of characters in `text`.
pub(crate) fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Display width of `text` in half-width cells: Han and full-width marks count two.
pub(crate) fn width(text: &str) -> usize {
    text.chars()
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum()
}

/// Whether `text` is written in traditional characters: it holds more characters that exist only
/// in traditional script than characters that exist only in simplified script.
pub(crate) fn looks_traditional(text: &str) -> bool {
    /// Common characters written differently in traditional script.
    const TRADITIONAL: &str = "這們來個為說國對時報訊記樣發經過還與麼實從機關學會區後動開問無當應該總際點體業產務樣讓隊嗎單擊網頁電話號碼圖攝臺灣華萬億歲親視覽質義議場氣長門車東師書語論認識讀邊強聯係員團辦備錢際處聲傳錄舊醫療環護際";
    /// Their simplified counterparts and other characters only simplified text uses.
    const SIMPLIFIED: &str = "这们来个为说国对时报讯记样发经过还与么实从机关学会区后动开问无当应该总际点体业产务样让队吗单击网页电话号码图摄台湾华万亿岁亲视览质义议场气长门车东师书语论认识读边强联系员团办备钱际处声传录旧医疗环护际";
    let (mut t, mut s) = (0usize, 0usize);
    for c in text.chars() {
        if TRADITIONAL.contains(c) {
            t += 1;
        } else if SIMPLIFIED.contains(c) {
            s += 1;
        }
    }
    t > s
}

/// The language tag of traditional text: `zh-HK` when Hong Kong's signs (its places and
/// institutions, written Cantonese) outnumber Taiwan's, else `zh-TW`. The two set the same marks
/// but prefer their own standard glyph forms and fonts (the EPUB's font stacks follow the tag).
pub(crate) fn traditional_region(text: &str) -> &'static str {
    /// Words and characters of Hong Kong (and Macao) papers.
    const HONG_KONG: [&str; 24] = [
        "香港",
        "九龍",
        "新界",
        "港島",
        "港鐵",
        "港府",
        "港元",
        "港幣",
        "特區政府",
        "立法會",
        "區議會",
        "澳門",
        "嘅",
        "咗",
        "喺",
        "冇",
        "佢",
        "哋",
        "啲",
        "嚟",
        "唔",
        "噉",
        "嘢",
        "乜",
    ];
    /// Words of Taiwan papers.
    const TAIWAN: [&str; 16] = [
        "臺灣",
        "台灣",
        "臺北",
        "台北",
        "新北",
        "高雄",
        "臺中",
        "台中",
        "臺南",
        "台南",
        "立法院",
        "行政院",
        "新台幣",
        "新臺幣",
        "中央社",
        "縣政府",
    ];
    let count = |words: &[&str]| -> usize { words.iter().map(|w| text.matches(w).count()).sum() };
    if count(&HONG_KONG) > count(&TAIWAN) {
        "zh-HK"
    } else {
        "zh-TW"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("会议强调。"));
        assert!(ends_sentence("他说：“好。”"));
        assert!(ends_sentence("（余建斌）"));
        assert!(!ends_sentence("在实际工作中牢牢"));
        assert!(!ends_sentence("主要表现："));
        assert!(ends_mid_sentence("二是孵化载体建设倍增。2020"));
        assert!(ends_mid_sentence("实现市场化运作，"));
        assert!(!ends_mid_sentence("主要表现："));
    }

    #[test]
    fn script_detection() {
        assert!(looks_traditional("本報訊記者陳大文報道：這是香港的新聞"));
        assert!(!looks_traditional("本报讯记者郭树勋报道"));
    }

    #[test]
    fn hong_kong_and_taiwan_are_told_apart() {
        assert_eq!(
            traditional_region("港鐵東涌線延線工程昨日在大嶼山舉行動工儀式"),
            "zh-HK"
        );
        assert_eq!(traditional_region("佢哋話今日唔使返工"), "zh-HK");
        assert_eq!(
            traditional_region("臺北市交通局昨天宣布，市區公車將改用電動車"),
            "zh-TW"
        );
        // Nothing to go by: Taiwan, as before.
        assert_eq!(traditional_region("記者昨天報導"), "zh-TW");
    }
}
