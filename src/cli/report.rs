//! Printing diagnostics: `file:line:column`, the source line, a caret under the character, hints.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use zhiban::diag::{Diagnostic, Severity};

/// Longest source line shown whole; longer lines are cut around the problem.
const MAX_SHOWN_LINE: usize = 400;
/// Characters shown on each side of the problem in a cut line.
const CONTEXT_CHARS: usize = 30;

/// Render one diagnostic about `source` (named `name`) as plain text.
pub(crate) fn render(name: &str, source: &str, diag: &Diagnostic) -> String {
    Renderer::new(name, source).render(diag)
}

/// Renders diagnostics of one source; the source's lines are indexed once, not once per
/// diagnostic, which made an import with a thousand warnings cost the square of its length.
pub(crate) struct Renderer<'a> {
    name: &'a str,
    source: &'a str,
    index: zhiban::diag::LineIndex,
    file: SimpleFile<&'a str, &'a str>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `source`, named `name` in the messages.
    pub(crate) fn new(name: &'a str, source: &'a str) -> Self {
        Renderer {
            name,
            source,
            index: zhiban::diag::LineIndex::new(source),
            file: SimpleFile::new(name, source),
        }
    }

    /// `diag` as plain text.
    pub(crate) fn render(&self, diag: &Diagnostic) -> String {
        let (name, source) = (self.name, self.source);
        if let Some(span) = diag.span {
            let line = self.index.line_of(span.start);
            let range = self.index.line_range(source, line);
            if range.len() > MAX_SHOWN_LINE {
                return render_cut(name, source, diag, &self.index, range);
            }
        }
        let report = match diag.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let mut report = report.with_code(diag.code).with_message(&diag.message);
        if let Some(span) = diag.span {
            let start = span.start.min(source.len());
            let end = span.end.clamp(start, source.len());
            report = report.with_labels(vec![Label::primary((), start..end)]);
        }
        report = report.with_notes(diag.hints.iter().map(|h| format!("hint: {h}")).collect());
        match term::emit_into_string(&Config::default(), &self.file, &report) {
            Ok(s) => s,
            Err(_) => format!("{name}: {diag}\n"),
        }
    }
}

/// A diagnostic on a very long line: the same layout, with the line cut around the problem.
fn render_cut(
    name: &str,
    source: &str,
    diag: &Diagnostic,
    index: &zhiban::diag::LineIndex,
    range: std::ops::Range<usize>,
) -> String {
    let start = diag.span.map_or(range.start, |s| s.start.clamp(range.start, range.end));
    let (line, col) = index.line_col(source, start);
    let text = source.get(range.clone()).unwrap_or("");
    let at = start - range.start;
    let before: String = text
        .get(..at)
        .unwrap_or("")
        .chars()
        .rev()
        .take(CONTEXT_CHARS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text.get(at..).unwrap_or("").chars().take(CONTEXT_CHARS).collect();
    let lead = if before.chars().count() < at { "…" } else { "" };
    let caret_col: usize = lead
        .chars()
        .chain(before.chars())
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum();
    let kind = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let gutter = " ".repeat(line.to_string().len());
    let mut out = format!(
        "{kind}[{}]: {}\n{gutter} ┌─ {name}:{line}:{col}\n{gutter} │\n",
        diag.code, diag.message
    );
    out += &format!(
        "{line} │ {lead}{before}{after}…\n{gutter} │ {}^\n{gutter} │\n",
        " ".repeat(caret_col)
    );
    for h in &diag.hints {
        out += &format!("{gutter} = hint: {h}\n");
    }
    out
}

/// Print all diagnostics of one source to standard error; returns (errors, warnings).
pub(crate) fn print_all(name: &str, source: &str, diags: &[Diagnostic]) -> (usize, usize) {
    let mut errors = 0;
    let mut warnings = 0;
    let renderer = Renderer::new(name, source);
    for d in diags {
        match d.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        stderr!("{}", renderer.render(d));
    }
    (errors, warnings)
}
