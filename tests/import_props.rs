//! Property tests of the importer: it never panics on any bytes, never loses a Han character of
//! the text, and always writes markup that parses back, without errors, to the same model.

use proptest::prelude::*;
use zhiban::import::{BlockKind, Encoding, ImportOptions, Imported, import};
use zhiban::markup::{ParseOptions, parse, write};
use zhiban::model::{Block, Bulletin, Figure, Inline, Item, plain_text};

/// Pieces of newspaper text that exercise every heuristic: headers, datelines, bylines,
/// credits, captions, furniture, notes, numbered subheads, width and control characters.
const PIECES: &[&str] = &[
    "第一版 要闻",
    "第2版：综合 责任编辑：张三 美编：李四",
    "A4 生活新聞",
    "责任编辑：王敏",
    "示范区头条",
    "2020年12月28日 星期一",
    "2024年第3期（总第58期）",
    "柳湾镇党政办公室编印",
    "【工作要闻】",
    "岁末年初比比看",
    "本报讯(记者郭树勋)通讯员梁健)",
    "本报讯（记者付凯明）",
    "本报电 ",
    "新华社北京3月5日电（记者 张华、李明）",
    "【本報訊】記者陳嘉欣報道:",
    "■本刊讯 ",
    "本报记者 郭树勋",
    "文/图 本报记者 韩冰",
    "本报记者 翟鹏程 摄",
    "（图①②由张三摄）",
    "图①：",
    "12月25日,",
    "扫一扫 关注我们",
    "示范区头条 微信公众号",
    "征稿启事",
    "报：县委办、县政府办",
    "（余建斌）",
    "链接：",
    "（上接第一版）",
    "“山就是我的家！”",
    "注：",
    "一、",
    "（二）",
    "——记",
    "- 2 -",
    "修路：",
    "李家庄村：",
    "会议强调,",
    "全区上下要认真学习贯彻",
    "牢牢",
    "坚持把把,积极谋划。",
    "2020",
    "年新增1家",
    "构",
    "建新发展格局。",
    "示范区(高新区)",
    "２０２０年ＧＤＰ",
    "12.5%;",
    "Hello, world",
    "“",
    "”",
    "。",
    "，",
    "！",
    "？",
    " ",
    "　　",
    "\u{a0}",
    "\t",
    "\u{c}",
    "\u{7}",
    "\u{feff}",
    "\u{200b}",
    "*",
    "**",
    "\\",
    "#",
    "## ",
    "-- ",
    "---",
    "@ ",
    "^ ",
    "> ",
    "~ ",
    "![",
    "](",
    "\"",
    ":::",
    "== ",
    "+++",
    "😀",
    "é",
];

/// Line breaks of every kind extraction tools write.
const BREAKS: &[&str] = &["\n", "\n\n", "\n\n\n\n", "\r\n", "\r\n\r\n", "\r", ""];

fn han_string() -> impl Strategy<Value = String> {
    prop::collection::vec(0x4E00u32..0x9FA5, 1..30).prop_map(|v| v.into_iter().filter_map(char::from_u32).collect())
}

fn newspaper_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_string),
        2 => han_string(),
        1 => prop::sample::select(BREAKS).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// The text of the model in reading order; a photo's credit and captions in source order.
fn reading_text(b: &Bulletin) -> String {
    fn inl(out: &mut String, i: &[Inline]) {
        out.push_str(&plain_text(i));
    }
    fn figure(out: &mut String, f: &Figure) {
        let caption_at = f.caption.first().and_then(|c| c.first()).and_then(|i| match i {
            Inline::Text(t) => t.origin.source_offset(0),
            _ => None,
        });
        let credit_at = f.credit.as_ref().and_then(|c| c.origin.source_offset(0));
        let credit_first = matches!((credit_at, caption_at), (Some(a), Some(b)) if a < b);
        let credit = f.credit.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default();
        if credit_first {
            out.push_str(&credit);
        }
        for c in &f.caption {
            inl(out, c);
        }
        if !credit_first {
            out.push_str(&credit);
        }
    }
    fn blocks(out: &mut String, body: &[Block]) {
        for block in body {
            match block {
                Block::Paragraph(p) => {
                    if let Some(d) = &p.dateline {
                        out.push_str(d.text.as_str());
                    }
                    inl(out, &p.content);
                }
                Block::Subhead { content } | Block::Note { content } => inl(out, content),
                Block::Figure(f) => figure(out, f),
                Block::Boxed { paragraphs } => paragraphs.iter().for_each(|p| inl(out, p)),
            }
        }
    }
    fn items(out: &mut String, list: &[Item]) {
        for item in list {
            match item {
                Item::Article(a) => {
                    if let Some(k) = &a.kicker {
                        inl(out, k);
                    }
                    inl(out, &a.headline);
                    a.subtitles.iter().for_each(|s| inl(out, s));
                    a.bylines.iter().for_each(|b| out.push_str(b.text.as_str()));
                    blocks(out, &a.body);
                }
                Item::PhotoNews(f) => figure(out, f),
                Item::Section(s) => {
                    out.push_str(s.title.as_str());
                    items(out, &s.items);
                }
                Item::Furniture(f) => {
                    if let Some(t) = &f.title {
                        out.push_str(t.as_str());
                    }
                    blocks(out, &f.body);
                }
            }
        }
    }
    let mut out = String::new();
    for e in &b.editions {
        items(&mut out, &e.items);
    }
    out
}

