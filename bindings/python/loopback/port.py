# SPDX-License-Identifier: MIT
"""Facts about port numbers on this host (<loopback/port.h>)."""
from __future__ import annotations

import ctypes
from typing import NamedTuple

from ._native import C
from .errors import check


class PortRange(NamedTuple):
    """An inclusive range of ports, ``first..last``."""

    first: int
    last: int

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.first <= port <= self.last

    def __len__(self) -> int:
        return self.last - self.first + 1


def ephemeral_range() -> PortRange:
    """The kernel's ephemeral port range (``lb_port_ephemeral_range()``).

    The ports the kernel hands out for outgoing connections and ``bind(0)``:
    on Linux ``net.ipv4.ip_local_port_range`` of this network namespace.

    Raises:
        NotSupported: the range cannot be read on this OS.
        PermissionDenied, SystemCallFailed, BadData: reading it failed.
    """
    first, last = ctypes.c_uint16(), ctypes.c_uint16()
    check(C.lb_port_ephemeral_range(ctypes.byref(first), ctypes.byref(last)))
    return PortRange(first.value, last.value)
