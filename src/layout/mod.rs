//! Chinese typesetting: fonts, shaping and clreq line composition into positioned frames.
//!
//! The stages are [`font`] (a [`FontBook`] of explicit files and per-role fallback chains),
//! `shape` (rustybuzz), `linebreak` (atoms and break opportunities: UAX #14 plus clreq
//! kinsoku), `justify` (punctuation compression, shrink and stretch), `fit` and `meter`
//! (total-fit line breaking) and `place` (glyph positions), driven by [`Composer`]; [`frame`]
//! holds the positioned output that the PDF and archive writers read. Nothing here knows PDF,
//! EPUB, XML or the markup: callers hand in styled [`TextRun`]s. Page flow (columns, figures)
//! is still to come; [`Frame`] and [`Page`] are its output types.
//!
//! ```
//! use zhiban::layout::{ComposeParams, Composer, FontBook, Role, TextRun};
//! let mut book = FontBook::new();
//! let serif = book.load(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifSC-Regular.ttf"), 0)?;
//! book.set_role(Role::Body, vec![serif], false);
//! let composer = Composer::new(&book)?;
//! let run = TextRun { text: "会议强调，全区上下要认真学习贯彻中央经济工作会议精神。", role: Role::Body, size: 9.0 };
//! let paragraph = composer.compose(&[run], &ComposeParams::body(9.0, 13))?;
//! // 2 em indent, then 13 em lines of 9 pt: every line but the last is exactly 117 pt.
//! assert_eq!(paragraph.lines.len(), 3);
//! assert!((paragraph.lines[1].width - 117.0).abs() < 0.01);
//! # Ok::<(), zhiban::layout::LayoutError>(())
//! ```

mod compose;
mod error;
mod fit;
pub mod font;
pub mod frame;
mod justify;
mod linebreak;
mod meter;
mod params;
mod place;
mod punct;
mod role;
pub mod segment;
mod shape;

pub use compose::{Composer, Paragraph, TextRun};
pub use error::{LayoutError, LayoutWarning};
pub use fit::{LOOSE_BADNESS, SHRINK_BADNESS};
pub use font::{FontBook, FontData, FontFace, FontId, Role, RoleStyle};
pub use frame::{ClusterBox, Frame, Glyph, GlyphRun, ImageItem, Item, Line, Page, Rule, dump};
pub use params::{Align, ComposeParams};
pub use punct::Kinsoku;

pub mod flow;
pub mod spec;
