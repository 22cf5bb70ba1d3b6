//! The issue's METS 1.12 file: MODS records, the file inventory, and physical and logical maps.
//!
//! The physical map follows LoC NDNP (`np:issue` → `np:page`, each page pointing at its ALTO and
//! its PDF page); the logical map follows the National Library of Australia's article level
//! (issue → edition → section → article, each pointing with `area BETYPE="IDREF"` at the ALTO
//! blocks that hold it, in reading order and across pages).

use std::collections::BTreeMap;

use super::alto::AltoPage;
use super::bagit::Hashed;
use super::xml::{XmlBuilder, attrs};
use super::{ArchiveError, Context, SOFTWARE, VERSION, alto_path, mods};
use crate::layout::flow::BlockKind;
use crate::model::{Block, Edition, Item, plain_text};

/// METS namespace.
const METS_NS: &str = "http://www.loc.gov/METS/";
/// MODS namespace.
const MODS_NS: &str = "http://www.loc.gov/mods/v3";
/// Schema locations of METS 1.12 and MODS 3.8.
const SCHEMA_LOCATION: &str = "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-8.xsd";

/// METS file id of the whole PDF.
const PDF_ID: &str = "PDF";
/// METS file id of the EPUB.
const EPUB_ID: &str = "EPUB";

/// An ALTO block holding part of a model element.
#[derive(Debug, Clone)]
struct Area {
    /// Page index, from 0.
    page: usize,
    /// The ALTO block id.
    block: String,
    /// What the block is.
    kind: BlockKind,
}

/// Physical page div id of page `index` (from 0).
fn phys_id(index: usize) -> String {
    format!("PHYS_{:04}", index + 1)
}

/// ALTO file id of page `index` (from 0).
fn alto_id(index: usize) -> String {
    format!("ALTO_{:04}", index + 1)
}

/// The areas of every model element, by owner id, in page and reading order.
fn areas_by_owner(cx: &Context<'_>, altos: &[AltoPage]) -> BTreeMap<String, Vec<Area>> {
    let mut out: BTreeMap<String, Vec<Area>> = BTreeMap::new();
    for (pi, (layout, alto)) in cx.pages.iter().zip(altos).enumerate() {
        for (block, id) in layout.blocks().iter().zip(&alto.block_ids) {
            if let Some(id) = id {
                out.entry(block.owner.clone()).or_default().push(Area {
                    page: pi,
                    block: id.clone(),
                    kind: block.kind,
                });
            }
        }
    }
    out
}

/// A described element of the logical map: an article or a photo news item, with where it is.
enum Described<'a> {
    Article(&'a crate::model::Article, mods::Placement<'a>),
    Photo(&'a crate::model::Figure, mods::Placement<'a>),
}

/// Pages (from 1) an owner's areas lie on, in order, once each.
fn pages_of(areas: Option<&Vec<Area>>) -> Vec<usize> {
    let mut pages: Vec<usize> = areas.into_iter().flatten().map(|a| a.page + 1).collect();
    pages.dedup();
    pages
}

/// Every article and photo news item, in reading order, with its placement.
fn described<'a>(cx: &Context<'a>, areas: &BTreeMap<String, Vec<Area>>) -> Vec<Described<'a>> {
    let mut out = Vec::new();
    for edition in &cx.bulletin.editions {
        let mut visit = |item: &'a Item, section: Option<&'a str>| {
            let place = |id: &str| mods::Placement {
                edition,
                section,
                pages: pages_of(areas.get(id)),
            };
            match item {
                Item::Article(a) => out.push(Described::Article(a, place(&a.id))),
                Item::PhotoNews(f) => out.push(Described::Photo(f, place(&f.id))),
                Item::Section(_) | Item::Furniture(_) => {}
            }
        };
        for item in &edition.items {
            match item {
                Item::Section(s) => s.items.iter().for_each(|i| visit(i, Some(s.title.as_str()))),
                other => visit(other, None),
            }
        }
    }
    out
}

