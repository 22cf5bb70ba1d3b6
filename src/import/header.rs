//! Masthead and edition-header lines: publication, date, issue numbers, 第N版, 责任编辑.

use crate::model::Date;

use super::chars::{char_len, has_sentence_punct, is_han, width};

/// What a masthead or page-header line says, token by token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HeaderParts {
    /// Edition number (第2版 → 2).
    pub(crate) edition: Option<u32>,
    /// Edition name after the number (要闻, 综合).
    pub(crate) edition_name: Option<String>,
    /// Editor in charge (责任编辑 张三).
    pub(crate) editor: Option<String>,
    /// Issue date (2020年12月28日).
    pub(crate) date: Option<Date>,
    /// A weekday that does not match the date.
    pub(crate) wrong_weekday: bool,
    /// Publication name (a token ending like a paper's name: …报, …头条).
    pub(crate) publication: Option<String>,
    /// 第N期.
    pub(crate) issue: Option<u32>,
    /// 总第N期.
    pub(crate) total_issue: Option<u32>,
    /// 主办 (sponsor).
    pub(crate) publisher: Option<String>,
    /// China serial number CN41-0001.
    pub(crate) cn: Option<String>,
    /// ISSN.
    pub(crate) issn: Option<String>,
    /// Internal-circulation permit (准印证号).
    pub(crate) permit: Option<String>,
    /// A year printed without month and day (the 2024 of `2024年第3期`).
    pub(crate) year: Option<u16>,
    /// Tokens the header parser did not understand, in order, joined by spaces.
    pub(crate) leftover: Vec<String>,
}

impl HeaderParts {
    /// Whether any front-matter field was found.
    pub(crate) fn has_meta(&self) -> bool {
        self.date.is_some()
            || self.publication.is_some()
            || self.issue.is_some()
            || self.total_issue.is_some()
            || self.publisher.is_some()
            || self.cn.is_some()
            || self.issn.is_some()
            || self.permit.is_some()
    }
}

/// Endings of publication names (报头): 日报, 晚报, 头条, 周刊 ….
const PUBLICATION_SUFFIXES: &[&str] = &[
    "报", "報", "头条", "頭條", "周刊", "週刊", "简报", "簡報", "通讯", "通訊", "信息", "动态", "動態", "专刊", "專刊",
    "特刊", "文摘", "快讯", "快訊", "公报", "公報",
];

/// Length of a publication name in characters (示范区头条, 河川统计信息).
const PUBLICATION_CHARS: std::ops::RangeInclusive<usize> = 2..=12;

/// Labels of the edition editor.
const EDITOR_LABELS: &[&str] = &[
    "责任编辑",
    "責任編輯",
    "本版责编",
    "本版編輯",
    "本版编辑",
    "责编",
    "責編",
];

/// Labels before an edition's name in a page header (版面：要闻).
const EDITION_LABELS: &[&str] = &["版面", "版名"];

/// Labels of other page staff the model has no field for (kept as furniture).
const STAFF_LABELS: &[&str] = &[
    "美术编辑",
    "美術編輯",
    "版式设计",
    "版式設計",
    "美编",
    "美編",
    "校对",
    "校對",
    "版式",
    "组版",
    "組版",
    "设计",
    "設計",
];

/// Longest header line, in half-width cells, taken for a masthead or edition header.
const MAX_HEADER_WIDTH: usize = 90;

/// Longest name (editor, edition name) in characters.
const MAX_NAME_CHARS: usize = 8;

/// Split a header line into tokens at spaces, bars and colons.
fn tokens(line: &str) -> Vec<&str> {
    line.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '｜' | '|' | '丨' | '│' | '┃' | '：' | ':' | '/' | '／' | '（' | '）' | '(' | ')'
            )
    })
    .filter(|t| !t.is_empty())
    .flat_map(split_year_issue)
    .collect()
}

/// `2024年第3期` is a year and an issue number: split it so that the issue is read.
fn split_year_issue(t: &str) -> Vec<&str> {
    match t.find("年第") {
        Some(i) if i == 4 && t[..4].bytes().all(|b| b.is_ascii_digit()) => {
            vec![&t[..i + '年'.len_utf8()], &t[i + '年'.len_utf8()..]]
        }
        _ => vec![t],
    }
}

