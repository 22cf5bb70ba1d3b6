//! Page flow: nothing dropped or doubled, jump lines that point at the right pages, the golden
//! frame dump of the sample, and layouts that cannot work refused with a clear message.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::*;
use zhiban::layout::flow::{BlockInfo, BlockKind};
use zhiban::layout::frame::Item as FrameItem;
use zhiban::model::{Block, Bulletin, Item, items_flat, plain_text};

/// Model text per owner id, in reading order.
fn model_text(b: &Bulletin) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let figure = |f: &zhiban::model::Figure, out: &mut BTreeMap<String, String>| {
        let mut t: String = f.caption.iter().map(|c| plain_text(c)).collect();
        if let Some(c) = &f.credit {
            t += c.as_str();
        }
        out.insert(f.id.clone(), t);
    };
    for e in &b.editions {
        for item in items_flat(&e.items) {
            match item {
                Item::Article(a) => {
                    let mut t = String::new();
                    t += &a.kicker.as_deref().map(plain_text).unwrap_or_default();
                    t += &plain_text(&a.headline);
                    a.subtitles.iter().for_each(|s| t += &plain_text(s));
                    a.bylines.iter().for_each(|by| t += by.text.as_str());
                    for block in &a.body {
                        match block {
                            Block::Paragraph(p) => {
                                t += p.dateline.as_ref().map_or("", |d| d.text.as_str());
                                t += &plain_text(&p.content);
                            }
                            Block::Subhead { content } | Block::Note { content } => t += &plain_text(content),
                            Block::Boxed { paragraphs } => paragraphs.iter().for_each(|p| t += &plain_text(p)),
                            Block::Figure(f) => figure(f, &mut out),
                        }
                    }
                    out.insert(a.id.clone(), t);
                }
                Item::PhotoNews(f) => figure(f, &mut out),
                Item::Section(s) => {
                    out.insert(s.id.clone(), s.title.as_str().to_string());
                }
                Item::Furniture(x) => {
                    let mut t = x.title.as_ref().map_or(String::new(), |t| t.as_str().to_string());
                    for block in &x.body {
                        match block {
                            Block::Paragraph(p) => t += &plain_text(&p.content),
                            Block::Figure(f) => figure(f, &mut out),
                            _ => {}
                        }
                    }
                    out.insert(x.id.clone(), t);
                }
            }
        }
    }
    out
}

/// Frame text per owner, in page and block order; chrome (masthead, folios, jump lines,
/// repeated headlines of continuations) excluded.
fn page_text(built: &Built) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for p in &built.pages {
        for block in &p.blocks() {
            if block.kind.is_chrome() {
                continue;
            }
            let entry = out.entry(block.owner.clone()).or_default();
            for item in &p.page.frame.items[block.items.clone()] {
                if let FrameItem::Line(l) = item {
                    entry.push_str(&l.text());
                }
            }
        }
    }
    out
}

fn assert_nothing_dropped(built: &Built) {
    let want = model_text(&built.bulletin);
    let got = page_text(built);
    for (id, text) in &want {
        let have = got.get(id).map(|s| squash(s)).unwrap_or_default();
        assert_eq!(have, squash(text), "{id}: page text differs from the model");
    }
    for id in got.keys() {
        assert!(want.contains_key(id), "{id} on a page but not in the model");
    }
}

#[test]
fn every_character_of_the_sample_is_on_a_page_exactly_once() {
    assert_nothing_dropped(&sample());
}

#[test]
fn a4_bulletin_sets_the_sample_too() {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let built = build_text(&src, Path::new("input"), "a4-bulletin").expect("a4 layout");
    assert!(built.pages.len() >= 2);
    assert_nothing_dropped(&built);
}

