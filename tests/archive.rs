//! The library archive judged from outside: xmllint with the published schemas, pdftotext's
//! text and boxes, sha256sum, and the `zhiban` binary's `build --archive` and `verify-bag`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use support::*;
use zhiban::render::archive::{ArchiveOptions, Bag, Product, Products, render_archive, verify_bag};
use zhiban::render::pdf::PdfOptions;

/// `inch1200` units per point.
const UNITS_PER_PT: f64 = 1200.0 / 72.0;

/// The sample's bag, with its PDF.
fn sample_bag(b: &Built) -> (Bag, Vec<u8>) {
    let pdf_bytes = pdf(b, &PdfOptions::default());
    let products = Products {
        pdf: Product {
            name: "sample.pdf".into(),
            bytes: pdf_bytes.clone(),
        },
        epub: None,
    };
    let bag = render_archive(&b.context(), &products, &ArchiveOptions::default()).expect("archive");
    (bag, pdf_bytes)
}

fn write_bag(bag: &Bag, dir: &Path) {
    for f in &bag.files {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, &f.bytes).expect("write");
    }
}

fn text_of(bag: &Bag, path: &str) -> String {
    String::from_utf8(bag.get(path).unwrap_or_else(|| panic!("{path} missing")).to_vec()).expect("utf-8")
}

/// One XML element event: opening (with attributes), closing, or text.
#[derive(Debug)]
enum Ev {
    Open(String, BTreeMap<String, String>),
    Close,
    Text(String),
}

/// A flat event list of an XML document; empty elements give an `Open` and a `Close`.
fn events(xml: &str) -> Vec<Ev> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let unescape = |s: &str| quick_xml::escape::unescape(s).expect("entities").into_owned();
    let open = |e: &quick_xml::events::BytesStart<'_>| {
        let name = e.local_name().as_ref().to_string();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (a.key.local_name().as_ref().to_string(), unescape(&a.value))
            })
            .collect();
        Ev::Open(name, attrs)
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => out.push(open(&e)),
            Event::Empty(e) => {
                out.push(open(&e));
                out.push(Ev::Close);
            }
            Event::End(_) => out.push(Ev::Close),
            Event::Text(t) => out.push(Ev::Text(unescape(&t))),
            Event::GeneralRef(r) => out.push(Ev::Text(unescape(&format!("&{};", &*r)))),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn num(attrs: &BTreeMap<String, String>, key: &str) -> f64 {
    attrs
        .get(key)
        .unwrap_or_else(|| panic!("{key} missing in {attrs:?}"))
        .parse()
        .expect("number")
}

/// A box in points: left, top, right, bottom.
type PtBox = (f64, f64, f64, f64);

/// What the tests read from one ALTO file.
#[derive(Debug, Default)]
struct Alto {
    width: f64,
    height: f64,
    unit: String,
    ids: BTreeSet<String>,
    /// Each TextLine: box in points (trim coordinates) and text.
    lines: Vec<(PtBox, String)>,
    /// Each String: box in ALTO units.
    strings: Vec<(f64, f64, f64, f64)>,
}

