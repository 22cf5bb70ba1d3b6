//! Fonts from explicit files: loaded and measured once, shared as bytes, chained per role.
//!
//! Fonts are never found by scanning the system, so that output depends only on the files the
//! layout names. Each face keeps its bytes as `Arc<[u8]>` plus the face index, which is what the
//! PDF renderer subsets and the EPUB's font embedding reads.

use std::collections::{BTreeMap, HashMap};
use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use rustybuzz::ttf_parser::Tag;

use super::error::LayoutError;
use super::punct::{self, Punct};
pub use super::role::Role;

/// The bytes of a font file, shared without copying: in memory, or memory-mapped by the caller
/// (the command line maps the bundled fonts, so only the pages shaping and subsetting touch are
/// read, and a batch shares one mapping across issues and threads).
#[derive(Clone)]
pub struct FontData(Arc<dyn AsRef<[u8]> + Send + Sync>);

impl FontData {
    /// Wraps any owner of font bytes (a `Vec<u8>`, a memory map).
    pub fn new(bytes: impl AsRef<[u8]> + Send + Sync + 'static) -> Self {
        FontData(Arc::new(bytes))
    }
}

impl Deref for FontData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        (*self.0).as_ref()
    }
}

impl AsRef<[u8]> for FontData {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for FontData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontData({} bytes)", self.len())
    }
}

impl From<Vec<u8>> for FontData {
    fn from(bytes: Vec<u8>) -> Self {
        FontData::new(bytes)
    }
}

impl From<Arc<[u8]>> for FontData {
    fn from(bytes: Arc<[u8]>) -> Self {
        FontData::new(bytes)
    }
}

/// Index of a font in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub usize);

/// The fonts of one role, most preferred first, and whether the role is bold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStyle {
    /// Fallback chain: each character takes the first font that has it.
    pub chain: Vec<FontId>,
    /// Whether the role is set bold; fonts without a bold weight are then emboldened by the
    /// renderer (synthetic bold, requirement "fake bold for one-weight fonts").
    pub bold: bool,
}

/// One loaded font face with the measurements composition needs.
#[derive(Debug, Clone)]
pub struct FontFace {
    /// A label for messages and dumps: the file stem, or what the caller gave.
    pub name: String,
    /// The whole font file.
    pub data: FontData,
    /// Face index inside a collection (0 for a plain TTF/OTF).
    pub index: u32,
    /// Design units per em.
    pub units_per_em: u16,
    /// Top of the em box above the baseline, in ems (OS/2 typographic ascender, 0.88 for CJK).
    pub ascent: f32,
    /// Bottom of the em box below the baseline, in ems, positive.
    pub descent: f32,
    /// Whether the face is a bold weight.
    pub is_bold: bool,
    /// Whether the face has Han ideographs (it counts as a CJK font for fallback).
    pub is_cjk: bool,
    /// Whether GPOS has the `halt` feature (alternate half widths).
    pub has_halt: bool,
    /// Compressible blank of each punctuation mark, `(left, right)` in ems.
    blanks: HashMap<char, (f32, f32)>,
    /// How far to move each full-width pause or stop mark's glyph to centre it in its
    /// character frame: `(glyph, dx, dy)`, the moves in ems (see [`FontFace::centring`]).
    centring: HashMap<char, (u16, f32, f32)>,
}

impl FontFace {
    /// Parses `data` and measures it.
    fn new(name: String, data: FontData, index: u32) -> Result<Self, LayoutError> {
        let bad = || LayoutError::FontParse {
            name: name.clone(),
            index,
        };
        let face = rustybuzz::Face::from_slice(&data, index).ok_or_else(bad)?;
        let upem = u16::try_from(face.units_per_em()).unwrap_or(0);
        if upem == 0 {
            return Err(bad());
        }
        let em = f32::from(upem);
        let ascent = f32::from(face.typographic_ascender().unwrap_or(face.ascender())) / em;
        let descent = -f32::from(face.typographic_descender().unwrap_or(face.descender())) / em;
        let halt = Tag::from_bytes(b"halt");
        let has_halt = face
            .tables()
            .gpos
            .is_some_and(|gpos| gpos.features.into_iter().any(|f| f.tag == halt));
        let blanks = measure_blanks(&face, has_halt);
        let centring = measure_centring(&face, ascent, descent);
        Ok(FontFace {
            is_bold: face.is_bold(),
            is_cjk: face.glyph_index('中').is_some(),
            name,
            data: data.clone(),
            index,
            units_per_em: upem,
            ascent,
            descent,
            has_halt,
            blanks,
            centring,
        })
    }

