//! Document metadata: the information dictionary (ISO 32000-1 §14.3.3), the XMP packet
//! (§14.3.2) that says the same, with the PDF/A identification when asked (ISO 19005-2 §6.6),
//! and the file identifier (§14.4). Dates are the issue's date, never the clock, and the
//! identifier is a hash of what the file shows, so the same input gives the same bytes.

use pdf_writer::writers::DocumentInfo;
use pdf_writer::{Chunk, Date, Ref, TextStr};
use sha2::{Digest, Sha256};
use xmp_writer::{DateTime, LangId, Timezone, XmpWriter};

use super::content::PageContent;
use super::fonts::SubsetFont;
use crate::model::Bulletin;

/// What the metadata says, once.
pub(super) struct Doc {
    title: String,
    author: Option<String>,
    language: String,
    date: (u16, u8, u8),
    producer: String,
    pages: usize,
    pdfa: bool,
    /// SHA-256 of the title, the page contents and the font subsets' names.
    digest: [u8; 32],
}

impl Doc {
    pub(super) fn new(b: &Bulletin, pdfa: bool, contents: &[PageContent], fonts: &[Option<SubsetFont>]) -> Doc {
        let m = &b.meta;
        let mut title = format!("{} {}年{}月{}日", m.publication, m.date.year, m.date.month, m.date.day);
        if let Some(n) = m.issue {
            title.push_str(&format!(" 第{n}期"));
        }
        let mut hash = Sha256::new();
        hash.update(title.as_bytes());
        for c in contents {
            hash.update((c.bytes.len() as u64).to_be_bytes());
            hash.update(&c.bytes);
        }
        for f in fonts.iter().flatten() {
            hash.update(f.base_name().as_bytes());
        }
        Doc {
            title,
            author: m.publisher.clone(),
            language: m.language.clone(),
            date: (m.date.year, m.date.month, m.date.day),
            producer: format!("zhiban {}", env!("CARGO_PKG_VERSION")),
            pages: contents.len(),
            pdfa,
            digest: hash.finalize().into(),
        }
    }

    /// The information dictionary: title, author, creator, producer, dates.
    pub(super) fn write_info(&self, chunk: &mut Chunk, id: Ref) {
        let (y, mo, d) = self.date;
        let date = Date::new(y)
            .month(mo)
            .day(d)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(0);
        let mut info = chunk.indirect(id).start::<DocumentInfo>();
        info.title(TextStr(&self.title));
        if let Some(a) = &self.author {
            info.author(TextStr(a));
        }
        info.creator(TextStr("zhiban"))
            .producer(TextStr(&self.producer))
            .creation_date(date)
            .modified_date(date);
    }

    /// The XMP packet, agreeing with the information dictionary entry by entry (ISO 19005-2
    /// §6.6.2.3.1).
    pub(super) fn xmp(&self) -> String {
        let (y, mo, d) = self.date;
        let date = DateTime::new(y, mo, d, 0, 0, 0, Timezone::Utc);
        let id = self.uuid();
        let mut x = XmpWriter::new();
        x.title([(None, self.title.as_str())]);
        if let Some(a) = &self.author {
            x.creator([a.as_str()]);
        }
        x.language([LangId(&self.language)]);
        x.creator_tool("zhiban");
        x.producer(&self.producer);
        x.create_date(date);
        x.modify_date(date);
        x.format("application/pdf");
        x.num_pages(u32::try_from(self.pages).unwrap_or(u32::MAX));
        x.document_id(&id);
        x.instance_id(&id);
        x.pdf_version("1.7");
        if self.pdfa {
            x.pdfa_part(2);
            x.pdfa_conformance("U");
        }
        x.finish(None)
    }

    /// The file identifier: both halves the digest's first 16 bytes (a file never revised).
    pub(super) fn file_id(&self) -> (Vec<u8>, Vec<u8>) {
        let id = self.digest.get(..16).map_or_else(Vec::new, <[u8]>::to_vec);
        (id.clone(), id)
    }

    /// A UUID-shaped identifier from the digest, for XMP's document and instance ids.
    fn uuid(&self) -> String {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(self.digest.get(..16).unwrap_or(&[0; 16]));
        format!("uuid:{}", uuid::Uuid::from_bytes(bytes))
    }
}
