//! The file's objects and how they are stored: each indirect object is written by pdf-writer into
//! a chunk of its own; streams stay at the top level, every other object goes into compressed
//! object streams (ISO 32000-1 §7.5.7), and a cross-reference stream (§7.5.8) ends the file.
//! Nothing written is read back: an object's place is known from the chunk it was written to.

use pdf_writer::{Chunk, Filter, Name, Ref, Str};

use super::PdfError;
use super::deflate::deflate;

/// Objects per object stream: small enough that a reader inflates little to reach one object.
const PER_OBJECT_STREAM: usize = 100;
/// The most indirect objects a PDF may have (ISO 32000-1 Annex C, Table C.1; also PDF/A's limit).
const MAX_OBJECTS: i32 = 8_388_607;
/// The header pdf-writer writes: the version, and a comment of four bytes above 127 that marks
/// the file as binary (§7.5.2).
const HEADER: &[u8] = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n";

/// An object for an object stream: its number and what it is, without its `obj` line.
type Packed = (Ref, Vec<u8>);

/// Where an object goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// At the top level: streams (§7.5.7: a stream cannot be in an object stream).
    Top,
    /// Into an object stream.
    Packed,
}

/// The document's indirect objects as they are written, and the numbers they get.
pub(super) struct Objects {
    /// Each object in a chunk of its own, in the order written.
    written: Vec<(Ref, Place, Chunk)>,
    /// The next free object number.
    next: i32,
}

/// What the trailer names (§7.5.5, in the cross-reference stream's dictionary).
pub(super) struct Trailer {
    /// The catalog.
    pub(super) root: Ref,
    /// The document information dictionary.
    pub(super) info: Ref,
    /// The file identifier pair (§14.4).
    pub(super) id: (Vec<u8>, Vec<u8>),
}

impl Objects {
    /// No objects; numbers start at 1.
    pub(super) fn new() -> Self {
        Objects {
            written: Vec::new(),
            next: 1,
        }
    }

    /// A fresh object number.
    pub(super) fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next.min(MAX_OBJECTS + 1));
        self.next = self.next.saturating_add(1);
        r
    }

    /// The chunk to write the stream object `id` into, and nothing else.
    pub(super) fn stream(&mut self, id: Ref) -> &mut Chunk {
        self.chunk(id, Place::Top)
    }

    /// The chunk to write the non-stream object `id` into, and nothing else.
    pub(super) fn object(&mut self, id: Ref) -> &mut Chunk {
        self.chunk(id, Place::Packed)
    }

    fn chunk(&mut self, id: Ref, place: Place) -> &mut Chunk {
        self.written.push((id, place, Chunk::new()));
        let last = self.written.len() - 1;
        // The entry was pushed on the line above.
        #[allow(clippy::indexing_slicing)]
        &mut self.written[last].2
    }

    /// Every object written so far, one after another as pdf-writer framed it.
    #[cfg(test)]
    pub(super) fn bytes_for_tests(&self) -> Vec<u8> {
        self.written
            .iter()
            .flat_map(|(_, _, c)| c.as_bytes().to_vec())
            .collect()
    }

    /// The whole file: header, top-level objects, object streams, cross-reference stream.
    pub(super) fn finish(mut self, trailer: &Trailer) -> Result<Vec<u8>, PdfError> {
        let mut packed: Vec<Packed> = Vec::new();
        let mut top: Vec<(Ref, Chunk)> = Vec::new();
        for (id, place, chunk) in std::mem::take(&mut self.written) {
            match place {
                Place::Top => top.push((id, chunk)),
                Place::Packed => packed.push((id, body(id, &chunk)?.to_vec())),
            }
        }
        packed.sort_by_key(|(id, _)| *id);
        let groups: Vec<(Ref, &[Packed])> = packed.chunks(PER_OBJECT_STREAM).map(|g| (self.alloc(), g)).collect();
        for &(id, group) in &groups {
            top.push((id, object_stream(id, group)?));
        }
        let xref = self.alloc();
        if self.next - 1 > MAX_OBJECTS {
            return Err(PdfError::Write(format!(
                "{} objects, more than {MAX_OBJECTS}",
                self.next - 1
            )));
        }

        // Cross-reference entries by object number (§7.5.8.3): type, then two fields; object 0
        // heads the free list.
        let mut entries: Vec<(u8, u64, u16)> = vec![(0, 0, 0); usize::try_from(self.next).unwrap_or(0)];
        if let Some(head) = entries.first_mut() {
            *head = (0, 0, 65_535);
        }
        for &(stream, group) in &groups {
            for (i, (id, _)) in group.iter().enumerate() {
                set(&mut entries, *id, (2, u64::from(stream.get().unsigned_abs()), i as u16));
            }
        }
        let mut out = HEADER.to_vec();
        for (id, chunk) in &top {
            set(&mut entries, *id, (1, out.len() as u64, 0));
            out.extend_from_slice(chunk.as_bytes());
        }
        let xref_offset = out.len() as u64;
        set(&mut entries, xref, (1, xref_offset, 0));
        // Offsets take four bytes unless the file is 4 GiB or more.
        let offset_bytes: usize = if xref_offset >> 32 == 0 { 4 } else { 8 };
        let mut data = Vec::with_capacity(entries.len() * (3 + offset_bytes));
        for (kind, field, generation) in &entries {
            data.push(*kind);
            data.extend(field.to_be_bytes().iter().skip(8 - offset_bytes));
            data.extend_from_slice(&generation.to_be_bytes());
        }
        let data = deflate(&data)?;
        let mut chunk = Chunk::new();
        let mut stream = chunk.stream(xref, &data);
        stream.filter(Filter::FlateDecode);
        stream.pair(Name(b"Type"), Name(b"XRef"));
        stream.pair(Name(b"Size"), self.next);
        stream.pair(Name(b"Root"), trailer.root);
        stream.pair(Name(b"Info"), trailer.info);
        stream
            .insert(Name(b"ID"))
            .array()
            .item(Str(&trailer.id.0))
            .item(Str(&trailer.id.1));
        stream.insert(Name(b"W")).array().items([1, offset_bytes as i32, 2]);
        drop(stream);
        out.extend_from_slice(chunk.as_bytes());
        out.extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF").as_bytes());
        Ok(out)
    }
}

