# SPDX-License-Identifier: MIT
"""Find and load libloopback.so.1 and declare the C prototypes (ctypes).

The library is looked for, in order:

1. ``$LOOPBACK_LIBRARY``: the path of the shared library to use;
2. the build tree this package sits in (``<source>/build/lib`` or
   ``<source>/build/*/lib``, the most recently built one);
3. the installed library, through the dynamic loader (``libloopback.so.1``).

Nothing is compiled: the binding is pure Python over the stable C ABI.
"""
from __future__ import annotations

import ctypes
import json
import os
import pathlib
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

SONAME = "libloopback.so.1"

#: The oldest library version this binding works with, as lb_version_number().
MIN_VERSION_NUMBER = (0 << 16) | (1 << 8) | 0


class LibraryNotFound(ImportError):
    """libloopback.so.1 could not be found or loaded."""


def _sanitized(build_dir: pathlib.Path) -> bool:
    """Whether a meson build dir was built with sanitizers (their runtime
    must come first in the process: such a library cannot be loaded here)."""
    try:
        with open(build_dir / "meson-info" / "intro-buildoptions.json") as f:
            options = json.load(f)
    except (OSError, ValueError):
        return False
    for o in options:
        if o.get("name") == "b_sanitize":
            return o.get("value") not in ("none", "", [], None)
    return False


def _build_tree_candidates(source: pathlib.Path) -> List[pathlib.Path]:
    """Shared libraries in the meson build directories of a source tree."""
    if not (source / "include" / "loopback.h").is_file():
        return []
    found = [source / "build" / "lib" / SONAME]
    found += sorted((source / "build").glob("*/lib/" + SONAME))
    found = [p for p in found if p.is_file() and not _sanitized(p.parent.parent)]
    # The most recently built first: that is the one a developer just made.
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return found


def _source_root() -> pathlib.Path:
    # <source>/bindings/python/loopback/_native.py
    return pathlib.Path(__file__).resolve().parents[3]


def _load() -> Tuple[ctypes.CDLL, str]:
    explicit = os.environ.get("LOOPBACK_LIBRARY")
    if explicit:
        try:
            return ctypes.CDLL(explicit), explicit
        except OSError as e:
            raise LibraryNotFound(
                f"LOOPBACK_LIBRARY={explicit!r} cannot be loaded: {e}") from e
    errors = []
    for path in _build_tree_candidates(_source_root()):
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:  # pragma: no cover - a broken build tree
            errors.append(f"{path}: {e}")
    try:
        return ctypes.CDLL(SONAME), SONAME
    except OSError as e:
        errors.append(f"{SONAME}: {e}")
    raise LibraryNotFound(
        "libloopback not found; set LOOPBACK_LIBRARY to the path of "
        f"{SONAME}, build it (meson), or install it. Tried: " + "; ".join(errors))


lib, library_path = _load()

# Sizes from <loopback/endpoint.h>, including the terminating NUL.
ZONE_MAX = 64
HOST_MAX = 256


class LbAddr(ctypes.Structure):
    """struct lb_addr, as the C header lays it out."""

    _fields_ = [
        ("family", ctypes.c_int),
        ("scope_id", ctypes.c_uint32),
        ("bytes", ctypes.c_uint8 * 16),
        ("zone", ctypes.c_char * ZONE_MAX),
        ("reserved", ctypes.c_uint8 * 16),
    ]


class LbEndpoint(ctypes.Structure):
    """struct lb_endpoint."""

    _fields_ = [
        ("kind", ctypes.c_int),
        ("port", ctypes.c_uint16),
        ("reserved0", ctypes.c_uint16),
        ("addr", LbAddr),
        ("name", ctypes.c_char * HOST_MAX),
        ("reserved", ctypes.c_uint8 * 32),
    ]


class LbParseError(ctypes.Structure):
    """struct lb_parse_error."""

    _fields_ = [
        ("offset", ctypes.c_size_t),
        ("code", ctypes.c_int),
        ("reason", ctypes.c_char_p),
        ("reserved", ctypes.c_uint8 * 16),
    ]


c_int = ctypes.c_int
c_char_p = ctypes.c_char_p
c_uint16 = ctypes.c_uint16
c_uint16_p = ctypes.POINTER(ctypes.c_uint16)
c_size_t = ctypes.c_size_t
c_void_p = ctypes.c_void_p

