// SPDX-License-Identifier: MIT

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"libloopback.invalid/loopback"
)

func get(t *testing.T, url string) map[string]interface{} {
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var m map[string]interface{}
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestServeInProcess(t *testing.T) {
	ln, err := loopback.Listen(nil, netip.Addr{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve(ln, 1) }()
	m := get(t, "http://"+ln.Addr().String()+"/x")
	if int(m["port"].(float64)) != ln.Addr().(*net.TCPAddr).Port || int(m["pid"].(float64)) != os.Getpid() ||
		m["path"] != "/x" {
		t.Fatalf("answer %v", m)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// The built program: prints its URL, serves one request, leases its own
// port, and the lease is gone when it exits.
func TestProgram(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "devserver")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-requests", "1")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.Fields(line)[2]
	ap := netip.MustParseAddrPort(strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	r, _ := loopback.EphemeralRange()
	if r.Contains(ap.Port()) {
		t.Errorf("port %d is in the ephemeral range %v", ap.Port(), r)
	}
	m := get(t, url)
	holders := m["lease_holders"].([]interface{})
	if int(m["pid"].(float64)) != cmd.Process.Pid || len(holders) != 1 ||
		int(holders[0].(float64)) != cmd.Process.Pid {
		t.Fatalf("answer %v, server pid %d", m, cmd.Process.Pid)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	// Another process may lease the port at once: only the server's lease
	// must be gone.
	if holders, err := loopback.LeaseHolders(ap.Port(), loopback.TCP); err == nil {
		for _, pid := range holders {
			if pid == cmd.Process.Pid {
				t.Fatal("the lease outlived the server")
			}
		}
	} else if !errors.Is(err, loopback.ErrNotFound) {
		t.Fatal(err)
	}
}
