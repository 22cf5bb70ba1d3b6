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
use zhiban::layout::flow::{PageLayout, layout_pages};
use zhiban::layout::spec::Layout;
use zhiban::layout::{FontBook, FontData};
use zhiban::media::{LoadOptions, MediaBag, probe_media, verify_media};
use zhiban::model::Bulletin;

use super::input::{ReadError, Source, read_source};
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
        let layout = match Layout::load(name, &self.fonts_dir) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(log, "error: {e}");
                // A layout file that cannot be read is an I/O failure, like a markup file.
                let unreadable = !Layout::is_builtin(name) && std::fs::read_to_string(name).is_err();
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

/// Read, check and lay out `file`; on failure print why and return the exit code.
pub(crate) fn prepare(file: &Path, args: &LayoutArgs) -> Result<Prepared, i32> {
    let mut log = String::new();
    let result = prepare_with(file, args, &Shared::new(args), &mut log);
    eprint!("{log}");
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
            let span = source.text.find(&format!("]({}", e.src)).map(|at| {
                let start = at + 2;
                zhiban::diag::Span::new(start, start + e.src.len())
            });
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
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            let mut d = Diagnostic::error("layout", e.span, e.message.clone());
            if let Some(h) = &e.hint {
                d = d.with_hint(h.clone());
            }
            log.push_str(&render(&source.name, &source.text, &d));
            if e.message.starts_with("no font of the layout has") {
                // Layout stops at the first character it cannot set; an editor with a page of
                // rare names wants them all at once, so the rest of the text is searched too.
                for d in other_missing_characters(&source.text, &book, e.span) {
                    log.push_str(&render(&source.name, &source.text, &d));
                }
            }
            return Err(EXIT_INPUT);
        }
    };
    let headings = edition_headings(&source.text);
    let renderer = Renderer::new(&source.name, &source.text);
    for d in overflowing_editions(&bulletin, &pages, &headings)
        .into_iter()
        .chain(underfilled_pages(&bulletin, &pages, &layout.spec, &headings))
        .chain(composition_warnings(&pages))
    {
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

/// A warning for each rule of composition that gave way in a printed article body, pointing at
/// the line's start: the editor can usually avoid it with a word changed nearby.
fn composition_warnings(pages: &[PageLayout]) -> Vec<Diagnostic> {
    use zhiban::layout::LayoutWarning;
    let mut out = Vec::new();
    for page in pages {
        for w in &page.warnings {
            // The line's end for a break (where kinsoku gave way), its start otherwise.
            let chars: Vec<char> = w.line.trim_end().chars().collect();
            let excerpt: String = match w.warning {
                LayoutWarning::KinsokuRelaxed { .. } if chars.len() > 12 => std::iter::once('…')
                    .chain(chars.iter().skip(chars.len() - 12).copied())
                    .collect(),
                _ if chars.len() > 12 => chars.iter().take(12).copied().chain(std::iter::once('…')).collect(),
                _ => chars.iter().collect(),
            };
            let (code, what, hint) = match w.warning {
                LayoutWarning::KinsokuRelaxed { .. } => (
                    "kinsoku-relaxed",
                    "a line ends where the layout's kinsoku level forbids a break (only the basic level of clreq §3.1.4 could fill the lines); the line starts here and ends",
                    "reword the sentence near the line's end slightly: a character more or less moves the break",
                ),
                LayoutWarning::Underfull { .. } => (
                    "line-underfull",
                    "a justified line cannot be stretched to the column width (it holds one unit with nothing to stretch)",
                    "break the long unit (a number, a Latin word, a dash run) or reword around it",
                ),
                LayoutWarning::ShortLastLine => (
                    "short-last-line",
                    "the paragraph's last line holds a single character (孤字, clreq §3.4.4)",
                    "add or remove a character or two in the paragraph's last sentence",
                ),
                _ => (
                    "composition",
                    "a rule of composition gave way",
                    "check the line in the PDF",
                ),
            };
            out.push(
                Diagnostic::warning(
                    code,
                    w.span,
                    format!("page {}, article {}: {what}: `{excerpt}`", page.label, w.owner),
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// Share of a page's body rows that may stay empty above the foot before the editor is told.
const MAX_EMPTY_SHARE: f32 = 0.25;

/// A warning for each page whose columns leave, on average, more than [`MAX_EMPTY_SHARE`] of
/// their rows empty above the foot: an edition too short for its page (the flow fills every page
/// but an edition's last, and cannot make text longer). It points at the edition's heading.
fn underfilled_pages(
    bulletin: &Bulletin,
    pages: &[PageLayout],
    spec: &zhiban::layout::spec::LayoutSpec,
    headings: &[zhiban::diag::Span],
) -> Vec<Diagnostic> {
    use zhiban::layout::flow::BlockKind;
    let area = zhiban::layout::flow::body_area(spec);
    let (pitch, bottom) = (area.pitch, area.bottom);
    if pitch <= 0.0 || area.columns.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        // An edition's extra pages hold what did not fit its own (edition-overflow says so);
        // only its first page can be too short for it.
        if pages.iter().position(|p| p.edition == page.edition) != Some(index) {
            continue;
        }
        // The page's body area starts under its head (masthead or running head).
        let top = page
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Chrome && b.rect.height > 0.0)
            .map(|b| b.rect.y)
            .fold(f32::INFINITY, f32::min);
        if !top.is_finite() || bottom - top < pitch {
            continue;
        }
        let rows = (bottom - top) / pitch;
        let empty: f32 = area
            .columns
            .iter()
            .map(|&(l, r)| {
                let foot = page
                    .blocks
                    .iter()
                    .filter(|b| b.kind != BlockKind::Chrome && b.rect.height > 0.0)
                    .filter(|b| b.rect.x < r - 1.0 && b.rect.x + b.rect.width > l + 1.0)
                    .map(|b| b.rect.y + b.rect.height)
                    .fold(top, f32::max);
                ((bottom - foot) / pitch).max(0.0)
            })
            .sum::<f32>()
            / area.columns.len() as f32;
        if empty > rows * MAX_EMPTY_SHARE {
            let name = bulletin
                .editions
                .get(page.edition)
                .filter(|e| !e.name.trim().is_empty())
                .map_or_else(String::new, |e| format!(" ({})", e.name));
            out.push(
                Diagnostic::warning(
                    "page-underfilled",
                    headings.get(page.edition).copied(),
                    format!(
                        "page {}{name} leaves {:.0} % of its columns empty above the foot ({:.0} of {:.0} rows a column)",
                        page.label,
                        100.0 * empty / rows,
                        empty,
                        rows
                    ),
                )
                .with_hint("the edition is too short for its page: add an article or a photo, or move one from a fuller edition"),
            );
        }
    }
    out
}

/// The edition headings (`# 第N版 …`) in the text, in order, for pointing at them.
fn edition_headings(text: &str) -> Vec<zhiban::diag::Span> {
    let body_start = body_start(text);
    let mut headings = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at >= body_start && line.starts_with("# ") {
            let end = at + line.trim_end().len();
            headings.push(zhiban::diag::Span::new(at, end));
        }
        at += line.len();
    }
    headings
}

/// A warning for each edition set on more than one page. A print edition (版) is one page: the
/// flow carries what does not fit onto extra pages, and every later edition's page number (版次)
/// moves on by as many, so the page an editor calls 第二版 is printed as page 3. It points at the
/// edition's heading and names the pages.
fn overflowing_editions(bulletin: &Bulletin, pages: &[PageLayout], headings: &[zhiban::diag::Span]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ei, edition) in bulletin.editions.iter().enumerate() {
        let labels: Vec<&str> = pages
            .iter()
            .filter(|p| p.edition == ei)
            .map(|p| p.label.as_str())
            .collect();
        let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
            continue;
        };
        if labels.len() < 2 {
            continue;
        }
        let name = if edition.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", edition.name)
        };
        let later = if ei + 1 < bulletin.editions.len() {
            match labels.len() - 1 {
                1 => "; the editions after it start one page later".to_string(),
                n => format!("; the editions after it start {n} pages later"),
            }
        } else {
            String::new()
        };
        out.push(
            Diagnostic::warning(
                "edition-overflow",
                headings.get(ei).copied(),
                format!(
                    "edition {}{name} does not fit its page: it is set on {} pages ({first}–{last}){later}",
                    ei + 1,
                    labels.len()
                ),
            )
            .with_hint("shorten its articles or move one to an edition with room (the build warns of pages with room as page-underfilled)"),
        );
    }
    out
}

