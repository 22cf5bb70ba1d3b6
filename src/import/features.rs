//! What one block looks like on its own: byline, credit, caption, end note, title, furniture.
//!
//! Each test is a named function of the block's text alone; [`super::classify`] combines them
//! with the blocks around it.

use crate::model::FurnitureKind;

use super::chars::{char_len, ends_sentence, has_sentence_punct, is_han};

/// Longest headline, kicker or subtitle, in characters.
pub(crate) const MAX_TITLE_CHARS: usize = 40;

/// Longest photo caption paragraph, in characters.
pub(crate) const MAX_CAPTION_CHARS: usize = 160;

/// Longest byline or credit line, in characters.
const MAX_CREDIT_CHARS: usize = 40;

/// Longest section banner, in characters.
const MAX_BANNER_CHARS: usize = 10;

/// Bullets that papers print before bylines, banners and subheads.
const BULLETS: &[char] = &[
    '■', '□', '◎', '●', '○', '◆', '◇', '▲', '△', '★', '☆', '▶', '►', '·', ' ',
];

/// Roles that open a byline, longest first so that prefixes match whole.
const BYLINE_ROLES: &[&str] = &[
    "新华社记者",
    "新華社記者",
    "本报评论员",
    "本報評論員",
    "本报通讯员",
    "本報通訊員",
    "特约通讯员",
    "特約通訊員",
    "本报记者",
    "本報記者",
    "本刊记者",
    "本刊記者",
    "特约记者",
    "特約記者",
    "见习记者",
    "見習記者",
    "实习记者",
    "實習記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "评论员",
    "評論員",
    "记者",
    "記者",
    "撰文",
    "作者",
    "摄影",
    "攝影",
    "口述",
    "整理",
    "编译",
    "編譯",
    "文/图",
    "文／图",
    "文·图",
    "文/圖",
    "文",
    "图",
    "圖",
];

/// Roles that may open the credit inside a dateline bracket or a run-in photo credit.
pub(crate) const BYLINE_PREFIXES: &[&str] = &[
    "新华社记者",
    "新華社記者",
    "本报通讯员",
    "本報通訊員",
    "特约通讯员",
    "特約通訊員",
    "本报记者",
    "本報記者",
    "特约记者",
    "特約記者",
    "见习记者",
    "見習記者",
    "实习记者",
    "實習記者",
    "通讯员",
    "通訊員",
    "实习生",
    "實習生",
    "记者",
    "記者",
];

/// Strip bullets and spaces from the start of `text`.
pub(crate) fn strip_bullets(text: &str) -> &str {
    text.trim_start_matches(BULLETS)
}

/// Whether `t` is a person's name as bylines print it: 2–4 Han characters, or up to 8 with `·`.
fn is_person(t: &str) -> bool {
    /// Han names have two to four characters (surname and given name).
    const HAN_NAME: std::ops::RangeInclusive<usize> = 2..=4;
    /// Transcribed names join their parts with `·` (阿卜杜·热合曼).
    const DOTTED_NAME: std::ops::RangeInclusive<usize> = 3..=8;
    let n = char_len(t);
    if t.contains('·') {
        return DOTTED_NAME.contains(&n) && t.chars().all(|c| is_han(c) || c == '·');
    }
    HAN_NAME.contains(&n) && t.chars().all(is_han)
}

/// Whether `text` is a byline line: roles and names only (本报记者 郭树勋, 记者 张三 通讯员 李四,
/// 文/张三 图/李四, ■本报记者 张三 李四).
pub(crate) fn is_byline(text: &str) -> bool {
    let text = strip_bullets(text);
    if char_len(text) > MAX_CREDIT_CHARS || text.contains(['。', '，', '；']) {
        return false;
    }
    let mut names = 0;
    let mut first = true;
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, '、' | '　')) {
        if token.is_empty() {
            continue;
        }
        let role = BYLINE_ROLES.iter().find(|r| {
            token.starts_with(**r) && {
                // A one-character role (文, 图) needs its slash: 文/张三, not 文化.
                let rest = &token[r.len()..];
                char_len(r) > 1 || rest.is_empty() || rest.starts_with(['/', '／', '：', ':', '·'])
            }
        });
        if first && role.is_none() {
            return false;
        }
        first = false;
        let rest = role.map_or(token, |r| &token[r.len()..]);
        let rest = rest.trim_start_matches(['/', '／', '：', ':', '·']);
        if rest.is_empty() {
            continue;
        }
        if !is_person(rest) {
            return false;
        }
        names += 1;
    }
    names > 0
}

