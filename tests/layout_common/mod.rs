//! Shared helpers of the layout tests: the bundled fonts, a composer and line texts.
#![allow(dead_code, unreachable_pub)]

use std::sync::OnceLock;

use zhiban::layout::{ComposeParams, Composer, FontBook, Paragraph, Role, TextRun};

/// The bundled fonts: Serif for body, Sans Bold for headlines.
pub fn book() -> &'static FontBook {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/");
        let mut book = FontBook::new();
        let serif = book.load(format!("{dir}NotoSerifSC-Regular.ttf"), 0).unwrap();
        let sans = book.load(format!("{dir}NotoSansSC-Bold.ttf"), 0).unwrap();
        book.set_role(Role::Body, vec![serif], false);
        book.set_role(Role::Dateline, vec![sans], false);
        book.set_role(Role::Headline, vec![sans], true);
        book.set_role(Role::Kicker, vec![serif], true);
        book
    })
}

/// Composes `text` as body text with `params`.
pub fn compose(text: &str, params: &ComposeParams) -> Paragraph {
    let composer = Composer::new(book()).unwrap();
    let run = TextRun {
        text,
        role: Role::Body,
        size: params.size,
    };
    composer.compose(&[run], params).unwrap()
}

/// The text of each line.
pub fn texts(p: &Paragraph) -> Vec<String> {
    p.lines
        .iter()
        .map(|l| p.text[l.text_range.clone()].to_owned())
        .collect()
}

/// Body text at 10 pt with `measure` ems and no indent.
pub fn body(measure: u32) -> ComposeParams {
    ComposeParams {
        indent_em: 0.0,
        ..ComposeParams::body(10.0, measure)
    }
}

/// The advance of the glyph rendering byte `at` of the paragraph, in ems of 10 pt.
pub fn advance_at(p: &Paragraph, at: usize) -> f32 {
    for line in &p.lines {
        for run in &line.runs {
            for g in &run.glyphs {
                if run.text_range.start + g.text_range.start == at {
                    return g.x_advance / 10.0;
                }
            }
        }
    }
    panic!("no glyph at byte {at}");
}

/// The width of line `k` in ems of 10 pt.
pub fn width_em(p: &Paragraph, k: usize) -> f32 {
    p.lines[k].width / 10.0
}

/// The seed issue's paragraphs (non-empty lines), with the half-width `,;:()` that text
/// extraction left set full width again, as the printed text has them.
pub fn seed_paragraphs() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed.txt");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(full_width)
        .collect()
}

/// Sets the half-width marks `,;:()` full width.
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}
