//! BagIt (RFC 8493): the tag files of a bag made here, and a checker for any bag on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use sha2::{Digest, Sha256, Sha512};

use super::{Bag, BagFile, Context, SOFTWARE, VERSION};

/// The BagIt version written (RFC 8493 is version 1.0).
const BAGIT_VERSION: &str = "1.0";
/// Payload manifests written; RFC 8493 §2.4 asks for SHA-512 by default, NDNP and
/// `sha256sum -c` for SHA-256, so both are written.
const PAYLOAD_ALGORITHMS: [Algorithm; 2] = [Algorithm::Sha256, Algorithm::Sha512];

/// A checksum algorithm a bag may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name in manifest file names (RFC 8493 §2.4).
    fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    fn from_name(name: &str) -> Option<Algorithm> {
        match name {
            "sha256" => Some(Algorithm::Sha256),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    fn hex(self, bytes: &[u8]) -> String {
        match self {
            Algorithm::Sha256 => hex(&Sha256::digest(bytes)),
            Algorithm::Sha512 => hex(&Sha512::digest(bytes)),
        }
    }
}

/// Lower-case hexadecimal of `bytes`.
fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A payload file with the checksums of its bytes, hashed once for METS and both manifests.
#[derive(Debug, Clone)]
pub(crate) struct Hashed {
    /// Path relative to `data/`, e.g. `alto/0001.xml`.
    pub(crate) path: String,
    /// The file's bytes.
    pub(crate) bytes: Vec<u8>,
    /// SHA-256, lower-case hexadecimal.
    pub(crate) sha256: String,
    /// SHA-512, lower-case hexadecimal.
    pub(crate) sha512: String,
}

impl Hashed {
    /// Hash `bytes` (the two digests side by side).
    pub(crate) fn new(path: String, bytes: Vec<u8>) -> Self {
        let (sha256, sha512) = rayon::join(|| Algorithm::Sha256.hex(&bytes), || Algorithm::Sha512.hex(&bytes));
        Hashed {
            path,
            bytes,
            sha256,
            sha512,
        }
    }

    /// This file's digest for `algorithm`.
    fn digest(&self, algorithm: Algorithm) -> &str {
        match algorithm {
            Algorithm::Sha256 => &self.sha256,
            Algorithm::Sha512 => &self.sha512,
        }
    }
}

/// A path as a manifest writes it: `%`, CR and LF percent-encoded (RFC 8493 §2.1.3).
fn encode_path(path: &str) -> String {
    path.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A manifest path read back.
fn decode_path(path: &str) -> String {
    path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
}

/// One manifest: `checksum  path` per file, sorted by path (two spaces, as `sha256sum` writes).
fn manifest(algorithm: Algorithm, files: &[BagFile]) -> Vec<u8> {
    let mut out = String::new();
    for f in files {
        let _ = writeln!(out, "{}  {}", algorithm.hex(&f.bytes), encode_path(&f.path));
    }
    out.into_bytes()
}

/// A payload manifest from the digests already computed; `files` sorted by path.
fn payload_manifest(algorithm: Algorithm, files: &[Hashed]) -> Vec<u8> {
    let mut out = String::new();
    for f in files {
        let _ = writeln!(out, "{}  data/{}", f.digest(algorithm), encode_path(&f.path));
    }
    out.into_bytes()
}

/// A `bag-info.txt` value on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a payload file (`path` relative to `data/`) sits in the bag.
pub(crate) fn payload_path(path: &str) -> String {
    format!("data/{path}")
}

/// Wraps the payload (sorted by path) into a bag: `bagit.txt`, `bag-info.txt`, payload and tag
/// manifests.
pub(crate) fn make_bag(cx: &Context<'_>, payload: Vec<Hashed>) -> Bag {
    let m = &cx.bulletin.meta;
    let bagit = format!("BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n");
    let octets: usize = payload.iter().map(|f| f.bytes.len()).sum();
    let organization = m.publisher.as_deref().unwrap_or(&m.publication);
    let mut description = format!("{} {}", m.publication, m.date);
    if let Some(n) = m.issue {
        let _ = write!(description, " 第{n}期");
    }
    description.push_str(": print PDF, METS with MODS, ALTO 4.4 per page");
    if payload.iter().any(|f| f.path.ends_with(".epub")) {
        description.push_str(", EPUB");
    }
    if !cx.photos.is_empty() {
        description.push_str(", photos");
    }
    let info = format!(
        "Source-Organization: {}\nBagging-Date: {}\nPayload-Oxum: {}.{}\nExternal-Identifier: {}\nExternal-Description: {}\nBag-Software-Agent: {SOFTWARE} {VERSION}\n",
        one_line(organization),
        cx.stamp.date,
        octets,
        payload.len(),
        one_line(&cx.object_id),
        one_line(&description),
    );
    let mut tags = vec![
        BagFile {
            path: "bagit.txt".into(),
            bytes: bagit.into_bytes(),
        },
        BagFile {
            path: "bag-info.txt".into(),
            bytes: info.into_bytes(),
        },
    ];
    // Every payload file was hashed once, when it joined the payload.
    tags.extend(PAYLOAD_ALGORITHMS.iter().map(|&algorithm| BagFile {
        path: format!("manifest-{}.txt", algorithm.name()),
        bytes: payload_manifest(algorithm, &payload),
    }));
    let mut sorted = tags.clone();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    tags.push(BagFile {
        path: "tagmanifest-sha256.txt".into(),
        bytes: manifest(Algorithm::Sha256, &sorted),
    });
    tags.extend(payload.into_iter().map(|f| BagFile {
        path: payload_path(&f.path),
        bytes: f.bytes,
    }));
    Bag { files: tags }
}

/// Something wrong with a bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagProblem {
    /// The file the problem is in or about, relative to the bag's root.
    pub file: String,
    /// The line of that file, from 1, when the problem is on one line.
    pub line: Option<usize>,
    /// What is wrong: lowercase, no final period.
    pub message: String,
}

impl std::fmt::Display for BagProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// One file of a bag as the checker needs it: its length and checksums, and its bytes only when
/// its text is read (tag files), so that a bag on disk is hashed as it is read, never held whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagEntry {
    /// Size in bytes.
    pub len: u64,
    /// SHA-256, lower-case hexadecimal.
    pub sha256: String,
    /// SHA-512, lower-case hexadecimal.
    pub sha512: String,
    /// The bytes, kept for the tag files whose text the checker reads; `None` for the others.
    pub bytes: Option<Vec<u8>>,
}

