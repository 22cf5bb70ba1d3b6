//! The ICC profiles of `render::icc` read by an independent implementation, LittleCMS through
//! Pillow's `ImageCms`: each opens, names itself, and turns colours into the same sRGB colours as
//! LittleCMS's own built-in sRGB profile.

mod support;

use std::path::Path;
use std::process::Command;

use support::{have, scratch};
use zhiban::render::icc::{gray_profile, srgb_profile};

/// Opens the profile `argv[1]`, prints its description, version, class and colour space, then
/// converts each colour `argv[3..]` (comma-separated channels, image mode `argv[2]`) to LittleCMS's
/// built-in sRGB and prints the result, one line each.
const CONVERT: &str = r#"
import sys
from PIL import Image, ImageCms
path, mode = sys.argv[1], sys.argv[2]
profile = ImageCms.getOpenProfile(path)
print(ImageCms.getProfileDescription(profile).strip())
print(profile.profile.version, profile.profile.device_class, profile.profile.xcolor_space.strip(), sep="|")
transform = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), mode, "RGB")
for arg in sys.argv[3:]:
    channels = tuple(int(c) for c in arg.split(","))
    image = Image.new(mode, (1, 1), channels if mode == "RGB" else channels[0])
    print(*ImageCms.applyTransform(image, transform).getpixel((0, 0)))
"#;

/// Largest difference, per 8-bit channel, between LittleCMS's sRGB and ours (a sampled curve
/// against its parametric one, and s15Fixed16 primaries).
const TOLERANCE: i32 = 2;

/// Whether python3 with Pillow's ImageCms is installed; if not, say so and skip, unless CI
/// requires it (the same rule as `support::have`).
fn have_pillow() -> bool {
    if !have("python3") {
        return false;
    }
    let found = Command::new("python3")
        .args(["-c", "from PIL import ImageCms"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var_os("ZHIBAN_REQUIRE_VALIDATORS").is_some() {
            panic!("Pillow is required (ZHIBAN_REQUIRE_VALIDATORS is set) but not installed: pip install pillow");
        }
        eprintln!("skipped: Pillow (python3 -m pip install pillow) is not installed");
    }
    found
}

/// LittleCMS's reading of a profile: its header line and each colour converted to sRGB.
struct Reading {
    description: String,
    header: String,
    colours: Vec<[i32; 3]>,
}

fn read_with_lcms(profile: &Path, mode: &str, colours: &[&str]) -> Reading {
    let mut args = vec!["-c", CONVERT, profile.to_str().expect("utf-8 path"), mode];
    args.extend_from_slice(colours);
    let out = support::run("python3", &args);
    let mut lines = out.lines();
    let description = lines.next().expect("description line").to_owned();
    let header = lines.next().expect("header line").to_owned();
    let colours = lines
        .map(|line| {
            let v: Vec<i32> = line.split_whitespace().map(|c| c.parse().expect("channel")).collect();
            v.try_into().expect("three channels")
        })
        .collect::<Vec<[i32; 3]>>();
    assert_eq!(colours.len(), args.len() - 4, "one line per colour:\n{out}");
    Reading {
        description,
        header,
        colours,
    }
}

fn assert_close(input: &str, got: [i32; 3], want: [i32; 3]) {
    assert!(
        got.iter().zip(want).all(|(g, w)| (g - w).abs() <= TOLERANCE),
        "{input} came back as {got:?}, expected {want:?} ± {TOLERANCE}"
    );
}

#[test]
fn srgb_profile_converts_like_lcms_srgb() {
    if !have_pillow() {
        return;
    }
    let dir = scratch("icc-srgb");
    let path = dir.join("srgb.icc");
    std::fs::write(&path, srgb_profile()).expect("write profile");
    let colours: [[i32; 3]; 10] = [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [128, 128, 128],
        [0, 0, 0],
        [255, 255, 255],
        [10, 20, 30],
        [200, 100, 50],
        [255, 255, 0],
        [64, 192, 160],
    ];
    let args: Vec<String> = colours.iter().map(|[r, g, b]| format!("{r},{g},{b}")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let reading = read_with_lcms(&path, "RGB", &args);
    assert_eq!(reading.description, "sRGB (zhiban)");
    assert_eq!(reading.header, "2.1|mntr|RGB");
    for ((input, got), want) in args.iter().zip(&reading.colours).zip(colours) {
        assert_close(input, *got, want);
    }
}

#[test]
fn gray_profile_converts_to_neutral_srgb() {
    if !have_pillow() {
        return;
    }
    let dir = scratch("icc-gray");
    let path = dir.join("gray.icc");
    std::fs::write(&path, gray_profile()).expect("write profile");
    let levels = [0, 10, 50, 128, 200, 255];
    let args: Vec<String> = levels.iter().map(i32::to_string).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let reading = read_with_lcms(&path, "L", &args);
    assert_eq!(reading.description, "Gray, sRGB tone curve (zhiban)");
    assert_eq!(reading.header, "2.1|mntr|GRAY");
    for ((input, got), k) in args.iter().zip(&reading.colours).zip(levels) {
        assert_close(input, *got, [k; 3]);
    }
}