/// Writes a `dmdSec` wrapping one MODS record.
fn dmd_sec(x: &mut XmlBuilder, id: &str, write: impl FnOnce(&mut XmlBuilder)) {
    x.start("mets:dmdSec", &attrs!["ID" => id]);
    x.start("mets:mdWrap", &attrs!["MDTYPE" => "MODS", "MIMETYPE" => "text/xml"]);
    x.start("mets:xmlData", &[]);
    write(x);
    x.end();
    x.end();
    x.end();
}

/// Writes one `mets:file` with size and SHA-256 of its payload file (none if the payload lacks
/// it, which the callers rule out).
fn file(
    x: &mut XmlBuilder,
    id: &str,
    mime: &str,
    href: &str,
    payload: Option<&Hashed>,
    nested: impl FnOnce(&mut XmlBuilder),
) {
    let (size, sha256) = payload.map_or((0, ""), |f| (f.bytes.len(), f.sha256.as_str()));
    x.start(
        "mets:file",
        &attrs![
            "ID" => id,
            "MIMETYPE" => mime,
            "SIZE" => size,
            "CHECKSUM" => sha256,
            "CHECKSUMTYPE" => "SHA-256",
        ],
    );
    x.empty("mets:FLocat", &attrs!["LOCTYPE" => "URL", "xlink:href" => href]);
    nested(x);
    x.end();
}

/// Writes an `fptr` to the given areas (one `area`, or several in a `seq`); nothing if none.
fn fptr(x: &mut XmlBuilder, areas: &[&Area]) {
    let area = |x: &mut XmlBuilder, a: &Area| {
        x.empty(
            "mets:area",
            &attrs!["FILEID" => alto_id(a.page), "BETYPE" => "IDREF", "BEGIN" => a.block],
        );
    };
    match areas {
        [] => {}
        [one] => {
            x.start("mets:fptr", &[]);
            area(x, one);
            x.end();
        }
        many => {
            x.start("mets:fptr", &[]);
            x.start("mets:seq", &[]);
            for a in many {
                area(x, a);
            }
            x.end();
            x.end();
        }
    }
}

