//! `zhiban verify-bag DIR`: checks a BagIt bag on disk and prints every problem.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zhiban::render::archive::verify_bag;

use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

/// Arguments of `zhiban verify-bag`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The bag's folder (the one holding `bagit.txt` and `data/`).
    dir: PathBuf,
}

/// Reads every file under `root` into memory, keyed by `/`-separated relative path.
fn read_tree(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .map_err(|_| format!("`{}` is outside the bag", path.display()))?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            files.insert(rel.join("/"), bytes);
        }
    }
    Ok(files)
}

/// Verify the bag; exit 0 when valid, 1 when not, 3 when it cannot be read.
pub(crate) fn execute(args: &Args) -> i32 {
    if !args.dir.is_dir() {
        stderrln!("error: `{}` is not a folder", args.dir.display());
        return EXIT_IO;
    }
    let files = match read_tree(&args.dir) {
        Ok(f) => f,
        Err(e) => {
            stderrln!("error: {e}");
            return EXIT_IO;
        }
    };
    let problems = verify_bag(&files);
    let name = args.dir.display();
    if problems.is_empty() {
        let payload: Vec<usize> = files
            .iter()
            .filter(|(p, _)| p.starts_with("data/"))
            .map(|(_, b)| b.len())
            .collect();
        stdoutln!(
            "{name}: valid bag, {} payload files, {} bytes",
            payload.len(),
            payload.iter().sum::<usize>()
        );
        EXIT_OK
    } else {
        for p in &problems {
            stdoutln!("{name}/{p}");
        }
        stdoutln!("{name}: not a valid bag, {} problem(s)", problems.len());
        EXIT_INPUT
    }
}
