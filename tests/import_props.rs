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

/// Labels whose value the importer reads into a field, with whether the bulletin has that field.
fn field_labels(b: &Bulletin) -> Vec<(&'static str, bool)> {
    let has_editor = b.editions.iter().any(|e| e.editor.is_some()) || !b.meta.editors.is_empty();
    let has_name = b.editions.iter().any(|e| !e.name.is_empty());
    let has_publisher = b.meta.publisher.is_some();
    let has_serial = b.meta.cn.is_some() || b.meta.issn.is_some() || b.meta.permit.is_some();
    let mut labels = Vec::new();
    for l in [
        "责任编辑",
        "責任編輯",
        "本版责编",
        "本版編輯",
        "本版编辑",
        "责编",
        "責編",
    ] {
        labels.push((l, has_editor));
    }
    for l in ["版面", "版名"] {
        labels.push((l, has_name));
    }
    for l in ["主办单位", "主辦單位", "主办", "主辦", "编印", "編印", "主编"] {
        labels.push((l, has_publisher));
    }
    for l in [
        "国内统一连续出版物号",
        "國內統一連續出版物號",
        "统一刊号",
        "刊号",
        "内部资料准印证号",
        "內部資料准印證號",
        "准印证号",
    ] {
        labels.push((l, has_serial));
    }
    labels
}

/// Length in bytes of the numeral at the start of `s` (12, 十二, 一).
fn numeral_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|&(_, c)| c.is_ascii_digit() || "零〇一二三四五六七八九十".contains(c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Byte ranges, within `line`, of the words of a header line that the importer read into a
/// field the bulletin has: labels (责任编辑, 主办), numbered forms (第N期, 总第N期, 第N版), the
/// date's 年月日 and a matching weekday, and values equal to a field (the publication, an
/// edition name, an editor), which a repeated running header prints again.
fn field_words(line: &str, b: &Bulletin) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let labels = field_labels(b);
    let mut values: Vec<&str> = vec![b.meta.publication.as_str()];
    values.extend(b.meta.publisher.as_deref());
    values.extend(b.meta.slogan.as_deref());
    for e in &b.editions {
        values.push(e.name.as_str());
        values.extend(e.editor.as_deref());
    }
    values.retain(|v| !v.is_empty());
    let dated = b.meta.date != zhiban::import::PLACEHOLDER_DATE;
    let weekday = b.meta.date.weekday_zh();
    for (i, _) in line.char_indices() {
        let rest = &line[i..];
        for (label, has) in &labels {
            if *has && rest.starts_with(label) {
                out.push(i..i + label.len());
            }
        }
        for v in &values {
            if rest.starts_with(v) {
                out.push(i..i + v.len());
            }
        }
        // 总第N期, 第N期, 第N版.
        let (total, body) = match rest.strip_prefix("总第").or_else(|| rest.strip_prefix("總第")) {
            Some(r) => (true, r),
            None => (false, rest.strip_prefix('第').unwrap_or("\u{0}")),
        };
        let n = numeral_len(body);
        if n > 0 {
            let after = &body[n..];
            let end = i + (rest.len() - after.len());
            let parsed = if after.starts_with('期') {
                if total {
                    b.meta.total_issue.is_some()
                } else {
                    b.meta.issue.is_some()
                }
            } else {
                !total && after.starts_with('版') && !b.editions.is_empty()
            };
            if parsed {
                out.push(i..end + '期'.len_utf8());
            }
        }
        // 12版 without 第.
        let n = numeral_len(rest);
        if n > 0 && rest[n..].starts_with('版') && !b.editions.is_empty() {
            out.push(i..i + n + '版'.len_utf8());
        }
        // The 年月日 of a date, a year the date holds, a weekday matching the date.
        if dated && rest.starts_with(|c: char| c.is_ascii_digit()) {
            let d = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = rest[d..].chars().next();
            // A year alone (2024年第3期) is a field only when the date has that year.
            let full_date = rest[d..]
                .strip_prefix('年')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
            let year_ok = d != 4 || full_date || rest[..4].parse::<u16>().ok() == Some(b.meta.date.year);
            if matches!(unit, Some('年' | '月' | '日')) && (unit != Some('年') || year_ok) {
                out.push(i + d..i + d + 3);
            }
        }
        if dated {
            for prefix in ["星期", "礼拜", "禮拜", "周", "週"] {
                if let Some(r) = rest.strip_prefix(prefix)
                    && let Some(c) = r.chars().next()
                    && (weekday.ends_with(c) || (c == '天' && weekday.ends_with('日')))
                {
                    out.push(i..i + prefix.len() + c.len_utf8());
                }
            }
        }
    }
    out
}

