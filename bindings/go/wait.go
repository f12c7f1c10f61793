// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

import (
	"math"
	"net/netip"
	"time"
)

// waitMillis converts a timeout for lb_wait/lb_wait_held: whole
// milliseconds rounded up (never shorter than asked), at most 2^32-1.
func waitMillis(op string, timeout time.Duration) (C.uint32_t, error) {
	ms := (timeout + time.Millisecond - 1) / time.Millisecond
	if timeout < 0 || ms > 1<<32-1 {
		return 0, &Error{Op: op + " (timeout)", Code: ErrInvalid}
	}
	return C.uint32_t(ms), nil
}

// WaitOption changes how WaitAccepting and WaitHeld decide.
type WaitOption int

// WaitConnect (LB_WAIT_CONNECT) decides by a TCP connect even for an
// address of this host, which is otherwise decided from the socket table
// without connecting (the server then sees no probe).
const WaitConnect WaitOption = C.LB_WAIT_CONNECT

func waitFlags(opts []WaitOption) C.int {
	var f C.int
	for _, o := range opts {
		f |= C.int(o)
	}
	return f
}

func wait(op string, ap netip.AddrPort, condition C.int, timeout time.Duration) error {
	var a C.lb_addr
	if err := endpointArg(op, ap, &a); err != nil {
		return err
	}
	ms, err := waitMillis(op, timeout)
	if err != nil {
		return err
	}
	return at(check(op, C.lb_wait(&a, C.uint16_t(ap.Port()), condition, ms)), ap.String())
}

// WaitAccepting waits until a TCP listener takes connections to ap
// (lb_wait), up to timeout (0: check once); ErrTimeout (also
// os.ErrDeadlineExceeded) when it did not. For an address of this host
// the socket table decides, without connecting; for another host, or
// with WaitConnect, a TCP connect must succeed. Blocks the calling
// goroutine's thread.
func WaitAccepting(ap netip.AddrPort, timeout time.Duration, opts ...WaitOption) error {
	return wait("lb_wait", ap, C.LB_WAIT_ACCEPTING|waitFlags(opts), timeout)
}

// WaitFree waits until ap binds (TCP), as CheckBind says bindable.
func WaitFree(ap netip.AddrPort, timeout time.Duration) error {
	return wait("lb_wait", ap, C.LB_WAIT_FREE, timeout)
}

// WaitHeld waits until a TCP listener that takes connections to ap (as
// WaitAccepting decides, WaitConnect as there) is held by process pid or,
// with descendants, one of its
// descendants (lb_wait_held): a stale server of another process on the
// port does not count. It returns ErrNotFound at once when pid does not
// exist or exits while waiting, ErrTimeout (also os.ErrDeadlineExceeded)
// when the timeout passes, ErrPermission when the port accepts but pid's
// sockets cannot be read (another user's process), ErrInvalid for a pid
// outside 1..2^31-1.
func WaitHeld(ap netip.AddrPort, pid int, descendants bool, timeout time.Duration, opts ...WaitOption) error {
	const op = "lb_wait_held"
	var a C.lb_addr
	if pid < 1 || pid > math.MaxInt32 {
		return &Error{Op: op + " (pid)", Target: ap.String(), Code: ErrInvalid}
	}
	if err := endpointArg(op, ap, &a); err != nil {
		return err
	}
	ms, err := waitMillis(op, timeout)
	if err != nil {
		return err
	}
	flags := C.uint(waitFlags(opts))
	if descendants {
		flags |= C.LB_PID_DESCENDANTS
	}
	return at(check(op, C.lb_wait_held(&a, C.uint16_t(ap.Port()), C.uint32_t(pid), flags, ms)), ap.String())
}
