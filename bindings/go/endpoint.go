// SPDX-License-Identifier: MIT

package loopback

/*
#include <stdlib.h>
#include <loopback.h>
*/
import "C"

import (
	"net/netip"
	"strings"
	"unsafe"
)

// Family is an address family as the library numbers it (LB_AF_*).
type Family int

// Address families, for Resolve.
const (
	FamilyAny  Family = C.LB_AF_NONE
	FamilyIPv4 Family = C.LB_AF_INET
	FamilyIPv6 Family = C.LB_AF_INET6
)

// AddrClass says what an address or host is (LB_CLASS_*).
type AddrClass int

// The classes of lb_addr_classify and lb_endpoint_classify.
const (
	ClassUnspecified   AddrClass = C.LB_CLASS_UNSPECIFIED
	ClassLoopback      AddrClass = C.LB_CLASS_LOOPBACK
	ClassLinkLocal     AddrClass = C.LB_CLASS_LINK_LOCAL
	ClassPrivate       AddrClass = C.LB_CLASS_PRIVATE
	ClassMulticast     AddrClass = C.LB_CLASS_MULTICAST
	ClassDocumentation AddrClass = C.LB_CLASS_DOCUMENTATION
	ClassReserved      AddrClass = C.LB_CLASS_RESERVED
	ClassGlobal        AddrClass = C.LB_CLASS_GLOBAL
	ClassLocalhostName AddrClass = C.LB_CLASS_LOCALHOST_NAME
	ClassName          AddrClass = C.LB_CLASS_NAME
)

// String returns the library's short name (lb_class_name): "loopback",
// "link-local", ...; "" for an unknown value.
func (c AddrClass) String() string {
	if !inInt32(int(c)) {
		return ""
	}
	return goString(C.lb_class_name(C.int(c)))
}

// PortClass is the IANA class of a port number (LB_PORT_*).
type PortClass int

// The classes of lb_port_classify.
const (
	PortZero       PortClass = C.LB_PORT_ZERO
	PortWellKnown  PortClass = C.LB_PORT_WELL_KNOWN
	PortRegistered PortClass = C.LB_PORT_REGISTERED
	PortDynamic    PortClass = C.LB_PORT_DYNAMIC
)

// String returns the library's short name (lb_port_class_name):
// "zero", "well-known", "registered" or "dynamic".
func (c PortClass) String() string {
	if !inInt32(int(c)) {
		c = -1
	}
	return goString(C.lb_port_class_name(C.int(c)))
}

func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// cText gives C a pointer to a copy of s and its length. The copy lives
// in C memory, freed by the returned function.
func cText(s string) (*C.char, C.size_t, func()) {
	p := C.malloc(C.size_t(len(s) + 1))
	if len(s) > 0 {
		copy(unsafe.Slice((*byte)(p), len(s)), s)
	}
	return (*C.char)(p), C.size_t(len(s)), func() { C.free(p) }
}

func parseFailed(op, input string, rc C.int, pe *C.lb_parse_error) error {
	code := Errno(rc)
	if code != ErrSyntax && code != ErrRange {
		return &Error{Op: op, Code: code}
	}
	return &ParseError{Op: op, Input: input, Offset: int(pe.offset),
		Reason: goString(pe.reason), Code: code}
}

// addrFromC converts an lb_addr to a netip.Addr; the zone is kept.
func addrFromC(a *C.lb_addr) netip.Addr {
	var ip netip.Addr
	b := (*[16]byte)(unsafe.Pointer(&a.bytes[0]))
	if a.family == C.LB_AF_INET {
		ip = netip.AddrFrom4([4]byte{b[0], b[1], b[2], b[3]})
	} else {
		ip = netip.AddrFrom16(*b)
	}
	if a.zone[0] != 0 {
		ip = ip.WithZone(C.GoString(&a.zone[0]))
	}
	return ip
}