/// Endings of a photo credit: 摄, 摄影, 供图, 资料图片.
const CREDIT_ENDINGS: &[&str] = &[
    "摄影",
    "攝影",
    "摄",
    "攝",
    "供图",
    "供圖",
    "资料图片",
    "資料圖片",
    "图片",
    "圖片",
];

/// Whether `text` is a photo credit: a short line ending in 摄 (本报记者 翟鹏程 摄), 供图 or 资料图片,
/// or opening with 图/ or 摄影： (GB/T convention E4: a caption ends with the credit).
pub(crate) fn is_credit(text: &str) -> bool {
    let inner = strip_bullets(text)
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    if char_len(inner) > MAX_CREDIT_CHARS || inner.contains(['。', '，', '；']) || char_len(inner) < 2 {
        return false;
    }
    if inner.starts_with("图/") || inner.starts_with("图／") || inner.starts_with("圖/") {
        return true;
    }
    if let Some(rest) = inner.strip_prefix("摄影").or_else(|| inner.strip_prefix("攝影"))
        && rest.starts_with(['：', ':', '/', ' '])
    {
        return true;
    }
    CREDIT_ENDINGS.iter().any(|e| {
        inner.strip_suffix(*e).is_some_and(|before| {
            let before = before.trim_end();
            // Something must be credited: a name, an agency, 新华社发.
            char_len(before) >= 2
                && before
                    .chars()
                    .last()
                    .is_some_and(|c| is_han(c) || c == '）' || c == ')')
        })
    })
}

/// Whether `text` opens like a photo caption: 图为, 图①, 上图, ▲, 图片说明.
pub(crate) fn is_caption_cue(text: &str) -> bool {
    const CUES: &[&str] = &[
        "图为",
        "圖為",
        "上图",
        "下图",
        "左图",
        "右图",
        "上圖",
        "下圖",
        "左圖",
        "右圖",
        "图片说明",
        "圖片說明",
        "题图",
        "題圖",
        "▲",
        "△",
        "↑",
        "图：",
        "圖：",
    ];
    if char_len(text) > MAX_CAPTION_CHARS {
        return false;
    }
    if CUES.iter().any(|c| text.starts_with(*c)) {
        return true;
    }
    // 图①, 图1, 图一 followed by a mark or the caption text.
    let rest = text.strip_prefix('图').or_else(|| text.strip_prefix('圖'));
    rest.and_then(|r| r.chars().next())
        .is_some_and(|c| matches!(c, '①'..='⑳') || c.is_ascii_digit() || "一二三四五六".contains(c))
}

/// Whether `text` opens with a month and day, as photo captions usually do (12月25日，…).
pub(crate) fn starts_with_day(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && text[digits..].starts_with('月') && text.contains('日')
}

/// Whether `text` is an end note: a short bracketed line after the body (（余建斌）, （完）,
/// （来源：人民日报）, （下转第二版）).
pub(crate) fn is_end_note(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('（').and_then(|t| t.strip_suffix('）')) else {
        return false;
    };
    if char_len(inner) > MAX_CREDIT_CHARS || inner.contains(['（', '）']) {
        return false;
    }
    const OPENINGS: &[&str] = &[
        "来源",
        "來源",
        "据",
        "據",
        "完",
        "编者",
        "編者",
        "下转",
        "下轉",
        "上接",
        "转自",
        "轉自",
        "摘自",
        "原载",
        "原載",
        "本文",
        "记者",
        "記者",
        "通讯员",
        "通訊員",
        "本报记者",
        "本報記者",
        "新华社",
        "新華社",
        "责任编辑",
        "責任編輯",
    ];
    OPENINGS.iter().any(|o| inner.starts_with(*o)) || is_person(inner) || inner.split(['、', ' ']).all(is_person)
}

