#!/usr/bin/env bash
# Unpack an EPUB and screenshot one of its documents with headless Chromium, as a phone-sized
# reading window would show it.
#   scripts/epub-screenshot.sh FILE.epub [DOCUMENT] [OUT.png] [WIDTHxHEIGHT]
# DOCUMENT is a path inside the package folder (default: edition-01.xhtml); OUT defaults to
# ./epub-screenshot.png; the window defaults to 480x900. Needs chromium and unzip; shows
# Chinese only if a CJK font is installed (Debian: apt-get install fonts-noto-cjk).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 FILE.epub [DOCUMENT] [OUT.png] [WIDTHxHEIGHT]" >&2; exit 2; }
epub=$1
doc=${2:-edition-01.xhtml}
out=${3:-epub-screenshot.png}
size=${4:-480x900}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "$0: chromium not found" >&2; exit 2; }
command -v unzip >/dev/null || { echo "$0: unzip not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q "$epub" -d "$work/book"
# The package folder is named by META-INF/container.xml's rootfile.
opf=$(sed -n 's/.*full-path="\([^"]*\)".*/\1/p' "$work/book/META-INF/container.xml" | head -n1)
root="$work/book/$(dirname "$opf")"
[ -f "$root/$doc" ] || { echo "$0: $doc is not in the EPUB (have: $(cd "$root" && ls *.xhtml | tr '\n' ' '))" >&2; exit 1; }
case $out in /*) ;; *) out="$PWD/$out" ;; esac

"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run \
  --user-data-dir="$work/profile" --hide-scrollbars \
  --screenshot="$out" --window-size="${size/x/,}" "file://$root/$doc" >/dev/null 2>&1
echo "$out"
