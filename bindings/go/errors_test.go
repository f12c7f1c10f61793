// SPDX-License-Identifier: MIT

package loopback

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

var sentinels = map[Errno]string{
	ErrInvalid:          "LB_EINVAL",
	ErrNoMemory:         "LB_ENOMEM",
	ErrSyntax:           "LB_ESYNTAX",
	ErrRange:            "LB_ERANGE",
	ErrNoSpace:          "LB_ENOSPC",
	ErrNotFound:         "LB_ENOENT",
	ErrPermission:       "LB_EPERM",
	ErrIO:               "LB_EIO",
	ErrNotSupported:     "LB_ENOTSUP",
	ErrAddrInUse:        "LB_EADDRINUSE",
	ErrAddrNotAvailable: "LB_EADDRNOTAVAIL",
	ErrAccess:           "LB_EACCES",
	ErrTimeout:          "LB_ETIMEDOUT",
	ErrExhausted:        "LB_EEXHAUSTED",
	ErrLeased:           "LB_ELEASED",
	ErrResolve:          "LB_ERESOLVE",
	ErrAFNotSupported:   "LB_EAFNOSUPPORT",
	ErrBadData:          "LB_EBADDATA",
	ErrNoBackend:        "LB_ENOBACKEND",
	ErrNotVisible:       "LB_ENOTVISIBLE",
	ErrExited:           "LB_EEXITED",
	ErrNotRequested:     "LB_ENOTREQUESTED",
	ErrTooManyFiles:     "LB_EMFILE",
}

// Every code the C library names has a sentinel with that name, and no more.
func TestSentinelsMatchLibrary(t *testing.T) {
	n := 0
	for code := Errno(-1); code.Name() != ""; code-- {
		n++
		want, ok := sentinels[code]
		if !ok {
			t.Fatalf("code %d (%s) has no sentinel: add it to errors.go", int(code), code.Name())
		}
		if code.Name() != want {
			t.Errorf("code %d: library names it %s, the sentinel table %s", int(code), code.Name(), want)
		}
	}
	if n != len(sentinels) || n < 22 {
		t.Fatalf("library knows %d codes, the binding %d", n, len(sentinels))
	}
	if Errno(0).Name() != "LB_OK" || Errno(1).Name() != "" || Errno(-1000).Name() != "" {
		t.Fatal("names of 0, 1, -1000")
	}
	if Errno(-1000).Error() != "unknown error" {
		t.Fatal(Errno(-1000).Error())
	}
}

func TestErrorsIs(t *testing.T) {
	err := check("lb_something", -13)
	var e *Error
	if !errors.As(err, &e) || e.Op != "lb_something" || e.Code != ErrTimeout {
		t.Fatalf("errors.As: %#v", err)
	}
	if !errors.Is(err, ErrTimeout) || errors.Is(err, ErrLeased) {
		t.Fatal("errors.Is against sentinels")
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("timeout is os.ErrDeadlineExceeded")
	}
	if err.Error() != "loopback: something: timed out" {
		t.Fatalf("message %q", err.Error())
	}
	if !errors.Is(check("x", -7), fs.ErrPermission) || !errors.Is(check("x", -12), fs.ErrPermission) {
		t.Fatal("EPERM/EACCES are fs.ErrPermission")
	}
	if !errors.Is(check("x", -6), fs.ErrNotExist) || errors.Is(check("x", -10), fs.ErrNotExist) {
		t.Fatal("ENOENT is fs.ErrNotExist, nothing else")
	}
	if check("x", 0) != nil || check("x", 5) != nil {
		t.Fatal("non-negative is success")
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatal("Timeout() through errors.As")
	}
}

func TestParseErrorUnwraps(t *testing.T) {
	var err error = &ParseError{Op: "lb_endpoint_parse", Input: "1.2.3:80", Offset: 5,
		Reason: "bad IPv4 address", Code: ErrSyntax}
	if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrRange) {
		t.Fatal("errors.Is on ParseError")
	}
	want := `loopback: parse endpoint "1.2.3:80": bad IPv4 address at offset 5`
	if err.Error() != want {
		t.Fatalf("got %q", err.Error())
	}
}
