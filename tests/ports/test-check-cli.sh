#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback check against real sockets: every conflict reason.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$("$lb" pick --tcp --udp) || { fail "pick a port"; finish; exit 1; }

# hold 'PYTHON SETUP CODE': run it in the background (it binds sockets
# on $P), wait until it is ready (at most 10 s); it lives 30 s at most.
hold() {
	rm -f "$tmp/ready"
	P=$port READY=$tmp/ready /usr/bin/python3 -c '
import os, socket, time
P = int(os.environ["P"])
'"$1"'
open(os.environ["READY"], "w").close()
time.sleep(30)' &
	srv=$!
	for _ in $(seq 200); do [ -e "$tmp/ready" ] && return 0; sleep 0.05; done
	return 1
}
unhold() { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=; }
# reason ARGS: the reason name from --json
reason() { "$lb" check "$@" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["reason"])'; }
expect_reason() {
	local want=$1 desc=$2; shift 2
	local got rc=0
	got=$(reason "$@") || rc=$?
	[ "$got" = "$want" ] && ok "$desc: $want" || fail "$desc: got '$got', want $want"
}

expect_exit 0 "a free port is bindable (exit 0)" "$lb" check "127.0.0.1:$port"
expect_reason bindable "free port" "127.0.0.1:$port"

hold 's = socket.socket(); s.bind(("127.0.0.1", P)); s.listen()'
expect_reason in-use "listener on the same address" "127.0.0.1:$port"
expect_exit 1 "in use exits 1" "$lb" check "127.0.0.1:$port"
expect_reason bindable "other loopback address is free" "127.0.0.2:$port"
expect_reason in-use "0.0.0.0 overlaps a specific listener" "0.0.0.0:$port"
unhold

hold 's = socket.socket(); s.bind(("0.0.0.0", P)); s.listen()'
expect_reason blocked-wildcard "0.0.0.0 listener blocks 127.0.0.1" "127.0.0.1:$port"
expect_reason bindable "0.0.0.0 does not block ::1" "[::1]:$port"
unhold

hold 's = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); s.bind(("::", P)); s.listen()'
expect_reason blocked-dual-stack "dual-stack [::] blocks 127.0.0.1" "127.0.0.1:$port"
expect_reason blocked-dual-stack "dual-stack [::] blocks ::1" "[::1]:$port"
unhold

hold 's = socket.socket(); s.bind(("127.0.0.1", P)); s.listen()'
expect_reason blocked-dual-stack "[::] (dual-stack) is blocked by an IPv4 listener" "[::]:$port"
unhold

hold 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", P))'
expect_reason in-use "UDP socket on the same address" "127.0.0.1:$port" --udp
expect_reason bindable "TCP is unaffected by UDP" "127.0.0.1:$port"
unhold

# TIME_WAIT: the server closes first, so its side of the connection
# stays in TIME_WAIT on the port; nothing listens any more.
/usr/bin/python3 -c '
import socket, sys
P = int(sys.argv[1])
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", P)); l.listen()
c = socket.create_connection(("127.0.0.1", P)); a, _ = l.accept()
a.close(); c.recv(1); c.close(); l.close()' "$port"
if ss -Htan state time-wait "( sport = :$port )" | grep -q .; then
	ok "TIME_WAIT reproduced on $port"
	expect_reason time-wait "only TIME_WAIT left" "127.0.0.1:$port"
	out=$("$lb" check "127.0.0.1:$port")
	case $out in *SO_REUSEADDR*) ok "TIME_WAIT: SO_REUSEADDR is suggested" ;; *) fail "TIME_WAIT text: $out" ;; esac
else
	fail "TIME_WAIT reproduced on $port"
fi

# Privileged: EACCES as an unprivileged user, against EADDRINUSE.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$lb" check 127.0.0.1:81 --json)
case $out in *'"reason":"privileged"'*) ok "port 81 as nobody: privileged" ;; *) fail "privileged: $out" ;; esac
expect_reason bindable "port 81 as root: bindable" "127.0.0.1:81"
hold 's = socket.socket(); s.bind(("127.0.0.1", 81)); s.listen()'
expect_reason in-use "a used port 81 as root: in use, not privileged" "127.0.0.1:81"
unhold

expect_reason not-local "an address not on this host" "192.0.2.1:$port"

# Leased by another process, holder named.
out=$("$lb" run -- sh -c '"$0" check 127.0.0.1:$PORT --json; echo " rc=$? pid=$$"' "$lb")
pid=${out##*pid=}
case $out in *'"reason":"leased"'*'"lease_holders":['*"$pid"*']'*' rc=1 '*) ok "leased port: not available, holder named" ;; *) fail "leased: $out" ;; esac

"$lb" run -- sh -c 'echo $PORT >"$0.port"; exec sleep 10' "$tmp/lease" &
lp=$!
for _ in $(seq 100); do [ -s "$tmp/lease.port" ] && break; sleep 0.05; done
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$lb" check "127.0.0.1:$(cat "$tmp/lease.port")"; echo "rc=$?")
case $out in *"leased by a process this user cannot see"*"rc=1") ok "a root lease seen by nobody: leased, holder hidden" ;; *) fail "hidden holder: $out" ;; esac
kill "$lp"; wait "$lp" 2>/dev/null

read -r ef el </proc/sys/net/ipv4/ip_local_port_range
out=$("$lb" check "127.0.0.1:$ef" --json)
case $out in *'"warnings":["ephemeral"'*) ok "ephemeral range is a warning" ;; *) fail "ephemeral warning: $out" ;; esac

expect_exit 2 "check without an argument is a usage error" "$lb" check
expect_exit 2 "check of a bad endpoint is a usage error" "$lb" check 127.0.0.1
expect_exit 2 "check of port 0 is a usage error" "$lb" check 127.0.0.1:0
expect_exit 2 "check with two endpoints is a usage error" "$lb" check 127.0.0.1:1 127.0.0.1:2
finish
