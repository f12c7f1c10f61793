# SPDX-License-Identifier: MIT
"""Sockets read from the C list on demand.

Building every field of every socket through ctypes costs about 25 µs a
socket (a dozen foreign calls, enum and address conversions): 600 ms for
the 24,000 sockets of a busy host, twice what the library takes to list
them. So the items of a SocketList are Socket objects that keep a
reference to the C list and read a field the first time it is asked for
(then keep it); the C list is freed when the last of them is gone.
Conversions are cached (one Address and text per distinct address, one
State and name per state) and addresses are read as raw bytes.
"""
from __future__ import annotations

import ctypes
import functools
import struct
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _native
from ._native import C
from .endpoint import Address, Endpoint, Family
from .protocol import Protocol
from .sockets import Owner, Socket, State, _err, _owner, state_name

_vp = ctypes.c_void_p


def _fn(name: str, restype: Any, argtypes: list) -> Callable[..., Any]:
    # A private function pointer (lib[name] makes a new one), so the
    # prototypes of _native stay as they are.
    f = _native.lib[name]
    f.restype = restype
    f.argtypes = argtypes
    return f


_list_at = _fn("lb_socket_list_at", _vp, [_vp, ctypes.c_size_t])
_local_addr = _fn("lb_socket_local_addr", _vp, [_vp])
_remote_addr = _fn("lb_socket_remote_addr", _vp, [_vp])
_ADDR_SIZE = ctypes.sizeof(_native.LbAddr)
_ZONE_OFF = _native.LbAddr.zone.offset
_HEAD = struct.Struct("=iI")  # family, scope_id
_RAW_ADDR = (ctypes.c_char * _ADDR_SIZE).from_address  # .raw: the bytes (faster than string_at)


class _ListHolder:
    """Owns an lb_socket_list; frees it when no socket refers to it any more."""

    __slots__ = ("ptr", "owners", "__weakref__")

    def __init__(self, ptr: int) -> None:
        self.ptr = ptr
        self.owners: Dict[Tuple[int, int], Owner] = {}

    def __del__(self) -> None:
        p, self.ptr = self.ptr, None
        if p:
            C.lb_socket_list_free(p)


@functools.lru_cache(maxsize=4096)
def _address_of(raw: bytes) -> Optional[Tuple[str, Address]]:
    family, scope_id = _HEAD.unpack_from(raw)
    if family == Family.INET:
        a = Address(Family.INET, raw[8:12], "", scope_id)
    elif family == Family.INET6:
        zone = raw[_ZONE_OFF:].split(b"\0", 1)[0].decode("ascii")
        a = Address(Family.INET6, raw[8:24], zone, scope_id)
    else:
        return None
    return str(a), a


_new = object.__new__


def _endpoint(ptr: Optional[int], port: int) -> Optional[Endpoint]:
    if not ptr:
        return None
    got = _address_of(_RAW_ADDR(ptr).raw)
    if got is None:
        return None
    # Endpoint(host, port, address) without the frozen dataclass's
    # object.__setattr__ per field: a third of the cost.
    e = _new(Endpoint)
    e.__dict__.update(host=got[0], port=port, address=got[1])
    return e


_PROTOCOLS = {int(p): p for p in (Protocol.TCP, Protocol.UDP)}
_FAMILIES = {int(f): f for f in Family}
_STATES = {int(s): s for s in State}
_STATE_NAMES: Dict[Tuple[int, int], str] = {}


def _state_name(proto: int, state: int) -> str:
    try:
        return _STATE_NAMES[proto, state]
    except KeyError:
        name = _STATE_NAMES[proto, state] = state_name(proto, state)
        return name


def _cached_owner(o: int, cache: Dict[Tuple[int, int], Owner]) -> Owner:
    # The holders of a busy host's sockets are a few processes: one Owner
    # each per list (a pid with its start time is one process).
    key = (C.lb_owner_pid(o), C.lb_owner_start_time(o))
    got = cache.get(key)
    if got is None:
        got = cache[key] = _owner(o)
    return got


# How each field is read from an lb_socket pointer.
def _f_protocol(p: int) -> Protocol:
    v = C.lb_socket_protocol(p)
    return _PROTOCOLS.get(v) or Protocol(v)


def _f_family(p: int) -> Family:
    v = C.lb_socket_family(p)
    return _FAMILIES.get(v) or Family(v)


def _f_state(p: int) -> State:
    v = C.lb_socket_state(p)
    return _STATES.get(v) or State(v)


def _f_state_name(p: int) -> str:
    return _state_name(C.lb_socket_protocol(p), C.lb_socket_state(p))


def _f_local(p: int) -> Endpoint:
    port = C.lb_socket_local_port(p)
    return _endpoint(_local_addr(p), port) or Endpoint("", port)


def _f_remote(p: int) -> Optional[Endpoint]:
    port = C.lb_socket_remote_port(p)
    return _endpoint(_remote_addr(p), port) if port else None


