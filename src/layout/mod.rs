//! Chinese typesetting: fonts, shaping, clreq line composition and page flow into positioned frames.
//!
//! The stages are [`font`] (a [`FontBook`] of explicit files and per-role fallback chains),
//! `shape` (rustybuzz), `linebreak` (atoms and break opportunities: UAX #14 plus clreq kinsoku),
//! `justify` (punctuation compression, shrink and stretch), `fit` (total-fit line breaking)
//! and `place` (glyph positions), driven by [`Composer`], and [`frame`] holds the positioned output. Nothing here knows PDF,
//! EPUB, XML or the markup; callers hand in styled [`TextRun`]s.
//!
//! ```no_run
//! use zhiban::layout::{ComposeParams, Composer, FontBook, Role, TextRun};
//! let mut book = FontBook::new();
//! let serif = book.load("fonts/NotoSerifSC-Regular.ttf", 0)?;
//! book.set_role(Role::Body, vec![serif], false);
//! let composer = Composer::new(&book)?;
//! let run = TextRun { text: "会议强调，全区上下要认真学习。", role: Role::Body, size: 9.0 };
//! let paragraph = composer.compose(&[run], &ComposeParams::body(9.0, 13))?;
//! assert!(!paragraph.lines.is_empty());
//! # Ok::<(), zhiban::layout::LayoutError>(())
//! ```

mod compose;
mod error;
mod fit;
pub mod font;
pub mod frame;
mod justify;
mod linebreak;
mod place;
mod punct;
mod shape;

pub use compose::{Align, ComposeParams, Composer, Paragraph, TextRun};
pub use error::{LayoutError, LayoutWarning};
pub use fit::{LOOSE_BADNESS, SHRINK_BADNESS};
pub use font::{FontBook, FontFace, FontId, Role, RoleStyle};
pub use frame::{Frame, Glyph, GlyphRun, ImageItem, Item, Line, Page, Rule, dump};
pub use punct::Kinsoku;
