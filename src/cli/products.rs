//! The back half of `build` and `batch`: the products of one laid-out issue as bytes, and their
//! atomic writing. Renderers run here in turn; an archive renderer joins after the EPUB and gets
//! the PDF and EPUB bytes already in the list.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zhiban::layout::flow::{BlockKind, PageLayout};
use zhiban::model::Bulletin;
use zhiban::render::archive::{ArchiveOptions, Bag, prepare_archive};
use zhiban::render::epub::{EmbedFonts, EpubOptions, FontFile, PrintPages, Timestamp, render_epub};
use zhiban::render::pdf::{PdfOptions, render_pdf};

use super::output::{Staged, Sync};
use super::pipeline::Prepared;
use super::report::render;
use super::{EXIT_INPUT, EXIT_IO, EXIT_USAGE};

/// Which products to make and how.
#[derive(Debug, Clone, Default)]
pub(crate) struct Products {
    /// The print PDF (`DIR/<stem>.pdf`).
    pub(crate) pdf: bool,
    /// The EPUB 3 (`DIR/<stem>.epub`).
    pub(crate) epub: bool,
    /// The library archive, a BagIt bag (`DIR/<stem>.bag/`); needs the PDF and EPUB bytes, which
    /// are made for it even when not written on their own.
    pub(crate) archive: bool,
    /// Subset fonts embedded in the EPUB.
    pub(crate) embed_fonts: bool,
    /// Crop marks in the PDF.
    pub(crate) marks: bool,
    /// PDF/A-2u.
    pub(crate) pdfa: bool,
}

impl Products {
    /// Every product, with default options.
    pub(crate) fn all() -> Self {
        Products {
            pdf: true,
            epub: true,
            archive: true,
            ..Products::default()
        }
    }
}

/// What a product is: one file's bytes, or a bag (a folder of files).
pub(crate) enum Data {
    /// A file.
    File(Vec<u8>),
    /// A BagIt bag, written as a folder.
    Bag(Bag),
}

/// One product: where it goes and what it is.
pub(crate) type Output = (PathBuf, Data);

