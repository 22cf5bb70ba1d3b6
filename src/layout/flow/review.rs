//! What an editor should hear about laid-out pages that were made: rules of composition that
//! gave way, editions that ran onto extra pages, pages left short, and every other character no
//! font has once one stopped the layout. Each is a [`Diagnostic`] pointing into the markup,
//! through the spans the parser recorded ([`SourceSpans`]).

use super::{FlowError, FlowErrorKind, PageLayout};
use crate::diag::{Diagnostic, Span};
use crate::layout::FontBook;
use crate::layout::spec::{LayoutSpec, PublicationKind};
use crate::markup::SourceSpans;
use crate::model::Bulletin;

/// The warnings about `pages`, laid out from `bulletin` with `spec`: editions that overflow,
/// pages that stay short, composition rules that gave way, in that order.
pub fn review(bulletin: &Bulletin, pages: &[PageLayout], spec: &LayoutSpec, spans: &SourceSpans) -> Vec<Diagnostic> {
    let headings = &spans.editions;
    // A bulletin's sections run on over as many pages as they need; a newspaper's edition is a page.
    let mut out = if spec.kind == PublicationKind::Newspaper {
        overflowing_editions(bulletin, pages, headings)
    } else {
        Vec::new()
    };
    out.extend(underfilled_pages(bulletin, pages, spec, headings));
    out.extend(composition_warnings(pages));
    out
}

/// The diagnostics of a layout that failed: its error, and when it stopped at a character no
/// font has, every other such place in `text` too (an editor with a page of rare names wants
/// them all at once).
pub fn failure(e: &FlowError, text: &str, book: &FontBook, spans: &SourceSpans) -> Vec<Diagnostic> {
    let mut d = Diagnostic::error("layout", e.span, e.message.clone());
    if let Some(h) = &e.hint {
        d = d.with_hint(h.clone());
    }
    let mut out = vec![d];
    if let FlowErrorKind::MissingCharacter(_) = e.kind {
        out.extend(other_missing_characters(text, spans.body_start, book, e.span));
    }
    out
}

