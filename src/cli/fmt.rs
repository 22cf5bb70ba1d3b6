//! `zhiban fmt FILE [--check]`: rewrite markup in canonical form.

use std::path::PathBuf;

use super::input::{ReadError, read_source};
use super::output::{Sync, write_atomic};
use super::report::print_all;
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

/// Arguments of `zhiban fmt`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The markup file; `-` reads standard input and writes standard output.
    file: PathBuf,
    /// Change nothing; exit 1 if the file is not in canonical form.
    #[arg(long)]
    check: bool,
    /// Print the canonical markup instead of rewriting the file.
    #[arg(long)]
    stdout: bool,
}

/// Format one file; a file with errors is left untouched (exit 1).
pub(crate) fn execute(args: &Args) -> i32 {
    let source = match read_source(&args.file) {
        Ok(s) => s,
        Err(ReadError::Io(msg)) => {
            stderrln!("error: {msg}");
            return EXIT_IO;
        }
        Err(ReadError::Encoding(msg)) => {
            stderrln!("error: {msg}");
            return EXIT_INPUT;
        }
    };
    let parsed = source.parse();
    let (errors, _) = print_all(&source.name, &source.text, &parsed.diagnostics);
    if errors > 0 {
        stderrln!("{}: {errors} error(s); not formatted", source.name);
        return EXIT_INPUT;
    }
    let canonical = zhiban::markup::write(&parsed.bulletin);
    if args.check {
        if canonical == source.text {
            return EXIT_OK;
        }
        stderrln!(
            "{}: not in canonical form; run `zhiban fmt {}`",
            source.name,
            args.file.display()
        );
        return EXIT_INPUT;
    }
    if args.stdout || source.name == "<stdin>" {
        stdout!("{canonical}");
        return EXIT_OK;
    }
    // Through a link to the file it names: replacing the link would leave the file unformatted.
    let target = std::fs::canonicalize(&args.file).unwrap_or_else(|_| args.file.clone());
    if canonical != source.text
        && let Err(e) = write_atomic(&target, canonical.as_bytes(), Sync::Flush)
    {
        stderrln!("error: cannot write `{}`: {e}", args.file.display());
        return EXIT_IO;
    }
    EXIT_OK
}
