//! Unbreakable units (atoms) and the gaps between them: break opportunities and glue.
//!
//! UAX #14 (unicode-linebreak) decides breaks between Latin and digit characters and so forms
//! words and numbers (L4: `2020`, `11.6`, `4,000`, `85%` stay whole). Wherever a CJK character is
//! on either side of a gap, clreq's rules decide instead, because UAX #14's class QU binds `“`
//! to both neighbours (typst#1009) and its class IN keeps `……` off line starts: breaks are
//! allowed everywhere except before line-start-prohibited and after line-end-prohibited marks
//! (clreq §3.1.4, L1/L2), and never inside `——` or `……` (§3.1.5.1, L3).

use std::ops::Range;

use unicode_linebreak::{BreakClass, break_property};

use super::punct::{self, Kinsoku, Punct};
use super::segment::{self, Joint};
use super::shape::{ShapedGlyph, is_control};

/// What an atom is, for spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Han ideographs, kana and other CJK characters.
    Han,
    /// A Latin word, a number, a number with its unit.
    Latin,
    /// A punctuation mark, or a `——`/`……` unit.
    Punct(Punct),
}

/// An unbreakable unit: one CJK character or mark, a `——`/`……` pair, or a Latin word/number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Atom {
    /// Source bytes.
    pub(crate) text: Range<usize>,
    /// Its glyphs.
    pub(crate) glyphs: Range<usize>,
    /// Natural width in points, padding included.
    pub(crate) width: f64,
    /// Fixed space added before the first and after the last glyph, in points (P1).
    pub(crate) pad: (f64, f64),
    /// Compressible blank on the left and right, in points (clreq §3.1.6).
    pub(crate) blank: (f64, f64),
    /// What it is.
    pub(crate) kind: Kind,
    /// Whether it is a two-character `——` or `……` unit (L3).
    pub(crate) unit: bool,
    /// First character.
    pub(crate) first: char,
    /// Last character.
    pub(crate) last: char,
    /// Font size of the atom, in points.
    pub(crate) em: f64,
    /// Characters that are not punctuation (for the 孤字 rule G4).
    pub(crate) letters: usize,
}

/// Extra space in a gap that justification may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Glue {
    /// No glue: the atoms touch.
    None,
    /// A Western word space (U+0020).
    Word,
    /// Space between Han and Latin or digits (clreq §3.2.2, M1).
    HanLatin,
}

/// The gap before an atom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// Whether a line may end here.
    pub(crate) can_break: bool,
    /// Whether a line may end here at the basic kinsoku level: the fallback when the chosen
    /// level leaves no way to fill the lines (JLReq §3.1.7: newspapers relax kinsoku).
    pub(crate) can_break_basic: bool,
    /// Whether a line must end here (a line feed in the text).
    pub(crate) forced: bool,
    /// The glue kind.
    pub(crate) glue: Glue,
    /// Natural glue width in points.
    pub(crate) glue_width: f64,
    /// Em of the glue (the larger neighbour's size), in points.
    pub(crate) em: f64,
    /// Blank trimmed from the previous atom's right when both stay on one line (P2).
    pub(crate) trim_prev: f64,
    /// Blank trimmed from the next atom's left when both stay on one line (P2).
    pub(crate) trim_next: f64,
    /// Space glyphs inside the gap.
    pub(crate) spaces: Range<usize>,
    /// Whether justification must not stretch here (next to `–` `/`, clreq §3.5.4).
    pub(crate) rigid: bool,
    /// How good a break here is in text set by phrases (headlines); [`Seam::Phrase`] elsewhere.
    pub(crate) seam: Seam,
}

/// How good a headline break is, best first; the breaker charges each its own demerits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seam {
    /// At a phrase boundary: a typed space or line feed, after `，：、；`, a stop or `——`; and any
    /// break of text not set by phrases.
    Phrase,
    /// Between two words.
    Word,
    /// Between two single-character words (often one name the dictionary lacks), or inside a
    /// short quotation.
    Weak,
    /// Between the parts of a long compound word.
    Compound,
    /// Inside a word.
    Inside,
}

/// A paragraph cut into atoms; `gaps[k]` is the gap before `atoms[k]`, `gaps[n]` the end.
#[derive(Debug, Clone, Default)]
pub(crate) struct Items {
    /// The atoms in order.
    pub(crate) atoms: Vec<Atom>,
    /// `atoms.len() + 1` gaps.
    pub(crate) gaps: Vec<Gap>,
}

