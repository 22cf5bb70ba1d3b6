//! Stable ids: derived from position only, so the same document always gets the same ids.

use super::{Block, Bulletin, Item};

/// Give every edition, section, article, figure and furniture box its positional id:
/// `e1`, `e1-s1`, `e1-a3`, `e1-f2`, `e2-x1`. Counters run per edition, sections included.
pub fn assign_ids(bulletin: &mut Bulletin) {
    for (ei, edition) in bulletin.editions.iter_mut().enumerate() {
        let prefix = format!("e{}", ei + 1);
        edition.id.clone_from(&prefix);
        let mut counters = Counters::default();
        assign_items(&mut edition.items, &prefix, &mut counters);
    }
}

#[derive(Default)]
struct Counters {
    section: usize,
    article: usize,
    figure: usize,
    furniture: usize,
}

fn next(counter: &mut usize, prefix: &str, letter: char) -> String {
    *counter += 1;
    format!("{prefix}-{letter}{counter}")
}

fn assign_items(items: &mut [Item], prefix: &str, c: &mut Counters) {
    for item in items {
        match item {
            Item::Article(a) => {
                a.id = next(&mut c.article, prefix, 'a');
                assign_blocks(&mut a.body, prefix, c);
            }
            Item::PhotoNews(f) => f.id = next(&mut c.figure, prefix, 'f'),
            Item::Section(s) => {
                s.id = next(&mut c.section, prefix, 's');
                assign_items(&mut s.items, prefix, c);
            }
            Item::Furniture(x) => {
                x.id = next(&mut c.furniture, prefix, 'x');
                assign_blocks(&mut x.body, prefix, c);
            }
        }
    }
}

fn assign_blocks(blocks: &mut [Block], prefix: &str, c: &mut Counters) {
    for block in blocks {
        if let Block::Figure(f) = block {
            f.id = next(&mut c.figure, prefix, 'f');
        }
    }
}
