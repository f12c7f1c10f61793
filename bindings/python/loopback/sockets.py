# SPDX-License-Identifier: MIT
"""The socket table and who owns each socket (<loopback/socket.h>).

``sockets()`` lists TCP and UDP sockets with the processes that hold
them, filtered in the library (and, with the netlink backend, in the
kernel). ``who()`` answers "who is on this port", ``ports_of()`` "which
ports does this process use".
"""
from __future__ import annotations

import ctypes
import enum
import os
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple, Union

from ._native import C, LbAddr, text
from .endpoint import Address, Endpoint, Family, _port
from .errors import ErrorCode, InvalidArgument, LoopbackError, check, from_code
from .protocol import Protocol


class State(enum.IntEnum):
    """LB_STATE_*: the Linux TCP state numbers (UDP: CLOSE unconnected, ESTABLISHED connected)."""

    ESTABLISHED = 1
    SYN_SENT = 2
    SYN_RECV = 3
    FIN_WAIT1 = 4
    FIN_WAIT2 = 5
    TIME_WAIT = 6
    CLOSE = 7
    CLOSE_WAIT = 8
    LAST_ACK = 9
    LISTEN = 10
    CLOSING = 11


class OwnerMode(enum.IntEnum):
    """LB_OWNERS_*: how hard to look for the processes holding each socket."""

    NONE = 0
    DEFAULT = 1
    ALL = 2


class OwnerScan(enum.IntEnum):
    """LB_OWNER_SCAN_*: how the owners are found (Linux).

    AUTO: one in-kernel BPF pass when the caller may run it (root, or
    CAP_BPF + CAP_PERFMON), else /proc; PROC: the descriptors in /proc;
    BPF: the in-kernel pass or an error (PermissionDenied when the kernel
    refuses, NotSupported when it cannot).
    """

    AUTO = 0
    PROC = 1
    BPF = 2


_FAMILY_BITS = {Family.INET: 0x1, Family.INET6: 0x2}


def state_name(protocol: int, state: int) -> str:
    """``lb_state_name()``: "LISTEN", "ESTAB", "UNCONN" (UDP) ... as ss prints it."""
    return text(C.lb_state_name(int(protocol), int(state))) or "UNKNOWN"


@dataclass(frozen=True)
class Owner:
    """A process holding a socket.

    Attributes:
        pid: the process id.
        name: the process name (Linux comm).
        cmdline: the command line, arguments joined by spaces (for display:
            'a b' and a b look alike); None if hidden.
        argv: the command line as a tuple of arguments, decoded as sys.argv
            is (os.fsdecode); None when cmdline is None.
        exe: the executable's path; None if hidden.
        uid: the effective user id; user: its name (or the uid in decimal).
        start_time: milliseconds since the epoch (0 unknown): with pid,
            identifies the process even after its pid is reused.
        error: PermissionDenied when cmdline/exe were hidden, else None.
    """

    pid: int
    name: str
    cmdline: Optional[str]
    exe: Optional[str]
    uid: int
    user: str
    start_time: int
    error: Optional[LoopbackError] = None
    argv: Optional[Tuple[str, ...]] = None


@dataclass(frozen=True)
class Socket:
    """One socket of the table.

    Attributes:
        protocol: Protocol.TCP or Protocol.UDP; family: Family.INET/INET6.
        state: a State; state_name: as ss prints it ("LISTEN", "UNCONN").
        local: the local Endpoint; remote: the remote one, None unconnected.
        uid, inode, rx_queue, tx_queue, netns (namespace inode, 0 unknown).
        v6only: True/False for IPv6 sockets when known, None if unknown.
        owners: the processes holding it (sorted by pid).
        owner_error: None when the owners are listed (none only for a
            socket no process holds, TIME-WAIT); else why none is listed
            (``lb_socket_owner_error()``): PermissionDenied (some process
            could not be inspected), NotVisible (held by no process
            visible here: another PID namespace), Exited (the holder
            exited while it was described), NotRequested (OwnerMode.NONE).
    """

    protocol: Protocol
    family: Family
    state: State
    state_name: str
    local: Endpoint
    remote: Optional[Endpoint]
    uid: int
    inode: int
    rx_queue: int
    tx_queue: int
    v6only: Optional[bool]
    netns: int
    owners: Tuple[Owner, ...]
    owner_error: Optional[LoopbackError] = None

    @property
    def pids(self) -> List[int]:
        """The pids of the owners."""
        return [o.pid for o in self.owners]


class SocketList(List[Socket]):
    """A list of Socket, with the name of the backend that made it.

    Its items read each field from the C library's list the first time it
    is used, so listing a busy host costs little more than the C call;
    the C list lives as long as any of its items.
    """

    backend: str = ""
    #: how the owners were found: "bpf", "proc", or None when no owner scan
    #: ran (``lb_socket_list_owner_scan()``)
    owner_scan: Optional[str] = None


def _err(code: int) -> Optional[LoopbackError]:
    return from_code(code) if code < 0 else None


def _owner(o: int) -> Owner:
    cmdline = text(C.lb_owner_cmdline(o))
    argv = None if cmdline is None else tuple(
        os.fsdecode(C.lb_owner_argv_at(o, i)) for i in range(C.lb_owner_argc(o)))
    return Owner(pid=int(C.lb_owner_pid(o)), name=text(C.lb_owner_name(o)) or "",
                 cmdline=cmdline, argv=argv, exe=text(C.lb_owner_exe(o)),
                 uid=int(C.lb_owner_uid(o)), user=text(C.lb_owner_user(o)) or "",
                 start_time=int(C.lb_owner_start_time(o)),
                 error=_err(C.lb_owner_error(o)))