fn read_alto(xml: &str) -> Alto {
    let mut alto = Alto::default();
    let mut in_unit = false;
    let mut line: Option<(PtBox, String)> = None;
    let mut stack: Vec<String> = Vec::new();
    for ev in events(xml) {
        match ev {
            Ev::Open(name, a) => {
                if let Some(id) = a.get("ID") {
                    alto.ids.insert(id.clone());
                }
                let bx = |a: &BTreeMap<String, String>| {
                    let (l, t) = (num(a, "HPOS"), num(a, "VPOS"));
                    (l, t, l + num(a, "WIDTH"), t + num(a, "HEIGHT"))
                };
                match name.as_str() {
                    "MeasurementUnit" => in_unit = true,
                    "Page" => (alto.width, alto.height) = (num(&a, "WIDTH"), num(&a, "HEIGHT")),
                    "TextLine" => {
                        let (l, t, r, b) = bx(&a);
                        let u = UNITS_PER_PT;
                        line = Some(((l / u, t / u, r / u, b / u), String::new()));
                    }
                    "String" => {
                        alto.strings
                            .push((num(&a, "HPOS"), num(&a, "VPOS"), num(&a, "WIDTH"), num(&a, "HEIGHT")));
                        if let Some((_, text)) = line.as_mut() {
                            text.push_str(&a["CONTENT"]);
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Ev::Close => {
                if stack.pop().as_deref() == Some("TextLine") {
                    alto.lines.extend(line.take());
                }
                in_unit = false;
            }
            Ev::Text(t) if in_unit => alto.unit = t.trim().to_string(),
            Ev::Text(_) => {}
        }
    }
    alto
}

/// The ALTO files of a bag, in page order.
fn altos(bag: &Bag) -> Vec<Alto> {
    bag.files
        .iter()
        .filter(|f| f.path.starts_with("data/alto/"))
        .map(|f| read_alto(std::str::from_utf8(&f.bytes).expect("utf-8")))
        .collect()
}

/// `$ZHIBAN_SHARED/tools/validate-xml`, else `../shared/tools/validate-xml` beside the crate;
/// `None` (with a notice) when missing, a failure under `ZHIBAN_REQUIRE_VALIDATORS=1`.
fn validate_xml_tool() -> Option<PathBuf> {
    let shared = std::env::var_os("ZHIBAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let tool = shared.join("tools/validate-xml");
    if tool.is_file() && have("xmllint") {
        return Some(tool);
    }
    if std::env::var_os("ZHIBAN_REQUIRE_VALIDATORS").is_some() {
        panic!(
            "{} is required (ZHIBAN_REQUIRE_VALIDATORS is set) but missing",
            tool.display()
        );
    }
    eprintln!("skipped: {} is missing", tool.display());
    None
}

#[test]
fn every_xml_file_validates_offline() {
    let Some(tool) = validate_xml_tool() else { return };
    let (bag, _) = sample_bag(&sample());
    let dir = scratch("archive-validate");
    write_bag(&bag, &dir);
    let xml: Vec<String> = bag
        .files
        .iter()
        .filter(|f| f.path.ends_with(".xml"))
        .map(|f| dir.join(&f.path).to_string_lossy().into_owned())
        .collect();
    assert!(xml.len() >= 3, "METS and one ALTO per page: {xml:?}");
    let out = Command::new(&tool).args(&xml).output().expect("validate-xml runs");
    assert!(
        out.status.success(),
        "validate-xml failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_bag_holds_what_libraries_load() {
    let b = sample();
    let (bag, pdf_bytes) = sample_bag(&b);
    let paths: Vec<&str> = bag.files.iter().map(|f| f.path.as_str()).collect();
    for want in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "data/mets.xml",
        "data/alto/0001.xml",
        "data/sample.pdf",
        "data/photos/coffee.jpg",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    assert_eq!(bag.get("data/sample.pdf"), Some(pdf_bytes.as_slice()));
    assert_eq!(altos(&bag).len(), b.pages.len(), "one ALTO per page");
    let info = text_of(&bag, "bag-info.txt");
    assert!(info.contains("Bagging-Date: 2020-12-28\n"), "{info}");
    assert!(info.contains("Source-Organization: "), "{info}");
    assert!(verify_bag(&bag.files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect()).is_empty());

    let mets = text_of(&bag, "data/mets.xml");
    for want in [
        "<mods:dateIssued encoding=\"iso8601\" keyDate=\"yes\">2020-12-28</mods:dateIssued>",
        "<mods:genre authority=\"marcgt\">newspaper</mods:genre>",
        "authority=\"rfc5646\">zh-CN</mods:languageTerm>",
        "<mods:detail type=\"issue\">",
        "<mods:detail type=\"edition\">",
        "<mods:title>示范区召开党工委（扩大）会议</mods:title>",
        "<mods:subTitle>传达学习中央经济工作会议精神",
        "<mods:note type=\"kicker\" displayLabel=\"引题\">扎实开展村（社区）“两委”换届工作</mods:note>",
        "<mods:namePart>郭树勋</mods:namePart>",
        "<mods:roleTerm type=\"code\" authority=\"marcrelator\">aut</mods:roleTerm>",
        "<mods:detail type=\"section\">",
        "TYPE=\"np:page\"",
        "CHECKSUMTYPE=\"SHA-256\"",
        "xlink:href=\"sample.pdf#page=1\"",
    ] {
        assert!(mets.contains(want), "METS lacks {want}");
    }
}

#[test]
fn every_mets_pointer_resolves_and_checksums_agree() {
    let (bag, _) = sample_bag(&sample());
    let mets = text_of(&bag, "data/mets.xml");
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut current_file = Vec::new();
    let mut stack = Vec::new();
    let mut areas = Vec::new();
    let mut fptrs = Vec::new();
    for ev in events(&mets) {
        match ev {
            Ev::Open(name, a) => {
                match name.as_str() {
                    "file" => {
                        let id = a["ID"].clone();
                        if let (Some(sum), Some(size)) = (a.get("CHECKSUM"), a.get("SIZE")) {
                            current_file.push(Some((id.clone(), sum.clone(), size.clone())));
                        } else {
                            current_file.push(None);
                        }
                        files.insert(id, String::new());
                    }
                    "FLocat" => {
                        let id = stack
                            .iter()
                            .rev()
                            .find_map(|(n, i): &(String, Option<String>)| (n == "file").then(|| i.clone()).flatten());
                        if let Some(id) = id {
                            files.insert(id, a["href"].clone());
                        }
                        let href = a["href"].split('#').next().expect("path").to_string();
                        let bytes = bag
                            .get(&format!("data/{href}"))
                            .unwrap_or_else(|| panic!("FLocat {href} is not in the bag"));
                        if let Some(Some((id, sum, size))) = current_file.last() {
                            assert_eq!(size, &bytes.len().to_string(), "{id} SIZE");
                            let out = sha256(bytes);
                            assert_eq!(sum, &out, "{id} CHECKSUM");
                        }
                    }
                    "area" => areas.push((a["FILEID"].clone(), a["BEGIN"].clone(), a["BETYPE"].clone())),
                    "fptr" => {
                        if let Some(f) = a.get("FILEID") {
                            fptrs.push(f.clone());
                        }
                    }
                    _ => {}
                }
                let id = a.get("ID").cloned();
                stack.push((name, id));
            }
            Ev::Close => {
                if let Some((name, _)) = stack.pop()
                    && name == "file"
                {
                    current_file.pop();
                }
            }
            Ev::Text(_) => {}
        }
    }
    assert!(areas.len() >= 20, "articles point into ALTO: {}", areas.len());
    let altos = altos(&bag);
    for (file, begin, betype) in &areas {
        assert_eq!(betype, "IDREF");
        let href = files
            .get(file)
            .unwrap_or_else(|| panic!("area FILEID {file} is no file"));
        let page: usize = href
            .trim_start_matches("alto/")
            .trim_end_matches(".xml")
            .parse()
            .expect("alto/NNNN.xml");
        assert!(
            altos[page - 1].ids.contains(begin),
            "area BEGIN={begin} names no block of {href}"
        );
    }
    for f in &fptrs {
        assert!(files.contains_key(f), "fptr FILEID {f} is no file");
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_string_lies_inside_its_page() {
    let (bag, _) = sample_bag(&sample());
    for (i, alto) in altos(&bag).iter().enumerate() {
        assert_eq!(alto.unit, "inch1200");
        assert!(!alto.strings.is_empty());
        for &(x, y, w, h) in &alto.strings {
            assert!(
                x >= 0.0 && y >= 0.0 && w >= 0.0 && h > 0.0 && x + w <= alto.width && y + h <= alto.height,
                "page {}: String {x},{y} {w}x{h} outside {}x{}",
                i + 1,
                alto.width,
                alto.height
            );
        }
    }
}

#[test]
fn alto_text_equals_pdf_text_page_by_page() {
    if !have("pdftotext") {
        return;
    }
    let (bag, pdf_bytes) = sample_bag(&sample());
    let dir = scratch("archive-text");
    let path = dir.join("sample.pdf");
    std::fs::write(&path, &pdf_bytes).expect("write pdf");
    for (i, alto) in altos(&bag).iter().enumerate() {
        let n = (i + 1).to_string();
        let pdf_text = squash(&run(
            "pdftotext",
            &[
                "-raw",
                "-enc",
                "UTF-8",
                "-f",
                &n,
                "-l",
                &n,
                path.to_str().expect("path"),
                "-",
            ],
        ));
        let alto_text: String = squash(&alto.lines.iter().map(|(_, t)| t.as_str()).collect::<String>());
        assert!(alto_text.chars().count() > 500, "page {n} has text");
        assert_eq!(alto_text, pdf_text, "page {n}: ALTO text differs from the PDF's");
    }
}

/// The words of each page as `pdftotext -bbox-layout` reports them: box in points (PDF page
/// coordinates, y down from the top of the media box) and text. Words, not poppler's lines:
/// poppler joins the lines of neighbouring columns that share a baseline into one `line`.
fn poppler_words(html: &str) -> Vec<Vec<(PtBox, String)>> {
    let mut pages: Vec<Vec<(PtBox, String)>> = Vec::new();
    let mut word: Option<(PtBox, String)> = None;
    for ev in events(html) {
        match ev {
            Ev::Open(name, a) => match name.as_str() {
                "page" => pages.push(Vec::new()),
                "word" => {
                    word = Some((
                        (num(&a, "xMin"), num(&a, "yMin"), num(&a, "xMax"), num(&a, "yMax")),
                        String::new(),
                    ))
                }
                _ => {}
            },
            Ev::Text(t) => {
                if let Some((_, text)) = word.as_mut() {
                    text.push_str(&t);
                }
            }
            Ev::Close => {
                if let Some(w) = word.take() {
                    pages.last_mut().expect("word inside a page").push(w);
                }
            }
        }
    }
    pages
}

/// For each line of the frames with text, in ALTO order (blocks in reading order), how far the
/// box poppler computes lies outside the cluster box at the left and right end: poppler sizes a
/// character by its font's advance from where the glyph is drawn, so a closing mark compressed
/// to half an em at the line's end (clreq §3.1.6) counts a full em, and an opening mark at the
/// start, drawn half an em early, counts from there. Read from the font here, in the test,
/// because the archive itself must not measure.
fn compression_at_ends(b: &Built, page: usize) -> Vec<(String, f64, f64)> {
    use zhiban::layout::frame::Item;
    let layout = &b.pages[page];
    let faces: Vec<rustybuzz::Face<'_>> = b
        .book
        .fonts()
        .iter()
        .map(|f| rustybuzz::Face::from_slice(&f.data, f.index).expect("font parses"))
        .collect();
    let mut out = Vec::new();
    for block in &layout.blocks() {
        for item in &layout.page.frame.items[block.items.clone()] {
            let Item::Line(line) = item else { continue };
            let mut set: Option<(f64, f64)> = None;
            let mut drawn: Option<(f64, f64)> = None;
            for run in &line.runs {
                let face = &faces[run.font.0];
                let scale = f64::from(run.size) / f64::from(face.units_per_em());
                for (pen, g) in run.positions() {
                    if run.text[g.text_range.clone()].chars().all(char::is_whitespace) {
                        continue;
                    }
                    let at = f64::from(line.x + pen);
                    let nominal = face
                        .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(g.id))
                        .map_or(0.0, |a| f64::from(a) * scale);
                    let from = at + f64::from(g.x_offset);
                    let s = (at, at + f64::from(g.x_advance));
                    let d = (from, from + nominal);
                    set = Some(set.map_or(s, |(l, r)| (l.min(s.0), r.max(s.1))));
                    drawn = Some(drawn.map_or(d, |(l, r)| (l.min(d.0), r.max(d.1))));
                }
            }
            if let (Some(set), Some(drawn)) = (set, drawn) {
                out.push((line.text(), drawn.0 - set.0, drawn.1 - set.1));
            }
        }
    }
    out
}

#[test]
fn text_lines_match_pdftotext_line_boxes() {
    if !have("pdftotext") {
        return;
    }
    let b = sample();
    let bleed = f64::from(b.layout.spec.pt(b.layout.spec.page.bleed));
    let (bag, pdf_bytes) = sample_bag(&b);
    let dir = scratch("archive-boxes");
    let path = dir.join("sample.pdf");
    std::fs::write(&path, &pdf_bytes).expect("write pdf");
    let html = run(
        "pdftotext",
        &["-bbox-layout", "-enc", "UTF-8", path.to_str().expect("path"), "-"],
    );
    let pages = poppler_words(&html);
    let altos = altos(&bag);
    assert_eq!(pages.len(), altos.len());
    let (mut lines, mut exact, mut compressed) = (0, 0, 0);
    for (pi, (alto, words)) in altos.iter().zip(&pages).enumerate() {
        let ends = compression_at_ends(&b, pi);
        assert_eq!(ends.len(), alto.lines.len(), "page {}: one TextLine per line", pi + 1);
        for (((l, t, r, bt), text), (frame_text, dl, dr)) in alto.lines.iter().zip(&ends) {
            assert_eq!(squash(text), squash(frame_text), "ALTO lines follow the frames");
            // The PDF page is the trim box plus the bleed on every side.
            let (l, t, r, bt) = (l + bleed, t + bleed, r + bleed, bt + bleed);
            let mut parts: Vec<&(PtBox, String)> = words
                .iter()
                .filter(|((wl, wt, wr, wb), _)| {
                    let cx = (wl + wr) / 2.0;
                    (wt - t).abs() <= 1.0 && (wb - bt).abs() <= 1.0 && cx >= l - dl.abs() && cx <= r + dr.abs()
                })
                .collect();
            parts.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
            let joined: String = parts.iter().map(|(_, s)| squash(s)).collect();
            assert_eq!(
                joined,
                squash(text),
                "page {}: pdftotext has no line `{text}` here",
                pi + 1
            );
            let (pl, pt, pr, pb) = parts
                .iter()
                .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, (w, _)| {
                    (a.0.min(w.0), a.1.min(w.1), a.2.max(w.2), a.3.max(w.3))
                });
            lines += 1;
            let within = |a: f64, b: f64| (a - b).abs() <= 1.0;
            let what = format!(
                "page {} line `{text}`: ALTO {l:.2},{t:.2}–{r:.2},{bt:.2}, pdftotext {pl:.2},{pt:.2}–{pr:.2},{pb:.2}",
                pi + 1
            );
            assert!(within(t, pt) && within(bt, pb), "{what}");
            if within(l, pl) && within(r, pr) {
                exact += 1;
                continue;
            }
            // Otherwise the difference must be the compressed punctuation at the ends, never
            // more than half an em of the body size.
            assert!(dl.abs() <= 6.0 && dr.abs() <= 6.0, "{what}: {dl:.2} {dr:.2}");
            assert!(
                within(l + dl, pl) && within(r + dr, pr),
                "{what}: compression {dl:.2} {dr:.2}"
            );
            compressed += 1;
        }
    }
    eprintln!(
        "{lines} text lines: {exact} within 1 pt of pdftotext's box as extracted, {compressed} within 1 pt once the compressed punctuation at their ends is counted at full width"
    );
    assert!(lines > 400 && exact > lines * 3 / 4, "{exact} of {lines}");
}

#[test]
fn library_render_is_deterministic() {
    let b = sample();
    let (one, _) = sample_bag(&b);
    let (two, _) = sample_bag(&sample());
    assert!(one == two, "two renders differ");
}

/// Writes `bag` to a scratch folder and validates its XML files, if the validator is there.
fn validate_bag(bag: &Bag, name: &str) {
    let Some(tool) = validate_xml_tool() else { return };
    let dir = scratch(name);
    write_bag(bag, &dir);
    let xml: Vec<String> = bag
        .files
        .iter()
        .filter(|f| f.path.ends_with(".xml"))
        .map(|f| dir.join(&f.path).to_string_lossy().into_owned())
        .collect();
    let out = Command::new(&tool).args(&xml).output().expect("validate-xml runs");
    assert!(
        out.status.success(),
        "{name}: validate-xml failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_jumping_article_a_box_with_a_photo_and_an_epub() {
    let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(8);
    let body: String = (0..60).map(|_| format!("{para}\n\n")).collect();
    let src = format!(
        "+++\npublication = \"测试报\"\npublisher = \"测试报社\"\ndate = 2020-12-28\nissue = 7\ncn = \"CN41-0001\"\nissn = \"1234-5678\"\n+++\n\n# 第一版 要闻\n\n## 很长的文章\n\n{body}# 第二版 综合\n\n## 短文\n\n短短的正文。\n\n::: subscribe 扫一扫 关注我们\n![二维码](photos/coffee.jpg)\n\n关注公众号，阅读每期报纸。\n:::\n"
    );
    let b = build_text(&src, Path::new("input"), "tabloid").expect("layout");
    assert!(b.pages.len() >= 3, "the article jumps");
    let products = Products {
        pdf: Product {
            name: "test.pdf".into(),
            bytes: pdf(&b, &PdfOptions::default()),
        },
        epub: Some(Product {
            name: "test.epub".into(),
            bytes: b"PK\x03\x04 stand-in for the EPUB".to_vec(),
        }),
    };
    let bag = render_archive(&b.context(), &products, &ArchiveOptions::default()).expect("archive");
    validate_bag(&bag, "archive-jump");
    assert!(bag.get("data/test.epub").is_some());
    let manifest = text_of(&bag, "manifest-sha512.txt");
    assert!(manifest.contains("  data/test.epub\n"), "{manifest}");
    let info = text_of(&bag, "bag-info.txt");
    assert!(info.contains("Source-Organization: 测试报社\n"), "{info}");

    let mets = text_of(&bag, "data/mets.xml");
    // The MODS carries the publisher and both serial numbers.
    for wanted in [
        "<mods:publisher>测试报社</mods:publisher>",
        "<mods:identifier type=\"issn\">1234-5678</mods:identifier>",
        "<mods:identifier type=\"cn\">CN41-0001</mods:identifier>",
    ] {
        assert!(mets.contains(wanted), "{wanted} missing from the issue MODS");
    }
    assert!(
        mets.contains("<mets:file ID=\"EPUB\" MIMETYPE=\"application/epub+zip\""),
        "EPUB listed"
    );
    // The long article's body runs through the ALTO of several pages, in page order.
    let article = mets.split("<mets:div TYPE=\"Article\"").nth(1).expect("first article");
    let body = article.split("TYPE=\"Body\"").nth(1).expect("body div");
    let body = body.split("</mets:div>").next().expect("body");
    let files: Vec<&str> = body
        .match_indices("FILEID=\"")
        .map(|(i, m)| &body[i + m.len()..i + m.len() + 9])
        .collect();
    assert!(files.first() == Some(&"ALTO_0001"), "{files:?}");
    let mut distinct = files.clone();
    distinct.dedup();
    assert!(distinct.len() >= 2, "the body continues on another page: {distinct:?}");
    let mut sorted = distinct.clone();
    sorted.sort_unstable();
    assert_eq!(distinct, sorted, "areas in page order");
    assert!(
        mets.contains("xlink:from=\"LOG_e1-a1\" xlink:to=\"PHYS_0002\""),
        "structLink to the jump page"
    );
    // The box's QR photo is an illustration naming the photo's file, and the box's logical div
    // holds it.
    assert!(
        bag.files
            .iter()
            .filter(|f| f.path.starts_with("data/alto/"))
            .any(|f| String::from_utf8_lossy(&f.bytes).contains("TYPE=\"photo\" FILEID=\"IMG_0001\"")),
        "illustration names the photo file"
    );
    let furniture = mets.split("<mets:div TYPE=\"Furniture\"").nth(1).expect("box div");
    let furniture = furniture.split("</mets:div>").next().expect("box");
    assert!(furniture.contains("TYPE=\"Illustration\""), "{furniture}");
    for alto in altos(&bag) {
        for &(x, y, w, h) in &alto.strings {
            assert!(x >= 0.0 && y >= 0.0 && x + w <= alto.width && y + h <= alto.height);
        }
    }
}

#[test]
fn the_a4_bulletin_layout_archives_too() {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let b = build_text(&src, Path::new("input"), "a4-bulletin").expect("a4 layout");
    let (bag, _) = sample_bag(&b);
    validate_bag(&bag, "archive-a4");
    assert_eq!(altos(&bag).len(), b.pages.len());
}

#[test]
fn a_block_with_text_and_a_photo_becomes_a_composed_block() {
    use zhiban::layout::flow::BlockKind;
    let mut b = sample();
    // Fold the photo that follows a text block into it, as a layout may do for a box with a
    // QR code: the archive must then write a ComposedBlock holding a TextBlock and an
    // Illustration.
    let (page, at) = b
        .pages
        .iter()
        .enumerate()
        .find_map(|(pi, p)| {
            p.blocks()
                .windows(2)
                .position(|w| w[0].kind != BlockKind::Image && w[1].kind == BlockKind::Image)
                .map(|i| (pi, i))
        })
        .expect("a photo after a text block");
    // In the item stream: the text group's end and the photo group's start go.
    let blocks = b.pages[page].blocks();
    let (text_end, image_start) = (blocks[at].items.end, blocks[at + 1].items.start - 1);
    let items = &mut b.pages[page].page.frame.items;
    items.remove(image_start);
    items.remove(text_end);
    let (bag, _) = sample_bag(&b);
    validate_bag(&bag, "archive-composed");
    let alto = text_of(&bag, &format!("data/alto/{:04}.xml", page + 1));
    let composed = alto.split("<ComposedBlock").nth(1).expect("composed block");
    let composed = composed.split("</ComposedBlock>").next().expect("end");
    assert!(
        composed.contains("<TextBlock") && composed.contains("<Illustration"),
        "{composed}"
    );
}

#[test]
fn a_draft_finished_later_is_the_same_bag_and_refuses_a_clashing_epub() {
    // The CLI makes ALTO and the checksums while the PDF renders, and finishes the bag after.
    let b = sample();
    let pdf_bytes = pdf(&b, &PdfOptions::default());
    let epub = b"not really an epub".to_vec();
    let whole = render_archive(
        &b.context(),
        &Products {
            pdf: Product {
                name: "s.pdf".into(),
                bytes: pdf_bytes.clone(),
            },
            epub: Some(Product {
                name: "s.epub".into(),
                bytes: epub.clone(),
            }),
        },
        &ArchiveOptions::default(),
    )
    .expect("archive");
    let options = ArchiveOptions::default();
    let mut draft = zhiban::render::archive::prepare_archive(&b.context(), "s.pdf", &options).expect("draft");
    assert!(draft.add_epub("s.pdf", epub.clone()).is_err(), "the PDF's name");
    assert!(
        draft.add_epub("a/b.epub", epub.clone()).is_err(),
        "a folder in the name"
    );
    draft.add_epub("s.epub", epub.clone()).expect("epub");
    assert!(draft.add_epub("t.epub", epub).is_err(), "a second EPUB");
    let later = draft.finish(pdf_bytes).expect("finish");
    assert!(later == whole, "the draft's bag differs from render_archive's");
    assert!(verify_bag(&later.files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect()).is_empty());
}
