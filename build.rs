//! Build script: compiles the word list of `src/layout/dict/words.txt` into an fst map for the
//! headline segmenter, so that the binary carries the dictionary ready to search.

use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = "src/layout/dict/words.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = std::fs::read_to_string(source)?;
    let mut map = fst::MapBuilder::memory();
    for (n, line) in text.lines().enumerate() {
        let (word, cost) = line
            .split_once(' ')
            .ok_or_else(|| format!("{source}:{}: expected `WORD COST`", n + 1))?;
        map.insert(word, cost.parse::<u64>()?)?;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("words.fst");
    std::fs::File::create(out)?.write_all(&map.into_inner()?)?;
    Ok(())
}
