//! Composes every paragraph of the seed issue (set full width) at 9 pt into a 13 em measure.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "../tests/layout_common/mod.rs"]
mod layout_common;

use zhiban::layout::{ComposeParams, Composer, Role, TextRun};

/// The whole seed, paragraph by paragraph, with one composer (fonts parsed once).
fn compose_seed(c: &mut Criterion) {
    let paragraphs = layout_common::seed_paragraphs();
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let composer = Composer::new(layout_common::book()).expect("fonts parse");
    let params = ComposeParams::body(9.0, 13);
    let mut lines = 0;
    for text in &paragraphs {
        let run = TextRun {
            text,
            role: Role::Body,
            size: 9.0,
        };
        lines += composer.compose(&[run], &params).expect("seed composes").lines.len();
    }
    eprintln!(
        "seed: {} paragraphs, {chars} characters, {lines} lines",
        paragraphs.len()
    );
    c.bench_function("compose seed 9pt 13em", |b| {
        b.iter(|| {
            for text in &paragraphs {
                let run = TextRun {
                    text,
                    role: Role::Body,
                    size: 9.0,
                };
                black_box(composer.compose(&[run], black_box(&params)).expect("seed composes"));
            }
        })
    });
}

criterion_group!(benches, compose_seed);
criterion_main!(benches);
