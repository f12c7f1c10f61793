#!/bin/bash
# SPDX-License-Identifier: MIT
# Scale: 50,000 listening sockets over five processes (the fd limit is
# 20,000 per process) in a fresh network namespace, listed without
# truncation by both backends, every one with its owner.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	skip "needs root and unshare -n for a private port space"
	finish
	exit 77
fi
unshare -n bash -c '
	ip link set lo up
	ulimit -n 12000
	for k in 0 1 2 3 4; do
		"$0" "$1" --name lbt-scale$k --timeout 120 --count 10000 tcp/127.0.0.1/$((10000 + k * 10000)) >"$2.h$k" &
	done
	for i in $(seq 1 1200); do
		n=0
		for k in 0 1 2 3 4; do [ -s "$2.h$k" ] && n=$((n + 1)); done
		[ $n = 5 ] && break
		sleep 0.1
	done
	"$3" ls --json --no-owners >"$2.none"
	"$3" ls --json >"$2.owned"
	LOOPBACK_BACKEND=procfs "$3" ls --json >"$2.procfs"
	"$3" who --json 59999 >"$2.who"
	"$3" ls --json --pid $(cat /dev/null; "$0" -c "import json;print(json.load(open(\"$2.h4\"))[\"pid\"])") >"$2.pid"
	kill $(jobs -p)
' "$PY" "$HOLDER" "$LB_T_TMP/s" "$LOOPBACK"
run_check count "$LB_T_TMP/s.none" 50000
run_check count "$LB_T_TMP/s.owned" 50000 owned
run_check count "$LB_T_TMP/s.procfs" 50000 owned
run_check count "$LB_T_TMP/s.pid" 10000 owned
n=$(jget "$LB_T_TMP/s.who" '[(o["pid"], o["name"]) for s in d for o in s["owners"]]')
want="[($(jget "$LB_T_TMP/s.h4" 'd["pid"]'), 'lbt-scale4')]"
[ "$n" = "$want" ] && ok "who on the last port names its holder" || fail "who 59999: $n, want $want"
finish
