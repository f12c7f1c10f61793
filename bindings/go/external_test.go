// SPDX-License-Identifier: MIT

package loopback

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestExternalModule does what README.md tells a Go module outside this
// repository to do: a replace directive to this directory, cgo enabled,
// pkg-config finding libloopback (PKG_CONFIG_PATH as the test has it),
// and no module proxy.
func TestExternalModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second module")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Skipf("no go command at %s", goBin)
	}
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/uses-loopback\n\ngo 1.19\n\n" +
			"require libloopback.invalid/loopback v0.0.0\n\n" +
			"replace libloopback.invalid/loopback => " + here + "\n",
		"use.go": `package uses

import (
	"net/netip"

	"libloopback.invalid/loopback"
)

// ServeAddr picks a leased port and returns where to serve on it.
func ServeAddr() (netip.AddrPort, *loopback.Lease, error) {
	l, err := loopback.Pick(nil)
	if err != nil {
		return netip.AddrPort{}, nil, err
	}
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), l.Port()), l, nil
}
`,
		"use_test.go": `package uses

import (
	"errors"
	"testing"

	"libloopback.invalid/loopback"
)

func TestUse(t *testing.T) {
	ap, l, err := ServeAddr()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	c, err := loopback.CheckBind(ap, loopback.TCP)
	if err != nil || !c.Bindable() {
		t.Fatalf("%v %v", c, err)
	}
	if _, err := loopback.ParseEndpoint("1.2.3:80"); !errors.Is(err, loopback.ErrSyntax) {
		t.Fatal(err)
	}
	t.Logf("libloopback %s, port %d", loopback.Version(), ap.Port())
}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goBin, "test", "-count=1", "-v", "./...")
	cmd.Dir = dir
	env := []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=1", "GOWORK=off",
		"GOPATH=" + filepath.Join(dir, "gopath")}
	if os.Getenv("GOCACHE") == "" {
		env = append(env, "GOCACHE="+filepath.Join(dir, "gocache"))
	}
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUse") {
		t.Fatalf("go test in an outside module: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
