//! The shared front half of `frames`, `build` and `batch`: read and check the markup, load the
//! layout, fonts and photos, lay out the pages. Every failure is reported with its location.
//!
//! Fonts are memory-mapped once per process and each layout's [`FontBook`] is built once
//! ([`Shared`]), so the issues of a batch share them across threads.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use zhiban::diag::{Diagnostic, Severity};
use zhiban::layout::flow::{PageLayout, layout_pages, review};
use zhiban::layout::spec::Layout;
use zhiban::layout::{FontBook, FontData};
use zhiban::media::{LoadOptions, MediaBag, probe_media, verify_media};
use zhiban::model::Bulletin;
use zhiban::render::RenderContext;

use super::input::{Limit, ReadError, Source, kind_of, read_source};
use super::report::{Renderer, render};
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
    /// Largest photo accepted, in pixels (width × height), checked from its header before it is
    /// decoded.
    #[arg(long, value_name = "N", default_value_t = zhiban::media::DEFAULT_MAX_PIXELS)]
    pub(crate) max_pixels: u64,
    /// Largest photo file accepted, in bytes; a larger one is refused unread.
    #[arg(long, value_name = "BYTES", default_value_t = zhiban::media::DEFAULT_MAX_FILE_BYTES)]
    pub(crate) max_image_bytes: u64,
}

impl LayoutArgs {
    /// How photos are read: the folder rule and the size limits of the command line.
    pub(crate) fn load_options(&self) -> LoadOptions {
        LoadOptions {
            allow_outside: self.allow_outside,
            max_pixels: self.max_pixels,
            max_file_bytes: self.max_image_bytes,
        }
    }
}

/// Everything the renderers need.
pub(crate) struct Prepared {
    pub(crate) source: Source,
    pub(crate) bulletin: Bulletin,
    pub(crate) media: MediaBag,
    pub(crate) layout: Arc<Layout>,
    pub(crate) book: Arc<FontBook>,
    pub(crate) pages: Vec<PageLayout>,
}

impl Prepared {
    /// What the renderers are given: the issue, its photos and its pages.
    pub(crate) fn context(&self) -> RenderContext<'_> {
        RenderContext::new(&self.bulletin, &self.media).with_print(&self.pages, &self.book, &self.layout.spec)
    }
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

/// A layout and its font book, built once per process.
type LoadedLayout = (Arc<Layout>, Arc<FontBook>);

/// What every issue of a process shares: the fonts folder, the mapped font files and one font
/// book per layout.
pub(crate) struct Shared {
    /// The fonts folder built-in layouts resolve against.
    fonts_dir: PathBuf,
    /// Font files by path, mapped once.
    files: Mutex<HashMap<PathBuf, FontData>>,
    /// Layouts with their font books, by the name or path the issue gave.
    layouts: Mutex<HashMap<String, LoadedLayout>>,
}

impl Shared {
    /// Nothing loaded yet; fonts come from `--fonts`, `$ZHIBAN_FONTS` or the source tree.
    pub(crate) fn new(args: &LayoutArgs) -> Self {
        Shared {
            fonts_dir: fonts_dir(args),
            files: Mutex::new(HashMap::new()),
            layouts: Mutex::new(HashMap::new()),
        }
    }

    /// The layout `name` and its font book, loaded on first use; the lock is held while loading
    /// so that concurrent issues wait for one load instead of each doing it.
    pub(crate) fn layout(&self, name: &str, log: &mut String) -> Result<LoadedLayout, i32> {
        let mut layouts = self.layouts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = layouts.get(name) {
            return Ok(hit.clone());
        }
        if !Layout::is_builtin(name) {
            check_layout_file(name, log)?;
        }
        let layout = match Layout::load(name, &self.fonts_dir) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(log, "error: {e}");
                // A layout file that cannot be read is an I/O failure, like a markup file.
                let unreadable = !Layout::is_builtin(name) && std::fs::File::open(name).is_err();
                return Err(if unreadable { EXIT_IO } else { EXIT_INPUT });
            }
        };
        let book = match layout.font_book_with(&mut |path| self.map_font(path)) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(log, "error: layout `{name}`: {e}");
                let hint = if Layout::is_builtin(name) {
                    "the built-in layouts take their fonts from the fonts folder: pass --fonts DIR (or set ZHIBAN_FONTS) where the bundled fonts are"
                } else {
                    "a layout file's font paths are relative to the layout file: fix the path in its [fonts] table, or copy the fonts beside it"
                };
                let _ = writeln!(log, "  = hint: {hint}");
                return Err(EXIT_IO);
            }
        };
        let loaded = (Arc::new(layout), Arc::new(book));
        layouts.insert(name.to_string(), loaded.clone());
        Ok(loaded)
    }

    /// The bytes of the font file at `path`, mapped on first use.
    fn map_font(&self, path: &Path) -> std::io::Result<FontData> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = files.get(path) {
            return Ok(data.clone());
        }
        // A FIFO would block the open and a device has no length to map: fonts are files.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("it is {}, not a font file", kind_of(&meta.file_type())),
            ));
        }
        let file = std::fs::File::open(path)?;
        // SAFETY: the map is read-only and private to this process; font files are inputs that
        // nothing writes while zhiban runs. A file truncated under a running build would fault
        // (SIGBUS), the accepted risk of every font loader that maps files; in exchange only the
        // pages that shaping and subsetting touch are read, and a batch shares one copy.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file)? };
        let data = FontData::new(map);
        files.insert(path.to_path_buf(), data.clone());
        Ok(data)
    }
}

