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
    let bag = render_archive(
        &b.bulletin,
        &b.pages,
        &b.book,
        &b.media,
        &products,
        &ArchiveOptions::default(),
    )
    .expect("archive");
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