impl BagEntry {
    /// Hash everything `reader` gives, in pieces, keeping the bytes when `keep` is set.
    pub fn read(mut reader: impl std::io::Read, keep: bool) -> std::io::Result<BagEntry> {
        /// Bytes hashed at a time.
        const CHUNK: usize = 64 * 1024;
        let (mut sha256, mut sha512) = (Sha256::new(), Sha512::new());
        let mut kept = Vec::new();
        let mut buf = vec![0; CHUNK];
        let mut len = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let piece = buf.get(..n).unwrap_or_default();
            sha256.update(piece);
            sha512.update(piece);
            if keep {
                kept.extend_from_slice(piece);
            }
            len += n as u64;
        }
        Ok(BagEntry {
            len,
            sha256: hex(&sha256.finalize()),
            sha512: hex(&sha512.finalize()),
            bytes: keep.then_some(kept),
        })
    }

    /// The checksum by `algorithm`.
    fn sum(&self, algorithm: Algorithm) -> &str {
        match algorithm {
            Algorithm::Sha256 => &self.sha256,
            Algorithm::Sha512 => &self.sha512,
        }
    }

    /// The kept bytes as text (empty for payload).
    fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.bytes.as_deref().unwrap_or_default())
    }
}

/// Checks a bag given as its files (path relative to the root, `/`-separated → bytes); see
/// [`verify_bag_entries`].
pub fn verify_bag(files: &BTreeMap<String, Vec<u8>>) -> Vec<BagProblem> {
    let entries: BTreeMap<String, BagEntry> = files
        .iter()
        .filter_map(|(path, bytes)| {
            let entry = BagEntry::read(bytes.as_slice(), !path.starts_with("data/")).ok()?;
            Some((path.clone(), entry))
        })
        .collect();
    verify_bag_entries(&entries)
}

