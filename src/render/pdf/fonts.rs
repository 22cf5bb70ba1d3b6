//! Fonts of the print PDF: each face the pages use becomes one composite font (ISO 32000-1
//! §9.7): a Type 0 font with `Identity-H` encoding over a CIDFont whose CIDs are the glyph ids of
//! a subset made with `subsetter`, widths from the font's own advances (`/W`, §9.7.4.3), a font
//! descriptor (§9.8) and a `ToUnicode` CMap (§9.10.3) so that text copies and searches as the
//! characters it was set from.
//!
//! TrueType outlines (`glyf`) are embedded whole as `/FontFile2` under a `CIDFontType2` with an
//! identity CID-to-GID map; CFF outlines as the bare, CID-keyed CFF program in `/FontFile3`
//! (`/Subtype /CIDFontType0C`) under a `CIDFontType0`; CFF2 (variable OpenType) is instantiated
//! at its default by the subsetter and comes out as TrueType.
//!
//! Each face is subset on its own thread (`render_pdf` runs them beside the page contents); the
//! glyph numbering is the original glyph order, so the result does not depend on drawing order.

use std::collections::{BTreeMap, HashMap};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Name, Rect, Ref, Str};
use rustybuzz::ttf_parser;
use sha2::{Digest, Sha256};

use super::PdfError;
use super::deflate::deflate;
use super::file::Objects;
use super::sfnt;
use crate::layout::font::FontFace;

/// The text of a glyph that no cluster gave one: U+FFFD, which PDF/A-2u allows (ISO 19005-2
/// §6.2.11.7.2 excludes only 0, U+FEFF and U+FFFE). Only glyphs that are also covered by an
/// `/ActualText` span get it, so extraction never shows it.
const NO_TEXT: &str = "\u{FFFD}";

/// The glyphs one face draws and what they stand for.
#[derive(Debug, Default)]
pub(super) struct GlyphSet {
    /// Original glyph id → the text it was first drawn for (`None`: only ever drawn as a later
    /// glyph of a cluster, with no text of its own).
    pub(super) glyphs: BTreeMap<u16, Option<String>>,
    /// Original glyph id → its displacement from the pen in ten-thousandths of an em, while
    /// every drawing of it had the same one (`None` once two differed); only glyphs drawn
    /// displaced at least once.
    offsets: BTreeMap<u16, Option<(i32, i32)>>,
}

impl GlyphSet {
    /// Notes that `gid` was drawn for `text` (empty for the later glyphs of a cluster),
    /// displaced by `(dx, dy)` ems from its pen position.
    pub(super) fn note(&mut self, gid: u16, text: &str, (dx, dy): (f32, f32)) {
        let mut fresh = false;
        let slot = self.glyphs.entry(gid).or_insert_with(|| {
            fresh = true;
            None
        });
        if slot.is_none() && !text.is_empty() {
            *slot = Some(text.to_string());
        }
        // Only glyphs ever drawn displaced are tracked, so that text set without displacements
        // (all of a mainland issue but a few brackets) costs no second lookup per glyph.
        let key = ((dx * 10_000.0).round() as i32, (dy * 10_000.0).round() as i32);
        if key != (0, 0) {
            match self.offsets.get_mut(&gid) {
                Some(seen) if *seen != Some(key) => *seen = None,
                Some(_) => {}
                // Drawn undisplaced before: never moved.
                None => {
                    self.offsets.insert(gid, fresh.then_some(key));
                }
            }
        } else if let Some(seen) = self.offsets.get_mut(&gid) {
            *seen = None;
        }
    }

    /// Whether drawing `gid` for `text` is read back as `text` from the CMap alone.
    pub(super) fn maps_to(&self, gid: u16, text: &str) -> bool {
        matches!(self.glyphs.get(&gid), Some(Some(t)) if t == text)
    }

