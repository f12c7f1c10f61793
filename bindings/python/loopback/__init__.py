# SPDX-License-Identifier: MIT
"""Python binding of libloopback: endpoints, ports and who holds them.

A thin layer over the C library's stable ABI (``libloopback.so.1``, loaded
with ctypes on first use; see :mod:`loopback._native` for where it is
looked for), so that every policy is the C library's own.
"""
from __future__ import annotations

from typing import Any, Tuple

from . import _native
from ._native import C, LibraryNotFound, text
from .errors import (AddressInUse, AddressNotAvailable, BadData, BindRefused,
                     BufferTooSmall, ErrorCode, Exhausted, FamilyNotSupported,
                     Exited, InvalidArgument, Leased, LoopbackError, NoBackend,
                     NotFound, NotRequested, NotSupported, NotVisible, OutOfMemory, OutOfRange, ParseError,
                     ParseRangeError, PermissionDenied, ResolveError,
                     SystemCallFailed, Timeout, TooManyOpenFiles, error_class, error_name,
                     strerror)
from .endpoint import (Address, AddressClass, AddressFlag, Endpoint, Family, HostKind,
                       PortClass, is_ephemeral, parse_address, parse_endpoint,
                       parse_host, port_class, resolve)
from .check import (BindCheck, CheckReason, CheckWarning, check_bind,
                    wait_accepting, wait_free)
from .port import PortRange, ephemeral_range
from .ports import Lease, PickFamily, is_leased, lease_holders, pick
from .protocol import Protocol
from .sockets import (Owner, OwnerMode, OwnerScan, Socket, SocketList, State,
                      ports_of, sockets, state_name, who)

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # loopback.library_path: the library loaded (now, on first use).
    if name == "library_path":
        return _native.loaded_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def version() -> str:
    """The version of the loaded C library (``lb_version()``), e.g. ``"0.1.0"``."""
    return text(C.lb_version()) or ""


def version_number() -> int:
    """``lb_version_number()``: ``(major << 16) | (minor << 8) | micro``."""
    return int(C.lb_version_number())


def version_info() -> Tuple[int, int, int]:
    """The loaded library's version as ``(major, minor, micro)``."""
    n = version_number()
    return (n >> 16, (n >> 8) & 0xFF, n & 0xFF)


__all__ = [
    "BindCheck", "CheckReason", "CheckWarning", "check_bind", "wait_accepting", "wait_free",
    "Lease", "PickFamily", "Protocol", "is_leased", "lease_holders", "pick",
    "Owner", "OwnerMode", "OwnerScan", "Socket", "SocketList", "State",
    "ports_of", "sockets", "state_name", "who",
    "Address", "AddressClass", "AddressFlag", "Endpoint", "Family", "HostKind", "PortClass",
    "is_ephemeral", "parse_address", "parse_endpoint", "parse_host", "port_class", "resolve",
    "AddressInUse", "AddressNotAvailable", "BadData", "BindRefused", "BufferTooSmall",
    "ErrorCode", "Exhausted", "FamilyNotSupported", "InvalidArgument", "Leased",
    "Exited", "LibraryNotFound", "LoopbackError", "NoBackend", "NotFound",
    "NotRequested", "NotSupported", "NotVisible",
    "OutOfMemory", "OutOfRange", "ParseError", "ParseRangeError", "PermissionDenied",
    "PortRange", "ResolveError", "SystemCallFailed", "Timeout", "TooManyOpenFiles",
    "ephemeral_range", "error_class", "error_name", "library_path", "strerror",
    "version", "version_info", "version_number",
]
