# SPDX-License-Identifier: MIT
# Picking ports, leases, conflicts and waiting (sourced by scripts/demo.sh).
run pick --count 3
run pick --json --udp --tcp
run run --env WEB --env API -- sh -c 'echo "WEB=$WEB API=$API"; grep -o "@loopback/lease/tcp/[0-9]*" /proc/net/unix | sort'
run run -- sh -c '"$0" check 127.0.0.1:$PORT' "$lb"
run run --listen-fds -- sh -c 'echo "LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID (sh is $$) LISTEN_FDNAMES=$LISTEN_FDNAMES"'
demo_port=$("$lb" pick)
/usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(3)' "$demo_port" &
demo_srv=$!
run wait "127.0.0.1:$demo_port" --timeout 5
run check "127.0.0.1:$demo_port"
kill "$demo_srv" 2>/dev/null
# Bounded: the demo never hangs on its own helper.
for _ in $(seq 1 50); do kill -0 "$demo_srv" 2>/dev/null || break; sleep 0.1; done
run check 192.0.2.1:8080
