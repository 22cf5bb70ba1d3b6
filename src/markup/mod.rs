//! Bulletin markup: a recovering parser to the model, and a writer back to canonical markup.
//!
//! The syntax is specified in `docs/markup.md`.

mod dateline;
mod frontmatter;
mod inline;
mod lint;
mod parse;
mod write;

pub use dateline::{dateline_len, parse_contributors, split_dateline};
pub(crate) use lint::is_forbidden_control;
pub use parse::{MAX_LINE_BYTES, ParseOptions, Parsed, SourceSpans, parse};
pub use write::write;
