#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the two ways other projects embed libloopback, each built and
# run from a temporary copy:
#   examples/subproject  a meson project vendoring the library as
#                        subprojects/loopback (dependency() with fallback)
#   examples/cmake       a CMake project finding an installed prefix
#                        through pkg-config (pkg_check_modules)
# Results in $RESULTS_DIR/steps.txt.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$top/build/results-embed}
mkdir -p "$RESULTS_DIR"
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }
log=$RESULTS_DIR/embed.log
: >"$log"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# The library's source as a fresh clone has it (no build dirs).
copy_tree() {
	mkdir -p "$1"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
		tar --null -cf - -T -) | tar -xf - -C "$1"
}

# 1. meson subproject: no installed libloopback is visible (an empty
# PKG_CONFIG_LIBDIR), so the fallback must be taken.
cp -r "$top/examples/subproject" "$tmp/sub"
copy_tree "$tmp/sub/subprojects/loopback"
if PKG_CONFIG_LIBDIR=$tmp/empty meson setup "$tmp/sub-build" "$tmp/sub" >>"$log" 2>&1 &&
   meson compile -C "$tmp/sub-build" pick-one >>"$log" 2>&1; then
	if grep -q "Subproject loopback finished\|Dependency loopback from subproject" "$tmp/sub-build/meson-logs/meson-log.txt" "$log"; then
		record ok "subproject: dependency('loopback') fell back to subprojects/loopback"
	else
		record fail "subproject: dependency('loopback') fell back to subprojects/loopback"
		status=1
	fi
	out=$(env -u LD_LIBRARY_PATH "$tmp/sub-build/pick-one" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^picked port [0-9]* with libloopback " <<<"$out" &&
	   ! readelf -d "$tmp/sub-build/pick-one" | grep -q 'NEEDED.*libloopback'; then
		record ok "subproject: pick-one runs, linked statically ($out)"
	else
		record fail "subproject: pick-one runs, linked statically (exit $rc: $out)"
		status=1
	fi
else
	record fail "subproject: examples/subproject configures and builds (see $log)"
	tail -n 30 "$log"
	status=1
fi

# 2. CMake against an installed prefix.
prefix=$tmp/prefix
if meson setup "$tmp/lib-build" "$top" --prefix="$prefix" -Dtests=false -Dman=false >>"$log" 2>&1 &&
   meson compile -C "$tmp/lib-build" >>"$log" 2>&1 && meson install -C "$tmp/lib-build" >>"$log" 2>&1; then
	pc=$(find "$prefix" -name loopback.pc | head -n 1)
	libdir=$(dirname "$(dirname "$pc")")
	if PKG_CONFIG_PATH=$(dirname "$pc") cmake -S "$top/examples/cmake" -B "$tmp/cmake-build" >>"$log" 2>&1 &&
	   cmake --build "$tmp/cmake-build" >>"$log" 2>&1; then
		record ok "cmake: examples/cmake finds loopback with pkg_check_modules and builds"
		out=$(LD_LIBRARY_PATH=$libdir "$tmp/cmake-build/pick-one" 2>&1)
		rc=$?
		lib=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/cmake-build/pick-one" | awk '$1 == "libloopback.so.1" { print $3 }')
		if [ $rc -eq 0 ] && [ "$lib" = "$libdir/libloopback.so.1" ]; then
			record ok "cmake: pick-one runs against the prefix's libloopback.so.1 ($out)"
		else
			record fail "cmake: pick-one runs against the prefix's library (exit $rc, ldd '$lib': $out)"
			status=1
		fi
	else
		record fail "cmake: examples/cmake configures and builds (see $log)"
		tail -n 30 "$log"
		status=1
	fi
else
	record fail "cmake: the library installs into a prefix (see $log)"
	tail -n 30 "$log"
	status=1
fi
exit "$status"
