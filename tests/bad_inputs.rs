//! Bad inputs through `zhiban build`: each gives its exit code (1 input, 2 usage, 3 I/O),
//! names the file and line:column where there is one, never panics, and leaves a previous build
//! in the output folder byte for byte as it was, with no new or temporary file beside it.
//! `docs/errors.md` lists every case with the message it prints.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

mod support;
use support::scratch;

const FRONT: &str = "+++\npublication = \"示范区头条\"\ndate = 2020-12-28\n+++\n";
const BODY: &str = "# 第一版 要闻\n## 标题\n\n本报讯（记者张三）正文。\n";

/// Exit code: the input has errors.
const EXIT_INPUT: i32 = 1;
/// Exit code: a file could not be read or written.
const EXIT_IO: i32 = 3;

/// The bytes a previous build left; a failed build must not touch them.
const OLD_PDF: &[u8] = b"%PDF-1.7\n% the previous build\n";
const OLD_BAGIT: &[u8] = b"BagIt-Version: 1.0\n";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Every file under `dir` (relative path → bytes), hidden temporary files included.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
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

/// Run `zhiban build FILE -o DIR/out EXTRA…` over a previous build in `DIR/out`; assert the exit
/// code, no panic, and that the whole folder (input side included) is unchanged. Returns stderr.
fn build_fails(dir: &Path, file: &str, extra: &[&str], exit: i32) -> String {
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("issue.bag")).expect("out dir");
    std::fs::write(out.join("issue.pdf"), OLD_PDF).expect("old pdf");
    std::fs::write(out.join("issue.bag/bagit.txt"), OLD_BAGIT).expect("old bag");
    let before = tree(dir);
    let output = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .arg("build")
        .arg(dir.join(file))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .output()
        .expect("run zhiban");
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    let shown = &err[..err.floor_char_boundary(3000)];
    assert_ne!(output.status.code(), Some(101), "panicked:\n{shown}");
    assert!(!err.contains("panicked"), "panicked:\n{shown}");
    assert_eq!(output.status.code(), Some(exit), "exit code:\n{shown}");
    assert_eq!(tree(dir), before, "the folder changed:\n{shown}");
    err
}

/// Write `text` to `DIR/issue.zb`.
fn issue(dir: &Path, text: impl AsRef<[u8]>) {
    std::fs::write(dir.join("issue.zb"), text).expect("write issue");
}

/// An issue with one photo `src` (relative to the issue's folder).
fn issue_with_photo(dir: &Path, src: &str) {
    issue(
        dir,
        format!("{FRONT}{BODY}\n![合影]({src} \"本报记者 张三 摄\")\n说明。\n"),
    );
}

fn assert_has(err: &str, parts: &[&str]) {
    for p in parts {
        assert!(
            err.contains(p),
            "`{p}` missing:\n{}",
            &err[..err.floor_char_boundary(3000)]
        );
    }
}

#[test]
fn invalid_utf8_names_line_and_byte_offset() {
    let dir = scratch("utf8");
    issue(&dir, [FRONT.as_bytes(), b"# \xe7\xac\xac\xff\n"].concat());
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:5:", "not valid UTF-8", "offset 63"]);
}

#[test]
fn gb18030_bytes_are_refused_with_a_conversion_hint() {
    let dir = scratch("gb18030");
    // publication = "中文" in GB18030.
    issue(&dir, b"+++\npublication = \"\xd6\xd0\xce\xc4\"\n");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:2:", "offset 19", "iconv -f GB18030 -t UTF-8"]);
}

#[test]
fn empty_file_has_no_front_matter() {
    let dir = scratch("empty");
    issue(&dir, "");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "[front-matter]: the file does not start with front matter",
            "issue.zb: 1 error(s)",
        ],
    );
}

