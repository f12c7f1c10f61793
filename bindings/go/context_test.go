// SPDX-License-Identifier: MIT

package loopback

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"
)

func loopbackAP(port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
}

// cancelled runs wait with a context cancelled after 100 ms, and checks
// that it returned promptly with context.Canceled (the wait has no
// deadline: without cancellation it would never return; 2 s leaves room
// for a loaded machine, a 50 ms slice is the design).
func cancelled(t *testing.T, name string, wait func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := wait(ctx)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Fatalf("%s: %v, want context.Canceled only", name, err)
	}
	if took < 100*time.Millisecond || took > 2*time.Second {
		t.Fatalf("%s returned %v after the start, cancelled at 100 ms", name, took)
	}
}

func TestWaitContextCancel(t *testing.T) {
	ap := loopbackAP(leasePort(t))
	cancelled(t, "WaitAcceptingContext", func(ctx context.Context) error {
		return WaitAcceptingContext(ctx, ap)
	})
	cancelled(t, "WaitHeldContext", func(ctx context.Context) error {
		return WaitHeldContext(ctx, ap, os.Getpid(), true)
	})
	ln, err := net.Listen("tcp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cancelled(t, "WaitFreeContext", func(ctx context.Context) error {
		return WaitFreeContext(ctx, ap)
	})
	want := "loopback: wait " + ap.String() + ": context canceled"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WaitFreeContext(ctx, ap); err == nil || err.Error() != want {
		t.Fatalf("already cancelled: %v, want %q", err, want)
	}
}

func TestWaitContextDeadline(t *testing.T) {
	ap := loopbackAP(leasePort(t))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := WaitAcceptingContext(ctx, ap)
	took := time.Since(start)
	for _, target := range []error{ErrTimeout, context.DeadlineExceeded, os.ErrDeadlineExceeded} {
		if !errors.Is(err, target) {
			t.Errorf("%v is not %v", err, target)
		}
	}
	if took < 190*time.Millisecond || took > 2*time.Second {
		t.Fatalf("returned after %v, deadline 200 ms", took)
	}
	if err.Error() != "loopback: wait "+ap.String()+": timed out" {
		t.Fatalf("message %q", err.Error())
	}
}

func TestWaitContextSucceeds(t *testing.T) {
	port := leasePort(t)
	ap := loopbackAP(port)
	cmd, out := server(t, "127.0.0.1", port, "0.3")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := WaitHeldContext(ctx, ap, cmd.Process.Pid, true); err != nil {
		t.Fatal(err)
	}
	if line, _ := out.ReadString('\n'); line != "listening\n" {
		t.Fatalf("server said %q", line)
	}
	if err := WaitAcceptingContext(ctx, ap); err != nil {
		t.Fatal(err)
	}
	// A process that does not exist: at once, not at the deadline.
	start := time.Now()
	err := WaitHeldContext(ctx, ap, 0x7ffffffe, false)
	if !errors.Is(err, ErrNotFound) || time.Since(start) > time.Second {
		t.Fatalf("WaitHeldContext for no process: %v after %v", err, time.Since(start))
	}
}

func TestErrorsReadAsGoErrors(t *testing.T) {
	port := leasePort(t)
	ap := loopbackAP(port)
	err := WaitAccepting(ap, 0)
	want := "loopback: wait 127.0.0.1:" + strconv.Itoa(int(port)) + ": timed out"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "lb_wait" || e.Target != ap.String() || !errors.Is(err, ErrTimeout) {
		t.Fatalf("%#v", err)
	}
	err = WaitHeld(ap, 0, false, 0)
	if err == nil || err.Error() != "loopback: wait (pid) "+ap.String()+": invalid argument" {
		t.Fatalf("got %v", err)
	}
	_, err = ParseEndpoint("1.2.3:80")
	if err == nil || err.Error()[:len("loopback: parse endpoint \"1.2.3:80\": ")] !=
		"loopback: parse endpoint \"1.2.3:80\": " {
		t.Fatalf("got %v", err)
	}
	if ErrAddrInUse.Error() != "address already in use" {
		t.Fatal(ErrAddrInUse.Error())
	}
}

func TestBlockingCallsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, err := PickContext(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	c, err := CheckBindContext(ctx, loopbackAP(l.Port()), TCP)
	if err != nil || !c.Bindable() {
		t.Fatalf("%v %v", c, err)
	}
	if _, err := SocketsContext(ctx, &Query{Protocols: TCP, LocalPort: l.Port(), Owners: OwnersNone}); err != nil {
		t.Fatal(err)
	}
	if a, err := ResolveContext(ctx, "127.0.0.1", FamilyIPv4); err != nil || len(a) != 1 {
		t.Fatalf("%v %v", a, err)
	}
	if pids, err := LeaseHoldersContext(ctx, l.Port(), TCP); err != nil || len(pids) != 1 || pids[0] != os.Getpid() {
		t.Fatalf("%v %v", pids, err)
	}
	if _, err := WhoContext(ctx, l.Port()); err != nil {
		t.Fatal(err)
	}
	if _, err := PortsOfContext(ctx, os.Getpid(), false); err != nil {
		t.Fatal(err)
	}
	ln, err := ListenContext(ctx, nil, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	cancel()
	for name, call := range map[string]func() error{
		"WhoContext":          func() error { _, err := WhoContext(ctx, l.Port()); return err },
		"PortsOfContext":      func() error { _, err := PortsOfContext(ctx, 1, false); return err },
		"LeaseHoldersContext": func() error { _, err := LeaseHoldersContext(ctx, l.Port(), TCP); return err },
		"ListenContext":       func() error { _, err := ListenContext(ctx, nil, netip.Addr{}); return err },
		"CheckBindContext":    func() error { _, err := CheckBindContext(ctx, loopbackAP(l.Port()), TCP); return err },
		"ResolveContext":      func() error { _, err := ResolveContext(ctx, "localhost", FamilyIPv4); return err },
	} {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", name, err)
		}
	}
	if _, err := SocketsContext(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("SocketsContext with a cancelled context: %v", err)
	}
	if _, err := PickContext(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("PickContext with a cancelled context: %v", err)
	}
}
