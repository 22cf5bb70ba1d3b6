//! The build's stages on the sample issue (parse, layout, PDF, EPUB, archive, the archive's ALTO
//! alone) and the whole layout and PDF of generated issues of 1 to 32 editions, to show that cost
//! grows linearly with content.
//!
//! Fonts are loaded once outside the timed loops, as `zhiban batch` does.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use zhiban::layout::FontBook;
use zhiban::layout::flow::layout_pages;
use zhiban::layout::spec::Layout;
use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, MediaBag, load_media};
use zhiban::model::Bulletin;
use zhiban::render::RenderContext;
use zhiban::render::archive::{ArchiveOptions, Product, Products, render_alto_pages, render_archive};
use zhiban::render::epub::{EpubOptions, render_epub};
use zhiban::render::pdf::{PdfOptions, render_pdf};

/// The sample issue's markup file.
const SAMPLE: &str = "input/shifanqu-2020-12-28.zb";
/// Edition counts of the scaling curve.
const EDITIONS: [usize; 6] = [1, 2, 4, 8, 16, 32];

/// An issue of `n` editions: the sample's two editions in turn, renumbered 第一版, 第二版, ….
fn generated(src: &str, n: usize) -> String {
    let body_at = src.match_indices("+++").nth(1).map_or(0, |(i, _)| i + 3);
    let (front, body) = src.split_at(body_at);
    let second = body.find("\n# 第二版").map_or(body.len(), |i| i + 1);
    let editions = [&body[..second], &body[second..]];
    let mut out = front.to_string();
    for k in 0..n {
        let edition = editions[k % 2];
        let heading_end = edition.find('版').map_or(0, |i| i + '版'.len_utf8());
        let heading_start = edition.find("# 第").unwrap_or(0);
        out.push_str(&edition[..heading_start]);
        out.push_str(&format!("# 第{}版", numeral(k + 1)));
        out.push_str(&edition[heading_end..]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A Chinese numeral below 100 (一, 十二, 三十二).
fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        _ => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }
        ),
    }
}

/// Parse `src` and read its photos.
fn model(src: &str) -> (Bulletin, MediaBag) {
    let parsed = parse(
        src,
        ParseOptions {
            base_dir: Some(Path::new("input")),
        },
    );
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let media = load_media(&parsed.bulletin, Path::new("input"), &LoadOptions::default()).expect("photos");
    (parsed.bulletin, media)
}

fn stages(c: &mut Criterion) {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let layout = Layout::load("tabloid", &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).expect("layout");
    let book: FontBook = layout.font_book().expect("fonts");
    let (bulletin, media) = model(&src);
    let pages = layout_pages(&bulletin, &media, &layout.spec, &book).expect("layout");
    let mut g = c.benchmark_group("stages");
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| parse(black_box(&src), ParseOptions { base_dir: None }))
    });
    g.bench_function("layout", |b| {
        b.iter(|| layout_pages(&bulletin, &media, &layout.spec, &book).expect("layout"))
    });
    g.bench_function("pdf", |b| {
        b.iter(|| {
            render_pdf(
                &RenderContext::new(&bulletin, &media).with_print(&pages, &book, &layout.spec),
                &PdfOptions::default(),
            )
            .expect("pdf")
        })
    });
    g.bench_function("epub", |b| {
        b.iter(|| render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("epub"))
    });
    let products = Products {
        pdf: Product {
            name: "sample.pdf".into(),
            bytes: render_pdf(
                &RenderContext::new(&bulletin, &media).with_print(&pages, &book, &layout.spec),
                &PdfOptions::default(),
            )
            .expect("pdf"),
        },
        epub: Some(Product {
            name: "sample.epub".into(),
            bytes: render_epub(&RenderContext::new(&bulletin, &media), &EpubOptions::default()).expect("epub"),
        }),
    };
    g.bench_function("archive", |b| {
        b.iter(|| {
            render_archive(
                &RenderContext::new(&bulletin, &media).with_print(&pages, &book, &layout.spec),
                &products,
                &ArchiveOptions::default(),
            )
            .expect("archive")
        })
    });
    g.bench_function("alto", |b| {
        b.iter(|| {
            render_alto_pages(
                &RenderContext::new(&bulletin, &media).with_print(&pages, &book, &layout.spec),
                "sample.pdf",
                &ArchiveOptions::default(),
            )
            .expect("alto")
        })
    });
    g.bench_function("media", |b| {
        b.iter(|| load_media(&bulletin, Path::new("input"), &LoadOptions::default()).expect("photos"))
    });
    g.finish();

    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for n in EDITIONS {
        let text = generated(&src, n);
        let (bulletin, media) = model(&text);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("layout+pdf", n), &n, |b, _| {
            b.iter(|| {
                let pages = layout_pages(&bulletin, &media, &layout.spec, &book).expect("layout");
                render_pdf(
                    &RenderContext::new(&bulletin, &media).with_print(&pages, &book, &layout.spec),
                    &PdfOptions::default(),
                )
                .expect("pdf")
            })
        });
    }
    g.finish();

    // One article of n paragraphs that runs over many pages: every page measures the rest of it,
    // which must cost the page, not the rest (it once grew with the square of the length).
    let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(4);
    let mut g = c.benchmark_group("long-article");
    g.sample_size(10);
    for n in [100usize, 200, 400, 800] {
        let body = vec![para.as_str(); n].join("\n\n");
        let text = format!(
            "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n\n# 第一版 要闻\n\n## 很长的文章\n\n{body}\n"
        );
        let (bulletin, media) = model(&text);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("layout", n), &n, |b, _| {
            b.iter(|| layout_pages(&bulletin, &media, &layout.spec, &book).expect("layout"))
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
