//! The `zhiban` command line: reads files, runs the library, prints diagnostics, sets the exit code.

// As in the library: no unwrap, expect or unchecked indexing outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
// `print!` and `eprint!` panic on a failed write: the CLI writes through `cli::term` instead.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

fn main() {
    std::process::exit(cli::run());
}
