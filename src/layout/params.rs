//! Settings of paragraph composition: how lines sit in the measure and the clreq choices a
//! house style makes. Shared by composing ([`super::compose`]), breaking ([`super::fit`]) and
//! placing ([`super::place`]).

use super::punct::Kinsoku;

/// How lines sit in the measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Body text: every line but the last is exactly the measure (clreq §3.5.1, M2).
    #[default]
    Justify,
    /// Ragged right, for headlines and captions.
    Left,
    /// Centred, for headlines (clreq §4.1.2, G5); line lengths are balanced.
    Center,
}

/// Settings of paragraph composition.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposeParams {
    /// The em: the body size in points; measure, indent and spacing are counted in it.
    pub size: f32,
    /// Measure in whole ems, i.e. characters per line (clreq §2.3.4, G1).
    pub measure_em: u32,
    /// First-line indent in ems (clreq §3.4.1, G3); 2 for body text.
    pub indent_em: f32,
    /// Space between lines as a fraction of the em (clreq §2.3.5: 0.5 to 1).
    pub line_gap_em: f32,
    /// Justified, left or centred.
    pub align: Align,
    /// Kinsoku level (L1/L2).
    pub kinsoku: Kinsoku,
    /// Han–Latin space in ems (clreq §3.2.2, M1): a quarter by default.
    pub han_latin_em: f32,
    /// Whether an opening mark at line start loses its blank half (clreq §3.1.6.3, P3).
    pub trim_opening_at_line_start: bool,
    /// Fewest non-punctuation characters on a paragraph's last line (clreq §3.4.4, G4).
    pub min_last_letters: usize,
    /// Whether a `、，。` may hang past the measure instead of being squeezed (clreq §3.1.7, P5):
    /// never a run of marks, never `——`. Off by default; most zh publications do not hang.
    pub hanging: bool,
    /// Whether `。？！` may give up their blank half to fit a line, the last resort of clreq
    /// §3.5.3; some house styles never squeeze them.
    pub shrink_stops: bool,
    /// Whether the pause and stop marks `，。、；：！？` sit centred in their character frame,
    /// as traditional Chinese is set in Taiwan and Hong Kong (clreq §3.1.1), instead of in its
    /// lower left corner as on the mainland. Centred marks are drawn moved to the middle of
    /// their em box and keep their full em: they have no blank half to squeeze or trim at a
    /// line end (GB/T 15834's half-width line end is the mainland's rule).
    pub centred_marks: bool,
    /// Whether lines break at phrase boundaries, as headlines, kickers and subtitles do: first at
    /// spaces the editor typed (set as an em-wide clause gap), then after `，：、；`, then between
    /// words, and inside a word only when nothing else fits.
    pub phrases: bool,
}

impl ComposeParams {
    /// Body text: justified, 2 em indent, GB kinsoku, last line at least 2 characters.
    pub fn body(size: f32, measure_em: u32) -> Self {
        ComposeParams {
            size,
            measure_em,
            indent_em: 2.0,
            line_gap_em: 0.5,
            align: Align::Justify,
            kinsoku: Kinsoku::Gb,
            han_latin_em: 0.25,
            trim_opening_at_line_start: true,
            min_last_letters: 2,
            hanging: false,
            shrink_stops: true,
            centred_marks: false,
            phrases: false,
        }
    }

    /// A headline: no indent, `align`ed, never overflowing.
    ///
    /// `size` and `measure_em` give the measure, usually the column's body em and width; the
    /// headline's runs carry their own, larger size, and lines grow to fit it.
    pub fn headline(size: f32, measure_em: u32, align: Align) -> Self {
        ComposeParams {
            indent_em: 0.0,
            align,
            min_last_letters: 0,
            ..ComposeParams::body(size, measure_em)
        }
    }

    /// The measure in points.
    pub fn measure(&self) -> f32 {
        self.size * self.measure_em as f32
    }
}
