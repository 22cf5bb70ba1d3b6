//! Going through an issue's editions, one after another.
//!
//! Newspaper convention: each edition (版) starts on a page of its own and nothing of it is set
//! on another edition's page; an edition that does not fit its page goes on to extra pages of the
//! same edition (jumping the article that is cut, （下转第N版）). Page labels are page numbers
//! (版次): an edition's first page keeps its number unless extra pages before it took that number,
//! so labels rise strictly and jump lines stay unambiguous.

use super::{Geometry, Jump, Start, has_article, set_edition};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{FlowError, PageLayout};
use crate::media::MediaBag;
use crate::model::Bulletin;

/// The pages and jumps, one edition after another.
pub(super) fn set_serial(
    b: &Bulletin,
    media: &MediaBag,
    ts: &Typesetter<'_>,
    geo: &Geometry,
) -> Result<(Vec<PageLayout>, Vec<Jump>), FlowError> {
    let mut pages: Vec<PageLayout> = Vec::new();
    let mut jumps: Vec<Jump> = Vec::new();
    let mut lead_taken = false;
    let mut last_label: u32 = 0;
    for (ei, edition) in b.editions.iter().enumerate() {
        let start = Start {
            number: edition.number.max(last_label + 1),
            page: pages.len(),
        };
        let set = set_edition(ts, b, media, geo, ei, edition, lead_taken, start)?;
        lead_taken = lead_taken || has_article(&edition.items);
        last_label = set.last;
        pages.extend(set.pages);
        jumps.extend(set.jumps);
    }
    Ok((pages, jumps))
}