    /// Original glyph ids in CID order, `.notdef` first.
    fn order(&self) -> Vec<u16> {
        std::iter::once(0)
            .chain(self.glyphs.keys().copied().filter(|&g| g != 0))
            .collect()
    }
}

/// What the page contents need of a face before it is subset: each glyph's CID and advance.
pub(super) struct FontPlan {
    /// The glyphs and their texts.
    pub(super) set: GlyphSet,
    /// Original glyph id → CID: its place in glyph order, after `.notdef` (CID 0).
    cids: HashMap<u16, u16>,
    /// Advance of each CID, in thousandths of an em.
    widths: Vec<f32>,
    /// The glyphs whose outline the subset carries moved, because every drawing of them was
    /// displaced alike (see `glyf.rs`): original glyph id → the move in font units.
    moved: BTreeMap<u16, (i16, i16)>,
    /// Design units per em.
    upem: f32,
}

impl FontPlan {
    /// Numbers the glyphs of `set` and reads their advances from `face`.
    pub(super) fn new(face: &FontFace, set: GlyphSet) -> Result<FontPlan, PdfError> {
        let parsed = ttf_parser::Face::parse(face.data.as_ref(), face.index)
            .map_err(|e| PdfError::Font(format!("{}: {e}", face.name)))?;
        let upem = f32::from(parsed.units_per_em().max(1));
        let order = set.order();
        let widths = order
            .iter()
            .map(|&g| f32::from(parsed.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0)) * 1000.0 / upem)
            .collect();
        let cids = order
            .iter()
            .enumerate()
            .filter_map(|(cid, &g)| Some((g, u16::try_from(cid).ok()?)))
            .collect();
        // A glyph always drawn displaced alike is moved in the subset and drawn at the pen:
        // only simple TrueType glyphs (a CFF program is embedded as it is subset).
        let tables = super::glyf::Tables::read(face.data.as_ref(), face.index);
        let moved = set
            .offsets
            .iter()
            .filter_map(|(&gid, seen)| {
                let (dx, dy) = (*seen)?;
                let to_units = |v: i32| i16::try_from((v as f32 / 10_000.0 * upem).round() as i32).ok();
                let (ux, uy) = (to_units(dx)?, to_units(dy)?);
                ((ux, uy) != (0, 0) && tables.as_ref()?.is_movable(gid)).then_some((gid, (ux, uy)))
            })
            .collect();
        Ok(FontPlan {
            set,
            cids,
            widths,
            moved,
            upem,
        })
    }

    /// How far the subset moves the outline of original glyph `gid`, in ems; the page contents
    /// draw it that much less displaced.
    pub(super) fn moved(&self, gid: u16) -> (f32, f32) {
        self.moved.get(&gid).map_or((0.0, 0.0), |&(x, y)| {
            (f32::from(x) / self.upem, f32::from(y) / self.upem)
        })
    }

    /// The CID of original glyph `gid` (0 if it was not planned).
    pub(super) fn cid(&self, gid: u16) -> u16 {
        self.cids.get(&gid).copied().unwrap_or(0)
    }

    /// Advance of `cid` in thousandths of an em.
    pub(super) fn width(&self, cid: u16) -> f32 {
        self.widths.get(usize::from(cid)).copied().unwrap_or(0.0)
    }
}

/// A subset face, ready to be written: everything but the object numbers.
pub(super) struct SubsetFont {
    /// `ABCDEF+PostScriptName` (§9.6.4).
    base_name: String,
    /// The font program, deflated.
    program: Vec<u8>,
    /// The program's length before deflating (`/Length1` of a TrueType program, §9.9).
    plain_length: usize,
    /// Whether the program is bare CFF (else a TrueType file).
    cff: bool,
    /// The ToUnicode CMap, deflated.
    cmap: Vec<u8>,
    descriptor: Descriptor,
}

/// The font-wide numbers of a font descriptor, in thousandths of an em.
struct Descriptor {
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
    flags: FontFlags,
}

