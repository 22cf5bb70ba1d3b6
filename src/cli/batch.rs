//! `zhiban batch DIR|MANIFEST -o OUT`: builds many issues in parallel, with fonts loaded once,
//! a progress bar, a summary table and a JSON report; `--shard i/n` and `--skip-unchanged` let
//! the same command run across many machines and again after a change.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::input::{Limit, MARKUP_EXTENSION, ReadError, read_bytes, read_source};
use super::output::Sync;
use super::pipeline::{LayoutArgs, Shared, prepare_with};
use super::products::{self, Products};
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK, EXIT_USAGE};
use zhiban::model::Timestamp;

/// Extension of the stamp beside an issue's outputs: the hash of the inputs it was built from.
const STAMP_EXTENSION: &str = "inputs.sha256";
/// Most issues listed one by one in the summary table; past it only failures are listed.
const MAX_LISTED: usize = 40;

/// Arguments of `zhiban batch`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A folder (searched recursively for `.zb` files) or a manifest: a text file with one markup
    /// path per line, relative to the manifest; `#` starts a comment.
    input: PathBuf,
    /// Output folder; each issue's products go to the same relative folder as its markup.
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Issues built at once (default: the number of cores).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Write a machine-readable report (JSON) to this file.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Build only shard `i` of `n` (1-based): the inputs sorted by path, every n-th from the i-th.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Skip issues whose inputs (markup, photos, layout, fonts, zhiban version) hash the same as
    /// at their last build into OUT.
    #[arg(long)]
    skip_unchanged: bool,
    /// Flush every file to the disk before renaming it into place (outputs, stamps and report
    /// survive a power cut).
    #[arg(long)]
    fsync: bool,
    #[command(flatten)]
    layout: LayoutArgs,
}

/// `i/n` with 1 ≤ i ≤ n.
fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected `i/n` with 1 ≤ i ≤ n, as in `2/8`, found `{s}`");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let i: usize = i.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// What happened to one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Status {
    /// Built and written.
    Built,
    /// Inputs unchanged since the last build; nothing done.
    Skipped,
    /// Not built; `error` says why.
    Failed,
}

/// One issue in the report.
#[derive(Debug, Serialize)]
struct IssueReport {
    /// The markup file.
    input: String,
    /// Built, skipped or failed.
    status: Status,
    /// Files written.
    outputs: Vec<String>,
    /// Pages laid out.
    pages: usize,
    /// Wall time of this issue in seconds.
    seconds: f64,
    /// The exit code a `zhiban build` of this issue would give.
    code: i32,
    /// Why it failed: the messages a `zhiban build` would print.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The whole report (`--report`).
#[derive(Debug, Serialize)]
struct Report {
    /// zhiban's version.
    zhiban: &'static str,
    /// `i/n`, or `1/1`.
    shard: String,
    /// Issues built at once.
    jobs: usize,
    /// Issues built.
    built: usize,
    /// Issues skipped as unchanged.
    skipped: usize,
    /// Issues that failed.
    failed: usize,
    /// Wall time of the whole batch in seconds.
    seconds: f64,
    /// Every issue of the shard, in input order.
    issues: Vec<IssueReport>,
}

/// Build every issue; exit 1 if any failed.
pub(crate) fn execute(args: &Args) -> i32 {
    let started = Instant::now();
    let timestamp = match products::source_date_epoch() {
        Ok(t) => t,
        Err(message) => {
            stderrln!("{message}");
            return EXIT_USAGE;
        }
    };
    // Checked before the first build, not found out after the last one.
    if let Some(path) = &args.report
        && let Err(e) = super::output::refuse_folder(path)
    {
        stderrln!("error: cannot write `{}`: {e}", path.display());
        return EXIT_IO;
    }
    let (base, mut inputs) = match list_inputs(&args.input) {
        Ok(found) => found,
        Err(e) => {
            stderrln!("error: {e}");
            return EXIT_IO;
        }
    };
    inputs.sort();
    let planned = plan_jobs(&base, unique_inputs(inputs));
    let clashes = clashes(&planned, &args.output);
    if !clashes.is_empty() {
        for c in &clashes {
            stderrln!("error: {c}");
        }
        stderrln!(
            "  = hint: rename one of each pair, or build them with separate manifests or output folders; nothing was built"
        );
        return EXIT_USAGE;
    }
    let (shard, of) = args.shard.unwrap_or((1, 1));
    let inputs: Vec<Job> = planned
        .into_iter()
        .enumerate()
        .filter(|(k, _)| k % of == shard - 1)
        .map(|(_, p)| p)
        .collect();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            stderrln!("error: cannot start {jobs} worker threads: {e}");
            return EXIT_USAGE;
        }
    };
    let shared = Shared::new(&args.layout);
    let digests = Mutex::new(HashMap::new());
    let bar = ProgressBar::new(inputs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} issues, {msg}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("0 failed");
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let issues: Vec<IssueReport> = pool.install(|| {
        inputs
            .par_iter()
            .map(|job| {
                let t = Instant::now();
                let file = &job.file;
                let dir = args.output.join(&job.rel);
                let built = catch_unwind(AssertUnwindSafe(|| {
                    build_one(args, &shared, &digests, file, &dir, &job.stem, timestamp)
                }))
                .unwrap_or_else(|_| Outcome::failed(EXIT_INPUT, "error: zhiban crashed on this issue\n".into()));
                if built.status == Status::Failed {
                    let n = failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    bar.set_message(format!("{n} failed"));
                }
                bar.inc(1);
                IssueReport {
                    input: file.display().to_string(),
                    status: built.status,
                    outputs: built.outputs,
                    pages: built.pages,
                    seconds: t.elapsed().as_secs_f64(),
                    code: built.code,
                    error: built.error,
                }
            })
            .collect()
    });
    bar.finish_and_clear();
    let count = |s: Status| issues.iter().filter(|i| i.status == s).count();
    let report = Report {
        zhiban: env!("CARGO_PKG_VERSION"),
        shard: format!("{shard}/{of}"),
        jobs,
        built: count(Status::Built),
        skipped: count(Status::Skipped),
        failed: count(Status::Failed),
        seconds: started.elapsed().as_secs_f64(),
        issues,
    };
    stderr!("{}", summary(&report));
    if let Some(path) = &args.report {
        let json = match serde_json::to_vec_pretty(&report) {
            Ok(j) => j,
            Err(e) => {
                stderrln!("error: cannot write the report: {e}");
                return EXIT_IO;
            }
        };
        if let Err(e) = super::output::write_atomic(path, &json, Sync::from_flag(args.fsync)) {
            stderrln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_IO;
        }
    }
    if report.failed > 0 { EXIT_INPUT } else { EXIT_OK }
}

