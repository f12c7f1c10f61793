// SPDX-License-Identifier: MIT

package loopback

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// What the C functions do, in the words of an error message
// ("loopback: wait 127.0.0.1:8080: timed out", not "lb_wait: Timed out").
var opTexts = map[string]string{
	"lb_wait":                 "wait",
	"lb_wait_held":            "wait",
	"lb_port_pick":            "pick",
	"lb_check_bind":           "check bind",
	"lb_check_reason":         "check bind",
	"lb_check_lease_holders":  "check bind",
	"lb_socket_list_get":      "list sockets",
	"lb_query_new":            "list sockets",
	"lb_socket_owner_error":   "owners",
	"lb_owner_error":          "owner",
	"lb_lease_listen":         "listen",
	"lb_lease_fd":             "lease fd",
	"lb_lease_set_inherit":    "lease inherit",
	"lb_lease_holders":        "lease holders",
	"lb_resolve":              "resolve",
	"lb_addr_list_addr":       "resolve",
	"lb_addr_parse":           "parse address",
	"lb_endpoint_parse":       "parse endpoint",
	"lb_host_parse":           "parse host",
	"lb_addr_format":          "format address",
	"lb_endpoint_format":      "format endpoint",
	"lb_addr_classify":        "classify address",
	"lb_endpoint_classify":    "classify endpoint",
	"lb_addr_equal":           "compare addresses",
	"lb_port_ephemeral_range": "ephemeral range",
	"lb_port_is_ephemeral":    "ephemeral range",
}

// opText turns an Op ("lb_wait_held (pid)") into words ("wait (pid)").
func opText(op string) string {
	name, rest := op, ""
	if i := strings.IndexByte(op, ' '); i >= 0 {
		name, rest = op[:i], op[i:]
	}
	if t, ok := opTexts[name]; ok {
		return t + rest
	}
	if strings.HasPrefix(name, "lb_query_set_") {
		return "query " + strings.ReplaceAll(strings.TrimPrefix(name, "lb_query_set_"), "_", " ") + rest
	}
	return strings.ReplaceAll(strings.TrimPrefix(name, "lb_"), "_", " ") + rest
}

// lowerFirst lower-cases a sentence's first letter, as Go error strings
// are written, but not an acronym's ("IPv6 ...", "TCP ...").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
