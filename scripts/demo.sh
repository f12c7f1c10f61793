#!/bin/bash
# SPDX-License-Identifier: MIT
# Set everything up, build, and show what the loopback tool does on this
# machine, on real sockets.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bash scripts/setup.sh demo
if [ ! -f build/demo/build.ninja ]; then
	meson setup build/demo -Dtests=false >/dev/null
fi
meson compile -C build/demo >/dev/null
lb=$top/build/demo/tools/loopback
export LD_LIBRARY_PATH=$top/build/demo/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

run() { printf '\n$ loopback %s\n' "$*"; "$lb" "$@" || true; }

run --version
for part in "$top"/scripts/demo.d/*.sh; do
	[ -e "$part" ] || continue
	# shellcheck source=/dev/null
	. "$part"
done
