#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback wait on real sockets: accepting, free, timeouts, -- CMD.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
# A port leased for the whole test (never port 0 or a fixed one).
lb_t_lease 1 || { fail "lease a port"; finish; exit 1; }
port=$LB_T_PORT
srv=
lb_t_on_exit '[ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null'

expect_exit 1 "nothing listens: times out (exit 1)" "$lb" wait "127.0.0.1:$port" --timeout 0.3
start=$(date +%s%N)
"$lb" wait "127.0.0.1:$port" --timeout 0.5 2>/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 450 ] && [ "$ms" -lt 3000 ] && ok "timeout is honoured (${ms} ms for 0.5 s)" || fail "timeout took $ms ms"
# --free means "lb_check_bind() says bindable", and a port leased by any
# other process is not: the waits for a free port run as the only holder
# of a port's lease (lb-pick-hold --exec; the lease is fd 9, closed for
# the server it starts), so no other picker is given the port meanwhile.
hold=$LB_PICK_HOLD
expect_exit 0 "a free port is free at once" "$hold" --exec sh -c 'exec "$0" wait "127.0.0.1:$PORT" --free --timeout 0' "$lb"

# A server that starts listening after 0.4 s and lives 3 s.
/usr/bin/python3 -c '
import socket, sys, time
time.sleep(0.4)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
time.sleep(3)' "$port" &
srv=$!
out=$("$lb" wait "127.0.0.1:$port" --timeout 10 -- echo ready)
[ "$out" = ready ] && ok "waits until the server accepts, then runs CMD" || fail "wait -- CMD: $out"
wait "$srv"; srv=
# A server on the lease's port that listens for LIFE s (it does not hold
# the lease), then, once it listens, SNIPPET (sh, $0 the tool) run as the
# lease's only holder.
server_py='
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
time.sleep(float(sys.argv[2]))'
free_case() {
	"$hold" --exec sh -c '
		/usr/bin/python3 -c "$3" "$PORT" "$1" >/dev/null 9>&- 8>&- &
		"$0" wait "127.0.0.1:$PORT" --timeout 10 >/dev/null 9>&- 8>&- || exit 9
		exec sh -c "$2" "$0"' "$lb" "$1" "$2" "$server_py"
}
expect_exit 1 "--free times out while the server listens" free_case 3 'exec "$0" wait "127.0.0.1:$PORT" --free --timeout 0.3'
out=$(free_case 1 'exec "$0" wait "127.0.0.1:$PORT" --free --timeout 10 -- echo free')
[ "$out" = free ] && ok "--free returns once the server is gone" || fail "--free: $out"
expect_exit 3 "wait -- CMD exits with CMD's status" "$hold" --exec sh -c 'exec "$0" wait "127.0.0.1:$PORT" --free -- sh -c "exit 3"' "$lb"
expect_exit 2 "wait without HOST:PORT is a usage error" "$lb" wait
expect_exit 2 "wait with a bad timeout is a usage error" "$lb" wait "127.0.0.1:$port" --timeout -1
expect_exit 2 "wait with a bad endpoint is a usage error" "$lb" wait "127.0.0.1"
expect_exit 0 "wait --help exits 0" "$lb" wait --help
finish
