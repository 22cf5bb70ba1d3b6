//! `zhiban build FILE -o DIR`: every product zhiban can make, written atomically.

use std::path::{Path, PathBuf};

use zhiban::render::pdf::{PdfOptions, render_pdf};

use super::output::write_atomic;
use super::pipeline::{LayoutArgs, prepare};
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

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
    let all = !args.pdf;
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if args.pdf || all {
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
            Ok(bytes) => outputs.push((args.output.join(format!("{stem}.pdf")), bytes)),
            Err(e) => {
                eprintln!("error: {}: {e}", prepared.source.name);
                return EXIT_INPUT;
            }
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
    EXIT_OK
}

fn display(p: &Path) -> String {
    p.display().to_string()
}
