#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: every shell command README.md shows, run as a reader would after
# the two commands (tests/readme-commands.py: in a copy of the tree, with
# build/gcc from scripts/test.sh and a temporary HOME, which the README's
# install into a prefix uses). One line per command in
# $RESULTS_DIR/steps.txt; the commands' output in $RESULTS_DIR/readme.log.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RESULTS_DIR:=$top/build/results/readme}"
mkdir -p "$RESULTS_DIR"
if [ ! -f "$top/build/gcc/build.ninja" ]; then
	meson setup "$top/build/gcc" "$top" -Dwerror=true --buildtype=debugoptimized >"$RESULTS_DIR/setup.log" 2>&1 ||
		{ echo "fail readme: build/gcc (see setup.log)" >>"$RESULTS_DIR/steps.txt"; exit 1; }
fi
meson compile -C "$top/build/gcc" >"$RESULTS_DIR/build.log" 2>&1 ||
	{ echo "fail readme: build/gcc (see build.log)" >>"$RESULTS_DIR/steps.txt"; exit 1; }
/usr/bin/python3 "$top/tests/readme-commands.py" "$top/README.md" \
	>>"$RESULTS_DIR/steps.txt" 2>"$RESULTS_DIR/readme.log"
rc=$?
cat "$RESULTS_DIR/steps.txt"
exit "$rc"
