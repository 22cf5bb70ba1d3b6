//! Text with an out-of-band map back to the source it was parsed from.

use serde::{Deserialize, Serialize};

use crate::diag::Span;

/// A piece of text plus where each part of it came from.
///
/// Equality and serialisation look at the text only, so a model parsed from markup equals the
/// same model read back from JSON or re-parsed after formatting.
#[derive(Debug, Clone, Default)]
pub struct Text {
    text: String,
    /// Where the bytes of `text` came from; empty when the text has no source.
    pub origin: Origin,
}

/// Maps byte offsets of a [`Text`] to byte offsets of the source.
///
/// A list of `(text offset, source offset)` pairs, sorted by text offset: the text from one
/// pair's text offset up to the next pair's is a verbatim copy of the source starting at the
/// pair's source offset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin(Vec<(usize, usize)>);

impl Origin {
    /// The source offset of text byte `offset`, if the text has a source.
    pub fn source_offset(&self, offset: usize) -> Option<usize> {
        let idx = self.0.partition_point(|&(t, _)| t <= offset);
        let &(t, s) = self.0.get(idx.checked_sub(1)?)?;
        Some(s + (offset - t))
    }

    /// The source span of text bytes `range`, if the text has a source.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Option<Span> {
        let start = self.source_offset(range.start)?;
        let end = if range.end > range.start {
            self.source_offset(range.end - 1).map_or(start, |e| e + 1)
        } else {
            start
        };
        Some(Span::new(start, end.max(start)))
    }

    /// Whether no part of the text has a known source.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Text {
    /// Text with no source.
    pub fn new(text: impl Into<String>) -> Self {
        Text {
            text: text.into(),
            origin: Origin::default(),
        }
    }

    /// Text copied verbatim from the source at `source_offset`.
    pub fn from_source(text: &str, source_offset: usize) -> Self {
        let mut t = Text::default();
        t.push_source(text, source_offset);
        t
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Append text copied verbatim from the source at `source_offset`.
    pub fn push_source(&mut self, text: &str, source_offset: usize) {
        if text.is_empty() {
            return;
        }
        let contiguous = self
            .origin
            .0
            .last()
            .is_some_and(|&(t, s)| s + (self.text.len() - t) == source_offset);
        if !contiguous {
            self.origin.0.push((self.text.len(), source_offset));
        }
        self.text.push_str(text);
    }

    /// Append text that has no place in the source (e.g. a space joining two lines), attributing
    /// it to `source_offset` for messages.
    pub fn push_synthetic(&mut self, text: &str, source_offset: usize) {
        if text.is_empty() {
            return;
        }
        self.origin.0.push((self.text.len(), source_offset));
        self.text.push_str(text);
        // Later text is never contiguous with a synthetic run.
        self.origin.0.push((self.text.len(), usize::MAX / 2));
    }

    /// Append another text with its origin.
    pub fn push_text(&mut self, other: &Text) {
        let base = self.text.len();
        for &(t, s) in &other.origin.0 {
            self.origin.0.push((base + t, s));
        }
        self.text.push_str(&other.text);
    }

    /// Cut the text at byte `at` (a char boundary) into two texts with their origins.
    pub fn split_at(&self, at: usize) -> (Text, Text) {
        let at = at.min(self.text.len());
        let (a, b) = self.text.split_at(at);
        let mut left = Text {
            text: a.to_string(),
            origin: Origin::default(),
        };
        let mut right = Text {
            text: b.to_string(),
            origin: Origin::default(),
        };
        for &(t, s) in &self.origin.0 {
            if t < at {
                left.origin.0.push((t, s));
            } else {
                right.origin.0.push((t - at, s));
            }
        }
        if let Some(s) = self.origin.source_offset(at)
            && right.origin.0.first().is_none_or(|&(t, _)| t > 0)
            && !b.is_empty()
        {
            right.origin.0.insert(0, (0, s));
        }
        (left, right)
    }

    /// The part of the text in byte `range` (char boundaries), origin kept.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Text {
        let (_, rest) = self.split_at(range.start);
        let (mid, _) = rest.split_at(range.end.saturating_sub(range.start));
        mid
    }

    /// The text with leading and trailing whitespace removed, origin kept.
    pub fn trimmed(&self) -> Text {
        let start = self.text.len() - self.text.trim_start().len();
        let end = self.text.trim_end().len().max(start);
        let (_, rest) = self.split_at(start);
        let (mid, _) = rest.split_at(end - start);
        mid
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Text {}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::new(s)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_maps_pieces() {
        let mut t = Text::from_source("中文", 10);
        t.push_source("abc", 16);
        t.push_synthetic(" ", 19);
        t.push_source("de", 30);
        assert_eq!(t.as_str(), "中文abc de");
        assert_eq!(t.origin.source_offset(3), Some(13));
        assert_eq!(t.origin.source_offset(7), Some(17));
        assert_eq!(t.origin.source_offset(10), Some(30));
        let (a, b) = t.split_at(6);
        assert_eq!(a.as_str(), "中文");
        assert_eq!(b.origin.source_offset(0), Some(16));
    }

    #[test]
    fn trimmed_keeps_origin() {
        let t = Text::from_source("  标题 ", 5);
        let m = t.trimmed();
        assert_eq!(m.as_str(), "标题");
        assert_eq!(m.origin.source_offset(0), Some(7));
    }
}
