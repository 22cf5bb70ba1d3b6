//! The print PDF, written with `pdf-writer` from the layout's frames: glyph-level text (our own
//! shaping) in subset CID fonts with ToUnicode maps ([`fonts`]), JPEGs embedded byte for byte,
//! trim and bleed boxes, tagged content and a structure tree of editions, articles, headings,
//! paragraphs, figures and captions ([`structure`]), an outline edition → article, document
//! metadata, optional crop marks and PDF/A-2u ([`meta`]). Every stream is deflated where it is
//! made (`deflate`); the dictionaries go into object streams (`file`).
//!
//! The faces are subset on rayon's threads (the face with the most glyphs first) while the page
//! contents are written. printpdf, the crate the project first named, embeds whole CJK fonts
//! (15–34 MB PDFs) unless its 136-crate `text_layout` feature is on, and re-encodes JPEGs
//! (docs/dependencies.md).

mod content;
mod deflate;
mod file;
mod fonts;
mod glyf;
mod meta;
mod ops;
mod sfnt;
mod structure;

use pdf_writer::types::TabOrder;
use pdf_writer::writers::Catalog;
use pdf_writer::{Filter, Name, Rect, Ref};
use rayon::prelude::*;

use crate::layout::flow::PageLayout;
use crate::layout::frame::Item;
use crate::media::ImageFormat;
use crate::render::{Print, RenderContext};

use content::{PageContent, Placement};
use deflate::deflate;
use file::Objects;
use fonts::{FontPlan, GlyphSet, SubsetFont};

/// The sRGB profile of the PDF/A output intent, shipped as data (`profiles/README.md`: where it
/// comes from, its licence, and why a version 2 profile).
const SRGB_PROFILE: &[u8] = include_bytes!("profiles/sRGB.icc");

/// Choices for the PDF.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Draw crop marks outside the bleed.
    pub marks: bool,
    /// Write PDF/A-2u (archival, every glyph mapped to Unicode, an sRGB output intent).
    pub pdfa: bool,
}