/// Make the selected products of `prepared` as `dir/<stem>.<ext>`; messages go to `log`, a
/// failure returns the exit code and nothing is made.
pub(crate) fn make(
    prepared: &Prepared,
    products: &Products,
    dir: &Path,
    stem: &str,
    log: &mut String,
) -> Result<Vec<Output>, i32> {
    let mut outputs: Vec<Output> = Vec::new();
    let fail = |log: &mut String, e: &dyn std::fmt::Display| {
        let _ = writeln!(log, "error: {}: {e}", prepared.source.name);
        EXIT_INPUT
    };
    // The PDF and the EPUB need nothing of each other: made side by side (two cores halve the
    // build), each with its own log, joined in a fixed order so that messages never interleave.
    let make_pdf = || -> Result<Option<Vec<u8>>, (i32, String)> {
        if !(products.pdf || products.archive) {
            return Ok(None);
        }
        let options = PdfOptions {
            marks: products.marks,
            pdfa: products.pdfa,
        };
        super::timings::stage("pdf", || {
            render_pdf(
                &prepared.bulletin,
                &prepared.pages,
                &prepared.book,
                &prepared.media,
                &prepared.layout.spec,
                &options,
            )
        })
        .map(Some)
        .map_err(|e| {
            let mut log = String::new();
            (fail(&mut log, &e), log)
        })
    };
    let make_epub = || -> Result<Option<Vec<u8>>, (i32, String)> {
        if !(products.epub || products.archive) {
            return Ok(None);
        }
        let modified = Timestamp::from_source_date_epoch()
            .map_err(|e| (EXIT_USAGE, format!("error: SOURCE_DATE_EPOCH: {e}\n")))?;
        let embed_fonts = embedded_fonts(&prepared.book, products.embed_fonts, &prepared.source.text);
        let options = EpubOptions {
            modified,
            print_pages: Some(print_pages(&prepared.bulletin, &prepared.pages)),
            embed_fonts,
            ..EpubOptions::default()
        };
        super::timings::stage("epub", || render_epub(&prepared.bulletin, &prepared.media, &options))
            .map(Some)
            .map_err(|e| {
                let mut log = String::new();
                match e.span() {
                    // A problem with a place in the markup is shown there, like a markup error.
                    Some(span) => {
                        let mut d = zhiban::diag::Diagnostic::error("epub", Some(span), e.to_string());
                        if let Some(h) = e.hint() {
                            d = d.with_hint(h);
                        }
                        log.push_str(&render(&prepared.source.name, &prepared.source.text, &d));
                        (EXIT_INPUT, log)
                    }
                    None => (fail(&mut log, &e), log),
                }
            })
    };
    // The archive needs the PDF's bytes only at the end: its ALTO pages and checksums are made
    // beside the PDF, after the EPUB, and the draft is finished once the PDF is there.
    let pdf_name = format!("{stem}.pdf");
    let epub_name = format!("{stem}.epub");
    let timestamp = if products.archive {
        match source_date_epoch() {
            Ok(t) => t,
            Err(message) => {
                let _ = writeln!(log, "error: {message}");
                return Err(EXIT_USAGE);
            }
        }
    } else {
        None
    };
    let archive_options = ArchiveOptions {
        timestamp,
        object_id: None,
    };
    let make_rest = || {
        let epub = make_epub()?;
        if !products.archive {
            return Ok((epub, None));
        }
        let draft = super::timings::stage("archive-draft", || {
            let mut draft = prepare_archive(
                &prepared.bulletin,
                &prepared.pages,
                &prepared.book,
                &prepared.media,
                &pdf_name,
                &archive_options,
            )?;
            if let Some(bytes) = &epub {
                draft.add_epub(&epub_name, bytes.clone())?;
            }
            Ok(draft)
        })
        .map_err(|e: zhiban::render::archive::ArchiveError| {
            let mut log = String::new();
            (fail(&mut log, &e), log)
        })?;
        Ok((epub, Some(draft)))
    };
    let (pdf, rest) = rayon::join(make_pdf, make_rest);
    let pdf = pdf.map_err(|(code, msg)| {
        log.push_str(&msg);
        code
    })?;
    let (epub, draft) = rest.map_err(|(code, msg)| {
        log.push_str(&msg);
        code
    })?;
    if let Some(draft) = draft {
        match super::timings::stage("archive-finish", || draft.finish(pdf.clone().unwrap_or_default())) {
            Ok(bag) => outputs.push((dir.join(format!("{stem}.bag")), Data::Bag(bag))),
            Err(e) => return Err(fail(log, &e)),
        }
    }
    // Files first, the bag last: its copies are only written once the others are in place.
    if let (Some(bytes), true) = (pdf, products.pdf) {
        outputs.insert(0, (dir.join(format!("{stem}.pdf")), Data::File(bytes)));
    }
    if let (Some(bytes), true) = (epub, products.epub) {
        let at = usize::from(products.pdf);
        outputs.insert(at, (dir.join(format!("{stem}.epub")), Data::File(bytes)));
    }
    Ok(outputs)
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org): seconds since 1970-01-01 UTC, if set.
fn source_date_epoch() -> Result<Option<i64>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("SOURCE_DATE_EPOCH must be whole seconds since 1970, found `{v}`")),
        Err(e) => Err(format!("SOURCE_DATE_EPOCH: {e}")),
    }
}

/// Write every output into `dir` (created if missing) as one set: all are written under
/// temporary names first and renamed into place only when every one is complete, so a failure
/// (a full disk, say) leaves the older outputs exactly as they were. Each is noted in `log`.
pub(crate) fn write_all(dir: &Path, outputs: &[Output], sync: Sync, log: &mut String) -> Result<(), i32> {
    if let Err(e) = std::fs::create_dir_all(dir) {
        let _ = writeln!(log, "error: cannot create the output folder `{}`: {e}", dir.display());
        return Err(EXIT_IO);
    }
    let mut staged = Staged::new(sync);
    let mut notes = Vec::new();
    for (path, data) in outputs {
        let written = match data {
            Data::File(bytes) => {
                notes.push(format!("wrote {} ({} bytes)", path.display(), bytes.len()));
                staged.file(path, bytes)
            }
            Data::Bag(bag) => {
                let files: Vec<(&str, &[u8])> = bag
                    .files
                    .iter()
                    .map(|f| (f.path.as_str(), f.bytes.as_slice()))
                    .collect();
                let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
                notes.push(format!(
                    "wrote {} ({} files, {bytes} bytes)",
                    path.display(),
                    files.len()
                ));
                staged.dir(path, &files)
            }
        };
        if let Err(e) = written {
            let _ = writeln!(log, "error: cannot write `{}`: {e}", path.display());
            let _ = writeln!(log, "  = note: nothing was changed in `{}`", dir.display());
            return Err(EXIT_IO);
        }
    }
    if let Err(e) = staged.commit() {
        let _ = writeln!(log, "error: cannot move the outputs into `{}`: {e}", dir.display());
        let _ = writeln!(log, "  = note: the older outputs were put back");
        return Err(EXIT_IO);
    }
    for note in notes {
        let _ = writeln!(log, "{note}");
    }
    Ok(())
}

