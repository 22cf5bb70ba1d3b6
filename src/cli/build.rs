//! `zhiban build FILE -o DIR`: every product zhiban can make, written atomically.
//!
//! Products: `--pdf` writes `DIR/<stem>.pdf`, `--archive` the library bag `DIR/<stem>.bag/`
//! (which packs the PDF even when `--pdf` is not given); with no product flag, everything.

use std::path::{Path, PathBuf};

use zhiban::render::archive::{ArchiveOptions, Product, Products, render_archive};
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
    let all = !args.pdf && !args.archive;
    let timestamp = match source_date_epoch() {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut bag = None;
    if args.pdf || args.archive || all {
        let options = PdfOptions {
            marks: args.marks,
            pdfa: args.pdfa,
        };
        let pdf = match render_pdf(
            &prepared.bulletin,
            &prepared.pages,
            &prepared.book,
            &prepared.media,
            &prepared.layout.spec,
            &options,
        ) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("error: {}: {e}", prepared.source.name);
                return EXIT_INPUT;
            }
        };
        if args.archive || all {
            let products = Products {
                pdf: Product {
                    name: format!("{stem}.pdf"),
                    bytes: pdf.clone(),
                },
                epub: None,
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
                Err(e) => {
                    eprintln!("error: {}: {e}", prepared.source.name);
                    return EXIT_INPUT;
                }
            }
        }
        if args.pdf || all {
            outputs.push((args.output.join(format!("{stem}.pdf")), pdf));
        }
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
