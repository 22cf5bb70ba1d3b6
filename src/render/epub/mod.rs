//! EPUB 3.3 renderer: the model becomes a cover, a navigation document and one XHTML document
//! per edition, zipped so that the same input always gives the same bytes.
//!
//! ```no_run
//! use std::path::Path;
//! use zhiban::markup::{ParseOptions, parse};
//! use zhiban::media::{LoadOptions, load_media};
//! use zhiban::render::RenderContext;
//! use zhiban::render::epub::{EpubOptions, render_epub};
//!
//! let src = std::fs::read_to_string("input/shifanqu-2020-12-28.zb").unwrap();
//! let bulletin = parse(&src, ParseOptions { base_dir: Some(Path::new("input")) }).bulletin;
//! let media = load_media(&bulletin, Path::new("input"), &LoadOptions::default()).unwrap();
//! let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).unwrap();
//! std::fs::write("issue.epub", epub).unwrap();
//! ```

mod container;
mod cover;
mod css;
mod fonts;
mod labels;
mod nav;
mod package;
mod pages;
mod xhtml;
mod xml;

use std::borrow::Cow;

pub use fonts::{EmbedFonts, FontFile};
pub use pages::{PageStart, PrintPages};

use crate::diag::Span;
use crate::model::Timestamp;
use crate::render::RenderContext;

/// How to render the EPUB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpubOptions {
    /// `dcterms:modified` and the ZIP entry times; midnight UTC of the issue date when absent
    /// (see [`Timestamp::from_source_date_epoch`]), never the wall clock.
    pub modified: Option<Timestamp>,
    /// Where the print pages start; when absent, from the context's print layout, or one page
    /// per edition labelled with the edition number when there is none.
    pub print_pages: Option<PrintPages>,
    /// Also write an EPUB 2 NCX table of contents for reading systems older than EPUB 3.
    pub ncx: bool,
    /// Fonts to embed, subset to the characters the issue uses; none when absent (the
    /// stylesheet then names the reading system's fonts only).
    pub embed_fonts: Option<EmbedFonts>,
}

impl Default for EpubOptions {
    fn default() -> Self {
        EpubOptions {
            modified: None,
            print_pages: None,
            ncx: true,
            embed_fonts: None,
        }
    }
}

/// Why the EPUB could not be made. Errors about the text carry a source [`Span`] when the
/// model came from markup, so that the caller can print line and column.
#[derive(Debug)]
#[non_exhaustive]
pub enum EpubError {
    /// The bulletin has no edition, so the EPUB would have no content.
    NoEditions,
    /// A figure names an image the media bag does not hold.
    MissingMedia {
        /// The figure's id.
        figure: String,
        /// The image path the figure names.
        src: String,
    },
    /// A figure has no alt text (WCAG 2.2 SC 1.1.1).
    MissingAltText {
        /// The figure's id.
        figure: String,
        /// Where the figure is in the source (its credit or caption), when known.
        span: Option<Span>,
    },
    /// A figure's alt text only repeats its caption.
    AltRepeatsCaption {
        /// The figure's id.
        figure: String,
        /// Where the figure is in the source (its credit or caption), when known.
        span: Option<Span>,
    },
    /// A print page starts at an id the bulletin does not have.
    UnknownPageTarget {
        /// The id asked for.
        id: String,
        /// The page's label.
        label: String,
    },
    /// A print page starts before a body block the item does not have.
    PageBlockOutOfRange {
        /// The item's id.
        id: String,
        /// The block index asked for.
        block: usize,
        /// How many body blocks the item has.
        blocks: usize,
        /// The page's label.
        label: String,
    },
    /// A print page has an empty label.
    EmptyPageLabel {
        /// The id the page starts at.
        id: String,
    },
    /// Two print pages have the same label.
    DuplicatePageLabel {
        /// The label.
        label: String,
    },
    /// Text holds a character that XML 1.0 forbids (§2.2), such as a control character.
    ForbiddenCharacter {
        /// The character.
        character: char,
        /// The start of the text it is in.
        context: String,
        /// Where the character is in the source, when known.
        span: Option<Span>,
    },
    /// The issue's language is not a BCP 47 tag.
    BadLanguage {
        /// The language as given.
        value: String,
    },
    /// An id of the model cannot be an XHTML id, is used twice, or has a form the renderer
    /// keeps for itself (`page-N`, `…-title`).
    BadId {
        /// The id.
        id: String,
    },
    /// A font to embed cannot be read or subset.
    Font {
        /// Which font: `song` or `hei`.
        role: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Writing XML into memory failed (not expected: memory writes do not fail).
    Xml(std::io::Error),
    /// Writing the ZIP container into memory failed.
    Zip(String),
}

impl EpubError {
    /// Where in the markup source the problem is, when the model knows it.
    pub fn span(&self) -> Option<Span> {
        match self {
            EpubError::MissingAltText { span, .. }
            | EpubError::AltRepeatsCaption { span, .. }
            | EpubError::ForbiddenCharacter { span, .. } => *span,
            _ => None,
        }
    }

