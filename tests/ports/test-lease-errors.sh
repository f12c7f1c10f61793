#!/bin/bash
# SPDX-License-Identifier: MIT
# Lease failures say where and why: with file leases (flock), the lease
# directory and what is wrong with it; a long XDG_RUNTIME_DIR works up to
# what the system takes; LOOPBACK_LEASE_BACKEND=bogus is an error.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_err DESC WANT_RC WANT_TEXT CMD...: exit code and a message part.
expect_err() {
	local desc=$1 want=$2 text=$3 rc=0 err; shift 3
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	case "$rc:$err" in
	"$want:"*"$text"*) ok "$desc" ;;
	*) fail "$desc: exit $rc, '$err'" ;;
	esac
}

expect_err "LOOPBACK_LEASE_BACKEND=bogus: pick says so, exit 2" 2 "LOOPBACK_LEASE_BACKEND='bogus' names no lease backend" \
	env LOOPBACK_LEASE_BACKEND=bogus "$lb" pick
expect_err "LOOPBACK_LEASE_BACKEND=bogus: run exits 125" 125 "names no lease backend" \
	env LOOPBACK_LEASE_BACKEND=bogus "$lb" run -- true
expect_exit 0 "LOOPBACK_LEASE_BACKEND=flock works" env LOOPBACK_LEASE_BACKEND=flock XDG_RUNTIME_DIR="$tmp" "$lb" pick

export LOOPBACK_LEASE_BACKEND=flock
# 600 bytes of directory names: a valid path (was "Output buffer too small").
x=$(printf 'd%.0s' $(seq 100))
long=$tmp/$x/$x/$x/$x/$x/$x
mkdir -p "$long"
expect_exit 0 "a 600-byte XDG_RUNTIME_DIR is used" env XDG_RUNTIME_DIR="$long" "$lb" pick
[ -d "$long/loopback-leases" ] && ok "the lease directory was made in it" || fail "no $long/loopback-leases"
# Longer than any path: said so, with the start of the path.
huge=/$(printf 'x%.0s' $(seq 5000))
expect_err "a 5000-byte XDG_RUNTIME_DIR: 'the path is too long'" 2 "cannot take a lease in /xxxx" \
	env XDG_RUNTIME_DIR="$huge" "$lb" pick
err=$(XDG_RUNTIME_DIR=$huge "$lb" pick 2>&1)
case $err in *"path is too long"*) ok "the reason is the length" ;; *) fail "long path: $err" ;; esac
case $err in *"Output buffer too small"*) fail "says 'Output buffer too small'" ;; *) ok "no 'Output buffer too small'" ;; esac

# A directory that is not private: the path and the reason.
rt=$tmp/rt
mkdir -p "$rt/loopback-leases"
chmod 755 "$rt/loopback-leases"
expect_err "a lease directory of mode 0755: path and mode named" 2 "cannot take a lease in $rt/loopback-leases: mode 0755" \
	env XDG_RUNTIME_DIR="$rt" "$lb" pick
expect_err "the same under run: exit 125" 125 "$rt/loopback-leases: mode 0755" \
	env XDG_RUNTIME_DIR="$rt" "$lb" run -- true
rm -rf "$rt"
mkdir -p "$rt"
ln -s "$tmp" "$rt/loopback-leases"
expect_err "a symbolic link: said so" 2 "$rt/loopback-leases: a symbolic link" \
	env XDG_RUNTIME_DIR="$rt" "$lb" pick
expect_err "a missing XDG_RUNTIME_DIR: path and reason" 2 "$tmp/none/loopback-leases: No such file or directory" \
	env XDG_RUNTIME_DIR="$tmp/none" "$lb" pick
if [ "$(id -u)" = 0 ]; then
	rm -f "$rt/loopback-leases"
	mkdir -m 700 "$rt/loopback-leases"
	chown 65534 "$rt/loopback-leases"
	expect_err "a directory of another user: its owner named" 2 "owned by uid 65534" \
		env XDG_RUNTIME_DIR="$rt" "$lb" pick
else
	skip "needs root to give a directory to another user"
fi
finish
