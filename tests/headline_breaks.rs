//! Multi-line headlines break at phrase boundaries: at typed spaces, after clause marks, then
//! between dictionary words, never inside a word while another break fits.

mod layout_common;
mod support;

use layout_common::{book, texts};
use zhiban::layout::{Align, ComposeParams, Composer, Paragraph, Role, TextRun};

/// Composes `text` as a centred headline of `size` points in `measure` ems of `size`.
fn headline(text: &str, size: f32, measure: u32) -> Paragraph {
    let composer = Composer::new(book()).unwrap();
    let params = ComposeParams {
        phrases: true,
        ..ComposeParams::headline(size, measure, Align::Center)
    };
    let run = TextRun {
        text,
        role: Role::Headline,
        size,
    };
    composer.compose(&[run], &params).unwrap()
}

const HEADLINES: [&str; 10] = [
    "宁郭镇 打造年轻化知识化专业化干部队伍",
    "中国共产党第十九届中央纪律检查委员会第五次全体会议公报",
    "全国人民代表大会常务委员会关于加强知识产权保护的决定",
    "推动黄河流域生态保护和高质量发展",
    "市政府召开第十二次常务会议研究部署重点工作",
    "示范区发改委：为高质量建设“三区一极”谱新篇",
    "国家级经济技术开发区综合发展水平考核评价结果公布",
    "乡村振兴战略实施以来农民收入稳步增长",
    "区人大常委会开展优化营商环境专题调研",
    "全力以赴做好春节期间安全生产和疫情防控工作",
];

#[test]
fn no_headline_breaks_inside_a_word_at_any_measure() {
    for text in HEADLINES {
        for measure in 6..=16 {
            let p = headline(text, 18.0, measure);
            for line in p.lines.iter().skip(1) {
                assert!(
                    support::at_phrase_boundary(text, line.text_range.start, measure as usize),
                    "{text} at {measure} em breaks inside a word: {:?}",
                    texts(&p)
                );
            }
        }
    }
}

#[test]
fn the_samples_headline_breaks_between_words_into_even_lines() {
    let p = headline("宁郭镇 打造年轻化知识化专业化干部队伍", 18.0, 11);
    assert_eq!(texts(&p), ["宁郭镇 打造年轻化", "知识化专业化干部队伍"]);
}

#[test]
fn a_clause_mark_is_preferred_to_a_word_boundary() {
    // Two lines either way; the colon ends the first clause.
    let p = headline("示范区发改委：为高质量发展谱新篇", 18.0, 10);
    assert_eq!(texts(&p), ["示范区发改委：", "为高质量发展谱新篇"]);
}

#[test]
fn a_typed_space_is_a_clause_gap_of_an_em_and_a_preferred_break() {
    let one = headline("李万街道 扎实开展冬季大气污染防治", 20.0, 20);
    assert_eq!(one.lines.len(), 1);
    // 16 characters of 20 pt, and the gap of one em between the two phrases.
    assert!(
        (one.lines[0].width - 17.0 * 20.0).abs() < 0.01,
        "{}",
        one.lines[0].width
    );
    let two = headline("李万街道 扎实开展冬季大气污染防治", 20.0, 12);
    assert_eq!(texts(&two), ["李万街道 ", "扎实开展冬季大气污染防治"]);
    // The gap at the break is not drawn: the first line is its four characters wide.
    assert!((two.lines[0].width - 80.0).abs() < 0.01, "{}", two.lines[0].width);
    // An ideographic space typed instead does the same.
    let ideographic = headline("李万街道　扎实开展冬季大气污染防治", 20.0, 12);
    assert_eq!(texts(&ideographic)[1], "扎实开展冬季大气污染防治");
}

#[test]
fn a_word_longer_than_the_measure_still_breaks_rather_than_failing() {
    // 中央纪律检查委员会 is one word of nine characters; at six ems it must be cut somewhere.
    let p = headline("中央纪律检查委员会", 18.0, 6);
    assert_eq!(p.lines.len(), 2, "{:?}", texts(&p));
}

#[test]
fn body_text_is_not_broken_by_phrases() {
    // Without `phrases` a headline fills lines character by character, as clreq allows.
    let composer = Composer::new(book()).unwrap();
    let run = TextRun {
        text: "宁郭镇打造年轻化知识化专业化干部队伍",
        role: Role::Headline,
        size: 18.0,
    };
    let p = composer
        .compose(&[run], &ComposeParams::headline(18.0, 9, Align::Left))
        .unwrap();
    assert_eq!(texts(&p)[0].chars().count(), 9, "{:?}", texts(&p));
}
