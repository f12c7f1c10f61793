#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback wait --pid on real processes: met through a descendant; a
# stale server of another process is not enough; a PID that exits or never
# existed stops the wait at once; bad PIDs are usage errors; IPv6 and a
# dual-stack [::] listener; as nobody against its own server. Every server
# lives 30 s at most (and is killed at the end); every wait has a timeout.
set -u
. "$LB_TESTS_DIR/lib.sh"
# PY, the private $LB_T_TMP and the cleanup of the pids in LB_T_PIDS.
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK
tmp=$LB_T_TMP
chmod 755 "$tmp"

# The server: listen on ADDR PORT after DELAY s (V6ONLY: 0/1/-), touch
# READY once listening, accept and close connections, live LIFE s.
cat >"$tmp/srv.py" <<'PYEOF'
import os, socket, sys, time
addr, port, delay, v6only, ready, life = sys.argv[1:7]
time.sleep(float(delay))
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if v6only != "-":
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
s.bind((addr, int(port)))
s.listen(64)
open(ready, "w").close()
s.settimeout(0.1)
end = time.monotonic() + float(life)
while time.monotonic() < end:
    try:
        s.accept()[0].close()
    except socket.timeout:
        pass
PYEOF
# server NAME ADDR PORT DELAY V6ONLY LIFE [PREFIX...]: start it in the
# background; its pid in $srv_pid, $tmp/NAME.ready once it listens.
server() {
	local name=$1 addr=$2 port=$3 delay=$4 v6=$5 life=$6; shift 6
	rm -f "$tmp/$name.ready"
	"$@" "$PY" "$tmp/srv.py" "$addr" "$port" "$delay" "$v6" "$tmp/$name.ready" "$life" &
	srv_pid=$!
	LB_T_PIDS+=("$srv_pid")
}
# ready NAME: wait (10 s at most) until the server listens.
ready() {
	local i
	for i in $(seq 1 200); do [ -e "$tmp/$1.ready" ] && return 0; sleep 0.05; done
	return 1
}
# sleeper SECONDS: an unrelated process that never listens; pid in $sl_pid.
sleeper() { sleep "$1" & sl_pid=$!; LB_T_PIDS+=("$sl_pid"); }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# The test's ports, leased for its whole run (never port 0 or a fixed one).
lb_t_lease 9 || { fail "lease ports"; finish; exit 1; }
port=${LB_T_PORTS[0]} port2=${LB_T_PORTS[1]} port3=${LB_T_PORTS[2]}
port6=${LB_T_PORTS[3]} port7=${LB_T_PORTS[4]} port8=${LB_T_PORTS[5]} port9=${LB_T_PORTS[6]}

# 1. A parent (a shell) that starts the real server as a grandchild after
# 0.3 s: met through the descendant.
sh -c "\"$PY\" \"$tmp/srv.py\" 127.0.0.1 $port 0.3 - \"$tmp/g.ready\" 5 & wait" &
parent=$!
LB_T_PIDS+=("$parent")
t0=$(date +%s%N)
out=$("$lb" wait "127.0.0.1:$port" --pid "$parent" -t 10 -- echo met 2>&1)
ms=$(ms_since "$t0")
[ "$out" = met ] && ok "--pid: met through a grandchild of PID ($ms ms)" || fail "--pid grandchild: $out"
[ -e "$tmp/g.ready" ] && ok "--pid: met only once the grandchild listens" || fail "met before the listener existed"
for be in netlink procfs; do
	rc=0
	LOOPBACK_BACKEND=$be "$lb" wait "127.0.0.1:$port" --pid "$parent" -t 10 2>"$tmp/err" || rc=$?
	[ $rc = 0 ] && ok "--pid: met through the grandchild ($be backend)" || fail "--pid $be: exit $rc $(cat "$tmp/err")"
done
kill "$parent" 2>/dev/null; wait "$parent" 2>/dev/null

