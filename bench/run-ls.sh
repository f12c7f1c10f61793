#!/bin/bash
# SPDX-License-Identifier: MIT
# What `loopback ls` costs besides the owner scan, on the busy host:
# the API call and the CLI's writers in-process (bench/bench-ls), start-up,
# and whole processes against ss (bench/run-ls.py; bench/README.md).
#
#   bash bench/run-ls.sh [--build DIR] [--before LOOPBACK] [--runs N]
#
# --build DIR        the meson build directory (default build/bench-release,
#                    set up with --buildtype=release if missing)
# --before LOOPBACK  also compare with another build's tools/loopback
# As root it runs in a private network namespace (unshare -n). Heavy:
# about 400 processes and 40,000 fds for a minute. Not for CI.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

build=$top/build/bench-release pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$(realpath -m "$2"); shift 2 ;;
	*) pass+=("$1"); shift ;;
	esac
done

if [ "${LB_BENCH_NETNS:-}" = "" ] && [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	LB_BENCH_NETNS=1 exec unshare -n bash "$0" --build "$build" "${pass[@]}"
fi
netns="host network namespace"
if [ "${LB_BENCH_NETNS:-}" = 1 ]; then
	ip link set lo up
	netns="private network namespace"
fi
command -v ss >/dev/null || { echo "run-ls: ss missing (iproute2)" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" -j2 >/dev/null

exec /usr/bin/python3 "$here/run-ls.py" --busyhost "$build/bench/busyhost" \
	--loopback "$build/tools/loopback" --bench-ls "$build/bench/bench-ls" --netns "$netns" "${pass[@]}"