impl Items {
    /// Whether gap `k` lies inside one Latin token, a web or e-mail address broken at its break
    /// points or a token broken by force: letter-spacing there would read as spaces, so a line
    /// ending in such a gap stays short rather than stretched.
    pub(crate) fn inside_token(&self, k: usize) -> bool {
        let latin = |i: Option<usize>| i.and_then(|i| self.atoms.get(i)).is_some_and(|a| a.kind == Kind::Latin);
        latin(k.checked_sub(1)) && latin(Some(k)) && self.gaps.get(k).is_some_and(|g| g.spaces.is_empty())
    }
}

/// Composition settings that change atoms and gaps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BreakRules {
    /// Kinsoku level.
    pub(crate) kinsoku: Kinsoku,
    /// Han–Latin space in ems (M1).
    pub(crate) han_latin: f64,
    /// Whether lines should break at phrase boundaries (headlines, kickers, subtitles).
    pub(crate) phrases: bool,
    /// Whether a Latin word or number may break between any two characters: the last resort for
    /// a token wider than the measure, so that it never stops the build.
    pub(crate) anywhere: bool,
}

/// Width of a space typed between two Chinese phrases of a headline, in ems: an editor's clause
/// gap (宁郭镇 打造…), not a Western word space.
const CLAUSE_GAP_EM: f64 = 1.0;

/// A glyph cluster: the glyphs of one source range.
struct Cluster {
    /// Source bytes.
    text: Range<usize>,
    /// Glyphs.
    glyphs: Range<usize>,
}

/// Cuts shaped text into atoms and gaps.
///
/// `blank(font, ch)` gives the compressible blank of a mark in ems of that font.
pub(crate) fn itemize(
    text: &str,
    glyphs: &[ShapedGlyph],
    blank: impl Fn(&ShapedGlyph, char) -> (f64, f64),
    rules: BreakRules,
) -> Items {
    let mut allowed = vec![false; text.len() + 1];
    for (at, _) in unicode_linebreak::linebreaks(text) {
        // Break positions are byte offsets up to and including `text.len()`.
        if let Some(a) = allowed.get_mut(at) {
            *a = true;
        }
    }
    let address = address_breaks(text);
    for (a, &x) in allowed.iter_mut().zip(&address) {
        *a |= x;
    }
    if rules.anywhere {
        let latin = |c: char| !c.is_whitespace() && !punct::is_cjk(c);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for pair in chars.windows(2) {
            if let [(_, a), (at, b)] = pair
                && latin(*a)
                && latin(*b)
                && let Some(x) = allowed.get_mut(*at)
            {
                *x = true;
            }
        }
    }
    let clusters = clusters(glyphs);
    let mut items = Items::default();
    let mut gap = empty_gap();
    let mut covered = 0;
    for cluster in clusters {
        let s = text.get(cluster.text.clone()).unwrap_or_default();
        if text
            .get(covered..cluster.text.start)
            .is_some_and(|t| t.chars().any(is_control))
        {
            gap.forced = true;
        }
        covered = cluster.text.end;
        // An ideographic space an editor typed between headline phrases is a clause gap too.
        if s.chars().all(|c| c == ' ' || rules.phrases && c == '\u{3000}') {
            extend(&mut gap.spaces, cluster.glyphs.clone());
            gap.glue_width += glyphs
                .get(cluster.glyphs)
                .unwrap_or_default()
                .iter()
                .map(|g| g.advance)
                .sum::<f64>();
            continue;
        }
        let (first, last) = (s.chars().next().unwrap_or(' '), s.chars().last().unwrap_or(' '));
        let apostrophe = punct::is_apostrophe(text, cluster.text.start);
        if let Some(prev) = items.atoms.last_mut()
            && gap.spaces.is_empty()
            && !gap.forced
            && (joins(prev, first, cluster.text.start, &allowed) || apostrophe && prev.kind == Kind::Latin)
        {
            prev.text.end = cluster.text.end;
            prev.glyphs.end = cluster.glyphs.end;
            prev.last = last;
            prev.unit = matches!(prev.kind, Kind::Punct(Punct::Dash | Punct::Ellipsis));
            continue;
        }
        items.gaps.push(std::mem::replace(&mut gap, empty_gap()));
        items.atoms.push(Atom {
            text: cluster.text.clone(),
            glyphs: cluster.glyphs.clone(),
            width: 0.0,
            pad: (0.0, 0.0),
            blank: (0.0, 0.0),
            kind: kind_of(first),
            // A font may ligate `——` into one glyph (Noto does): one cluster, already a unit.
            unit: matches!(kind_of(first), Kind::Punct(Punct::Dash | Punct::Ellipsis)) && s.chars().count() == 2,
            first,
            last,
            em: 0.0,
            letters: 0,
        });
    }
    if text.get(covered..).is_some_and(|t| t.chars().any(is_control)) {
        gap.forced = true;
    }
    items.gaps.push(gap);
    finish_atoms(text, glyphs, &blank, &mut items);
    let joints = rules.phrases.then(|| segment::joints(text));
    finish_gaps(text, &allowed, &address, joints.as_deref(), rules, &mut items);
    items
}

