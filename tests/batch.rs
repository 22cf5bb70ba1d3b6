//! Command tests of `zhiban batch`: good and bad issues side by side, the report, shards and
//! skipping unchanged issues.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::scratch;

/// A small issue that lays out on one page.
fn issue(title: &str) -> String {
    format!(
        "+++\npublication = \"示范区头条\"\ndate = 2020-12-28\nissue = 1\n+++\n\n# 第一版 要闻\n\n## {title}\n\n本报讯 村（社区）“两委”换届工作开展以来，各村按照要求，扎实推进各项工作。\n"
    )
}

fn zhiban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1609113600")
        .output()
        .expect("run zhiban")
}

/// Three good issues (one in a subfolder) and one with a markup error.
fn issues(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("2021")).expect("input dirs");
    std::fs::write(input.join("a.zb"), issue("宁郭镇打造干部队伍")).expect("write");
    std::fs::write(input.join("b.zb"), issue("示范区召开会议")).expect("write");
    std::fs::write(input.join("2021/c.zb"), issue("新年新气象")).expect("write");
    std::fs::write(input.join("bad.zb"), "+++\npublication = \n+++\n").expect("write");
    input
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn good_issues_are_built_and_a_bad_one_is_reported() {
    let dir = scratch("mixed");
    let input = issues(&dir);
    let out = dir.join("out");
    let report = dir.join("report.json");
    let run = zhiban(&["batch", s(&input), "-o", s(&out), "-j", "2", "--report", s(&report)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    for file in ["a.pdf", "a.epub", "b.pdf", "b.epub", "2021/c.pdf", "2021/c.epub"] {
        assert!(out.join(file).is_file(), "{file} missing:\n{err}");
    }
    assert!(!out.join("bad.pdf").exists());
    assert!(err.contains("FAILED"), "{err}");
    assert!(err.contains("3 built, 0 skipped, 1 failed"), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    assert_eq!(json["built"], 3);
    assert_eq!(json["failed"], 1);
    let failed: Vec<_> = json["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|i| i["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["input"].as_str().expect("input").ends_with("bad.zb"));
    assert!(failed[0]["error"].as_str().is_some_and(|e| e.contains("error")));
}

#[test]
fn shards_partition_the_inputs() {
    let dir = scratch("shards");
    let input = issues(&dir);
    let mut seen = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let report = dir.join(format!("report-{}.json", &shard[..1]));
        let run = zhiban(&[
            "batch",
            s(&input),
            "-o",
            s(&dir.join("out")),
            "--shard",
            shard,
            "--report",
            s(&report),
        ]);
        assert!(run.status.code().is_some_and(|c| c <= 1));
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
        for i in json["issues"].as_array().expect("issues") {
            seen.push(i["input"].as_str().expect("input").to_string());
        }
    }
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, 4, "every input exactly once: {seen:?}");
    assert_eq!(seen.len(), 4);
    assert_eq!(zhiban(&["batch", s(&input), "--shard", "4/3"]).status.code(), Some(2));
}

#[test]
fn unchanged_issues_are_skipped_the_second_time() {
    let dir = scratch("skip");
    let input = issues(&dir);
    std::fs::remove_file(input.join("bad.zb")).expect("remove");
    let out = dir.join("out");
    let first = zhiban(&["batch", s(&input), "-o", s(&out), "--skip-unchanged"]);
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{err}");
    assert!(err.contains("3 built, 0 skipped"), "{err}");
    std::fs::write(input.join("b.zb"), issue("示范区召开大会")).expect("write");
    let second = zhiban(&["batch", s(&input), "-o", s(&out), "--skip-unchanged"]);
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(0), "{err}");
    assert!(err.contains("1 built, 2 skipped"), "{err}");
    std::fs::remove_file(out.join("a.pdf")).expect("remove");
    let third = zhiban(&["batch", s(&input), "-o", s(&out), "--skip-unchanged"]);
    let err = String::from_utf8_lossy(&third.stderr);
    assert!(err.contains("1 built, 2 skipped"), "a missing output is rebuilt: {err}");
    assert!(out.join("a.pdf").is_file());
}

