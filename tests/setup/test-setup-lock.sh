#!/bin/bash
# SPDX-License-Identifier: MIT
# scripts/setup.sh on a machine whose package manager is busy (a fresh
# cloud VM runs unattended-upgrades at boot): it waits for the lock,
# saying which process holds which file, installs once the lock is free,
# and gives up after its timeout. The locks are temporary files held here
# with POSIX fcntl locks, as dpkg and apt take theirs (LB_SETUP_LOCKS), and
# apt-get is only printed (LB_SETUP_DRY_RUN), so nothing is installed and
# the real dpkg lock is never touched. Also: the demo's package list
# holds none of the test-only tools.
set -u
. "$LB_TESTS_DIR/lib.sh"

setup=$LB_SOURCE_ROOT/scripts/setup.sh
tmp=$(mktemp -d)
holder=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v lslocks >/dev/null; then
	skip "lslocks (util-linux) is missing"
	finish
	exit 77
fi

# A list with one package that is surely not installed.
echo "lb-setup-test-no-such-package" >"$tmp/list"
lock=$tmp/lock-frontend
: >"$lock"
: >"$tmp/free-lock"

# hold SECONDS: hold $lock with an fcntl lock for at most SECONDS, in
# the background ($holder); returns once the lock is taken.
hold() {
	rm -f "$tmp/held"
	/usr/bin/python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "w")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))' "$lock" "$tmp/held" "$1" &
	holder=$!
	for _ in $(seq 1 100); do [ -e "$tmp/held" ] && return 0; sleep 0.05; done
	return 1
}

# run_setup TIMEOUT: setup.sh on the test list; output in $out, status
# in $rc, seconds taken in $took.
run_setup() {
	local t0=$SECONDS
	out=$(LB_SETUP_LOCKS="$tmp/free-lock $lock" LB_SETUP_LOCK_TIMEOUT=$1 LB_SETUP_DRY_RUN=1 \
		timeout 60 bash "$setup" "$tmp/list" 2>&1)
	rc=$?
	took=$((SECONDS - t0))
}

# No lock held: straight to apt-get, with apt's own lock timeout.
run_setup 5
[ "$rc" -eq 0 ] && ok "free locks: setup runs" || fail "free locks: setup runs (exit $rc): $out"
grep -q 'waiting' <<<"$out" && fail "free locks: no waiting: $out" || ok "free locks: no waiting"
grep -q 'would run: apt-get -o DPkg::Lock::Timeout=5 install .*lb-setup-test-no-such-package' <<<"$out" &&
	ok "apt-get install waits for the lock too (DPkg::Lock::Timeout)" ||
	fail "apt-get install waits for the lock too (DPkg::Lock::Timeout): $out"

# Held for longer than the timeout: waits, names the holder, gives up.
if hold 30; then
	run_setup 2
	[ "$rc" -ne 0 ] && ok "held past the timeout: setup fails (exit $rc)" ||
		fail "held past the timeout: setup fails: $out"
	[ "$took" -ge 2 ] && [ "$took" -lt 20 ] && ok "it waited the timeout and no longer (${took} s)" ||
		fail "it waited the timeout and no longer (${took} s, timeout 2 s)"
	grep -q "waiting for another package manager run.*" <<<"$out" && grep -q "$lock (held by python3, pid $holder)" <<<"$out" &&
		ok "it says what it waits for: the lock file and the holder's name and PID" ||
		fail "it says what it waits for: the lock file and the holder's name and PID ($holder): $out"
	grep -q "gave up after 2 s" <<<"$out" && ok "it says it gave up" || fail "it says it gave up: $out"
	grep -q 'would run: apt-get' <<<"$out" && fail "no apt-get after giving up: $out" || ok "no apt-get after giving up"
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=
else
	fail "could not take the test lock"
fi

# Held for 2 s with a timeout of 30: waits, then goes on.
if hold 2; then
	run_setup 30
	[ "$rc" -eq 0 ] && ok "lock freed within the timeout: setup goes on" ||
		fail "lock freed within the timeout: setup goes on (exit $rc): $out"
	[ "$took" -ge 1 ] && ok "it waited for the lock (${took} s)" || fail "it waited for the lock (${took} s)"
	grep -q "the locks are free after" <<<"$out" && grep -q 'would run: apt-get .* install' <<<"$out" &&
		ok "it says the lock is free and installs" || fail "it says the lock is free and installs: $out"
	wait "$holder" 2>/dev/null; holder=
else
	fail "could not take the test lock"
fi

# Everything installed: quick and silent, whatever the locks.
echo "bash" >"$tmp/installed"
out=$(LB_SETUP_LOCKS=$lock LB_SETUP_DRY_RUN=1 bash "$setup" "$tmp/installed" 2>&1)
[ $? -eq 0 ] && [ -z "$out" ] && ok "all installed: silent, exit 0" || fail "all installed: silent, exit 0: $out"

# The demo installs only what the build and the demo need.
demo=$LB_SOURCE_ROOT/scripts/packages-demo.txt
bad=$(grep -vE '^\s*(#|$)' "$demo" | grep -E 'mingw|wine|llvm|clang|valgrind|check|golang|pytest|abigail|lsof|librust' || true)
[ -f "$demo" ] && [ -z "$bad" ] && ok "the demo's package list holds no test-only tool" ||
	fail "the demo's package list holds no test-only tool: ${bad:-no $demo}"

finish
