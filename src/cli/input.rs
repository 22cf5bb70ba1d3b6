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

/// How much a command reads, and how it names what it refuses.
pub(crate) struct Limit {
    /// Most bytes read.
    pub(crate) max: u64,
    /// What larger inputs are, in the message: `markup files`.
    pub(crate) noun: &'static str,
    /// What to do instead: `split the issue`.
    pub(crate) advice: &'static str,
}

/// The markup commands' limit: [`MAX_INPUT_BYTES`].
const MARKUP_LIMIT: Limit = Limit {
    max: MAX_INPUT_BYTES,
    noun: "markup files",
    advice: "split the issue",
};

/// Read `path` (or standard input for `-`) as bytes, at most `limit.max` of them; a larger file
/// is refused from its size, before any byte is read, and a file that grows past the limit
/// while it is read is refused too (the read stops at the limit). Only regular files are
/// opened: a FIFO blocks `open` until a writer comes and a device such as `/dev/zero` never
/// ends. Returns the name for messages and the bytes; a refusal for size is
/// [`ReadError::Encoding`] (exit code 1), as it is about the input.
pub(crate) fn read_bytes(path: &Path, limit: &Limit) -> Result<(String, Vec<u8>), ReadError> {
    let max = limit.max;
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ReadError::Io(format!("cannot read standard input: {e}")))?;
        if buf.len() as u64 > max {
            return Err(ReadError::Encoding(format!(
                "standard input is larger than {max} bytes; {}",
                limit.advice
            )));
        }
        return Ok(("<stdin>".to_string(), buf));
    }
    let too_large = |size: String| {
        ReadError::Encoding(format!(
            "{}: the file has {size} bytes; {} larger than {max} bytes are refused ({})",
            path.display(),
            limit.noun,
            limit.advice
        ))
    };
    let (file, len) = open_regular(path).map_err(ReadError::Io)?;
    if len > max {
        return Err(too_large(len.to_string()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(format!("cannot read `{}`: {e}", path.display())))?;
    if bytes.len() as u64 > max {
        return Err(too_large(format!("more than {max}")));
    }
    Ok((path.display().to_string(), bytes))
}

/// Open `path` if it is a regular file (links followed), with its size; otherwise the message
/// says what it is. Checked before `open`, which would block on a FIFO with no writer.
pub(crate) fn open_regular(path: &Path) -> Result<(std::fs::File, u64), String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot read `{}`: {e}", path.display());
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(cannot(&format!(
            "it is {}, not a regular file; save the text to a file, or pipe it to standard input with `-`",
            kind_of(&meta.file_type())
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    Ok((file, meta.len()))
}

/// What a file that is not a regular file is, for messages: `a folder`, `a FIFO`, `a device`.
pub(crate) fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "something other than a file"
    }
}

/// Read `path` (or standard input for `-`) as UTF-8.
pub(crate) fn read_source(path: &Path) -> Result<Source, ReadError> {
    let (name, bytes) = read_bytes(path, &MARKUP_LIMIT)?;
    let base_dir = if path == Path::new("-") {
        std::env::current_dir().ok()
    } else {
        path.parent().map(|p| {
            if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            }
        })
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
