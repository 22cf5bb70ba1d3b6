//! Classifying blocks in context: masthead, edition headers, headline groups, leads, captions.
//!
//! The order of the tests is the order of certainty: page headers and furniture first (their
//! wording is fixed), then credits and captions, datelines, bylines, end notes, then headline
//! groups (short lines before a lead), and running text last.

use crate::diag::Diagnostic;
use crate::markup::dateline_len;
use crate::model::FurnitureKind;

use super::BlockKind;
use super::chars::{char_len, ends_mid_sentence, has_sentence_punct, is_han, width};
use super::features::{
    MAX_CAPTION_CHARS, MAX_TITLE_CHARS, furniture_kind, is_boxed_opening, is_byline, is_caption_cue, is_credit,
    is_end_note, is_imprint, is_jump_in, is_note_paragraph, is_numbered_subhead, is_sentence, is_title_like,
    starts_with_day,
};
use super::header::{HeaderParts, edition_name_line, editor_line, labelled_edition_line, parse_header};
use super::headline::{reads_as_subhead, resolve_title_group};
use super::segment::Unit;

/// A block with what it was taken for and why.
#[derive(Debug, Clone)]
pub(crate) struct Classified {
    /// The block.
    pub(crate) unit: Unit,
    /// What it was taken for.
    pub(crate) kind: BlockKind,
    /// Why, in words.
    pub(crate) reason: String,
    /// Header fields, for masthead, edition and editor lines.
    pub(crate) header: Option<HeaderParts>,
    /// The box kind, for furniture titles and furniture text that opens a box.
    pub(crate) furniture: Option<FurnitureKind>,
    /// Whether more blank lines than usual stand before the block (a break between stories).
    pub(crate) gap: bool,
}

/// Most captions a credit gathers above it.
const MAX_CAPTIONS: usize = 3;

/// Most unread tokens a masthead line may hold (a slogan, an issuing office).
const MAX_MASTHEAD_LEFTOVER: usize = 1;

/// Most slogan phrases after the paper's name on the very first line (`示范区头条 奋进新时代
/// 领跑新征程`), and the longest such phrase, in characters.
const MAX_SLOGAN_PHRASES: usize = 3;
const MAX_SLOGAN_PHRASE_CHARS: usize = 10;

/// Whether the first line of the text is the paper's name followed by slogan phrases: the name
/// first, then a few short phrases with no sentence punctuation or digits.
fn name_and_slogan(t: &str, h: &HeaderParts) -> bool {
    let Some(name) = &h.publication else { return false };
    t.trim_start().starts_with(name.as_str())
        && !has_sentence_punct(t)
        && h.leftover.len() <= MAX_SLOGAN_PHRASES
        && h.leftover
            .iter()
            .all(|w| w.chars().count() <= MAX_SLOGAN_PHRASE_CHARS && !w.chars().any(|c| c.is_ascii_digit()))
}

/// Widest line, in half-width cells, taken for an edition header.
const MAX_EDITION_HEADER_WIDTH: usize = 90;

/// Classify every block.
pub(crate) fn classify(units: Vec<Unit>, diags: &mut Vec<Diagnostic>) -> Vec<Classified> {
    let typical = typical_gap(&units);
    let mut out: Vec<Classified> = units
        .into_iter()
        .map(|unit| {
            let gap = unit.blank_before > typical;
            Classified {
                unit,
                kind: BlockKind::Paragraph,
                reason: String::new(),
                header: None,
                furniture: None,
                gap,
            }
        })
        .collect();
    let start = classify_masthead(&mut out);
    let publication = out
        .get(..start)
        .unwrap_or_default()
        .iter()
        .find_map(|c| c.header.as_ref().and_then(|h| h.publication.clone()));
    classify_body(&mut out, start, publication.as_deref(), diags);
    attach_captions(&mut out, diags);
    out
}

