//! The stylesheet: Chinese reading typography (clreq) with font stacks per role.

// Every stack names Chinese fonts first, so that quotation marks shared with Latin (U+201C,
// U+2018 …) take the full-width CJK glyph (cjk-requirements E2, pandoc#7509), and ends with a
// generic family so that a reading system without any of them still picks a Chinese font for
// `lang="zh-CN"` text. Reading systems let the reader override faces and sizes; nothing here
// fixes a size in pixels.

use super::fonts::Role;
use crate::model::Convention;

/// Song (宋体/明体) for body text: macOS/iOS, Windows, Android/Linux (Noto, Source Han), Kobo.
pub(super) const SONG: &str = "\"Songti SC\", \"STSong\", \"SimSun\", \"宋体\", \"Noto Serif CJK SC\", \
\"Noto Serif SC\", \"Source Han Serif SC\", \"Source Han Serif CN\", \"AR PL UMing CN\", serif";
/// Hei (黑体) for headlines, banners, datelines and strong emphasis.
pub(super) const HEI: &str = "\"PingFang SC\", \"Heiti SC\", \"STHeiti\", \"Microsoft YaHei\", \"微软雅黑\", \
\"SimHei\", \"黑体\", \"Noto Sans CJK SC\", \"Noto Sans SC\", \"Source Han Sans SC\", \
\"Source Han Sans CN\", \"WenQuanYi Micro Hei\", sans-serif";
/// Kai (楷体) for captions and bylines; the stylesheet follows it with the Song stack, so it
/// falls back to Song, never to a Latin face.
pub(super) const KAI: &str = "\"Kaiti SC\", \"STKaiti\", \"KaiTi\", \"楷体\", \"AR PL UKai CN\", \"TW-Kai\"";

/// The stacks of traditional text as set in Taiwan: Ming (明體), Hei (黑體) and Kai (楷書)
/// faces whose glyphs follow Taiwan's standard forms and centre the pause and stop marks
/// (clreq §3.1.1); a reading system given the mainland stacks would show mainland shapes
/// and marks in the corner.
pub(super) const SONG_TW: &str = "\"Songti TC\", \"PMingLiU\", \"新細明體\", \"MingLiU\", \"Noto Serif CJK TC\", \
\"Noto Serif TC\", \"Source Han Serif TC\", \"Source Han Serif TW\", \"AR PL UMing TW\", serif";
/// Hei for Taiwan.
pub(super) const HEI_TW: &str = "\"PingFang TC\", \"Heiti TC\", \"Microsoft JhengHei\", \"微軟正黑體\", \
\"Noto Sans CJK TC\", \"Noto Sans TC\", \"Source Han Sans TC\", \"Source Han Sans TW\", sans-serif";
/// Kai for Taiwan.
pub(super) const KAI_TW: &str = "\"Kaiti TC\", \"BiauKai\", \"DFKai-SB\", \"標楷體\", \"TW-Kai\", \"AR PL UKai TW\"";
/// The stacks of traditional text as set in Hong Kong and Macao (Hong Kong's standard forms,
/// HKSCS characters), falling back to Taiwan's faces, which share the centred marks.
pub(super) const SONG_HK: &str = "\"Songti TC\", \"MingLiU_HKSCS\", \"PMingLiU\", \"Noto Serif CJK HK\", \
\"Noto Serif HK\", \"Source Han Serif HC\", \"Noto Serif CJK TC\", \"Source Han Serif TC\", \"AR PL UMing HK\", serif";
/// Hei for Hong Kong and Macao.
pub(super) const HEI_HK: &str = "\"PingFang HK\", \"Heiti TC\", \"Microsoft JhengHei\", \"Noto Sans CJK HK\", \
\"Noto Sans HK\", \"Source Han Sans HC\", \"Noto Sans CJK TC\", \"Source Han Sans TC\", sans-serif";
/// Kai for Hong Kong and Macao.
pub(super) const KAI_HK: &str = "\"Kaiti TC\", \"DFKai-SB\", \"標楷體\", \"AR PL UKai HK\", \"AR PL UKai TW\"";

/// The system stacks (Song, Hei, Kai) for an issue's convention.
fn system_stacks(convention: Convention) -> (&'static str, &'static str, &'static str) {
    match convention {
        Convention::Simplified => (SONG, HEI, KAI),
        Convention::Taiwan => (SONG_TW, HEI_TW, KAI_TW),
        Convention::HongKong => (SONG_HK, HEI_HK, KAI_HK),
    }
}

