//! MODS 3.8 records written into the METS `dmdSec`s: the issue, each page, each article and photo.

use super::xml::{XmlBuilder, attrs};
use super::{Context, SOFTWARE, VERSION};
use crate::model::{Article, Block, Contributor, Edition, Figure, plain_text};

/// MODS schema version the records declare.
const MODS_VERSION: &str = "3.8";

/// MARC relator code for a printed Chinese credit role, where one fits: 摄 (photo credit) is
/// `pht`, 编辑 `edt`, reporters and correspondents `aut` (MARC Code List for Relators).
fn relator(role: &str) -> Option<&'static str> {
    if role.contains('摄') {
        Some("pht")
    } else if role.contains("编") {
        Some("edt")
    } else if ["记者", "通讯员", "作者", "撰稿", "实习生", "特约"]
        .iter()
        .any(|r| role.contains(r))
    {
        Some("aut")
    } else {
        None
    }
}

/// Writes `mods:name` for a person with the printed role and, where known, a MARC relator code.
fn write_name(x: &mut XmlBuilder, person: &Contributor) {
    x.start("mods:name", &attrs!["type" => "personal"]);
    x.text("mods:namePart", &[], &person.name);
    let code = relator(&person.role);
    if !person.role.is_empty() || code.is_some() {
        x.start("mods:role", &[]);
        if !person.role.is_empty() {
            x.text("mods:roleTerm", &attrs!["type" => "text"], &person.role);
        }
        if let Some(code) = code {
            x.text(
                "mods:roleTerm",
                &attrs!["type" => "code", "authority" => "marcrelator"],
                code,
            );
        }
        x.end();
    }
    x.end();
}

/// Writes `mods:language`: the BCP 47 tag, the ISO 639-2/B code and, for Chinese, the script.
fn write_language(x: &mut XmlBuilder, language: &str) {
    x.start("mods:language", &[]);
    x.text(
        "mods:languageTerm",
        &attrs!["type" => "code", "authority" => "rfc5646"],
        language,
    );
    let primary = language.split('-').next().unwrap_or("").to_ascii_lowercase();
    if primary == "zh" {
        x.text(
            "mods:languageTerm",
            &attrs!["type" => "code", "authority" => "iso639-2b"],
            "chi",
        );
        let script = if super::alto::alto_lang(language).contains("Hant") {
            "Hant"
        } else {
            "Hans"
        };
        x.text(
            "mods:scriptTerm",
            &attrs!["type" => "code", "authority" => "iso15924"],
            script,
        );
    }
    x.end();
}

/// Opens `mods:mods` (declaring the version); close it with `end`.
fn start_mods(x: &mut XmlBuilder) {
    x.start("mods:mods", &attrs!["version" => MODS_VERSION]);
}

/// The record of the whole issue: NDNP's issue fields (title, `dateIssued`, issue and edition
/// details) plus publisher, serial numbers, editors and the page count.
pub(crate) fn write_issue(x: &mut XmlBuilder, cx: &Context<'_>) {
    let m = &cx.bulletin.meta;
    start_mods(x);
    x.start("mods:titleInfo", &[]);
    x.text("mods:title", &[], &m.publication);
    x.end();
    x.text("mods:typeOfResource", &[], "text");
    x.text("mods:genre", &attrs!["authority" => "marcgt"], "newspaper");
    x.start("mods:originInfo", &attrs!["eventType" => "publication"]);
    if let Some(p) = &m.publisher {
        x.text("mods:publisher", &[], p);
    }
    x.text(
        "mods:dateIssued",
        &attrs!["encoding" => "iso8601", "keyDate" => "yes"],
        &m.date.to_string(),
    );
    x.text("mods:issuance", &[], "serial");
    x.end();
    write_language(x, &m.language);
    x.start("mods:physicalDescription", &[]);
    x.text("mods:form", &attrs!["authority" => "marcform"], "electronic");
    x.text("mods:internetMediaType", &[], "application/pdf");
    x.text("mods:extent", &[], &format!("{} pages", cx.pages.len()));
    x.text("mods:digitalOrigin", &[], "born digital");
    x.end();
    for editor in &m.editors {
        write_name(x, editor);
    }
    if let Some(slogan) = &m.slogan {
        x.text("mods:note", &attrs!["type" => "slogan"], slogan);
    }
    if let Some(issn) = &m.issn {
        x.text("mods:identifier", &attrs!["type" => "issn"], issn);
    }
    if let Some(cn) = &m.cn {
        // 国内统一连续出版物号, China's domestic serial number.
        x.text("mods:identifier", &attrs!["type" => "cn"], cn);
    }
    if let Some(permit) = &m.permit {
        x.text("mods:identifier", &attrs!["type" => "permit"], permit);
    }
    x.text("mods:identifier", &attrs!["type" => "local"], &cx.object_id);
    x.start("mods:part", &[]);
    if let Some(n) = m.issue {
        x.start("mods:detail", &attrs!["type" => "issue"]);
        x.text("mods:number", &[], &n.to_string());
        x.text("mods:caption", &[], &format!("第{n}期"));
        x.end();
    }
    if let Some(n) = m.total_issue {
        x.start("mods:detail", &attrs!["type" => "total issue"]);
        x.text("mods:number", &[], &n.to_string());
        x.text("mods:caption", &[], &format!("总第{n}期"));
        x.end();
    }
    // NDNP numbers a title's only edition 1.
    x.start("mods:detail", &attrs!["type" => "edition"]);
    x.text("mods:number", &[], "1");
    x.end();
    x.start("mods:extent", &attrs!["unit" => "pages"]);
    x.text("mods:total", &[], &cx.pages.len().to_string());
    x.end();
    x.end();
    write_record_info(x, cx);
    x.end();
}

