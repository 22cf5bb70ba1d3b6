//! EPUB renderer: the sample and a 32-edition issue pass EPUBCheck, output is byte-identical
//! from run to run, and the unzipped package has the structure and semantics promised.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::Reader;
use quick_xml::events::Event;
use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, MediaBag, load_media};
use zhiban::model::Timestamp;
use zhiban::model::{Block, Bulletin, Item, assign_ids};
use zhiban::render::RenderContext;
use zhiban::render::epub::{EpubError, EpubOptions, PrintPages, render_epub};

const SAMPLE: &str = "input/shifanqu-2020-12-28.zb";

fn sample() -> (Bulletin, MediaBag) {
    let src = std::fs::read_to_string(SAMPLE).expect("sample issue");
    let parsed = parse(
        &src,
        ParseOptions {
            base_dir: Some(Path::new("input")),
        },
    );
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let media = load_media(&parsed.bulletin, Path::new("input"), &LoadOptions::default()).expect("sample photos");
    (parsed.bulletin, media)
}

/// The sample's editions repeated 16 times: 32 editions, ids and numbers renewed.
fn large() -> (Bulletin, MediaBag) {
    let (mut bulletin, media) = sample();
    let editions = bulletin.editions.clone();
    bulletin.editions = (0..16).flat_map(|_| editions.clone()).collect();
    for (i, edition) in bulletin.editions.iter_mut().enumerate() {
        edition.number = i as u32 + 1;
    }
    assign_ids(&mut bulletin);
    (bulletin, media)
}

/// The entries of a ZIP file in order: name, stored (not compressed), bytes.
fn unzip(epub: &[u8]) -> Vec<(String, bool, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).expect("a ZIP file");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("entry bytes");
            (
                file.name().expect("entry name").into_owned(),
                file.compression() == zip::CompressionMethod::Stored,
                bytes,
            )
        })
        .collect()
}

fn text_files(epub: &[u8]) -> BTreeMap<String, String> {
    unzip(epub)
        .into_iter()
        .filter(|(name, _, _)| ![".jpg", ".png", ".ttf", ".otf"].iter().any(|ext| name.ends_with(ext)))
        .map(|(name, _, bytes)| (name, String::from_utf8(bytes).expect("UTF-8 text")))
        .collect()
}

/// Every element of an XML document as (name, attributes, text inside it), checking that the
/// document is well-formed.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                for &i in &open {
                    out[i].2.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let text = match &*r.xml10_content() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "'",
                };
                for &i in &open {
                    out[i].2.push_str(text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> (String, BTreeMap<String, String>, String) {
    let name = e.name().as_ref().to_string();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("attribute");
            (
                a.key.as_ref().to_string(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .expect("value")
                    .into_owned(),
            )
        })
        .collect();
    (name, attrs, String::new())
}

fn has_class(attrs: &BTreeMap<String, String>, class: &str) -> bool {
    attrs.get("class").is_some_and(|c| c.split(' ').any(|c| c == class))
}

/// Run `validate-epub --strict`; `false` when the validator cannot run here (and that is
/// allowed), after printing why.
fn validate(epub: &[u8], name: &str) -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::env::var_os("ZHIBAN_SHARED")
        .map(|s| PathBuf::from(s).join("tools/validate-epub"))
        .unwrap_or_else(|| root.join("../shared/tools/validate-epub"));
    let required = std::env::var("ZHIBAN_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1");
    let skip = |why: String| {
        assert!(!required, "ZHIBAN_REQUIRE_VALIDATORS=1 but {why}");
        println!("skipped: {why}");
        false
    };
    if !script.is_file() {
        return skip(format!("no validator at {}", script.display()));
    }
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, epub).expect("write EPUB");
    let out = Command::new("bash")
        .arg(&script)
        .arg("--strict")
        .arg(&path)
        .output()
        .expect("run validate-epub");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit code 2 with the script's own message: no Java or no EPUBCheck jar here.
    if out.status.code() == Some(2) && stderr.contains("validate-epub:") {
        return skip(stderr.trim().to_string());
    }
    assert!(out.status.success(), "EPUBCheck failed for {name}:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("No errors or warnings detected"),
        "EPUBCheck reported messages for {name}:\n{stdout}\n{stderr}"
    );
    true
}

#[test]
fn sample_passes_epubcheck_strict() {
    let (bulletin, media) = sample();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    validate(&epub, "sample.epub");
}

