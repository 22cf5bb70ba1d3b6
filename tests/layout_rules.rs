//! One test per clreq rule (requirements L1–L6, P2–P4, M1–M2, G1, G3–G5, E2), with clreq's
//! test strings where it has them.

mod layout_common;
use layout_common as common;

use common::{advance_at, body, compose, texts, width_em};
use zhiban::layout::{Align, ComposeParams, Composer, Kinsoku, LayoutError, LayoutWarning, Role, TextRun};

/// Asserts that every line but the last is exactly `measure` ems (of 10 pt) wide.
fn assert_justified(p: &zhiban::layout::Paragraph, measure: f32) {
    for (k, line) in p.lines.iter().enumerate().take(p.lines.len().saturating_sub(1)) {
        let expected = measure * 10.0 - line.x;
        assert!(
            (line.width - expected).abs() < 0.01,
            "line {k} is {} pt, not {expected}",
            line.width
        );
        let sum: f32 = line.runs.iter().map(|r| r.width()).sum();
        assert!(
            (sum - line.width).abs() < 0.01,
            "line {k}: advances {sum} != width {}",
            line.width
        );
    }
}

#[test]
fn l1_no_line_start_closing_marks_clreq_3_1_4() {
    for mark in "。，、：；！？”’」』）》〉·～".chars() {
        let p = compose(&format!("中中中中中{mark}中中中"), &body(5));
        for line in texts(&p).iter().skip(1) {
            assert!(!line.starts_with(mark), "{mark} starts a line: {:?}", texts(&p));
        }
        assert_justified(&p, 5.0);
    }
}

#[test]
fn l2_no_line_end_opening_marks_clreq_3_1_4() {
    for mark in "“‘「『（《〈".chars() {
        let p = compose(&format!("中中中中{mark}中中中中"), &body(5));
        for line in texts(&p) {
            assert!(!line.ends_with(mark), "{mark} ends a line: {:?}", texts(&p));
        }
        assert_justified(&p, 5.0);
    }
}

#[test]
fn l2_gb_level_keeps_solidus_off_line_end_but_basic_does_not() {
    let gb = compose("中中中中／中中中中", &body(5));
    assert!(texts(&gb).iter().all(|l| !l.ends_with('／')), "{:?}", texts(&gb));
    let basic = compose(
        "中中中中／中中中中",
        &ComposeParams {
            kinsoku: Kinsoku::Basic,
            ..body(5)
        },
    );
    assert_eq!(texts(&basic)[0], "中中中中／");
}

#[test]
fn l2_strict_level_keeps_dash_and_ellipsis_off_line_start_clreq_3_1_4() {
    let gb = compose("中中中中中——中中", &body(5));
    assert_eq!(texts(&gb), ["中中中中中", "——中中"]);
    let strict = ComposeParams {
        kinsoku: Kinsoku::Strict,
        ..body(5)
    };
    for text in ["中中中中中——中中", "中中中中中……中中"] {
        let p = compose(text, &strict);
        assert!(texts(&p).iter().all(|l| !l.starts_with(['—', '…'])), "{:?}", texts(&p));
        assert_justified(&p, 5.0);
    }
}

/// The summed advance, in ems of 10 pt, of the glyphs rendering bytes `range`.
fn advance_of(p: &zhiban::layout::Paragraph, range: std::ops::Range<usize>) -> f32 {
    let mut sum = 0.0;
    for run in p.lines.iter().flat_map(|l| &l.runs) {
        for g in &run.glyphs {
            if range.contains(&(run.text_range.start + g.text_range.start)) {
                sum += g.x_advance;
            }
        }
    }
    sum / 10.0
}

