#!/bin/bash
# SPDX-License-Identifier: MIT
# Network namespaces: a fresh namespace (unshare -n) seen from inside, by
# pid and by path from outside, and --all-netns; plus loopback audit in a
# namespace where we know every listener.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	skip "network namespaces need root and unshare -n"
	finish
	exit 77
fi

# Inside a fresh namespace: exactly the holder's sockets, exact owners.
unshare -n bash -c '
	ip link set lo up
	"$0" "$1" --name lbt-ns --timeout 30 tcp/127.0.0.1/0/fc tcp/0.0.0.0/0 tcp/::/0 udp/::/0/v udp/127.0.0.1/0 >"$2" &
	for i in $(seq 1 200); do [ -s "$2" ] && break; sleep 0.05; done
	"$3" ls --json >"$2.ls"
	LOOPBACK_BACKEND=procfs "$3" ls --json >"$2.procfs"
	"$3" audit --json >"$2.audit"; echo $? >"$2.audit.rc"
	"$3" audit >/dev/null --allow tcp/$("$0" -c "import json;print(json.load(open(\"$2\"))[\"sockets\"][3][\"port\"])") --allow lbt-ns; echo $? >"$2.allow.rc"
	kill %1
' "$PY" "$HOLDER" "$LB_T_TMP/in.json" "$LOOPBACK"
run_check owners "$LB_T_TMP/in.json" "$LB_T_TMP/in.json.ls" exact
run_check owners "$LB_T_TMP/in.json" "$LB_T_TMP/in.json.procfs" exact
[ "$(cat "$LB_T_TMP/in.json.audit.rc")" = 1 ] && ok "audit exits 1 when a listener is exposed" || fail "audit exit $(cat "$LB_T_TMP/in.json.audit.rc")"
n=$(jget "$LB_T_TMP/in.json.audit" 'sorted((s["protocol"], s["local"]["address"], s["v6only"], s["allowed"]) for s in d)')
want="[('tcp', '0.0.0.0', False, False), ('tcp', '::', False, False), ('udp', '::', True, False)]"
[ "$n" = "$want" ] && ok "audit lists 0.0.0.0, dual-stack [::] and IPv6-only [::], not loopback" || fail "audit: $n"
[ "$(cat "$LB_T_TMP/in.json.allow.rc")" = 0 ] && ok "audit --allow PORT --allow NAME: exit 0" || fail "audit --allow: exit $(cat "$LB_T_TMP/in.json.allow.rc")"

# From outside, by the pid of a process inside.
start_holder out unshare -n -- --name lbt-nsout --timeout 60 tcp/0.0.0.0/0/f udp/::/0 || { fail "holder in netns"; finish; exit; }
O=$LB_T_TMP/out.json
OPID=$(jget "$O" 'd["pid"]')
"$LOOPBACK" ls --json --netns "$OPID" >"$LB_T_TMP/byp.json"
run_check owners "$O" "$LB_T_TMP/byp.json" exact
LOOPBACK_BACKEND=procfs "$LOOPBACK" ls --json --netns "$OPID" >"$LB_T_TMP/byp-procfs.json"
run_check owners "$O" "$LB_T_TMP/byp-procfs.json" exact
OPORT=$(jget "$O" 'd["sockets"][0]["port"]')
n=$(jget <("$LOOPBACK" ls --json) "len([s for s in d if s['inode'] in [x['inode'] for x in json.load(open('$O'))['sockets']]])")
[ "$n" = 0 ] && ok "the namespace's sockets are not in our own listing" || fail "own listing shows $n of them"

# By path: a named namespace.
NS=lbt-sockets-$$
if ip netns add "$NS" 2>/dev/null; then
	start_holder named ip netns exec "$NS" -- --name lbt-named --timeout 60 tcp/127.0.0.1/0 || fail "holder in named netns"
	"$LOOPBACK" ls --json --netns "/var/run/netns/$NS" >"$LB_T_TMP/bypath.json"
	run_check owners "$LB_T_TMP/named.json" "$LB_T_TMP/bypath.json" exact
	"$LOOPBACK" ls --json --all-netns >"$LB_T_TMP/all.json"
	run_check owners "$LB_T_TMP/named.json" "$LB_T_TMP/all.json"
	run_check owners "$O" "$LB_T_TMP/all.json"
	n=$(jget "$LB_T_TMP/all.json" 'len(set(s["netns"] for s in d))')
	[ "$n" -ge 3 ] && ok "--all-netns: sockets from $n namespaces" || fail "--all-netns: $n namespaces"
	kill -9 "${LB_T_PIDS[-1]}" 2>/dev/null
	ip netns del "$NS"
else
	skip "ip netns add failed"
fi

# Errors: not a namespace, a missing one, a gone process.
expect_exit 2 "--netns /etc/passwd: not a namespace" "$LOOPBACK" ls --netns /etc/passwd
err=$("$LOOPBACK" ls --netns /etc/passwd 2>&1)
case $err in *"Invalid argument"*) ok "not a namespace is explained" ;; *) fail "not a namespace: $err" ;; esac
expect_exit 2 "--netns of a missing file" "$LOOPBACK" ls --netns /var/run/netns/no-such-ns-$$
expect_exit 2 "--netns of a gone pid" "$LOOPBACK" ls --netns 2147483647
finish
