#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback check against real sockets: every conflict reason, and the
# blockers it names (pid, name, address, state), under both Linux backends.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
lb_t_on_exit cleanup
# The test's port (TCP and UDP) and a privileged one, leased from the
# library for the whole test: never a fixed port (another checkout would
# take it too) nor one of the ephemeral range. A check of a port we lease
# says "leased" (by our holder) where it would say "bindable": see
# expect_free.
lb_t_lease 1 || { fail "lease a port"; finish; exit 1; }
port=$LB_T_PORT
lb_t_lease 1 --tcp --range 600-1023 || { fail "lease a privileged port"; finish; exit 1; }
pport=$LB_T_PORT
holders=$(printf '%s\n' "${LB_T_LEASE_PIDS[@]:0:2}" | sort -n | paste -sd,)
pholders=$(printf '%s\n' "${LB_T_LEASE_PIDS[@]:2:2}" | sort -n | paste -sd,)
if lb_t_nobody; then nobody_lb=$LB_T_NOBODY_LB; else nobody_lb=; fi

# hold 'PYTHON SETUP CODE': run it in the background (it binds sockets
# on $P), wait until it is ready (at most 10 s); it lives 30 s at most.
hold() {
	rm -f "$tmp/ready"
	P=${HOLD_PORT:-$port} READY=$tmp/ready /usr/bin/python3 -c '
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
# blockers ARGS: "PID NAME ADDRESS PORT STATE" per blocker (- for no owner)
blockers() {
	"$lb" check "$@" --json | /usr/bin/python3 -c '
import json, sys
for b in json.load(sys.stdin)[0]["blockers"]:
    o = b["owners"][0] if b["owners"] else {"pid": "-", "name": "-"}
    print(o["pid"], o["name"], b["local"]["address"], b["local"]["port"], b["state"])'
}
# expect_free DESC ARGS: the trial bind succeeds and nothing blocks; the
# port is leased by the test's own holder (pids $holders), which a check
# from another process reports as "leased".
expect_free() {
	local desc=$1 got; shift
	got=$("$lb" check "$@" --json | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)[0]
print(c["reason"], ",".join(str(p) for p in sorted(c["lease_holders"])), len(c["blockers"]))')
	[ "$got" = "leased $holders 0" ] && ok "$desc: free (leased by the test only)" ||
		fail "$desc: got '$got', want 'leased $holders 0'"
}
expect_blockers() {
	local want=$1 desc=$2; shift 2
	local got
	got=$(blockers "$@")
	[ "$got" = "$want" ] && ok "$desc: blockers" || fail "$desc: blockers '$got', want '$want'"
}
# same_as_who ARGS: every blocker with an inode is, field for field, the
# object who --json prints for that socket.
same_as_who() {
	local proto=--tcp
	case " $* " in *" --udp "*) proto=--udp ;; esac
	/usr/bin/python3 -c '
import json, sys
check = json.loads(sys.argv[1])[0]["blockers"]
who = {w["inode"]: w for w in json.loads(sys.argv[2])}
sys.exit(0 if check and all(b == who.get(b["inode"]) for b in check) else 1)' \
		"$("$lb" check "$@" --json)" "$("$lb" who --json "$proto" "$port")"
}

# A port whose lease only the check itself holds: bindable, exit 0.
expect_exit 0 "a free port is bindable (exit 0)" "$LB_PICK_HOLD" --exec sh -c 'exec "$0" check "127.0.0.1:$PORT"' "$lb"
got=$("$LB_PICK_HOLD" --exec sh -c 'echo $$; exec "$0" check "127.0.0.1:$PORT" --json' "$lb")
/usr/bin/python3 -c '
import json, sys
pid, out = sys.argv[1].split("\n", 1)
c = json.loads(out)[0]
sys.exit(0 if c["reason"] == "bindable" and c["lease_holders"] == [int(pid)] and c["blockers"] == [] else 1)' "$got" &&
	ok "free port: bindable, its only lease holder the check itself" || fail "free port: $got"
