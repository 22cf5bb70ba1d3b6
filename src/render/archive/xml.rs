//! A small element builder over quick-xml's `Writer` that every archive file is written with.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::ArchiveError;

/// Attribute list for [`XmlBuilder`]: `attrs!["ID" => id, "HPOS" => 12]`, values formatted with
/// `Display`.
macro_rules! attrs {
    ($($key:expr => $value:expr),* $(,)?) => {
        [$(($key, $value.to_string())),*]
    };
}
pub(crate) use attrs;

/// Spaces per nesting level; indentation only, never inside text content.
const INDENT: usize = 1;

/// Writes one XML document element by element; the first write error is kept and reported by
/// [`XmlBuilder::finish`], so callers chain calls without checking each one.
pub(crate) struct XmlBuilder {
    writer: Writer<Vec<u8>>,
    open: Vec<String>,
    error: Option<String>,
}

impl XmlBuilder {
    /// A document with the XML declaration (UTF-8) written.
    pub(crate) fn new() -> Self {
        let mut b = XmlBuilder {
            writer: Writer::new_with_indent(Vec::new(), b' ', INDENT),
            open: Vec::new(),
            error: None,
        };
        b.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        b
    }

    fn event(&mut self, event: Event<'_>) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_event(event)
        {
            self.error = Some(e.to_string());
        }
    }

    fn start_tag(name: &str, attrs: &[(&str, String)]) -> BytesStart<'static> {
        let mut tag = BytesStart::new(name.to_string());
        for (key, value) in attrs {
            let value = clean(value, true);
            tag.push_attribute((*key, value.as_str()));
        }
        tag
    }

    /// Opens element `name` with `attrs` (values are escaped); close it with [`XmlBuilder::end`].
    pub(crate) fn start(&mut self, name: &str, attrs: &[(&str, String)]) -> &mut Self {
        let tag = Self::start_tag(name, attrs);
        self.event(Event::Start(tag));
        self.open.push(name.to_string());
        self
    }

    /// Closes the innermost open element.
    pub(crate) fn end(&mut self) -> &mut Self {
        match self.open.pop() {
            Some(name) => self.event(Event::End(BytesEnd::new(name))),
            None => {
                if self.error.is_none() {
                    self.error = Some("an element was closed that was never opened".into());
                }
            }
        }
        self
    }

    /// Writes the empty element `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, String)]) -> &mut Self {
        let tag = Self::start_tag(name, attrs);
        self.event(Event::Empty(tag));
        self
    }

    /// Writes `<name attrs…>text</name>`, the text escaped.
    pub(crate) fn text(&mut self, name: &str, attrs: &[(&str, String)], text: &str) -> &mut Self {
        let tag = Self::start_tag(name, attrs);
        self.event(Event::Start(tag));
        let text = clean(text, false);
        self.event(Event::Text(BytesText::new(&text)));
        self.event(Event::End(BytesEnd::new(name.to_string())));
        self
    }

    /// The document's bytes, ending with a newline.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, ArchiveError> {
        if self.error.is_none() && !self.open.is_empty() {
            self.error = Some(format!("element `{}` was left open", self.open.join("/")));
        }
        match self.error {
            Some(e) => Err(ArchiveError::Xml(e)),
            None => {
                let mut bytes = self.writer.into_inner();
                bytes.push(b'\n');
                Ok(bytes)
            }
        }
    }
}

/// Drops characters XML 1.0 forbids (§2.2 Char: C0 controls other than tab, newline and carriage
/// return; U+FFFE, U+FFFF); in attribute values, also turns tab and line breaks into spaces,
/// which an XML parser would do anyway (§3.3.3 attribute-value normalisation).
fn clean(s: &str, attribute: bool) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' if attribute => Some(' '),
            '\t' | '\n' | '\r' => Some(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => None,
            _ => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        let mut x = XmlBuilder::new();
        x.start("a", &attrs!["k" => "x<\"y\"\n"])
            .text("b", &[], "1 & 2\u{1}")
            .empty("c", &attrs!["n" => 3])
            .end();
        let out = String::from_utf8(x.finish().expect("xml")).expect("utf-8");
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{out}");
        assert!(out.contains("<a k=\"x&lt;&quot;y&quot; \">"), "{out}");
        assert!(out.contains("<b>1 &amp; 2</b>"), "{out}");
        assert!(out.contains("<c n=\"3\"/>"), "{out}");
    }

    #[test]
    fn unbalanced_is_an_error() {
        let mut x = XmlBuilder::new();
        x.start("a", &[]);
        assert!(x.finish().is_err());
        let mut y = XmlBuilder::new();
        y.end();
        assert!(y.finish().is_err());
    }
}
