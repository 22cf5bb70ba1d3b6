//! One test per markup element: what each sign makes in the model.

use zhiban::markup::{ParseOptions, Parsed, parse, write};
use zhiban::model::*;

const FRONT: &str = "+++\npublication = \"报\"\ndate = 2020-12-28\n+++\n";

fn parsed(body: &str) -> Parsed {
    let p = parse(&format!("{FRONT}{body}"), ParseOptions::default());
    assert!(!p.has_errors(), "{:#?}", p.diagnostics);
    p
}

fn one_article(body: &str) -> Article {
    let p = parsed(&format!("# 第一版\n{body}"));
    p.bulletin.articles().next().cloned().expect("an article")
}

#[test]
fn front_matter_every_key() {
    let src = "+++\npublication = \"示范区头条\"\nslogan = \"口号\"\npublisher = \"主办单位\"\ndate = 2020-02-29\nissue = 7\ntotal_issue = 1234\ncn = \"CN41-0001\"\nissn = \"1234-5678\"\npermit = \"豫内资001\"\nlanguage = \"zh-TW\"\nlayout = \"a4-bulletin\"\neditors = [{ role = \"总编辑\", name = \"张三\" }]\n+++\n\n# 第一版 要闻\n";
    let p = parse(src, ParseOptions::default());
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let m = &p.bulletin.meta;
    assert_eq!(
        (
            m.publication.as_str(),
            m.slogan.as_deref(),
            m.publisher.as_deref(),
            m.date.to_string().as_str()
        ),
        ("示范区头条", Some("口号"), Some("主办单位"), "2020-02-29")
    );
    assert_eq!((m.issue, m.total_issue), (Some(7), Some(1234)));
    assert_eq!(
        (m.cn.as_deref(), m.issn.as_deref(), m.permit.as_deref()),
        (Some("CN41-0001"), Some("1234-5678"), Some("豫内资001"))
    );
    assert_eq!(
        (m.language.as_str(), m.layout.as_deref()),
        ("zh-TW", Some("a4-bulletin"))
    );
    assert_eq!(
        m.editors,
        vec![Contributor {
            role: "总编辑".into(),
            name: "张三".into()
        }]
    );
    assert_eq!(m.date.weekday_zh(), "星期六");
    // Default language.
    assert_eq!(parsed("# 第一版\n").bulletin.meta.language, "zh-CN");
}

#[test]
fn editions_numbers_names_and_editor() {
    let p = parsed("# 第十二版 副刊\n@ 责任编辑：李四\n\n# 2 综合\n\n# 要闻\n");
    let e = &p.bulletin.editions;
    assert_eq!(
        (e[0].number, e[0].name.as_str(), e[0].editor.as_deref()),
        (12, "副刊", Some("李四"))
    );
    assert_eq!((e[1].number, e[1].name.as_str()), (2, "综合"));
    assert_eq!((e[2].number, e[2].name.as_str(), e[2].id.as_str()), (3, "要闻", "e3"));
}

#[test]
fn headline_block_kicker_subtitles_bylines() {
    let a = one_article("^ 引题\n## 主题\n-- 副题一\n-- ——副题二\n@ 本报记者 张三 通讯员 李四\n\n正文。\n");
    assert_eq!(a.kicker.as_deref().map(plain_text).as_deref(), Some("引题"));
    assert_eq!(plain_text(&a.headline), "主题");
    assert_eq!(
        a.subtitles.iter().map(|s| plain_text(s)).collect::<Vec<_>>(),
        ["副题一", "——副题二"]
    );
    assert_eq!(a.bylines[0].text.as_str(), "本报记者 张三 通讯员 李四");
    let names: Vec<_> = a.bylines[0]
        .contributors
        .iter()
        .map(|c| (c.role.as_str(), c.name.as_str()))
        .collect();
    assert_eq!(names, [("本报记者", "张三"), ("通讯员", "李四")]);
}

#[test]
fn dateline_only_on_the_lead_paragraph() {
    let a = one_article(
        "## 标题\n\n新华社北京12月21日电（记者 张三）会议在京举行。\n\n本报讯（记者李四）第二段不是电头。\n",
    );
    let Block::Paragraph(lead) = &a.body[0] else {
        panic!("paragraph")
    };
    let d = lead.dateline.as_ref().expect("dateline");
    assert_eq!(
        (d.text.as_str(), d.source.as_str()),
        ("新华社北京12月21日电（记者 张三）", "新华社北京12月21日电")
    );
    assert_eq!(plain_text(&lead.content), "会议在京举行。");
    let Block::Paragraph(second) = &a.body[1] else {
        panic!("paragraph")
    };
    assert!(second.dateline.is_none());
    // An escaped lead paragraph keeps its text.
    let a = one_article("## 标题\n\n\\本报讯是栏目名。\n");
    let Block::Paragraph(p) = &a.body[0] else {
        panic!("paragraph")
    };
    assert!(p.dateline.is_none());
    assert_eq!(plain_text(&p.content), "本报讯是栏目名。");
}

