#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback pick and loopback run on real sockets and processes.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
read -r ef el </proc/sys/net/ipv4/ip_local_port_range

# pick
p=$("$lb" pick)
case $p in ''|*[!0-9]*) fail "pick prints a port: '$p'" ;; *) ok "pick prints a port" ;; esac
[ "${p:-0}" -ge 1024 ] && { [ "$p" -lt "$ef" ] || [ "$p" -gt "$el" ]; } &&
	ok "picked port is outside the ephemeral range $ef-$el" || fail "picked $p"
n=$("$lb" pick --count 5 --udp --tcp | sort -u | wc -l)
[ "$n" -eq 5 ] && ok "pick --count 5 prints 5 distinct ports" || fail "pick --count 5: $n"
out=$("$lb" pick -n 3 --contiguous --json)
if /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1])
p = d["ports"]
assert len(p) == 3 and p[1] == p[0] + 1 and p[2] == p[0] + 2, p
assert d["protocols"] == ["tcp"] and d["ipv4_only"] in (True, False)
' "$out"; then ok "pick --json: 3 contiguous ports"; else fail "pick --json: $out"; fi
out=$("$lb" pick --udp --json)
case $out in *'"protocols":["udp"]'*) ok "pick --udp is UDP only" ;; *) fail "pick --udp: $out" ;; esac
expect_exit 2 "pick --count 0 is a usage error" "$lb" pick --count 0
expect_exit 2 "pick --count x is a usage error" "$lb" pick --count x
expect_exit 2 "pick --range 5-4 is a usage error" "$lb" pick --range 5-4
expect_exit 2 "pick --range 1-70000 is a usage error" "$lb" pick --range 1-70000
expect_exit 2 "pick with a stray argument is a usage error" "$lb" pick 80
expect_exit 0 "pick --help exits 0" "$lb" pick --help
expect_exit 1 "pick --count 3 from a 2-port range: no free group (exit 1)" "$lb" pick --range 20000-20001 --count 3
err=$("$lb" pick --count 0 2>&1 >/dev/null)
case $err in *"--count needs a number"*) ok "bad --count is explained" ;; *) fail "bad --count: $err" ;; esac

# run: environment, lease for the command's lifetime, exit status
out=$("$lb" run -- sh -c 'echo "$PORT $PORTS"')
set -- $out
[ $# -eq 2 ] && [ "$1" = "$2" ] && ok "run exports PORT and PORTS" || fail "run env: $out"
out=$("$lb" run --env A --env B -n 3 -- sh -c 'echo "$A $B $PORTS"')
set -- $out
[ $# -eq 5 ] && [ "$1" = "$3" ] && [ "$2" = "$4" ] && [ "$1" != "$2" ] &&
	ok "run --env names the ports in order" || fail "run --env: $out"
out=$("$lb" run -- sh -c '"$0" pick --range $PORT-$PORT; echo "rc=$? port=$PORT"' "$lb" 2>/dev/null)
case $out in rc=1\ port=*) ok "the port is leased while the command runs" ;; *) fail "lease during run: $out" ;; esac
port=${out#*port=}
out=$("$lb" run --listen-fds -- sh -c 'exec 9>&-; "$0" pick --range $PORT-$PORT; echo "rc=$?"' "$lb" 2>&1)
case $out in *"no free port"*"rc=1") ok "pick exits 1 when the range has no free port" ;; *) fail "exhausted pick: $out" ;; esac
"$lb" pick --range "$port-$port" >/dev/null && ok "the lease ends with the command" || fail "lease left after run"
out=$("$lb" run --udp -- sh -c '"$0" pick --udp --range $PORT-$PORT; echo "rc=$?"; "$0" pick --range $PORT-$PORT >/dev/null; echo "tcp=$?"' "$lb" 2>/dev/null)
case $out in "rc=1"*"tcp=0") ok "a UDP lease leaves TCP free" ;; *) fail "udp lease: $out" ;; esac
expect_exit 3 "run exits with the command's status" "$lb" run -- sh -c 'exit 3'
expect_exit 143 "run exits 128+15 when the command dies of SIGTERM" "$lb" run -- sh -c 'kill -TERM $$'
expect_exit 137 "run exits 128+9 when the command dies of SIGKILL" "$lb" run -- sh -c 'kill -KILL $$'
expect_exit 127 "run of a missing command exits 127" "$lb" run -- /nonexistent/cmd
expect_exit 125 "run without a command: run's own usage error (125)" "$lb" run --env X
expect_exit 125 "run --env with a bad name: usage error (125)" "$lb" run --env 'A-B' -- true
expect_exit 125 "run with more names than ports: usage error (125)" "$lb" run -e A -e B -n 1 -- true
expect_exit 0 "run --help exits 0" "$lb" run --help

# run passes SIGTERM and SIGINT on, and reports the command's death.
for sig in TERM INT; do
	tmp=$(mktemp)
	"$lb" run -- sh -c 'trap "echo got-$0; exit 7" '"$sig"'; echo ready; while :; do sleep 0.05; done' "$sig" >"$tmp" &
	rp=$!
	for _ in $(seq 100); do grep -q ready "$tmp" && break; sleep 0.05; done
	kill -"$sig" "$rp"
	rc=0; wait "$rp" || rc=$?
	grep -q "got-$sig" "$tmp" && [ "$rc" -eq 7 ] && ok "run passes SIG$sig on (exit $rc)" ||
		fail "SIG$sig forwarding: rc=$rc out=$(cat "$tmp")"
	rm -f "$tmp"
done

# --listen-fds: systemd socket activation
out=$("$lb" run --listen-fds -e WEB -e API -- /usr/bin/python3 -c '
import os, socket
n = int(os.environ["LISTEN_FDS"])
assert os.environ["LISTEN_PID"] == str(os.getpid()), "LISTEN_PID"
assert os.environ["LISTEN_FDNAMES"] == "WEB:API", os.environ["LISTEN_FDNAMES"]
for i, name in enumerate(["WEB", "API"]):
    s = socket.socket(fileno=3 + i)
    assert s.type == socket.SOCK_STREAM
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    assert s.getsockname() == ("127.0.0.1", int(os.environ[name])), s.getsockname()
    c = socket.create_connection(("127.0.0.1", int(os.environ[name])), timeout=5)
    a, _ = s.accept(); a.close(); c.close(); s.detach()
print("ok", n)
' 2>&1)
[ "$out" = "ok 2" ] && ok "--listen-fds passes 2 listening sockets at fds 3 and 4" || fail "--listen-fds: $out"
out=$("$lb" run --listen-fds --udp -- /usr/bin/python3 -c '
import os, socket
s = socket.socket(fileno=3)
assert s.type == socket.SOCK_DGRAM and os.environ["LISTEN_FDS"] == "1"
print(s.getsockname()[1] == int(os.environ["PORT"]))
s.detach()' 2>&1)
[ "$out" = "True" ] && ok "--listen-fds --udp passes a bound UDP socket" || fail "--listen-fds --udp: $out"
out=$(LISTEN_FDS=5 LISTEN_PID=1 "$lb" run -- sh -c 'echo "${LISTEN_FDS-unset} ${LISTEN_PID-unset}"')
[ "$out" = "unset unset" ] && ok "run without --listen-fds clears LISTEN_*" || fail "stale LISTEN_*: $out"
finish
