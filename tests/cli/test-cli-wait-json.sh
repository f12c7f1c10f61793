#!/bin/bash
# SPDX-License-Identifier: MIT
# wait --json: what it waited for, how long, and the listener it found with
# its owner (socket objects as who --json prints them); also on a timeout
# and when --pid's process is gone.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

ports=$("$lb" pick -n 2) || { fail "pick 2 ports"; finish; exit; }
set -- $ports
P=$1 FREE=$2
start_holder h -- --name lbt-waitjson --timeout 60 "tcp/127.0.0.1/$P/f" || { fail "holder started"; finish; exit; }
H=$LB_T_TMP/h.json
PID=$(jget "$H" 'd["pid"]')
CHILD=$(jget "$H" 'd["child"]')

J=$LB_T_TMP/w.json
"$lb" wait "127.0.0.1:$P" --json -t 5 >"$J"; rc=$?
[ $rc = 0 ] && ok "wait --json: exit 0" || fail "wait --json: exit $rc"
n=$(jget "$J" '(d["target"], d["address"], d["port"], d["condition"], d["pid"], d["timeout_ms"], d["ready"], d["outcome"])')
[ "$n" = "('127.0.0.1:$P', '127.0.0.1', $P, 'accepting', None, 5000, True, 'ready')" ] && ok "wait --json: what it waited for" || fail "wait --json fields: $n"
n=$(jget "$J" 'isinstance(d["waited_ms"], int) and 0 <= d["waited_ms"] <= 5000')
[ "$n" = True ] && ok "wait --json: waited_ms within the timeout" || fail "waited_ms: $(jget "$J" 'd["waited_ms"]')"
n=$(jget "$J" '[(s["local"]["address"], s["local"]["port"], s["state"], sorted(o["pid"] for o in s["owners"])) for s in d["listeners"]]')
want="[('127.0.0.1', $P, 'LISTEN', $(printf '[%s, %s]' $(printf '%s\n' "$PID" "$CHILD" | sort -n)))]"
[ "$n" = "$want" ] && ok "wait --json: the listener and its owners" || fail "listeners: $n, want $want"
# The same socket object who --json prints (keys and owners).
"$lb" who --json "127.0.0.1:$P" >"$LB_T_TMP/who.json"
n=$("$PY" -c 'import json,sys
w=[s for s in json.load(open(sys.argv[1])) if s["state"]=="LISTEN"][0]
l=json.load(open(sys.argv[2]))["listeners"][0]
print(list(w.keys())==list(l.keys()) and w["inode"]==l["inode"] and w["owners"]==l["owners"])' "$LB_T_TMP/who.json" "$J")
[ "$n" = True ] && ok "wait --json: the listener is who --json's socket object" || fail "wait vs who: $n"

"$lb" wait "127.0.0.1:$P" --json --pid "$PID" -t 5 >"$J"
n=$(jget "$J" '(d["pid"], d["ready"], len(d["listeners"]))')
[ "$n" = "($PID, True, 1)" ] && ok "wait --json --pid: pid and its listener" || fail "wait --json --pid: $n"

"$lb" wait "127.0.0.1:$FREE" --json -t 0.2 >"$J" 2>/dev/null; rc=$?
n=$(jget "$J" '(d["ready"], d["outcome"], d["listeners"], d["waited_ms"] >= 200)')
[ $rc = 1 ] && [ "$n" = "(False, 'timed-out', [], True)" ] && ok "wait --json timing out: exit 1, ready false, waited >= 200 ms" || fail "timeout: exit $rc $n"

"$lb" wait "127.0.0.1:$FREE" --json --free -t 1 >"$J"; rc=$?
n=$(jget "$J" '(d["condition"], d["ready"], d["listeners"])')
[ $rc = 0 ] && [ "$n" = "('free', True, [])" ] && ok "wait --json --free" || fail "--free: exit $rc $n"

sh -c 'exit 0' & gone=$!; wait $gone
"$lb" wait "127.0.0.1:$P" --json --pid "$gone" -t 5 >"$J" 2>/dev/null; rc=$?
n=$(jget "$J" '(d["ready"], d["outcome"])')
[ $rc = 1 ] && [ "$n" = "(False, 'process-gone')" ] && ok "wait --json --pid GONE: process-gone, exit 1" || fail "gone: exit $rc $n"

out=$("$lb" wait "127.0.0.1:$P" --json -t 5 -- echo after)
[ "$(printf '%s\n' "$out" | tail -1)" = after ] && [ "${out:0:1}" = "{" ] && ok "wait --json -- CMD: the JSON line, then CMD" || fail "--json -- CMD: $out"
expect_exit 2 "wait --json without an endpoint: usage error" "$lb" wait --json
finish
