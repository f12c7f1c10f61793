# SPDX-License-Identifier: MIT
"""Endpoints as socket-module address tuples: (host, port), (host, port, flowinfo, scope_id)."""
from __future__ import annotations

import socket

import pytest

import loopback
from loopback import CheckReason, Protocol
from loopback._addrtuple import endpoint_of_tuple


@pytest.fixture
def lease():
    with loopback.pick(protocols=Protocol.ALL) as l:
        yield l


def test_tuples_to_endpoints():
    e = endpoint_of_tuple(("127.0.0.1", 8080))
    assert (e.host, e.port, str(e)) == ("127.0.0.1", 8080, "127.0.0.1:8080")
    assert str(endpoint_of_tuple(("", 80))) == "0.0.0.0:80"
    assert str(endpoint_of_tuple(("::1", 80, 0, 0))) == "[::1]:80"
    assert str(endpoint_of_tuple(("", 80, 0, 0))) == "[::]:80"
    e = endpoint_of_tuple(("fe80::1", 80, 5, 3))  # flowinfo dropped, scope id as zone
    assert (e.host, e.address.scope_id) == ("fe80::1%3", 3)
    assert endpoint_of_tuple(("fe80::1%lo", 80, 0, 1)).host == "fe80::1%lo"
    import ipaddress
    assert str(endpoint_of_tuple((ipaddress.ip_address("10.0.0.1"), 1))) == "10.0.0.1:1"


@pytest.mark.parametrize("bad", [("localhost", 1), ("127.0.0.1", 1, 0, 0), ("::1", 1, 0),
                                 ("::1",), (b"127.0.0.1", 1), ("::1", 1, -1, 0),
                                 ("::1", 1, 0, 2**32), ("::1", 1, 1 << 20, 0)])
def test_bad_tuples(bad):
    with pytest.raises(loopback.InvalidArgument):
        endpoint_of_tuple(bad)


def test_port_out_of_range():
    with pytest.raises(loopback.OutOfRange):
        loopback.check_bind(("127.0.0.1", 65536))
    with pytest.raises(TypeError):
        loopback.check_bind(("127.0.0.1", "80"))


def test_check_bind_takes_getsockname(lease):
    assert loopback.check_bind(("127.0.0.1", lease.port)).bindable
    with socket.socket(socket.AF_INET) as s:
        s.bind(("127.0.0.1", lease.port))
        s.listen()
        c = loopback.check_bind(s.getsockname())
        assert c.reason is CheckReason.IN_USE
        assert str(c.endpoint) == f"127.0.0.1:{lease.port}"
        assert c.blockers and c.blockers[0].local.port == lease.port
    with socket.socket(socket.AF_INET6) as s:
        s.bind(("::1", lease.port))
        s.listen()
        assert len(s.getsockname()) == 4
        assert loopback.check_bind(s.getsockname()).reason is CheckReason.IN_USE
        assert loopback.check_bind(("::1", lease.port, 0, 0), protocol=Protocol.UDP).bindable
    with pytest.raises(loopback.InvalidArgument):
        loopback.check_bind(("127.0.0.1", lease.port), lease.port)


def test_wait_and_who_take_tuples(lease):
    with pytest.raises(loopback.Timeout):
        loopback.wait_accepting(("127.0.0.1", lease.port), timeout=0)
    loopback.wait_free(("127.0.0.1", lease.port), timeout=0)
    with socket.socket(socket.AF_INET) as s:
        s.bind(("127.0.0.1", lease.port))
        s.listen()
        loopback.wait_accepting(s.getsockname(), timeout=5)
        with pytest.raises(loopback.Timeout):
            loopback.wait_free(("127.0.0.1", lease.port), timeout=0)
        found = loopback.who(s.getsockname())
        assert [x.local.port for x in found] == [lease.port]
        assert loopback.who(("::1", lease.port, 0, 0)) == []
