//! Layout files (`layouts/*.toml`): page, grid, fonts and sizes per role, masthead and folio.
//!
//! Every key is documented in `docs/layouts.md`; unknown keys are errors, so a misspelt key is
//! never silently ignored. Lengths are numbers in points or strings with a unit (`"297mm"`,
//! `"12pt"`, `"1.5cm"`, `"0.5in"`, `"2em"` of the body size); font sizes may also be Chinese
//! 号 sizes (`"五号"`, `"小五"`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::LayoutError;
use super::font::{FontBook, FontData, Role};
use super::punct::Kinsoku;

/// Points per millimetre (72 / 25.4).
const PT_PER_MM: f32 = 72.0 / 25.4;

/// A length: absolute points, or ems of the body size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// Points.
    Pt(f32),
    /// Ems of the body size.
    Em(f32),
}

impl Length {
    /// The length in points, with `em` the body size.
    pub fn pt(self, em: f32) -> f32 {
        match self {
            Length::Pt(v) => v,
            Length::Em(v) => v * em,
        }
    }
}

/// Chinese 号 sizes in points. 六号 is 7.875 pt as the project's clreq notes give it (§2.3.5).
const HAO_SIZES: [(&str, f32); 16] = [
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.875),
    ("小六", 6.5),
    ("七号", 5.25),
    ("八号", 5.0),
];

/// Parse a length or size: a number (points), `N` + `pt|mm|cm|in|em`, or a 号 size.
pub fn parse_length(s: &str) -> Result<Length, String> {
    let s = s.trim();
    if let Some(&(_, v)) = HAO_SIZES.iter().find(|(name, _)| *name == s) {
        return Ok(Length::Pt(v));
    }
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let v: f32 = num.trim().parse().map_err(|_| {
        format!("expected a length such as \"12pt\", \"3mm\", \"2em\" or a 号 size such as \"小五\", found \"{s}\"")
    })?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("a length must be a positive number, found \"{s}\""));
    }
    Ok(match unit {
        "" | "pt" => Length::Pt(v),
        "mm" => Length::Pt(v * PT_PER_MM),
        "cm" => Length::Pt(v * 10.0 * PT_PER_MM),
        "in" => Length::Pt(v * 72.0),
        "em" => Length::Em(v),
        other => return Err(format!("unknown unit \"{other}\" in \"{s}\"; use pt, mm, cm, in or em")),
    })
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(v) if v.is_finite() && v >= 0.0 => Ok(Length::Pt(v as f32)),
            Raw::Num(v) => Err(serde::de::Error::custom(format!(
                "a length must be a positive number, found {v}"
            ))),
            Raw::Str(s) => parse_length(&s).map_err(serde::de::Error::custom),
        }
    }
}

/// A whole layout file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// Short name, e.g. `tabloid`.
    pub name: String,
    /// What the layout is for.
    #[serde(default)]
    pub description: String,
    /// What kind of publication it sets: a newspaper or a bulletin.
    #[serde(default)]
    pub kind: PublicationKind,
    /// Trim size, bleed and margins.
    pub page: PageSpec,
    /// Columns and the character grid.
    pub grid: GridSpec,
    /// Font files by name; paths are relative to the layout file's folder.
    pub fonts: BTreeMap<String, FontFile>,
    /// Fonts, sizes and weights per text role.
    pub roles: RolesSpec,
    /// Page 1's masthead (报头).
    pub masthead: MastheadSpec,
    /// Running head and folio of every page.
    #[serde(default)]
    pub folio: FolioSpec,
    /// Chinese typesetting rules.
    #[serde(default)]
    pub typography: TypographySpec,
}

/// What kind of publication a layout sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublicationKind {
    /// A newspaper: each edition (版) is a page numbered 第N版, and an article cut at a page's
    /// foot jumps to a later page with jump lines (（下转第N版）, （上接第N版）) and its headline
    /// repeated.
    #[default]
    Newspaper,
    /// A bulletin (简报, 公报): pages are numbered 第N页 one after another, and an article cut at
    /// a page's foot flows on at the top of the next page, with no jump line and no repeated
    /// headline.
    Bulletin,
}

