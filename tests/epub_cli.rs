//! `zhiban build --epub`: the EPUB's page list follows the print PDF built from the same layout,
//! so a reader can cite "第2版" and land where the print page starts.

mod support;

use std::io::{Cursor, Read};
use std::path::Path;

use support::{SAMPLE, have, run, scratch, squash, zhiban};

/// Han characters after a page marker that must be found on that PDF page.
const PROBE: usize = 8;

/// The EPUB's XHTML documents in spine order (file names sort as the spine here: cover,
/// edition-01, edition-02, …, nav is left out).
fn chapters(epub: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(epub)).expect("zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        if name.starts_with("EPUB/edition-") && name.ends_with(".xhtml") {
            let mut s = String::new();
            f.read_to_string(&mut s).expect("utf-8");
            out.push((name, s));
        }
    }
    out.sort();
    out
}

/// The first `n` Han characters of `xml` after byte `from`, tags skipped.
fn han_after(xml: &str, from: usize, n: usize) -> String {
    let mut in_tag = false;
    let mut out = String::new();
    for c in xml[from..].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && ('\u{4E00}'..='\u{9FFF}').contains(&c) => {
                out.push(c);
                if out.chars().count() == n {
                    break;
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn page_list_marks_where_each_print_page_starts() {
    let dir = scratch("epub-cli");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE);
    let out = dir.join("out");
    let built = zhiban(&[
        "build",
        sample.to_str().expect("path"),
        "--pdf",
        "--epub",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let epub = std::fs::read(out.join("shifanqu-2020-12-28.epub")).expect("epub written");
    let frames = zhiban(&["frames", sample.to_str().expect("path")]);
    let pages = String::from_utf8_lossy(&frames.stdout)
        .lines()
        .filter(|l| l.starts_with("page "))
        .count();
    assert!(pages >= 2, "the sample has two print pages");

    let chapters = chapters(&epub);
    let mut markers = Vec::new();
    for (name, xml) in &chapters {
        for (at, _) in xml.match_indices("epub:type=\"pagebreak\"") {
            let tag_start = xml[..at].rfind('<').expect("tag");
            let tag = &xml[tag_start..];
            let label = tag
                .split("aria-label=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("aria-label");
            // A marker that opens an edition stands before the edition's own heading, which the
            // print page shows in its masthead or running head in other words: probe after it.
            let rest = &xml[at..];
            let from = match (rest.find("<h1"), rest.find("</h1>")) {
                (Some(open), Some(close)) if rest[..open].matches('<').count() <= 2 => at + close,
                _ => at,
            };
            markers.push((label.to_string(), name.clone(), han_after(xml, from, PROBE)));
        }
    }
    let labels: Vec<String> = markers.iter().map(|m| m.0.clone()).collect();
    let expected: Vec<String> = (1..=pages).map(|n| n.to_string()).collect();
    assert_eq!(labels, expected, "one marker per print page, in reading order");

    if !have("pdftotext") {
        return;
    }
    let pdf = out.join("shifanqu-2020-12-28.pdf");
    for (label, chapter, probe) in &markers {
        assert_eq!(probe.chars().count(), PROBE, "text follows marker {label} in {chapter}");
        let page = run(
            "pdftotext",
            &["-f", label, "-l", label, pdf.to_str().expect("path"), "-"],
        );
        assert!(
            squash(&page).contains(probe.as_str()),
            "the text after EPUB marker {label} (`{probe}`, {chapter}) is not on PDF page {label}"
        );
    }
}

#[test]
fn a_photo_without_alt_text_stops_the_epub_at_its_line() {
    let dir = scratch("epub-no-alt");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/photos/coffee.jpg");
    std::fs::copy(photo, dir.join("photos/coffee.jpg")).expect("photo");
    let src = "+++\npublication = \"示范区头条\"\ndate = 2020-12-28\n+++\n\n# 第一版 要闻\n\n## 标题\n\n本报讯 正文第一段。\n\n![](photos/coffee.jpg \"本报记者 张三 摄\")\n村民在田间收割小麦。\n";
    let file = dir.join("issue.zb");
    std::fs::write(&file, src).expect("write");
    let out = dir.join("out");
    let all = zhiban(&["build", file.to_str().expect("path"), "-o", out.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&all.stderr);
    assert_eq!(all.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[epub]") && err.contains("issue.zb:12:"),
        "located: {err}"
    );
    assert!(err.contains("write what the photo shows"), "with a hint: {err}");
    assert!(!out.join("issue.pdf").exists(), "nothing written when a product fails");
    let pdf = zhiban(&[
        "build",
        file.to_str().expect("path"),
        "--pdf",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert!(pdf.status.success(), "{}", String::from_utf8_lossy(&pdf.stderr));
}
