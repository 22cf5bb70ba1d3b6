//! Headline groups: which of the short lines above a lead is the banner, the kicker, the
//! headline or a subtitle, and whether a short line inside an article is a subhead.

use super::BlockKind;
use super::chars::{char_len, has_sentence_punct};
use super::features::{is_banner_like, is_dash_subtitle, is_numbered_subhead};

/// Whether a title line inside an article reads as a subhead rather than a new headline:
/// subheads are short (at most [`MAX_SUBHEAD_CHARS`]) or a keyword and a colon (修路：打通…).
pub(crate) fn reads_as_subhead(t: &str) -> bool {
    /// Endings of a place or body before a colon (李家庄村：…): a headline, not a subhead keyword.
    const PLACES: &[char] = &[
        '村', '镇', '乡', '区', '县', '市', '局', '委', '办', '鎮', '鄉', '區', '縣',
    ];
    if let Some(i) = t.find('：') {
        let keyword = &t[..i];
        if keyword.ends_with(PLACES) {
            return false;
        }
        if char_len(keyword) <= SUBHEAD_KEYWORD_CHARS {
            return true;
        }
    }
    char_len(t) <= MAX_SUBHEAD_CHARS || is_numbered_subhead(t)
}

/// Longest unnumbered subhead, in characters; headlines are usually longer.
const MAX_SUBHEAD_CHARS: usize = 12;

/// Longest keyword before the colon of a `keyword：phrase` subhead (修路：, 兴业：).
const SUBHEAD_KEYWORD_CHARS: usize = 4;

/// Assign kicker, headline, subtitle and banner to the lines of a headline group.
///
/// Newspaper convention (E4 of our requirements): the kicker (引题) stands above the headline
/// (主题), subtitles (副题) below it, and a subtitle may open with ——. A short line named like a
/// column (栏目) before the group is the section banner. Lines that can only be subtitles (a
/// dash, a bracketed date, an issuing body) are taken from the end. Of two remaining lines, the
/// second is a subtitle when it explains the first (it holds a comma or figures the first lacks);
/// otherwise the first is the kicker. Returns the roles and, when the choice was close, why.
pub(crate) fn resolve_title_group(texts: &[String]) -> (Vec<(BlockKind, String)>, Option<String>) {
    let mut roles: Vec<(BlockKind, String)> = Vec::new();
    let mut unsure = None;
    let mut rest: &[String] = texts;
    if let [first, after @ ..] = rest
        && !after.is_empty()
        && is_banner_like(first)
    {
        roles.push((
            BlockKind::Banner,
            "short line named like a column (栏目) above a headline".into(),
        ));
        rest = after;
    }
    // Lines that can only be subtitles, counted from the end: a dash, a date or issuer in
    // brackets, an issuing body.
    let mut tail = 0;
    while tail + 1 < rest.len() && rest.iter().rev().nth(tail).is_some_and(|t| is_subtitle_form(t)) {
        tail += 1;
    }
    let (head, subs) = rest.split_at(rest.len() - tail);
    match head {
        [] => {}
        [_] => roles.push((
            BlockKind::Headline,
            "short line without sentence punctuation above the body".into(),
        )),
        [a, b] => {
            let comma = |t: &str| t.contains(['，', '、', '；']);
            // Figures: digits, or numbers written out with a zero (二○二四年, 一〇五).
            let digits = |t: &str| t.chars().any(|c| c.is_ascii_digit() || c == '○' || c == '〇');
            if (comma(b) && !comma(a)) || (digits(b) && !digits(a)) {
                roles.push((
                    BlockKind::Headline,
                    "the line under it explains it (a comma or figures)".into(),
                ));
                roles.push((
                    BlockKind::Subtitle,
                    "holds a comma or figures the line above lacks".into(),
                ));
            } else {
                roles.push((BlockKind::Kicker, "the first of two title lines".into()));
                roles.push((
                    BlockKind::Headline,
                    "the second of two title lines, under a kicker".into(),
                ));
                if comma(a) || char_len(b) > 2 * char_len(a) {
                    unsure = Some(
                        "two title lines: took the first for the kicker; it may be the headline over a subtitle".into(),
                    );
                }
            }
        }
        [_, _, more @ ..] => {
            roles.push((BlockKind::Kicker, "title line above the headline".into()));
            roles.push((BlockKind::Headline, "the second of several title lines".into()));
            for _ in more {
                roles.push((BlockKind::Subtitle, "title line under the headline".into()));
            }
            unsure = Some(format!(
                "{} title lines in a row: check kicker, headline and subtitles",
                head.len()
            ));
        }
    }
    for _ in subs {
        roles.push((
            BlockKind::Subtitle,
            "a subtitle by its form: a dash, a bracketed line or an issuer".into(),
        ));
    }
    (roles, unsure)
}

/// Whether a title line can only be a subtitle: it opens with a dash (——记…), is wholly in
/// brackets (（2023年3月20日）), or names an issuing body (河川市统计局).
fn is_subtitle_form(t: &str) -> bool {
    /// Longest issuing body under a title, in characters (河川市统计局).
    const MAX_ISSUER_CHARS: usize = 12;
    const ISSUERS: &[&str] = &[
        "局",
        "厅",
        "委员会",
        "办公室",
        "政府",
        "中心",
        "研究院",
        "办",
        "署",
        "部",
    ];
    is_dash_subtitle(t)
        || (t.starts_with('（') && t.ends_with('）'))
        || (char_len(t) <= MAX_ISSUER_CHARS && !has_sentence_punct(t) && ISSUERS.iter().any(|s| t.ends_with(*s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(lines: &[&str]) -> Vec<BlockKind> {
        let texts: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        resolve_title_group(&texts).0.into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn headline_groups() {
        use BlockKind::*;
        assert_eq!(
            kinds(&[
                "示范区召开党工委（扩大）会议",
                "传达学习中央经济工作会议精神，总结区直部门今年工作并谋划明年工作"
            ]),
            vec![Headline, Subtitle]
        );
        assert_eq!(
            kinds(&[
                "扎实开展村（社区）“两委”换届工作",
                "宁郭镇 打造年轻化知识化专业化干部队伍"
            ]),
            vec![Kicker, Headline]
        );
        assert_eq!(
            kinds(&["聚焦优化营商环境", "高新区推出“一件事一次办”套餐服务"]),
            vec![Kicker, Headline]
        );
        assert_eq!(
            kinds(&["北市公車將全面改用電動車", "2030年前汰換3500輛柴油公車"]),
            vec![Headline, Subtitle]
        );
        assert_eq!(
            kinds(&["岁末年初比比看", "示范区发改委：为高质量建设“三区一极”谱新篇"]),
            vec![Banner, Headline]
        );
        assert_eq!(
            kinds(&[
                "河川市2022年国民经济和社会发展统计公报",
                "河川市统计局",
                "（2023年3月20日）"
            ]),
            vec![Headline, Subtitle, Subtitle]
        );
        assert_eq!(
            kinds(&[
                "十四届全国人大一次会议在京开幕",
                "政府工作报告提出今年发展主要预期目标",
                "——国内生产总值增长5%左右"
            ]),
            vec![Kicker, Headline, Subtitle]
        );
    }

    #[test]
    fn subheads_inside_articles() {
        assert!(reads_as_subhead("修路：打通致富“最后一公里”"));
        assert!(reads_as_subhead("一、国民经济稳定恢复"));
        assert!(reads_as_subhead("落实责任"));
        assert!(!reads_as_subhead("李家庄村：文明新风进万家"));
        assert!(!reads_as_subhead("元朗公園新增共融遊樂場今日開放"));
    }
}
