//! `zhiban build FILE -o DIR`: every product zhiban can make, written atomically.
//!
//! Products: `--pdf` writes `DIR/<stem>.pdf`, `--archive` the library bag `DIR/<stem>.bag/`
//! (which packs the PDF even when `--pdf` is not given); with no product flag, everything.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use zhiban::layout::flow::{BlockKind, PageLayout};
use zhiban::model::Bulletin;
use zhiban::render::archive::{ArchiveOptions, Product, Products, render_archive};
use zhiban::render::epub::{EmbedFonts, EpubOptions, FontFile, PrintPages, Timestamp, render_epub};
use zhiban::render::pdf::{PdfOptions, render_pdf};

use super::output::{write_atomic, write_dir_atomic};
use super::pipeline::{LayoutArgs, prepare};
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK, EXIT_USAGE};

/// Arguments of `zhiban build`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The markup file.
    file: PathBuf,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Write the print PDF (`DIR/<stem>.pdf`); with no product flag, everything is written.
    #[arg(long)]
    pdf: bool,
    /// Write the EPUB 3 (`DIR/<stem>.epub`).
    #[arg(long)]
    epub: bool,
    /// Embed subset fonts in the EPUB (the layout's body and headline fonts).
    #[arg(long)]
    embed_fonts: bool,
    /// Write the library archive, a BagIt bag `DIR/<stem>.bag/` with METS/MODS, ALTO per page,
    /// the PDF, the EPUB and the photos; dates come from `SOURCE_DATE_EPOCH` or the issue date.
    #[arg(long)]
    archive: bool,
    /// Crop marks outside the bleed.
    #[arg(long)]
    marks: bool,
    /// Write the PDF as PDF/A-2u.
    #[arg(long)]
    pdfa: bool,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// Build the selected products; nothing is written unless every product could be made.
pub(crate) fn execute(args: &Args) -> i32 {
    let prepared = match prepare(&args.file, &args.layout) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let stem = args
        .file
        .file_stem()
        .map_or_else(|| "issue".to_string(), |s| s.to_string_lossy().into_owned());
    let stem = if stem == "-" { "issue".to_string() } else { stem };
    let all = !args.pdf && !args.epub && !args.archive;
    let timestamp = match source_date_epoch() {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("error: {}: {e}", prepared.source.name);
        EXIT_INPUT
    };
    // Every product is made in memory first; nothing is written unless all of them succeed.
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut pdf = None;
    if args.pdf || args.archive || all {
        let options = PdfOptions {
            marks: args.marks,
            pdfa: args.pdfa,
        };
        match render_pdf(
            &prepared.bulletin,
            &prepared.pages,
            &prepared.book,
            &prepared.media,
            &prepared.layout.spec,
            &options,
        ) {
            Ok(bytes) => pdf = Some(bytes),
            Err(e) => return fail(&e),
        }
    }
    let mut epub = None;
    if args.epub || args.archive || all {
        let modified = match Timestamp::from_source_date_epoch() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: SOURCE_DATE_EPOCH: {e}");
                return EXIT_USAGE;
            }
        };
        let embed_fonts = if args.embed_fonts {
            Some(embedded_fonts(&prepared.book))
        } else {
            None
        };
        let options = EpubOptions {
            modified,
            print_pages: Some(print_pages(&prepared.bulletin, &prepared.pages)),
            embed_fonts,
            ..EpubOptions::default()
        };
        match render_epub(&prepared.bulletin, &prepared.media, &options) {
            Ok(bytes) => epub = Some(bytes),
            Err(e) => return fail(&e),
        }
    }
    let mut bag = None;
    if args.archive || all {
        let products = Products {
            pdf: Product {
                name: format!("{stem}.pdf"),
                bytes: pdf.clone().unwrap_or_default(),
            },
            epub: epub.clone().map(|bytes| Product {
                name: format!("{stem}.epub"),
                bytes,
            }),
        };
        let options = ArchiveOptions {
            timestamp,
            object_id: None,
        };
        match render_archive(
            &prepared.bulletin,
            &prepared.pages,
            &prepared.book,
            &prepared.media,
            &products,
            &options,
        ) {
            Ok(b) => bag = Some(b),
            Err(e) => return fail(&e),
        }
    }
    if let (Some(bytes), true) = (pdf, args.pdf || all) {
        outputs.push((args.output.join(format!("{stem}.pdf")), bytes));
    }
    if let (Some(bytes), true) = (epub, args.epub || all) {
        outputs.push((args.output.join(format!("{stem}.epub")), bytes));
    }
    if let Err(e) = std::fs::create_dir_all(&args.output) {
        eprintln!(
            "error: cannot create the output folder `{}`: {e}",
            args.output.display()
        );
        return EXIT_IO;
    }
    for (path, bytes) in &outputs {
        if let Err(e) = write_atomic(path, bytes) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_IO;
        }
        eprintln!("wrote {} ({} bytes)", display(path), bytes.len());
    }
    if let Some(bag) = bag {
        let path = args.output.join(format!("{stem}.bag"));
        let files: Vec<(&str, &[u8])> = bag
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        if let Err(e) = write_dir_atomic(&path, &files) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_IO;
        }
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        eprintln!("wrote {} ({} files, {bytes} bytes)", display(&path), files.len());
    }
    EXIT_OK
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
        let starts_edition = page.edition < seen_edition.len() && !seen_edition[page.edition];
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
            seen_edition[page.edition] = true;
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

/// The layout's first Song and Hei faces, with the bundled licence, for `--embed-fonts`.
fn embedded_fonts(book: &zhiban::layout::FontBook) -> EmbedFonts {
    let licence = |name: &str| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let file = if name.contains("Sans") {
            "OFL-NotoSansSC.txt"
        } else {
            "OFL-NotoSerifSC.txt"
        };
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|_| "SIL Open Font License 1.1".into())
    };
    let pick = |bold: bool| {
        book.fonts().iter().find(|f| f.is_bold == bold).map(|f| FontFile {
            bytes: Arc::new(f.data.to_vec()),
            license: licence(&f.name),
        })
    };
    EmbedFonts {
        song: pick(false),
        hei: pick(true),
    }
}

fn display(p: &Path) -> String {
    p.display().to_string()
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
