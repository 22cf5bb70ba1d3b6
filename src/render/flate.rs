//! One zlib stream (RFC 1950) deflated in pieces on several threads by libdeflate, which only
//! compresses whole buffers: each piece is deflated on its own, the final-block mark of every
//! piece but the last is cleared, and an empty stored block re-aligns the bits for the next
//! piece, as zlib's sync flush would have (RFC 1951 §3.2.3–3.2.4).
//!
//! Finding a piece's last block takes a walk through its blocks: deflate writes no block
//! lengths, so each block's Huffman codes are read and its symbols skipped up to the
//! end-of-block code. The walk never builds output; it takes about a quarter of the time the
//! deflating took. Each piece after the first starts without the 32 KiB of history before it,
//! which on the sample's Song subset costs 835 B (docs/scale.md, "Hand-offs, pieces and writing
//! early").

/// Each whole multiple of this length in a buffer makes one piece (up to [`MAX_PIECES`]): a
/// buffer shorter than twice this is deflated whole.
pub(crate) const PIECE: usize = 128 * 1024;
/// At most this many pieces, whatever the length: each costs the history the piece after it
/// lacks, and more than this many threads seldom run one build's fonts.
const MAX_PIECES: usize = 4;

/// `data` as one zlib stream at `level`, deflated in `data.len() / PIECE` pieces (at least one,
/// at most [`MAX_PIECES`]) on rayon's threads. The bytes depend on `data` and `level` only, never
/// on the number of threads. `None` if libdeflate refused a piece (its own bound rules that
/// out) or a piece's blocks could not be walked.
pub(crate) fn zlib_pieces(data: &[u8], level: u32) -> Option<Vec<u8>> {
    use rayon::prelude::*;
    let count = (data.len() / PIECE).clamp(1, MAX_PIECES);
    // Every piece but the last is walked after it is deflated, which takes about a quarter of
    // the deflating's time, so those pieces are a fifth shorter than the last: on two free
    // threads the pieces then end together.
    let short = data.len() * 4 / (4 * (count - 1) + 5);
    let mut pieces: Vec<&[u8]> = Vec::with_capacity(count);
    let mut rest = data;
    for _ in 1..count {
        let (piece, after) = rest.split_at(short.min(rest.len()));
        pieces.push(piece);
        rest = after;
    }
    pieces.push(rest);
    let last = pieces.len() - 1;
    let (deflated, sum) = rayon::join(
        || {
            pieces
                .par_iter()
                .enumerate()
                .with_max_len(1)
                .map(|(i, piece)| {
                    let raw = deflate_raw(piece, level)?;
                    if i == last { Some(raw) } else { unfinal(raw) }
                })
                .collect::<Option<Vec<Vec<u8>>>>()
        },
        || libdeflater::adler32(data),
    );
    let deflated = deflated?;
    let mut out = Vec::with_capacity(deflated.iter().map(Vec::len).sum::<usize>() + 6);
    out.extend_from_slice(&crate::render::pdf_pack::zlib_header(level));
    for piece in &deflated {
        out.extend_from_slice(piece);
    }
    out.extend_from_slice(&sum.to_be_bytes());
    Some(out)
}

