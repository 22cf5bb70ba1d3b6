//! Going through an issue's editions, one after another.
//!
//! Newspaper convention: each edition (版) starts on a page of its own and nothing of it is set
//! on another edition's page; an edition that does not fit its page goes on to extra pages of the
//! same edition (jumping the article that is cut, （下转第N版）). Page labels are page numbers
//! (版次): an edition's first page keeps its number unless extra pages before it took that number,
//! so labels rise strictly and jump lines stay unambiguous.

use super::{Geometry, Jump, Start, edition_units, has_article, set_edition};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{FlowError, PageLayout};
use crate::layout::spec::PublicationKind;
use crate::media::MediaBag;
use crate::model::Bulletin;

/// The pages and jumps, one edition after another.
pub(super) fn set_editions(
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
        // A bulletin numbers its pages one after another; a newspaper's edition keeps its own.
        let number = match ts.spec.kind {
            PublicationKind::Newspaper => edition.number,
            PublicationKind::Bulletin => last_label + 1,
        };
        let start = start_after(number, last_label, pages.len());
        let units = edition_units(ts, edition, lead_taken)?;
        let set = set_edition(ts, b, media, geo, ei, &units, start)?;
        lead_taken = lead_taken || has_article(&edition.items);
        last_label = set.last;
        pages.extend(set.pages);
        jumps.extend(set.jumps);
    }
    Ok((pages, jumps))
}

/// Where an edition numbered `number` starts after editions whose last label is `last_label`
/// (0 before the first) and whose pages are `page` (the index of its first page): on its own
/// number, or on the label after the last one when extra pages before took its number.
fn start_after(number: u32, last_label: u32, page: usize) -> Start {
    Start {
        number: number.max(last_label + 1),
        page,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::layout;
    use crate::layout::flow::Typesetter;
    use crate::layout::spec::Layout;
    use crate::markup::{ParseOptions, parse};
    use crate::media::MediaBag;

    /// Editions that run onto extra pages push the labels of the editions after them on.
    #[test]
    fn an_edition_that_runs_over_moves_the_next_editions_labels() {
        let file = Layout::load("tabloid", &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).unwrap();
        let book = file.font_book().unwrap();
        let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(8);
        let long: String = (0..40).map(|_| format!("{para}\n\n")).collect();
        let mut src = "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n\n".to_string();
        for i in 1..=4 {
            src.push_str(&format!("# 第{i}版 第{i}块\n\n## 第{i}篇\n\n"));
            src.push_str(if i == 2 { &long } else { "短短的正文。\n\n" });
        }
        let parsed = parse(&src, ParseOptions::default());
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let ts = Typesetter::new(&file.spec, &book).unwrap();
        let pages = layout(&parsed.bulletin, &MediaBag::default(), &ts).unwrap();
        let labels: Vec<(usize, &str)> = pages.iter().map(|p| (p.edition, p.label.as_str())).collect();
        let runs_over = labels.iter().filter(|(e, _)| *e == 1).count();
        assert!(runs_over > 1, "{labels:?}");
        let third = labels.iter().find(|(e, _)| *e == 2).expect("edition 3");
        assert_eq!(third.1, (2 + runs_over).to_string(), "{labels:?}");
        let strictly_rising = labels
            .windows(2)
            .all(|w| w[0].1.parse::<u32>().unwrap() < w[1].1.parse::<u32>().unwrap());
        assert!(strictly_rising, "{labels:?}");
    }
}