/// The result of one issue.
struct Outcome {
    status: Status,
    outputs: Vec<String>,
    pages: usize,
    code: i32,
    error: Option<String>,
}

impl Outcome {
    fn failed(code: i32, log: String) -> Self {
        Outcome {
            status: Status::Failed,
            outputs: Vec::new(),
            pages: 0,
            code,
            error: Some(log),
        }
    }
}

/// Build one issue into `dir`, or skip it when its inputs are unchanged.
fn build_one(
    args: &Args,
    shared: &Shared,
    digests: &Mutex<HashMap<String, String>>,
    file: &Path,
    dir: &Path,
    stem: &str,
    timestamp: Option<Timestamp>,
) -> Outcome {
    let stamp = dir.join(format!(".{stem}.{STAMP_EXTENSION}"));
    let mut log = String::new();
    if let Err(message) = products::check_stem(stem) {
        let _ = writeln!(log, "{message}");
        return Outcome::failed(EXIT_INPUT, log);
    }
    let hash = if args.skip_unchanged {
        match input_hash(args, shared, digests, file, &mut log) {
            Ok(h) => Some(h),
            Err(code) => return Outcome::failed(code, log),
        }
    } else {
        None
    };
    if let Some(h) = &hash
        && std::fs::read_to_string(&stamp).is_ok_and(|old| old.trim() == h)
        && ["pdf", "epub"]
            .iter()
            .all(|ext| dir.join(format!("{stem}.{ext}")).is_file())
        && dir.join(format!("{stem}.bag")).is_dir()
    {
        return Outcome {
            status: Status::Skipped,
            outputs: Vec::new(),
            pages: 0,
            code: EXIT_OK,
            error: None,
        };
    }
    let prepared = match prepare_with(file, &args.layout, shared, &mut log) {
        Ok(p) => p,
        Err(code) => return Outcome::failed(code, log),
    };
    let outputs = match products::make_and_write(
        &prepared,
        &Products::all(timestamp),
        dir,
        stem,
        Sync::from_flag(args.fsync),
        &mut log,
    ) {
        Ok(o) => o,
        Err(code) => return Outcome::failed(code, log),
    };
    if let Some(h) = &hash
        && let Err(e) = super::output::write_atomic(&stamp, format!("{h}\n").as_bytes(), Sync::from_flag(args.fsync))
    {
        let _ = writeln!(log, "error: cannot write `{}`: {e}", stamp.display());
        return Outcome::failed(EXIT_IO, log);
    }
    Outcome {
        status: Status::Built,
        outputs: outputs.iter().map(|p| p.display().to_string()).collect(),
        pages: prepared.pages.len(),
        code: EXIT_OK,
        error: None,
    }
}

