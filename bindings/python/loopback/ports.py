# SPDX-License-Identifier: MIT
"""Pick free ports, lease them, hand over bound sockets (<loopback/pick.h>, <loopback/lease.h>).

A :class:`Lease` reserves ports across every process of the host that uses
libloopback, until it is released or this process dies (the kernel then
frees it at once); no daemon, no files. Use it as a context manager::

    with loopback.pick() as lease:
        srv = lease.listen()          # a socket.socket, bound and listening
        serve(srv, lease.port)
"""
from __future__ import annotations

import ctypes
import enum
import socket
import threading
from typing import List, Optional, Tuple, Union

from ._native import C
from .endpoint import Address
from .errors import InvalidArgument, NotFound, check
from .protocol import Protocol


class PickFamily(enum.IntEnum):
    """LB_PICK_FAMILY_*: where a picked port must bind."""

    BOTH = 0
    IPV4 = 4
    IPV6 = 6


LEASE_IPV4_ONLY = 0x1  # LB_LEASE_IPV4_ONLY
_PICK_CONTIGUOUS = 0x1  # LB_PICK_CONTIGUOUS


class PickOptions(ctypes.Structure):
    """struct lb_pick_options (its .size says which fields the caller knows)."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("protocols", ctypes.c_uint),
        ("family", ctypes.c_int),
        ("first", ctypes.c_uint16),
        ("last", ctypes.c_uint16),
        ("count", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("max_attempts", ctypes.c_uint32),
    ]


class Lease:
    """Ports leased by this process (an ``lb_lease``).

    Released by :meth:`release`, by leaving a ``with`` block, when the
    object is garbage-collected, or when the process dies. Thread-safe.
    """

    def __init__(self, handle: ctypes.c_void_p) -> None:
        self._h: Optional[ctypes.c_void_p] = handle
        self._lock = threading.Lock()
        n = C.lb_lease_count(handle)
        self.ports: Tuple[int, ...] = tuple(int(C.lb_lease_port(handle, i)) for i in range(n))
        self.protocols = Protocol(C.lb_lease_protocols(handle))
        #: IPv6 was asked for but is disabled here: the ports were checked on IPv4 only.
        self.ipv4_only = bool(C.lb_lease_flags(handle) & LEASE_IPV4_ONLY)

    @property
    def port(self) -> int:
        """The first (for a single pick, the only) port."""
        return self.ports[0]

    def __len__(self) -> int:
        return len(self.ports)

    def __repr__(self) -> str:
        state = "released" if self._h is None else "held"
        return f"<Lease ports={list(self.ports)} {self.protocols.name} {state}>"

    def _handle(self) -> ctypes.c_void_p:
        if self._h is None:
            raise InvalidArgument("the lease was released")
        return self._h

    def _index(self, index: int) -> int:
        if not 0 <= index < len(self.ports):
            raise IndexError(f"lease index {index} out of range 0..{len(self.ports) - 1}")
        return index

    def fd(self, index: int = 0, protocol: Protocol = Protocol.TCP) -> int:
        """The descriptor holding one lease (owned by the lease: do not close it)."""
        with self._lock:
            return check(C.lb_lease_fd(self._handle(), self._index(index), int(protocol)))

    def set_inherit(self, inherit: bool = True) -> None:
        """Let programs this process executes inherit the lease (clear close-on-exec).

        A child started with ``subprocess`` and ``pass_fds`` or ``close_fds=False``
        then holds the lease too, so it lasts as long as the child.
        """
        with self._lock:
            check(C.lb_lease_set_inherit(self._handle(), 1 if inherit else 0))

    def listen(self, index: int = 0, protocol: Protocol = Protocol.TCP,
               host: Union[Address, str, None] = None) -> socket.socket:
        """A socket bound to the leased port, ready to use (``lb_lease_listen()``).

        TCP: listening (SO_REUSEADDR, backlog SOMAXCONN); UDP: bound. ``host``
        defaults to 127.0.0.1 (::1 for an IPv6-only pick). The caller owns
        and closes the socket; it is close-on-exec.

        Raises AddressInUse if someone else bound the port meanwhile,
        AddressNotAvailable, BindRefused, FamilyNotSupported.
        """
        addr = None
        if host is not None:
            addr = (host if isinstance(host, Address) else Address.parse(host))._to_c()
        fd = ctypes.c_int(-1)
        with self._lock:
            check(C.lb_lease_listen(self._handle(), self._index(index), int(protocol),
                                    ctypes.byref(addr) if addr is not None else None,
                                    ctypes.byref(fd)))
        return socket.socket(fileno=fd.value)

    def release(self) -> None:
        """Release the leases now (``lb_lease_release()``); a second call does nothing."""
        with self._lock:
            h, self._h = self._h, None
        if h is not None:
            C.lb_lease_release(h)

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        # Clear the handle first: an explicit __del__() followed by
        # release() (or a second __del__) must not free it twice.
        h = getattr(self, "_h", None)
        self._h = None
        if h is not None:
            C.lb_lease_release(h)

    # A Lease owns its lb_lease: a copy sharing the handle would free it
    # twice. There is no second lease to make a copy from (the ports are
    # leased by this one), so copying, deep-copying and pickling refuse.
    def __copy__(self) -> "Lease":
        raise TypeError("a Lease cannot be copied: it owns its ports (pick() another)")

    def __deepcopy__(self, memo: object) -> "Lease":
        raise TypeError("a Lease cannot be copied: it owns its ports (pick() another)")

    def __reduce_ex__(self, protocol: object) -> object:
        raise TypeError("a Lease cannot be pickled: it owns its ports in this process")


def pick(count: int = 1, *, protocols: Protocol = Protocol.TCP,
         family: PickFamily = PickFamily.BOTH, first: int = 0, last: int = 0,
         contiguous: bool = False, max_attempts: int = 0) -> Lease:
    """Pick and lease free ports (``lb_port_pick()``).

    Ports come from outside the kernel's ephemeral range and reserved
    ports (or from ``first..last``), are leased before they are checked,
    and bind right now on every protocol and family asked for. ``count``
    ports are picked all or none, consecutive with ``contiguous``.

    Raises Exhausted when no (group of) port(s) was found, InvalidArgument
    for bad options, NotSupported where leases are not available.
    """
    if count < 1:
        raise InvalidArgument(f"count {count} must be at least 1")
    o = PickOptions(size=ctypes.sizeof(PickOptions), protocols=int(protocols),
                    family=int(family), first=first, last=last, count=count,
                    flags=_PICK_CONTIGUOUS if contiguous else 0,
                    max_attempts=max_attempts)
    # ctypes keeps the low bits of a field: compare every one with what
    # was asked (2**32 + 4 as the family would be IPv4).
    if (o.protocols, o.family, o.first, o.last, o.count, o.max_attempts) != \
            (int(protocols), int(family), first, last, count, max_attempts):
        raise InvalidArgument("a pick option is out of range")
    h = ctypes.c_void_p()
    check(C.lb_port_pick(ctypes.byref(o), ctypes.byref(h)))
    return Lease(h)


def lease_holders(port: int, protocol: Protocol = Protocol.TCP) -> List[int]:
    """The pids holding the lease on a port, ascending (``lb_lease_holders()``).

    Found from the socket table, never by connecting to the lease. An empty
    list means leased by processes this caller may not inspect.

    Raises NotFound if the port is not leased.
    """
    n = 16
    while True:
        pids = (ctypes.c_int * n)()
        got = check(C.lb_lease_holders(port, int(protocol), pids, n))
        if got <= n:
            return sorted(pids[:got])
        n = got


def is_leased(port: int, protocol: Protocol = Protocol.TCP) -> bool:
    """Whether any process holds a lease on the port."""
    try:
        lease_holders(port, protocol)
    except NotFound:
        return False
    return True
