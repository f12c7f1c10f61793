# SPDX-License-Identifier: MIT
# Shell test helpers: one TAP line per case on stdout, which meson counts
# (protocol: 'tap' in tests/meson.build). Source it, call
# ok/fail/skip/check, and end with `finish`. Anything else a test prints
# on stdout must not start with "ok", "not ok", "1.." or "Bail out!".
# To skip the whole test: skip "why"; finish; exit 77.

LB_T_N=0
LB_T_FAILED=0

_tap() { printf '%s\n' "$*"; }

ok()   { LB_T_N=$((LB_T_N + 1)); _tap "ok $LB_T_N - $*"; }
fail() { LB_T_N=$((LB_T_N + 1)); LB_T_FAILED=$((LB_T_FAILED + 1)); _tap "not ok $LB_T_N - $*"; }
skip() { LB_T_N=$((LB_T_N + 1)); _tap "ok $LB_T_N - # SKIP $*"; }

# check "description" command args...: ok if the command succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# expect_exit CODE "description" command args...: ok if it exits with CODE.
expect_exit() {
	local want=$1 desc=$2 rc=0; shift 2
	"$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else fail "$desc (exit $rc, want $want)"; fi
}

finish() {
	_tap "1..$LB_T_N"
	[ "$LB_T_FAILED" -eq 0 ]
}
