# SPDX-License-Identifier: MIT
"""<loopback/port.h>: the ephemeral range."""
from __future__ import annotations

import pytest

import loopback
from conftest import have_unshare, run_python


def test_ephemeral_range_matches_kernel():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        first, last = map(int, f.read().split())
    r = loopback.ephemeral_range()
    assert r == (first, last)
    assert isinstance(r, loopback.PortRange)
    assert first in r and last in r and first - 1 not in r and last + 1 not in r
    assert len(r) == last - first + 1


@pytest.mark.skipif(not have_unshare(), reason="needs root and unshare for a network namespace")
def test_ephemeral_range_of_another_namespace():
    # The range is per network namespace: set one in a fresh namespace and
    # read it back through the binding there.
    code = ("import loopback; r = loopback.ephemeral_range(); print(r.first, r.last)")
    r = run_python(code, prefix=["unshare", "-n", "sh", "-c",
                                 'echo "20000 20100" >/proc/sys/net/ipv4/ip_local_port_range'
                                 ' && exec "$@"', "sh"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["20000", "20100"]
