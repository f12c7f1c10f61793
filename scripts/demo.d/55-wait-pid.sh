# SPDX-License-Identifier: MIT
# loopback wait --pid: wait for *this* server, not a stale one (sourced by scripts/demo.sh).
wait_port=$("$lb" pick)
# A stale server of another process still accepts on the port ...
/usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(3)' "$wait_port" &
wait_stale=$!
# ... and the server under test has not started (a process that never listens).
sleep 3 &
wait_mine=$!
sleep 0.3
run wait "127.0.0.1:$wait_port" --pid "$wait_mine" --timeout 0.5
run wait "127.0.0.1:$wait_port" --pid "$wait_stale" --timeout 5 -- echo "the stale server's own pid matches"
kill "$wait_mine" 2>/dev/null
wait "$wait_mine" 2>/dev/null || true
run wait "127.0.0.1:$wait_port" --pid "$wait_mine" --timeout 30
kill "$wait_stale" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$wait_stale" 2>/dev/null || break; sleep 0.1; done