#[test]
fn front_matter_wrong_type_points_at_the_value() {
    let dir = scratch("fm-type");
    issue(
        &dir,
        format!("+++\npublication = \"报\"\ndate = 2020-12-28\nissue = \"一\"\n+++\n{BODY}"),
    );
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:4:9", "invalid type: string \"一\", expected u32"]);
}

#[test]
fn front_matter_unknown_key_points_at_the_key() {
    let dir = scratch("fm-key");
    issue(
        &dir,
        format!("+++\npublication = \"报\"\ndate = 2020-12-28\ncolour = \"red\"\n+++\n{BODY}"),
    );
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:4:1", "unknown field `colour`"]);
}

#[test]
fn unterminated_front_matter_points_at_its_opening() {
    let dir = scratch("fm-open");
    issue(&dir, format!("+++\npublication = \"报\"\ndate = 2020-12-28\n{BODY}"));
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:1:1", "front matter opened here is never closed"]);
}

#[test]
fn content_before_any_edition_points_at_it() {
    let dir = scratch("no-edition");
    issue(&dir, format!("{FRONT}## 标题\n\n正文。\n"));
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb:5:1", "[no-edition]: content before the first edition heading"],
    );
}

#[test]
fn issue_without_editions_is_refused() {
    let dir = scratch("zero-editions");
    issue(&dir, FRONT);
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    // At the end of the file, where the first edition heading belongs; `--pdf` alone too.
    let lines = FRONT.lines().count() + 1;
    assert_has(
        &err,
        &[
            "error[no-edition]: the issue has no edition",
            &format!("issue.zb:{lines}:1"),
            "# 第一版",
        ],
    );
    let err = build_fails(&dir, "issue.zb", &["--pdf"], EXIT_INPUT);
    assert_has(&err, &["error[no-edition]"]);
}

#[test]
fn missing_photo_points_at_its_path() {
    let dir = scratch("photo-missing");
    issue_with_photo(&dir, "photos/none.jpg");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb:10:7", "image `photos/none.jpg`: cannot open", "No such file"],
    );
}

#[test]
fn photo_that_is_not_an_image_is_refused() {
    let dir = scratch("photo-text");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    std::fs::write(dir.join("photos/text.jpg"), "not an image\n").expect("write");
    issue_with_photo(&dir, "photos/text.jpg");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:10:7", "the file is not a JPEG or PNG image"]);
}

/// The standard CRC-32 (ISO-HDLC, as PNG chunks use), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One PNG chunk: length, type, data, CRC over type and data.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
    out
}

/// A PNG of `width` × `height` 8-bit grey pixels whose image data is `raw` (filter bytes
/// included), zlib-wrapped in one stored deflate block.
fn png(width: u32, height: u32, raw: &[u8]) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let len = raw.len() as u16;
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &zlib));
    out.extend(chunk(b"IEND", b""));
    out
}

#[test]
fn hand_made_png_is_accepted() {
    // The control for the two PNG cases below: the same writer gives a photo that builds.
    let dir = scratch("png-ok");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    std::fs::write(dir.join("photos/grey.png"), png(2, 2, &[0, 10, 20, 0, 30, 40])).expect("write");
    issue_with_photo(&dir, "photos/grey.png");
    let out = dir.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["build", s(&dir.join("issue.zb")), "-o", s(&out), "--pdf"])
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
    assert!(out.join("issue.pdf").is_file());
}

#[test]
fn truncated_png_is_reported_as_damaged() {
    let dir = scratch("png-truncated");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let whole = png(2, 2, &[0, 10, 20, 0, 30, 40]);
    std::fs::write(dir.join("photos/cut.png"), &whole[..40]).expect("write");
    issue_with_photo(&dir, "photos/cut.png");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:10:7", "image `photos/cut.png`: the image is damaged"]);
}