def _socket(s: int) -> Socket:
    """Every field of one socket, read now (the list it is in is freed soon)."""
    from ._fastsockets import eager_socket
    return eager_socket(s)


def _addr_arg(a: Union[Address, str, None]) -> Optional[LbAddr]:
    if a is None:
        return None
    return (a if isinstance(a, Address) else Address.parse(a))._to_c()


def sockets(*, protocols: Protocol = Protocol.ALL,
            families: Iterable[Family] = (Family.INET, Family.INET6),
            states: Optional[Iterable[State]] = None,
            local_port: int = 0,
            local_address: Union[Address, str, None] = None,
            remote_address: Union[Address, str, None] = None,
            remote_port: int = 0,
            pid: int = 0, descendants: bool = False,
            uid: Optional[int] = None,
            owners: OwnerMode = OwnerMode.DEFAULT,
            owner_scan: OwnerScan = OwnerScan.AUTO,
            netns_pid: int = 0, netns_path: Optional[str] = None,
            all_netns: bool = False) -> SocketList:
    """List sockets (``lb_query_*`` + ``lb_socket_list_get()``).

    Every argument narrows the list; the defaults list every TCP and UDP
    socket of this network namespace with its owners. ``local_address`` is
    an exact match (127.0.0.1 does not match a socket on 0.0.0.0).
    ``pid`` with ``descendants`` gives the ports of a process tree.
    ``netns_pid``/``netns_path``/``all_netns`` look into other network
    namespaces (needs privilege: PermissionDenied otherwise).
    ``owner_scan`` forces how owners are found (OwnerScan); the result's
    ``owner_scan`` says which ran.

    Raises InvalidArgument, PermissionDenied, NotFound (namespace),
    NoBackend, BadData, SystemCallFailed.
    """
    q = ctypes.c_void_p()
    check(C.lb_query_new(ctypes.byref(q)))
    lst = ctypes.c_void_p()
    try:
        check(C.lb_query_set_protocols(q, int(protocols)))
        mask = 0
        for f in families:
            if f not in _FAMILY_BITS:
                raise InvalidArgument(f"family {f!r} is not INET or INET6")
            mask |= _FAMILY_BITS[Family(f)]
        check(C.lb_query_set_families(q, mask))
        if states is not None:
            smask = 0
            for st in states:
                smask |= 1 << int(State(st))
            check(C.lb_query_set_states(q, smask))
        check(C.lb_query_set_local_port(q, _port(local_port)))
        la = _addr_arg(local_address)
        check(C.lb_query_set_local_addr(q, ctypes.byref(la) if la else None))
        ra = _addr_arg(remote_address)
        check(C.lb_query_set_remote(q, ctypes.byref(ra) if ra else None, _port(remote_port)))
        if pid < 0:
            raise InvalidArgument(f"pid {pid} is negative")
        check(C.lb_query_set_pid(q, pid, 0x1 if descendants else 0))
        check(C.lb_query_set_uid(q, -1 if uid is None else uid))
        check(C.lb_query_set_owners(q, int(owners)))
        check(C.lb_query_set_owner_scan(q, int(OwnerScan(owner_scan))))
        if netns_path is not None:
            check(C.lb_query_set_netns_path(q, os.fsencode(netns_path)))
        else:
            check(C.lb_query_set_netns_pid(q, netns_pid))
        check(C.lb_query_set_all_netns(q, 1 if all_netns else 0))
        check(C.lb_socket_list_get(q, ctypes.byref(lst)))
        out = SocketList()
        out.backend = text(C.lb_socket_list_backend(lst)) or ""
        out.owner_scan = text(C.lb_socket_list_owner_scan(lst))
        # The items read their fields from the C list when first asked and
        # free it when the last of them is gone (_fastsockets).
        from ._fastsockets import socket_list
        owned, lst = lst.value, ctypes.c_void_p()
        if owned:
            socket_list(owned, out)
        return out
    finally:
        C.lb_socket_list_free(lst)
        C.lb_query_free(q)


def who(target: Union[int, str, Endpoint, Tuple], *, protocols: Protocol = Protocol.TCP,
        owners: OwnerMode = OwnerMode.DEFAULT,
        owner_scan: OwnerScan = OwnerScan.AUTO) -> SocketList:
    """Who is on this port: the sockets bound to a local port or endpoint.

    ``target`` is a port (any local address), or ``"HOST:PORT"`` / an
    Endpoint with an IP address, or a socket-module address tuple
    (``("127.0.0.1", 8080)``; exactly that local address). TCP only unless
    ``protocols`` says otherwise.
    """
    if isinstance(target, int):
        return sockets(protocols=protocols, local_port=target, owners=owners,
                       owner_scan=owner_scan)
    if isinstance(target, tuple):
        from ._addrtuple import endpoint_of_tuple
        target = endpoint_of_tuple(target)
    e = target if isinstance(target, Endpoint) else Endpoint.parse(target)
    if e.address is None:
        raise InvalidArgument(f"{e} has a host name: resolve it first")
    return sockets(protocols=protocols, local_port=e.port, local_address=e.address,
                   owners=owners, owner_scan=owner_scan)


def ports_of(pid: int, *, descendants: bool = False, protocols: Protocol = Protocol.ALL,
             states: Optional[Iterable[State]] = None) -> SocketList:
    """The sockets a process (and, with ``descendants``, its tree) holds."""
    return sockets(pid=pid, descendants=descendants, protocols=protocols, states=states)
