#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A small development server that picks its port with libloopback.

It picks a free port outside the kernel's ephemeral range, leases it (so
no other libloopback user on this host is given it while the server
runs), takes the already bound, listening socket from the lease (no
window in which anybody else could bind the port), and serves HTTP on it:

    $ python3 devserver.py
    serving on http://127.0.0.1:28417/

Options: --port-range FIRST-LAST, --requests N (stop after N requests,
for scripts and tests). The first line printed is always the URL.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import socket
import sys
from typing import Optional

import loopback


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with who serves it: JSON {"port", "pid", "lease_holders"}."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        port = self.server.server_address[1]
        body = json.dumps({"port": port, "pid": os.getpid(), "path": self.path,
                           "lease_holders": loopback.lease_holders(port)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt: str, *args: object) -> None:
        pass


def make_server(listener: socket.socket) -> http.server.HTTPServer:
    """An HTTPServer on an already listening socket (it neither binds nor listens)."""
    srv = http.server.HTTPServer(listener.getsockname()[:2], Handler,
                                 bind_and_activate=False)
    srv.socket.close()
    srv.socket = listener
    srv.server_address = listener.getsockname()[:2]
    return srv


def serve(lease: loopback.Lease, requests: Optional[int] = None,
          out=sys.stdout) -> None:
    """Serve HTTP on the lease's port until interrupted or after ``requests``."""
    with make_server(lease.listen()) as srv:
        print(f"serving on http://127.0.0.1:{lease.port}/", file=out, flush=True)
        if requests is None:
            srv.serve_forever()
        else:
            for _ in range(requests):
                srv.handle_request()


def main(argv: Optional[list] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-range", metavar="FIRST-LAST")
    ap.add_argument("--requests", type=int, metavar="N")
    args = ap.parse_args(argv)
    first = last = 0
    if args.port_range:
        from loopback.pytest_plugin import parse_range
        first, last = parse_range(args.port_range)
    with loopback.pick(first=first, last=last) as lease:
        try:
            serve(lease, args.requests)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