# 2. A stale server of another process accepts on the port; PID (alive,
# unrelated) never listens: exit 1 after the timeout, not 0.
server stale 127.0.0.1 "$port2" 0 - 30
srv_pid_stale=$srv_pid
ready stale || fail "stale server did not start"
sleeper 30
expect_exit 0 "the stale server accepts (no --pid)" "$lb" wait "127.0.0.1:$port2" -t 5
t0=$(date +%s%N)
rc=0
err=$("$lb" wait "127.0.0.1:$port2" --pid "$sl_pid" -t 0.5 2>&1) || rc=$?
ms=$(ms_since "$t0")
[ $rc = 1 ] && ok "--pid: a stale server of another process times out (exit 1)" || fail "stale: exit $rc $err"
[ "$ms" -ge 500 ] && ok "--pid: the stale case waited the whole timeout (${ms} ms)" || fail "stale: returned after $ms ms"
case $err in *"not accepting from a listener of process $sl_pid"*) ok "--pid: the timeout message names PID" ;; *) fail "stale message: $err" ;; esac
for be in netlink procfs; do
	expect_exit 1 "--pid: stale server times out ($be backend)" env LOOPBACK_BACKEND=$be "$lb" wait "127.0.0.1:$port2" --pid "$sl_pid" -t 0.3
done
# The stale server's own pid does match.
expect_exit 0 "--pid of the stale server itself is met" "$lb" wait "127.0.0.1:$port2" --pid "$srv_pid" -t 5
expect_exit 0 "-p is --pid" "$lb" wait "127.0.0.1:$port2" -p "$srv_pid" -t 5
# Probes close with a reset: no TIME-WAIT socket is left on either side
# (on the probe's ephemeral port it would block a bind there for a minute).
if command -v ss >/dev/null; then
	for i in 1 2 3 4 5; do "$lb" wait "127.0.0.1:$port2" -t 5 || fail "wait $i"; done
	tw=$(ss -tanH state time-wait "( sport = :$port2 or dport = :$port2 )" | wc -l)
	[ "$tw" -eq 0 ] && ok "waits on an accepting server leave no TIME-WAIT socket" || fail "$tw TIME-WAIT sockets left by wait"
else
	skip "ss is not installed"
fi

# 3. PID exits while waiting: stop at once (well under the 20 s timeout),
# with a stale server on the port and with nothing on it.
# dying_case WHAT PORT: a PID that exits after 0.4 s.
dying_case() {
	local what=$1 p=$2 dying t0 ms rc=0 err
	sleep 0.4 & dying=$!
	LB_T_PIDS+=("$dying")
	t0=$(date +%s%N)
	err=$("$lb" wait "127.0.0.1:$p" --pid "$dying" -t 20 2>&1) || rc=$?
	ms=$(ms_since "$t0")
	[ $rc = 1 ] && ok "--pid: PID exits while waiting, $what: exit 1" || fail "dying, $what: exit $rc $err"
	[ "$ms" -lt 5000 ] && ok "--pid: $what: returned after ${ms} ms, not the 20 s timeout" || fail "dying, $what: took $ms ms"
	case $err in *"process $dying does not exist"*) ok "--pid: $what: says the process is gone" ;; *) fail "dying message, $what: $err" ;; esac
}
dying_case "a stale server on the port" "$port2"
dying_case "nothing on the port" "$port3"

# 4. A PID that does not exist (an exited, reaped process; the largest pid_t).
sleep 0 & gone=$!
wait "$gone"
t0=$(date +%s%N)
expect_exit 1 "--pid: a reaped PID: exit 1" "$lb" wait "127.0.0.1:$port2" --pid "$gone" -t 20
expect_exit 1 "--pid 2147483647 (valid, not running): exit 1" "$lb" wait "127.0.0.1:$port2" --pid 2147483647 -t 20
ms=$(ms_since "$t0")
[ "$ms" -lt 5000 ] && ok "--pid: nonexistent PIDs return at once (${ms} ms for two)" || fail "took $ms ms"

# 5. Usage errors: exit 2.
for bad in 0 -1 -5 abc 12abc "" " 12" "+12" 0x10 1.5 2147483648 4294967297 99999999999999999999; do
	expect_exit 2 "--pid '$bad' is a usage error" "$lb" wait "127.0.0.1:$port2" --pid "$bad" -t 1
done
expect_exit 2 "--pid without a value is a usage error" "$lb" wait "127.0.0.1:$port2" --pid
expect_exit 2 "--free --pid is a usage error" "$lb" wait "127.0.0.1:$port2" --free --pid $$ -t 1
expect_exit 2 "--pid --free is a usage error" "$lb" wait "127.0.0.1:$port2" --pid $$ --free -t 1
"$lb" wait --help | grep -q -- "--pid P" && ok "wait --help documents --pid" || fail "wait --help lacks --pid"

