#!/usr/bin/env bash
# Times `zhiban build` of the sample issue beside Typst (the `typst` CLI, else PyPI's `typst`
# module) compiling bench/seed.typ with the same fonts, and Pandoc writing an EPUB and JATS of
# the same text, when they are installed; prints medians and ratios measured in this one run.
# The commands run interleaved, round by round (one of each in turn), so that a machine that
# slows down or speeds up during the run affects them all alike; each process's wall time,
# CPU time and peak memory come from its own wait4 rusage.
# The first row is the whole build (PDF, EPUB and archive); its size column sums PDF and EPUB.
#
# Usage: bench/compare.sh [RUNS]   (default 15; needs a release build: cargo build --release)
# Typst: the CLI (cargo install typst-cli) is timed twice, as it runs by default, reading the
# machine's fonts as well, and with --ignore-system-fonts; PyPI's module only when there is no CLI.
# Whole-process wall times on a shared machine are noisy: the user+sys CPU time is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-15}
ZHIBAN=${ZHIBAN:-target/release/zhiban}
SAMPLE=input/shifanqu-2020-12-28.zb
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export SOURCE_DATE_EPOCH=1609113600

[ -x "$ZHIBAN" ] || { echo "no $ZHIBAN: run cargo build --release first" >&2; exit 2; }
# Typst gets the two fonts the sample is set in, not the rare-character fallback (30 MB) that
# zhiban maps but never reads for this issue: Typst scans every font file it is given.
mkdir -p "$OUT/fonts"
ln -s "$PWD/fonts/NotoSerifSC-Regular.ttf" "$PWD/fonts/NotoSansSC-Bold.ttf" "$OUT/fonts/"

# Each row: label, output file (its size is shown), command. Typst and Pandoc only when present.
ROWS=$OUT/rows
: >"$ROWS"
add() { printf '%s\t%s' "$1" "$2" >>"$ROWS"; shift 2; printf '\t%s' "$@" >>"$ROWS"; echo >>"$ROWS"; }
add "zhiban build (PDF+EPUB+bag)" "$OUT/z" "$ZHIBAN" build "$SAMPLE" -o "$OUT/z"
add "zhiban build --pdf" "$OUT/zp" "$ZHIBAN" build "$SAMPLE" --pdf -o "$OUT/zp"
if command -v typst >/dev/null 2>&1; then
    # As Typst runs by default (it also reads the machine's own fonts), and with only the two
    # fonts given, its fastest setting.
    add "typst compile (CLI)" "$OUT/t.pdf" typst compile --font-path "$OUT/fonts" bench/seed.typ "$OUT/t.pdf"
    add "typst compile (CLI, no sys fonts)" "$OUT/t2.pdf" typst compile --ignore-system-fonts \
        --font-path "$OUT/fonts" bench/seed.typ "$OUT/t2.pdf"
elif python3 -c "import typst" >/dev/null 2>&1; then
    add "typst (PyPI, incl. python)" "$OUT/t.pdf" python3 -c \
        "import typst; typst.compile('bench/seed.typ', output='$OUT/t.pdf', font_paths=['$OUT/fonts'])"
else
    echo "typst: not installed (pip install typst), skipped"
fi
if command -v pandoc >/dev/null 2>&1; then
    sed '1,/^+++$/{/^+++$/!d};/^+++$/d' "$SAMPLE" >"$OUT/seed.md"
    add "pandoc → EPUB" "$OUT/p.epub" pandoc "$OUT/seed.md" -o "$OUT/p.epub"
    add "pandoc → JATS" "$OUT/p.xml" pandoc "$OUT/seed.md" -t jats -o "$OUT/p.xml"
else
    echo "pandoc: not installed, skipped"
fi

RUNS=$RUNS python3 - "$ROWS" <<'PY'
import os, statistics, sys, time

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
runs = int(os.environ["RUNS"])
devnull = os.open(os.devnull, os.O_WRONLY)

def once(argv):
    """Wall ms, CPU ms (user + system) and peak KB of one run of argv."""
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss

def size(path):
    if os.path.isdir(path):
        # A build's folder: the PDF and EPUB (the bag holds copies of both).
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
                   if f.endswith((".pdf", ".epub")))
    return os.path.getsize(path)

for _, _, *argv in rows:  # one warm-up round
    once(argv)
samples = [[] for _ in rows]
for _ in range(runs):
    for k, (_, _, *argv) in enumerate(rows):
        samples[k].append(once(argv))
med = [tuple(statistics.median(s[i] for s in ss) for i in range(3)) for ss in samples]
print(f"{'command':34} {'wall ms':>9} {'min ms':>9} {'cpu ms':>9} {'peak KB':>9} {'output B':>10}")
for (label, out, *_), m, ss in zip(rows, med, samples):
    print(f"{label:34} {m[0]:9.1f} {min(s[0] for s in ss):9.1f} {m[1]:9.1f} {m[2]:9.0f} {size(out):10}")
by = {label: m for (label, *_), m in zip(rows, med)}
pdf = by.get("zhiban build --pdf")
for label, m in by.items():
    if label.startswith("typst") and pdf:
        every = by["zhiban build (PDF+EPUB+bag)"]
        print(f"  {label}: zhiban --pdf / typst: wall {pdf[0] / m[0]:.3f}x, cpu {pdf[1] / m[1]:.3f}x;"
              f" all three / typst: wall {every[0] / m[0]:.3f}x")
    if label == "pandoc → EPUB":
        print(f"  zhiban (all three) / pandoc EPUB: wall {by['zhiban build (PDF+EPUB+bag)'][0] / m[0]:.2f}x")
print(f"  medians of {runs} interleaved rounds")
PY
