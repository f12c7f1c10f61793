#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback run at run time: signals reach CMD once whether sent to run
# alone or to its process group, CMD's status is reported, the names of
# LISTEN_FDNAMES are the exported variables, run's own failures exit 125
# (126/127 for a CMD that cannot run) with a message, and closed standard
# descriptors never become CMD's sockets.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A command that counts the SIGTERMs it gets for 1.5 s and exits with the
# count; it says "ready" once its handler is in place.
cat >"$tmp/count.py" <<'PYEOF'
import signal, sys, time
n = 0
def on_term(sig, frame):
    global n
    n += 1
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
end = time.monotonic() + 1.5
while time.monotonic() < end:
    time.sleep(0.02)
sys.exit(n)
PYEOF
# A command whose SIGINT handler exits 12.
cat >"$tmp/int12.py" <<'PYEOF'
import signal, sys, time
signal.signal(signal.SIGINT, lambda sig, frame: sys.exit(12))
print("ready", flush=True)
time.sleep(10)
sys.exit(0)
PYEOF

# start_ready OUT CMD...: start CMD in the background (in a new session
# when the first word is setsid), wait until OUT has "ready"; pid in $bg.
start_ready() {
	local out=$1 _; shift
	"$@" >"$out" 2>&1 &
	bg=$!
	for _ in $(seq 1 200); do
		grep -q ready "$out" && return 0
		sleep 0.02
	done
	return 1
}

if command -v setsid >/dev/null; then
	# setsid: run leads a new process group (pgid = its pid), no terminal.
	start_ready "$tmp/o1" setsid "$lb" run -- "$PY" "$tmp/count.py" || fail "count.py did not start"
	kill -TERM -- "-$bg"
	rc=0; wait "$bg" || rc=$?
	[ $rc = 1 ] && ok "kill -TERM to run's process group reaches CMD once" ||
		fail "group SIGTERM: CMD counted $rc (want 1) $(cat "$tmp/o1")"
	start_ready "$tmp/o2" setsid "$lb" run -- "$PY" "$tmp/int12.py" || fail "int12.py did not start"
	kill -INT -- "-$bg"
	rc=0; wait "$bg" || rc=$?
	[ $rc = 12 ] && ok "killpg(SIGINT): run exits with CMD's status 12" ||
		fail "group SIGINT: exit $rc (want 12) $(cat "$tmp/o2")"
else
	skip "no setsid"
	skip "no setsid"
fi
start_ready "$tmp/o3" "$lb" run -- "$PY" "$tmp/count.py" || fail "count.py did not start"
kill -TERM "$bg"
rc=0; wait "$bg" || rc=$?
[ $rc = 1 ] && ok "kill -TERM to run alone reaches CMD once" || fail "SIGTERM to run: CMD counted $rc"

