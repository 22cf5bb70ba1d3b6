//! Issues of many editions: editions that run onto extra pages (moving the labels of the editions
//! after them), edition numbers with gaps, out of order and repeated, repeated article ids, and
//! errors; each laid out the same, to every float's bit, on one thread and on four (article bodies
//! are composed on rayon's threads).

use std::path::Path;

use zhiban::layout::FontBook;
use zhiban::layout::flow::{FlowError, PageLayout, layout_pages};
use zhiban::layout::spec::Layout;
use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, MediaBag, load_media};
use zhiban::model::{Bulletin, Item};

/// The sample issue's markup file.
const SAMPLE: &str = "input/shifanqu-2020-12-28.zb";

/// The sample's front matter and its two editions' bodies (without their `# 第N版 …` headings).
fn sample_parts() -> (String, [String; 2]) {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let body_at = src.match_indices("+++").nth(1).map_or(0, |(i, _)| i + 3);
    let (front, body) = src.split_at(body_at);
    let second = body.find("\n# 第二版").expect("second edition") + 1;
    let strip = |e: &str| e.split_once('\n').map_or("", |(_, rest)| rest).to_string();
    let first = body[..second].trim_start_matches('\n');
    (front.to_string(), [strip(first), strip(&body[second..])])
}

/// An article long enough to run over two extra tabloid pages.
fn long_article(title: &str) -> String {
    let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(8);
    let body: String = (0..40).map(|_| format!("{para}\n\n")).collect();
    format!("## {title}\n\n{body}")
}

/// An issue of the given edition bodies, numbered 1, 2, … in the markup.
fn issue(front: &str, editions: &[String]) -> String {
    let mut out = front.to_string();
    out.push_str("\n\n");
    for (i, e) in editions.iter().enumerate() {
        out.push_str(&format!("# 第{}版 第{}块\n\n{e}\n", i + 1, i + 1));
    }
    out
}

/// Fonts and layout, once per test.
fn tabloid() -> (Layout, FontBook) {
    let layout = Layout::load("tabloid", &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).expect("layout");
    let book = layout.font_book().expect("fonts");
    (layout, book)
}

/// Parse markup with the sample's photos.
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

/// Lay `b` out on a pool of one thread, on rayon's global pool and on a pool of four threads,
/// and assert all three the same, down to every float's bits (`Debug` prints each float so that
/// it reads back the same).
fn layout_on_any_threads(
    b: &Bulletin,
    media: &MediaBag,
    (layout, book): &(Layout, FontBook),
) -> Result<Vec<PageLayout>, FlowError> {
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| layout_pages(b, media, &layout.spec, book))
    };
    let one = on(1);
    let global = layout_pages(b, media, &layout.spec, book);
    let four = on(4);
    for (name, other) in [("global pool", &global), ("four threads", &four)] {
        match (&one, other) {
            (Ok(s), Ok(p)) => {
                assert_eq!(s.len(), p.len(), "{name}: page count");
                for (i, (s, p)) in s.iter().zip(p).enumerate() {
                    assert!(
                        format!("{s:?}") == format!("{p:?}"),
                        "{name}: page {i} (label {} / {}) differs from one thread's",
                        s.label,
                        p.label
                    );
                }
            }
            (Err(s), Err(p)) => assert_eq!(s, p, "{name}: errors differ"),
            (s, p) => panic!(
                "{name}: one thread gave {}, more {}",
                s.as_ref().map_or("an error", |_| "pages"),
                p.as_ref().map_or("an error", |_| "pages")
            ),
        }
    }
    one
}

/// Label of the first page of each edition.
fn first_labels(pages: &[PageLayout]) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if out.last().is_none_or(|(e, _, _)| *e != p.edition) {
            out.push((p.edition, i, p.label.clone()));
        }
    }
    out
}

#[test]
fn many_editions_each_fit_their_page() {
    let fonts = tabloid();
    let (front, [a, b]) = sample_parts();
    let editions: Vec<String> = (0..12)
        .map(|i| if i % 2 == 0 { a.clone() } else { b.clone() })
        .collect();
    let (bulletin, media) = model(&issue(&front, &editions));
    let pages = layout_on_any_threads(&bulletin, &media, &fonts).expect("layout");
    assert_eq!(pages.len(), 12, "each edition fits its page");
}

