//! The importer's labelled test set: every `tests/import/*.txt` is imported and its structure
//! compared with `*.expected.json`; precision and recall are printed per field.
//!
//! Run `cargo test --release --test import_corpus -- --nocapture` to see the table.
//! `UPDATE_EXPECTED=1` rewrites each `*.expected.json` from the hand-marked `gold/*.zb`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use zhiban::import::{ImportOptions, import};
use zhiban::markup::{ParseOptions, parse};
use zhiban::model::{Article, Block, Bulletin, Figure, Item, plain_text};

/// Paragraphs and captions are compared by their first characters ("paragraph starts"): enough
/// to tell paragraphs apart, robust to repairs inside them.
const PREFIX_CHARS: usize = 12;

/// The fields scored, in table order.
const FIELDS: &[&str] = &[
    "kicker",
    "headline",
    "subtitle",
    "byline",
    "dateline",
    "paragraph",
    "subhead",
    "note",
    "caption",
    "credit",
    "banner",
    "edition",
    "furniture",
    "meta",
];

/// Lowest precision and recall any field may fall to on the development pages.
const FLOOR: f64 = 0.75;

/// Lowest precision and recall over all items of a held-out batch: a regression guard set below
/// the scores measured after the fixes each batch prompted (fields have too few items there to
/// guard one by one).
const HELD_OUT_FLOOR: f64 = 0.9;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn prefix(s: &str) -> String {
    norm(s).chars().take(PREFIX_CHARS).collect()
}

fn figure_json(f: &Figure) -> Value {
    json!({
        "captions": f.caption.iter().map(|c| prefix(&plain_text(c))).collect::<Vec<_>>(),
        "credit": f.credit.as_ref().map(|c| norm(c.as_str())),
    })
}

fn article_json(a: &Article) -> Value {
    let mut paragraphs = Vec::new();
    let mut dateline = None;
    let mut subheads = Vec::new();
    let mut notes = Vec::new();
    let mut figures = Vec::new();
    for b in &a.body {
        match b {
            Block::Paragraph(p) => {
                let mut text = String::new();
                if let Some(d) = &p.dateline {
                    dateline = Some(norm(d.text.as_str()));
                    text.push_str(d.text.as_str());
                }
                text.push_str(&plain_text(&p.content));
                paragraphs.push(prefix(&text));
            }
            Block::Subhead { content } => subheads.push(norm(&plain_text(content))),
            Block::Note { content } => notes.push(norm(&plain_text(content))),
            Block::Figure(f) => figures.push(figure_json(f)),
            Block::Boxed { paragraphs: ps } => paragraphs.extend(ps.iter().map(|p| prefix(&plain_text(p)))),
        }
    }
    json!({
        "kicker": a.kicker.as_ref().map(|k| norm(&plain_text(k))),
        "headline": norm(&plain_text(&a.headline)),
        "subtitles": a.subtitles.iter().map(|s| norm(&plain_text(s))).collect::<Vec<_>>(),
        "bylines": a.bylines.iter().map(|b| norm(b.text.as_str())).collect::<Vec<_>>(),
        "dateline": dateline,
        "paragraphs": paragraphs,
        "subheads": subheads,
        "notes": notes,
        "figures": figures,
    })
}

/// The expected-structure JSON of a bulletin.
fn structure(b: &Bulletin) -> Value {
    let mut articles = Vec::new();
    let mut photo_news = Vec::new();
    let mut banners = Vec::new();
    let mut furniture = Vec::new();
    let mut editions = Vec::new();
    fn walk(items: &[Item], a: &mut Vec<Value>, p: &mut Vec<Value>, s: &mut Vec<Value>, f: &mut Vec<Value>) {
        for item in items {
            match item {
                Item::Article(x) => a.push(article_json(x)),
                Item::PhotoNews(x) => p.push(figure_json(x)),
                Item::Section(x) => {
                    s.push(json!(norm(x.title.as_str())));
                    walk(&x.items, a, p, s, f);
                }
                Item::Furniture(x) => f.push(json!(format!(
                    "{}:{}",
                    x.kind.keyword(),
                    x.title.as_ref().map(|t| norm(t.as_str())).unwrap_or_default()
                ))),
            }
        }
    }
    for e in &b.editions {
        editions.push(json!(format!(
            "{} {} {}",
            e.number,
            e.name,
            e.editor.clone().unwrap_or_default()
        )));
        walk(&e.items, &mut articles, &mut photo_news, &mut banners, &mut furniture);
    }
    json!({
        "publication": b.meta.publication,
        "date": b.meta.date.to_string(),
        "editions": editions,
        "banners": banners,
        "articles": articles,
        "photo_news": photo_news,
        "furniture": furniture,
    })
}

/// Every scored item of a structure, as (field, value) pairs.
fn items(v: &Value) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    out.push(("meta", format!("publication={}", s(&v["publication"]))));
    out.push(("meta", format!("date={}", s(&v["date"]))));
    for e in list(&v["editions"]) {
        out.push(("edition", s(&e)));
    }
    for b in list(&v["banners"]) {
        out.push(("banner", s(&b)));
    }
    for f in list(&v["furniture"]) {
        out.push(("furniture", s(&f)));
    }
    let figure = |f: &Value, out: &mut Vec<(&'static str, String)>| {
        for c in list(&f["captions"]) {
            out.push(("caption", s(&c)));
        }
        if f["credit"].is_string() {
            out.push(("credit", s(&f["credit"])));
        }
    };
    for f in list(&v["photo_news"]) {
        figure(&f, &mut out);
    }
    for a in list(&v["articles"]) {
        if a["kicker"].is_string() {
            out.push(("kicker", s(&a["kicker"])));
        }
        out.push(("headline", s(&a["headline"])));
        if a["dateline"].is_string() {
            out.push(("dateline", s(&a["dateline"])));
        }
        for (field, key) in [
            ("subtitle", "subtitles"),
            ("byline", "bylines"),
            ("paragraph", "paragraphs"),
            ("subhead", "subheads"),
            ("note", "notes"),
        ] {
            for x in list(&a[key]) {
                out.push((field, s(&x)));
            }
        }
        for f in list(&a["figures"]) {
            figure(&f, &mut out);
        }
    }
    out
}

