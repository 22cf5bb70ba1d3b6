//! The library archive: one issue as a BagIt bag holding METS (with MODS), ALTO per page, the PDF, the EPUB and the photos.
//!
//! The archive is built from the model, the laid-out pages and the other products' bytes; it
//! never lays out, measures or re-parses anything. [`render_archive`] returns the bag's files in a
//! fixed order and writes nothing: the CLI puts them on disk. See `docs/archive.md` for the
//! package layout and the METS profile (LoC NDNP issue and page levels, the National Library of
//! Australia's article level).

mod alto;
mod bagit;
mod mets;
mod mods;
mod xml;

use rayon::prelude::*;

use crate::layout::FontBook;
use crate::layout::flow::PageLayout;
use crate::media::MediaBag;
use crate::model::{Bulletin, Date, Timestamp};
use crate::render::{Print, RenderContext};

pub use bagit::{BagEntry, BagProblem, verify_bag, verify_bag_entries};

/// The software named in METS agents, ALTO processing and `bag-info.txt`.
const SOFTWARE: &str = "zhiban";
/// Its version, fixed at build time (no run-time facts enter the archive).
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One finished product to put into the bag: its file name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// File name inside `data/` (no folders), e.g. `shifanqu-2020-12-28.pdf`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The other renderers' output the archive packs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Products {
    /// The print PDF (pages in the order of the laid-out pages).
    pub pdf: Product,
    /// The EPUB, when one was made.
    pub epub: Option<Product>,
}

/// Choices for the archive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// The moment for METS dates, ALTO processing dates and `Bagging-Date` (the caller reads
    /// `SOURCE_DATE_EPOCH`, [`Timestamp::from_source_date_epoch`]); `None` uses the issue date
    /// at 00:00 UTC.
    pub timestamp: Option<Timestamp>,
    /// METS `OBJID` and BagIt `External-Identifier`; `None` derives one from the PDF's name.
    pub object_id: Option<String>,
}

/// One file of a bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagFile {
    /// Path relative to the bag's root, `/`-separated, e.g. `data/alto/0001.xml`.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A whole BagIt bag in memory: tag files first, then the payload sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bag {
    /// The files, in a fixed order.
    pub files: Vec<BagFile>,
}

impl Bag {
    /// The bytes of the file at `path`, if the bag has it.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.iter().find(|f| f.path == path).map(|f| f.bytes.as_slice())
    }
}

/// Why the archive could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArchiveError {
    /// A product's file name cannot be used inside the bag.
    BadName {
        /// The name as given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The context has no print layout: ALTO describes the layout's pages.
    NotLaidOut,
    /// The XML writer failed (it writes to memory, so this means a bug in the builder's use).
    Xml(String),
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveError::BadName { name, reason } => {
                write!(f, "product name `{name}` cannot be used in the bag: {reason}")
            }
            ArchiveError::NotLaidOut => {
                f.write_str("the issue was not laid out: the archive describes the layout's pages")
            }
            ArchiveError::Xml(m) => write!(f, "archive XML cannot be written: {m}"),
        }
    }
}

impl std::error::Error for ArchiveError {}

/// A moment in UTC, as the archive writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The calendar day.
    pub(crate) date: Date,
    /// Seconds since midnight.
    pub(crate) seconds: u32,
}

impl Stamp {
    /// The moment `timestamp`, or the issue date at midnight UTC.
    fn new(timestamp: Option<Timestamp>, issue: Date) -> Stamp {
        let Some(t) = timestamp else {
            return Stamp {
                date: issue,
                seconds: 0,
            };
        };
        let (y, mo, d, h, mi, sec) = t.civil();
        Stamp {
            // A timestamp lies in 1980–9999, so its day is a date of the model's calendar.
            date: Date::new(y, mo, d).unwrap_or(issue),
            seconds: u32::from(h) * 3600 + u32::from(mi) * 60 + u32::from(sec),
        }
    }

    /// ISO 8601 / `xsd:dateTime` in UTC, e.g. `2020-12-28T00:00:00Z`.
    pub(crate) fn date_time(self) -> String {
        let s = self.seconds;
        format!("{}T{:02}:{:02}:{:02}Z", self.date, s / 3600, s / 60 % 60, s % 60)
    }
}

