//! Page flow: model + layout file → positioned pages (newspaper modules in columns).
//!
//! Each edition (版) starts on a page of its own, and runs onto extra pages of the same edition
//! when it does not fit. Page 1 opens with the masthead (报头), later pages with a running head;
//! every article becomes a rectangular module spanning k columns (headline block on top, body
//! balanced across its columns), modules are packed into full-width bands whose members end at
//! about the same depth, each page ends with a band that reaches its foot, and a rule separates
//! modules. An article cut at the foot continues on the next page with jump lines (（下转第N版） /
//! （上接第N版））.
//!
//! The output is frames ([`Page`]) whose item streams say, with start and end [`Tag`]s, which
//! items belong to which model element ([`PageLayout::blocks`]); the PDF, its outline, the ALTO
//! files and the tests read that one stream, and nobody re-measures.

mod chrome;
mod module;
mod pack;
pub mod review;
mod typeset;

use std::ops::Range;

use super::FontBook;
use super::frame::{Item, Page};
use super::spec::LayoutSpec;
use crate::diag::Span;
use crate::media::MediaBag;
use crate::model::Bulletin;

pub use typeset::Typesetter;

pub use crate::layout::frame::{BlockKind, Rect, Tag};

/// A rule of composition that had to give way in an article's body (clreq's kinsoku, the 孤字
/// rule, a line that cannot be stretched), reported on the page where the article starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositionWarning {
    /// The model id of the article.
    pub owner: String,
    /// What gave way.
    pub warning: super::LayoutWarning,
    /// Where the affected line starts in the markup, when the text maps back to it.
    pub span: Option<Span>,
    /// The affected line's text.
    pub line: String,
}

/// A group of consecutive frame items that belong to one model element: a [`Tag`] of the
/// page's item stream with the range of items between its start and its end.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockInfo {
    /// The model id of the element (`e1-a3`, `e1-f1`, `e2-s1`), or `chrome` for added text.
    pub owner: String,
    /// What the items are.
    pub kind: BlockKind,
    /// Indices of the items in the page's frame.
    pub items: Range<usize>,
    /// The area the block covers.
    pub rect: Rect,
    /// For articles: 1 on the page where it starts, 2 … on continuation pages.
    pub part: u32,
    /// For body text: index of the article body block (paragraph, subhead …) its first line
    /// belongs to, so that other outputs can mark where a print page starts.
    pub block: Option<usize>,
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    /// The page: its trim-size frame with every item.
    pub page: Page,
    /// The edition whose modules the page carries and whose name its running head prints
    /// (index into `Bulletin::editions`).
    pub edition: usize,
    /// The page label printed in the running head and folio and used by jump lines and EPUB
    /// page lists: the page number (版次), which is the edition's number on its first page
    /// unless extra pages of earlier editions took it (e.g. `2`).
    pub label: String,
    /// What gave way in composing the bodies of the articles that start on this page, in the
    /// order the articles were placed.
    pub warnings: Vec<CompositionWarning>,
}

/// Why pages could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    /// Which error it is, for callers that act on it (the message is for people).
    pub kind: FlowErrorKind,
    /// What is wrong: lowercase, no final period.
    pub message: String,
    /// Where in the markup source, when the problem comes from a piece of text.
    pub span: Option<Span>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The kinds of [`FlowError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowErrorKind {
    /// No font of the layout has this character: it would be set as a blank box (tofu).
    MissingCharacter(char),
    /// An unbreakable unit (a Latin word, a number) is wider than its column.
    UnitTooWide,
    /// An article's headline is taller than a page's body.
    HeadlineTooLarge,
    /// The issue runs past [`MAX_PAGES`] pages.
    TooManyPages,
    /// The issue has no edition.
    NoEdition,
    /// A photo the markup names is not among the loaded media.
    PhotoNotLoaded,
    /// The typesetter refused its fonts or settings.
    Typesetting,
    /// The layout broke one of its own invariants (a bug).
    Internal,
}

impl PageLayout {
    /// The model elements on the page, in reading order: each [`Item::Start`] of the frame with
    /// the items up to its [`Item::End`].
    pub fn blocks(&self) -> Vec<BlockInfo> {
        let mut out = Vec::new();
        let mut open: Option<(&Tag, usize)> = None;
        for (i, item) in self.page.frame.items.iter().enumerate() {
            match item {
                Item::Start(tag) => open = Some((tag, i + 1)),
                Item::End => {
                    if let Some((tag, start)) = open.take() {
                        out.push(BlockInfo {
                            owner: tag.owner.clone(),
                            kind: tag.kind,
                            items: start..i,
                            rect: tag.rect,
                            part: tag.part,
                            block: tag.block,
                        });
                    }
                }
                Item::Line(_) | Item::Image(_) | Item::Rule(_) => {}
            }
        }
        out
    }
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FlowError {}

/// Where the flow sets a page's body: the columns' left and right edges, the foot the columns
/// fill down to (above the folio) and the body line pitch, all in points. The flow packs pages
/// into this area; callers use it to see how full a page came out.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyArea {
    /// Left and right edge of each column, left to right.
    pub columns: Vec<(f32, f32)>,
    /// Left edge of the type area (centred between the side margins).
    pub x0: f32,
    /// The foot of the columns: the bottom margin, less the folio's two lines when pages carry
    /// a page number.
    pub bottom: f32,
    /// Body size plus line gap.
    pub pitch: f32,
}

/// The body area of every page set with `spec`.
pub fn body_area(spec: &LayoutSpec) -> BodyArea {
    let pitch = spec.body_size() + spec.pt(spec.grid.line_gap);
    let avail = spec.pt(spec.page.width) - spec.pt(spec.page.margin_left) - spec.pt(spec.page.margin_right);
    let x0 = spec.pt(spec.page.margin_left) + (avail - spec.type_width()) / 2.0;
    let folio = if spec.folio.page_number { 2.0 * pitch } else { 0.0 };
    let bottom = spec.pt(spec.page.height) - spec.pt(spec.page.margin_bottom) - folio;
    let colw = spec.column_width();
    let step = colw + spec.pt(spec.grid.column_gap);
    let columns = (0..spec.grid.columns)
        .map(|c| (x0 + c as f32 * step, x0 + c as f32 * step + colw))
        .collect();
    BodyArea {
        columns,
        x0,
        bottom,
        pitch,
    }
}

/// Most pages an issue may grow to through continuations before layout gives up.
pub const MAX_PAGES: usize = 400;

/// Lay out the whole bulletin, one edition after another.
pub fn layout_pages(
    bulletin: &Bulletin,
    media: &MediaBag,
    spec: &LayoutSpec,
    book: &FontBook,
) -> Result<Vec<PageLayout>, FlowError> {
    let ts = Typesetter::for_language(spec, book, &bulletin.meta.language)?;
    pack::layout(bulletin, media, &ts)
}
