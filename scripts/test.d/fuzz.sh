#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: a bounded smoke run of every libFuzzer target in tests/fuzz.
#
# A clang build with -Dfuzz=true under ASan+UBSan (findings abort), then
# each fuzz-<name> executable runs over its committed seed corpus
# tests/fuzz/corpus/<name>/ and fuzzes for a bounded time. One result line
# per target in $RESULTS_DIR/steps.txt (see tests/tally.py); crash inputs
# and logs stay in $RESULTS_DIR. With no targets built it reports a skip.
# Every outcome is a line in steps.txt, so the exit status is 0 once they
# are written (scripts/test.sh adds a failure of its own for non-zero).
#
#   RESULTS_DIR=/tmp/fuzz bash scripts/test.d/fuzz.sh                 # what CI runs
#   LB_FUZZ_SECONDS=3600 RESULTS_DIR=/tmp/fuzz bash scripts/test.d/fuzz.sh   # long run
#
# LB_FUZZ_SECONDS: seconds per target (default 20); LB_FUZZ_BUDGET: cap on
# the sum over all targets when LB_FUZZ_SECONDS is not given (default 100),
# so the step stays under two minutes however many targets there are.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"

results=${RESULTS_DIR:-$top/build/results/fuzz}
mkdir -p "$results"
bdir=${LB_FUZZ_BUILDDIR:-$top/build/fuzz}

record() { echo "$1 $2" >>"$results/steps.txt"; echo "$1 $2"; }

if ! command -v clang >/dev/null; then
	record fail "fuzz: clang is not installed (scripts/packages.txt)"
	exit 0
fi

rm -rf "$bdir"
if ! CC=clang meson setup "$bdir" -Dwerror=true -Dfuzz=true \
	-Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all >"$results/setup.log" 2>&1; then
	record fail "fuzz: meson setup -Dfuzz=true failed (see setup.log)"
	tail -n 30 "$results/setup.log"
	exit 0
fi

# The fuzz targets are the executables named fuzz-*; build only those.
mapfile -t targets < <(meson introspect --targets "$bdir" | /usr/bin/python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("fuzz-"):
        for f in t["filename"]:
            print(os.path.relpath(f, sys.argv[1]))
' "$bdir" | LC_ALL=C sort)
if [ ${#targets[@]} -eq 0 ]; then
	record skip "fuzz: no fuzz targets yet (no fuzz-* executable with -Dfuzz=true in tests/fuzz)"
	exit 0
fi
if ! ninja -C "$bdir" -j2 "${targets[@]}" >"$results/build.log" 2>&1; then
	record fail "fuzz: building ${targets[*]} failed (see build.log)"
	tail -n 30 "$results/build.log"
	exit 0
fi
record ok "fuzz: build ${#targets[@]} targets (clang, ASan+UBSan, libFuzzer)"

n=${#targets[@]}
if [ -n "${LB_FUZZ_SECONDS:-}" ]; then
	per=$LB_FUZZ_SECONDS
else
	per=$(( ${LB_FUZZ_BUDGET:-100} / n ))
	[ "$per" -gt 20 ] && per=20
	[ "$per" -lt 5 ] && per=5
fi

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for rel in "${targets[@]}"; do
	exe=$bdir/$rel
	target=$(basename "$rel")
	name=${target#fuzz-}
	seeds=$top/tests/fuzz/corpus/$name
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	if [ "$nseeds" -eq 0 ]; then
		record fail "$target: no seed corpus in tests/fuzz/corpus/$name/"
		failed=$((failed + 1))
		continue
	fi
	# New inputs go to a scratch folder listed first; the committed seed
	# corpus is only read.
	work=$(mktemp -d)
	artifacts=$results/artifacts/$name
	mkdir -p "$artifacts"
	log=$results/$target.log
	rc=0
	timeout -k 10 $((per + 120)) "$exe" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	found=$(find "$work" -type f | wc -l)
	rm -rf "$work"
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		record ok "$target: ${runs} runs in ${per}s from $nseeds seeds, $found new inputs, no finding"
	else
		crash=$(find "$artifacts" -type f | head -n 1)
		record fail "$target: exit $rc after ${runs:-?} runs; reproducer: ${crash:-none} (log: $log)"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 10
		failed=$((failed + 1))
	fi
done
echo "fuzz: $((n - failed)) of $n targets without findings"
