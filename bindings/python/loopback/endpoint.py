# SPDX-License-Identifier: MIT
"""IP addresses and host:port endpoints (<loopback/endpoint.h>, <loopback/port.h>).

Parsing, formatting and classification are the C library's: the same
input is accepted or rejected, at the same byte offset and for the same
reason, as by the ``loopback`` tool and the Go binding.
"""
from __future__ import annotations

import ctypes
import enum
import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

from ._native import C, LbAddr, LbEndpoint, LbParseError, text
from .errors import (InvalidArgument, OutOfRange, ParseError, ParseRangeError,
                     ErrorCode, check)

ADDR_STRLEN = 112
ENDPOINT_STRLEN = 272


class Family(enum.IntEnum):
    """lb_addr.family: LB_AF_*."""

    NONE = 0
    INET = 4
    INET6 = 6


class HostKind(enum.IntEnum):
    """lb_endpoint.kind: LB_HOST_*."""

    NONE = 0
    ADDR = 1
    NAME = 2


class AddressClass(enum.IntEnum):
    """What an address or host is: LB_CLASS_* (``lb_addr_classify()``)."""

    UNSPECIFIED = 1
    LOOPBACK = 2
    LINK_LOCAL = 3
    PRIVATE = 4
    MULTICAST = 5
    DOCUMENTATION = 6
    RESERVED = 7
    GLOBAL = 8
    LOCALHOST_NAME = 9
    NAME = 10

    def __str__(self) -> str:
        """The library's short name: ``"loopback"``, ``"link-local"`` ..."""
        return text(C.lb_class_name(int(self))) or self.name.lower()


class AddressFlag(enum.IntFlag):
    """Properties of an address: LB_ADDR_FLAG_* (``lb_addr_flags()``).

    A finer view beside the one AddressClass: ``::ffff:127.0.0.1`` is
    ``LOOPBACK | MAPPED``. ``str()`` of one flag is the library's name
    (``"unique-local"``), as ``loopback parse --json`` prints it.
    """

    UNSPECIFIED = 0x0001
    LOOPBACK = 0x0002
    LINK_LOCAL = 0x0004
    PRIVATE = 0x0008
    UNIQUE_LOCAL = 0x0010
    MULTICAST = 0x0020
    DOCUMENTATION = 0x0040
    BENCHMARKING = 0x0080
    SHARED = 0x0100
    BROADCAST = 0x0200
    RESERVED = 0x0400
    GLOBAL = 0x0800
    MAPPED = 0x1000
    NAT64 = 0x2000

    def names(self) -> List[str]:
        """The library's names of the flags set, in bit order."""
        return [text(C.lb_addr_flag_name(int(f))) or f.name.lower()
                for f in AddressFlag if f & self]

    def __str__(self) -> str:
        return ",".join(self.names())


class PortClass(enum.IntEnum):
    """The IANA class of a port number: LB_PORT_* (``lb_port_classify()``)."""

    ZERO = 1
    WELL_KNOWN = 2
    REGISTERED = 3
    DYNAMIC = 4

    def __str__(self) -> str:
        """The library's short name: ``"well-known"``, ``"dynamic"`` ..."""
        return text(C.lb_port_class_name(int(self))) or self.name.lower()


Text = Union[str, bytes]


def _bytes(t: Text) -> bytes:
    if isinstance(t, str):
        return t.encode("utf-8", "surrogateescape")
    if isinstance(t, (bytes, bytearray, memoryview)):
        return bytes(t)
    raise TypeError(f"expected str or bytes, not {type(t).__name__}")


def _parse_failed(rc: int, err: LbParseError, raw: bytes, original: Text) -> ParseError:
    shown = original if isinstance(original, str) else raw.decode("utf-8", "backslashreplace")
    reason = text(err.reason) or ""
    if rc == ErrorCode.ERANGE:
        return ParseRangeError(input=shown, offset=err.offset, reason=reason, code=rc)
    if rc == ErrorCode.ESYNTAX:
        return ParseError(input=shown, offset=err.offset, reason=reason, code=rc)
    check(rc)  # LB_EINVAL and anything unexpected
    raise AssertionError("unreachable")


