//! The `zhiban` command line.
fn main() {}
