//! A small XML writer over quick-xml that refuses characters XML 1.0 forbids.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::EpubError;

/// Writes one XML document into memory.
pub(super) struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A document that starts with the XML declaration (UTF-8, as EPUB 3.3 §6.1.4 requires).
    pub(super) fn new() -> Result<Xml, EpubError> {
        let mut writer = Writer::new(Vec::with_capacity(16 * 1024));
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(EpubError::Xml)?;
        writer.get_mut().push(b'\n');
        Ok(Xml { writer })
    }

    /// Write markup that needs no escaping (a doctype, a line break between blocks).
    pub(super) fn raw(&mut self, markup: &str) {
        self.writer.get_mut().extend_from_slice(markup.as_bytes());
    }

    /// Open element `name` with attributes.
    pub(super) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), EpubError> {
        let start = start(name, attrs)?;
        self.writer.write_event(Event::Start(start)).map_err(EpubError::Xml)
    }

    /// Close element `name`.
    pub(super) fn close(&mut self, name: &str) -> Result<(), EpubError> {
        self.writer
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(EpubError::Xml)
    }

    /// Close element `name` and start a new line (between block elements, where white space
    /// is not rendered; never inside a paragraph, where a line break would show as a space
    /// between Chinese characters).
    pub(super) fn close_line(&mut self, name: &str) -> Result<(), EpubError> {
        self.close(name)?;
        self.raw("\n");
        Ok(())
    }

    /// An empty element such as `<img/>`.
    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<(), EpubError> {
        let start = start(name, attrs)?;
        self.writer.write_event(Event::Empty(start)).map_err(EpubError::Xml)
    }

    /// Escaped character data.
    pub(super) fn text(&mut self, text: &str) -> Result<(), EpubError> {
        check_chars(text)?;
        self.writer
            .write_event(Event::Text(BytesText::new(text)))
            .map_err(EpubError::Xml)
    }

    /// `<name attrs>text</name>`.
    pub(super) fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<(), EpubError> {
        self.open(name, attrs)?;
        self.text(text)?;
        self.close(name)
    }

    /// `<name attrs>text</name>` and a line break after it.
    pub(super) fn element_line(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<(), EpubError> {
        self.element(name, attrs, text)?;
        self.raw("\n");
        Ok(())
    }

    /// The document's bytes.
    pub(super) fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> Result<BytesStart<'a>, EpubError> {
    let mut start = BytesStart::new(name);
    for &(key, value) in attrs {
        check_chars(value)?;
        start.push_attribute((key, value));
    }
    Ok(start)
}

/// Refuse the characters outside the XML 1.0 `Char` production (§2.2): C0 controls other than
/// tab, line feed and carriage return, and U+FFFE, U+FFFF. Rust strings hold no surrogates.
fn check_chars(text: &str) -> Result<(), EpubError> {
    match text
        .chars()
        .find(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        Some(character) => Err(EpubError::ForbiddenCharacter {
            character,
            context: text.chars().take(20).filter(|c| !c.is_control()).collect(),
            span: None,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_controls() {
        let mut x = Xml::new().expect("declaration");
        x.element("p", &[("title", "a\"b&c")], "<中&文>").expect("text");
        let out = String::from_utf8(x.finish()).expect("utf-8");
        assert!(
            out.ends_with("<p title=\"a&quot;b&amp;c\">&lt;中&amp;文&gt;</p>"),
            "{out}"
        );
        let mut x = Xml::new().expect("declaration");
        assert!(matches!(
            x.text("新闻\u{1}"),
            Err(EpubError::ForbiddenCharacter { character: '\u{1}', .. })
        ));
    }
}
