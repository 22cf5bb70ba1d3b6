//! Run-in datelines (本报讯（记者…）, 新华社北京…电) and credit lines split into contributors.
//!
//! E4 of the project's Chinese requirements: the dateline or credit opens a news item's lead
//! paragraph and is set in a distinct face, so the model keeps it apart from the text.

use crate::model::Contributor;

/// Fixed openings of a local news item (本报讯 and its traditional and 本刊 variants).
const NEWS_FLASH: [&str; 8] = [
    "本报讯",
    "本報訊",
    "本报电",
    "本報電",
    "本刊讯",
    "本刊訊",
    "本台讯",
    "本臺訊",
];

/// Sources that open a `<source><place><date>电` dateline.
const AGENCIES: [&str; 10] = [
    "新华社",
    "新華社",
    "中新社",
    "中新网",
    "中新網",
    "人民网",
    "人民網",
    "央视网",
    "本报",
    "本報",
];

/// Longest place-and-date part between an agency and 电 (新华社北京12月21日电 has 8 characters).
const MAX_PLACE_DATE_CHARS: usize = 20;

/// Longest bracketed credit after a dateline, in characters.
const MAX_CREDIT_CHARS: usize = 40;

/// Roles printed before names in datelines and bylines, longest first so prefixes match whole.
const ROLES: [&str; 20] = [
    "特约通讯员",
    "本报记者",
    "本報記者",
    "特约记者",
    "特約記者",
    "见习记者",
    "見習記者",
    "实习记者",
    "实习生",
    "實習生",
    "通讯员",
    "通訊員",
    "摄影",
    "攝影",
    "记者",
    "記者",
    "编辑",
    "編輯",
    "文",
    "图",
];

/// The byte length of the dateline that opens `text`, if it opens with one.
pub fn dateline_len(text: &str) -> Option<usize> {
    let head = head_len(text)?;
    Some(head + bracket_len(&text[head..]).unwrap_or(0))
}

/// The length of the part before the credit bracket.
fn head_len(text: &str) -> Option<usize> {
    if let Some(p) = NEWS_FLASH.iter().find(|p| text.starts_with(**p)) {
        return Some(p.len());
    }
    if let Some(rest) = text.strip_prefix('【') {
        let close = rest
            .char_indices()
            .take(MAX_PLACE_DATE_CHARS)
            .find(|&(_, c)| c == '】')?
            .0;
        let mut len = '【'.len_utf8() + close + '】'.len_utf8();
        // 【本報訊】記者張三報道： keeps its run-in credit with the dateline.
        let after = &text[len..];
        if (after.starts_with("记者") || after.starts_with("記者"))
            && let Some((i, c)) = after
                .char_indices()
                .take(MAX_CREDIT_CHARS)
                .find(|&(_, c)| c == '：' || c == ':')
        {
            len += i + c.len_utf8();
        }
        return Some(len);
    }
    let agency = AGENCIES.iter().find(|a| text.starts_with(**a))?;
    let rest = &text[agency.len()..];
    for (i, c) in rest.char_indices().take(MAX_PLACE_DATE_CHARS + 1) {
        match c {
            '电' | '電' if i > 0 => return Some(agency.len() + i + c.len_utf8()),
            '，' | '。' | '、' | '；' | '：' | ',' | '（' | '(' | ' ' => return None,
            _ => {}
        }
    }
    None
}

/// The length of a credit bracket `（…）` or `(…)` at the start of `text`.
fn bracket_len(text: &str) -> Option<usize> {
    let close = match text.chars().next()? {
        '（' => '）',
        '(' => ')',
        _ => return None,
    };
    for (i, c) in text.char_indices().skip(1).take(MAX_CREDIT_CHARS) {
        if c == close {
            return Some(i + c.len_utf8());
        }
        if matches!(c, '。' | '（' | '(' | '，') {
            return None;
        }
    }
    None
}

