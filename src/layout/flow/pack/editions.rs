//! Going through an issue's editions: one after another, or side by side from guessed starts that
//! are checked in order, an edition set again wherever its guess was wrong.
//!
//! Newspaper convention: each edition (版) starts on a page of its own and nothing of it is set
//! on another edition's page; an edition that does not fit its page goes on to extra pages of the
//! same edition (jumping the article that is cut, （下转第N版）). Page labels are page numbers
//! (版次): an edition's first page keeps its number unless extra pages before it took that number,
//! so labels rise strictly and jump lines stay unambiguous.
//!
//! So an edition's pages depend on the editions before it only through its [`Start`] (the label
//! of its first page, and the index of that page: 0 sets the masthead, and jumps and page numbers
//! record it) and through whether an earlier edition has an article (the first article is
//! the lead). Everything else it reads (the bulletin, photos, layout, fonts) is shared read-only,
//! and its jumps point at its own pages only. The lead flag follows from the model alone, so
//! [`set_parallel`] guesses only the start, sets editions side by side, and keeps an edition's
//! pages only where [`holds`] proves that the serial layout would have made the same ones.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{EditionPages, Geometry, Jump, MAX_PAGES, Start, Units, edition_units, has_article, set_edition};
use crate::layout::flow::typeset::Typesetter;
use crate::layout::flow::{FlowError, PageLayout};
use crate::media::MediaBag;
use crate::model::{Bulletin, Item as ModelItem};

/// Rounds of editions set side by side from guessed starts; editions still unsettled after them
/// are set one after another. The first round guesses one page per edition, the second the page
/// counts the first round found, which is right unless a page count depends on the labels.
pub(in crate::layout::flow) const GUESS_ROUNDS: usize = 2;

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
        let start = start_after(edition.number, last_label, pages.len());
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

/// An edition's units, or why they could not be composed.
type Composed<'a> = Result<Units<'a>, FlowError>;

/// What setting an edition came to: its pages, an error, or a panic caught.
type Outcome = std::thread::Result<Result<EditionPages, FlowError>>;

/// An edition set from an assumed start, with that start.
type Guess = (Start, Outcome);

/// The pages and jumps, the same as [`set_serial`]'s, with editions set side by side
/// when there are several, in at most `max_rounds` rounds of guesses: in each round the first
/// unsettled edition from its real start and the others from guessed starts, side by side
/// ([`side_by_side`]); then every edition whose guess [`holds`] is settled, in order, up to the
/// first that does not, and the next round starts there. Falls
/// back to [`set_serial`] when it could not prove the results the same (article ids repeated,
/// see [`article_ids_unique`]), when the flow prints its debugging trace (whose lines would
/// interleave), or when rayon has one thread.
pub(super) fn set_parallel(
    b: &Bulletin,
    media: &MediaBag,
    ts: &Typesetter<'_>,
    geo: &Geometry,
    max_rounds: usize,
) -> Result<(Vec<PageLayout>, Vec<Jump>), FlowError> {
    let editions = &b.editions;
    if editions.len() < 2
        || rayon::current_num_threads() < 2
        || std::env::var_os("ZHIBAN_DEBUG_FLOW").is_some()
        || !article_ids_unique(b)
    {
        return set_serial(b, media, ts, geo);
    }
    // Whether an edition before each has an article: known from the model, never guessed.
    let lead_taken: Vec<bool> = editions
        .iter()
        .scan(false, |seen, e| {
            let before = *seen;
            *seen = before || has_article(&e.items);
            Some(before)
        })
        .collect();
    let mut guesses: Vec<Option<Guess>> = editions.iter().map(|_| None).collect();
    // Each edition's units, composed the first time it is set and kept for the times after.
    let mut units: Vec<Option<Composed<'_>>> = editions.iter().map(|_| None).collect();
    let mut pages: Vec<PageLayout> = Vec::new();
    let mut jumps: Vec<Jump> = Vec::new();
    let mut last_label: u32 = 0;
    // Editions before `next` are settled: their pages and jumps are in `pages` and `jumps`.
    let mut next = 0;
    let mut rounds = 0;
    while let Some(edition) = editions.get(next) {
        // The serial layout's start of edition `next`, now that every edition before it is set.
        let real = start_after(edition.number, last_label, pages.len());
        // Set every unsettled edition that has no guess or one that would not hold from where it
        // now looks to start. `next` is set from its real start, and a guess from the real start
        // always holds (see `holds`), so each round settles one edition at least.
        let todo: Vec<Task<'_>> = predict(editions.iter().map(|e| e.number), real, next, &guesses)
            .into_iter()
            .zip(next..)
            .zip(lead_taken.iter().skip(next))
            .filter(|((start, ei), _)| {
                let stale = guesses
                    .get(*ei)
                    .and_then(Option::as_ref)
                    .is_none_or(|(assumed, outcome)| !holds(*assumed, *start, outcome));
                stale && (rounds < max_rounds || *ei == next)
            })
            .map(|((start, ei), &lead_taken)| Task {
                ei,
                start,
                lead_taken,
                units: units.get_mut(ei).and_then(Option::take),
            })
            .collect();
        let set: Vec<Done<'_>> = if todo.len() > 1 {
            rounds += 1;
            side_by_side(todo, ts, b, media, geo)
        } else {
            // Only `next`, from its real start: the serial layout's next step.
            todo.into_iter()
                .map(|task| {
                    let (ei, start) = (task.ei, task.start);
                    let (units, result) = task.run(ts, b, media, geo);
                    (ei, Some(units), (start, Ok(result)))
                })
                .collect()
        };
        for (ei, composed, guess) in set {
            if let (Some(slot), Some(composed)) = (units.get_mut(ei), composed) {
                *slot = Some(composed);
            }
            if let Some(slot) = guesses.get_mut(ei) {
                *slot = Some(guess);
            }
        }
        // Settle editions in order while their guesses hold.
        while let (Some(edition), Some(slot)) = (editions.get(next), guesses.get_mut(next)) {
            let real = start_after(edition.number, last_label, pages.len());
            let Some((assumed, result)) = slot.take() else { break };
            if !holds(assumed, real, &result) {
                *slot = Some((assumed, result));
                break;
            }
            // The serial layout would stop at the first edition that fails, with its error (or
            // panic).
            let mut set = result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            rebase(&mut set, assumed.page, real.page);
            last_label = set.last;
            pages.extend(set.pages);
            jumps.extend(set.jumps);
            next += 1;
        }
    }
    Ok((pages, jumps))
}

