# SPDX-License-Identifier: MIT
"""<loopback/check.h> and <loopback/wait.h> on real sockets."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

import loopback
from loopback import CheckReason, CheckWarning, Protocol


@pytest.fixture
def lease(lease_ports):
    return lease_ports(protocols=Protocol.ALL)


def listener(family, host, port, v6only=None, reuse=False):
    s = socket.socket(family)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((host, port))
    s.listen()
    return s


def test_reason_names_are_the_librarys():
    assert [str(r) for r in CheckReason] == [
        "bindable", "in-use", "blocked-wildcard", "blocked-dual-stack", "time-wait",
        "privileged", "not-local", "leased"]
    assert loopback._native.C.lb_check_reason_name(max(CheckReason) + 1) is None


def test_bindable_and_in_use(lease):
    c = loopback.check_bind(f"127.0.0.1:{lease.port}")
    assert c.bindable and c.reason is CheckReason.BINDABLE and c.suggestion == ""
    assert c.warnings == CheckWarning.NONE and c.lease_holders == (os.getpid(),)
    with listener(socket.AF_INET, "127.0.0.1", lease.port):
        c = loopback.check_bind("127.0.0.1", lease.port)
        assert c.reason is CheckReason.IN_USE and not c.bindable
        assert c.explanation and c.suggestion
        # The same port over UDP is another story.
        assert loopback.check_bind("127.0.0.1", lease.port, Protocol.UDP).bindable
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", lease.port))
        assert loopback.check_bind("127.0.0.1", lease.port, Protocol.UDP).reason is \
            CheckReason.IN_USE


def test_wildcard_and_dual_stack(lease):
    with listener(socket.AF_INET, "0.0.0.0", lease.port):
        assert loopback.check_bind(f"127.0.0.1:{lease.port}").reason is \
            CheckReason.BLOCKED_WILDCARD
    with listener(socket.AF_INET6, "::", lease.port, v6only=0):
        assert loopback.check_bind(f"127.0.0.1:{lease.port}").reason is \
            CheckReason.BLOCKED_DUALSTACK


def in_time_wait(port):
    """Whether /proc/net/tcp shows a TIME_WAIT (06) socket on local port."""
    with open("/proc/net/tcp") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return any(r[1].endswith(":%04X" % port) and r[3] == "06" for r in rows)


def test_time_wait_leftovers(lease):
    # As servers do: with SO_REUSEADDR, which the TIME_WAIT socket keeps
    # (without it Linux refuses even a SO_REUSEADDR bind: then "in use").
    srv = listener(socket.AF_INET, "127.0.0.1", lease.port, reuse=True)
    cli = socket.create_connection(("127.0.0.1", lease.port), timeout=5)
    conn, _ = srv.accept()
    conn.close()          # the server side closes first: its socket goes TIME_WAIT
    cli.recv(1)
    cli.close()
    srv.close()
    # The client's FIN moves the server's end from FIN_WAIT2 to TIME_WAIT.
    deadline = time.monotonic() + 5
    while not in_time_wait(lease.port) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert in_time_wait(lease.port)
    c = loopback.check_bind(f"127.0.0.1:{lease.port}")
    assert c.reason is CheckReason.TIME_WAIT, c.explanation
    assert "REUSEADDR" in c.explanation + c.suggestion
    # The leftovers are the blockers: TIME-WAIT sockets no process holds.
    assert c.blockers and all(b.state_name == "TIME-WAIT" and b.owners == () and
                              b.local.port == lease.port for b in c.blockers)


def hold(code, port):
    """A child python holding the socket made by code (statements binding
    s to the port in P, which this test leased); returns (process, port)."""
    p = subprocess.Popen([sys.executable, "-c", "import socket, sys\nP = %d\n" % port + code +
                          "\nprint(s.getsockname()[1], flush=True); sys.stdin.read()"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    got = int(p.stdout.readline())
    assert got == port
    return p, got


def release(p):
    p.stdin.close()
    p.wait(10)


def comm(pid):
    with open(f"/proc/{pid}/comm") as f:
        return f.read().strip()


def test_blockers_are_the_sockets_of_the_table(lease):
    assert loopback.check_bind(f"127.0.0.1:{lease.port}").blockers == ()
    with listener(socket.AF_INET, "127.0.0.1", lease.port):
        c = loopback.check_bind(f"127.0.0.1:{lease.port}")
        assert c.reason is CheckReason.IN_USE
        assert len(c.blockers) == 1 and isinstance(c.blockers[0], loopback.Socket)
        assert c.blockers[0].pids == [os.getpid()]
        assert c.blockers == tuple(loopback.sockets(protocols=Protocol.TCP,
                                                    local_port=lease.port))
        assert loopback.check_bind(f"127.0.0.1:{lease.port}", protocol=Protocol.UDP).blockers == ()


def test_ipv6_only_wildcard_against_ipv6_loopback(lease):
    # Trial binds alone cannot tell this from a socket on ::1.
    p, port = hold("s = socket.socket(socket.AF_INET6)\n"
                   "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)\n"
                   "s.bind(('::', P)); s.listen()", lease.port)
    try:
        c = loopback.check_bind(f"[::1]:{port}")
        assert c.reason is CheckReason.BLOCKED_WILDCARD, c.explanation
        (b,) = c.blockers
        assert b.pids == [p.pid] and b.owners[0].name == comm(p.pid)
        assert b.local == loopback.Endpoint.parse(f"[::]:{port}") and b.v6only is True
        assert b.state_name == "LISTEN"
        assert c.explanation.endswith(f"listening on [::]:{port}: [::] covers every IPv6 address")
        assert f"{comm(p.pid)} (pid {p.pid}" in c.explanation
        assert c.blockers == tuple(loopback.sockets(protocols=Protocol.TCP, local_port=port))
        assert loopback.check_bind(f"127.0.0.1:{port}").bindable
    finally:
        release(p)


def test_dual_stack_blocker_named(lease):
    p, port = hold("s = socket.socket(socket.AF_INET6)\n"
                   "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
                   "s.bind(('::', P)); s.listen()", lease.port)
    try:
        c = loopback.check_bind("127.0.0.1", port)
        assert c.reason is CheckReason.BLOCKED_DUALSTACK
        assert [b.pids for b in c.blockers] == [[p.pid]] and c.blockers[0].v6only is False
        assert f"set IPV6_V6ONLY on the [::] socket of {comm(p.pid)} (pid {p.pid})" in c.suggestion
    finally:
        release(p)


def test_not_local_and_warnings():
    assert loopback.check_bind("192.0.2.1:5000").reason is CheckReason.NOT_LOCAL
    eph = loopback.ephemeral_range()
    c = loopback.check_bind("127.0.0.1", eph.last)
    assert CheckWarning.EPHEMERAL in c.warnings
    with pytest.raises(loopback.InvalidArgument):
        loopback.check_bind("localhost:80")
    with pytest.raises(loopback.InvalidArgument):
        loopback.check_bind("127.0.0.1:0")


def test_leased_by_another_process():
    p = subprocess.Popen([sys.executable, "-c", "import loopback, sys; l = loopback.pick(); "
                          "print(l.port, flush=True); sys.stdin.read()"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(p.stdout.readline())
        c = loopback.check_bind(f"127.0.0.1:{port}")
        assert c.reason is CheckReason.LEASED and c.lease_holders == (p.pid,)
        with open(f"/proc/{p.pid}/comm") as f:
            name = f.read().strip()
        assert f"leased by {name} (pid {p.pid})" in c.explanation
        assert c.blockers == ()
    finally:
        p.stdin.close()
        p.wait(10)


def test_privileged_port_for_an_unprivileged_user(nobody_python):
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        start = int(f.read())
    if start <= 80:
        pytest.skip(f"ip_unprivileged_port_start is {start}: port 80 is not privileged here")
    r = nobody_python("import loopback; print(loopback.check_bind('127.0.0.1:80').reason.name)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() in ("PRIVILEGED", "IN_USE")
    if r.stdout.strip() == "IN_USE":
        pytest.skip("something listens on port 80 here")


def test_wait_accepting_and_free(lease):
    target = f"127.0.0.1:{lease.port}"
    t0 = time.monotonic()
    with pytest.raises(loopback.Timeout):
        loopback.wait_accepting(target, timeout=0.2)
    assert time.monotonic() - t0 >= 0.15  # it waited, polling (not a speed test)
    loopback.wait_free(target, timeout=0)
    box = {}

    def serve_late():
        time.sleep(0.3)
        box["srv"] = listener(socket.AF_INET, "127.0.0.1", lease.port)

    th = threading.Thread(target=serve_late)
    th.start()
    loopback.wait_accepting(target, timeout=10)
    th.join()
    srv = box["srv"]
    with pytest.raises(loopback.Timeout):
        loopback.wait_free(target, timeout=0.1)
    threading.Timer(0.3, srv.close).start()
    loopback.wait_free(target, timeout=10)
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(loopback.InvalidArgument):
            loopback.wait_free(target, timeout=bad)
