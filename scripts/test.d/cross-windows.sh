#!/bin/bash
# SPDX-License-Identifier: MIT
# Windows: cross-build the library, CLI and tests with mingw-w64 (-Werror)
# and run the tests under wine in a fresh, headless prefix. Results: one
# build line in $RESULTS_DIR/steps.txt, one TAP line per test case in
# $RESULTS_DIR/tap/, meson's log in $RESULTS_DIR/testlog.json.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RESULTS_DIR:?}"
mkdir -p "$RESULTS_DIR/tap"
bdir=$top/build/cross-windows
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }

for tool in x86_64-w64-mingw32-gcc wine wineboot wineserver; do
	if ! command -v "$tool" >/dev/null; then
		record fail "cross-windows: $tool missing (scripts/packages.txt)"
		exit 0
	fi
done

rm -rf "$bdir"
if ! meson setup "$bdir" --cross-file "$top/cross/x86_64-w64-mingw32.txt" \
	-Dwerror=true -Dtest_doubles=true -Dman=false >"$RESULTS_DIR/setup.log" 2>&1 ||
   ! meson compile -C "$bdir" -j2 >"$RESULTS_DIR/build.log" 2>&1; then
	record fail "build cross-windows (mingw-w64 -Werror)"
	tail -n 30 "$RESULTS_DIR/setup.log" "$RESULTS_DIR/build.log" 2>/dev/null
	exit 0
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

# A fresh prefix per run, quiet, without the Mono/Gecko installers.
WINEPREFIX=$(mktemp -d /tmp/lb-wine.XXXXXX)
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() { wineserver -k 2>/dev/null; rm -rf "$WINEPREFIX"; }
trap cleanup EXIT
if ! { wineboot -i && wineserver -w; } >"$RESULTS_DIR/wineboot.log" 2>&1; then
	record fail "cross-windows: wineboot"
	exit 0
fi
LB_TAP_DIR=$RESULTS_DIR/tap meson test -C "$bdir" --print-errorlogs \
	--num-processes 2 >"$RESULTS_DIR/test.log" 2>&1
cp "$(ls -t "$bdir"/meson-logs/testlog*.json | head -n 1)" "$RESULTS_DIR/testlog.json"
grep -E '^(Ok|Fail|Skipped|Timeout):' "$RESULTS_DIR/test.log"
exit 0