/// The Han characters of the decoded input, except those of lines read into the front matter
/// and edition headings (masthead, date, issue, 第N版, 责任编辑): those become fields, not text.
fn input_han(imported: &Imported) -> Vec<char> {
    let mut skip = vec![false; imported.text.len()];
    for e in &imported.explanations {
        if matches!(e.kind, BlockKind::Masthead | BlockKind::Edition | BlockKind::Editor) {
            for s in skip
                .iter_mut()
                .take(e.span.end.min(imported.text.len()))
                .skip(e.span.start)
            {
                *s = true;
            }
        }
    }
    imported
        .text
        .char_indices()
        .filter(|&(i, c)| is_han(c) && !skip[i])
        .map(|(_, c)| c)
        .collect()
}

fn is_subsequence(needle: &[char], haystack: &str) -> Result<(), String> {
    let mut it = haystack.chars();
    for (k, c) in needle.iter().enumerate() {
        if !it.any(|h| h == *c) {
            return Err(format!(
                "Han character {k} `{c}` of the input is missing from the output"
            ));
        }
    }
    Ok(())
}

proptest! {
    // PROPTEST_CASES=20000 for a deeper run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn never_panics_on_any_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..1500),
        forced in prop::option::of(prop::sample::select(vec![
            Encoding::Utf8, Encoding::Gb18030, Encoding::Big5, Encoding::Utf16Le, Encoding::Utf16Be,
        ])),
    ) {
        let imported = import(&bytes, &ImportOptions { encoding: forced, ..ImportOptions::default() });
        for d in &imported.diagnostics {
            if let Some(s) = d.span {
                prop_assert!(s.start <= s.end && s.end <= imported.text.len(), "span {s:?} out of bounds");
            }
        }
        let markup = write(&imported.bulletin);
        prop_assert!(!parse(&markup, ParseOptions::default()).has_errors());
    }

    #[test]
    fn never_loses_a_han_character(text in newspaper_text()) {
        let imported = import(text.as_bytes(), &ImportOptions::default());
        let want = input_han(&imported);
        let got = reading_text(&imported.bulletin);
        if let Err(e) = is_subsequence(&want, &got) {
            prop_assert!(false, "{e}\ninput: {text:?}\noutput: {got:?}");
        }
    }

    #[test]
    fn output_parses_back_to_the_same_model(text in newspaper_text()) {
        let imported = import(text.as_bytes(), &ImportOptions::default());
        let markup = write(&imported.bulletin);
        let parsed = parse(&markup, ParseOptions::default());
        let errors: Vec<String> = parsed.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\nmarkup:\n{markup}");
        prop_assert_eq!(&parsed.bulletin, &imported.bulletin, "markup:\n{}", markup);
    }

    #[test]
    fn output_is_deterministic(text in newspaper_text()) {
        let a = import(text.as_bytes(), &ImportOptions::default());
        let b = import(text.as_bytes(), &ImportOptions::default());
        prop_assert_eq!(write(&a.bulletin), write(&b.bulletin));
        prop_assert_eq!(a.diagnostics, b.diagnostics);
    }
}

#[test]
fn seed_keeps_every_han_character() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/import-seed/input.txt");
    let bytes = std::fs::read(path).expect("seed text");
    let imported = import(&bytes, &ImportOptions::default());
    assert!(is_subsequence(&input_han(&imported), &reading_text(&imported.bulletin)).is_ok());
}
