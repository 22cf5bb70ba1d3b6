//! Property tests of composition over real text: the seed's paragraphs shuffled and re-cut, with
//! dashes and ellipses sprinkled in.

mod layout_common;

use layout_common::{book, seed_paragraphs};
use proptest::prelude::*;
use zhiban::layout::{ComposeParams, Composer, Kinsoku, LayoutWarning, Paragraph, Role, TextRun};

/// Never at line start (clreq §3.1.4, L1; the `——`/`……` units are checked separately).
const NOT_AT_START: &str = "。．，、：；！？”’」』）］｝〕〗】》〉·～／％";
/// Never at line end (clreq §3.1.4, L2, GB level).
const NOT_AT_END: &str = "“‘「『（［｛〔〖【《〈／";

/// A paragraph cut from the shuffled seed: `len` characters from character `start`, with
/// `——` or `……` inserted before the characters at `inserts`.
fn cut(order: &[usize], start: usize, len: usize, inserts: &[(usize, bool)]) -> String {
    let paragraphs = seed_paragraphs();
    let all: Vec<char> = order
        .iter()
        .flat_map(|&i| paragraphs[i % paragraphs.len()].chars())
        .collect();
    let start = start % all.len();
    let mut chars: Vec<char> = all[start..(start + len).min(all.len())].to_vec();
    // Positions in the cut text, highest first, so that no unit lands inside another.
    let mut at_positions: Vec<(usize, bool)> = inserts.iter().map(|&(at, d)| (at % (chars.len() + 1), d)).collect();
    at_positions.sort_unstable_by(|a, b| b.cmp(a));
    for (at, dash) in at_positions {
        let unit = if dash { ['—', '—'] } else { ['…', '…'] };
        chars.splice(at..at, unit);
    }
    chars.into_iter().collect::<String>().trim().to_owned()
}

