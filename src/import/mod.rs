//! The plain-text importer: newspaper text copied from PDFs, web pages or old systems → the model.
//!
//! Stages, each in its own file: `decode` bytes to text, `clean` every line (control
//! characters, padding, full-width ASCII, half-width punctuation), `segment` column-wrapped
//! lines into blocks, `classify` each block (headline, kicker, dateline lead, caption …) with
//! the help of `features`, `header` and `headline`, `repair` extraction damage, and `build` the
//! model. Every guess the importer is unsure of becomes a warning with a span into the decoded
//! text; every block's classification comes with its reason. See `docs/import.md`.

mod build;
mod chars;
mod classify;
mod clean;
mod decode;
mod features;
mod header;
mod headline;
mod repair;
mod segment;

use crate::diag::{Diagnostic, Span};
use crate::model::{Bulletin, Date};

/// Text encodings the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16 little-endian (recognised by its byte order mark).
    Utf16Le,
    /// UTF-16 big-endian (recognised by its byte order mark).
    Utf16Be,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
    /// Big5 (with the HKSCS extensions), for traditional-character text.
    Big5,
}

impl Encoding {
    /// The name used on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
            Encoding::Big5 => "big5",
        }
    }

    fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Big5 => encoding_rs::BIG5,
        }
    }
}

/// An encoding name the importer does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl std::fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown encoding `{}`; expected utf-8, gb18030 (also gbk, gb2312), big5, utf-16le or utf-16be",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl std::str::FromStr for Encoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "utf-16le" | "utf16le" => Ok(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Ok(Encoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Ok(Encoding::Gb18030),
            "big5" | "big5-hkscs" | "cp950" => Ok(Encoding::Big5),
            _ => Err(UnknownEncoding(s.to_string())),
        }
    }
}

/// What the caller knows that the text may not say.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read the bytes in this encoding instead of detecting it.
    pub encoding: Option<Encoding>,
    /// Publication name for the front matter; inferred from the text when absent.
    pub publication: Option<String>,
    /// Issue date for the front matter; inferred from the text when absent.
    pub date: Option<Date>,
}

/// What a block of the input was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// Masthead, date or issue line, read into the front matter.
    Masthead,
    /// Edition (版) header, read into an edition heading.
    Edition,
    /// The editor in charge of an edition (责任编辑).
    Editor,
    /// Section banner (栏目).
    Banner,
    /// Kicker (引题) above a headline.
    Kicker,
    /// Headline (主题).
    Headline,
    /// Subtitle (副题) under a headline.
    Subtitle,
    /// Byline line (本报记者 郭树勋).
    Byline,
    /// Body paragraph.
    Paragraph,
    /// Subhead (小标题) inside an article.
    Subhead,
    /// Photo caption.
    Caption,
    /// Photo credit (… 摄).
    Credit,
    /// End note of an article (（余建斌）).
    Note,
    /// Text set apart inside an article (链接：…, 延伸阅读).
    Boxed,
    /// Title of a furniture box (扫一扫 关注我们, 启事).
    FurnitureTitle,
    /// Text inside a furniture box.
    FurnitureText,
}

impl BlockKind {
    /// A short lowercase name for messages.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Masthead => "masthead",
            BlockKind::Edition => "edition header",
            BlockKind::Editor => "edition editor",
            BlockKind::Banner => "section banner",
            BlockKind::Kicker => "kicker",
            BlockKind::Headline => "headline",
            BlockKind::Subtitle => "subtitle",
            BlockKind::Byline => "byline",
            BlockKind::Paragraph => "paragraph",
            BlockKind::Subhead => "subhead",
            BlockKind::Caption => "caption",
            BlockKind::Credit => "photo credit",
            BlockKind::Note => "end note",
            BlockKind::Boxed => "boxed text",
            BlockKind::FurnitureTitle => "furniture title",
            BlockKind::FurnitureText => "furniture text",
        }
    }
}

/// Why one block of the input was classified as it was (`zhiban import --explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The block's span in the decoded text.
    pub span: Span,
    /// What the block was taken for.
    pub kind: BlockKind,
    /// The reason, in words.
    pub reason: String,
}

/// The result of an import: a model, the text it was read from, and what the editor should check.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The document as inferred.
    pub bulletin: Bulletin,
    /// The decoded input; diagnostic and explanation spans point into it.
    pub text: String,
    /// The encoding the input was read as.
    pub encoding: Encoding,
    /// Warnings about every decision the importer was unsure of, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// One explanation per block, in source order.
    pub explanations: Vec<Explanation>,
}

/// Placeholder publication name used when neither the options nor the text give one.
pub const PLACEHOLDER_PUBLICATION: &str = "（待填：报名）";

/// Headline given to running text that stands under no headline.
pub const PLACEHOLDER_HEADLINE: &str = "（无标题）";

