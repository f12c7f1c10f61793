# SPDX-License-Identifier: MIT
"""<loopback/pick.h> and <loopback/lease.h>: picks, leases, handed-over sockets."""
from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys

import pytest

import loopback
from loopback import PickFamily, Protocol
from conftest import holders, pick_again


def binds(port, proto=Protocol.TCP):
    kind = socket.SOCK_STREAM if proto == Protocol.TCP else socket.SOCK_DGRAM
    for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(fam, kind) as s:
            s.bind((host, port))


def test_pick_one_port():
    with loopback.pick() as lease:
        assert len(lease) == 1 and lease.ports == (lease.port,)
        assert lease.protocols == Protocol.TCP and lease.ipv4_only is False
        assert lease.port >= 1024 and lease.port not in loopback.ephemeral_range()
        binds(lease.port)
        assert loopback.lease_holders(lease.port) == [os.getpid()]
        assert loopback.is_leased(lease.port)
        assert lease.fd() >= 0
    assert os.getpid() not in holders(lease.port)
    lease.release()  # again: nothing
    with pytest.raises(loopback.InvalidArgument):
        lease.fd()


def test_group_contiguous_and_protocols():
    with loopback.pick(4, contiguous=True, protocols=Protocol.ALL) as g:
        assert g.ports == tuple(range(g.port, g.port + 4))
        assert g.protocols == Protocol.ALL
        for p in g.ports:
            binds(p, Protocol.TCP)
            binds(p, Protocol.UDP)
            assert loopback.lease_holders(p, Protocol.TCP) == [os.getpid()]
            assert loopback.lease_holders(p, Protocol.UDP) == [os.getpid()]
        assert g.fd(3, Protocol.UDP) != g.fd(3, Protocol.TCP)
        with pytest.raises(IndexError):
            g.fd(4)
    with loopback.pick(protocols=Protocol.UDP) as u:
        assert os.getpid() not in holders(u.port, Protocol.TCP)
        assert loopback.lease_holders(u.port, Protocol.UDP) == [os.getpid()]
        with pytest.raises(loopback.InvalidArgument):
            u.fd(0, Protocol.TCP)


def test_listen_hands_over_bound_sockets():
    with loopback.pick(2, protocols=Protocol.ALL) as lease:
        with lease.listen() as srv:
            assert srv.getsockname() == ("127.0.0.1", lease.port)
            assert srv.type == socket.SOCK_STREAM and not srv.get_inheritable()
            with socket.create_connection(("127.0.0.1", lease.port), timeout=5):
                conn, _ = srv.accept()
                conn.close()
        with lease.listen(1, Protocol.UDP, "::1") as u:
            assert u.family == socket.AF_INET6 and u.type == socket.SOCK_DGRAM
            assert u.getsockname()[:2] == ("::1", lease.ports[1])
    with loopback.pick(family=PickFamily.IPV6) as v6:
        with v6.listen() as s:
            assert s.getsockname()[:2] == ("::1", v6.port)


def test_listen_reports_who_won_the_race():
    with loopback.pick() as lease:
        with socket.socket() as intruder:
            intruder.bind(("127.0.0.1", lease.port))
            intruder.listen()
            with pytest.raises(loopback.AddressInUse) as ei:
                lease.listen()
            assert ei.value.errno == errno.EADDRINUSE
        with pytest.raises(loopback.AddressNotAvailable):
            lease.listen(host="192.0.2.1")


def test_bad_options():
    with pytest.raises(loopback.InvalidArgument):
        loopback.pick(first=30000, last=29999)
    with pytest.raises(loopback.InvalidArgument):
        loopback.pick(0)
    with pytest.raises(loopback.InvalidArgument):
        loopback.pick(protocols=Protocol(4))
    with pytest.raises(loopback.InvalidArgument):
        loopback.pick(first=70000, last=70001)


def test_exhausted_when_the_only_port_is_leased():
    with loopback.pick() as held:
        with pytest.raises(loopback.Exhausted):
            loopback.pick(first=held.port, last=held.port)
    again = pick_again(held.port, os.getpid())
    if again is not None:
        with again:
            assert again.port == held.port


HOLDER = ("import loopback, sys; l = loopback.pick(%s); print(l.port, flush=True); "
          "sys.stdin.read()")


def test_lease_of_another_process_and_sigkill():
    p = subprocess.Popen([sys.executable, "-c", HOLDER % ""], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    try:
        port = int(p.stdout.readline())
        assert loopback.lease_holders(port) == [p.pid]
        with pytest.raises(loopback.Exhausted):
            loopback.pick(first=port, last=port)
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        # The kernel freed the lease with the process: at once, no timeout.
        assert p.pid not in holders(port)
        mine = pick_again(port, p.pid)
        if mine is not None:
            with mine:
                assert mine.port == port
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.mark.parametrize("inherit", [True, False])
def test_inherited_lease_lives_as_long_as_the_child(inherit):
    lease = loopback.pick()
    if inherit:
        lease.set_inherit(True)
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE, close_fds=False)
    try:
        port = lease.port
        want = sorted([os.getpid(), child.pid]) if inherit else [os.getpid()]
        assert loopback.lease_holders(port) == want
        lease.release()
        if inherit:
            assert loopback.lease_holders(port) == [child.pid]
        else:
            assert not {os.getpid(), child.pid} & set(holders(port))
        child.stdin.close()
        child.wait(10)
        assert not {os.getpid(), child.pid} & set(holders(port))
    finally:
        lease.release()
        if child.poll() is None:
            child.kill()
            child.wait()
