// SPDX-License-Identifier: MIT

package loopback

import (
	"fmt"
	"os"
	"testing"
)

func TestEphemeralRangeMatchesKernel(t *testing.T) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Skip("no Linux ip_local_port_range:", err)
	}
	var first, last uint16
	if _, err := fmt.Sscan(string(b), &first, &last); err != nil {
		t.Fatal(err)
	}
	r, err := EphemeralRange()
	if err != nil {
		t.Fatal(err)
	}
	if r != (PortRange{first, last}) {
		t.Fatalf("got %v, kernel says %d %d", r, first, last)
	}
	if !r.Contains(first) || !r.Contains(last) || r.Contains(first-1) || r.Contains(last+1) {
		t.Fatal("Contains at the edges")
	}
}