/// Set `tasks` side by side: as many loops as rayon has threads, one of them on the calling
/// thread, each taking the next task in edition order whenever it is free. (The calling thread
/// takes part rather than wait: its memory is warm, while a new thread's allocator arena costs
/// system time as it grows, which in a one-issue run is most of a small edition's time.)
///
/// The loops share `ts`. What its caches hold is a function of their keys (shaping plans by font
/// and script, article heads by article id, columns and lead, ids unique), and each value goes in
/// whole once it is made, so which edition filled them, and in what order, changes nothing in any
/// edition's pages, and a panic leaves nothing half made in them.
fn side_by_side<'a>(
    tasks: Vec<Task<'a>>,
    ts: &Typesetter<'_>,
    b: &'a Bulletin,
    media: &MediaBag,
    geo: &Geometry,
) -> Vec<Done<'a>> {
    let queue = Mutex::new(tasks.into_iter());
    let done = Mutex::new(Vec::new());
    let work = || {
        loop {
            // Taken in a statement of its own, so that the lock is not held while setting.
            let next = lock(&queue).next();
            let Some(task) = next else { break };
            let (ei, start) = (task.ei, task.start);
            // A guess the serial layout would never make must not panic where it would not: a
            // panic is kept, like an error, for `holds` to judge.
            let finished = match catch_unwind(AssertUnwindSafe(|| task.run(ts, b, media, geo))) {
                Ok((units, result)) => (ei, Some(units), (start, Ok(result))),
                Err(panic) => (ei, None, (start, Err(panic))),
            };
            lock(&done).push(finished);
        }
    };
    rayon::in_place_scope(|s| {
        for _ in 1..rayon::current_num_threads() {
            s.spawn(|_| work());
        }
        work();
    });
    done.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The value behind `mutex`. The locks here are never held across code that could panic, so a
/// poisoned one still holds whole values.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A task done: the edition, its units (none after a panic) and its guess.
type Done<'a> = (usize, Option<Composed<'a>>, Guess);

/// Setting one edition from a start.
struct Task<'a> {
    /// Index of the edition.
    ei: usize,
    /// The start to set it from.
    start: Start,
    /// Whether an earlier edition has an article.
    lead_taken: bool,
    /// Its units, when an earlier task composed them.
    units: Option<Composed<'a>>,
}