expect_free "the test's own port" "127.0.0.1:$port"

for be in netlink procfs; do
export LOOPBACK_BACKEND=$be
hold 's = socket.socket(); s.bind(("127.0.0.1", P)); s.listen()'
expect_reason in-use "$be: listener on the same address" "127.0.0.1:$port"
expect_blockers "$srv python3 127.0.0.1 $port LISTEN" "$be: listener on the same address" "127.0.0.1:$port"
same_as_who "127.0.0.1:$port" && ok "$be: blockers are who --json's socket objects" || fail "$be: blockers differ from who --json"
out=$("$lb" check "127.0.0.1:$port")
case $out in *"in use by python3 (pid $srv, user root) listening on 127.0.0.1:$port"*"blocker: LISTEN 127.0.0.1:$port python3 (pid $srv, user root)"*"fix: stop python3 (pid $srv)"*)
	ok "$be: human output names the blocker" ;; *) fail "$be: human output: $out" ;; esac
expect_exit 1 "$be: in use exits 1" "$lb" check "127.0.0.1:$port"
expect_free "$be: other loopback address is free" "127.0.0.2:$port"
expect_blockers "" "$be: other loopback address is free" "127.0.0.2:$port"
expect_reason in-use "$be: 0.0.0.0 overlaps a specific listener" "0.0.0.0:$port"
expect_blockers "$srv python3 127.0.0.1 $port LISTEN" "$be: 0.0.0.0 overlaps a specific listener" "0.0.0.0:$port"
# Run as nobody: the socket is listed, its owner is not visible.
if [ -n "$nobody_lb" ]; then
out=$("${NOBODY[@]}" "$nobody_lb" check "127.0.0.1:$port" --json)
/usr/bin/python3 -c '
import json, sys
c = json.loads(sys.argv[1])[0]; b = c["blockers"]
sys.exit(0 if c["reason"] == "in-use" and len(b) == 1 and b[0]["owners"] == []
         and b[0]["owner_error"] == "permission denied" and b[0]["uid"] == 0
         and b[0]["local"] == {"address": "127.0.0.1", "port": int(sys.argv[2])}
         and "uid 0 (owner unknown: permission denied)" in c["explanation"] else 1)' "$out" "$port" &&
	ok "$be: as nobody, root's listener is listed with its owner unknown" || fail "$be: as nobody: $out"
out=$("${NOBODY[@]}" "$nobody_lb" check "127.0.0.1:$port")
case $out in *"blocker: LISTEN 127.0.0.1:$port owner unknown: permission denied (socket uid 0)"*) ok "$be: as nobody, human output: owner unknown" ;; *) fail "$be: as nobody, human: $out" ;; esac
else
	skip "$be: as nobody: $LB_T_NOBODY_WHY"
fi
unhold

hold 's = socket.socket(); s.bind(("0.0.0.0", P)); s.listen()'
expect_reason blocked-wildcard "$be: 0.0.0.0 listener blocks 127.0.0.1" "127.0.0.1:$port"
expect_blockers "$srv python3 0.0.0.0 $port LISTEN" "$be: 0.0.0.0 listener blocks 127.0.0.1" "127.0.0.1:$port"
expect_free "$be: 0.0.0.0 does not block ::1" "[::1]:$port"
unhold

hold 's = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); s.bind(("::", P)); s.listen()'
expect_reason blocked-dual-stack "$be: dual-stack [::] blocks 127.0.0.1" "127.0.0.1:$port"
expect_blockers "$srv python3 :: $port LISTEN" "$be: dual-stack [::] blocks 127.0.0.1" "127.0.0.1:$port"
expect_reason blocked-wildcard "$be: dual-stack [::] blocks ::1 as a wildcard" "[::1]:$port"
unhold

