//! `zhiban frames FILE`: a plain-text dump of the laid-out pages (page, position, font, text).

use std::path::PathBuf;

use super::EXIT_OK;
use super::pipeline::{LayoutArgs, prepare};

/// Arguments of `zhiban frames`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The markup file.
    file: PathBuf,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// Lay out the issue and print every line, image and rule.
pub(crate) fn execute(args: &Args) -> i32 {
    match prepare(&args.file, &args.layout) {
        Ok(p) => {
            let pages: Vec<_> = p.pages.iter().map(|l| l.page.clone()).collect();
            stdout!("{}", zhiban::layout::dump(&pages));
            EXIT_OK
        }
        Err(code) => code,
    }
}
