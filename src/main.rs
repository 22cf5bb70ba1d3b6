//! The `zhiban` command line: reads files, runs the library, prints diagnostics, sets the exit code.

// As in the library: no unwrap, expect or unchecked indexing outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

mod cli;

fn main() {
    tune_allocator();
    // rayon's global pool, with each worker's heap on huge pages.
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .start_handler(|_| worker_heap_on_huge_pages())
        .build_global();
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

/// Puts the calling thread's malloc heap on transparent huge pages; run first on each worker
/// thread.
///
/// Each worker allocates about 3 MB during a build, all of it fresh memory, and a first touch of
/// a 4 KiB page costs some 2.8 µs on the machines measured here (a virtual machine): the workers'
/// page faults were 1 400 of a build's 2 000 and about a tenth of its CPU time. glibc gives each
/// thread an arena of its own, a heap aligned to 64 MiB (its `HEAP_MAX_SIZE`); this advises the
/// kernel to back that heap with 2 MiB pages and collapses its first 2 MiB, which the thread's
/// first allocations have already touched, into one. A build then has 580 page faults and takes
/// 4 ms less CPU and 2.7 ms less wall time for 2.4 MB more peak memory (docs/scale.md,
/// "Allocation"). It is what glibc's `glibc.malloc.hugetlb=1` tunable does for thread heaps, which
/// a program cannot set for itself once it runs.
///
/// Advice never changes what memory holds: should the heap not be where glibc puts it, or the
/// kernel decline (no THP, a kernel before 6.1 for `MADV_COLLAPSE`), only the speed differs.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn worker_heap_on_huge_pages() {
    /// glibc's `HEAP_MAX_SIZE` on 64-bit systems: `2 * DEFAULT_MMAP_THRESHOLD_MAX`.
    const HEAP_MAX: usize = 64 << 20;
    const HUGE_PAGE: usize = 2 << 20;
    // SAFETY: `malloc` and `free` are paired; `sbrk(0)` only reads the break; `madvise` with
    // MADV_HUGEPAGE and MADV_COLLAPSE changes how pages are backed, never their contents, and
    // fails harmlessly on a range it cannot advise.
    unsafe {
        // Larger than any tcache bin, so that it comes from this thread's own arena, not from a
        // chunk of the main arena that thread start-up freed here.
        let probe = libc::malloc(4096);
        if probe.is_null() {
            return;
        }
        let at = probe as usize;
        // Above the break: an mmapped heap, not the main arena.
        if at > libc::sbrk(0) as usize {
            let heap = (at & !(HEAP_MAX - 1)) as *mut libc::c_void;
            if libc::madvise(heap, HEAP_MAX, libc::MADV_HUGEPAGE) == 0 {
                libc::madvise(heap, HUGE_PAGE, libc::MADV_COLLAPSE);
            }
        }
        libc::free(probe);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn worker_heap_on_huge_pages() {}
