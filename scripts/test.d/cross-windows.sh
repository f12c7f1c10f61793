#!/bin/bash
# SPDX-License-Identifier: MIT
# Windows: cross-build the library, CLI and tests with mingw-w64 (-Werror)
# and run the tests under wine in a fresh, headless prefix with its own
# wineserver. Results: build lines in $RESULTS_DIR/steps.txt, meson's logs
# in $RESULTS_DIR/testlog.json and meson.junit.xml (one case per TAP
# line); the exit status is meson test's (or 1 when nothing could run).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RESULTS_DIR:?}"
mkdir -p "$RESULTS_DIR"
bdir=$top/build/cross-windows
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }

for tool in x86_64-w64-mingw32-gcc wine wineboot wineserver; do
	if ! command -v "$tool" >/dev/null; then
		record fail "cross-windows: $tool missing (scripts/packages.txt)"
		exit 1
	fi
done

# A prefix of our own per run, quiet, without the Mono/Gecko installers,
# and a wineserver of our own for it, from before meson's first run of a
# Windows program (its sanity check at setup) to the end: started
# persistent (-p), so it never exits between two tests (a client
# connecting as an idle server shuts down gets "recvmsg: Connection reset
# by peer"), and stopped with -k at the end. Every wine command here
# carries this WINEPREFIX, so -k reaches only the server of the prefix
# made here; a wineserver of another prefix or program is never touched.
# meson runs the programs through cross/wine-run.sh (see there
# why). A test that dies of a wine client error is a failure like any
# other, never retried.
prefix=$(mktemp -d /tmp/lb-wine.XXXXXX) || { record fail "cross-windows: mktemp"; exit 1; }
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
	WINEPREFIX=$prefix wineserver -k 2>/dev/null
	WINEPREFIX=$prefix timeout 20 wineserver -w 2>/dev/null
	rm -rf "$prefix"
}
trap cleanup EXIT
if ! { wineboot -i && wineserver -w && wineserver -p; } >"$RESULTS_DIR/wineboot.log" 2>&1 </dev/null; then
	record fail "cross-windows: wineboot and wineserver -p for $prefix"
	exit 1
fi
printf "[binaries]\nexe_wrapper = ['bash', '%s']\n" "$top/cross/wine-run.sh" >"$RESULTS_DIR/wine-run.txt"

rm -rf "$bdir"
if ! meson setup "$bdir" --cross-file "$top/cross/x86_64-w64-mingw32.txt" \
	--cross-file "$RESULTS_DIR/wine-run.txt" -Dwerror=true -Dtest_doubles=true -Dman=false >"$RESULTS_DIR/setup.log" 2>&1 ||
   ! meson compile -C "$bdir" -j2 >"$RESULTS_DIR/build.log" 2>&1; then
	record fail "build cross-windows (mingw-w64 -Werror)"
	tail -n 30 "$RESULTS_DIR/setup.log" "$RESULTS_DIR/build.log" 2>/dev/null
	exit 1
fi
record ok "build cross-windows (mingw-w64 -Werror)"
# The DLL exports exactly the names of lib/libloopback.sym (LB_EXPORT is
# dllexport there; nothing else may leak, nothing may be missing).
if diff <(x86_64-w64-mingw32-objdump -p "$bdir/lib/libloopback-1.dll" |
		sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '/^\t\[/ {print $3}' | sort) \
	<(grep -oE '\blb_[a-z0-9_]+;' "$top/lib/libloopback.sym" | tr -d ';' | sort) \
	>"$RESULTS_DIR/exports.log" 2>&1; then
	record ok "cross-windows DLL exports = libloopback.sym"
else
	record fail "cross-windows DLL exports = libloopback.sym (see exports.log)"
fi

# wine builds its TCP table from /proc/net/tcp and a scan of every
# process's fds: with thousands of sockets on the machine (TIME-WAITs of
# other programs' connections) test-win-iphlpapi and test-win-pick took
# 103 s and 108 s instead of 9 s and 14 s, near their 120 s timeout.
# One wine program at a time: test-win-cli once exited 1 after 0.12 s
# with no output at all while another wine program started beside it
# (1 of about 10 runs; not reproduced alone in 27 tries).
meson test -C "$bdir" --print-errorlogs --num-processes 1 --timeout-multiplier 3 \
	>"$RESULTS_DIR/test.log" 2>&1
rc=$?
cp "$bdir/meson-logs/testlog.json" "$RESULTS_DIR/testlog.json"
cp "$bdir/meson-logs/testlog.junit.xml" "$RESULTS_DIR/meson.junit.xml"
grep -E '^(Ok|Fail|Skipped|Timeout):' "$RESULTS_DIR/test.log"
if grep -q 'wine client error' "$RESULTS_DIR/test.log"; then
	record fail "cross-windows: a test died of a wine client error (see test.log)"
fi
exit "$rc"
