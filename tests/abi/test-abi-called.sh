#!/bin/bash
# SPDX-License-Identifier: MIT
# Every export works: each symbol of lib/libloopback.sym is called by at
# least one C test suite (tests/*.c), and, unless it returns void, inside
# a Check assertion, so a wrong result fails (tests/abi/abi-called.py).
set -u
. "$LB_TESTS_DIR/lib.sh"

src=$LB_SOURCE_ROOT
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) fail "${line#not ok }" ;;
	*) echo "$line" ;;
	esac
done < <(/usr/bin/python3 "$LB_TESTS_DIR/abi/abi-called.py" "$src/lib/libloopback.sym" "$src/include" \
	"$LB_TESTS_DIR"/*.c 2>&1)
[ "$LB_T_N" -gt 0 ] || fail "abi-called.py produced no result"
finish
