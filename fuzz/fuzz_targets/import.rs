//! Fuzz target: the importer on arbitrary bytes never panics, keeps spans in bounds, and writes
//! markup that the parser reads without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhiban::import::{ImportOptions, import};
use zhiban::markup::{ParseOptions, parse, write};

fuzz_target!(|data: &[u8]| {
    let imported = import(data, &ImportOptions::default());
    let text = &imported.text;
    let spans = imported
        .diagnostics
        .iter()
        .filter_map(|d| d.span)
        .chain(imported.explanations.iter().map(|e| e.span));
    for span in spans {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{span:?} out of {}",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{span:?}"
        );
    }
    let markup = write(&imported.bulletin);
    let _ = parse(&markup, ParseOptions::default());
});
