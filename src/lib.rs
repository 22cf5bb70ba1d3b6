//! zhiban (制版): Chinese bulletin and newspaper markup to print PDF, EPUB 3 and a METS/ALTO archive.
//!
//! The pipeline is `markup` | `import` → [`model`] → `layout` → frames → `render::pdf`, and
//! [`model`] → `render::epub`, `render::xml`. Dependencies point one way: renderers see the model
//! and frames, never the markup.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]
// Bad input never panics: no unwrap, expect or unchecked indexing outside tests; the
// few indexes proved in bounds by construction carry an `allow` with the proof beside it.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod diag;
pub mod import;
pub mod layout;
pub mod markup;
pub mod media;
pub mod model;
pub mod render;
