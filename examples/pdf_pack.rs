//! Build the print PDF of a markup file before and after packing:
//! `cargo run --release --example pdf_pack -- IN.zb OUT_DIR [RUNS]` writes `OUT_DIR/unpacked.pdf`
//! (`render_unpacked`: every object at the top level, streams unfiltered, a classic cross-reference table) and `OUT_DIR/packed.pdf`
//! (what `render_pdf` returns) and prints their sizes.
//!
//! With RUNS > 1 both steps run that many times and the median and fastest time of each are
//! printed (parsing, layout and reading photos excluded), a small benchmark without extra tools.

use std::path::Path;
use std::time::{Duration, Instant};

use zhiban::layout::flow::layout_pages;
use zhiban::layout::spec::Layout;
use zhiban::markup::{ParseOptions, parse};
use zhiban::media::{LoadOptions, load_media};
use zhiban::render::pdf::{PdfOptions, render_unpacked};
use zhiban::render::pdf_pack::pack;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match (args.first(), args.get(1)) {
        (Some(i), Some(o)) => (Path::new(i), Path::new(o)),
        _ => return Err("usage: pdf_pack IN.zb OUT_DIR [RUNS]".into()),
    };
    let runs: usize = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(1).max(1);
    let base = input.parent().unwrap_or(Path::new("."));
    let src = std::fs::read_to_string(input)?;
    let parsed = parse(&src, ParseOptions { base_dir: Some(base) });
    let bulletin = parsed.bulletin;
    let media = load_media(&bulletin, base, &LoadOptions::default())
        .map_err(|errors| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))?;
    let layout = Layout::load(
        bulletin.meta.layout.as_deref().unwrap_or("tabloid"),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"),
    )?;
    let book = layout.font_book()?;
    let pages = layout_pages(&bulletin, &media, &layout.spec, &book).map_err(|e| e.message)?;
    let options = PdfOptions::default();

    let (mut render, mut packing) = (Vec::new(), Vec::new());
    let (mut unpacked, mut packed) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        unpacked = render_unpacked(&bulletin, &pages, &book, &media, &layout.spec, &options)?;
        render.push(t.elapsed());
        let t = Instant::now();
        packed = pack(&unpacked)?;
        packing.push(t.elapsed());
    }
    std::fs::create_dir_all(output)?;
    std::fs::write(output.join("unpacked.pdf"), &unpacked)?;
    std::fs::write(output.join("packed.pdf"), &packed)?;
    println!("unpacked: {} bytes, packed: {} bytes", unpacked.len(), packed.len());
    if runs > 1 {
        for (name, times) in [("write", &mut render), ("pack", &mut packing)] {
            times.sort();
            let median = times.get(times.len() / 2).copied().unwrap_or(Duration::ZERO);
            let min = times.first().copied().unwrap_or(Duration::ZERO);
            println!("{name}: median {median:.2?}, min {min:.2?} ({runs} runs)");
        }
    }
    Ok(())
}
