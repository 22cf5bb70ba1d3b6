//! Reading markup from files or standard input, with I/O and encoding errors reported plainly.

use std::io::Read;
use std::path::{Path, PathBuf};

use zhiban::markup::{ParseOptions, Parsed, parse};

/// Largest markup file read (16 MiB): a year of a daily paper is a few megabytes.
pub(crate) const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The file extension of zhiban markup.
pub(crate) const MARKUP_EXTENSION: &str = "zb";

/// A markup source read into memory.
pub(crate) struct Source {
    /// The name shown in messages (the path as given, or `<stdin>`).
    pub(crate) name: String,
    /// The folder that image paths are relative to.
    pub(crate) base_dir: Option<PathBuf>,
    /// The text.
    pub(crate) text: String,
}

/// Why a source could not be read.
pub(crate) enum ReadError {
    /// The file could not be opened or read (exit code 3).
    Io(String),
    /// The bytes are not UTF-8 (exit code 1).
    Encoding(String),
}

/// Read `path` (or standard input for `-`) as UTF-8.
pub(crate) fn read_source(path: &Path) -> Result<Source, ReadError> {
    let (name, bytes, base_dir) = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ReadError::Io(format!("cannot read standard input: {e}")))?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(ReadError::Encoding(format!(
                "standard input is larger than {MAX_INPUT_BYTES} bytes; split the issue"
            )));
        }
        ("<stdin>".to_string(), buf, std::env::current_dir().ok())
    } else {
        let len = std::fs::metadata(path)
            .map_err(|e| ReadError::Io(format!("cannot read `{}`: {e}", path.display())))?
            .len();
        if len > MAX_INPUT_BYTES {
            return Err(ReadError::Encoding(format!(
                "{}: the file has {len} bytes; markup files larger than {MAX_INPUT_BYTES} bytes are refused (split the issue)",
                path.display()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| ReadError::Io(format!("cannot read `{}`: {e}", path.display())))?;
        let base = path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        });
        (path.display().to_string(), bytes, base)
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source { name, base_dir, text }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = e.as_bytes().get(..at).unwrap_or(&[]);
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ReadError::Encoding(format!(
                "{name}:{line}: the file is not valid UTF-8 (first bad byte at offset {at}); save it as UTF-8, or convert a GB18030/GBK file with `iconv -f GB18030 -t UTF-8`"
            )))
        }
    }
}

impl Source {
    /// Parse the source as markup.
    pub(crate) fn parse(&self) -> Parsed {
        parse(
            &self.text,
            ParseOptions {
                base_dir: self.base_dir.as_deref(),
            },
        )
    }
}
