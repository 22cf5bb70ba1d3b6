//! The `zhiban` command line: reads files, runs the library, prints diagnostics, sets the exit code.

// As in the library: no unwrap, expect or unchecked indexing outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod cli;

fn main() {
    tune_allocator();
    std::process::exit(cli::run());
}

/// glibc grows a heap a page range at a time, and each thread's arena with an `mprotect` call
/// per step; a build allocates some 15 MB in a few milliseconds, so those calls were 3 % of its
/// time. Asking for 32 MB of headroom per step (address space only: a page costs memory when it
/// is first written) made the build 1.5 ms faster in CPU time with the same peak memory
/// (docs/scale.md, "Allocation").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: `mallopt` only sets a tuning parameter of the allocator; it is called before any
    // other thread exists, and an unaccepted value is refused with a 0 return, not undefined
    // behaviour.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
