# SPDX-License-Identifier: MIT
# Demo: who is on this port (sourced by scripts/demo.sh; `run ARGS` shows
# a loopback command). A throwaway server holds a few sockets for 20 s.
/usr/bin/python3 -c '
import socket, os, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
w = socket.socket(socket.AF_INET6); w.bind(("::", 0)); w.listen(8)
print(s.getsockname()[1], w.getsockname()[1], flush=True)
sys.stdout.close(); os.close(1)
if os.fork() == 0:
    time.sleep(20); os._exit(0)
time.sleep(20)
' >"${TMPDIR:-/tmp}/lb-demo-who.$$" &
demo_srv=$!
for _ in $(seq 1 100); do [ -s "${TMPDIR:-/tmp}/lb-demo-who.$$" ] && break; sleep 0.05; done
read -r demo_p1 demo_p2 <"${TMPDIR:-/tmp}/lb-demo-who.$$"
run who "$demo_p1"
run who "127.0.0.1:$demo_p2"
run who --json "$demo_p1"
run ls --listening --pid "$demo_srv" --children
run audit --allow 22
kill "$demo_srv" 2>/dev/null
rm -f "${TMPDIR:-/tmp}/lb-demo-who.$$"