/// Read the tokens of a masthead or page-header line.
pub(crate) fn parse_header(line: &str) -> HeaderParts {
    let mut p = HeaderParts::default();
    if width(line) > MAX_HEADER_WIDTH || has_sentence_punct(line) {
        p.leftover.push(line.to_string());
        return p;
    }
    let toks = tokens(line);
    let mut i = 0;
    while let Some(&t) = toks.get(i) {
        let next = toks.get(i + 1).copied();
        i += 1;
        if EDITION_LABELS.contains(&t) {
            if let Some(n) = next.filter(|n| is_name(n)) {
                p.edition_name = Some(n.to_string());
                i += 1;
            } else {
                p.leftover.push(t.to_string());
            }
            continue;
        }
        if let Some(label) = EDITOR_LABELS.iter().find(|l| t.starts_with(**l)) {
            let rest = &t[label.len()..];
            let name = if !rest.is_empty() {
                Some(rest.to_string())
            } else if let Some(n) = next.filter(|n| is_name(n)) {
                i += 1;
                Some(n.to_string())
            } else {
                None
            };
            match name {
                // A second editor on the line is not a field: keep it as text.
                Some(n) if p.editor.is_some() => p.leftover.push(format!("{label} {n}")),
                Some(n) => p.editor = Some(n),
                None => p.leftover.push(t.to_string()),
            }
            continue;
        }
        if STAFF_LABELS.iter().any(|l| t.starts_with(*l)) {
            let mut s = t.to_string();
            if STAFF_LABELS.contains(&t)
                && let Some(n) = next.filter(|n| is_name(n))
            {
                s.push(' ');
                s.push_str(n);
                i += 1;
            }
            p.leftover.push(s);
            continue;
        }
        if matches!(t, "主办" | "主辦" | "主办单位" | "主辦單位") {
            if let Some(n) = next {
                p.publisher = Some(n.to_string());
                i += 1;
            } else {
                p.leftover.push(t.to_string());
            }
            continue;
        }
        if let Some(pre) = ["主办", "主辦", "编印", "編印", "主编", "編"]
            .iter()
            .find_map(|suffix| t.strip_suffix(*suffix))
            .filter(|pre| char_len(pre) >= 2)
        {
            p.publisher = Some(pre.to_string());
            continue;
        }
        if matches!(
            t,
            "国内统一连续出版物号"
                | "國內統一連續出版物號"
                | "统一刊号"
                | "刊号"
                | "ISSN"
                | "内部资料准印证号"
                | "准印证号"
                | "內部資料准印證號"
        ) {
            let is_permit = t.contains("准印");
            let is_issn = t == "ISSN";
            if let Some(n) = next {
                if is_permit {
                    p.permit = Some(n.to_string());
                } else if is_issn {
                    p.issn = Some(n.to_string());
                } else {
                    p.cn = Some(n.to_string());
                }
                i += 1;
            } else {
                // A label with no number after it is not a field; keep its words.
                p.leftover.push(t.to_string());
            }
            continue;
        }
        if is_cn_number(t) {
            p.cn = Some(t.to_string());
            continue;
        }
        if let Some((d, rest)) = parse_date_prefix(t) {
            p.date = Some(d);
            if !rest.is_empty() {
                weekday_token(rest, &mut p);
            }
            continue;
        }
        if t.len() == 7 && t.ends_with('年') && t[..4].bytes().all(|b| b.is_ascii_digit()) {
            // The year of `2024年第3期`: redundant when the issue date has the same year, so the
            // builder keeps it only when the date says otherwise.
            if p.year.is_some() {
                p.leftover.push(t.to_string());
            } else {
                p.year = t[..4].parse().ok();
            }
            continue;
        }
        if is_weekday(t) {
            weekday_token(t, &mut p);
            continue;
        }
        if let Some(n) = t
            .strip_prefix("总第")
            .or_else(|| t.strip_prefix("總第"))
            .and_then(|r| r.strip_suffix('期'))
            .and_then(number)
        {
            p.total_issue = Some(n);
            continue;
        }
        if let Some(n) = t.strip_prefix('第').and_then(|r| r.strip_suffix('期')).and_then(number) {
            p.issue = Some(n);
            continue;
        }
        if let Some((n, rest)) = edition_token(t) {
            p.edition = Some(n);
            if !rest.is_empty() && is_name(rest) {
                p.edition_name = Some(rest.to_string());
            } else if !rest.is_empty() {
                p.leftover.push(rest.to_string());
            }
            continue;
        }
        if p.edition.is_none() && (p.date.is_some() || p.publication.is_some()) && is_page_code(t) {
            p.edition = t[1..].parse().ok();
            continue;
        }
        if p.publication.is_none()
            && PUBLICATION_SUFFIXES.iter().any(|s| t.ends_with(*s))
            && t.chars().all(is_han)
            && PUBLICATION_CHARS.contains(&t.chars().count())
        {
            p.publication = Some(t.to_string());
            continue;
        }
        // An edition name printed before or after the number: `要闻 第一版`, `第一版 要闻`.
        if p.edition_name.is_none() && is_name(t) && (p.edition.is_some() || next.and_then(edition_token).is_some()) {
            p.edition_name = Some(t.to_string());
            continue;
        }
        p.leftover.push(t.to_string());
    }
    p
}

