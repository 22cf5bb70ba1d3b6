//! The logical structure (ISO 32000-1 §14.7, standard types of §14.8.4) and the outline
//! (§12.3.3). The structure tree is the issue as parts (editions) holding sections (栏目) with
//! their banner as `H1`, and articles (`Art`) with their headline as `H2`, their body as `P`,
//! and figures (`Figure` with the photo's alternative text) with their `Caption`; it points at
//! the marked content the pages carry, in reading order across pages.

use std::collections::BTreeMap;

use pdf_writer::types::StructRole;
use pdf_writer::{Ref, TextStr};

use super::file::Objects;

use crate::layout::flow::{BlockInfo, BlockKind, PageLayout};
use crate::model::{Block, Bulletin, Figure, Item as ModelItem, items_flat, plain_text};

/// One marked-content sequence of a page: whose content it is.
pub(super) struct Marked<'a> {
    /// The model id of the element.
    pub(super) owner: &'a str,
    /// What part of it.
    pub(super) kind: BlockKind,
}

/// A child of a structure element.
enum Kid {
    /// Another element (index into [`Tree::elems`]).
    Elem(usize),
    /// Marked content: page index and marked-content id.
    Content(usize, i32),
}

/// A structure element before it has an object number.
struct Elem {
    role: StructRole,
    /// `/T`, the heading's text.
    title: Option<String>,
    /// `/Alt`, a figure's alternative text.
    alt: Option<String>,
    kids: Vec<Kid>,
}

/// The structure tree; element 0 is the document.
pub(super) struct Tree {
    elems: Vec<Elem>,
}

impl Tree {
    fn add(&mut self, role: StructRole) -> usize {
        self.elems.push(Elem {
            role,
            title: None,
            alt: None,
            kids: Vec::new(),
        });
        self.elems.len() - 1
    }

    fn push(&mut self, parent: usize, kid: Kid) {
        if let Some(p) = self.elems.get_mut(parent) {
            p.kids.push(kid);
        }
    }

    /// Adds a leaf element of `role` under `parent` holding `content`; none if there is none.
    fn leaf(&mut self, parent: usize, role: StructRole, content: Vec<(usize, i32)>) -> Option<usize> {
        if content.is_empty() {
            return None;
        }
        let e = self.add(role);
        for (page, mcid) in content {
            self.push(e, Kid::Content(page, mcid));
        }
        self.push(parent, Kid::Elem(e));
        Some(e)
    }
}