/// The stylesheet's text for an issue of `convention`; `embedded` are the faces whose subsets
/// the EPUB carries, declared with `@font-face` and put first in their stacks.
pub(super) fn stylesheet(embedded: &[(Role, String)], convention: Convention) -> String {
    let mut faces = String::new();
    let has = |r: Role| embedded.iter().any(|(role, _)| *role == r);
    for (role, href) in embedded {
        faces.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  src: url(\"../{}\");\n  font-weight: {};\n  font-style: normal;\n}}\n\n",
            role.family(),
            href,
            role.weight()
        ));
    }
    // Embedded faces go first in their stacks; the rare-character subset follows the Song or
    // Hei subset in both, so that it only takes the characters they lack.
    let stack = |own: Role, system: &str| {
        let mut families: Vec<String> = [own, Role::Rare]
            .into_iter()
            .filter(|&r| has(r))
            .map(|r| format!("\"{}\"", r.family()))
            .collect();
        families.push(system.to_string());
        families.join(", ")
    };
    let (song_system, hei_system, kai_system) = system_stacks(convention);
    let (song, hei) = (stack(Role::Song, song_system), stack(Role::Hei, hei_system));
    let kai = format!("{kai_system}, {song}");
    format!(
        r#"@charset "UTF-8";
/* zhiban: Chinese newspaper reading styles (W3C clreq). */

{faces}
html {{
  font-family: {song};
  /* clreq §2.3.5: line gap 50–100 % of the font size; 1.8 reads well on phones. */
  line-height: 1.8;
}}

body {{
  margin: 0 0.5em;
  /* clreq §3.5.1: justify every line but a paragraph's last. */
  text-align: justify;
  /* clreq §3.1.4: no closing mark at line start, no opening mark at line end. */
  line-break: strict;
  word-break: normal;
  overflow-wrap: break-word;
  /* clreq §3.1.7: mainland publications do not hang punctuation. */
  hanging-punctuation: none;
  /* clreq §3.2.2: a quarter em between Han and Latin letters or digits, where supported. */
  text-autospace: ideograph-alpha ideograph-numeric;
}}

p {{
  margin: 0;
  /* clreq §3.4.1: every paragraph, the first after a heading too, is indented 2 em; no
     space between paragraphs. */
  text-indent: 2em;
  /* clreq §3.4.4: avoid a last line of a lone character (孤字), where supported, and a lone
     line at the top or foot of a screen in paginated reading systems (孤行). */
  text-wrap: pretty;
  orphans: 2;
  widows: 2;
}}

h1, h2, h3, h4, h5, h6 {{
  /* clreq §4.1.2: Hei headings, centred in horizontal text. */
  font-family: {hei};
  font-weight: bold;
  text-align: center;
  text-indent: 0;
  line-height: 1.4;
  /* Even lines instead of a last line of one or two characters, where supported. */
  text-wrap: balance;
  page-break-after: avoid;
  break-after: avoid;
}}

h1.edition-title {{
  font-size: 1.15em;
  margin: 0.5em 0 1em;
  padding-bottom: 0.25em;
  border-bottom: 2px solid #a00000;
  color: #a00000;
}}

.banner {{
  font-size: 1.1em;
  margin: 1.5em 0 0.5em;
  padding: 0.2em 0;
  border-top: 1px solid #a00000;
  border-bottom: 1px solid #a00000;
  color: #a00000;
}}

article {{
  margin: 0 0 2em;
}}

header {{
  margin: 1.5em 0 1em;
  page-break-inside: avoid;
  break-inside: avoid;
}}

/* E4: 引题 above the headline, 主题 the largest line, 副题 below, byline last. */
.kicker, .subtitle, .byline {{
  text-indent: 0;
  text-align: center;
  text-wrap: balance;
}}

/* Headlines break between words, as in print: only where a <wbr/> marks a word boundary, at a
   space or after punctuation; a word wider than the screen still wraps. */
.headline, .kicker, .subtitle {{
  word-break: keep-all;
  overflow-wrap: break-word;
}}

/* A space typed between two Chinese phrases of a headline is a clause gap of about an em. */
.gap {{
  word-spacing: 0.75em;
}}

.kicker {{
  font-family: {hei};
  font-size: 0.95em;
}}

.headline {{
  font-size: 1.45em;
  margin: 0.2em 0;
}}

.subtitle {{
  font-family: {hei};
  font-size: 1em;
}}

.byline {{
  font-family: {kai};
  margin-top: 0.4em;
}}

/* E4: the dateline that opens a lead paragraph is set in a distinct face. */
.dateline {{
  font-family: {hei};
  font-weight: bold;
}}

.subhead {{
  font-size: 1.05em;
  margin: 1em 0 0.3em;
}}

strong {{
  font-family: {hei};
  font-weight: bold;
}}

/* Chinese emphasis is emphasis dots (着重号) under the text, not italics (clreq §3.3.4). */
em {{
  font-style: normal;
  -webkit-text-emphasis: filled dot;
  text-emphasis: filled dot;
  -webkit-text-emphasis-position: under right;
  text-emphasis-position: under right;
}}

figure {{
  margin: 1.2em 0;
  page-break-inside: avoid;
  break-inside: avoid;
}}

figure img {{
  display: block;
  margin: 0 auto;
  max-width: 100%;
  height: auto;
}}

/* The caption is visible, under the photo, in Kai, with the credit on its own line. */
figcaption {{
  font-family: {kai};
  font-size: 0.9em;
  margin-top: 0.4em;
}}

figcaption p {{
  text-indent: 2em;
}}

figcaption .credit {{
  text-align: right;
  text-indent: 0;
}}

.boxed {{
  margin: 1em 0;
  padding: 0.5em 0.8em;
  border: 1px solid #555;
}}

.note, .edition-editor {{
  text-align: right;
  text-indent: 0;
}}

.note.remark {{
  text-align: justify;
}}

.edition-editor {{
  margin-top: 1.5em;
  font-size: 0.9em;
}}

.furniture {{
  margin: 2em 0 1em;
  padding: 0.5em 0.8em;
  border: 1px solid #555;
}}

.furniture h2, .furniture h3, .furniture h4 {{
  margin: 0 0 0.4em;
  font-size: 1em;
}}

.furniture p {{
  text-indent: 0;
  text-align: center;
}}

/* Table of contents (目录): editions, banners and headlines without list markers. */
nav#toc ol {{
  list-style: none;
  margin: 0;
  padding: 0 0 0 1.5em;
}}

