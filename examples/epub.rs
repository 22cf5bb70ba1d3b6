//! Build the EPUB of a markup file:
//! `cargo run --release --example epub -- IN.zb OUT.epub [RUNS] [--embed-fonts]`.
//!
//! With RUNS > 1 the renderer runs that many times and the mean time per render is printed
//! (parsing and reading photos excluded), a small benchmark without extra tools.
//! `--embed-fonts` embeds subsets of the bundled Noto Serif SC and Noto Sans SC Bold.

use std::path::Path;
use std::time::Instant;

use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, load_media};
use zhiban::model::Timestamp;
use zhiban::render::RenderContext;
use zhiban::render::epub::{EmbedFonts, EpubOptions, FontFile, render_epub};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let embed = args.iter().any(|a| a == "--embed-fonts");
    args.retain(|a| a != "--embed-fonts");
    let (input, output) = match (args.first(), args.get(1)) {
        (Some(i), Some(o)) => (Path::new(i), Path::new(o)),
        _ => return Err("usage: epub IN.zb OUT.epub [RUNS] [--embed-fonts]".into()),
    };
    let runs: u32 = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(1).max(1);
    let base = input.parent().unwrap_or(Path::new("."));
    let src = std::fs::read_to_string(input)?;
    let parsed = parse(&src, ParseOptions { base_dir: Some(base) });
    let media = load_media(&parsed.bulletin, base, &LoadOptions::default())
        .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))?;
    let options = EpubOptions {
        modified: Timestamp::from_source_date_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?,
        embed_fonts: if embed { Some(bundled_fonts()?) } else { None },
        ..EpubOptions::default()
    };
    let started = Instant::now();
    let mut epub = Vec::new();
    for _ in 0..runs {
        epub = render_epub(&RenderContext::new(&parsed.bulletin, &media), &options)?;
    }
    let elapsed = started.elapsed();
    std::fs::write(output, &epub)?;
    if runs > 1 {
        eprintln!(
            "{} bytes; {runs} renders, {:.3} ms each",
            epub.len(),
            elapsed.as_secs_f64() * 1000.0 / f64::from(runs)
        );
    }
    Ok(())
}

/// The fonts bundled in `fonts/` with their licences.
fn bundled_fonts() -> std::io::Result<EmbedFonts> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let file = |font: &str, license: &str| -> std::io::Result<FontFile> {
        Ok(FontFile {
            bytes: std::sync::Arc::new(std::fs::read(dir.join(font))?),
            license: std::fs::read_to_string(dir.join(license))?,
        })
    };
    Ok(EmbedFonts {
        song: Some(file("NotoSerifSC-Regular.ttf", "OFL-NotoSerifSC.txt")?),
        hei: Some(file("NotoSansSC-Bold.ttf", "OFL-NotoSansSC.txt")?),
        rare: Some(file("HanaMinB.ttf", "LICENSE-HanaMinB.txt")?),
    })
}
