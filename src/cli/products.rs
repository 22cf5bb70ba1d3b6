//! The back half of `build` and `batch`: the products of one laid-out issue, made and written
//! as one atomic set. The PDF is made on the calling thread; the EPUB and the archive's draft
//! beside it, on another, which also writes them early; the archive is finished once the PDF is
//! there ([`make_and_write`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use zhiban::model::Timestamp;
use zhiban::render::archive::{ArchiveOptions, prepare_archive};
use zhiban::render::epub::{EmbedFonts, EpubOptions, render_epub};
use zhiban::render::pdf::{PdfOptions, render_pdf};

use super::output::{Staged, Sync};
use super::pipeline::Prepared;
use super::report::render;
use super::{EXIT_INPUT, EXIT_IO};

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
    /// The moment the EPUB and the archive are dated ([`source_date_epoch`]); `None`: the
    /// issue date.
    pub(crate) timestamp: Option<Timestamp>,
}

impl Products {
    /// Every product, with default options, dated `timestamp`.
    pub(crate) fn all(timestamp: Option<Timestamp>) -> Self {
        Products {
            pdf: true,
            epub: true,
            archive: true,
            timestamp,
            ..Products::default()
        }
    }
}

/// Longest output stem in bytes: 255 (the longest file name most file systems take) less the
/// longest name made from it, `..<stem>.inputs.sha256.zhiban-tmp-<pid>` (35 bytes more, for a
/// process id of up to 7 digits).
const MAX_STEM_BYTES: usize = 255 - 35;

/// Refuse an output stem the products cannot carry, before anything is laid out: the archive
/// refuses a slash, a backslash, a percent sign or a control character in its file names (the
/// rule of `check_name` in `src/render/archive/mod.rs`), and a stem near 255 bytes leaves no room
/// for the temporary names outputs are written under.
pub(crate) fn check_stem(stem: &str) -> Result<(), String> {
    if let Some(c) = stem
        .chars()
        .find(|&c| c == '/' || c == '\\' || c == '%' || c.is_control())
    {
        return Err(format!(
            "error: the outputs cannot be named `{}`: the name holds {:?} (U+{:04X}); rename the markup file without slashes, backslashes, percent signs or control characters",
            stem.escape_debug(),
            c,
            u32::from(c)
        ));
    }
    if stem.len() > MAX_STEM_BYTES {
        return Err(format!(
            "error: the outputs cannot be named after a file name of {} bytes; rename the markup file to at most {MAX_STEM_BYTES} bytes before `.zb`",
            stem.len()
        ));
    }
    Ok(())
}

/// `SOURCE_DATE_EPOCH` (reproducible-builds.org) read once for every product, or the message
/// for a value that is not a time in 1980–9999 (exit 2).
pub(crate) fn source_date_epoch() -> Result<Option<Timestamp>, String> {
    let value = std::env::var_os("SOURCE_DATE_EPOCH");
    let text = value.as_ref().map(|v| v.to_string_lossy());
    Timestamp::from_source_date_epoch(text.as_deref()).map_err(|e| format!("error: {e}"))
}

/// Make the selected products of `prepared` and write them into `dir` (created if missing) as
/// `dir/<stem>.<ext>`, as one set: every file is written under a temporary name first and renamed
/// into place only when all are complete, so a failure (a product that cannot be made, a full
/// disk) leaves the older outputs exactly as they were; a folder this created is removed again.
/// Messages go to `log`, each output written is noted there; returns the outputs' paths.
///
/// The PDF is made on this thread while the EPUB and the archive's draft are made beside it,
/// and that thread then writes them (and the bag's copies of its files so far) while the PDF is
/// still being made: the writing after the PDF is only the PDF's own and the bag's last files.
pub(crate) fn make_and_write(
    prepared: &Prepared,
    products: &Products,
    dir: &Path,
    stem: &str,
    sync: Sync,
    log: &mut String,
) -> Result<Vec<PathBuf>, i32> {
    let created = match create_dir_all_noted(dir) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(log, "error: cannot create the output folder `{}`: {e}", dir.display());
            return Err(EXIT_IO);
        }
    };
    let result = make_staged(prepared, products, dir, stem, sync, log);
    if result.is_err() {
        // Innermost first; a folder that is not empty (someone else's files) stays.
        for d in created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

/// `create_dir_all`, returning the folders it created, outermost first.
fn create_dir_all_noted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    std::fs::create_dir_all(dir)?;
    Ok(missing)
}

/// The message and exit code for an output that could not be written.
fn write_failed(path: &Path, dir: &Path, e: &std::io::Error) -> (i32, String) {
    (
        EXIT_IO,
        format!(
            "error: cannot write `{}`: {e}\n  = note: nothing was changed in `{}`\n",
            path.display(),
            dir.display()
        ),
    )
}

