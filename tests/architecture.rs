//! The crate's layering rules, checked on its own source: no module imports one that imports it
//! back (directly or round a longer loop), and only the command line (`src/cli/`, `src/main.rs`)
//! prints, reads the environment or exits.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    support::tree(dir)
        .into_keys()
        .filter(|rel| rel.ends_with(".rs"))
        .map(|rel| dir.join(rel))
        .collect()
}

/// The module path of a source file: `src/layout/flow/mod.rs` → `crate::layout::flow`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    std::iter::once("crate".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

/// The code of a file without comments and without its `#[cfg(test)] mod tests` (unit tests may
/// reach anywhere).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file's code names that start with `crate::` or `super::`, as written (`use`
/// groups flattened one level: `use super::{a, b::C}` gives `super::a` and `super::b::C`).
fn named_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::"]
            .iter()
            .any(|p| bytes[i..].iter().take(p.len()).copied().eq(p.chars()));
        let boundary = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_' || bytes[j] == ':') {
            j += 1;
        }
        let head: String = bytes[i..j].iter().collect();
        if j < bytes.len() && bytes[j] == '{' && head.ends_with("::") {
            let close = bytes[j..].iter().position(|&c| c == '}').map_or(bytes.len(), |k| j + k);
            let group: String = bytes[j + 1..close].iter().collect();
            for item in group.split(',') {
                let item = item.split_whitespace().next().unwrap_or("");
                if !item.is_empty() {
                    out.push(format!("{head}{item}"));
                }
            }
            i = close;
        } else {
            out.push(head.trim_end_matches(':').to_string());
            i = j;
        }
    }
    out
}

/// The module a path names, among `modules`, seen from module `from`: the longest module prefix.
fn target(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    let mut base: Vec<&str> = from.split("::").collect();
    if parts.first() == Some(&"crate") {
        base = vec!["crate"];
        parts.remove(0);
    } else {
        while parts.first() == Some(&"super") {
            base.pop();
            parts.remove(0);
        }
    }
    let mut best = None;
    let mut cand = base.join("::");
    if modules.contains(&cand) {
        best = Some(cand.clone());
    }
    for p in parts {
        cand = format!("{cand}::{p}");
        if modules.contains(&cand) {
            best = Some(cand.clone());
        }
    }
    best
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let m = module_of(&src, f);
        let code = code_of(&std::fs::read_to_string(f).expect("read"));
        for path in named_paths(&code) {
            if let Some(t) = target(&m, &path, &modules) {
                // A module's own parents are where it lives, not what it imports.
                if t != m && !m.starts_with(&format!("{t}::")) {
                    edges.entry(m.clone()).or_default().insert(t);
                }
            }
        }
    }
    assert!(edges.len() > 40, "the walk found the crate's imports: {}", edges.len());
    // Depth-first search for a back edge; the first cycle found is reported whole.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for t in edges.get(m).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == t).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(t.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(t, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in &modules {
        if state.get(m.as_str()).copied().unwrap_or(0) == 0
            && let Some(cycle) = visit(m, &edges, &mut state, &mut Vec::new())
        {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn only_the_command_line_prints_reads_the_environment_or_exits() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let forbidden = [
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
        "std::env::var",
        "env::var_os",
        "std::process::exit",
    ];
    let mut found = Vec::new();
    let mut checked = 0;
    for f in rust_files(&src) {
        let rel = f.strip_prefix(&src).expect("under src");
        if rel.starts_with("cli") || rel == Path::new("main.rs") {
            continue;
        }
        checked += 1;
        let code = code_of(&std::fs::read_to_string(&f).expect("read"));
        for (n, line) in code.lines().enumerate() {
            for word in forbidden {
                if line.contains(word) {
                    found.push(format!("src/{}:{}: {word}", rel.display(), n + 1));
                }
            }
        }
    }
    assert!(checked > 50, "library files checked: {checked}");
    assert!(
        found.is_empty(),
        "library code that only cli/ may have:\n{}",
        found.join("\n")
    );
}

/// The checks above can fail: a made-up pair of modules that import each other is a cycle.
#[test]
fn the_cycle_walk_sees_a_cycle() {
    let modules: BTreeSet<String> = ["crate::a", "crate::b"].iter().map(|s| s.to_string()).collect();
    let code_a = code_of("use super::b::Thing;\n// use super::c;\n");
    let paths = named_paths(&code_a);
    assert_eq!(paths, vec!["super::b::Thing".to_string()]);
    assert_eq!(target("crate::a", &paths[0], &modules), Some("crate::b".to_string()));
    let grouped = named_paths("use crate::{a, b::X};");
    assert_eq!(grouped, vec!["crate::a".to_string(), "crate::b::X".to_string()]);
}
