//! Golden test: the sample's EPUB unpacked into `tests/golden/seed/epub/`, every text file
//! compared byte for byte, and the ZIP directory (order, method, size, time) listed in
//! `entries.txt`. `UPDATE_GOLDEN=1 cargo test --test epub_golden` rewrites them; review the diff.

use std::io::{Cursor, Read};
use std::path::Path;

use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, load_media};
use zhiban::render::RenderContext;
use zhiban::render::epub::{EpubOptions, render_epub};

const GOLDEN: &str = "tests/golden/seed/epub";

#[test]
fn sample_epub_matches_golden() {
    let src = std::fs::read_to_string("input/shifanqu-2020-12-28.zb").expect("sample issue");
    let bulletin = parse(
        &src,
        ParseOptions {
            base_dir: Some(Path::new("input")),
        },
    )
    .bulletin;
    let media = load_media(&bulletin, Path::new("input"), &LoadOptions::default()).expect("photos");
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");

    let mut archive = zip::ZipArchive::new(Cursor::new(&epub)).expect("a ZIP file");
    let mut listing = String::new();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("entry name").into_owned();
        let time = file.last_modified().map(|t| t.to_string()).unwrap_or_default();
        listing.push_str(&format!(
            "{name}\t{:?}\t{} bytes\t{time}\n",
            file.compression(),
            file.size()
        ));
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("entry bytes");
        if let Ok(text) = String::from_utf8(bytes) {
            files.push((name, text));
        }
    }
    files.push(("entries.txt".into(), listing));

    let root = Path::new(GOLDEN);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (name, text) in &files {
        // Text entries only: the photo is the input file itself, compared in tests/epub.rs.
        let path = root.join(name);
        if update {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("golden folder");
            std::fs::write(&path, text).expect("write golden");
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != *text {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "EPUB differs from {GOLDEN} in {stale:?}; run with UPDATE_GOLDEN=1 and review the diff"
    );
}