// addrToC converts a netip.Addr. A zoned address goes through the
// library's parser, so the zone rules and scope id are the library's.
func addrToC(op string, ip netip.Addr, out *C.lb_addr) error {
	if !ip.IsValid() {
		return &Error{Op: op, Code: ErrInvalid}
	}
	if ip.Zone() != "" {
		_, err := parseAddrC("lb_addr_parse", ip.String(), out)
		return err
	}
	*out = C.lb_addr{}
	b := (*[16]byte)(unsafe.Pointer(&out.bytes[0]))
	if ip.Is4() {
		out.family = C.LB_AF_INET
		a4 := ip.As4()
		copy(b[:], a4[:])
	} else {
		out.family = C.LB_AF_INET6
		*b = ip.As16()
	}
	return nil
}

func parseAddrC(op, s string, out *C.lb_addr) (netip.Addr, error) {
	var pe C.lb_parse_error
	p, n, free := cText(s)
	defer free()
	if rc := C.lb_addr_parse(p, n, out, &pe); rc < 0 {
		return netip.Addr{}, parseFailed(op, s, rc, &pe)
	}
	return addrFromC(out), nil
}

// ParseAddr parses an IP address literal with the library's rules
// (lb_addr_parse): strict dotted-quad IPv4, any RFC 4291 IPv6 form with an
// optional zone. Errors are *ParseError.
func ParseAddr(s string) (netip.Addr, error) {
	var a C.lb_addr
	return parseAddrC("lb_addr_parse", s, &a)
}

// FormatAddr writes an address as the library does (lb_addr_format): IPv6
// in RFC 5952 form, IPv4-mapped as ::ffff:a.b.c.d, the zone verbatim.
func FormatAddr(ip netip.Addr) (string, error) {
	var a C.lb_addr
	if err := addrToC("lb_addr_format", ip, &a); err != nil {
		return "", err
	}
	var buf [C.LB_ADDR_STRLEN]C.char
	n := C.lb_addr_format(&a, &buf[0], C.size_t(len(buf)))
	if err := check("lb_addr_format", n); err != nil {
		return "", err
	}
	return C.GoStringN(&buf[0], n), nil
}

// ClassifyAddr says what an address is (lb_addr_classify). IPv4-mapped
// addresses are classified by the IPv4 address inside.
func ClassifyAddr(ip netip.Addr) (AddrClass, error) {
	var a C.lb_addr
	if err := addrToC("lb_addr_classify", ip, &a); err != nil {
		return 0, err
	}
	rc := C.lb_addr_classify(&a)
	if err := check("lb_addr_classify", rc); err != nil {
		return 0, err
	}
	return AddrClass(rc), nil
}

// AddrFlags are the properties of an address (LB_ADDR_FLAG_*), a finer
// view beside its AddrClass: ::ffff:127.0.0.1 is FlagLoopback|FlagMapped.
type AddrFlags uint

// The flags of lb_addr_flags.
const (
	FlagUnspecified   AddrFlags = C.LB_ADDR_FLAG_UNSPECIFIED
	FlagLoopback      AddrFlags = C.LB_ADDR_FLAG_LOOPBACK
	FlagLinkLocal     AddrFlags = C.LB_ADDR_FLAG_LINK_LOCAL
	FlagPrivate       AddrFlags = C.LB_ADDR_FLAG_PRIVATE
	FlagUniqueLocal   AddrFlags = C.LB_ADDR_FLAG_UNIQUE_LOCAL
	FlagMulticast     AddrFlags = C.LB_ADDR_FLAG_MULTICAST
	FlagDocumentation AddrFlags = C.LB_ADDR_FLAG_DOCUMENTATION
	FlagBenchmarking  AddrFlags = C.LB_ADDR_FLAG_BENCHMARKING
	FlagShared        AddrFlags = C.LB_ADDR_FLAG_SHARED
	FlagBroadcast     AddrFlags = C.LB_ADDR_FLAG_BROADCAST
	FlagReserved      AddrFlags = C.LB_ADDR_FLAG_RESERVED
	FlagGlobal        AddrFlags = C.LB_ADDR_FLAG_GLOBAL
	FlagMapped        AddrFlags = C.LB_ADDR_FLAG_MAPPED
	FlagNAT64         AddrFlags = C.LB_ADDR_FLAG_NAT64
)