/// Subsets `face` to the glyphs of `set` and measures what the dictionaries need.
pub(super) fn subset(face: &FontFace, plan: &FontPlan) -> Result<SubsetFont, PdfError> {
    let set = &plan.set;
    let data: &[u8] = face.data.as_ref();
    let fail = |why: &str| PdfError::Font(format!("{}: {why}", face.name));
    let parsed = ttf_parser::Face::parse(data, face.index).map_err(|e| fail(&e.to_string()))?;
    let order = set.order();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs(&order);
    let subset = subsetter::subset_with_variations(data, face.index, &[], &remapper)
        .map_err(|e| fail(&format!("cannot subset ({e})")))?;
    // The glyphs the pages draw at their pen position because their outline is moved here,
    // numbered as in the subset (CIDs are the subset's glyph ids).
    let moves: BTreeMap<u16, (i16, i16)> = plan.moved.iter().map(|(&gid, &m)| (plan.cid(gid), m)).collect();
    let subset = if moves.is_empty() {
        subset
    } else {
        super::glyf::shift_glyphs(&subset, &moves).ok_or_else(|| fail("cannot move the outlines of its subset"))?
    };
    // A CFF font's subset is an OpenType file; the PDF takes its bare CFF table (§9.9).
    let (program, cff) = match ttf_parser::RawFace::parse(&subset, 0)
        .ok()
        .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
    {
        Some(table) => (table.to_vec(), true),
        // The naming table is not among the tables a TrueType program in a PDF needs (ISO
        // 32000-1 §9.9, Table 126 note) and the font's names are in its dictionaries: 1.5 KB
        // of each subset.
        None => (sfnt::without_table(&subset, *b"name").unwrap_or(subset), false),
    };
    let plain_length = program.len();
    let program = deflate(&program)?;

    let upem = f32::from(parsed.units_per_em().max(1));
    let to_pdf = |v: f32| v * 1000.0 / upem;

    let name = postscript_name(&parsed).unwrap_or_else(|| sanitize(&face.name));
    let base_name = format!("{}+{name}", subset_tag(&name, &order));

    let texts: Vec<&str> = order
        .iter()
        .skip(1)
        .map(|gid| set.glyphs.get(gid).and_then(|t| t.as_deref()).unwrap_or(NO_TEXT))
        .collect();
    let cmap = deflate(&to_unicode_cmap(&texts))?;

    let bbox = parsed.global_bounding_box();
    let ascent = to_pdf(f32::from(parsed.typographic_ascender().unwrap_or(parsed.ascender())));
    let descent = to_pdf(f32::from(parsed.typographic_descender().unwrap_or(parsed.descender())));
    let cap_height = parsed.capital_height().map_or(ascent, |c| to_pdf(f32::from(c)));
    let weight = f32::from(parsed.weight().to_number());
    let mut flags = FontFlags::SYMBOLIC;
    if is_serif(&parsed) {
        flags |= FontFlags::SERIF;
    }
    if parsed.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    if parsed.is_monospaced() {
        flags |= FontFlags::FIXED_PITCH;
    }
    let descriptor = Descriptor {
        bbox: Rect::new(
            to_pdf(f32::from(bbox.x_min)),
            to_pdf(f32::from(bbox.y_min)),
            to_pdf(f32::from(bbox.x_max)),
            to_pdf(f32::from(bbox.y_max)),
        ),
        italic_angle: parsed.italic_angle(),
        ascent,
        descent,
        cap_height,
        // The dominant vertical stem, which OpenType does not record: estimated from the weight
        // class as other PDF writers do (about 95 at 400, 170 at 700).
        stem_v: 10.0 + 0.244 * (weight - 50.0),
        flags,
    };
    Ok(SubsetFont {
        base_name,
        program,
        plain_length,
        cff,
        cmap,
        descriptor,
    })
}

