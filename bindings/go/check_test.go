// SPDX-License-Identifier: MIT

package loopback

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func lo(port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
}

func TestCheckReasonNames(t *testing.T) {
	want := []string{"bindable", "in-use", "blocked-wildcard", "blocked-dual-stack",
		"time-wait", "privileged", "not-local", "leased"}
	for i, w := range want {
		if CheckReason(i).String() != w {
			t.Errorf("%d: %q", i, CheckReason(i).String())
		}
	}
	if CheckReason(len(want)).String() != "" {
		t.Error("the CheckReason constants do not cover the library's reasons exactly")
	}
}

func TestCheckBind(t *testing.T) {
	port := leaseFor(t, &PickOptions{Protocols: TCP | UDP}).Port()
	c, err := CheckBind(lo(port), TCP)
	if err != nil || !c.Bindable() || c.Suggestion != "" || !reflect.DeepEqual(c.LeaseHolders, []int{os.Getpid()}) {
		t.Fatalf("free leased port: %+v %v", c, err)
	}
	cases := []struct {
		network, listen string
		want            CheckReason
	}{
		{"tcp4", "127.0.0.1", CheckInUse},
		{"tcp4", "0.0.0.0", CheckBlockedWildcard},
		// Go listens dual-stack on [::], and on 0.0.0.0 with "tcp".
		{"tcp", "[::]", CheckBlockedDualStack},
		{"tcp", "0.0.0.0", CheckBlockedDualStack},
	}
	for _, c := range cases {
		ln, err := net.Listen(c.network, c.listen+":"+strconv.Itoa(int(port)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := CheckBind(lo(port), TCP)
		ln.Close()
		if err != nil || got.Reason != c.want || got.Explanation == "" || got.Suggestion == "" {
			t.Errorf("%s listener on %s: %+v %v", c.network, c.listen, got, err)
		}
		if u, err := CheckBind(lo(port), UDP); err != nil || !u.Bindable() {
			t.Errorf("UDP with a TCP listener on %s: %+v %v", c.listen, u, err)
		}
	}
	if c, err := CheckBind(netip.MustParseAddrPort("192.0.2.1:5000"), TCP); err != nil || c.Reason != CheckNotLocal {
		t.Errorf("not local: %+v %v", c, err)
	}
	r, _ := EphemeralRange()
	if c, err := CheckBind(lo(r.Last), TCP); err != nil || c.Warnings&WarnEphemeral == 0 {
		t.Errorf("ephemeral warning: %+v %v", c, err)
	}
	if _, err := CheckBind(lo(0), TCP); !errors.Is(err, ErrInvalid) {
		t.Errorf("port 0: %v", err)
	}
}

func TestCheckBlockers(t *testing.T) {
	port := leasePort(t)
	ln, err := net.Listen("tcp4", lo(port).String())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := CheckBind(lo(port), TCP)
	if err != nil || c.Reason != CheckInUse || len(c.Blockers) != 1 ||
		!reflect.DeepEqual(c.Blockers[0].PIDs(), []int{os.Getpid()}) || c.Blockers[0].Local != lo(port) ||
		c.Blockers[0].Inode != fileInode(t, ln.(*net.TCPListener)) {
		t.Fatalf("%+v %v", c, err)
	}
	table, err := Sockets(&Query{Protocols: TCP, LocalPort: port})
	if err != nil || !reflect.DeepEqual(c.Blockers, table.Sockets) {
		t.Fatalf("blockers %+v, table %+v %v", c.Blockers, table, err)
	}
	if u, err := CheckBind(lo(port), UDP); err != nil || !u.Bindable() || len(u.Blockers) != 0 {
		t.Fatalf("UDP: %+v %v", u, err)
	}
}

// An IPv6-only [::] listener in another process against ::1: trial binds
// alone cannot tell it from a socket on ::1; the table names it. The port
// is leased by the test: with port 0 it came from the ephemeral range, and
// 127.0.0.1 on it was not bindable whenever some connection of another
// program used that port number (or had left it in TIME-WAIT).
func TestCheckIPv6OnlyWildcardNamed(t *testing.T) {
	leased := leasePort(t)
	cmd, port := startPortHelper(t, exec.Command("/usr/bin/python3", "-c", `import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::", int(sys.argv[1]))); s.listen()
print(s.getsockname()[1], flush=True); sys.stdin.read()`, strconv.Itoa(int(leased))))
	if port != leased {
		t.Fatalf("helper on port %d, leased %d", port, leased)
	}
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm")
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSpace(string(comm))
	c, err := CheckBind(netip.AddrPortFrom(netip.MustParseAddr("::1"), port), TCP)
	if err != nil || c.Reason != CheckBlockedWildcard || len(c.Blockers) != 1 {
		t.Fatalf("%+v %v", c, err)
	}
	b := c.Blockers[0]
	if !reflect.DeepEqual(b.PIDs(), []int{cmd.Process.Pid}) || b.Owners[0].Name != name ||
		b.Local != netip.AddrPortFrom(netip.MustParseAddr("::"), port) || b.V6Only != 1 || b.StateName != "LISTEN" {
		t.Fatalf("blocker %+v", b)
	}
	want := name + " (pid " + strconv.Itoa(cmd.Process.Pid) + ", user "
	if !strings.Contains(c.Explanation, want) || !strings.HasSuffix(c.Explanation, ": [::] covers every IPv6 address") {
		t.Fatalf("explanation %q", c.Explanation)
	}
	if v4, err := CheckBind(lo(port), TCP); err != nil || !v4.Bindable() || len(v4.Blockers) != 0 {
		t.Fatalf("127.0.0.1: %+v %v", v4, err)
	}
}

func TestCheckLeasedElsewhere(t *testing.T) {
	cmd, port := startLeaseHelper(t)
	c, err := CheckBind(lo(port), TCP)
	if err != nil || c.Reason != CheckLeased || !reflect.DeepEqual(c.LeaseHolders, []int{cmd.Process.Pid}) ||
		!strings.Contains(c.Explanation, strconv.Itoa(cmd.Process.Pid)) {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestWait(t *testing.T) {
	l := leaseFor(t, nil)
	ap := lo(l.Port())
	start := time.Now()
	if err := WaitAccepting(ap, 200*time.Millisecond); !errors.Is(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("nothing listens: %v", err)
	}
	if time.Since(start) < 150*time.Millisecond { // it waited, polling
		t.Fatalf("gave up after %v", time.Since(start))
	}
	if err := WaitFree(ap, 0); err != nil {
		t.Fatalf("free: %v", err)
	}
	lnc := make(chan net.Listener, 1)
	time.AfterFunc(300*time.Millisecond, func() {
		ln, err := l.Listen(0, netip.Addr{})
		if err != nil {
			t.Error(err)
		}
		lnc <- ln
	})
	if err := WaitAccepting(ap, 10*time.Second); err != nil {
		t.Fatalf("late listener: %v", err)
	}
	ln := <-lnc
	if err := WaitFree(ap, 100*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("busy: %v", err)
	}
	time.AfterFunc(300*time.Millisecond, func() { ln.Close() })
	if err := WaitFree(ap, 10*time.Second); err != nil {
		t.Fatalf("closed listener: %v", err)
	}
	if err := WaitFree(ap, -time.Second); !errors.Is(err, ErrInvalid) {
		t.Fatalf("negative timeout: %v", err)
	}
}
