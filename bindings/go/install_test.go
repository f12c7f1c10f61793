// SPDX-License-Identifier: MIT

package loopback

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// installedPrefix is a meson install of this source tree under its own
// prefix: $LB_INSTALL_PREFIX when the CI step made one, else one made here.
func installedPrefix(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LB_INSTALL_PREFIX"); p != "" {
		return p
	}
	if testing.Short() {
		t.Skip("-short: no meson install under a prefix (set LB_INSTALL_PREFIX to use one)")
	}
	if _, err := exec.LookPath("meson"); err != nil {
		t.Skip("no meson to install the library under a prefix")
	}
	dir := t.TempDir()
	source, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "prefix")
	for _, args := range [][]string{
		{"setup", filepath.Join(dir, "build"), source, "--prefix=" + prefix, "-Dtests=false", "-Dman=false"},
		{"install", "-C", filepath.Join(dir, "build"), "--quiet"},
	} {
		if out, err := exec.Command("meson", args...).CombinedOutput(); err != nil {
			t.Fatalf("meson %v: %v\n%s", args, err, out)
		}
	}
	return prefix
}

// withoutEnv is os.Environ() without the named variables, plus extra.
func withoutEnv(drop []string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		keep := true
		for _, d := range drop {
			if strings.HasPrefix(kv, d+"=") {
				keep = false
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

const installedProgram = `package main

import (
	"fmt"
	"os"
	"strings"

	"libloopback.invalid/loopback"
)

func main() {
	maps, _ := os.ReadFile("/proc/self/maps")
	for _, line := range strings.Split(string(maps), "\n") {
		if f := strings.Fields(line); len(f) == 6 && strings.Contains(f[5], "libloopback.so") {
			fmt.Println(loopback.Version(), f[5])
			return
		}
	}
	fmt.Println(loopback.Version(), "no libloopback mapped")
}
`

// After meson install under a prefix, a program using the binding builds
// with that prefix's loopback.pc on PKG_CONFIG_PATH alone, and runs with the
// pkg-config libdir as its run path (as the README says), with no
// LD_LIBRARY_PATH: the library it loads is the installed one.
func TestInstalledPrefixThroughPkgConfig(t *testing.T) {
	prefix := installedPrefix(t)
	pcs, _ := filepath.Glob(filepath.Join(prefix, "lib*", "*", "pkgconfig", "loopback.pc"))
	more, _ := filepath.Glob(filepath.Join(prefix, "lib*", "pkgconfig", "loopback.pc"))
	pcs = append(pcs, more...)
	if len(pcs) != 1 {
		t.Fatalf("loopback.pc under %s: %v", prefix, pcs)
	}
	pcPath := "PKG_CONFIG_PATH=" + filepath.Dir(pcs[0])
	env := withoutEnv([]string{"LD_LIBRARY_PATH", "PKG_CONFIG_PATH", "CGO_LDFLAGS"}, pcPath)
	cmd := exec.Command("pkg-config", "--variable=libdir", "loopback")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pkg-config: %v", err)
	}
	libdir := strings.TrimSpace(string(out))
	if !strings.HasPrefix(libdir, prefix+"/") {
		t.Fatalf("libdir %q is not under %s", libdir, prefix)
	}

	binding, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	files := map[string]string{
		"go.mod": "module installcheck\n\ngo 1.19\n\nrequire libloopback.invalid/loopback v0.0.0\n\n" +
			"replace libloopback.invalid/loopback => " + binding + "\n",
		"main.go": installedProgram,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(mod, "installcheck")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = mod
	build.Env = withoutEnv([]string{"LD_LIBRARY_PATH", "PKG_CONFIG_PATH", "CGO_LDFLAGS", "GOFLAGS"},
		pcPath, "CGO_LDFLAGS=-Wl,-rpath,"+libdir, "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Env = withoutEnv([]string{"LD_LIBRARY_PATH"})
	out, err = run.Output()
	if err != nil {
		t.Fatalf("%s: %v", bin, err)
	}
	got := strings.Fields(string(out))
	if len(got) != 2 || got[0] != Version() || !strings.HasPrefix(got[1], libdir+"/") {
		t.Fatalf("the installed program says %q; want version %s from %s", out, Version(), libdir)
	}
}
