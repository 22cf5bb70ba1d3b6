//! Names, labels and times the EPUB derives from the issue: edition labels in Chinese
//! numerals, the stable identifier, titles and the modification timestamp.

use std::collections::BTreeSet;

use crate::media::figures;
use crate::model::{Bulletin, Date, Edition, Figure, Item, items_flat, plain_text};

use super::EpubError;

/// Check the language is a BCP 47 tag in form (RFC 5646 §2.1: subtags of letters and digits,
/// the first of 2–8 letters): it becomes `dc:language`, `lang` and `xml:lang`.
pub(super) fn check_language(bulletin: &Bulletin) -> Result<(), EpubError> {
    let lang = bulletin.meta.language.as_str();
    let mut subtags = lang.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|s| (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok = subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(EpubError::BadLanguage {
            value: lang.to_string(),
        })
    }
}

/// Check every id of the model can serve as an XHTML `id` and a fragment (a letter, then
/// letters, digits, `-`, `_`, `.`) and is used once. `model::assign_ids` always gives such
/// ids; a model read from JSON may not.
pub(super) fn check_ids(bulletin: &Bulletin) -> Result<(), EpubError> {
    let mut ids: Vec<&str> = Vec::new();
    for edition in &bulletin.editions {
        ids.push(&edition.id);
        for item in items_flat(&edition.items) {
            ids.push(match item {
                Item::Article(a) => &a.id,
                Item::PhotoNews(_) => continue,
                Item::Section(s) => &s.id,
                Item::Furniture(x) => &x.id,
            });
        }
    }
    ids.extend(figures(bulletin).into_iter().map(|f| f.id.as_str()));
    let mut seen = BTreeSet::new();
    for id in ids {
        let well_formed = id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        // `page-N` and `…-title` are the ids the renderer makes itself.
        let reserved = id.starts_with("page-") || id.ends_with("-title");
        if !well_formed || reserved || !seen.insert(id) {
            return Err(EpubError::BadId { id: id.to_string() });
        }
    }
    Ok(())
}

/// `n` in Chinese numerals as used for editions (第一版, 第十二版, 第一百零五版).
pub(super) fn chinese_numeral(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const UNITS: [&str; 4] = ["", "十", "百", "千"];
    if n == 0 {
        return "零".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits: Vec<usize> = n.to_string().bytes().map(|b| usize::from(b - b'0')).collect();
    let mut out = String::new();
    let mut zero_pending = false;
    // At most four digits (`n < 10_000`); the zip pairs the leading digit with the highest unit.
    let units = UNITS.iter().enumerate().take(digits.len()).rev();
    for (&d, (unit, unit_name)) in digits.iter().zip(units) {
        if d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push('零');
            zero_pending = false;
        }
        // 十二, not 一十二, when ten leads the number.
        if !(d == 1 && unit == 1 && out.is_empty()) {
            // `d` is a decimal digit, so `get` always finds it.
            out.extend(DIGITS.get(d));
        }
        out.push_str(unit_name);
    }
    out
}

/// The heading of an edition: 第一版 要闻.
pub(super) fn edition_label(edition: &Edition) -> String {
    let number = format!("第{}版", chinese_numeral(edition.number));
    if edition.name.trim().is_empty() {
        number
    } else {
        format!("{number} {}", edition.name.trim())
    }
}

/// The issue date as printed: 2020年12月28日.
pub(super) fn date_zh(date: Date) -> String {
    format!("{}年{}月{}日", date.year, date.month, date.day)
}

/// The issue line under the masthead: 2020年12月28日 星期一 第1期 总第N期.
pub(super) fn issue_line(bulletin: &Bulletin) -> String {
    let meta = &bulletin.meta;
    let mut line = format!("{} {}", date_zh(meta.date), meta.date.weekday_zh());
    if let Some(issue) = meta.issue {
        line.push_str(&format!(" 第{issue}期"));
    }
    if let Some(total) = meta.total_issue {
        line.push_str(&format!(" 总第{total}期"));
    }
    line
}

/// `dc:title`: publication and date, 示范区头条 2020年12月28日.
pub(super) fn title(bulletin: &Bulletin) -> String {
    format!("{} {}", bulletin.meta.publication.trim(), date_zh(bulletin.meta.date))
}

/// The URN naming the issue: publication, date and issue numbers, nothing that changes
/// between builds. Non-ASCII characters are percent-encoded as UTF-8 (RFC 8141 §2).
pub(super) fn issue_urn(bulletin: &Bulletin) -> String {
    let meta = &bulletin.meta;
    let mut urn = format!(
        "urn:zhiban:issue:{}:{}",
        percent_encode(meta.publication.trim()),
        meta.date
    );
    if let Some(issue) = meta.issue {
        urn.push_str(&format!(":{issue}"));
    }
    if let Some(total) = meta.total_issue {
        urn.push_str(&format!(":total-{total}"));
    }
    urn
}

/// Percent-encode every byte outside RFC 3986 `unreserved`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `dc:identifier`: a name-based UUID (RFC 9562 §5.5, version 5) of [`issue_urn`], so every
/// build of the same issue carries the same identifier and different issues differ.
pub(super) fn identifier(bulletin: &Bulletin) -> String {
    let uuid = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, issue_urn(bulletin).as_bytes());
    format!("urn:uuid:{uuid}")
}

/// Longest table-of-contents label made from a caption, in characters.
const CAPTION_LABEL_CHARS: usize = 30;
/// Longest opening clause taken for a date (12月25日，) and skipped in a caption label.
const DATE_CLAUSE_CHARS: usize = 12;

/// A table-of-contents label for photo news, which has no headline: 图片新闻： and the first
/// sentence of the caption, without the date clause news captions open with.
pub(super) fn photo_label(figure: &Figure) -> String {
    let caption = figure.caption.first().map(|c| plain_text(c)).unwrap_or_default();
    let mut sentence = caption.split('。').next().unwrap_or_default().trim();
    if let Some((clause, rest)) = sentence.split_once('，') {
        let is_date = clause.chars().count() <= DATE_CLAUSE_CHARS && (clause.ends_with('日') || clause.ends_with('电'));
        if is_date && !rest.trim().is_empty() {
            sentence = rest.trim();
        }
    }
    let mut label: String = sentence.chars().take(CAPTION_LABEL_CHARS).collect();
    if sentence.chars().count() > CAPTION_LABEL_CHARS {
        // GB/T 15834 §4.11: the ellipsis is two U+2026.
        label.push_str("……");
    }
    if label.is_empty() {
        "图片新闻".into()
    } else {
        format!("图片新闻：{label}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, want) in cases {
            assert_eq!(chinese_numeral(n), want, "{n}");
        }
    }

    #[test]
    fn urn_is_ascii() {
        assert_eq!(percent_encode("头条 A"), "%E5%A4%B4%E6%9D%A1%20A");
    }
}