/// Largest layout file read (1 MiB): the built-in layouts are 4 KB of TOML.
pub(crate) const LAYOUT_LIMIT: Limit = Limit {
    max: 1024 * 1024,
    noun: "layout files",
    advice: "a layout is a few kilobytes of TOML",
};

/// Refuse a layout file that is not a regular file (a FIFO would hang the read, a device never
/// end it) or is larger than [`LAYOUT_LIMIT`], before the layout reads it whole. A path that
/// does not exist is left to the layout's own message, which lists the built-in names.
fn check_layout_file(name: &str, log: &mut String) -> Result<(), i32> {
    let Ok(meta) = std::fs::metadata(name) else {
        return Ok(());
    };
    if !meta.is_file() {
        let kind = kind_of(&meta.file_type());
        let _ = writeln!(
            log,
            "error: {name}: cannot read the layout: it is {kind}, not a regular file"
        );
        return Err(EXIT_IO);
    }
    let (len, max) = (meta.len(), LAYOUT_LIMIT.max);
    if len > max {
        let _ = writeln!(
            log,
            "error: {name}: the file has {len} bytes; {} larger than {max} bytes are refused ({})",
            LAYOUT_LIMIT.noun, LAYOUT_LIMIT.advice
        );
        return Err(EXIT_INPUT);
    }
    Ok(())
}

/// Read, check and lay out `file`; on failure print why and return the exit code.
pub(crate) fn prepare(file: &Path, args: &LayoutArgs) -> Result<Prepared, i32> {
    let mut log = String::new();
    let result = prepare_with(file, args, &Shared::new(args), &mut log);
    stderr!("{log}");
    result
}

/// Read, check and lay out `file` with the fonts of `shared`; every message (warnings too) goes
/// to `log`, and a failure returns the exit code.
pub(crate) fn prepare_with(file: &Path, args: &LayoutArgs, shared: &Shared, log: &mut String) -> Result<Prepared, i32> {
    let source = match super::timings::stage("read", || read_source(file)) {
        Ok(s) => s,
        Err(ReadError::Io(msg)) => {
            let _ = writeln!(log, "error: {msg}");
            return Err(EXIT_IO);
        }
        Err(ReadError::Encoding(msg)) => {
            let _ = writeln!(log, "error: {msg}");
            return Err(EXIT_INPUT);
        }
    };
    let parsed = super::timings::stage("parse", || source.parse());
    let mut errors = 0;
    if !parsed.diagnostics.is_empty() {
        let renderer = Renderer::new(&source.name, &source.text);
        for d in &parsed.diagnostics {
            if d.severity == Severity::Error {
                errors += 1;
            }
            log.push_str(&renderer.render(d));
        }
    }
    if errors > 0 {
        let _ = writeln!(log, "{}: {errors} error(s); nothing written", source.name);
        return Err(EXIT_INPUT);
    }
    let bulletin = parsed.bulletin;
    let name = args
        .layout
        .clone()
        .or_else(|| bulletin.meta.layout.clone())
        .unwrap_or_else(|| "tabloid".into());
    let (layout, book) = super::timings::stage("fonts", || shared.layout(&name, log))?;
    let base = source.base_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let options = args.load_options();
    // The photos' headers give layout their sizes; decoding them to check them runs beside
    // the layout, and a damaged photo stops the build as it did before layout.
    let report_media = |errs: &[zhiban::media::MediaError], log: &mut String| {
        for e in errs {
            // Point at the path in the image line that names the photo.
            let span = parsed.spans.photo(&e.src);
            let d = Diagnostic::error("image", span, format!("image `{}`: {}", e.src, e.message));
            log.push_str(&render(&source.name, &source.text, &d));
        }
    };
    let media = match super::timings::stage("media", || probe_media(&bulletin, &base, &options)) {
        Ok(m) => m,
        Err(errs) => {
            report_media(&errs, log);
            return Err(EXIT_INPUT);
        }
    };
    let (pages, verified) = rayon::join(
        || super::timings::stage("layout", || layout_pages(&bulletin, &media, &layout.spec, &book)),
        || super::timings::stage("media-decode", || verify_media(&media)),
    );
    if let Err(errs) = verified {
        report_media(&errs, log);
        return Err(EXIT_INPUT);
    }
    let renderer = Renderer::new(&source.name, &source.text);
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            for d in review::failure(&e, &source.text, &book, &parsed.spans) {
                log.push_str(&renderer.render(&d));
            }
            return Err(EXIT_INPUT);
        }
    };
    for d in review::review(&bulletin, &pages, &layout.spec, &parsed.spans) {
        log.push_str(&renderer.render(&d));
    }
    Ok(Prepared {
        source,
        bulletin,
        media,
        layout,
        book,
        pages,
    })
}