/// `data` as raw deflate (RFC 1951) by libdeflate at `level`.
fn deflate_raw(data: &[u8], level: u32) -> Option<Vec<u8>> {
    let level = libdeflater::CompressionLvl::new(i32::try_from(level).ok()?).ok()?;
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = vec![0; compressor.deflate_compress_bound(data.len())];
    let n = compressor.deflate_compress(data, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

/// A complete raw deflate stream made into a non-final part: its last block's BFINAL bit
/// cleared, then an empty stored block (three zero bits, zeros to the byte's end, `00 00 FF FF`)
/// so that whatever follows starts on a byte boundary with a block header.
fn unfinal(mut raw: Vec<u8>) -> Option<Vec<u8>> {
    let (header, end) = last_block(&raw)?;
    let byte = raw.get_mut(header / 8)?;
    *byte &= !(1 << (header % 8));
    // Bits from `end` on are padding: cleared, they are the stored block's three header bits and
    // its padding to the byte boundary.
    raw.truncate(end.div_ceil(8));
    if end % 8 != 0 {
        let last = raw.last_mut()?;
        *last &= (1u8 << (end % 8)) - 1;
    }
    if end % 8 == 0 || end % 8 > 5 {
        // The three header bits do not fit in the byte `end` is in (or it starts a new one).
        raw.push(0);
    }
    raw.extend_from_slice(&[0x00, 0x00, 0xFF, 0xFF]);
    Some(raw)
}

/// Bit positions of the final block's header and of the end of that block (after its
/// end-of-block code) in a raw deflate stream; `None` if the stream is not well formed.
fn last_block(data: &[u8]) -> Option<(usize, usize)> {
    let mut r = BitReader::new(data);
    loop {
        let header = r.pos();
        let last = r.bits(1)? == 1;
        match r.bits(2)? {
            0 => {
                // Stored (§3.2.4): to the byte boundary, LEN and its complement, LEN bytes.
                r.align();
                let len = r.bits(16)?;
                let nlen = r.bits(16)?;
                if len != !nlen & 0xFFFF {
                    return None;
                }
                r.skip_bytes(len as usize);
            }
            1 => {
                let (lit, dist) = fixed_codes();
                skip_symbols(&mut r, &lit, &dist)?;
            }
            2 => {
                let (lit, dist) = dynamic_codes(&mut r)?;
                skip_symbols(&mut r, &lit, &dist)?;
            }
            _ => return None,
        }
        if r.overrun() {
            return None;
        }
        if last {
            return Some((header, r.pos()));
        }
    }
}

/// Reads bits least significant first (§3.1.1), from a 64-bit window refilled a byte at a time;
/// past the end of the data it reads zeros and counts them, and [`BitReader::overrun`] tells.
struct BitReader<'a> {
    data: &'a [u8],
    /// Bytes moved into the window so far (counting zeros past the end).
    next: usize,
    /// The window: its lowest `have` bits are the next bits of the stream.
    window: u64,
    have: u32,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        BitReader {
            data,
            next: 0,
            window: 0,
            have: 0,
        }
    }

    /// The position of the next bit.
    fn pos(&self) -> usize {
        8 * self.next - self.have as usize
    }

    /// Whether bits past the end of the data were consumed.
    fn overrun(&self) -> bool {
        self.pos() > 8 * self.data.len()
    }

    /// At least 56 bits in the window.
    fn refill(&mut self) {
        if let Some(bytes) = self.data.get(self.next..self.next + 8) {
            // Eight bytes at once, keeping those that fit (at least seven).
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            self.window |= u64::from_le_bytes(word) << self.have;
            let taken = (63 - self.have) / 8;
            self.next += taken as usize;
            self.have += 8 * taken;
            // `have` is at most 63 now. The bits of the byte that did not fit are cleared: the
            // next refill reads that byte again.
            self.window &= (1u64 << self.have) - 1;
            return;
        }
        while self.have <= 56 {
            let byte = self.data.get(self.next).copied().unwrap_or(0);
            self.window |= u64::from(byte) << self.have;
            self.next += 1;
            self.have += 8;
        }
    }

    /// The next `n` (at most 32) bits without consuming them.
    fn peek(&mut self, n: u32) -> u32 {
        if self.have < n {
            self.refill();
        }
        (self.window & ((1u64 << n) - 1)) as u32
    }

    /// Consumes `n` bits (at most as many as the last peek asked for).
    fn consume(&mut self, n: u32) {
        self.window >>= n;
        self.have -= n;
    }

    /// The next `n` (at most 32) bits as a number, first bit lowest; `None` past the end.
    fn bits(&mut self, n: u32) -> Option<u32> {
        let v = self.peek(n);
        self.consume(n);
        (!self.overrun()).then_some(v)
    }

    /// Skips to the next byte boundary.
    fn align(&mut self) {
        let n = self.have % 8;
        self.consume(n);
    }

    /// Skips `n` bytes; only at a byte boundary.
    fn skip_bytes(&mut self, n: usize) {
        // Whole bytes still in the window first, then the rest of the data.
        let in_window = (self.have / 8) as usize;
        if n <= in_window {
            self.consume(8 * n as u32);
        } else {
            self.next += n - in_window;
            self.window = 0;
            self.have = 0;
        }
    }
}