def _port(port: int) -> int:
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"a port is an int, not {type(port).__name__}")
    if not 0 <= port <= 65535:
        raise OutOfRange(f"port {port} out of range 0..65535")
    return port


IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


@dataclass(frozen=True)
class Address:
    """An IPv4 or IPv6 address with an optional IPv6 zone (a struct lb_addr).

    Attributes:
        family: Family.INET or Family.INET6.
        packed: the address bytes in network order (4 or 16 bytes).
        zone: the zone as written (``"eth0"``, ``"3"``), ``""`` when none.
        scope_id: the interface index of a numeric zone, else 0.

    ``str()`` is the library's canonical text (RFC 5952 for IPv6).
    """

    family: Family
    packed: bytes
    zone: str = ""
    scope_id: int = 0

    @classmethod
    def parse(cls, text_: Text) -> "Address":
        """Parse an IP address literal (``lb_addr_parse()``); raises ParseError."""
        raw = _bytes(text_)
        out, err = LbAddr(), LbParseError()
        rc = C.lb_addr_parse(raw, len(raw), ctypes.byref(out), ctypes.byref(err))
        if rc < 0:
            raise _parse_failed(rc, err, raw, text_)
        return cls._from_c(out)

    @classmethod
    def from_ip(cls, ip: Union[IPAddress, str]) -> "Address":
        """From an ``ipaddress`` object (its scope id becomes the zone) or text."""
        if isinstance(ip, str):
            return cls.parse(ip)
        if isinstance(ip, ipaddress.IPv4Address):
            return cls(Family.INET, ip.packed)
        if isinstance(ip, ipaddress.IPv6Address):
            zone = ip.scope_id or ""
            return cls.parse(f"{ip}") if zone else cls(Family.INET6, ip.packed)
        raise TypeError(f"expected an IP address, not {type(ip).__name__}")

    @classmethod
    def _from_c(cls, a: LbAddr) -> "Address":
        n = 4 if a.family == Family.INET else 16
        return cls(Family(a.family), bytes(a.bytes[:n]),
                   a.zone.decode("ascii"), int(a.scope_id))

    def _to_c(self) -> LbAddr:
        a = LbAddr()
        a.family = int(self.family)
        a.scope_id = self.scope_id
        ctypes.memmove(a.bytes, self.packed, len(self.packed))
        a.zone = self.zone.encode("ascii")
        return a

    @property
    def ip(self) -> IPAddress:
        """The address as an ``ipaddress`` object (IPv6 with its zone as scope id)."""
        if self.family == Family.INET:
            return ipaddress.IPv4Address(self.packed)
        ip6 = ipaddress.IPv6Address(self.packed)
        return ipaddress.IPv6Address(f"{ip6}%{self.zone}") if self.zone else ip6

    def __str__(self) -> str:
        buf = ctypes.create_string_buffer(ADDR_STRLEN)
        n = check(C.lb_addr_format(ctypes.byref(self._to_c()), buf, len(buf)))
        return buf.raw[:n].decode("ascii")

    def classify(self) -> AddressClass:
        """``lb_addr_classify()``: loopback, private, global ..."""
        return AddressClass(check(C.lb_addr_classify(ctypes.byref(self._to_c()))))

    def flags(self) -> AddressFlag:
        """``lb_addr_flags()``: every property that applies (LOOPBACK | MAPPED ...)."""
        return AddressFlag(check(C.lb_addr_flags(ctypes.byref(self._to_c()))))

    @classmethod
    def from_sockaddr(cls, family: int, sockaddr: Tuple) -> "Address":
        """The address of a socket-module address tuple (the port is dropped).

        A non-zero IPv6 scope id becomes the zone, named after its interface.
        """
        raw = _sockaddr_bytes(family, sockaddr)
        out = LbAddr()
        check(C.lb_addr_from_sockaddr(raw, len(raw), ctypes.byref(out), None))
        return cls._from_c(out)

    def sockaddr(self, port: int = 0) -> Tuple:
        """A socket-module address tuple, a named zone resolved to its index."""
        a, p = self._to_c(), _port(port)
        return _sockaddr_tuple(lambda buf, size: C.lb_addr_to_sockaddr(
            ctypes.byref(a), p, size, buf))


