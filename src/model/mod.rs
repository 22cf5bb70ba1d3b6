//! The document model: one bulletin or newspaper issue, everything every renderer needs.
//!
//! The model knows no input syntax, output format, font or file system. Text carries, out of
//! band, where in the source each piece came from ([`Text::origin`]) so that later stages can
//! point at source lines without re-reading the source; two models compare equal when their
//! content is equal, wherever it came from.

mod ids;
mod text;
mod time;

pub use ids::assign_ids;
pub use text::{Origin, Text};
pub use time::{BadSourceDateEpoch, Timestamp};

use serde::{Deserialize, Serialize};

/// One issue of a publication: metadata and its editions (版) in print order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bulletin {
    /// Issue metadata: publication, date, numbers, publisher.
    pub meta: Meta,
    /// The editions (pages, 版) in order.
    pub editions: Vec<Edition>,
}

/// Metadata of one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Publication name as set in the masthead (报头), e.g. 示范区头条.
    pub publication: String,
    /// Slogan or subtitle line printed with the masthead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slogan: Option<String>,
    /// Sponsor or publisher (主办).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Date of issue.
    pub date: Date,
    /// Issue number within the year or volume (第N期).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<u32>,
    /// Running issue number since the first issue (总第N期).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_issue: Option<u32>,
    /// China domestic serial number (国内统一连续出版物号), e.g. CN41-0001.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cn: Option<String>,
    /// International Standard Serial Number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    /// Internal-circulation permit or other serial (内部资料准印证号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit: Option<String>,
    /// BCP 47 language tag of the text; zh-CN unless given.
    pub language: String,
    /// Editors of the whole issue with their roles (总编辑, 主编 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<Contributor>,
    /// Name of the layout file (without `.toml`) the issue asks for, e.g. `tabloid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
}

/// A calendar date (proleptic Gregorian), serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2020.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31, valid for the month.
    pub day: u8,
}

impl Date {
    /// The date if `year-month-day` exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year > 0 && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }

    /// Day of the week, 0 = Monday … 6 = Sunday (Zeller's congruence, Gregorian).
    pub fn weekday(self) -> u8 {
        let (mut y, mut m) = (i32::from(self.year), i32::from(self.month));
        if m < 3 {
            m += 12;
            y -= 1;
        }
        let k = y % 100;
        let j = y / 100;
        // h: 0 = Saturday, 1 = Sunday, …
        let h = (i32::from(self.day) + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
        ((h + 5) % 7) as u8
    }

    /// The weekday in Chinese, e.g. 星期一.
    pub fn weekday_zh(self) -> &'static str {
        match self.weekday() % 7 {
            0 => "星期一",
            1 => "星期二",
            2 => "星期三",
            3 => "星期四",
            4 => "星期五",
            5 => "星期六",
            _ => "星期日",
        }
    }

    /// Days since 1970-01-01 (for timestamps derived from the issue date).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a date as YYYY-MM-DD, found `{s}`");
        let mut parts = s.splitn(3, '-');
        let mut next = |len: usize| {
            parts
                .next()
                .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or_else(bad)
        };
        let (y, m, d) = (next(4)?, next(2)?, next(2)?);
        Date::new(y, m as u8, d as u8).ok_or_else(|| format!("no such date: {s}"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A person credited with a role: 记者 郭树勋, 通讯员 梁健, 责任编辑 张三.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contributor {
    /// The role as printed (记者, 本报记者, 通讯员, 摄影 …); empty when none is printed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// The person's name.
    pub name: String,
}

/// An edition (版): one printed page of a newspaper, or one part of a bulletin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// Stable id, `e1`, `e2` … in order.
    pub id: String,
    /// Edition number as printed (第一版 → 1).
    pub number: u32,
    /// Edition name (要闻, 综合 …); may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Editor in charge (责任编辑).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor: Option<String>,
    /// The items of the edition in reading order.
    pub items: Vec<Item>,
}

/// One thing placed on an edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// A news article or feature.
    Article(Article),
    /// A photo with caption and no article (图片新闻).
    PhotoNews(Figure),
    /// A section banner (栏目) and the items it groups; sections do not nest.
    Section(Section),
    /// Page furniture: notices, the subscription/QR box.
    Furniture(Furniture),
}

/// A section banner (栏目, e.g. 岁末年初比比看) grouping the items under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id, `e2-s1` ….
    pub id: String,
    /// The banner text.
    pub title: Text,
    /// Articles, photo news and furniture under the banner (never another section).
    pub items: Vec<Item>,
}

