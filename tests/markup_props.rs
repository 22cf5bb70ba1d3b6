//! Property tests of the markup: the parser never panics and keeps spans in bounds on any text,
//! and parse → write → parse is the identity on models.

use proptest::prelude::*;
use zhiban::diag::LineIndex;
use zhiban::markup::{ParseOptions, parse, parse_contributors, write};
use zhiban::model::*;

/// Characters that stress the parser: sigils, brackets, escapes, CJK text and punctuation.
const NOISE: &[&str] = &[
    "#",
    "## ",
    "### ",
    "# ",
    "^ ",
    "-- ",
    "---",
    "@ ",
    "> ",
    ">",
    "~ ",
    "![",
    "](",
    "\"",
    ")",
    "(",
    "::: ",
    ":::",
    "notice",
    "subscribe",
    "== ",
    "==",
    "+++",
    "\\",
    "*",
    "**",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "　",
    "本报讯",
    "（记者",
    "）",
    "新华社北京12月1日电",
    "【本報訊】",
    "中文",
    "标题",
    "，",
    "。",
    "“",
    "”",
    "a",
    "1",
    "\u{feff}",
    "\t",
    "publication = \"x\"",
    "date = 2020-12-28",
    "é",
    "😀",
];

fn noise() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NOISE), 0..80).prop_map(|v| v.concat())
}

proptest! {

    #[test]
    fn parser_never_panics_and_spans_stay_in_bounds(body in noise(), front in any::<bool>()) {
        let src = if front { format!("+++\npublication = \"p\"\ndate = 2020-12-28\n+++\n{body}") } else { body };
        let parsed = parse(&src, ParseOptions::default());
        let index = LineIndex::new(&src);
        for d in &parsed.diagnostics {
            if let Some(span) = d.span {
                prop_assert!(span.start <= span.end && span.end <= src.len(), "{d:?} out of {}", src.len());
                prop_assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end), "{d:?}");
                let (line, col) = index.line_col(&src, span.start);
                prop_assert!(line >= 1 && line <= index.line_count() && col >= 1);
            }
        }
        // Whatever parsed without errors must survive formatting.
        if !parsed.has_errors() {
            let again = parse(&write(&parsed.bulletin), ParseOptions::default());
            prop_assert!(!again.has_errors(), "{:?}", again.diagnostics);
            prop_assert_eq!(&again.bulletin, &parsed.bulletin);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(src in ".{0,400}") {
        let parsed = parse(&src, ParseOptions::default());
        for d in &parsed.diagnostics {
            if let Some(span) = d.span {
                prop_assert!(span.end <= src.len() && src.is_char_boundary(span.start) && src.is_char_boundary(span.end));
            }
        }
    }

    #[test]
    fn parse_write_parse_is_identity(b in bulletin()) {
        let text = write(&b);
        let parsed = parse(&text, ParseOptions::default());
        prop_assert!(!parsed.has_errors(), "{:?}\n{}", parsed.diagnostics, text);
        prop_assert_eq!(&parsed.bulletin, &b, "{}", text);
        // Writing is a fixed point.
        prop_assert_eq!(write(&parsed.bulletin), text);
    }

    #[test]
    fn line_col_round_trips(src in ".{0,200}", pick in any::<prop::sample::Index>()) {
        let index = LineIndex::new(&src);
        let offsets: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        if !offsets.is_empty() {
            let at = offsets[pick.index(offsets.len())];
            let (line, col) = index.line_col(&src, at);
            let range = index.line_range(&src, line - 1);
            let back = src[range.start..].char_indices().nth(col - 1).map(|(i, _)| range.start + i);
            prop_assert_eq!(back, Some(at));
        }
    }
}

// ---- model generators: models that markup can express (see docs/markup.md, "What round-trips") ----

/// Plain text without line breaks, trimmed, never empty.
fn plain() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "中",
        "文",
        "示范区",
        "会议",
        "，",
        "。",
        "、",
        "“",
        "”",
        "（",
        "）",
        "《",
        "》",
        "——",
        "……",
        "2020",
        "年",
        "GDP",
        " ",
        "a",
        "*",
        "\\",
        "#",
        "-",
        "!",
        "[",
        "]",
        ":",
        "@",
        "^",
        "~",
        ">",
        "=",
        "+",
        "本报讯",
        "【",
        "】",
        "é",
        "𠀀",
        "12.5%",
        "\"",
    ]);
    prop::collection::vec(piece, 1..12)
        .prop_map(|v| v.concat().trim().to_string())
        .prop_filter("non-empty", |s| !s.is_empty())
}

fn text() -> impl Strategy<Value = Inline> {
    plain().prop_map(|s| Inline::Text(Text::new(s)))
}

/// Inline content: text, with emphasis that starts and ends with text and never touches
/// another emphasis (the markup cannot tell `*a**b*` apart otherwise).
fn inlines() -> impl Strategy<Value = Vec<Inline>> {
    let emph = (text(), prop::option::of(text()), any::<bool>()).prop_map(|(a, b, strong)| {
        let mut inner = vec![a];
        if let Some(b) = b {
            // Strong inside emphasis (or the reverse), bracketed by text.
            let nested = if strong {
                Inline::Emph(vec![b])
            } else {
                Inline::Strong(vec![b])
            };
            inner.push(nested);
            inner.push(Inline::Text(Text::new("文")));
        }
        if strong {
            Inline::Strong(inner)
        } else {
            Inline::Emph(inner)
        }
    });
    (text(), prop::collection::vec((emph, text()), 0..3)).prop_map(|(first, rest)| {
        let mut out = vec![first];
        for (e, t) in rest {
            out.push(e);
            out.push(t);
        }
        normalize(out)
    })
}