impl<'a> Task<'a> {
    /// Set the edition, composing its units first unless an earlier task did: they are the same
    /// from any start (they depend on the edition and `lead_taken` only) and with any typesetter.
    /// Returns the units with the pages.
    fn run(
        self,
        ts: &Typesetter<'_>,
        b: &'a Bulletin,
        media: &MediaBag,
        geo: &Geometry,
    ) -> (Composed<'a>, Result<EditionPages, FlowError>) {
        let units = match (self.units, b.editions.get(self.ei)) {
            (Some(units), _) => units,
            (None, Some(edition)) => edition_units(ts, edition, self.lead_taken),
            (None, None) => Err(no_edition()),
        };
        let result = match &units {
            Ok(queue) => set_edition(ts, b, media, geo, self.ei, queue, self.start),
            Err(e) => Err(e.clone()),
        };
        (units, result)
    }
}

/// Where editions `from..` start if edition `from` starts at `first` and every later one takes
/// as many pages as its latest guess did (one, the edition's own page, when it has none).
fn predict(numbers: impl Iterator<Item = u32>, first: Start, from: usize, guesses: &[Option<Guess>]) -> Vec<Start> {
    let mut out = Vec::new();
    // The last label and the page after the edition before, as guessed.
    let mut before: Option<(u32, usize)> = None;
    for (number, guess) in numbers.zip(guesses).skip(from) {
        let start = match before {
            None => first,
            // The serial rule, `number.max(last_label + 1)`, with the guessed last label.
            Some((last, page)) => Start {
                number: number.max(last.wrapping_add(1)),
                page,
            },
        };
        out.push(start);
        let count = match guess {
            Some((_, Ok(Ok(set)))) => set.pages.len().max(1),
            _ => 1,
        };
        let extra = u32::try_from(count - 1).unwrap_or(u32::MAX);
        before = Some((start.number.wrapping_add(extra), start.page + count));
    }
    out
}

/// Whether an edition set from `assumed` is exactly what the serial layout makes of it from
/// `real`: the same first label (labels are printed in running heads, folios and jump lines),
/// the masthead on its first page or not (page index 0), and a page limit that passes where it
/// passed. Then the only differences are the page indices in its page numbers and jumps, which
/// [`rebase`] moves. A failure (or panic) stands only for the very start it was made with.
fn holds(assumed: Start, real: Start, outcome: &Outcome) -> bool {
    assumed.number == real.number
        && (assumed.page == 0) == (real.page == 0)
        && match outcome {
            // Each pass checked `assumed.page + pages > MAX_PAGES` page by page and passed; from
            // `real.page` it passes too when the longest pass fits.
            Ok(Ok(set)) => real.page + set.most <= MAX_PAGES,
            Ok(Err(_)) | Err(_) => assumed.page == real.page,
        }
}

/// Move an edition set with its first page at index `from` to index `to`.
fn rebase(set: &mut EditionPages, from: usize, to: usize) {
    if from == to {
        return;
    }
    for (i, p) in set.pages.iter_mut().enumerate() {
        // As `fill_page` numbers them: the page index plus one.
        p.page.number = u32::try_from(to + i + 1).unwrap_or(u32::MAX);
    }
    for j in &mut set.jumps {
        // Every jump of the edition records one of its own pages, at `from` or after.
        j.page = to + j.page.saturating_sub(from);
    }
}

/// Whether no two articles of the issue share an id. The head cache of a [`Typesetter`] is keyed
/// by article id, so with an id repeated the serial layout sets a later article with the head of
/// the first one of that id, even in another edition, and an edition set with a typesetter of its
/// own would not.
fn article_ids_unique(b: &Bulletin) -> bool {
    fn walk<'a>(items: &'a [ModelItem], seen: &mut std::collections::HashSet<&'a str>) -> bool {
        items.iter().all(|item| match item {
            ModelItem::Article(a) => seen.insert(a.id.as_str()),
            ModelItem::Section(s) => walk(&s.items, seen),
            ModelItem::PhotoNews(_) | ModelItem::Furniture(_) => true,
        })
    }
    let mut seen = std::collections::HashSet::new();
    b.editions.iter().all(|e| walk(&e.items, &mut seen))
}

