//! Packing the print PDF. The writer (`render::pdf`) deflates the font programs (in pieces,
//! `render::flate`), the ToUnicode maps and the page contents of up to [`CHUNK`] bytes itself (as
//! this module would), leaves every other stream but JPEGs unfiltered and writes each object at
//! the top level with a classic cross-reference table, as pdf-writer does; [`pack`] re-writes
//! that file:
//!
//! - every unfiltered stream gets `/Filter /FlateDecode` (ISO 32000-1 §7.4.4), all streams at
//!   once on rayon's threads: one of up to [`CHUNK`] bytes whole by libdeflate ([`zlib_whole`]),
//!   a longer one with zlib-rs in chunks that
//!   join into one deflate stream (each chunk but the last ends on a byte boundary with a sync
//!   flush, RFC 1951 §3.2.4, and is primed with the 32 KiB before it); the zlib wrapper
//!   (RFC 1950) carries the Adler-32 of the whole data;
//! - every other object of generation 0 goes into compressed object streams (§7.5.7);
//! - the cross-reference table and trailer (§7.5.4, §7.5.5) become one cross-reference stream
//!   (§7.5.8).
//!
//! Objects keep their numbers and their text: a non-stream object is copied into its object
//! stream byte for byte, and of a stream's dictionary only `/Length` changes and
//! `/Filter /FlateDecode` is added. XMP metadata streams (`/Type /Metadata`, §14.3.2) stay
//! unfiltered, so that the packet is readable without a PDF parser, as PDF/A tools expect.
//!
//! The input is parsed with a small tokenizer (§7.2, §7.3), not searched for keywords: stream data
//! is skipped by its direct `/Length`, and the cross-reference table must agree with every object
//! found. Anything else — encryption, incremental updates, files that already have object
//! streams — is refused with a [`PackError`], never guessed at. The output depends only on the
//! input: chunk boundaries are fixed and results are put together in input order, whatever the
//! number of threads.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;

/// Flate level of every stream. zlib's default: on the sample, level 9 made the PDF 0.1 % smaller
/// for twice the compression time.
pub(crate) const LEVEL: u32 = 6;
/// Streams longer than this are compressed in chunks of this many bytes, each on its own thread.
pub const CHUNK: usize = 128 * 1024;
/// Each chunk after the first is primed with this much of the data before it (deflate's window,
/// RFC 1951 §2), so that chunking costs almost nothing in size.
const WINDOW: usize = 32 * 1024;
/// Objects per object stream: small enough that a reader decompresses little to reach one object.
const PER_OBJECT_STREAM: usize = 100;
/// The most indirect objects a PDF may have (ISO 32000-1 Annex C, Table C.1; also PDF/A's limit).
const MAX_OBJECTS: u32 = 8_388_607;
/// Deepest nesting of arrays and dictionaries the parser follows (the structure tree is flat: its
/// elements are separate objects).
const MAX_DEPTH: usize = 100;

/// Why a PDF could not be packed. Offsets are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackError {
    /// The file does not begin with a `%PDF-n.m` header (§7.5.2).
    Header,
    /// The header's version is below 1.5, which has neither object streams nor cross-reference
    /// streams (and PDF/A-1, which is 1.4, forbids them).
    Version(String),
    /// Unexpected bytes at `offset`; `expected` names what should have been there.
    Syntax {
        /// Where.
        offset: usize,
        /// What the parser looked for.
        expected: &'static str,
    },
    /// A stream's `/Length` is missing, indirect or not a non-negative integer that fits the file.
    Length {
        /// The stream's object number.
        object: u32,
    },
    /// A stream's data is not followed by `endstream` where its `/Length` says it ends.
    StreamEnd {
        /// The stream's object number.
        object: u32,
    },
    /// The cross-reference table does not match the objects in the file (an object missing from
    /// it, at another offset or generation, or twice).
    Xref {
        /// The object number concerned.
        object: u32,
    },
    /// The file uses something packing leaves alone (encryption, an incremental update, object or
    /// cross-reference streams of its own, an unknown trailer key).
    Unsupported(&'static str),
    /// The compressor failed.
    Compress(String),
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackError::Header => f.write_str("no %PDF header"),
            PackError::Version(v) => write!(f, "PDF {v} is older than 1.5, which object streams need"),
            PackError::Syntax { offset, expected } => write!(f, "expected {expected} at byte {offset}"),
            PackError::Length { object } => write!(f, "object {object}: the stream has no direct /Length"),
            PackError::StreamEnd { object } => {
                write!(f, "object {object}: the stream does not end where its /Length says")
            }
            PackError::Xref { object } => {
                write!(f, "object {object}: the cross-reference table does not match the file")
            }
            PackError::Unsupported(what) => write!(f, "not supported: {what}"),
            PackError::Compress(m) => write!(f, "compression failed: {m}"),
        }
    }
}

impl std::error::Error for PackError {}

/// Re-write a PDF as the writer makes it (or any PDF without object streams, encryption or
/// incremental updates): every unfiltered stream (except XMP `/Type /Metadata` streams, which PDF/A wants readable) is
/// Flate-compressed, large ones in parallel chunks; every non-stream object of generation 0 goes
/// into compressed object streams; the classic xref table and trailer become an xref stream.
///
/// A stream whose compressed form would not be shorter (an empty one) stays unfiltered. The header
/// and binary comment are kept as they are.
pub fn pack(pdf: &[u8]) -> Result<Vec<u8>, PackError> {
    let file = parse_file(pdf)?;
    write_packed(pdf, &file)
}

// ---------------------------------------------------------------------------------------------
// Tokens and objects (§7.2 lexical conventions, §7.3 objects)

/// White-space characters (§7.2.2, Table 1).
fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// Delimiter characters (§7.2.2, Table 2).
fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Regular characters: all others; they make up names, numbers and keywords.
fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

/// A parsed object: what it is and where its text is.
#[derive(Debug, Clone)]
struct Value {
    /// The object's text in the file, from its first to its last byte.
    span: Range<usize>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Null,
    Bool,
    Int(i64),
    Real,
    String,
    /// A name; the value's span covers the `/`.
    Name,
    Array,
    /// Key spans (after the `/`) and values, in file order.
    Dict(Vec<(Range<usize>, Value)>),
    /// An indirect reference `n g R`.
    Ref,
}

/// Whether the name at `span` (without its `/`) is `want` once its `#xx` escapes are decoded
/// (§7.3.5).
fn name_is(src: &[u8], span: &Range<usize>, want: &[u8]) -> bool {
    let Some(raw) = src.get(span.clone()) else { return false };
    if !raw.contains(&b'#') {
        return raw == want;
    }
    let mut decoded = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'#', Some(v)) => {
                decoded.push(v);
                i += 3;
            }
            _ => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    decoded == want
}