/// A canonical Huffman code (§3.2.2) as a lookup table indexed by the next `width` bits (the
/// longest code's length): each entry is the symbol shifted left by 4 and its code length in the
/// low 4 bits (0: no code starts with those bits). A two-level table with a 10-bit first level
/// measured slower on font programs, whose literals often take 11 bits or more.
struct Code {
    width: u32,
    table: Vec<u32>,
}

impl Code {
    /// The code for these code lengths (0: the symbol is not used); `None` if they are
    /// over-subscribed.
    fn new(lengths: &[u8]) -> Option<Code> {
        let width = u32::from(lengths.iter().copied().max().unwrap_or(0)).max(1);
        let mut count = [0u32; 16];
        for &l in lengths {
            *count.get_mut(usize::from(l))? += 1;
        }
        count[0] = 0;
        // The first code of each length (§3.2.2, step 2).
        let mut next = [0u32; 16];
        let mut code = 0u32;
        for (bits, pair) in (1u32..).zip(count.windows(2)) {
            let (shorter, this) = (pair.first().copied()?, pair.get(1).copied()?);
            code = (code + shorter) << 1;
            *next.get_mut(bits as usize)? = code;
            if code + this > 1 << bits {
                return None;
            }
        }
        let mut table = vec![0u32; 1 << width];
        for (symbol, &len) in lengths.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let len32 = u32::from(len);
            let slot_next = next.get_mut(usize::from(len))?;
            let c = *slot_next;
            *slot_next += 1;
            // Codes are stored most significant bit first; the reader sees them reversed.
            let reversed = c.reverse_bits() >> (32 - len32);
            let entry = (u32::try_from(symbol).ok()? << 4) | len32;
            for slot in table.iter_mut().skip(reversed as usize).step_by(1 << len32) {
                *slot = entry;
            }
        }
        Some(Code { width, table })
    }

    /// The next symbol; `None` for bits no code starts with, or past the end.
    fn decode(&self, r: &mut BitReader<'_>) -> Option<u32> {
        let bits = r.peek(self.width);
        let entry = *self.table.get(bits as usize)?;
        let len = entry & 0xF;
        if len == 0 {
            return None;
        }
        r.consume(len);
        Some(entry >> 4)
    }
}

/// Extra bits of length codes 257–285 (§3.2.5).
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Extra bits of distance codes 0–29 (§3.2.5).
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];

/// Skips a compressed block's symbols up to and including its end-of-block code.
fn skip_symbols(r: &mut BitReader<'_>, lit: &Code, dist: &Code) -> Option<()> {
    loop {
        let symbol = lit.decode(r)?;
        if symbol < 256 {
            // Zeros past the end could decode as literals for ever.
            if r.overrun() {
                return None;
            }
            continue;
        }
        if symbol == 256 {
            return (!r.overrun()).then_some(());
        }
        let extra = *LENGTH_EXTRA.get(symbol as usize - 257)?;
        r.peek(u32::from(extra));
        r.consume(u32::from(extra));
        let d = dist.decode(r)?;
        let extra = *DISTANCE_EXTRA.get(d as usize)?;
        r.peek(u32::from(extra));
        r.consume(u32::from(extra));
        if r.overrun() {
            return None;
        }
    }
}