#[test]
fn a_manifest_lists_the_issues() {
    let dir = scratch("manifest");
    let input = issues(&dir);
    let manifest = input.join("issues.txt");
    std::fs::write(dir.join("outside.zb"), issue("区外来稿")).expect("write");
    std::fs::write(&manifest, "# tonight\na.zb\n2021/c.zb  # late edition\n../outside.zb\n").expect("write");
    let out = dir.join("out");
    let run = zhiban(&["batch", s(&manifest), "-o", s(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(out.join("a.pdf").is_file() && out.join("2021/c.pdf").is_file(), "{err}");
    assert!(!out.join("b.pdf").exists());
    assert!(
        out.join("outside.pdf").is_file(),
        "a file outside the manifest's folder lands in OUT"
    );
}

/// Every file and folder under `dir` (relative path → bytes), hidden files included.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(path);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
fn one_issue_under_two_spellings_is_built_once() {
    let dir = scratch("two-spellings");
    let input = issues(&dir);
    let manifest = input.join("issues.txt");
    std::fs::write(&manifest, "a.zb\n2021/../a.zb\n./a.zb\n").expect("write");
    let out = dir.join("out");
    let report = dir.join("report.json");
    let run = zhiban(&["batch", s(&manifest), "-o", s(&out), "-j", "2", "--report", s(&report)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(err.contains("1 built, 0 skipped, 0 failed"), "{err}");
    assert!(
        err.contains("2021/../a.zb` is `") && err.contains("(the same file); it is built once"),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    assert_eq!(json["issues"].as_array().expect("issues").len(), 1, "{json}");
    let names: Vec<String> = tree(&out).into_keys().filter(|p| !p.contains('/')).collect();
    assert_eq!(names, ["a.epub", "a.pdf"], "nothing temporary beside the outputs");
    let bag = zhiban(&["verify-bag", s(&out.join("a.bag"))]);
    assert_eq!(bag.status.code(), Some(0), "{}", String::from_utf8_lossy(&bag.stdout));
}

#[test]
fn two_issues_writing_the_same_outputs_are_refused_before_any_build() {
    let dir = scratch("clash");
    let input = issues(&dir);
    std::fs::create_dir_all(dir.join("elsewhere")).expect("elsewhere");
    std::fs::write(dir.join("elsewhere/a.zb"), issue("另一个甲")).expect("write");
    // Both outside the manifest's folder or beside it: both would write OUT/a.*.
    let manifest = input.join("issues.txt");
    std::fs::write(&manifest, "b.zb\na.zb\n../elsewhere/a.zb\n").expect("write");
    let out = dir.join("out");
    let before = tree(&dir);
    let run = zhiban(&["batch", s(&manifest), "-o", s(&out), "--report", s(&dir.join("r.json"))]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "error: `{}` and `{}` would both write `{}`",
            s(&input.join("../elsewhere/a.zb")),
            s(&input.join("a.zb")),
            s(&out.join("a.pdf"))
        )),
        "{err}"
    );
    assert!(err.contains("nothing was built"), "{err}");
    assert_eq!(
        tree(&dir),
        before,
        "nothing written, not even b's outputs or the report"
    );

    // An issue's outputs inside another's bag: `x.zb` and `x.bag/c.zb` in one folder.
    std::fs::remove_file(&manifest).expect("remove");
    std::fs::create_dir_all(input.join("x.bag")).expect("x.bag");
    std::fs::write(input.join("x.zb"), issue("袋")).expect("write");
    std::fs::write(input.join("x.bag/c.zb"), issue("袋中")).expect("write");
    let before = tree(&dir);
    let run = zhiban(&["batch", s(&input), "-o", s(&out)]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("would both write `{}`", s(&out.join("x.bag")))),
        "{err}"
    );
    assert_eq!(tree(&dir), before);
}