impl SubsetFont {
    /// `ABCDEF+PostScriptName`.
    pub(super) fn base_name(&self) -> &str {
        &self.base_name
    }

    /// Writes the Type 0 font at `font` and its parts at fresh numbers from `next`; the widths
    /// are the plan's the subset was made from.
    pub(super) fn write(&self, plan: &FontPlan, objects: &mut Objects, font: Ref) {
        let (cid_ref, descriptor_ref) = (objects.alloc(), objects.alloc());
        let (cmap_ref, data_ref) = (objects.alloc(), objects.alloc());
        let type0_name = if self.cff {
            format!("{}-Identity-H", self.base_name)
        } else {
            self.base_name.clone()
        };
        objects
            .object(font)
            .type0_font(font)
            .base_font(Name(type0_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let mut cid = objects.object(cid_ref).cid_font(cid_ref);
        cid.subtype(if self.cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        });
        cid.base_font(Name(self.base_name.as_bytes()));
        cid.system_info(SYSTEM_INFO);
        cid.font_descriptor(descriptor_ref);
        cid.default_width(0.0);
        if !self.cff {
            cid.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        let mut w = cid.widths();
        // Runs of equal advances as `first last w`, the rest one by one (§9.7.4.3).
        let mut start = 0;
        while start < plan.widths.len() {
            let value = plan.widths.get(start).copied().unwrap_or(0.0);
            let end = plan.widths.iter().skip(start).take_while(|&&x| x == value).count() + start;
            if let (Ok(a), Ok(b)) = (u16::try_from(start), u16::try_from(end - 1)) {
                w.same(a, b, value);
            }
            start = end;
        }
        drop(w);
        drop(cid);

        let d = &self.descriptor;
        let mut fd = objects.object(descriptor_ref).font_descriptor(descriptor_ref);
        fd.name(Name(self.base_name.as_bytes()))
            .flags(FontFlags::from_bits_truncate(d.flags.bits()))
            .bbox(d.bbox)
            .italic_angle(d.italic_angle)
            .ascent(d.ascent)
            .descent(d.descent)
            .cap_height(d.cap_height)
            .stem_v(d.stem_v);
        if self.cff {
            fd.font_file3(data_ref);
        } else {
            fd.font_file2(data_ref);
        }
        drop(fd);

        let mut cmap = objects.stream(cmap_ref).cmap(cmap_ref, &self.cmap);
        cmap.name(Name(b"Adobe-Identity-UCS")).system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        });
        cmap.filter(pdf_writer::Filter::FlateDecode);
        drop(cmap);
        let mut stream = objects.stream(data_ref).stream(data_ref, &self.program);
        stream.filter(pdf_writer::Filter::FlateDecode);
        if self.cff {
            stream.pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        } else {
            stream.pair(Name(b"Length1"), i32::try_from(self.plain_length).unwrap_or(i32::MAX));
        }
        drop(stream);
    }
}

/// Adobe-Identity-0: CIDs are glyph ids of the embedded program (§9.7.3).
/// The name of every ToUnicode CMap, in its text and its stream dictionary (Adobe's name for a
/// map to Unicode of Identity-ordered CIDs).
const TO_UNICODE_NAME: &str = "Adobe-Identity-UCS";

