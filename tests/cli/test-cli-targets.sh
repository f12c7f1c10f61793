#!/bin/bash
# SPDX-License-Identifier: MIT
# who and check take several targets, :PORT (any address) and a bare PORT
# (check says which addresses it checks); who 0.0.0.0:P finds the
# 127.0.0.1 listener a connection to 0.0.0.0:P reaches on Linux; who -q
# prints each holder's pid once; JSON is one flat array for any number of
# targets.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

ports=$("$lb" pick -n 4) || { fail "pick 4 ports"; finish; exit; }
set -- $ports
P1=$1 P2=$2 P3=$3 FREE=$4
# P1: a 127.0.0.1 listener shared with a forked child (two holders);
# P2: a [::1] listener; P3: a listener and an established pair (one pid).
start_holder h -- --name lbt-targets --timeout 60 \
	"tcp/127.0.0.1/$P1/f" "tcp/::1/$P2" "tcp/127.0.0.1/$P3/c" || { fail "holder started"; finish; exit; }
H=$LB_T_TMP/h.json
PID=$(jget "$H" 'd["pid"]')
CHILD=$(jget "$H" 'd["child"]')

# Several targets.
expect_exit 0 "who P1 P2 P3: all held" "$lb" who "$P1" "$P2" "$P3"
expect_exit 1 "who P1 FREE: one is held by nobody (exit 1)" "$lb" who "$P1" "$FREE"
out=$("$lb" who "$P1" "$FREE")
case $out in *"pid $PID"*"nobody holds TCP port $FREE"*) ok "who P1 FREE: the holder, then nobody for FREE" ;; *) fail "who P1 FREE: $out" ;; esac
"$lb" who --json "$P1" "$P2" "$P3" "127.0.0.1:$P1" ":$P3" >"$LB_T_TMP/w.json"
n=$(jget "$LB_T_TMP/w.json" 'sum(1 for s in d if s["local"]["port"] in ('"$P1,$P2,$P3"'))')
# P1 listener, P2 listener, P3 listener + accepted socket = 4, each once
[ "$n" = 4 ] && ok "who --json of 5 targets: one flat array, each socket once (4)" || fail "who --json: $n sockets, want 4"
n=$(jget "$LB_T_TMP/w.json" 'len(set((s["inode"], s["local"]["port"], s["remote"]["port"]) for s in d)) == len(d)')
[ "$n" = True ] && ok "who --json: no socket twice" || fail "who --json: duplicates"

# :PORT is any address.
expect_exit 0 "who :P1" "$lb" who ":$P1"
expect_exit 0 "who :P2 (an IPv6 listener)" "$lb" who ":$P2"
expect_exit 1 "who :FREE" "$lb" who ":$FREE"
expect_exit 2 "who : is a usage error" "$lb" who ":"
expect_exit 2 "who :0 is a usage error" "$lb" who ":0"
expect_exit 2 "who :65536 is a usage error" "$lb" who ":65536"

# 0.0.0.0 as a target: any local IPv4 address (connect(0.0.0.0:P) reaches
# the 127.0.0.1 listener on Linux); [::] any local IPv6 address.
expect_exit 0 "who 0.0.0.0:P1 finds the 127.0.0.1 listener" "$lb" who "0.0.0.0:$P1"
if /usr/bin/python3 -c "import socket,sys; s=socket.create_connection(('0.0.0.0',$P1),2)" 2>/dev/null; then
	ok "connect(0.0.0.0:P1) reaches it (so who agrees with the kernel)"
else
	skip "connect(0.0.0.0) does not reach 127.0.0.1 here"
fi
expect_exit 1 "who 0.0.0.0:P2: the [::1] listener takes no IPv4" "$lb" who "0.0.0.0:$P2"
expect_exit 0 "who [::]:P2 finds the [::1] listener" "$lb" who "[::]:$P2"
expect_exit 1 "who [::]:P1: the IPv4 listener is not IPv6" "$lb" who "[::]:$P1"
expect_exit 1 "who 127.0.0.2:P1: another address is not covered" "$lb" who "127.0.0.2:$P1"

# -q: pids only, one per line, each once.
out=$("$lb" who -q "$P1")
want=$(printf '%s\n' "$PID" "$CHILD" | sort -n)
[ "$out" = "$want" ] && ok "who -q P1: the two holders, sorted" || fail "who -q P1: '$out', want '$want'"
out=$("$lb" who --quiet "$P3" "$P1" ":$P3")
want=$(printf '%s\n' "$PID" "$CHILD" | sort -n)
[ "$out" = "$want" ] && ok "who --quiet P3 P1 :P3: each pid once" || fail "who --quiet: '$out', want '$want'"
out=$("$lb" who -q "$FREE"); rc=$?
[ $rc = 1 ] && [ -z "$out" ] && ok "who -q FREE: nothing, exit 1" || fail "who -q FREE: exit $rc '$out'"
expect_exit 2 "who -q --json: usage error" "$lb" who -q --json "$P1"

# check: several targets, bare ports, :PORT.
expect_exit 0 "check FREE (bare port)" "$lb" check "$FREE"
out=$("$lb" check "$FREE")
case $out in *"port $FREE on every address: checking 0.0.0.0 and [::]"*) ok "check PORT says which addresses it checks" ;; *) fail "check PORT: $out" ;; esac
expect_exit 1 "check P1 (bare): not bindable on every address" "$lb" check "$P1"
expect_exit 0 "check :FREE" "$lb" check ":$FREE"
expect_exit 0 "check 127.0.0.1:FREE [::1]:FREE" "$lb" check "127.0.0.1:$FREE" "[::1]:$FREE"
expect_exit 1 "check 127.0.0.1:FREE 127.0.0.1:P1: one is not bindable" "$lb" check "127.0.0.1:$FREE" "127.0.0.1:$P1"
"$lb" check --json "127.0.0.1:$FREE" "$P1" "127.0.0.1:$P3" >"$LB_T_TMP/c.json"
n=$(jget "$LB_T_TMP/c.json" '[(o["address"], o["port"], o["bindable"]) for o in d]')
want="[('127.0.0.1', $FREE, True), ('0.0.0.0', $P1, False), ('::', $P1, False), ('127.0.0.1', $P3, False)]"  # a dual-stack [::] is blocked by 127.0.0.1
[ "$n" = "$want" ] && ok "check --json of 3 targets: one object per address, in order" || fail "check --json: $n, want $want"
expect_exit 2 "check P1 bad: every target is valid first" "$lb" check "$P1" "nope"
out=$("$lb" check "127.0.0.1:$FREE" "nope" 2>/dev/null)
[ -z "$out" ] && ok "a bad target: nothing checked" || fail "checked before the bad target: $out"
finish