/// The usual number of blank lines between blocks (the most frequent count).
fn typical_gap(units: &[Unit]) -> usize {
    /// Gaps of this many blank lines or more are counted together.
    const MAX_GAP: usize = 3;
    let mut counts = [0usize; MAX_GAP + 1];
    for u in units.iter().skip(1) {
        if let Some(n) = counts.get_mut(u.blank_before.min(MAX_GAP)) {
            *n += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i)))
        .map_or(0, |(i, _)| i)
}

fn text(c: &Classified) -> &str {
    c.unit.text.as_str()
}

fn set(c: &mut Classified, kind: BlockKind, reason: impl Into<String>) {
    c.kind = kind;
    c.reason = reason.into();
}

/// Set the kind of block `i` and return it for more fields; `None` past the end.
fn mark(out: &mut [Classified], i: usize, kind: BlockKind, reason: impl Into<String>) -> Option<&mut Classified> {
    let c = out.get_mut(i)?;
    set(c, kind, reason);
    Some(c)
}

/// Whether `t` is an edition header line: a short line with 第N版 and no sentence punctuation.
fn edition_header(t: &str) -> Option<HeaderParts> {
    if width(t) > MAX_EDITION_HEADER_WIDTH || has_sentence_punct(t) {
        return None;
    }
    let h = parse_header(t);
    h.edition.is_some().then_some(h)
}