#[test]
fn l3_dash_and_ellipsis_never_split_nor_stretched_clreq_3_1_5_1() {
    for unit in ["——", "……"] {
        for lead in 1..6 {
            let text = format!("{}{unit}{}", "中".repeat(lead), "中".repeat(6));
            let p = compose(&text, &body(5));
            let lines = texts(&p);
            assert!(lines.iter().any(|l| l.contains(unit)), "{unit} split: {lines:?}");
            assert_justified(&p, 5.0);
            // Two ems wide (P1), the space between its halves never widened: only the advance of
            // its last glyph may carry the stretch of the following gap.
            let at = text.find(unit).unwrap();
            let line = p.lines.iter().find(|l| l.text_range.contains(&at)).unwrap();
            let at_line_end = line.text_range.end == at + unit.len();
            let width = advance_of(&p, at..at + unit.len());
            let first_glyph = advance_of(&p, at..at + 1);
            assert!(
                width >= 1.999 && (!at_line_end || width < 2.001),
                "{unit} after {lead}: {width}"
            );
            assert!(first_glyph <= 2.001, "{unit}: {first_glyph}");
        }
    }
    let p = compose("中中中——————中中中", &body(5));
    assert!(
        texts(&p).iter().all(|l| l.matches('—').count() % 2 == 0),
        "{:?}",
        texts(&p)
    );
}

#[test]
fn l4_numbers_words_and_units_never_split_jlreq_3_1_10() {
    let text = "中2020年中11.6中4,000元85%中Beijing中";
    // From 5 em: at 4, `2020年` kept whole leaves `中` alone on the first line.
    for measure in 5..9 {
        let p = compose(text, &body(measure));
        let lines = texts(&p);
        for unit in ["2020", "11.6", "4,000", "85%", "Beijing"] {
            assert!(
                lines.iter().any(|l| l.contains(unit)),
                "{unit} split at {measure}: {lines:?}"
            );
        }
        assert_justified(&p, measure as f32);
    }
    // `2020|年` never breaks: the number keeps its unit.
    for measure in 4..8 {
        let p = compose("中中中2020年中中", &body(measure));
        assert!(
            texts(&p).iter().any(|l| l.contains("2020年")),
            "{measure}: {:?}",
            texts(&p)
        );
    }
}

#[test]
fn l5_push_in_before_push_out_clreq_3_1_4() {
    // The second `，` would start line 2; squeezing the first `，` makes room for it (push-in).
    let p = compose("中，中中中中，中中中", &body(6));
    assert_eq!(texts(&p)[0], "中，中中中中，");
    assert!((advance_at(&p, "中".len()) - 0.5).abs() < 0.001);
    assert_justified(&p, 6.0);
    // Nothing to squeeze: carry a character down (push-out) and stretch the line.
    let p = compose("中中中中中中，中中", &body(6));
    assert_eq!(texts(&p), ["中中中中中", "中，中中"]);
    assert_justified(&p, 6.0);
}

#[test]
fn l6_break_before_opening_quote_never_after_it_css_text_quotation_cjk() {
    let p = compose("中中中中“中中”中中", &body(4));
    let lines = texts(&p);
    assert_eq!(lines[0], "中中中中");
    assert!(lines[1].starts_with('“'), "{lines:?}");
    for line in &lines {
        assert!(!line.ends_with('“'), "{lines:?}");
    }
}

#[test]
fn p2_adjacent_marks_take_one_and_a_half_em_clreq_3_1_6_2() {
    for pair in ["）。", "”，", "：“", "》、", "、《", "。”", "（“"] {
        let text = format!("中{pair}中");
        let p = compose(&text, &body(20));
        let at = "中".len();
        let total = advance_at(&p, at) + advance_at(&p, at + pair.len() / 2);
        assert!((total - 1.5).abs() < 0.001, "{pair} takes {total} em");
    }
}