/// A news article: headline block, credits and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Stable id, `e1-a1` ….
    pub id: String,
    /// Kicker (引题, 肩题): the line above the headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kicker: Option<Vec<Inline>>,
    /// Headline (主题).
    pub headline: Vec<Inline>,
    /// Subtitles (副题) under the headline, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subtitles: Vec<Vec<Inline>>,
    /// Byline lines under the headline (本报记者 郭树勋).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bylines: Vec<Byline>,
    /// The body in reading order.
    pub body: Vec<Block>,
}

/// A byline line: the text as printed and the people it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Byline {
    /// The line as printed.
    pub text: Text,
    /// The people the line credits.
    pub contributors: Vec<Contributor>,
}

/// A block of article body or furniture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph, possibly opening with a run-in dateline.
    Paragraph(Paragraph),
    /// A subhead (小标题) inside an article.
    Subhead {
        /// The subhead text.
        content: Vec<Inline>,
    },
    /// A photo with caption and credit.
    Figure(Figure),
    /// Boxed or quoted text set apart from the body (e.g. 链接, 延伸阅读).
    Boxed {
        /// The paragraphs inside the box.
        paragraphs: Vec<Vec<Inline>>,
    },
    /// An end note after the body (（余建斌）, 来源, 编者按 at the end).
    Note {
        /// The note text.
        content: Vec<Inline>,
    },
}

/// A body paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// The run-in dateline that opens a lead paragraph (本报讯（记者郭树勋）).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<Dateline>,
    /// The paragraph text after the dateline.
    pub content: Vec<Inline>,
}

/// A run-in dateline: 本报讯（记者郭树勋）, 新华社北京12月1日电（记者李四）, 【本報訊】.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dateline {
    /// The whole dateline as printed, brackets included.
    pub text: Text,
    /// The source part before the bracket (本报讯, 新华社北京12月1日电).
    pub source: String,
    /// The people named in the bracket.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<Contributor>,
}

/// A photo with its caption and credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Stable id, `e1-f1` ….
    pub id: String,
    /// Path of the image file, relative to the markup file's folder, `/`-separated.
    pub src: String,
    /// Alternative text describing what the photo shows (not the caption).
    pub alt: String,
    /// Caption paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption: Vec<Vec<Inline>>,
    /// Photo credit (本报记者 翟鹏程 摄).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Text>,
}

/// Page furniture: boxes that are not articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Furniture {
    /// Stable id, `e2-x1` ….
    pub id: String,
    /// What kind of box it is.
    pub kind: FurnitureKind,
    /// Box title (扫一扫 关注我们).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Paragraphs and an optional figure (the QR code).
    pub body: Vec<Block>,
}

/// Kinds of page furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// A notice (启事, 公告, 更正).
    Notice,
    /// Subscription or follow-us box, usually with a QR code.
    Subscribe,
}

impl FurnitureKind {
    /// The keyword used in markup and output.
    pub fn keyword(self) -> &'static str {
        match self {
            FurnitureKind::Notice => "notice",
            FurnitureKind::Subscribe => "subscribe",
        }
    }
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text(Text),
    /// Strong emphasis (bold, Hei in print).
    Strong(Vec<Inline>),
    /// Emphasis (着重号 emphasis dots or Kai in print).
    Emph(Vec<Inline>),
}

/// Whether an end note is a remark (注：…, 说明：…, 备注…) set as text, rather than a credit
/// such as （余建斌） or （市统计局供稿） set flush right.
pub fn note_is_remark(content: &[Inline]) -> bool {
    let text = plain_text(content);
    ["注", "註", "说明", "說明", "备注", "備註", "附注", "附註"]
        .iter()
        .any(|p| text.trim_start().starts_with(p))
}

