//! Chinese word boundaries from a dictionary, so that a headline breaks between words and never
//! inside one (知识|化, 纪律检|查 read as typos).
//!
//! clreq §3.1.4 allows a break between any two Han characters, which is right for running text
//! but not for a headline of two or three lines, where each line is read as a phrase. The
//! segmentation is jieba's without its model of unknown words: of all ways to cut a run of Han
//! characters into dictionary words (single characters always count), the one with the least
//! total cost, a word's cost being its negative log frequency. The dictionary is jieba's word
//! list (MIT, `dict/README.md`), compiled into an fst map at build time; costs are integers, so
//! the result is the same on every platform.

use std::sync::LazyLock;

use fst::raw::{Fst, Output};

use super::punct::{is_cjk, is_han};

/// The dictionary, built by `build.rs` from `dict/words.txt`.
static WORDS: LazyLock<Option<Fst<&'static [u8]>>> =
    LazyLock::new(|| Fst::new(&include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"))[..]).ok());

/// Cost of a character the dictionary lacks: that of a word seen once among the list's
/// 60,101,964 counts, `1000 × ln(60,101,964)`, dearer than any listed word.
const UNSEEN: u64 = 17_912;

/// What joins two neighbouring characters, from inside a word to between words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Joint {
    /// Inside a dictionary word.
    Inside,
    /// Inside a long compound word, between its parts (全国人民代表大会|常务委员会).
    Compound,
    /// Between two single-character words, often one name or term the list lacks (宁|郭|镇), or
    /// between words of a short quotation (“三区|一极”).
    Weak,
    /// Between two words, or next to anything that is not a Han character.
    Word,
}

/// Characters from which a word counts as a compound whose parts may be split when nothing else
/// fits; shorter ones are mostly idioms and tight terms (全力以赴, 知识产权).
const COMPOUND_CHARS: usize = 5;
/// Most characters of a quotation or bracketed term kept together like one word (“三区一极”).
const SHORT_QUOTE_CHARS: usize = 8;

/// The joint at each byte offset of `text` (`text.len() + 1` entries): offsets inside a
/// character, the start and the end are [`Joint::Word`].
pub(crate) fn joints(text: &str) -> Vec<Joint> {
    let mut out = vec![Joint::Word; text.len() + 1];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(|&(_, c)| is_han(c)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j).is_some_and(|&(_, c)| is_han(c)) {
            j += 1;
        }
        let start = chars.get(i).map_or(0, |&(at, _)| at);
        let end = chars.get(j).map_or(text.len(), |&(at, _)| at);
        mark_run(text.get(start..end).unwrap_or_default(), start, &mut out);
        i = j;
    }
    mark_quotes(&chars, &mut out);
    out
}

/// Weakens the word joints inside each short quotation or bracketed term.
fn mark_quotes(chars: &[(usize, char)], out: &mut [Joint]) {
    for (i, &(_, open)) in chars.iter().enumerate() {
        let Some(close) = closing(open) else { continue };
        let inside = chars.iter().skip(i + 1).take(SHORT_QUOTE_CHARS + 1);
        let Some(len) = inside.clone().position(|&(_, c)| c == close) else {
            continue;
        };
        for &(at, _) in chars.iter().skip(i + 2).take(len.saturating_sub(1)) {
            if let Some(j) = out.get_mut(at) {
                *j = (*j).min(Joint::Weak);
            }
        }
    }
}

/// The closing mark of an opening quotation mark or bracket.
fn closing(open: char) -> Option<char> {
    Some(match open {
        '“' => '”',
        '‘' => '’',
        '「' => '」',
        '『' => '』',
        '《' => '》',
        '（' => '）',
        '〈' => '〉',
        _ => return None,
    })
}