#[test]
fn p3_opening_bracket_at_line_start_loses_its_blank_half_clreq_3_1_6_3() {
    // After the first-line indent…
    let p = compose("（中中）中中", &ComposeParams::body(10.0, 10));
    let glyph = &p.lines[0].runs[0].glyphs[0];
    assert!((glyph.x_advance - 5.0).abs() < 0.001 && (glyph.x_offset + 5.0).abs() < 0.001);
    assert!((p.lines[0].x - 20.0).abs() < 0.001);
    // …and at the start of a later line.
    let p = compose("中中中中“中中”中中", &body(4));
    let glyph = &p.lines[1].runs[0].glyphs[0];
    assert!((glyph.x_offset + 5.0).abs() < 0.001, "{glyph:?}");
    // Unless switched off.
    let off = ComposeParams {
        trim_opening_at_line_start: false,
        ..body(20)
    };
    let p = compose("“中中”", &off);
    assert!((p.lines[0].runs[0].glyphs[0].x_advance - 10.0).abs() < 0.001);
}

#[test]
fn p4_line_end_mark_set_half_width_gb_t_15834_5_1_10() {
    // The Latin word cannot join line 1, so line 1 ends with `。` and is stretched: the stop
    // stays half width, the stretch goes between the characters.
    let p = compose("中中中中。Beijing", &body(5));
    assert_eq!(texts(&p)[0], "中中中中。");
    assert!((advance_at(&p, "中中中中".len()) - 0.5).abs() < 0.001);
    assert_justified(&p, 5.0);
    // A paragraph's last line too.
    let p = compose("中中。", &body(20));
    assert!((width_em(&p, 0) - 2.5).abs() < 0.001);
    // A closing pair at line end takes one em (`”` squeezed by P2, `，` by P4).
    let p = compose("中中中”，中中中中", &body(4));
    assert_eq!(texts(&p)[0], "中中中”，");
    assert!((advance_of(&p, "中中中".len().."中中中”，".len()) - 1.0).abs() < 0.001);
}

#[test]
fn m1_quarter_em_between_han_and_latin_clreq_3_2_2() {
    let p = compose("中ABC中", &body(20));
    let latin = compose("ABC", &body(20));
    let expected = 2.0 + width_em(&latin, 0) + 0.5;
    assert!(
        (width_em(&p, 0) - expected).abs() < 0.001,
        "{} != {expected}",
        width_em(&p, 0)
    );
    // None next to punctuation, a parameter otherwise, none at line edges.
    let p = compose("（ABC）", &body(20));
    assert!(
        (width_em(&p, 0) - (width_em(&latin, 0) + 1.0)).abs() < 0.001,
        "brackets trimmed at the edges"
    );
    let eighth = compose(
        "中ABC中",
        &ComposeParams {
            han_latin_em: 0.125,
            ..body(20)
        },
    );
    assert!((width_em(&eighth, 0) - (expected - 0.25)).abs() < 0.001);
    let p = compose("中中中ABC", &body(3));
    assert!(texts(&p)[1] == "ABC" && (p.lines[1].x).abs() < 0.001);
}

#[test]
fn m2_shrink_brackets_before_commas_clreq_3_5_3() {
    // `中（中）中，中` is 7 em: the brackets give their blanks, the comma keeps its width.
    let p = compose("中（中）中，中中中", &body(6));
    assert_eq!(texts(&p)[0], "中（中）中，中");
    let comma = "中（中）中".len();
    assert!((advance_at(&p, comma) - 1.0).abs() < 0.001, "{}", advance_at(&p, comma));
    assert!((advance_at(&p, "中".len()) - 0.5).abs() < 0.001);
    assert_justified(&p, 6.0);
}

#[test]
fn m2_stretch_word_spaces_before_letters_clreq_3_5_4() {
    // 6 em and a word space in a 7 em measure: the space widens to half an em first, then all
    // five gaps (the space's included) share the remaining half em.
    let p = compose("中中中 中中中中中中中", &body(7));
    assert_eq!(texts(&p)[0], "中中中 中中中");
    assert_justified(&p, 7.0);
    let space = "中中中".len();
    assert!((advance_at(&p, space) - 0.6).abs() < 0.001, "{}", advance_at(&p, space));
    assert!((advance_at(&p, 0) - 1.1).abs() < 0.001);
}

