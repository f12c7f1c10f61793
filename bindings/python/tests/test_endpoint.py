# SPDX-License-Identifier: MIT
"""<loopback/endpoint.h> through the binding: types, conversions, sockets."""
from __future__ import annotations

import ctypes
import ipaddress
import socket

import pytest

import loopback
from loopback import endpoint as ep
from loopback.endpoint import Address, AddressClass, Endpoint, Family, PortClass


def test_struct_sizes_match_library():
    assert ctypes.sizeof(ep.LbAddr) == loopback._native.C.lb_addr_size()
    assert ctypes.sizeof(ep.LbEndpoint) == loopback._native.C.lb_endpoint_size()
    assert ctypes.sizeof(ep.LbParseError) == loopback._native.C.lb_parse_error_size()


def test_class_names_are_the_librarys():
    for c in AddressClass:
        assert str(c) == c.name.lower().replace("_", "-")
    for c in PortClass:
        assert str(c) == c.name.lower().replace("_", "-")
    # One past the last value is unknown to the library: the enums are complete.
    C = loopback._native.C
    assert C.lb_class_name(max(AddressClass) + 1) is None
    assert C.lb_port_class_name(max(PortClass) + 1) is None
    assert C.lb_class_name(0) is None and C.lb_port_class_name(0) is None


@pytest.mark.parametrize("text,host,port,kind,cls", [
    ("127.0.0.1:62893", "127.0.0.1", 62893, "addr", AddressClass.LOOPBACK),
    ("[::1]:8080", "::1", 8080, "addr", AddressClass.LOOPBACK),
    ("localhost:3000", "localhost", 3000, "name", AddressClass.LOCALHOST_NAME),
    ("example.com.:443", "example.com.", 443, "name", AddressClass.NAME),
    ("[fe80::1%eth0]:22", "fe80::1%eth0", 22, "addr", AddressClass.LINK_LOCAL),
    ("[::FFFF:127.0.0.1]:0", "::ffff:127.0.0.1", 0, "addr", AddressClass.LOOPBACK),
    ("0.0.0.0:080", "0.0.0.0", 80, "addr", AddressClass.UNSPECIFIED),
    ("[2001:DB8:0:0:0:0:0:1]:65535", "2001:db8::1", 65535, "addr", AddressClass.DOCUMENTATION),
])
def test_parse_endpoint(text, host, port, kind, cls):
    e = loopback.parse_endpoint(text)
    assert (e.host, e.port) == (host, port)
    assert e.is_name == (kind == "name")
    assert e.classify() is cls
    again = loopback.parse_endpoint(str(e))
    assert again == e
    if kind == "addr":
        assert ipaddress.ip_address(host.split("%")[0]) == ipaddress.ip_address(
            str(e.ip).split("%")[0])
        assert Endpoint.from_address(e.ip, port) == e
    else:
        assert e.ip is None and e.address is None


@pytest.mark.parametrize("text,offset,code", [
    ("1.2.3:80", 5, loopback.ErrorCode.ESYNTAX),
    ("127.0.0.1:65536", 10, loopback.ErrorCode.ERANGE),
    ("", 0, loopback.ErrorCode.ESYNTAX),
    (" 127.0.0.1:80", 0, loopback.ErrorCode.ESYNTAX),
    ("::1:80", None, loopback.ErrorCode.ESYNTAX),
])
def test_parse_errors(text, offset, code):
    with pytest.raises(loopback.ParseError) as ei:
        loopback.parse_endpoint(text)
    e = ei.value
    assert e.code == code and e.input == text and e.reason
    assert isinstance(e, ValueError)
    if offset is not None:
        assert e.offset == offset
    assert isinstance(e, loopback.OutOfRange) == (code == loopback.ErrorCode.ERANGE)


def test_bytes_input_and_offsets_are_bytes():
    with pytest.raises(loopback.ParseError) as ei:
        loopback.parse_endpoint("hé.example:80")
    assert ei.value.offset == 1  # 'é' starts at byte 1
    with pytest.raises(loopback.ParseError) as ei:
        loopback.parse_endpoint(b"a\x00b:80")
    assert ei.value.offset == 1
    assert loopback.parse_endpoint(b"[::1]:1").port == 1
    with pytest.raises(TypeError):
        loopback.parse_endpoint(80)


def test_address_and_ipaddress_roundtrip():
    for text in ("192.0.2.1", "::", "2001:db8::1", "fe80::1%eth0", "fe80::2%3",
                 "::ffff:192.0.2.1", "::1.2.3.4"):
        a = loopback.parse_address(text)
        ip = a.ip
        assert isinstance(ip, (ipaddress.IPv4Address, ipaddress.IPv6Address))
        assert Address.from_ip(ip) == a
        assert ip.packed == a.packed
    z = loopback.parse_address("fe80::2%3")
    assert (z.zone, z.scope_id) == ("3", 3)
    assert z.ip.scope_id == "3"
    # The library's canonical text, not Python's: mapped IPv4 stays dotted.
    assert str(loopback.parse_address("::FFFF:C000:0201")) == "::ffff:192.0.2.1"
    with pytest.raises(loopback.ParseError):
        loopback.parse_address("[::1]")
    with pytest.raises(loopback.ParseError):
        loopback.parse_address("010.0.0.1")