/// Page geometry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// Trim width.
    pub width: Length,
    /// Trim height.
    pub height: Length,
    /// Bleed around the trim box (3 mm for print).
    #[serde(default = "zero")]
    pub bleed: Length,
    /// Top margin (to the top of the masthead or running head).
    pub margin_top: Length,
    /// Bottom margin (below the folio).
    pub margin_bottom: Length,
    /// Left margin; the type area is centred horizontally when the grid is narrower.
    pub margin_left: Length,
    /// Right margin.
    pub margin_right: Length,
}

fn zero() -> Length {
    Length::Pt(0.0)
}

/// The type area's grid (clreq §2.3.4: font size, characters per line, line gap, columns).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// Number of columns.
    pub columns: u32,
    /// Characters per column line: the measure in ems of the body size (G1).
    pub chars_per_line: u32,
    /// Body text size (9 pt = 小五 is newspaper body size, clreq §2.3.5).
    pub body_size: Length,
    /// Space between lines of body text (50–100 % of the size, clreq §2.3.5).
    pub line_gap: Length,
    /// Space between columns.
    pub column_gap: Length,
    /// Draw a hairline rule in the middle of each column gap between modules' columns.
    #[serde(default)]
    pub column_rules: bool,
    /// Thickness of rules between modules and columns (≥ 0.2 pt for print).
    #[serde(default = "default_rule")]
    pub rule_thickness: Length,
}

fn default_rule() -> Length {
    Length::Pt(0.5)
}

/// One font file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontFile {
    /// Path of the file, relative to the layout file's folder (or absolute).
    pub path: String,
    /// Face index in a collection (`.ttc`).
    #[serde(default)]
    pub index: u32,
}

/// Fonts and size of one role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Font names from `[fonts]`, most preferred first: the fallback chain.
    pub fonts: Vec<String>,
    /// Size.
    pub size: Length,
    /// Set bold; synthesised when the font has one weight only.
    #[serde(default)]
    pub bold: bool,
}

/// Every role's fonts and size.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesSpec {
    /// Body text (正文).
    pub body: RoleSpec,
    /// Headline (主题) of an ordinary article; the size is for a module one column wide and grows
    /// with the module (see `headline_step`).
    pub headline: RoleSpec,
    /// Headline of the lead article of page 1 (头条).
    pub lead_headline: RoleSpec,
    /// Kicker (引题).
    pub kicker: RoleSpec,
    /// Subtitle (副题).
    pub subtitle: RoleSpec,
    /// Run-in dateline (本报讯（记者…）), set in Hei.
    pub dateline: RoleSpec,
    /// Byline line.
    pub byline: RoleSpec,
    /// Photo caption.
    pub caption: RoleSpec,
    /// Photo credit.
    pub credit: RoleSpec,
    /// Folio and running head.
    pub folio: RoleSpec,
    /// Section banner (栏目).
    pub banner: RoleSpec,
    /// Subhead (小标题) inside an article.
    pub subhead: RoleSpec,
    /// Masthead title (报头), the publication name.
    pub masthead: RoleSpec,
    /// Headline growth per extra column a module spans.
    #[serde(default = "default_step")]
    pub headline_step: Length,
}

fn default_step() -> Length {
    Length::Pt(2.0)
}

/// The masthead (报头) on the first page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MastheadSpec {
    /// Height of the masthead band including the rule under it.
    pub height: Length,
    /// Columns (from the right) the issue-information box takes.
    #[serde(default = "default_info_columns")]
    pub info_columns: u32,
    /// Thickness of the rule under the masthead.
    #[serde(default = "default_masthead_rule")]
    pub rule_thickness: Length,
}

fn default_info_columns() -> u32 {
    2
}

fn default_masthead_rule() -> Length {
    Length::Pt(2.0)
}

/// Running head and folio.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolioSpec {
    /// Print a running head (date, edition, editor) on pages after the first.
    #[serde(default = "yes")]
    pub running_head: bool,
    /// Print the page number at the foot of every page.
    #[serde(default = "yes")]
    pub page_number: bool,
}