#[test]
fn editions_after_one_that_runs_over_start_on_later_labels() {
    let fonts = tabloid();
    let (front, [a, b]) = sample_parts();
    let mut editions: Vec<String> = (0..9).map(|i| if i % 2 == 0 { a.clone() } else { b.clone() }).collect();
    // Editions 2 and 6 run over onto extra pages; every later edition's first label moves.
    editions[1] = format!("{}{}", long_article("很长的文章"), b);
    editions[5] = long_article("又一篇很长的文章");
    let (bulletin, media) = model(&issue(&front, &editions));
    let pages = layout_on_any_threads(&bulletin, &media, &fonts).expect("layout");
    let firsts = first_labels(&pages);
    assert!(pages.len() > editions.len(), "extra pages");
    assert!(
        firsts
            .iter()
            .any(|(e, _, label)| *label != bulletin.editions[*e].number.to_string()),
        "some edition starts on a later label than its number: {firsts:?}"
    );
}

#[test]
fn edition_numbers_with_gaps_out_of_order_and_repeated_are_laid_out() {
    let fonts = tabloid();
    let (front, [a, b]) = sample_parts();
    let mut editions: Vec<String> = (0..10)
        .map(|i| if i % 2 == 0 { a.clone() } else { b.clone() })
        .collect();
    editions[0] = format!("{}{}", long_article("头版长文"), a);
    editions[4] = long_article("中间的长文");
    let (mut bulletin, media) = model(&issue(&front, &editions));
    // Gaps: later editions keep their labels but not their page indices, so only the page
    // numbers and jumps move.
    let gaps = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90];
    for (e, n) in bulletin.editions.iter_mut().zip(gaps) {
        e.number = n;
    }
    let pages = layout_on_any_threads(&bulletin, &media, &fonts).expect("layout");
    let firsts = first_labels(&pages);
    assert!(
        firsts
            .iter()
            .any(|(e, i, label)| *label == bulletin.editions[*e].number.to_string() && i > e),
        "some edition keeps its label on a later page index: {firsts:?}"
    );
    // Out of order and repeated (the model allows it; the markup reader refuses repeats).
    for numbers in [
        [5, 3, 3, 1, 9, 9, 2, 4, 4, 100],
        [2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
        [0, 0, 0, 7, 6, 5, 4, 3, 2, 1],
    ] {
        for (e, n) in bulletin.editions.iter_mut().zip(numbers) {
            e.number = n;
        }
        layout_on_any_threads(&bulletin, &media, &fonts).expect("layout");
    }
}

#[test]
fn repeated_article_ids_are_laid_out() {
    let fonts = tabloid();
    let (front, [a, b]) = sample_parts();
    let editions: Vec<String> = (0..6).map(|i| if i % 2 == 0 { a.clone() } else { b.clone() }).collect();
    let (mut bulletin, media) = model(&issue(&front, &editions));
    // Every edition's articles take the ids of the first edition's, so that heads set for
    // edition 1 are found again in the typesetter's cache.
    let ids: Vec<String> = article_ids(&bulletin.editions[0].items);
    for e in &mut bulletin.editions {
        let mut k = 0;
        rename_articles(&mut e.items, &ids, &mut k);
    }
    layout_on_any_threads(&bulletin, &media, &fonts).expect("layout");
}

/// Article ids of `items`, in order, sections included.
fn article_ids(items: &[Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Article(a) => out.push(a.id.clone()),
            Item::Section(s) => out.extend(article_ids(&s.items)),
            _ => {}
        }
    }
    out
}

/// Give the articles of `items` the ids of `ids` in turn.
fn rename_articles(items: &mut [Item], ids: &[String], k: &mut usize) {
    for item in items {
        match item {
            Item::Article(a) => {
                a.id = ids[*k % ids.len()].clone();
                *k += 1;
            }
            Item::Section(s) => rename_articles(&mut s.items, ids, k),
            _ => {}
        }
    }
}

#[test]
fn the_first_failing_edition_gives_the_error() {
    let fonts = tabloid();
    let (front, [a, b]) = sample_parts();
    let bad = |what: &str| format!("## {}\n\n正文。\n\n", what.repeat(2000));
    let mut editions: Vec<String> = (0..8).map(|i| if i % 2 == 0 { a.clone() } else { b.clone() }).collect();
    editions[1] = long_article("很长的文章");
    editions[3] = format!("{}{}", bad("超长标题"), b);
    editions[6] = bad("另一个超长标题");
    let (bulletin, media) = model(&issue(&front, &editions));
    let err = layout_on_any_threads(&bulletin, &media, &fonts).expect_err("must fail");
    assert!(err.message.contains("does not fit"), "{err}");
}
