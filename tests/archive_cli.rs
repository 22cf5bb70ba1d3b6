//! `zhiban build --archive` and `zhiban verify-bag` as a user runs them: the bag on disk,
//! `sha256sum -c`, a changed byte, a rebuilt bag, two identical builds, `SOURCE_DATE_EPOCH`.

mod support;

use std::process::Command;

use support::*;

/// Runs the `zhiban` binary; returns exit code, stdout and stderr.
fn zhiban(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhiban"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("zhiban runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn build_archive_writes_a_bag_that_checks_and_a_changed_byte_fails() {
    let dir = scratch("archive-cli");
    let out = dir.join("out");
    let (code, _, err) = zhiban(&["build", SAMPLE, "-o", out.to_str().expect("path"), "--archive"], &[]);
    assert_eq!(code, 0, "{err}");
    let bag = out.join("shifanqu-2020-12-28.bag");
    assert!(bag.join("data/mets.xml").is_file(), "{err}");
    assert!(
        !out.join("shifanqu-2020-12-28.pdf").exists(),
        "--archive alone writes only the bag"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["shifanqu-2020-12-28.bag"], "no temporary folders left");

    if have("sha256sum") {
        let status = Command::new("sha256sum")
            .args(["--quiet", "-c", "manifest-sha256.txt"])
            .current_dir(&bag)
            .status()
            .expect("sha256sum");
        assert!(status.success(), "sha256sum -c manifest-sha256.txt");
    }
    let (code, stdout, _) = zhiban(&["verify-bag", bag.to_str().expect("path")], &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("valid bag"), "{stdout}");

    // One changed payload byte.
    let pdf = bag.join("data/shifanqu-2020-12-28.pdf");
    let mut bytes = std::fs::read(&pdf).expect("pdf");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&pdf, &bytes).expect("write");
    let (code, stdout, _) = zhiban(&["verify-bag", bag.to_str().expect("path")], &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("manifest-sha256.txt") && stdout.contains("data/shifanqu-2020-12-28.pdf` has changed"),
        "{stdout}"
    );

    // A stray file and a missing one.
    std::fs::write(bag.join("data/extra.txt"), b"x").expect("write");
    std::fs::remove_file(bag.join("data/alto/0001.xml")).expect("remove");
    let (code, stdout, _) = zhiban(&["verify-bag", bag.to_str().expect("path")], &[]);
    assert_eq!(code, 1);
    assert!(stdout.contains("`data/extra.txt` is not listed"), "{stdout}");
    assert!(
        stdout.contains("`data/alto/0001.xml` is listed but missing"),
        "{stdout}"
    );
    assert!(stdout.contains("Payload-Oxum"), "{stdout}");

    // Building again replaces the damaged bag as a whole.
    let (code, _, err) = zhiban(&["build", SAMPLE, "-o", out.to_str().expect("path"), "--archive"], &[]);
    assert_eq!(code, 0, "{err}");
    let (code, stdout, _) = zhiban(&["verify-bag", bag.to_str().expect("path")], &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!bag.join("data/extra.txt").exists());
}

#[test]
fn two_builds_give_identical_bags_and_dates_follow_source_date_epoch() {
    let dir = scratch("archive-determinism");
    let one = dir.join("one");
    let two = dir.join("two");
    for out in [&one, &two] {
        let (code, _, err) = zhiban(&["build", SAMPLE, "-o", out.to_str().expect("path")], &[]);
        assert_eq!(code, 0, "{err}");
    }
    let a = tree(&one.join("shifanqu-2020-12-28.bag"));
    let b = tree(&two.join("shifanqu-2020-12-28.bag"));
    assert!(a.len() >= 9);
    assert!(a == b, "two builds differ");
    // With no product flag, build writes the PDF beside the bag too: the same bytes.
    assert_eq!(
        std::fs::read(one.join("shifanqu-2020-12-28.pdf")).expect("pdf"),
        a["data/shifanqu-2020-12-28.pdf"]
    );

    let three = dir.join("three");
    let (code, _, err) = zhiban(
        &["build", SAMPLE, "-o", three.to_str().expect("path"), "--archive"],
        &[("SOURCE_DATE_EPOCH", "1609459200")],
    );
    assert_eq!(code, 0, "{err}");
    let c = tree(&three.join("shifanqu-2020-12-28.bag"));
    let info = String::from_utf8_lossy(&c["bag-info.txt"]).into_owned();
    assert!(info.contains("Bagging-Date: 2021-01-01\n"), "{info}");
    let mets = String::from_utf8_lossy(&c["data/mets.xml"]).into_owned();
    assert!(
        mets.contains("CREATEDATE=\"2021-01-01T00:00:00Z\""),
        "METS date from SOURCE_DATE_EPOCH"
    );
    let (code, _, err) = zhiban(
        &["build", SAMPLE, "-o", three.to_str().expect("path"), "--archive"],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(code, 2, "a malformed SOURCE_DATE_EPOCH is refused: {err}");
}
