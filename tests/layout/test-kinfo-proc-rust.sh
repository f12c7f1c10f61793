#!/bin/bash
# SPDX-License-Identifier: MIT
# The FreeBSD kinfo_proc layout of lib/os/freebsd/proc-parse.c
# against an independent source on this machine: the Rust libc crate's
# FreeBSD 14 struct (Debian librust-libc-dev, scripts/packages.txt), each
# offset computed at LP64 sizes by kinfo-proc-rust.py. One case per
# assertion.
set -u
. "$LB_TESTS_DIR/lib.sh"

out=$(/usr/bin/python3 "$LB_TESTS_DIR/layout/kinfo-proc-rust.py" "$LB_SOURCE_ROOT" 2>&1)
rc=$?
if [ $rc -eq 77 ]; then
	echo "$out"
	exit 77
fi
[ $rc -eq 0 ] || fail "kinfo-proc-rust.py exited $rc: $out"
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	*) fail "${line#fail }" ;;
	esac
done <<<"$out"
finish
