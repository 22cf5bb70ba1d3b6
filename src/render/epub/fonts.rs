//! Embedded fonts (optional): the caller's Song and Hei fonts, subset to the characters the
//! issue uses, so that a reading system without Chinese fonts still shows the text as set.

// Subsets keep `cmap`, `OS/2`, `name` and the outlines (allsorts' "minimal" OpenType profile),
// so reading systems and EPUBCheck take them as ordinary TrueType/OpenType fonts; the `name`
// table keeps the copyright and licence notice, and the licence text travels in the EPUB.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::EpubError;
use super::xhtml::open_document;
use crate::layout::{FontBook, FontId, Role as TextRole};
use crate::model::Bulletin;

/// Fonts to embed, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedFonts {
    /// Song (serif) regular for body text, captions and bylines, e.g. Noto Serif SC.
    pub song: Option<FontFile>,
    /// Hei (sans-serif) bold for headlines, banners, datelines and strong text, e.g. Noto Sans
    /// SC Bold.
    pub hei: Option<FontFile>,
    /// A font for the characters beyond the Basic Multilingual Plane (CJK Extensions B–F, rare
    /// names), which few reading systems have: subset to just those characters, and embedded
    /// only when the issue has some, e.g. Hanazono Mincho B.
    pub rare: Option<FontFile>,
}

impl EmbedFonts {
    /// The fonts of `book` for the EPUB of `bulletin`: with `song_and_hei` the first Song (body)
    /// and Hei (headline) faces; always, when the issue has characters beyond the Basic
    /// Multilingual Plane (few reading systems have them), the body's last fallback font, which
    /// the EPUB subsets to just those characters. `licence` gives a face's licence text by its
    /// name. `None` when there is nothing to embed.
    pub fn choose(
        book: &FontBook,
        song_and_hei: bool,
        bulletin: &Bulletin,
        licence: impl Fn(&str) -> String,
    ) -> Option<EmbedFonts> {
        let file = |id: FontId| {
            book.get(id).map(|f| FontFile {
                bytes: Arc::new(f.data.to_vec()),
                license: licence(&f.name),
            })
        };
        let first = |role: TextRole| book.role(role).ok().and_then(|r| r.chain.first().copied());
        let (song, hei) = (first(TextRole::Body), first(TextRole::Headline));
        let rare = book
            .role(TextRole::Body)
            .ok()
            .and_then(|r| r.chain.last().copied())
            .filter(|id| Some(*id) != song && Some(*id) != hei)
            // The file is copied for the subsetter: only when some character needs it.
            .filter(|_| has_supplementary(bulletin));
        if !song_and_hei && rare.is_none() {
            return None;
        }
        Some(EmbedFonts {
            song: song.filter(|_| song_and_hei).and_then(file),
            hei: hei.filter(|_| song_and_hei).and_then(file),
            rare: rare.and_then(file),
        })
    }
}

/// Whether any text of the issue (every string of the model) has a character beyond the Basic
/// Multilingual Plane: the model's JSON holds each of its strings, unescaped.
fn has_supplementary(bulletin: &Bulletin) -> bool {
    serde_json::to_string(bulletin).is_ok_and(|json| json.chars().any(|c| u32::from(c) > 0xFFFF))
}

/// One font file and the licence it is distributed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontFile {
    /// The TrueType or OpenType file (not a collection), unchanged.
    pub bytes: Arc<Vec<u8>>,
    /// The licence text (SIL OFL 1.1 for Noto), shipped with the subset as the licence asks.
    pub license: String,
}

/// Which face a subset stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Body text.
    Song,
    /// Headlines, bold.
    Hei,
    /// Characters beyond the Basic Multilingual Plane, after Song or Hei in every stack.
    Rare,
}

impl Role {
    /// The family name the stylesheet declares for the subset.
    pub(super) fn family(self) -> &'static str {
        match self {
            Role::Song => "zhiban Song",
            Role::Hei => "zhiban Hei",
            Role::Rare => "zhiban Rare",
        }
    }

    /// The CSS weight the face is declared with.
    pub(super) fn weight(self) -> &'static str {
        match self {
            Role::Song | Role::Rare => "normal",
            Role::Hei => "bold",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Song => "song",
            Role::Hei => "hei",
            Role::Rare => "rare",
        }
    }

    /// What the face is for, as the licence page says it.
    fn purpose(self) -> &'static str {
        match self {
            Role::Song => "正文字体（宋体）",
            Role::Hei => "标题字体（黑体）",
            Role::Rare => "生僻字字体（扩展B至F区）",
        }
    }
}

/// The licence page's path.
pub(super) const LICENSE_HREF: &str = "fonts.xhtml";

/// A font subset ready for the package.
pub(super) struct Subset {
    /// The face it stands in for.
    pub(super) role: Role,
    /// The subset font.
    pub(super) bytes: Vec<u8>,
    /// The licence text.
    pub(super) license: String,
}