/// Builds the tree from the model and the pages' marked content (`marked[page][mcid]`).
pub(super) fn tag_tree(b: &Bulletin, marked: &[Vec<Marked<'_>>]) -> Tree {
    // Marked content by owner, in page and drawing order.
    let mut by_owner: BTreeMap<&str, Vec<(BlockKind, usize, i32)>> = BTreeMap::new();
    for (page, list) in marked.iter().enumerate() {
        for (mcid, m) in list.iter().enumerate() {
            let mcid = i32::try_from(mcid).unwrap_or(i32::MAX);
            by_owner.entry(m.owner).or_default().push((m.kind, page, mcid));
        }
    }
    let leaves = |id: &str, kind: BlockKind| -> Vec<(usize, i32)> {
        by_owner.get(id).map_or_else(Vec::new, |v| {
            v.iter()
                .filter(|(k, _, _)| *k == kind)
                .map(|&(_, p, m)| (p, m))
                .collect()
        })
    };
    let mut tree = Tree { elems: Vec::new() };
    let doc = tree.add(StructRole::Document);

    let figure = |tree: &mut Tree, parent: usize, f: &Figure| {
        if let Some(e) = tree.leaf(parent, StructRole::Figure, leaves(&f.id, BlockKind::Image))
            && let Some(el) = tree.elems.get_mut(e)
        {
            el.alt = Some(f.alt.clone());
        }
        tree.leaf(parent, StructRole::Caption, leaves(&f.id, BlockKind::Caption));
    };
    let item = |tree: &mut Tree, parent: usize, item: &ModelItem| match item {
        ModelItem::Article(a) => {
            let art = tree.add(StructRole::Art);
            tree.push(parent, Kid::Elem(art));
            if let Some(h) = tree.leaf(art, StructRole::H2, leaves(&a.id, BlockKind::Head))
                && let Some(el) = tree.elems.get_mut(h)
            {
                el.title = Some(plain_text(&a.headline));
            }
            tree.leaf(art, StructRole::P, leaves(&a.id, BlockKind::Body));
            for block in &a.body {
                if let Block::Figure(f) = block {
                    figure(tree, art, f);
                }
            }
        }
        ModelItem::PhotoNews(f) => {
            let sect = tree.add(StructRole::Sect);
            tree.push(parent, Kid::Elem(sect));
            figure(tree, sect, f);
        }
        ModelItem::Furniture(x) => {
            let sect = tree.add(StructRole::Sect);
            tree.push(parent, Kid::Elem(sect));
            tree.leaf(sect, StructRole::P, leaves(&x.id, BlockKind::Furniture));
            for block in &x.body {
                if let Block::Figure(f) = block {
                    figure(tree, sect, f);
                }
            }
        }
        ModelItem::Section(_) => {}
    };
    for edition in &b.editions {
        let part = tree.add(StructRole::Part);
        tree.push(doc, Kid::Elem(part));
        for it in &edition.items {
            if let ModelItem::Section(s) = it {
                let sect = tree.add(StructRole::Sect);
                tree.push(part, Kid::Elem(sect));
                if let Some(h) = tree.leaf(sect, StructRole::H1, leaves(&s.id, BlockKind::Banner))
                    && let Some(el) = tree.elems.get_mut(h)
                {
                    el.title = Some(s.title.as_str().to_string());
                }
                for i in &s.items {
                    item(&mut tree, sect, i);
                }
            } else {
                item(&mut tree, part, it);
            }
        }
    }
    tree
}

/// Object numbers the catalog needs from the written tree.
pub(super) struct Written {
    /// The document element, the root's only child.
    pub(super) document: Ref,
    /// For each page, its parent-tree array: the element of each marked-content id.
    pub(super) pages: Vec<Ref>,
}

/// Writes the elements under `root` (the structure tree root, written by the catalog) and the
/// parent tree's arrays (§14.7.4.4); `marked_per_page` is how many marked-content ids each page
/// has.
pub(super) fn write_tree(
    objects: &mut Objects,
    tree: &Tree,
    root: Ref,
    page_refs: &[Ref],
    marked_per_page: &[usize],
    lang: &str,
) -> Written {
    let refs: Vec<Ref> = tree.elems.iter().map(|_| objects.alloc()).collect();
    let mut parents: Vec<Option<Ref>> = vec![None; tree.elems.len()];
    for (i, e) in tree.elems.iter().enumerate() {
        for k in &e.kids {
            if let (Kid::Elem(c), Some(&r)) = (k, refs.get(i))
                && let Some(slot) = parents.get_mut(*c)
            {
                *slot = Some(r);
            }
        }
    }
    let mut per_page: Vec<BTreeMap<i32, Ref>> = page_refs.iter().map(|_| BTreeMap::new()).collect();
    for (i, (e, &r)) in tree.elems.iter().zip(&refs).enumerate() {
        let mut el = objects.object(r).struct_element(r);
        el.kind(e.role);
        el.parent(parents.get(i).copied().flatten().unwrap_or(root));
        if i == 0 {
            el.lang(TextStr(lang));
        }
        if let Some(t) = &e.title {
            el.title(TextStr(t));
        }
        if let Some(a) = &e.alt {
            el.alt(TextStr(a));
        }
        // The page of the first marked content is the element's page; content on other pages
        // is referred to with its page (§14.7.4.2).
        let home = e.kids.iter().find_map(|k| match k {
            Kid::Content(p, _) => Some(*p),
            Kid::Elem(_) => None,
        });
        if let Some(p) = home.and_then(|p| page_refs.get(p)) {
            el.page(*p);
        }
        let mut kids = el.children();
        for k in &e.kids {
            match *k {
                Kid::Elem(c) => {
                    if let Some(&cr) = refs.get(c) {
                        kids.struct_element(cr);
                    }
                }
                Kid::Content(p, mcid) => {
                    if Some(p) == home {
                        kids.marked_content_id(mcid);
                    } else if let Some(&pr) = page_refs.get(p) {
                        kids.marked_content_ref().marked_content_id(mcid).page(pr);
                    }
                    if let Some(m) = per_page.get_mut(p) {
                        m.insert(mcid, r);
                    }
                }
            }
        }
        drop(kids);
        drop(el);
    }
    // The array's index is the marked-content id (§14.7.4.4), so every id of the page gets an
    // entry: `null` for content no element claims, which keeps the others in their places.
    let mut pages = Vec::with_capacity(per_page.len());
    for (m, &count) in per_page.iter().zip(marked_per_page) {
        let r = objects.alloc();
        let mut array = objects.object(r).indirect(r).array();
        for mcid in 0..i32::try_from(count).unwrap_or(i32::MAX) {
            match m.get(&mcid) {
                Some(&e) => array.item(e),
                None => array.item(pdf_writer::Null),
            };
        }
        drop(array);
        pages.push(r);
    }
    Written {
        document: refs.first().copied().unwrap_or(root),
        pages,
    }
}

/// One bookmark before it is written.
struct Mark {
    title: String,
    page: usize,
    x: f32,
    y: f32,
    children: Vec<Mark>,
}

/// Writes the outline: one bookmark per edition at the first page it is set on, under it one per
/// article or section at its first block. Returns the outline dictionary, if there is a bookmark.
pub(super) fn write_outline(
    objects: &mut Objects,
    b: &Bulletin,
    pages: &[PageLayout],
    page_refs: &[Ref],
    margin: f32,
    sheets: &[(f32, f32)],
) -> Option<Ref> {
    let blocks: Vec<Vec<BlockInfo>> = pages.iter().map(PageLayout::blocks).collect();
    let top = |page: usize| sheets.get(page).map_or(0.0, |&(_, h)| h + margin);
    let mut marks = Vec::new();
    for (ei, edition) in b.editions.iter().enumerate() {
        let Some((first, first_page)) = pages.iter().enumerate().find(|(_, p)| p.edition == ei) else {
            continue;
        };
        // The bookmark names the edition as the running head of its first page does: the page
        // number (版次) there, which is the edition's own number unless an earlier edition ran
        // onto extra pages, and the edition's name.
        let number = &first_page.label;
        let title = if edition.name.is_empty() {
            format!("第{number}版")
        } else {
            format!("第{number}版 {}", edition.name)
        };
        let mut node = Mark {
            title,
            page: first,
            x: margin,
            y: top(first),
            children: Vec::new(),
        };
        for item in items_flat(&edition.items) {
            let (id, text) = match item {
                ModelItem::Article(a) => (a.id.as_str(), plain_text(&a.headline)),
                ModelItem::PhotoNews(f) => (f.id.as_str(), "图片新闻".to_string()),
                ModelItem::Section(s) => (s.id.as_str(), s.title.as_str().to_string()),
                ModelItem::Furniture(x) => (
                    x.id.as_str(),
                    x.title.as_ref().map_or(String::new(), |t| t.as_str().to_string()),
                ),
            };
            if text.is_empty() {
                continue;
            }
            let found = blocks.iter().enumerate().find_map(|(pi, p)| {
                p.iter()
                    .find(|bl| bl.owner == id && !bl.kind.is_chrome())
                    .map(|bl| (pi, bl.rect))
            });
            if let Some((pi, rect)) = found {
                node.children.push(Mark {
                    title: text,
                    page: pi,
                    x: margin + rect.x,
                    y: top(pi) - rect.y,
                    children: Vec::new(),
                });
            }
        }
        marks.push(node);
    }
    if marks.is_empty() {
        return None;
    }
    let outline = objects.alloc();
    let count = write_marks(objects, &marks, outline, page_refs);
    objects
        .object(outline)
        .outline(outline)
        .first(count.0)
        .last(count.1)
        .count(count.2);
    Some(outline)
}

/// Writes `marks` as siblings under `parent`; returns the first, the last and how many items
/// are visible (all: every level is open).
fn write_marks(objects: &mut Objects, marks: &[Mark], parent: Ref, page_refs: &[Ref]) -> (Ref, Ref, i32) {
    let refs: Vec<Ref> = marks.iter().map(|_| objects.alloc()).collect();
    let mut visible = 0;
    for (i, (m, &r)) in marks.iter().zip(&refs).enumerate() {
        visible += 1;
        let sub = if m.children.is_empty() {
            None
        } else {
            Some(write_marks(objects, &m.children, r, page_refs))
        };
        let mut item = objects.object(r).outline_item(r);
        item.title(TextStr(&m.title)).parent(parent);
        if let Some(p) = i.checked_sub(1).and_then(|p| refs.get(p)) {
            item.prev(*p);
        }
        if let Some(n) = refs.get(i + 1) {
            item.next(*n);
        }
        if let Some((first, last, count)) = sub {
            item.first(first).last(last).count(count);
            visible += count;
        }
        if let Some(&page) = page_refs.get(m.page) {
            item.dest().page(page).xyz(m.x, m.y, None);
        }
        drop(item);
    }
    let first = refs.first().copied().unwrap_or(parent);
    let last = refs.last().copied().unwrap_or(parent);
    (first, last, visible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_tree_arrays_have_an_entry_for_every_marked_content_id() {
        // One page with three marked-content ids; the tree claims 0 and 2 only.
        let mut tree = Tree { elems: Vec::new() };
        let doc = tree.add(StructRole::Document);
        tree.leaf(doc, StructRole::P, vec![(0, 0), (0, 2)]);
        let mut objects = Objects::new();
        let (root, page) = (objects.alloc(), objects.alloc());
        let written = write_tree(&mut objects, &tree, root, &[page], &[3], "zh-CN");
        let text = String::from_utf8_lossy(&objects.bytes_for_tests()).into_owned();
        let array_ref = written.pages.first().expect("one page").get();
        let array = text
            .split(&format!("{array_ref} 0 obj"))
            .nth(1)
            .and_then(|rest| rest.split("endobj").next())
            .expect("the array");
        // Elements are 3 (document) and 4 (paragraph): id 1 is nobody's.
        assert_eq!(
            array.split_whitespace().collect::<Vec<_>>().join(" "),
            "[4 0 R null 4 0 R]"
        );
    }
}
