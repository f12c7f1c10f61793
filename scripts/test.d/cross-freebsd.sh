#!/bin/bash
# SPDX-License-Identifier: MIT
# FreeBSD: no sysroot is reachable here, so the parsers are tested on
# fixtures in the main suites (tests/os/freebsd/) and this step
# compiles the parsers and the sysctl glue freestanding for FreeBSD with
# zig cc (the target's ABI: sizes, alignment, the _Static_asserts), using
# declaration-only libc headers from cross/freebsd-freestanding. Nothing
# is linked or run. One line per (arch, file) in $RESULTS_DIR/steps.txt.
# shellcheck source-path=SCRIPTDIR source=../../cross/zig.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../cross/zig.sh" cross-freebsd
out=$top/build/cross-freebsd
mkdir -p "$out"
# Every FreeBSD file: the parsers (pcblist, kern.file, kinfo_proc, args,
# pathname), the record conversion and the sysctl glue (tables, owners).
files=(lib/os/freebsd/*.c lib/os/bsd/*.c)
for arch in x86_64 aarch64; do
	for f in "${files[@]}"; do
		name=$(dirname "${f#lib/os/}")-$(basename "$f" .c)
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
