//! The cover: an SVG picture of the masthead and the lead headline, drawn from the model with
//! no external tool, and the XHTML page that shows it.

use crate::model::{Article, Bulletin, Item, items_flat, plain_text};

use super::EpubError;
use super::css::{HEI, SONG};
use super::labels::{edition_label, issue_line};
use super::xhtml::open_document;
use super::xml::Xml;

/// The cover image's path.
pub(super) const COVER_IMAGE_HREF: &str = "images/cover.svg";

/// Cover size in SVG user units: 2:3, the usual e-book cover proportion.
const WIDTH: u32 = 600;
const HEIGHT: u32 = 900;
/// Width of the text block: the cover less a 40-unit margin each side.
const TEXT_WIDTH: u32 = WIDTH - 80;
/// Masthead red, as printed in Chinese newspaper mastheads (报头).
const RED: &str = "#b00000";
/// Largest masthead character size; long names are set smaller to fit [`TEXT_WIDTH`].
const MASTHEAD_MAX: u32 = 112;
/// Headline character size and the most lines shown before the headline is cut.
const HEADLINE_SIZE: u32 = 44;
const HEADLINE_LINES: usize = 5;
/// Line pitch of the headline: 1.4 × its size.
const HEADLINE_PITCH: u32 = HEADLINE_SIZE * 14 / 10;

/// Character size and line pitch of the 本期要目 list, and the lowest baseline it may use.
const LIST_SIZE: u32 = 22;
const LIST_PITCH: u32 = 36;
const LIST_BOTTOM: u32 = HEIGHT - 90;

/// How far a headline break may move from the even length to reach a phrase edge.
const HEADLINE_SLACK: usize = 2;
/// Marks after which a headline reads well broken: comma, colon and closing marks.
const PHRASE_END: &str = "，、：；）》”";

/// clreq §3.1.4: marks that may not start a line (basic level, GB/T 15834).
const NO_LINE_START: &str = "。．，、：；！？）］｝〕〗】》〉”’」』·–—～…";
/// clreq §3.1.4: marks that may not end a line.
const NO_LINE_END: &str = "（［｛〔〖【《〈“‘「『";

/// The first article of the first edition, the issue's lead story.
fn lead(bulletin: &Bulletin) -> Option<&Article> {
    bulletin.editions.first().and_then(|e| {
        items_flat(&e.items).find_map(|item| match item {
            Item::Article(a) => Some(a),
            _ => None,
        })
    })
}

/// Break `text` into lines of at most `per_line` characters, keeping closing marks off line
/// starts and opening marks off line ends (a closing mark may overhang by one character).
fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = (start + per_line.max(1)).min(chars.len());
        if let Some(&next) = chars.get(end) {
            if NO_LINE_START.contains(next) {
                end += 1;
            } else if end - start > 1 && chars.get(end - 1).is_some_and(|&c| NO_LINE_END.contains(c)) {
                end -= 1;
            }
        }
        let line: String = chars.get(start..end).unwrap_or_default().iter().collect();
        lines.push(line.trim().to_string());
        start = end;
    }
    lines
}

/// Lines for a display headline: at the spaces that split Chinese headlines into phrases
/// (宁郭镇 打造……) when each phrase fits, else lines of even length, so that no line is left
/// with one or two characters (clreq §3.4.4 avoids such short last lines).
fn wrap_headline(text: &str, per_line: usize) -> Vec<String> {
    let phrases: Vec<&str> = text.split_whitespace().collect();
    if phrases.len() > 1 && phrases.iter().all(|p| p.chars().count() <= per_line) {
        return phrases.into_iter().map(str::to_string).collect();
    }
    let chars: Vec<char> = text.trim().chars().collect();
    let lines = chars.len().div_ceil(per_line.max(1)).max(1);
    let even = chars.len().div_ceil(lines);
    // Whether the character at `i` is one of `marks`.
    let is_at = |i: usize, marks: &str| chars.get(i).is_some_and(|&c| marks.contains(c));
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > per_line.max(1) {
        // Near the even length, prefer a break at a phrase edge: before an opening bracket
        // or after a comma, colon or closing mark.
        let target = start + even;
        let best = (target.saturating_sub(HEADLINE_SLACK)..=target + HEADLINE_SLACK)
            .filter(|&end| end > start && end - start <= per_line && end < chars.len())
            .filter(|&end| !is_at(end, NO_LINE_START) && !is_at(end - 1, NO_LINE_END))
            .min_by_key(|&end| {
                let edge = is_at(end, NO_LINE_END) || is_at(end - 1, PHRASE_END);
                (!edge, end.abs_diff(target))
            });
        let Some(end) = best else {
            return wrap(text, per_line);
        };
        let line: String = chars.get(start..end).unwrap_or_default().iter().collect();
        out.push(line.trim().to_string());
        start = end;
    }
    let last: String = chars.get(start..).unwrap_or_default().iter().collect();
    out.push(last.trim().to_string());
    out
}

