# SPDX-License-Identifier: MIT
"""Find and load libloopback.so.1 and declare the C prototypes (ctypes).

The library is loaded when the binding first calls into it (not at
``import loopback``, so that merely installing the package, and with it
the pytest plugin, never breaks a program that does not use it). It is
looked for, in order:

1. ``$LOOPBACK_LIBRARY``: the path of the shared library to use (a
   relative path is taken from the current directory at load time);
2. the meson build tree this package sits in (``<source>/build/*/lib``,
   the most recently built one, sanitizer builds left out);
3. the library directory pkg-config names for ``loopback``
   (``pkg-config --variable=libdir loopback``, then the ``-L`` directories
   of ``pkg-config --libs-only-L loopback``): an install under any
   ``--prefix`` whose ``loopback.pc`` is on ``PKG_CONFIG_PATH``;
4. the dynamic loader (``libloopback.so.1`` on ``LD_LIBRARY_PATH``, in
   ``ld.so.cache``, ...).

Nothing is compiled: the binding is pure Python over the stable C ABI.
"""
from __future__ import annotations

import ctypes
import json
import os
import pathlib
import shutil
import subprocess
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

SONAME = "libloopback.so.1"

#: The oldest library version this binding works with, as lb_version_number().
MIN_VERSION_NUMBER = (0 << 16) | (1 << 8) | 0

#: What to do when the library is not found (the end of every LibraryNotFound).
HOW_TO_POINT = (
    "Point the binding at it with one of: LOOPBACK_LIBRARY=/path/to/" + SONAME +
    "; LD_LIBRARY_PATH=<dir holding " + SONAME + ">; or PKG_CONFIG_PATH=<dir holding "
    "loopback.pc> (after meson install --prefix=...). Build it with meson "
    "(meson setup build && meson compile -C build) or install it.")


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


def _pkg_config(*args: str) -> str:
    """pkg-config's answer for loopback, "" when there is none."""
    exe = shutil.which("pkg-config")
    if exe is None:
        return ""
    try:
        r = subprocess.run([exe, *args, "loopback"], capture_output=True, text=True,
                           timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return r.stdout.strip() if r.returncode == 0 else ""


def _pkg_config_candidates() -> List[pathlib.Path]:
    """libloopback.so.1 in the directories pkg-config names for loopback."""
    dirs = [_pkg_config("--variable=libdir")]
    dirs += [w[2:] for w in _pkg_config("--libs-only-L").split() if w.startswith("-L")]
    found: List[pathlib.Path] = []
    for d in dirs:
        p = pathlib.Path(d) / SONAME if d else None
        if p is not None and p.is_absolute() and p.is_file() and p not in found:
            found.append(p)
    return found


def _source_root() -> pathlib.Path:
    # <source>/bindings/python/loopback/_native.py
    return pathlib.Path(__file__).resolve().parents[3]


def explicit_library() -> Optional[str]:
    """$LOOPBACK_LIBRARY, made absolute when it is a relative path (a bare
    file name is left to the dynamic loader), or None when unset."""
    explicit = os.environ.get("LOOPBACK_LIBRARY")
    if not explicit:
        return None
    return os.path.abspath(explicit) if os.sep in explicit else explicit


def _find() -> Tuple[ctypes.CDLL, str]:
    explicit = explicit_library()
    if explicit:
        try:
            return ctypes.CDLL(explicit), explicit
        except OSError as e:
            raise LibraryNotFound(
                f"LOOPBACK_LIBRARY={os.environ.get('LOOPBACK_LIBRARY')!r} "
                f"cannot be loaded: {e}. {HOW_TO_POINT}") from e
    errors = []
    for path in _build_tree_candidates(_source_root()) + _pkg_config_candidates():
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:  # pragma: no cover - a broken build tree
            errors.append(f"{path}: {e}")
    try:
        return ctypes.CDLL(SONAME), SONAME
    except OSError as e:
        errors.append(f"{SONAME}: {e}")
    raise LibraryNotFound(
        f"libloopback not found (tried: {'; '.join(errors)}). {HOW_TO_POINT}")


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
    "lb_query_set_owner_scan": (c_int, [c_void_p, c_int]),
    "lb_query_set_netns_pid": (c_int, [c_void_p, ctypes.c_uint32]),
    "lb_query_set_netns_path": (c_int, [c_void_p, c_char_p]),
    "lb_query_set_all_netns": (c_int, [c_void_p, c_int]),
    "lb_socket_list_get": (c_int, [c_void_p, ctypes.POINTER(c_void_p)]),
    "lb_socket_list_backend": (c_char_p, [c_void_p]),
    "lb_socket_list_owner_scan": (c_char_p, [c_void_p]),
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
            f"{loaded_path()} has no {name}(): the library is older than this binding")
    call.__name__ = name
    return call


