//! Golden frames: the seed's headline and first paragraphs laid out on a page, dumped as text.
//!
//! `UPDATE_GOLDEN=1 cargo test --test layout_golden` rewrites `tests/golden/layout/seed.txt`;
//! review the diff.

mod layout_common;

use layout_common::{book, seed_paragraphs};
use zhiban::layout::{Align, ComposeParams, Composer, Frame, Page, Role, TextRun, dump};

#[test]
fn seed_page_matches_golden_dump() {
    let paragraphs = seed_paragraphs();
    let composer = Composer::new(book()).unwrap();
    // A4, one 13 em column of 9 pt body under a 2-line centred headline.
    let mut frame = Frame::new(595.28, 841.89);
    let (left, mut top) = (56.0, 56.0);
    // The headline's measure is the column's: 13 body ems, whatever the headline's own size.
    let headline = ComposeParams::headline(9.0, 13, Align::Center);
    let run = TextRun {
        text: &paragraphs[0],
        role: Role::Headline,
        size: 18.0,
    };
    let p = composer.compose(&[run], &headline).unwrap();
    frame.push_lines(p.lines, left, top);
    top += p.height;
    let body = ComposeParams::body(9.0, 13);
    for text in &paragraphs[1..6] {
        let p = composer
            .compose(
                &[TextRun {
                    text,
                    role: Role::Body,
                    size: 9.0,
                }],
                &body,
            )
            .unwrap();
        frame.push_lines(p.lines, left, top);
        top += p.height;
    }
    let actual = dump(&[Page { number: 1, frame }]);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/layout/seed.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(path).expect("run with UPDATE_GOLDEN=1 to create the golden file");
    assert_eq!(
        actual, expected,
        "frames differ from {path}; UPDATE_GOLDEN=1 rewrites it"
    );
}
