//! `zhiban verify-bag DIR`: checks a BagIt bag on disk and prints every problem.
//!
//! Files are hashed as they are read, never held whole (the tag files whose text is read aside);
//! links are not followed, so a bag cannot make the check read outside it, and FIFOs and
//! devices are not opened, so none can hang it or make it read forever.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use zhiban::render::archive::{BagEntry, BagProblem, verify_bag_entries};

use super::input::kind_of;
use super::{EXIT_INPUT, EXIT_IO, EXIT_OK};

/// Largest tag file read whole (16 MiB): a manifest line is about 150 bytes.
const MAX_TAG_BYTES: u64 = 16 * 1024 * 1024;

/// Arguments of `zhiban verify-bag`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The bag's folder (the one holding `bagit.txt` and `data/`).
    dir: PathBuf,
}

/// A bag's files as read from disk, and what was found that no bag may hold.
struct Tree {
    /// Regular files by `/`-separated relative path.
    files: BTreeMap<String, BagEntry>,
    /// Links, FIFOs, devices and sockets, each a problem; none is opened.
    refused: Vec<BagProblem>,
}

/// Hashes every regular file under `root`, keyed by `/`-separated relative path.
fn read_tree(root: &Path) -> Result<Tree, String> {
    let mut tree = Tree {
        files: BTreeMap::new(),
        refused: Vec::new(),
    };
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
            let path = entry.path();
            // The entry's own type: a link is seen as a link, not as what it points at.
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
            let rel = rel.join("/");
            if !kind.is_file() {
                tree.refused.push(BagProblem {
                    file: rel,
                    line: None,
                    message: format!(
                        "{}, not a regular file; it is not read (a bag holds regular files only)",
                        kind_of(&kind)
                    ),
                });
                continue;
            }
            let tag = reads_text(&rel);
            let file = std::fs::File::open(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let entry = if tag {
                BagEntry::read(file.take(MAX_TAG_BYTES + 1), true)
            } else {
                BagEntry::read(file, false)
            }
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            if tag && entry.len > MAX_TAG_BYTES {
                return Err(format!(
                    "`{}` is a tag file of more than {MAX_TAG_BYTES} bytes; tag files are read whole and larger ones are refused",
                    path.display()
                ));
            }
            tree.files.insert(rel, entry);
        }
    }
    Ok(tree)
}

/// Whether the checker reads the text of the file at `rel` (and so gets its bytes): the tag
/// files of RFC 8493 §2.1 and §2.2 at the bag's root; every other file is only hashed.
fn reads_text(rel: &str) -> bool {
    !rel.contains('/')
        && (rel == "bagit.txt"
            || rel == "bag-info.txt"
            || rel.starts_with("manifest-")
            || rel.starts_with("tagmanifest-"))
}

/// Verify the bag; exit 0 when valid, 1 when not, 3 when it cannot be read.
pub(crate) fn execute(args: &Args) -> i32 {
    if !args.dir.is_dir() {
        stderrln!("error: `{}` is not a folder", args.dir.display());
        return EXIT_IO;
    }
    let tree = match read_tree(&args.dir) {
        Ok(t) => t,
        Err(e) => {
            stderrln!("error: {e}");
            return EXIT_IO;
        }
    };
    let mut problems = tree.refused;
    problems.extend(verify_bag_entries(&tree.files));
    let name = args.dir.display();
    if problems.is_empty() {
        let payload: Vec<u64> = tree
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("data/"))
            .map(|(_, e)| e.len)
            .collect();
        stdoutln!(
            "{name}: valid bag, {} payload files, {} bytes",
            payload.len(),
            payload.iter().sum::<u64>()
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
