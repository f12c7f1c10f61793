# SPDX-License-Identifier: MIT
"""An example test suite using the loopback pytest fixtures on the dev server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request

import loopback
import devserver


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def test_serves_on_the_leased_socket(port_lease):
    # The fixture's lease hands the server a listening socket: no race.
    srv = devserver.make_server(port_lease.listen())
    t = threading.Thread(target=srv.handle_request)
    t.start()
    try:
        got = get(f"http://127.0.0.1:{port_lease.port}/hello")
    finally:
        t.join(10)
        srv.server_close()
    assert got == {"port": port_lease.port, "pid": os.getpid(), "path": "/hello",
                   "lease_holders": [os.getpid()]}


def test_free_port_is_usable_by_hand(free_port):
    # The port number alone, for servers that insist on binding themselves:
    # the lease stays with the test process while the server binds.
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", free_port))
        s.listen()
        with socket.create_connection(("127.0.0.1", free_port), timeout=5):
            pass
    assert loopback.lease_holders(free_port) == [os.getpid()]


def test_two_servers_in_one_test(port_group):
    lease = port_group(2)
    a, b = lease.ports
    assert a != b
    servers = [devserver.make_server(lease.listen(i)) for i in range(2)]
    threads = [threading.Thread(target=s.handle_request) for s in servers]
    for t in threads:
        t.start()
    try:
        assert [get(f"http://127.0.0.1:{p}/")["port"] for p in (a, b)] == [a, b]
    finally:
        for t, s in zip(threads, servers):
            t.join(10)
            s.server_close()


def test_the_program_leases_its_own_port():
    p = subprocess.Popen([sys.executable, devserver.__file__, "--requests", "1"],
                         stdout=subprocess.PIPE, text=True)
    try:
        url = p.stdout.readline().split()[-1]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert port not in loopback.ephemeral_range()
        got = get(url)
        assert got["port"] == port and got["lease_holders"] == [p.pid] == [got["pid"]]
        assert p.wait(10) == 0
        # The kernel freed the lease when the server ended (another process
        # may lease the port at once: check only that the server holds none).
        try:
            assert p.pid not in loopback.lease_holders(port)
        except loopback.NotFound:
            pass
    finally:
        p.kill() if p.poll() is None else None