#[test]
fn a_missing_and_a_damaged_photo_are_both_listed_in_text_order() {
    // Photos are decoded beside the layout; a build that stops lists every bad one at once.
    let dir = scratch("two-bad-photos");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let whole = png(2, 2, &[0, 10, 20, 0, 30, 40]);
    std::fs::write(dir.join("photos/cut.png"), &whole[..40]).expect("write");
    issue(
        &dir,
        format!(
            "{FRONT}{BODY}\n![合影](photos/cut.png \"本报记者 张三 摄\")\n说明。\n\n![会场](photos/gone.png \"本报记者 李四 摄\")\n说明二。\n"
        ),
    );
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "image `photos/cut.png`: the image is damaged",
            "image `photos/gone.png`: cannot open",
        ],
    );
    let cut = err.find("photos/cut.png`:").expect("cut listed");
    let gone = err.find("photos/gone.png`:").expect("gone listed");
    assert!(cut < gone, "listed in text order:\n{err}");
}

#[test]
fn photo_limits_are_set_from_the_command_line() {
    let dir = scratch("photo-limits");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/photos/coffee.jpg");
    std::fs::copy(sample, dir.join("photos/coffee.jpg")).expect("copy");
    issue_with_photo(&dir, "photos/coffee.jpg");
    let err = build_fails(&dir, "issue.zb", &["--max-pixels", "200000"], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "issue.zb:10:7",
            "600 × 400 pixels is outside the limit of 200000 pixels",
        ],
    );
    let err = build_fails(&dir, "issue.zb", &["--max-image-bytes", "1000"], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb:10:7", "the file has 72326 bytes, more than the limit of 1000"],
    );
    // The defaults take the sample photo.
    let out = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args([
            "build",
            s(&dir.join("issue.zb")),
            "-o",
            s(&dir.join("ok")),
            "--pdf",
            "--max-pixels",
            "240000",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn png_header_of_50000_by_50000_pixels_is_refused_before_decoding() {
    let dir = scratch("png-bomb");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let bomb = png(50_000, 50_000, &[0; 64]);
    assert!(bomb.len() < 200, "a tiny file");
    std::fs::write(dir.join("photos/bomb.png"), bomb).expect("write");
    issue_with_photo(&dir, "photos/bomb.png");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "issue.zb:10:7",
            "50000 × 50000 pixels is outside the limit of 100000000 pixels",
        ],
    );
}

#[test]
fn photo_path_with_parent_folders_is_refused() {
    let dir = scratch("photo-dotdot");
    issue_with_photo(&dir, "../../etc/passwd");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "issue.zb:10:7",
            "the path leaves the markup file's folder",
            "--allow-outside",
        ],
    );
}

#[test]
fn absolute_photo_path_is_refused() {
    let dir = scratch("photo-absolute");
    issue_with_photo(&dir, "/etc/passwd");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(&err, &["issue.zb:10:7", "the path leaves the markup file's folder"]);
    // Allowed outside, the file is read and refused for what it is.
    let err = build_fails(&dir, "issue.zb", &["--allow-outside"], EXIT_INPUT);
    assert_has(&err, &["issue.zb:10:7", "the file is not a JPEG or PNG image"]);
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_folder_is_refused_unless_allowed() {
    let dir = scratch("photo-symlink");
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/photos/coffee.jpg");
    std::os::unix::fs::symlink(&target, dir.join("photos/link.jpg")).expect("symlink");
    issue_with_photo(&dir, "photos/link.jpg");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "issue.zb:10:7",
            "the path leads out of the markup file's folder (through a link)",
        ],
    );
    let allowed = dir.join("allowed");
    let status = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args([
            "build",
            s(&dir.join("issue.zb")),
            "-o",
            s(&allowed),
            "--pdf",
            "--allow-outside",
        ])
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0), "--allow-outside follows the link");
}

#[test]
fn private_use_character_no_font_has_is_an_error_at_its_place() {
    // U+1F600 through `build` is in tests/cli_check.rs; this is a private-use character.
    let dir = scratch("no-glyph");
    issue(&dir, format!("{FRONT}# 第一版\n## 标题\n\n正文\u{e000}。\n"));
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb:8:3", "no font of the layout has the character", "(U+E000)"],
    );
}

