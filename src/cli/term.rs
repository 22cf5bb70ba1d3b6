//! The terminal streams written without panicking: a failed write (`2>/dev/full`, a closed pipe,
//! a log on a full disk) is remembered and makes the command exit 3 ([`super::EXIT_IO`]).
//!
//! `print!` and `eprint!` panic when a write fails; the macros `stdout!`, `stdoutln!`,
//! `stderr!` and `stderrln!` in `cli/mod.rs` call [`out`] and [`err`] instead.

use std::fmt::Arguments;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a write to standard output or standard error has failed.
static FAILED: AtomicBool = AtomicBool::new(false);

/// Write to standard output and flush, so that a failure is seen here and not lost at exit;
/// a failure is said on standard error (once), which may still work.
pub(crate) fn out(args: Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush())
        && !FAILED.swap(true, Ordering::Relaxed)
    {
        err(format_args!("error: cannot write to standard output: {e}\n"));
    }
}

/// Write to standard error (unbuffered in Rust's standard library).
pub(crate) fn err(args: Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    if stderr.write_fmt(args).and_then(|()| stderr.flush()).is_err() {
        FAILED.store(true, Ordering::Relaxed);
    }
}

/// Record a failed write of output made elsewhere (clap's help and usage messages).
pub(crate) fn note_failure() {
    FAILED.store(true, Ordering::Relaxed);
}

/// Whether any write to the terminal streams failed.
pub(crate) fn failed() -> bool {
    FAILED.load(Ordering::Relaxed)
}