/// Segments one run of Han characters starting at byte `base` of the text and marks its joints.
fn mark_run(run: &str, base: usize, out: &mut [Joint]) {
    let words = segment(run, usize::MAX);
    let mut at = base;
    let mut prev_single = false;
    for (k, word) in words.iter().enumerate() {
        let chars = word.chars().count();
        for (off, _) in word.char_indices().skip(1) {
            if let Some(j) = out.get_mut(at + off) {
                *j = Joint::Inside;
            }
        }
        if chars >= COMPOUND_CHARS {
            mark_parts(word, at, chars, out);
        }
        let single = chars == 1;
        if k > 0
            && single
            && prev_single
            && let Some(j) = out.get_mut(at)
        {
            *j = Joint::Weak;
        }
        prev_single = single;
        at += word.len();
    }
}

/// Marks the joints between the parts of compound `word` (its best cut into shorter words) at
/// byte `base`, where no part is a single character, and so on into parts that are compounds.
fn mark_parts(word: &str, base: usize, chars: usize, out: &mut [Joint]) {
    let parts = segment(word, chars - 1);
    if parts.iter().any(|p| p.chars().count() == 1) {
        return;
    }
    let mut at = base;
    for (k, part) in parts.iter().enumerate() {
        if k > 0
            && let Some(j) = out.get_mut(at)
        {
            *j = Joint::Compound;
        }
        let n = part.chars().count();
        if n >= COMPOUND_CHARS {
            mark_parts(part, at, n, out);
        }
        at += part.len();
    }
}

/// Whether the character at byte `at` of `text` is a space or ideographic space typed between two
/// Chinese characters or marks: in a headline, a clause gap an editor typed (宁郭镇 打造…).
pub fn is_clause_gap(text: &str, at: usize) -> bool {
    let (Some(before), Some(rest)) = (text.get(..at), text.get(at..)) else {
        return false;
    };
    let mut rest = rest.chars();
    matches!(rest.next(), Some(' ' | '\u{3000}'))
        && before.chars().next_back().is_some_and(is_cjk)
        && rest.next().is_some_and(is_cjk)
}

/// The byte offsets between two Han characters of `text` that end one word and start the next,
/// where a headline may break (the EPUB marks them `<wbr>`); none inside a word or at a weak
/// joint. Breaks next to punctuation or Latin text follow the line-breaking rules instead.
pub fn word_breaks(text: &str) -> Vec<usize> {
    han_joints(text, Joint::Word)
}

/// The byte offsets between two Han characters of `text` that end one dictionary word and start
/// the next, weak joints included (宁|郭|镇, “三区|一极”): every place a headline may break
/// without cutting a word.
pub fn word_bounds(text: &str) -> Vec<usize> {
    han_joints(text, Joint::Weak)
}

