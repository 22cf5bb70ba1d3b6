//! `zhiban import FILE [-o OUT]`: plain newspaper text to canonical markup (or the model as JSON).

use std::path::PathBuf;

use zhiban::diag::LineIndex;
use zhiban::import::{Encoding, ImportOptions, Imported, PLACEHOLDER_DATE, PLACEHOLDER_PUBLICATION, import};
use zhiban::model::Date;

use super::input::{Limit, ReadError, read_bytes};
use super::output::{Sync, refuse_folder, write_atomic};
use super::report::print_all;
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK, EXIT_USAGE};

/// Arguments of `zhiban import`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The plain-text file; `-` reads standard input.
    file: PathBuf,
    /// Write the markup (or JSON) here instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print the document model as JSON instead of markup.
    #[arg(long)]
    json: bool,
    /// Read the input in this encoding: utf-8, gb18030 (gbk), big5, utf-16le, utf-16be.
    #[arg(long)]
    encoding: Option<Encoding>,
    /// Print why each block was classified as it was (to standard error).
    #[arg(long)]
    explain: bool,
    /// Publication name for the front matter.
    #[arg(long)]
    publication: Option<String>,
    /// Issue date for the front matter, YYYY-MM-DD.
    #[arg(long)]
    date: Option<Date>,
}

/// Import one file; exit 0 with warnings, 1 if the text is too large or the result does not parse
/// back, 3 on I/O errors.
pub(crate) fn execute(args: &Args) -> i32 {
    if let Some(path) = &args.output {
        if let Err(e) = refuse_folder(path) {
            stderrln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_IO;
        }
        if args.file != std::path::Path::new("-") && same_file(path, &args.file) {
            stderrln!(
                "error: `-o {}` is the file being imported; the import would overwrite the text it reads",
                path.display()
            );
            stderrln!("  = hint: write the markup to a file of its own, such as `issue.zb`");
            return EXIT_USAGE;
        }
    }
    let (name, bytes) = match read_bytes(&args.file, &IMPORT_LIMIT) {
        Ok(x) => x,
        Err(ReadError::Io(msg)) => {
            stderrln!("error: {msg}");
            return EXIT_IO;
        }
        Err(ReadError::Encoding(msg)) => {
            stderrln!("error: {msg}");
            return EXIT_INPUT;
        }
    };
    let options = ImportOptions {
        encoding: args.encoding,
        publication: args.publication.clone(),
        date: args.date,
    };
    let imported = import(&bytes, &options);
    let (_, warnings) = print_all(&name, &imported.text, &imported.diagnostics);
    if args.explain {
        explain(&name, &imported);
    }
    let out = if args.json {
        match serde_json::to_string_pretty(&imported.bulletin) {
            Ok(json) => json + "\n",
            Err(e) => {
                stderrln!("error: cannot serialise the model: {e}");
                return EXIT_INPUT;
            }
        }
    } else {
        mark_placeholders(zhiban::markup::write(&imported.bulletin), &imported, &options)
    };
    stderrln!(
        "{name}: read as {}, {warnings} warning(s) to check",
        imported.encoding.name()
    );
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomic(path, out.as_bytes(), Sync::Flush) {
                stderrln!("error: cannot write `{}`: {e}", path.display());
                return EXIT_IO;
            }
        }
        None => stdout!("{out}"),
    }
    EXIT_OK
}

/// Whether `a` and `b` are one file (links and other spellings resolved); `false` when either
/// does not exist.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            (x.dev(), x.ino()) == (y.dev(), y.ino())
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => a.canonicalize().ok() == b.canonicalize().ok(),
        _ => false,
    }
}

/// Put a TOML comment over front-matter values the text did not give, so that an editor sees
/// them in the file as well as in the warnings (`zhiban fmt` removes the comment).
fn mark_placeholders(markup: String, imported: &Imported, options: &ImportOptions) -> String {
    let meta = &imported.bulletin.meta;
    let mut missing = Vec::new();
    if options.publication.is_none() && meta.publication == PLACEHOLDER_PUBLICATION {
        missing.push("publication");
    }
    if options.date.is_none() && meta.date == PLACEHOLDER_DATE {
        missing.push("date");
    }
    match (missing.is_empty(), markup.strip_prefix("+++\n")) {
        (false, Some(rest)) => format!(
            "+++\n# zhiban import: {} not found in the text; replace the placeholder\n{rest}",
            missing.join(" and ")
        ),
        _ => markup,
    }
}

/// Print one line per block: where it is, what it was taken for, and why.
fn explain(name: &str, imported: &Imported) {
    let index = LineIndex::new(&imported.text);
    for e in &imported.explanations {
        let (line, _) = index.line_col(&imported.text, e.span.start);
        let (last, _) = index.line_col(&imported.text, e.span.end.saturating_sub(1).max(e.span.start));
        let lines = if last > line {
            format!("{line}-{last}")
        } else {
            line.to_string()
        };
        let preview: String = imported
            .text
            .get(e.span.range())
            .unwrap_or_default()
            .chars()
            .take(16)
            .collect();
        stderrln!("{name}:{lines}: {}: {} [{}]", e.kind.name(), e.reason, preview.trim());
    }
}

/// Largest text `import` takes: 2 MiB, five times a 32-page issue (the sample's two pages are
/// 25 KB). The importer's structure inference compares blocks with their neighbours and runs
/// longer than linearly on a concatenation of many issues (about 7 s for 1 MB measured on a busy
/// machine), so a whole year in one file is refused with a hint instead of running for hours.
const IMPORT_LIMIT: Limit = Limit {
    max: 2 * 1024 * 1024,
    noun: "texts",
    advice: "split it into issues, one file each",
};
