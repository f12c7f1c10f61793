// SPDX-License-Identifier: MIT

package loopback

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func bindsBoth(t *testing.T, port uint16) {
	for _, addr := range []string{"127.0.0.1", "[::1]"} {
		ln, err := net.Listen("tcp", addr+":"+strconv.Itoa(int(port)))
		if err != nil {
			t.Fatalf("port %d does not bind on %s: %v", port, addr, err)
		}
		ln.Close()
	}
}

func TestPickOnePort(t *testing.T) {
	l, err := Pick(nil)
	if err != nil {
		t.Fatal(err)
	}
	port := l.Port()
	r, _ := EphemeralRange()
	if len(l.Ports()) != 1 || port < 1024 || r.Contains(port) || l.Protocols() != TCP || l.IPv4Only() {
		t.Fatalf("lease %v %v %v", l.Ports(), l.Protocols(), l.IPv4Only())
	}
	bindsBoth(t, port)
	if pids, err := LeaseHolders(port, TCP); err != nil || !reflect.DeepEqual(pids, []int{os.Getpid()}) {
		t.Fatalf("holders %v %v", pids, err)
	}
	if fd, err := l.Fd(0, TCP); err != nil || fd < 0 {
		t.Fatalf("fd %d %v", fd, err)
	}
	if _, err := l.Fd(1, TCP); !errors.Is(err, ErrInvalid) {
		t.Fatalf("index 1: %v", err)
	}
	l.Release()
	l.Release()
	if heldBy(t, port, TCP, os.Getpid()) {
		t.Fatal("still held after release")
	}
	if _, err := l.Fd(0, TCP); !errors.Is(err, ErrInvalid) {
		t.Fatalf("fd after release: %v", err)
	}
}

func TestPickGroupAndOptions(t *testing.T) {
	g, err := Pick(&PickOptions{Count: 3, Contiguous: true, Protocols: TCP | UDP})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Release()
	ps := g.Ports()
	if len(ps) != 3 || ps[1] != ps[0]+1 || ps[2] != ps[0]+2 || g.Protocols() != TCP|UDP {
		t.Fatalf("group %v %v", ps, g.Protocols())
	}
	for _, p := range ps {
		for _, proto := range []Protocol{TCP, UDP} {
			if pids, err := LeaseHolders(p, proto); err != nil || len(pids) != 1 {
				t.Errorf("%d/%v: %v %v", p, proto, pids, err)
			}
		}
	}
	for _, bad := range []PickOptions{{First: 30000, Last: 29999}, {Protocols: 4}, {Count: -1}} {
		bad := bad
		if _, err := Pick(&bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := Pick(&PickOptions{First: ps[0], Last: ps[0]}); !errors.Is(err, ErrExhausted) {
		t.Errorf("only port leased: %v", err)
	}
}

func TestLeaseListen(t *testing.T) {
	l, err := Pick(&PickOptions{Count: 2, Protocols: TCP | UDP})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	ln, err := l.Listen(0, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	want := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), l.Port())
	if got := ln.Addr().(*net.TCPAddr).AddrPort(); got != want {
		t.Fatalf("listening on %v, want %v", got, want)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Write([]byte("hi"))
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", want.String())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	c.Close()
	if string(b) != "hi" {
		t.Fatalf("read %q", b)
	}
	// Someone else on the port: the handover says so.
	if _, err := l.Listen(0, netip.Addr{}); !errors.Is(err, ErrAddrInUse) {
		t.Fatalf("second listener: %v", err)
	}
	ln.Close()
	pc, err := l.ListenPacket(1, netip.MustParseAddr("::1"))
	if err != nil {
		t.Fatal(err)
	}
	if got := pc.LocalAddr().(*net.UDPAddr).AddrPort(); got != netip.AddrPortFrom(netip.MustParseAddr("::1"), l.Ports()[1]) {
		t.Fatalf("udp on %v", got)
	}
	pc.Close()
	if _, err := l.Listen(0, netip.MustParseAddr("192.0.2.1")); !errors.Is(err, ErrAddrNotAvailable) {
		t.Fatalf("foreign address: %v", err)
	}
}

func TestListenReleasesOnClose(t *testing.T) {
	ln, err := Listen(nil, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	if port != ln.Lease.Port() {
		t.Fatalf("listener on %d, lease %d", port, ln.Lease.Port())
	}
	if pids, err := LeaseHolders(port, TCP); err != nil || !reflect.DeepEqual(pids, []int{os.Getpid()}) {
		t.Fatalf("holders %v %v", pids, err)
	}
	var _ net.Listener = ln
	ln.Close()
	if heldBy(t, port, TCP, os.Getpid()) {
		t.Fatal("lease held after Close")
	}
}

// A child started with os/exec holds an inherited lease until it exits;
// SIGKILL frees it at once.
func TestInheritedLeaseAndSigkill(t *testing.T) {
	l, err := Pick(nil)
	if err != nil {
		t.Fatal(err)
	}
	port := l.Port()
	if err := l.SetInherit(true); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	l.Release()
	pids, err := LeaseHolders(port, TCP)
	if err != nil || !reflect.DeepEqual(pids, []int{cmd.Process.Pid}) {
		t.Fatalf("holders after release: %v %v (child %d)", pids, err, cmd.Process.Pid)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if heldBy(t, port, TCP, os.Getpid(), cmd.Process.Pid) {
		t.Fatal("held after SIGKILL")
	}
}

// startLeaseHelper starts a process holding a lease; returns it and the port.
func startLeaseHelper(t *testing.T) (*exec.Cmd, uint16) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "LB_HELPER=lease")
	return startPortHelper(t, cmd)
}

// startPortHelper starts cmd, which prints a port on its first line and
// holds it until its stdin closes (at the end of the test).
func startPortHelper(t *testing.T, cmd *exec.Cmd) (*exec.Cmd, uint16) {
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatal(err)
	}
	return cmd, uint16(p)
}

// A lease held by another process: pickers skip it.
func TestLeaseOfAnotherProcess(t *testing.T) {
	cmd, port := startLeaseHelper(t)
	if pids, err := LeaseHolders(port, TCP); err != nil || !reflect.DeepEqual(pids, []int{cmd.Process.Pid}) {
		t.Fatalf("holders %v %v", pids, err)
	}
	if _, err := Pick(&PickOptions{First: port, Last: port}); !errors.Is(err, ErrExhausted) {
		t.Fatalf("picked a port leased elsewhere: %v", err)
	}
}
