#!/bin/bash
# SPDX-License-Identifier: MIT
# Install what libloopback needs on Debian 12: quick and silent when all is
# there, one `apt-get update` then one `apt-get install` otherwise.
#
#   bash scripts/setup.sh [LIST...]
#
# LIST is "demo" (scripts/packages-demo.txt: the build and the demo),
# "test" (scripts/packages.txt: the tests, cross-builds, bindings and
# benchmarks) or a path to a list; with none, both demo and test.
#
# A fresh cloud machine runs unattended-upgrades at boot, holding the dpkg
# and apt locks for minutes: setup waits for them (saying which process
# holds which lock) up to LB_SETUP_LOCK_TIMEOUT seconds (default 600), and
# apt-get itself waits as long (DPkg::Lock::Timeout) if the lock is taken
# again between the two. For tests: LB_SETUP_LOCKS (space-separated lock
# files instead of dpkg's and apt's) and LB_SETUP_DRY_RUN=1 (print the
# apt-get commands instead of running them).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ $# -gt 0 ] || set -- demo test
lists=()
for l in "$@"; do
	case $l in
	demo) lists+=("$here/packages-demo.txt") ;;
	test) lists+=("$here/packages.txt") ;;
	*) lists+=("$l") ;;
	esac
done

missing=()
for list in "${lists[@]}"; do
	while read -r pkg _; do
		case $pkg in ''|'#'*) continue ;; esac
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || missing+=("$pkg")
	done <"$list"
done
[ ${#missing[@]} -gt 0 ] || exit 0

dry=${LB_SETUP_DRY_RUN:-0}
if [ "$(id -u)" -ne 0 ] && [ "$dry" != 1 ]; then
	echo "setup: missing packages: ${missing[*]} (run as root to install)" >&2
	exit 1
fi

locks=${LB_SETUP_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}
timeout=${LB_SETUP_LOCK_TIMEOUT:-600}

# lock_holders: "PATH (held by NAME, pid PID)" for each lock file of $locks
# that a process holds (dpkg and apt take POSIX fcntl locks; lslocks lists
# them with the file's inode), nothing when all are free.
lock_holders() {
	local table f ino
	table=$(lslocks -n -r -o PID,COMMAND,INODE 2>/dev/null) || return 0
	for f in $locks; do
		[ -e "$f" ] || continue
		ino=$(stat -c %i "$f") || continue
		awk -v ino="$ino" -v f="$f" '$3 == ino { printf "%s (held by %s, pid %s)\n", f, $2, $1 }' <<<"$table"
	done | sort -u
}

# wait_for_locks: until no lock is held, or give up after $timeout s.
wait_for_locks() {
	local start=$SECONDS said=-30 held
	while held=$(lock_holders) && [ -n "$held" ]; do
		if [ $((SECONDS - start)) -ge "$timeout" ]; then
			echo "setup: gave up after ${timeout} s waiting for the package manager's locks:" >&2
			sed 's/^/setup:   /' <<<"$held" >&2
			echo "setup: let it finish (or stop it), then run this again" >&2
			return 1
		fi
		if [ $((SECONDS - said)) -ge 30 ]; then
			echo "setup: waiting for another package manager run to finish (a fresh machine runs unattended-upgrades at boot); up to $((timeout - (SECONDS - start))) s more for:" >&2
			sed 's/^/setup:   /' <<<"$held" >&2
			said=$SECONDS
		fi
		sleep 1
	done
	if [ "$said" -ge 0 ]; then
		echo "setup: the locks are free after $((SECONDS - start)) s" >&2
	fi
}

apt() {
	if [ "$dry" = 1 ]; then
		echo "setup: would run: apt-get $*" >&2
	else
		apt-get "$@"
	fi
}

echo "setup: installing ${missing[*]}" >&2
wait_for_locks
export DEBIAN_FRONTEND=noninteractive
apt -o DPkg::Lock::Timeout="$timeout" update -qq >/dev/null
apt -o DPkg::Lock::Timeout="$timeout" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
