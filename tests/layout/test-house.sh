#!/bin/bash
# SPDX-License-Identifier: MIT
# The "Done when" criteria of issue 12 on the real tree (house.py has the
# rules): OS conditionals in shared code, file and function lengths,
# file-level call cycles in lib/ (from the objects of this build), one
# errno mapping, one growth helper, one user-name lookup, tests/ mirroring
# lib/. One case per criterion; the details of a failure as TAP comments.
# For the numbers alone: scripts/house.sh.
set -u
. "$LB_TESTS_DIR/lib.sh"

out=$(/usr/bin/python3 "$LB_TESTS_DIR/layout/house.py" "$LB_SOURCE_ROOT" "$LB_BUILD_ROOT" 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "house.py exited $rc: $out"
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"fail "*) fail "${line#fail }" ;;
	"#"*) printf '%s\n' "$line" ;;
	"") ;;
	*) fail "house.py: $line" ;;
	esac
done <<<"$out"
finish
