//! Golden test: the model of the sample issue in `input/`, and its fields checked one by one.
//! `UPDATE_GOLDEN=1 cargo test` rewrites `tests/golden/seed/model.json`; review the diff.

use std::path::Path;

use zhiban::markup::{ParseOptions, parse, write};
use zhiban::model::{Block, Bulletin, Item, items_flat, plain_text};

const SAMPLE: &str = "input/shifanqu-2020-12-28.zb";

fn sample() -> Bulletin {
    let src = std::fs::read_to_string(SAMPLE).expect("sample issue");
    let parsed = parse(
        &src,
        ParseOptions {
            base_dir: Some(Path::new("input")),
        },
    );
    assert!(
        parsed.diagnostics.is_empty(),
        "sample must check clean: {:#?}",
        parsed.diagnostics
    );
    parsed.bulletin
}

#[test]
fn sample_model_matches_golden() {
    let json = serde_json::to_string_pretty(&sample()).expect("json") + "\n";
    let golden = Path::new("tests/golden/seed/model.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, &json).expect("write golden");
    }
    let want = std::fs::read_to_string(golden).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    assert!(
        json == want,
        "model differs from {}; run with UPDATE_GOLDEN=1 and review the diff",
        golden.display()
    );
    // The JSON reads back into the same model.
    let back: Bulletin = serde_json::from_str(&json).expect("model JSON reads back");
    assert_eq!(back, sample());
}

#[test]
fn sample_is_canonical_markup() {
    let src = std::fs::read_to_string(SAMPLE).expect("sample issue");
    assert_eq!(write(&sample()), src, "input/ is kept in `zhiban fmt` form");
}

#[test]
fn sample_has_every_item_in_the_right_field() {
    let b = sample();
    assert_eq!(b.meta.publication, "示范区头条");
    assert_eq!(b.meta.date.to_string(), "2020-12-28");
    assert_eq!(b.meta.language, "zh-CN");
    assert_eq!(
        b.editions
            .iter()
            .map(|e| (e.number, e.name.as_str()))
            .collect::<Vec<_>>(),
        [(1, "要闻"), (2, "综合")]
    );

    let heads: Vec<String> = b.articles().map(|a| plain_text(&a.headline)).collect();
    assert_eq!(
        heads,
        [
            "示范区召开党工委（扩大）会议",
            "赴示范区集中视察",
            "宁郭镇 打造年轻化知识化专业化干部队伍",
            "全市初中物理高效课堂观摩在理工大附中举行",
            "示范区五名教师喜获优质课评选省级荣誉",
            "示范区6家单位获批市级科普平台",
            "李万街道 扎实开展冬季大气污染防治",
            "示范区发改委：为高质量建设“三区一极”谱新篇",
            "示范区科创局：为大力度打造“科创引擎”强攻坚",
        ]
    );
    let a: Vec<_> = b.articles().collect();
    assert_eq!(a[0].subtitles.len(), 1);
    assert_eq!(
        plain_text(&a[0].subtitles[0]),
        "传达学习中央经济工作会议精神，总结区直部门今年工作并谋划明年工作"
    );
    assert_eq!(
        a[2].kicker.as_deref().map(plain_text).as_deref(),
        Some("扎实开展村（社区）“两委”换届工作")
    );
    assert!(
        a.iter().enumerate().all(|(i, x)| (i == 2) == x.kicker.is_some()),
        "only 宁郭镇 has a kicker"
    );

    // Run-in datelines of the seven news items, with their reporters.
    let datelines: Vec<(String, Vec<String>)> = a
        .iter()
        .filter_map(|x| match x.body.first() {
            Some(Block::Paragraph(p)) => p.dateline.as_ref(),
            _ => None,
        })
        .map(|d| {
            (
                d.text.as_str().to_string(),
                d.contributors.iter().map(|c| format!("{}{}", c.role, c.name)).collect(),
            )
        })
        .collect();
    assert_eq!(datelines.len(), 7);
    assert_eq!(
        datelines[0],
        ("本报讯（记者郭树勋）".to_string(), vec!["记者郭树勋".to_string()])
    );
    assert_eq!(datelines[5].1, ["记者郭树勋", "通讯员梁健"]);
    // The two 比比看 features have bylines instead.
    for x in &a[7..] {
        assert_eq!(x.bylines.len(), 1);
        assert_eq!(x.bylines[0].text.as_str(), "本报记者 郭树勋");
        assert_eq!(x.bylines[0].contributors[0].name, "郭树勋");
    }

    // The photo news: two caption paragraphs, the credit, alt text that is not the caption.
    let photos: Vec<_> = b
        .editions
        .iter()
        .flat_map(|e| items_flat(&e.items))
        .filter_map(|i| match i {
            Item::PhotoNews(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(photos.len(), 1);
    let f = photos[0];
    assert_eq!(f.credit.as_ref().map(|c| c.as_str()), Some("本报记者 翟鹏程 摄"));
    assert_eq!(f.caption.len(), 2);
    assert!(plain_text(&f.caption[0]).starts_with("12月25日，河南卓立膜材料股份有限公司"));
    assert!(!f.alt.is_empty() && !f.alt.contains("河南卓立"));
    assert!(Path::new("input").join(&f.src).is_file());

    // The section banner groups the last two articles; the footer box follows it.
    let e2 = &b.editions[1];
    match (&e2.items[0], &e2.items[1]) {
        (Item::Section(s), Item::Furniture(x)) => {
            assert_eq!(s.title.as_str(), "岁末年初比比看");
            assert_eq!(s.items.len(), 2);
            assert_eq!(x.title.as_ref().map(|t| t.as_str()), Some("扫一扫 关注我们"));
        }
        other => panic!("edition 2 should hold the banner then the footer box, found {other:?}"),
    }
}