/// The Han characters of the decoded input: those of body text, in order, and those of header
/// lines (masthead, edition headings, 责任编辑) except the words read into fields (see
/// [`field_words`]). The importer's own labelling only decides which lines are checked by
/// count rather than in order; every word it did not turn into a field must still be found.
fn input_han(imported: &Imported) -> (Vec<char>, Vec<char>) {
    let text = &imported.text;
    let mut header = vec![false; text.len()];
    let mut exempt = vec![false; text.len()];
    for e in &imported.explanations {
        if matches!(e.kind, BlockKind::Masthead | BlockKind::Edition | BlockKind::Editor) {
            let (start, end) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
            header[start..end].iter_mut().for_each(|h| *h = true);
            if let Some(line) = text.get(start..end) {
                for r in field_words(line, &imported.bulletin) {
                    let r = (start + r.start).min(end)..(start + r.end).min(end);
                    exempt[r].iter_mut().for_each(|x| *x = true);
                }
            }
        }
    }
    let han = |want_header: bool| -> Vec<char> {
        text.char_indices()
            .filter(|&(i, c)| is_han(c) && header[i] == want_header && !exempt[i])
            .map(|(_, c)| c)
            .collect()
    };
    (han(false), han(true))
}

/// All text the bulletin keeps: the front matter's words, edition names and editors, and the
/// reading text.
fn kept_text(b: &Bulletin) -> String {
    let m = &b.meta;
    let mut out = String::new();
    for s in [
        Some(&m.publication),
        m.slogan.as_ref(),
        m.publisher.as_ref(),
        m.cn.as_ref(),
        m.issn.as_ref(),
        m.permit.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        out.push_str(s);
    }
    for c in &m.editors {
        out.push_str(&c.role);
        out.push_str(&c.name);
    }
    for e in &b.editions {
        out.push_str(&e.name);
        out.push_str(e.editor.as_deref().unwrap_or_default());
    }
    out.push_str(&reading_text(b));
    out
}

/// Every Han character of `body` is in `reading` in order, and every one of `body` and
/// `header` together is somewhere in `kept` (counted with repetition).
fn check_kept(body: &[char], header: &[char], reading: &str, kept: &str) -> Result<(), String> {
    is_subsequence(body, reading)?;
    let mut have = std::collections::BTreeMap::new();
    for c in kept.chars() {
        *have.entry(c).or_insert(0usize) += 1;
    }
    for c in body.iter().chain(header) {
        match have.get_mut(c) {
            Some(n) if *n > 0 => *n -= 1,
            _ => return Err(format!("Han character `{c}` of the input is missing from the output")),
        }
    }
    Ok(())
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
        let parsed = parse(&markup, ParseOptions::default());
        if imported.bulletin.editions.is_empty() {
            // Nothing readable in the bytes: the importer warns, and the markup's only error
            // is that it has no edition.
            prop_assert!(imported.diagnostics.iter().any(|d| d.code == "no-text"), "no no-text warning");
            prop_assert!(parsed.diagnostics.iter().filter(|d| d.is_error()).all(|d| d.code == "no-edition"));
        } else {
            prop_assert!(!parsed.has_errors());
        }
    }

    #[test]
    fn never_loses_a_han_character(text in newspaper_text()) {
        let imported = import(text.as_bytes(), &ImportOptions::default());
        let (body, header) = input_han(&imported);
        let got = reading_text(&imported.bulletin);
        if let Err(e) = check_kept(&body, &header, &got, &kept_text(&imported.bulletin)) {
            prop_assert!(false, "{e}\ninput: {text:?}\noutput: {}", write(&imported.bulletin));
        }
    }

    #[test]
    fn output_parses_back_to_the_same_model(text in newspaper_text()) {
        let imported = import(text.as_bytes(), &ImportOptions::default());
        let markup = write(&imported.bulletin);
        let parsed = parse(&markup, ParseOptions::default());
        let errors: Vec<String> = parsed.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
        if imported.bulletin.editions.is_empty() {
            // Text with nothing in it: the importer warns, and the markup's only error says so.
            prop_assert!(imported.diagnostics.iter().any(|d| d.code == "no-text"), "no no-text warning");
            prop_assert!(parsed.diagnostics.iter().filter(|d| d.is_error()).all(|d| d.code == "no-edition"), "{errors:?}");
            return Ok(());
        }
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
    let (body, header) = input_han(&imported);
    let b = &imported.bulletin;
    assert_eq!(check_kept(&body, &header, &reading_text(b), &kept_text(b)), Ok(()));
}