/// SHA-256 over everything an issue's products depend on: zhiban's version, the markup, the
/// layout (name, and text when it is a file), the layout's font files and the photos' bytes.
fn input_hash(
    args: &Args,
    shared: &Shared,
    digests: &Mutex<HashMap<String, String>>,
    file: &Path,
    log: &mut String,
) -> Result<String, i32> {
    let source = read_source(file).map_err(|e| {
        let (ReadError::Io(msg) | ReadError::Encoding(msg)) = e;
        let _ = writeln!(log, "error: {msg}");
        EXIT_IO
    })?;
    let mut h = Sha256::new();
    let mut part = |label: &str, bytes: &[u8]| {
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part("zhiban", env!("CARGO_PKG_VERSION").as_bytes());
    part("markup", source.text.as_bytes());
    let parsed = source.parse();
    let name = args
        .layout
        .layout
        .clone()
        .or_else(|| parsed.bulletin.meta.layout.clone())
        .unwrap_or_else(|| "tabloid".into());
    part("layout", name.as_bytes());
    if !zhiban::layout::spec::Layout::is_builtin(&name)
        && let Ok((_, text)) = read_bytes(Path::new(&name), &super::pipeline::LAYOUT_LIMIT)
    {
        part("layout file", &text);
    }
    part("fonts", font_digest(shared, digests, &name, log)?.as_bytes());
    let base = source.base_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let options = args.layout.load_options();
    // Photos that cannot be read make the build fail anyway; the hash then only has to differ.
    if let Ok(media) = zhiban::media::load_media(&parsed.bulletin, &base, &options) {
        for (src, m) in media.iter() {
            part(src, &m.bytes);
        }
    }
    Ok(hex(&h.finalize()))
}

/// SHA-256 of the font files of layout `name`, computed once per process.
fn font_digest(
    shared: &Shared,
    digests: &Mutex<HashMap<String, String>>,
    name: &str,
    log: &mut String,
) -> Result<String, i32> {
    let mut digests = digests.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = digests.get(name) {
        return Ok(d.clone());
    }
    let (_, book) = shared.layout(name, log)?;
    let mut h = Sha256::new();
    for face in book.fonts() {
        h.update((face.data.len() as u64).to_le_bytes());
        h.update(&face.data[..]);
        h.update(face.index.to_le_bytes());
    }
    let d = hex(&h.finalize());
    digests.insert(name.to_string(), d.clone());
    Ok(d)
}

/// Largest manifest read: 16 MiB is a few hundred thousand paths.
const MANIFEST_LIMIT: Limit = Limit {
    max: 16 * 1024 * 1024,
    noun: "manifests",
    advice: "split it into several manifests",
};

/// The markup files named by `input` and the folder their output paths are relative to.
fn list_inputs(input: &Path) -> Result<(PathBuf, Vec<PathBuf>), String> {
    if input.is_dir() {
        let mut found = Vec::new();
        walk(input, &mut found).map_err(|e| format!("cannot read the folder `{}`: {e}", input.display()))?;
        return Ok((input.to_path_buf(), found));
    }
    let (_, bytes) = read_bytes(input, &MANIFEST_LIMIT).map_err(|(ReadError::Io(m) | ReadError::Encoding(m))| m)?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: the manifest is not valid UTF-8", input.display()))?;
    let base = input.parent().map(Path::to_path_buf).unwrap_or_default();
    let files = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| base.join(l))
        .collect();
    Ok((base, files))
}

/// One issue to build: the markup file as the folder or manifest named it, and where its outputs go.
struct Job {
    /// The markup file, as listed (shown in the summary and the report).
    file: PathBuf,
    /// Its output folder relative to OUT.
    rel: PathBuf,
    /// The name of its outputs: `<stem>.pdf`, `<stem>.epub`, `<stem>.bag`.
    stem: String,
}

/// The name of the outputs of `file`: its file name without `.zb`.
fn stem_of(file: &Path) -> String {
    file.file_stem()
        .map_or_else(|| "issue".to_string(), |s| s.to_string_lossy().into_owned())
}

