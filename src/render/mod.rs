//! Renderers: each turns the model (and the media it names) into the bytes of one output format.

pub mod epub;
