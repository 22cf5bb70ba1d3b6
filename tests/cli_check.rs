//! Command tests: each diagnostic of the markup through `zhiban check`, with its location, the
//! source line, the caret and the hint; exit codes of check, model and fmt.

use std::path::Path;
use std::process::{Command, Output};

mod support;
use support::scratch;

const FRONT: &str = "+++\npublication = \"示范区头条\"\ndate = 2020-12-28\n+++\n";

fn zhiban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .output()
        .expect("run zhiban")
}

fn check_text(name: &str, src: &str) -> (i32, String) {
    let dir = scratch(name);
    let file = dir.join("issue.zb");
    std::fs::write(&file, src).expect("write input");
    let out = zhiban(&["check", file.to_str().expect("utf-8 path")]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Assert that checking `body` (after standard front matter) reports `code` at `line:col`
/// with `message` and a hint containing `hint`, and exits with `exit`.
fn expect(name: &str, body: &str, exit: i32, code: &str, (line, col): (usize, usize), message: &str, hint: &str) {
    let (status, err) = check_text(name, &format!("{FRONT}{body}"));
    assert_eq!(status, exit, "exit code for {name}:\n{err}");
    assert!(
        err.contains(&format!("[{code}]: {message}")),
        "{name}: message `{message}` missing:\n{err}"
    );
    assert!(
        err.contains(&format!("issue.zb:{line}:{col}")),
        "{name}: location {line}:{col} missing:\n{err}"
    );
    assert!(
        err.contains("hint: ") && err.contains(hint),
        "{name}: hint `{hint}` missing:\n{err}"
    );
}

#[test]
fn half_width_comma_caret_counts_cjk_as_two_columns() {
    let (status, err) = check_text("comma", &format!("{FRONT}# 第一版\n## 标题\n\n会议强调,全区上下\n"));
    assert_eq!(status, 0, "warnings only: {err}");
    assert!(err.contains("issue.zb:8:5"), "{err}");
    assert!(err.contains("use the full-width `，`"), "{err}");
    // The caret sits under the comma: four CJK characters are eight terminal columns.
    let source_line = err
        .lines()
        .position(|l| l.contains("会议强调,全区上下"))
        .expect("source line shown");
    let caret = err.lines().nth(source_line + 1).expect("caret line");
    let bar = caret.find('│').expect("gutter");
    let line = err.lines().nth(source_line).expect("line");
    let text_start = line.find('会').expect("text") - line.find('│').expect("gutter");
    let caret_col = caret[bar..].find('^').expect("caret") - text_start;
    assert_eq!(caret_col, 8, "{err}");
}

#[test]
fn every_error_has_place_message_and_hint() {
    expect(
        "kicker",
        "# 第一版\n^ 引题\n\n本报讯正文。\n",
        1,
        "kicker-without-headline",
        (6, 1),
        "kicker has no headline after it",
        "## headline",
    );
    expect(
        "subtitle",
        "# 第一版\n## 标题\n\n正文。\n\n-- 副题\n",
        1,
        "misplaced-subtitle",
        (10, 1),
        "subtitle is not directly under a headline",
        "-- subtitle",
    );
    expect(
        "byline",
        "# 第一版\n## 标题\n\n正文。\n\n@ 本报记者 张三\n",
        1,
        "misplaced-byline",
        (10, 1),
        "byline after the article text has started",
        "~ ",
    );
    expect(
        "control",
        "# 第一版\n## 标题\n\n本报讯 正文\u{0}第一段。\n",
        1,
        "control-char",
        (8, 7),
        "control character U+0000 (NUL) in the text",
        "delete it",
    );
    expect(
        "stray",
        "# 第一版\n\n没有标题的一段文字，出现在文章之外。\n",
        1,
        "stray-text",
        (7, 1),
        "text outside any article",
        "## headline",
    );
    expect(
        "no-edition",
        "## 标题\n\n正文。\n",
        1,
        "no-edition",
        (5, 1),
        "content before the first edition heading",
        "# 第一版 要闻",
    );
    expect(
        "level",
        "# 第一版\n#### 四级\n",
        1,
        "heading-level",
        (6, 1),
        "there is no heading level 4",
        "`###`",
    );
    expect(
        "image",
        "# 第一版\n![照片](photos/a.jpg\n",
        1,
        "bad-image",
        (6, 1),
        "image line is not",
        "![what the photo shows]",
    );
    expect(
        "box-kind",
        "# 第一版\n::: advert 广告\n文字\n:::\n",
        1,
        "unknown-box",
        (6, 1),
        "unknown box kind `advert`",
        "notice",
    );
    expect(
        "unclosed-box",
        "# 第一版\n::: notice 启事\n文字\n",
        1,
        "unclosed-box",
        (6, 1),
        "box opened here is never closed",
        "`:::`",
    );
    expect(
        "subhead",
        "# 第一版\n### 小标题\n",
        1,
        "subhead-outside-article",
        (6, 1),
        "subhead outside an article",
        "## headline",
    );
    expect(
        "note",
        "# 第一版\n~ （余建斌）\n",
        1,
        "note-outside-article",
        (6, 1),
        "end note outside an article",
        "~ ",
    );
    expect(
        "box",
        "# 第一版\n> 链接\n",
        1,
        "box-outside-article",
        (6, 1),
        "boxed text outside an article",
        "::: notice",
    );
    expect(
        "duplicate-edition",
        "# 第一版 要闻\n## 标题\n\n正文。\n\n# 第一版 综合\n## 标题二\n\n正文。\n",
        1,
        "duplicate-edition",
        (10, 1),
        "edition number 1 is used twice",
        "each `# 第N版` heading needs its own",
    );
    expect(
        "unopened-box",
        "# 第一版\n## 标题\n\n正文。\n\n:::\n",
        1,
        "unopened-box",
        (10, 1),
        "`:::` closes a box that was never opened",
        "::: notice",
    );
    expect(
        "empty-headline",
        "# 第一版\n##\n",
        1,
        "empty",
        (6, 1),
        "headline is empty",
        "## ",
    );
}

#[test]
fn front_matter_errors_point_into_the_toml() {
    let (status, err) = check_text(
        "unknown-key",
        "+++\npublication = \"报\"\ndate = 2020-12-28\ncolour = \"red\"\n+++\n",
    );
    assert_eq!(status, 1);
    assert!(
        err.contains("issue.zb:4:1") && err.contains("unknown field `colour`"),
        "{err}"
    );
    assert!(err.contains("hint: front matter keys are"), "{err}");

    let (status, err) = check_text(
        "wrong-type",
        "+++\npublication = \"报\"\ndate = 2020-12-28\nissue = \"一\"\n+++\n",
    );
    assert_eq!(status, 1);
    assert!(err.contains("issue.zb:4:9"), "{err}");

    let (status, err) = check_text("missing", "+++\npublication = \"报\"\n+++\n");
    assert_eq!(status, 1);
    assert!(
        err.contains("missing field `date`") && err.contains("date = YYYY-MM-DD"),
        "{err}"
    );

    let (status, err) = check_text("unterminated", "+++\npublication = \"报\"\n");
    assert_eq!(status, 1);
    assert!(err.contains("issue.zb:1:1") && err.contains("never closed"), "{err}");

    let (status, err) = check_text("no-front", "# 第一版\n");
    assert_eq!(status, 1);
    assert!(err.contains("does not start with front matter"), "{err}");

    let (status, err) = check_text(
        "datetime",
        "+++\npublication = \"报\"\ndate = 2020-12-28T10:00:00\n+++\n",
    );
    assert_eq!(status, 1);
    assert!(
        err.contains("must be a plain date") && err.contains("issue.zb:3:1"),
        "{err}"
    );
}

#[test]
fn warnings_for_likely_mistakes() {
    let (status, err) = check_text(
        "warnings",
        &format!("{FRONT}# 第一版\n## 标题\n\n赴示范区集中视察\n\n![](photos/none.jpg)\n说明。\n\n正文**没有闭合。\n"),
    );
    assert_eq!(status, 0, "{err}");
    for code in [
        "headline-in-text",
        "missing-alt",
        "missing-credit",
        "missing-image",
        "unclosed-emphasis",
    ] {
        assert!(err.contains(&format!("warning[{code}]")), "{code} missing:\n{err}");
    }
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let dir = scratch("gbk");
    let file = dir.join("gbk.zb");
    // 中文 in GB18030.
    std::fs::write(&file, b"+++\n\xd6\xd0\xce\xc4\n").expect("write");
    let out = zhiban(&["check", file.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("not valid UTF-8") && err.contains("offset 4") && err.contains("GB18030"),
        "{err}"
    );
}

#[test]
fn exit_codes_for_usage_and_io() {
    assert_eq!(zhiban(&["check"]).status.code(), Some(2));
    assert_eq!(zhiban(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(zhiban(&["model", "/nonexistent/x.zb"]).status.code(), Some(3));
    // An unreadable file counts as an error in the summary, not as a clean file.
    let out = zhiban(&["check", "/nonexistent/x.zb"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("checked 1 file(s): 1 error(s)"), "{err}");
}

#[test]
fn sample_checks_clean_and_model_prints_json() {
    let out = zhiban(&[
        "check",
        "input/shifanqu-2020-12-28.zb",
        "input/README.md",
        "input/photos",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("0 error(s), 0 warning(s)"), "{err}");
    let out = zhiban(&["model", "input/shifanqu-2020-12-28.zb"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("model JSON");
    assert_eq!(json["meta"]["publication"], "示范区头条");
}

#[test]
fn model_reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["model", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{FRONT}# 第一版\n## 标题\n\n正文。\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"标题\""));
}

#[test]
fn fmt_rewrites_check_detects_and_errors_leave_the_file_alone() {
    let dir = scratch("fmt");
    let file = dir.join("a.zb");
    let messy = format!("{FRONT}# 第一版 要闻\n## 标题\n第一行\n第二行\n");
    std::fs::write(&file, &messy).expect("write");
    let path = file.to_str().expect("path");
    assert_eq!(zhiban(&["fmt", "--check", path]).status.code(), Some(1));
    assert_eq!(zhiban(&["fmt", path]).status.code(), Some(0));
    let formatted = std::fs::read_to_string(&file).expect("read");
    assert!(formatted.contains("## 标题\n\n第一行第二行\n"), "{formatted}");
    assert_eq!(zhiban(&["fmt", "--check", path]).status.code(), Some(0));

    let broken = format!("{FRONT}# 第一版\n^ 引题\n");
    std::fs::write(&file, &broken).expect("write");
    assert_eq!(zhiban(&["fmt", path]).status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        broken,
        "a file with errors is not rewritten"
    );
    assert!(
        std::fs::read_dir(&dir).expect("dir").count() == 1,
        "no temporary file left behind"
    );
    let _ = Path::new(path);
}

#[test]
fn oversized_inputs_are_refused_with_a_short_message() {
    let (status, err) = check_text(
        "long-line",
        &format!("{FRONT}# 第一版\n## 标题\n\n{}\n", "字".repeat(200_000)),
    );
    assert_eq!(status, 1);
    assert!(
        err.contains("[line-too-long]") && err.contains("issue.zb:8:1"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.len() < 2000,
        "the long line is cut in the message, not printed whole"
    );

    let dir = scratch("big");
    let file = dir.join("big.zb");
    let chunk = format!("{}\n\n", "字".repeat(100));
    std::fs::write(&file, format!("{FRONT}# 第一版\n## 标题\n\n{}", chunk.repeat(60_000))).expect("write");
    let out = zhiban(&["check", file.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("larger than 16777216 bytes are refused"), "{err}");

    let (status, err) = check_text("empty", "");
    assert_eq!(status, 1);
    assert!(err.contains("does not start with front matter"), "{err}");
}

#[test]
fn a_character_no_font_has_is_an_error_at_its_place_and_nothing_is_written() {
    let dir = scratch("glyph");
    let file = dir.join("issue.zb");
    std::fs::write(
        &file,
        format!("{FRONT}# 第一版\n## 标题\n\n正文里有一个表情😀和古字。\n"),
    )
    .expect("write");
    let out_dir = dir.join("out");
    let out = zhiban(&[
        "build",
        file.to_str().expect("path"),
        "-o",
        out_dir.to_str().expect("path"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`😀` (U+1F600)") && err.contains("issue.zb:8:9"), "{err}");
    assert!(!out_dir.exists(), "no output folder for a failed build");
}

#[test]
fn a_page_an_edition_leaves_half_empty_is_a_warning_at_its_heading() {
    // The sample's 第二版 fills two thirds of its page: the build succeeds and says so.
    let out = scratch("underfilled");
    let o = zhiban(&[
        "build",
        "--pdf",
        "input/shifanqu-2020-12-28.zb",
        "-o",
        out.to_str().expect("path"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[page-underfilled]: page 2 (综合) leaves"),
        "page 2 is reported:\n{err}"
    );
    assert!(
        err.contains("shifanqu-2020-12-28.zb:83:1"),
        "at the edition's heading:\n{err}"
    );
    assert!(err.contains("add an article or a photo"), "with a hint:\n{err}");
    assert!(!err.contains("page 1 (要闻)"), "page 1 is full:\n{err}");
    assert_eq!(err.matches("page-underfilled").count(), 1, "{err}");
}

/// The warnings point at the headings the parser read, not at lines that look like them: a
/// first edition heading written `#` alone (an edition without a name) still makes 第二版's
/// warning point at 第二版's heading.
#[test]
fn warnings_point_at_the_headings_the_parser_read() {
    let sample = std::fs::read_to_string("input/shifanqu-2020-12-28.zb").expect("sample");
    let start = sample.find("# 第一版 要闻").expect("first edition");
    let nameless = sample.replacen("# 第一版 要闻", "#", 1);
    let (code, err) = build_sample_variant("bare-heading", &nameless);
    assert_eq!(code, 0, "{err}");
    let heading = nameless.find("# 第二版").expect("second edition");
    let line = nameless[..heading].lines().count() + 1;
    assert!(nameless[..start].lines().count() < line);
    assert!(err.contains("warning[page-underfilled]: page 2 (综合)"), "{err}");
    assert!(
        err.contains(&format!("issue.zb:{line}:1")),
        "at 第二版's heading, line {line}:\n{err}"
    );
}

#[test]
fn an_edition_set_on_two_pages_is_a_warning_at_its_heading() {
    // The sample with its 第一版 given twice over: the edition runs onto a second page, and
    // 第二版 moves to page 3.
    let sample = std::fs::read_to_string("input/shifanqu-2020-12-28.zb").expect("sample");
    let start = sample.find("# 第一版").expect("first edition");
    let end = sample.find("# 第二版").expect("second edition");
    let first = &sample[start..end];
    let body = first.split_once('\n').map(|(_, rest)| rest).expect("heading line");
    let doubled = format!("{}{first}{body}{}", &sample[..start], &sample[end..]);
    let (code, err) = build_sample_variant("overflow", &doubled);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning[edition-overflow]: edition 1 (要闻) does not fit its page: it is set on 2 pages (1–2); the editions after it start one page later"),
        "{err}"
    );
    let line = sample[..start].lines().count() + 1;
    assert!(
        err.contains(&format!("issue.zb:{line}:1")),
        "at the edition's heading:\n{err}"
    );
    assert!(err.contains("shorten its articles"), "with a hint:\n{err}");
    assert_eq!(
        err.matches("edition-overflow").count(),
        1,
        "only the first edition:\n{err}"
    );
    // The extra page is not also reported as too short for its edition.
    assert!(!err.contains("page 2 (要闻)"), "{err}");
}

/// `build --pdf` of `text`, a changed copy of the sample, as `issue.zb` in a scratch folder with
/// the sample's photo beside it: exit code and standard error.
fn build_sample_variant(name: &str, text: &str) -> (i32, String) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    std::fs::copy("input/photos/coffee.jpg", dir.join("photos/coffee.jpg")).expect("photo");
    let issue = dir.join("issue.zb");
    std::fs::write(&issue, text).expect("write");
    let out = dir.join("out");
    let o = zhiban(&[
        "build",
        "--pdf",
        issue.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `build --pdf` of `src` in a scratch folder: exit code and standard error.
fn build_text(name: &str, src: &str) -> (i32, String) {
    let dir = scratch(name);
    let file = dir.join("issue.zb");
    std::fs::write(&file, src).expect("write input");
    let out_dir = dir.join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["build", "--pdf", "-o"])
        .arg(&out_dir)
        .arg(&file)
        .env("ZHIBAN_FONTS", concat!(env!("CARGO_MANIFEST_DIR"), "/fonts"))
        .output()
        .expect("run zhiban");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn build_warns_where_kinsoku_gave_way_in_a_printed_line() {
    // `/` may not end a line at the gb level (clreq §3.1.4), so the 43-letter address is one unit
    // wider than the 15 em column: only a break after a `/` (the basic level) fills the lines.
    let body = "# 第一版 要闻\n\n## 测试\n\n本报讯 详情请见网址abcdefghij/abcdefghij/abcdefghij/abcdefghij。\n";
    let (status, err) = build_text("kinsoku-relaxed", &format!("{FRONT}{body}"));
    assert_eq!(status, 0, "a warning, not an error:\n{err}");
    assert!(
        err.contains("warning[kinsoku-relaxed]: page 1, article e1-a1: a line ends where"),
        "{err}"
    );
    // The affected line starts at `网址` (column 9, after `本报讯 详情请见`) and ends after a `/`.
    assert!(err.contains("issue.zb:9:9"), "{err}");
    assert!(err.contains("/abcdefghij/`"), "{err}");
    assert!(err.contains("hint: reword the sentence"), "{err}");
    assert_eq!(err.matches("[kinsoku-relaxed]").count(), 1, "{err}");
    // Where every break is allowed, nothing is reported.
    let body = "# 第一版 要闻\n\n## 测试\n\n本报讯 详情请见网址abcdefghij abcdefghij abcdefghij abcdefghij。\n";
    let (status, err) = build_text("kinsoku-kept", &format!("{FRONT}{body}"));
    assert_eq!(status, 0, "{err}");
    assert!(
        !err.contains("kinsoku-relaxed") && !err.contains("short-last-line"),
        "{err}"
    );
}

#[test]
fn the_sample_builds_without_composition_warnings() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/input/shifanqu-2020-12-28.zb");
    let out_dir = scratch("sample-composition");
    let out = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["build", "--pdf", sample, "-o"])
        .arg(&out_dir)
        .env("ZHIBAN_FONTS", concat!(env!("CARGO_MANIFEST_DIR"), "/fonts"))
        .output()
        .expect("run zhiban");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out_dir.join("shifanqu-2020-12-28.pdf").is_file(), "{err}");
    for code in ["kinsoku-relaxed", "line-underfull", "short-last-line"] {
        assert!(!err.contains(code), "{code}:\n{err}");
    }
}