#[test]
fn g1_g3_measure_in_whole_ems_and_two_em_indent_clreq_3_4_1() {
    let params = ComposeParams::body(9.0, 13);
    let p = compose(
        &"示范区召开党工委扩大会议，传达学习中央经济工作会议精神。".repeat(3),
        &params,
    );
    assert!((p.lines[0].x - 18.0).abs() < 0.001);
    assert!((p.lines[0].width - 99.0).abs() < 0.01);
    for line in &p.lines[1..p.lines.len() - 1] {
        assert!((line.width - 117.0).abs() < 0.01 && line.x == 0.0);
    }
    assert!((p.height - p.lines.len() as f32 * 13.5).abs() < 0.001);
}

#[test]
fn g4_last_line_holds_two_characters_clreq_3_4_4() {
    let p = compose("中中中中中中中中中。", &body(4));
    let lines = texts(&p);
    let last = lines.last().unwrap();
    assert!(last.chars().filter(|&c| c == '中').count() >= 2, "{lines:?}");
    assert_justified(&p, 4.0);
}

#[test]
fn g5_headline_centred_no_indent_never_overflowing_clreq_4_1_2() {
    let composer = Composer::new(common::book()).unwrap();
    let params = ComposeParams::headline(20.0, 10, Align::Center);
    let run = TextRun {
        text: "示范区召开党工委（扩大）会议传达学习精神",
        role: Role::Headline,
        size: 20.0,
    };
    let p = composer.compose(&[run], &params).unwrap();
    assert!(p.lines.len() == 2);
    for line in &p.lines {
        assert!(line.width <= 200.01);
        assert!(
            (line.x * 2.0 + line.width - 200.0).abs() < 0.01,
            "not centred: {line:?}"
        );
        assert!(!line.runs[0].synthetic_bold, "Sans Bold is bold already");
    }
    let run = TextRun {
        text: "Pneumonoultramicroscopicsilicovolcanoconiosis",
        role: Role::Headline,
        size: 20.0,
    };
    // A word wider than the measure is broken between letters with a warning, not refused.
    let p = composer.compose(&[run], &params).unwrap();
    assert!(p.lines.len() > 1 && p.lines.iter().all(|l| l.width <= 200.01));
    assert!(
        matches!(&p.warnings[..], [LayoutWarning::TokenBroken { offset: 0, .. }]),
        "{:?}",
        p.warnings
    );
}

#[test]
fn synthetic_bold_when_the_role_is_bold_and_the_font_is_not() {
    let composer = Composer::new(common::book()).unwrap();
    let run = TextRun {
        text: "引题",
        role: Role::Kicker,
        size: 12.0,
    };
    let p = composer
        .compose(&[run], &ComposeParams::headline(12.0, 10, Align::Left))
        .unwrap();
    assert!(p.lines[0].runs[0].synthetic_bold);
}