/// Checks every invariant of one composed paragraph; rules may only give way where the
/// paragraph reports it.
fn check(p: &Paragraph, params: &ComposeParams) -> Result<(), TestCaseError> {
    let measure = params.measure();
    let relaxed = |line: usize| p.warnings.contains(&LayoutWarning::KinsokuRelaxed { line });
    let mut at = 0;
    for (k, line) in p.lines.iter().enumerate() {
        // Every source character lands on exactly one line, in order.
        prop_assert_eq!(line.text_range.start, at);
        at = line.text_range.end;
        let text = p.text[line.text_range.clone()].trim_end_matches(' ');
        let last = k + 1 == p.lines.len();
        if k > 0 {
            let first = text.chars().next().unwrap_or(' ');
            prop_assert!(
                !NOT_AT_START.contains(first),
                "line {} starts with {}: {:?}",
                k,
                first,
                text
            );
            if params.kinsoku == Kinsoku::Strict && !relaxed(k - 1) {
                prop_assert!(!text.starts_with(['—', '…']), "strict: line {} starts {:?}", k, text);
            }
        }
        if !last {
            let end = text.chars().last().unwrap_or(' ');
            let banned = NOT_AT_END.contains(end) && !(relaxed(k) && end == '／');
            prop_assert!(!banned, "line {} ends with {}: {:?}", k, end, text);
            // L3: a line never ends inside `——` or `……`.
            for unit in ['—', '…'] {
                let run = text.chars().rev().take_while(|&c| c == unit).count();
                prop_assert!(run % 2 == 0, "line {} splits a {} unit: {:?}", k, unit, text);
            }
            // M2/G1: exactly the measure (less the indent on the first line).
            let expected = measure - line.x;
            let underfull = p.warnings.contains(&LayoutWarning::Underfull { line: k });
            prop_assert!(
                underfull || (line.width - expected).abs() < 0.01,
                "line {} is {} pt, not {}",
                k,
                line.width,
                expected
            );
        }
        let advances: f32 = line.runs.iter().map(|r| r.width()).sum();
        prop_assert!(
            (advances - line.width - line.hang).abs() < 0.01,
            "line {}: advances {} != {}",
            k,
            advances,
            line.width
        );
        // P5: only one `、，。` after a character hangs, and only when asked for.
        if line.hang > 0.0 {
            let mut tail = text.chars().rev();
            let (mark, before) = (tail.next().unwrap_or(' '), tail.next().unwrap_or(' '));
            prop_assert!(
                params.hanging && "、，。".contains(mark) && !NOT_AT_START.contains(before) && !"—…".contains(before),
                "{:?}",
                text
            );
        }
        prop_assert!(line.runs.iter().flat_map(|r| &r.glyphs).all(|g| g.id != 0));
    }
    prop_assert_eq!(at, p.text.len());
    // G4: two characters on the last line unless reported.
    if let [.., last] = p.lines.as_slice()
        && p.lines.len() > 1
        && !p.warnings.contains(&LayoutWarning::ShortLastLine)
    {
        let letters = p.text[last.text_range.clone()]
            .chars()
            // Symbols such as `+` in 体育+旅游 count as characters, as the engine counts them.
            .filter(|c| c.is_alphanumeric() || "+=×÷&@#".contains(*c))
            .count();
        prop_assert!(
            letters >= 2,
            "孤字 on the last line: {:?}",
            &p.text[last.text_range.clone()]
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn seed_paragraphs_obey_kinsoku_and_fill_the_measure(
        order in Just((0..40).collect::<Vec<usize>>()).prop_shuffle(),
        start in 0usize..20_000,
        len in 10usize..400,
        inserts in proptest::collection::vec((0usize..400, any::<bool>()), 0..4),
        measure in 8u32..30,
        strict in any::<bool>(),
        hanging in any::<bool>(),
    ) {
        let text = cut(&order, start, len, &inserts);
        let kinsoku = if strict { Kinsoku::Strict } else { Kinsoku::Gb };
        let params = ComposeParams { kinsoku, hanging, ..ComposeParams::body(9.0, measure) };
        let composer = Composer::new(book()).unwrap();
        let p = composer.compose(&[TextRun { text: &text, role: Role::Body, size: 9.0 }], &params).unwrap();
        check(&p, &params)?;
    }
}

/// Characters of every class composition distinguishes, plus some no font has.
const ALPHABET: &[char] = &[
    '中', '国', '的', '。', '，', '、', '：', '；', '！', '？', '“', '”', '‘', '’', '（', '）', '《', '》', '·', '—',
    '…', '～', '／', '％', '￥', 'A', 'b', '1', '2', '.', ',', '%', '(', ')', '/', '-', ' ', '\n', '\u{3000}',
    '\u{FE01}', '\u{A0}', '\u{2060}', '😀',
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the text, composition returns lines or a typed error, never panics, and lines
    /// still cover the text in order.
    #[test]
    fn any_text_composes_or_fails_with_a_typed_error(
        picks in proptest::collection::vec(0..ALPHABET.len(), 0..120),
        measure in 1u32..20,
        strict in any::<bool>(),
        centred in any::<bool>(),
    ) {
        let text: String = picks.iter().map(|&i| ALPHABET[i]).collect();
        let kinsoku = if strict { Kinsoku::Strict } else { Kinsoku::Gb };
        let mut params = ComposeParams { kinsoku, ..ComposeParams::body(10.0, measure) };
        if centred {
            params = ComposeParams::headline(10.0, measure, zhiban::layout::Align::Center);
        }
        params.indent_em = params.indent_em.min(measure as f32 - 1.0).max(0.0);
        let composer = Composer::new(book()).unwrap();
        match composer.compose(&[TextRun { text: &text, role: Role::Body, size: 10.0 }], &params) {
            Ok(p) => {
                let mut at = 0;
                for line in &p.lines {
                    prop_assert_eq!(line.text_range.start, at);
                    at = line.text_range.end;
                    prop_assert!(line.width <= params.measure() + 0.01);
                }
                prop_assert_eq!(at, if p.lines.is_empty() { 0 } else { text.len() });
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
