#!/bin/bash
# SPDX-License-Identifier: MIT
# Picking ports: latency, `loopback run` overhead, and collisions against
# portpicker. Usage: bench/run-pick.sh [BUILDDIR]  (default build/bench)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
b=${1:-$top/build/bench}
[ -f "$b/build.ninja" ] || meson setup "$b" --buildtype=release >/dev/null
meson compile -C "$b" >/dev/null
export LD_LIBRARY_PATH=$b/lib
lb=$b/tools/loopback
echo "## latency (microseconds, median p99; 2000 runs)"
"$b/bench/bench-pick" 2000
echo "## the kernel settings a pick reads, alone (microseconds, median p99; 2000 runs)"
"$b/bench/bench-pick-sysctl" 2000
echo "## loopback run overhead (200 runs each, ms per run)"
/usr/bin/python3 - "$lb" <<'PY'
import subprocess, sys, time
lb = sys.argv[1]
def t(cmd, n=200):
    a = time.monotonic()
    for _ in range(n):
        subprocess.run(cmd, check=True)
    return (time.monotonic() - a) / n * 1000
base = t(["/bin/true"]); run = t([lb, "run", "--", "/bin/true"]); fds = t([lb, "run", "--listen-fds", "--", "/bin/true"])
print("true %.2f | loopback run -- true %.2f (+%.2f) | run --listen-fds %.2f (+%.2f)" % (base, run, run - base, fds, fds - base))
PY
echo "## collisions (name|processes|ports|duplicates|seconds)"
/usr/bin/python3 "$top/bench/bench-pick-collisions.py" "$b/tests/lb-pick-hold" "${P:-64}" "${K:-157}"