/// The built-in tabloid layout as a file in `dir`, fonts by absolute path, with `edit` applied.
fn layout_file(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("layouts/tabloid.toml")).expect("tabloid");
    let fonts = root.join("fonts");
    let text = text.replace("path = \"fonts/", &format!("path = \"{}/", s(&fonts)));
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).expect("write layout");
    s(&path).to_string()
}

#[test]
fn layout_file_control_builds() {
    let dir = scratch("layout-ok");
    issue(&dir, format!("{FRONT}{BODY}"));
    let layout = layout_file(&dir, "good.toml", |t| t);
    let out = dir.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args([
            "build",
            s(&dir.join("issue.zb")),
            "-o",
            s(&out),
            "--pdf",
            "--layout",
            &layout,
        ])
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn layout_unknown_key_points_at_it() {
    let dir = scratch("layout-key");
    issue(&dir, format!("{FRONT}{BODY}"));
    let layout = layout_file(&dir, "bad.toml", |t| {
        t.replace("kinsoku = \"gb\"", "kinsoku = \"gb\"\nhyphenate = true")
    });
    let err = build_fails(&dir, "issue.zb", &["--layout", &layout], EXIT_INPUT);
    assert_has(&err, &["bad.toml:60:1", "unknown field `hyphenate`"]);
}

#[test]
fn layout_wrong_type_points_at_the_value() {
    let dir = scratch("layout-type");
    issue(&dir, format!("{FRONT}{BODY}"));
    let layout = layout_file(&dir, "bad.toml", |t| t.replace("columns = 5", "columns = \"five\""));
    let err = build_fails(&dir, "issue.zb", &["--layout", &layout], EXIT_INPUT);
    assert_has(&err, &["bad.toml:18:11", "invalid type: string \"five\", expected u32"]);
}

#[test]
fn layout_columns_narrower_than_one_character_are_refused() {
    let dir = scratch("layout-narrow");
    issue(&dir, format!("{FRONT}{BODY}"));
    for n in [0, 1] {
        let layout = layout_file(&dir, "bad.toml", |t| {
            t.replace("chars_per_line = 15", &format!("chars_per_line = {n}"))
        });
        let err = build_fails(&dir, "issue.zb", &["--layout", &layout], EXIT_INPUT);
        // Geometry is checked after parsing; the message points at the line that sets the key.
        let line = std::fs::read_to_string(&layout)
            .expect("layout")
            .lines()
            .position(|l| l.trim_start().starts_with("chars_per_line"))
            .expect("the key")
            + 1;
        assert_has(
            &err,
            &[&format!(
                "bad.toml:{line}:1: grid.chars_per_line is {n}; a column narrower than two characters"
            )],
        );
    }
}

#[test]
fn a_layout_file_that_does_not_exist_is_an_io_error() {
    let dir = scratch("layout-missing");
    issue(&dir, format!("{FRONT}{BODY}"));
    let missing = dir.join("nope.toml");
    let err = build_fails(
        &dir,
        "issue.zb",
        &["--layout", missing.to_str().expect("path")],
        EXIT_IO,
    );
    assert_has(
        &err,
        &["nope.toml: cannot read the layout", "built-in layouts are tabloid"],
    );
}

#[test]
fn headline_longer_than_a_page_points_at_it() {
    let dir = scratch("headline");
    issue(&dir, format!("{FRONT}# 第一版\n## {}\n\n正文。\n", "长".repeat(3000)));
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb:6:4", "does not fit on a page", "shorten the headline"],
    );
    assert!(err.len() < 2000, "the headline is cut in the message");
}

#[test]
fn output_folder_under_a_regular_file_is_an_io_error() {
    let dir = scratch("unwritable");
    issue(&dir, format!("{FRONT}{BODY}"));
    std::fs::write(dir.join("blocker"), "a file, not a folder\n").expect("write");
    let before = tree(&dir);
    let blocked = dir.join("blocker/sub");
    let output = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["build", s(&dir.join("issue.zb")), "-o", s(&blocked)])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(EXIT_IO), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_has(
        &err,
        &["cannot create the output folder", "blocker/sub", "Not a directory"],
    );
    assert_eq!(tree(&dir), before);
}