/// [`make_and_write`] once the output folder is there.
fn make_staged(
    prepared: &Prepared,
    products: &Products,
    dir: &Path,
    stem: &str,
    sync: Sync,
    log: &mut String,
) -> Result<Vec<PathBuf>, i32> {
    let fail = |log: &mut String, e: &dyn std::fmt::Display| {
        let _ = writeln!(log, "error: {}: {e}", prepared.source.name);
        EXIT_INPUT
    };
    let pdf_path = dir.join(format!("{stem}.pdf"));
    let epub_path = dir.join(format!("{stem}.epub"));
    let bag_path = dir.join(format!("{stem}.bag"));
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
        super::timings::stage("pdf", || render_pdf(&prepared.context(), &options))
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
        let embed_fonts = EmbedFonts::choose(
            &prepared.book,
            products.embed_fonts,
            &prepared.bulletin,
            bundled_licence,
        );
        let options = EpubOptions {
            modified: products.timestamp,
            embed_fonts,
            ..EpubOptions::default()
        };
        super::timings::stage("epub", || render_epub(&prepared.context(), &options))
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
    let archive_options = ArchiveOptions {
        timestamp: products.timestamp,
        object_id: None,
    };
    // The EPUB, the draft, and what was written of them (the EPUB, the bag's files so far).
    let make_rest = || {
        let epub = make_epub()?;
        let mut staged = Staged::new(sync);
        if let (Some(bytes), true) = (&epub, products.epub) {
            super::timings::stage("write-epub", || staged.file(&epub_path, bytes))
                .map_err(|e| write_failed(&epub_path, dir, &e))?;
        }
        if !products.archive {
            return Ok((epub, None, staged));
        }
        let draft = super::timings::stage("archive-draft", || {
            let mut draft = prepare_archive(&prepared.context(), &pdf_name, &archive_options)?;
            if let Some(bytes) = &epub {
                draft.add_epub(&epub_name, bytes.clone())?;
            }
            Ok(draft)
        })
        .map_err(|e: zhiban::render::archive::ArchiveError| {
            let mut log = String::new();
            (fail(&mut log, &e), log)
        })?;
        let early: Vec<(String, &[u8])> = draft.payload_so_far().collect();
        let files: Vec<(&str, &[u8])> = early.iter().map(|(p, b)| (p.as_str(), *b)).collect();
        super::timings::stage("write-bag-early", || staged.dir(&bag_path, &files))
            .map_err(|e| write_failed(&bag_path, dir, &e))?;
        let early: BTreeSet<String> = early.into_iter().map(|(p, _)| p).collect();
        Ok((epub, Some((draft, early)), staged))
    };
    let (pdf, rest) = rayon::join(make_pdf, make_rest);
    let pdf = pdf.map_err(|(code, msg)| {
        log.push_str(&msg);
        code
    })?;
    let (epub, draft, early_staged) = rest.map_err(|(code, msg)| {
        log.push_str(&msg);
        code
    })?;
    super::timings::stage("write", || {
        let mut staged = Staged::new(sync);
        staged.absorb(early_staged);
        // The PDF is written, with its copy in the bag, beside the archive's finish (the PDF's
        // checksums, METS, the tag files), which then writes the rest of the bag.
        let pdf_bytes = pdf.as_deref().unwrap_or_default();
        let shared = &staged;
        let pdf_copy = draft.as_ref().map(|(draft, _)| draft.pdf_path());
        let (pdf_staged, bag) = rayon::join(
            || -> Result<Staged, (i32, String)> {
                let mut own = Staged::new(sync);
                if pdf.is_some() && products.pdf {
                    own.file(&pdf_path, pdf_bytes)
                        .map_err(|e| write_failed(&pdf_path, dir, &e))?;
                }
                if let Some(copy) = &pdf_copy {
                    shared
                        .add(&bag_path, &[(copy.as_str(), pdf_bytes)])
                        .map_err(|e| write_failed(&bag_path, dir, &e))?;
                }
                Ok(own)
            },
            || -> Result<Option<zhiban::render::archive::Bag>, (i32, String)> {
                let Some((draft, early)) = draft else { return Ok(None) };
                let bag =
                    super::timings::stage("archive-finish", || draft.finish(pdf_bytes.to_vec())).map_err(|e| {
                        let mut log = String::new();
                        (fail(&mut log, &e), log)
                    })?;
                let rest: Vec<(&str, &[u8])> = bag
                    .files
                    .iter()
                    .filter(|f| !early.contains(&f.path) && Some(&f.path) != pdf_copy.as_ref())
                    .map(|f| (f.path.as_str(), f.bytes.as_slice()))
                    .collect();
                shared
                    .add(&bag_path, &rest)
                    .map_err(|e| write_failed(&bag_path, dir, &e))?;
                Ok(Some(bag))
            },
        );
        // Each output written, with its note, in the order they are reported.
        let mut written: Vec<(PathBuf, String)> = Vec::new();
        staged.absorb(pdf_staged?);
        let bag = bag?;
        if let (Some(bytes), true) = (&pdf, products.pdf) {
            let note = format!("wrote {} ({} bytes)", pdf_path.display(), bytes.len());
            written.push((pdf_path.clone(), note));
        }
        if let (Some(bytes), true) = (&epub, products.epub) {
            let note = format!("wrote {} ({} bytes)", epub_path.display(), bytes.len());
            written.push((epub_path.clone(), note));
        }
        if let Some(bag) = bag {
            let bytes: usize = bag.files.iter().map(|f| f.bytes.len()).sum();
            let note = format!(
                "wrote {} ({} files, {bytes} bytes)",
                bag_path.display(),
                bag.files.len()
            );
            written.push((bag_path.clone(), note));
        }
        staged.commit().map_err(|e| {
            (
                EXIT_IO,
                format!(
                    "error: cannot move the outputs into `{}`: {e}\n  = note: the older outputs were put back\n",
                    dir.display()
                ),
            )
        })?;
        Ok(written)
    })
    .map(|written| {
        written
            .into_iter()
            .map(|(path, note)| {
                let _ = writeln!(log, "{note}");
                path
            })
            .collect()
    })
    .map_err(|(code, msg): (i32, String)| {
        log.push_str(&msg);
        code
    })
}

/// The licence of a bundled font by its file name, from the `fonts/` folder zhiban was built
/// from (the EPUB ships it with the subset, as the licence asks).
fn bundled_licence(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let file = if name.contains("HanaMin") {
        "LICENSE-HanaMinB.txt"
    } else if name.contains("Sans") {
        "OFL-NotoSansSC.txt"
    } else {
        "OFL-NotoSerifSC.txt"
    };
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|_| "SIL Open Font License 1.1".into())
}
