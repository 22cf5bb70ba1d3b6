//! Photos an issue refers to: read once from disk, checked, and handed to every renderer.
//!
//! Like Pandoc's MediaBag, the bag maps the `src` a figure names to the bytes and facts of the
//! image, so renderers take `&Bulletin` plus `&MediaBag`, never touch the file system, and never
//! decode a photo twice.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::model::{Block, Bulletin, Figure, Item, items_flat};

/// Largest image file read, in bytes, unless the caller sets another limit.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest image read, in pixels (width × height), unless the caller sets another limit:
/// 100 megapixels is a 10 000 × 10 000 scan, far above any news photo at 300 ppi.
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// The image formats zhiban embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageFormat {
    /// JPEG (baseline or progressive): embedded byte for byte in PDF and EPUB.
    Jpeg,
    /// PNG.
    Png,
}

impl ImageFormat {
    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
        }
    }
}

/// One image: its bytes and what was read from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The file's bytes, unchanged.
    pub bytes: Arc<Vec<u8>>,
    /// The format, from the file's content (not its name).
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// All images of an issue, keyed by the `src` the figures use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaBag {
    items: BTreeMap<String, Media>,
}

impl MediaBag {
    /// The image a figure names.
    pub fn get(&self, src: &str) -> Option<&Media> {
        self.items.get(src)
    }

    /// Add an image under `src`.
    pub fn insert(&mut self, src: impl Into<String>, media: Media) {
        self.items.insert(src.into(), media);
    }

    /// All images in `src` order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Media)> {
        self.items.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no images.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Limits and permissions for reading images.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Largest file in bytes.
    pub max_file_bytes: u64,
    /// Largest image in pixels.
    pub max_pixels: u64,
    /// Allow paths that leave the markup file's folder (absolute, `..`, symlinks out).
    pub allow_outside: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_pixels: DEFAULT_MAX_PIXELS,
            allow_outside: false,
        }
    }
}

/// Why an image could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaError {
    /// The `src` as the markup wrote it.
    pub src: String,
    /// What is wrong: lowercase, no final period.
    pub message: String,
}

impl std::fmt::Display for MediaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "image `{}`: {}", self.src, self.message)
    }
}

impl std::error::Error for MediaError {}

/// Every figure of the bulletin, in reading order.
pub fn figures(bulletin: &Bulletin) -> Vec<&Figure> {
    let mut out = Vec::new();
    for edition in &bulletin.editions {
        for item in items_flat(&edition.items) {
            match item {
                Item::PhotoNews(f) => out.push(f),
                Item::Article(a) => out.extend(a.body.iter().filter_map(figure_of)),
                Item::Furniture(x) => out.extend(x.body.iter().filter_map(figure_of)),
                Item::Section(_) => {}
            }
        }
    }
    out
}

fn figure_of(block: &Block) -> Option<&Figure> {
    match block {
        Block::Figure(f) => Some(f),
        _ => None,
    }
}

/// Read every image the bulletin names, relative to `base_dir`, and decode each once to check
/// it; all problems are returned. The same as [`probe_media`] then [`verify_media`].
pub fn load_media(bulletin: &Bulletin, base_dir: &Path, options: &LoadOptions) -> Result<MediaBag, Vec<MediaError>> {
    let bag = probe_media(bulletin, base_dir, options)?;
    verify_media(&bag)?;
    Ok(bag)
}

/// Read every image the bulletin names, relative to `base_dir`, checking what its header says
/// (format, dimensions, the limits) but not decoding it: enough for layout, which needs only
/// the size. Renderers need [`verify_media`] to have passed too; the two are split so that a
/// caller can decode the photos while the pages are laid out.
pub fn probe_media(bulletin: &Bulletin, base_dir: &Path, options: &LoadOptions) -> Result<MediaBag, Vec<MediaError>> {
    let mut bag = MediaBag::default();
    let mut errors = Vec::new();
    // The figure order, for listing problems the way the text names the photos.
    let mut order: Vec<&str> = Vec::new();
    for figure in figures(bulletin) {
        if bag.get(&figure.src).is_some() || order.contains(&figure.src.as_str()) {
            continue;
        }
        order.push(&figure.src);
        match load_one(&figure.src, base_dir, options) {
            Ok(media) => bag.insert(figure.src.clone(), media),
            Err(message) => errors.push(MediaError {
                src: figure.src.clone(),
                message,
            }),
        }
    }
    if errors.is_empty() {
        return Ok(bag);
    }
    // A build that stops anyway lists every bad photo at once, the damaged ones too.
    if let Err(more) = verify_media(&bag) {
        errors.extend(more);
    }
    let rank = |src: &str| order.iter().position(|s| *s == src).unwrap_or(usize::MAX);
    errors.sort_by_key(|e| rank(&e.src));
    Err(errors)
}

