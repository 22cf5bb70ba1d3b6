//! Flate (RFC 1950 zlib around RFC 1951 deflate, ISO 32000-1 §7.4.4) with libdeflate, for
//! data compressed in one piece: the font programs.
//!
//! libdeflate compresses a whole buffer at once, which is all a font program needs, and at
//! level 6 it took 3.7 ms for the sample's 276 KB Song subset where zlib-rs took 5.7 ms, for a
//! result 107 bytes smaller (docs/scale.md, "Font programs"). The packer keeps zlib-rs, whose
//! sync flushes and preset dictionaries let one long stream be compressed in parallel chunks.

use libdeflater::{CompressionLvl, Compressor};

/// The level: the same as the packer's.
const LEVEL: i32 = 6;

/// `data` in zlib form.
pub(super) fn zlib(data: &[u8]) -> Vec<u8> {
    let level = CompressionLvl::new(LEVEL).unwrap_or_default();
    let mut compressor = Compressor::new(level);
    let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
    match compressor.zlib_compress(data, &mut out) {
        Ok(n) => {
            out.truncate(n);
            out
        }
        // The bound is libdeflate's own worst case, so this cannot happen; should it, the data
        // goes in stored blocks, which every reader takes.
        Err(_) => stored(data),
    }
}

/// `data` in zlib form with stored (uncompressed) blocks (RFC 1951 §3.2.4).
fn stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 65_535 * 5 + 11);
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Adler-32 (RFC 1950 §9).
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("valid zlib");
        out
    }

    #[test]
    fn compressed_and_stored_forms_inflate_to_the_data() {
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| (i * 7 % 251) as u8 ^ (i / 1000) as u8)
            .collect();
        let packed = zlib(&data);
        assert!(packed.len() < data.len() / 2, "{} bytes", packed.len());
        assert_eq!(inflate(&packed), data);
        assert_eq!(inflate(&stored(&data)), data);
        assert_eq!(inflate(&stored(&[])), Vec::<u8>::new());
        assert_eq!(inflate(&zlib(&[])), Vec::<u8>::new());
    }
}