/// The plain text of inline content.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => out.push_str(t.as_str()),
            Inline::Strong(inner) | Inline::Emph(inner) => push_plain(inner, out),
        }
    }
}

impl Bulletin {
    /// Every article in reading order, sections flattened.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.editions
            .iter()
            .flat_map(|e| items_flat(&e.items))
            .filter_map(|i| match i {
                Item::Article(a) => Some(a),
                _ => None,
            })
    }
}

/// Which typographic convention of Chinese an issue's language follows (clreq §3.1.1): the
/// mainland's simplified characters (and Singapore's), or traditional characters as set in
/// Taiwan, or in Hong Kong and Macao. The conventions differ in glyph shapes and in where the
/// pause and stop marks sit (bottom left of the character frame on the mainland, centred in
/// Taiwan and Hong Kong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// zh, zh-CN, zh-SG, zh-Hans… (and any tag that is not Chinese).
    Simplified,
    /// zh-TW, zh-Hant, zh-Hant-TW.
    Taiwan,
    /// zh-HK, zh-MO, zh-Hant-HK, zh-Hant-MO, yue-Hant….
    HongKong,
}

impl Convention {
    /// The convention of a BCP 47 tag: its script subtag if it has one (Hant or Hans), else its
    /// region (TW, HK, MO are traditional); case is ignored.
    pub fn of(language: &str) -> Convention {
        let mut parts = language.split(['-', '_']);
        let primary = parts.next().unwrap_or("").to_ascii_lowercase();
        if !matches!(primary.as_str(), "zh" | "yue" | "cmn" | "nan" | "hak") {
            return Convention::Simplified;
        }
        let (mut script, mut region) = (None, None);
        for p in parts {
            if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) && script.is_none() {
                script = Some(p.to_ascii_lowercase());
            } else if p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()) && region.is_none() {
                region = Some(p.to_ascii_uppercase());
            }
        }
        // Cantonese without a region is written as in Hong Kong.
        let hk = matches!(region.as_deref(), Some("HK" | "MO")) || (primary == "yue" && region.is_none());
        match (script.as_deref(), region.as_deref()) {
            (Some("hans"), _) => Convention::Simplified,
            (Some("hant"), _) if hk => Convention::HongKong,
            (Some("hant"), _) => Convention::Taiwan,
            (_, Some("TW")) => Convention::Taiwan,
            _ if hk => Convention::HongKong,
            _ => Convention::Simplified,
        }
    }

    /// Whether the convention writes traditional characters.
    pub fn is_traditional(self) -> bool {
        self != Convention::Simplified
    }
}

/// The items of a list with sections flattened: the section itself, then its items.
pub fn items_flat(items: &[Item]) -> impl Iterator<Item = &Item> {
    items.iter().flat_map(|item| {
        let inner: &[Item] = match item {
            Item::Section(s) => &s.items,
            _ => &[],
        };
        std::iter::once(item).chain(inner.iter())
    })
}

#[cfg(test)]
mod tests {
    use super::Convention;

    #[test]
    fn conventions_from_language_tags() {
        for (tag, want) in [
            ("zh-CN", Convention::Simplified),
            ("zh", Convention::Simplified),
            ("zh-Hans", Convention::Simplified),
            ("zh-SG", Convention::Simplified),
            ("zh-Hans-HK", Convention::Simplified),
            ("en", Convention::Simplified),
            ("zh-TW", Convention::Taiwan),
            ("zh-tw", Convention::Taiwan),
            ("zh-Hant", Convention::Taiwan),
            ("zh-Hant-TW", Convention::Taiwan),
            ("zh-HK", Convention::HongKong),
            ("zh-MO", Convention::HongKong),
            ("zh-Hant-HK", Convention::HongKong),
            ("yue", Convention::HongKong),
            ("yue-Hant", Convention::HongKong),
            ("zh_HK", Convention::HongKong),
        ] {
            assert_eq!(Convention::of(tag), want, "{tag}");
        }
        assert!(Convention::of("zh-HK").is_traditional());
        assert!(!Convention::of("zh-CN").is_traditional());
    }
}
