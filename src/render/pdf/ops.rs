//! A content-stream writer (ISO 32000-1 §7.8.2, §8.2) that writes each operator as briefly as
//! the syntax allows, since every byte of the page contents is a byte of the file:
//!
//! - numbers with no more decimals than asked for, no trailing zeros and no leading `0`
//!   (`-.25`, §7.3.3 allows both);
//! - strings as literal strings of raw bytes (§7.3.4.2), escaping only `(`, `)`, `\` and the
//!   carriage return, which a reader would otherwise turn into a line feed. A two-byte CID costs
//!   two bytes, where a hexadecimal string costs four;
//! - dictionaries and operators with no spaces next to delimiters (§7.2.2: `/`, `(`, `[` and
//!   `<<` end the token before them).
//!
//! pdf-writer's `Content` writes every string with a non-ASCII byte in hexadecimal, numbers to
//! f32's full round-trip precision and dictionaries over several indented lines. On the sample
//! that cost 3.0 KB of the compressed file (docs/dependencies.md, "Page contents and ToUnicode
//! maps").

/// A content stream under construction.
#[derive(Default)]
pub(super) struct Ops {
    buf: Vec<u8>,
}

impl Ops {
    /// The stream's bytes.
    pub(super) fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// Ends the current token before a token that does not start with a delimiter.
    fn space(&mut self) {
        if let Some(&last) = self.buf.last()
            && !matches!(last, b'\n' | b' ' | b')' | b']' | b'>' | b'[' | b'(' | b'<')
        {
            self.buf.push(b' ');
        }
    }

    /// An operator, ending its line.
    fn op(&mut self, name: &str) {
        self.space();
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'\n');
    }

    /// A number with at most `decimals` (≤ 4) digits after the point.
    fn num(&mut self, value: f32, decimals: u32) {
        self.space();
        push_number(&mut self.buf, value, decimals);
    }

    /// A name (`/Name`, §7.3.5): `name` must be regular characters only, as all of ours are.
    fn name(&mut self, name: &[u8]) {
        self.buf.push(b'/');
        self.buf.extend_from_slice(name);
    }

    /// A literal string of raw bytes.
    fn string(&mut self, bytes: &[u8]) {
        self.buf.push(b'(');
        for &b in bytes {
            match b {
                b'(' | b')' | b'\\' => self.buf.extend_from_slice(&[b'\\', b]),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                _ => self.buf.push(b),
            }
        }
        self.buf.push(b')');
    }

    /// `g` and `G`: fill and stroke colour, DeviceGray.
    pub(super) fn gray(&mut self, fill: f32, stroke: f32) {
        self.num(fill, 3);
        self.op("g");
        self.num(stroke, 3);
        self.op("G");
    }

    /// `/Tag<<properties>>BDC` where `properties` is the inside of the dictionary.
    fn begin_marked(&mut self, tag: &[u8], properties: &[u8]) {
        self.name(tag);
        self.buf.extend_from_slice(b"<<");
        self.buf.extend_from_slice(properties);
        self.buf.extend_from_slice(b">>BDC\n");
    }

    /// A marked-content sequence the structure tree points at (§14.7.4.2).
    pub(super) fn begin_mcid(&mut self, tag: &[u8], mcid: usize) {
        let properties = format!("/MCID {mcid}");
        self.begin_marked(tag, properties.as_bytes());
    }

    /// An artifact (§14.8.2.2) with its dictionary's entries, e.g. `/Type/Layout`.
    pub(super) fn begin_artifact(&mut self, entries: &[u8]) {
        self.begin_marked(b"Artifact", entries);
    }

    /// A `/Span` whose text is `text` (`/ActualText`, §14.9.4), as UTF-16BE with its mark.
    pub(super) fn begin_actual_text(&mut self, text: &str) {
        self.buf.extend_from_slice(b"/Span<</ActualText");
        let mut utf16 = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_be_bytes());
        }
        self.string(&utf16);
        self.buf.extend_from_slice(b">>BDC\n");
    }

    /// `EMC`.
    pub(super) fn end_marked(&mut self) {
        self.op("EMC");
    }

    /// `BT`.
    pub(super) fn begin_text(&mut self) {
        self.op("BT");
    }

    /// `ET`.
    pub(super) fn end_text(&mut self) {
        self.op("ET");
    }

    /// `Tc`: character spacing, in points to 1/1000.
    pub(super) fn char_spacing(&mut self, spacing: f32) {
        self.num(spacing, 3);
        self.op("Tc");
    }

    /// `Tr`: 0 fill, 2 fill and stroke.
    pub(super) fn rendering_mode(&mut self, mode: u8) {
        self.num(f32::from(mode), 0);
        self.op("Tr");
    }

    /// `w`: line width, in points to 1/1000.
    pub(super) fn line_width(&mut self, width: f32) {
        self.num(width, 3);
        self.op("w");
    }

    /// `/Fn size Tf`.
    pub(super) fn font(&mut self, index: usize, size: f32) {
        let name = format!("F{index}");
        self.name(name.as_bytes());
        self.num(size, 3);
        self.op("Tf");
    }

    /// `Td` from the text line matrix's origin `from` (as written so far; (0, 0) after `BT`) to
    /// `to`, to 1/100 pt (3.5 µm, below any platesetter's dot). Returns the origin as written,
    /// so that rounding never adds up along a line.
    pub(super) fn move_line(&mut self, from: (f64, f64), to: (f64, f64)) -> (f64, f64) {
        let dx = ((to.0 - from.0) * 100.0).round() / 100.0;
        let dy = ((to.1 - from.1) * 100.0).round() / 100.0;
        self.num(dx as f32, 2);
        self.num(dy as f32, 2);
        self.op("Td");
        (from.0 + dx, from.1 + dy)
    }

    /// `Ts`: text rise, in points to 1/1000.
    pub(super) fn rise(&mut self, rise: f32) {
        self.num(rise, 3);
        self.op("Ts");
    }

    /// Starts a `TJ` array.
    pub(super) fn begin_shown(&mut self) {
        self.buf.push(b'[');
    }

    /// A string of glyph codes inside a `TJ` array.
    pub(super) fn shown_codes(&mut self, codes: &[u8]) {
        self.string(codes);
    }

    /// An adjustment inside a `TJ` array, in thousandths of the font size.
    pub(super) fn shown_adjust(&mut self, amount: i32) {
        self.space();
        self.buf.extend_from_slice(amount.to_string().as_bytes());
    }

    /// Ends a `TJ` array with its operator.
    pub(super) fn end_shown(&mut self) {
        self.buf.extend_from_slice(b"]TJ\n");
    }

    /// `q a 0 0 d e f cm /Name Do Q`: draws an XObject into the box of width `w`, height `h` at
    /// `(x, y)`, all to 1/1000 pt.
    pub(super) fn draw_xobject(&mut self, name: &[u8], w: f32, h: f32, x: f32, y: f32) {
        self.op("q");
        for (v, d) in [(w, 3), (0.0, 0), (0.0, 0), (h, 3), (x, 3), (y, 3)] {
            self.num(v, d);
        }
        self.op("cm");
        self.name(name);
        self.op("Do");
        self.op("Q");
    }

    /// A stroked straight line of width `width`, to 1/1000 pt.
    pub(super) fn stroke_line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.line_width(width);
        self.num(from.0, 3);
        self.num(from.1, 3);
        self.op("m");
        self.num(to.0, 3);
        self.num(to.1, 3);
        self.op("l");
        self.op("S");
    }
}

