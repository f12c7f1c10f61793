# SPDX-License-Identifier: MIT
"""pytest fixtures for tests that need free ports.

Load it with ``-p loopback.pytest_plugin`` (or install the package: its
``pytest11`` entry point registers the same module under the same name, so
naming it with ``-p`` as well is harmless). Fixtures:

``free_port``
    an ``int``: a TCP port, free on IPv4 and IPv6, leased for the test.
``port_lease``
    the :class:`loopback.Lease` behind it: ``port_lease.listen()`` gives a
    bound, listening socket with no window for anyone to take the port.
``port_group``
    a factory: ``port_group(3, contiguous=True, protocols=Protocol.ALL)``
    returns a Lease of that many ports, all or none; every group is
    released when the test ends.

Safe under parallel runners (pytest-xdist, several pytest processes at
once): a lease is held by the process running the test, and every
libloopback picker on the host skips leased ports, so no two tests running
at the same time are ever given the same port. When the test ends (or its
process dies) the port is free again.

``--loopback-port-range=FIRST-LAST`` (or the ini option
``loopback_port_range``) makes the fixtures pick from your own range.

The plugin loads nothing until a fixture is used: an installed package
never breaks a pytest run that does not use it, even where libloopback
cannot be found; a test using a fixture then errors with
:class:`loopback.LibraryNotFound`, which says how to point at the library.
"""
from __future__ import annotations

from typing import Callable, Iterator, List, Optional, Tuple

import pytest

from .errors import InvalidArgument
from .ports import Lease, PickFamily, pick
from .protocol import Protocol


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("loopback", "free ports from libloopback")
    group.addoption("--loopback-port-range", dest="loopback_port_range", default=None,
                    metavar="FIRST-LAST",
                    help="pick the ports of free_port/port_lease/port_group from this range")
    parser.addini("loopback_port_range", "FIRST-LAST range for the loopback fixtures",
                  default="")


def parse_range(text: str) -> Tuple[int, int]:
    """``"20000-20099"`` -> ``(20000, 20099)``; InvalidArgument when malformed."""
    first, sep, last = text.partition("-")
    if not sep or not first.isdigit() or not last.isdigit():
        raise InvalidArgument(f"port range {text!r} is not FIRST-LAST")
    a, b = int(first), int(last)
    if not 1 <= a <= b <= 65535:
        raise InvalidArgument(f"port range {text!r} is not within 1-65535, first <= last")
    return a, b


def _range(config: pytest.Config) -> Tuple[int, int]:
    text: Optional[str] = config.getoption("loopback_port_range") or \
        config.getini("loopback_port_range")
    return parse_range(text) if text else (0, 0)


PortGroup = Callable[..., Lease]


@pytest.fixture
def port_group(request: pytest.FixtureRequest) -> Iterator[PortGroup]:
    """A factory of leased port groups, all released after the test."""
    first, last = _range(request.config)
    leases: List[Lease] = []

    def make(count: int = 1, *, contiguous: bool = False,
             protocols: Protocol = Protocol.TCP,
             family: PickFamily = PickFamily.BOTH) -> Lease:
        lease = pick(count, protocols=protocols, family=family, first=first, last=last,
                     contiguous=contiguous)
        leases.append(lease)
        return lease

    try:
        yield make
    finally:
        for lease in leases:
            lease.release()


@pytest.fixture
def port_lease(port_group: PortGroup) -> Lease:
    """One TCP port, free on IPv4 and IPv6, leased for the test."""
    return port_group(1)


@pytest.fixture
def free_port(port_lease: Lease) -> int:
    """A free TCP port number, leased for the duration of the test."""
    return port_lease.port
