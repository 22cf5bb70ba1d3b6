//! The OCF container (EPUB 3.3 §4): a ZIP with `mimetype` first and stored, then
//! `META-INF/container.xml`, the package and its resources, with fixed times and order so that
//! the same input gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::package::PACKAGE_PATH;
use super::{EpubError, Resource};
use crate::model::Timestamp;

/// The folder of the package and its resources inside the container.
const CONTENT_DIR: &str = "EPUB";
/// File mode recorded for every entry: a plain readable file (rw-r--r--).
const FILE_MODE: u32 = 0o644;

/// `META-INF/container.xml` pointing at the package document (EPUB 3.3 §4.2.6.3.1).
fn container_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" version=\"1.0\">\n\
<rootfiles>\n\
<rootfile full-path=\"{PACKAGE_PATH}\" media-type=\"application/oebps-package+xml\"/>\n\
</rootfiles>\n\
</container>\n"
    )
}

/// Zip the package document and `resources` into an EPUB, every entry dated `time`.
pub(super) fn zip(package: &[u8], resources: &[Resource<'_>], time: Timestamp) -> Result<Vec<u8>, EpubError> {
    let (y, mo, d, h, mi, s) = time.civil();
    // Timestamp keeps years within 1980–9999; ZIP stops at 2107, so later times are clamped.
    let date = DateTime::from_date_and_time(y.min(2107), mo, d, h, mi, s).unwrap_or_default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(date)
        .unix_permissions(FILE_MODE);
    let deflated = stored.compression_method(CompressionMethod::Deflated);

    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(256 * 1024)));
    // §4.2.2: `mimetype` is the first entry, uncompressed, with no extra field.
    add(&mut zip, "mimetype", b"application/epub+zip", stored)?;
    add(&mut zip, "META-INF/container.xml", container_xml().as_bytes(), deflated)?;
    add(&mut zip, PACKAGE_PATH, package, deflated)?;
    for r in resources {
        // JPEG and PNG are compressed already; deflating them again only costs time.
        let options = if r.media_type == "image/jpeg" || r.media_type == "image/png" {
            stored
        } else {
            deflated
        };
        add(&mut zip, &format!("{CONTENT_DIR}/{}", r.href), &r.bytes, options)?;
    }
    let cursor = zip.finish().map_err(|e| EpubError::Zip(e.to_string()))?;
    Ok(cursor.into_inner())
}

fn add(
    zip: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
    options: SimpleFileOptions,
) -> Result<(), EpubError> {
    zip.start_file(name, options)
        .map_err(|e| EpubError::Zip(e.to_string()))?;
    zip.write_all(bytes).map_err(|e| EpubError::Zip(e.to_string()))
}