/// Writes the METS file; `payload` holds every other payload file by its path under `data/`,
/// among them the PDF and, when there is one, the EPUB (`epub_name`).
pub(crate) fn render_mets(
    cx: &Context<'_>,
    altos: &[AltoPage],
    payload: &[Hashed],
    epub_name: Option<&str>,
) -> Result<Vec<u8>, ArchiveError> {
    let m = &cx.bulletin.meta;
    let find = |path: &str| payload.iter().find(|f| f.path == path);
    let areas = areas_by_owner(cx, altos);
    let described = described(cx, &areas);

    let mut x = XmlBuilder::new();
    x.start(
        "mets:mets",
        &attrs![
            "xmlns:mets" => METS_NS,
            "xmlns:mods" => MODS_NS,
            "xmlns:xlink" => "http://www.w3.org/1999/xlink",
            "xmlns:xsi" => "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation" => SCHEMA_LOCATION,
            "OBJID" => cx.object_id,
            "TYPE" => "Newspaper",
            "LABEL" => format!("{} {}", m.publication, m.date),
        ],
    );
    let date = cx.stamp.date_time();
    x.start("mets:metsHdr", &attrs!["CREATEDATE" => date, "LASTMODDATE" => date]);
    if let Some(p) = &m.publisher {
        x.start("mets:agent", &attrs!["ROLE" => "CREATOR", "TYPE" => "ORGANIZATION"]);
        x.text("mets:name", &[], p);
        x.end();
    }
    x.start(
        "mets:agent",
        &attrs!["ROLE" => "CREATOR", "TYPE" => "OTHER", "OTHERTYPE" => "SOFTWARE"],
    );
    x.text("mets:name", &[], &format!("{SOFTWARE} {VERSION}"));
    x.end();
    x.end();

    dmd_sec(&mut x, "DMD_ISSUE", |x| mods::write_issue(x, cx));
    for (i, layout) in cx.pages.iter().enumerate() {
        dmd_sec(&mut x, &format!("DMD_PAGE_{:04}", i + 1), |x| {
            mods::write_page(x, i, &layout.label)
        });
    }
    for d in &described {
        match d {
            Described::Article(a, at) => {
                dmd_sec(&mut x, &format!("DMD_{}", a.id), |x| mods::write_article(x, cx, a, at))
            }
            Described::Photo(f, at) => dmd_sec(&mut x, &format!("DMD_{}", f.id), |x| mods::write_photo(x, cx, f, at)),
        }
    }

    // The file inventory.
    x.start("mets:fileSec", &[]);
    x.start("mets:fileGrp", &attrs!["USE" => "print"]);
    let pdf_name = cx.pdf_name;
    file(&mut x, PDF_ID, "application/pdf", pdf_name, find(pdf_name), |x| {
        // Each page as its own pointer, with the PDF fragment identifier of RFC 8118.
        for i in 0..cx.pages.len() {
            x.start(
                "mets:file",
                &attrs!["ID" => format!("PDF_{:04}", i + 1), "MIMETYPE" => "application/pdf"],
            );
            x.empty(
                "mets:FLocat",
                &attrs!["LOCTYPE" => "URL", "xlink:href" => format!("{pdf_name}#page={}", i + 1)],
            );
            x.end();
        }
    });
    x.end();
    x.start("mets:fileGrp", &attrs!["USE" => "ocr"]);
    for i in 0..cx.pages.len() {
        let path = alto_path(i);
        file(&mut x, &alto_id(i), "text/xml", &path, find(&path), |_| {});
    }
    x.end();
    if let Some(epub) = epub_name {
        x.start("mets:fileGrp", &attrs!["USE" => "reading"]);
        file(&mut x, EPUB_ID, "application/epub+zip", epub, find(epub), |_| {});
        x.end();
    }
    if !cx.photos.is_empty() {
        x.start("mets:fileGrp", &attrs!["USE" => "image"]);
        for photo in &cx.photos {
            file(
                &mut x,
                &photo.file_id,
                photo.mime,
                &photo.path,
                find(&photo.path),
                |_| {},
            );
        }
        x.end();
    }
    x.end();

    // Physical: issue → page (NDNP).
    x.start("mets:structMap", &attrs!["TYPE" => "PHYSICAL", "LABEL" => "pages"]);
    x.start("mets:div", &attrs!["TYPE" => "np:issue", "DMDID" => "DMD_ISSUE"]);
    for (i, layout) in cx.pages.iter().enumerate() {
        x.start(
            "mets:div",
            &attrs![
                "TYPE" => "np:page",
                "ID" => phys_id(i),
                "ORDER" => i + 1,
                "ORDERLABEL" => layout.label,
                "DMDID" => format!("DMD_PAGE_{:04}", i + 1),
            ],
        );
        x.empty("mets:fptr", &attrs!["FILEID" => alto_id(i)]);
        x.empty("mets:fptr", &attrs!["FILEID" => format!("PDF_{:04}", i + 1)]);
        x.end();
    }
    x.end();
    x.end();

    // Logical: issue → edition → section → article (NLA article level).
    x.start("mets:structMap", &attrs!["TYPE" => "LOGICAL", "LABEL" => "articles"]);
    x.start("mets:div", &attrs!["TYPE" => "Newspaper", "LABEL" => m.publication]);
    x.start(
        "mets:div",
        &attrs!["TYPE" => "Issue", "ID" => "LOG_ISSUE", "DMDID" => "DMD_ISSUE", "LABEL" => m.date],
    );
    for (ei, edition) in cx.bulletin.editions.iter().enumerate() {
        write_edition(&mut x, ei, edition, &areas);
    }
    x.end();
    x.end();
    x.end();

    // Links from each article and photo to the pages it is printed on.
    let mut links = Vec::new();
    for d in &described {
        let (id, at) = match d {
            Described::Article(a, at) => (&a.id, at),
            Described::Photo(f, at) => (&f.id, at),
        };
        for &p in &at.pages {
            links.push((format!("LOG_{id}"), phys_id(p - 1)));
        }
    }
    if !links.is_empty() {
        x.start("mets:structLink", &[]);
        for (from, to) in links {
            x.empty("mets:smLink", &attrs!["xlink:from" => from, "xlink:to" => to]);
        }
        x.end();
    }
    x.end();
    x.finish()
}

