#!/bin/bash
# SPDX-License-Identifier: MIT
# Regenerate the ABI baseline tests/abi/libloopback.abi from a fresh gcc
# -g build of this checkout, the same kind of build the ABI check
# (tests/abi/test-abi-baseline.sh) compares against.
#
#   bash scripts/update-abi-baseline.sh
#
# Until 1.0 is tagged, an intentional ABI change updates the baseline and
# NEWS in the same commit. The output holds no absolute paths, no line
# numbers and hash-style type ids, so it is byte-identical from any
# checkout path and changes only where the ABI does.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

baseline=tests/abi/libloopback.abi
# Same depth below the source root as the CI builds (build/gcc), so the
# relative source paths abidw records are the same too.
bdir=build/abi-baseline

for tool in gcc meson abidw abidiff; do
	command -v "$tool" >/dev/null || { echo "update-abi-baseline: $tool is missing (bash scripts/setup.sh)" >&2; exit 1; }
done

# Nothing from the caller's environment may change the build.
unset CFLAGS CPPFLAGS LDFLAGS CC_LD PKG_CONFIG_PATH
rm -rf "$bdir"
mkdir -p "$(dirname "$bdir")"
CC=gcc meson setup "$bdir" --buildtype=debugoptimized -Dtests=false -Dman=false >"$bdir.log" 2>&1 ||
	{ cat "$bdir.log" >&2; exit 1; }
meson compile -C "$bdir" >>"$bdir.log" 2>&1 || { tail -n 40 "$bdir.log" >&2; exit 1; }

new=$(mktemp)
trap 'rm -f "$new"' EXIT
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
	--drop-undefined-syms --out-file "$new" "$bdir/lib/libloopback.so.1"

if [ -f "$baseline" ] && cmp -s "$new" "$baseline"; then
	echo "update-abi-baseline: $baseline is up to date"
	exit 0
fi
if [ -f "$baseline" ]; then
	echo "update-abi-baseline: changes against the previous baseline:"
	rc=0
	abidiff "$baseline" "$new" || rc=$?
	[ $((rc & 8)) -ne 0 ] && echo "update-abi-baseline: WARNING: this is an INCOMPATIBLE change (abidiff exit $rc)"
fi
cp "$new" "$baseline"
chmod 644 "$baseline"
echo "update-abi-baseline: wrote $baseline; commit it with a NEWS entry for the change"