#[test]
fn large_issue_passes_epubcheck_strict() {
    let (bulletin, media) = large();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let files = text_files(&epub);
    assert_eq!(files.keys().filter(|n| n.contains("edition-")).count(), 32);
    let nav = &files["EPUB/nav.xhtml"];
    assert!(nav.contains(">32</a>"), "page list reaches page 32");
    validate(&epub, "large.epub");
}

#[test]
fn output_is_byte_identical() {
    let (bulletin, media) = sample();
    let one = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let two = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    assert!(one == two, "two renders differ");
    // A given time changes dcterms:modified and the entry times, nothing else of the text.
    let later = EpubOptions {
        modified: Timestamp::from_unix_seconds(1_700_000_000),
        ..EpubOptions::default()
    };
    let three = render_epub(&RenderContext::new(&bulletin, &media), &later).expect("render");
    let opf = &text_files(&three)["EPUB/package.opf"];
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    assert_eq!(
        text_files(&one)["EPUB/package.opf"].replace("2020-12-28T00:00:00Z", "2023-11-14T22:13:20Z"),
        *opf
    );
}

#[test]
fn container_starts_with_stored_mimetype() {
    let (bulletin, media) = sample();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let entries = unzip(&epub);
    let (name, stored, bytes) = &entries[0];
    assert_eq!((name.as_str(), *stored), ("mimetype", true));
    assert_eq!(bytes, b"application/epub+zip");
    // OCF §4.2.2: no extra field in the mimetype header, so the magic is at byte 38.
    assert_eq!(&epub[30..38], b"mimetype");
    assert_eq!(&epub[38..58], b"application/epub+zip");
    let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names[1..3], ["META-INF/container.xml", "EPUB/package.opf"]);
    for name in [
        "EPUB/nav.xhtml",
        "EPUB/cover.xhtml",
        "EPUB/edition-01.xhtml",
        "EPUB/edition-02.xhtml",
        "EPUB/css/zhiban.css",
        "EPUB/images/cover.svg",
        "EPUB/images/photo-01.jpg",
        "EPUB/toc.ncx",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // The photo travels byte for byte.
    let photo = &entries
        .iter()
        .find(|(n, _, _)| n.ends_with("photo-01.jpg"))
        .expect("photo")
        .2;
    assert_eq!(*photo, std::fs::read("input/photos/coffee.jpg").expect("photo"));
}

#[test]
fn package_metadata_is_complete_and_stable() {
    let (bulletin, media) = sample();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let opf = &text_files(&epub)["EPUB/package.opf"];
    let els = elements(opf);
    let text_of = |name: &str| -> Vec<&str> { els.iter().filter(|e| e.0 == name).map(|e| e.2.as_str()).collect() };
    assert_eq!(text_of("dc:title"), ["示范区头条 2020年12月28日"]);
    assert_eq!(text_of("dc:language"), ["zh-CN"]);
    assert_eq!(text_of("dc:date"), ["2020-12-28"]);
    assert_eq!(text_of("dc:publisher"), ["示范区头条"]);
    let id = text_of("dc:identifier")[0];
    assert!(id.starts_with("urn:uuid:") && id.len() == 45, "{id}");
    let meta = |property: &str| -> Vec<&str> {
        els.iter()
            .filter(|e| e.0 == "meta" && e.1.get("property").map(String::as_str) == Some(property))
            .map(|e| e.2.as_str())
            .collect()
    };
    assert_eq!(meta("dcterms:modified"), ["2020-12-28T00:00:00Z"]);
    for feature in [
        "structuralNavigation",
        "alternativeText",
        "printPageNumbers",
        "tableOfContents",
    ] {
        assert!(meta("schema:accessibilityFeature").contains(&feature), "{feature}");
    }
    assert_eq!(meta("schema:accessMode"), ["textual", "visual"]);
    assert!(meta("schema:accessModeSufficient").contains(&"textual"));
    assert_eq!(meta("schema:accessibilityHazard"), ["none"]);
    assert!(!meta("schema:accessibilitySummary")[0].is_empty());
    // Another issue of the same paper gets another identifier; the same issue the same one.
    let mut next = bulletin.clone();
    next.meta.date = zhiban::model::Date::new(2021, 1, 4).expect("date");
    next.meta.issue = Some(2);
    let other = render_epub(&RenderContext::new(&next, &media), &EpubOptions::default()).expect("render");
    let other_opf = &text_files(&other)["EPUB/package.opf"];
    assert!(!other_opf.contains(id));
    assert!(opf.contains("<spine page-progression-direction=\"ltr\" toc=\"ncx\">"));
}