@dataclass(frozen=True)
class Endpoint:
    """A host and a port (a struct lb_endpoint).

    Attributes:
        host: the address in canonical text without brackets, zone included
            (``"::1"``, ``"fe80::1%eth0"``), or the host name as given.
        port: 0..65535.
        address: the Address when the host is an IP literal, else None.

    ``str()`` is ``lb_endpoint_format()``: ``"[::1]:8080"``, ``"localhost:3000"``.
    """

    host: str
    port: int
    address: Optional[Address] = None

    @classmethod
    def parse(cls, text_: Text) -> "Endpoint":
        """Parse ``host:port`` (``lb_endpoint_parse()``); raises ParseError."""
        return cls._parse(C.lb_endpoint_parse, text_)

    @classmethod
    def parse_host(cls, text_: Text) -> "Endpoint":
        """Parse a host without a port (``lb_host_parse()``): port 0."""
        return cls._parse(C.lb_host_parse, text_)

    @classmethod
    def _parse(cls, fn, text_: Text) -> "Endpoint":
        raw = _bytes(text_)
        out, err = LbEndpoint(), LbParseError()
        rc = fn(raw, len(raw), ctypes.byref(out), ctypes.byref(err))
        if rc < 0:
            raise _parse_failed(rc, err, raw, text_)
        return cls._from_c(out)

    @classmethod
    def from_address(cls, address: Union[Address, IPAddress, str], port: int) -> "Endpoint":
        """An endpoint of an address (Address, ipaddress object or literal) and a port."""
        a = address if isinstance(address, Address) else Address.from_ip(address)
        return cls(str(a), _port(port), a)

    @classmethod
    def _from_c(cls, e: LbEndpoint) -> "Endpoint":
        if e.kind == HostKind.ADDR:
            a = Address._from_c(e.addr)
            return cls(str(a), int(e.port), a)
        return cls(e.name.decode("ascii"), int(e.port), None)

    def _to_c(self) -> LbEndpoint:
        e = LbEndpoint()
        e.port = _port(self.port)
        if self.address is not None:
            e.kind = HostKind.ADDR
            e.addr = self.address._to_c()
        else:
            e.kind = HostKind.NAME
            e.name = self.host.encode("ascii", "strict")
        return e

    @property
    def is_name(self) -> bool:
        """Whether the host is a name (to resolve) rather than an address."""
        return self.address is None

    @property
    def ip(self) -> Optional[IPAddress]:
        """The host as an ``ipaddress`` object, None for a name."""
        return None if self.address is None else self.address.ip

    def __str__(self) -> str:
        buf = ctypes.create_string_buffer(ENDPOINT_STRLEN)
        n = check(C.lb_endpoint_format(ctypes.byref(self._to_c()), buf, len(buf)))
        return buf.raw[:n].decode("ascii")

    def classify(self) -> AddressClass:
        """``lb_endpoint_classify()``: the address's class, or LOCALHOST_NAME/NAME."""
        return AddressClass(check(C.lb_endpoint_classify(ctypes.byref(self._to_c()))))

    def port_class(self) -> PortClass:
        """The IANA class of the port."""
        return port_class(self.port)

    def sockaddr(self) -> Tuple:
        """A socket-module address tuple for bind()/connect() (IP hosts only).

        Raises InvalidArgument for a name (resolve it first) and NotFound if
        a named zone is no interface of this host.
        """
        e = self._to_c()
        return _sockaddr_tuple(lambda buf, size: C.lb_endpoint_to_sockaddr(
            ctypes.byref(e), size, buf))

    @classmethod
    def from_sockaddr(cls, family: int, sockaddr: Tuple) -> "Endpoint":
        """From a socket-module address (as from getsockname()) of AF_INET/AF_INET6.

        A non-zero IPv6 scope id becomes the zone, named after its interface.
        """
        raw = _sockaddr_bytes(family, sockaddr)
        out = LbEndpoint()
        check(C.lb_endpoint_from_sockaddr(raw, len(raw), ctypes.byref(out)))
        return cls._from_c(out)