#[test]
fn missing_glyph_is_a_typed_error_never_notdef() {
    let composer = Composer::new(common::book()).unwrap();
    let run = TextRun {
        text: "中中\u{1F600}",
        role: Role::Body,
        size: 10.0,
    };
    let err = composer.compose(&[run], &body(10)).unwrap_err();
    match &err {
        LayoutError::MissingGlyph {
            ch, text_offset, run, ..
        } => {
            assert_eq!((*ch, *text_offset, *run), ('\u{1F600}', 6, 0));
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("U+1F600"));
}

#[test]
fn e2_quotes_come_full_width_from_the_cjk_font_clreq_3_1_1() {
    let p = compose("他说“好”。", &body(20));
    assert!((advance_at(&p, "他说".len()) - 1.0).abs() < 0.001);
    // With a Latin font first in the chain the quotes still come from the CJK font.
    let dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    if !std::path::Path::new(dejavu).exists() {
        // A Latin font ahead of the CJK one is a case the bundled fonts cannot make; CI installs
        // Debian's fonts-dejavu-core for it and requires it.
        assert!(
            std::env::var_os("ZHIBAN_REQUIRE_VALIDATORS").is_none(),
            "{dejavu} is required (ZHIBAN_REQUIRE_VALIDATORS is set): apt-get install fonts-dejavu-core"
        );
        eprintln!("skipped: {dejavu} not installed");
        return;
    }
    let mut book = common::book().clone();
    let latin = book.load(dejavu, 0).unwrap();
    let serif = book.role(Role::Body).unwrap().chain[0];
    book.set_role(Role::Body, vec![latin, serif], false);
    let composer = Composer::new(&book).unwrap();
    let run = TextRun {
        text: "A“好”B",
        role: Role::Body,
        size: 10.0,
    };
    let p = composer.compose(&[run], &body(20)).unwrap();
    let fonts: Vec<_> = p.lines[0].runs.iter().map(|r| (r.font, r.text.clone())).collect();
    assert_eq!(
        fonts,
        [(latin, "A".into()), (serif, "“好”".into()), (latin, "B".into())]
    );
}

#[test]
fn every_byte_on_one_line_and_runs_index_their_text() {
    let text = "本报讯（记者 郭树勋）12月21日上午、22日上午，示范区党工委、管委会主任王家鹏连续主持召开两次会议。";
    let p = compose(text, &ComposeParams::body(9.0, 13));
    let mut at = 0;
    for line in &p.lines {
        assert_eq!(line.text_range.start, at);
        at = line.text_range.end;
        for run in &line.runs {
            assert_eq!(&p.text[run.text_range.clone()], run.text);
            for g in &run.glyphs {
                assert!(g.text_range.end <= run.text.len() && g.id != 0);
            }
        }
    }
    assert_eq!(at, text.len());
}

#[test]
fn m2_stops_shrink_last_and_only_if_the_style_allows_clreq_3_5_3() {
    // Push-in of the comma needs half an em; only the full stop has it.
    let p = compose("中。中中中，中中", &body(5));
    assert_eq!(texts(&p)[0], "中。中中中，");
    assert!((advance_at(&p, "中".len()) - 0.5).abs() < 0.001);
    let strict_stops = ComposeParams {
        shrink_stops: false,
        ..body(5)
    };
    let p = compose("中。中中中，中中", &strict_stops);
    assert_eq!(texts(&p)[0], "中。中中", "push-out instead");
    assert!(
        advance_at(&p, "中".len()) >= 0.999,
        "the stop keeps its width (plus the stretch after it)"
    );
    assert_justified(&p, 5.0);
}

/// A number is never parted from the unit after it, nor a phone number's digit groups from each
/// other, wherever the measure puts the line end; the same text without digits does break there.
#[test]
fn numbers_keep_their_units_and_digit_groups_together() {
    let cases = [
        ("总量达到5.2亿元，同比增长", "5.2", '亿'),
        ("全年接待游客1306.91万人次", "1306.91", '万'),
        ("会议于本月27日在区政府召开", "27", '日'),
        ("咨询电话2123 4567欢迎来电", "2123", '4'),
    ];
    for (text, number, unit) in cases {
        for measure in 6..=14 {
            let p = compose(text, &body(measure));
            let lines = texts(&p);
            for pair in lines.windows(2) {
                let split = pair[0].trim_end().ends_with(number) && pair[1].trim_start().starts_with(unit);
                assert!(!split, "`{number}` and `{unit}` split at {measure} em: {lines:?}");
            }
            assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', ""),
                "every character kept"
            );
        }
    }
    // The rule is what holds them: Han characters in the number's place break anywhere.
    let han = compose("全年接待游客一三零六万人次", &body(10));
    assert!(texts(&han)[0].ends_with('六'), "{:?}", texts(&han));
}
