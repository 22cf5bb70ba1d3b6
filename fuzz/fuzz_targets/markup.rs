//! Fuzz target: the markup parser on arbitrary text never panics and keeps every span in bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhiban::diag::LineIndex;
use zhiban::markup::{ParseOptions, parse};

fuzz_target!(|data: &[u8]| {
    // The CLI refuses bytes that are not UTF-8 before parsing; lossy decoding keeps every
    // input useful to the fuzzer instead of discarding the invalid ones.
    let src = String::from_utf8_lossy(data);
    let parsed = parse(&src, ParseOptions::default());
    let index = LineIndex::new(&src);
    for d in &parsed.diagnostics {
        if let Some(span) = d.span {
            assert!(
                span.start <= span.end && span.end <= src.len(),
                "{d:?} out of {}",
                src.len()
            );
            assert!(
                src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
                "{d:?}"
            );
            let (line, col) = index.line_col(&src, span.start);
            assert!(
                line >= 1 && line <= index.line_count() && col >= 1,
                "{d:?} at {line}:{col}"
            );
        }
    }
});