/// The offsets between two Han characters whose joint is at least `least`.
fn han_joints(text: &str, least: Joint) -> Vec<usize> {
    let joints = joints(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .windows(2)
        .filter(|pair| matches!(pair, [(_, a), (at, b)] if is_han(*a) && is_han(*b) && joints.get(*at).is_some_and(|j| *j >= least)))
        .filter_map(|pair| pair.get(1).map(|&(at, _)| at))
        .collect()
}

/// The words of `run`, all Han characters, of at most `longest` characters, by least total cost.
pub(crate) fn segment(run: &str, longest: usize) -> Vec<&str> {
    let starts: Vec<usize> = run.char_indices().map(|(at, _)| at).chain([run.len()]).collect();
    let n = starts.len() - 1;
    // best[i]: least cost of cutting the characters from i to the end, and where the first
    // word ends; filled from the right.
    let mut best: Vec<(u64, usize)> = vec![(0, n); n + 1];
    for i in (0..n).rev() {
        let mut choice = (UNSEEN + best.get(i + 1).map_or(0, |b| b.0), i + 1);
        for (j, cost) in prefixes(run, &starts, i).into_iter().filter(|&(j, _)| j - i <= longest) {
            let total = cost + best.get(j).map_or(0, |b| b.0);
            // On a tie the longer word wins.
            if total < choice.0 || (total == choice.0 && j > choice.1) {
                choice = (total, j);
            }
        }
        if let Some(b) = best.get_mut(i) {
            *b = choice;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let j = best.get(i).map_or(n, |b| b.1).max(i + 1);
        let (from, to) = (
            starts.get(i).copied().unwrap_or(0),
            starts.get(j).copied().unwrap_or(run.len()),
        );
        out.push(run.get(from..to).unwrap_or_default());
        i = j;
    }
    out
}

/// The dictionary words that start at character `i` of `run`: the character index each ends
/// before, and its cost. One walk down the fst from the root, a byte at a time.
fn prefixes(run: &str, starts: &[usize], i: usize) -> Vec<(usize, u64)> {
    let mut out = Vec::new();
    let Some(fst) = WORDS.as_ref() else { return out };
    let from = starts.get(i).copied().unwrap_or(0);
    let mut node = fst.root();
    let mut value = Output::zero();
    let bytes = run.as_bytes().get(from..).unwrap_or_default();
    let mut next = i + 1;
    for (k, &b) in bytes.iter().enumerate() {
        let Some(t) = node.find_input(b).map(|at| node.transition(at)) else {
            break;
        };
        value = value.cat(t.out);
        node = fst.node(t.addr);
        // A word ends only where a character does.
        if starts.get(next) == Some(&(from + k + 1)) {
            if node.is_final() {
                out.push((next, value.cat(node.final_output()).value()));
            }
            next += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_word(word: &str) -> bool {
        WORDS.as_ref().is_some_and(|f| f.get(word).is_some())
    }

    fn cut(s: &str) -> String {
        segment(s, usize::MAX).join("/")
    }

    #[test]
    fn the_dictionary_is_built_in() {
        assert!(WORDS.is_some());
        assert!(is_word("委员会") && is_word("知识化") && !is_word("识化专"));
    }

    #[test]
    fn headline_words_come_out_whole() {
        assert_eq!(
            cut("打造年轻化知识化专业化干部队伍"),
            "打造/年轻化/知识化/专业化/干部队伍"
        );
        assert_eq!(
            cut("中国共产党第十九届中央纪律检查委员会第五次全体会议公报"),
            "中国共产党/第十九届/中央纪律检查委员会/第五次/全体会议/公报"
        );
        assert_eq!(
            cut("推动黄河流域生态保护和高质量发展"),
            "推动/黄河流域/生态/保护/和/高质量/发展"
        );
    }

    #[test]
    fn joints_mark_words_singles_and_other_text() {
        let text = "宁郭镇 打造2021年";
        let j = joints(text);
        let at = |s: &str| text.find(s).expect("in text");
        // 宁郭镇 is no word of the list: single characters, joined weakly, then a word.
        assert_eq!(j[at("打")], Joint::Word);
        assert_eq!(j[at("郭")], Joint::Weak);
        assert_eq!(j[at("造")], Joint::Inside);
        assert_eq!(j[at("2")], Joint::Word);
        assert_eq!(j[at(" ")], Joint::Word);
        assert_eq!(j[text.len()], Joint::Word);
    }

    #[test]
    fn word_breaks_fall_between_words() {
        let text = "宁郭镇打造年轻化";
        let at: Vec<&str> = word_breaks(text).into_iter().map(|b| &text[b..]).collect();
        assert_eq!(at, ["打造年轻化", "年轻化"]);
    }

    #[test]
    fn compounds_split_into_their_parts_and_quotations_hold_together() {
        let text = "全国人民代表大会常务委员会";
        let j = joints(text);
        assert_eq!(j[text.find("常").unwrap()], Joint::Compound);
        assert_eq!(j[text.find("务").unwrap()], Joint::Inside);
        let text = "建设“三区一极”谱新篇";
        let j = joints(text);
        assert_eq!(j[text.find("一").unwrap()], Joint::Weak);
        assert_eq!(j[text.find("谱").unwrap()], Joint::Word);
    }

    #[test]
    fn unknown_text_is_cut_into_characters() {
        assert_eq!(cut("𪚥𪚥"), "𪚥/𪚥");
        assert_eq!(cut(""), "");
    }
}
