# SPDX-License-Identifier: MIT
"""wait_accepting(pid=...) (``lb_wait_held()``) on real processes."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

import loopback

# A server: listen on HOST PORT after DELAY s, accept for LIFE s at most,
# then print how many connections it accepted.
SERVER = """
import socket, sys, time
host, port, delay, life = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
time.sleep(delay)
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port)); s.listen(64); s.settimeout(0.05)
print("listening", flush=True)
n, end = 0, time.monotonic() + life
while time.monotonic() < end:
    try:
        s.accept()[0].close(); n += 1
    except socket.timeout:
        pass
print("accepted", n, flush=True)
"""


@pytest.fixture
def lease(lease_ports):
    return lease_ports()


@pytest.fixture
def procs():
    started = []
    yield started
    for p in started:
        p.kill()
        p.wait(10)


def server(procs, host, port, delay=0.0, life=10.0, via_shell=False):
    args = [sys.executable, "-c", SERVER, host, str(port), str(delay), str(life)]
    if via_shell:  # the server is a grandchild: sh runs it in the background and waits
        args = ["sh", "-c", '"$@" & wait', "sh"] + args
    p = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    procs.append(p)
    return p


def sleeper(procs, seconds=10):
    p = subprocess.Popen(["sleep", str(seconds)])
    procs.append(p)
    return p


def test_held_by_child(lease, procs):
    p = server(procs, "127.0.0.1", lease.port, delay=0.3)
    t0 = time.monotonic()
    loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=10, pid=p.pid)
    assert time.monotonic() - t0 >= 0.3  # met only once it listened
    loopback.wait_accepting("127.0.0.1", lease.port, timeout=0, pid=p.pid, descendants=False)


def test_held_by_grandchild(lease, procs):
    sh = server(procs, "127.0.0.1", lease.port, delay=0.2, via_shell=True)
    loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=10, pid=sh.pid)
    assert sh.stdout.readline().strip() == "listening"
    # The shell itself holds no listener.
    with pytest.raises(loopback.Timeout):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=0.3, pid=sh.pid,
                                descendants=False)


def test_stale_server_is_not_enough(lease, procs):
    other = sleeper(procs)
    stale = server(procs, "127.0.0.1", lease.port)
    assert stale.stdout.readline().strip() == "listening"
    loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=10)  # it accepts
    t0 = time.monotonic()
    with pytest.raises(loopback.Timeout):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=0.4, pid=other.pid)
    assert time.monotonic() - t0 >= 0.4  # the whole timeout, never less
    loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=10, pid=stale.pid)


def test_dual_stack_covers_ipv4(lease, procs):
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    p = server(procs, "::", lease.port)
    assert p.stdout.readline().strip() == "listening"
    loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=10, pid=p.pid)
    loopback.wait_accepting(f"[::1]:{lease.port}", timeout=10, pid=p.pid)


def test_process_exits_while_waiting(lease, procs):
    p = subprocess.Popen(["sleep", "0.3"])
    procs.append(p)
    t0 = time.monotonic()
    with pytest.raises(loopback.NotFound):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=30, pid=p.pid)
    assert time.monotonic() - t0 < 10  # well under the 30 s timeout


def test_nonexistent_pid(lease):
    p = subprocess.Popen(["true"])
    p.wait(10)
    t0 = time.monotonic()
    with pytest.raises(loopback.NotFound):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=30, pid=p.pid)
    with pytest.raises(loopback.NotFound):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=30, pid=2**31 - 1)
    assert time.monotonic() - t0 < 10


@pytest.mark.parametrize("bad", [0, -1, 2**31, 2**32 + 5, True, "12", 1.5])
def test_bad_pid(lease, bad):
    with pytest.raises(loopback.InvalidArgument):
        loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=0, pid=bad)


def test_timeout_lower_bound(lease):
    for _ in range(3):
        t0 = time.monotonic()
        with pytest.raises(loopback.Timeout):
            loopback.wait_accepting(f"127.0.0.1:{lease.port}", timeout=0.3)
        assert time.monotonic() - t0 >= 0.3


@pytest.mark.parametrize("held,connect", [(False, False), (True, False), (False, True)])
def test_wait_does_not_disturb_the_server(lease, procs, held, connect):
    p = server(procs, "127.0.0.1", lease.port, delay=0.3, life=1.5)
    loopback.wait_accepting("127.0.0.1", lease.port, timeout=5, connect=connect,
                            pid=p.pid if held else None)
    out, _ = p.communicate(timeout=10)
    n = int(out.split()[-1])
    assert (n > 0) if connect else (n == 0), out
