//! Typed errors of font loading, shaping and line composition.

use std::fmt;
use std::path::PathBuf;

use super::role::Role;

/// What can go wrong while loading fonts or composing text.
#[derive(Debug)]
#[non_exhaustive]
pub enum LayoutError {
    /// A font file could not be read.
    FontRead {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// Font data is not an OpenType/TrueType face (or the face index is out of range).
    FontParse {
        /// File name or label of the data.
        name: String,
        /// Face index inside a collection.
        index: u32,
    },
    /// A role has no fonts: [`FontBook::set_role`](super::FontBook::set_role) was not called.
    NoFontForRole {
        /// The role asked for.
        role: Role,
    },
    /// No font in a role's fallback chain has a glyph for a character: never set `.notdef`
    /// (tofu) silently.
    MissingGlyph {
        /// The character.
        ch: char,
        /// Byte offset of the character in the paragraph text.
        text_offset: usize,
        /// Index of the text run holding it.
        run: usize,
        /// The run's role.
        role: Role,
    },
    /// An unbreakable unit (a Latin word, a number, `——`) is wider than the measure.
    UnitTooWide {
        /// The unit's text.
        text: String,
        /// Byte offset of the unit in the paragraph text.
        text_offset: usize,
        /// Its narrowest width in points.
        width: f32,
        /// The width available, in points.
        measure: f32,
    },
    /// Composition parameters make no sense (zero measure, non-positive size).
    BadParams {
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::FontRead { path, source } => {
                write!(f, "cannot read font file {}: {source}", path.display())
            }
            LayoutError::FontParse { name, index } => {
                write!(f, "{name}: face {index} is not an OpenType or TrueType font")
            }
            LayoutError::NoFontForRole { role } => {
                write!(f, "no font is set for the {role:?} role")
            }
            LayoutError::MissingGlyph {
                ch,
                text_offset,
                run,
                role,
            } => write!(
                f,
                "byte {text_offset} (run {run}, {role:?}): no font in the chain has a glyph for {ch:?} (U+{:04X})",
                u32::from(*ch)
            ),
            LayoutError::UnitTooWide {
                text,
                text_offset,
                width,
                measure,
            } => write!(
                f,
                "byte {text_offset}: unbreakable {text:?} is {width:.2} pt wide, the measure only {measure:.2} pt"
            ),
            LayoutError::BadParams { reason } => write!(f, "bad composition parameters: {reason}"),
        }
    }
}

/// A rule that composition had to give up in one paragraph; the lines are still usable, but an
/// editor may want to rewrite the text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LayoutWarning {
    /// The last line holds fewer characters than asked (孤字, clreq §3.4.4, G4): no break
    /// sequence could avoid it.
    ShortLastLine,
    /// Line `line` ends at a break the chosen kinsoku level forbids; only the basic level (clreq
    /// §3.1.4) could fill the lines.
    KinsokuRelaxed {
        /// Index of the line in the paragraph.
        line: usize,
    },
    /// Justified line `line` is shorter than the measure: it holds one unit with nothing to
    /// stretch (a `——` alone, one glyph).
    Underfull {
        /// Index of the line in the paragraph.
        line: usize,
    },
    /// A word or number wider than the measure, with no break point that fits, was broken
    /// between two of its characters.
    TokenBroken {
        /// The text that could not fit (the token, and what is bound to it).
        token: String,
        /// Its byte offset in the paragraph text.
        offset: usize,
    },
}

impl fmt::Display for LayoutWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutWarning::ShortLastLine => write!(f, "the last line holds a single character (孤字)"),
            LayoutWarning::KinsokuRelaxed { line } => {
                write!(
                    f,
                    "line {}: kinsoku relaxed to the basic level to fill the lines",
                    line + 1
                )
            }
            LayoutWarning::Underfull { line } => write!(f, "line {}: cannot be stretched to the measure", line + 1),
            LayoutWarning::TokenBroken { token, .. } => {
                write!(f, "`{token}` is wider than the line and was broken inside")
            }
        }
    }
}

impl std::error::Error for LayoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LayoutError::FontRead { source, .. } => Some(source),
            _ => None,
        }
    }
}