    /// How to fix it, when there is more to say than the message.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            EpubError::MissingAltText { .. } => Some(
                "write what the photo shows between the brackets of its image line: `![村民在田间收割小麦](photos/x.jpg \"本报记者 张三 摄\")`",
            ),
            EpubError::AltRepeatsCaption { .. } => {
                Some("the caption is shown under the photo already; the alt text says what a reader cannot see")
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for EpubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EpubError::NoEditions => write!(f, "the issue has no edition; an EPUB needs at least one"),
            EpubError::MissingMedia { figure, src } => {
                write!(f, "figure {figure}: image `{src}` was not loaded into the media bag")
            }
            EpubError::MissingAltText { figure, .. } => write!(
                f,
                "figure {figure}: expected alt text describing what the photo shows, found none"
            ),
            EpubError::AltRepeatsCaption { figure, .. } => write!(
                f,
                "figure {figure}: the alt text repeats the caption; describe what the photo shows instead"
            ),
            EpubError::UnknownPageTarget { id, label } => {
                write!(f, "print page {label}: no edition, section or item has the id `{id}`")
            }
            EpubError::PageBlockOutOfRange {
                id,
                block,
                blocks,
                label,
            } => write!(
                f,
                "print page {label}: `{id}` has {blocks} body blocks, so block {block} does not exist"
            ),
            EpubError::EmptyPageLabel { id } => write!(f, "the print page starting at `{id}` has an empty label"),
            EpubError::DuplicatePageLabel { label } => write!(f, "two print pages are labelled `{label}`"),
            EpubError::ForbiddenCharacter { character, context, .. } => write!(
                f,
                "text `{context}` holds U+{:04X}, a character XML 1.0 forbids",
                u32::from(*character)
            ),
            EpubError::BadLanguage { value } => {
                write!(f, "language `{value}`: expected a BCP 47 tag such as zh-CN")
            }
            EpubError::BadId { id } => write!(
                f,
                "id `{id}`: expected a unique id of letters, digits, `-`, `_`, `.` starting with a letter (run model::assign_ids)"
            ),
            EpubError::Font { role, message } => write!(f, "embedded {role} font: {message}"),
            EpubError::Xml(e) => write!(f, "cannot write XML: {e}"),
            EpubError::Zip(e) => write!(f, "cannot write the EPUB container: {e}"),
        }
    }
}

impl std::error::Error for EpubError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EpubError::Xml(e) => Some(e),
            _ => None,
        }
    }
}

/// One file of the publication besides the package document, in manifest order.
pub(super) struct Resource<'a> {
    /// Manifest id.
    id: String,
    /// Path relative to the package document.
    href: String,
    /// Media type (EPUB 3.3 §3.2 core media types).
    media_type: &'static str,
    /// Manifest `properties` (`nav`, `cover-image`).
    properties: Option<&'static str>,
    /// Whether the spine lists it, in manifest order.
    in_spine: bool,
    /// Whether it is in the spine as non-linear content (`linear="no"`), reached by a link.
    auxiliary: bool,
    /// The file's bytes.
    bytes: Cow<'a, [u8]>,
}

impl<'a> Resource<'a> {
    fn new(
        id: impl Into<String>,
        href: impl Into<String>,
        media_type: &'static str,
        bytes: impl Into<Cow<'a, [u8]>>,
    ) -> Self {
        Resource {
            id: id.into(),
            href: href.into(),
            media_type,
            properties: None,
            in_spine: false,
            auxiliary: false,
            bytes: bytes.into(),
        }
    }

    fn spine(mut self) -> Self {
        self.in_spine = true;
        self
    }

    fn auxiliary(mut self) -> Self {
        self.in_spine = true;
        self.auxiliary = true;
        self
    }

    fn properties(mut self, properties: &'static str) -> Self {
        self.properties = Some(properties);
        self
    }
}