/// How good a headline break after atom `a` is: a phrase boundary at a typed space or line
/// feed or after a clause mark (`，：、；`, the stops, `——`), otherwise what joins the two
/// characters.
fn seam(a: &Atom, gap: &Gap, joint: Joint) -> Seam {
    if gap.forced || !gap.spaces.is_empty() {
        return Seam::Phrase;
    }
    if let Kind::Punct(Punct::Comma | Punct::Stop | Punct::Dash | Punct::Ellipsis) = a.kind {
        return Seam::Phrase;
    }
    match joint {
        Joint::Word => Seam::Word,
        Joint::Weak => Seam::Weak,
        Joint::Compound => Seam::Compound,
        Joint::Inside => Seam::Inside,
    }
}

/// The break opportunities of web and e-mail addresses at each byte offset, which UAX #14 gives
/// only after `/` and kinsoku would refuse there: after `/` (not between `//`), `.`, `?`, `&`,
/// `=`, `#`, `_` and `-`, and before `@`, never between two digits (`v2.5`). A token is taken for
/// an address when it holds `://`, starts with `www.`, holds `@` and a `.`, or holds a `.` and is
/// at least [`ADDRESS_CHARS`] long.
fn address_breaks(text: &str) -> Vec<bool> {
    let mut allowed = vec![false; text.len() + 1];
    let mut start = 0;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if c.is_ascii_graphic() {
            continue;
        }
        if let Some(token) = text.get(start..at)
            && is_address(token)
        {
            let chars: Vec<(usize, char)> = token.char_indices().collect();
            for pair in chars.windows(2) {
                let [(_, a), (off, b)] = pair else { continue };
                let digits = a.is_ascii_digit() && b.is_ascii_digit();
                let after = matches!(a, '.' | '?' | '&' | '=' | '#' | '_' | '-') || *a == '/' && *b != '/';
                if (after && !digits || *b == '@')
                    && let Some(x) = allowed.get_mut(start + off)
                {
                    *x = true;
                }
            }
        }
        start = at + c.len_utf8();
    }
    allowed
}

/// Fewest characters of a token with a `.` taken for a domain name (`example.gov.cn`).
const ADDRESS_CHARS: usize = 12;

/// Whether an ASCII token is a web or e-mail address (see [`url_breaks`]).
fn is_address(token: &str) -> bool {
    token.contains("://")
        || token.starts_with("www.")
        || token.contains('@') && token.contains('.')
        || token.contains('.') && token.len() >= ADDRESS_CHARS && token.chars().any(|c| c.is_ascii_alphabetic())
}

/// A gap with nothing in it.
fn empty_gap() -> Gap {
    Gap {
        can_break: false,
        can_break_basic: false,
        forced: false,
        glue: Glue::None,
        glue_width: 0.0,
        em: 0.0,
        trim_prev: 0.0,
        trim_next: 0.0,
        spaces: 0..0,
        rigid: false,
        seam: Seam::Phrase,
    }
}

/// Extends glyph range `range` by `more` (which follows it or starts it).
fn extend(range: &mut Range<usize>, more: Range<usize>) {
    if range.start >= range.end {
        *range = more;
    } else {
        range.end = more.end;
    }
}