/// Cut `text` to `max` characters, ending with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Headlines of the first edition after the lead, listed on the cover as 本期要目.
fn other_headlines(bulletin: &Bulletin) -> Vec<String> {
    bulletin.editions.first().map_or_else(Vec::new, |e| {
        items_flat(&e.items)
            .filter_map(|item| match item {
                Item::Article(a) => Some(plain_text(&a.headline).trim().to_string()),
                _ => None,
            })
            .skip(1)
            .collect()
    })
}

/// The cover picture.
pub(super) fn svg(bulletin: &Bulletin) -> Result<Vec<u8>, EpubError> {
    let meta = &bulletin.meta;
    let (w, h) = (WIDTH.to_string(), HEIGHT.to_string());
    let view_box = format!("0 0 {WIDTH} {HEIGHT}");
    let mut x = Xml::new()?;
    x.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("version", "1.1"),
            ("width", &w),
            ("height", &h),
            ("viewBox", &view_box),
            ("xml:lang", &meta.language),
        ],
    )?;
    x.raw("\n");
    x.element_line("title", &[], &description(bulletin))?;
    x.empty("rect", &[("width", &w), ("height", &h), ("fill", "#ffffff")])?;
    x.raw("\n");

    let center = (WIDTH / 2).to_string();
    let text = |x: &mut Xml, y: u32, size: u32, family: &str, weight: &str, fill: &str, content: &str| {
        x.element_line(
            "text",
            &[
                ("x", &center),
                ("y", &y.to_string()),
                ("font-size", &size.to_string()),
                ("font-family", family),
                ("font-weight", weight),
                ("fill", fill),
                ("text-anchor", "middle"),
            ],
            content,
        )
    };

    let name = meta.publication.trim();
    let masthead = (TEXT_WIDTH / (name.chars().count().max(1) as u32)).clamp(24, MASTHEAD_MAX);
    text(&mut x, 60 + masthead, masthead, HEI, "bold", RED, name)?;
    let mut y = 60 + masthead + 40;
    if let Some(slogan) = meta.slogan.as_deref().filter(|s| !s.trim().is_empty()) {
        text(&mut x, y, 22, HEI, "normal", RED, slogan.trim())?;
        y += 36;
    }
    rule(&mut x, y, 4)?;
    y += 38;
    text(&mut x, y, 24, SONG, "normal", "#000000", &issue_line(bulletin))?;
    y += 22;
    rule(&mut x, y, 1)?;

    if let (Some(edition), Some(article)) = (bulletin.editions.first(), lead(bulletin)) {
        y += 60;
        text(&mut x, y, 22, HEI, "normal", "#555555", &edition_label(edition))?;
        y += 30;
        if let Some(kicker) = &article.kicker {
            y += 34;
            for line in wrap(&plain_text(kicker), (TEXT_WIDTH / 26) as usize).iter().take(2) {
                text(&mut x, y, 26, HEI, "normal", "#000000", line)?;
                y += 36;
            }
        }
        y += HEADLINE_SIZE + 10;
        let mut lines = wrap_headline(&plain_text(&article.headline), (TEXT_WIDTH / HEADLINE_SIZE) as usize);
        if lines.len() > HEADLINE_LINES {
            lines.truncate(HEADLINE_LINES);
            if let Some(last) = lines.last_mut() {
                last.pop();
                last.push('…');
            }
        }
        for line in &lines {
            text(&mut x, y, HEADLINE_SIZE, HEI, "bold", "#000000", line)?;
            y += HEADLINE_PITCH;
        }
        if let Some(subtitle) = article.subtitles.first() {
            y += 10;
            for line in wrap_headline(&plain_text(subtitle), (TEXT_WIDTH / 24) as usize)
                .iter()
                .take(3)
            {
                text(&mut x, y, 24, SONG, "normal", "#333333", line)?;
                y += 36;
            }
        }
    }
    // 本期要目: the other headlines of the first edition, as many as fit above the footer.
    let others = other_headlines(bulletin);
    if !others.is_empty() && y + 3 * LIST_PITCH < LIST_BOTTOM {
        y += 30;
        rule(&mut x, y, 1)?;
        y += 45;
        text(&mut x, y, 24, HEI, "bold", RED, "本期要目")?;
        for headline in others {
            if y + LIST_PITCH > LIST_BOTTOM {
                break;
            }
            y += LIST_PITCH;
            let line = truncate(&headline, (TEXT_WIDTH / LIST_SIZE) as usize);
            text(&mut x, y, LIST_SIZE, SONG, "normal", "#000000", &line)?;
        }
    }
    if let Some(footer) = footer(bulletin) {
        rule(&mut x, HEIGHT - 70, 1)?;
        text(&mut x, HEIGHT - 36, 20, SONG, "normal", "#333333", &footer)?;
    }
    x.close_line("svg")?;
    Ok(x.finish())
}