impl Default for FolioSpec {
    fn default() -> Self {
        FolioSpec {
            running_head: true,
            page_number: true,
        }
    }
}

fn yes() -> bool {
    true
}

/// Chinese typesetting choices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypographySpec {
    /// Kinsoku level: `gb` (default, GB/T 15834) or `strict` (also no `——`/`……` at line start).
    #[serde(default = "default_kinsoku")]
    pub kinsoku: String,
    /// Space between Han and Latin or digits, in ems (clreq §3.2.2: at most ¼).
    #[serde(default = "default_han_latin")]
    pub han_latin_space: f32,
    /// First-line indent of paragraphs, in ems (clreq §3.4.1: 2).
    #[serde(default = "default_indent")]
    pub indent: f32,
    /// Hang a line-end `、`, `，` or `。` past the measure instead of pushing it in (clreq
    /// §3.1.7, P5). Off by default: most mainland publications do not hang punctuation.
    #[serde(default)]
    pub hanging: bool,
    /// Centre the pause and stop marks `，。、；：！？` in their character frame, as traditional
    /// Chinese is set in Taiwan and Hong Kong (clreq §3.1.1). Absent: follow the issue's
    /// language (centred for zh-TW, zh-HK, zh-MO and zh-Hant, in the corner otherwise).
    #[serde(default)]
    pub centred_marks: Option<bool>,
}

impl Default for TypographySpec {
    fn default() -> Self {
        TypographySpec {
            kinsoku: default_kinsoku(),
            han_latin_space: default_han_latin(),
            indent: default_indent(),
            hanging: false,
            centred_marks: None,
        }
    }
}

fn default_kinsoku() -> String {
    "gb".into()
}

fn default_han_latin() -> f32 {
    0.25
}

fn default_indent() -> f32 {
    2.0
}

/// A layout that failed to load or makes no sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The layout file (or built-in name).
    pub file: String,
    /// 1-based line and column of the problem, when it has one.
    pub line_col: Option<(usize, usize)>,
    /// What is wrong: lowercase, no final period.
    pub message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line_col {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// The built-in layouts: (name, TOML text).
pub const BUILTIN: [(&str, &str); 2] = [
    ("tabloid", include_str!("../../layouts/tabloid.toml")),
    ("a4-bulletin", include_str!("../../layouts/a4-bulletin.toml")),
];

/// A parsed layout plus the folder its font paths are relative to.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The layout.
    pub spec: LayoutSpec,
    /// Folder that relative font paths start from.
    pub base_dir: PathBuf,
}

/// Line and column of the key a validation message opens with (`grid.chars_per_line is 1; …`
/// names `chars_per_line` under `[grid]`): the line that sets it, else its table's header.
/// Messages that name no key, and keys set in ways this simple reader does not follow (inline
/// tables, dotted keys), have no place.
fn locate_key(text: &str, message: &str) -> Option<(usize, usize)> {
    let path = message.split_whitespace().next()?;
    let (table, key) = path.rsplit_once('.')?;
    if !path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
        return None;
    }
    let mut current = String::new();
    let mut header = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let col = line.len() - trimmed.len() + 1;
        if let Some(rest) = trimmed.strip_prefix('[') {
            current = rest.split(']').next().unwrap_or("").trim().to_string();
            if current == table || current == path {
                header = header.or(Some((i + 1, col)));
            }
            continue;
        }
        let name = trimmed.split('=').next().unwrap_or("").trim();
        if current == table && name == key && trimmed.contains('=') {
            return Some((i + 1, col));
        }
    }
    header
}

