#!/bin/bash
# SPDX-License-Identifier: MIT
# Set everything up and run every test: the C suites with gcc and clang
# (-Werror), under ASan+UBSan and valgrind, the fuzz smoke runs, the
# bindings and the cross-builds. Per-step logs go to build/results/; the
# last line is "N passed, N failed, N skipped" summed over all of them.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

results=$top/build/results
rm -rf "$results"
mkdir -p "$results"
export PYTHONDONTWRITEBYTECODE=1

# step NAME: start a result folder for one step.
step_dir() { mkdir -p "$results/$1/tap"; echo "$results/$1"; }

# record DIR ok|fail|skip WHAT: a build step's own result.
record() { echo "$2 $3" >>"$1/steps.txt"; }

# meson_step NAME BUILDDIR "SETUP ARGS" "TEST ARGS": configure, build
# (counted as one result), then run the tests with per-case TAP.
meson_step() {
	local name=$1 bdir=$2 setup_args=$3 test_args=$4 d
	d=$(step_dir "$name")
	echo "== $name" >&2
	if [ "$setup_args" != "reuse" ]; then
		rm -rf "$bdir"
		# shellcheck disable=SC2086
		if ! meson setup "$bdir" $setup_args >"$d/setup.log" 2>&1 ||
		   ! meson compile -C "$bdir" >"$d/build.log" 2>&1; then
			record "$d" fail "build $name"
			tail -n 30 "$d/setup.log" "$d/build.log" >&2 2>/dev/null
			return
		fi
		record "$d" ok "build $name"
	fi
	[ "$test_args" = "none" ] && return
	# shellcheck disable=SC2086
	LB_TAP_DIR=$d/tap meson test -C "$bdir" --print-errorlogs \
		--num-processes 2 $test_args >"$d/test.log" 2>&1
	cp "$(ls -t "$bdir"/meson-logs/testlog*.json | head -n 1)" "$d/testlog.json"
	grep -E '^(Ok|Fail|Skipped|Timeout):' "$d/test.log" | tr '\n' ' ' >&2; echo >&2
	grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT|ERROR)' "$d/test.log" >&2
}

meson_step gcc build/gcc "-Dwerror=true -Dtest_doubles=true --buildtype=debugoptimized" ""
CC=clang meson_step clang build/clang "-Dwerror=true -Dtest_doubles=true" "--suite unit --suite cli"
meson_step asan-ubsan build/asan "-Dwerror=true -Dtest_doubles=true -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all" ""
meson_step valgrind build/gcc reuse "--setup valgrind --suite unit"

# Further steps (fuzz smoke, bindings, cross-builds) add themselves here.
for extra in "$top"/scripts/test.d/*.sh; do
	[ -e "$extra" ] || continue
	name=$(basename "$extra" .sh)
	d=$(step_dir "$name")
	echo "== $name" >&2
	RESULTS_DIR=$d bash "$extra" >"$d/run.log" 2>&1 || record "$d" fail "$name exited non-zero"
done

echo "== results (logs in build/results/)"
/usr/bin/python3 tests/tally.py "$results"