impl Value {
    /// The value of `key` if this is a dictionary that has it (the first, if it is there twice).
    fn get(&self, src: &[u8], key: &[u8]) -> Option<&Value> {
        match &self.kind {
            Kind::Dict(entries) => entries.iter().find(|(k, _)| name_is(src, k, key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this is the name `want`.
    fn is_name(&self, src: &[u8], want: &[u8]) -> bool {
        matches!(self.kind, Kind::Name) && name_is(src, &(self.span.start + 1..self.span.end), want)
    }
}

/// A cursor over the file that reads tokens and objects.
struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a [u8], pos: usize) -> Self {
        Lexer { src, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos.checked_add(ahead)?).copied()
    }

    fn error(&self, expected: &'static str) -> PackError {
        PackError::Syntax {
            offset: self.pos,
            expected,
        }
    }

    /// Skip white space only.
    fn skip_white(&mut self) {
        while self.peek().is_some_and(is_white) {
            self.pos += 1;
        }
    }

    /// Skip white space and comments (§7.2.3: a comment runs to the end of the line).
    fn skip_ws(&mut self) {
        loop {
            self.skip_white();
            if self.peek() != Some(b'%') {
                return;
            }
            while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                self.pos += 1;
            }
        }
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.src.get(self.pos..).is_some_and(|rest| rest.starts_with(s))
    }

    /// Read the keyword `kw` if it is next as a whole token.
    fn keyword(&mut self, kw: &[u8]) -> bool {
        let end = self.pos.saturating_add(kw.len());
        if self.starts_with(kw) && !self.src.get(end).copied().is_some_and(is_regular) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn expect_keyword(&mut self, kw: &[u8], expected: &'static str) -> Result<(), PackError> {
        self.skip_ws();
        if self.keyword(kw) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// An unsigned decimal integer token (no sign, no point), if one is next.
    fn unsigned(&mut self) -> Option<u64> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(is_regular) {
            self.pos = start;
            return None;
        }
        Some(value)
    }

    /// One object (§7.3), after white space and comments.
    fn value(&mut self, depth: usize) -> Result<Value, PackError> {
        self.skip_ws();
        let start = self.pos;
        let kind = match self.peek() {
            None => return Err(self.error("an object")),
            Some(b'/') => {
                self.pos += 1;
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                Kind::Name
            }
            Some(b'(') => {
                self.literal_string()?;
                Kind::String
            }
            Some(b'<') if self.peek_at(1) == Some(b'<') => self.dict(depth)?,
            Some(b'<') => {
                self.hex_string()?;
                Kind::String
            }
            Some(b'[') => self.array(depth)?,
            Some(b) if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') => self.number()?,
            Some(b) if is_regular(b) => {
                if self.keyword(b"null") {
                    Kind::Null
                } else if self.keyword(b"true") || self.keyword(b"false") {
                    Kind::Bool
                } else {
                    return Err(self.error("an object"));
                }
            }
            Some(_) => return Err(self.error("an object")),
        };
        Ok(Value {
            span: start..self.pos,
            kind,
        })
    }

    /// A number (§7.3.3), or an indirect reference `n g R` (§7.3.10) if one starts here.
    fn number(&mut self) -> Result<Kind, PackError> {
        let start = self.pos;
        let signed = matches!(self.peek(), Some(b'+' | b'-'));
        if signed {
            self.pos += 1;
        }
        let mut digits = 0;
        let mut point = false;
        while let Some(b) = self.peek() {
            if b.is_ascii_digit() {
                digits += 1;
            } else if b == b'.' && !point {
                point = true;
            } else {
                break;
            }
            self.pos += 1;
        }
        if digits == 0 || self.peek().is_some_and(is_regular) {
            self.pos = start;
            return Err(self.error("a number"));
        }
        if point {
            return Ok(Kind::Real);
        }
        let text = self
            .src
            .get(start..self.pos)
            .and_then(|t| std::str::from_utf8(t).ok())
            .unwrap_or_default();
        let n: i64 = text.parse().map_err(|_| PackError::Syntax {
            offset: start,
            expected: "an integer that fits 64 bits",
        })?;
        if !signed {
            let after = self.pos;
            self.skip_ws();
            if let Some(generation) = self.unsigned() {
                self.skip_ws();
                if self.keyword(b"R") {
                    if u32::try_from(n).is_err() || u16::try_from(generation).is_err() {
                        return Err(PackError::Syntax {
                            offset: start,
                            expected: "an object number and generation in range",
                        });
                    }
                    return Ok(Kind::Ref);
                }
            }
            self.pos = after;
        }
        Ok(Kind::Int(n))
    }

    /// A literal string (§7.3.4.2): balanced parentheses; a backslash escapes the next byte.
    fn literal_string(&mut self) -> Result<(), PackError> {
        let start = self.pos;
        let mut open = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => open += 1,
                b')' => {
                    open -= 1;
                    if open == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        self.pos = start;
        Err(self.error("a closed string"))
    }

    /// A hexadecimal string (§7.3.4.3): hex digits and white space up to `>`.
    fn hex_string(&mut self) -> Result<(), PackError> {
        self.pos += 1;
        loop {
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b) if b.is_ascii_hexdigit() || is_white(b) => self.pos += 1,
                _ => return Err(self.error("a hex digit or `>`")),
            }
        }
    }

    /// An array (§7.3.6).
    fn array(&mut self, depth: usize) -> Result<Kind, PackError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("less nesting"));
        }
        self.pos += 1;
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Kind::Array);
            }
            self.value(depth + 1)?;
        }
    }

    /// A dictionary (§7.3.7): name keys and their values between `<<` and `>>`.
    fn dict(&mut self, depth: usize) -> Result<Kind, PackError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("less nesting"));
        }
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_ws();
            if self.starts_with(b">>") {
                self.pos += 2;
                return Ok(Kind::Dict(entries));
            }
            if self.peek() != Some(b'/') {
                return Err(self.error("a name key or `>>`"));
            }
            let key = self.value(depth + 1)?;
            let value = self.value(depth + 1)?;
            entries.push((key.span.start + 1..key.span.end, value));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file (§7.5: header, body, cross-reference table, trailer)

/// An indirect object of the body (§7.3.10).
#[derive(Debug)]
struct Object {
    num: u32,
    generation: u16,
    /// From the object number to the end of `endobj`.
    span: Range<usize>,
    /// The object's value (for a stream, its dictionary).
    value: Value,
    stream: Option<StreamData>,
}

/// Where a stream's data and its `/Length` value are.
#[derive(Debug)]
struct StreamData {
    data: Range<usize>,
    length: Range<usize>,
}

/// An entry of the cross-reference table (§7.5.4).
#[derive(Debug, Clone, Copy)]
struct XrefEntry {
    /// Byte offset of an object in use; next free object number of a free one.
    offset: u64,
    generation: u16,
    in_use: bool,
}