/// The fixed codes of block type 1 (§3.2.6).
fn fixed_codes() -> (Code, Code) {
    let mut lit = [0u8; 288];
    for (i, l) in lit.iter_mut().enumerate() {
        *l = match i {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
    }
    // Both sets of lengths are complete codes, which `Code::new` always accepts.
    let empty = || Code {
        width: 1,
        table: vec![0; 2],
    };
    (
        Code::new(&lit).unwrap_or_else(empty),
        Code::new(&[5u8; 30]).unwrap_or_else(empty),
    )
}

/// The codes of a block with dynamic codes (type 2), read from its header (§3.2.7).
fn dynamic_codes(r: &mut BitReader<'_>) -> Option<(Code, Code)> {
    /// The order code-length code lengths are written in.
    const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    let hlit = r.bits(5)? as usize + 257;
    let hdist = r.bits(5)? as usize + 1;
    let hclen = r.bits(4)? as usize + 4;
    let mut cl = [0u8; 19];
    for &at in ORDER.iter().take(hclen) {
        *cl.get_mut(at)? = r.bits(3)? as u8;
    }
    let cl = Code::new(&cl)?;
    let mut lengths = Vec::with_capacity(hlit + hdist);
    while lengths.len() < hlit + hdist {
        match cl.decode(r)? {
            l @ 0..=15 => lengths.push(l as u8),
            16 => {
                let prev = *lengths.last()?;
                let n = 3 + r.bits(2)?;
                lengths.extend(std::iter::repeat_n(prev, n as usize));
            }
            17 => {
                let n = 3 + r.bits(3)?;
                lengths.extend(std::iter::repeat_n(0, n as usize));
            }
            18 => {
                let n = 11 + r.bits(7)?;
                lengths.extend(std::iter::repeat_n(0, n as usize));
            }
            _ => return None,
        }
    }
    if lengths.len() != hlit + hdist || lengths.get(256) == Some(&0) {
        return None;
    }
    let (lit, dist) = lengths.split_at(hlit);
    Some((Code::new(lit)?, Code::new(dist)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(z: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(z)
            .read_to_end(&mut out)
            .expect("valid zlib stream");
        out
    }

    /// Bytes that compress like a font's outlines: runs, repeats and noise.
    fn sample(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 4 {
                0 => out.extend_from_slice(b"glyph outline "),
                1 => out.extend(std::iter::repeat_n((x >> 8) as u8, (x >> 16) as usize % 40)),
                2 => {
                    let back = (x >> 20) as usize % out.len().max(1);
                    let copy: Vec<u8> = out.iter().skip(back).take(30).copied().collect();
                    out.extend(copy);
                }
                _ => out.extend((0..(x >> 24) % 50).map(|k| (x >> (k % 56)) as u8)),
            }
        }
        out.truncate(len);
        out
    }

    #[test]
    fn pieces_join_into_the_input() {
        for (len, seed) in [
            (0, 1),
            (1, 2),
            (PIECE - 1, 3),
            (2 * PIECE, 4),
            (2 * PIECE + 7, 5),
            (3 * PIECE + 1000, 6),
            (9 * PIECE, 7),
        ] {
            let data = sample(len, seed);
            for level in [1, 6, 9, 12] {
                let z = zlib_pieces(&data, level).expect("deflated");
                assert_eq!(inflate(&z), data, "{len} bytes at level {level}");
                assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0);
            }
        }
    }

    #[test]
    fn one_piece_is_libdeflates_zlib_stream() {
        // A buffer shorter than two pieces is one piece: the same bytes as the packer's.
        let data = sample(PIECE + PIECE / 2, 8);
        let level = crate::render::pdf_pack::LEVEL;
        assert_eq!(zlib_pieces(&data, level), crate::render::pdf_pack::zlib_whole(&data));
    }

    #[test]
    fn incompressible_and_uniform_pieces_join_too() {
        // Noise makes libdeflate write stored blocks; a single repeated byte makes one long
        // block of matches.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..3 * PIECE)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let uniform = vec![b'x'; 3 * PIECE + 5];
        for data in [noise, uniform] {
            let z = zlib_pieces(&data, 6).expect("deflated");
            assert_eq!(inflate(&z), data);
        }
    }

    #[test]
    fn the_last_block_is_found_in_every_block_type() {
        for data in [b"".to_vec(), b"a".to_vec(), sample(70_000, 9), vec![0; 100_000]] {
            for level in [0, 1, 6, 12] {
                let raw = deflate_raw(&data, level).expect("raw");
                let (header, end) = last_block(&raw).expect("walked");
                assert_eq!(raw[header / 8] >> (header % 8) & 1, 1, "BFINAL at the header");
                assert_eq!(end.div_ceil(8), raw.len(), "the block ends in the last byte");
            }
        }
        assert_eq!(last_block(&[]), None);
        assert_eq!(last_block(&[0xFF, 0xFF]), None, "block type 3 is reserved");
    }

    #[test]
    fn a_deflated_piece_made_non_final_keeps_its_bytes() {
        let data = sample(50_000, 11);
        let mut joined = unfinal(deflate_raw(&data, 6).expect("raw")).expect("unfinal");
        joined.extend(deflate_raw(b"tail", 6).expect("raw"));
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(joined.as_slice())
            .read_to_end(&mut out)
            .expect("valid");
        assert_eq!(&out[..data.len()], data.as_slice());
        assert_eq!(&out[data.len()..], b"tail");
    }
}