/// Groups glyphs by source cluster.
fn clusters(glyphs: &[ShapedGlyph]) -> Vec<Cluster> {
    let mut out: Vec<Cluster> = Vec::with_capacity(glyphs.len());
    for (i, g) in glyphs.iter().enumerate() {
        match out.last_mut() {
            Some(c) if c.text.start == g.cluster.start => c.glyphs.end = i + 1,
            _ => out.push(Cluster {
                text: g.cluster.clone(),
                glyphs: i..i + 1,
            }),
        }
    }
    out
}

/// The kind of an atom starting with `ch`.
fn kind_of(ch: char) -> Kind {
    match punct::punct(ch) {
        Some(p) => Kind::Punct(p),
        None if punct::is_cjk(ch) => Kind::Han,
        None => Kind::Latin,
    }
}

/// Whether a cluster starting with `next` at byte `at` belongs to atom `prev`.
fn joins(prev: &Atom, next: char, at: usize, allowed: &[bool]) -> bool {
    if punct::is_extender(next) {
        return true;
    }
    // L3: `——` and `……` (or `⋯⋯`) pair up into one unit; longer runs split between pairs.
    if let Kind::Punct(Punct::Dash | Punct::Ellipsis) = prev.kind {
        return !prev.unit && prev.first == next && matches!(next, '—' | '…' | '⋯');
    }
    // L4: Latin words, numbers and number+unit, as UAX #14 keeps them together (an apostrophe,
    // joined before, counts as Latin).
    prev.kind == Kind::Latin
        && !punct::is_cjk(next)
        && (!punct::is_cjk(prev.last) || prev.last == '’')
        && !allowed.get(at).copied().unwrap_or(true)
}

/// Sets widths, padding, blanks and letter counts of every atom.
fn finish_atoms(
    text: &str,
    glyphs: &[ShapedGlyph],
    blank: &impl Fn(&ShapedGlyph, char) -> (f64, f64),
    items: &mut Items,
) {
    for atom in &mut items.atoms {
        let gs = glyphs.get(atom.glyphs.clone()).unwrap_or_default();
        // Atoms are made of glyph clusters, so every atom has at least one glyph.
        let Some(first) = gs.first() else { continue };
        atom.em = first.size;
        atom.width = gs.iter().map(|g| g.advance).sum();
        let s = text.get(atom.text.clone()).unwrap_or_default();
        atom.letters = s
            .chars()
            .filter(|&c| punct::punct(c).is_none() && !c.is_whitespace())
            .count();
        let single = s.chars().count() == 1;
        if single && matches!(atom.kind, Kind::Punct(_)) {
            let (l, r) = blank(first, atom.first);
            atom.blank = (l * atom.em, r * atom.em);
        }
        // P1: the interpunct takes half an em in mainland style, the dash and ellipsis units two
        // ems (clreq §3.1.2); Noto's U+00B7 is a narrow Latin dot and its U+2014 only 0.89 em.
        let target = match atom.kind {
            Kind::Punct(Punct::Interpunct) if single => 0.5 * atom.em,
            Kind::Punct(Punct::Dash | Punct::Ellipsis) if atom.unit => 2.0 * atom.em,
            _ => 0.0,
        };
        if atom.width < target {
            let half = (target - atom.width) / 2.0;
            atom.pad = (half, half);
            atom.width = target;
        }
    }
}

