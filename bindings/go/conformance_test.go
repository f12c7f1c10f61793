// SPDX-License-Identifier: MIT

package loopback

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
)

// tests/data/endpoint-conformance.tsv through the Go binding. The same
// table runs through the C tool (tests/cli/test-parse-conformance.sh) and
// the Python binding (bindings/python/tests/test_conformance.py): every
// row gives exactly its EXPECTED batch line in all three.

const conformanceTable = "../../tests/data/endpoint-conformance.tsv"

type conformanceRow struct {
	line                  int
	mode, input, expected string
}

// unescape decodes the table's escapes: \\ \t \r \xHH; any other is an error.
func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("trailing backslash in %q", s)
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("short \\x escape in %q", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil || strings.ContainsAny(s[i+1:i+3], "+-") {
				return "", fmt.Errorf("bad \\x escape in %q", s)
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("bad escape \\%c in %q", s[i], s)
		}
	}
	return b.String(), nil
}

func loadConformance(t *testing.T) []conformanceRow {
	data, err := os.ReadFile(conformanceTable)
	if err != nil {
		t.Fatal(err)
	}
	var rows []conformanceRow
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || (f[0] != "addr" && f[0] != "endpoint") {
			t.Fatalf("line %d: malformed row %q", n+1, line)
		}
		in, err := unescape(f[1])
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		rows = append(rows, conformanceRow{n + 1, f[0], in, f[2]})
	}
	return rows
}

// batchLine is what `loopback parse --batch=MODE` prints for in.
func batchLine(mode, in string) string {
	var err error
	if mode == "addr" {
		var a netip.Addr
		if a, err = ParseAddr(in); err == nil {
			var text string
			if text, err = FormatAddr(a); err == nil {
				return "ok\t" + text
			}
		}
	} else {
		var e Endpoint
		if e, err = ParseEndpoint(in); err == nil {
			return fmt.Sprintf("ok\t%s\t%d", e.Host, e.Port)
		}
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("err\t%d\t%s", pe.Offset, pe.Reason)
	}
	return "unexpected error: " + err.Error()
}

func TestUnescape(t *testing.T) {
	got, err := unescape(`a\\b\t\r\x00\xffz`)
	if err != nil || got != "a\\b\t\r\x00\xffz" {
		t.Fatalf("%q %v", got, err)
	}
	for _, bad := range []string{`\n`, `\x1`, `\x`, `\`, `\q`, `\x+1`} {
		if _, err := unescape(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestConformance(t *testing.T) {
	rows := loadConformance(t)
	if len(rows) < 300 {
		t.Fatalf("only %d rows", len(rows))
	}
	for _, r := range rows {
		r := r
		t.Run(fmt.Sprintf("line%d", r.line), func(t *testing.T) {
			if got := batchLine(r.mode, r.input); got != r.expected {
				t.Errorf("%s %q: got %q, want %q", r.mode, r.input, got, r.expected)
			}
		})
	}
}

// format(parse(x)) parses to the same value for every accepted row, and
// netip agrees with the library on every address both accept.
func TestConformanceRoundTrip(t *testing.T) {
	for _, r := range loadConformance(t) {
		if !strings.HasPrefix(r.expected, "ok") {
			continue
		}
		if r.mode == "addr" {
			a, _ := ParseAddr(r.input)
			text, err := FormatAddr(a)
			if b, err2 := ParseAddr(text); err != nil || err2 != nil || b != a {
				t.Errorf("line %d: %v -> %q -> %v (%v %v)", r.line, a, text, b, err, err2)
			}
			if std, err := netip.ParseAddr(r.input); err == nil && std != a {
				t.Errorf("line %d: netip %v, library %v", r.line, std, a)
			}
			continue
		}
		e, _ := ParseEndpoint(r.input)
		if again, err := ParseEndpoint(e.String()); err != nil || again != e {
			t.Errorf("line %d: %+v -> %q -> %+v %v", r.line, e, e.String(), again, err)
		}
	}
}
