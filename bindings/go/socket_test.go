// SPDX-License-Identifier: MIT

package loopback

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func useMock(t *testing.T) {
	t.Setenv("LOOPBACK_BACKEND", "mock")
	path, err := filepath.Abs("../../tests/data/sock-mock-basic.txt")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LOOPBACK_MOCK_FILE", path)
	// The mock backend exists in test builds only (-Dtest_doubles=true).
	if _, err := Sockets(nil); errors.Is(err, ErrNoBackend) {
		t.Skip("the library was built without the mock backend (-Dtest_doubles=true)")
	}
}

func localPorts(socks []Socket) []uint16 {
	out := []uint16{}
	for _, s := range socks {
		out = append(out, s.Local.Port())
	}
	return out
}

func TestSocketsMockEveryField(t *testing.T) {
	useMock(t)
	l, err := Sockets(nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Backend != "mock" || len(l.Sockets) != 8 {
		t.Fatalf("backend %q, %d sockets", l.Backend, len(l.Sockets))
	}
	want := []uint16{8080, 8443, 9000, 5432, 5432, 40001, 5353, 53}
	if got := localPorts(l.Sockets); !reflect.DeepEqual(got, want) {
		t.Fatalf("ports %v", got)
	}
	node := l.Sockets[0]
	if node.Protocol != TCP || node.Family != FamilyIPv4 || node.State != StateListen ||
		node.StateName != "LISTEN" || node.Local != netip.MustParseAddrPort("0.0.0.0:8080") ||
		node.Remote.IsValid() || node.UID != 1000 || node.Inode != 5001 || node.TxQueue != 128 ||
		node.OwnerErr != nil {
		t.Errorf("node socket: %+v", node)
	}
	wantOwner := Owner{PID: 4242, Name: "node", Cmdline: "node server.js --port 8080",
		Argv: []string{"node", "server.js", "--port", "8080"}, Exe: "/usr/bin/node", UID: 1000, User: "dev", StartTime: time.UnixMilli(1763880000000)}
	if !reflect.DeepEqual(node.Owners[0], wantOwner) || !reflect.DeepEqual(node.PIDs(), []int{4242, 4243}) {
		t.Errorf("owners: %+v", node.Owners)
	}
	v6 := l.Sockets[2]
	if v6.Family != FamilyIPv6 || v6.V6Only != 1 || v6.Local.Addr() != netip.MustParseAddr("::1") {
		t.Errorf("v6: %+v", v6)
	}
	if o := v6.Owners[0]; o.PID != 4300 || o.Cmdline != "" || !errors.Is(o.Err, ErrPermission) {
		t.Errorf("hidden owner: %+v", o)
	}
	est := l.Sockets[4]
	if est.StateName != "ESTAB" || est.Remote != netip.MustParseAddrPort("127.0.0.1:40000") || est.RxQueue != 12 {
		t.Errorf("established: %+v", est)
	}
	if tw := l.Sockets[5]; tw.StateName != "TIME-WAIT" || tw.Inode != 0 || len(tw.Owners) != 0 {
		t.Errorf("time-wait: %+v", tw)
	}
	if u := l.Sockets[6]; u.Protocol != UDP || u.StateName != "UNCONN" || !errors.Is(u.OwnerErr, ErrPermission) {
		t.Errorf("udp: %+v", u)
	}
}

func TestSocketsMockFilters(t *testing.T) {
	useMock(t)
	uid := uint32(105)
	cases := []struct {
		q    Query
		want []uint16
	}{
		{Query{Protocols: UDP}, []uint16{5353, 53}},
		{Query{Families: []Family{FamilyIPv6}}, []uint16{8443, 9000}},
		{Query{Protocols: TCP, States: []State{StateListen}}, []uint16{8080, 8443, 9000, 5432}},
		{Query{LocalAddr: netip.MustParseAddr("127.0.0.1")}, []uint16{5432, 5432, 40001}},
		{Query{Remote: netip.MustParseAddrPort("127.0.0.1:5432")}, []uint16{40001}},
		{Query{UID: &uid}, []uint16{5432, 5432}},
		{Query{PID: 900}, []uint16{5432}},
		{Query{PID: 4242, Descendants: true}, []uint16{8080, 9000}},
	}
	for _, c := range cases {
		l, err := Sockets(&c.q)
		if err != nil {
			t.Errorf("%+v: %v", c.q, err)
			continue
		}
		if got := localPorts(l.Sockets); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
		}
	}
	l, err := Sockets(&Query{Owners: OwnersNone})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range l.Sockets {
		if len(s.Owners) != 0 {
			t.Errorf("owners not asked for: %+v", s)
		}
	}
	socks, err := Who(5432)
	if err != nil || !reflect.DeepEqual(localPorts(socks), []uint16{5432, 5432}) {
		t.Errorf("Who(5432): %v %v", socks, err)
	}
}

