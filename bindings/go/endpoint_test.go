// SPDX-License-Identifier: MIT

package loopback

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestStructSizesMatchLibrary(t *testing.T) {
	compiled, library := structSizes()
	if compiled != library {
		t.Fatalf("sizes of lb_addr, lb_endpoint, lb_parse_error: compiled %v, library %v",
			compiled, library)
	}
}

func TestClassNames(t *testing.T) {
	for c := ClassUnspecified; c <= ClassName; c++ {
		if c.String() == "" {
			t.Errorf("class %d has no name", int(c))
		}
	}
	if (ClassName+1).String() != "" || AddrClass(0).String() != "" {
		t.Error("the AddrClass constants do not cover the library's classes exactly")
	}
	want := []string{"zero", "well-known", "registered", "dynamic"}
	for i, c := range []PortClass{PortZero, PortWellKnown, PortRegistered, PortDynamic} {
		if c.String() != want[i] {
			t.Errorf("port class %d: %q", int(c), c.String())
		}
	}
	if (PortDynamic + 1).String() != "" {
		t.Error("the PortClass constants do not cover the library's classes exactly")
	}
}

func TestParseEndpoint(t *testing.T) {
	cases := []struct {
		in, host string
		port     uint16
		name     bool
		class    AddrClass
	}{
		{"127.0.0.1:62893", "127.0.0.1", 62893, false, ClassLoopback},
		{"[::1]:8080", "::1", 8080, false, ClassLoopback},
		{"localhost:3000", "localhost", 3000, true, ClassLocalhostName},
		{"example.com.:443", "example.com.", 443, true, ClassName},
		{"[fe80::1%eth0]:22", "fe80::1%eth0", 22, false, ClassLinkLocal},
		{"[::FFFF:127.0.0.1]:0", "::ffff:127.0.0.1", 0, false, ClassLoopback},
		{"0.0.0.0:080", "0.0.0.0", 80, false, ClassUnspecified},
		{"[2001:DB8:0:0:0:0:0:1]:65535", "2001:db8::1", 65535, false, ClassDocumentation},
	}
	for _, c := range cases {
		e, err := ParseEndpoint(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if e.Host != c.host || e.Port != c.port || e.IsName() != c.name {
			t.Errorf("%q: got %+v", c.in, e)
		}
		if cl, err := e.Class(); err != nil || cl != c.class {
			t.Errorf("%q: class %v %v, want %v", c.in, cl, err, c.class)
		}
		again, err := ParseEndpoint(e.String())
		if err != nil || again != e {
			t.Errorf("%q: round trip through %q gives %+v %v", c.in, e.String(), again, err)
		}
		ap, ok := e.AddrPort()
		if ok == c.name {
			t.Errorf("%q: AddrPort ok=%v", c.in, ok)
		}
		if ok {
			back, err := EndpointFromAddrPort(ap)
			if err != nil || back != e {
				t.Errorf("%q: from AddrPort %v: %+v %v", c.in, ap, back, err)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in     string
		offset int
		code   Errno
	}{
		{"1.2.3:80", 5, ErrSyntax},
		{"127.0.0.1:65536", 10, ErrRange},
		{"", 0, ErrSyntax},
		{" 127.0.0.1:80", 0, ErrSyntax},
		{"a\x00b:80", 1, ErrSyntax},
		{"hé.example:80", 1, ErrSyntax},
	}
	for _, c := range cases {
		_, err := ParseEndpoint(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %v is not a *ParseError", c.in, err)
			continue
		}
		if pe.Offset != c.offset || pe.Code != c.code || pe.Input != c.in || pe.Reason == "" {
			t.Errorf("%q: got %+v", c.in, pe)
		}
		if !errors.Is(err, c.code) {
			t.Errorf("%q: errors.Is(%v)", c.in, c.code)
		}
	}
}

func TestAddrNetipRoundTrip(t *testing.T) {
	for _, s := range []string{"192.0.2.1", "::", "2001:db8::1", "fe80::1%eth0",
		"fe80::2%3", "::ffff:192.0.2.1", "::1.2.3.4"} {
		a, err := ParseAddr(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		std, err := netip.ParseAddr(s)
		if err != nil {
			t.Fatalf("netip %q: %v", s, err)
		}
		if a != std {
			t.Errorf("%q: library %v, netip %v", s, a, std)
		}
		f, err := FormatAddr(a)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := ParseAddr(f); err != nil || b != a {
			t.Errorf("%q: formatted %q parses to %v %v", s, f, b, err)
		}
	}
	if f, _ := FormatAddr(netip.MustParseAddr("::ffff:c000:201")); f != "::ffff:192.0.2.1" {
		t.Errorf("mapped: %q", f)
	}
	if _, err := FormatAddr(netip.Addr{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero Addr: %v", err)
	}
	for _, bad := range []string{"[::1]", "010.0.0.1", "127.1", "fe80::1%bad zone"} {
		if _, err := ParseAddr(bad); !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) {
			t.Errorf("%q accepted or wrong error: %v", bad, err)
		}
	}
}

func TestParseHostAndFormatName(t *testing.T) {
	a, err1 := ParseHost("[::1]")
	b, err2 := ParseHost("::1")
	if err1 != nil || err2 != nil || a != b || a.Port != 0 {
		t.Fatalf("%+v %v %+v %v", a, err1, b, err2)
	}
	if _, err := ParseHost("localhost:80"); !errors.Is(err, ErrSyntax) {
		t.Fatalf("host with port: %v", err)
	}
	if s := (Endpoint{Host: "localhost", Port: 3000}).String(); s != "localhost:3000" {
		t.Fatal(s)
	}
	if _, err := (Endpoint{Host: "bad_name", Port: 1}).Format(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid name formats: %v", err)
	}
	if _, err := (Endpoint{Host: strings.Repeat("a", 300), Port: 1}).Format(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("long name formats: %v", err)
	}
}

func TestPortClassesAndEphemeral(t *testing.T) {
	want := map[uint16]PortClass{0: PortZero, 1: PortWellKnown, 1023: PortWellKnown,
		1024: PortRegistered, 49151: PortRegistered, 49152: PortDynamic, 65535: PortDynamic}
	for p, c := range want {
		if ClassifyPort(p) != c {
			t.Errorf("port %d: %v", p, ClassifyPort(p))
		}
	}
	r, err := EphemeralRange()
	if err != nil {
		t.Fatal(err)
	}
	for p, in := range map[uint16]bool{r.First: true, r.Last: true, r.First - 1: false} {
		if got, err := IsEphemeral(p); err != nil || got != in {
			t.Errorf("IsEphemeral(%d) = %v %v", p, got, err)
		}
	}
}

func TestResolve(t *testing.T) {
	got, err := Resolve("localhost", FamilyAny)
	if err != nil {
		t.Fatal(err)
	}
	std, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	set := map[netip.Addr]bool{}
	for _, a := range std {
		set[a.Unmap()] = true
	}
	if len(got) != len(set) {
		t.Fatalf("library %v, Go resolver %v", got, std)
	}
	for _, a := range got {
		if !set[a] {
			t.Fatalf("library %v, Go resolver %v", got, std)
		}
	}
	v4, err := Resolve("localhost", FamilyIPv4)
	if err != nil || len(v4) == 0 {
		t.Fatal(v4, err)
	}
	for _, a := range v4 {
		if !a.Is4() {
			t.Errorf("IPv4 only: %v", a)
		}
	}
	if lit, err := Resolve("127.0.0.1", FamilyAny); err != nil || len(lit) != 1 ||
		lit[0] != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("a literal resolves to itself: %v %v", lit, err)
	}
	if _, err := Resolve("bad host", FamilyAny); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad host: %v", err)
	}
	if _, err := Resolve("nonexistent.invalid", FamilyAny); !errors.Is(err, ErrResolve) {
		t.Errorf("nonexistent.invalid: %v", err)
	}
}

func TestAddrEqualityAgreesWithLibrary(t *testing.T) {
	var addrs []netip.Addr
	for _, s := range []string{"127.0.0.1", "::1", "::ffff:127.0.0.1", "fe80::1%eth0",
		"fe80::1%eth1", "fe80::1", "0.0.0.0", "::"} {
		a, err := ParseAddr(s)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, a)
	}
	for _, a := range addrs {
		for _, b := range addrs {
			same, err := addrEqual(a, b)
			if err != nil || same != (a == b) {
				t.Errorf("%v, %v: lb_addr_equal %v %v, Go ==: %v", a, b, same, err, a == b)
			}
		}
	}
}

func TestAddrFlags(t *testing.T) {
	cases := map[string]string{
		"127.0.0.1":        "loopback",
		"::ffff:127.0.0.1": "loopback,mapped",
		"::1":              "loopback",
		"0.0.0.0":          "unspecified",
		"fd00::1":          "private,unique-local",
		"10.1.2.3":         "private",
		"fe80::1":          "link-local",
		"ff02::1":          "multicast",
		"2001:db8::1":      "documentation",
		"198.18.0.1":       "benchmarking,reserved",
		"100.64.0.1":       "shared,reserved",
		"64:ff9b::1.2.3.4": "global,nat64",
		"8.8.8.8":          "global",
	}
	for text, want := range cases {
		f, err := AddrFlagsOf(netip.MustParseAddr(text))
		if err != nil || f.String() != want {
			t.Errorf("%s: %v %v, want %s", text, f, err, want)
		}
	}
	f, _ := AddrFlagsOf(netip.MustParseAddr("::ffff:127.0.0.1"))
	if f != FlagLoopback|FlagMapped {
		t.Errorf("mapped loopback: %#x", uint(f))
	}
	if _, err := AddrFlagsOf(netip.Addr{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero Addr: %v", err)
	}
}
