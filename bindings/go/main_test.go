// SPDX-License-Identifier: MIT

package loopback

import (
	"fmt"
	"io"
	"os"
	"testing"
)

// TestMain runs the tests, or, with LB_HELPER set, is a helper process
// for them: "lease" picks a port, prints it and holds the lease until
// stdin closes.
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
