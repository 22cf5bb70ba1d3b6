//! What a piece of text is to the typesetter: each role has its own font chain and style.

/// What a piece of text is, typographically; each role has its own font chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Body text (正文).
    Body,
    /// Main headline (主题).
    Headline,
    /// Kicker above the headline (引题, 肩题).
    Kicker,
    /// Subtitle below the headline (副题).
    Subtitle,
    /// Dateline or credit opening the lead (`本报讯（记者 张三）`).
    Dateline,
    /// Byline.
    Byline,
    /// Photo caption.
    Caption,
    /// Photo credit (`本报记者 王五 摄`).
    Credit,
    /// Page furniture: folio, running head.
    Folio,
}
