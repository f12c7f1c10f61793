#!/bin/bash
# SPDX-License-Identifier: MIT
# Every export works: each symbol of lib/libloopback.sym is called by at
# least one C test suite (tests/**/test-*.c: tests/core, tests/os/linux,
# ...; not the Windows suites of tests/os/windows, which run only under
# wine), and, unless it returns void, inside a Check assertion, so a wrong
# result fails (tests/abi/abi-called.py).
set -u
. "$LB_TESTS_DIR/lib.sh"

src=$LB_SOURCE_ROOT
mapfile -t suites < <(find "$LB_TESTS_DIR" -name 'test-*.c' -not -path '*/os/windows/*' | LC_ALL=C sort)
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) fail "${line#not ok }" ;;
	*) echo "$line" ;;
	esac
done < <(/usr/bin/python3 "$LB_TESTS_DIR/abi/abi-called.py" "$src/lib/libloopback.sym" "$src/include" \
	"${suites[@]}" 2>&1)
[ "$LB_T_N" -gt 0 ] || fail "abi-called.py produced no result"
finish
