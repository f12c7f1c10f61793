#!/bin/bash
# SPDX-License-Identifier: MIT
# --netns on who, check and wait (as ls and audit have it), and the NETNS
# column of ls --all-netns: a listener in a fresh namespace (unshare -n) is
# seen there and only there.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	skip "network namespaces need root and unshare -n"
	finish
	exit 77
fi

P=$("$lb" pick) || { fail "pick a port"; finish; exit; }
start_holder ns unshare -n bash -c 'ip link set lo up && exec "$@"' bash -- \
	--name lbt-netns --timeout 60 "tcp/127.0.0.1/$P" || { fail "holder in a namespace"; finish; exit; }
NSPID=$(jget "$LB_T_TMP/ns.json" 'd["pid"]')
NSINO=$(readlink "/proc/$NSPID/ns/net" | tr -dc 0-9)

# who
expect_exit 0 "who --netns PID PORT finds the listener" "$lb" who --netns "$NSPID" "$P"
expect_exit 1 "who PORT in our namespace: nobody" "$lb" who "$P"
out=$("$lb" who "$P" --netns "$NSPID" -q)
[ "$out" = "$NSPID" ] && ok "who PORT --netns PID -q: the holder's pid" || fail "who -q --netns: '$out'"
n=$(jget <("$lb" who --json --netns "/proc/$NSPID/ns/net" "127.0.0.1:$P") '[s["netns"] for s in d]')
[ "$n" = "[$NSINO]" ] && ok "who --netns PATH --json: the socket of that namespace" || fail "who --netns PATH: $n, want [$NSINO]"

# check
expect_exit 1 "check --netns PID 127.0.0.1:PORT: in use there" "$lb" check --netns "$NSPID" "127.0.0.1:$P"
expect_exit 0 "check 127.0.0.1:PORT here: bindable" "$lb" check "127.0.0.1:$P"
out=$("$lb" check "127.0.0.1:$P" --netns "$NSPID")
case $out in *"lbt-netns"*) ok "check --netns names the holder in that namespace" ;; *) fail "check --netns: $out" ;; esac

# wait
expect_exit 0 "wait --netns PID 127.0.0.1:PORT: accepting there" "$lb" wait --netns "$NSPID" "127.0.0.1:$P" -t 5
expect_exit 1 "wait 127.0.0.1:PORT here: times out" "$lb" wait "127.0.0.1:$P" -t 0.2
expect_exit 0 "wait --netns PID --pid PID: held by it" "$lb" wait --netns "$NSPID" --pid "$NSPID" "127.0.0.1:$P" -t 5
n=$(jget <("$lb" wait --json --netns "$NSPID" "127.0.0.1:$P" -t 5) '[o["pid"] for s in d["listeners"] for o in s["owners"]]')
[ "$n" = "[$NSPID]" ] && ok "wait --json --netns: the listener and its owner" || fail "wait --json --netns: $n"

# Bad namespaces: one line, exit 2.
for verb in who check wait; do
	err=$("$lb" $verb --netns nope "127.0.0.1:$P" 2>&1 >/dev/null); rc=$?
	n=$(printf '%s\n' "$err" | wc -l)
	[ $rc = 2 ] && [ "$n" = 1 ] && ok "$verb --netns nope: one line, exit 2" || fail "$verb --netns nope: exit $rc: $err"
done
expect_exit 2 "check --netns /nonexistent" "$lb" check --netns /nonexistent "127.0.0.1:$P"
expect_exit 2 "wait --netns /nonexistent" "$lb" wait --netns /nonexistent "127.0.0.1:$P" -t 0
expect_exit 2 "who --netns 0" "$lb" who --netns 0 "$P"

# ls --all-netns: a NETNS column in the human table.
"$lb" ls --all-netns -l >"$LB_T_TMP/ls.txt"
head -1 "$LB_T_TMP/ls.txt" | grep -q '^NETNS  *PROTO  *STATE' && ok "ls --all-netns: NETNS heads the table" || fail "header: $(head -1 "$LB_T_TMP/ls.txt")"
grep -q "^$NSINO  *tcp  *LISTEN  *127.0.0.1:$P " "$LB_T_TMP/ls.txt" && ok "ls --all-netns: the row names the namespace" || fail "no row '$NSINO tcp LISTEN 127.0.0.1:$P' in: $(grep ":$P " "$LB_T_TMP/ls.txt")"
"$lb" ls -l >"$LB_T_TMP/ls1.txt"
head -1 "$LB_T_TMP/ls1.txt" | grep -q '^PROTO' && ok "ls without --all-netns: no NETNS column" || fail "ls header: $(head -1 "$LB_T_TMP/ls1.txt")"
finish