/// Decode every photo of `bag` once (side by side), so that a truncated or corrupt file is
/// refused before a renderer meets it; all problems are returned, in the bag's order.
pub fn verify_media(bag: &MediaBag) -> Result<(), Vec<MediaError>> {
    use rayon::prelude::*;
    let photos: Vec<(&str, &Media)> = bag.iter().collect();
    let errors: Vec<MediaError> = photos
        .par_iter()
        .filter_map(|(src, m)| {
            verify(m).err().map(|message| MediaError {
                src: (*src).to_string(),
                message,
            })
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Resolve `src` under `base_dir`, refusing to leave it unless allowed.
fn resolve(src: &str, base_dir: &Path, allow_outside: bool) -> Result<PathBuf, String> {
    let rel = Path::new(src);
    let escapes = rel.is_absolute()
        || rel
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)));
    if escapes && !allow_outside {
        return Err("the path leaves the markup file's folder; move the image under it or pass --allow-outside".into());
    }
    let path = base_dir.join(rel);
    if !allow_outside {
        // A symlink inside the folder may still point out of it.
        let base = base_dir
            .canonicalize()
            .map_err(|e| format!("cannot open the markup file's folder: {e}"))?;
        let real = path
            .canonicalize()
            .map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        if !real.starts_with(&base) {
            return Err(
                "the path leads out of the markup file's folder (through a link); pass --allow-outside to allow it"
                    .into(),
            );
        }
    }
    Ok(path)
}

fn load_one(src: &str, base_dir: &Path, options: &LoadOptions) -> Result<Media, String> {
    let path = resolve(src, base_dir, options.allow_outside)?;
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("`{}` is not a file", path.display()));
    }
    if meta.len() > options.max_file_bytes {
        return Err(format!(
            "the file has {} bytes, more than the limit of {}",
            meta.len(),
            options.max_file_bytes
        ));
    }
    // Read through a bound as well: the size above is from before the open, and a file may grow.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(&path)
        .and_then(|f| f.take(options.max_file_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if bytes.len() as u64 > options.max_file_bytes {
        return Err(format!(
            "the file has more than {} bytes, the limit",
            options.max_file_bytes
        ));
    }
    probe(bytes, options.max_pixels)
}

/// Check image `bytes` (format from content, dimensions, pixel limit, full decode) and wrap them.
pub fn inspect(bytes: Vec<u8>, max_pixels: u64) -> Result<Media, String> {
    let media = probe(bytes, max_pixels)?;
    verify(&media)?;
    Ok(media)
}

/// Check what the header of image `bytes` says (format from content, dimensions, pixel limit)
/// and wrap them, without decoding the picture.
fn probe(bytes: Vec<u8>, max_pixels: u64) -> Result<Media, String> {
    let reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read the image: {e}"))?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(other) => return Err(format!("{other:?} images are not supported; use JPEG or PNG")),
        None => return Err("the file is not a JPEG or PNG image".into()),
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("the image is damaged: {e}"))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 || pixels > max_pixels {
        return Err(format!(
            "{width} × {height} pixels is outside the limit of {max_pixels} pixels"
        ));
    }
    Ok(Media {
        bytes: Arc::new(bytes),
        format,
        width,
        height,
    })
}

/// Decode a probed image once so that a truncated or corrupt file is refused here, not
/// half-way through a renderer; the pixel limit [`probe`] checked bounds the memory this takes.
fn verify(media: &Media) -> Result<(), String> {
    let bytes = media.bytes.as_slice();
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read the image: {e}"))?;
    let pixels = u64::from(media.width) * u64::from(media.height);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(pixels.saturating_mul(8).max(1 << 20));
    reader.limits(limits);
    reader.decode().map_err(|e| format!("the image is damaged: {e}"))?;
    // JPEG decoders fill a truncated scan with grey instead of failing; a whole file ends with
    // the end-of-image marker FF D9 (ITU T.81 B.2.1), padding aside.
    if media.format == ImageFormat::Jpeg {
        let end = bytes
            .iter()
            .rposition(|&b| b != 0 && !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        if bytes.get(end.saturating_sub(2)..end) != Some(&[0xFF, 0xD9][..]) {
            return Err("the JPEG ends before its end-of-image marker; the file is cut short".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_out_of_the_folder() {
        let base = Path::new("input");
        assert!(resolve("../Cargo.toml", base, false).is_err());
        assert!(resolve("/etc/passwd", base, false).is_err());
        assert!(resolve("photos/coffee.jpg", base, false).is_ok());
    }

    #[test]
    fn reads_the_sample_photo() {
        let bytes = std::fs::read("input/photos/coffee.jpg").expect("sample photo");
        let m = inspect(bytes, DEFAULT_MAX_PIXELS).expect("valid jpeg");
        assert_eq!((m.format, m.width, m.height), (ImageFormat::Jpeg, 600, 400));
    }

    #[test]
    fn refuses_non_images_and_truncated_files() {
        assert!(inspect(b"not an image".to_vec(), DEFAULT_MAX_PIXELS).is_err());
        let bytes = std::fs::read("input/photos/coffee.jpg").expect("sample photo");
        assert!(inspect(bytes[..bytes.len() / 2].to_vec(), DEFAULT_MAX_PIXELS).is_err());
        assert!(inspect(std::fs::read("input/photos/coffee.jpg").expect("photo"), 1000).is_err());
    }
}