#[test]
fn ten_megabyte_single_line_is_refused_with_a_short_message() {
    let dir = scratch("long-line");
    issue(
        &dir,
        format!("{FRONT}# 第一版\n## 标题\n\n{}\n", "字".repeat(3_500_000)),
    );
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "issue.zb:8:1",
            "this line is 10500000 bytes long; lines longer than 262144 bytes are refused",
        ],
    );
    assert!(err.len() < 2000, "the line is cut in the message");
}

#[test]
fn file_over_16_mib_is_refused_unread() {
    let dir = scratch("huge");
    let file = std::fs::File::create(dir.join("issue.zb")).expect("create");
    // Sparse: the size is checked before a byte is read.
    file.set_len(16 * 1024 * 1024 + 1).expect("set_len");
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &["issue.zb: the file has 16777217 bytes; markup files larger than 16777216 bytes are refused"],
    );
}

#[test]
fn every_character_no_font_has_is_listed_at_once() {
    let dir = scratch("rare-characters");
    issue(
        &dir,
        // CJK Extension G (Unicode 13, 2020): newer than every bundled font, the Extension B–F
        // fallback included.
        format!("{FRONT}# 第一版\n## 标题\n\n本报讯 生僻字\u{3134A}与\u{30000}。\n\n又见\u{3134A}。\n"),
    );
    let err = build_fails(&dir, "issue.zb", &[], EXIT_INPUT);
    assert_has(
        &err,
        &[
            "no font of the layout has the character `\u{3134A}` (U+3134A)",
            "issue.zb:8:8",
            "`\u{30000}` (U+30000) either",
            "issue.zb:8:10",
            "issue.zb:10:3",
        ],
    );
}

/// Run `zhiban ARGS…` in `dir`; assert no panic and the exit code, and return stderr.
fn zhiban_fails(args: &[&str], exit: i32) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1609113600")
        .output()
        .expect("run zhiban");
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    let shown = &err[..err.floor_char_boundary(3000)];
    assert_ne!(output.status.code(), Some(101), "panicked:\n{shown}");
    assert!(!err.contains("panicked"), "panicked:\n{shown}");
    assert_eq!(output.status.code(), Some(exit), "exit code:\n{shown}");
    err
}

/// A folder `dir/NAME` holding a file and a subfolder, as a user's folder would.
fn users_folder(dir: &Path, name: &str) -> std::path::PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(folder.join("2020")).expect("folder");
    std::fs::write(folder.join("keep.zb"), "an editor's work\n").expect("keep");
    std::fs::write(folder.join("2020/old.zb"), "last year's\n").expect("old");
    folder
}

#[test]
fn import_output_that_is_a_folder_is_refused_and_kept() {
    let dir = scratch("import-folder");
    std::fs::write(dir.join("raw.txt"), "示范区头条\n\n标题\n\n正文。\n").expect("raw");
    let folder = users_folder(&dir, "issues");
    let before = tree(&dir);
    let err = zhiban_fails(&["import", s(&dir.join("raw.txt")), "-o", s(&folder)], EXIT_IO);
    assert_has(
        &err,
        &[
            &format!("error: cannot write `{}`: it is a folder, not a file", s(&folder)),
            "name a file",
        ],
    );
    assert_eq!(tree(&dir), before, "the folder and everything in it stay");
}

