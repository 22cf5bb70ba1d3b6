//! A small element builder that every archive file is written with, straight into a byte buffer.
//!
//! Its output is what quick-xml's `Writer` with a one-space indent writes (the tests compare the
//! two): each element on its own line, text content inline, values escaped as quick-xml's
//! `escape` does. ALTO, with thousands of `String`s a page, adds attributes through [`Tag`]
//! without building a `String` for each value.

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

/// Writes one XML document element by element; the first error (an element closed that was never
/// opened) is kept and reported by [`XmlBuilder::finish`], so callers chain calls without
/// checking each one.
pub(crate) struct XmlBuilder {
    out: Vec<u8>,
    open: Vec<&'static str>,
    error: Option<String>,
}

impl XmlBuilder {
    /// A document with the XML declaration (UTF-8) written.
    pub(crate) fn new() -> Self {
        Self::with_capacity(0)
    }

    /// [`XmlBuilder::new`] with room for a document of about `bytes` bytes, so that a large one
    /// is not copied each time its buffer grows.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        let mut out = Vec::with_capacity(bytes);
        out.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8"?>"#);
        XmlBuilder {
            out,
            open: Vec::new(),
            error: None,
        }
    }

    /// A line break and the indentation of the next element.
    #[inline]
    fn indent(&mut self) {
        self.out.push(b'\n');
        let width = self.open.len() * INDENT;
        self.out.resize(self.out.len() + width, b' ');
    }

    /// Begins element `name` on a new line; add its attributes to the [`Tag`], then end the tag
    /// with [`Tag::open`] or [`Tag::empty`].
    #[inline]
    pub(crate) fn tag(&mut self, name: &'static str) -> Tag<'_> {
        self.indent();
        self.out.push(b'<');
        self.out.extend_from_slice(name.as_bytes());
        Tag {
            x: self,
            name,
            opened: false,
        }
    }

    fn start_tag(&mut self, name: &'static str, attrs: &[(&str, String)]) -> Tag<'_> {
        let mut tag = self.tag(name);
        for (key, value) in attrs {
            tag = tag.attr(key, value);
        }
        tag
    }

    /// Opens element `name` with `attrs` (values are escaped); close it with [`XmlBuilder::end`].
    pub(crate) fn start(&mut self, name: &'static str, attrs: &[(&str, String)]) -> &mut Self {
        self.start_tag(name, attrs).open();
        self
    }

    /// Closes the innermost open element.
    pub(crate) fn end(&mut self) -> &mut Self {
        match self.open.pop() {
            Some(name) => {
                self.indent();
                self.close(name);
            }
            None => {
                if self.error.is_none() {
                    self.error = Some("an element was closed that was never opened".into());
                }
            }
        }
        self
    }

    /// `</name>`.
    fn close(&mut self, name: &str) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'>');
    }

    /// Writes the empty element `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &'static str, attrs: &[(&str, String)]) -> &mut Self {
        self.start_tag(name, attrs).empty();
        self
    }

    /// Writes `<name attrs…>text</name>`, the text escaped.
    pub(crate) fn text(&mut self, name: &'static str, attrs: &[(&str, String)], text: &str) -> &mut Self {
        self.start_tag(name, attrs).open();
        push_escaped(&mut self.out, text, false);
        // Closed on the same line: no indentation enters the text content.
        self.open.pop();
        self.close(name);
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
                let mut bytes = self.out;
                bytes.push(b'\n');
                Ok(bytes)
            }
        }
    }
}

/// A start tag being written: its name is out, attributes follow. Dropped without
/// [`Tag::open`], it ends as an empty element.
#[must_use = "a tag is ended by `open` or `empty`"]
pub(crate) struct Tag<'a> {
    x: &'a mut XmlBuilder,
    name: &'static str,
    /// Whether the element stays open for content (`>`) rather than empty (`/>`).
    opened: bool,
}

impl Tag<'_> {
    /// ` key="`, the value to follow.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        self.x.out.push(b' ');
        self.x.out.extend_from_slice(key.as_bytes());
        self.x.out.extend_from_slice(b"=\"");
    }

    /// Adds `key="value"`, the value cleaned and escaped.
    #[inline]
    pub(crate) fn attr(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_escaped(&mut self.x.out, value, true);
        self.x.out.push(b'"');
        self
    }

    /// Adds `key="n"`.
    #[inline(always)]
    pub(crate) fn int(mut self, key: &str, n: i64) -> Self {
        self.key(key);
        if n < 0 {
            self.x.out.push(b'-');
        }
        push_digits(&mut self.x.out, n.unsigned_abs());
        self.x.out.push(b'"');
        self
    }

    /// Adds `key="{prefix}{n}"`, e.g. an id `TS3`, the prefix cleaned and escaped.
    #[inline(always)]
    pub(crate) fn numbered(mut self, key: &str, prefix: &str, n: usize) -> Self {
        self.key(key);
        push_escaped(&mut self.x.out, prefix, true);
        // usize has at most 64 bits on every target Rust supports.
        push_digits(&mut self.x.out, n as u64);
        self.x.out.push(b'"');
        self
    }

    /// Ends the start tag; close the element with [`XmlBuilder::end`].
    pub(crate) fn open(mut self) {
        self.opened = true;
    }

    /// Ends the tag as an empty element, `/>`.
    pub(crate) fn empty(self) {
        drop(self);
    }
}