impl Subset {
    /// The subset's path and media type (EPUB 3.3 §3.2 core media types): CFF outlines make
    /// an OpenType `.otf`, TrueType outlines a `.ttf`.
    pub(super) fn href_and_type(&self) -> (String, &'static str) {
        let (extension, media_type) = if self.bytes.starts_with(b"OTTO") {
            ("otf", "font/otf")
        } else {
            ("ttf", "font/ttf")
        };
        (format!("fonts/{}.{extension}", self.role.name()), media_type)
    }
}

/// The page that carries the licences of the embedded fonts (SIL OFL 1.1 §2 asks that each copy
/// of the font come with its licence); it is outside the reading order, linked from 目录.
pub(super) fn license_page(bulletin: &Bulletin, subsets: &[Subset]) -> Result<Vec<u8>, EpubError> {
    let mut x = open_document(&bulletin.meta.language, "字体许可")?;
    x.open("body", &[])?;
    x.raw("\n");
    x.element_line("h1", &[], "字体许可")?;
    x.element_line(
        "p",
        &[],
        "本电子版内嵌的字体为原字体的子集，只含本期用到的字符，按下列许可证随书分发。",
    )?;
    for subset in subsets {
        x.element_line("h2", &[], subset.role.purpose())?;
        // Licence texts are English; marking the language lets screen readers switch voice.
        x.element_line(
            "pre",
            &[("class", "license"), ("lang", "en"), ("xml:lang", "en")],
            subset.license.trim(),
        )?;
    }
    x.close_line("body")?;
    x.close_line("html")?;
    Ok(x.finish())
}

/// Subset the given fonts to `chars`; characters a font lacks are left to the reading
/// system's fallback fonts. The rare-character font gets only the characters beyond the Basic
/// Multilingual Plane, and none at all when there are none.
pub(super) fn subset_fonts(fonts: &EmbedFonts, chars: &BTreeSet<char>) -> Result<Vec<Subset>, EpubError> {
    let mut out = Vec::new();
    let supplementary: BTreeSet<char> = chars.iter().copied().filter(|&c| u32::from(c) > 0xFFFF).collect();
    for (role, file) in [
        (Role::Song, &fonts.song),
        (Role::Hei, &fonts.hei),
        (Role::Rare, &fonts.rare),
    ] {
        let Some(file) = file else { continue };
        let wanted = if role == Role::Rare {
            if supplementary.is_empty() {
                continue;
            }
            &supplementary
        } else {
            chars
        };
        out.push(Subset {
            role,
            bytes: subset_one(&file.bytes, wanted).map_err(|message| EpubError::Font {
                role: role.name(),
                message,
            })?,
            license: file.license.clone(),
        });
    }
    Ok(out)
}

#[cfg(not(feature = "epub-fonts"))]
fn subset_one(_data: &[u8], _chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    Err("zhiban was built without the `epub-fonts` feature, which embedding needs".into())
}

#[cfg(feature = "epub-fonts")]
fn subset_one(data: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font::read_cmap_subtable;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};
    use allsorts::tables::FontTableProvider;
    use allsorts::tables::cmap::Cmap;
    use allsorts::tag;

    let font = ReadScope::new(data)
        .read::<FontData<'_>>()
        .map_err(|e| format!("cannot read the font: {e}"))?;
    let provider = font
        .table_provider(0)
        .map_err(|e| format!("cannot read the font: {e}"))?;
    let cmap_data = provider
        .read_table_data(tag::CMAP)
        .map_err(|e| format!("the font has no usable cmap table: {e}"))?;
    let cmap = ReadScope::new(&cmap_data)
        .read::<Cmap<'_>>()
        .map_err(|e| format!("the font's cmap table is damaged: {e}"))?;
    let (_, subtable) = read_cmap_subtable(&cmap)
        .map_err(|e| format!("the font's cmap table is damaged: {e}"))?
        .ok_or("the font maps no Unicode characters")?;
    // Glyph 0 (.notdef) comes first, as the OpenType spec requires.
    let mut glyphs = BTreeSet::from([0u16]);
    for &c in chars {
        if let Some(glyph) = subtable
            .map_glyph(u32::from(c))
            .map_err(|e| format!("the font's cmap table is damaged: {e}"))?
        {
            glyphs.insert(glyph);
        }
    }
    let glyphs: Vec<u16> = glyphs.into_iter().collect();
    // A Unicode cmap: browsers refuse fonts with only a Mac Roman one.
    subset(&provider, &glyphs, &SubsetProfile::Minimal, CmapTarget::Unicode)
        .map_err(|e| format!("cannot subset the font: {e}"))
}

/// The characters of XHTML documents: text and attribute values (alt texts too), markup
/// letters included, which costs a few Latin glyphs and misses nothing.
pub(super) fn chars_of<'a>(documents: impl IntoIterator<Item = &'a [u8]>) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    for document in documents {
        chars.extend(String::from_utf8_lossy(document).chars().filter(|c| !c.is_control()));
    }
    // Digits and Latin letters a reader may meet in running text are cheap to keep whole.
    chars.extend((' '..='~').filter(|c| !c.is_control()));
    chars
}