# LISTEN_FDNAMES names the exported variables, one per socket.
out=$("$lb" run --count 2 --listen-fds -- "$PY" -c '
import os, socket
names = os.environ["LISTEN_FDNAMES"].split(":")
assert names == ["PORT", "PORT1"], names
for i, name in enumerate(names):
    s = socket.socket(fileno=3 + i)
    assert s.getsockname()[1] == int(os.environ[name]), (name, s.getsockname())
    s.detach()
assert os.environ["PORTS"] == os.environ["PORT"] + " " + os.environ["PORT1"]
print("ok")' 2>&1)
[ "$out" = ok ] && ok "run --count 2 --listen-fds: LISTEN_FDNAMES=PORT:PORT1, both exported" ||
	fail "--count 2 --listen-fds: $out"
out=$("$lb" run -e WEB -n 3 --listen-fds -t -u -- sh -c 'echo "$LISTEN_FDS $LISTEN_FDNAMES ${WEB:+w}${PORT1:+1}${PORT2:+2}"' 2>&1)
[ "$out" = "6 WEB:WEB:PORT1:PORT1:PORT2:PORT2 w12" ] &&
	ok "--env names first, then PORT<k>, TCP and UDP of a port share the name" || fail "names: $out"

# Exit status: 125 for run's own failures, 126/127 for CMD.
p=$("$lb" pick)
start_ready "$tmp/o4" "$lb" run --range "$p-$p" -- sh -c 'echo ready; sleep 5' || fail "holder did not start"
holder=$bg
rc=0
err=$("$lb" run --range "$p-$p" -- true 2>&1) || rc=$?
case "$rc:$err" in 125:*"no free port"*) ok "no free port: exit 125 with a message" ;;
*) fail "no free port: exit $rc, '$err'" ;; esac
kill "$holder"; wait "$holder" 2>/dev/null
rc=0
err=$("$lb" run -- "$tmp/no-such-command" 2>&1) || rc=$?
case "$rc:$err" in 127:*"cannot execute"*) ok "missing CMD: exit 127 with a message" ;; *) fail "missing CMD: $rc '$err'" ;; esac
printf 'not a program\n' >"$tmp/plain"
chmod 644 "$tmp/plain"
rc=0
err=$("$lb" run -- "$tmp/plain" 2>&1) || rc=$?
case "$rc:$err" in 126:*"cannot execute"*) ok "CMD not executable: exit 126 with a message" ;; *) fail "not executable: $rc '$err'" ;; esac
expect_exit 3 "CMD's own status passes through" "$lb" run -- sh -c 'exit 3'

# A limit of open files near what run holds (20 leases and 20 sockets):
# CMD runs, or run says why it could not and exits 125, never CMD's 2.
out=$(ulimit -n 64; "$lb" run --listen-fds -t -u -n 10 -- echo hi 2>&1; echo "rc=$?")
[ "$out" = $'hi\nrc=0' ] && ok "ulimit -n 64: run --listen-fds -t -u -n 10 runs CMD" || fail "ulimit 64: $out"
for n in 44 40 30 16; do
	out=$(ulimit -n $n; "$lb" run --listen-fds -t -u -n 10 -- echo hi 2>&1; echo "rc=$?")
	case $out in
	$'hi\nrc=0') ok "ulimit -n $n: CMD runs" ;;
	*"Too many open files"*"rc=125") ok "ulimit -n $n: 'Too many open files', exit 125" ;;
	*) fail "ulimit -n $n: $out" ;;
	esac
done

out=$(ulimit -n 16; "$lb" pick -n 20 2>&1; echo "rc=$?")
case $out in *"pick: cannot pick ports: Too many open files"*"rc=2") ok "ulimit -n 16: pick -n 20 says 'Too many open files'" ;;
*) fail "pick under ulimit 16: $out" ;; esac

# Closed standard descriptors: CMD never gets a lease socket as its stdin,
# stdout or stderr; each stays unusable (EBADF) as the caller left it.
cat >"$tmp/stdio.py" <<'PYEOF'
import os, stat, sys
bad = [fd for fd in (0, 1, 2) if stat.S_ISSOCK(os.fstat(fd).st_mode)]
os.write(int(sys.argv[1]), ("sockets=%s\n" % bad).encode())
PYEOF
for fd in 0 1 2; do
	rc=0
	eval "\"\$lb\" run -- \"\$PY\" \"\$tmp/stdio.py\" 9 9>\"\$tmp/res$fd\" $fd>&-" || rc=$?
	[ "$(cat "$tmp/res$fd")" = "sockets=[]" ] && [ $rc = 0 ] &&
		ok "run with fd $fd closed: no socket on 0-2" || fail "fd $fd closed: rc=$rc $(cat "$tmp/res$fd")"
done
out=$("$lb" run -- sh -c 'read x; echo "read=$?"' <&- 2>/dev/null)
[ "$out" = "read=2" ] || [ "$out" = "read=1" ] && ok "a closed stdin still reads as an error, not as a socket" ||
	fail "read from closed stdin: $out"
finish