#[test]
fn batch_report_that_is_a_folder_is_refused_before_any_build() {
    let dir = scratch("report-folder");
    std::fs::create_dir_all(dir.join("in")).expect("in");
    std::fs::write(dir.join("in/a.zb"), format!("{FRONT}{BODY}")).expect("issue");
    let folder = users_folder(&dir, "some/dir");
    let before = tree(&dir);
    let err = zhiban_fails(
        &[
            "batch",
            s(&dir.join("in")),
            "-o",
            s(&dir.join("out")),
            "--report",
            s(&folder),
        ],
        EXIT_IO,
    );
    assert_has(&err, &[&format!("cannot write `{}`: it is a folder", s(&folder))]);
    assert_eq!(tree(&dir), before, "nothing built, nothing removed");
}

#[test]
fn a_product_path_that_is_a_folder_is_refused_and_kept() {
    let dir = scratch("product-folder");
    issue(&dir, format!("{FRONT}{BODY}"));
    let out = dir.join("out");
    users_folder(&out, "issue.pdf");
    let before = tree(&dir);
    let err = zhiban_fails(&["build", s(&dir.join("issue.zb")), "-o", s(&out)], EXIT_IO);
    assert_has(
        &err,
        &[
            &format!(
                "cannot write `{}`: it is a folder, not a file",
                s(&out.join("issue.pdf"))
            ),
            "nothing was changed in",
        ],
    );
    assert_eq!(
        tree(&dir),
        before,
        "the folder named like the PDF stays, nothing else is written"
    );
}

#[test]
fn fmt_of_a_folder_is_refused_and_kept() {
    let dir = scratch("fmt-folder");
    let folder = users_folder(&dir, "issue.zb");
    let before = tree(&dir);
    let err = zhiban_fails(&["fmt", s(&folder)], EXIT_IO);
    assert_has(&err, &[s(&folder)]);
    assert_eq!(tree(&dir), before);
}

/// `/dev/full`, where every write fails with "No space left on device".
fn dev_full() -> std::process::Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
        .into()
}

#[test]
fn a_full_standard_error_is_exit_3_not_a_panic() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/shifanqu-2020-12-28.zb");
    let raw = format!("{}/tests/import/county_news.txt", env!("CARGO_MANIFEST_DIR"));
    for args in [
        vec!["check", s(&sample)],
        vec!["check", "no-such-file.zb"],
        vec!["import", &raw],
        vec!["--frobnicate"],
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_zhiban"))
            .args(&args)
            .stderr(dev_full())
            .status()
            .expect("run zhiban");
        assert_eq!(status.code(), Some(EXIT_IO), "{args:?}: a panic is 101");
    }
}

#[test]
fn a_full_standard_output_is_exit_3_with_a_message() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/shifanqu-2020-12-28.zb");
    // A folder that is not a bag: its problems go to standard output.
    let empty = scratch("not-a-bag");
    for args in [
        vec!["model", s(&sample)],
        vec!["fmt", "--stdout", s(&sample)],
        vec!["frames", s(&sample)],
        vec!["verify-bag", s(&empty)],
        vec!["--help"],
        vec!["--version"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_zhiban"))
            .args(&args)
            .stdout(dev_full())
            .output()
            .expect("run zhiban");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(EXIT_IO), "{args:?}:\n{err}");
        assert!(!err.contains("panicked"), "{args:?}:\n{err}");
        if !args[0].starts_with("--") {
            assert_has(
                &err,
                &["error: cannot write to standard output: No space left on device"],
            );
        }
    }
}

/// Make a FIFO (named pipe) at `path`; nothing ever writes to it, so opening it to read blocks.
fn fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Run `zhiban ARGS…` with standard input from `stdin`, killed after 20 s: a read that hangs or
/// grows is a failure here, not a test that never ends. Returns the exit code and stderr.
fn run_with_deadline(args: &[&str], stdin: std::process::Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(args)
        .stdin(stdin)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run zhiban");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} still running after 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("output");
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!err.contains("panicked"), "{args:?}:\n{err}");
    (output.status.code(), err)
}

