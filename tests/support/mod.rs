//! Shared helpers of the output tests: the sample issue laid out, and external validators that
//! skip with a notice when missing (and fail when `ZHIBAN_REQUIRE_VALIDATORS=1`, as in CI).
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use zhiban::layout::FontBook;
use zhiban::layout::flow::{PageLayout, layout_pages};
use zhiban::layout::spec::Layout;
use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, MediaBag, load_media};
use zhiban::model::Bulletin;
use zhiban::render::RenderContext;
use zhiban::render::pdf::{PdfOptions, render_pdf};

/// The sample issue's markup file.
pub const SAMPLE: &str = "input/shifanqu-2020-12-28.zb";

/// Everything needed to render an issue.
pub struct Built {
    pub bulletin: Bulletin,
    pub media: MediaBag,
    pub layout: Layout,
    pub book: FontBook,
    pub pages: Vec<PageLayout>,
}

impl Built {
    /// What the renderers are given.
    #[allow(dead_code)]
    pub fn context(&self) -> RenderContext<'_> {
        RenderContext::new(&self.bulletin, &self.media).with_print(&self.pages, &self.book, &self.layout.spec)
    }
}

/// Parse markup text (images relative to `base`) and lay it out with `layout`.
pub fn build_text(src: &str, base: &Path, layout: &str) -> Result<Built, String> {
    let parsed = parse(src, ParseOptions { base_dir: Some(base) });
    if parsed.has_errors() {
        return Err(format!("{:?}", parsed.diagnostics));
    }
    let bulletin = parsed.bulletin;
    let layout =
        Layout::load(layout, &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).map_err(|e| e.to_string())?;
    let book = layout.font_book().map_err(|e| e.to_string())?;
    let media = load_media(&bulletin, base, &LoadOptions::default()).map_err(|e| format!("{e:?}"))?;
    let pages = layout_pages(&bulletin, &media, &layout.spec, &book).map_err(|e| e.message)?;
    Ok(Built {
        bulletin,
        media,
        layout,
        book,
        pages,
    })
}

/// The sample issue laid out with its own layout.
pub fn sample() -> Built {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    build_text(&src, Path::new("input"), "tabloid").expect("sample lays out")
}

/// The PDF of a built issue.
pub fn pdf(b: &Built, options: &PdfOptions) -> Vec<u8> {
    render_pdf(&b.context(), options).expect("pdf")
}

/// A fresh scratch folder, `zhiban-PID-NAME` in the system's temporary folder. It is removed when
/// the test that made it ends well, and kept (its path printed) when the test fails, to be looked
/// at.
pub fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("zhiban-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    Scratch(dir)
}

/// A scratch folder made by [`scratch`]; it derefs to its path.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the failed test's scratch folder {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Whether an external program is installed; if not, say so and skip, unless CI requires it.
pub fn have(program: &str) -> bool {
    let found = Command::new(program).arg("-v").output().is_ok();
    if !found {
        if std::env::var_os("ZHIBAN_REQUIRE_VALIDATORS").is_some() {
            panic!("{program} is required (ZHIBAN_REQUIRE_VALIDATORS is set) but not installed");
        }
        eprintln!("skipped: {program} is not installed");
    }
    found
}

/// Run a program and return its standard output, failing the test on a non-zero exit.
pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without any whitespace (PDF text extraction adds line breaks and spaces).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Run the built `zhiban` with `args` and a fixed `SOURCE_DATE_EPOCH`.
pub fn zhiban(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1609113600")
        .output()
        .expect("run zhiban")
}

/// Every file under `dir` (not folders), by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Whether `c` is a Han character of the Unified Ideographs block.
fn han(c: Option<char>) -> bool {
    c.is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Whether a headline break before byte `at` of `text` lies at a phrase boundary (next to a
/// space, a mark or a Latin word, or between two dictionary words), or inside a word longer
/// than `measure` characters, which cannot be kept whole.
pub fn at_phrase_boundary(text: &str, at: usize, measure: usize) -> bool {
    let mut bounds = zhiban::layout::segment::word_bounds(text);
    if !han(text[..at].chars().last()) || !han(text[at..].chars().next()) || bounds.contains(&at) {
        return true;
    }
    // The word around the break runs between the nearest word breaks or non-Han characters.
    for (i, c) in text.char_indices() {
        if !han(Some(c)) {
            bounds.extend([i, i + c.len_utf8()]);
        }
    }
    let from = bounds.iter().copied().filter(|&b| b < at).max().unwrap_or(0);
    let to = bounds.iter().copied().filter(|&b| b > at).min().unwrap_or(text.len());
    text[from..to].chars().count() > measure
}