/// Sets break opportunities, glue and adjacent-mark trims of every gap.
/// `joints` are the word joints of text set by phrases (headlines), `None` for other text.
fn finish_gaps(
    text: &str,
    allowed: &[bool],
    address: &[bool],
    joints: Option<&[Joint]>,
    rules: BreakRules,
    items: &mut Items,
) {
    let Items { atoms, gaps } = items;
    // gaps[k] lies between atoms k - 1 and k; the first and last gaps have one neighbour only.
    for (k, gap) in gaps.iter_mut().enumerate() {
        let (Some(a), Some(b)) = (k.checked_sub(1).and_then(|p| atoms.get(p)), atoms.get(k)) else {
            continue;
        };
        gap.em = a.em.max(b.em);
        let in_address = address.get(b.text.start).copied().unwrap_or(false);
        gap.can_break = gap.forced || in_address || can_break(a, b, gap, allowed, rules.kinsoku);
        gap.can_break_basic = gap.can_break || can_break(a, b, gap, allowed, Kinsoku::Basic);
        // M1 (clreq §3.2.2): Han next to Latin or digits gets a quarter em (a parameter), a source
        // space there becomes that space; none next to punctuation or at line edges.
        let han_latin = (punct::is_han(a.last) && b.kind == Kind::Latin && latin_edge(b.first))
            || (a.kind == Kind::Latin && latin_edge(a.last) && punct::is_han(b.first));
        if han_latin {
            gap.glue = Glue::HanLatin;
            gap.glue_width = rules.han_latin * gap.em;
        } else if !gap.spaces.is_empty() {
            gap.glue = Glue::Word;
        }
        // P2 (clreq §3.1.6.2): of two adjacent marks, the first loses its blank right half if it
        // has one (`）。` `”，` `：“` → 1.5 em), else the second its blank left half (`（“`).
        if gap.spaces.is_empty() && !gap.forced {
            if a.blank.1 > 0.0 && matches!(b.kind, Kind::Punct(_)) && has_blanks(b) {
                gap.trim_prev = a.blank.1;
            } else if b.blank.0 > 0.0 && matches!(a.kind, Kind::Punct(_)) && has_blanks(a) {
                gap.trim_next = b.blank.0;
            }
        }
        let connector = |x: &Atom| x.kind == Kind::Punct(Punct::Connector);
        // Inside one Latin token (see `Items::inside_token`) no letter-spacing either.
        let in_token = a.kind == Kind::Latin && b.kind == Kind::Latin && gap.spaces.is_empty();
        gap.rigid = connector(a) || connector(b) || in_token;
        if let Some(joints) = joints {
            gap.seam = seam(a, gap, joints.get(b.text.start).copied().unwrap_or(Joint::Word));
            // A space between two Chinese phrases is a clause gap (an em), not a word space.
            if gap.glue == Glue::Word && segment::is_clause_gap(text, a.text.end) {
                gap.glue_width = CLAUSE_GAP_EM * gap.em;
            }
        }
    }
}

/// Whether a mark atom has any compressible blank (brackets, quotes, stops, commas).
fn has_blanks(atom: &Atom) -> bool {
    atom.blank.0 > 0.0 || atom.blank.1 > 0.0
}

/// Whether `ch`, at the edge of a Latin atom, takes Han–Latin spacing.
fn latin_edge(ch: char) -> bool {
    ch.is_alphanumeric() || matches!(ch, '%' | '‰' | '°')
}

/// Whether `ch` is a decimal digit, ASCII or full width.
fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || ('０'..='９').contains(&ch)
}

/// Whether a line may end between atoms `a` and `b` (clreq §3.1.4, L1–L4, L6).
fn can_break(a: &Atom, b: &Atom, gap: &Gap, allowed: &[bool], level: Kinsoku) -> bool {
    let class = |c: char| break_property(u32::from(c));
    let glue = |c: char| {
        matches!(
            class(c),
            BreakClass::NonBreakingGlue | BreakClass::WordJoiner | BreakClass::ZeroWidthJoiner
        )
    };
    if gap.spaces.is_empty() && (glue(a.last) || glue(b.first)) {
        return false;
    }
    // L1 and L3: `——`/`……` units may start a line except at the strict level; a lone dash is a
    // connector and never does.
    let start_banned = match b.kind {
        Kind::Punct(Punct::Dash | Punct::Ellipsis) if b.unit || b.first == '…' || b.first == '⋯' => {
            level == Kinsoku::Strict
        }
        Kind::Punct(Punct::Dash) => true,
        _ => punct::never_starts_line(b.first),
    };
    if start_banned || punct::never_ends_line(a.last, level) {
        return false;
    }
    // Keeps editors ask for: a number stays with the unit or classifier after it (5.2亿,
    // 1306.91万人次, 27日), and digit groups that only a space separates stay together (a phone
    // number, 2123 4567).
    if is_digit(a.last) && (punct::is_han(b.first) || (!gap.spaces.is_empty() && is_digit(b.first))) {
        return false;
    }
    if !gap.spaces.is_empty() || punct::is_cjk(a.last) || punct::is_cjk(b.first) {
        // L6: a break before `“` in `中“中` is fine, after it never (it is line-end prohibited).
        return true;
    }
    allowed.get(b.text.start).copied().unwrap_or(false)
}