/// `mods:recordInfo`: when and by what the record was made.
fn write_record_info(x: &mut XmlBuilder, cx: &Context<'_>) {
    x.start("mods:recordInfo", &[]);
    x.text(
        "mods:recordCreationDate",
        &attrs!["encoding" => "iso8601"],
        &cx.stamp.date_time(),
    );
    x.text("mods:recordOrigin", &[], &format!("{SOFTWARE} {VERSION}"));
    x.end();
}

/// The record of page `index` (from 0), as NDNP gives each page: sequence and printed number.
pub(crate) fn write_page(x: &mut XmlBuilder, index: usize, label: &str) {
    start_mods(x);
    x.start("mods:part", &[]);
    x.start("mods:extent", &attrs!["unit" => "pages"]);
    x.text("mods:start", &[], &(index + 1).to_string());
    x.end();
    x.start("mods:detail", &attrs!["type" => "page number"]);
    x.text("mods:number", &[], label);
    x.end();
    x.end();
    x.end();
}

/// Everyone an article credits: bylines first, then the datelines' bracketed names, once each.
fn credits(article: &Article) -> Vec<&Contributor> {
    let mut out: Vec<&Contributor> = Vec::new();
    let datelines = article.body.iter().filter_map(|b| match b {
        Block::Paragraph(p) => p.dateline.as_ref(),
        _ => None,
    });
    let all = article
        .bylines
        .iter()
        .flat_map(|b| b.contributors.iter())
        .chain(datelines.flat_map(|d| d.contributors.iter()));
    for c in all {
        if !out.iter().any(|o| o.name == c.name && o.role == c.role) {
            out.push(c);
        }
    }
    out
}

/// Where an element sits: its edition, the section banner over it and the pages it covers.
pub(crate) struct Placement<'a> {
    /// The edition (版) it is printed in.
    pub(crate) edition: &'a Edition,
    /// The section banner it sits under, if any.
    pub(crate) section: Option<&'a str>,
    /// The page numbers (sequence, from 1) it covers, in order.
    pub(crate) pages: Vec<usize>,
}

/// Writes `mods:part` with the section and page range.
fn write_part(x: &mut XmlBuilder, at: &Placement<'_>) {
    x.start("mods:part", &[]);
    let ed = at.edition;
    x.start("mods:detail", &attrs!["type" => "edition"]);
    x.text("mods:number", &[], &ed.number.to_string());
    let caption = if ed.name.is_empty() {
        format!("第{}版", ed.number)
    } else {
        format!("第{}版 {}", ed.number, ed.name)
    };
    x.text("mods:caption", &[], &caption);
    x.end();
    if let Some(section) = at.section {
        x.start("mods:detail", &attrs!["type" => "section"]);
        x.text("mods:title", &[], section);
        x.end();
    }
    if let (Some(first), Some(last)) = (at.pages.first(), at.pages.last()) {
        x.start("mods:extent", &attrs!["unit" => "pages"]);
        x.text("mods:start", &[], &first.to_string());
        x.text("mods:end", &[], &last.to_string());
        x.end();
    }
    x.end();
}

/// The record of one article: headline and subtitles as title, kicker as a note, credited people
/// with roles, section and pages.
pub(crate) fn write_article(x: &mut XmlBuilder, cx: &Context<'_>, article: &Article, at: &Placement<'_>) {
    start_mods(x);
    x.start("mods:titleInfo", &[]);
    x.text("mods:title", &[], &plain_text(&article.headline));
    for sub in &article.subtitles {
        x.text("mods:subTitle", &[], &plain_text(sub));
    }
    x.end();
    if let Some(kicker) = &article.kicker {
        // 引题: the line over the headline; MODS has no title part for it.
        x.text(
            "mods:note",
            &attrs!["type" => "kicker", "displayLabel" => "引题"],
            &plain_text(kicker),
        );
    }
    for person in credits(article) {
        write_name(x, person);
    }
    for byline in &article.bylines {
        x.text(
            "mods:note",
            &attrs!["type" => "statement of responsibility"],
            byline.text.as_str(),
        );
    }
    x.text("mods:typeOfResource", &[], "text");
    x.text("mods:genre", &[], "article");
    write_language(x, &cx.bulletin.meta.language);
    x.text("mods:identifier", &attrs!["type" => "local"], &article.id);
    write_part(x, at);
    x.end();
}

/// The record of a photo printed as news on its own (图片新闻): alt text as title, caption as
/// abstract, credit as statement of responsibility.
pub(crate) fn write_photo(x: &mut XmlBuilder, cx: &Context<'_>, figure: &Figure, at: &Placement<'_>) {
    start_mods(x);
    let caption: Vec<String> = figure.caption.iter().map(|c| plain_text(c)).collect();
    let title = if figure.alt.is_empty() {
        caption.first().cloned().unwrap_or_else(|| "图片新闻".to_string())
    } else {
        figure.alt.clone()
    };
    x.start("mods:titleInfo", &[]);
    x.text("mods:title", &[], &title);
    x.end();
    x.text("mods:typeOfResource", &[], "still image");
    x.text("mods:genre", &[], "photograph");
    if !caption.is_empty() {
        x.text("mods:abstract", &attrs!["type" => "caption"], &caption.join("\n"));
    }
    if let Some(credit) = &figure.credit {
        x.text(
            "mods:note",
            &attrs!["type" => "statement of responsibility"],
            credit.as_str(),
        );
    }
    write_language(x, &cx.bulletin.meta.language);
    x.text("mods:identifier", &attrs!["type" => "local"], &figure.id);
    write_part(x, at);
    x.end();
}