impl LayoutSpec {
    /// Parse layout TOML; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<LayoutSpec, SpecError> {
        let spec: LayoutSpec = toml::from_str(text).map_err(|e| {
            let line_col = e.span().map(|r| {
                let before = text.get(..r.start).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (line, col)
            });
            SpecError {
                file: file.to_string(),
                line_col,
                message: e.message().trim_end_matches('.').to_string(),
            }
        })?;
        spec.validate().map_err(|message| SpecError {
            file: file.to_string(),
            line_col: locate_key(text, &message),
            message,
        })?;
        Ok(spec)
    }

    /// Body size in points.
    pub fn body_size(&self) -> f32 {
        self.grid.body_size.pt(12.0)
    }

    /// Resolve a length against the body size.
    pub fn pt(&self, l: Length) -> f32 {
        l.pt(self.body_size())
    }

    /// Width of one column in points (a whole number of ems, G1).
    pub fn column_width(&self) -> f32 {
        self.grid.chars_per_line as f32 * self.body_size()
    }

    /// Width of the type area in points.
    pub fn type_width(&self) -> f32 {
        let n = self.grid.columns as f32;
        n * self.column_width() + (n - 1.0) * self.pt(self.grid.column_gap)
    }

    /// Kinsoku level.
    pub fn kinsoku(&self) -> Kinsoku {
        if self.typography.kinsoku == "strict" {
            Kinsoku::Strict
        } else {
            Kinsoku::Gb
        }
    }

    /// Check that the layout can hold text at all.
    fn validate(&self) -> Result<(), String> {
        let body = self.body_size();
        if !(4.0..=72.0).contains(&body) {
            return Err(format!("grid.body_size {body} pt is outside 4–72 pt"));
        }
        if self.grid.columns == 0 || self.grid.columns > 12 {
            return Err("grid.columns must be between 1 and 12".into());
        }
        if self.grid.chars_per_line < 2 {
            return Err(format!(
                "grid.chars_per_line is {}; a column narrower than two characters cannot hold Chinese text",
                self.grid.chars_per_line
            ));
        }
        if !["gb", "strict"].contains(&self.typography.kinsoku.as_str()) {
            return Err(format!(
                "typography.kinsoku must be \"gb\" or \"strict\", found \"{}\"",
                self.typography.kinsoku
            ));
        }
        let width = self.pt(self.page.width);
        let height = self.pt(self.page.height);
        let avail = width - self.pt(self.page.margin_left) - self.pt(self.page.margin_right);
        if self.type_width() > avail + 0.01 {
            return Err(format!(
                "the grid is {:.1} pt wide ({} columns × {} characters of {} pt plus gaps) but the page leaves {:.1} pt between the margins",
                self.type_width(),
                self.grid.columns,
                self.grid.chars_per_line,
                body,
                avail
            ));
        }
        let lines_height = height - self.pt(self.page.margin_top) - self.pt(self.page.margin_bottom);
        if lines_height < 10.0 * body * 1.5 {
            return Err("the page is too short for ten lines of body text between the margins".into());
        }
        for (role, r) in self.roles.all() {
            if r.fonts.is_empty() {
                return Err(format!("roles.{role}.fonts is empty"));
            }
            for f in &r.fonts {
                if !self.fonts.contains_key(f) {
                    return Err(format!("roles.{role} names font \"{f}\" that [fonts] does not define"));
                }
            }
            let size = r.size.pt(body);
            if !(4.0..=400.0).contains(&size) {
                return Err(format!("roles.{role}.size {size} pt is outside 4–400 pt"));
            }
        }
        Ok(())
    }
}

impl RolesSpec {
    /// Every role with its key name.
    pub fn all(&self) -> [(&'static str, &RoleSpec); 13] {
        [
            ("body", &self.body),
            ("headline", &self.headline),
            ("lead_headline", &self.lead_headline),
            ("kicker", &self.kicker),
            ("subtitle", &self.subtitle),
            ("dateline", &self.dateline),
            ("byline", &self.byline),
            ("caption", &self.caption),
            ("credit", &self.credit),
            ("folio", &self.folio),
            ("banner", &self.banner),
            ("subhead", &self.subhead),
            ("masthead", &self.masthead),
        ]
    }
}

impl Layout {
    /// Whether `name` is one of the built-in layouts (`tabloid`, `a4-bulletin`).
    pub fn is_builtin(name: &str) -> bool {
        BUILTIN.iter().any(|(n, _)| *n == name)
    }