#[test]
fn paragraphs_join_lines_and_drop_indents() {
    let a = one_article("## 标题\n\n　　第一行\n第二行 and\nLatin words\n\n第二段\n");
    let texts: Vec<String> = a
        .body
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => plain_text(&p.content),
            _ => String::new(),
        })
        .collect();
    assert_eq!(texts, ["第一行第二行 and Latin words", "第二段"]);
}

#[test]
fn subhead_box_note_and_figure_in_article() {
    let a = one_article(
        "## 标题\n\n正文。\n\n### 一、小标题\n\n> 链接第一段\n> 接续\n>\n> 第二段\n\n![会场全景](p/a.jpg \"本报记者 王五 摄\")\n图说一。\n图说二。\n\n~ （余建斌）\n",
    );
    assert!(matches!(&a.body[1], Block::Subhead { content } if plain_text(content) == "一、小标题"));
    match &a.body[2] {
        Block::Boxed { paragraphs } => {
            assert_eq!(
                paragraphs.iter().map(|p| plain_text(p)).collect::<Vec<_>>(),
                ["链接第一段接续", "第二段"]
            )
        }
        other => panic!("box expected, found {other:?}"),
    }
    match &a.body[3] {
        Block::Figure(f) => {
            assert_eq!((f.src.as_str(), f.alt.as_str()), ("p/a.jpg", "会场全景"));
            assert_eq!(f.credit.as_ref().map(Text::as_str), Some("本报记者 王五 摄"));
            assert_eq!(f.caption.len(), 2);
            assert_eq!(f.id, "e1-f1");
        }
        other => panic!("figure expected, found {other:?}"),
    }
    assert!(matches!(&a.body[4], Block::Note { content } if plain_text(content) == "（余建斌）"));
}

#[test]
fn photo_news_sections_and_furniture() {
    let p = parsed(
        "# 第一版\n\n![照片](a.jpg \"摄\")\n图说。\n\n## 标题\n\n正文。\n\n---\n\n![照片二](b.jpg \"摄\")\n\n== 栏目\n\n## 栏目文章\n\n正文。\n\n==\n\n::: notice 更正\n昨日本报第二版有误。\n:::\n\n::: subscribe 扫一扫 关注我们\n![二维码](qr.png \"\")\n\n公众号\n:::\n",
    );
    let items = &p.bulletin.editions[0].items;
    let kinds: Vec<&str> = items
        .iter()
        .map(|i| match i {
            Item::Article(_) => "article",
            Item::PhotoNews(_) => "photo",
            Item::Section(_) => "section",
            Item::Furniture(_) => "furniture",
        })
        .collect();
    assert_eq!(
        kinds,
        ["photo", "article", "photo", "section", "furniture", "furniture"]
    );
    let Item::Section(s) = &items[3] else { panic!() };
    assert_eq!((s.title.as_str(), s.items.len(), s.id.as_str()), ("栏目", 1, "e1-s1"));
    let Item::Furniture(x) = &items[5] else { panic!() };
    assert_eq!(x.kind, FurnitureKind::Subscribe);
    assert!(matches!(&x.body[0], Block::Figure(f) if f.src == "qr.png"));
    assert!(matches!(&x.body[1], Block::Paragraph(_)));
    // Canonical markup gives the same model back.
    let again = parse(&write(&p.bulletin), ParseOptions::default());
    assert_eq!(again.bulletin, p.bulletin);
}

#[test]
fn inline_emphasis_and_escapes() {
    let a = one_article("## 标题**加粗**\n\n这是**重点**和*强调*，5\\*3，路径 C:\\\\data。\n");
    assert!(matches!(&a.headline[1], Inline::Strong(x) if plain_text(x) == "加粗"));
    let Block::Paragraph(p) = &a.body[0] else { panic!() };
    assert_eq!(plain_text(&p.content), "这是重点和强调，5*3，路径 C:\\data。");
    assert!(p.content.iter().any(|i| matches!(i, Inline::Emph(_))));
}

#[test]
fn text_positions_point_into_the_source() {
    let src = format!("{FRONT}# 第一版\n## 标题\n\n本报讯（记者张三）第一行\n第二行\n");
    let p = parse(&src, ParseOptions::default());
    let a = p.bulletin.articles().next().expect("article");
    let Block::Paragraph(para) = &a.body[0] else { panic!() };
    let Inline::Text(t) = &para.content[0] else { panic!() };
    // 第二行 starts on the next source line.
    let at = t.as_str().find("第二行").expect("joined");
    let off = t.origin.source_offset(at).expect("origin");
    assert_eq!(&src[off..off + "第二行".len()], "第二行");
}