/// The areas of `owner` whose kind passes `keep`.
fn select<'a>(areas: &'a BTreeMap<String, Vec<Area>>, owner: &str, keep: impl Fn(BlockKind) -> bool) -> Vec<&'a Area> {
    areas
        .get(owner)
        .into_iter()
        .flatten()
        .filter(|a| keep(a.kind))
        .collect()
}

/// Writes an edition's logical div and everything in it.
fn write_edition(x: &mut XmlBuilder, index: usize, edition: &Edition, areas: &BTreeMap<String, Vec<Area>>) {
    let label = if edition.name.is_empty() {
        format!("第{}版", edition.number)
    } else {
        format!("第{}版 {}", edition.number, edition.name)
    };
    x.start(
        "mets:div",
        &attrs![
            "TYPE" => "Edition",
            "ID" => format!("LOG_{}", edition.id),
            "ORDER" => index + 1,
            "ORDERLABEL" => edition.number,
            "LABEL" => label,
        ],
    );
    for (n, item) in edition.items.iter().enumerate() {
        write_item(x, n + 1, item, areas);
    }
    x.end();
}

/// Writes the logical div of one item of an edition or section.
fn write_item(x: &mut XmlBuilder, order: usize, item: &Item, areas: &BTreeMap<String, Vec<Area>>) {
    match item {
        Item::Article(a) => {
            x.start(
                "mets:div",
                &attrs![
                    "TYPE" => "Article",
                    "ID" => format!("LOG_{}", a.id),
                    "DMDID" => format!("DMD_{}", a.id),
                    "ORDER" => order,
                    "LABEL" => plain_text(&a.headline),
                ],
            );
            let head = select(areas, &a.id, |k| k == BlockKind::Head);
            if !head.is_empty() {
                x.start("mets:div", &attrs!["TYPE" => "Heading"]);
                fptr(x, &head);
                x.end();
            }
            let body = select(areas, &a.id, |k| k != BlockKind::Head);
            if !body.is_empty() {
                x.start("mets:div", &attrs!["TYPE" => "Body"]);
                fptr(x, &body);
                x.end();
            }
            write_figures(x, &a.body, areas);
            x.end();
        }
        Item::PhotoNews(f) => {
            let label = if f.alt.is_empty() {
                "图片新闻".to_string()
            } else {
                f.alt.clone()
            };
            x.start(
                "mets:div",
                &attrs![
                    "TYPE" => "PhotoNews",
                    "ID" => format!("LOG_{}", f.id),
                    "DMDID" => format!("DMD_{}", f.id),
                    "ORDER" => order,
                    "LABEL" => label,
                ],
            );
            fptr(x, &select(areas, &f.id, |_| true));
            x.end();
        }
        Item::Section(s) => {
            x.start(
                "mets:div",
                &attrs![
                    "TYPE" => "Section",
                    "ID" => format!("LOG_{}", s.id),
                    "ORDER" => order,
                    "LABEL" => s.title.as_str(),
                ],
            );
            fptr(x, &select(areas, &s.id, |_| true));
            for (n, inner) in s.items.iter().enumerate() {
                write_item(x, n + 1, inner, areas);
            }
            x.end();
        }
        Item::Furniture(f) => {
            let mut a = attrs![
                "TYPE" => "Furniture",
                "ID" => format!("LOG_{}", f.id),
                "ORDER" => order,
            ]
            .to_vec();
            if let Some(t) = &f.title {
                a.push(("LABEL", t.as_str().to_string()));
            }
            x.start("mets:div", &a);
            fptr(x, &select(areas, &f.id, |_| true));
            write_figures(x, &f.body, areas);
            x.end();
        }
    }
}

/// Writes an `Illustration` div for each photo among `blocks` (photo with its caption blocks).
fn write_figures(x: &mut XmlBuilder, blocks: &[Block], areas: &BTreeMap<String, Vec<Area>>) {
    for block in blocks {
        if let Block::Figure(f) = block {
            let label = if f.alt.is_empty() {
                "图片".to_string()
            } else {
                f.alt.clone()
            };
            x.start(
                "mets:div",
                &attrs!["TYPE" => "Illustration", "ID" => format!("LOG_{}", f.id), "LABEL" => label],
            );
            fptr(x, &select(areas, &f.id, |_| true));
            x.end();
        }
    }
}
