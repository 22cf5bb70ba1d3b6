//! Diagnostics: source spans, byte → line:column mapping and problems reported with hints.

use std::fmt;

/// A byte range `start..end` in one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The range, for slicing the source.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Output may still be made, but the source is probably not what the editor meant.
    Warning,
    /// The input cannot be turned into correct output.
    Error,
}

/// One problem found in an input, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable code naming the kind of problem, e.g. `half-width-punct`.
    pub code: &'static str,
    /// What is wrong: lowercase, no final period.
    pub message: String,
    /// Where it is, when the problem has a place in the source.
    pub span: Option<Span>,
    /// How to fix it; each hint is one sentence.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: &'static str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    /// The same diagnostic with one more hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}[{}]: {}", self.code, self.message)
    }
}

/// Maps byte offsets of one text to 1-based line and column numbers.
///
/// Columns count Unicode scalar values (characters), as editors do; the terminal width of
/// a line prefix (CJK characters take two cells) is [`LineIndex::display_column`].
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    /// Length of the text in bytes.
    len: usize,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a final newline does not start a counted line of its own unless text follows).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line that holds byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based line `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(self.len, |next| next.saturating_sub(1));
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// 1-based line and 1-based character column of byte `offset` in `text`.
    ///
    /// An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let offset = offset.min(text.len()).max(start);
        let col = text.get(start..).map_or(0, |rest| {
            rest.char_indices().take_while(|(i, _)| start + i < offset).count()
        });
        (line + 1, col + 1)
    }

    /// 0-based terminal column (in cells) of byte `offset`: CJK characters count two.
    pub fn display_column(&self, text: &str, offset: usize) -> usize {
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        text.get(start..).map_or(0, |rest| {
            rest.char_indices()
                .take_while(|(i, _)| start + i < offset)
                .map(|(_, c)| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n中文x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        // `x` follows two 3-byte characters
        assert_eq!(index.line_col(text, 9), (2, 3));
        assert_eq!(index.display_column(text, 9), 4);
        assert_eq!(index.line_range(text, 1), 3..10);
    }

    #[test]
    fn crlf_lines_exclude_carriage_return() {
        let text = "a\r\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_range(text, 0), 0..1);
        assert_eq!(index.line_col(text, 3), (2, 1));
    }
}
