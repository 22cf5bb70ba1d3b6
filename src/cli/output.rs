//! Writing output files and folders atomically: written under a temporary name beside the target, renamed into place.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` so that readers see either the old file or the whole new one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.zhiban-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write a folder of files (`/`-separated relative paths) to `path` so that readers see either
/// the old folder or the whole new one: everything goes into a temporary sibling folder, which
/// is renamed into place; an older folder is moved aside first and removed only afterwards.
pub(crate) fn write_dir_atomic(path: &Path, files: &[(&str, &[u8])]) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.zhiban-tmp-{pid}"));
    let old = parent.join(format!(".{name}.zhiban-old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    let written = (|| {
        std::fs::create_dir_all(&tmp)?;
        for (rel, bytes) in files {
            if rel.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("`{rel}` is not a plain relative path"),
                ));
            }
            let file = tmp.join(rel);
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = std::fs::File::create(&file)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let had_old = path.exists();
    if had_old && let Err(e) = std::fs::rename(path, &old) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        // Put the old folder back so that nothing is lost.
        if had_old {
            let _ = std::fs::rename(&old, path);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}