# IPv6-only [::] against ::1: trial binds alone cannot tell it from a
# socket on ::1; the table can.
hold 's = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); s.bind(("::", P)); s.listen()'
expect_reason blocked-wildcard "$be: IPv6-only [::] blocks ::1" "[::1]:$port"
expect_blockers "$srv python3 :: $port LISTEN" "$be: IPv6-only [::] blocks ::1" "[::1]:$port"
out=$("$lb" check "[::1]:$port")
case $out in *"listening on [::]:$port: [::] covers every IPv6 address"*) ok "$be: the explanation names [::]" ;; *) fail "$be: [::] text: $out" ;; esac
expect_free "$be: IPv6-only [::] leaves 127.0.0.1 free" "127.0.0.1:$port"
unhold

hold 's = socket.socket(socket.AF_INET6); s.bind(("::1", P)); s.listen()'
expect_reason in-use "$be: ::1 listener against ::1" "[::1]:$port"
expect_blockers "$srv python3 ::1 $port LISTEN" "$be: ::1 listener against ::1" "[::1]:$port"
unhold

hold 's = socket.socket(); s.bind(("127.0.0.1", P)); s.listen()'
expect_reason blocked-dual-stack "$be: [::] (dual-stack) is blocked by an IPv4 listener" "[::]:$port"
expect_blockers "$srv python3 127.0.0.1 $port LISTEN" "$be: [::] (dual-stack) is blocked by an IPv4 listener" "[::]:$port"
unhold

hold 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", P))'
expect_reason in-use "$be: UDP socket on the same address" "127.0.0.1:$port" --udp
expect_blockers "$srv python3 127.0.0.1 $port UNCONN" "$be: UDP socket on the same address" "127.0.0.1:$port" --udp
same_as_who "127.0.0.1:$port" --udp && ok "$be: UDP blockers are who --json's socket objects" || fail "$be: UDP blockers differ from who --json"
expect_free "$be: TCP is unaffected by UDP" "127.0.0.1:$port"
unhold
done
unset LOOPBACK_BACKEND

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
	got=$(blockers "127.0.0.1:$port" | sort -u)
	case $got in "- - 127.0.0.1 $port TIME-WAIT") ok "TIME_WAIT: the blockers are TIME-WAIT sockets, no owner" ;; *) fail "TIME_WAIT blockers: $got" ;; esac
	out=$("$lb" check "127.0.0.1:$port")
	case $out in *SO_REUSEADDR*) ok "TIME_WAIT: SO_REUSEADDR is suggested" ;; *) fail "TIME_WAIT text: $out" ;; esac
else
	fail "TIME_WAIT reproduced on $port"
fi

# Privileged: EACCES as an unprivileged user, against EADDRINUSE, on a
# privileged port leased by the test ($pport).
if [ -n "$nobody_lb" ]; then
	out=$("${NOBODY[@]}" "$nobody_lb" check "127.0.0.1:$pport" --json)
	case $out in *'"reason":"privileged"'*) ok "privileged port as nobody: privileged" ;; *) fail "privileged: $out" ;; esac
else
	skip "privileged port as nobody: $LB_T_NOBODY_WHY"
fi
out=$("$lb" check "127.0.0.1:$pport" --json)
case $out in *'"reason":"leased"'*"\"lease_holders\":[$pholders]"*) ok "privileged port as root: binds (leased by the test only)" ;; *) fail "privileged as root: $out" ;; esac
got=$("$LB_PICK_HOLD" --range 600-1023 --exec sh -c 'exec "$0" check "127.0.0.1:$PORT" --json' "$lb")
case $got in *'"reason":"bindable"'*) ok "a privileged port as root: bindable" ;; *) fail "privileged port as root: $got" ;; esac
HOLD_PORT=$pport hold 's = socket.socket(); s.bind(("127.0.0.1", P)); s.listen()'
expect_reason in-use "a used privileged port as root: in use, not privileged" "127.0.0.1:$pport"
unhold

expect_reason not-local "an address not on this host" "192.0.2.1:$port"

