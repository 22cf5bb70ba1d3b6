//! Command tests of `zhiban import`: encodings, output file, JSON, explanations, front matter
//! options and placeholders, warnings with line numbers; the output passes `zhiban check`.

use std::process::{Command, Output};

mod support;
use support::scratch;

fn zhiban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .output()
        .expect("run zhiban")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const PAGE: &str = "示范区头条\n2020年12月28日 星期一\n\n赴示范区集中视察\n\n本报讯(记者付凯明)12月23日上午,驻示范区10名市人大代表赴解放区集中视察,在实际工作中牢牢\n\n坚持把把,区领导冯利民带队视察。\n";

#[test]
fn gb18030_file_imports_to_markup_that_checks() {
    let dir = scratch("gb");
    let input = dir.join("page.txt");
    let (bytes, _, _) = encoding_rs::GB18030.encode(PAGE);
    std::fs::write(&input, &bytes).expect("write input");
    let out = dir.join("page.zb");
    let run = zhiban(&["import", path(&input), "-o", path(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("read as gb18030"), "{err}");
    // The joined paragraph is reported at the line of its second half.
    assert!(
        err.contains("[paragraph-joined]") && err.contains("page.txt:8:1"),
        "{err}"
    );
    let markup = std::fs::read_to_string(&out).expect("output written");
    assert!(
        markup.contains("publication = \"示范区头条\"\ndate = 2020-12-28\n"),
        "{markup}"
    );
    assert!(
        markup.contains("## 赴示范区集中视察\n\n本报讯（记者付凯明）12月23日上午，"),
        "{markup}"
    );
    assert!(markup.contains("牢牢坚持把把，"), "{markup}");
    let check = zhiban(&["check", path(&out)]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn json_explain_and_front_matter_options() {
    let dir = scratch("json");
    let input = dir.join("page.txt");
    std::fs::write(
        &input,
        "赴示范区集中视察\n\n本报讯（记者付凯明）视察组一行先后视察了产业园。\n",
    )
    .expect("write");
    let run = zhiban(&[
        "import",
        path(&input),
        "--json",
        "--explain",
        "--publication",
        "示范区头条",
        "--date",
        "2020-12-28",
    ]);
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON model");
    assert_eq!(json["meta"]["publication"], "示范区头条");
    assert_eq!(json["meta"]["date"], "2020-12-28");
    let article = &json["editions"][0]["items"][0];
    assert_eq!(article["headline"][0]["content"], "赴示范区集中视察");
    assert_eq!(article["body"][0]["dateline"]["source"], "本报讯");
    assert!(err.contains("page.txt:1: headline:"), "{err}");
    assert!(
        err.contains("page.txt:3: paragraph: lead paragraph: opens with a dateline"),
        "{err}"
    );
}

#[test]
fn placeholders_are_marked_in_the_front_matter() {
    let dir = scratch("placeholder");
    let input = dir.join("page.txt");
    std::fs::write(
        &input,
        "赴示范区集中视察\n\n本报讯（记者付凯明）视察组一行先后视察了产业园。\n",
    )
    .expect("write");
    let out = dir.join("page.zb");
    let run = zhiban(&["import", path(&input), "-o", path(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("[publication-missing]") && err.contains("[date-missing]"),
        "{err}"
    );
    let markup = std::fs::read_to_string(&out).expect("output");
    assert!(
        markup
            .starts_with("+++\n# zhiban import: publication and date not found in the text; replace the placeholder\n"),
        "{markup}"
    );
    let check = zhiban(&["check", path(&out)]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn encoding_option_and_bad_encoding_name() {
    let dir = scratch("big5");
    let input = dir.join("page.txt");
    let (bytes, _, _) = encoding_rs::BIG5
        .encode("港鐵東涌線延線動工\n\n【本報訊】記者李偉明報道：港鐵東涌線延線工程昨日舉行動工儀式。\n");
    std::fs::write(&input, &bytes).expect("write");
    let run = zhiban(&["import", path(&input), "--encoding", "big5"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    // Traditional, and a Hong Kong paper's (港鐵).
    assert!(out.contains("language = \"zh-HK\""), "{out}");
    assert!(
        out.contains("## 港鐵東涌線延線動工\n\n【本報訊】記者李偉明報道："),
        "{out}"
    );
    let bad = zhiban(&["import", path(&input), "--encoding", "latin9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown encoding `latin9`"));
    let missing = zhiban(&["import", path(&dir.join("nope.txt"))]);
    assert_eq!(missing.status.code(), Some(3));
}

#[test]
fn a_text_over_two_mebibytes_is_refused_unread() {
    let dir = scratch("too-large");
    let file = dir.join("year.txt");
    // A sparse file: its size is what is checked, before any byte is read.
    let f = std::fs::File::create(&file).expect("create");
    f.set_len(2 * 1024 * 1024 + 1).expect("size");
    let out = dir.join("year.zb");
    let run = zhiban(&["import", path(&file), "-o", path(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.contains("2097153 bytes") && err.contains("split it into issues"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}