/// The error for an edition index out of range, which the callers never make.
fn no_edition() -> FlowError {
    FlowError {
        message: "the issue has no edition to lay out".into(),
        span: None,
        hint: Some("add an edition heading such as `# 第一版 要闻`".into()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{EditionPages, MAX_PAGES, Schedule, Start, layout};
    use super::{Guess, Outcome, holds, predict};
    use crate::layout::flow::{FlowError, PageLayout, Typesetter};
    use crate::layout::frame::{Frame, Page};
    use crate::layout::spec::Layout;
    use crate::markup::{ParseOptions, parse};
    use crate::media::MediaBag;

    /// An edition's pages, empty, `count` of them.
    fn set(count: usize, most: usize) -> EditionPages {
        let page = PageLayout {
            page: Page {
                number: 1,
                frame: Frame::new(10.0, 10.0),
            },
            edition: 0,
            label: "1".into(),
            blocks: Vec::new(),
            warnings: Vec::new(),
        };
        EditionPages {
            pages: vec![page; count],
            jumps: Vec::new(),
            last: 1,
            most,
        }
    }

    fn start(number: u32, page: usize) -> Start {
        Start { number, page }
    }

    fn failed() -> FlowError {
        FlowError {
            message: "x".into(),
            span: None,
            hint: None,
        }
    }

    #[test]
    fn a_guess_holds_for_the_same_label_masthead_and_page_limit() {
        let ok = Ok(Ok(set(2, 3)));
        assert!(holds(start(3, 2), start(3, 2), &ok));
        assert!(holds(start(3, 2), start(3, 7), &ok), "page indices are rebased");
        assert!(!holds(start(3, 2), start(4, 2), &ok), "labels are printed");
        assert!(!holds(start(3, 0), start(3, 2), &ok), "page 0 has the masthead");
        assert!(!holds(start(3, 2), start(3, 0), &ok), "page 0 has the masthead");
        assert!(holds(start(3, 2), start(3, MAX_PAGES - 3), &ok));
        assert!(
            !holds(start(3, 2), start(3, MAX_PAGES - 2), &ok),
            "the longer pass would pass the page limit"
        );
        let err = Ok(Err(failed()));
        assert!(holds(start(3, 2), start(3, 2), &err));
        assert!(
            !holds(start(3, 2), start(3, 5), &err),
            "a failure stands only where it was made"
        );
        let panic: Outcome = Err(Box::new("boom"));
        assert!(holds(start(3, 2), start(3, 2), &panic));
        assert!(!holds(start(3, 2), start(3, 5), &panic), "so does a panic");
    }

    #[test]
    fn starts_are_predicted_from_the_page_counts_of_the_guesses() {
        let guesses: Vec<Option<Guess>> = vec![
            Some((start(1, 0), Ok(Ok(set(1, 1))))),
            Some((start(2, 1), Ok(Ok(set(3, 3))))),
            None,
            Some((start(4, 3), Ok(Err(failed())))),
            Some((start(20, 4), Ok(Ok(set(2, 2))))),
            None,
        ];
        let numbers = [1, 2, 3, 4, 20, 5];
        assert_eq!(
            predict(numbers.into_iter(), start(2, 1), 1, &guesses),
            vec![start(2, 1), start(5, 4), start(6, 5), start(20, 6), start(22, 8)],
        );
    }

    /// Issues whose editions run over, set with every number of guess rounds (0: one edition
    /// after another; 1: guesses once, then the rest after another) give the serial pages.
    #[test]
    fn every_number_of_guess_rounds_gives_the_serial_pages() {
        let file = Layout::load("tabloid", &Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).unwrap();
        let book = file.font_book().unwrap();
        let para = "会议指出，今年年初以来，示范区上下同心、勠力奋进，各方面工作成绩显著、振奋人心。".repeat(8);
        let long: String = (0..40).map(|_| format!("{para}\n\n")).collect();
        let mut src = "+++\npublication = \"测试报\"\ndate = 2020-12-28\n+++\n\n".to_string();
        for i in 1..=7 {
            src.push_str(&format!("# 第{i}版 第{i}块\n\n## 第{i}篇\n\n"));
            src.push_str(if i % 3 == 2 { &long } else { "短短的正文。\n\n" });
        }
        let parsed = parse(&src, ParseOptions::default());
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let b = parsed.bulletin;
        let media = MediaBag::default();
        let run = |schedule| {
            let ts = Typesetter::new(&file.spec, &book).unwrap();
            format!("{:?}", layout(&b, &media, &ts, schedule))
        };
        let serial = run(Schedule::Serial);
        assert!(serial.contains("label: \"9\""), "editions run over");
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        for rounds in 0..=3 {
            let parallel = pool.install(|| run(Schedule::Parallel(rounds)));
            assert!(parallel == serial, "{rounds} rounds");
        }
    }
}