func TestSocketsBadArguments(t *testing.T) {
	useMock(t)
	bad := []Query{
		{Families: []Family{FamilyAny}},
		{Protocols: 4},
		{States: []State{0}},
		{PID: -1},
		{Owners: OwnerMode(0), NetnsPath: "/nonexistent/netns"},
	}
	for i, q := range bad[:4] {
		if _, err := Sockets(&q); !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	t.Setenv("LOOPBACK_BACKEND", "")
	if _, err := Sockets(&bad[4]); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing namespace: %v", err)
	}
}

// socketHelper is the helper process (LB_HELPER=1, see TestMain): it
// listens on 127.0.0.1, on the first port of LB_HELPER_PORTS (leased by the
// test), and with LB_HELPER_CHILD=1 starts a child that does the same on
// the second; prints "port pid" lines, and waits for stdin to close.
func socketHelper() {
	ports := strings.Fields(os.Getenv("LB_HELPER_PORTS"))
	if len(ports) == 0 {
		os.Exit(5)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+ports[0])
	if err != nil {
		os.Exit(3)
	}
	fmt.Printf("%d %d\n", ln.Addr().(*net.TCPAddr).Port, os.Getpid())
	var kid *exec.Cmd
	if os.Getenv("LB_HELPER_CHILD") == "1" {
		kid = exec.Command(os.Args[0])
		kid.Env = append(os.Environ(), "LB_HELPER_CHILD=0", "LB_HELPER_PORTS="+strings.Join(ports[1:], " "))
		kid.Stdin = os.Stdin
		kid.Stdout = os.Stdout
		if kid.Start() != nil {
			os.Exit(4)
		}
	}
	io.Copy(io.Discard, os.Stdin)
	ln.Close()
	if kid != nil {
		kid.Wait()
	}
	os.Exit(0)
}

// startHelpers starts a helper with a child, on two ports leased for the
// test; returns {port: pid} for both.
func startHelpers(t *testing.T) (*exec.Cmd, map[uint16]int) {
	l := leaseFor(t, &PickOptions{Count: 2})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "LB_HELPER=1", "LB_HELPER_CHILD=1",
		fmt.Sprintf("LB_HELPER_PORTS=%d %d", l.Ports()[0], l.Ports()[1]))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	got := map[uint16]int{}
	r := bufio.NewReader(stdout)
	for len(got) < 2 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("helper: %v", err)
		}
		f := strings.Fields(line)
		port, _ := strconv.Atoi(f[0])
		pid, _ := strconv.Atoi(f[1])
		got[uint16(port)] = pid
	}
	return cmd, got
}

func TestSocketsRealProcesses(t *testing.T) {
	for _, backend := range []string{"netlink", "procfs"} {
		t.Run(backend, func(t *testing.T) {
			t.Setenv("LOOPBACK_BACKEND", backend)
			// Our own listener: owned by this test process, on a port it
			// leased (nobody else's socket is on it), known by its inode.
			port := leasePort(t)
			ln, err := net.Listen("tcp", lo(port).String())
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			inode := fileInode(t, ln.(*net.TCPListener))
			l, err := Sockets(&Query{Protocols: TCP, LocalPort: port})
			if err != nil {
				t.Fatal(err)
			}
			if l.Backend != backend || len(l.Sockets) != 1 || l.Sockets[0].Inode != inode {
				t.Fatalf("backend %q, inode %d: %+v", l.Backend, inode, l.Sockets)
			}
			s := l.Sockets[0]
			exe, _ := os.Executable()
			if s.State != StateListen || s.Local != netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port) ||
				!reflect.DeepEqual(s.PIDs(), []int{os.Getpid()}) || s.Owners[0].Exe != exe ||
				s.UID != uint32(os.Geteuid()) {
				t.Errorf("own listener: %+v", s)
			}
			if st := s.Owners[0].StartTime; time.Since(st) > 10*time.Minute || time.Since(st) < 0 {
				t.Errorf("start time %v", st)
			}

			// A helper and its child: PortsOf with and without descendants.
			cmd, helpers := startHelpers(t)
			parent := cmd.Process.Pid
			mine, err := PortsOf(parent, false)
			if err != nil {
				t.Fatal(err)
			}
			var childPort uint16
			for p, pid := range helpers {
				if pid != parent {
					childPort = p
				}
			}
			if len(mine) != 1 || helpers[mine[0].Local.Port()] != parent {
				t.Errorf("ports of %d: %+v (helpers %v)", parent, mine, helpers)
			}
			tree, err := PortsOf(parent, true)
			if err != nil {
				t.Fatal(err)
			}
			ports := localPorts(tree)
			sort.Slice(ports, func(i, j int) bool { return ports[i] < ports[j] })
			want := []uint16{}
			for p := range helpers {
				want = append(want, p)
			}
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			if !reflect.DeepEqual(ports, want) {
				t.Errorf("tree of %d: %v, want %v", parent, ports, want)
			}
			who, err := Who(childPort)
			if err != nil || len(who) != 1 || !reflect.DeepEqual(who[0].PIDs(), []int{helpers[childPort]}) {
				t.Errorf("Who(%d): %+v %v", childPort, who, err)
			}
		})
	}
}

