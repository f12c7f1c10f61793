# SPDX-License-Identifier: MIT
"""Sockets of a SocketList read their fields on demand: same values, same behaviour."""
from __future__ import annotations

import copy
import dataclasses
import gc
import pickle

import pytest

import loopback
from loopback import Socket
from conftest import require_mock


@pytest.fixture(autouse=True)
def mock_table(monkeypatch):
    require_mock(monkeypatch)


FIELDS = [f.name for f in dataclasses.fields(Socket)]


def plain(s):
    return Socket(**{f: getattr(s, f) for f in FIELDS})


def test_items_are_sockets_equal_to_plain_ones():
    socks = loopback.sockets()
    assert isinstance(socks, loopback.SocketList) and isinstance(socks, list)
    assert len(socks) == 8 and all(isinstance(s, Socket) for s in socks)
    eager = [plain(s) for s in socks]
    assert socks == eager and eager == list(socks)
    assert [hash(s) for s in socks] == [hash(e) for e in eager]
    assert repr(socks[0]) == repr(eager[0]) and repr(socks[0]).startswith("Socket(protocol=")
    assert dataclasses.asdict(socks[0]) == dataclasses.asdict(eager[0])
    assert socks[0] != socks[1] and socks[0] != "x"
    # A second listing of the same table gives equal items (but for the
    # owner errors: exceptions compare by identity).
    assert [repr(s) for s in loopback.sockets()] == [repr(s) for s in socks]
    assert loopback.sockets()[0] == socks[0]


def test_copies_pickles_and_replace():
    s = loopback.sockets()[0]
    p = pickle.loads(pickle.dumps(s))
    assert type(p) is Socket and p == s
    hidden = loopback.sockets()[2]
    assert repr(pickle.loads(pickle.dumps(hidden))) == repr(hidden)
    assert copy.copy(s) == s and copy.deepcopy(s) == s
    r = dataclasses.replace(s, owners=())
    assert r.owners == () and r.local == s.local and r != s
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.uid = 1


def test_items_outlive_the_list():
    socks = loopback.sockets()
    first, last = socks[0], socks[-1]  # nothing read yet
    del socks
    gc.collect()
    assert (first.local.port, first.pids, first.owners[0].name) == (8080, [4242, 4243], "node")
    assert (last.local.port, last.state_name) == (53, "UNCONN")


def test_fields_read_once_and_kept():
    s = loopback.sockets()[4]
    assert s.remote is s.remote and s.owners is s.owners
    assert str(s.remote) == "127.0.0.1:40000"


def test_fields_are_read_on_first_use_only(monkeypatch):
    """sockets() reads no field; a field is read once, when first used."""
    from loopback._native import C
    calls = []
    real = C.lb_socket_uid
    monkeypatch.setattr(C, "lb_socket_uid", lambda p: calls.append(p) or real(p))
    socks = loopback.sockets()
    assert len(socks) == 8 and calls == []  # built field by field before: 8 calls
    assert [s.uid for s in socks][0] == 1000 and len(calls) == 8
    assert socks[0].uid == 1000 and len(calls) == 8
