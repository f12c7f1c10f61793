// SPDX-License-Identifier: MIT

package loopback

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
)

// Ports for tests come from leaseFor (or leasePort): picked by the library
// outside the ephemeral range and leased by this process until the test
// ends. Never port 0 (the ephemeral range, where any program's outgoing
// connections and their TIME-WAITs live) nor a fixed port (another run of
// the suite may hold it).

// leaseFor picks and leases ports as opts says, released at the end of t.
func leaseFor(t *testing.T, opts *PickOptions) *Lease {
	t.Helper()
	l, err := Pick(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Release)
	return l
}

// leasePort is one TCP port, free on IPv4 and IPv6, leased until the end of t.
func leasePort(t *testing.T) uint16 {
	t.Helper()
	return leaseFor(t, nil).Port()
}

// heldBy reports whether any of pids holds a lease on port. After a test
// releases a port another run may lease it at once: tests check that their
// own processes no longer hold it, not that nobody does.
func heldBy(t *testing.T, port uint16, proto Protocol, pids ...int) bool {
	t.Helper()
	holders, err := LeaseHolders(port, proto)
	if errors.Is(err, ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatalf("holders of %d: %v", port, err)
	}
	for _, h := range holders {
		for _, p := range pids {
			if h == p {
				return true
			}
		}
	}
	return false
}

// fileInode is the inode of a socket this test made (as the table lists it).
func fileInode(t *testing.T, f interface{ File() (*os.File, error) }) uint64 {
	t.Helper()
	file, err := f.File()
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(file.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// TestMain runs the tests, or, with LB_HELPER set, is a helper process
// for them: "lease" picks a port, prints it and holds the lease until
// stdin closes; "1" is socketHelper.
func TestMain(m *testing.M) {
	switch os.Getenv("LB_HELPER") {
	case "":
		os.Exit(m.Run())
	case "1":
		socketHelper()
	case "lease":
		l, err := Pick(nil)
		if err != nil {
			os.Exit(3)
		}
		fmt.Println(l.Port())
		io.Copy(io.Discard, os.Stdin)
		l.Release()
		os.Exit(0)
	}
	os.Exit(2)
}
