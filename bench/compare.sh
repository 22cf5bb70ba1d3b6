#!/usr/bin/env bash
# Times `zhiban build` of the sample issue beside Typst (the `typst` CLI, else PyPI's `typst`
# module) compiling bench/seed.typ with the same fonts, and Pandoc writing an EPUB and JATS of
# the same text, when they are installed; prints medians and ratios measured in this one run.
# The first row is the whole build (PDF, EPUB and archive); its size column sums PDF and EPUB.
#
# Usage: bench/compare.sh [RUNS]   (default 5; needs a release build: cargo build --release)
# Whole-process wall times on a shared machine are noisy: the user+sys CPU time is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
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

# median_ms CMD...: runs CMD $RUNS times (after one warm-up), prints "wall_ms cpu_ms peak_kb".
median_ms() {
    "$@" >/dev/null 2>&1 || return 1
    local walls=() cpus=() peaks=()
    for _ in $(seq "$RUNS"); do
        local line
        /usr/bin/time -o "$OUT/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1
        line=$(tail -1 "$OUT/time")
        read -r e u s m <<<"$line"
        walls+=("$(awk -v e="$e" 'BEGIN{printf "%.1f", e*1000}')")
        cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.1f", (u+s)*1000}')")
        peaks+=("$m")
    done
    local mid=$(( (RUNS + 1) / 2 ))
    echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") \
$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p") \
$(printf '%s\n' "${peaks[@]}" | sort -n | sed -n "${mid}p")"
}

row() { printf '%-34s %9s %9s %9s %10s\n' "$@"; }
row "command" "wall ms" "cpu ms" "peak KB" "output B"

read -r zw zc zm < <(median_ms "$ZHIBAN" build "$SAMPLE" -o "$OUT/z")
zsize=$(cat "$OUT"/z/*.pdf "$OUT"/z/*.epub | wc -c)
row "zhiban build (PDF+EPUB+bag)" "$zw" "$zc" "$zm" "$zsize"
read -r pw pc pm < <(median_ms "$ZHIBAN" build "$SAMPLE" --pdf -o "$OUT/zp")
psize=$(wc -c <"$OUT"/zp/*.pdf)
row "zhiban build --pdf" "$pw" "$pc" "$pm" "$psize"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }'; }

if command -v typst >/dev/null 2>&1; then
    read -r tw tc tm < <(median_ms typst compile --font-path "$OUT/fonts" bench/seed.typ "$OUT/t.pdf")
    label="typst compile (CLI)"
elif python3 -c "import typst" >/dev/null 2>&1; then
    read -r tw tc tm < <(median_ms python3 -c \
        "import typst; typst.compile('bench/seed.typ', output='$OUT/t.pdf', font_paths=['$OUT/fonts'])")
    label="typst (PyPI, incl. python)"
fi
if [ -n "${tw:-}" ]; then
    row "$label" "$tw" "$tc" "$tm" "$(wc -c <"$OUT/t.pdf")"
    echo "  zhiban --pdf / typst: wall $(ratio "$pw" "$tw")x, cpu $(ratio "$pc" "$tc")x (target ≤ 0.10x)"
else
    echo "  typst: not installed (pip install typst), skipped"
fi

if command -v pandoc >/dev/null 2>&1; then
    sed '1,/^+++$/{/^+++$/!d};/^+++$/d' "$SAMPLE" >"$OUT/seed.md"
    read -r ew ec em < <(median_ms pandoc "$OUT/seed.md" -o "$OUT/p.epub")
    row "pandoc → EPUB" "$ew" "$ec" "$em" "$(wc -c <"$OUT/p.epub")"
    read -r jw jc jm < <(median_ms pandoc "$OUT/seed.md" -t jats -o "$OUT/p.xml")
    row "pandoc → JATS" "$jw" "$jc" "$jm" "$(wc -c <"$OUT/p.xml")"
    echo "  zhiban (all three) / pandoc EPUB: wall $(ratio "$zw" "$ew")x"
else
    echo "  pandoc: not installed, skipped"
fi