/// Writes `value` rounded to `decimals` (at most 4) places in the shortest form PDF reads the
/// same: `12`, `-.5`, `3.25`. Non-finite values are written as 0, which no reader rejects.
pub(super) fn push_number(buf: &mut Vec<u8>, value: f32, decimals: u32) {
    let decimals = decimals.min(4);
    let scale = 10i64.pow(decimals);
    let scaled = f64::from(value) * scale as f64;
    let scaled = if scaled.is_finite() { scaled.round() as i64 } else { 0 };
    if scaled < 0 {
        buf.push(b'-');
    }
    let magnitude = scaled.unsigned_abs();
    let whole = magnitude / scale as u64;
    let mut fraction = magnitude % scale as u64;
    if whole != 0 || fraction == 0 {
        buf.extend_from_slice(whole.to_string().as_bytes());
    }
    if fraction != 0 {
        let mut digits = decimals as usize;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            digits -= 1;
        }
        buf.push(b'.');
        buf.extend_from_slice(format!("{fraction:0digits$}").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(v: f32, d: u32) -> String {
        let mut b = Vec::new();
        push_number(&mut b, v, d);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_places() {
        assert_eq!(number(0.0, 3), "0");
        assert_eq!(number(-0.0001, 3), "0");
        assert_eq!(number(12.0, 2), "12");
        assert_eq!(number(-0.25, 3), "-.25");
        assert_eq!(number(1083.2002, 2), "1083.2");
        assert_eq!(number(698.396, 2), "698.4");
        assert_eq!(number(0.0625, 3), ".063");
        assert_eq!(number(-250.0, 0), "-250");
        assert_eq!(number(5.005, 2), "5.01");
        assert_eq!(number(0.5, 0), "1");
        assert_eq!(number(f32::NAN, 2), "0");
    }

    #[test]
    fn strings_escape_only_what_a_reader_would_misread() {
        let mut ops = Ops::default();
        ops.string(&[0x00, b'(', 0x0d, 0x0a, b'\\', b')', 0xff]);
        assert_eq!(ops.finish(), b"(\x00\\(\\r\x0a\\\\\\)\xff)".to_vec());
    }

    #[test]
    fn tokens_are_separated_only_where_needed() {
        let mut ops = Ops::default();
        ops.begin_text();
        ops.font(2, 8.8);
        let at = ops.move_line((0.0, 0.0), (698.396, 1141.3761));
        let next = ops.move_line(at, (710.0, 1141.3761));
        assert!(
            (next.0 - 710.0).abs() < 1e-9 && (next.1 - 1141.38).abs() < 1e-9,
            "{next:?}"
        );
        ops.begin_shown();
        ops.shown_codes(&[0, 7]);
        ops.shown_adjust(-250);
        ops.shown_codes(&[1, 0x2f]);
        ops.shown_adjust(250);
        ops.end_shown();
        ops.end_text();
        ops.begin_mcid(b"Span", 3);
        ops.end_marked();
        assert_eq!(
            String::from_utf8_lossy(&ops.finish()),
            "BT\n/F2 8.8 Tf\n698.4 1141.38 Td\n11.6 0 Td\n[(\u{0}\u{7})-250(\u{1}/)250]TJ\nET\n/Span<</MCID 3>>BDC\nEMC\n"
        );
    }
}