/// Where each print page starts, for the EPUB's page list: the first thing on the page that is
/// the model's (not chrome), before the article itself when it starts there, or before the body
/// block a continuation resumes with.
fn print_pages(bulletin: &Bulletin, pages: &[PageLayout]) -> PrintPages {
    let mut out = PrintPages::new();
    let mut seen_edition = vec![false; bulletin.editions.len()];
    for page in pages {
        let Some(first) = page.blocks.iter().find(|b| b.kind != BlockKind::Chrome) else {
            continue;
        };
        let starts_edition = seen_edition.get(page.edition).is_some_and(|&seen| !seen);
        let edition_id = bulletin.editions.get(page.edition).map(|e| e.id.clone());
        let first_is_own = bulletin.editions.get(page.edition).is_some_and(|e| {
            zhiban::model::items_flat(&e.items)
                .next()
                .is_some_and(|i| item_id(i) == first.owner)
        });
        if starts_edition
            && first_is_own
            && let Some(id) = edition_id
        {
            if let Some(seen) = seen_edition.get_mut(page.edition) {
                *seen = true;
            }
            out.push(id, None, page.label.clone());
        } else if first.part > 1 {
            out.push(first.owner.clone(), first.block, page.label.clone());
        } else {
            out.push(first.owner.clone(), None, page.label.clone());
        }
    }
    out
}

fn item_id(item: &zhiban::model::Item) -> &str {
    match item {
        zhiban::model::Item::Article(a) => &a.id,
        zhiban::model::Item::PhotoNews(f) => &f.id,
        zhiban::model::Item::Section(s) => &s.id,
        zhiban::model::Item::Furniture(x) => &x.id,
    }
}

/// Fonts for the EPUB: with `--embed-fonts` the layout's first Song and Hei faces; always, when
/// the text has characters beyond the Basic Multilingual Plane (few reading systems have them),
/// the body's last fallback font, which the EPUB subsets to just those characters. Each with
/// its bundled licence.
fn embedded_fonts(book: &zhiban::layout::FontBook, song_and_hei: bool, text: &str) -> Option<EmbedFonts> {
    use zhiban::layout::Role;
    let licence = |name: &str| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let file = if name.contains("HanaMin") {
            "LICENSE-HanaMinB.txt"
        } else if name.contains("Sans") {
            "OFL-NotoSansSC.txt"
        } else {
            "OFL-NotoSerifSC.txt"
        };
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|_| "SIL Open Font License 1.1".into())
    };
    let file = |id: zhiban::layout::FontId| {
        book.get(id).map(|f| FontFile {
            bytes: Arc::new(f.data.to_vec()),
            license: licence(&f.name),
        })
    };
    let first = |role: Role| book.role(role).ok().and_then(|r| r.chain.first().copied());
    let (song, hei) = (first(Role::Body), first(Role::Headline));
    let rare = book
        .role(Role::Body)
        .ok()
        .and_then(|r| r.chain.last().copied())
        .filter(|id| Some(*id) != song && Some(*id) != hei)
        // The file is copied for the subsetter: only when some character needs it.
        .filter(|_| text.chars().any(|c| u32::from(c) > 0xFFFF));
    if !song_and_hei && rare.is_none() {
        return None;
    }
    Some(EmbedFonts {
        song: song.filter(|_| song_and_hei).and_then(file),
        hei: hei.filter(|_| song_and_hei).and_then(file),
        rare: rare.and_then(file),
    })
}