#[test]
fn navigation_lists_headlines_landmarks_and_print_pages() {
    let (bulletin, media) = sample();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let files = text_files(&epub);
    let els = elements(&files["EPUB/nav.xhtml"]);
    let nav = |kind: &str| {
        els.iter()
            .find(|e| e.0 == "nav" && e.1.get("epub:type").map(String::as_str) == Some(kind))
            .unwrap_or_else(|| panic!("no {kind} nav"))
    };
    let toc = &nav("toc").2;
    for headline in [
        "第一版 要闻",
        "示范区召开党工委（扩大）会议",
        "宁郭镇 打造年轻化知识化专业化干部队伍",
        "第二版 综合",
        "岁末年初比比看",
        "示范区科创局：为大力度打造“科创引擎”强攻坚",
    ] {
        assert!(toc.contains(headline), "toc lacks {headline}");
    }
    assert!(!toc.contains(".xhtml"), "toc labels are headlines, not file names");
    assert!(nav("landmarks").2.contains("正文"));
    let links: Vec<(&str, &str)> = els
        .iter()
        .filter(|e| e.0 == "a" && e.1["href"].contains("#page-"))
        .map(|e| (e.1["href"].as_str(), e.2.as_str()))
        .collect();
    assert_eq!(
        links,
        [("edition-01.xhtml#page-1", "1"), ("edition-02.xhtml#page-2", "2")]
    );
    assert_eq!(nav("page-list").1.get("role").map(String::as_str), Some("doc-pagelist"));
    // The markers open each edition, before its heading.
    for (file, id, label) in [
        ("EPUB/edition-01.xhtml", "page-1", "1"),
        ("EPUB/edition-02.xhtml", "page-2", "2"),
    ] {
        let els = elements(&files[file]);
        let marker = els
            .iter()
            .position(|e| e.1.get("id").map(String::as_str) == Some(id))
            .expect("marker");
        let (_, attrs, _) = &els[marker];
        assert_eq!(attrs["epub:type"], "pagebreak");
        assert_eq!(attrs["role"], "doc-pagebreak");
        assert_eq!(attrs["aria-label"], label);
        assert_eq!(els[marker + 1].0, "h1");
    }
    // Every table-of-contents target exists.
    for href in els.iter().filter(|e| e.0 == "a").map(|e| &e.1["href"]) {
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let doc = &files[&format!("EPUB/{file}")];
        assert!(
            fragment.is_empty() || doc.contains(&format!("id=\"{fragment}\"")),
            "{href}"
        );
    }
}

#[test]
fn content_has_language_roles_and_real_alt_text() {
    let (bulletin, media) = sample();
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render");
    let files = text_files(&epub);
    let mut images = 0;
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let els = elements(text);
        let html = &els[0];
        assert_eq!(html.0, "html");
        assert_eq!(html.1.get("lang").map(String::as_str), Some("zh-CN"), "{name}");
        assert_eq!(html.1.get("xml:lang").map(String::as_str), Some("zh-CN"), "{name}");
        for (i, e) in els.iter().enumerate().filter(|(_, e)| e.0 == "img") {
            images += 1;
            let alt = e.1.get("alt").map(String::as_str).unwrap_or_default();
            assert!(!alt.trim().is_empty(), "{name}: img without alt");
            // In a figure, the caption follows the image, visible, and differs from the alt.
            if let Some(caption) = els[i..].iter().find(|e| e.0 == "figcaption") {
                assert!(!caption.1.contains_key("hidden") && !caption.1.contains_key("class"));
                assert_ne!(caption.2.trim(), alt);
                assert!(!caption.2.contains(alt) && !alt.contains(caption.2.trim()));
                assert!(caption.2.contains("本报记者 翟鹏程 摄"), "credit in the caption");
            }
        }
    }
    assert_eq!(images, 2, "the photo and the cover");
    let first = elements(&files["EPUB/edition-01.xhtml"]);
    let with_class = |class: &str| first.iter().filter(|e| has_class(&e.1, class)).count();
    assert_eq!(with_class("kicker"), 1);
    assert_eq!(with_class("headline"), 7);
    assert_eq!(with_class("subtitle"), 1);
    assert_eq!(with_class("dateline"), 7);
    assert_eq!(with_class("dateline-source"), 7);
    let kicker = first.iter().position(|e| has_class(&e.1, "kicker")).expect("kicker");
    assert_eq!(first[kicker].2, "扎实开展村（社区）“两委”换届工作");
    // Word-break marks (`<wbr/>`) inside the kicker come between it and its headline.
    let next = first[kicker + 1..]
        .iter()
        .find(|e| e.0 != "wbr")
        .expect("an element after the kicker");
    assert!(
        has_class(&next.1, "headline"),
        "the kicker stands right above its headline"
    );
    // The headline's typed space is a clause gap, and it breaks between words only.
    let headline = first
        .iter()
        .find(|e| e.2.starts_with("宁郭镇"))
        .expect("宁郭镇 headline");
    assert_eq!(headline.2, "宁郭镇 打造年轻化知识化专业化干部队伍");
    let xhtml = &files["EPUB/edition-01.xhtml"];
    assert!(
        xhtml.contains("宁郭镇<span class=\"gap\"> </span>打造<wbr/>年轻化<wbr/>知识化<wbr/>专业化<wbr/>干部队伍"),
        "headline break marks"
    );
    let second = elements(&files["EPUB/edition-02.xhtml"]);
    let banner = second
        .iter()
        .find(|e| has_class(&e.1, "banner"))
        .expect("section banner");
    assert_eq!((banner.0.as_str(), banner.2.as_str()), ("h2", "岁末年初比比看"));
    assert_eq!(second.iter().filter(|e| has_class(&e.1, "byline")).count(), 2);
    // The stylesheet sets Chinese reading defaults.
    let css = &files["EPUB/css/zhiban.css"];
    for rule in [
        "text-indent: 2em",
        "line-height: 1.8",
        "text-align: justify",
        "line-break: strict",
        "\"Songti SC\"",
        "\"PingFang SC\"",
        "\"Kaiti SC\"",
    ] {
        assert!(css.contains(rule), "css lacks {rule}");
    }
}