impl Drop for Tag<'_> {
    fn drop(&mut self) {
        if self.opened {
            self.x.out.push(b'>');
            self.x.open.push(self.name);
        } else {
            self.x.out.extend_from_slice(b"/>");
        }
    }
}

/// The decimal digits of `n`.
fn push_digits(out: &mut Vec<u8>, mut n: u64) {
    // Last digit first, then turned round: no buffer to copy from (a `memmove` call for each
    // of ALTO's four or five numbers a `String` took a fifth of the writer's time).
    let start = out.len();
    loop {
        // A remainder of 10 fits u8.
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if let Some(digits) = out.get_mut(start..) {
        digits.reverse();
    }
}

/// Whether byte `b` of a UTF-8 string may need more than copying: markup characters, C0
/// controls, and the lead byte of U+FFFE and U+FFFF.
fn needs_care(b: u8) -> bool {
    b < 0x20 || matches!(b, b'<' | b'>' | b'&' | b'\'' | b'"' | 0xEF)
}

/// Appends `s` cleaned and escaped. Cleaning drops characters XML 1.0 forbids (§2.2 Char: C0
/// controls other than tab, newline and carriage return; U+FFFE, U+FFFF); in attribute values it
/// also turns tab and line breaks into spaces, which an XML parser would do anyway (§3.3.3
/// attribute-value normalisation). Escaping is quick-xml's `escape`: `<`, `>`, `&`, `'`, `"` and,
/// in text, carriage return (which a parser would turn into a newline) become references.
fn push_escaped(out: &mut Vec<u8>, s: &str, attribute: bool) {
    let mut rest = s.as_bytes();
    while let Some(i) = rest.iter().position(|&b| needs_care(b)) {
        let Some((plain, tail)) = rest.split_at_checked(i) else {
            break;
        };
        out.extend_from_slice(plain);
        let Some((&b, after)) = tail.split_first() else { break };
        rest = after;
        match b {
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'\'' => out.extend_from_slice(b"&apos;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' | b'\n' | b'\r' if attribute => out.push(b' '),
            b'\t' | b'\n' => out.push(b),
            b'\r' => out.extend_from_slice(b"&#13;"),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF; other characters from U+F000 stay.
            0xEF => match after {
                [0xBF, 0xBE | 0xBF, tail @ ..] => rest = tail,
                _ => out.push(b),
            },
            // The other C0 controls are dropped.
            _ => {}
        }
    }
    out.extend_from_slice(rest);
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

    /// The builder writes what quick-xml's `Writer` wrote, once the values are cleaned as
    /// before (the old builder: `clean`, then quick-xml's escaping).
    #[test]
    fn writes_what_quick_xml_writes() {
        use quick_xml::Writer;
        use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

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
        let mut nasty: Vec<String> = (0u32..0x80)
            .chain([
                0x7f, 0x85, 0xa0, 0x2028, 0x3000, 0xff0c, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x1_0000,
            ])
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b{c}"))
            .collect();
        nasty.extend(
            [
                "",
                "<&>\"'",
                "\r\n\t",
                "\u{fffe}\u{ffff}\u{ef}\u{bf}",
                "示范区，“引号”",
                "x\u{fffe}",
            ]
            .map(String::from),
        );
        for s in &nasty {
            let mut w = Writer::new_with_indent(Vec::new(), b' ', INDENT);
            let mut ok = w
                .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
                .is_ok();
            let mut a = BytesStart::new("a");
            a.push_attribute(("k", clean(s, true).as_str()));
            ok &= w.write_event(Event::Start(a)).is_ok();
            let mut b = BytesStart::new("b");
            b.push_attribute(("n", "7"));
            ok &= w.write_event(Event::Empty(b)).is_ok();
            ok &= w.write_event(Event::Start(BytesStart::new("c"))).is_ok();
            ok &= w.write_event(Event::Text(BytesText::new(&clean(s, false)))).is_ok();
            ok &= w.write_event(Event::End(BytesEnd::new("c"))).is_ok();
            ok &= w.write_event(Event::End(BytesEnd::new("a"))).is_ok();
            assert!(ok);
            let mut want = w.into_inner();
            want.push(b'\n');

            let mut x = XmlBuilder::new();
            x.tag("a").attr("k", s).open();
            x.tag("b").int("n", 7).empty();
            x.text("c", &[], s);
            x.end();
            assert_eq!(
                String::from_utf8(x.finish().expect("xml")),
                String::from_utf8(want),
                "{s:?}"
            );
        }
    }

    #[test]
    fn integers_are_decimal() {
        let mut x = XmlBuilder::new();
        for n in [0, 7, -7, 10, 1200, -19_843, i64::MAX, i64::MIN] {
            x.tag("n").int("v", n).numbered("id", "TS", 42).empty();
            let out = String::from_utf8_lossy(&x.out).into_owned();
            assert!(out.ends_with(&format!("<n v=\"{n}\" id=\"TS42\"/>")), "{out}");
        }
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