const XHTML: &str = "application/xhtml+xml";

/// Render the issue of `cx` as an EPUB 3.3 publication; its page list follows the print layout
/// when `cx` has one and the options give no other.
pub fn render_epub(cx: &RenderContext<'_>, options: &EpubOptions) -> Result<Vec<u8>, EpubError> {
    let (bulletin, media) = (cx.bulletin, cx.media);
    if bulletin.editions.is_empty() {
        return Err(EpubError::NoEditions);
    }
    labels::check_language(bulletin)?;
    labels::check_ids(bulletin)?;
    let images = xhtml::Images::assign(bulletin, media)?;
    let default_pages;
    let print_pages = match &options.print_pages {
        Some(pages) => pages,
        None => {
            default_pages = match cx.print {
                Some(print) => PrintPages::from_layout(bulletin, print.pages),
                None => PrintPages::per_edition(bulletin),
            };
            &default_pages
        }
    };
    let marks = pages::PageMarks::resolve(bulletin, print_pages)?;

    let mut content = xhtml::ContentWriter::new(bulletin, &images, &marks);
    let mut editions = Vec::with_capacity(bulletin.editions.len());
    for (i, edition) in bulletin.editions.iter().enumerate() {
        editions.push(content.edition(i, edition)?);
    }
    let page_targets = std::mem::take(&mut content.pages);
    let toc = nav::toc(bulletin);
    // Embedding with no font given, or only a rare-character font and no rare character, is
    // no embedding (and no licence page to link to). The subsets are made from the characters
    // of the pages with the licence page's link in the table of contents.
    let cover_page = cover::xhtml(bulletin)?;
    let mut subsets = Vec::new();
    if let Some(embed) = options.embed_fonts.as_ref() {
        let nav_page = nav::document(bulletin, &toc, &page_targets, true)?;
        let chars = fonts::chars_of(
            [cover_page.as_slice(), nav_page.as_slice()]
                .into_iter()
                .chain(editions.iter().map(Vec::as_slice)),
        );
        subsets = fonts::subset_fonts(embed, &chars)?;
    }
    let nav_page = nav::document(bulletin, &toc, &page_targets, !subsets.is_empty())?;

    // Manifest and spine order: cover, table of contents, editions; then the rest.
    let mut resources = Vec::new();
    let mut font_resources = Vec::new();
    let mut faces = Vec::new();
    if !subsets.is_empty() {
        let license = fonts::license_page(bulletin, &subsets)?;
        font_resources.push(Resource::new("fonts-license", fonts::LICENSE_HREF, XHTML, license).auxiliary());
    }
    for subset in subsets {
        let (href, media_type) = subset.href_and_type();
        faces.push((subset.role, href.clone()));
        font_resources.push(Resource::new(
            format!("font-{}", faces.len()),
            href,
            media_type,
            subset.bytes,
        ));
    }
    resources.push(Resource::new("cover", nav::COVER_HREF, XHTML, cover_page).spine());
    resources.push(
        Resource::new("nav", nav::NAV_HREF, XHTML, nav_page)
            .properties("nav")
            .spine(),
    );
    for (i, bytes) in editions.into_iter().enumerate() {
        resources.push(Resource::new(format!("edition-{}", i + 1), xhtml::edition_href(i), XHTML, bytes).spine());
    }
    resources.push(Resource::new(
        "css",
        xhtml::STYLESHEET_HREF,
        "text/css",
        css::stylesheet(&faces, crate::model::Convention::of(&bulletin.meta.language)).into_bytes(),
    ));
    resources.push(
        Resource::new(
            "cover-image",
            cover::COVER_IMAGE_HREF,
            "image/svg+xml",
            cover::svg(bulletin)?,
        )
        .properties("cover-image"),
    );
    for (i, (href, image)) in images.iter().enumerate() {
        resources.push(Resource::new(
            format!("photo-{}", i + 1),
            href,
            image.format.mime(),
            image.bytes.as_slice(),
        ));
    }
    resources.extend(font_resources);
    if options.ncx {
        let ncx = nav::ncx(bulletin, &labels::identifier(bulletin), &toc)?;
        resources.push(Resource::new("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx));
    }

    let modified = options
        .modified
        .unwrap_or_else(|| Timestamp::from_date(bulletin.meta.date));
    let package = package::document(bulletin, &resources, modified, !page_targets.is_empty())?;
    container::zip(&package, &resources, modified)
}
