//! Golden test of the importer on the seed: the plain text the sample issue was extracted as
//! (`tests/golden/import-seed/input.txt`) imports to `expected.zb`, and differs from the
//! hand-marked `input/shifanqu-2020-12-28.zb` only in the judgement calls `docs/import.md` lists.
//! `UPDATE_GOLDEN=1 cargo test --test import_seed` rewrites `expected.zb`; review the diff.

use std::collections::BTreeMap;

use zhiban::import::{ImportOptions, import};
use zhiban::markup::{ParseOptions, parse, write};
use zhiban::model::Date;

const INPUT: &str = "tests/golden/import-seed/input.txt";
const EXPECTED: &str = "tests/golden/import-seed/expected.zb";
const HAND_MARKED: &str = "input/shifanqu-2020-12-28.zb";

/// Lines only the importer writes: placeholders the editor fills in (docs/import.md, "Seed").
const ONLY_IMPORTED: &[&str] = &["# 第一版", "![](photos/photo-1.jpg \"本报记者 翟鹏程 摄\")"];

/// Lines only the hand-marked issue has: facts the text does not state, and the editor's split
/// of the issue into two named editions.
const ONLY_HAND_MARKED: &[&str] = &[
    "issue = 1",
    "layout = \"tabloid\"",
    "# 第一版 要闻",
    "# 第二版 综合",
    "![木桌上红色杯碟里的一杯咖啡，碟边放着一把小勺（示例照片，代替原版新闻照片）](photos/coffee.jpg \"本报记者 翟鹏程 摄\")",
];

fn imported() -> String {
    let bytes = std::fs::read(INPUT).expect("seed text");
    let options = ImportOptions {
        // The seed states no date; the sample's README gives it.
        date: Date::new(2020, 12, 28),
        ..ImportOptions::default()
    };
    write(&import(&bytes, &options).bulletin)
}

fn counts(text: &str) -> BTreeMap<&str, i64> {
    let mut m = BTreeMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        *m.entry(line).or_insert(0) += 1;
    }
    m
}

#[test]
fn seed_imports_to_golden_markup() {
    let out = imported();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(EXPECTED, &out).expect("write golden");
    }
    let want = std::fs::read_to_string(EXPECTED).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    assert!(
        out == want,
        "import of the seed differs from {EXPECTED}; run with UPDATE_GOLDEN=1 and review the diff"
    );
    // The output checks without errors and is already in canonical form (`zhiban fmt` keeps it).
    let parsed = parse(&out, ParseOptions::default());
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    assert_eq!(write(&parsed.bulletin), out);
}

#[test]
fn seed_differs_from_hand_marked_issue_only_in_judgement_calls() {
    let hand = std::fs::read_to_string(HAND_MARKED).expect("hand-marked issue");
    // Canonical form of the hand-marked issue (what `zhiban fmt` writes).
    let hand = write(&parse(&hand, ParseOptions::default()).bulletin);
    let ours = imported();
    let (a, b) = (counts(&ours), counts(&hand));
    let mut only_ours: Vec<&str> = Vec::new();
    let mut only_hand: Vec<&str> = Vec::new();
    for (line, n) in &a {
        for _ in 0..(n - b.get(line).copied().unwrap_or(0)).max(0) {
            only_ours.push(line);
        }
    }
    for (line, n) in &b {
        for _ in 0..(n - a.get(line).copied().unwrap_or(0)).max(0) {
            only_hand.push(line);
        }
    }
    let (mut want_ours, mut want_hand) = (ONLY_IMPORTED.to_vec(), ONLY_HAND_MARKED.to_vec());
    for v in [&mut only_ours, &mut only_hand, &mut want_ours, &mut want_hand] {
        v.sort_unstable();
    }
    assert_eq!(only_ours, want_ours);
    assert_eq!(only_hand, want_hand);
}
