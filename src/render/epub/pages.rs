//! Print pages: where each page of the printed issue starts, so the EPUB can carry page-break
//! markers and a page list (EPUB 3.3 §7.4.2) that let a reader cite 第2版.

use std::collections::BTreeMap;

use crate::layout::flow::PageLayout;
use crate::model::{Bulletin, Item, items_flat};

use super::EpubError;

/// Where the print pages of the issue start, in the terms of the model; the PDF layout fills
/// it, and [`PrintPages::per_edition`] stands in while there is no layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintPages {
    starts: Vec<PageStart>,
}

/// The start of one print page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    /// Id of the edition, section, article, photo news or furniture the page starts in.
    pub id: String,
    /// Index into the article's or furniture's body of the block the page starts before;
    /// `None` when the page starts before the item itself.
    pub block: Option<usize>,
    /// The page label as printed and cited, e.g. `2`.
    pub label: String,
}

impl PrintPages {
    /// No pages yet.
    pub fn new() -> PrintPages {
        PrintPages::default()
    }

    /// One page per edition, labelled with the edition number: a newspaper edition (版) is one
    /// printed page.
    pub fn per_edition(bulletin: &Bulletin) -> PrintPages {
        let mut pages = PrintPages::new();
        for edition in &bulletin.editions {
            pages.push(edition.id.clone(), None, edition.number.to_string());
        }
        pages
    }

    /// The print pages of a laid-out issue: each page starts at the first thing on it that is
    /// the model's (not chrome): the edition itself when the page opens it, the article when it
    /// starts there, or the body block a continuation resumes with.
    pub fn from_layout(bulletin: &Bulletin, pages: &[PageLayout]) -> PrintPages {
        let mut out = PrintPages::new();
        let mut seen_edition = vec![false; bulletin.editions.len()];
        for page in pages {
            let blocks = page.blocks();
            let Some(first) = blocks.iter().find(|b| !b.kind.is_chrome()) else {
                continue;
            };
            let starts_edition = seen_edition.get(page.edition).is_some_and(|&seen| !seen);
            let edition_id = bulletin.editions.get(page.edition).map(|e| e.id.clone());
            let first_is_own = bulletin
                .editions
                .get(page.edition)
                .is_some_and(|e| items_flat(&e.items).next().is_some_and(|i| item_id(i) == first.owner));
            if starts_edition
                && first_is_own
                && let Some(id) = edition_id
            {
                if let Some(seen) = seen_edition.get_mut(page.edition) {
                    *seen = true;
                }
                out.push(id, None, page.label.clone());
            } else if first.part > 1 {
                out.push(first.owner.clone(), first.block, page.label.clone());
            } else {
                out.push(first.owner.clone(), None, page.label.clone());
            }
        }
        out
    }

    /// Add a page that starts at `id` (before body block `block`, if given), labelled `label`.
    pub fn push(&mut self, id: impl Into<String>, block: Option<usize>, label: impl Into<String>) {
        self.starts.push(PageStart {
            id: id.into(),
            block,
            label: label.into(),
        });
    }

    /// The page starts in the order they were added.
    pub fn starts(&self) -> &[PageStart] {
        &self.starts
    }
}

/// Page labels by the place they start at, checked against the bulletin.
#[derive(Debug, Default)]
pub(super) struct PageMarks {
    at: BTreeMap<(String, Option<usize>), Vec<String>>,
}

impl PageMarks {
    /// Check every start names a place in `bulletin` and every label is used once.
    pub(super) fn resolve(bulletin: &Bulletin, pages: &PrintPages) -> Result<PageMarks, EpubError> {
        // Each id that can carry a page start, with the number of body blocks it has.
        let mut places: BTreeMap<&str, usize> = BTreeMap::new();
        for edition in &bulletin.editions {
            places.insert(&edition.id, 0);
            for item in items_flat(&edition.items) {
                let (id, blocks) = match item {
                    Item::Article(a) => (&a.id, a.body.len()),
                    Item::PhotoNews(f) => (&f.id, 0),
                    Item::Section(s) => (&s.id, 0),
                    Item::Furniture(x) => (&x.id, x.body.len()),
                };
                places.insert(id, blocks);
            }
        }
        let mut marks = PageMarks::default();
        let mut labels = BTreeMap::new();
        for start in &pages.starts {
            if start.label.trim().is_empty() {
                return Err(EpubError::EmptyPageLabel { id: start.id.clone() });
            }
            let Some(&blocks) = places.get(start.id.as_str()) else {
                return Err(EpubError::UnknownPageTarget {
                    id: start.id.clone(),
                    label: start.label.clone(),
                });
            };
            if let Some(block) = start.block.filter(|&b| b >= blocks) {
                return Err(EpubError::PageBlockOutOfRange {
                    id: start.id.clone(),
                    block,
                    blocks,
                    label: start.label.clone(),
                });
            }
            if labels.insert(start.label.as_str(), ()).is_some() {
                return Err(EpubError::DuplicatePageLabel {
                    label: start.label.clone(),
                });
            }
            marks
                .at
                .entry((start.id.clone(), start.block))
                .or_default()
                .push(start.label.clone());
        }
        Ok(marks)
    }

    /// The labels of the pages that start at `id`, before block `block`.
    pub(super) fn at(&self, id: &str, block: Option<usize>) -> &[String] {
        self.at
            .get(&(id.to_string(), block))
            .map_or(&[], |labels| labels.as_slice())
    }
}

/// The model id of an item.
fn item_id(item: &Item) -> &str {
    match item {
        Item::Article(a) => &a.id,
        Item::PhotoNews(f) => &f.id,
        Item::Section(s) => &s.id,
        Item::Furniture(x) => &x.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Edition, Meta};

    fn bulletin() -> Bulletin {
        Bulletin {
            meta: Meta {
                publication: "示范区头条".into(),
                slogan: None,
                publisher: None,
                date: Date::new(2020, 12, 28).expect("date"),
                issue: None,
                total_issue: None,
                cn: None,
                issn: None,
                permit: None,
                language: "zh-CN".into(),
                editors: vec![],
                layout: None,
            },
            editions: vec![Edition {
                id: "e1".into(),
                number: 1,
                name: "要闻".into(),
                editor: None,
                items: vec![],
            }],
        }
    }

    #[test]
    fn resolves_and_refuses() {
        let b = bulletin();
        let marks = PageMarks::resolve(&b, &PrintPages::per_edition(&b)).expect("valid");
        assert_eq!(marks.at("e1", None), ["1".to_string()]);
        let mut bad = PrintPages::new();
        bad.push("e9", None, "9");
        assert!(matches!(
            PageMarks::resolve(&b, &bad),
            Err(EpubError::UnknownPageTarget { .. })
        ));
        let mut bad = PrintPages::new();
        bad.push("e1", Some(0), "1");
        assert!(matches!(
            PageMarks::resolve(&b, &bad),
            Err(EpubError::PageBlockOutOfRange { .. })
        ));
        let mut bad = PrintPages::per_edition(&b);
        bad.push("e1", None, "1");
        assert!(matches!(
            PageMarks::resolve(&b, &bad),
            Err(EpubError::DuplicatePageLabel { .. })
        ));
    }
}
