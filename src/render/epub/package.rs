//! The package document (EPUB 3.3 §5): metadata, accessibility metadata, manifest and spine.

use crate::model::{Bulletin, Item, items_flat, plain_text};

use super::labels::{identifier, issue_line, issue_urn, title};
use super::xml::Xml;
use super::{EpubError, Resource};
use crate::model::Timestamp;

/// The package document's path in the container.
pub(super) const PACKAGE_PATH: &str = "EPUB/package.opf";

/// The prefix of Apple's package vocabulary (`ibooks:specified-fonts`), declared as EPUB 3.3
/// §D.2 requires for prefixes that are not reserved.
const IBOOKS_PREFIX: &str = "ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/";

/// What the package says about accessibility (EPUB Accessibility 1.1 §2, schema.org
/// accessibility properties).
struct Accessibility {
    modes: Vec<&'static str>,
    sufficient: Vec<&'static str>,
    features: Vec<&'static str>,
    summary: String,
}

fn accessibility(bulletin: &Bulletin, has_images: bool, has_pages: bool) -> Accessibility {
    let mut modes = vec!["textual"];
    let mut sufficient = vec!["textual"];
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if has_images {
        modes.push("visual");
        sufficient.push("textual,visual");
        features.push("alternativeText");
    }
    if has_pages {
        // `printPageNumbers` is the name the brief and older tools use; the current vocabulary
        // splits it into `pageBreakMarkers` and `pageNavigation`. All three are listed.
        features.extend(["printPageNumbers", "pageBreakMarkers", "pageNavigation"]);
    }
    let mut summary = format!(
        "本电子版为{}的可重排文本，按版面分章，目录列出各版及每篇文章标题；文字可放大、换字体，不依赖颜色传达信息。",
        title(bulletin)
    );
    if has_images {
        summary.push_str("每张新闻照片都有描述画面的替代文字，图片说明与摄影署名以文字显示在照片下方。");
    }
    if has_pages {
        summary.push_str("页码列表与分页标记对应印刷版版次，可按“第N版”引用。");
    }
    summary.push_str("无闪烁、声音或动画。");
    Accessibility {
        modes,
        sufficient,
        features,
        summary,
    }
}

