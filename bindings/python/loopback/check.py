# SPDX-License-Identifier: MIT
"""Can I bind this, and if not why (<loopback/check.h>); waiting for a port (<loopback/wait.h>)."""
from __future__ import annotations

import ctypes
import enum
import math
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from ._native import C, text
from ._addrtuple import SockAddr, endpoint_of_tuple
from .endpoint import Address, Endpoint, _port
from .errors import InvalidArgument, check
from .protocol import Protocol
from .sockets import Socket, _socket


class CheckReason(enum.IntEnum):
    """LB_CHECK_*: the verdict of a bind check."""

    BINDABLE = 0
    IN_USE = 1
    BLOCKED_WILDCARD = 2
    BLOCKED_DUALSTACK = 3
    TIME_WAIT = 4
    PRIVILEGED = 5
    NOT_LOCAL = 6
    LEASED = 7

    def __str__(self) -> str:
        """The library's stable name: "bindable", "in-use", "time-wait" ..."""
        return text(C.lb_check_reason_name(int(self))) or self.name.lower()


class CheckWarning(enum.IntFlag):
    """LB_CHECK_WARN_*: facts that do not stop the bind."""

    NONE = 0
    EPHEMERAL = 1
    RESERVED = 2


@dataclass(frozen=True)
class BindCheck:
    """The diagnosis of one address, port and protocol (``lb_check_bind()``).

    Attributes:
        endpoint: what was checked; protocol: Protocol.TCP or UDP.
        reason: the verdict; ``bindable`` is True for BINDABLE.
        warnings: CheckWarning bits (ephemeral range, reserved port).
        explanation: one English line saying why (or that it binds).
        suggestion: one line saying what to do, "" when nothing needs doing.
        lease_holders: pids holding the port's lease (for LEASED).
        blockers: the sockets of the table that stop the bind, with their
            owners (``lb_check_blockers()``): the same Socket objects
            sockets() returns, best blocker first; () when the bind was
            not refused as in use, or the table shows nothing.
    """

    endpoint: Endpoint
    protocol: Protocol
    reason: CheckReason
    warnings: CheckWarning
    explanation: str
    suggestion: str
    lease_holders: Tuple[int, ...]
    blockers: Tuple[Socket, ...] = ()

    @property
    def bindable(self) -> bool:
        return self.reason == CheckReason.BINDABLE


Target = Union[str, Endpoint, Address, SockAddr]


def _target(target: Target, port: Optional[int]) -> Endpoint:
    if isinstance(target, Endpoint):
        e = target
    elif isinstance(target, tuple):
        if port is not None:
            raise InvalidArgument("an address tuple carries its port: give no port")
        e = endpoint_of_tuple(target)
    elif port is None:
        if not isinstance(target, str):
            raise InvalidArgument("give a port with an Address")
        e = Endpoint.parse(target)
    else:
        e = Endpoint.from_address(target, port)
    if e.address is None:
        raise InvalidArgument(f"{e} has a host name: resolve it first")
    return e


def check_bind(target: Target, port: Optional[int] = None,
               protocol: Protocol = Protocol.TCP) -> BindCheck:
    """Can ``target`` be bound now, and if not why (``lb_check_bind()``).

    ``target`` is ``"HOST:PORT"`` (an IP address), an Endpoint, a socket
    module address tuple (``("127.0.0.1", 8080)``, ``("::1", 8080, 0, 0)``),
    or an Address (or address text) with ``port``. The bind is tried for real and
    the socket closed at once; a blocked bind names why: in use, a
    wildcard or dual-stack listener, TIME_WAIT leftovers, a privileged
    port, an address not on this host, or a lease held elsewhere.
    """
    e = _target(target, port)
    a = e.address._to_c()  # type: ignore[union-attr]
    h = ctypes.c_void_p()
    check(C.lb_check_bind(ctypes.byref(a), _port(e.port), int(protocol), ctypes.byref(h)))
    try:
        n = 16
        while True:
            pids = (ctypes.c_int * n)()
            got = check(C.lb_check_lease_holders(h, pids, n))
            if got <= n:
                break
            n = got
        bl = C.lb_check_blockers(h)
        blockers = tuple(_socket(C.lb_socket_list_at(bl, i))
                         for i in range(C.lb_socket_list_count(bl)))
        return BindCheck(endpoint=e, protocol=Protocol(protocol),
                         reason=CheckReason(check(C.lb_check_reason(h))),
                         warnings=CheckWarning(C.lb_check_warnings(h)),
                         explanation=text(C.lb_check_explanation(h)) or "",
                         suggestion=text(C.lb_check_suggestion(h)) or "",
                         lease_holders=tuple(sorted(pids[:got])),
                         blockers=blockers)
    finally:
        C.lb_check_free(h)


_WAIT_ACCEPTING = 0
_WAIT_FREE = 1
_WAIT_CONNECT = 0x100


def _wait(target: Target, port: Optional[int], condition: int, timeout: float,
          pid: Optional[int] = None, descendants: bool = True, connect: bool = False) -> None:
    e = _target(target, port)
    if not timeout >= 0 or math.isinf(timeout):
        raise InvalidArgument(f"timeout {timeout!r} must be a finite number of seconds >= 0")
    ms = int(math.ceil(timeout * 1000))
    if ms > 0xFFFFFFFF:
        raise InvalidArgument(f"timeout {timeout!r} is too long")
    if pid is not None and (isinstance(pid, bool) or not isinstance(pid, int)
                            or not 1 <= pid <= 0x7FFFFFFF):
        raise InvalidArgument(f"pid {pid!r} must be a process id from 1 to 2147483647")
    a = e.address._to_c()  # type: ignore[union-attr]
    extra = _WAIT_CONNECT if connect else 0
    if pid is None:
        check(C.lb_wait(ctypes.byref(a), _port(e.port), condition | extra, ms))
    else:
        check(C.lb_wait_held(ctypes.byref(a), _port(e.port), pid,
                             (0x1 if descendants else 0) | extra, ms))


def wait_accepting(target: Target, port: Optional[int] = None, *, timeout: float = 10.0,
                   pid: Optional[int] = None, descendants: bool = True,
                   connect: bool = False) -> None:
    """Wait until a TCP listener takes connections to ``target`` (``lb_wait()``).

    For an address of this host the socket table decides, without
    connecting: the server sees no probe. For another host, or with
    ``connect`` (LB_WAIT_CONNECT), a TCP connect must succeed.
    Polls every 50 ms, up to ``timeout`` seconds (0: check once). The GIL
    is released while waiting. Raises Timeout when it did not happen.

    With ``pid`` (``lb_wait_held()``), the listener that takes the
    connection must also be held by that process or, with ``descendants``
    (the default), one of its descendants: a stale server of another
    process on the port does not count. Raises NotFound at once when the
    process does not exist or exits while waiting, PermissionDenied when
    the port accepts but the process's sockets cannot be read (another
    user's process), InvalidArgument for a pid outside 1..2**31-1.
    """
    _wait(target, port, _WAIT_ACCEPTING, timeout, pid, descendants, connect)


def wait_free(target: Target, port: Optional[int] = None, *, timeout: float = 10.0) -> None:
    """Wait until ``target`` binds (TCP), as check_bind() says bindable.

    Raises Timeout when it did not happen within ``timeout`` seconds.
    """
    _wait(target, port, _WAIT_FREE, timeout)
