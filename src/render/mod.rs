//! Renderers: each takes the model (and the media it names; for print, the laid-out pages) and
//! returns the bytes of one output format; none writes files, measures text or reads the markup.

pub mod archive;
pub mod epub;
// Hidden: the PDF writer's output intent is its user; public only for the tests that hand the
// profiles to LittleCMS (tests/icc_profile.rs).
#[doc(hidden)]
pub mod icc;
pub mod pdf;
