// SPDX-License-Identifier: MIT

package loopback

/*
#cgo pkg-config: loopback
#include <loopback.h>
*/
import "C"

import (
	"io/fs"
	"os"
	"strconv"
)

// Errno is a negative LB_E* code of the C library. Its values are stable.
// The exported Err* sentinels are Errno values: compare with errors.Is.
type Errno int

// The error codes of <loopback/common.h>.
const (
	ErrInvalid          Errno = C.LB_EINVAL
	ErrNoMemory         Errno = C.LB_ENOMEM
	ErrSyntax           Errno = C.LB_ESYNTAX
	ErrRange            Errno = C.LB_ERANGE
	ErrNoSpace          Errno = C.LB_ENOSPC
	ErrNotFound         Errno = C.LB_ENOENT
	ErrPermission       Errno = C.LB_EPERM
	ErrIO               Errno = C.LB_EIO
	ErrNotSupported     Errno = C.LB_ENOTSUP
	ErrAddrInUse        Errno = C.LB_EADDRINUSE
	ErrAddrNotAvailable Errno = C.LB_EADDRNOTAVAIL
	ErrAccess           Errno = C.LB_EACCES
	ErrTimeout          Errno = C.LB_ETIMEDOUT
	ErrExhausted        Errno = C.LB_EEXHAUSTED
	ErrLeased           Errno = C.LB_ELEASED
	ErrResolve          Errno = C.LB_ERESOLVE
	ErrAFNotSupported   Errno = C.LB_EAFNOSUPPORT
	ErrBadData          Errno = C.LB_EBADDATA
	ErrNoBackend        Errno = C.LB_ENOBACKEND
	// Why a socket has no owner listed (Socket.OwnerErr), beside
	// ErrPermission: see lb_socket_owner_error().
	ErrNotVisible   Errno = C.LB_ENOTVISIBLE
	ErrExited       Errno = C.LB_EEXITED
	ErrNotRequested Errno = C.LB_ENOTREQUESTED
	ErrTooManyFiles Errno = C.LB_EMFILE
)

// Error returns lb_strerror() of the code as a Go error string: its first
// letter in lower case ("timed out", "address already in use").
func (e Errno) Error() string {
	if !inInt32(int(e)) {
		return "unknown error" // as lb_strerror() says for a code it does not know
	}
	return lowerFirst(C.GoString(C.lb_strerror(C.int(e))))
}

// Name returns lb_error_name() of the code ("LB_EINVAL"), or "" for a code
// the library does not know.
func (e Errno) Name() string {
	if !inInt32(int(e)) {
		return ""
	}
	n := C.lb_error_name(C.int(e))
	if n == nil {
		return ""
	}
	return C.GoString(n)
}

// Is makes the codes match the standard library's error values of the
// same meaning: fs.ErrPermission (LB_EPERM, LB_EACCES), fs.ErrNotExist
// (LB_ENOENT), os.ErrDeadlineExceeded (LB_ETIMEDOUT).
func (e Errno) Is(target error) bool {
	switch target {
	case fs.ErrPermission:
		return e == ErrPermission || e == ErrAccess
	case fs.ErrNotExist:
		return e == ErrNotFound
	case os.ErrDeadlineExceeded:
		return e == ErrTimeout
	}
	return false
}

// Timeout reports whether the error is LB_ETIMEDOUT (the net.Error way).
func (e Errno) Timeout() bool { return e == ErrTimeout }

// Error is an error returned by a function of the library: the operation,
// what it was applied to and the code. It reads as a Go error
// ("loopback: wait 127.0.0.1:8080: timed out"); errors.Is(err,
// loopback.ErrTimeout) looks through it.
type Error struct {
	Op     string // the C function or the operation, "lb_port_ephemeral_range"
	Target string // the endpoint or port it was applied to, "" when none
	Code   Errno
	// cause is the context's error when a ...Context call was cancelled
	// or its deadline passed (Code is then ErrTimeout or 0).
	cause error
}

func (e *Error) Error() string {
	s := "loopback: " + opText(e.Op)
	if e.Target != "" {
		s += " " + e.Target
	}
	if e.cause != nil && e.Code == 0 {
		return s + ": " + e.cause.Error()
	}
	return s + ": " + e.Code.Error()
}

// Unwrap returns the Errno (or, for a cancelled ...Context call, the
// context's error), for errors.Is and errors.As.
func (e *Error) Unwrap() error {
	if e.cause != nil && e.Code == 0 {
		return e.cause
	}
	return e.Code
}

// Is matches the context's error too when a ...Context call stopped
// because of it: errors.Is(err, context.DeadlineExceeded) and
// errors.Is(err, ErrTimeout) both hold when its deadline passed.
func (e *Error) Is(target error) bool {
	return e.cause != nil && target == e.cause
}

// ParseError is a rejected input: where and why.
type ParseError struct {
	Op     string // "lb_endpoint_parse", ...
	Input  string // the text as given
	Offset int    // byte offset of the problem in Input
	Reason string // the library's reason
	Code   Errno  // ErrSyntax, ErrRange, ...
}

func (e *ParseError) Error() string {
	return "loopback: " + opText(e.Op) + " " + strconv.Quote(e.Input) + ": " + e.Reason +
		" at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the Errno, for errors.Is and errors.As.
func (e *ParseError) Unwrap() error { return e.Code }

// at names what an *Error was about (an endpoint, a port), unless it says already.
func at(err error, target string) error {
	if e, ok := err.(*Error); ok && e.Target == "" {
		e.Target = target
	}
	return err
}

// check turns a C return value into nil or an *Error.
func check(op string, rc C.int) error {
	if rc >= 0 {
		return nil
	}
	return &Error{Op: op, Code: Errno(rc)}
}