#[test]
fn an_article_longer_than_its_page_jumps_with_the_right_numbers() {
    let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(8);
    let body: String = (0..60).map(|_| format!("{para}\n\n")).collect();
    let src = format!(
        "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n\n# 第一版 要闻\n\n## 很长的文章\n\n{body}# 第二版 综合\n\n## 短文\n\n短短的正文。\n"
    );
    let built = build_text(&src, Path::new("."), "tabloid").expect("layout");
    assert_nothing_dropped(&built);
    assert!(built.pages.len() >= 3, "a long article needs continuation pages");
    assert_jumps_point_at_each_other(&built);
}

/// Every jump line names the page where the continuation's （上接…） line stands, and back.
fn assert_jumps_point_at_each_other(built: &Built) -> usize {
    let mut outgoing = Vec::new();
    let mut incoming = Vec::new();
    for p in &built.pages {
        for item in &p.page.frame.items {
            if let FrameItem::Line(l) = item {
                let t = l.text();
                if let Some(n) = t.strip_prefix("（下转第").and_then(|r| r.strip_suffix("版）")) {
                    outgoing.push((p.label.clone(), n.to_string()));
                }
                if let Some(n) = t.strip_prefix("（上接第").and_then(|r| r.strip_suffix("版）")) {
                    incoming.push((n.to_string(), p.label.clone()));
                }
            }
        }
    }
    assert!(!outgoing.is_empty(), "jump lines written");
    assert_eq!(
        outgoing, incoming,
        "（下转第N版） and （上接第M版） must point at each other"
    );
    outgoing.len()
}

#[test]
fn layouts_that_cannot_work_are_refused() {
    use zhiban::layout::spec::{BUILTIN, LayoutSpec};
    let tabloid = BUILTIN[0].1;
    let narrow = tabloid.replacen("chars_per_line = 15", "chars_per_line = 1", 1);
    assert!(
        LayoutSpec::parse(&narrow, "x")
            .expect_err("narrow")
            .message
            .contains("narrower than two characters")
    );
    let wide = tabloid.replacen("columns = 5", "columns = 9", 1);
    assert!(
        LayoutSpec::parse(&wide, "x")
            .expect_err("wide")
            .message
            .contains("between the margins")
    );
    let typo = tabloid.replacen("bleed = \"3mm\"", "bleed = \"3 furlongs\"", 1);
    let err = LayoutSpec::parse(&typo, "x").expect_err("unit");
    assert!(err.message.contains("furlongs") && err.line_col.is_some(), "{err}");
    let wrong_type = tabloid.replacen("columns = 5", "columns = \"five\"", 1);
    assert!(LayoutSpec::parse(&wrong_type, "x").is_err());
}

#[test]
fn a_headline_longer_than_a_page_is_an_error_naming_it() {
    let head = "超长标题".repeat(2000);
    let src = format!("+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n\n# 第一版\n\n## {head}\n\n正文。\n");
    let err = build_text(&src, Path::new("."), "a4-bulletin")
        .err()
        .expect("must fail");
    assert!(err.contains("does not fit"), "{err}");
}

#[test]
fn sample_frames_match_golden() {
    let built = sample();
    let pages: Vec<_> = built.pages.iter().map(|p| p.page.clone()).collect();
    let dump = zhiban::layout::dump(&pages);
    let golden = Path::new("tests/golden/seed/frames.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, &dump).expect("write golden");
    }
    let want = std::fs::read_to_string(golden).expect("golden frames; run with UPDATE_GOLDEN=1 to create");
    assert!(
        dump == want,
        "frames differ from {}; run with UPDATE_GOLDEN=1 and review the diff",
        golden.display()
    );
}