#[cfg(unix)]
#[test]
fn a_device_or_fifo_as_markup_is_refused_unread() {
    let dir = scratch("markup-fifo");
    let err = build_fails(&dir, "/dev/zero", &[], EXIT_IO);
    assert_has(
        &err,
        &[
            "error: cannot read `/dev/zero`: it is a device, not a regular file",
            "standard input with `-`",
        ],
    );
    let markup = dir.join("issue.zb");
    fifo(&markup);
    let out = dir.join("fresh");
    for command in ["build", "check", "fmt", "import", "model"] {
        let mut args = vec![command, s(&markup)];
        if command == "build" {
            args.extend(["-o", s(&out)]);
        }
        let (code, err) = run_with_deadline(&args, std::process::Stdio::null());
        assert_eq!(code, Some(EXIT_IO), "{command}:\n{err}");
        assert_has(&err, &["issue.zb`: it is a FIFO (named pipe), not a regular file"]);
    }
    assert!(!out.exists(), "nothing written");
    // Standard input has no size to check first: it is read up to the limit and one byte more.
    let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
    let (code, err) = run_with_deadline(&["check", "-"], zero.into());
    assert_eq!(code, Some(EXIT_INPUT), "{err}");
    assert_has(&err, &["standard input is larger than 16777216 bytes"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_as_layout_font_or_photo_is_refused_unread() {
    let dir = scratch("other-fifos");
    issue(&dir, format!("{FRONT}{BODY}"));
    fifo(&dir.join("pipe"));
    let pipe = s(&dir.join("pipe")).to_string();
    let (markup, out) = (dir.join("issue.zb"), dir.join("out"));
    let build = |extra: &[&str]| {
        let mut args = vec!["build", s(&markup), "-o", s(&out)];
        args.extend(extra);
        run_with_deadline(&args, std::process::Stdio::null())
    };
    let (code, err) = build(&["--layout", &pipe]);
    assert_eq!(code, Some(EXIT_IO), "{err}");
    assert_has(
        &err,
        &["cannot read the layout: it is a FIFO (named pipe), not a regular file"],
    );
    let layout = layout_file(&dir, "fifo-font.toml", |t| {
        let serif = t
            .lines()
            .find(|l| l.starts_with("serif = "))
            .expect("serif font")
            .to_string();
        t.replace(&serif, &format!("serif = {{ path = \"{pipe}\" }}"))
    });
    let (code, err) = build(&["--layout", &layout]);
    assert_eq!(code, Some(EXIT_IO), "{err}");
    assert_has(
        &err,
        &["cannot read font file", "it is a FIFO (named pipe), not a font file"],
    );
    std::fs::create_dir_all(dir.join("photos")).expect("photos");
    fifo(&dir.join("photos/pipe.jpg"));
    issue_with_photo(&dir, "photos/pipe.jpg");
    let (code, err) = build(&[]);
    assert_eq!(code, Some(EXIT_INPUT), "{err}");
    assert_has(&err, &["issue.zb:10:7", "image `photos/pipe.jpg`", "is not a file"]);
    assert!(!out.exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn verify_bag_follows_no_link_and_opens_no_fifo() {
    let dir = scratch("bag-hostile");
    issue(&dir, format!("{FRONT}{BODY}"));
    let out = dir.join("out");
    let built = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["build", s(&dir.join("issue.zb")), "-o", s(&out), "--archive"])
        .env("SOURCE_DATE_EPOCH", "1609113600")
        .output()
        .expect("build");
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let bag = out.join("issue.bag");
    let verify = || {
        let output = Command::new(env!("CARGO_BIN_EXE_zhiban"))
            .args(["verify-bag", s(&bag)])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("verify-bag");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, text) = verify();
    assert_eq!(code, Some(0), "the control: the bag as built is valid\n{text}");
    assert_has(&text, &["valid bag"]);
    // A link to a file outside the bag in place of a payload file, a link to a folder, a FIFO.
    let payload = bag.join("data/issue.pdf");
    let pdf = std::fs::read(&payload).expect("payload pdf");
    std::fs::write(dir.join("outside.pdf"), &pdf).expect("outside copy");
    std::fs::remove_file(&payload).expect("remove");
    std::os::unix::fs::symlink(dir.join("outside.pdf"), &payload).expect("link");
    std::os::unix::fs::symlink(&dir, bag.join("data/up")).expect("folder link");
    fifo(&bag.join("data/pipe"));
    let (code, err) = run_with_deadline(&["verify-bag", s(&bag)], std::process::Stdio::null());
    assert_eq!(code, Some(EXIT_INPUT), "{err}");
    let (_, text) = verify();
    assert_has(
        &text,
        &[
            "data/issue.pdf: a symbolic link, not a regular file; it is not read",
            "data/up: a symbolic link, not a regular file",
            "data/pipe: a FIFO (named pipe), not a regular file",
            "`data/issue.pdf` is listed but missing",
            "not a valid bag",
        ],
    );
}

#[cfg(unix)]
#[test]
fn import_onto_its_own_input_is_refused() {
    let dir = scratch("import-self");
    std::fs::write(dir.join("raw.txt"), "示范区头条\n\n标题\n\n正文。\n").expect("raw");
    std::os::unix::fs::symlink(dir.join("raw.txt"), dir.join("link.txt")).expect("link");
    let before = tree(&dir);
    for out in ["raw.txt", "link.txt", "./raw.txt"] {
        let err = zhiban_fails(&["import", s(&dir.join("raw.txt")), "-o", s(&dir.join(out))], 2);
        assert_has(
            &err,
            &["is the file being imported; the import would overwrite the text it reads"],
        );
        assert_eq!(tree(&dir), before, "-o {out}");
    }
}

#[cfg(unix)]
#[test]
fn fmt_through_a_link_rewrites_the_file_and_keeps_the_link() {
    let dir = scratch("fmt-link");
    std::fs::create_dir_all(dir.join("real")).expect("real");
    // Not canonical: two blank lines between the headline and the paragraph.
    let text = format!("{FRONT}# 第一版 要闻\n## 标题\n\n\n本报讯（记者张三）正文。\n");
    std::fs::write(dir.join("real/issue.zb"), &text).expect("issue");
    let link = dir.join("issue.zb");
    std::os::unix::fs::symlink("real/issue.zb", &link).expect("link");
    let run = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["fmt", s(&link)])
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        std::fs::read_link(&link).expect("read link"),
        Path::new("real/issue.zb")
    );
    let formatted = std::fs::read_to_string(dir.join("real/issue.zb")).expect("formatted");
    assert_ne!(formatted, text, "the file the link names is formatted");
    let check = Command::new(env!("CARGO_BIN_EXE_zhiban"))
        .args(["fmt", "--check", s(&dir.join("real/issue.zb"))])
        .status()
        .expect("check");
    assert_eq!(check.code(), Some(0));
    assert_eq!(
        tree(&dir.join("real")).len(),
        1,
        "nothing temporary left beside the file"
    );
}

#[test]
fn file_names_the_products_cannot_carry_are_refused_before_layout() {
    let dir = scratch("bad-stems");
    for (stem, expected) in [
        ("100%", "the name holds '%' (U+0025)"),
        ("a\tb", "the name holds '\\t' (U+0009)"),
        (
            &"长".repeat(80),
            "a file name of 240 bytes; rename the markup file to at most 220 bytes",
        ),
    ] {
        let file = format!("{stem}.zb");
        std::fs::write(dir.join(&file), format!("{FRONT}{BODY}")).expect("issue");
        let err = build_fails(&dir, &file, &[], EXIT_INPUT);
        assert_has(&err, &["error: the outputs cannot be named", expected]);
        // The small issue's layout warns of an underfilled page: no warning, no layout.
        assert!(
            !err.contains("page-underfilled"),
            "{stem}: refused before layout:\n{err}"
        );
        std::fs::remove_file(dir.join(&file)).expect("remove");
    }
}