// Names returns the library's names of the flags set (lb_addr_flag_name),
// in bit order: ["loopback", "mapped"], as loopback parse --json prints.
func (f AddrFlags) Names() []string {
	out := []string{}
	for bit := AddrFlags(1); bit != 0 && bit <= C.LB_ADDR_FLAG_ALL; bit <<= 1 {
		if f&bit != 0 {
			out = append(out, goString(C.lb_addr_flag_name(C.uint(bit))))
		}
	}
	return out
}

// String joins Names with commas.
func (f AddrFlags) String() string { return strings.Join(f.Names(), ",") }

// AddrFlagsOf returns every property of an address (lb_addr_flags).
func AddrFlagsOf(ip netip.Addr) (AddrFlags, error) {
	var a C.lb_addr
	if err := addrToC("lb_addr_flags", ip, &a); err != nil {
		return 0, err
	}
	rc := C.lb_addr_flags(&a)
	if err := check("lb_addr_flags", rc); err != nil {
		return 0, err
	}
	return AddrFlags(rc), nil
}

// Endpoint is a host and a port: an IP address (Addr valid) or a host
// name (Addr zero, the name in Host).
type Endpoint struct {
	// Host is the address in the library's canonical text without
	// brackets ("::1", "fe80::1%eth0"), or the name as given.
	Host string
	Port uint16
	// Addr is the address when the host is an IP literal.
	Addr netip.Addr
}

// IsName reports whether the host is a name rather than an address.
func (e Endpoint) IsName() bool { return !e.Addr.IsValid() }

