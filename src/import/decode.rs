//! Decoding input bytes: UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK and Big5.

use crate::diag::{Diagnostic, Span};

use super::Encoding;

/// The decoded text and what was found out on the way.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    /// The text, without a byte order mark; spans of diagnostics point into it.
    pub(crate) text: String,
    /// The encoding the bytes were read as.
    pub(crate) encoding: Encoding,
    /// Warnings: guessed encoding, malformed bytes replaced.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Characters that make up most running Chinese text in either script; decoding the bytes in
/// the right legacy encoding yields many of them, decoding in the wrong one yields rare
/// characters or replacement marks.
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严這們來個為說國對時報訊記樣發經過還與麼實從機關學會區後動開問無當應該總際點體業產務讓隊單網電話號碼圖攝臺灣華萬億歲親質義議場氣長門車東師書語論認識讀邊強聯員團辦備錢處聲傳錄舊醫療環護";

/// Decode `bytes`, as `forced` when given, else as detected.
pub(crate) fn decode(bytes: &[u8], forced: Option<Encoding>) -> Decoded {
    let mut diagnostics = Vec::new();
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let encoding = if enc == encoding_rs::UTF_8 {
            Encoding::Utf8
        } else if enc == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        if forced.is_none_or(|f| f == encoding) {
            let body = bytes.get(bom_len..).unwrap_or(&[]);
            let text = decode_as(body, encoding, &mut diagnostics);
            return Decoded {
                text,
                encoding,
                diagnostics,
            };
        }
    }
    let encoding = match forced {
        Some(e) => e,
        None => detect(bytes, &mut diagnostics),
    };
    let text = decode_as(bytes, encoding, &mut diagnostics);
    Decoded {
        text,
        encoding,
        diagnostics,
    }
}

/// Decode `bytes` as `encoding`, replacing malformed sequences with U+FFFD and warning once.
fn decode_as(bytes: &[u8], encoding: Encoding, diags: &mut Vec<Diagnostic>) -> String {
    let (text, had_errors) = encoding.encoding_rs().decode_without_bom_handling(bytes);
    let text = text.into_owned();
    if had_errors {
        let at = text.find('\u{fffd}').unwrap_or(0);
        let count = text.matches('\u{fffd}').count();
        diags.push(
            Diagnostic::warning(
                "bad-bytes",
                Some(Span::new(at, at + '\u{fffd}'.len_utf8())),
                format!(
                    "{count} byte sequence(s) are not {}; replaced with U+FFFD",
                    encoding.name()
                ),
            )
            .with_hint("check the encoding, or give it with `--encoding`"),
        );
    }
    text
}

/// Guess the encoding of BOM-less bytes: UTF-8 if they are valid UTF-8, else whichever of
/// GB18030 and Big5 decodes with fewer errors and more common Chinese characters.
fn detect(bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return Encoding::Utf8;
    }
    let gb = score(bytes, Encoding::Gb18030);
    let big5 = score(bytes, Encoding::Big5);
    let (chosen, other) = if big5 > gb {
        (Encoding::Big5, Encoding::Gb18030)
    } else {
        (Encoding::Gb18030, Encoding::Big5)
    };
    diags.push(
        Diagnostic::warning(
            "encoding-guessed",
            None,
            format!(
                "the input is not UTF-8; read it as {} (guessed, not {})",
                chosen.name(),
                other.name()
            ),
        )
        .with_hint(format!(
            "if the text looks garbled, give the encoding with `--encoding {}`",
            other.name()
        )),
    );
    chosen
}

/// How plausible `bytes` decoded as `encoding` look: common characters count for, replacement
/// characters and unassigned or private-use characters against.
fn score(bytes: &[u8], encoding: Encoding) -> i64 {
    /// A replacement character outweighs many plausible ones: it is certain evidence.
    const ERROR_WEIGHT: i64 = 20;
    let (text, _) = encoding.encoding_rs().decode_without_bom_handling(bytes);
    let mut s = 0i64;
    for c in text.chars() {
        if c == '\u{fffd}' {
            s -= ERROR_WEIGHT;
        } else if COMMON.contains(c) {
            s += 2;
        } else if matches!(c as u32, 0xE000..=0xF8FF) {
            s -= 5;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom() {
        let d = decode("\u{feff}本报讯".as_bytes(), None);
        assert_eq!(d.text, "本报讯");
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn gb18030_and_big5_are_told_apart() {
        let simplified = "本报讯（记者郭树勋）会议强调，全区上下要认真学习贯彻中央经济工作会议精神。";
        let (gb, _, _) = encoding_rs::GB18030.encode(simplified);
        let d = decode(&gb, None);
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, simplified);
        let traditional = "【本報訊】記者陳大文報道：香港特區政府今日公布新一份施政報告，市民反應熱烈。";
        let (b5, _, _) = encoding_rs::BIG5.encode(traditional);
        let d = decode(&b5, None);
        assert_eq!(d.encoding, Encoding::Big5);
        assert_eq!(d.text, traditional);
    }

    #[test]
    fn forced_encoding_wins() {
        let (gb, _, _) = encoding_rs::GB18030.encode("示范区");
        let d = decode(&gb, Some(Encoding::Gb18030));
        assert_eq!(d.text, "示范区");
        assert!(d.diagnostics.is_empty());
    }
}
