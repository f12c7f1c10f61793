#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Load for scripts/soak.sh: short loopback TCP connections, many of them.

Usage: loopback run --count N --listen-fds -- load.py SECONDS RATE

Connects to the listening sockets it is handed (fds 3.., LISTEN_FDS, as
`loopback run --listen-fds` passes them: leased ports outside the
ephemeral range) from kernel-chosen ephemeral ports, RATE connections a
second, and closes each from the client side first, so every connection
leaves a TIME-WAIT socket on an ephemeral port of 127.0.0.1 for 60 s:
about RATE * 60 of them at any time, spread over the whole ephemeral
range. Stops after SECONDS (or on SIGTERM) and prints how many
connections it made and how many connects failed.
"""
import os
import signal
import socket
import sys
import time


def main():
    seconds, rate = float(sys.argv[1]), float(sys.argv[2])
    n = int(os.environ.get("LISTEN_FDS", "0"))
    if n < 1:
        print("load.py: no listening sockets (run it under loopback run --listen-fds)", file=sys.stderr)
        return 2
    listeners = [socket.socket(fileno=3 + i) for i in range(n)]
    addrs = [s.getsockname() for s in listeners]
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    signal.signal(signal.SIGINT, lambda *_: stop.__setitem__(0, True))
    made = failed = 0
    start = time.monotonic()
    end = start + seconds
    while not stop[0]:
        now = time.monotonic()
        if now >= end:
            break
        # Keep to RATE a second on average.
        ahead = made + failed - (now - start) * rate
        if ahead > 0:
            time.sleep(min(ahead / rate, end - now))
            continue
        i = (made + failed) % n
        c = socket.socket()
        try:
            c.settimeout(2)
            c.connect(addrs[i])
            a, _ = listeners[i].accept()
            c.close()   # the client closes first: its side goes to TIME-WAIT
            a.close()
            made += 1
        except OSError:
            c.close()
            failed += 1
    print(f"load.py: {made} connections in {time.monotonic() - start:.0f} s "
          f"to {', '.join('%s:%d' % a[:2] for a in addrs)}; {failed} connects failed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