def test_equality_agrees_with_lb_addr_equal():
    C = loopback._native.C
    texts = ["127.0.0.1", "::1", "::ffff:127.0.0.1", "fe80::1%eth0", "fe80::1%eth1",
             "fe80::1", "0.0.0.0", "::"]
    addrs = [loopback.parse_address(t) for t in texts]
    for a in addrs:
        for b in addrs:
            same = C.lb_addr_equal(ctypes.byref(a._to_c()), ctypes.byref(b._to_c()))
            assert same == (a == b), (a, b)


def test_format_of_a_name_and_invalid_endpoints():
    assert str(Endpoint("localhost", 3000)) == "localhost:3000"
    with pytest.raises(loopback.InvalidArgument):
        str(Endpoint("bad_name", 1))
    with pytest.raises(loopback.OutOfRange):
        Endpoint.from_address("::1", 70000)
    with pytest.raises(loopback.OutOfRange):
        loopback.port_class(-1)


def test_parse_host():
    assert loopback.parse_host("[::1]") == loopback.parse_host("::1")
    h = loopback.parse_host("localhost")
    assert (h.host, h.port, h.is_name) == ("localhost", 0, True)
    with pytest.raises(loopback.ParseError):
        loopback.parse_host("localhost:80")


def test_port_classes_and_ephemeral():
    assert [loopback.port_class(p) for p in (0, 1, 1023, 1024, 49151, 49152, 65535)] == [
        PortClass.ZERO, PortClass.WELL_KNOWN, PortClass.WELL_KNOWN, PortClass.REGISTERED,
        PortClass.REGISTERED, PortClass.DYNAMIC, PortClass.DYNAMIC]
    r = loopback.ephemeral_range()
    assert loopback.is_ephemeral(r.first) and loopback.is_ephemeral(r.last)
    assert not loopback.is_ephemeral(r.first - 1)
    assert loopback.is_ephemeral(r.last + 1) is False or r.last == 65535


def test_sockaddr_binds_a_real_socket(lease_ports):
    port = lease_ports().port
    for text, family in ((f"127.0.0.1:{port}", socket.AF_INET),
                         (f"[::1]:{port}", socket.AF_INET6)):
        e = loopback.parse_endpoint(text)
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind(e.sockaddr())
            s.listen()
            got = Endpoint.from_sockaddr(family, s.getsockname())
            assert got.host == e.host and got.port == s.getsockname()[1] == port
            assert Address.from_sockaddr(family, s.getsockname()) == e.address
            with socket.create_connection(got.sockaddr()[:2], timeout=5):
                pass


def test_sockaddr_zone_resolves_to_interface_index():
    lo = socket.if_nametoindex("lo")
    e = loopback.parse_endpoint("[fe80::1%lo]:7")
    assert e.sockaddr() == ("fe80::1", 7, 0, lo)
    back = Endpoint.from_sockaddr(socket.AF_INET6, ("fe80::1", 7, 0, lo))
    assert back.host == "fe80::1%lo" and back.address.scope_id == lo
    with pytest.raises(loopback.NotFound):
        loopback.parse_endpoint("[fe80::1%nosuchif0]:7").sockaddr()
    with pytest.raises(loopback.InvalidArgument):
        loopback.parse_endpoint("localhost:7").sockaddr()


def test_resolve_localhost_in_resolver_order():
    got = loopback.resolve("localhost")
    want = []
    for *_, sa in socket.getaddrinfo("localhost", None, proto=socket.IPPROTO_TCP):
        a = loopback.parse_address(sa[0])
        if a not in want:
            want.append(a)
    assert got == want
    assert loopback.resolve("127.0.0.1") == [loopback.parse_address("127.0.0.1")]
    assert all(a.family == Family.INET for a in loopback.resolve("localhost", Family.INET))
    with pytest.raises(loopback.ParseError):
        loopback.resolve("bad host")
    with pytest.raises(loopback.ResolveError):
        loopback.resolve("nonexistent.invalid")


@pytest.mark.parametrize("text,names", [
    ("127.0.0.1", ["loopback"]),
    ("::ffff:127.0.0.1", ["loopback", "mapped"]),
    ("::ffff:10.0.0.1", ["private", "mapped"]),
    ("fd00::1", ["private", "unique-local"]),
    ("169.254.0.1", ["link-local"]),
    ("224.0.0.1", ["multicast"]),
    ("203.0.113.1", ["documentation"]),
    ("198.18.0.1", ["benchmarking", "reserved"]),
    ("255.255.255.255", ["broadcast", "reserved"]),
    ("::", ["unspecified"]),
    ("1.1.1.1", ["global"]),
])
def test_address_flags(text, names):
    f = loopback.Address.parse(text).flags()
    assert isinstance(f, loopback.AddressFlag)
    assert f.names() == names
    assert str(f) == ",".join(names)


def test_address_flags_mapped_loopback():
    f = loopback.Address.parse("::ffff:127.0.0.1").flags()
    assert f == loopback.AddressFlag.LOOPBACK | loopback.AddressFlag.MAPPED
    assert loopback.Address.parse("::ffff:127.0.0.1").classify() == loopback.AddressClass.LOOPBACK