nav#toc > ol {{
  padding-left: 0;
}}

nav#toc li {{
  margin: 0.3em 0;
}}

nav#toc > ol > li > a {{
  font-family: {hei};
  font-weight: bold;
}}

nav#toc a {{
  text-decoration: none;
  color: inherit;
}}

.font-license {{
  margin-top: 2em;
  text-indent: 0;
  font-size: 0.9em;
}}

pre.license {{
  white-space: pre-wrap;
  font-size: 0.8em;
  text-align: left;
}}

body.cover-page {{
  margin: 0;
  text-align: center;
}}

img.cover {{
  display: block;
  margin: 0 auto;
  max-width: 100%;
  max-height: 100vh;
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The font-family of the `html` rule.
    fn body_stack(css: &str) -> &str {
        let html = css.find("html {").expect("an html rule");
        let rest = &css[html..];
        let from = rest.find("font-family: ").expect("a font-family") + "font-family: ".len();
        let to = rest[from..].find(';').expect("a semicolon") + from;
        &rest[from..to]
    }

    #[test]
    fn each_convention_gets_its_own_faces() {
        let cn = stylesheet(&[], Convention::Simplified);
        assert_eq!(body_stack(&cn), SONG);
        assert!(!cn.contains("PMingLiU") && !cn.contains("JhengHei"), "{cn}");
        let tw = stylesheet(&[], Convention::Taiwan);
        assert_eq!(body_stack(&tw), SONG_TW);
        assert!(tw.contains(HEI_TW) && tw.contains(KAI_TW));
        assert!(!tw.contains("\"Songti SC\"") && !tw.contains("\"PingFang SC\""), "{tw}");
        let hk = stylesheet(&[], Convention::HongKong);
        assert_eq!(body_stack(&hk), SONG_HK);
        assert!(hk.contains(HEI_HK) && hk.contains(KAI_HK));
        assert!(!hk.contains(" SC\""), "{hk}");
    }

    #[test]
    fn embedded_faces_stay_first_in_any_convention() {
        let css = stylesheet(&[(Role::Song, "fonts/song.ttf".to_string())], Convention::Taiwan);
        let stack = body_stack(&css);
        assert!(stack.starts_with(&format!("\"{}\"", Role::Song.family())), "{stack}");
        assert!(stack.ends_with(SONG_TW), "{stack}");
    }
}