def _int_range(t: Any) -> Optional[Tuple[int, int, str]]:
    """(min, max, C name) of an integer ctypes type, None for any other."""
    if not (isinstance(t, type) and issubclass(t, ctypes._SimpleCData)) or \
            getattr(t, "_type_", "") not in "bBhHiIlLqQ":
        return None
    bits = 8 * ctypes.sizeof(t)
    if t(-1).value == -1:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1, f"int{bits}_t"
    return 0, (1 << bits) - 1, f"uint{bits}_t"


def _range_checked(name: str, fn: Any, argtypes: Sequence[Any]) -> Callable[..., Any]:
    """``fn`` with every integer argument checked against its C type.

    ctypes converts a Python int to a C integer by cutting off the high
    bits: 2**40 as a pid would be 0 ("every process"), 65536 + p as a port
    would be p. Out of range is OverflowError instead, before the call.
    """
    checks = [(i, r) for i, r in ((i, _int_range(t)) for i, t in enumerate(argtypes))
              if r is not None]
    if not checks:
        return fn

    def call(*args: Any) -> Any:
        for i, (lo, hi, cname) in checks:
            if i < len(args):
                v = args[i]
                if isinstance(v, int) and not lo <= v <= hi:
                    raise OverflowError(
                        f"{name}(): argument {i + 1} ({v}) is out of the range of {cname}")
        return fn(*args)
    call.__name__ = name
    return call


class _Library:
    """The loaded library, found on first use (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cdll: Optional[ctypes.CDLL] = None
        self.path = ""
        self.error: Optional[LibraryNotFound] = None

    def load(self) -> ctypes.CDLL:
        if self.cdll is not None:
            return self.cdll
        with self.lock:
            if self.cdll is None:
                if self.error is not None:
                    # Not found once: the same answer, without searching again.
                    raise LibraryNotFound(*self.error.args)
                try:
                    cdll, path = _find()
                    _check(cdll, path)
                except LibraryNotFound as e:
                    self.error = e
                    raise
                self.path = path
                self.cdll = cdll
        return self.cdll


_library = _Library()


def load() -> ctypes.CDLL:
    """The library, loaded now if it is not yet; LibraryNotFound says how to
    point the binding at it."""
    return _library.load()


def loaded_path() -> str:
    """The path (or soname) of the loaded library, loading it if needed."""
    load()
    return _library.path


def __getattr__(name: str) -> Any:
    # library_path and lib, as before the library was loaded lazily.
    if name == "library_path":
        return loaded_path()
    if name == "lib":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check(cdll: ctypes.CDLL, path: str) -> None:
    """Refuse a library older than this binding, or with other struct sizes."""
    try:
        number = cdll.lb_version_number
        number.restype, number.argtypes = ctypes.c_ulong, []
        version = cdll.lb_version
        version.restype, version.argtypes = c_char_p, []
    except AttributeError as e:
        raise LibraryNotFound(f"{path} is not libloopback: {e}") from e
    if number() < MIN_VERSION_NUMBER:
        raise LibraryNotFound(
            f"{path} is libloopback {version().decode()}, older than this binding needs")
    for struct_, name in ((LbAddr, "lb_addr_size"), (LbEndpoint, "lb_endpoint_size"),
                          (LbParseError, "lb_parse_error_size")):
        fn = getattr(cdll, name)
        fn.restype, fn.argtypes = c_size_t, []
        if ctypes.sizeof(struct_) != fn():
            raise LibraryNotFound(
                f"{path}: struct {struct_.__name__} is {ctypes.sizeof(struct_)} bytes "
                f"here, the library says {fn()}: binding and library disagree")


class _Functions:
    """The C functions, as attributes: ``C.lb_version()``. The first one
    used loads the library."""

    def __init__(self) -> None:
        self._missing: Optional[List[str]] = None

    def _bind(self) -> None:
        cdll = load()
        with _library.lock:
            if self._missing is not None:
                return
            missing = []
            for name, (restype, argtypes) in _PROTOTYPES.items():
                try:
                    fn = getattr(cdll, name)
                except AttributeError:
                    missing.append(name)
                    self.__dict__[name] = _missing(name)
                    continue
                fn.restype = restype
                fn.argtypes = list(argtypes)
                # Every integer argument range-checked (OverflowError),
                # never silently truncated.
                self.__dict__[name] = _range_checked(name, fn, argtypes)
            self._missing = missing

    @property
    def missing(self) -> List[str]:
        """The prototypes the loaded library lacks (an older library)."""
        self._bind()
        assert self._missing is not None
        return list(self._missing)

    def __getattr__(self, name: str) -> Any:
        # Called only for attributes not set yet: the C functions before
        # the first call.
        if name.startswith("_") or name not in _PROTOTYPES:
            raise AttributeError(name)
        self._bind()
        return self.__dict__[name]


C = _Functions()


def text(b: Optional[bytes]) -> Optional[str]:
    """A C string from the library (ASCII/UTF-8) as str, None for NULL."""
    return None if b is None else b.decode("utf-8", "replace")
