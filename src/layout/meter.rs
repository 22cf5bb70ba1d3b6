//! Incremental line measurement: the line breaker's O(1) step from one candidate to the next.

use super::justify::{Span, Totals, blanks, glue_limits, tier};
use super::linebreak::Items;

/// Measures the lines ending at one atom, growing them leftwards one atom at a time in O(1).
///
/// The line breaker tries every start for every end; re-measuring each candidate from scratch
/// cost two thirds of composition time. The meter keeps the sums of everything except the
/// start atom's left blank, which depends on the atom being at the line start (P3).
pub(crate) struct Meter<'a> {
    /// The paragraph.
    items: &'a Items,
    /// One past the line's last atom.
    end: usize,
    /// The line's first atom (`end` while empty).
    start: usize,
    /// Totals without the start atom's left blank.
    sums: Totals,
    /// Whether an opening mark at line start loses its blank half (P3).
    trim_opening: bool,
}

impl<'a> Meter<'a> {
    /// An empty line ending before atom `end`.
    pub(crate) fn new(items: &'a Items, end: usize, trim_opening: bool) -> Self {
        Meter {
            items,
            end,
            start: end,
            sums: Totals::default(),
            trim_opening,
        }
    }

    /// Adds the atom before the line's start; false if there is none.
    pub(crate) fn grow(&mut self) -> bool {
        let Some(k) = self.start.checked_sub(1) else {
            return false;
        };
        let (items, t) = (self.items, &mut self.sums);
        let Some(atom) = items.atoms.get(k) else {
            return false;
        };
        self.start = k;
        // Gap k + 1 lies between the new atom and the former start atom.
        let after = items.gaps.get(k + 1);
        // The new atom's right blank, unless it is the line's last atom (P4 trims it).
        let right = match after {
            Some(gap) if k + 1 != self.end => (atom.blank.1 - gap.trim_prev).max(0.0),
            _ => 0.0,
        };
        t.natural += atom.width - atom.blank.0 - atom.blank.1 + right;
        t.letters += atom.letters;
        if let Some(tier) = tier(atom) {
            *t.room_mut(tier) += right;
        }
        if k + 1 < self.end
            && let (Some(next), Some(gap)) = (items.atoms.get(k + 1), after)
        {
            // The former start atom's left blank is now interior, and gap k + 1 joins the line.
            let left = (next.blank.0 - gap.trim_next).max(0.0);
            t.natural += left;
            if let Some(tier) = tier(next) {
                *t.room_mut(tier) += left;
            }
            t.natural += gap.glue_width;
            if let Some((tier, min, max)) = glue_limits(items, k + 1) {
                *t.room_mut(tier) += (gap.glue_width - min).max(0.0);
                t.glue_stretch += (max - gap.glue_width).max(0.0);
            }
            if !gap.rigid {
                t.gaps += 1;
            }
        }
        true
    }

    /// The first atom of the line.
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    /// The totals of the current line.
    pub(crate) fn totals(&self) -> Totals {
        let mut t = self.sums;
        if let Some(atom) = self.items.atoms.get(self.start).filter(|_| self.start < self.end) {
            let span = Span {
                start: self.start,
                end: self.end,
                trim_opening: self.trim_opening,
                hang: false,
                shrink_stops: true,
            };
            let (left, _) = blanks(self.items, self.start, span);
            t.natural += left;
            if let Some(tier) = tier(atom) {
                *t.room_mut(tier) += left;
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::justify::tests::items;
    use crate::layout::justify::{TIERS, totals};

    #[test]
    fn meter_agrees_with_full_measurement() {
        let text = "（记者 郭树勋）12月21日，“五个根本”、《人民日报》：“好。”约翰·史密斯说Beijing 2020年——很好……";
        let items = items(text);
        let n = items.atoms.len();
        for trim_opening in [true, false] {
            for end in 1..=n {
                let mut meter = Meter::new(&items, end, trim_opening);
                while meter.grow() {
                    let span = Span {
                        start: meter.start(),
                        end,
                        trim_opening,
                        hang: false,
                        shrink_stops: true,
                    };
                    let (a, b) = (meter.totals(), totals(&items, span));
                    assert!((a.natural - b.natural).abs() < 1e-9, "{span:?}");
                    for tier in 0..TIERS {
                        assert!((a.shrink[tier] - b.shrink[tier]).abs() < 1e-9, "{span:?} tier {tier}");
                    }
                    assert!((a.glue_stretch - b.glue_stretch).abs() < 1e-9);
                    assert_eq!((a.gaps, a.letters), (b.gaps, b.letters));
                }
            }
        }
    }
}