/// The package document for `resources`, which are listed in manifest and spine order.
pub(super) fn document(
    bulletin: &Bulletin,
    resources: &[Resource<'_>],
    modified: Timestamp,
    has_pages: bool,
) -> Result<Vec<u8>, EpubError> {
    let meta = &bulletin.meta;
    let lang = meta.language.as_str();
    let has_fonts = resources.iter().any(|r| r.media_type.starts_with("font/"));
    let mut x = Xml::new()?;
    let mut attrs = vec![
        ("xmlns", "http://www.idpf.org/2007/opf"),
        ("version", "3.0"),
        ("unique-identifier", "pub-id"),
        ("xml:lang", lang),
        ("dir", "ltr"),
    ];
    if has_fonts {
        attrs.push(("prefix", IBOOKS_PREFIX));
    }
    x.open("package", &attrs)?;
    x.raw("\n");
    x.open("metadata", &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")])?;
    x.raw("\n");
    // The identifier is a hash of publication, date and issue numbers: the same every build.
    x.element_line("dc:identifier", &[("id", "pub-id")], &identifier(bulletin))?;
    x.element_line("dc:title", &[("id", "title")], &title(bulletin))?;
    x.element_line("meta", &[("refines", "#title"), ("property", "title-type")], "main")?;
    x.element_line("dc:language", &[], lang)?;
    x.element_line("dc:date", &[], &meta.date.to_string())?;
    // A district paper's masthead names its publisher when no sponsor (主办) is given.
    let publisher = meta.publisher.as_deref().unwrap_or(&meta.publication).trim();
    x.element_line("dc:publisher", &[], publisher)?;
    for (i, editor) in meta.editors.iter().enumerate() {
        let id = format!("editor-{}", i + 1);
        let refines = format!("#{id}");
        x.element_line("dc:contributor", &[("id", &id)], editor.name.trim())?;
        x.element_line(
            "meta",
            &[("refines", &refines), ("property", "role"), ("scheme", "marc:relators")],
            "edt",
        )?;
    }
    x.element_line("dc:description", &[], &description(bulletin))?;
    // The print issue the page list refers to: `dc:source`, and the incubating
    // `pageBreakSource` (W3C Page Source Identification draft, accepted by EPUBCheck 5).
    let source = format!("{}:print", issue_urn(bulletin));
    x.element_line("dc:source", &[("id", "print-source")], &source)?;
    if let Some(issn) = meta.issn.as_deref().filter(|i| !i.trim().is_empty()) {
        x.element_line("dc:relation", &[], &format!("urn:issn:{}", issn.trim()))?;
    }
    x.element_line("meta", &[("property", "dcterms:modified")], &modified.to_w3cdtf())?;
    // The issue is one of a series (EPUB 3.3 §D.3.5 belongs-to-collection).
    x.element_line(
        "meta",
        &[("property", "belongs-to-collection"), ("id", "series")],
        meta.publication.trim(),
    )?;
    x.element_line(
        "meta",
        &[("refines", "#series"), ("property", "collection-type")],
        "series",
    )?;
    if let Some(issue) = meta.total_issue.or(meta.issue) {
        x.element_line(
            "meta",
            &[("refines", "#series"), ("property", "group-position")],
            &issue.to_string(),
        )?;
    }

    let has_images = resources
        .iter()
        .any(|r| r.media_type.starts_with("image/") && r.properties != Some("cover-image"));
    let a11y = accessibility(bulletin, has_images, has_pages);
    for mode in &a11y.modes {
        x.element_line("meta", &[("property", "schema:accessMode")], mode)?;
    }
    for set in &a11y.sufficient {
        x.element_line("meta", &[("property", "schema:accessModeSufficient")], set)?;
    }
    for feature in &a11y.features {
        x.element_line("meta", &[("property", "schema:accessibilityFeature")], feature)?;
    }
    x.element_line("meta", &[("property", "schema:accessibilityHazard")], "none")?;
    x.element_line("meta", &[("property", "schema:accessibilitySummary")], &a11y.summary)?;
    if has_pages {
        x.element_line("meta", &[("property", "pageBreakSource")], &source)?;
    }
    if has_fonts {
        // Apple Books shows embedded fonts only when told the publisher chose them.
        x.element_line("meta", &[("property", "ibooks:specified-fonts")], "true")?;
    }
    x.close_line("metadata")?;

    x.open("manifest", &[])?;
    x.raw("\n");
    for r in resources {
        let mut attrs = vec![
            ("id", r.id.as_str()),
            ("href", r.href.as_str()),
            ("media-type", r.media_type),
        ];
        if let Some(properties) = r.properties {
            attrs.push(("properties", properties));
        }
        x.empty("item", &attrs)?;
        x.raw("\n");
    }
    x.close_line("manifest")?;

    let ncx = resources.iter().find(|r| r.media_type == "application/x-dtbncx+xml");
    let mut spine_attrs = vec![("page-progression-direction", "ltr")];
    if let Some(ncx) = ncx {
        spine_attrs.push(("toc", ncx.id.as_str()));
    }
    x.open("spine", &spine_attrs)?;
    x.raw("\n");
    for r in resources.iter().filter(|r| r.in_spine) {
        let mut attrs = vec![("idref", r.id.as_str())];
        if r.auxiliary {
            attrs.push(("linear", "no"));
        }
        x.empty("itemref", &attrs)?;
        x.raw("\n");
    }
    x.close_line("spine")?;
    x.close_line("package")?;
    Ok(x.finish())
}

/// `dc:description`: the issue line and the headlines of the first edition.
fn description(bulletin: &Bulletin) -> String {
    let mut text = format!("{} {}。", bulletin.meta.publication.trim(), issue_line(bulletin));
    if let Some(edition) = bulletin.editions.first() {
        let headlines: Vec<String> = items_flat(&edition.items)
            .filter_map(|item| match item {
                Item::Article(a) => Some(plain_text(&a.headline).trim().to_string()),
                _ => None,
            })
            .collect();
        if !headlines.is_empty() {
            text.push_str(&format!("本期要目：{}。", headlines.join("；")));
        }
    }
    text
}
