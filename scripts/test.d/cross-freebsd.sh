#!/bin/bash
# SPDX-License-Identifier: MIT
# FreeBSD: no sysroot is reachable here, so the parser is tested on
# fixtures in the main suites (tests/test-freebsd-pcblist.c) and this step
# compiles the parser and the sysctl glue freestanding for FreeBSD with
# zig cc (the target's ABI: sizes, alignment, the _Static_asserts), using
# declaration-only libc headers from cross/freebsd-freestanding. Nothing
# is linked or run. One line per (arch, file) in $RESULTS_DIR/steps.txt.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RESULTS_DIR:?}"
mkdir -p "$RESULTS_DIR"
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }
# shellcheck source=../../cross/zig.sh
if ! . "$top/cross/zig.sh"; then
	record fail "cross-freebsd: zig unavailable"
	exit 0
fi
cd "$top"
out=$top/build/cross-freebsd
mkdir -p "$out"
# The parser; the record conversion and the sysctl glue need the socket
# backend interface (lib/backend.h). sysctl-freebsd-proc.c needs FreeBSD's
# own struct kinfo_proc and is not checked here.
files=(lib/backend/sysctl-freebsd-parse.c)
[ -e lib/backend.h ] && files+=(lib/backend/sysctl-freebsd-socket.c lib/backend/sysctl-freebsd.c)
for arch in x86_64 aarch64; do
	for f in "${files[@]}"; do
		name=$(basename "$f" .c)
		if "$ZIG" cc -target "$arch-freebsd" -std=c11 -ffreestanding -Wall -Wextra \
			-Werror -Wmissing-prototypes -Wshadow -Icross/freebsd-freestanding \
			-Ilib -Iinclude -c "$f" -o "$out/$arch-$name.o" >"$RESULTS_DIR/$arch-$name.log" 2>&1 &&
		   nm "$out/$arch-$name.o" | grep -q ' T lb__'; then
			record ok "cross-freebsd $arch $name.o (freestanding)"
		else
			record fail "cross-freebsd $arch $name.o (see $arch-$name.log)"
		fi
	done
done
exit 0
