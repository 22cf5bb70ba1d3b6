//! `zhiban model FILE|-`: the document model as pretty JSON on standard output.

use std::path::PathBuf;

use super::input::{ReadError, read_source};
use super::report::print_all;
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

/// Arguments of `zhiban model`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The markup file; `-` reads standard input.
    file: PathBuf,
}

/// Print the model; on errors print the diagnostics instead and exit 1.
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
        stderrln!("{}: {errors} error(s); no model printed", source.name);
        return EXIT_INPUT;
    }
    match serde_json::to_string_pretty(&parsed.bulletin) {
        Ok(json) => {
            stdoutln!("{json}");
            EXIT_OK
        }
        Err(e) => {
            stderrln!("error: cannot serialise the model: {e}");
            EXIT_INPUT
        }
    }
}
