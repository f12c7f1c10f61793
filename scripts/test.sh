#!/bin/bash
# SPDX-License-Identifier: MIT
# Set everything up and run every test: the C suites with gcc and clang
# (-Werror), under ASan+UBSan and valgrind, the fuzz smoke runs, the
# bindings, the cross-builds and the README's commands. Per-step logs go
# to build/results/<step>/; the last line is "N passed, N failed, N
# skipped" summed over all of them (tests/tally.py).
#
# The exit status is 0 only when nothing failed: every case meson counts
# (the suites speak TAP), every build, and every step's own exit status
# (meson test's, a scripts/test.d script's), which tests/tally.py adds as
# a failure when it exited non-zero without a failing case, so the
# summary line and the exit status cannot disagree. Each step prints and
# records its duration (build/results/<step>/status).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
t0=$SECONDS

bash scripts/setup.sh demo test || { echo "setup failed"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

results=$top/build/results
rm -rf "$results"
mkdir -p "$results"
export PYTHONDONTWRITEBYTECODE=1

# record DIR ok|fail|skip WHAT: a build step's own result.
record() { echo "$2 $3" >>"$1/steps.txt"; }

# finish_step DIR STATUS START: the step's exit status and duration.
finish_step() {
	local secs=$((SECONDS - $3))
	printf 'exit %s\nseconds %s\n' "$2" "$secs" >"$1/status"
	echo "   $(basename "$1"): exit $2, $secs s" >&2
}

# meson_step NAME BUILDDIR "SETUP ARGS" "TEST ARGS": configure and build
# (counted as one result), then run the tests; meson parses their TAP and
# its logs (testlog.json, testlog.junit.xml) go to the step's folder.
meson_step() {
	local name=$1 bdir=$2 setup_args=$3 test_args=$4 d=$results/$1 start=$SECONDS rc=0 log
	mkdir -p "$d"
	echo "== $name" >&2
	if [ "$setup_args" != "reuse" ]; then
		rm -rf "$bdir"
		# shellcheck disable=SC2086
		if ! meson setup "$bdir" $setup_args >"$d/setup.log" 2>&1 ||
		   ! meson compile -C "$bdir" >"$d/build.log" 2>&1; then
			record "$d" fail "build $name"
			tail -n 30 "$d/setup.log" "$d/build.log" >&2 2>/dev/null
			finish_step "$d" 1 "$start"
			return
		fi
		record "$d" ok "build $name"
	fi
	# shellcheck disable=SC2086
	meson test -C "$bdir" --print-errorlogs --num-processes 2 --logbase "testlog-$name" \
		$test_args >"$d/test.log" 2>&1 || rc=$?
	# (meson appends "-SETUP" to the base name under --setup)
	log=$(ls -t "$bdir/meson-logs/testlog-$name"*.json 2>/dev/null | head -n 1)
	if [ -n "$log" ]; then
		cp "$log" "$d/testlog.json"
		cp "${log%.json}.junit.xml" "$d/meson.junit.xml"
	fi
	grep -E '^(Ok|Fail|Skipped|Timeout):' "$d/test.log" | tr '\n' ' ' >&2; echo >&2
	grep -E '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT|ERROR)' "$d/test.log" >&2
	finish_step "$d" "$rc" "$start"
}

meson_step gcc build/gcc "-Dwerror=true -Dtest_doubles=true --buildtype=debugoptimized" ""
CC=clang meson_step clang build/clang "-Dwerror=true -Dtest_doubles=true" "--suite unit --suite cli"
meson_step asan-ubsan build/asan "-Dwerror=true -Dtest_doubles=true -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all" ""
meson_step valgrind build/gcc reuse "--setup valgrind --suite unit"

# Further steps (fuzz smoke, bindings, cross-builds, README) add themselves
# in scripts/test.d; each writes its results into RESULTS_DIR.
for extra in "$top"/scripts/test.d/*.sh; do
	[ -e "$extra" ] || continue
	name=$(basename "$extra" .sh)
	d=$results/$name
	mkdir -p "$d"
	echo "== $name" >&2
	start=$SECONDS
	rc=0
	RESULTS_DIR=$d bash "$extra" >"$d/run.log" 2>&1 || rc=$?
	finish_step "$d" "$rc" "$start"
done

echo "== results (logs in build/results/; $((SECONDS - t0)) s in all)"
out=$(/usr/bin/python3 tests/tally.py "$results")
rc=$?
printf '%s\n' "$out"
# A tally that could not run (or said nothing) is a failure too.
if ! tail -n 1 <<<"$out" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
exit "$rc"