/// Note a weekday token; one that does not match the date stays in the leftover.
fn weekday_token(t: &str, p: &mut HeaderParts) {
    let matches = p.date.is_some_and(|d| {
        let zh = d.weekday_zh();
        t == zh || t.strip_prefix('周').is_some_and(|r| zh.ends_with(r))
    });
    if !matches {
        p.wrong_weekday = p.date.is_some();
        p.leftover.push(t.to_string());
    }
}

/// Whether `t` is a weekday: 星期一, 周日, 礼拜天.
fn is_weekday(t: &str) -> bool {
    let rest = t
        .strip_prefix("星期")
        .or_else(|| t.strip_prefix("礼拜"))
        .or_else(|| t.strip_prefix("禮拜"))
        .or_else(|| t.strip_prefix('周'))
        .or_else(|| t.strip_prefix('週'));
    rest.is_some_and(|r| matches!(r, "一" | "二" | "三" | "四" | "五" | "六" | "日" | "天"))
}

/// Usual edition (版) names; one alone on a line at the top names the first edition.
const EDITION_NAMES: &[&str] = &[
    "要闻",
    "要聞",
    "综合",
    "綜合",
    "综合新闻",
    "綜合新聞",
    "国内",
    "國內",
    "国内新闻",
    "國內新聞",
    "国际",
    "國際",
    "国际新闻",
    "國際新聞",
    "经济",
    "經濟",
    "财经",
    "財經",
    "社会",
    "社會",
    "文化",
    "体育",
    "體育",
    "教育",
    "副刊",
    "评论",
    "評論",
    "理论",
    "理論",
    "港聞",
    "港闻",
    "本地",
    "地方",
    "城事",
    "民生",
    "健康",
    "科技",
    "生活",
    "娱乐",
    "娛樂",
    "专版",
    "專版",
    "时事",
    "時事",
    "两岸",
    "兩岸",
    "中国",
    "中國",
    "人物",
    "读书",
    "讀書",
    "法治",
    "政务",
    "政務",
];

/// An edition name alone on its line (`港聞`), as a header without a number.
pub(crate) fn edition_name_line(t: &str) -> Option<HeaderParts> {
    if EDITION_NAMES.contains(&t.trim()) {
        return Some(HeaderParts {
            edition_name: Some(t.trim().to_string()),
            ..HeaderParts::default()
        });
    }
    labelled_edition_line(t)
}

/// A labelled edition name on its line (`版面：要闻`, perhaps with its editor), as a header
/// without a number.
pub(crate) fn labelled_edition_line(t: &str) -> Option<HeaderParts> {
    let t = t.trim();
    if !EDITION_LABELS.iter().any(|l| t.starts_with(*l)) || width(t) > MAX_HEADER_WIDTH || has_sentence_punct(t) {
        return None;
    }
    let h = parse_header(t);
    (h.edition_name.is_some() && h.edition.is_none() && h.leftover.is_empty()).then_some(h)
}