// OwnerErr: nil with owners listed, ErrNotRequested when they were not
// asked for, ErrNotVisible from a PID namespace of its own (root).
func TestSocketsOwnerErr(t *testing.T) {
	ln, err := Listen(nil, netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	for _, mode := range []OwnerMode{OwnersDefault, OwnersNone} {
		l, err := Sockets(&Query{Protocols: TCP, LocalPort: port, Owners: mode})
		if err != nil || len(l.Sockets) != 1 {
			t.Fatalf("mode %v: %v %+v", mode, err, l.Sockets)
		}
		s := l.Sockets[0]
		if mode == OwnersDefault && (s.OwnerErr != nil || !reflect.DeepEqual(s.PIDs(), []int{os.Getpid()}) ||
			!reflect.DeepEqual(s.Owners[0].Argv, os.Args)) {
			t.Errorf("owners listed: %+v", s)
		}
		if mode == OwnersNone && (len(s.Owners) != 0 || !errors.Is(s.OwnerErr, ErrNotRequested)) {
			t.Errorf("owners not requested: %+v", s)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("not visible: needs root for a PID namespace")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("no unshare")
	}
	// The same query from a PID namespace of its own: this process is not
	// in its /proc. The test binary reruns itself there.
	if os.Getenv("LB_GO_OWNERERR_CHILD") != "" {
		return
	}
	exe, _ := os.Executable()
	cmd := exec.Command("unshare", "-p", "-f", "-m", "--mount-proc", exe,
		"-test.run", "^TestOwnerErrChild$", "-test.v")
	cmd.Env = append(os.Environ(), "LB_GO_OWNERERR_CHILD="+strconv.Itoa(int(port)))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "owner error: LB_ENOTVISIBLE") {
		t.Errorf("from its own PID namespace: %v\n%s", err, out)
	}
}

// The child half of TestSocketsOwnerErr (does nothing on its own).
func TestOwnerErrChild(t *testing.T) {
	v := os.Getenv("LB_GO_OWNERERR_CHILD")
	if v == "" {
		t.Skip("run by TestSocketsOwnerErr")
	}
	port, _ := strconv.Atoi(v)
	l, err := Sockets(&Query{Protocols: TCP, LocalPort: uint16(port)})
	if err != nil || len(l.Sockets) != 1 {
		t.Fatalf("%v %+v", err, l.Sockets)
	}
	var e *Error
	if errors.As(l.Sockets[0].OwnerErr, &e) {
		t.Logf("owner error: %s", e.Code.Name())
	} else {
		t.Logf("owner error: %v", l.Sockets[0].OwnerErr)
	}
}

// OwnerScan: a forced /proc scan and a forced BPF scan (when this host and
// user may run it) name the same holders, and the list says which ran.
func TestSocketsOwnerScan(t *testing.T) {
	cmd, helpers := startHelpers(t)
	_ = cmd
	var port uint16
	for p := range helpers {
		port = p
	}
	q := Query{Protocols: TCP, LocalPort: port, Owners: OwnersAll, OwnerScan: OwnerScanProc}
	proc, err := Sockets(&q)
	if err != nil || proc.OwnerScan != "proc" || len(proc.Sockets) != 1 {
		t.Fatalf("proc scan: %+v %v", proc, err)
	}
	q.OwnerScan = OwnerScanBPF
	bpf, err := Sockets(&q)
	if errors.Is(err, ErrPermission) || errors.Is(err, ErrNotSupported) {
		t.Skipf("the BPF owner scan cannot run here: %v", err)
	}
	if err != nil || bpf.OwnerScan != "bpf" || len(bpf.Sockets) != 1 ||
		!reflect.DeepEqual(bpf.Sockets[0].PIDs(), proc.Sockets[0].PIDs()) {
		t.Fatalf("bpf scan: %+v %v, proc %+v", bpf, err, proc)
	}
	none, err := Sockets(&Query{Protocols: TCP, LocalPort: port, Owners: OwnersNone})
	if err != nil || none.OwnerScan != "" {
		t.Errorf("no owners: %q %v", none.OwnerScan, err)
	}
	if _, err := Sockets(&Query{OwnerScan: OwnerScan(7)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("OwnerScan(7): %v", err)
	}
}
