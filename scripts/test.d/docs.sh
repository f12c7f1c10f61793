#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Doxygen API reference (-Ddocs=true) builds with no warning
# and documents every export; and the guard works: the same headers with
# one doc comment removed make Doxygen fail. Results in
# $RESULTS_DIR/steps.txt.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$top/build/results-docs}
mkdir -p "$RESULTS_DIR"
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }
bdir=$top/build/docs-ci
status=0

rm -rf "$bdir"
if meson setup "$bdir" "$top" -Ddocs=true -Dtests=false >"$RESULTS_DIR/setup.log" 2>&1 &&
   meson compile -C "$bdir" doc/api-reference >"$RESULTS_DIR/doxygen.log" 2>&1; then
	record ok "doxygen: API reference without warnings, $(tail -n 1 "$RESULTS_DIR/doxygen.log" | sed 's/^.*] //')"
else
	record fail "doxygen: API reference without warnings (see $RESULTS_DIR/doxygen.log)"
	tail -n 40 "$RESULTS_DIR/setup.log" "$RESULTS_DIR/doxygen.log"
	status=1
fi
if [ -f "$bdir/doc/api/html/index.html" ] && [ -f "$bdir/doc/api/html/pick_8h.html" ]; then
	record ok "doxygen: html/index.html and a page per header"
else
	record fail "doxygen: html/index.html and a page per header"
	status=1
fi

# The guard must be able to fail: drop lb_port_pick's doc comment from a
# copy of the headers.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$top/include" "$tmp/include"
/usr/bin/python3 - "$tmp/include/loopback/pick.h" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
t = re.sub(r'/\*\*\n \* lb_port_pick - .*?\*/\n', '', s, flags=re.S)
assert t != s
open(p, 'w').write(t)
PY
sed -e "s|$top/include|$tmp/include|g" -e "s|$bdir/doc/api|$tmp/api|g" \
	"$bdir/doc/Doxyfile" >"$tmp/Doxyfile"
if /usr/bin/python3 "$top/doc/kdoc.py" doxygen doxygen "$tmp/Doxyfile" "$tmp/api" \
	"$top/lib/libloopback.sym" >"$tmp/log" 2>&1; then
	record fail "doxygen: an undocumented lb_port_pick fails the build (it passed)"
	status=1
elif grep -q "lb_port_pick.*not documented" "$tmp/log"; then
	record ok "doxygen: an undocumented lb_port_pick fails the build"
else
	record fail "doxygen: an undocumented lb_port_pick fails the build for that reason: $(head -c 300 "$tmp/log")"
	status=1
fi
exit "$status"
