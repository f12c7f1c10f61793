#!/bin/bash
# SPDX-License-Identifier: MIT
# Files named by the environment cannot hang or balloon the library: a
# FIFO, /dev/zero or /dev/null as LOOPBACK_MOCK_FILE is an error at once
# (not a hang, not 1 GB, not "nothing exposed"). Without the test doubles
# (the default build) the mock backend does not exist at all.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${LB_TEST_DOUBLES:-0}" != 1 ]; then
	# A build for users: LOOPBACK_BACKEND=mock names no backend, the
	# fixture is never read.
	rc=0
	err=$(LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE="$LB_TESTS_DIR/data/sock-mock-basic.txt" "$lb" ls --json 2>&1 >/dev/null) || rc=$?
	case "$rc:$err" in 2:*"No usable socket-table backend"*) ok "no mock backend in this build: an error" ;;
	*) fail "LOOPBACK_BACKEND=mock in a build without test doubles: $rc '$err'" ;; esac
	finish
	exit
fi

mkfifo "$tmp/fifo"
# timed CMD...: run it with a 10 s limit; prints "rc milliseconds".
timed() {
	local t0 t1 rc=0
	t0=${EPOCHREALTIME/./}
	timeout 10 "$@" >/dev/null 2>"$tmp/err" || rc=$?
	t1=${EPOCHREALTIME/./}
	echo "$rc $(((t1 - t0) / 1000))"
}
for f in "$tmp/fifo" /dev/zero /dev/null; do
	for verb in ls audit "who 80"; do
		# shellcheck disable=SC2086,SC2046
		set -- $(LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE=$f timed "$lb" $verb)
		if [ "$1" = 2 ] && [ "$2" -lt 2000 ]; then
			ok "LOOPBACK_MOCK_FILE=$f $verb: an error at once (${2} ms)"
		else
			fail "LOOPBACK_MOCK_FILE=$f $verb: exit $1 after ${2} ms ($(cat "$tmp/err"))"
		fi
	done
done
# A symbolic link to the fixture is not followed either.
ln -s "$LB_TESTS_DIR/data/sock-mock-basic.txt" "$tmp/link"
expect_exit 2 "a symbolic link as the fixture is refused" env LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE="$tmp/link" "$lb" ls
expect_exit 0 "the fixture itself is read" env LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE="$LB_TESTS_DIR/data/sock-mock-basic.txt" "$lb" ls
finish