/// `path` with links, `.` and `..` resolved; for a file that does not exist, its folder resolved
/// and its name kept (the build then fails on it), and `path` itself when neither exists.
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// The inputs (sorted) with each file once, identified by its real path (`a.zb`, `sub/../a.zb`
/// and a link to `a.zb` are one issue): two jobs on one file would share temporary names. Of
/// the spellings of one file the shortest is kept (the first in sorted order among equals),
/// and each one dropped is noted.
fn unique_inputs(inputs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut kept: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut dropped = Vec::new();
    for file in inputs {
        let real = real_path(&file);
        match kept.get_mut(&real) {
            Some(first) if first.as_os_str().len() <= file.as_os_str().len() => dropped.push((file, real)),
            Some(first) => dropped.push((std::mem::replace(first, file), real)),
            None => {
                kept.insert(real, file);
            }
        }
    }
    for (file, real) in &dropped {
        if let Some(first) = kept.get(real)
            && first != file
        {
            stderrln!(
                "note: `{}` is `{}` again (the same file); it is built once",
                file.display(),
                first.display()
            );
        }
    }
    let mut out: Vec<PathBuf> = kept.into_values().collect();
    out.sort();
    out
}

/// Each input with its output folder: the folder of `file` relative to `base` (both resolved),
/// empty (OUT itself) for a file outside `base` (a manifest may name `../x.zb` or an absolute
/// path), so that outputs never land outside OUT.
fn plan_jobs(base: &Path, inputs: Vec<PathBuf>) -> Vec<Job> {
    let base = real_path(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    });
    inputs
        .into_iter()
        .map(|file| {
            // The folder the listing names, resolved; a link to a file keeps its own folder.
            let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
            let dir = real_path(parent.unwrap_or(Path::new(".")));
            let rel = dir
                .strip_prefix(&base)
                .ok()
                .filter(|rel| rel.components().all(|c| matches!(c, std::path::Component::Normal(_))))
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let stem = stem_of(&file);
            Job { file, rel, stem }
        })
        .collect()
}

/// Every pair of jobs whose outputs would land on each other: the same folder and stem (two
/// `a.zb` from different folders outside the base), or one issue's outputs inside another's
/// bag (`x.zb` beside a folder `x.bag/`). Found before any build, so that nothing is mixed.
fn clashes(jobs: &[Job], out: &Path) -> Vec<String> {
    let mut products: HashMap<PathBuf, usize> = HashMap::new();
    let mut found = Vec::new();
    for (k, job) in jobs.iter().enumerate() {
        for ext in ["pdf", "epub", "bag"] {
            let path = job.rel.join(format!("{}.{ext}", job.stem));
            if let Some(&other) = products.get(&path) {
                // The three products of one folder and stem clash together: one message, at the PDF.
                if ext == "pdf" {
                    found.push((other, k, path));
                }
            } else {
                products.insert(path, k);
            }
        }
    }
    for (k, job) in jobs.iter().enumerate() {
        for folder in job.rel.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            if let Some(&other) = products.get(folder) {
                found.push((other, k, folder.to_path_buf()));
            }
        }
    }
    found
        .into_iter()
        .map(|(a, b, path)| {
            let (Some(a), Some(b)) = (jobs.get(a), jobs.get(b)) else {
                return String::new();
            };
            format!(
                "`{}` and `{}` would both write `{}`",
                a.file.display(),
                b.file.display(),
                out.join(path).display()
            )
        })
        .collect()
}

/// Every `.zb` file below `dir`, skipping hidden entries.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == MARKUP_EXTENSION) {
            out.push(path);
        }
    }
    Ok(())
}

/// The table printed at the end: every issue (or only failures past [`MAX_LISTED`]) and totals.
fn summary(report: &Report) -> String {
    let mut out = String::new();
    let listed: Vec<&IssueReport> = if report.issues.len() <= MAX_LISTED {
        report.issues.iter().collect()
    } else {
        report.issues.iter().filter(|i| i.status == Status::Failed).collect()
    };
    if !listed.is_empty() {
        let width = listed.iter().map(|i| i.input.chars().count()).max().unwrap_or(5).max(5);
        let _ = writeln!(
            out,
            "{:<width$}  {:<7}  {:>5}  {:>8}  note",
            "issue", "status", "pages", "seconds"
        );
        for i in &listed {
            let status = match i.status {
                Status::Built => "built",
                Status::Skipped => "skipped",
                Status::Failed => "FAILED",
            };
            let note = i
                .error
                .as_deref()
                .and_then(|e| e.lines().find(|l| l.starts_with("error")))
                .unwrap_or("");
            let _ = writeln!(
                out,
                "{:<width$}  {status:<7}  {:>5}  {:>8.3}  {note}",
                i.input, i.pages, i.seconds
            );
        }
    }
    let _ = writeln!(
        out,
        "{} issue(s): {} built, {} skipped, {} failed in {:.2} s ({} job(s), shard {})",
        report.issues.len(),
        report.built,
        report.skipped,
        report.failed,
        report.seconds,
        report.jobs,
        report.shard
    );
    out
}

/// Lower-case hexadecimal of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