/// Checks that `name` is a plain file name that is safe on every file system and in manifests.
fn check_name(name: &str) -> Result<(), ArchiveError> {
    let bad = |reason| {
        Err(ArchiveError::BadName {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() || name == "." || name == ".." {
        return bad("it is empty or a folder name");
    }
    if name
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control() || c == '%')
    {
        return bad("it holds a slash, a backslash, a percent sign or a control character");
    }
    if ["mets.xml", "alto", "photos"].contains(&name) {
        return bad("the archive uses that name itself");
    }
    Ok(())
}

/// Everything the METS, ALTO and bag writers share.
pub(crate) struct Context<'a> {
    /// The issue.
    pub(crate) bulletin: &'a Bulletin,
    /// The laid-out pages.
    pub(crate) pages: &'a [PageLayout],
    /// The fonts the pages use.
    pub(crate) book: &'a FontBook,
    /// When the archive was made.
    pub(crate) stamp: Stamp,
    /// The PDF's file name inside `data/`.
    pub(crate) pdf_name: &'a str,
    /// METS `OBJID`.
    pub(crate) object_id: String,
    /// Payload path (relative to `data/`) and METS file id of each photo, by `src`.
    pub(crate) photos: Vec<Photo>,
}

/// A photo as the archive holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Photo {
    /// The `src` figures name it by.
    pub(crate) src: String,
    /// Its path relative to `data/`, e.g. `photos/coffee.jpg`.
    pub(crate) path: String,
    /// Its METS file id.
    pub(crate) file_id: String,
    /// Its media type, from the image's content.
    pub(crate) mime: &'static str,
}

impl Context<'_> {
    /// The METS file id of the photo figures call `src`.
    pub(crate) fn photo_id(&self, src: &str) -> Option<&str> {
        self.photos.iter().find(|p| p.src == src).map(|p| p.file_id.as_str())
    }
}

/// File name of each photo in `data/photos/`: the `src` file name reduced to ASCII letters,
/// digits, `-` and `_`, with the extension of the actual format and a counter on clashes.
fn photo_paths(media: &MediaBag) -> Vec<Photo> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, (src, m)) in media.iter().enumerate() {
        let file = src.rsplit('/').next().unwrap_or(src);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let mut base: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.trim_matches('_').is_empty() {
            base = format!("photo-{}", i + 1);
        }
        let ext = m.format.extension();
        let mut name = format!("{base}.{ext}");
        let mut n = 1;
        while !used.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}.{ext}");
        }
        out.push(Photo {
            src: src.to_string(),
            path: format!("photos/{name}"),
            file_id: format!("IMG_{:04}", i + 1),
            mime: m.format.mime(),
        });
    }
    out
}

/// Path of page `index`'s (from 0) ALTO file, relative to `data/`.
pub(crate) fn alto_path(index: usize) -> String {
    format!("alto/{:04}.xml", index + 1)
}

/// Build the archive of one issue: METS + MODS, ALTO per page and the products, as a BagIt bag.
///
/// `pages` must be the pages the PDF in `products` was drawn from, in order. The same as
/// [`prepare_archive`], [`ArchiveDraft::add_epub`] and [`ArchiveDraft::finish`] in turn.
pub fn render_archive(
    cx: &RenderContext<'_>,
    products: &Products,
    options: &ArchiveOptions,
) -> Result<Bag, ArchiveError> {
    let mut draft = prepare_archive(cx, &products.pdf.name, options)?;
    if let Some(epub) = &products.epub {
        draft.add_epub(&epub.name, epub.bytes.clone())?;
    }
    draft.finish(products.pdf.bytes.clone())
}

/// The ALTO file of each page, written one after another on the calling thread, as
/// [`prepare_archive`] writes them side by side. For measurements.
#[doc(hidden)]
pub fn render_alto_pages(
    rc: &RenderContext<'_>,
    pdf_name: &str,
    options: &ArchiveOptions,
) -> Result<Vec<Vec<u8>>, ArchiveError> {
    let cx = context(rc, pdf_name, options)?;
    cx.pages
        .iter()
        .enumerate()
        .map(|(i, page)| alto::render_alto(&cx, i, page).map(|a| a.bytes))
        .collect()
}

/// The shared context of an archive whose PDF will be called `pdf_name`.
fn context<'a>(
    rc: &RenderContext<'a>,
    pdf_name: &'a str,
    options: &ArchiveOptions,
) -> Result<Context<'a>, ArchiveError> {
    let (bulletin, media) = (rc.bulletin, rc.media);
    let Some(Print { pages, book, .. }) = rc.print else {
        return Err(ArchiveError::NotLaidOut);
    };
    check_name(pdf_name)?;
    let stamp = Stamp::new(options.timestamp, bulletin.meta.date);
    let object_id = options
        .object_id
        .clone()
        .unwrap_or_else(|| pdf_name.rsplit_once('.').map_or(pdf_name, |(s, _)| s).to_string());
    Ok(Context {
        bulletin,
        pages,
        book,
        stamp,
        pdf_name,
        object_id,
        photos: photo_paths(media),
    })
}

/// An archive made as far as it can be without the PDF's bytes: ALTO of every page, the photos
/// (and the EPUB, once added) hashed. A caller that makes the PDF meanwhile (on another thread)
/// then needs only [`ArchiveDraft::finish`], which hashes the PDF and writes METS and the tag
/// files.
pub struct ArchiveDraft<'a> {
    cx: Context<'a>,
    /// The ALTO pages' block ids, for METS (their bytes are in `payload`).
    altos: Vec<alto::AltoPage>,
    /// Payload files so far, by path relative to `data/`, each hashed once.
    payload: Vec<bagit::Hashed>,
    /// The EPUB's file name, once added.
    epub_name: Option<String>,
}

