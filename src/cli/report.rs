//! Printing diagnostics: `file:line:column`, the source line, a caret under the character, hints.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use zhiban::diag::{Diagnostic, Severity};

/// Render one diagnostic about `source` (named `name`) as plain text.
pub(crate) fn render(name: &str, source: &str, diag: &Diagnostic) -> String {
    let file = SimpleFile::new(name, source);
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
    match term::emit_into_string(&Config::default(), &file, &report) {
        Ok(s) => s,
        Err(_) => format!("{name}: {diag}\n"),
    }
}

/// Print all diagnostics of one source to standard error; returns (errors, warnings).
pub(crate) fn print_all(name: &str, source: &str, diags: &[Diagnostic]) -> (usize, usize) {
    let mut errors = 0;
    let mut warnings = 0;
    for d in diags {
        match d.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        eprint!("{}", render(name, source, d));
    }
    (errors, warnings)
}