/// Placeholder issue date used when neither the options nor the text give one.
pub const PLACEHOLDER_DATE: Date = Date {
    year: 1900,
    month: 1,
    day: 1,
};

/// Import plain bulletin text. Never panics; the same bytes and options give the same result.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Imported {
    let decoded = decode::decode(bytes, options.encoding);
    let mut diagnostics = decoded.diagnostics;
    let text = decoded.text;
    let lines = clean::clean_lines(&text, &mut diagnostics);
    let units = segment::segment(lines, &mut diagnostics);
    let units = repair::split_units(units, &mut diagnostics);
    let classified = classify::classify(units, &mut diagnostics);
    let classified = repair::join_broken(classified, &mut diagnostics);
    let explanations = classified
        .iter()
        .map(|b| Explanation {
            span: b.unit.span,
            kind: b.kind,
            reason: b.reason.clone(),
        })
        .collect();
    let bulletin = build::build(&classified, options, &text, &mut diagnostics);
    if bulletin.editions.is_empty() {
        // The markup then fails `zhiban check` (no-edition): say why here, at the import.
        diagnostics.push(
            crate::diag::Diagnostic::warning(
                "no-text",
                None,
                "the text holds nothing to import: no edition, no article",
            )
            .with_hint("check that the right file was given; the markup written has front matter only"),
        );
    }
    diagnostics.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    Imported {
        bulletin,
        text,
        encoding: decoded.encoding,
        diagnostics,
        explanations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Item};

    fn run(text: &str) -> Imported {
        import(text.as_bytes(), &ImportOptions::default())
    }

    fn kinds(imported: &Imported) -> Vec<BlockKind> {
        imported.explanations.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn running_headers_are_read_not_printed() {
        let i = run(
            "示范区头条\n2020年12月28日\n\n标题一\n\n本报讯（记者张三）正文。\n\n示范区头条　2020年12月28日\n\n后文。\n",
        );
        assert_eq!(kinds(&i)[4], BlockKind::Masthead);
        let markup = crate::markup::write(&i.bulletin);
        assert_eq!(markup.matches("2020年12月28日").count(), 0, "{markup}");
    }

    #[test]
    fn photo_apart_from_articles_is_photo_news() {
        let text = "标题一\n\n本报讯（记者张三）正文。\n\n\n\n12月25日，工人在查看设备。\n\n本报记者 王五 摄\n\n标题二\n\n本报讯（记者李四）正文。\n";
        let i = run(text);
        let items = &i.bulletin.editions[0].items;
        assert!(matches!(items[1], Item::PhotoNews(_)), "{items:#?}");
        // Without the gap it is the article's photo.
        let i = run(&text.replace("\n\n\n\n", "\n\n"));
        let Item::Article(a) = &i.bulletin.editions[0].items[0] else {
            panic!("article")
        };
        assert!(matches!(a.body.last(), Some(Block::Figure(_))));
    }

    #[test]
    fn every_block_is_explained_in_source_order() {
        let i = run(
            "第一版 要闻\n责任编辑：张三\n\n聚焦优化营商环境\n高新区推出套餐服务\n本报讯（记者赵明）近日，高新区推出套餐服务。\n",
        );
        assert_eq!(
            kinds(&i),
            vec![
                BlockKind::Edition,
                BlockKind::Editor,
                BlockKind::Kicker,
                BlockKind::Headline,
                BlockKind::Paragraph
            ]
        );
        assert!(i.explanations.windows(2).all(|w| w[0].span.start < w[1].span.start));
        assert_eq!(i.bulletin.editions[0].editor.as_deref(), Some("张三"));
    }

    #[test]
    fn paragraphs_join_across_a_running_header() {
        let text = "第一版 要闻\n\n标题\n\n本报讯（记者张三）会议强调，在实际工作中牢牢\n\u{c}第一版 要闻\n坚持把把，积极谋划。\n";
        let i = run(text);
        let markup = crate::markup::write(&i.bulletin);
        assert!(markup.contains("牢牢坚持把把"), "{markup}");
        assert_eq!(i.bulletin.editions.len(), 1);
    }

    #[test]
    fn options_override_the_text() {
        let options = ImportOptions {
            publication: Some("示范区头条".into()),
            date: Date::new(2020, 12, 28),
            encoding: Some(Encoding::Utf8),
        };
        let i = import("河川日报\n2023年4月17日\n\n标题\n\n正文。\n".as_bytes(), &options);
        assert_eq!(i.bulletin.meta.publication, "示范区头条");
        assert_eq!(i.bulletin.meta.date, Date::new(2020, 12, 28).expect("date"));
        assert!(i.diagnostics.iter().all(|d| d.code != "date-missing"));
    }
}
