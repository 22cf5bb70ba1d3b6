//! Renderers: each takes the model (and the media it names; for print, the laid-out pages) and
//! returns the bytes of one output format; none writes files, measures text or reads the markup.

pub mod archive;
pub mod epub;
pub mod pdf;
