//! The OpenType file format's table directory (OpenType §5, "Organization of an OpenType
//! font"): reading big-endian numbers, and writing a font file again with tables dropped or
//! replaced. Shared by the subsetting ([`super::fonts`]) and the outline moves ([`super::glyf`]).

/// The big-endian 16-bit number at `at` of `data`, as OpenType tables store them.
pub(super) fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

/// The big-endian 32-bit number at `at` of `data`.
pub(super) fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The OpenType file `font` without its table `tag`: the table directory rewritten, the other
/// tables' bytes and checksums kept, `head.checkSumAdjustment` recomputed (OpenType `head`).
/// `None` if the file's directory cannot be read.
pub(super) fn without_table(font: &[u8], tag: [u8; 4]) -> Option<Vec<u8>> {
    with_tables(font, Some(tag), Vec::new())
}

/// The OpenType file `font` without its table `drop` (if given) and with the tables of
/// `replace` in place of those of the same tag (checksums computed for them): the table
/// directory rewritten, the other tables' bytes and checksums kept, `head.checkSumAdjustment`
/// recomputed (OpenType `head`). `None` if the file's directory cannot be read.
pub(super) fn with_tables(font: &[u8], drop: Option<[u8; 4]>, mut replace: Vec<([u8; 4], Vec<u8>)>) -> Option<Vec<u8>> {
    let count = usize::from(be16(font, 4)?);
    let mut tables: Vec<([u8; 4], u32, std::borrow::Cow<'_, [u8]>)> = Vec::with_capacity(count);
    for i in 0..count {
        let at = 12 + 16 * i;
        let t: [u8; 4] = font.get(at..at + 4)?.try_into().ok()?;
        let (sum, offset, len) = (
            be32(font, at + 4)?,
            be32(font, at + 8)? as usize,
            be32(font, at + 12)? as usize,
        );
        let data = font.get(offset..offset.checked_add(len)?)?;
        if Some(t) == drop {
            continue;
        }
        match replace.iter().position(|(r, _)| *r == t) {
            Some(k) => {
                let (_, new) = replace.swap_remove(k);
                tables.push((t, checksum(&new), std::borrow::Cow::Owned(new)));
            }
            None => tables.push((t, sum, std::borrow::Cow::Borrowed(data))),
        }
    }
    if drop.is_some() && tables.len() == count {
        return Some(font.to_vec());
    }
    let n = u16::try_from(tables.len()).ok()?;
    // searchRange, entrySelector, rangeShift as the directory defines them.
    let selector = 15 - n.max(1).leading_zeros() as u16;
    let range = 16u16.checked_shl(u32::from(selector))?;
    let mut out = Vec::with_capacity(font.len());
    out.extend_from_slice(font.get(..4)?);
    for v in [n, range, selector, (16 * n).saturating_sub(range)] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (t, sum, data) in &tables {
        out.extend_from_slice(t);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        if t == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, _, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(h) = head_at {
        // checkSumAdjustment (offset 8 in `head`) makes the whole file sum to 0xB1B0AFBA.
        out.get_mut(h + 8..h + 12)?.copy_from_slice(&[0; 4]);
        let total = checksum(&out);
        out.get_mut(h + 8..h + 12)?
            .copy_from_slice(&0xB1B0_AFBAu32.wrapping_sub(total).to_be_bytes());
    }
    Some(out)
}

/// The OpenType checksum of `bytes`: the sum of its big-endian 32-bit words, the last one
/// padded with zeros.
fn checksum(bytes: &[u8]) -> u32 {
    bytes
        .chunks(4)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u32, |a, (i, &b)| a | u32::from(b) << (24 - 8 * i))
        })
        .fold(0u32, u32::wrapping_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustybuzz::ttf_parser;

    /// A three-table font file with made-up contents (not a usable font: only the directory
    /// matters here).
    fn file() -> Vec<u8> {
        let tables: [(&[u8; 4], &[u8]); 3] = [(b"glyf", b"abcdefg"), (b"head", &[7u8; 54]), (b"name", b"names!")];
        let mut out = vec![0, 1, 0, 0, 0, 3, 0, 32, 0, 1, 0, 16];
        let mut offset = 12 + 16 * 3;
        for (t, d) in &tables {
            out.extend_from_slice(*t);
            out.extend_from_slice(&[0, 0, 0, 9]);
            out.extend_from_slice(&(offset as u32).to_be_bytes());
            out.extend_from_slice(&(d.len() as u32).to_be_bytes());
            offset += d.len().next_multiple_of(4);
        }
        for (_, d) in &tables {
            out.extend_from_slice(d);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        out
    }

    #[test]
    fn a_table_is_dropped_and_the_rest_kept() {
        let before = file();
        let after = without_table(&before, *b"name").expect("readable");
        let raw = ttf_parser::RawFace::parse(&after, 0).expect("parses");
        assert_eq!(raw.table(ttf_parser::Tag::from_bytes(b"glyf")), Some(&b"abcdefg"[..]));
        assert!(raw.table(ttf_parser::Tag::from_bytes(b"name")).is_none());
        let head = raw.table(ttf_parser::Tag::from_bytes(b"head")).expect("head");
        assert_eq!(head.len(), 54);
        // The whole file sums to the magic number, as OpenType requires.
        let total = checksum(&after);
        assert_eq!(total, 0xB1B0_AFBA);
        // numTables 2: searchRange 32, entrySelector 1, rangeShift 0.
        assert_eq!(&after[4..12], &[0, 2, 0, 32, 0, 1, 0, 0]);
        assert_eq!(after.len(), before.len() - 16 - 8);
        // Without the table, nothing changes.
        assert_eq!(without_table(&after, *b"name").as_deref(), Some(&after[..]));
    }
}