/// Matched, predicted and expected counts of one field.
#[derive(Default, Clone, Copy)]
struct Count {
    matched: usize,
    predicted: usize,
    expected: usize,
}

fn score(expected: &Value, predicted: &Value, totals: &mut BTreeMap<&'static str, Count>) -> (usize, usize, usize) {
    let mut want: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for (f, v) in items(expected) {
        *want.entry((f, v)).or_default() += 1;
        totals.entry(f).or_default().expected += 1;
    }
    let (mut m, mut p, e) = (0, 0, want.values().sum());
    let show = std::env::var_os("SHOW_MISSES").is_some();
    for (f, v) in items(predicted) {
        let t = totals.entry(f).or_default();
        t.predicted += 1;
        p += 1;
        match want.get_mut(&(f, v.clone())).filter(|n| **n > 0) {
            Some(n) => {
                *n -= 1;
                t.matched += 1;
                m += 1;
            }
            None if show => println!("  extra   {f}: {v}"),
            None => {}
        }
    }
    if show {
        for ((f, v), n) in &want {
            for _ in 0..*n {
                println!("  missing {f}: {v}");
            }
        }
    }
    (m, p, e)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn inputs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/import exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

/// Pages whose name starts with this were written and marked up before the importer was run on
/// them, and were not used to tune it: their scores estimate accuracy on unseen text.
const HELD_OUT: &str = "heldout_";

/// A second batch of held-out pages, written after the fixes the first batch prompted.
const HELD_OUT_2: &str = "heldout2_";

/// Score one group of pages, print its tables, and return the fields below `floor`.
fn score_group(pages: &[PathBuf], title: &str, floor: f64, update: bool) -> (Vec<&'static str>, f64, f64) {
    let mut totals: BTreeMap<&'static str, Count> = BTreeMap::new();
    println!(
        "\n== {title}\n{:<28} {:>8} {:>8} {:>8}",
        "page", "matched", "predict", "expect"
    );
    for page in pages {
        let stem = page
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let expected_path = dir().join(format!("{stem}.expected.json"));
        if update {
            let gold = std::fs::read_to_string(dir().join("gold").join(format!("{stem}.zb"))).expect("gold markup");
            let parsed = parse(&gold, ParseOptions::default());
            assert!(!parsed.has_errors(), "{stem}: gold markup has errors");
            let json = serde_json::to_string_pretty(&structure(&parsed.bulletin)).expect("json") + "\n";
            std::fs::write(&expected_path, json).expect("write expected");
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected json")).expect("valid json");
        let bytes = std::fs::read(page).expect("input");
        let imported = import(&bytes, &ImportOptions::default());
        let predicted = structure(&imported.bulletin);
        let (m, p, e) = score(&expected, &predicted, &mut totals);
        println!("{stem:<28} {m:>8} {p:>8} {e:>8}");
    }
    println!(
        "\n{:<10} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "field", "matched", "predict", "expect", "precision", "recall"
    );
    let mut low = Vec::new();
    for field in FIELDS {
        let c = totals.get(field).copied().unwrap_or_default();
        let (pr, re) = (ratio(c.matched, c.predicted), ratio(c.matched, c.expected));
        println!(
            "{field:<10} {:>8} {:>8} {:>8} {pr:>9.3} {re:>7.3}",
            c.matched, c.predicted, c.expected
        );
        if pr < floor || re < floor {
            low.push(*field);
        }
    }
    let all = totals.values().fold(Count::default(), |a, c| Count {
        matched: a.matched + c.matched,
        predicted: a.predicted + c.predicted,
        expected: a.expected + c.expected,
    });
    println!(
        "{:<10} {:>8} {:>8} {:>8} {:>9.3} {:>7.3}",
        "all",
        all.matched,
        all.predicted,
        all.expected,
        ratio(all.matched, all.predicted),
        ratio(all.matched, all.expected)
    );
    (low, ratio(all.matched, all.predicted), ratio(all.matched, all.expected))
}

#[test]
fn labelled_pages_score_above_the_floor() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let pages = inputs();
    assert!(pages.len() >= 6, "the test set has at least 6 pages");
    let named = |prefix: &str| -> Vec<PathBuf> {
        pages
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
            })
            .cloned()
            .collect()
    };
    let (batch1, batch2) = (named(HELD_OUT), named(HELD_OUT_2));
    let development: Vec<PathBuf> = pages
        .iter()
        .filter(|p| !batch1.contains(p) && !batch2.contains(p))
        .cloned()
        .collect();
    let (low, _, _) = score_group(&development, "development pages", FLOOR, update);
    assert!(low.is_empty(), "development fields below {FLOOR}: {low:?}");
    for (batch, title) in [
        (&batch1, "held-out pages, batch 1"),
        (&batch2, "held-out pages, batch 2"),
    ] {
        let (_, precision, recall) = score_group(batch, title, 0.0, update);
        assert!(
            precision >= HELD_OUT_FLOOR && recall >= HELD_OUT_FLOOR,
            "{title}: precision {precision:.3}, recall {recall:.3}, below {HELD_OUT_FLOOR}"
        );
    }
}