/// A warning for each rule of composition that gave way in a printed article body, pointing at
/// the line's start: the editor can usually avoid it with a word changed nearby.
fn composition_warnings(pages: &[PageLayout]) -> Vec<Diagnostic> {
    use crate::layout::LayoutWarning;
    let mut out = Vec::new();
    for page in pages {
        for w in &page.warnings {
            // The line's end for a break (where kinsoku gave way), its start otherwise.
            let chars: Vec<char> = w.line.trim_end().chars().collect();
            let excerpt: String = match w.warning {
                LayoutWarning::KinsokuRelaxed { .. } if chars.len() > 12 => std::iter::once('…')
                    .chain(chars.iter().skip(chars.len() - 12).copied())
                    .collect(),
                _ if chars.len() > 12 => chars.iter().take(12).copied().chain(std::iter::once('…')).collect(),
                _ => chars.iter().collect(),
            };
            let (code, what, hint) = match w.warning {
                LayoutWarning::KinsokuRelaxed { .. } => (
                    "kinsoku-relaxed",
                    "a line ends where the layout's kinsoku level forbids a break (only the basic level of clreq §3.1.4 could fill the lines); the line starts here and ends",
                    "reword the sentence near the line's end slightly: a character more or less moves the break",
                ),
                LayoutWarning::Underfull { .. } => (
                    "line-underfull",
                    "a justified line cannot be stretched to the column width (it holds one unit with nothing to stretch)",
                    "break the long unit (a number, a Latin word, a dash run) or reword around it",
                ),
                LayoutWarning::TokenBroken { .. } => (
                    "token-broken",
                    "a word, number or address is wider than the column and has no break point, so it was broken between two of its characters; the line starts here",
                    "write a space inside the long token where a reader may expect a break, or shorten it",
                ),
                LayoutWarning::ShortLastLine => (
                    "short-last-line",
                    "the paragraph's last line holds a single character (孤字, clreq §3.4.4)",
                    "add or remove a character or two in the paragraph's last sentence",
                ),
            };
            out.push(
                Diagnostic::warning(
                    code,
                    w.span,
                    format!("page {}, article {}: {what}: `{excerpt}`", page.label, w.owner),
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// Share of a page's body rows that may stay empty above the foot before the editor is told.
const MAX_EMPTY_SHARE: f32 = 0.25;

/// A warning for each page whose columns leave, on average, more than [`MAX_EMPTY_SHARE`] of
/// their rows empty above the foot: an edition too short for its page (the flow fills every page
/// but an edition's last, and cannot make text longer). It points at the edition's heading.
fn underfilled_pages(
    bulletin: &Bulletin,
    pages: &[PageLayout],
    spec: &LayoutSpec,
    headings: &[Span],
) -> Vec<Diagnostic> {
    let area = super::body_area(spec);
    let (pitch, bottom) = (area.pitch, area.bottom);
    if pitch <= 0.0 || area.columns.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        // An edition's extra pages hold what did not fit its own (edition-overflow says so);
        // only its first page can be too short for it.
        if pages.iter().position(|p| p.edition == page.edition) != Some(index) {
            continue;
        }
        let blocks = page.blocks();
        // The page's body area starts under its head (masthead or running head).
        let top = blocks
            .iter()
            .filter(|b| !b.kind.is_chrome() && b.rect.height > 0.0)
            .map(|b| b.rect.y)
            .fold(f32::INFINITY, f32::min);
        if !top.is_finite() || bottom - top < pitch {
            continue;
        }
        let rows = (bottom - top) / pitch;
        let empty: f32 = area
            .columns
            .iter()
            .map(|&(l, r)| {
                let foot = blocks
                    .iter()
                    .filter(|b| !b.kind.is_chrome() && b.rect.height > 0.0)
                    .filter(|b| b.rect.x < r - 1.0 && b.rect.x + b.rect.width > l + 1.0)
                    .map(|b| b.rect.y + b.rect.height)
                    .fold(top, f32::max);
                ((bottom - foot) / pitch).max(0.0)
            })
            .sum::<f32>()
            / area.columns.len() as f32;
        if empty > rows * MAX_EMPTY_SHARE {
            let name = bulletin
                .editions
                .get(page.edition)
                .filter(|e| !e.name.trim().is_empty())
                .map_or_else(String::new, |e| format!(" ({})", e.name));
            out.push(
                Diagnostic::warning(
                    "page-underfilled",
                    headings.get(page.edition).copied(),
                    format!(
                        "page {}{name} leaves {:.0} % of its columns empty above the foot ({:.0} of {:.0} rows a column)",
                        page.label,
                        100.0 * empty / rows,
                        empty,
                        rows
                    ),
                )
                .with_hint("the edition is too short for its page: add an article or a photo, or move one from a fuller edition"),
            );
        }
    }
    out
}

/// A warning for each edition set on more than one page. A print edition (版) is one page: the
/// flow carries what does not fit onto extra pages, and every later edition's page number (版次)
/// moves on by as many, so the page an editor calls 第二版 is printed as page 3. It points at the
/// edition's heading and names the pages.
fn overflowing_editions(bulletin: &Bulletin, pages: &[PageLayout], headings: &[Span]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ei, edition) in bulletin.editions.iter().enumerate() {
        let labels: Vec<&str> = pages
            .iter()
            .filter(|p| p.edition == ei)
            .map(|p| p.label.as_str())
            .collect();
        let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
            continue;
        };
        if labels.len() < 2 {
            continue;
        }
        let name = if edition.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", edition.name)
        };
        let later = if ei + 1 < bulletin.editions.len() {
            match labels.len() - 1 {
                1 => "; the editions after it start one page later".to_string(),
                n => format!("; the editions after it start {n} pages later"),
            }
        } else {
            String::new()
        };
        out.push(
            Diagnostic::warning(
                "edition-overflow",
                headings.get(ei).copied(),
                format!(
                    "edition {}{name} does not fit its page: it is set on {} pages ({first}–{last}){later}",
                    ei + 1,
                    labels.len()
                ),
            )
            .with_hint("shorten its articles or move one to an edition with room (the build warns of pages with room as page-underfilled)"),
        );
    }
    out
}

/// Most further characters listed after the first one no font has.
const MAX_MISSING_LISTED: usize = 20;

/// Errors at every other place in the text after `body_start` (the front matter's end) whose
/// character no font of the book has, skipping `first`, which was reported already: up to
/// [`MAX_MISSING_LISTED`], then a count.
fn other_missing_characters(text: &str, body_start: usize, book: &FontBook, first: Option<Span>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut more = 0usize;
    let missing = book.uncovered(text.get(body_start..).unwrap_or(""));
    for (at, c) in missing {
        let i = body_start + at;
        if first.is_some_and(|s| s.start == i) {
            continue;
        }
        if out.len() < MAX_MISSING_LISTED {
            out.push(
                Diagnostic::error(
                    "layout",
                    Some(Span::new(i, i + c.len_utf8())),
                    format!(
                        "no font of the layout has the character `{c}` (U+{:04X}) either",
                        u32::from(c)
                    ),
                )
                .with_hint("the same remedy: a font that has it, or another character"),
            );
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(Diagnostic::error(
            "layout",
            None,
            format!("{more} more place(s) with a character no font of the layout has"),
        ));
    }
    out
}
