#!/bin/bash
# SPDX-License-Identifier: MIT
# The flock() lease backend (the one for macOS/FreeBSD), forced on Linux
# with LOOPBACK_LEASE_BACKEND=flock: leases, SIGKILL, collisions, and the
# safety of its private per-user directory.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
hold=$LB_PICK_HOLD
tmp=$(mktemp -d)
chmod 755 "$tmp"
lb_t_on_exit 'rm -rf "$tmp"'
# The flock leases below live in a private directory, unseen by other
# checkouts' pickers: the port they work on is also leased the usual way
# (host-wide) for the whole test, so no other picker is given it.
lb_t_lease 1 || { fail "lease a port"; finish; exit 1; }
export LOOPBACK_LEASE_BACKEND=flock XDG_RUNTIME_DIR=$tmp/rt
mkdir -m 700 "$tmp/rt"
# The staged copy for the runs as nobody (the tree may be out of reach).
if lb_t_nobody; then nlb=$LB_T_NOBODY_LB; else nlb=; fi

out=$("$lb" run --range "$LB_T_PORT-$LB_T_PORT" -- sh -c '"$0" pick --range $PORT-$PORT >/dev/null 2>&1; echo "rc=$? port=$PORT"' "$lb")
case $out in rc=1\ port=*) ok "flock: the port is leased while the command runs" ;; *) fail "flock lease: $out" ;; esac
port=${out#*port=}
[ -f "$tmp/rt/loopback-leases/tcp-$port" ] && ok "flock: lock file in the private directory" || fail "no lock file for $port"
mode=$(stat -c %a "$tmp/rt/loopback-leases")
[ "$mode" = 700 ] && ok "flock: directory is 0700" || fail "directory mode $mode"
"$lb" pick --range "$port-$port" >/dev/null && ok "flock: the lease ends with the command" || fail "flock lease left"

# SIGKILL frees at once.
sleep 20 | "$hold" --range "$port-$port" >"$tmp/h.out" 2>&1 &
hp=$!
sleep 0.01
for _ in $(seq 100); do grep -q ready "$tmp/h.out" 2>/dev/null && break; sleep 0.05; done 2>/dev/null
grep -q "^ports $port$" "$tmp/h.out" && ok "flock: holder took $port" || fail "holder: $(cat "$tmp/h.out")"
expect_exit 1 "flock: leased port is not picked" "$lb" pick --range "$port-$port"
kill -KILL "$hp"; wait "$hp" 2>/dev/null
expect_exit 0 "flock: free at once after SIGKILL" "$lb" pick --range "$port-$port"

# Collisions: 16 holders x 100 ports at once.
mkfifo "$tmp/barrier"
exec 3<>"$tmp/barrier"
pids=()
for i in $(seq 16); do "$hold" --rounds 100 <"$tmp/barrier" >"$tmp/out.$i" 3>&- & pids+=($!); done
for _ in $(seq 600); do [ "$(cat "$tmp"/out.* | grep -c '^ready$')" -eq 16 ] && break; sleep 0.1; done
n=$(cat "$tmp"/out.* | grep -c '^ports ')
d=$(cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2 | sort | uniq -d | wc -l)
[ "$n" -eq 1600 ] && [ "$d" -eq 0 ] && ok "flock: 1600 ports held by 16 processes, no duplicate" || fail "flock collisions: $n ports, $d duplicates"
exec 3>&-
for p in "${pids[@]}"; do wait "$p"; done

# Safety: a planted symlink or a directory that is not private is refused.
if [ -n "$nlb" ]; then
mkdir -m 777 "$tmp/n"
ln -s "$tmp/target" "$tmp/n/loopback-leases"
mkdir "$tmp/target"; chmod 777 "$tmp/target"
rc=0; XDG_RUNTIME_DIR=$tmp/n "${NOBODY[@]}" "$nlb" pick >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && [ -z "$(ls -A "$tmp/target")" ] && ok "flock: a symlinked directory is refused, nothing written" || fail "symlink: rc=$rc, $(ls "$tmp/target")"
rm "$tmp/n/loopback-leases"
mkdir -m 755 "$tmp/n/loopback-leases"
rc=0; XDG_RUNTIME_DIR=$tmp/n "${NOBODY[@]}" "$nlb" pick >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && ok "flock: another user's directory is refused" || fail "foreign dir: rc=$rc"
chown 65534:65534 "$tmp/n/loopback-leases"
rc=0; XDG_RUNTIME_DIR=$tmp/n "${NOBODY[@]}" "$nlb" pick >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && ok "flock: a group/world-readable directory is refused" || fail "0755 dir: rc=$rc"
chmod 700 "$tmp/n/loopback-leases"
ln -s /etc/passwd "$tmp/n/loopback-leases/tcp-1"
rc=0; XDG_RUNTIME_DIR=$tmp/n "${NOBODY[@]}" "$nlb" pick >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] && ok "flock: its own private directory works" || fail "own dir: rc=$rc"
rc=0; XDG_RUNTIME_DIR=$tmp/n "${NOBODY[@]}" "$nlb" pick --range 1-1 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && [ "$(stat -c %U /etc/passwd)" = root ] && ok "flock: a symlinked lock file is refused, never followed" || fail "symlinked lock file: rc=$rc"
else
	skip "flock directory safety as nobody: $LB_T_NOBODY_WHY"
fi
finish
