#!/bin/bash
# SPDX-License-Identifier: MIT
# The environment must not change answers or read files for a privileged
# caller: a setuid-root program run by nobody ignores LOOPBACK_BACKEND,
# LOOPBACK_MOCK_FILE, LOOPBACK_LEASE_BACKEND and XDG_RUNTIME_DIR (the
# library reads them with secure_getenv()), while the same program without
# the setuid bit obeys them (so the test can fail).
set -u
. "$LB_TESTS_DIR/lib.sh"
probe=${LB_SETUID_PROBE:-}
if [ -z "$probe" ] || [ ! -x "$probe" ]; then
	skip "no setuid probe (needs -Dtest_doubles=true)"
	finish
	exit 77
fi
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	skip "needs root (to make the probe setuid) and setpriv"
	finish
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
cp "$probe" "$tmp/probe"
chown root:root "$tmp/probe"
chmod 4755 "$tmp/probe"
# A root-only fixture: nobody must never get it read for them.
mkdir -m 700 "$tmp/private"
cp "$LB_TESTS_DIR/data/sock-mock-basic.txt" "$tmp/private/fixture"
cp "$LB_TESTS_DIR/data/sock-mock-basic.txt" "$tmp/fixture"
chmod 644 "$tmp/fixture"
mkdir -m 1777 "$tmp/rt"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
ENV=(env LOOPBACK_BACKEND=mock LOOPBACK_LEASE_BACKEND=flock XDG_RUNTIME_DIR="$tmp/rt")
out=$("${NOBODY[@]}" "${ENV[@]}" LOOPBACK_MOCK_FILE="$tmp/private/fixture" "$tmp/probe" 2>&1)
case $out in "euid 0"*) ;; *)
	skip "the setuid bit does not take effect here (nosuid mount?): $out"
	finish
	exit 77 ;;
esac
case $out in *"backend mock"*) fail "setuid: LOOPBACK_BACKEND=mock was obeyed: $out" ;;
*"backend netlink"*|*"backend procfs"*) ok "setuid: LOOPBACK_BACKEND=mock is ignored, the real table is read" ;;
*) fail "setuid: $out" ;; esac
case $out in *"lease_dir LB_ENOTSUP"*) ok "setuid: LOOPBACK_LEASE_BACKEND=flock is ignored" ;;
*) fail "setuid lease backend: $out" ;; esac
# Missing or malformed files tell nothing either.
a=$("${NOBODY[@]}" "${ENV[@]}" LOOPBACK_MOCK_FILE="$tmp/none" "$tmp/probe" 2>&1 | grep ^backend | cut -d' ' -f1-2)
b=$(timeout 20 "${NOBODY[@]}" "${ENV[@]}" LOOPBACK_MOCK_FILE=/dev/zero "$tmp/probe" 2>&1 | grep ^backend | cut -d' ' -f1-2)
[ "$a" = "$b" ] && [ "$a" != "backend error" ] && ok "setuid: a missing and a bad fixture answer the same: $a" ||
	fail "setuid: missing '$a' vs /dev/zero '$b'"
# Only XDG_RUNTIME_DIR, with the flock backend forced the honest way
# (none: the variable is ignored): the default directory stays.
out=$("${NOBODY[@]}" env XDG_RUNTIME_DIR="$tmp/rt" "$tmp/probe" 2>&1)
case $out in *"$tmp/rt"*) fail "setuid: XDG_RUNTIME_DIR was used: $out" ;; *) ok "setuid: XDG_RUNTIME_DIR is not used" ;; esac

# The same program without the setuid bit, as nobody: the variables work.
chmod 755 "$tmp/probe"
out=$("${NOBODY[@]}" "${ENV[@]}" LOOPBACK_MOCK_FILE="$tmp/fixture" "$tmp/probe" 2>&1)
case $out in *"backend mock 8"*"lease_dir $tmp/rt/loopback-leases"*) ok "not setuid: the variables are obeyed (the test can fail)" ;;
*) fail "not setuid: $out" ;; esac
out=$("${NOBODY[@]}" "${ENV[@]}" LOOPBACK_MOCK_FILE="$tmp/private/fixture" "$tmp/probe" 2>&1)
case $out in *"backend error LB_EPERM"*) ok "not setuid: nobody cannot read the private fixture" ;;
*) fail "not setuid, private fixture: $out" ;; esac
finish