/// Empty body rows at the foot of each grid column, per page: how far above the foot of the
/// type area the lowest module in that column ends (chrome excluded, jump lines count). A
/// module ends at its deepest column: how level its columns end is the balance test's concern.
fn foot_holes(built: &Built) -> Vec<Vec<f32>> {
    let area = zhiban::layout::flow::body_area(&built.layout.spec);
    let (pitch, bottom) = (area.pitch, area.bottom);
    built
        .pages
        .iter()
        .map(|p| {
            let blocks = p.blocks();
            let mut module_foot: BTreeMap<(&str, u32), f32> = BTreeMap::new();
            for b in blocks.iter().filter(|b| b.owner != "chrome") {
                let foot = module_foot.entry((b.owner.as_str(), b.part)).or_insert(0.0);
                *foot = foot.max(b.rect.y + b.rect.height);
            }
            let foot_of = |b: &BlockInfo| match module_foot.get(&(b.owner.as_str(), b.part)) {
                Some(&f) if b.owner != "chrome" => f,
                _ => b.rect.y + b.rect.height,
            };
            area.columns
                .iter()
                .map(|&(l, r)| {
                    let foot = blocks
                        .iter()
                        .filter(|b| b.rect.height > 0.0 && b.rect.y + b.rect.height < bottom + pitch)
                        .filter(|b| !b.kind.is_chrome() || b.rect.height < bottom / 2.0)
                        .filter(|b| b.owner != "chrome" || b.rect.height <= pitch * 1.5)
                        .filter(|b| b.rect.x < r - 1.0 && b.rect.x + b.rect.width > l + 1.0)
                        .map(foot_of)
                        .fold(0.0, f32::max);
                    ((bottom - foot) / pitch).max(0.0)
                })
                .collect()
        })
        .collect()
}

/// Most empty body rows a column may leave above the foot of a page that is not the last page
/// of its edition (modules tile the page without holes larger than a few lines).
const MAX_FOOT_HOLE_ROWS: f32 = 4.0;

fn assert_pages_tiled(built: &Built, layout: &str) {
    let holes = foot_holes(built);
    for (i, (p, h)) in built.pages.iter().zip(&holes).enumerate() {
        let rows: Vec<String> = h.iter().map(|r| format!("{r:.1}")).collect();
        eprintln!(
            "{layout} page {} (edition {}): empty rows at the foot {}",
            i + 1,
            p.edition,
            rows.join(" ")
        );
    }
    for (i, (p, h)) in built.pages.iter().zip(&holes).enumerate() {
        let last_of_edition = built.pages.get(i + 1).is_none_or(|q| q.edition != p.edition);
        if last_of_edition {
            continue;
        }
        let worst = h.iter().cloned().fold(0.0, f32::max);
        assert!(
            worst <= MAX_FOOT_HOLE_ROWS,
            "{layout}: page {} leaves {worst:.1} empty rows above the foot (columns {h:?})",
            i + 1
        );
    }
}

#[test]
fn sample_pages_are_tiled_without_holes_on_tabloid() {
    assert_pages_tiled(&sample(), "tabloid");
}

#[test]
fn sample_pages_are_tiled_without_holes_on_a4_bulletin() {
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let built = build_text(&src, Path::new("input"), "a4-bulletin").expect("a4 layout");
    assert_pages_tiled(&built, "a4-bulletin");
}

/// The edition that owns each model id.
fn editions_of(b: &Bulletin) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (ei, e) in b.editions.iter().enumerate() {
        for item in items_flat(&e.items) {
            let id = match item {
                Item::Article(a) => {
                    for block in &a.body {
                        if let Block::Figure(f) = block {
                            out.insert(f.id.clone(), ei);
                        }
                    }
                    a.id.clone()
                }
                Item::PhotoNews(f) => f.id.clone(),
                Item::Section(s) => s.id.clone(),
                Item::Furniture(x) => {
                    for block in &x.body {
                        if let Block::Figure(f) = block {
                            out.insert(f.id.clone(), ei);
                        }
                    }
                    x.id.clone()
                }
            };
            out.insert(id, ei);
        }
    }
    out
}