# name: (restype, argtypes). One line per function of the public headers
# this binding uses; a function the loaded library lacks (an older
# library) raises NotImplementedError when called, not at import.
_PROTOTYPES: Dict[str, Tuple[Any, Sequence[Any]]] = {
    # <loopback/common.h>
    "lb_strerror": (c_char_p, [c_int]),
    "lb_error_name": (c_char_p, [c_int]),
    "lb_version": (c_char_p, []),
    "lb_version_number": (ctypes.c_ulong, []),
    # <loopback/endpoint.h>
    "lb_addr_size": (c_size_t, []),
    "lb_endpoint_size": (c_size_t, []),
    "lb_parse_error_size": (c_size_t, []),
    "lb_addr_parse": (c_int, [c_char_p, c_size_t, c_void_p, c_void_p]),
    "lb_endpoint_parse": (c_int, [c_char_p, c_size_t, c_void_p, c_void_p]),
    "lb_host_parse": (c_int, [c_char_p, c_size_t, c_void_p, c_void_p]),
    "lb_addr_format": (c_int, [c_void_p, c_void_p, c_size_t]),
    "lb_endpoint_format": (c_int, [c_void_p, c_void_p, c_size_t]),
    "lb_addr_equal": (c_int, [c_void_p, c_void_p]),
    "lb_addr_to_sockaddr": (c_int, [c_void_p, c_uint16, c_size_t, c_void_p]),
    "lb_addr_from_sockaddr": (c_int, [c_char_p, c_size_t, c_void_p, c_uint16_p]),
    "lb_endpoint_to_sockaddr": (c_int, [c_void_p, c_size_t, c_void_p]),
    "lb_endpoint_from_sockaddr": (c_int, [c_char_p, c_size_t, c_void_p]),
    "lb_addr_classify": (c_int, [c_void_p]),
    "lb_addr_flags": (c_int, [c_void_p]),
    "lb_addr_flag_name": (c_char_p, [ctypes.c_uint]),
    "lb_endpoint_classify": (c_int, [c_void_p]),
    "lb_class_name": (c_char_p, [c_int]),
    "lb_resolve": (c_int, [c_char_p, c_size_t, c_int, ctypes.POINTER(c_void_p)]),
    "lb_addr_list_count": (c_size_t, [c_void_p]),
    "lb_addr_list_addr": (c_int, [c_void_p, c_size_t, c_void_p]),
    "lb_addr_list_free": (None, [c_void_p]),
    # <loopback/lease.h>
    "lb_lease_count": (c_size_t, [c_void_p]),
    "lb_lease_port": (c_uint16, [c_void_p, c_size_t]),
    "lb_lease_protocols": (ctypes.c_uint, [c_void_p]),
    "lb_lease_flags": (ctypes.c_uint, [c_void_p]),
    "lb_lease_fd": (c_int, [c_void_p, c_size_t, ctypes.c_uint]),
    "lb_lease_set_inherit": (c_int, [c_void_p, c_int]),
    "lb_lease_release": (None, [c_void_p]),
    "lb_lease_holders": (c_int, [c_uint16, ctypes.c_uint, ctypes.POINTER(c_int), c_size_t]),
    # <loopback/pick.h>
    "lb_port_pick": (c_int, [c_void_p, ctypes.POINTER(c_void_p)]),
    "lb_lease_listen": (c_int, [c_void_p, c_size_t, ctypes.c_uint, c_void_p,
                                ctypes.POINTER(c_int)]),
    # <loopback/check.h>
    "lb_check_bind": (c_int, [c_void_p, c_uint16, ctypes.c_uint, ctypes.POINTER(c_void_p)]),
    "lb_check_blockers": (c_void_p, [c_void_p]),
    "lb_check_reason": (c_int, [c_void_p]),
    "lb_check_warnings": (ctypes.c_uint, [c_void_p]),
    "lb_check_reason_name": (c_char_p, [c_int]),
    "lb_check_explanation": (c_char_p, [c_void_p]),
    "lb_check_suggestion": (c_char_p, [c_void_p]),
    "lb_check_lease_holders": (c_int, [c_void_p, ctypes.POINTER(c_int), c_size_t]),
    "lb_check_free": (None, [c_void_p]),
    # <loopback/wait.h>
    "lb_wait": (c_int, [c_void_p, c_uint16, c_int, ctypes.c_uint32]),
    "lb_wait_held": (c_int, [c_void_p, c_uint16, ctypes.c_uint32, ctypes.c_uint, ctypes.c_uint32]),
    # <loopback/socket.h>
    "lb_query_new": (c_int, [ctypes.POINTER(c_void_p)]),
    "lb_query_free": (None, [c_void_p]),
    "lb_query_set_protocols": (c_int, [c_void_p, ctypes.c_uint]),
    "lb_query_set_families": (c_int, [c_void_p, ctypes.c_uint]),
    "lb_query_set_states": (c_int, [c_void_p, ctypes.c_ulong]),
    "lb_query_set_local_port": (c_int, [c_void_p, c_uint16]),
    "lb_query_set_local_addr": (c_int, [c_void_p, c_void_p]),
    "lb_query_set_remote": (c_int, [c_void_p, c_void_p, c_uint16]),
    "lb_query_set_pid": (c_int, [c_void_p, ctypes.c_uint32, ctypes.c_uint]),
    "lb_query_set_uid": (c_int, [c_void_p, ctypes.c_int64]),
    "lb_query_set_owners": (c_int, [c_void_p, c_int]),
    "lb_query_set_netns_pid": (c_int, [c_void_p, ctypes.c_uint32]),
    "lb_query_set_netns_path": (c_int, [c_void_p, c_char_p]),
    "lb_query_set_all_netns": (c_int, [c_void_p, c_int]),
    "lb_socket_list_get": (c_int, [c_void_p, ctypes.POINTER(c_void_p)]),
    "lb_socket_list_backend": (c_char_p, [c_void_p]),
    "lb_socket_list_count": (c_size_t, [c_void_p]),
    "lb_socket_list_at": (c_void_p, [c_void_p, c_size_t]),
    "lb_socket_list_free": (None, [c_void_p]),
    "lb_socket_protocol": (c_int, [c_void_p]),
    "lb_socket_family": (c_int, [c_void_p]),
    "lb_socket_state": (c_int, [c_void_p]),
    "lb_socket_local_addr": (ctypes.POINTER(LbAddr), [c_void_p]),
    "lb_socket_local_port": (c_uint16, [c_void_p]),
    "lb_socket_remote_addr": (ctypes.POINTER(LbAddr), [c_void_p]),
    "lb_socket_remote_port": (c_uint16, [c_void_p]),
    "lb_socket_uid": (ctypes.c_uint32, [c_void_p]),
    "lb_socket_inode": (ctypes.c_uint64, [c_void_p]),
    "lb_socket_rx_queue": (ctypes.c_uint32, [c_void_p]),
    "lb_socket_tx_queue": (ctypes.c_uint32, [c_void_p]),
    "lb_socket_v6only": (c_int, [c_void_p]),
    "lb_socket_netns": (ctypes.c_uint64, [c_void_p]),
    "lb_state_name": (c_char_p, [c_int, c_int]),
    "lb_socket_owner_count": (c_size_t, [c_void_p]),
    "lb_socket_owner_at": (c_void_p, [c_void_p, c_size_t]),
    "lb_socket_owner_error": (c_int, [c_void_p]),
    "lb_owner_pid": (ctypes.c_uint32, [c_void_p]),
    "lb_owner_name": (c_char_p, [c_void_p]),
    "lb_owner_cmdline": (c_char_p, [c_void_p]),
    "lb_owner_argc": (c_size_t, [c_void_p]),
    "lb_owner_argv_at": (c_char_p, [c_void_p, c_size_t]),
    "lb_owner_exe": (c_char_p, [c_void_p]),
    "lb_owner_uid": (ctypes.c_uint32, [c_void_p]),
    "lb_owner_user": (c_char_p, [c_void_p]),
    "lb_owner_start_time": (ctypes.c_uint64, [c_void_p]),
    "lb_owner_error": (c_int, [c_void_p]),
    # <loopback/port.h>
    "lb_port_ephemeral_range": (c_int, [c_uint16_p, c_uint16_p]),
    "lb_port_classify": (c_int, [c_uint16]),
    "lb_port_class_name": (c_char_p, [c_int]),
    "lb_port_is_ephemeral": (c_int, [c_uint16]),
}


def _missing(name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        raise NotImplementedError(
            f"{library_path} has no {name}(): the library is older than this binding")
    call.__name__ = name
    return call


class _Functions:
    """The C functions, as attributes: ``C.lb_version()``."""

    def __init__(self) -> None:
        self.missing: List[str] = []
        for name, (restype, argtypes) in _PROTOTYPES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError:
                self.missing.append(name)
                setattr(self, name, _missing(name))
                continue
            fn.restype = restype
            fn.argtypes = list(argtypes)
            setattr(self, name, fn)

    def __getattr__(self, name: str) -> Any:  # for type checkers only
        raise AttributeError(name)


C = _Functions()

if C.lb_version_number() < MIN_VERSION_NUMBER:
    raise LibraryNotFound(
        f"{library_path} is libloopback {C.lb_version().decode()}, "
        "older than this binding needs")


def text(b: Optional[bytes]) -> Optional[str]:
    """A C string from the library (ASCII/UTF-8) as str, None for NULL."""
    return None if b is None else b.decode("utf-8", "replace")
