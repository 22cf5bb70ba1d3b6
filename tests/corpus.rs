//! The corpus of `tests/corpus/` (one issue per genre, written here) on both layouts: every
//! issue builds, no headline breaks inside a word that fits on its line, no number is split
//! from its unit or a phone number between its digit groups, in any line of any page, and no
//! paragraph leaves its first or last line alone at a column break.

mod support;

use std::path::Path;

use support::{Built, at_phrase_boundary, build_text};
use zhiban::layout::flow::BlockKind;
use zhiban::layout::{Item, Line};

const LAYOUTS: [&str; 2] = ["tabloid", "a4-bulletin"];

/// Every issue of the corpus, by file name, with its markup.
fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "zb"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("markup"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 12, "the corpus holds {} issues", out.len());
    out
}

/// Each issue built with each layout.
fn builds() -> Vec<(String, &'static str, Built)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    for (name, src) in corpus() {
        for layout in LAYOUTS {
            match build_text(&src, &dir, layout) {
                Ok(b) => out.push((name.clone(), layout, b)),
                Err(e) => panic!("{name} does not build with {layout}: {e}"),
            }
        }
    }
    out
}

/// The lines of each block of kind `kind` on every page, in order: (page label, lines).
fn lines_of(b: &Built, kinds: &[BlockKind]) -> Vec<(String, f32, Vec<Line>)> {
    let mut out = Vec::new();
    for page in &b.pages {
        for block in page.blocks() {
            if !kinds.contains(&block.kind) {
                continue;
            }
            let lines = page.page.frame.items[block.items.clone()]
                .iter()
                .filter_map(|i| match i {
                    Item::Line(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            out.push((page.label.clone(), block.rect.width, lines));
        }
    }
    out
}

/// Consecutive lines of one paragraph: the second starts where the first's text range ends.
fn continues(prev: &Line, next: &Line) -> bool {
    next.text_range.start > 0 && next.text_range.start == prev.text_range.end
}

#[test]
fn every_issue_builds_on_both_layouts_and_its_pdf_renders() {
    for (name, layout, b) in builds() {
        assert!(!b.pages.is_empty(), "{name} {layout}");
        let pdf = support::pdf(&b, &Default::default());
        assert!(pdf.starts_with(b"%PDF-"), "{name} {layout}");
    }
}

#[test]
fn no_headline_breaks_inside_a_word_that_fits_its_line() {
    let mut checked = 0;
    for (name, layout, b) in builds() {
        for (page, width, lines) in lines_of(&b, &[BlockKind::Head]) {
            // A head's lines, paragraph by paragraph (kicker, headline, subtitles, bylines).
            let mut paragraphs: Vec<Vec<&Line>> = Vec::new();
            for line in &lines {
                match paragraphs.last_mut() {
                    Some(p) if line.text_range.start > 0 => p.push(line),
                    _ => paragraphs.push(vec![line]),
                }
            }
            for paragraph in paragraphs.iter().filter(|p| p.len() > 1) {
                checked += 1;
                let texts: Vec<String> = paragraph.iter().map(|l| l.text()).collect();
                let text = texts.concat();
                let size = paragraph[0].runs.first().map_or(1.0, |r| r.size);
                let measure = (width / size).floor() as usize;
                let mut at = 0;
                for t in &texts[..texts.len() - 1] {
                    at += t.len();
                    assert!(
                        at_phrase_boundary(&text, at, measure),
                        "{name} {layout} page {page}: headline broken inside a word: {texts:?}"
                    );
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} multi-line heads in the corpus");
}

#[test]
fn no_number_is_split_from_its_unit_or_its_digit_groups() {
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let kinds = [
        BlockKind::Body,
        BlockKind::Head,
        BlockKind::Caption,
        BlockKind::Furniture,
    ];
    let mut pairs = 0;
    for (name, layout, b) in builds() {
        let mut prev: Option<Line> = None;
        for (page, _, lines) in lines_of(&b, &kinds) {
            for line in lines {
                if let Some(p) = &prev
                    && continues(p, &line)
                {
                    pairs += 1;
                    let (a, t) = (p.text(), line.text());
                    let last = a.trim_end().chars().last().unwrap_or(' ');
                    let first = t.chars().next().unwrap_or(' ');
                    assert!(
                        !(last.is_ascii_digit() && han(first)),
                        "{name} {layout} page {page}: number split from its unit: `{a}` | `{t}`"
                    );
                    // Digit groups that only a space separates (2123 4567) stay on one line.
                    let spaced = a.ends_with(' ');
                    assert!(
                        !(last.is_ascii_digit() && first.is_ascii_digit() && spaced),
                        "{name} {layout} page {page}: digit groups split: `{a}` | `{t}`"
                    );
                }
                prev = Some(line);
            }
        }
    }
    assert!(pairs > 1000, "only {pairs} line pairs checked");
}

#[test]
fn a_bulletin_flows_on_with_page_numbers_and_a_newspaper_jumps() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let src = std::fs::read_to_string(dir.join("08_long_report_jump.zb")).expect("markup");
    let text_of = |b: &Built| -> String {
        b.pages
            .iter()
            .flat_map(|p| p.page.frame.items.iter())
            .filter_map(|i| match i {
                Item::Line(l) => Some(l.text()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let bulletin = build_text(&src, &dir, "a4-bulletin").expect("a4-bulletin");
    assert!(bulletin.pages.len() > 2, "the report runs over pages");
    let text = text_of(&bulletin);
    let edition_label = text
        .split('第')
        .skip(1)
        .any(|s| s.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with('版'));
    assert!(
        !text.contains("下转") && !text.contains("上接") && !edition_label,
        "{text}"
    );
    // Page labels run 1, 2, 3 … whatever the editions' numbers, shown as 第N页.
    for (i, page) in bulletin.pages.iter().enumerate() {
        assert_eq!(page.label, (i + 1).to_string());
    }
    assert!(text.contains("第2页"), "running head of page 2");
    // A continuation repeats no headline: the report's headline is printed once.
    let head = "老工业城市的“二次创业”";
    assert_eq!(text.matches(head).count(), 1, "{text}");

    let long = format!(
        "{src}\n{}",
        "（补）该市产业转型的做法引起关注，多地前来考察学习。\n\n".repeat(60)
    );
    let paper = build_text(&long, &dir, "tabloid").expect("tabloid");
    let text = text_of(&paper);
    assert!(
        text.contains("下转第") && text.contains("上接第"),
        "a newspaper jumps a long article"
    );
}

/// An article's body columns in reading order: (article id, [(page label, lines)]).
type Columns = (String, Vec<(String, Vec<Line>)>);

/// Each article's body columns in reading order, on every page.
fn body_columns(b: &Built) -> Vec<Columns> {
    let mut out: Vec<Columns> = Vec::new();
    for page in &b.pages {
        for block in page.blocks().into_iter().filter(|b| b.kind == BlockKind::Body) {
            let lines: Vec<Line> = page.page.frame.items[block.items.clone()]
                .iter()
                .filter_map(|i| match i {
                    Item::Line(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            if lines.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(owner, _)| *owner == block.owner) {
                Some((_, cols)) => cols.push((page.label.clone(), lines)),
                None => out.push((block.owner.clone(), vec![(page.label.clone(), lines)])),
            }
        }
    }
    out
}

#[test]
fn no_paragraph_leaves_a_line_alone_at_a_column_break() {
    let mut breaks = 0;
    let mut bad = Vec::new();
    for (name, layout, b) in builds() {
        for (owner, cols) in body_columns(&b) {
            // The article's lines in reading order, and where each column starts among them.
            let lines: Vec<&Line> = cols.iter().flat_map(|(_, ls)| ls.iter()).collect();
            let mut start = 0;
            for (page, col) in &cols {
                let at = start;
                start += col.len();
                let (Some(last), Some(first)) = (at.checked_sub(1).and_then(|i| lines.get(i)), lines.get(at)) else {
                    continue;
                };
                if !continues(last, first) {
                    continue;
                }
                breaks += 1;
                // An orphan: the paragraph's first line alone at the foot of a column.
                let orphan = last.text_range.start == 0;
                // A widow: its last line alone at the top of the next column.
                let widow = lines.get(at + 1).is_none_or(|l| !continues(first, l));
                if orphan || widow {
                    bad.push(format!(
                        "{name} {layout} page {page} article {owner}: {} `{}` | `{}`",
                        if orphan { "orphan" } else { "widow" },
                        last.text(),
                        first.text()
                    ));
                }
            }
        }
    }
    assert!(
        breaks > 50,
        "only {breaks} paragraphs broken across columns in the corpus"
    );
    // A module that fills the rest of a page to the foot, every row used, cannot grow the row
    // that moving a line needs (nor can a three-line entry split at all); at most two breaks in
    // a hundred may keep a lone line there.
    assert!(
        bad.len() * 50 <= breaks,
        "{} of {breaks} column breaks leave a line alone:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Only a one-line credit such as （市统计局供稿） stands flush right in a body column; a
/// remark (注：…) or any text of two lines or more starts every line at the column's left
/// (at most its indent in), never a ragged left edge.
#[test]
fn only_one_line_credits_stand_flush_right() {
    let mut credits = 0;
    for (name, layout, b) in builds() {
        let em = b.layout.spec.body_size();
        for page in &b.pages {
            for block in page.blocks().into_iter().filter(|b| b.kind == BlockKind::Body) {
                let lines: Vec<&Line> = page.page.frame.items[block.items.clone()]
                    .iter()
                    .filter_map(|i| match i {
                        Item::Line(l) => Some(l),
                        _ => None,
                    })
                    .collect();
                for (i, l) in lines.iter().enumerate() {
                    // Indent (2 em) plus the boxed text's inset (1 em) is the farthest in a line
                    // of text starts.
                    if l.x - block.rect.x <= 3.0 * em + 0.5 {
                        continue;
                    }
                    let alone = l.text_range.start == 0
                        && lines.get(i + 1).is_none_or(|n| !continues(l, n))
                        && (i == 0 || !continues(lines[i - 1], l));
                    assert!(
                        alone,
                        "{name} {layout} page {}: `{}` stands flush right but is part of a longer text",
                        page.label,
                        l.text()
                    );
                    credits += 1;
                }
            }
        }
    }
    assert!(credits > 0, "no flush-right credit in the corpus");
}
