#!/bin/bash
# SPDX-License-Identifier: MIT
# macOS: compile and link the library, the CLI and the portable test
# suites for x86_64 and aarch64 macOS 11 with zig cc against the real SDK
# stubs (libSystem.tbd). Nothing runs: this proves the code builds and
# links there. One line per (arch, artifact) in $RESULTS_DIR/steps.txt.
# shellcheck source-path=SCRIPTDIR source=../../cross/zig.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../cross/zig.sh" cross-macos

# The library's sources for darwin, as lib/meson.build lists them.
lib_srcs=()
while read -r f; do
	lib_srcs+=("lib/$f")
done < <(/usr/bin/python3 "$top/cross/meson-sources.py" lib/meson.build darwin lb_sources)
# The CLI's sources for darwin, as tools/meson.build lists them.
tool_srcs=()
while read -r f; do
	tool_srcs+=("tools/$f")
done < <(/usr/bin/python3 "$top/cross/meson-sources.py" tools/meson.build darwin lb_tool_sources
	/usr/bin/python3 "$top/cross/meson-sources.py" tools/meson.build darwin lb_tool_os_sources)
# Check suites that need no Linux, built with tests/standin/check.h (Check
# is not available for macOS here). Found by name in whichever folder of
# tests/ holds them (tests/<area>/, tests/os/<os>/).
test_srcs=()
shopt -s globstar nullglob
for t in common errno endpoint endpoint-sockaddr classify resolve port freebsd-pcblist freebsd-proc lease-flock; do
	for f in tests/**/test-"$t".c; do test_srcs+=("$f"); done
done
# The libproc backend's suite, once lib/meson.build builds that backend.
if [[ " ${lib_srcs[*]} " == *" lib/os/macos/libproc-parse.c "* ]]; then
	for f in tests/**/test-libproc*.c; do test_srcs+=("$f"); done
fi
shopt -u globstar nullglob

cflags=(-std=c11 -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla -Wimplicit-fallthrough
	-Wno-unused-parameter -fno-strict-aliasing
	-D_DARWIN_C_SOURCE -Iinclude -Ilib)

for arch in x86_64 aarch64; do
	target=$arch-macos.11.0
	out=$top/build/cross-macos/$arch
	rm -rf "$out"
	mkdir -p "$out/obj"
	log=$RESULTS_DIR/$arch.log
	: >"$log"
	objs=()
	ok=1
	for f in "${lib_srcs[@]}"; do
		o=$out/obj/$(echo "$f" | tr / _).o
		"$ZIG" cc -target "$target" "${cflags[@]}" -DLB_BUILDING_LIBRARY \
			-fvisibility=hidden -fPIC -c "$f" -o "$o" >>"$log" 2>&1 || { ok=0; echo "FAILED: $f" >>"$log"; }
		objs+=("$o")
	done
	if [ $ok = 1 ] && "$ZIG" cc -target "$target" -dynamiclib \
		-Wl,-install_name,@rpath/libloopback.1.dylib \
		-o "$out/libloopback.1.dylib" "${objs[@]}" >>"$log" 2>&1 &&
		"$ZIG" ar rcs "$out/libloopback.a" "${objs[@]}" >>"$log" 2>&1; then
		record ok "cross-macos $arch libloopback.1.dylib"
		# Exports: exactly the lb_* names of lib/libloopback.sym (the
		# Linux version script has no Mach-O twin; visibility does it).
		if command -v llvm-nm >/dev/null; then
			if diff <(llvm-nm -gU "$out/libloopback.1.dylib" | awk '$3 ~ /^_lb_/ {print substr($3, 2)}' | sort) \
				<(grep -oE '\blb_[a-z0-9_]+;' lib/libloopback.sym | tr -d ';' | sort) >>"$log" 2>&1; then
				record ok "cross-macos $arch dylib exports = libloopback.sym"
			else
				record fail "cross-macos $arch dylib exports = libloopback.sym (see $arch.log)"
			fi
		fi
	else
		record fail "cross-macos $arch libloopback.1.dylib (see $arch.log)"
		continue
	fi
	if "$ZIG" cc -target "$target" "${cflags[@]}" -Itools -o "$out/loopback" "${tool_srcs[@]}" \
		"$out/libloopback.1.dylib" >>"$log" 2>&1; then
		record ok "cross-macos $arch loopback (CLI)"
	else
		record fail "cross-macos $arch loopback (CLI)"
	fi
	for t in "${test_srcs[@]}"; do
		name=$(basename "$t" .c)
		if "$ZIG" cc -target "$target" "${cflags[@]}" -Itests/standin -Itests \
			-o "$out/$name" "$t" "$out/libloopback.a" >>"$log" 2>&1; then
			record ok "cross-macos $arch $name"
		else
			record fail "cross-macos $arch $name"
		fi
	done
done
exit 0
