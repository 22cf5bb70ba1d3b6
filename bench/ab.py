#!/usr/bin/env python3
"""Compare zhiban binaries on the sample, interleaved: each round runs every binary once, in turn,
so that a machine that slows down or speeds up during the measurement affects all of them alike.

    bench/ab.py RUNS BINARY [BINARY ...]

A BINARY may be written `NAME=VALUE@BINARY` to run it with that environment variable set (e.g.
`GLIBC_TUNABLES=glibc.malloc.hugetlb=1@target/release/zhiban`); the same binary may then appear
more than once.

Prints, per binary, the median and fastest wall time of `build` and the median CPU time (user +
system of the process). Extra arguments for `build` (e.g. `--pdf`) go in the ZARGS environment
variable. Three warm-up rounds are not counted. Run from the repository's top folder.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

SAMPLE = "input/shifanqu-2020-12-28.zb"
WARMUP = 3


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = int(sys.argv[1])
    binaries = sys.argv[2:]
    extra = os.environ.get("ZARGS", "").split()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1609113600")
    wall = {b: [] for b in binaries}
    cpu = {b: [] for b in binaries}
    with tempfile.TemporaryDirectory() as out:
        for round_ in range(runs + WARMUP):
            for k, spec in enumerate(binaries):
                binary, own_env = split_spec(spec, env)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(
                    [binary, "build", SAMPLE, "-o", os.path.join(out, str(k)), *extra],
                    env=own_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                elapsed = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if round_ >= WARMUP:
                    wall[spec].append(elapsed * 1000)
                    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    cpu[spec].append(used * 1000)
    for binary in binaries:
        w = wall[binary]
        print(
            f"{binary}: median {statistics.median(w):.1f} ms, fastest {min(w):.1f} ms, "
            f"CPU {statistics.median(cpu[binary]):.1f} ms ({runs} rounds)"
        )
    return 0


def split_spec(spec, env):
    """`NAME=VALUE@BINARY` as the binary and its environment; a plain binary gets `env`."""
    setting, at, binary = spec.rpartition("@")
    if not at or "=" not in setting:
        return spec, env
    name, _, value = setting.partition("=")
    return binary, dict(env, **{name: value})


if __name__ == "__main__":
    sys.exit(main())
