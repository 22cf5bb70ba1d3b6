//! `zhiban build FILE -o DIR`: every product zhiban can make, written atomically.

use std::path::PathBuf;

use super::output::Sync;
use super::pipeline::{LayoutArgs, prepare};
use super::products::{self, Products};
use super::timings;
use super::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};

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
    /// Write the EPUB 3 (`DIR/<stem>.epub`).
    #[arg(long)]
    epub: bool,
    /// Embed subset fonts in the EPUB (the layout's body and headline fonts).
    #[arg(long)]
    embed_fonts: bool,
    /// Crop marks outside the bleed.
    #[arg(long)]
    marks: bool,
    /// Write the PDF as PDF/A-2u.
    #[arg(long)]
    pdfa: bool,
    /// Flush every file to the disk before renaming it into place, so that outputs also survive
    /// a power cut (a failed build never leaves a partial file either way).
    #[arg(long)]
    fsync: bool,
    /// Print when each stage started and ended (ms) and on which thread, to standard error.
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// Build the selected products; nothing is written unless every product could be made.
pub(crate) fn execute(args: &Args) -> i32 {
    if args.timings {
        timings::enable();
    }
    let timestamp = match products::source_date_epoch() {
        Ok(t) => t,
        Err(message) => {
            stderrln!("{message}");
            return EXIT_USAGE;
        }
    };
    let stem = args
        .file
        .file_stem()
        .map_or_else(|| "issue".to_string(), |s| s.to_string_lossy().into_owned());
    let stem = if stem == "-" { "issue".to_string() } else { stem };
    if let Err(message) = products::check_stem(&stem) {
        stderrln!("{message}");
        return EXIT_INPUT;
    }
    let prepared = match prepare(&args.file, &args.layout) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let all = !args.pdf && !args.epub && !args.archive;
    let products = Products {
        pdf: args.pdf || all,
        epub: args.epub || all,
        archive: args.archive || all,
        embed_fonts: args.embed_fonts,
        marks: args.marks,
        pdfa: args.pdfa,
        timestamp,
    };
    let mut log = String::new();
    let result = timings::stage("products", || {
        products::make_and_write(
            &prepared,
            &products,
            &args.output,
            &stem,
            Sync::from_flag(args.fsync),
            &mut log,
        )
    });
    stderr!("{log}");
    if args.timings {
        stderr!("{}", timings::report());
    }
    match result {
        Ok(_) => EXIT_OK,
        Err(code) => code,
    }
}
