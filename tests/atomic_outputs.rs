//! The products of one build are replaced as a set: a disk that fills up half-way through leaves
//! the older outputs exactly as they were and no temporary files behind.
//!
//! A small disk is a `tmpfs` mounted for the test, which needs root; elsewhere the test says so
//! and skips (a machine may forbid mounts even to root, so this is never required).

mod support;

use std::path::Path;
use std::process::Command;

use support::zhiban;

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_full_disk_leaves_the_older_outputs_untouched() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/shifanqu-2020-12-28.zb");
    let mount = std::env::temp_dir().join(format!("zhiban-full-{}", std::process::id()));
    std::fs::create_dir_all(&mount).expect("mount point");
    // 700 KiB holds the PDF and the EPUB (≈ 415 KB) but not the bag (≈ 1.1 MB) as well.
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=700k", "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        let _ = std::fs::remove_dir(&mount);
        eprintln!("skipped: cannot mount a small tmpfs (needs root)");
        return;
    }
    let out = mount.join("out");
    std::fs::create_dir_all(&out).expect("out");
    std::fs::write(out.join("shifanqu-2020-12-28.pdf"), b"older pdf").expect("old pdf");
    std::fs::write(out.join("shifanqu-2020-12-28.epub"), b"older epub").expect("old epub");
    let before = listing(&out);

    let run = zhiban(&[
        "build",
        sample.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    let after = listing(&out);
    let _ = Command::new("umount").arg(&mount).status();
    let _ = std::fs::remove_dir(&mount);

    assert_eq!(run.status.code(), Some(3), "{err}");
    assert!(err.contains("No space left") || err.contains("os error 28"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(before, after, "the older outputs and nothing else: {err}");
}
