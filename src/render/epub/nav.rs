//! The navigation document (EPUB 3.3 §7): table of contents edition → article by headline,
//! landmarks and the print page list; and the same contents as an EPUB 2 NCX for old readers.

use crate::model::{Bulletin, Item, plain_text};

use super::EpubError;
use super::labels::{edition_label, photo_label, title};
use super::xhtml::{PageTarget, edition_href, open_document};
use super::xml::Xml;

/// The cover document's path.
pub(super) const COVER_HREF: &str = "cover.xhtml";
/// The navigation document's path.
pub(super) const NAV_HREF: &str = "nav.xhtml";

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TocEntry {
    /// What the reader sees: the headline, banner or edition name, never a file name.
    pub(super) label: String,
    /// `edition-01.xhtml#e1-a1`.
    pub(super) href: String,
    /// Entries under this one.
    pub(super) children: Vec<TocEntry>,
}

/// The table of contents: editions, their section banners, articles and photo news.
pub(super) fn toc(bulletin: &Bulletin) -> Vec<TocEntry> {
    bulletin
        .editions
        .iter()
        .enumerate()
        .map(|(i, edition)| {
            let href = edition_href(i);
            TocEntry {
                label: edition_label(edition),
                href: href.clone(),
                children: edition.items.iter().filter_map(|item| entry(&href, item)).collect(),
            }
        })
        .collect()
}

fn entry(href: &str, item: &Item) -> Option<TocEntry> {
    let (label, id, children) = match item {
        Item::Article(a) => {
            let headline = plain_text(&a.headline);
            let label = if headline.trim().is_empty() {
                "（无题）".into()
            } else {
                headline.trim().to_string()
            };
            (label, &a.id, vec![])
        }
        Item::PhotoNews(f) => (photo_label(f), &f.id, vec![]),
        Item::Section(s) => (
            s.title.as_str().trim().to_string(),
            &s.id,
            s.items.iter().filter_map(|i| entry(href, i)).collect(),
        ),
        // Notices and follow-us boxes are page furniture, not contents.
        Item::Furniture(_) => return None,
    };
    Some(TocEntry {
        label,
        href: format!("{href}#{id}"),
        children,
    })
}

/// The navigation document. It is also in the spine, as the visible 目录 after the cover; the
/// landmarks and the page list are `hidden` there (EPUB 3.3 §7.4.3).
pub(super) fn document(
    bulletin: &Bulletin,
    toc: &[TocEntry],
    pages: &[PageTarget],
    font_license: bool,
) -> Result<Vec<u8>, EpubError> {
    let mut x = open_document(&bulletin.meta.language, &format!("目录 · {}", title(bulletin)))?;
    x.open("body", &[])?;
    x.raw("\n");

    x.open(
        "nav",
        &[
            ("epub:type", "toc"),
            ("role", "doc-toc"),
            ("id", "toc"),
            ("aria-labelledby", "toc-title"),
        ],
    )?;
    x.raw("\n");
    x.element_line("h1", &[("id", "toc-title")], "目录")?;
    list(&mut x, toc)?;
    x.close_line("nav")?;
    if font_license {
        // The licence page of embedded fonts is non-linear; this link makes it reachable.
        x.open("p", &[("class", "font-license")])?;
        x.element("a", &[("href", super::fonts::LICENSE_HREF)], "字体许可")?;
        x.close_line("p")?;
    }

    x.open(
        "nav",
        &[
            ("epub:type", "landmarks"),
            ("id", "landmarks"),
            ("hidden", "hidden"),
            ("aria-labelledby", "landmarks-title"),
        ],
    )?;
    x.raw("\n");
    x.element_line("h2", &[("id", "landmarks-title")], "导览")?;
    x.open("ol", &[])?;
    x.raw("\n");
    let first = edition_href(0);
    for (kind, href, label) in [
        ("cover", COVER_HREF, "封面"),
        ("toc", "nav.xhtml#toc", "目录"),
        ("bodymatter", first.as_str(), "正文"),
    ] {
        x.open("li", &[])?;
        x.element("a", &[("epub:type", kind), ("href", href)], label)?;
        x.close_line("li")?;
    }
    x.close_line("ol")?;
    x.close_line("nav")?;

    if !pages.is_empty() {
        x.open(
            "nav",
            &[
                ("epub:type", "page-list"),
                ("role", "doc-pagelist"),
                ("id", "page-list"),
                ("hidden", "hidden"),
                ("aria-labelledby", "page-list-title"),
            ],
        )?;
        x.raw("\n");
        x.element_line("h2", &[("id", "page-list-title")], "印刷版页码")?;
        x.open("ol", &[])?;
        x.raw("\n");
        for page in pages {
            x.open("li", &[])?;
            x.element("a", &[("href", &page.href)], &page.label)?;
            x.close_line("li")?;
        }
        x.close_line("ol")?;
        x.close_line("nav")?;
    }
    x.close_line("body")?;
    x.close_line("html")?;
    Ok(x.finish())
}

fn list(x: &mut Xml, entries: &[TocEntry]) -> Result<(), EpubError> {
    x.open("ol", &[])?;
    x.raw("\n");
    for entry in entries {
        x.open("li", &[])?;
        x.element("a", &[("href", &entry.href)], &entry.label)?;
        if !entry.children.is_empty() {
            x.raw("\n");
            list(x, &entry.children)?;
        }
        x.close_line("li")?;
    }
    x.close_line("ol")
}

/// The EPUB 2 NCX (OPF 2.0.1 §2.4.1): the same table of contents for reading systems that
/// predate EPUB 3. It costs one small file and keeps their menus usable. The page list stays
/// in the navigation document only: an NCX page list would need play orders shared with the
/// table of contents.
pub(super) fn ncx(bulletin: &Bulletin, identifier: &str, toc: &[TocEntry]) -> Result<Vec<u8>, EpubError> {
    let mut x = Xml::new()?;
    x.open(
        "ncx",
        &[
            ("xmlns", "http://www.daisy.org/z3986/2005/ncx/"),
            ("version", "2005-1"),
            ("xml:lang", &bulletin.meta.language),
        ],
    )?;
    x.raw("\n");
    x.open("head", &[])?;
    let depth = if toc.iter().any(|e| e.children.iter().any(|c| !c.children.is_empty())) {
        "3"
    } else {
        "2"
    };
    for (name, content) in [
        ("dtb:uid", identifier),
        ("dtb:depth", depth),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ] {
        x.empty("meta", &[("name", name), ("content", content)])?;
    }
    x.close_line("head")?;
    x.open("docTitle", &[])?;
    x.element("text", &[], &title(bulletin))?;
    x.close_line("docTitle")?;
    x.open("navMap", &[])?;
    x.raw("\n");
    let mut order = 0;
    nav_points(&mut x, toc, &mut order)?;
    x.close_line("navMap")?;
    x.close_line("ncx")?;
    Ok(x.finish())
}

fn nav_points(x: &mut Xml, entries: &[TocEntry], order: &mut usize) -> Result<(), EpubError> {
    for entry in entries {
        *order += 1;
        let id = format!("np-{order}");
        let play_order = order.to_string();
        x.open("navPoint", &[("id", &id), ("playOrder", &play_order)])?;
        x.open("navLabel", &[])?;
        x.element("text", &[], &entry.label)?;
        x.close("navLabel")?;
        x.empty("content", &[("src", &entry.href)])?;
        x.raw("\n");
        nav_points(x, &entry.children, order)?;
        x.close_line("navPoint")?;
    }
    Ok(())
}