/// Split a dateline into its source part and the people its bracket names.
pub fn split_dateline(dateline: &str) -> (String, Vec<Contributor>) {
    let head = head_len(dateline).unwrap_or(dateline.len());
    let (source, bracket) = dateline.split_at(head);
    let inner = bracket.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    let mut contributors = parse_contributors(inner);
    // 【本報訊】記者張三報道：— the credit is run in after the bracket.
    if let Some(credit) = source.split('】').nth(1) {
        let credit = credit.trim_end_matches(['：', ':']);
        let credit = credit
            .strip_suffix("报道")
            .or_else(|| credit.strip_suffix("報道"))
            .unwrap_or(credit);
        contributors = parse_contributors(credit);
        let end = source.find('】').map_or(source.len(), |i| i + '】'.len_utf8());
        return (source[..end].to_string(), contributors);
    }
    (source.to_string(), contributors)
}

/// Parse names with roles: `记者郭树勋 通讯员梁健`, `本报记者 郭树勋`, `记者 张三、李四`, `文/张三`.
pub fn parse_contributors(text: &str) -> Vec<Contributor> {
    let mut out = Vec::new();
    let mut role = String::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ',' | '　')) {
        let token = token.trim_matches(|c| matches!(c, '（' | '）' | '(' | ')'));
        if token.is_empty() {
            continue;
        }
        let (r, name) = match ROLES.iter().find(|r| token.starts_with(**r)) {
            Some(r) => (Some(*r), token[r.len()..].trim_start_matches(['/', '／', '：', ':'])),
            None => (None, token),
        };
        if let Some(r) = r {
            role = r.to_string();
        }
        if !name.is_empty() {
            out.push(Contributor {
                role: role.clone(),
                name: name.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &[Contributor]) -> Vec<(String, String)> {
        c.iter().map(|c| (c.role.clone(), c.name.clone())).collect()
    }

    #[test]
    fn local_news_flash_with_two_credits() {
        let text = "本报讯（记者郭树勋 通讯员梁健）近日，记者从市科协获悉";
        let len = dateline_len(text).expect("dateline");
        assert_eq!(&text[..len], "本报讯（记者郭树勋 通讯员梁健）");
        let (source, c) = split_dateline(&text[..len]);
        assert_eq!(source, "本报讯");
        assert_eq!(
            names(&c),
            vec![("记者".into(), "郭树勋".into()), ("通讯员".into(), "梁健".into())]
        );
    }

    #[test]
    fn agency_dateline() {
        let text = "新华社北京12月21日电（记者 张三、李四）中央经济工作会议";
        let len = dateline_len(text).expect("dateline");
        let (source, c) = split_dateline(&text[..len]);
        assert_eq!(source, "新华社北京12月21日电");
        assert_eq!(
            names(&c),
            vec![("记者".into(), "张三".into()), ("记者".into(), "李四".into())]
        );
    }

    #[test]
    fn traditional_bracket_dateline() {
        let text = "【本報訊】記者陳大文報道：香港今日";
        let len = dateline_len(text).expect("dateline");
        assert_eq!(&text[..len], "【本報訊】記者陳大文報道：");
        let (source, c) = split_dateline(&text[..len]);
        assert_eq!(source, "【本報訊】");
        assert_eq!(names(&c), vec![("記者".into(), "陳大文".into())]);
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        assert_eq!(dateline_len("本报记者近日走访了"), None);
        assert_eq!(dateline_len("新华社消息，今天"), None);
        assert_eq!(dateline_len("会议指出，今年年初以来"), None);
    }

    #[test]
    fn byline_contributors() {
        assert_eq!(
            names(&parse_contributors("本报记者 郭树勋")),
            vec![("本报记者".into(), "郭树勋".into())]
        );
        assert_eq!(
            names(&parse_contributors("文/张三 图/李四")),
            vec![("文".into(), "张三".into()), ("图".into(), "李四".into())]
        );
    }
}
