//! Renderers: each takes the model (and, for print, the laid-out pages) and returns bytes; none
//! writes files, measures text or reads the markup.

pub mod epub;
