//! Command-line interface: one file per subcommand; the only place that exits or prints.

/// `print!` that never panics: see [`term`].
macro_rules! stdout {
    ($($arg:tt)*) => { $crate::cli::term::out(format_args!($($arg)*)) };
}
/// `println!` that never panics: see [`term`].
macro_rules! stdoutln {
    ($($arg:tt)*) => { $crate::cli::term::out(format_args!("{}\n", format_args!($($arg)*))) };
}
/// `eprint!` that never panics: see [`term`].
macro_rules! stderr {
    ($($arg:tt)*) => { $crate::cli::term::err(format_args!($($arg)*)) };
}
/// `eprintln!` that never panics: see [`term`].
macro_rules! stderrln {
    ($($arg:tt)*) => { $crate::cli::term::err(format_args!("{}\n", format_args!($($arg)*))) };
}

mod batch;
mod build;
mod check;
mod fmt;
mod frames;
mod import;
mod input;
mod model;
mod output;
mod pipeline;
mod products;
mod report;
mod term;
mod timings;
mod verify_bag;

use clap::{Parser, Subcommand};

/// Exit code: success (warnings allowed).
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code: the input has errors.
pub(crate) const EXIT_INPUT: i32 = 1;
/// Exit code: the command line is wrong.
pub(crate) const EXIT_USAGE: i32 = 2;
/// Exit code: a file could not be read or written.
pub(crate) const EXIT_IO: i32 = 3;

/// zhiban (制版): typeset Chinese bulletins and newspapers from one marked-up source.
#[derive(Debug, Parser)]
#[command(name = "zhiban", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the print PDF, the EPUB and the archive of an issue.
    Build(build::Args),
    /// Build many issues in parallel (a folder or a manifest), with a report; exit 1 if any failed.
    Batch(batch::Args),
    /// Check markup files and report every problem (exit 0 clean or warnings only, 1 errors).
    Check(check::Args),
    /// Print the document model of a markup file as JSON.
    Model(model::Args),
    /// Rewrite a markup file in canonical form.
    Fmt(fmt::Args),
    /// Print the laid-out pages as text: page, position, font, size and text of every line.
    Frames(frames::Args),
    /// Import plain newspaper text (from PDFs, web pages, old systems) as markup to check.
    Import(import::Args),
    /// Check a BagIt bag (RFC 8493) and say what is wrong (exit 0 valid, 1 invalid).
    VerifyBag(verify_bag::Args),
}

/// Parse the command line, run the command, and return the process exit code: 3 whenever a
/// write to standard output or standard error failed.
pub(crate) fn run() -> i32 {
    let code = run_command();
    if term::failed() { EXIT_IO } else { code }
}

/// Parse the command line and run the command.
fn run_command() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and usage messages too: `zhiban --help >/dev/full` is a failed write.
            if err.print().is_err() {
                term::note_failure();
            }
            return if err.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Build(args) => build::execute(&args),
        Command::Batch(args) => batch::execute(&args),
        Command::Check(args) => check::execute(&args),
        Command::Model(args) => model::execute(&args),
        Command::Fmt(args) => fmt::execute(&args),
        Command::Frames(args) => frames::execute(&args),
        Command::Import(args) => import::execute(&args),
        Command::VerifyBag(args) => verify_bag::execute(&args),
    }
}