    /// A built-in layout by name, or a layout file by path.
    pub fn load(name_or_path: &str, fonts_dir: &Path) -> Result<Layout, SpecError> {
        if let Some((name, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            let spec = LayoutSpec::parse(text, &format!("layouts/{name}.toml"))?;
            // Built-in layouts name fonts as `fonts/…`; they resolve against the fonts folder's parent.
            let base_dir = fonts_dir.parent().map(Path::to_path_buf).unwrap_or_default();
            return Ok(Layout { spec, base_dir });
        }
        let path = Path::new(name_or_path);
        let text = std::fs::read_to_string(path).map_err(|e| SpecError {
            file: name_or_path.to_string(),
            line_col: None,
            message: format!(
                "cannot read the layout: {e}; built-in layouts are {}",
                BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        })?;
        let spec = LayoutSpec::parse(&text, name_or_path)?;
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Layout { spec, base_dir })
    }

    /// Load the layout's fonts into a book with each role's fallback chain.
    pub fn font_book(&self) -> Result<FontBook, LayoutError> {
        self.font_book_with(&mut |path| std::fs::read(path).map(FontData::from))
    }

    /// Like [`Layout::font_book`], with the font files' bytes from `read` (the command line
    /// memory-maps them and shares them between the issues of a batch).
    pub fn font_book_with(
        &self,
        read: &mut dyn FnMut(&Path) -> std::io::Result<FontData>,
    ) -> Result<FontBook, LayoutError> {
        let mut book = FontBook::new();
        let mut ids = BTreeMap::new();
        for (name, file) in &self.spec.fonts {
            let path = self.base_dir.join(&file.path);
            let data = read(&path).map_err(|source| LayoutError::FontRead {
                path: path.clone(),
                source,
            })?;
            let label = path
                .file_stem()
                .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
            ids.insert(name.as_str(), book.add(label, data, file.index)?);
        }
        let roles = &self.spec.roles;
        let set = |book: &mut FontBook, role: Role, spec: &RoleSpec| {
            let chain = spec.fonts.iter().filter_map(|f| ids.get(f.as_str()).copied()).collect();
            book.set_role(role, chain, spec.bold);
        };
        set(&mut book, Role::Body, &roles.body);
        set(&mut book, Role::Headline, &roles.headline);
        set(&mut book, Role::Kicker, &roles.kicker);
        set(&mut book, Role::Subtitle, &roles.subtitle);
        set(&mut book, Role::Dateline, &roles.dateline);
        set(&mut book, Role::Byline, &roles.byline);
        set(&mut book, Role::Caption, &roles.caption);
        set(&mut book, Role::Credit, &roles.credit);
        set(&mut book, Role::Folio, &roles.folio);
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_hao_sizes() {
        assert_eq!(parse_length("小五"), Ok(Length::Pt(9.0)));
        assert_eq!(parse_length("五号"), Ok(Length::Pt(10.5)));
        assert_eq!(parse_length("2em"), Ok(Length::Em(2.0)));
        assert!(matches!(parse_length("25.4mm"), Ok(Length::Pt(v)) if (v - 72.0).abs() < 1e-3));
        assert!(parse_length("3furlongs").is_err());
        assert!(parse_length("-3mm").is_err());
    }

    #[test]
    fn builtin_layouts_parse() {
        for (name, text) in BUILTIN {
            let spec = LayoutSpec::parse(text, name).expect(name);
            assert_eq!(spec.name, name);
        }
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let text = BUILTIN[0].1.replacen("[grid]\n", "[grid]\ncolums = 4\n", 1);
        let err = LayoutSpec::parse(&text, "x.toml").expect_err("unknown key");
        assert!(err.message.contains("unknown field `colums`"), "{err}");
        assert!(err.line_col.is_some());
    }

    #[test]
    fn too_narrow_columns_are_refused() {
        let text = BUILTIN[0].1.replacen("chars_per_line = 15", "chars_per_line = 1", 1);
        let err = LayoutSpec::parse(&text, "x.toml").expect_err("narrow");
        assert!(err.message.contains("narrower than two characters"), "{err}");
    }
}
