//! Same input, same bytes: the sample issue copied into two folders and built from each, at
//! different times and from different working folders, gives byte-identical PDF, EPUB and bag.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use support::tree;

/// Copy the bundled sample (`input/`) to `to`.
fn copy_input(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    for (rel, bytes) in tree(&from) {
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::write(dest, bytes).expect("copy");
    }
}

/// Build the copy in `root` from inside it, with the environment a user might have.
fn build(root: &Path, extra_env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhiban"));
    cmd.current_dir(root)
        .args(["build", "shifanqu-2020-12-28.zb", "-o", "out"])
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let run = cmd.output().expect("run zhiban");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    tree(&root.join("out"))
}

#[test]
fn two_folders_two_times_same_bytes() {
    let base = std::env::temp_dir().join(format!("zhiban-determinism-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (a, b) = (base.join("first"), base.join("second/deeper"));
    copy_input(&a);
    copy_input(&b);
    let first = build(&a, &[("TZ", "UTC"), ("LC_ALL", "C")]);
    // A second later, elsewhere, in another time zone and locale.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = build(&b, &[("TZ", "Asia/Shanghai"), ("LC_ALL", "zh_CN.UTF-8")]);
    let _ = std::fs::remove_dir_all(&base);

    let names: Vec<&String> = first.keys().collect();
    assert!(
        names.iter().any(|p| p.ends_with("shifanqu-2020-12-28.pdf"))
            && names.iter().any(|p| p.ends_with("shifanqu-2020-12-28.epub"))
            && names.iter().any(|p| p.ends_with("mets.xml")),
        "all three products: {names:?}"
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &first {
        assert!(second.get(path) == Some(bytes), "{path} differs between the two builds");
    }
}
