//! Rare characters (CJK Extensions B–F: old place names, personal names) are set from the
//! bundled fallback font, embedded as a subset, and copy out of the PDF as themselves.

mod support;

use std::path::Path;

use support::*;
use zhiban::render::pdf::PdfOptions;

/// Extension B (𠀀 U+20000, 𪚥 U+2A6A5), C (𪜀 U+2A700), D (𫝀 U+2B740), E (𫠠 U+2B820),
/// F (𬺰 U+2CEB0): one from each block the Noto SC fonts lack.
const RARE: [char; 6] = [
    '\u{20000}',
    '\u{2A6A5}',
    '\u{2A700}',
    '\u{2B740}',
    '\u{2B820}',
    '\u{2CEB0}',
];

fn issue() -> String {
    let rare: String = RARE.iter().collect();
    format!(
        "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n# 第一版 要闻\n## 生僻字{}入标题\n\n本报讯 地名{rare}见于县志，人名\u{2A6A5}亦然。\n",
        RARE[0]
    )
}

#[test]
fn every_rare_character_gets_a_glyph_from_the_fallback_font() {
    let built = build_text(&issue(), Path::new("."), "tabloid").expect("the issue lays out");
    for page in &built.pages {
        let text = zhiban::layout::dump(std::slice::from_ref(&page.page));
        assert!(!text.contains(".notdef"), "no missing glyph:\n{text}");
    }
    let frames = zhiban::layout::dump(&built.pages.iter().map(|p| p.page.clone()).collect::<Vec<_>>());
    for c in RARE {
        assert!(frames.contains(c), "{c} (U+{:04X}) is set:\n{frames}", u32::from(c));
    }
    let rare_font = built
        .book
        .fonts()
        .iter()
        .position(|f| f.name == "HanaMinB")
        .expect("the layout has the fallback font");
    let run = format!("| f{rare_font} 9.00 45.00 \"{}", RARE.iter().collect::<String>());
    assert!(
        frames.contains(&run),
        "the body's rare run is set in the fallback font:\n{frames}"
    );
}

#[test]
fn rare_characters_copy_out_of_the_pdf_and_their_font_is_an_embedded_subset() {
    if !have("pdftotext") || !have("pdffonts") {
        return;
    }
    let built = build_text(&issue(), Path::new("."), "tabloid").expect("the issue lays out");
    let bytes = pdf(&built, &PdfOptions::default());
    let dir = scratch("rare-pdf");
    let path = dir.join("rare.pdf");
    std::fs::write(&path, &bytes).expect("write");
    let p = path.to_str().expect("path");
    let text = squash(&run("pdftotext", &[p, "-"]));
    let rare: String = RARE.iter().collect();
    assert!(text.contains(&format!("地名{rare}见于县志")), "text:\n{text}");
    assert!(text.contains(&format!("生僻字{}入标题", RARE[0])), "headline:\n{text}");
    let fonts = run("pdffonts", &[p]);
    let line = fonts
        .lines()
        .find(|l| l.contains("HanaMinB"))
        .unwrap_or_else(|| panic!("the fallback font is in the PDF:\n{fonts}"));
    // `ABCDEF+HanaMinB  CID TrueType  Identity-H  yes yes yes  N 0`
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert!(cols[0].contains('+'), "subset tag: {line}");
    assert_eq!(
        &cols[cols.len() - 5..cols.len() - 2],
        ["yes", "yes", "yes"],
        "emb sub uni: {line}"
    );
}

#[test]
fn the_fallback_font_is_only_embedded_when_used() {
    if !have("pdffonts") {
        return;
    }
    let bytes = pdf(&sample(), &PdfOptions::default());
    let dir = scratch("rare-unused");
    let path = dir.join("sample.pdf");
    std::fs::write(&path, &bytes).expect("write");
    let fonts = run("pdffonts", &[path.to_str().expect("path")]);
    assert!(
        !fonts.contains("HanaMinB"),
        "the sample needs no rare character:\n{fonts}"
    );
}
