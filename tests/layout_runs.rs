//! Composition of styled runs, forced breaks, line metrics and units of measure.

mod layout_common;

use layout_common::{advance_at, body, book, compose, texts, width_em};
use zhiban::layout::{Align, ComposeParams, Composer, LayoutError, LayoutWarning, Role, TextRun};

#[test]
fn dateline_run_in_its_own_face_opens_the_lead() {
    // Requirement E4: `本报讯（记者 张三）` is set in a distinct face.
    let composer = Composer::new(book()).unwrap();
    let runs = [
        TextRun {
            text: "本报讯（记者 郭树勋）",
            role: Role::Dateline,
            size: 9.0,
        },
        TextRun {
            text: "昨日上午，示范区党工委、管委会主任王家鹏连续主持召开两次会议。",
            role: Role::Body,
            size: 9.0,
        },
    ];
    let p = composer.compose(&runs, &ComposeParams::body(9.0, 13)).unwrap();
    let first = &p.lines[0];
    assert_eq!(first.runs[0].text, "本报讯（记者 郭树勋）");
    assert_ne!(first.runs[0].font, first.runs[1].font);
    assert!(first.runs[1].text.starts_with('昨'), "{:?}", first.runs);
    // Run x positions add up along the line.
    let x1 = first.runs[0].x + first.runs[0].width();
    assert!((first.runs[1].x - x1).abs() < 0.001);
    assert!((first.width - 99.0).abs() < 0.01);
}

#[test]
fn line_feed_forces_a_break_and_the_line_before_stays_unjustified() {
    let p = compose("中中中\n中中中中中中中", &body(5));
    assert_eq!(texts(&p), ["中中中\n", "中中中中中", "中中"]);
    assert!(
        (width_em(&p, 0) - 3.0).abs() < 0.001,
        "not stretched: {}",
        width_em(&p, 0)
    );
    assert!((width_em(&p, 1) - 5.0).abs() < 0.001);
}

#[test]
fn p1_interpunct_takes_half_an_em_clreq_3_1_2() {
    // Noto Serif SC's U+00B7 is a narrow Latin dot (0.327 em): padded to half an em, centred.
    let p = compose("约翰·史密斯", &body(20));
    assert!((advance_at(&p, "约翰".len()) - 0.5).abs() < 0.001);
    assert!((width_em(&p, 0) - 5.5).abs() < 0.001);
}

#[test]
fn l4_full_width_units_and_currency_stay_with_their_number() {
    for measure in 4..8 {
        let p = compose("中中中100％中中中30℃中中中￥100中中中", &body(measure));
        for line in texts(&p).iter().skip(1) {
            assert!(!line.starts_with(['％', '℃']), "{:?}", texts(&p));
        }
        for line in texts(&p) {
            assert!(!line.ends_with('￥'), "{:?}", texts(&p));
        }
    }
}

#[test]
fn lines_sit_on_a_constant_pitch_with_the_em_box_centred_clreq_2_3_5() {
    let p = compose(&"中".repeat(30), &ComposeParams::body(10.0, 10));
    assert_eq!(p.lines.len(), 4);
    for (k, line) in p.lines.iter().enumerate() {
        assert!((line.height - 15.0).abs() < 0.001, "1.5 em pitch");
        assert!((line.ascent - 8.8).abs() < 0.001 && (line.descent - 1.2).abs() < 0.001);
        // Half the 5 pt gap above the em box, so the baseline is 2.5 + 8.8 below the line top.
        assert!((line.y - (k as f32 * 15.0 + 11.3)).abs() < 0.001, "{}", line.y);
    }
    assert!((p.height - 60.0).abs() < 0.001);
}

#[test]
fn headline_left_aligned_is_ragged_and_never_indented() {
    let composer = Composer::new(book()).unwrap();
    let params = ComposeParams::headline(16.0, 8, Align::Left);
    let run = TextRun {
        text: "扎实开展村（社区）“两委”换届工作",
        role: Role::Headline,
        size: 16.0,
    };
    let p = composer.compose(&[run], &params).unwrap();
    assert!(p.lines.len() >= 2);
    for line in &p.lines {
        assert_eq!(line.x, 0.0);
        assert!(line.width <= 128.01, "{}", line.width);
    }
}

#[test]
fn body_address_wider_than_the_measure_breaks_at_its_slashes_and_dots() {
    let composer = Composer::new(book()).unwrap();
    let run = TextRun {
        text: "中中https://example.com/a/very/long/path中中",
        role: Role::Body,
        size: 10.0,
    };
    let p = composer.compose(&[run], &body(6)).unwrap();
    let lines: Vec<&str> = p.lines.iter().map(|l| &p.text[l.text_range.clone()]).collect();
    assert!(lines.len() > 2, "{lines:?}");
    assert!(lines.iter().all(|l| l.len() < 20));
    assert!(
        lines[..2].iter().all(|l| l.ends_with('/') || l.ends_with('.')),
        "{lines:?}"
    );
    assert!(p.lines.iter().all(|l| l.width <= 60.01));
}

