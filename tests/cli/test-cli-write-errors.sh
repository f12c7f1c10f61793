#!/bin/bash
# SPDX-License-Identifier: MIT
# Output that cannot be written (/dev/full, a closed stdout) is a failure
# that every verb says, with exit 2 (run: 125), never a silent success.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -w /dev/full ]; then
	skip "no /dev/full"
	finish
	exit 77
fi
port=$("$lb" pick)
# full CASE ARGS...: the verb with stdout on /dev/full exits 2 and says so.
full() {
	local rc=0 err
	"$lb" "$@" >/dev/full 2>"$tmp/err" || rc=$?
	err=$(cat "$tmp/err")
	# The reason is known when the failed write was the last flush; a long
	# output (ls, audit on a busy machine) fails inside stdio first, and
	# then "write error" alone is all that is known (as coreutils say it).
	case "$rc:$err" in
	2:*"write error: No space left on device"*) ok "$* >/dev/full: exit 2, says write error" ;;
	2:"loopback: write error") ok "$* >/dev/full: exit 2, says write error (reason lost in a mid-output flush)" ;;
	*) fail "$* >/dev/full: exit $rc, '$err'" ;;
	esac
}
full --help
full --version
full ls
full ls --json
full ls --help
full who 1
full who --json "$port"
full audit
full audit --json
full check "127.0.0.1:$port"
full check --json "127.0.0.1:$port"
full check --help
full pick
full pick --json
full pick -n 3
full parse 127.0.0.1:80
full parse --json 127.0.0.1:80
full wait --help
rc=0
echo 127.0.0.1:80 | "$lb" parse --batch=endpoint >/dev/full 2>"$tmp/err" || rc=$?
case "$rc:$(cat "$tmp/err")" in 2:*"write error"*) ok "parse --batch >/dev/full: exit 2" ;;
*) fail "parse --batch >/dev/full: $rc $(cat "$tmp/err")" ;; esac
rc=0
"$lb" run --help >/dev/full 2>"$tmp/err" || rc=$?
case "$rc:$(cat "$tmp/err")" in 125:*"write error"*) ok "run --help >/dev/full: exit 125 (run's own error)" ;;
*) fail "run --help >/dev/full: $rc $(cat "$tmp/err")" ;; esac
# A closed stdout is a write error too, as in coreutils.
rc=0
"$lb" ls >&- 2>"$tmp/err" || rc=$?
case "$rc:$(cat "$tmp/err")" in 2:*"write error: Bad file descriptor"*) ok "ls >&-: exit 2, says write error" ;;
*) fail "ls >&-: $rc $(cat "$tmp/err")" ;; esac
# Output that fits is still exit 0.
expect_exit 0 "pick >/dev/null exits 0" "$lb" pick
# The leased port went back: nothing was held past the failed write.
"$lb" pick --range "$port-$port" >/dev/null && ok "the picked port is free again" || fail "port $port still leased"
finish