#[test]
fn print_pages_from_the_layout_place_markers_inside_articles() {
    let (bulletin, media) = sample();
    let mut pages = PrintPages::new();
    pages.push("e1", None, "1");
    pages.push("e1-a2", Some(2), "2");
    pages.push("e2", None, "3");
    pages.push("e2-a2", None, "4");
    let options = EpubOptions {
        print_pages: Some(pages),
        ..EpubOptions::default()
    };
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &options).expect("render");
    let files = text_files(&epub);
    let nav = &files["EPUB/nav.xhtml"];
    for (href, label) in [
        ("edition-01.xhtml#page-1", "1"),
        ("edition-01.xhtml#page-2", "2"),
        ("edition-02.xhtml#page-3", "3"),
        ("edition-02.xhtml#page-4", "4"),
    ] {
        assert!(nav.contains(&format!("<a href=\"{href}\">{label}</a>")), "{href}");
    }
    // Page 2 starts before the third paragraph of the second article.
    let els = elements(&files["EPUB/edition-01.xhtml"]);
    let article = els
        .iter()
        .position(|e| e.1.get("id").map(String::as_str) == Some("e1-a2"))
        .expect("article");
    let marker = els
        .iter()
        .position(|e| e.1.get("id").map(String::as_str) == Some("page-2"))
        .expect("marker");
    let paragraphs_between = els[article..marker]
        .iter()
        .filter(|e| e.0 == "p" && !e.1.contains_key("class"))
        .count();
    assert_eq!(paragraphs_between, 2);
    validate(&epub, "print-pages.epub");

    for (id, block, want) in [("nope", None, "no edition"), ("e1-a2", Some(99), "body blocks")] {
        let mut bad = PrintPages::new();
        bad.push(id, block, "9");
        let err = render_epub(
            &RenderContext::new(&bulletin, &media),
            &EpubOptions {
                print_pages: Some(bad),
                ..EpubOptions::default()
            },
        )
        .expect_err("bad page start");
        assert!(err.to_string().contains(want), "{err}");
    }
}