/// Masthead text after the slogan (今日四版) is kept, not thrown away (audit t7).
#[test]
fn masthead_text_after_the_slogan_is_kept() {
    let text = "示范区头条\n2020年12月28日 星期一 农历十一月十四\n第1期 总第5期 今日四版\n\n本报讯（记者付凯明）正文内容在这里。\n";
    let imported = import(text.as_bytes(), &ImportOptions::default());
    let (body, header) = input_han(&imported);
    let b = &imported.bulletin;
    assert!(header.contains(&'今'), "今日四版 is checked: {header:?}");
    assert_eq!(check_kept(&body, &header, &reading_text(b), &kept_text(b)), Ok(()));
    let markup = write(b);
    assert!(markup.contains("今日四版"), "{markup}");
    let kept = imported
        .diagnostics
        .iter()
        .find(|d| d.code == "masthead-kept")
        .expect("a warning for the kept masthead text");
    let span = kept.span.expect("the warning points at the line");
    assert_eq!(&imported.text[span.start..span.end], "第1期 总第5期 今日四版");
}

/// A second header line with other serial numbers (a joint issue, a reprinted page) keeps them
/// as text: the front matter holds the first ones.
#[test]
fn differing_serial_numbers_on_a_later_line_are_kept() {
    let text = "示范区头条\n2020年12月28日 星期一\n第1期 总第5期\n第2期 总第6期 统一刊号 CN41-0002\n\n本报讯（记者付凯明）正文内容在这里。\n";
    let imported = import(text.as_bytes(), &ImportOptions::default());
    let b = &imported.bulletin;
    assert_eq!(
        (b.meta.issue, b.meta.total_issue),
        (Some(1), Some(5)),
        "the first numbers"
    );
    let markup = write(b);
    for kept in ["第2期", "总第6期", "CN41-0002"] {
        assert!(markup.contains(kept), "`{kept}` is kept:\n{markup}");
    }
    let (body, header) = input_han(&imported);
    assert_eq!(check_kept(&body, &header, &reading_text(b), &kept_text(b)), Ok(()));
}

/// The paper's name with slogan phrases on the first line is the masthead, not a headline.
#[test]
fn a_first_line_of_name_and_slogan_phrases_is_the_masthead() {
    let text = "示范区头条 奋进新时代 领跑新征程\n2020年12月28日 星期一\n\n示范区召开党工委会议\n\n本报讯（记者付凯明）正文内容在这里。\n";
    let imported = import(text.as_bytes(), &ImportOptions::default());
    let b = &imported.bulletin;
    assert_eq!(b.meta.publication, "示范区头条");
    assert_eq!(b.meta.slogan.as_deref(), Some("奋进新时代 领跑新征程"));
    let markup = write(b);
    assert!(
        !markup.contains("## 示范区头条"),
        "no headline of the masthead:\n{markup}"
    );
    assert!(
        markup.contains("## 示范区召开党工委会议"),
        "the first headline:\n{markup}"
    );
    let (body, header) = input_han(&imported);
    assert_eq!(check_kept(&body, &header, &reading_text(b), &kept_text(b)), Ok(()));
}
