# SPDX-License-Identifier: MIT
"""No sequence of Python calls may crash the interpreter, and no integer is
silently cut to fit a C type.

The crash cases run in a fresh interpreter, so that a use-after-free shows
as a signal (exit -11, or an abort under ASan) instead of killing pytest.
"""
from __future__ import annotations

import copy
import pickle

import pytest

import loopback
from conftest import run_python


CRASHERS = {
    "copy then release both": """
import copy, loopback
L = loopback.pick()
try:
    c = copy.copy(L)
except TypeError:
    c = None
L.release()
if c is not None:
    c.release()
""",
    "copy then let both be collected": """
import copy, gc, loopback
L = loopback.pick()
try:
    c = copy.copy(L)
except TypeError:
    c = None
del L, c
gc.collect()
""",
    "deepcopy then release both": """
import copy, loopback
L = loopback.pick()
try:
    c = copy.deepcopy(L)
except TypeError:
    c = None
L.release()
if c is not None:
    c.release()
""",
    "__del__ then release": """
import loopback
L = loopback.pick()
L.__del__()
L.release()
L.__del__()
""",
    "pickle round trip": """
import pickle, loopback
L = loopback.pick()
try:
    c = pickle.loads(pickle.dumps(L))
except (TypeError, pickle.PicklingError):
    c = None
L.release()
if c is not None:
    c.release()
""",
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_no_crash(name):
    r = run_python(CRASHERS[name] + "\nprint('survived')\n", timeout=60)
    assert r.returncode == 0 and "survived" in r.stdout, (r.returncode, r.stderr[-2000:])


def test_copy_refuses():
    with loopback.pick() as lease:
        for make in (copy.copy, copy.deepcopy, lambda x: pickle.loads(pickle.dumps(x))):
            with pytest.raises(TypeError):
                make(lease)
        assert "held" in repr(lease)
    assert "released" in repr(lease)


def test_release_idempotent_after_del():
    lease = loopback.pick()
    port = lease.port
    lease.__del__()
    lease.release()
    lease.release()
    with pytest.raises(loopback.InvalidArgument):
        lease.fd()
    # The port really went back.
    assert not loopback.is_leased(port)


@pytest.mark.parametrize("call", [
    lambda: loopback.sockets(pid=2**40),
    lambda: loopback.sockets(pid=-1),
    lambda: loopback.ports_of(2**32 + 1),
    lambda: loopback.is_leased(65536 + 80),
    lambda: loopback.lease_holders(-1),
    lambda: loopback.strerror(2**40),
    lambda: loopback.error_name(-2**31 - 1),
    lambda: loopback.sockets(uid=2**63),
    lambda: loopback.pick(family=2**32 + 4),
    lambda: loopback.pick(protocols=2**32 + 1),
    lambda: loopback.pick(first=65536 + 2000, last=65536 + 3000),
])
def test_large_ints_are_refused(call):
    with pytest.raises((ValueError, OverflowError)):
        call()


def test_ints_in_range_still_work():
    assert loopback.strerror(-1) == "Invalid argument"
    assert loopback.error_name(-(2**31)) is None
    with loopback.pick() as lease:
        assert loopback.is_leased(lease.port)