#[test]
fn figures_without_a_real_alt_text_are_refused() {
    let (bulletin, media) = sample();
    let mut no_alt = bulletin.clone();
    for item in &mut no_alt.editions[0].items {
        if let Item::PhotoNews(f) = item {
            f.alt = " ".into();
        }
    }
    // The error points at the figure's line in the source (its credit).
    let src = std::fs::read_to_string(SAMPLE).expect("sample issue");
    match render_epub(&RenderContext::new(&no_alt, &media), &EpubOptions::default()) {
        Err(EpubError::MissingAltText {
            figure,
            span: Some(span),
        }) => {
            assert_eq!(figure, "e1-f1");
            assert_eq!(&src[span.start..span.end], "本报记者 翟鹏程 摄");
        }
        other => panic!("expected MissingAltText with a span, got {other:?}"),
    }
    let mut repeats = bulletin.clone();
    for item in &mut repeats.editions[0].items {
        if let Item::PhotoNews(f) = item {
            f.alt = f.caption.iter().map(|c| zhiban::model::plain_text(c)).collect();
        }
    }
    assert!(matches!(
        render_epub(&RenderContext::new(&repeats, &media), &EpubOptions::default()),
        Err(EpubError::AltRepeatsCaption { .. })
    ));
    assert!(matches!(
        render_epub(
            &RenderContext::new(&bulletin, &MediaBag::default()),
            &EpubOptions::default()
        ),
        Err(EpubError::MissingMedia { .. })
    ));
    let mut empty = bulletin.clone();
    empty.editions.clear();
    assert!(matches!(
        render_epub(&RenderContext::new(&empty, &media), &EpubOptions::default()),
        Err(EpubError::NoEditions)
    ));
    let mut bad_lang = bulletin.clone();
    bad_lang.meta.language = "zh CN".into();
    assert!(matches!(
        render_epub(&RenderContext::new(&bad_lang, &media), &EpubOptions::default()),
        Err(EpubError::BadLanguage { .. })
    ));
    let mut twice = bulletin.clone();
    twice.editions[1].id = "e1".into();
    assert!(matches!(
        render_epub(&RenderContext::new(&twice, &media), &EpubOptions::default()),
        Err(EpubError::BadId { .. })
    ));
    // A control character in the text is refused, not written into invalid XML.
    let mut control = bulletin;
    if let Item::Article(a) = &mut control.editions[0].items[0]
        && let Some(Block::Paragraph(p)) = a.body.first_mut()
    {
        p.content = vec![zhiban::model::Inline::Text(zhiban::model::Text::from_source(
            "坏\u{7}字",
            100,
        ))];
    }
    match render_epub(&RenderContext::new(&control, &media), &EpubOptions::default()) {
        Err(EpubError::ForbiddenCharacter {
            character: '\u{7}',
            span: Some(span),
            ..
        }) => assert_eq!((span.start, span.end), (103, 104)),
        other => panic!("expected ForbiddenCharacter with a span, got {other:?}"),
    }
}

#[test]
#[cfg(feature = "epub-fonts")]
fn embedded_fonts_are_small_subsets_that_pass_epubcheck() {
    use std::sync::Arc;
    use zhiban::render::epub::{EmbedFonts, FontFile};
    let (bulletin, media) = sample();
    let font = |file: &str, license: &str| FontFile {
        bytes: Arc::new(std::fs::read(Path::new("fonts").join(file)).expect("bundled font")),
        license: std::fs::read_to_string(Path::new("fonts").join(license)).expect("licence"),
    };
    let options = EpubOptions {
        embed_fonts: Some(EmbedFonts {
            song: Some(font("NotoSerifSC-Regular.ttf", "OFL-NotoSerifSC.txt")),
            hei: Some(font("NotoSansSC-Bold.ttf", "OFL-NotoSansSC.txt")),
            rare: Some(font("HanaMinB.ttf", "LICENSE-HanaMinB.txt")),
        }),
        ..EpubOptions::default()
    };
    let epub = render_epub(&RenderContext::new(&bulletin, &media), &options).expect("render");
    assert!(
        epub == render_epub(&RenderContext::new(&bulletin, &media), &options).expect("render"),
        "not deterministic"
    );
    let entries = unzip(&epub);
    for name in ["EPUB/fonts/song.ttf", "EPUB/fonts/hei.ttf"] {
        let (_, _, bytes) = entries.iter().find(|(n, _, _)| n == name).expect(name);
        // A subset of the ~1000 characters used, not the 10–15 MB font.
        assert!(bytes.len() < 600_000, "{name}: {} bytes", bytes.len());
        assert_eq!(&bytes[..4], &[0, 1, 0, 0], "{name} is TrueType");
    }
    let files = text_files(&epub);
    let css = &files["EPUB/css/zhiban.css"];
    assert!(css.contains("font-family: \"zhiban Song\";") && css.contains("src: url(\"../fonts/song.ttf\");"));
    assert!(css.contains("font-family: \"zhiban Song\", \"Songti SC\""));
    assert!(css.contains("font-family: \"zhiban Hei\", \"PingFang SC\""));
    let opf = &files["EPUB/package.opf"];
    assert!(opf.contains("href=\"fonts/song.ttf\" media-type=\"font/ttf\""));
    assert!(opf.contains("<itemref idref=\"fonts-license\" linear=\"no\"/>"));
    assert!(opf.contains("<meta property=\"ibooks:specified-fonts\">true</meta>"));
    assert!(files["EPUB/nav.xhtml"].contains("<a href=\"fonts.xhtml\">字体许可</a>"));
    assert!(files["EPUB/fonts.xhtml"].contains("SIL OPEN FONT LICENSE"));
    validate(&epub, "fonts.epub");

    let broken = EpubOptions {
        embed_fonts: Some(EmbedFonts {
            song: Some(FontFile {
                bytes: Arc::new(b"not a font".to_vec()),
                license: String::new(),
            }),
            hei: None,
            rare: None,
        }),
        ..EpubOptions::default()
    };
    let err = render_epub(&RenderContext::new(&bulletin, &media), &broken).expect_err("not a font");
    assert!(matches!(err, EpubError::Font { role: "song", .. }), "{err}");
    // No font given: the same EPUB as without the option.
    let none = EpubOptions {
        embed_fonts: Some(EmbedFonts::default()),
        ..EpubOptions::default()
    };
    assert!(
        render_epub(&RenderContext::new(&bulletin, &media), &none).expect("render")
            == render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("render")
    );
}

