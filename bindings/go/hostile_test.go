// SPDX-License-Identifier: MIT

package loopback

import (
	"errors"
	"math"
	"runtime"
	"testing"
)

// Every Go int that crosses into C is range-checked: the conversion would
// keep the low bits (a pid of 1<<40 would be 0, "any process").
func TestIntsOutOfRangeAreErrors(t *testing.T) {
	if math.MaxInt == math.MaxInt32 {
		t.Skip("int is 32 bits here: nothing to cut")
	}
	cases := map[string]func() error{
		"Sockets PID 1<<40":      func() error { _, err := Sockets(&Query{PID: 1 << 40}); return err },
		"Sockets PID 1<<32+1":    func() error { _, err := Sockets(&Query{PID: 1<<32 + 1}); return err },
		"Sockets NetnsPID 1<<33": func() error { _, err := Sockets(&Query{NetnsPID: 1 << 33}); return err },
		"Sockets Protocols 1<<32|TCP": func() error {
			_, err := Sockets(&Query{Protocols: Protocol(1<<32) | TCP})
			return err
		},
		"Pick Protocols 1<<32|TCP": func() error { _, err := Pick(&PickOptions{Protocols: Protocol(1<<32) | TCP}); return err },
		"Pick Family 1<<32|4":      func() error { _, err := Pick(&PickOptions{Family: PickFamily(1<<32 | 4)}); return err },
		"LeaseHolders Protocol":    func() error { _, err := LeaseHolders(80, Protocol(1<<32)|TCP); return err },
		"Resolve family":           func() error { _, err := Resolve("localhost", Family(1<<32|4)); return err },
	}
	for name, f := range cases {
		err := f()
		if !errors.Is(err, ErrRange) {
			t.Errorf("%s: %v, want ErrRange", name, err)
		}
	}
	if got := Errno(-1 - 1<<32).Error(); got != "unknown error" {
		t.Errorf("Errno(-1-1<<32).Error() = %q", got)
	}
	if got := Errno(-1 - 1<<32).Name(); got != "" {
		t.Errorf("Errno(-1-1<<32).Name() = %q", got)
	}
	if got := StateName(TCP, State(1<<32|10)); got == StateName(TCP, 10) {
		t.Errorf("StateName(1<<32|LISTEN) = %q, the name of LISTEN", got)
	}
}

// A copy of a Lease value is the same lease: releasing both, in any
// order, and letting both be collected never frees the C object twice.
func TestLeaseCopyIsTheSameLease(t *testing.T) {
	l, err := Pick(nil)
	if err != nil {
		t.Fatal(err)
	}
	port := l.Port()
	c := new(Lease)
	*c = *l // what a value copy does
	l.Release()
	c.Release()
	l.Release()
	if _, err := c.Fd(0, TCP); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Fd on a released copy: %v", err)
	}
	if _, err := LeaseHolders(port, TCP); !errors.Is(err, ErrNotFound) {
		t.Fatalf("port %d still leased: %v", port, err)
	}
	// Copies left to the collector.
	for i := 0; i < 20; i++ {
		l, err := Pick(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := new(Lease)
		*c = *l
		_ = c
	}
	runtime.GC()
	runtime.GC()
	var zero Lease
	zero.Release()
	if _, err := zero.Fd(0, TCP); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Fd on a zero Lease: %v", err)
	}
}