/// A line naming the editor in charge (`责任编辑：张三`), with at most a few other tokens (美编
/// 李四) and no sentence punctuation.
pub(crate) fn editor_line(t: &str) -> Option<HeaderParts> {
    /// Other tokens an editor line may carry (other staff, a date).
    const MAX_EDITOR_LEFTOVER: usize = 2;
    if has_sentence_punct(t) {
        return None;
    }
    let h = parse_header(t);
    (h.editor.is_some() && h.leftover.len() <= MAX_EDITOR_LEFTOVER).then_some(h)
}

/// Whether `t` is a short name: 2–8 Han characters (a person, an edition name).
fn is_name(t: &str) -> bool {
    let n = t.chars().count();
    (2..=MAX_NAME_CHARS).contains(&n) && t.chars().all(|c| is_han(c) || c == '·')
}

/// Whether `t` is a lettered page code as Taiwanese and Hong Kong papers print them: A4, B12.
fn is_page_code(t: &str) -> bool {
    let mut cs = t.chars();
    cs.next().is_some_and(|c| c.is_ascii_uppercase())
        && (2..=3).contains(&t.len())
        && t.get(1..)
            .is_some_and(|r| r.bytes().all(|b| b.is_ascii_digit()) && r != "0")
}

/// Whether `t` is a China serial number: CN41-0001, CN 41-0001/G.
fn is_cn_number(t: &str) -> bool {
    t.strip_prefix("CN").is_some_and(|r| {
        r.split_once('-')
            .is_some_and(|(d, _)| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// An edition token `第2版`, `第二版`, `02版`, `A1版` and what follows it in the token.
pub(crate) fn edition_token(t: &str) -> Option<(u32, &str)> {
    let body = t.strip_prefix('第').unwrap_or(t);
    let at = body.find('版')?;
    let num = &body[..at];
    let num = num.trim_start_matches(|c: char| c.is_ascii_uppercase());
    let n = number(num)?;
    (n > 0).then_some((n, &body[at + '版'.len_utf8()..]))
}

/// Value of ASCII digits or a Chinese numeral up to 99 (一, 十二, 二十, 〇 not alone).
pub(crate) fn number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return if s.len() <= 6 { s.parse().ok() } else { None };
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|v| v as u32);
    let c: Vec<char> = s.chars().collect();
    match c.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|&d| d > 0),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// A date at the start of `t` (2020年12月28日, 2020-12-28, 2020.12.28, 2020/12/28) and the rest.
pub(crate) fn parse_date_prefix(t: &str) -> Option<(Date, &str)> {
    let digits = |s: &str| s.bytes().take_while(|b| b.is_ascii_digit()).count();
    let y_len = digits(t);
    if y_len != 4 {
        return None;
    }
    let year: u16 = t[..4].parse().ok()?;
    let rest = &t[4..];
    let (sep_m, sep_d, end) = if rest.starts_with('年') {
        ('年', '月', Some('日'))
    } else if let Some(c) = rest.chars().next().filter(|c| matches!(c, '-' | '.' | '/')) {
        (c, c, None)
    } else {
        return None;
    };
    let rest = rest.strip_prefix(sep_m)?;
    let m_len = digits(rest);
    if !(1..=2).contains(&m_len) {
        return None;
    }
    let month: u8 = rest[..m_len].parse().ok()?;
    let rest = rest[m_len..].strip_prefix(sep_d)?;
    let d_len = digits(rest);
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let day: u8 = rest[..d_len].parse().ok()?;
    let mut rest = &rest[d_len..];
    if let Some(e) = end {
        rest = rest.strip_prefix(e)?;
    }
    Some((Date::new(year, month, day)?, rest))
}

/// The first full date (with year) anywhere in `text`, and its byte offset.
pub(crate) fn find_date(text: &str) -> Option<(Date, usize)> {
    text.char_indices()
        .filter(|(i, c)| c.is_ascii_digit() && !text[..*i].ends_with(|p: char| p.is_ascii_digit()))
        .find_map(|(i, _)| parse_date_prefix(&text[i..]).map(|(d, _)| (d, i)))
}

/// A publication name read from a subscription box line: `示范区头条 微信公众号` → 示范区头条.
pub(crate) fn publication_from_follow_line(line: &str) -> Option<String> {
    const MARKERS: &[&str] = &["微信公众号", "微信公眾號", "官方微信", "客户端", "客戶端", "官方微博"];
    let marker = MARKERS.iter().find(|m| line.trim_end().ends_with(**m))?;
    let name = line.trim_end().strip_suffix(marker)?.trim();
    PUBLICATION_CHARS
        .contains(&name.chars().count())
        .then(|| name.to_string())
        .filter(|n| n.chars().all(is_han))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_headers() {
        let p = parse_header("第二版　综合");
        assert_eq!((p.edition, p.edition_name.as_deref()), (Some(2), Some("综合")));
        let p = parse_header("2020年12月28日 星期一 第2版：综合新闻 责任编辑：张三 美编：李四");
        assert_eq!(p.edition, Some(2));
        assert_eq!(p.edition_name.as_deref(), Some("综合新闻"));
        assert_eq!(p.editor.as_deref(), Some("张三"));
        assert_eq!(p.date, Date::new(2020, 12, 28));
        assert_eq!(p.leftover, vec!["美编 李四".to_string()]);
        let p = parse_header("要闻 A1版");
        assert_eq!((p.edition, p.edition_name.as_deref()), (Some(1), Some("要闻")));
        assert_eq!(parse_header("该文刊登于第三版。").edition, None);
        let p = labelled_edition_line("版面：要闻").expect("labelled edition");
        assert_eq!((p.edition, p.edition_name.as_deref()), (None, Some("要闻")));
        assert!(labelled_edition_line("版面设计很美观，读者喜欢。").is_none());
        assert_eq!(
            editor_line("责任编辑：张三").and_then(|h| h.editor).as_deref(),
            Some("张三")
        );
        assert!(editor_line("责任编辑张三说，要做好工作。").is_none());
    }

    #[test]
    fn label_without_value_is_kept() {
        assert_eq!(parse_header("示范区头条 刊号").leftover, vec!["刊号".to_string()]);
    }

    #[test]
    fn masthead_lines() {
        let p = parse_header("示范区头条 第1期 总第120期");
        assert_eq!(p.publication.as_deref(), Some("示范区头条"));
        assert_eq!((p.issue, p.total_issue), (Some(1), Some(120)));
        let p = parse_header("2020年12月28日 星期二");
        assert!(p.wrong_weekday);
        let p = parse_header("2024年第3期（总第58期）");
        assert_eq!((p.issue, p.total_issue, p.leftover.len()), (Some(3), Some(58), 0));
        assert_eq!(p.year, Some(2024));
        let p = parse_header("柳湾镇党政办公室编印　2024年2月26日");
        assert_eq!(p.publisher.as_deref(), Some("柳湾镇党政办公室"));
        let p = parse_header("自由時報 2024年5月20日 星期一 A4 生活新聞");
        assert_eq!((p.edition, p.edition_name.as_deref()), (Some(4), Some("生活新聞")));
        let p = parse_header("中共示范区工委主办 国内统一连续出版物号：CN41-0001");
        assert_eq!(p.publisher.as_deref(), Some("中共示范区工委"));
        assert_eq!(p.cn.as_deref(), Some("CN41-0001"));
    }

    #[test]
    fn dates_and_numbers() {
        assert_eq!(find_date("于2021年1月5日起施行").map(|d| d.0), Date::new(2021, 1, 5));
        assert_eq!(find_date("12月25日"), None);
        assert_eq!(number("十二"), Some(12));
        assert_eq!(edition_token("第十二版"), Some((12, "")));
        assert_eq!(
            publication_from_follow_line("示范区头条 微信公众号").as_deref(),
            Some("示范区头条")
        );
    }
}
