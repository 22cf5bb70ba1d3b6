//! Renderers: each takes the same [`RenderContext`] (the model, the media it names and, for the
//! print-bound products, the laid-out pages) with its own options, and returns the bytes of one
//! output format; none writes files, measures text or reads the markup.

pub mod archive;
pub mod epub;
pub mod pdf;

use crate::layout::FontBook;
use crate::layout::flow::PageLayout;
use crate::layout::spec::LayoutSpec;
use crate::media::MediaBag;
use crate::model::Bulletin;

/// What every renderer is given, as one value (mdBook's `RenderContext`, Pandoc's writer
/// arguments): the issue, its photos, and its print layout when it was laid out.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// The issue.
    pub bulletin: &'a Bulletin,
    /// The photos its figures name.
    pub media: &'a MediaBag,
    /// The print layout: needed by the PDF and the archive, used by the EPUB for its
    /// page list when present.
    pub print: Option<Print<'a>>,
}

/// An issue's print layout: the pages and what they were set with.
#[derive(Debug, Clone, Copy)]
pub struct Print<'a> {
    /// The laid-out pages, in order.
    pub pages: &'a [PageLayout],
    /// The fonts the pages were set in.
    pub book: &'a FontBook,
    /// The layout the pages follow.
    pub spec: &'a LayoutSpec,
}

impl<'a> RenderContext<'a> {
    /// The issue without a print layout (enough for the EPUB).
    pub fn new(bulletin: &'a Bulletin, media: &'a MediaBag) -> Self {
        RenderContext {
            bulletin,
            media,
            print: None,
        }
    }

    /// The issue with the pages it was laid out on, in `book`'s fonts by `spec`.
    pub fn with_print(self, pages: &'a [PageLayout], book: &'a FontBook, spec: &'a LayoutSpec) -> Self {
        RenderContext {
            print: Some(Print { pages, book, spec }),
            ..self
        }
    }
}