    /// The compressible blank `(left, right)` of mark `ch` in ems; zero for other characters.
    pub fn blank(&self, ch: char) -> (f32, f32) {
        self.blanks.get(&ch).copied().unwrap_or((0.0, 0.0))
    }

    /// For a pause or stop mark (`，。、；：！？`) set in the Taiwan and Hong Kong convention,
    /// which centres them in the character frame (clreq §3.1.1) where the mainland sets them in
    /// its lower left corner: the mark's glyph and how far to move its outline, `(dx, dy)` in
    /// ems (dy upwards), so that the centre of its ink is the centre of its em box. `None` for
    /// other characters and for marks this face draws at less than full width.
    pub fn centring(&self, ch: char) -> Option<(u16, f32, f32)> {
        self.centring.get(&ch).copied()
    }
}

/// The marks a traditional (Taiwan, Hong Kong) setting centres in the character frame.
pub(crate) const CENTRED_MARKS: &str = "，。、；：！？";

/// The moves that centre each of [`CENTRED_MARKS`] in the em box (see [`FontFace::centring`]):
/// horizontally the middle of its advance, vertically the middle of the em box between the
/// typographic ascender and descender (0.38 em above the baseline for CJK fonts).
fn measure_centring(face: &rustybuzz::Face<'_>, ascent: f32, descent: f32) -> HashMap<char, (u16, f32, f32)> {
    let em = face.units_per_em() as f32;
    let mut out = HashMap::new();
    for ch in CENTRED_MARKS.chars() {
        let Some(gid) = face.glyph_index(ch) else {
            continue;
        };
        let advance = face.glyph_hor_advance(gid).map_or(0.0, f32::from);
        let Some(bbox) = face.glyph_bounding_box(gid) else {
            continue;
        };
        if advance < FULL_WIDTH * em {
            continue;
        }
        let ink_x = (f32::from(bbox.x_min) + f32::from(bbox.x_max)) / 2.0 / em;
        let ink_y = (f32::from(bbox.y_min) + f32::from(bbox.y_max)) / 2.0 / em;
        let frame_y = (ascent - descent) / 2.0;
        out.insert(ch, (gid.0, advance / em / 2.0 - ink_x, frame_y - ink_y));
    }
    out
}

/// Shape plans of one face by script and feature list, made once: making a plan (collecting the
/// face's lookups for the features) costs more than shaping one mark with it.
type Plans = HashMap<(rustybuzz::Script, bool), rustybuzz::ShapePlan>;

/// Shapes `ch` alone, with `halt` or without, returning `(x_advance, x_offset)` of its first
/// glyph in font units.
fn shape_one(face: &rustybuzz::Face<'_>, plans: &mut Plans, ch: char, halt: bool) -> (i32, i32) {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.add(ch, 0);
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    buffer.guess_segment_properties();
    let script = buffer.script();
    let plan = plans.entry((script, halt)).or_insert_with(|| {
        let features: &[rustybuzz::Feature] = if halt {
            &[rustybuzz::Feature::new(Tag::from_bytes(b"halt"), 1, ..)]
        } else {
            &[]
        };
        rustybuzz::ShapePlan::new(face, rustybuzz::Direction::LeftToRight, Some(script), None, features)
    });
    let glyphs = rustybuzz::shape_with_plan(face, plan, buffer);
    glyphs
        .glyph_positions()
        .first()
        .map_or((0, 0), |p| (p.x_advance, p.x_offset))
}

/// The blank halves of every compressible mark the face has (clreq §3.1.6).
///
/// With `halt` the font itself says where the blank lies: the half-width variant's offset is the
/// left blank and the rest of the lost advance the right blank. This reads `halt` once per mark
/// instead of shaping every paragraph twice; composition then trims any part of a blank, which
/// full `halt` would only do all or nothing. Without `halt`, GB/T 15834 positions are assumed
/// (opening marks blank on the left, the others on the right, the interpunct centred) for marks
/// that are full width.
fn measure_blanks(face: &rustybuzz::Face<'_>, has_halt: bool) -> HashMap<char, (f32, f32)> {
    let em = face.units_per_em() as f32;
    let mut plans = Plans::new();
    let mut blanks = HashMap::new();
    for ch in MARKS.chars() {
        if face.glyph_index(ch).is_none() {
            continue;
        }
        let (full, _) = shape_one(face, &mut plans, ch, false);
        let blank = if has_halt {
            let (half, offset) = shape_one(face, &mut plans, ch, true);
            let left = (-offset).max(0);
            let right = (full - half - left).max(0);
            (left as f32 / em, right as f32 / em)
        } else if full as f32 >= FULL_WIDTH * em {
            match punct::punct(ch) {
                Some(Punct::Opening) => (0.5, 0.0),
                Some(Punct::Interpunct) => (0.25, 0.25),
                _ => (0.0, 0.5),
            }
        } else {
            (0.0, 0.0)
        };
        if blank.0 > 0.0 || blank.1 > 0.0 {
            blanks.insert(ch, blank);
        }
    }
    blanks
}