/// Byte offset where the text after the front matter (`+++ … +++`) starts.
fn body_start(text: &str) -> usize {
    text.match_indices("+++").nth(1).map_or(0, |(i, m)| i + m.len())
}

/// Most further characters listed after the first one no font has.
const MAX_MISSING_LISTED: usize = 20;

/// Errors at every other place in the text (after the front matter) whose character no font of
/// the book has, skipping `first`, which was reported already: up to [`MAX_MISSING_LISTED`],
/// then a count.
fn other_missing_characters(text: &str, book: &FontBook, first: Option<zhiban::diag::Span>) -> Vec<Diagnostic> {
    let body_start = body_start(text);
    let mut out = Vec::new();
    let mut more = 0usize;
    let missing = book.uncovered(text.get(body_start..).unwrap_or(""));
    for (at, c) in missing {
        let i = body_start + at;
        if first.is_some_and(|s| s.start == i) {
            continue;
        }
        if out.len() < MAX_MISSING_LISTED {
            out.push(
                Diagnostic::error(
                    "layout",
                    Some(zhiban::diag::Span::new(i, i + c.len_utf8())),
                    format!(
                        "no font of the layout has the character `{c}` (U+{:04X}) either",
                        u32::from(c)
                    ),
                )
                .with_hint("the same remedy: a font that has it, or another character"),
            );
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(Diagnostic::error(
            "layout",
            None,
            format!("{more} more place(s) with a character no font of the layout has"),
        ));
    }
    out
}
