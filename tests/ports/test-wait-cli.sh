#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback wait on real sockets: accepting, free, timeouts, -- CMD.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
port=$("$lb" pick) || { fail "pick"; finish; exit 1; }
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null' EXIT

expect_exit 1 "nothing listens: times out (exit 1)" "$lb" wait "127.0.0.1:$port" --timeout 0.3
start=$(date +%s%N)
"$lb" wait "127.0.0.1:$port" --timeout 0.5 2>/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 450 ] && [ "$ms" -lt 3000 ] && ok "timeout is honoured (${ms} ms for 0.5 s)" || fail "timeout took $ms ms"
expect_exit 0 "a free port is free at once" "$lb" wait "127.0.0.1:$port" --free --timeout 0

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
expect_exit 1 "--free times out while the server listens" "$lb" wait "127.0.0.1:$port" --free --timeout 0.3
out=$("$lb" wait "127.0.0.1:$port" --free --timeout 10 -- echo free)
[ "$out" = free ] && ok "--free returns once the server is gone" || fail "--free: $out"
wait "$srv"; srv=
expect_exit 3 "wait -- CMD exits with CMD's status" "$lb" wait "127.0.0.1:$port" --free -- sh -c 'exit 3'
expect_exit 2 "wait without HOST:PORT is a usage error" "$lb" wait
expect_exit 2 "wait with a bad timeout is a usage error" "$lb" wait "127.0.0.1:$port" --timeout -1
expect_exit 2 "wait with a bad endpoint is a usage error" "$lb" wait "127.0.0.1"
expect_exit 0 "wait --help exits 0" "$lb" wait --help
finish