fn assert_running_heads_name_the_page(built: &Built, layout: &str) {
    let owners = editions_of(&built.bulletin);
    let mut labels = Vec::new();
    for (i, p) in built.pages.iter().enumerate() {
        let edition = &built.bulletin.editions[p.edition];
        for block in &p.blocks() {
            if let Some(&e) = owners.get(&block.owner) {
                assert_eq!(
                    e,
                    p.edition,
                    "{layout}: page {} is headed as edition {} but carries {} of edition {e}",
                    i + 1,
                    p.edition,
                    block.owner
                );
            }
        }
        // The running head (or the masthead's edition line) names that edition.
        // A bulletin's pages are 第N页, its masthead names the section only.
        let bulletin = layout == "a4-bulletin";
        let number = match (bulletin, i) {
            (false, _) => format!("第{}版", p.label),
            (true, 0) => String::new(),
            (true, _) => format!("第{}页", p.label),
        };
        let want = [number, edition.name.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let head: String = p.blocks()[0]
            .items
            .clone()
            .filter_map(|k| match &p.page.frame.items[k] {
                FrameItem::Line(l) => Some(l.text()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("|");
        assert!(
            head.contains(&want),
            "{layout}: page {} head {head:?} does not name {want:?}",
            i + 1
        );
        labels.push(p.label.parse::<u32>().expect("numeric page label"));
    }
    assert!(
        labels.windows(2).all(|w| w[0] < w[1]),
        "{layout}: page labels rise: {labels:?}"
    );
    // Editions start on pages of their own, in order.
    let eds: Vec<usize> = built.pages.iter().map(|p| p.edition).collect();
    assert!(
        eds.windows(2).all(|w| w[0] <= w[1]),
        "{layout}: editions in order: {eds:?}"
    );
}

#[test]
fn every_page_is_headed_with_the_edition_on_it() {
    assert_running_heads_name_the_page(&sample(), "tabloid");
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let built = build_text(&src, Path::new("input"), "a4-bulletin").expect("a4 layout");
    assert_running_heads_name_the_page(&built, "a4-bulletin");
    // The sample runs over its pages on A4, a bulletin: cut articles flow on, with no jump line.
    assert!(built.pages.len() > 2);
    let jump = built
        .pages
        .iter()
        .flat_map(|p| &p.page.frame.items)
        .any(|i| matches!(i, FrameItem::Line(l) if l.text().contains("下转") || l.text().contains("上接")));
    assert!(!jump, "a bulletin has no jump lines");
    assert_nothing_dropped(&built);
}

/// The body columns of an article module end level: columns that start at the same depth
/// differ by at most one row (body text balanced across its k columns; before, a
/// module of 16 rows in 5 columns was set 4, 4, 4, 4, 0).
fn assert_bodies_balanced(built: &Built, layout: &str) {
    let spec = &built.layout.spec;
    let pitch = spec.body_size() + spec.pt(spec.grid.line_gap);
    for (i, p) in built.pages.iter().enumerate() {
        let mut groups: BTreeMap<(String, u32, i64), Vec<f32>> = BTreeMap::new();
        for b in p.blocks().iter().filter(|b| b.kind == BlockKind::Body) {
            let top = (b.rect.y / pitch * 2.0).round() as i64;
            groups
                .entry((b.owner.clone(), b.part, top))
                .or_default()
                .push(b.rect.height);
        }
        // No column of a module is left empty: its head spans k columns, its body fills k.
        let step = spec.column_width() + spec.pt(spec.grid.column_gap);
        for head in p.blocks().iter().filter(|b| b.kind == BlockKind::Head) {
            let k = ((head.rect.width + spec.pt(spec.grid.column_gap)) / step).round() as usize;
            let mut xs: Vec<i64> = p
                .blocks()
                .iter()
                .filter(|b| b.kind == BlockKind::Body && b.owner == head.owner && b.part == head.part)
                .map(|b| b.rect.x.round() as i64)
                .collect();
            xs.dedup();
            assert_eq!(
                xs.len(),
                k,
                "{layout}: page {} {}: body in {} of {k} columns",
                i + 1,
                head.owner,
                xs.len()
            );
        }
        // Balanced columns end within a row of each other; keeping a paragraph's first or last
        // line with the rest of it (no widow or orphan) may move one more.
        for ((owner, part, _), heights) in &groups {
            let (lo, hi) = heights
                .iter()
                .fold((f32::MAX, 0.0f32), |(lo, hi), &h| (lo.min(h), hi.max(h)));
            assert!(
                hi - lo <= 2.0 * pitch + 0.01,
                "{layout}: page {} {owner} part {part}: body columns of {heights:?} points",
                i + 1
            );
        }
    }
}

#[test]
fn article_bodies_are_balanced_across_their_columns() {
    assert_bodies_balanced(&sample(), "tabloid");
    let src = std::fs::read_to_string(SAMPLE).expect("sample");
    let built = build_text(&src, Path::new("input"), "a4-bulletin").expect("a4 layout");
    assert_bodies_balanced(&built, "a4-bulletin");
}

#[test]
fn a_full_masthead_grows_so_its_rule_stays_under_every_line() {
    let src = std::fs::read_to_string(SAMPLE).expect("sample").replacen(
        "issue = 1\n",
        "issue = 1\ntotal_issue = 125\nslogan = \"奋进新时代 领跑新征程\"\npublisher = \"中共焦作市示范区工委宣传部\"\ncn = \"CN41-0001\"\nissn = \"1234-5678\"\npermit = \"豫内资准字第0001号\"\n",
        1,
    );
    let src = src.replacen("# 第一版 要闻\n", "# 第一版 要闻\n@ 责任编辑 周伟\n", 1);
    let b = build_text(&src, Path::new("input"), "tabloid").expect("layout");
    let page = &b.pages[0];
    let items = masthead_items(&b);
    let rule_y = items
        .iter()
        .filter_map(|i| match i {
            FrameItem::Rule(r) => Some(r.from.1),
            _ => None,
        })
        .fold(0.0f32, f32::max);
    let lines: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            FrameItem::Line(l) => Some(l),
            _ => None,
        })
        .collect();
    let texts: String = lines.iter().map(|l| l.text()).collect();
    for wanted in [
        "奋进新时代",
        "主办",
        "CN41-0001",
        "ISSN 1234-5678",
        "准印证号",
        "责任编辑",
        "周伟",
    ] {
        assert!(texts.contains(wanted), "{wanted} missing from the masthead: {texts}");
    }
    for l in &lines {
        assert!(
            l.y + l.descent < rule_y,
            "`{}` (baseline {}, descent {}) reaches the rule at {rule_y}",
            l.text(),
            l.y,
            l.descent
        );
    }
    // The body starts below the grown masthead.
    let body_top = page
        .blocks()
        .iter()
        .filter(|blk| !blk.kind.is_chrome())
        .map(|blk| blk.rect.y)
        .fold(f32::MAX, f32::min);
    assert!(body_top >= rule_y, "body at {body_top} above the rule at {rule_y}");
}

/// The frame items of page 1's masthead (its header block).
fn masthead_items(built: &Built) -> &[FrameItem] {
    let page = &built.pages[0];
    let masthead = page
        .blocks()
        .into_iter()
        .find(|blk| blk.kind == BlockKind::Header)
        .expect("page 1 has a header block, the masthead");
    &page.page.frame.items[masthead.items]
}

/// The masthead's lines set in the masthead role (the publication's name), as (text, size, x, width).
fn nameplate(built: &Built) -> Vec<(String, f32, f32, f32)> {
    let lines: Vec<_> = masthead_items(built)
        .iter()
        .filter_map(|i| match i {
            FrameItem::Line(l) => Some(l),
            _ => None,
        })
        .collect();
    let biggest = lines
        .iter()
        .flat_map(|l| l.runs.iter().map(|r| r.size))
        .fold(0.0f32, f32::max);
    lines
        .into_iter()
        .filter(|l| l.runs.iter().any(|r| r.size == biggest))
        .map(|l| (l.text(), biggest, l.x, l.width))
        .collect()
}

#[test]
fn a_long_publication_name_is_set_smaller_on_one_line() {
    let sample = std::fs::read_to_string(SAMPLE).expect("sample");
    let short = build_text(&sample, Path::new("input"), "tabloid").expect("layout");
    let [(ref name, size, ..)] = nameplate(&short)[..] else {
        panic!("the sample's name is not one line: {:?}", nameplate(&short));
    };
    assert_eq!(name, "示范区头条");
    assert_eq!(size, 84.0, "a name that fits keeps the layout's size");
    for (publication, layout) in [
        ("河川统计信息", "tabloid"),
        ("焦作市示范区管委会政务公报", "tabloid"),
        ("河川市统计信息简报", "a4-bulletin"),
    ] {
        let src = sample.replacen(
            "publication = \"示范区头条\"",
            &format!("publication = \"{publication}\""),
            1,
        );
        assert!(src.contains(publication));
        let built = build_text(&src, Path::new("input"), layout).expect("layout");
        let set = nameplate(&built);
        assert_eq!(set.len(), 1, "{publication} on {layout} broken over lines: {set:?}");
        let (text, size, x, width) = &set[0];
        assert_eq!(text, publication);
        let full = if layout == "tabloid" { 84.0 } else { 36.0 };
        assert!(*size < full && *size >= full / 3.0, "{publication}: {size} pt");
        // It stays clear of the issue information on the right of the masthead.
        let info_left = masthead_items(&built)
            .iter()
            .filter_map(|i| match i {
                FrameItem::Line(l) if l.text().contains("星期") => Some(l.x),
                _ => None,
            })
            .fold(f32::MAX, f32::min);
        assert!(
            x + width < info_left,
            "{publication}: name ends at {} past {info_left}",
            x + width
        );
    }
}

/// Lines of the frames that hang a mark past their measure, with their last character.
fn hung_lines(pages: &[zhiban::layout::flow::PageLayout]) -> Vec<char> {
    let mut out = Vec::new();
    for page in pages {
        for item in &page.page.frame.items {
            let FrameItem::Line(line) = item else { continue };
            if line.hang > 0.0 {
                let last = line.runs.iter().rev().find_map(|r| r.text.chars().last());
                out.push(last.unwrap_or(' '));
            }
        }
    }
    out
}

#[test]
fn hanging_is_set_from_the_layout_file_clreq_3_1_7() {
    let b = sample();
    // The built-in layouts do not hang punctuation (most mainland publications do not).
    assert!(!b.layout.spec.typography.hanging);
    assert!(hung_lines(&b.pages).is_empty(), "nothing hangs by default");
    let mut spec = b.layout.spec.clone();
    spec.typography.hanging = true;
    let pages = zhiban::layout::flow::layout_pages(&b.bulletin, &b.media, &spec, &b.book).expect("lays out");
    let hung = hung_lines(&pages);
    assert!(!hung.is_empty(), "some line of the sample hangs its mark");
    // P5: only 、，。 hang, one mark a line.
    assert!(hung.iter().all(|c| "、，。".contains(*c)), "{hung:?}");
    // Nothing is lost: the same text is set, and the hung marks cost no extra lines overall.
    let text = |pages: &[zhiban::layout::flow::PageLayout]| -> usize {
        pages
            .iter()
            .flat_map(|p| &p.page.frame.items)
            .filter_map(|i| match i {
                FrameItem::Line(l) => Some(l.runs.iter().map(|r| r.text.chars().count()).sum::<usize>()),
                _ => None,
            })
            .sum()
    };
    assert_eq!(text(&pages), text(&b.pages));
    // And the layout file says so.
    let toml = zhiban::layout::spec::BUILTIN[0]
        .1
        .replacen("hanging = false", "hanging = true", 1);
    let parsed = zhiban::layout::spec::LayoutSpec::parse(&toml, "x").expect("parses");
    assert!(parsed.typography.hanging);
}