/// Merge adjacent text nodes, as the parser does.
fn normalize(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in v {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_text(&b),
            (_, i) => out.push(i),
        }
    }
    out
}

fn figure() -> impl Strategy<Value = Figure> {
    (
        "[a-z0-9]{1,8}(/[a-z0-9]{1,8})?\\.(jpg|png)",
        prop::option::of(plain()),
        prop::collection::vec(inlines(), 0..3),
        prop::option::of(plain().prop_filter("no brackets", |s| !s.contains("](") && !s.contains('"'))),
    )
        .prop_map(|(src, credit, caption, alt)| Figure {
            id: String::new(),
            src,
            alt: alt.unwrap_or_default().replace(']', "").trim().to_string(),
            caption,
            credit: credit
                .map(|c| Text::new(c.replace('"', "").trim().to_string()))
                .filter(|c| !c.is_empty()),
        })
}

const DATELINES: &[&str] = &[
    "本报讯（记者郭树勋）",
    "本报讯（记者郭树勋 通讯员梁健）",
    "新华社北京12月21日电（记者 张三、李四）",
    "【本報訊】記者陳大文報道：",
    "本报讯",
];

fn block(lead: bool) -> BoxedStrategy<Block> {
    let para = (prop::option::of(prop::sample::select(DATELINES)), inlines()).prop_map(move |(d, content)| {
        let dateline = d.filter(|_| lead).map(|d| {
            let parsed = parse(
                &format!("+++\npublication = \"p\"\ndate = 2020-01-01\n+++\n# 第一版\n## h\n\n{d}正文"),
                ParseOptions::default(),
            );
            let a = parsed.bulletin.articles().next().cloned();
            match a.and_then(|a| a.body.into_iter().next()) {
                Some(Block::Paragraph(Paragraph { dateline: Some(d), .. })) => d,
                _ => Dateline {
                    text: Text::new(d),
                    source: d.to_string(),
                    contributors: Vec::new(),
                },
            }
        });
        // Text after a dateline must not extend it (a bracket right after it would).
        let mut content = content;
        if dateline.is_some() {
            content.insert(0, Inline::Text(Text::new("正文")));
            content = normalize(content);
        }
        Block::Paragraph(Paragraph { dateline, content })
    });
    prop_oneof![
        4 => para,
        1 => inlines().prop_map(|content| Block::Subhead { content }),
        1 => figure().prop_map(Block::Figure),
        1 => prop::collection::vec(inlines(), 1..3).prop_map(|paragraphs| Block::Boxed { paragraphs }),
        1 => inlines().prop_map(|content| Block::Note { content }),
    ]
    .boxed()
}

fn article() -> impl Strategy<Value = Article> {
    (
        prop::option::of(inlines()),
        inlines(),
        prop::collection::vec(inlines(), 0..2),
        prop::collection::vec(plain(), 0..2),
        block(true),
        prop::collection::vec(block(false), 0..4),
    )
        .prop_map(|(kicker, headline, subtitles, bylines, first, rest)| Article {
            id: String::new(),
            kicker,
            headline,
            subtitles,
            bylines: bylines
                .into_iter()
                .map(|b| Byline {
                    contributors: parse_contributors(&b),
                    text: Text::new(b),
                })
                .collect(),
            body: std::iter::once(first).chain(rest).collect(),
        })
}

fn furniture() -> impl Strategy<Value = Furniture> {
    (
        any::<bool>(),
        prop::option::of(plain()),
        prop::collection::vec(
            prop_oneof![
                inlines().prop_map(|content| Block::Paragraph(Paragraph {
                    dateline: None,
                    content
                })),
                figure().prop_map(Block::Figure),
            ],
            0..3,
        ),
    )
        .prop_map(|(notice, title, body)| Furniture {
            id: String::new(),
            kind: if notice {
                FurnitureKind::Notice
            } else {
                FurnitureKind::Subscribe
            },
            title: title.map(Text::new),
            body,
        })
}

fn leaf_item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => article().prop_map(Item::Article),
        1 => figure().prop_map(Item::PhotoNews),
        1 => furniture().prop_map(Item::Furniture),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => leaf_item(),
        1 => (plain(), prop::collection::vec(leaf_item(), 0..3))
            .prop_map(|(title, items)| Item::Section(Section { id: String::new(), title: Text::new(title), items })),
    ]
}

fn bulletin() -> impl Strategy<Value = Bulletin> {
    (
        plain(),
        prop::option::of(plain()),
        (1u16..3000, 1u8..13, 1u8..29),
        prop::option::of(1u32..500),
        prop::collection::vec(
            (prop::option::of("[一-龥]{2,3}"), prop::collection::vec(item(), 0..4)),
            1..4,
        ),
    )
        .prop_map(|(publication, publisher, (y, m, d), issue, editions)| {
            let mut b = Bulletin {
                meta: Meta {
                    publication,
                    slogan: None,
                    publisher,
                    date: Date::new(y, m, d).unwrap_or(Date {
                        year: 2020,
                        month: 1,
                        day: 1,
                    }),
                    issue,
                    total_issue: issue.map(|i| i + 1000),
                    cn: None,
                    issn: Some("1234-5678".into()),
                    permit: None,
                    language: "zh-CN".into(),
                    editors: vec![Contributor {
                        role: "主编".into(),
                        name: "张三".into(),
                    }],
                    layout: Some("tabloid".into()),
                },
                editions: editions
                    .into_iter()
                    .enumerate()
                    .map(|(i, (editor, items))| Edition {
                        id: String::new(),
                        number: i as u32 + 1,
                        name: ["要闻", "综合", ""][i % 3].to_string(),
                        editor,
                        items,
                    })
                    .collect(),
            };
            assign_ids(&mut b);
            b
        })
}