# struct sockaddr_in/in6 <-> socket-module tuples. Linux lays out
# sa_family as a native u16; the BSDs and macOS put a length byte first.
_BSD_SOCKADDR = sys.platform.startswith(("darwin", "freebsd", "openbsd", "netbsd"))
_SOCKADDR_STORAGE = 128


def _family_bytes(family: int, length: int) -> bytes:
    return struct.pack("=BB", length, family) if _BSD_SOCKADDR else struct.pack("=H", family)


def _sockaddr_bytes(family: int, sockaddr: Tuple) -> bytes:
    if family == socket.AF_INET:
        host, port = sockaddr[:2]
        return (_family_bytes(family, 16) + struct.pack("!H", port)
                + ipaddress.IPv4Address(host).packed + bytes(8))
    if family == socket.AF_INET6:
        host, port, flowinfo, scope_id = (tuple(sockaddr) + (0, 0))[:4]
        packed = ipaddress.IPv6Address(host.split("%", 1)[0]).packed
        return (_family_bytes(family, 28) + struct.pack("!HI", port, flowinfo)
                + packed + struct.pack("=I", scope_id))
    raise InvalidArgument(f"address family {family} is not AF_INET or AF_INET6",
                          code=ErrorCode.EAFNOSUPPORT)


def _sockaddr_tuple(fill) -> Tuple:
    buf = ctypes.create_string_buffer(_SOCKADDR_STORAGE)
    n = check(fill(buf, len(buf)))
    raw = buf.raw[:n]
    family = raw[1] if _BSD_SOCKADDR else struct.unpack_from("=H", raw)[0]
    port = struct.unpack_from("!H", raw, 2)[0]
    if family == socket.AF_INET:
        return (str(ipaddress.IPv4Address(raw[4:8])), port)
    flowinfo = struct.unpack_from("!I", raw, 4)[0]
    scope_id = struct.unpack_from("=I", raw, 24)[0]
    return (str(ipaddress.IPv6Address(raw[8:24])), port, flowinfo, scope_id)


def parse_address(text_: Text) -> Address:
    """Parse an IP address literal: ``Address.parse()``."""
    return Address.parse(text_)


def parse_endpoint(text_: Text) -> Endpoint:
    """Parse ``host:port``: ``Endpoint.parse()``."""
    return Endpoint.parse(text_)


def parse_host(text_: Text) -> Endpoint:
    """Parse a host without a port: ``Endpoint.parse_host()``."""
    return Endpoint.parse_host(text_)


def port_class(port: int) -> PortClass:
    """``lb_port_classify()``: zero, well-known, registered or dynamic."""
    return PortClass(check(C.lb_port_classify(_port(port))))


def is_ephemeral(port: int) -> bool:
    """``lb_port_is_ephemeral()``: whether the port is in this host's ephemeral range."""
    return check(C.lb_port_is_ephemeral(_port(port))) == 1


def resolve(host: Text, family: Family = Family.NONE) -> List[Address]:
    """``lb_resolve()``: the addresses of a host in the system resolver's order.

    Raises ParseError if ``host`` is not a valid host, ResolveError if it
    has no address (of that family).
    """
    raw = _bytes(host)
    lst = ctypes.c_void_p()
    check(C.lb_resolve(raw, len(raw), int(family), ctypes.byref(lst)))
    try:
        out = []
        for i in range(C.lb_addr_list_count(lst)):
            a = LbAddr()
            check(C.lb_addr_list_addr(lst, i, ctypes.byref(a)))
            out.append(Address._from_c(a))
        return out
    finally:
        C.lb_addr_list_free(lst)
