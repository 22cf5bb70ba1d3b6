//! The shared front half of `frames` and `build`: read and check the markup, load the layout,
//! fonts and photos, lay out the pages. Every failure is printed here with its location.

use std::path::{Path, PathBuf};

use zhiban::diag::Diagnostic;
use zhiban::layout::FontBook;
use zhiban::layout::flow::{PageLayout, layout_pages};
use zhiban::layout::spec::Layout;
use zhiban::media::{LoadOptions, MediaBag, load_media};
use zhiban::model::Bulletin;

use super::input::{ReadError, Source, read_source};
use super::report::{print_all, render};
use super::{EXIT_INPUT, EXIT_IO};

/// Options shared by commands that lay out pages.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct LayoutArgs {
    /// Layout: a built-in name (`tabloid`, `a4-bulletin`) or a layout file; default: the
    /// issue's `layout`, else `tabloid`.
    #[arg(long)]
    pub(crate) layout: Option<String>,
    /// Folder of the bundled fonts (default: `$ZHIBAN_FONTS`, else the `fonts/` folder zhiban
    /// was built from).
    #[arg(long)]
    pub(crate) fonts: Option<PathBuf>,
    /// Allow photos outside the markup file's folder (absolute paths, `..`, links out).
    #[arg(long)]
    pub(crate) allow_outside: bool,
}

/// Everything the renderers need.
pub(crate) struct Prepared {
    pub(crate) source: Source,
    pub(crate) bulletin: Bulletin,
    pub(crate) media: MediaBag,
    pub(crate) layout: Layout,
    pub(crate) book: FontBook,
    pub(crate) pages: Vec<PageLayout>,
}

/// The fonts folder: `--fonts`, `$ZHIBAN_FONTS`, or the source tree's `fonts/`.
fn fonts_dir(args: &LayoutArgs) -> PathBuf {
    if let Some(d) = &args.fonts {
        return d.clone();
    }
    if let Some(d) = std::env::var_os("ZHIBAN_FONTS") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
}

/// Read, check and lay out `file`; on failure print why and return the exit code.
pub(crate) fn prepare(file: &Path, args: &LayoutArgs) -> Result<Prepared, i32> {
    let source = match read_source(file) {
        Ok(s) => s,
        Err(ReadError::Io(msg)) => {
            eprintln!("error: {msg}");
            return Err(EXIT_IO);
        }
        Err(ReadError::Encoding(msg)) => {
            eprintln!("error: {msg}");
            return Err(EXIT_INPUT);
        }
    };
    let parsed = source.parse();
    let (errors, _) = print_all(&source.name, &source.text, &parsed.diagnostics);
    if errors > 0 {
        eprintln!("{}: {errors} error(s); nothing written", source.name);
        return Err(EXIT_INPUT);
    }
    let bulletin = parsed.bulletin;
    let name = args
        .layout
        .clone()
        .or_else(|| bulletin.meta.layout.clone())
        .unwrap_or_else(|| "tabloid".into());
    let layout = match Layout::load(&name, &fonts_dir(args)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(EXIT_INPUT);
        }
    };
    let book = match layout.font_book() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: layout `{name}`: {e}");
            eprintln!(
                "  = hint: fonts are looked up relative to the layout file; pass --fonts DIR for the bundled fonts"
            );
            return Err(EXIT_IO);
        }
    };
    let base = source.base_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let options = LoadOptions {
        allow_outside: args.allow_outside,
        ..LoadOptions::default()
    };
    let media = match load_media(&bulletin, &base, &options) {
        Ok(m) => m,
        Err(errs) => {
            for e in &errs {
                // Point at the path in the image line that names the photo.
                let span = source.text.find(&format!("]({}", e.src)).map(|at| {
                    let start = at + 2;
                    zhiban::diag::Span::new(start, start + e.src.len())
                });
                let d = Diagnostic::error("image", span, format!("image `{}`: {}", e.src, e.message));
                eprint!("{}", render(&source.name, &source.text, &d));
            }
            return Err(EXIT_INPUT);
        }
    };
    let pages = match layout_pages(&bulletin, &media, &layout.spec, &book) {
        Ok(p) => p,
        Err(e) => {
            let mut d = Diagnostic::error("layout", e.span, e.message.clone());
            if let Some(h) = &e.hint {
                d = d.with_hint(h.clone());
            }
            eprint!("{}", render(&source.name, &source.text, &d));
            return Err(EXIT_INPUT);
        }
    };
    Ok(Prepared {
        source,
        bulletin,
        media,
        layout,
        book,
        pages,
    })
}
