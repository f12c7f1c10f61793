# SPDX-License-Identifier: MIT
"""A drop-in for the ``portpicker`` module, with ports that stay leased.

Switching is one changed import::

    import portpicker                          # before
    from loopback import portpicker            # after

    port = portpicker.pick_unused_port()
    server = start_server(port)
    ...
    portpicker.return_port(port)

The functions keep portpicker's names, arguments and meanings; the
difference is what stands behind a returned port. portpicker without its
port server binds port 0, closes the socket and returns the number, so two
processes picking at once can be handed the same port, and nothing stops a
third from taking it before the server binds. Here every port from
:func:`pick_unused_port` is leased with ``lb_port_pick()`` (free on TCP and
UDP, IPv4 and IPv6, outside the kernel's ephemeral range) and the lease is
kept by this module, not by an object the caller could drop: it lasts
until :func:`return_port` or until this process exits (the kernel then
releases it), so no other libloopback picker on the host is handed the port
meanwhile.

As in portpicker, a port server is used when one is named (the
``portserver_address`` argument or ``$PORTSERVER_ADDRESS``): its ports are
the server's to guard and are not leased here.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Dict, Optional, Set

from .errors import Exhausted, LoopbackError, NotFound
from .ports import Lease, is_leased, lease_holders, pick
from .protocol import Protocol

__all__ = ("bind", "is_port_free", "pick_unused_port", "return_port",
           "add_reserved_port", "get_port_from_port_server", "NoFreePortFoundError")

_PROTOS = [(socket.SOCK_STREAM, socket.IPPROTO_TCP),
           (socket.SOCK_DGRAM, socket.IPPROTO_UDP)]

_lock = threading.Lock()
# Ports given to add_reserved_port() and not handed out (portpicker's _free_ports).
_free_ports: Set[int] = set()
# Reserved or port-server ports handed out, which return_port() makes free again.
_owned_ports: Set[int] = set()
# The leases of the ports pick_unused_port() picked: released by return_port().
_leases: Dict[int, Lease] = {}


class NoFreePortFoundError(Exception):
    """Exception indicating that no free port could be found."""


def add_reserved_port(port: int) -> None:
    """Add a port that was acquired by means other than the port server.

    pick_unused_port() hands such ports out first (not leased: the caller
    acquired them), and return_port() makes them available again.
    """
    with _lock:
        _free_ports.add(port)


def return_port(port: int) -> None:
    """Return a port that is no longer being used so it can be reused.

    A picked port's lease is released at once; a reserved or port-server
    port becomes available to pick_unused_port() again. Returning a port
    twice, or one this module did not give, is logged and otherwise ignored.
    """
    with _lock:
        lease = _leases.pop(port, None)
        if lease is None:
            if port in _owned_ports:
                _owned_ports.remove(port)
                _free_ports.add(port)
            elif port in _free_ports:
                logging.info("Returning a port that was already returned: %s", port)
            else:
                logging.info("Returning a port that wasn't given by portpicker: %s", port)
            return
    lease.release()


def bind(port: int, socket_type: int, socket_proto: int) -> Optional[int]:
    """Try to bind to a socket of the specified type, protocol, and port.

    As portpicker's: the port must bind on each of IPv6 and IPv4 the kernel
    supports (SO_REUSEADDR, TCP listening). Port 0 lets the OS choose.

    Returns:
      The port number on success or None on failure.
    """
    got_socket = False
    for family in (socket.AF_INET6, socket.AF_INET):
        try:
            sock = socket.socket(family, socket_type, socket_proto)
            got_socket = True
        except OSError:
            continue
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("", port))
            if socket_type == socket.SOCK_STREAM:
                sock.listen(1)
            port = sock.getsockname()[1]
        except OSError:
            return None
        finally:
            sock.close()
    return port if got_socket else None


def _leased_elsewhere(port: int) -> bool:
    for proto in (Protocol.TCP, Protocol.UDP):
        if not is_leased(port, proto):
            continue
        try:
            holders = lease_holders(port, proto)
        except NotFound:  # released meanwhile
            continue
        # An empty list: held by processes we may not inspect.
        if holders != [os.getpid()]:
            return True
    return False


def is_port_free(port: int) -> bool:
    """Check if specified port is free.

    Free means it binds on both TCP and UDP (IPv6 and IPv4, as bind()) and no
    other process holds a libloopback lease on it (a port leased by this
    process is this process's to use).

    Returns:
      boolean, whether it is free to use for both TCP and UDP
    """
    if not (bind(port, *_PROTOS[0]) and bind(port, *_PROTOS[1])):
        return False
    return not _leased_elsewhere(port)


def pick_unused_port(pid: Optional[int] = None,
                     portserver_address: Optional[str] = None) -> int:
    """Pick a port unused on both TCP and UDP, leased until returned.

    Args:
      pid: the PID a port server should associate the reservation with
        (default: this process). Used only with a port server: a lease is
        always held by this process.
      portserver_address: a port server's unix socket path ('@' for the
        abstract namespace), else $PORTSERVER_ADDRESS; with neither, or when
        the server returns no port, the port is picked and leased here.

    Returns:
      A port number that is unused on both TCP and UDP.

    Raises:
      NoFreePortFoundError: No free port could be found.
    """
    with _lock:
        if _free_ports:
            port = _free_ports.pop()
            _owned_ports.add(port)
            return port
    for address in (portserver_address, os.environ.get("PORTSERVER_ADDRESS")):
        if address:
            port = get_port_from_port_server(address, pid=pid)
            if port:
                return port
    try:
        lease = pick(protocols=Protocol.ALL)
    except Exhausted as e:
        raise NoFreePortFoundError() from e
    except LoopbackError as e:
        raise NoFreePortFoundError(str(e)) from e
    with _lock:
        _leases[lease.port] = lease
    return lease.port


def get_port_from_port_server(portserver_address: str, pid: Optional[int] = None) -> Optional[int]:
    """Request a free port from a system-wide portserver (portpicker's protocol).

    The request is our pid (in ASCII) and a newline; the answer a port and
    a newline, 0 on failure. The port can be given back with return_port().

    Returns:
      The port number on success or None on failure.
    """
    if not portserver_address:
        return None
    if pid is None:
        pid = os.getpid()
    if portserver_address[0] == "@":
        portserver_address = "\0" + portserver_address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(portserver_address)
            sock.sendall(b"%d\n" % pid)
            buf = sock.recv(1024)
    except OSError as error:
        logging.warning("Socket error when connecting to portserver: %s", error)
        return None
    try:
        port = int(buf.split(b"\n")[0])
    except ValueError:
        logging.warning("Portserver failed to find a port.")
        return None
    if not port:
        return None
    with _lock:
        _owned_ports.add(port)
    return port


# portpicker's legacy names.
Bind = bind
IsPortFree = is_port_free
PickUnusedPort = pick_unused_port
GetPortFromPortServer = get_port_from_port_server
