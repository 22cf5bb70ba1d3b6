//! The PDF/A output intent's profile, taken out of a PDF/A build with qpdf and read by an
//! independent implementation, LittleCMS through Pillow's `ImageCms`: it is the bundled sRGB
//! profile (`src/render/pdf/profiles/sRGB.icc`), and it turns colours into the same sRGB colours
//! as LittleCMS's own built-in sRGB profile.

mod support;

use std::process::Command;

use support::{have, pdf, run, sample, scratch};
use zhiban::render::pdf::PdfOptions;

/// Opens the profile `argv[1]`, prints its description, version, class and colour space, then
/// converts each colour `argv[2..]` (comma-separated channels) to LittleCMS's built-in sRGB and
/// prints the result, one line each.
const CONVERT: &str = r#"
import sys
from PIL import Image, ImageCms
profile = ImageCms.getOpenProfile(sys.argv[1])
print(ImageCms.getProfileDescription(profile).strip())
print(profile.profile.version, profile.profile.device_class, profile.profile.xcolor_space.strip(), sep="|")
transform = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")
for arg in sys.argv[2:]:
    image = Image.new("RGB", (1, 1), tuple(int(c) for c in arg.split(",")))
    print(*ImageCms.applyTransform(image, transform).getpixel((0, 0)))
"#;

/// Largest difference, per 8-bit channel, between LittleCMS's sRGB and the bundled one (a
/// sampled curve against a parametric one, and s15Fixed16 primaries).
const TOLERANCE: i32 = 2;

/// Whether python3 with Pillow's ImageCms is installed; if not, say so and skip, unless CI
/// requires it (the same rule as `support::have`).
fn have_pillow() -> bool {
    let found = have("python3")
        && Command::new("python3")
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

#[test]
fn pdfa_output_intent_is_the_bundled_srgb_profile_and_converts_like_lcms_srgb() {
    if !(have("qpdf") && have_pillow()) {
        return;
    }
    let dir = scratch("icc-srgb");
    let path = dir.join("pdfa.pdf");
    let options = PdfOptions {
        marks: false,
        pdfa: true,
    };
    std::fs::write(&path, pdf(&sample(), &options)).expect("write pdf");
    let path = path.to_str().expect("path");
    let json: serde_json::Value =
        serde_json::from_str(&run("qpdf", &["--json=2", "--json-key=qpdf", path])).expect("qpdf's JSON");
    let objects = json["qpdf"][1].as_object().expect("objects");
    let catalog = objects
        .values()
        .find_map(|o| (o["value"]["/Type"] == "/Catalog").then(|| &o["value"]))
        .expect("a catalog");
    let intent = &catalog["/OutputIntents"][0];
    assert_eq!(intent["/S"], "/GTS_PDFA1", "{intent}");
    let profile_ref = intent["/DestOutputProfile"].as_str().expect("an indirect profile");
    let id = profile_ref.trim_end_matches(" 0 R");
    let out = Command::new("qpdf")
        .args([&format!("--show-object={id}"), "--filtered-stream-data", path])
        .output()
        .expect("qpdf runs");
    let bundled =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/src/render/pdf/profiles/sRGB.icc")).expect("profile");
    assert!(
        out.stdout == bundled,
        "the embedded profile ({} B) is not the bundled one",
        out.stdout.len()
    );
    let icc = dir.join("intent.icc");
    std::fs::write(&icc, &out.stdout).expect("write profile");

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
    let mut argv = vec!["-c", CONVERT, icc.to_str().expect("path")];
    argv.extend(args.iter().map(String::as_str));
    let printed = run("python3", &argv);
    let mut lines = printed.lines();
    assert_eq!(lines.next(), Some("sRGB"), "{printed}");
    assert_eq!(lines.next(), Some("2.3|mntr|RGB"), "{printed}");
    let got: Vec<Vec<i32>> = lines
        .map(|l| l.split_whitespace().map(|c| c.parse().expect("channel")).collect())
        .collect();
    assert_eq!(got.len(), colours.len(), "{printed}");
    for ((input, got), want) in args.iter().zip(&got).zip(colours) {
        assert!(
            got.iter().zip(want).all(|(g, w)| (g - w).abs() <= TOLERANCE),
            "{input} came back as {got:?}, expected {want:?} ± {TOLERANCE}"
        );
    }
}
