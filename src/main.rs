//! The `zhiban` command line: reads files, runs the library, prints diagnostics, sets the exit code.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
