//! Moving the outlines of TrueType glyphs (`glyf`, OpenType 1.9 "glyf — Glyph Data").
//!
//! A glyph the layout always draws displaced by the same amount (the pause and stop marks that
//! the Taiwan and Hong Kong convention centres in their character frame, clreq §3.1.1, set with a
//! mainland font whose marks sit in the corner) is written into the subset already moved, and
//! drawn at its pen position. Drawn displaced instead, the gap before it reads as a space to text
//! extraction (`pdftotext` gave `宣布 ，市區`).
//!
//! Only simple glyphs are moved: every point, the bounding box in the glyph's header and the
//! left side bearing in `hmtx`; `loca` is rewritten for the new lengths.

use std::collections::BTreeMap;

use super::sfnt::{be16, be32};

/// The parsed table directory of a TrueType font, with what moving glyphs reads of it: `head`,
/// `maxp`, `loca` and `glyf`.
pub(super) struct Tables<'a> {
    raw: rustybuzz::ttf_parser::RawFace<'a>,
    /// `head.indexToLocFormat`: 0 for short offsets, 1 for long.
    long_loca: bool,
    loca: &'a [u8],
    glyf: &'a [u8],
    num_glyphs: usize,
}

impl<'a> Tables<'a> {
    /// Reads the tables of the face at `index` in `data` (a font file or collection); `None`
    /// when it has no `glyf` outlines or its tables cannot be read.
    pub(super) fn read(data: &'a [u8], index: u32) -> Option<Tables<'a>> {
        let raw = rustybuzz::ttf_parser::RawFace::parse(data, index).ok()?;
        let table = |tag: &[u8; 4]| raw.table(rustybuzz::ttf_parser::Tag::from_bytes(tag));
        let (head, maxp) = (table(b"head")?, table(b"maxp")?);
        let (loca, glyf) = (table(b"loca")?, table(b"glyf")?);
        Some(Tables {
            long_loca: be16(head, 50)? == 1,
            loca,
            glyf,
            num_glyphs: usize::from(be16(maxp, 4)?),
            raw,
        })
    }

    /// The table `tag`.
    fn table(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.raw.table(rustybuzz::ttf_parser::Tag::from_bytes(tag))
    }

    /// The bytes of glyph `gid` (empty for a glyph without outline).
    fn glyph(&self, gid: u16) -> Option<&'a [u8]> {
        let i = usize::from(gid);
        if i >= self.num_glyphs {
            return None;
        }
        let (start, end) = if self.long_loca {
            (be32(self.loca, 4 * i)? as usize, be32(self.loca, 4 * i + 4)? as usize)
        } else {
            (
                2 * usize::from(be16(self.loca, 2 * i)?),
                2 * usize::from(be16(self.loca, 2 * i + 2)?),
            )
        };
        self.glyf.get(start..end)
    }

    /// Whether glyph `gid` is a simple glyph with at least one contour, which [`shift_glyphs`]
    /// can move.
    pub(super) fn is_movable(&self, gid: u16) -> bool {
        self.glyph(gid)
            .and_then(|g| be16(g, 0))
            .is_some_and(|contours| (1..0x8000).contains(&contours))
    }
}

/// The font file `font` (a TrueType subset) with glyph `gid` moved by `(dx, dy)` font units for
/// each entry of `shifts`; `None` if the file cannot be read or a glyph to move is not a simple
/// glyph with contours (see [`Tables::is_movable`]).
pub(super) fn shift_glyphs(font: &[u8], shifts: &BTreeMap<u16, (i16, i16)>) -> Option<Vec<u8>> {
    if shifts.is_empty() {
        return Some(font.to_vec());
    }
    let tables = Tables::read(font, 0)?;
    let mut hmtx = tables.table(b"hmtx")?.to_vec();
    let metrics = usize::from(be16(tables.table(b"hhea")?, 34)?);
    let mut head = tables.table(b"head")?.to_vec();

    let mut glyf = Vec::with_capacity(tables.glyf.len() + 64 * shifts.len());
    let mut offsets = Vec::with_capacity(tables.num_glyphs + 1);
    for gid in 0..tables.num_glyphs {
        offsets.push(glyf.len());
        let id = u16::try_from(gid).ok()?;
        let data = tables.glyph(id)?;
        match shifts.get(&id) {
            Some(&(dx, dy)) => {
                if !tables.is_movable(id) {
                    return None;
                }
                let (moved, x_min) = shift_simple(data, dx, dy)?;
                glyf.extend_from_slice(&moved);
                // The left side bearing follows the outline (it is xMin in a TrueType font).
                let at = if gid < metrics {
                    4 * gid + 2
                } else {
                    4 * metrics + 2 * (gid - metrics)
                };
                hmtx.get_mut(at..at + 2)?.copy_from_slice(&x_min.to_be_bytes());
            }
            None => glyf.extend_from_slice(data),
        }
        // Every glyph starts at an even offset (short `loca` stores offsets / 2); four bytes
        // keep the long form aligned as well.
        glyf.resize(glyf.len().next_multiple_of(4), 0);
    }
    offsets.push(glyf.len());
    let long = tables.long_loca || glyf.len() / 2 > usize::from(u16::MAX);
    let mut loca = Vec::with_capacity(offsets.len() * if long { 4 } else { 2 });
    for o in offsets {
        if long {
            loca.extend_from_slice(&u32::try_from(o).ok()?.to_be_bytes());
        } else {
            loca.extend_from_slice(&u16::try_from(o / 2).ok()?.to_be_bytes());
        }
    }
    head.get_mut(50..52)?.copy_from_slice(&i16::from(long).to_be_bytes());
    // A `head` table's checksum is taken with checkSumAdjustment at zero; the adjustment is
    // written when the file is put together.
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    super::sfnt::with_tables(
        font,
        None,
        vec![(*b"glyf", glyf), (*b"loca", loca), (*b"hmtx", hmtx), (*b"head", head)],
    )
}