/// What an edition header says, for explanations: ` (edition 2 综合, editor 张三)`.
fn header_summary(h: &HeaderParts) -> String {
    let mut parts = Vec::new();
    if let Some(n) = h.edition {
        parts.push(
            format!("edition {n} {}", h.edition_name.as_deref().unwrap_or_default())
                .trim_end()
                .to_string(),
        );
    }
    if let Some(e) = &h.editor {
        parts.push(format!("editor {e}"));
    }
    if let Some(d) = h.date {
        parts.push(format!("date {d}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A running page header inside the text (`示范区头条 2020年12月28日`): a line of nothing but a
/// date, weekday and the masthead's publication name.
fn running_header(t: &str, publication: Option<&str>) -> Option<HeaderParts> {
    if has_sentence_punct(t) {
        return None;
    }
    let h = parse_header(t);
    let known = h.publication.is_some() && h.publication.as_deref() == publication;
    (h.leftover.is_empty() && h.edition.is_none() && (h.date.is_some() || known)).then_some(h)
}

/// Classify the masthead zone at the top: publication, date, issue and edition-header lines.
/// Returns the index of the first block after it.
fn classify_masthead(out: &mut [Classified]) -> usize {
    let mut i = 0;
    while let Some(c) = out.get_mut(i) {
        let t = c.unit.text.as_str().to_string();
        if let Some(h) = edition_header(&t) {
            set(
                c,
                BlockKind::Edition,
                format!("a 第N版 page header at the top{}", header_summary(&h)),
            );
            c.header = Some(h);
        } else {
            let h = parse_header(&t);
            if h.has_meta() && (h.leftover.len() <= MAX_MASTHEAD_LEFTOVER || (i == 0 && name_and_slogan(&t, &h))) {
                set(
                    c,
                    BlockKind::Masthead,
                    "a masthead line at the top: publication, date or issue number",
                );
                c.header = Some(h);
            } else if h.editor.is_some() {
                set(c, BlockKind::Editor, "责任编辑 with a name, in the page header");
                c.header = Some(h);
            } else if let Some(h) = edition_name_line(&t) {
                set(c, BlockKind::Edition, "an edition name alone at the top (要闻, 港聞 …)");
                c.header = Some(h);
            } else {
                break;
            }
        }
        i += 1;
    }
    i
}

/// What the main pass knows about where it is.
#[derive(Debug, Default)]
struct State {
    in_article: bool,
    has_body: bool,
    furniture: Option<FurnitureKind>,
}

/// Whether `t` opens with a dateline followed by text; a bracketed line alone (【基层一线】) is
/// a banner, not a dateline.
pub(crate) fn has_dateline(t: &str) -> bool {
    dateline_len(t).is_some_and(|n| n < t.len())
}

/// Whether a lead opens like a dateline of a form the markup does not recognise: Taiwan's
/// 〔記者…／台北報導〕, CNA's （中央社記者…電）.
fn looks_like_foreign_dateline(t: &str) -> bool {
    /// Longest dateline looked at, in characters.
    const MAX_DATELINE_CHARS: usize = 30;
    let head: String = t.chars().take(MAX_DATELINE_CHARS).collect();
    (head.starts_with('〔') && (head.contains("報導〕") || head.contains("报道〕")))
        || (head.starts_with('（') && (head.contains("電）") || head.contains("电）")))
}

/// Whether block `i` opens a lead: a dateline paragraph or a byline.
fn is_lead_start(t: &str) -> bool {
    has_dateline(t) || is_byline(t)
}

/// Whether block `i` can be part of a headline group.
fn is_title_candidate(out: &[Classified], i: usize) -> bool {
    let Some(c) = out.get(i) else { return false };
    let t = text(c);
    is_title_like(t)
        && !is_byline(t)
        && !is_credit(t)
        && !is_caption_cue(t)
        && !is_end_note(t)
        && !has_dateline(t)
        && furniture_kind(t).is_none()
        && edition_header(t).is_none()
        && editor_line(t).is_none()
        && labelled_edition_line(t).is_none()
        && !continues_previous(out, i)
        && !breaks_off_into_next(out, i)
}

/// Whether block `i` is running text cut off mid-sentence that the next block continues
/// (`会议指出，要牢牢` | `把握乡村振兴总要求。`): it holds a comma, stops on a Han character and
/// opens a paragraph (indented), while the next block is running text with no paragraph indent
/// and no dateline. A headline with a comma (坚持人民至上，推动高质量发展) is followed by an
/// indented paragraph or a dateline where paragraphs are indented, so it stays a title.
fn breaks_off_into_next(out: &[Classified], i: usize) -> bool {
    let (Some(c), Some(next)) = (out.get(i), out.get(i + 1)) else {
        return false;
    };
    let (t, n) = (text(c), text(next));
    c.unit.indent
        && t.contains(['，', ','])
        && t.chars().last().is_some_and(is_han)
        && !next.unit.indent
        && !has_dateline(n)
        && !is_title_like(n)
}

/// Whether block `i` continues the paragraph before it: that one is running text (longer than
/// any title) and stops mid-sentence (牢牢|坚持, 构|建, 2020|年).
fn continues_previous(out: &[Classified], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| out.get(p)) else {
        return false;
    };
    prev.kind == BlockKind::Paragraph
        && char_len(text(prev)) > MAX_TITLE_CHARS
        && ends_mid_sentence(text(prev))
        && out.get(i).is_some_and(|c| !has_dateline(text(c)))
}

/// Whether a headline group starting at `i` is followed by an article body.
fn starts_title_group(out: &[Classified], i: usize) -> bool {
    let mut k = i;
    while is_title_candidate(out, k) {
        k += 1;
    }
    k > i
        && out
            .get(k)
            .is_some_and(|c| is_lead_start(text(c)) || !is_title_like(text(c)))
}

/// The main pass, from block `start` on.
fn classify_body(out: &mut [Classified], start: usize, publication: Option<&str>, diags: &mut Vec<Diagnostic>) {
    let mut st = State::default();
    let mut i = start;
    while let Some(cur) = out.get(i) {
        let t = text(cur).to_string();
        let span = cur.unit.span;
        let prev_kind = i.checked_sub(1).and_then(|p| out.get(p)).map(|c| c.kind);
        if let Some(h) = running_header(&t, publication) {
            mark(
                out,
                i,
                BlockKind::Masthead,
                "a running page header: the paper's name or a date alone",
            );
            if let Some(c) = out.get_mut(i) {
                c.header = Some(h);
            }
            i += 1;
            continue;
        }
        if let Some(h) = edition_header(&t) {
            mark(
                out,
                i,
                BlockKind::Edition,
                format!("a 第N版 page header{}", header_summary(&h)),
            );
            if let Some(c) = out.get_mut(i) {
                c.header = Some(h);
            }
            st = State::default();
            i += 1;
            continue;
        }
        if let Some(h) = labelled_edition_line(&t) {
            mark(out, i, BlockKind::Edition, "a labelled edition name (版面：要闻)");
            if let Some(c) = out.get_mut(i) {
                c.header = Some(h);
            }
            st = State::default();
            i += 1;
            continue;
        }
        if let Some(h) = editor_line(&t) {
            mark(out, i, BlockKind::Editor, "责任编辑 with a name");
            if let Some(c) = out.get_mut(i) {
                c.header = Some(h);
            }
            i += 1;
            continue;
        }
        if let Some(kind) = furniture_kind(&t) {
            mark(
                out,
                i,
                BlockKind::FurnitureTitle,
                format!("{} box title", kind.keyword()),
            );
            if let Some(c) = out.get_mut(i) {
                c.furniture = Some(kind);
            }
            st = State {
                furniture: Some(kind),
                ..State::default()
            };
            i += 1;
            continue;
        }
        if is_imprint(&t) {
            mark(
                out,
                i,
                BlockKind::FurnitureText,
                "imprint line (address, telephone, printer)",
            );
            if st.furniture.is_none()
                && let Some(c) = out.get_mut(i)
            {
                c.furniture = Some(FurnitureKind::Notice);
            }
            st = State {
                furniture: Some(FurnitureKind::Notice),
                ..State::default()
            };
            i += 1;
            continue;
        }
        if let Some(kind) = st.furniture {
            let stays = match kind {
                FurnitureKind::Subscribe => char_len(&t) <= MAX_TITLE_CHARS && !starts_title_group(out, i),
                FurnitureKind::Notice => !starts_title_group(out, i) && !has_dateline(&t),
            };
            if stays && !is_credit(&t) && !is_jump_in(&t) {
                mark(out, i, BlockKind::FurnitureText, "text under a furniture title");
                i += 1;
                continue;
            }
            st.furniture = None;
        }
        let under_headline = matches!(
            prev_kind,
            Some(BlockKind::Headline | BlockKind::Subtitle | BlockKind::Byline)
        );
        if under_headline && is_byline(&t) {
            let reason = if is_credit(&t) {
                "roles and names under a headline (图/ here credits the article's photos)"
            } else {
                "roles and names under a headline"
            };
            mark(out, i, BlockKind::Byline, reason);
            i += 1;
            continue;
        }
        if is_credit(&t) {
            mark(
                out,
                i,
                BlockKind::Credit,
                "a short line ending in 摄/供图 or opening with 图/",
            );
            i += 1;
            continue;
        }
        if is_caption_cue(&t) {
            mark(out, i, BlockKind::Caption, "opens like a caption (图为, 图①, ▲)");
            i += 1;
            continue;
        }
        if has_dateline(&t) {
            if !st.in_article {
                diags.push(
                    Diagnostic::warning(
                        "text-without-headline",
                        Some(span),
                        "a lead paragraph with no headline above it; an untitled article was made for it",
                    )
                    .with_hint("put the article's headline above this line"),
                );
            } else if st.in_article && st.has_body {
                diags.push(
                    Diagnostic::warning(
                        "dateline-in-body",
                        Some(span),
                        "a dateline inside an article: its headline may be missing",
                    )
                    .with_hint("if a new article starts here, put its headline above this line"),
                );
            }
            mark(out, i, BlockKind::Paragraph, "lead paragraph: opens with a dateline");
            st.in_article = true;
            st.has_body = true;
            i += 1;
            continue;
        }
        if continues_previous(out, i) {
            mark(
                out,
                i,
                BlockKind::Paragraph,
                "continues the paragraph above, which stops mid-sentence",
            );
            i += 1;
            continue;
        }
        if is_byline(&t) {
            if matches!(
                prev_kind,
                Some(BlockKind::Headline | BlockKind::Subtitle | BlockKind::Byline)
            ) {
                mark(out, i, BlockKind::Byline, "roles and names under a headline");
            } else if st.in_article && st.has_body {
                mark(out, i, BlockKind::Note, "roles and names after the body: an end credit");
            } else {
                mark(out, i, BlockKind::Paragraph, "roles and names with no headline above");
                diags.push(Diagnostic::warning(
                    "byline-without-headline",
                    Some(span),
                    "a byline with no headline above it; kept as text",
                ));
                st.has_body = true;
            }
            i += 1;
            continue;
        }
        if is_boxed_opening(&t) && st.in_article && st.has_body {
            mark(out, i, BlockKind::Boxed, "opens like text set apart (链接：, 延伸阅读)");
            i += 1;
            continue;
        }
        if (is_end_note(&t) || is_note_paragraph(&t)) && st.in_article && st.has_body {
            mark(out, i, BlockKind::Note, "a short bracketed line after the body");
            i += 1;
            continue;
        }
        if is_title_candidate(out, i) {
            i = classify_title_run(out, i, &mut st, diags);
            continue;
        }
        if !st.in_article {
            diags.push(
                Diagnostic::warning(
                    "text-without-headline",
                    Some(span),
                    "running text with no headline above it; an untitled article was made for it",
                )
                .with_hint("give the article its headline, or join the text to the article it belongs to"),
            );
        }
        if !st.has_body && looks_like_foreign_dateline(&t) {
            diags.push(
                Diagnostic::warning(
                    "dateline-unrecognised",
                    Some(span),
                    "the lead opens like a dateline the markup does not recognise; it is kept as text",
                )
                .with_hint("zhiban recognises 本报讯（…）, …电（…） and 【…】 datelines; check the lead by hand"),
            );
        }
        mark(out, i, BlockKind::Paragraph, "running text");
        st.in_article = true;
        st.has_body = true;
        i += 1;
    }
}

/// Classify a run of title-like blocks starting at `i`; returns the index after the run.
fn classify_title_run(out: &mut [Classified], i: usize, st: &mut State, diags: &mut Vec<Diagnostic>) -> usize {
    let mut k = i;
    while is_title_candidate(out, k) {
        k += 1;
    }
    let next = out.get(k).map(|c| text(c).to_string());
    let next_is_lead = next.as_deref().is_some_and(is_lead_start);
    let next_is_body = next.as_deref().is_some_and(|t| {
        !is_title_like(t)
            && !is_credit(t)
            && !is_caption_cue(t)
            && furniture_kind(t).is_none()
            && edition_header(t).is_none()
    });
    let len = k - i;
    let Some((first, span)) = out.get(i).map(|c| (text(c).to_string(), c.unit.span)) else {
        // Past the end: no run to classify.
        return k;
    };
    if len == 1 && st.in_article && !next_is_lead && is_numbered_subhead(&first) {
        mark(out, i, BlockKind::Subhead, "a numbered short line inside an article");
        return k;
    }
    if len == 1 && st.in_article && st.has_body && !next_is_lead && next_is_body {
        let subhead = reads_as_subhead(&first);
        let (message, hint) = if subhead {
            mark(
                out,
                i,
                BlockKind::Subhead,
                "a short line inside an article, followed by more body without a dateline",
            );
            (
                "a short line inside an article was taken for a subhead",
                "if a new article without dateline starts here, make the line a headline (`## `)",
            )
        } else {
            (
                "a long title line inside an article was taken for the headline of a new article",
                "if it is a subhead of the article above, write it as `### `",
            )
        };
        diags.push(Diagnostic::warning("subhead-or-headline", Some(span), message).with_hint(hint));
        if subhead {
            return k;
        }
    }
    if !next_is_lead && !next_is_body && st.in_article && st.has_body {
        for c in out.get_mut(i..k).unwrap_or_default() {
            set(
                c,
                BlockKind::Paragraph,
                "a short line after the body with no body after it",
            );
        }
        diags.push(Diagnostic::warning(
            "headline-like-text",
            Some(span),
            "short lines with no body after them were kept as paragraphs",
        ));
        return k;
    }
    let texts: Vec<String> = out
        .get(i..k)
        .unwrap_or_default()
        .iter()
        .map(|c| text(c).to_string())
        .collect();
    let (roles, unsure) = resolve_title_group(&texts);
    for (c, (kind, reason)) in out.get_mut(i..k).unwrap_or_default().iter_mut().zip(roles) {
        set(c, kind, reason);
    }
    if let Some(why) = unsure {
        diags.push(Diagnostic::warning("headline-group-unsure", Some(span), why));
    }
    if !next_is_lead && !next_is_body {
        diags.push(Diagnostic::warning(
            "headline-without-body",
            Some(span),
            "a headline with no body text after it",
        ));
    }
    st.in_article = true;
    st.has_body = false;
    k
}

/// Gather the captions of each credit: caption lines right above it, back to the break before
/// the photo (more blank lines than usual, or a caption opening such as 12月25日 or 图为), at most
/// [`MAX_CAPTIONS`] short paragraphs.
fn attach_captions(out: &mut [Classified], diags: &mut Vec<Diagnostic>) {
    for c in 0..out.len() {
        if out.get(c).is_none_or(|x| x.kind != BlockKind::Credit) {
            continue;
        }
        let above = c.checked_sub(1).and_then(|p| out.get(p)).map(|x| x.kind);
        let below = out.get(c + 1).map(|n| n.kind);
        if above == Some(BlockKind::Caption) || below == Some(BlockKind::Caption) {
            continue;
        }
        let mut candidates = Vec::new();
        let mut b = c;
        while b > 0 && candidates.len() < MAX_CAPTIONS {
            b -= 1;
            let Some(block) = out.get(b) else { break };
            let t = text(block);
            if block.kind != BlockKind::Paragraph || char_len(t) > MAX_CAPTION_CHARS || dateline_len(t).is_some() {
                break;
            }
            candidates.push(b);
        }
        // The nearest break above the credit: more blank lines than usual before a block, or a
        // caption opening (12月25日，…).
        let strong = candidates
            .iter()
            .find(|&&b| out.get(b).is_some_and(|x| x.gap || starts_with_day(text(x))))
            .copied();
        if let Some(s) = strong {
            for block in out.get_mut(s..c).unwrap_or_default() {
                set(
                    block,
                    BlockKind::Caption,
                    "short paragraph above a photo credit, after a break",
                );
            }
            continue;
        }
        // A credit printed before its caption: one short sentence under it that stands alone.
        if let Some(n) = caption_below(out, c) {
            mark(
                out,
                n,
                BlockKind::Caption,
                "short sentence under a photo credit, standing alone",
            );
            continue;
        }
        if let Some((b, span)) = candidates
            .first()
            .and_then(|&b| out.get(b).filter(|x| is_sentence(text(x))).map(|x| (b, x.unit.span)))
        {
            diags.push(
                Diagnostic::warning(
                    "caption-unsure",
                    Some(span),
                    "the short paragraph above a photo credit was taken for its caption",
                )
                .with_hint("if it is body text, move the credit line above it"),
            );
            mark(out, b, BlockKind::Caption, "short paragraph right above a photo credit");
        }
    }
}

/// The caption under credit `c`, when the credit comes first: a short sentence followed by the
/// end of the text, a break, or something that is not running text.
fn caption_below(out: &[Classified], c: usize) -> Option<usize> {
    /// A caption under its credit is one sentence, shorter than most captions.
    const MAX_CAPTION_BELOW_CHARS: usize = 80;
    let n = c + 1;
    let next = out.get(n)?;
    let t = text(next);
    let fits = next.kind == BlockKind::Paragraph
        && char_len(t) <= MAX_CAPTION_BELOW_CHARS
        && is_sentence(t)
        && !has_dateline(t)
        && !next.gap;
    let alone = out
        .get(n + 1)
        .is_none_or(|after| after.gap || after.kind != BlockKind::Paragraph);
    (fits && alone).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::model::Text;

    /// Blocks of `texts`, each `(text, indented)`, one blank line apart.
    fn units(texts: &[(&str, bool)]) -> Vec<Unit> {
        let mut at = 0;
        texts
            .iter()
            .map(|&(t, indent)| {
                let u = Unit {
                    text: Text::from_source(t, at),
                    span: Span::new(at, at + t.len()),
                    indent,
                    blank_before: 1,
                    lines: 1,
                };
                at += t.len() + 2;
                u
            })
            .collect()
    }

    fn kinds(texts: &[(&str, bool)]) -> (Vec<BlockKind>, Vec<&'static str>) {
        let mut diags = Vec::new();
        let out = classify(units(texts), &mut diags);
        (
            out.iter().map(|c| c.kind).collect(),
            diags.iter().map(|d| d.code).collect(),
        )
    }

    #[test]
    fn lead_without_headline_is_reported() {
        let (k, codes) = kinds(&[("示范区头条", false), ("本报讯（记者付凯明）甲。", false)]);
        assert_eq!(k, vec![BlockKind::Masthead, BlockKind::Paragraph]);
        assert!(codes.contains(&"text-without-headline"), "{codes:?}");
        let (_, codes) = kinds(&[("标题甲", false), ("本报讯（记者付凯明）甲。", false)]);
        assert!(!codes.contains(&"text-without-headline"), "{codes:?}");
    }

    #[test]
    fn labelled_edition_and_editor_are_page_furniture() {
        let (k, _) = kinds(&[
            ("示范区头条", false),
            ("版面：要闻", false),
            ("责任编辑：张三", false),
            ("标题甲", false),
            ("本报讯（记者付凯明）甲。", false),
        ]);
        assert_eq!(
            k,
            vec![
                BlockKind::Masthead,
                BlockKind::Edition,
                BlockKind::Editor,
                BlockKind::Headline,
                BlockKind::Paragraph
            ]
        );
    }

    #[test]
    fn editor_line_is_no_title() {
        let out = classify(
            units(&[
                ("标题甲", false),
                ("责任编辑：张三", false),
                ("正文很长的一段，没有电头。", false),
            ]),
            &mut Vec::new(),
        );
        assert!(!is_title_candidate(&out, 1));
    }

    #[test]
    fn sentence_cut_off_before_a_blank_line_is_no_subhead() {
        let texts = [
            ("标题", true),
            ("本报讯（记者张三）会议召开，部署了今年任务。", true),
            ("会议指出，要牢牢", true),
            ("把握乡村振兴总要求。", false),
        ];
        let out = classify(units(&texts), &mut Vec::new());
        assert!(breaks_off_into_next(&out, 2));
        assert_eq!(out[2].kind, BlockKind::Paragraph);
        // A headline with a comma over an indented lead stays a title.
        let texts = [
            ("坚持人民至上，推动高质量发展", true),
            ("近日，全区召开会议，部署今年的工作任务和重点。", true),
        ];
        let out = classify(units(&texts), &mut Vec::new());
        assert!(!breaks_off_into_next(&out, 0));
        assert_eq!(out[0].kind, BlockKind::Headline);
    }
}