/// A parsed file.
#[derive(Debug)]
struct File {
    /// The header line, binary comment and anything else before the first object.
    header: Range<usize>,
    objects: Vec<Object>,
    xref: BTreeMap<u32, XrefEntry>,
    /// The trailer's `/Size`.
    size: u32,
    /// Trailer entries copied into the cross-reference stream: `/Root`, `/Info`, `/ID`.
    trailer: Vec<(&'static str, Range<usize>)>,
}

/// Read the header (§7.5.2): `%PDF-1.5` or later.
fn header_version(src: &[u8]) -> Result<(), PackError> {
    let rest = src.strip_prefix(b"%PDF-").ok_or(PackError::Header)?;
    let end = rest
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .ok_or(PackError::Header)?;
    let version = rest
        .get(..end)
        .and_then(|v| std::str::from_utf8(v).ok())
        .ok_or(PackError::Header)?
        .trim_end();
    let (major, minor) = version.split_once('.').ok_or(PackError::Header)?;
    let (Ok(major), Ok(minor)) = (major.parse::<u32>(), minor.parse::<u32>()) else {
        return Err(PackError::Header);
    };
    if (major, minor) < (1, 5) {
        return Err(PackError::Version(version.to_string()));
    }
    Ok(())
}

fn parse_file(src: &[u8]) -> Result<File, PackError> {
    header_version(src)?;
    let mut lx = Lexer::new(src, 0);
    // The header line and the binary comment are comments to the tokenizer.
    lx.skip_ws();
    let header = 0..lx.pos;
    let mut objects = Vec::new();
    let mut seen = BTreeMap::new();
    loop {
        lx.skip_ws();
        let start = lx.pos;
        if lx.keyword(b"xref") {
            break;
        }
        let object = parse_object(&mut lx)?;
        if object.stream.is_some()
            && object
                .value
                .get(src, b"Type")
                .is_some_and(|t| t.is_name(src, b"ObjStm") || t.is_name(src, b"XRef"))
        {
            return Err(PackError::Unsupported("a file with object or cross-reference streams"));
        }
        if object.num == 0 || seen.insert(object.num, start).is_some() {
            return Err(PackError::Xref { object: object.num });
        }
        objects.push(object);
    }
    let xref_offset = lx.pos - b"xref".len();
    let xref = parse_xref_table(&mut lx)?;
    // The trailer (§7.5.5).
    let trailer_value = lx.value(0)?;
    if !matches!(trailer_value.kind, Kind::Dict(_)) {
        return Err(PackError::Syntax {
            offset: trailer_value.span.start,
            expected: "the trailer dictionary",
        });
    }
    lx.expect_keyword(b"startxref", "`startxref`")?;
    lx.skip_ws();
    let at = lx.pos;
    if lx.unsigned() != Some(xref_offset as u64) {
        return Err(PackError::Syntax {
            offset: at,
            expected: "the offset of `xref`",
        });
    }
    lx.skip_white();
    if !lx.starts_with(b"%%EOF") {
        return Err(lx.error("`%%EOF`"));
    }
    lx.pos += b"%%EOF".len();
    lx.skip_white();
    if lx.pos < src.len() {
        return Err(PackError::Unsupported("data after %%EOF (an incremental update)"));
    }

    // Every object is where the table says, and the table lists nothing else in use.
    for o in &objects {
        match xref.get(&o.num) {
            Some(e) if e.in_use && e.offset == o.span.start as u64 && e.generation == o.generation => {}
            _ => return Err(PackError::Xref { object: o.num }),
        }
    }
    if let Some((&num, _)) = xref.iter().find(|(n, e)| e.in_use && !seen.contains_key(n)) {
        return Err(PackError::Xref { object: num });
    }
    if xref.get(&0).is_none_or(|e| e.in_use) {
        return Err(PackError::Xref { object: 0 });
    }

    let mut trailer = Vec::new();
    let mut size = None;
    if let Kind::Dict(entries) = &trailer_value.kind {
        for (key, value) in entries {
            let Some(name) = ["Size", "Root", "Info", "ID", "Prev", "Encrypt", "XRefStm"]
                .into_iter()
                .find(|n| name_is(src, key, n.as_bytes()))
            else {
                return Err(PackError::Unsupported("a trailer key other than /Size /Root /Info /ID"));
            };
            match (name, &value.kind) {
                ("Size", Kind::Int(n)) if size.is_none() => size = Some(u32::try_from(*n).unwrap_or(u32::MAX)),
                ("Root" | "Info" | "ID", _) if trailer.iter().all(|(n, _)| *n != name) => {
                    trailer.push((name, value.span.clone()));
                }
                ("Prev", _) => return Err(PackError::Unsupported("an incremental update (/Prev)")),
                ("Encrypt", _) => return Err(PackError::Unsupported("encryption")),
                ("XRefStm", _) => return Err(PackError::Unsupported("a hybrid-reference file (/XRefStm)")),
                _ => {
                    return Err(PackError::Syntax {
                        offset: value.span.start,
                        expected: "one /Size (an integer), /Root, /Info and /ID each",
                    });
                }
            }
        }
    }
    // /Size is one more than the highest object number (§7.5.5, Table 15), and at most the limit
    // of indirect objects (Annex C, Table C.1), which also bounds the cross-reference stream.
    let last = xref.keys().next_back().copied().unwrap_or(0);
    let size = size
        .filter(|&s| Some(s) == last.checked_add(1) && s < u32::MAX)
        .ok_or(PackError::Syntax {
            offset: trailer_value.span.start,
            expected: "a trailer /Size one above the highest object number",
        })?;
    if size > MAX_OBJECTS {
        return Err(PackError::Unsupported("more than 8,388,607 objects"));
    }
    if !trailer.iter().any(|(n, _)| *n == "Root") {
        return Err(PackError::Syntax {
            offset: trailer_value.span.start,
            expected: "a trailer /Root",
        });
    }
    Ok(File {
        header,
        objects,
        xref,
        size,
        trailer,
    })
}

/// `n g obj … endobj`, with stream data if the value is a stream dictionary (§7.3.8).
fn parse_object(lx: &mut Lexer<'_>) -> Result<Object, PackError> {
    let start = lx.pos;
    let num = lx.unsigned().ok_or_else(|| lx.error("an object number or `xref`"))?;
    lx.skip_ws();
    let generation = lx.unsigned().ok_or_else(|| lx.error("a generation number"))?;
    lx.expect_keyword(b"obj", "`obj`")?;
    let (Ok(num), Ok(generation)) = (u32::try_from(num), u16::try_from(generation)) else {
        return Err(PackError::Syntax {
            offset: start,
            expected: "an object number and generation in range",
        });
    };
    let value = lx.value(0)?;
    lx.skip_ws();
    let stream = if lx.keyword(b"stream") {
        Some(parse_stream_data(lx, num, &value)?)
    } else {
        None
    };
    lx.expect_keyword(b"endobj", "`endobj`")?;
    Ok(Object {
        num,
        generation,
        span: start..lx.pos,
        value,
        stream,
    })
}

/// The data of a stream whose keyword `stream` was just read (§7.3.8.1): an end of line (CRLF or
/// LF), `/Length` bytes, an optional end of line and `endstream`.
fn parse_stream_data(lx: &mut Lexer<'_>, object: u32, dict: &Value) -> Result<StreamData, PackError> {
    if !matches!(dict.kind, Kind::Dict(_)) {
        return Err(PackError::Syntax {
            offset: dict.span.start,
            expected: "a dictionary before `stream`",
        });
    }
    let src = lx.src;
    let length = dict.get(src, b"Length").ok_or(PackError::Length { object })?;
    let Kind::Int(n) = length.kind else {
        return Err(PackError::Length { object });
    };
    if lx.starts_with(b"\r\n") {
        lx.pos += 2;
    } else if lx.peek() == Some(b'\n') {
        lx.pos += 1;
    } else {
        return Err(lx.error("an end of line after `stream`"));
    }
    let start = lx.pos;
    let end = usize::try_from(n)
        .ok()
        .and_then(|n| start.checked_add(n))
        .filter(|&end| end <= src.len())
        .ok_or(PackError::Length { object })?;
    lx.pos = end;
    lx.skip_white();
    if !lx.keyword(b"endstream") {
        return Err(PackError::StreamEnd { object });
    }
    Ok(StreamData {
        data: start..end,
        length: length.span.clone(),
    })
}

/// `xref` (just read) and its subsections up to `trailer` (§7.5.4): a line `first count`, then
/// `count` entries of `oooooooooo ggggg n` (or `f`) and a two-byte end of line.
fn parse_xref_table(lx: &mut Lexer<'_>) -> Result<BTreeMap<u32, XrefEntry>, PackError> {
    let mut table = BTreeMap::new();
    loop {
        lx.skip_ws();
        if lx.keyword(b"trailer") {
            return Ok(table);
        }
        let first = lx.unsigned().ok_or_else(|| lx.error("a subsection or `trailer`"))?;
        lx.skip_white();
        let count = lx.unsigned().ok_or_else(|| lx.error("a subsection's entry count"))?;
        for i in 0..count {
            lx.skip_white();
            let entry_start = lx.pos;
            let entry = lx
                .src
                .get(lx.pos..lx.pos.saturating_add(18))
                .ok_or_else(|| lx.error("a cross-reference entry"))?;
            let digits = |r: Range<usize>| -> Option<u64> {
                let t = entry.get(r)?;
                if !t.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                std::str::from_utf8(t).ok()?.parse().ok()
            };
            let (Some(offset), Some(generation), Some(b' '), Some(b' '), Some(&kind)) = (
                digits(0..10),
                digits(11..16),
                entry.get(10).copied(),
                entry.get(16).copied(),
                entry.get(17),
            ) else {
                return Err(lx.error("a cross-reference entry"));
            };
            let in_use = match kind {
                b'n' => true,
                b'f' => false,
                _ => return Err(lx.error("`n` or `f`")),
            };
            let num = first
                .checked_add(i)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(PackError::Syntax {
                    offset: entry_start,
                    expected: "an object number in range",
                })?;
            let generation = u16::try_from(generation).map_err(|_| lx.error("a generation number"))?;
            lx.pos += 18;
            if lx.peek().is_some_and(is_regular) {
                return Err(lx.error("the end of a cross-reference entry"));
            }
            let entry = XrefEntry {
                offset,
                generation,
                in_use,
            };
            if table.insert(num, entry).is_some() {
                return Err(PackError::Xref { object: num });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Where an object ends up: the cross-reference stream's entry types (§7.5.8.3, Table 18).
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// Type 0: a free object, with the next free object number and the generation to reuse.
    Free(u64, u64),
    /// Type 1: an object at a byte offset, with its generation.
    At(u64, u64),
    /// Type 2: the object stream's number and the index within it.
    InStream(u64, u64),
}

/// A slice of the input by a range the parser produced (always in bounds; checked anyway).
fn bytes(src: &[u8], range: Range<usize>) -> Result<&[u8], PackError> {
    let offset = range.start;
    src.get(range).ok_or(PackError::Syntax {
        offset,
        expected: "bytes inside the file",
    })
}

/// Whether a stream is to be compressed: it has no filter of its own and is not XMP metadata.
fn compressible(src: &[u8], dict: &Value) -> bool {
    let filtered = ["Filter", "DecodeParms", "F", "FFilter", "FDecodeParms"]
        .iter()
        .any(|k| dict.get(src, k.as_bytes()).is_some());
    let metadata = dict.get(src, b"Type").is_some_and(|t| t.is_name(src, b"Metadata"));
    !filtered && !metadata
}

fn write_packed(src: &[u8], file: &File) -> Result<Vec<u8>, PackError> {
    // Objects for object streams, in number order; the first object stream is numbered after the
    // file's last object, the cross-reference stream after the last object stream.
    let mut loose: Vec<&Object> = file
        .objects
        .iter()
        .filter(|o| o.stream.is_none() && o.generation == 0)
        .collect();
    loose.sort_by_key(|o| o.num);
    let groups: Vec<&[&Object]> = loose.chunks(PER_OBJECT_STREAM).collect();
    let group_count = u32::try_from(groups.len()).map_err(|_| PackError::Unsupported("that many objects"))?;
    let first_stream_num = file.size;
    let xref_num = first_stream_num
        .checked_add(group_count)
        .filter(|n| *n < u32::MAX)
        .ok_or(PackError::Unsupported("that many objects"))?;

    // Object streams (§7.5.7): `n1 off1 n2 off2 …`, then the objects, offsets counted from /First.
    let mut bodies = Vec::with_capacity(groups.len());
    for group in &groups {
        let mut index = String::new();
        let mut objects = Vec::new();
        for o in group.iter() {
            index.push_str(&format!("{} {} ", o.num, objects.len()));
            objects.extend_from_slice(bytes(src, o.value.span.clone())?);
            objects.push(b'\n');
        }
        let mut body = index.trim_end().as_bytes().to_vec();
        body.push(b'\n');
        let first = body.len();
        body.extend_from_slice(&objects);
        bodies.push((group.len(), first, body));
    }

    // Everything to compress, at once: unfiltered streams in file order, then object streams.
    let streams: Vec<(&Object, &StreamData)> = file
        .objects
        .iter()
        .filter_map(|o| o.stream.as_ref().map(|s| (o, s)))
        .filter(|(o, _)| compressible(src, &o.value))
        .collect();
    let mut inputs = Vec::with_capacity(streams.len() + bodies.len());
    for (_, s) in &streams {
        inputs.push(bytes(src, s.data.clone())?);
    }
    inputs.extend(bodies.iter().map(|(_, _, b)| b.as_slice()));
    let mut compressed = compress_all(&inputs)?.into_iter();
    let mut packed_streams = BTreeMap::new();
    for (o, _) in &streams {
        packed_streams.insert(o.num, compressed.next());
    }

    let mut out = Vec::with_capacity(src.len());
    out.extend_from_slice(bytes(src, file.header.clone())?);
    let mut entries: BTreeMap<u32, Entry> = file
        .xref
        .iter()
        .filter(|(_, e)| !e.in_use)
        .map(|(&n, e)| (n, Entry::Free(e.offset, u64::from(e.generation))))
        .collect();
    for o in &file.objects {
        match (&o.stream, packed_streams.get(&o.num)) {
            (None, _) if o.generation == 0 => continue,
            (Some(s), Some(Some(data))) if data.len() < s.data.len() => {
                entries.insert(o.num, Entry::At(out.len() as u64, u64::from(o.generation)));
                write_compressed_stream(&mut out, src, o, s, &o.value, data)?;
            }
            _ => {
                entries.insert(o.num, Entry::At(out.len() as u64, u64::from(o.generation)));
                out.extend_from_slice(bytes(src, o.span.clone())?);
            }
        }
        out.push(b'\n');
    }
    for (k, ((count, first, body), group)) in bodies.iter().zip(&groups).enumerate() {
        let num = first_stream_num + k as u32;
        for (index, o) in group.iter().enumerate() {
            entries.insert(o.num, Entry::InStream(u64::from(num), index as u64));
        }
        entries.insert(num, Entry::At(out.len() as u64, 0));
        let data = compressed.next().ok_or(PackError::Compress("missing output".into()))?;
        let (data, filter) = if data.len() < body.len() {
            (data.as_slice(), "/Filter/FlateDecode")
        } else {
            (body.as_slice(), "")
        };
        out.extend_from_slice(
            format!(
                "{num} 0 obj\n<</Type/ObjStm/N {count}/First {first}/Length {}{filter}>>\nstream\n",
                data.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    write_xref_stream(&mut out, src, file, xref_num, entries)?;
    Ok(out)
}

/// A stream object with its data compressed: the object's text with the new `/Length` and
/// `/Filter /FlateDecode` added before the dictionary's `>>` (§7.3.8.2).
fn write_compressed_stream(
    out: &mut Vec<u8>,
    src: &[u8],
    o: &Object,
    s: &StreamData,
    dict: &Value,
    data: &[u8],
) -> Result<(), PackError> {
    let close = dict.span.end.saturating_sub(2);
    out.extend_from_slice(bytes(src, o.span.start..s.length.start)?);
    out.extend_from_slice(data.len().to_string().as_bytes());
    out.extend_from_slice(bytes(src, s.length.end..close)?);
    // In the dictionary's own style: pdf-writer's pretty one entry per line, or its compact one.
    if close.checked_sub(1).and_then(|i| src.get(i)) == Some(&b'\n') {
        out.extend_from_slice(b"  /Filter /FlateDecode\n");
    } else {
        out.extend_from_slice(b"/Filter/FlateDecode");
    }
    out.extend_from_slice(bytes(src, close..s.data.start)?);
    out.extend_from_slice(data);
    out.extend_from_slice(bytes(src, s.data.end..o.span.end)?);
    Ok(())
}

/// Bytes a field needs for `max` (at least one).
fn width(max: u64) -> usize {
    (((u64::BITS - max.leading_zeros()) as usize).div_ceil(8)).max(1)
}

/// The cross-reference stream (§7.5.8) as the file's last object, and `startxref` (§7.5.5).
fn write_xref_stream(
    out: &mut Vec<u8>,
    src: &[u8],
    file: &File,
    num: u32,
    mut entries: BTreeMap<u32, Entry>,
) -> Result<(), PackError> {
    let offset = out.len() as u64;
    entries.insert(num, Entry::At(offset, 0));
    let size = num + 1;
    let fields = |e: &Entry| match *e {
        Entry::Free(next, generation) => (0u8, next, generation),
        Entry::At(offset, generation) => (1, offset, generation),
        Entry::InStream(stream, index) => (2, stream, index),
    };
    let (w2, w3) = entries
        .values()
        .map(fields)
        .fold((1, 1), |(w2, w3), (_, f2, f3)| (width(f2).max(w2), width(f3).max(w3)));
    // Object numbers without an entry (none in pdf-writer's tables) are free (§7.5.8.3).
    let mut data = Vec::with_capacity(size as usize * (1 + w2 + w3));
    for n in 0..size {
        let (kind, f2, f3) = entries.get(&n).map_or((0, 0, 0), fields);
        data.push(kind);
        data.extend_from_slice(f2.to_be_bytes().get(8 - w2..).unwrap_or_default());
        data.extend_from_slice(f3.to_be_bytes().get(8 - w3..).unwrap_or_default());
    }
    let compressed = compress(&data)?;
    out.extend_from_slice(format!("{num} 0 obj\n<</Type/XRef/Size {size}/W[1 {w2} {w3}]").as_bytes());
    // The trailer's entries, as written (§7.5.8.2: the stream dictionary holds them).
    for (name, value) in &file.trailer {
        out.extend_from_slice(format!("/{name} ").as_bytes());
        out.extend_from_slice(bytes(src, value.clone())?);
    }
    out.extend_from_slice(format!("/Length {}/Filter/FlateDecode>>\nstream\n", compressed.len()).as_bytes());
    out.extend_from_slice(&compressed);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n").as_bytes());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Compression (RFC 1950 zlib wrapper around RFC 1951 deflate)

/// The Adler-32 checksum of `data` (RFC 1950 §8.2).
fn adler32(data: &[u8]) -> u32 {
    const BASE: u32 = 65521;
    // The most bytes before `b` can overflow 32 bits (zlib's NMAX).
    const NMAX: usize = 5552;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(NMAX) {
        for &byte in block {
            a += u32::from(byte);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    (b << 16) | a
}

/// The two header bytes of a zlib stream (RFC 1950 §2.2): deflate with a 32 KiB window, the
/// level class of `level`, and the check bits that make the pair a multiple of 31.
pub(crate) fn zlib_header(level: u32) -> [u8; 2] {
    const CMF: u16 = 0x78;
    let flevel: u16 = match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    };
    let flg = flevel << 6;
    let check = (31 - (CMF * 256 + flg) % 31) % 31;
    [CMF as u8, (flg + check) as u8]
}

/// Compress one stream's data, serially (small inputs such as the cross-reference stream).
fn compress(data: &[u8]) -> Result<Vec<u8>, PackError> {
    compress_all(&[data])?
        .pop()
        .ok_or(PackError::Compress("missing output".into()))
}

/// `data` as one zlib stream at [`LEVEL`], made by libdeflate, which compresses a buffer in one
/// piece: at level 6 it took 3.7 ms for the sample's 276 KB Song subset where zlib-rs took
/// 5.7 ms, for a result 107 bytes smaller (docs/scale.md, "Deflating"). `None` only if
/// libdeflate refused, which its own size bound rules out.
pub(crate) fn zlib_whole(data: &[u8]) -> Option<Vec<u8>> {
    let level = libdeflater::CompressionLvl::new(LEVEL as i32).ok()?;
    let mut compressor = libdeflater::Compressor::new(level);
    let mut out = vec![0; compressor.zlib_compress_bound(data.len())];
    let n = compressor.zlib_compress(data, &mut out).ok()?;
    out.truncate(n);
    Some(out)
}

/// Compress every input into a zlib stream, all of them at once; an input longer than [`CHUNK`]
/// in chunks on all threads (zlib-rs: each chunk primed with the window before it and ended
/// with a sync flush, so that they join into one stream), a shorter one whole by libdeflate.
/// The output is the same for any number of threads.
fn compress_all(inputs: &[&[u8]]) -> Result<Vec<Vec<u8>>, PackError> {
    let long = |data: &[u8]| data.len() > CHUNK;
    let longs: Vec<&[u8]> = inputs.iter().copied().filter(|d| long(d)).collect();
    let (wholes, chunked) = rayon::join(
        || {
            inputs
                .par_iter()
                .map(|data| if long(data) { None } else { zlib_whole(data) })
                .collect::<Vec<_>>()
        },
        || compress_chunked(&longs),
    );
    let mut chunked = chunked?.into_iter();
    let mut out = Vec::with_capacity(inputs.len());
    for (data, whole) in inputs.iter().zip(wholes) {
        let packed = match whole {
            Some(w) => Some(w),
            None if long(data) => chunked.next(),
            // libdeflate refused (its own bound rules that out): zlib-rs instead.
            None => compress_chunked(&[data])?.pop(),
        };
        out.push(packed.ok_or(PackError::Compress("missing output".into()))?);
    }
    Ok(out)
}

/// Compress every input into a zlib stream in chunks on all threads; the output is the same for
/// any number of threads.
fn compress_chunked(inputs: &[&[u8]]) -> Result<Vec<Vec<u8>>, PackError> {
    // (input, chunk index): chunk k covers data[k * CHUNK ..][.. CHUNK]; an empty input has one.
    let pieces: Vec<(usize, &[u8], usize)> = inputs
        .iter()
        .enumerate()
        .flat_map(|(i, data)| (0..data.len().div_ceil(CHUNK).max(1)).map(move |k| (i, *data, k)))
        .collect();
    let (deflated, sums) = rayon::join(
        || {
            pieces
                .par_iter()
                .map(|&(_, data, k)| deflate_chunk(data, k))
                .collect::<Result<Vec<_>, _>>()
        },
        || inputs.par_iter().map(|d| adler32(d)).collect::<Vec<_>>(),
    );
    let mut out: Vec<Vec<u8>> = inputs
        .iter()
        .map(|d| {
            let mut v = Vec::with_capacity(d.len() / 2 + 16);
            v.extend_from_slice(&zlib_header(LEVEL));
            v
        })
        .collect();
    for ((i, _, _), chunk) in pieces.iter().zip(deflated?) {
        if let Some(o) = out.get_mut(*i) {
            o.extend_from_slice(&chunk);
        }
    }
    for (o, sum) in out.iter_mut().zip(sums) {
        o.extend_from_slice(&sum.to_be_bytes());
    }
    Ok(out)
}

/// Raw deflate of chunk `k` of `data`, primed with the window before it; every chunk but the
/// last ends with a sync flush (an empty stored block, RFC 1951 §3.2.4) so that the next one can
/// follow on a byte boundary, the last one with the final block.
fn deflate_chunk(data: &[u8], k: usize) -> Result<Vec<u8>, PackError> {
    let start = k.saturating_mul(CHUNK).min(data.len());
    let end = start.saturating_add(CHUNK).min(data.len());
    let last = end == data.len();
    let input = data.get(start..end).unwrap_or_default();
    let dictionary = data.get(start.saturating_sub(WINDOW)..start).unwrap_or_default();
    let failed = |e: flate2::CompressError| PackError::Compress(e.to_string());
    let mut c = Compress::new(Compression::new(LEVEL), false);
    if !dictionary.is_empty() {
        c.set_dictionary(dictionary).map_err(failed)?;
    }
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let (in0, mut out) = (c.total_in(), Vec::with_capacity(input.len() / 2 + 64));
    loop {
        if out.capacity() - out.len() < 256 {
            out.reserve(out.capacity().max(4096));
        }
        let consumed = usize::try_from(c.total_in() - in0).unwrap_or(usize::MAX);
        let before = (c.total_in(), c.total_out());
        let status = c
            .compress_vec(input.get(consumed..).unwrap_or_default(), &mut out, flush)
            .map_err(failed)?;
        let all_in = c.total_in() - in0 == input.len() as u64;
        let stuck = before == (c.total_in(), c.total_out());
        match status {
            Status::StreamEnd => return Ok(out),
            // A sync flush is done when all input is in and the output did not fill up (or there
            // was nothing left to flush).
            _ if !last && all_in && (out.len() < out.capacity() || stuck) => return Ok(out),
            Status::BufError if stuck => {
                return Err(PackError::Compress("the compressor made no progress".into()));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::path::Path;
    use std::sync::OnceLock;

    use crate::render::pdf::{PdfOptions, render_unpacked};

    /// The sample issue's PDF as `render_pdf` has it before packing, plain or PDF/A-2u: every
    /// stream but the JPEG unfiltered.
    fn sample(pdfa: bool) -> &'static [u8] {
        static PLAIN: OnceLock<Vec<u8>> = OnceLock::new();
        static PDFA: OnceLock<Vec<u8>> = OnceLock::new();
        let cell = if pdfa { &PDFA } else { &PLAIN };
        cell.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let input = root.join("input");
            let src = std::fs::read_to_string(input.join("shifanqu-2020-12-28.zb")).expect("sample");
            let parsed = crate::markup::parse(&src, crate::markup::ParseOptions { base_dir: Some(&input) });
            let layout = crate::layout::spec::Layout::load("tabloid", &root.join("fonts")).expect("layout");
            let book = layout.font_book().expect("fonts");
            let media = crate::media::load_media(&parsed.bulletin, &input, &crate::media::LoadOptions::default())
                .expect("photos");
            let pages = crate::layout::flow::layout_pages(&parsed.bulletin, &media, &layout.spec, &book)
                .map_err(|e| e.message)
                .expect("layout");
            let options = PdfOptions { marks: false, pdfa };
            render_unpacked(&parsed.bulletin, &pages, &book, &media, &layout.spec, &options).expect("pdf")
        })
    }

    /// A stream object's text in pdf-writer's compact style.
    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut v = format!("<<{dict}/Length {}>>\nstream\n", data.len()).into_bytes();
        v.extend_from_slice(data);
        v.extend_from_slice(b"\nendstream");
        v
    }

    /// A PDF laid out as pdf-writer does, from object bodies (`n g obj` and `endobj` added); the
    /// numbers missing between them are free in the cross-reference table.
    fn build(objects: &[(u32, u16, Vec<u8>)], trailer: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = BTreeMap::new();
        for (n, g, body) in objects {
            offsets.insert(*n, (out.len(), *g));
            out.extend_from_slice(format!("{n} {g} obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n% a comment between objects\n");
        }
        let size = offsets.keys().max().copied().unwrap_or(0) + 1;
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
        for n in 0..size {
            let line = match offsets.get(&n) {
                Some((o, g)) => format!("{o:010} {g:05} n\r\n"),
                None => format!("0000000000 {:05} f\r\n", if n == 0 { 65535 } else { 0 }),
            };
            out.extend_from_slice(line.as_bytes());
        }
        out.extend_from_slice(format!("trailer\n<</Size {size}{trailer}>>\nstartxref\n{xref}\n%%EOF").as_bytes());
        out
    }

    /// Text that compresses about as well as content streams do, `len` bytes of it.
    fn text(len: usize, seed: u32) -> Vec<u8> {
        let words: [&[u8]; 8] = [
            b"BT ",
            b"/F1 9 Tf ",
            b"12.5 Tw ",
            b"<0A3F>Tj ",
            b"ET\n",
            b"q 1 0 0 1 ",
            b"cm ",
            b"Q\n",
        ];
        let mut state = seed;
        let mut out = Vec::with_capacity(len + 16);
        while out.len() < len {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            out.extend_from_slice(words[(state >> 16) as usize % words.len()]);
            out.extend_from_slice((state % 1000).to_string().as_bytes());
            out.push(b' ');
        }
        out.truncate(len);
        out
    }

    /// Every corner of the syntax pdf-writer and the tokenizer meet, and a stream long enough to
    /// be compressed in three chunks.
    fn tricky() -> Vec<u8> {
        let mut binary: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        binary.extend_from_slice(b"\nendstream\nendobj\nxref\ntrailer\n%%EOF\n(");
        let mut pretty = format!("<<\n  /Length {}\n>>\nstream\n", 2 * CHUNK + 1000).into_bytes();
        pretty.extend_from_slice(&text(2 * CHUNK + 1000, 7));
        pretty.extend_from_slice(b"\nendstream");
        build(
            &[
                (1, 0, b"<</Type/Catalog/Pages 2 0 R/Metadata 8 0 R>>".to_vec()),
                (2, 0, b"<<\n  /Type /Pages\n  /Kids []\n  /Count 0\n>>".to_vec()),
                (
                    3,
                    0,
                    b"(a (nested (string)) with \\) endobj stream \\\\ and \\053)".to_vec(),
                ),
                (4, 0, stream("/Subtype/Binary", &binary)),
                (
                    5,
                    0,
                    b"[<48 65 6c 6C6F> /Name#20x 1.5 -3 +4 .5 true false null [[]] <<>> 6 1 R % a ] comment\n]"
                        .to_vec(),
                ),
                (6, 1, b"42".to_vec()),
                (
                    8,
                    0,
                    stream("/Type/Metadata/Subtype/XML", b"<x:xmpmeta pdfaid:part='2'/>"),
                ),
                (9, 0, stream("", b"")),
                (10, 0, stream("/Filter/ASCIIHexDecode", b"48656C6C6F>")),
                (11, 0, pretty),
                (12, 1, stream("", &text(5000, 3))),
                (13, 0, b"<</Le#6Egth 12/Kids[1 0 R 2 0 R]>>".to_vec()),
                // `stream` may end its line with CRLF (§7.3.8.1), and the data with one.
                (
                    14,
                    0,
                    b"<</Length 35>>\nstream\r\nhello hello hello hello hello hello\r\nendstream".to_vec(),
                ),
            ],
            "/Root 1 0 R/Info 13 0 R/ID[<0123><4567>]",
        )
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("a valid zlib stream");
        out
    }

    fn int(src: &[u8], dict: &Value, key: &[u8]) -> usize {
        match dict.get(src, key).map(|v| &v.kind) {
            Some(Kind::Int(n)) => usize::try_from(*n).expect("non-negative"),
            other => panic!("{}: {other:?}", String::from_utf8_lossy(key)),
        }
    }

    /// The integers of a text such as `[1 3 2]` or an object stream's index.
    fn numbers(text: &[u8]) -> Vec<usize> {
        String::from_utf8_lossy(text)
            .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().expect("a number"))
            .collect()
    }

    fn dict_of(text: &[u8]) -> Value {
        Lexer::new(text, 0).value(0).expect("a dictionary")
    }

    /// A dictionary's entries as (decoded key, value text), without `/Length`.
    fn entries(text: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let Kind::Dict(entries) = dict_of(text).kind else {
            panic!("not a dictionary")
        };
        entries
            .iter()
            .filter(|(k, _)| !name_is(text, k, b"Length"))
            .map(|(k, v)| (text[k.clone()].to_vec(), text[v.span.clone()].to_vec()))
            .collect()
    }

    /// One object read back from a packed file.
    #[derive(Debug)]
    struct ReadBack {
        generation: u16,
        /// The value's text (a stream's dictionary).
        text: Vec<u8>,
        /// A stream's data as stored.
        data: Option<Vec<u8>>,
    }

    /// Every object of a packed file, found through its cross-reference stream (and object
    /// streams) alone, and the cross-reference stream's dictionary.
    fn read_packed(pdf: &[u8]) -> (BTreeMap<u32, ReadBack>, Vec<u8>) {
        let at = pdf.windows(9).rposition(|w| w == b"startxref").expect("startxref");
        let mut lx = Lexer::new(pdf, at + 9);
        lx.skip_ws();
        let offset = lx.unsigned().expect("offset") as usize;
        let xref = parse_object(&mut Lexer::new(pdf, offset)).expect("the xref stream");
        let dict = &xref.value;
        assert!(dict.get(pdf, b"Type").expect("/Type").is_name(pdf, b"XRef"));
        let w = numbers(&pdf[dict.get(pdf, b"W").expect("/W").span.clone()]);
        assert_eq!(w.len(), 3);
        let size = int(pdf, dict, b"Size");
        let rows = inflate(&pdf[xref.stream.as_ref().expect("a stream").data.clone()]);
        let row_len: usize = w.iter().sum();
        assert_eq!(rows.len(), size * row_len, "/Size rows of /W bytes");
        let mut objects = BTreeMap::new();
        let mut in_streams = Vec::new();
        for (n, row) in rows.chunks(row_len).enumerate() {
            let mut fields = [0u64; 3];
            let mut at = 0;
            for (f, &width) in fields.iter_mut().zip(&w) {
                *f = row[at..at + width].iter().fold(0, |v, &b| v << 8 | u64::from(b));
                at += width;
            }
            let n = n as u32;
            match fields[0] {
                0 => {}
                1 => {
                    let o = parse_object(&mut Lexer::new(pdf, fields[1] as usize)).expect("an object");
                    assert_eq!(
                        (o.num, u64::from(o.generation)),
                        (n, fields[2]),
                        "the object the entry names"
                    );
                    let data = o.stream.as_ref().map(|s| pdf[s.data.clone()].to_vec());
                    let text = pdf[o.value.span.clone()].to_vec();
                    objects.insert(
                        n,
                        ReadBack {
                            generation: o.generation,
                            text,
                            data,
                        },
                    );
                }
                2 => in_streams.push((n, fields[1] as u32, fields[2] as usize)),
                t => panic!("entry type {t}"),
            }
        }
        for (n, stream, index) in in_streams {
            let holder = &objects[&stream];
            let dict = dict_of(&holder.text);
            assert!(
                dict.get(&holder.text, b"Type")
                    .expect("/Type")
                    .is_name(&holder.text, b"ObjStm")
            );
            let first = int(&holder.text, &dict, b"First");
            let body = inflate(holder.data.as_ref().expect("stream data"));
            let index_numbers = numbers(&body[..first]);
            assert_eq!(index_numbers.len(), 2 * int(&holder.text, &dict, b"N"));
            assert_eq!(index_numbers[2 * index] as u32, n, "the object the entry names");
            let mut lx = Lexer::new(&body, first + index_numbers[2 * index + 1]);
            let value = lx.value(0).expect("an object");
            objects.insert(
                n,
                ReadBack {
                    generation: 0,
                    text: body[value.span].to_vec(),
                    data: None,
                },
            );
        }
        (objects, pdf[dict.span.clone()].to_vec())
    }

    /// Pack `original`, read the result back object by object and compare each with the original:
    /// the same text, streams with the same dictionary and data once decoded. Returns the packed
    /// file and how many streams it compressed.
    fn assert_round_trip(original: &[u8]) -> (Vec<u8>, usize) {
        let packed = pack(original).expect("packs");
        let before = parse_file(original).expect("parses");
        let (after, xref_dict) = read_packed(&packed);
        let mut compressed = 0;
        for o in &before.objects {
            let read = after.get(&o.num).unwrap_or_else(|| panic!("object {} is lost", o.num));
            assert_eq!(read.generation, o.generation, "object {}", o.num);
            let text = &original[o.value.span.clone()];
            let Some(s) = &o.stream else {
                assert_eq!(read.text, text, "object {}", o.num);
                assert!(read.data.is_none());
                continue;
            };
            let raw = &original[s.data.clone()];
            let data = read
                .data
                .as_ref()
                .unwrap_or_else(|| panic!("object {} is no stream", o.num));
            let dict = dict_of(&read.text);
            assert_eq!(int(&read.text, &dict, b"Length"), data.len(), "object {}", o.num);
            let mut got = entries(&read.text);
            let want = entries(text);
            if got.len() == want.len() + 1 && compressible(original, &o.value) {
                assert_eq!(got.pop(), Some((b"Filter".to_vec(), b"/FlateDecode".to_vec())));
                assert_eq!(inflate(data), raw, "object {}", o.num);
                assert!(data.len() < raw.len());
                compressed += 1;
            } else {
                assert_eq!(data, raw, "object {} is kept as it was", o.num);
                assert!(!compressible(original, &o.value) || raw.is_empty(), "object {}", o.num);
            }
            assert_eq!(got, want, "object {}: the dictionary's other entries", o.num);
        }
        // The other objects are the object streams and the cross-reference stream.
        for (n, read) in &after {
            if before.objects.iter().all(|o| o.num != *n) {
                let dict = dict_of(&read.text);
                let kind = dict.get(&read.text, b"Type").expect("/Type");
                assert!(kind.is_name(&read.text, b"ObjStm") || kind.is_name(&read.text, b"XRef"));
            }
        }
        // The trailer's entries moved into the cross-reference stream as they were.
        let xref = dict_of(&xref_dict);
        for (name, span) in &before.trailer {
            let value = xref.get(&xref_dict, name.as_bytes()).expect("trailer entry");
            assert_eq!(xref_dict[value.span.clone()], original[span.clone()], "/{name}");
        }
        assert_eq!(
            packed[..before.header.end],
            original[..before.header.end],
            "header kept"
        );
        (packed, compressed)
    }

    #[test]
    fn every_object_of_the_sample_comes_back() {
        for pdfa in [false, true] {
            let original = sample(pdfa);
            let (packed, compressed) = assert_round_trip(original);
            assert!(compressed >= 4, "content streams and CMaps: {compressed}");
            assert!(
                packed.len() * 10 < original.len() * 8,
                "{} → {}",
                original.len(),
                packed.len()
            );
            // Nothing is left as a plain top-level dictionary but the streams' own.
            let file = parse_file(original).expect("parses");
            let loose = file.objects.iter().filter(|o| o.stream.is_none()).count();
            assert!(loose > 50, "{loose}");
            let top_level = packed.windows(5).filter(|w| w == b" obj\n").count();
            let streams = file.objects.len() - loose;
            assert_eq!(top_level, streams + loose.div_ceil(PER_OBJECT_STREAM) + 1);
        }
    }

    #[test]
    fn metadata_stays_readable() {
        let packed = pack(sample(true)).expect("packs");
        let text = String::from_utf8_lossy(&packed);
        assert!(text.contains("pdfaid:part"), "the XMP packet is not compressed");
    }

    #[test]
    fn tricky_syntax_comes_back() {
        let original = tricky();
        let (packed, compressed) = assert_round_trip(&original);
        // 4 (binary), 11 (chunked), 12 (generation 1), 14 (CRLF): the XMP stream, the empty one
        // and the filtered one stay as they were.
        assert_eq!(compressed, 4);
        let (after, _) = read_packed(&packed);
        // Generation 1 objects stay top-level (§7.5.7); a name with `#` escapes is still `/Length`
        // in object 13, which is no stream and moves into an object stream untouched.
        assert!(packed.windows(10).any(|w| w == b"\n6 1 obj\n4"));
        assert_eq!(after[&13].text, b"<</Le#6Egth 12/Kids[1 0 R 2 0 R]>>");
    }

    #[test]
    fn chunks_join_into_one_zlib_stream() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let data = text(len, len as u32);
            let packed = compress(&data).expect("compresses");
            assert_eq!(inflate(&packed), data, "{len} bytes");
            // Priming each chunk with the window before it keeps chunking nearly free.
            let mut whole = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(LEVEL));
            std::io::Write::write_all(&mut whole, &data).expect("write");
            let whole = whole.finish().expect("finish");
            assert!(
                packed.len() <= whole.len() + whole.len() / 100 + 16,
                "{len}: {} vs {}",
                packed.len(),
                whole.len()
            );
            // zlib writes the same checksum.
            assert_eq!(packed[packed.len() - 4..], whole[whole.len() - 4..], "{len}: Adler-32");
        }
    }

    #[test]
    fn adler32_and_zlib_header() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        // Long runs of 0xFF overflow a sum that is not reduced often enough.
        let ff = vec![0xFF; 100_000];
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(1));
        std::io::Write::write_all(&mut z, &ff).expect("write");
        let z = z.finish().expect("finish");
        assert_eq!(adler32(&ff).to_be_bytes(), z[z.len() - 4..]);
        for level in 0..=9 {
            let [cmf, flg] = zlib_header(level);
            assert_eq!((u16::from(cmf) * 256 + u16::from(flg)) % 31, 0, "level {level}");
        }
        assert_eq!(zlib_header(6), [0x78, 0x9C]);
        assert_eq!(zlib_header(9), [0x78, 0xDA]);
    }

    #[test]
    fn same_bytes_on_any_number_of_threads() {
        let inputs = [sample(false).to_vec(), tricky()];
        for input in &inputs {
            let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
            let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().expect("pool");
            let a = one.install(|| pack(input)).expect("packs");
            let b = four.install(|| pack(input)).expect("packs");
            let c = pack(input).expect("packs");
            assert!(a == b && b == c, "packing depends on the threads");
        }
    }

    #[test]
    fn refuses_what_it_does_not_handle() {
        let ok = tricky();
        assert!(pack(&ok).is_ok());
        let packed = pack(&ok).expect("packs");
        assert!(matches!(pack(&packed), Err(PackError::Unsupported(_))), "packing twice");
        assert_eq!(pack(b""), Err(PackError::Header));
        assert_eq!(pack(b"hello"), Err(PackError::Header));
        let old = [b"%PDF-1.4".as_slice(), &ok[8..]].concat();
        assert_eq!(pack(&old), Err(PackError::Version("1.4".into())));
        let body = |b: &[u8]| {
            build(
                &[(1, 0, b"<</Type/Catalog>>".to_vec()), (2, 0, b.to_vec())],
                "/Root 1 0 R",
            )
        };
        assert!(pack(&body(b"<</Length 5>>\nstream\nhello\nendstream")).is_ok());
        assert_eq!(
            pack(&body(b"<</Length 3 0 R>>\nstream\nhello\nendstream")),
            Err(PackError::Length { object: 2 })
        );
        assert_eq!(
            pack(&body(b"<</Length 4>>\nstream\nhello\nendstream")),
            Err(PackError::StreamEnd { object: 2 })
        );
        assert_eq!(
            pack(&body(b"<</Length 99>>\nstream\nhello\nendstream")),
            Err(PackError::StreamEnd { object: 2 })
        );
        assert_eq!(
            pack(&body(b"<</Length 99999>>\nstream\nhello\nendstream")),
            Err(PackError::Length { object: 2 })
        );
        assert_eq!(
            pack(&body(b"<</Length -1>>\nstream\nhello\nendstream")),
            Err(PackError::Length { object: 2 })
        );
        assert_eq!(
            pack(&body(b"<</L 5>>\nstream\nhello\nendstream")),
            Err(PackError::Length { object: 2 })
        );
        assert!(matches!(
            pack(&body(b"<</Length 5>>\nstream hello\nendstream")),
            Err(PackError::Syntax { .. })
        ));
        let trailer = |t: &str| build(&[(1, 0, b"<</Type/Catalog>>".to_vec())], t);
        assert!(matches!(
            pack(&trailer("/Root 1 0 R/Encrypt 2 0 R")),
            Err(PackError::Unsupported(_))
        ));
        assert!(matches!(
            pack(&trailer("/Root 1 0 R/Prev 9")),
            Err(PackError::Unsupported(_))
        ));
        assert!(matches!(
            pack(&trailer("/Root 1 0 R/Foo 1")),
            Err(PackError::Unsupported(_))
        ));
        assert!(matches!(pack(&trailer("/Info 1 0 R")), Err(PackError::Syntax { .. })));
        // An object moved without its table entry, an incremental update, a deep nest.
        let at = ok.windows(7).position(|w| w == b"1 0 obj").expect("object 1");
        let line = format!("{at:010} 00000 n");
        let entry = ok
            .windows(18)
            .position(|w| w == line.as_bytes())
            .expect("object 1's entry");
        let mut moved = ok.clone();
        moved[entry + 9] += 1;
        assert_eq!(pack(&moved), Err(PackError::Xref { object: 1 }));
        let appended = [ok.as_slice(), b"\n1 0 obj\nnull\nendobj\n"].concat();
        assert!(matches!(pack(&appended), Err(PackError::Unsupported(_))));
        let deep = body(&[vec![b'['; 100_000], vec![b']'; 100_000]].concat());
        assert!(matches!(pack(&deep), Err(PackError::Syntax { .. })));
    }

    #[test]
    fn truncated_input_is_an_error() {
        let small = tricky();
        for len in (0..small.len()).step_by(97).chain(small.len() - 300..small.len()) {
            assert!(pack(&small[..len]).is_err(), "cut at {len}");
        }
        let big = sample(false);
        for len in (0..big.len()).step_by(4999).chain(big.len() - 100..big.len()) {
            assert!(pack(&big[..len]).is_err(), "cut at {len}");
        }
    }

    #[test]
    fn garbled_input_never_panics() {
        // Every byte of a small file outside its long stream, replaced by bytes that matter to
        // the tokenizer; the result may be a PDF or an error, never a panic.
        let small = build(
            &[
                (1, 0, b"<</Type/Catalog/Pages 2 0 R>>".to_vec()),
                (2, 0, b"[(a\\)b) <41> /N#41 -1.5 3 0 R <<>>]".to_vec()),
                (3, 0, stream("/Type/X", b"q Q")),
            ],
            "/Root 1 0 R/ID[<00><00>]",
        );
        let mut outcomes = [0usize; 2];
        for i in 0..small.len() {
            for b in [
                0u8, b'(', b')', b'<', b'>', b'[', b']', b'/', b'%', b'\\', b'9', b'\n', 0xFF,
            ] {
                let mut garbled = small.clone();
                garbled[i] = b;
                outcomes[usize::from(pack(&garbled).is_ok())] += 1;
            }
        }
        assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
        // The sample's dictionaries, a byte at a time in steps.
        let big = sample(false);
        for i in (0..big.len()).step_by(1013) {
            let mut garbled = big.to_vec();
            garbled[i] ^= 0x5A;
            let _ = pack(&garbled);
        }
    }
}
