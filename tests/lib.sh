# SPDX-License-Identifier: MIT
# Shell test helpers: TAP to stdout and, when LB_TAP_DIR is set, to
# $LB_TAP_DIR/<test>.tap so tests/tally.py counts every case.
# Source it, call ok/fail/skip/check, and end with `finish`.

LB_T_NAME=${LB_T_NAME:-$(basename "${BASH_SOURCE[1]:-$0}" .sh)}
LB_T_N=0
LB_T_FAILED=0
LB_T_TAP=/dev/null
if [ -n "${LB_TAP_DIR:-}" ]; then
	LB_T_TAP="$LB_TAP_DIR/$LB_T_NAME.tap"
	: >"$LB_T_TAP"
fi

_tap() { printf '%s\n' "$*"; printf '%s\n' "$*" >>"$LB_T_TAP"; }

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