/// The publisher and serial numbers printed at the foot of the cover.
fn footer(bulletin: &Bulletin) -> Option<String> {
    let meta = &bulletin.meta;
    let parts: Vec<String> = [
        meta.publisher.as_ref().map(|p| format!("{} 主办", p.trim())),
        meta.cn.as_ref().map(|c| format!("国内统一连续出版物号 {}", c.trim())),
        meta.issn.as_ref().map(|i| format!("ISSN {}", i.trim())),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("  "))
}

fn rule(x: &mut Xml, y: u32, thickness: u32) -> Result<(), EpubError> {
    let (x1, x2, y) = ("40".to_string(), (WIDTH - 40).to_string(), y.to_string());
    x.empty(
        "line",
        &[
            ("x1", &x1),
            ("y1", &y),
            ("x2", &x2),
            ("y2", &y),
            ("stroke", RED),
            ("stroke-width", &thickness.to_string()),
        ],
    )?;
    x.raw("\n");
    Ok(())
}

/// What the cover shows, in words: its alt text and SVG title.
pub(super) fn description(bulletin: &Bulletin) -> String {
    let mut text = format!("封面：{}，{}", bulletin.meta.publication.trim(), issue_line(bulletin));
    if let Some(article) = lead(bulletin) {
        text.push_str(&format!("。头条：{}", plain_text(&article.headline).trim()));
    }
    text.push('。');
    text
}

/// The cover page: the picture, marked as the cover for reading systems (EPUB SSV `cover`) and
/// assistive technology (DPUB-ARIA `doc-cover`).
pub(super) fn xhtml(bulletin: &Bulletin) -> Result<Vec<u8>, EpubError> {
    let mut x = open_document(
        &bulletin.meta.language,
        &format!("封面 · {}", bulletin.meta.publication.trim()),
    )?;
    x.open("body", &[("class", "cover-page")])?;
    x.raw("\n");
    x.empty(
        "img",
        &[
            ("class", "cover"),
            ("epub:type", "cover"),
            ("role", "doc-cover"),
            ("src", COVER_IMAGE_HREF),
            ("alt", &description(bulletin)),
        ],
    )?;
    x.raw("\n");
    x.close_line("body")?;
    x.close_line("html")?;
    Ok(x.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_without_leading_closing_marks() {
        let lines = wrap("示范区召开党工委（扩大）会议，传达精神", 6);
        assert!(
            lines.iter().all(|l| !l.starts_with(|c| NO_LINE_START.contains(c))),
            "{lines:?}"
        );
        assert!(
            lines.iter().all(|l| !l.ends_with(|c| NO_LINE_END.contains(c))),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), "示范区召开党工委（扩大）会议，传达精神");
    }

    #[test]
    fn headlines_break_at_phrases_or_evenly() {
        assert_eq!(wrap_headline("宁郭镇 打造干部队伍", 11), ["宁郭镇", "打造干部队伍"]);
        assert_eq!(
            wrap_headline("示范区召开党工委（扩大）会议", 11),
            ["示范区召开党工委", "（扩大）会议"]
        );
    }
}