/// Why the PDF could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// A font of the book could not be used by the PDF writer.
    Font(String),
    /// An image could not be embedded.
    Image {
        /// The image's `src`.
        src: String,
        /// Why.
        reason: String,
    },
    /// The page size is not usable.
    PageSize,
    /// The context has no print layout: the PDF draws the layout's pages.
    NotLaidOut,
    /// The document is beyond what PDF allows (more objects than readers take).
    Write(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Font(m) => write!(f, "font cannot be embedded: {m}"),
            PdfError::Image { src, reason } => write!(f, "image `{src}` cannot be embedded: {reason}"),
            PdfError::PageSize => f.write_str("the page size is not usable"),
            PdfError::NotLaidOut => f.write_str("the issue was not laid out: the PDF draws the layout's pages"),
            PdfError::Write(m) => write!(f, "the PDF cannot be written: {m}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Render the laid-out pages of `cx` to PDF bytes.
pub fn render_pdf(cx: &RenderContext<'_>, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let (bulletin, media) = (cx.bulletin, cx.media);
    let Some(Print { pages, book, spec }) = cx.print else {
        return Err(PdfError::NotLaidOut);
    };
    let bleed = spec.pt(spec.page.bleed);
    let margin = bleed + if options.marks { content::MARK_MARGIN } else { 0.0 };

    // Which glyphs each face draws, and for which text.
    let faces = book.fonts();
    let mut sets: Vec<Option<GlyphSet>> = faces.iter().map(|_| None).collect();
    for layout in pages {
        for item in &layout.page.frame.items {
            let Item::Line(line) = item else { continue };
            for run in &line.runs {
                let Some(slot) = sets.get_mut(run.font.0) else { continue };
                let set = slot.get_or_insert_with(GlyphSet::default);
                for (g, _, text) in content::glyph_texts(run) {
                    let offset = if run.size > 0.0 {
                        (g.x_offset / run.size, g.y_offset / run.size)
                    } else {
                        (0.0, 0.0)
                    };
                    set.note(g.id, text, offset);
                }
            }
        }
    }
    let plans: Vec<Option<FontPlan>> = faces
        .iter()
        .zip(sets)
        .map(|(face, set)| set.map(|s| FontPlan::new(face, s)).transpose())
        .collect::<Result<_, _>>()?;

    // Images in key order; each named `Im<index>` on the pages that draw it.
    let images: Vec<(&str, &crate::media::Media)> = media.iter().collect();
    let image_index = |key: &str| images.iter().position(|(k, _)| *k == key);

    // Page sizes.
    let mut sheets = Vec::with_capacity(pages.len());
    for layout in pages {
        let frame = &layout.page.frame;
        let (w, h) = (frame.width, frame.height);
        if !(w.is_finite()
            && h.is_finite()
            && w > 0.0
            && h > 0.0
            && w + 2.0 * margin <= 14_400.0
            && h + 2.0 * margin <= 14_400.0)
        {
            // 14 400 pt (200 in) is the largest page PDF readers must take (ISO 32000-1 Annex C).
            return Err(PdfError::PageSize);
        }
        sheets.push((w, h));
    }

    // Subset the faces beside writing the page contents, the face with the most glyphs first:
    // its subset (the Song face's: two thirds of the PDF stage's time) starts at once, and the
    // rest can go to the other threads meanwhile (longest job first).
    let mut by_size: Vec<usize> = (0..faces.len()).collect();
    by_size
        .sort_by_key(|&i| std::cmp::Reverse(plans.get(i).and_then(Option::as_ref).map_or(0, |p| p.set.glyphs.len())));
    type Contents = Result<Vec<(PageContent, Vec<u8>)>, PdfError>;
    let (subsets, contents): (Result<Vec<Option<SubsetFont>>, PdfError>, Contents) = rayon::join(
        || {
            let mut made: Vec<(usize, Option<SubsetFont>)> = by_size
                .par_iter()
                .with_max_len(1)
                .map(|&i| {
                    let subset = match (faces.get(i), plans.get(i).and_then(Option::as_ref)) {
                        (Some(face), Some(plan)) => Some(fonts::subset(face, plan)?),
                        _ => None,
                    };
                    Ok((i, subset))
                })
                .collect::<Result<_, PdfError>>()?;
            // Back in the book's order.
            made.sort_by_key(|(i, _)| *i);
            Ok(made.into_iter().map(|(_, s)| s).collect())
        },
        || {
            pages
                .par_iter()
                .zip(sheets.par_iter())
                .map(|(layout, &(_, h))| {
                    let place = Placement {
                        margin,
                        sheet_height: h + 2.0 * margin,
                    };
                    let content = content::page_content(layout, &plans, &image_index, place, options.marks);
                    let deflated = deflate(&content.bytes)?;
                    Ok((content, deflated))
                })
                .collect::<Result<Vec<_>, PdfError>>()
        },
    );
    let subsets = subsets?;
    let (contents, deflated): (Vec<PageContent>, Vec<Vec<u8>>) = contents?.into_iter().unzip();

    // Object numbers: catalog and page tree first, then pages, then the rest as written.
    let mut objects = Objects::new();
    let catalog_ref = objects.alloc();
    let page_tree_ref = objects.alloc();
    let page_refs: Vec<Ref> = pages.iter().map(|_| objects.alloc()).collect();
    let content_refs: Vec<Ref> = pages.iter().map(|_| objects.alloc()).collect();
    let font_refs: Vec<Option<Ref>> = subsets.iter().map(|s| s.as_ref().map(|_| objects.alloc())).collect();
    let image_refs: Vec<Ref> = images.iter().map(|_| objects.alloc()).collect();

    for ((subset, plan), font_ref) in subsets.iter().zip(&plans).zip(&font_refs) {
        if let (Some(s), Some(p), Some(r)) = (subset, plan, font_ref) {
            s.write(p, &mut objects, *r);
        }
    }
    for ((src, m), &r) in images.iter().zip(&image_refs) {
        write_image(&mut objects, r, src, m)?;
    }

    // Pages.
    objects
        .object(page_tree_ref)
        .pages(page_tree_ref)
        .kids(page_refs.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    for (i, ((content, &(w, h)), (&page_ref, &content_ref))) in contents
        .iter()
        .zip(&sheets)
        .zip(page_refs.iter().zip(&content_refs))
        .enumerate()
    {
        let (sw, sh) = (w + 2.0 * margin, h + 2.0 * margin);
        let mut page = objects.object(page_ref).page(page_ref);
        page.parent(page_tree_ref)
            .media_box(Rect::new(0.0, 0.0, sw, sh))
            .bleed_box(Rect::new(
                margin - bleed,
                margin - bleed,
                margin + w + bleed,
                margin + h + bleed,
            ))
            .trim_box(Rect::new(margin, margin, margin + w, margin + h))
            .contents(content_ref)
            .struct_parents(i32::try_from(i).unwrap_or(i32::MAX))
            .tab_order(TabOrder::StructureOrder);
        let mut resources = page.resources();
        if !content.fonts.is_empty() {
            let mut f = resources.fonts();
            for &fi in &content.fonts {
                if let Some(Some(r)) = font_refs.get(fi) {
                    f.pair(Name(format!("F{fi}").as_bytes()), *r);
                }
            }
        }
        if !content.images.is_empty() {
            let mut x = resources.x_objects();
            for &k in &content.images {
                if let Some(r) = image_refs.get(k) {
                    x.pair(Name(format!("Im{k}").as_bytes()), *r);
                }
            }
        }
    }
    for (data, &content_ref) in deflated.iter().zip(&content_refs) {
        objects
            .stream(content_ref)
            .stream(content_ref, data)
            .filter(Filter::FlateDecode);
    }

    // Structure tree, outline, metadata.
    let page_blocks: Vec<_> = pages.iter().map(PageLayout::blocks).collect();
    let marked: Vec<Vec<structure::Marked>> = page_blocks
        .iter()
        .zip(&contents)
        .map(|(blocks, c)| {
            c.marked
                .iter()
                .filter_map(|&b| blocks.get(b))
                .map(|b| structure::Marked {
                    owner: b.owner.as_str(),
                    kind: b.kind,
                })
                .collect()
        })
        .collect();
    let tree = structure::tag_tree(bulletin, &marked);
    let struct_root = objects.alloc();
    let parent_tree = structure::write_tree(
        &mut objects,
        &tree,
        struct_root,
        &page_refs,
        &contents.iter().map(|c| c.marked.len()).collect::<Vec<_>>(),
        &bulletin.meta.language,
    );
    {
        let mut root = objects
            .object(struct_root)
            .indirect(struct_root)
            .start::<pdf_writer::writers::StructTreeRoot>();
        root.child(parent_tree.document);
        {
            let mut tree = root.parent_tree();
            let mut nums = tree.nums();
            for (i, refs) in parent_tree.pages.iter().enumerate() {
                nums.insert(i32::try_from(i).unwrap_or(i32::MAX), *refs);
            }
        }
        root.parent_tree_next_key(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    }
    let outline_ref = structure::write_outline(&mut objects, bulletin, pages, &page_refs, margin, &sheets);

    let doc = meta::Doc::new(bulletin, options.pdfa, &contents, &subsets);
    let info_ref = objects.alloc();
    doc.write_info(objects.object(info_ref), info_ref);
    let xmp_ref = objects.alloc();
    let xmp = doc.xmp();
    // The packet stays unfiltered, readable without a PDF parser, as XMP tools expect.
    objects.stream(xmp_ref).metadata(xmp_ref, xmp.as_bytes());
    let intent_profile = if options.pdfa { Some(objects.alloc()) } else { None };
    if let Some(r) = intent_profile {
        let icc = deflate(SRGB_PROFILE)?;
        objects
            .stream(r)
            .icc_profile(r, &icc)
            .n(3)
            .range([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
            .filter(Filter::FlateDecode);
    }

    let mut cat = objects.object(catalog_ref).indirect(catalog_ref).start::<Catalog>();
    cat.pages(page_tree_ref)
        .metadata(xmp_ref)
        .lang(pdf_writer::TextStr(&bulletin.meta.language));
    if let Some(o) = outline_ref {
        cat.outlines(o);
    }
    cat.mark_info().marked(true);
    cat.viewer_preferences().display_doc_title(true);
    cat.pair(Name(b"StructTreeRoot"), struct_root);
    if let Some(profile) = intent_profile {
        let mut intents = cat.output_intents();
        intents
            .push()
            .subtype(pdf_writer::types::OutputIntentSubtype::PDFA)
            .output_condition_identifier(pdf_writer::TextStr("Custom"))
            .output_condition(pdf_writer::TextStr("sRGB"))
            .info(pdf_writer::TextStr("sRGB IEC61966-2.1"))
            .dest_output_profile(profile);
    }
    drop(cat);
    objects.finish(&file::Trailer {
        root: catalog_ref,
        info: info_ref,
        id: doc.file_id(),
    })
}

/// Writes one image XObject: a JPEG as it is (DCTDecode), a PNG as 8-bit samples with its
/// alpha as a soft mask, both deflated.
fn write_image(objects: &mut Objects, id: Ref, src: &str, m: &crate::media::Media) -> Result<(), PdfError> {
    let fail = |reason: String| PdfError::Image {
        src: src.to_string(),
        reason,
    };
    let width = i32::try_from(m.width).map_err(|_| fail("too wide".into()))?;
    let height = i32::try_from(m.height).map_err(|_| fail("too tall".into()))?;
    match m.format {
        ImageFormat::Jpeg => {
            let info = jpeg_info(&m.bytes).ok_or_else(|| fail("not a baseline or progressive JPEG".into()))?;
            let mut x = objects.stream(id).image_xobject(id, &m.bytes);
            x.width(width).height(height).bits_per_component(8);
            x.filter(Filter::DctDecode);
            match info.components {
                1 => {
                    x.color_space().device_gray();
                }
                4 => {
                    x.color_space().device_cmyk();
                    if info.adobe {
                        // Adobe's CMYK JPEGs store inverted samples (Adobe TN 5116, APP14).
                        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
                    }
                }
                _ => {
                    x.color_space().device_rgb();
                }
            }
            drop(x);
        }
        ImageFormat::Png => {
            let decoded = image::load_from_memory_with_format(&m.bytes, image::ImageFormat::Png)
                .map_err(|e| fail(e.to_string()))?;
            let has_alpha = decoded.color().has_alpha();
            let gray = !decoded.color().has_color();
            let (samples, alpha): (Vec<u8>, Option<Vec<u8>>) = if gray {
                let la = decoded.to_luma_alpha8();
                let l = la.pixels().map(|p| p.0[0]).collect();
                (l, has_alpha.then(|| la.pixels().map(|p| p.0[1]).collect()))
            } else {
                let rgba = decoded.to_rgba8();
                let rgb = rgba.pixels().flat_map(|p| [p.0[0], p.0[1], p.0[2]]).collect();
                (rgb, has_alpha.then(|| rgba.pixels().map(|p| p.0[3]).collect()))
            };
            let samples = deflate(&samples)?;
            let mask = match alpha {
                Some(a) => Some((objects.alloc(), deflate(&a)?)),
                None => None,
            };
            let mut x = objects.stream(id).image_xobject(id, &samples);
            x.width(width).height(height).bits_per_component(8);
            x.filter(Filter::FlateDecode);
            if gray {
                x.color_space().device_gray();
            } else {
                x.color_space().device_rgb();
            }
            if let Some((r, _)) = &mask {
                x.s_mask(*r);
            }
            drop(x);
            if let Some((r, a)) = &mask {
                let mut s = objects.stream(*r).image_xobject(*r, a);
                s.width(width).height(height).bits_per_component(8);
                s.filter(Filter::FlateDecode);
                s.color_space().device_gray();
                drop(s);
            }
        }
    }
    Ok(())
}

/// What the PDF needs to know of a JPEG beyond its size.
struct JpegInfo {
    components: u8,
    /// An Adobe APP14 marker: CMYK samples are stored inverted.
    adobe: bool,
}

/// Reads the markers of a JPEG up to its frame header (ITU T.81 §B.2).
fn jpeg_info(data: &[u8]) -> Option<JpegInfo> {
    let mut adobe = false;
    let mut at = 2;
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        let marker = *data.get(at + 1)?;
        if *data.get(at)? != 0xFF {
            return None;
        }
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
        match marker {
            0xEE if data.get(at + 4..at + 9) == Some(b"Adobe") => adobe = true,
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let components = *data.get(at + 9)?;
                return Some(JpegInfo { components, adobe });
            }
            0xDA | 0xD9 => return None,
            _ => {}
        }
        at += 2 + len;
    }
}
