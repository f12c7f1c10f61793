// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

import "math"

// Go's conversions to C integer types keep the low bits: a pid of 1<<40
// would become 0 ("any process"), Protocol(1<<32|1) TCP. Every Go int
// that crosses into C goes through one of these, and a value the C type
// cannot hold is an ErrRange error instead.

func rangeError(op string) error { return &Error{Op: op + " (argument out of range)", Code: ErrRange} }

func cInt(op string, v int) (C.int, error) {
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, rangeError(op)
	}
	return C.int(v), nil
}

func cUint(op string, v int) (C.uint, error) {
	if v < 0 || uint64(v) > math.MaxUint32 {
		return 0, rangeError(op)
	}
	return C.uint(v), nil
}

func cUint32(op string, v int) (C.uint32_t, error) {
	if v < 0 || uint64(v) > math.MaxUint32 {
		return 0, rangeError(op)
	}
	return C.uint32_t(v), nil
}

// inInt32 reports whether v fits a C int (for functions that return a
// name and no error: out of range is an unknown value).
func inInt32(v int) bool { return v >= math.MinInt32 && v <= math.MaxInt32 }
