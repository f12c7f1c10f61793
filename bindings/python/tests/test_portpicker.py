# SPDX-License-Identifier: MIT
"""loopback.portpicker: portpicker's API, with ports leased until returned."""
from __future__ import annotations

import collections
import gc
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

import loopback
from loopback import Protocol, portpicker
from conftest import PYTHON_DIR


def leased_by_me(port):
    return all(loopback.is_leased(port, p) and loopback.lease_holders(port, p) == [os.getpid()]
               for p in (Protocol.TCP, Protocol.UDP))


@pytest.fixture(autouse=True)
def no_portserver(monkeypatch):
    monkeypatch.delenv("PORTSERVER_ADDRESS", raising=False)


def test_picked_port_stays_leased_until_returned():
    port = portpicker.pick_unused_port()  # the number only: nothing to keep alive
    gc.collect()
    assert leased_by_me(port)
    assert port not in loopback.ephemeral_range()
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):  # the caller can use it
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", port))
    assert portpicker.is_port_free(port)  # our own lease does not count
    other = portpicker.pick_unused_port()
    assert other != port
    portpicker.return_port(port)
    assert not loopback.is_leased(port) and not loopback.is_leased(port, Protocol.UDP)
    assert leased_by_me(other)
    portpicker.return_port(port)  # twice: logged, ignored
    portpicker.return_port(other)
    assert not loopback.is_leased(other)


def test_reserved_ports_first_and_back():
    with loopback.pick() as held:
        reserved = held.port
    portpicker.add_reserved_port(reserved)
    assert portpicker.pick_unused_port() == reserved
    assert not loopback.is_leased(reserved)  # acquired by other means: not ours to lease
    nxt = portpicker.pick_unused_port()
    assert nxt != reserved and leased_by_me(nxt)
    portpicker.return_port(reserved)  # available again
    assert portpicker.pick_unused_port() == reserved
    portpicker.return_port(reserved)
    portpicker.return_port(nxt)
    portpicker._free_ports.discard(reserved)


def test_is_port_free():
    with loopback.pick(protocols=Protocol.ALL) as lease:
        port = lease.port
        assert portpicker.is_port_free(port)  # leased by this process: ours to use
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", port))  # UDP in use: not free for both
            assert not portpicker.is_port_free(port)
        assert portpicker.bind(port, socket.SOCK_STREAM, socket.IPPROTO_TCP) == port
    # Leased by another process: not free, though it binds.
    code = ("import sys, loopback; l = loopback.pick(first=%d, last=%d); "
            "print(l.port, flush=True); sys.stdin.read()" % (port, port))
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    p = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert int(p.stdout.readline()) == port
        assert not portpicker.is_port_free(port)
    finally:
        p.stdin.close()
        p.wait(timeout=30)
    assert portpicker.is_port_free(port)


def test_port_server_is_asked_when_named():
    with loopback.pick() as lease:
        name = "@loopback-test-portserver-%d" % os.getpid()
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind("\0" + name[1:])
        srv.listen(1)
        srv.settimeout(20)
        asked = []

        def serve():
            c, _ = srv.accept()
            with c:
                asked.append(c.recv(64))
                c.sendall(b"%d\n" % lease.port)

        t = threading.Thread(target=serve)
        t.start()
        try:
            assert portpicker.pick_unused_port(pid=4242, portserver_address=name) == lease.port
        finally:
            t.join(30)
            srv.close()
        assert asked == [b"4242\n"]
        assert portpicker.get_port_from_port_server("@loopback-test-nobody-%d" % os.getpid()) \
            is None
    portpicker.return_port(lease.port)  # a server's port: back to the free set
    assert lease.port in portpicker._free_ports
    portpicker._free_ports.discard(lease.port)


def test_legacy_names():
    assert portpicker.PickUnusedPort is portpicker.pick_unused_port
    assert portpicker.IsPortFree is portpicker.is_port_free
    assert portpicker.Bind is portpicker.bind
    assert set(portpicker.__all__) >= {"pick_unused_port", "return_port", "is_port_free",
                                       "add_reserved_port"}


HOLDER = r'''
import sys
from loopback import portpicker
ports = [portpicker.pick_unused_port() for _ in range(int(sys.argv[1]))]
print(" ".join(map(str, ports))); print("ready", flush=True)
sys.stdin.read()
'''


def test_64_processes_never_share_a_port():
    """64 processes pick at once and hold their ports until all are done."""
    procs_n, each = 64, 24
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    r, w = os.pipe()
    deadline = time.monotonic() + 240
    procs = [subprocess.Popen([sys.executable, "-c", HOLDER, str(each)], stdin=r,
                              stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(procs_n)]
    os.close(r)
    ports = []
    try:
        for p in procs:  # each prints its ports, then "ready": all hold at once
            line = p.stdout.readline()
            assert p.stdout.readline().strip() == "ready", f"pid {p.pid} failed"
            ports += [int(x) for x in line.split()]
            assert time.monotonic() < deadline
    finally:
        os.close(w)  # releases every holder
        for p in procs:
            try:
                p.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    assert len(ports) == procs_n * each
    dup = {port: n for port, n in collections.Counter(ports).items() if n > 1}
    assert dup == {}
    assert all(p.returncode == 0 for p in procs)
