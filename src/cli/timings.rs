//! `--timings`: when each stage of a build started and ended, on which thread, printed to
//! standard error at the end, so that anyone can see where a build's wall-clock time goes.
//!
//! Off by default; a stage then costs one relaxed atomic load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

static ON: AtomicBool = AtomicBool::new(false);
static START: OnceLock<Instant> = OnceLock::new();
static SPANS: Mutex<Vec<Span>> = Mutex::new(Vec::new());

struct Span {
    name: &'static str,
    start: Duration,
    end: Duration,
    thread: String,
}

/// Start recording; the clock starts now.
pub(crate) fn enable() {
    let _ = START.set(Instant::now());
    ON.store(true, Ordering::Relaxed);
}

/// Run `f` as the stage `name`, recording its start and end when timings are on.
pub(crate) fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let Some(origin) = START.get().copied() else {
        return f();
    };
    let start = origin.elapsed();
    let out = f();
    let end = origin.elapsed();
    let thread = std::thread::current()
        .name()
        .map_or_else(|| format!("{:?}", std::thread::current().id()), str::to_string);
    let mut spans = SPANS.lock().unwrap_or_else(|e| e.into_inner());
    spans.push(Span {
        name,
        start,
        end,
        thread,
    });
    out
}

/// The recorded stages as a table (start, end, length in ms; thread), in order of start.
pub(crate) fn report() -> String {
    use std::fmt::Write as _;
    let mut spans = SPANS.lock().unwrap_or_else(|e| e.into_inner());
    spans.sort_by_key(|s| s.start);
    let mut out = String::from("timings (ms since start):\n  stage            start     end  length  thread\n");
    for s in spans.iter() {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let _ = writeln!(
            out,
            "  {:<14} {:>7.2} {:>7.2} {:>7.2}  {}",
            s.name,
            ms(s.start),
            ms(s.end),
            ms(s.end.saturating_sub(s.start)),
            s.thread
        );
    }
    out
}
