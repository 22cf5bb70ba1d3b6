//! `zhiban build FILE -o DIR`: every product zhiban can make, written atomically.

use std::path::PathBuf;

use super::EXIT_OK;
use super::output::Sync;
use super::pipeline::{LayoutArgs, prepare};
use super::products::{self, Products};
use super::timings;

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
    keep_a_worker_ready();
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
    let products = Products {
        pdf: args.pdf || all,
        epub: args.epub || all,
        archive: args.archive || all,
        embed_fonts: args.embed_fonts,
        marks: args.marks,
        pdfa: args.pdfa,
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
    // The process ends right after this: freeing the pages, frames and products one allocation
    // at a time (about 1 ms, measured with --timings) would only delay the exit, so they are
    // left to the operating system. Nothing here has a destructor that writes or removes a file.
    std::mem::forget(prepared);
    eprint!("{log}");
    if args.timings {
        eprint!("{}", timings::report());
    }
    match result {
        Ok(_) => EXIT_OK,
        Err(code) => code,
    }
}

/// A build hands its first work to another of rayon's workers when the layout starts (the photo
/// check, beside it), about 1.5 ms in. A worker woken from sleep took 0.1–3.7 ms to start it on
/// a virtual machine (docs/scale.md, "Hand-offs, pieces and writing early"). So one worker is
/// kept looking for work from the start until it has run a job, or for 5 ms at most: at most
/// that much CPU time, for a hand-off without a wake-up. (Kept awake for the whole build, a
/// worker cost 6.8 ms of CPU time for 0.6 ms.)
fn keep_a_worker_ready() {
    use std::time::{Duration, Instant};
    if rayon::current_num_threads() < 2 {
        return;
    }
    let spawner = rayon::current_thread_index();
    rayon::spawn(move || {
        // Taken back by the thread that made it: that thread has work of its own.
        if rayon::current_thread_index() == spawner {
            return;
        }
        let until = Instant::now() + Duration::from_millis(5);
        while Instant::now() < until {
            match rayon::yield_now() {
                Some(rayon::Yield::Executed) | None => break,
                Some(rayon::Yield::Idle) => std::hint::spin_loop(),
            }
        }
    });
}
