# SPDX-License-Identifier: MIT
# Who is in the way of a bind (sourced by scripts/demo.sh): an IPv6-only
# [::] listener blocks ::1 but not 127.0.0.1; check names it and its owner.
check_port=$("$lb" pick)
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::", int(sys.argv[1]))); s.listen()
time.sleep(3)' "$check_port" &
check_srv=$!
# (ready when who sees it; wait would connect and leave a connection behind)
for _ in $(seq 1 50); do "$lb" who "$check_port" >/dev/null 2>&1 && break; sleep 0.1; done
run check "[::1]:$check_port"
run check "127.0.0.1:$check_port"
run check "[::1]:$check_port" --json
kill "$check_srv" 2>/dev/null
# Bounded: the demo never hangs on its own helper.
for _ in $(seq 1 50); do kill -0 "$check_srv" 2>/dev/null || break; sleep 0.1; done