// AddrPort returns the endpoint as a netip.AddrPort; false for a name.
func (e Endpoint) AddrPort() (netip.AddrPort, bool) {
	if e.IsName() {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(e.Addr, e.Port), true
}

// EndpointFromAddrPort makes an Endpoint of an address and port.
func EndpointFromAddrPort(ap netip.AddrPort) (Endpoint, error) {
	host, err := FormatAddr(ap.Addr())
	if err != nil {
		return Endpoint{}, err
	}
	return Endpoint{Host: host, Port: ap.Port(), Addr: ap.Addr()}, nil
}

func endpointFromC(e *C.lb_endpoint) Endpoint {
	if e.kind == C.LB_HOST_ADDR {
		ip := addrFromC(&e.addr)
		host, err := FormatAddr(ip)
		if err != nil { // cannot happen for an address the library made
			host = ip.String()
		}
		return Endpoint{Host: host, Port: uint16(e.port), Addr: ip}
	}
	return Endpoint{Host: C.GoString(&e.name[0]), Port: uint16(e.port)}
}

func (e Endpoint) toC(op string, out *C.lb_endpoint) error {
	*out = C.lb_endpoint{}
	out.port = C.uint16_t(e.Port)
	if !e.IsName() {
		out.kind = C.LB_HOST_ADDR
		return addrToC(op, e.Addr, &out.addr)
	}
	if len(e.Host) >= C.LB_HOST_MAX {
		return &Error{Op: op, Code: ErrInvalid}
	}
	out.kind = C.LB_HOST_NAME
	for i := 0; i < len(e.Host); i++ {
		out.name[i] = C.char(e.Host[i])
	}
	return nil
}

func parseEndpoint(op, s string, host bool) (Endpoint, error) {
	var out C.lb_endpoint
	var pe C.lb_parse_error
	p, n, free := cText(s)
	defer free()
	var rc C.int
	if host {
		rc = C.lb_host_parse(p, n, &out, &pe)
	} else {
		rc = C.lb_endpoint_parse(p, n, &out, &pe)
	}
	if rc < 0 {
		return Endpoint{}, parseFailed(op, s, rc, &pe)
	}
	return endpointFromC(&out), nil
}

// ParseEndpoint parses "host:port" with the library's rules
// (lb_endpoint_parse): "127.0.0.1:80", "[::1]:80", "[fe80::1%eth0]:22",
// "localhost:3000". Nothing is trimmed. Errors are *ParseError.
func ParseEndpoint(s string) (Endpoint, error) {
	return parseEndpoint("lb_endpoint_parse", s, false)
}

// ParseHost parses a host without a port (lb_host_parse): an address
// (IPv6 bare or in brackets) or a name. Port is 0.
func ParseHost(s string) (Endpoint, error) {
	return parseEndpoint("lb_host_parse", s, true)
}

// Format writes the endpoint as "host:port" (lb_endpoint_format), with
// brackets around IPv6.
func (e Endpoint) Format() (string, error) {
	var c C.lb_endpoint
	if err := e.toC("lb_endpoint_format", &c); err != nil {
		return "", err
	}
	var buf [C.LB_ENDPOINT_STRLEN]C.char
	n := C.lb_endpoint_format(&c, &buf[0], C.size_t(len(buf)))
	if err := check("lb_endpoint_format", n); err != nil {
		return "", err
	}
	return C.GoStringN(&buf[0], n), nil
}

// String is Format, or a description of the error for an invalid endpoint.
func (e Endpoint) String() string {
	s, err := e.Format()
	if err != nil {
		return "<invalid endpoint: " + err.Error() + ">"
	}
	return s
}

// Class says what the host is (lb_endpoint_classify): the address's class,
// or ClassLocalhostName / ClassName for a name.
func (e Endpoint) Class() (AddrClass, error) {
	var c C.lb_endpoint
	if err := e.toC("lb_endpoint_classify", &c); err != nil {
		return 0, err
	}
	rc := C.lb_endpoint_classify(&c)
	if err := check("lb_endpoint_classify", rc); err != nil {
		return 0, err
	}
	return AddrClass(rc), nil
}

// ClassifyPort returns the IANA class of a port (lb_port_classify).
func ClassifyPort(port uint16) PortClass {
	return PortClass(C.lb_port_classify(C.uint16_t(port)))
}

// IsEphemeral reports whether port lies in this host's ephemeral range
// (lb_port_is_ephemeral).
func IsEphemeral(port uint16) (bool, error) {
	rc := C.lb_port_is_ephemeral(C.uint16_t(port))
	if err := check("lb_port_is_ephemeral", rc); err != nil {
		return false, err
	}
	return rc == 1, nil
}

// Resolve returns the addresses of a host in the system resolver's order
// (lb_resolve), so callers see why "localhost" may reach ::1 first. An
// address literal gives itself. May block as long as the resolver does.
func Resolve(host string, family Family) ([]netip.Addr, error) {
	var list *C.lb_addr_list
	p, n, free := cText(host)
	defer free()
	cf, err := cInt("lb_resolve", int(family))
	if err != nil {
		return nil, err
	}
	if err := check("lb_resolve", C.lb_resolve(p, n, cf, &list)); err != nil {
		return nil, err
	}
	defer C.lb_addr_list_free(list)
	count := int(C.lb_addr_list_count(list))
	out := make([]netip.Addr, 0, count)
	for i := 0; i < count; i++ {
		var a C.lb_addr
		if err := check("lb_addr_list_addr",
			C.lb_addr_list_addr(list, C.size_t(i), &a)); err != nil {
			return nil, err
		}
		out = append(out, addrFromC(&a))
	}
	return out, nil
}

// structSizes returns the sizes cgo compiled against and the ones the
// loaded library reports, for the test that they agree.
func structSizes() (compiled, library [3]int) {
	compiled = [3]int{C.sizeof_lb_addr, C.sizeof_lb_endpoint, C.sizeof_lb_parse_error}
	library = [3]int{int(C.lb_addr_size()), int(C.lb_endpoint_size()),
		int(C.lb_parse_error_size())}
	return
}

// addrEqual is lb_addr_equal, for the test that netip.Addr's == agrees
// with the library's idea of the same address.
func addrEqual(a, b netip.Addr) (bool, error) {
	var ca, cb C.lb_addr
	if err := addrToC("lb_addr_equal", a, &ca); err != nil {
		return false, err
	}
	if err := addrToC("lb_addr_equal", b, &cb); err != nil {
		return false, err
	}
	rc := C.lb_addr_equal(&ca, &cb)
	return rc == 1, check("lb_addr_equal", rc)
}
