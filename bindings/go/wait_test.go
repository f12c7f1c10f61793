// SPDX-License-Identifier: MIT

package loopback

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// pyServer listens on host:port after delay, accepts for 10 s (or the
// seconds of a 4th argument) at most, prints "listening" once it does
// and "accepted N" at the end.
const pyServer = `
import socket, sys, time
host, port, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
life = float(sys.argv[4]) if len(sys.argv) > 4 else 10
time.sleep(delay)
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port)); s.listen(64); s.settimeout(0.05)
print("listening", flush=True)
n, end = 0, time.monotonic() + life
while time.monotonic() < end:
    try:
        s.accept()[0].close(); n += 1
    except socket.timeout:
        pass
print("accepted", n, flush=True)
`

// start runs a command for the test; killed and reaped at cleanup.
func start(t *testing.T, name string, args ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot run %s: %v", name, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, bufio.NewReader(out)
}

func server(t *testing.T, host string, port uint16, delay string) (*exec.Cmd, *bufio.Reader) {
	return start(t, "/usr/bin/python3", "-c", pyServer, host, strconv.Itoa(int(port)), delay)
}

func TestWaitHeldDescendant(t *testing.T) {
	port := leasePort(t)
	ap := lo(port)
	// sh starts the server as its child: the server is sh's child, the
	// test's grandchild.
	sh, out := start(t, "sh", "-c", `"$@" & wait`, "sh", "/usr/bin/python3", "-c", pyServer,
		"127.0.0.1", strconv.Itoa(int(port)), "0.2")
	if err := WaitHeld(ap, sh.Process.Pid, true, 10*time.Second); err != nil {
		t.Fatalf("through the descendant: %v", err)
	}
	if line, _ := out.ReadString('\n'); line != "listening\n" {
		t.Fatalf("met before the server listened: %q", line)
	}
	if err := WaitHeld(ap, sh.Process.Pid, false, 300*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("sh itself holds no listener: %v", err)
	}
	if err := WaitHeld(ap, os.Getpid(), true, 0); err != nil {
		t.Fatalf("the test's own tree: %v", err)
	}
}

func TestWaitHeldStaleServer(t *testing.T) {
	port := leasePort(t)
	ap := lo(port)
	other, _ := start(t, "sleep", "10")
	ln, err := net.Listen("tcp", ap.String()) // the stale server: this process
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := WaitAccepting(ap, 0); err != nil {
		t.Fatalf("the stale server accepts: %v", err)
	}
	begin := time.Now()
	if err := WaitHeld(ap, other.Process.Pid, true, 400*time.Millisecond); !errors.Is(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("stale server: %v", err)
	}
	if d := time.Since(begin); d < 400*time.Millisecond {
		t.Fatalf("timed out early, after %v", d)
	}
	if err := WaitHeld(ap, os.Getpid(), false, 0); err != nil {
		t.Fatalf("our own listener: %v", err)
	}
}

func TestWaitHeldDualStack(t *testing.T) {
	port := leasePort(t)
	srv, out := server(t, "::", port, "0")
	if line, _ := out.ReadString('\n'); line != "listening\n" {
		t.Skipf("no IPv6 listener here: %q", line)
	}
	for _, a := range []string{"127.0.0.1", "::1"} {
		ap := netip.AddrPortFrom(netip.MustParseAddr(a), port)
		if err := WaitHeld(ap, srv.Process.Pid, false, 10*time.Second); err != nil {
			t.Errorf("dual-stack [::] for %s: %v", a, err)
		}
	}
}

func TestWaitHeldProcessGone(t *testing.T) {
	ap := lo(leasePort(t))
	// Exits after 0.3 s and stays a zombie until cleanup reaps it.
	dying, _ := start(t, "sleep", "0.3")
	begin := time.Now()
	if err := WaitHeld(ap, dying.Process.Pid, true, 30*time.Second); !errors.Is(err, ErrNotFound) {
		t.Fatalf("exiting process: %v", err)
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Fatalf("returned after %v, not at once", d)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip(err)
	}
	if err := WaitHeld(ap, gone.Process.Pid, true, 30*time.Second); !errors.Is(err, ErrNotFound) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reaped process: %v", err)
	}
	if err := WaitHeld(ap, 1<<31-1, false, 30*time.Second); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pid 2^31-1: %v", err)
	}
}

func TestWaitHeldInvalid(t *testing.T) {
	ap := lo(leasePort(t))
	for _, pid := range []int{0, -1, 1 << 31, 1<<32 + 5} {
		if err := WaitHeld(ap, pid, true, 0); !errors.Is(err, ErrInvalid) {
			t.Errorf("pid %d: %v", pid, err)
		}
	}
	if err := WaitHeld(ap, os.Getpid(), true, -time.Second); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative timeout: %v", err)
	}
	if err := WaitHeld(netip.AddrPort{}, os.Getpid(), true, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("no address: %v", err)
	}
}

func TestWaitTimeoutLowerBound(t *testing.T) {
	ap := lo(leasePort(t))
	for i := 0; i < 3; i++ {
		begin := time.Now()
		if err := WaitAccepting(ap, 300*time.Millisecond); !errors.Is(err, ErrTimeout) {
			t.Fatal(err)
		}
		if d := time.Since(begin); d < 300*time.Millisecond {
			t.Fatalf("gave up after %v of 300 ms", d)
		}
	}
}

// Waiting for a server of this host does not connect to it, unless asked.
func TestWaitDoesNotConnect(t *testing.T) {
	for _, connect := range []bool{false, true} {
		port := leasePort(t)
		cmd, out := start(t, "/usr/bin/python3", "-c", pyServer, "127.0.0.1", strconv.Itoa(int(port)), "0.3", "1.5")
		ap := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
		var opts []WaitOption
		if connect {
			opts = append(opts, WaitConnect)
		}
		if err := WaitHeld(ap, cmd.Process.Pid, false, 5*time.Second, opts...); err != nil {
			t.Fatal(err)
		}
		out.ReadString('\n') // listening
		line, _ := out.ReadString('\n')
		var n int
		if _, err := fmt.Sscanf(line, "accepted %d", &n); err != nil || (connect != (n > 0)) {
			t.Errorf("connect=%v: %q %v", connect, line, err)
		}
	}
}