/// A simple glyph's bytes with every point moved by `(dx, dy)`, and its new xMin. The
/// coordinates are written again in the plainest of the glyph format's forms (no repeated
/// flags; a byte where the step fits, else a word); the instructions are kept.
fn shift_simple(data: &[u8], dx: i16, dy: i16) -> Option<(Vec<u8>, i16)> {
    let contours = usize::from(be16(data, 0)?);
    if contours == 0 || contours >= 0x8000 {
        return None;
    }
    let bbox: Vec<i16> = (0..4)
        .map(|k| be16(data, 2 + 2 * k).map(|v| v as i16))
        .collect::<Option<_>>()?;
    let ends_at = 10;
    let points = usize::from(be16(data, ends_at + 2 * (contours - 1))?) + 1;
    let ins_at = ends_at + 2 * contours;
    let ins_len = usize::from(be16(data, ins_at)?);
    let mut at = ins_at + 2 + ins_len;
    data.get(..at)?;

    const ON_CURVE: u8 = 0x01;
    const X_SHORT: u8 = 0x02;
    const Y_SHORT: u8 = 0x04;
    const REPEAT: u8 = 0x08;
    const X_SAME: u8 = 0x10;
    const Y_SAME: u8 = 0x20;
    const OVERLAP: u8 = 0x40;

    let mut flags = Vec::with_capacity(points);
    while flags.len() < points {
        let f = *data.get(at)?;
        at += 1;
        flags.push(f);
        if f & REPEAT != 0 {
            let n = *data.get(at)?;
            at += 1;
            for _ in 0..n {
                flags.push(f);
            }
        }
    }
    flags.truncate(points);
    let mut read_axis = |short: u8, same: u8| -> Option<Vec<i32>> {
        let mut v = 0i32;
        let mut out = Vec::with_capacity(points);
        for &f in &flags {
            if f & short != 0 {
                let b = i32::from(*data.get(at)?);
                at += 1;
                v += if f & same != 0 { b } else { -b };
            } else if f & same == 0 {
                v += i32::from(be16(data, at)? as i16);
                at += 2;
            }
            out.push(v);
        }
        Some(out)
    };
    let xs = read_axis(X_SHORT, X_SAME)?;
    let ys = read_axis(Y_SHORT, Y_SAME)?;

    let moved = |v: i16, d: i16| i16::try_from(i32::from(v) + i32::from(d)).ok();
    let (x_min, y_min) = (moved(*bbox.first()?, dx)?, moved(*bbox.get(1)?, dy)?);
    let (x_max, y_max) = (moved(*bbox.get(2)?, dx)?, moved(*bbox.get(3)?, dy)?);
    let mut out = Vec::with_capacity(data.len() + 2 * points);
    out.extend_from_slice(data.get(..2)?);
    for v in [x_min, y_min, x_max, y_max] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(data.get(ends_at..ins_at + 2 + ins_len)?);
    let (mut new_flags, mut xb, mut yb) = (Vec::with_capacity(points), Vec::new(), Vec::new());
    let encode = |delta: i32, short: u8, same: u8, bytes: &mut Vec<u8>| -> Option<u8> {
        if delta == 0 {
            Some(same)
        } else if delta.abs() <= 255 {
            bytes.push(u8::try_from(delta.abs()).ok()?);
            Some(short | if delta > 0 { same } else { 0 })
        } else {
            bytes.extend_from_slice(&i16::try_from(delta).ok()?.to_be_bytes());
            Some(0)
        }
    };
    let (mut px, mut py) = (0i32, 0i32);
    for ((&f, &x), &y) in flags.iter().zip(&xs).zip(&ys) {
        let (x, y) = (x + i32::from(dx), y + i32::from(dy));
        let fx = encode(x - px, X_SHORT, X_SAME, &mut xb)?;
        let fy = encode(y - py, Y_SHORT, Y_SAME, &mut yb)?;
        new_flags.push((f & (ON_CURVE | OVERLAP)) | fx | fy);
        (px, py) = (x, y);
    }
    out.extend_from_slice(&new_flags);
    out.extend_from_slice(&xb);
    out.extend_from_slice(&yb);
    Some((out, x_min))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustybuzz::ttf_parser::{Face, GlyphId, OutlineBuilder};

    /// The points of a glyph's outline as ttf-parser reads them.
    #[derive(Default)]
    struct Points(Vec<(f32, f32)>);

    impl OutlineBuilder for Points {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push((x, y));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push((x, y));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.extend([(x1, y1), (x, y)]);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            self.0.extend([(x1, y1), (x2, y2), (x, y)]);
        }
        fn close(&mut self) {}
    }

    fn outline(face: &Face<'_>, gid: u16) -> Vec<(f32, f32)> {
        let mut p = Points::default();
        face.outline_glyph(GlyphId(gid), &mut p);
        p.0
    }

    /// A subset of the bundled Song face with `.notdef`, 中, the comma, the full stop and 国.
    fn subset() -> (Vec<u8>, Vec<u16>) {
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf")).expect("font");
        let face = Face::parse(&data, 0).expect("face");
        let mut gids: Vec<u16> = "中，。国"
            .chars()
            .map(|c| face.glyph_index(c).expect("glyph").0)
            .collect();
        gids.sort_unstable();
        let order: Vec<u16> = std::iter::once(0).chain(gids.iter().copied()).collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs(&order);
        let font = subsetter::subset_with_variations(&data, 0, &[], &remapper).expect("subset");
        (font, order)
    }

    #[test]
    fn moved_glyphs_keep_their_shape_and_the_others_stay() {
        let (font, order) = subset();
        let before = Face::parse(&font, 0).expect("subset parses");
        let n = u16::try_from(order.len()).expect("few glyphs");
        let mut shifts = BTreeMap::new();
        shifts.insert(2, (348, 418));
        shifts.insert(3, (-5, 0));
        let moved = shift_glyphs(&font, &shifts).expect("moved");
        let after = Face::parse(&moved, 0).expect("the new file parses");
        for gid in 0..n {
            let (dx, dy) = shifts.get(&gid).copied().unwrap_or((0, 0));
            let old = outline(&before, gid);
            let new = outline(&after, gid);
            assert_eq!(old.len(), new.len(), "glyph {gid}");
            assert!(!new.is_empty(), "glyph {gid} has an outline");
            for (o, m) in old.iter().zip(&new) {
                let want = (o.0 + f32::from(dx), o.1 + f32::from(dy));
                assert!(
                    (want.0 - m.0).abs() < 1e-3 && (want.1 - m.1).abs() < 1e-3,
                    "glyph {gid}: {want:?} != {m:?}"
                );
            }
            let (ob, nb) = (
                before.glyph_bounding_box(GlyphId(gid)),
                after.glyph_bounding_box(GlyphId(gid)),
            );
            if let (Some(ob), Some(nb)) = (ob, nb) {
                assert_eq!((ob.x_min + dx, ob.y_max + dy), (nb.x_min, nb.y_max), "glyph {gid}");
            }
            assert_eq!(
                before.glyph_hor_advance(GlyphId(gid)),
                after.glyph_hor_advance(GlyphId(gid)),
                "advance of {gid}"
            );
            assert_eq!(
                after.glyph_hor_side_bearing(GlyphId(gid)),
                after.glyph_bounding_box(GlyphId(gid)).map(|b| b.x_min),
                "side bearing of {gid} is its xMin"
            );
        }
    }

    #[test]
    fn nothing_to_move_leaves_the_file_alone_and_bad_requests_are_refused() {
        let (font, _) = subset();
        assert_eq!(shift_glyphs(&font, &BTreeMap::new()).as_deref(), Some(&font[..]));
        // .notdef of Noto is a simple glyph, but a glyph past the end is not there at all.
        let past = BTreeMap::from([(99u16, (1i16, 1i16))]);
        let moved = shift_glyphs(&font, &past).expect("glyphs past the end are never reached");
        let (a, b) = (
            Face::parse(&font, 0).expect("face"),
            Face::parse(&moved, 0).expect("face"),
        );
        assert_eq!(outline(&a, 1), outline(&b, 1));
        let tables = Tables::read(&font, 0).expect("tables");
        assert!(tables.is_movable(1) && !tables.is_movable(99));
        assert!(shift_glyphs(b"not a font", &BTreeMap::from([(1, (1, 1))])).is_none());
    }
}
