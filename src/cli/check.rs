//! `zhiban check FILE…`: report every problem in markup files.

use std::path::{Path, PathBuf};

use super::input::{MARKUP_EXTENSION, ReadError, read_source};
use super::report::print_all;
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

/// Arguments of `zhiban check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Markup files (`.zb`) or folders holding them; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Check every file; exit 0 if none has errors, 1 if one has, 3 if one cannot be read.
pub(crate) fn execute(args: &Args) -> i32 {
    let mut files = Vec::new();
    let mut code = EXIT_OK;
    for path in &args.files {
        if path.is_dir() {
            collect_dir(path, &mut files);
        } else if path == Path::new("-") || path.extension().is_some_and(|e| e == MARKUP_EXTENSION) || !path.exists() {
            files.push(path.clone());
        } else {
            stderrln!(
                "note: {}: skipped, not a zhiban markup file (.{MARKUP_EXTENSION})",
                path.display()
            );
        }
    }
    let (mut errors, mut warnings, mut unreadable) = (0, 0, 0);
    for path in &files {
        let source = match read_source(path) {
            Ok(s) => s,
            Err(ReadError::Io(msg)) => {
                stderrln!("error: {msg}");
                // A file that cannot be read is an error of the run, not a clean file.
                errors += 1;
                unreadable += 1;
                code = code.max(EXIT_IO);
                continue;
            }
            Err(ReadError::Encoding(msg)) => {
                stderrln!("error: {msg}");
                errors += 1;
                continue;
            }
        };
        let parsed = source.parse();
        let (e, w) = print_all(&source.name, &source.text, &parsed.diagnostics);
        errors += e;
        warnings += w;
    }
    let unread_note = if unreadable > 0 {
        format!(" ({unreadable} file(s) could not be read)")
    } else {
        String::new()
    };
    stderrln!(
        "checked {} file(s): {errors} error(s), {warnings} warning(s){unread_note}",
        files.len()
    );
    if errors > 0 && code == EXIT_OK {
        EXIT_INPUT
    } else {
        code
    }
}

/// The markup files under `dir`, in sorted order.
fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out);
        } else if p.extension().is_some_and(|e| e == MARKUP_EXTENSION) {
            out.push(p);
        }
    }
}
