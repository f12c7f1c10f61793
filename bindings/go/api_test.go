// SPDX-License-Identifier: MIT

package loopback

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// matches collects the first submatch of re over the files matching glob
// (test files left out).
func matches(t *testing.T, glob string, re *regexp.Regexp) map[string]bool {
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s: %v", glob, err)
	}
	names := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			names[m[1]] = true
		}
	}
	return names
}

// headerFunctions lists the functions the public headers export.
func headerFunctions(t *testing.T) map[string]bool {
	return matches(t, "../../include/loopback/*.h", regexp.MustCompile(`LB_EXPORT[^;(]*?\b(lb_\w+)\s*\(`))
}

// boundFunctions lists the C functions this package calls.
func boundFunctions(t *testing.T) map[string]bool {
	return matches(t, "*.go", regexp.MustCompile(`\bC\.(lb_\w+)\(`))
}

func TestOnlyHeaderFunctionsAreCalled(t *testing.T) {
	declared, bound := headerFunctions(t), boundFunctions(t)
	if len(bound) < 5 {
		t.Fatalf("found only %d bound functions", len(bound))
	}
	for name := range bound {
		if !declared[name] {
			t.Errorf("%s is called but not declared in include/loopback/*.h", name)
		}
	}
}

// Functions Go's standard library does natively: net.TCPAddr and
// net.UDPAddr carry the zone, and the net package makes sockaddrs itself.
var leftToGo = map[string]bool{
	"lb_addr_to_sockaddr":       true,
	"lb_addr_from_sockaddr":     true,
	"lb_endpoint_to_sockaddr":   true,
	"lb_endpoint_from_sockaddr": true,
}

func TestEveryHeaderFunctionIsBound(t *testing.T) {
	declared, bound := headerFunctions(t), boundFunctions(t)
	var missing []string
	for name := range declared {
		if !bound[name] && !leftToGo[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Skip("not bound yet: " + strings.Join(missing, ", "))
	}
}
