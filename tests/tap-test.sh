#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs one shell test for meson's TAP protocol (tests/meson.build).
#
#   bash tests/tap-test.sh SCRIPT [ARGS...]
#
# The tests (tests/lib.sh) print TAP on stdout and meson counts each case.
# A test that cannot run here prints "ok N - # SKIP why" and exits 77, the
# exit-code protocol's skip; meson's TAP protocol would call any non-zero
# status an error, so 77 becomes 0 here and the SKIP lines (or no case at
# all) make meson report the test as skipped. Every other status, and a
# crash, goes to meson unchanged.
bash "$@"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "# exit 77: skipped"
	exit 0
fi
exit "$rc"
