# SPDX-License-Identifier: MIT
"""Endpoints given as the ``socket`` module writes them.

``(host, port)`` for AF_INET and ``(host, port, flowinfo, scope_id)`` for
AF_INET6, as ``bind()``, ``connect()`` and ``getsockname()`` use them,
are taken wherever the binding takes an endpoint.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Tuple

from .endpoint import Address, Endpoint, Family, _port
from .errors import InvalidArgument

#: An address tuple of the socket module.
SockAddr = Tuple[Any, ...]


def _address(host: str, t: SockAddr) -> Address:
    e = Endpoint.parse_host(host)
    if e.address is None:
        raise InvalidArgument(f"{t!r} has a host name: resolve it first")
    return e.address


def endpoint_of_tuple(t: SockAddr) -> Endpoint:
    """The Endpoint of a socket-module address tuple.

    The host is an IP literal (an IPv6 zone as ``%eth0`` allowed) or an
    ``ipaddress`` object; ``""`` is the wildcard, as for ``bind()``:
    0.0.0.0 in a pair, :: in a 4-tuple. A 4-tuple's host must be IPv6; its
    non-zero ``scope_id`` becomes the zone unless the host names one, and
    ``flowinfo`` (0..2**20-1) has no place in an endpoint and is dropped.
    Host names are refused (InvalidArgument): resolve them first.
    """
    if len(t) not in (2, 4):
        raise InvalidArgument(
            f"an address tuple is (host, port) or (host, port, flowinfo, scope_id), not {t!r}")
    host, port = t[0], _port(t[1])
    if isinstance(host, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        host = str(host)
    if not isinstance(host, str):
        raise InvalidArgument(f"the host of {t!r} is not a str")
    if len(t) == 2:
        return Endpoint.from_address(_address(host or "0.0.0.0", t), port)
    flowinfo, scope_id = t[2], t[3]
    for name, v, top in (("flowinfo", flowinfo, 0xFFFFF), ("scope_id", scope_id, 0xFFFFFFFF)):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= top:
            raise InvalidArgument(f"{name} {v!r} of {t!r} is not an integer 0..{top}")
    host = host or "::"
    if scope_id and "%" not in host:
        host = f"{host}%{scope_id}"
    a = _address(host, t)
    if a.family != Family.INET6:
        raise InvalidArgument(f"{t!r}: a 4-tuple is an IPv6 address")
    return Endpoint.from_address(a, port)