/// Sets object `id`'s cross-reference entry.
fn set(entries: &mut [(u8, u64, u16)], id: Ref, entry: (u8, u64, u16)) {
    if let Some(slot) = usize::try_from(id.get()).ok().and_then(|i| entries.get_mut(i)) {
        *slot = entry;
    }
}

/// The object between pdf-writer's `N 0 obj` line and its `endobj` line (after which it may put
/// an empty line), in a chunk that holds that one object only.
fn body(id: Ref, chunk: &Chunk) -> Result<&[u8], PdfError> {
    let head = format!("{} 0 obj\n", id.get());
    let only_this = chunk.refs().len() == 1 && chunk.refs().all(|r| r == id);
    chunk
        .as_bytes()
        .strip_prefix(head.as_bytes())
        .map(|b| b.strip_suffix(b"\n").unwrap_or(b))
        .and_then(|b| b.strip_suffix(b"\nendobj\n"))
        .filter(|_| only_this)
        .ok_or_else(|| PdfError::Write(format!("object {} was not written alone", id.get())))
}

/// One object stream at `id` holding `group` (§7.5.7): the pairs of number and offset, then the
/// objects, deflated.
fn object_stream(id: Ref, group: &[Packed]) -> Result<Chunk, PdfError> {
    let mut index = String::new();
    let mut objects = Vec::new();
    for (r, body) in group {
        index.push_str(&format!("{} {} ", r.get(), objects.len()));
        objects.extend_from_slice(body);
        objects.push(b'\n');
    }
    let first = index.len();
    let mut data = index.into_bytes();
    data.extend_from_slice(&objects);
    let data = deflate(&data)?;
    let mut chunk = Chunk::new();
    let mut stream = chunk.stream(id, &data);
    stream.filter(Filter::FlateDecode);
    stream.pair(Name(b"Type"), Name(b"ObjStm"));
    stream.pair(Name(b"N"), i32::try_from(group.len()).unwrap_or(i32::MAX));
    stream.pair(Name(b"First"), i32::try_from(first).unwrap_or(i32::MAX));
    drop(stream);
    Ok(chunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_with_two_objects_is_refused() {
        let mut chunk = Chunk::new();
        chunk.indirect(Ref::new(1)).primitive(1);
        chunk.indirect(Ref::new(2)).primitive(2);
        assert!(body(Ref::new(1), &chunk).is_err());
        let mut one = Chunk::new();
        one.indirect(Ref::new(3)).primitive(true);
        assert_eq!(body(Ref::new(3), &one).expect("alone"), b"true");
    }
}
