// SPDX-License-Identifier: MIT

package loopback

import (
	"fmt"
	"testing"
)

func TestVersion(t *testing.T) {
	n := VersionNumber()
	want := fmt.Sprintf("%d.%d.%d", n>>16, (n>>8)&0xff, n&0xff)
	if Version() != want {
		t.Fatalf("Version() %q, VersionNumber() says %q", Version(), want)
	}
	if Version() != HeaderVersion {
		t.Fatalf("run-time library %s, headers %s", Version(), HeaderVersion)
	}
}