# Leased by another process, holder named.
out=$("$lb" run -- sh -c '"$0" check 127.0.0.1:$PORT --json; echo " rc=$? pid=$$"' "$lb")
pid=${out##*pid=}
case $out in *'"reason":"leased"'*'"lease_holders":['*"$pid"*']'*' rc=1 '*) ok "leased port: not available, holder named" ;; *) fail "leased: $out" ;; esac
case $out in *'"blockers":[]'*) ok "leased port: no blocking socket" ;; *) fail "leased blockers: $out" ;; esac
# The holder is named by process name and pid: here a sleep run by run.
"$lb" run -- sh -c 'echo $PORT >"$0.port"; exec sleep 10' "$tmp/named" &
lp=$!
for _ in $(seq 100); do [ -s "$tmp/named.port" ] && break; sleep 0.05; done
lport=$(cat "$tmp/named.port")
out=$("$lb" check "127.0.0.1:$lport")
case $out in "leased: TCP 127.0.0.1:$lport binds, but port $lport is leased by loopback (pid $lp)"*) ok "lease holder named: loopback (pid $lp)" ;; *) fail "lease holder name: $out" ;; esac
kill "$lp"; wait "$lp" 2>/dev/null

"$lb" run -- sh -c 'echo $PORT >"$0.port"; exec sleep 10' "$tmp/lease" &
lp=$!
for _ in $(seq 100); do [ -s "$tmp/lease.port" ] && break; sleep 0.05; done
if [ -n "$nobody_lb" ]; then
	out=$("${NOBODY[@]}" "$nobody_lb" check "127.0.0.1:$(cat "$tmp/lease.port")"; echo "rc=$?")
	case $out in *"leased by a process this user cannot see"*"rc=1") ok "a root lease seen by nobody: leased, holder hidden" ;; *) fail "hidden holder: $out" ;; esac
else
	skip "a root lease seen by nobody: $LB_T_NOBODY_WHY"
fi
kill "$lp"; wait "$lp" 2>/dev/null

read -r ef el </proc/sys/net/ipv4/ip_local_port_range
out=$("$lb" check "127.0.0.1:$ef" --json)
case $out in *'"warnings":["ephemeral"'*) ok "ephemeral range is a warning" ;; *) fail "ephemeral warning: $out" ;; esac

expect_exit 2 "check without an argument is a usage error" "$lb" check
expect_exit 2 "check of a bad endpoint is a usage error" "$lb" check 127.0.0.1
expect_exit 2 "check of port 0 is a usage error" "$lb" check 127.0.0.1:0
expect_exit 2 "check with a bad endpoint among good ones is a usage error" "$lb" check 127.0.0.1:1 127.0.0.1
expect_exit 2 "check with an unknown option is a usage error" "$lb" check 127.0.0.1:1 --blockers
expect_exit 2 "check of a port above 65535 is a usage error" "$lb" check 127.0.0.1:65536
out=$("$lb" check --help)
case $out in *'"blockers": [socket, ...]'*) ok "check --help documents blockers" ;; *) fail "check --help: $out" ;; esac
# The table cannot be read: the reason from trial binds, said so, exit 1.
# (127.0.0.3: 127.0.0.1:$port has TIME_WAIT leftovers from above)
if [ "${LB_TEST_DOUBLES:-0}" = 1 ]; then
	hold 's = socket.socket(); s.bind(("127.0.0.3", P)); s.listen()'
	out=$(LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE=$tmp/none "$lb" check "127.0.0.3:$port" --json; echo " rc=$?")
	case $out in *'"reason":"in-use"'*'(inferred from trial binds: the socket table could not be read: '*'"blockers":[]'*' rc=1') ok "unreadable table: inferred, said so" ;; *) fail "unreadable table: $out" ;; esac
	unhold
else
	skip "unreadable table: needs the mock backend (-Dtest_doubles=true)"
fi
finish