/// The ToUnicode CMap (§9.10.3; Adobe Technical Note #5411) of CIDs 1, 2, … standing for
/// `texts` in that order. CIDs are dense, so every 256 of them sharing a high byte are one
/// `bfrange` with an array of destinations (§9.10.3 lets a range's codes differ only in their
/// last byte): seven bytes a glyph where a `bfchar` line costs fourteen, 2.7 KB of the sample's
/// compressed file. A destination is the text's UTF-16BE, so a cluster of several characters
/// maps whole.
fn to_unicode_cmap(texts: &[&str]) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(200 + 8 * texts.len());
    out.push_str(concat!(
        "/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n",
        "/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n",
    ));
    let _ = write!(out, "/CMapName/{TO_UNICODE_NAME} def\n/CMapType 2 def\n");
    out.push_str("1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n");
    // (first CID, its texts) of each range, at most 256 CIDs with one high byte.
    let mut ranges: Vec<(usize, &[&str])> = Vec::new();
    let mut cid = 1;
    let mut rest = texts;
    while !rest.is_empty() && cid <= usize::from(u16::MAX) {
        let room = (256 - cid % 256).min(usize::from(u16::MAX) + 1 - cid);
        let (now, later) = rest.split_at(room.min(rest.len()));
        ranges.push((cid, now));
        cid += now.len();
        rest = later;
    }
    // At most 100 entries between `beginbfrange` and `endbfrange` (Technical Note #5014).
    for block in ranges.chunks(100) {
        let _ = writeln!(out, "{} beginbfrange", block.len());
        for &(first, texts) in block {
            let _ = write!(out, "<{first:04X}><{:04X}>[", first + texts.len() - 1);
            for text in texts {
                out.push('<');
                for unit in text.encode_utf16() {
                    let _ = write!(out, "{unit:04X}");
                }
                out.push('>');
            }
            out.push_str("]\n");
        }
        out.push_str("endbfrange\n");
    }
    out.push_str("endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

const SYSTEM_INFO: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The font's PostScript name (name id 6), if it has a usable one.
fn postscript_name(face: &ttf_parser::Face<'_>) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .map(|n| sanitize(&n))
        .filter(|n| !n.is_empty())
}

/// A PDF name body from arbitrary text: printable ASCII other than delimiters, at most 63
/// characters (PostScript names are limited to 63, §9.6.2.1 and Adobe TN 5902).
fn sanitize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .take(63)
        .collect()
}

/// Six capital letters that name the subset (§9.6.4), from the font and its glyphs, so that two
/// different subsets of one font in two files never share a name and the same one always does.
fn subset_tag(name: &str, glyphs: &[u16]) -> String {
    let mut hash = Sha256::new();
    hash.update(name.as_bytes());
    for g in glyphs {
        hash.update(g.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// Whether the face has serifs: the OS/2 IBM family classes 1 to 5 and 7 are serif styles.
fn is_serif(face: &ttf_parser::Face<'_>) -> bool {
    let Some(os2) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2")) else {
        return false;
    };
    // sFamilyClass is the int16 at offset 30; its high byte is the class.
    matches!(os2.get(30), Some(1..=5 | 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_to_unicode_map_has_a_range_for_each_high_byte() {
        // 300 glyphs: CIDs 1–255 share high byte 0, CIDs 256–300 high byte 1.
        let mut texts = vec!["中"; 300];
        texts[0] = "A";
        texts[299] = "\u{20000}";
        texts[254] = "fi";
        let cmap = String::from_utf8(to_unicode_cmap(&texts)).expect("ASCII");
        assert!(cmap.contains("2 beginbfrange\n<0001><00FF>[<0041><4E2D>"), "{cmap}");
        assert!(cmap.contains("<4E2D><00660069>]\n<0100><012C>[<4E2D>"), "{cmap}");
        // A character beyond the BMP is its surrogate pair.
        assert!(cmap.contains("<D840DC00>]\nendbfrange"), "{cmap}");
        // Each CID has one destination.
        let destinations = cmap
            .split("[")
            .skip(1)
            .map(|r| r.split(']').next().unwrap_or("").matches('<').count());
        assert_eq!(destinations.collect::<Vec<_>>(), vec![255, 45]);
        // Ranges come at most 100 to a block.
        let many = to_unicode_cmap(&vec!["中"; 256 * 150 - 1]);
        let many = String::from_utf8(many).expect("ASCII");
        assert!(
            many.contains("100 beginbfrange") && many.contains("\n50 beginbfrange"),
            "blocks"
        );
    }
}
