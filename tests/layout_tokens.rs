//! Long tokens never stop a build: web and e-mail addresses break at their own break points
//! (after `/ . ? & =`, before `@`) without letter-spacing, and a token with no break point that
//! fits is broken between characters with a warning.

mod layout_common;

use layout_common::{body, compose, texts};
use zhiban::layout::LayoutWarning;

#[test]
fn an_address_breaks_after_its_slashes_and_dots() {
    let text = "详见网址https://www.example.gov.cn/zwgk/2024/tzgg/t20240512_1234567.html。";
    let p = compose(text, &body(8));
    let lines = texts(&p);
    assert!(lines.len() >= 4, "{lines:?}");
    for line in &lines[..lines.len() - 1] {
        let last = line.chars().last().unwrap();
        assert!(
            "/._址".contains(last) || !last.is_ascii(),
            "a line ends inside an address word: {lines:?}"
        );
    }
    // Lines that end inside the address are left short rather than letter-spaced.
    for (k, line) in p.lines.iter().enumerate().take(p.lines.len() - 1) {
        let run_gaps = line.runs.iter().flat_map(|r| r.glyphs.windows(2)).count();
        assert!(run_gaps > 0 && line.width <= 80.01, "line {k}: {line:?}");
    }
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn an_email_address_breaks_before_the_at_sign_or_after_a_dot() {
    let p = compose("来稿请发至xiangmu@pingchuanribao.example.cn，谢谢。", &body(10));
    let lines = texts(&p);
    assert!(
        lines.iter().any(|l| l.ends_with("xiangmu") || l.ends_with('.')),
        "{lines:?}"
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn a_token_with_no_break_point_is_broken_with_a_warning() {
    let digits = "6222021001001234567890123456789";
    let p = compose(&format!("账号{digits}。"), &body(6));
    let joined: String = texts(&p).concat();
    assert_eq!(joined, format!("账号{digits}。"), "no character lost");
    assert!(
        p.warnings
            .iter()
            .any(|w| matches!(w, LayoutWarning::TokenBroken { token, .. } if token.contains("62220210"))),
        "{:?}",
        p.warnings
    );
    for line in &p.lines {
        assert!(line.x + line.width <= 60.01, "{line:?}");
    }
}

#[test]
fn decimals_and_ordinary_words_do_not_gain_break_points() {
    // `3.5` is no address; `example` alone neither.
    let p = compose("增长3.5个百分点，example一词", &body(20));
    assert_eq!(p.lines.len(), 1);
}