/// Every mark with a blank half (see [`punct::has_blank_half`]).
const MARKS: &str = "“‘「『（［｛〔〖【《〈”’」』）］｝〕〗】》〉，、；：。．！？‼⁇⁈⁉·・‧";

/// Advance (in ems) from which a mark counts as full width when the font has no `halt`.
const FULL_WIDTH: f32 = 0.9;

/// The fonts of a document and the fallback chain of each role.
#[derive(Debug, Clone, Default)]
pub struct FontBook {
    /// Loaded faces; a [`FontId`] indexes this.
    fonts: Vec<FontFace>,
    /// Chain and weight per role.
    roles: BTreeMap<Role, RoleStyle>,
}

impl FontBook {
    /// An empty book.
    pub fn new() -> Self {
        FontBook::default()
    }

    /// Loads face `index` of the font file at `path`.
    pub fn load(&mut self, path: impl AsRef<Path>, index: u32) -> Result<FontId, LayoutError> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|source| LayoutError::FontRead {
            path: path.to_owned(),
            source,
        })?;
        let name = path
            .file_stem()
            .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
        self.add(name, data, index)
    }

    /// Adds face `index` of font data already in memory (or mapped), labelled `name`.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        data: impl Into<FontData>,
        index: u32,
    ) -> Result<FontId, LayoutError> {
        let face = FontFace::new(name.into(), data.into(), index)?;
        self.fonts.push(face);
        Ok(FontId(self.fonts.len() - 1))
    }

    /// Sets the fallback chain of `role` and whether it is bold.
    pub fn set_role(&mut self, role: Role, chain: Vec<FontId>, bold: bool) {
        self.roles.insert(role, RoleStyle { chain, bold });
    }

    /// The chain and weight of `role`.
    pub fn role(&self, role: Role) -> Result<&RoleStyle, LayoutError> {
        self.roles
            .get(&role)
            .filter(|s| !s.chain.is_empty())
            .ok_or(LayoutError::NoFontForRole { role })
    }

    /// The face with id `id`, if the book has it.
    pub fn get(&self, id: FontId) -> Option<&FontFace> {
        self.fonts.get(id.0)
    }

    /// All faces, indexed by [`FontId`].
    pub fn fonts(&self) -> &[FontFace] {
        &self.fonts
    }

    /// Byte offset and character of every place in `text` whose character no font of the book
    /// has (ASCII, white space and controls are never reported): for listing them all at once,
    /// where composition stops at the first.
    pub fn uncovered(&self, text: &str) -> Vec<(usize, char)> {
        let faces: Vec<rustybuzz::Face<'_>> = self
            .fonts
            .iter()
            .filter_map(|f| rustybuzz::Face::from_slice(&f.data, f.index))
            .collect();
        let mut known: HashMap<char, bool> = HashMap::new();
        text.char_indices()
            .filter(|&(_, c)| !(c.is_ascii() || c.is_whitespace() || c.is_control()))
            .filter(|&(_, c)| {
                !*known
                    .entry(c)
                    .or_insert_with(|| faces.iter().any(|f| f.glyph_index(c).is_some()))
            })
            .collect()
    }

    /// Whether text of `role` set in `font` needs synthetic bold: the role is bold and the font
    /// is not.
    pub fn synthetic_bold(&self, role: Role, font: FontId) -> bool {
        let bold = self.roles.get(&role).is_some_and(|s| s.bold);
        bold && self.get(font).is_some_and(|f| !f.is_bold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halt_gives_gb_blank_halves_clreq_3_1_6() {
        let mut book = FontBook::new();
        let id = book
            .load(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf"), 0)
            .unwrap();
        let face = book.get(id).unwrap();
        assert!(face.has_halt && face.is_cjk && !face.is_bold);
        assert_eq!(face.blank('，'), (0.0, 0.5));
        assert_eq!(face.blank('“'), (0.5, 0.0));
        assert_eq!(face.blank('”'), (0.0, 0.5));
        assert_eq!(face.blank('中'), (0.0, 0.0));
        assert!((face.ascent - 0.88).abs() < 1e-6);
    }

    #[test]
    fn missing_file_is_a_typed_error() {
        let err = FontBook::new().load("/nonexistent/font.ttf", 0).unwrap_err();
        assert!(matches!(err, LayoutError::FontRead { .. }));
    }
}