#[test]
fn bad_params_and_missing_roles_are_typed_errors() {
    let composer = Composer::new(book()).unwrap();
    let run = TextRun {
        text: "中",
        role: Role::Body,
        size: 10.0,
    };
    let zero = ComposeParams {
        measure_em: 0,
        ..body(5)
    };
    assert!(matches!(
        composer.compose(&[run], &zero),
        Err(LayoutError::BadParams { .. })
    ));
    let folio = TextRun {
        text: "1",
        role: Role::Folio,
        size: 8.0,
    };
    let err = composer.compose(&[folio], &body(5)).unwrap_err();
    assert!(matches!(err, LayoutError::NoFontForRole { role: Role::Folio }), "{err}");
}

#[test]
fn empty_paragraph_has_no_lines() {
    let p = compose("", &body(5));
    assert!(p.lines.is_empty() && p.height == 0.0);
}

#[test]
fn strict_kinsoku_relaxes_only_when_lines_cannot_be_filled_and_says_so() {
    // Strict forbids `——` at line start, so `等——奖——。` would be one 6.5 em unit in a 6 em
    // first line; the basic level (JLReq §3.1.7) breaks before a `——` and reports it.
    let strict = ComposeParams {
        kinsoku: zhiban::layout::Kinsoku::Strict,
        ..ComposeParams::body(9.0, 8)
    };
    let composer = Composer::new(book()).unwrap();
    let run = TextRun {
        text: "等——奖——。",
        role: Role::Body,
        size: 9.0,
    };
    let p = composer.compose(&[run], &strict).unwrap();
    assert!(
        p.warnings
            .iter()
            .any(|w| matches!(w, LayoutWarning::KinsokuRelaxed { line: 0 })),
        "{p:?}"
    );
    // Where strict can be met, nothing is relaxed.
    let p = compose(
        "中中中中中——中中中中",
        &ComposeParams {
            kinsoku: zhiban::layout::Kinsoku::Strict,
            ..body(5)
        },
    );
    assert!(p.warnings.is_empty() && texts(&p).iter().all(|l| !l.starts_with('—')));
}

#[test]
fn unavoidable_short_last_line_is_reported_g4() {
    let p = compose("Beijing中", &body(4));
    assert_eq!(texts(&p), ["Beijing", "中"]);
    assert_eq!(p.warnings, [LayoutWarning::ShortLastLine]);
    // The lone word is letter-spaced to the measure rather than left short.
    assert!((p.lines[0].width - 40.0).abs() < 0.01);
}

#[test]
fn p5_optional_hanging_of_one_pause_or_stop_clreq_3_1_7() {
    let hanging = ComposeParams {
        hanging: true,
        ..body(5)
    };
    // Off by default: the comma cannot start line 2, so a character is carried down.
    assert_eq!(texts(&compose("中中中中中，中中中", &body(5)))[0], "中中中中");
    // On: the comma hangs half an em past the measure instead.
    let p = compose("中中中中中，中中中", &hanging);
    assert_eq!(texts(&p)[0], "中中中中中，");
    let line = &p.lines[0];
    assert!(
        (line.width - 50.0).abs() < 0.01 && (line.hang - 5.0).abs() < 0.01,
        "{line:?}"
    );
    let advances: f32 = line.runs.iter().map(|r| r.width()).sum();
    assert!((advances - 55.0).abs() < 0.01);
    // Never a run of marks, never a dash.
    let p = compose("中中中中”，中中中", &hanging);
    assert!(p.lines.iter().all(|l| l.hang == 0.0), "{:?}", texts(&p));
    let p = compose(
        "中中中中中——中中中",
        &ComposeParams {
            kinsoku: zhiban::layout::Kinsoku::Strict,
            ..hanging
        },
    );
    assert!(p.lines.iter().all(|l| l.hang == 0.0), "{:?}", texts(&p));
}

#[test]
fn cluster_boxes_tile_each_line_for_alto() {
    let p = compose(
        "本报讯（记者 郭树勋）12月21日上午，示范区召开会议。",
        &ComposeParams::body(9.0, 13),
    );
    for line in &p.lines {
        let boxes = line.cluster_boxes();
        let mut x = 0.0;
        for b in &boxes {
            assert!((b.x - x).abs() < 0.001, "boxes are contiguous");
            x += b.width;
        }
        assert!((x - line.width - line.hang).abs() < 0.01);
        // Every character of the line outside trailing spaces has a box (ligatures share one).
        let covered: usize = boxes.iter().map(|b| b.text_range.len()).sum();
        assert_eq!(covered, p.text[line.text_range.clone()].trim_end().len());
    }
}

#[test]
fn apostrophe_inside_a_latin_word_is_latin_not_a_quote_e2() {
    for measure in 5..9 {
        let p = compose("他们说O’Brien先生don’t来。", &body(measure));
        let lines = texts(&p);
        assert!(lines.iter().any(|l| l.contains("O’Brien")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("don’t")), "{lines:?}");
    }
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
    let mut book = book().clone();
    let latin = book.load(dejavu, 0).unwrap();
    let serif = book.role(Role::Body).unwrap().chain[0];
    book.set_role(Role::Body, vec![latin, serif], false);
    let composer = Composer::new(&book).unwrap();
    let run = TextRun {
        text: "他说“O’Brien”",
        role: Role::Body,
        size: 10.0,
    };
    let p = composer.compose(&[run], &body(20)).unwrap();
    let fonts: Vec<_> = p.lines[0].runs.iter().map(|r| (r.font, r.text.clone())).collect();
    assert_eq!(
        fonts,
        [(serif, "他说“".into()), (latin, "O’Brien".into()), (serif, "”".into())]
    );
}