# 6. IPv6: a [::1] listener of PID; a stale [::1] server of another process.
if "$PY" -c 'import socket, sys; s=socket.socket(socket.AF_INET6); s.bind(("::1", int(sys.argv[1])))' "$port6" 2>/dev/null; then
		server v6 ::1 "$port6" 0.2 1 5
	expect_exit 0 "--pid: an IPv6 [::1] listener of PID" "$lb" wait "[::1]:$port6" --pid "$srv_pid" -t 10
	sleeper 5
	expect_exit 1 "--pid: a stale [::1] server times out" "$lb" wait "[::1]:$port6" --pid "$sl_pid" -t 0.3
	expect_exit 1 "--pid: [::1] only does not cover 127.0.0.1" "$lb" wait "127.0.0.1:$port6" --pid "$srv_pid" -t 0.3
	# A dual-stack [::] listener covers 127.0.0.1.
		server ds :: "$port7" 0 0 5
	dual=$srv_pid
	expect_exit 0 "--pid: a dual-stack [::] listener covers 127.0.0.1" "$lb" wait "127.0.0.1:$port7" --pid "$dual" -t 10
	expect_exit 0 "--pid: a dual-stack [::] listener covers ::1" "$lb" wait "[::1]:$port7" --pid "$dual" -t 10
	expect_exit 0 "--pid: dual-stack, netlink backend" env LOOPBACK_BACKEND=netlink "$lb" wait "127.0.0.1:$port7" --pid "$dual" -t 10
	# An IPv6-only [::] of PID plus a stale 127.0.0.1 server: 127.0.0.1
	# accepts (the stale one) but PID's listener does not cover it.
		server v6o :: "$port8" 0 1 5
	v6o=$srv_pid
	server st4 127.0.0.1 "$port8" 0 - 5
	ready v6o && ready st4 || fail "servers on $port8 did not start"
	expect_exit 1 "--pid: an IPv6-only [::] does not cover 127.0.0.1 (stale IPv4 server answers)" "$lb" wait "127.0.0.1:$port8" --pid "$v6o" -t 0.3
	expect_exit 0 "--pid: the IPv6-only [::] covers ::1" "$lb" wait "[::1]:$port8" --pid "$v6o" -t 10
else
	skip "IPv6 is not available here"
fi

# 7. As nobody, against a server it started itself (and a root server).
# (A copy of the tool staged where nobody can reach it: lb_t_nobody.)
if lb_t_nobody; then
	lb=$LB_T_NOBODY_LB
		rc=0
	"${NOBODY[@]}" bash -c "\"$PY\" \"$tmp/srv.py\" 127.0.0.1 $port9 0.3 - /dev/null 5 & \"$lb\" wait 127.0.0.1:$port9 --pid \$! -t 10; r=\$?; kill \$!; exit \$r" 2>"$tmp/err" || rc=$?
	[ $rc = 0 ] && ok "--pid as nobody: its own server is met" || fail "nobody own: exit $rc $(cat "$tmp/err")"
	rc=0
	"${NOBODY[@]}" bash -c "sleep 5 & \"$lb\" wait 127.0.0.1:$port2 --pid \$! -t 0.3; r=\$?; kill \$!; exit \$r" 2>"$tmp/err" || rc=$?
	[ $rc = 1 ] && ok "--pid as nobody: root's stale server is not its own (exit 1)" || fail "nobody stale: exit $rc $(cat "$tmp/err")"
	# Root's server, by pid: the port accepts, its sockets are hidden from nobody.
	rc=0
	err=$("${NOBODY[@]}" "$lb" wait "127.0.0.1:$port2" --pid "$srv_pid_stale" -t 5 2>&1) || rc=$?
	case "$rc:$err" in "2:"*"cannot be read"*) ok "--pid as nobody on root's server: permission error (exit 2)" ;; *) fail "nobody root pid: $rc $err" ;; esac
	lb=$LOOPBACK
else
	skip "as nobody: $LB_T_NOBODY_WHY"
fi
finish