/// Whether `text` is a page number of extracted text (`- 2 -`, `—3—`, `第2页`): no words, only
/// the number of the page, dropped with a warning.
pub(crate) fn is_page_number(text: &str) -> bool {
    let dashes = |c: char| matches!(c, '-' | '—' | '－' | ' ' | '·');
    let dashed = text.trim_matches(dashes);
    let numbered = text
        .strip_prefix('第')
        .and_then(|b| b.strip_suffix('页').or_else(|| b.strip_suffix('頁')));
    // A bare number may be a fragment of a broken paragraph (2020|年); a page number is set off.
    let bare = match numbered {
        Some(n) => n,
        None if dashed.len() < text.len() && text.starts_with(dashes) => dashed,
        None => return false,
    };
    /// Most digits of a page number.
    const MAX_PAGE_DIGITS: usize = 4;
    !bare.is_empty() && bare.len() <= MAX_PAGE_DIGITS && bare.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `text` is a note paragraph after the body: 注：…, 附注：…, 资料来源：….
pub(crate) fn is_note_paragraph(text: &str) -> bool {
    const OPENINGS: &[&str] = &[
        "注：",
        "附注：",
        "资料来源：",
        "資料來源：",
        "来源：",
        "來源：",
        "（注：",
        "说明：本",
    ];
    OPENINGS.iter().any(|o| text.starts_with(*o)) && char_len(text) <= MAX_CAPTION_CHARS
}

/// Whether `text` opens text set apart inside an article: 链接：, 延伸阅读, 小贴士, 背景资料.
pub(crate) fn is_boxed_opening(text: &str) -> bool {
    const OPENINGS: &[&str] = &[
        "链接：",
        "鏈接：",
        "相关链接",
        "相關鏈接",
        "延伸阅读",
        "延伸閱讀",
        "小贴士",
        "小貼士",
        "背景资料",
        "背景資料",
        "知识链接",
        "知識鏈接",
    ];
    OPENINGS.iter().any(|o| text.starts_with(*o))
}

/// Whether `text` is a jump line that continues an article from another edition (（上接第一版）).
pub(crate) fn is_jump_in(text: &str) -> bool {
    ["（上接", "（接上", "（紧接", "（緊接"]
        .iter()
        .any(|o| text.starts_with(*o))
        && char_len(text) <= MAX_CREDIT_CHARS
}

/// Whether `text` could be a headline, kicker, subtitle or banner: short, no full stop, not
/// ending in a mark that continues into the next line.
pub(crate) fn is_title_like(text: &str) -> bool {
    let n = char_len(text);
    if !(2..=MAX_TITLE_CHARS).contains(&n) || text.contains('。') {
        return false;
    }
    if text.ends_with(['，', '、', '；', '：', ':', ',', ';']) {
        return false;
    }
    // A quoted sentence (“山就是我的家！”) is running text, not a title.
    let unquoted = text.trim_end_matches(['”', '’', '」', '』']);
    if unquoted.len() < text.len() && unquoted.ends_with(['！', '？', '。', '…']) {
        return false;
    }
    // Subtitles may hold a comma or two; running text holds more.
    text.matches(['，', '、', '；']).count() <= 2
}

/// Whether `text` is a numbered subhead: 一、…, （一）…, 1. …, 第一，…, ■… — short, at most a
/// closing full stop.
pub(crate) fn is_numbered_subhead(text: &str) -> bool {
    /// Longest numbered subhead, in characters.
    const MAX_SUBHEAD_CHARS: usize = 30;
    let body = text.strip_suffix('。').unwrap_or(text);
    if char_len(body) > MAX_SUBHEAD_CHARS || body.contains('。') {
        return false;
    }
    let numerals = "一二三四五六七八九十";
    let mut cs = body.chars();
    let first = cs.next();
    let second = cs.next();
    match (first, second) {
        (Some(a), Some('、')) if numerals.contains(a) => true,
        (Some(a), Some(b)) if numerals.contains(a) && numerals.contains(b) && body.contains('、') => {
            body.chars().nth(2) == Some('、')
        }
        (Some('（'), Some(b)) if numerals.contains(b) => body.contains('）'),
        (Some(a), Some('.' | '、' | '．')) if a.is_ascii_digit() => true,
        (Some('第'), Some(b)) if numerals.contains(b) => body
            .chars()
            .nth(2)
            .is_some_and(|c| matches!(c, '，' | '、' | '：' | '是')),
        (Some('■' | '◆' | '●' | '▲' | '★'), _) => !has_sentence_punct(body),
        _ => false,
    }
}

/// The kind of furniture box `text` opens, if it is a box title: 扫一扫 关注我们 (subscribe),
/// 启事, 公告, 更正, 声明 (notice).
pub(crate) fn furniture_kind(text: &str) -> Option<FurnitureKind> {
    /// Longest furniture title, in characters.
    const MAX_FURNITURE_TITLE: usize = 24;
    const SUBSCRIBE: &[&str] = &[
        "扫一扫",
        "掃一掃",
        "扫码",
        "掃碼",
        "关注我们",
        "關注我們",
        "二维码",
        "二維碼",
        "订阅",
        "訂閱",
        "征订",
        "徵訂",
    ];
    const NOTICE: &[&str] = &[
        "启事", "啟事", "公告", "更正", "声明", "聲明", "通告", "征稿", "徵稿", "讣告", "訃告", "招聘", "致歉", "广告",
        "廣告",
    ];
    if char_len(text) > MAX_FURNITURE_TITLE || text.contains('。') {
        return None;
    }
    let bare = strip_bullets(text).trim_matches(['【', '】']);
    if SUBSCRIBE.iter().any(|s| bare.contains(*s)) {
        return Some(FurnitureKind::Subscribe);
    }
    if NOTICE.iter().any(|s| bare.ends_with(*s)) && !has_sentence_punct(bare) {
        return Some(FurnitureKind::Notice);
    }
    None
}

/// Whether `text` is an imprint line of page furniture: address, telephone, printer, price.
pub(crate) fn is_imprint(text: &str) -> bool {
    const OPENINGS: &[&str] = &[
        "地址",
        "本报地址",
        "本報地址",
        "社址",
        "邮编",
        "郵編",
        "电话",
        "電話",
        "传真",
        "傳真",
        "印刷",
        "定价",
        "定價",
        "发行",
        "發行",
        "广告经营许可证",
        "廣告經營許可證",
        "投稿邮箱",
        "投稿郵箱",
        "新闻热线",
        "新聞熱線",
        "网址",
        "網址",
        // The distribution list that closes a bulletin (报：…, 送：…, （共印60份）).
        "报：",
        "報：",
        "送：",
        "抄送：",
        "抄报：",
        "抄報：",
        "主送：",
        "（共印",
        "共印",
        // Staff lines of a page or issue the model has no field for (编辑：孙静 校对：周涛).
        "编辑：",
        "編輯：",
        "校对：",
        "校對：",
        "美编：",
        "美編：",
        "审核：",
        "審核：",
        "签发：",
        "簽發：",
    ];
    /// Words of an imprint line; two of them anywhere make one (南湖日报社出版 地址：… 电话：…).
    const WORDS: &[&str] = &[
        "地址", "邮编", "郵編", "电话", "電話", "传真", "傳真", "印刷", "定价", "定價", "出版", "发行", "發行", "邮箱",
        "郵箱",
    ];
    let bare = strip_bullets(text);
    let words = WORDS.iter().filter(|w| bare.contains(**w)).count();
    /// Longest imprint line, in characters.
    const MAX_IMPRINT_CHARS: usize = 80;
    (OPENINGS.iter().any(|o| bare.starts_with(*o)) || words >= 2)
        && char_len(bare) <= MAX_IMPRINT_CHARS
        && !bare.contains('。')
}

/// Endings that name a column (栏目) rather than a story.
const BANNER_ENDINGS: &[&str] = &[
    "比比看",
    "专栏",
    "專欄",
    "聚焦",
    "关注",
    "關注",
    "视点",
    "視點",
    "观察",
    "觀察",
    "一线",
    "一線",
    "纪实",
    "紀實",
    "巡礼",
    "巡禮",
    "时评",
    "時評",
    "调查",
    "調查",
    "人物",
    "声音",
    "聲音",
    "快讯",
    "快訊",
    "简讯",
    "簡訊",
    "动态",
    "動態",
    "图片新闻",
    "圖片新聞",
    "走基层",
    "走基層",
    "在行动",
    "在行動",
    "进行时",
    "進行時",
    "新气象",
    "新氣象",
    "新作为",
    "身边事",
    "身邊事",
    "看台",
    "前沿",
    "特稿",
    "专题",
    "專題",
    "访谈",
    "訪談",
    "速览",
    "速覽",
    "综述",
    "綜述",
    "看点",
    "看點",
    "面对面",
    "面對面",
    "光荣榜",
    "光榮榜",
    "微故事",
    "读者来信",
    "讀者來信",
    "说法",
    "說法",
];

/// Whether `text` looks like a section banner (栏目): short, no punctuation, and either set off
/// with brackets or a bullet, or ending like a column name (岁末年初比比看, 基层一线).
pub(crate) fn is_banner_like(text: &str) -> bool {
    let bracketed = (text.starts_with('【') && text.ends_with('】'))
        || (text.starts_with('〖') && text.ends_with('〗'))
        || text.starts_with(['■', '◆', '★', '▶']);
    let bare = strip_bullets(text).trim_matches(['【', '】', '〖', '〗']);
    if char_len(bare) > MAX_BANNER_CHARS || char_len(bare) < 2 || has_sentence_punct(bare) || bare.contains('：') {
        return false;
    }
    bracketed || BANNER_ENDINGS.iter().any(|e| bare.ends_with(*e))
}

/// Whether `text` is a subtitle by its form: it opens with a dash (——记全国劳动模范张三).
pub(crate) fn is_dash_subtitle(text: &str) -> bool {
    text.starts_with("——") || text.starts_with("—") || text.starts_with("--")
}

/// Whether `text` reads like a full sentence rather than a title: it ends a sentence.
pub(crate) fn is_sentence(text: &str) -> bool {
    ends_sentence(text) && !text.ends_with(['！', '？'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        assert!(is_byline("本报记者 郭树勋"));
        assert!(is_byline("■本报记者 张三 李四"));
        assert!(is_byline("记者 张三 通讯员 李四"));
        assert!(is_byline("文/张三 图/李四"));
        assert!(is_byline("本報記者 陳大文"));
        assert!(!is_byline("本报记者近日走访了"));
        assert!(!is_byline("文化自信"));
        assert!(!is_byline("记者从市科协获悉，示范区共有5家单位"));
    }

    #[test]
    fn credits() {
        assert!(is_credit("本报记者 翟鹏程 摄"));
        assert!(is_credit("新华社记者 李四摄"));
        assert!(is_credit("本報記者 黃小明 攝"));
        assert!(is_credit("（图①②由张三摄）"));
        assert!(is_credit("图/王五"));
        assert!(is_credit("示范区科创局供图"));
        assert!(!is_credit("摄"));
        assert!(!is_credit("他在现场拍摄。"));
    }

    #[test]
    fn captions_and_notes() {
        assert!(is_caption_cue("图为工作人员在查看设备。"));
        assert!(is_caption_cue("图①：新建成的沁泉湖公园。"));
        assert!(!is_caption_cue("图书馆今天开放。"));
        assert!(starts_with_day("12月25日，河南卓立膜材料股份有限公司"));
        assert!(is_end_note("（余建斌）"));
        assert!(is_end_note("（来源：人民日报）"));
        assert!(is_end_note("（下转第二版）"));
        assert!(!is_end_note("（一）加强组织领导"));
    }

    #[test]
    fn titles_and_subheads() {
        assert!(is_title_like("示范区召开党工委（扩大）会议"));
        assert!(is_title_like(
            "传达学习中央经济工作会议精神，总结区直部门今年工作并谋划明年工作"
        ));
        assert!(!is_title_like(
            "会上，示范区班子成员对26个区直部门的工作汇报进行了点评发言。"
        ));
        assert!(is_numbered_subhead("一、国民经济稳定恢复"));
        assert!(is_numbered_subhead("（二）加强组织领导"));
        assert!(is_numbered_subhead("3. 资金使用情况"));
        assert!(!is_numbered_subhead("一是迅速果断处置首例输入性病例"));
    }

    #[test]
    fn furniture_and_banners() {
        assert_eq!(furniture_kind("扫一扫 关注我们"), Some(FurnitureKind::Subscribe));
        assert_eq!(furniture_kind("更正"), Some(FurnitureKind::Notice));
        assert_eq!(furniture_kind("示范区召开党工委（扩大）会议"), None);
        assert!(is_imprint("本报地址：焦作市示范区世纪路 邮编：454000"));
        assert!(is_imprint("报：县委办、县政府办"));
        assert!(is_imprint("南湖日报社出版 地址：南湖市建设路8号 电话：0573-1234567"));
        assert!(!is_imprint("会议地址设在市政府。"));
        assert!(is_page_number("- 2 -"));
        assert!(is_page_number("第12页"));
        assert!(!is_page_number("2020"));
        assert!(is_banner_like("岁末年初比比看"));
        assert!(is_banner_like("【基层一线】"));
        assert!(!is_banner_like("赴示范区集中视察"));
        assert!(is_dash_subtitle("——记全国劳动模范张三"));
    }
}
