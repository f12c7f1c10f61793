#!/bin/bash
# SPDX-License-Identifier: MIT
# The "who is on this port" benchmark: start a busy host (bench/busyhost),
# then time `loopback who`/`ls`, the in-process API and the peers ss, lsof,
# fuser, netstat and psutil on it, checking every answer (bench/run-who.py).
#
#   bash bench/run-who.sh [--build DIR] [--peers-only] [--readme] [run-who.py options]
#
# --build DIR   the meson build directory (default build/bench-release, set
#               up with --buildtype=release if missing)
# --peers-only  time only the peers (no loopback tool or API)
# --readme      write the results into bench/README.md
# --as USER     (as root) run the busy host, the tools and the peers as USER
#               (e.g. nobody): the unprivileged case, where only the /proc
#               owner scan can answer; the build stays root's
# As root it runs in a private network namespace (unshare -n), so the busy
# host disturbs nobody's ports; otherwise in the current one.
# Heavy: about 400 processes and 40,000 fds for a few minutes. Not for CI.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)

build=$top/build/bench-release peers_only=0 readme=0 as_user= pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$(realpath -m "$2"); shift 2 ;;
	--as) as_user=$2; shift 2 ;;
	--peers-only) peers_only=1; shift ;;
	--readme) readme=1; shift ;;
	*) pass+=("$1"); shift ;;
	esac
done

if [ "${LB_BENCH_NETNS:-}" = "" ] && [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
	args=(--build "$build")
	[ $peers_only -eq 1 ] && args+=(--peers-only)
	[ $readme -eq 1 ] && args+=(--readme)
	[ -n "$as_user" ] && args+=(--as "$as_user")
	LB_BENCH_NETNS=1 exec unshare -n bash "$0" "${args[@]}" "${pass[@]}"
fi
netns="Run in the host's network namespace"
if [ "${LB_BENCH_NETNS:-}" = 1 ]; then
	ip link set lo up
	netns="Run in a private network namespace (unshare -n), the same kernel and /proc"
fi

for tool in ss lsof fuser netstat /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "run-who: $tool missing: bash scripts/setup.sh" >&2; exit 2; }
done
/usr/bin/python3 -c 'import psutil' || { echo "run-who: python3-psutil missing" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release >/dev/null
fi
meson compile -C "$build" -j2 >/dev/null

opts=(--busyhost "$build/bench/busyhost" --netns "$netns")
if [ $peers_only -eq 0 ]; then
	opts+=(--loopback "$build/tools/loopback")
	if [ -x "$build/bench/bench-who" ]; then
		opts+=(--bench-who "$build/bench/bench-who")
	fi
fi
[ $readme -eq 1 ] && opts+=(--readme "$here/README.md")
if [ -n "$as_user" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "run-who: --as needs root" >&2; exit 2; }
	[ $readme -eq 0 ] || { echo "run-who: --as and --readme: $as_user may not write the README" >&2; exit 2; }
	id -u "$as_user" >/dev/null || exit 2
	opts+=(--netns "$netns; as $as_user (uid $(id -u "$as_user")), busy host included")
	exec setpriv --reuid="$as_user" --regid="$(id -g "$as_user")" --clear-groups \
		/usr/bin/python3 "$here/run-who.py" "${opts[@]}" "${pass[@]}"
fi
exec /usr/bin/python3 "$here/run-who.py" "${opts[@]}" "${pass[@]}"