def _f_v6only(p: int) -> Optional[bool]:
    v = C.lb_socket_v6only(p)
    return None if v < 0 else bool(v)


def _f_owners(p: int, cache: Optional[Dict[Tuple[int, int], Owner]] = None) -> Tuple[Owner, ...]:
    if cache is None:
        cache = {}
    return tuple(_cached_owner(C.lb_socket_owner_at(p, i), cache)
                 for i in range(C.lb_socket_owner_count(p)))


_READERS: Dict[str, Callable[[int], Any]] = {
    "protocol": _f_protocol,
    "family": _f_family,
    "state": _f_state,
    "state_name": _f_state_name,
    "local": _f_local,
    "remote": _f_remote,
    "uid": lambda p: C.lb_socket_uid(p),
    "inode": lambda p: C.lb_socket_inode(p),
    "rx_queue": lambda p: C.lb_socket_rx_queue(p),
    "tx_queue": lambda p: C.lb_socket_tx_queue(p),
    "v6only": _f_v6only,
    "netns": lambda p: C.lb_socket_netns(p),
    "owners": _f_owners,
    "owner_error": lambda p: _err(C.lb_socket_owner_error(p)),
}
_FIELDS = tuple(Socket.__dataclass_fields__)
if set(_FIELDS) != set(_READERS):  # a field added to Socket needs its reader here
    raise ImportError("loopback._fastsockets: Socket fields without a reader: %s; readers "
                      "without a field: %s" % (sorted(set(_FIELDS) - set(_READERS)),
                                               sorted(set(_READERS) - set(_FIELDS))))


def _field(name: str) -> property:
    read = _READERS[name]

    def get(self: "LazySocket") -> Any:
        d = self.__dict__
        try:
            return d[name]
        except KeyError:
            pass
        v = d[name] = read(self._ptr())
        return v

    get.__name__ = name
    return property(get, doc=f"Socket.{name}, read from the C list when first asked for.")


class LazySocket(Socket):
    """A Socket whose fields are read from the C list when first used.

    Equal to (and hashed as) a Socket with the same fields; pickled and
    copied as a plain Socket.
    """

    # Where the fields come from: the list holder and index, or the
    # pointer. Slots, so that making one costs no dict; the fields read go
    # into the instance dict, which the properties look in first.
    __slots__ = ("_h", "_i", "_p")

    def __init__(self, **fields: Any) -> None:  # noqa: D107 - as dataclasses.replace() calls it
        self.__dict__.update(fields)

    def _ptr(self) -> int:
        try:
            return self._p
        except AttributeError:
            p = _list_at(self._h.ptr, self._i)
            _SET_P(self, p)
            return p

    def _values(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, f) for f in _FIELDS)

    def _materialize(self) -> "LazySocket":
        """Read every field now and let go of the C list."""
        self._values()
        for k in ("_p", "_h", "_i"):
            try:
                object.__delattr__(self, k)
            except AttributeError:
                pass
        return self

    @property
    def owners(self) -> Tuple[Owner, ...]:
        d = self.__dict__
        try:
            return d["owners"]
        except KeyError:
            pass
        h = getattr(self, "_h", None)
        v = d["owners"] = _f_owners(self._ptr(), h.owners if h is not None else None)
        return v

    @property
    def pids(self) -> List[int]:
        """The pids of the owners (read alone when the owners were not)."""
        d = self.__dict__
        if "owners" in d:
            return [o.pid for o in d["owners"]]
        p = self._ptr()
        return [C.lb_owner_pid(C.lb_socket_owner_at(p, i))
                for i in range(C.lb_socket_owner_count(p))]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Socket):
            return NotImplemented
        return self._values() == tuple(getattr(other, f) for f in _FIELDS)

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "Socket(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in _FIELDS) + ")"

    def __reduce__(self) -> Any:
        return (_plain_socket, (self._values(),))


_SET_H = LazySocket._h.__set__  # type: ignore[attr-defined]
_SET_I = LazySocket._i.__set__  # type: ignore[attr-defined]
_SET_P = LazySocket._p.__set__  # type: ignore[attr-defined]


def _plain_socket(values: Tuple[Any, ...]) -> Socket:
    return Socket(*values)


for _name in _FIELDS:
    if _name != "owners":  # a property of its own: it shares the list's Owner cache
        setattr(LazySocket, _name, _field(_name))
del _name


def socket_list(lst: int, out: list) -> None:
    """Fill ``out`` with one LazySocket per socket of ``lst``, which they then own."""
    holder = _ListHolder(lst)
    new, cls, set_h, set_i = object.__new__, LazySocket, _SET_H, _SET_I
    append = out.append
    for i in range(C.lb_socket_list_count(lst)):
        s = new(cls)
        set_h(s, holder)
        set_i(s, i)
        append(s)


def eager_socket(p: int) -> Socket:
    """Every field of the socket at ``p`` read now (for lists freed right after)."""
    s = object.__new__(LazySocket)
    _SET_P(s, p)
    return s._materialize()