#[test]
fn rare_characters_get_a_subset_of_the_rare_font_after_song_and_hei() {
    use std::sync::Arc;
    use zhiban::render::epub::{EmbedFonts, FontFile};
    // 𠀀 U+20000 (Extension B) and 𫝀 U+2B740 (Extension D): beyond the Noto SC fonts and most
    // reading systems' fonts.
    let text = "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n# 第一版 要闻\n## 生僻字\u{20000}入标题\n\n本报讯 地名\u{2B740}见于县志。\n";
    let parsed = parse(text, ParseOptions::default());
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut bulletin = parsed.bulletin;
    assign_ids(&mut bulletin);
    let rare = FontFile {
        bytes: Arc::new(std::fs::read("fonts/HanaMinB.ttf").expect("bundled font")),
        license: std::fs::read_to_string("fonts/LICENSE-HanaMinB.txt").expect("licence"),
    };
    let options = EpubOptions {
        embed_fonts: Some(EmbedFonts {
            rare: Some(rare),
            ..EmbedFonts::default()
        }),
        ..EpubOptions::default()
    };
    let epub = render_epub(&RenderContext::new(&bulletin, &MediaBag::default()), &options).expect("render");
    let entries = unzip(&epub);
    let (_, _, font) = entries
        .iter()
        .find(|(n, _, _)| n == "EPUB/fonts/rare.ttf")
        .expect("the rare subset");
    // Two characters and .notdef, not the 30 MB font.
    assert!(font.len() < 20_000, "rare.ttf: {} bytes", font.len());
    assert!(
        !entries.iter().any(|(n, _, _)| n.ends_with("song.ttf")),
        "no Song asked for"
    );
    let files = text_files(&epub);
    let css = &files["EPUB/css/zhiban.css"];
    assert!(css.contains("font-family: \"zhiban Rare\";"), "{css}");
    assert!(css.contains("font-family: \"zhiban Rare\", \"Songti SC\""), "{css}");
    assert!(css.contains("font-family: \"zhiban Rare\", \"PingFang SC\""), "{css}");
    assert!(
        files["EPUB/fonts.xhtml"].contains("Hanazono"),
        "the licence travels with it"
    );
    validate(&epub, "rare.epub");

    // With the Song subset too, the rare one comes right after it.
    let song = FontFile {
        bytes: Arc::new(std::fs::read("fonts/NotoSerifSC-Regular.ttf").expect("bundled font")),
        license: std::fs::read_to_string("fonts/OFL-NotoSerifSC.txt").expect("licence"),
    };
    let both = EpubOptions {
        embed_fonts: Some(EmbedFonts {
            song: Some(song),
            ..options.embed_fonts.clone().expect("fonts")
        }),
        ..EpubOptions::default()
    };
    let epub = render_epub(&RenderContext::new(&bulletin, &MediaBag::default()), &both).expect("render");
    let css = &text_files(&epub)["EPUB/css/zhiban.css"];
    assert!(
        css.contains("font-family: \"zhiban Song\", \"zhiban Rare\", \"Songti SC\""),
        "{css}"
    );
    assert!(css.contains("font-family: \"zhiban Rare\", \"PingFang SC\""), "{css}");
}