/// Checks a bag given as its files (path relative to the root, `/`-separated → length,
/// checksums, and the bytes of tag files) against RFC 8493: `bagit.txt`, every payload file in
/// every payload manifest with the right checksum, no manifest entry without a file, tag
/// manifests, `Payload-Oxum`. Returns every problem found.
pub fn verify_bag_entries(files: &BTreeMap<String, BagEntry>) -> Vec<BagProblem> {
    let mut problems = Vec::new();
    let mut problem = |file: &str, line: Option<usize>, message: String| {
        problems.push(BagProblem {
            file: file.to_string(),
            line,
            message,
        });
    };
    match files.get("bagit.txt").map(|e| e.text().into_owned()) {
        None => problem(
            "bagit.txt",
            None,
            "missing; every bag starts with it (RFC 8493 §2.1.1)".into(),
        ),
        Some(text) => {
            let mut lines = text.lines();
            let version = lines.next().unwrap_or("");
            if !version.starts_with("BagIt-Version: ") {
                problem(
                    "bagit.txt",
                    Some(1),
                    format!("expected `BagIt-Version: M.N`, found `{version}`"),
                );
            }
            let encoding = lines.next().unwrap_or("");
            if encoding != "Tag-File-Character-Encoding: UTF-8" {
                problem(
                    "bagit.txt",
                    Some(2),
                    format!("expected `Tag-File-Character-Encoding: UTF-8`, found `{encoding}`"),
                );
            }
        }
    }
    let payload: BTreeSet<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("data/"))
        .collect();
    let mut payload_manifests = 0;
    for (path, entry) in files {
        let (tag, rest) = if let Some(rest) = path.strip_prefix("manifest-") {
            (false, rest)
        } else if let Some(rest) = path.strip_prefix("tagmanifest-") {
            (true, rest)
        } else {
            continue;
        };
        let Some(name) = rest.strip_suffix(".txt") else {
            continue;
        };
        let Some(algorithm) = Algorithm::from_name(name) else {
            problem(
                path,
                None,
                format!("algorithm `{name}` cannot be checked here (sha256 and sha512 can)"),
            );
            continue;
        };
        if !tag {
            payload_manifests += 1;
        }
        let text = entry.text();
        let mut listed = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let Some((sum, file)) = line.split_once(char::is_whitespace) else {
                problem(path, Some(n + 1), "expected `checksum path`".into());
                continue;
            };
            let file = decode_path(file.trim_start().trim_start_matches('*'));
            if file.starts_with('/') || file.split('/').any(|c| c == ".." || c == ".") {
                problem(
                    path,
                    Some(n + 1),
                    format!("`{file}` leaves the bag or is not a plain relative path"),
                );
                continue;
            }
            if !tag && !file.starts_with("data/") {
                problem(
                    path,
                    Some(n + 1),
                    format!("`{file}` is not under data/, where payload belongs"),
                );
            }
            if tag && file.starts_with("data/") {
                problem(
                    path,
                    Some(n + 1),
                    format!("`{file}` is payload; tag manifests list tag files only"),
                );
            }
            match files.get(&file) {
                None => problem(path, Some(n + 1), format!("`{file}` is listed but missing")),
                Some(content) => {
                    let actual = content.sum(algorithm);
                    if !actual.eq_ignore_ascii_case(sum) {
                        problem(
                            path,
                            Some(n + 1),
                            format!(
                                "`{file}` has changed: {} expected {sum}, found {actual}",
                                algorithm.name()
                            ),
                        );
                    }
                }
            }
            listed.insert(file);
        }
        if !tag {
            for p in &payload {
                if !listed.contains(*p) {
                    problem(path, None, format!("payload file `{p}` is not listed"));
                }
            }
        }
    }
    if payload_manifests == 0 {
        problem(
            "manifest-sha512.txt",
            None,
            "no payload manifest; a bag needs at least one (RFC 8493 §2.1.3)".into(),
        );
    }
    if let Some(info) = files.get("bag-info.txt") {
        let text = info.text();
        if let Some((n, line)) = text.lines().enumerate().find(|(_, l)| l.starts_with("Payload-Oxum:")) {
            let octets: u64 = payload.iter().filter_map(|p| files.get(*p)).map(|e| e.len).sum();
            let want = format!("{octets}.{}", payload.len());
            let found = line.trim_start_matches("Payload-Oxum:").trim();
            if found != want {
                problem(
                    "bag-info.txt",
                    Some(n + 1),
                    format!("Payload-Oxum says {found} (bytes.files), the payload is {want}"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(bag: &[(&str, &[u8])]) -> BTreeMap<String, Vec<u8>> {
        bag.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
    }

    fn good() -> BTreeMap<String, Vec<u8>> {
        let payload = vec![BagFile {
            path: "data/a.txt".into(),
            bytes: b"hello".to_vec(),
        }];
        let mut out = files(&[
            ("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
            ("bag-info.txt", b"Payload-Oxum: 5.1\n"),
            ("data/a.txt", b"hello"),
        ]);
        out.insert("manifest-sha256.txt".into(), manifest(Algorithm::Sha256, &payload));
        out
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            Algorithm::Sha256.hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_good_bag_passes() {
        assert_eq!(verify_bag(&good()), vec![]);
    }

    #[test]
    fn changes_are_found() {
        let mut bag = good();
        bag.insert("data/a.txt".into(), b"hellO".to_vec());
        let p = verify_bag(&bag);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].message.contains("has changed"), "{}", p[0]);

        let mut bag = good();
        bag.insert("data/b.txt".into(), b"x".to_vec());
        let p = verify_bag(&bag);
        assert!(p.iter().any(|p| p.message.contains("not listed")), "{p:?}");
        assert!(p.iter().any(|p| p.message.contains("Payload-Oxum")), "{p:?}");

        let mut bag = good();
        bag.remove("data/a.txt");
        assert!(verify_bag(&bag).iter().any(|p| p.message.contains("missing")));

        let mut bag = good();
        bag.remove("bagit.txt");
        assert!(verify_bag(&bag).iter().any(|p| p.file == "bagit.txt"));
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("data/a%\nb"), "data/a%25%0Ab");
        assert_eq!(decode_path("data/a%25%0Ab"), "data/a%\nb");
    }
}
