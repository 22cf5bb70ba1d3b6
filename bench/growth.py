#!/usr/bin/env python3
"""How a whole `zhiban build` (PDF, EPUB and archive) grows with the issue: issues of 1, 2, 4, 8,
16 and 32 editions made from the sample's two editions in turn (renumbered 第一版, 第二版, …, as
`cargo bench --bench stages -- scaling` makes them), each built as a separate process.

    bench/growth.py [RUNS]            (default 7; needs a release build: cargo build --release)

The builds run interleaved, one of each size per round, so that a machine that slows down or
speeds up affects every size alike. Prints, per size, the pages of the PDF, the median wall time,
the median CPU time (user + system), the peak memory and the time relative to the sample's size
(2 editions). Run from the repository's top folder; ZHIBAN names another binary.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SAMPLE = "input/shifanqu-2020-12-28.zb"
EDITIONS = [1, 2, 4, 8, 16, 32]
DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """A Chinese numeral below 100 (一, 十二, 三十二)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + ("" if ones == 0 else DIGITS[ones])


def generated(src: str, n: int) -> str:
    """The sample's front matter, then n editions: its first and second edition in turn."""
    fences = [m.start() for m in re.finditer(r"^\+\+\+$", src, re.M)]
    body_at = fences[1] + 3
    front, body = src[:body_at], src[body_at:]
    second = body.find("\n# 第二版") + 1
    editions = [body[:second], body[second:]]
    out = front
    for k in range(n):
        edition = editions[k % 2]
        start = edition.index("# 第")
        end = edition.index("版", start) + 1
        out += edition[:start] + f"# 第{numeral(k + 1)}版" + edition[end:]
        if not out.endswith("\n"):
            out += "\n"
    return out


def once(argv, env):
    """Wall ms, CPU ms and peak KB of one run of argv (its own wait4 rusage)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss


def pages(pdf: str) -> int:
    """The PDF's page count from poppler's pdfinfo, or -1 where it is not installed."""
    try:
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    except (OSError, subprocess.CalledProcessError, AttributeError):
        return -1


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    zhiban = os.path.abspath(os.environ.get("ZHIBAN", "target/release/zhiban"))
    if not os.access(zhiban, os.X_OK):
        print(f"no {zhiban}: run cargo build --release first", file=sys.stderr)
        return 2
    src = open(SAMPLE, encoding="utf-8").read()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1609113600")
    results = {n: [] for n in EDITIONS}
    with tempfile.TemporaryDirectory() as tmp:
        # Copied, not linked: zhiban refuses a photo reached through a link out of the folder.
        shutil.copytree(os.path.join(os.path.dirname(SAMPLE), "photos"), os.path.join(tmp, "photos"))
        for n in EDITIONS:
            with open(os.path.join(tmp, f"e{n}.zb"), "w", encoding="utf-8") as f:
                f.write(generated(src, n))
        argv = lambda n: [zhiban, "build", os.path.join(tmp, f"e{n}.zb"), "-o",
                          os.path.join(tmp, f"out{n}")]
        for n in EDITIONS:  # one warm-up round
            once(argv(n), env)
        for _ in range(runs):
            for n in EDITIONS:
                results[n].append(once(argv(n), env))
        base = statistics.median(w for w, _, _ in results[2])
        print(f"{'editions':>8} {'pages':>6} {'wall ms':>9} {'cpu ms':>9} {'peak KB':>9} {'× sample':>9}")
        for n in EDITIONS:
            wall = statistics.median(w for w, _, _ in results[n])
            cpu = statistics.median(c for _, c, _ in results[n])
            peak = max(p for _, _, p in results[n])
            p = pages(os.path.join(tmp, f"out{n}", f"e{n}.pdf"))
            print(f"{n:>8} {p:>6} {wall:>9.1f} {cpu:>9.1f} {peak:>9} {wall / base:>9.2f}")
    print(f"medians of {runs} interleaved rounds; whole process, all three products")
    return 0


if __name__ == "__main__":
    sys.exit(main())