impl std::fmt::Debug for ArchiveDraft<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveDraft")
            .field("pdf_name", &self.cx.pdf_name)
            .field("pages", &self.altos.len())
            .field("payload", &self.payload.iter().map(|p| &p.path).collect::<Vec<_>>())
            .finish()
    }
}

/// Start the archive of one issue whose PDF will be called `pdf_name` inside `data/`: ALTO
/// pages are written side by side, photos hashed. `pages` must be the pages the PDF is drawn
/// from, in order.
pub fn prepare_archive<'a>(
    rc: &RenderContext<'a>,
    pdf_name: &'a str,
    options: &ArchiveOptions,
) -> Result<ArchiveDraft<'a>, ArchiveError> {
    let cx = context(rc, pdf_name, options)?;
    let (pages, media) = (cx.pages, rc.media);
    // Pages are independent: their ALTO files are written side by side, collected in page
    // order; so are the photos' checksums.
    let (altos, photos) = rayon::join(
        || {
            pages
                .par_iter()
                .enumerate()
                .map(|(i, page)| alto::render_alto(&cx, i, page))
                .collect::<Result<Vec<_>, _>>()
        },
        || {
            cx.photos
                .par_iter()
                .filter_map(|photo| {
                    let m = media.get(&photo.src)?;
                    Some(bagit::Hashed::new(photo.path.clone(), m.bytes.to_vec()))
                })
                .collect::<Vec<_>>()
        },
    );
    let mut altos = altos?;
    // The ALTO bytes move into the payload; METS needs only the pages' block ids.
    let mut payload: Vec<bagit::Hashed> = altos
        .par_iter_mut()
        .enumerate()
        .map(|(i, alto)| bagit::Hashed::new(alto_path(i), std::mem::take(&mut alto.bytes)))
        .collect();
    payload.extend(photos);
    Ok(ArchiveDraft {
        cx,
        altos,
        payload,
        epub_name: None,
    })
}

impl ArchiveDraft<'_> {
    /// The payload files the draft holds so far, as the finished bag will hold them (paths
    /// relative to the bag's root, `data/…`): a caller may write them while the PDF is still
    /// being made.
    pub fn payload_so_far(&self) -> impl Iterator<Item = (String, &[u8])> {
        self.payload
            .iter()
            .map(|f| (bagit::payload_path(&f.path), f.bytes.as_slice()))
    }

    /// Where the finished bag will hold the PDF, relative to the bag's root (`data/…`): a caller
    /// may write the PDF's copy there while [`ArchiveDraft::finish`] makes the rest.
    pub fn pdf_path(&self) -> String {
        bagit::payload_path(self.cx.pdf_name)
    }

    /// Add the EPUB, `name` inside `data/`, and hash it.
    pub fn add_epub(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), ArchiveError> {
        check_name(name)?;
        if name == self.cx.pdf_name {
            return Err(ArchiveError::BadName {
                name: name.to_string(),
                reason: "the PDF has the same name",
            });
        }
        if self.epub_name.is_some() {
            return Err(ArchiveError::BadName {
                name: name.to_string(),
                reason: "the archive has an EPUB already",
            });
        }
        self.payload.push(bagit::Hashed::new(name.to_string(), bytes));
        self.epub_name = Some(name.to_string());
        Ok(())
    }

    /// Add the PDF, drawn from the draft's pages, and finish the bag: METS and the tag files.
    pub fn finish(self, pdf: Vec<u8>) -> Result<Bag, ArchiveError> {
        let ArchiveDraft {
            cx,
            altos,
            mut payload,
            epub_name,
        } = self;
        payload.push(bagit::Hashed::new(cx.pdf_name.to_string(), pdf));
        payload.sort_by(|a, b| a.path.cmp(&b.path));
        let mets = mets::render_mets(&cx, &altos, &payload, epub_name.as_deref())?;
        payload.push(bagit::Hashed::new("mets.xml".to_string(), mets));
        payload.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(bagit::make_bag(&cx, payload))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_the_timestamp_or_the_issue_date() {
        let t = Timestamp::from_unix_seconds(1_609_113_600 + 3_723).expect("in range");
        let issue = Date::new(2000, 1, 1).expect("d");
        assert_eq!(Stamp::new(Some(t), issue).date_time(), "2020-12-28T01:02:03Z");
        assert_eq!(Stamp::new(None, issue).date_time(), "2000-01-01T00:00:00Z");
    }

    #[test]
    fn product_names_are_checked() {
        assert!(check_name("a.pdf").is_ok());
        for bad in ["", "..", "a/b.pdf", "mets.xml", "a\nb", "50%.pdf"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
